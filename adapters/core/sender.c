/* sender.c — pipelined, acknowledged delivery of the outbox to the hub. */
#include "sender.h"
#include "attachment.h"
#include "attstore.h"
#include "i18n.h"
#include "log.h"
#include "clock.h"
#include "days.h"
#include "files.h"
#include "reasons.h"
#include "wire.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#define HELLO_EVERY_MS 30000    /* the hub forgets a connection idle for 120 s */
/* After the hub refused the key, libzmq (4.3) ends the session and does not
 * reconnect by itself: the sender connects again after these, doubling, so
 * a key put in the hub's key directory later is taken without a restart. */
#define REFUSED_RETRY_FIRST_MS 2000
#define REFUSED_RETRY_MAX_MS 60000

/* The messages waiting for their documents (a briefing copy, a circular):
 * the first is being fetched, piece by piece (AttachmentFetch), into
 * documents_dir; the others wait their turn. */
#define FETCH_QUEUE 8
#define FETCH_RETRY_MS 10000    /* a piece asked for and not answered is asked again */

struct fetching {
    Lianxi__Envelope *env[FETCH_QUEUE];     /* each holding one HubMessage (owned) */
    int n;
    size_t doc;                 /* the document of env[0] being fetched */
    uint64_t offset;            /* the next byte wanted */
    int fd;                     /* its partial file, or -1 */
    int64_t asked_ms;           /* when the last piece was asked for */
};

struct flight {
    struct ob_item item;
    int64_t first_us;       /* first send, for the receipt latency */
    int64_t due_ms;         /* when to (re)send */
    int attempts;
    int used;
    /* The documents the hub wants of it (AttachmentWant): the filing is
     * sent again, byte for byte, once the hub holds each. */
    uint8_t wants[ATT_MAX_COUNT][ATT_HASHLEN];
    int nwants;
    int refusals;           /* chunks of it the hub refused (its declaration gone) */
};

/* One document going to the hub (proto: AttachmentChunk), read in pieces
 * from the adapter's copy. */
struct xfer {
    uint8_t hash[ATT_HASHLEN];
    char name[ATT_NAME_MAX + 1];
    uint64_t size;
    uint64_t next;          /* the next byte to send */
    uint64_t acked;         /* what the hub said it holds, last */
    uint64_t ends[ATT_WINDOW];  /* the answers expected, in order (each chunk's end) */
    int head, inflight;
    int drain;              /* an answer not expected: wait for the rest, resume from it */
    int done, refused;
    int shown;              /* tenths of progress shown */
    int64_t last_ms;        /* the last answer */
};

struct sender {
    void *ctx, *sock, *mon;
    struct sender_cfg cfg;
    outbox_t *outbox;
    char endpoint[256];     /* the endpoint connected to */
    char ep_conf[256];      /* copies of the configured strings */
    char ep_file[4096];
    struct flight *fl;
    int nfl;                /* used slots */
    int64_t cursor;         /* highest seq loaded into the window */
    int exhausted;          /* the outbox had nothing past cursor at last look */
    int connected, refused;
    int64_t retry_at_ms;    /* refused: when to connect again */
    int64_t retry_ivl_ms;   /* refused: the wait before the next try */
    long unsettled;
    int64_t last_ep_check;
    struct sender_counts counts;
    sender_receipt_fn *on_receipt;
    sender_reject_fn *on_reject;
    sender_message_fn *on_message;
    void *arg;
    int hello_answered;
    enum ob_error disk;     /* the disk refused to record an answer (full, I/O) */
    int64_t hello_ms;       /* last hello sent */
    char witness_path[4096];/* "" when no checkpoint is kept */
    struct witness held;    /* the newest audit checkpoint the hub handed out */
    struct witness seen;    /* the last one handed out (most answers repeat it) */
    uint32_t *lat_us;       /* receipt latencies, first send to receipt */
    size_t nlat, caplat;
    /* Reconciling with the hub on each connection (proto: Reconcile): 0
     * the first description sent, 1 filings offered again and the second
     * sent, 2 answered (done for this connection). */
    int recon;
    int recon_round;        /* descriptions answered with differences so far */
    int recon_tries;        /* descriptions sent without an answer */
    int64_t recon_ms;       /* when the last description was sent */
    long reoffered;         /* filings offered again on this connection */
    long last_round;        /* reoffered when the last round began */
    int reoffer_full;       /* the socket took no more: the rest next round */
    char documents_dir[4096];
    struct fetching fetch;
    /* Documents going to the hub, and the chunks unanswered in all. */
    char att_dir[4096];
    struct xfer *xf;
    int nxf, capxf;
    int att_inflight;
    sender_transfer_fn *on_transfer;
};

#define RECON_MAX_ROUNDS 8      /* offer-again rounds on one connection */
#define RECON_RETRY_MS 30000    /* a description unanswered this long is sent again */

static int
read_endpoint(sender_t *self, char *out, size_t len)
{
    char *s;

    if (self->cfg.endpoint) {
        snprintf(out, len, "%s", self->cfg.endpoint);
        return 0;
    }
    if (!(s = files_read(self->cfg.endpoint_file, NULL)))
        return -1;
    s[strcspn(s, "\r\n")] = '\0';
    snprintf(out, len, "%s", s);
    free(s);
    return out[0] ? 0 : -1;
}

static int
open_socket(sender_t *self)
{
    char mon_ep[64];
    int zero = 0, one = 1, ivl = 5000, tmo = 20000, rivl = 200, rmax = 2000;
    int64_t maxmsg = LX_MAX_MSG;
    static int serial;

    if (!(self->sock = zmq_socket(self->ctx, ZMQ_DEALER)))
        return -1;
    zmq_setsockopt(self->sock, ZMQ_CURVE_SERVERKEY, self->cfg.hub_pk, 32);
    zmq_setsockopt(self->sock, ZMQ_CURVE_PUBLICKEY, self->cfg.id->curve_pk, 32);
    zmq_setsockopt(self->sock, ZMQ_CURVE_SECRETKEY, self->cfg.id->curve_sk, 32);
    zmq_setsockopt(self->sock, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(self->sock, ZMQ_IMMEDIATE, &one, sizeof one);
    zmq_setsockopt(self->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt(self->sock, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl);
    zmq_setsockopt(self->sock, ZMQ_HEARTBEAT_TIMEOUT, &tmo, sizeof tmo);
    zmq_setsockopt(self->sock, ZMQ_RECONNECT_IVL, &rivl, sizeof rivl);
    zmq_setsockopt(self->sock, ZMQ_RECONNECT_IVL_MAX, &rmax, sizeof rmax);
    snprintf(mon_ep, sizeof mon_ep, "inproc://lianxi-sender-%d", serial++);
    if (zmq_socket_monitor(self->sock, mon_ep, ZMQ_EVENT_HANDSHAKE_SUCCEEDED |
                           ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                           ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                           ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) < 0)
        return -1;
    if (!(self->mon = zmq_socket(self->ctx, ZMQ_PAIR)) || zmq_connect(self->mon, mon_ep) < 0)
        return -1;
    zmq_setsockopt(self->mon, ZMQ_LINGER, &zero, sizeof zero);
    if (read_endpoint(self, self->endpoint, sizeof self->endpoint) < 0) {
        log_warnx(_("no hub endpoint yet in %s; waiting for the hub"), self->cfg.endpoint_file);
        self->endpoint[0] = '\0';
        return 0;
    }
    if (zmq_connect(self->sock, self->endpoint) < 0) {
        log_warnx("cannot connect to %s: %s", self->endpoint, zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

sender_t *
sender_new(void *ctx, const struct sender_cfg *cfg, outbox_t *outbox)
{
    sender_t *self = calloc(1, sizeof *self);

    if (!self)
        return NULL;
    self->ctx = ctx;
    self->cfg = *cfg;
    /* Keep our own copies: the caller's strings may not outlive this call. */
    if (cfg->endpoint) {
        snprintf(self->ep_conf, sizeof self->ep_conf, "%s", cfg->endpoint);
        self->cfg.endpoint = self->ep_conf;
    }
    if (cfg->endpoint_file) {
        snprintf(self->ep_file, sizeof self->ep_file, "%s", cfg->endpoint_file);
        self->cfg.endpoint_file = self->ep_file;
    }
    self->cfg.witness_path = NULL;
    self->fetch.fd = -1;
    if (cfg->documents_dir)
        snprintf(self->documents_dir, sizeof self->documents_dir, "%s", cfg->documents_dir);
    self->cfg.documents_dir = NULL;
    if (cfg->witness_path &&
        snprintf(self->witness_path, sizeof self->witness_path, "%s", cfg->witness_path) <
            (int)sizeof self->witness_path &&
        witness_load(self->witness_path, &self->held) < 0)
        self->witness_path[0] = '\0';  /* said why; the damaged file is left as it is */
    self->outbox = outbox;
    if (cfg->attach_dir)
        snprintf(self->att_dir, sizeof self->att_dir, "%s", cfg->attach_dir);
    self->cfg.attach_dir = NULL;
    if (self->cfg.window <= 0)
        self->cfg.window = 256;
    if (self->cfg.retry_ms <= 0)
        self->cfg.retry_ms = 3000;
    if (self->cfg.retry_max_ms <= 0)
        self->cfg.retry_max_ms = 60000;
    if (!(self->fl = calloc((size_t)self->cfg.window, sizeof *self->fl)) ||
        open_socket(self) < 0) {
        log_warnx("%s", _("cannot set up the connection to the hub"));
        sender_destroy(&self);
        return NULL;
    }
    self->unsettled = -1;
    return self;
}

void
sender_destroy(sender_t **self_p)
{
    sender_t *self = *self_p;

    if (!self)
        return;
    for (int i = 0; self->fl && i < self->cfg.window; i++)
        outbox_item_free(&self->fl[i].item);
    free(self->fl);
    free(self->xf);
    free(self->lat_us);
    for (int i = 0; i < self->fetch.n; i++)
        wire_free(self->fetch.env[i]);
    if (self->fetch.fd >= 0)
        close(self->fetch.fd);
    if (self->sock) {
        zmq_socket_monitor(self->sock, NULL, 0);
        zmq_close(self->sock);
    }
    if (self->mon)
        zmq_close(self->mon);
    free(self);
    *self_p = NULL;
}

void
sender_on_message(sender_t *self, sender_message_fn *fn)
{
    self->on_message = fn;
}

void
sender_on_transfer(sender_t *self, sender_transfer_fn *fn)
{
    self->on_transfer = fn;
}

void
sender_on_settle(sender_t *self, sender_receipt_fn *r, sender_reject_fn *x, void *arg)
{
    self->on_receipt = r;
    self->on_reject = x;
    self->arg = arg;
}

static int64_t
backoff(const sender_t *self, int attempts)
{
    int64_t ms = self->cfg.retry_ms;

    for (int i = 1; i < attempts && ms < self->cfg.retry_max_ms; i++)
        ms *= 2;
    if (ms > self->cfg.retry_max_ms)
        ms = self->cfg.retry_max_ms;
    return ms + rand() % (ms / 4 + 1);     /* jitter so nine adapters do not beat together */
}

/* Loads newly pending outbox items into free window slots. */
static void
fill(sender_t *self)
{
    struct ob_item items[256];
    int want = self->cfg.window - self->nfl, n;

    if (want <= 0 || self->exhausted)
        return;
    if (want > 256)
        want = 256;
    n = outbox_pending(self->outbox, self->cursor, items, want);
    if (n < 0)
        return;     /* logged; the next turn tries again */
    if (n < want)
        self->exhausted = 1;
    for (int i = 0, slot = 0; i < n; i++) {
        while (self->fl[slot].used)
            slot++;
        self->fl[slot] = (struct flight){ .item = items[i], .used = 1 };
        self->nfl++;
        self->cursor = items[i].seq;
    }
}

static void
send_due(sender_t *self)
{
    int64_t now = clock_mono_ms();

    if (!self->connected)
        return;
    for (int i = 0; i < self->cfg.window; i++) {
        struct flight *f = &self->fl[i];
        if (!f->used || f->due_ms > now)
            continue;
        if (zmq_send(self->sock, f->item.payload, f->item.len, ZMQ_DONTWAIT) < 0) {
            /* No connection ready (ZMQ_IMMEDIATE) or queue full: wait for the next turn. */
            return;
        }
        if (f->attempts++ > 0)
            self->counts.retries++;
        else
            f->first_us = clock_now_us();
        self->counts.sent++;
        f->due_ms = now + backoff(self, f->attempts);
    }
}

static struct flight *
find_flight(sender_t *self, const char *filing_id, uint32_t rev)
{
    for (int i = 0; i < self->cfg.window; i++)
        if (self->fl[i].used && self->fl[i].item.revision == rev &&
            strcmp(self->fl[i].item.filing_id, filing_id) == 0)
            return &self->fl[i];
    return NULL;
}

static struct xfer *
xfer_find(sender_t *self, const uint8_t *hash)
{
    for (int i = 0; i < self->nxf; i++)
        if (memcmp(self->xf[i].hash, hash, ATT_HASHLEN) == 0)
            return &self->xf[i];
    return NULL;
}

/* Whether flight f waits for the document x. */
static int
waits_for(const struct flight *f, const struct xfer *x)
{
    for (int k = 0; f->used && k < f->nwants; k++)
        if (memcmp(f->wants[k], x->hash, ATT_HASHLEN) == 0)
            return 1;
    return 0;
}

/* Forgets the documents no filing in flight waits for any more (their
 * answers still on their way are ignored). */
static void
xfer_prune(sender_t *self)
{
    for (int i = 0; i < self->nxf;) {
        int wanted = 0;
        for (int k = 0; k < self->cfg.window && !wanted; k++)
            wanted = waits_for(&self->fl[k], &self->xf[i]);
        if (wanted) {
            i++;
            continue;
        }
        self->att_inflight -= self->xf[i].inflight;
        self->xf[i] = self->xf[--self->nxf];
    }
}

static void
land(sender_t *self, struct flight *f)
{
    if (!f)
        return;
    if (f->nwants) {
        f->used = 0;        /* (for xfer_prune: no longer waiting) */
        xfer_prune(self);
    }
    if (f->first_us) {
        if (self->nlat == self->caplat) {
            size_t ncap = self->caplat ? self->caplat * 2 : 1024;
            uint32_t *nl = realloc(self->lat_us, ncap * sizeof *nl);
            if (nl) {
                self->lat_us = nl;
                self->caplat = ncap;
            }
        }
        if (self->nlat < self->caplat)
            self->lat_us[self->nlat++] = (uint32_t)(clock_now_us() - f->first_us);
    }
    outbox_item_free(&f->item);
    f->used = 0;
    self->nfl--;
}

/* Retryable refusals keep the filing pending: the hub could not take it now. */
static int
retryable(Lianxi__RejectCode code)
{
    return code == LIANXI__REJECT_CODE__REJECT_INTERNAL ||
           code == LIANXI__REJECT_CODE__REJECT_UNAUTHORIZED ||
           code == LIANXI__REJECT_CODE__REJECT_VERSION;
}

/* Notes an outbox write that failed: when the disk refused it, retrying is
 * of no use until there is space, and sender_turn says so. */
static void
outbox_failed(sender_t *self)
{
    enum ob_error e = outbox_error(self->outbox);

    if (e == OB_ERR_FULL || e == OB_ERR_IO)
        self->disk = e;
}

static void
ack_message(sender_t *self, uint64_t id)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__HubMessageAck ack = LIANXI__HUB_MESSAGE_ACK__INIT;

    ack.id = id;
    env.body_case = LIANXI__ENVELOPE__BODY_HUB_MESSAGE_ACK;
    env.hub_message_ack = &ack;
    wire_send(self->sock, NULL, 0, &env, ZMQ_DONTWAIT);
}

/* The file a document is fetched into. */
static void
document_path(const sender_t *self, const uint8_t *hash, char *out, size_t len)
{
    char hex[ATT_HEXLEN + 1];

    att_hex(hash, hex);
    snprintf(out, len, "%s/%s", self->documents_dir, hex);
}

/* 1 when document a of a message is held whole and checked. */
static int
document_held(const sender_t *self, const Lianxi__Attachment *a)
{
    char path[4200];
    uint8_t h[ATT_HASHLEN];
    uint64_t size;

    document_path(self, a->hash.data, path, sizeof path);
    return att_hash_file(path, h, &size) == 0 && size == a->size &&
           memcmp(h, a->hash.data, ATT_HASHLEN) == 0;
}

static void keep_message(sender_t *self, const Lianxi__HubMessage *m);

/* Asks the hub for the next piece of the document being fetched, or, when
 * every document of the first message waiting is held, hands the message
 * over and goes on with the next. */
static void
fetch_next(sender_t *self)
{
    struct fetching *f = &self->fetch;

    while (f->n > 0) {
        const Lianxi__HubMessage *m = f->env[0]->hub_message;
        while (f->doc < m->n_documents && document_held(self, m->documents[f->doc]))
            f->doc++;
        if (f->doc < m->n_documents) {
            const Lianxi__Attachment *a = m->documents[f->doc];
            Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
            Lianxi__AttachmentFetch q = LIANXI__ATTACHMENT_FETCH__INIT;
            char path[4200], part[4300];
            struct stat sb;
            if (f->fd < 0) {
                document_path(self, a->hash.data, path, sizeof path);
                snprintf(part, sizeof part, "%s.part", path);
                if (files_mkdir_p(self->documents_dir, 0750) < 0 ||
                    (f->fd = open(part, O_RDWR | O_CREAT | O_CLOEXEC, 0640)) < 0) {
                    log_warn(_("cannot write %s"), part);
                    return;     /* tried again when the hub sends the message again */
                }
                /* What a run before fetched is kept: go on from its end (a
                 * whole one that was not checked is fetched anew). */
                f->offset = fstat(f->fd, &sb) == 0 && (uint64_t)sb.st_size < a->size ?
                            (uint64_t)sb.st_size : 0;
                if (ftruncate(f->fd, (off_t)f->offset) < 0)
                    f->offset = 0;
            }
            q.hash = a->hash;
            q.offset = f->offset;
            env.body_case = LIANXI__ENVELOPE__BODY_ATTACHMENT_FETCH;
            env.attachment_fetch = &q;
            f->asked_ms = clock_mono_ms();
            wire_send(self->sock, NULL, 0, &env, ZMQ_DONTWAIT);
            return;
        }
        keep_message(self, m);
        wire_free(f->env[0]);
        memmove(f->env, f->env + 1, (size_t)(f->n - 1) * sizeof f->env[0]);
        f->n--;
        f->doc = 0;
    }
}

/* Gives up the message being fetched (the hub refused a piece, or its
 * bytes do not check), and any recall of it waiting behind it: the hub
 * sends them again, in its order, and the message is fetched anew.  (A
 * recall kept before the copy it recalls would delete nothing, and the
 * copy, kept after it, would stay.) */
static void
fetch_drop(sender_t *self)
{
    struct fetching *f = &self->fetch;
    uint64_t id = f->env[0]->hub_message->id;
    int k = 0;

    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    wire_free(f->env[0]);
    for (int i = 1; i < f->n; i++) {
        const Lianxi__HubMessage *m = f->env[i]->hub_message;
        if (m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_RECALL && m->recalls == id)
            wire_free(f->env[i]);
        else
            f->env[k++] = f->env[i];
    }
    f->n = k;
    f->doc = 0;
    fetch_next(self);
}

/* A piece of the document being fetched. */
static void
take_chunk(sender_t *self, const Lianxi__AttachmentChunk *c)
{
    struct fetching *f = &self->fetch;
    const Lianxi__Attachment *a;
    char path[4200], part[4300];
    uint8_t h[ATT_HASHLEN];
    uint64_t size;

    if (f->n == 0 || f->fd < 0)
        return;
    a = f->env[0]->hub_message->documents[f->doc];
    if (c->hash.len != ATT_HASHLEN || memcmp(c->hash.data, a->hash.data, ATT_HASHLEN) != 0 ||
        c->offset != f->offset)
        return;     /* an answer to an earlier question */
    if (c->size != a->size || c->data.len == 0 || c->data.len > ATT_CHUNK ||
        f->offset + c->data.len > a->size) {
        log_warnx(_("the hub did not give document %s of message %llu (%s): it is asked for "
                    "again when the hub sends the message again"), a->name,
                  (unsigned long long)f->env[0]->hub_message->id,
                  c->size == 0 ? _("refused") : _("wrong size"));
        fetch_drop(self);
        return;
    }
    if (pwrite(f->fd, c->data.data, c->data.len, (off_t)f->offset) != (ssize_t)c->data.len) {
        log_warn(_("cannot write document %s"), a->name);
        fetch_drop(self);
        return;
    }
    f->offset += c->data.len;
    if (f->offset < a->size) {
        fetch_next(self);
        return;
    }
    /* Whole: checked against the hash the message names, synced, moved. */
    document_path(self, a->hash.data, path, sizeof path);
    snprintf(part, sizeof part, "%s.part", path);
    if (fsync(f->fd) < 0 || lseek(f->fd, 0, SEEK_SET) < 0 || att_hash_fd(f->fd, h, &size) < 0 ||
        size != a->size || memcmp(h, a->hash.data, ATT_HASHLEN) != 0) {
        log_warnx(_("document %s of message %llu does not match its hash: deleted, fetched "
                    "again later"), a->name, (unsigned long long)f->env[0]->hub_message->id);
        unlink(part);
        fetch_drop(self);
        return;
    }
    close(f->fd);
    f->fd = -1;
    if (rename(part, path) < 0) {
        log_warn("%s", path);
        fetch_drop(self);
        return;
    }
    f->doc++;
    fetch_next(self);
}

/* A message from the hub: kept once (file and outbox), acknowledged always. */
static void
take_message(sender_t *self, const Lianxi__HubMessage *m)
{
    int known;

    if ((m->n_documents > 0 && self->documents_dir[0]) || self->fetch.n > 0) {
        /* Kept once its documents are held: fetched first (the hub sends
         * it again meanwhile: it is not queued twice).  While one is
         * fetched the others wait behind it, in the hub's order (a recall
         * after the copy it recalls). */
        struct fetching *f = &self->fetch;
        Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
        uint8_t *buf = NULL;
        long n;
        if ((known = outbox_message_known(self->outbox, m->id)) != 0) {
            if (known > 0)
                ack_message(self, m->id);
            return;
        }
        for (int i = 0; i < f->n; i++)
            if (f->env[i]->hub_message->id == m->id)
                return;
        for (size_t i = 0; i < m->n_documents; i++)
            if (!m->documents[i]->hash.data || m->documents[i]->hash.len != ATT_HASHLEN)
                return;
        if (f->n == FETCH_QUEUE)
            return;
        env.body_case = LIANXI__ENVELOPE__BODY_HUB_MESSAGE;
        env.hub_message = (Lianxi__HubMessage *)m;
        if ((n = wire_pack(&env, &buf)) < 0 ||
            !(f->env[f->n] = wire_unpack(buf, (size_t)n))) {
            free(buf);
            return;
        }
        free(buf);
        if (++f->n == 1)
            fetch_next(self);
        return;
    }
    keep_message(self, m);
}

static void
keep_message(sender_t *self, const Lianxi__HubMessage *m)
{
    char file[1024] = "";
    int known = outbox_message_known(self->outbox, m->id);

    if (known < 0)
        return;
    if (!known) {
        if (self->on_message && self->on_message(self->arg, m, file, sizeof file) < 0)
            return;     /* not kept: no acknowledgement, the hub sends it again */
        if (outbox_message_seen(self->outbox, m, file, clock_now()) < 0) {
            outbox_failed(self);
            return;
        }
        log_info(_("message %llu from the hub (%s): %s"), (unsigned long long)m->id,
                 m->obligation_id, m->text);
    }
    ack_message(self, m->id);
}

/* A checkpoint of the hub's audit trail came with an answer: the newest is
 * kept; one behind or beside the kept one is evidence that the trail was
 * cut back or rewritten, kept beside it and said loudly. */
static void
hold_witness(sender_t *self, const Lianxi__Checkpoint *c)
{
    char conflict[4096 + sizeof SENDER_CONFLICT_SUFFIX];
    struct witness now;

    if (!self->witness_path[0] || !c)
        return;
    /* The hub signs a checkpoint a minute: every answer until then carries
     * the same one, already looked at. */
    if (self->seen.seq && c->seq == self->seen.seq && c->head.len == WITNESS_HASHLEN &&
        c->signature.len == WITNESS_SIGLEN &&
        memcmp(c->head.data, self->seen.head, WITNESS_HASHLEN) == 0 &&
        memcmp(c->signature.data, self->seen.sig, WITNESS_SIGLEN) == 0)
        return;
    if (witness_from_wire(c, &now) < 0 || witness_verify(&now, self->cfg.hub_sign) < 0) {
        log_warnx("%s", _("the hub handed out an audit checkpoint its key did not sign; not kept"));
        return;
    }
    self->seen = now;
    /* Once the hub has handed out a checkpoint behind or beside the kept
     * one, the kept one is the evidence: it is never replaced again (a
     * newer checkpoint may be one the hub signed over a rewritten trail). */
    snprintf(conflict, sizeof conflict, "%s%s", self->witness_path, SENDER_CONFLICT_SUFFIX);
    if (access(conflict, F_OK) == 0)
        return;
    /* Another process of this adapter (watch beside a submit) may have kept
     * a newer one since this one started: compare with the file. */
    if (witness_load(self->witness_path, &self->held) < 0)
        return;
    switch (witness_compare(&self->held, &now)) {
    case WITNESS_SAME:
        return;
    case WITNESS_NEWER:
        if (witness_save(self->witness_path, &now) == 0)
            self->held = now;
        return;
    case WITNESS_SHORTER:
    case WITNESS_DIFFERS:
        log_warnx(now.seq < self->held.seq ?
                  _("the hub's audit trail is shorter than the checkpoint this unit keeps "
                    "(entry %llu, in %s): tell the auditor (lianxi-adapter status shows what "
                    "to give them)") :
                  _("the hub's audit trail is different from the checkpoint this unit keeps "
                    "(entry %llu, in %s): tell the auditor (lianxi-adapter status shows what "
                    "to give them)"),
                  (unsigned long long)self->held.seq, self->witness_path);
        witness_save(conflict, &now);
        return;
    }
}

/* The transfers of documents (proto: AttachmentChunk, AttachmentWant).
 * The hub answers each chunk, in order, with the offset it wants next;
 * at most ATT_WINDOW are unanswered.  Nothing of a transfer is kept over
 * a reconnect or a restart: the filing is sent again and the hub's
 * AttachmentWant says where each document resumes. */

static struct xfer *
xfer_add(sender_t *self, const Lianxi__Attachment *a)
{
    struct xfer *x;

    if (self->nxf == self->capxf) {
        int ncap = self->capxf ? self->capxf * 2 : 16;
        struct xfer *nx = realloc(self->xf, (size_t)ncap * sizeof *nx);
        if (!nx)
            return NULL;
        self->xf = nx;
        self->capxf = ncap;
    }
    x = &self->xf[self->nxf++];
    memset(x, 0, sizeof *x);
    memcpy(x->hash, a->hash.data, ATT_HASHLEN);
    snprintf(x->name, sizeof x->name, "%s", a->name ? a->name : "");
    x->size = a->size;
    x->shown = -1;
    return x;
}

/* Every transfer forgotten: the connection they were on is gone. */
static void
xfer_reset(sender_t *self)
{
    self->nxf = 0;
    self->att_inflight = 0;
}

/* The hub will not take the bytes of f's documents (it no longer waits
 * for them, or the copy kept here cannot be read): the filing is rejected
 * for the clerk, as the hub rejects. */
static void
reject_here(sender_t *self, struct flight *f, const char *name)
{
    Lianxi__Rejection x = LIANXI__REJECTION__INIT;
    struct reason r;
    char detail[1024], *args[1];

    reasons_set(&r, "attachment.refused", 1, name);
    if (reasons_render(&r, detail, sizeof detail) < 0)
        snprintf(detail, sizeof detail, "%s", r.key);
    x.filing_id = f->item.filing_id;
    x.revision = f->item.revision;
    x.code = LIANXI__REJECT_CODE__REJECT_ATTACHMENT;
    x.detail = detail;
    x.reason = r.key;
    args[0] = r.args[0];
    x.args = args;
    x.n_args = 1;
    if (outbox_begin_settle(self->outbox) < 0 || outbox_reject(self->outbox, &x, clock_now()) < 0 ||
        outbox_commit(self->outbox) < 0) {
        outbox_failed(self);
        outbox_rollback(self->outbox);
        return;
    }
    self->counts.rejections++;
    self->unsettled = -1;
    if (self->on_reject)
        self->on_reject(self->arg, &x);
    land(self, f);
}

/* The hub refused a chunk of x: each filing waiting for it is sent again
 * once (the hub then waits for the document again), then rejected. */
static void
xfer_refused(sender_t *self, struct xfer *x)
{
    struct xfer copy;

    if (x->refused)
        return;         /* (the rest of the window is refused too) */
    x->refused = 1;
    copy = *x;          /* (x may be forgotten as its filings are rejected) */
    for (int i = 0; i < self->cfg.window; i++) {
        struct flight *f = &self->fl[i];
        if (!waits_for(f, &copy))
            continue;
        if (f->refusals++ == 0)
            f->due_ms = 0;
        else
            reject_here(self, f, copy.name);
    }
}

/* The documents an envelope carries, as signed: a filing's or an
 * opinion's (into *list, *n).  Returns 0, or -1 for any other body. */
static int
carried(const Lianxi__Envelope *env, Lianxi__Attachment *const **list, size_t *n)
{
    if (env->body_case == LIANXI__ENVELOPE__BODY_FILING) {
        *list = env->filing->attachments;
        *n = env->filing->n_attachments;
        return 0;
    }
    if (env->body_case == LIANXI__ENVELOPE__BODY_OPINION) {
        *list = env->opinion->attachments;
        *n = env->opinion->n_attachments;
        return 0;
    }
    return -1;
}

/* The hub wants documents of a filing (or an opinion) in flight
 * (filing_id set: the opinion_id for an opinion), or answers a chunk
 * (filing_id empty). */
static void
on_want(sender_t *self, const Lianxi__AttachmentWant *w)
{
    int64_t now = clock_mono_ms();

    if (w->filing_id && *w->filing_id) {
        struct flight *f = find_flight(self, w->filing_id, w->revision);
        Lianxi__Attachment *const *list;
        Lianxi__Envelope *env;
        size_t nlist;
        int open = 0;

        if (!f || !(env = wire_unpack(f->item.payload, f->item.len)))
            return;
        if (carried(env, &list, &nlist) < 0) {
            wire_free(env);
            return;
        }
        f->nwants = 0;
        for (size_t i = 0; i < w->n_wants; i++) {
            const Lianxi__AttachmentOffset *o = w->wants[i];
            const Lianxi__Attachment *a = NULL;
            struct xfer *x;
            if (o->hash.len != ATT_HASHLEN)
                continue;
            /* Only a document this filing (or opinion) carries, as signed. */
            for (size_t k = 0; k < nlist && !a; k++)
                if (list[k]->hash.len == ATT_HASHLEN &&
                    memcmp(list[k]->hash.data, o->hash.data, ATT_HASHLEN) == 0)
                    a = list[k];
            if (!a || f->nwants == ATT_MAX_COUNT)
                continue;
            memcpy(f->wants[f->nwants++], a->hash.data, ATT_HASHLEN);
            if (!(x = xfer_find(self, a->hash.data)) && !(x = xfer_add(self, a)))
                continue;
            x->refused = 0;
            /* A transfer going on goes on; a new or stalled one starts
             * where the hub says. */
            if (x->inflight == 0 || now - x->last_ms >= self->cfg.retry_ms) {
                self->att_inflight -= x->inflight;
                x->inflight = x->head = x->drain = 0;
                x->next = x->acked = o->offset < x->size ? o->offset : x->size;
                x->done = x->next >= x->size;
                x->last_ms = now;
                if (x->next > 0 && !x->done)
                    log_info(_("document %s resumes at byte %llu of %llu (the hub holds the "
                               "bytes before it already)"), x->name,
                             (unsigned long long)x->next, (unsigned long long)x->size);
            }
            open += !x->done;
        }
        wire_free(env);
        if (!open && f->nwants)
            f->due_ms = 0;      /* the hub holds them all: the filing again */
        else
            f->due_ms = now + self->cfg.retry_max_ms;
        if (open)
            log_info(_("%s rev %u: sending %d documents to the hub"), f->item.filing_id,
                     f->item.revision, open);
        return;
    }
    for (size_t i = 0; i < w->n_wants; i++) {
        const Lianxi__AttachmentOffset *o = w->wants[i];
        struct xfer *x = o->hash.len == ATT_HASHLEN ? xfer_find(self, o->hash.data) : NULL;
        int expected = 0;
        uint64_t e = 0;

        if (!x)
            continue;
        if (x->inflight > 0) {
            e = x->ends[x->head];
            x->head = (x->head + 1) % ATT_WINDOW;
            x->inflight--;
            self->att_inflight--;
            expected = 1;
        }
        x->last_ms = now;
        if (o->refused) {
            xfer_refused(self, x);
            continue;
        }
        if (o->offset > x->acked)
            self->counts.att_bytes += o->offset - x->acked;
        /* An answer not expected (a chunk lost with a connection, or the
         * hub holding another offset): the rest of the window is let
         * come back, then the transfer resumes where the hub says. */
        if (!expected || o->offset != e)
            x->drain = 1;
        x->acked = o->offset < x->size ? o->offset : x->size;
        if (x->drain && x->inflight == 0) {
            x->drain = x->head = 0;
            x->next = x->acked;
        }
        if (self->on_transfer && x->size && (int)(x->acked * 10 / x->size) != x->shown) {
            x->shown = (int)(x->acked * 10 / x->size);
            self->on_transfer(self->arg, x->name, x->acked, x->size);
        }
        if (x->acked >= x->size)
            x->done = 1;
        /* The filings waiting for it wait on while it goes on; when each
         * document of one is whole, it is sent again at once. */
        for (int k = 0; k < self->cfg.window; k++) {
            struct flight *f = &self->fl[k];
            int all = 1;
            if (!waits_for(f, x))
                continue;
            for (int j = 0; j < f->nwants && all; j++) {
                struct xfer *y = xfer_find(self, f->wants[j]);
                all = y && y->done;
            }
            f->due_ms = all ? 0 : now + self->cfg.retry_max_ms;
        }
    }
}

/* Sends chunks while the window allows, read from the adapter's copies. */
static void
pump(sender_t *self)
{
    static uint8_t buf[ATT_CHUNK];

    if (!self->connected || !self->att_dir[0])
        return;
    while (self->att_inflight < ATT_WINDOW) {
        Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
        Lianxi__AttachmentChunk c = LIANXI__ATTACHMENT_CHUNK__INIT;
        struct xfer *x = NULL;
        size_t len;
        long n;

        for (int i = 0; i < self->nxf && !x; i++)
            if (!self->xf[i].done && !self->xf[i].refused && !self->xf[i].drain &&
                self->xf[i].next < self->xf[i].size && self->xf[i].inflight < ATT_WINDOW)
                x = &self->xf[i];
        if (!x)
            return;
        len = x->size - x->next < ATT_CHUNK ? (size_t)(x->size - x->next) : ATT_CHUNK;
        if ((n = attstore_read(self->att_dir, x->hash, x->next, buf, len)) != (long)len) {
            log_warnx(_("the copy of the document '%s' kept beside the outbox cannot be read "
                        "(%s): its filing is not sent"), x->name,
                      n < 0 ? log_strerror(errno) : "short");
            x->refused = 0;
            for (int k = 0; k < self->cfg.window; k++)
                if (waits_for(&self->fl[k], x))
                    self->fl[k].refusals = 1;
            xfer_refused(self, x);
            continue;
        }
        c.hash.data = x->hash;
        c.hash.len = ATT_HASHLEN;
        c.offset = x->next;
        c.data.data = buf;
        c.data.len = len;
        c.size = x->size;
        env.body_case = LIANXI__ENVELOPE__BODY_ATTACHMENT_CHUNK;
        env.attachment_chunk = &c;
        if (wire_send(self->sock, NULL, 0, &env, ZMQ_DONTWAIT) < 0)
            return;     /* the socket takes no more now: next turn */
        x->ends[(x->head + x->inflight) % ATT_WINDOW] = x->next + len;
        x->inflight++;
        self->att_inflight++;
        x->next += len;
        self->counts.chunks++;
    }
}

static void on_reconcile(sender_t *self, const Lianxi__ReconcileReply *a);

static void
on_readable(sender_t *self)
{
    Lianxi__Envelope *batch[512];
    int n = 0;
    int64_t now = clock_now();

    while (n < 512) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, self->sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&msg);
            break;
        }
        Lianxi__Envelope *env = wire_unpack(zmq_msg_data(&msg), zmq_msg_size(&msg));
        zmq_msg_close(&msg);
        if (!env) {
            log_warnx("%s", _("ignored an undecodable message from the hub"));
            continue;
        }
        batch[n++] = env;
    }
    if (n == 0)
        return;
    if (outbox_begin_settle(self->outbox) < 0) {
        outbox_failed(self);
        goto out;
    }
    for (int i = 0; i < n; i++) {
        Lianxi__Envelope *env = batch[i];
        if (env->body_case == LIANXI__ENVELOPE__BODY_RECEIPT) {
            if (outbox_ack(self->outbox, env->receipt, now) < 0)
                goto rollback;
        } else if (env->body_case == LIANXI__ENVELOPE__BODY_REJECTION &&
                   !retryable(env->rejection->code)) {
            if (outbox_reject(self->outbox, env->rejection, now) < 0)
                goto rollback;
        }
    }
    if (outbox_commit(self->outbox) < 0)
        goto rollback;
    /* Only now, with the outbox durable, do the filings leave the window. */
    for (int i = 0; i < n; i++) {
        Lianxi__Envelope *env = batch[i];
        if (env->body_case == LIANXI__ENVELOPE__BODY_RECEIPT) {
            Lianxi__Receipt *r = env->receipt;
            struct flight *f = find_flight(self, r->filing_id, r->revision);
            /* A filing offered again: the clerk was told of it once. */
            if (!f && self->recon == 1 && r->duplicate) {
                self->counts.reoffered++;
                hold_witness(self, r->checkpoint);
                continue;
            }
            land(self, f);
            for (size_t k = 0; k < r->n_attachments; k++) {
                /* By hash, for whoever checks what the hub holds. */
                char hex[ATT_HEXLEN + 1];
                if (r->attachments[k].len != ATT_HASHLEN)
                    continue;
                att_hex(r->attachments[k].data, hex);
                log_info(_("receipt %s: the hub holds document %s"), r->receipt_no, hex);
            }
            if (r->duplicate)
                self->counts.duplicates++;
            else
                self->counts.receipts++;
            if (self->on_receipt)
                self->on_receipt(self->arg, r);
            hold_witness(self, r->checkpoint);
        } else if (env->body_case == LIANXI__ENVELOPE__BODY_REJECTION) {
            Lianxi__Rejection *x = env->rejection;
            /* A hub of an earlier release does not reconcile. */
            if (self->recon < 2 && x->reason && strcmp(x->reason, "message.not_taken") == 0 &&
                (!x->filing_id || !*x->filing_id)) {
                self->recon = 2;
                continue;
            }
            if (retryable(x->code)) {
                struct flight *f = find_flight(self, x->filing_id, x->revision);
                if (f)
                    f->due_ms = clock_mono_ms() + self->cfg.retry_max_ms;
                log_warnx(_("hub cannot take filings now: %s"), x->detail);
                continue;
            }
            {
                struct flight *f = find_flight(self, x->filing_id, x->revision);
                /* A filing offered again and refused: it stays as the hub
                 * first answered it (receipted); the log says why. */
                if (!f && self->recon == 1) {
                    log_warnx(_("the hub did not take back %s revision %u offered again after "
                                "its restore: %s"), x->filing_id ? x->filing_id : "", x->revision,
                              x->detail ? x->detail : "");
                    continue;
                }
                land(self, f);
            }
            self->counts.rejections++;
            if (self->on_reject)
                self->on_reject(self->arg, x);
        } else if (env->body_case == LIANXI__ENVELOPE__BODY_HUB_MESSAGE) {
            take_message(self, env->hub_message);
        } else if (env->body_case == LIANXI__ENVELOPE__BODY_ATTACHMENT_CHUNK) {
            take_chunk(self, env->attachment_chunk);
        } else if (env->body_case == LIANXI__ENVELOPE__BODY_HEARTBEAT) {
            self->hello_answered = 1;
            hold_witness(self, env->heartbeat->checkpoint);
        } else if (env->body_case == LIANXI__ENVELOPE__BODY_RECONCILE_REPLY) {
            on_reconcile(self, env->reconcile_reply);
        } else if (env->body_case == LIANXI__ENVELOPE__BODY_ATTACHMENT_WANT) {
            on_want(self, env->attachment_want);
        }
    }
    self->unsettled = -1;
    goto out;
rollback:
    outbox_failed(self);
    outbox_rollback(self->outbox);
out:
    for (int i = 0; i < n; i++)
        wire_free(batch[i]);
}

/* Describes to the hub the receipts this unit holds (proto: Reconcile). */
static void
send_reconcile(sender_t *self)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__Reconcile rc = LIANXI__RECONCILE__INIT;
    struct ob_year ys[OUTBOX_MAX_YEARS];
    Lianxi__ReconcileYear yv[OUTBOX_MAX_YEARS], *yp[OUTBOX_MAX_YEARS];
    uint64_t hi_ob = 0;
    int n = outbox_receipt_years(self->outbox, ys, OUTBOX_MAX_YEARS, &hi_ob);

    if (n < 0) {
        log_warnx("%s", _("outbox: cannot list the receipts it holds (not compared with the "
                          "hub this time)"));
        self->recon = 2;
        return;
    }
    for (int i = 0; i < n; i++) {
        lianxi__reconcile_year__init(&yv[i]);
        yv[i].year = ys[i].year;
        yv[i].count = ys[i].count;
        yv[i].digest.data = ys[i].digest;
        yv[i].digest.len = sizeof ys[i].digest;
        yv[i].highest = ys[i].highest;
        yp[i] = &yv[i];
    }
    rc.unit = (char *)self->cfg.id->name;
    rc.years = yp;
    rc.n_years = (size_t)n;
    rc.highest_obligation = hi_ob;
    rc.highest_message = outbox_highest_message(self->outbox);
    env.body_case = LIANXI__ENVELOPE__BODY_RECONCILE;
    env.reconcile = &rc;
    self->recon_ms = clock_mono_ms();
    self->recon_tries++;
    wire_send(self->sock, NULL, 0, &env, ZMQ_DONTWAIT);
}

/* One filing the hub no longer holds, offered again with its receipt. */
static int
reoffer_one(void *arg, const void *payload, size_t len, const Lianxi__Receipt *r)
{
    sender_t *self = arg;
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT, *inner;
    Lianxi__Reoffer o = LIANXI__REOFFER__INIT;
    int filing;

    /* Filings only (an opinion is not offered again), with the hub's
     * signature (receipts of hubs before it have none). */
    if (!(inner = wire_unpack(payload, len)))
        return 0;
    filing = inner->body_case == LIANXI__ENVELOPE__BODY_FILING;
    wire_free(inner);
    if (!filing || r->hub_signature.len == 0)
        return 0;
    o.envelope.data = (uint8_t *)payload;
    o.envelope.len = len;
    o.receipt = (Lianxi__Receipt *)r;
    env.body_case = LIANXI__ENVELOPE__BODY_REOFFER;
    env.reoffer = &o;
    /* Never blocking: what the socket does not take goes next round. */
    if (wire_send(self->sock, NULL, 0, &env, ZMQ_DONTWAIT) < 0) {
        self->reoffer_full = 1;
        return -1;
    }
    self->reoffered++;
    return 0;
}

/* The hub says it was restored from a backup (signed by its key): a kept
 * checkpoint of the trail the restore replaced is kept aside, and the
 * hub's checkpoints are taken from now on. */
static void
witness_after_restore(sender_t *self, const Lianxi__ReconcileReply *a)
{
    char conflict[4096 + sizeof SENDER_CONFLICT_SUFFIX], aside[4096 + 48];
    char aside_c[4096 + 48 + sizeof SENDER_CONFLICT_SUFFIX], when[20];
    struct witness held;
    struct restore_proof r;

    if (!self->witness_path[0] || a->n_restores == 0 ||
        witness_load(self->witness_path, &held) < 0 || held.seq == 0)
        return;
    for (size_t i = 0; i < a->n_restores; i++) {
        if (witness_restore_from_wire(a->restores[i], &r) < 0 ||
            witness_restore_verify(&r, self->cfg.hub_sign) < 0 ||
            !witness_restore_explains(&r, &held))
            continue;
        snprintf(aside, sizeof aside, "%s.pre-restore-%llu", self->witness_path,
                 (unsigned long long)r.entry);
        snprintf(conflict, sizeof conflict, "%s%s", self->witness_path, SENDER_CONFLICT_SUFFIX);
        snprintf(aside_c, sizeof aside_c, "%s%s", aside, SENDER_CONFLICT_SUFFIX);
        if (rename(self->witness_path, aside) < 0) {
            log_warn(_("cannot move %s aside"), self->witness_path);
            return;
        }
        if (rename(conflict, aside_c) < 0 && errno != ENOENT)
            log_warn(_("cannot move %s aside"), conflict);
        memset(&self->held, 0, sizeof self->held);
        memset(&self->seen, 0, sizeof self->seen);
        days_time_format(r.at, when);
        log_info(_("the hub's database was restored from a backup on %s (its audit entry %llu, "
                   "signed by the hub): the checkpoint this unit kept (entry %llu) is of the "
                   "trail before it, kept as %s"), when, (unsigned long long)r.entry,
                 (unsigned long long)held.seq, aside);
        return;
    }
}

/* The hub's answer to a description: what it holds of the years that
 * differ.  The first answer on a connection makes this unit offer again
 * what the hub lacks, then describe again; the second ends it. */
static void
on_reconcile(sender_t *self, const Lianxi__ReconcileReply *a)
{
    long before = self->reoffered;

    self->recon_tries = 0;
    witness_after_restore(self, a);
    if (a->n_years == 0) {
        if (self->reoffered)
            log_info(_("the hub holds every receipt this unit holds again (%ld filings offered "
                       "again)"), self->reoffered);
        self->recon = 2;
        return;
    }
    /* Rounds while they make progress: a round that offered nothing new
     * ends it (filings the hub refused again, or sent from another outbox). */
    if (self->recon_round >= RECON_MAX_ROUNDS || (self->recon_round > 0 && !self->reoffer_full &&
                                                  self->last_round == self->reoffered)) {
        log_warnx(_("after offering %ld filings again, the hub still holds other receipts "
                    "of this unit than its outbox in %zu year(s) (filings the hub refused "
                    "again, or sent from another outbox)"), self->reoffered, a->n_years);
        self->recon = 2;
        return;
    }
    self->last_round = self->reoffered;
    self->reoffer_full = 0;
    for (size_t i = 0; i < a->n_years && !self->reoffer_full; i++) {
        const Lianxi__ReconcileYear *y = a->years[i];
        /* A list cut short names the hub's lowest numbers: only what lies
         * below its end is known to be missing. */
        const char *upto = NULL;
        if (a->truncated) {
            if (y->n_held == 0)
                continue;
            for (size_t k = 0; k < y->n_held; k++)
                if (!upto || strcmp(y->held[k], upto) > 0)
                    upto = y->held[k];
        }
        if (outbox_each_missing(self->outbox, y->year, y->held, y->n_held, upto, reoffer_one,
                                self) < 0)
            log_warnx("%s", _("outbox: cannot read the filings to offer again"));
    }
    if (self->reoffered > before)
        log_warnx(_("the hub no longer holds %ld filings this unit has receipts for (it was "
                    "restored from a backup): offered again with their receipts"),
                  self->reoffered - before);
    self->recon_round++;
    self->recon = 1;
    send_reconcile(self);
}

static void
say_hello(sender_t *self)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__Heartbeat hb = LIANXI__HEARTBEAT__INIT;

    hb.sent_at = clock_now();
    env.body_case = LIANXI__ENVELOPE__BODY_HEARTBEAT;
    env.heartbeat = &hb;
    wire_send(self->sock, NULL, 0, &env, ZMQ_DONTWAIT);
    self->hello_ms = clock_mono_ms();
}

static void
on_monitor(sender_t *self)
{
    zmq_msg_t m;
    uint16_t event;

    zmq_msg_init(&m);
    if (zmq_msg_recv(&m, self->mon, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&m);
        return;
    }
    if (zmq_msg_size(&m) < 6) {
        zmq_msg_close(&m);
        return;
    }
    memcpy(&event, zmq_msg_data(&m), 2);
    while (zmq_msg_more(&m)) {
        zmq_msg_close(&m);
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, self->mon, 0) < 0)
            break;
    }
    zmq_msg_close(&m);
    switch (event) {
    case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
        if (self->refused)
            log_info("%s", _("the hub accepts this adapter's key again"));
        self->connected = 1;
        self->refused = 0;
        self->retry_ivl_ms = 0;
        self->hello_answered = 0;
        self->recon = 0;
        self->recon_round = 0;
        self->recon_tries = 0;
        log_info(_("connected to the hub at %s"), self->endpoint);
        xfer_reset(self);
        /* Whatever was in flight on the old connection may be lost: resend now. */
        for (int i = 0; i < self->cfg.window; i++)
            if (self->fl[i].used)
                self->fl[i].due_ms = 0;
        /* The description first: its answer (with the hub's restores)
         * comes before the hello's checkpoint. */
        send_reconcile(self);
        say_hello(self);
        break;
    case ZMQ_EVENT_DISCONNECTED:
        if (self->connected)
            log_warnx("%s", _("lost the connection to the hub; filings stay in the outbox and "
                              "are resent when it is back"));
        self->connected = 0;
        xfer_reset(self);
        break;
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
        if (!self->refused)
            log_warnx("%s", _("the hub refused this adapter's key: ask the organization "
                              "department to install your unit's .cert in the hub's key "
                              "directory"));
        self->refused = 1;
        self->connected = 0;
        self->retry_ivl_ms = self->retry_ivl_ms ? self->retry_ivl_ms * 2 : REFUSED_RETRY_FIRST_MS;
        if (self->retry_ivl_ms > REFUSED_RETRY_MAX_MS)
            self->retry_ivl_ms = REFUSED_RETRY_MAX_MS;
        self->retry_at_ms = clock_mono_ms() + self->retry_ivl_ms;
        break;
    default:
        if (!self->refused)
            log_warnx(_("handshake with the hub failed (event %u): check hub_cert is the "
                        "hub's public key"), event);
        self->connected = 0;
        break;
    }
}

/* The hub refused the key: try again when it is time (the key may have
 * been authorized since). */
static void
retry_refused(sender_t *self)
{
    if (!self->refused || self->connected || !self->endpoint[0] ||
        clock_mono_ms() < self->retry_at_ms)
        return;
    self->retry_at_ms = INT64_MAX;      /* until this try is refused in turn */
    zmq_disconnect(self->sock, self->endpoint);
    if (zmq_connect(self->sock, self->endpoint) < 0)
        log_warnx("cannot connect to %s: %s", self->endpoint, zmq_strerror(zmq_errno()));
}

/* With an endpoint file, follow the hub when it comes back on another port. */
static void
check_endpoint(sender_t *self)
{
    char ep[256];
    int64_t now = clock_mono_ms();

    if (self->cfg.endpoint || self->connected || now - self->last_ep_check < 500)
        return;
    self->last_ep_check = now;
    if (read_endpoint(self, ep, sizeof ep) < 0 || strcmp(ep, self->endpoint) == 0)
        return;
    if (self->endpoint[0])
        zmq_disconnect(self->sock, self->endpoint);
    snprintf(self->endpoint, sizeof self->endpoint, "%s", ep);
    log_info(_("hub endpoint is now %s"), ep);
    if (zmq_connect(self->sock, ep) < 0)
        log_warnx("cannot connect to %s: %s", ep, zmq_strerror(zmq_errno()));
}

int
sender_turn(sender_t *self, int timeout_ms, int fd)
{
    zmq_pollitem_t items[3] = {
        { self->sock, 0, ZMQ_POLLIN, 0 },
        { self->mon, 0, ZMQ_POLLIN, 0 },
        { NULL, fd, ZMQ_POLLIN, 0 },
    };
    int64_t now = clock_mono_ms(), wait = timeout_ms;

    fill(self);
    for (int i = 0; i < self->cfg.window; i++)
        if (self->fl[i].used && self->connected) {
            int64_t d = self->fl[i].due_ms - now;
            if (d < wait)
                wait = d < 0 ? 0 : d;
        }
    if (!self->connected && !self->cfg.endpoint && wait > 500)
        wait = 500;
    if (self->connected && wait > HELLO_EVERY_MS)
        wait = HELLO_EVERY_MS;
    /* Chunks the socket would not take last turn (none unanswered to wake
     * this one): try again soon. */
    if (self->connected && self->att_inflight == 0 && wait > 100)
        for (int i = 0; i < self->nxf; i++)
            if (!self->xf[i].done && !self->xf[i].refused && self->xf[i].next < self->xf[i].size)
                wait = 100;
    if (self->refused && !self->connected && self->retry_at_ms != INT64_MAX &&
        self->retry_at_ms - now < wait)
        wait = self->retry_at_ms > now ? self->retry_at_ms - now : 0;
    if (zmq_poll(items, fd >= 0 ? 3 : 2, (long)wait) < 0) {
        if (zmq_errno() == EINTR)
            return 0;
        log_warnx("poll: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    while (items[1].revents & ZMQ_POLLIN) {
        zmq_pollitem_t m = { self->mon, 0, ZMQ_POLLIN, 0 };
        on_monitor(self);
        if (zmq_poll(&m, 1, 0) <= 0)
            break;
    }
    if (items[0].revents & ZMQ_POLLIN)
        on_readable(self);
    if (self->disk != OB_ERR_NONE)
        return -1;
    check_endpoint(self);
    retry_refused(self);
    if (self->connected && clock_mono_ms() - self->hello_ms >= HELLO_EVERY_MS)
        say_hello(self);
    /* A description unanswered (lost, or its batch not stored) goes again;
     * after three, this connection does without. */
    if (self->connected && self->recon < 2 && clock_mono_ms() - self->recon_ms >= RECON_RETRY_MS) {
        if (self->recon_tries >= 3)
            self->recon = 2;
        else
            send_reconcile(self);
    }
    /* A piece asked for and not answered (lost with a connection). */
    if (self->connected && self->fetch.n > 0 &&
        clock_mono_ms() - self->fetch.asked_ms >= FETCH_RETRY_MS)
        fetch_next(self);
    fill(self);
    send_due(self);
    pump(self);
    return fd >= 0 && (items[2].revents & ZMQ_POLLIN) ? 1 : 0;
}

int
sender_idle(sender_t *self)
{
    return sender_unsettled(self) == 0 && self->connected && self->hello_answered &&
           self->recon == 2 && self->fetch.n == 0;
}

long
sender_unsettled(sender_t *self)
{
    if (self->unsettled < 0)
        self->unsettled = outbox_count_pending(self->outbox);
    return self->unsettled;
}

void
sender_refresh(sender_t *self)
{
    self->exhausted = 0;
    self->unsettled = -1;
}

enum ob_error
sender_disk_error(const sender_t *self)
{
    return self->disk;
}

int
sender_connected(const sender_t *self)
{
    return self->connected;
}

int
sender_auth_refused(const sender_t *self)
{
    return self->refused;
}

const struct sender_counts *
sender_counts(const sender_t *self)
{
    return &self->counts;
}

size_t
sender_latencies(const sender_t *self, const uint32_t **out)
{
    *out = self->lat_us;
    return self->nlat;
}
