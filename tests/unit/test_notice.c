/* test_notice.c — the meeting notice's pure parts: when the units' replies
 * are due (counted back in working days from the meeting, on the official
 * calendar), and the meeting's code M-N. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "calendar.h"
#include "days.h"
#include "notice.h"

static calendar_t *cal;

static lx_day
d(int y, int m, int dd)
{
    return days_from_civil(y, m, dd);
}

/* A Friday meeting: its replies are due the Tuesday before (Thursday,
 * Wednesday, Tuesday counted back). */
static void
replies_are_due_three_working_days_before_the_meeting(void **state)
{
    lx_day due;
    (void)state;

    assert_int_equal(notice_due_date(cal, d(2026, 3, 13), d(2026, 3, 2), &due), 0);
    assert_int_equal(due, d(2026, 3, 10));
}

/* The National Day holiday is not counted: a meeting on Friday 2025-10-10
 * counts Thursday 10-09, skips the holiday 10-01..10-08, then 09-30 and
 * 09-29 (DESIGN.md's example: 09-28 is an adjusted working day, 10-09 and
 * 10-10 ordinary ones). */
static void
holidays_are_not_counted(void **state)
{
    lx_day due;
    (void)state;

    assert_int_equal(notice_due_date(cal, d(2025, 10, 10), d(2025, 9, 1), &due), 0);
    assert_int_equal(due, d(2025, 9, 29));
}

/* A meeting too close for three working days: the day before it. */
static void
a_close_meeting_is_answered_by_the_day_before(void **state)
{
    lx_day due;
    (void)state;

    assert_int_equal(notice_due_date(cal, d(2026, 3, 13), d(2026, 3, 11), &due), 0);
    assert_int_equal(due, d(2026, 3, 12));
}

/* A meeting today or tomorrow: today at the earliest. */
static void
never_due_before_today(void **state)
{
    lx_day due;
    (void)state;

    notice_due_date(cal, d(2026, 3, 13), d(2026, 3, 13), &due);
    assert_int_equal(due, d(2026, 3, 13));
    notice_due_date(cal, d(2026, 3, 14), d(2026, 3, 13), &due);
    assert_int_equal(due, d(2026, 3, 13));
}

/* Outside the calendar's years the date is provisional. */
static void
outside_the_calendar_is_provisional(void **state)
{
    lx_day due;
    (void)state;

    assert_int_equal(notice_due_date(cal, d(2040, 3, 16), d(2040, 1, 2), &due), 1);
}

static void
meeting_codes(void **state)
{
    char code[NOTICE_CODE_LEN];
    (void)state;

    notice_format(12, code);
    assert_string_equal(code, "M-12");
    assert_int_equal(notice_parse("M-12"), 12);
    assert_int_equal(notice_parse("12"), 12);
    assert_int_equal(notice_parse("M-0"), -1);
    assert_int_equal(notice_parse("M-1x"), -1);
    assert_int_equal(notice_parse("REQ-1"), -1);
    assert_int_equal(notice_parse(""), -1);
}

static int
setup(void **state)
{
    (void)state;
    return (cal = calendar_load("deploy/calendar/cn-holidays.tsv")) ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    calendar_destroy(&cal);
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replies_are_due_three_working_days_before_the_meeting),
        cmocka_unit_test(holidays_are_not_counted),
        cmocka_unit_test(a_close_meeting_is_answered_by_the_day_before),
        cmocka_unit_test(never_due_before_today),
        cmocka_unit_test(outside_the_calendar_is_provisional),
        cmocka_unit_test(meeting_codes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
