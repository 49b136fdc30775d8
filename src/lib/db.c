/* db.c — SQLite helpers: statements and schema migrations. */
#include "db.h"
#include "fault.h"
#include "i18n.h"
#include "log.h"

#include <stdio.h>

int
db_exec(sqlite3 *db, const char *what, const char *sql)
{
    char *err = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        log_warnx("%s: %s", what, err ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

int
db_user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;

    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int
db_open(const char *path, int flags, sqlite3 **out)
{
    *out = NULL;
    if (fault_init() < 0)
        log_warnx("the storage fault injection asked for cannot be set up");
    if (sqlite3_open_v2(path, out, flags, NULL) != SQLITE_OK) {
        log_warnx("cannot open database %s: %s", path, *out ? sqlite3_errmsg(*out)
                                                           : "out of memory");
        sqlite3_close(*out);
        *out = NULL;
        return -1;
    }
    sqlite3_extended_result_codes(*out, 1);
    sqlite3_busy_timeout(*out, 10000);
    return 0;
}

int
db_migrate(sqlite3 *db, const char *path, const char *const *steps, int nsteps)
{
    char sql[64];
    int v;

    /* The version is read inside the write transaction, so that two
     * programs opening a new file at once migrate it once: the second
     * waits for the first and then finds it done. */
    for (;;) {
        if (db_exec(db, path, "BEGIN IMMEDIATE") < 0)
            return -1;
        if ((v = db_user_version(db)) < 0) {
            db_exec(db, path, "ROLLBACK");
            return -1;
        }
        if (v > nsteps) {
            db_exec(db, path, "ROLLBACK");
            log_warnx("%s has schema version %d, newer than this program's %d: run a newer "
                      "lianxi", path, v, nsteps);
            return -1;
        }
        if (v == nsteps)
            return db_exec(db, path, "COMMIT");
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if (db_exec(db, path, steps[v]) < 0 || db_exec(db, path, sql) < 0) {
            db_exec(db, path, "ROLLBACK");
            log_warnx("%s: migration to schema %d failed", path, v + 1);
            return -1;
        }
        if (db_exec(db, path, "COMMIT") < 0)
            return -1;
        if (v > 0)
            log_info(_("%s: schema migrated to version %d"), path, v + 1);
    }
}

int
db_in_transaction_ro(sqlite3 *db)
{
    return sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

void
db_end_ro(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}
