/* doc_docx.c — the official document as a .docx: WordprocessingML parts in
 * a zip (libzip) with the GB/T 9704-2012 page, styles for its levels, page
 * numbers at the outer edges, and the charts as PNG images (cairo, pango). */
#include "doc.h"
#include "doc_priv.h"
#include "i18n.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* The page in twips: A4; margins 37/35/28/26 mm; the text block 156 mm wide
 * (8844), 22 lines of 28 characters: a line pitch of 225 mm / 22 (579) and
 * a character pitch of 16 pt - 849/4096 pt (442.2 pt / 28). */
#define PAGE_W 11906
#define PAGE_H 16838
#define TEXT_W 8844
#define LINE 579
#define CHAR 316                /* one character of the body, in twips */

#define FONT_FANG "仿宋_GB2312"
#define FONT_KAI "楷体_GB2312"
#define FONT_HEI "黑体"
#define FONT_XBS "方正小标宋简体"
#define FONT_SONG "宋体"
#define FONT_LATIN "Times New Roman"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

static void
esc(FILE *f, const char *s)
{
    doc_xml_text(f, s);
}

/* ---- paragraphs -------------------------------------------------------------- */

/* A paragraph's properties, written in the order the schema wants. */
struct ppr {
    const char *style;
    int keep_next;
    int page_before;            /* starts a page */
    const char *border;         /* a w:pBdr element, or NULL */
    int tab_right;              /* a right tab at this position, or 0 */
    int snap_off;
    int before, after;          /* twips; 0: the style's */
    int left, right, hanging;   /* twips; 0: the style's */
    int line;                   /* line spacing in 240ths (auto), or 0: the style's */
    int exact;                  /* line spacing of exactly this many twips, or 0 */
    int flush;                  /* no first-line indent */
    const char *jc;
};

#define PPR(...) ((struct ppr){ __VA_ARGS__ })

static void
ppr(FILE *f, const struct ppr *p)
{
    fputs("<w:pPr>", f);
    if (p->style)
        fprintf(f, "<w:pStyle w:val=\"%s\"/>", p->style);
    if (p->keep_next)
        fputs("<w:keepNext/>", f);
    if (p->page_before)
        fputs("<w:pageBreakBefore/>", f);
    if (p->border)
        fputs(p->border, f);
    if (p->tab_right)
        fprintf(f, "<w:tabs><w:tab w:val=\"right\" w:pos=\"%d\"/></w:tabs>", p->tab_right);
    if (p->snap_off)
        fputs("<w:snapToGrid w:val=\"0\"/>", f);
    if (p->before > 0 || p->after > 0 || p->line > 0 || p->exact > 0) {
        fputs("<w:spacing", f);
        if (p->before > 0)
            fprintf(f, " w:before=\"%d\"", p->before);
        if (p->after > 0)
            fprintf(f, " w:after=\"%d\"", p->after);
        if (p->exact > 0)
            fprintf(f, " w:line=\"%d\" w:lineRule=\"exact\"", p->exact);
        else if (p->line > 0)
            fprintf(f, " w:line=\"%d\" w:lineRule=\"auto\"", p->line);
        fputs("/>", f);
    }
    if (p->left > 0 || p->right > 0 || p->flush || p->hanging > 0) {
        fputs("<w:ind", f);
        if (p->left > 0)
            fprintf(f, " w:left=\"%d\"", p->left);
        if (p->right > 0)
            fprintf(f, " w:right=\"%d\"", p->right);
        if (p->hanging > 0)
            fprintf(f, " w:hanging=\"%d\"", p->hanging);
        else if (p->flush)
            fputs(" w:firstLine=\"0\"", f);
        fputs("/>", f);
    }
    if (p->jc)
        fprintf(f, "<w:jc w:val=\"%s\"/>", p->jc);
    fputs("</w:pPr>", f);
}

/* A run of text; rpr is a w:rPr element or "". */
static void
run(FILE *f, const char *rpr, const char *text)
{
    fprintf(f, "<w:r>%s<w:t xml:space=\"preserve\">", rpr);
    esc(f, text);
    fputs("</w:t></w:r>", f);
}

static void
para(FILE *f, const struct ppr *p, const char *rpr, const char *text)
{
    fputs("<w:p>", f);
    ppr(f, p);
    if (text)
        run(f, rpr, text);
    fputs("</w:p>\n", f);
}

#define RFONTS(ea) "<w:rFonts w:ascii=\"" FONT_LATIN "\" w:hAnsi=\"" FONT_LATIN "\" " \
                   "w:eastAsia=\"" ea "\" w:cs=\"" FONT_LATIN "\"/>"

/* ---- the blocks -------------------------------------------------------------- */

static void
head(FILE *f, const doc_t *d)
{
    static const char rule[] = "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"11\" "
                               "w:color=\"E60012\"/></w:pBdr>";
    double chars = doc_text_chars(d->issuer), pt = 42;
    int lines = 0;
    char rpr[256];

    if (d->copy_no)
        para(f, &PPR(.flush = 1, .jc = "left"), "", d->copy_no), lines++;
    if (d->secrecy)
        para(f, &PPR(.flush = 1, .jc = "left"), "<w:rPr>" RFONTS(FONT_HEI) "</w:rPr>",
             d->secrecy), lines++;
    if (d->urgency)
        para(f, &PPR(.flush = 1, .jc = "left"), "<w:rPr>" RFONTS(FONT_HEI) "</w:rPr>",
             d->urgency), lines++;
    if (chars > 0 && chars * pt > 150 * 72 / 25.4)
        pt = 150 * 72 / 25.4 / chars / 1.05;
    /* The issuer's top 35 mm below the text block's. */
    snprintf(rpr, sizeof rpr, "<w:rPr>" RFONTS(FONT_XBS) "<w:color w:val=\"E60012\"/>"
             "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>", (int)lround(pt * 2),
             (int)lround(pt * 2));
    para(f, &PPR(.border = d->doc_no ? NULL : rule, .snap_off = 1, .line = 240,
                 .before = lines * LINE < 1984 ? 1984 - lines * LINE : 0, .flush = 1,
                 .jc = "center"), rpr, d->issuer);
    if (d->doc_no)
        para(f, &PPR(.border = rule, .before = 2 * LINE, .flush = 1, .jc = "center"), "",
             d->doc_no);
}

static void
table(FILE *f, const struct doc_block *b)
{
    static const char *const jc[] = { "left", "center", "right" };
    int w[64];

    if (b->text)
        para(f, &PPR(.style = "Caption", .keep_next = 1), "", b->text);
    fputs("<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:jc w:val=\"center\"/>"
          "<w:tblBorders>", f);
    for (int i = 0; i < 6; i++)
        fprintf(f, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
                (const char *[]){ "top", "left", "bottom", "right", "insideH", "insideV" }[i]);
    fputs("</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar>"
          "<w:left w:w=\"68\" w:type=\"dxa\"/><w:right w:w=\"68\" w:type=\"dxa\"/>"
          "</w:tblCellMar></w:tblPr><w:tblGrid>", f);
    for (int i = 0, used = 0; i < b->ncols; i++) {
        w[i] = i == b->ncols - 1 ? TEXT_W - used : (int)lround(b->widths[i] * TEXT_W);
        used += w[i];
        fprintf(f, "<w:gridCol w:w=\"%d\"/>", w[i]);
    }
    fputs("</w:tblGrid>\n", f);
    for (int r = 0; r <= b->nrows; r++) {
        fputs("<w:tr><w:trPr><w:cantSplit/>", f);
        if (r == 0)
            fputs("<w:tblHeader/>", f);
        fputs("</w:trPr>", f);
        for (int i = 0; i < b->ncols; i++) {
            fprintf(f, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/><w:vAlign "
                    "w:val=\"center\"/></w:tcPr>", w[i]);
            para(f, &PPR(.style = "TableText", .jc = r == 0 ? "center" : jc[b->align[i]]),
                 r == 0 ? "<w:rPr>" RFONTS(FONT_HEI) "</w:rPr>" : "",
                 b->cells[r * b->ncols + i]);
            fputs("</w:tc>", f);
        }
        fputs("</w:tr>\n", f);
    }
    fputs("</w:tbl>\n", f);
}

/* The chart's image: 150 x 75 mm in EMU. */
#define CHART_CX 5400000L
#define CHART_CY 2700000L

static void
chart(FILE *f, const struct doc_block *b, int k)
{
    fputs("<w:p>", f);
    ppr(f, &PPR(.keep_next = 1, .snap_off = 1, .before = 60, .line = 240, .flush = 1,
                .jc = "center"));
    fprintf(f, "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
            "<wp:extent cx=\"%ld\" cy=\"%ld\"/><wp:docPr id=\"%d\" name=\"chart%d\" descr=\"",
            CHART_CX, CHART_CY, k, k);
    esc(f, b->text ? b->text : "");
    fprintf(f, "\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/>"
            "</wp:cNvGraphicFramePr><a:graphic><a:graphicData "
            "uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>"
            "<pic:nvPicPr><pic:cNvPr id=\"%d\" name=\"chart%d.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
            "<pic:blipFill><a:blip r:embed=\"rIdChart%d\"/><a:stretch><a:fillRect/></a:stretch>"
            "</pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"%ld\" "
            "cy=\"%ld\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>"
            "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>\n",
            k, k, k, CHART_CX, CHART_CY);
    if (b->text)
        para(f, &PPR(.style = "Caption", .after = 120), "", b->text);
}

static void
attachments(FILE *f, const struct doc_block *b)
{
    for (int i = 0; i < b->ncols; i++) {
        char num[16] = "";
        fputs("<w:p>", f);
        ppr(f, &PPR(.before = i == 0 ? LINE : 0, .left = 5 * CHAR,
                    .hanging = i == 0 ? 3 * CHAR : 0, .flush = 1));
        if (i == 0)
            run(f, "", "附件：");
        if (b->ncols > 1) {
            snprintf(num, sizeof num, "%d.", i + 1);
            run(f, "", num);
        }
        run(f, "", b->cells[i]);
        fputs("</w:p>\n", f);
    }
}

static void
signature(FILE *f, const struct doc_block *b)
{
    char date[64];
    double ri, rd;

    doc_date_words(b->date, date, sizeof date);
    doc_sign_indents(b->text, date, &ri, &rd);
    para(f, &PPR(.keep_next = 1, .before = LINE, .right = (int)lround(ri * CHAR), .flush = 1,
                 .jc = "right"), "", b->text);
    para(f, &PPR(.right = (int)lround(rd * CHAR), .flush = 1, .jc = "right"), "", date);
}

/* The 版记 at the foot of a page of its own (as in the HTML: neither Word
 * nor LibreOffice can be told "the foot of the last page" alike): a spacer
 * of exact height starts the page, then its lines, ruled above (thick),
 * between (thin) and below (thick). */
#define IMPRINT_LINE 600
static void
imprint(FILE *f, const doc_t *d)
{
    static const char rpr[] = "<w:rPr><w:spacing w:val=\"0\"/><w:sz w:val=\"28\"/>"
                              "<w:szCs w:val=\"28\"/></w:rPr>";
#define BDR(side, sz) "<w:" side " w:val=\"single\" w:sz=\"" sz "\" w:space=\"1\" w:color=\"000000\"/>"
    static const char both_thick[] = "<w:pBdr>" BDR("top", "8") BDR("bottom", "8") "</w:pBdr>";
    static const char top_thin[] = "<w:pBdr>" BDR("top", "8") BDR("bottom", "6") "</w:pBdr>";
    static const char bottom_thick[] = "<w:pBdr>" BDR("bottom", "8") "</w:pBdr>";
#undef BDR
    char date[80];
    int rows = d->cc ? 2 : 1;

    doc_date_words(d->printed, date, sizeof date);
    strcat(date, "印发");
    fputs("<w:p>", f);
    ppr(f, &PPR(.page_before = 1, .snap_off = 1, .exact = 12756 - rows * IMPRINT_LINE - 500,
                .flush = 1));
    fputs("</w:p>\n", f);
    if (d->cc) {
        fputs("<w:p>", f);
        ppr(f, &PPR(.border = top_thin, .snap_off = 1, .exact = IMPRINT_LINE, .left = 280,
                    .right = 280, .flush = 1, .jc = "left"));
        run(f, rpr, "抄送：");
        run(f, rpr, d->cc);
        fputs("</w:p>\n", f);
    }
    fputs("<w:p>", f);
    ppr(f, &PPR(.border = d->cc ? bottom_thick : both_thick, .tab_right = TEXT_W - 280,
                .snap_off = 1, .exact = IMPRINT_LINE, .left = 280, .right = 280, .flush = 1,
                .jc = "left"));
    run(f, rpr, d->printer);
    fprintf(f, "<w:r>%s<w:tab/></w:r>", rpr);
    run(f, rpr, date);
    fputs("</w:p>\n", f);
}

static int
document_xml(FILE *f, const doc_t *d)
{
    int k = 0, have_head = d->has_head;

    fputs(XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\" "
          "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
          "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
          "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
          "<w:body>\n", f);
    if (d->has_head)
        head(f, d);
    for (int i = 0; i < d->n; i++) {
        const struct doc_block *b = &d->b[i];
        switch (b->kind) {
        case DOC_K_TITLE:
            para(f, &PPR(.style = "Title", .before = have_head ? 2 * LINE : 0), "", b->text);
            have_head = 0;
            break;
        case DOC_K_TO:
            fputs("<w:p>", f);
            ppr(f, &PPR(.flush = 1));
            run(f, "", b->text);
            run(f, "", "：");
            fputs("</w:p>\n", f);
            break;
        case DOC_K_HEADING: {
            char style[16];
            snprintf(style, sizeof style, "Heading%d", b->level);
            para(f, &PPR(.style = style), "", b->text);
            break;
        }
        case DOC_K_LABEL:
            para(f, &PPR(.flush = 1, .jc = "left"), "<w:rPr>" RFONTS(FONT_HEI) "</w:rPr>",
                 b->text);
            break;
        case DOC_K_PARA:
            para(f, &PPR(.style = NULL), "", b->text);
            break;
        case DOC_K_TABLE:
            table(f, b);
            break;
        case DOC_K_CHART:
            chart(f, b, ++k);
            break;
        case DOC_K_BREAK:
            fputs("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>\n", f);
            break;
        case DOC_K_ATTACH:
            attachments(f, b);
            break;
        case DOC_K_SIGN:
            signature(f, b);
            break;
        }
    }
    if (d->has_imprint)
        imprint(f, d);
    /* The body ends with a paragraph (after a table Word wants one). */
    fprintf(f, "<w:p><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"20\" "
            "w:lineRule=\"exact\"/></w:pPr></w:p>\n"
            "<w:sectPr><w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>"
            "<w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>"
            "<w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" "
            "w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"1247\" w:gutter=\"0\"/>"
            "<w:cols w:space=\"425\"/><w:docGrid w:type=\"linesAndChars\" w:linePitch=\"%d\" "
            "w:charSpace=\"-849\"/></w:sectPr></w:body></w:document>\n", PAGE_W, PAGE_H, LINE);
    return k;
}

/* ---- the other parts ---------------------------------------------------------- */

static void
style(FILE *f, const char *type, const char *id, const char *name, const char *based,
      int outline, const char *ppr_xml, const char *rpr_xml)
{
    fprintf(f, "<w:style w:type=\"%s\"%s w:styleId=\"%s\"><w:name w:val=\"%s\"/>", type,
            strcmp(id, "Normal") == 0 ? " w:default=\"1\"" : "", id, name);
    if (based)
        fprintf(f, "<w:basedOn w:val=\"%s\"/>", based);
    if (based && outline < 0)
        fputs("<w:next w:val=\"Normal\"/>", f);
    fputs("<w:qFormat/>", f);
    fputs("<w:pPr>", f);
    fputs(ppr_xml, f);
    if (outline >= 0)
        fprintf(f, "<w:outlineLvl w:val=\"%d\"/>", outline);
    fprintf(f, "</w:pPr><w:rPr>%s</w:rPr></w:style>\n", rpr_xml);
}

static void
styles_xml(FILE *f)
{
    fputs(XML_DECL "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>"
          RFONTS(FONT_FANG) "<w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"
          "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
          "<w:pPrDefault><w:pPr><w:adjustRightInd w:val=\"0\"/><w:spacing w:before=\"0\" "
          "w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>"
          "</w:docDefaults>\n", f);
    /* The body: 仿宋 3号, justified, the first line two characters in.  Its
     * paragraphs do not snap to the section's grid (LibreOffice gives a 16 pt
     * character two cells of a 15.8 pt grid): the line pitch is exact and the
     * characters 0.25 pt closer, so that Word, WPS and LibreOffice alike set
     * 22 lines of 28 characters; the grid still says 22 x 28 in page setup. */
    style(f, "paragraph", "Normal", "Normal", NULL, -1,
          "<w:widowControl w:val=\"0\"/><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"579\" "
          "w:lineRule=\"exact\"/><w:ind w:firstLine=\"632\"/><w:jc w:val=\"both\"/>",
          RFONTS(FONT_FANG) "<w:spacing w:val=\"-5\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>");
    style(f, "paragraph", "Title", "Title", "Normal", -1,
          "<w:snapToGrid w:val=\"0\"/><w:spacing w:after=\"579\" w:line=\"300\" "
          "w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
          RFONTS(FONT_XBS) "<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>");
    style(f, "paragraph", "Heading1", "heading 1", "Normal", 0, "<w:keepNext/>",
          RFONTS(FONT_HEI));
    style(f, "paragraph", "Heading2", "heading 2", "Normal", 1, "<w:keepNext/>",
          RFONTS(FONT_KAI));
    style(f, "paragraph", "Heading3", "heading 3", "Normal", 2, "<w:keepNext/>",
          RFONTS(FONT_FANG) "<w:b/><w:bCs/>");
    style(f, "paragraph", "Heading4", "heading 4", "Normal", 3, "<w:keepNext/>",
          RFONTS(FONT_FANG));
    style(f, "paragraph", "TableText", "Table Text", "Normal", -1,
          "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"20\" w:after=\"20\" w:line=\"264\" "
          "w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\"/>",
          "<w:spacing w:val=\"0\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>");
    style(f, "paragraph", "Caption", "caption", "Normal", -1,
          "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"60\" w:after=\"60\"/>"
          "<w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
          RFONTS(FONT_HEI) "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>");
    style(f, "paragraph", "Footer", "footer", "Normal", -1,
          "<w:snapToGrid w:val=\"0\"/><w:ind w:firstLine=\"0\"/>",
          "<w:rFonts w:ascii=\"" FONT_SONG "\" w:hAnsi=\"" FONT_SONG "\" w:eastAsia=\""
          FONT_SONG "\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>");
    fputs("<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
          "<w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>"
          "<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
          "<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>"
          "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
          "</w:tblCellMar></w:tblPr></w:style>\n</w:styles>\n", f);
}

/* The page number "— N —", one character in from the outer edge. */
static void
footer_xml(FILE *f, int even)
{
    fprintf(f, XML_DECL "<w:ftr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:p><w:pPr>"
            "<w:pStyle w:val=\"Footer\"/><w:ind w:%s=\"280\" w:firstLine=\"0\"/>"
            "<w:jc w:val=\"%s\"/></w:pPr>", even ? "left" : "right", even ? "left" : "right");
    fputs("<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
          "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
          "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
          "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r>"
          "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
          "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>\n", f);
}

static void
settings_xml(FILE *f)
{
    fputs(XML_DECL "<w:settings xmlns:w=\"" NS_W "\"><w:zoom w:percent=\"100\"/>"
          "<w:defaultTabStop w:val=\"420\"/><w:evenAndOddHeaders/>"
          "<w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat>"
          "<w:compatSetting w:name=\"compatibilityMode\" "
          "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
          "</w:settings>\n", f);
}

/* The fonts, with the name Word and WPS fall back to where the _GB2312 ones
 * are not installed. */
static void
fonts_xml(FILE *f)
{
    static const char *const fonts[][2] = {
        { FONT_LATIN, NULL }, { FONT_FANG, "仿宋" }, { FONT_KAI, "楷体" }, { FONT_HEI, "SimHei" },
        { FONT_XBS, "华文中宋" }, { FONT_SONG, "SimSun" },
    };

    fputs(XML_DECL "<w:fonts xmlns:w=\"" NS_W "\">", f);
    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
        fprintf(f, "<w:font w:name=\"%s\">", fonts[i][0]);
        if (fonts[i][1])
            fprintf(f, "<w:altName w:val=\"%s\"/><w:charset w:val=\"86\"/>", fonts[i][1]);
        fputs("</w:font>", f);
    }
    fputs("</w:fonts>\n", f);
}

static void
content_types_xml(FILE *f)
{
    fputs(XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
          "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
          "<Default Extension=\"png\" ContentType=\"image/png\"/>", f);
    static const char *const parts[][2] = {
        { "/word/document.xml", "wordprocessingml.document.main" },
        { "/word/styles.xml", "wordprocessingml.styles" },
        { "/word/settings.xml", "wordprocessingml.settings" },
        { "/word/fontTable.xml", "wordprocessingml.fontTable" },
        { "/word/footer1.xml", "wordprocessingml.footer" },
        { "/word/footer2.xml", "wordprocessingml.footer" },
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        fprintf(f, "<Override PartName=\"%s\" ContentType=\"application/vnd.openxmlformats-"
                "officedocument.%s+xml\"/>", parts[i][0], parts[i][1]);
    fputs("<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd."
          "openxmlformats-package.core-properties+xml\"/><Override PartName=\"/docProps/app.xml\""
          " ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
          "</Types>\n", f);
}

static void
package_rels_xml(FILE *f)
{
    fputs(XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
          "relationships\"><Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" "
          "Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas."
          "openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
          "Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"" REL
          "extended-properties\" Target=\"docProps/app.xml\"/></Relationships>\n", f);
}

static void
document_rels_xml(FILE *f, int charts)
{
    fputs(XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
          "relationships\"><Relationship Id=\"rIdStyles\" Type=\"" REL "styles\" "
          "Target=\"styles.xml\"/><Relationship Id=\"rIdSettings\" Type=\"" REL "settings\" "
          "Target=\"settings.xml\"/><Relationship Id=\"rIdFonts\" Type=\"" REL "fontTable\" "
          "Target=\"fontTable.xml\"/><Relationship Id=\"rIdFooterOdd\" Type=\"" REL "footer\" "
          "Target=\"footer1.xml\"/><Relationship Id=\"rIdFooterEven\" Type=\"" REL "footer\" "
          "Target=\"footer2.xml\"/>", f);
    for (int k = 1; k <= charts; k++)
        fprintf(f, "<Relationship Id=\"rIdChart%d\" Type=\"" REL "image\" "
                "Target=\"media/chart%d.png\"/>", k, k);
    fputs("</Relationships>\n", f);
}

static void
core_xml(FILE *f, const doc_t *d)
{
    const char *title = NULL;
    int y, m, dd;

    for (int i = 0; i < d->n && !title; i++)
        if (d->b[i].kind == DOC_K_TITLE)
            title = d->b[i].text;
    days_to_civil(doc_date(d), &y, &m, &dd);
    fputs(XML_DECL "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/"
          "2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
          "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/"
          "XMLSchema-instance\"><dc:title>", f);
    esc(f, title ? title : "");
    fputs("</dc:title><dc:creator>", f);
    esc(f, d->issuer ? d->issuer : "");
    fprintf(f, "</dc:creator><dc:language>zh-CN</dc:language>"
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%04d-%02d-%02dT00:00:00Z"
            "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">"
            "%04d-%02d-%02dT00:00:00Z</dcterms:modified></cp:coreProperties>\n",
            y, m, dd, y, m, dd);
}

static void
app_xml(FILE *f)
{
    fputs(XML_DECL "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/"
          "extended-properties\"><Application>lianxi</Application><DocSecurity>0</DocSecurity>"
          "</Properties>\n", f);
}

/* ---- the charts as PNG --------------------------------------------------------- */

#define PNG_SCALE 2.0           /* 1200 x 600 pixels: about 200 dpi at 150 mm */

static void
rgb(cairo_t *cr, unsigned c)
{
    cairo_set_source_rgb(cr, (c >> 16 & 0xff) / 255.0, (c >> 8 & 0xff) / 255.0,
                         (c & 0xff) / 255.0);
}

static void
png_line(void *arg, double x1, double y1, double x2, double y2, double w, unsigned c)
{
    cairo_t *cr = arg;

    rgb(cr, c);
    cairo_set_line_width(cr, w);
    cairo_move_to(cr, x1, y1);
    cairo_line_to(cr, x2, y2);
    cairo_stroke(cr);
}

static void
png_rect(void *arg, double x, double y, double w, double h, unsigned c)
{
    cairo_t *cr = arg;

    rgb(cr, c);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
}

static void
png_dot(void *arg, double x, double y, double r, unsigned c)
{
    cairo_t *cr = arg;

    rgb(cr, c);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    cairo_fill(cr);
}

static void
png_text(void *arg, double x, double y, double size, enum doc_align anchor, double angle,
         const char *s)
{
    cairo_t *cr = arg;
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(
        "SimHei, Noto Sans CJK SC, FandolHei, sans-serif");
    int w, h;

    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_layout_set_text(l, s, -1);
    pango_layout_get_size(l, &w, &h);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, angle * M_PI / 180);
    cairo_move_to(cr, -(double)w / PANGO_SCALE * (anchor == DOC_LEFT ? 0 : anchor == DOC_CENTER ? 0.5 : 1),
                  -(double)pango_layout_get_baseline(l) / PANGO_SCALE);
    rgb(cr, 0x222222);
    pango_cairo_update_layout(cr, l);
    pango_cairo_show_layout(cr, l);
    cairo_restore(cr);
    pango_font_description_free(fd);
    g_object_unref(l);
}

static cairo_status_t
png_write(void *arg, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, arg) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* The chart as a malloc'd PNG in *out (*len bytes); 0, or -1. */
static int
chart_png(const struct doc_block *b, char **out, size_t *len)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                                    (int)(DOC_CHART_W * PNG_SCALE),
                                                    (int)(DOC_CHART_H * PNG_SCALE));
    cairo_t *cr = cairo_create(s);
    struct doc_canvas cv = { cr, png_line, png_rect, png_dot, png_text };
    cairo_font_options_t *fo = cairo_font_options_create();
    FILE *f = NULL;
    int rc = -1;

    *out = NULL;
    *len = 0;
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        goto out;
    /* The same pixels on every run: no subpixel order taken from a screen. */
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_scale(cr, PNG_SCALE, PNG_SCALE);
    rgb(cr, 0xffffff);
    cairo_paint(cr);
    doc_chart_draw(b, &cv);
    cairo_surface_flush(s);
    if (!(f = open_memstream(out, len)))
        goto out;
    if (cairo_surface_write_to_png_stream(s, png_write, f) == CAIRO_STATUS_SUCCESS)
        rc = 0;
    if (fclose(f) != 0)
        rc = -1;
out:
    if (rc < 0) {
        free(*out);
        *out = NULL;
    }
    cairo_font_options_destroy(fo);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return rc;
}

/* ---- the zip ------------------------------------------------------------------- */

/* Adds a malloc'd part (taken over, freed on failure too) with the fixed
 * time; 0, or -1. */
static int
add_part(zip_t *z, const char *name, char *data, size_t len, zip_uint16_t dtime,
         zip_uint16_t ddate, int store)
{
    zip_source_t *src = zip_source_buffer(z, data, len, 1);
    zip_int64_t idx;

    if (!src) {
        free(data);
        return -1;
    }
    if ((idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
        zip_source_free(src);
        return -1;
    }
    if (zip_file_set_dostime(z, (zip_uint64_t)idx, dtime, ddate, 0) < 0 ||
        zip_set_file_compression(z, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                 9) < 0)
        return -1;
    return 0;
}

typedef void part_fn(FILE *f, const doc_t *d, int arg);

static void p_types(FILE *f, const doc_t *d, int a) { (void)d, (void)a; content_types_xml(f); }
static void p_rels(FILE *f, const doc_t *d, int a) { (void)d, (void)a; package_rels_xml(f); }
static void p_core(FILE *f, const doc_t *d, int a) { (void)a; core_xml(f, d); }
static void p_app(FILE *f, const doc_t *d, int a) { (void)d, (void)a; app_xml(f); }
static void p_doc(FILE *f, const doc_t *d, int a) { (void)a; document_xml(f, d); }
static void p_styles(FILE *f, const doc_t *d, int a) { (void)d, (void)a; styles_xml(f); }
static void p_settings(FILE *f, const doc_t *d, int a) { (void)d, (void)a; settings_xml(f); }
static void p_fonts(FILE *f, const doc_t *d, int a) { (void)d, (void)a; fonts_xml(f); }
static void p_footer(FILE *f, const doc_t *d, int even) { (void)d; footer_xml(f, even); }
static void p_docrels(FILE *f, const doc_t *d, int a) { (void)a; document_rels_xml(f, d->charts); }

/* Writes one XML part with fn into the zip; 0, or -1. */
static int
xml_part(zip_t *z, const char *name, part_fn *fn, const doc_t *d, int arg, zip_uint16_t t,
         zip_uint16_t dt)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);

    if (!f)
        return -1;
    fn(f, d, arg);
    if (ferror(f) | fclose(f)) {
        free(buf);
        return -1;
    }
    return add_part(z, name, buf, n, t, dt, 0);
}

/* The zip's bytes, once closed, into malloc'd *out; 0, or -1. */
static int
source_bytes(zip_source_t *src, char **out, size_t *len)
{
    zip_stat_t st;
    char *buf;

    if (zip_source_open(src) < 0)
        return -1;
    zip_stat_init(&st);
    if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
        !(buf = malloc(st.size ? st.size : 1))) {
        zip_source_close(src);
        return -1;
    }
    if (zip_source_read(src, buf, st.size) != (zip_int64_t)st.size) {
        free(buf);
        zip_source_close(src);
        return -1;
    }
    zip_source_close(src);
    *out = buf;
    *len = st.size;
    return 0;
}

int
doc_render_docx(const doc_t *d, char **out, size_t *len, char *err, size_t errlen)
{
    static const struct { const char *name; part_fn *fn; int arg; } parts[] = {
        { "[Content_Types].xml", p_types, 0 }, { "_rels/.rels", p_rels, 0 },
        { "docProps/core.xml", p_core, 0 }, { "docProps/app.xml", p_app, 0 },
        { "word/document.xml", p_doc, 0 }, { "word/styles.xml", p_styles, 0 },
        { "word/settings.xml", p_settings, 0 }, { "word/fontTable.xml", p_fonts, 0 },
        { "word/footer1.xml", p_footer, 0 }, { "word/footer2.xml", p_footer, 1 },
        { "word/_rels/document.xml.rels", p_docrels, 0 },
    };
    zip_error_t ze;
    zip_source_t *src = NULL;
    zip_t *z = NULL;
    zip_uint16_t dtime = 0, ddate;
    int y, m, dd, k = 0;

    *out = NULL;
    *len = 0;
    if (d->failed[0]) {
        snprintf(err, errlen, _("the document could not be built: %s"), d->failed);
        return -1;
    }
    /* Every entry's time: the document's date at midnight (DOS time, no zone). */
    days_to_civil(doc_date(d), &y, &m, &dd);
    if (y < 1980)
        y = 1980, m = 1, dd = 1;
    ddate = (zip_uint16_t)((y - 1980) << 9 | m << 5 | dd);
    zip_error_init(&ze);
    if (!(src = zip_source_buffer_create(NULL, 0, 0, &ze)))
        goto fail;
    if (!(z = zip_open_from_source(src, ZIP_TRUNCATE, &ze)))
        goto fail;
    zip_source_keep(src);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (xml_part(z, parts[i].name, parts[i].fn, d, parts[i].arg, dtime, ddate) < 0)
            goto fail;
    for (int i = 0; i < d->n; i++) {
        char name[64], *png;
        size_t n;
        if (d->b[i].kind != DOC_K_CHART)
            continue;
        snprintf(name, sizeof name, "word/media/chart%d.png", ++k);
        if (chart_png(&d->b[i], &png, &n) < 0 || add_part(z, name, png, n, dtime, ddate, 1) < 0)
            goto fail;
    }
    if (zip_close(z) < 0)
        goto fail;
    z = NULL;
    if (source_bytes(src, out, len) < 0)
        goto fail;
    zip_source_free(src);
    zip_error_fini(&ze);
    return 0;
fail:
    if (z)
        zip_discard(z);
    if (src)
        zip_source_free(src);
    zip_error_fini(&ze);
    snprintf(err, errlen, _("could not write the .docx (out of memory)"));
    return -1;
}

void
doc_shutdown(void)
{
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    FcFini();
}
