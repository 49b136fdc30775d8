/* csvfmt.c — the rows of a described CSV export become filings. */
#include "csvfmt.h"
#include "record.h"
#include "tablein.h"

#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 64

struct ctx {
    adapter_t *a;
    const char *path;
    const struct csv_format *fmt;
    int ncols;
    int col[CF_NFIELDS];        /* column index of each field, -1 when absent */
    int att_col;                /* the optional last column 附件 (documents), or -1 */
    int header_seen, bad_file;
};

/* The header of the optional column any export may end with: the names
 * of documents beside the export (record.h: CF_ATTACH). */
#define ATTACH_HEADER "附件"

/* Whether name is among the n names. */
static int
among(const char *name, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* Adds name to the list in f, separated as lists are in the language. */
static void
list_add(FILE *f, int *count, const char *name)
{
    fprintf(f, "%s%s", (*count)++ ? _(", ") : "", name);
}

char *
csvfmt_header_problem(const struct csv_format *fmt, char *const *fields, size_t n)
{
    const char *expected[MAX_COLUMNS], *found[MAX_COLUMNS * 2];
    size_t ne = 0, nf = 0, rows;
    char *text = NULL, *missing = NULL, *extra = NULL;
    size_t tlen = 0, mlen = 0, xlen = 0;
    int nmissing = 0, nextra = 0, same = 1;
    FILE *f, *m, *x;

    for (; fmt->columns[ne].header && ne < MAX_COLUMNS; ne++)
        expected[ne] = fmt->columns[ne].header;
    for (; nf < n && nf < MAX_COLUMNS * 2; nf++)
        found[nf] = record_trim(fields[nf]);
    /* Empty cells at the end of the row are no columns. */
    while (nf > ne && !*found[nf - 1])
        nf--;
    if (nf != ne)
        same = 0;
    for (size_t i = 0; same && i < ne; i++)
        same = strcmp(expected[i], found[i]) == 0;
    if (same)
        return NULL;
    if (!(m = open_memstream(&missing, &mlen)) || !(x = open_memstream(&extra, &xlen))) {
        if (m)
            fclose(m);
        free(missing);
        return NULL;
    }
    for (size_t i = 0; i < ne; i++)
        if (!among(expected[i], found, nf))
            list_add(m, &nmissing, expected[i]);
    for (size_t i = 0; i < nf; i++)
        if (!among(found[i], expected, ne))
            list_add(x, &nextra, *found[i] ? found[i] : _("(an empty cell)"));
    fclose(m);
    fclose(x);
    if (!(f = open_memstream(&text, &tlen))) {
        free(missing);
        free(extra);
        return NULL;
    }
    fputs(_("the first row is not this unit's export header:"), f);
    if (nmissing)
        fprintf(f, _(" missing columns %s;"), missing);
    if (nextra)
        fprintf(f, _(" columns this unit's export does not have %s;"), extra);
    if (!nmissing && !nextra)
        fputs(_(" the columns are all there, in another order;"), f);
    fputs(_(" see FORMAT.md, or export with the unit's export template"), f);
    /* Side by side, column by column. */
    rows = ne > nf ? ne : nf;
    for (size_t i = 0; i < rows; i++) {
        const char *e = i < ne ? expected[i] : _("(none)");
        const char *g = i < nf ? (*found[i] ? found[i] : _("(an empty cell)")) : _("(none)");
        fputc('\n', f);
        if (i < ne && i < nf && strcmp(e, g) == 0)
            fprintf(f, _("column %zu: %s"), i + 1, e);
        else
            fprintf(f, _("column %zu: expected %s, found %s"), i + 1, e, g);
    }
    fclose(f);
    free(missing);
    free(extra);
    return text;
}

static int
check_header(struct ctx *c, const struct textin_row *row)
{
    size_t n = row->n;
    char *problem, *nl, *line;

    /* One more column than the format's, named 附件: the documents. */
    if (n == (size_t)c->ncols + 1 && c->col[CF_ATTACH] < 0 &&
        strcmp(record_trim(row->fields[n - 1]), ATTACH_HEADER) == 0) {
        c->att_col = (int)n - 1;
        n--;
    }
    problem = csvfmt_header_problem(c->fmt, row->fields, n);

    if (!problem)
        return 0;
    if ((nl = strchr(problem, '\n')))
        *nl = '\0';
    adapter_reject_file(c->a, c->path, problem);
    for (line = nl ? nl + 1 : NULL; line && *line; line = nl ? nl + 1 : NULL) {
        if ((nl = strchr(line, '\n')))
            *nl = '\0';
        adapter_note(c->a, "  %s\n", line);
    }
    free(problem);
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
        adapter_reject_row(c->a, c->path, row->line, _("(row)"), "%s",
                           _("bytes that are neither UTF-8 nor GB18030: re-export the file"));
        return 0;
    }
    if (!c->header_seen) {
        c->header_seen = 1;
        return check_header(c, row);
    }
    if (row->n == 1 && row->fields[0][0] == '\0')
        return 0;
    int ncols = c->ncols + (c->att_col >= 0);
    if (row->n != (size_t)ncols) {
        const char *col = row->n < (size_t)c->ncols ? c->fmt->columns[row->n].header
                          : c->att_col >= 0 ? ATTACH_HEADER
                          : c->fmt->columns[c->ncols - 1].header;
        if (row->sheet)
            adapter_reject_row(c->a, c->path, row->line, col,
                               _("row has %zu of %d cells (a cell right of the last column)"),
                               row->n, ncols);
        else
            adapter_reject_row(c->a, c->path, row->line, col,
                               _("row has %zu of %d fields (truncated, or extra commas)"),
                               row->n, ncols);
        return 0;
    }
    for (int f = 0; f < CF_NFIELDS; f++) {
        v[f] = c->col[f] >= 0 ? record_trim(row->fields[c->col[f]]) : NULL;
        names[f] = c->col[f] >= 0 ? c->fmt->columns[c->col[f]].header : NULL;
    }
    if (c->att_col >= 0) {
        v[CF_ATTACH] = record_trim(row->fields[c->att_col]);
        names[CF_ATTACH] = ATTACH_HEADER;
    }
    return record_file(c->a, c->path, row->line, v, names, c->fmt->types, c->fmt->statuses);
}

static void
on_bad(void *arg, long line, const char *why)
{
    struct ctx *c = arg;
    adapter_reject_row(c->a, c->path, line, _("(row)"), _("not valid CSV: %s"), why);
}

int
csvfmt_read(adapter_t *a, const char *path, const void *data)
{
    struct ctx c = { .a = a, .path = path, .fmt = data, .att_col = -1 };
    char err[256];

    for (int i = 0; i < CF_NFIELDS; i++)
        c.col[i] = -1;
    for (c.ncols = 0; c.fmt->columns[c.ncols].header && c.ncols < MAX_COLUMNS; c.ncols++)
        if (c.fmt->columns[c.ncols].field != CF_IGNORE)
            c.col[c.fmt->columns[c.ncols].field] = c.ncols;
    if (tablein_read(path, on_row, on_bad, &c, err, sizeof err) < 0) {
        adapter_reject_file(a, path, err);
        return -1;
    }
    adapter_progress_done(a);
    return c.bad_file ? -1 : 0;
}
