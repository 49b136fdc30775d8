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
 * The downtime rule (judge_time_rule), resend windows: the first working day
 * strictly after the Shanghai date the hub came back, from the same rows:
 *   back Mon 2025-06-16 -> by Tue 06-17.
 *   back Fri 2025-06-13 evening -> by Mon 06-16 (06-14, 06-15 a weekend);
 *     Tue 06-17 is the second working day.
 *   back Fri 2025-05-30 evening -> by Tue 06-03: 05-31, 06-01 and Mon 06-02
 *     are "off Dragon Boat" rows (weekends only would say Mon 06-02);
 *     Wed 06-04 is the second working day.
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


/* --- judge_time_rule: the downtime rule --- */

/* The hub down on Mon 2025-06-16 from 08:00 to 12:00, for a case learned
 * on Tue 2025-06-10. */
#define LEARNED "2025-06-10"

static void
judge_time_rule_queue_time_counts_when_queued_in_a_downtime_and_sent_on_reconnect(void **state)
{
    int64_t iv[1][2] = { { sh_time(2025, 6, 16, 8, 0), sh_time(2025, 6, 16, 12, 0) } };
    struct downtime dt = { iv, 1 };
    int64_t q = sh_time(2025, 6, 16, 9, 30);
    int64_t received = sh_time(2025, 6, 16, 12, 1);

    assert_true(judge_time_rule(&dt, *state, LEARNED, q, received) == q);
}

static void
judge_time_rule_receipt_time_when_queued_before_the_day_learned(void **state)
{
    /* The hub down on Mon 06-09 20:00..22:00, the day before the unit
     * learned of the case; the filing arrives right after. */
    int64_t iv[1][2] = { { sh_time(2025, 6, 9, 20, 0), sh_time(2025, 6, 9, 22, 0) } };
    struct downtime dt = { iv, 1 };
    int64_t q = sh_time(2025, 6, 9, 21, 0);
    int64_t received = sh_time(2025, 6, 9, 22, 5);

    assert_true(judge_time_rule(&dt, *state, LEARNED, q, received) == received);
}

static void
judge_time_rule_queue_time_on_the_day_learned_counts(void **state)
{
    /* The hub down on Tue 06-10 06:00..08:00; queued at 07:00 in Shanghai,
     * which is still Mon 06-09 in UTC: the Shanghai date decides. */
    int64_t iv[1][2] = { { sh_time(2025, 6, 10, 6, 0), sh_time(2025, 6, 10, 8, 0) } };
    struct downtime dt = { iv, 1 };
    int64_t q = sh_time(2025, 6, 10, 7, 0);
    int64_t received = sh_time(2025, 6, 10, 8, 5);

    assert_int_equal(q / 86400, day("2025-06-09"));
    assert_int_equal(days_shanghai(q), day(LEARNED));
    assert_true(judge_time_rule(&dt, *state, LEARNED, q, received) == q);
}

static void
judge_time_rule_receipt_time_when_received_two_months_after_the_downtime(void **state)
{
    int64_t iv[1][2] = { { sh_time(2025, 6, 16, 8, 0), sh_time(2025, 6, 16, 12, 0) } };
    struct downtime dt = { iv, 1 };
    int64_t q = sh_time(2025, 6, 16, 9, 30);
    int64_t received = sh_time(2025, 8, 18, 9, 0);

    assert_true(judge_time_rule(&dt, *state, LEARNED, q, received) == received);
}

static void
judge_time_rule_window_is_that_of_the_downtime_the_queue_time_lies_in(void **state)
{
    /* The old outage of 06-16, and one that ended minutes before the
     * receipt on Mon 2025-08-18: the recent reconnect does not reopen the
     * old outage. */
    int64_t iv[2][2] = {
        { sh_time(2025, 6, 16, 8, 0), sh_time(2025, 6, 16, 12, 0) },
        { sh_time(2025, 8, 18, 6, 0), sh_time(2025, 8, 18, 8, 55) },
    };
    struct downtime dt = { iv, 2 };
    int64_t received = sh_time(2025, 8, 18, 9, 0);
    int64_t q_old = sh_time(2025, 6, 16, 9, 30), q_new = sh_time(2025, 8, 18, 7, 0);

    assert_true(judge_time_rule(&dt, *state, LEARNED, q_old, received) == received);
    assert_true(judge_time_rule(&dt, *state, LEARNED, q_new, received) == q_new);
}

/* The hub down on Fri 2025-06-13 from 18:00 to 21:00. */
static int64_t friday_iv[1][2];

static struct downtime
friday_evening(void)
{
    friday_iv[0][0] = sh_time(2025, 6, 13, 18, 0);
    friday_iv[0][1] = sh_time(2025, 6, 13, 21, 0);
    return (struct downtime){ friday_iv, 1 };
}

static void
judge_time_rule_queue_time_counts_on_the_monday_after_a_friday_evening_downtime(void **state)
{
    calendar_t *cal = *state;
    struct downtime dt = friday_evening();
    int64_t q = sh_time(2025, 6, 13, 19, 0);
    int64_t received = sh_time(2025, 6, 16, 9, 0);

    assert_false(calendar_is_workday(cal, day("2025-06-14")));
    assert_false(calendar_is_workday(cal, day("2025-06-15")));
    assert_true(calendar_is_workday(cal, day("2025-06-16")));
    assert_true(judge_time_rule(&dt, cal, LEARNED, q, received) == q);
}

static void
judge_time_rule_receipt_time_on_the_second_working_day_after_a_weekend(void **state)
{
    calendar_t *cal = *state;
    struct downtime dt = friday_evening();
    int64_t q = sh_time(2025, 6, 13, 19, 0);
    int64_t received = sh_time(2025, 6, 17, 9, 0);     /* Tue */

    assert_true(calendar_is_workday(cal, day("2025-06-17")));
    assert_true(judge_time_rule(&dt, cal, LEARNED, q, received) == received);
}

/* The hub down on Fri 2025-05-30 from 18:00 to 21:00, before the Dragon
 * Boat holiday, for a case learned on Wed 2025-05-28. */
static int64_t dragon_iv[1][2];

static struct downtime
before_dragon_boat(void)
{
    dragon_iv[0][0] = sh_time(2025, 5, 30, 18, 0);
    dragon_iv[0][1] = sh_time(2025, 5, 30, 21, 0);
    return (struct downtime){ dragon_iv, 1 };
}

static void
judge_time_rule_queue_time_counts_on_the_first_working_day_after_a_holiday(void **state)
{
    calendar_t *cal = *state;
    struct downtime dt = before_dragon_boat();
    int64_t q = sh_time(2025, 5, 30, 19, 0);
    int64_t received = sh_time(2025, 6, 3, 9, 0);      /* Tue */

    assert_false(calendar_is_workday(cal, day("2025-06-02")));     /* a Monday, off */
    assert_true(calendar_is_workday(cal, day("2025-06-03")));
    assert_true(judge_time_rule(&dt, cal, "2025-05-28", q, received) == q);
}

static void
judge_time_rule_receipt_time_on_the_second_working_day_after_a_holiday(void **state)
{
    calendar_t *cal = *state;
    struct downtime dt = before_dragon_boat();
    int64_t q = sh_time(2025, 5, 30, 19, 0);
    int64_t received = sh_time(2025, 6, 4, 9, 0);      /* Wed */

    assert_true(calendar_is_workday(cal, day("2025-06-04")));
    assert_true(judge_time_rule(&dt, cal, "2025-05-28", q, received) == received);
}

static void
judge_time_rule_the_day_the_hub_came_back_is_its_shanghai_date(void **state)
{
    /* The hub down from Sun 06-15 22:00 to Mon 06-16 07:00 in Shanghai,
     * still Sun 06-15 in UTC.  Back on Monday: Tuesday is the first
     * working day after it (after a Sunday it would be Monday). */
    int64_t iv[1][2] = { { sh_time(2025, 6, 15, 22, 0), sh_time(2025, 6, 16, 7, 0) } };
    struct downtime dt = { iv, 1 };
    int64_t q = sh_time(2025, 6, 15, 23, 0);
    int64_t received = sh_time(2025, 6, 17, 10, 0);

    assert_int_equal(iv[0][1] / 86400, day("2025-06-15"));
    assert_true(judge_time_rule(&dt, *state, LEARNED, q, received) == q);
}

static void
judge_time_rule_receipt_time_when_queued_outside_any_downtime(void **state)
{
    int64_t iv[2][2] = {
        { sh_time(2025, 6, 16, 8, 0), sh_time(2025, 6, 16, 12, 0) },
        { sh_time(2025, 6, 16, 14, 0), sh_time(2025, 6, 16, 16, 0) },
    };
    struct downtime dt = { iv, 2 };
    int64_t received = sh_time(2025, 6, 16, 16, 5);

    /* Just before the first, between the two, just after the second. */
    assert_true(judge_time_rule(&dt, *state, LEARNED, iv[0][0] - 1, received) == received);
    assert_true(judge_time_rule(&dt, *state, LEARNED, sh_time(2025, 6, 16, 13, 0), received) ==
                received);
    assert_true(judge_time_rule(&dt, *state, LEARNED, iv[1][1] + 1, received) == received);
    /* The ends belong to an interval. */
    assert_true(judge_time_rule(&dt, *state, LEARNED, iv[0][0], received) == iv[0][0]);
    assert_true(judge_time_rule(&dt, *state, LEARNED, iv[1][1], received) == iv[1][1]);
}

static void
judge_time_rule_refuses_a_queue_time_after_receipt(void **state)
{
    /* Received at 09:00 inside the outage (the hub's own clock); the unit
     * claims 10:00. */
    int64_t iv[1][2] = { { sh_time(2025, 6, 16, 8, 0), sh_time(2025, 6, 16, 12, 0) } };
    struct downtime dt = { iv, 1 };
    int64_t received = sh_time(2025, 6, 16, 9, 0);

    assert_true(judge_time_rule(&dt, *state, LEARNED, sh_time(2025, 6, 16, 10, 0), received) ==
                received);
}

static void
judge_time_rule_receipt_time_without_downtime_queue_time_or_learned_date(void **state)
{
    calendar_t *cal = *state;
    int64_t iv[1][2] = { { sh_time(2025, 6, 16, 8, 0), sh_time(2025, 6, 16, 12, 0) } };
    struct downtime dt = { iv, 1 }, none = { NULL, 0 };
    int64_t q = sh_time(2025, 6, 16, 9, 30);
    int64_t received = sh_time(2025, 6, 16, 12, 1);

    assert_true(judge_time_rule(NULL, cal, LEARNED, q, received) == received);
    assert_true(judge_time_rule(&none, cal, LEARNED, q, received) == received);
    assert_true(judge_time_rule(&dt, cal, LEARNED, 0, received) == received);
    assert_true(judge_time_rule(&dt, cal, LEARNED, -1, received) == received);
    assert_true(judge_time_rule(&dt, cal, NULL, q, received) == received);
    assert_true(judge_time_rule(&dt, cal, "", q, received) == received);
    assert_true(judge_time_rule(&dt, cal, "2025-6-10", q, received) == received);
    /* And with all that fine, the queue time. */
    assert_true(judge_time_rule(&dt, cal, LEARNED, q, received) == q);
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
        cmocka_unit_test(judge_time_rule_queue_time_counts_when_queued_in_a_downtime_and_sent_on_reconnect),
        cmocka_unit_test(judge_time_rule_receipt_time_when_queued_before_the_day_learned),
        cmocka_unit_test(judge_time_rule_queue_time_on_the_day_learned_counts),
        cmocka_unit_test(judge_time_rule_receipt_time_when_received_two_months_after_the_downtime),
        cmocka_unit_test(judge_time_rule_window_is_that_of_the_downtime_the_queue_time_lies_in),
        cmocka_unit_test(judge_time_rule_queue_time_counts_on_the_monday_after_a_friday_evening_downtime),
        cmocka_unit_test(judge_time_rule_receipt_time_on_the_second_working_day_after_a_weekend),
        cmocka_unit_test(judge_time_rule_queue_time_counts_on_the_first_working_day_after_a_holiday),
        cmocka_unit_test(judge_time_rule_receipt_time_on_the_second_working_day_after_a_holiday),
        cmocka_unit_test(judge_time_rule_the_day_the_hub_came_back_is_its_shanghai_date),
        cmocka_unit_test(judge_time_rule_receipt_time_when_queued_outside_any_downtime),
        cmocka_unit_test(judge_time_rule_refuses_a_queue_time_after_receipt),
        cmocka_unit_test(judge_time_rule_receipt_time_without_downtime_queue_time_or_learned_date),
        cmocka_unit_test(judge_on_time_directly),
        cmocka_unit_test(due_date_in_2027_is_provisional),
        cmocka_unit_test(due_date_in_2026_is_not_provisional),
        cmocka_unit_test(lateness_counted_into_2027_is_provisional),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
