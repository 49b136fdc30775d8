/* test_intake.c — the intake use case without sockets: a unit that sends
 * a flood of bad messages cannot flood the audit trail (refusals.h), and
 * nothing it sends goes unrecorded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "intake.h"
#include "refusals.h"
#include "store.h"
#include "tmpdir.h"
#include "wire.h"

static struct tmp *tmp;
static store_t *store;
static audit_t *audit;
static refusals_t *refusals;

static int
setup(void **state)
{
    (void)state;
    return tmp_make((void **)&tmp, "intake", "hub.db") < 0 ||
                   !(store = store_open(tmp->path, tmp->dir)) || !(audit = audit_new(store)) ||
                   !(refusals = refusals_new())
               ? -1 : 0;
}

static int
teardown(void **state)
{
    (void)state;
    refusals_destroy(&refusals);
    audit_destroy(&audit);
    store_close(&store);
    void *t = tmp;
    return tmp_teardown(&t);
}

static long
count(const char *sql)
{
    sqlite3_stmt *q = store_stmt(store, sql);
    long n = -1;

    assert_non_null(q);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    store_done(q);
    return n;
}

/* n malformed messages from the police's key at time now, in one batch. */
static void
flood(int n, int64_t now)
{
    struct intake_ctx ic = { store, audit, NULL, NULL, NULL, refusals, NULL,
                             NULL, ATT_LIMITS_DEFAULT };
    struct key_entry key = { .kind = KEY_UNIT };
    struct intake_item *items = calloc((size_t)n, sizeof *items);

    snprintf(key.name, sizeof key.name, "police");
    snprintf(key.user_id, sizeof key.user_id, "unit:police:flood");
    for (int i = 0; i < n; i++) {
        intake_parse(&items[i], &key, "\x08\x01garbage", 9, 2, NULL, now);
        assert_int_equal(items[i].reply, REPLY_REJECTION);
    }
    assert_int_equal(intake_store(&ic, items, (size_t)n, now), 0);
    free(items);
}

static void
a_flood_of_bad_messages_is_one_entry_a_minute_and_every_row_is_kept(void **state)
{
    struct intake_ctx ic = { store, audit, NULL, NULL, NULL, refusals, NULL,
                             NULL, ATT_LIMITS_DEFAULT };
    int64_t t0 = 1790000000;
    (void)state;

    flood(500, t0);
    /* Every message has its row; the audit trail has the first on its own. */
    assert_int_equal(count("SELECT count(*) FROM rejections"), 500);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'reject'"), 1);
    /* Within the minute nothing more is written. */
    assert_int_equal(intake_record_refusals(&ic, t0 + 30, 0), 0);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'reject:repeated'"), 0);
    /* When it is over, one entry counts the rest. */
    assert_int_equal(intake_record_refusals(&ic, t0 + 61, 0), 0);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'reject:repeated'"
                           " AND detail LIKE '499 more messages refused since %'"), 1);
    /* The next minute starts over: its first rejection is on its own again. */
    flood(3, t0 + 120);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'reject'"), 2);
    assert_int_equal(intake_record_refusals(&ic, t0 + 121, 1), 0);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'reject:repeated'"
                           " AND detail LIKE '2 more messages refused since %'"), 1);
    assert_int_equal(count("SELECT count(*) FROM rejections"), 503);
}

/* A message over the limit (but within what the socket still reads) gets
 * a too_large answer, not silence. */
static void
a_message_over_the_limit_is_answered_too_large(void **state)
{
    struct key_entry key = { .kind = KEY_UNIT };
    struct intake_item it;
    size_t len = LX_MAX_MSG + 1;
    uint8_t *big = calloc(1, len);
    (void)state;

    snprintf(key.name, sizeof key.name, "police");
    memset(&it, 0, sizeof it);
    intake_parse(&it, &key, big, len, 2, NULL, 1790000000);
    assert_int_equal(it.reply, REPLY_REJECTION);
    assert_int_equal(it.code, LIANXI__REJECT_CODE__REJECT_TOO_LARGE);
    assert_non_null(strstr(it.detail, "over the limit"));
    intake_item_release(&it);
    free(big);
}

/* A body no unit sends (an operator's reply holding thousands of empty
 * records, which would decode to many times its size) is refused before
 * anything is allocated for it; what a message holds is counted. */
static void
a_body_no_unit_sends_is_refused_before_decoding(void **state)
{
    struct key_entry key = { .kind = KEY_UNIT };
    struct intake_item it;
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__OpReply rep = LIANXI__OP_REPLY__INIT;
    Lianxi__FilingRecord rec = LIANXI__FILING_RECORD__INIT, *recs[2000];
    Lianxi__Heartbeat hb = LIANXI__HEARTBEAT__INIT;
    uint8_t *buf;
    long n;
    (void)state;

    snprintf(key.name, sizeof key.name, "police");
    for (size_t i = 0; i < 2000; i++)
        recs[i] = &rec;
    rep.n_filings = 2000;
    rep.filings = recs;
    env.body_case = LIANXI__ENVELOPE__BODY_OP_REPLY;
    env.op_reply = &rep;
    assert_true((n = wire_pack(&env, &buf)) > 0);
    memset(&it, 0, sizeof it);
    intake_parse(&it, &key, buf, (size_t)n, 2, NULL, 1790000000);
    assert_int_equal(it.code, LIANXI__REJECT_CODE__REJECT_MALFORMED);
    assert_null(it.env);
    assert_int_equal(it.mem, (size_t)n);        /* its bytes only: nothing decoded */
    free(buf);

    /* A heartbeat is taken, and what decoding it took is counted. */
    env.body_case = LIANXI__ENVELOPE__BODY_HEARTBEAT;
    env.heartbeat = &hb;
    assert_true((n = wire_pack(&env, &buf)) > 0);
    memset(&it, 0, sizeof it);
    intake_parse(&it, &key, buf, (size_t)n, 2, NULL, 1790000000);
    assert_int_equal(it.reply, REPLY_HEARTBEAT);
    assert_true(it.mem > (size_t)n);
    intake_item_release(&it);
    free(buf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_message_over_the_limit_is_answered_too_large),
        cmocka_unit_test(a_body_no_unit_sends_is_refused_before_decoding),
        cmocka_unit_test_setup_teardown(
            a_flood_of_bad_messages_is_one_entry_a_minute_and_every_row_is_kept, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
