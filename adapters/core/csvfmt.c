/* csvfmt.c — the rows of a described CSV export become filings. */
#include "csvfmt.h"
#include "record.h"
#include "textin.h"

#include <stdio.h>
#include <string.h>

#define MAX_COLUMNS 64

struct ctx {
    adapter_t *a;
    const char *path;
    const struct csv_format *fmt;
    int ncols;
    int col[CF_NFIELDS];        /* column index of each field, -1 when absent */
    int header_seen, bad_file;
};

static int
check_header(struct ctx *c, const struct textin_row *row)
{
    char expected[2048] = "";

    for (int i = 0; i < c->ncols; i++)
        if ((size_t)i >= row->n ||
            strcmp(record_trim(row->fields[i]), c->fmt->columns[i].header) != 0)
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
    const char *v[CF_NFIELDS], *names[CF_NFIELDS];

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
    for (int f = 0; f < CF_NFIELDS; f++) {
        v[f] = c->col[f] >= 0 ? record_trim(row->fields[c->col[f]]) : NULL;
        names[f] = c->col[f] >= 0 ? c->fmt->columns[c->col[f]].header : NULL;
    }
    return record_file(c->a, c->path, row->line, v, names, c->fmt->types, c->fmt->statuses);
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

    for (int i = 0; i < CF_NFIELDS; i++)
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
