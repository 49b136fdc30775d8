/* doc.c — the official document's model: blocks appended in reading order,
 * with what both renderers share (numbering, dates, the chart's drawing). */
#include "doc.h"
#include "doc_priv.h"
#include "i18n.h"
#include "text.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

doc_t *
doc_new(void)
{
    return calloc(1, sizeof(doc_t));
}

static void
block_free(struct doc_block *b)
{
    int ncells = b->kind == DOC_K_TABLE ? b->ncols * (b->nrows + 1)
                 : b->kind == DOC_K_CHART || b->kind == DOC_K_ATTACH ? b->ncols : 0;

    for (int i = 0; i < ncells && b->cells; i++)
        free(b->cells[i]);
    free(b->cells);
    free(b->text);
    free(b->widths);
    free(b->align);
    free(b->x_title);
    free(b->y_title);
    free(b->suffix);
    free(b->values);
}

void
doc_destroy(doc_t **self_p)
{
    doc_t *d;

    if (!self_p || !(d = *self_p))
        return;
    for (int i = 0; i < d->n; i++)
        block_free(&d->b[i]);
    free(d->b);
    free(d->copy_no);
    free(d->secrecy);
    free(d->urgency);
    free(d->issuer);
    free(d->doc_no);
    free(d->cc);
    free(d->printer);
    free(d);
    *self_p = NULL;
}

/* Remembers the first failure (a sentence); returns -1. */
static int
fail(doc_t *d, const char *msg)
{
    if (d->failed[0] == '\0')
        snprintf(d->failed, sizeof d->failed, "%s", msg);
    return -1;
}

/* A copy of s (NULL stays NULL) in which characters that hide or forge text
 * (controls, bidi marks; text.h) become spaces, and the two that XML does
 * not allow (U+FFFE, U+FFFF) U+FFFD; NULL (and the failure
 * remembered) when s is not UTF-8 or memory runs out. */
static char *
copy_text(doc_t *d, const char *s, int *bad)
{
    size_t len;
    char *t;

    *bad = 0;
    if (!s)
        return NULL;
    len = strlen(s);
    if (!text_utf8_valid(s, len)) {
        *bad = 1;
        fail(d, _("a text of the document is not UTF-8"));
        return NULL;
    }
    if (!(t = malloc(len + 1))) {
        *bad = 1;
        fail(d, _("out of memory"));
        return NULL;
    }
    memcpy(t, s, len + 1);
    for (;;) {
        uint32_t cp;
        long at = text_find_control(t, len, 0, &cp);
        if (at < 0)
            break;
        int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
        memset(t + at, ' ', (size_t)n);
    }
    /* U+FFFE and U+FFFF are UTF-8 but no XML character: Word would refuse
     * the .docx.  They become U+FFFD (the same three bytes' length). */
    for (char *p = t; (p = strstr(p, "\xef\xbf")) != NULL; p += 3)
        if ((unsigned char)p[2] == 0xbe || (unsigned char)p[2] == 0xbf)
            p[2] = (char)0xbd;
    return t;
}

static struct doc_block *
append(doc_t *d, enum doc_kind kind)
{
    if (d->failed[0])
        return NULL;
    if (d->n == d->cap) {
        int ncap = d->cap ? d->cap * 2 : 32;
        struct doc_block *nb = realloc(d->b, (size_t)ncap * sizeof *nb);
        if (!nb) {
            fail(d, _("out of memory"));
            return NULL;
        }
        d->b = nb;
        d->cap = ncap;
    }
    memset(&d->b[d->n], 0, sizeof d->b[d->n]);
    d->b[d->n].kind = kind;
    return &d->b[d->n++];
}

/* Appends a block holding one text; -1 when it cannot. */
static int
text_block(doc_t *d, enum doc_kind kind, const char *s)
{
    int bad;
    char *t;
    struct doc_block *b;

    if (!s)
        return fail(d, _("a block of the document has no text"));
    if (!(t = copy_text(d, s, &bad)))
        return -1;
    if (!(b = append(d, kind))) {
        free(t);
        return -1;
    }
    b->text = t;
    return 0;
}

int
doc_head(doc_t *d, const struct doc_head *h)
{
    int bad = 0, b1, b2, b3, b4, b5;

    if (!h || !h->issuer)
        return fail(d, _("the document's header has no issuing body"));
    if (h->copy_no && (strlen(h->copy_no) != 6 || strspn(h->copy_no, "0123456789") != 6))
        return fail(d, _("a copy number is six digits"));
    free(d->copy_no);
    free(d->secrecy);
    free(d->urgency);
    free(d->issuer);
    free(d->doc_no);
    d->copy_no = copy_text(d, h->copy_no, &b1);
    d->secrecy = copy_text(d, h->secrecy, &b2);
    d->urgency = copy_text(d, h->urgency, &b3);
    d->issuer = copy_text(d, h->issuer, &b4);
    d->doc_no = copy_text(d, h->doc_no, &b5);
    bad = b1 || b2 || b3 || b4 || b5;
    d->has_head = !bad;
    return bad ? -1 : 0;
}

int
doc_title(doc_t *d, const char *title)
{
    return text_block(d, DOC_K_TITLE, title);
}

int
doc_addressee(doc_t *d, const char *to)
{
    return text_block(d, DOC_K_TO, to);
}

/* 1-99 in Chinese numerals: 一 ... 十 十一 ... 九十九. */
static void
zh_number(int n, char *out, size_t len)
{
    static const char *const dig[] = { "", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
    int t = n / 10 % 10, u = n % 10;

    snprintf(out, len, "%s%s%s", t > 1 ? dig[t] : "", t > 0 ? "十" : "", dig[u]);
}

int
doc_heading(doc_t *d, int level, const char *text)
{
    char num[32], *s;
    int rc;

    if (level < 1 || level > 4)
        return fail(d, _("a heading's level is 1 to 4"));
    if (!text)
        return fail(d, _("a block of the document has no text"));
    d->num[level - 1]++;
    for (int i = level; i < 4; i++)
        d->num[i] = 0;
    if (level == 1 || level == 2)
        zh_number(d->num[level - 1], num, sizeof num);
    else
        snprintf(num, sizeof num, "%d", d->num[level - 1]);
    if (asprintf(&s, level == 1 ? "%s、%s" : level == 3 ? "%s.%s" : "（%s）%s", num, text) < 0)
        return fail(d, _("out of memory"));
    rc = text_block(d, DOC_K_HEADING, s);
    free(s);
    if (rc == 0)
        d->b[d->n - 1].level = level;
    return rc;
}

int
doc_label(doc_t *d, const char *text)
{
    return text_block(d, DOC_K_LABEL, text);
}

int
doc_para(doc_t *d, const char *text)
{
    return text_block(d, DOC_K_PARA, text);
}

/* Copies n strings (NULL becomes "") into cells[at..at+n). */
static int
copy_cells(doc_t *d, char **cells, int at, int n, const char *const *src)
{
    int bad;

    for (int i = 0; i < n; i++) {
        cells[at + i] = copy_text(d, src[i] ? src[i] : "", &bad);
        if (!cells[at + i])
            return -1;
    }
    return 0;
}

int
doc_table(doc_t *d, const char *caption, int ncols, const char *const *header,
          const double *widths, const enum doc_align *align)
{
    struct doc_block *b;
    double sum = 0;
    int bad;

    if (ncols < 1 || ncols > 64 || !header)
        return fail(d, _("a table has 1 to 64 columns and a header"));
    if (!(b = append(d, DOC_K_TABLE)))
        return -1;
    b->ncols = ncols;
    b->cells = calloc((size_t)ncols, sizeof *b->cells);
    b->widths = calloc((size_t)ncols, sizeof *b->widths);
    b->align = calloc((size_t)ncols, sizeof *b->align);
    if (!b->cells || !b->widths || !b->align)
        return fail(d, _("out of memory"));
    if (caption && !(b->text = copy_text(d, caption, &bad)))
        return -1;
    for (int i = 0; i < ncols; i++) {
        b->widths[i] = widths && widths[i] > 0 ? widths[i] : 1.0;
        sum += b->widths[i];
        b->align[i] = align && align[i] >= DOC_LEFT && align[i] <= DOC_RIGHT ? align[i]
                                                                             : DOC_LEFT;
    }
    for (int i = 0; i < ncols; i++)
        b->widths[i] /= sum;
    return copy_cells(d, b->cells, 0, ncols, header);
}

int
doc_table_row(doc_t *d, const char *const *cells)
{
    struct doc_block *b;
    char **nc;

    if (d->failed[0])
        return -1;
    if (d->n == 0 || d->b[d->n - 1].kind != DOC_K_TABLE || !cells)
        return fail(d, _("a table row follows its table"));
    b = &d->b[d->n - 1];
    nc = realloc(b->cells, (size_t)b->ncols * (size_t)(b->nrows + 2) * sizeof *nc);
    if (!nc)
        return fail(d, _("out of memory"));
    b->cells = nc;
    memset(nc + b->ncols * (b->nrows + 1), 0, (size_t)b->ncols * sizeof *nc);
    b->nrows++;
    return copy_cells(d, nc, b->ncols * b->nrows, b->ncols, cells);
}

int
doc_chart(doc_t *d, const struct doc_chart *c)
{
    struct doc_block *b;
    int bad = 0;

    if (!c || c->n < 1 || c->n > 200 || !c->labels || !c->values ||
        c->decimals < 0 || c->decimals > 6)
        return fail(d, _("a chart has 1 to 200 values, each with a label"));
    for (int i = 0; i < c->n; i++)
        if (!(c->values[i] >= 0) || !isfinite(c->values[i]))
            return fail(d, _("a chart's values are finite and not negative"));
    if (!(b = append(d, DOC_K_CHART)))
        return -1;
    b->chart = c->kind;
    b->ncols = c->n;
    b->decimals = c->decimals;
    b->y_max = c->y_max > 0 && isfinite(c->y_max) ? c->y_max : 0;
    b->cells = calloc((size_t)c->n, sizeof *b->cells);
    b->values = malloc((size_t)c->n * sizeof *b->values);
    if (!b->cells || !b->values)
        return fail(d, _("out of memory"));
    memcpy(b->values, c->values, (size_t)c->n * sizeof *b->values);
    if ((c->caption && !(b->text = copy_text(d, c->caption, &bad))) ||
        (c->x_title && !(b->x_title = copy_text(d, c->x_title, &bad))) ||
        (c->y_title && !(b->y_title = copy_text(d, c->y_title, &bad))) ||
        (c->suffix && !(b->suffix = copy_text(d, c->suffix, &bad))))
        return -1;
    if (copy_cells(d, b->cells, 0, c->n, c->labels) < 0)
        return -1;
    d->charts++;
    return 0;
}

int
doc_page_break(doc_t *d)
{
    return append(d, DOC_K_BREAK) ? 0 : -1;
}

int
doc_attachments(doc_t *d, int n, const char *const *names)
{
    struct doc_block *b;

    if (n < 1 || n > 99 || !names)
        return fail(d, _("an attachment note names 1 to 99 attachments"));
    if (!(b = append(d, DOC_K_ATTACH)))
        return -1;
    b->ncols = n;
    if (!(b->cells = calloc((size_t)n, sizeof *b->cells)))
        return fail(d, _("out of memory"));
    return copy_cells(d, b->cells, 0, n, names);
}

int
doc_signature(doc_t *d, const char *issuer, lx_day date)
{
    if (text_block(d, DOC_K_SIGN, issuer) < 0)
        return -1;
    d->b[d->n - 1].date = date;
    return 0;
}

int
doc_imprint(doc_t *d, const char *cc, const char *printer, lx_day date)
{
    int b1, b2;

    if (!printer)
        return fail(d, _("the imprint has no printing body"));
    free(d->cc);
    free(d->printer);
    d->cc = copy_text(d, cc, &b1);
    d->printer = copy_text(d, printer, &b2);
    d->printed = date;
    d->has_imprint = !(b1 || b2);
    return b1 || b2 ? -1 : 0;
}

/* ---- shared by the renderers ------------------------------------------- */

void
doc_date_words(lx_day d, char *out, size_t len)
{
    int y, m, dd;

    days_to_civil(d, &y, &m, &dd);
    snprintf(out, len, "%d年%d月%d日", y, m, dd);
}

double
doc_text_chars(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    double w = 0;

    while (p && *p) {
        uint32_t cp;
        int n;
        if (*p < 0x80) {
            cp = *p;
            n = 1;
        } else if (*p < 0xe0) {
            cp = (uint32_t)(*p & 0x1f) << 6 | (p[1] & 0x3f);
            n = 2;
        } else if (*p < 0xf0) {
            cp = (uint32_t)(*p & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
            n = 3;
        } else {
            cp = 0x10000;
            n = 4;
        }
        w += cp < 0x1100 || (cp >= 0xff61 && cp <= 0xffdc) ? 0.5 : 1.0;
        p += n;
    }
    return w;
}

void
doc_sign_indents(const char *issuer, const char *date, double *issuer_right,
                 double *date_right)
{
    double wn = doc_text_chars(issuer), wd = doc_text_chars(date);

    *issuer_right = 2;
    *date_right = wn - wd;
    if (*date_right < 2) {
        /* The date is the longer: two characters from the right, the
         * issuer centred above it. */
        *date_right = 2;
        *issuer_right = 2 + (wd - wn) / 2;
    }
}

lx_day
doc_date(const doc_t *d)
{
    for (int i = d->n - 1; i >= 0; i--)
        if (d->b[i].kind == DOC_K_SIGN)
            return d->b[i].date;
    if (d->has_imprint)
        return d->printed;
    return 10957;               /* 2000-01-01 */
}

void
doc_xml_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* ---- the chart ------------------------------------------------------------ */

/* A round step (1, 2 or 5 times a power of ten) at least x. */
static double
nice_step(double x)
{
    double e = pow(10, floor(log10(x))), f = x / e;

    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * e;
}

static void
number_words(char *out, size_t len, double v, int decimals, const char *suffix)
{
    snprintf(out, len, "%.*f%s", decimals, v, suffix ? suffix : "");
}

void
doc_chart_draw(const struct doc_block *c, const struct doc_canvas *cv)
{
    const double W = DOC_CHART_W, H = DOC_CHART_H, fs = 13, right = W - 12, top = 34;
    double left = 64, longest = 0;
    const unsigned ink = 0x222222, grid = 0xd0d0d0, fill = 0x4f6f9f;
    double max = 0, ymax, step, slot, bottom;
    int rotate = 0, tick_dec;
    char buf[64];

    for (int i = 0; i < c->ncols; i++)
        if (c->values[i] > max)
            max = c->values[i];
    if (c->y_max > 0) {
        ymax = c->y_max;
        step = nice_step(ymax / 5);
    } else {
        step = max > 0 ? nice_step(max * 1.12 / 5) : 1;
        ymax = max > 0 ? ceil(max * 1.12 / step - 1e-9) * step : 5;
    }
    tick_dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    slot = (right - left) / c->ncols;
    for (int i = 0; i < c->ncols; i++) {
        double w = doc_text_chars(c->cells[i]) * fs;
        if (w > slot * 0.95)
            rotate = 1;
        if (w > longest)
            longest = w;
    }
    /* Turned labels reach down and to the left of their category: room for
     * the longest below the axis, and for the first left of it. */
    if (rotate && longest * 0.77 + 8 - slot * 0.5 > left) {
        left = longest * 0.77 + 8 - slot * 0.5;
        slot = (right - left) / c->ncols;
    }
    /* Room below the axis for the labels, and the axis title when there is one. */
    bottom = H - (rotate ? (longest * 0.65 + fs + 8 > 70 ? longest * 0.65 + fs + 8 : 70) : 30) -
             (c->x_title ? 16 : 0);

    /* Grid, ticks and the value axis. */
    for (int k = 0; k * step <= ymax + step * 1e-6; k++) {
        double y = bottom - (bottom - top) * (k * step) / ymax;
        if (k > 0)
            cv->line(cv->arg, left, y, right, y, 0.8, grid);
        number_words(buf, sizeof buf, k * step, tick_dec, c->suffix);
        cv->text(cv->arg, left - 6, y + fs * 0.35, fs, DOC_RIGHT, 0, buf);
    }
    cv->line(cv->arg, left, top - 6, left, bottom, 1.2, ink);
    cv->line(cv->arg, left, bottom, right, bottom, 1.2, ink);
    /* The value axis's title above it, read across (as 件 or %), from the
     * canvas's left edge so that a long one is never cut. */
    if (c->y_title)
        cv->text(cv->arg, 4, top - 12, fs, DOC_LEFT, 0, c->y_title);
    if (c->x_title)
        cv->text(cv->arg, (left + right) / 2, H - 6, fs, DOC_CENTER, 0, c->x_title);

    /* The categories and their values. */
    for (int i = 0; i < c->ncols; i++) {
        double x = left + slot * (i + 0.5);
        double y = bottom - (bottom - top) * (c->values[i] > ymax ? 1 : c->values[i] / ymax);
        if (rotate)
            cv->text(cv->arg, x + fs * 0.3, bottom + fs + 2, fs, DOC_RIGHT, -40, c->cells[i]);
        else
            cv->text(cv->arg, x, bottom + fs + 6, fs, DOC_CENTER, 0, c->cells[i]);
        number_words(buf, sizeof buf, c->values[i], c->decimals, c->suffix);
        if (c->chart == DOC_BAR) {
            double bw = slot * 0.56 > 56 ? 56 : slot * 0.56;
            cv->rect(cv->arg, x - bw / 2, y, bw, bottom - y, fill);
            cv->text(cv->arg, x, y - 5, fs, DOC_CENTER, 0, buf);
        } else {
            if (i > 0) {
                double px = left + slot * (i - 0.5);
                double pv = c->values[i - 1] > ymax ? ymax : c->values[i - 1];
                cv->line(cv->arg, px, bottom - (bottom - top) * pv / ymax, x, y, 2.2, fill);
            }
        }
    }
    if (c->chart == DOC_LINE)
        for (int i = 0; i < c->ncols; i++) {
            double x = left + slot * (i + 0.5);
            double y = bottom - (bottom - top) * (c->values[i] > ymax ? 1 : c->values[i] / ymax);
            cv->dot(cv->arg, x, y, 3.6, fill);
            number_words(buf, sizeof buf, c->values[i], c->decimals, c->suffix);
            cv->text(cv->arg, x, y - 8, fs, DOC_CENTER, 0, buf);
        }
}
