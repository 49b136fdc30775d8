/* test_control.c — the operators' requests without the socket
 * (control_handle): what a refusal says, and how listings page, filter and
 * count over filings filed here through the intake use case.  Expected
 * values come from what each test filed, never from the database. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "calendar.h"
#include "categories.h"
#include "clock.h"
#include "control.h"
#include "days.h"
#include "idnum.h"
#include "intake.h"
#include "meeting.h"
#include "oblig.h"
#include "review.h"
#include "store.h"
#include "text.h"
#include "tmpdir.h"

static struct tmp *tmp;
static store_t *store;
static audit_t *audit;
static categories_t *cats;
static calendar_t *cal;

static int
setup(void **state)
{
    (void)state;
    return tmp_make((void **)&tmp, "control", "hub.db") < 0 ||
                   !(store = store_open(tmp->path, tmp->dir)) || !(audit = audit_new(store)) ||
                   !(cats = categories_load("deploy/categories.tsv")) ||
                   !(cal = calendar_load("deploy/calendar/cn-holidays.tsv"))
               ? -1 : 0;
}

static int
teardown(void **state)
{
    (void)state;
    categories_destroy(&cats);
    calendar_destroy(&cal);
    audit_destroy(&audit);
    store_close(&store);
    /* What the store keeps beside the database (tmp_teardown removes the
     * database and the directory). */
    char p[160];
    snprintf(p, sizeof p, "%s/database.identity", tmp->dir);
    unlink(p);
    void *t = tmp;
    return tmp_teardown(&t);
}

/* The reply to `COMMAND --KEY VALUE` from a supervisor (an auditor for
 * audit-log): a refusal, whose sentence is returned (static). */
static const char *
refusal_of(const char *command, const char *key, const char *value)
{
    static char error[1024];
    struct control_ctx c = { store, audit, cal, cats, NULL, NULL, NULL, NULL, NULL, 0, NULL,
                             NULL, 0, 0 };
    struct key_entry op = { .kind = KEY_OPERATOR };
    Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
    Lianxi__OpRequest__ParamsEntry p = LIANXI__OP_REQUEST__PARAMS_ENTRY__INIT, *pp = &p;
    struct control_reply out;
    struct control_job job;

    snprintf(op.name, sizeof op.name, "wang");
    snprintf(op.role, sizeof op.role, "%s",
             strncmp(command, "audit", 5) == 0 ? "auditor" : "supervisor");
    snprintf(op.user_id, sizeof op.user_id, "op:wang:test");
    p.key = (char *)key;
    p.value = (char *)value;
    req.request_id = 7;
    req.command = (char *)command;
    req.n_params = 1;
    req.params = &pp;
    memset(&out, 0, sizeof out);
    assert_int_equal(control_handle(&c, &op, &req, &out, &job), CONTROL_ANSWERED);
    assert_false(out.rep.ok);
    assert_int_equal(out.rep.error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    snprintf(error, sizeof error, "%s", out.rep.error);
    control_reply_free(&out);
    return error;
}

static const char *
refusal(const char *key, const char *value)
{
    return refusal_of("filings", key, value);
}

/* A refused value is echoed: the reply is valid UTF-8 even when the value
 * is not, or is cut inside a character (found by tests/fuzz/fuzz_control,
 * tests/fuzz/regress/fuzz_control/category-not-utf8). */
static void
a_refusal_echoing_bytes_that_are_not_utf8_is_utf8(void **state)
{
    const char *e;
    (void)state;

    e = refusal("category", "police.drunk_drivi\xf0g");
    assert_true(text_utf8_valid(e, strlen(e)));
    assert_non_null(strstr(e, "'police.drunk_drivi?g'"));
    /* 14 characters of 3 bytes: the echo stops at 40 bytes, inside one. */
    e = refusal("unit", "县公安局县公安局县公安局县公");
    assert_true(text_utf8_valid(e, strlen(e)));
    e = refusal("since", "２０２６年十一月二十二日以来的全部备案");
    assert_true(text_utf8_valid(e, strlen(e)));
}

/* 10:00 in Asia/Shanghai on a day. */
static int64_t
at(const char *d)
{
    lx_day v;
    assert_int_equal(days_parse(d, &v), 0);
    return days_start(v) + 10 * 3600;
}

static lx_day
day(const char *d)
{
    lx_day v;
    assert_int_equal(days_parse(d, &v), 0);
    return v;
}

static int64_t
at_day(lx_day d)
{
    return days_start(d) + 10 * 3600;
}

/* How many days before its receipt a filing's situation was learned:
 * long before, so that reports come late, unless a test says otherwise. */
static int learned_back = 30;

/* Files one police filing about case ref and cadre name (ID number id17
 * and its check character, rank) through intake, received at when;
 * answers names the obligation a supplement answers ("" none).  The
 * filing id goes to fid (128 bytes) when not NULL.  Returns the receipt. */
static struct receipt_info
file(const char *ref, const char *name, const char *id17, int rank, int stage,
     uint32_t revision, const char *answers, int64_t when, char *fid)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre c = LIANXI__CADRE__INIT;
    static struct downtime down;
    struct key_entry key = { .kind = KEY_UNIT };
    struct intake_ctx ic = { store, audit, cal, cats, &down, NULL, NULL,
                             NULL, ATT_LIMITS_DEFAULT, 0 };
    struct intake_item it;
    char id[19], filing_id[128], learned[LX_DATE_LEN];
    uint8_t sig[64] = { 0 };

    snprintf(key.name, sizeof key.name, "police");
    snprintf(key.user_id, sizeof key.user_id, "unit:police:test");
    memcpy(id, id17, 17);
    id[17] = idnum_check_char(id17);
    id[18] = '\0';
    snprintf(filing_id, sizeof filing_id, "police:%s:%d:%s", ref, stage, id);
    if (fid)
        snprintf(fid, 128, "%s", filing_id);
    days_format(days_shanghai(when) - learned_back, learned);
    c.name = (char *)name;
    c.id_number = id;
    c.work_unit = "县教育局";
    c.post = "科长";
    c.rank = rank;
    f.unit = key.name;
    f.filing_id = filing_id;
    f.revision = revision;
    f.stage = stage;
    f.category = "police.drunk_driving";
    f.cadre = &c;
    f.learned_on = learned;
    f.summary = stage == LIANXI__STAGE__STAGE_SUPPLEMENT ? "补充材料。" : "醉酒驾驶。";
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
    it.key = &key;
    it.reply = REPLY_RECEIPT;
    memset(it.hash, (int)revision, sizeof it.hash);
    memcpy(it.hash + 1, ref, strlen(ref) < 16 ? strlen(ref) : 16);
    it.hash[0] = (uint8_t)stage;
    assert_int_equal(intake_store(&ic, &it, 1, when), 0);
    assert_int_equal(it.reply, REPLY_RECEIPT);
    return it.receipt;
}

/* Runs command as operator name (its role; user id "op:NAME:test") with
 * the parameters given as key, value, …, NULL.  The reply is in out
 * (release with control_reply_free). */
static Lianxi__OpReply *
ask(struct control_reply *out, const char *name, const char *role, const char *command, ...)
{
    struct control_ctx c = { store, audit, cal, cats, NULL, NULL, NULL, NULL, NULL, 0, NULL,
                             NULL, 0, 0 };
    struct key_entry op = { .kind = KEY_OPERATOR };
    Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
    Lianxi__OpRequest__ParamsEntry p[12], *pp[12];
    struct control_job job;
    const char *k;
    va_list ap;
    size_t n = 0;

    snprintf(op.name, sizeof op.name, "%s", name);
    snprintf(op.role, sizeof op.role, "%s", role);
    snprintf(op.user_id, sizeof op.user_id, "op:%s:test", name);
    va_start(ap, command);
    while ((k = va_arg(ap, const char *)) && n < 12) {
        lianxi__op_request__params_entry__init(&p[n]);
        p[n].key = (char *)k;
        p[n].value = va_arg(ap, char *);
        pp[n] = &p[n];
        n++;
    }
    va_end(ap);
    req.request_id = 1;
    req.command = (char *)command;
    req.n_params = n;
    req.params = pp;
    memset(out, 0, sizeof *out);
    assert_int_equal(control_handle(&c, &op, &req, out, &job), CONTROL_ANSWERED);
    return &out->rep;
}

#define NFILED 7
/* The cadres' ranks of the filings the listing tests file, in order. */
static const int ranks[NFILED] = { 1, 2, 3, 4, 5, 6, 1 };
static char receipts[NFILED][24];

/* Files NFILED reports, one a day from 2026-03-02, each of another case
 * and cadre, with ranks[i]; keeps their receipt numbers. */
static void
file_listing(void)
{
    for (int i = 0; i < NFILED; i++) {
        char ref[16], id17[18];
        snprintf(ref, sizeof ref, "L%d", i + 1);
        snprintf(id17, sizeof id17, "44162319800101%03d", 100 + i);
        struct receipt_info r = file(ref, "杨志明", id17, ranks[i], LIANXI__STAGE__STAGE_REPORT,
                                     1, NULL, at_day(day("2026-03-02") + i), NULL);
        snprintf(receipts[i], sizeof receipts[i], "%s", r.receipt_no);
    }
}

static void
filings_page_through_with_offset_and_count_all_that_match(void **state)
{
    struct control_reply out;
    Lianxi__OpReply *r;
    (void)state;

    file_listing();
    for (int off = 0; off <= 9; off += 3) {
        char o[8];
        size_t expect = off >= NFILED ? 0 : NFILED - off < 3 ? (size_t)(NFILED - off) : 3;
        snprintf(o, sizeof o, "%d", off);
        r = ask(&out, "wang", "supervisor", "filings", "limit", "3", "offset", o, NULL);
        assert_true(r->ok);
        assert_int_equal(r->count, NFILED);
        assert_int_equal(r->n_filings, expect);
        for (size_t k = 0; k < r->n_filings; k++)
            assert_string_equal(r->filings[k]->receipt_no, receipts[off + (int)k]);
        control_reply_free(&out);
    }
}

/* A dossier longer than the rows handed out says how many there are in
 * all (nothing is cut silently). */
static void
a_long_dossier_counts_all_it_holds(void **state)
{
    struct control_reply out;
    Lianxi__OpReply *r;
    char id[19];
    (void)state;

    for (int i = 0; i < 1003; i++) {
        char ref[16];
        snprintf(ref, sizeof ref, "D%d", i);
        file(ref, "黄建军", "44162319800101300", 1, LIANXI__STAGE__STAGE_REPORT, 1, NULL,
             at_day(day("2026-03-02")), NULL);
    }
    memcpy(id, "44162319800101300", 17);
    id[17] = idnum_check_char(id);
    id[18] = 0;
    r = ask(&out, "wang", "supervisor", "dossier", "id_number", id, NULL);
    assert_true(r->ok);
    assert_int_equal(r->count, 1003);
    assert_true(r->n_filings < 1003);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "dossier", "name", "建军", NULL);
    assert_true(r->ok);
    assert_int_equal(r->count, 1);          /* one person */
    control_reply_free(&out);
}

/* A flag of "0" (a form's unchecked box) is not set; anything but 1, 0 or
 * nothing is refused. */
static void
a_flag_of_0_is_not_set(void **state)
{
    struct control_reply out;
    Lianxi__OpReply *r;
    (void)state;

    file_listing();                 /* NFILED late */
    learned_back = 0;
    file("T1", "巫海波", "44162319800101200", 1, LIANXI__STAGE__STAGE_REPORT, 1, NULL,
         at_day(day("2026-04-01")), NULL);
    learned_back = 30;
    r = ask(&out, "wang", "supervisor", "filings", "late", "1", NULL);
    assert_true(r->ok);
    assert_int_equal(r->count, NFILED);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "filings", "late", "0", NULL);
    assert_true(r->ok);
    assert_int_equal(r->count, NFILED + 1);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "filings", "late", "", NULL);
    assert_int_equal(r->count, NFILED + 1);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "filings", "late", "yes", NULL);
    assert_false(r->ok);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    control_reply_free(&out);
}

static void
filings_newest_first_on_request_oldest_first_by_default(void **state)
{
    struct control_reply out;
    Lianxi__OpReply *r;
    (void)state;

    file_listing();
    r = ask(&out, "wang", "supervisor", "filings", "order", "newest", "limit", "2", NULL);
    assert_true(r->ok);
    assert_int_equal(r->count, NFILED);
    assert_int_equal(r->n_filings, 2);
    assert_string_equal(r->filings[0]->receipt_no, receipts[NFILED - 1]);
    assert_string_equal(r->filings[1]->receipt_no, receipts[NFILED - 2]);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "filings", "order", "newest", "limit", "2", "offset",
            "6", NULL);
    assert_int_equal(r->n_filings, 1);
    assert_string_equal(r->filings[0]->receipt_no, receipts[0]);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "filings", NULL);
    assert_int_equal(r->n_filings, NFILED);
    assert_string_equal(r->filings[0]->receipt_no, receipts[0]);
    control_reply_free(&out);
}

/* How many of the filed ranks lie in [lo, hi]. */
static uint64_t
ranks_in(int lo, int hi)
{
    uint64_t n = 0;
    for (int i = 0; i < NFILED; i++)
        n += ranks[i] >= lo && ranks[i] <= hi;
    return n;
}

static void
filings_filter_by_rank_and_review_state(void **state)
{
    static const struct { const char *word; int lo, hi; } words[] = {
        { "clerk", 1, 1 }, { "deputy_section", 2, 2 }, { "section", 3, 3 },
        { "deputy_division", 4, 4 }, { "division", 5, 5 }, { "bureau", 6, 6 },
        { "above", 2, 6 },
    };
    struct control_reply out;
    Lianxi__OpReply *r;
    (void)state;

    file_listing();
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        r = ask(&out, "wang", "supervisor", "filings", "rank", words[w].word, NULL);
        assert_true(r->ok);
        assert_int_equal(r->count, ranks_in(words[w].lo, words[w].hi));
        assert_int_equal(r->n_filings, r->count);
        for (size_t k = 0; k < r->n_filings; k++) {
            assert_true((int)r->filings[k]->cadre->rank >= words[w].lo);
            assert_true((int)r->filings[k]->cadre->rank <= words[w].hi);
        }
        control_reply_free(&out);
    }
    /* The inbox: unreviewed, newest first; a review takes one out. */
    r = ask(&out, "wang", "supervisor", "filings", "status", "unreviewed", NULL);
    assert_int_equal(r->count, NFILED);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "review", "id", receipts[NFILED - 1], "action", "accept",
            NULL);
    assert_true(r->ok);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "filings", "status", "unreviewed", "order", "newest",
            "limit", "1", NULL);
    assert_int_equal(r->count, NFILED - 1);
    assert_int_equal(r->n_filings, 1);
    assert_string_equal(r->filings[0]->receipt_no, receipts[NFILED - 2]);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "filings", "status", "accepted", NULL);
    assert_int_equal(r->count, 1);
    assert_string_equal(r->filings[0]->receipt_no, receipts[NFILED - 1]);
    control_reply_free(&out);
    /* Filters combine: ranks[NFILED - 1] is a clerk, reviewed now. */
    r = ask(&out, "wang", "supervisor", "filings", "status", "unreviewed", "rank", "clerk", NULL);
    assert_int_equal(r->count, ranks_in(1, 1) - 1);
    control_reply_free(&out);
}

/* The object the newest audit entry of an action prefix holds (static). */
static const char *
last_object(const char *action)
{
    static char obj[256];
    struct control_reply out;
    Lianxi__OpReply *r = ask(&out, "zhao", "auditor", "audit-log", "action", action, "limit",
                             "1", NULL);
    assert_true(r->ok);
    assert_int_equal(r->n_entries, 1);
    snprintf(obj, sizeof obj, "%s", r->entries[0]->object);
    control_reply_free(&out);
    return obj;
}

static void
audit_log_filters_by_actor_action_and_day_and_counts_all(void **state)
{
    struct control_reply out;
    Lianxi__OpReply *r;
    uint64_t seq[3];
    char yesterday[LX_DATE_LEN], today[LX_DATE_LEN];
    (void)state;

    days_format(days_shanghai(clock_now()) - 1, yesterday);
    days_format(days_shanghai(clock_now()), today);
    for (int i = 0; i < 3; i++) {
        ask(&out, "wang", "supervisor", "filings", NULL);
        control_reply_free(&out);
    }
    for (int i = 0; i < 2; i++) {
        ask(&out, "li", "convener", "filings", "rank", "above", "offset", "1", NULL);
        control_reply_free(&out);
    }
    /* What the listing was asked for is in its entry. */
    assert_non_null(strstr(last_object("read:filings"), "rank=above"));
    assert_non_null(strstr(last_object("read:filings"), "offset=1"));

    r = ask(&out, "zhao", "auditor", "audit-log", "actor", "op:li:", NULL);
    assert_true(r->ok);
    assert_int_equal(r->count, 2);
    assert_int_equal(r->n_entries, 2);
    for (size_t k = 0; k < r->n_entries; k++)
        assert_string_equal(r->entries[k]->action, "read:filings");
    control_reply_free(&out);
    r = ask(&out, "zhao", "auditor", "audit-log", "action", "read:fil", NULL);
    assert_int_equal(r->count, 5);
    control_reply_free(&out);
    /* An action is matched from its beginning only. */
    r = ask(&out, "zhao", "auditor", "audit-log", "action", "filings", NULL);
    assert_int_equal(r->count, 0);
    assert_int_equal(r->n_entries, 0);
    control_reply_free(&out);

    /* Paging: the newest first, each page in the trail's order. */
    r = ask(&out, "zhao", "auditor", "audit-log", "actor", "op:wang:", NULL);
    assert_int_equal(r->count, 3);
    assert_int_equal(r->n_entries, 3);
    for (size_t k = 0; k < 3; k++)
        seq[k] = r->entries[k]->seq;
    assert_true(seq[0] < seq[1] && seq[1] < seq[2]);
    control_reply_free(&out);
    r = ask(&out, "zhao", "auditor", "audit-log", "actor", "op:wang:", "limit", "1", NULL);
    assert_int_equal(r->count, 3);
    assert_int_equal(r->n_entries, 1);
    assert_int_equal(r->entries[0]->seq, seq[2]);
    control_reply_free(&out);
    r = ask(&out, "zhao", "auditor", "audit-log", "actor", "op:wang:", "limit", "2", "offset",
            "1", NULL);
    assert_int_equal(r->count, 3);
    assert_int_equal(r->n_entries, 2);
    assert_int_equal(r->entries[0]->seq, seq[0]);
    assert_int_equal(r->entries[1]->seq, seq[1]);
    control_reply_free(&out);
    r = ask(&out, "zhao", "auditor", "audit-log", "actor", "op:wang:", "offset", "3", NULL);
    assert_true(r->ok);
    assert_int_equal(r->count, 3);
    assert_int_equal(r->n_entries, 0);
    control_reply_free(&out);
    {
        /* (Asking records an audit:log entry of its own: one look.) */
        const char *obj = last_object("audit:log");
        assert_non_null(strstr(obj, "actor=op:wang: "));
        assert_non_null(strstr(obj, "offset=3"));
    }

    /* Days: everything here was recorded today. */
    r = ask(&out, "zhao", "auditor", "audit-log", "actor", "op:wang:", "until", yesterday, NULL);
    assert_int_equal(r->count, 0);
    control_reply_free(&out);
    r = ask(&out, "zhao", "auditor", "audit-log", "actor", "op:wang:", "since", today, "until",
            today, NULL);
    assert_int_equal(r->count, 3);
    control_reply_free(&out);
    r = ask(&out, "zhao", "auditor", "audit-log", "since", today, "until", yesterday, NULL);
    assert_false(r->ok);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    control_reply_free(&out);
}

/* Opens a supplement request about fid made on day d (as `review … supplement`
 * does, on another day than today).  Returns the obligation. */
static int64_t
request_on(const char *fid, lx_day d)
{
    char receipt[24];
    int64_t ob;

    assert_int_equal(store_begin(store), 0);
    ob = oblig_request_supplement(store, cal, "police", fid, "请补充决定书。", 5, at_day(d));
    assert_true(ob > 0);
    assert_int_equal(review_add(store, at_day(d), "wang", "police", fid, "supplement",
                                "请补充决定书。", ob, receipt), 0);
    assert_int_equal(store_commit(store), 0);
    return ob;
}

static void
show_holds_each_supplement_request_with_its_due_date_state_and_answers(void **state)
{
    struct control_reply out;
    Lianxi__OpReply *r;
    struct receipt_info rep, a1, a2;
    char fid[128], code1[OBLIG_CODE_LEN], code2[OBLIG_CODE_LEN];
    char due1_s[LX_DATE_LEN], due2_s[LX_DATE_LEN], due3_s[LX_DATE_LEN];
    lx_day due1, due2, due3, today = days_shanghai(clock_now());
    int over2;
    (void)state;

    rep = file("S1", "杨志明", "44162319800101100", 3, LIANXI__STAGE__STAGE_REPORT, 1, NULL,
               at("2025-03-03"), fid);
    /* Answered on its due date, and once more later. */
    oblig_format(request_on(fid, day("2025-03-04")), code1);
    calendar_due(cal, day("2025-03-04"), 5, &due1);
    days_format(due1, due1_s);
    a1 = file("S1", "杨志明", "44162319800101100", 3, LIANXI__STAGE__STAGE_SUPPLEMENT, 1, code1,
              at_day(due1), NULL);
    a2 = file("S1", "杨志明", "44162319800101100", 3, LIANXI__STAGE__STAGE_SUPPLEMENT, 2, code1,
              at_day(due1 + 7), NULL);
    /* Never answered: overdue. */
    oblig_format(request_on(fid, day("2025-04-01")), code2);
    calendar_due(cal, day("2025-04-01"), 5, &due2);
    days_format(due2, due2_s);
    calendar_workdays(cal, due2, today, &over2);
    /* Asked today through the command: open. */
    r = ask(&out, "wang", "supervisor", "review", "id", rep.receipt_no, "action", "supplement",
            "text", "请补充笔录。", NULL);
    assert_true(r->ok);
    control_reply_free(&out);
    calendar_due(cal, today, 5, &due3);
    days_format(due3, due3_s);

    r = ask(&out, "wang", "supervisor", "show", "id", rep.receipt_no, NULL);
    assert_true(r->ok);
    /* The revision, then both answers in the order received. */
    assert_int_equal(r->n_filings, 3);
    assert_string_equal(r->filings[0]->receipt_no, rep.receipt_no);
    assert_string_equal(r->filings[1]->receipt_no, a1.receipt_no);
    assert_string_equal(r->filings[1]->answers, code1);
    assert_int_equal(r->filings[1]->received_at, at_day(due1));
    assert_string_equal(r->filings[2]->receipt_no, a2.receipt_no);
    assert_string_equal(r->filings[2]->answers, code1);
    assert_int_equal(r->n_reviews, 3);
    assert_string_equal(r->reviews[0]->obligation, code1);
    assert_int_equal(r->reviews[0]->at, at("2025-03-04"));
    assert_string_equal(r->reviews[0]->due_on, due1_s);
    assert_string_equal(r->reviews[0]->state, "answered");
    assert_int_equal(r->reviews[0]->answered_at, at_day(due1));
    assert_string_equal(r->reviews[0]->answered_by, a1.receipt_no);
    assert_int_equal(r->reviews[0]->overdue_days, 0);
    assert_string_equal(r->reviews[1]->obligation, code2);
    assert_string_equal(r->reviews[1]->due_on, due2_s);
    assert_string_equal(r->reviews[1]->state, "overdue");
    assert_int_equal(r->reviews[1]->overdue_days, over2);
    assert_int_equal(r->reviews[1]->answered_at, 0);
    assert_string_equal(r->reviews[1]->answered_by, "");
    assert_string_equal(r->reviews[2]->due_on, due3_s);
    assert_string_equal(r->reviews[2]->state, "open");
    control_reply_free(&out);
}

/* A number of the board's JSON object o at key. */
static long
num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    assert_non_null(v);
    return (long)v->valuedouble;
}

static void
overdue_json_pages_open_obligations_and_counts_each_list(void **state)
{
    static const char *const names[3] = { "甲一", "乙二", "丙三" };
    struct receipt_info rec[3];
    char code[3][OBLIG_CODE_LEN];
    struct control_reply out;
    Lianxi__OpReply *r;
    cJSON *j, *open, *o;
    (void)state;

    /* Three late reports, each with a request made a day after the one
     * before: the requests fall due in that order. */
    for (int i = 0; i < 3; i++) {
        char ref[8], id17[18], fid[128];
        snprintf(ref, sizeof ref, "O%d", i + 1);
        snprintf(id17, sizeof id17, "44162319800201%03d", 200 + i);
        rec[i] = file(ref, names[i], id17, 2, LIANXI__STAGE__STAGE_REPORT, 1, NULL,
                      at("2025-05-05"), fid);
        oblig_format(request_on(fid, day("2025-05-06") + i), code[i]);
    }
    r = ask(&out, "wang", "supervisor", "overdue", "since", "2025-01-01", "limit", "1",
            "offset", "1", "json", "1", NULL);
    assert_true(r->ok);
    assert_non_null(j = cJSON_Parse(r->text));
    assert_int_equal(num(cJSON_GetObjectItem(j, "totals"), "open_obligations"), 3);
    assert_int_equal(num(cJSON_GetObjectItem(j, "totals"), "late_matters"), 3);
    assert_int_equal(num(cJSON_GetObjectItem(j, "totals"), "timeliness"), LX_NUNITS);
    assert_int_equal(num(j, "offset"), 1);
    assert_int_equal(num(j, "limit"), 1);
    open = cJSON_GetObjectItem(j, "open_obligations");
    assert_int_equal(cJSON_GetArraySize(open), 1);
    o = cJSON_GetArrayItem(open, 0);
    assert_string_equal(cJSON_GetObjectItem(o, "obligation")->valuestring, code[1]);
    assert_string_equal(cJSON_GetObjectItem(o, "receipt_no")->valuestring, rec[1].receipt_no);
    assert_string_equal(cJSON_GetObjectItem(o, "cadre_name")->valuestring, names[1]);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "late_matters")), 1);
    cJSON_Delete(j);
    control_reply_free(&out);
    /* Without a limit the JSON lists all, as before. */
    r = ask(&out, "wang", "supervisor", "overdue", "since", "2025-01-01", "json", "1", NULL);
    assert_non_null(j = cJSON_Parse(r->text));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "open_obligations")), 3);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "late_matters")), 3);
    assert_null(cJSON_GetObjectItem(j, "limit"));
    cJSON_Delete(j);
    control_reply_free(&out);
    /* The text pages the same way and says what is left. */
    r = ask(&out, "wang", "supervisor", "overdue", "since", "2025-01-01", "limit", "1",
            "offset", "1", NULL);
    assert_true(r->ok);
    assert_null(strstr(r->text, code[0]));
    assert_non_null(strstr(r->text, code[1]));
    assert_null(strstr(r->text, code[2]));
    control_reply_free(&out);
}

static void
meeting_list_counts_the_meetings(void **state)
{
    struct control_reply out;
    Lianxi__OpReply *r;
    (void)state;

    for (int i = 0; i < 2; i++) {
        r = ask(&out, "zhou", "convener", "meeting-create", "date", i ? "2026-12-20" : "2026-06-20",
                "kind", "adhoc", "from", "2026-01-01", "to", "2026-05-31", NULL);
        assert_true(r->ok);
        control_reply_free(&out);
    }
    r = ask(&out, "zhou", "convener", "meeting-list", NULL);
    assert_true(r->ok);
    assert_int_equal(r->count, 2);
    control_reply_free(&out);
}

/* The briefing a convener asks for, as the job the hub runs off its loop
 * (the parameters as key, value, …, NULL), with the county's name and
 * [unit-names] as the hub passes them.  Returns what control_handle
 * returned; the reply is released. */
static int
brief_job(struct control_job *job, const char *const *unit_names, ...)
{
    struct control_ctx c = { store, audit, cal, cats, NULL, NULL, NULL, "某某县", unit_names, 0,
                             NULL, NULL, 0, 0 };
    struct key_entry op = { .kind = KEY_OPERATOR };
    Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
    Lianxi__OpRequest__ParamsEntry p[12], *pp[12];
    struct control_reply out;
    const char *k;
    va_list ap;
    size_t n = 0;
    int rc;

    snprintf(op.name, sizeof op.name, "zhou");
    snprintf(op.role, sizeof op.role, "convener");
    snprintf(op.user_id, sizeof op.user_id, "op:zhou:test");
    va_start(ap, unit_names);
    while ((k = va_arg(ap, const char *)) && n < 12) {
        lianxi__op_request__params_entry__init(&p[n]);
        p[n].key = (char *)k;
        p[n].value = va_arg(ap, char *);
        pp[n] = &p[n];
        n++;
    }
    va_end(ap);
    req.request_id = 3;
    req.command = "brief";
    req.n_params = n;
    req.params = pp;
    memset(&out, 0, sizeof out);
    rc = control_handle(&c, &op, &req, &out, job);
    control_reply_free(&out);
    return rc;
}

static size_t
unit_index(const char *code)
{
    const struct lx_unit *u = units_find(code);
    assert_non_null(u);
    return (size_t)(u - lx_units);
}

/* A meeting's marks, the county's names and the briefing's options reach
 * brief_compile through the job, whose strings live in the job itself:
 * its copy (what the hub's job thread runs) points into the copy. */
static void
a_briefing_job_carries_the_meetings_marks_and_the_countys_names(void **state)
{
    const char *names[LX_NUNITS] = { NULL };
    struct control_reply out;
    struct control_job job, *copy = malloc(sizeof *copy);
    Lianxi__OpReply *r;
    size_t police = unit_index("police");
    (void)state;

    assert_non_null(copy);
    names[police] = "某某县公安局";
    r = ask(&out, "zhou", "convener", "meeting-create", "date", "2026-12-20", "kind", "annual",
            "from", "2026-01-01", "to", "2026-11-30", "secrecy", "recall", "urgency", "urgent",
            NULL);
    assert_true(r->ok);
    control_reply_free(&out);
    r = ask(&out, "zhou", "convener", "meeting-create", "date", "2026-06-20", "kind", "adhoc",
            "from", "2026-01-01", "to", "2026-05-31", NULL);
    assert_true(r->ok);
    control_reply_free(&out);
    /* meeting-list's rows end with the marks' codes: the default is internal. */
    r = ask(&out, "zhou", "convener", "meeting-list", NULL);
    assert_true(r->ok);
    assert_non_null(strstr(r->text, "\trecall\turgent\n"));
    assert_non_null(strstr(r->text, "\tinternal\tnone\n"));
    control_reply_free(&out);

    assert_int_equal(brief_job(&job, names, "meeting", "1", "audience", "full", "format", "docx",
                               "part", "appendix", "copy", "12", "show_id_numbers", "1", NULL),
                     CONTROL_JOB);
    assert_int_equal(job.brief.format, BRIEF_DOCX);
    assert_int_equal(job.brief.part, BRIEF_APPENDIX);
    assert_int_equal(job.brief.copy_no, 12);
    assert_int_equal(job.brief.show_id_numbers, 1);
    assert_int_equal(job.brief.meeting_date, day("2026-12-20"));
    /* The trail's entry says which document, how, which copy, and that it
     * shows ID numbers in full. */
    assert_non_null(strstr(job.what, "part=appendix format=docx copy=000012 "
                                     "show_id_numbers=yes"));
    control_job_copy(copy, &job);
    memset(&job, 0x55, sizeof job);         /* nothing of the copy may point here */
    assert_string_equal(copy->brief.secrecy, "会后收回");
    assert_string_equal(copy->brief.urgency, "加急");
    assert_string_equal(copy->brief.county, "某某县");
    assert_non_null(strstr(copy->brief.title, "联席会议"));
    assert_string_equal(copy->brief.unit_name[police], "某某县公安局");
    assert_ptr_equal(copy->brief.unit_name[police], copy->unit_names[police]);
    assert_ptr_equal(copy->brief.title, copy->title);
    assert_ptr_equal(copy->brief.secrecy, copy->secrecy);
    for (size_t i = 0; i < LX_NUNITS; i++)
        if (i != police)
            assert_null(copy->brief.unit_name[i]);

    /* The second meeting: internal material by default, no urgency; no
     * show_id_numbers, no copy number. */
    assert_int_equal(brief_job(&job, NULL, "meeting", "2", "audience", "leadership", NULL),
                     CONTROL_JOB);
    assert_string_equal(job.brief.secrecy, "内部资料 注意保存");
    assert_null(job.brief.urgency);
    assert_int_equal(job.brief.format, BRIEF_HTML);
    assert_int_equal(job.brief.part, BRIEF_MAIN);
    assert_int_equal(job.brief.copy_no, 0);
    assert_null(job.brief.unit_name[police]);
    assert_non_null(strstr(job.what, "part=main format=html copy=none show_id_numbers=no"));

    /* A bare period has no marks. */
    assert_int_equal(brief_job(&job, names, "from", "2026-01-01", "to", "2026-06-30",
                               "audience", "full", "part", "points", NULL), CONTROL_JOB);
    assert_null(job.brief.secrecy);
    assert_null(job.brief.urgency);
    assert_int_equal(job.brief.part, BRIEF_POINTS);
    assert_int_equal(job.brief.meeting_date, 0);

    /* lang is gone; copy has its range; the marks their words. */
    r = ask(&out, "zhou", "convener", "brief", "meeting", "1", "audience", "full", "lang", "en",
            NULL);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    assert_non_null(strstr(r->error, "--part"));
    control_reply_free(&out);
    r = ask(&out, "zhou", "convener", "brief", "meeting", "1", "audience", "full", "copy",
            "1000000", NULL);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    assert_non_null(strstr(r->error, "999999"));
    control_reply_free(&out);
    r = ask(&out, "zhou", "convener", "meeting-create", "date", "2026-06-20", "kind", "adhoc",
            "from", "2026-01-01", "to", "2026-05-31", "secrecy", "secret", NULL);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    assert_non_null(strstr(r->error, "none|internal|recall"));
    control_reply_free(&out);
    free(copy);
}

/* A database of schema 7 is migrated: its meetings get the marks empty,
 * and their briefings carry none. */
static void
a_meeting_of_schema_7_has_no_marks(void **state)
{
    struct control_job job;
    struct meeting m;
    sqlite3 *db;
    (void)state;

    audit_destroy(&audit);
    store_close(&store);
    /* Back to schema 7: the meetings table as it was, one meeting in it,
     * and none of the tables that came after (schema 9's joint reviews,
     * schema 10's archives, schema 11's attachments, schema 12's meeting
     * notices). */
    assert_int_equal(sqlite3_open(tmp->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TABLE archives;"
                                      "DROP TABLE attachments; DROP TABLE filing_attachments;"
                                      "DROP TABLE attachment_uploads; DROP TABLE opinion_attachments;"
                                      "DROP TABLE meeting_notices; DROP TABLE meeting_invitees;"
                                      "DROP TABLE attendances; DROP TABLE dispatches;"
                                      "DROP TABLE dispatch_documents;"
                                      "DROP TABLE joint_reviews; DROP TABLE opinions;"
                                      "DROP TABLE joint_review_candidates;"
                                      "DROP TABLE joint_review_units; DROP TABLE opinion_answers;"
                                      "ALTER TABLE meetings DROP COLUMN secrecy;"
                                      "ALTER TABLE meetings DROP COLUMN urgency;"
                                      "INSERT INTO meetings(date, kind, period_from, period_to,"
                                      " title, created_by, created_at) VALUES ('2026-12-18',"
                                      " 'annual', '2026-01-01', '2026-11-30', '老会议', 'zhou',"
                                      " 0);"
                                      "PRAGMA user_version = 7;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_non_null(store = store_open(tmp->path, tmp->dir));
    assert_non_null(audit = audit_new(store));
    assert_int_equal(meeting_get(store, 1, &m), 1);
    assert_string_equal(m.title, "老会议");
    assert_string_equal(m.secrecy, "");
    assert_string_equal(m.urgency, "");
    assert_int_equal(brief_job(&job, NULL, "meeting", "1", "audience", "full", NULL),
                     CONTROL_JOB);
    assert_null(job.brief.secrecy);
    assert_null(job.brief.urgency);
    assert_int_equal(sqlite3_open(tmp->path, &db), SQLITE_OK);
    {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
}

static void
paging_and_filter_values_out_of_range_are_refused(void **state)
{
    char actor[202];
    (void)state;

    assert_non_null(strstr(refusal("offset", "-1"), "0"));
    assert_non_null(strstr(refusal("rank", "chief"), "deputy_section"));
    assert_non_null(strstr(refusal("order", "latest"), "newest|oldest"));
    assert_non_null(strstr(refusal_of("overdue", "offset", "x"), "--offset"));
    memset(actor, 'a', sizeof actor - 1);
    actor[sizeof actor - 1] = '\0';
    assert_non_null(strstr(refusal_of("audit-log", "actor", actor), "--actor"));
    assert_non_null(strstr(refusal_of("audit-log", "until", "2026-13-01"), "YYYY-MM-DD"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_refusal_echoing_bytes_that_are_not_utf8_is_utf8,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(filings_page_through_with_offset_and_count_all_that_match,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_flag_of_0_is_not_set, setup, teardown),
        cmocka_unit_test_setup_teardown(a_long_dossier_counts_all_it_holds, setup, teardown),
        cmocka_unit_test_setup_teardown(filings_newest_first_on_request_oldest_first_by_default,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(filings_filter_by_rank_and_review_state, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(audit_log_filters_by_actor_action_and_day_and_counts_all,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            show_holds_each_supplement_request_with_its_due_date_state_and_answers, setup,
            teardown),
        cmocka_unit_test_setup_teardown(overdue_json_pages_open_obligations_and_counts_each_list,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(meeting_list_counts_the_meetings, setup, teardown),
        cmocka_unit_test_setup_teardown(paging_and_filter_values_out_of_range_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            a_briefing_job_carries_the_meetings_marks_and_the_countys_names, setup, teardown),
        cmocka_unit_test_setup_teardown(a_meeting_of_schema_7_has_no_marks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
