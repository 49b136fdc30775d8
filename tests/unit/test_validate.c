/* test_validate.c — validate_filing (src/validate.h).
 *
 * Every rejection test starts from the good filing of setup() and changes
 * one thing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "text.h"
#include "validate.h"

/* 2026-11-22 12:00:00 Asia/Shanghai = 2026-11-22 04:00:00 UTC.
 * (date -u -d 2026-11-22T04:00:00Z +%s -> 1795320000; check: 1795320000 /
 * 86400 = 20779 days + 14400 s, and day 20779 is 2026-11-22.) */
#define NOW ((int64_t)1795320000)
/* 2026-11-22 15:59:59 UTC = 23:59:59 in Shanghai, still the 22nd there. */
#define LAST_SECOND_OF_22ND ((int64_t)1795363199)
/* 2026-11-22 16:00:00 UTC = 2026-11-23 00:00:00 in Shanghai. */
#define FIRST_SECOND_OF_23RD ((int64_t)1795363200)

#define REJ(x) LIANXI__REJECT_CODE__REJECT_##x

struct fx {
    categories_t *cats;
    Lianxi__Cadre cadre;
    Lianxi__Filing f;
    char detail[512];
    char *big;
};

static int
setup(void **state)
{
    struct fx *x = calloc(1, sizeof *x);

    if (!x || !(x->cats = categories_load("deploy/categories.tsv")))
        return -1;
    x->cadre = (Lianxi__Cadre)LIANXI__CADRE__INIT;
    x->f = (Lianxi__Filing)LIANXI__FILING__INIT;
    x->cadre.name = "张三";
    /* 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 weighted 7 9 10 5 8 4 2 1 6 3 7 9 10
     * 5 8 4 2 sums to 167; 167 mod 11 = 2 -> 'X' (GB 11643's example). */
    x->cadre.id_number = "11010519491231002X";
    x->cadre.work_unit = "县交通运输局";
    x->cadre.post = "副局长";
    x->cadre.rank = LIANXI__RANK__RANK_DEPUTY_SECTION;
    x->f.unit = "police";
    x->f.filing_id = "police:2026-0001";
    x->f.revision = 1;
    x->f.stage = LIANXI__STAGE__STAGE_REPORT;
    x->f.category = "police.drunk_driving";
    x->f.cadre = &x->cadre;
    x->f.learned_on = "2026-11-20";
    x->f.summary = "醉酒驾驶机动车，血液酒精含量 120mg/100ml。";
    x->f.scope = LIANXI__SCOPE__SCOPE_ORGANS;
    x->f.case_ref = "公(交)立字[2026]0042号";
    x->f.queued_at = NOW - 60;
    x->f.answers = "";
    *state = x;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *x = *state;

    categories_destroy(&x->cats);
    free(x->big);
    free(x);
    return 0;
}

static Lianxi__RejectCode
run_at(struct fx *x, int64_t now)
{
    memset(x->detail, 'Z', sizeof x->detail);
    return validate_filing(x->cats, "police", &x->f, now, x->detail, sizeof x->detail);
}

static Lianxi__RejectCode
run(struct fx *x)
{
    return run_at(x, NOW);
}

/* Asserts code and a non-empty detail sentence. */
static void
expect(struct fx *x, Lianxi__RejectCode want)
{
    Lianxi__RejectCode got = run(x);

    if (got != want)
        fail_msg("expected %s, got %s (%s)", validate_code_name(want),
                 validate_code_name(got), x->detail);
    assert_non_null(memchr(x->detail, '\0', sizeof x->detail));
    assert_true(strlen(x->detail) > 10);
}

static char *
repeat(struct fx *x, char c, size_t n)
{
    free(x->big);
    x->big = malloc(n + 1);
    assert_non_null(x->big);
    memset(x->big, c, n);
    x->big[n] = '\0';
    return x->big;
}

/* The refusal as its reason: key and values, and the same refusal in
 * English and in Chinese (validate_filing writes the current language). */
static void
wrong_check_character_is_a_reason_in_both_languages(void **state)
{
    struct fx *x = *state;
    struct reason r;

    x->cadre.id_number = "110105194912310021";      /* the right one is X */
    assert_int_equal(validate_filing_reason(x->cats, "police", &x->f, NOW, &r), REJ(ID_NUMBER));
    assert_string_equal(r.key, "id_number.check_char");
    assert_int_equal(r.nargs, 2);
    assert_string_equal(r.args[0], "110105194912310021");
    assert_string_equal(r.args[1], "张三");
    i18n_init("en");
    assert_int_equal(run(x), REJ(ID_NUMBER));
    assert_string_equal(x->detail, "ID number '110105194912310021' of 张三 is invalid: its check "
                                   "character (the 18th) is wrong, a digit was probably mistyped");
    i18n_init("zh");
    assert_int_equal(run(x), REJ(ID_NUMBER));
    assert_string_equal(x->detail, "张三的公民身份号码“110105194912310021”有误：校验码（第18位）"
                                   "不符，可能有数字录入错误");
    i18n_init("en");
    /* A field's name is a value, translated where the sentence is written. */
    x->cadre.id_number = "11010519491231002X";
    x->f.case_ref = "";
    assert_int_equal(validate_filing_reason(x->cats, "police", &x->f, NOW, &r), REJ(MALFORMED));
    assert_string_equal(r.key, "field.missing");
    assert_string_equal(r.args[0], "case reference");
    i18n_init("zh");
    assert_int_equal(run(x), REJ(MALFORMED));
    assert_string_equal(x->detail, "案件编号未填写：请填写后重新报送");
    i18n_init("en");
}

static void
good_filing_is_accepted(void **state)
{
    struct fx *x = *state;

    assert_int_equal(run(x), REJ(NONE));
    assert_string_equal(x->detail, "");
}

static void
bad_id_number_is_rejected(void **state)
{
    struct fx *x = *state;

    x->cadre.id_number = "110105194912310021";  /* check must be X */
    expect(x, REJ(ID_NUMBER));
}

static void
missing_id_number_is_rejected(void **state)
{
    struct fx *x = *state;

    x->cadre.id_number = "";
    expect(x, REJ(ID_NUMBER));
}

static void
category_of_another_unit_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.category = "court.criminal_judgment";
    expect(x, REJ(CATEGORY));
}

static void
unknown_category_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.category = "police.jaywalking";
    expect(x, REJ(CATEGORY));
}

static void
learned_tomorrow_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.learned_on = "2026-11-23";
    expect(x, REJ(DATE));
}

static void
learned_today_is_accepted(void **state)
{
    struct fx *x = *state;

    x->f.learned_on = "2026-11-22";
    assert_int_equal(run(x), REJ(NONE));
}

static void
today_is_the_shanghai_date_not_the_utc_date(void **state)
{
    struct fx *x = *state;

    /* At 16:00 UTC on the 22nd it is already the 23rd in Shanghai. */
    x->f.learned_on = "2026-11-23";
    assert_int_equal(run_at(x, LAST_SECOND_OF_22ND), REJ(DATE));
    assert_int_equal(run_at(x, FIRST_SECOND_OF_23RD), REJ(NONE));
}

static void
learned_on_february_30_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.learned_on = "2026-02-30";
    expect(x, REJ(DATE));
}

static void
learned_on_loose_format_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.learned_on = "2026/11/20";
    expect(x, REJ(DATE));
}

static void
learned_on_missing_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.learned_on = "";
    expect(x, REJ(DATE));
}

static void
queued_at_zero_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.queued_at = 0;
    expect(x, REJ(DATE));
}

static void
queued_at_over_a_day_ahead_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.queued_at = NOW + 86400;
    assert_int_equal(run(x), REJ(NONE));
    x->f.queued_at = NOW + 86401;
    expect(x, REJ(DATE));
}

static void
classified_scope_is_rejected_with_must_not_be_sent(void **state)
{
    struct fx *x = *state;

    x->f.scope = LIANXI__SCOPE__SCOPE_CLASSIFIED;
    expect(x, REJ(CLASSIFIED));
    assert_non_null(strstr(x->detail, "must not be sent"));
}

static void
scope_zero_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.scope = LIANXI__SCOPE__SCOPE_UNSPECIFIED;
    expect(x, REJ(SCOPE));
}

static void
scope_beyond_enum_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.scope = (Lianxi__Scope)6;
    expect(x, REJ(SCOPE));
}

static void
stage_zero_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.stage = LIANXI__STAGE__STAGE_UNSPECIFIED;
    expect(x, REJ(STAGE));
}

static void
stage_beyond_enum_is_rejected(void **state)
{
    struct fx *x = *state;

    x->f.stage = (Lianxi__Stage)4;
    expect(x, REJ(STAGE));
}

static void
summary_at_limit_is_accepted(void **state)
{
    struct fx *x = *state;

    x->f.summary = repeat(x, 'a', LIM_SUMMARY);
    assert_int_equal(run(x), REJ(NONE));
}

static void
summary_over_limit_is_too_large(void **state)
{
    struct fx *x = *state;

    x->f.summary = repeat(x, 'a', LIM_SUMMARY + 1);
    expect(x, REJ(TOO_LARGE));
}

static void
name_at_limit_is_accepted(void **state)
{
    struct fx *x = *state;

    x->cadre.name = repeat(x, 'n', LIM_NAME);
    assert_int_equal(run(x), REJ(NONE));
}

static void
name_over_limit_is_too_large(void **state)
{
    struct fx *x = *state;

    x->cadre.name = repeat(x, 'n', LIM_NAME + 1);
    expect(x, REJ(TOO_LARGE));
}

static void
missing_name_is_malformed(void **state)
{
    struct fx *x = *state;

    x->cadre.name = "";
    expect(x, REJ(MALFORMED));
}

static void
missing_cadre_is_malformed(void **state)
{
    struct fx *x = *state;

    x->f.cadre = NULL;
    expect(x, REJ(MALFORMED));
}

static void
invalid_utf8_in_summary_is_malformed(void **state)
{
    struct fx *x = *state;

    /* "醉酒" with the last byte of 酒 (e9 85 92) cut off, then ASCII. */
    x->f.summary = "\xe9\x86\x89\xe9\x85 drunk";
    expect(x, REJ(MALFORMED));
}

static void
filing_id_with_space_is_malformed(void **state)
{
    struct fx *x = *state;

    x->f.filing_id = "police 2026-0001";
    expect(x, REJ(MALFORMED));
}

static void
filing_id_of_another_unit_is_malformed(void **state)
{
    struct fx *x = *state;

    x->f.filing_id = "court:2026-0001";
    assert_int_equal(run(x), REJ(MALFORMED));
    assert_non_null(strstr(x->detail, "police:"));
}

static void
missing_filing_id_is_malformed(void **state)
{
    struct fx *x = *state;

    x->f.filing_id = "";
    expect(x, REJ(MALFORMED));
}

static void
revision_zero_is_malformed(void **state)
{
    struct fx *x = *state;

    x->f.revision = 0;
    expect(x, REJ(MALFORMED));
}

static void
missing_case_ref_is_malformed(void **state)
{
    struct fx *x = *state;

    x->f.case_ref = "";
    expect(x, REJ(MALFORMED));
}

static void
notice_may_have_empty_summary(void **state)
{
    struct fx *x = *state;

    x->f.stage = LIANXI__STAGE__STAGE_NOTICE;
    x->f.summary = "";
    assert_int_equal(run(x), REJ(NONE));
}

static void
report_may_not_have_empty_summary(void **state)
{
    struct fx *x = *state;

    x->f.stage = LIANXI__STAGE__STAGE_REPORT;
    x->f.summary = "";
    expect(x, REJ(MALFORMED));
}

static void
filing_for_another_unit_than_the_sender_is_rejected(void **state)
{
    struct fx *x = *state;

    /* The unit argument is the sender's; police.* is not court's. */
    memset(x->detail, 0, sizeof x->detail);
    x->f.filing_id = "court:2026-0001";
    assert_int_equal(validate_filing(x->cats, "court", &x->f, NOW, x->detail,
                                     sizeof x->detail), REJ(CATEGORY));
    assert_true(strlen(x->detail) > 0);
}

static void
detail_is_truncated_to_its_buffer(void **state)
{
    struct fx *x = *state;
    char small[8];

    x->f.scope = LIANXI__SCOPE__SCOPE_CLASSIFIED;
    memset(small, 'Z', sizeof small);
    assert_int_equal(validate_filing(x->cats, "police", &x->f, NOW, small, sizeof small),
                     REJ(CLASSIFIED));
    assert_int_equal(strlen(small), sizeof small - 1);
}

static void
code_names_are_short_words(void **state)
{
    (void)state;
    assert_string_equal(validate_code_name(REJ(ID_NUMBER)), "id_number");
    assert_string_equal(validate_code_name(REJ(CLASSIFIED)), "classified");
    assert_string_equal(validate_code_name((Lianxi__RejectCode)99), "unknown");
}

/* Asserts MALFORMED with a sentence that names the field. */
static void
expect_control_refused(struct fx *x, const char *field)
{
    expect(x, REJ(MALFORMED));
    if (!strstr(x->detail, field) || !strstr(x->detail, "control character"))
        fail_msg("detail does not name the %s: %s", field, x->detail);
}

static void
name_with_terminal_escape_is_refused_naming_the_name(void **state)
{
    struct fx *x = *state;

    /* OSC 0 sets the operator's terminal title when printed raw. */
    x->cadre.name = "张\x1b]0;pwned\x07三";
    expect_control_refused(x, "cadre's name");
    assert_non_null(strstr(x->detail, "U+001B"));
}

static void
name_with_right_to_left_override_is_refused(void **state)
{
    struct fx *x = *state;

    x->cadre.name = "张\xe2\x80\xae三";  /* U+202E */
    expect_control_refused(x, "cadre's name");
    assert_non_null(strstr(x->detail, "U+202E"));
}

static void
name_with_isolate_controls_is_refused(void **state)
{
    struct fx *x = *state;

    x->cadre.name = "张\xe2\x81\xa6三";  /* U+2066 */
    expect_control_refused(x, "cadre's name");
    x->cadre.name = "张\xe2\x81\xa9三";  /* U+2069 */
    expect_control_refused(x, "cadre's name");
    x->cadre.name = "张\xe2\x80\xaa三";  /* U+202A */
    expect_control_refused(x, "cadre's name");
}

static void
name_with_c1_control_or_delete_is_refused(void **state)
{
    struct fx *x = *state;

    x->cadre.name = "张\xc2\x85三";  /* U+0085 NEXT LINE */
    expect_control_refused(x, "cadre's name");
    x->cadre.name = "张\x7f三";
    expect_control_refused(x, "cadre's name");
}

static void
work_unit_with_line_separator_is_refused(void **state)
{
    struct fx *x = *state;

    x->cadre.work_unit = "县交通\xe2\x80\xa8运输局";  /* U+2028 */
    expect_control_refused(x, "cadre's work unit");
    x->cadre.work_unit = "县交通\xe2\x80\xa9运输局";  /* U+2029 */
    expect_control_refused(x, "cadre's work unit");
}

static void
post_with_newline_is_refused(void **state)
{
    struct fx *x = *state;

    x->cadre.post = "副局长\nkey authorized: unit:evil";
    expect_control_refused(x, "cadre's post");
}

static void
post_with_tab_is_refused(void **state)
{
    struct fx *x = *state;

    x->cadre.post = "副局长\t正处";
    expect_control_refused(x, "cadre's post");
}

static void
case_ref_with_carriage_return_is_refused(void **state)
{
    struct fx *x = *state;

    x->f.case_ref = "公(交)立字[2026]0042号\r";
    expect_control_refused(x, "case reference");
}

static void
id_number_with_control_is_refused_naming_the_id_number(void **state)
{
    struct fx *x = *state;

    x->cadre.id_number = "11010519491231002X\x1b[2J";
    expect_control_refused(x, "ID number");
}

static void
filing_id_with_newline_is_malformed(void **state)
{
    struct fx *x = *state;

    x->f.filing_id = "police:2026-0001\nforged";
    expect(x, REJ(MALFORMED));
}

static void
summary_may_hold_newlines_and_tabs(void **state)
{
    struct fx *x = *state;

    x->f.summary = "第一段：醉酒驾驶。\n\t第二段：已立案。\n";
    assert_int_equal(run(x), REJ(NONE));
}

static void
summary_with_other_controls_is_refused(void **state)
{
    struct fx *x = *state;

    x->f.summary = "醉酒驾驶\r\n已立案";
    expect_control_refused(x, "summary");
    x->f.summary = "醉酒驾驶\xe2\x80\xae已立案";
    expect_control_refused(x, "summary");
    x->f.summary = "醉酒驾驶\x1b[31m已立案";
    expect_control_refused(x, "summary");
    x->f.summary = "醉酒驾驶\xe2\x80\xa8已立案";
    expect_control_refused(x, "summary");
}

/* The rejection of a date that is no date echoes it: the sentence is valid
 * UTF-8 even when the unit's bytes are not (found by tests/fuzz/fuzz_intake,
 * tests/fuzz/regress/fuzz_intake/learned-on-not-utf8), nor is a character
 * cut where the date is cut. */
static void
a_rejection_echoing_bytes_that_are_not_utf8_is_utf8(void **state)
{
    struct fx *x = *state;

    x->f.learned_on = "202\xc1\xd2" "11-02";
    expect(x, REJ(DATE));
    assert_true(text_utf8_valid(x->detail, strlen(x->detail)));
    assert_non_null(strstr(x->detail, "'202??11-02'"));
    x->f.learned_on = "2026年十一月二十二日";     /* cut at 16 bytes, inside 一 */
    expect(x, REJ(DATE));
    assert_true(text_utf8_valid(x->detail, strlen(x->detail)));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* A unit's attendance reply: its id names the unit and the meeting, it
 * says who attends when it attends, one line; a refusal names its reason. */
static void
attendance_is_checked_as_the_hub_checks_it(void **state)
{
    Lianxi__Attendance a = LIANXI__ATTENDANCE__INIT;
    struct reason r;
    (void)state;

    a.unit = "police";
    a.attendance_id = "police:M-3";
    a.revision = 1;
    a.meeting = 3;
    a.attend = 1;
    a.attendee = "李明，副局长";
    a.queued_at = NOW - 60;
    assert_int_equal(validate_attendance_reason("police", &a, NOW, &r), REJ(NONE));
    a.attendance_id = "police:M-4";
    assert_int_equal(validate_attendance_reason("police", &a, NOW, &r), REJ(MALFORMED));
    assert_string_equal(r.key, "attendance.id");
    a.attendance_id = "court:M-3";
    assert_int_equal(validate_attendance_reason("police", &a, NOW, &r), REJ(MALFORMED));
    a.attendance_id = "police:M-3";
    a.attendee = "";
    assert_int_equal(validate_attendance_reason("police", &a, NOW, &r), REJ(MALFORMED));
    assert_string_equal(r.key, "attendance.attendee_missing");
    a.attend = 0;
    assert_int_equal(validate_attendance_reason("police", &a, NOW, &r), REJ(NONE));
    a.attend = 1;
    a.attendee = "李明\n副局长";
    assert_int_not_equal(validate_attendance_reason("police", &a, NOW, &r), REJ(NONE));
    a.attendee = "李明，副局长";
    a.revision = 0;
    assert_int_equal(validate_attendance_reason("police", &a, NOW, &r), REJ(MALFORMED));
    a.revision = 2;
    a.queued_at = NOW + 2 * 86400;
    assert_int_equal(validate_attendance_reason("police", &a, NOW, &r), REJ(DATE));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(good_filing_is_accepted),
        T(bad_id_number_is_rejected),
        T(missing_id_number_is_rejected),
        T(category_of_another_unit_is_rejected),
        T(unknown_category_is_rejected),
        T(learned_tomorrow_is_rejected),
        T(learned_today_is_accepted),
        T(today_is_the_shanghai_date_not_the_utc_date),
        T(learned_on_february_30_is_rejected),
        T(learned_on_loose_format_is_rejected),
        T(learned_on_missing_is_rejected),
        T(a_rejection_echoing_bytes_that_are_not_utf8_is_utf8),
        T(queued_at_zero_is_rejected),
        T(queued_at_over_a_day_ahead_is_rejected),
        T(classified_scope_is_rejected_with_must_not_be_sent),
        T(scope_zero_is_rejected),
        T(scope_beyond_enum_is_rejected),
        T(stage_zero_is_rejected),
        T(stage_beyond_enum_is_rejected),
        T(summary_at_limit_is_accepted),
        T(summary_over_limit_is_too_large),
        T(name_at_limit_is_accepted),
        T(name_over_limit_is_too_large),
        T(missing_name_is_malformed),
        T(missing_cadre_is_malformed),
        T(invalid_utf8_in_summary_is_malformed),
        T(filing_id_with_space_is_malformed),
        T(filing_id_of_another_unit_is_malformed),
        T(missing_filing_id_is_malformed),
        T(revision_zero_is_malformed),
        T(missing_case_ref_is_malformed),
        T(notice_may_have_empty_summary),
        T(report_may_not_have_empty_summary),
        T(filing_for_another_unit_than_the_sender_is_rejected),
        T(detail_is_truncated_to_its_buffer),
        T(wrong_check_character_is_a_reason_in_both_languages),
        T(code_names_are_short_words),
        T(name_with_terminal_escape_is_refused_naming_the_name),
        T(name_with_right_to_left_override_is_refused),
        T(name_with_isolate_controls_is_refused),
        T(name_with_c1_control_or_delete_is_refused),
        T(work_unit_with_line_separator_is_refused),
        T(post_with_newline_is_refused),
        T(post_with_tab_is_refused),
        T(case_ref_with_carriage_return_is_refused),
        T(id_number_with_control_is_refused_naming_the_id_number),
        T(filing_id_with_newline_is_malformed),
        T(summary_may_hold_newlines_and_tabs),
        T(summary_with_other_controls_is_refused),
        cmocka_unit_test(attendance_is_checked_as_the_hub_checks_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
