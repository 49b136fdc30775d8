/* intake.c — the adapters' messages without the sockets: decode and check,
 * verify, store a batch in one transaction, decide each answer. */
#include "intake.h"
#include "clock.h"
#include "i18n.h"
#include "jointreview.h"
#include "log.h"
#include "notice.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* Sets the item's refusal: its reason (key and values) and the hub's
 * sentence of it, in the hub's language. */
static void
reason_done(struct intake_item *it, Lianxi__RejectCode code)
{
    it->code = code;
    it->reply = REPLY_REJECTION;
    if (reasons_render(&it->reason, it->detail, sizeof it->detail) < 0)
        snprintf(it->detail, sizeof it->detail, "%s", it->reason.key);
    /* What the unit sent may be echoed, and the sentence may be cut: the
     * answer is valid UTF-8 whatever came in. */
    text_utf8_fix(it->detail);
}

static void
reject(struct intake_item *it, Lianxi__RejectCode code, const char *key, size_t nargs, ...)
{
    va_list ap;

    va_start(ap, nargs);
    reasons_vset(&it->reason, key, nargs, ap);
    va_end(ap);
    reason_done(it, code);
}

/* A filing offered again after a restore: the filing inside becomes the
 * item's envelope, checked as any filing; its receipt is kept to be
 * checked (the hub's signature needs the content hash: intake_store). */
static void
parse_reoffer(struct intake_item *it, const categories_t *cats, int64_t now)
{
    Lianxi__Reoffer *o = it->env->reoffer;
    Lianxi__Receipt *r = o->receipt;
    Lianxi__Envelope *inner;
    const char *why = NULL;
    size_t used = 0;

    inner = wire_decode_as(o->envelope.data, o->envelope.len,
                           WIRE_BODY(LIANXI__ENVELOPE__BODY_FILING), &used, &why);
    it->mem += used;
    if (!inner) {
        const char *rk = reasons_key_of(why);
        reject(it, LIANXI__REJECT_CODE__REJECT_MALFORMED, rk ? rk : "message.undecodable", 0);
        return;
    }
    it->outer = it->env;
    it->env = inner;
    it->reoffer = 1;
    it->code = wire_check_version_reason(inner, &it->reason);
    if (it->code != LIANXI__REJECT_CODE__REJECT_NONE) {
        reason_done(it, it->code);
        return;
    }
    if (!r || !r->filing_id || !inner->filing->filing_id || !r->receipt_no || !r->due_on ||
        strcmp(r->filing_id, inner->filing->filing_id) != 0 ||
        r->revision != inner->filing->revision ||
        strlen(r->receipt_no) >= sizeof it->given.receipt_no ||
        strlen(r->due_on) >= sizeof it->given.due_on ||
        r->hub_signature.len != CANON_SIGLEN) {
        reject(it, LIANXI__REJECT_CODE__REJECT_MALFORMED, "reoffer.receipt", 0);
        return;
    }
    memset(&it->given, 0, sizeof it->given);
    snprintf(it->given.receipt_no, sizeof it->given.receipt_no, "%s", r->receipt_no);
    snprintf(it->given.due_on, sizeof it->given.due_on, "%s", r->due_on);
    it->given.received_at = r->received_at;
    it->given.judged_at = r->judged_at;
    it->given.on_time = r->on_time;
    it->given.late_days = (int)r->late_days;
    it->given.provisional = r->provisional;
    if (r->opened_obligation && strncmp(r->opened_obligation, "OB-", 3) == 0)
        it->given.obligation_id = strtoll(r->opened_obligation + 3, NULL, 10);
    {
        Lianxi__Filing *f = inner->filing;
        if (f->unit && f->unit[0] && strcmp(f->unit, it->key->name) != 0) {
            char claimed[40];
            snprintf(claimed, sizeof claimed, "%.32s", f->unit);
            reject(it, LIANXI__REJECT_CODE__REJECT_UNIT_MISMATCH, "unit.mismatch", 2,
                   text_utf8_fix(claimed), it->key->name);
            return;
        }
        /* Checked as it was when first received. */
        it->code = validate_filing_reason(cats, it->key->name, f,
                                          r->received_at > 0 ? r->received_at : now,
                                          &it->reason);
    }
    if (it->code == LIANXI__REJECT_CODE__REJECT_NONE)
        it->reply = REPLY_RECEIPT;
    else
        reason_done(it, it->code);
}

void
intake_item_release(struct intake_item *it)
{
    free(it->refused);
    it->refused = NULL;
    it->nrefused = 0;
    wire_free(it->env);
    wire_free(it->outer);
    if (it->recon) {
        for (size_t i = 0; i < it->recon->n_years; i++) {
            Lianxi__ReconcileYear *y = it->recon->years[i];
            for (size_t k = 0; k < y->n_held; k++)
                free(y->held[k]);
            free(y->held);
            free(y);            /* (its other fields are never set in an answer) */
        }
        free(it->recon->years);
        free(it->recon->restores);      /* the proofbox (intake.c) */
        free(it->recon);
    }
    it->env = it->outer = NULL;
    it->recon = NULL;
    it->reoffer = 0;
}

void
intake_parse(struct intake_item *it, const struct key_entry *key, const void *data, size_t len,
             int nframes, const categories_t *cats, int64_t now)
{
    const char *why = NULL;
    size_t used = 0;

    it->key = key;
    /* Decoded first, so that even a refusal of the key names the filing
     * (what decoding took is counted into the batch's memory). */
    it->env = nframes == 2 ? wire_decode_as(data, len, INTAKE_UNIT_BODIES, &used, &why) : NULL;
    it->mem = len + used;
    if (!it->key || it->key->kind != KEY_UNIT) {
        reject(it, LIANXI__REJECT_CODE__REJECT_UNAUTHORIZED, "key.unauthorized", 0);
        return;
    }
    if (nframes != 2) {
        reject(it, LIANXI__REJECT_CODE__REJECT_MALFORMED, "message.frames", 0);
        return;
    }
    if (len > LX_MAX_MSG + (it->env && it->env->body_case == LIANXI__ENVELOPE__BODY_REOFFER
                            ? INTAKE_REOFFER_EXTRA : 0)) {
        char n[24], max[24];
        snprintf(n, sizeof n, "%zu", len);
        snprintf(max, sizeof max, "%d", LX_MAX_MSG);
        reject(it, LIANXI__REJECT_CODE__REJECT_TOO_LARGE, "message.too_large", 2, n, max);
        return;
    }
    if (!it->env) {
        const char *rk = reasons_key_of(why);
        reject(it, LIANXI__REJECT_CODE__REJECT_MALFORMED, rk ? rk : "message.undecodable", 0);
        return;
    }
    /* Versions 1 and 2 (an adapter of the previous release); a real-name
     * filing only in 2. */
    it->code = wire_check_version_reason(it->env, &it->reason);
    if (it->code != LIANXI__REJECT_CODE__REJECT_NONE) {
        reason_done(it, it->code);
        return;
    }
    switch (it->env->body_case) {
    case LIANXI__ENVELOPE__BODY_FILING: {
        Lianxi__Filing *f = it->env->filing;
        if (f->unit && f->unit[0] && strcmp(f->unit, it->key->name) != 0) {
            char claimed[40];
            snprintf(claimed, sizeof claimed, "%.32s", f->unit);
            reject(it, LIANXI__REJECT_CODE__REJECT_UNIT_MISMATCH, "unit.mismatch", 2,
                   text_utf8_fix(claimed), it->key->name);
            break;
        }
        it->code = validate_filing_reason(cats, it->key->name, f, now, &it->reason);
        if (it->code == LIANXI__REJECT_CODE__REJECT_NONE)
            it->reply = REPLY_RECEIPT;
        else
            reason_done(it, it->code);
        break;
    }
    case LIANXI__ENVELOPE__BODY_OPINION: {
        Lianxi__Opinion *o = it->env->opinion;
        if (o->unit && o->unit[0] && strcmp(o->unit, it->key->name) != 0) {
            char claimed[40];
            snprintf(claimed, sizeof claimed, "%.32s", o->unit);
            reject(it, LIANXI__REJECT_CODE__REJECT_UNIT_MISMATCH, "unit.mismatch", 2,
                   text_utf8_fix(claimed), it->key->name);
            break;
        }
        it->code = validate_opinion_reason(it->key->name, o, now, &it->reason);
        if (it->code == LIANXI__REJECT_CODE__REJECT_NONE)
            it->reply = REPLY_RECEIPT;
        else
            reason_done(it, it->code);
        break;
    }
    case LIANXI__ENVELOPE__BODY_ATTENDANCE: {
        Lianxi__Attendance *a = it->env->attendance;
        if (a->unit && a->unit[0] && strcmp(a->unit, it->key->name) != 0) {
            char claimed[40];
            snprintf(claimed, sizeof claimed, "%.32s", a->unit);
            reject(it, LIANXI__REJECT_CODE__REJECT_UNIT_MISMATCH, "unit.mismatch", 2,
                   text_utf8_fix(claimed), it->key->name);
            break;
        }
        it->code = validate_attendance_reason(it->key->name, a, now, &it->reason);
        if (it->code == LIANXI__REJECT_CODE__REJECT_NONE)
            it->reply = REPLY_RECEIPT;
        else
            reason_done(it, it->code);
        break;
    }
    case LIANXI__ENVELOPE__BODY_RECONCILE: {
        Lianxi__Reconcile *r = it->env->reconcile;
        if (r->unit && r->unit[0] && strcmp(r->unit, it->key->name) != 0) {
            char claimed[40];
            snprintf(claimed, sizeof claimed, "%.32s", r->unit);
            reject(it, LIANXI__REJECT_CODE__REJECT_UNIT_MISMATCH, "unit.mismatch", 2,
                   text_utf8_fix(claimed), it->key->name);
            break;
        }
        it->reply = REPLY_RECONCILE;
        break;
    }
    case LIANXI__ENVELOPE__BODY_REOFFER:
        parse_reoffer(it, cats, now);
        break;
    case LIANXI__ENVELOPE__BODY_ATTACHMENT_CHUNK: {
        Lianxi__AttachmentChunk *c = it->env->attachment_chunk;
        if (c->hash.len != ATT_HASHLEN || c->data.len > ATT_CHUNK || c->size == 0 ||
            c->offset > c->size || c->data.len > c->size - c->offset) {
            reject(it, LIANXI__REJECT_CODE__REJECT_MALFORMED, "attachment.chunk", 0);
            break;
        }
        it->reply = REPLY_CHUNK;
        break;
    }
    case LIANXI__ENVELOPE__BODY_HEARTBEAT:
        it->reply = REPLY_HEARTBEAT;
        break;
    case LIANXI__ENVELOPE__BODY_HUB_MESSAGE_ACK:
        it->reply = REPLY_ACK;
        break;
    case LIANXI__ENVELOPE__BODY_ATTACHMENT_FETCH:
        it->reply = REPLY_FETCH;
        break;
    default:
        reject(it, LIANXI__REJECT_CODE__REJECT_MALFORMED, "message.not_taken", 0);
        break;
    }
}

void
intake_item_id(const struct intake_item *it, const char **id, uint32_t *revision)
{
    *id = NULL;
    *revision = 0;
    if (it->env && it->env->body_case == LIANXI__ENVELOPE__BODY_FILING) {
        *id = it->env->filing->filing_id;
        *revision = it->env->filing->revision;
    } else if (it->env && it->env->body_case == LIANXI__ENVELOPE__BODY_OPINION) {
        *id = it->env->opinion->opinion_id;
        *revision = it->env->opinion->revision;
    } else if (it->env && it->env->body_case == LIANXI__ENVELOPE__BODY_ATTENDANCE) {
        *id = it->env->attendance->attendance_id;
        *revision = it->env->attendance->revision;
    }
}

/* Runs on the pool: the expensive part of each filing or opinion. */
void
intake_verify(void *items, size_t i)
{
    struct intake_item *it = &((struct intake_item *)items)[i];
    int bad;

    if (it->reply != REPLY_RECEIPT)
        return;
    if (it->env->body_case == LIANXI__ENVELOPE__BODY_OPINION)
        bad = canon_opinion_verify_hash(it->env->opinion, it->key->sign_pk, it->hash) < 0;
    else if (it->env->body_case == LIANXI__ENVELOPE__BODY_ATTENDANCE)
        bad = canon_attendance_verify_hash(it->env->attendance, it->key->sign_pk, it->hash) < 0;
    else
        bad = canon_verify_hash(it->env->filing, it->key->sign_pk, it->hash) < 0;
    if (bad)
        reject(it, LIANXI__REJECT_CODE__REJECT_SIGNATURE, "signature.invalid", 1,
               it->key->name);
}

/* A supplement answer is judged against its request's due date, never the
 * case's.  Returns 0, or -1 on a database error. */
static int
judge_answer(const struct intake_ctx *h, const Lianxi__Filing *f, struct judgement *j)
{
    char due_s[LX_DATE_LEN];
    lx_day due;
    int rc = oblig_due_on(h->store, oblig_parse(f->answers), due_s);

    if (rc < 0)
        return -1;
    if (rc == 0 || days_parse(due_s, &due) < 0)
        return 0;
    memcpy(j->due_on, due_s, sizeof j->due_on);
    j->on_time = judge_on_time(h->cal, due, j->judged_at, &j->late_days);
    return 0;
}

static int attachments_ready(const struct intake_ctx *h, struct intake_item *it, const char *id,
                             uint32_t revision, Lianxi__Attachment *const *att, size_t n,
                             int64_t now);

/* After a filing or an opinion with attachments att[0..n) was offered to
 * the store (rc: STORE_*, JR_REFUSED): its declarations are forgotten
 * (unless it conflicted: nothing was declared), and when it is new the
 * unit's uploads of them are dropped (its row says it holds them now).
 * Returns 0, or -1. */
static int
attachments_settle(const struct intake_ctx *h, const struct intake_item *it, const char *id,
                   uint32_t revision, Lianxi__Attachment *const *att, size_t n, int rc)
{
    if (n == 0 || rc == STORE_CONFLICT)
        return 0;
    if (attach_settled(h->attach, it->key->name, id, revision) < 0)
        return -1;
    for (size_t k = 0; rc == STORE_NEW && k < n; k++)
        attach_drop(h->attach, it->key->name, att[k]->hash.data);
    return 0;
}

/* Appends ", attachments HEX HEX…" to an audit entry's detail (as many
 * as fit): the documents named by their hashes. */
static void
detail_hashes(char *detail, size_t size, Lianxi__Attachment *const *att, size_t n)
{
    size_t dl = strlen(detail);

    for (size_t k = 0; k < n && dl + ATT_HEXLEN + 16 < size; k++) {
        char hex[ATT_HEXLEN + 1];
        att_hex(att[k]->hash.data, hex);
        dl += (size_t)snprintf(detail + dl, size - dl, "%s%s", k ? " " : ", attachments ", hex);
    }
}

/* A unit's opinion on a joint review, inside the batch's transaction:
 * its attachments held first (attachments_ready, as a filing's), then
 * stored with them and its audit entry, or refused (it->reply then says
 * so).  Returns 0, or -1 on a database error. */
static int
store_opinion(const struct intake_ctx *h, struct intake_item *it, int64_t now)
{
    Lianxi__Opinion *o = it->env->opinion;
    char rev[16], next[16], detail[160 + ATT_MAX_COUNT * (ATT_HEXLEN + 1)];
    int rc = 0;

    /* No bytes are wanted for an opinion refused whatever it carries. */
    if (o->n_attachments &&
        (rc = jointreview_opinion_check(h->store, it->key->name, o, &it->reason)) != 0) {
        if (rc < 0)
            return -1;
        reason_done(it, LIANXI__REJECT_CODE__REJECT_MALFORMED);
        return 0;
    }
    rc = attachments_ready(h, it, o->opinion_id, o->revision, o->attachments, o->n_attachments,
                           now);
    if (rc <= 0)
        return rc;      /* refused, or answered with what the hub wants */
    rc = jointreview_put_opinion(h->store, h->cal, it->key->name, it->key->user_id, o,
                                 it->hash, now, &it->receipt, it->closed, &it->reason);
    if (rc >= 0 && attachments_settle(h, it, o->opinion_id, o->revision, o->attachments,
                                      o->n_attachments, rc) < 0)
        return -1;
    switch (rc) {
    case JR_REFUSED:
        reason_done(it, LIANXI__REJECT_CODE__REJECT_MALFORMED);
        return 0;
    case STORE_CONFLICT:
        snprintf(rev, sizeof rev, "%u", o->revision);
        snprintf(next, sizeof next, "%u", o->revision + 1);
        reject(it, LIANXI__REJECT_CODE__REJECT_CONFLICT, "filing.conflict", 4, o->opinion_id,
               rev, it->receipt.receipt_no, next);
        return 0;
    case STORE_DUPLICATE:
        it->duplicate = 1;
        return 0;
    case STORE_NEW:
        if (o->n_attachments &&
            attach_record_opinion(h->attach, it->receipt.row, o->attachments,
                                  o->n_attachments) < 0)
            return -1;
        snprintf(detail, sizeof detail, "%s rev %u, %zu answers", o->opinion_id, o->revision,
                 o->n_items);
        detail_hashes(detail, sizeof detail, o->attachments, o->n_attachments);
        return audit_append(h->audit, now, it->key->user_id, "opinion", it->receipt.receipt_no,
                            detail);
    default:
        return -1;
    }
}

/* A unit's attendance reply to a meeting notice, inside the batch's
 * transaction: stored with its audit entry, or refused (it->reply then
 * says so).  Returns 0, or -1 on a database error. */
static int
store_attendance(const struct intake_ctx *h, struct intake_item *it, int64_t now)
{
    Lianxi__Attendance *a = it->env->attendance;
    char rev[16], next[16], detail[320];
    int rc = notice_put_attendance(h->store, h->cal, it->key->name, it->key->user_id, a,
                                   it->hash, now, &it->receipt, it->closed, &it->reason);

    switch (rc) {
    case NOTICE_REFUSED:
        reason_done(it, LIANXI__REJECT_CODE__REJECT_MALFORMED);
        return 0;
    case STORE_CONFLICT:
        snprintf(rev, sizeof rev, "%u", a->revision);
        snprintf(next, sizeof next, "%u", a->revision + 1);
        reject(it, LIANXI__REJECT_CODE__REJECT_CONFLICT, "filing.conflict", 4,
               a->attendance_id, rev, "-", next);
        return 0;
    case STORE_DUPLICATE:
        it->duplicate = 1;
        return 0;
    case STORE_NEW:
        snprintf(detail, sizeof detail, "%s rev %u: %s %s", a->attendance_id, a->revision,
                 a->attend ? "attends" : "does not attend", a->attendee ? a->attendee : "");
        return audit_append(h->audit, now, it->key->user_id, "attendance", a->attendance_id,
                            detail);
    default:
        return -1;
    }
}

/* A filing the hub acknowledged before a restore, offered again with its
 * receipt: stored under that receipt when the hub's signature over it
 * verifies (the unit's own signature was verified on the pool).  Returns
 * 0 (it->reply says what it is answered), or -1 on a database error. */
static int
store_reoffer(const struct intake_ctx *h, struct intake_item *it, int64_t now)
{
    Lianxi__Filing *f = it->env->filing;
    char detail[200];
    int64_t want = it->given.obligation_id;
    int rc;

    if (!h->hub_sign_pk ||
        canon_receipt_verify(it->key->name, it->outer->reoffer->receipt, it->hash,
                             h->hub_sign_pk) < 0) {
        reject(it, LIANXI__REJECT_CODE__REJECT_SIGNATURE, "reoffer.receipt", 0);
        return 0;
    }
    rc = store_put_filing_as(h->store, it->key->name, it->key->user_id, f, it->hash, &it->given,
                             &it->receipt);
    if (rc < 0)
        return -1;
    switch (rc) {
    case STORE_TAKEN:
        log_warnx(_("%s offered %s again with receipt %s, which another filing holds"),
                  it->key->name, f->filing_id, it->given.receipt_no);
        reject(it, LIANXI__REJECT_CODE__REJECT_CONFLICT, "reoffer.taken", 1,
               it->given.receipt_no);
        return 0;
    case STORE_CONFLICT: {
        char rev[16], next[16];
        snprintf(rev, sizeof rev, "%u", f->revision);
        snprintf(next, sizeof next, "%u", f->revision + 1);
        reject(it, LIANXI__REJECT_CODE__REJECT_CONFLICT, "filing.conflict", 4, f->filing_id, rev,
               it->receipt.receipt_no, next);
        return 0;
    }
    case STORE_DUPLICATE:
        it->duplicate = 1;
        return 0;
    default:
        break;
    }
    it->duplicate = 1;          /* the original receipt, given back */
    it->receipt.obligation_id = want;
    /* Its documents are named as signed (their bytes are kept apart from
     * the database: what a restore brings back of them is the backup's). */
    if (f->n_attachments && h->attach &&
        attach_record_filing(h->attach, it->receipt.row, f->attachments, f->n_attachments) < 0)
        return -1;
    if (oblig_on_filing(h->store, h->cal, it->key->name, f, &it->receipt, it->opened,
                        it->closed) < 0)
        return -1;
    snprintf(detail, sizeof detail, "%s rev %u, offered again after a restore", f->filing_id,
             f->revision);
    return audit_append(h->audit, now, it->key->user_id, "file:restored",
                        it->receipt.receipt_no, detail);
}

/* The restores a ReconcileReply names, in one allocation freed through
 * its first member (the reply's restores array). */
struct proofbox {
    Lianxi__RestoreProof *ptr[INTAKE_RESTORES];
    Lianxi__RestoreProof wire[INTAKE_RESTORES];
    struct restore_proof all[INTAKE_RESTORES];
};

/* What one side holds of one year of a unit's receipt numbers. */
struct yearsum {
    int year;
    uint64_t count;
    crypto_generichash_state st;
    char highest[24];
    int differs;
};

struct recon {
    struct yearsum ys[64];
    size_t n;
    const Lianxi__Reconcile *req;
    size_t listed;              /* numbers listed in the answer so far */
    int pass;                   /* 0: sum up, 1: list the years that differ */
    Lianxi__ReconcileReply *out;
    int truncated, failed;
};

static struct yearsum *
year_of(struct recon *r, int year, int add)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->ys[i].year == year)
            return &r->ys[i];
    if (!add || r->n == sizeof r->ys / sizeof r->ys[0])
        return NULL;
    memset(&r->ys[r->n], 0, sizeof r->ys[r->n]);
    r->ys[r->n].year = year;
    crypto_generichash_init(&r->ys[r->n].st, NULL, 0, 32);
    return &r->ys[r->n++];
}

static Lianxi__ReconcileYear *
answer_year(struct recon *r, int year)
{
    Lianxi__ReconcileYear *y;
    void *p;

    for (size_t i = 0; i < r->out->n_years; i++)
        if (r->out->years[i]->year == year)
            return r->out->years[i];
    if (!(y = calloc(1, sizeof *y)) ||
        !(p = realloc(r->out->years, (r->out->n_years + 1) * sizeof *r->out->years))) {
        free(y);
        return NULL;
    }
    lianxi__reconcile_year__init(y);
    y->year = year;
    r->out->years = p;
    r->out->years[r->out->n_years++] = y;
    return y;
}

static int
one_receipt(void *arg, const char *no)
{
    struct recon *r = arg;
    int year;
    struct yearsum *y;

    if (!no || sscanf(no, "%4d-", &year) != 1)
        return 0;
    if (r->pass == 0) {
        if (!(y = year_of(r, year, 1)))
            return 0;
        y->count++;
        crypto_generichash_update(&y->st, (const unsigned char *)no, strlen(no));
        crypto_generichash_update(&y->st, (const unsigned char *)"\n", 1);
        snprintf(y->highest, sizeof y->highest, "%s", no);
        return 0;
    }
    if (!(y = year_of(r, year, 0)) || !y->differs)
        return 0;
    if (r->listed >= INTAKE_RECONCILE_MAX) {
        r->truncated = 1;
        return -1;
    }
    {
        Lianxi__ReconcileYear *a = answer_year(r, year);
        char **p;
        if (!a || !(p = realloc(a->held, (a->n_held + 1) * sizeof *a->held)) ||
            !(p[a->n_held] = strdup(no))) {
            if (a && p)
                a->held = p;
            r->failed = 1;
            return -1;
        }
        a->held = p;
        a->n_held++;
        r->listed++;
    }
    return 0;
}

/* A unit's description of the receipts it holds, compared with what the
 * hub holds of it: the years that differ are answered with every number
 * the hub holds in them, so that the unit offers again what is missing.
 * After a restore, its highest numbers raise the hub's counters.  Returns
 * 0, or -1 on a database error. */
static int
reconcile(const struct intake_ctx *h, struct intake_item *it)
{
    const Lianxi__Reconcile *req = it->env->reconcile;
    struct recon *r = calloc(1, sizeof *r);
    char note[64];
    int restored, rc = -1;

    if (!r || !(r->out = calloc(1, sizeof *r->out)))
        goto out;
    lianxi__reconcile_reply__init(r->out);
    it->recon = r->out;         /* owned by the item from here on */
    r->req = req;
    if (store_unit_receipts(h->store, it->key->name, one_receipt, r) < 0)
        goto out;
    /* Which years differ: in one side only, or with another count or digest. */
    for (size_t i = 0; i < req->n_years; i++) {
        const Lianxi__ReconcileYear *u = req->years[i];
        struct yearsum *y = year_of(r, u->year, 1);
        uint8_t d[32];
        if (!y)
            continue;
        if (y->count == 0) {
            y->differs = u->count > 0;
        } else {
            crypto_generichash_state copy = y->st;
            crypto_generichash_final(&copy, d, sizeof d);
            y->differs = y->count != u->count || u->digest.len != sizeof d ||
                         memcmp(u->digest.data, d, sizeof d) != 0;
        }
        /* A year with nothing listed still says that it differs. */
        if (y->differs && !answer_year(r, u->year))
            goto out;
    }
    r->pass = 1;
    if (store_unit_receipts(h->store, it->key->name, one_receipt, r) < 0 || r->failed)
        goto out;
    r->out->truncated = r->truncated;
    /* After a restore (in the last RECONCILE_FLOOR_DAYS days), the numbers
     * the unit was given for what the hub itself sent (supplement requests'
     * OB-N, message ids) are not handed out again.  The unit's word is not
     * signed, so a floor moves at most RESTORE_FLOOR_STEP above what the
     * hub holds.
     * (Receipt numbers need no word: each filing offered again raises its
     * year's counter to its signed number.) */
    if ((restored = store_get_note(h->store, "restored", note, sizeof note)) < 0)
        goto out;
    if (restored && clock_now() - atoll(note) < RECONCILE_FLOOR_DAYS * 86400LL) {
        struct store_facts f;
        if (store_facts(h->store, &f) < 0)
            goto out;
        if ((req->highest_obligation > (uint64_t)f.max_obligation &&
             req->highest_obligation <= (uint64_t)f.held_obligation + RESTORE_FLOOR_STEP &&
             store_raise_id_floor(h->store, "obligation", (int64_t)req->highest_obligation) < 0) ||
            (req->highest_message > (uint64_t)f.max_message &&
             req->highest_message <= (uint64_t)f.held_message + RESTORE_FLOOR_STEP &&
             store_raise_id_floor(h->store, "message", (int64_t)req->highest_message) < 0))
            goto out;
    }
    /* The hub's latest restores, signed: a unit holding a checkpoint of
     * the trail one replaced sees why the hub's trail is shorter. */
    {
        struct proofbox *box = calloc(1, sizeof *box);
        int np;
        if (!box)
            goto out;
        r->out->restores = box->ptr;    /* freed through it: ptr is box's first member */
        np = h->hub_sign_pk ? audit_restores(h->store, h->hub_sign_pk, box->all,
                                             INTAKE_RESTORES) : 0;
        if (np < 0)
            goto out;
        for (int i = 0; i < np; i++) {
            witness_restore_to_wire(&box->all[i], &box->wire[i]);
            box->ptr[i] = &box->wire[i];
        }
        r->out->n_restores = (size_t)np;
    }
    if (r->out->n_years)
        log_info(_("%s holds receipts the hub does not (after a restore?): %zu year(s) "
                   "compared, the unit offers them again"), it->key->name, r->out->n_years);
    rc = 0;
out:
    free(r);
    return rc;
}

static int
summary_entry(void *arg, const char *user_id, long counted, int64_t since)
{
    const struct intake_ctx *h = arg;
    char when[20], detail[160];

    days_time_format(since, when);
    snprintf(detail, sizeof detail, "%ld more messages refused since %s", counted, when);
    log_info("%s: %s", user_id, detail);
    return audit_append(h->audit, clock_now(), user_id, "reject:repeated", user_id, detail);
}

int
intake_record_refusals(const struct intake_ctx *h, int64_t now, int all)
{
    if (!h->refusals || !refusals_pending(h->refusals))
        return 0;
    if (store_begin(h->store) < 0 ||
        refusals_flush(h->refusals, now, all, summary_entry, (void *)h) < 0 ||
        store_commit(h->store) < 0) {
        store_rollback(h->store);
        return -1;
    }
    refusals_clear(h->refusals, now, all);
    return 0;
}

/* attach_forget's callback: each filing of the unit that waited for an
 * attachment whose bytes were refused is refused in turn. */
struct forgetting {
    struct intake_item *it;     /* the chunk (or filing) that found it */
    enum attach_result why;
    const char *media;
    const char *skip_id;        /* a filing refused on its own already */
    uint32_t skip_rev;
};

static void
refuse_waiting(void *arg, const char *filing_id, uint32_t revision, const char *name)
{
    struct forgetting *fg = arg;
    struct intake_item *it = fg->it;
    struct intake_refused *x, *p;

    if (fg->skip_id && strcmp(fg->skip_id, filing_id) == 0 && fg->skip_rev == revision)
        return;
    if (!(p = realloc(it->refused, (it->nrefused + 1) * sizeof *p)))
        return;         /* (the unit is told when it sends the filing again) */
    it->refused = p;
    x = &p[it->nrefused++];
    memset(x, 0, sizeof *x);
    snprintf(x->filing_id, sizeof x->filing_id, "%s", filing_id);
    x->revision = revision;
    x->code = LIANXI__REJECT_CODE__REJECT_ATTACHMENT;
    if (fg->why == ATTACH_CONTENT)
        reasons_set(&x->reason, "attachment.content", 2, name, att_type_label(fg->media));
    else
        reasons_set(&x->reason, "attachment.hash", 1, name);
    if (reasons_render(&x->reason, x->detail, sizeof x->detail) < 0)
        snprintf(x->detail, sizeof x->detail, "%s", x->reason.key);
    text_utf8_fix(x->detail);
}

/* Records each filing refused with a chunk as any rejection is recorded. */
static int
record_refused(const struct intake_ctx *h, struct intake_item *it, int64_t now)
{
    for (size_t i = 0; i < it->nrefused; i++) {
        struct intake_refused *x = &it->refused[i];
        int quiet = h->refusals && !refusals_note(h->refusals, it->key->user_id, now);
        if (store_put_rejection(h->store, now, it->key->name, it->key->user_id, x->filing_id,
                                x->revision, x->code, x->detail) < 0 ||
            (!quiet && audit_append(h->audit, now, it->key->user_id, "reject", x->filing_id,
                                    "attachment") < 0))
            return -1;
    }
    return 0;
}

/* Whether an upload whole that does not hash to hash (deleted by the check)
 * was held since before the hub's restart: bytes lost to a power cut,
 * perhaps (they are synced only when whole), so it is asked again from its
 * first byte, once, rather than refused (attach_resumed_once). */
static int
damaged_before_restart(const struct intake_ctx *h, const struct intake_item *it,
                       const uint8_t hash[ATT_HASHLEN])
{
    char hex[ATT_HEXLEN + 1];

    if (!attach_resumed_once(h->attach, it->key->name, hash))
        return 0;
    att_hex(hash, hex);
    log_warnx(_("%s: the attachment %s held since before the hub's restart does not "
                "hash to what was signed (damaged by a power cut?): asked again from "
                "its first byte"), it->key->name, hex);
    return 1;
}

/* One AttachmentChunk: written when the unit declared its hash and it
 * begins where the bytes held end; whole, checked and stored.  The item
 * is answered with the offset wanted next (REPLY_WANT).  Returns 0, or -1
 * on a database error. */
static int
take_chunk(const struct intake_ctx *h, struct intake_item *it, int64_t now)
{
    const Lianxi__AttachmentChunk *c = it->env->attachment_chunk;
    struct intake_want *w = &it->want[0];
    char media[96];
    uint64_t size = 0;
    int64_t held;
    int rc, stored;

    it->reply = REPLY_WANT;
    it->want_filing = 0;
    it->nwant = 1;
    memset(w, 0, sizeof *w);
    memcpy(w->hash, c->hash.data, ATT_HASHLEN);
    if (!h->attach) {
        w->refused = 1;
        return 0;
    }
    if ((stored = attach_have(h->attach, w->hash)) < 0)
        return -1;
    /* Stored already and this unit has shown it holds the bytes (sent
     * twice, or by another filing): it need not send them.  Stored from
     * another unit only, they are sent and checked all the same. */
    if (stored == 1 && (rc = attach_possessed(h->attach, it->key->name, w->hash)) != 0) {
        if (rc < 0)
            return -1;
        w->offset = c->size;
        return 0;
    }
    if ((rc = attach_declared(h->attach, it->key->name, w->hash, &size, media,
                              sizeof media)) < 0)
        return -1;
    if (rc == 0) {
        w->refused = 1;
        return 0;
    }
    held = attach_write(h->attach, it->key->name, w->hash, size, c->offset, c->data.data,
                        c->data.len);
    if (held < 0) {             /* an I/O error: the unit sends it again */
        w->offset = attach_partial(h->attach, it->key->name, w->hash);
        return 0;
    }
    w->offset = (uint64_t)held;
    if ((uint64_t)held < size || c->offset + c->data.len != (uint64_t)held)
        return 0;           /* (not whole, or not whole with this chunk: checked once) */
    {
        enum attach_result r = stored ? attach_prove(h->attach, it->key->name, w->hash, size)
                                      : attach_finish(h->attach, it->key->name, w->hash, size,
                                                      media, now);
        char hex[ATT_HEXLEN + 1];
        att_hex(w->hash, hex);
        if (r == ATTACH_OK) {
            log_info("%s: attachment %s stored whole (%llu bytes)", it->key->name, hex,
                     (unsigned long long)size);
            return 0;
        }
        if (r == ATTACH_MISMATCH && damaged_before_restart(h, it, w->hash)) {
            w->offset = 0;
            return 0;
        }
        if (r == ATTACH_MISMATCH || r == ATTACH_CONTENT) {
            struct forgetting fg = { it, r, media, NULL, 0 };
            log_info("%s: attachment %s refused: %s", it->key->name, hex,
                     r == ATTACH_CONTENT ? "not of its type" : "does not hash to what was signed");
            w->offset = 0;
            w->refused = 1;
            if (attach_forget(h->attach, it->key->name, w->hash, refuse_waiting, &fg) < 0)
                return -1;
            return record_refused(h, it, now);
        }
    }
    /* Short, or an I/O error: the filing sent again tries again. */
    return 0;
}

/* Whether the item (a filing, or an opinion) is stored under its id and
 * revision: STORE_NEW when not, STORE_DUPLICATE, STORE_CONFLICT, or -1. */
static int
item_held(const struct intake_ctx *h, const struct intake_item *it)
{
    if (it->env->body_case == LIANXI__ENVELOPE__BODY_OPINION)
        return jointreview_opinion_held(h->store, it->key->name, it->env->opinion, it->hash);
    return store_filing_held(h->store, it->key->name, it->env->filing, it->hash);
}

/* A filing's (or an opinion's: id and revision are opinion_id's) list of
 * attachments att[0..n): checked against the hub's limits, then whether
 * the hub holds each whole (an upload held whole but not yet checked, as
 * after a restart, is checked now).  Returns 1 when every one is held
 * (store the filing or opinion), 0 when the item is answered otherwise (a
 * rejection, or an AttachmentWant naming id after declaring what is
 * missing under id/revision), -1 on a database error. */
static int
attachments_ready(const struct intake_ctx *h, struct intake_item *it, const char *id,
                  uint32_t revision, Lianxi__Attachment *const *att, size_t n, int64_t now)
{
    struct att_limits lim = h->att_limits;
    const Lianxi__Attachment *want_of[ATT_MAX_COUNT];
    size_t missing = 0;

    if (n == 0)
        return 1;
    if (lim.max_each == 0)
        lim = (struct att_limits)ATT_LIMITS_DEFAULT;
    if (!h->attach) {
        reject(it, LIANXI__REJECT_CODE__REJECT_INTERNAL, "hub.internal", 0);
        return 0;
    }
    it->code = att_check_list(att, n, &lim, &it->reason);
    if (it->code != LIANXI__REJECT_CODE__REJECT_NONE) {
        reason_done(it, it->code);
        return 0;
    }
    /* Other content under its id and revision: refused as a conflict,
     * without asking for any bytes. */
    {
        int held = item_held(h, it);
        if (held < 0)
            return -1;
        if (held == STORE_CONFLICT)
            return 1;
    }
    for (size_t i = 0; i < n; i++) {
        const Lianxi__Attachment *a = att[i];
        int rc = attach_have(h->attach, a->hash.data), stored = rc;
        uint64_t held;
        if (rc < 0)
            return -1;
        /* Held, and this unit has shown it holds them too (attach.h:
         * attach_possessed). */
        if (rc == 1 && (rc = attach_possessed(h->attach, it->key->name, a->hash.data)) != 0) {
            if (rc < 0)
                return -1;
            continue;
        }
        held = attach_partial(h->attach, it->key->name, a->hash.data);
        if (held == a->size) {
            enum attach_result r = stored ? attach_prove(h->attach, it->key->name, a->hash.data,
                                                         a->size)
                                          : attach_finish(h->attach, it->key->name,
                                                          a->hash.data, a->size, a->media_type,
                                                          now);
            if (r == ATTACH_OK)
                continue;
            if (r == ATTACH_MISMATCH && damaged_before_restart(h, it, a->hash.data))
                r = ATTACH_SHORT;       /* (deleted: wanted from its first byte) */
            if (r == ATTACH_MISMATCH || r == ATTACH_CONTENT) {
                struct forgetting fg = { it, r, a->media_type, id, revision };
                if (r == ATTACH_CONTENT)
                    reject(it, LIANXI__REJECT_CODE__REJECT_ATTACHMENT, "attachment.content", 2,
                           a->name, att_type_label(a->media_type));
                else
                    reject(it, LIANXI__REJECT_CODE__REJECT_ATTACHMENT, "attachment.hash", 1,
                           a->name);
                if (attach_forget(h->attach, it->key->name, a->hash.data, refuse_waiting,
                                  &fg) < 0 || record_refused(h, it, now) < 0)
                    return -1;
                return 0;
            }
            if (r == ATTACH_IO) {
                reject(it, LIANXI__REJECT_CODE__REJECT_INTERNAL, "hub.internal", 0);
                return 0;
            }
            held = attach_partial(h->attach, it->key->name, a->hash.data);
        }
        memset(&it->want[missing], 0, sizeof it->want[missing]);
        memcpy(it->want[missing].hash, a->hash.data, ATT_HASHLEN);
        it->want[missing].offset = held <= a->size ? held : 0;
        want_of[missing++] = a;
    }
    if (missing == 0)
        return 1;
    /* What the unit may have outstanding is bounded: the uploads it
     * declared and has not finished, with this filing's new ones.  Over
     * it, the filing waits (retried by the adapter) until earlier ones
     * arrive or are forgotten (attach_sweep). */
    {
        uint64_t pending = 0, adding = 0, cap = h->att_max_pending ? h->att_max_pending
                                                                   : ATT_DEFAULT_MAX_PENDING;
        long rows = 0, new_rows = 0;
        char media[96];
        for (size_t i = 0; i < missing; i++) {
            uint64_t sz;
            int rc = attach_declared(h->attach, it->key->name, want_of[i]->hash.data, &sz,
                                     media, sizeof media);
            if (rc < 0)
                return -1;
            if (rc == 0)
                adding += want_of[i]->size;
            if (rc == 1 && (rc = attach_declared_by(h->attach, it->key->name, id,
                                                    revision, want_of[i]->hash.data)) < 0)
                return -1;
            new_rows += rc == 0;
        }
        if (attach_pending(h->attach, it->key->name, &pending, &rows) < 0)
            return -1;
        /* (Many small documents, or one under many filing ids: the rows
         * are bounded too.) */
        if (new_rows > 0 && rows + new_rows > ATT_MAX_DECLARATIONS) {
            char have[32], max[32];
            snprintf(have, sizeof have, "%ld", rows);
            snprintf(max, sizeof max, "%d", ATT_MAX_DECLARATIONS);
            it->nwant = 0;
            reject(it, LIANXI__REJECT_CODE__REJECT_INTERNAL, "attachment.pending_count", 2,
                   have, max);
            return 0;
        }
        if (adding > 0) {
            if (pending + adding > cap) {
                char have[32], max[32];
                snprintf(have, sizeof have, "%.1f", (double)pending / 1e6);
                snprintf(max, sizeof max, "%.1f", (double)cap / 1e6);
                it->nwant = 0;
                reject(it, LIANXI__REJECT_CODE__REJECT_INTERNAL, "attachment.pending", 2, have,
                       max);
                return 0;
            }
        }
    }
    for (size_t i = 0; i < missing; i++)
        if (attach_declare(h->attach, it->key->name, id, revision, want_of[i],
                           now) < 0)
            return -1;
    it->reply = REPLY_WANT;
    it->want_filing = 1;
    it->nwant = missing;
    return 0;
}

int
intake_store(const struct intake_ctx *h, struct intake_item *batch, size_t n, int64_t now)
{
    store_t *db = h->store;

    if (store_begin(h->store) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct intake_item *it = &batch[i];
        struct judgement j;
        Lianxi__Filing *f;
        int rc;

        if (it->reply == REPLY_ACK) {
            if (oblig_mark_acked(db, it->key->name, (int64_t)it->env->hub_message_ack->id,
                                 now) < 0)
                goto err;
            it->reply = REPLY_NONE;
        }
        if (it->reply == REPLY_RECEIPT &&
            it->env->body_case == LIANXI__ENVELOPE__BODY_OPINION) {
            if (store_opinion(h, it, now) < 0)
                goto err;
        } else if (it->reply == REPLY_RECEIPT &&
                   it->env->body_case == LIANXI__ENVELOPE__BODY_ATTENDANCE) {
            if (store_attendance(h, it, now) < 0)
                goto err;
        } else if (it->reply == REPLY_RECEIPT && it->reoffer) {
            if (store_reoffer(h, it, now) < 0)
                goto err;
        } else if (it->reply == REPLY_RECONCILE) {
            if (reconcile(h, it) < 0)
                goto err;
        } else if (it->reply == REPLY_CHUNK) {
            if (take_chunk(h, it, now) < 0)
                goto err;
        } else if (it->reply == REPLY_RECEIPT) {
            f = it->env->filing;
            rc = oblig_check_answer(db, it->key->name, f, &it->reason);
            if (rc < 0)
                goto err;
            if (rc > 0) {
                reason_done(it, LIANXI__REJECT_CODE__REJECT_MALFORMED);
                goto rejected;
            }
            if ((rc = attachments_ready(h, it, f->filing_id, f->revision, f->attachments,
                                        f->n_attachments, now)) < 0)
                goto err;
            if (rc == 0)
                goto rejected;  /* refused, or answered with what the hub wants */
            judge_filing(h->cal, f->learned_on, now,
                         judge_time_rule(h->down, h->cal, f->learned_on, f->queued_at, now), &j);
            if (f->stage == LIANXI__STAGE__STAGE_SUPPLEMENT && f->answers && *f->answers &&
                judge_answer(h, f, &j) < 0)
                goto err;
            /* An amended report never changes timeliness: it is answered
             * with the judgement of the report as first received.  (An
             * amended notice keeps its own: it moves its obligation's due
             * date; an answer is judged against its request.) */
            if (f->revision > 1 && f->stage == LIANXI__STAGE__STAGE_REPORT &&
                store_first_judgement(h->store, it->key->name, f->filing_id, &j) < 0)
                goto err;
            rc = store_put_filing(h->store, it->key->name, it->key->user_id, f, it->hash, &j,
                                  &it->receipt);
            if (rc < 0)
                goto err;
            if (rc == STORE_CONFLICT) {
                char rev[16], next[16];
                snprintf(rev, sizeof rev, "%u", f->revision);
                snprintf(next, sizeof next, "%u", f->revision + 1);
                reject(it, LIANXI__REJECT_CODE__REJECT_CONFLICT, "filing.conflict", 4,
                       f->filing_id, rev, it->receipt.receipt_no, next);
            }
            it->duplicate = rc == STORE_DUPLICATE;
            /* (Its marks that the unit sent them go: the filing says so now.) */
            if (attachments_settle(h, it, f->filing_id, f->revision, f->attachments,
                                   f->n_attachments, rc) < 0)
                goto err;
            if (rc == STORE_NEW) {
                char detail[160 + ATT_MAX_COUNT * (ATT_HEXLEN + 1)];
                if (oblig_on_filing(db, h->cal, it->key->name, f, &it->receipt, it->opened,
                                    it->closed) < 0)
                    goto err;
                if (f->n_attachments &&
                    attach_record_filing(h->attach, it->receipt.row, f->attachments,
                                         f->n_attachments) < 0)
                    goto err;
                snprintf(detail, sizeof detail, "%s rev %u", f->filing_id, f->revision);
                /* The audit entry names the documents by their hashes. */
                detail_hashes(detail, sizeof detail, f->attachments, f->n_attachments);
                if (audit_append(h->audit, now, it->key->user_id, "file",
                                 it->receipt.receipt_no, detail) < 0)
                    goto err;
            }
        }
    rejected:
        if (it->reply == REPLY_REJECTION && it->key) {
            const char *rid;
            uint32_t rrev;
            /* Every rejection has its row; the audit trail gets the first of
             * a key's minute, and a summary of the rest (refusals.h). */
            intake_item_id(it, &rid, &rrev);
            it->quiet = h->refusals && !refusals_note(h->refusals, it->key->user_id, now);
            if (store_put_rejection(h->store, now, it->key->name, it->key->user_id,
                                    rid ? rid : "", rrev, it->code, it->detail) < 0 ||
                (!it->quiet &&
                 audit_append(h->audit, now, it->key->user_id, "reject", rid ? rid : "",
                              validate_code_name(it->code)) < 0))
                goto err;
        }
    }
    if (store_commit(h->store) < 0)
        goto err;
    return 0;
err:
    store_rollback(h->store);
    return -1;
}

