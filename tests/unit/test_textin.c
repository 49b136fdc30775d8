/* test_textin.c — encodings and CSV records of units' exports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iconv.h>

#include "i18n.h"
#include "textin.h"
#include "tmpdir.h"

static int
tmp_setup(void **state)
{
    return tmp_make(state, "textin", "export.csv");
}

struct seen {
    int rows, undecodable, bad;
    long lines[16];
    char first[16][64];
    char second[16][64];
    long bad_lines[16];
};

static int
on_row(void *arg, const struct textin_row *row)
{
    struct seen *s = arg;
    if (s->rows < 16) {
        s->lines[s->rows] = row->line;
        snprintf(s->first[s->rows], sizeof s->first[0], "%s", row->n ? row->fields[0] : "");
        snprintf(s->second[s->rows], sizeof s->second[0], "%s", row->n > 1 ? row->fields[1] : "");
    }
    s->rows++;
    s->undecodable += row->undecodable;
    return 0;
}

static void
on_bad(void *arg, long line, const char *why)
{
    struct seen *s = arg;
    (void)why;
    if (s->bad < 16)
        s->bad_lines[s->bad] = line;
    s->bad++;
}

static struct seen
read_text(struct tmp *t, const char *bytes, size_t len)
{
    struct seen s = { 0 };
    char err[128];
    FILE *f = fopen(t->path, "wb");

    assert_non_null(f);
    fwrite(bytes, 1, len, f);
    fclose(f);
    assert_int_equal(textin_csv(t->path, on_row, on_bad, &s, err, sizeof err), 0);
    return s;
}

static void
damaged_line_in_utf8_export_loses_only_that_line(void **state)
{
    static const char text[] = "编号,姓名\nA1,杨志明\nA2,周\xff\xfe峰\nA3,黄海燕\n";
    struct seen s = read_text(*state, text, sizeof text - 1);

    assert_int_equal(s.rows, 4);
    assert_int_equal(s.undecodable, 1);
    assert_string_equal(s.first[1], "A1");
    assert_string_equal(s.first[3], "A3");
}

/* A damaged line whose bytes GB18030 happens to explain (C0 C1) does not
 * turn a UTF-8 export into GB18030: the Chinese lines outweigh it. */
static void
damaged_line_that_gb18030_explains_loses_only_that_line(void **state)
{
    static const char text[] = "编号,姓名\nA1,杨志明\nA2,周\xc0\xc1峰\nA3,黄海燕\n";
    struct seen s = read_text(*state, text, sizeof text - 1);

    assert_int_equal(s.rows, 4);
    assert_int_equal(s.undecodable, 1);
    assert_string_equal(s.first[0], "编号");
    assert_string_equal(s.first[3], "A3");
}

static void
gb18030_export_is_converted(void **state)
{
    /* "编号,姓名\nA1,杨志明\n" in GB18030. */
    static const char text[] = "\xb1\xe0\xba\xc5,\xd0\xd5\xc3\xfb\nA1,\xd1\xee\xd6\xbe\xc3\xf7\n";
    struct seen s = read_text(*state, text, sizeof text - 1);

    assert_int_equal(s.rows, 2);
    assert_int_equal(s.undecodable, 0);
    assert_string_equal(s.first[0], "编号");
}

/* Bytes that are Chinese text in both encodings: 濉癅 in GB18030 is E5 A1 B0
 * 40, which is 塰@ in UTF-8.  Alone, such a line speaks for UTF-8 (FORMAT.md,
 * "Encoding"); in a GB18030 export it is outweighed by the lines UTF-8 cannot
 * read, and the whole export is GB18030, that line included. */
static void
line_that_is_chinese_in_both_encodings(void **state)
{
    static const char alone[] = "\xe5\xa1\xb0\x40,1\n";
    /* "编号,姓名\n濉癅,1\nA1,杨志明\n" in GB18030. */
    static const char gb[] = "\xb1\xe0\xba\xc5,\xd0\xd5\xc3\xfb\n\xe5\xa1\xb0\x40,1\n"
                             "A1,\xd1\xee\xd6\xbe\xc3\xf7\n";
    struct seen s = read_text(*state, alone, sizeof alone - 1);

    assert_int_equal(s.rows, 1);
    assert_string_equal(s.first[0], "塰@");
    s = read_text(*state, gb, sizeof gb - 1);
    assert_int_equal(s.rows, 3);
    assert_int_equal(s.undecodable, 0);
    assert_string_equal(s.first[0], "编号");
    assert_string_equal(s.first[1], "濉癅");
    assert_string_equal(s.second[2], "杨志明");
}

static void
bom_is_ignored_and_quoted_line_break_keeps_record_line(void **state)
{
    static const char text[] = "\xef\xbb\xbf" "编号,摘要\r\nA1,\"第一行\n第二行\"\r\nA2,x\r\n";
    struct seen s = read_text(*state, text, sizeof text - 1);

    assert_int_equal(s.rows, 3);
    assert_string_equal(s.first[0], "编号");
    assert_int_equal(s.lines[1], 2);
    assert_int_equal(s.lines[2], 4);
}

static void
unbalanced_quote_is_reported_and_reading_goes_on(void **state)
{
    static const char text[] = "a,b\n1,\"x\"y\n2,z\n";
    struct seen s = read_text(*state, text, sizeof text - 1);

    assert_int_equal(s.bad, 1);
    assert_int_equal(s.rows, 2);    /* the header and row 2 */
    assert_string_equal(s.first[1], "2");
}

/* The line a record starts on, counted as the reader counts: 1 + the LFs
 * before the record's first byte in the text. */
static long
line_of(const char *text, const char *record)
{
    long line = 1;
    for (const char *p = text; p < strstr(text, record); p++)
        line += *p == '\n';
    return line;
}

static void
bare_cr_outside_quotes_rejects_its_line_at_its_number(void **state)
{
    static const char text[] = "a,b\r\nc,d\re,f\r\ng,h\r\n";
    struct seen s = read_text(*state, text, sizeof text - 1);

    assert_int_equal(s.bad, 1);
    assert_int_equal(s.bad_lines[0], line_of(text, "c,d"));
    assert_int_equal(s.rows, 2);    /* the header and g,h */
    assert_string_equal(s.first[1], "g");
    assert_int_equal(s.lines[1], line_of(text, "g,h"));
}

/* Lines that end in CR alone (Excel's "CSV (Macintosh)"): each is a line,
 * numbered as the clerk counts them. */
static void
cr_only_line_ends_are_line_ends(void **state)
{
    static const char text[] = "a,b\r1,x\r2,\"y\"\r3,z";
    struct seen s = read_text(*state, text, sizeof text - 1);

    assert_int_equal(s.bad, 0);
    assert_int_equal(s.rows, 4);
    assert_string_equal(s.first[1], "1");
    assert_int_equal(s.lines[1], 2);
    assert_int_equal(s.lines[3], 4);
}

static void
cr_inside_a_quoted_field_is_data(void **state)
{
    static const char text[] = "a,b\n1,\"x\ry\"\n2,z\n";
    struct seen s = read_text(*state, text, sizeof text - 1);

    assert_int_equal(s.bad, 0);
    assert_int_equal(s.rows, 3);
    assert_string_equal(s.second[1], "x\ry");
    assert_int_equal(s.lines[2], line_of(text, "2,z"));
}

/* In GB18030 ("编号,姓名\nA1,杨志明\n" then a line that GB18030 cannot read,
 * FF, with a bare CR before A3): nothing after the CR is taken from the
 * unconverted bytes as a record of its own. */
static void
bare_cr_in_a_gb18030_line_rejects_that_line(void **state)
{
    static const char text[] = "\xb1\xe0\xba\xc5,\xd0\xd5\xc3\xfb\n"
                               "A1,\xd1\xee\xd6\xbe\xc3\xf7\n"
                               "A2,\xff\rA3,\xd1\xee\n"
                               "A4,\xd1\xee\r\xd6\xbe\n"
                               "A5,\xd1\xee\r\n";
    struct seen s = read_text(*state, text, sizeof text - 1);

    for (int i = 0; i < s.rows && i < 16; i++)
        if (strcmp(s.first[i], "A3") == 0 || s.lines[i] == 0 || strcmp(s.first[i], "A4") == 0)
            fail_msg("row %d (%s) read at line %ld", i, s.first[i], s.lines[i]);
    assert_int_equal(s.bad, 2);
    assert_int_equal(s.bad_lines[0], line_of(text, "A2,"));
    assert_int_equal(s.bad_lines[1], line_of(text, "A4,"));
    assert_int_equal(s.rows, 3);    /* the header, A1 and A5 */
    assert_string_equal(s.first[2], "A5");
    assert_int_equal(s.undecodable, 0);
}

/* The UTF-8 text in UTF-16 (to, e.g. "UTF-16LE") after its BOM: what Excel
 * saves as "Unicode text" (Unicode 文本).  Returns the length. */
static size_t
utf16(const char *text, const char *to, char *out, size_t cap)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    char *in = (char *)text, *o = out + 2;
    size_t inleft = strlen(text), outleft = cap - 2;

    assert_true(cd != (iconv_t)-1);
    memcpy(out, strcmp(to, "UTF-16LE") == 0 ? "\xff\xfe" : "\xfe\xff", 2);
    assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    iconv_close(cd);
    return (size_t)(o - out);
}

/* Excel's "Unicode text": UTF-16 (LE or BE) after a BOM, TAB-separated,
 * quoted as CSV; a comma is data, records start on their own lines. */
static void
unicode_text_is_read_tab_separated(void **state)
{
    static const char text[] = "编号\t姓名\r\nA1\t\"杨,志明\"\r\nA2\t\"两\n行\"\r\nA3\t黄海燕\r\n";
    static const char *const orders[] = { "UTF-16LE", "UTF-16BE" };
    char raw[512];

    for (size_t i = 0; i < 2; i++) {
        size_t len = utf16(text, orders[i], raw, sizeof raw);
        struct seen s = read_text(*state, raw, len);

        assert_int_equal(s.rows, 4);
        assert_int_equal(s.undecodable, 0);
        assert_int_equal(s.bad, 0);
        assert_string_equal(s.first[0], "编号");
        assert_string_equal(s.second[0], "姓名");
        assert_string_equal(s.second[1], "杨,志明");
        assert_string_equal(s.second[2], "两\n行");
        assert_int_equal(s.lines[2], line_of(text, "A2"));
        assert_int_equal(s.lines[3], line_of(text, "A3"));
        assert_string_equal(s.second[3], "黄海燕");
    }
}

/* A UTF-16 export cut in the middle of a character cannot be read: the
 * reason names the line, in Chinese for the clerk. */
static void
broken_unicode_text_is_refused_by_line(void **state)
{
    struct tmp *t = *state;
    static const char text[] = "编号\t姓名\r\nA1\t杨\r\nA2\t周";
    char raw[256], err[256];
    size_t len = utf16(text, "UTF-16LE", raw, sizeof raw);
    struct seen s = { 0 };
    FILE *f = fopen(t->path, "wb");

    assert_non_null(f);
    fwrite(raw, 1, len - 1, f);     /* half of 周 */
    fclose(f);
    assert_int_equal(i18n_init("zh"), 0);
    assert_int_equal(textin_csv(t->path, on_row, on_bad, &s, err, sizeof err), -1);
    if (!strstr(err, "第3行") || !strstr(err, "Unicode 文本"))
        fail_msg("reason: %s", err);
    assert_int_equal(i18n_init("en"), 0);
}

/* What Excel writes (zip, OLE2) and UTF-16 are told from text by their bytes. */
static void
kinds_by_their_first_bytes(void **state)
{
    (void)state;
    assert_int_equal(textin_kind("PK\x03\x04rest", 8), TEXTIN_XLSX);
    assert_int_equal(textin_kind("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8), TEXTIN_XLS);
    assert_int_equal(textin_kind("\xff\xfe" "a", 3), TEXTIN_UTF16);
    assert_int_equal(textin_kind("\xfe\xff", 2), TEXTIN_UTF16);
    assert_int_equal(textin_kind("\xef\xbb\xbf" "a,b", 6), TEXTIN_TEXT);
    assert_int_equal(textin_kind("a,b", 3), TEXTIN_TEXT);
    assert_int_equal(textin_kind(NULL, 0), TEXTIN_TEXT);
}

/* A whole JSON export saved as "Unicode" by Notepad converts as its UTF-8. */
static void
unicode_text_converts_whole(void **state)
{
    static const char text[] = "{\"findings\": [{\"description\": \"职员\\n杨志明\"}]}\n";
    char raw[256], *out;
    size_t len = utf16(text, "UTF-16LE", raw, sizeof raw), outlen;

    (void)state;
    assert_non_null(out = textin_to_utf8(raw, len, &outlen));
    assert_int_equal(outlen, strlen(text));
    assert_string_equal(out, text);
    free(out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(damaged_line_in_utf8_export_loses_only_that_line,
                                        tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(damaged_line_that_gb18030_explains_loses_only_that_line,
                                        tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(gb18030_export_is_converted, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(line_that_is_chinese_in_both_encodings, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(bom_is_ignored_and_quoted_line_break_keeps_record_line,
                                        tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(unbalanced_quote_is_reported_and_reading_goes_on,
                                        tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(bare_cr_outside_quotes_rejects_its_line_at_its_number,
                                        tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(cr_inside_a_quoted_field_is_data, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(cr_only_line_ends_are_line_ends, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(bare_cr_in_a_gb18030_line_rejects_that_line, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(unicode_text_is_read_tab_separated, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(broken_unicode_text_is_refused_by_line, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test(kinds_by_their_first_bytes),
        cmocka_unit_test(unicode_text_converts_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
