/* matters.h — the counting model: what every figure counts.  The briefing,
 * the deadline board, listings and exports take their figures from here.
 *
 * A matter (报备事项) is one unit's case about one cadre: (unit, case_ref,
 * id_number).  Its filings are the notice (optional), the written report,
 * amendments of either (higher revisions) and answers to supplement
 * requests.  The latest revision of each filing is its current content.
 *
 * - A matter is counted once, in the period in which it was first received
 *   (its first notice or report), under the category of its current content
 *   (the report's latest revision, else the notice's).  An amendment is never
 *   a new matter; a supplement answer is never a matter.
 * - Timeliness is the written report's: due on the 5th working day after
 *   learned_on; on time when the report's first revision was received (or
 *   judged, under the downtime rule) by then; late by N working days
 *   otherwise; overdue while no report has come after the due date; pending
 *   before it.  Amendments never change it (their receipts carry the first
 *   revision's judgement); an early notice does not make a matter on time.
 *   The on-time rate is on time / (on time + late + overdue): pending
 *   matters are not judged yet.  A matter reported after the period's end
 *   counts as on time or late by its report (what is known when compiled).
 * - Complaints (举报: letters and visits, 12380 reports) are complaint
 *   matters; verified when a written report was received by the end of the
 *   period (later verifications are reported on a line of their own).
 *   Real-name is a signed field of the filing. */
#ifndef LX_MATTERS_H
#define LX_MATTERS_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "days.h"
#include "store.h"

enum { MATTER_PENDING = 0, MATTER_ON_TIME = 1, MATTER_LATE = 2, MATTER_OVERDUE = 3 };

/* One matter, valid during the callback only. */
struct matter {
    const char *unit, *case_ref, *id_number;
    int64_t first_received;         /* its first notice or report */
    /* The current content: the report's latest revision, else the notice's. */
    const char *receipt_no, *category, *name, *work_unit, *post, *learned_on, *summary;
    int rank, scope, real_name, stage;
    char due_on[LX_DATE_LEN];       /* the current content's (an amended report keeps
                                       the first report's due date) */
    /* The report's first revision, when there is one. */
    int has_report;
    int64_t report_received;
    int report_on_time, report_late_days;
    int state;                      /* MATTER_*, as of the evaluation day */
    int overdue_days;               /* MATTER_OVERDUE: working days past due */
    int complaint;                  /* a letter, visit or 12380 report */
};

typedef int (matters_fn)(void *arg, const struct matter *m);

/* Calls fn for every matter first received in [t0, t1) (unix seconds), in
 * the order of first receipt, until fn returns -1.  A matter without a
 * report is overdue or pending as of the day asof (overdue when asof is
 * past its due date).  Reads inside the caller's read transaction when one
 * is open.  Returns the number of matters, or -1 after logging. */
long matters_scan(store_t *st, const calendar_t *cal, int64_t t0, int64_t t1, lx_day asof,
                  matters_fn *fn, void *arg);

/* The supervision group's supplement requests made in [t0, t1): how many,
 * answered on time and late (each answer judged against its request's due
 * date), still open, and open past their due date as of asof. */
struct requests {
    long made, on_time, late, open, overdue;
};
int matters_requests(store_t *st, int64_t t0, int64_t t1, lx_day asof, struct requests *out);

/* Signals among the matters first received in [t0, t1) whose current
 * content's scope is at most max_scope (what the audience may see by name):
 * each cadre with two or more matters (name, ID number, the units that
 * filed, comma-separated, how many matters), at most limit, most units
 * first; and each work unit with two or more cadres.  fn returns -1 to
 * stop.  Both return the number handed out, or -1. */
int matters_cadres(store_t *st, int64_t t0, int64_t t1, int max_scope, int limit,
                   int (*fn)(void *arg, const char *name, const char *id_number,
                             const char *units, long matters),
                   void *arg);
int matters_work_units(store_t *st, int64_t t0, int64_t t1, int max_scope, int limit,
                       int (*fn)(void *arg, const char *work_unit, long cadres), void *arg);

/* 1 when a matter of this unit and category is a complaint (举报). */
int matters_is_complaint(const char *unit, const char *category);

/* The model in one sentence, as the briefing states it (zh or en). */
extern const char *const matters_rule[2];

#endif
