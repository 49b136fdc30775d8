/* doc_html.c — the official document as one self-contained HTML file whose
 * print CSS lays out A4 pages as GB/T 9704-2012 does (Chromium prints it). */
#include "doc.h"
#include "doc_priv.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

/* The fonts: first as an office installs them (Windows, WPS, 方正), then the
 * free ones (Debian's fonts-noto-cjk; the Fandol fonts of texlive-lang-chinese). */
#define FONT_FANG "\"仿宋_GB2312\", \"仿宋\", \"FangSong_GB2312\", \"FangSong\", " \
                  "\"FandolFang\", \"Noto Serif CJK SC\", serif"
#define FONT_KAI  "\"楷体_GB2312\", \"楷体\", \"KaiTi_GB2312\", \"KaiTi\", \"FandolKai\", " \
                  "\"Noto Serif CJK SC\", serif"
#define FONT_HEI  "\"黑体\", \"SimHei\", \"FandolHei\", \"Noto Sans CJK SC\", sans-serif"
#define FONT_XBS  "\"方正小标宋简体\", \"方正小标宋_GBK\", \"FZXiaoBiaoSong-B05S\", \"华文中宋\", " \
                  "\"STZhongsong\", \"lx-xbs\", serif"
#define FONT_SONG "\"宋体\", \"SimSun\", \"FandolSong\", \"Noto Serif CJK SC\", serif"

static const char css[] =
    /* The page: A4, 天头 37 mm, 订口 28 mm, text block 156 x 225 mm;
     * page numbers 4号 "— 1 —" 7 mm below it, one character in from the
     * outer edge (odd pages right, even pages left). */
    "@page { size: 210mm 297mm; margin: 37mm 26mm 35mm 28mm; }\n"
    "@page :right { @bottom-right { content: \"— \" counter(page) \" —\"; "
    "font-family: " FONT_SONG "; font-size: 14pt; vertical-align: top; text-align: right; "
    "padding-top: 7mm; padding-right: 1em; } }\n"
    "@page :left { @bottom-left { content: \"— \" counter(page) \" —\"; "
    "font-family: " FONT_SONG "; font-size: 14pt; vertical-align: top; text-align: left; "
    "padding-top: 7mm; padding-left: 1em; } }\n"
    /* 小标宋's stand-in where 方正's is not installed: a bold serif. */
    "@font-face { font-family: \"lx-xbs\"; src: local(\"FandolSong-Bold\"), "
    "local(\"Noto Serif CJK SC Bold\"), local(\"NotoSerifCJKsc-Bold\"); }\n"
    /* 22 lines of 28 characters: 3号 (16 pt) on a pitch of 225 mm / 22. */
    ":root { --line: calc(225mm / 22); --ch: calc(156mm / 28); }\n"
    "html { background: #fff; color: #000; }\n"
    "body { margin: 0; font-family: " FONT_FANG "; font-size: 16pt; line-height: var(--line); "
    "letter-spacing: -0.21pt; text-align: justify; -webkit-print-color-adjust: exact; "
    "print-color-adjust: exact; }\n"
    "@media screen { body { width: 156mm; margin: 10mm auto; } }\n"
    "p, h1, h2, h3, h4, h5 { margin: 0; font-size: 16pt; font-weight: normal; "
    "line-height: var(--line); }\n"
    "p.body, h2, h3, h4, h5 { text-indent: calc(2 * var(--ch)); }\n"
    "h2 { font-family: " FONT_HEI "; }\n"
    "h3 { font-family: " FONT_KAI "; }\n"
    "h4 { font-family: " FONT_FANG "; font-weight: bold; }\n"
    "h5 { font-family: " FONT_FANG "; }\n"
    "h2, h3, h4, h5 { break-after: avoid; }\n"
    "h1.title { font-family: " FONT_XBS "; font-size: 22pt; line-height: calc(var(--line) * 1.25); "
    "text-align: center; margin: var(--line) 0; }\n"
    "p.to { margin-top: 0; }\n"
    "p.label { margin: 0; text-indent: 0; font-family: " FONT_HEI "; }\n"
    ".head .marks { height: 35mm; font-family: " FONT_HEI "; }\n"
    ".head .marks .copy { font-family: " FONT_FANG "; }\n"
    ".head .issuer { font-family: " FONT_XBS "; color: #e60012; text-align: center; "
    "line-height: 1.2; letter-spacing: 0.05em; }\n"
    ".head .docno { text-align: center; margin-top: calc(var(--line) * 2 - 1.2em); }\n"
    ".head .rule { border-top: 0.5mm solid #e60012; margin-top: 4mm; }\n"
    "table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0 4mm; "
    "font-size: 10.5pt; line-height: 1.4; letter-spacing: 0; }\n"
    "p.cap { margin: 0; font-family: " FONT_HEI "; font-size: 14pt; line-height: var(--line); "
    "text-align: center; text-indent: 0; break-after: avoid; }\n"
    "div.whole { break-inside: avoid; }\n"
    "th, td { border: 0.5pt solid #000; padding: 0.6mm 1.2mm; vertical-align: middle; "
    "overflow-wrap: anywhere; }\n"
    "th { font-family: " FONT_HEI "; font-weight: normal; text-align: center; }\n"
    "tr { break-inside: avoid; }\n"
    "td.c { text-align: center; } td.r { text-align: right; } td.l { text-align: left; }\n"
    "figure { margin: 2mm 0 4mm; break-inside: avoid; text-align: center; }\n"
    "figure svg { width: 150mm; height: 75mm; }\n"
    "figure svg text { font-family: " FONT_HEI "; letter-spacing: 0; }\n"
    "figcaption { font-family: " FONT_HEI "; font-size: 14pt; line-height: var(--line); }\n"
    ".pb { break-after: page; }\n"
    ".attach { margin-top: var(--line); }\n"
    ".attach p { padding-left: calc(5 * var(--ch)); text-indent: calc(-3 * var(--ch)); }\n"
    ".attach p + p { text-indent: 0; }\n"
    ".sign { margin-top: var(--line); text-align: right; break-inside: avoid; }\n"
    /* The 版记 on a page of its own, at its foot, between rules. */
    ".imprint-page { break-before: page; height: 224mm; display: flex; "
    "flex-direction: column; justify-content: flex-end; }\n"
    ".imprint { font-size: 14pt; line-height: 1.6; letter-spacing: 0; }\n"
    ".imprint p { margin: 0; padding: 1mm 1em; }\n"
    ".imprint .cc { padding-left: 1em; }\n"
    ".imprint .pr { display: flex; justify-content: space-between; }\n"
    ".imprint .thick { border-top: 0.35mm solid #000; }\n"
    ".imprint .thin { border-top: 0.25mm solid #000; }\n";

static void
esc(FILE *f, const char *s)
{
    doc_xml_text(f, s);
}

/* ---- the chart as SVG ------------------------------------------------------ */

static void
svg_line(void *arg, double x1, double y1, double x2, double y2, double w, unsigned rgb)
{
    fprintf(arg, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#%06x\" "
            "stroke-width=\"%.1f\"/>\n", x1, y1, x2, y2, rgb, w);
}

static void
svg_rect(void *arg, double x, double y, double w, double h, unsigned rgb)
{
    fprintf(arg, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#%06x\"/>\n",
            x, y, w, h, rgb);
}

static void
svg_dot(void *arg, double x, double y, double r, unsigned rgb)
{
    fprintf(arg, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#%06x\"/>\n", x, y, r, rgb);
}

static void
svg_text(void *arg, double x, double y, double size, enum doc_align anchor, double angle,
         const char *s)
{
    FILE *f = arg;

    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"%s\"", x, y, size,
            anchor == DOC_LEFT ? "start" : anchor == DOC_CENTER ? "middle" : "end");
    if (angle != 0)
        fprintf(f, " transform=\"rotate(%.1f %.1f %.1f)\"", angle, x, y);
    fputs(">", f);
    esc(f, s);
    fputs("</text>\n", f);
}

static void
chart(FILE *f, const struct doc_block *b)
{
    struct doc_canvas cv = { f, svg_line, svg_rect, svg_dot, svg_text };

    fprintf(f, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
            "role=\"img\"", DOC_CHART_W, DOC_CHART_H);
    if (b->text) {
        fputs(" aria-label=\"", f);
        esc(f, b->text);
        fputs("\"", f);
    }
    fputs(">\n", f);
    doc_chart_draw(b, &cv);
    fputs("</svg>", f);
    if (b->text) {
        fputs("<figcaption>", f);
        esc(f, b->text);
        fputs("</figcaption>", f);
    }
    fputs("</figure>\n", f);
}

/* ---- the blocks ------------------------------------------------------------ */

static void
head(FILE *f, const doc_t *d)
{
    double chars = doc_text_chars(d->issuer), pt = 42;

    /* The issuer on one line: at most 42 pt, at most 150 mm wide. */
    if (chars > 0 && chars * pt > 150 * 72 / 25.4)
        pt = 150 * 72 / 25.4 / chars / 1.05;
    fputs("<header class=\"head\"><div class=\"marks\">", f);
    if (d->copy_no) {
        fputs("<p class=\"copy\">", f);
        esc(f, d->copy_no);
        fputs("</p>", f);
    }
    if (d->secrecy) {
        fputs("<p>", f);
        esc(f, d->secrecy);
        fputs("</p>", f);
    }
    if (d->urgency) {
        fputs("<p>", f);
        esc(f, d->urgency);
        fputs("</p>", f);
    }
    fprintf(f, "</div>\n<p class=\"issuer\" style=\"font-size: %.1fpt\">", pt);
    esc(f, d->issuer);
    fputs("</p>\n", f);
    if (d->doc_no) {
        fputs("<p class=\"docno\">", f);
        esc(f, d->doc_no);
        fputs("</p>\n", f);
    }
    fputs("<div class=\"rule\"></div></header>\n", f);
}

static void
table(FILE *f, const struct doc_block *b)
{
    static const char *const cls[] = { "l", "c", "r" };

    /* A short table goes to the next page whole; a long one keeps its
     * caption with its first rows (the header repeats on every page). */
    fputs(b->nrows <= 6 ? "<div class=\"tbl whole\">" : "<div class=\"tbl\">", f);
    if (b->text) {
        fputs("<p class=\"cap\">", f);
        esc(f, b->text);
        fputs("</p>", f);
    }
    fputs("<table>", f);
    fputs("<colgroup>", f);
    for (int i = 0; i < b->ncols; i++)
        fprintf(f, "<col style=\"width: %.2f%%\">", 100 * b->widths[i]);
    fputs("</colgroup>\n<thead><tr>", f);
    for (int i = 0; i < b->ncols; i++) {
        fputs("<th>", f);
        esc(f, b->cells[i]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (int r = 1; r <= b->nrows; r++) {
        fputs("<tr>", f);
        for (int i = 0; i < b->ncols; i++) {
            fprintf(f, "<td class=\"%s\">", cls[b->align[i]]);
            esc(f, b->cells[r * b->ncols + i]);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
}

static void
attachments(FILE *f, const struct doc_block *b)
{
    fputs("<div class=\"attach\">", f);
    for (int i = 0; i < b->ncols; i++) {
        fputs(i == 0 ? "<p>附件：" : "<p>", f);
        if (b->ncols > 1)
            fprintf(f, "%d.", i + 1);
        esc(f, b->cells[i]);
        fputs("</p>", f);
    }
    fputs("</div>\n", f);
}

static void
signature(FILE *f, const struct doc_block *b)
{
    char date[64];
    double ri, rd;

    doc_date_words(b->date, date, sizeof date);
    doc_sign_indents(b->text, date, &ri, &rd);
    fprintf(f, "<div class=\"sign\"><p style=\"padding-right: calc(%.2f * var(--ch))\">", ri);
    esc(f, b->text);
    fprintf(f, "</p><p style=\"padding-right: calc(%.2f * var(--ch))\">%s</p></div>\n", rd, date);
}

static void
imprint(FILE *f, const doc_t *d)
{
    char date[64];

    doc_date_words(d->printed, date, sizeof date);
    fputs("<div class=\"imprint-page\"><div class=\"imprint\">", f);
    if (d->cc) {
        fputs("<div class=\"thick\"></div><p class=\"cc\">抄送：", f);
        esc(f, d->cc);
        fputs("</p><div class=\"thin\"></div>", f);
    } else {
        fputs("<div class=\"thick\"></div>", f);
    }
    fputs("<p class=\"pr\"><span>", f);
    esc(f, d->printer);
    fprintf(f, "</span><span>%s印发</span></p><div class=\"thick\"></div></div></div>\n", date);
}

static void
block(FILE *f, const struct doc_block *b)
{
    switch (b->kind) {
    case DOC_K_TITLE:
        fputs("<h1 class=\"title\">", f);
        esc(f, b->text);
        fputs("</h1>\n", f);
        break;
    case DOC_K_TO:
        fputs("<p class=\"to\">", f);
        esc(f, b->text);
        fputs("：</p>\n", f);
        break;
    case DOC_K_HEADING:
        fprintf(f, "<h%d>", b->level + 1);
        esc(f, b->text);
        fprintf(f, "</h%d>\n", b->level + 1);
        break;
    case DOC_K_LABEL:
        fputs("<p class=\"label\">", f);
        esc(f, b->text);
        fputs("</p>\n", f);
        break;
    case DOC_K_PARA:
        fputs("<p class=\"body\">", f);
        esc(f, b->text);
        fputs("</p>\n", f);
        break;
    case DOC_K_TABLE:
        table(f, b);
        break;
    case DOC_K_CHART:
        chart(f, b);
        break;
    case DOC_K_BREAK:
        fputs("<div class=\"pb\"></div>\n", f);
        break;
    case DOC_K_ATTACH:
        attachments(f, b);
        break;
    case DOC_K_SIGN:
        signature(f, b);
        break;
    }
}

int
doc_render_html(const doc_t *d, char **out, size_t *len, char *err, size_t errlen)
{
    const char *title = NULL;
    char *buf = NULL;
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
    for (int i = 0; i < d->n && !title; i++)
        if (d->b[i].kind == DOC_K_TITLE)
            title = d->b[i].text;
    if (!title)
        title = d->issuer ? d->issuer : "";
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
    esc(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
    if (d->has_head)
        head(f, d);
    for (int i = 0; i < d->n; i++)
        block(f, &d->b[i]);
    if (d->has_imprint)
        imprint(f, d);
    fputs("</body>\n</html>\n", f);
    if (ferror(f) | fclose(f)) {
        free(buf);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}
