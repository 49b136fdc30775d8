/* dispatch.h — the meeting's messages to the units that carry documents:
 * the numbered copies (份号) of a meeting's briefing, the recall of those
 * copies after the meeting (会后收回), and circulars (通报).  Each is one
 * hub message per unit (oblig.h stores and delivers it, the adapter
 * acknowledges it once it holds every document whole); this module records
 * what each message names.  Owner of the dispatches and dispatch_documents
 * tables; the documents' bytes are in the attachment store (attach.h). */
#ifndef LX_DISPATCH_H
#define LX_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "attachment.h"
#include "lianxi.pb-c.h"
#include "store.h"

#define DISPATCH_MAX_DOCS 16
#define DISPATCH_TITLE_MAX 200
#define DISPATCH_TEXT_MAX 4000

/* One document a message names. */
struct dispatch_doc {
    const char *name, *media;
    uint64_t size;
    uint8_t hash[ATT_HASHLEN];
};

/* One message to store (dispatch_add). */
struct dispatch_msg {
    int kind;                   /* LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_{BRIEFING,CIRCULAR,RECALL} */
    int64_t meeting;            /* BRIEFING, RECALL: the meeting; else 0 */
    int copy_no;                /* BRIEFING: 份号 */
    int recall_after;           /* BRIEFING: a RECALL will follow (会后收回) */
    int64_t recalls;            /* RECALL: the BRIEFING message whose documents to remove */
    int64_t circular;           /* CIRCULAR: its number (the same for every unit sent it) */
    const char *title, *text;   /* text: what the clerk reads (HubMessage.text) */
    const struct dispatch_doc *docs;
    size_t ndocs;
};

/* Stores m to unit as a hub message and what it names, inside the caller's
 * transaction.  Returns the message's id, or -1 after logging. */
int64_t dispatch_add(store_t *db, const char *unit, const struct dispatch_msg *m,
                     const char *actor, int64_t now);

/* Fills HubMessage hm (a BRIEFING, CIRCULAR or RECALL, by its id) with
 * what it names: meeting, title, copy number, recall, documents.  The
 * memory lives in *buf until dispatch_fill_free.  Returns 0 (hm untouched
 * when it is none of them), or -1. */
struct dispatch_buf {
    char *title;
    Lianxi__Attachment docs[DISPATCH_MAX_DOCS], *ptrs[DISPATCH_MAX_DOCS];
    char *names[DISPATCH_MAX_DOCS], *media[DISPATCH_MAX_DOCS];
    uint8_t hashes[DISPATCH_MAX_DOCS][ATT_HASHLEN];
    size_t n;
};
int dispatch_fill(store_t *db, Lianxi__HubMessage *hm, struct dispatch_buf *buf);
void dispatch_fill_free(struct dispatch_buf *buf);

/* Whether one of unit's messages names the document hash: 1 with its size,
 * 0 when none does (the unit may not fetch it), -1.  A briefing copy whose
 * recall the unit confirmed (it deleted the copy) names it no more. */
int dispatch_may_fetch(store_t *db, const char *unit, const uint8_t hash[ATT_HASHLEN],
                       uint64_t *size);

/* How many briefing copies of meeting were sent.  Returns it, or -1. */
int dispatch_briefing_copies(store_t *db, int64_t meeting);

/* Sends a RECALL for every copy of meeting's briefing not recalled yet,
 * inside the caller's transaction.  Returns how many, or -1. */
int dispatch_recall(store_t *db, int64_t meeting, const char *actor, int64_t now);

/* The copies of meeting's briefing as JSON (cJSON array, the caller
 * deletes): [{unit, copy_no, message, document: {name, size, hash},
 * sent, received, received_at, recall_after, recall: {message, sent,
 * confirmed, confirmed_at} or null}], in copy order.  NULL on error. */
struct cJSON *dispatch_copies(store_t *db, int64_t meeting);

/* The next circular's number.  Returns it, or -1. */
int64_t dispatch_next_circular(store_t *db);
/* The circulars (circular > 0) as JSON: [{circular, title, text, sent_by,
 * created_at, documents: [{name, size, hash}], units: [{unit, message,
 * sent, received, received_at}]}], newest first; only own's when own is
 * not NULL.  Also the briefing copies sent to own (kind briefing) when own
 * is set: what was sent to the member's unit.  NULL on error. */
struct cJSON *dispatch_list(store_t *db, const char *own);

#endif
