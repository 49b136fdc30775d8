/* test_attach.c — the hub's attachment store (src/hub/attach.c) and the
 * intake of filings (and opinions on a joint review) with attachments and
 * of their chunks (intake_store,
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
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "audit.h"
#include "calendar.h"
#include "categories.h"
#include "idnum.h"
#include "intake.h"
#include "jointreview.h"
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
    assert_int_equal(attach_write(att, "police", h, 1000, 100, b + 100, 100), 0);
    assert_int_equal(attach_partial(att, "police", h), 0);
    assert_int_equal(attach_write(att, "police", h, 1000, 0, b, 100), 100);
    /* The same chunk again, and one past what is held: both ignored. */
    assert_int_equal(attach_write(att, "police", h, 1000, 0, b, 100), 100);
    assert_int_equal(attach_write(att, "police", h, 1000, 300, b + 300, 100), 100);
    /* Beyond the size: ignored. */
    assert_int_equal(attach_write(att, "police", h, 1000, 100, b + 100, 950), 100);
    assert_int_equal(attach_partial(att, "police", h), 100);
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
    assert_int_equal(attach_write(att, "police", h, n, 0, b, ATT_CHUNK), ATT_CHUNK);
    assert_int_equal(attach_finish(att, "police", h, n, "application/pdf", 1790000000),
                     ATTACH_SHORT);
    /* As after a restart: what is held is what is on disk. */
    at = attach_partial(att, "police", h);
    assert_int_equal(at, ATT_CHUNK);
    while (at < n) {
        size_t len = n - at < ATT_CHUNK ? n - at : ATT_CHUNK;
        int64_t r = attach_write(att, "police", h, n, at, b + at, len);
        assert_int_equal(r, (int64_t)(at + len));
        at = (uint64_t)r;
    }
    assert_int_equal(attach_finish(att, "police", h, n, "application/pdf", 1790000000), ATTACH_OK);
    assert_int_equal(attach_have(att, h), 1);
    assert_int_equal(attach_partial(att, "police", h), 0);
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
    assert_int_equal(attach_write(att, "police", h, n, 0, b, n), (int64_t)n);
    assert_int_equal(attach_finish(att, "police", h, n, "application/pdf", 1790000000),
                     ATTACH_MISMATCH);
    assert_int_equal(attach_partial(att, "police", h), 0);
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
    assert_int_equal(attach_write(att, "police", h, n, 0, b, n), (int64_t)n);
    assert_int_equal(attach_finish(att, "police", h, n, "application/pdf", 1790000000),
                     ATTACH_CONTENT);
    assert_int_equal(attach_have(att, h), 0);
    assert_int_equal(attach_partial(att, "police", h), 0);
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

/* [attachments] max_pending_per_unit of the next items (0: the default). */
static uint64_t pending_cap;

static struct intake_ctx
ctx(uint64_t each)
{
    struct intake_ctx ic = { store, audit, cal, cats, &down, NULL, NULL, att,
                             ATT_LIMITS_DEFAULT, pending_cap };
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

    hash_of(b, n, h);
    case_make(&k, "police:A4:2:x", h, n, now);
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_WANT);
    assert_int_equal(send_chunk(&police, h, n, 0, b, n, NULL, now), (int64_t)n);
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
    assert_int_equal(attach_partial(att, "police", h), 0);
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

/* Another unit sending (or declaring a larger size of) the same hash never
 * touches a unit's upload of it: each unit's bytes are its own. */
static void
another_units_bytes_under_the_same_hash_leave_an_upload_alone(void **state)
{
    size_t n = 2 * ATT_CHUNK;
    uint8_t *b = pdf(n), *junk = pdf(n + 100), h[ATT_HASHLEN];
    (void)state;

    hash_of(b, n, h);
    assert_int_equal(attach_write(att, "police", h, n, 0, b, ATT_CHUNK), ATT_CHUNK);
    /* The court sends junk under that hash, past its size, and finishes. */
    assert_int_equal(attach_write(att, "court", h, n + 100, 0, junk, ATT_CHUNK), ATT_CHUNK);
    assert_int_equal(attach_write(att, "court", h, n + 100, ATT_CHUNK, junk + ATT_CHUNK,
                                  ATT_CHUNK + 100), (int64_t)n + 100);
    assert_int_equal(attach_finish(att, "court", h, n + 100, "application/pdf", 1790000000),
                     ATTACH_MISMATCH);
    /* The police's upload is as it left it, and goes on to the end. */
    assert_int_equal(attach_partial(att, "police", h), ATT_CHUNK);
    assert_int_equal(attach_write(att, "police", h, n, ATT_CHUNK, b + ATT_CHUNK, ATT_CHUNK),
                     (int64_t)n);
    assert_int_equal(attach_finish(att, "police", h, n, "application/pdf", 1790000000),
                     ATTACH_OK);
    assert_int_equal(attach_have(att, h), 1);
    free(b);
    free(junk);
}

/* Bytes the hub holds already from elsewhere (here a document it made; as
 * well another unit's) are not this unit's for naming their hash: it sends
 * them, checked, before its filing is stored (and it may fetch them). */
static void
knowing_a_stored_hash_is_not_holding_the_document(void **state)
{
    size_t n = ATT_CHUNK + 10;
    uint8_t *b = pdf(n), *junk = pdf(n), h[ATT_HASHLEN];
    int64_t now = 1790000000;
    struct case1 k;
    struct intake_item it;
    size_t refused = 0;
    (void)state;

    assert_int_equal(attach_put(att, b, n, "application/pdf", now, h), 0);
    case_make(&k, "police:A1:2:x", h, n, now);
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_WANT);
    assert_int_equal(it.nwant, 1);
    assert_int_equal(it.want[0].offset, 0);
    /* A chunk claiming the hub holds it all does not make it so. */
    assert_int_equal(send_chunk(&police, h, n, 0, junk, ATT_CHUNK, NULL, now), ATT_CHUNK);
    assert_int_equal(send_chunk(&police, h, n, ATT_CHUNK, junk + ATT_CHUNK, 10, &refused, now),
                     -1);
    assert_int_equal(refused, 1);
    assert_int_equal(count("SELECT count(*) FROM filings"), 0);
    assert_int_equal(count("SELECT count(*) FROM rejections"), 1);
    /* The bytes themselves: checked, and the filing (a new revision) is stored. */
    k.f.revision = 2;
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_WANT);
    assert_int_equal(send_chunk(&police, h, n, 0, b, ATT_CHUNK, NULL, now), ATT_CHUNK);
    assert_int_equal(send_chunk(&police, h, n, ATT_CHUNK, b + ATT_CHUNK, 10, NULL, now),
                     (int64_t)n);
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_RECEIPT);
    assert_int_equal(count("SELECT count(*) FROM filing_attachments"), 1);
    assert_int_equal(count("SELECT count(*) FROM attachments"), 1);
    /* Its next filing naming them needs no bytes: it has shown it holds them. */
    k.f.revision = 3;
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_RECEIPT);
    free(b);
    free(junk);
}

/* A unit declaring upload after upload and never sending them is held to
 * max_pending_per_unit: a filing whose new documents would pass it waits
 * (a retryable refusal), and goes once the earlier ones have arrived. */
static void
a_units_unfinished_uploads_are_bounded(void **state)
{
    size_t n = ATT_CHUNK + 100;
    uint8_t *b1 = pdf(n), *b2 = pdf(n), h1[ATT_HASHLEN], h2[ATT_HASHLEN];
    int64_t now = 1790000000;
    struct case1 k1, k2;
    struct intake_item it;
    (void)state;

    hash_of(b1, n, h1);
    hash_of(b2, n, h2);
    pending_cap = 2 * n - 1;        /* one of them, not both */
    case_make(&k1, "police:A1:2:x", h1, n, now);
    case_make(&k2, "police:A2:2:x", h2, n, now);
    assert_int_equal(send_filing(&k1, &it, 0, now), REPLY_WANT);
    assert_int_equal(send_filing(&k2, &it, 0, now), REPLY_REJECTION);
    assert_int_equal(it.code, LIANXI__REJECT_CODE__REJECT_INTERNAL);
    assert_string_equal(it.reason.key, "attachment.pending");
    assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), 1);
    /* The first again: what it declared already is not counted twice. */
    assert_int_equal(send_filing(&k1, &it, 0, now), REPLY_WANT);
    /* Another unit's uploads are its own. */
    assert_int_equal(send_chunk(&police, h1, n, 0, b1, ATT_CHUNK, NULL, now), ATT_CHUNK);
    assert_int_equal(send_chunk(&police, h1, n, ATT_CHUNK, b1 + ATT_CHUNK, n - ATT_CHUNK, NULL,
                                now), (int64_t)n);
    /* The first's bytes arrived and it is stored: the second may go. */
    assert_int_equal(send_filing(&k1, &it, 0, now), REPLY_RECEIPT);
    assert_int_equal(send_filing(&k2, &it, 0, now), REPLY_WANT);
    assert_int_equal(it.nwant, 1);
    assert_memory_equal(it.want[0].hash, h2, ATT_HASHLEN);
    pending_cap = 0;
    free(b1);
    free(b2);
}

/* One document named under filing id after filing id: the declarations
 * are bounded in number too, and a filing already declared goes on. */
static void
a_units_declarations_are_bounded_in_number(void **state)
{
    size_t n = 1000;
    uint8_t *b = pdf(n), h[ATT_HASHLEN];
    int64_t now = 1790000000;
    struct case1 k1, k2;
    struct intake_item it;
    sqlite3_stmt *q;
    (void)state;

    hash_of(b, n, h);
    case_make(&k1, "police:A1:2:x", h, n, now);
    case_make(&k2, "police:A2:2:x", h, n, now);
    assert_int_equal(send_filing(&k1, &it, 0, now), REPLY_WANT);
    /* The rest of the limit, as many filings would leave them. */
    q = store_stmt(store, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c"
                          " WHERE i < ?2) INSERT INTO attachment_uploads(hash, unit, filing_id,"
                          " revision, name, media_type, size, declared_at) SELECT ?1, 'police',"
                          " 'police:F' || i || ':2:x', 1, 'a.pdf', 'application/pdf', ?3, ?4"
                          " FROM c");
    assert_non_null(q);
    sqlite3_bind_blob(q, 1, h, ATT_HASHLEN, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, ATT_MAX_DECLARATIONS - 1);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)n);
    sqlite3_bind_int64(q, 4, now);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    store_done(q);
    assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), ATT_MAX_DECLARATIONS);
    assert_int_equal(send_filing(&k2, &it, 0, now), REPLY_REJECTION);
    assert_int_equal(it.code, LIANXI__REJECT_CODE__REJECT_INTERNAL);
    assert_string_equal(it.reason.key, "attachment.pending_count");
    assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), ATT_MAX_DECLARATIONS);
    /* The filing declared already is asked for its bytes as before. */
    assert_int_equal(send_filing(&k1, &it, 0, now), REPLY_WANT);
    free(b);
}

/* Declarations not renewed for the days given are forgotten, and the bytes
 * of an upload no unit may go on with are deleted. */
static void
stale_uploads_are_forgotten_and_their_bytes_deleted(void **state)
{
    size_t n = 2 * ATT_CHUNK;
    uint8_t *b = pdf(n), h[ATT_HASHLEN];
    int64_t now = 1790000000, days = 7 * 86400;
    struct case1 k;
    struct intake_item it;
    char orphan[512];
    FILE *fp;
    (void)state;

    hash_of(b, n, h);
    case_make(&k, "police:A1:2:x", h, n, now);
    assert_int_equal(send_filing(&k, &it, 0, now), REPLY_WANT);
    assert_int_equal(send_chunk(&police, h, n, 0, b, ATT_CHUNK, NULL, now), ATT_CHUNK);
    /* The bytes of an upload nobody declared (as after a forgetting). */
    snprintf(orphan, sizeof orphan, "%s/partial/%064d", adir, 0);
    assert_non_null(fp = fopen(orphan, "w"));
    fputs("%PDF-junk", fp);
    fclose(fp);
    /* Within the days: only the orphan goes. */
    assert_int_equal(attach_sweep(att, now + days - 1, days), 1);
    assert_int_equal(access(orphan, F_OK), -1);
    assert_int_equal(attach_partial(att, "police", h), ATT_CHUNK);
    assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), 1);
    /* Sent again, the filing renews its declaration. */
    assert_int_equal(send_filing(&k, &it, 0, now + days - 1), REPLY_WANT);
    assert_int_equal(it.want[0].offset, ATT_CHUNK);
    assert_int_equal(attach_sweep(att, now + days + 1, days), 0);
    assert_int_equal(attach_partial(att, "police", h), ATT_CHUNK);
    /* Past them: the declaration and its bytes go, and its chunks are refused. */
    assert_int_equal(attach_sweep(att, now + 2 * days, days), 2);
    assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), 0);
    assert_int_equal(attach_partial(att, "police", h), 0);
    assert_int_equal(send_chunk(&police, h, n, 0, b, ATT_CHUNK, NULL, now + 2 * days), -1);
    free(b);
}

/* The police's opinion on a joint review opened at now, carrying one PDF
 * of n bytes (hash h): the envelope in env (its parts in the rest). */
struct opinion1 {
    Lianxi__Envelope env;
    Lianxi__Opinion o;
    Lianxi__OpinionItem item, *items[1];
    Lianxi__Attachment a, *ap[1];
    char id[19], oid[64], code[JR_CODE_LEN];
    uint8_t sig[64];
};

static void
opinion_make(struct opinion1 *k, const uint8_t h[ATT_HASHLEN], uint64_t n, int64_t now)
{
    const char *units[] = { "police" };
    struct jr_candidate c;
    int64_t rid;

    memset(k, 0, sizeof *k);
    memcpy(k->id, "44162319851208185", 17);
    k->id[17] = idnum_check_char(k->id);
    c = (struct jr_candidate){ "杨志明", k->id, "县教育局", "科长", "副局长" };
    assert_int_equal(store_begin(store), 0);
    rid = jointreview_create(store, cal, "拟提拔干部", LIANXI__SCOPE__SCOPE_LEADERSHIP, &c, 1,
                             units, 1, 3, "op:wang", now);
    assert_true(rid > 0);
    assert_int_equal(store_commit(store), 0);
    jointreview_format(rid, k->code);
    snprintf(k->oid, sizeof k->oid, "police:%s", k->code);
    lianxi__envelope__init(&k->env);
    lianxi__opinion__init(&k->o);
    lianxi__opinion_item__init(&k->item);
    lianxi__attachment__init(&k->a);
    k->item.id_number = k->id;
    k->item.answer = LIANXI__OPINION_ANSWER__OPINION_HOLDS;
    k->item.text = "诫勉谈话一次";
    k->item.expected_on = "";
    k->items[0] = &k->item;
    k->o.unit = "police";
    k->o.opinion_id = k->oid;
    k->o.revision = 1;
    k->o.review_id = k->code;
    k->o.items = k->items;
    k->o.n_items = 1;
    k->o.queued_at = now;
    k->o.signature.data = k->sig;
    k->o.signature.len = sizeof k->sig;
    k->a.name = "诫勉谈话决定.pdf";
    k->a.media_type = "application/pdf";
    k->a.size = n;
    k->a.hash.data = (uint8_t *)h;
    k->a.hash.len = ATT_HASHLEN;
    k->ap[0] = &k->a;
    k->o.attachments = k->ap;
    k->o.n_attachments = 1;
    k->env.body_case = LIANXI__ENVELOPE__BODY_OPINION;
    k->env.opinion = &k->o;
}

static int
send_opinion(struct opinion1 *k, struct intake_item *it, int64_t now)
{
    struct intake_ctx ic = ctx(0);

    memset(it, 0, sizeof *it);
    it->env = &k->env;
    it->key = &police;
    it->reply = REPLY_RECEIPT;
    memset(it->hash, 9, sizeof it->hash);
    assert_int_equal(intake_store(&ic, it, 1, now), 0);
    return it->reply;
}

static void
an_opinion_waits_for_its_attachment_then_is_stored_with_it(void **state)
{
    size_t n = ATT_CHUNK + 77;
    uint8_t *b = pdf(n), h[ATT_HASHLEN];
    int64_t now = 1790000000;
    struct opinion1 k;
    struct intake_item it;
    struct attach_ref refs[ATT_MAX_COUNT];
    char hex[ATT_HEXLEN + 1], like[ATT_HEXLEN + 8];
    (void)state;

    hash_of(b, n, h);
    opinion_make(&k, h, n, now);
    /* Not held: wanted under the opinion's id, not stored. */
    assert_int_equal(send_opinion(&k, &it, now), REPLY_WANT);
    assert_int_equal(it.want_filing, 1);
    assert_int_equal(it.nwant, 1);
    assert_int_equal(it.want[0].offset, 0);
    assert_memory_equal(it.want[0].hash, h, ATT_HASHLEN);
    assert_int_equal(count("SELECT count(*) FROM opinions"), 0);
    assert_int_equal(count("SELECT count(*) FROM opinion_attachments"), 0);
    assert_int_equal(attach_declared_by(att, "police", k.oid, 1, h), 1);
    /* Another unit may not send them; the police sends them whole. */
    assert_int_equal(send_chunk(&court, h, n, 0, b, ATT_CHUNK, NULL, now), -1);
    assert_int_equal(send_chunk(&police, h, n, 0, b, ATT_CHUNK, NULL, now), ATT_CHUNK);
    /* Half held: still wanted, from where the bytes end. */
    assert_int_equal(send_opinion(&k, &it, now), REPLY_WANT);
    assert_int_equal(it.want[0].offset, ATT_CHUNK);
    assert_int_equal(count("SELECT count(*) FROM opinions"), 0);
    assert_int_equal(send_chunk(&police, h, n, ATT_CHUNK, b + ATT_CHUNK, n - ATT_CHUNK, NULL,
                                now), (int64_t)n);
    assert_int_equal(attach_have(att, h), 1);
    /* Sent again: stored, with its document, in the same transaction. */
    assert_int_equal(send_opinion(&k, &it, now), REPLY_RECEIPT);
    assert_int_equal(it.duplicate, 0);
    assert_int_equal(count("SELECT count(*) FROM opinions"), 1);
    assert_int_equal(count("SELECT count(*) FROM opinion_attachments"), 1);
    assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), 0);
    assert_int_equal(attach_of_opinion(store, it.receipt.row, refs, ATT_MAX_COUNT), 1);
    assert_memory_equal(refs[0].hash, h, ATT_HASHLEN);
    assert_string_equal(refs[0].name, "诫勉谈话决定.pdf");
    assert_int_equal(refs[0].size, n);
    assert_int_equal(refs[0].seq, 1);
    /* Not a filing's. */
    assert_int_equal(count("SELECT count(*) FROM filing_attachments"), 0);
    att_hex(h, hex);
    snprintf(like, sizeof like, "%%%s%%", hex);
    {
        sqlite3_stmt *q = store_stmt(store, "SELECT count(*) FROM audit_log WHERE action ="
                                            " 'opinion' AND detail LIKE ?1");
        sqlite3_bind_text(q, 1, like, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(q, 0), 1);
        store_done(q);
    }
    /* An opinion on a review not sent to the unit is refused before any
     * bytes are wanted of it. */
    {
        struct opinion1 x = k;
        x.o.review_id = "REQ-999";
        x.env.opinion = &x.o;
        x.ap[0] = &x.a;
        x.o.attachments = x.ap;
        x.a.hash.data = (uint8_t *)b;   /* (another hash: the PDF's first bytes) */
        assert_int_equal(send_opinion(&x, &it, now), REPLY_REJECTION);
        assert_string_equal(it.reason.key, "review.unknown");
        assert_int_equal(count("SELECT count(*) FROM attachment_uploads"), 0);
    }
    /* Once more: the original receipt, nothing asked (the unit showed it
     * holds the bytes). */
    assert_int_equal(send_opinion(&k, &it, now), REPLY_RECEIPT);
    assert_int_equal(it.duplicate, 1);
    assert_int_equal(send_chunk(&police, h, n, 0, b, 10, NULL, now), (int64_t)n);
    free(b);
}

/* An operator's upload (a circular's document) is declared, and renewed,
 * by each of its pieces (control.c): the sweep leaves it while its pieces
 * come, and deletes it with its declaration when none came for the days
 * given; one not declared (cut short by an older release) goes at once. */
static void
an_operators_upload_is_swept_only_when_stale(void **state)
{
    size_t n = 2 * ATT_CHUNK;
    uint8_t *b = pdf(n), *c = pdf(n), h[ATT_HASHLEN], hc[ATT_HASHLEN];
    int64_t now = time(NULL), days = 7 * 86400;
    Lianxi__Attachment a = LIANXI__ATTACHMENT__INIT;
    uint64_t pending = 0;
    long rows = 0;
    (void)state;

    hash_of(b, n, h);
    c[100] ^= 1;
    hash_of(c, n, hc);
    a.hash.data = h;
    a.hash.len = ATT_HASHLEN;
    a.name = "通报.pdf";
    a.media_type = "application/pdf";
    a.size = n;
    assert_int_equal(attach_declare(att, ATTACH_OPERATORS, "upload", 0, &a, now), 0);
    assert_int_equal(attach_write(att, ATTACH_OPERATORS, h, n, 0, b, ATT_CHUNK), ATT_CHUNK);
    assert_int_equal(attach_write(att, ATTACH_OPERATORS, hc, n, 0, c, ATT_CHUNK), ATT_CHUNK);
    assert_int_equal(attach_pending(att, ATTACH_OPERATORS, &pending, &rows), 0);
    assert_int_equal(pending, n);
    assert_int_equal(rows, 1);
    assert_true(attach_sweep(att, now, days) >= 0);
    assert_int_equal(attach_partial(att, ATTACH_OPERATORS, h), ATT_CHUNK);
    assert_int_equal(attach_partial(att, ATTACH_OPERATORS, hc), 0);
    /* No piece for longer than the days: deleted, declaration and bytes. */
    assert_int_equal(attach_sweep(att, now + days + 86400, days), 2);
    assert_int_equal(attach_partial(att, ATTACH_OPERATORS, h), 0);
    assert_int_equal(attach_pending(att, ATTACH_OPERATORS, &pending, &rows), 0);
    assert_int_equal(pending, 0);
    free(b);
    free(c);
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
        cmocka_unit_test_setup_teardown(an_opinion_waits_for_its_attachment_then_is_stored_with_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_filing_waits_for_its_attachment_then_is_stored_with_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_tampered_attachment_refuses_the_filings_waiting_for_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_conflicting_filing_is_refused_without_asking_for_bytes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(an_attachment_over_the_hubs_limit_refuses_the_filing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            another_units_bytes_under_the_same_hash_leave_an_upload_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(knowing_a_stored_hash_is_not_holding_the_document,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_units_unfinished_uploads_are_bounded, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_units_declarations_are_bounded_in_number, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(stale_uploads_are_forgotten_and_their_bytes_deleted,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(an_operators_upload_is_swept_only_when_stale, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
