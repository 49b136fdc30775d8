/* db.h — what the hub's store and the adapters' outboxes share on SQLite:
 * running statements with one log line on failure, and versioned schemas. */
#ifndef LX_DB_H
#define LX_DB_H

#include <sqlite3.h>

/* Opens path with sqlite3_open_v2 flags (through the test fault VFS when a
 * test asked for one), extended result codes on, a 10 s busy timeout.
 * Returns 0, or -1 after logging (with *out NULL). */
int db_open(const char *path, int flags, sqlite3 **out);

/* Runs sql (one or more statements).  Returns 0, or -1 after logging with
 * what as the prefix. */
int db_exec(sqlite3 *db, const char *what, const char *sql);

/* PRAGMA user_version, or -1. */
int db_user_version(sqlite3 *db);

/* Brings the schema to version n = nsteps: steps[i] takes version i to i + 1,
 * each in its own transaction with the version bump.  A database newer than
 * this program is refused.  Returns 0, or -1 after logging. */
int db_migrate(sqlite3 *db, const char *path, const char *const *steps, int nsteps);

/* A read transaction, so that every query of a document sees one state of
 * the database (the writer goes on meanwhile, WAL).  Returns 0, or -1. */
int db_in_transaction_ro(sqlite3 *db);
void db_end_ro(sqlite3 *db);

#endif
