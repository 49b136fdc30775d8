/* audit.c — the hash-chained audit trail and its signed checkpoints. */
#include "audit.h"
#include "days.h"
#include "i18n.h"
#include "log.h"
#include "store.h"
#include "witness.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct audit {
    store_t *store;
    uint64_t seq;                   /* the last entry's number */
    uint8_t head[AUDIT_HASHLEN];    /* the last entry's hash (zero before the first) */
    uint64_t checkpointed;          /* seq of the last checkpoint */
    struct witness latest;          /* the last checkpoint (seq 0: none yet) */
    char witness_path[4096];        /* the hub's own copy of it, outside the database */
    int tainted;                    /* the trail no longer holds that copy */
    uint64_t saved_seq;             /* the checkpoint that copy holds */
    struct witness own;             /* that copy as the hub found it at start */
};

static void
put_u64(crypto_generichash_state *st, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
    crypto_generichash_update(st, b, 8);
}

static void
put_str(crypto_generichash_state *st, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_u64(st, n);
    if (n)
        crypto_generichash_update(st, (const uint8_t *)s, n);
}

/* hash = BLAKE2b-256(prev, seq, at, actor, action, object, detail), each
 * string with its length before it. */
static void
entry_hash(const uint8_t prev[AUDIT_HASHLEN], uint64_t seq, int64_t at, const char *actor,
           const char *action, const char *object, const char *detail,
           uint8_t out[AUDIT_HASHLEN])
{
    crypto_generichash_state st;

    crypto_generichash_init(&st, (const uint8_t *)"lianxi-audit-v1", 15, AUDIT_HASHLEN);
    crypto_generichash_update(&st, prev, AUDIT_HASHLEN);
    put_u64(&st, seq);
    put_u64(&st, (uint64_t)at);
    put_str(&st, actor);
    put_str(&st, action);
    put_str(&st, object);
    put_str(&st, detail);
    crypto_generichash_final(&st, out, AUDIT_HASHLEN);
}

/* Reads the head of the chain and the last checkpoint from the database:
 * at start, and after every rollback (what was not committed is gone). */
static int
reload(audit_t *self)
{
    sqlite3_stmt *st;
    int rc;

    self->seq = 0;
    memset(self->head, 0, sizeof self->head);
    if (!(st = store_stmt(self->store, "SELECT seq, hash FROM audit_log ORDER BY seq DESC"
                                       " LIMIT 1")))
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == AUDIT_HASHLEN) {
        self->seq = (uint64_t)sqlite3_column_int64(st, 0);
        memcpy(self->head, sqlite3_column_blob(st, 1), AUDIT_HASHLEN);
    }
    store_done(st);
    self->checkpointed = 0;
    memset(&self->latest, 0, sizeof self->latest);
    if (!(st = store_stmt(self->store, "SELECT seq, head, signature, at FROM audit_checkpoints"
                                       " ORDER BY seq DESC LIMIT 1")))
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        self->checkpointed = (uint64_t)sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == WITNESS_HASHLEN &&
            sqlite3_column_bytes(st, 2) == WITNESS_SIGLEN) {
            self->latest.seq = self->checkpointed;
            memcpy(self->latest.head, sqlite3_column_blob(st, 1), WITNESS_HASHLEN);
            memcpy(self->latest.sig, sqlite3_column_blob(st, 2), WITNESS_SIGLEN);
            self->latest.at = sqlite3_column_int64(st, 3);
        }
    }
    store_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static void
on_rollback(void *arg)
{
    reload(arg);
}

audit_t *
audit_new(store_t *store)
{
    audit_t *self = calloc(1, sizeof *self);

    if (!self)
        return NULL;
    self->store = store;
    if (reload(self) < 0 || store_on_rollback(store, on_rollback, self) < 0) {
        log_warnx("audit trail: %s", store_errmsg(store));
        audit_destroy(&self);
    }
    return self;
}

void
audit_destroy(audit_t **self_p)
{
    if (!*self_p)
        return;
    store_off_rollback((*self_p)->store, on_rollback, *self_p);
    free(*self_p);
    *self_p = NULL;
}

int
audit_append(audit_t *self, int64_t at, const char *actor, const char *action,
             const char *object, const char *detail)
{
    uint8_t hash[AUDIT_HASHLEN];
    sqlite3_stmt *st = store_stmt(self->store, "INSERT INTO audit_log(seq, at, actor, action,"
                                               " object, detail, prev, hash)"
                                               " VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
    uint64_t seq = self->seq + 1;
    int rc;

    if (!st)
        return -1;
    entry_hash(self->head, seq, at, actor, action, object, detail, hash);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_text(st, 3, actor ? actor : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, action ? action : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, object ? object : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, detail ? detail : "", -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 7, self->head, AUDIT_HASHLEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 8, hash, AUDIT_HASHLEN, SQLITE_STATIC);
    rc = sqlite3_step(st);
    store_done(st);
    if (rc != SQLITE_DONE) {
        log_warnx("audit trail: %s", store_errmsg(self->store));
        return -1;
    }
    self->seq = seq;
    memcpy(self->head, hash, AUDIT_HASHLEN);
    return 0;
}

uint64_t
audit_head(const audit_t *self, uint8_t head[AUDIT_HASHLEN])
{
    memcpy(head, self->head, AUDIT_HASHLEN);
    return self->seq;
}

#define RESTORE_TAG "lianxi-restore-v1"
#define RESTORE_MSG_LEN (sizeof RESTORE_TAG - 1 + 8 + AUDIT_HASHLEN + 8 + AUDIT_HASHLEN + 8)
#define MAX_RESTORES 32

/* What a restore's entry signs. */
static void
restore_message(uint64_t seq, const uint8_t head[AUDIT_HASHLEN], uint64_t before_seq,
                const uint8_t before_head[AUDIT_HASHLEN], int64_t at, uint8_t out[RESTORE_MSG_LEN])
{
    uint8_t *p = out;

    memcpy(p, RESTORE_TAG, sizeof RESTORE_TAG - 1);
    p += sizeof RESTORE_TAG - 1;
    for (int i = 0; i < 8; i++)
        *p++ = (uint8_t)(seq >> (56 - 8 * i));
    memcpy(p, head, AUDIT_HASHLEN);
    p += AUDIT_HASHLEN;
    for (int i = 0; i < 8; i++)
        *p++ = (uint8_t)(before_seq >> (56 - 8 * i));
    memcpy(p, before_head, AUDIT_HASHLEN);
    p += AUDIT_HASHLEN;
    for (int i = 0; i < 8; i++)
        *p++ = (uint8_t)((uint64_t)at >> (56 - 8 * i));
}

int
audit_append_restore(audit_t *self, const uint8_t sk[64], int64_t at, const char *actor,
                     const char *backup, uint64_t before_seq, const uint8_t *before_head)
{
    uint8_t zero[AUDIT_HASHLEN] = { 0 }, msg[RESTORE_MSG_LEN], sig[64];
    char h1[2 * AUDIT_HASHLEN + 1], h2[2 * AUDIT_HASHLEN + 1], hs[2 * 64 + 1], detail[400];

    if (!before_head)
        before_head = zero;
    restore_message(self->seq, self->head, before_seq, before_head, at, msg);
    crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
    sodium_bin2hex(h1, sizeof h1, self->head, AUDIT_HASHLEN);
    sodium_bin2hex(h2, sizeof h2, before_head, AUDIT_HASHLEN);
    sodium_bin2hex(hs, sizeof hs, sig, sizeof sig);
    snprintf(detail, sizeof detail, "from=%llu:%s before=%llu:%s sig=%s",
             (unsigned long long)self->seq, h1, (unsigned long long)before_seq, h2, hs);
    return audit_append(self, at, actor, "store:restore", backup, detail);
}

/* A restore as its entry records it. */
struct restore {
    uint64_t entry, from, before;
    int64_t at;
    uint8_t from_head[AUDIT_HASHLEN], before_head[AUDIT_HASHLEN];
    int signed_ok;
};

static int
parse_restore(const char *detail, int64_t at, const uint8_t pk[32], struct restore *r)
{
    char h1[2 * AUDIT_HASHLEN + 1], h2[2 * AUDIT_HASHLEN + 1], hs[2 * 64 + 1];
    unsigned long long from, before;
    uint8_t sig[64], msg[RESTORE_MSG_LEN];

    r->signed_ok = 0;
    r->at = at;
    if (!detail || sscanf(detail, "from=%llu:%64[0-9a-f] before=%llu:%64[0-9a-f] sig=%128[0-9a-f]",
                          &from, h1, &before, h2, hs) != 5 ||
        sodium_hex2bin(r->from_head, AUDIT_HASHLEN, h1, strlen(h1), NULL, NULL, NULL) < 0 ||
        sodium_hex2bin(r->before_head, AUDIT_HASHLEN, h2, strlen(h2), NULL, NULL, NULL) < 0 ||
        sodium_hex2bin(sig, sizeof sig, hs, strlen(hs), NULL, NULL, NULL) < 0)
        return -1;
    r->from = from;
    r->before = before;
    restore_message(from, r->from_head, before, r->before_head, at, msg);
    r->signed_ok = crypto_sign_verify_detached(sig, msg, sizeof msg, pk) == 0;
    return 0;
}

/* 1 when witness w is of a trail a restore replaced: beyond the backup's
 * head, no later than what the replaced trail held, and kept before it. */
static int
explained(const struct restore *rs, size_t nr, const struct witness *w)
{
    for (size_t i = 0; i < nr; i++)
        if (rs[i].signed_ok && w->seq > rs[i].from &&
            (rs[i].before == 0 || w->seq <= rs[i].before) && (!w->at || w->at <= rs[i].at))
            return 1;
    return 0;
}

uint64_t
audit_since_checkpoint(const audit_t *self)
{
    return self->seq - self->checkpointed;
}

int
audit_checkpoint(audit_t *self, const uint8_t sk[64], int64_t now)
{
    uint8_t msg[8 + AUDIT_HASHLEN], sig[64];
    sqlite3_stmt *st;
    int rc;

    if (self->tainted)
        return -1;
    if (self->seq == 0 || self->seq == self->checkpointed)
        return 0;
    witness_message(self->seq, self->head, msg);
    crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
    if (!(st = store_stmt(self->store, "INSERT INTO audit_checkpoints(seq, at, head, signature)"
                                       " VALUES (?1, ?2, ?3, ?4)")))
        return -1;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)self->seq);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_blob(st, 3, self->head, AUDIT_HASHLEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, sig, sizeof sig, SQLITE_STATIC);
    rc = sqlite3_step(st);
    store_done(st);
    if (rc != SQLITE_DONE) {
        log_warnx("audit checkpoint: %s", store_errmsg(self->store));
        return -1;
    }
    self->checkpointed = self->seq;
    self->latest.seq = self->seq;
    memcpy(self->latest.head, self->head, AUDIT_HASHLEN);
    memcpy(self->latest.sig, sig, sizeof sig);
    self->latest.at = now;
    return 0;
}

void
audit_witness_flush(audit_t *self)
{
    if (!self->witness_path[0] || self->latest.seq <= self->saved_seq ||
        store_in_transaction(self->store))
        return;
    if (witness_save(self->witness_path, &self->latest) == 0)
        self->saved_seq = self->latest.seq;
}

int
audit_keep_witness(audit_t *self, const char *path)
{
    struct witness w;
    sqlite3_stmt *st;
    int rc, holds = 0;

    snprintf(self->witness_path, sizeof self->witness_path, "%s", path);
    if (witness_load(path, &w) < 0)
        return -1;
    self->saved_seq = w.seq;
    self->own = w;
    if (w.seq == 0)
        return 0;
    if (!(st = store_stmt(self->store, "SELECT hash FROM audit_log WHERE seq = ?1")))
        return -1;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)w.seq);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == AUDIT_HASHLEN)
        holds = sodium_memcmp(sqlite3_column_blob(st, 0), w.head, AUDIT_HASHLEN) == 0;
    store_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    if (!holds) {
        self->tainted = 1;
        log_warnx(_("the audit trail does not hold the checkpoint the hub signed at entry %llu "
                    "(kept in %s): it was cut back or rewritten since. The hub signs no new "
                    "checkpoint until an auditor has run audit verify and moved that file "
                    "aside"), (unsigned long long)w.seq, path);
    }
    return 0;
}

int
audit_tainted(const audit_t *self)
{
    return self->tainted;
}

const struct witness *
audit_own_witness(const audit_t *self)
{
    return self->own.seq ? &self->own : NULL;
}

const struct witness *
audit_latest(const audit_t *self)
{
    return self->latest.seq ? &self->latest : NULL;
}

int
audit_verify(store_t *db, const uint8_t pk[32], const struct witness *wit, size_t nwit,
             struct audit_verdict *v)
{
    sqlite3_stmt *st, *ck;
    uint8_t prev[AUDIT_HASHLEN] = { 0 }, hash[AUDIT_HASHLEN];
    uint64_t expect = 1;
    struct restore rs[MAX_RESTORES];
    size_t nr = 0, ri = 0;
    int rc;

    memset(v, 0, sizeof *v);
    /* The restores the trail records, first: witnesses from before one are
     * of the trail it replaced. */
    if (!(st = store_stmt(db, "SELECT seq, at, detail FROM audit_log"
                              " WHERE action = 'store:restore' ORDER BY seq")))
        return -1;
    while (nr < MAX_RESTORES && sqlite3_step(st) == SQLITE_ROW) {
        rs[nr].entry = (uint64_t)sqlite3_column_int64(st, 0);
        if (parse_restore((const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 1),
                          pk, &rs[nr]) < 0)
            rs[nr].signed_ok = 0;
        nr++;
    }
    store_done(st);
    v->restores = (unsigned)nr;
    if (!(st = store_stmt(db, "SELECT seq, at, actor, action, object, detail, prev, hash"
                              " FROM audit_log ORDER BY seq")) ||
        !(ck = store_stmt(db, "SELECT seq, head, signature FROM audit_checkpoints"
                              " ORDER BY seq"))) {
        store_done(st);
        return -1;
    }
    rc = sqlite3_step(ck);
    while (sqlite3_step(st) == SQLITE_ROW) {
        uint64_t seq = (uint64_t)sqlite3_column_int64(st, 0);

        if (seq != expect) {
            v->first_bad = expect;
            snprintf(v->why, sizeof v->why, _("entry %llu is missing (the log goes from %llu to "
                     "%llu): entries were deleted"), (unsigned long long)expect,
                     (unsigned long long)expect - 1, (unsigned long long)seq);
            goto done;
        }
        entry_hash(prev, seq, sqlite3_column_int64(st, 1),
                   (const char *)sqlite3_column_text(st, 2),
                   (const char *)sqlite3_column_text(st, 3),
                   (const char *)sqlite3_column_text(st, 4),
                   (const char *)sqlite3_column_text(st, 5), hash);
        if (sqlite3_column_bytes(st, 7) != AUDIT_HASHLEN ||
            memcmp(sqlite3_column_blob(st, 7), hash, AUDIT_HASHLEN) != 0 ||
            sqlite3_column_bytes(st, 6) != AUDIT_HASHLEN ||
            memcmp(sqlite3_column_blob(st, 6), prev, AUDIT_HASHLEN) != 0) {
            v->first_bad = seq;
            snprintf(v->why, sizeof v->why, _("entry %llu does not match its hash: it was changed "
                     "after it was written"), (unsigned long long)seq);
            goto done;
        }
        /* A restore: signed by the hub, continuing from the backup's head. */
        if (ri < nr && rs[ri].entry == seq) {
            if (!rs[ri].signed_ok || rs[ri].from != seq - 1 ||
                memcmp(rs[ri].from_head, prev, AUDIT_HASHLEN) != 0) {
                v->first_bad = seq;
                snprintf(v->why, sizeof v->why, _("entry %llu records a restore from a backup "
                         "that the hub did not sign, or that does not continue from the entry "
                         "before it"), (unsigned long long)seq);
                goto done;
            }
            ri++;
        }
        /* Checkpoints at this entry: signed by the hub, naming this head. */
        while (rc == SQLITE_ROW && (uint64_t)sqlite3_column_int64(ck, 0) == seq) {
            uint8_t msg[8 + AUDIT_HASHLEN];
            for (int i = 0; i < 8; i++)
                msg[i] = (uint8_t)(seq >> (56 - 8 * i));
            memcpy(msg + 8, hash, AUDIT_HASHLEN);
            if (sqlite3_column_bytes(ck, 1) != AUDIT_HASHLEN ||
                memcmp(sqlite3_column_blob(ck, 1), hash, AUDIT_HASHLEN) != 0 ||
                sqlite3_column_bytes(ck, 2) != 64 ||
                crypto_sign_verify_detached(sqlite3_column_blob(ck, 2), msg, sizeof msg, pk) != 0) {
                v->first_bad = seq;
                snprintf(v->why, sizeof v->why, _("the signed checkpoint at entry %llu does not "
                         "match the log"), (unsigned long long)seq);
                goto done;
            }
            rc = sqlite3_step(ck);
        }
        /* Checkpoints kept outside (witnesses) at this entry. */
        for (size_t k = 0; k < nwit; k++) {
            if (wit[k].seq != seq || sodium_memcmp(wit[k].head, hash, AUDIT_HASHLEN) == 0 ||
                explained(rs, nr, &wit[k]))
                continue;
            v->first_bad = seq;
            snprintf(v->why, sizeof v->why, _("entry %llu is not the entry the hub signed a "
                     "checkpoint for, which a witness holds: the trail was rewritten from "
                     "there or before"), (unsigned long long)seq);
            goto done;
        }
        memcpy(prev, hash, AUDIT_HASHLEN);
        v->count++;
        expect++;
    }
    if (rc == SQLITE_ROW) {
        v->first_bad = expect;
        snprintf(v->why, sizeof v->why, _("the log ends at entry %llu but the hub signed a "
                 "checkpoint at entry %llu: the tail was cut off"), (unsigned long long)expect - 1,
                 (unsigned long long)sqlite3_column_int64(ck, 0));
        goto done;
    }
    for (size_t k = 0; k < nwit; k++) {
        if (wit[k].seq < expect || explained(rs, nr, &wit[k]))
            continue;
        v->first_bad = expect;
        snprintf(v->why, sizeof v->why, _("the log ends at entry %llu but a witness holds the "
                 "hub's signed checkpoint at entry %llu: the tail was cut off"),
                 (unsigned long long)expect - 1, (unsigned long long)wit[k].seq);
        goto done;
    }
    v->ok = 1;
    for (size_t k = 0; k < nwit; k++)
        v->explained += (unsigned)explained(rs, nr, &wit[k]);
    if (nr) {
        char when[20];
        const struct restore *last = &rs[nr - 1];
        days_time_format(last->at, when);
        char lost[160];
        if (last->before > last->from)
            snprintf(lost, sizeof lost, _("entries %llu to %llu of the trail before it are in "
                     "the pre-restore copy"), (unsigned long long)last->from + 1,
                     (unsigned long long)last->before);
        else
            snprintf(lost, sizeof lost, "%s", _("the trail before it could not be read then"));
        snprintf(v->why, sizeof v->why, _("OK: %llu entries, chain, checkpoints and %zu "
                 "witnesses match; the database was restored from a backup %zu time(s), last "
                 "on %s (entry %llu) from the backup of entry %llu: %s%s"),
                 (unsigned long long)v->count, nwit, nr, when,
                 (unsigned long long)last->entry, (unsigned long long)last->from, lost,
                 v->explained ? _("; witnesses of that trail are explained by the restore") : "");
    } else if (nwit)
        snprintf(v->why, sizeof v->why, _("OK: %llu entries, chain, checkpoints and %zu "
                 "witnesses match"), (unsigned long long)v->count, nwit);
    else
        snprintf(v->why, sizeof v->why, _("OK: %llu entries, chain and checkpoints match"),
                 (unsigned long long)v->count);
done:
    store_done(st);
    store_done(ck);
    return 0;
}

/* The listing's filters: ?1 and ?2 the times, ?3 the actor's part, ?4 the
 * action's beginning (compared as text: no LIKE wildcards). */
#define LIST_WHERE                                                                   \
    " FROM audit_log WHERE at >= ?1 AND (?2 IS NULL OR at < ?2)"                     \
    " AND (?3 IS NULL OR instr(actor, ?3) > 0)"                                      \
    " AND (?4 IS NULL OR substr(action, 1, length(?4)) = ?4)"

static void
bind_filter(sqlite3_stmt *st, const struct audit_filter *f)
{
    sqlite3_bind_int64(st, 1, f->since);
    if (f->until)
        sqlite3_bind_int64(st, 2, f->until);
    if (f->actor && *f->actor)
        sqlite3_bind_text(st, 3, f->actor, -1, SQLITE_TRANSIENT);
    if (f->action && *f->action)
        sqlite3_bind_text(st, 4, f->action, -1, SQLITE_TRANSIENT);
}

int
audit_list(store_t *db, const struct audit_filter *f, audit_list_fn *fn, void *arg,
           uint64_t *total)
{
    sqlite3_stmt *st;
    int n = 0, rc;

    if (total) {
        if (!(st = store_stmt(db, "SELECT count(*)" LIST_WHERE)))
            return -1;
        bind_filter(st, f);
        rc = sqlite3_step(st);
        *total = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
        store_done(st);
        if (rc != SQLITE_ROW) {
            log_warnx("database: counting the audit trail: %s", store_errmsg(db));
            return -1;
        }
    }
    if (!(st = store_stmt(db, "SELECT seq, at, actor, action, object, detail, hash FROM"
                              " (SELECT *" LIST_WHERE " ORDER BY seq DESC LIMIT ?5 OFFSET ?6)"
                              " ORDER BY seq")))
        return -1;
    bind_filter(st, f);
    sqlite3_bind_int64(st, 5, f->limit);
    sqlite3_bind_int64(st, 6, f->offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct audit_row r = {
            .seq = (uint64_t)sqlite3_column_int64(st, 0),
            .at = sqlite3_column_int64(st, 1),
            .actor = (const char *)sqlite3_column_text(st, 2),
            .action = (const char *)sqlite3_column_text(st, 3),
            .object = (const char *)sqlite3_column_text(st, 4),
            .detail = (const char *)sqlite3_column_text(st, 5),
            .hash = sqlite3_column_blob(st, 6),
            .hash_len = (size_t)sqlite3_column_bytes(st, 6),
        };
        if (fn(arg, &r) < 0)
            break;
        n++;
    }
    store_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}
