/* it_deadline.c — the five-working-day rule on the real hub and police
 * adapter: downtime, obligations, reminders, the calendar's checks.  The
 * clock is pinned with LIANXI_FAKE_NOW so the dates do not depend on when
 * the tests run. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "calendar.h"
#include "harness.h"
#include "oblig.h"
#include "files.h"

#define HEADER "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围\n"

static void
fake_now(long long t)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", t);
    setenv("LIANXI_FAKE_NOW", buf, 1);
}

static const char *
write_export(struct county *c, const char *name, const char *rows)
{
    static char path[PATH_MAX];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", c->dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(HEADER, f);
    fputs(rows, f);
    fclose(f);
    return path;
}

static int
police(struct county *c, const char *cmd, const char *file, const char *wait)
{
    char conf[PATH_MAX], log[PATH_MAX];
    snprintf(conf, sizeof conf, "%s/units/police/adapter.conf", c->dir);
    snprintf(log, sizeof log, "%s/police.log", c->dir);
    const char *argv[] = { "lianxi-adapter-police", "-c", conf, "--wait", wait, cmd, file, NULL };
    return run_prog(c, log, argv, 120000);
}

static int
count_files(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && (!needle || strstr(e->d_name, needle)))
            n++;
    closedir(d);
    return n;
}

static void
filing_queued_while_hub_down_is_judged_at_queue_time(void **state)
{
    struct county c;
    (void)state;

    assert_int_equal(county_init(&c), 0);
    /* Monday 2026-03-09: the hub runs, then stops. */
    fake_now(shanghai_time(2026, 3, 9, 10, 0));
    assert_int_equal(hub_start(&c, 20000), 0);
    assert_int_equal(hub_stop(&c), 0);

    /* Tuesday 2026-03-10, hub down: learned Tue 03-03, due 03-10 (03-04, 05, 06,
     * 09, 10).  The adapter queues it and cannot deliver (exit 75). */
    fake_now(shanghai_time(2026, 3, 10, 9, 0));
    const char *e1 = write_export(&c, "down.csv",
        "A4416232026030001,杨志明,44162319851208185X,县农业农村局,股长,科员,赌博,2026-03-03,"
        "已办结,参与赌博被行政处罚。,党政机关\n");
    assert_int_equal(police(&c, "submit", e1, "2"), 75);

    /* Thursday 2026-03-12: the hub is back; the queued filing arrives two
     * working days after its due date, and a twin queued now is late. */
    fake_now(shanghai_time(2026, 3, 12, 10, 0));
    assert_int_equal(hub_start(&c, 20000), 0);
    const char *e2 = write_export(&c, "up.csv",
        "A4416232026030002,周晓峰,44162319830210147X,县市场监管局,副主任,科员,赌博,2026-03-03,"
        "已办结,参与赌博被行政处罚。,党政机关\n");
    assert_int_equal(police(&c, "submit", e2, "60"), 0);

    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT on_time FROM filings WHERE case_ref = "
                             "'A4416232026030001'"), 1);
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT judged_at < received_at FROM filings"
                             " WHERE case_ref = 'A4416232026030001'"), 1);
    assert_true(db_long(&c, "hub/lianxi.db", "SELECT received_at FROM filings WHERE case_ref = "
                        "'A4416232026030001'") >= shanghai_time(2026, 3, 12, 10, 0));
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT on_time FROM filings WHERE case_ref = "
                             "'A4416232026030002'"), 0);
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT late_days FROM filings WHERE case_ref = "
                             "'A4416232026030002'"), 2);
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT count(*) FROM hub_runs"), 2);
    assert_int_equal(hub_stop(&c), 0);
    unsetenv("LIANXI_FAKE_NOW");
    county_cleanup(&c);
}

static void
reminder_reaches_an_offline_adapter_once_and_the_report_closes_it(void **state)
{
    struct county c;
    char notices[PATH_MAX];
    (void)state;

    assert_int_equal(county_init(&c), 0);
    snprintf(notices, sizeof notices, "%s/units/police/notices", c.dir);

    /* Monday 2026-03-09: a notice learned Thursday 03-05; the report is due
     * 03-12 (03-06, 09, 10, 11, 12). */
    fake_now(shanghai_time(2026, 3, 9, 10, 0));
    assert_int_equal(hub_start(&c, 20000), 0);
    const char *e1 = write_export(&c, "notice.csv",
        "A4416232026030010,杨志明,44162319851208185X,县农业农村局,股长,科员,醉酒驾驶机动车,"
        "2026-03-05,已受理,,党政机关\n");
    assert_int_equal(police(&c, "submit", e1, "60"), 0);
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT count(*) FROM obligations"
                             " WHERE closed_at IS NULL AND due_on = '2026-03-12'"), 1);
    assert_int_equal(hub_stop(&c), 0);

    /* Wednesday 03-11, the working day before: the hub stores a reminder
     * while the adapter is offline. */
    fake_now(shanghai_time(2026, 3, 11, 9, 0));
    assert_int_equal(hub_start(&c, 20000), 0);
    assert_int_equal(wait_db(&c, "hub/lianxi.db", "SELECT count(*) FROM hub_messages", 1,
                             20000), 1);
    assert_int_equal(db_long(&c, "hub/lianxi.db",
                             "SELECT count(*) FROM hub_messages WHERE acked_at IS NULL"), 1);
    assert_int_equal(count_files(notices, NULL), 0);

    /* The adapter connects: it gets the reminder, keeps it, acknowledges it. */
    assert_int_equal(police(&c, "send", "", "60"), 0);
    assert_int_equal(count_files(notices, "reminder"), 1);
    assert_int_equal(wait_db(&c, "hub/lianxi.db",
                             "SELECT count(*) FROM hub_messages WHERE acked_at IS NOT NULL", 1,
                             20000), 1);
    /* And again: nothing new. */
    assert_int_equal(police(&c, "send", "", "60"), 0);
    assert_int_equal(count_files(notices, NULL), 1);
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT max(attempts) FROM hub_messages"), 1);

    /* The written report names the obligation and closes it, on time. */
    const char *e2 = write_export(&c, "report.csv",
        "A4416232026030010,杨志明,44162319851208185X,县农业农村局,股长,科员,醉酒驾驶机动车,"
        "2026-03-05,已办结,醉酒驾驶机动车，血液酒精含量95mg/100ml。,党政机关\n");
    assert_int_equal(police(&c, "submit", e2, "60"), 0);
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT count(*) FROM filings WHERE stage = 2"
                             " AND answers = 'OB-1'"), 1);
    assert_int_equal(db_long(&c, "hub/lianxi.db",
                             "SELECT on_time FROM obligations WHERE id = 1 AND closed_at IS NOT NULL"),
                     1);
    assert_int_equal(hub_stop(&c), 0);

    /* Closed: no reminder on the following days. */
    fake_now(shanghai_time(2026, 3, 13, 9, 0));
    assert_int_equal(hub_start(&c, 20000), 0);
    assert_int_equal(police(&c, "send", "", "60"), 0);
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT count(*) FROM hub_messages"), 1);
    assert_int_equal(hub_stop(&c), 0);
    unsetenv("LIANXI_FAKE_NOW");
    county_cleanup(&c);
}

static void
overdue_obligation_is_reminded_each_working_day(void **state)
{
    struct county c;
    char notices[PATH_MAX];
    (void)state;

    assert_int_equal(county_init(&c), 0);
    snprintf(notices, sizeof notices, "%s/units/police/notices", c.dir);
    fake_now(shanghai_time(2026, 3, 9, 10, 0));
    assert_int_equal(hub_start(&c, 20000), 0);
    const char *e1 = write_export(&c, "notice.csv",
        "A4416232026030020,周晓峰,44162319830210147X,县市场监管局,副主任,副科级,行政拘留,"
        "2026-03-05,已受理,,党政机关\n");
    assert_int_equal(police(&c, "submit", e1, "60"), 0);
    assert_int_equal(hub_stop(&c), 0);

    /* Friday 03-13 (1 working day overdue), Saturday 03-14 (no reminder on a
     * rest day), Monday 03-16 (2 working days overdue). */
    const int days[] = { 13, 14, 16 };
    const long expect[] = { 1, 1, 2 };
    for (int i = 0; i < 3; i++) {
        fake_now(shanghai_time(2026, 3, days[i], 9, 0));
        assert_int_equal(hub_start(&c, 20000), 0);
        assert_int_equal(police(&c, "send", "", "60"), 0);
        assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT count(*) FROM hub_messages"),
                         expect[i]);
        assert_int_equal(hub_stop(&c), 0);
    }
    assert_int_equal(db_long(&c, "hub/lianxi.db",
                             "SELECT max(overdue_days) FROM hub_messages"), 2);
    assert_int_equal(count_files(notices, "reminder"), 2);
    /* The deadline board in the hub's language (lianxi init writes zh), the
     * unit by its name: "OB-1 县公安局 书面报告 … 逾期 2 个工作日"; its
     * JSON keeps the codes. */
    {
        char conf[PATH_MAX], out[PATH_MAX], ob[32], *text, *line;
        snprintf(conf, sizeof conf, "%s/hub/hub.conf", c.dir);
        snprintf(out, sizeof out, "%s/board.txt", c.dir);
        snprintf(ob, sizeof ob, "OB-%ld", db_long(&c, "hub/lianxi.db",
                                                  "SELECT max(id) FROM obligations"));
        const char *argv[] = { "lianxi-hub", "-c", conf, "overdue", NULL };
        assert_int_equal(run_prog(&c, out, argv, 30000), 0);
        assert_non_null(text = files_read(out, NULL));
        assert_non_null(strstr(text, "未办结事项"));
        assert_non_null(line = strstr(text, ob));
        *strchrnul(line, '\n') = '\0';
        if (!strstr(line, "县公安局") || !strstr(line, "书面报告") ||
            !strstr(line, "逾期 2 个工作日") || strstr(line, "police"))
            fail_msg("board line: %s", line);
        free(text);
        snprintf(out, sizeof out, "%s/board.json", c.dir);
        const char *json[] = { "lianxi-hub", "-c", conf, "overdue", "--json", NULL };
        assert_int_equal(run_prog(&c, out, json, 30000), 0);
        assert_non_null(text = files_read(out, NULL));
        assert_non_null(strstr(text, "\"unit\":\"police\""));
        if (strstr(text, "县公安局"))
            fail_msg("%s", text);
        free(text);
    }
    assert_int_equal(db_long(&c, "hub/lianxi.db",
                             "SELECT count(*) FROM hub_messages WHERE acked_at IS NULL"), 0);
    unsetenv("LIANXI_FAKE_NOW");
    county_cleanup(&c);
}

/* The supervision group's side arrives with the review work; here the
 * request is made through the hub's own obligation code on its database. */
static void
supplement_request_reaches_the_unit(void **state)
{
    struct county c;
    char notices[PATH_MAX], *text;
    (void)state;

    assert_int_equal(county_init(&c), 0);
    snprintf(notices, sizeof notices, "%s/units/police/notices", c.dir);
    fake_now(shanghai_time(2026, 3, 9, 10, 0));
    assert_int_equal(hub_start(&c, 20000), 0);
    const char *e1 = write_export(&c, "report.csv",
        "A4416232026030030,杨志明,44162319851208185X,县农业农村局,股长,科员,吸毒,2026-03-06,"
        "已办结,吸食毒品被行政拘留十日。,党政机关\n");
    assert_int_equal(police(&c, "submit", e1, "60"), 0);

    /* Monday 2026-03-09 + 3 working days = Thursday 03-12: the supervision
     * group asks through the hub, as it does for real. */
    {
        char sup[PATH_MAX], log[PATH_MAX];
        snprintf(sup, sizeof sup, "%s/operators/supervisor/operator.conf", c.dir);
        snprintf(log, sizeof log, "%s/review.out", c.dir);
        const char *ask[] = { "lianxi", "-c", sup, "review",
                              "police:A4416232026030030:report:44162319851208185X", "supplement",
                              "--text", "请补充该干部的处理决定书。", "--due", "3", NULL };
        assert_int_equal(run_prog(&c, log, ask, 30000), 0);
        /* No such filing: refused. */
        const char *none[] = { "lianxi", "-c", sup, "review", "police:nothing:report",
                               "supplement", "--text", "x", "--due", "3", NULL };
        assert_int_equal(run_prog(&c, log, none, 30000), 77);
    }
    assert_int_equal(police(&c, "send", "", "60"), 0);
    assert_int_equal(count_files(notices, "supplement-request"), 1);
    assert_int_equal(db_long(&c, "hub/lianxi.db", "SELECT count(*) FROM obligations WHERE kind = 2"
                             " AND due_on = '2026-03-12' AND closed_at IS NULL"), 1);
    /* The adapter's acknowledgement reaches the hub after send has its
     * messages: wait for it to be stored. */
    assert_int_equal(wait_db(&c, "hub/lianxi.db",
                             "SELECT count(*) FROM hub_messages WHERE acked_at IS NOT NULL", 1,
                             20000), 1);
    {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/000001-supplement-request.txt", notices);
        text = files_read(path, NULL);
        assert_non_null(text);
        assert_non_null(strstr(text, "处理决定书"));
        assert_non_null(strstr(text, "2026-03-12"));
        free(text);
    }
    assert_int_equal(hub_stop(&c), 0);
    unsetenv("LIANXI_FAKE_NOW");
    county_cleanup(&c);
}

static void
hub_refuses_a_calendar_that_check_rejects(void **state)
{
    struct county c;
    char *log, out[PATH_MAX];
    FILE *f;
    (void)state;

    assert_int_equal(county_init(&c), 0);
    f = fopen(cpath(&c, "share/cn-holidays.tsv"), "w");
    assert_non_null(f);
    fputs("date\tkind\tname\n2026-01-01\toff\tNew Year\n2026-02-30\toff\tbad\n"
          "2026-01-05\twork\tweekday\n", f);
    fclose(f);
    assert_int_not_equal(hub_start(&c, 10000), 0);
    log = files_read(cpath(&c, "hub.log"), NULL);
    assert_non_null(log);
    assert_non_null(strstr(log, "cn-holidays.tsv:3:"));
    assert_non_null(strstr(log, "cn-holidays.tsv:4:"));
    free(log);

    /* lianxi calendar check names the same lines, and fails. */
    snprintf(out, sizeof out, "%s/check.json", c.dir);
    const char *argv[] = { "lianxi", "calendar", "check", "--json", "--calendar",
                           cpath(&c, "share/cn-holidays.tsv"), NULL };
    assert_int_equal(run_prog(&c, out, argv, 30000), 65);
    log = files_read(out, NULL);
    assert_non_null(log);
    assert_non_null(strstr(log, "\"line\":3"));
    assert_non_null(strstr(log, "\"line\":4"));
    assert_non_null(strstr(log, "\"ok\":false"));
    free(log);
    county_cleanup(&c);
}

static void
calendar_due_is_provisional_outside_the_file(void **state)
{
    struct county c;
    char out[PATH_MAX], *text;
    (void)state;

    assert_int_equal(county_init(&c), 0);
    snprintf(out, sizeof out, "%s/due.txt", c.dir);
    const char *a1[] = { "lianxi", "calendar", "due", "2025-09-26", NULL };
    assert_int_equal(run_prog(&c, out, a1, 30000), 0);
    const char *a2[] = { "lianxi", "calendar", "due", "2026-12-28", "--json", NULL };
    assert_int_equal(run_prog(&c, out, a2, 30000), 3);
    text = files_read(out, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "2025-10-10\n"));
    assert_non_null(strstr(text, "\"due_on\":\"2027-01-04\",\"provisional\":true"));
    free(text);
    county_cleanup(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(filing_queued_while_hub_down_is_judged_at_queue_time),
        cmocka_unit_test(reminder_reaches_an_offline_adapter_once_and_the_report_closes_it),
        cmocka_unit_test(overdue_obligation_is_reminded_each_working_day),
        cmocka_unit_test(supplement_request_reaches_the_unit),
        cmocka_unit_test(hub_refuses_a_calendar_that_check_rejects),
        cmocka_unit_test(calendar_due_is_provisional_outside_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
