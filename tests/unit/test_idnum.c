/* test_idnum.c — resident identity numbers (src/idnum.h).
 *
 * Check characters below were computed by hand with GB 11643 / ISO 7064
 * MOD 11-2: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over the first 17
 * digits, S = sum mod 11, check = "10X98765432"[S]. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "idnum.h"

/* 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2:
 * 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167, 167 mod 11 = 2 -> 'X'. */
#define ID_X "11010519491231002X"
/* 4 4 0 5 2 4 1 9 8 0 0 1 0 1 0 0 1 (born 1980-01-01):
 * 28+36+0+25+16+16+2+9+48+0+0+9+0+5+0+0+2 = 196, 196 mod 11 = 9 -> '3'.
 * (The standard's own example 440524188001010014 is born in 1880, before the
 * 1900 that days_parse accepts, so it cannot serve as a valid number.) */
#define ID_DIGIT "440524198001010013"
/* 1 1 0 1 0 5 1 9 9 0 0 3 0 7 1 2 3:
 * 7+9+0+5+0+20+2+9+54+0+0+27+0+35+8+8+6 = 190, 190 mod 11 = 3 -> '9'. */
#define ID_1990 "110105199003071239"

static void
accepts_valid_number_with_digit_check(void **state)
{
    const char *why = NULL;

    (void)state;
    assert_int_equal(idnum_check(ID_DIGIT, &why), 0);
    assert_int_equal(idnum_check(ID_1990, &why), 0);
}

static void
accepts_upper_case_x_check_character(void **state)
{
    (void)state;
    assert_int_equal(idnum_check(ID_X, NULL), 0);
}

static void
accepts_lower_case_x_check_character(void **state)
{
    (void)state;
    assert_int_equal(idnum_check("11010519491231002x", NULL), 0);
}

static void
rejects_wrong_check_character(void **state)
{
    const char *why = NULL;

    (void)state;
    /* The right character is 'X' (see ID_X); '1' and '0' are wrong. */
    assert_int_equal(idnum_check("110105194912310021", &why), -1);
    assert_non_null(why);
    assert_int_equal(idnum_check("110105194912310020", NULL), -1);
    /* The right character is '3' (see ID_DIGIT); '4' and 'X' are wrong. */
    assert_int_equal(idnum_check("440524198001010014", NULL), -1);
    assert_int_equal(idnum_check("44052419800101001X", NULL), -1);
}

static void
rejects_17_characters(void **state)
{
    const char *why = NULL;

    (void)state;
    assert_int_equal(idnum_check("44052419800101001", &why), -1);
    assert_non_null(why);
}

static void
rejects_19_characters(void **state)
{
    const char *why = NULL;

    (void)state;
    assert_int_equal(idnum_check("4405241980010100130", &why), -1);
    assert_non_null(why);
}

static void
rejects_empty_and_null(void **state)
{
    (void)state;
    assert_int_equal(idnum_check("", NULL), -1);
    assert_int_equal(idnum_check(NULL, NULL), -1);
}

static void
rejects_non_digit_in_first_17(void **state)
{
    const char *why = NULL;

    (void)state;
    assert_int_equal(idnum_check("1101051949123100AX", &why), -1);
    assert_non_null(why);
    assert_int_equal(idnum_check("A10105194912310020", NULL), -1);
    assert_int_equal(idnum_check("11010519491231 02X", NULL), -1);
}

static void
rejects_region_code_starting_with_zero(void **state)
{
    const char *why = NULL;

    (void)state;
    /* ID_X with its first digit 1 -> 0: the sum loses 1*7, 167 - 7 = 160,
     * 160 mod 11 = 6 -> '6'.  The check character is right; the region is not. */
    assert_int_equal(idnum_check("010105194912310026", &why), -1);
    assert_non_null(why);
    assert_non_null(strstr(why, "region"));
}

static void
rejects_month_13(void **state)
{
    const char *why = NULL;

    (void)state;
    /* Birth date 2001-13-01 with the check character it would have:
     * 1 1 0 1 0 5 2 0 0 1 1 3 0 1 0 0 1:
     * 7+9+0+5+0+20+4+0+0+3+7+27+0+5+0+0+2 = 89, 89 mod 11 = 1 -> '0'.
     * So only the date is wrong. */
    assert_int_equal(idnum_check("110105200113010010", &why), -1);
    assert_non_null(why);
    assert_non_null(strstr(why, "date"));
}

static void
rejects_february_30(void **state)
{
    const char *why = NULL;

    (void)state;
    /* Birth date 2001-02-30: 1 1 0 1 0 5 2 0 0 1 0 2 3 0 0 0 1:
     * 7+9+0+5+0+20+4+0+0+3+0+18+30+0+0+0+2 = 98, 98 mod 11 = 10 -> '2'. */
    assert_int_equal(idnum_check("110105200102300012", &why), -1);
    assert_non_null(why);
    assert_non_null(strstr(why, "date"));
}

static void
rejects_birth_date_in_the_future(void **state)
{
    const char *why = NULL;

    (void)state;
    /* Birth date 2099-01-01: 1 1 0 1 0 5 2 0 9 9 0 1 0 1 0 0 1:
     * 7+9+0+5+0+20+4+0+54+27+0+9+0+5+0+0+2 = 142, 142 mod 11 = 10 -> '2'. */
    assert_int_equal(idnum_check("110105209901010012", &why), -1);
    assert_non_null(why);
}

static void
check_char_of_gb11643_example_is_x(void **state)
{
    (void)state;
    assert_int_equal(idnum_check_char("11010519491231002"), 'X');
}

static void
check_char_of_known_inputs(void **state)
{
    (void)state;
    assert_int_equal(idnum_check_char("44052418800101001"), '4');  /* GB 11643 example */
    assert_int_equal(idnum_check_char("44052419800101001"), '3');
    assert_int_equal(idnum_check_char("11010519900307123"), '9');
    assert_int_equal(idnum_check_char("11010520010230001"), '2');
    assert_int_equal(idnum_check_char("01010519491231002"), '6');
    /* All zeros: sum 0 -> '1'. */
    assert_int_equal(idnum_check_char("00000000000000000"), '1');
    /* Only the last digit 1 (weight 2): sum 2 -> 'X'. */
    assert_int_equal(idnum_check_char("00000000000000001"), 'X');
    /* Only the first digit 1 (weight 7): sum 7 -> '5'. */
    assert_int_equal(idnum_check_char("10000000000000000"), '5');
}

static void
check_char_is_zero_for_non_digits(void **state)
{
    (void)state;
    assert_int_equal(idnum_check_char("1101051949123100A"), 0);
}

static void
why_is_a_sentence_on_every_failure(void **state)
{
    static const char *const bad[] = {
        "44052419800101001",    /* 17 characters */
        "4405241980010100130",  /* 19 characters */
        "1101051949123100AX",   /* letter in the first 17 */
        "110105200102300012",   /* 2001-02-30 */
        "110105194912310021",   /* wrong check character */
    };

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        assert_int_equal(idnum_check(bad[i], &why), -1);
        assert_non_null(why);
        assert_true(strlen(why) > 10);
        assert_non_null(strchr(why, ' '));
    }
}

static void
why_is_left_alone_on_success(void **state)
{
    const char *why = "untouched";

    (void)state;
    assert_int_equal(idnum_check(ID_X, &why), 0);
    assert_string_equal(why, "untouched");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_valid_number_with_digit_check),
        cmocka_unit_test(accepts_upper_case_x_check_character),
        cmocka_unit_test(accepts_lower_case_x_check_character),
        cmocka_unit_test(rejects_wrong_check_character),
        cmocka_unit_test(rejects_17_characters),
        cmocka_unit_test(rejects_19_characters),
        cmocka_unit_test(rejects_empty_and_null),
        cmocka_unit_test(rejects_non_digit_in_first_17),
        cmocka_unit_test(rejects_region_code_starting_with_zero),
        cmocka_unit_test(rejects_month_13),
        cmocka_unit_test(rejects_february_30),
        cmocka_unit_test(rejects_birth_date_in_the_future),
        cmocka_unit_test(check_char_of_gb11643_example_is_x),
        cmocka_unit_test(check_char_of_known_inputs),
        cmocka_unit_test(check_char_is_zero_for_non_digits),
        cmocka_unit_test(why_is_a_sentence_on_every_failure),
        cmocka_unit_test(why_is_left_alone_on_success),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
