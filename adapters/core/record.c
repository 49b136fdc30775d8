/* record.c — checks and mappings shared by every export format. */
#include "record.h"
#include "idnum.h"
#include "days.h"

#include <string.h>

static const char *
val(const char *const v[CF_NFIELDS], int f)
{
    return v[f] ? v[f] : "";
}

int
record_file(adapter_t *a, const char *path, long line, const char *const v[CF_NFIELDS],
            const char *const names[CF_NFIELDS], const struct adapter_map *types,
            const struct adapter_map *statuses)
{
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre cadre = LIANXI__CADRE__INIT;
    char learned[LX_DATE_LEN];
    const char *category, *why, *stage = "report";
    static const int required[] = { CF_CASE, CF_NAME, CF_WORK_UNIT };
    lx_day day;

#define NAME(fld) (names[fld] ? names[fld] : "(record)")
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!*val(v, required[i])) {
            adapter_reject_row(a, path, line, NAME(required[i]), "empty");
            return 0;
        }
    if (idnum_check(val(v, CF_IDNO), &why) < 0) {
        adapter_reject_row(a, path, line, NAME(CF_IDNO), "%s (%s)", why, val(v, CF_IDNO));
        return 0;
    }
    if (!(category = adapter_map_find(types, val(v, CF_TYPE)))) {
        adapter_reject_row(a, path, line, NAME(CF_TYPE), "unknown case type '%s': not a kind "
                           "of case the joint meeting collects (see FORMAT.md)", val(v, CF_TYPE));
        return 0;
    }
    if (v[CF_RANK] && !(cadre.rank = adapter_rank(v[CF_RANK]))) {
        adapter_reject_row(a, path, line, NAME(CF_RANK), "unknown rank '%s'", v[CF_RANK]);
        return 0;
    }
    if (days_parse_loose(val(v, CF_DATE), &day) < 0) {
        adapter_reject_row(a, path, line, NAME(CF_DATE),
                           *val(v, CF_DATE) ? "'%s' is not a date (YYYY-MM-DD)"
                                            : "date is empty%s", val(v, CF_DATE));
        return 0;
    }
    days_format(day, learned);
    if (statuses && !(stage = adapter_map_find(statuses, val(v, CF_STATUS)))) {
        adapter_reject_row(a, path, line, NAME(CF_STATUS), "unknown status '%s' (see FORMAT.md)",
                           val(v, CF_STATUS));
        return 0;
    }
    f.stage = strcmp(stage, "notice") == 0 ? LIANXI__STAGE__STAGE_NOTICE
                                           : LIANXI__STAGE__STAGE_REPORT;
    if (f.stage == LIANXI__STAGE__STAGE_REPORT && !*val(v, CF_SUMMARY)) {
        adapter_reject_row(a, path, line, NAME(CF_SUMMARY), "a closed case needs its summary");
        return 0;
    }
    if (!(f.scope = adapter_scope(val(v, CF_SCOPE)))) {
        adapter_reject_row(a, path, line, NAME(CF_SCOPE), "unknown disclosure scope '%s'",
                           val(v, CF_SCOPE));
        return 0;
    }
#undef NAME
    cadre.name = (char *)val(v, CF_NAME);
    cadre.id_number = (char *)val(v, CF_IDNO);
    cadre.work_unit = (char *)val(v, CF_WORK_UNIT);
    cadre.post = (char *)val(v, CF_POST);
    f.cadre = &cadre;
    f.category = (char *)category;
    f.learned_on = learned;
    f.summary = (char *)val(v, CF_SUMMARY);
    f.case_ref = (char *)val(v, CF_CASE);
    return adapter_file(a, &f, path, line) < 0 ? -1 : 0;
}
