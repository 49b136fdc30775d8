/* test_readers.c — the readers of units' exports, differentially: the same
 * text saved as UTF-8, UTF-8 with a BOM and GB18030 gives the same records. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
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
    for (size_t i = 0; i < row->n; i++)
        fprintf(d->f, "[%s]", row->fields[i]);
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(staff_lines_in_gb18030_read_as_in_utf8),
        cmocka_unit_test(csv_samples_read_the_same_in_every_encoding),
        cmocka_unit_test(audit_sample_converts_the_same_from_every_encoding),
        cmocka_unit_test(empty_buffer_is_no_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
