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
 * judge_time): due_on is the 5th working day strictly after learned_on; on
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

/* The time to judge a filing at: its queue time when the unit queued it
 * while the hub was down (and not after it was received), else its
 * receipt time. */
int64_t judge_time(const struct downtime *dt, int64_t queued_at, int64_t received_at);

#endif
