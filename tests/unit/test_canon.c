/* test_canon.c — canonical encoding, signature and hash (src/canon.h). */
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
    assert_memory_equal(buf, "lianxi-filing-v1", 16);
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
    /* Tag, 11 strings with a 4-byte length each, 4 u32 and one i64. */
    size_t want = 16 +
        4 + strlen(f->unit) + 4 + strlen(f->filing_id) + 4 + 4 + 4 + strlen(f->category) +
        4 + strlen(c->name) + 4 + strlen(c->id_number) + 4 + strlen(c->work_unit) +
        4 + strlen(c->post) + 4 + 4 + strlen(f->learned_on) + 4 + strlen(f->summary) +
        4 + 4 + strlen(f->case_ref) + 8 + 4 + strlen(f->answers);

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
    assert_int_equal(canon_hash(&x->f, h1), 0);
    assert_int_equal(canon_sign(&x->f, sk2), 0);
    assert_int_equal(canon_hash(&x->f, h2), 0);
    assert_memory_not_equal(h1, h2, CANON_HASHLEN);
}

static void
hash_is_stable_and_covers_content(void **state)
{
    struct fx *x = *state;
    uint8_t h1[CANON_HASHLEN], h2[CANON_HASHLEN], h3[CANON_HASHLEN];

    assert_int_equal(canon_sign(&x->f, x->sk), 0);
    assert_int_equal(canon_hash(&x->f, h1), 0);
    assert_int_equal(canon_hash(&x->f, h2), 0);
    assert_memory_equal(h1, h2, CANON_HASHLEN);
    x->f.case_ref = "other";
    assert_int_equal(canon_hash(&x->f, h3), 0);
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
    assert_int_equal(canon_hash(&x->f, got), 0);
    assert_memory_equal(want, got, CANON_HASHLEN);
    free(buf);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
