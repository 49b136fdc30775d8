/* test_jointreview.c — the joint review before appointment (任前联审,
 * src/hub/jointreview.h) on small cases made by hand: a review opened,
 * opinions taken through the hub's intake use case (intake_store, no
 * sockets), and the summary read back.  Expected answers, dates and
 * timeliness come from the cases and the working-day calendar. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calendar.h"
#include "categories.h"
#include "days.h"
#include "idnum.h"
#include "intake.h"
#include "jointreview.h"
#include "oblig.h"
#include "reviewdoc.h"
#include "store.h"
#include "tmpdir.h"
#include "validate.h"

struct world {
    struct tmp *tmp;
    store_t *store;
    audit_t *audit;
    calendar_t *cal;
    categories_t *cats;
    struct downtime down;
};

static struct world W;
/* Three candidates: their ID numbers get their check character in setup. */
static char id[3][19] = { "44162319851208185", "11010519491231002", "32010219800101123" };
static const char *names[3] = { "杨志明", "李红", "王强" };

static int
setup(void **state)
{
    (void)state;
    memset(&W, 0, sizeof W);
    for (int i = 0; i < 3; i++) {
        id[i][17] = idnum_check_char(id[i]);
        id[i][18] = '\0';
    }
    if (tmp_make((void **)&W.tmp, "jointreview", "hub.db") < 0 ||
        !(W.store = store_open(W.tmp->path, W.tmp->dir)) || !(W.audit = audit_new(W.store)) ||
        !(W.cal = calendar_load("deploy/calendar/cn-holidays.tsv")) ||
        !(W.cats = categories_load("deploy/categories.tsv")))
        return -1;
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

static int64_t
at(const char *day)
{
    lx_day d;
    assert_int_equal(days_parse(day, &d), 0);
    return days_start(d) + 10 * 3600;
}

/* Opens a review of the three candidates to units on day, due in days
 * working days.  Returns its id. */
static int64_t
open_review(const char *const *units, size_t nunits, int days, const char *day)
{
    struct jr_candidate c[3];
    char err[256];
    int64_t rid;

    for (int i = 0; i < 3; i++) {
        c[i] = (struct jr_candidate){ names[i], id[i], "县教育局", "科长", "副局长" };
        assert_int_equal(jointreview_check_candidate(&c[i], err, sizeof err), 0);
    }
    assert_int_equal(store_begin(W.store), 0);
    rid = jointreview_create(W.store, W.cal, "2027年第一批拟提拔科级干部",
                             LIANXI__SCOPE__SCOPE_LEADERSHIP, c, 3, units, nunits, days,
                             "op:wang", at(day));
    assert_true(rid > 0);
    assert_int_equal(store_commit(W.store), 0);
    return rid;
}

struct item { const char *id_number; int answer; const char *text, *expected_on; };

/* Sends unit's opinion (revision rev) on review rid through intake at
 * time when; the hash stands for the signed content (tag).  Returns the
 * item (its reply, receipt, reason). */
static struct intake_item
opine(const char *unit, int64_t rid, uint32_t rev, const struct item *items, size_t n,
      int64_t when, int tag)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__Opinion o = LIANXI__OPINION__INIT;
    Lianxi__OpinionItem it[8], *itp[8];
    struct intake_ctx ic = { W.store, W.audit, W.cal, W.cats, &W.down, NULL, NULL,
                             NULL, ATT_LIMITS_DEFAULT };
    struct key_entry key = { .kind = KEY_UNIT };
    struct intake_item x;
    char code[JR_CODE_LEN], oid[64];
    uint8_t sig[64] = { 0 };

    jointreview_format(rid, code);
    snprintf(oid, sizeof oid, "%s:%s", unit, code);
    snprintf(key.name, sizeof key.name, "%s", unit);
    snprintf(key.user_id, sizeof key.user_id, "unit:%s:test", unit);
    for (size_t i = 0; i < n; i++) {
        lianxi__opinion_item__init(&it[i]);
        it[i].id_number = (char *)items[i].id_number;
        it[i].answer = items[i].answer;
        it[i].text = (char *)(items[i].text ? items[i].text : "");
        it[i].expected_on = (char *)(items[i].expected_on ? items[i].expected_on : "");
        itp[i] = &it[i];
    }
    o.unit = (char *)unit;
    o.opinion_id = oid;
    o.revision = rev;
    o.review_id = code;
    o.items = itp;
    o.n_items = n;
    o.queued_at = when;
    o.signature.data = sig;
    o.signature.len = sizeof sig;
    env.body_case = LIANXI__ENVELOPE__BODY_OPINION;
    env.opinion = &o;
    memset(&x, 0, sizeof x);
    x.env = &env;
    x.key = &key;
    x.code = validate_opinion_reason(unit, &o, when, &x.reason);
    x.reply = x.code == LIANXI__REJECT_CODE__REJECT_NONE ? REPLY_RECEIPT : REPLY_REJECTION;
    memset(x.hash, tag, sizeof x.hash);
    assert_int_equal(intake_store(&ic, &x, 1, when), 0);
    x.env = NULL;
    x.key = NULL;
    return x;
}

/* The answer of unit about candidate i in the summary as of day. */
static cJSON *
answer(cJSON *sum, int i, const char *unit)
{
    cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(sum, "candidates"), i), *a;
    assert_non_null(c);
    assert_string_equal(cJSON_GetObjectItem(c, "id_number")->valuestring, id[i]);
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(c, "answers"))
        if (strcmp(cJSON_GetObjectItem(a, "unit")->valuestring, unit) == 0)
            return a;
    fail_msg("no answer of %s", unit);
    return NULL;
}

static cJSON *
summary(int64_t rid, const char *own, const char *day)
{
    int err = 0;
    cJSON *s = jointreview_summary(W.store, W.cal, rid, own, at(day), &err);
    assert_int_equal(err, 0);
    return s;
}

static const char *
str(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItem(o, k);
    return v && cJSON_IsString(v) ? v->valuestring : "";
}

static void
answers_are_kept_per_candidate_and_unit_and_missing_ones_are_unanswered(void **state)
{
    const char *units[] = { "discipline", "family_planning", "police" };
    int64_t rid;
    (void)state;

    rid = open_review(units, 3, 3, "2026-03-02");
    struct item d[] = { { id[0], 1, NULL, NULL }, { id[1], 2, "2025年诫勉谈话一次", NULL },
                        { id[2], 3, "", "2026-03-20" } };
    struct intake_item x = opine("discipline", rid, 1, d, 3, at("2026-03-03"), 1);
    assert_int_equal(x.reply, REPLY_RECEIPT);
    cJSON *s = summary(rid, NULL, "2026-03-04");
    assert_string_equal(str(answer(s, 0, "discipline"), "answer"), "none");
    assert_string_equal(str(answer(s, 1, "discipline"), "answer"), "holds");
    assert_string_equal(str(answer(s, 1, "discipline"), "text"), "2025年诫勉谈话一次");
    assert_string_equal(str(answer(s, 2, "discipline"), "answer"), "checking");
    assert_string_equal(str(answer(s, 2, "discipline"), "expected_on"), "2026-03-20");
    /* The units that did not answer are 未答复, never 无. */
    for (int i = 0; i < 3; i++) {
        assert_string_equal(str(answer(s, i, "police"), "answer"), "unanswered");
        assert_string_equal(str(answer(s, i, "police"), "answer_zh"), "未答复");
        assert_string_equal(str(answer(s, i, "family_planning"), "answer"), "unanswered");
    }
    cJSON_Delete(s);
}

static void
timeliness_is_judged_against_the_requests_due_date(void **state)
{
    const char *units[] = { "discipline", "police" };
    char due_s[LX_DATE_LEN], late_s[LX_DATE_LEN];
    lx_day due, late_day;
    int late = 0;
    int64_t rid;
    (void)state;

    rid = open_review(units, 2, 2, "2026-03-02");
    calendar_due(W.cal, days_shanghai(at("2026-03-02")), 2, &due);
    days_format(due, due_s);
    calendar_due(W.cal, due, 2, &late_day);     /* two working days after the due date */
    days_format(late_day, late_s);
    struct item all[] = { { id[0], 1, NULL, NULL }, { id[1], 1, NULL, NULL },
                          { id[2], 1, NULL, NULL } };
    struct intake_item a = opine("discipline", rid, 1, all, 3, at(due_s), 1);
    struct intake_item b = opine("police", rid, 1, all, 3, at(late_s), 2);
    assert_int_equal(a.reply, REPLY_RECEIPT);
    assert_string_equal(a.receipt.due_on, due_s);
    assert_int_equal(a.receipt.on_time, 1);
    assert_int_equal(b.reply, REPLY_RECEIPT);
    assert_int_equal(b.receipt.on_time, 0);
    calendar_workdays(W.cal, due, late_day, &late);
    assert_int_equal(b.receipt.late_days, late);
    cJSON *s = summary(rid, NULL, late_s);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(answer(s, 0, "discipline"), "on_time")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(answer(s, 2, "police"), "on_time")));
    assert_int_equal(cJSON_GetObjectItem(answer(s, 2, "police"), "late_days")->valueint, late);
    cJSON_Delete(s);
}

static void
a_revised_answer_replaces_the_answer_and_keeps_its_timeliness(void **state)
{
    const char *units[] = { "discipline" };
    char due_s[LX_DATE_LEN], after_s[LX_DATE_LEN];
    lx_day due;
    int64_t rid;
    (void)state;

    rid = open_review(units, 1, 2, "2026-03-02");
    calendar_due(W.cal, days_shanghai(at("2026-03-02")), 2, &due);
    days_format(due, due_s);
    days_format(due + 7, after_s);
    struct item r1[] = { { id[0], 3, "", "2026-03-20" } };
    struct item r2[] = { { id[0], 2, "2026年3月立案审查", NULL } };
    struct intake_item a = opine("discipline", rid, 1, r1, 1, at(due_s), 1);
    /* The same revision again is a duplicate with the original receipt;
     * other content under it is a conflict. */
    struct intake_item dup = opine("discipline", rid, 1, r1, 1, at(due_s), 1);
    struct intake_item conflict = opine("discipline", rid, 1, r2, 1, at(due_s), 9);
    struct intake_item b = opine("discipline", rid, 2, r2, 1, at(after_s), 2);
    assert_int_equal(a.reply, REPLY_RECEIPT);
    assert_true(dup.duplicate);
    assert_string_equal(dup.receipt.receipt_no, a.receipt.receipt_no);
    assert_int_equal(conflict.reply, REPLY_REJECTION);
    assert_int_equal(conflict.code, LIANXI__REJECT_CODE__REJECT_CONFLICT);
    assert_int_equal(b.reply, REPLY_RECEIPT);
    assert_string_not_equal(b.receipt.receipt_no, a.receipt.receipt_no);
    cJSON *s = summary(rid, NULL, after_s);
    cJSON *x = answer(s, 0, "discipline");
    assert_string_equal(str(x, "answer"), "holds");
    assert_string_equal(str(x, "text"), "2026年3月立案审查");
    assert_int_equal(cJSON_GetObjectItem(x, "revision")->valueint, 2);
    /* Judged on its first answer, on the due date: on time. */
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(x, "on_time")));
    assert_string_equal(str(x, "receipt_no"), b.receipt.receipt_no);
    assert_true(strlen(str(x, "revised_at")) > 0);
    cJSON_Delete(s);
}

static void
an_answer_about_a_candidate_not_asked_or_from_a_unit_not_asked_is_refused(void **state)
{
    const char *units[] = { "discipline" };
    char other[19] = "11010119900307001";
    int64_t rid;
    (void)state;

    other[17] = idnum_check_char(other);
    other[18] = '\0';
    rid = open_review(units, 1, 2, "2026-03-02");
    struct item bad[] = { { other, 1, NULL, NULL } };
    struct item good[] = { { id[0], 1, NULL, NULL } };
    struct intake_item a = opine("discipline", rid, 1, bad, 1, at("2026-03-03"), 1);
    assert_int_equal(a.reply, REPLY_REJECTION);
    assert_string_equal(a.reason.key, "review.candidate_not_asked");
    assert_non_null(strstr(a.detail, other));
    struct intake_item b = opine("police", rid, 1, good, 1, at("2026-03-03"), 1);
    assert_int_equal(b.reply, REPLY_REJECTION);
    assert_string_equal(b.reason.key, "review.not_asked");
    struct item holds[] = { { id[0], 2, "", NULL } };
    struct intake_item c = opine("discipline", rid, 1, holds, 1, at("2026-03-03"), 1);
    assert_int_equal(c.reply, REPLY_REJECTION);
    assert_string_equal(c.reason.key, "review.text_missing");
}

static void
an_id_number_with_a_lower_case_x_is_the_same_candidate(void **state)
{
    const char *units[] = { "discipline" };
    char lower[19];
    int64_t rid;
    (void)state;

    /* id[0] ends in X (its check character): the unit writes it x. */
    assert_int_equal(id[0][17], 'X');
    snprintf(lower, sizeof lower, "%s", id[0]);
    lower[17] = 'x';
    rid = open_review(units, 1, 2, "2026-03-02");
    struct item d[] = { { lower, 1, NULL, NULL } };
    struct intake_item a = opine("discipline", rid, 1, d, 1, at("2026-03-03"), 1);
    assert_int_equal(a.reply, REPLY_RECEIPT);
    cJSON *s = summary(rid, NULL, "2026-03-03");
    assert_string_equal(str(answer(s, 0, "discipline"), "answer"), "none");
    cJSON_Delete(s);
    /* Both spellings in one opinion are the same candidate twice: refused,
     * never a database error that would hold up the batch. */
    struct item twice[] = { { lower, 1, NULL, NULL }, { id[0], 1, NULL, NULL } };
    struct intake_item b = opine("discipline", rid, 2, twice, 2, at("2026-03-03"), 2);
    assert_int_equal(b.reply, REPLY_REJECTION);
    assert_string_equal(b.reason.key, "review.candidate_twice");
}

static void
a_member_sees_only_reviews_sent_to_its_unit_and_its_own_answers(void **state)
{
    const char *units[] = { "discipline", "police" };
    int64_t r1, r2;
    (void)state;

    r1 = open_review(units, 2, 2, "2026-03-02");
    r2 = open_review(units, 1, 2, "2026-03-02");    /* discipline only */
    cJSON *s = summary(r1, "police", "2026-03-03");
    assert_non_null(s);
    cJSON *c0 = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "candidates"), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(c0, "answers")), 1);
    cJSON_Delete(s);
    int err = 0;
    assert_null(jointreview_summary(W.store, W.cal, r2, "police", at("2026-03-03"), &err));
    assert_int_equal(err, 0);
    cJSON *l = jointreview_list(W.store, "police");
    assert_int_equal(cJSON_GetArraySize(l), 1);
    cJSON_Delete(l);
    l = jointreview_list(W.store, NULL);
    assert_int_equal(cJSON_GetArraySize(l), 2);
    cJSON_Delete(l);
}

struct msgs {
    int requests, reminders;
    char review[JR_CODE_LEN];
};

static int
count_msg(void *arg, const Lianxi__HubMessage *m)
{
    struct msgs *c = arg;
    if (m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_REVIEW_REQUEST)
        c->requests++;
    if (m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_REMINDER)
        c->reminders++;
    snprintf(c->review, sizeof c->review, "%s", m->review_id ? m->review_id : "");
    return 0;
}

static void
the_units_obligation_closes_when_every_candidate_is_answered_and_reminders_name_it(void **state)
{
    const char *units[] = { "discipline", "police" };
    char code[JR_CODE_LEN], before_s[LX_DATE_LEN];
    lx_day due, before;
    int open = 0;
    int64_t rid, ob;
    struct msgs m = { 0 };
    (void)state;

    rid = open_review(units, 2, 3, "2026-03-02");
    jointreview_format(rid, code);
    calendar_due(W.cal, days_shanghai(at("2026-03-02")), 3, &due);
    /* The working day before the due date: a reminder to the unit that has
     * not answered every candidate. */
    for (before = due - 1; !calendar_is_workday(W.cal, before); before--)
        ;
    days_format(before, before_s);
    struct item two[] = { { id[0], 1, NULL, NULL }, { id[1], 1, NULL, NULL } };
    struct item three[] = { { id[0], 1, NULL, NULL }, { id[1], 1, NULL, NULL },
                            { id[2], 1, NULL, NULL } };
    opine("discipline", rid, 1, two, 2, at("2026-03-02"), 1);
    ob = oblig_review_of(W.store, "discipline", code, &open);
    assert_true(ob > 0);
    assert_int_equal(open, 1);
    opine("police", rid, 1, three, 3, at("2026-03-02"), 2);
    ob = oblig_review_of(W.store, "police", code, &open);
    assert_true(ob > 0);
    assert_int_equal(open, 0);
    assert_int_equal(store_begin(W.store), 0);
    assert_int_equal(oblig_remind(W.store, W.cal, at(before_s)), 1);
    assert_int_equal(store_commit(W.store), 0);
    assert_int_equal(oblig_pending(W.store, "discipline", at(before_s) + 1, count_msg, &m), 2);
    assert_int_equal(m.requests, 1);
    assert_int_equal(m.reminders, 1);
    assert_string_equal(m.review, code);
    /* A filing naming the review's obligation (a supplement answer, say)
     * is refused: only the unit's opinion closes it. */
    {
        char obcode[OBLIG_CODE_LEN];
        struct reason r;
        Lianxi__Filing f = LIANXI__FILING__INIT;
        oblig_format(oblig_review_of(W.store, "discipline", code, &open), obcode);
        assert_int_equal(open, 1);
        f.stage = LIANXI__STAGE__STAGE_SUPPLEMENT;
        f.answers = obcode;
        memset(&r, 0, sizeof r);
        assert_int_equal(oblig_check_answer(W.store, "discipline", &f, &r), 1);
        assert_string_equal(r.key, "obligation.review");
    }
    /* The unit answers the last candidate: its obligation closes. */
    opine("discipline", rid, 2, three, 3, at(before_s), 3);
    oblig_review_of(W.store, "discipline", code, &open);
    assert_int_equal(open, 0);
}

static void
the_summary_table_names_every_answer_and_escapes_what_units_wrote(void **state)
{
    const char *units[] = { "discipline", "police" };
    char err[256], *html = NULL, *md = NULL;
    size_t len = 0;
    int64_t rid;
    (void)state;

    rid = open_review(units, 2, 2, "2026-03-02");
    struct item d[] = { { id[0], 2, "<script>alert(1)</script>受到诫勉", NULL },
                        { id[1], 1, NULL, NULL }, { id[2], 3, "", "2026-03-20" } };
    assert_int_equal(opine("discipline", rid, 1, d, 3, at("2026-03-03"), 1).reply,
                     REPLY_RECEIPT);
    cJSON *s = summary(rid, NULL, "2026-03-09");
    assert_int_equal(reviewdoc_render(s, "html", "连平县", at("2026-03-09"), &html, &len, err,
                                      sizeof err), 0);
    assert_non_null(strstr(html, "联审意见汇总表"));
    assert_non_null(strstr(html, "中共连平县委组织部干部监督组"));
    assert_null(strstr(html, "<script>"));
    assert_non_null(strstr(html, "&lt;script&gt;"));
    assert_non_null(strstr(html, "核查中（预计 2026-03-20 答复）"));
    /* The police never answered: 未答复, overdue, once per candidate. */
    int unanswered = 0;
    for (const char *p = html; (p = strstr(p, "未答复")); p++)
        unanswered++;
    assert_true(unanswered >= 3);
    assert_non_null(strstr(html, "已逾期"));
    assert_int_equal(reviewdoc_render(s, "md", NULL, at("2026-03-09"), &md, &len, err,
                                      sizeof err), 0);
    assert_non_null(strstr(md, "| 县公安局 | 未答复 |"));
    free(html);
    free(md);
    cJSON_Delete(s);
}

static void
the_briefing_figures_count_reviews_candidates_and_answers(void **state)
{
    const char *units[] = { "discipline", "police", "family_planning" };
    char due_s[LX_DATE_LEN], late_s[LX_DATE_LEN];
    struct jr_figures f;
    lx_day due;
    (void)state;

    int64_t rid = open_review(units, 3, 2, "2026-03-02");
    calendar_due(W.cal, days_shanghai(at("2026-03-02")), 2, &due);
    days_format(due, due_s);
    days_format(due + 7, late_s);
    struct item d[] = { { id[0], 2, "受到诫勉", NULL }, { id[1], 1, NULL, NULL },
                        { id[2], 1, NULL, NULL } };
    struct item p[] = { { id[0], 2, "酒驾", NULL }, { id[1], 1, NULL, NULL } };
    opine("discipline", rid, 1, d, 3, at(due_s), 1);
    opine("police", rid, 1, p, 2, at(late_s), 2);
    assert_int_equal(jointreview_figures(W.store, W.cal, at("2026-03-01"), at("2026-04-01"),
                                         due + 10, &f), 0);
    assert_int_equal(f.reviews, 1);
    assert_int_equal(f.candidates, 3);
    assert_int_equal(f.asked, 9);
    assert_int_equal(f.on_time, 3);
    assert_int_equal(f.late, 2);
    assert_int_equal(f.unanswered, 4);      /* family planning 3, the police 1 */
    assert_int_equal(f.reported, 1);        /* the same candidate from two units */
    /* A period without reviews counts none. */
    assert_int_equal(jointreview_figures(W.store, W.cal, at("2026-04-01"), at("2026-05-01"),
                                         due + 40, &f), 0);
    assert_int_equal(f.reviews, 0);
    assert_int_equal(f.asked, 0);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(answers_are_kept_per_candidate_and_unit_and_missing_ones_are_unanswered),
        T(timeliness_is_judged_against_the_requests_due_date),
        T(a_revised_answer_replaces_the_answer_and_keeps_its_timeliness),
        T(an_answer_about_a_candidate_not_asked_or_from_a_unit_not_asked_is_refused),
        T(an_id_number_with_a_lower_case_x_is_the_same_candidate),
        T(a_member_sees_only_reviews_sent_to_its_unit_and_its_own_answers),
        T(the_units_obligation_closes_when_every_candidate_is_answered_and_reminders_name_it),
        T(the_summary_table_names_every_answer_and_escapes_what_units_wrote),
        T(the_briefing_figures_count_reviews_candidates_and_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
