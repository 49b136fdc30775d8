/* intake.h — what the hub does with the adapters' messages, without
 * sockets: decode and check one message, verify signatures (on the pool),
 * store a batch in one transaction, and say what each one is answered. */
#ifndef LX_INTAKE_H
#define LX_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "attach.h"
#include "attachment.h"
#include "audit.h"
#include "calendar.h"
#include "canon.h"
#include "categories.h"
#include "judge.h"
#include "keys.h"
#include "lianxi.pb-c.h"
#include "oblig.h"
#include "refusals.h"
#include "store.h"
#include "wire.h"

#define INTAKE_MAX_RID 256
/* What a unit may send: anything else is refused before it is decoded. */
#define INTAKE_UNIT_BODIES (WIRE_BODY(LIANXI__ENVELOPE__BODY_FILING) |                      \
                            WIRE_BODY(LIANXI__ENVELOPE__BODY_HEARTBEAT) |                   \
                            WIRE_BODY(LIANXI__ENVELOPE__BODY_HUB_MESSAGE_ACK) |             \
                            WIRE_BODY(LIANXI__ENVELOPE__BODY_OPINION) |                     \
                            WIRE_BODY(LIANXI__ENVELOPE__BODY_RECONCILE) |                   \
                            WIRE_BODY(LIANXI__ENVELOPE__BODY_REOFFER) |                     \
                            WIRE_BODY(LIANXI__ENVELOPE__BODY_ATTACHMENT_CHUNK) |            \
                            WIRE_BODY(LIANXI__ENVELOPE__BODY_ATTENDANCE) |                  \
                            WIRE_BODY(LIANXI__ENVELOPE__BODY_ATTACHMENT_FETCH))
/* The memory one batch of messages may hold (their bytes and what decoding
 * them took): intake stops draining a batch there, so that two batches in
 * flight hold a bounded amount whatever units send.  A batch of 1,024
 * ordinary filings takes about 4 MiB. */
#define INTAKE_BATCH_BYTES (8u << 20)

enum { REPLY_NONE, REPLY_RECEIPT, REPLY_REJECTION, REPLY_HEARTBEAT, REPLY_ACK,
       REPLY_RECONCILE,
       REPLY_WANT,          /* AttachmentWant: of a filing (want_filing), or a chunk's answer */
       REPLY_CHUNK,         /* (parsed: an AttachmentChunk, answered REPLY_WANT when stored) */
       REPLY_FETCH };       /* an AttachmentFetch: answered with a piece of the document
                             * one of the unit's messages names (main.c), nothing stored */

/* One attachment a filing waits for, or a chunk's answer (proto:
 * AttachmentOffset). */
struct intake_want {
    uint8_t hash[ATT_HASHLEN];
    uint64_t offset;
    int refused;
};

/* A filing refused because an attachment it waited for did not hash to
 * what was signed (or was not of its type): each is told with a
 * Rejection beside the chunk's answer. */
struct intake_refused {
    char filing_id[80];
    uint32_t revision;
    Lianxi__RejectCode code;
    struct reason reason;
    char detail[512];
};
/* At most this many receipt numbers in one ReconcileReply (under the
 * adapter's message limit). */
#define INTAKE_RECONCILE_MAX 4000
/* How long after a restore, and how far, a unit's word raises the ids the
 * hub hands out (obligations, messages). */
#define RECONCILE_FLOOR_DAYS 30
#define RESTORE_FLOOR_STEP 1000
/* The restores a ReconcileReply names at most (the latest). */
#define INTAKE_RESTORES 4
/* What a Reoffer may add to a filing's size (its receipt). */
#define INTAKE_REOFFER_EXTRA 4096

/* One message of an adapter, from its arrival to its answer. */
struct intake_item {
    uint8_t rid[INTAKE_MAX_RID];        /* the connection it came on */
    size_t rid_len;
    Lianxi__Envelope *env;              /* owned; wire_free after the answer */
    const struct key_entry *key;        /* the unit's key, NULL when revoked */
    Lianxi__RejectCode code;
    struct reason reason;               /* the refusal's key and values */
    char detail[512];                   /* its sentence in the hub's language */
    uint8_t hash[CANON_HASHLEN];
    struct receipt_info receipt;
    char opened[OBLIG_CODE_LEN], closed[OBLIG_CODE_LEN];
    int duplicate;
    int reply;                          /* REPLY_* */
    int quiet;                          /* a rejection counted into its key's summary */
    size_t mem;                         /* its bytes and its decoded envelope's */
    /* A Reoffer: env is the filing inside it, outer the Reoffer itself
     * (owned), given its receipt as the unit kept it. */
    Lianxi__Envelope *outer;
    int reoffer;
    struct receipt_info given;
    Lianxi__ReconcileReply *recon;      /* REPLY_RECONCILE: the answer (owned) */
    /* REPLY_WANT: what the hub wants (a filing's, want_filing set) or
     * the chunk's answer (one). */
    struct intake_want want[ATT_MAX_COUNT];
    size_t nwant;
    int want_filing;
    struct intake_refused *refused;     /* filings refused with the chunk (owned) */
    size_t nrefused;
};

/* What intake stores into. */
struct intake_ctx {
    store_t *store;
    audit_t *audit;
    const calendar_t *cal;
    const categories_t *cats;
    const struct downtime *down;
    refusals_t *refusals;               /* NULL: every rejection on its own */
    const uint8_t *hub_sign_pk;         /* the hub's signing key: its receipts' signatures
                                         * (NULL: no filing offered again is taken) */
    attach_t *attach;                   /* the attachments' store (NULL: none taken) */
    struct att_limits att_limits;       /* [attachments] max_size, max_per_filing */
    uint64_t att_max_pending;           /* [attachments] max_pending_per_unit (0: the
                                         * default, ATT_DEFAULT_MAX_PENDING) */
};

/* Decodes one message (data of len bytes, in nframes frames) sent with
 * key (NULL when the key is no longer authorized) into it, and checks
 * everything but the signature: it->reply says what it will be answered. */
void intake_parse(struct intake_item *it, const struct key_entry *key, const void *data,
                  size_t len, int nframes, const categories_t *cats, int64_t now);

/* Frees what the item holds after its answer (its envelopes, a reconcile
 * answer) and clears them. */
void intake_item_release(struct intake_item *it);

/* The id and revision of the item's filing or opinion (NULL and 0 for
 * anything else), for its answer. */
void intake_item_id(const struct intake_item *it, const char **id, uint32_t *revision);

/* The expensive part of item i of the array items (a vpool job): the
 * filing's signature. */
void intake_verify(void *items, size_t i);

/* Stores a verified batch in one transaction: filings (with their
 * obligations and audit entries), rejections, acknowledgements, and the
 * attachments' chunks (proto: AttachmentChunk).  A filing with
 * attachments is checked against c->att_limits; when the hub holds every
 * one whole it is stored with them (its receipt lists their hashes), else
 * nothing is stored and it is answered with an AttachmentWant (each
 * missing one declared as an upload the unit may make).  A chunk is
 * taken only of an upload the unit declared; whole, it is checked: a
 * mismatch refuses every filing of the unit waiting for it.  Returns
 * 0 when committed (every item then has its answer), or -1 when nothing
 * was stored (no item may be answered: the adapters send again). */
int intake_store(const struct intake_ctx *c, struct intake_item *batch, size_t n, int64_t now);

/* Records, in its own transaction, one audit entry (and one log line) per
 * key whose minute of counted rejections is over (all: every key, at a
 * stop).  Returns 0, or -1 (kept for the next call). */
int intake_record_refusals(const struct intake_ctx *c, int64_t now, int all);

#endif
