/* api.h — one /api/ request forwarded to the hub's control socket on
 * behalf of the operator the TLS client certificate names, and its answer
 * as the console sends it (API.md). */
#ifndef LX_CONSOLE_API_H
#define LX_CONSOLE_API_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "opcmd.h"

/* The most parameters a request may carry (the table has at most
 * OPCMD_MAX_PARAMS per command; the rest are refused by the hub). */
#define API_MAX_PARAMS 32

struct api_param {
    const char *key, *value;        /* borrowed from the request */
};

/* What the console answers. */
struct api_answer {
    int status;                     /* HTTP status */
    const char *type;               /* Content-Type (static) */
    char *body;                     /* malloc'd */
    size_t len;
    char *filename;                 /* a download's name (UTF-8), malloc'd, or NULL */
    char *ascii_name;               /* its ASCII stand-in for old clients, or NULL */
    char kind[16];                  /* a refusal's kind ("" when ok): for the log */
};

typedef struct api api_t;

/* Reads [console] of conf: the hub's endpoint and key and the console's
 * own (opclient_new), the categories registry (categories; absent: codes
 * stand for names).  Returns NULL after logging what cannot be used. */
api_t *api_new(const conf_t *conf);
/* Frees it (the ZeroMQ context too); accepts NULL. */
void api_destroy(api_t **self_p);
/* Makes requests in flight give up now and later ones fail at once: for
 * shutting down.  Thread-safe. */
void api_shutdown(api_t *self);

/* Forwards command c with params p[0..n) for the operator whose browser
 * certificate has the fingerprint fp ("sha256:<hex>") and fills out with
 * the answer: the hub's reply as JSON, the briefing as a download, or a
 * refusal (JSON).  Sets json=1 for commands that take it.  Never fails to
 * fill out (a 500 refusal when memory runs out).  Thread-safe. */
void api_forward(api_t *self, const char *fp, const struct opcmd *c, const struct api_param *p,
                 size_t n, struct api_answer *out);

/* Whether p[0..n) asks the briefing to be sent to the units (send given,
 * not "0" or ""): a change, never by GET, answered as JSON. */
int api_sends(const struct api_param *p, size_t n);

/* A download of a filing's attachment (GET /api/attachment?receipt=…&n=…),
 * handed out piece by piece as the browser takes it: the hub is asked for
 * at most 1 MiB at a time, so a download holds one piece in memory
 * whatever the file's size. */
typedef struct api_download api_download_t;

/* Asks the hub for the first piece of the attachment p names, for fp.
 * Returns the download (its size, name and media type below; free with
 * api_download_free), or NULL with out filled with the refusal (the hub's,
 * or the console's).  Thread-safe. */
api_download_t *api_download_open(api_t *self, const char *fp, const struct api_param *p,
                                  size_t n, struct api_answer *out);
uint64_t api_download_size(const api_download_t *d);
/* The name as the unit gave it (valid UTF-8), and an ASCII stand-in
 * (attachment-2026-000123-1.pdf). */
const char *api_download_name(const api_download_t *d);
const char *api_download_ascii_name(const api_download_t *d);
/* The recorded media type when it is one of those taken, else
 * application/octet-stream. */
const char *api_download_type(const api_download_t *d);
/* Copies up to max bytes at pos into buf, asking the hub for the piece
 * that holds pos when the one held does not.  The bytes are hashed as
 * they come, and the last piece is not handed out unless the whole hashes
 * to the recorded BLAKE2b-256.  Returns the bytes copied, 0 at the end,
 * or -1 (the hub refused, went away, or the bytes do not match: the
 * download is cut). */
long api_download_read(api_download_t *d, uint64_t pos, char *buf, size_t max);
void api_download_free(api_download_t *d);

/* The largest document the console takes from a browser (POST
 * /api/upload); the hub's own [attachments] max_size may be smaller. */
#define API_MAX_UPLOAD (20 * 1000 * 1000)

/* A document for a circular, from the browser (POST /api/upload?name=…,
 * the file's bytes as the body): hashed here (BLAKE2b-256) and sent to the
 * hub for fp in pieces of at most ATT_CHUNK bytes (the hub's `upload`,
 * resumed where the hub's bytes end).  Fills out with {ok, command, data:
 * {hash, size, name, line}} (line: what circular's documents takes), or
 * the refusal (the hub's, or the console's).  Thread-safe. */
void api_upload(api_t *self, const char *fp, const struct api_param *p, size_t n,
                const uint8_t *body, size_t len, struct api_answer *out);

/* Asks the hub whom the browser certificate fp names (whoami): 1 an
 * operator (its role into role, rlen bytes, when role is not NULL:
 * "supervisor", "member:police", …), 0 nobody (revoked or never
 * authorized), -1 no answer (the hub is not running, or another failure).
 * Thread-safe. */
int api_operator_known(api_t *self, const char *fp, char *role, size_t rlen);

/* Parses a POST body: a JSON object whose values are strings.  Fills
 * p[0..*n) pointing into *doc (free with api_body_free).  Returns 0, or -1
 * with a sentence in err. */
int api_body_params(const char *body, size_t len, void **doc, struct api_param *p, size_t *n,
                    char *err, size_t errlen);
void api_body_free(void **doc);

/* Fills out with a refusal {ok: false, error, kind, command} (command may
 * be NULL). */
void api_refuse(struct api_answer *out, int status, const char *kind, const char *command,
                const char *error);
/* Frees what out holds and clears it. */
void api_answer_free(struct api_answer *out);

#endif
