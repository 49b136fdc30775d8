/* test_witness.c — the hub's signed audit checkpoints as a unit or an
 * operator keeps them (src/lib/witness.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tmpdir.h"
#include "witness.h"

static uint8_t pk[32], sk[64];

/* A checkpoint at seq whose head is fill bytes, signed with sk. */
static struct witness
signed_at(uint64_t seq, uint8_t fill)
{
    struct witness w;
    uint8_t msg[40];

    memset(&w, 0, sizeof w);
    w.seq = seq;
    memset(w.head, fill, sizeof w.head);
    w.at = 1700000000 + (int64_t)seq;
    witness_message(seq, w.head, msg);
    crypto_sign_detached(w.sig, NULL, msg, sizeof msg, sk);
    return w;
}

static void
signed_checkpoint_verifies_and_a_changed_one_does_not(void **state)
{
    struct witness w = signed_at(42, 7);
    uint8_t other_pk[32], other_sk[64];

    (void)state;
    assert_int_equal(witness_verify(&w, pk), 0);
    w.seq = 43;                                 /* another entry */
    assert_int_equal(witness_verify(&w, pk), -1);
    w = signed_at(42, 7);
    w.head[31] ^= 1;                            /* another head */
    assert_int_equal(witness_verify(&w, pk), -1);
    crypto_sign_keypair(other_pk, other_sk);
    w = signed_at(42, 7);
    assert_int_equal(witness_verify(&w, other_pk), -1);
}

static void
text_form_round_trips_and_refuses_what_is_not_one(void **state)
{
    struct witness w = signed_at(123456789, 0xa5), back;
    char text[WITNESS_TEXT], bad[WITNESS_TEXT];

    (void)state;
    witness_format(&w, text);
    assert_int_equal(strlen(text), strlen("123456789") + 2 + 64 + 128);
    assert_int_equal(witness_parse(text, &back), 0);
    assert_int_equal(back.seq, w.seq);
    assert_memory_equal(back.head, w.head, sizeof w.head);
    assert_memory_equal(back.sig, w.sig, sizeof w.sig);

    assert_int_equal(witness_parse("", &back), -1);
    assert_int_equal(witness_parse("0:00:00", &back), -1);
    assert_int_equal(witness_parse("-1:00:00", &back), -1);
    snprintf(bad, sizeof bad, "%s", text);
    bad[strlen(bad) - 1] = '\0';                 /* a digit short */
    assert_int_equal(witness_parse(bad, &back), -1);
    snprintf(bad, sizeof bad, "%s", text);
    bad[12] = 'g';                               /* not hex */
    assert_int_equal(witness_parse(bad, &back), -1);
    snprintf(bad, sizeof bad, " %s", text);
    assert_int_equal(witness_parse(bad, &back), -1);
    assert_int_equal(back.seq, 0);               /* refused: says none */
}

static void
comparison_names_newer_same_shorter_and_rewritten(void **state)
{
    struct witness none, a = signed_at(10, 1), b = signed_at(20, 2), c = signed_at(10, 3);

    (void)state;
    memset(&none, 0, sizeof none);
    assert_int_equal(witness_compare(&none, &a), WITNESS_NEWER);
    assert_int_equal(witness_compare(&a, &b), WITNESS_NEWER);
    assert_int_equal(witness_compare(&a, &a), WITNESS_SAME);
    assert_int_equal(witness_compare(&b, &a), WITNESS_SHORTER);
    assert_int_equal(witness_compare(&a, &c), WITNESS_DIFFERS);
}

static void
kept_file_survives_and_is_private(void **state)
{
    struct tmp *t = *state;
    struct witness w = signed_at(99, 9), back;
    struct stat st;
    FILE *f;

    assert_int_equal(witness_load(t->path, &back), 0);  /* none yet */
    assert_int_equal(back.seq, 0);
    assert_int_equal(witness_save(t->path, &w), 0);
    assert_int_equal(stat(t->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(witness_load(t->path, &back), 0);
    assert_int_equal(back.seq, 99);
    assert_int_equal(back.at, w.at);
    assert_int_equal(witness_verify(&back, pk), 0);

    f = fopen(t->path, "w");                            /* damaged */
    fputs("99:abc\n", f);
    fclose(f);
    assert_int_equal(witness_load(t->path, &back), -1);
}

static void
wire_form_needs_the_right_sizes(void **state)
{
    struct witness w = signed_at(5, 5), back;
    Lianxi__Checkpoint c;

    (void)state;
    witness_to_wire(&w, &c);
    assert_int_equal(witness_from_wire(&c, &back), 0);
    assert_int_equal(witness_verify(&back, pk), 0);
    c.head.len = 31;
    assert_int_equal(witness_from_wire(&c, &back), -1);
    assert_int_equal(witness_from_wire(NULL, &back), -1);
}

static int
setup(void **state)
{
    return tmp_make(state, "witness", "kept.witness");
}

static int
teardown(void **state)
{
    return tmp_teardown(state);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signed_checkpoint_verifies_and_a_changed_one_does_not),
        cmocka_unit_test(text_form_round_trips_and_refuses_what_is_not_one),
        cmocka_unit_test(comparison_names_newer_same_shorter_and_rewritten),
        cmocka_unit_test_setup_teardown(kept_file_survives_and_is_private, setup, teardown),
        cmocka_unit_test(wire_form_needs_the_right_sizes),
    };
    if (sodium_init() < 0)
        return 1;
    crypto_sign_keypair(pk, sk);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
