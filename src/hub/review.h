/* review.h — the supervision group's reviews of filings (owner of the
 * reviews table): accepted, noted, or a supplement asked for. */
#ifndef LX_REVIEW_H
#define LX_REVIEW_H

#include <stdint.h>

#include "store.h"

/* One review as review_list hands it out (valid during the call only);
 * obligation is 0 when the review opened none. */
struct review_row {
    int64_t at;
    const char *actor, *action, *text, *receipt_no;
    int64_t obligation;
};
typedef int (review_fn)(void *arg, const struct review_row *r);

/* Records a review of unit's filing_id by actor inside the open
 * transaction: action is "accepted", "noted" or "supplement"; obligation 0
 * when none was opened.  The receipt reviewed (the latest revision's) goes
 * to receipt_no (24 bytes).  Returns 0, or -1 after logging. */
int review_add(store_t *st, int64_t at, const char *actor, const char *unit,
               const char *filing_id, const char *action, const char *text,
               int64_t obligation, char receipt_no[24]);

/* Calls fn for each review of unit's filing_id, oldest first.  Returns the
 * number handed out, or -1. */
int review_list(store_t *st, const char *unit, const char *filing_id, review_fn *fn, void *arg);

#endif
