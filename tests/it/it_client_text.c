/* it_client_text.c — hostile text from the hub's data reaches the operator's
 * terminal escaped, and the audit adapter refuses an over-long description
 * as too_large whatever its script. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "files.h"

static struct county C;

/* Runs argv with its output in the county's file out; *text gets the output
 * (free it).  Returns the exit code. */
static int
run_out(const char *out, const char *const argv[], char **text)
{
    char path[PATH_MAX];
    int rc;

    snprintf(path, sizeof path, "%s/%s", C.dir, out);
    close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
    rc = run_prog(&C, path, argv, 90000);
    if (text)
        *text = files_read(path, NULL);
    return rc;
}

/* Runs `lianxi -c supervisor's conf a1 a2`; output in *text. */
static int
op(char **text, const char *a1, const char *a2)
{
    char conf[PATH_MAX];
    snprintf(conf, sizeof conf, "%s/operators/supervisor/operator.conf", C.dir);
    const char *argv[] = { "lianxi", "-c", conf, a1, a2, NULL };
    return run_out("op.out", argv, text);
}

/* Writes content as the export name in the county and submits it with the
 * unit's adapter.  Returns the adapter's exit code. */
static int
submit(const char *unit, const char *name, const char *content)
{
    char path[PATH_MAX], conf[PATH_MAX], prog[64];

    snprintf(path, sizeof path, "%s/%s", C.dir, name);
    if (files_write_atomic(path, content, strlen(content), 0644) < 0)
        return -1;
    snprintf(conf, sizeof conf, "%s/units/%s/adapter.conf", C.dir, unit);
    snprintf(prog, sizeof prog, "lianxi-adapter-%s", unit);
    const char *argv[] = { prog, "-c", conf, "--wait", "60", "submit", path, NULL };
    return run_out("adapter.out", argv, NULL);
}

static int
setup_county(void **state)
{
    (void)state;
    if (county_init(&C) < 0 || hub_start(&C, 20000) < 0)
        return -1;
    return 0;
}

static int
teardown_county(void **state)
{
    (void)state;
    county_cleanup(&C);
    return 0;
}

static void
exec_sql(const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(cpath(&C, "hub/lianxi.db"), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static char *
one_receipt(void)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char *r = NULL;

    assert_int_equal(sqlite3_open_v2(cpath(&C, "hub/lianxi.db"), &db, SQLITE_OPEN_READONLY,
                                     NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, "SELECT receipt_no FROM filings WHERE unit = 'police' LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            r = strdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    assert_non_null(r);
    return r;
}

/* Old data in the hub (stored before names refused controls): a name that
 * sets the terminal's title, a summary line that clears the screen.  The
 * operator's client shows them escaped, never the raw ESC byte. */
static void
filings_and_show_print_control_characters_escaped(void **state)
{
    char *text = NULL, *receipt;

    (void)state;
    assert_int_equal(submit("police", "police.csv",
        "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围\n"
        "A4416232026110501,杨志明,44162319851208185X,县农业农村局,股长,科员,醉酒驾驶机动车,"
        "2026-10-12,已办结,醉酒驾驶机动车被查获。,党政机关\n"), 0);
    assert_int_equal(wait_db(&C, "hub/lianxi.db", "SELECT count(*) FROM filings", 1, 30000), 1);
    exec_sql("UPDATE filings SET name = '杨' || char(27) || ']0;x' || char(7) || '志明',"
             " case_ref = 'A1' || char(10) || 'forged row',"
             " summary = '第一行' || char(10) || '第二行' || char(27) || '[2J'");
    receipt = one_receipt();

    assert_int_equal(op(&text, "filings", NULL), 0);
    assert_non_null(text);
    assert_null(strchr(text, '\x1b'));
    assert_null(strchr(text, '\a'));
    assert_non_null(strstr(text, "杨\\x1b]0;x\\x07志明"));
    free(text);

    assert_int_equal(op(&text, "show", receipt), 0);
    assert_non_null(text);
    assert_null(strchr(text, '\x1b'));
    assert_null(strchr(text, '\a'));
    assert_non_null(strstr(text, "杨\\x1b]0;x\\x07志明"));
    assert_non_null(strstr(text, "案件编号 A1\\nforged row"));
    /* The summary keeps its line break; each line is escaped. */
    assert_non_null(strstr(text, "  第一行\n  第二行\\x1b[2J\n"));
    free(text);

    assert_int_equal(op(&text, "dossier", "44162319851208185X"), 0);
    assert_non_null(text);
    assert_null(strchr(text, '\x1b'));
    free(text);
    free(receipt);
}

/* The text of every rejected/ note of the audit unit, concatenated. */
static char *
audit_notes(void)
{
    char dir[PATH_MAX], path[PATH_MAX * 2];
    char *all = strdup("");
    DIR *d;
    struct dirent *e;

    snprintf(dir, sizeof dir, "%s/units/audit/rejected", C.dir);
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d))) {
        char *t, *joined;
        if (!strstr(e->d_name, ".rejected"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (!(t = files_read(path, NULL)))
            continue;
        assert_true(asprintf(&joined, "%s%s", all, t) > 0);
        free(all);
        free(t);
        all = joined;
    }
    closedir(d);
    return all;
}

static void
append_finding(char **json, int first, const char *no, const char *idno, const char *description)
{
    char *next;
    assert_true(asprintf(&next,
        "%s%s{\n\"finding_no\": \"%s\", \"type\": \"违规使用资金\", \"found_on\": \"2026-06-09\",\n"
        "\"status\": \"已出具审计报告\", \"description\": \"%s\", \"scope\": \"党政机关\",\n"
        "\"cadre\": {\"name\": \"谢汉文\", \"id_number\": \"%s\", \"work_unit\": \"县农业农村局\","
        " \"post\": \"原局长\", \"rank\": \"正科级\"}}\n",
        *json, first ? "" : ",",
        no, description, idno) > 0);
    free(*json);
    *json = next;
}

/* A description over the 16 KiB limit is refused as too_large, in ASCII as
 * in Chinese, with the hub's own wording; neither finding is filed cut. */
static void
audit_description_over_the_limit_is_too_large(void **state)
{
    char *json = strdup("{\"findings\": [\n"), *ascii = malloc(20 * 1024 + 1);
    char *cjk = malloc(20 * 1024 + 1), *notes, *p, *full;
    size_t n = 0;

    (void)state;
    memset(ascii, 'a', 20 * 1024);
    ascii[20 * 1024] = '\0';
    for (n = 0; n + 3 <= 20 * 1024; n += 3)
        memcpy(cjk + n, "审", 3);
    cjk[n] = '\0';
    append_finding(&json, 1, "SJ2026-900-01", "441623197508119638", ascii);
    append_finding(&json, 0, "SJ2026-900-02", "441623197508119638", cjk);
    assert_true(asprintf(&full, "%s]}\n", json) > 0);
    submit("audit", "audit-long.json", full);

    assert_int_equal(db_long(&C, "hub/lianxi.db",
                             "SELECT count(*) FROM filings WHERE unit = 'audit'"), 0);
    notes = audit_notes();
    /* Two too_large rejections, in the shared validation's words. */
    p = strstr(notes, "too_large");
    assert_non_null(p);
    assert_non_null(strstr(p + 1, "too_large"));
    /* In the clerk's language (lianxi init writes language = zh). */
    assert_non_null(strstr(notes, "简要情况长度为20480字节，超过上限16384字节"));
    assert_non_null(strstr(notes, "简要情况长度为20478字节，超过上限16384字节"));
    assert_null(strstr(notes, "not valid UTF-8"));
    free(notes);
    free(full);
    free(json);
    free(ascii);
    free(cjk);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(filings_and_show_print_control_characters_escaped),
        cmocka_unit_test(audit_description_over_the_limit_is_too_large),
    };
    return cmocka_run_group_tests(tests, setup_county, teardown_county);
}
