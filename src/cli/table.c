/* table.c — aligned listings by terminal width. */
#include "table.h"
#include "text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct table {
    int ncols, nrows, cap;
    char **cells;       /* (nrows + 1) * ncols, the header first */
};

static void
grow(struct table *t)
{
    if (t->nrows + 1 < t->cap)
        return;
    t->cap = t->cap ? 2 * t->cap : 16;
    if (!(t->cells = realloc(t->cells, (size_t)t->cap * (size_t)t->ncols * sizeof *t->cells)))
        abort();
}

static void
add(struct table *t, va_list ap)
{
    grow(t);
    for (int i = 0; i < t->ncols; i++) {
        const char *s = va_arg(ap, const char *);
        if (!(t->cells[t->nrows * t->ncols + i] = strdup(s ? s : "")))
            abort();
    }
    t->nrows++;
}

struct table *
table_new(int ncols, ...)
{
    struct table *t = calloc(1, sizeof *t);
    va_list ap;

    if (!t)
        abort();
    t->ncols = ncols;
    va_start(ap, ncols);
    add(t, ap);
    va_end(ap);
    return t;
}

void
table_add(struct table *t, ...)
{
    va_list ap;

    va_start(ap, t);
    add(t, ap);
    va_end(ap);
}

int
table_rows(const struct table *t)
{
    return t->nrows - 1;
}

void
table_print(struct table *t, FILE *out)
{
    int *w = calloc((size_t)t->ncols, sizeof *w);

    if (!w)
        abort();
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            int n = text_width(t->cells[r * t->ncols + c]);
            if (n > w[c])
                w[c] = n;
        }
    for (int r = 0; r < t->nrows; r++) {
        int last = t->ncols - 1;
        while (last > 0 && !*t->cells[r * t->ncols + last])
            last--;     /* no trailing blanks */
        for (int c = 0; c <= last; c++) {
            const char *s = t->cells[r * t->ncols + c];
            if (c < last) {
                text_print_padded(out, s, w[c]);
                fputs("  ", out);
            } else {
                fputs(s, out);
            }
        }
        fputc('\n', out);
    }
    free(w);
    table_free(t);
}

void
table_free(struct table *t)
{
    for (int i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}
