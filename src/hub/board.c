/* board.c — the deadline board: open obligations (due soon, overdue), late
 * filings and each unit's timeliness for a period.  Until the operators'
 * control channel exists it reads the hub's database read-only. */
#include "board.h"
#include "jointreview.h"
#include "calendar.h"
#include "categories.h"
#include "conf.h"
#include "matters.h"
#include "meeting.h"
#include "store.h"
#include "log.h"
#include "oblig.h"
#include "days.h"
#include "clock.h"
#include "text.h"
#include "i18n.h"

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
    fprintf(stderr, "%s",
            _("usage: lianxi-hub -c HUB.CONF overdue [--unit U] [--since D] [--until D]\n"
              "                                      [--limit N] [--offset N] [--json]\n"
              "  open obligations (due soon, overdue), late filings, and each unit's\n"
              "  timeliness for the period (default: this year to today)\n"));
    exit(EX_USAGE);
}

struct board {
    store_t *db;
    calendar_t *cal;
    const char *unit;
    lx_day today, since, until;
    char since_s[LX_DATE_LEN], until_s[LX_DATE_LEN], today_s[LX_DATE_LEN];
    int64_t since_t, until_t;       /* [since 00:00, until+1 00:00) Asia/Shanghai */
    int limit;                      /* entries of each list shown */
    int offset;                     /* open obligations skipped first */
    int text;                       /* writing text (not JSON) */
    const categories_t *cats;       /* for the categories' names; may be NULL */
    FILE *out;
};

/* What an obligation is, as a person reads it. */
static const char *
kind_text(int kind)
{
    return kind == OBLIG_REPORT ? _("written report") : kind == OBLIG_REVIEW ?
           _("joint review opinion") : kind == OBLIG_ATTENDANCE ? _("attendance reply") :
           _("supplement");
}

static sqlite3_stmt *
prepare(struct board *b, const char *sql)
{
    return store_stmt(b->db, sql);
}

/* The open obligations (of b->unit when set), most pressing first: the
 * page [b->offset, b->offset + b->limit) as text or JSON; *total gets how
 * many are open in all.  Returns the page (JSON array), or NULL after
 * logging a database error. */
static cJSON *
obligations(struct board *b, int json, int *total)
{
    cJSON *arr = cJSON_CreateArray();
    /* The filing an obligation is about (a notice's report, a supplement
     * request's filing): its latest receipt and the cadre's name. */
    sqlite3_stmt *st = prepare(b, "SELECT o.id, o.unit, o.kind, o.case_ref, o.filing_id,"
                                  " o.due_on, o.provisional, f.receipt_no, f.name"
                                  " FROM obligations o LEFT JOIN filings f ON f.id ="
                                  " (SELECT g.id FROM filings g WHERE g.unit = o.unit AND"
                                  "  g.filing_id = o.filing_id ORDER BY g.revision DESC LIMIT 1)"
                                  " WHERE o.closed_at IS NULL AND (?1 IS NULL OR o.unit = ?1)"
                                  " ORDER BY o.due_on, o.id LIMIT ?2 OFFSET ?3");
    sqlite3_stmt *cnt = prepare(b, "SELECT count(*) FROM obligations WHERE closed_at IS NULL"
                                   " AND (?1 IS NULL OR unit = ?1)");
    int shown = 0, rc;

    *total = 0;
    if (!st || !cnt || !arr)
        goto err;
    if (b->unit)
        sqlite3_bind_text(cnt, 1, b->unit, -1, SQLITE_STATIC);
    if (sqlite3_step(cnt) != SQLITE_ROW)
        goto err;
    *total = sqlite3_column_int(cnt, 0);
    store_done(cnt);
    cnt = NULL;
    if (b->unit)
        sqlite3_bind_text(st, 1, b->unit, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, b->limit);
    sqlite3_bind_int(st, 3, b->offset);
    if (!json)
        fprintf(b->out, _("Open obligations on %s\n"), b->today_s);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
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
            snprintf(status, sizeof status,
                     dngettext(LX_TEXTDOMAIN, "OVERDUE %d working day", "OVERDUE %d working days",
                               (unsigned long)days), days);
        } else {
            calendar_workdays(b->cal, b->today, due, &days);
            state = days <= DUE_SOON_DAYS ? "due_soon" : "open";
            if (days == 0)
                snprintf(status, sizeof status, "%s", _("due today"));
            else if (days <= DUE_SOON_DAYS)
                snprintf(status, sizeof status,
                         dngettext(LX_TEXTDOMAIN, "due in %d working day (soon)",
                                   "due in %d working days (soon)", (unsigned long)days), days);
            else
                snprintf(status, sizeof status,
                         dngettext(LX_TEXTDOMAIN, "due in %d working day",
                                   "due in %d working days", (unsigned long)days), days);
        }
        shown++;
        if (!json) {
            fprintf(b->out, "  %-7s ", code);
            text_print_padded(b->out, units_name((const char *)sqlite3_column_text(st, 1)), 16);
            fputc(' ', b->out);
            text_print_padded(b->out, kind_text(sqlite3_column_int(st, 2)), 10);
            fputc(' ', b->out);
            text_print_padded(b->out, (const char *)sqlite3_column_text(st, 3), 26);
            fprintf(b->out, _(" due %s  %s\n"), due_s, status);
            if (sqlite3_column_int(st, 2) == OBLIG_REVIEW) {
                /* A review: whom the unit has not answered yet. */
                char names[1024];
                if (jointreview_missing(b->db, (const char *)sqlite3_column_text(st, 3),
                                        (const char *)sqlite3_column_text(st, 1), names,
                                        sizeof names, NULL) > 0)
                    fprintf(b->out, _("          unanswered: %s\n"), names);
            }
            continue;
        }
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "obligation", code);
        cJSON_AddStringToObject(o, "unit", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddStringToObject(o, "kind", sqlite3_column_int(st, 2) == OBLIG_REPORT
                                               ? "report" : sqlite3_column_int(st, 2) ==
                                               OBLIG_REVIEW ? "review" : sqlite3_column_int(st, 2)
                                               == OBLIG_ATTENDANCE ? "attendance" : "supplement");
        if (sqlite3_column_int(st, 2) == OBLIG_REVIEW &&
            jointreview_missing(b->db, (const char *)sqlite3_column_text(st, 3),
                                (const char *)sqlite3_column_text(st, 1), NULL, 0,
                                cJSON_AddArrayToObject(o, "unanswered")) < 0)
            goto err;
        cJSON_AddStringToObject(o, "case_ref", (const char *)sqlite3_column_text(st, 3));
        cJSON_AddStringToObject(o, "filing_id", (const char *)sqlite3_column_text(st, 4));
        if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
            cJSON_AddStringToObject(o, "receipt_no", (const char *)sqlite3_column_text(st, 7));
            cJSON_AddStringToObject(o, "cadre_name", (const char *)sqlite3_column_text(st, 8));
        }
        cJSON_AddStringToObject(o, "due_on", due_s);
        cJSON_AddStringToObject(o, "state", state);
        cJSON_AddNumberToObject(o, state[0] == 'o' && state[1] == 'v' ? "overdue_workdays"
                                                                      : "workdays_left", days);
        cJSON_AddBoolToObject(o, "provisional", sqlite3_column_int(st, 6));
        cJSON_AddItemToArray(arr, o);
    }
    store_done(st);
    if (rc != SQLITE_DONE) {
        st = NULL;
        goto err;
    }
    if (!json && b->offset > 0 && shown)
        fprintf(b->out, _("  (entries %d to %d of %d)\n"), b->offset + 1, b->offset + shown,
                *total);
    if (!json && *total > b->offset + shown)
        fprintf(b->out, _("  ... and %d more (--json lists all)\n"), *total - b->offset - shown);
    if (!json && !*total)
        fprintf(b->out, "%s", _("  none\n"));
    return arr;
err:
    log_warnx("database: the open obligations: %s", store_errmsg(b->db));
    store_done(st);
    store_done(cnt);
    cJSON_Delete(arr);
    return NULL;
}

/* Per unit, the matters first received in the period (matters.h). */
struct unit_figures {
    long matters, on_time, late, overdue, pending;
};

struct scan {
    struct board *b;
    struct unit_figures u[LX_NUNITS];
    cJSON *late;            /* the matters whose report came late */
    int shown;
};

static int
board_matter(void *arg, const struct matter *m)
{
    struct scan *s = arg;
    const struct lx_unit *unit = units_find(m->unit);
    struct unit_figures *f;

    if (!unit || (s->b->unit && strcmp(s->b->unit, m->unit) != 0))
        return 0;
    f = &s->u[unit - lx_units];
    f->matters++;
    switch (m->state) {
    case MATTER_ON_TIME: f->on_time++; break;
    case MATTER_LATE: f->late++; break;
    case MATTER_OVERDUE: f->overdue++; break;
    default: f->pending++; break;
    }
    if (m->state == MATTER_LATE && s->shown >= s->b->limit) {
        s->shown++;     /* counted in the total, not shown */
    } else if (m->state == MATTER_LATE) {
        char when[20];
        cJSON *o = cJSON_CreateObject();
        days_time_format(m->report_received, when);
        cJSON_AddStringToObject(o, "receipt_no", m->receipt_no);
        cJSON_AddStringToObject(o, "unit", m->unit);
        cJSON_AddStringToObject(o, "case_ref", m->case_ref);
        cJSON_AddStringToObject(o, "category", m->category);
        cJSON_AddStringToObject(o, "learned_on", m->learned_on);
        cJSON_AddStringToObject(o, "due_on", m->due_on);
        cJSON_AddNumberToObject(o, "report_received_at", (double)m->report_received);
        cJSON_AddNumberToObject(o, "late_workdays", m->report_late_days);
        cJSON_AddItemToArray(s->late, o);
        if (s->b->text) {
            fprintf(s->b->out, "  %s  ", m->receipt_no);
            text_print_padded(s->b->out, units_name(m->unit), 16);
            fputc(' ', s->b->out);
            text_print_padded(s->b->out, categories_name(s->b->cats, m->category), 16);
            fputc(' ', s->b->out);
            text_print_padded(s->b->out, m->case_ref, 24);
            fprintf(s->b->out,
                    dngettext(LX_TEXTDOMAIN,
                              " learned %s due %s report %s  late %d working day\n",
                              " learned %s due %s report %s  late %d working days\n",
                              (unsigned long)m->report_late_days),
                    m->learned_on, m->due_on, when, m->report_late_days);
        }
        s->shown++;
    }
    return 0;
}

/* The late matters (listed as found) and each unit's timeliness. */
static int
timeliness(struct board *b, int json, cJSON *j)
{
    struct scan s = { .b = b, .late = cJSON_CreateArray() };
    cJSON *arr = cJSON_CreateArray();
    sqlite3_stmt *st = prepare(b, "SELECT count(*), coalesce(sum(due_on < ?2), 0)"
                                  " FROM obligations WHERE unit = ?1 AND closed_at IS NULL");
    struct unit_figures t = { 0 };

    b->text = !json;
    if (!json)
        fprintf(b->out, _("\nMatters first received %s to %s whose report came late\n"),
                b->since_s, b->until_s);
    if (!st || matters_scan(b->db, b->cal, b->since_t, b->until_t, b->today, board_matter,
                            &s) < 0) {
        store_done(st);
        cJSON_Delete(arr);
        cJSON_Delete(s.late);
        return -1;
    }
    if (!json && s.shown > b->limit)
        fprintf(b->out, _("  ... and %d more (--json lists all)\n"), s.shown - b->limit);
    if (!json && !s.shown)
        fprintf(b->out, "%s", _("  none\n"));
    if (!json) {
        /* TRANSLATORS: the board's columns: the unit, the matters, on time,
         * late, overdue without a report, not yet due, the on-time rate,
         * open obligations, overdue obligations. */
        const char *cols[] = { N_("unit"), N_("matters"), N_("on time"), N_("late"),
                               N_("no rep."), N_("pending"), N_("on-time"), N_("ob.open"),
                               N_("ob.over") };
        static const int width[] = { 22, 8, 8, 6, 8, 8, 8, 6, 8 };
        fprintf(b->out, _("\nTimeliness of the matters first received %s to %s (as of %s)\n"),
                b->since_s, b->until_s, b->today_s);
        fputs(" ", b->out);
        for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
            fputc(' ', b->out);
            if (c == 0)
                text_print_padded(b->out, _(cols[c]), width[c]);
            else
                text_print_padded_right(b->out, _(cols[c]), width[c]);
        }
        fputc('\n', b->out);
    }
    for (size_t i = 0; i < LX_NUNITS; i++) {
        const char *code = lx_units[i].code;
        struct unit_figures *f = &s.u[i];
        long judged = f->on_time + f->late + f->overdue;
        int open = 0, over = 0;
        cJSON *o;

        if (b->unit && strcmp(b->unit, code) != 0)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, b->today_s, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            open = sqlite3_column_int(st, 0);
            over = sqlite3_column_int(st, 1);
        }
        t.matters += f->matters;
        t.on_time += f->on_time;
        t.late += f->late;
        t.overdue += f->overdue;
        t.pending += f->pending;
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "unit", code);
        cJSON_AddNumberToObject(o, "matters", (double)f->matters);
        cJSON_AddNumberToObject(o, "on_time", (double)f->on_time);
        cJSON_AddNumberToObject(o, "late", (double)f->late);
        cJSON_AddNumberToObject(o, "overdue_without_report", (double)f->overdue);
        cJSON_AddNumberToObject(o, "pending", (double)f->pending);
        if (judged)
            cJSON_AddNumberToObject(o, "on_time_rate", (double)f->on_time / (double)judged);
        else
            cJSON_AddNullToObject(o, "on_time_rate");
        cJSON_AddNumberToObject(o, "open_obligations", open);
        cJSON_AddNumberToObject(o, "overdue_obligations", over);
        cJSON_AddItemToArray(arr, o);
        if (!json) {
            char rate[16] = "-";
            if (judged)
                snprintf(rate, sizeof rate, "%.1f%%", 100.0 * (double)f->on_time / (double)judged);
            fputs("  ", b->out);
            text_print_padded(b->out, units_name(code), 22);
            fprintf(b->out, " %8ld %8ld %6ld %8ld %8ld %8s %6d %8d\n", f->matters, f->on_time,
                    f->late, f->overdue, f->pending, rate, open, over);
        }
    }
    if (!json && !b->unit) {
        char rate[16] = "-";
        long judged = t.on_time + t.late + t.overdue;
        if (judged)
            snprintf(rate, sizeof rate, "%.1f%%", 100.0 * (double)t.on_time / (double)judged);
        fputs("  ", b->out);
        text_print_padded(b->out, _("all units"), 22);
        fprintf(b->out, " %8ld %8ld %6ld %8ld %8ld %8s\n", t.matters, t.on_time, t.late,
                t.overdue, t.pending, rate);
    }
    store_done(st);
    cJSON_AddItemToObject(j, "late_matters", s.late);
    cJSON_AddItemToObject(j, "timeliness", arr);
    cJSON_AddNumberToObject(cJSON_GetObjectItem(j, "totals"), "late_matters", s.shown);
    cJSON_AddNumberToObject(cJSON_GetObjectItem(j, "totals"), "timeliness",
                            cJSON_GetArraySize(arr));
    return 0;
}

static void
meeting_warning(void *arg, const char *msg)
{
    cJSON_AddItemToArray(arg, cJSON_CreateString(msg));
}

int
board_write(store_t *db, const calendar_t *cal, const categories_t *cats, const char *unit,
            lx_day since, lx_day until, int limit, int offset, int json, FILE *out)
{
    struct board b = { .db = db, .cal = (calendar_t *)cal, .unit = unit, .since = since,
                       .until = until, .out = out, .cats = cats, .offset = offset };
    cJSON *j = cJSON_CreateObject(), *w = cJSON_CreateArray(), *totals = cJSON_CreateObject();
    cJSON *open;
    int nopen;

    /* Text shows the 50 most pressing of each list unless told; JSON all. */
    b.limit = limit > 0 ? limit : json ? INT_MAX : 50;
    b.today = days_shanghai(clock_now());
    days_format(b.today, b.today_s);
    days_format(b.since, b.since_s);
    days_format(b.until, b.until_s);
    b.since_t = days_start(b.since);
    b.until_t = days_start(b.until + 1);
    if (store_begin_read(db) < 0) {
        cJSON_Delete(j);
        cJSON_Delete(w);
        cJSON_Delete(totals);
        return EX_NOINPUT;
    }
    cJSON_AddStringToObject(j, "today", b.today_s);
    cJSON_AddStringToObject(j, "since", b.since_s);
    cJSON_AddStringToObject(j, "until", b.until_s);
    /* Each list holds a page; totals says how many there are in all. */
    cJSON_AddNumberToObject(j, "offset", b.offset);
    if (limit > 0)
        cJSON_AddNumberToObject(j, "limit", limit);
    cJSON_AddItemToObject(j, "totals", totals);
    if (!(open = obligations(&b, json, &nopen)) || timeliness(&b, json, j) < 0) {
        cJSON_Delete(open);
        cJSON_Delete(j);
        cJSON_Delete(w);
        store_end_read(db);
        return EX_SOFTWARE;
    }
    cJSON_AddItemToObject(j, "open_obligations", open);
    cJSON_AddNumberToObject(totals, "open_obligations", nopen);
    if (!json)
        fprintf(out, "%s", _("\nMeetings\n"));
    if (meeting_warnings(db, b.today, meeting_warning, w) == 0 && !json)
        fprintf(out, "%s", _("  the joint meeting's duties are met\n"));
    if (!json) {
        cJSON *e;
        cJSON_ArrayForEach(e, w)
            fprintf(out, _("  WARNING: %s\n"), e->valuestring);
    }
    cJSON_AddNumberToObject(totals, "meeting_warnings", cJSON_GetArraySize(w));
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
        { "offset", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct board b = { .limit = 0 };
    const char *since = NULL, *until = NULL;
    /* Text lists the most pressing --limit entries of each list; --json all. */
    char dbpath[PATH_MAX], calpath[PATH_MAX], catpath[PATH_MAX];
    categories_t *cats = NULL;
    conf_t *conf;
    int c, json = 0, y, m, d, rc = EX_OK;

    optind = 1;
    while ((c = getopt_long(argc, argv, "u:s:t:jl:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'u': b.unit = optarg; break;
        case 's': since = optarg; break;
        case 't': until = optarg; break;
        case 'j': json = 1; break;
        case 'l': b.limit = atoi(optarg); break;
        case 'o': b.offset = atoi(optarg); break;
        default: usage();
        }
    }
    if (!cfile || optind != argc)
        usage();
    if (b.unit) {
        const struct lx_unit *u;
        if (units_lookup(b.unit, &u) != 1) {
            fprintf(stderr, _("lianxi-hub overdue: no one member unit is named '%s'\n"), b.unit);
            return EX_USAGE;
        }
        b.unit = u->code;
    }
    b.today = days_shanghai(clock_now());
    days_to_civil(b.today, &y, &m, &d);
    b.since = days_from_civil(y, 1, 1);
    b.until = b.today;
    if ((since && days_parse(since, &b.since) < 0) ||
        (until && days_parse(until, &b.until) < 0) || b.until < b.since) {
        fprintf(stderr, "%s", _("lianxi-hub overdue: --since and --until take YYYY-MM-DD, "
                                "since <= until\n"));
        return EX_USAGE;
    }
    if (!(conf = conf_load(cfile)))
        return EX_CONFIG;
    conf_language(conf, "hub");
    if (conf_path(conf, "hub", "database", NULL, dbpath, sizeof dbpath) < 0 ||
        conf_path(conf, "hub", "calendar", NULL, calpath, sizeof calpath) < 0 ||
        !(b.cal = calendar_load(calpath))) {
        conf_destroy(&conf);
        return EX_CONFIG;
    }
    /* The categories' names; without the registry the board shows codes. */
    if (conf_path(conf, "hub", "categories", NULL, catpath, sizeof catpath) == 0)
        cats = categories_load(catpath);
    conf_destroy(&conf);
    if (!(b.db = store_open_ro(dbpath))) {
        rc = EX_NOINPUT;
        goto out;
    }
    rc = board_write(b.db, b.cal, cats, b.unit, b.since, b.until, b.limit, b.offset, json,
                     stdout);
out:
    categories_destroy(&cats);
    store_close(&b.db);
    calendar_destroy(&b.cal);
    return rc;
}
