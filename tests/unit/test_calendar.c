/* test_calendar.c — working days (src/calendar.h) with deploy/calendar/cn-holidays.tsv.
 *
 * Every expected date below was worked out by hand from the rows of the tsv
 * file (quoted in the comments) and the weekday of each date; n = 5 is
 * JUDGE_WORKDAYS, the filing deadline.  Weekdays used:
 *   2025-09-26 Fri, 2025-09-28 Sun, 2025-10-01 Wed, 2025-10-11 Sat,
 *   2025-11-15 Sat, 2025-06-10 Tue, 2026-02-13 Fri, 2026-02-14 Sat,
 *   2026-02-16 Mon, 2026-02-28 Sat, 2026-12-28 Mon, 2027-01-01 Fri. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "tmpdir.h"

#define HOLIDAYS "deploy/calendar/cn-holidays.tsv"

static lx_day
day(const char *s)
{
    lx_day d = 0;

    if (util_date_parse(s, &d) < 0)
        fail_msg("bad date in test: %s", s);
    return d;
}

/* Asserts calendar_due(from, n) is want, with the given provisional flag. */
static void
expect_due(const calendar_t *cal, const char *from, int n, const char *want, int prov)
{
    char got[LX_DATE_LEN];
    lx_day due = 0;
    int p = calendar_due(cal, day(from), n, &due);

    util_date_format(due, got);
    assert_string_equal(got, want);
    assert_int_equal(p, prov);
}

static int
cal_setup(void **state)
{
    calendar_t *cal = calendar_load(HOLIDAYS);

    if (!cal)
        return -1;
    *state = cal;
    return 0;
}

static int
cal_teardown(void **state)
{
    calendar_t *cal = *state;

    calendar_destroy(&cal);
    return 0;
}

static void
covers_2019_to_2026(void **state)
{
    calendar_t *cal = *state;
    int first = 0, last = 0;

    /* First row 2019-01-01, last row 2026-10-10. */
    calendar_years(cal, &first, &last);
    assert_int_equal(first, 2019);
    assert_int_equal(last, 2026);
    assert_int_equal(calendar_covers(cal, day("2019-01-01")), 1);
    assert_int_equal(calendar_covers(cal, day("2026-12-31")), 1);
    assert_int_equal(calendar_covers(cal, day("2018-12-31")), 0);
    assert_int_equal(calendar_covers(cal, day("2027-01-01")), 0);
}

static void
adjusted_sunday_is_a_workday(void **state)
{
    /* "2025-09-28	work	National Day", a Sunday. */
    assert_int_equal(calendar_is_workday(*state, day("2025-09-28")), 1);
}

static void
holiday_monday_is_not_a_workday(void **state)
{
    /* "2025-10-06	off	Mid-Autumn", a Monday. */
    assert_int_equal(calendar_is_workday(*state, day("2025-10-06")), 0);
}

static void
plain_days_follow_the_week(void **state)
{
    calendar_t *cal = *state;

    /* No rows in November 2025: Sat 15th and Sun 16th off, Mon 17th and
     * Fri 21st working. */
    assert_int_equal(calendar_is_workday(cal, day("2025-11-15")), 0);
    assert_int_equal(calendar_is_workday(cal, day("2025-11-16")), 0);
    assert_int_equal(calendar_is_workday(cal, day("2025-11-17")), 1);
    assert_int_equal(calendar_is_workday(cal, day("2025-11-21")), 1);
}

static void
design_example_friday_before_national_day(void **state)
{
    /* Learned Fri 2025-09-26.  09-27 Sat (no row) off; 09-28 Sun "work" = 1;
     * 09-29 Mon = 2; 09-30 Tue = 3; 10-01..10-08 "off"; 10-09 Thu = 4;
     * 10-10 Fri = 5.  Due 2025-10-10. */
    expect_due(*state, "2025-09-26", 5, "2025-10-10", 0);
}

static void
learned_on_national_day_holiday(void **state)
{
    /* Learned Wed 2025-10-01 (off).  10-02..10-08 "off"; 10-09 Thu = 1;
     * 10-10 Fri = 2; 10-11 Sat has the row "2025-10-11	work	National Day"
     * = 3; 10-12 Sun (no row) off; 10-13 Mon = 4; 10-14 Tue = 5.
     * Due 2025-10-14 (it would be 10-15 only if 10-11 were not a working
     * day, but the file, like the State Council notice, makes it one). */
    expect_due(*state, "2025-10-01", 5, "2025-10-14", 0);
}

static void
spring_festival_2026_from_the_friday_before(void **state)
{
    /* Rows: 2026-02-14 work (Sat); 02-15..02-23 off; 02-28 work (Sat).
     * Learned Fri 02-13: 02-14 Sat work = 1; 02-15..02-23 off;
     * 02-24 Tue = 2; 02-25 = 3; 02-26 = 4; 02-27 Fri = 5.  Due 2026-02-27. */
    expect_due(*state, "2026-02-13", 5, "2026-02-27", 0);
}

static void
spring_festival_2026_due_on_adjusted_saturday(void **state)
{
    /* Learned Mon 02-16 (off): 02-17..02-23 off; 02-24 Tue = 1; 02-25 = 2;
     * 02-26 = 3; 02-27 Fri = 4; 02-28 Sat "work" = 5.  Due 2026-02-28. */
    expect_due(*state, "2026-02-16", 5, "2026-02-28", 0);
}

static void
learned_on_a_weekend(void **state)
{
    /* Learned Sat 2025-11-15 (no rows in November 2025): 11-16 Sun off;
     * 11-17 Mon = 1 ... 11-21 Fri = 5.  Due 2025-11-21. */
    expect_due(*state, "2025-11-15", 5, "2025-11-21", 0);
}

static void
due_counts_strictly_after_from(void **state)
{
    /* Learned Mon 2025-11-17: the 17th itself does not count; 1 working
     * day after it is Tue 11-18. */
    expect_due(*state, "2025-11-17", 1, "2025-11-18", 0);
}

static void
workdays_counts_from_exclusive_to_inclusive(void **state)
{
    calendar_t *cal = *state;
    int n = -1;

    /* (Fri 11-14, Mon 11-17]: Sat, Sun off, Mon counts -> 1. */
    assert_int_equal(calendar_workdays(cal, day("2025-11-14"), day("2025-11-17"), &n), 0);
    assert_int_equal(n, 1);
    /* (Mon 11-17, Tue 11-18]: the 17th excluded, the 18th included -> 1. */
    assert_int_equal(calendar_workdays(cal, day("2025-11-17"), day("2025-11-18"), &n), 0);
    assert_int_equal(n, 1);
    /* (Mon 11-17, Fri 11-21] -> 18, 19, 20, 21 = 4. */
    assert_int_equal(calendar_workdays(cal, day("2025-11-17"), day("2025-11-21"), &n), 0);
    assert_int_equal(n, 4);
}

static void
workdays_across_national_day(void **state)
{
    int n = -1;

    /* (09-26, 10-10] holds the five working days of the design example. */
    assert_int_equal(calendar_workdays(*state, day("2025-09-26"), day("2025-10-10"), &n), 0);
    assert_int_equal(n, 5);
}

static void
workdays_is_zero_when_to_not_after_from(void **state)
{
    calendar_t *cal = *state;
    int n = -1;

    calendar_workdays(cal, day("2025-11-17"), day("2025-11-17"), &n);
    assert_int_equal(n, 0);
    n = -1;
    calendar_workdays(cal, day("2025-11-21"), day("2025-11-17"), &n);
    assert_int_equal(n, 0);
}

static void
date_inside_2025_is_not_provisional(void **state)
{
    /* Tue 2025-06-10, no rows after 06-02 in June: 11, 12, 13 (Fri),
     * 16 (Mon), 17 -> due Tue 2025-06-17. */
    expect_due(*state, "2025-06-10", 5, "2025-06-17", 0);
}

static void
date_in_2027_is_provisional(void **state)
{
    calendar_t *cal = *state;
    lx_day due;

    /* 2027 is not in the file. */
    assert_int_equal(calendar_due(cal, day("2027-03-01"), 5, &due), 1);
}

static void
due_running_into_2027_is_provisional(void **state)
{
    /* Mon 2026-12-28: 29 = 1, 30 = 2, 31 = 3, then outside the file only
     * weekends are assumed: Fri 2027-01-01 = 4, Mon 01-04 = 5. */
    expect_due(*state, "2026-12-28", 5, "2027-01-04", 1);
}

static void
workdays_running_into_2027_is_provisional(void **state)
{
    int n = -1;

    assert_int_equal(calendar_workdays(*state, day("2026-12-30"), day("2027-01-05"), &n), 1);
    /* 12-31 Thu, 01-01 Fri, 01-04 Mon, 01-05 Tue (weekends only assumed). */
    assert_int_equal(n, 4);
}

/* Temp files. */

static int
tmp_setup(void **state)
{
    return tmp_make(state, "calendar", "holidays.tsv");
}

static calendar_t *
load_text(struct tmp *t, const char *text)
{
    FILE *f = fopen(t->path, "w");

    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
    return calendar_load(t->path);
}

static void
small_file_with_header_and_comments_loads(void **state)
{
    /* 2030-01-01 is a Tuesday; 2030-01-05 a Saturday. */
    calendar_t *cal = load_text(*state,
        "date\tkind\tname\n"
        "# comment\n"
        "\n"
        "2030-01-01\toff\tNew Year\r\n"
        "2030-01-05\twork\tNew Year\n");
    int first, last;

    assert_non_null(cal);
    calendar_years(cal, &first, &last);
    assert_int_equal(first, 2030);
    assert_int_equal(last, 2030);
    assert_int_equal(calendar_is_workday(cal, day("2030-01-01")), 0);
    assert_int_equal(calendar_is_workday(cal, day("2030-01-05")), 1);
    assert_int_equal(calendar_is_workday(cal, day("2030-01-02")), 1);
    calendar_destroy(&cal);
    assert_null(cal);
}

static void
malformed_line_is_refused(void **state)
{
    assert_null(load_text(*state,
        "2030-01-01\toff\tNew Year\n"
        "2030-01-02 off New Year\n"));
}

static void
missing_name_column_is_refused(void **state)
{
    assert_null(load_text(*state,
        "2030-01-01\toff\tNew Year\n"
        "2030-01-02\toff\n"));
}

static void
bad_date_is_refused(void **state)
{
    assert_null(load_text(*state,
        "2030-01-01\toff\tNew Year\n"
        "2030-02-30\toff\tNo such day\n"));
}

static void
bad_kind_is_refused(void **state)
{
    assert_null(load_text(*state, "2030-01-01\tholiday\tNew Year\n"));
}

static void
duplicate_date_is_refused(void **state)
{
    assert_null(load_text(*state,
        "2030-01-01\toff\tNew Year\n"
        "2030-02-04\toff\tSpring Festival\n"
        "2030-01-01\toff\tNew Year again\n"));
}

static void
work_row_on_a_weekday_is_refused(void **state)
{
    /* 2030-01-02 is a Wednesday: it is a working day already. */
    assert_null(load_text(*state,
        "2030-01-01\toff\tNew Year\n"
        "2030-01-02\twork\tNew Year\n"));
}

static void
file_without_dates_is_refused(void **state)
{
    assert_null(load_text(*state, "date\tkind\tname\n# nothing\n"));
}

#define C(fn) cmocka_unit_test_setup_teardown(fn, cal_setup, cal_teardown)
#define F(fn) cmocka_unit_test_setup_teardown(fn, tmp_setup, tmp_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        C(covers_2019_to_2026),
        C(adjusted_sunday_is_a_workday),
        C(holiday_monday_is_not_a_workday),
        C(plain_days_follow_the_week),
        C(design_example_friday_before_national_day),
        C(learned_on_national_day_holiday),
        C(spring_festival_2026_from_the_friday_before),
        C(spring_festival_2026_due_on_adjusted_saturday),
        C(learned_on_a_weekend),
        C(due_counts_strictly_after_from),
        C(workdays_counts_from_exclusive_to_inclusive),
        C(workdays_across_national_day),
        C(workdays_is_zero_when_to_not_after_from),
        C(date_inside_2025_is_not_provisional),
        C(date_in_2027_is_provisional),
        C(due_running_into_2027_is_provisional),
        C(workdays_running_into_2027_is_provisional),
        F(small_file_with_header_and_comments_loads),
        F(malformed_line_is_refused),
        F(missing_name_column_is_refused),
        F(bad_date_is_refused),
        F(bad_kind_is_refused),
        F(duplicate_date_is_refused),
        F(work_row_on_a_weekday_is_refused),
        F(file_without_dates_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
