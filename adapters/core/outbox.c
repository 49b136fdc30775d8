/* outbox.c — the adapter's queue on SQLite (WAL, synchronous=FULL). */
#include "outbox.h"
#include "canon.h"
#include "adapter.h"
#include "db.h"
#include "validate.h"
#include "log.h"
#include "wire.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct outbox {
    sqlite3 *db;
    sqlite3_stmt *latest, *insert, *pending, *ack, *reject;
};

/* migrations[i] takes the schema from version i to i + 1. */
static const char *const migrations[OUTBOX_SCHEMA_VERSION] = {
    /* 0 -> 1 */
    "CREATE TABLE outbox ("
    " seq INTEGER PRIMARY KEY,"
    " filing_id TEXT NOT NULL, revision INTEGER NOT NULL, case_ref TEXT NOT NULL,"
    " content_key BLOB NOT NULL, payload BLOB NOT NULL,"
    " state INTEGER NOT NULL DEFAULT 0, queued_at INTEGER NOT NULL,"
    " receipt_no TEXT, received_at INTEGER, due_on TEXT, on_time INTEGER,"
    " late_days INTEGER, duplicate INTEGER,"
    " reject_code INTEGER, reject_detail TEXT, settled_at INTEGER,"
    " UNIQUE (filing_id, revision));"
    "CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 0;",
    /* 1 -> 2: obligations opened by notices, messages from the hub. */
    "ALTER TABLE outbox ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN obligation TEXT;"
    "CREATE INDEX outbox_case ON outbox(case_ref);"
    "CREATE TABLE hub_messages (id INTEGER PRIMARY KEY, file TEXT NOT NULL,"
    " received_at INTEGER NOT NULL);",
    /* 2 -> 3: what each message was about, so that a request can be answered. */
    "ALTER TABLE hub_messages ADD COLUMN obligation TEXT;"
    "ALTER TABLE hub_messages ADD COLUMN filing_id TEXT;",
};

static int
exec(sqlite3 *db, const char *sql)
{
    return db_exec(db, "outbox", sql);
}

outbox_t *
outbox_open(const char *path)
{
    outbox_t *self = calloc(1, sizeof *self);

    if (!self)
        return NULL;
    if (sqlite3_open_v2(path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        log_warnx("cannot open outbox %s: %s", path, sqlite3_errmsg(self->db));
        goto err;
    }
    sqlite3_busy_timeout(self->db, 10000);
    if (exec(self->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL") < 0 ||
        db_migrate(self->db, path, migrations, OUTBOX_SCHEMA_VERSION) < 0)
        goto err;
    if (sqlite3_prepare_v3(self->db,
            "SELECT revision, content_key FROM outbox WHERE filing_id = ?1"
            " ORDER BY revision DESC LIMIT 1", -1, SQLITE_PREPARE_PERSISTENT,
            &self->latest, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(self->db,
            "INSERT INTO outbox(filing_id, revision, case_ref, content_key, payload,"
            " queued_at, stage) VALUES (?1,?2,?3,?4,?5,?6,?7)", -1, SQLITE_PREPARE_PERSISTENT,
            &self->insert, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(self->db,
            "SELECT seq, filing_id, revision, payload FROM outbox"
            " WHERE state = 0 AND seq > ?1 ORDER BY seq LIMIT ?2", -1,
            SQLITE_PREPARE_PERSISTENT, &self->pending, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(self->db,
            "UPDATE outbox SET state = 1, receipt_no = ?3, received_at = ?4, due_on = ?5,"
            " on_time = ?6, late_days = ?7, duplicate = ?8, settled_at = ?9,"
            " obligation = coalesce(nullif(?10, ''), obligation)"
            " WHERE filing_id = ?1 AND revision = ?2 AND state = 0", -1,
            SQLITE_PREPARE_PERSISTENT, &self->ack, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(self->db,
            "UPDATE outbox SET state = 2, reject_code = ?3, reject_detail = ?4,"
            " settled_at = ?5 WHERE filing_id = ?1 AND revision = ?2 AND state = 0", -1,
            SQLITE_PREPARE_PERSISTENT, &self->reject, NULL) != SQLITE_OK) {
        log_warnx("outbox %s: %s", path, sqlite3_errmsg(self->db));
        goto err;
    }
    return self;
err:
    outbox_close(&self);
    return NULL;
}

void
outbox_close(outbox_t **self_p)
{
    outbox_t *self = *self_p;

    if (!self)
        return;
    sqlite3_finalize(self->latest);
    sqlite3_finalize(self->insert);
    sqlite3_finalize(self->pending);
    sqlite3_finalize(self->ack);
    sqlite3_finalize(self->reject);
    sqlite3_close(self->db);
    free(self);
    *self_p = NULL;
}

/* Queuing is synced to disk before anything is sent (synchronous=FULL).
 * Recording receipts need not be: a receipt lost to a power cut only makes
 * the adapter send again, and the hub answers with the original receipt. */
int
outbox_begin(outbox_t *self)
{
    return exec(self->db, "PRAGMA synchronous=FULL; BEGIN IMMEDIATE");
}

int
outbox_begin_settle(outbox_t *self)
{
    return exec(self->db, "PRAGMA synchronous=NORMAL; BEGIN IMMEDIATE");
}
int outbox_commit(outbox_t *self) { return exec(self->db, "COMMIT"); }

void
outbox_rollback(outbox_t *self)
{
    if (!sqlite3_get_autocommit(self->db))
        exec(self->db, "ROLLBACK");
}

int
outbox_content_key(const Lianxi__Filing *f, uint8_t out[32])
{
    Lianxi__Filing c = *f;
    uint8_t *buf = malloc(CANON_MAX);
    long n;

    if (!buf)
        return -1;
    c.revision = 0;
    c.queued_at = 0;
    n = canon_encode(&c, buf, CANON_MAX);
    if (n >= 0)
        crypto_generichash(out, 32, buf, (unsigned long long)n, NULL, 0);
    free(buf);
    return n < 0 ? -1 : 0;
}

/* The obligation the hub opened for the notice of this report (the same
 * case and cadre), when its receipt came back: the report names it. */
static char *
notice_obligation(outbox_t *self, const Lianxi__Filing *f, char *buf, size_t len)
{
    sqlite3_stmt *st;
    char *res = NULL, notice_id[LIM_FILING_ID + 8];

    if (!f->case_ref || !f->cadre)
        return NULL;
    adapter_filing_id(f->unit ? f->unit : "", f->case_ref, LIANXI__STAGE__STAGE_NOTICE,
                      f->cadre->id_number ? f->cadre->id_number : "", notice_id,
                      sizeof notice_id);
    if (sqlite3_prepare_v2(self->db, "SELECT obligation FROM outbox WHERE filing_id = ?1"
                           " AND obligation IS NOT NULL ORDER BY revision DESC LIMIT 1", -1,
                           &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, notice_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(buf, len, "%s", sqlite3_column_text(st, 0));
        res = buf;
    }
    sqlite3_finalize(st);
    return res;
}

int
outbox_add(outbox_t *self, Lianxi__Filing *f, const uint8_t sk[64], int64_t now)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    sqlite3_stmt *st = self->latest;
    uint8_t key[32], *payload = NULL;
    char obligation[40];
    uint32_t rev = 1;
    long n;
    int rc;

    if (outbox_content_key(f, key) < 0) {
        log_warnx("outbox: filing %s is too large to encode", f->filing_id);
        return -1;
    }
    sqlite3_bind_text(st, 1, f->filing_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int same = sqlite3_column_bytes(st, 1) == 32 &&
                   memcmp(sqlite3_column_blob(st, 1), key, 32) == 0;
        rev = (uint32_t)sqlite3_column_int64(st, 0) + 1;
        sqlite3_reset(st);
        if (same)
            return OUTBOX_UNCHANGED;
    } else {
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            goto dberr;
    }
    f->revision = rev;
    f->queued_at = now;
    if (f->stage == LIANXI__STAGE__STAGE_REPORT && (!f->answers || !*f->answers) &&
        notice_obligation(self, f, obligation, sizeof obligation))
        f->answers = obligation;
    if (canon_sign(f, sk) < 0)
        return -1;
    env.body_case = LIANXI__ENVELOPE__BODY_FILING;
    env.filing = f;
    if ((n = wire_pack(&env, &payload)) < 0)
        return -1;
    st = self->insert;
    sqlite3_bind_text(st, 1, f->filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, rev);
    sqlite3_bind_text(st, 3, f->case_ref ? f->case_ref : "", -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, key, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, payload, (int)n, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int(st, 7, f->stage);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    free(payload);
    if (rc != SQLITE_DONE)
        goto dberr;
    return OUTBOX_QUEUED;
dberr:
    log_warnx("outbox: %s", sqlite3_errmsg(self->db));
    return -1;
}

int
outbox_pending(outbox_t *self, int64_t after, struct ob_item *out, int max)
{
    sqlite3_stmt *st = self->pending;
    int n = 0, rc = SQLITE_DONE;

    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int(st, 2, max);
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct ob_item *it = &out[n];
        const void *p = sqlite3_column_blob(st, 3);
        it->seq = sqlite3_column_int64(st, 0);
        snprintf(it->filing_id, sizeof it->filing_id, "%s", sqlite3_column_text(st, 1));
        it->revision = (uint32_t)sqlite3_column_int64(st, 2);
        it->len = (size_t)sqlite3_column_bytes(st, 3);
        if (!(it->payload = malloc(it->len ? it->len : 1))) {
            rc = SQLITE_NOMEM;
            break;
        }
        memcpy(it->payload, p, it->len);
        n++;
    }
    sqlite3_reset(st);
    if (n < max && rc != SQLITE_DONE) {
        log_warnx("outbox: reading pending filings: %s", sqlite3_errstr(rc));
        while (n > 0)
            outbox_item_free(&out[--n]);
        return -1;
    }
    return n;
}

void
outbox_item_free(struct ob_item *it)
{
    free(it->payload);
    it->payload = NULL;
}

int
outbox_ack(outbox_t *self, const Lianxi__Receipt *r, int64_t now)
{
    sqlite3_stmt *st = self->ack;
    int rc;

    sqlite3_bind_text(st, 1, r->filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->revision);
    sqlite3_bind_text(st, 3, r->receipt_no, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->received_at);
    sqlite3_bind_text(st, 5, r->due_on, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, r->on_time);
    sqlite3_bind_int(st, 7, (int)r->late_days);
    sqlite3_bind_int(st, 8, r->duplicate);
    sqlite3_bind_int64(st, 9, now);
    sqlite3_bind_text(st, 10, r->opened_obligation ? r->opened_obligation : "", -1,
                      SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_warnx("outbox: recording receipt %s: %s", r->receipt_no, sqlite3_errmsg(self->db));
        return -1;
    }
    return 0;
}

int
outbox_reject(outbox_t *self, const Lianxi__Rejection *x, int64_t now)
{
    sqlite3_stmt *st = self->reject;
    int rc;

    sqlite3_bind_text(st, 1, x->filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, x->revision);
    sqlite3_bind_int(st, 3, x->code);
    sqlite3_bind_text(st, 4, x->detail, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_warnx("outbox: recording rejection: %s", sqlite3_errmsg(self->db));
        return -1;
    }
    return 0;
}

int
outbox_stats(outbox_t *self, struct ob_stats *out)
{
    sqlite3_stmt *st;

    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(self->db, "SELECT state, count(*) FROM outbox GROUP BY state",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        long c = (long)sqlite3_column_int64(st, 1);
        switch (sqlite3_column_int(st, 0)) {
        case OB_PENDING: out->pending = c; break;
        case OB_ACKED: out->acked = c; break;
        case OB_REJECTED: out->rejected = c; break;
        }
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(self->db, "SELECT receipt_no, settled_at, filing_id FROM outbox"
                           " WHERE state = 1 ORDER BY settled_at DESC, seq DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(out->last_receipt, sizeof out->last_receipt, "%s", sqlite3_column_text(st, 0));
        out->last_receipt_at = sqlite3_column_int64(st, 1);
        snprintf(out->last_filing, sizeof out->last_filing, "%s", sqlite3_column_text(st, 2));
    }
    sqlite3_finalize(st);
    return 0;
}

int
outbox_rejected(outbox_t *self, int max, outbox_rejected_fn *fn, void *arg)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(self->db, "SELECT filing_id, revision, case_ref, reject_code,"
                           " reject_detail, settled_at FROM outbox WHERE state = 2"
                           " ORDER BY settled_at DESC, seq DESC LIMIT ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int(st, 1, max);
    while (sqlite3_step(st) == SQLITE_ROW)
        fn(arg, (const char *)sqlite3_column_text(st, 0), (uint32_t)sqlite3_column_int64(st, 1),
           (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
           (const char *)sqlite3_column_text(st, 4), sqlite3_column_int64(st, 5));
    sqlite3_finalize(st);
    return 0;
}

long
outbox_count_pending(outbox_t *self)
{
    sqlite3_stmt *st;
    long n = -1;

    if (sqlite3_prepare_v2(self->db, "SELECT count(*) FROM outbox WHERE state = 0", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int
outbox_message_seen(outbox_t *self, uint64_t id, const char *file, const char *obligation,
                    const char *filing_id, int64_t now)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(self->db, "INSERT INTO hub_messages(id, file, received_at,"
                           " obligation, filing_id) VALUES (?1, ?2, ?3, ?4, ?5)"
                           " ON CONFLICT(id) DO NOTHING", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_text(st, 4, obligation ? obligation : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, filing_id ? filing_id : "", -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        log_warnx("outbox: recording message %llu: %s", (unsigned long long)id,
                  sqlite3_errmsg(self->db));
        return -1;
    }
    return sqlite3_changes(self->db) > 0;
}

int
outbox_message_known(outbox_t *self, uint64_t id)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(self->db, "SELECT 1 FROM hub_messages WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
outbox_request_filing(outbox_t *self, const char *obligation, char *out, size_t len)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(self->db, "SELECT filing_id FROM hub_messages WHERE obligation = ?1"
                           " AND filing_id <> '' ORDER BY id DESC LIMIT 1", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, obligation, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, len, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

long
outbox_latest_payload(outbox_t *self, const char *filing_id, uint8_t **out)
{
    sqlite3_stmt *st;
    long n = -1;

    if (sqlite3_prepare_v2(self->db, "SELECT payload FROM outbox WHERE filing_id = ?1"
                           " ORDER BY revision DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, filing_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_bytes(st, 0);
        if ((*out = malloc(n ? (size_t)n : 1)))
            memcpy(*out, sqlite3_column_blob(st, 0), (size_t)n);
        else
            n = -1;
    }
    sqlite3_finalize(st);
    return n;
}
