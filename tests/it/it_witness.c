/* it_witness.c — the audit trail's witnesses: the hub's signed checkpoints
 * kept by a unit's adapter and by an operator find a tail that was cut off
 * together with the checkpoints in it, which the database alone cannot. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "harness.h"
#include "witness.h"

static struct county C;

#define IDNO "44162319851208185X"

static int
run_to(const char *out, const char *const argv[])
{
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    close(fd);
    return run_prog(&C, out, argv, 90000);
}

/* `lianxi -c operators/WHO/operator.conf audit ARGS…`; output in *text. */
static int
audit(const char *who, char **text, const char *a1, const char *a2, const char *a3)
{
    char conf[PATH_MAX], out[PATH_MAX];
    int rc;

    snprintf(conf, sizeof conf, "%s/operators/%s/operator.conf", C.dir, who);
    snprintf(out, sizeof out, "%s/audit-%s.out", C.dir, who);
    const char *argv[] = { "lianxi", "-c", conf, "audit", a1, a2, a3, NULL };
    rc = run_to(out, argv);
    if (text)
        *text = files_read(out, NULL);
    return rc;
}

/* The police adapter with ARGS (status, send, submit FILE). */
static int
police(char **text, const char *a1, const char *a2)
{
    char conf[PATH_MAX], out[PATH_MAX];
    int rc;

    snprintf(conf, sizeof conf, "%s/units/police/adapter.conf", C.dir);
    snprintf(out, sizeof out, "%s/police.out", C.dir);
    const char *argv[] = { "lianxi-adapter-police", "-c", conf, "--wait", "60", a1, a2, NULL };
    rc = run_to(out, argv);
    if (text)
        *text = files_read(out, NULL);
    return rc;
}

static int
setup_county(void **state)
{
    (void)state;
    return county_init(&C) < 0 || hub_start(&C, 20000) < 0 ? -1 : 0;
}

static int
teardown_county(void **state)
{
    (void)state;
    county_cleanup(&C);
    return 0;
}

static void
load(const char *rel, struct witness *w)
{
    assert_int_equal(witness_load(cpath(&C, rel), w), 0);
}

/* Deletes the audit trail's entries after keep and the checkpoints in
 * them, as someone with the database in hand would, the hub stopped; a
 * thorough one (own_too) also deletes the copy of the last checkpoint the
 * hub keeps beside it. */
static void
cut_tail(uint64_t keep, int own_too)
{
    char sql[256];
    sqlite3 *db;

    assert_int_equal(hub_stop(&C), 0);
    assert_int_equal(sqlite3_open(cpath(&C, "hub/lianxi.db"), &db), SQLITE_OK);
    snprintf(sql, sizeof sql, "DELETE FROM audit_log WHERE seq > %llu;"
             "DELETE FROM audit_checkpoints WHERE seq > %llu", (unsigned long long)keep,
             (unsigned long long)keep);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    if (own_too)
        assert_int_equal(unlink(cpath(&C, "hub/run/audit.witness")), 0);
    assert_int_equal(hub_start(&C, 20000), 0);
}

static void
witnesses_find_a_tail_cut_with_its_checkpoints(void **state)
{
    struct witness unit, op, other;
    char *text = NULL, csv[PATH_MAX], given[WITNESS_TEXT + 16], path[PATH_MAX];
    FILE *f;
    (void)state;

    /* A signed checkpoint now, then five filings: each receipt carries it. */
    assert_int_equal(audit("auditor", NULL, "checkpoint", NULL, NULL), 0);
    snprintf(csv, sizeof csv, "%s/police.csv", C.dir);
    f = fopen(csv, "w");
    fputs("案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,"
          "知悉范围\n", f);
    for (int i = 1; i <= 5; i++)
        fprintf(f, "A44162320261105%02d,杨志明," IDNO ",县农业农村局,股长,科员,醉酒驾驶机动车,"
                "2026-10-12,已办结,醉酒驾驶机动车被查获。,党政机关\n", i);
    fclose(f);
    assert_int_equal(police(NULL, "submit", csv), 0);
    load("units/police/hub.witness", &unit);
    assert_true(unit.seq > 0);

    /* The auditor verifies and keeps the hub's latest checkpoint; a later
     * one reaches the unit with the answer to its next hello. */
    assert_int_equal(audit("auditor", NULL, "checkpoint", NULL, NULL), 0);
    assert_int_equal(audit("auditor", &text, "verify", NULL, NULL), 0);
    assert_non_null(strstr(text, "见证：第"));     /* the auditor reads Chinese (language = zh) */
    free(text);
    load("operators/auditor/operator.witness", &op);
    assert_true(op.seq > unit.seq);
    assert_int_equal(police(&text, "send", NULL), 0);
    free(text);
    load("units/police/hub.witness", &other);
    assert_true(other.seq >= op.seq);
    unit = other;
    assert_int_equal(police(&text, "status", NULL), 0);
    witness_format(&unit, given);
    assert_non_null(strstr(text, given));
    assert_null(strstr(text, "WARNING"));
    free(text);

    /* The tail goes, checkpoints and all, and the hub's own copy of its
     * last checkpoint: the database alone still looks whole to an auditor
     * who keeps nothing. */
    cut_tail(3, 1);
    snprintf(path, sizeof path, "%s/operators/auditor/blank.conf", C.dir);
    f = fopen(path, "w");
    fputs("[operator]\nname = auditor\nhub_endpoint_file = ../../hub/run/control.endpoint\n"
          "hub_cert = hub.cert\ncert = auditor.cert_secret\nwitness = blank.witness\n", f);
    fclose(f);
    {
        char out[PATH_MAX];
        snprintf(out, sizeof out, "%s/blank.out", C.dir);
        const char *argv[] = { "lianxi", "-c", path, "audit", "verify", NULL };
        assert_int_equal(run_to(out, argv), 0);
    }

    /* The auditor's own checkpoint finds it. */
    assert_int_equal(audit("auditor", &text, "verify", NULL, NULL), 65);
    assert_true(strstr(text, "截去") || strstr(text, "改写") || strstr(text, "短了"));
    free(text);
    load("operators/auditor/operator.witness", &other);
    assert_int_equal(other.seq, op.seq);        /* not replaced by the shorter trail */

    /* The unit's adapter finds it at its next hello and says what to give
     * the auditor; given, that checkpoint finds it too. */
    assert_int_equal(police(NULL, "send", NULL), 0);
    assert_int_equal(police(&text, "status", NULL), 0);
    assert_non_null(strstr(text, "WARNING"));
    assert_non_null(strstr(text, given));
    free(text);
    load("units/police/hub.witness", &other);
    assert_int_equal(other.seq, unit.seq);
    snprintf(path, sizeof path, "%s/blank.out", C.dir);
    {
        const char *argv[] = { "lianxi", "-c", cpath(&C, "operators/auditor/blank.conf"),
                               "audit", "verify", "--witness", given, NULL };
        assert_int_equal(run_to(path, argv), 65);
        text = files_read(path, NULL);
        assert_true(strstr(text, "截去") || strstr(text, "改写"));
        free(text);
    }

    /* The hub goes on and signs checkpoints past the kept entry (over the
     * cut trail): the unit's kept checkpoint, its evidence, stays. */
    while (db_long(&C, "hub/lianxi.db", "SELECT max(seq) FROM audit_log") <= (long)unit.seq + 1)
        assert_int_equal(audit("auditor", NULL, "log", "--limit", "1"), 0);
    assert_int_equal(audit("auditor", NULL, "checkpoint", NULL, NULL), 0);
    assert_int_equal(police(NULL, "send", NULL), 0);
    load("units/police/hub.witness", &other);
    assert_int_equal(other.seq, unit.seq);
}

/* The tail cut while the hub's own copy of its last checkpoint stays: the
 * hub says so at start, signs nothing over the cut trail, and audit
 * verify finds it even for an auditor who keeps nothing. */
static void
the_hubs_own_copy_finds_a_cut_and_stops_it_signing(void **state)
{
    struct witness own;
    char *text = NULL, out[PATH_MAX];
    (void)state;

    assert_int_equal(audit("auditor", NULL, "checkpoint", NULL, NULL), 0);
    cut_tail(3, 0);
    load("hub/run/audit.witness", &own);       /* what the hub signed last */
    assert_true(own.seq > 3);
    assert_int_equal(wait_log(&C, "汇总平台不再签名新的检查点", 20000), 0);
    assert_int_equal(audit("auditor", &text, "checkpoint", NULL, NULL), 65);
    free(text);
    snprintf(out, sizeof out, "%s/blank.out", C.dir);
    {
        const char *argv[] = { "lianxi", "-c", cpath(&C, "operators/auditor/blank.conf"),
                               "audit", "verify", NULL };
        unlink(cpath(&C, "operators/auditor/blank.witness"));
        assert_int_equal(run_to(out, argv), 65);
        text = files_read(out, NULL);
        assert_non_null(strstr(text, "截去"));
        free(text);
    }
}

static void
a_witness_the_hub_did_not_sign_is_refused(void **state)
{
    struct witness w;
    char given[WITNESS_TEXT], *text = NULL;
    (void)state;

    memset(&w, 0, sizeof w);
    w.seq = 2;
    memset(w.head, 0xab, sizeof w.head);
    memset(w.sig, 0xcd, sizeof w.sig);
    witness_format(&w, given);
    assert_int_equal(audit("auditor", &text, "verify", "--witness", given), 64);
    /* The hub speaks Chinese (lianxi init writes language = zh). */
    assert_non_null(strstr(text, "不是本汇总平台的密钥签名的"));
    free(text);
    assert_int_equal(audit("auditor", &text, "verify", "--witness", "12:zz"), 64);
    assert_non_null(strstr(text, "SEQ:HEAD:SIGNATURE"));
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(witnesses_find_a_tail_cut_with_its_checkpoints),
        cmocka_unit_test(a_witness_the_hub_did_not_sign_is_refused),
        cmocka_unit_test(the_hubs_own_copy_finds_a_cut_and_stops_it_signing),
    };
    return cmocka_run_group_tests(tests, setup_county, teardown_county);
}
