/* test_reasons.c — refusal reasons written in the reader's language
 * (src/lib/reasons.h, i18n.h): the catalogue built into the build tree. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "i18n.h"
#include "reasons.h"
#include "text.h"

static void
sentence_in_english_and_in_chinese(void **state)
{
    const char *args[] = { "cadre's name" };
    char out[256];

    (void)state;
    assert_int_equal(i18n_init("en"), 0);
    assert_int_equal(reasons_format("field.missing", args, 1, out, sizeof out), 0);
    assert_string_equal(out, "the cadre's name is missing: fill it in and file again");
    assert_int_equal(i18n_init("zh"), 0);
    assert_true(i18n_zh());
    assert_int_equal(reasons_format("field.missing", args, 1, out, sizeof out), 0);
    assert_non_null(strstr(out, "cadre's name"));
    assert_non_null(strstr(out, "请填写"));
}

static void
values_are_escaped_and_the_sentence_is_one_valid_line(void **state)
{
    const char *args[] = { "名\x1b]0;pwned\x07\n\xff字" };
    char out[64];

    (void)state;
    assert_int_equal(i18n_init("en"), 0);
    assert_int_equal(reasons_format("field.missing", args, 1, out, sizeof out), 0);
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\n'));
    assert_true(text_utf8_valid(out, strlen(out)));
    /* Cut short: still valid UTF-8. */
    assert_int_equal(reasons_format("field.missing", args, 1, out, 9), 0);
    assert_true(text_utf8_valid(out, strlen(out)));
}

static void
unknown_key_or_wrong_count_is_refused(void **state)
{
    const char *args[] = { "a", "b" };
    char out[64] = "untouched";

    (void)state;
    assert_int_equal(reasons_format("no.such.reason", args, 1, out, sizeof out), -1);
    assert_int_equal(reasons_format("field.missing", args, 2, out, sizeof out), -1);
    assert_string_equal(out, "untouched");
    assert_null(reasons_template("no.such.reason"));
}

static void
set_keeps_values_as_valid_utf8(void **state)
{
    struct reason r;
    char big[600];

    (void)state;
    memset(big, 0, sizeof big);
    for (size_t i = 0; i + 3 < sizeof big; i += 3)
        memcpy(big + i, "字", 3);                  /* cut inside a character at 256 */
    reasons_set(&r, "field.missing", 1, big);
    assert_int_equal(r.nargs, 1);
    assert_true(text_utf8_valid(r.args[0], strlen(r.args[0])));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sentence_in_english_and_in_chinese),
        cmocka_unit_test(values_are_escaped_and_the_sentence_is_one_valid_line),
        cmocka_unit_test(unknown_key_or_wrong_count_is_refused),
        cmocka_unit_test(set_keeps_values_as_valid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
