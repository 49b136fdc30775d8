/* query.c — the operators' read side of the filings: listings, revisions,
 * dossiers, name search, and the CSV export (written with libcsv). */
#include "query.h"
#include "days.h"
#include "log.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILING_COLUMNS                                                                     \
    "f.receipt_no, f.unit, f.filing_id, f.revision, f.stage, f.category, f.name,"         \
    " f.id_number, f.work_unit, f.post, f.rank, f.learned_on, f.summary, f.scope,"        \
    " f.case_ref, f.received_at, f.due_on, f.on_time, f.late_days, f.answers,"            \
    " f.judged_at, (SELECT r.action FROM reviews r WHERE r.unit = f.unit AND"             \
    " r.filing_id = f.filing_id ORDER BY r.id DESC LIMIT 1), f.id"

/* The rank filter's words (opcmd.c), in the order of proto's enum Rank
 * from RANK_CLERK. */
static const char *const rank_words[] = { "clerk", "deputy_section", "section",
                                          "deputy_division", "division", "bureau" };

static void
bind_opt(sqlite3_stmt *q, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
}

/* The listing's filters: ?1 unit, ?2 category, ?3 and ?4 the receipt
 * times, ?5 late, ?6 the review state, ?7 and ?8 the rank's range. */
#define LISTING_WHERE                                                                      \
    " FROM filings f WHERE"                                                                \
    " (?1 IS NULL OR f.unit = ?1) AND (?2 IS NULL OR f.category = ?2)"                     \
    " AND (?3 IS NULL OR f.received_at >= ?3)"                                             \
    " AND (?4 IS NULL OR f.received_at < ?4)"                                              \
    " AND (?5 IS NULL OR f.on_time = 0)"                                                   \
    " AND (?6 IS NULL OR coalesce((SELECT r.action FROM reviews r"                         \
    "  WHERE r.unit = f.unit AND r.filing_id = f.filing_id"                                \
    "  ORDER BY r.id DESC LIMIT 1), 'unreviewed') = ?6)"                                   \
    " AND (?7 IS NULL OR f.rank BETWEEN ?7 AND ?8)"

/* ?9 the limit (-1: none), ?10 the offset. */
static const char listing_oldest[] = "SELECT " FILING_COLUMNS LISTING_WHERE
                                     " ORDER BY f.received_at, f.id LIMIT ?9 OFFSET ?10";
static const char listing_newest[] = "SELECT " FILING_COLUMNS LISTING_WHERE
                                     " ORDER BY f.received_at DESC, f.id DESC"
                                     " LIMIT ?9 OFFSET ?10";
static const char listing_count[] = "SELECT count(*)" LISTING_WHERE;

static void
bind_filters(sqlite3_stmt *q, const struct query_filter *f)
{
    bind_opt(q, 1, f->unit);
    bind_opt(q, 2, f->category);
    if (f->has_since)
        sqlite3_bind_int64(q, 3, days_start(f->since));
    if (f->has_until)
        sqlite3_bind_int64(q, 4, days_start(f->until + 1));
    if (f->late || strcmp(f->status, "late") == 0)
        sqlite3_bind_int(q, 5, 1);
    if (f->status[0] && strcmp(f->status, "late") != 0)
        bind_opt(q, 6, f->status);
    if (f->rank_min > 0) {
        sqlite3_bind_int(q, 7, f->rank_min);
        sqlite3_bind_int(q, 8, f->rank_max);
    }
}

sqlite3_stmt *
query_listing(store_t *st, const struct query_filter *f)
{
    sqlite3_stmt *q = store_stmt(st, f->newest ? listing_newest : listing_oldest);

    if (!q)
        return NULL;
    bind_filters(q, f);
    sqlite3_bind_int64(q, 9, f->limit ? (sqlite3_int64)f->limit : -1);
    sqlite3_bind_int64(q, 10, (sqlite3_int64)f->offset);
    return q;
}

int
query_count(store_t *st, const struct query_filter *f, uint64_t *n)
{
    sqlite3_stmt *q = store_stmt(st, listing_count);
    int rc;

    *n = 0;
    if (!q)
        return -1;
    bind_filters(q, f);
    if ((rc = sqlite3_step(q)) == SQLITE_ROW)
        *n = (uint64_t)sqlite3_column_int64(q, 0);
    else
        log_warnx("database: counting filings: %s", store_errmsg(st));
    store_done(q);
    return rc == SQLITE_ROW ? 0 : -1;
}

int
query_rank(struct query_filter *f, const char *word)
{
    if (strcmp(word, "above") == 0) {
        f->rank_min = LIANXI__RANK__RANK_DEPUTY_SECTION;
        f->rank_max = LIANXI__RANK__RANK_BUREAU;
        return 0;
    }
    for (size_t i = 0; i < sizeof rank_words / sizeof rank_words[0]; i++)
        if (strcmp(word, rank_words[i]) == 0) {
            f->rank_min = f->rank_max = (int)i + LIANXI__RANK__RANK_CLERK;
            return 0;
        }
    return -1;
}

sqlite3_stmt *
query_revisions(store_t *st, const char *unit, const char *filing_id)
{
    sqlite3_stmt *q = store_stmt(st, "SELECT " FILING_COLUMNS " FROM filings f WHERE"
                                     " f.unit = ?1 AND f.filing_id = ?2 ORDER BY f.revision");

    if (q) {
        bind_opt(q, 1, unit);
        bind_opt(q, 2, filing_id);
    }
    return q;
}

sqlite3_stmt *
query_answers(store_t *st, const char *unit, const char *filing_id)
{
    /* reviews.obligation_id is the supplement request a review opened;
     * its answers name it as OB-<id>. */
    sqlite3_stmt *q = store_stmt(st, "SELECT " FILING_COLUMNS " FROM filings f WHERE"
                                     " f.unit = ?1 AND f.filing_id <> ?2 AND f.answers IN"
                                     " (SELECT 'OB-' || r.obligation_id FROM reviews r"
                                     "  WHERE r.unit = ?1 AND r.filing_id = ?2"
                                     "  AND r.obligation_id IS NOT NULL)"
                                     " ORDER BY f.received_at, f.id");

    if (q) {
        bind_opt(q, 1, unit);
        bind_opt(q, 2, filing_id);
    }
    return q;
}

sqlite3_stmt *
query_dossier(store_t *st, const char *id_number)
{
    sqlite3_stmt *q = store_stmt(st, "SELECT " FILING_COLUMNS " FROM filings f WHERE"
                                     " f.id_number = ?1 ORDER BY f.learned_on, f.received_at");

    if (q)
        bind_opt(q, 1, id_number);
    return q;
}

sqlite3_stmt *
query_candidates(store_t *st, const char *name)
{
    sqlite3_stmt *q = store_stmt(st, "SELECT '', group_concat(DISTINCT f.unit), '',"
                                     " count(*), 0, '', f.name, f.id_number, max(f.work_unit),"
                                     " max(f.post), max(f.rank), min(f.learned_on), '', 0, '',"
                                     " max(f.received_at), '', 0, 0, '', 0, '', 0 FROM filings f"
                                     " WHERE f.name LIKE '%' || ?1 || '%' GROUP BY f.id_number,"
                                     " f.name ORDER BY count(*) DESC, f.name");

    if (q)
        bind_opt(q, 1, name);
    return q;
}

int
query_resolve_row(store_t *st, const char *id, const char *own_unit, char unit[64],
                  char filing_id[128], int64_t *row)
{
    /* A filing id names one unit's filing; one that two units used is
     * ambiguous and must be named by its receipt number. */
    sqlite3_stmt *q = store_stmt(st, "SELECT unit, filing_id, id FROM filings WHERE"
                                     " (receipt_no = ?1 OR filing_id = ?1)"
                                     " AND (?2 IS NULL OR unit = ?2)"
                                     " AND (SELECT count(DISTINCT g.unit) FROM filings g WHERE"
                                     "  g.filing_id = ?1 AND (?2 IS NULL OR g.unit = ?2)) <= 1"
                                     " ORDER BY revision DESC LIMIT 1");
    int rc;

    if (!q)
        return -1;
    bind_opt(q, 1, id);
    bind_opt(q, 2, own_unit);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        snprintf(unit, 64, "%s", sqlite3_column_text(q, 0));
        snprintf(filing_id, 128, "%s", sqlite3_column_text(q, 1));
        if (row)
            *row = sqlite3_column_int64(q, 2);
    }
    store_done(q);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
query_resolve(store_t *st, const char *id, const char *own_unit, char unit[64],
              char filing_id[128])
{
    return query_resolve_row(st, id, own_unit, unit, filing_id, NULL);
}

void
query_describe(const struct query_filter *f, char *out, size_t n)
{
    char since[LX_DATE_LEN] = "-", until[LX_DATE_LEN] = "-";
    const char *rank = "-";

    if (f->has_since)
        days_format(f->since, since);
    if (f->has_until)
        days_format(f->until, until);
    if (f->rank_min != f->rank_max)
        rank = "above";
    else if (f->rank_min >= LIANXI__RANK__RANK_CLERK && f->rank_min <= LIANXI__RANK__RANK_BUREAU)
        rank = rank_words[f->rank_min - LIANXI__RANK__RANK_CLERK];
    snprintf(out, n, "unit=%s category=%s since=%s until=%s status=%s late=%s rank=%s",
             f->unit[0] ? f->unit : "*", f->category[0] ? f->category : "*", since, until,
             f->status[0] ? f->status : "-", f->late ? "yes" : "-", rank);
    /* A listing's page (an export has none). */
    if (f->limit) {
        size_t len = strlen(out);
        snprintf(out + len, n - len, " order=%s offset=%zu limit=%zu",
                 f->newest ? "newest" : "oldest", f->offset, f->limit);
    }
}

static void
field(FILE *out, const char *s, int last)
{
    size_t n;
    int number;

    s = s ? s : "";
    n = strlen(s);
    /* A spreadsheet runs a cell starting with = + - @ (or TAB, CR) as a
     * formula, quoted or not: such text gets a leading apostrophe (OWASP's
     * rule).  A whole signed number is left as it is. */
    number = n > 1 && (s[0] == '-' || s[0] == '+') && strspn(s + 1, "0123456789") == n - 1;
    if (n && strchr("=+-@\t\r", s[0]) && !number) {
        fputs("\"'", out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        csv_fwrite(out, s, n);
    }
    fputc(last ? '\n' : ',', out);
}

int
query_export(store_t *st, const struct query_filter *f, char **csv, size_t *len,
             uint64_t *count)
{
    static const char *const head[] = {
        "receipt_no", "unit", "filing_id", "revision", "stage", "category", "name",
        "id_number", "work_unit", "post", "rank", "learned_on", "received_at", "due_on",
        "on_time", "late_days", "scope", "case_ref", "summary", "review",
    };
    const size_t n = sizeof head / sizeof head[0];
    sqlite3_stmt *q;
    FILE *out;
    int rc;

    *csv = NULL;
    *len = 0;
    *count = 0;
    if (!(out = open_memstream(csv, len)))
        return -1;
    if (store_begin_read(st) < 0 || !(q = query_listing(st, f))) {
        store_end_read(st);
        fclose(out);
        free(*csv);
        *csv = NULL;
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        field(out, head[i], i == n - 1);
    /* Rows straight from the database: a large export is never held twice. */
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        char num[4][32], when[20];
        int stage = sqlite3_column_int(q, QC_STAGE);
        snprintf(num[0], sizeof num[0], "%d", sqlite3_column_int(q, QC_REVISION));
        snprintf(num[1], sizeof num[1], "%d", sqlite3_column_int(q, QC_RANK));
        snprintf(num[2], sizeof num[2], "%d", sqlite3_column_int(q, QC_LATE_DAYS));
        snprintf(num[3], sizeof num[3], "%d", sqlite3_column_int(q, QC_SCOPE));
        days_time_format(sqlite3_column_int64(q, QC_RECEIVED_AT), when);
#define T(c) ((const char *)sqlite3_column_text(q, (c)))
        const char *v[] = {
            T(QC_RECEIPT_NO), T(QC_UNIT), T(QC_FILING_ID), num[0],
            stage == LIANXI__STAGE__STAGE_NOTICE ? "notice" :
            stage == LIANXI__STAGE__STAGE_REPORT ? "report" : "supplement",
            T(QC_CATEGORY), T(QC_NAME), T(QC_ID_NUMBER), T(QC_WORK_UNIT), T(QC_POST), num[1],
            T(QC_LEARNED_ON), when, T(QC_DUE_ON), sqlite3_column_int(q, QC_ON_TIME) ? "1" : "0",
            num[2], num[3], T(QC_CASE_REF), T(QC_SUMMARY),
            sqlite3_column_type(q, QC_REVIEW) == SQLITE_NULL ? "" : T(QC_REVIEW),
        };
#undef T
        for (size_t i = 0; i < n; i++)
            field(out, v[i], i == n - 1);
        (*count)++;
    }
    store_done(q);
    store_end_read(st);
    if (fclose(out) != 0 || rc != SQLITE_DONE) {
        log_warnx("export: %s", rc != SQLITE_DONE ? store_errmsg(st) : "out of memory");
        free(*csv);
        *csv = NULL;
        return -1;
    }
    return 0;
}
