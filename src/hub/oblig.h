/* oblig.h — obligations with a due date (the written report after a
 * notice, a supplement request) and the messages they cause: reminders and
 * requests, stored first and delivered to the unit's adapter.  Owner of
 * the obligations and hub_messages tables. */
#ifndef LX_OBLIG_H
#define LX_OBLIG_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "lianxi.pb-c.h"
#include "reasons.h"
#include "store.h"

enum { OBLIG_REPORT = 1, OBLIG_SUPPLEMENT = 2, OBLIG_REVIEW = 3, OBLIG_ATTENDANCE = 4 };

#define OBLIG_CODE_LEN 24

/* "OB-123" for obligation 123, and back (-1 when s is not one). */
void oblig_format(int64_t id, char out[OBLIG_CODE_LEN]);
int64_t oblig_parse(const char *s);

/* Checks that f->answers (when not empty) names an obligation of unit, and
 * of f's own matter (case and cadre) unless f is a supplement answer.
 * Returns 0 when it does or is empty, 1 when it does not (r says why),
 * -1 on a database error. */
int oblig_check_answer(store_t *db, const char *unit, const Lianxi__Filing *f, struct reason *r);

/* The due date of obligation id into due_on.  Returns 1, 0 when there is
 * no such obligation, or -1. */
int oblig_due_on(store_t *db, int64_t id, char due_on[LX_DATE_LEN]);

/* An obligation as an operator reads it (show): its due date and where
 * it stands on a day. */
struct oblig_status {
    char due_on[LX_DATE_LEN];
    const char *state;          /* "open" (not yet due), "overdue" (open after
                                 * due_on), "answered", "superseded" (closed
                                 * without an answer) */
    int overdue_days;           /* overdue: working days after due_on to the
                                 * day; answered: working days it came late */
    int64_t answered_at;        /* answered: the time the closing answer was
                                 * judged at */
    char answered_by[24];       /* answered: the closing answer's receipt number */
};

/* Where obligation id stands on day today into out (cal counts the working
 * days).  Returns 1, 0 when there is no such obligation, or -1 after
 * logging. */
int oblig_status(store_t *db, const calendar_t *cal, int64_t id, lx_day today,
                 struct oblig_status *out);

/* After a new filing is stored, inside the same transaction: a notice
 * opens an obligation for its written report (due 5 working days after
 * learned_on), and an amended notice updates that one instead of opening
 * another; a filing naming an obligation in answers closes it, and a
 * report of a case with an open report obligation closes that.  opened and
 * closed receive obligation codes or "".  Returns 0, or -1. */
int oblig_on_filing(store_t *db, const calendar_t *cal, const char *unit,
                    const Lianxi__Filing *f, const struct receipt_info *r,
                    char opened[OBLIG_CODE_LEN], char closed[OBLIG_CODE_LEN]);

/* Opens a supplement request about a stored filing of unit: an obligation
 * due days working days after now's date, and a message to the unit.
 * Returns the obligation id, or -1 after logging (unknown filing, db error). */
int64_t oblig_request_supplement(store_t *db, const calendar_t *cal, const char *unit,
                                 const char *filing_id, const char *text, int days,
                                 int64_t now);

/* Opens a joint review's obligation for unit (review: its code, REQ-N):
 * due on due_on, with the request (text) as a message to the unit.
 * Inside the caller's transaction.  Returns the obligation id, or -1. */
int64_t oblig_open_review(store_t *db, const char *unit, const char *review, const char *due_on,
                          int provisional, const char *text, int64_t now);
/* The obligation of unit to answer review, and whether it is open:
 * returns its id (into *open 1 when open), 0 when there is none, -1. */
int64_t oblig_review_of(store_t *db, const char *unit, const char *review, int *open);
/* Stores a message to unit that no obligation carries (kind: a BRIEFING,
 * CIRCULAR or RECALL; what it names is the dispatch module's), inside the
 * caller's transaction.  Returns its id, or -1. */
int64_t oblig_add_message(store_t *db, const char *unit, int kind, const char *text,
                          int64_t now);

/* Opens a meeting's attendance obligation for unit (meeting: its code,
 * M-N): due on due_on, with the notice (text) as a MEETING_NOTICE message
 * to the unit, whose id goes into *message.  Inside the caller's
 * transaction.  Returns the obligation id, or -1. */
int64_t oblig_open_attendance(store_t *db, const char *unit, const char *meeting,
                              const char *due_on, int provisional, const char *text,
                              int64_t now, int64_t *message);
/* The obligation of unit to answer a joint review (kind OBLIG_REVIEW, ref
 * its code REQ-N) or a meeting notice (OBLIG_ATTENDANCE, M-N), and whether
 * it is open: returns its id (into *open 1 when open), 0 when there is
 * none, -1. */
int64_t oblig_of(store_t *db, int kind, const char *unit, const char *ref, int *open);
/* Closes obligation id, still open, as superseded (nothing can answer it
 * any more: the meeting it asked about has passed).  Returns 1 when closed
 * now, 0 when it was not open, -1. */
int oblig_supersede(store_t *db, int64_t id, int64_t now);

/* Where one message to a unit stands: when first created, last sent (0:
 * never), how many times sent, when acknowledged (0: not yet). */
struct oblig_msg_state {
    int64_t created_at, sent_at, acked_at;
    int attempts;
};
/* Message id's state into out.  Returns 1, 0 when there is no such
 * message, or -1. */
int oblig_message_state(store_t *db, int64_t id, struct oblig_msg_state *out);
/* How many reminders obligation id has caused.  Returns the count, or -1. */
int oblig_reminders(store_t *db, int64_t id);

/* Closes obligation id as answered by r (judged at r->judged_at).
 * Returns 1 when closed now, 0 when it was not open, -1. */
int oblig_close(store_t *db, const calendar_t *cal, int64_t id, const struct receipt_info *r);

/* Stores the reminders due on now's date: the working day before an
 * obligation falls due, and each working day it is overdue; never twice
 * for one obligation and day.  Returns the number stored, or -1. */
int oblig_remind(store_t *db, const calendar_t *cal, int64_t now);

/* Calls fn for each message of unit not yet acknowledged and not sent
 * since resend_before (unix seconds).  Returns the count, or -1. */
typedef int (oblig_msg_fn)(void *arg, const Lianxi__HubMessage *m);
int oblig_pending(store_t *db, const char *unit, int64_t resend_before, oblig_msg_fn *fn,
                  void *arg);
int oblig_mark_sent(store_t *db, int64_t id, int64_t now);
/* Records the unit's acknowledgement; a message of another unit is left
 * alone.  Returns 0, or -1. */
int oblig_mark_acked(store_t *db, const char *unit, int64_t id, int64_t now);

/* Closes, as superseded, the report obligations that nothing can close any
 * more: a second one opened beside the first by an amended notice (before
 * one notice opened exactly one), and one whose matter already has its
 * report.  Inside the caller's transaction.  Returns how many, or -1. */
int oblig_tidy(store_t *db, int64_t now);

#endif
