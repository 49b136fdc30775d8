/* store.h — the hub's database, and its only owner: it opens every
 * connection (the hub's writer, and read-only ones for briefings, exports
 * and the offline board), prepares every statement, runs every transaction,
 * checkpoints the WAL and knows the database's identity.  It also owns the
 * intake tables: filings (written only here), matters (kept with them: the
 * counting model's rows, matters.h), receipt counters, rejections and hub
 * runs.  The other tables each belong to one module, whose SQL
 * lives in that module and runs through store_stmt: obligations and
 * hub_messages (oblig), reviews (review), meetings (meeting), audit_log and
 * audit_checkpoints (audit), joint_reviews, joint_review_candidates,
 * joint_review_units, opinions and opinion_answers (jointreview), archives
 * (archive), attachments, filing_attachments, opinion_attachments and
 * attachment_uploads (attach), meeting_notices, meeting_invitees and
 * attendances (notice), dispatches and dispatch_documents (dispatch).
 * Read models (query, board, brief, health) only read. */
#ifndef LX_STORE_H
#define LX_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "canon.h"
#include "judge.h"
#include "lianxi.pb-c.h"

/* Schema version (PRAGMA user_version).  Bump procedure: add a migration
 * step to migrations[] in store.c that takes version N-1 to N, raise this
 * number, and never edit a step that has shipped. */
#define STORE_SCHEMA_VERSION 12

typedef struct store store_t;

/* Opens the hub's database for writing (creating and migrating it): WAL,
 * synchronous=FULL, the WAL checkpointed as the hub runs.  run_dir is the
 * hub's run directory, which remembers the identity of the database it ran
 * on: a database that was deleted, emptied or replaced since is refused
 * (NULL, with a log line that says what happened and how to restore).
 * Returns NULL after logging why. */
store_t *store_open(const char *path, const char *run_dir);

/* Opens the database read-only (briefings, exports, the offline board):
 * refuses a schema version other than this program's.  Returns NULL after
 * logging. */
store_t *store_open_ro(const char *path);

/* Opens the database for a short write from a second process while the hub
 * may be running (`lianxi-hub archive` recording the archive it wrote):
 * read-write, the schema version must be this program's (never migrated
 * here), no checkpoint thread and no checkpoint at close (which would hold
 * the hub's writer up), BEGIN IMMEDIATE waiting for the hub's transaction
 * up to the busy timeout (10 s).  Only tables the hub keeps no state about
 * in memory may be written this way: never the audit trail (the hub holds
 * its head).  Returns NULL after logging. */
store_t *store_open_aside(const char *path);

/* Checkpoints the WAL into the database (TRUNCATE), closes every statement
 * and the connection, and clears *self_p.  Accepts NULL. */
void store_close(store_t **self_p);

/* The prepared statement for sql on this store's connection, ready to bind
 * (reset, bindings cleared).  sql must be a string with static storage (a
 * literal, or a static array): statements are kept by its address and
 * prepared once.  Release with store_done after the last step.  Returns
 * NULL after logging. */
sqlite3_stmt *store_stmt(store_t *self, const char *sql);
/* Resets st (NULL is fine) so that it holds no read lock. */
void store_done(sqlite3_stmt *st);
/* The last error on the connection, the rowid of the last insert, and the
 * rows the last statement changed. */
const char *store_errmsg(store_t *self);
int64_t store_last_rowid(store_t *self);
int store_changes(store_t *self);

/* One transaction API.  begin starts a write transaction (BEGIN IMMEDIATE;
 * a read transaction on a read-only store); commit makes it durable;
 * rollback undoes it and calls every rollback hook, so that a module that
 * keeps state about the transaction (the audit trail's head, the receipt
 * counter) forgets what was not committed.  A commit that fails rolls back
 * by itself.  begin and commit return 0, or -1 after logging. */
int store_begin(store_t *self);
int store_commit(store_t *self);
void store_rollback(store_t *self);
/* A read transaction, so that every query of a document or a board sees
 * one state of the database while the writer goes on (WAL).  begin_read
 * returns 0, or -1. */
int store_begin_read(store_t *self);
void store_end_read(store_t *self);
/* 1 while a transaction is open. */
int store_in_transaction(store_t *self);
/* Registers fn(arg) to run after every rollback, and removes it again.
 * on returns 0, or -1. */
int store_on_rollback(store_t *self, void (*fn)(void *arg), void *arg);
void store_off_rollback(store_t *self, void (*fn)(void *arg), void *arg);

/* 0 while the database is the one the hub opened; -1 (after logging once)
 * when it was deleted, emptied or replaced under the running hub.  deep
 * also reads the identity inside the file (a copy over the same file).
 * The hub then stops taking filings. */
int store_check_identity(store_t *self, int deep);
/* The database's identity (hex), for the log. */
const char *store_identity(const store_t *self);

/* The WAL's size in bytes now (0 when there is none). */
int64_t store_wal_size(const store_t *self);
/* Checkpoints the WAL and truncates it (the hub calls it when idle).
 * Returns 0 when done, 1 when a reader holds the WAL (try later), or -1
 * after logging. */
int store_checkpoint(store_t *self);

/* Backups and restores (backup.c).  store_copy copies the database at
 * path, while a hub may be writing it, into the new file out with SQLite's
 * backup API (one consistent state), as one file without a WAL, and checks
 * the copy (PRAGMA integrity_check).  store_check runs that check on the
 * file at path (why gets "ok" or the first problem).  Both return 0, or -1
 * after logging. */
int store_copy(const char *path, const char *out);
int store_check(const char *path, char *why, size_t n);
/* Makes the (closed) database at path one file: its WAL copied in and
 * removed (journal_mode DELETE; the hub sets WAL again when it opens it).
 * Returns 0, or -1 after logging. */
int store_single_file(const char *path);

#define STORE_FACT_YEARS 16
/* What a database holds that a backup names and a restore must not go
 * below: its identity and schema, the audit trail's head, its filings and
 * the numbers it handed out (receipt numbers per year, the highest
 * obligation and hub message ids, floors included). */
struct store_facts {
    char identity[40];
    int schema;
    uint64_t audit_seq;
    uint8_t audit_head[32];
    int64_t filings, last_received_at;
    struct { int year; int64_t last; } years[STORE_FACT_YEARS];
    int nyears;
    int64_t max_obligation, max_message;
    int64_t held_obligation, held_message;  /* the same without the floors */
};
int store_facts(store_t *self, struct store_facts *f);
/* Inside the open transaction: receipt numbers of year are handed out
 * above last from now on (returns 1 when that raised the counter, 0 when
 * it was there already); the ids of obligations or hub messages ("obligation",
 * "message") above id.  After a restore, so that no number a unit holds is
 * handed out twice.  Return -1 on a database error. */
int store_raise_receipt_floor(store_t *self, int year, int64_t last);
int store_raise_id_floor(store_t *self, const char *what, int64_t id);
/* Notes the hub keeps about its database (the last restore, say) in
 * store_meta: set inside the open transaction; get returns 1 with the value
 * in out, 0 when there is none, -1. */
int store_set_note(store_t *self, const char *key, const char *value);
int store_get_note(store_t *self, const char *key, char *out, size_t n);

struct receipt_info {
    char receipt_no[24];
    int64_t received_at;
    int64_t judged_at;
    char due_on[11];
    int on_time;
    int late_days;
    int provisional;
    int64_t obligation_id;      /* a filing offered again after a restore: the obligation
                                 * its receipt opened (OB-N), kept (0: none, or the next) */
    int64_t row;                /* STORE_NEW: the filing's row (its attachments name it) */
};

enum { STORE_NEW = 0, STORE_DUPLICATE = 1, STORE_CONFLICT = 2, STORE_TAKEN = 3 };

/* Stores a validated, verified filing from unit (authenticated as key_id)
 * inside the open transaction.  On STORE_NEW a receipt number is assigned
 * (gap-free per year of received_at, Asia/Shanghai) and out filled; on
 * STORE_DUPLICATE out is the original receipt; STORE_CONFLICT means the
 * same id and revision were stored with other content.  Returns -1 on a
 * database error (the caller rolls back). */
int store_put_filing(store_t *self, const char *unit, const char *key_id,
                     const Lianxi__Filing *f, const uint8_t hash[CANON_HASHLEN],
                     const struct judgement *j, struct receipt_info *out);

/* Whether unit's filing f (content hash) is held: STORE_NEW when not,
 * STORE_DUPLICATE with the same content, STORE_CONFLICT with other
 * content under its id and revision; -1 on a database error.  Nothing is
 * written (a filing's attachments are not asked for when it conflicts). */
int store_filing_held(store_t *self, const char *unit, const Lianxi__Filing *f,
                      const uint8_t hash[CANON_HASHLEN]);

/* Stores a filing the hub acknowledged before a restore, offered again by
 * its unit with its receipt (given: number, times, judgement; the caller
 * checked the hub's signature over it): under that number, with that
 * judgement, and raises the year's counter to it.  STORE_DUPLICATE (out
 * the receipt stored) when the hub holds the filing, STORE_CONFLICT when
 * it holds other content under its id and revision, STORE_TAKEN when
 * another filing holds the number (or it is no receipt number).  Returns
 * -1 on a database error. */
int store_put_filing_as(store_t *self, const char *unit, const char *key_id,
                        const Lianxi__Filing *f, const uint8_t hash[CANON_HASHLEN],
                        const struct receipt_info *given, struct receipt_info *out);
/* Calls fn with every receipt number the hub holds of unit's filings
 * (opinions are not reconciled), in order, until it returns -1.  Returns
 * how many, or -1. */
typedef int (store_receipt_fn)(void *arg, const char *receipt_no);
int store_unit_receipts(store_t *self, const char *unit, store_receipt_fn *fn, void *arg);

/* Takes the next receipt number of the year of at (Asia/Shanghai),
 * gap-free, inside the open transaction: a joint review's opinion is
 * numbered in the same sequence as filings.  Returns 0, or -1 after
 * logging.  give_back returns the number just taken when nothing was
 * stored under it. */
int store_take_receipt_no(store_t *self, int64_t at, char out[24]);
void store_give_back_receipt_no(store_t *self);

/* Records a refused filing inside the open transaction.  Returns 0, or -1. */
int store_put_rejection(store_t *self, int64_t at, const char *unit, const char *key_id,
                        const char *filing_id, uint32_t revision, int code,
                        const char *detail);

/* The judgement of a unit's report filing as first received into j
 * (due_on, on_time, late_days, provisional): an amended report is answered
 * with it, since amendments never change timeliness (judged_at stays the
 * amendment's own).  Returns 1, 0 when no report of that id is stored, or
 * -1. */
int store_first_judgement(store_t *self, const char *unit, const char *filing_id,
                          struct judgement *j);

/* 1 when the matter (unit, case_ref, id_number) has its report, 0 when not
 * (or there is no such matter), -1 on error. */
int store_matter_reported(store_t *self, const char *unit, const char *case_ref,
                          const char *id_number);

/* Builds the matters table again from the filings (for data written into
 * filings by other means: benchmarks, repairs).  Returns 0, or -1. */
int store_rebuild_matters(store_t *self);

/* The latest revision of a unit's filing: its case reference, receipt
 * number and the cadre's ID number (buffers of 256, 24 and 24 bytes).
 * Returns 1 when found, 0 when not, -1 on a database error. */
int store_filing_latest(store_t *self, const char *unit, const char *filing_id,
                        char case_ref[256], char receipt_no[24], char id_number[24]);

/* The hub's past downtime, from the end of each earlier run (its clean stop,
 * or its last sign of life after a crash) to the start of the next one,
 * the last ending at now.  Fills dt (dt->iv to be freed).  Returns 0, or -1. */
int store_downtime(store_t *self, int64_t now, struct downtime *dt);

/* Hub runs, so that its downtime is known: start returns the run id and
 * sets *crashed when the previous run ended without a clean stop. */
int64_t store_run_start(store_t *self, int64_t now, int *crashed);
int store_run_alive(store_t *self, int64_t run, int64_t now);
int store_run_stop(store_t *self, int64_t run, int64_t now);

#endif
