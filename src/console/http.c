/* http.c — requests in, answers out: the certificate first, then the route.
 *
 * One thread per connection (libmicrohttpd's), so that a request waiting
 * for the hub (a briefing may take minutes) holds only its own connection;
 * connections are limited in number, per client address and in idle time,
 * and request bodies in size. */
#include "http.h"
#include "assets.h"
#include "clock.h"
#include "i18n.h"
#include "log.h"
#include "opcmd.h"
#include "peer.h"
#include "text.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_CONNECTIONS 64
#define MAX_PER_IP 16
#define IDLE_TIMEOUT_S 20
/* TLS 1.2 and 1.3 only. */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

struct http {
    struct MHD_Daemon *d;
    api_t *api;
    char *cert, *key, *ca;
    char *no_cert_page;         /* the 403 page, in the console's language */
};

/* One request's state, from its first call to its end. */
struct request {
    int64_t t0;
    char fp[KEYS_BROWSER_FP_LEN];
    const struct opcmd *cmd;
    char *body;
    size_t len, cap;
    size_t max;                 /* the most body taken: HTTP_MAX_BODY, API_MAX_UPLOAD */
    int too_large;
};

static const char *
header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* The request as the log shows it: the path, and for the query only the
 * names of its parameters (their values may be a cadre's ID number). */
struct logpath {
    char s[256];
    int first;
};

static enum MHD_Result
add_key(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct logpath *lp = cls;
    size_t len = strlen(lp->s);

    (void)kind;
    (void)value;
    snprintf(lp->s + len, sizeof lp->s - len, "%s%.32s", lp->first ? "?" : "&", key);
    lp->first = 0;
    return MHD_YES;
}

/* Queues resp with status, adding the headers every answer carries, and
 * logs the request's line.  Frees resp. */
static enum MHD_Result
send_response(struct MHD_Connection *c, struct request *r, const char *url, const char *method,
              int status, struct MHD_Response *resp, const char *type, const char *kind)
{
    struct logpath lp = { "", 1 };
    enum MHD_Result rc;

    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                            "form-action 'self'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    if (strncmp(url, "/static/", 8) == 0 && status == 200)
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
    else
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    rc = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    snprintf(lp.s, sizeof lp.s, "%.160s", url);
    text_utf8_fix(lp.s);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_key, &lp);
    log_info("%.23s %s %s %d%s%s %lldms", r->fp[0] ? r->fp : "-", method, lp.s, status,
             kind && *kind ? " " : "", kind ? kind : "", (long long)(clock_mono_ms() - r->t0));
    return rc;
}

static enum MHD_Result
send_static(struct MHD_Connection *c, struct request *r, const char *url, const char *method,
            int status, const char *type, const void *body, size_t len)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)body,
                                                                MHD_RESPMEM_PERSISTENT);
    return send_response(c, r, url, method, status, resp, type, NULL);
}

/* A JSON refusal made by the console. */
static enum MHD_Result
send_refusal(struct MHD_Connection *c, struct request *r, const char *url, const char *method,
             int status, const char *kind, const char *command, const char *error,
             const char *allow)
{
    struct api_answer a = { 0 };
    struct MHD_Response *resp;

    api_refuse(&a, status, kind, command, error);
    resp = MHD_create_response_from_buffer(a.len, a.body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        api_answer_free(&a);
        return MHD_NO;
    }
    if (allow)
        MHD_add_response_header(resp, "Allow", allow);
    return send_response(c, r, url, method, a.status, resp, a.type, kind);
}

/* RFC 5987: UTF-8 bytes outside attr-char as %XX. */
static char *
pct_encode(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(3 * strlen(s) + 1), *o = out;

    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("!#$&+-.^_`|~", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

/* The hub's answer (or the console's refusal) as api_forward made it. */
static enum MHD_Result
send_answer(struct MHD_Connection *c, struct request *r, const char *url, const char *method,
            struct api_answer *a)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(a->len, a->body,
                                                                MHD_RESPMEM_MUST_FREE);
    enum MHD_Result rc;

    if (!resp) {
        api_answer_free(a);
        return MHD_NO;
    }
    a->body = NULL;     /* the response owns it */
    if (a->filename) {
        char *enc = pct_encode(a->filename), *v = NULL;
        if (enc && asprintf(&v, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
                            a->ascii_name ? a->ascii_name : "lianxi-briefing", enc) >= 0)
            MHD_add_response_header(resp, "Content-Disposition", v);
        free(v);
        free(enc);
    }
    rc = send_response(c, r, url, method, a->status, resp, a->type, a->kind);
    api_answer_free(a);
    return rc;
}

/* GET: the query's parameters. */
struct args {
    struct api_param p[API_MAX_PARAMS];
    size_t n;
    int too_many;
};

static enum MHD_Result
add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct args *a = cls;

    (void)kind;
    if (a->n >= API_MAX_PARAMS) {
        a->too_many = 1;
        return MHD_NO;
    }
    a->p[a->n++] = (struct api_param){ key, value ? value : "" };
    return MHD_YES;
}

/* Whether a POST may act: JSON (a document's bytes for upload), our
 * header, and not sent from another site.  Returns NULL, or why not (a
 * sentence). */
static const char *
post_refused(struct MHD_Connection *c, int upload)
{
    const char *ct = header(c, "Content-Type"), *xr = header(c, "X-Lianxi-Request");
    const char *site = header(c, "Sec-Fetch-Site");
    const char *want = upload ? "application/octet-stream" : "application/json";
    size_t n;

    n = ct ? strcspn(ct, "; \t") : 0;
    if (!ct || n != strlen(want) || strncasecmp(ct, want, n) != 0)
        return upload ? _("a document is sent as its bytes (Content-Type: "
                          "application/octet-stream)")
                      : _("a POST must be JSON (Content-Type: application/json)");
    if (!xr || strcmp(xr, "1") != 0)
        return _("a POST must carry the header X-Lianxi-Request: 1 (the console's page sends "
                 "it; a page of another site cannot)");
    if (site && strcmp(site, "same-origin") != 0)
        return _("the request came from another site (Sec-Fetch-Site): refused");
    return NULL;
}

/* Whether a GET (or HEAD) of /api/ may read: not asked by a page of
 * another site (Sec-Fetch-Site, when the browser sends it, same-origin or
 * none for an address typed or bookmarked).  A read is recorded in the
 * audit trail as the operator's and a briefing keeps the hub busy: another
 * site must not make the operator's browser do either.  Returns NULL, or
 * why not (a sentence). */
static const char *
get_refused(struct MHD_Connection *c)
{
    const char *site = header(c, "Sec-Fetch-Site");

    if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
        return _("the request came from another site (Sec-Fetch-Site): refused");
    return NULL;
}

/* The command named by an /api/ path, or NULL after answering 404. */
static const struct opcmd *
command_of(struct MHD_Connection *c, struct request *r, const char *url, const char *method,
           enum MHD_Result *rc)
{
    const struct opcmd *cmd = opcmd_find(url + 5);
    char err[1024];

    if (!cmd) {
        opcmd_unknown_command(url + 5, err, sizeof err);
        text_utf8_fix(err);
        *rc = send_refusal(c, r, url, method, 404, "not_found", NULL, err, NULL);
    }
    return cmd;
}

static enum MHD_Result
forward(http_t *h, struct MHD_Connection *c, struct request *r, const char *url,
        const char *method, const struct api_param *p, size_t n)
{
    struct api_answer a;

    api_forward(h->api, r->fp, r->cmd, p, n, &a);
    return send_answer(c, r, url, method, &a);
}

/* libmicrohttpd asks for the download's next bytes. */
static ssize_t
download_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    long n = api_download_read(cls, pos, buf, max);

    return n > 0 ? (ssize_t)n : n == 0 ? MHD_CONTENT_READER_END_OF_STREAM
                                       : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void
download_free(void *cls)
{
    api_download_free(cls);
}

/* GET /api/attachment?receipt=…&n=…: the file, streamed from the hub piece
 * by piece as the browser takes it, under its name (RFC 5987, every byte
 * outside attr-char percent-encoded) and recorded media type, never
 * sniffed; or the hub's refusal as JSON. */
static enum MHD_Result
send_download(http_t *h, struct MHD_Connection *c, struct request *r, const char *url,
              const char *method, const struct api_param *p, size_t n)
{
    struct api_answer a;
    api_download_t *d = api_download_open(h->api, r->fp, p, n, &a);
    struct MHD_Response *resp;
    char *enc, *v = NULL;

    if (!d)
        return send_answer(c, r, url, method, &a);
    resp = MHD_create_response_from_callback(api_download_size(d), 64 * 1024, download_read, d,
                                             download_free);
    if (!resp) {
        api_download_free(d);
        return MHD_NO;
    }
    enc = pct_encode(api_download_name(d));
    if (enc && asprintf(&v, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
                        api_download_ascii_name(d), enc) >= 0)
        MHD_add_response_header(resp, "Content-Disposition", v);
    free(v);
    free(enc);
    return send_response(c, r, url, method, 200, resp, api_download_type(d), NULL);
}

/* The 403 page for a browser without a certificate the console takes. */
static enum MHD_Result
send_no_cert(http_t *h, struct MHD_Connection *c, struct request *r, const char *url,
             const char *method, const char *why)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        strlen(h->no_cert_page), h->no_cert_page, MHD_RESPMEM_PERSISTENT);

    return send_response(c, r, url, method, 403, resp, "text/html; charset=utf-8", why);
}

/* The page and its files.  The page itself (at / or under its file's
 * name) goes only to an operator the hub knows (or when the hub cannot say: the page then shows why); a
 * revoked one gets the certificate page. */
static enum MHD_Result
serve_asset(http_t *h, struct MHD_Connection *c, struct request *r, const char *url,
            const char *method)
{
    const char *path = strcmp(url, "/") == 0 ? "/index.html" : url + 7;   /* "/static" */

    if (strcmp(path, "/index.html") == 0 && api_operator_known(h->api, r->fp, NULL, 0) == 0)
        return send_no_cert(h, c, r, url, method, "operator unknown to the hub");

    for (const struct asset *a = assets; a->path; a++)
        if (strcmp(a->path, path) == 0)
            return send_static(c, r, url, method, 200, a->type, a->data, a->len);
    return send_static(c, r, url, method, 404, "text/plain; charset=utf-8", "404\n", 4);
}

/* The first call for a request: who it is, then where it goes.  Answers
 * at once, except a POST to a known command, whose body comes next. */
static enum MHD_Result
first_call(http_t *h, struct MHD_Connection *c, struct request *r, const char *url,
           const char *method)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    char why[256];
    enum MHD_Result rc = MHD_NO;

    if (peer_identify(ci ? (gnutls_session_t)ci->tls_session : NULL, r->fp, why,
                      sizeof why) < 0)
        return send_no_cert(h, c, r, url, method, why);
    if (strncmp(url, "/api/", 5) == 0) {
        if (!(r->cmd = command_of(c, r, url, method, &rc)))
            return rc;
        if (get) {
            struct args a = { .n = 0 };
            const char *why_not = get_refused(c);
            if (why_not)
                return send_refusal(c, r, url, method, 403, "permission", r->cmd->name,
                                    why_not, NULL);
            if (r->cmd->changes)
                return send_refusal(c, r, url, method, 405, "method", r->cmd->name,
                                    _("this command changes what the hub holds: send it as a "
                                      "POST"), "POST");
            MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &a);
            if (a.too_many)
                return send_refusal(c, r, url, method, 400, "usage", r->cmd->name,
                                    _("too many parameters"), NULL);
            if (strcmp(r->cmd->name, "brief") == 0 && api_sends(a.p, a.n))
                return send_refusal(c, r, url, method, 405, "method", r->cmd->name,
                                    _("sending the briefing to the units changes what the hub "
                                      "holds: send it as a POST"), "POST");
            if (strcmp(r->cmd->name, "attachment") == 0)
                return send_download(h, c, r, url, method, a.p, a.n);
            return forward(h, c, r, url, method, a.p, a.n);
        }
        if (strcmp(method, "POST") == 0 && strcmp(r->cmd->name, "attachment") == 0)
            return send_refusal(c, r, url, method, 405, "method", r->cmd->name,
                                _("an attachment is downloaded with GET"), "GET");
        if (strcmp(method, "POST") == 0) {
            int upload = strcmp(r->cmd->name, "upload") == 0;
            const char *why_not = post_refused(c, upload), *cl = header(c, "Content-Length");
            unsigned long long length = cl ? strtoull(cl, NULL, 10) : 0;
            if (why_not)
                return send_refusal(c, r, url, method, 403, "permission", r->cmd->name,
                                    why_not, NULL);
            r->max = upload ? API_MAX_UPLOAD : HTTP_MAX_BODY;
            /* A document's bytes are read only for those who may send
             * circulars (the hub decides again for each piece). */
            if (upload) {
                char role[64];
                int known = api_operator_known(h->api, r->fp, role, sizeof role);
                if (known < 0)
                    return send_refusal(c, r, url, method, 502, "hub", r->cmd->name,
                                        _("the hub did not answer; try again"), NULL);
                if (!known || (strcmp(role, "supervisor") != 0 && strcmp(role, "convener") != 0))
                    return send_refusal(c, r, url, method, 403, "permission", r->cmd->name,
                                        _("only the supervision group and the convener send "
                                          "circulars and their documents"), NULL);
            }
            if (length > r->max)
                return send_refusal(c, r, url, method, 413, "too_large", r->cmd->name,
                                    _("the request's body is too large"), NULL);
            /* The body's room at once when its length is given. */
            if (length > 0) {
                if (!(r->body = malloc((size_t)length + 1)))
                    return MHD_NO;
                r->cap = (size_t)length + 1;
            }
            return MHD_YES;     /* the body follows */
        }
        return send_refusal(c, r, url, method, 405, "method", r->cmd->name,
                            _("use GET or POST"), r->cmd->changes ? "POST" : "GET, POST");
    }
    if (strcmp(url, "/") == 0 || strncmp(url, "/static/", 8) == 0) {
        if (!get) {
            struct MHD_Response *resp = MHD_create_response_from_buffer(0, "",
                                                                        MHD_RESPMEM_PERSISTENT);
            if (resp)
                MHD_add_response_header(resp, "Allow", "GET, HEAD");
            return send_response(c, r, url, method, 405, resp, "text/plain; charset=utf-8", NULL);
        }
        return serve_asset(h, c, r, url, method);
    }
    return send_static(c, r, url, method, 404, "text/plain; charset=utf-8", "404\n", 4);
}

/* A POST's body has arrived. */
static enum MHD_Result
body_done(http_t *h, struct MHD_Connection *c, struct request *r, const char *url,
          const char *method)
{
    struct api_param p[API_MAX_PARAMS];
    size_t n = 0;
    void *doc = NULL;
    char err[512];
    enum MHD_Result rc;

    if (r->too_large)
        return send_refusal(c, r, url, method, 413, "too_large", r->cmd->name,
                            _("the request's body is too large"), NULL);
    if (strcmp(r->cmd->name, "upload") == 0) {
        struct args a = { .n = 0 };
        struct api_answer ans;
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &a);
        if (a.too_many)
            return send_refusal(c, r, url, method, 400, "usage", r->cmd->name,
                                _("too many parameters"), NULL);
        api_upload(h->api, r->fp, a.p, a.n, (const uint8_t *)r->body, r->len, &ans);
        return send_answer(c, r, url, method, &ans);
    }
    if (api_body_params(r->body ? r->body : "{}", r->body ? r->len : 2, &doc, p, &n, err,
                        sizeof err) < 0)
        return send_refusal(c, r, url, method, 400, "usage", r->cmd->name, err, NULL);
    rc = forward(h, c, r, url, method, p, n);
    api_body_free(&doc);
    return rc;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
           const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    http_t *h = cls;
    struct request *r = *con_cls;

    (void)version;
    if (!r) {
        if (!(r = calloc(1, sizeof *r)))
            return MHD_NO;
        r->t0 = clock_mono_ms();
        *con_cls = r;
        return first_call(h, c, r, url, method);
    }
    if (*upload_size) {
        if (!r->too_large && r->len + *upload_size <= r->max) {
            if (r->len + *upload_size + 1 > r->cap) {
                size_t cap = r->cap ? r->cap : 4096;
                char *nb;
                while (cap < r->len + *upload_size + 1)
                    cap *= 2;
                if (cap > r->max + 1)
                    cap = r->max + 1;
                if (!(nb = realloc(r->body, cap)))
                    return MHD_NO;
                r->body = nb;
                r->cap = cap;
            }
            memcpy(r->body + r->len, upload, *upload_size);
            r->len += *upload_size;
            r->body[r->len] = '\0';
        } else {
            r->too_large = 1;       /* read and dropped: answered 413 at the end */
        }
        *upload_size = 0;
        return MHD_YES;
    }
    return body_done(h, c, r, url, method);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct request *r = *con_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (r) {
        free(r->body);
        free(r);
        *con_cls = NULL;
    }
}

/* libmicrohttpd's own messages: its format, its arguments. */
static void
on_mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];

    (void)cls;
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_info("https: %s", msg);
}

/* s with & < > " escaped, appended to f. */
static void
html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* The page for a browser without a certificate the console accepts: how to
 * install one, and nothing else. */
static char *
no_cert_page(void)
{
    char *page = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&page, &len);
    const char *paras[] = {
        _("This console admits only operators of the joint meeting whose browser presents their "
          "own certificate. This browser presented none, or one the console does not accept "
          "(not issued for this console, or expired)."),
        _("To install yours: the organization department gives each operator a file NAME.p12 "
          "and its passphrase. In Chrome or Edge open Settings, Privacy and security, Security, "
          "Manage certificates, Import; in Firefox open Settings, Privacy & Security, "
          "Certificates, View Certificates, Your Certificates, Import. Choose the .p12 file, "
          "type the passphrase, then close the browser and open this address again."),
        _("If it is still refused, ask the supervision group of the organization department "
          "for a new certificate."),
    };

    if (!f)
        return NULL;
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width\"><title>", f);
    html_text(f, _("Certificate required"));
    fputs("</title></head><body>\n<h1>", f);
    html_text(f, _("Certificate required"));
    fputs("</h1>\n", f);
    for (size_t i = 0; i < sizeof paras / sizeof paras[0]; i++) {
        fputs("<p>", f);
        html_text(f, paras[i]);
        fputs("</p>\n", f);
    }
    fputs("</body></html>\n", f);
    fclose(f);
    return page;
}

http_t *
http_start(int fd, const char *cert_pem, const char *key_pem, const char *ca_pem, api_t *api,
           char *err, size_t errlen)
{
    http_t *self = calloc(1, sizeof *self);

    if (!self || !(self->cert = strdup(cert_pem)) || !(self->key = strdup(key_pem)) ||
        !(self->ca = strdup(ca_pem)) || !(self->no_cert_page = no_cert_page())) {
        snprintf(err, errlen, _("out of memory"));
        close(fd);
        goto err;
    }
    self->api = api;
    self->d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_TLS |
        MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, self,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, self,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
        MHD_OPTION_HTTPS_MEM_CERT, self->cert,
        MHD_OPTION_HTTPS_MEM_KEY, self->key,
        MHD_OPTION_HTTPS_MEM_TRUST, self->ca,
        MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)MAX_PER_IP,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, self,
        MHD_OPTION_END);
    if (!self->d) {
        /* libmicrohttpd closed fd or will with the process. */
        snprintf(err, errlen, _("the HTTPS server could not start (its log line above says why)"));
        goto err;
    }
    return self;
err:
    http_stop(&self);
    return NULL;
}

void
http_stop(http_t **self_p)
{
    http_t *self = self_p ? *self_p : NULL;

    if (!self)
        return;
    if (self->d)
        MHD_stop_daemon(self->d);
    free(self->no_cert_page);
    free(self->cert);
    if (self->key) {
        explicit_bzero(self->key, strlen(self->key));
        free(self->key);
    }
    free(self->ca);
    free(self);
    *self_p = NULL;
}
