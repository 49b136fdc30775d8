/* canon.h — the canonical encoding of a filing, its signature and hash.
 *
 * The signature covers this encoding, not the protobuf bytes, so that any
 * language can reproduce it.  Layout of version 2 (protocol 2 on; all
 * integers big-endian):
 *
 *   "lianxi-filing-v2" (16 bytes of ASCII, no length, no terminator)
 *   str unit, str filing_id, u32 revision, u32 stage, str category,
 *   str cadre.name, str cadre.id_number, str cadre.work_unit, str cadre.post,
 *   u32 cadre.rank, str learned_on, str summary, u32 scope, str case_ref,
 *   i64 queued_at, str answers, u32 real_name (1 when true, else 0)
 *
 * where str is a u32 byte length followed by the UTF-8 bytes (an absent
 * string, or absent cadre, is the empty string; an absent cadre's rank is
 * 0), u32 an enum's number, and i64 two's complement.  The length is the
 * field's length on the wire: no text may hold a zero byte (U+0000), and a
 * message with one anywhere is refused as malformed before anything is
 * verified (wire_decode), so that what is signed, what is verified and
 * what is stored are the same bytes.  (protobuf-c hands texts over as C
 * strings; without that rule a signature over "前" would verify a summary
 * sent as "前\0后面", whose tail the hub would drop unseen.)  Version 1 (protocol
 * 1) is the same with the tag "lianxi-filing-v1" and without real_name.
 *
 * Signing uses version 2 only.  Verifying: a signature over version 2 is
 * taken; when real_name is false, so is one over version 1, because a filing
 * queued by an adapter of protocol 1 (and still in its outbox) was signed
 * so, and version 1 says the same about it.  A real-name filing needs
 * version 2: version 1 does not cover the field.  The content hash is
 * BLAKE2b-256 (unkeyed) of the encoding that verified followed by the 64
 * signature bytes, so the same signed filing has the same hash whichever
 * protocol's envelope carries it.
 *
 * Version 3 (protocol 3 on) is version 2 with the tag "lianxi-filing-v3"
 * and, after real_name, the attachments (proto: Attachment):
 *
 *   u32 number of attachments, then for each in the order sent:
 *   str name, str media_type, u64 size (two u32, high first),
 *   u32 hash length (32), the hash's bytes
 *
 * It is used exactly when the filing has attachments: a filing without any
 * is signed and verified over version 2 (or 1), so that its bytes and
 * content hash stay what they were.  Version 1 never verifies a filing
 * with attachments.
 *
 * Bump procedure: a new layout gets a new tag ("lianxi-filing-v4") and goes
 * with a raise of LX_PROTOCOL_VERSION (wire.h); signing moves to it, and
 * verifying keeps taking the older layouts for the filings they can express
 * (each field added since at its zero value). */
#ifndef LX_CANON_H
#define LX_CANON_H

#include <stddef.h>
#include <stdint.h>

#include "lianxi.pb-c.h"

#define CANON_TAG "lianxi-filing-v2"
#define CANON_TAG_V1 "lianxi-filing-v1"
#define CANON_TAG_V3 "lianxi-filing-v3"
#define CANON_MAX (80 * 1024)
#define CANON_SIGLEN 64
#define CANON_HASHLEN 32

/* Encodes f into buf (at most cap bytes) in the current layout (version
 * 2, or 3 when f has attachments).  Returns the length, or -1 when it does not fit. */
long canon_encode(const Lianxi__Filing *f, uint8_t *buf, size_t cap);
/* The same in the layout of protocol 1, which leaves real_name out: what
 * filings signed before protocol 2 were signed over.  Never signed with. */
long canon_encode_v1(const Lianxi__Filing *f, uint8_t *buf, size_t cap);

/* Signs f's version-2 encoding with the 64-byte libsodium secret key: sets
 * f->signature to a malloc'd 64-byte buffer the caller frees (freeing the
 * one it had).  Returns 0, or -1 with f unchanged. */
int canon_sign(Lianxi__Filing *f, const uint8_t sk[64]);

/* Returns 0 when f->signature verifies against pk over version 2, or,
 * when f->real_name is false, over version 1; else -1. */
int canon_verify(const Lianxi__Filing *f, const uint8_t pk[32]);

/* canon_verify, and the content hash (see above) into out: returns 0 and
 * fills out when the signature verifies, else -1 with out unchanged. */
int canon_verify_hash(const Lianxi__Filing *f, const uint8_t pk[32],
                      uint8_t out[CANON_HASHLEN]);

/* A unit's opinion on a joint review (proto: Opinion) has its own layout,
 * "lianxi-opinion-v1" (16 bytes of ASCII), with str, u32 and i64 as above:
 *
 *   str unit, str opinion_id, u32 revision, str review_id, i64 queued_at,
 *   u32 number of items, then per item in the order sent:
 *   str id_number, u32 answer, str text, str expected_on
 *
 * Its content hash is BLAKE2b-256 of that encoding followed by the 64
 * signature bytes.  Bump procedure as for filings: a new tag
 * ("lianxi-opinion-v2"), verifying the old one while adapters may send it. */
#define CANON_OPINION_TAG "lianxi-opinion-v1"
/* Version 2: version 1, then the attachments as in a filing's version 3;
 * used exactly when the opinion has attachments. */
#define CANON_OPINION_TAG_V2 "lianxi-opinion-v2"

/* Encodes o into buf (at most cap bytes).  Returns the length, or -1 when
 * it does not fit. */
long canon_opinion_encode(const Lianxi__Opinion *o, uint8_t *buf, size_t cap);
/* Signs o: sets o->signature to a malloc'd 64-byte buffer (freeing the one
 * it had).  Returns 0, or -1 with o unchanged. */
int canon_opinion_sign(Lianxi__Opinion *o, const uint8_t sk[64]);
/* Returns 0 and the content hash in out when o's signature verifies
 * against pk, else -1 with out unchanged. */
int canon_opinion_verify_hash(const Lianxi__Opinion *o, const uint8_t pk[32],
                              uint8_t out[CANON_HASHLEN]);

/* The hub's signature over a receipt it gives (proto: Receipt.hub_signature
 * spells the bytes out): "lianxi-receipt-v1" (17 bytes), str unit, str
 * filing_id, u32 revision, the filing's content hash, str receipt_no, i64
 * received_at, i64 judged_at, str due_on, u32 on_time, u32 late_days, u32
 * provisional, str opened_obligation.  A unit keeps it with the receipt
 * and gives it back when it offers the filing again after a restore
 * (Reoffer): the hub takes the receipt's number, time and judgement only
 * when its own signature verifies.  sign returns 0, or -1 when a field is
 * too long; verify returns 0 when the signature verifies against pk. */
#define CANON_RECEIPT_TAG "lianxi-receipt-v1"
int canon_receipt_sign(const char *unit, const Lianxi__Receipt *r,
                       const uint8_t hash[CANON_HASHLEN], const uint8_t sk[64],
                       uint8_t sig[CANON_SIGLEN]);
int canon_receipt_verify(const char *unit, const Lianxi__Receipt *r,
                         const uint8_t hash[CANON_HASHLEN], const uint8_t pk[32]);

/* A unit's attendance reply to a meeting notice (proto: Attendance):
 * "lianxi-attendance-v1" (20 bytes), str unit, str attendance_id, u32
 * revision, u64 meeting (two u32, high first), u32 attend (1/0), str
 * attendee, i64 queued_at.  Content hash as for opinions. */
#define CANON_ATTENDANCE_TAG "lianxi-attendance-v1"
long canon_attendance_encode(const Lianxi__Attendance *a, uint8_t *buf, size_t cap);
int canon_attendance_sign(Lianxi__Attendance *a, const uint8_t sk[64]);
int canon_attendance_verify_hash(const Lianxi__Attendance *a, const uint8_t pk[32],
                                 uint8_t out[CANON_HASHLEN]);

#endif
