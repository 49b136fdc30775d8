/* peer.h — who is at the other end of a TLS connection: the operator's
 * browser certificate, verified against the console's client CA. */
#ifndef LX_CONSOLE_PEER_H
#define LX_CONSOLE_PEER_H

#include <gnutls/gnutls.h>
#include <stddef.h>

#include "keys.h"

/* Verifies the certificate the client presented in session: present,
 * signed by a CA of the session's trust list (the console's client_ca),
 * within its validity, and fit for TLS client authentication.  Returns 0
 * with fp set to "sha256:" and the lowercase hex SHA-256 of the
 * certificate (DER), or -1 with why (English, for the log) set. */
int peer_identify(gnutls_session_t session, char fp[KEYS_BROWSER_FP_LEN], char *why,
                  size_t whylen);

#endif
