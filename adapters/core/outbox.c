/* outbox.c — the adapter's queue on SQLite (WAL, synchronous=FULL). */
#include "outbox.h"
#include "db.h"
#include "i18n.h"
#include "log.h"

#include <sqlite3.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct outbox {
    sqlite3 *db;
    sqlite3_stmt *latest, *with_key, *insert, *pending, *ack, *reject;
    enum ob_error error;    /* why the last call that failed failed */
};

/* migrations[i] takes the schema from version i to i + 1. */
static const char *const migrations[OUTBOX_SCHEMA_VERSION] = {
    /* 0 -> 1 (each migration is one string in parentheses: clang's
     * -Wstring-concatenation takes adjacent literals for a missing comma) */
    ("CREATE TABLE outbox ("
    " seq INTEGER PRIMARY KEY,"
    " filing_id TEXT NOT NULL, revision INTEGER NOT NULL, case_ref TEXT NOT NULL,"
    " content_key BLOB NOT NULL, payload BLOB NOT NULL,"
    " state INTEGER NOT NULL DEFAULT 0, queued_at INTEGER NOT NULL,"
    " receipt_no TEXT, received_at INTEGER, due_on TEXT, on_time INTEGER,"
    " late_days INTEGER, duplicate INTEGER,"
    " reject_code INTEGER, reject_detail TEXT, settled_at INTEGER,"
    " UNIQUE (filing_id, revision));"
    "CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 0;"),
    /* 1 -> 2: obligations opened by notices, messages from the hub. */
    ("ALTER TABLE outbox ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN obligation TEXT;"
    "CREATE INDEX outbox_case ON outbox(case_ref);"
    "CREATE TABLE hub_messages (id INTEGER PRIMARY KEY, file TEXT NOT NULL,"
    " received_at INTEGER NOT NULL);"),
    /* 2 -> 3: what each message was about, so that a request can be answered. */
    ("ALTER TABLE hub_messages ADD COLUMN obligation TEXT;"
    "ALTER TABLE hub_messages ADD COLUMN filing_id TEXT;"),
    /* 3 -> 4: what the clerk reads: the obligation a receipt closed, the
     * key and values of a rejection's reason, and what a message said of
     * its obligation (kind, due date, case, working days overdue). */
    ("ALTER TABLE outbox ADD COLUMN closed_obligation TEXT;"
    "ALTER TABLE outbox ADD COLUMN reject_reason TEXT;"
    "ALTER TABLE outbox ADD COLUMN reject_args TEXT;"
    "ALTER TABLE hub_messages ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE hub_messages ADD COLUMN due_on TEXT;"
    "ALTER TABLE hub_messages ADD COLUMN case_ref TEXT;"
    "ALTER TABLE hub_messages ADD COLUMN overdue_days INTEGER NOT NULL DEFAULT 0;"),
    /* 4 -> 5: the rest of each receipt and the hub's signature over it, to
     * give back to the hub after a restore (Reoffer). */
    ("ALTER TABLE outbox ADD COLUMN judged_at INTEGER;"
    "ALTER TABLE outbox ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN opened_obligation TEXT;"
    "ALTER TABLE outbox ADD COLUMN receipt_sig BLOB;"
    "CREATE INDEX outbox_receipt ON outbox(receipt_no) WHERE state = 1;"),
};

static int
exec(sqlite3 *db, const char *sql)
{
    return db_exec(db, "outbox", sql);
}

/* What a SQLite result code means to a clerk. */
static enum ob_error
error_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK: return OB_ERR_NONE;
    case SQLITE_FULL: return OB_ERR_FULL;
    case SQLITE_IOERR: return OB_ERR_IO;
    default: return OB_ERR_OTHER;
    }
}

/* Notes why the last call on self failed and returns -1. */
static int
failed(outbox_t *self)
{
    self->error = error_of(sqlite3_extended_errcode(self->db));
    if (self->error == OB_ERR_NONE)
        self->error = OB_ERR_OTHER;
    return -1;
}

/* Runs sql on self; on failure notes why.  Returns 0, or -1 after logging. */
static int
run(outbox_t *self, const char *sql)
{
    return exec(self->db, sql) < 0 ? failed(self) : 0;
}

/* Switches a database to WAL.  Two programs opening a new file at once both
 * try, and the switch does not wait on a busy database the way statements
 * do (no busy handler): the loser retries until the winner is done, which
 * leaves nothing to switch.  Returns 0, or -1 after logging. */
static int
set_wal(sqlite3 *db, const char *path)
{
    int64_t waited = 0;
    int rc;

    while ((rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL)) != SQLITE_OK) {
        if ((rc & 0xff) != SQLITE_BUSY || waited >= 10000) {
            log_warnx(_("outbox %s: cannot switch to WAL: %s"), path, sqlite3_errmsg(db));
            return -1;
        }
        sqlite3_sleep(10);
        waited += 10;
    }
    return 0;
}

/* Opens the outbox at path: to write (created and migrated as needed), or
 * only to read an existing one of this schema version.  Returns NULL after
 * logging, with why in *error when error is not NULL. */
static outbox_t *
open_outbox(const char *path, int readonly, enum ob_error *error)
{
    outbox_t *self = calloc(1, sizeof *self);
    int version;

    if (error)
        *error = OB_ERR_OTHER;
    if (!self)
        return NULL;
    if (db_open(path, (readonly ? SQLITE_OPEN_READONLY
                                : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                SQLITE_OPEN_NOMUTEX, &self->db) < 0)
        goto err;
    if (readonly) {
        if ((version = db_user_version(self->db)) != OUTBOX_SCHEMA_VERSION) {
            log_warnx(_("outbox %s: schema version %d, this adapter reads %d only: run send "
                      "once to bring it up to date"), path, version, OUTBOX_SCHEMA_VERSION);
            goto dberr;
        }
    } else if (set_wal(self->db, path) < 0 || run(self, "PRAGMA synchronous=FULL") < 0 ||
               db_migrate(self->db, path, migrations, OUTBOX_SCHEMA_VERSION) < 0) {
        goto dberr;
    }
    if (sqlite3_prepare_v3(self->db,
            "SELECT revision, content_key FROM outbox WHERE filing_id = ?1"
            " ORDER BY revision DESC LIMIT 1", -1, SQLITE_PREPARE_PERSISTENT,
            &self->latest, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(self->db,
            "SELECT max(revision) FROM outbox WHERE filing_id = ?1 AND content_key = ?2",
            -1, SQLITE_PREPARE_PERSISTENT, &self->with_key, NULL) != SQLITE_OK ||
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
            " obligation = coalesce(nullif(?10, ''), obligation),"
            " closed_obligation = nullif(?11, ''), judged_at = ?12, provisional = ?13,"
            " opened_obligation = nullif(?10, ''), receipt_sig = ?14"
            " WHERE filing_id = ?1 AND revision = ?2 AND state = 0", -1,
            SQLITE_PREPARE_PERSISTENT, &self->ack, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(self->db,
            "UPDATE outbox SET state = 2, reject_code = ?3, reject_detail = ?4,"
            " settled_at = ?5, reject_reason = nullif(?6, ''), reject_args = ?7 WHERE filing_id = ?1 AND revision = ?2 AND state = 0", -1,
            SQLITE_PREPARE_PERSISTENT, &self->reject, NULL) != SQLITE_OK) {
        log_warnx("outbox %s: %s", path, sqlite3_errmsg(self->db));
        goto dberr;
    }
    return self;
dberr:
    failed(self);
    if (error)
        *error = self->error;
err:
    outbox_close(&self);
    return NULL;
}

outbox_t *
outbox_open(const char *path, enum ob_error *error)
{
    return open_outbox(path, 0, error);
}

outbox_t *
outbox_open_readonly(const char *path)
{
    return open_outbox(path, 1, NULL);
}

void
outbox_close(outbox_t **self_p)
{
    outbox_t *self = *self_p;

    if (!self)
        return;
    sqlite3_finalize(self->latest);
    sqlite3_finalize(self->with_key);
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
    return run(self, "PRAGMA synchronous=FULL; BEGIN IMMEDIATE");
}

int
outbox_begin_settle(outbox_t *self)
{
    return run(self, "PRAGMA synchronous=NORMAL; BEGIN IMMEDIATE");
}

int
outbox_commit(outbox_t *self)
{
    return run(self, "COMMIT");
}

enum ob_error
outbox_error(const outbox_t *self)
{
    return self->error;
}

void
outbox_rollback(outbox_t *self)
{
    if (!sqlite3_get_autocommit(self->db))
        exec(self->db, "ROLLBACK");
}

int
outbox_latest(outbox_t *self, const char *filing_id, uint32_t *revision, uint8_t key[32])
{
    sqlite3_stmt *st = self->latest;
    int rc;

    sqlite3_bind_text(st, 1, filing_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *revision = (uint32_t)sqlite3_column_int64(st, 0);
        if (key) {
            memset(key, 0, 32);
            if (sqlite3_column_bytes(st, 1) == 32)
                memcpy(key, sqlite3_column_blob(st, 1), 32);
        }
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc == SQLITE_ROW;
    log_warnx("outbox: looking up %s: %s", filing_id, sqlite3_errstr(rc));
    return failed(self);
}

int
outbox_revision_with_key(outbox_t *self, const char *filing_id, const uint8_t key[32],
                         uint32_t *revision)
{
    sqlite3_stmt *st = self->with_key;
    int rc, found = 0;

    sqlite3_bind_text(st, 1, filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, key, 32, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *revision = (uint32_t)sqlite3_column_int64(st, 0);
        found = 1;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return found;
    log_warnx("outbox: looking up %s: %s", filing_id, sqlite3_errstr(rc));
    return failed(self);
}

int
outbox_insert(outbox_t *self, const struct ob_entry *e)
{
    sqlite3_stmt *st = self->insert;
    int rc;

    sqlite3_bind_text(st, 1, e->filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, e->revision);
    sqlite3_bind_text(st, 3, e->case_ref ? e->case_ref : "", -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, e->content_key, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, e->payload, (int)e->len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, e->queued_at);
    sqlite3_bind_int(st, 7, e->stage);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_warnx(_("outbox: queuing %s: %s"), e->filing_id, sqlite3_errmsg(self->db));
        return failed(self);
    }
    return 0;
}

/* Runs sql, a query of one text column with one text parameter (key), and
 * copies the first row's value into out.  Returns 1 when there was a row,
 * 0 when none, -1 on a database error. */
static int
lookup_text(outbox_t *self, const char *sql, const char *key, char *out, size_t len)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return failed(self);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, len, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc == SQLITE_ROW;
    return failed(self);
}

int
outbox_opened_obligation(outbox_t *self, const char *filing_id, char *out, size_t len)
{
    return lookup_text(self, "SELECT obligation FROM outbox WHERE filing_id = ?1"
                       " AND obligation IS NOT NULL ORDER BY revision DESC LIMIT 1",
                       filing_id, out, len);
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
        log_warnx(_("outbox: reading pending filings: %s"), sqlite3_errstr(rc));
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
    sqlite3_bind_text(st, 11, r->closed_obligation ? r->closed_obligation : "", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 12, r->judged_at);
    sqlite3_bind_int(st, 13, r->provisional);
    if (r->hub_signature.len)
        sqlite3_bind_blob(st, 14, r->hub_signature.data, (int)r->hub_signature.len,
                          SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 14);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_warnx(_("outbox: recording receipt %s: %s"), r->receipt_no, sqlite3_errmsg(self->db));
        return failed(self);
    }
    return 0;
}

int
outbox_reject(outbox_t *self, const Lianxi__Rejection *x, int64_t now)
{
    sqlite3_stmt *st = self->reject;
    char *args = NULL;
    size_t alen = 0;
    FILE *m = open_memstream(&args, &alen);
    int rc;

    /* The values of the reason, each ended by a unit separator. */
    for (size_t i = 0; m && i < x->n_args; i++)
        fprintf(m, "%s%c", x->args[i] ? x->args[i] : "", OUTBOX_ARG_SEP);
    if (m)
        fclose(m);
    sqlite3_bind_text(st, 1, x->filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, x->revision);
    sqlite3_bind_int(st, 3, x->code);
    sqlite3_bind_text(st, 4, x->detail, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_text(st, 6, x->reason ? x->reason : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, args ? args : "", -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    free(args);
    if (rc != SQLITE_DONE) {
        log_warnx(_("outbox: recording rejection: %s"), sqlite3_errmsg(self->db));
        return failed(self);
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
    /* The last receipt: an attendance reply gets none (its number is ''). */
    if (sqlite3_prepare_v2(self->db, "SELECT receipt_no, settled_at, filing_id FROM outbox"
                           " WHERE state = 1 AND coalesce(receipt_no, '') <> ''"
                           " ORDER BY settled_at DESC, seq DESC LIMIT 1",
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
                           " reject_detail, settled_at, reject_reason, reject_args"
                           " FROM outbox WHERE state = 2"
                           " ORDER BY settled_at DESC, seq DESC LIMIT ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int(st, 1, max);
    while (sqlite3_step(st) == SQLITE_ROW)
        fn(arg, (const char *)sqlite3_column_text(st, 0), (uint32_t)sqlite3_column_int64(st, 1),
           (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
           (const char *)sqlite3_column_text(st, 4), sqlite3_column_int64(st, 5),
           (const char *)sqlite3_column_text(st, 6), (const char *)sqlite3_column_text(st, 7));
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
outbox_message_seen(outbox_t *self, const Lianxi__HubMessage *m, const char *file, int64_t now)
{
    sqlite3_stmt *st;
    uint64_t id = m->id;
    int rc;

    if (sqlite3_prepare_v2(self->db, "INSERT INTO hub_messages(id, file, received_at,"
                           " obligation, filing_id, kind, due_on, case_ref, overdue_days)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                           " ON CONFLICT(id) DO NOTHING", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_text(st, 4, m->obligation_id ? m->obligation_id : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, m->filing_id ? m->filing_id : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, (int)m->kind);
    sqlite3_bind_text(st, 7, m->due_on ? m->due_on : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, m->case_ref ? m->case_ref : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, m->overdue_days);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        log_warnx(_("outbox: recording message %llu: %s"), (unsigned long long)id,
                  sqlite3_errmsg(self->db));
        return failed(self);
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
    return lookup_text(self, "SELECT filing_id FROM hub_messages WHERE obligation = ?1"
                       " AND filing_id <> '' ORDER BY id DESC LIMIT 1", obligation, out,
                       len) == 1 ? 0 : -1;
}

int
outbox_message_file(outbox_t *self, uint64_t id, char *out, size_t len)
{
    char key[24];

    /* (Bound as text: SQLite compares it with the integer id by affinity.) */
    snprintf(key, sizeof key, "%llu", (unsigned long long)id);
    return lookup_text(self, "SELECT file FROM hub_messages WHERE id = CAST(?1 AS INTEGER)", key,
                       out, len);
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

/* A column's text, or "" for NULL. */
static const char *
col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? (const char *)t : "";
}

int
outbox_settled(outbox_t *self, const char *filing_id, uint32_t revision, struct ob_settled *out)
{
    sqlite3_stmt *st;
    int rc;

    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(self->db, "SELECT revision, state, receipt_no, received_at, due_on,"
                           " on_time, late_days, duplicate, reject_code, reject_detail,"
                           " reject_reason, reject_args, obligation, closed_obligation"
                           " FROM outbox WHERE filing_id = ?1 AND (?2 = 0 OR revision = ?2)"
                           " ORDER BY revision DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return failed(self);
    sqlite3_bind_text(st, 1, filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, revision);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->revision = (uint32_t)sqlite3_column_int64(st, 0);
        out->state = sqlite3_column_int(st, 1);
        snprintf(out->receipt_no, sizeof out->receipt_no, "%s", col_text(st, 2));
        out->received_at = sqlite3_column_int64(st, 3);
        snprintf(out->due_on, sizeof out->due_on, "%s", col_text(st, 4));
        out->on_time = sqlite3_column_int(st, 5);
        out->late_days = (uint32_t)sqlite3_column_int64(st, 6);
        out->duplicate = sqlite3_column_int(st, 7);
        out->code = sqlite3_column_int(st, 8);
        snprintf(out->detail, sizeof out->detail, "%s", col_text(st, 9));
        snprintf(out->reason, sizeof out->reason, "%s", col_text(st, 10));
        snprintf(out->args, sizeof out->args, "%s", col_text(st, 11));
        snprintf(out->opened, sizeof out->opened, "%s", col_text(st, 12));
        snprintf(out->closed, sizeof out->closed, "%s", col_text(st, 13));
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc == SQLITE_ROW;
    return failed(self);
}

int
outbox_open_obligations(outbox_t *self, outbox_obligation_fn *fn, void *arg)
{
    /* Opened by a notice's receipt (the written report, due by that
     * receipt's due date), or asked for by a supplement request (or named
     * by a reminder), and closed by no receipt since: neither one naming
     * it nor, for an outbox kept before receipts were recorded whole, the
     * report of the notice's case and cadre. */
    static const char sql[] =
        "WITH closed AS (SELECT closed_obligation AS c FROM outbox"
        "  WHERE state = 1 AND coalesce(closed_obligation, '') <> ''),"
        " opened AS (SELECT obligation, 1 AS kind, due_on, case_ref, filing_id, max(seq)"
        "  FROM outbox o WHERE state = 1 AND coalesce(obligation, '') <> ''"
        "  AND obligation NOT IN (SELECT c FROM closed)"
        "  AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.state = 1 AND r.stage = 2"
        "   AND r.filing_id = replace(o.filing_id, ':notice:', ':report:'))"
        "  GROUP BY obligation),"
        " asked AS (SELECT obligation, (SELECT max(CASE h.kind WHEN 2 THEN 2 WHEN 3 THEN 3"
        "   WHEN 4 THEN 4 ELSE 0 END) FROM hub_messages h"
        "   WHERE h.obligation = hub_messages.obligation)"
        "  AS kind, due_on, case_ref, filing_id, max(id) FROM hub_messages"
        "  WHERE coalesce(obligation, '') <> '' AND obligation NOT IN (SELECT c FROM closed)"
        "  AND obligation NOT IN (SELECT obligation FROM outbox"
        "   WHERE coalesce(obligation, '') <> '')"
        "  GROUP BY obligation)"
        " SELECT x.obligation, x.kind, x.due_on, x.case_ref, x.filing_id,"
        "  (SELECT overdue_days FROM hub_messages m WHERE m.obligation = x.obligation"
        "   ORDER BY m.id DESC LIMIT 1)"
        " FROM (SELECT * FROM opened UNION ALL SELECT * FROM asked) x"
        " ORDER BY x.due_on, x.obligation";
    sqlite3_stmt *st;
    int rc, n = 0;

    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_warnx("outbox: open obligations: %s", sqlite3_errmsg(self->db));
        return failed(self);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct ob_obligation o = { 0 };
        snprintf(o.obligation, sizeof o.obligation, "%s", col_text(st, 0));
        o.kind = sqlite3_column_int(st, 1);
        snprintf(o.due_on, sizeof o.due_on, "%s", col_text(st, 2));
        snprintf(o.case_ref, sizeof o.case_ref, "%s", col_text(st, 3));
        snprintf(o.filing_id, sizeof o.filing_id, "%s", col_text(st, 4));
        o.overdue_days = (uint32_t)sqlite3_column_int64(st, 5);
        if (fn)
            fn(arg, &o);
        n++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? n : failed(self);
}

int
outbox_receipt_years(outbox_t *self, struct ob_year *years, int max, uint64_t *highest_obligation)
{
    sqlite3_stmt *st;
    crypto_generichash_state hs[OUTBOX_MAX_YEARS];
    int n = 0, rc;

    *highest_obligation = 0;
    if (max > OUTBOX_MAX_YEARS)
        max = OUTBOX_MAX_YEARS;
    /* Filings only: an opinion (stage 0, its case the review REQ-N) and an
     * attendance reply (stage 0, its case the meeting M-N, receipt number
     * empty) are not offered again, so they are not compared either. */
    if (sqlite3_prepare_v2(self->db, "SELECT receipt_no FROM outbox WHERE state = 1 AND"
                           " receipt_no IS NOT NULL AND receipt_no <> '' AND"
                           " NOT (stage = 0 AND (case_ref LIKE 'REQ-%' OR case_ref LIKE 'M-%'))"
                           " ORDER BY receipt_no", -1, &st, NULL) != SQLITE_OK)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *no = col_text(st, 0);
        int year, i;
        if (sscanf(no, "%4d-", &year) != 1)
            continue;
        for (i = 0; i < n && years[i].year != year; i++)
            ;
        if (i == n) {
            if (n == max)
                continue;
            memset(&years[n], 0, sizeof years[n]);
            years[n].year = year;
            crypto_generichash_init(&hs[n], NULL, 0, sizeof years[n].digest);
            n++;
        }
        years[i].count++;
        crypto_generichash_update(&hs[i], (const unsigned char *)no, strlen(no));
        crypto_generichash_update(&hs[i], (const unsigned char *)"\n", 1);
        snprintf(years[i].highest, sizeof years[i].highest, "%s", no);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    for (int i = 0; i < n; i++)
        crypto_generichash_final(&hs[i], years[i].digest, sizeof years[i].digest);
    /* The obligations the unit was given: by receipts and by messages. */
    if (sqlite3_prepare_v2(self->db, "SELECT max(coalesce((SELECT max(CAST(substr(obligation, 4)"
                           " AS INTEGER)) FROM outbox WHERE obligation LIKE 'OB-%'), 0),"
                           " coalesce((SELECT max(CAST(substr(obligation, 4) AS INTEGER))"
                           " FROM hub_messages WHERE obligation LIKE 'OB-%'), 0))", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        *highest_obligation = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

uint64_t
outbox_highest_message(outbox_t *self)
{
    sqlite3_stmt *st;
    uint64_t id = 0;

    if (sqlite3_prepare_v2(self->db, "SELECT coalesce(max(id), 0) FROM hub_messages", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        id = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

static int
held_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
outbox_each_missing(outbox_t *self, int year, char **held, size_t nheld, const char *upto,
                    outbox_missing_fn *fn, void *arg)
{
    sqlite3_stmt *st;
    char lo[16], hi[16];
    int n = 0, rc;

    if (nheld > 0)
        qsort(held, nheld, sizeof *held, held_cmp);
    snprintf(lo, sizeof lo, "%04d-", year);
    snprintf(hi, sizeof hi, "%04d-", year + 1);
    if (sqlite3_prepare_v2(self->db, "SELECT receipt_no, payload, filing_id, revision,"
                           " received_at, judged_at, due_on, on_time, late_days, provisional,"
                           " opened_obligation, receipt_sig FROM outbox WHERE state = 1 AND"
                           " receipt_no >= ?1 AND receipt_no < ?2 ORDER BY receipt_no", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *no = col_text(st, 0);
        Lianxi__Receipt r = LIANXI__RECEIPT__INIT;
        if (upto && strcmp(no, upto) > 0)
            break;
        if (nheld > 0 && bsearch(&no, held, nheld, sizeof *held, held_cmp))
            continue;
        r.receipt_no = (char *)no;
        r.filing_id = (char *)col_text(st, 2);
        r.revision = (uint32_t)sqlite3_column_int64(st, 3);
        r.received_at = sqlite3_column_int64(st, 4);
        r.judged_at = sqlite3_column_int64(st, 5);
        r.due_on = (char *)col_text(st, 6);
        r.on_time = sqlite3_column_int(st, 7);
        r.late_days = (uint32_t)sqlite3_column_int(st, 8);
        r.provisional = sqlite3_column_int(st, 9);
        r.opened_obligation = (char *)col_text(st, 10);
        r.duplicate = 1;
        r.hub_signature.len = (size_t)sqlite3_column_bytes(st, 11);
        r.hub_signature.data = (uint8_t *)sqlite3_column_blob(st, 11);
        n++;
        if (fn(arg, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), &r) < 0)
            break;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}
