/* health.c — the hub's health report: one place collects it, checks it
 * against [health] and prints it for people, scripts and Prometheus; the
 * offline `lianxi-hub status` and the operators' `status` both use it.
 * It reads the database as a read model (hub_runs, filings, hub_messages,
 * audit_log and audit_checkpoints; it writes nothing there), the run
 * directory (status.json from the hub's alive tick, backup.last from
 * `lianxi-hub backup`), the key directory and the filesystem. */
#include "health.h"
#include "clock.h"
#include "days.h"
#include "files.h"
#include "i18n.h"
#include "keys.h"
#include "log.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sysexits.h>
#include <unistd.h>


int
health_limits_read(const conf_t *conf, struct health_limits *l)
{
    static const struct health_limits def = { 2, 64, 1024, 5, 2, 365, 30, 11, 60 };
    static const struct {
        const char *key;
        size_t off;
        long min, max;
    } keys[] = {
        { "backup_max_days", offsetof(struct health_limits, backup_max_days), 1, 3650 },
        { "wal_max_mib", offsetof(struct health_limits, wal_max_mib), 1, 1 << 20 },
        { "disk_min_mib", offsetof(struct health_limits, disk_min_mib), 0, 1 << 30 },
        { "disk_min_percent", offsetof(struct health_limits, disk_min_percent), 0, 99 },
        { "unit_unseen_workdays", offsetof(struct health_limits, unit_unseen_workdays), 0, 365 },
        { "key_max_days", offsetof(struct health_limits, key_max_days), 0, 36500 },
        { "stale_seconds", offsetof(struct health_limits, stale_seconds), 10, 86400 },
        { "calendar_next_month", offsetof(struct health_limits, calendar_next_month), 1, 12 },
        { "checkpoint_max_minutes", offsetof(struct health_limits, checkpoint_max_minutes), 1,
          100000 },
    };

    *l = def;
    if (!conf)
        return 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        long *v = (long *)((char *)l + keys[i].off);
        if (conf_int(conf, "health", keys[i].key, *v, keys[i].min, keys[i].max, v) < 0)
            return -1;
    }
    return 0;
}

static void
problem(struct health_report *r, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
problem(struct health_report *r, const char *code, const char *fmt, ...)
{
    va_list ap;

    if (r->nproblems >= HEALTH_MAX_PROBLEMS)
        return;
    snprintf(r->problems[r->nproblems].code, sizeof r->problems[0].code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(r->problems[r->nproblems].text, sizeof r->problems[0].text, fmt, ap);
    va_end(ap);
    r->nproblems++;
}

/* Working days after the day of t up to today (calendar days without a
 * calendar, or outside its years). */
static int
days_since(const calendar_t *cal, int64_t t, lx_day today)
{
    lx_day d = days_shanghai(t);
    int n = 0;

    if (d >= today)
        return 0;
    if (!cal)
        return (int)(today - d);
    calendar_workdays(cal, d, today, &n);
    return n;
}

int
health_check(struct health_report *r, const struct health_limits *l, const calendar_t *cal)
{
    int down = 0;

    r->nproblems = 0;
    switch (r->state) {
    case HEALTH_NEVER:
        problem(r, "hub_never_ran", "%s", _("the hub has never run on this database"));
        down = 1;
        break;
    case HEALTH_STOPPED:
        problem(r, "hub_not_running", "%s", _("the hub is not running"));
        down = 1;
        break;
    case HEALTH_CRASHED:
        problem(r, "hub_crashed", "%s", _("the hub is not running: its last run ended without a "
                                          "clean stop"));
        down = 1;
        break;
    case HEALTH_SILENT:
        problem(r, "hub_silent", _("the hub does not respond: no sign of life for %lld s"),
                (long long)(r->now - (r->alive_at > r->started_at ? r->alive_at : r->started_at)));
        down = 1;
        break;
    }
    {
        int y, m, d;
        days_to_civil(r->today, &y, &m, &d);
        r->cal_next_needed = m >= l->calendar_next_month;
    }
    if (!cal)
        problem(r, "calendar_unreadable", "%s", _("the working-day calendar cannot be read"));
    else if (!r->cal_this)
        problem(r, "calendar_this_year", _("the working-day calendar does not cover this year "
                "(it covers %d to %d)"), r->cal_first, r->cal_last);
    else if (r->cal_next_needed && !r->cal_next)
        problem(r, "calendar_next_year", _("the working-day calendar does not cover next year: "
                "add the State Council's holiday notice (it covers %d to %d)"), r->cal_first,
                r->cal_last);
    if (r->wal_bytes > l->wal_max_mib * 1024 * 1024)
        problem(r, "wal_large", _("the WAL is %.1f MiB, over %ld MiB"),
                r->wal_bytes / 1048576.0, l->wal_max_mib);
    if (r->disk_size > 0 &&
        (r->disk_free < l->disk_min_mib * 1024 * 1024 ||
         r->disk_free * 100 < r->disk_size * l->disk_min_percent))
        problem(r, "disk_low", _("the database's disk has %.1f GiB free (%.0f%%), under %ld MiB "
                "or %ld%%"), r->disk_free / 1073741824.0, 100.0 * r->disk_free / r->disk_size,
                l->disk_min_mib, l->disk_min_percent);
    if (!r->backup_at)
        problem(r, "backup_never", "%s", _("never backed up"));
    else if (r->now - r->backup_at > l->backup_max_days * 86400)
        problem(r, "backup_old", _("the last backup is %lld days old, over %ld"),
                (long long)((r->now - r->backup_at) / 86400), l->backup_max_days);
    if (r->backup_at && r->backup_file_missing)
        problem(r, "backup_missing", _("the last backup's file %s is not there"),
                r->backup_file);
    if (r->state == HEALTH_RUNNING && r->audit_oldest_unsigned &&
        r->now - r->audit_oldest_unsigned > l->checkpoint_max_minutes * 60)
        problem(r, "checkpoint_old", _("audit entries unsigned for over %ld minutes (the last "
                "checkpoint is at entry %lld)"), l->checkpoint_max_minutes,
                (long long)r->ckpt_seq);
    for (int i = 0; i < LX_NUNITS; i++) {
        struct health_unit *u = &r->units[i];
        u->unseen_workdays = u->seen_at ? days_since(cal, u->seen_at, r->today) : -1;
        if (!u->has_key)
            continue;       /* not yet connected to lianxi: shown, not a problem */
        if (l->unit_unseen_workdays > 0 && !u->seen_at)
            problem(r, "unit_never_seen", _("%s: its adapter was never heard from"),
                    units_name(u->code));
        else if (l->unit_unseen_workdays > 0 && u->unseen_workdays >= l->unit_unseen_workdays)
            problem(r, "unit_unseen", _("%s: its adapter was not heard from for %d working days"),
                    units_name(u->code), u->unseen_workdays);
        if (l->key_max_days > 0 && u->key_days > l->key_max_days)
            problem(r, "key_old", _("%s: its key is %lld days old, over %ld"),
                    units_name(u->code), (long long)u->key_days, l->key_max_days);
    }
    return down ? HEALTH_DOWN : r->nproblems ? HEALTH_PROBLEMS : HEALTH_OK;
}

/* One integer from sql, its ?1 and ?2 bound to a and b when it has them;
 * 0 when no row or NULL.  Returns 0, or -1. */
static int
one(store_t *db, const char *sql, int64_t a, int64_t b, int64_t *out)
{
    sqlite3_stmt *st = store_stmt(db, sql);
    int rc;

    *out = 0;
    if (!st)
        return -1;
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_int64(st, 1, a);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_int64(st, 2, b);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    store_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int
read_db(store_t *db, struct health_report *r)
{
    sqlite3_stmt *st;
    int rc;

    if (!(st = store_stmt(db, "SELECT id, started_at, alive_at, stopped_at FROM hub_runs"
                              " ORDER BY id DESC LIMIT 1")))
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r->run_id = sqlite3_column_int64(st, 0);
        r->started_at = sqlite3_column_int64(st, 1);
        r->alive_at = sqlite3_column_int64(st, 2);
        r->stopped_at = sqlite3_column_int64(st, 3);
        r->state = sqlite3_column_type(st, 3) == SQLITE_NULL ? HEALTH_RUNNING : HEALTH_STOPPED;
    }
    store_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    if (one(db, "SELECT MAX(received_at) FROM filings", 0, 0, &r->last_commit) < 0 ||
        one(db, "SELECT COUNT(*) FROM filings WHERE received_at >= ?1 AND received_at < ?2",
            days_start(r->today), days_start(r->today + 1), &r->filings_today) < 0 ||
        one(db, "SELECT MIN(created_at) FROM hub_messages WHERE acked_at IS NULL", 0, 0,
            &r->unacked_oldest) < 0 ||
        one(db, "SELECT MAX(seq) FROM audit_log", 0, 0, &r->audit_head) < 0)
        return -1;
    if (!(st = store_stmt(db, "SELECT unit, COUNT(*) FROM hub_messages WHERE acked_at IS NULL"
                              " GROUP BY unit")))
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const struct lx_unit *u = units_find((const char *)sqlite3_column_text(st, 0));
        int64_t n = sqlite3_column_int64(st, 1);
        r->unacked += n;
        if (u)
            r->units[u - lx_units].unacked = n;
    }
    store_done(st);
    if (rc != SQLITE_DONE)
        return -1;
    if (!(st = store_stmt(db, "SELECT seq, at FROM audit_checkpoints ORDER BY seq DESC LIMIT 1")))
        return -1;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        r->ckpt_seq = sqlite3_column_int64(st, 0);
        r->ckpt_at = sqlite3_column_int64(st, 1);
    }
    store_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    if (r->audit_head > r->ckpt_seq &&
        one(db, "SELECT MIN(at) FROM audit_log WHERE seq > ?1", r->ckpt_seq, 0,
            &r->audit_oldest_unsigned) < 0)
        return -1;
    return 0;
}

/* status.json of the run directory: the hub's pid and run, when written,
 * and each unit's adapter last heard from. */
static cJSON *
read_status(const char *run_dir)
{
    char path[PATH_MAX];
    char *text;
    cJSON *j;

    if (files_join(path, sizeof path, run_dir, "status.json") < 0 ||
        !(text = files_read(path, NULL)))
        return NULL;
    j = cJSON_Parse(text);
    free(text);
    return j;
}

static int64_t
jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

/* backup.last of the run directory: at=, file=, bytes= lines. */
static void
read_backup(const char *run_dir, struct health_report *r)
{
    char path[PATH_MAX];
    char *text, *line, *save = NULL;
    struct stat sb;

    if (files_join(path, sizeof path, run_dir, "backup.last") < 0 ||
        !(text = files_read(path, NULL)))
        return;
    for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        if (strncmp(line, "at=", 3) == 0)
            r->backup_at = strtoll(line + 3, NULL, 10);
        else if (strncmp(line, "bytes=", 6) == 0)
            r->backup_bytes = strtoll(line + 6, NULL, 10);
        else if (strncmp(line, "file=", 5) == 0)
            snprintf(r->backup_file, sizeof r->backup_file, "%s", line + 5);
    }
    free(text);
    if (r->backup_at < 0)
        r->backup_at = 0;
    r->backup_file_missing = *r->backup_file && stat(r->backup_file, &sb) < 0 && errno == ENOENT;
}

/* Each unit's newest key in hub_keys (the hub's own), or else in the key
 * directory dir. */
static void
read_keys(const keydir_t *hub_keys, const char *dir, struct health_report *r)
{
    keydir_t *own = hub_keys || !*dir ? NULL : keydir_load(dir);
    const keydir_t *kd = hub_keys ? hub_keys : own;
    struct stat sb;

    if (!kd)
        return;
    for (size_t i = 0; i < keydir_count(kd); i++) {
        const struct key_entry *e = keydir_at(kd, i);
        const struct lx_unit *u;
        if (e->kind != KEY_UNIT || !(u = units_find(e->name)))
            continue;
        struct health_unit *hu = &r->units[u - lx_units];
        hu->has_key = 1;
        /* The newest key of a unit (one being replaced has two). */
        if (stat(e->file, &sb) == 0 && sb.st_mtime > hu->key_at) {
            hu->key_at = sb.st_mtime;
            hu->key_days = r->now > hu->key_at ? (r->now - hu->key_at) / 86400 : 0;
        }
    }
    keydir_destroy(&own);
}

int
health_collect(store_t *db, const calendar_t *cal, const conf_t *conf, const keydir_t *keys,
               int in_hub, int64_t now, struct health_report *r)
{
    char run_dir[PATH_MAX] = "", dbpath[PATH_MAX] = "", keydir[PATH_MAX] = "", dir[PATH_MAX];
    struct health_limits l;
    struct statvfs vfs;
    cJSON *st;
    int y, m, d, rc = 0;

    memset(r, 0, sizeof *r);
    r->now = now;
    r->today = days_shanghai(now);
    for (int i = 0; i < LX_NUNITS; i++)
        r->units[i].code = lx_units[i].code;
    health_limits_read(conf, &l);
    if (conf) {
        conf_path(conf, "hub", "run", "run", run_dir, sizeof run_dir);
        conf_path(conf, "hub", "database", NULL, dbpath, sizeof dbpath);
        conf_path(conf, "hub", "keys", NULL, keydir, sizeof keydir);
    }
    if (read_db(db, r) < 0) {
        log_warnx("the hub's database could not be read: %s", store_errmsg(db));
        rc = -1;
    }
    /* Running per hub_runs: alive by its pid and its last sign of life. */
    st = *run_dir ? read_status(run_dir) : NULL;
    if (st && jnum(st, "run") == r->run_id) {
        int64_t at = jnum(st, "written_at");
        r->pid = jnum(st, "pid");
        if (at > r->alive_at)
            r->alive_at = at;
    }
    if (st) {
        /* Units seen: kept across runs by the hub itself. */
        const cJSON *units = cJSON_GetObjectItemCaseSensitive(st, "units");
        for (int i = 0; i < LX_NUNITS; i++)
            r->units[i].seen_at = jnum(units, lx_units[i].code);
    }
    cJSON_Delete(st);
    if (in_hub) {
        r->state = HEALTH_RUNNING;
        r->pid = getpid();
    } else if (r->state == HEALTH_RUNNING) {
        int64_t last = r->alive_at > r->started_at ? r->alive_at : r->started_at;
        if (r->pid > 0 && kill((pid_t)r->pid, 0) < 0 && errno == ESRCH)
            r->state = HEALTH_CRASHED;
        else if (now - last > l.stale_seconds)
            r->state = HEALTH_SILENT;
    } else if (!r->run_id) {
        r->state = HEALTH_NEVER;
    }
    if (cal) {
        days_to_civil(r->today, &y, &m, &d);
        calendar_years(cal, &r->cal_first, &r->cal_last);
        r->cal_this = calendar_year_covered(cal, y);
        r->cal_next = calendar_year_covered(cal, y + 1);
    }
    if (*dbpath) {
        files_dirname(dir, sizeof dir, dbpath);
        if (statvfs(dir, &vfs) == 0) {
            r->disk_free = (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
            r->disk_size = (int64_t)vfs.f_blocks * (int64_t)vfs.f_frsize;
        }
    }
    r->wal_bytes = store_wal_size(db);
    if (*run_dir)
        read_backup(run_dir, r);
    read_keys(keys, keydir, r);
    r->code = health_check(r, &l, cal);
    return rc;
}

/* "2026年11月29日 20:01:02(3 分钟前)", or "never". */
static void
when(char *out, size_t len, int64_t t, int64_t now)
{
    char ts[64], ago[64];
    int64_t s = now - t;

    if (!t) {
        snprintf(out, len, "%s", _("never"));
        return;
    }
    days_time_text(t, ts, sizeof ts);
    if (s < 0)
        s = 0;
    if (s < 120)
        snprintf(ago, sizeof ago, _("%lld s ago"), (long long)s);
    else if (s < 7200)
        snprintf(ago, sizeof ago, _("%lld min ago"), (long long)(s / 60));
    else if (s < 2 * 86400)
        snprintf(ago, sizeof ago, _("%lld h ago"), (long long)(s / 3600));
    else
        snprintf(ago, sizeof ago, _("%lld days ago"), (long long)(s / 86400));
    snprintf(out, len, _("%s (%s)"), ts, ago);
}

static void
bytes_text(char *out, size_t len, int64_t b)
{
    if (b >= 1073741824)
        snprintf(out, len, "%.1f GiB", b / 1073741824.0);
    else if (b >= 1048576)
        snprintf(out, len, "%.1f MiB", b / 1048576.0);
    else
        snprintf(out, len, "%.1f KiB", b / 1024.0);
}

static void
line(FILE *out, int width, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One item: its label padded to width display cells, then the value. */
static void
line(FILE *out, int width, const char *label, const char *fmt, ...)
{
    va_list ap;

    text_print_padded(out, label, width);
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
}

static const char *
state_text(int state)
{
    switch (state) {
    case HEALTH_RUNNING: return _("running");
    case HEALTH_STOPPED: return _("not running (stopped)");
    case HEALTH_CRASHED: return _("not running (ended without a clean stop)");
    case HEALTH_SILENT: return _("not responding");
    default: return _("never ran");
    }
}

static const char *
state_code(int state)
{
    static const char *const codes[] = { "never", "running", "stopped", "crashed", "silent" };
    return codes[state];
}

void
health_text(const struct health_report *r, FILE *out)
{
    const char *labels[] = { _("Hub"), _("Last commit"), _("Filings today"), _("Undelivered"),
                             _("Calendar"), _("WAL"), _("Disk free"), _("Last backup"),
                             _("Audit checkpoint") };
    char a[160], b[160], c[160];
    int w = 0;

    /* The labels' column: the widest label (or unit name) and two cells. */
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (text_width(labels[i]) > w)
            w = text_width(labels[i]);
    for (int i = 0; i < LX_NUNITS; i++)
        if (text_width(units_name(lx_units[i].code)) > w)
            w = text_width(units_name(lx_units[i].code));
    w += 2;

    if (r->state == HEALTH_RUNNING) {
        when(a, sizeof a, r->started_at, r->now);
        if (r->pid)
            line(out, w, _("Hub"), _("%s, run %lld, pid %lld, up since %s"),
                 state_text(r->state), (long long)r->run_id, (long long)r->pid, a);
        else
            line(out, w, _("Hub"), _("%s, run %lld, up since %s"), state_text(r->state),
                 (long long)r->run_id, a);
    } else if (r->run_id) {
        when(a, sizeof a, r->stopped_at ? r->stopped_at : r->alive_at, r->now);
        line(out, w, _("Hub"), _("%s, run %lld, last alive %s"), state_text(r->state),
             (long long)r->run_id, a);
    } else {
        line(out, w, _("Hub"), "%s", state_text(r->state));
    }
    when(a, sizeof a, r->last_commit, r->now);
    line(out, w, _("Last commit"), "%s", a);
    days_format(r->today, b);
    line(out, w, _("Filings today"), _("%lld (%s)"), (long long)r->filings_today, b);
    if (r->unacked) {
        when(a, sizeof a, r->unacked_oldest, r->now);
        line(out, w, _("Undelivered"),
             _("%lld messages to units not yet acknowledged, oldest %s"), (long long)r->unacked, a);
    } else {
        line(out, w, _("Undelivered"), "%s", _("none"));
    }
    if (r->cal_first)
        line(out, w, _("Calendar"), _("%d to %d; this year %s, next year %s"), r->cal_first,
             r->cal_last, r->cal_this ? _("covered") : _("NOT covered"),
             r->cal_next ? _("covered") : _("not covered"));
    else
        line(out, w, _("Calendar"), "%s", _("unreadable"));
    bytes_text(a, sizeof a, r->wal_bytes);
    line(out, w, _("WAL"), "%s", a);
    bytes_text(a, sizeof a, r->disk_free);
    bytes_text(b, sizeof b, r->disk_size);
    line(out, w, _("Disk free"), _("%s of %s (%.0f%%)"), a, b,
         r->disk_size ? 100.0 * r->disk_free / r->disk_size : 0.0);
    if (r->backup_at) {
        when(a, sizeof a, r->backup_at, r->now);
        bytes_text(b, sizeof b, r->backup_bytes);
        line(out, w, _("Last backup"), _("%s, %s, %s"), a,
             *r->backup_file ? r->backup_file : "-", b);
    } else {
        line(out, w, _("Last backup"), "%s", _("never"));
    }
    if (r->ckpt_seq) {
        when(a, sizeof a, r->ckpt_at, r->now);
        line(out, w, _("Audit checkpoint"), _("entry %lld of %lld, signed %s"),
             (long long)r->ckpt_seq, (long long)r->audit_head, a);
    } else {
        line(out, w, _("Audit checkpoint"), _("none yet (%lld entries)"),
             (long long)r->audit_head);
    }
    for (int i = 0; i < LX_NUNITS; i++) {
        const struct health_unit *u = &r->units[i];
        when(a, sizeof a, u->seen_at, r->now);
        if (u->has_key)
            snprintf(b, sizeof b, _("key %lld days old"), (long long)u->key_days);
        else
            snprintf(b, sizeof b, "%s", _("no key authorized"));
        snprintf(c, sizeof c, _("%lld undelivered"), (long long)u->unacked);
        line(out, w, units_name(u->code), _("seen %s; %s; %s"), a, b, c);
    }
    if (!r->nproblems)
        fprintf(out, "%s\n", _("OK: no problems"));
    for (int i = 0; i < r->nproblems; i++)
        fprintf(out, _("PROBLEM: %s\n"), r->problems[i].text);
}

static cJSON *
report_json(const struct health_report *r)
{
    cJSON *j = cJSON_CreateObject(), *units, *probs;
    char day[LX_DATE_LEN];

    cJSON_AddBoolToObject(j, "healthy", r->nproblems == 0);
    cJSON_AddNumberToObject(j, "now", (double)r->now);
    cJSON_AddStringToObject(j, "hub", state_code(r->state));
    cJSON_AddBoolToObject(j, "running", r->state == HEALTH_RUNNING);
    cJSON_AddNumberToObject(j, "run", (double)r->run_id);
    cJSON_AddNumberToObject(j, "pid", (double)r->pid);
    cJSON_AddNumberToObject(j, "started_at", (double)r->started_at);
    cJSON_AddNumberToObject(j, "alive_at", (double)r->alive_at);
    cJSON_AddNumberToObject(j, "stopped_at", (double)r->stopped_at);
    cJSON_AddNumberToObject(j, "last_commit", (double)r->last_commit);
    days_format(r->today, day);
    cJSON_AddStringToObject(j, "today", day);
    cJSON_AddNumberToObject(j, "filings_today", (double)r->filings_today);
    cJSON_AddNumberToObject(j, "undelivered", (double)r->unacked);
    cJSON_AddNumberToObject(j, "undelivered_oldest", (double)r->unacked_oldest);
    cJSON_AddNumberToObject(j, "calendar_first", r->cal_first);
    cJSON_AddNumberToObject(j, "calendar_last", r->cal_last);
    cJSON_AddBoolToObject(j, "calendar_this_year", r->cal_this);
    cJSON_AddBoolToObject(j, "calendar_next_year", r->cal_next);
    cJSON_AddNumberToObject(j, "wal_bytes", (double)r->wal_bytes);
    cJSON_AddNumberToObject(j, "disk_free_bytes", (double)r->disk_free);
    cJSON_AddNumberToObject(j, "disk_size_bytes", (double)r->disk_size);
    cJSON_AddNumberToObject(j, "backup_at", (double)r->backup_at);
    cJSON_AddNumberToObject(j, "backup_bytes", (double)r->backup_bytes);
    cJSON_AddStringToObject(j, "backup_file", r->backup_file);
    cJSON_AddNumberToObject(j, "checkpoint_seq", (double)r->ckpt_seq);
    cJSON_AddNumberToObject(j, "checkpoint_at", (double)r->ckpt_at);
    cJSON_AddNumberToObject(j, "audit_head", (double)r->audit_head);
    units = cJSON_AddObjectToObject(j, "units");
    probs = cJSON_AddArrayToObject(j, "problems");
    for (int i = 0; i < LX_NUNITS; i++) {
        const struct health_unit *u = &r->units[i];
        cJSON *o = cJSON_AddObjectToObject(units, u->code);
        cJSON_AddNumberToObject(o, "seen_at", (double)u->seen_at);
        cJSON_AddNumberToObject(o, "unseen_workdays", u->unseen_workdays);
        cJSON_AddBoolToObject(o, "key", u->has_key);
        cJSON_AddNumberToObject(o, "key_at", (double)u->key_at);
        cJSON_AddNumberToObject(o, "key_days", (double)u->key_days);
        cJSON_AddNumberToObject(o, "undelivered", (double)u->unacked);
    }
    for (int i = 0; i < r->nproblems; i++) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "code", r->problems[i].code);
        cJSON_AddStringToObject(p, "text", r->problems[i].text);
        cJSON_AddItemToArray(probs, p);
    }
    return j;
}

void
health_json(const struct health_report *r, FILE *out)
{
    cJSON *j = report_json(r);
    char *s = cJSON_PrintUnformatted(j);

    if (s)
        fprintf(out, "%s\n", s);
    free(s);
    cJSON_Delete(j);
}

static void
metric(FILE *out, const char *name, const char *type, const char *help)
{
    fprintf(out, "# HELP lianxi_%s %s\n# TYPE lianxi_%s %s\n", name, help, name, type);
}

/* Prometheus text exposition (version 0.0.4): always English, for machines. */
void
health_prometheus(const struct health_report *r, FILE *out)
{
#define G(name, help, v) do { metric(out, name, "gauge", help); \
                              fprintf(out, "lianxi_%s %lld\n", name, (long long)(v)); } while (0)
    G("up", "1 when the hub is running and responding", r->state == HEALTH_RUNNING);
    G("healthy", "1 when lianxi-hub status finds no problem", r->nproblems == 0);
    G("problems", "how many problems lianxi-hub status reports", r->nproblems);
    metric(out, "problem", "gauge", "each problem lianxi-hub status reports, by code");
    for (int i = 0; i < r->nproblems; i++) {
        int dup = 0;
        for (int k = 0; k < i; k++)
            dup |= strcmp(r->problems[k].code, r->problems[i].code) == 0;
        if (!dup)
            fprintf(out, "lianxi_problem{code=\"%s\"} 1\n", r->problems[i].code);
    }
    G("hub_started_seconds", "unix time the hub's current or last run started", r->started_at);
    G("hub_alive_seconds", "unix time of the hub's last sign of life", r->alive_at);
    G("last_commit_seconds", "unix time the last filing was stored (0: none)", r->last_commit);
    G("filings_today", "filings stored today (Asia/Shanghai)", r->filings_today);
    G("undelivered_messages", "hub-to-unit messages not yet acknowledged", r->unacked);
    G("calendar_last_year", "the last year the working-day calendar covers", r->cal_last);
    G("calendar_next_year_covered", "1 when next year is in the working-day calendar",
      r->cal_next);
    G("wal_bytes", "size of the database's write-ahead log", r->wal_bytes);
    G("disk_free_bytes", "free bytes on the database's filesystem", r->disk_free);
    G("disk_size_bytes", "size of the database's filesystem", r->disk_size);
    G("backup_last_seconds", "unix time of the last backup (0: never)", r->backup_at);
    G("backup_bytes", "size of the last backup", r->backup_bytes);
    G("audit_checkpoint_seq", "audit entry the last signed checkpoint covers", r->ckpt_seq);
    G("audit_checkpoint_seconds", "unix time of the last signed audit checkpoint", r->ckpt_at);
    G("audit_entries", "entries in the audit trail", r->audit_head);
#undef G
#define U(name, type, help, expr) do { metric(out, name, type, help); \
        for (int i = 0; i < LX_NUNITS; i++) { const struct health_unit *u = &r->units[i]; \
            fprintf(out, "lianxi_%s{unit=\"%s\"} %lld\n", name, u->code, (long long)(expr)); } \
    } while (0)
    U("unit_last_seen_seconds", "gauge", "unix time the unit's adapter was last heard from (0: "
      "never)", u->seen_at);
    U("unit_key_age_days", "gauge", "age of the unit's newest authorized key in days",
      u->key_days);
    U("unit_key_authorized", "gauge", "1 when the unit has an authorized key", u->has_key);
    U("unit_undelivered_messages", "gauge", "messages to the unit not yet acknowledged",
      u->unacked);
#undef U
}

void
health_tick(const char *run_dir, int64_t run_id, const deliver_t *d, int64_t now)
{
    /* Each unit's last time, from the file of the run before at first. */
    static int64_t seen[LX_NUNITS];
    static int loaded;
    char path[PATH_MAX];
    cJSON *j, *units;
    char *s;

    if (!loaded) {
        cJSON *old = read_status(run_dir);
        const cJSON *ou = cJSON_GetObjectItemCaseSensitive(old, "units");
        for (int i = 0; i < LX_NUNITS; i++)
            seen[i] = jnum(ou, lx_units[i].code);
        cJSON_Delete(old);
        loaded = 1;
    }
    if (!(j = cJSON_CreateObject()) || !(units = cJSON_AddObjectToObject(j, "units"))) {
        cJSON_Delete(j);
        return;
    }
    cJSON_AddNumberToObject(j, "pid", (double)getpid());
    cJSON_AddNumberToObject(j, "run", (double)run_id);
    cJSON_AddNumberToObject(j, "written_at", (double)now);
    for (int i = 0; i < LX_NUNITS; i++) {
        int64_t t = d ? deliver_unit_seen(d, i) : 0;
        if (t > seen[i])
            seen[i] = t;
        if (seen[i])
            cJSON_AddNumberToObject(units, lx_units[i].code, (double)seen[i]);
    }
    s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (s && files_join(path, sizeof path, run_dir, "status.json") == 0 &&
        files_write_atomic(path, s, strlen(s), 0644) < 0)
        log_warn("cannot write %s", path);
    free(s);
}

static void
usage(void)
{
    fprintf(stderr, "%s",
            _("usage: lianxi-hub -c HUB.CONF status [--json | --prometheus]\n"
              "  the hub's health, read-only, on the hub's machine (running or not); exit\n"
              "  code 0 healthy, 1 problems, 2 the hub not running or not responding,\n"
              "  3 the configuration or database cannot be read\n"));
    exit(EX_USAGE);
}

int
health_main(const char *cfile, int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "prometheus", no_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    char dbpath[PATH_MAX], calpath[PATH_MAX];
    struct health_report *r;
    struct health_limits l;     /* read first: a wrong value is said before anything */
    calendar_t *cal = NULL;
    store_t *db;
    conf_t *conf;
    int c, json = 0, prom = 0, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "jph", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'p': prom = 1; break;
        default: usage();
        }
    }
    if (!cfile || optind != argc || (json && prom))
        usage();
    if (!(conf = conf_load(cfile)))
        return HEALTH_UNKNOWN;
    conf_language(conf, "hub");
    if (health_limits_read(conf, &l) < 0 ||
        conf_path(conf, "hub", "database", NULL, dbpath, sizeof dbpath) < 0) {
        conf_destroy(&conf);
        return HEALTH_UNKNOWN;
    }
    if (conf_path(conf, "hub", "calendar", NULL, calpath, sizeof calpath) == 0)
        cal = calendar_load(calpath);
    if (!(db = store_open_ro(dbpath)) || !(r = malloc(sizeof *r))) {
        store_close(&db);
        calendar_destroy(&cal);
        conf_destroy(&conf);
        return HEALTH_UNKNOWN;
    }
    if (health_collect(db, cal, conf, NULL, 0, clock_now(), r) < 0) {
        rc = HEALTH_UNKNOWN;
    } else {
        rc = r->code;
        if (json)
            health_json(r, stdout);
        else if (prom)
            health_prometheus(r, stdout);
        else
            health_text(r, stdout);
    }
    free(r);
    store_close(&db);
    calendar_destroy(&cal);
    conf_destroy(&conf);
    return rc;
}
