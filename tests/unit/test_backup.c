/* test_backup.c — audit verify tells a restore from tampering: a trail
 * restored from a backup, with the hub's signed restore entry, explains a
 * witness of the trail it replaced; the same cut without that entry, or
 * with an entry the hub did not sign, does not; nor does a restore explain
 * a witness signed after it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "store.h"
#include "tmpdir.h"
#include "witness.h"

static uint8_t pk[32], sk[64];

struct trail {
    struct tmp *tmp;
    store_t *store;
    audit_t *audit;
};

static void
trail_open(struct trail *t, const char *name)
{
    assert_int_equal(tmp_make((void **)&t->tmp, name, "hub.db"), 0);
    assert_non_null(t->store = store_open(t->tmp->path, t->tmp->dir));
    assert_non_null(t->audit = audit_new(t->store));
}

static void
trail_close(struct trail *t)
{
    void *p = t->tmp;
    audit_destroy(&t->audit);
    store_close(&t->store);
    tmp_teardown(&p);
}

/* Entries first..last, the same in every trail of the same variant (the
 * chain is deterministic). */
static void
entries_of(struct trail *t, int first, int last, const char *variant)
{
    char obj[32];

    assert_int_equal(store_begin(t->store), 0);
    for (int i = first; i <= last; i++) {
        snprintf(obj, sizeof obj, "2026-%06d", i);
        assert_int_equal(audit_append(t->audit, 1790000000 + i, "unit:police", "file", obj,
                                      variant), 0);
    }
    assert_int_equal(store_commit(t->store), 0);
}

static void
entries(struct trail *t, int first, int last)
{
    entries_of(t, first, last, "police:x rev 1");
}

/* A checkpoint of the trail's head now, signed, as a unit would keep it. */
static struct witness
checkpoint(struct trail *t, int64_t at)
{
    struct witness w;

    assert_int_equal(audit_checkpoint(t->audit, sk, at), 0);
    w = *audit_latest(t->audit);
    w.at = at;
    return w;
}

static int
verify(struct trail *t, const struct witness *w, struct audit_verdict *v)
{
    assert_int_equal(audit_verify(t->store, pk, w, 1, v), 0);
    return v->ok;
}

static void
a_signed_restore_explains_a_witness_of_the_trail_it_replaced(void **state)
{
    struct trail old, restored;
    struct witness w, later;
    struct audit_verdict v;
    uint8_t head[32];
    uint64_t seq;
    (void)state;

    /* The trail before: ten entries, a unit keeps the checkpoint at 10. */
    trail_open(&old, "old");
    entries(&old, 1, 10);
    w = checkpoint(&old, 1790000100);
    seq = audit_head(old.audit, head);
    assert_int_equal(seq, 10);

    /* The backup held six; the restore continues from there, signed. */
    trail_open(&restored, "restored");
    entries(&restored, 1, 6);
    assert_int_equal(store_begin(restored.store), 0);
    assert_int_equal(audit_append_restore(restored.audit, sk, 1790000200, "hub", "b.zip", seq,
                                          head), 0);
    assert_int_equal(store_commit(restored.store), 0);
    entries(&restored, 8, 12);      /* the new trail goes on past entry 10 */
    assert_true(verify(&restored, &w, &v));
    assert_int_equal(v.restores, 1);
    assert_int_equal(v.explained, 1);

    /* The replaced trail's own head is of that trail, whenever its holder
     * says it was signed (a time-less `--witness` text too). */
    later = w;
    later.at = 0;
    assert_true(verify(&restored, &later, &v));
    later.head[0] ^= 1;             /* not that head: a checkpoint of the new trail */
    assert_false(verify(&restored, &later, &v));

    /* The restore the hub hands out verifies with its key, explains the
     * witness, and does not explain one within the backup. */
    {
        struct restore_proof rp[2];
        struct witness inside = w;
        assert_int_equal(audit_restores(restored.store, pk, rp, 2), 1);
        assert_int_equal(rp[0].entry, 7);
        assert_int_equal(rp[0].from, 6);
        assert_int_equal(rp[0].before, 10);
        assert_int_equal(witness_restore_verify(&rp[0], pk), 0);
        assert_true(witness_restore_explains(&rp[0], &w));
        inside.seq = 6;
        assert_false(witness_restore_explains(&rp[0], &inside));
        rp[0].before = 11;
        assert_int_not_equal(witness_restore_verify(&rp[0], pk), 0);
    }
    trail_close(&restored);
    trail_close(&old);
}

static void
a_cut_without_a_signed_restore_is_caught(void **state)
{
    struct trail old, cut, forged;
    struct witness w;
    struct audit_verdict v;
    uint8_t head[32], other_sk[64], other_pk[32];
    uint64_t seq;
    (void)state;

    trail_open(&old, "old2");
    entries(&old, 1, 10);
    w = checkpoint(&old, 1790000100);
    seq = audit_head(old.audit, head);

    /* Cut back to six and gone on: the witness at 10 shows it. */
    trail_open(&cut, "cut");
    entries(&cut, 1, 6);
    entries_of(&cut, 7, 12, "police:y rev 1");
    assert_false(verify(&cut, &w, &v));

    /* A restore entry signed by another key explains nothing, and is
     * itself the first bad entry. */
    crypto_sign_keypair(other_pk, other_sk);
    trail_open(&forged, "forged");
    entries(&forged, 1, 6);
    assert_int_equal(store_begin(forged.store), 0);
    assert_int_equal(audit_append_restore(forged.audit, other_sk, 1790000200, "hub", "b.zip",
                                          seq, head), 0);
    assert_int_equal(store_commit(forged.store), 0);
    entries(&forged, 8, 12);
    assert_false(verify(&forged, &w, &v));
    assert_int_equal(v.first_bad, 7);
    trail_close(&forged);
    trail_close(&cut);
    trail_close(&old);
}

/* A checkpoint of the trail after a restore, given as text without the
 * time its holder noted: a trail rewritten later is still caught, even
 * where the checkpoint's entry lies in the range the restore replaced. */
static void
a_later_checkpoint_without_its_time_is_not_explained(void **state)
{
    struct trail old, restored, rewritten;
    struct witness wn, w0;
    struct audit_verdict v;
    uint8_t head[32];
    uint64_t seq;
    (void)state;

    trail_open(&old, "old3");
    entries(&old, 1, 10);
    seq = audit_head(old.audit, head);

    /* Restored from 6 (the restore is 7), one more entry, a checkpoint at 8. */
    trail_open(&restored, "restored3");
    entries(&restored, 1, 6);
    assert_int_equal(store_begin(restored.store), 0);
    assert_int_equal(audit_append_restore(restored.audit, sk, 1790000200, "hub", "b.zip", seq,
                                          head), 0);
    assert_int_equal(store_commit(restored.store), 0);
    entries(&restored, 8, 8);
    wn = checkpoint(&restored, 1790000300);
    assert_int_equal(wn.seq, 8);
    assert_true(verify(&restored, &wn, &v));

    /* The same restore, then entry 8 rewritten. */
    trail_open(&rewritten, "rewritten3");
    entries(&rewritten, 1, 6);
    assert_int_equal(store_begin(rewritten.store), 0);
    assert_int_equal(audit_append_restore(rewritten.audit, sk, 1790000200, "hub", "b.zip", seq,
                                          head), 0);
    assert_int_equal(store_commit(rewritten.store), 0);
    entries_of(&rewritten, 8, 9, "police:z rev 1");
    assert_false(verify(&rewritten, &wn, &v));
    w0 = wn;
    w0.at = 0;                      /* as `--witness SEQ:HEAD:SIG` gives it */
    assert_false(verify(&rewritten, &w0, &v));
    assert_int_equal(v.first_bad, 8);
    trail_close(&rewritten);
    trail_close(&restored);
    trail_close(&old);
}

static int
setup(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    crypto_sign_keypair(pk, sk);
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_signed_restore_explains_a_witness_of_the_trail_it_replaced),
        cmocka_unit_test(a_cut_without_a_signed_restore_is_caught),
        cmocka_unit_test(a_later_checkpoint_without_its_time_is_not_explained),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
