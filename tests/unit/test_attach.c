/* test_attach.c — the hub's attachment store (src/hub/attach.c) and the
 * intake of filings with attachments and of their chunks (intake_store,
 * no sockets): one behaviour each, expected values from the test's own
 * bytes. */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "audit.h"
#include "calendar.h"
#include "categories.h"
#include "idnum.h"
#include "intake.h"
#include "store.h"
#include "tmpdir.h"

static struct tmp *tmp;
static store_t *store;
static audit_t *audit;
static attach_t *att;
static calendar_t *cal;
static categories_t *cats;
static struct downtime down;
static struct key_entry police, court;
static char adir[256];

static int
setup(void **state)
{
    (void)state;
    if (sodium_init() < 0 || tmp_make((void **)&tmp, "attach", "hub.db") < 0 ||
        !(store = store_open(tmp->path, tmp->dir)) || !(audit = audit_new(store)) ||
        !(cal = calendar_load("deploy/calendar/cn-holidays.tsv")) ||
        !(cats = categories_load("deploy/categories.tsv")))
        return -1;
    attach_default_dir(tmp->path, adir, sizeof adir);
    if (!(att = attach_open(store, adir)))
        return -1;
    memset(&down, 0, sizeof down);
    police.kind = court.kind = KEY_UNIT;
    snprintf(police.name, sizeof police.name, "police");
    snprintf(police.user_id, sizeof police.user_id, "unit:police:test");
    snprintf(court.name, sizeof court.name, "court");
    snprintf(court.user_id, sizeof court.user_id, "unit:court:test");
    return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int
teardown(void **state)
{
    (void)state;
    attach_close(&att);
    audit_destroy(&audit);
    store_close(&store);
    calendar_destroy(&cal);
    categories_destroy(&cats);
    nftw(tmp->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(tmp);
    return 0;
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

/* n bytes of a PDF: "%PDF-1.4" and random bytes. */
static uint8_t *
pdf(size_t n)
{
    uint8_t *b = malloc(n);

    assert_non_null(b);
    randombytes_buf(b, n);
    memcpy(b, "%PDF-1.4", 8);
    return b;
}

static void
hash_of(const uint8_t *b, size_t n, uint8_t h[ATT_HASHLEN])
{
    crypto_generichash(h, ATT_HASHLEN, b, n, NULL, 0);
}

static void
a_stored_document_reads_back_as_it_was_put(void **state)
{
    size_t n = 100000;
    uint8_t *b = pdf(n), h[ATT_HASHLEN], back[4096];
    char path[512];
    struct stat sb;
    (void)state;

    assert_int_equal(attach_put(att, b, n, "application/pdf", 1790000000, h), 0);
    {
        uint8_t want[ATT_HASHLEN];
        hash_of(b, n, want);
        assert_memory_equal(h, want, ATT_HASHLEN);
    }
    assert_int_equal(attach_have(att, h), 1);
    attach_path(att, h, path, sizeof path);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal((size_t)sb.st_size, n);
    assert_int_equal(attach_read(att, h, 5000, back, sizeof back), (long)sizeof back);
    assert_memory_equal(back, b + 5000, sizeof back);
    assert_int_equal(attach_read(att, h, n, back, sizeof back), 0);
    free(b);
}

static void
a_chunk_at_another_offset_than_held_is_ignored(void **state)
{
    uint8_t *b = pdf(1000), h[ATT_HASHLEN];
    (void)state;

    hash_of(b, 1000, h);
    assert_int_equal(attach_write(att, h, 1000, 100, b + 100, 100), 0);
    assert_int_equal(attach_partial(att, h), 0);
    assert_int_equal(attach_write(att, h, 1000, 0, b, 100), 100);
    /* The same chunk again, and one past what is held: both ignored. */
    assert_int_equal(attach_write(att, h, 1000, 0, b, 100), 100);
    assert_int_equal(attach_write(att, h, 1000, 300, b + 300, 100), 100);
    /* Beyond the size: ignored. */
    assert_int_equal(attach_write(att, h, 1000, 100, b + 100, 950), 100);
    assert_int_equal(attach_partial(att, h), 100);
    free(b);
}

static void
an_upload_cut_short_resumes_where_the_bytes_end(void **state)
{
    size_t n = 3 * ATT_CHUNK + 17;
    uint8_t *b = pdf(n), h[ATT_HASHLEN];
    uint64_t at = 0;
    (void)state;

    hash_of(b, n, h);
    assert_int_equal(attach_write(att, h, n, 0, b, ATT_CHUNK), ATT_CHUNK);
    assert_int_equal(attach_finish(att, h, n, "application/pdf", 1790000000), ATTACH_SHORT);
    /* As after a restart: what is held is what is on disk. */
    at = attach_partial(att, h);
    assert_int_equal(at, ATT_CHUNK);
    while (at < n) {
        size_t len = n - at < ATT_CHUNK ? n - at : ATT_CHUNK;
        int64_t r = attach_write(att, h, n, at, b + at, len);
        assert_int_equal(r, (int64_t)(at + len));
        at = (uint64_t)r;
    }
    assert_int_equal(attach_finish(att, h, n, "application/pdf", 1790000000), ATTACH_OK);
    assert_int_equal(attach_have(att, h), 1);
    assert_int_equal(attach_partial(att, h), 0);
    assert_int_equal(count("SELECT count(*) FROM attachments"), 1);
    free(b);
}

static void
bytes_that_do_not_hash_to_the_hash_are_deleted(void **state)
{
    size_t n = 5000;
    uint8_t *b = pdf(n), h[ATT_HASHLEN];
    (void)state;

    hash_of(b, n, h);
    b[4000] ^= 1;
    assert_int_equal(attach_write(att, h, n, 0, b, n), (int64_t)n);
    assert_int_equal(attach_finish(att, h, n, "application/pdf", 1790000000), ATTACH_MISMATCH);
    assert_int_equal(attach_partial(att, h), 0);
    assert_int_equal(attach_have(att, h), 0);
    assert_int_equal(count("SELECT count(*) FROM attachments"), 0);
    free(b);
}

static void
bytes_not_of_their_type_are_refused(void **state)
{
    size_t n = 5000;
    uint8_t *b = pdf(n), h[ATT_HASHLEN];
    (void)state;

    memcpy(b, "MZ\x90\x00", 4);     /* a program, named a PDF */
    hash_of(b, n, h);
    assert_int_equal(attach_write(att, h, n, 0, b, n), (int64_t)n);
    assert_int_equal(attach_finish(att, h, n, "application/pdf", 1790000000), ATTACH_CONTENT);
    assert_int_equal(attach_have(att, h), 0);
    assert_int_equal(attach_partial(att, h), 0);
    free(b);
}

/* A police report filing carrying one attachment (a, hash h, size n). */
struct case1 {
    Lianxi__Envelope env;
    Lianxi__Filing f;
    Lianxi__Cadre c;
    Lianxi__Attachment a, *ap[1];
    char id[19];
    uint8_t sig[64];
};

static void
case_make(struct case1 *k, const char *ref, const uint8_t h[ATT_HASHLEN], uint64_t n,
          int64_t now)
{
    memset(k, 0, sizeof *k);
    lianxi__envelope__init(&k->env);
    lianxi__filing__init(&k->f);
    lianxi__cadre__init(&k->c);
    lianxi__attachment__init(&k->a);
    memcpy(k->id, "44162319851208185", 17);
    k->id[17] = idnum_check_char(k->id);
    k->c.name = "杨志明";
    k->c.id_number = k->id;
    k->c.work_unit = "县教育局";
    k->c.post = "科长";
    k->c.rank = 3;
    k->f.unit = "police";
    k->f.filing_id = (char *)ref;
    k->f.revision = 1;
    k->f.stage = LIANXI__STAGE__STAGE_REPORT;
    k->f.category = "police.drunk_driving";
    k->f.cadre = &k->c;
    k->f.learned_on = "2026-09-01";
    k->f.summary = "醉酒驾驶，已处理";
    k->f.scope = LIANXI__SCOPE__SCOPE_ORGANS;
    k->f.case_ref = "A1";
    k->f.queued_at = now;
    k->f.answers = "";
    k->f.signature.data = k->sig;
    k->f.signature.len = sizeof k->sig;
    k->a.name = "判决书.pdf";
    k->a.media_type = "application/pdf";
    k->a.size = n;
    k->a.hash.data = (uint8_t *)h;
    k->a.hash.len = ATT_HASHLEN;
    k->ap[0] = &k->a;
    k->f.attachments = k->ap;
    k->f.n_attachments = 1;
    k->env.body_case = LIANXI__ENVELOPE__BODY_FILING;
    k->env.filing = &k->f;
}

static struct intake_ctx
ctx(uint64_t each)
{
    struct intake_ctx ic = { store, audit, cal, cats, &down, NULL, NULL, att,
                             ATT_LIMITS_DEFAULT };
    if (each)
        ic.att_limits.max_each = each;
    return ic;
}

/* Stores one filing item; returns what it is answered. */
static int
send_filing(struct case1 *k, struct intake_item *it, uint64_t each, int64_t now)
{
    struct intake_ctx ic = ctx(each);

    memset(it, 0, sizeof *it);
    it->env = &k->env;
    it->key = &police;
    it->reply = REPLY_RECEIPT;
    memset(it->hash, 7, sizeof it->hash);
    assert_int_equal(intake_store(&ic, it, 1, now), 0);
    return it->reply;
}

/* Sends one chunk from key; returns the answer's offset (-1 refused) and
 * counts the filings refused with it into *refused. */
static int64_t
send_chunk(const struct key_entry *key, const uint8_t h[ATT_HASHLEN], uint64_t size,
           uint64_t off, const uint8_t *data, size_t len, size_t *refused, int64_t now)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__AttachmentChunk c = LIANXI__ATTACHMENT_CHUNK__INIT;
    struct intake_ctx ic = ctx(0);
    struct intake_item it;
    int64_t r;

    c.hash.data = (uint8_t *)h;
    c.hash.len = ATT_HASHLEN;
    c.offset = off;
    c.data.data = (uint8_t *)data;
    c.data.len = len;
    c.size = size;
    env.body_case = LIANXI__ENVELOPE__BODY_ATTACHMENT_CHUNK;
    env.attachment_chunk = &c;
    memset(&it, 0, sizeof it);
    it.env = &env;
    it.key = key;
    it.reply = REPLY_CHUNK;
    assert_int_equal(intake_store(&ic, &it, 1, now), 0);
    assert_int_equal(it.reply, REPLY_WANT);
    assert_int_equal(it.want_filing, 0);
    assert_int_equal(it.nwant, 1);
    assert_memory_equal(it.want[0].hash, h, ATT_HASHLEN);
    r = it.want[0].refused ? -1 : (int64_t)it.want[0].offset;
    if (refused)
        *refused = it.nrefused;
    if (it.nrefused)
        assert_string_equal(it.refused[0].reason.key, "attachment.hash");
    free(it.refused);
    return r;
}

static void
a_filing_waits_for_its_attachment_then_is_stored_with_it(void **state)
{
    size_t n = 2 * ATT_CHUNK + 5;
    uint8_t *b = pdf(n), h[ATT_HASHLEN];
    int64_t now = 1790000000;
    struct case1 k;
    struct intake_item it;
    uint64_t at = 0;
    char hex[ATT_HEXLEN + 1], like[ATT_HEXLEN + 8];
    (void)state;

    hash_of(b, n, h);
    case_make(&k, "police:A1:2:x", h, n, now);
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_WANT);
    assert_int_equal(it.want_filing, 1);
    assert_int_equal(it.nwant, 1);
    assert_int_equal(it.want[0].offset, 0);
    assert_memory_equal(it.want[0].hash, h, ATT_HASHLEN);
    assert_int_equal(count("SELECT count(*) FROM filings"), 0);
    assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), 1);
    /* Another unit may not send these bytes. */
    assert_int_equal(send_chunk(&court, h, n, 0, b, ATT_CHUNK, NULL, now), -1);
    /* The police sends them, one chunk wherever it is asked. */
    assert_int_equal(send_chunk(&police, h, n, 0, b, ATT_CHUNK, NULL, now), ATT_CHUNK);
    /* The filing sent again meanwhile is asked for the rest. */
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_WANT);
    assert_int_equal(it.want[0].offset, ATT_CHUNK);
    at = ATT_CHUNK;
    while (at < n) {
        size_t len = n - at < ATT_CHUNK ? n - at : ATT_CHUNK;
        assert_int_equal(send_chunk(&police, h, n, at, b + at, len, NULL, now),
                         (int64_t)(at + len));
        at += len;
    }
    assert_int_equal(attach_have(att, h), 1);
    assert_int_equal(count("SELECT count(*) FROM filings"), 0);
    /* The filing again: stored, with its attachment, and settled. */
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_RECEIPT);
    assert_int_equal(it.duplicate, 0);
    assert_int_equal(count("SELECT count(*) FROM filings"), 1);
    assert_int_equal(count("SELECT count(*) FROM filing_attachments"), 1);
    assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), 0);
    att_hex(h, hex);
    snprintf(like, sizeof like, "%%%s%%", hex);
    {
        sqlite3_stmt *q = store_stmt(store, "SELECT count(*) FROM audit_log WHERE action ="
                                            " 'file' AND detail LIKE ?1");
        sqlite3_bind_text(q, 1, like, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(q, 0), 1);
        store_done(q);
    }
    /* Once more: the original receipt. */
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_RECEIPT);
    assert_int_equal(it.duplicate, 1);
    /* A chunk of what is stored already is answered with its size. */
    assert_int_equal(send_chunk(&police, h, n, 0, b, 10, NULL, now), (int64_t)n);
    free(b);
}

static void
a_conflicting_filing_is_refused_without_asking_for_bytes(void **state)
{
    size_t n = 1000;
    uint8_t *b = pdf(n), h[ATT_HASHLEN], h2[ATT_HASHLEN];
    int64_t now = 1790000000;
    struct case1 k;
    struct intake_item it;
    (void)state;

    assert_int_equal(attach_put(att, b, n, "application/pdf", now, h), 0);
    case_make(&k, "police:A4:2:x", h, n, now);
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_RECEIPT);
    /* The same id and revision with another document (its content hash
     * differs too): a conflict, nothing declared. */
    memset(h2, 0x5a, sizeof h2);
    k.a.hash.data = h2;
    {
        struct intake_ctx ic = ctx(0);
        memset(&it, 0, sizeof it);
        it.env = &k.env;
        it.key = &police;
        it.reply = REPLY_RECEIPT;
        memset(it.hash, 8, sizeof it.hash);
        assert_int_equal(intake_store(&ic, &it, 1, now), 0);
    }
    assert_int_equal(it.reply, REPLY_REJECTION);
    assert_int_equal(it.code, LIANXI__REJECT_CODE__REJECT_CONFLICT);
    assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), 0);
    free(b);
}

static void
a_tampered_attachment_refuses_the_filings_waiting_for_it(void **state)
{
    size_t n = 1000;
    uint8_t *b = pdf(n), h[ATT_HASHLEN];
    int64_t now = 1790000000;
    struct case1 k;
    struct intake_item it;
    size_t refused = 0;
    (void)state;

    hash_of(b, n, h);
    case_make(&k, "police:A2:2:x", h, n, now);
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_WANT);
    b[500] ^= 0x20;
    assert_int_equal(send_chunk(&police, h, n, 0, b, n, &refused, now), -1);
    assert_int_equal(refused, 1);
    assert_int_equal(attach_have(att, h), 0);
    assert_int_equal(attach_partial(att, h), 0);
    assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), 0);
    assert_int_equal(count("SELECT count(*) FROM rejections WHERE code = 15"), 1);
    assert_int_equal(count("SELECT count(*) FROM filings"), 0);
    free(b);
}

static void
an_attachment_over_the_hubs_limit_refuses_the_filing(void **state)
{
    size_t n = 1000;
    uint8_t *b = pdf(n), h[ATT_HASHLEN];
    int64_t now = 1790000000;
    struct case1 k;
    struct intake_item it;
    (void)state;

    hash_of(b, n, h);
    case_make(&k, "police:A3:2:x", h, n, now);
    assert_int_equal(send_filing(&k, &it, 999, now), REPLY_REJECTION);
    assert_int_equal(it.code, LIANXI__REJECT_CODE__REJECT_TOO_LARGE);
    assert_string_equal(it.reason.key, "attachment.size");
    assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), 0);
    /* A type not taken. */
    k.a.name = "setup.exe";
    k.a.media_type = "application/x-msdownload";
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_REJECTION);
    assert_int_equal(it.code, LIANXI__REJECT_CODE__REJECT_ATTACHMENT);
    assert_string_equal(it.reason.key, "attachment.type");
    free(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_stored_document_reads_back_as_it_was_put, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_chunk_at_another_offset_than_held_is_ignored, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(an_upload_cut_short_resumes_where_the_bytes_end, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(bytes_that_do_not_hash_to_the_hash_are_deleted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(bytes_not_of_their_type_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_filing_waits_for_its_attachment_then_is_stored_with_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_tampered_attachment_refuses_the_filings_waiting_for_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_conflicting_filing_is_refused_without_asking_for_bytes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(an_attachment_over_the_hubs_limit_refuses_the_filing,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
