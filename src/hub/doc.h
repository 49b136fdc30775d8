/* doc.h — an official document (公文) in the GB/T 9704-2012 layout, built
 * block by block in reading order, and rendered as one self-contained HTML
 * file (printed to PDF through Chromium) or as a .docx (WordprocessingML).
 *
 * Every string is UTF-8 and copied; the renderers escape it (callers never
 * do).  A step that fails (out of memory, a string that is not UTF-8, a bad
 * argument) returns -1 and is remembered: the renderers then refuse the
 * document with that reason, so a caller may check only the render. */
#ifndef LX_DOC_H
#define LX_DOC_H

#include <stddef.h>

#include "days.h"

typedef struct doc doc_t;

enum doc_align { DOC_LEFT = 0, DOC_CENTER = 1, DOC_RIGHT = 2 };
enum doc_chart_kind { DOC_BAR = 0, DOC_LINE = 1 };

/* The 版头.  Each field may be NULL (left out) except issuer. */
struct doc_head {
    const char *copy_no;        /* 份号: six digits ("000001"), or NULL */
    const char *secrecy;        /* 密级和保密期限: "内部资料 注意保存", "会后收回" */
    const char *urgency;        /* 紧急程度: "特急", "加急" */
    const char *issuer;         /* 发文机关标志: "中共连平县委组织部" (red, centred) */
    const char *doc_no;         /* 发文字号: "连组通〔2026〕1号" */
};

/* A chart: n categories with one value each.  Values are shown on the bars
 * or points with `decimals` decimals and `suffix` ("%", or NULL).  y_max is
 * the top of the value axis, or 0 for a round number above the largest. */
struct doc_chart {
    enum doc_chart_kind kind;
    const char *caption;        /* below the chart: "图1 各成员单位报备件数" */
    const char *x_title;        /* the category axis's title, or NULL */
    const char *y_title;        /* the value axis's title ("件"), or NULL */
    int n;
    const char *const *labels;  /* n category labels */
    const double *values;       /* n values, >= 0 */
    int decimals;
    const char *suffix;
    double y_max;
};

/* A new, empty document, or NULL when out of memory. */
doc_t *doc_new(void);
/* Frees the document and sets *self_p to NULL; NULL and *NULL are fine. */
void doc_destroy(doc_t **self_p);

/* Each of the following appends one block (the 版头 and the 版记 are placed
 * where the layout puts them, whenever they are given) and returns 0, or -1
 * (remembered: see above). */

/* The 版头: marks at the top left, the issuer in red, the 发文字号, the red rule. */
int doc_head(doc_t *d, const struct doc_head *h);
/* The title (小标宋 2号, centred). */
int doc_title(doc_t *d, const char *title);
/* The 主送机关 ("各成员单位"): a full-width colon is added. */
int doc_addressee(doc_t *d, const char *to);
/* A label flush at the left margin in 黑体, as "附件" above an attachment's title. */
int doc_label(doc_t *d, const char *text);
/* A heading of level 1-4, numbered by the document: 一、 (黑体), （一） (楷体),
 * 1. (仿宋 bold), （1） (仿宋).  A heading restarts the numbers below it. */
int doc_heading(doc_t *d, int level, const char *text);
/* A paragraph of body text (仿宋 3号, first line indented two characters). */
int doc_para(doc_t *d, const char *text);
/* A table: the caption (above it, or NULL), ncols header cells, the columns'
 * widths as fractions of the text width (NULL: equal), their alignments
 * (NULL: left).  Rows follow with doc_table_row. */
int doc_table(doc_t *d, const char *caption, int ncols, const char *const *header,
              const double *widths, const enum doc_align *align);
/* A row of the last block, which must be a table: its ncols cells (NULL: empty). */
int doc_table_row(doc_t *d, const char *const *cells);
/* A chart (copied): inline SVG in HTML, a PNG image in the .docx. */
int doc_chart(doc_t *d, const struct doc_chart *c);
/* The next block starts a new page. */
int doc_page_break(doc_t *d);
/* The 附件说明: "附件：1．name" for each of the n attachments. */
int doc_attachments(doc_t *d, int n, const char *const *names);
/* The 落款: the issuing body and the date (成文日期), at the right. */
int doc_signature(doc_t *d, const char *issuer, lx_day date);
/* The 版记 at the foot of the last page: 抄送 (or NULL), the 印发机关 and the
 * 印发日期, between rules. */
int doc_imprint(doc_t *d, const char *cc, const char *printer, lx_day date);

/* Renders the document as one HTML file (A4 print CSS, fonts named first as
 * an office installs them, inline SVG charts) into malloc'd *out (*len
 * bytes, NUL-terminated).  The same document gives the same bytes.  Returns
 * 0, or -1 with a sentence in err (nothing in *out). */
int doc_render_html(const doc_t *d, char **out, size_t *len, char *err, size_t errlen);
/* Renders the document as Markdown (its text and tables: headings as ##
 * and ###, a table as a pipe table with its caption above, a chart as its
 * caption and values in a line; the 版头 and 版记 as plain lines), into
 * malloc'd *out.  Returns 0, or -1 with a sentence in err. */
int doc_render_md(const doc_t *d, char **out, size_t *len, char *err, size_t errlen);
/* Renders the document as a .docx into malloc'd *out (*len bytes): fixed
 * timestamps and order inside the zip, so the same document gives the same
 * bytes.  Returns 0, or -1 with a sentence in err. */
int doc_render_docx(const doc_t *d, char **out, size_t *len, char *err, size_t errlen);

/* Releases what the charts' fonts keep for the life of the process
 * (fontconfig's and pango's caches), so that a leak checker sees none: call
 * it at exit, after the last render, if at all. */
void doc_shutdown(void);

#endif
