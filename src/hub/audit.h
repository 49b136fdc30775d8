/* audit.h — the audit trail (全程记实): every creation, change, read and
 * export, each entry chained to the one before by a BLAKE2b hash, with
 * checkpoints of the chain's head signed by the hub so that a cut tail is
 * found too. */
#ifndef LX_AUDIT_H
#define LX_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "witness.h"

#define AUDIT_HASHLEN 32

typedef struct audit audit_t;

/* The audit trail of store (owner of the audit_log and audit_checkpoints
 * tables).  It keeps the head of the chain in memory and reads it again
 * after every rollback of the store.  Returns NULL after logging. */
audit_t *audit_new(store_t *store);
void audit_destroy(audit_t **self_p);

/* Appends one entry inside the caller's transaction.  Returns 0, or -1. */
int audit_append(audit_t *self, int64_t at, const char *actor, const char *action,
                 const char *object, const char *detail);
/* Stores a checkpoint of the head signed with sk (in its own transaction
 * when none is open).  Returns 0, or -1. */
int audit_checkpoint(audit_t *self, const uint8_t sk[64], int64_t now);
/* Entries appended since the last checkpoint. */
uint64_t audit_since_checkpoint(const audit_t *self);
/* Keeps a copy of each checkpoint signed from now on in path (outside the
 * database), and checks the one already there: when the trail no longer
 * reaches its entry with its head (cut back or rewritten while the hub was
 * stopped), says so and signs no new checkpoint (audit_tainted), so that
 * nobody is handed a signature over the changed trail.  Returns 0, or -1
 * when the file or the database cannot be read. */
int audit_keep_witness(audit_t *self, const char *path);
/* Writes the copy when a newer checkpoint was committed since (outside a
 * transaction only: a checkpoint rolled back is never copied). */
void audit_witness_flush(audit_t *self);
int audit_tainted(const audit_t *self);
/* The copy as the hub found it at start (a witness audit verify checks
 * too), or NULL when there was none. */
const struct witness *audit_own_witness(const audit_t *self);
/* The last signed checkpoint (what receipts and heartbeat answers carry),
 * or NULL before the first.  Valid until the next checkpoint or rollback. */
const struct witness *audit_latest(const audit_t *self);

/* A restore (lianxi-hub restore) in the restored trail: one entry, action
 * "store:restore", that names the backup's head (seq, head: the entry
 * before it), the head of the trail it replaced (before_seq and
 * before_head, 0 and NULL when that database could not be read) and is
 * signed by the hub's key sk, so that audit verify can tell a restore from
 * a tail cut off: checkpoints signed before it beyond the backup's head are
 * of the trail it replaced (kept in the pre-restore copy).  Inside the
 * caller's transaction.  Returns 0, or -1. */
int audit_append_restore(audit_t *self, const uint8_t sk[64], int64_t at, const char *actor,
                         const char *backup, uint64_t before_seq, const uint8_t *before_head);
/* The head of the trail now: its last entry's seq and hash (0 and zeros
 * when empty). */
uint64_t audit_head(const audit_t *self, uint8_t head[AUDIT_HASHLEN]);

struct audit_verdict {
    int ok;
    uint64_t count;         /* entries checked */
    uint64_t first_bad;     /* the first entry that does not match (0: none) */
    unsigned restores;      /* restores from a backup the trail records */
    unsigned explained;     /* witnesses from before a restore, of the trail it replaced */
    char why[512];
};

/* Recomputes the whole chain of db and checks every checkpoint's signature
 * against pk and its head against the chain (a missing tail shows as a
 * checkpoint beyond the last entry).  The nwit witnesses are checkpoints
 * kept outside the database (their signatures checked by the caller): the
 * chain must reach each one's entry with its head, which finds a tail cut
 * together with the checkpoints in it.  Returns 0 (see v->ok), or -1 when
 * the database cannot be read. */
int audit_verify(store_t *db, const uint8_t pk[32], const struct witness *wit, size_t nwit,
                 struct audit_verdict *v);

/* One entry as audit_list hands it out (valid during the call only). */
struct audit_row {
    uint64_t seq;
    int64_t at;
    const char *actor, *action, *object, *detail;
    const void *hash;
    size_t hash_len;
};
typedef int (audit_list_fn)(void *arg, const struct audit_row *r);

/* Which entries audit_list hands out. */
struct audit_filter {
    int64_t since, until;   /* made in [since, until) (unix seconds); until 0: open */
    const char *actor;      /* NULL, or only entries whose actor contains it */
    const char *action;     /* NULL, or only entries whose action begins with it */
    long limit;             /* at most this many of the newest that match */
    long offset;            /* after skipping this many of the newest */
};

/* Calls fn, in the trail's order (oldest first), for the page of entries
 * that f selects from the newest back, until fn returns -1; *total, when
 * not NULL, gets how many entries match f in all (offset and limit aside).
 * Returns the number of entries handed out, or -1 on a database error. */
int audit_list(store_t *db, const struct audit_filter *f, audit_list_fn *fn, void *arg,
               uint64_t *total);

#endif
