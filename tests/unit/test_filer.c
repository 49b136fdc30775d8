/* test_filer.c — from a case to the outbox (adapters/core/filer.h):
 * revisions, signatures, the obligation a report answers, filing ids, the
 * rejected/ note, an export rolled back whole on a full disk, check's
 * dry-run counts, an older export not filed again, real_name signed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canon.h"
#include "fault.h"
#include "filer.h"
#include "files.h"
#include "text.h"
#include "tmpdir.h"
#include "wire.h"

/* 2026-11-22 12:00:00 Asia/Shanghai (04:00:00 UTC): the tests' clock. */
#define T0 ((int64_t)1795320000)
#define ID_NUMBER "11010519491231002X"

struct fx {
    struct tmp *t;          /* the outbox and the rejected/ notes */
    outbox_t *ob;
    categories_t *cats;
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
    x->cadre.id_number = ID_NUMBER;
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

    if (!x || sodium_init() < 0 || tmp_make((void **)&x->t, "filer", "outbox.db") < 0)
        return -1;
    if (!(x->ob = outbox_open(x->t->path, NULL)) ||
        !(x->cats = categories_load("deploy/categories.tsv")))
        return -1;
    crypto_sign_keypair(x->pk, x->sk);
    fill(x);
    *state = x;
    return 0;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int
teardown(void **state)
{
    struct fx *x = *state;

    fault_set(FAULT_NONE, 0, 0);
    outbox_close(&x->ob);
    categories_destroy(&x->cats);
    free(x->f.signature.data);
    nftw(x->t->dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
    free(x->t);
    free(x);
    return 0;
}

/* Closes and opens the outbox again, as a restarted adapter does. */
static void
reopen(struct fx *x)
{
    outbox_close(&x->ob);
    assert_non_null(x->ob = outbox_open(x->t->path, NULL));
}

/* Queues the fixture filing, then the same with another summary. */
static void
queue_two_revisions(struct fx *x)
{
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    x->f.summary = "醉酒驾驶机动车，已刑事拘留。";
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 60), FILER_QUEUED);
}

/* The filing stored as the pending item at index i (in queue order);
 * free with wire_free. */
static Lianxi__Envelope *
stored(struct fx *x, int i)
{
    struct ob_item it[8];
    Lianxi__Envelope *env;
    int n = outbox_pending(x->ob, 0, it, 8);

    assert_true(i < n);
    env = wire_unpack(it[i].payload, it[i].len);
    for (int k = 0; k < n; k++)
        outbox_item_free(&it[k]);
    assert_non_null(env);
    assert_int_equal(env->body_case, LIANXI__ENVELOPE__BODY_FILING);
    return env;
}

static void
first_add_queues_revision_1(void **state)
{
    struct fx *x = *state;

    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    assert_int_equal(x->f.revision, 1);
    assert_int_equal(x->f.queued_at, T0);
    assert_int_equal(outbox_count_pending(x->ob), 1);
}

static void
first_add_signs_with_the_key(void **state)
{
    struct fx *x = *state;
    uint8_t pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];

    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
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

    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
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
    outbox_item_free(&it[0]);
}

static void
same_content_again_is_unchanged(void **state)
{
    struct fx *x = *state;

    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    /* A later queue time and the revision set by the first add are not content. */
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 3600), FILER_UNCHANGED);
    assert_int_equal(x->f.revision, 1);
    assert_int_equal(x->f.queued_at, T0);
    assert_int_equal(outbox_count_pending(x->ob), 1);
}

static void
same_content_in_a_fresh_struct_is_unchanged(void **state)
{
    struct fx *x = *state;
    struct fx y;

    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    fill(&y);
    y.f.cadre = &y.cadre;
    assert_int_equal(filer_queue(x->ob, &y.f, x->sk, T0 + 10), FILER_UNCHANGED);
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

    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    x->f.filing_id = "police-2026-0002";
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    assert_int_equal(x->f.revision, 1);
}

static void
signed_revisions_survive_reopen(void **state)
{
    struct fx *x = *state;
    Lianxi__Envelope *env;

    queue_two_revisions(x);
    reopen(x);
    assert_int_equal(outbox_count_pending(x->ob), 2);
    env = stored(x, 1);
    assert_int_equal(env->filing->revision, 2);
    assert_string_equal(env->filing->summary, "醉酒驾驶机动车，已刑事拘留。");
    assert_int_equal(canon_verify(env->filing, x->pk), 0);
    wire_free(env);
}

static void
resume_after_reopen_continues_revisions(void **state)
{
    struct fx *x = *state;

    queue_two_revisions(x);
    reopen(x);
    /* Same content as revision 2: unchanged after the restart too. */
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 120), FILER_UNCHANGED);
    /* New content: revision 3. */
    x->f.summary = "醉酒驾驶机动车，已移送起诉。";
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 180), FILER_QUEUED);
    assert_int_equal(x->f.revision, 3);
    assert_int_equal(outbox_count_pending(x->ob), 3);
}

static void
older_content_is_not_filed_again(void **state)
{
    struct fx *x = *state;
    char *first = x->f.summary;

    /* Revision 1, then revision 2 with another outcome ... */
    queue_two_revisions(x);
    /* ... then the first export again: the case must not go back. */
    x->f.summary = first;
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 120), FILER_OLDER);
    assert_int_equal(x->f.revision, 2);         /* the revision already filed */
    assert_int_equal(outbox_count_pending(x->ob), 2);
    /* Also after a restart. */
    reopen(x);
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 180), FILER_OLDER);
    assert_int_equal(outbox_count_pending(x->ob), 2);
}

static void
new_change_after_an_older_export_is_the_next_revision(void **state)
{
    struct fx *x = *state;
    char *first = x->f.summary;

    queue_two_revisions(x);
    x->f.summary = first;
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 120), FILER_OLDER);
    x->f.summary = "醉酒驾驶机动车，已判处拘役二个月。";
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 180), FILER_QUEUED);
    assert_int_equal(x->f.revision, 3);
    assert_int_equal(outbox_count_pending(x->ob), 3);
}

static void
rollback_discards_an_add(void **state)
{
    struct fx *x = *state;

    assert_int_equal(outbox_begin(x->ob), 0);
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    outbox_rollback(x->ob);
    assert_int_equal(outbox_count_pending(x->ob), 0);
}

/* Queues the fixture case as a notice and records the hub's receipt of it,
 * which opened obligation (NULL: none). */
static void
notice_receipted(struct fx *x, const char *obligation)
{
    Lianxi__Receipt r = LIANXI__RECEIPT__INIT;
    char id[80];

    filer_filing_id("police", x->f.case_ref, LIANXI__STAGE__STAGE_NOTICE, ID_NUMBER, id,
                    sizeof id);
    x->f.filing_id = id;
    x->f.stage = LIANXI__STAGE__STAGE_NOTICE;
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    r.filing_id = id;
    r.revision = 1;
    r.receipt_no = "2026-000020";
    r.due_on = "2026-11-27";
    r.opened_obligation = (char *)obligation;
    assert_int_equal(outbox_ack(x->ob, &r, T0 + 5), 0);
}

/* Queues the fixture case as its report and returns what was stored. */
static Lianxi__Envelope *
report_queued(struct fx *x)
{
    static char id[80];

    filer_filing_id("police", x->f.case_ref, LIANXI__STAGE__STAGE_REPORT, ID_NUMBER, id,
                    sizeof id);
    x->f.filing_id = id;
    x->f.stage = LIANXI__STAGE__STAGE_REPORT;
    x->f.summary = "醉酒驾驶机动车，已办结。";
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 60), FILER_QUEUED);
    return stored(x, 0);
}

static void
report_answers_the_obligation_its_notice_opened(void **state)
{
    struct fx *x = *state;
    Lianxi__Envelope *env;

    notice_receipted(x, "OB-5");
    env = report_queued(x);
    assert_string_equal(env->filing->answers, "OB-5");
    assert_int_equal(canon_verify(env->filing, x->pk), 0);
    assert_string_equal(x->f.answers, "");      /* the caller's filing is left as it was */
    wire_free(env);
}

static void
report_naming_its_obligation_keeps_it(void **state)
{
    struct fx *x = *state;
    Lianxi__Envelope *env;

    notice_receipted(x, "OB-5");
    x->f.answers = "OB-9";
    env = report_queued(x);
    assert_string_equal(env->filing->answers, "OB-9");
    wire_free(env);
}

static void
report_whose_notice_opened_nothing_answers_nothing(void **state)
{
    struct fx *x = *state;
    Lianxi__Envelope *env;

    notice_receipted(x, NULL);
    env = report_queued(x);
    assert_string_equal(env->filing->answers, "");
    wire_free(env);
}

static void
filing_id_is_readable_when_the_case_ref_allows(void **state)
{
    char id[80];
    (void)state;

    filer_filing_id("police", "A4416232026119101", LIANXI__STAGE__STAGE_REPORT, ID_NUMBER, id,
                    sizeof id);
    assert_string_equal(id, "police:A4416232026119101:report:" ID_NUMBER);
    filer_filing_id("police", "A4416232026119101", LIANXI__STAGE__STAGE_NOTICE, ID_NUMBER, id,
                    sizeof id);
    assert_string_equal(id, "police:A4416232026119101:notice:" ID_NUMBER);
}

static void
filing_id_hashes_a_case_ref_it_cannot_show(void **state)
{
    char a[80], b[80], prefix[16];
    (void)state;

    filer_filing_id("police", "公(交)立字[2026]0042号", LIANXI__STAGE__STAGE_REPORT, ID_NUMBER,
                    a, sizeof a);
    filer_filing_id("police", "公(交)立字[2026]0043号", LIANXI__STAGE__STAGE_REPORT, ID_NUMBER,
                    b, sizeof b);
    /* police:<16 hex digits>:report:<ID number> */
    assert_int_equal(strlen(a), strlen("police:") + 16 + strlen(":report:" ID_NUMBER));
    assert_int_equal(sscanf(a, "police:%15[0-9a-f]", prefix), 1);
    assert_string_equal(a + strlen("police:") + 16, ":report:" ID_NUMBER);
    assert_string_not_equal(a, b);
}

/* A filer of the police unit on the fixture's outbox (NULL: a dry run). */
static filer_t *
police_filer(struct fx *x, outbox_t *ob)
{
    filer_t *fl = filer_new("police", x->cats, ob, x->sk, ob ? x->t->dir : NULL, FILER_QUIET);

    assert_non_null(fl);
    return fl;
}

/* The rejected/ note of export name in the fixture dir; NULL when none. */
static char *
note_of(struct fx *x, const char *name)
{
    char path[256];

    snprintf(path, sizeof path, "%s/%s.rejected.txt", x->t->dir, name);
    return files_read(path, NULL);
}

static void
file_derives_the_id_and_queues(void **state)
{
    struct fx *x = *state;
    filer_t *fl = police_filer(x, x->ob);
    Lianxi__Envelope *env;
    char id[80];

    assert_int_equal(filer_begin(fl), 0);
    assert_int_equal(filer_file(fl, &x->f, "exports/police.csv", 2), 0);
    assert_int_equal(filer_end(fl, "exports/police.csv"), 0);
    assert_int_equal(filer_counts(fl)->queued, 1);
    assert_null(x->f.filing_id);
    assert_null(x->f.signature.data);
    filer_filing_id("police", x->f.case_ref, x->f.stage, ID_NUMBER, id, sizeof id);
    env = stored(x, 0);
    assert_string_equal(env->filing->filing_id, id);
    wire_free(env);
    assert_null(note_of(x, "police.csv"));
    /* The same again: unchanged, nothing more queued. */
    assert_int_equal(filer_begin(fl), 0);
    assert_int_equal(filer_file(fl, &x->f, "exports/police.csv", 2), 0);
    assert_int_equal(filer_end(fl, "exports/police.csv"), 0);
    assert_int_equal(filer_counts(fl)->unchanged, 1);
    assert_int_equal(outbox_count_pending(x->ob), 1);
    filer_destroy(&fl);
    assert_null(fl);
}

static void
bad_filing_is_a_rejected_row_in_the_note(void **state)
{
    struct fx *x = *state;
    filer_t *fl = police_filer(x, x->ob);
    char *note;

    x->f.category = "court.civil";      /* another unit's category */
    assert_int_equal(filer_begin(fl), 0);
    assert_int_equal(filer_file(fl, &x->f, "exports/police.csv", 7), 1);
    assert_int_equal(filer_end(fl, "exports/police.csv"), 0);
    assert_int_equal(filer_counts(fl)->rejected, 1);
    assert_int_equal(filer_counts(fl)->queued, 0);
    assert_int_equal(outbox_count_pending(x->ob), 0);
    note = note_of(x, "police.csv");
    assert_non_null(note);
    assert_non_null(strstr(note, "exports/police.csv:7: category: "));
    free(note);
    /* A clean export under the same name: the old note goes. */
    x->f.category = "police.drunk_driving";
    assert_int_equal(filer_begin(fl), 0);
    assert_int_equal(filer_file(fl, &x->f, "exports/police.csv", 7), 0);
    assert_int_equal(filer_end(fl, "exports/police.csv"), 0);
    assert_null(note_of(x, "police.csv"));
    filer_destroy(&fl);
}

/* A reason cut by a caller's buffer inside its last character, and a file
 * name with bytes that are not UTF-8 (GB18030 编号): the note and check's
 * rejections are valid UTF-8 and keep every whole character. */
static void
text_cut_inside_a_character_is_written_as_valid_utf8(void **state)
{
    struct fx *x = *state;
    static const char path[] = "exports/\xb1\xe0\xba\xc5.csv";
    char why[64], kept[64], *note, *json;
    filer_t *fl = police_filer(x, x->ob), *dry = police_filer(x, NULL);
    cJSON *j;
    size_t n;

    /* "unknown case type '" and 盗 as often as fits, then one byte short of
     * the last: the cut a fixed-size buffer makes. */
    snprintf(why, sizeof why, "unknown case type '");
    for (n = strlen(why); n + 3 < sizeof why; n += 3)
        memcpy(why + n, "盗", 3);
    why[n - 1] = '\0';
    memcpy(kept, why, n - 3);
    kept[n - 3] = '\0';
    assert_false(text_utf8_valid(why, strlen(why)));

    assert_int_equal(filer_begin(fl), 0);
    filer_reject_row(fl, path, 3, "案件类别", why);
    filer_reject_file(fl, path, why);
    assert_int_equal(filer_end(fl, path), 0);
    note = note_of(x, "\xb1\xe0\xba\xc5.csv");
    assert_non_null(note);
    if (!text_utf8_valid(note, strlen(note)))
        fail_msg("the note is not valid UTF-8: %s", note);
    assert_non_null(strstr(note, kept));

    assert_int_equal(filer_begin(dry), 0);
    filer_reject_row(dry, path, 3, "案件类别", why);
    assert_int_equal(filer_end(dry, path), 0);
    assert_non_null(j = filer_summary(dry));
    assert_non_null(json = cJSON_PrintUnformatted(j));
    if (!text_utf8_valid(json, strlen(json)))
        fail_msg("check's JSON is not valid UTF-8: %s", json);
    assert_non_null(strstr(json, kept));
    free(json);
    cJSON_Delete(j);
    free(note);
    filer_destroy(&dry);
    filer_destroy(&fl);
}

static void
export_on_a_full_disk_is_rolled_back_whole(void **state)
{
    struct fx *x = *state;
    filer_t *fl;
    char *note;

    /* The outbox on the fault VFS, nothing failing yet. */
    fault_set(FAULT_FULL, 1 << 30, 0);
    reopen(x);
    fl = police_filer(x, x->ob);
    assert_int_equal(filer_begin(fl), 0);
    assert_int_equal(filer_file(fl, &x->f, "exports/police.csv", 2), 0);
    x->f.case_ref = "A4416232026119101";
    assert_int_equal(filer_file(fl, &x->f, "exports/police.csv", 3), 0);
    filer_reject_row(fl, "exports/police.csv", 4, "姓名", "empty");
    assert_int_equal(filer_counts(fl)->queued, 2);
    fault_set(FAULT_FULL, 0, 0);
    assert_int_equal(filer_end(fl, "exports/police.csv"), -1);
    assert_int_equal(outbox_error(x->ob), OB_ERR_FULL);
    fault_set(FAULT_NONE, 0, 0);
    /* Nothing of it queued, nothing of it counted, no note claimed. */
    assert_int_equal(outbox_count_pending(x->ob), 0);
    assert_int_equal(filer_counts(fl)->queued, 0);
    assert_int_equal(filer_counts(fl)->rejected, 0);
    assert_null(note_of(x, "police.csv"));
    /* With space again, the same export files both. */
    assert_int_equal(filer_begin(fl), 0);
    x->f.case_ref = "公(交)立字[2026]0042号";
    assert_int_equal(filer_file(fl, &x->f, "exports/police.csv", 2), 0);
    x->f.case_ref = "A4416232026119101";
    assert_int_equal(filer_file(fl, &x->f, "exports/police.csv", 3), 0);
    filer_reject_row(fl, "exports/police.csv", 4, "姓名", "empty");
    assert_int_equal(filer_end(fl, "exports/police.csv"), 0);
    assert_int_equal(outbox_count_pending(x->ob), 2);
    note = note_of(x, "police.csv");
    assert_non_null(note);
    assert_non_null(strstr(note, "exports/police.csv:4: 姓名: empty"));
    free(note);
    filer_destroy(&fl);
}

/* Files the fixture case with summary as the one row (line 2) of export. */
static void
file_export(struct fx *x, filer_t *fl, const char *export, const char *summary)
{
    x->f.summary = (char *)summary;
    assert_int_equal(filer_begin(fl), 0);
    assert_int_equal(filer_file(fl, &x->f, export, 2), 0);
    assert_int_equal(filer_end(fl, export), 0);
}

static void
older_export_again_is_noted_and_counted_not_filed(void **state)
{
    struct fx *x = *state;
    filer_t *fl = police_filer(x, x->ob);
    const char *a = "罚款二千元。", *b = "罚款二千元，暂扣驾驶证六个月。";
    char *note;

    file_export(x, fl, "exports/a.csv", a);
    assert_null(note_of(x, "a.csv"));
    file_export(x, fl, "exports/b.csv", b);
    file_export(x, fl, "exports/a.csv", a);
    assert_int_equal(filer_counts(fl)->queued, 2);
    assert_int_equal(filer_counts(fl)->older, 1);
    assert_int_equal(filer_counts(fl)->rejected, 0);
    assert_int_equal(outbox_count_pending(x->ob), 2);
    note = note_of(x, "a.csv");
    assert_non_null(note);
    assert_non_null(strstr(note, "exports/a.csv:2: (row): older than revision 2 already filed"));
    free(note);
    filer_destroy(&fl);
}

static void
content_key_without_real_name_is_that_of_protocol_1(void **state)
{
    struct fx *x = *state;
    Lianxi__Filing c = x->f;
    uint8_t *buf = malloc(CANON_MAX), want[32], got[32];
    long n;

    /* The outboxes in the field hold keys computed before protocol 2: the
     * same case exported again after the upgrade must be found unchanged. */
    c.revision = 0;
    c.queued_at = 0;
    n = canon_encode_v1(&c, buf, CANON_MAX);
    assert_true(n > 0);
    crypto_generichash(want, sizeof want, buf, (unsigned long long)n, NULL, 0);
    x->f.revision = 7;
    x->f.queued_at = T0;
    assert_int_equal(filer_content_key(&x->f, got), 0);
    assert_memory_equal(got, want, sizeof want);
    free(buf);
}

static void
real_name_change_is_the_next_revision(void **state)
{
    struct fx *x = *state;

    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    x->f.real_name = 1;
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 60), FILER_QUEUED);
    assert_int_equal(x->f.revision, 2);
}

static void
real_name_without_summary_is_signed_into_the_stored_filing(void **state)
{
    struct fx *x = *state;
    Lianxi__Envelope *env;

    /* A notice of a real-name petition whose content is still empty. */
    x->f.stage = LIANXI__STAGE__STAGE_NOTICE;
    x->f.summary = "";
    x->f.real_name = 1;
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    env = stored(x, 0);
    assert_int_equal(env->version, 3);       /* (protocol 3 since attachments) */
    assert_true(env->filing->real_name);
    assert_string_equal(env->filing->summary, "");
    assert_int_equal(canon_verify(env->filing, x->pk), 0);
    env->filing->real_name = 0;
    assert_int_equal(canon_verify(env->filing, x->pk), -1);
    wire_free(env);
}

static long
num(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    return cJSON_IsNumber(v) ? (long)v->valuedouble : -1;
}

/* A dry run of a notice, a report of another case and a bad filing. */
static cJSON *
dry_run(struct fx *x)
{
    filer_t *fl = police_filer(x, NULL);
    cJSON *j;

    assert_int_equal(filer_begin(fl), 0);
    x->f.stage = LIANXI__STAGE__STAGE_NOTICE;
    assert_int_equal(filer_file(fl, &x->f, "police.csv", 2), 0);
    x->f.stage = LIANXI__STAGE__STAGE_REPORT;
    x->f.case_ref = "A4416232026119101";
    assert_int_equal(filer_file(fl, &x->f, "police.csv", 3), 0);
    x->f.learned_on = "2026-13-01";
    assert_int_equal(filer_file(fl, &x->f, "police.csv", 4), 1);
    assert_int_equal(filer_end(fl, "police.csv"), 0);
    j = filer_summary(fl);
    filer_destroy(&fl);
    fill(x);
    assert_non_null(j);
    return j;
}

static void
dry_run_counts_what_would_be_filed_and_queues_nothing(void **state)
{
    struct fx *x = *state;
    cJSON *j = dry_run(x), *again = dry_run(x);
    const cJSON *rejections = cJSON_GetObjectItemCaseSensitive(j, "rejections");

    assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "unit")->valuestring, "police");
    assert_int_equal(num(j, "rows"), 3);
    assert_int_equal(num(j, "filings"), 2);
    assert_int_equal(num(j, "notices"), 1);
    assert_int_equal(num(j, "reports"), 1);
    assert_int_equal(num(j, "rejected"), 1);
    assert_int_equal(num(cJSON_GetObjectItemCaseSensitive(j, "categories"),
                         "police.drunk_driving"), 2);
    assert_int_equal(cJSON_GetArraySize(rejections), 1);
    assert_int_equal(num(cJSON_GetArrayItem(rejections, 0), "line"), 4);
    /* The same filings give the same digest. */
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "digest")->valuestring,
                        cJSON_GetObjectItemCaseSensitive(again, "digest")->valuestring);
    assert_int_equal(outbox_count_pending(x->ob), 0);
    assert_null(note_of(x, "police.csv"));
    cJSON_Delete(j);
    cJSON_Delete(again);
}

static void
dry_run_with_the_outbox_counts_what_it_has_already(void **state)
{
    struct fx *x = *state;
    filer_t *fl = police_filer(x, x->ob), *dry;
    const char *a = "罚款二千元。", *b = "罚款二千元，暂扣驾驶证六个月。";
    cJSON *j;

    file_export(x, fl, "exports/a.csv", a);
    file_export(x, fl, "exports/b.csv", b);
    filer_destroy(&fl);
    dry = filer_new("police", x->cats, x->ob, NULL, NULL, FILER_DRY_RUN | FILER_QUIET);
    assert_non_null(dry);
    assert_int_equal(filer_begin(dry), 0);
    x->f.summary = (char *)a;               /* older than revision 2 */
    assert_int_equal(filer_file(dry, &x->f, "a.csv", 2), 0);
    x->f.summary = (char *)b;               /* revision 2: unchanged */
    assert_int_equal(filer_file(dry, &x->f, "a.csv", 3), 0);
    x->f.case_ref = "A4416232026119101";    /* another case: new */
    assert_int_equal(filer_file(dry, &x->f, "a.csv", 4), 0);
    assert_int_equal(filer_end(dry, "a.csv"), 0);
    j = filer_summary(dry);
    assert_non_null(j);
    assert_int_equal(num(j, "filings"), 3);
    assert_int_equal(num(j, "older"), 1);
    assert_int_equal(num(j, "unchanged"), 1);
    assert_int_equal(outbox_count_pending(x->ob), 2);    /* nothing queued */
    assert_null(note_of(x, "a.csv"));                   /* nothing written */
    cJSON_Delete(j);
    filer_destroy(&dry);
}

static void
dry_run_counts_real_name_filings(void **state)
{
    struct fx *x = *state;
    filer_t *fl = police_filer(x, NULL);
    cJSON *j;

    assert_int_equal(filer_begin(fl), 0);
    x->f.stage = LIANXI__STAGE__STAGE_NOTICE;
    x->f.summary = "";
    x->f.real_name = 1;
    assert_int_equal(filer_file(fl, &x->f, "petitions.xml", 2), 0);
    x->f.case_ref = "A4416232026119101";
    x->f.real_name = 0;
    assert_int_equal(filer_file(fl, &x->f, "petitions.xml", 3), 0);
    assert_int_equal(filer_end(fl, "petitions.xml"), 0);
    j = filer_summary(fl);
    assert_int_equal(num(j, "filings"), 2);
    assert_int_equal(num(j, "real_name"), 1);
    cJSON_Delete(j);
    filer_destroy(&fl);
}


/* Writes n bytes beginning with head at dir/name. */
static void
doc(struct fx *x, const char *name, const char *head, size_t n, char fill_byte)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", x->t->dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(head, f);
    for (size_t i = strlen(head); i < n; i++)
        fputc(fill_byte, f);
    fclose(f);
}

static filer_t *
filer_with_documents(struct fx *x, uint64_t max_each)
{
    filer_t *fl = police_filer(x, x->ob);
    struct att_limits lim = ATT_LIMITS_DEFAULT;
    char dir[512];

    if (max_each)
        lim.max_each = max_each;
    snprintf(dir, sizeof dir, "%s/attachments", x->t->dir);
    assert_int_equal(filer_set_attachments(fl, dir, &lim), 0);
    return fl;
}

static void
documents_named_in_a_list_are_copied_and_signed(void **state)
{
    struct fx *x = *state;
    filer_t *fl = filer_with_documents(x, 0);
    char exp[512], copy[600], hex[ATT_HEXLEN + 1];
    struct stat sb;
    Lianxi__Envelope *env;

    doc(x, "判决书.pdf", "%PDF-1.4", 5000, 'a');
    doc(x, "scan.jpg", "\xFF\xD8\xFF\xE0", 3000, 'b');
    snprintf(exp, sizeof exp, "%s/police.csv", x->t->dir);
    assert_int_equal(filer_begin(fl), 0);
    assert_int_equal(filer_attach(fl, &x->f, exp, 2, "附件", " 判决书.pdf ；scan.jpg;"), 0);
    assert_int_equal(x->f.n_attachments, 2);
    assert_string_equal(x->f.attachments[0]->name, "判决书.pdf");
    assert_string_equal(x->f.attachments[0]->media_type, "application/pdf");
    assert_int_equal(x->f.attachments[0]->size, 5000);
    assert_string_equal(x->f.attachments[1]->media_type, "image/jpeg");
    att_hex(x->f.attachments[1]->hash.data, hex);
    snprintf(copy, sizeof copy, "%s/attachments/%s", x->t->dir, hex);
    assert_int_equal(stat(copy, &sb), 0);
    assert_int_equal(sb.st_size, 3000);
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    assert_int_equal(filer_end(fl, exp), 0);
    env = stored(x, 0);
    assert_int_equal(env->version, 3);
    assert_int_equal(env->filing->n_attachments, 2);
    assert_int_equal(canon_verify(env->filing, x->pk), 0);
    /* The documents are signed: another hash does not verify. */
    env->filing->attachments[0]->hash.data[0] ^= 1;
    assert_int_equal(canon_verify(env->filing, x->pk), -1);
    wire_free(env);
    filer_destroy(&fl);
}

static void
a_changed_document_is_the_next_revision(void **state)
{
    struct fx *x = *state;
    filer_t *fl = filer_with_documents(x, 0);
    char exp[512];

    snprintf(exp, sizeof exp, "%s/police.csv", x->t->dir);
    doc(x, "a.pdf", "%PDF-1.4", 5000, 'a');
    assert_int_equal(filer_attach(fl, &x->f, exp, 2, "附件", "a.pdf"), 0);
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0), FILER_QUEUED);
    assert_int_equal(filer_attach(fl, &x->f, exp, 2, "附件", "a.pdf"), 0);
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 60), FILER_UNCHANGED);
    doc(x, "a.pdf", "%PDF-1.4", 5000, 'c');
    assert_int_equal(filer_attach(fl, &x->f, exp, 2, "附件", "a.pdf"), 0);
    assert_int_equal(filer_queue(x->ob, &x->f, x->sk, T0 + 120), FILER_QUEUED);
    assert_int_equal(x->f.revision, 2);
    filer_destroy(&fl);
}

static void
a_document_refused_is_a_rejected_row_in_the_note(void **state)
{
    struct fx *x = *state;
    filer_t *fl = filer_with_documents(x, 4000);
    char exp[512], *note;

    snprintf(exp, sizeof exp, "%s/police.csv", x->t->dir);
    doc(x, "big.pdf", "%PDF-1.4", 5000, 'a');
    doc(x, "fake.pdf", "MZ", 100, 'a');
    assert_int_equal(filer_begin(fl), 0);
    assert_int_equal(filer_attach(fl, &x->f, exp, 2, "附件", "big.pdf"), 1);
    assert_int_equal(filer_attach(fl, &x->f, exp, 3, "附件", "fake.pdf"), 1);
    assert_int_equal(filer_attach(fl, &x->f, exp, 4, "附件", "../outside.pdf"), 1);
    assert_int_equal(filer_attach(fl, &x->f, exp, 5, "附件", "missing.pdf"), 1);
    assert_int_equal(filer_attach(fl, &x->f, exp, 6, "附件", "notes.txt"), 1);
    assert_int_equal(x->f.n_attachments, 0);
    assert_int_equal(filer_end(fl, exp), 0);
    note = note_of(x, "police.csv");
    assert_non_null(note);
    assert_non_null(strstr(note, "big.pdf"));
    assert_non_null(strstr(note, "4000"));
    assert_non_null(strstr(note, "fake.pdf"));
    assert_non_null(strstr(note, "outside.pdf"));
    assert_non_null(strstr(note, "missing.pdf"));
    assert_non_null(strstr(note, "notes.txt"));
    free(note);
    assert_int_equal(filer_counts(fl)->rejected, 5);
    filer_destroy(&fl);
}

static void
a_dry_run_checks_documents_and_copies_none(void **state)
{
    struct fx *x = *state;
    filer_t *dry = filer_new("police", x->cats, NULL, NULL, NULL, FILER_DRY_RUN | FILER_QUIET);
    char exp[512], dir[512];
    struct stat sb;

    assert_non_null(dry);
    snprintf(dir, sizeof dir, "%s/attachments", x->t->dir);
    assert_int_equal(filer_set_attachments(dry, dir, NULL), 0);
    doc(x, "a.pdf", "%PDF-1.4", 5000, 'a');
    snprintf(exp, sizeof exp, "%s/police.csv", x->t->dir);
    assert_int_equal(filer_attach(dry, &x->f, exp, 2, "附件", "a.pdf"), 0);
    assert_int_equal(x->f.n_attachments, 1);
    assert_int_equal(stat(dir, &sb), -1);
    filer_destroy(&dry);
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
        T(signed_revisions_survive_reopen),
        T(resume_after_reopen_continues_revisions),
        T(older_content_is_not_filed_again),
        T(new_change_after_an_older_export_is_the_next_revision),
        T(rollback_discards_an_add),
        T(report_answers_the_obligation_its_notice_opened),
        T(report_naming_its_obligation_keeps_it),
        T(report_whose_notice_opened_nothing_answers_nothing),
        T(filing_id_is_readable_when_the_case_ref_allows),
        T(filing_id_hashes_a_case_ref_it_cannot_show),
        T(file_derives_the_id_and_queues),
        T(bad_filing_is_a_rejected_row_in_the_note),
        T(text_cut_inside_a_character_is_written_as_valid_utf8),
        T(export_on_a_full_disk_is_rolled_back_whole),
        T(dry_run_counts_what_would_be_filed_and_queues_nothing),
        T(older_export_again_is_noted_and_counted_not_filed),
        T(content_key_without_real_name_is_that_of_protocol_1),
        T(real_name_change_is_the_next_revision),
        T(real_name_without_summary_is_signed_into_the_stored_filing),
        T(dry_run_with_the_outbox_counts_what_it_has_already),
        T(dry_run_counts_real_name_filings),
        T(documents_named_in_a_list_are_copied_and_signed),
        T(a_changed_document_is_the_next_revision),
        T(a_document_refused_is_a_rejected_row_in_the_note),
        T(a_dry_run_checks_documents_and_copies_none),
    };
    char now[32];

    /* filer_file judges learned_on against today: the tests' day. */
    snprintf(now, sizeof now, "%lld", (long long)T0);
    setenv("LIANXI_FAKE_NOW", now, 1);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
