/* jointreview.h — the joint review before an appointment (任前联审): the
 * supervision group's request about candidates to chosen units, and each
 * unit's signed opinion per candidate (无 / 有 / 核查中), judged against the
 * request's due date.  Owner of the joint_reviews, joint_review_candidates,
 * joint_review_units, opinions and opinion_answers tables.  Each unit asked
 * has an obligation (oblig.h, kind OBLIG_REVIEW) that carries the request
 * to its adapter, reminds it, and shows on the deadline board. */
#ifndef LX_JOINTREVIEW_H
#define LX_JOINTREVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "lianxi.pb-c.h"
#include "reasons.h"
#include "store.h"

#define JR_CODE_LEN 24
#define JR_MAX_CANDIDATES 500
#define JR_TITLE_MAX 200

/* "REQ-12" for review 12, and back (-1 when s is not one). */
void jointreview_format(int64_t id, char out[JR_CODE_LEN]);
int64_t jointreview_parse(const char *s);

/* One candidate as the group lists it. */
struct jr_candidate {
    const char *name, *id_number, *work_unit, *post, *proposed_post;
};

/* Opens a review inside the caller's transaction: the request, its
 * candidates, and for each of units an obligation to answer due days
 * working days after now's date, with the request as a message to the
 * unit.  Candidates must have been checked (jointreview_check_candidate).
 * Returns the review's id, or -1 after logging (the caller rolls back). */
int64_t jointreview_create(store_t *db, const calendar_t *cal, const char *title, int scope,
                           const struct jr_candidate *c, size_t nc, const char *const *units,
                           size_t nunits, int days, const char *actor, int64_t now);

/* Checks one candidate (name, valid ID number, one-line fields within
 * their limits).  Returns 0, or -1 with a sentence (current language) in
 * err. */
int jointreview_check_candidate(const struct jr_candidate *c, char *err, size_t errlen);

/* The candidates of review id as the proto carries them (malloc'd, free
 * with jointreview_candidates_free).  Returns the count, or -1. */
int jointreview_candidates(store_t *db, int64_t id, Lianxi__ReviewCandidate ***out);
void jointreview_candidates_free(Lianxi__ReviewCandidate **c, int n);
/* The title and scope of review id.  Returns 1, 0 when none, -1. */
int jointreview_title(store_t *db, int64_t id, char *title, size_t len, int *scope);

enum { JR_REFUSED = 3 };    /* besides STORE_NEW, STORE_DUPLICATE, STORE_CONFLICT */

/* Stores a unit's verified opinion inside the caller's transaction: the
 * review must exist and have been sent to unit, each item must name a
 * candidate once with a complete answer.  On STORE_NEW a receipt number
 * is taken and out filled (due_on the request's; on_time and late_days
 * those of this revision's newly answered candidates, judged at now); the
 * obligation closes when every candidate has an answer (its code into
 * closed, else "").  STORE_DUPLICATE:
 * out is the original receipt.  STORE_CONFLICT: out->receipt_no is the
 * stored one's.  JR_REFUSED: r says why.  -1 on a database error.
 * On STORE_NEW out->row is the opinion's row (its attachments name it). */
int jointreview_put_opinion(store_t *db, const calendar_t *cal, const char *unit,
                            const char *key_id, const Lianxi__Opinion *o,
                            const uint8_t hash[CANON_HASHLEN], int64_t now,
                            struct receipt_info *out, char closed[24], struct reason *r);

/* The opinion whose receipt number is receipt, seen as own_unit (a
 * member's unit: only its own unit's; NULL: any): its unit, opinion_id and
 * row.  Returns 1, 0 when none (for own_unit: none of its own), -1. */
int jointreview_opinion_row(store_t *db, const char *receipt, const char *own_unit,
                            char unit[64], char opinion_id[128], int64_t *row);

/* The checks of jointreview_put_opinion that refuse o whatever is stored
 * (review unknown, not sent to unit, someone not asked): JR_REFUSED with r
 * set, 0, or -1.  (The intake asks before it wants an opinion's documents.) */
int jointreview_opinion_check(store_t *db, const char *unit, const Lianxi__Opinion *o,
                              struct reason *r);

/* Whether unit's opinion o (content hash) is stored: STORE_NEW when not,
 * STORE_DUPLICATE, STORE_CONFLICT (other content under its id and
 * revision), or -1. */
int jointreview_opinion_held(store_t *db, const char *unit, const Lianxi__Opinion *o,
                             const uint8_t hash[CANON_HASHLEN]);

/* One unit's answer about one candidate, as a summary shows it. */
struct jr_answer {
    const char *unit;
    int answer;                 /* 0: no answer (未答复); else LIANXI__OPINION_ANSWER__* */
    const char *text, *expected_on;
    int64_t answered_at;        /* first revision naming the candidate */
    int64_t revised_at;         /* latest one (== answered_at when never revised) */
    int revision;
    const char *receipt_no;     /* of the latest revision */
    int on_time, late_days;     /* answered: of the first answer; none: overdue days so far */
};

/* The review's summary, as JSON (cJSON object, the caller deletes):
 * {id, title, scope, created_at, created_by, due_on, units:[…],
 *  candidates:[{name, id_number, work_unit, post, proposed_post,
 *               answers:[{unit, answer: none|holds|checking|unanswered, …}]}],
 *  opinions:[{unit, opinion_id, revision, receipt_no,
 *              attachments:[{n, name, media_type, type, size, blake2b}]}]}
 * own: a member's unit (only its own answers and only when asked), or NULL.
 * today judges the missing answers.  Returns NULL when there is no such
 * review (for own: none sent to it) or on error (*err = 1). */
struct cJSON *jointreview_summary(store_t *db, const calendar_t *cal, int64_t id,
                                  const char *own, int64_t now, int *err);
/* The reviews, newest first, as a JSON array (own as above).  Returns NULL
 * on error. */
struct cJSON *jointreview_list(store_t *db, const char *own);

/* The candidates of review (its code, REQ-N) that unit has not answered:
 * their names joined by 、 into out (cut at len, valid UTF-8), and each
 * added to names (a cJSON array) when not NULL.  Returns their count, or
 * -1. */
int jointreview_missing(store_t *db, const char *review, const char *unit, char *out, size_t len,
                        struct cJSON *names);

/* What the reviews opened in [t0, t1) came to, as of the end of day asof:
 * reviews, candidates, answers asked for (candidate × unit), answered on
 * time, late, not at all, and candidates about whom a unit answered 有. */
struct jr_figures {
    long reviews, candidates, asked, on_time, late, unanswered, reported;
};
/* Returns 0 (out filled), or -1. */
int jointreview_figures(store_t *db, const calendar_t *cal, int64_t t0, int64_t t1, lx_day asof,
                        struct jr_figures *out);

#endif
