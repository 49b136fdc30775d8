/* audit.h — the audit trail (全程记实): every creation, change, read and
 * export, each entry chained to the one before by a BLAKE2b hash, with
 * checkpoints of the chain's head signed by the hub so that a cut tail is
 * found too. */
#ifndef LX_AUDIT_H
#define LX_AUDIT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIT_HASHLEN 32

typedef struct audit audit_t;

/* Appends to the audit tables of db (created by the store's migrations).
 * Returns NULL after logging. */
audit_t *audit_new(sqlite3 *db);
void audit_destroy(audit_t **self_p);

/* Appends one entry inside the caller's transaction.  Returns 0, or -1. */
int audit_append(audit_t *self, int64_t at, const char *actor, const char *action,
                 const char *object, const char *detail);
/* After a rollback: forget entries that were not committed. */
int audit_reload(audit_t *self);
/* Stores a checkpoint of the head signed with sk (in its own transaction
 * when none is open).  Returns 0, or -1. */
int audit_checkpoint(audit_t *self, const uint8_t sk[64], int64_t now);
/* Entries appended since the last checkpoint. */
uint64_t audit_since_checkpoint(const audit_t *self);

struct audit_verdict {
    int ok;
    uint64_t count;         /* entries checked */
    uint64_t first_bad;     /* the first entry that does not match (0: none) */
    char why[512];
};

/* Recomputes the whole chain of db and checks every checkpoint's signature
 * against pk and its head against the chain (a missing tail shows as a
 * checkpoint beyond the last entry).  Returns 0 (see v->ok), or -1 when
 * the database cannot be read. */
int audit_verify(sqlite3 *db, const uint8_t pk[32], struct audit_verdict *v);

#endif
