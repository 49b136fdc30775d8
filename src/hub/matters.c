/* matters.c — the counting model (see matters.h): filings grouped into
 * matters, each counted once, with its timeliness taken from its report. */
#include "matters.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const matters_rule[2] = {
    "本材料按“报备事项”统计：一个成员单位就一名干部的一件案件为一个事项，计入首次报送所在期间、"
    "按其最新内容归类，更正（修订）不另计；是否按时以书面报告首次报送为准，更正不改变按时情况；"
    "补充材料答复在督办情况中统计，不计为事项。",
    "Figures count matters: one unit's case about one cadre is one matter, counted in the period "
    "in which it was first received, under the category of its current content; an amendment is "
    "never counted again; timeliness is that of the written report's first receipt, and "
    "amendments never change it; answers to supplement requests are counted under supervision, "
    "not as matters.",
};

int
matters_is_complaint(const char *unit, const char *category)
{
    return (unit && strcmp(unit, "petitions") == 0) ||
           (category && strcmp(category, "organization.report_12380") == 0);
}

static const char *
col(sqlite3_stmt *q, int i)
{
    const unsigned char *s = sqlite3_column_text(q, i);
    return s ? (const char *)s : "";
}

long
matters_scan(store_t *st, const calendar_t *cal, int64_t t0, int64_t t1, lx_day asof,
             matters_fn *fn, void *arg)
{
    /* The store keeps one row per matter at intake (first receipt, current
     * content, the report's first revision): a range of the first-receipt
     * index, and two rows of filings for each. */
    sqlite3_stmt *q = store_stmt(st, "SELECT m.unit, m.case_ref, m.id_number, m.first_received,"
                                     " c.receipt_no, c.category, c.name, c.work_unit, c.post,"
                                     " c.rank, c.learned_on, c.summary, c.scope, c.real_name,"
                                     " c.stage, c.due_on, r.received_at, r.on_time, r.late_days"
                                     " FROM matters m JOIN filings c ON c.id = m.current_id"
                                     " LEFT JOIN filings r ON r.id = m.report_id"
                                     " WHERE m.first_received >= ?1 AND m.first_received < ?2"
                                     " ORDER BY m.first_received, m.id");
    long n = 0;
    int rc;

    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, t0);
    sqlite3_bind_int64(q, 2, t1);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct matter m;
        lx_day due;

        memset(&m, 0, sizeof m);
        m.unit = col(q, 0);
        m.case_ref = col(q, 1);
        m.id_number = col(q, 2);
        m.first_received = sqlite3_column_int64(q, 3);
        m.receipt_no = col(q, 4);
        m.category = col(q, 5);
        m.name = col(q, 6);
        m.work_unit = col(q, 7);
        m.post = col(q, 8);
        m.rank = sqlite3_column_int(q, 9);
        m.learned_on = col(q, 10);
        m.summary = col(q, 11);
        m.scope = sqlite3_column_int(q, 12);
        m.real_name = sqlite3_column_int(q, 13);
        m.stage = sqlite3_column_int(q, 14);
        snprintf(m.due_on, sizeof m.due_on, "%s", col(q, 15));
        m.complaint = matters_is_complaint(m.unit, m.category);
        if ((m.has_report = sqlite3_column_type(q, 16) != SQLITE_NULL)) {
            m.report_received = sqlite3_column_int64(q, 16);
            m.report_on_time = sqlite3_column_int(q, 17);
            m.report_late_days = sqlite3_column_int(q, 18);
            m.state = m.report_on_time ? MATTER_ON_TIME : MATTER_LATE;
        } else if (days_parse(m.due_on, &due) == 0 && asof > due) {
            m.state = MATTER_OVERDUE;
            calendar_workdays(cal, due, asof, &m.overdue_days);
        } else {
            m.state = MATTER_PENDING;
        }
        n++;
        if (fn && fn(arg, &m) < 0)
            break;
    }
    store_done(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        log_warnx("database: reading matters: %s", store_errmsg(st));
        return -1;
    }
    return n;
}

int
matters_requests(store_t *st, int64_t t0, int64_t t1, lx_day asof, struct requests *out)
{
    sqlite3_stmt *q = store_stmt(st, "SELECT count(*),"
                                     " coalesce(sum(closed_at IS NOT NULL AND on_time = 1), 0),"
                                     " coalesce(sum(closed_at IS NOT NULL AND on_time = 0), 0),"
                                     " coalesce(sum(closed_at IS NULL), 0),"
                                     " coalesce(sum(closed_at IS NULL AND due_on < ?3), 0)"
                                     " FROM obligations WHERE kind = 2 AND opened_at >= ?1"
                                     " AND opened_at < ?2");
    char asof_s[LX_DATE_LEN];
    int rc;

    memset(out, 0, sizeof *out);
    if (!q)
        return -1;
    days_format(asof, asof_s);
    sqlite3_bind_int64(q, 1, t0);
    sqlite3_bind_int64(q, 2, t1);
    sqlite3_bind_text(q, 3, asof_s, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->made = sqlite3_column_int64(q, 0);
        out->on_time = sqlite3_column_int64(q, 1);
        out->late = sqlite3_column_int64(q, 2);
        out->open = sqlite3_column_int64(q, 3);
        out->overdue = sqlite3_column_int64(q, 4);
    }
    store_done(q);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Binds the period, the scope and the limit of a signals statement.
 * Returns q. */
static sqlite3_stmt *
signal_range(sqlite3_stmt *q, int64_t t0, int64_t t1, int max_scope, int limit)
{
    if (q) {
        sqlite3_bind_int64(q, 1, t0);
        sqlite3_bind_int64(q, 2, t1);
        sqlite3_bind_int(q, 3, max_scope);
        sqlite3_bind_int(q, 4, limit);
    }
    return q;
}

int
matters_cadres(store_t *st, int64_t t0, int64_t t1, int max_scope, int limit,
               int (*fn)(void *, const char *, const char *, const char *, long), void *arg)
{
    sqlite3_stmt *q = store_stmt(st, "SELECT id_number, min(name), count(*), count(DISTINCT unit),"
                                     " group_concat(DISTINCT unit) FROM"
                                     " (SELECT m.id_number AS id_number, c.name AS name,"
                                     "  m.unit AS unit FROM matters m"
                                     "  JOIN filings c ON c.id = m.current_id"
                                     "  WHERE m.first_received >= ?1 AND m.first_received < ?2"
                                     "  AND c.scope <= ?3 ORDER BY m.unit)"
                                     " GROUP BY id_number HAVING count(*) >= 2"
                                     " ORDER BY 4 DESC, 3 DESC, 1 LIMIT ?4");
    int n = 0, rc;

    if (!signal_range(q, t0, t1, max_scope, limit))
        return -1;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        n++;
        if (fn(arg, col(q, 1), col(q, 0), col(q, 4), sqlite3_column_int64(q, 2)) < 0)
            break;
    }
    store_done(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

int
matters_work_units(store_t *st, int64_t t0, int64_t t1, int max_scope, int limit,
                   int (*fn)(void *, const char *, long), void *arg)
{
    sqlite3_stmt *q = store_stmt(st, "SELECT work_unit, count(DISTINCT id_number) FROM"
                                     " (SELECT c.work_unit AS work_unit, m.id_number AS id_number"
                                     "  FROM matters m JOIN filings c ON c.id = m.current_id"
                                     "  WHERE m.first_received >= ?1 AND m.first_received < ?2"
                                     "  AND c.scope <= ?3)"
                                     " GROUP BY work_unit HAVING count(DISTINCT id_number) >= 2"
                                     " ORDER BY 2 DESC, 1 LIMIT ?4");
    int n = 0, rc;

    if (!signal_range(q, t0, t1, max_scope, limit))
        return -1;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        n++;
        if (fn(arg, col(q, 0), sqlite3_column_int64(q, 1)) < 0)
            break;
    }
    store_done(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}
