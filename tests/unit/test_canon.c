/* test_canon.c — canonical encoding, signature and hash (src/lib/canon.h),
 * filings signed under protocol 1, and the versions the hub takes
 * (wire_check_version). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "wire.h"

struct fx {
    Lianxi__Cadre cadre;
    Lianxi__Filing f;
    uint8_t pk[crypto_sign_PUBLICKEYBYTES];
    uint8_t sk[crypto_sign_SECRETKEYBYTES];
};

static void
fill(Lianxi__Filing *f, Lianxi__Cadre *c)
{
    *c = (Lianxi__Cadre)LIANXI__CADRE__INIT;
    *f = (Lianxi__Filing)LIANXI__FILING__INIT;
    c->name = "张三";
    c->id_number = "11010519491231002X";
    c->work_unit = "县交通运输局";
    c->post = "副局长";
    c->rank = LIANXI__RANK__RANK_DEPUTY_SECTION;
    f->unit = "police";
    f->filing_id = "police-2026-0001";
    f->revision = 1;
    f->stage = LIANXI__STAGE__STAGE_REPORT;
    f->category = "police.drunk_driving";
    f->cadre = c;
    f->learned_on = "2026-11-20";
    f->summary = "醉酒驾驶机动车，血液酒精含量 120mg/100ml。";
    f->scope = LIANXI__SCOPE__SCOPE_ORGANS;
    f->case_ref = "公(交)立字[2026]0042号";
    f->queued_at = 1795320000;
    f->answers = "";
}

static int
setup(void **state)
{
    struct fx *x = calloc(1, sizeof *x);

    if (!x || sodium_init() < 0)
        return -1;
    fill(&x->f, &x->cadre);
    crypto_sign_keypair(x->pk, x->sk);
    *state = x;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *x = *state;

    free(x->f.signature.data);
    free(x);
    return 0;
}

static long
encode(const Lianxi__Filing *f, uint8_t *buf)
{
    long n = canon_encode(f, buf, CANON_MAX);
    assert_true(n > 0);
    return n;
}

static void
sign_then_verify_succeeds(void **state)
{
    struct fx *x = *state;

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    assert_non_null(x->f.signature.data);
    assert_int_equal(x->f.signature.len, CANON_SIGLEN);
    assert_int_equal(canon_verify(&x->f, x->pk), 0);
}

static void
verify_fails_after_summary_changes(void **state)
{
    struct fx *x = *state;

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    x->f.summary = "饮酒后驾驶机动车。";
    assert_int_equal(canon_verify(&x->f, x->pk), -1);
}

static void
verify_fails_after_id_number_changes(void **state)
{
    struct fx *x = *state;

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    x->cadre.id_number = "110105199003071239";
    assert_int_equal(canon_verify(&x->f, x->pk), -1);
}

static void
verify_fails_after_revision_changes(void **state)
{
    struct fx *x = *state;

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    x->f.revision = 2;
    assert_int_equal(canon_verify(&x->f, x->pk), -1);
}

static void
verify_fails_after_queued_at_changes(void **state)
{
    struct fx *x = *state;

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    x->f.queued_at += 1;
    assert_int_equal(canon_verify(&x->f, x->pk), -1);
}

static void
verify_fails_after_queued_at_high_word_changes(void **state)
{
    struct fx *x = *state;

    /* queued_at is an i64: a change above bit 31 must be covered too. */
    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    x->f.queued_at += (int64_t)1 << 32;
    assert_int_equal(canon_verify(&x->f, x->pk), -1);
}

static void
verify_fails_after_unit_changes(void **state)
{
    struct fx *x = *state;

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    x->f.unit = "court";
    assert_int_equal(canon_verify(&x->f, x->pk), -1);
}

static void
verify_fails_after_signature_byte_changes(void **state)
{
    struct fx *x = *state;

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    x->f.signature.data[10] ^= 0x01;
    assert_int_equal(canon_verify(&x->f, x->pk), -1);
}

static void
verify_fails_with_short_signature(void **state)
{
    struct fx *x = *state;

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    x->f.signature.len = CANON_SIGLEN - 1;
    assert_int_equal(canon_verify(&x->f, x->pk), -1);
    x->f.signature.len = CANON_SIGLEN;
}

static void
verify_fails_without_signature(void **state)
{
    struct fx *x = *state;

    assert_int_equal(canon_verify(&x->f, x->pk), -1);
}

static void
verify_with_another_key_fails(void **state)
{
    struct fx *x = *state;
    uint8_t pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];

    crypto_sign_keypair(pk2, sk2);
    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    assert_int_equal(canon_verify(&x->f, pk2), -1);
}

static void
encode_starts_with_tag(void **state)
{
    struct fx *x = *state;
    uint8_t *buf = malloc(CANON_MAX);
    long n = encode(&x->f, buf);

    assert_true(n > 16);
    assert_memory_equal(buf, "lianxi-filing-v2", 16);
    /* Then str unit: u32 big-endian length 6, "police". */
    assert_memory_equal(buf + 16, "\0\0\0\6police", 10);
    free(buf);
}

static void
encode_is_deterministic(void **state)
{
    struct fx *x = *state;
    uint8_t *a = malloc(CANON_MAX), *b = malloc(CANON_MAX);
    Lianxi__Filing f2;
    Lianxi__Cadre c2;
    long na, nb;

    /* Encoding twice, and encoding an equal filing built separately, give
     * the same bytes. */
    na = encode(&x->f, a);
    nb = encode(&x->f, b);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, (size_t)na);
    fill(&f2, &c2);
    nb = encode(&f2, b);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, (size_t)na);
    free(a);
    free(b);
}

static void
encode_ignores_signature(void **state)
{
    struct fx *x = *state;
    uint8_t *a = malloc(CANON_MAX), *b = malloc(CANON_MAX);
    long na, nb;

    na = encode(&x->f, a);
    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    nb = encode(&x->f, b);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, (size_t)na);
    free(a);
    free(b);
}

static void
encode_length_matches_layout(void **state)
{
    struct fx *x = *state;
    const Lianxi__Filing *f = &x->f;
    const Lianxi__Cadre *c = f->cadre;
    uint8_t *buf = malloc(CANON_MAX);
    /* Tag, 11 strings with a 4-byte length each, 5 u32 and one i64. */
    size_t want = 16 +
        4 + strlen(f->unit) + 4 + strlen(f->filing_id) + 4 + 4 + 4 + strlen(f->category) +
        4 + strlen(c->name) + 4 + strlen(c->id_number) + 4 + strlen(c->work_unit) +
        4 + strlen(c->post) + 4 + 4 + strlen(f->learned_on) + 4 + strlen(f->summary) +
        4 + 4 + strlen(f->case_ref) + 8 + 4 + strlen(f->answers) + 4;

    assert_int_equal(encode(f, buf), (long)want);
    free(buf);
}

static void
encode_fails_when_buffer_too_small(void **state)
{
    struct fx *x = *state;
    uint8_t buf[32];

    assert_int_equal(canon_encode(&x->f, buf, sizeof buf), -1);
}

static void
field_boundaries_change_the_encoding(void **state)
{
    uint8_t *a = malloc(CANON_MAX), *b = malloc(CANON_MAX);
    Lianxi__Filing f1, f2;
    Lianxi__Cadre c1, c2;
    long na, nb;

    (void)state;
    fill(&f1, &c1);
    fill(&f2, &c2);
    c1.name = "ab";
    c1.work_unit = "c";
    c2.name = "a";
    c2.work_unit = "bc";
    na = encode(&f1, a);
    nb = encode(&f2, b);
    assert_int_equal(na, nb);   /* same total bytes ... */
    assert_memory_not_equal(a, b, (size_t)na);  /* ... but not the same encoding */
    free(a);
    free(b);
}

static void
adjacent_field_boundaries_change_the_encoding(void **state)
{
    uint8_t *a = malloc(CANON_MAX), *b = malloc(CANON_MAX);
    Lianxi__Filing f1, f2;
    Lianxi__Cadre c1, c2;
    long na, nb;

    /* unit and filing_id are adjacent in the layout. */
    (void)state;
    fill(&f1, &c1);
    fill(&f2, &c2);
    f1.unit = "police";
    f1.filing_id = "x1";
    f2.unit = "policex";
    f2.filing_id = "1";
    na = encode(&f1, a);
    nb = encode(&f2, b);
    assert_int_equal(na, nb);
    assert_memory_not_equal(a, b, (size_t)na);
    free(a);
    free(b);
}

static void
signature_survives_envelope_round_trip(void **state)
{
    struct fx *x = *state;
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT, *got;
    uint8_t *bytes = NULL;
    long n;

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    env.body_case = LIANXI__ENVELOPE__BODY_FILING;
    env.filing = &x->f;
    n = wire_pack(&env, &bytes);
    assert_true(n > 0);
    assert_int_equal(env.version, LX_PROTOCOL_VERSION);
    got = wire_unpack(bytes, (size_t)n);
    assert_non_null(got);
    assert_int_equal(got->version, LX_PROTOCOL_VERSION);
    assert_int_equal(got->body_case, LIANXI__ENVELOPE__BODY_FILING);
    assert_non_null(got->filing);
    assert_string_equal(got->filing->summary, x->f.summary);
    assert_int_equal(got->filing->signature.len, CANON_SIGLEN);
    assert_int_equal(canon_verify(got->filing, x->pk), 0);
    /* And the unpacked copy is still bound to its content. */
    got->filing->revision++;
    assert_int_equal(canon_verify(got->filing, x->pk), -1);
    wire_free(got);
    free(bytes);
}

static void
hash_differs_when_signature_differs(void **state)
{
    struct fx *x = *state;
    uint8_t h1[CANON_HASHLEN], h2[CANON_HASHLEN], pk2[crypto_sign_PUBLICKEYBYTES],
        sk2[crypto_sign_SECRETKEYBYTES];

    crypto_sign_keypair(pk2, sk2);
    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h1), 0);
    assert_int_equal(canon_sign(&x->f, sk2), 0);
    assert_int_equal(canon_verify_hash(&x->f, pk2, h2), 0);
    assert_memory_not_equal(h1, h2, CANON_HASHLEN);
}

static void
hash_is_stable_and_covers_content(void **state)
{
    struct fx *x = *state;
    uint8_t h1[CANON_HASHLEN], h2[CANON_HASHLEN], h3[CANON_HASHLEN];

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h1), 0);
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h2), 0);
    assert_memory_equal(h1, h2, CANON_HASHLEN);
    x->f.case_ref = "other";
    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h3), 0);
    assert_memory_not_equal(h1, h3, CANON_HASHLEN);
}

static void
hash_is_blake2b_of_encoding_then_signature(void **state)
{
    struct fx *x = *state;
    uint8_t *buf = malloc(CANON_MAX + CANON_SIGLEN), want[CANON_HASHLEN], got[CANON_HASHLEN];
    long n;

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    n = encode(&x->f, buf);
    memcpy(buf + n, x->f.signature.data, CANON_SIGLEN);
    crypto_generichash(want, sizeof want, buf, (unsigned long long)n + CANON_SIGLEN, NULL, 0);
    assert_int_equal(canon_verify_hash(&x->f, x->pk, got), 0);
    assert_memory_equal(want, got, CANON_HASHLEN);
    free(buf);
}

/* The layout of canon.h, written out again here: what another language's
 * encoder would do. */
struct lay {
    uint8_t *p;
    size_t n;
};

static void
lay_bytes(struct lay *l, const void *data, size_t n)
{
    memcpy(l->p + l->n, data, n);
    l->n += n;
}

static void
lay_u32(struct lay *l, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    lay_bytes(l, b, 4);
}

static void
lay_str(struct lay *l, const char *s)
{
    lay_u32(l, (uint32_t)strlen(s));
    lay_bytes(l, s, strlen(s));
}

/* The fixture filing laid out by hand: version 2, or 1 (no real_name). */
static size_t
lay_filing(const Lianxi__Filing *f, int version, uint8_t *out)
{
    struct lay l = { out, 0 };
    const Lianxi__Cadre *c = f->cadre;
    uint64_t q = (uint64_t)f->queued_at;

    lay_bytes(&l, version == 2 ? "lianxi-filing-v2" : "lianxi-filing-v1", 16);
    lay_str(&l, f->unit);
    lay_str(&l, f->filing_id);
    lay_u32(&l, f->revision);
    lay_u32(&l, (uint32_t)f->stage);
    lay_str(&l, f->category);
    lay_str(&l, c->name);
    lay_str(&l, c->id_number);
    lay_str(&l, c->work_unit);
    lay_str(&l, c->post);
    lay_u32(&l, (uint32_t)c->rank);
    lay_str(&l, f->learned_on);
    lay_str(&l, f->summary);
    lay_u32(&l, (uint32_t)f->scope);
    lay_str(&l, f->case_ref);
    lay_u32(&l, (uint32_t)(q >> 32));
    lay_u32(&l, (uint32_t)q);
    lay_str(&l, f->answers);
    if (version == 2)
        lay_u32(&l, f->real_name ? 1 : 0);
    return l.n;
}

static void
encode_v2_is_the_documented_layout(void **state)
{
    struct fx *x = *state;
    uint8_t *want = malloc(CANON_MAX), *got = malloc(CANON_MAX);
    size_t n;

    for (int real = 0; real <= 1; real++) {
        x->f.real_name = real;
        n = lay_filing(&x->f, 2, want);
        assert_int_equal(canon_encode(&x->f, got, CANON_MAX), (long)n);
        assert_memory_equal(got, want, n);
        /* real_name is the last u32. */
        assert_memory_equal(got + n - 4, real ? "\0\0\0\1" : "\0\0\0\0", 4);
    }
    free(want);
    free(got);
}

static void
encode_v1_is_the_documented_layout_without_real_name(void **state)
{
    struct fx *x = *state;
    uint8_t *want = malloc(CANON_MAX), *got = malloc(CANON_MAX);
    size_t n;

    x->f.real_name = 1;     /* not in version 1 */
    n = lay_filing(&x->f, 1, want);
    assert_int_equal(canon_encode_v1(&x->f, got, CANON_MAX), (long)n);
    assert_memory_equal(got, want, n);
    free(want);
    free(got);
}

static void
verify_fails_after_real_name_is_set(void **state)
{
    struct fx *x = *state;

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    x->f.real_name = 1;
    assert_int_equal(canon_verify(&x->f, x->pk), -1);
}

static void
verify_fails_after_real_name_is_cleared(void **state)
{
    struct fx *x = *state;
    uint8_t h[CANON_HASHLEN];

    /* Cleared, the filing could also be checked against version 1: that must
     * not make a signature over version 2 verify. */
    x->f.real_name = 1;
    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    assert_int_equal(canon_verify(&x->f, x->pk), 0);
    x->f.real_name = 0;
    assert_int_equal(canon_verify(&x->f, x->pk), -1);
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h), -1);
}

/* Signs f as an adapter of protocol 1 did: over the version-1 layout. */
static void
sign_v1(Lianxi__Filing *f, const uint8_t *sk)
{
    uint8_t *buf = malloc(CANON_MAX);
    size_t n = lay_filing(f, 1, buf);

    free(f->signature.data);
    f->signature.data = malloc(CANON_SIGLEN);
    f->signature.len = CANON_SIGLEN;
    crypto_sign_detached(f->signature.data, NULL, buf, n, sk);
    free(buf);
}

/* The envelope of version carrying f, packed and unpacked again as the hub
 * receives it; free with wire_free. */
static Lianxi__Envelope *
carried(Lianxi__Filing *f, uint32_t version)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT, *got;
    uint8_t *bytes;
    size_t n;

    env.version = version;
    env.body_case = LIANXI__ENVELOPE__BODY_FILING;
    env.filing = f;
    n = lianxi__envelope__get_packed_size(&env);
    bytes = malloc(n);
    lianxi__envelope__pack(&env, bytes);
    got = wire_unpack(bytes, n);
    free(bytes);
    assert_non_null(got);
    assert_int_equal(got->version, version);
    return got;
}

static void
v1_signed_filing_verifies_and_hashes_the_same_in_either_envelope(void **state)
{
    struct fx *x = *state;
    uint8_t *buf = malloc(CANON_MAX + CANON_SIGLEN), want[CANON_HASHLEN], h1[CANON_HASHLEN],
        h2[CANON_HASHLEN];
    Lianxi__Envelope *v1, *v2;
    size_t n;

    sign_v1(&x->f, x->sk);
    assert_int_equal(canon_verify(&x->f, x->pk), 0);
    /* The hash is of the version-1 encoding that verified, then the signature:
     * what the hub stored for it before protocol 2. */
    n = lay_filing(&x->f, 1, buf);
    memcpy(buf + n, x->f.signature.data, CANON_SIGLEN);
    crypto_generichash(want, sizeof want, buf, n + CANON_SIGLEN, NULL, 0);
    v1 = carried(&x->f, 1);
    v2 = carried(&x->f, 2);
    assert_int_equal(canon_verify_hash(v1->filing, x->pk, h1), 0);
    assert_int_equal(canon_verify_hash(v2->filing, x->pk, h2), 0);
    assert_memory_equal(h1, want, CANON_HASHLEN);
    assert_memory_equal(h2, want, CANON_HASHLEN);
    /* And it is still bound to its content. */
    v2->filing->revision++;
    assert_int_equal(canon_verify_hash(v2->filing, x->pk, h2), -1);
    wire_free(v1);
    wire_free(v2);
    free(buf);
}

static void
v1_signed_filing_marked_real_name_does_not_verify(void **state)
{
    struct fx *x = *state;
    uint8_t h[CANON_HASHLEN];

    /* Version 1 does not cover real_name: set after signing, it is unsigned. */
    sign_v1(&x->f, x->sk);
    x->f.real_name = 1;
    assert_int_equal(canon_verify(&x->f, x->pk), -1);
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h), -1);
}

/* wire_check_version of a filing envelope of version, real-name or not. */
static Lianxi__RejectCode
version_check(struct fx *x, uint32_t version, int real_name, char *detail, size_t len)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;

    x->f.real_name = real_name;
    env.version = version;
    env.body_case = LIANXI__ENVELOPE__BODY_FILING;
    env.filing = &x->f;
    detail[0] = '\0';
    return wire_check_version(&env, detail, len);
}

static void
hub_takes_versions_1_to_3(void **state)
{
    struct fx *x = *state;
    char detail[512];

    assert_int_equal(version_check(x, 1, 0, detail, sizeof detail),
                     LIANXI__REJECT_CODE__REJECT_NONE);
    assert_int_equal(version_check(x, 2, 0, detail, sizeof detail),
                     LIANXI__REJECT_CODE__REJECT_NONE);
    assert_int_equal(version_check(x, 2, 1, detail, sizeof detail),
                     LIANXI__REJECT_CODE__REJECT_NONE);
    assert_int_equal(version_check(x, 3, 1, detail, sizeof detail),
                     LIANXI__REJECT_CODE__REJECT_NONE);
    assert_int_equal(LX_PROTOCOL_VERSION, 3);
}

static void
other_versions_are_refused_with_a_sentence(void **state)
{
    struct fx *x = *state;
    char detail[512];

    assert_int_equal(version_check(x, 0, 0, detail, sizeof detail),
                     LIANXI__REJECT_CODE__REJECT_VERSION);
    assert_non_null(strstr(detail, "protocol version 0"));
    assert_int_equal(version_check(x, 4, 0, detail, sizeof detail),
                     LIANXI__REJECT_CODE__REJECT_VERSION);
    assert_non_null(strstr(detail, "install the adapter release"));
}

static void
real_name_in_a_version_1_envelope_is_malformed(void **state)
{
    struct fx *x = *state;
    char detail[512];

    assert_int_equal(version_check(x, 1, 1, detail, sizeof detail),
                     LIANXI__REJECT_CODE__REJECT_MALFORMED);
    assert_non_null(strstr(detail, "real-name"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* An opinion of two items, as the proto's comment documents it. */
static void
fill_opinion(Lianxi__Opinion *o, Lianxi__OpinionItem *it, Lianxi__OpinionItem **items)
{
    *o = (Lianxi__Opinion)LIANXI__OPINION__INIT;
    it[0] = (Lianxi__OpinionItem)LIANXI__OPINION_ITEM__INIT;
    it[1] = (Lianxi__OpinionItem)LIANXI__OPINION_ITEM__INIT;
    it[0].id_number = "11010519491231002X";
    it[0].answer = LIANXI__OPINION_ANSWER__OPINION_NONE;
    it[0].text = "";
    it[0].expected_on = "";
    it[1].id_number = "110105194912310029";
    it[1].answer = LIANXI__OPINION_ANSWER__OPINION_CHECKING;
    it[1].text = "正在核查";
    it[1].expected_on = "2027-03-05";
    items[0] = &it[0];
    items[1] = &it[1];
    o->unit = "discipline";
    o->opinion_id = "discipline:REQ-1";
    o->revision = 2;
    o->review_id = "REQ-1";
    o->queued_at = 1795320000;
    o->n_items = 2;
    o->items = items;
}

static void
opinion_encoding_is_the_documented_layout(void **state)
{
    Lianxi__Opinion o;
    Lianxi__OpinionItem it[2], *items[2];
    uint8_t buf[1024], want[1024];
    size_t n = 0;
    long got;
    const char *strs[] = { "discipline", "discipline:REQ-1" };

    (void)state;
    fill_opinion(&o, it, items);
#define S(str) do { size_t l = strlen(str); want[n++] = 0; want[n++] = 0;            \
                    want[n++] = (uint8_t)(l >> 8); want[n++] = (uint8_t)l;           \
                    memcpy(want + n, str, l); n += l; } while (0)
#define U(v) do { want[n++] = 0; want[n++] = 0; want[n++] = 0; want[n++] = (uint8_t)(v); } while (0)
    memcpy(want, "lianxi-opinion-v1", 17);
    n = 17;
    S(strs[0]);
    S(strs[1]);
    U(2);
    S("REQ-1");
    memset(want + n, 0, 4);
    n += 4;
    want[n++] = (uint8_t)(1795320000u >> 24);
    want[n++] = (uint8_t)(1795320000u >> 16);
    want[n++] = (uint8_t)(1795320000u >> 8);
    want[n++] = (uint8_t)1795320000u;
    U(2);
    S("11010519491231002X");
    U(1);
    S("");
    S("");
    S("110105194912310029");
    U(3);
    S("正在核查");
    S("2027-03-05");
#undef S
#undef U
    got = canon_opinion_encode(&o, buf, sizeof buf);
    assert_int_equal(got, (long)n);
    assert_memory_equal(buf, want, n);
}

static void
opinion_signature_verifies_and_covers_every_item(void **state)
{
    struct fx *x = *state;
    Lianxi__Opinion o;
    Lianxi__OpinionItem it[2], *items[2];
    uint8_t h1[CANON_HASHLEN], h2[CANON_HASHLEN];

    fill_opinion(&o, it, items);
    assert_int_equal(canon_opinion_sign(&o, x->sk), 0);
    assert_int_equal(canon_opinion_verify_hash(&o, x->pk, h1), 0);
    assert_int_equal(canon_opinion_verify_hash(&o, x->pk, h2), 0);
    assert_memory_equal(h1, h2, CANON_HASHLEN);
    it[1].answer = LIANXI__OPINION_ANSWER__OPINION_HOLDS;
    assert_int_equal(canon_opinion_verify_hash(&o, x->pk, h2), -1);
    it[1].answer = LIANXI__OPINION_ANSWER__OPINION_CHECKING;
    it[1].expected_on = "2027-03-06";
    assert_int_equal(canon_opinion_verify_hash(&o, x->pk, h2), -1);
    it[1].expected_on = "2027-03-05";
    o.n_items = 1;
    assert_int_equal(canon_opinion_verify_hash(&o, x->pk, h2), -1);
    free(o.signature.data);
}

/* One attachment, its hash computed from its own bytes. */
static void
fill_attachment(Lianxi__Attachment *a, Lianxi__Attachment **list, uint8_t hash[32])
{
    static const char bytes[] = "%PDF-1.4 test";

    *a = (Lianxi__Attachment)LIANXI__ATTACHMENT__INIT;
    crypto_generichash(hash, 32, (const uint8_t *)bytes, sizeof bytes - 1, NULL, 0);
    a->name = "处理决定书.pdf";
    a->media_type = "application/pdf";
    a->size = sizeof bytes - 1;
    a->hash.data = hash;
    a->hash.len = 32;
    list[0] = a;
}

static void
attachments_sign_as_v3_and_are_covered(void **state)
{
    struct fx *x = *state;
    Lianxi__Attachment a, *list[1];
    uint8_t hash[32], buf[4096], plain[4096], h1[CANON_HASHLEN], h2[CANON_HASHLEN];
    long n, n2;

    /* Without attachments: version 2, as before. */
    n2 = canon_encode(&x->f, plain, sizeof plain);
    assert_memory_equal(plain, "lianxi-filing-v2", 16);
    fill_attachment(&a, list, hash);
    x->f.attachments = list;
    x->f.n_attachments = 1;
    n = canon_encode(&x->f, buf, sizeof buf);
    assert_memory_equal(buf, "lianxi-filing-v3", 16);
    /* v3 = v2's fields, then count, name, type, size (u64), hash length, hash. */
    {
        size_t nl = strlen(a.name), ml = strlen(a.media_type);
        assert_int_equal(n, n2 + 4 + 4 + (long)nl + 4 + (long)ml + 8 + 4 + 32);
        assert_memory_equal(buf + 16, plain + 16, (size_t)n2 - 16);
        assert_int_equal(buf[n2 + 3], 1);
        assert_memory_equal(buf + n - 32, hash, 32);
        assert_int_equal(buf[n - 32 - 4 - 1], (uint8_t)a.size);
    }
    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h1), 0);
    /* Each field of the attachment is covered. */
    hash[5] ^= 1;
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h2), -1);
    hash[5] ^= 1;
    a.size++;
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h2), -1);
    a.size--;
    a.name = "处理决定书2.pdf";
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h2), -1);
    a.name = "处理决定书.pdf";
    a.media_type = "image/png";
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h2), -1);
    a.media_type = "application/pdf";
    /* Dropping the attachment does not verify (neither as v2 nor v1). */
    x->f.n_attachments = 0;
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h2), -1);
    x->f.n_attachments = 1;
    assert_int_equal(canon_verify_hash(&x->f, x->pk, h2), 0);
    assert_memory_equal(h1, h2, CANON_HASHLEN);
    x->f.attachments = NULL;
    x->f.n_attachments = 0;
}

static void
attachments_in_a_version_2_envelope_are_malformed(void **state)
{
    struct fx *x = *state;
    Lianxi__Attachment a, *list[1];
    uint8_t hash[32];
    char detail[512];

    fill_attachment(&a, list, hash);
    x->f.attachments = list;
    x->f.n_attachments = 1;
    assert_int_equal(version_check(x, 2, 0, detail, sizeof detail),
                     LIANXI__REJECT_CODE__REJECT_MALFORMED);
    assert_non_null(strstr(detail, "attachments"));
    assert_int_equal(version_check(x, 3, 0, detail, sizeof detail),
                     LIANXI__REJECT_CODE__REJECT_NONE);
    x->f.attachments = NULL;
    x->f.n_attachments = 0;
}

static void
opinion_with_attachments_signs_as_v2(void **state)
{
    struct fx *x = *state;
    Lianxi__Opinion o;
    Lianxi__OpinionItem it[2], *items[2];
    Lianxi__Attachment a, *list[1];
    uint8_t hash[32], buf[2048], plain[2048], h[CANON_HASHLEN];
    long n, n1;

    fill_opinion(&o, it, items);
    n1 = canon_opinion_encode(&o, plain, sizeof plain);
    fill_attachment(&a, list, hash);
    o.attachments = list;
    o.n_attachments = 1;
    n = canon_opinion_encode(&o, buf, sizeof buf);
    assert_memory_equal(buf, "lianxi-opinion-v2", 17);
    assert_memory_equal(buf + 17, plain + 17, (size_t)n1 - 17);
    assert_memory_equal(buf + n - 32, hash, 32);
    assert_int_equal(canon_opinion_sign(&o, x->sk), 0);
    assert_int_equal(canon_opinion_verify_hash(&o, x->pk, h), 0);
    hash[0] ^= 1;
    assert_int_equal(canon_opinion_verify_hash(&o, x->pk, h), -1);
    free(o.signature.data);
}

static void
attendance_encoding_is_the_documented_layout(void **state)
{
    struct fx *x = *state;
    Lianxi__Attendance a = LIANXI__ATTENDANCE__INIT;
    uint8_t buf[512], want[512], h[CANON_HASHLEN];
    size_t n = 0;
    const char *who = "李明，县公安局副局长";

#define S(str) do { size_t l = strlen(str); want[n++] = 0; want[n++] = 0;            \
                    want[n++] = (uint8_t)(l >> 8); want[n++] = (uint8_t)l;           \
                    memcpy(want + n, str, l); n += l; } while (0)
#define U(v) do { want[n++] = (uint8_t)((v) >> 24); want[n++] = (uint8_t)((v) >> 16);   \
                  want[n++] = (uint8_t)((v) >> 8); want[n++] = (uint8_t)(v); } while (0)
    a.unit = "police";
    a.attendance_id = "police:M-3";
    a.revision = 2;
    a.meeting = 3;
    a.attend = 1;
    a.attendee = (char *)who;
    a.queued_at = 1795320000;
    memcpy(want, "lianxi-attendance-v1", 20);
    n = 20;
    S("police");
    S("police:M-3");
    U(2u);
    U(0u);
    U(3u);
    U(1u);
    S(who);
    U(0u);
    U(1795320000u);
#undef S
#undef U
    assert_int_equal(canon_attendance_encode(&a, buf, sizeof buf), (long)n);
    assert_memory_equal(buf, want, n);
    assert_int_equal(canon_attendance_sign(&a, x->sk), 0);
    assert_int_equal(canon_attendance_verify_hash(&a, x->pk, h), 0);
    a.attend = 0;
    assert_int_equal(canon_attendance_verify_hash(&a, x->pk, h), -1);
    free(a.signature.data);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(sign_then_verify_succeeds),
        T(verify_fails_after_summary_changes),
        T(verify_fails_after_id_number_changes),
        T(verify_fails_after_revision_changes),
        T(verify_fails_after_queued_at_changes),
        T(verify_fails_after_queued_at_high_word_changes),
        T(verify_fails_after_unit_changes),
        T(verify_fails_after_signature_byte_changes),
        T(verify_fails_with_short_signature),
        T(verify_fails_without_signature),
        T(verify_with_another_key_fails),
        T(encode_starts_with_tag),
        T(encode_is_deterministic),
        T(encode_ignores_signature),
        T(encode_length_matches_layout),
        T(encode_fails_when_buffer_too_small),
        T(field_boundaries_change_the_encoding),
        T(adjacent_field_boundaries_change_the_encoding),
        T(signature_survives_envelope_round_trip),
        T(hash_differs_when_signature_differs),
        T(hash_is_stable_and_covers_content),
        T(hash_is_blake2b_of_encoding_then_signature),
        T(encode_v2_is_the_documented_layout),
        T(encode_v1_is_the_documented_layout_without_real_name),
        T(verify_fails_after_real_name_is_set),
        T(verify_fails_after_real_name_is_cleared),
        T(v1_signed_filing_verifies_and_hashes_the_same_in_either_envelope),
        T(v1_signed_filing_marked_real_name_does_not_verify),
        T(hub_takes_versions_1_to_3),
        T(attachments_sign_as_v3_and_are_covered),
        T(attachments_in_a_version_2_envelope_are_malformed),
        T(opinion_with_attachments_signs_as_v2),
        T(attendance_encoding_is_the_documented_layout),
        T(other_versions_are_refused_with_a_sentence),
        T(real_name_in_a_version_1_envelope_is_malformed),
        T(opinion_encoding_is_the_documented_layout),
        T(opinion_signature_verifies_and_covers_every_item),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
