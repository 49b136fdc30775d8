/* hub.c — lianxi-hub: takes filings from the units' adapters, stores them
 * durably and answers each with a receipt or a rejection after commit. */
#include "calendar.h"
#include "canon.h"
#include "categories.h"
#include "conf.h"
#include "judge.h"
#include "keys.h"
#include "audit.h"
#include "board.h"
#include "brief.h"
#include "control.h"
#include "log.h"
#include "oblig.h"
#include "store.h"
#include "days.h"
#include "clock.h"
#include "files.h"
#include "validate.h"
#include "vpool.h"
#include "wire.h"
#include "zap.h"

#include <czmq.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sysexits.h>
#include <unistd.h>
#include <zmq.h>

#define MAX_RID 256
#define ALIVE_EVERY_MS 5000
#define CHECKPOINT_EVERY_MS 60000   /* a signed audit checkpoint at most this often */
#define INTAKE_ROUNDS 16        /* batches per turn before other sockets are served */

struct item {
    uint8_t rid[MAX_RID];
    size_t rid_len;
    Lianxi__Envelope *env;
    const struct key_entry *key;
    Lianxi__RejectCode code;
    char detail[512];
    uint8_t hash[CANON_HASHLEN];
    struct receipt_info receipt;
    char opened[OBLIG_CODE_LEN], closed[OBLIG_CODE_LEN];
    int duplicate;
    int reply;                  /* REPLY_* */
};

enum { REPLY_NONE, REPLY_RECEIPT, REPLY_REJECTION, REPLY_HEARTBEAT, REPLY_ACK };

/* An adapter connection seen recently: where to deliver its unit's messages. */
struct peer {
    uint8_t rid[MAX_RID];
    size_t rid_len;
    char unit[64];
    int64_t last_seen;
};

#define MAX_PEERS 64
#define PEER_IDLE_S 120         /* adapters say hello at least this often */
#define RESEND_S 30             /* unacknowledged messages are sent again after */

/* A briefing or an export made off the loop, on its own read-only
 * connection, so that intake goes on meanwhile. */
enum { JOB_BRIEF, JOB_EXPORT };

struct brief_job {
    int busy;
    int kind;
    uint8_t *req;               /* JOB_EXPORT: the packed request */
    size_t req_len;
    char own[64];               /* JOB_EXPORT: a member's own unit */
    uint64_t count;
    pthread_t thread;
    uint8_t rid[MAX_RID];
    size_t rid_len;
    uint64_t request_id;
    struct brief_params p;
    char title[256];
    char actor[128], object[96], what[160];
    char db_path[PATH_MAX];
    const categories_t *cats;
    int done_fd;                /* eventfd: written when the document is ready */
    char *out;
    size_t len;
    int rc;
    char err[256];
};

struct hub {
    conf_t *conf;
    categories_t *cats;
    calendar_t *cal;
    keydir_t *keys;
    store_t *store;
    vpool_t *pool;
    struct identity id;
    void *ctx, *zap, *units, *control;
    audit_t *audit;
    uint8_t sign_pk[32];
    int64_t last_checkpoint_ms;
    int sigfd, inofd;
    char keys_dir[PATH_MAX];
    char run_dir[PATH_MAX];
    long batch_max;
    struct item *batch, *batch2;   /* being verified / being stored */
    int64_t run_id;
    struct downtime down;
    struct peer peers[MAX_PEERS];
    int npeers;
    lx_day daily_done;             /* the last day the daily job ran */
    int64_t last_delivery_ms;
    char cal_path[PATH_MAX];
    char db_path[PATH_MAX];
    struct brief_job brief;
    uint64_t stored, duplicates, rejected;
};

static void
usage(void)
{
    fprintf(stderr, "usage: lianxi-hub -c HUB.CONF [-v]\n"
                    "       lianxi-hub -c HUB.CONF overdue [--unit U] [--since D] [--until D]"
                    " [--limit N] [--json]\n"
                    "  -c, --config FILE   the hub's configuration (see lianxi init)\n"
                    "  -v, --verbose       log more (repeat for debug)\n"
                    "  overdue             the deadline board from the database, read-only\n");
    exit(EX_USAGE);
}

static void
reload_keys(struct hub *h, const char *why)
{
    keydir_t *kd = keydir_load(h->keys_dir);

    if (!kd) {
        log_warnx("key directory %s unreadable; keeping the %zu keys loaded before",
                  h->keys_dir, keydir_count(h->keys));
        return;
    }
    store_begin(h->store);
    for (size_t i = 0; i < keydir_count(h->keys); i++) {
        const struct key_entry *e = keydir_at(h->keys, i);
        if (!keydir_by_user(kd, e->user_id)) {
            log_info("key revoked: %s (%s)", e->user_id, e->file);
            audit_append(h->audit, clock_now(), "hub", "key:revoked", e->user_id, e->file);
        }
    }
    for (size_t i = 0; i < keydir_count(kd); i++) {
        const struct key_entry *e = keydir_at(kd, i), *old = keydir_by_user(h->keys, e->user_id);
        if (!old) {
            log_info("key authorized: %s (%s)", e->user_id, e->file);
            audit_append(h->audit, clock_now(), "hub", "key:authorized", e->user_id, e->file);
        } else if (strcmp(old->role, e->role) != 0 || old->kind != e->kind ||
                   memcmp(old->sign_pk, e->sign_pk, sizeof e->sign_pk) != 0) {
            char what[160];
            snprintf(what, sizeof what, "role %s -> %s%s", old->role, e->role,
                     memcmp(old->sign_pk, e->sign_pk, 32) ? ", new signing key" : "");
            log_info("key changed: %s (%s)", e->user_id, what);
            audit_append(h->audit, clock_now(), "hub", "key:changed", e->user_id, what);
        }
    }
    if (store_commit(h->store) < 0) {
        store_rollback(h->store);
        audit_reload(h->audit);
    }
    keydir_destroy(&h->keys);
    h->keys = kd;
    log_info("key directory reloaded (%s): %zu keys", why, keydir_count(kd));
}

/* Binds the units socket.  With a wildcard port, the port of the previous
 * run is tried first so that adapters reconnect to the same address. */
static int
bind_endpoint(struct hub *h, void *sock, const char *ep, const char *name)
{
    char file[PATH_MAX], last[256];
    char *prev;
    size_t len = strlen(ep), n;
    int bound = 0;

    snprintf(file, sizeof file, "%s/%s.endpoint", h->run_dir, name);
    if (len > 2 && strcmp(ep + len - 2, ":*") == 0 && (prev = files_read(file, NULL))) {
        prev[strcspn(prev, "\r\n")] = '\0';
        if (strncmp(prev, ep, len - 1) == 0 && zmq_bind(sock, prev) == 0)
            bound = 1;
        free(prev);
    }
    if (!bound && zmq_bind(sock, ep) < 0) {
        log_warnx("cannot bind %s socket to %s: %s", name, ep, zmq_strerror(zmq_errno()));
        return -1;
    }
    n = sizeof last;
    zmq_getsockopt(sock, ZMQ_LAST_ENDPOINT, last, &n);
    if (files_write_atomic(file, last, strlen(last), 0644) < 0)
        log_warn("cannot write %s", file);
    log_info("%s socket listening on %s", name, last);
    printf("%s=%s\n", name, last);
    return 0;
}

static void *
curve_server(struct hub *h, const char *domain)
{
    void *s = zmq_socket(h->ctx, ZMQ_ROUTER);
    int one = 1, zero = 0, hwm = 100000, ivl = 5000, tmo = 20000;
    int64_t maxmsg = LX_MAX_MSG;

    if (!s)
        return NULL;
    zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof one);
    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, h->id.curve_sk, 32);
    zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, domain, strlen(domain));
    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(s, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl);
    zmq_setsockopt(s, ZMQ_HEARTBEAT_TIMEOUT, &tmo, sizeof tmo);
    /* A reply to a peer that is gone fails (EHOSTUNREACH) instead of vanishing. */
    zmq_setsockopt(s, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    return s;
}

static void
reject(struct item *it, Lianxi__RejectCode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
reject(struct item *it, Lianxi__RejectCode code, const char *fmt, ...)
{
    va_list ap;

    it->code = code;
    it->reply = REPLY_REJECTION;
    va_start(ap, fmt);
    vsnprintf(it->detail, sizeof it->detail, fmt, ap);
    va_end(ap);
}

/* Reads one message into it; returns 0, or -1 when nothing was read. */
static int
receive_one(struct hub *h, struct item *it)
{
    zmq_msg_t rid, msg;
    int nframes = 2;
    const char *uid;

    memset(it, 0, sizeof *it);
    zmq_msg_init(&rid);
    if (zmq_msg_recv(&rid, h->units, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&rid);
        return -1;
    }
    it->rid_len = zmq_msg_size(&rid) < MAX_RID ? zmq_msg_size(&rid) : MAX_RID;
    memcpy(it->rid, zmq_msg_data(&rid), it->rid_len);
    zmq_msg_init(&msg);
    if (!zmq_msg_more(&rid) || zmq_msg_recv(&msg, h->units, 0) < 0) {
        zmq_msg_close(&rid);
        zmq_msg_close(&msg);
        return 0;   /* a lone routing frame: nothing to answer */
    }
    zmq_msg_close(&rid);
    while (zmq_msg_more(&msg)) {
        /* Extra frames are not our protocol: drain them and refuse. */
        zmq_msg_t extra;
        zmq_msg_init(&extra);
        zmq_msg_recv(&extra, h->units, 0);
        int more = zmq_msg_more(&extra);
        zmq_msg_close(&extra);
        nframes++;
        if (!more)
            break;
    }
    uid = zmq_msg_gets(&msg, "User-Id");
    it->key = keydir_by_user(h->keys, uid);
    if (!it->key || it->key->kind != KEY_UNIT) {
        reject(it, LIANXI__REJECT_CODE__REJECT_UNAUTHORIZED,
               "this adapter's key is no longer authorized by the hub (revoked): ask the "
               "organization department to install your unit's current key");
        goto out;
    }
    if (nframes != 2) {
        reject(it, LIANXI__REJECT_CODE__REJECT_MALFORMED,
               "a message must be one frame holding one lianxi Envelope");
        goto out;
    }
    it->env = wire_unpack(zmq_msg_data(&msg), zmq_msg_size(&msg));
    if (!it->env) {
        reject(it, LIANXI__REJECT_CODE__REJECT_MALFORMED,
               "the message is not a lianxi protocol message: check the adapter version");
        goto out;
    }
    if (it->env->version != LX_PROTOCOL_VERSION) {
        reject(it, LIANXI__REJECT_CODE__REJECT_VERSION,
               "the adapter speaks protocol version %u but this hub speaks version %d: "
               "install the adapter release that matches the hub", it->env->version,
               LX_PROTOCOL_VERSION);
        goto out;
    }
    switch (it->env->body_case) {
    case LIANXI__ENVELOPE__BODY_FILING: {
        Lianxi__Filing *f = it->env->filing;
        if (f->unit && f->unit[0] && strcmp(f->unit, it->key->name) != 0) {
            reject(it, LIANXI__REJECT_CODE__REJECT_UNIT_MISMATCH,
                   "the filing says it is from unit '%.32s' but was sent with the key of "
                   "unit '%s': each unit files only with its own key", f->unit, it->key->name);
            break;
        }
        it->code = validate_filing(h->cats, it->key->name, f, clock_now(), it->detail,
                                   sizeof it->detail);
        it->reply = it->code == LIANXI__REJECT_CODE__REJECT_NONE ? REPLY_RECEIPT
                                                                 : REPLY_REJECTION;
        break;
    }
    case LIANXI__ENVELOPE__BODY_HEARTBEAT:
        it->reply = REPLY_HEARTBEAT;
        break;
    case LIANXI__ENVELOPE__BODY_HUB_MESSAGE_ACK:
        it->reply = REPLY_ACK;
        break;
    default:
        reject(it, LIANXI__REJECT_CODE__REJECT_MALFORMED,
               "the hub does not accept this kind of message from an adapter");
        break;
    }
out:
    zmq_msg_close(&msg);
    return 0;
}

/* Runs on the pool: the expensive part of each filing. */
static void
verify_one(void *arg, size_t i)
{
    struct item *it = &((struct item *)arg)[i];
    Lianxi__Filing *f;

    if (it->reply != REPLY_RECEIPT)
        return;
    f = it->env->filing;
    if (canon_verify_hash(f, it->key->sign_pk, it->hash) < 0)
        reject(it, LIANXI__REJECT_CODE__REJECT_SIGNATURE,
               "the filing's signature does not verify with unit %s's signing key: it was "
               "altered after signing or signed with another key", it->key->name);
}

static int
store_batch(struct hub *h, struct item *batch, size_t n)
{
    int64_t now = clock_now();
    sqlite3 *db = store_db(h->store);

    if (store_begin(h->store) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct item *it = &batch[i];
        struct judgement j;
        Lianxi__Filing *f;
        int rc;

        if (it->reply == REPLY_ACK) {
            if (oblig_mark_acked(db, it->key->name, (int64_t)it->env->hub_message_ack->id,
                                 now) < 0)
                goto err;
            it->reply = REPLY_NONE;
        }
        if (it->reply == REPLY_RECEIPT) {
            f = it->env->filing;
            rc = oblig_check_answer(db, it->key->name, f->answers, it->detail,
                                    sizeof it->detail);
            if (rc < 0)
                goto err;
            if (rc > 0) {
                /* The detail is already written. */
                it->code = LIANXI__REJECT_CODE__REJECT_MALFORMED;
                it->reply = REPLY_REJECTION;
                goto rejected;
            }
            judge_filing(h->cal, f->learned_on, now, judge_time(&h->down, f->queued_at, now),
                         &j);
            rc = store_put_filing(h->store, it->key->name, it->key->user_id, f, it->hash, &j,
                                  &it->receipt);
            if (rc < 0)
                goto err;
            if (rc == STORE_CONFLICT)
                reject(it, LIANXI__REJECT_CODE__REJECT_CONFLICT,
                       "filing %s revision %u was already received (receipt %s) with "
                       "different content: send the change as revision %u", f->filing_id,
                       f->revision, it->receipt.receipt_no, f->revision + 1);
            it->duplicate = rc == STORE_DUPLICATE;
            if (rc == STORE_NEW) {
                char detail[160];
                if (oblig_on_filing(db, h->cal, it->key->name, f, &it->receipt, it->opened,
                                    it->closed) < 0)
                    goto err;
                snprintf(detail, sizeof detail, "%s rev %u", f->filing_id, f->revision);
                if (audit_append(h->audit, now, it->key->user_id, "file",
                                 it->receipt.receipt_no, detail) < 0)
                    goto err;
            }
        }
    rejected:
        if (it->reply == REPLY_REJECTION && it->key) {
            Lianxi__Filing *rf = it->env && it->env->body_case ==
                LIANXI__ENVELOPE__BODY_FILING ? it->env->filing : NULL;
            if (store_put_rejection(h->store, now, it->key->name, it->key->user_id,
                                    rf && rf->filing_id ? rf->filing_id : "",
                                    rf ? rf->revision : 0, it->code, it->detail) < 0 ||
                audit_append(h->audit, now, it->key->user_id, "reject",
                             rf && rf->filing_id ? rf->filing_id : "",
                             validate_code_name(it->code)) < 0)
                goto err;
        }
    }
    if (store_commit(h->store) < 0)
        goto err;
    return 0;
err:
    store_rollback(h->store);
    audit_reload(h->audit);
    return -1;
}

static void
peer_seen(struct hub *h, const uint8_t *rid, size_t len, const char *unit)
{
    int64_t now = clock_now();
    int slot = -1, oldest = 0;

    for (int i = 0; i < h->npeers; i++) {
        if (h->peers[i].rid_len == len && memcmp(h->peers[i].rid, rid, len) == 0) {
            slot = i;
            break;
        }
        if (h->peers[i].last_seen < h->peers[oldest].last_seen)
            oldest = i;
    }
    if (slot < 0)
        slot = h->npeers < MAX_PEERS ? h->npeers++ : oldest;
    memcpy(h->peers[slot].rid, rid, len);
    h->peers[slot].rid_len = len;
    snprintf(h->peers[slot].unit, sizeof h->peers[slot].unit, "%s", unit);
    h->peers[slot].last_seen = now;
}

static void
peer_drop(struct hub *h, const uint8_t *rid, size_t len)
{
    for (int i = 0; i < h->npeers; i++)
        if (h->peers[i].rid_len == len && memcmp(h->peers[i].rid, rid, len) == 0) {
            h->peers[i] = h->peers[--h->npeers];
            return;
        }
}

struct delivery {
    struct hub *h;
    const uint8_t *rid;
    size_t rid_len;
    int64_t ids[256];
    int n, gone;
};

static int
send_message(void *arg, const Lianxi__HubMessage *m)
{
    struct delivery *d = arg;
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;

    env.body_case = LIANXI__ENVELOPE__BODY_HUB_MESSAGE;
    env.hub_message = (Lianxi__HubMessage *)m;
    if (wire_send(d->h->units, d->rid, d->rid_len, &env, ZMQ_DONTWAIT) < 0) {
        d->gone = errno == EHOSTUNREACH;
        return -1;
    }
    d->ids[d->n++] = (int64_t)m->id;
    return 0;
}

/* Sends unit's unacknowledged messages (those not sent since
 * resend_before) to one connection, and notes them as sent. */
static int
deliver_to(struct hub *h, const uint8_t *rid, size_t rid_len, const char *unit,
           int64_t resend_before)
{
    struct delivery d = { h, rid, rid_len, { 0 }, 0, 0 };
    sqlite3 *db = store_db(h->store);
    int64_t now = clock_now();

    oblig_pending(db, unit, resend_before, send_message, &d);
    if (d.n > 0 && store_begin(h->store) == 0) {
        int ok = 1;
        for (int i = 0; ok && i < d.n; i++)
            ok = oblig_mark_sent(db, d.ids[i], now) == 0;
        if (!ok || store_commit(h->store) < 0)
            store_rollback(h->store);
        else
            log_info("delivered %d message%s to %s", d.n, d.n == 1 ? "" : "s", unit);
    }
    return d.gone;
}

/* Messages to every unit with an adapter connected lately. */
static void
deliver_all(struct hub *h)
{
    int64_t now = clock_now();

    for (int i = 0; i < h->npeers; i++) {
        struct peer *p = &h->peers[i];
        int newest = 1;
        if (now - p->last_seen > PEER_IDLE_S) {
            h->peers[i--] = h->peers[--h->npeers];
            continue;
        }
        for (int k = 0; k < h->npeers; k++)
            if (k != i && strcmp(h->peers[k].unit, p->unit) == 0 &&
                h->peers[k].last_seen > p->last_seen)
                newest = 0;
        if (newest && deliver_to(h, p->rid, p->rid_len, p->unit, now - RESEND_S))
            h->peers[i--] = h->peers[--h->npeers];     /* gone: no longer connected */
    }
}

static void
log_meeting_warning(void *arg, const char *msg)
{
    (void)arg;
    log_warnx("%s", msg);
}

/* Once a day (and at start): reminders, meetings, and the calendar's horizon. */
static void
daily(struct hub *h)
{
    int64_t now = clock_now();
    lx_day today = days_shanghai(now);
    int first, last, n;

    if (today == h->daily_done)
        return;
    h->daily_done = today;
    calendar_years(h->cal, &first, &last);
    if (days_from_civil(last, 12, 31) - today <= 60)
        log_warnx("the working-day calendar ends on %d-12-31: add the State Council's holiday "
                  "notice for %d to %s (then SIGHUP the hub)", last, last + 1, h->cal_path);
    control_meeting_warnings(store_db(h->store), today, log_meeting_warning, NULL);
    if (store_begin(h->store) < 0)
        return;
    n = oblig_remind(store_db(h->store), h->cal, now);
    if (n < 0 || store_commit(h->store) < 0) {
        store_rollback(h->store);
        h->daily_done = 0;
        return;
    }
    if (n > 0)
        log_info("%d reminder%s stored for today", n, n == 1 ? "" : "s");
}

static void
reload_calendar(struct hub *h)
{
    calendar_t *cal = calendar_load(h->cal_path);

    if (!cal) {
        log_warnx("calendar %s has problems (above); keeping the one loaded before",
                  h->cal_path);
        return;
    }
    calendar_destroy(&h->cal);
    h->cal = cal;
    h->daily_done = 0;
    log_info("calendar reloaded");
}

static void
reply_one(struct hub *h, struct item *it)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__Receipt r = LIANXI__RECEIPT__INIT;
    Lianxi__Rejection x = LIANXI__REJECTION__INIT;
    Lianxi__Heartbeat hb = LIANXI__HEARTBEAT__INIT;
    Lianxi__Filing *f = it->env && it->env->body_case == LIANXI__ENVELOPE__BODY_FILING
                            ? it->env->filing : NULL;

    if (it->key && it->code != LIANXI__REJECT_CODE__REJECT_UNAUTHORIZED)
        peer_seen(h, it->rid, it->rid_len, it->key->name);
    switch (it->reply) {
    case REPLY_RECEIPT:
        r.filing_id = f->filing_id;
        r.revision = f->revision;
        r.receipt_no = it->receipt.receipt_no;
        r.received_at = it->receipt.received_at;
        r.due_on = it->receipt.due_on;
        r.on_time = it->receipt.on_time;
        r.late_days = (uint32_t)it->receipt.late_days;
        r.duplicate = it->duplicate;
        r.provisional = it->receipt.provisional;
        r.opened_obligation = it->opened;
        r.closed_obligation = it->closed;
        r.judged_at = it->receipt.judged_at;
        env.body_case = LIANXI__ENVELOPE__BODY_RECEIPT;
        env.receipt = &r;
        if (it->duplicate)
            h->duplicates++;
        else
            h->stored++;
        break;
    case REPLY_REJECTION:
        x.filing_id = f && f->filing_id ? f->filing_id : "";
        x.revision = f ? f->revision : 0;
        x.code = it->code;
        x.detail = it->detail;
        env.body_case = LIANXI__ENVELOPE__BODY_REJECTION;
        env.rejection = &x;
        h->rejected++;
        log_info("rejected %s %s rev %u: %s (%s)", it->key ? it->key->name : "?",
                 x.filing_id, x.revision, validate_code_name(it->code), it->detail);
        break;
    case REPLY_HEARTBEAT:
        /* Everything pending for the unit goes first, then the answer. */
        if (deliver_to(h, it->rid, it->rid_len, it->key->name, clock_now() + 1))
            peer_drop(h, it->rid, it->rid_len);
        hb.sent_at = clock_now();
        env.body_case = LIANXI__ENVELOPE__BODY_HEARTBEAT;
        env.heartbeat = &hb;
        break;
    default:
        return;
    }
    if (wire_send(h->units, it->rid, it->rid_len, &env, ZMQ_DONTWAIT) < 0 && errno != EHOSTUNREACH)
        log_debug("reply dropped (%s): the adapter will resend", zmq_strerror(errno));
}

/* Stores one verified batch in one transaction, then answers it. */
static void
commit_batch(struct hub *h, struct item *batch, size_t n)
{
    if (store_batch(h, batch, n) < 0) {
        log_warnx("could not commit a batch of %zu messages; no receipts sent, the "
                  "adapters will resend", n);
    } else {
        for (size_t i = 0; i < n; i++)
            reply_one(h, &batch[i]);
    }
    for (size_t i = 0; i < n; i++) {
        wire_free(batch[i].env);
        batch[i].env = NULL;
    }
}

/* Group commit, pipelined: while the pool verifies the batch just drained,
 * the previous one is stored and answered.  Bounded, so that handshakes
 * and signals are served during a long burst. */
static void
intake(struct hub *h)
{
    struct item *cur = h->batch, *prev = h->batch2;
    size_t n, prev_n = 0;

    for (int round = 0;; round++) {
        n = 0;
        while (round < INTAKE_ROUNDS && n < (size_t)h->batch_max &&
               receive_one(h, &cur[n]) == 0)
            n++;
        if (n > 0)
            vpool_start(h->pool, verify_one, cur, n);
        if (prev_n > 0)
            commit_batch(h, prev, prev_n);
        if (n > 0)
            vpool_wait(h->pool);
        if (n == 0)
            break;
        struct item *t = prev;
        prev = cur;
        cur = t;
        prev_n = n;
    }
}

static void *
brief_worker(void *arg)
{
    struct brief_job *j = arg;
    sqlite3 *db = NULL;
    uint64_t one = 1;

    j->rc = -1;
    if (sqlite3_open_v2(j->db_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(j->err, sizeof j->err, "cannot open the database read-only");
    } else if (j->kind == JOB_EXPORT) {
        Lianxi__Envelope *env = wire_unpack(j->req, j->req_len);
        sqlite3_busy_timeout(db, 10000);
        if (env && env->body_case == LIANXI__ENVELOPE__BODY_OP_REQUEST &&
            control_export(db, env->op_request, j->own[0] ? j->own : NULL, &j->out, &j->len,
                           &j->count, j->what, sizeof j->what) == 0)
            j->rc = 0;
        else
            snprintf(j->err, sizeof j->err, "--since and --until take YYYY-MM-DD dates");
        wire_free(env);
    } else {
        sqlite3_busy_timeout(db, 10000);
        j->rc = brief_compile(db, NULL, j->cats, &j->p, &j->out, &j->len, j->err,
                              sizeof j->err);
    }
    sqlite3_close(db);
    if (write(j->done_fd, &one, sizeof one) < 0)
        log_warn("briefing: cannot signal the hub loop");
    return NULL;
}

static const char *
param_of(const Lianxi__OpRequest *req, const char *key)
{
    for (size_t i = 0; i < req->n_params; i++)
        if (req->params[i]->key && strcmp(req->params[i]->key, key) == 0 &&
            req->params[i]->value && *req->params[i]->value)
            return req->params[i]->value;
    return NULL;
}

/* Starts compiling a briefing; the answer goes out when it is done.
 * Returns 0 when started, else -1 with why in err. */
static int
brief_start(struct hub *h, const struct key_entry *op, const Lianxi__OpRequest *req,
            const void *rid, size_t rid_len, char *err, size_t errlen)
{
    struct brief_job *j = &h->brief;
    const char *mid = param_of(req, "meeting"), *from = param_of(req, "from");
    const char *to = param_of(req, "to"), *aud = param_of(req, "audience");
    const char *lang = param_of(req, "lang"), *fmt = param_of(req, "format");
    char f[LX_DATE_LEN] = "", t[LX_DATE_LEN] = "", d[LX_DATE_LEN] = "";

    if (j->busy) {
        snprintf(err, errlen, "a briefing or export is being made; try again in a moment");
        return -1;
    }
    j->kind = JOB_BRIEF;
    memset(&j->p, 0, sizeof j->p);
    j->title[0] = '\0';
    if (mid) {
        sqlite3_stmt *st;
        int found = 0;
        if (sqlite3_prepare_v2(store_db(h->store), "SELECT date, period_from, period_to, title"
                               " FROM meetings WHERE id = ?1", -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, atoll(mid));
            if (sqlite3_step(st) == SQLITE_ROW) {
                snprintf(d, sizeof d, "%s", sqlite3_column_text(st, 0));
                snprintf(f, sizeof f, "%s", sqlite3_column_text(st, 1));
                snprintf(t, sizeof t, "%s", sqlite3_column_text(st, 2));
                snprintf(j->title, sizeof j->title, "%s", sqlite3_column_text(st, 3));
                found = 1;
            }
            sqlite3_finalize(st);
        }
        if (!found) {
            snprintf(err, errlen, "no meeting %s (see lianxi meeting list)", mid);
            return -1;
        }
        days_parse(d, &j->p.meeting_date);
        j->p.title = j->title;
    } else {
        snprintf(f, sizeof f, "%s", from ? from : "");
        snprintf(t, sizeof t, "%s", to ? to : "");
    }
    if (days_parse(f, &j->p.from) < 0 || days_parse(t, &j->p.to) < 0 ||
        j->p.to < j->p.from) {
        snprintf(err, errlen, "a briefing needs a meeting or --period FROM..TO (YYYY-MM-DD)");
        return -1;
    }
    if (!aud || (strcmp(aud, "full") != 0 && strcmp(aud, "leadership") != 0)) {
        snprintf(err, errlen, "--audience must be full or leadership");
        return -1;
    }
    j->p.audience = strcmp(aud, "leadership") == 0 ? BRIEF_LEADERSHIP : BRIEF_FULL;
    j->p.lang = lang && strcmp(lang, "en") == 0 ? BRIEF_EN : BRIEF_ZH;
    j->p.format = fmt && strcmp(fmt, "md") == 0 ? BRIEF_MD : BRIEF_HTML;
    memcpy(j->rid, rid, rid_len < MAX_RID ? rid_len : MAX_RID);
    j->rid_len = rid_len < MAX_RID ? rid_len : MAX_RID;
    j->request_id = req->request_id;
    j->cats = h->cats;
    snprintf(j->db_path, sizeof j->db_path, "%s", h->db_path);
    snprintf(j->actor, sizeof j->actor, "%s", op->user_id);
    snprintf(j->object, sizeof j->object, "%s%s..%s", mid ? "meeting " : "", mid ? mid : f,
             mid ? "" : t);
    if (mid)
        snprintf(j->object, sizeof j->object, "meeting %s", mid);
    snprintf(j->what, sizeof j->what, "%s..%s audience=%s lang=%s format=%s", f, t, aud,
             j->p.lang == BRIEF_EN ? "en" : "zh", j->p.format == BRIEF_MD ? "md" : "html");
    j->out = NULL;
    if (pthread_create(&j->thread, NULL, brief_worker, j) != 0) {
        snprintf(err, errlen, "the hub cannot start a briefing now");
        return -1;
    }
    j->busy = 1;
    return 0;
}

/* Starts an export off the loop.  Returns 0, or -1 with why in err. */
static int
export_start(struct hub *h, const struct key_entry *op, zmq_msg_t *msg,
             const void *rid, size_t rid_len, char *err, size_t errlen)
{
    struct brief_job *j = &h->brief;
    const char *own = control_member_unit(op->role);

    if (j->busy) {
        snprintf(err, errlen, "a briefing or export is being made; try again in a moment");
        return -1;
    }
    j->kind = JOB_EXPORT;
    j->req_len = zmq_msg_size(msg);
    if (!(j->req = malloc(j->req_len ? j->req_len : 1))) {
        snprintf(err, errlen, "the hub is out of memory");
        return -1;
    }
    memcpy(j->req, zmq_msg_data(msg), j->req_len);
    snprintf(j->own, sizeof j->own, "%s", own ? own : "");
    memcpy(j->rid, rid, rid_len < MAX_RID ? rid_len : MAX_RID);
    j->rid_len = rid_len < MAX_RID ? rid_len : MAX_RID;
    j->request_id = 0;
    {
        Lianxi__Envelope *env = wire_unpack(j->req, j->req_len);
        if (env && env->body_case == LIANXI__ENVELOPE__BODY_OP_REQUEST)
            j->request_id = env->op_request->request_id;
        wire_free(env);
    }
    snprintf(j->db_path, sizeof j->db_path, "%s", h->db_path);
    snprintf(j->actor, sizeof j->actor, "%s", op->user_id);
    j->what[0] = '\0';
    j->out = NULL;
    j->len = 0;
    j->count = 0;
    if (pthread_create(&j->thread, NULL, brief_worker, j) != 0) {
        free(j->req);
        j->req = NULL;
        snprintf(err, errlen, "the hub cannot start an export now");
        return -1;
    }
    j->busy = 1;
    return 0;
}

/* The briefing or export is ready: record it, then answer. */
static void
brief_done(struct hub *h)
{
    struct brief_job *j = &h->brief;
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__OpReply rep = LIANXI__OP_REPLY__INIT;
    uint64_t n;
    char detail[256];

    if (read(j->done_fd, &n, sizeof n) < 0 || !j->busy)
        return;
    pthread_join(j->thread, NULL);
    j->busy = 0;
    /* On the record first: what cannot be recorded is not handed out. */
    if (j->kind == JOB_EXPORT)
        snprintf(detail, sizeof detail, "%llu filings, %zu bytes%s",
                 (unsigned long long)j->count, j->len, j->rc == 0 ? "" : " (failed)");
    else
        snprintf(detail, sizeof detail, "%s, %zu bytes%s", j->what, j->len,
                 j->rc == 0 ? "" : " (failed)");
    if (store_begin(h->store) < 0 ||
        audit_append(h->audit, clock_now(), j->actor,
                     j->kind == JOB_EXPORT ? "export" : "export:brief",
                     j->kind == JOB_EXPORT ? j->what : j->object, detail) < 0 ||
        store_commit(h->store) < 0) {
        store_rollback(h->store);
        audit_reload(h->audit);
        j->rc = -1;
        snprintf(j->err, sizeof j->err, "the hub could not record the briefing in its audit "
                 "trail, so it does not hand it out; try again");
    }
    rep.request_id = j->request_id;
    rep.ok = j->rc == 0;
    rep.error = j->rc == 0 ? "" : j->err;
    rep.text = j->rc == 0 ? j->out : "";
    rep.count = j->rc == 0 ? (j->kind == JOB_EXPORT ? j->count : j->len) : 0;
    env.body_case = LIANXI__ENVELOPE__BODY_OP_REPLY;
    env.op_reply = &rep;
    if (wire_send(h->control, j->rid, j->rid_len, &env, ZMQ_DONTWAIT) < 0)
        log_warnx("briefing reply not delivered: %s", zmq_strerror(errno));
    if (j->kind == JOB_EXPORT)
        log_info("export of %llu filings (%s) for %s", (unsigned long long)j->count, j->what,
                 j->actor);
    else
        log_info("briefing for %s compiled (%zu bytes)", j->object, j->len);
    free(j->out);
    j->out = NULL;
    free(j->req);
    j->req = NULL;
}

/* One request on the control socket: answered at once. */
static void
control_one(struct hub *h)
{
    struct control_ctx cc = { h->store, h->audit, h->cal, h->sign_pk, h->id.sign_sk };
    struct control_reply out;
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT, *in = NULL;
    zmq_msg_t rid, msg;
    const struct key_entry *op;

    memset(&out, 0, sizeof out);
    zmq_msg_init(&rid);
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&rid, h->control, ZMQ_DONTWAIT) < 0 || !zmq_msg_more(&rid) ||
        zmq_msg_recv(&msg, h->control, 0) < 0)
        goto out;
    while (zmq_msg_more(&msg)) {        /* not ours: drop the rest */
        zmq_msg_t extra;
        zmq_msg_init(&extra);
        zmq_msg_recv(&extra, h->control, 0);
        int more = zmq_msg_more(&extra);
        zmq_msg_close(&extra);
        if (!more)
            goto out;
    }
    op = keydir_by_user(h->keys, zmq_msg_gets(&msg, "User-Id"));
    in = wire_unpack(zmq_msg_data(&msg), zmq_msg_size(&msg));
    lianxi__op_reply__init(&out.rep);
    if (!op || op->kind != KEY_OPERATOR) {
        out.rep.error = "this operator key is no longer authorized by the hub (revoked)";
    } else if (!in || in->version != LX_PROTOCOL_VERSION ||
               in->body_case != LIANXI__ENVELOPE__BODY_OP_REQUEST) {
        out.rep.error = "not a lianxi operator request of this protocol version";
    } else if (in->op_request->command &&
               (strcmp(in->op_request->command, "brief") == 0 ||
                strcmp(in->op_request->command, "export") == 0) &&
               control_allowed(op->role, in->op_request->command)) {
        char err[256];
        int started = strcmp(in->op_request->command, "brief") == 0
            ? brief_start(h, op, in->op_request, zmq_msg_data(&rid), zmq_msg_size(&rid), err,
                          sizeof err)
            : export_start(h, op, &msg, zmq_msg_data(&rid), zmq_msg_size(&rid), err,
                           sizeof err);
        if (started == 0)
            goto out;       /* answered when the document is ready */
        out.rep.request_id = in->op_request->request_id;
        out.rep.error = err;
        env.body_case = LIANXI__ENVELOPE__BODY_OP_REPLY;
        env.op_reply = &out.rep;
        wire_send(h->control, zmq_msg_data(&rid), zmq_msg_size(&rid), &env, ZMQ_DONTWAIT);
        goto out;
    } else {
        control_handle(&cc, op, in->op_request, &out);
    }
    env.body_case = LIANXI__ENVELOPE__BODY_OP_REPLY;
    env.op_reply = &out.rep;
    if (wire_send(h->control, zmq_msg_data(&rid), zmq_msg_size(&rid), &env, ZMQ_DONTWAIT) < 0)
        log_debug("operator reply dropped: %s", zmq_strerror(errno));
out:
    control_reply_free(&out);
    wire_free(in);
    zmq_msg_close(&rid);
    zmq_msg_close(&msg);
}

static void
checkpoint(struct hub *h)
{
    if (audit_since_checkpoint(h->audit) == 0)
        return;
    if (store_begin(h->store) < 0)
        return;
    if (audit_checkpoint(h->audit, h->id.sign_sk, clock_now()) < 0 ||
        store_commit(h->store) < 0) {
        store_rollback(h->store);
        audit_reload(h->audit);
    }
}

static int
setup(struct hub *h, const char *cfile)
{
    char path[PATH_MAX], cert[PATH_MAX], sign[PATH_MAX];
    const char *ep;
    sigset_t mask;
    long threads;
    int crashed;

    if (!(h->conf = conf_load(cfile)))
        return -1;
    if (conf_path(h->conf, "hub", "categories", NULL, path, sizeof path) < 0 ||
        !(h->cats = categories_load(path)))
        return -1;
    if (conf_path(h->conf, "hub", "calendar", NULL, h->cal_path, sizeof h->cal_path) < 0 ||
        !(h->cal = calendar_load(h->cal_path))) {
        log_warnx("the working-day calendar has problems (listed above): fix it and start again");
        return -1;
    }
    if (conf_path(h->conf, "hub", "cert", NULL, cert, sizeof cert) < 0 ||
        conf_path(h->conf, "hub", "sign", NULL, sign, sizeof sign) < 0 ||
        keys_load_identity(cert, sign, &h->id) < 0)
        return -1;
    crypto_sign_ed25519_sk_to_pk(h->sign_pk, h->id.sign_sk);
    if (conf_path(h->conf, "hub", "keys", NULL, h->keys_dir, sizeof h->keys_dir) < 0 ||
        !(h->keys = keydir_load(h->keys_dir)))
        return -1;
    log_info("key directory %s: %zu keys", h->keys_dir, keydir_count(h->keys));
    if (conf_path(h->conf, "hub", "run", "run", h->run_dir, sizeof h->run_dir) < 0 ||
        files_mkdir_p(h->run_dir, 0755) < 0)
        return -1;
    if (conf_int(h->conf, "hub", "batch", 1024, 1, 100000, &h->batch_max) < 0 ||
        conf_int(h->conf, "hub", "verify_threads", sysconf(_SC_NPROCESSORS_ONLN), 0, 64,
                 &threads) < 0)
        return -1;
    if (!(h->batch = calloc((size_t)h->batch_max, sizeof *h->batch)) ||
        !(h->batch2 = calloc((size_t)h->batch_max, sizeof *h->batch2)) ||
        !(h->pool = vpool_new((int)threads)))
        return -1;
    if (conf_path(h->conf, "hub", "database", NULL, h->db_path, sizeof h->db_path) < 0 ||
        !(h->store = store_open(h->db_path, 0)))
        return -1;
    if ((h->brief.done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
        return -1;
    if (!(h->audit = audit_new(store_db(h->store))))
        return -1;
    if (store_downtime(h->store, clock_now(), &h->down) < 0)
        return -1;
    h->run_id = store_run_start(h->store, clock_now(), &crashed);
    if (h->run_id < 0)
        return -1;
    if (crashed)
        log_warnx("the previous hub run ended without a clean stop; its downtime is recorded");

    /* The signals were blocked in main before any thread started. */
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    if ((h->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
        return -1;
    if ((h->inofd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0 ||
        inotify_add_watch(h->inofd, h->keys_dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
                          IN_DELETE | IN_CREATE | IN_ATTRIB) < 0) {
        log_warn("cannot watch %s; the key directory is reloaded on SIGHUP only", h->keys_dir);
        if (h->inofd >= 0)
            close(h->inofd);
        h->inofd = -1;
    }

    if (!(h->ctx = zmq_ctx_new()))
        return -1;
    /* The ZAP handler is bound before any CURVE socket exists. */
    if (!(h->zap = zap_bind(h->ctx)))
        return -1;
    if (!(h->units = curve_server(h, ZAP_DOMAIN_UNITS)))
        return -1;
    ep = conf_get(h->conf, "hub", "units", NULL);
    if (!ep) {
        log_warnx("%s: [hub] units (the endpoint adapters connect to) is missing", cfile);
        return -1;
    }
    if (bind_endpoint(h, h->units, ep, "units") < 0)
        return -1;
    ep = conf_get(h->conf, "hub", "control", NULL);
    if (ep) {
        if (!(h->control = curve_server(h, ZAP_DOMAIN_OPERATORS)) ||
            bind_endpoint(h, h->control, ep, "control") < 0)
            return -1;
    } else {
        log_warnx("%s: no [hub] control endpoint: operators cannot connect", cfile);
    }
    printf("ready\n");
    fflush(stdout);
    return 0;
}

static void
teardown(struct hub *h)
{
    if (h->brief.busy) {
        pthread_join(h->brief.thread, NULL);
        free(h->brief.out);
        free(h->brief.req);
    }
    if (h->brief.done_fd > 0)
        close(h->brief.done_fd);
    if (h->store && h->audit)
        checkpoint(h);
    audit_destroy(&h->audit);
    if (h->store && h->run_id > 0)
        store_run_stop(h->store, h->run_id, clock_now());
    if (h->control)
        zmq_close(h->control);
    if (h->units)
        zmq_close(h->units);
    if (h->zap)
        zmq_close(h->zap);
    if (h->ctx)
        zmq_ctx_term(h->ctx);
    vpool_destroy(&h->pool);
    store_close(&h->store);
    for (long i = 0; i < h->batch_max; i++) {
        if (h->batch)
            wire_free(h->batch[i].env);
        if (h->batch2)
            wire_free(h->batch2[i].env);
    }
    free(h->batch);
    free(h->batch2);
    free(h->down.iv);
    keydir_destroy(&h->keys);
    calendar_destroy(&h->cal);
    categories_destroy(&h->cats);
    conf_destroy(&h->conf);
    if (h->sigfd > 0)
        close(h->sigfd);
    if (h->inofd > 0)
        close(h->inofd);
    sodium_memzero(&h->id, sizeof h->id);
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct hub h = { .sigfd = -1, .inofd = -1 };
    const char *conf_path = NULL;
    int64_t last_alive = clock_mono_ms();
    int c, running = 1, status = EX_OK;
    sigset_t mask;

    log_init("lianxi-hub", LOG_LVL_INFO);
    zsys_handler_set(NULL);
    while ((c = getopt_long(argc, argv, "+c:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': conf_path = optarg; break;
        case 'v': log_verbose(); break;
        default: usage();
        }
    }
    if (conf_path && optind < argc && strcmp(argv[optind], "overdue") == 0)
        return board_main(conf_path, argc - optind, argv + optind);
    if (!conf_path || optind != argc)
        usage();
    if (sodium_init() < 0)
        fatalx("libsodium cannot start");
    /* Block the signals we read through signalfd before any thread exists,
     * so that every thread inherits the mask. */
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (setup(&h, conf_path) < 0) {
        log_warnx("hub not started");
        teardown(&h);
        return EX_CONFIG;
    }
    log_info("hub running (run %lld, protocol %d)", (long long)h.run_id, LX_PROTOCOL_VERSION);

    while (running) {
        zmq_pollitem_t items[6] = {
            { h.zap, 0, ZMQ_POLLIN, 0 },
            { h.units, 0, ZMQ_POLLIN, 0 },
            { NULL, h.sigfd, ZMQ_POLLIN, 0 },
            { h.control, 0, h.control ? ZMQ_POLLIN : 0, 0 },
            { NULL, h.brief.done_fd, ZMQ_POLLIN, 0 },
            { NULL, h.inofd, ZMQ_POLLIN, 0 },
        };
        int nitems = h.inofd >= 0 ? 6 : 5;

        if (zmq_poll(items, nitems, 1000) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            log_warnx("poll: %s", zmq_strerror(zmq_errno()));
            status = EX_SOFTWARE;
            break;
        }
        if (items[0].revents & ZMQ_POLLIN)
            while (1) {
                zmq_pollitem_t z = { h.zap, 0, ZMQ_POLLIN, 0 };
                zap_handle(h.zap, h.keys);
                if (zmq_poll(&z, 1, 0) <= 0)
                    break;
            }
        if (items[2].revents & ZMQ_POLLIN) {
            struct signalfd_siginfo si;
            while (read(h.sigfd, &si, sizeof si) == sizeof si) {
                if (si.ssi_signo == SIGHUP) {
                    reload_keys(&h, "SIGHUP");
                    reload_calendar(&h);
                }
                else {
                    log_info("signal %u: stopping", si.ssi_signo);
                    running = 0;
                }
            }
        }
        if (items[4].revents & ZMQ_POLLIN)
            brief_done(&h);
        if (nitems == 6 && (items[5].revents & ZMQ_POLLIN)) {
            char buf[4096];
            while (read(h.inofd, buf, sizeof buf) > 0)
                ;
            reload_keys(&h, "changed");
        }
        if (running && (items[1].revents & ZMQ_POLLIN))
            intake(&h);
        if (running && h.control && (items[3].revents & ZMQ_POLLIN))
            control_one(&h);
        daily(&h);
        if (clock_mono_ms() - h.last_delivery_ms >= 2000) {
            deliver_all(&h);
            h.last_delivery_ms = clock_mono_ms();
        }
        if (clock_mono_ms() - h.last_checkpoint_ms >= CHECKPOINT_EVERY_MS) {
            checkpoint(&h);
            h.last_checkpoint_ms = clock_mono_ms();
        }
        if (clock_mono_ms() - last_alive >= ALIVE_EVERY_MS) {
            store_run_alive(h.store, h.run_id, clock_now());
            last_alive = clock_mono_ms();
        }
    }
    {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        log_info("stopped: %llu filings stored, %llu duplicates answered, %llu rejected; "
                 "cpu %.2fs user %.2fs system", (unsigned long long)h.stored,
                 (unsigned long long)h.duplicates, (unsigned long long)h.rejected,
                 ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
                 ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
    }
    teardown(&h);
    return status;
}
