/* canon.c — canonical filing bytes, Ed25519 signatures, content hashes. */
#include "canon.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct cbuf {
    uint8_t *p;
    size_t len, cap;
    int overflow;
};

static void
put(struct cbuf *b, const void *data, size_t n)
{
    if (n == 0)
        return;
    if (b->overflow || b->cap - b->len < n) {
        b->overflow = 1;
        return;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void
put_u32(struct cbuf *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    put(b, x, 4);
}

static void
put_i64(struct cbuf *b, int64_t sv)
{
    uint64_t v = (uint64_t)sv;
    put_u32(b, (uint32_t)(v >> 32));
    put_u32(b, (uint32_t)v);
}

static void
put_str(struct cbuf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_u32(b, (uint32_t)n);
    put(b, s, n);
}

/* The fields both layouts share, after the tag. */
static void
put_common(struct cbuf *b, const Lianxi__Filing *f)
{
    const Lianxi__Cadre *c = f->cadre;

    put_str(b, f->unit);
    put_str(b, f->filing_id);
    put_u32(b, f->revision);
    put_u32(b, (uint32_t)f->stage);
    put_str(b, f->category);
    put_str(b, c ? c->name : NULL);
    put_str(b, c ? c->id_number : NULL);
    put_str(b, c ? c->work_unit : NULL);
    put_str(b, c ? c->post : NULL);
    put_u32(b, c ? (uint32_t)c->rank : 0);
    put_str(b, f->learned_on);
    put_str(b, f->summary);
    put_u32(b, (uint32_t)f->scope);
    put_str(b, f->case_ref);
    put_i64(b, f->queued_at);
    put_str(b, f->answers);
}

/* The attachments' part of version 3 (and of an opinion's version 2). */
static void
put_attachments(struct cbuf *b, Lianxi__Attachment *const *a, size_t n)
{
    put_u32(b, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        put_str(b, a[i]->name);
        put_str(b, a[i]->media_type);
        put_u32(b, (uint32_t)(a[i]->size >> 32));
        put_u32(b, (uint32_t)a[i]->size);
        put_u32(b, (uint32_t)a[i]->hash.len);
        put(b, a[i]->hash.data, a[i]->hash.len);
    }
}

long
canon_encode(const Lianxi__Filing *f, uint8_t *buf, size_t cap)
{
    struct cbuf b = { buf, 0, cap, 0 };
    int v3 = f->n_attachments > 0;

    put(&b, v3 ? CANON_TAG_V3 : CANON_TAG, strlen(CANON_TAG));
    put_common(&b, f);
    put_u32(&b, f->real_name ? 1 : 0);
    if (v3)
        put_attachments(&b, f->attachments, f->n_attachments);
    return b.overflow ? -1 : (long)b.len;
}

long
canon_encode_v1(const Lianxi__Filing *f, uint8_t *buf, size_t cap)
{
    struct cbuf b = { buf, 0, cap, 0 };

    put(&b, CANON_TAG_V1, strlen(CANON_TAG_V1));
    put_common(&b, f);
    return b.overflow ? -1 : (long)b.len;
}

int
canon_sign(Lianxi__Filing *f, const uint8_t sk[64])
{
    uint8_t *buf = malloc(CANON_MAX), *sig = NULL;
    long n;

    if (!buf)
        return -1;
    n = canon_encode(f, buf, CANON_MAX);
    if (n < 0 || !(sig = malloc(CANON_SIGLEN)))
        goto err;
    crypto_sign_detached(sig, NULL, buf, (unsigned long long)n, sk);
    free(f->signature.data);
    f->signature.data = sig;
    f->signature.len = CANON_SIGLEN;
    free(buf);
    return 0;
err:
    free(buf);
    return -1;
}

/* Encodes f into buf in the layout its signature verifies over against
 * pk: version 2, or version 1 when real_name is false.  Returns the
 * length, or -1 when none verifies. */
static long
verified_encoding(const Lianxi__Filing *f, const uint8_t pk[32], uint8_t *buf, size_t cap)
{
    long n;

    if (f->signature.len != CANON_SIGLEN)
        return -1;
    n = canon_encode(f, buf, cap);
    if (n >= 0 && crypto_sign_verify_detached(f->signature.data, buf, (unsigned long long)n,
                                              pk) == 0)
        return n;
    if (f->real_name || f->n_attachments)
        return -1;
    n = canon_encode_v1(f, buf, cap);
    if (n >= 0 && crypto_sign_verify_detached(f->signature.data, buf, (unsigned long long)n,
                                              pk) == 0)
        return n;
    return -1;
}

int
canon_verify(const Lianxi__Filing *f, const uint8_t pk[32])
{
    uint8_t *buf = malloc(CANON_MAX);
    long n;

    if (!buf)
        return -1;
    n = verified_encoding(f, pk, buf, CANON_MAX);
    free(buf);
    return n < 0 ? -1 : 0;
}

int
canon_verify_hash(const Lianxi__Filing *f, const uint8_t pk[32], uint8_t out[CANON_HASHLEN])
{
    static _Thread_local uint8_t buf[CANON_MAX];
    crypto_generichash_state st;
    long n = verified_encoding(f, pk, buf, sizeof buf);

    if (n < 0)
        return -1;
    crypto_generichash_init(&st, NULL, 0, CANON_HASHLEN);
    crypto_generichash_update(&st, buf, (unsigned long long)n);
    crypto_generichash_update(&st, f->signature.data, f->signature.len);
    crypto_generichash_final(&st, out, CANON_HASHLEN);
    return 0;
}

long
canon_opinion_encode(const Lianxi__Opinion *o, uint8_t *buf, size_t cap)
{
    struct cbuf b = { buf, 0, cap, 0 };

    put(&b, o->n_attachments ? CANON_OPINION_TAG_V2 : CANON_OPINION_TAG,
        strlen(CANON_OPINION_TAG));
    put_str(&b, o->unit);
    put_str(&b, o->opinion_id);
    put_u32(&b, o->revision);
    put_str(&b, o->review_id);
    put_i64(&b, o->queued_at);
    put_u32(&b, (uint32_t)o->n_items);
    for (size_t i = 0; i < o->n_items; i++) {
        const Lianxi__OpinionItem *it = o->items[i];
        put_str(&b, it->id_number);
        put_u32(&b, (uint32_t)it->answer);
        put_str(&b, it->text);
        put_str(&b, it->expected_on);
    }
    if (o->n_attachments)
        put_attachments(&b, o->attachments, o->n_attachments);
    return b.overflow ? -1 : (long)b.len;
}

int
canon_opinion_sign(Lianxi__Opinion *o, const uint8_t sk[64])
{
    uint8_t *buf = malloc(CANON_MAX), *sig = NULL;
    long n;

    if (!buf)
        return -1;
    n = canon_opinion_encode(o, buf, CANON_MAX);
    if (n < 0 || !(sig = malloc(CANON_SIGLEN))) {
        free(buf);
        return -1;
    }
    crypto_sign_detached(sig, NULL, buf, (unsigned long long)n, sk);
    free(o->signature.data);
    o->signature.data = sig;
    o->signature.len = CANON_SIGLEN;
    free(buf);
    return 0;
}

int
canon_opinion_verify_hash(const Lianxi__Opinion *o, const uint8_t pk[32],
                          uint8_t out[CANON_HASHLEN])
{
    static _Thread_local uint8_t buf[CANON_MAX];
    crypto_generichash_state st;
    long n;

    if (o->signature.len != CANON_SIGLEN ||
        (n = canon_opinion_encode(o, buf, sizeof buf)) < 0 ||
        crypto_sign_verify_detached(o->signature.data, buf, (unsigned long long)n, pk) != 0)
        return -1;
    crypto_generichash_init(&st, NULL, 0, CANON_HASHLEN);
    crypto_generichash_update(&st, buf, (unsigned long long)n);
    crypto_generichash_update(&st, o->signature.data, o->signature.len);
    crypto_generichash_final(&st, out, CANON_HASHLEN);
    return 0;
}

/* The receipt's signed bytes (proto: Receipt.hub_signature).  Returns the
 * length, or -1 when they do not fit. */
static long
receipt_encode(const char *unit, const Lianxi__Receipt *r, const uint8_t hash[CANON_HASHLEN],
               uint8_t *buf, size_t cap)
{
    struct cbuf b = { buf, 0, cap, 0 };

    put(&b, CANON_RECEIPT_TAG, strlen(CANON_RECEIPT_TAG));
    put_str(&b, unit);
    put_str(&b, r->filing_id);
    put_u32(&b, r->revision);
    put(&b, hash, CANON_HASHLEN);
    put_str(&b, r->receipt_no);
    put_i64(&b, r->received_at);
    put_i64(&b, r->judged_at);
    put_str(&b, r->due_on);
    put_u32(&b, r->on_time ? 1 : 0);
    put_u32(&b, r->late_days);
    put_u32(&b, r->provisional ? 1 : 0);
    put_str(&b, r->opened_obligation);
    return b.overflow ? -1 : (long)b.len;
}

int
canon_receipt_sign(const char *unit, const Lianxi__Receipt *r,
                   const uint8_t hash[CANON_HASHLEN], const uint8_t sk[64],
                   uint8_t sig[CANON_SIGLEN])
{
    uint8_t buf[2048];
    long n = receipt_encode(unit, r, hash, buf, sizeof buf);

    if (n < 0)
        return -1;
    crypto_sign_detached(sig, NULL, buf, (unsigned long long)n, sk);
    return 0;
}

int
canon_receipt_verify(const char *unit, const Lianxi__Receipt *r,
                     const uint8_t hash[CANON_HASHLEN], const uint8_t pk[32])
{
    uint8_t buf[2048];
    long n = receipt_encode(unit, r, hash, buf, sizeof buf);

    if (n < 0 || r->hub_signature.len != CANON_SIGLEN)
        return -1;
    return crypto_sign_verify_detached(r->hub_signature.data, buf, (unsigned long long)n, pk) == 0
               ? 0 : -1;
}

long
canon_attendance_encode(const Lianxi__Attendance *a, uint8_t *buf, size_t cap)
{
    struct cbuf b = { buf, 0, cap, 0 };

    put(&b, CANON_ATTENDANCE_TAG, strlen(CANON_ATTENDANCE_TAG));
    put_str(&b, a->unit);
    put_str(&b, a->attendance_id);
    put_u32(&b, a->revision);
    put_u32(&b, (uint32_t)(a->meeting >> 32));
    put_u32(&b, (uint32_t)a->meeting);
    put_u32(&b, a->attend ? 1 : 0);
    put_str(&b, a->attendee);
    put_i64(&b, a->queued_at);
    return b.overflow ? -1 : (long)b.len;
}

int
canon_attendance_sign(Lianxi__Attendance *a, const uint8_t sk[64])
{
    uint8_t buf[4096], *sig;
    long n = canon_attendance_encode(a, buf, sizeof buf);

    if (n < 0 || !(sig = malloc(CANON_SIGLEN)))
        return -1;
    crypto_sign_detached(sig, NULL, buf, (unsigned long long)n, sk);
    free(a->signature.data);
    a->signature.data = sig;
    a->signature.len = CANON_SIGLEN;
    return 0;
}

int
canon_attendance_verify_hash(const Lianxi__Attendance *a, const uint8_t pk[32],
                             uint8_t out[CANON_HASHLEN])
{
    uint8_t buf[4096];
    crypto_generichash_state st;
    long n;

    if (a->signature.len != CANON_SIGLEN ||
        (n = canon_attendance_encode(a, buf, sizeof buf)) < 0 ||
        crypto_sign_verify_detached(a->signature.data, buf, (unsigned long long)n, pk) != 0)
        return -1;
    crypto_generichash_init(&st, NULL, 0, CANON_HASHLEN);
    crypto_generichash_update(&st, buf, (unsigned long long)n);
    crypto_generichash_update(&st, a->signature.data, a->signature.len);
    crypto_generichash_final(&st, out, CANON_HASHLEN);
    return 0;
}
