/* review.c — the reviews table: the supervision group's decisions on filings. */
#include "review.h"
#include "log.h"

#include <stdio.h>

int
review_add(store_t *st, int64_t at, const char *actor, const char *unit, const char *filing_id,
           const char *action, const char *text, int64_t obligation, char receipt_no[24])
{
    sqlite3_stmt *q = store_stmt(st, "INSERT INTO reviews(at, actor, receipt_no, unit, filing_id,"
                                     " action, text, obligation_id) VALUES (?1, ?2, (SELECT"
                                     " receipt_no FROM filings WHERE unit = ?3 AND filing_id = ?4"
                                     " ORDER BY revision DESC LIMIT 1), ?3, ?4, ?5, ?6, ?7)"
                                     " RETURNING receipt_no");
    int ok;

    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, at);
    sqlite3_bind_text(q, 2, actor, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 4, filing_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 5, action, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 6, text ? text : "", -1, SQLITE_TRANSIENT);
    if (obligation > 0)
        sqlite3_bind_int64(q, 7, obligation);
    ok = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL;
    if (ok)
        snprintf(receipt_no, 24, "%s", sqlite3_column_text(q, 0));
    else
        log_warnx("database: storing a review of %s %s: %s", unit, filing_id, store_errmsg(st));
    /* RETURNING: the insert is finished only when the statement is. */
    if (ok && sqlite3_step(q) != SQLITE_DONE)
        ok = 0;
    store_done(q);
    return ok ? 0 : -1;
}

int
review_list(store_t *st, const char *unit, const char *filing_id, review_fn *fn, void *arg)
{
    sqlite3_stmt *q = store_stmt(st, "SELECT at, actor, action, text, obligation_id, receipt_no"
                                     " FROM reviews WHERE unit = ?1 AND filing_id = ?2"
                                     " ORDER BY id");
    int n = 0, rc;

    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, filing_id, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct review_row r = {
            .at = sqlite3_column_int64(q, 0),
            .actor = (const char *)sqlite3_column_text(q, 1),
            .action = (const char *)sqlite3_column_text(q, 2),
            .text = (const char *)sqlite3_column_text(q, 3),
            .obligation = sqlite3_column_type(q, 4) == SQLITE_NULL ? 0
                                                                   : sqlite3_column_int64(q, 4),
            .receipt_no = (const char *)sqlite3_column_text(q, 5),
        };
        if (fn(arg, &r) < 0)
            break;
        n++;
    }
    store_done(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}
