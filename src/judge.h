/* judge.h — due date and timeliness of a filing at receipt. */
#ifndef LX_JUDGE_H
#define LX_JUDGE_H

#include "calendar.h"
#include "store.h"

#define JUDGE_WORKDAYS 5

/* Fills j for a filing learned on learned_on (YYYY-MM-DD, already
 * validated) and received at received_at: due_on is the 5th working day
 * strictly after learned_on; on time when the receipt's Asia/Shanghai date
 * is on or before due_on, else late by the working days in (due_on,
 * receipt date], at least 1. */
void judge_filing(const calendar_t *cal, const char *learned_on, int64_t received_at,
                  struct judgement *j);

#endif
