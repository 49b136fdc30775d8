/* doc_priv.h — the document model's blocks as its two renderers
 * (doc_html.c, doc_docx.c) read them, and what they share: numbering,
 * dates, the 落款's indents and the chart's geometry.  Not for callers. */
#ifndef LX_DOC_PRIV_H
#define LX_DOC_PRIV_H

#include <stdio.h>

/* The includer includes doc.h first (this header does not, so that doc.c
 * including it is no cycle). */

enum doc_kind {
    DOC_K_TITLE, DOC_K_TO, DOC_K_HEADING, DOC_K_PARA, DOC_K_TABLE, DOC_K_CHART,
    DOC_K_BREAK, DOC_K_ATTACH, DOC_K_SIGN, DOC_K_LABEL
};

struct doc_block {
    enum doc_kind kind;
    int level;                  /* heading: 1-4 */
    char *text;                 /* title, addressee, para, heading (with its number), issuer */
    lx_day date;                /* signature */
    /* table: ncols header cells then nrows * ncols cells; attachments: n names */
    int ncols, nrows;
    char **cells;
    double *widths;             /* ncols fractions summing to 1 */
    enum doc_align *align;
    /* chart */
    enum doc_chart_kind chart;
    char *x_title, *y_title, *suffix;
    double *values;
    int decimals;
    double y_max;
};

struct doc {
    struct doc_block *b;
    int n, cap;
    int has_head;
    char *copy_no, *secrecy, *urgency, *issuer, *doc_no;
    int has_imprint;
    char *cc, *printer;
    lx_day printed;
    int num[4];                 /* the heading numbers */
    int charts;
    char failed[160];           /* the first step that failed, or "" */
};

/* "2026年12月25日" into out (at least 32 bytes). */
void doc_date_words(lx_day d, char *out, size_t len);
/* The width of s in characters of the body font: CJK and full-width count
 * 1, other characters 1/2. */
double doc_text_chars(const char *s);
/* The right indents of the 落款's two lines, in characters (GB/T 9704
 * 7.3.5.2: the issuer two characters from the right, the date starting two
 * characters right of the issuer's first). */
void doc_sign_indents(const char *issuer, const char *date, double *issuer_right,
                      double *date_right);
/* The document's date (the 落款's, else the 版记's, else 2000-01-01). */
lx_day doc_date(const doc_t *d);

/* The chart is drawn on a canvas of DOC_CHART_W x DOC_CHART_H units
 * (150 mm x 75 mm at 4 units a millimetre) by doc_chart_draw through these
 * primitives: SVG text in HTML, cairo in the .docx. */
#define DOC_CHART_W 600.0
#define DOC_CHART_H 300.0
struct doc_canvas {
    void *arg;
    /* A line of width w (units) in colour rgb (0xRRGGBB). */
    void (*line)(void *arg, double x1, double y1, double x2, double y2, double w,
                 unsigned rgb);
    void (*rect)(void *arg, double x, double y, double w, double h, unsigned rgb);
    void (*dot)(void *arg, double x, double y, double r, unsigned rgb);
    /* Text of size `size` with its anchor (DOC_LEFT/CENTER/RIGHT) at x and its
     * baseline at y, turned by `angle` degrees (clockwise) around (x, y). */
    void (*text)(void *arg, double x, double y, double size, enum doc_align anchor,
                 double angle, const char *s);
};
void doc_chart_draw(const struct doc_block *c, const struct doc_canvas *cv);

/* Writes s to f escaped for XML text and attributes (< > & " '). */
void doc_xml_text(FILE *f, const char *s);

#endif
