/* record.c — checks and mappings shared by every export format. */
#include "record.h"
#include "idnum.h"
#include "days.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>

/* idnum_check's reasons, here to be translated (src/lib says them in English). */
static const char *const idnum_reasons[] __attribute__((unused)) = {
    N_("the ID number must have exactly 18 characters"),
    N_("the first 17 characters of the ID number must be digits"),
    N_("the ID number starts with an invalid region code"),
    N_("the birth date inside the ID number (characters 7-14) is not a real date"),
    N_("the ID number's check character (the 18th) is wrong: a digit was probably mistyped"),
};

/* Whether s is a number in scientific notation: 4.41623E+17, 4.41623e17. */
static int
scientific(const char *s)
{
    if (*s < '0' || *s > '9')
        return 0;
    while (*s >= '0' && *s <= '9')
        s++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            ;
    if (*s != 'E' && *s != 'e')
        return 0;
    s++;
    if (*s == '+')
        s++;
    if (*s < '0' || *s > '9')
        return 0;
    while (*s >= '0' && *s <= '9')
        s++;
    return *s == '\0';
}

const char *
record_idno_problem(const char *idno, char *buf, size_t len)
{
    const char *why;

    if (scientific(idno)) {
        snprintf(buf, len, _("%s: the spreadsheet turned the ID number into a number and lost "
                 "its last digits; set the column's cell format to Text (设置单元格格式为\"文本\") "
                 "before typing or pasting the numbers, or import the column as text "
                 "(以文本形式导入) when opening a CSV file, correct the numbers and export again"),
                 idno);
        return buf;
    }
    if (idnum_check(idno, &why) == 0)
        return NULL;
    snprintf(buf, len, _("%s (%s)"), _(why), idno);
    return buf;
}

char *
record_trim(char *s)
{
    char *e;

    for (;;) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        else if (strncmp(s, "\xe3\x80\x80", 3) == 0)  /* U+3000 ideographic space */
            s += 3;
        else
            break;
    }
    e = s + strlen(s);
    for (;;) {
        if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
            e--;
        else if (e - s >= 3 && strncmp(e - 3, "\xe3\x80\x80", 3) == 0)
            e -= 3;
        else
            break;
    }
    *e = '\0';
    return s;
}

const char *
record_map_find(const struct record_map *map, const char *text)
{
    for (; map->text; map++)
        if (strcmp(map->text, text) == 0)
            return map->value;
    return NULL;
}

int
record_rank(const char *t)
{
    static const struct { const char *text; int rank; } ranks[] = {
        { "科员", LIANXI__RANK__RANK_CLERK }, { "科员及以下", LIANXI__RANK__RANK_CLERK },
        { "办事员", LIANXI__RANK__RANK_CLERK }, { "科员级", LIANXI__RANK__RANK_CLERK },
        { "副科", LIANXI__RANK__RANK_DEPUTY_SECTION }, { "副科级", LIANXI__RANK__RANK_DEPUTY_SECTION },
        { "正科", LIANXI__RANK__RANK_SECTION }, { "正科级", LIANXI__RANK__RANK_SECTION },
        { "副处", LIANXI__RANK__RANK_DEPUTY_DIVISION }, { "副处级", LIANXI__RANK__RANK_DEPUTY_DIVISION },
        { "正处", LIANXI__RANK__RANK_DIVISION }, { "正处级", LIANXI__RANK__RANK_DIVISION },
        { "副厅", LIANXI__RANK__RANK_BUREAU }, { "副厅级", LIANXI__RANK__RANK_BUREAU },
        { "副厅及以上", LIANXI__RANK__RANK_BUREAU },
        /* 职务与职级并行 (2019): grades of civil servants without leading posts,
         * by the level they correspond to. */
        { "一级科员", LIANXI__RANK__RANK_CLERK }, { "二级科员", LIANXI__RANK__RANK_CLERK },
        { "三级主任科员", LIANXI__RANK__RANK_DEPUTY_SECTION },
        { "四级主任科员", LIANXI__RANK__RANK_DEPUTY_SECTION },
        { "一级主任科员", LIANXI__RANK__RANK_SECTION },
        { "二级主任科员", LIANXI__RANK__RANK_SECTION },
        { "三级调研员", LIANXI__RANK__RANK_DEPUTY_DIVISION },
        { "四级调研员", LIANXI__RANK__RANK_DEPUTY_DIVISION },
        { "一级调研员", LIANXI__RANK__RANK_DIVISION },
        { "二级调研员", LIANXI__RANK__RANK_DIVISION },
        { "一级巡视员", LIANXI__RANK__RANK_BUREAU }, { "二级巡视员", LIANXI__RANK__RANK_BUREAU },
    };
    for (size_t i = 0; t && i < sizeof ranks / sizeof ranks[0]; i++)
        if (strcmp(ranks[i].text, t) == 0)
            return ranks[i].rank;
    return 0;
}

int
record_scope(const char *t)
{
    static const struct { const char *text; int scope; } scopes[] = {
        { "", LIANXI__SCOPE__SCOPE_ORGANS }, { "公开", LIANXI__SCOPE__SCOPE_PUBLIC },
        { "向社会公开", LIANXI__SCOPE__SCOPE_PUBLIC },
        { "党政机关", LIANXI__SCOPE__SCOPE_ORGANS }, { "本单位内", LIANXI__SCOPE__SCOPE_ORGANS },
        { "县委领导班子", LIANXI__SCOPE__SCOPE_LEADERSHIP },
        { "县委领导班子内", LIANXI__SCOPE__SCOPE_LEADERSHIP },
        { "特定范围", LIANXI__SCOPE__SCOPE_SPECIFIC }, { "特定范围内", LIANXI__SCOPE__SCOPE_SPECIFIC },
        { "涉密", LIANXI__SCOPE__SCOPE_CLASSIFIED }, { "国家秘密", LIANXI__SCOPE__SCOPE_CLASSIFIED },
    };
    for (size_t i = 0; t && i < sizeof scopes / sizeof scopes[0]; i++)
        if (strcmp(scopes[i].text, t) == 0)
            return scopes[i].scope;
    return 0;
}

int
record_real_name(const char *t)
{
    static const struct { const char *text; int real; } marks[] = {
        { "是", 1 }, { "实名", 1 }, { "true", 1 },
        { "", 0 }, { "否", 0 }, { "匿名", 0 }, { "false", 0 },
    };
    for (size_t i = 0; t && i < sizeof marks / sizeof marks[0]; i++)
        if (strcmp(marks[i].text, t) == 0)
            return marks[i].real;
    return -1;
}

static const char *
val(const char *const v[CF_NFIELDS], int f)
{
    return v[f] ? v[f] : "";
}

int
record_file(adapter_t *a, const char *path, long line, const char *const v[CF_NFIELDS],
            const char *const names[CF_NFIELDS], const struct record_map *types,
            const struct record_map *statuses)
{
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre cadre = LIANXI__CADRE__INIT;
    char learned[LX_DATE_LEN];
    const char *category, *why, *stage = "report";
    static const int required[] = { CF_CASE, CF_NAME, CF_WORK_UNIT };
    lx_day day;
    int real;
    char buf[1024];

#define NAME(fld) (names[fld] ? names[fld] : _("(record)"))
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!*val(v, required[i])) {
            adapter_reject_row(a, path, line, NAME(required[i]), "%s",
                               _("empty: fill it in and export again"));
            return 0;
        }
    if ((why = record_idno_problem(val(v, CF_IDNO), buf, sizeof buf))) {
        adapter_reject_row(a, path, line, NAME(CF_IDNO), "%s", why);
        return 0;
    }
    if (!(category = record_map_find(types, val(v, CF_TYPE)))) {
        adapter_reject_row(a, path, line, NAME(CF_TYPE), _("unknown case type '%s': not a kind "
                           "of case the joint meeting collects (see FORMAT.md)"), val(v, CF_TYPE));
        return 0;
    }
    if (v[CF_RANK] && !(cadre.rank = record_rank(v[CF_RANK]))) {
        adapter_reject_row(a, path, line, NAME(CF_RANK), _("unknown rank '%s' (see FORMAT.md)"),
                           v[CF_RANK]);
        return 0;
    }
    if (days_parse_loose(val(v, CF_DATE), &day) < 0) {
        if (*val(v, CF_DATE))
            adapter_reject_row(a, path, line, NAME(CF_DATE),
                               _("'%s' is not a date (YYYY-MM-DD)"), val(v, CF_DATE));
        else
            adapter_reject_row(a, path, line, NAME(CF_DATE), "%s", _("the date is empty"));
        return 0;
    }
    days_format(day, learned);
    if (statuses && !(stage = record_map_find(statuses, val(v, CF_STATUS)))) {
        adapter_reject_row(a, path, line, NAME(CF_STATUS),
                           _("unknown status '%s' (see FORMAT.md)"), val(v, CF_STATUS));
        return 0;
    }
    f.stage = strcmp(stage, "notice") == 0 ? LIANXI__STAGE__STAGE_NOTICE
                                           : LIANXI__STAGE__STAGE_REPORT;
    if (f.stage == LIANXI__STAGE__STAGE_REPORT && !*val(v, CF_SUMMARY)) {
        adapter_reject_row(a, path, line, NAME(CF_SUMMARY), "%s",
                           _("a closed case needs its summary"));
        return 0;
    }
    if (!(f.scope = record_scope(val(v, CF_SCOPE)))) {
        adapter_reject_row(a, path, line, NAME(CF_SCOPE),
                           _("unknown disclosure scope '%s' (see FORMAT.md)"), val(v, CF_SCOPE));
        return 0;
    }
    if ((real = record_real_name(val(v, CF_REAL_NAME))) < 0) {
        adapter_reject_row(a, path, line, NAME(CF_REAL_NAME), _("unknown real-name mark '%s': "
                           "是 (real name) or 否 (anonymous)"), val(v, CF_REAL_NAME));
        return 0;
    }
    f.real_name = real == 1;
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
    /* The documents named, checked and kept before the filing is signed. */
    if (*val(v, CF_ATTACH) &&
        adapter_attach(a, &f, path, line, names[CF_ATTACH] ? names[CF_ATTACH] : _("(record)"),
                       val(v, CF_ATTACH)) != 0)
        return 0;
    return adapter_file(a, &f, path, line) < 0 ? -1 : 0;
}
