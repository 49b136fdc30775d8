/* witness.h — the hub's signed audit checkpoints as others keep them.
 *
 * A checkpoint says "entry seq of the audit trail has chain hash head",
 * signed by the hub (Ed25519 over seq as 8 big-endian bytes followed by
 * head).  The hub hands out its latest one with every receipt, heartbeat
 * answer and audit-verify reply; an adapter and an operator client each
 * keep the newest they have seen in a small file.  A checkpoint is proof
 * held outside the hub's database: if the trail is later cut back below
 * seq, or rewritten so that entry seq has another hash, the holder's
 * checkpoint shows it (Certificate Transparency's signed tree heads are
 * the model).  The entries after the latest checkpoint (at most a minute of
 * them) are not witnessed yet. */
#ifndef LX_WITNESS_H
#define LX_WITNESS_H

#include <stddef.h>
#include <stdint.h>

#include "lianxi.pb-c.h"

#define WITNESS_HASHLEN 32
#define WITNESS_SIGLEN 64
/* "SEQ:HEAD:SIGNATURE" in hex, with room to spare. */
#define WITNESS_TEXT 256

struct witness {
    uint64_t seq;                       /* 0: none */
    uint8_t head[WITNESS_HASHLEN];
    uint8_t sig[WITNESS_SIGLEN];
    int64_t at;
};

/* The 40 bytes the hub signs. */
void witness_message(uint64_t seq, const uint8_t head[WITNESS_HASHLEN], uint8_t out[40]);
/* 0 when w's signature verifies against the hub's signing key pk. */
int witness_verify(const struct witness *w, const uint8_t pk[32]);

/* From and to the protocol's Checkpoint.  witness_from_wire returns 0, or -1
 * when c is NULL or its sizes are wrong (w then says none). */
int witness_from_wire(const Lianxi__Checkpoint *c, struct witness *w);
/* Points c's fields at w's bytes (valid while w is). */
void witness_to_wire(const struct witness *w, Lianxi__Checkpoint *c);

/* "SEQ:HEADHEX:SIGHEX" (what an auditor copies from an adapter's status into
 * `lianxi … audit verify --witness`).  witness_parse returns 0, or -1 when
 * text is not one. */
void witness_format(const struct witness *w, char out[WITNESS_TEXT]);
int witness_parse(const char *text, struct witness *w);
/* The same followed by ":AT" (when the hub signed it, as its holder noted)
 * when known: what status prints for an auditor, so that audit verify can
 * tell a checkpoint kept before a restore (witness_parse takes both). */
void witness_format_at(const struct witness *w, char out[WITNESS_TEXT]);

enum witness_cmp {
    WITNESS_NEWER,      /* later than the one held (or none held): keep it */
    WITNESS_SAME,       /* the same seq and head */
    WITNESS_SHORTER,    /* an earlier seq: the trail went back */
    WITNESS_DIFFERS,    /* the same seq with another head: the trail was rewritten */
};
/* How a checkpoint the hub hands out now compares with the one held. */
enum witness_cmp witness_compare(const struct witness *held, const struct witness *now);

/* The file a holder keeps: one line "SEQ:HEAD:SIG AT\n".  witness_load
 * returns 0 (w says none when the file does not exist yet), or -1 after
 * logging when the file cannot be read or is not one.  witness_save writes
 * it durably (temp file, fsync, rename), mode 0600; returns 0, or -1 after
 * logging. */
int witness_load(const char *path, struct witness *w);
int witness_save(const char *path, const struct witness *w);

/* A restore of the hub's database from a backup, as its audit entry
 * records it and the hub hands it out (proto: RestoreProof), signed by the
 * hub's key.  A checkpoint kept beyond the backup's head (from) and no later
 * than the replaced trail's (before; 0 when unknown), signed before the
 * restore, is of the trail the restore replaced: it is explained, not
 * evidence of a cut. */
#define WITNESS_RESTORE_TAG "lianxi-restore-v1"
#define WITNESS_RESTORE_MSG (sizeof WITNESS_RESTORE_TAG - 1 + 8 + 32 + 8 + 32 + 8)
struct restore_proof {
    uint64_t entry;                     /* the restore's own entry */
    uint64_t from;                      /* the backup's head */
    uint8_t from_head[WITNESS_HASHLEN];
    uint64_t before;                    /* the replaced trail's head (0: unknown) */
    uint8_t before_head[WITNESS_HASHLEN];
    int64_t at;
    uint8_t sig[WITNESS_SIGLEN];
};
void witness_restore_message(const struct restore_proof *r, uint8_t out[WITNESS_RESTORE_MSG]);
void witness_restore_sign(struct restore_proof *r, const uint8_t sk[64]);
/* 0 when r's signature verifies against pk. */
int witness_restore_verify(const struct restore_proof *r, const uint8_t pk[32]);
/* 1 when r (verified) explains w as a checkpoint of the trail it replaced. */
int witness_restore_explains(const struct restore_proof *r, const struct witness *w);
/* From and to the protocol's RestoreProof (to_wire points into r). */
int witness_restore_from_wire(const Lianxi__RestoreProof *p, struct restore_proof *r);
void witness_restore_to_wire(const struct restore_proof *r, Lianxi__RestoreProof *p);

#endif
