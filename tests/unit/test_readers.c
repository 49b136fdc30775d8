/* test_readers.c — the readers of units' exports, differentially: the same
 * text saved as UTF-8, UTF-8 with a BOM, GB18030, "Unicode text" and as a
 * workbook (.xlsx, .xls) gives the same records; the header and ID-number
 * reasons the clerk reads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "csvfmt.h"
#include "files.h"
#include "i18n.h"
#include "record.h"
#include "sheet.h"
#include "tablein.h"
#include "textin.h"

/* A one-row police export whose summary is five lines of 职员: in GB18030
 * each such line (D6 B0 D4 B1) is also valid UTF-8 by accident. */
static const char police_staff[] =
    "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围\n"
    "A4416232026090006,杨志明,44162319851208185X,县农业农村局,执法大队长,科员,行政拘留,"
    "2026-09-02,已办结,\"\n职员\n职员\n职员\n职员\n职员\n\",公开\n";

/* The UTF-8 text converted to GB18030 (malloc'd, *outlen bytes). */
static char *
to_gb18030(const char *text, size_t len, size_t *outlen)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    size_t cap = len * 2 + 16, inleft = len, outleft = cap;
    char *out = malloc(cap), *in = (char *)text, *o = out;

    assert_true(cd != (iconv_t)-1);
    assert_non_null(out);
    assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    iconv_close(cd);
    *outlen = (size_t)(o - out);
    return out;
}

struct dump {
    FILE *f;
    char *text;
    size_t len;
    int undecodable, bad;
};

/* Every record as one line: where it starts, whether it decoded, its fields. */
static int
dump_row(void *arg, const struct textin_row *row)
{
    struct dump *d = arg;

    fprintf(d->f, "%ld %d %zu:", row->line, row->undecodable, row->n);
    for (size_t i = 0; i < row->n; i++) {
        /* A line break in a field is written \n: one record, one line. */
        fputc('[', d->f);
        for (const char *c = row->fields[i]; *c; c++)
            if (*c == '\n' || *c == '\r')
                fputs(*c == '\n' ? "\\n" : "\\r", d->f);
            else
                fputc(*c, d->f);
        fputc(']', d->f);
    }
    fputc('\n', d->f);
    d->undecodable += row->undecodable;
    return 0;
}

static void
dump_bad(void *arg, long line, const char *why)
{
    struct dump *d = arg;

    fprintf(d->f, "bad %ld: %s\n", line, why);
    d->bad++;
}

/* The records of the export raw[0..len), as text (free it). */
static char *
records(const char *raw, size_t len, int *undecodable)
{
    struct dump d = { 0 };
    char err[256];

    d.f = open_memstream(&d.text, &d.len);
    assert_non_null(d.f);
    assert_int_equal(textin_csv_mem("export.csv", raw, len, dump_row, dump_bad, &d, err,
                                     sizeof err), 0);
    fclose(d.f);
    if (undecodable)
        *undecodable = d.undecodable + d.bad;
    return d.text;
}

/* The UTF-8 text, the text with a BOM and its GB18030 twin give the same
 * records, and none of them is undecodable. */
static void
assert_same_records(const char *what, const char *text, size_t len)
{
    char *bom = malloc(len + 3), *gb, *a, *b, *c;
    size_t gblen;
    int ua, ub, uc;

    assert_non_null(bom);
    memcpy(bom, "\xef\xbb\xbf", 3);
    memcpy(bom + 3, text, len);
    gb = to_gb18030(text, len, &gblen);
    a = records(text, len, &ua);
    b = records(bom, len + 3, &ub);
    c = records(gb, gblen, &uc);
    if (ua || ub || uc)
        fail_msg("%s: undecodable records: UTF-8 %d, BOM %d, GB18030 %d", what, ua, ub, uc);
    if (strcmp(a, b) != 0)
        fail_msg("%s: the BOM copy gives other records", what);
    if (strcmp(a, c) != 0)
        fail_msg("%s: the GB18030 twin gives other records:\n%s\n---\n%s", what, a, c);
    free(a);
    free(b);
    free(c);
    free(gb);
    free(bom);
}

static void
staff_lines_in_gb18030_read_as_in_utf8(void **state)
{
    (void)state;
    assert_same_records("police 职员", police_staff, sizeof police_staff - 1);
    /* In GB18030, 桶缶埈 is CD B0 F3 BE 88 AD: valid UTF-8 of a 2-byte and
     * a 4-byte character (tests/fuzz/regress/fuzz_encoding/tong-fou-4-byte). */
    static const char tong[] = "桶缶埈\nA4\n";
    assert_same_records("桶缶埈", tong, sizeof tong - 1);
}

/* The unit's sample export (UTF-8) in its three encodings. */
static void
sample_in_three_encodings(const char *unit)
{
    const char *srcdir = getenv("LIANXI_SRC");
    char path[PATH_MAX], *text;
    size_t len;

    snprintf(path, sizeof path, "%s/adapters/%s/samples/%s-2026-11.csv", srcdir ? srcdir : ".",
             unit, unit);
    text = files_read(path, &len);
    if (!text)
        fail_msg("cannot read %s", path);
    assert_same_records(unit, text, len);
    free(text);
}

static void
csv_samples_read_the_same_in_every_encoding(void **state)
{
    static const char *const units[] = { "police", "court", "discipline", "family_planning",
                                         "organization", "politics_law", "procuratorate" };

    (void)state;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        sample_in_three_encodings(units[i]);
}

/* The audit adapter converts its JSON whole: the same text from each encoding. */
static void
audit_sample_converts_the_same_from_every_encoding(void **state)
{
    const char *srcdir = getenv("LIANXI_SRC");
    char path[PATH_MAX], *text, *bom, *gb, *a, *b, *c;
    size_t len, gblen, la, lb, lc;
    static const char staff[] = "{\"findings\": [{\"description\": \"职员\\n职员\"}]}\n";

    (void)state;
    snprintf(path, sizeof path, "%s/adapters/audit/samples/audit-2026-11.json",
             srcdir ? srcdir : ".");
    text = files_read(path, &len);
    assert_non_null(text);
    for (int k = 0; k < 2; k++) {
        const char *t = k == 0 ? text : staff;
        size_t tl = k == 0 ? len : sizeof staff - 1;
        bom = malloc(tl + 3);
        assert_non_null(bom);
        memcpy(bom, "\xef\xbb\xbf", 3);
        memcpy(bom + 3, t, tl);
        gb = to_gb18030(t, tl, &gblen);
        a = textin_to_utf8(t, tl, &la);
        b = textin_to_utf8(bom, tl + 3, &lb);
        c = textin_to_utf8(gb, gblen, &lc);
        assert_non_null(a);
        assert_non_null(b);
        assert_non_null(c);
        assert_true(la == tl && memcmp(a, t, tl) == 0);
        assert_true(lb == tl && memcmp(b, t, tl) == 0);
        if (lc != tl || memcmp(c, t, tl) != 0)
            fail_msg("audit %s: the GB18030 twin converts to other text", k ? "职员" : "sample");
        free(a);
        free(b);
        free(c);
        free(gb);
        free(bom);
    }
    free(text);
}

/* Nothing at all (as a fuzzer may pass it): no rows, no error. */
static void
empty_buffer_is_no_rows(void **state)
{
    size_t len = 1;
    char *text, *rows;
    int bad = -1;

    (void)state;
    rows = records(NULL, 0, &bad);
    assert_string_equal(rows, "");
    assert_int_equal(bad, 0);
    free(rows);
    assert_non_null(text = textin_to_utf8(NULL, 0, &len));
    assert_int_equal(len, 0);
    assert_string_equal(text, "");
    free(text);
}

/* The records of any export (a file), as text (free it): tablein_read. */
static char *
table_records(const char *path)
{
    struct dump d = { 0 };
    char err[256];

    d.f = open_memstream(&d.text, &d.len);
    assert_non_null(d.f);
    if (tablein_read(path, dump_row, dump_bad, &d, err, sizeof err) != 0)
        fail_msg("%s: %s", path, err);
    fclose(d.f);
    return d.text;
}

static const char *
src_dir(void)
{
    const char *s = getenv("LIANXI_SRC");
    return s ? s : ".";
}

/* Excel's "Unicode text" twin of a sample (UTF-16LE, BOM, TABs, CRLF) gives
 * the very records of the CSV, at the same lines. */
static void
unicode_text_reads_as_its_csv(void **state)
{
    static const char *const units[] = { "police", "court" };
    char path[PATH_MAX];

    (void)state;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        char *csv, *u16;
        snprintf(path, sizeof path, "%s/adapters/%s/samples/%s-2026-11.csv", src_dir(),
                 units[i], units[i]);
        csv = table_records(path);
        snprintf(path, sizeof path, "%s/adapters/%s/samples/%s-2026-11.utf16.txt", src_dir(),
                 units[i], units[i]);
        u16 = table_records(path);
        if (strcmp(csv, u16) != 0)
            fail_msg("%s: the Unicode text gives other records", units[i]);
        free(csv);
        free(u16);
    }
}

/* One record as the sheet should give it: its fields, dates written
 * YYYY/M/D in the CSV turned into YYYY-MM-DD as a date cell shows them. */
static char *
normalise_dates(const char *line)
{
    char *out = malloc(strlen(line) * 2 + 1), *o = out;
    const char *p = line;

    assert_non_null(out);
    while (*p) {
        int y, m, d, n = 0;
        if (p[0] == '[' && sscanf(p, "[%4d/%2d/%2d]%n", &y, &m, &d, &n) == 3 && n > 0) {
            o += sprintf(o, "[%04d-%02d-%02d]", y, m, d);
            p += n;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* The workbooks made from a sample (tests/tools/mksheets.py): record k of
 * the CSV is sheet row k, with the same fields; one more row whose ID
 * number became a number reads as Excel shows it; the empty formatted rows
 * after it are not read. */
static void
workbooks_read_as_their_csv(void **state)
{
    static const char *const units[] = { "police", "court" };
    static const char *const kinds[] = { "xlsx", "xls" };
    char path[PATH_MAX];

    (void)state;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        char *csv;
        snprintf(path, sizeof path, "%s/adapters/%s/samples/%s-2026-11.csv", src_dir(),
                 units[i], units[i]);
        csv = table_records(path);
        for (size_t k = 0; k < 2; k++) {
            char *sheet, *cl, *sl, *cnext, *snext, *lines = strdup(csv);
            long rec = 0;
            snprintf(path, sizeof path, "%s/adapters/%s/samples/%s-sheet.%s", src_dir(),
                     units[i], units[i], kinds[k]);
            sheet = table_records(path);
            assert_non_null(lines);
            for (cl = lines, sl = sheet; *cl; cl = cnext, sl = snext) {
                char *want, *cf, *sf;
                rec++;
                cnext = strchr(cl, '\n');
                snext = strchr(sl, '\n');
                if (!cnext || !snext)
                    fail_msg("%s %s: record %ld missing", units[i], kinds[k], rec);
                *cnext++ = '\0';
                *snext++ = '\0';
                /* "line undecodable n:[fields]": the sheet's line is the record's number. */
                cf = strchr(cl, ':');
                sf = strchr(sl, ':');
                want = normalise_dates(cf);
                if (atol(sl) != rec || !sf || strcmp(want, sf) != 0)
                    fail_msg("%s %s: record %ld is\n%s\nnot\n%ld 0 ...%s", units[i], kinds[k],
                             rec, sl, rec, want);
                free(want);
            }
            /* The number-ID row, then nothing. */
            snext = strchr(sl, '\n');
            if (!snext || snext[1] || atol(sl) != rec + 1 || !strstr(sl, "[4.41623E+17]"))
                fail_msg("%s %s: after the CSV's records the sheet has:\n%s", units[i], kinds[k],
                         sl);
            free(sheet);
            free(lines);
        }
        free(csv);
    }
}

static void
zip_put(zip_t *z, const char *name, const char *text)
{
    zip_source_t *s = zip_source_buffer(z, text, strlen(text), 0);
    assert_non_null(s);
    assert_true(zip_file_add(z, name, s, ZIP_FL_OVERWRITE) >= 0);
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

/* A workbook as Excel writes one, by hand: the first sheet in the
 * workbook's order is not sheet1.xml; shared strings with runs and a
 * phonetic guide, inline strings, a date serial under a built-in and a
 * custom Chinese date format, a big General number, #,##0.00, a row
 * missing, a cell missing, an empty formatted row at the end. */
static void
xlsx_cells_read_as_the_clerk_sees_them(void **state)
{
    char dir[] = "/tmp/lx-test-xlsx-XXXXXX", path[64], *rows;
    zip_t *z;
    int ze;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/export.xlsx", dir);
    assert_non_null(z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze));
    zip_put(z, "xl/workbook.xml", "<workbook " NS "><workbookPr/><sheets>"
            "<sheet name=\"导出\" sheetId=\"2\" r:id=\"rId7\"/>"
            "<sheet name=\"x\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
    zip_put(z, "xl/_rels/workbook.xml.rels",
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
            "<Relationship Id=\"rId7\" Target=\"worksheets/export.xml\"/></Relationships>");
    zip_put(z, "xl/styles.xml", "<styleSheet " NS "><numFmts count=\"1\">"
            "<numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
            "</numFmts><cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
            "<xf numFmtId=\"176\"/><xf numFmtId=\"49\"/><xf numFmtId=\"4\"/></cellXfs>"
            "</styleSheet>");
    zip_put(z, "xl/sharedStrings.xml", "<sst " NS "><si><t>编号</t></si>"
            "<si><r><t>姓</t></r><r><rPr/><t xml:space=\"preserve\">名</t></r>"
            "<rPh sb=\"0\" eb=\"1\"><t>xing</t></rPh></si><si><t>日期</t></si></sst>");
    zip_put(z, "xl/worksheets/sheet1.xml", "<worksheet " NS "><sheetData><row r=\"1\">"
            "<c r=\"A1\" t=\"inlineStr\"><is><t>not this sheet</t></is></c></row>"
            "</sheetData></worksheet>");
    zip_put(z, "xl/worksheets/export.xml", "<worksheet " NS "><sheetData>"
            "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
            "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"inlineStr\"><is><t>金额</t></is></c></row>"
            "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>A1</t></is></c>"
            "<c r=\"B2\"><v>441623198512081850</v></c><c r=\"C2\" s=\"1\"><v>45658</v></c>"
            "<c r=\"D2\" s=\"4\"><v>1234.5</v></c></row>"
            "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><r><t>A</t></r><r><t>2</t></r></is></c>"
            "<c r=\"C4\" s=\"2\"><v>46000</v></c><c r=\"D4\"><v>0.25</v></c></row>"
            "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>A3</t></is></c></row>"
            "<row r=\"6\"><c r=\"A6\" s=\"3\"/><c r=\"B6\" s=\"3\"/></row>"
            "<row r=\"7\"><c r=\"C7\" t=\"s\" s=\"3\"/></row>"
            "</sheetData></worksheet>");
    assert_int_equal(zip_close(z), 0);
    rows = table_records(path);
    assert_string_equal(rows, "1 0 4:[编号][姓名][日期][金额]\n"
                              "2 0 4:[A1][4.41623E+17][2025-01-01][1,234.50]\n"
                              "4 0 4:[A2][][2025-12-09][0.25]\n"
                              "5 0 4:[A3][][][]\n");
    free(rows);
    unlink(path);
    rmdir(dir);
}

static void
numbers_and_date_serials_as_excel_shows_them(void **state)
{
    static const struct { double v; const char *shown; } nums[] = {
        { 441623198512081850.0, "4.41623E+17" }, { 12345, "12345" }, { 0.1, "0.1" },
        { 1e12, "1E+12" }, { 123456789012.0, "1.23457E+11" }, { 3.14159265358979, "3.141592654" },
        { -42, "-42" }, { 0, "0" },
        /* What no cell can show (<v>1e999</v>): Excel's #NUM!, not undefined behaviour. */
        { INFINITY, "#NUM!" }, { -INFINITY, "#NUM!" }, { NAN, "#NUM!" },
    };
    static const struct { double serial; int d1904; const char *date; } dates[] = {
        { 1, 0, "1900-01-01" }, { 59, 0, "1900-02-28" }, { 60, 0, "1900-02-29" },
        { 61, 0, "1900-03-01" }, { 45658, 0, "2025-01-01" }, { 45658.75, 0, "2025-01-01" },
        { 46000, 0, "2025-12-09" }, { 0, 1, "1904-01-01" },
        { 1e300, 0, "#NUM!" }, { -1, 0, "#NUM!" }, { NAN, 0, "#NUM!" },
    };
    char buf[64];

    (void)state;
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        sheet_general(nums[i].v, buf, sizeof buf);
        assert_string_equal(buf, nums[i].shown);
    }
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        sheet_serial_date(dates[i].serial, dates[i].d1904, buf);
        assert_string_equal(buf, dates[i].date);
    }
}

/* A format of four columns, for the header checks. */
static const struct csv_column four[] = {
    { "编号", CF_CASE }, { "姓名", CF_NAME }, { "职级", CF_RANK }, { "知悉日期", CF_DATE },
    { NULL, 0 },
};
static const struct csv_format four_fmt = { four, NULL, NULL };

/* The header problem of the comma-separated names (NULL when none). */
static char *
header_problem(const char *names)
{
    char *copy = strdup(names), *fields[16], *save = NULL;
    size_t n = 0;
    char *problem;

    for (char *t = strtok_r(copy, ",", &save); t && n < 16; t = strtok_r(NULL, ",", &save))
        fields[n++] = t;
    problem = csvfmt_header_problem(&four_fmt, fields, n);
    free(copy);
    return problem;
}

/* The first line of text, which is the reason the file is rejected. */
static void
assert_first_line_has(const char *text, const char *want)
{
    const char *nl = strchr(text, '\n');
    size_t len = nl ? (size_t)(nl - text) : strlen(text);
    char *first = strndup(text, len);

    if (!strstr(first, want))
        fail_msg("'%s' not in the reason: %s", want, first);
    free(first);
}

static void
assert_has(const char *text, const char *want)
{
    if (!strstr(text, want))
        fail_msg("'%s' not in:\n%s", want, text);
}

static void
header_problems_name_the_columns_in_chinese(void **state)
{
    char *p;

    (void)state;
    assert_int_equal(i18n_init("zh"), 0);
    assert_null(p = header_problem("编号,姓名,职级,知悉日期"));
    assert_null(p = header_problem(" 编号,姓名　,职级,知悉日期,,"));
    /* Missing: 职级. */
    assert_non_null(p = header_problem("编号,姓名,知悉日期"));
    assert_first_line_has(p, "第一行不是本单位导出文件的表头");
    assert_first_line_has(p, "缺少列：职级");
    assert_has(p, "第3列：应为“职级”，实为“知悉日期”");
    assert_has(p, "第4列：应为“知悉日期”，实为“（无）”");
    assert_has(p, "第1列：编号");
    free(p);
    /* Extra: 备注; and two missing, listed in order. */
    assert_non_null(p = header_problem("编号,备注,知悉日期"));
    assert_first_line_has(p, "缺少列：姓名、职级");
    assert_first_line_has(p, "多出列：备注");
    assert_has(p, "第2列：应为“姓名”，实为“备注”");
    free(p);
    /* Out of order. */
    assert_non_null(p = header_problem("编号,职级,姓名,知悉日期"));
    assert_first_line_has(p, "列名齐全，但顺序不对");
    assert_has(p, "第2列：应为“姓名”，实为“职级”");
    assert_has(p, "第3列：应为“职级”，实为“姓名”");
    free(p);
    /* In English the same facts. */
    assert_int_equal(i18n_init("en"), 0);
    assert_non_null(p = header_problem("编号,备注,知悉日期"));
    assert_first_line_has(p, "missing columns 姓名, 职级");
    assert_first_line_has(p, "does not have 备注");
    free(p);
}

static void
id_number_in_scientific_notation_says_the_spreadsheet_changed_it(void **state)
{
    char buf[1024];
    const char *why;

    (void)state;
    assert_int_equal(i18n_init("zh"), 0);
    assert_null(record_idno_problem("44162319851208185X", buf, sizeof buf));
    assert_non_null(why = record_idno_problem("4.41623E+17", buf, sizeof buf));
    assert_has(why, "4.41623E+17");
    assert_has(why, "电子表格");
    assert_has(why, "设置单元格格式为“文本”");
    assert_has(why, "以文本形式导入");
    assert_non_null(why = record_idno_problem("4.41623e17", buf, sizeof buf));
    assert_has(why, "设置单元格格式为“文本”");
    /* Not a number in scientific notation: idnum's reason, in Chinese. */
    assert_non_null(why = record_idno_problem("44162319851208185", buf, sizeof buf));
    assert_has(why, "18位");
    assert_has(why, "44162319851208185");
    assert_null(strstr(why, "电子表格"));
    assert_int_equal(i18n_init("en"), 0);
    assert_non_null(why = record_idno_problem("4.41623E+17", buf, sizeof buf));
    assert_has(why, "the spreadsheet turned the ID number into a number");
}


/* A workbook cut short, or a zip that is no workbook: refused whole, the
 * reason naming the kind of file, in Chinese. */
static void
damaged_workbooks_are_refused_by_name(void **state)
{
    static const char *const kinds[] = { "xlsx", "xls" };
    char path[PATH_MAX], err[512];
    struct dump d = { 0 };

    (void)state;
    assert_int_equal(i18n_init("zh"), 0);
    for (size_t k = 0; k < 2; k++) {
        size_t len;
        char *raw;
        snprintf(path, sizeof path, "%s/adapters/police/samples/police-sheet.%s", src_dir(),
                 kinds[k]);
        assert_non_null(raw = files_read(path, &len));
        d.f = open_memstream(&d.text, &d.len);
        assert_non_null(d.f);
        err[0] = '\0';
        assert_int_equal(tablein_read_mem("cut", raw, len / 3, dump_row, dump_bad, &d, err,
                                        sizeof err), -1);
        fclose(d.f);
        free(d.text);
        assert_has(err, k == 0 ? "Excel 工作簿（.xlsx）" : "Excel 97-2003 工作簿（.xls）");
        free(raw);
    }
    assert_int_equal(i18n_init("en"), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(staff_lines_in_gb18030_read_as_in_utf8),
        cmocka_unit_test(csv_samples_read_the_same_in_every_encoding),
        cmocka_unit_test(audit_sample_converts_the_same_from_every_encoding),
        cmocka_unit_test(empty_buffer_is_no_rows),
        cmocka_unit_test(unicode_text_reads_as_its_csv),
        cmocka_unit_test(workbooks_read_as_their_csv),
        cmocka_unit_test(xlsx_cells_read_as_the_clerk_sees_them),
        cmocka_unit_test(numbers_and_date_serials_as_excel_shows_them),
        cmocka_unit_test(header_problems_name_the_columns_in_chinese),
        cmocka_unit_test(id_number_in_scientific_notation_says_the_spreadsheet_changed_it),
        cmocka_unit_test(damaged_workbooks_are_refused_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
