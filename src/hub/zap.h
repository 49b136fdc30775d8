/* zap.h — the ZAP handler: which CURVE keys get a session, and as whom.
 *
 * It must be bound (zap_bind) before any CURVE server socket is bound; it
 * fails closed: a key not in the key directory, refused there (two files
 * claim it: see keydir_load), or of the wrong kind for the socket's domain,
 * is answered 400 and gets no session. */
#ifndef LX_ZAP_H
#define LX_ZAP_H

#include "keys.h"

#define ZAP_DOMAIN_UNITS "lianxi-units"
#define ZAP_DOMAIN_OPERATORS "lianxi-operators"

/* Creates the REP socket on inproc://zeromq.zap.01.  Returns it, or NULL. */
void *zap_bind(void *ctx);
/* Answers one pending request from the current key directory.  Returns 1
 * when a session was allowed, 0 when refused, -1 on a socket error. */
int zap_handle(void *zap, const keydir_t *keys);

#endif
