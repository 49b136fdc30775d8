/* doc_md.c — the official document as Markdown: its words and tables in
 * reading order, for reading in a terminal, diffing and testing (the
 * layout is the HTML's and the .docx's business). */
#include "doc.h"
#include "doc_priv.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

/* Text for Markdown: < > & as entities (renderers pass raw HTML through),
 * [ ] and the backslash escaped (no link or image, whose remote picture a
 * viewer would load, can be made of a unit's text), and in a table cell |
 * escaped and line ends as spaces. */
static void
esc(FILE *f, const char *s, int cell)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '|': fputs(cell ? "\\|" : "|", f); break;
        case '[': fputs("\\[", f); break;
        case ']': fputs("\\]", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\r':
        case '\n': fputc(cell ? ' ' : '\n', f); break;
        default: fputc(*s, f); break;
        }
    }
}

static void
row(FILE *f, char *const *cells, int n)
{
    fputc('|', f);
    for (int i = 0; i < n; i++) {
        fputc(' ', f);
        esc(f, cells[i], 1);
        fputs(" |", f);
    }
    fputc('\n', f);
}

static void
table(FILE *f, const struct doc_block *b)
{
    if (b->text) {
        esc(f, b->text, 0);
        fputs("\n\n", f);
    }
    row(f, b->cells, b->ncols);
    fputc('|', f);
    for (int i = 0; i < b->ncols; i++)
        fputs(b->align && b->align[i] == DOC_RIGHT ? "---:|"
              : b->align && b->align[i] == DOC_CENTER ? ":---:|" : "---|", f);
    fputc('\n', f);
    for (int r = 0; r < b->nrows; r++)
        row(f, b->cells + (size_t)(r + 1) * (size_t)b->ncols, b->ncols);
    fputc('\n', f);
}

/* A chart as a line: its caption, then each label with its value. */
static void
chart(FILE *f, const struct doc_block *b)
{
    fputs("*", f);
    esc(f, b->text ? b->text : "", 0);
    fputs("*：", f);
    for (int i = 0; i < b->ncols; i++) {
        if (i)
            fputs("；", f);
        esc(f, b->cells[i], 0);
        fprintf(f, " %.*f", b->decimals, b->values[i]);
        esc(f, b->suffix ? b->suffix : "", 0);
    }
    fputs("\n\n", f);
}

static void
block(FILE *f, const struct doc_block *b)
{
    char date[40];

    switch (b->kind) {
    case DOC_K_TITLE:
        fputs("# ", f);
        esc(f, b->text, 1);
        fputs("\n\n", f);
        break;
    case DOC_K_TO:
        esc(f, b->text, 0);
        fputs("：\n\n", f);
        break;
    case DOC_K_LABEL:
        esc(f, b->text, 0);
        fputs("\n\n", f);
        break;
    case DOC_K_HEADING:
        fputs(b->level == 1 ? "\n## " : b->level == 2 ? "\n### " : "\n#### ", f);
        esc(f, b->text, 1);
        fputs("\n\n", f);
        break;
    case DOC_K_PARA:
        esc(f, b->text, 0);
        fputs("\n\n", f);
        break;
    case DOC_K_TABLE:
        table(f, b);
        break;
    case DOC_K_CHART:
        chart(f, b);
        break;
    case DOC_K_BREAK:
        fputs("---\n\n", f);
        break;
    case DOC_K_ATTACH:
        for (int i = 0; i < b->ncols; i++) {
            fputs(i == 0 ? "附件：" : "　　　", f);
            if (b->ncols > 1)
                fprintf(f, "%d．", i + 1);
            esc(f, b->cells[i], 0);
            fputs("\n\n", f);
        }
        break;
    case DOC_K_SIGN:
        doc_date_words(b->date, date, sizeof date);
        esc(f, b->text, 0);
        fprintf(f, "\n\n%s\n\n", date);
        break;
    }
}

int
doc_render_md(const doc_t *d, char **out, size_t *len, char *err, size_t errlen)
{
    char *buf = NULL, date[40];
    size_t n = 0;
    FILE *f;

    *out = NULL;
    *len = 0;
    if (d->failed[0]) {
        snprintf(err, errlen, _("the document could not be built: %s"), d->failed);
        return -1;
    }
    if (!(f = open_memstream(&buf, &n))) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    if (d->has_head) {
        const char *marks[] = { d->copy_no, d->secrecy, d->urgency };
        for (int i = 0; i < 3; i++)
            if (marks[i]) {
                esc(f, marks[i], 0);
                fputs("\n\n", f);
            }
        fputs("**", f);
        esc(f, d->issuer, 0);
        fputs("**\n\n", f);
        if (d->doc_no) {
            esc(f, d->doc_no, 0);
            fputs("\n\n", f);
        }
    }
    for (int i = 0; i < d->n; i++)
        block(f, &d->b[i]);
    if (d->has_imprint) {
        doc_date_words(d->printed, date, sizeof date);
        fputs("---\n\n", f);
        if (d->cc) {
            fputs("抄送：", f);
            esc(f, d->cc, 0);
            fputs("\n\n", f);
        }
        esc(f, d->printer, 0);
        fprintf(f, "　%s印发\n", date);
    }
    if (ferror(f) | fclose(f)) {
        free(buf);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}
