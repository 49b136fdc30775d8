/* meeting.h — the joint meetings (owner of the meetings table): scheduling,
 * listing, and the duty of one annual meeting a year. */
#ifndef LX_MEETING_H
#define LX_MEETING_H

#include <stddef.h>
#include <stdint.h>

#include "days.h"
#include "store.h"

/* Calls fn with a sentence for each meeting duty not met as of today: no
 * annual meeting scheduled for this year by 1 November, or last year ended
 * with no annual meeting held.  Returns the number of warnings, or -1. */
int meeting_warnings(store_t *st, lx_day today, void (*fn)(void *arg, const char *msg),
                     void *arg);

/* Meeting id's date, period and title (title of n bytes).  Returns 1 when
 * found, 0 when there is no such meeting, -1 on a database error. */
int meeting_get(store_t *st, int64_t id, lx_day *date, lx_day *from, lx_day *to, char *title,
                size_t n);

#endif
