/* test_text.c — text that forges or hides: the control-character scanner and
 * escaping (src/lib/text.h), and zero bytes in texts on the wire (wire.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "wire.h"

static long
find(const char *s, int allow_nl_tab, uint32_t *cp)
{
    return text_find_control(s, strlen(s), allow_nl_tab, cp);
}

static void
plain_chinese_text_has_no_control(void **state)
{
    uint32_t cp = 0;

    (void)state;
    assert_int_equal(find("县交通运输局 副局长 (a-z)", 0, &cp), -1);
}

static void
control_scanner_finds_each_kind_with_its_offset(void **state)
{
    uint32_t cp = 0;

    (void)state;
    assert_int_equal(find("张\x1b]0;", 0, &cp), 3);
    assert_int_equal(cp, 0x1b);
    assert_int_equal(find("a\x7f", 0, &cp), 1);
    assert_int_equal(cp, 0x7f);
    assert_int_equal(find("a\xc2\x9b", 0, &cp), 1);
    assert_int_equal(cp, 0x9b);
    assert_int_equal(find("ab\xe2\x80\xae", 0, &cp), 2);
    assert_int_equal(cp, 0x202e);
    assert_int_equal(find("\xe2\x80\xa9", 0, &cp), 0);
    assert_int_equal(cp, 0x2029);
    assert_int_equal(find("\xe2\x81\xa8", 0, &cp), 0);
    assert_int_equal(cp, 0x2068);
    /* Neighbours that are ordinary characters. */
    assert_int_equal(find("\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xc2\xa0", 0, &cp),
                     -1);
}

static void
newline_and_tab_are_allowed_only_when_asked(void **state)
{
    uint32_t cp = 0;

    (void)state;
    assert_int_equal(find("a\nb\tc", 1, &cp), -1);
    assert_int_equal(find("a\nb", 0, &cp), 1);
    assert_int_equal(cp, '\n');
    assert_int_equal(find("a\r\nb", 1, &cp), 1);
    assert_int_equal(cp, '\r');
}

static void
escape_keeps_a_forged_line_on_one_line(void **state)
{
    const char in[] = "police:1\n2026-11-22T00:00:00Z lianxi-hub[info]: key authorized";
    char out[256];

    (void)state;
    text_escape(out, sizeof out, in, strlen(in));
    assert_null(strchr(out, '\n'));
    assert_string_equal(out, "police:1\\n2026-11-22T00:00:00Z lianxi-hub[info]: "
                             "key authorized");
}

static void
escape_writes_controls_and_bad_bytes_visibly(void **state)
{
    const char in[] = "张\x1b]0;x\x07\r\t\xff\xc2\x85\xe2\x80\xae三";
    char out[256];

    (void)state;
    text_escape(out, sizeof out, in, strlen(in));
    assert_string_equal(out, "张\\x1b]0;x\\x07\\r\\t\\xff\\u0085\\u202E三");
    assert_true(text_utf8_valid(out, strlen(out)));
}

static void
escape_cuts_on_a_character_boundary(void **state)
{
    char out[6];

    (void)state;
    /* 张三 is 6 bytes; 5 fit with the NUL: only 张 is written. */
    assert_int_equal(text_escape(out, sizeof out, "张三", 6), 3);
    assert_string_equal(out, "张");
    /* An escape is never cut either. */
    assert_int_equal(text_escape(out, 4, "\n", 1), 2);
    assert_int_equal(text_escape(out, 3, "a\n", 2), 1);
    assert_string_equal(out, "a");
}

/* Packs a filing whose summary is 前X后 and puts a zero byte where X is. */
static uint8_t *
packed_with_zero_in(const char *field, size_t *len)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre c = LIANXI__CADRE__INIT;
    static const uint8_t sig[4] = { 1, 0, 0, 2 };
    uint8_t *buf, *x;
    long n;

    f.unit = "police";
    f.filing_id = "police:1";
    f.cadre = &c;
    c.name = "张三";
    f.summary = "前后";
    f.signature.data = (uint8_t *)sig;
    f.signature.len = sizeof sig;
    if (strcmp(field, "summary") == 0)
        f.summary = "前X后";
    else
        c.name = "张X三";
    env.body_case = LIANXI__ENVELOPE__BODY_FILING;
    env.filing = &f;
    n = wire_pack(&env, &buf);
    assert_true(n > 0);
    assert_non_null(x = memchr(buf, 'X', (size_t)n));
    *x = '\0';
    *len = (size_t)n;
    return buf;
}

static void
zero_byte_in_summary_makes_the_message_malformed(void **state)
{
    const char *why = NULL;
    size_t n;
    uint8_t *buf = packed_with_zero_in("summary", &n);

    (void)state;
    assert_null(wire_decode(buf, n, &why));
    assert_non_null(why);
    assert_non_null(strstr(why, "zero byte"));
    assert_null(wire_unpack(buf, n));
    free(buf);
}

static void
zero_byte_in_a_nested_text_makes_the_message_malformed(void **state)
{
    size_t n;
    uint8_t *buf = packed_with_zero_in("name", &n);

    (void)state;
    assert_null(wire_unpack(buf, n));
    free(buf);
}

static void
zero_bytes_in_a_signature_are_fine(void **state)
{
    Lianxi__Envelope *env;
    size_t n;
    uint8_t *buf = packed_with_zero_in("summary", &n), *x;

    (void)state;
    /* Put the X back: only the signature then holds zero bytes. */
    assert_non_null(x = memmem(buf, n, "前\0后", 7));
    x[3] = 'X';
    assert_non_null(env = wire_unpack(buf, n));
    assert_string_equal(env->filing->summary, "前X后");
    assert_int_equal(env->filing->signature.len, 4);
    wire_free(env);
    free(buf);
}

static void
utf8_fix_replaces_bad_bytes_and_drops_a_cut_character(void **state)
{
    char a[] = "ok\xff\xfe中";
    char b[] = "abc\xe4\xb8";          /* 中 cut after two of its three bytes */
    char c[] = "\xc0\xaf/";            /* an overlong '/' is not UTF-8 */
    (void)state;

    assert_string_equal(text_utf8_fix(a), "ok??中");
    assert_string_equal(text_utf8_fix(b), "abc");
    text_utf8_fix(c);
    assert_true(text_utf8_valid(c, strlen(c)));
    assert_string_equal(c, "?" "?/");
}

/* 32,000 empty records in 64,000 bytes would take megabytes to decode: the
 * hub refuses it instead of allocating them. */
static void
a_message_made_to_take_much_memory_is_refused(void **state)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT, *out;
    Lianxi__OpReply rep = LIANXI__OP_REPLY__INIT;
    Lianxi__FilingRecord rec = LIANXI__FILING_RECORD__INIT, **recs;
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre c = LIANXI__CADRE__INIT;
    char *summary;
    const char *why = NULL;
    uint8_t *buf;
    size_t n = 32000, len;
    (void)state;

    recs = malloc(n * sizeof *recs);
    for (size_t i = 0; i < n; i++)
        recs[i] = &rec;
    rep.n_filings = n;
    rep.filings = recs;
    env.version = 2;
    env.body_case = LIANXI__ENVELOPE__BODY_OP_REPLY;
    env.op_reply = &rep;
    len = lianxi__envelope__get_packed_size(&env);
    assert_true(len < 70000);
    buf = malloc(len);
    lianxi__envelope__pack(&env, buf);
    assert_null(wire_decode(buf, len, &why));
    assert_non_null(why);
    assert_non_null(strstr(why, "more memory"));
    free(buf);
    free(recs);

    /* A filing as large as the limit allows decodes. */
    summary = malloc(60000);
    memset(summary, 'a', 59999);
    summary[59999] = '\0';
    f.summary = summary;
    f.cadre = &c;
    env.body_case = LIANXI__ENVELOPE__BODY_FILING;
    env.filing = &f;
    len = lianxi__envelope__get_packed_size(&env);
    buf = malloc(len);
    lianxi__envelope__pack(&env, buf);
    assert_non_null(out = wire_decode(buf, len, &why));
    assert_int_equal(strlen(out->filing->summary), 59999);
    wire_free(out);
    free(buf);
    free(summary);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_message_made_to_take_much_memory_is_refused),
        cmocka_unit_test(utf8_fix_replaces_bad_bytes_and_drops_a_cut_character),
        cmocka_unit_test(plain_chinese_text_has_no_control),
        cmocka_unit_test(control_scanner_finds_each_kind_with_its_offset),
        cmocka_unit_test(newline_and_tab_are_allowed_only_when_asked),
        cmocka_unit_test(escape_keeps_a_forged_line_on_one_line),
        cmocka_unit_test(escape_writes_controls_and_bad_bytes_visibly),
        cmocka_unit_test(escape_cuts_on_a_character_boundary),
        cmocka_unit_test(zero_byte_in_summary_makes_the_message_malformed),
        cmocka_unit_test(zero_byte_in_a_nested_text_makes_the_message_malformed),
        cmocka_unit_test(zero_bytes_in_a_signature_are_fine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
