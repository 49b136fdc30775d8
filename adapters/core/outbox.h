/* outbox.h — the adapter's own durable queue of signed filings.
 *
 * A filing is written here, signed, before anything is sent; it stays
 * pending until the hub's receipt or rejection is recorded against it. */
#ifndef LX_OUTBOX_H
#define LX_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "lianxi.pb-c.h"

/* Schema version (PRAGMA user_version); bump as in src/store.h. */
#define OUTBOX_SCHEMA_VERSION 3

enum { OB_PENDING = 0, OB_ACKED = 1, OB_REJECTED = 2 };
enum { OUTBOX_QUEUED = 0, OUTBOX_UNCHANGED = 1 };

typedef struct outbox outbox_t;

struct ob_item {
    int64_t seq;
    char filing_id[72];
    uint32_t revision;
    uint8_t *payload;       /* packed Envelope; owned by the item */
    size_t len;
};

struct ob_stats {
    long pending, acked, rejected;
    char last_receipt[24];
    int64_t last_receipt_at;
    char last_filing[72];
};

/* Opens or creates the outbox at path.  Returns NULL after logging. */
outbox_t *outbox_open(const char *path);
void outbox_close(outbox_t **self_p);

int outbox_begin(outbox_t *self);
/* A transaction that only records receipts and rejections (not synced to
 * disk at commit: losing it to a power cut only causes a resend). */
int outbox_begin_settle(outbox_t *self);
int outbox_commit(outbox_t *self);
void outbox_rollback(outbox_t *self);

/* Queues f (unit, filing_id, stage and content set).  When the latest
 * revision queued under f->filing_id has the same content, nothing is
 * queued and OUTBOX_UNCHANGED returned; otherwise f gets the next revision,
 * queued_at = now and a signature by sk, and OUTBOX_QUEUED is returned.
 * Returns -1 on a database error. */
int outbox_add(outbox_t *self, Lianxi__Filing *f, const uint8_t sk[64], int64_t now);

/* The content of a filing apart from revision, queue time and signature
 * (BLAKE2b-256 of its canonical encoding): what tells a changed case from
 * the same one exported again.  Returns 0, or -1 when too large. */
int outbox_content_key(const Lianxi__Filing *f, uint8_t out[32]);

/* Loads up to max pending items with seq > after, in queue order.  Returns
 * the count (items to be freed with outbox_item_free), or -1. */
int outbox_pending(outbox_t *self, int64_t after, struct ob_item *out, int max);
void outbox_item_free(struct ob_item *it);

/* Records a receipt or a rejection (inside a transaction of the caller's
 * or alone).  An item already settled is left as it is.  Returns 0, or -1. */
int outbox_ack(outbox_t *self, const Lianxi__Receipt *r, int64_t now);
int outbox_reject(outbox_t *self, const Lianxi__Rejection *x, int64_t now);

int outbox_stats(outbox_t *self, struct ob_stats *st);
/* Pending items, or -1. */
long outbox_count_pending(outbox_t *self);

/* Records a message from the hub as received.  Returns 1 when it is new,
 * 0 when it was received before (acknowledge it again, do nothing else),
 * -1 on error. */
int outbox_message_seen(outbox_t *self, uint64_t id, const char *file, const char *obligation,
                        const char *filing_id, int64_t now);
/* The filing a received request (obligation code) is about, into out.
 * Returns 0, or -1 when no such request was received. */
int outbox_request_filing(outbox_t *self, const char *obligation, char *out, size_t len);
/* The packed envelope of the latest revision of filing_id (malloc'd, the
 * caller frees).  Returns its length, or -1 when there is none. */
long outbox_latest_payload(outbox_t *self, const char *filing_id, uint8_t **out);
/* 1 when message id was received before, 0 when not, -1 on error. */
int outbox_message_known(outbox_t *self, uint64_t id);

/* Calls fn for every rejected item, newest first, at most max. */
typedef void (outbox_rejected_fn)(void *arg, const char *filing_id, uint32_t revision,
                                  const char *case_ref, int code, const char *detail,
                                  int64_t at);
int outbox_rejected(outbox_t *self, int max, outbox_rejected_fn *fn, void *arg);

#endif
