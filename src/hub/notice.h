/* notice.h — the meeting notice (会议通知) to the member units and their
 * attendance replies: when the convener schedules a meeting, each unit
 * invited is sent a notice (time, place, agenda, who is to attend) and
 * owes a signed reply (出席: who; or 不出席) by a due date some working days
 * before the meeting.  Owner of the meeting_notices, meeting_invitees and
 * attendances tables.  Each unit invited has an obligation (oblig.h, kind
 * OBLIG_ATTENDANCE, ref M-N) that carries the notice to its adapter as a
 * MEETING_NOTICE message, reminds it, and shows on the deadline board. */
#ifndef LX_NOTICE_H
#define LX_NOTICE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "lianxi.pb-c.h"
#include "reasons.h"
#include "store.h"

#define NOTICE_CODE_LEN 24
/* The reply is due this many working days before the meeting (or the day
 * before it when that is sooner, the meeting being close). */
#define NOTICE_DUE_WORKDAYS 3
#define NOTICE_PLACE_MAX 200
#define NOTICE_AGENDA_MAX 4000
#define NOTICE_ATTENDEE_MAX 200
#define NOTICE_SENDER "县干部监督工作联席会议办公室"
#define NOTICE_ATTENDEE_DEFAULT "分管人事的副职"

/* "M-3" for meeting 3, and back (-1 when s is neither "M-N" nor "N"). */
void notice_format(int64_t meeting, char out[NOTICE_CODE_LEN]);
int64_t notice_parse(const char *s);

/* What the convener says of a meeting besides its date and title. */
struct notice_spec {
    const char *time;           /* HH:MM, or "" when not yet fixed */
    const char *place;          /* one line, or "" */
    const char *agenda;         /* one item per line, or "" */
    const char *attendee;       /* who is to attend (default NOTICE_ATTENDEE_DEFAULT) */
};

/* Checks a notice's fields (time HH:MM, place one line, agenda lines,
 * attendee one line, each within its limit, valid UTF-8 without control
 * characters).  Returns 0, or -1 with a sentence (current language) in
 * err. */
int notice_check(const struct notice_spec *s, char *err, size_t errlen);

/* The reply's due date for a meeting on day meeting notified on day
 * today, into *due: NOTICE_DUE_WORKDAYS working days before the meeting;
 * the day before it when that is not after today; today at the earliest.
 * Returns 1 when the calendar did not cover a day counted (provisional),
 * else 0. */
int notice_due_date(const calendar_t *cal, lx_day meeting, lx_day today, lx_day *due);

/* Stores the notice of meeting (already stored, on date with title) inside
 * the caller's transaction, and for each of units (in that order) an
 * attendance obligation with the notice as a message.  The reply is due
 * NOTICE_DUE_WORKDAYS working days before the meeting, or the day before
 * it when that is sooner than now's date allows (never before today).
 * due_on receives the due date.  Returns 0, or -1 after logging (the
 * caller rolls back). */
int notice_create(store_t *db, const calendar_t *cal, int64_t meeting, const char *date,
                  const char *title, const struct notice_spec *s, const char *const *units,
                  size_t nunits, const char *actor, int64_t now, char due_on[16]);

/* Fills m (a MEETING_NOTICE, or a REMINDER about one: m->meeting set)
 * with the meeting's date, time, place, agenda, attendee, sender and
 * title; the strings live in *buf until notice_fill_free.  Returns 0 (m
 * untouched when the meeting has no notice), or -1. */
struct notice_buf {
    char *s[8];
};
int notice_fill(store_t *db, Lianxi__HubMessage *m, struct notice_buf *buf);
void notice_fill_free(struct notice_buf *buf);

enum { NOTICE_REFUSED = 3 };    /* besides STORE_NEW, STORE_DUPLICATE, STORE_CONFLICT */

/* Stores a unit's verified attendance reply inside the caller's
 * transaction: the meeting must exist and its notice have been sent to
 * unit.  STORE_NEW: out filled (receipt_no empty, due_on the reply's due
 * date, on_time and late_days of this revision, judged at now), the
 * obligation closed when open (its code into closed, else "").
 * STORE_DUPLICATE: out is the original answer.  STORE_CONFLICT: another
 * content under that revision.  NOTICE_REFUSED: r says why.  -1 on a
 * database error. */
int notice_put_attendance(store_t *db, const calendar_t *cal, const char *unit,
                          const char *key_id, const Lianxi__Attendance *a,
                          const uint8_t hash[CANON_HASHLEN], int64_t now,
                          struct receipt_info *out, char closed[24], struct reason *r);

/* The attendance board of meeting, as JSON (cJSON object, the caller
 * deletes): {meeting, code, date, time, place, title, due_on, agenda,
 * attendee, units:[{unit, state: confirmed|declined|unanswered, state_zh,
 * attendee, revision, answered_at, on_time, late_days, reminded,
 * notice: {sent, acked, attempts}}], confirmed, declined, unanswered}.
 * Returns NULL when the meeting has no notice (*err 0) or on error (*err 1). */
struct cJSON *notice_board(store_t *db, const calendar_t *cal, int64_t meeting, int64_t now,
                           int *err);

/* The meeting notices sent to unit own (all when NULL), newest first, as
 * JSON: [{kind: "notice", meeting, code, title, date, time, place,
 * due_on, created_at, units: [{unit, message, sent, received, state}]}].
 * NULL on error. */
struct cJSON *notice_list(store_t *db, const char *own);

/* Closes, as superseded, the attendance obligations of meetings already
 * held (before today, within the last 60 days: the job runs daily):
 * nothing can answer them any more.  Inside the
 * caller's transaction.  Returns how many, or -1. */
int notice_expire(store_t *db, int64_t now);

#endif
