/* http.h — the console's HTTPS server (libmicrohttpd on GnuTLS): mutual
 * TLS, routing (the page, its static files, /api/), security headers, one
 * log line per request. */
#ifndef LX_CONSOLE_HTTP_H
#define LX_CONSOLE_HTTP_H

#include <stddef.h>

#include "api.h"

/* The largest request body taken (a POST's JSON). */
#define HTTP_MAX_BODY (64 * 1024)

typedef struct http http_t;

/* Serves HTTPS on the listening socket fd (owned from here on) with the
 * server certificate chain cert_pem and its key key_pem, asking every
 * client for a certificate signed by a CA in ca_pem (all PEM text, copied),
 * forwarding /api/ through api (borrowed: it must outlive the server).
 * Returns the running server, or NULL with a sentence in err. */
http_t *http_start(int fd, const char *cert_pem, const char *key_pem, const char *ca_pem,
                   api_t *api, char *err, size_t errlen);
/* Stops serving, waits for the requests in flight, frees; accepts NULL. */
void http_stop(http_t **self_p);

#endif
