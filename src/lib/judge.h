/* judge.h — due date and timeliness of a filing at receipt. */
#ifndef LX_JUDGE_H
#define LX_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

#define JUDGE_WORKDAYS 5

/* What the hub decided about a filing's timeliness. */
struct judgement {
    int64_t received_at;
    int64_t judged_at;          /* received_at, or the queue time during hub downtime */
    char due_on[11];
    int on_time;
    int late_days;
    int provisional;
};

/* Fills j for a filing learned on learned_on (YYYY-MM-DD, already
 * validated), received at received_at and judged at judged_at (see
 * judge_time_rule): due_on is the 5th working day strictly after learned_on; on
 * time when judged_at's Asia/Shanghai date is on or before due_on, else
 * late by the working days in (due_on, that date], at least 1. */
void judge_filing(const calendar_t *cal, const char *learned_on, int64_t received_at,
                  int64_t judged_at, struct judgement *j);

/* Timeliness of something due on due (a day) and done at the Asia/Shanghai
 * date of when: sets *late_days (0 when on time, else at least 1 working
 * day).  Returns 1 when on time. */
int judge_on_time(const calendar_t *cal, lx_day due, int64_t when, int *late_days);

/* The hub's downtime: intervals [from, to] in unix seconds. */
struct downtime {
    int64_t (*iv)[2];
    size_t n;
};

/* The time to judge a filing at under the downtime rule: its queue time
 * when all three hold, else its receipt time.
 *  - queued_at lies inside a downtime interval [from, to] of dt (and is
 *    positive and not after received_at);
 *  - its Asia/Shanghai date is not before learned_on (YYYY-MM-DD; a queue
 *    time on that day counts);
 *  - received_at's Asia/Shanghai date is at most the first working day of
 *    cal after the Shanghai date of that interval's end, when the hub came
 *    back: adapters resend at once on reconnect, and days off in between
 *    do not count against the unit.
 * A NULL dt (no downtime known) or a learned_on that is not a date gives
 * the receipt time.  cal must not be NULL; beyond the calendar's years
 * weekends only are assumed off.  Keeps no pointer to its arguments. */
int64_t judge_time_rule(const struct downtime *dt, const calendar_t *cal, const char *learned_on,
                        int64_t queued_at, int64_t received_at);

#endif
