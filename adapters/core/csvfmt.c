/* csvfmt.c — the rows of a described CSV export become filings. */
#include "csvfmt.h"
#include "idnum.h"
#include "textin.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

#define MAX_COLUMNS 64

struct ctx {
    adapter_t *a;
    const char *path;
    const struct csv_format *fmt;
    int ncols;
    int col[CF_SCOPE + 1];      /* column index of each field, -1 when absent */
    int header_seen, bad_file;
};

static const char *
header_of(const struct ctx *c, enum csv_field f)
{
    return c->col[f] >= 0 ? c->fmt->columns[c->col[f]].header : "?";
}

static const char *
value(const struct ctx *c, char **v, enum csv_field f)
{
    return c->col[f] >= 0 ? v[c->col[f]] : "";
}

static int
check_header(struct ctx *c, const struct textin_row *row)
{
    char expected[2048] = "";

    for (int i = 0; i < c->ncols; i++)
        if ((size_t)i >= row->n ||
            strcmp(adapter_trim(row->fields[i]), c->fmt->columns[i].header) != 0)
            goto bad;
    if (row->n == (size_t)c->ncols)
        return 0;
bad:
    for (int i = 0; i < c->ncols && i < 8; i++) {
        size_t n = strlen(expected);
        snprintf(expected + n, sizeof expected - n, "%s%s", i ? "," : "",
                 c->fmt->columns[i].header);
    }
    adapter_reject_file(c->a, c->path, "the first row is not this unit's export header "
                        "(expected it to start: see FORMAT.md)");
    adapter_note(c->a, "  expected header: %s%s\n", expected, c->ncols > 8 ? ",..." : "");
    c->bad_file = 1;
    return -1;
}

static int
on_row(void *arg, const struct textin_row *row)
{
    struct ctx *c = arg;
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre cadre = LIANXI__CADRE__INIT;
    char *v[MAX_COLUMNS], learned[LX_DATE_LEN];
    const char *category, *why, *stage = "report";
    lx_day day;

    adapter_progress(c->a, row->offset, row->total);
    if (row->undecodable) {
        adapter_reject_row(c->a, c->path, row->line, "(row)",
                           "bytes that are neither UTF-8 nor GB18030: re-export the file");
        return 0;
    }
    if (!c->header_seen) {
        c->header_seen = 1;
        return check_header(c, row);
    }
    if (row->n == 1 && row->fields[0][0] == '\0')
        return 0;
    if (row->n != (size_t)c->ncols) {
        adapter_reject_row(c->a, c->path, row->line,
                           row->n < (size_t)c->ncols ? c->fmt->columns[row->n].header
                                                     : c->fmt->columns[c->ncols - 1].header,
                           "row has %zu of %d fields (truncated, or extra commas)", row->n,
                           c->ncols);
        return 0;
    }
    for (int i = 0; i < c->ncols; i++)
        v[i] = adapter_trim(row->fields[i]);

    if (!*value(c, v, CF_CASE)) {
        adapter_reject_row(c->a, c->path, row->line, header_of(c, CF_CASE), "empty");
        return 0;
    }
    if (!*value(c, v, CF_NAME)) {
        adapter_reject_row(c->a, c->path, row->line, header_of(c, CF_NAME), "empty");
        return 0;
    }
    if (idnum_check(value(c, v, CF_IDNO), &why) < 0) {
        adapter_reject_row(c->a, c->path, row->line, header_of(c, CF_IDNO), "%s (%s)", why,
                           value(c, v, CF_IDNO));
        return 0;
    }
    if (!*value(c, v, CF_WORK_UNIT)) {
        adapter_reject_row(c->a, c->path, row->line, header_of(c, CF_WORK_UNIT), "empty");
        return 0;
    }
    if (!(category = adapter_map_find(c->fmt->types, value(c, v, CF_TYPE)))) {
        adapter_reject_row(c->a, c->path, row->line, header_of(c, CF_TYPE),
                           "unknown case type '%s': not a kind of case the joint meeting "
                           "collects (see FORMAT.md)", value(c, v, CF_TYPE));
        return 0;
    }
    if (c->col[CF_RANK] >= 0 && !(cadre.rank = adapter_rank(value(c, v, CF_RANK)))) {
        adapter_reject_row(c->a, c->path, row->line, header_of(c, CF_RANK), "unknown rank '%s'",
                           value(c, v, CF_RANK));
        return 0;
    }
    if (util_date_parse_loose(value(c, v, CF_DATE), &day) < 0) {
        adapter_reject_row(c->a, c->path, row->line, header_of(c, CF_DATE),
                           *value(c, v, CF_DATE) ? "'%s' is not a date (YYYY-MM-DD)"
                                                 : "date is empty%s", value(c, v, CF_DATE));
        return 0;
    }
    util_date_format(day, learned);
    if (c->fmt->statuses && !(stage = adapter_map_find(c->fmt->statuses,
                                                       value(c, v, CF_STATUS)))) {
        adapter_reject_row(c->a, c->path, row->line, header_of(c, CF_STATUS),
                           "unknown status '%s' (see FORMAT.md)", value(c, v, CF_STATUS));
        return 0;
    }
    f.stage = strcmp(stage, "notice") == 0 ? LIANXI__STAGE__STAGE_NOTICE
                                           : LIANXI__STAGE__STAGE_REPORT;
    if (f.stage == LIANXI__STAGE__STAGE_REPORT && !*value(c, v, CF_SUMMARY)) {
        adapter_reject_row(c->a, c->path, row->line,
                           c->col[CF_SUMMARY] >= 0 ? header_of(c, CF_SUMMARY) : "(row)",
                           "a closed case needs its summary");
        return 0;
    }
    if (!(f.scope = adapter_scope(value(c, v, CF_SCOPE)))) {
        adapter_reject_row(c->a, c->path, row->line, header_of(c, CF_SCOPE),
                           "unknown disclosure scope '%s'", value(c, v, CF_SCOPE));
        return 0;
    }
    cadre.name = (char *)value(c, v, CF_NAME);
    cadre.id_number = (char *)value(c, v, CF_IDNO);
    cadre.work_unit = (char *)value(c, v, CF_WORK_UNIT);
    cadre.post = (char *)value(c, v, CF_POST);
    f.cadre = &cadre;
    f.category = (char *)category;
    f.learned_on = learned;
    f.summary = (char *)value(c, v, CF_SUMMARY);
    f.case_ref = (char *)value(c, v, CF_CASE);
    return adapter_file(c->a, &f, c->path, row->line) < 0 ? -1 : 0;
}

static void
on_bad(void *arg, long line, const char *why)
{
    struct ctx *c = arg;
    adapter_reject_row(c->a, c->path, line, "(row)", "not valid CSV: %s", why);
}

int
csvfmt_read(adapter_t *a, const char *path, const void *data)
{
    struct ctx c = { .a = a, .path = path, .fmt = data };
    char err[256];

    for (int i = 0; i <= CF_SCOPE; i++)
        c.col[i] = -1;
    for (c.ncols = 0; c.fmt->columns[c.ncols].header && c.ncols < MAX_COLUMNS; c.ncols++)
        if (c.fmt->columns[c.ncols].field != CF_IGNORE)
            c.col[c.fmt->columns[c.ncols].field] = c.ncols;
    if (textin_csv(path, on_row, on_bad, &c, err, sizeof err) < 0) {
        adapter_reject_file(a, path, err);
        return -1;
    }
    adapter_progress_done(a);
    return c.bad_file ? -1 : 0;
}
