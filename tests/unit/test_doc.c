/* test_doc.c — the official document (src/hub/doc.h): a small sample with
 * each kind of block, rendered as HTML and as .docx, checked for the
 * GB/T 9704 page, the fonts, escaping, well-formed parts and determinism;
 * python3-docx reads the .docx back where it is installed.
 * LIANXI_DOC_KEEP=DIR keeps sample.html and sample.docx in DIR to look at. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "days.h"
#include "doc.h"
#include "text.h"
#include "tmpdir.h"

static doc_t *
sample(void)
{
    static const char *const header[] = { "成员单位", "报备件数", "按时率" };
    static const char *const rows[][3] = {
        { "县纪委监委", "42", "97.6%" },
        { "县公安局 <交警大队> & \"治安\"", "31", "90.3%" },
        { "县审计局", "7", "100.0%" },
    };
    static const double widths[] = { 0.5, 0.25, 0.25 };
    static const enum doc_align align[] = { DOC_LEFT, DOC_RIGHT, DOC_RIGHT };
    static const char *const labels[] = { "纪委监委", "组织部", "政法委", "法院", "检察院",
                                          "公安局", "审计局", "卫健局", "信访局" };
    static const double values[] = { 42, 18, 5, 9, 6, 31, 7, 2, 24 };
    const struct doc_head head = { "000001", "内部资料 注意保存", NULL, "连平县干部监督联席会议",
                                   "连干监联〔2026〕1号" };
    const struct doc_chart chart = { DOC_BAR, "图1 各成员单位报备件数", "成员单位", "件数",
                                     9, labels, values, 0, NULL, 0 };
    const char *const att[] = { "报备事项清单" };
    lx_day day = days_from_civil(2026, 12, 25);
    doc_t *d = doc_new();

    assert_non_null(d);
    assert_int_equal(doc_head(d, &head), 0);
    assert_int_equal(doc_title(d, "关于2026年度干部监督信息报备情况的通报"), 0);
    assert_int_equal(doc_addressee(d, "各成员单位"), 0);
    assert_int_equal(doc_para(d, "2026年，各成员单位认真落实联席会议制度，共报备干部监督信息"
                                 "124件，比上年增加12件。现将有关情况通报如下。"), 0);
    assert_int_equal(doc_heading(d, 1, "总体情况"), 0);
    assert_int_equal(doc_para(d, "全年共报备124件 <其中> 实名举报 & \"重复件\" 8件。"), 0);
    assert_int_equal(doc_heading(d, 2, "报送时效"), 0);
    assert_int_equal(doc_para(d, "县纪委监委、县审计局全部按时报送。"), 0);
    assert_int_equal(doc_table(d, "表1 各成员单位报备情况", 3, header, widths, align), 0);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(doc_table_row(d, rows[i]), 0);
    assert_int_equal(doc_chart(d, &chart), 0);
    assert_int_equal(doc_heading(d, 1, "意见建议"), 0);
    assert_int_equal(doc_heading(d, 2, "压实报备责任"), 0);
    assert_int_equal(doc_heading(d, 3, "按时报送"), 0);
    assert_int_equal(doc_heading(d, 4, "逾期的说明理由"), 0);
    assert_int_equal(doc_para(d, "（由召集人办公室填写。）"), 0);
    assert_int_equal(doc_attachments(d, 1, att), 0);
    assert_int_equal(doc_signature(d, "连平县干部监督联席会议", day), 0);
    assert_int_equal(doc_imprint(d, "县委、县政府领导", "连平县委组织部干部监督组", day), 0);
    return d;
}

static void
render_html(char **out, size_t *len)
{
    doc_t *d = sample();
    char err[256] = "";

    assert_int_equal(doc_render_html(d, out, len, err, sizeof err), 0);
    doc_destroy(&d);
    assert_null(d);
}

static void
render_docx(char **out, size_t *len)
{
    doc_t *d = sample();
    char err[256] = "";

    assert_int_equal(doc_render_docx(d, out, len, err, sizeof err), 0);
    doc_destroy(&d);
}

/* Keeps a rendering in $LIANXI_DOC_KEEP when it is set. */
static void
keep(const char *name, const char *data, size_t len)
{
    const char *dir = getenv("LIANXI_DOC_KEEP");
    char path[4096];
    FILE *f;

    if (!dir || !*dir)
        return;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_non_null(f = fopen(path, "wb"));
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* ---- HTML ---------------------------------------------------------------- */

static void
html_has_the_gbt9704_page_and_the_named_fonts(void **state)
{
    char *h;
    size_t n;

    (void)state;
    render_html(&h, &n);
    keep("sample.html", h, n);
    assert_non_null(strstr(h, "size: 210mm 297mm; margin: 37mm 26mm 35mm 28mm;"));
    assert_non_null(strstr(h, "@bottom-right { content: \"— \" counter(page) \" —\""));
    assert_non_null(strstr(h, "@bottom-left { content: \"— \" counter(page) \" —\""));
    assert_non_null(strstr(h, "calc(225mm / 22)"));
    assert_non_null(strstr(h, "calc(156mm / 28)"));
    const char *fonts[] = { "\"方正小标宋简体\"", "\"仿宋_GB2312\"", "\"仿宋\"", "\"黑体\"",
                            "\"楷体_GB2312\"", "\"楷体\"", "\"Noto Serif CJK SC\"",
                            "\"Noto Sans CJK SC\"", "\"FandolFang\"", "\"FandolKai\"",
                            "\"FandolHei\"" };
    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++)
        assert_non_null(strstr(h, fonts[i]));
    free(h);
}

static void
html_numbers_the_headings_and_holds_every_block(void **state)
{
    char *h;
    size_t n;

    (void)state;
    render_html(&h, &n);
    assert_non_null(strstr(h, "<p class=\"copy\">000001</p>"));
    assert_non_null(strstr(h, "连干监联〔2026〕1号"));
    assert_non_null(strstr(h, "<h1 class=\"title\">关于2026年度"));
    assert_non_null(strstr(h, "<p class=\"to\">各成员单位：</p>"));
    assert_non_null(strstr(h, "<h2>一、总体情况</h2>"));
    assert_non_null(strstr(h, "<h3>（一）报送时效</h3>"));
    assert_non_null(strstr(h, "<h2>二、意见建议</h2>"));
    assert_non_null(strstr(h, "<h3>（一）压实报备责任</h3>"));
    assert_non_null(strstr(h, "<h4>1.按时报送</h4>"));
    assert_non_null(strstr(h, "<h5>（1）逾期的说明理由</h5>"));
    assert_non_null(strstr(h, "<col style=\"width: 50.00%\">"));
    assert_non_null(strstr(h, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_non_null(strstr(h, "<figcaption>图1 各成员单位报备件数</figcaption>"));
    assert_non_null(strstr(h, "附件：报备事项清单"));
    assert_non_null(strstr(h, "2026年12月25日</p>"));
    assert_non_null(strstr(h, "抄送：县委、县政府领导"));
    assert_non_null(strstr(h, "2026年12月25日印发"));
    free(h);
}

static void
html_escapes_text_and_is_utf8(void **state)
{
    char *h;
    size_t n;

    (void)state;
    render_html(&h, &n);
    assert_int_equal(strlen(h), n);
    assert_true(text_utf8_valid(h, n));
    assert_non_null(strstr(h, "全年共报备124件 &lt;其中&gt; 实名举报 &amp; &quot;重复件&quot; 8件。"));
    assert_non_null(strstr(h, "县公安局 &lt;交警大队&gt; &amp; &quot;治安&quot;"));
    assert_null(strstr(h, "<其中>"));
    assert_null(strstr(h, "<交警大队>"));
    free(h);
}

static void
html_is_the_same_bytes_twice(void **state)
{
    char *a, *b;
    size_t na, nb;

    (void)state;
    render_html(&a, &na);
    render_html(&b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
}

/* ---- the model ------------------------------------------------------------- */

static void
a_failed_step_is_remembered_and_refused_by_the_renderers(void **state)
{
    doc_t *d = doc_new();
    const struct doc_head bad = { "12345", NULL, NULL, "某单位", NULL };
    char *out = (char *)"x", err[256] = "";
    size_t n = 1;

    (void)state;
    assert_int_equal(doc_head(d, &bad), -1);
    assert_int_equal(doc_para(d, "正文"), -1);
    assert_int_equal(doc_render_html(d, &out, &n, err, sizeof err), -1);
    assert_null(out);
    assert_non_null(strstr(err, "six digits"));
    assert_int_equal(doc_render_docx(d, &out, &n, err, sizeof err), -1);
    doc_destroy(&d);

    d = doc_new();
    assert_int_equal(doc_para(d, "\xff\xfe"), -1);
    assert_int_equal(doc_render_html(d, &out, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "UTF-8"));
    doc_destroy(&d);

    d = doc_new();
    assert_int_equal(doc_table_row(d, (const char *const[]){ "a" }), -1);
    doc_destroy(&d);
    doc_destroy(&d);
    doc_destroy(NULL);
}

static void
controls_in_text_become_spaces(void **state)
{
    doc_t *d = doc_new();
    char *h, err[256];
    size_t n;

    (void)state;
    assert_int_equal(doc_para(d, "甲\x1b[31m乙\xe2\x80\xae丙"), 0);
    assert_int_equal(doc_render_html(d, &h, &n, err, sizeof err), 0);
    assert_non_null(strstr(h, "甲 [31m乙   丙"));
    free(h);
    doc_destroy(&d);
}

/* ---- the .docx ---------------------------------------------------------------- */

/* The named entry of the zip in memory as a malloc'd NUL-terminated string. */
static char *
entry(const char *zipdata, size_t ziplen, const char *name, size_t *len)
{
    zip_error_t ze;
    zip_source_t *src;
    zip_t *z;
    zip_stat_t st;
    zip_file_t *zf;
    char *buf;

    zip_error_init(&ze);
    assert_non_null(src = zip_source_buffer_create(zipdata, ziplen, 0, &ze));
    assert_non_null(z = zip_open_from_source(src, ZIP_RDONLY, &ze));
    if (zip_stat(z, name, 0, &st) < 0) {
        zip_close(z);
        zip_error_fini(&ze);
        return NULL;
    }
    assert_non_null(buf = malloc(st.size + 1));
    assert_non_null(zf = zip_fopen(z, name, 0));
    assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
    buf[st.size] = '\0';
    zip_fclose(zf);
    zip_close(z);
    zip_error_fini(&ze);
    if (len)
        *len = st.size;
    return buf;
}

static void
docx_has_its_parts_and_well_formed_xml(void **state)
{
    static const char *const parts[] = {
        "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
        "word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml",
        "word/footer1.xml", "word/footer2.xml", "word/_rels/document.xml.rels",
    };
    char *z, *p;
    size_t n, pn;

    (void)state;
    render_docx(&z, &n);
    keep("sample.docx", z, n);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        p = entry(z, n, parts[i], &pn);
        assert_non_null(p);
        xmlDocPtr x = xmlReadMemory(p, (int)pn, parts[i], NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
        if (!x)
            fail_msg("%s is not well-formed XML", parts[i]);
        xmlFreeDoc(x);
        free(p);
    }
    p = entry(z, n, "word/media/chart1.png", &pn);
    assert_non_null(p);
    assert_true(pn > 1000);
    assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
    free(p);
    free(z);
}

static void
docx_section_has_the_gbt9704_page_and_the_footers_a_page_field(void **state)
{
    char *z, *doc, *foot, *settings, *styles;
    size_t n;

    (void)state;
    render_docx(&z, &n);
    doc = entry(z, n, "word/document.xml", NULL);
    assert_non_null(strstr(doc, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert_non_null(strstr(doc, "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" "
                                "w:left=\"1588\""));
    assert_non_null(strstr(doc, "<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"579\""));
    assert_non_null(strstr(doc, "w:type=\"even\" r:id=\"rIdFooterEven\""));
    assert_non_null(strstr(doc, "全年共报备124件 &lt;其中&gt; 实名举报 &amp; &quot;重复件&quot;"));
    assert_non_null(strstr(doc, "r:embed=\"rIdChart1\""));
    for (int even = 0; even < 2; even++) {
        foot = entry(z, n, even ? "word/footer2.xml" : "word/footer1.xml", NULL);
        assert_non_null(strstr(foot, "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"));
        assert_non_null(strstr(foot, "— "));
        assert_non_null(strstr(foot, even ? "<w:jc w:val=\"left\"/>" : "<w:jc w:val=\"right\"/>"));
        free(foot);
    }
    settings = entry(z, n, "word/settings.xml", NULL);
    assert_non_null(strstr(settings, "<w:evenAndOddHeaders/>"));
    styles = entry(z, n, "word/styles.xml", NULL);
    assert_non_null(strstr(styles, "w:eastAsia=\"仿宋_GB2312\""));
    assert_non_null(strstr(styles, "w:eastAsia=\"方正小标宋简体\""));
    assert_non_null(strstr(styles, "w:eastAsia=\"黑体\""));
    assert_non_null(strstr(styles, "w:eastAsia=\"楷体_GB2312\""));
    free(settings);
    free(styles);
    free(doc);
    free(z);
}

static void
docx_is_the_same_bytes_twice(void **state)
{
    char *a, *b;
    size_t na, nb;

    (void)state;
    render_docx(&a, &na);
    render_docx(&b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
}

/* What python3-docx reads back: paragraphs with their styles, the table's
 * cells, the section's page; one line "OK" when all is as written. */
static const char py_check[] =
    "import sys, docx\n"
    "d = docx.Document(sys.argv[1])\n"
    "ps = [(p.style.name, p.text) for p in d.paragraphs]\n"
    "def has(style, text):\n"
    "    assert (style, text) in ps, (style, text, ps)\n"
    "has('Title', '关于2026年度干部监督信息报备情况的通报')\n"
    "has('Heading 1', '一、总体情况')\n"
    "has('Heading 2', '（一）报送时效')\n"
    "has('Heading 3', '1.按时报送')\n"
    "has('Heading 4', '（1）逾期的说明理由')\n"
    "has('Normal', '县纪委监委、县审计局全部按时报送。')\n"
    "has('Caption', '表1 各成员单位报备情况')\n"
    "t = d.tables[0]\n"
    "assert t.cell(0, 0).text == '成员单位', t.cell(0, 0).text\n"
    "assert t.cell(2, 0).text == '县公安局 <交警大队> & \"治安\"', t.cell(2, 0).text\n"
    "assert t.cell(3, 2).text == '100.0%'\n"
    "assert t.cell(1, 1).paragraphs[0].style.name == 'Table Text'\n"
    "s = d.sections[0]\n"
    "assert (s.page_width.mm, s.page_height.mm) == (210.0, 297.0) or "
    "(round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)\n"
    "assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, "
    "s.right_margin)] == [37, 35, 28, 26], s\n"
    "assert d.settings.odd_and_even_pages_header_footer\n"
    "assert 'PAGE' in s.even_page_footer._element.xml\n"
    "assert len(d.inline_shapes) == 1\n"
    "print('OK')\n";

/* Debian's python3, where python3-docx is installed (a python3 first on
 * PATH may not see it), else the first on PATH. */
static const char *
python(void)
{
    return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

static void
python_docx_reads_it_back(void **state)
{
    char dir[] = "/tmp/lianxi-doc-XXXXXX", path[256], cmd[512], line[4096] = "";
    char *z;
    size_t n;
    FILE *f, *p;

    (void)state;
    snprintf(cmd, sizeof cmd, "%s -c 'import docx' 2>/dev/null", python());
    if (system(cmd) != 0) {
        printf("python_docx_reads_it_back: skipped: python3-docx is not installed\n");
        skip();
    }
    assert_non_null(mkdtemp(dir));
    render_docx(&z, &n);
    snprintf(path, sizeof path, "%s/sample.docx", dir);
    assert_non_null(f = fopen(path, "wb"));
    assert_int_equal(fwrite(z, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    free(z);
    snprintf(path + strlen(dir), sizeof path - strlen(dir), "/check.py");
    assert_non_null(f = fopen(path, "w"));
    fputs(py_check, f);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd, "%s %s %s/sample.docx 2>&1", python(), path, dir);
    assert_non_null(p = popen(cmd, "r"));
    size_t got = fread(line, 1, sizeof line - 1, p);
    line[got] = '\0';
    int rc = pclose(p);
    unlink(path);
    snprintf(path, sizeof path, "%s/sample.docx", dir);
    unlink(path);
    rmdir(dir);
    if (rc != 0 || strcmp(line, "OK\n") != 0)
        fail_msg("python3-docx: %s", line);
}

/* Where LibreOffice is installed, it converts the .docx to PDF (pages to
 * look at: LIANXI_DOC_KEEP keeps them). */
static void
libreoffice_converts_it(void **state)
{
    char dir[] = "/tmp/lianxi-doc-XXXXXX", path[256], cmd[1024];
    char *z;
    size_t n;
    FILE *f;

    (void)state;
    if (system("command -v soffice >/dev/null 2>&1") != 0) {
        printf("libreoffice_converts_it: skipped: LibreOffice is not installed\n");
        skip();
    }
    assert_non_null(mkdtemp(dir));
    render_docx(&z, &n);
    snprintf(path, sizeof path, "%s/sample.docx", dir);
    assert_non_null(f = fopen(path, "wb"));
    assert_int_equal(fwrite(z, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    free(z);
    snprintf(cmd, sizeof cmd, "cd %s && HOME=%s soffice --headless --convert-to pdf "
             "sample.docx >/dev/null 2>&1", dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/sample.pdf", dir);
    assert_int_equal(access(path, R_OK), 0);
    if (getenv("LIANXI_DOC_KEEP") && *getenv("LIANXI_DOC_KEEP")) {
        snprintf(cmd, sizeof cmd, "cp %s/sample.pdf '%s/sample-docx.pdf'", dir,
                 getenv("LIANXI_DOC_KEEP"));
        assert_int_equal(system(cmd), 0);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(html_has_the_gbt9704_page_and_the_named_fonts),
        cmocka_unit_test(html_numbers_the_headings_and_holds_every_block),
        cmocka_unit_test(html_escapes_text_and_is_utf8),
        cmocka_unit_test(html_is_the_same_bytes_twice),
        cmocka_unit_test(a_failed_step_is_remembered_and_refused_by_the_renderers),
        cmocka_unit_test(controls_in_text_become_spaces),
        cmocka_unit_test(docx_has_its_parts_and_well_formed_xml),
        cmocka_unit_test(docx_section_has_the_gbt9704_page_and_the_footers_a_page_field),
        cmocka_unit_test(docx_is_the_same_bytes_twice),
        cmocka_unit_test(python_docx_reads_it_back),
        cmocka_unit_test(libreoffice_converts_it),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);

    doc_shutdown();
    return rc;
}
