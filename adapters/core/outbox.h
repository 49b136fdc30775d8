/* outbox.h — the adapter's own durable queue of signed filings.
 *
 * A filing is written here, signed, before anything is sent; it stays
 * pending until the hub's receipt or rejection is recorded against it.
 * The outbox stores and looks up; what to queue (revisions, signatures,
 * the obligation a report answers) is the filer's to decide. */
#ifndef LX_OUTBOX_H
#define LX_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "lianxi.pb-c.h"

/* Schema version (PRAGMA user_version).  Bump procedure: add a migration
 * step to migrations[] in outbox.c that takes version N-1 to N, raise this
 * number, and never edit a step that has shipped. */
#define OUTBOX_SCHEMA_VERSION 5

enum { OB_PENDING = 0, OB_ACKED = 1, OB_REJECTED = 2 };

/* Why a call failed. */
enum ob_error {
    OB_ERR_NONE = 0,
    OB_ERR_FULL,            /* the disk is full */
    OB_ERR_IO,              /* the disk could not be written (an I/O error) */
    OB_ERR_OTHER,           /* anything else: locked too long, damaged, ... */
};

typedef struct outbox outbox_t;

struct ob_item {
    int64_t seq;
    char filing_id[72];
    uint32_t revision;
    uint8_t *payload;       /* packed Envelope; owned by the item */
    size_t len;
};

/* One revision of a filing to store, signed and packed. */
struct ob_entry {
    const char *filing_id;
    uint32_t revision;
    const char *case_ref;
    int stage;
    const uint8_t *content_key;     /* 32 bytes: see filer_content_key */
    const uint8_t *payload;         /* packed Envelope */
    size_t len;
    int64_t queued_at;
};

struct ob_stats {
    long pending, acked, rejected;
    char last_receipt[24];
    int64_t last_receipt_at;
    char last_filing[72];
};

/* Opens or creates the outbox at path (WAL; two programs may open a new
 * file at once).  Returns NULL after logging, with why in *error when
 * error is not NULL. */
outbox_t *outbox_open(const char *path, enum ob_error *error);
/* Opens an existing outbox only to read it (check compares an export with
 * what was filed), never creating or migrating it.  Returns NULL after
 * logging when it cannot be read or is of another schema version. */
outbox_t *outbox_open_readonly(const char *path);
void outbox_close(outbox_t **self_p);
/* Why the last call on self that failed failed (OB_ERR_NONE before any). */
enum ob_error outbox_error(const outbox_t *self);

/* A write transaction, synced to disk at commit.  Each of begin, begin_settle
 * and commit returns 0, or -1 after logging (outbox_error tells why); after
 * a failed commit, roll back. */
int outbox_begin(outbox_t *self);
/* A transaction that only records receipts and rejections (not synced to
 * disk at commit: losing it to a power cut only causes a resend). */
int outbox_begin_settle(outbox_t *self);
int outbox_commit(outbox_t *self);
/* Ends the transaction in progress, if any, undoing it. */
void outbox_rollback(outbox_t *self);

/* The latest revision stored under filing_id and its content key (into
 * key when not NULL).  Returns 1 when there is one, 0 when none, -1 on a
 * database error. */
int outbox_latest(outbox_t *self, const char *filing_id, uint32_t *revision, uint8_t key[32]);
/* The highest revision stored under filing_id whose content key is key,
 * into *revision.  Returns 1 when there is one, 0 when none, -1 on a
 * database error. */
int outbox_revision_with_key(outbox_t *self, const char *filing_id, const uint8_t key[32],
                             uint32_t *revision);
/* Stores e as pending (the caller's transaction, or alone).  Returns 0, or
 * -1 on a database error, such as that revision being stored already. */
int outbox_insert(outbox_t *self, const struct ob_entry *e);
/* The obligation the hub opened when it received filing_id (its latest
 * revision that has one), into out.  Returns 1 when there is one, 0 when
 * none, -1 on a database error. */
int outbox_opened_obligation(outbox_t *self, const char *filing_id, char *out, size_t len);

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

/* Records a message from the hub as received, kept in file, with what it
 * says of its obligation (kind, due date, case, filing, days overdue).
 * Returns 1 when it is new, 0 when it was received before (acknowledge it
 * again, do nothing else), -1 on error. */
int outbox_message_seen(outbox_t *self, const Lianxi__HubMessage *m, const char *file,
                        int64_t now);
/* The filing a received request (obligation code) is about, into out.
 * Returns 0, or -1 when no such request was received. */
int outbox_request_filing(outbox_t *self, const char *obligation, char *out, size_t len);
/* The packed envelope of the latest revision of filing_id (malloc'd, the
 * caller frees).  Returns its length, or -1 when there is none. */
long outbox_latest_payload(outbox_t *self, const char *filing_id, uint8_t **out);
/* The file message id was kept in, into out.  Returns 1, 0 when no such
 * message was received, -1 on error. */
int outbox_message_file(outbox_t *self, uint64_t id, char *out, size_t len);
/* 1 when message id was received before, 0 when not, -1 on error. */
int outbox_message_known(outbox_t *self, uint64_t id);

/* Calls fn for every rejected item, newest first, at most max: reason is
 * the key of the hub's reason (NULL when it sent none) and args its values,
 * each ended by OUTBOX_ARG_SEP. */
typedef void (outbox_rejected_fn)(void *arg, const char *filing_id, uint32_t revision,
                                  const char *case_ref, int code, const char *detail,
                                  int64_t at, const char *reason, const char *args);
int outbox_rejected(outbox_t *self, int max, outbox_rejected_fn *fn, void *arg);

/* What became of one revision of a filing (outbox_settled). */
struct ob_settled {
    uint32_t revision;
    int state;                      /* OB_PENDING, OB_ACKED, OB_REJECTED */
    char receipt_no[24];
    int64_t received_at;
    char due_on[16];
    int on_time, duplicate;
    uint32_t late_days;
    int code;                       /* a rejection: its code, detail, reason and values */
    char detail[1024];
    char reason[48];
    char args[1100];                /* each value ended by OUTBOX_ARG_SEP */
    char opened[32], closed[32];    /* the obligations the receipt opened and closed */
};

#define OUTBOX_ARG_SEP '\x1f'

/* What the outbox knows of revision of filing_id (0: its latest revision).
 * Returns 1 when it holds it, 0 when not, -1 on a database error. */
int outbox_settled(outbox_t *self, const char *filing_id, uint32_t revision,
                   struct ob_settled *out);

/* One thing the unit still owes, as far as this outbox knows. */
struct ob_obligation {
    char obligation[32];            /* OB-N */
    int kind;                       /* 1 the written report of a notice, 2 a supplement
                                     * requested, 3 a joint review's opinion (case_ref
                                     * is the review, REQ-N), 0 named by a reminder only */
    char due_on[16];                /* YYYY-MM-DD */
    char case_ref[256];
    char filing_id[80];
    uint32_t overdue_days;          /* as the latest reminder about it said */
};
typedef void (outbox_obligation_fn)(void *arg, const struct ob_obligation *o);
/* Calls fn for each open obligation, soonest due first: opened by a
 * notice's receipt, or asked for by the hub's messages, and closed by no
 * receipt since.  Returns their count, or -1. */
int outbox_open_obligations(outbox_t *self, outbox_obligation_fn *fn, void *arg);

/* Reconciling with the hub after its restore (proto: Reconcile).  What the
 * outbox holds receipts for, per year of receipt number: how many, the
 * BLAKE2b-256 of the numbers in order each followed by "\n", the highest.
 * Returns the number of years (at most max), or -1; *highest_obligation
 * gets the highest N of the obligations OB-N the unit was given. */
#define OUTBOX_MAX_YEARS 64
struct ob_year {
    int year;
    uint64_t count;
    uint8_t digest[32];
    char highest[24];
};
int outbox_receipt_years(outbox_t *self, struct ob_year *years, int max,
                         uint64_t *highest_obligation);
/* The highest id of the messages received from the hub (0: none). */
uint64_t outbox_highest_message(outbox_t *self);
/* Calls fn, in receipt-number order, for each item acknowledged with a
 * receipt number of year (up to upto, when not NULL) that is not among the
 * nheld numbers held (sorted here), with its packed envelope and its receipt as the hub gave it
 * (valid during the call), until fn returns -1.  Returns how many, or -1. */
typedef int (outbox_missing_fn)(void *arg, const void *payload, size_t len,
                                const Lianxi__Receipt *r);
int outbox_each_missing(outbox_t *self, int year, char **held, size_t nheld, const char *upto,
                        outbox_missing_fn *fn, void *arg);

#endif
