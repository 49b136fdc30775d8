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

/* One meeting as meeting_get reads it.  secrecy and urgency are the codes
 * of meeting-create (opcmd.c: none|internal|recall, none|urgent|very_urgent),
 * or "" for a meeting scheduled before meetings had them (no mark); the
 * words its documents print are opcmd_secrecy_mark and opcmd_urgency_mark. */
struct meeting {
    lx_day date, from, to;
    char title[256];
    char secrecy[16], urgency[16];
};

/* Meeting id.  Returns 1 when found, 0 when there is no such meeting, -1 on
 * a database error. */
int meeting_get(store_t *st, int64_t id, struct meeting *m);

/* Schedules a meeting inside the open transaction (secrecy and urgency:
 * codes as in struct meeting).  Returns its id, or -1 after logging. */
int64_t meeting_add(store_t *st, const char *date, const char *kind, const char *from,
                    const char *to, const char *title, const char *secrecy,
                    const char *urgency, const char *created_by, int64_t now);

/* One meeting as meeting_list hands it out (valid during the call only). */
struct meeting_row {
    int64_t id;
    const char *date, *kind, *from, *to, *title, *created_by, *secrecy, *urgency;
};
/* Calls fn for every meeting (only meeting id when id > 0), by date.
 * Returns the number handed out, or -1. */
int meeting_list(store_t *st, int64_t id, int (*fn)(void *arg, const struct meeting_row *m),
                 void *arg);

#endif
