/* it_upgrade.c — the real current hub started on databases made by earlier
 * versions (tests/upgrade/hub-schema-N.sql, see the README there): it
 * migrates them as it starts, an operator reads an old filing, the police
 * adapter files a new one, which gets the receipt number after the highest
 * in the old database, and the hub stops cleanly.  test_upgrade checks the
 * migrations row by row; this checks the programs on top of them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "harness.h"
#include "store.h"

static char src_dir[PATH_MAX];
/* The county of the test running, stopped and removed after it, passed
 * or failed. */
static struct county county;
static int county_made;

/* Loads the dump into the county's (not yet created) hub database. */
static void
restore(struct county *c, int version)
{
    char path[PATH_MAX];
    char *err = NULL;
    sqlite3 *db;
    size_t len = 0;
    char *sql;

    snprintf(path, sizeof path, "%s/tests/upgrade/hub-schema-%d.sql", src_dir, version);
    sql = files_read(path, &len);
    assert_non_null(sql);
    assert_int_equal(sqlite3_open(cpath(c, "hub/lianxi.db"), &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", path, err);
    sqlite3_close(db);
    free(sql);
}

static void
db_text(struct county *c, const char *sql, char *out, size_t n)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(cpath(c, "hub/lianxi.db"), &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, n, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static int
cleanup(void **state)
{
    (void)state;
    if (county_made)
        county_cleanup(&county);
    county_made = 0;
    return 0;
}

static void
hub_upgrades_and_goes_on(int version)
{
    struct county *const cp = &county;
    char first[24], last[24], next[24], expect[24], msg[64], msg_zh[64];
    char log[PATH_MAX], csv[PATH_MAX];
    char today[11];
    long before;
    int year, n;
    time_t now = time(NULL);
    struct tm tm;
    FILE *fp;

    assert_int_equal(county_init(cp), 0);
    county_made = 1;
    restore(cp, version);
    assert_int_equal(db_long(cp, "hub/lianxi.db", "PRAGMA user_version"), version);
    before = db_long(cp, "hub/lianxi.db", "SELECT count(*) FROM filings");
    assert_true(before > 20);
    db_text(cp, "SELECT min(receipt_no) FROM filings", first, sizeof first);
    db_text(cp, "SELECT max(receipt_no) FROM filings", last, sizeof last);

    assert_int_equal(hub_start(cp, 20000), 0);
    assert_int_equal(db_long(cp, "hub/lianxi.db", "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    /* Each step logged, in the hub's language (Chinese with the build's
     * catalogue, else English). */
    snprintf(msg, sizeof msg, "schema migrated to version %d", version + 1);
    snprintf(msg_zh, sizeof msg_zh, "数据库结构已升级到第 %d 版", version + 1);
    assert_true(log_has(cp, msg) || log_has(cp, msg_zh));
    snprintf(msg, sizeof msg, "schema migrated to version %d", STORE_SCHEMA_VERSION);
    snprintf(msg_zh, sizeof msg_zh, "数据库结构已升级到第 %d 版", STORE_SCHEMA_VERSION);
    assert_true(log_has(cp, msg) || log_has(cp, msg_zh));

    /* An operator reads the oldest filing through the current hub. */
    snprintf(log, sizeof log, "%s/show.log", cp->dir);
    const char *show[] = { "lianxi", "-c", cpath(cp, "operators/supervisor/operator.conf"),
                           "show", first, NULL };
    assert_int_equal(run_prog(cp, log, show, 30000), 0);

    /* The police file one more case, closed today. */
    localtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    snprintf(csv, sizeof csv, "%s/police-upgrade.csv", cp->dir);
    assert_non_null(fp = fopen(csv, "w"));
    fprintf(fp, "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围\n"
                "A4416232026119901,刘国强,441623197911200030,县自然资源局,股长,科员,"
                "饮酒后驾驶机动车,%s,已办结,饮酒后驾驶机动车被查获，处暂扣驾驶证六个月并罚款。,党政机关\n",
            today);
    fclose(fp);
    snprintf(log, sizeof log, "%s/police.log", cp->dir);
    char conf[PATH_MAX];
    snprintf(conf, sizeof conf, "%s/units/police/adapter.conf", cp->dir);
    const char *submit[] = { "lianxi-adapter-police", "-c", conf, "--wait", "60", "submit", csv,
                             NULL };
    assert_int_equal(run_prog(cp, log, submit, 90000), 0);
    assert_int_equal(db_long(cp, "hub/lianxi.db", "SELECT count(*) FROM filings"), before + 1);
    assert_int_equal(db_long(cp, "hub/lianxi.db",
                             "SELECT count(DISTINCT receipt_no) FROM filings"), before + 1);
    db_text(cp, "SELECT receipt_no FROM filings WHERE case_ref = 'A4416232026119901'", next,
            sizeof next);
    assert_int_equal(sscanf(last, "%d-%d", &year, &n), 2);
    if (year == tm.tm_year + 1900)
        snprintf(expect, sizeof expect, "%d-%06d", year, n + 1);
    else
        snprintf(expect, sizeof expect, "%d-%06d", tm.tm_year + 1900, 1);
    assert_string_equal(next, expect);

    assert_int_equal(hub_stop(cp), 0);
}

static void
the_hub_starts_on_a_schema_1_database(void **state)
{
    (void)state;
    hub_upgrades_and_goes_on(1);
}

static void
the_hub_starts_on_a_schema_3_database(void **state)
{
    (void)state;
    hub_upgrades_and_goes_on(3);
}

static void
the_hub_starts_on_a_schema_8_database(void **state)
{
    (void)state;
    hub_upgrades_and_goes_on(8);
}

int
main(void)
{
    const char *src = getenv("LIANXI_SRC");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(the_hub_starts_on_a_schema_1_database, cleanup),
        cmocka_unit_test_teardown(the_hub_starts_on_a_schema_3_database, cleanup),
        cmocka_unit_test_teardown(the_hub_starts_on_a_schema_8_database, cleanup),
    };

    setenv("TZ", "Asia/Shanghai", 1);
    snprintf(src_dir, sizeof src_dir, "%s", src ? src : ".");
    if (src_dir[0] != '/') {
        char cwd[PATH_MAX / 2];
        if (getcwd(cwd, sizeof cwd))
            snprintf(src_dir, sizeof src_dir, "%s/%s", cwd, src ? src : ".");
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
