/* store.c — the hub's database and its only owner: connections, statements,
 * transactions, the WAL's checkpoints, the database's identity, and the
 * intake tables (filings, receipt counters, rejections, hub runs). */
#include "store.h"
#include "i18n.h"
#include "clock.h"
#include "days.h"
#include "db.h"
#include "files.h"
#include "log.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* WAL frames after which the checkpointer thread copies them into the
 * database, and the size the WAL is cut back to when it restarts. */
#define CHECKPOINT_PAGES 1000
/* WAL frames after which the writer itself checkpoints between two
 * transactions, so that the WAL stays bounded under a load that never
 * pauses (the thread's checkpoints cannot catch up with a busy writer). */
#define WAL_HARD_PAGES 16384
#define MAX_STMTS 128
#define MAX_HOOKS 8
#define IDENTITY_FILE "database.identity"

struct stmt {
    const char *sql;            /* by address: a string with static storage */
    sqlite3_stmt *st;
};

struct hook {
    void (*fn)(void *);
    void *arg;
};

struct store {
    sqlite3 *db;
    int readonly;
    int aside;                  /* a second process's short writes (store_open_aside) */
    char path[PATH_MAX];
    struct stmt stmts[MAX_STMTS];
    int nstmts;
    struct hook hooks[MAX_HOOKS];
    int nhooks;
    /* The receipt counter of the open transaction, written at commit. */
    int ctr_valid, ctr_dirty, ctr_year;
    int64_t ctr_last;
    /* What the database is: its identity, and the file it is. */
    char identity[40];
    dev_t dev;
    ino_t ino;
    int gone;                   /* deleted or replaced under us: logged once */
    /* Checkpoints run on their own thread and connection, so that a commit
     * never waits for the WAL to be copied into the database file. */
    pthread_t ckpt;
    int ckpt_running;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int wal_pages, stop;
    int wal_frames;             /* frames in the WAL after the last commit (writer's thread) */
};

/* The matters of the filings already stored (migration 7, and
 * store_rebuild_matters). */
#define MATTERS_FROM_FILINGS \
    "CREATE INDEX filings_matter_tmp ON filings(unit, case_ref, id_number, stage, revision);" \
    "INSERT INTO matters(unit, case_ref, id_number, first_received, current_id, current_stage," \
    " current_revision, report_id, report_revision)" \
    " SELECT unit, case_ref, id_number, min(received_at)," \
    "  (SELECT g.id FROM filings g WHERE g.unit = f.unit AND g.case_ref = f.case_ref AND" \
    "   g.id_number = f.id_number AND g.stage IN (1, 2) ORDER BY g.stage DESC, g.revision DESC" \
    "   LIMIT 1), 0, 0," \
    "  (SELECT g.id FROM filings g WHERE g.unit = f.unit AND g.case_ref = f.case_ref AND" \
    "   g.id_number = f.id_number AND g.stage = 2 ORDER BY g.received_at, g.id LIMIT 1), NULL" \
    " FROM filings f WHERE stage IN (1, 2) GROUP BY unit, case_ref, id_number;" \
    "UPDATE matters SET current_stage = (SELECT stage FROM filings WHERE id = current_id)," \
    " current_revision = (SELECT revision FROM filings WHERE id = current_id)," \
    " report_revision = (SELECT revision FROM filings WHERE id = report_id);" \
    "DROP INDEX filings_matter_tmp;"

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
    /* 4 -> 5: the database's identity, which the hub's run directory
     * remembers, so that a deleted, emptied or replaced database is noticed. */
    "CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT INTO store_meta(key, value) VALUES ('identity', lower(hex(randomblob(16))));",
    /* 5 -> 6: real-name complaints as a field of the filing (protocol 2);
     * before, the petitions adapter marked them 【实名】 in the summary. */
    "ALTER TABLE filings ADD COLUMN real_name INTEGER NOT NULL DEFAULT 0;"
    "UPDATE filings SET real_name = 1 WHERE unit = 'petitions' AND summary LIKE '【实名】%';",
    /* 6 -> 7: matters (the counting model, matters.h), kept at intake: one
     * row per unit, case and cadre, with its first receipt, its current
     * content and its report's first revision. */
    "CREATE TABLE matters ("
    " id INTEGER PRIMARY KEY, unit TEXT NOT NULL, case_ref TEXT NOT NULL,"
    " id_number TEXT NOT NULL, first_received INTEGER NOT NULL,"
    " current_id INTEGER NOT NULL, current_stage INTEGER NOT NULL,"
    " current_revision INTEGER NOT NULL, report_id INTEGER, report_revision INTEGER,"
    " UNIQUE (unit, case_ref, id_number));"
    "CREATE INDEX matters_first ON matters(first_received);"
    MATTERS_FROM_FILINGS,
    /* 7 -> 8: a meeting's marks on its briefings (meeting.h): the codes
     * of meeting-create's --secrecy and --urgency; '' for the meetings
     * scheduled before, which have none. */
    "ALTER TABLE meetings ADD COLUMN secrecy TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE meetings ADD COLUMN urgency TEXT NOT NULL DEFAULT '';",
    /* 8 -> 9: joint reviews before appointment (jointreview.h): the
     * request, its candidates, the units asked (each with its obligation),
     * the units' signed opinions and their answers per candidate. */
    "CREATE TABLE joint_reviews ("
    " id INTEGER PRIMARY KEY, title TEXT NOT NULL, scope INTEGER NOT NULL,"
    " created_by TEXT NOT NULL, created_at INTEGER NOT NULL, due_on TEXT NOT NULL,"
    " provisional INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE joint_review_candidates ("
    " review_id INTEGER NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL,"
    " id_number TEXT NOT NULL, work_unit TEXT NOT NULL, post TEXT NOT NULL,"
    " proposed_post TEXT NOT NULL, PRIMARY KEY (review_id, seq), UNIQUE (review_id, id_number));"
    "CREATE TABLE joint_review_units ("
    " review_id INTEGER NOT NULL, unit TEXT NOT NULL, obligation_id INTEGER NOT NULL,"
    " PRIMARY KEY (review_id, unit));"
    "CREATE TABLE opinions ("
    " id INTEGER PRIMARY KEY, review_id INTEGER NOT NULL, unit TEXT NOT NULL,"
    " opinion_id TEXT NOT NULL, revision INTEGER NOT NULL, queued_at INTEGER NOT NULL,"
    " signature BLOB NOT NULL, content_hash BLOB NOT NULL, key_id TEXT NOT NULL,"
    " receipt_no TEXT NOT NULL UNIQUE, received_at INTEGER NOT NULL,"
    " on_time INTEGER NOT NULL, late_days INTEGER NOT NULL,"
    " UNIQUE (unit, opinion_id, revision));"
    "CREATE TABLE opinion_answers ("
    " opinion INTEGER NOT NULL, id_number TEXT NOT NULL, answer INTEGER NOT NULL,"
    " text TEXT NOT NULL, expected_on TEXT NOT NULL, PRIMARY KEY (opinion, id_number));"
    "CREATE INDEX opinion_answers_id_number ON opinion_answers(id_number);",
    /* 9 -> 10: the archives the hub wrote (archive.h), each naming the one
     * before by its manifest's hash: the chain across archives. */
    "CREATE TABLE archives ("
    " id INTEGER PRIMARY KEY, year INTEGER NOT NULL, file TEXT NOT NULL,"
    " manifest_hash TEXT NOT NULL UNIQUE, prev_hash TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, created_by TEXT NOT NULL);",
    /* 10 -> 11: attachments (attach.h): what is stored by hash beside the
     * database, which filing (and which opinion on a joint review) carries
     * which, and what each unit declared and may upload.  (opinion_attachments
     * was added to this step before it shipped: no database has 11 without it.) */
    "CREATE TABLE attachments ("
    " hash BLOB PRIMARY KEY, size INTEGER NOT NULL, media_type TEXT NOT NULL,"
    " stored_at INTEGER NOT NULL);"
    "CREATE TABLE filing_attachments ("
    " filing INTEGER NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL,"
    " media_type TEXT NOT NULL, size INTEGER NOT NULL, hash BLOB NOT NULL,"
    " PRIMARY KEY (filing, seq));"
    "CREATE INDEX filing_attachments_hash ON filing_attachments(hash);"
    "CREATE TABLE attachment_uploads ("
    " hash BLOB NOT NULL, unit TEXT NOT NULL, filing_id TEXT NOT NULL,"
    " revision INTEGER NOT NULL, name TEXT NOT NULL, media_type TEXT NOT NULL,"
    " size INTEGER NOT NULL, declared_at INTEGER NOT NULL,"
    " PRIMARY KEY (hash, unit, filing_id, revision));"
    "CREATE TABLE opinion_attachments ("
    " opinion INTEGER NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL,"
    " media_type TEXT NOT NULL, size INTEGER NOT NULL, hash BLOB NOT NULL,"
    " PRIMARY KEY (opinion, seq));"
    "CREATE INDEX opinion_attachments_hash ON opinion_attachments(hash);",
    /* 11 -> 12: meeting notices and attendance (notice.h): a meeting's
     * notice (time, place, agenda, who attends, the reply's due date), the
     * units invited (each with its attendance obligation and its notice's
     * message), and the units' signed attendance replies. */
    "CREATE TABLE meeting_notices ("
    " meeting INTEGER PRIMARY KEY, meeting_time TEXT NOT NULL, place TEXT NOT NULL,"
    " agenda TEXT NOT NULL, attendee TEXT NOT NULL, sender TEXT NOT NULL,"
    " due_on TEXT NOT NULL, provisional INTEGER NOT NULL DEFAULT 0,"
    " created_by TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE TABLE meeting_invitees ("
    " meeting INTEGER NOT NULL, unit TEXT NOT NULL, seq INTEGER NOT NULL,"
    " obligation_id INTEGER NOT NULL, message_id INTEGER NOT NULL,"
    " PRIMARY KEY (meeting, unit));"
    "CREATE TABLE attendances ("
    " id INTEGER PRIMARY KEY, meeting INTEGER NOT NULL, unit TEXT NOT NULL,"
    " attendance_id TEXT NOT NULL, revision INTEGER NOT NULL, attend INTEGER NOT NULL,"
    " attendee TEXT NOT NULL, queued_at INTEGER NOT NULL, signature BLOB NOT NULL,"
    " content_hash BLOB NOT NULL, key_id TEXT NOT NULL, received_at INTEGER NOT NULL,"
    " on_time INTEGER NOT NULL, late_days INTEGER NOT NULL,"
    " UNIQUE (unit, attendance_id, revision));"
    "CREATE INDEX attendances_meeting ON attendances(meeting, unit);"
    /* and the meeting's other messages to the units (dispatch.h): each
     * briefing copy (份号), circular and recall as sent to one unit, and the
     * documents each names (their bytes in the attachment store). */
    "CREATE TABLE dispatches ("
    " message_id INTEGER PRIMARY KEY, unit TEXT NOT NULL, kind INTEGER NOT NULL,"
    " meeting INTEGER NOT NULL DEFAULT 0, copy_no INTEGER NOT NULL DEFAULT 0,"
    " title TEXT NOT NULL, text TEXT NOT NULL, recall_after INTEGER NOT NULL DEFAULT 0,"
    " recalls INTEGER NOT NULL DEFAULT 0, circular INTEGER NOT NULL DEFAULT 0,"
    " sent_by TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE INDEX dispatches_meeting ON dispatches(meeting, kind);"
    "CREATE TABLE dispatch_documents ("
    " message_id INTEGER NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL,"
    " media_type TEXT NOT NULL, size INTEGER NOT NULL, hash BLOB NOT NULL,"
    " PRIMARY KEY (message_id, seq));"
    "CREATE INDEX dispatch_documents_hash ON dispatch_documents(hash);",
};

static int
exec(store_t *self, const char *sql)
{
    return db_exec(self->db, self->path, sql);
}

/* Says in the log why a file of the database cannot be written: its
 * permission, or the disk it is on being full (rc: SQLite's error). */
static void
diagnose(const char *path, int rc)
{
    static const char *const suffix[] = { "", "-wal", "-shm" };
    char file[PATH_MAX + 8], dir[PATH_MAX];
    struct statvfs vfs;
    struct stat sb;

    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(file, sizeof file, "%s%s", path, suffix[i]);
        if (stat(file, &sb) == 0 && access(file, R_OK | W_OK) < 0)
            log_warnx(_("the hub cannot write %s: %s (owner uid %u, mode %04o; the hub runs as "
                        "uid %u): give the hub's user write access to it"), file, log_strerror(errno),
                      (unsigned)sb.st_uid, (unsigned)(sb.st_mode & 07777), (unsigned)geteuid());
    }
    files_dirname(dir, sizeof dir, path);
    if (access(dir, W_OK | X_OK) < 0)
        log_warnx(_("the hub cannot create files in %s (for %s-wal and %s-shm): %s"), dir, path,
                  path, log_strerror(errno));
    if ((rc & 0xff) == SQLITE_FULL ||
        (statvfs(dir, &vfs) == 0 && (uint64_t)vfs.f_bavail * vfs.f_frsize < 1024 * 1024))
        log_warnx(_("the disk holding %s is full: no receipts are given until space is freed; "
                    "the hub goes on by itself then"), path);
}

static int
on_wal(void *arg, sqlite3 *db, const char *name, int pages)
{
    store_t *self = arg;

    (void)db;
    (void)name;
    self->wal_frames = pages;
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

    if (db_open(self->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &db) < 0)
        return NULL;
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

static int
meta_identity(store_t *self, char *out, size_t n)
{
    sqlite3_stmt *st = store_stmt(self, "SELECT value FROM store_meta WHERE key = 'identity'");
    int rc;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, n, "%s", sqlite3_column_text(st, 0));
    store_done(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Gives a database migrated from before identities the one the run
 * directory remembers (a restored old backup is the same database). */
static int
store_set_identity(store_t *self, const char *identity)
{
    sqlite3_stmt *st = store_stmt(self, "UPDATE store_meta SET value = ?1 WHERE key = 'identity'");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, identity, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* What the run directory remembers of the database the hub ran on: 1 and
 * its identity in out, 0 when it remembers none, -1 when it cannot be read
 * (after logging: the check is never skipped silently). */
static int
remembered(const char *run_dir, char *out, size_t n)
{
    char file[PATH_MAX];
    char *s;

    if (files_join(file, sizeof file, run_dir, IDENTITY_FILE) < 0)
        return -1;
    if (!(s = files_read(file, NULL))) {
        if (errno == ENOENT)
            return 0;
        log_warn("cannot read %s (the identity of the hub's database)", file);
        return -1;
    }
    s[strcspn(s, " \t\r\n")] = '\0';
    snprintf(out, n, "%s", s);
    free(s);
    return out[0] != '\0';
}

static void
refuse(const char *path, const char *run_dir, const char *what, const char *known)
{
    /* TRANSLATORS: the database, what happened to it (is missing …), the
     * database it was, the run directory and the identity file (twice). */
    log_warnx(_("the hub's database %s %s, but this hub ran on database %s before (%s/%s): the "
                "receipts the units hold would be handed out again. Restore the database from a "
                "backup (or put the moved file back) and start the hub again; only to begin a "
                "new, empty database on purpose, delete %s/%s first"), path, _(what), known,
              run_dir, IDENTITY_FILE, run_dir, IDENTITY_FILE);
}

store_t *
store_open(const char *path, const char *run_dir)
{
    store_t *self = calloc(1, sizeof *self);
    char known[40] = "", file[PATH_MAX];
    int has_known, v;
    struct stat sb;

    if (!self)
        return NULL;
    snprintf(self->path, sizeof self->path, "%s", path);
    pthread_mutex_init(&self->lock, NULL);
    pthread_cond_init(&self->wake, NULL);
    if ((has_known = remembered(run_dir, known, sizeof known)) < 0)
        goto err;
    if (has_known && stat(path, &sb) < 0) {
        if (errno == ENOENT)
            refuse(path, run_dir, N_("is missing (deleted or moved)"), known);
        else
            log_warn("cannot look at the hub's database %s", path);
        goto err;
    }
    if (db_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                &self->db) < 0) {
        diagnose(path, 0);
        goto err;
    }
    if ((v = db_user_version(self->db)) < 0) {
        log_warnx("%s is not a SQLite database the hub can read: %s", path,
                  sqlite3_errmsg(self->db));
        diagnose(path, sqlite3_extended_errcode(self->db));
        goto err;
    }
    if (has_known && v == 0) {
        refuse(path, run_dir, N_("is empty"), known);
        goto err;
    }
    if (has_known && v < 5 && v < STORE_SCHEMA_VERSION)
        log_info("%s: a database from before identities (schema %d): it takes the identity "
                 "the run directory remembers", path, v);
    if (exec(self, "PRAGMA journal_mode=WAL") < 0 ||
        exec(self, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                   "PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864") < 0 ||
        db_migrate(self->db, path, migrations, STORE_SCHEMA_VERSION) < 0) {
        diagnose(path, sqlite3_extended_errcode(self->db));
        goto err;
    }
    if (has_known && v < 5 && store_set_identity(self, known) < 0)
        goto err;
    if (meta_identity(self, self->identity, sizeof self->identity) < 0) {
        log_warnx("%s: the database has no identity: %s", path, sqlite3_errmsg(self->db));
        goto err;
    }
    if (has_known && strcmp(known, self->identity) != 0) {
        char what[96];
        snprintf(what, sizeof what, _("was replaced (it is database %s)"), self->identity);
        refuse(path, run_dir, what, known);
        goto err;
    }
    if (!has_known) {
        char line[64];
        int n = snprintf(line, sizeof line, "%s\n", self->identity);
        if (files_join(file, sizeof file, run_dir, IDENTITY_FILE) < 0 ||
            files_write_atomic(file, line, (size_t)n, 0644) < 0) {
            log_warn("cannot write %s/%s", run_dir, IDENTITY_FILE);
            goto err;
        }
    }
    if (stat(path, &sb) < 0) {
        log_warn("%s", path);
        goto err;
    }
    self->dev = sb.st_dev;
    self->ino = sb.st_ino;
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

store_t *
store_open_ro(const char *path)
{
    store_t *self = calloc(1, sizeof *self);
    int v;

    if (!self)
        return NULL;
    self->readonly = 1;
    snprintf(self->path, sizeof self->path, "%s", path);
    pthread_mutex_init(&self->lock, NULL);
    pthread_cond_init(&self->wake, NULL);
    if (db_open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, &self->db) < 0)
        goto err;
    if ((v = db_user_version(self->db)) != STORE_SCHEMA_VERSION) {
        log_warnx("%s: schema version %d, this program reads version %d%s", path, v,
                  STORE_SCHEMA_VERSION, v < 0 ? " (not a lianxi database, or unreadable)" : "");
        goto err;
    }
    if (meta_identity(self, self->identity, sizeof self->identity) < 0)
        self->identity[0] = '\0';
    return self;
err:
    store_close(&self);
    return NULL;
}

store_t *
store_open_aside(const char *path)
{
    store_t *self = store_open_ro(path);

    if (!self)
        return NULL;
    /* The read-only connection told the schema and identity; now one that
     * may write. */
    for (int i = 0; i < self->nstmts; i++)
        sqlite3_finalize(self->stmts[i].st);
    self->nstmts = 0;
    sqlite3_close(self->db);
    self->db = NULL;
    if (db_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &self->db) < 0) {
        diagnose(path, 0);
        store_close(&self);
        return NULL;
    }
    self->readonly = 0;
    self->aside = 1;
    return self;
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
    }
    for (int i = 0; i < self->nstmts; i++)
        sqlite3_finalize(self->stmts[i].st);
    if (self->db && !self->readonly && !self->aside && !self->gone)
        sqlite3_wal_checkpoint_v2(self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    pthread_mutex_destroy(&self->lock);
    pthread_cond_destroy(&self->wake);
    sqlite3_close(self->db);
    free(self);
    *self_p = NULL;
}

sqlite3_stmt *
store_stmt(store_t *self, const char *sql)
{
    sqlite3_stmt *st;

    for (int i = 0; i < self->nstmts; i++)
        if (self->stmts[i].sql == sql) {
            st = self->stmts[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    if (self->nstmts == MAX_STMTS) {
        log_warnx("database: more than %d statements (raise MAX_STMTS in store.c)", MAX_STMTS);
        return NULL;
    }
    if (sqlite3_prepare_v3(self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
        SQLITE_OK) {
        log_warnx("database %s: %s", self->path, sqlite3_errmsg(self->db));
        return NULL;
    }
    self->stmts[self->nstmts].sql = sql;
    self->stmts[self->nstmts].st = st;
    self->nstmts++;
    return st;
}

void
store_done(sqlite3_stmt *st)
{
    if (st)
        sqlite3_reset(st);
}

const char *
store_errmsg(store_t *self)
{
    return sqlite3_errmsg(self->db);
}

int64_t
store_last_rowid(store_t *self)
{
    return sqlite3_last_insert_rowid(self->db);
}

int
store_changes(store_t *self)
{
    return sqlite3_changes(self->db);
}

int
store_on_rollback(store_t *self, void (*fn)(void *), void *arg)
{
    if (self->nhooks == MAX_HOOKS)
        return -1;
    self->hooks[self->nhooks].fn = fn;
    self->hooks[self->nhooks].arg = arg;
    self->nhooks++;
    return 0;
}

void
store_off_rollback(store_t *self, void (*fn)(void *), void *arg)
{
    for (int i = 0; i < self->nhooks; i++)
        if (self->hooks[i].fn == fn && self->hooks[i].arg == arg)
            self->hooks[i--] = self->hooks[--self->nhooks];
}

int
store_in_transaction(store_t *self)
{
    return !sqlite3_get_autocommit(self->db);
}

int
store_begin(store_t *self)
{
    self->ctr_valid = 0;
    self->ctr_dirty = 0;
    if (self->gone)
        return -1;
    if (self->readonly)
        return db_in_transaction_ro(self->db);
    return exec(self, "BEGIN IMMEDIATE");
}

int
store_begin_read(store_t *self)
{
    if (self->gone)
        return -1;
    return db_in_transaction_ro(self->db);
}

void
store_end_read(store_t *self)
{
    db_end_ro(self->db);
}

const char *
store_identity(const store_t *self)
{
    return self->identity;
}

int
store_check_identity(store_t *self, int deep)
{
    struct stat sb;
    const char *what = NULL;
    char now[40];

    if (self->gone)
        return -1;
    if (stat(self->path, &sb) < 0)
        what = _("was deleted or moved");
    else if (sb.st_dev != self->dev || sb.st_ino != self->ino)
        what = _("was replaced by another file");
    else if (sb.st_size == 0)
        what = _("was emptied");
    else if (deep && !store_in_transaction(self) &&
             (meta_identity(self, now, sizeof now) < 0 || strcmp(now, self->identity) != 0))
        what = _("was overwritten with another database");
    if (!what)
        return 0;
    self->gone = 1;
    log_warnx(_("the hub's database %s %s while the hub was running (it is database %s): the "
                "hub takes no more filings and answers no operators; stop it, restore the "
                "database from a backup (or put the file back) and start it again"), self->path,
              what, self->identity);
    return -1;
}

int64_t
store_wal_size(const store_t *self)
{
    char wal[PATH_MAX + 8];
    struct stat sb;

    snprintf(wal, sizeof wal, "%s-wal", self->path);
    return stat(wal, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

int
store_checkpoint(store_t *self)
{
    int rc;

    if (self->readonly || self->gone || store_in_transaction(self))
        return 0;
    /* Never wait for a reader here: the loop would stall behind a briefing. */
    sqlite3_busy_timeout(self->db, 0);
    rc = sqlite3_wal_checkpoint_v2(self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    sqlite3_busy_timeout(self->db, 10000);
    if (rc == SQLITE_BUSY)
        return 1;       /* a reader (a briefing) holds the WAL: later */
    if (rc != SQLITE_OK) {
        log_warnx("database %s: checkpoint: %s", self->path, sqlite3_errmsg(self->db));
        diagnose(self->path, rc);
        return -1;
    }
    return 0;
}


static const char SQL_FIND[] =
    "SELECT content_hash, receipt_no, received_at, due_on, on_time, late_days,"
    " provisional, judged_at FROM filings WHERE unit = ?1 AND filing_id = ?2 AND revision = ?3";
static const char SQL_INSERT[] =
    "INSERT INTO filings(unit, filing_id, revision, stage, category, name,"
    " id_number, work_unit, post, rank, learned_on, summary, scope, case_ref,"
    " queued_at, answers, signature, content_hash, key_id, receipt_no,"
    " received_at, due_on, on_time, late_days, provisional, judged_at, real_name) VALUES"
    " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,"
    "  ?21,?22,?23,?24,?25,?26,?27) ON CONFLICT(unit, filing_id, revision) DO NOTHING";

/* Writes the cached receipt counter into the open transaction. */
static int
counter_flush(store_t *self)
{
    sqlite3_stmt *st;
    int rc;

    if (!self->ctr_valid || !self->ctr_dirty)
        return 0;
    if (!(st = store_stmt(self, "INSERT INTO receipt_counters(year, last) VALUES (?1, ?2)"
                                " ON CONFLICT(year) DO UPDATE SET last = excluded.last")))
        return -1;
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
    sqlite3_stmt *st;
    int rc;

    if (!self->ctr_valid || self->ctr_year != year) {
        if (counter_flush(self) < 0 ||
            !(st = store_stmt(self, "SELECT last FROM receipt_counters WHERE year = ?1")))
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
    if (self->readonly) {
        db_end_ro(self->db);
        return 0;
    }
    if (counter_flush(self) < 0) {
        log_warnx("database %s: storing the receipt counter: %s", self->path,
                  sqlite3_errmsg(self->db));
        goto err;
    }
    self->ctr_valid = 0;
    if (exec(self, "COMMIT") < 0)
        goto err;
    if (self->wal_frames >= WAL_HARD_PAGES) {
        /* No other writer exists: a passive checkpoint here backfills the
         * whole WAL unless a reader holds it, and the next commit starts
         * the WAL over (cut to journal_size_limit). */
        self->wal_frames = 0;
        sqlite3_wal_checkpoint_v2(self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
    return 0;
err:
    diagnose(self->path, sqlite3_extended_errcode(self->db));
    store_rollback(self);
    return -1;
}

void
store_rollback(store_t *self)
{
    self->ctr_valid = 0;
    self->ctr_dirty = 0;
    if (!sqlite3_get_autocommit(self->db))
        sqlite3_exec(self->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < self->nhooks; i++)
        self->hooks[i].fn(self->hooks[i].arg);
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
 * revision); returns STORE_DUPLICATE or STORE_CONFLICT by content,
 * STORE_NEW when there is none, or -1. */
static int
existing(store_t *self, const char *unit, const Lianxi__Filing *f,
         const uint8_t hash[CANON_HASHLEN], struct receipt_info *out)
{
    sqlite3_stmt *st = store_stmt(self, SQL_FIND);
    int rc, same;

    if (!st)
        return -1;
    text(st, 1, unit);
    text(st, 2, f->filing_id);
    sqlite3_bind_int64(st, 3, f->revision);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_NEW : -1;
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

/* Keeps the matter of a new notice or report (matters.h): its first
 * receipt, its current content (the highest stage, then revision) and its
 * report's first revision.  Returns 0, or -1. */
static int
put_matter(store_t *self, const char *unit, const Lianxi__Filing *f, int64_t received_at,
           int64_t row)
{
    sqlite3_stmt *st = store_stmt(self,
        "INSERT INTO matters(unit, case_ref, id_number, first_received, current_id,"
        " current_stage, current_revision, report_id, report_revision)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?6 = 2 THEN ?5 END,"
        "  CASE WHEN ?6 = 2 THEN ?7 END)"
        " ON CONFLICT(unit, case_ref, id_number) DO UPDATE SET"
        " first_received = min(first_received, excluded.first_received),"
        " current_id = CASE WHEN (excluded.current_stage, excluded.current_revision) >"
        "  (current_stage, current_revision) THEN excluded.current_id ELSE current_id END,"
        " current_revision = CASE WHEN (excluded.current_stage, excluded.current_revision) >"
        "  (current_stage, current_revision) THEN excluded.current_revision"
        "  ELSE current_revision END,"
        " current_stage = max(current_stage, excluded.current_stage),"
        /* Filings are stored in the order received: the first report
         * stored is the report's first receipt. */
        " report_id = coalesce(report_id, excluded.report_id),"
        " report_revision = coalesce(report_revision, excluded.report_revision)");
    int rc;

    if (!st)
        return -1;
    text(st, 1, unit);
    text(st, 2, f->case_ref);
    text(st, 3, f->cadre->id_number);
    sqlite3_bind_int64(st, 4, received_at);
    sqlite3_bind_int64(st, 5, row);
    sqlite3_bind_int(st, 6, f->stage);
    sqlite3_bind_int64(st, 7, f->revision);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int
store_take_receipt_no(store_t *self, int64_t at, char out[24])
{
    int y, m, d;
    int64_t n;

    days_to_civil(days_shanghai(at), &y, &m, &d);
    if ((n = counter_next(self, y)) < 0) {
        log_warnx("database: the receipt counter: %s", sqlite3_errmsg(self->db));
        return -1;
    }
    snprintf(out, 24, "%04d-%06lld", y, (long long)n);
    return 0;
}

void
store_give_back_receipt_no(store_t *self)
{
    self->ctr_last--;
}

/* 1 when receipt_no is stored already (under any filing or opinion), 0
 * when not, -1. */
static int
number_taken(store_t *self, const char *receipt_no)
{
    sqlite3_stmt *st = store_stmt(self, "SELECT 1 FROM filings WHERE receipt_no = ?1 UNION ALL"
                                        " SELECT 1 FROM opinions WHERE receipt_no = ?1");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, receipt_no, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int put_filing(store_t *self, const char *unit, const char *key_id,
                      const Lianxi__Filing *f, const uint8_t hash[CANON_HASHLEN],
                      const struct judgement *j, const char *given_no, struct receipt_info *out);

int
store_put_filing(store_t *self, const char *unit, const char *key_id, const Lianxi__Filing *f,
                 const uint8_t hash[CANON_HASHLEN], const struct judgement *j,
                 struct receipt_info *out)
{
    return put_filing(self, unit, key_id, f, hash, j, NULL, out);
}

int
store_put_filing_as(store_t *self, const char *unit, const char *key_id,
                    const Lianxi__Filing *f, const uint8_t hash[CANON_HASHLEN],
                    const struct receipt_info *given, struct receipt_info *out)
{
    struct judgement j;
    int y, n, rc;

    memset(&j, 0, sizeof j);
    j.received_at = given->received_at;
    j.judged_at = given->judged_at;
    memcpy(j.due_on, given->due_on, sizeof j.due_on);
    j.due_on[sizeof j.due_on - 1] = '\0';
    j.on_time = given->on_time;
    j.late_days = given->late_days;
    j.provisional = given->provisional;
    if (sscanf(given->receipt_no, "%4d-%6d", &y, &n) != 2 || y < 1000 || n < 1)
        return STORE_TAKEN;
    /* Already here (the same filing): its receipt, as for any duplicate. */
    if ((rc = existing(self, unit, f, hash, out)) < 0)
        return -1;
    if (rc == STORE_DUPLICATE || rc == STORE_CONFLICT)
        return rc;
    if ((rc = number_taken(self, given->receipt_no)) != 0)
        return rc < 0 ? -1 : STORE_TAKEN;
    /* Numbers are handed out above it from now on. */
    if (store_raise_receipt_floor(self, y, n) < 0)
        return -1;
    return put_filing(self, unit, key_id, f, hash, &j, given->receipt_no, out);
}

int
store_filing_held(store_t *self, const char *unit, const Lianxi__Filing *f,
                  const uint8_t hash[CANON_HASHLEN])
{
    struct receipt_info r;

    return existing(self, unit, f, hash, &r);
}

static int
put_filing(store_t *self, const char *unit, const char *key_id, const Lianxi__Filing *f,
           const uint8_t hash[CANON_HASHLEN], const struct judgement *j, const char *given_no,
           struct receipt_info *out)
{
    const Lianxi__Cadre *c = f->cadre;
    sqlite3_stmt *st;
    int rc, y, m, d;
    int64_t n = 0;

    memset(out, 0, sizeof *out);
    days_to_civil(days_shanghai(j->received_at), &y, &m, &d);
    if (given_no)
        snprintf(out->receipt_no, sizeof out->receipt_no, "%s", given_no);
    else if ((n = counter_next(self, y)) < 0)
        goto dberr;
    else
        snprintf(out->receipt_no, sizeof out->receipt_no, "%04d-%06lld", y, (long long)n);
    out->received_at = j->received_at;
    out->judged_at = j->judged_at;
    memcpy(out->due_on, j->due_on, sizeof out->due_on);
    out->on_time = j->on_time;
    out->late_days = j->late_days;
    out->provisional = j->provisional;

    if (!(st = store_stmt(self, SQL_INSERT)))
        goto dberr;
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
    sqlite3_bind_int(st, 27, f->real_name ? 1 : 0);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        goto dberr;
    if (sqlite3_changes(self->db) == 1) {
        out->row = sqlite3_last_insert_rowid(self->db);
        if (f->stage != LIANXI__STAGE__STAGE_NOTICE && f->stage != LIANXI__STAGE__STAGE_REPORT)
            return STORE_NEW;
        if (put_matter(self, unit, f, out->received_at, out->row) < 0)
            goto dberr;
        return STORE_NEW;
    }
    /* Already stored: the number just taken is given back, so none is skipped. */
    if (!given_no)
        self->ctr_last--;
    if ((rc = existing(self, unit, f, hash, out)) <= 0)
        goto dberr;         /* (not there after a conflict: an error) */
    return rc;
dberr:
    log_warnx("database: storing filing %s: %s", f->filing_id, sqlite3_errmsg(self->db));
    return -1;
}

int
store_put_rejection(store_t *self, int64_t at, const char *unit, const char *key_id,
                    const char *filing_id, uint32_t revision, int code, const char *detail)
{
    sqlite3_stmt *st = store_stmt(self, "INSERT INTO rejections(at, unit, key_id, filing_id,"
                                        " revision, code, detail) VALUES (?1,?2,?3,?4,?5,?6,?7)");
    int rc;

    if (!st)
        return -1;
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
    if (!(st = store_stmt(self, "SELECT stopped_at IS NULL FROM hub_runs"
                                " ORDER BY id DESC LIMIT 1")))
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        *crashed = sqlite3_column_int(st, 0);
    store_done(st);
    if (!(st = store_stmt(self, "INSERT INTO hub_runs(started_at, alive_at, after_crash)"
                                " VALUES (?1, ?1, ?2)")))
        return -1;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, *crashed);
    if (sqlite3_step(st) == SQLITE_DONE)
        id = sqlite3_last_insert_rowid(self->db);
    store_done(st);
    return id;
}

static int
run_update(store_t *self, const char *sql, int64_t run, int64_t now)
{
    sqlite3_stmt *st;
    int rc;

    if (self->gone || !(st = store_stmt(self, sql)))
        return -1;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, run);
    rc = sqlite3_step(st);
    store_done(st);
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
    if (!(st = store_stmt(self, "SELECT started_at, coalesce(stopped_at, alive_at)"
                                " FROM hub_runs ORDER BY id")))
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
                    store_done(st);
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
    store_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The statement sql about one unit's filing (?1 unit, ?2 filing id), bound. */
static sqlite3_stmt *
by_filing(store_t *self, const char *sql, const char *unit, const char *filing_id)
{
    sqlite3_stmt *st = store_stmt(self, sql);

    if (st) {
        text(st, 1, unit);
        text(st, 2, filing_id);
    }
    return st;
}

int
store_first_judgement(store_t *self, const char *unit, const char *filing_id,
                      struct judgement *j)
{
    sqlite3_stmt *st = by_filing(self, "SELECT due_on, on_time, late_days, provisional"
                                       " FROM filings WHERE unit = ?1 AND filing_id = ?2"
                                       " AND stage = 2 ORDER BY received_at, id LIMIT 1",
                                 unit, filing_id);
    int rc;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        copy_col(j->due_on, sizeof j->due_on, st, 0);
        j->on_time = sqlite3_column_int(st, 1);
        j->late_days = sqlite3_column_int(st, 2);
        j->provisional = sqlite3_column_int(st, 3);
    }
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
store_matter_reported(store_t *self, const char *unit, const char *case_ref,
                      const char *id_number)
{
    sqlite3_stmt *st = store_stmt(self, "SELECT report_id IS NOT NULL FROM matters WHERE"
                                        " unit = ?1 AND case_ref = ?2 AND id_number = ?3");
    int rc, yes = 0;

    if (!st)
        return -1;
    text(st, 1, unit);
    text(st, 2, case_ref);
    text(st, 3, id_number);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        yes = sqlite3_column_int(st, 0);
    store_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? yes : -1;
}

int
store_rebuild_matters(store_t *self)
{
    if (store_begin(self) < 0)
        return -1;
    if (exec(self, "DELETE FROM matters;" MATTERS_FROM_FILINGS) < 0) {
        store_rollback(self);
        return -1;
    }
    return store_commit(self);
}

int
store_filing_latest(store_t *self, const char *unit, const char *filing_id,
                    char case_ref[256], char receipt_no[24], char id_number[24])
{
    sqlite3_stmt *st = by_filing(self, "SELECT case_ref, receipt_no, id_number FROM filings"
                                       " WHERE unit = ?1 AND filing_id = ?2"
                                       " ORDER BY revision DESC LIMIT 1", unit, filing_id);
    int rc;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        copy_col(case_ref, 256, st, 0);
        copy_col(receipt_no, 24, st, 1);
        copy_col(id_number, 24, st, 2);
    }
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}


/* ---- backups and restores ------------------------------------------- */

int
store_copy(const char *path, const char *out)
{
    sqlite3 *src = NULL, *dst = NULL;
    sqlite3_backup *b;
    int rc = -1, step;

    if (db_open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, &src) < 0)
        goto out;
    if (db_open(out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, &dst) < 0)
        goto out;
    if (!(b = sqlite3_backup_init(dst, "main", src, "main"))) {
        log_warnx(_("backup of %s: %s"), path, sqlite3_errmsg(dst));
        goto out;
    }
    /* All pages in one step: one consistent state of the database, the
     * hub's writer waiting meanwhile at most the busy timeout. */
    do {
        step = sqlite3_backup_step(b, -1);
        if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
            sqlite3_sleep(50);
    } while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) {
        log_warnx(_("backup of %s: %s"), path, sqlite3_errstr(step));
        goto out;
    }
    /* The copy is one file (no WAL beside it), checked before it is
     * called a backup. */
    if (db_exec(dst, out, "PRAGMA journal_mode=DELETE") < 0)
        goto out;
    sqlite3_close(dst);
    dst = NULL;
    {
        char why[256];
        if (store_check(out, why, sizeof why) < 0) {
            log_warnx(_("the copy of %s fails its integrity check: %s"), path, why);
            goto out;
        }
    }
    rc = 0;
out:
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc;
}

int
store_check(const char *path, char *why, size_t n)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = -1;

    snprintf(why, n, "%s", "");
    if (db_open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, &db) < 0 ||
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        snprintf(why, n, "%s", db ? sqlite3_errmsg(db) : "cannot open");
        goto out;
    }
    if (sqlite3_step(st) != SQLITE_ROW) {
        snprintf(why, n, "%s", sqlite3_errmsg(db));
        goto out;
    }
    snprintf(why, n, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
    rc = strcmp(why, "ok") == 0 ? 0 : -1;
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* A floor a restore left: the value of store_meta's key, or 0. */
static int64_t
meta_int(store_t *self, const char *key)
{
    sqlite3_stmt *st = store_stmt(self, "SELECT value FROM store_meta WHERE key = ?1");
    int64_t v = 0;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    store_done(st);
    return v;
}

int
store_facts(store_t *self, struct store_facts *f)
{
    sqlite3_stmt *st;
    int rc;

    memset(f, 0, sizeof *f);
    snprintf(f->identity, sizeof f->identity, "%s", self->identity);
    if (!f->identity[0])
        meta_identity(self, f->identity, sizeof f->identity);
    f->schema = db_user_version(self->db);
    if (!(st = store_stmt(self, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")))
        return -1;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        f->audit_seq = (uint64_t)sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == (int)sizeof f->audit_head)
            memcpy(f->audit_head, sqlite3_column_blob(st, 1), sizeof f->audit_head);
    }
    store_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    if (!(st = store_stmt(self, "SELECT count(*), coalesce(max(received_at), 0) FROM filings")))
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        f->filings = sqlite3_column_int64(st, 0);
        f->last_received_at = sqlite3_column_int64(st, 1);
    }
    store_done(st);
    if (!(st = store_stmt(self, "SELECT year, last FROM receipt_counters ORDER BY year DESC")))
        return -1;
    while (f->nyears < STORE_FACT_YEARS && sqlite3_step(st) == SQLITE_ROW) {
        f->years[f->nyears].year = sqlite3_column_int(st, 0);
        f->years[f->nyears].last = sqlite3_column_int64(st, 1);
        f->nyears++;
    }
    store_done(st);
    /* The numbers units were given for other things: their floors too. */
    if (!(st = store_stmt(self, "SELECT (SELECT coalesce(max(id), 0) FROM obligations),"
                                " (SELECT coalesce(max(id), 0) FROM hub_messages)")))
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        f->max_obligation = f->held_obligation = sqlite3_column_int64(st, 0);
        f->max_message = f->held_message = sqlite3_column_int64(st, 1);
    }
    store_done(st);
    {
        int64_t fo = meta_int(self, "floor.obligation"), fm = meta_int(self, "floor.message");
        if (fo > f->max_obligation)
            f->max_obligation = fo;
        if (fm > f->max_message)
            f->max_message = fm;
    }
    return 0;
}

static int
meta_put(store_t *self, const char *key, const char *value)
{
    sqlite3_stmt *st = store_stmt(self, "INSERT INTO store_meta(key, value) VALUES (?1, ?2)"
                                        " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int
store_raise_receipt_floor(store_t *self, int year, int64_t last)
{
    sqlite3_stmt *st;
    int rc;

    if (counter_flush(self) < 0)
        return -1;
    self->ctr_valid = 0;            /* read again after this */
    if (!(st = store_stmt(self, "INSERT INTO receipt_counters(year, last) VALUES (?1, ?2)"
                                " ON CONFLICT(year) DO UPDATE SET last = max(last, excluded.last)")))
        return -1;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_int64(st, 2, last);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? store_changes(self) : -1;
}

int
store_raise_id_floor(store_t *self, const char *what, int64_t id)
{
    char key[40], value[24];

    if (strcmp(what, "obligation") != 0 && strcmp(what, "message") != 0)
        return -1;
    snprintf(key, sizeof key, "floor.%s", what);
    if (meta_int(self, key) >= id)
        return 0;
    snprintf(value, sizeof value, "%lld", (long long)id);
    return meta_put(self, key, value);
}

int
store_set_note(store_t *self, const char *key, const char *value)
{
    char k[64];

    snprintf(k, sizeof k, "note.%s", key);
    return meta_put(self, k, value);
}

int
store_get_note(store_t *self, const char *key, char *out, size_t n)
{
    sqlite3_stmt *st = store_stmt(self, "SELECT value FROM store_meta WHERE key = 'note.' || ?1");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, n, "%s", sqlite3_column_text(st, 0));
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
store_unit_receipts(store_t *self, const char *unit, store_receipt_fn *fn, void *arg)
{
    sqlite3_stmt *st = store_stmt(self, "SELECT receipt_no FROM filings WHERE unit = ?1"
                                        " ORDER BY 1");
    int rc, n = 0;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        n++;
        if (fn(arg, (const char *)sqlite3_column_text(st, 0)) < 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    store_done(st);
    return rc == SQLITE_DONE ? n : -1;
}

int
store_single_file(const char *path)
{
    sqlite3 *db = NULL;
    int rc = -1;

    if (db_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &db) == 0 &&
        db_exec(db, path, "PRAGMA journal_mode=DELETE") == 0)
        rc = 0;
    sqlite3_close(db);
    return rc;
}
