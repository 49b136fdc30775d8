/* reply.h — a unit's written opinion on a joint review (任前联审): the
 * clerk's table (one row per candidate: ID number, answer 无/有/核查中, text,
 * expected date) read into a signed Opinion and queued in the outbox, a new
 * revision when it says something new; and the request as the clerk reads
 * it in notices/. */
#ifndef LX_REPLY_H
#define LX_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include "lianxi.pb-c.h"
#include "outbox.h"

enum { REPLY_QUEUED = 0, REPLY_UNCHANGED = 1 };

/* 1 when a file's name says it is a reply to a review (it begins with
 * "REQ-" and a digit, e.g. REQ-3.csv or REQ-3-纪委意见.xlsx), with the
 * review's code into review (at least 24 bytes); 0 when not. */
int reply_file_review(const char *path, char *review, size_t len);

/* Reads path (CSV, Unicode text, .xlsx, .xls) as unit's opinion on review
 * (REQ-N), checks it as the hub will (validate_opinion_reason), and queues
 * it signed with sk in ob: revision 1, or the next one when the latest
 * queued says something else.  A first row without a digit in its ID
 * number column is a header.  att[0..natt) are its documents, checked and
 * copied beside the outbox already (filer_take_files), signed with it: the
 * same table with other documents is a new revision.  Returns REPLY_QUEUED (its revision into
 * *revision), REPLY_UNCHANGED, or -1 with the reason for the clerk in err
 * (nothing queued; outbox_error tells whether the outbox failed). */
int reply_queue(outbox_t *ob, const char *unit, const uint8_t sk[64], const char *review,
                const char *path, Lianxi__Attachment *const *att, size_t natt, int64_t now,
                uint32_t *revision, char *err, size_t errlen);

/* The request m (a REVIEW_REQUEST) as a document for the clerk: its title,
 * due date, candidates and how to answer (unit's command).  Returns a
 * malloc'd text (UTF-8, CRLF-free), or NULL when out of memory. */
char *reply_request_text(const Lianxi__HubMessage *m, const char *unit, const char *received);

#endif
