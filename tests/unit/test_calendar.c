/* test_calendar.c — working days (src/calendar.h) with deploy/calendar/cn-holidays.tsv.
 *
 * Every expected date below was worked out by hand from the rows of the tsv
 * file (quoted in the comments) and the weekday of each date; n = 5 is
 * JUDGE_WORKDAYS, the filing deadline.  Weekdays used:
 *   2025-09-26 Fri, 2025-09-28 Sun, 2025-10-01 Wed, 2025-10-11 Sat,
 *   2025-11-15 Sat, 2025-06-10 Tue, 2026-02-13 Fri, 2026-02-14 Sat,
 *   2026-02-16 Mon, 2026-02-28 Sat, 2026-12-28 Mon, 2027-01-01 Fri.
 * The table of due_dates_across_every_holiday_period_2024_2026 was computed
 * by an independent script and partly hand-checked: see the comment there. */
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

    if (days_parse(s, &d) < 0)
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

    days_format(due, got);
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

/* Every holiday period of 2024, 2025 and 2026 in the tsv file.  For each:
 * the last working day before it, a holiday inside it, a weekend near it,
 * and, where the period has an adjusted Saturday/Sunday working day, a
 * learned date just before that day so that it counts.  The last working
 * day before each Spring Festival spans the whole festival.
 *
 * The expected dates were computed by an independent oracle, a throwaway
 * Python script (not kept in the repository) that reads the tsv file with
 * datetime.date and applies the rule itself: a working day is Mon-Fri
 * without an "off" row, or any date with a "work" row; the due date is the
 * 5th working day strictly after the learned date.  These rows were also
 * counted by hand from the tsv rows (=N is the N-th working day counted):
 *
 *   2024-02-09 Fri: 02-10..02-17 off; 02-18 Sun "work" = 1; 02-19 Mon = 2;
 *     02-20 = 3; 02-21 = 4; 02-22 Thu = 5.  Due 2024-02-22.
 *   2024-04-27 Sat: 04-28 Sun "work" = 1; 04-29 Mon = 2; 04-30 Tue = 3;
 *     05-01..05-05 off; 05-06 Mon = 4; 05-07 Tue = 5.  Due 2024-05-07.
 *   2024-09-30 Mon: 10-01..10-07 off; 10-08 Tue = 1; 10-09 = 2; 10-10 = 3;
 *     10-11 Fri = 4; 10-12 Sat "work" = 5.  Due 2024-10-12 (a Saturday).
 *   2024-12-28 Sat: 12-29 Sun off; 12-30 Mon = 1; 12-31 Tue = 2; 2025-01-01
 *     off; 01-02 Thu = 3; 01-03 Fri = 4; 01-04, 01-05 weekend; 01-06 Mon = 5.
 *     Due 2025-01-06.
 *   2025-01-27 Mon: 01-28..02-04 off; 02-05 Wed = 1; 02-06 = 2; 02-07 Fri = 3;
 *     02-08 Sat "work" = 4; 02-09 Sun off; 02-10 Mon = 5.  Due 2025-02-10.
 *   2025-04-26 Sat: 04-27 Sun "work" = 1; 04-28 Mon = 2; 04-29 = 3;
 *     04-30 Wed = 4; 05-01..05-05 off; 05-06 Tue = 5.  Due 2025-05-06.
 *   2026-01-03 Sat (off): 01-04 Sun "work" = 1; 01-05 Mon = 2; 01-06 = 3;
 *     01-07 = 4; 01-08 Thu = 5.  Due 2026-01-08.
 *   2026-09-24 Thu: 09-25..09-27 off; 09-28 Mon = 1; 09-29 = 2; 09-30 Wed = 3;
 *     10-01..10-07 off; 10-08 Thu = 4; 10-09 Fri = 5.  Due 2026-10-09.
 *
 * Each row: learned date, expected due date; the comment gives the
 * weekdays (learned -> due) and why the row is there. */
static const struct due_case {
    const char *learned;
    const char *due;
} holiday_cases[] = {
        /* New Year 2024: 2023-12-30..2024-01-01 off (Sat..Mon); no work row. */
        {"2023-12-29", "2024-01-08"}, /* Fri->Mon: last working day before */
        {"2023-12-30", "2024-01-08"}, /* Sat->Mon: weekend, an off Sat */
        {"2024-01-01", "2024-01-08"}, /* Mon->Mon: holiday inside */
        /* Spring Festival 2024: 02-04 work (Sun); 02-10..02-17 off; 02-18 work (Sun). */
        {"2024-02-03", "2024-02-08"}, /* Sat->Thu: weekend before adjusted Sun 02-04 */
        {"2024-02-09", "2024-02-22"}, /* Fri->Thu: last working day before (span) */
        {"2024-02-10", "2024-02-22"}, /* Sat->Thu: weekend (off Sat) inside */
        {"2024-02-12", "2024-02-22"}, /* Mon->Thu: holiday inside */
        {"2024-02-17", "2024-02-22"}, /* Sat->Thu: holiday Sat before adjusted Sun 02-18 */
        /* Qingming 2024: 04-04..04-06 off (Thu..Sat); 04-07 work (Sun). */
        {"2024-03-30", "2024-04-08"}, /* Sat->Mon: weekend before */
        {"2024-04-03", "2024-04-11"}, /* Wed->Thu: last working day before */
        {"2024-04-05", "2024-04-11"}, /* Fri->Thu: holiday inside */
        {"2024-04-06", "2024-04-11"}, /* Sat->Thu: holiday Sat before adjusted Sun 04-07 */
        /* Labour Day 2024: 04-28 work (Sun); 05-01..05-05 off; 05-11 work (Sat). */
        {"2024-04-27", "2024-05-07"}, /* Sat->Tue: weekend before adjusted Sun 04-28 */
        {"2024-04-30", "2024-05-10"}, /* Tue->Fri: last working day before */
        {"2024-05-03", "2024-05-10"}, /* Fri->Fri: holiday inside */
        {"2024-05-10", "2024-05-16"}, /* Fri->Thu: Fri before adjusted Sat 05-11 */
        /* Dragon Boat 2024: 06-08..06-10 off (Sat..Mon); no work row. */
        {"2024-06-02", "2024-06-07"}, /* Sun->Fri: weekend before */
        {"2024-06-07", "2024-06-17"}, /* Fri->Mon: last working day before */
        {"2024-06-08", "2024-06-17"}, /* Sat->Mon: weekend (off Sat) inside */
        {"2024-06-10", "2024-06-17"}, /* Mon->Mon: holiday inside */
        /* Mid-Autumn 2024: 09-14 work (Sat); 09-15..09-17 off (Sun..Tue). */
        {"2024-09-08", "2024-09-13"}, /* Sun->Fri: weekend before */
        {"2024-09-13", "2024-09-23"}, /* Fri->Mon: Fri before adjusted Sat 09-14 */
        {"2024-09-14", "2024-09-24"}, /* Sat->Tue: last working day before (adjusted Sat) */
        {"2024-09-15", "2024-09-24"}, /* Sun->Tue: weekend (off Sun) inside */
        {"2024-09-16", "2024-09-24"}, /* Mon->Tue: holiday inside */
        /* National Day 2024: 09-29 work (Sun); 10-01..10-07 off; 10-12 work (Sat). */
        {"2024-09-28", "2024-10-10"}, /* Sat->Thu: weekend before adjusted Sun 09-29 */
        {"2024-09-30", "2024-10-12"}, /* Mon->Sat: last working day before */
        {"2024-10-03", "2024-10-12"}, /* Thu->Sat: holiday inside */
        {"2024-10-11", "2024-10-17"}, /* Fri->Thu: Fri before adjusted Sat 10-12 */
        /* New Year 2025: 01-01 off (Wed); no work row. */
        {"2024-12-28", "2025-01-06"}, /* Sat->Mon: weekend before */
        {"2024-12-31", "2025-01-08"}, /* Tue->Wed: last working day before */
        {"2025-01-01", "2025-01-08"}, /* Wed->Wed: holiday inside */
        /* Spring Festival 2025: 01-26 work (Sun); 01-28..02-04 off; 02-08 work (Sat). */
        {"2025-01-25", "2025-02-07"}, /* Sat->Fri: weekend before adjusted Sun 01-26 */
        {"2025-01-27", "2025-02-10"}, /* Mon->Mon: last working day before (span) */
        {"2025-01-29", "2025-02-10"}, /* Wed->Mon: holiday inside */
        {"2025-02-07", "2025-02-13"}, /* Fri->Thu: Fri before adjusted Sat 02-08 */
        /* Qingming 2025: 04-04..04-06 off (Fri..Sun); no work row. */
        {"2025-03-29", "2025-04-07"}, /* Sat->Mon: weekend before */
        {"2025-04-03", "2025-04-11"}, /* Thu->Fri: last working day before */
        {"2025-04-04", "2025-04-11"}, /* Fri->Fri: holiday inside */
        {"2025-04-05", "2025-04-11"}, /* Sat->Fri: weekend (off Sat) inside */
        /* Labour Day 2025: 04-27 work (Sun); 05-01..05-05 off (Thu..Mon). */
        {"2025-04-26", "2025-05-06"}, /* Sat->Tue: weekend before adjusted Sun 04-27 */
        {"2025-04-30", "2025-05-12"}, /* Wed->Mon: last working day before */
        {"2025-05-01", "2025-05-12"}, /* Thu->Mon: holiday inside */
        /* Dragon Boat 2025: 05-31..06-02 off (Sat..Mon); no work row. */
        {"2025-05-25", "2025-05-30"}, /* Sun->Fri: weekend before */
        {"2025-05-30", "2025-06-09"}, /* Fri->Mon: last working day before */
        {"2025-05-31", "2025-06-09"}, /* Sat->Mon: weekend (off Sat) inside */
        {"2025-06-02", "2025-06-09"}, /* Mon->Mon: holiday inside */
        /* National Day 2025 with Mid-Autumn 2025: 09-28 work (Sun); 10-01..10-08 off
     * (10-06 named Mid-Autumn); 10-11 work (Sat). */
        {"2025-09-27", "2025-10-10"}, /* Sat->Fri: weekend before adjusted Sun 09-28 */
        {"2025-09-30", "2025-10-14"}, /* Tue->Tue: last working day before */
        {"2025-10-03", "2025-10-14"}, /* Fri->Tue: holiday inside */
        {"2025-10-04", "2025-10-14"}, /* Sat->Tue: weekend (off Sat) inside the joint holiday */
        {"2025-10-06", "2025-10-14"}, /* Mon->Tue: holiday inside */
        {"2025-10-10", "2025-10-16"}, /* Fri->Thu: Fri before adjusted Sat 10-11 */
        /* New Year 2026: 01-01..01-03 off (Thu..Sat); 01-04 work (Sun). */
        {"2025-12-27", "2026-01-05"}, /* Sat->Mon: weekend before */
        {"2025-12-31", "2026-01-08"}, /* Wed->Thu: last working day before */
        {"2026-01-02", "2026-01-08"}, /* Fri->Thu: holiday inside */
        {"2026-01-03", "2026-01-08"}, /* Sat->Thu: holiday Sat before adjusted Sun 01-04 */
        /* Spring Festival 2026: 02-14 work (Sat); 02-15..02-23 off; 02-28 work (Sat). */
        {"2026-02-07", "2026-02-13"}, /* Sat->Fri: weekend before */
        {"2026-02-13", "2026-02-27"}, /* Fri->Fri: Fri before adjusted Sat 02-14 (span) */
        {"2026-02-14", "2026-02-28"}, /* Sat->Sat: last working day before (adjusted Sat) */
        {"2026-02-17", "2026-02-28"}, /* Tue->Sat: holiday inside */
        {"2026-02-21", "2026-02-28"}, /* Sat->Sat: weekend (off Sat) inside */
        {"2026-02-27", "2026-03-05"}, /* Fri->Thu: Fri before adjusted Sat 02-28 */
        /* Qingming 2026: 04-04..04-06 off (Sat..Mon); no work row. */
        {"2026-03-29", "2026-04-03"}, /* Sun->Fri: weekend before */
        {"2026-04-03", "2026-04-13"}, /* Fri->Mon: last working day before */
        {"2026-04-04", "2026-04-13"}, /* Sat->Mon: weekend (off Sat) inside */
        {"2026-04-06", "2026-04-13"}, /* Mon->Mon: holiday inside */
        /* Labour Day 2026: 05-01..05-05 off (Fri..Tue); 05-09 work (Sat). */
        {"2026-04-25", "2026-05-06"}, /* Sat->Wed: weekend before */
        {"2026-04-30", "2026-05-11"}, /* Thu->Mon: last working day before */
        {"2026-05-04", "2026-05-11"}, /* Mon->Mon: holiday inside */
        {"2026-05-08", "2026-05-14"}, /* Fri->Thu: Fri before adjusted Sat 05-09 */
        /* Dragon Boat 2026: 06-19..06-21 off (Fri..Sun); no work row. */
        {"2026-06-13", "2026-06-22"}, /* Sat->Mon: weekend before */
        {"2026-06-18", "2026-06-26"}, /* Thu->Fri: last working day before */
        {"2026-06-19", "2026-06-26"}, /* Fri->Fri: holiday inside */
        {"2026-06-20", "2026-06-26"}, /* Sat->Fri: weekend (off Sat) inside */
        /* Mid-Autumn 2026: 09-20 work (Sun, named National Day); 09-25..09-27 off. */
        {"2026-09-19", "2026-09-24"}, /* Sat->Thu: weekend before adjusted Sun 09-20 */
        {"2026-09-24", "2026-10-09"}, /* Thu->Fri: last working day before */
        {"2026-09-26", "2026-10-09"}, /* Sat->Fri: holiday inside */
        /* National Day 2026: 10-01..10-07 off (Thu..Wed); 10-10 work (Sat). */
        {"2026-09-30", "2026-10-13"}, /* Wed->Tue: last working day before */
        {"2026-10-04", "2026-10-13"}, /* Sun->Tue: weekend inside the holiday */
        {"2026-10-05", "2026-10-13"}, /* Mon->Tue: holiday inside */
        {"2026-10-09", "2026-10-15"}, /* Fri->Thu: Fri before adjusted Sat 10-10 */
};

static void
due_dates_across_every_holiday_period_2024_2026(void **state)
{
    calendar_t *cal = *state;
    size_t n = sizeof holiday_cases / sizeof holiday_cases[0];

    assert_int_equal(n, 82);
    for (size_t i = 0; i < n; i++) {
        const struct due_case *c = &holiday_cases[i];
        char got[LX_DATE_LEN];
        lx_day due = 0;
        int prov = calendar_due(cal, day(c->learned), 5, &due);

        days_format(due, got);
        if (strcmp(got, c->due) != 0)
            fail_msg("learned %s: due %s, want %s", c->learned, got, c->due);
        if (prov != 0)
            fail_msg("learned %s: provisional %d, want 0", c->learned, prov);
    }
}

static void
due_dates_at_the_edge_of_the_file(void **state)
{
    calendar_t *cal = *state;

    /* Mon 2026-12-28: 12-29 Tue = 1, 12-30 = 2, 12-31 Thu = 3; 2027 is not
     * in the file, so weekends only are assumed there: Fri 2027-01-01 = 4,
     * 01-02/01-03 weekend, Mon 01-04 = 5.  Provisional. */
    expect_due(cal, "2026-12-28", 5, "2027-01-04", 1);
    /* Mon 2030-06-03, far outside the file: 06-04 Tue ... 06-07 Fri = 4,
     * Mon 06-10 = 5.  Provisional. */
    expect_due(cal, "2030-06-03", 5, "2030-06-10", 1);
    /* Fri 2026-12-18 (no rows after 10-10 in 2026): 12-21 Mon ... 12-25 Fri
     * = 5, all in 2026, so not provisional. */
    expect_due(cal, "2026-12-18", 5, "2026-12-25", 0);
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
        C(due_dates_across_every_holiday_period_2024_2026),
        C(due_dates_at_the_edge_of_the_file),
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
