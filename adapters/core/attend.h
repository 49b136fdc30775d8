/* attend.h — a unit's attendance reply to a meeting notice (会议通知): the
 * notice as the clerk prints it from notices/ (an HTML page, in Chinese),
 * and the reply (出席: who; 不出席) signed and queued in the outbox, a new
 * revision when it says something new. */
#ifndef LX_ATTEND_H
#define LX_ATTEND_H

#include <stddef.h>
#include <stdint.h>

#include "lianxi.pb-c.h"
#include "outbox.h"

enum { ATTEND_QUEUED = 0, ATTEND_UNCHANGED = 1 };

/* The meeting's number in s ("3" or "M-3"), or -1 when s is neither. */
int64_t attend_parse_meeting(const char *s);

/* Queues unit's signed reply (sk) to meeting's notice in ob: attend, and
 * who attends ("name, post"; required when attending).  Revision 1, or the
 * next one when the latest queued says something else.  Checked as the
 * hub checks it (validate_attendance_reason).  Returns ATTEND_QUEUED (its
 * revision into *revision), ATTEND_UNCHANGED (the latest revision into
 * *revision), or -1 with the reason for the clerk in err (nothing queued;
 * outbox_error tells whether the outbox failed). */
int attend_queue(outbox_t *ob, const char *unit, const uint8_t sk[64], int64_t meeting,
                 int attend, const char *attendee, int64_t now, uint32_t *revision, char *err,
                 size_t errlen);

/* The notice m (a MEETING_NOTICE) as a printable page for the clerk: an
 * HTML document (UTF-8, print CSS, every value from the hub escaped) with
 * the meeting's title, time, place, agenda, who attends, the reply's due
 * date and how to reply (unit's command).  Returns a malloc'd text, or NULL
 * when out of memory. */
char *attend_notice_html(const Lianxi__HubMessage *m, const char *unit, const char *unit_name,
                         const char *received);

#endif
