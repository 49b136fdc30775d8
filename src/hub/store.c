/* store.c — the hub's durable store on SQLite (WAL, synchronous=FULL). */
#include "store.h"
#include "db.h"
#include "judge.h"
#include "oblig.h"
#include "log.h"
#include "days.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* WAL pages after which the checkpointer thread is woken. */
#define CHECKPOINT_PAGES 2000

struct store {
    sqlite3 *db;
    int readonly;
    sqlite3_stmt *find, *counter_get, *counter_set, *insert, *reject;
    /* The receipt counter of the open transaction, written at commit. */
    int ctr_valid, ctr_dirty, ctr_year;
    int64_t ctr_last;
    /* Checkpoints run on their own thread and connection, so that a commit
     * never waits for the WAL to be copied into the database file. */
    char path[4096];
    pthread_t ckpt;
    int ckpt_running;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int wal_pages, stop;
};

/* migrations[i] takes the schema from version i to i + 1. */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
    /* 0 -> 1: filings, receipt counters, rejections, hub runs. */
    "CREATE TABLE filings ("
    " id INTEGER PRIMARY KEY,"
    " unit TEXT NOT NULL, filing_id TEXT NOT NULL, revision INTEGER NOT NULL,"
    " stage INTEGER NOT NULL, category TEXT NOT NULL,"
    " name TEXT NOT NULL, id_number TEXT NOT NULL, work_unit TEXT NOT NULL,"
    " post TEXT NOT NULL, rank INTEGER NOT NULL,"
    " learned_on TEXT NOT NULL, summary TEXT NOT NULL, scope INTEGER NOT NULL,"
    " case_ref TEXT NOT NULL, queued_at INTEGER NOT NULL, answers TEXT NOT NULL,"
    " signature BLOB NOT NULL, content_hash BLOB NOT NULL, key_id TEXT NOT NULL,"
    " receipt_no TEXT NOT NULL UNIQUE, received_at INTEGER NOT NULL,"
    " due_on TEXT NOT NULL, on_time INTEGER NOT NULL, late_days INTEGER NOT NULL,"
    " provisional INTEGER NOT NULL,"
    " UNIQUE (unit, filing_id, revision));"
    "CREATE INDEX filings_id_number ON filings(id_number);"
    "CREATE INDEX filings_received ON filings(received_at);"
    "CREATE TABLE receipt_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);"
    "CREATE TABLE rejections ("
    " id INTEGER PRIMARY KEY, at INTEGER NOT NULL, unit TEXT NOT NULL,"
    " key_id TEXT NOT NULL, filing_id TEXT NOT NULL, revision INTEGER NOT NULL,"
    " code INTEGER NOT NULL, detail TEXT NOT NULL);"
    "CREATE TABLE hub_runs ("
    " id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL, alive_at INTEGER NOT NULL,"
    " stopped_at INTEGER, after_crash INTEGER NOT NULL DEFAULT 0);",
    /* 1 -> 2: judged time, obligations, messages to units. */
    "ALTER TABLE filings ADD COLUMN judged_at INTEGER NOT NULL DEFAULT 0;"
    "UPDATE filings SET judged_at = received_at;"
    "CREATE TABLE obligations ("
    " id INTEGER PRIMARY KEY, unit TEXT NOT NULL, kind INTEGER NOT NULL,"
    " filing_id TEXT NOT NULL, case_ref TEXT NOT NULL, id_number TEXT NOT NULL,"
    " opened_by TEXT NOT NULL,"
    " opened_at INTEGER NOT NULL, due_on TEXT NOT NULL,"
    " provisional INTEGER NOT NULL DEFAULT 0, text TEXT NOT NULL DEFAULT '',"
    " closed_at INTEGER, closed_by TEXT, on_time INTEGER, late_days INTEGER);"
    "CREATE INDEX obligations_open ON obligations(unit, case_ref) WHERE closed_at IS NULL;"
    "CREATE TABLE hub_messages ("
    " id INTEGER PRIMARY KEY, unit TEXT NOT NULL, kind INTEGER NOT NULL,"
    " obligation_id INTEGER, for_day TEXT NOT NULL DEFAULT '', text TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, sent_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0,"
    " acked_at INTEGER, overdue_days INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (obligation_id, kind, for_day));"
    "CREATE INDEX hub_messages_unacked ON hub_messages(unit) WHERE acked_at IS NULL;",
    /* 2 -> 3: reviews and the audit trail. */
    "CREATE TABLE reviews ("
    " id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
    " receipt_no TEXT NOT NULL, unit TEXT NOT NULL, filing_id TEXT NOT NULL,"
    " action TEXT NOT NULL, text TEXT NOT NULL, obligation_id INTEGER);"
    "CREATE INDEX reviews_filing ON reviews(unit, filing_id);"
    "CREATE TABLE audit_log ("
    " seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
    " action TEXT NOT NULL, object TEXT NOT NULL, detail TEXT NOT NULL,"
    " prev BLOB NOT NULL, hash BLOB NOT NULL);"
    "CREATE TABLE audit_checkpoints ("
    " seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, head BLOB NOT NULL,"
    " signature BLOB NOT NULL);",
    /* 3 -> 4: joint meetings. */
    "CREATE TABLE meetings ("
    " id INTEGER PRIMARY KEY, date TEXT NOT NULL, kind TEXT NOT NULL,"
    " period_from TEXT NOT NULL, period_to TEXT NOT NULL, title TEXT NOT NULL,"
    " created_by TEXT NOT NULL, created_at INTEGER NOT NULL);",
};

static int
exec(sqlite3 *db, const char *sql)
{
    return db_exec(db, "database", sql);
}

static int
on_wal(void *arg, sqlite3 *db, const char *name, int pages)
{
    store_t *self = arg;

    (void)db;
    (void)name;
    if (pages >= CHECKPOINT_PAGES) {
        pthread_mutex_lock(&self->lock);
        self->wal_pages = pages;
        pthread_cond_signal(&self->wake);
        pthread_mutex_unlock(&self->lock);
    }
    return SQLITE_OK;
}

static void *
checkpointer(void *arg)
{
    store_t *self = arg;
    sqlite3 *db = NULL;

    if (sqlite3_open_v2(self->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        log_warnx("checkpointer: cannot open %s: %s", self->path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 1000);
    pthread_mutex_lock(&self->lock);
    while (!self->stop) {
        if (self->wal_pages < CHECKPOINT_PAGES) {
            pthread_cond_wait(&self->wake, &self->lock);
            continue;
        }
        self->wal_pages = 0;
        pthread_mutex_unlock(&self->lock);
        sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&self->lock);
    }
    pthread_mutex_unlock(&self->lock);
    sqlite3_close(db);
    return NULL;
}

store_t *
store_open(const char *path, int readonly)
{
    store_t *self = calloc(1, sizeof *self);
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

    if (!self)
        return NULL;
    self->readonly = readonly;
    snprintf(self->path, sizeof self->path, "%s", path);
    pthread_mutex_init(&self->lock, NULL);
    pthread_cond_init(&self->wake, NULL);
    if (sqlite3_open_v2(path, &self->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        log_warnx("cannot open database %s: %s", path, sqlite3_errmsg(self->db));
        goto err;
    }
    sqlite3_busy_timeout(self->db, 10000);
    if (readonly) {
        if (db_user_version(self->db) != STORE_SCHEMA_VERSION) {
            log_warnx("%s: schema version %d, expected %d", path, db_user_version(self->db),
                      STORE_SCHEMA_VERSION);
            goto err;
        }
        return self;
    }
    if (exec(self->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                       "PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0") < 0 ||
        db_migrate(self->db, path, migrations, STORE_SCHEMA_VERSION) < 0)
        goto err;
    if (sqlite3_prepare_v3(self->db,
            "SELECT content_hash, receipt_no, received_at, due_on, on_time, late_days,"
            " provisional, judged_at FROM filings"
            " WHERE unit = ?1 AND filing_id = ?2 AND revision = ?3",
            -1, SQLITE_PREPARE_PERSISTENT, &self->find, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(self->db,
            "SELECT last FROM receipt_counters WHERE year = ?1",
            -1, SQLITE_PREPARE_PERSISTENT, &self->counter_get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(self->db,
            "INSERT INTO receipt_counters(year, last) VALUES (?1, ?2)"
            " ON CONFLICT(year) DO UPDATE SET last = excluded.last",
            -1, SQLITE_PREPARE_PERSISTENT, &self->counter_set, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(self->db,
            "INSERT INTO filings(unit, filing_id, revision, stage, category, name,"
            " id_number, work_unit, post, rank, learned_on, summary, scope, case_ref,"
            " queued_at, answers, signature, content_hash, key_id, receipt_no,"
            " received_at, due_on, on_time, late_days, provisional, judged_at) VALUES"
            " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,"
            "  ?21,?22,?23,?24,?25,?26) ON CONFLICT(unit, filing_id, revision) DO NOTHING",
            -1, SQLITE_PREPARE_PERSISTENT, &self->insert, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(self->db,
            "INSERT INTO rejections(at, unit, key_id, filing_id, revision, code, detail)"
            " VALUES (?1,?2,?3,?4,?5,?6,?7)",
            -1, SQLITE_PREPARE_PERSISTENT, &self->reject, NULL) != SQLITE_OK) {
        log_warnx("%s: %s", path, sqlite3_errmsg(self->db));
        goto err;
    }
    if (pthread_create(&self->ckpt, NULL, checkpointer, self) != 0) {
        log_warnx("%s: cannot start the checkpoint thread", path);
        goto err;
    }
    self->ckpt_running = 1;
    sqlite3_wal_hook(self->db, on_wal, self);
    return self;
err:
    store_close(&self);
    return NULL;
}

void
store_close(store_t **self_p)
{
    store_t *self = *self_p;

    if (!self)
        return;
    if (self->ckpt_running) {
        pthread_mutex_lock(&self->lock);
        self->stop = 1;
        pthread_cond_signal(&self->wake);
        pthread_mutex_unlock(&self->lock);
        pthread_join(self->ckpt, NULL);
        sqlite3_wal_checkpoint_v2(self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    }
    pthread_mutex_destroy(&self->lock);
    pthread_cond_destroy(&self->wake);
    oblig_forget(self->db);
    sqlite3_finalize(self->find);
    sqlite3_finalize(self->counter_get);
    sqlite3_finalize(self->counter_set);
    sqlite3_finalize(self->insert);
    sqlite3_finalize(self->reject);
    sqlite3_close(self->db);
    free(self);
    *self_p = NULL;
}

sqlite3 *
store_db(store_t *self)
{
    return self->db;
}

int
store_begin(store_t *self)
{
    self->ctr_valid = 0;
    self->ctr_dirty = 0;
    return exec(self->db, "BEGIN IMMEDIATE");
}

/* Writes the cached receipt counter into the open transaction. */
static int
counter_flush(store_t *self)
{
    sqlite3_stmt *st = self->counter_set;
    int rc;

    if (!self->ctr_valid || !self->ctr_dirty)
        return 0;
    sqlite3_bind_int(st, 1, self->ctr_year);
    sqlite3_bind_int64(st, 2, self->ctr_last);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    self->ctr_dirty = 0;
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The next receipt number of year, gap-free: counted in memory during the
 * transaction and stored with it. */
static int64_t
counter_next(store_t *self, int year)
{
    sqlite3_stmt *st = self->counter_get;
    int rc;

    if (!self->ctr_valid || self->ctr_year != year) {
        if (counter_flush(self) < 0)
            return -1;
        sqlite3_bind_int(st, 1, year);
        rc = sqlite3_step(st);
        self->ctr_last = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return -1;
        self->ctr_year = year;
        self->ctr_valid = 1;
    }
    self->ctr_dirty = 1;
    return ++self->ctr_last;
}

int
store_commit(store_t *self)
{
    if (counter_flush(self) < 0) {
        log_warnx("database: storing the receipt counter: %s", sqlite3_errmsg(self->db));
        return -1;
    }
    self->ctr_valid = 0;
    return exec(self->db, "COMMIT");
}

void
store_rollback(store_t *self)
{
    self->ctr_valid = 0;
    self->ctr_dirty = 0;
    if (!sqlite3_get_autocommit(self->db))
        exec(self->db, "ROLLBACK");
}

static void
text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static void
copy_col(char *dst, size_t n, sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", s ? (const char *)s : "");
}

/* Fills out with the receipt already stored for (unit, filing_id,
 * revision); returns STORE_DUPLICATE or STORE_CONFLICT by content, or -1. */
static int
existing(store_t *self, const char *unit, const Lianxi__Filing *f,
         const uint8_t hash[CANON_HASHLEN], struct receipt_info *out)
{
    sqlite3_stmt *st = self->find;
    int rc, same;

    text(st, 1, unit);
    text(st, 2, f->filing_id);
    sqlite3_bind_int64(st, 3, f->revision);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return -1;
    }
    same = sqlite3_column_bytes(st, 0) == CANON_HASHLEN &&
           memcmp(sqlite3_column_blob(st, 0), hash, CANON_HASHLEN) == 0;
    copy_col(out->receipt_no, sizeof out->receipt_no, st, 1);
    out->received_at = sqlite3_column_int64(st, 2);
    copy_col(out->due_on, sizeof out->due_on, st, 3);
    out->on_time = sqlite3_column_int(st, 4);
    out->late_days = sqlite3_column_int(st, 5);
    out->provisional = sqlite3_column_int(st, 6);
    out->judged_at = sqlite3_column_int64(st, 7);
    sqlite3_reset(st);
    return same ? STORE_DUPLICATE : STORE_CONFLICT;
}

int
store_put_filing(store_t *self, const char *unit, const char *key_id, const Lianxi__Filing *f,
                 const uint8_t hash[CANON_HASHLEN], const struct judgement *j,
                 struct receipt_info *out)
{
    const Lianxi__Cadre *c = f->cadre;
    sqlite3_stmt *st;
    int rc, y, m, d;
    int64_t n;

    memset(out, 0, sizeof *out);
    days_to_civil(days_shanghai(j->received_at), &y, &m, &d);
    if ((n = counter_next(self, y)) < 0)
        goto dberr;
    snprintf(out->receipt_no, sizeof out->receipt_no, "%04d-%06lld", y, (long long)n);
    out->received_at = j->received_at;
    out->judged_at = j->judged_at;
    memcpy(out->due_on, j->due_on, sizeof out->due_on);
    out->on_time = j->on_time;
    out->late_days = j->late_days;
    out->provisional = j->provisional;

    st = self->insert;
    text(st, 1, unit);
    text(st, 2, f->filing_id);
    sqlite3_bind_int64(st, 3, f->revision);
    sqlite3_bind_int(st, 4, f->stage);
    text(st, 5, f->category);
    text(st, 6, c->name);
    text(st, 7, c->id_number);
    text(st, 8, c->work_unit);
    text(st, 9, c->post);
    sqlite3_bind_int(st, 10, c->rank);
    text(st, 11, f->learned_on);
    text(st, 12, f->summary);
    sqlite3_bind_int(st, 13, f->scope);
    text(st, 14, f->case_ref);
    sqlite3_bind_int64(st, 15, f->queued_at);
    text(st, 16, f->answers);
    sqlite3_bind_blob(st, 17, f->signature.data, (int)f->signature.len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 18, hash, CANON_HASHLEN, SQLITE_STATIC);
    text(st, 19, key_id);
    text(st, 20, out->receipt_no);
    sqlite3_bind_int64(st, 21, out->received_at);
    text(st, 22, out->due_on);
    sqlite3_bind_int(st, 23, out->on_time);
    sqlite3_bind_int(st, 24, out->late_days);
    sqlite3_bind_int(st, 25, out->provisional);
    sqlite3_bind_int64(st, 26, out->judged_at);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        goto dberr;
    if (sqlite3_changes(self->db) == 1)
        return STORE_NEW;
    /* Already stored: the number just taken is given back, so none is skipped. */
    self->ctr_last--;
    if ((rc = existing(self, unit, f, hash, out)) < 0)
        goto dberr;
    return rc;
dberr:
    log_warnx("database: storing filing %s: %s", f->filing_id, sqlite3_errmsg(self->db));
    return -1;
}

int
store_put_rejection(store_t *self, int64_t at, const char *unit, const char *key_id,
                    const char *filing_id, uint32_t revision, int code, const char *detail)
{
    sqlite3_stmt *st = self->reject;
    int rc;

    sqlite3_bind_int64(st, 1, at);
    text(st, 2, unit);
    text(st, 3, key_id);
    text(st, 4, filing_id);
    sqlite3_bind_int64(st, 5, revision);
    sqlite3_bind_int(st, 6, code);
    text(st, 7, detail);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_warnx("database: storing rejection: %s", sqlite3_errmsg(self->db));
        return -1;
    }
    return 0;
}

int64_t
store_run_start(store_t *self, int64_t now, int *crashed)
{
    sqlite3_stmt *st;
    int64_t id = -1;

    *crashed = 0;
    if (sqlite3_prepare_v2(self->db, "SELECT stopped_at IS NULL FROM hub_runs"
                           " ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        *crashed = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(self->db, "INSERT INTO hub_runs(started_at, alive_at, after_crash)"
                           " VALUES (?1, ?1, ?2)", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, *crashed);
    if (sqlite3_step(st) == SQLITE_DONE)
        id = sqlite3_last_insert_rowid(self->db);
    sqlite3_finalize(st);
    return id;
}

static int
run_update(store_t *self, const char *sql, int64_t run, int64_t now)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, run);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int
store_run_alive(store_t *self, int64_t run, int64_t now)
{
    return run_update(self, "UPDATE hub_runs SET alive_at = ?1 WHERE id = ?2", run, now);
}

int
store_run_stop(store_t *self, int64_t run, int64_t now)
{
    return run_update(self, "UPDATE hub_runs SET alive_at = ?1, stopped_at = ?1 WHERE id = ?2",
                      run, now);
}

int
store_downtime(store_t *self, int64_t now, struct downtime *dt)
{
    sqlite3_stmt *st;
    int64_t prev_end = -1;
    size_t cap = 0;
    int rc;

    dt->iv = NULL;
    dt->n = 0;
    if (sqlite3_prepare_v2(self->db, "SELECT started_at, coalesce(stopped_at, alive_at)"
                           " FROM hub_runs ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (;;) {
        int64_t start, end;
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            start = sqlite3_column_int64(st, 0);
            end = sqlite3_column_int64(st, 1);
        } else {
            start = now;    /* this run */
            end = now;
        }
        if (prev_end >= 0 && start > prev_end) {
            if (dt->n == cap) {
                cap = cap ? cap * 2 : 16;
                int64_t (*n)[2] = realloc(dt->iv, cap * sizeof *n);
                if (!n) {
                    sqlite3_finalize(st);
                    return -1;
                }
                dt->iv = n;
            }
            dt->iv[dt->n][0] = prev_end;
            dt->iv[dt->n][1] = start;
            dt->n++;
        }
        if (rc != SQLITE_ROW)
            break;
        prev_end = end;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}
