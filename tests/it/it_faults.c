/* it_faults.c — the hub's storage failures, injected into the real hub:
 * a disk that fills and frees, a commit that fails, the audit trail that
 * cannot record, the WAL kept bounded, and a database deleted, emptied,
 * replaced or unwritable, while the hub runs or is stopped.  Faults come
 * from the fault VFS (LIANXI_FAULT_FILE, src/lib/fault.h) or from the
 * file system itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files.h"
#include "harness.h"

static struct county C;
static char fault_file[PATH_MAX];

static int
setup_county(void **state)
{
    (void)state;
    if (county_init(&C) < 0)
        return -1;
    snprintf(fault_file, sizeof fault_file, "%s/fault", C.dir);
    return files_write_atomic(fault_file, "", 0, 0644);
}

static int
teardown_county(void **state)
{
    (void)state;
    county_cleanup(&C);
    return 0;
}

/* The fault in force for the hub: "full", "ioerr" or "" (none). */
static void
fault(const char *word)
{
    assert_int_equal(files_write_atomic(fault_file, word, strlen(word), 0644), 0);
}

/* Starts the hub with the fault VFS; adapters and operators run without it. */
static void
start_hub(void)
{
    setenv("LIANXI_FAULT_FILE", fault_file, 1);
    assert_int_equal(hub_start(&C, 30000), 0);
    unsetenv("LIANXI_FAULT_FILE");
}

/* A police export of n filings (generated), at path. */
static const char *
export_of(const char *name, long n)
{
    static char path[PATH_MAX];
    char num[32];

    snprintf(path, sizeof path, "%s/%s", C.dir, name);
    snprintf(num, sizeof num, "%ld", n);
    const char *argv[] = { "lianxi-genexport", "police", num, NULL };
    unlink(path);
    assert_int_equal(run_prog(&C, path, argv, 60000), 0);
    return path;
}

/* lianxi-adapter-police -c … --wait W cmd [file]; its output in police.log. */
static int
police(const char *cmd, const char *file, const char *wait)
{
    char conf[PATH_MAX], log[PATH_MAX];

    snprintf(conf, sizeof conf, "%s/units/police/adapter.conf", C.dir);
    snprintf(log, sizeof log, "%s/police.log", C.dir);
    const char *argv[] = { "lianxi-adapter-police", "-c", conf, "--wait", wait, cmd, file, NULL };
    return run_prog(&C, log, argv, 180000);
}

/* lianxi -c operators/WHO/operator.conf args…; its output in op.out. */
static int
op(const char *who, const char *a1, const char *a2, const char *a3, const char *a4)
{
    char conf[PATH_MAX], out[PATH_MAX];

    snprintf(conf, sizeof conf, "%s/operators/%s/operator.conf", C.dir, who);
    snprintf(out, sizeof out, "%s/op.out", C.dir);
    unlink(out);
    const char *argv[] = { "lianxi", "-c", conf, a1, a2, a3, a4, NULL };
    return run_prog(&C, out, argv, 60000);
}

static int
op_said(const char *needle)
{
    char *text = files_read(cpath(&C, "op.out"), NULL);
    int found = text && strstr(text, needle);

    free(text);
    return found;
}

static long
filings(void)
{
    return db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings");
}

static long
file_size(const char *rel)
{
    struct stat sb;
    return stat(cpath(&C, rel), &sb) == 0 ? (long)sb.st_size : 0;
}

/* A full disk: no receipt for anything while it is full, a log line that
 * says so, the audit trail's head unchanged; once space is back the hub
 * goes on by itself and the adapters' filings are stored, each once. */
static void
disk_full_gives_no_receipts_and_the_hub_recovers_by_itself(void **state)
{
    const char *e = export_of("full.csv", 40);
    long audit_before;
    (void)state;

    start_hub();
    audit_before = db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM audit_log");
    fault("full");
    /* Not acknowledged: the filings stay in the outbox (exit 75). */
    assert_int_equal(police("submit", e, "4"), 75);
    assert_int_equal(wait_log(&C, "所在磁盘已满：腾出空间前不出具回执", 20000), 0);
    assert_int_equal(wait_log(&C, "no receipts sent, the adapters will resend", 20000), 0);
    fault("");
    assert_int_equal(police("send", "", "120"), 0);
    assert_int_equal(filings(), 40);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(DISTINCT receipt_no) FROM filings"),
                     40);
    /* Gap-free: nothing was numbered for the batches that failed. */
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT max(CAST(substr(receipt_no, 6) AS"
                             " INTEGER)) FROM filings"), 40);
    /* Each stored filing has its one audit entry, and the chain holds. */
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM audit_log WHERE action"
                             " = 'file'"), 40);
    assert_true(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM audit_log") >= audit_before + 40);
    assert_int_equal(op("auditor", "audit", "verify", NULL, NULL), 0);
    assert_true(op_said("核验通过"));
    assert_int_equal(hub_stop(&C), 0);
}

/* A write that fails (an I/O error, not space) while a batch commits: no
 * receipt for any of it; the next batch after the fault is stored. */
static void
failed_commit_gives_no_receipt_and_the_next_batch_is_stored(void **state)
{
    const char *e = export_of("ioerr.csv", 5);
    long before;
    (void)state;

    start_hub();
    before = filings();
    fault("ioerr");
    assert_int_equal(police("submit", e, "3"), 75);
    assert_int_equal(wait_log(&C, "could not commit a batch", 20000), 0);
    assert_int_equal(filings(), before);
    fault("");
    assert_int_equal(police("send", "", "120"), 0);
    assert_int_equal(filings(), before + 5);
    assert_int_equal(op("auditor", "audit", "verify", NULL, NULL), 0);
    assert_int_equal(hub_stop(&C), 0);
}

/* What cannot be recorded in the audit trail is not handed out: an
 * operator's listing is refused (75), a briefing is not written. */
static void
nothing_is_handed_out_that_cannot_be_recorded(void **state)
{
    char brief[PATH_MAX];
    (void)state;

    snprintf(brief, sizeof brief, "%s/brief.md", C.dir);
    start_hub();
    assert_int_equal(op("supervisor", "filings", NULL, NULL, NULL), 0);
    fault("full");
    assert_int_equal(op("supervisor", "filings", NULL, NULL, NULL), 75);
    assert_true(op_said("未能将此请求记入审计记录"));      /* the hub speaks zh */
    {
        char conf[PATH_MAX], out[PATH_MAX];
        snprintf(conf, sizeof conf, "%s/operators/convener/operator.conf", C.dir);
        snprintf(out, sizeof out, "%s/op.out", C.dir);
        const char *argv[] = { "lianxi", "-c", conf, "brief", "--period",
                               "2026-01-01..2026-11-30", "--audience", "full", "--format", "md",
                               "-o", brief, NULL };
        unlink(brief);
        assert_int_equal(run_prog(&C, out, argv, 60000), 75);
        assert_true(op_said("因此不予提供"));
        assert_int_equal(access(brief, F_OK), -1);
        /* An export the same. */
        char csv[PATH_MAX];
        snprintf(csv, sizeof csv, "%s/export.csv", C.dir);
        snprintf(conf, sizeof conf, "%s/operators/supervisor/operator.conf", C.dir);
        const char *ex[] = { "lianxi", "-c", conf, "export", "-o", csv, NULL };
        assert_int_equal(run_prog(&C, out, ex, 60000), 75);
        assert_true(op_said("因此不予提供"));
        assert_int_equal(access(csv, F_OK), -1);
        snprintf(conf, sizeof conf, "%s/operators/convener/operator.conf", C.dir);
        fault("");
        assert_int_equal(run_prog(&C, out, argv, 60000), 0);
        assert_int_equal(access(brief, F_OK), 0);
    }
    assert_int_equal(hub_stop(&C), 0);
}

static int
wal_is_empty(void *arg)
{
    (void)arg;
    return file_size("hub/lianxi.db-wal") == 0;
}

/* The WAL is copied into the database as the hub runs and cut back when it
 * is idle: the filings are in lianxi.db, not only in the WAL. */
static void
wal_is_checkpointed_while_the_hub_runs(void **state)
{
    const char *e = export_of("many.csv", 3000);
    long db_size;
    (void)state;

    start_hub();
    assert_int_equal(police("submit", e, "300"), 0);
    assert_true(filings() >= 3000);
    assert_int_equal(wait_in_dir(cpath(&C, "hub"), IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB,
                                 wal_is_empty, NULL, 30000), 0);
    /* 3000 filings of about 1 KB are in the database file itself. */
    db_size = file_size("hub/lianxi.db");
    assert_true(db_size > 1000 * 1024);
    assert_int_equal(hub_stop(&C), 0);
}

/* The hub speaks Chinese (lianxi init writes language = zh): its log lines
 * for the IT person are in Chinese (README: "Hub log lines to know"). */
static void
start_refused(const char *why)
{
    assert_int_equal(hub_start(&C, 30000), -1);
    assert_true(log_has(&C, why));
    assert_true(log_has(&C, "请从备份恢复数据库"));
}

/* Deleted, emptied or replaced while the hub was stopped: it refuses to
 * start, says what happened and how to restore, and creates nothing. */
static void
a_database_gone_while_stopped_is_refused_at_start(void **state)
{
    char saved[PATH_MAX], other[PATH_MAX];
    (void)state;

    start_hub();
    assert_int_equal(hub_stop(&C), 0);
    snprintf(saved, sizeof saved, "%s/saved.db", C.dir);
    assert_int_equal(rename(cpath(&C, "hub/lianxi.db"), saved), 0);
    start_refused("不存在（已被删除或移走）");
    assert_int_equal(access(cpath(&C, "hub/lianxi.db"), F_OK), -1);

    assert_int_equal(files_write_atomic(cpath(&C, "hub/lianxi.db"), "", 0, 0644), 0);
    start_refused("为空");

    /* Another hub's database (made by a second county). */
    {
        struct county other_c;
        assert_int_equal(county_init(&other_c), 0);
        assert_int_equal(hub_start(&other_c, 30000), 0);
        assert_int_equal(hub_stop(&other_c), 0);
        snprintf(other, sizeof other, "%s", cpath(&other_c, "hub/lianxi.db"));
        char *bytes;
        size_t len;
        assert_non_null(bytes = files_read(other, &len));
        assert_int_equal(files_write_atomic(cpath(&C, "hub/lianxi.db"), bytes, len, 0644), 0);
        free(bytes);
        county_cleanup(&other_c);
    }
    start_refused("已被替换");

    /* The right one back: the hub starts. */
    assert_int_equal(rename(saved, cpath(&C, "hub/lianxi.db")), 0);
    start_hub();
    assert_int_equal(hub_stop(&C), 0);
}

/* Deleted while the hub runs: it stops taking filings and says why; the
 * filing stays pending in the adapter's outbox, operators are refused. */
static void
a_database_deleted_while_running_stops_intake(void **state)
{
    const char *e = export_of("after.csv", 3);
    char moved[PATH_MAX];
    (void)state;

    start_hub();
    snprintf(moved, sizeof moved, "%s/moved.db", C.dir);
    assert_int_equal(rename(cpath(&C, "hub/lianxi.db"), moved), 0);
    assert_int_equal(police("submit", e, "3"), 75);
    assert_int_equal(wait_log(&C, "在运行期间", 20000), 0);
    assert_int_equal(op("supervisor", "filings", NULL, NULL, NULL), 75);
    assert_true(op_said("数据库在运行期间丢失"));
    hub_kill9(&C);
    /* Put back, the hub starts and the pending filings arrive. */
    assert_int_equal(rename(moved, cpath(&C, "hub/lianxi.db")), 0);
    start_hub();
    assert_int_equal(police("send", "", "120"), 0);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings WHERE"
                             " filing_id LIKE 'police:A441623000000000_:%'"), 3);
    assert_int_equal(hub_stop(&C), 0);
}

/* A WAL file the hub may not write: the log names the file and why, and
 * the hub does not start (78). */
static void
an_unwritable_wal_is_named_in_the_log(void **state)
{
    char wal[PATH_MAX], prog[PATH_MAX * 2], top[PATH_MAX];
    pid_t pid;
    (void)state;

    start_hub();
    assert_int_equal(hub_stop(&C), 0);
    snprintf(wal, sizeof wal, "%s", cpath(&C, "hub/lianxi.db-wal"));
    snprintf(prog, sizeof prog, "%s/lianxi-hub", C.bin);
    files_dirname(top, sizeof top, C.dir);
    assert_int_equal(files_write_atomic(wal, "", 0, 0644), 0);
    pid = fork();
    if (pid == 0) {
        int fd = open(cpath(&C, "hub.log"), O_WRONLY | O_CREAT | O_APPEND, 0666);
        /* As root, run the hub as another user for whom the WAL (root's,
         * 0644) is not writable; as anyone else, take the permission away. */
        if (geteuid() == 0) {
            char cmd[PATH_MAX * 3];
            snprintf(cmd, sizeof cmd, "chown -R 65534:65534 '%s' && chown 0:0 '%s' && chmod 755 "
                     "'%s'", C.dir, wal, top);
            if (system(cmd) != 0 || setgid(65534) < 0 || setuid(65534) < 0)
                _exit(90);
        } else if (chmod(wal, 0444) < 0) {
            _exit(91);
        }
        dup2(fd, 1);
        dup2(fd, 2);
        execl(prog, "lianxi-hub", "-c", cpath(&C, "hub/hub.conf"), (char *)NULL);
        _exit(92);
    }
    assert_int_equal(wait_exit(pid, 30000), 78);
    assert_true(log_has(&C, "汇总平台无法写入"));
    assert_true(log_has(&C, "lianxi.db-wal："));       /* then why, as the system says it */
}

/* Replaces the first "from" in s (of size n) by "to"; 0, or -1 when absent. */
static int
replace_in(char *s, size_t n, const char *from, const char *to)
{
    char *at = strstr(s, from), rest[8192];

    if (!at || strlen(s) - strlen(from) + strlen(to) >= n)
        return -1;
    snprintf(rest, sizeof rest, "%s", at + strlen(from));
    snprintf(at, n - (size_t)(at - s), "%s%s", to, rest);
    return 0;
}

/* A second hub on the units port the first one holds: a temporary failure
 * (75, EX_TEMPFAIL, which systemd's Restart=on-failure retries), not a
 * configuration error (78, which the unit's RestartPreventExitStatus stops). */
static void
a_port_in_use_is_a_temporary_failure(void **state)
{
    char text[8192], line[512], conf[PATH_MAX];
    char *orig;
    pid_t pid;
    (void)state;

    start_hub();
    assert_non_null(orig = files_read(cpath(&C, "hub/hub.conf"), NULL));
    snprintf(text, sizeof text, "%s", orig);
    free(orig);
    snprintf(line, sizeof line, "units = %s\n", C.endpoint);
    assert_int_equal(replace_in(text, sizeof text, "units = tcp://127.0.0.1:*\n", line), 0);
    assert_int_equal(replace_in(text, sizeof text, "database = lianxi.db\n",
                                "database = second.db\n"), 0);
    assert_int_equal(replace_in(text, sizeof text, "run = run\n", "run = run2\n"), 0);
    snprintf(conf, sizeof conf, "%s", cpath(&C, "hub/second.conf"));
    assert_int_equal(files_write_atomic(conf, text, strlen(text), 0644), 0);
    const char *argv[] = { "lianxi-hub", "-c", conf, NULL };
    pid = spawn(&C, cpath(&C, "second.log"), argv);
    assert_true(pid > 0);
    assert_int_equal(wait_exit(pid, 30000), 75);
    /* The first hub is still the one listening, and stops cleanly. */
    assert_int_equal(hub_stop(&C), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(disk_full_gives_no_receipts_and_the_hub_recovers_by_itself,
                                        setup_county, teardown_county),
        cmocka_unit_test_setup_teardown(failed_commit_gives_no_receipt_and_the_next_batch_is_stored,
                                        setup_county, teardown_county),
        cmocka_unit_test_setup_teardown(nothing_is_handed_out_that_cannot_be_recorded,
                                        setup_county, teardown_county),
        cmocka_unit_test_setup_teardown(wal_is_checkpointed_while_the_hub_runs, setup_county,
                                        teardown_county),
        cmocka_unit_test_setup_teardown(a_database_gone_while_stopped_is_refused_at_start,
                                        setup_county, teardown_county),
        cmocka_unit_test_setup_teardown(a_database_deleted_while_running_stops_intake,
                                        setup_county, teardown_county),
        cmocka_unit_test_setup_teardown(a_port_in_use_is_a_temporary_failure, setup_county,
                                        teardown_county),
        cmocka_unit_test_setup_teardown(an_unwritable_wal_is_named_in_the_log, setup_county,
                                        teardown_county),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
