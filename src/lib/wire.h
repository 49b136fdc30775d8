/* wire.h — the protocol envelope on ZeroMQ sockets. */
#ifndef LX_WIRE_H
#define LX_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "lianxi.pb-c.h"
#include "reasons.h"

/* The version this release sends, and the oldest the hub still takes.
 * Version 3: attachments (signed: canonical encoding v3), their chunked
 * transfer, the meeting's messages and attendance replies.
 * Version 2: Filing.real_name, signed (canonical encoding v2, canon.h).
 * Version 1 is taken so that nothing is lost in the upgrade: adapters of
 * the previous release, and filings their outboxes signed under it.  Bump
 * procedure: see proto/lianxi.proto. */
#define LX_PROTOCOL_VERSION 3
#define LX_PROTOCOL_OLDEST 1
/* The largest message a socket accepts (ZMQ_MAXMSGSIZE). */
#define LX_MAX_MSG (64 * 1024)

/* Serializes env, setting its version, into a malloc'd buffer.  Returns the
 * length and sets *out, or -1. */
long wire_pack(Lianxi__Envelope *env, uint8_t **out);
/* Whether the hub takes env as its version number says: returns
 * REJECT_NONE; REJECT_VERSION for a version outside LX_PROTOCOL_OLDEST ..
 * LX_PROTOCOL_VERSION; REJECT_MALFORMED for a filing carrying a field its
 * version does not have (real_name before version 2, attachments before 3).  When refused, a
 * sentence for the unit's clerk is written into detail (current language). */
Lianxi__RejectCode wire_check_version(const Lianxi__Envelope *env, char *detail, size_t len);
/* wire_check_version, the refusal as its reason key and values. */
Lianxi__RejectCode wire_check_version_reason(const Lianxi__Envelope *env, struct reason *r);

/* The memory decoding a message of len bytes may take (its strings, its
 * records, protobuf-c's own): eight times its size and 64 KiB.  A message
 * made to take more (thousands of empty repeated records) is refused. */
#define WIRE_DECODE_BUDGET(len) ((size_t)(len) * 8 + 64 * 1024)

/* Decodes one envelope; NULL when the bytes are not one, when decoding it
 * would take more than WIRE_DECODE_BUDGET, or when a text
 * field in it holds a zero byte (protobuf-c gives texts as C strings, so
 * the text after it would be dropped unseen).  On NULL, *why (when why is
 * not NULL) is a sentence for the sender's clerk.  Free with wire_free. */
Lianxi__Envelope *wire_decode(const uint8_t *data, size_t len, const char **why);
/* A body kind as a bit (its field number in Envelope, which protobuf-c
 * also uses as its body_case), for wire_decode_as. */
#define WIRE_BODY(n) (1u << (n))
/* wire_decode, refusing before anything is allocated a message whose
 * envelope holds a body kind not among bodies (bits of WIRE_BODY; ~0u
 * takes all), and setting *used (when not NULL) to the bytes decoding
 * asked for (at most WIRE_DECODE_BUDGET): what holding the envelope costs
 * beside its len bytes. */
Lianxi__Envelope *wire_decode_as(const uint8_t *data, size_t len, uint32_t bodies, size_t *used,
                                 const char **why);
/* wire_decode without the reason. */
Lianxi__Envelope *wire_unpack(const uint8_t *data, size_t len);
void wire_free(Lianxi__Envelope *env);

/* Sends env on sock, preceded by a routing frame when rid is not NULL
 * (ROUTER).  flags as zmq_send.  Returns 0, or -1 with errno set. */
int wire_send(void *sock, const void *rid, size_t rid_len, Lianxi__Envelope *env, int flags);

#endif
