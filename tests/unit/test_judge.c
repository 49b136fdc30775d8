/* test_judge.c — due date and timeliness of a filing (src/judge.h) with
 * deploy/calendar/cn-holidays.tsv.
 *
 * Due dates used (5 working days strictly after the learned date, counted
 * by hand from the tsv rows and checked with an independent script):
 *   learned Tue 2025-06-10 -> due Tue 2025-06-17: no rows in June after
 *     06-02; 06-11 Wed = 1, 06-12 = 2, 06-13 Fri = 3, 06-16 Mon = 4,
 *     06-17 Tue = 5.  The next day, Wed 06-18, is a working day.
 *   learned Sat 2025-11-15 -> due Fri 2025-11-21: no rows in November 2025;
 *     11-17 Mon = 1 ... 11-21 Fri = 5.  Sat 11-22 and Sun 11-23 are off.
 *   learned Wed 2025-09-24 -> due Tue 2025-09-30: 09-25 Thu = 1, 09-26 Fri
 *     = 2, 09-27 Sat off, 09-28 Sun "work" = 3, 09-29 Mon = 4, 09-30 = 5.
 *   learned Mon 2026-12-28 -> due Mon 2027-01-04, provisional (2027 is not
 *     in the file): 12-29, 12-30, 12-31, then Fri 2027-01-01, Mon 01-04.
 *   learned Fri 2026-12-18 -> due Fri 2026-12-25 (all in 2026).
 *
 * Times are given in Asia/Shanghai (UTC+8, no daylight saving). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "judge.h"

#define HOLIDAYS "deploy/calendar/cn-holidays.tsv"

static lx_day
day(const char *s)
{
    lx_day d = 0;

    if (days_parse(s, &d) < 0)
        fail_msg("bad date in test: %s", s);
    return d;
}

/* Unix seconds of y-m-d h:mi in Asia/Shanghai (UTC+8). */
static int64_t
sh_time(int y, int m, int d, int h, int mi)
{
    return (int64_t)days_from_civil(y, m, d) * 86400 + (int64_t)(h - 8) * 3600 +
           (int64_t)mi * 60;
}

static int
group_setup(void **state)
{
    calendar_t *cal = calendar_load(HOLIDAYS);

    if (!cal)
        return -1;
    *state = cal;
    return 0;
}

static int
group_teardown(void **state)
{
    calendar_t *cal = *state;

    calendar_destroy(&cal);
    return 0;
}

/* judge_filing with received_at == judged_at == t. */
static void
judge_at(const calendar_t *cal, const char *learned, int64_t t, struct judgement *j)
{
    memset(j, 0xa5, sizeof *j);
    judge_filing(cal, learned, t, t, j);
}

/* --- judge_filing: on time and late --- */

static void
on_time_on_the_due_date_itself(void **state)
{
    struct judgement j;

    judge_at(*state, "2025-06-10", sh_time(2025, 6, 17, 12, 0), &j);
    assert_string_equal(j.due_on, "2025-06-17");
    assert_int_equal(j.on_time, 1);
    assert_int_equal(j.late_days, 0);
    assert_int_equal(j.provisional, 0);
}

static void
on_time_before_the_due_date(void **state)
{
    struct judgement j;

    /* Judged the day after learning it. */
    judge_at(*state, "2025-06-10", sh_time(2025, 6, 11, 9, 0), &j);
    assert_string_equal(j.due_on, "2025-06-17");
    assert_int_equal(j.on_time, 1);
    assert_int_equal(j.late_days, 0);
}

static void
late_by_one_on_the_next_working_day(void **state)
{
    struct judgement j;

    /* Due Tue 06-17; judged Wed 06-18: (06-17, 06-18] holds 06-18 = 1. */
    judge_at(*state, "2025-06-10", sh_time(2025, 6, 18, 10, 0), &j);
    assert_string_equal(j.due_on, "2025-06-17");
    assert_int_equal(j.on_time, 0);
    assert_int_equal(j.late_days, 1);
    assert_int_equal(j.provisional, 0);
}

static void
late_by_one_not_zero_on_the_saturday_after_a_friday_due_date(void **state)
{
    calendar_t *cal = *state;
    struct judgement j;

    /* Due Fri 2025-11-21; judged Sat 11-22: (11-21, 11-22] holds no working
     * day, but the filing is late, so at least 1. */
    judge_at(cal, "2025-11-15", sh_time(2025, 11, 22, 10, 0), &j);
    assert_string_equal(j.due_on, "2025-11-21");
    assert_int_equal(j.on_time, 0);
    assert_int_equal(j.late_days, 1);
    /* Sun 11-23: still no working day in (11-21, 11-23] -> 1. */
    judge_at(cal, "2025-11-15", sh_time(2025, 11, 23, 10, 0), &j);
    assert_int_equal(j.on_time, 0);
    assert_int_equal(j.late_days, 1);
    /* Mon 11-24: 11-24 = 1. */
    judge_at(cal, "2025-11-15", sh_time(2025, 11, 24, 10, 0), &j);
    assert_int_equal(j.on_time, 0);
    assert_int_equal(j.late_days, 1);
    /* Tue 11-25: 11-24, 11-25 = 2. */
    judge_at(cal, "2025-11-15", sh_time(2025, 11, 25, 10, 0), &j);
    assert_int_equal(j.late_days, 2);
}

static void
late_across_national_day_counts_only_working_days(void **state)
{
    calendar_t *cal = *state;
    struct judgement j;

    /* Due Tue 2025-09-30; judged Fri 2025-10-10, ten calendar days later.
     * In (09-30, 10-10]: 10-01..10-08 all "off" rows (National Day, 10-06
     * Mid-Autumn) -> 0; 10-09 Thu = 1; 10-10 Fri = 2.  Late by 2. */
    judge_at(cal, "2025-09-24", sh_time(2025, 10, 10, 10, 0), &j);
    assert_string_equal(j.due_on, "2025-09-30");
    assert_int_equal(j.on_time, 0);
    assert_int_equal(j.late_days, 2);
    assert_int_equal(j.provisional, 0);
    /* Judged Mon 10-13: add Sat 10-11 ("2025-10-11 work National Day") = 3
     * and Mon 10-13 = 4 (Sun 10-12 off).  Late by 4. */
    judge_at(cal, "2025-09-24", sh_time(2025, 10, 13, 10, 0), &j);
    assert_int_equal(j.late_days, 4);
    /* Judged Wed 10-08, the last holiday: no working day in (09-30, 10-08],
     * late by the minimum 1. */
    judge_at(cal, "2025-09-24", sh_time(2025, 10, 8, 10, 0), &j);
    assert_int_equal(j.on_time, 0);
    assert_int_equal(j.late_days, 1);
}

/* --- the Asia/Shanghai date --- */

static void
shanghai_late_evening_on_the_due_date_is_on_time(void **state)
{
    struct judgement j;
    int64_t t = sh_time(2025, 6, 17, 23, 30);

    /* 23:30 in Shanghai is 15:30 UTC the same day. */
    assert_int_equal(t % 86400, 15 * 3600 + 30 * 60);
    assert_int_equal(t / 86400, day("2025-06-17"));
    judge_at(*state, "2025-06-10", t, &j);
    assert_string_equal(j.due_on, "2025-06-17");
    assert_int_equal(j.on_time, 1);
    assert_int_equal(j.late_days, 0);
}

static void
shanghai_early_morning_after_the_due_date_is_late(void **state)
{
    struct judgement j;
    int64_t t = sh_time(2025, 6, 18, 7, 0);

    /* 07:00 in Shanghai on Wed 06-18 is 23:00 UTC on Tue 06-17, the due
     * date: a check on the UTC date would wrongly call it on time. */
    assert_int_equal(t % 86400, 23 * 3600);
    assert_int_equal(t / 86400, day("2025-06-17"));
    assert_int_equal(days_shanghai(t), day("2025-06-18"));
    judge_at(*state, "2025-06-10", t, &j);
    assert_int_equal(j.on_time, 0);
    assert_int_equal(j.late_days, 1);
}

static void
shanghai_midnight_is_the_boundary(void **state)
{
    calendar_t *cal = *state;
    struct judgement j;
    int64_t midnight = sh_time(2025, 6, 18, 0, 0);

    judge_at(cal, "2025-06-10", midnight - 1, &j);  /* 06-17 23:59:59 */
    assert_int_equal(j.on_time, 1);
    judge_at(cal, "2025-06-10", midnight, &j);      /* 06-18 00:00:00 */
    assert_int_equal(j.on_time, 0);
    assert_int_equal(j.late_days, 1);
}

/* --- judged_at and received_at --- */

static void
judged_at_not_received_at_decides(void **state)
{
    calendar_t *cal = *state;
    struct judgement j;
    int64_t received = sh_time(2025, 6, 19, 10, 0);     /* after the due date */
    int64_t judged = sh_time(2025, 6, 17, 20, 0);       /* queued on the due date */

    memset(&j, 0xa5, sizeof j);
    judge_filing(cal, "2025-06-10", received, judged, &j);
    assert_true(j.received_at == received);
    assert_true(j.judged_at == judged);
    assert_string_equal(j.due_on, "2025-06-17");
    assert_int_equal(j.on_time, 1);
    assert_int_equal(j.late_days, 0);
    assert_int_equal(j.provisional, 0);

    /* The other way round: received before the due date, judged after it
     * (Thu 06-19: 06-18, 06-19 = 2) -> late by 2. */
    memset(&j, 0xa5, sizeof j);
    judge_filing(cal, "2025-06-10", judged, received, &j);
    assert_true(j.received_at == judged);
    assert_true(j.judged_at == received);
    assert_int_equal(j.on_time, 0);
    assert_int_equal(j.late_days, 2);
}

/* --- judge_time --- */

static void
judge_time_follows_downtime(void **state)
{
    /* Two outages: 2025-06-16 08:00..12:00 and 2025-06-18 22:00..06-19 02:00. */
    int64_t iv[2][2] = {
        { sh_time(2025, 6, 16, 8, 0), sh_time(2025, 6, 16, 12, 0) },
        { sh_time(2025, 6, 18, 22, 0), sh_time(2025, 6, 19, 2, 0) },
    };
    struct downtime dt = { iv, 2 };
    int64_t received = sh_time(2025, 6, 19, 9, 0);
    int64_t q;

    (void)state;
    /* Queued inside the first interval, and inside the second. */
    q = sh_time(2025, 6, 16, 9, 30);
    assert_true(judge_time(&dt, q, received) == q);
    q = sh_time(2025, 6, 19, 1, 0);
    assert_true(judge_time(&dt, q, received) == q);
    /* The ends of an interval belong to it. */
    assert_true(judge_time(&dt, iv[0][0], received) == iv[0][0]);
    assert_true(judge_time(&dt, iv[1][1], received) == iv[1][1]);
    /* Outside both: between them, before the first, just after the second. */
    assert_true(judge_time(&dt, sh_time(2025, 6, 17, 9, 0), received) == received);
    assert_true(judge_time(&dt, iv[0][0] - 1, received) == received);
    assert_true(judge_time(&dt, iv[1][1] + 1, received) == received);
}

static void
judge_time_refuses_a_queue_time_after_receipt(void **state)
{
    int64_t iv[2][2] = {
        { sh_time(2025, 6, 16, 8, 0), sh_time(2025, 6, 16, 12, 0) },
        { sh_time(2025, 6, 18, 22, 0), sh_time(2025, 6, 19, 2, 0) },
    };
    struct downtime dt = { iv, 2 };
    /* Received at 06-16 09:00, inside the first outage; the unit's clock
     * claims it queued the filing at 10:00, later than its receipt. */
    int64_t received = sh_time(2025, 6, 16, 9, 0);
    int64_t q = sh_time(2025, 6, 16, 10, 0);

    (void)state;
    assert_true(judge_time(&dt, q, received) == received);
    /* Equal to the receipt time is not after it. */
    assert_true(judge_time(&dt, received, received) == received);
}

static void
judge_time_without_downtime_or_queue_time(void **state)
{
    int64_t iv[1][2] = { { 1000, 5000 } };
    struct downtime dt = { iv, 1 };
    struct downtime none = { NULL, 0 };

    (void)state;
    assert_true(judge_time(NULL, 2000, 6000) == 6000);
    assert_true(judge_time(&none, 2000, 6000) == 6000);
    assert_true(judge_time(&dt, 0, 6000) == 6000);
    assert_true(judge_time(&dt, -1, 6000) == 6000);
    /* And with all that fine, the queue time. */
    assert_true(judge_time(&dt, 2000, 6000) == 2000);
}

/* --- judge_on_time --- */

static void
judge_on_time_directly(void **state)
{
    calendar_t *cal = *state;
    lx_day due = day("2025-06-17");
    int late = -1;

    assert_int_equal(judge_on_time(cal, due, sh_time(2025, 6, 17, 23, 59), &late), 1);
    assert_int_equal(late, 0);
    late = -1;
    /* Fri 06-20: 06-18, 06-19, 06-20 = 3. */
    assert_int_equal(judge_on_time(cal, due, sh_time(2025, 6, 20, 9, 0), &late), 0);
    assert_int_equal(late, 3);
    late = -1;
    /* Sat 2025-11-22 after Fri 11-21: no working day, still at least 1. */
    assert_int_equal(judge_on_time(cal, day("2025-11-21"), sh_time(2025, 11, 22, 9, 0), &late),
                     0);
    assert_true(late >= 1);
    assert_int_equal(late, 1);
}

/* --- provisional --- */

static void
due_date_in_2027_is_provisional(void **state)
{
    struct judgement j;

    judge_at(*state, "2026-12-28", sh_time(2026, 12, 29, 10, 0), &j);
    assert_string_equal(j.due_on, "2027-01-04");
    assert_int_equal(j.on_time, 1);
    assert_int_equal(j.provisional, 1);
}

static void
due_date_in_2026_is_not_provisional(void **state)
{
    struct judgement j;

    judge_at(*state, "2026-12-18", sh_time(2026, 12, 21, 10, 0), &j);
    assert_string_equal(j.due_on, "2026-12-25");
    assert_int_equal(j.on_time, 1);
    assert_int_equal(j.provisional, 0);
}

static void
lateness_counted_into_2027_is_provisional(void **state)
{
    struct judgement j;

    /* Due Fri 2026-12-25, judged Tue 2027-01-05.  (12-25, 2027-01-05]:
     * 12-28 Mon, 12-29, 12-30, 12-31 Thu = 4; then weekends only assumed:
     * Fri 01-01 = 5, Mon 01-04 = 6, Tue 01-05 = 7.  Late by 7, provisional. */
    judge_at(*state, "2026-12-18", sh_time(2027, 1, 5, 10, 0), &j);
    assert_string_equal(j.due_on, "2026-12-25");
    assert_int_equal(j.on_time, 0);
    assert_int_equal(j.late_days, 7);
    assert_int_equal(j.provisional, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(on_time_on_the_due_date_itself),
        cmocka_unit_test(on_time_before_the_due_date),
        cmocka_unit_test(late_by_one_on_the_next_working_day),
        cmocka_unit_test(late_by_one_not_zero_on_the_saturday_after_a_friday_due_date),
        cmocka_unit_test(late_across_national_day_counts_only_working_days),
        cmocka_unit_test(shanghai_late_evening_on_the_due_date_is_on_time),
        cmocka_unit_test(shanghai_early_morning_after_the_due_date_is_late),
        cmocka_unit_test(shanghai_midnight_is_the_boundary),
        cmocka_unit_test(judged_at_not_received_at_decides),
        cmocka_unit_test(judge_time_follows_downtime),
        cmocka_unit_test(judge_time_refuses_a_queue_time_after_receipt),
        cmocka_unit_test(judge_time_without_downtime_or_queue_time),
        cmocka_unit_test(judge_on_time_directly),
        cmocka_unit_test(due_date_in_2027_is_provisional),
        cmocka_unit_test(due_date_in_2026_is_not_provisional),
        cmocka_unit_test(lateness_counted_into_2027_is_provisional),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
