/* intake.c — the adapters' messages without the sockets: decode and check,
 * verify, store a batch in one transaction, decide each answer. */
#include "intake.h"
#include "clock.h"
#include "log.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void
reject(struct intake_item *it, Lianxi__RejectCode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
reject(struct intake_item *it, Lianxi__RejectCode code, const char *fmt, ...)
{
    va_list ap;

    it->code = code;
    it->reply = REPLY_REJECTION;
    va_start(ap, fmt);
    vsnprintf(it->detail, sizeof it->detail, fmt, ap);
    va_end(ap);
    /* What the unit sent may be echoed, and the sentence may be cut: the
     * answer is valid UTF-8 whatever came in. */
    text_utf8_fix(it->detail);
}

void
intake_parse(struct intake_item *it, const struct key_entry *key, const void *data, size_t len,
             int nframes, const categories_t *cats, int64_t now)
{
    const char *why;

    it->key = key;
    /* Decoded first, so that even a refusal of the key names the filing. */
    it->env = nframes == 2 ? wire_decode_as(data, len, INTAKE_UNIT_BODIES, &it->mem, &why)
                           : NULL;
    it->mem += len;
    if (!it->key || it->key->kind != KEY_UNIT) {
        reject(it, LIANXI__REJECT_CODE__REJECT_UNAUTHORIZED,
               "this adapter's key is no longer authorized by the hub (revoked): ask the "
               "organization department to install your unit's current key");
        return;
    }
    if (nframes != 2) {
        reject(it, LIANXI__REJECT_CODE__REJECT_MALFORMED,
               "a message must be one frame holding one lianxi Envelope");
        return;
    }
    if (len > LX_MAX_MSG) {
        reject(it, LIANXI__REJECT_CODE__REJECT_TOO_LARGE, "the message is %zu bytes, over the "
               "limit of %d: shorten the filing's texts", len, LX_MAX_MSG);
        return;
    }
    if (!it->env) {
        reject(it, LIANXI__REJECT_CODE__REJECT_MALFORMED, "%s", why);
        return;
    }
    /* Versions 1 and 2 (an adapter of the previous release); a real-name
     * filing only in 2. */
    it->code = wire_check_version(it->env, it->detail, sizeof it->detail);
    if (it->code != LIANXI__REJECT_CODE__REJECT_NONE) {
        it->reply = REPLY_REJECTION;
        return;
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
        it->code = validate_filing(cats, it->key->name, f, now, it->detail, sizeof it->detail);
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
}

/* Runs on the pool: the expensive part of each filing. */
void
intake_verify(void *items, size_t i)
{
    struct intake_item *it = &((struct intake_item *)items)[i];
    Lianxi__Filing *f;

    if (it->reply != REPLY_RECEIPT)
        return;
    f = it->env->filing;
    if (canon_verify_hash(f, it->key->sign_pk, it->hash) < 0)
        reject(it, LIANXI__REJECT_CODE__REJECT_SIGNATURE,
               "the filing's signature does not verify with unit %s's signing key: it was "
               "altered after signing or signed with another key", it->key->name);
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
        if (it->reply == REPLY_RECEIPT) {
            f = it->env->filing;
            rc = oblig_check_answer(db, it->key->name, f, it->detail, sizeof it->detail);
            if (rc < 0)
                goto err;
            if (rc > 0) {
                /* The detail is already written. */
                it->code = LIANXI__REJECT_CODE__REJECT_MALFORMED;
                it->reply = REPLY_REJECTION;
                goto rejected;
            }
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
            /* Every rejection has its row; the audit trail gets the first of
             * a key's minute, and a summary of the rest (refusals.h). */
            it->quiet = h->refusals && !refusals_note(h->refusals, it->key->user_id, now);
            if (store_put_rejection(h->store, now, it->key->name, it->key->user_id,
                                    rf && rf->filing_id ? rf->filing_id : "",
                                    rf ? rf->revision : 0, it->code, it->detail) < 0 ||
                (!it->quiet &&
                 audit_append(h->audit, now, it->key->user_id, "reject",
                              rf && rf->filing_id ? rf->filing_id : "",
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

