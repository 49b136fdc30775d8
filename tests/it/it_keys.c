/* it_keys.c — the hub's key directory with one public key in two cert
 * files: the real hub, the real police and court adapters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <czmq.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sysexits.h>
#include <unistd.h>

#include "clock.h"
#include "days.h"
#include "files.h"
#include "harness.h"

#define WAIT_MS 20000
#define REFUSED_WAIT "3"        /* seconds an adapter tries before it gives up (exit 75) */

/* What the hub logs when it loads a directory with police's key also in
 * court-2.cert, and when the police adapter then tries to connect (in
 * Chinese: lianxi init writes language = zh). */
#define DUP_LINE "密钥目录：相同的公钥见于court-2.cert（成员单位 县法院）和police.cert（成员单位 " \
                 "县公安局）：两者均不予认可，直至删除其中一个"
#define DUP_ZAP  "不予认可：相同的公钥见于court-2.cert（成员单位 县法院）和police.cert（成员单位 " \
                 "县公安局）"

static struct county C;

static int
setup_county(void **state)
{
    (void)state;
    return county_init(&C) < 0 || hub_start(&C, WAIT_MS) < 0 ? -1 : 0;
}

static int
teardown_county(void **state)
{
    (void)state;
    county_cleanup(&C);
    return 0;
}

static int
count_in_log(const char *needle)
{
    char *text = files_read(cpath(&C, "hub.log"), NULL), *p = text;
    int n = 0;

    while (p && (p = strstr(p, needle))) {
        n++;
        p += strlen(needle);
    }
    free(text);
    return n;
}

/* Puts court-2.cert in the hub's key directory: police's public key with
 * court's metadata and signing key, as an operator's slip (or a forgery)
 * would.  Written beside it and renamed in, as one change. */
static void
install_court_copy_of_police_key(void)
{
    zcert_t *police = zcert_load(cpath(&C, "hub/keys/police.cert"));
    zcert_t *court = zcert_load(cpath(&C, "hub/keys/court.cert"));
    uint8_t no_secret[32] = { 0 };
    zcert_t *out;

    assert_non_null(police);
    assert_non_null(court);
    out = zcert_new_from(zcert_public_key(police), no_secret);
    assert_non_null(out);
    zcert_set_meta(out, "unit", "court");
    zcert_set_meta(out, "sign-public-key", "%s", zcert_meta(court, "sign-public-key"));
    assert_int_equal(zcert_save_public(out, cpath(&C, "court-2.cert.tmp")), 0);
    assert_int_equal(rename(cpath(&C, "court-2.cert.tmp"), cpath(&C, "hub/keys/court-2.cert")), 0);
    zcert_destroy(&out);
    zcert_destroy(&court);
    zcert_destroy(&police);
}

/* Writes a one-row export for unit, before + the date two days ago +
 * after (when name is not NULL), and runs its adapter's cmd (submit or
 * send) with --wait wait.  Returns the adapter's exit code. */
static int
adapter(const char *unit, const char *cmd, const char *wait, const char *name,
        const char *before, const char *after)
{
    char learned[LX_DATE_LEN], text[2048], path[PATH_MAX], conf[PATH_MAX], prog[64];
    char log[PATH_MAX];
    const char *header = strcmp(unit, "police") == 0
        ? "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围\n"
        : "案号,当事人,证件号码,工作单位,职务,职级,案件类型,立案日期,案件状态,裁判结果摘要,承办法官,公开范围\n";

    days_format(days_shanghai(clock_now()) - 2, learned);
    snprintf(path, sizeof path, "%s/%s", C.dir, name ? name : "");
    if (name) {
        snprintf(text, sizeof text, "%s%s%s%s", header, before, learned, after);
        assert_int_equal(files_write_atomic(path, text, strlen(text), 0644), 0);
    }
    snprintf(conf, sizeof conf, "%s/units/%s/adapter.conf", C.dir, unit);
    snprintf(prog, sizeof prog, "lianxi-adapter-%s", unit);
    snprintf(log, sizeof log, "%s/%s.log", C.dir, unit);
    const char *argv[] = { prog, "-c", conf, "--wait", wait, cmd, name ? path : NULL, NULL };
    return run_prog(&C, log, argv, 120000);
}

#define POLICE_ROW "A4416232026112801,杨志明,44162319851208185X,县农业农村局,股长,科员," \
                   "醉酒驾驶机动车,", ",已办结,醉酒驾驶机动车被查获。,党政机关\n"
#define POLICE_ROW2 "A4416232026112802,周晓峰,44162319830210147X,县市场监管局,副主任,科员," \
                    "赌博,", ",已办结,参与赌博被行政拘留。,党政机关\n"
#define COURT_ROW  "（2026）粤1623刑初62号,邱小红,441623197907134720,内莞镇人民政府,党委副书记," \
                   "副科,刑事案件,", ",已判决,犯滥用职权罪，情节轻微，免予刑事处罚。,邱伟明,\n"

static long
filed(const char *unit)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM filings WHERE unit = '%s'", unit);
    return db_long(&C, "hub/lianxi.db", sql);
}

static void
duplicate_key_is_refused_for_both_files_until_one_is_removed(void **state)
{
    (void)state;

    install_court_copy_of_police_key();
    /* The hub reloads by itself and names both files and their claims. */
    assert_int_equal(wait_log(&C, DUP_LINE, WAIT_MS), 0);

    /* Police gets no session: its filing stays in its outbox. */
    assert_int_equal(adapter("police", "submit", REFUSED_WAIT, "police.csv", POLICE_ROW),
                     EX_TEMPFAIL);
    assert_int_equal(db_long(&C, "units/police/outbox.db",
                             "SELECT count(*) FROM outbox WHERE state = 0"), 1);
    assert_int_equal(filed("police"), 0);
    assert_int_equal(filed("court"), 0);
    assert_true(count_in_log(DUP_ZAP) >= 1);

    /* The rest of the directory keeps working, court's own key too. */
    assert_int_equal(adapter("court", "submit", "60", "court.csv", COURT_ROW), 0);
    assert_int_equal(filed("court"), 1);

    /* The operator removes the copy: police's filing is delivered. */
    assert_int_equal(unlink(cpath(&C, "hub/keys/court-2.cert")), 0);
    assert_int_equal(adapter("police", "send", "60", NULL, NULL, NULL), 0);
    assert_int_equal(filed("police"), 1);
    assert_int_equal(db_long(&C, "units/police/outbox.db",
                             "SELECT count(*) FROM outbox WHERE state = 1"), 1);
}

static void
duplicate_key_present_when_the_hub_starts_is_refused(void **state)
{
    int lines = count_in_log(DUP_LINE);
    long police = filed("police");
    (void)state;

    assert_int_equal(hub_stop(&C), 0);
    install_court_copy_of_police_key();
    assert_int_equal(hub_start(&C, WAIT_MS), 0);
    assert_int_equal(count_in_log(DUP_LINE), lines + 1);
    assert_int_equal(adapter("police", "submit", REFUSED_WAIT, "police-2.csv", POLICE_ROW2),
                     EX_TEMPFAIL);
    assert_int_equal(filed("police"), police);

    /* Removed while the hub runs: police is authorized again. */
    assert_int_equal(unlink(cpath(&C, "hub/keys/court-2.cert")), 0);
    assert_int_equal(adapter("police", "send", "60", NULL, NULL, NULL), 0);
    assert_int_equal(filed("police"), police + 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(duplicate_key_is_refused_for_both_files_until_one_is_removed),
        cmocka_unit_test(duplicate_key_present_when_the_hub_starts_is_refused),
    };
    return cmocka_run_group_tests(tests, setup_county, teardown_county);
}
