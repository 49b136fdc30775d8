/* health.h — the hub's health for people and monitoring: is the hub
 * running, its last commit, filings today, the messages to units not yet
 * acknowledged, per unit its adapter's last sign of life and its key's age,
 * the calendar's years, the WAL, the disk, the last backup and the last
 * audit checkpoint; then the problems, each against a threshold of [health]
 * in hub.conf.  ONE report: `lianxi-hub status` (offline, read-only, on the
 * hub's machine) and the operators' control command `status` both collect
 * it here and print it here.
 *
 * What only the running hub knows (its pid, each unit's adapter last heard
 * from) it writes to <run dir>/status.json from its alive tick (health_tick);
 * whether it runs comes from the hub_runs table and that file's age. */
#ifndef LX_HEALTH_H
#define LX_HEALTH_H

#include <stdint.h>
#include <stdio.h>

#include "calendar.h"
#include "categories.h"
#include "conf.h"
#include "deliver.h"
#include "store.h"

/* The exit codes of `lianxi-hub status` (Nagios-style). */
enum {
    HEALTH_OK = 0,          /* no problem */
    HEALTH_PROBLEMS = 1,    /* at least one problem (a line each) */
    HEALTH_DOWN = 2,        /* the hub is not running, or does not answer */
    HEALTH_UNKNOWN = 3,     /* the configuration or the database cannot be read */
};

/* The thresholds, from [health] of hub.conf. */
struct health_limits {
    long backup_max_days;       /* backup_max_days: the last backup older than this (2) */
    long wal_max_mib;           /* wal_max_mib: the WAL larger than this (64) */
    long disk_min_mib;          /* disk_min_mib: less free on the database's disk (1024) */
    long disk_min_percent;      /* disk_min_percent: or less than this share free (5) */
    long unit_unseen_workdays;  /* unit_unseen_workdays: an adapter not heard from for
                                 * this many working days (2; 0: not checked) */
    long key_max_days;          /* key_max_days: a unit's key older than this (365; 0: not
                                 * checked) */
    long stale_seconds;         /* stale_seconds: a running hub silent this long (30) */
    long calendar_next_month;   /* calendar_next_month: from this month on, next year's
                                 * calendar is needed (11) */
    long checkpoint_max_minutes;/* checkpoint_max_minutes: audit entries unsigned this
                                 * long while the hub runs (60) */
};

/* The defaults, then what conf (may be NULL) sets.  Returns 0, or -1 after
 * logging a value out of range. */
int health_limits_read(const conf_t *conf, struct health_limits *l);

enum { HEALTH_NEVER = 0, HEALTH_RUNNING, HEALTH_STOPPED, HEALTH_CRASHED, HEALTH_SILENT };

#define HEALTH_MAX_PROBLEMS 40

struct health_unit {
    const char *code;
    int64_t seen_at;            /* its adapter last heard from (0: never) */
    int unseen_workdays;        /* working days after that day up to today */
    int has_key;                /* an authorized key in the key directory */
    int64_t key_at;             /* its newest key file's time (0: none) */
    int64_t key_days;
    int64_t unacked;            /* messages to it not yet acknowledged */
};

struct health_report {
    int64_t now;
    lx_day today;
    int state;                  /* HEALTH_NEVER … HEALTH_SILENT */
    int64_t run_id, started_at, alive_at, stopped_at, pid;
    int64_t last_commit;        /* the last filing stored (0: none) */
    int64_t filings_today;      /* filings stored today (Asia/Shanghai) */
    int64_t unacked, unacked_oldest;    /* hub → unit messages not acknowledged */
    struct health_unit units[LX_NUNITS];
    int cal_first, cal_last, cal_this, cal_next;    /* cal_this/next: 1 when covered */
    int cal_next_needed;
    int64_t wal_bytes;
    int64_t disk_free, disk_size;
    int64_t backup_at, backup_bytes;
    char backup_file[512];
    int backup_file_missing;
    int64_t ckpt_seq, ckpt_at, audit_head, audit_oldest_unsigned;
    int code;                   /* health_check's exit code */
    int nproblems;
    struct { char code[48]; char text[512]; } problems[HEALTH_MAX_PROBLEMS];
};

/* Collects the report from db (the hub's writer inside the hub, or a
 * read-only connection), cal (NULL: unreadable), conf (paths and [health];
 * may be NULL), keys (the hub's loaded key directory; NULL: read the one
 * conf names) at now; in_hub says the caller is the running hub itself.  Then checks
 * it (health_check; r->code).  Returns 0, or -1 when the database could not
 * be read. */
int health_collect(store_t *db, const calendar_t *cal, const conf_t *conf, const keydir_t *keys,
                   int in_hub, int64_t now, struct health_report *r);

/* The problems of r against l (pure: figures in, problems out; cal counts
 * working days, NULL: calendar days).  Sets r->nproblems and the units'
 * unseen_workdays and cal_next_needed; returns the exit code (HEALTH_OK,
 * _PROBLEMS, _DOWN). */
int health_check(struct health_report *r, const struct health_limits *l, const calendar_t *cal);

/* The report for people (aligned, current language), as JSON (one line),
 * or as Prometheus text exposition. */
void health_text(const struct health_report *r, FILE *out);
void health_json(const struct health_report *r, FILE *out);
void health_prometheus(const struct health_report *r, FILE *out);

/* From the hub's alive tick: writes <run_dir>/status.json (atomically): its
 * pid, run, the time, and each unit's adapter last heard from (kept across
 * restarts from the file before). */
void health_tick(const char *run_dir, int64_t run_id, const deliver_t *d, int64_t now);

/* `lianxi-hub -c HUB.CONF status [--json] [--prometheus]`. */
int health_main(const char *cfile, int argc, char **argv);

#endif
