/* canon.h — the canonical encoding of a filing, its signature and hash.
 *
 * The signature covers this encoding, not the protobuf bytes, so that any
 * language can reproduce it.  Layout (all integers big-endian):
 *
 *   "lianxi-filing-v1" (16 bytes)
 *   str unit, str filing_id, u32 revision, u32 stage, str category,
 *   str cadre.name, str cadre.id_number, str cadre.work_unit, str cadre.post,
 *   u32 cadre.rank, str learned_on, str summary, u32 scope, str case_ref,
 *   i64 queued_at, str answers
 *
 * where str is a u32 byte length followed by the UTF-8 bytes.  Changing the
 * layout means a new tag ("lianxi-filing-v2") and a protocol version bump. */
#ifndef LX_CANON_H
#define LX_CANON_H

#include <stddef.h>
#include <stdint.h>

#include "lianxi.pb-c.h"

#define CANON_TAG "lianxi-filing-v1"
#define CANON_MAX (80 * 1024)
#define CANON_SIGLEN 64
#define CANON_HASHLEN 32

/* Encodes f into buf (at most cap bytes).  Returns the length, or -1 when
 * it does not fit. */
long canon_encode(const Lianxi__Filing *f, uint8_t *buf, size_t cap);

/* Signs f with the 64-byte libsodium secret key: sets f->signature to a
 * malloc'd 64-byte buffer the caller frees.  Returns 0, or -1. */
int canon_sign(Lianxi__Filing *f, const uint8_t sk[64]);

/* Returns 0 when f->signature verifies against pk, else -1. */
int canon_verify(const Lianxi__Filing *f, const uint8_t pk[32]);

/* BLAKE2b-256 of the canonical encoding and the signature.  Returns 0, or -1. */
int canon_hash(const Lianxi__Filing *f, uint8_t out[CANON_HASHLEN]);

/* canon_verify and canon_hash with one encoding: returns 0 and fills out
 * when the signature verifies, else -1. */
int canon_verify_hash(const Lianxi__Filing *f, const uint8_t pk[32],
                      uint8_t out[CANON_HASHLEN]);

#endif
