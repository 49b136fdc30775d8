/* judge.c — the five-working-day rule applied to one filing. */
#include "judge.h"

#include <string.h>

void
judge_filing(const calendar_t *cal, const char *learned_on, int64_t received_at,
             struct judgement *j)
{
    lx_day learned = 0, due, got = util_day_shanghai(received_at);
    int late = 0, prov;

    memset(j, 0, sizeof *j);
    util_date_parse(learned_on, &learned);
    prov = calendar_due(cal, learned, JUDGE_WORKDAYS, &due);
    j->received_at = received_at;
    util_date_format(due, j->due_on);
    j->on_time = got <= due;
    if (!j->on_time) {
        prov |= calendar_workdays(cal, due, got, &late);
        if (late < 1)
            late = 1;
    }
    j->late_days = late;
    j->provisional = prov;
}
