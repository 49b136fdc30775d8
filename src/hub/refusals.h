/* refusals.h — rejections counted per key, so that a broken or hostile
 * adapter cannot flood the audit trail or the log: the first rejection of a
 * key in a minute is recorded and logged on its own, the others are counted
 * and recorded in one entry when the minute is over ("unit X: 19,876
 * messages refused since …").  Every rejection keeps its row in the
 * rejections table: nothing a unit sends is dropped unrecorded. */
#ifndef LX_REFUSALS_H
#define LX_REFUSALS_H

#include <stdint.h>

#define REFUSALS_WINDOW_S 60

typedef struct refusals refusals_t;

/* Returns NULL when out of memory. */
refusals_t *refusals_new(void);
void refusals_destroy(refusals_t **self_p);

/* A rejection of the key user_id at now.  Returns 1 when it is the first
 * of its key's minute (record and log it on its own), 0 when it is counted
 * for the minute's summary. */
int refusals_note(refusals_t *self, const char *user_id, int64_t now);

/* Calls fn for each key whose minute is over (every key when all is set)
 * with the rejections counted and not yet recorded.  Returns 0, or -1 when
 * fn failed.  Once what fn wrote is committed, refusals_clear with the same
 * now and all forgets them (and nothing is lost when the commit fails). */
typedef int (refusals_fn)(void *arg, const char *user_id, long counted, int64_t since);
int refusals_flush(refusals_t *self, int64_t now, int all, refusals_fn *fn, void *arg);
void refusals_clear(refusals_t *self, int64_t now, int all);

/* 1 when some rejections are counted and not yet recorded. */
int refusals_pending(const refusals_t *self);

#endif
