/* wire.c — pack, unpack and send protocol envelopes. */
#include "wire.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <zmq.h>

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
wire_check_version(const Lianxi__Envelope *env, char *detail, size_t len)
{
    if (env->version < LX_PROTOCOL_OLDEST || env->version > LX_PROTOCOL_VERSION) {
        snprintf(detail, len, "the adapter speaks protocol version %u but this hub speaks "
                 "versions %d to %d: install the adapter release that matches the hub",
                 env->version, LX_PROTOCOL_OLDEST, LX_PROTOCOL_VERSION);
        return LIANXI__REJECT_CODE__REJECT_VERSION;
    }
    if (env->version < 2 && env->body_case == LIANXI__ENVELOPE__BODY_FILING &&
        env->filing && env->filing->real_name) {
        snprintf(detail, len, "the filing is marked real-name (实名), which a protocol version "
                 "%u message cannot carry: install the adapter release that matches the hub "
                 "and file it again", env->version);
        return LIANXI__REJECT_CODE__REJECT_MALFORMED;
    }
    return LIANXI__REJECT_CODE__REJECT_NONE;
}

Lianxi__Envelope *
wire_unpack(const uint8_t *data, size_t len)
{
    return lianxi__envelope__unpack(NULL, len, data);
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
