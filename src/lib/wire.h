/* wire.h — the protocol envelope on ZeroMQ sockets. */
#ifndef LX_WIRE_H
#define LX_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "lianxi.pb-c.h"

/* Bump procedure: see proto/lianxi.proto. */
#define LX_PROTOCOL_VERSION 1
/* The largest message a socket accepts (ZMQ_MAXMSGSIZE). */
#define LX_MAX_MSG (64 * 1024)

/* Serializes env, setting its version, into a malloc'd buffer.  Returns the
 * length and sets *out, or -1. */
long wire_pack(Lianxi__Envelope *env, uint8_t **out);
/* Decodes one envelope; NULL when the bytes are not one.  Free with wire_free. */
Lianxi__Envelope *wire_unpack(const uint8_t *data, size_t len);
void wire_free(Lianxi__Envelope *env);

/* Sends env on sock, preceded by a routing frame when rid is not NULL
 * (ROUTER).  flags as zmq_send.  Returns 0, or -1 with errno set. */
int wire_send(void *sock, const void *rid, size_t rid_len, Lianxi__Envelope *env, int flags);

#endif
