/* api.c — /api/COMMAND: parameters to an OpRequest, the hub's OpReply to
 * JSON or to a download (the briefing). */
#include "api.h"
#include "attachment.h"
#include "chromium.h"
#include "files.h"
#include "i18n.h"
#include "keys.h"
#include "log.h"
#include "opclient.h"
#include "reply.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

/* How long the hub may take: a command answered on its loop, and one run
 * off it (the briefing, the export). */
#define HUB_TIMEOUT_MS 30000
#define HUB_OFFLOOP_TIMEOUT_MS 300000
/* How long the hub's endpoint may refuse connections (a hub restarting)
 * before the request is answered 502. */
#define HUB_GRACE_MS 1500
/* How long Chromium may take to print a briefing. */
#define PDF_TIMEOUT_MS 120000

struct api {
    opclient_t *client;
    void *zctx;
    categories_t *cats;
};

api_t *
api_new(const conf_t *conf)
{
    api_t *self = calloc(1, sizeof *self);
    char cats[PATH_MAX];

    if (!self) {
        log_warnx(_("out of memory"));
        return NULL;
    }
    if (!(self->client = opclient_new(conf, "console")))
        goto err;
    /* A browser is not kept waiting for a hub that is not running. */
    opclient_fail_fast(self->client, HUB_GRACE_MS);
    if (conf_get(conf, "console", "categories", NULL)) {
        if (conf_path(conf, "console", "categories", NULL, cats, sizeof cats) < 0 ||
            !(self->cats = categories_load(cats)))
            goto err;
    }
    if (!(self->zctx = zmq_ctx_new())) {
        log_warnx(_("cannot make a ZeroMQ context: %s"), zmq_strerror(zmq_errno()));
        goto err;
    }
    return self;
err:
    api_destroy(&self);
    return NULL;
}

void
api_destroy(api_t **self_p)
{
    api_t *self = self_p ? *self_p : NULL;

    if (!self)
        return;
    if (self->zctx)
        zmq_ctx_term(self->zctx);
    categories_destroy(&self->cats);
    opclient_destroy(&self->client);
    free(self);
    *self_p = NULL;
}

void
api_shutdown(api_t *self)
{
    if (self && self->zctx)
        zmq_ctx_shutdown(self->zctx);
}

void
api_answer_free(struct api_answer *out)
{
    free(out->body);
    free(out->filename);
    free(out->ascii_name);
    memset(out, 0, sizeof *out);
}

void
api_refuse(struct api_answer *out, int status, const char *kind, const char *command,
           const char *error)
{
    api_answer_free(out);
    out->status = status;
    out->type = "application/json; charset=utf-8";
    snprintf(out->kind, sizeof out->kind, "%s", kind);
    if (!(out->body = reply_refusal(command, kind, error))) {
        out->status = 500;
        out->type = "text/plain; charset=utf-8";
        out->body = NULL;
    }
    out->len = out->body ? strlen(out->body) : 0;
}

int
api_body_params(const char *body, size_t len, void **doc, struct api_param *p, size_t *n,
                char *err, size_t errlen)
{
    cJSON *j, *item;

    *doc = NULL;
    *n = 0;
    if (!text_utf8_valid(body, len) || !(j = cJSON_ParseWithLength(body, len))) {
        snprintf(err, errlen, _("the request's body is not JSON: send an object of parameters, "
                 "{\"name\": \"value\"}"));
        return -1;
    }
    *doc = j;
    if (!cJSON_IsObject(j)) {
        snprintf(err, errlen, _("the request's body is not a JSON object: send "
                 "{\"name\": \"value\"}"));
        goto err;
    }
    cJSON_ArrayForEach(item, j) {
        if (!cJSON_IsString(item)) {
            snprintf(err, errlen, _("the parameter %.40s is not a string: every value is text, "
                     "as on the command line (\"limit\": \"50\", \"late\": \"1\")"), item->string);
            text_utf8_fix(err);
            goto err;
        }
        if (*n >= API_MAX_PARAMS) {
            snprintf(err, errlen, _("too many parameters (at most %d)"), API_MAX_PARAMS);
            goto err;
        }
        p[(*n)++] = (struct api_param){ item->string, item->valuestring };
    }
    return 0;
err:
    api_body_free(doc);
    *n = 0;
    return -1;
}

void
api_body_free(void **doc)
{
    if (doc && *doc) {
        cJSON_Delete(*doc);
        *doc = NULL;
    }
}

/* The value of key among p[0..n), or NULL. */
static const char *
param_of(const struct api_param *p, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].key, key) == 0)
            return p[i].value;
    return NULL;
}

int
api_sends(const struct api_param *p, size_t n)
{
    const char *v = param_of(p, n, "send");

    /* As the hub reads a flag: "0" or "" is not given. */
    return v && *v && strcmp(v, "0") != 0;
}

#define DOCX_TYPE "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/* The briefing's file name, in the console's language, naming the period
 * and the document (2026年度-联席会议通报材料.docx, 第3号会议-报备事项清单.pdf,
 * …-讲话要点.html), and an ASCII one beside it. */
static void
brief_names(const struct api_param *p, size_t n, const char *ext, struct api_answer *out)
{
    const char *meeting = param_of(p, n, "meeting"), *from = param_of(p, n, "from");
    const char *to = param_of(p, n, "to"), *aud = param_of(p, n, "audience");
    const char *part = param_of(p, n, "part");
    char what[128], ascii[128], *name = NULL, *aname = NULL;
    int lead = aud && strcmp(aud, "leadership") == 0;
    int appendix = part && strcmp(part, "appendix") == 0, points = part && strcmp(part, "points") == 0;
    const char *doc = appendix ? _("list of the matters filed") : points ? _("speaking points")
                      : _("joint meeting briefing");

    if (meeting) {
        snprintf(what, sizeof what, _("meeting %.20s"), meeting);
        snprintf(ascii, sizeof ascii, "meeting-%.20s", meeting);
    } else if (from && to && strlen(from) == 10 && strlen(to) == 10 &&
               strncmp(from, to, 4) == 0 && strcmp(from + 4, "-01-01") == 0 &&
               strcmp(to + 4, "-12-31") == 0) {
        snprintf(what, sizeof what, _("year %.4s"), from);
        snprintf(ascii, sizeof ascii, "%.4s", from);
    } else {
        snprintf(what, sizeof what, _("%.10s to %.10s"), from ? from : "", to ? to : "");
        snprintf(ascii, sizeof ascii, "%.10s..%.10s", from ? from : "", to ? to : "");
    }
    /* Only what a file name may hold: the values were checked by the hub
     * (a number, dates), the words are ours. */
    for (char *s = ascii; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '.' || (*s >= 'a' && *s <= 'z')))
            *s = '_';
    if (asprintf(&name, "%s%s-%s.%s", what, lead ? _("-leadership") : "", doc, ext) < 0)
        name = NULL;
    if (asprintf(&aname, "lianxi-%s-%s%s.%s", appendix ? "appendix" : points ? "points"
                 : "briefing", ascii, lead ? "-leadership" : "", ext) < 0)
        aname = NULL;
    if (name) {
        for (char *s = name; *s; s++)
            if (*s == '/' || *s == '\\' || *s == '"' || (unsigned char)*s < 0x20)
                *s = '_';
        text_utf8_fix(name);
    }
    out->filename = name;
    out->ascii_name = aname;
}

/* The briefing as the download: HTML or Markdown as the hub made it (text),
 * the .docx as it sent it (rep->document: binary), or PDF printed from the
 * HTML here. */
static void
brief_answer(const Lianxi__OpReply *rep, const char *format, const struct api_param *p,
             size_t n, struct api_answer *out)
{
    char dir[] = "/tmp/lianxi-console-XXXXXX", pdf[sizeof dir + 16], err[PATH_MAX + 256];
    const char *doc = rep->text ? rep->text : "";
    size_t len;

    api_answer_free(out);
    if (strcmp(format, "docx") == 0) {
        if (!rep->document.len) {
            api_refuse(out, 502, "hub", "brief", _("the hub answered without the .docx "
                       "document: is it of an older release than the console?"));
            return;
        }
        out->status = 200;
        out->type = DOCX_TYPE;
        if ((out->body = malloc(rep->document.len)))
            memcpy(out->body, rep->document.data, rep->document.len);
        out->len = out->body ? rep->document.len : 0;
        brief_names(p, n, "docx", out);
        if (!out->body || !out->filename)
            api_refuse(out, 500, "console", "brief", _("the console is out of memory"));
        return;
    }
    if (strcmp(format, "pdf") != 0) {
        int md = strcmp(format, "md") == 0;
        out->status = 200;
        out->type = md ? "text/markdown; charset=utf-8" : "text/html; charset=utf-8";
        out->body = strdup(doc);
        out->len = out->body ? strlen(out->body) : 0;
        brief_names(p, n, md ? "md" : "html", out);
        if (!out->body || !out->filename)
            api_refuse(out, 500, "console", "brief", _("the console is out of memory"));
        return;
    }
    if (!mkdtemp(dir)) {
        api_refuse(out, 500, "console", "brief", _("the console cannot make a temp directory"));
        return;
    }
    snprintf(pdf, sizeof pdf, "%s/brief.pdf", dir);
    if (chromium_print_pdf(doc, strlen(doc), pdf, PDF_TIMEOUT_MS, err, sizeof err) < 0) {
        log_warnx("brief: %s", err);
        api_refuse(out, 503, "unavailable", "brief", err);
    } else if (!(out->body = files_read(pdf, &len))) {
        api_refuse(out, 500, "console", "brief", _("the printed briefing cannot be read"));
    } else {
        out->status = 200;
        out->type = "application/pdf";
        out->len = len;
        brief_names(p, n, "pdf", out);
    }
    unlink(pdf);
    rmdir(dir);
}

/* An OpRequest's parameters, made from a request's. */
struct outgoing {
    Lianxi__OpRequest__ParamsEntry store[API_MAX_PARAMS + 1], *e[API_MAX_PARAMS + 1];
    size_t n;
    const char *format;             /* brief: html, md, docx or pdf (printed here) */
    const char *offset;             /* echoed in the answer, or NULL */
};

static void
put(struct outgoing *o, const char *key, const char *value)
{
    lianxi__op_request__params_entry__init(&o->store[o->n]);
    o->store[o->n].key = (char *)key;
    o->store[o->n].value = (char *)value;
    o->e[o->n] = &o->store[o->n];
    o->n++;
}

/* Fills o from p[0..n) for command c: the values as they are, json=1 for a
 * command that takes it, the briefing's pdf asked of the hub as html.
 * Returns 0, or -1 with out filled with the refusal. */
static int
outgoing_of(const struct opcmd *c, const struct api_param *p, size_t n, struct outgoing *o,
            struct api_answer *out)
{
    int brief = strcmp(c->name, "brief") == 0, takes_json = opcmd_param(c, "json") != NULL;
    char err[128];

    o->n = 0;
    o->format = "html";
    o->offset = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!text_utf8_valid(p[i].key, strlen(p[i].key)) ||
            !text_utf8_valid(p[i].value, strlen(p[i].value))) {
            api_refuse(out, 400, "usage", c->name, _("a parameter is not valid UTF-8"));
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(p[i].key, p[j].key) == 0) {
                snprintf(err, sizeof err, _("the parameter %.40s is given twice"), p[i].key);
                api_refuse(out, 400, "usage", c->name, text_utf8_fix(err));
                return -1;
            }
        if (strcmp(p[i].key, "offset") == 0)
            o->offset = p[i].value;
        if (takes_json && strcmp(p[i].key, "json") == 0)
            continue;           /* set below, whatever was asked */
        if (brief && strcmp(p[i].key, "format") == 0) {
            o->format = p[i].value;
            if (strcmp(o->format, "html") != 0 && strcmp(o->format, "md") != 0 &&
                strcmp(o->format, "docx") != 0 && strcmp(o->format, "pdf") != 0) {
                api_refuse(out, 400, "usage", c->name, _("format must be html, docx, pdf or "
                           "md"));
                return -1;
            }
            if (strcmp(o->format, "pdf") == 0 && !chromium_path()) {
                api_refuse(out, 503, "unavailable", c->name, _("PDF is printed from the HTML "
                           "through Chromium, which is not installed on the console's "
                           "machine: ask for html and print that"));
                return -1;
            }
            put(o, "format", strcmp(o->format, "pdf") == 0 ? "html" : o->format);
            continue;
        }
        put(o, p[i].key, p[i].value);
    }
    if (takes_json)
        put(o, "json", "1");
    return 0;
}

void
api_forward(api_t *self, const char *fp, const struct opcmd *c, const struct api_param *p,
            size_t n, struct api_answer *out)
{
    Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
    Lianxi__Envelope *env = NULL;
    struct outgoing o;
    char err[PATH_MAX + 256];
    const char *kind;

    memset(out, 0, sizeof *out);
    if (outgoing_of(c, p, n, &o, out) < 0)
        return;
    req.command = (char *)c->name;
    req.n_params = o.n;
    req.params = o.e;
    req.on_behalf_of = (char *)fp;
    if (opclient_ask(self->client, self->zctx, &req, c->offloop ? HUB_OFFLOOP_TIMEOUT_MS
                     : HUB_TIMEOUT_MS, &env, err, sizeof err) != OPCLIENT_OK) {
        log_warnx("%s: %s", c->name, err);
        api_refuse(out, 502, "hub", c->name, err);
        return;
    }
    if (strcmp(c->name, "brief") == 0 && env->op_reply->ok && !api_sends(p, n)) {
        brief_answer(env->op_reply, o.format, p, n, out);
    } else {
        out->status = reply_status(env->op_reply, &kind);
        snprintf(out->kind, sizeof out->kind, "%s", kind);
        out->type = "application/json; charset=utf-8";
        if (!(out->body = reply_json(env->op_reply, c->name, o.offset, self->cats)))
            api_refuse(out, 500, "console", c->name, _("the console is out of memory"));
        out->len = out->body ? strlen(out->body) : 0;
    }
    wire_free(env);
}

void
api_upload(api_t *self, const char *fp, const struct api_param *p, size_t n,
           const uint8_t *body, size_t len, struct api_answer *out)
{
    const char *name = param_of(p, n, "name");
    uint8_t hash[ATT_HASHLEN];
    char hex[ATT_HEXLEN + 1], size[24], err[PATH_MAX + 256];
    uint64_t offset = 0;
    int back = 0;
    cJSON *j, *d;
    const char *kind;

    memset(out, 0, sizeof *out);
    if (!name || !*name || !text_utf8_valid(name, strlen(name)) || !att_name_ok(name) ||
        !att_type_for_name(name)) {
        api_refuse(out, 400, "usage", "upload", _("name the document (?name=…): one line of "
                   "text whose extension is one of pdf, ofd, jpg, jpeg, png, docx, doc, wps"));
        return;
    }
    if (len == 0) {
        api_refuse(out, 400, "usage", "upload", _("the document is empty"));
        return;
    }
    crypto_generichash(hash, sizeof hash, body, len, NULL, 0);
    att_hex(hash, hex);
    snprintf(size, sizeof size, "%zu", len);
    /* Piece by piece; the hub answers each with the offset it wants next
     * (the size: held whole, or held already). */
    while (offset < len) {
        Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
        Lianxi__OpRequest__ParamsEntry e[4], *ep[4];
        Lianxi__Envelope *env = NULL;
        const char *k[4] = { "hash", "size", "offset", "name" };
        char off[24];
        uint64_t next;
        snprintf(off, sizeof off, "%llu", (unsigned long long)offset);
        const char *v[4] = { hex, size, off, name };
        for (int i = 0; i < 4; i++) {
            lianxi__op_request__params_entry__init(&e[i]);
            e[i].key = (char *)k[i];
            e[i].value = (char *)v[i];
            ep[i] = &e[i];
        }
        req.command = "upload";
        req.n_params = 4;
        req.params = ep;
        req.on_behalf_of = (char *)fp;
        req.data.data = (uint8_t *)body + offset;
        req.data.len = len - offset < ATT_CHUNK ? len - offset : ATT_CHUNK;
        if (opclient_ask(self->client, self->zctx, &req, HUB_TIMEOUT_MS, &env, err,
                         sizeof err) != OPCLIENT_OK) {
            log_warnx("upload: %s", err);
            api_refuse(out, 502, "hub", "upload", err);
            return;
        }
        if (!env->op_reply->ok) {
            out->status = reply_status(env->op_reply, &kind);
            api_refuse(out, out->status, kind, "upload", env->op_reply->error);
            wire_free(env);
            return;
        }
        next = env->op_reply->count;
        wire_free(env);
        /* Back where the hub's bytes end (its upload was swept, or lost to
         * its restart): a few times; then the hub is not taking them. */
        if (next > len || (next <= offset && ++back > 3)) {
            api_refuse(out, 502, "hub", "upload", _("the hub answered the document's piece "
                       "with an offset out of order"));
            return;
        }
        offset = next;
    }
    if (!(j = cJSON_CreateObject())) {
        api_refuse(out, 500, "console", "upload", _("the console is out of memory"));
        return;
    }
    cJSON_AddTrueToObject(j, "ok");
    cJSON_AddStringToObject(j, "command", "upload");
    d = cJSON_AddObjectToObject(j, "data");
    cJSON_AddStringToObject(d, "hash", hex);
    cJSON_AddNumberToObject(d, "size", (double)len);
    cJSON_AddStringToObject(d, "name", name);
    snprintf(err, sizeof err, "%s\t%zu\t%s", hex, len, name);
    cJSON_AddStringToObject(d, "line", err);
    out->status = 200;
    out->type = "application/json; charset=utf-8";
    out->body = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!out->body)
        api_refuse(out, 500, "console", "upload", _("the console is out of memory"));
    out->len = out->body ? strlen(out->body) : 0;
}

int
api_operator_known(api_t *self, const char *fp, char *role, size_t rlen)
{
    Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
    Lianxi__Envelope *env = NULL;
    char err[PATH_MAX + 256];
    int rc;

    if (role && rlen)
        role[0] = '\0';
    req.command = "whoami";
    req.on_behalf_of = (char *)fp;
    if (opclient_ask(self->client, self->zctx, &req, HUB_TIMEOUT_MS, &env, err,
                     sizeof err) != OPCLIENT_OK) {
        log_warnx("whoami: %s", err);
        return -1;
    }
    rc = env->op_reply->ok ? 1
         : env->op_reply->error_kind == LIANXI__OP_ERROR__OP_ERROR_PERMISSION ? 0 : -1;
    if (rc == 1 && role && rlen) {
        cJSON *j = cJSON_Parse(env->op_reply->text ? env->op_reply->text : "");
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "role"));
        snprintf(role, rlen, "%s", v ? v : "");
        cJSON_Delete(j);
    }
    wire_free(env);
    return rc;
}

/* The most bytes of one piece the console holds (the hub sends 1 MiB). */
#define DOWNLOAD_PIECE (1024 * 1024)

struct api_download {
    api_t *api;
    char fp[KEYS_BROWSER_FP_LEN];
    char receipt[24], n[8];
    char *name, ascii[64];
    char type[96];
    uint64_t size;
    uint8_t hash[ATT_HASHLEN];
    /* The piece held: its bytes from off. */
    uint8_t *piece;
    size_t plen;
    uint64_t off;
    /* The bytes hashed so far (the pieces in order). */
    crypto_generichash_state hs;
    uint64_t hashed;
};

/* Asks the hub for the piece of d at offset; the reply in *env (free with
 * wire_free).  Returns 0, or -1 with out (when not NULL) filled with the
 * refusal. */
static int
download_ask(api_download_t *d, uint64_t offset, Lianxi__Envelope **env, struct api_answer *out)
{
    Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
    Lianxi__OpRequest__ParamsEntry e[3], *ep[3];
    char off[24], err[PATH_MAX + 256];
    const char *keys[3] = { "receipt", "n", "offset" }, *vals[3] = { d->receipt, d->n, off };
    const char *kind;

    snprintf(off, sizeof off, "%" PRIu64, offset);
    for (int i = 0; i < 3; i++) {
        lianxi__op_request__params_entry__init(&e[i]);
        e[i].key = (char *)keys[i];
        e[i].value = (char *)vals[i];
        ep[i] = &e[i];
    }
    req.command = "attachment";
    req.n_params = 3;
    req.params = ep;
    req.on_behalf_of = d->fp;
    *env = NULL;
    if (opclient_ask(d->api->client, d->api->zctx, &req, HUB_TIMEOUT_MS, env, err,
                     sizeof err) != OPCLIENT_OK) {
        log_warnx("attachment: %s", err);
        if (out)
            api_refuse(out, 502, "hub", "attachment", err);
        return -1;
    }
    if (!(*env)->op_reply->ok) {
        if (out) {
            api_answer_free(out);
            out->status = reply_status((*env)->op_reply, &kind);
            snprintf(out->kind, sizeof out->kind, "%s", kind);
            out->type = "application/json; charset=utf-8";
            if (!(out->body = reply_json((*env)->op_reply, "attachment", NULL, d->api->cats)))
                api_refuse(out, 500, "console", "attachment", _("the console is out of memory"));
            out->len = out->body ? strlen(out->body) : 0;
        }
        wire_free(*env);
        *env = NULL;
        return -1;
    }
    return 0;
}

/* Keeps the piece of reply rep (at offset) as d's, checking it is of the
 * same attachment and within it, and hashing it when it is the next in
 * order.  Returns 0, or -1. */
static int
download_keep(api_download_t *d, const Lianxi__OpReply *rep, uint64_t offset)
{
    const Lianxi__Attachment *a = rep->attachment;

    if (!a || a->hash.len != ATT_HASHLEN || a->size != d->size ||
        sodium_memcmp(a->hash.data, d->hash, ATT_HASHLEN) != 0 || offset > d->size ||
        rep->document.len > d->size - offset || rep->document.len > DOWNLOAD_PIECE ||
        (!rep->document.len && offset < d->size)) {
        log_warnx("attachment %s %s: the hub's answer at %" PRIu64 " is not the attachment's",
                  d->receipt, d->n, offset);
        return -1;
    }
    memcpy(d->piece, rep->document.data, rep->document.len);
    d->plen = rep->document.len;
    d->off = offset;
    if (offset == d->hashed) {
        crypto_generichash_update(&d->hs, d->piece, d->plen);
        d->hashed += d->plen;
        if (d->hashed == d->size) {
            uint8_t got[ATT_HASHLEN];
            crypto_generichash_final(&d->hs, got, ATT_HASHLEN);
            if (sodium_memcmp(got, d->hash, ATT_HASHLEN) != 0) {
                log_warnx("attachment %s %s: the bytes do not hash to the recorded hash: the "
                          "download is cut", d->receipt, d->n);
                return -1;
            }
        }
    }
    return 0;
}

api_download_t *
api_download_open(api_t *self, const char *fp, const struct api_param *p, size_t n,
                  struct api_answer *out)
{
    const char *receipt = param_of(p, n, "receipt"), *nv = param_of(p, n, "n");
    api_download_t *d = calloc(1, sizeof *d);
    Lianxi__Envelope *env = NULL;
    const Lianxi__Attachment *a;

    memset(out, 0, sizeof *out);
    if (!d || !(d->piece = malloc(DOWNLOAD_PIECE))) {
        api_refuse(out, 500, "console", "attachment", _("the console is out of memory"));
        goto err;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].key, "receipt") != 0 && strcmp(p[i].key, "n") != 0) {
            api_refuse(out, 400, "usage", "attachment", _("a download takes receipt and n "
                       "only"));
            goto err;
        }
    if (!receipt || !nv || strlen(receipt) >= sizeof d->receipt || strlen(nv) >= sizeof d->n ||
        !text_utf8_valid(receipt, strlen(receipt))) {
        api_refuse(out, 400, "usage", "attachment", _("a download needs receipt (YYYY-NNNNNN) "
                   "and n (1 to 16)"));
        goto err;
    }
    d->api = self;
    snprintf(d->fp, sizeof d->fp, "%s", fp);
    snprintf(d->receipt, sizeof d->receipt, "%s", receipt);
    snprintf(d->n, sizeof d->n, "%s", nv);
    if (download_ask(d, 0, &env, out) < 0)
        goto err;
    a = env->op_reply->attachment;
    if (!a || a->hash.len != ATT_HASHLEN) {
        api_refuse(out, 502, "hub", "attachment", _("the hub's answer is not what the console "
                   "understands: is it of another release?"));
        goto err;
    }
    d->size = a->size;
    memcpy(d->hash, a->hash.data, ATT_HASHLEN);
    crypto_generichash_init(&d->hs, NULL, 0, ATT_HASHLEN);
    if (!(d->name = strdup(a->name ? a->name : "")) || download_keep(d, env->op_reply, 0) < 0) {
        api_refuse(out, 502, "hub", "attachment", _("the hub's answer is not what the console "
                   "understands: is it of another release?"));
        goto err;
    }
    text_utf8_fix(d->name);
    snprintf(d->type, sizeof d->type, "%s", a->media_type && att_type_known(a->media_type) ?
             a->media_type : "application/octet-stream");
    /* The digits of the receipt and n only: the hub found them. */
    snprintf(d->ascii, sizeof d->ascii, "attachment-%.11s-%.2s.%s", d->receipt, d->n,
             att_type_ext(d->type));
    for (char *c = d->ascii; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || *c == '-' || *c == '.'))
            *c = '_';
    wire_free(env);
    return d;
err:
    wire_free(env);
    api_download_free(d);
    return NULL;
}

uint64_t
api_download_size(const api_download_t *d)
{
    return d->size;
}

const char *
api_download_name(const api_download_t *d)
{
    return d->name;
}

const char *
api_download_ascii_name(const api_download_t *d)
{
    return d->ascii;
}

const char *
api_download_type(const api_download_t *d)
{
    return d->type;
}

long
api_download_read(api_download_t *d, uint64_t pos, char *buf, size_t max)
{
    size_t k;

    if (pos >= d->size)
        return 0;
    if (pos < d->off || pos >= d->off + d->plen) {
        Lianxi__Envelope *env;
        /* Pieces are asked for in order; a jump back (a client's range)
         * is a new piece, hashed only when it is the next. */
        if (download_ask(d, pos, &env, NULL) < 0)
            return -1;
        if (download_keep(d, env->op_reply, pos) < 0) {
            wire_free(env);
            return -1;
        }
        wire_free(env);
    }
    if (d->hashed < d->off + d->plen)
        return -1;      /* bytes past what was checked in order: not handed out */
    k = (size_t)(d->off + d->plen - pos);
    if (k > max)
        k = max;
    memcpy(buf, d->piece + (pos - d->off), k);
    return (long)k;
}

void
api_download_free(api_download_t *d)
{
    if (!d)
        return;
    free(d->piece);
    free(d->name);
    free(d);
}
