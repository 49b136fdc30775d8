/* wire.c — pack, unpack and send protocol envelopes. */
#include "wire.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

/* Nesting deeper than this is not a lianxi message. */
#define WIRE_MAX_DEPTH 16

long
wire_pack(Lianxi__Envelope *env, uint8_t **out)
{
    size_t n;
    uint8_t *buf;

    env->version = LX_PROTOCOL_VERSION;
    n = lianxi__envelope__get_packed_size(env);
    if (!(buf = malloc(n ? n : 1)))
        return -1;
    lianxi__envelope__pack(env, buf);
    *out = buf;
    return (long)n;
}

Lianxi__RejectCode
wire_check_version_reason(const Lianxi__Envelope *env, struct reason *r)
{
    char v[16], lo[16], hi[16];

    memset(r, 0, sizeof *r);
    snprintf(v, sizeof v, "%u", env->version);
    if (env->version < LX_PROTOCOL_OLDEST || env->version > LX_PROTOCOL_VERSION) {
        snprintf(lo, sizeof lo, "%d", LX_PROTOCOL_OLDEST);
        snprintf(hi, sizeof hi, "%d", LX_PROTOCOL_VERSION);
        reasons_set(r, "version.unsupported", 3, v, lo, hi);
        return LIANXI__REJECT_CODE__REJECT_VERSION;
    }
    if (env->version < 2 && env->body_case == LIANXI__ENVELOPE__BODY_FILING &&
        env->filing && env->filing->real_name) {
        reasons_set(r, "version.real_name", 1, v);
        return LIANXI__REJECT_CODE__REJECT_MALFORMED;
    }
    if (env->version < 3 &&
        ((env->body_case == LIANXI__ENVELOPE__BODY_FILING && env->filing &&
          env->filing->n_attachments) ||
         (env->body_case == LIANXI__ENVELOPE__BODY_OPINION && env->opinion &&
          env->opinion->n_attachments))) {
        reasons_set(r, "version.attachments", 1, v);
        return LIANXI__REJECT_CODE__REJECT_MALFORMED;
    }
    return LIANXI__REJECT_CODE__REJECT_NONE;
}

Lianxi__RejectCode
wire_check_version(const Lianxi__Envelope *env, char *detail, size_t len)
{
    struct reason r;
    Lianxi__RejectCode code = wire_check_version_reason(env, &r);

    if (len)
        detail[0] = '\0';
    if (code != LIANXI__REJECT_CODE__REJECT_NONE && len)
        reasons_render(&r, detail, len);
    return code;
}

/* Reads a varint at p[*i..len); returns -1 when it does not end in time. */
static int
varint(const uint8_t *p, size_t len, size_t *i, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 64 && *i < len; shift += 7) {
        uint8_t b = p[(*i)++];

        *v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return 0;
    }
    return -1;
}

/* Reads one field at p[*i..len): its key into *key, and moves *i past its
 * value; a length-delimited value is p[*start..*start + *n).  Returns 0, or
 * -1 for bytes that are not a field. */
static int
next_field(const uint8_t *p, size_t len, size_t *i, uint64_t *key, size_t *start, uint64_t *n)
{
    if (varint(p, len, i, key) < 0)
        return -1;
    *n = 0;
    switch (*key & 7) {
    case 0:
        return varint(p, len, i, n);
    case 1:
    case 5:
        if ((*key & 7) == 1 ? len - *i < 8 : len - *i < 4)
            return -1;
        *i += (*key & 7) == 1 ? 8 : 4;
        return 0;
    case 2:
        if (varint(p, len, i, n) < 0 || *n > len - *i)
            return -1;
        *start = *i;
        *i += *n;
        return 0;
    default:
        return -1;
    }
}

/* Whether a string field of message d, anywhere in the encoded p[0..len),
 * holds a zero byte (protobuf-c would hand it on cut there): returns 1, 0,
 * or -1 for bytes that are not an encoding of d. */
static int
zero_in_string(const ProtobufCMessageDescriptor *d, const uint8_t *p, size_t len, int depth)
{
    size_t i = 0;

    if (depth > WIRE_MAX_DEPTH)
        return -1;
    while (i < len) {
        const ProtobufCFieldDescriptor *f;
        uint64_t key, n;
        size_t at = 0;
        int rc;

        if (next_field(p, len, &i, &key, &at, &n) < 0)
            return -1;
        if ((key & 7) != 2)
            continue;
        f = key >> 3 <= UINT32_MAX
                ? protobuf_c_message_descriptor_get_field(d, (unsigned)(key >> 3))
                : NULL;
        if (f && f->type == PROTOBUF_C_TYPE_STRING && memchr(p + at, 0, n))
            return 1;
        if (f && f->type == PROTOBUF_C_TYPE_MESSAGE &&
            (rc = zero_in_string(f->descriptor, p + at, n, depth + 1)) != 0)
            return rc;
    }
    return 0;
}

/* What decoding one message may allocate: a bound, so that a small message
 * of many empty repeated records cannot make the hub allocate gigabytes. */
struct budget {
    size_t left;
    int over;
};

static void *
budget_alloc(void *data, size_t size)
{
    struct budget *b = data;

    if (size > b->left) {
        b->over = 1;
        return NULL;
    }
    b->left -= size;
    return malloc(size);
}

static void
budget_free(void *data, void *p)
{
    (void)data;
    free(p);
}

/* Whether every top-level field of the envelope p[0..len) is the version
 * or a body in bodies: 1, 0, or -1 for bytes that are not fields. */
static int
bodies_allowed(const uint8_t *p, size_t len, uint32_t bodies)
{
    size_t i = 0;

    while (i < len) {
        uint64_t key, n;
        size_t at, k = i;

        /* The kind is judged on the key, before its value is read. */
        if (varint(p, len, &k, &key) < 0)
            return -1;
        if (key >> 3 != 1 && (key >> 3 >= 32 || !(bodies & WIRE_BODY(key >> 3))))
            return 0;
        if (next_field(p, len, &i, &key, &at, &n) < 0)
            return -1;
    }
    return 1;
}

Lianxi__Envelope *
wire_decode(const uint8_t *data, size_t len, const char **why)
{
    return wire_decode_as(data, len, ~0u, NULL, why);
}

Lianxi__Envelope *
wire_decode_as(const uint8_t *data, size_t len, uint32_t bodies, size_t *used,
               const char **why)
{
    struct budget b = { WIRE_DECODE_BUDGET(len), 0 };
    ProtobufCAllocator a = { budget_alloc, budget_free, &b };
    Lianxi__Envelope *env;
    const char *unused;

    if (!why)
        why = &unused;
    if (used)
        *used = 0;
    if (bodies != ~0u && bodies_allowed(data, len, bodies) == 0) {
        *why = "the message is of a kind this side never takes (an adapter sends filings, "
               "heartbeats and acknowledgements): it is not one the hub takes";
        return NULL;
    }
    env = lianxi__envelope__unpack(&a, len, data);
    if (used)
        *used = WIRE_DECODE_BUDGET(len) - b.left;
    if (!env && b.over) {
        *why = "the message would take more memory to read than a lianxi message of its size "
               "ever needs: it is not one the hub takes";
        return NULL;
    }
    if (!env) {
        *why = "the message is not a lianxi protocol message: check the adapter version";
        return NULL;
    }
    if (zero_in_string(&lianxi__envelope__descriptor, data, len, 0) != 0) {
        wire_free(env);
        *why = "a text in the message holds a zero byte (U+0000), which no field may "
               "hold: remove it and send again";
        return NULL;
    }
    return env;
}

Lianxi__Envelope *
wire_unpack(const uint8_t *data, size_t len)
{
    return wire_decode(data, len, NULL);
}

void
wire_free(Lianxi__Envelope *env)
{
    if (env)
        lianxi__envelope__free_unpacked(env, NULL);
}

int
wire_send(void *sock, const void *rid, size_t rid_len, Lianxi__Envelope *env, int flags)
{
    uint8_t *buf;
    long n = wire_pack(env, &buf);
    int rc = -1, saved;

    if (n < 0) {
        errno = ENOMEM;
        return -1;
    }
    if (rid && zmq_send(sock, rid, rid_len, flags | ZMQ_SNDMORE) < 0)
        goto out;
    if (zmq_send(sock, buf, (size_t)n, flags) < 0)
        goto out;
    rc = 0;
out:
    saved = errno;
    free(buf);
    errno = saved;
    return rc;
}
