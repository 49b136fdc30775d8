/* test_outbox.c — the adapter's durable queue (adapters/core/outbox.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canon.h"
#include "outbox.h"
#include "wire.h"

/* 2026-11-22 12:00:00 Asia/Shanghai (04:00:00 UTC). */
#define T0 ((int64_t)1795320000)

struct fx {
    char dir[64];
    char path[128];
    outbox_t *ob;
    Lianxi__Cadre cadre;
    Lianxi__Filing f;
    uint8_t pk[crypto_sign_PUBLICKEYBYTES];
    uint8_t sk[crypto_sign_SECRETKEYBYTES];
};

static void
fill(struct fx *x)
{
    x->cadre = (Lianxi__Cadre)LIANXI__CADRE__INIT;
    x->f = (Lianxi__Filing)LIANXI__FILING__INIT;
    x->cadre.name = "张三";
    /* 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 weighted 7 9 10 5 8 4 2 1 6 3 7 9 10
     * 5 8 4 2 sums to 167; 167 mod 11 = 2 -> check character 'X'. */
    x->cadre.id_number = "11010519491231002X";
    x->cadre.work_unit = "县交通运输局";
    x->cadre.post = "副局长";
    x->cadre.rank = LIANXI__RANK__RANK_DEPUTY_SECTION;
    x->f.unit = "police";
    x->f.filing_id = "police-2026-0001";
    x->f.stage = LIANXI__STAGE__STAGE_REPORT;
    x->f.category = "police.drunk_driving";
    x->f.cadre = &x->cadre;
    x->f.learned_on = "2026-11-20";
    x->f.summary = "醉酒驾驶机动车，血液酒精含量 120mg/100ml。";
    x->f.scope = LIANXI__SCOPE__SCOPE_ORGANS;
    x->f.case_ref = "公(交)立字[2026]0042号";
    x->f.answers = "";
}

static int
setup(void **state)
{
    struct fx *x = calloc(1, sizeof *x);

    if (!x || sodium_init() < 0)
        return -1;
    snprintf(x->dir, sizeof x->dir, "/tmp/lx-test-outbox-XXXXXX");
    if (!mkdtemp(x->dir))
        return -1;
    snprintf(x->path, sizeof x->path, "%s/outbox.db", x->dir);
    if (!(x->ob = outbox_open(x->path)))
        return -1;
    crypto_sign_keypair(x->pk, x->sk);
    fill(x);
    *state = x;
    return 0;
}

static void
remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[256];

    if (!d)
        return;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static int
teardown(void **state)
{
    struct fx *x = *state;

    outbox_close(&x->ob);
    free(x->f.signature.data);
    remove_dir(x->dir);
    free(x);
    return 0;
}

static void
reopen(struct fx *x)
{
    outbox_close(&x->ob);
    assert_null(x->ob);
    x->ob = outbox_open(x->path);
    assert_non_null(x->ob);
}

/* Queues the fixture filing, then the same with another summary. */
static void
queue_two_revisions(struct fx *x)
{
    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0), OUTBOX_QUEUED);
    x->f.summary = "醉酒驾驶机动车，已刑事拘留。";
    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0 + 60), OUTBOX_QUEUED);
}

static void
ack_revision_1(struct fx *x)
{
    Lianxi__Receipt r = LIANXI__RECEIPT__INIT;

    r.filing_id = "police-2026-0001";
    r.revision = 1;
    r.receipt_no = "2026-000017";
    r.received_at = T0 + 5;
    r.due_on = "2026-11-27";
    r.on_time = 1;
    assert_int_equal(outbox_ack(x->ob, &r, T0 + 6), 0);
}

static void
reject_revision_2(struct fx *x)
{
    Lianxi__Rejection j = LIANXI__REJECTION__INIT;

    j.filing_id = "police-2026-0001";
    j.revision = 2;
    j.code = LIANXI__REJECT_CODE__REJECT_CATEGORY;
    j.detail = "category not registered";
    assert_int_equal(outbox_reject(x->ob, &j, T0 + 70), 0);
}

static void
free_items(struct ob_item *it, int n)
{
    for (int i = 0; i < n; i++)
        outbox_item_free(&it[i]);
}

static void
first_add_queues_revision_1(void **state)
{
    struct fx *x = *state;

    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0), OUTBOX_QUEUED);
    assert_int_equal(x->f.revision, 1);
    assert_int_equal(x->f.queued_at, T0);
    assert_int_equal(outbox_count_pending(x->ob), 1);
}

static void
first_add_signs_with_the_key(void **state)
{
    struct fx *x = *state;
    uint8_t pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];

    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0), OUTBOX_QUEUED);
    assert_int_equal(x->f.signature.len, CANON_SIGLEN);
    assert_int_equal(canon_verify(&x->f, x->pk), 0);
    crypto_sign_keypair(pk2, sk2);
    assert_int_equal(canon_verify(&x->f, pk2), -1);
}

static void
stored_payload_is_the_signed_envelope(void **state)
{
    struct fx *x = *state;
    struct ob_item it[4];
    Lianxi__Envelope *env;
    int n;

    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0), OUTBOX_QUEUED);
    n = outbox_pending(x->ob, 0, it, 4);
    assert_int_equal(n, 1);
    assert_string_equal(it[0].filing_id, "police-2026-0001");
    assert_int_equal(it[0].revision, 1);
    env = wire_unpack(it[0].payload, it[0].len);
    assert_non_null(env);
    assert_int_equal(env->version, LX_PROTOCOL_VERSION);
    assert_int_equal(env->body_case, LIANXI__ENVELOPE__BODY_FILING);
    assert_int_equal(env->filing->revision, 1);
    assert_int_equal(env->filing->queued_at, T0);
    assert_string_equal(env->filing->category, "police.drunk_driving");
    assert_int_equal(canon_verify(env->filing, x->pk), 0);
    wire_free(env);
    free_items(it, n);
}

static void
same_content_again_is_unchanged(void **state)
{
    struct fx *x = *state;

    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0), OUTBOX_QUEUED);
    /* A later queue time and the revision set by the first add are not content. */
    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0 + 3600), OUTBOX_UNCHANGED);
    assert_int_equal(x->f.revision, 1);
    assert_int_equal(x->f.queued_at, T0);
    assert_int_equal(outbox_count_pending(x->ob), 1);
}

static void
same_content_in_a_fresh_struct_is_unchanged(void **state)
{
    struct fx *x = *state;
    struct fx y;

    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0), OUTBOX_QUEUED);
    fill(&y);
    y.f.cadre = &y.cadre;
    assert_int_equal(outbox_add(x->ob, &y.f, x->sk, T0 + 10), OUTBOX_UNCHANGED);
    assert_null(y.f.signature.data);
}

static void
changed_summary_queues_revision_2(void **state)
{
    struct fx *x = *state;

    queue_two_revisions(x);
    assert_int_equal(x->f.revision, 2);
    assert_int_equal(x->f.queued_at, T0 + 60);
    assert_int_equal(canon_verify(&x->f, x->pk), 0);
    assert_int_equal(outbox_count_pending(x->ob), 2);
}

static void
other_filing_id_starts_at_revision_1(void **state)
{
    struct fx *x = *state;

    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0), OUTBOX_QUEUED);
    x->f.filing_id = "police-2026-0002";
    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0), OUTBOX_QUEUED);
    assert_int_equal(x->f.revision, 1);
}

static void
pending_returns_both_in_order(void **state)
{
    struct fx *x = *state;
    struct ob_item it[4];
    int n;

    queue_two_revisions(x);
    n = outbox_pending(x->ob, 0, it, 4);
    assert_int_equal(n, 2);
    assert_int_equal(it[0].revision, 1);
    assert_int_equal(it[1].revision, 2);
    assert_true(it[0].seq < it[1].seq);
    free_items(it, n);
}

static void
pending_respects_after_and_max(void **state)
{
    struct fx *x = *state;
    struct ob_item it[4];
    int64_t first_seq;
    int n;

    queue_two_revisions(x);
    n = outbox_pending(x->ob, 0, it, 1);
    assert_int_equal(n, 1);
    assert_int_equal(it[0].revision, 1);
    first_seq = it[0].seq;
    free_items(it, n);
    n = outbox_pending(x->ob, first_seq, it, 4);
    assert_int_equal(n, 1);
    assert_int_equal(it[0].revision, 2);
    free_items(it, n);
}

static void
ack_of_revision_1_leaves_one_pending(void **state)
{
    struct fx *x = *state;
    struct ob_item it[4];
    int n;

    queue_two_revisions(x);
    ack_revision_1(x);
    assert_int_equal(outbox_count_pending(x->ob), 1);
    n = outbox_pending(x->ob, 0, it, 4);
    assert_int_equal(n, 1);
    assert_int_equal(it[0].revision, 2);
    free_items(it, n);
}

static void
reject_of_revision_2_leaves_none_pending(void **state)
{
    struct fx *x = *state;
    struct ob_item it[4];

    queue_two_revisions(x);
    ack_revision_1(x);
    reject_revision_2(x);
    assert_int_equal(outbox_count_pending(x->ob), 0);
    assert_int_equal(outbox_pending(x->ob, 0, it, 4), 0);
}

static void
stats_count_acked_and_rejected(void **state)
{
    struct fx *x = *state;
    struct ob_stats st;

    queue_two_revisions(x);
    ack_revision_1(x);
    reject_revision_2(x);
    assert_int_equal(outbox_stats(x->ob, &st), 0);
    assert_int_equal(st.pending, 0);
    assert_int_equal(st.acked, 1);
    assert_int_equal(st.rejected, 1);
    assert_string_equal(st.last_receipt, "2026-000017");
    assert_int_equal(st.last_receipt_at, T0 + 6);
    assert_string_equal(st.last_filing, "police-2026-0001");
}

static void
settled_item_is_left_as_it_is(void **state)
{
    struct fx *x = *state;
    Lianxi__Rejection j = LIANXI__REJECTION__INIT;
    struct ob_stats st;

    queue_two_revisions(x);
    ack_revision_1(x);
    /* A late rejection of the acked revision 1 changes nothing. */
    j.filing_id = "police-2026-0001";
    j.revision = 1;
    j.code = LIANXI__REJECT_CODE__REJECT_INTERNAL;
    j.detail = "late";
    assert_int_equal(outbox_reject(x->ob, &j, T0 + 100), 0);
    assert_int_equal(outbox_stats(x->ob, &st), 0);
    assert_int_equal(st.acked, 1);
    assert_int_equal(st.rejected, 0);
    assert_int_equal(st.pending, 1);
}

struct seen {
    int calls;
    uint32_t revision;
    int code;
    char detail[64];
    char case_ref[64];
};

static void
on_rejected(void *arg, const char *filing_id, uint32_t revision, const char *case_ref,
            int code, const char *detail, int64_t at)
{
    struct seen *s = arg;

    (void)filing_id;
    (void)at;
    s->calls++;
    s->revision = revision;
    s->code = code;
    snprintf(s->detail, sizeof s->detail, "%s", detail);
    snprintf(s->case_ref, sizeof s->case_ref, "%s", case_ref);
}

static void
rejected_lists_the_rejection(void **state)
{
    struct fx *x = *state;
    struct seen s = { 0 };

    queue_two_revisions(x);
    reject_revision_2(x);
    assert_int_equal(outbox_rejected(x->ob, 10, on_rejected, &s), 0);
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.revision, 2);
    assert_int_equal(s.code, LIANXI__REJECT_CODE__REJECT_CATEGORY);
    assert_string_equal(s.detail, "category not registered");
    assert_string_equal(s.case_ref, "公(交)立字[2026]0042号");
}

static void
pending_survives_reopen(void **state)
{
    struct fx *x = *state;
    struct ob_item it[4];
    Lianxi__Envelope *env;
    int n;

    queue_two_revisions(x);
    reopen(x);
    n = outbox_pending(x->ob, 0, it, 4);
    assert_int_equal(n, 2);
    assert_int_equal(it[0].revision, 1);
    assert_int_equal(it[1].revision, 2);
    env = wire_unpack(it[1].payload, it[1].len);
    assert_non_null(env);
    assert_string_equal(env->filing->summary, "醉酒驾驶机动车，已刑事拘留。");
    assert_int_equal(canon_verify(env->filing, x->pk), 0);
    wire_free(env);
    free_items(it, n);
}

static void
settlements_survive_reopen(void **state)
{
    struct fx *x = *state;
    struct ob_stats st;

    queue_two_revisions(x);
    ack_revision_1(x);
    reject_revision_2(x);
    reopen(x);
    assert_int_equal(outbox_stats(x->ob, &st), 0);
    assert_int_equal(st.pending, 0);
    assert_int_equal(st.acked, 1);
    assert_int_equal(st.rejected, 1);
    assert_string_equal(st.last_receipt, "2026-000017");
}

static void
resume_after_reopen_continues_revisions(void **state)
{
    struct fx *x = *state;

    queue_two_revisions(x);
    reopen(x);
    /* Same content as revision 2: unchanged after the restart too. */
    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0 + 120), OUTBOX_UNCHANGED);
    /* New content: revision 3. */
    x->f.summary = "醉酒驾驶机动车，已移送起诉。";
    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0 + 180), OUTBOX_QUEUED);
    assert_int_equal(x->f.revision, 3);
    assert_int_equal(outbox_count_pending(x->ob), 3);
}

static void
rollback_discards_an_add(void **state)
{
    struct fx *x = *state;

    assert_int_equal(outbox_begin(x->ob), 0);
    assert_int_equal(outbox_add(x->ob, &x->f, x->sk, T0), OUTBOX_QUEUED);
    outbox_rollback(x->ob);
    assert_int_equal(outbox_count_pending(x->ob), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(first_add_queues_revision_1),
        T(first_add_signs_with_the_key),
        T(stored_payload_is_the_signed_envelope),
        T(same_content_again_is_unchanged),
        T(same_content_in_a_fresh_struct_is_unchanged),
        T(changed_summary_queues_revision_2),
        T(other_filing_id_starts_at_revision_1),
        T(pending_returns_both_in_order),
        T(pending_respects_after_and_max),
        T(ack_of_revision_1_leaves_one_pending),
        T(reject_of_revision_2_leaves_none_pending),
        T(stats_count_acked_and_rejected),
        T(settled_item_is_left_as_it_is),
        T(rejected_lists_the_rejection),
        T(pending_survives_reopen),
        T(settlements_survive_reopen),
        T(resume_after_reopen_continues_revisions),
        T(rollback_discards_an_add),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
