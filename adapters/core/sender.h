/* sender.h — the adapter's connection to the hub: CURVE DEALER, a window
 * of filings in flight, retry with backoff, receipts into the outbox. */
#ifndef LX_SENDER_H
#define LX_SENDER_H

#include <stdint.h>

#include "keys.h"
#include "outbox.h"
#include "witness.h"

/* The file beside the kept checkpoint where a checkpoint the hub handed out
 * later, behind or beside it, is kept as evidence (path ".conflict"). */
#define SENDER_CONFLICT_SUFFIX ".conflict"

struct sender_cfg {
    const char *endpoint;       /* tcp://host:port, or NULL to read endpoint_file */
    const char *endpoint_file;  /* a file holding the endpoint (the hub writes it) */
    uint8_t hub_pk[32];
    const struct identity *id;
    int window;                 /* filings in flight, default 256 */
    int retry_ms;               /* first retry after this long without an answer */
    int retry_max_ms;           /* backoff ceiling */
    const char *witness_path;   /* where the hub's newest audit checkpoint is kept, or NULL */
    uint8_t hub_sign[32];       /* the hub's signing key (hub.cert's sign-public-key) */
    /* Where the documents a message names (a briefing copy, a circular's)
     * are fetched to, each as <64 hex digits of its hash> (att_hex), whole
     * and checked before the message is handed to on_message; NULL: such a
     * message is handed over without them. */
    const char *documents_dir;
    const char *attach_dir;     /* the copies of the filings' documents (attstore.h), or NULL */
};

struct sender_counts {
    long sent, receipts, duplicates, rejections, retries;
    long reoffered;             /* filings the hub stored again after its restore */
    long chunks;                /* attachment chunks sent */
    uint64_t att_bytes;         /* attachment bytes the hub acknowledged */
};

typedef struct sender sender_t;

/* Called for each receipt and rejection, after the outbox has recorded it. */
typedef void (sender_receipt_fn)(void *arg, const Lianxi__Receipt *r);
typedef void (sender_reject_fn)(void *arg, const Lianxi__Rejection *x);
/* Called once for each new message from the hub (a reminder, a supplement
 * request): keep it durably (writing its name into file) and return 0, and
 * the sender acknowledges it; return -1 and the hub sends it again later. */
typedef int (sender_message_fn)(void *arg, const Lianxi__HubMessage *m, char *file,
                                size_t len);
/* Called as a document goes to the hub: its name, the bytes the hub holds
 * of it, its size (each tenth, and when it is whole). */
typedef void (sender_transfer_fn)(void *arg, const char *name, uint64_t done, uint64_t size);

/* Connects (asynchronously) to the hub.  ctx is a ZeroMQ context; cfg's
 * strings are copied, cfg->id must outlive the sender.  Returns NULL after
 * logging. */
sender_t *sender_new(void *ctx, const struct sender_cfg *cfg, outbox_t *outbox);
void sender_destroy(sender_t **self_p);
void sender_on_settle(sender_t *self, sender_receipt_fn *r, sender_reject_fn *x, void *arg);
void sender_on_message(sender_t *self, sender_message_fn *fn);
/* Progress of documents sent (proto: AttachmentChunk); arg as sender_on_settle's. */
void sender_on_transfer(sender_t *self, sender_transfer_fn *fn);

/* One turn of the loop: waits up to timeout_ms for the hub (and for fd,
 * when fd >= 0), handles what arrived, sends what the window allows.
 * Returns 1 when fd became readable, 0 otherwise, -1 on a fatal error
 * (sender_disk_error tells when it was the outbox's disk). */
int sender_turn(sender_t *self, int timeout_ms, int fd);
/* 1 when the outbox is settled and the hub has answered this connection's
 * hello (every message the hub held for the unit has arrived) and its
 * reconciling (every filing it no longer held was offered again). */
int sender_idle(sender_t *self);
/* Pending items in the outbox not yet settled (from the last look). */
long sender_unsettled(sender_t *self);
/* Rescans the outbox for newly queued filings. */
void sender_refresh(sender_t *self);
/* OB_ERR_FULL or OB_ERR_IO once the outbox's disk refused to record what
 * the hub answered (nothing recorded: the filings stay pending and the
 * hub answers again), else OB_ERR_NONE. */
enum ob_error sender_disk_error(const sender_t *self);
int sender_connected(const sender_t *self);
/* 1 once the hub has refused this adapter's key. */
int sender_auth_refused(const sender_t *self);
const struct sender_counts *sender_counts(const sender_t *self);
/* Microseconds from first send to receipt of every filing settled by this
 * sender; the array is owned by the sender.  Returns the count. */
size_t sender_latencies(const sender_t *self, const uint32_t **out);

#endif
