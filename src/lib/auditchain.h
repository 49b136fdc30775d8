/* auditchain.h — how each entry of the hub's audit trail is chained to the
 * one before, shared by the hub (which writes and verifies the trail) and
 * by `lianxi archive-verify` (which checks the trail inside an archive on
 * a machine without the hub).
 *
 * hash = BLAKE2b-256 keyed "lianxi-audit-v1" over prev (32 bytes), seq and
 * at (8 bytes each, big-endian), then actor, action, object and detail,
 * each as its length (8 bytes, big-endian) followed by its bytes. */
#ifndef LX_AUDITCHAIN_H
#define LX_AUDITCHAIN_H

#include <stddef.h>
#include <stdint.h>

#define AUDITCHAIN_HASHLEN 32

void auditchain_hash(const uint8_t prev[AUDITCHAIN_HASHLEN], uint64_t seq, int64_t at,
                     const char *actor, const char *action, const char *object,
                     const char *detail, uint8_t out[AUDITCHAIN_HASHLEN]);

/* One entry as stored: its fields, the previous entry's hash it names and
 * its own hash. */
struct auditchain_entry {
    uint64_t seq;
    int64_t at;
    const char *actor, *action, *object, *detail;
    uint8_t prev[AUDITCHAIN_HASHLEN];
    uint8_t hash[AUDITCHAIN_HASHLEN];
};

/* A run of consecutive entries checked one by one (a part of the trail:
 * the first entry's prev is taken as given). */
struct auditchain {
    int started;
    uint64_t count;                         /* entries checked */
    uint64_t first_seq, last_seq;
    uint8_t first_prev[AUDITCHAIN_HASHLEN]; /* what the first entry names before it */
    uint8_t head[AUDITCHAIN_HASHLEN];       /* the last entry's hash */
};

/* Checks e against the entries before it: its number follows the last one,
 * it names the last one's hash, and its own hash is recomputed.  Returns 0,
 * or -1 with why (in the reader's language) filled. */
int auditchain_step(struct auditchain *c, const struct auditchain_entry *e, char *why,
                    size_t whylen);

#endif
