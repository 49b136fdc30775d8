/* main.c — lianxi-hub: the loop.  It moves bytes and time: it reads the
 * sockets, signals and timers and hands each use case to its module (intake,
 * deliver, control, jobs), all of which work on the store. */
#include "calendar.h"
#include "canon.h"
#include "categories.h"
#include "conf.h"
#include "judge.h"
#include "keys.h"
#include "archive.h"
#include "audit.h"
#include "backup.h"
#include "board.h"
#include "brief.h"
#include "doc.h"
#include "control.h"
#include "deliver.h"
#include "health.h"
#include "intake.h"
#include "attach.h"
#include "dispatch.h"
#include "jobs.h"
#include "meeting.h"
#include "notice.h"
#include "opcmd.h"
#include "i18n.h"
#include "log.h"
#include "oblig.h"
#include "store.h"
#include "days.h"
#include "clock.h"
#include "files.h"
#include "text.h"
#include "validate.h"
#include "vpool.h"
#include "wire.h"
#include "zap.h"

#include <czmq.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sysexits.h>
#include <unistd.h>
#include <zmq.h>

#define ALIVE_EVERY_MS 5000
#define CHECKPOINT_EVERY_MS 60000   /* a signed audit checkpoint at most this often */
#define IDLE_WAL_MS 2000            /* the WAL is cut back after this long without filings */
#define INTAKE_ROUNDS 16            /* batches per turn before other sockets are served */

struct hub {
    conf_t *conf;
    categories_t *cats;
    calendar_t *cal;
    keydir_t *keys;
    store_t *store;
    attach_t *attach;              /* the attachments beside the database */
    struct att_limits att_limits;  /* [attachments] max_size, max_per_filing */
    uint64_t att_max_pending;      /* [attachments] max_pending_per_unit */
    long att_pending_days;         /* [attachments] pending_days */
    vpool_t *pool;
    deliver_t *deliver;
    jobs_t *jobs;
    refusals_t *refusals;
    struct identity id;
    void *ctx, *zap, *units, *control;
    audit_t *audit;
    uint8_t sign_pk[32];
    int64_t last_checkpoint_ms;
    int sigfd, inofd, lockfd;
    char keys_dir[PATH_MAX];
    char run_dir[PATH_MAX];
    long batch_max;
    long review_days;           /* [hub] review_due_days: a joint review's default */
    struct intake_item *batch, *batch2;   /* being verified / being stored */
    int64_t run_id;
    struct downtime down;
    lx_day daily_done;             /* the last day the daily job ran */
    int64_t last_delivery_ms;
    int64_t last_intake_ms;        /* the last batch stored */
    int wal_idle_done;             /* the WAL was cut back since then */
    int halted;                    /* the database went away: no more filings */
    /* [unit-names]: the county's names of its member units, by the index of
     * lx_units, pointing into conf (NULL: the default name). */
    const char *unit_names[LX_NUNITS];
    char cal_path[PATH_MAX];
    char db_path[PATH_MAX];
    uint64_t stored, duplicates, rejected;
    uint8_t chunk[ATT_CHUNK];      /* a piece of a document being answered */
};

static void
usage(void)
{
    fprintf(stderr, "%s",
            _("usage: lianxi-hub -c HUB.CONF [-v]\n"
              "       lianxi-hub -c HUB.CONF overdue [--unit U] [--since D] [--until D]"
              " [--limit N] [--json]\n"
              "       lianxi-hub -c HUB.CONF backup [-o FILE]\n"
              "       lianxi-hub -c HUB.CONF restore FILE [--force]\n"
              "       lianxi-hub -c HUB.CONF archive --year Y [-o FILE]\n"
              "       lianxi-hub -c HUB.CONF status [--json | --prometheus]\n"
              "  -c, --config FILE   the hub's configuration (see lianxi init)\n"
              "  -v, --verbose       log more (repeat for debug)\n"
              "  overdue             the deadline board from the database, read-only\n"
              "  backup              a signed, checked copy of the database, while the hub runs\n"
              "  restore             a backup in place of the database (the hub stopped)\n"
              "  archive             one year's records in a signed archive (zip), while the hub "
              "runs; nothing is deleted\n"
              "  status              the hub's health, read-only; exit 0 healthy, 1 problems,\n"
              "                      2 the hub not running, 3 cannot tell\n"
              "  --commands          the operators' command table (the control protocol, "
              "always in English)\n"));
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
            log_info(_("key revoked: %s (%s)"), e->user_id, e->file);
            audit_append(h->audit, clock_now(), "hub", "key:revoked", e->user_id, e->file);
        }
    }
    for (size_t i = 0; i < keydir_count(kd); i++) {
        const struct key_entry *e = keydir_at(kd, i), *old = keydir_by_user(h->keys, e->user_id);
        if (!old) {
            log_info(_("key authorized: %s (%s)"), e->user_id, e->file);
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
    if (store_commit(h->store) < 0)
        log_warnx("key directory changes could not be recorded in the audit trail");
    keydir_destroy(&h->keys);
    h->keys = kd;
    if (h->deliver)
        deliver_prune(h->deliver, kd);
    log_info("key directory reloaded (%s): %zu keys", why, keydir_count(kd));
}

/* setup()'s answer when starting again later may work (a port in use):
 * the hub then exits 75 (EX_TEMPFAIL), which systemd retries, not 78. */
#define SETUP_TEMPFAIL (-2)

/* Binds the units socket.  With a wildcard port, the port of the previous
 * run is tried first so that adapters reconnect to the same address.
 * Returns 0, SETUP_TEMPFAIL when the address is in use, or -1. */
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
        int e = zmq_errno();
        log_warnx("cannot bind %s socket to %s: %s", name, ep, zmq_strerror(e));
        return e == EADDRINUSE ? SETUP_TEMPFAIL : -1;
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
    /* What one connection may have queued unread: an adapter's largest
     * window; beyond it the peer waits (TCP backpressure), so a unit cannot
     * make the hub queue gigabytes before intake drains them. */
    int rcvhwm = 4096;
    /* Up to twice the limit is read and answered too_large; beyond that the
     * connection is dropped unread. */
    int64_t maxmsg = 2 * (int64_t)LX_MAX_MSG;

    if (!s)
        return NULL;
    zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof one);
    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, h->id.curve_sk, 32);
    zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, domain, strlen(domain));
    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(s, ZMQ_RCVHWM, &rcvhwm, sizeof rcvhwm);
    zmq_setsockopt(s, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl);
    zmq_setsockopt(s, ZMQ_HEARTBEAT_TIMEOUT, &tmo, sizeof tmo);
    /* A reply to a peer that is gone fails (EHOSTUNREACH) instead of vanishing. */
    zmq_setsockopt(s, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    return s;
}

/* Reads one message from the units socket into it; returns 0, or -1 when
 * nothing was waiting. */
static int
receive_one(struct hub *h, struct intake_item *it)
{
    zmq_msg_t rid, msg;
    int nframes = 2;

    memset(it, 0, sizeof *it);
    zmq_msg_init(&rid);
    if (zmq_msg_recv(&rid, h->units, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&rid);
        return -1;
    }
    it->rid_len = zmq_msg_size(&rid) < INTAKE_MAX_RID ? zmq_msg_size(&rid) : INTAKE_MAX_RID;
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
    intake_parse(it, keydir_by_user(h->keys, zmq_msg_gets(&msg, "User-Id")), zmq_msg_data(&msg),
                 zmq_msg_size(&msg), nframes, h->cats, clock_now());
    zmq_msg_close(&msg);
    return 0;
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
    /* Uploads begun and never finished do not keep their bytes. */
    if (h->attach)
        (void)attach_sweep(h->attach, now, (int64_t)h->att_pending_days * 86400);
    calendar_years(h->cal, &first, &last);
    if (days_from_civil(last, 12, 31) - today <= 60)
        log_warnx(_("the working-day calendar ends on %d-12-31: add the State Council's holiday "
                    "notice for %d to %s (then SIGHUP the hub)"), last, last + 1, h->cal_path);
    meeting_warnings(h->store, today, log_meeting_warning, NULL);
    if (store_begin(h->store) < 0) {
        h->daily_done = 0;
        return;
    }
    /* A meeting held needs no more attendance replies. */
    n = notice_expire(h->store, now) < 0 ? -1 : oblig_remind(h->store, h->cal, now);
    if (n < 0 || store_commit(h->store) < 0) {
        store_rollback(h->store);
        h->daily_done = 0;
        return;
    }
    if (n > 0) {
        log_info(dngettext(LX_TEXTDOMAIN, "%d reminder stored for today",
                           "%d reminders stored for today", (unsigned long)n), n);
        deliver_all(h->deliver);    /* today, to the units connected now */
    }
    if (clock_stepped()) {
        /* On the shared test clock, whoever moves it waits for this line
         * before moving it again, so that no working day goes unreminded. */
        char day[LX_DATE_LEN];
        days_format(today, day);
        printf("day %s\n", day);
        fflush(stdout);
    }
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

/* The filings of the unit refused with an item (an attachment's bytes
 * did not hash to what they signed): one Rejection each. */
static void
send_refused(struct hub *h, struct intake_item *it)
{
    char *xargs[REASON_MAX_ARGS];

    for (size_t i = 0; i < it->nrefused; i++) {
        struct intake_refused *rf = &it->refused[i];
        Lianxi__Envelope e2 = LIANXI__ENVELOPE__INIT;
        Lianxi__Rejection x2 = LIANXI__REJECTION__INIT;
        x2.filing_id = rf->filing_id;
        x2.revision = rf->revision;
        x2.code = rf->code;
        x2.detail = rf->detail;
        x2.reason = rf->reason.key;
        x2.n_args = rf->reason.nargs;
        for (size_t k = 0; k < rf->reason.nargs; k++)
            xargs[k] = rf->reason.args[k];
        x2.args = xargs;
        e2.body_case = LIANXI__ENVELOPE__BODY_REJECTION;
        e2.rejection = &x2;
        h->rejected++;
        log_info("rejected %s %s rev %u: %s (%s)", it->key->name, rf->filing_id,
                 rf->revision, validate_code_name(rf->code), rf->detail);
        if (wire_send(h->units, it->rid, it->rid_len, &e2, ZMQ_DONTWAIT) < 0 &&
            errno != EHOSTUNREACH)
            log_debug("reply dropped (%s): the adapter will resend", zmq_strerror(errno));
    }
}

static void
reply_one(struct hub *h, struct intake_item *it)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__Receipt r = LIANXI__RECEIPT__INIT;
    Lianxi__Rejection x = LIANXI__REJECTION__INIT;
    char *xargs[REASON_MAX_ARGS];
    Lianxi__Heartbeat hb = LIANXI__HEARTBEAT__INIT;
    Lianxi__AttachmentChunk chunk = LIANXI__ATTACHMENT_CHUNK__INIT;
    Lianxi__AttachmentWant aw = LIANXI__ATTACHMENT_WANT__INIT;
    Lianxi__AttachmentOffset wo[ATT_MAX_COUNT], *wp[ATT_MAX_COUNT];
    ProtobufCBinaryData rh[ATT_MAX_COUNT];
    Lianxi__Checkpoint ck;
    const struct witness *latest = audit_latest(h->audit);
    const char *id = NULL;
    uint32_t rev = 0;
    char fid[256];
    uint8_t rsig[CANON_SIGLEN];

    /* Every receipt and heartbeat answer carries the latest signed
     * checkpoint of the audit trail, for the unit to keep (witness.h). */
    if (latest)
        witness_to_wire(latest, &ck);

    if (it->key && it->code != LIANXI__REJECT_CODE__REJECT_UNAUTHORIZED)
        deliver_seen(h->deliver, it->rid, it->rid_len, it->key->name, it->key->user_id);
    /* A filing's id and revision, or an opinion's. */
    intake_item_id(it, &id, &rev);
    switch (it->reply) {
    case REPLY_RECEIPT:
        r.filing_id = (char *)id;
        r.revision = rev;
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
        r.checkpoint = latest ? &ck : NULL;
        /* The documents stored with it, by hash (also in a duplicate's). */
        if (it->env && (it->env->body_case == LIANXI__ENVELOPE__BODY_FILING ||
                        it->env->body_case == LIANXI__ENVELOPE__BODY_OPINION)) {
            int op = it->env->body_case == LIANXI__ENVELOPE__BODY_OPINION;
            Lianxi__Attachment *const *a = op ? it->env->opinion->attachments
                                              : it->env->filing->attachments;
            size_t na = op ? it->env->opinion->n_attachments : it->env->filing->n_attachments;
            for (size_t i = 0; i < na && i < ATT_MAX_COUNT; i++)
                rh[r.n_attachments++] = a[i]->hash;
            r.attachments = rh;
        }
        /* Signed, so that the unit's copy proves it (a restore gives it back). */
        if (it->key && canon_receipt_sign(it->key->name, &r, it->hash, h->id.sign_sk, rsig) == 0) {
            r.hub_signature.data = rsig;
            r.hub_signature.len = sizeof rsig;
        }
        env.body_case = LIANXI__ENVELOPE__BODY_RECEIPT;
        env.receipt = &r;
        if (it->duplicate)
            h->duplicates++;
        else
            h->stored++;
        break;
    case REPLY_REJECTION:
        /* Echoed as valid UTF-8, whatever the unit sent. */
        snprintf(fid, sizeof fid, "%s", id ? id : "");
        x.filing_id = text_utf8_fix(fid);
        x.revision = rev;
        x.code = it->code;
        x.detail = it->detail;
        x.reason = it->reason.key;
        x.n_args = it->reason.nargs;
        for (size_t i = 0; i < it->reason.nargs; i++)
            xargs[i] = it->reason.args[i];
        x.args = xargs;
        env.body_case = LIANXI__ENVELOPE__BODY_REJECTION;
        env.rejection = &x;
        h->rejected++;
        if (!it->quiet)
            log_info("rejected %s %s rev %u: %s (%s)", it->key ? it->key->name : "?",
                     x.filing_id, x.revision, validate_code_name(it->code), it->detail);
        break;
    case REPLY_WANT:
        /* What the hub wants of a filing's (or an opinion's) attachments,
         * or a chunk's answer (filing_id empty); then the filings refused
         * with it. */
        aw.filing_id = it->want_filing && id ? (char *)id : "";
        aw.revision = it->want_filing ? rev : 0;
        for (size_t i = 0; i < it->nwant; i++) {
            lianxi__attachment_offset__init(&wo[i]);
            wo[i].hash.data = it->want[i].hash;
            wo[i].hash.len = ATT_HASHLEN;
            wo[i].offset = it->want[i].offset;
            wo[i].refused = it->want[i].refused;
            wp[i] = &wo[i];
        }
        aw.wants = wp;
        aw.n_wants = it->nwant;
        env.body_case = LIANXI__ENVELOPE__BODY_ATTACHMENT_WANT;
        env.attachment_want = &aw;
        if (wire_send(h->units, it->rid, it->rid_len, &env, ZMQ_DONTWAIT) < 0 &&
            errno != EHOSTUNREACH)
            log_debug("reply dropped (%s): the adapter will resend", zmq_strerror(errno));
        send_refused(h, it);
        return;
    case REPLY_RECONCILE:
        if (!it->recon)
            return;
        env.body_case = LIANXI__ENVELOPE__BODY_RECONCILE_REPLY;
        env.reconcile_reply = it->recon;
        break;
    case REPLY_FETCH: {
        /* A piece of a document one of the unit's messages names; nothing
         * (size 0) for any other hash. */
        const Lianxi__AttachmentFetch *fq = it->env->attachment_fetch;
        uint64_t size = 0;
        long n = 0;
        chunk.hash = fq->hash;
        chunk.offset = fq->offset;
        if (fq->hash.len == ATT_HASHLEN &&
            dispatch_may_fetch(h->store, it->key->name, fq->hash.data, &size) == 1 &&
            fq->offset <= size &&
            (n = attach_read(h->attach, fq->hash.data, fq->offset, h->chunk, ATT_CHUNK)) >= 0) {
            chunk.size = size;
            chunk.data.data = h->chunk;
            chunk.data.len = (size_t)n;
        }
        env.body_case = LIANXI__ENVELOPE__BODY_ATTACHMENT_CHUNK;
        env.attachment_chunk = &chunk;
        break;
    }
    case REPLY_HEARTBEAT:
        /* Everything pending for the unit goes first, then the answer. */
        deliver_to(h->deliver, it->rid, it->rid_len, it->key->name, clock_now() + 1);
        hb.sent_at = clock_now();
        hb.checkpoint = latest ? &ck : NULL;
        env.body_case = LIANXI__ENVELOPE__BODY_HEARTBEAT;
        env.heartbeat = &hb;
        break;
    default:
        return;
    }
    if (wire_send(h->units, it->rid, it->rid_len, &env, ZMQ_DONTWAIT) < 0 && errno != EHOSTUNREACH)
        log_debug("reply dropped (%s): the adapter will resend", zmq_strerror(errno));
    send_refused(h, it);
}

/* Stores one verified batch in one transaction, then answers it. */
static void
commit_batch(struct hub *h, struct intake_item *batch, size_t n)
{
    struct intake_ctx ic = { h->store, h->audit, h->cal, h->cats, &h->down, h->refusals,
                             h->sign_pk, h->attach, h->att_limits,
                             h->att_max_pending };

    h->last_intake_ms = clock_mono_ms();
    h->wal_idle_done = 0;
    if (intake_store(&ic, batch, n, clock_now()) < 0) {
        log_warnx("could not commit a batch of %zu messages; no receipts sent, the "
                  "adapters will resend", n);
    } else {
        for (size_t i = 0; i < n; i++)
            reply_one(h, &batch[i]);
    }
    for (size_t i = 0; i < n; i++)
        intake_item_release(&batch[i]);
}

/* Group commit, pipelined: while the pool verifies the batch just drained,
 * the previous one is stored and answered.  Bounded, so that handshakes
 * and signals are served during a long burst. */
static void
intake(struct hub *h)
{
    struct intake_item *cur = h->batch, *prev = h->batch2;
    size_t n, prev_n = 0;

    for (int round = 0;; round++) {
        size_t mem = 0;
        n = 0;
        while (round < INTAKE_ROUNDS && n < (size_t)h->batch_max && mem < INTAKE_BATCH_BYTES &&
               receive_one(h, &cur[n]) == 0)
            mem += cur[n++].mem;
        if (n > 0)
            vpool_start(h->pool, intake_verify, cur, n);
        if (prev_n > 0)
            commit_batch(h, prev, prev_n);
        if (n > 0)
            vpool_wait(h->pool);
        if (n == 0)
            break;
        struct intake_item *t = prev;
        prev = cur;
        cur = t;
        prev_n = n;
    }
}

static void
send_reply(struct hub *h, const void *rid, size_t rid_len, Lianxi__OpReply *rep)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;

    env.body_case = LIANXI__ENVELOPE__BODY_OP_REPLY;
    env.op_reply = rep;
    if (wire_send(h->control, rid, rid_len, &env, ZMQ_DONTWAIT) < 0)
        log_debug("operator reply dropped: %s", zmq_strerror(errno));
}

/* A briefing or export is ready: recorded, then handed out. */
static void
job_done(struct hub *h)
{
    Lianxi__OpReply rep = LIANXI__OP_REPLY__INIT;
    const void *rid;
    size_t rid_len;

    if (jobs_finish(h->jobs, h->store, h->audit, h->attach, &rep, &rid, &rid_len) > 0) {
        send_reply(h, rid, rid_len, &rep);
        jobs_release(h->jobs);
        deliver_all(h->deliver);    /* a briefing sent: its copies, to those connected */
    }
}

/* One request on the control socket: answered at once, or started off the
 * loop and answered by job_done. */
static void
control_one(struct hub *h)
{
    struct control_ctx cc = { h->store, h->audit, h->cal, h->cats, h->sign_pk, h->id.sign_sk,
                              h->keys, conf_get(h->conf, "hub", "county", NULL),
                              h->unit_names, (int)h->review_days, h->conf, h->attach,
                              h->att_limits.max_each, h->att_max_pending };
    struct control_reply out;
    struct control_job job;
    Lianxi__Envelope *in = NULL;
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
    /* Every answer names its request, refusals too: a client waits for
     * its own request's answer. */
    if (in && in->body_case == LIANXI__ENVELOPE__BODY_OP_REQUEST)
        out.rep.request_id = in->op_request->request_id;
    if (!op || (op->kind != KEY_OPERATOR && op->kind != KEY_CONSOLE)) {
        out.rep.error = _("this operator key is no longer authorized by the hub (revoked)");
        out.rep.error_kind = LIANXI__OP_ERROR__OP_ERROR_PERMISSION;
    } else if (!in || in->version < LX_PROTOCOL_OLDEST || in->version > LX_PROTOCOL_VERSION ||
               in->body_case != LIANXI__ENVELOPE__BODY_OP_REQUEST) {
        out.rep.error = _("not a lianxi operator request of this protocol version");
        out.rep.error_kind = LIANXI__OP_ERROR__OP_ERROR_USAGE;
    } else if (h->halted) {
        out.rep.request_id = in->op_request->request_id;
        out.rep.error = _("the hub's database went away while the hub was running (see the "
                          "hub's log): it answers no requests until it is restored");
        out.rep.error_kind = LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE;
    } else if (control_handle(&cc, op, in->op_request, &out, &job) == CONTROL_JOB) {
        char err[256];
        if (jobs_start(h->jobs, &job, zmq_msg_data(&rid), zmq_msg_size(&rid), err,
                       sizeof err) == 0)
            goto out;       /* answered when the document is ready */
        control_reply_free(&out);
        lianxi__op_reply__init(&out.rep);
        out.rep.request_id = job.request_id;
        out.rep.error = err;
        out.rep.error_kind = LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE;
        send_reply(h, zmq_msg_data(&rid), zmq_msg_size(&rid), &out.rep);
        goto out;
    }
    send_reply(h, zmq_msg_data(&rid), zmq_msg_size(&rid), &out.rep);
out:
    control_reply_free(&out);
    wire_free(in);
    zmq_msg_close(&rid);
    zmq_msg_close(&msg);
}

/* When no filing came for a while, the WAL is copied into the database and
 * cut back to nothing, so that a quiet hub's database is one file. */
static void
idle_wal(struct hub *h)
{
    if (h->wal_idle_done || clock_mono_ms() - h->last_intake_ms < IDLE_WAL_MS)
        return;
    if (store_checkpoint(h->store) == 0)
        h->wal_idle_done = 1;
}

static void
checkpoint(struct hub *h)
{
    if (audit_since_checkpoint(h->audit) == 0 || audit_tainted(h->audit))
        return;
    if (store_begin(h->store) < 0)
        return;
    if (audit_checkpoint(h->audit, h->id.sign_sk, clock_now()) < 0 ||
        store_commit(h->store) < 0)
        store_rollback(h->store);
    audit_witness_flush(h->audit);
}

/* One line of [unit-names]: a unit's code and the name the county gives it
 * in its documents.  What cannot be used is said and left out (the
 * documents then use the default name). */
static void
unit_name_line(void *arg, const char *key, const char *value)
{
    struct hub *h = arg;
    const struct lx_unit *u = units_find(key);
    uint32_t cp;

    if (!u) {
        log_warnx(_("%s: [unit-names] %s: no member unit has this code (the codes are those of "
                    "categories.tsv: police, court …); the line is ignored"),
                  conf_file(h->conf), key);
        return;
    }
    if (!*value || !text_utf8_valid(value, strlen(value)) ||
        text_find_control(value, strlen(value), 0, &cp) >= 0) {
        log_warnx(_("%s: [unit-names] %s: the name is empty, not UTF-8 or holds a control "
                    "character; the documents use the default name %s"),
                  conf_file(h->conf), key, u->zh);
        h->unit_names[u - lx_units] = NULL;
        return;
    }
    h->unit_names[u - lx_units] = value;
}

static int
setup(struct hub *h, const char *cfile)
{
    char path[PATH_MAX], cert[PATH_MAX], sign[PATH_MAX];
    const char *ep;
    sigset_t mask;
    long threads;
    int crashed, rc;

    if (!(h->conf = conf_load(cfile)))
        return -1;
    conf_language(h->conf, "hub");
    conf_each(h->conf, "unit-names", unit_name_line, h);
    {
        /* [health] is read by lianxi-hub status; a bad value is said now,
         * not the first time a monitor runs it. */
        struct health_limits hl;
        if (health_limits_read(h->conf, &hl) < 0)
            return -1;
    }
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
    /* One hub per run directory, held while it runs: a second hub, or a
     * restore (backup.c), on the same database is refused. */
    snprintf(path, sizeof path, "%s/hub.lock", h->run_dir);
    /* Read-only: flock needs no more, and a lock file a restore made as
     * root (0644) is still one the hub's user can take. */
    if ((h->lockfd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644)) < 0) {
        log_warn("%s", path);
        return -1;
    }
    if (flock(h->lockfd, LOCK_EX | LOCK_NB) < 0) {
        log_warnx(_("another hub is running on %s (it holds %s): stop it first"), h->run_dir,
                  path);
        /* (or a restore is running: when it is done, systemd tries again) */
        return SETUP_TEMPFAIL;
    }
    if (conf_int(h->conf, "hub", "batch", 1024, 1, 100000, &h->batch_max) < 0 ||
        conf_int(h->conf, "hub", "review_due_days", 5, 1, 60, &h->review_days) < 0 ||
        conf_int(h->conf, "hub", "verify_threads", sysconf(_SC_NPROCESSORS_ONLN), 0, 64,
                 &threads) < 0)
        return -1;
    if (!(h->batch = calloc((size_t)h->batch_max, sizeof *h->batch)) ||
        !(h->batch2 = calloc((size_t)h->batch_max, sizeof *h->batch2)) ||
        !(h->pool = vpool_new((int)threads)))
        return -1;
    if (conf_path(h->conf, "hub", "database", NULL, h->db_path, sizeof h->db_path) < 0 ||
        !(h->store = store_open(h->db_path, h->run_dir)))
        return -1;
    {
        /* [attachments]: where the documents are kept, and how large they
         * may be (bytes); a value out of range stops the hub here (78). */
        char adir[PATH_MAX], def[PATH_MAX];
        long each, total, pending;
        attach_default_dir(h->db_path, def, sizeof def);
        if (conf_path(h->conf, "attachments", "dir", def, adir, sizeof adir) < 0 ||
            conf_int(h->conf, "attachments", "max_size", (long)ATT_DEFAULT_MAX_EACH, 1,
                     LONG_MAX, &each) < 0 ||
            conf_int(h->conf, "attachments", "max_per_filing", (long)ATT_DEFAULT_MAX_TOTAL, 1,
                     LONG_MAX, &total) < 0 ||
            /* What one unit may have declared and not sent: at least a
             * filing's worth; declarations not renewed for pending_days
             * are forgotten and their bytes deleted (daily). */
            conf_int(h->conf, "attachments", "max_pending_per_unit",
                     (long)ATT_DEFAULT_MAX_PENDING > total ? (long)ATT_DEFAULT_MAX_PENDING
                                                           : total,
                     total, LONG_MAX, &pending) < 0 ||
            conf_int(h->conf, "attachments", "pending_days", ATT_DEFAULT_PENDING_DAYS, 1, 3650,
                     &h->att_pending_days) < 0 ||
            !(h->attach = attach_open(h->store, adir)))
            return -1;
        h->att_limits.max_each = (uint64_t)each;
        h->att_limits.max_total = (uint64_t)total;
        h->att_max_pending = (uint64_t)pending;
    }
    if (!(h->refusals = refusals_new()))
        return -1;
    if (!(h->jobs = jobs_new(h->db_path, h->cal_path, h->cats)))
        return -1;
    if (!(h->audit = audit_new(h->store)))
        return -1;
    snprintf(path, sizeof path, "%s/audit.witness", h->run_dir);
    if (audit_keep_witness(h->audit, path) < 0)
        return -1;
    if (store_downtime(h->store, clock_now(), &h->down) < 0)
        return -1;
    {
        int n = -1;
        if (store_begin(h->store) == 0 && (n = oblig_tidy(h->store, clock_now())) >= 0 &&
            store_commit(h->store) == 0 && n > 0)
            log_info("%d report obligation%s nothing could close any more closed as superseded",
                     n, n == 1 ? "" : "s");
        else if (n < 0)
            store_rollback(h->store);
    }
    {
        /* A database that went back in time says so at every start. */
        char note[PATH_MAX + 32], when[20];
        long long at;
        int off = 0;
        if (store_get_note(h->store, "restored", note, sizeof note) == 1 &&
            sscanf(note, "%lld %n", &at, &off) == 1) {
            days_time_format((int64_t)at, when);
            log_info(_("this database was restored from a backup on %s (the database it "
                       "replaced is kept as %s)"),
                     when, off > 0 && note[off] ? note + off : "-");
        }
    }
    h->run_id = store_run_start(h->store, clock_now(), &crashed);
    if (h->run_id < 0)
        return -1;
    if (crashed)
        log_warnx("%s", _("the previous hub run ended without a clean stop; its downtime is "
                          "recorded"));

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
    if ((rc = bind_endpoint(h, h->units, ep, "units")) < 0)
        return rc;
    if (!(h->deliver = deliver_new(h->store, h->units)))
        return -1;
    ep = conf_get(h->conf, "hub", "control", NULL);
    if (ep) {
        if (!(h->control = curve_server(h, ZAP_DOMAIN_OPERATORS)))
            return -1;
        if ((rc = bind_endpoint(h, h->control, ep, "control")) < 0)
            return rc;
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
    jobs_destroy(&h->jobs);
    deliver_destroy(&h->deliver);
    if (h->store && h->audit && h->refusals) {
        struct intake_ctx ic = { h->store, h->audit, h->cal, h->cats, &h->down, h->refusals,
                             h->sign_pk, h->attach, h->att_limits,
                             h->att_max_pending };
        intake_record_refusals(&ic, clock_now(), 1);
    }
    refusals_destroy(&h->refusals);
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
    attach_close(&h->attach);
    store_close(&h->store);
    for (long i = 0; i < h->batch_max; i++) {
        if (h->batch)
            intake_item_release(&h->batch[i]);
        if (h->batch2)
            intake_item_release(&h->batch2[i]);
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
    if (h->lockfd >= 0)
        close(h->lockfd);
    sodium_memzero(&h->id, sizeof h->id);
    doc_shutdown();                 /* the charts' font caches: no leak at exit */
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "commands", no_argument, NULL, 'C' },
        { NULL, 0, NULL, 0 },
    };
    struct hub h = { .sigfd = -1, .inofd = -1, .lockfd = -1 };
    const char *conf_path = NULL;
    int64_t last_alive = clock_mono_ms(), alive_at = clock_now();
    int c, running = 1, status = EX_OK;
    sigset_t mask;

    log_init("lianxi-hub", LOG_LVL_INFO);
    i18n_init(NULL);
    zsys_handler_set(NULL);
    while ((c = getopt_long(argc, argv, "+c:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': conf_path = optarg; break;
        case 'v': log_verbose(); break;
        case 'C': opcmd_reference(stdout); return EX_OK;
        default: usage();
        }
    }
    if (conf_path && optind < argc && strcmp(argv[optind], "overdue") == 0)
        return board_main(conf_path, argc - optind, argv + optind);
    if (conf_path && optind < argc && strcmp(argv[optind], "status") == 0)
        return health_main(conf_path, argc - optind, argv + optind);
    if (conf_path && optind < argc && strcmp(argv[optind], "backup") == 0) {
        if (sodium_init() < 0)
            fatalx("libsodium cannot start");
        return backup_main(conf_path, argc - optind, argv + optind);
    }
    if (conf_path && optind < argc && strcmp(argv[optind], "restore") == 0) {
        if (sodium_init() < 0)
            fatalx("libsodium cannot start");
        return restore_main(conf_path, argc - optind, argv + optind);
    }
    if (conf_path && optind < argc && strcmp(argv[optind], "archive") == 0)
        return archive_main(conf_path, argc - optind, argv + optind);
    if (!conf_path || optind != argc)
        usage();
    if (sodium_init() < 0)
        fatalx("libsodium cannot start");
    if (control_self_check() < 0)
        fatalx("the command table and the control handlers disagree");
    /* Block the signals we read through signalfd before any thread exists,
     * so that every thread inherits the mask. */
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);
    if ((c = setup(&h, conf_path)) < 0) {
        log_warnx("hub not started%s", c == SETUP_TEMPFAIL ? " (a temporary failure)" : "");
        teardown(&h);
        return c == SETUP_TEMPFAIL ? EX_TEMPFAIL : EX_CONFIG;
    }
    log_info("hub running (run %lld, protocol %d)", (long long)h.run_id, LX_PROTOCOL_VERSION);

    while (running) {
        /* A hub whose database went away takes no filings: they stay in
         * the adapters' outboxes until it is restored. */
        if (!h.halted && store_check_identity(h.store, 0) < 0)
            h.halted = 1;
        zmq_pollitem_t items[6] = {
            { h.zap, 0, ZMQ_POLLIN, 0 },
            { h.units, 0, h.halted ? 0 : ZMQ_POLLIN, 0 },
            { NULL, h.sigfd, ZMQ_POLLIN, 0 },
            { h.control, 0, h.control ? ZMQ_POLLIN : 0, 0 },
            { NULL, h.jobs ? jobs_fd(h.jobs) : -1, ZMQ_POLLIN, 0 },
            { NULL, h.inofd, ZMQ_POLLIN, 0 },
        };
        int nitems = h.inofd >= 0 ? 6 : 5;

        /* The shared test clock moves in steps: a new day is seen at once. */
        if (zmq_poll(items, nitems, clock_stepped() ? 10 : 1000) < 0) {
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
            job_done(&h);
        if (nitems == 6 && (items[5].revents & ZMQ_POLLIN)) {
            char buf[4096];
            while (read(h.inofd, buf, sizeof buf) > 0)
                ;
            reload_keys(&h, "changed");
        }
        if (running && (items[1].revents & ZMQ_POLLIN))
            intake(&h);
        if (running && h.control && (items[3].revents & ZMQ_POLLIN)) {
            control_one(&h);
            audit_witness_flush(h.audit);
        }
        if (h.halted)
            continue;
        daily(&h);
        idle_wal(&h);
        {
            struct intake_ctx ic = { h.store, h.audit, h.cal, h.cats, &h.down, h.refusals,
                                     h.sign_pk, h.attach, h.att_limits,
                                     h.att_max_pending };
            intake_record_refusals(&ic, clock_now(), 0);
        }
        if (clock_mono_ms() - h.last_delivery_ms >= 2000) {
            deliver_all(h.deliver);
            h.last_delivery_ms = clock_mono_ms();
        }
        if (clock_mono_ms() - h.last_checkpoint_ms >= CHECKPOINT_EVERY_MS) {
            checkpoint(&h);
            h.last_checkpoint_ms = clock_mono_ms();
        }
        /* Alive every few seconds of either clock: on the shared test
         * clock a step forward is recorded at once, so that a crash after
         * it is not counted as downtime from before the step. */
        if (clock_mono_ms() - last_alive >= ALIVE_EVERY_MS ||
            clock_now() - alive_at >= ALIVE_EVERY_MS / 1000) {
            if (store_check_identity(h.store, 1) < 0) {
                h.halted = 1;
                continue;
            }
            alive_at = clock_now();
            store_run_alive(h.store, h.run_id, alive_at);
            health_tick(h.run_dir, h.run_id, h.deliver, alive_at);
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
