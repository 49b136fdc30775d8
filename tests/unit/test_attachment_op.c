/* test_attachment_op.c — the operators' `attachment` command without the
 * socket (control_handle): a filing's attachment handed out piece by piece
 * to those who may read the filing (scope as `show`), one audit entry per
 * fetch begun, and `show` listing what a filing carries.  The attachment's
 * bytes, hash and size are made here; nothing expected is read back from
 * the database. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "attachment.h"
#include "audit.h"
#include "calendar.h"
#include "categories.h"
#include "control.h"
#include "days.h"
#include "idnum.h"
#include "intake.h"
#include "store.h"
#include "tmpdir.h"

/* Larger than two pieces of 1 MiB, not a multiple of one. */
#define DOC_SIZE (2 * 1024 * 1024 + 12345)
#define PIECE (1024 * 1024)

static struct tmp *tmp;
static store_t *store;
static audit_t *audit;
static categories_t *cats;
static calendar_t *cal;
static attach_t *att;
static char attdir[PATH_MAX];
static uint8_t *doc;
static uint8_t doc_hash[ATT_HASHLEN];
static char receipt[24], bare_receipt[24];
/* The hub's [attachments] max_size and max_pending_per_unit (0: defaults),
 * and the bytes of the next request (OpRequest.data). */
static uint64_t op_max_each, op_max_pending;
static ProtobufCBinaryData ask_data;

static int64_t
at(const char *d)
{
    lx_day v;
    assert_int_equal(days_parse(d, &v), 0);
    return days_start(v) + 10 * 3600;
}

/* Files one police report about case ref through intake; its receipt. */
static struct receipt_info
file(const char *ref, const char *id17)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre c = LIANXI__CADRE__INIT;
    static struct downtime down;
    struct key_entry key = { .kind = KEY_UNIT };
    struct intake_ctx ic = { store, audit, cal, cats, &down, NULL, NULL, NULL, ATT_LIMITS_DEFAULT, 0 };
    struct intake_item it;
    char id[19], filing_id[128];
    uint8_t sig[64] = { 0 };

    snprintf(key.name, sizeof key.name, "police");
    snprintf(key.user_id, sizeof key.user_id, "unit:police:test");
    memcpy(id, id17, 17);
    id[17] = idnum_check_char(id17);
    id[18] = '\0';
    snprintf(filing_id, sizeof filing_id, "police:%s:2:%s", ref, id);
    c.name = "杨志明";
    c.id_number = id;
    c.work_unit = "县教育局";
    c.post = "科长";
    c.rank = 1;
    f.unit = key.name;
    f.filing_id = filing_id;
    f.revision = 1;
    f.stage = LIANXI__STAGE__STAGE_REPORT;
    f.category = "police.drunk_driving";
    f.cadre = &c;
    f.learned_on = "2026-03-01";
    f.summary = "醉酒驾驶。";
    f.scope = LIANXI__SCOPE__SCOPE_ORGANS;
    f.case_ref = (char *)ref;
    f.queued_at = at("2026-03-02");
    f.answers = "";
    f.signature.data = sig;
    f.signature.len = sizeof sig;
    env.body_case = LIANXI__ENVELOPE__BODY_FILING;
    env.filing = &f;
    memset(&it, 0, sizeof it);
    it.env = &env;
    it.key = &key;
    it.reply = REPLY_RECEIPT;
    memset(it.hash, ref[0], sizeof it.hash);
    assert_int_equal(intake_store(&ic, &it, 1, at("2026-03-02")), 0);
    assert_int_equal(it.reply, REPLY_RECEIPT);
    return it.receipt;
}

static int64_t
row_of(const char *receipt_no)
{
    sqlite3_stmt *st = store_stmt(store, "SELECT id FROM filings WHERE receipt_no = ?1");
    int64_t row;

    assert_non_null(st);
    sqlite3_bind_text(st, 1, receipt_no, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    row = sqlite3_column_int64(st, 0);
    store_done(st);
    return row;
}

static int
setup(void **state)
{
    Lianxi__Attachment a = LIANXI__ATTACHMENT__INIT, *ap = &a;
    uint8_t h[ATT_HASHLEN];

    (void)state;
    if (tmp_make((void **)&tmp, "attop", "hub.db") < 0 ||
        !(store = store_open(tmp->path, tmp->dir)) || !(audit = audit_new(store)) ||
        !(cats = categories_load("deploy/categories.tsv")) ||
        !(cal = calendar_load("deploy/calendar/cn-holidays.tsv")))
        return -1;
    snprintf(attdir, sizeof attdir, "%s/attachments", tmp->dir);
    if (!(att = attach_open(store, attdir)) || !(doc = malloc(DOC_SIZE)))
        return -1;
    /* A PDF by its first bytes, then bytes no piece repeats. */
    randombytes_buf(doc, DOC_SIZE);
    memcpy(doc, "%PDF-1.7\n", 9);
    crypto_generichash(doc_hash, sizeof doc_hash, doc, DOC_SIZE, NULL, 0);
    if (attach_put(att, doc, DOC_SIZE, "application/pdf", at("2026-03-02"), h) < 0 ||
        memcmp(h, doc_hash, sizeof h) != 0)
        return -1;
    snprintf(receipt, sizeof receipt, "%s", file("A1", "44162319800101100").receipt_no);
    snprintf(bare_receipt, sizeof bare_receipt, "%s",
             file("B2", "44162319800101101").receipt_no);
    a.name = "询问笔录 \"第1份\".pdf";
    a.media_type = "application/pdf";
    a.size = DOC_SIZE;
    a.hash.data = doc_hash;
    a.hash.len = ATT_HASHLEN;
    if (store_begin(store) < 0 || attach_record_filing(att, row_of(receipt), &ap, 1) < 0 ||
        store_commit(store) < 0)
        return -1;
    return 0;
}

static int
teardown(void **state)
{
    char cmd[PATH_MAX + 16];

    (void)state;
    attach_close(&att);
    categories_destroy(&cats);
    calendar_destroy(&cal);
    audit_destroy(&audit);
    store_close(&store);
    free(doc);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp->dir);
    assert_int_equal(system(cmd), 0);
    free(tmp);
    return 0;
}

/* Runs command as operator name with role and the parameters key, value,
 * …, NULL; the reply in out (release with control_reply_free). */
static Lianxi__OpReply *
ask(struct control_reply *out, const char *name, const char *role, const char *command, ...)
{
    struct control_ctx c = { store, audit, cal, cats, NULL, NULL, NULL, NULL, NULL, 0, NULL,
                             att, op_max_each, op_max_pending };
    struct key_entry op = { .kind = KEY_OPERATOR };
    Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
    Lianxi__OpRequest__ParamsEntry p[8], *pp[8];
    struct control_job job;
    const char *k;
    va_list ap;
    size_t n = 0;

    snprintf(op.name, sizeof op.name, "%s", name);
    snprintf(op.role, sizeof op.role, "%s", role);
    snprintf(op.user_id, sizeof op.user_id, "op:%s:test", name);
    va_start(ap, command);
    while ((k = va_arg(ap, const char *)) && n < 8) {
        lianxi__op_request__params_entry__init(&p[n]);
        p[n].key = (char *)k;
        p[n].value = va_arg(ap, char *);
        pp[n] = &p[n];
        n++;
    }
    va_end(ap);
    req.request_id = 1;
    req.data = ask_data;
    req.command = (char *)command;
    req.n_params = n;
    req.params = pp;
    memset(out, 0, sizeof *out);
    assert_int_equal(control_handle(&c, &op, &req, out, &job), CONTROL_ANSWERED);
    return &out->rep;
}

/* Entries of the trail whose action begins with action. */
static int
count_entry(void *arg, const struct audit_row *r)
{
    (void)r;
    (*(int *)arg)++;
    return 0;
}

static int
entries(const char *action)
{
    struct audit_filter f = { .action = action, .limit = 1000 };
    int n = 0;

    assert_true(audit_list(store, &f, count_entry, &n, NULL) >= 0);
    return n;
}

/* Fetches the whole attachment as name/role, piece by piece; checks each
 * piece against the bytes made here. */
static void
fetch_whole(const char *name, const char *role)
{
    struct control_reply out;
    uint64_t offset = 0;
    int pieces = 0;

    while (offset < DOC_SIZE) {
        char off[24];
        Lianxi__OpReply *r;
        snprintf(off, sizeof off, "%llu", (unsigned long long)offset);
        r = ask(&out, name, role, "attachment", "receipt", receipt, "n", "1", "offset", off,
                NULL);
        assert_true(r->ok);
        assert_non_null(r->attachment);
        assert_string_equal(r->attachment->name, "询问笔录 \"第1份\".pdf");
        assert_string_equal(r->attachment->media_type, "application/pdf");
        assert_int_equal(r->attachment->size, DOC_SIZE);
        assert_int_equal(r->attachment->hash.len, ATT_HASHLEN);
        assert_memory_equal(r->attachment->hash.data, doc_hash, ATT_HASHLEN);
        assert_int_equal(r->document.len,
                         DOC_SIZE - offset < PIECE ? DOC_SIZE - offset : PIECE);
        assert_memory_equal(r->document.data, doc + offset, r->document.len);
        offset += r->document.len;
        assert_int_equal(r->count, offset);
        control_reply_free(&out);
        pieces++;
    }
    assert_int_equal(pieces, 3);
}

static void
a_supervisor_fetches_it_piece_by_piece_with_one_audit_entry(void **state)
{
    (void)state;
    fetch_whole("wang", "supervisor");
    /* One fetch, one entry, whatever the pieces. */
    assert_int_equal(entries("read:attachment"), 1);
    fetch_whole("wang", "supervisor");
    assert_int_equal(entries("read:attachment"), 2);
}

struct seen {
    char object[64], detail[1024];
};

static int
keep_entry(void *arg, const struct audit_row *r)
{
    struct seen *s = arg;
    snprintf(s->object, sizeof s->object, "%s", r->object);
    snprintf(s->detail, sizeof s->detail, "%s", r->detail);
    return 0;
}

static void
the_audit_entry_names_the_receipt_the_place_and_the_hash(void **state)
{
    struct control_reply out;
    char hex[ATT_HEXLEN + 1];
    struct audit_filter f = { .action = "read:attachment", .limit = 1 };
    struct seen seen = { "", "" };
    (void)state;

    assert_true(ask(&out, "li", "convener", "attachment", "receipt", receipt, "n", "1",
                    NULL)->ok);
    control_reply_free(&out);
    assert_int_equal(audit_list(store, &f, keep_entry, &seen, NULL), 1);
    att_hex(doc_hash, hex);
    assert_string_equal(seen.object, receipt);
    assert_non_null(strstr(seen.detail, "n=1 "));
    assert_non_null(strstr(seen.detail, hex));
}

/* A piece past 0 that follows no fetch of the same operator on the record
 * is recorded as a fetch of its own: nothing is read off the record. */
static void
a_piece_without_a_fetch_begun_is_recorded(void **state)
{
    struct control_reply out;
    (void)state;

    assert_true(ask(&out, "zhao", "supervisor", "attachment", "receipt", receipt, "n", "1",
                    "offset", "1048576", NULL)->ok);
    control_reply_free(&out);
    assert_int_equal(entries("read:attachment-resumed"), 1);
}

/* A member reads its own unit's filings' attachments; another unit's is
 * "no filing", as show says it; the auditor may not. */
static void
scope_is_shows(void **state)
{
    struct control_reply out, show;
    Lianxi__OpReply *r, *s;
    (void)state;

    r = ask(&out, "police1", "member:police", "attachment", "receipt", receipt, "n", "1", NULL);
    assert_true(r->ok);
    assert_int_equal(r->document.len, PIECE);
    control_reply_free(&out);

    r = ask(&out, "court1", "member:court", "attachment", "receipt", receipt, "n", "1", NULL);
    s = ask(&show, "court1", "member:court", "show", "id", receipt, NULL);
    assert_false(r->ok);
    assert_false(s->ok);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND);
    assert_int_equal(s->error_kind, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND);
    assert_string_equal(r->error, s->error);
    assert_int_equal(r->document.len, 0);
    assert_null(r->attachment);
    control_reply_free(&out);
    control_reply_free(&show);

    r = ask(&out, "sun", "auditor", "attachment", "receipt", receipt, "n", "1", NULL);
    assert_false(r->ok);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_PERMISSION);
    control_reply_free(&out);
}

static void
what_is_not_there_or_wrong_is_refused_with_its_kind(void **state)
{
    struct control_reply out;
    Lianxi__OpReply *r;
    char off[24];
    (void)state;

    r = ask(&out, "wang", "supervisor", "attachment", "receipt", receipt, "n", "2", NULL);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND);
    assert_non_null(strstr(r->error, "1"));
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "attachment", "receipt", bare_receipt, "n", "1", NULL);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "attachment", "receipt", "2026-999999", "n", "1", NULL);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "attachment", "receipt", "police:A1", "n", "1", NULL);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "attachment", "receipt", receipt, "n", "17", NULL);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    control_reply_free(&out);
    snprintf(off, sizeof off, "%d", DOC_SIZE + 1);
    r = ask(&out, "wang", "supervisor", "attachment", "receipt", receipt, "n", "1", "offset",
            off, NULL);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    control_reply_free(&out);
    /* At its end: nothing more, and no error. */
    snprintf(off, sizeof off, "%d", DOC_SIZE);
    r = ask(&out, "wang", "supervisor", "attachment", "receipt", receipt, "n", "1", "offset",
            off, NULL);
    assert_true(r->ok);
    assert_int_equal(r->document.len, 0);
    control_reply_free(&out);
}

/* Its file gone from the store: try again later, not bytes that are not
 * the attachment's. */
static void
a_file_missing_from_the_store_is_unavailable(void **state)
{
    struct control_reply out;
    Lianxi__OpReply *r;
    char path[PATH_MAX + 80];
    (void)state;

    attach_path(att, doc_hash, path, sizeof path);
    assert_int_equal(unlink(path), 0);
    r = ask(&out, "wang", "supervisor", "attachment", "receipt", receipt, "n", "1", NULL);
    assert_false(r->ok);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE);
    assert_int_equal(r->document.len, 0);
    control_reply_free(&out);
}

static void
show_and_filings_list_what_a_filing_carries(void **state)
{
    struct control_reply out;
    Lianxi__OpReply *r;
    (void)state;

    r = ask(&out, "wang", "supervisor", "show", "id", receipt, NULL);
    assert_true(r->ok);
    assert_int_equal(r->n_filings, 1);
    assert_int_equal(r->filings[0]->n_attachments, 1);
    assert_string_equal(r->filings[0]->attachments[0]->name, "询问笔录 \"第1份\".pdf");
    assert_int_equal(r->filings[0]->attachments[0]->size, DOC_SIZE);
    assert_memory_equal(r->filings[0]->attachments[0]->hash.data, doc_hash, ATT_HASHLEN);
    control_reply_free(&out);
    r = ask(&out, "wang", "supervisor", "filings", NULL);
    assert_true(r->ok);
    assert_int_equal(r->n_filings, 2);
    for (size_t i = 0; i < r->n_filings; i++)
        assert_int_equal(r->filings[i]->n_attachments,
                         strcmp(r->filings[i]->receipt_no, receipt) == 0 ? 1 : 0);
    control_reply_free(&out);
}

/* Sends bytes [offset, offset + len) of the document d (size bytes) as an
 * upload named name, saying it is claimed bytes (0: size); the reply in
 * out. */
static Lianxi__OpReply *
upload_claiming(struct control_reply *out, const char *name, const uint8_t *d, size_t size,
                size_t claimed, size_t offset, size_t len)
{
    uint8_t h[ATT_HASHLEN];
    char hex[ATT_HEXLEN + 1], sz[24], off[24];
    Lianxi__OpReply *r;

    crypto_generichash(h, sizeof h, d, size, NULL, 0);
    att_hex(h, hex);
    snprintf(sz, sizeof sz, "%zu", claimed ? claimed : size);
    snprintf(off, sizeof off, "%zu", offset);
    ask_data.data = (uint8_t *)d + offset;
    ask_data.len = len;
    r = ask(out, "convener", "convener", "upload", "hash", hex, "size", sz, "offset", off,
            "name", name, NULL);
    ask_data.data = NULL;
    ask_data.len = 0;
    return r;
}

static Lianxi__OpReply *
upload(struct control_reply *out, const char *name, const uint8_t *d, size_t size, size_t offset,
       size_t len)
{
    return upload_claiming(out, name, d, size, 0, offset, len);
}

/* The operators' uploads: none larger than max_size; a new one refused
 * while those begun and unfinished, with it, would pass
 * max_pending_per_unit; going on with one begun is never refused. */
static void
operators_uploads_are_bounded(void **state)
{
    enum { SIZE = 100000 };
    static uint8_t a[SIZE], b[SIZE], big[SIZE + 1];
    struct control_reply out;
    Lianxi__OpReply *r;
    size_t off;
    (void)state;

    op_max_each = SIZE;
    op_max_pending = SIZE + ATT_CHUNK / 2;     /* a, and less than b's first piece */
    for (uint8_t *d[] = { a, b, big }, **p = d; p < d + 3; p++) {
        randombytes_buf(*p, *p == big ? sizeof big : SIZE);
        memcpy(*p, "%PDF-1.7\n", 9);
    }
    r = upload(&out, "big.pdf", big, sizeof big, 0, ATT_CHUNK);
    assert_false(r->ok);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    control_reply_free(&out);
    /* a begun: ATT_CHUNK bytes unfinished. */
    r = upload(&out, "a.pdf", a, SIZE, 0, ATT_CHUNK);
    assert_true(r->ok);
    assert_int_equal(r->count, ATT_CHUNK);
    control_reply_free(&out);
    /* b would make SIZE + SIZE > the bound (a counts as the size it
     * declared, not the bytes it has sent so far)... */
    r = upload(&out, "b.pdf", b, SIZE, 0, ATT_CHUNK);
    assert_false(r->ok);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE);
    control_reply_free(&out);
    /* ...and neither a nor b may change its size to get past it. */
    r = upload_claiming(&out, "a.pdf", a, SIZE, SIZE - 1, ATT_CHUNK, ATT_CHUNK);
    assert_false(r->ok);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    control_reply_free(&out);
    r = upload_claiming(&out, "b.pdf", b, SIZE, ATT_CHUNK + 1, 0, ATT_CHUNK);
    assert_false(r->ok);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE);
    control_reply_free(&out);
    /* a goes on to its end, stored whole... */
    for (off = ATT_CHUNK; off < SIZE; off += ATT_CHUNK) {
        size_t len = SIZE - off < ATT_CHUNK ? SIZE - off : ATT_CHUNK;
        r = upload(&out, "a.pdf", a, SIZE, off, len);
        assert_true(r->ok);
        assert_int_equal(r->count, off + len);
        control_reply_free(&out);
    }
    {
        uint8_t h[ATT_HASHLEN];
        crypto_generichash(h, sizeof h, a, SIZE, NULL, 0);
        assert_int_equal(attach_have(att, h), 1);
    }
    /* Held already: nothing more wanted, under a name of its type only. */
    r = upload(&out, "a-again.pdf", a, SIZE, 0, ATT_CHUNK);
    assert_true(r->ok);
    assert_int_equal(r->count, SIZE);
    control_reply_free(&out);
    r = upload(&out, "a.docx", a, SIZE, 0, ATT_CHUNK);
    assert_false(r->ok);
    assert_int_equal(r->error_kind, LIANXI__OP_ERROR__OP_ERROR_DATA);
    control_reply_free(&out);
    /* ...and then b may begin. */
    r = upload(&out, "b.pdf", b, SIZE, 0, ATT_CHUNK);
    assert_true(r->ok);
    assert_int_equal(r->count, ATT_CHUNK);
    control_reply_free(&out);
    op_max_each = op_max_pending = 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            a_supervisor_fetches_it_piece_by_piece_with_one_audit_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(the_audit_entry_names_the_receipt_the_place_and_the_hash,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_piece_without_a_fetch_begun_is_recorded, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(scope_is_shows, setup, teardown),
        cmocka_unit_test_setup_teardown(what_is_not_there_or_wrong_is_refused_with_its_kind,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_file_missing_from_the_store_is_unavailable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(operators_uploads_are_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(show_and_filings_list_what_a_filing_carries, setup,
                                        teardown),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
