/* opclient.h — one request to the hub's control socket over CURVE and its
 * answer: what the operators' command (lianxi) and the console
 * (lianxi-console) share. */
#ifndef LX_OPCLIENT_H
#define LX_OPCLIENT_H

#include <stddef.h>

#include "conf.h"
#include "wire.h"

typedef struct opclient opclient_t;

enum opclient_status {
    OPCLIENT_OK = 0,
    OPCLIENT_NO_ENDPOINT,   /* the endpoint file is missing: the hub is not running */
    OPCLIENT_CONNECT,       /* the endpoint cannot be connected to (malformed) */
    OPCLIENT_TIMEOUT,       /* no answer in time */
    OPCLIENT_REFUSED,       /* the hub refused this key (CURVE handshake) */
    OPCLIENT_UNREACHABLE,   /* nothing accepts connections at the endpoint (fail fast) */
    OPCLIENT_FAILED,        /* a socket or memory failure here */
};

/* Reads from [section] of conf: cert (this client's secret CURVE key,
 * keys_load_identity), hub_cert (the hub's public key) and either hub (an
 * endpoint) or hub_endpoint_file (a file naming it, read at each request,
 * so that a hub restarted on another port is found).  Returns the client,
 * or NULL after logging what cannot be read (a configuration error).  Free
 * with opclient_destroy, which wipes the secret key and accepts NULL. */
opclient_t *opclient_new(const conf_t *conf, const char *section);
void opclient_destroy(opclient_t **self_p);
/* From now on, when nothing accepts connections at the hub's endpoint (the
 * hub stopped, its endpoint file left behind) for grace_ms, opclient_ask
 * gives up with OPCLIENT_UNREACHABLE instead of waiting for its time-out.
 * By default (0) it waits, as a hub being restarted comes back. */
void opclient_fail_fast(opclient_t *self, int grace_ms);

/* Sends req on a new DEALER socket of the ZeroMQ context zctx and waits up
 * to timeout_ms for the OpReply with req's request_id (set here when it is
 * 0; unique within the process).  Returns OPCLIENT_OK with *reply (free
 * with wire_free), or another status with a sentence in err (current
 * language; naming the endpoint) and *reply NULL.  Several threads may ask
 * at once through one client and one context. */
int opclient_ask(const opclient_t *self, void *zctx, Lianxi__OpRequest *req, int timeout_ms,
                 Lianxi__Envelope **reply, char *err, size_t errlen);

#endif
