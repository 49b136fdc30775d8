/* test_health.c — the health report's thresholds (health_check: figures in,
 * problems and exit code out) and [health] in hub.conf. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "conf.h"
#include "days.h"
#include "health.h"

#define HOLIDAYS "deploy/calendar/cn-holidays.tsv"
#define MIB (1024LL * 1024)
#define DAY 86400

static calendar_t *cal;
static struct health_limits lim;

static int
setup(void **state)
{
    (void)state;
    return (cal = calendar_load(HOLIDAYS)) && health_limits_read(NULL, &lim) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    calendar_destroy(&cal);
    return 0;
}

/* A healthy hub at 10:00 in Shanghai of the day y-m-d. */
static void
healthy(struct health_report *r, int y, int m, int d)
{
    memset(r, 0, sizeof *r);
    r->today = days_from_civil(y, m, d);
    r->now = days_start(r->today) + 10 * 3600;
    r->state = HEALTH_RUNNING;
    r->run_id = 1;
    r->started_at = r->alive_at = r->now - 60;
    r->cal_first = 2019;
    r->cal_last = 2026;
    r->cal_this = 1;
    r->wal_bytes = 1 * MIB;
    r->disk_free = 50 * 1024 * MIB;
    r->disk_size = 100 * 1024 * MIB;
    r->backup_at = r->now - DAY;
    for (int i = 0; i < LX_NUNITS; i++)
        r->units[i].code = lx_units[i].code;
}

static int
has(const struct health_report *r, const char *code)
{
    for (int i = 0; i < r->nproblems; i++)
        if (strcmp(r->problems[i].code, code) == 0)
            return 1;
    return 0;
}

static void
defaults_are_the_documented_ones(void **state)
{
    (void)state;
    assert_int_equal(lim.backup_max_days, 2);
    assert_int_equal(lim.wal_max_mib, 64);
    assert_int_equal(lim.disk_min_mib, 1024);
    assert_int_equal(lim.disk_min_percent, 5);
    assert_int_equal(lim.unit_unseen_workdays, 2);
    assert_int_equal(lim.key_max_days, 365);
    assert_int_equal(lim.stale_seconds, 30);
    assert_int_equal(lim.calendar_next_month, 11);
}

static void
a_healthy_hub_has_no_problem(void **state)
{
    struct health_report r;
    (void)state;
    healthy(&r, 2026, 3, 9);
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_OK);
    assert_int_equal(r.nproblems, 0);
}

static void
backups_never_and_old(void **state)
{
    struct health_report r;
    (void)state;
    healthy(&r, 2026, 3, 9);
    r.backup_at = 0;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "backup_never"));
    r.backup_at = r.now - 2 * DAY;             /* two days: still fine */
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_OK);
    r.backup_at = r.now - 2 * DAY - 1;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "backup_old"));
    r.backup_at = r.now - 3600;
    r.backup_file_missing = 1;
    snprintf(r.backup_file, sizeof r.backup_file, "/var/backups/lianxi/gone.db");
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "backup_missing"));
}

static void
wal_and_disk(void **state)
{
    struct health_report r;
    (void)state;
    healthy(&r, 2026, 3, 9);
    r.wal_bytes = 64 * MIB;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_OK);
    r.wal_bytes = 64 * MIB + 1;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "wal_large"));

    healthy(&r, 2026, 3, 9);
    r.disk_free = 900 * MIB;                    /* under 1 GiB */
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "disk_low"));
    r.disk_free = 4 * 1024 * MIB;               /* 4 GiB of 100: under 5 % */
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "disk_low"));
    r.disk_free = 5 * 1024 * MIB;               /* 5 %: fine */
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_OK);
}

static void
units_are_counted_in_working_days(void **state)
{
    struct health_report r;
    struct health_unit *police;
    (void)state;

    /* Seen Friday 2026-03-06; Monday is one working day after: fine. */
    healthy(&r, 2026, 3, 9);
    police = &r.units[5];
    assert_string_equal(police->code, "police");
    police->has_key = 1;
    police->seen_at = days_start(days_from_civil(2026, 3, 6)) + 17 * 3600;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_OK);
    assert_int_equal(police->unseen_workdays, 1);
    /* Tuesday: two working days. */
    healthy(&r, 2026, 3, 10);
    police->has_key = 1;
    police->seen_at = days_start(days_from_civil(2026, 3, 6)) + 17 * 3600;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "unit_unseen"));
    assert_int_equal(police->unseen_workdays, 2);

    /* National Day 2025: seen Tuesday 09-30, Wednesday 10-08 is still a
     * holiday: eight calendar days, no working day. */
    healthy(&r, 2025, 10, 8);
    r.cal_next = 1;
    police->has_key = 1;
    police->seen_at = days_start(days_from_civil(2025, 9, 30)) + 17 * 3600;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_OK);
    assert_int_equal(police->unseen_workdays, 0);

    /* Never seen: a problem for a unit with a key, not for one without. */
    healthy(&r, 2026, 3, 9);
    police->has_key = 1;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "unit_never_seen"));
    assert_int_equal(r.nproblems, 1);
    police->has_key = 0;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_OK);
    /* 0 turns the check off. */
    {
        struct health_limits l = lim;
        l.unit_unseen_workdays = 0;
        police->has_key = 1;
        assert_int_equal(health_check(&r, &l, cal), HEALTH_OK);
    }
}

static void
keys_too_old(void **state)
{
    struct health_report r;
    struct health_unit *court;
    (void)state;
    healthy(&r, 2026, 3, 9);
    court = &r.units[3];
    court->has_key = 1;
    court->seen_at = r.now - 60;
    court->key_days = 365;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_OK);
    court->key_days = 366;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "key_old"));
}

static void
the_calendar_must_cover_this_year_and_next_from_november(void **state)
{
    struct health_report r;
    (void)state;
    healthy(&r, 2026, 10, 31);
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_OK);
    healthy(&r, 2026, 11, 1);
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "calendar_next_year"));
    r.cal_next = 1;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_OK);
    healthy(&r, 2027, 1, 4);
    r.cal_this = 0;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "calendar_this_year"));
    healthy(&r, 2026, 3, 9);
    assert_int_equal(health_check(&r, &lim, NULL), HEALTH_PROBLEMS);
    assert_true(has(&r, "calendar_unreadable"));
}

static void
a_hub_down_is_critical(void **state)
{
    struct health_report r;
    (void)state;
    healthy(&r, 2026, 3, 9);
    r.state = HEALTH_STOPPED;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_DOWN);
    assert_true(has(&r, "hub_not_running"));
    r.state = HEALTH_CRASHED;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_DOWN);
    assert_true(has(&r, "hub_crashed"));
    r.state = HEALTH_SILENT;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_DOWN);
    assert_true(has(&r, "hub_silent"));
    r.state = HEALTH_NEVER;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_DOWN);
    /* Unsigned audit entries are the running hub's problem only. */
    healthy(&r, 2026, 3, 9);
    r.audit_oldest_unsigned = r.now - 61 * 60;
    assert_int_equal(health_check(&r, &lim, cal), HEALTH_PROBLEMS);
    assert_true(has(&r, "checkpoint_old"));
}

static void
thresholds_come_from_hub_conf(void **state)
{
    char path[] = "/tmp/lx-test-health-XXXXXX";
    struct health_limits l;
    conf_t *conf;
    FILE *f;
    int fd = mkstemp(path);
    (void)state;

    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs("[hub]\n[health]\nbackup_max_days = 7\nwal_max_mib = 256\nunit_unseen_workdays = 0\n", f);
    fclose(f);
    assert_non_null(conf = conf_load(path));
    assert_int_equal(health_limits_read(conf, &l), 0);
    assert_int_equal(l.backup_max_days, 7);
    assert_int_equal(l.wal_max_mib, 256);
    assert_int_equal(l.unit_unseen_workdays, 0);
    assert_int_equal(l.disk_min_mib, 1024);     /* the default */
    conf_destroy(&conf);
    f = fopen(path, "w");
    fputs("[health]\nbackup_max_days = 0\n", f);
    fclose(f);
    assert_non_null(conf = conf_load(path));
    assert_int_equal(health_limits_read(conf, &l), -1);
    conf_destroy(&conf);
    unlink(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_the_documented_ones),
        cmocka_unit_test(a_healthy_hub_has_no_problem),
        cmocka_unit_test(backups_never_and_old),
        cmocka_unit_test(wal_and_disk),
        cmocka_unit_test(units_are_counted_in_working_days),
        cmocka_unit_test(keys_too_old),
        cmocka_unit_test(the_calendar_must_cover_this_year_and_next_from_november),
        cmocka_unit_test(a_hub_down_is_critical),
        cmocka_unit_test(thresholds_come_from_hub_conf),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
