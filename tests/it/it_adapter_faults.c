/* it_adapter_faults.c — the police adapter when its outbox cannot be
 * written (a full disk, injected through LIANXI_FAULT_FILE) and when two
 * copies of it start at once on a new outbox: it says so in a sentence and
 * exits 75 (try again later), never half-queues, and never gives up as
 * misconfigured (78). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "files.h"
#include "harness.h"
#include "text.h"

#define PROG "lianxi-adapter-police"
#define OUTBOX "units/police/outbox.db"

static struct county C;
static char sample[PATH_MAX], conf[PATH_MAX], fault_file[PATH_MAX];

static int
setup(void **state)
{
    const char *src = getenv("LIANXI_SRC");     /* make test sets it; else run from the top */

    (void)state;
    snprintf(sample, sizeof sample, "%s/adapters/police/samples/police-2026-11.csv",
             src ? src : ".");
    if (county_init(&C) < 0)
        return -1;
    snprintf(conf, sizeof conf, "%s/units/police/adapter.conf", C.dir);
    snprintf(fault_file, sizeof fault_file, "%s/fault", C.dir);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    county_cleanup(&C);
    return 0;
}

/* Removes the police adapter's outbox, so that the next run makes a new one. */
static void
remove_outbox(void)
{
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    char path[PATH_MAX];

    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(path, sizeof path, "%s/%s%s", C.dir, OUTBOX, suffixes[i]);
        unlink(path);
    }
}

/* Says "the disk is full" (word "full") or "there is space" (word NULL) to
 * every program started from now on with the fault file, and to those
 * running. */
static void
disk(const char *word)
{
    assert_int_equal(files_write_atomic(fault_file, word ? word : "", word ? strlen(word) : 0,
                                        0644), 0);
}

/* Runs the police adapter with args (after -c CONF) and the fault file,
 * output to log (emptied first).  Returns its exit code. */
static int
police(const char *log, const char *const args[])
{
    const char *argv[16] = { PROG, "-c", conf };
    char path[PATH_MAX];
    int n = 3, rc;

    for (int i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    snprintf(path, sizeof path, "%s/%s", C.dir, log);
    unlink(path);
    setenv("LIANXI_FAULT_FILE", fault_file, 1);
    rc = run_prog(&C, path, argv, 180000);
    unsetenv("LIANXI_FAULT_FILE");
    return rc;
}

/* The text of a log in the county (the caller frees). */
static char *
log_text(const char *log)
{
    char path[PATH_MAX];
    char *text;

    snprintf(path, sizeof path, "%s/%s", C.dir, log);
    text = files_read(path, NULL);
    assert_non_null(text);
    return text;
}

static int
count_lines_starting(const char *text, const char *prefix)
{
    int n = 0;

    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        n += strncmp(p, prefix, strlen(prefix)) == 0;
    return n;
}

/* The filings `check` says the sample holds (its JSON is the last line
 * that starts with a brace: logs may come before it). */
static long
sample_filings(void)
{
    const char *args[] = { "--json", "check", sample, NULL };
    char *text, *json = NULL;
    cJSON *j;
    long n;

    assert_int_equal(police("check.log", args), 0);
    text = log_text("check.log");
    for (char *p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (*p == '{')
            json = p;
    assert_non_null(json);
    j = cJSON_Parse(json);
    assert_non_null(j);
    n = (long)cJSON_GetObjectItemCaseSensitive(j, "filings")->valuedouble;
    cJSON_Delete(j);
    free(text);
    assert_true(n > 0);
    return n;
}

static long
hub_long(const char *sql)
{
    return db_long(&C, "hub/lianxi.db", sql);
}

/* The hub holds each of the n filings of the sample once, and the outbox
 * has a receipt for each. */
static void
assert_filed_once(long n)
{
    assert_int_equal(hub_long("SELECT count(*) FROM filings WHERE unit = 'police'"), n);
    assert_int_equal(hub_long("SELECT count(DISTINCT filing_id) FROM filings WHERE"
                              " unit = 'police'"), n);
    assert_int_equal(db_long(&C, OUTBOX, "SELECT count(*) FROM outbox WHERE state = 1"), n);
    assert_int_equal(db_long(&C, OUTBOX, "SELECT count(*) FROM outbox"), n);
}

static void
submit_on_a_full_outbox_disk_queues_nothing_then_files_each_once_with_space(void **state)
{
    const char *status[] = { "status", NULL };
    const char *submit[] = { "--wait", "120", "submit", sample, NULL };
    char want[3 * PATH_MAX], *text;
    long n;
    (void)state;

    n = sample_filings();
    assert_int_equal(hub_start(&C, 20000), 0);
    disk(NULL);
    assert_int_equal(police("status.log", status), 0);     /* the outbox exists */

    disk("full");
    assert_int_equal(police("full.log", submit), EX_TEMPFAIL);
    text = log_text("full.log");
    snprintf(want, sizeof want, "待发队列所在磁盘已满：%s 中的报备事项均未进入待发队列 %s/%s；"
             "请清理报送程序所在计算机的磁盘空间后重新运行 submit\n", sample, C.dir, OUTBOX);
    if (!strstr(text, want))
        fail_msg("no clerk's sentence in:\n%s", text);
    /* Nothing claimed: no count of queued filings, no receipt. */
    assert_null(strstr(text, "件，与上次导出相同"));
    assert_int_equal(count_lines_starting(text, "回执 "), 0);
    free(text);
    assert_int_equal(db_long(&C, OUTBOX, "SELECT count(*) FROM outbox"), 0);
    assert_int_equal(hub_long("SELECT count(*) FROM filings WHERE unit = 'police'"), 0);

    disk(NULL);
    assert_int_equal(police("space.log", submit), 0);
    text = log_text("space.log");
    assert_int_equal(count_lines_starting(text, "回执 "), n);
    assert_null(strstr(text, "（此前已报送）"));
    free(text);
    assert_filed_once(n);
    assert_int_equal(hub_stop(&C), 0);
}

static void
new_outbox_on_a_full_disk_is_a_temporary_failure(void **state)
{
    const char *submit[] = { "--wait", "120", "submit", sample, NULL };
    char want[2 * PATH_MAX], *text;
    (void)state;

    assert_int_not_equal(access(cpath(&C, OUTBOX), F_OK), 0);
    disk("full");
    assert_int_equal(police("new-full.log", submit), EX_TEMPFAIL);
    text = log_text("new-full.log");
    snprintf(want, sizeof want, "待发队列所在磁盘已满：%s/%s 无法打开；"
             "请清理报送程序所在计算机的磁盘空间后重新运行 submit\n", C.dir, OUTBOX);
    if (!strstr(text, want))
        fail_msg("no clerk's sentence in:\n%s", text);
    free(text);
    disk(NULL);
}

static void
send_on_a_full_outbox_disk_keeps_the_filings_pending(void **state)
{
    const char *submit[] = { "--wait", "0", "submit", sample, NULL };
    const char *send[] = { "--wait", "120", "send", NULL };
    char want[2 * PATH_MAX], *text;
    long n;
    (void)state;

    n = sample_filings();
    disk(NULL);
    /* Queued while the hub is down: they wait in the outbox. */
    assert_int_equal(police("queued.log", submit), EX_TEMPFAIL);
    assert_int_equal(db_long(&C, OUTBOX, "SELECT count(*) FROM outbox WHERE state = 0"), n);

    assert_int_equal(hub_start(&C, 20000), 0);
    disk("full");
    assert_int_equal(police("send-full.log", send), EX_TEMPFAIL);
    text = log_text("send-full.log");
    snprintf(want, sizeof want, "待发队列所在磁盘已满：汇总平台的答复未能记入 %s/%s"
             "（报备事项仍在待发队列中）；请清理报送程序所在计算机的磁盘空间后重新运行 send\n",
             C.dir, OUTBOX);
    if (!strstr(text, want))
        fail_msg("no clerk's sentence in:\n%s", text);
    free(text);
    assert_int_equal(db_long(&C, OUTBOX, "SELECT count(*) FROM outbox WHERE state = 0"), n);

    disk(NULL);
    assert_int_equal(police("send-space.log", send), 0);
    assert_int_equal(db_long(&C, OUTBOX, "SELECT count(*) FROM outbox WHERE state = 1"), n);
    assert_int_equal(hub_long("SELECT count(DISTINCT filing_id) FROM filings WHERE"
                              " unit = 'police'"), n);
    assert_int_equal(hub_stop(&C), 0);
}

static void
watch_leaves_an_export_in_drop_while_the_outbox_disk_is_full(void **state)
{
    const char *status[] = { "status", NULL };
    const char *watch[] = { "watch", NULL };
    const char *argv[] = { PROG, "-c", conf, "watch", NULL };
    char drop[PATH_MAX], done[PATH_MAX], tmp[PATH_MAX], log[PATH_MAX], *data, *text;
    size_t len;
    pid_t w;
    (void)state;

    disk(NULL);
    assert_int_equal(police("status.log", status), 0);     /* the outbox exists */
    snprintf(drop, sizeof drop, "%s/units/police/drop/faulty.csv", C.dir);
    snprintf(done, sizeof done, "%s/units/police/done/faulty.csv", C.dir);
    snprintf(tmp, sizeof tmp, "%s/units/police/drop/.faulty.csv.tmp", C.dir);
    files_mkdir_p(cpath(&C, "units/police/drop"), 0755);
    data = files_read(sample, &len);
    assert_non_null(data);
    assert_int_equal(files_write_atomic(tmp, data, len, 0644), 0);
    assert_int_equal(rename(tmp, drop), 0);
    free(data);

    /* The outbox on a full disk: the export stays where it is, the watch
     * stops with "try again later". */
    disk("full");
    assert_int_equal(police("watch-full.log", watch), EX_TEMPFAIL);
    text = log_text("watch-full.log");
    assert_non_null(strstr(text, "待发队列所在磁盘已满："));
    assert_non_null(strstr(text, "（文件仍留在 drop 文件夹中）"));
    free(text);
    assert_int_equal(access(drop, F_OK), 0);
    assert_int_not_equal(access(done, F_OK), 0);

    /* With space, the next watch files it. */
    disk(NULL);
    snprintf(log, sizeof log, "%s/watch-space.log", C.dir);
    setenv("LIANXI_FAULT_FILE", fault_file, 1);
    w = spawn(&C, log, argv);
    unsetenv("LIANXI_FAULT_FILE");
    assert_int_equal(wait_file(done, 60000), 0);
    kill(w, SIGTERM);
    assert_int_equal(wait_exit(w, 30000), 0);
    assert_int_equal(db_long(&C, OUTBOX, "SELECT count(*) FROM outbox"), sample_filings());
}

/* Starts two copies of the police adapter with args at once; asserts both exit 0. */
static void
two_at_once(const char *const args[], const char *name)
{
    const char *argv[16] = { PROG, "-c", conf };
    char log[2][PATH_MAX], *text;
    pid_t pid[2];
    int n = 3;

    for (int i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    for (int k = 0; k < 2; k++) {
        snprintf(log[k], sizeof log[k], "%s/%s-%d.log", C.dir, name, k);
        unlink(log[k]);
    }
    for (int k = 0; k < 2; k++)
        pid[k] = spawn(&C, log[k], argv);
    for (int k = 0; k < 2; k++) {
        int rc = wait_exit(pid[k], 180000);
        if (rc != 0) {
            text = files_read(log[k], NULL);
            fail_msg("%s: copy %d exited %d:\n%s", name, k, rc, text ? text : "");
        }
    }
}

static void
two_copies_started_at_once_on_a_new_outbox_both_work(void **state)
{
    const char *status[] = { "status", NULL };
    const char *submit[] = { "-q", "--wait", "120", "submit", sample, NULL };
    char name[32];
    long n;
    (void)state;

    n = sample_filings();
    for (int round = 0; round < 10; round++) {
        remove_outbox();
        snprintf(name, sizeof name, "status-%d", round);
        two_at_once(status, name);
    }
    /* And filing: one queues, the other finds it queued; both deliver. */
    remove_outbox();
    assert_int_equal(hub_start(&C, 20000), 0);
    two_at_once(submit, "submit");
    assert_filed_once(n);
    assert_int_equal(hub_stop(&C), 0);
}

/* What two copies race for, made certain: a copy that finds the new outbox
 * being written by another (here the test holds its write lock) waits for
 * it instead of giving up. */
static void
copy_finding_the_new_outbox_being_written_waits_for_it(void **state)
{
    const char *argv[] = { PROG, "-c", conf, "status", NULL };
    char log[PATH_MAX];
    sqlite3 *db;
    pid_t pid;
    int rc;
    (void)state;

    assert_int_equal(sqlite3_open(cpath(&C, OUTBOX), &db), SQLITE_OK);
    /* The copy waiting may hold a read lock at the moment of the commit:
     * the commit waits for it (a noisy machine made it SQLITE_BUSY). */
    sqlite3_busy_timeout(db, 30000);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    snprintf(log, sizeof log, "%s/waiting.log", C.dir);
    pid = spawn(&C, log, argv);
    /* While the lock is held it must wait, not exit (the old adapter
     * exited 78 at once); it waits up to 10 s, the test 2 s. */
    rc = wait_exit(pid, 2000);
    if (rc >= 0) {
        char *text = files_read(log, NULL);
        fail_msg("exited %d while the outbox was being written:\n%s", rc, text ? text : "");
    }
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(wait_exit(pid, 30000), 0);
    assert_int_equal(db_long(&C, OUTBOX, "SELECT count(*) FROM outbox"), 0);
}

/* A new adapter (no outbox, no rejected/ yet) whose first export has a
 * wrong header and whose rows are bad: its first words in the note are a
 * rejection and then adapter_note's columns side by side, on an empty note (under
 * make SANITIZE=1 an empty note once meant null pointer + 0 in
 * adapter_note).  The note is written whole and is valid UTF-8. */
static void
first_rejection_of_a_new_adapter_is_noted(void **state)
{
    static const char text[] = "编号,姓名\nA1,杨志明\n";
    const char *args[] = { "--wait", "30", "submit", NULL, NULL };
    char export[PATH_MAX], note[PATH_MAX], *got;

    (void)state;
    remove_outbox();
    snprintf(export, sizeof export, "%s/first.csv", C.dir);
    snprintf(note, sizeof note, "%s/units/police/rejected/first.csv.rejected.txt", C.dir);
    assert_int_equal(files_write_atomic(export, text, strlen(text), 0644), 0);
    args[3] = export;
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(police("first.log", args), EX_NOINPUT);
    assert_int_equal(hub_stop(&C), 0);
    got = files_read(note, NULL);
    assert_non_null(got);
    assert_true(text_utf8_valid(got, strlen(got)));
    /* The adapter speaks its config's language (zh): the columns by name,
     * then expected and found side by side; a note for Windows readers
     * (BOM, CRLF). */
    assert_memory_equal(got, "\xef\xbb\xbf", 3);
    assert_non_null(strstr(got, "first.csv：整个文件未能读取：第一行不是本单位导出文件的表头："
                            "缺少列：案件编号、公民身份号码、"));
    assert_non_null(strstr(got, "多出列：编号；"));
    assert_non_null(strstr(got, "  第1列：应为“案件编号”，实为“编号”\r\n  第2列：姓名\r\n"
                            "  第3列：应为“公民身份号码”，实为“（无）”\r\n"));
    free(got);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(submit_on_a_full_outbox_disk_queues_nothing_then_files_each_once_with_space),
        T(new_outbox_on_a_full_disk_is_a_temporary_failure),
        T(send_on_a_full_outbox_disk_keeps_the_filings_pending),
        T(watch_leaves_an_export_in_drop_while_the_outbox_disk_is_full),
        T(two_copies_started_at_once_on_a_new_outbox_both_work),
        T(copy_finding_the_new_outbox_being_written_waits_for_it),
        T(first_rejection_of_a_new_adapter_is_noted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
