/* test_matters.c — the counting model (src/hub/matters.h) on small cases
 * made by hand, filed through the hub's intake use case (intake_store, no
 * sockets), one behaviour each.  Expected figures come from the cases
 * themselves and the working-day calendar, never from the database. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calendar.h"
#include "categories.h"
#include "days.h"
#include "idnum.h"
#include "intake.h"
#include "matters.h"
#include "oblig.h"
#include "store.h"
#include "tmpdir.h"

struct world {
    struct tmp *tmp;
    store_t *store;
    audit_t *audit;
    calendar_t *cal;
    categories_t *cats;
    struct downtime down;
    struct key_entry key;
};

static struct world W;
static const char *category = "police.drunk_driving";

/* The full ID number of id17 and the filing id of a case at a stage. */
static void
ids(const char *ref, const char *id17, int stage, char id[19], char fid[128])
{
    memcpy(id, id17, 17);
    id[17] = idnum_check_char(id17);
    id[18] = '\0';
    snprintf(fid, 128, "%s:%s:%d:%s", W.key.name, ref, stage, id);
}

static int
setup(void **state)
{
    (void)state;
    memset(&W, 0, sizeof W);
    if (tmp_make((void **)&W.tmp, "matters", "hub.db") < 0 ||
        !(W.store = store_open(W.tmp->path, W.tmp->dir)) || !(W.audit = audit_new(W.store)) ||
        !(W.cal = calendar_load("deploy/calendar/cn-holidays.tsv")) ||
        !(W.cats = categories_load("deploy/categories.tsv")))
        return -1;
    W.key.kind = KEY_UNIT;
    snprintf(W.key.name, sizeof W.key.name, "police");
    snprintf(W.key.user_id, sizeof W.key.user_id, "unit:police:test");
    category = "police.drunk_driving";
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    audit_destroy(&W.audit);
    store_close(&W.store);
    calendar_destroy(&W.cal);
    categories_destroy(&W.cats);
    void *t = W.tmp;
    return tmp_teardown(&t);
}

/* 10:00 in Asia/Shanghai on a day. */
static int64_t
at(const char *day)
{
    lx_day d;
    assert_int_equal(days_parse(day, &d), 0);
    return days_start(d) + 10 * 3600;
}

static lx_day
day(const char *s)
{
    lx_day d;
    assert_int_equal(days_parse(s, &d), 0);
    return d;
}

/* Files one filing of the police about case ref and cadre id17 at time
 * when, through intake.  Returns the receipt (its judgement), or fails. */
static struct receipt_info
file(const char *ref, const char *id17, int stage, uint32_t revision, const char *learned_on,
     const char *summary, const char *answers, int64_t when, int expect_reply)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre c = LIANXI__CADRE__INIT;
    struct intake_ctx ic = { W.store, W.audit, W.cal, W.cats, &W.down, NULL, NULL,
                             NULL, ATT_LIMITS_DEFAULT };
    struct intake_item it;
    char id[19], fid[128];
    uint8_t sig[64] = { 0 };

    ids(ref, id17, stage, id, fid);
    c.name = "杨志明";
    c.id_number = id;
    c.work_unit = "县教育局";
    c.post = "科长";
    c.rank = 3;
    f.unit = W.key.name;
    f.filing_id = fid;
    f.revision = revision;
    f.stage = stage;
    f.category = (char *)category;
    f.cadre = &c;
    f.learned_on = (char *)learned_on;
    f.summary = (char *)summary;
    f.scope = LIANXI__SCOPE__SCOPE_ORGANS;
    f.case_ref = (char *)ref;
    f.queued_at = when;
    f.answers = (char *)(answers ? answers : "");
    f.signature.data = sig;
    f.signature.len = sizeof sig;
    env.body_case = LIANXI__ENVELOPE__BODY_FILING;
    env.filing = &f;
    memset(&it, 0, sizeof it);
    it.env = &env;
    it.key = &W.key;
    it.reply = REPLY_RECEIPT;
    memset(it.hash, revision, sizeof it.hash);
    it.hash[0] = (uint8_t)stage;
    assert_int_equal(intake_store(&ic, &it, 1, when), 0);
    assert_int_equal(it.reply, expect_reply);
    return it.receipt;
}

struct seen {
    int n;
    struct matter m;            /* the last one; strings not kept */
    char category[64], summary[256];
};

static int
keep(void *arg, const struct matter *m)
{
    struct seen *s = arg;
    s->n++;
    s->m = *m;
    snprintf(s->summary, sizeof s->summary, "%s", m->summary);
    return 0;
}

static struct seen
scan(const char *from, const char *to, const char *asof)
{
    struct seen s = { 0 };
    assert_true(matters_scan(W.store, W.cal, days_start(day(from)), days_start(day(to) + 1),
                             day(asof), keep, &s) >= 0);
    return s;
}

/* The 5th working day after a day, by the calendar. */
static lx_day
due_after(const char *learned)
{
    lx_day due;
    calendar_due(W.cal, day(learned), 5, &due);
    return due;
}

static void
an_amendment_after_the_due_date_leaves_an_on_time_matter_on_time(void **state)
{
    char due_s[LX_DATE_LEN], late[LX_DATE_LEN];
    struct seen s;
    (void)state;

    days_format(due_after("2026-03-02"), due_s);

    days_format(due_after("2026-03-02") + 10, late);
    struct receipt_info r1, r2;
    r1 = file("A1", "44162319851208185", 2, 1, "2026-03-02", "罚款二千元。", NULL,
              at("2026-03-04"), REPLY_RECEIPT);
    /* The amendment comes after the due date, in the next month; its receipt
     * carries the first revision's judgement, not a lateness of its own. */
    r2 = file("A1", "44162319851208185", 2, 2, "2026-03-02", "罚款二千元，暂扣驾驶证六个月。",
              NULL, at(late), REPLY_RECEIPT);
    assert_int_equal(r1.on_time, 1);
    assert_int_equal(r2.on_time, 1);
    assert_int_equal(r2.late_days, 0);
    assert_string_equal(r2.due_on, r1.due_on);
    assert_string_equal(r1.due_on, due_s);
    s = scan("2026-03-01", "2026-03-31", "2026-03-31");
    assert_int_equal(s.n, 1);
    assert_int_equal(s.m.state, MATTER_ON_TIME);
    /* Its current content is the amendment's. */
    assert_string_equal(s.summary, "罚款二千元，暂扣驾驶证六个月。");
    /* It is never a new matter in the amendment's period. */
    s = scan("2026-04-01", "2026-04-30", "2026-04-30");
    assert_int_equal(s.n, 0);
}

static void
a_report_after_the_due_date_is_late_by_its_working_days(void **state)
{
    char when[LX_DATE_LEN];
    lx_day due = due_after("2026-05-06");
    int expect = 0;
    struct seen s;
    (void)state;

    days_format(due + 7, when);
    calendar_workdays(W.cal, due, due + 7, &expect);
    file("B1", "44162319830210147", 2, 1, "2026-05-06", "赌博。", NULL, at(when), REPLY_RECEIPT);
    s = scan("2026-05-01", "2026-06-30", "2026-06-30");
    assert_int_equal(s.n, 1);
    assert_int_equal(s.m.state, MATTER_LATE);
    assert_int_equal(s.m.report_late_days, expect);
}

static void
an_early_notice_does_not_make_a_matter_on_time(void **state)
{
    char when[LX_DATE_LEN];
    struct seen s;
    (void)state;

    /* The notice on the day learned; no report: overdue once due has passed. */
    file("C1", "44162319870315002", 1, 1, "2026-06-01", "", NULL, at("2026-06-01"),
         REPLY_RECEIPT);
    days_format(due_after("2026-06-01") + 1, when);
    s = scan("2026-06-01", "2026-06-30", when);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.m.state, MATTER_OVERDUE);
    /* Before the due date it is pending. */
    s = scan("2026-06-01", "2026-06-30", "2026-06-02");
    assert_int_equal(s.m.state, MATTER_PENDING);
}

static long
open_report_obligations(void)
{
    long n = 0;
    sqlite3_stmt *q = store_stmt(W.store, "SELECT count(*) FROM obligations WHERE kind = 1"
                                          " AND closed_at IS NULL");
    assert_non_null(q);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    store_done(q);
    return n;
}

static void
an_amended_notice_keeps_its_one_obligation(void **state)
{
    struct receipt_info r1, r2;
    (void)state;

    r1 = file("D1", "44162319900101003", 1, 1, "2026-07-01", "函询。", NULL, at("2026-07-01"),
              REPLY_RECEIPT);
    /* Amended: another learned_on (立案 instead of 函询): the same obligation, moved. */
    r2 = file("D1", "44162319900101003", 1, 2, "2026-07-03", "立案。", NULL, at("2026-07-03"),
              REPLY_RECEIPT);
    assert_int_equal(open_report_obligations(), 1);
    assert_string_not_equal(r1.due_on, r2.due_on);
    {
        char due_s[LX_DATE_LEN], got[LX_DATE_LEN];
        days_format(due_after("2026-07-03"), due_s);
        assert_int_equal(oblig_due_on(W.store, 1, got), 1);
        assert_string_equal(got, due_s);
    }
    /* The report closes it: nothing stays open. */
    file("D1", "44162319900101003", 2, 1, "2026-07-03", "立案审查。", NULL, at("2026-07-06"),
         REPLY_RECEIPT);
    assert_int_equal(open_report_obligations(), 0);
}

static void
a_report_of_another_case_does_not_close_an_obligation(void **state)
{
    (void)state;

    file("E1", "44162319700101004", 1, 1, "2026-08-03", "", NULL, at("2026-08-03"),
         REPLY_RECEIPT);
    assert_int_equal(open_report_obligations(), 1);
    /* A report of another case and cadre naming OB-1 is refused. */
    file("E2", "44162319720202005", 2, 1, "2026-08-03", "另案。", "OB-1", at("2026-08-04"),
         REPLY_REJECTION);
    assert_int_equal(open_report_obligations(), 1);
}

static void
a_supplement_answer_is_judged_against_its_request(void **state)
{
    struct receipt_info r;
    char due_s[LX_DATE_LEN], before[LX_DATE_LEN];
    lx_day due;
    int64_t ob;
    (void)state;

    /* The case learned long ago: its own due date is far behind. */
    file("F1", "44162319750303006", 2, 1, "2026-03-02", "处分。", NULL, at("2026-03-04"),
         REPLY_RECEIPT);
    {
        char id[19], fid[128];
        ids("F1", "44162319750303006", 2, id, fid);
        assert_int_equal(store_begin(W.store), 0);
        ob = oblig_request_supplement(W.store, W.cal, "police", fid, "请补充决定书。", 5,
                                      at("2026-09-01"));
    }
    assert_true(ob > 0);
    assert_int_equal(store_commit(W.store), 0);
    calendar_due(W.cal, day("2026-09-01"), 5, &due);
    days_format(due, due_s);
    days_format(due - 1, before);
    {
        char code[OBLIG_CODE_LEN];
        oblig_format(ob, code);
        r = file("F1", "44162319750303006", 3, 1, "2026-03-02", "决定书已补充。", code,
                 at(before), REPLY_RECEIPT);
    }
    /* Judged against the request's due date, received a day before it: on time. */
    assert_string_equal(r.due_on, due_s);
    assert_int_equal(r.on_time, 1);
    assert_int_equal(r.late_days, 0);
    /* And it is not a matter: the case is still one. */
    assert_int_equal(scan("2026-01-01", "2026-12-31", "2026-12-31").n, 1);
}

static void
a_complaint_verified_after_its_period_counts_once_in_its_own(void **state)
{
    struct seen s;
    (void)state;

    snprintf(W.key.name, sizeof W.key.name, "petitions");
    snprintf(W.key.user_id, sizeof W.key.user_id, "unit:petitions:test");
    category = "petitions.report";
    file("G1", "44162319790101007", 1, 1, "2026-10-26", "", NULL, at("2026-10-27"),
         REPLY_RECEIPT);
    file("G1", "44162319790101007", 2, 1, "2026-10-26", "核查完毕。", NULL, at("2026-11-03"),
         REPLY_RECEIPT);
    s = scan("2026-10-01", "2026-10-31", "2026-10-31");
    assert_int_equal(s.n, 1);
    assert_true(s.m.complaint);
    assert_true(s.m.has_report);
    /* Verified after the period's end: the report came in November. */
    assert_true(s.m.report_received >= days_start(day("2026-11-01")));
    assert_int_equal(scan("2026-11-01", "2026-11-30", "2026-11-30").n, 0);
    assert_int_equal(matters_is_complaint("petitions", "petitions.report"), 1);
    assert_int_equal(matters_is_complaint("organization", "organization.report_12380"), 1);
    assert_int_equal(matters_is_complaint("police", "police.drunk_driving"), 0);
}

static void
a_later_answer_to_another_request_is_judged_on_its_own(void **state)
{
    char code[2][OBLIG_CODE_LEN], due_s[2][LX_DATE_LEN], id[19], fid[128], when[LX_DATE_LEN];
    struct receipt_info r;
    struct requests q;
    lx_day due[2];
    int64_t ob;
    (void)state;

    file("H1", "44162319810808008", 2, 1, "2026-03-02", "处分。", NULL, at("2026-03-04"),
         REPLY_RECEIPT);
    ids("H1", "44162319810808008", 2, id, fid);
    for (int k = 0; k < 2; k++) {
        const char *asked = k == 0 ? "2026-04-01" : "2026-06-01";
        assert_int_equal(store_begin(W.store), 0);
        ob = oblig_request_supplement(W.store, W.cal, "police", fid, "请补充。", 5, at(asked));
        assert_true(ob > 0);
        assert_int_equal(store_commit(W.store), 0);
        oblig_format(ob, code[k]);
        calendar_due(W.cal, day(asked), 5, &due[k]);
        days_format(due[k], due_s[k]);
    }
    /* The first answered on time; the second (the same filing id, so its
     * revision 2) two weeks after its own due date. */
    r = file("H1", "44162319810808008", 3, 1, "2026-03-02", "已补充。", code[0], at(due_s[0]),
             REPLY_RECEIPT);
    assert_int_equal(r.on_time, 1);
    days_format(due[1] + 14, when);
    r = file("H1", "44162319810808008", 3, 2, "2026-03-02", "再补充。", code[1], at(when),
             REPLY_RECEIPT);
    assert_string_equal(r.due_on, due_s[1]);
    assert_int_equal(r.on_time, 0);
    assert_int_equal(matters_requests(W.store, days_start(day("2026-01-01")),
                                      days_start(day("2026-12-31")), day("2026-12-31"), &q), 0);
    assert_int_equal(q.made, 2);
    assert_int_equal(q.on_time, 1);
    assert_int_equal(q.late, 1);
    assert_int_equal(q.open, 0);
}

static void
a_notice_after_its_report_opens_no_obligation(void **state)
{
    (void)state;

    file("J1", "44162319820909009", 2, 1, "2026-03-02", "处分。", NULL, at("2026-03-04"),
         REPLY_RECEIPT);
    file("J1", "44162319820909009", 1, 1, "2026-03-02", "", NULL, at("2026-03-05"),
         REPLY_RECEIPT);
    assert_int_equal(open_report_obligations(), 0);
}

/* A database from before: an amended notice's second obligation beside the
 * first is closed as superseded when the hub starts. */
static void
obligations_nothing_can_close_are_tidied_away(void **state)
{
    sqlite3_stmt *q;
    (void)state;

    file("K1", "44162319830303003", 1, 1, "2026-03-02", "", NULL, at("2026-03-02"),
         REPLY_RECEIPT);
    /* The old code's second obligation for the same notice (the test plays
     * the old data). */
    q = store_stmt(W.store, "INSERT INTO obligations(unit, kind, filing_id, case_ref, id_number,"
                            " opened_by, opened_at, due_on) SELECT unit, kind, filing_id,"
                            " case_ref, id_number, opened_by, opened_at, due_on FROM obligations");
    assert_non_null(q);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    store_done(q);
    assert_int_equal(open_report_obligations(), 2);
    assert_int_equal(store_begin(W.store), 0);
    assert_int_equal(oblig_tidy(W.store, at("2026-03-03")), 1);
    assert_int_equal(store_commit(W.store), 0);
    assert_int_equal(open_report_obligations(), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            an_amendment_after_the_due_date_leaves_an_on_time_matter_on_time, setup, teardown),
        cmocka_unit_test_setup_teardown(a_report_after_the_due_date_is_late_by_its_working_days,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(an_early_notice_does_not_make_a_matter_on_time, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(an_amended_notice_keeps_its_one_obligation, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_report_of_another_case_does_not_close_an_obligation,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_supplement_answer_is_judged_against_its_request, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            a_complaint_verified_after_its_period_counts_once_in_its_own, setup, teardown),
        cmocka_unit_test_setup_teardown(a_later_answer_to_another_request_is_judged_on_its_own,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_notice_after_its_report_opens_no_obligation, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(obligations_nothing_can_close_are_tidied_away, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
