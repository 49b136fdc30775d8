/* test_outbox.c — the adapter's durable queue (adapters/core/outbox.h):
 * what it stores and gives back, settlements, reopening, a full disk.
 * What is queued (revisions, signatures, obligations) is test_filer.c's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fault.h"
#include "outbox.h"

/* 2026-11-22 12:00:00 Asia/Shanghai (04:00:00 UTC). */
#define T0 ((int64_t)1795320000)
#define FILING "police-2026-0001"

struct fx {
    char dir[64];
    char path[128];
    outbox_t *ob;
};

static int
setup(void **state)
{
    struct fx *x = calloc(1, sizeof *x);

    if (!x)
        return -1;
    snprintf(x->dir, sizeof x->dir, "/tmp/lx-test-outbox-XXXXXX");
    if (!mkdtemp(x->dir))
        return -1;
    snprintf(x->path, sizeof x->path, "%s/outbox.db", x->dir);
    if (!(x->ob = outbox_open(x->path, NULL)))
        return -1;
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

    fault_set(FAULT_NONE, 0, 0);
    outbox_close(&x->ob);
    remove_dir(x->dir);
    free(x);
    return 0;
}

static void
reopen(struct fx *x)
{
    outbox_close(&x->ob);
    assert_null(x->ob);
    x->ob = outbox_open(x->path, NULL);
    assert_non_null(x->ob);
}

/* The payload stored for a revision: its own bytes, so that a mix-up shows. */
static void
payload_of(uint32_t rev, char *out, size_t len)
{
    snprintf(out, len, "signed envelope of " FILING " rev %u", rev);
}

/* Stores revision rev of FILING as queued at now; returns outbox_insert's result. */
static int
put(struct fx *x, uint32_t rev, int64_t now)
{
    char payload[64];
    uint8_t key[32];
    struct ob_entry e = { 0 };

    payload_of(rev, payload, sizeof payload);
    memset(key, (int)rev, sizeof key);
    e.filing_id = FILING;
    e.revision = rev;
    e.case_ref = "公(交)立字[2026]0042号";
    e.stage = 2;
    e.content_key = key;
    e.payload = (const uint8_t *)payload;
    e.len = strlen(payload);
    e.queued_at = now;
    return outbox_insert(x->ob, &e);
}

static void
queue_two_revisions(struct fx *x)
{
    assert_int_equal(put(x, 1, T0), 0);
    assert_int_equal(put(x, 2, T0 + 60), 0);
}

static void
ack_revision_1(struct fx *x)
{
    Lianxi__Receipt r = LIANXI__RECEIPT__INIT;

    r.filing_id = FILING;
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

    j.filing_id = FILING;
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

/* Item it holds the payload stored for revision rev. */
static void
assert_payload(const struct ob_item *it, uint32_t rev)
{
    char want[64];

    payload_of(rev, want, sizeof want);
    assert_int_equal(it->len, strlen(want));
    assert_memory_equal(it->payload, want, it->len);
}

static void
latest_gives_the_highest_revision_and_its_key(void **state)
{
    struct fx *x = *state;
    uint8_t key[32], want[32];
    uint32_t rev = 0;

    assert_int_equal(outbox_latest(x->ob, FILING, &rev, key), 0);
    queue_two_revisions(x);
    assert_int_equal(outbox_latest(x->ob, FILING, &rev, key), 1);
    assert_int_equal(rev, 2);
    memset(want, 2, sizeof want);
    assert_memory_equal(key, want, sizeof want);
    assert_int_equal(outbox_latest(x->ob, "police-2026-0002", &rev, key), 0);
}

static void
revision_with_key_finds_the_highest_revision_holding_it(void **state)
{
    struct fx *x = *state;
    uint8_t key[32];
    uint32_t rev = 0;

    memset(key, 1, sizeof key);
    assert_int_equal(outbox_revision_with_key(x->ob, FILING, key, &rev), 0);
    queue_two_revisions(x);
    assert_int_equal(outbox_revision_with_key(x->ob, FILING, key, &rev), 1);
    assert_int_equal(rev, 1);
    memset(key, 2, sizeof key);
    assert_int_equal(outbox_revision_with_key(x->ob, FILING, key, &rev), 1);
    assert_int_equal(rev, 2);
    memset(key, 9, sizeof key);
    assert_int_equal(outbox_revision_with_key(x->ob, FILING, key, &rev), 0);
    memset(key, 1, sizeof key);
    assert_int_equal(outbox_revision_with_key(x->ob, "police-2026-0002", key, &rev), 0);
}

static void
readonly_outbox_reads_and_writes_nothing(void **state)
{
    struct fx *x = *state;
    outbox_t *ro;
    uint8_t key[32];
    uint32_t rev = 0;
    char missing[160];

    queue_two_revisions(x);
    outbox_close(&x->ob);       /* no adapter running: no -wal, no -shm */
    assert_non_null(ro = outbox_open_readonly(x->path));
    assert_int_equal(outbox_latest(ro, FILING, &rev, key), 1);
    assert_int_equal(rev, 2);
    memset(key, 1, sizeof key);
    assert_int_equal(outbox_revision_with_key(ro, FILING, key, &rev), 1);
    assert_int_equal(rev, 1);
    outbox_close(&ro);
    /* One that is not there is not made. */
    snprintf(missing, sizeof missing, "%s/none.db", x->dir);
    assert_null(outbox_open_readonly(missing));
    assert_int_not_equal(access(missing, F_OK), 0);
}

static void
same_revision_twice_is_refused(void **state)
{
    struct fx *x = *state;

    assert_int_equal(put(x, 1, T0), 0);
    assert_int_equal(put(x, 1, T0 + 1), -1);
    assert_int_equal(outbox_error(x->ob), OB_ERR_OTHER);
    assert_int_equal(outbox_count_pending(x->ob), 1);
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
    assert_string_equal(it[0].filing_id, FILING);
    assert_int_equal(it[0].revision, 1);
    assert_int_equal(it[1].revision, 2);
    assert_true(it[0].seq < it[1].seq);
    assert_payload(&it[0], 1);
    assert_payload(&it[1], 2);
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

/* A unit's attendance reply to a meeting notice (case M-N, stage 0) is
 * receipted without a receipt number: the reconciling describes the
 * filings' receipts only, and the last receipt stays the filing's. */
static void
attendance_receipts_are_not_reconciled(void **state)
{
    struct fx *x = *state;
    Lianxi__Receipt r = LIANXI__RECEIPT__INIT;
    struct ob_entry e = { 0 };
    struct ob_year y[4];
    struct ob_stats st;
    uint64_t hi;
    uint8_t key[32] = { 7 };
    const char *payload = "signed attendance of police:M-3 rev 1";

    queue_two_revisions(x);
    ack_revision_1(x);
    e.filing_id = "police:M-3";
    e.revision = 1;
    e.case_ref = "M-3";
    e.stage = 0;
    e.content_key = key;
    e.payload = (const uint8_t *)payload;
    e.len = strlen(payload);
    e.queued_at = T0 + 30;
    assert_int_equal(outbox_insert(x->ob, &e), 0);
    r.filing_id = "police:M-3";
    r.revision = 1;
    r.receipt_no = "";
    r.received_at = T0 + 40;
    r.due_on = "2026-11-27";
    r.on_time = 1;
    r.closed_obligation = "OB-9";
    assert_int_equal(outbox_ack(x->ob, &r, T0 + 41), 0);
    assert_int_equal(outbox_receipt_years(x->ob, y, 4, &hi), 1);
    assert_int_equal(y[0].year, 2026);
    assert_int_equal(y[0].count, 1);
    assert_string_equal(y[0].highest, "2026-000017");
    assert_int_equal(outbox_stats(x->ob, &st), 0);
    assert_int_equal(st.acked, 2);
    assert_string_equal(st.last_receipt, "2026-000017");
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
    assert_string_equal(st.last_filing, FILING);
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
    j.filing_id = FILING;
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
            int code, const char *detail, int64_t at, const char *reason, const char *args)
{
    struct seen *s = arg;

    (void)filing_id;
    (void)at;
    (void)reason;
    (void)args;
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
obligation_opened_by_a_receipt_is_kept(void **state)
{
    struct fx *x = *state;
    Lianxi__Receipt r = LIANXI__RECEIPT__INIT;
    char ob[40] = "";

    assert_int_equal(put(x, 1, T0), 0);
    assert_int_equal(outbox_opened_obligation(x->ob, FILING, ob, sizeof ob), 0);
    r.filing_id = FILING;
    r.revision = 1;
    r.receipt_no = "2026-000018";
    r.due_on = "2026-11-27";
    r.opened_obligation = "OB-7";
    assert_int_equal(outbox_ack(x->ob, &r, T0 + 6), 0);
    assert_int_equal(outbox_opened_obligation(x->ob, FILING, ob, sizeof ob), 1);
    assert_string_equal(ob, "OB-7");
    assert_int_equal(outbox_opened_obligation(x->ob, "police-2026-0002", ob, sizeof ob), 0);
}

static void
message_is_new_once_and_names_its_filing(void **state)
{
    struct fx *x = *state;
    char filing[80] = "";

    Lianxi__HubMessage m = LIANXI__HUB_MESSAGE__INIT;

    m.id = 41;
    m.obligation_id = "OB-3";
    m.filing_id = FILING;
    assert_int_equal(outbox_message_known(x->ob, 41), 0);
    assert_int_equal(outbox_message_seen(x->ob, &m, "notices/000041.txt", T0), 1);
    assert_int_equal(outbox_message_seen(x->ob, &m, "notices/000041.txt", T0), 0);
    assert_int_equal(outbox_message_known(x->ob, 41), 1);
    assert_int_equal(outbox_request_filing(x->ob, "OB-3", filing, sizeof filing), 0);
    assert_string_equal(filing, FILING);
    assert_int_equal(outbox_request_filing(x->ob, "OB-4", filing, sizeof filing), -1);
}

static void
pending_survives_reopen(void **state)
{
    struct fx *x = *state;
    struct ob_item it[4];
    int n;

    queue_two_revisions(x);
    reopen(x);
    n = outbox_pending(x->ob, 0, it, 4);
    assert_int_equal(n, 2);
    assert_int_equal(it[0].revision, 1);
    assert_int_equal(it[1].revision, 2);
    assert_payload(&it[1], 2);
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
rollback_discards_an_insert(void **state)
{
    struct fx *x = *state;

    assert_int_equal(outbox_begin(x->ob), 0);
    assert_int_equal(put(x, 1, T0), 0);
    outbox_rollback(x->ob);
    assert_int_equal(outbox_count_pending(x->ob), 0);
}

/* Reopens the outbox on the fault VFS (registered, nothing failing yet). */
static void
reopen_on_fault_vfs(struct fx *x)
{
    fault_set(FAULT_FULL, 1 << 30, 0);
    reopen(x);
}

static void
full_disk_fails_the_commit_and_keeps_nothing(void **state)
{
    struct fx *x = *state;
    unsigned long failed;

    reopen_on_fault_vfs(x);
    assert_int_equal(outbox_error(x->ob), OB_ERR_NONE);
    assert_int_equal(outbox_begin(x->ob), 0);
    assert_int_equal(put(x, 1, T0), 0);
    failed = fault_count();
    fault_set(FAULT_FULL, 0, 0);
    assert_int_equal(outbox_commit(x->ob), -1);
    assert_true(fault_count() > failed);
    assert_int_equal(outbox_error(x->ob), OB_ERR_FULL);
    outbox_rollback(x->ob);
    fault_set(FAULT_NONE, 0, 0);
    assert_int_equal(outbox_count_pending(x->ob), 0);
    /* With space again, the same revision goes in. */
    assert_int_equal(put(x, 1, T0), 0);
    assert_int_equal(outbox_count_pending(x->ob), 1);
}

static void
io_error_is_told_from_a_full_disk(void **state)
{
    struct fx *x = *state;

    reopen_on_fault_vfs(x);
    fault_set(FAULT_IOERR, 0, 0);
    assert_int_equal(put(x, 1, T0), -1);
    assert_int_equal(outbox_error(x->ob), OB_ERR_IO);
    fault_set(FAULT_NONE, 0, 0);
    assert_int_equal(outbox_count_pending(x->ob), 0);
}

static void
new_outbox_on_a_full_disk_is_not_opened_and_says_why(void **state)
{
    struct fx *x = *state;
    char path[160];
    enum ob_error why = OB_ERR_NONE;
    outbox_t *ob;

    snprintf(path, sizeof path, "%s/new.db", x->dir);
    fault_set(FAULT_FULL, 0, 0);
    ob = outbox_open(path, &why);
    fault_set(FAULT_NONE, 0, 0);
    assert_null(ob);
    assert_int_equal(why, OB_ERR_FULL);
    ob = outbox_open(path, &why);
    assert_non_null(ob);
    assert_int_equal(outbox_count_pending(ob), 0);
    outbox_close(&ob);
}

/* Stores revision 1 of filing id (stage) acknowledged with receipt no. */
static void
filed_with_receipt(struct fx *x, const char *id, int stage, const char *no, const char *due,
                   const char *opened, const char *closed)
{
    Lianxi__Receipt r = LIANXI__RECEIPT__INIT;
    uint8_t key[32] = { 0 };
    struct ob_entry e = { 0 };

    e.filing_id = id;
    e.revision = 1;
    e.case_ref = "A4416232026110001";
    e.stage = stage;
    e.content_key = key;
    e.payload = (const uint8_t *)"x";
    e.len = 1;
    e.queued_at = T0;
    assert_int_equal(outbox_insert(x->ob, &e), 0);
    r.filing_id = (char *)id;
    r.revision = 1;
    r.receipt_no = (char *)no;
    r.received_at = T0 + 5;
    r.due_on = (char *)due;
    r.on_time = 1;
    r.opened_obligation = (char *)opened;
    r.closed_obligation = (char *)closed;
    assert_int_equal(outbox_ack(x->ob, &r, T0 + 6), 0);
}

struct obls {
    int n;
    struct ob_obligation o[4];
};

static void
on_obligation(void *arg, const struct ob_obligation *o)
{
    struct obls *l = arg;

    if (l->n < 4)
        l->o[l->n] = *o;
    l->n++;
}

/* What the unit owes: the report a notice opened, a supplement asked for;
 * a receipt that closes one takes it off the list. */
static void
open_obligations_are_listed_until_closed(void **state)
{
    struct fx *x = *state;
    Lianxi__HubMessage m = LIANXI__HUB_MESSAGE__INIT;
    struct obls l = { 0 };

    filed_with_receipt(x, "police:A1:notice:1", 1, "2026-000001", "2026-11-27", "OB-7", "");
    filed_with_receipt(x, "police:A2:report:2", 2, "2026-000002", "2026-11-20", "", "");
    m.id = 50;
    m.kind = LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_SUPPLEMENT_REQUEST;
    m.obligation_id = "OB-9";
    m.filing_id = "police:A2:report:2";
    m.case_ref = "A2";
    m.due_on = "2026-12-02";
    assert_int_equal(outbox_message_seen(x->ob, &m, "notices/50.txt", T0), 1);
    m.id = 51;
    m.kind = LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_REMINDER;
    m.obligation_id = "OB-7";
    m.due_on = "2026-11-27";
    m.overdue_days = 2;
    assert_int_equal(outbox_message_seen(x->ob, &m, "notices/51.txt", T0), 1);

    assert_int_equal(outbox_open_obligations(x->ob, on_obligation, &l), 2);
    assert_string_equal(l.o[0].obligation, "OB-7");
    assert_int_equal(l.o[0].kind, 1);
    assert_string_equal(l.o[0].due_on, "2026-11-27");
    assert_string_equal(l.o[0].filing_id, "police:A1:notice:1");
    assert_int_equal(l.o[0].overdue_days, 2);
    assert_string_equal(l.o[1].obligation, "OB-9");
    assert_int_equal(l.o[1].kind, 2);
    assert_string_equal(l.o[1].due_on, "2026-12-02");
    assert_string_equal(l.o[1].case_ref, "A2");

    /* The supplement answered: a receipt closing OB-9. */
    filed_with_receipt(x, "police:A2:supplement:2", 3, "2026-000003", "", "", "OB-9");
    l.n = 0;
    assert_int_equal(outbox_open_obligations(x->ob, on_obligation, &l), 1);
    assert_string_equal(l.o[0].obligation, "OB-7");
    /* The report of the notice's case and cadre, received: nothing owed. */
    filed_with_receipt(x, "police:A1:report:1", 2, "2026-000004", "2026-11-27", "", "OB-7");
    l.n = 0;
    assert_int_equal(outbox_open_obligations(x->ob, on_obligation, &l), 0);
}

/* A rejection keeps the key of its reason and its values; a receipt what
 * it said. */
static void
settled_gives_the_receipt_or_the_reason(void **state)
{
    struct fx *x = *state;
    Lianxi__Rejection rj = LIANXI__REJECTION__INIT;
    char *args[] = { "name" };
    struct ob_settled s;

    filed_with_receipt(x, "police:A1:notice:1", 1, "2026-000001", "2026-11-27", "OB-7", "");
    assert_int_equal(outbox_settled(x->ob, "police:A1:notice:1", 0, &s), 1);
    assert_int_equal(s.state, OB_ACKED);
    assert_string_equal(s.receipt_no, "2026-000001");
    assert_string_equal(s.due_on, "2026-11-27");
    assert_string_equal(s.opened, "OB-7");
    assert_int_equal(s.on_time, 1);
    queue_two_revisions(x);
    rj.filing_id = FILING;
    rj.revision = 2;
    rj.code = LIANXI__REJECT_CODE__REJECT_MALFORMED;
    rj.detail = "the name is missing";
    rj.reason = "field.missing";
    rj.args = args;
    rj.n_args = 1;
    assert_int_equal(outbox_reject(x->ob, &rj, T0 + 7), 0);
    assert_int_equal(outbox_settled(x->ob, FILING, 2, &s), 1);
    assert_int_equal(s.state, OB_REJECTED);
    assert_string_equal(s.reason, "field.missing");
    assert_string_equal(s.args, "name\x1f");
    assert_string_equal(s.detail, "the name is missing");
    assert_int_equal(outbox_settled(x->ob, FILING, 1, &s), 1);
    assert_int_equal(s.state, OB_PENDING);
    assert_int_equal(outbox_settled(x->ob, "police:none", 0, &s), 0);
}

/* An outbox of schema 3 (the release before) is brought up to 4 keeping
 * what it holds; a notice acknowledged then still counts as owed. */
static void
outbox_of_schema_3_is_migrated_keeping_its_items(void **state)
{
    struct fx *x = *state;
    char path[160];
    sqlite3 *db;
    struct obls l = { 0 };
    struct ob_settled st;

    snprintf(path, sizeof path, "%s/v3.db", x->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
        "CREATE TABLE outbox (seq INTEGER PRIMARY KEY,"
        " filing_id TEXT NOT NULL, revision INTEGER NOT NULL, case_ref TEXT NOT NULL,"
        " content_key BLOB NOT NULL, payload BLOB NOT NULL,"
        " state INTEGER NOT NULL DEFAULT 0, queued_at INTEGER NOT NULL,"
        " receipt_no TEXT, received_at INTEGER, due_on TEXT, on_time INTEGER,"
        " late_days INTEGER, duplicate INTEGER,"
        " reject_code INTEGER, reject_detail TEXT, settled_at INTEGER,"
        " UNIQUE (filing_id, revision));"
        "CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 0;"
        "ALTER TABLE outbox ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE outbox ADD COLUMN obligation TEXT;"
        "CREATE INDEX outbox_case ON outbox(case_ref);"
        "CREATE TABLE hub_messages (id INTEGER PRIMARY KEY, file TEXT NOT NULL,"
        " received_at INTEGER NOT NULL);"
        "ALTER TABLE hub_messages ADD COLUMN obligation TEXT;"
        "ALTER TABLE hub_messages ADD COLUMN filing_id TEXT;"
        "INSERT INTO outbox(filing_id, revision, case_ref, content_key, payload, state,"
        " queued_at, receipt_no, due_on, on_time, late_days, duplicate, stage, obligation)"
        " VALUES ('police:A1:notice:1', 1, 'A1', x'00', x'00', 1, 1, '2026-000007',"
        " '2026-11-27', 1, 0, 0, 1, 'OB-7');"
        "INSERT INTO hub_messages VALUES (3, 'notices/3.txt', 1, 'OB-7', 'police:A1:notice:1');"
        "PRAGMA user_version = 3;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    outbox_close(&x->ob);
    assert_non_null(x->ob = outbox_open(path, NULL));
    assert_int_equal(outbox_settled(x->ob, "police:A1:notice:1", 0, &st), 1);
    assert_string_equal(st.receipt_no, "2026-000007");
    assert_int_equal(outbox_message_known(x->ob, 3), 1);
    assert_int_equal(outbox_open_obligations(x->ob, on_obligation, &l), 1);
    assert_string_equal(l.o[0].obligation, "OB-7");
    assert_string_equal(l.o[0].due_on, "2026-11-27");
    /* Its report, acknowledged before receipts said what they closed:
     * owed no more either. */
    filed_with_receipt(x, "police:A1:report:1", 2, "2026-000008", "2026-11-27", "", "");
    l.n = 0;
    assert_int_equal(outbox_open_obligations(x->ob, on_obligation, &l), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(latest_gives_the_highest_revision_and_its_key),
        T(revision_with_key_finds_the_highest_revision_holding_it),
        T(readonly_outbox_reads_and_writes_nothing),
        T(same_revision_twice_is_refused),
        T(pending_returns_both_in_order),
        T(pending_respects_after_and_max),
        T(ack_of_revision_1_leaves_one_pending),
        T(reject_of_revision_2_leaves_none_pending),
        T(stats_count_acked_and_rejected),
        T(attendance_receipts_are_not_reconciled),
        T(settled_item_is_left_as_it_is),
        T(rejected_lists_the_rejection),
        T(obligation_opened_by_a_receipt_is_kept),
        T(message_is_new_once_and_names_its_filing),
        T(open_obligations_are_listed_until_closed),
        T(settled_gives_the_receipt_or_the_reason),
        T(outbox_of_schema_3_is_migrated_keeping_its_items),
        T(pending_survives_reopen),
        T(settlements_survive_reopen),
        T(rollback_discards_an_insert),
        T(full_disk_fails_the_commit_and_keeps_nothing),
        T(io_error_is_told_from_a_full_disk),
        T(new_outbox_on_a_full_disk_is_not_opened_and_says_why),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
