/* judge.c — the five-working-day rule applied to one filing. */
#include "judge.h"

#include <assert.h>
#include <string.h>

/* As judge_on_time; sets *provisional when the count reached past the calendar. */
static int
on_time(const calendar_t *cal, lx_day due, int64_t when, int *late_days, int *provisional)
{
    lx_day got = days_shanghai(when);
    int late = 0;

    *provisional = 0;
    if (got <= due) {
        *late_days = 0;
        return 1;
    }
    *provisional = calendar_workdays(cal, due, got, &late);
    *late_days = late < 1 ? 1 : late;
    return 0;
}

int
judge_on_time(const calendar_t *cal, lx_day due, int64_t when, int *late_days)
{
    int provisional;
    return on_time(cal, due, when, late_days, &provisional);
}

void
judge_filing(const calendar_t *cal, const char *learned_on, int64_t received_at,
             int64_t judged_at, struct judgement *j)
{
    lx_day learned = 0, due;
    int late = 0, prov, late_prov;

    memset(j, 0, sizeof *j);
    days_parse(learned_on, &learned);
    prov = calendar_due(cal, learned, JUDGE_WORKDAYS, &due);
    j->received_at = received_at;
    j->judged_at = judged_at;
    days_format(due, j->due_on);
    j->on_time = on_time(cal, due, judged_at, &late, &late_prov);
    prov |= late_prov;
    j->late_days = late;
    j->provisional = prov;
}

int64_t
judge_time_rule(const struct downtime *dt, const calendar_t *cal, const char *learned_on,
                int64_t queued_at, int64_t received_at)
{
    lx_day learned, received, resend_by;

    assert(cal);
    if (!dt || queued_at <= 0 || queued_at > received_at || !learned_on ||
        days_parse(learned_on, &learned) < 0 || days_shanghai(queued_at) < learned)
        return received_at;
    received = days_shanghai(received_at);
    for (size_t i = 0; i < dt->n; i++) {
        if (queued_at < dt->iv[i][0] || queued_at > dt->iv[i][1])
            continue;
        calendar_due(cal, days_shanghai(dt->iv[i][1]), 1, &resend_by);
        if (received <= resend_by)
            return queued_at;
    }
    return received_at;
}
