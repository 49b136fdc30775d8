/* store.h — the hub's SQLite database: filings, receipts, rejections, runs. */
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
#define STORE_SCHEMA_VERSION 4

typedef struct store store_t;

/* Opens (creating and migrating when writable) the database at path: WAL,
 * synchronous=FULL.  A read-only store refuses a schema it does not know.
 * Returns NULL after logging why. */
store_t *store_open(const char *path, int readonly);
void store_close(store_t **self_p);
sqlite3 *store_db(store_t *self);

int store_begin(store_t *self);
int store_commit(store_t *self);
void store_rollback(store_t *self);

struct receipt_info {
    char receipt_no[24];
    int64_t received_at;
    int64_t judged_at;
    char due_on[11];
    int on_time;
    int late_days;
    int provisional;
};

enum { STORE_NEW = 0, STORE_DUPLICATE = 1, STORE_CONFLICT = 2 };

/* Stores a validated, verified filing from unit (authenticated as key_id)
 * inside the open transaction.  On STORE_NEW a receipt number is assigned
 * (gap-free per year of received_at, Asia/Shanghai) and out filled; on
 * STORE_DUPLICATE out is the original receipt; STORE_CONFLICT means the
 * same id and revision were stored with other content.  Returns -1 on a
 * database error (the caller rolls back). */
int store_put_filing(store_t *self, const char *unit, const char *key_id,
                     const Lianxi__Filing *f, const uint8_t hash[CANON_HASHLEN],
                     const struct judgement *j, struct receipt_info *out);

/* Records a refused filing inside the open transaction.  Returns 0, or -1. */
int store_put_rejection(store_t *self, int64_t at, const char *unit, const char *key_id,
                        const char *filing_id, uint32_t revision, int code,
                        const char *detail);

struct downtime;
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
