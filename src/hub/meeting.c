/* meeting.c — the joint meetings: the meetings table and the duty of one
 * annual meeting a year. */
#include "meeting.h"
#include "i18n.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

/* Annual meetings dated in year (and on or before until, when given), or -1. */
static long
annual_meetings(store_t *st, int year, const char *until)
{
    sqlite3_stmt *q = store_stmt(st, "SELECT count(*) FROM meetings WHERE kind = 'annual' AND"
                                     " date >= ?1 AND date <= ?2 AND (?3 IS NULL OR date <= ?3)");
    char from[16], to[16];
    long n = -1;

    if (!q)
        return -1;
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    sqlite3_bind_text(q, 1, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, to, -1, SQLITE_TRANSIENT);
    if (until)
        sqlite3_bind_text(q, 3, until, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    store_done(q);
    return n;
}

int
meeting_warnings(store_t *st, lx_day today, void (*fn)(void *, const char *), void *arg)
{
    int y, m, d, n = 0;
    char msg[256];

    days_to_civil(today, &y, &m, &d);
    if (m >= 11 && annual_meetings(st, y, NULL) == 0) {
        snprintf(msg, sizeof msg, _("no annual joint meeting is scheduled for %d: the convener "
                                    "must hold one this year (lianxi meeting create --kind "
                                    "annual)"), y);
        fn(arg, msg);
        n++;
    }
    if (annual_meetings(st, y - 1, NULL) == 0) {
        snprintf(msg, sizeof msg, _("%d ended with no annual joint meeting held"), y - 1);
        fn(arg, msg);
        n++;
    }
    return n;
}

int
meeting_get(store_t *st, int64_t id, struct meeting *m)
{
    sqlite3_stmt *q = store_stmt(st, "SELECT date, period_from, period_to, title, secrecy,"
                                     " urgency FROM meetings WHERE id = ?1");
    int rc;

    memset(m, 0, sizeof *m);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        if (days_parse((const char *)sqlite3_column_text(q, 0), &m->date) < 0 ||
            days_parse((const char *)sqlite3_column_text(q, 1), &m->from) < 0 ||
            days_parse((const char *)sqlite3_column_text(q, 2), &m->to) < 0) {
            rc = SQLITE_CORRUPT;
        } else {
            snprintf(m->title, sizeof m->title, "%s", sqlite3_column_text(q, 3));
            snprintf(m->secrecy, sizeof m->secrecy, "%s", sqlite3_column_text(q, 4));
            snprintf(m->urgency, sizeof m->urgency, "%s", sqlite3_column_text(q, 5));
        }
    }
    store_done(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        log_warnx("database: meeting %lld: %s", (long long)id, store_errmsg(st));
        return -1;
    }
    return rc == SQLITE_ROW;
}

int64_t
meeting_add(store_t *st, const char *date, const char *kind, const char *from, const char *to,
            const char *title, const char *secrecy, const char *urgency, const char *created_by,
            int64_t now)
{
    sqlite3_stmt *q = store_stmt(st, "INSERT INTO meetings(date, kind, period_from, period_to,"
                                     " title, created_by, created_at, secrecy, urgency)"
                                     " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    int rc;

    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 4, to, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 5, title, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 6, created_by, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 7, now);
    sqlite3_bind_text(q, 8, secrecy ? secrecy : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 9, urgency ? urgency : "", -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(q);
    store_done(q);
    if (rc != SQLITE_DONE) {
        log_warnx("database: storing a meeting: %s", store_errmsg(st));
        return -1;
    }
    return store_last_rowid(st);
}

int
meeting_list(store_t *st, int64_t id, int (*fn)(void *, const struct meeting_row *), void *arg)
{
    sqlite3_stmt *q = store_stmt(st, "SELECT id, date, kind, period_from, period_to, title,"
                                     " created_by, secrecy, urgency FROM meetings"
                                     " WHERE (?1 IS NULL OR id = ?1) ORDER BY date, id");
    int n = 0, rc;

    if (!q)
        return -1;
    if (id > 0)
        sqlite3_bind_int64(q, 1, id);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct meeting_row m = {
            .id = sqlite3_column_int64(q, 0),
            .date = (const char *)sqlite3_column_text(q, 1),
            .kind = (const char *)sqlite3_column_text(q, 2),
            .from = (const char *)sqlite3_column_text(q, 3),
            .to = (const char *)sqlite3_column_text(q, 4),
            .title = (const char *)sqlite3_column_text(q, 5),
            .created_by = (const char *)sqlite3_column_text(q, 6),
            .secrecy = (const char *)sqlite3_column_text(q, 7),
            .urgency = (const char *)sqlite3_column_text(q, 8),
        };
        if (fn(arg, &m) < 0)
            break;
        n++;
    }
    store_done(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}
