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
    /* The field's name is translated too. */
    assert_string_equal(out, "干部姓名未填写：请填写后重新报送");
    i18n_init("en");
}

/* Every reason of the table: its values as its kinds say and as many as
 * its template's conversions, and a sentence in both languages that holds
 * each value (a unit's code as the unit's name). */
static void
every_reason_renders_in_both_languages(void **state)
{
    const char *args[] = { "V1x", "police", "V3x", "V4x" };

    (void)state;
    assert_true(reasons_count() > 30);
    for (size_t i = 0; i < reasons_count(); i++) {
        const char *key = reasons_key_at(i);
        size_t n = reasons_nargs(key);
        const char *lang[] = { "en", "zh" };

        assert_int_equal(reasons_count_conversions(reasons_template(key)), n);
        for (size_t l = 0; l < 2; l++) {
            char out[1024];
            const char *a[4];

            i18n_init(lang[l]);
            for (size_t k = 0; k < 4; k++)
                a[k] = args[k];
            assert_int_equal(reasons_format(key, a, n, out, sizeof out), 0);
            if (l == 1 && !text_utf8_valid(out, strlen(out)))
                fail_msg("%s", key);
            /* Chinese in Chinese: every template is translated. */
            if (l == 1 && strcmp(out, reasons_template(key)) == 0)
                fail_msg("%s is not translated", key);
            for (size_t k = 0; k < n; k++)
                if (k != 1 && !strstr(out, args[k]))
                    fail_msg("%s (%s) does not name %s: %s", key, lang[l], args[k], out);
        }
    }
    i18n_init("en");
}

/* A unit's code is written as the unit's name: the same refusal in zh and
 * in en. */
static void
unit_is_named_and_rendered_in_both_languages(void **state)
{
    const char *args[] = { "court.criminal_judgment", "police" };
    char out[512];

    (void)state;
    i18n_init("en");
    assert_int_equal(reasons_format("category.not_registered", args, 2, out, sizeof out), 0);
    assert_string_equal(out, "category 'court.criminal_judgment' is not registered for 县公安局: "
                             "use one of your unit's categories in the registry");
    i18n_init("zh");
    assert_int_equal(reasons_format("category.not_registered", args, 2, out, sizeof out), 0);
    assert_string_equal(out, "问题类别“court.criminal_judgment”不属于县公安局：请使用登记表中本单位"
                             "的问题类别");
    i18n_init("en");
    assert_string_equal(reasons_key_of("the message is not a lianxi protocol message: check "
                                       "the adapter version"), "message.undecodable");
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
        cmocka_unit_test(every_reason_renders_in_both_languages),
        cmocka_unit_test(unit_is_named_and_rendered_in_both_languages),
        cmocka_unit_test(unknown_key_or_wrong_count_is_refused),
        cmocka_unit_test(set_keeps_values_as_valid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
