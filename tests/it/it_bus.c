/* it_bus.c — the real hub and real adapters on loopback: the police
 * sample, nine units at once, and crashes of either side. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "categories.h"
#include "harness.h"
#include "files.h"

#define PER_UNIT 2000

static char sample_dir[PATH_MAX];

static const char *
sample(const char *name)
{
    static char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", sample_dir, name);
    return p;
}

static const char *
unit_conf(struct county *c, const char *unit)
{
    static char p[8][PATH_MAX];
    static int k;
    char *b = p[k++ % 8];
    snprintf(b, PATH_MAX, "%s/units/%s/adapter.conf", c->dir, unit);
    return b;
}

static const char *
unit_outbox(const char *unit)
{
    static char p[8][128];
    static int k;
    char *b = p[k++ % 8];
    snprintf(b, 128, "units/%s/outbox.db", unit);
    return b;
}

/* Number of acknowledged outbox rows of unit whose receipt the hub lacks. */
static long
missing_receipts(struct county *c, const char *unit)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[512];
    long v = -1;

    if (sqlite3_open_v2(cpath(c, "hub/lianxi.db"), &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return -1;
    snprintf(sql, sizeof sql, "ATTACH '%s' AS ob", cpath(c, unit_outbox(unit)));
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM ob.outbox o WHERE o.state = 1 AND NOT EXISTS"
                 " (SELECT 1 FROM main.filings f WHERE f.receipt_no = o.receipt_no"
                 "  AND f.unit = '%s' AND f.filing_id = o.filing_id"
                 "  AND f.revision = o.revision)", unit);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                v = (long)sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(db);
    return v;
}

static pid_t
start_loadgen(struct county *c, const char *unit, const char *count)
{
    char log[PATH_MAX];
    const char *argv[] = { "lianxi-loadgen", "-q", "--wait", "600", "-c", unit_conf(c, unit),
                           "submit", count, NULL };
    snprintf(log, sizeof log, "%s/loadgen-%s.log", c->dir, unit);
    return spawn(c, log, argv);
}

static void
police_sample_is_filed_once_in_either_encoding(void **state)
{
    struct county c;
    char log[PATH_MAX];
    (void)state;

    assert_int_equal(county_init(&c), 0);
    assert_int_equal(hub_start(&c, 20000), 0);
    snprintf(log, sizeof log, "%s/police.log", c.dir);
    const char *a1[] = { "lianxi-adapter-police", "-c", unit_conf(&c, "police"), "--wait", "60",
                         "submit", sample("police-2026-11.csv"), NULL };
    assert_int_equal(wait_exit(spawn(&c, log, a1), 90000), 0);
    /* EXPECTED: 60 rows, 55 filed (10 notices, 45 reports), 5 rejected. */
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT count(*) FROM filings"), 55);
    assert_int_equal(db_long(&c, "hub/lianxi.db",
                             "SELECT count(*) FROM filings WHERE stage = 1"), 10);
    assert_int_equal(db_long(&c, "hub/lianxi.db",
                             "SELECT count(*) FROM filings WHERE unit <> 'police'"), 0);
    assert_int_equal(db_long(&c, unit_outbox("police"),
                             "SELECT count(*) FROM outbox WHERE state = 1"), 55);
    size_t len = 0;
    char *note = files_read(cpath(&c, "units/police/rejected/police-2026-11.csv.rejected.txt"),
                                &len);
    assert_non_null(note);
    int lines = 0;
    for (char *p = note; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 5);
    /* For the clerks' Windows desktops: UTF-8 with a BOM, CRLF lines. */
    assert_memory_equal(note, "\xEF\xBB\xBF", 3);
    for (size_t i = 0; i < len; i++)
        if (note[i] == '\n')
            assert_int_equal(note[i - 1], '\r');
    assert_non_null(strstr(note, " 第8行：公民身份号码："));
    assert_non_null(strstr(note, " 第49行：知悉日期："));
    free(note);

    /* The GB18030 twin and the BOM copy are the same export: nothing new. */
    const char *a2[] = { "lianxi-adapter-police", "-c", unit_conf(&c, "police"), "--wait", "60",
                         "submit", sample("police-2026-11.gb18030.csv"),
                         sample("police-2026-11.bom.csv"), NULL };
    assert_int_equal(wait_exit(spawn(&c, log, a2), 90000), 0);
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT count(*) FROM filings"), 55);
    assert_int_equal(db_long(&c, unit_outbox("police"), "SELECT count(*) FROM outbox"), 55);
    assert_int_equal(hub_stop(&c), 0);
    county_cleanup(&c);
}

static void
nine_units_file_18000_concurrently_each_once(void **state)
{
    struct county c;
    pid_t pids[LX_NUNITS];
    char count[16];
    (void)state;

    snprintf(count, sizeof count, "%d", PER_UNIT);
    assert_int_equal(county_init(&c), 0);
    assert_int_equal(hub_start(&c, 20000), 0);
    for (int i = 0; i < LX_NUNITS; i++)
        pids[i] = start_loadgen(&c, lx_units[i].code, count);
    for (int i = 0; i < LX_NUNITS; i++)
        assert_int_equal(wait_exit(pids[i], 600000), 0);
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT count(*) FROM filings"),
                     LX_NUNITS * PER_UNIT);
    assert_int_equal(db_long(&c, "hub/lianxi.db",
                             "SELECT count(DISTINCT unit || filing_id) FROM filings"),
                     LX_NUNITS * PER_UNIT);
    for (int i = 0; i < LX_NUNITS; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM filings WHERE unit = '%s'",
                 lx_units[i].code);
        assert_int_equal(db_long(&c, "hub/lianxi.db", sql), PER_UNIT);
        assert_int_equal(db_long(&c, unit_outbox(lx_units[i].code),
                                 "SELECT count(*) FROM outbox WHERE state = 1"), PER_UNIT);
        assert_int_equal(missing_receipts(&c, lx_units[i].code), 0);
    }
    /* Receipt numbers are gap-free: 1..N in this year. */
    assert_int_equal(db_long(&c, "hub/lianxi.db",
                             "SELECT max(CAST(substr(receipt_no, 6) AS INTEGER)) FROM filings"),
                     LX_NUNITS * PER_UNIT);
    assert_int_equal(hub_stop(&c), 0);
    county_cleanup(&c);
}

static void
nothing_lost_when_hub_and_adapter_are_killed(void **state)
{
    struct county c;
    pid_t pids[LX_NUNITS];
    char count[16];
    const long total = LX_NUNITS * PER_UNIT;
    int police = 5;
    (void)state;

    snprintf(count, sizeof count, "%d", PER_UNIT);
    assert_string_equal(lx_units[police].code, "police");
    assert_int_equal(county_init(&c), 0);
    assert_int_equal(hub_start(&c, 20000), 0);
    for (int i = 0; i < LX_NUNITS; i++)
        pids[i] = start_loadgen(&c, lx_units[i].code, count);

    /* kill -9 the hub three times in the burst, restarting it each time. */
    for (int k = 1; k <= 3; k++) {
        long at = wait_db(&c, "hub/lianxi.db", "SELECT count(*) FROM filings", total * k / 5, 300000);
        assert_true(at >= total * k / 5);
        hub_kill9(&c);
        if (k == 2) {
            /* And kill -9 one adapter while the hub is down, then restart it. */
            kill(pids[police], SIGKILL);
            wait_exit(pids[police], 30000);
            pids[police] = start_loadgen(&c, "police", count);
        }
        assert_int_equal(hub_start(&c, 20000), 0);
    }
    for (int i = 0; i < LX_NUNITS; i++)
        assert_int_equal(wait_exit(pids[i], 600000), 0);

    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT count(*) FROM filings"), total);
    assert_int_equal(db_long(&c, "hub/lianxi.db",
                             "SELECT count(DISTINCT unit || filing_id) FROM filings"), total);
    assert_int_equal(db_long(&c, "hub/lianxi.db",
                             "SELECT count(*) FROM hub_runs WHERE after_crash = 1"), 3);
    for (int i = 0; i < LX_NUNITS; i++) {
        assert_int_equal(db_long(&c, unit_outbox(lx_units[i].code),
                                 "SELECT count(*) FROM outbox WHERE state <> 1"), 0);
        assert_int_equal(db_long(&c, unit_outbox(lx_units[i].code),
                                 "SELECT count(*) FROM outbox"), PER_UNIT);
        assert_int_equal(missing_receipts(&c, lx_units[i].code), 0);
    }
    assert_int_equal(db_long(&c, "hub/lianxi.db",
                             "SELECT max(CAST(substr(receipt_no, 6) AS INTEGER)) FROM filings"),
                     total);
    assert_int_equal(hub_stop(&c), 0);
    county_cleanup(&c);
}

int
main(void)
{
    const char *src = getenv("LIANXI_SRC");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(police_sample_is_filed_once_in_either_encoding),
        cmocka_unit_test(nine_units_file_18000_concurrently_each_once),
        cmocka_unit_test(nothing_lost_when_hub_and_adapter_are_killed),
    };

    snprintf(sample_dir, sizeof sample_dir, "%s/adapters/police/samples", src ? src : ".");
    if (sample_dir[0] != '/') {
        char cwd[PATH_MAX / 2];
        if (getcwd(cwd, sizeof cwd))
            snprintf(sample_dir, sizeof sample_dir, "%s/adapters/police/samples", cwd);
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
