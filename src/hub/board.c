/* board.c — the deadline board: open obligations (due soon, overdue), late
 * filings and each unit's timeliness for a period.  Until the operators'
 * control channel exists it reads the hub's database read-only. */
#include "board.h"
#include "calendar.h"
#include "categories.h"
#include "conf.h"
#include "meeting.h"
#include "store.h"
#include "log.h"
#include "oblig.h"
#include "days.h"
#include "clock.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define DUE_SOON_DAYS 2     /* working days ahead that count as "due soon" */

static void
usage(void)
{
    fprintf(stderr,
            "usage: lianxi-hub -c HUB.CONF overdue [--unit U] [--since D] [--until D]\n"
            "                                      [--limit N] [--json]\n"
            "  open obligations (due soon, overdue), late filings, and each unit's\n"
            "  timeliness for the period (default: this year to today)\n");
    exit(EX_USAGE);
}

struct board {
    store_t *db;
    calendar_t *cal;
    const char *unit;
    lx_day today, since, until;
    char since_s[LX_DATE_LEN], until_s[LX_DATE_LEN], today_s[LX_DATE_LEN];
    int64_t since_t, until_t;       /* [since 00:00, until+1 00:00) Asia/Shanghai */
    int limit;                      /* late filings shown as text */
    FILE *out;
};

static const char *
unit_zh(const char *code)
{
    const struct lx_unit *u = units_find(code);
    return u ? u->zh : code;
}

static sqlite3_stmt *
prepare(struct board *b, const char *sql)
{
    return store_stmt(b->db, sql);
}

static cJSON *
obligations(struct board *b, int json)
{
    cJSON *arr = cJSON_CreateArray();
    sqlite3_stmt *st = prepare(b, "SELECT id, unit, kind, case_ref, filing_id, due_on,"
                                  " provisional FROM obligations WHERE closed_at IS NULL"
                                  " AND (?1 IS NULL OR unit = ?1) ORDER BY due_on, id");
    int shown = 0;

    if (!st)
        return arr;
    if (b->unit)
        sqlite3_bind_text(st, 1, b->unit, -1, SQLITE_STATIC);
    if (!json)
        fprintf(b->out, "Open obligations on %s\n", b->today_s);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char code[OBLIG_CODE_LEN], status[64];
        const char *due_s = (const char *)sqlite3_column_text(st, 5);
        const char *state;
        lx_day due = 0;
        int days = 0;
        cJSON *o;

        oblig_format(sqlite3_column_int64(st, 0), code);
        days_parse(due_s, &due);
        if (b->today > due) {
            calendar_workdays(b->cal, due, b->today, &days);
            state = "overdue";
            snprintf(status, sizeof status, "OVERDUE %d working day%s", days, days == 1 ? "" : "s");
        } else {
            calendar_workdays(b->cal, b->today, due, &days);
            state = days <= DUE_SOON_DAYS ? "due_soon" : "open";
            if (days == 0)
                snprintf(status, sizeof status, "due today");
            else
                snprintf(status, sizeof status, "due in %d working day%s%s", days,
                         days == 1 ? "" : "s", days <= DUE_SOON_DAYS ? " (soon)" : "");
        }
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "obligation", code);
        cJSON_AddStringToObject(o, "unit", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddStringToObject(o, "kind", sqlite3_column_int(st, 2) == OBLIG_REPORT
                                               ? "report" : "supplement");
        cJSON_AddStringToObject(o, "case_ref", (const char *)sqlite3_column_text(st, 3));
        cJSON_AddStringToObject(o, "filing_id", (const char *)sqlite3_column_text(st, 4));
        cJSON_AddStringToObject(o, "due_on", due_s);
        cJSON_AddStringToObject(o, "state", state);
        cJSON_AddNumberToObject(o, state[0] == 'o' && state[1] == 'v' ? "overdue_workdays"
                                                                      : "workdays_left", days);
        cJSON_AddBoolToObject(o, "provisional", sqlite3_column_int(st, 6));
        cJSON_AddItemToArray(arr, o);
        if (!json && shown < b->limit) {
            fprintf(b->out, "  %-7s ", code);
            text_print_padded(b->out, (const char *)sqlite3_column_text(st, 1), 16);
            fprintf(b->out, " %-10s ", sqlite3_column_int(st, 2) == OBLIG_REPORT ? "report" : "supplement");
            text_print_padded(b->out, (const char *)sqlite3_column_text(st, 3), 26);
            fprintf(b->out, " due %s  %s\n", due_s, status);
        }
        shown++;
    }
    if (!json && shown > b->limit)
        fprintf(b->out, "  ... and %d more (--json lists all)\n", shown - b->limit);
    if (!json && !shown)
        fprintf(b->out, "  none\n");
    store_done(st);
    return arr;
}

static cJSON *
late_filings(struct board *b, int json)
{
    cJSON *arr = cJSON_CreateArray();
    sqlite3_stmt *st = prepare(b, "SELECT receipt_no, unit, filing_id, category, learned_on,"
                                  " due_on, judged_at, late_days FROM filings"
                                  " WHERE on_time = 0 AND received_at >= ?2 AND received_at < ?3"
                                  " AND (?1 IS NULL OR unit = ?1) ORDER BY received_at, id");
    int shown = 0;

    if (!st)
        return arr;
    if (b->unit)
        sqlite3_bind_text(st, 1, b->unit, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, b->since_t);
    sqlite3_bind_int64(st, 3, b->until_t);
    if (!json)
        fprintf(b->out, "\nLate filings received %s to %s\n", b->since_s, b->until_s);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char when[20];
        cJSON *o = cJSON_CreateObject();

        days_time_format(sqlite3_column_int64(st, 6), when);
        cJSON_AddStringToObject(o, "receipt_no", (const char *)sqlite3_column_text(st, 0));
        cJSON_AddStringToObject(o, "unit", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddStringToObject(o, "filing_id", (const char *)sqlite3_column_text(st, 2));
        cJSON_AddStringToObject(o, "category", (const char *)sqlite3_column_text(st, 3));
        cJSON_AddStringToObject(o, "learned_on", (const char *)sqlite3_column_text(st, 4));
        cJSON_AddStringToObject(o, "due_on", (const char *)sqlite3_column_text(st, 5));
        cJSON_AddNumberToObject(o, "judged_at", (double)sqlite3_column_int64(st, 6));
        cJSON_AddNumberToObject(o, "late_workdays", sqlite3_column_int(st, 7));
        cJSON_AddItemToArray(arr, o);
        if (!json && shown < b->limit)
            fprintf(b->out, "  %s  %-10s %-40s learned %s due %s received %s  late %d\n",
                   sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
                   sqlite3_column_text(st, 2), sqlite3_column_text(st, 4),
                   sqlite3_column_text(st, 5), when, sqlite3_column_int(st, 7));
        shown++;
    }
    if (!json && shown > b->limit)
        fprintf(b->out, "  ... and %d more (--json lists all)\n", shown - b->limit);
    if (!json && !shown)
        fprintf(b->out, "  none\n");
    store_done(st);
    return arr;
}

static cJSON *
timeliness(struct board *b, int json)
{
    cJSON *arr = cJSON_CreateArray();
    sqlite3_stmt *st = prepare(b,
        "SELECT u.unit,"
        " (SELECT count(*) FROM filings f WHERE f.unit = u.unit AND f.received_at >= ?2"
        "   AND f.received_at < ?3),"
        " (SELECT count(*) FROM filings f WHERE f.unit = u.unit AND f.received_at >= ?2"
        "   AND f.received_at < ?3 AND f.on_time = 1),"
        " (SELECT count(*) FROM obligations o WHERE o.unit = u.unit AND o.closed_at IS NULL),"
        " (SELECT count(*) FROM obligations o WHERE o.unit = u.unit AND o.closed_at IS NULL"
        "   AND o.due_on < ?4)"
        " FROM (SELECT ?5 AS unit) u");
    int total = 0, ontime = 0;

    if (!st)
        return arr;
    if (!json)
        fprintf(b->out, "\nTimeliness %s to %s\n  %-16s %-22s %8s %8s %6s %8s %6s %8s\n", b->since_s,
               b->until_s, "unit", "", "filings", "on time", "late", "on-time", "open",
               "overdue");
    for (size_t i = 0; i < LX_NUNITS; i++) {
        const char *code = lx_units[i].code;
        int n, ok, open, over;
        cJSON *o;

        if (b->unit && strcmp(b->unit, code) != 0)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 2, b->since_t);
        sqlite3_bind_int64(st, 3, b->until_t);
        sqlite3_bind_text(st, 4, b->today_s, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, code, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW)
            break;
        n = sqlite3_column_int(st, 1);
        ok = sqlite3_column_int(st, 2);
        open = sqlite3_column_int(st, 3);
        over = sqlite3_column_int(st, 4);
        total += n;
        ontime += ok;
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "unit", code);
        cJSON_AddNumberToObject(o, "filings", n);
        cJSON_AddNumberToObject(o, "on_time", ok);
        cJSON_AddNumberToObject(o, "late", n - ok);
        if (n)
            cJSON_AddNumberToObject(o, "on_time_rate", (double)ok / n);
        else
            cJSON_AddNullToObject(o, "on_time_rate");
        cJSON_AddNumberToObject(o, "open_obligations", open);
        cJSON_AddNumberToObject(o, "overdue_obligations", over);
        cJSON_AddItemToArray(arr, o);
        if (!json) {
            char rate[16] = "-";
            if (n)
                snprintf(rate, sizeof rate, "%.1f%%", 100.0 * ok / n);
            fprintf(b->out, "  %-16s ", code);
            text_print_padded(b->out, unit_zh(code), 22);
            fprintf(b->out, " %8d %8d %6d %8s %6d %8d\n", n, ok, n - ok, rate, open, over);
        }
    }
    if (!json && !b->unit) {
        char rate[16] = "-";
        if (total)
            snprintf(rate, sizeof rate, "%.1f%%", 100.0 * ontime / total);
        fprintf(b->out, "  %-16s %-22s %8d %8d %6d %8s\n", "all units", "", total, ontime,
               total - ontime, rate);
    }
    store_done(st);
    return arr;
}

static void
meeting_warning(void *arg, const char *msg)
{
    cJSON_AddItemToArray(arg, cJSON_CreateString(msg));
}

int
board_write(store_t *db, const calendar_t *cal, const char *unit, lx_day since, lx_day until,
            int limit, int json, FILE *out)
{
    struct board b = { .db = db, .cal = (calendar_t *)cal, .unit = unit, .since = since,
                       .until = until, .limit = limit, .out = out };
    cJSON *j = cJSON_CreateObject(), *w = cJSON_CreateArray();

    b.today = days_shanghai(clock_now());
    days_format(b.today, b.today_s);
    days_format(b.since, b.since_s);
    days_format(b.until, b.until_s);
    b.since_t = days_start(b.since);
    b.until_t = days_start(b.until + 1);
    if (store_begin_read(db) < 0) {
        cJSON_Delete(j);
        cJSON_Delete(w);
        return EX_NOINPUT;
    }
    cJSON_AddStringToObject(j, "today", b.today_s);
    cJSON_AddStringToObject(j, "since", b.since_s);
    cJSON_AddStringToObject(j, "until", b.until_s);
    cJSON_AddItemToObject(j, "open_obligations", obligations(&b, json));
    cJSON_AddItemToObject(j, "late_filings", late_filings(&b, json));
    cJSON_AddItemToObject(j, "timeliness", timeliness(&b, json));
    if (!json)
        fprintf(out, "\nMeetings\n");
    if (meeting_warnings(db, b.today, meeting_warning, w) == 0 && !json)
        fprintf(out, "  the joint meeting's duties are met\n");
    if (!json) {
        cJSON *e;
        cJSON_ArrayForEach(e, w)
            fprintf(out, "  WARNING: %s\n", e->valuestring);
    }
    cJSON_AddItemToObject(j, "meeting_warnings", w);
    if (json) {
        char *s = cJSON_PrintUnformatted(j);
        if (s)
            fprintf(out, "%s\n", s);
        free(s);
    }
    cJSON_Delete(j);
    store_end_read(db);
    return EX_OK;
}

int
board_main(const char *cfile, int argc, char **argv)
{
    static const struct option opts[] = {
        { "unit", required_argument, NULL, 'u' },
        { "since", required_argument, NULL, 's' },
        { "until", required_argument, NULL, 't' },
        { "json", no_argument, NULL, 'j' },
        { "limit", required_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct board b = { .limit = 50 };
    const char *since = NULL, *until = NULL;
    /* Text lists the most pressing --limit entries of each list; --json all. */
    char dbpath[PATH_MAX], calpath[PATH_MAX];
    conf_t *conf;
    int c, json = 0, y, m, d, rc = EX_OK;

    optind = 1;
    while ((c = getopt_long(argc, argv, "u:s:t:jl:h", opts, NULL)) != -1) {
        switch (c) {
        case 'u': b.unit = optarg; break;
        case 's': since = optarg; break;
        case 't': until = optarg; break;
        case 'j': json = 1; break;
        case 'l': b.limit = atoi(optarg); break;
        default: usage();
        }
    }
    if (!cfile || optind != argc)
        usage();
    if (b.unit && !units_find(b.unit)) {
        fprintf(stderr, "lianxi-hub overdue: unknown unit '%s'\n", b.unit);
        return EX_USAGE;
    }
    b.today = days_shanghai(clock_now());
    days_to_civil(b.today, &y, &m, &d);
    b.since = days_from_civil(y, 1, 1);
    b.until = b.today;
    if ((since && days_parse(since, &b.since) < 0) ||
        (until && days_parse(until, &b.until) < 0) || b.until < b.since) {
        fprintf(stderr, "lianxi-hub overdue: --since and --until take YYYY-MM-DD, since <= until\n");
        return EX_USAGE;
    }
    if (!(conf = conf_load(cfile)))
        return EX_CONFIG;
    if (conf_path(conf, "hub", "database", NULL, dbpath, sizeof dbpath) < 0 ||
        conf_path(conf, "hub", "calendar", NULL, calpath, sizeof calpath) < 0 ||
        !(b.cal = calendar_load(calpath))) {
        conf_destroy(&conf);
        return EX_CONFIG;
    }
    conf_destroy(&conf);
    if (!(b.db = store_open_ro(dbpath))) {
        rc = EX_NOINPUT;
        goto out;
    }
    rc = board_write(b.db, b.cal, b.unit, b.since, b.until, b.limit, json, stdout);
out:
    store_close(&b.db);
    calendar_destroy(&b.cal);
    return rc;
}
