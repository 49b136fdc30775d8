/* it_health.c — `lianxi-hub status` and the operators' `status` on the
 * real hub and police adapter: filings today, a unit seen and one never
 * seen, the backup's problem and its going away, the hub stopped, and the
 * roles that may ask.  The clock is pinned with LIANXI_FAKE_NOW (Monday
 * 2026-03-09 10:00 in Shanghai) so that the day does not depend on when
 * the tests run. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "files.h"
#include "harness.h"
#include "idnum.h"

/* How many filings the police adapter files (the test's input). */
#define N_FILINGS 3

static struct county C;

/* Runs argv with its output in out; returns the exit code, *text the output. */
static int
run_out(const char *name, const char *const argv[], char **text)
{
    char out[PATH_MAX];
    int fd, rc;

    snprintf(out, sizeof out, "%s/%s", C.dir, name);
    fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    close(fd);
    rc = run_prog(&C, out, argv, 60000);
    *text = files_read(out, NULL);
    assert_non_null(*text);
    return rc;
}

/* `lianxi-hub -c hub.conf status [opt]`. */
static int
status(const char *opt, char **text)
{
    const char *argv[] = { "lianxi-hub", "-c", cpath(&C, "hub/hub.conf"), "status", opt, NULL };
    return run_out("status.out", argv, text);
}

/* The JSON object of `status --json` (the last line: the log may come first). */
static cJSON *
status_json(int *rc)
{
    char *text, *brace;
    cJSON *j;

    *rc = status("--json", &text);
    brace = strstr(text, "{\"healthy\"");
    if (!brace)
        fprintf(stderr, "status --json said: %s\n", text);
    assert_non_null(brace);
    j = cJSON_Parse(brace);
    assert_non_null(j);
    free(text);
    return j;
}

static int
has_problem(const cJSON *j, const char *code)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(j, "problems"))
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(p, "code")), code) == 0)
            return 1;
    return 0;
}

static double
num(const cJSON *j, const char *a, const char *b, const char *c)
{
    const cJSON *v = cJSON_GetObjectItem(j, a);
    if (b)
        v = cJSON_GetObjectItem(v, b);
    if (c)
        v = cJSON_GetObjectItem(v, c);
    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static int
police_in_status(void *arg)
{
    char *s = files_read(arg, NULL);
    int done = s && strstr(s, "\"police\":");
    free(s);
    return done;
}

static void
status_reports_what_the_hub_knows(void **state)
{
    char rows[4096] = "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,"
                      "简要案情,知悉范围\n";
    char path[PATH_MAX], conf[PATH_MAX], log[PATH_MAX], *text;
    cJSON *j;
    FILE *f;
    int rc;
    (void)state;

    setenv("LIANXI_FAKE_NOW", "1773021600", 1);    /* 2026-03-09 10:00 Asia/Shanghai */
    assert_int_equal(shanghai_time(2026, 3, 9, 10, 0), 1773021600);
    assert_int_equal(county_init(&C), 0);
    assert_int_equal(hub_start(&C, 20000), 0);

    /* N filings of the police, each its own case and cadre. */
    for (int i = 0; i < N_FILINGS; i++) {
        char id[19], row[512];
        snprintf(id, sizeof id, "4416231985120%04d", 1000 + i);
        id[17] = idnum_check_char(id);
        id[18] = '\0';
        snprintf(row, sizeof row, "A44162320260300%02d,杨志明%d,%s,县农业农村局,股长,科员,赌博,"
                 "2026-03-04,已办结,参与赌博被行政处罚。,党政机关\n", i, i, id);
        strcat(rows, row);
    }
    snprintf(path, sizeof path, "%s/police.csv", C.dir);
    assert_int_equal(files_write_atomic(path, rows, strlen(rows), 0644), 0);
    snprintf(conf, sizeof conf, "%s/units/police/adapter.conf", C.dir);
    snprintf(log, sizeof log, "%s/police.log", C.dir);
    {
        const char *argv[] = { "lianxi-adapter-police", "-c", conf, "--wait", "60", "submit",
                               path, NULL };
        assert_int_equal(run_prog(&C, log, argv, 90000), 0);
    }
    /* The hub writes what it saw in its alive tick (every 5 s). */
    assert_int_equal(wait_in_dir(cpath(&C, "hub/run"), IN_MOVED_TO | IN_CLOSE_WRITE,
                                 police_in_status, (void *)cpath(&C, "hub/run/status.json"),
                                 30000), 0);

    j = status_json(&rc);
    assert_int_equal(rc, 1);                       /* problems */
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "running")));
    assert_int_equal((int)num(j, "filings_today", NULL, NULL), N_FILINGS);
    assert_true(num(j, "last_commit", NULL, NULL) >= 1773021600);
    assert_true(num(j, "units", "police", "seen_at") >= 1773021600);
    assert_int_equal((int)num(j, "units", "court", "seen_at"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(
        cJSON_GetObjectItem(j, "units"), "police"), "key")));
    assert_true(has_problem(j, "backup_never"));
    assert_true(has_problem(j, "unit_never_seen"));
    cJSON_Delete(j);

    /* For people: one line per problem, the backup's among them (its
     * Chinese names 备份 once the catalogue has it; English before). */
    rc = status(NULL, &text);
    assert_int_equal(rc, 1);
    assert_true(strstr(text, "备份") || strstr(text, "never backed up"));
    free(text);

    /* The same figures for Prometheus. */
    rc = status("--prometheus", &text);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(text, "# TYPE lianxi_filings_today gauge\nlianxi_filings_today 3\n"));
    assert_non_null(strstr(text, "lianxi_unit_last_seen_seconds{unit=\"court\"} 0\n"));
    assert_non_null(strstr(text, "lianxi_problem{code=\"backup_never\"} 1\n"));
    free(text);

    /* A backup just made, and units not yet connected not counted: healthy. */
    f = fopen(cpath(&C, "hub/run/backup.last"), "w");
    assert_non_null(f);
    fprintf(f, "at=%d\nfile=%s\nbytes=%zu\n", 1773021600 - 3600, path, strlen(rows));
    fclose(f);
    f = fopen(cpath(&C, "hub/hub.conf"), "a");
    assert_non_null(f);
    fputs("\n[health]\nunit_unseen_workdays = 0\n", f);
    fclose(f);
    j = status_json(&rc);
    assert_false(has_problem(j, "backup_never"));
    assert_false(has_problem(j, "backup_old"));
    assert_int_equal((int)num(j, "backup_at", NULL, NULL), 1773021600 - 3600);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "problems")), 0);
    assert_int_equal(rc, 0);
    cJSON_Delete(j);

    /* The operators' command: the convener may, a member unit may not. */
    {
        const char *conv[] = { "lianxi", "-c", cpath(&C, "operators/convener/operator.conf"),
                               "status", "--json", NULL };
        rc = run_out("op.out", conv, &text);
        /* The hub's own [health] is the one it started with: the units
         * never seen are problems there (exit 1). */
        assert_int_equal(rc, 1);
        assert_non_null(strstr(text, "\"running\":true"));
        assert_non_null(strstr(text, "\"filings_today\":3"));
        free(text);
        const char *conv_text[] = { "lianxi", "-c",
                                    cpath(&C, "operators/convener/operator.conf"), "status",
                                    NULL };
        rc = run_out("op.out", conv_text, &text);
        assert_int_equal(rc, 1);
        assert_true(strstr(text, "县法院") != NULL);
        free(text);
        const char *member[] = { "lianxi", "-c",
                                 cpath(&C, "operators/police-liaison/operator.conf"), "status",
                                 NULL };
        rc = run_out("op.out", member, &text);
        assert_int_equal(rc, 77);       /* EX_NOPERM */
        free(text);
    }

    /* Stopped: not running, exit 2. */
    assert_int_equal(hub_stop(&C), 0);
    j = status_json(&rc);
    assert_int_equal(rc, 2);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(j, "running")));
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j, "hub")), "stopped");
    assert_true(has_problem(j, "hub_not_running"));
    /* What the hub saw is kept: the police still seen, the filings still today's. */
    assert_true(num(j, "units", "police", "seen_at") >= 1773021600);
    assert_int_equal((int)num(j, "filings_today", NULL, NULL), N_FILINGS);
    cJSON_Delete(j);

    /* A [health] value out of range is said when the hub starts (78), not
     * first when a monitor runs status. */
    f = fopen(cpath(&C, "hub/hub.conf"), "a");
    assert_non_null(f);
    fputs("wal_max_mib = 0\n", f);
    fclose(f);
    {
        const char *argv[] = { "lianxi-hub", "-c", cpath(&C, "hub/hub.conf"), NULL };
        char *said;
        pid_t pid = spawn(&C, cpath(&C, "bad-health.log"), argv);
        assert_true(pid > 0);
        assert_int_equal(wait_exit(pid, 30000), 78);
        said = files_read(cpath(&C, "bad-health.log"), NULL);
        assert_non_null(said);
        assert_non_null(strstr(said, "wal_max_mib"));
        free(said);
    }

    unsetenv("LIANXI_FAKE_NOW");
    county_cleanup(&C);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_reports_what_the_hub_knows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
