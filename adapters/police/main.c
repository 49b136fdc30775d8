/* lianxi-adapter-police — files the county public security bureau's case
 * export (CSV, see FORMAT.md) with the hub. */
#include "adapter.h"
#include "idnum.h"
#include "textin.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

enum { C_CASE, C_NAME, C_IDNO, C_UNIT, C_POST, C_RANK, C_TYPE, C_DATE, C_STATUS, C_SUMMARY,
       C_SCOPE, NCOLS };

static const char *const columns[NCOLS] = {
    "案件编号", "姓名", "公民身份号码", "工作单位", "职务", "职级", "案件类别", "知悉日期",
    "办理状态", "简要案情", "知悉范围",
};

static const struct adapter_map case_types[] = {
    { "刑事拘留", "police.criminal_detention" },
    { "行政拘留", "police.administrative_detention" },
    { "醉酒驾驶机动车", "police.drunk_driving" },
    { "醉驾", "police.drunk_driving" },
    { "饮酒后驾驶机动车", "police.drink_driving" },
    { "酒驾", "police.drink_driving" },
    { "赌博", "police.gambling" },
    { "吸毒", "police.drugs" },
    { "交通事故", "police.traffic_accident" },
    { NULL, NULL },
};

struct ctx {
    adapter_t *a;
    const char *path;
    int header_seen;
    int bad_file;
};

static int
on_row(void *arg, const struct textin_row *row)
{
    struct ctx *c = arg;
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre cadre = LIANXI__CADRE__INIT;
    char *v[NCOLS], learned[LX_DATE_LEN];
    const char *category, *why;
    lx_day day;

    if (row->undecodable) {
        adapter_reject_row(c->a, c->path, row->line, "(row)",
                           "bytes that are neither UTF-8 nor GB18030: re-export the file");
        return 0;
    }
    if (!c->header_seen) {
        c->header_seen = 1;
        for (size_t i = 0; i < NCOLS; i++)
            if (row->n != NCOLS || strcmp(adapter_trim(row->fields[i]), columns[i]) != 0) {
                adapter_reject_file(c->a, c->path, "the first row is not the police export "
                                    "header (案件编号,姓名,公民身份号码,...): see FORMAT.md");
                c->bad_file = 1;
                return -1;
            }
        return 0;
    }
    if (row->n == 1 && row->fields[0][0] == '\0')
        return 0;
    if (row->n != NCOLS) {
        adapter_reject_row(c->a, c->path, row->line,
                           row->n < NCOLS ? columns[row->n] : columns[NCOLS - 1],
                           "row has %zu of %d fields (truncated or extra commas)", row->n, NCOLS);
        return 0;
    }
    for (size_t i = 0; i < NCOLS; i++)
        v[i] = adapter_trim(row->fields[i]);
    if (!*v[C_CASE]) {
        adapter_reject_row(c->a, c->path, row->line, columns[C_CASE], "case number is empty");
        return 0;
    }
    if (idnum_check(v[C_IDNO], &why) < 0) {
        adapter_reject_row(c->a, c->path, row->line, columns[C_IDNO], "%s (%s)", why, v[C_IDNO]);
        return 0;
    }
    if (!(category = adapter_map_find(case_types, v[C_TYPE]))) {
        adapter_reject_row(c->a, c->path, row->line, columns[C_TYPE],
                           "unknown case type '%s': it is not a type the joint meeting "
                           "collects (see FORMAT.md)", v[C_TYPE]);
        return 0;
    }
    if (!(cadre.rank = adapter_rank(v[C_RANK]))) {
        adapter_reject_row(c->a, c->path, row->line, columns[C_RANK], "unknown rank '%s'",
                           v[C_RANK]);
        return 0;
    }
    if (!*v[C_DATE] || util_date_parse_loose(v[C_DATE], &day) < 0) {
        adapter_reject_row(c->a, c->path, row->line, columns[C_DATE],
                           *v[C_DATE] ? "'%s' is not a date (YYYY-MM-DD)" : "date is empty%s",
                           v[C_DATE]);
        return 0;
    }
    util_date_format(day, learned);
    if (strcmp(v[C_STATUS], "已受理") == 0) {
        f.stage = LIANXI__STAGE__STAGE_NOTICE;
    } else if (strcmp(v[C_STATUS], "已办结") == 0) {
        f.stage = LIANXI__STAGE__STAGE_REPORT;
        if (!*v[C_SUMMARY]) {
            adapter_reject_row(c->a, c->path, row->line, columns[C_SUMMARY],
                               "a closed case (已办结) needs its summary");
            return 0;
        }
    } else {
        adapter_reject_row(c->a, c->path, row->line, columns[C_STATUS],
                           "status must be 已受理 or 已办结, not '%s'", v[C_STATUS]);
        return 0;
    }
    if (!(f.scope = adapter_scope(v[C_SCOPE]))) {
        adapter_reject_row(c->a, c->path, row->line, columns[C_SCOPE], "unknown scope '%s'",
                           v[C_SCOPE]);
        return 0;
    }
    cadre.name = v[C_NAME];
    cadre.id_number = v[C_IDNO];
    cadre.work_unit = v[C_UNIT];
    cadre.post = v[C_POST];
    f.cadre = &cadre;
    f.category = (char *)category;
    f.learned_on = learned;
    f.summary = v[C_SUMMARY];
    f.case_ref = v[C_CASE];
    return adapter_file(c->a, &f, c->path, row->line) < 0 ? -1 : 0;
}

static void
on_bad(void *arg, long line, const char *why)
{
    struct ctx *c = arg;
    adapter_reject_row(c->a, c->path, line, "(row)", "not valid CSV: %s", why);
}

static int
police_read(adapter_t *a, const char *path)
{
    struct ctx c = { a, path, 0, 0 };
    char err[256];

    if (textin_csv(path, on_row, on_bad, &c, err, sizeof err) < 0) {
        adapter_reject_file(a, path, err);
        return -1;
    }
    return c.bad_file ? -1 : 0;
}

int
main(int argc, char **argv)
{
    static const struct adapter_format police = { "police", police_read };
    return adapter_main(argc, argv, &police);
}
