/* test_keys.c — the hub's key directory: one key, one file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <czmq.h>
#include <dirent.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keys.h"

struct dir {
    char path[64];
};

static const char *
in(const struct dir *d, const char *name)
{
    static char p[4][PATH_MAX];
    static int k;
    char *b = p[k++ % 4];
    snprintf(b, PATH_MAX, "%s/%s", d->path, name);
    return b;
}

/* A key directory holding police.cert, court.cert and supervisor.cert, as
 * `lianxi keygen` makes them (their secret halves are removed). */
static int
setup(void **state)
{
    struct dir *d = calloc(1, sizeof *d);

    if (!d)
        return -1;
    snprintf(d->path, sizeof d->path, "/tmp/lx-test-keys-XXXXXX");
    if (!mkdtemp(d->path) ||
        keys_generate(d->path, "police", KEY_UNIT, "police", NULL) < 0 ||
        keys_generate(d->path, "court", KEY_UNIT, "court", NULL) < 0 ||
        keys_generate(d->path, "supervisor", KEY_OPERATOR, "wang", "supervisor") < 0)
        return -1;
    unlink(in(d, "police.cert_secret"));
    unlink(in(d, "police.sign_secret"));
    unlink(in(d, "court.cert_secret"));
    unlink(in(d, "court.sign_secret"));
    unlink(in(d, "supervisor.cert_secret"));
    *state = d;
    return 0;
}

static int
teardown(void **state)
{
    struct dir *d = *state;
    DIR *dd = opendir(d->path);
    struct dirent *e;

    while (dd && (e = readdir(dd)))
        if (e->d_name[0] != '.')
            unlink(in(d, e->d_name));
    if (dd)
        closedir(dd);
    rmdir(d->path);
    free(d);
    return 0;
}

/* Writes name as a public cert with the CURVE key of curve_from and the
 * metadata of meta_from, with key=value changed when key is not NULL. */
static void
write_cert(const struct dir *d, const char *name, const char *curve_from,
           const char *meta_from, const char *key, const char *value)
{
    zcert_t *c = zcert_load(in(d, curve_from)), *m = zcert_load(in(d, meta_from)), *out;
    uint8_t no_secret[32] = { 0 };
    const char *fields[] = { "unit", "operator", "role", "sign-public-key" };

    assert_non_null(c);
    assert_non_null(m);
    out = zcert_new_from(zcert_public_key(c), no_secret);
    assert_non_null(out);
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const char *v = key && strcmp(key, fields[i]) == 0 ? value : zcert_meta(m, fields[i]);
        if (v)
            zcert_set_meta(out, fields[i], "%s", v);
    }
    assert_int_equal(zcert_save_public(out, in(d, name)), 0);
    zcert_destroy(&out);
    zcert_destroy(&m);
    zcert_destroy(&c);
}

static void
public_key(const struct dir *d, const char *name, uint8_t pk[32])
{
    assert_int_equal(keys_load_public(in(d, name), pk), 0);
}

static void
authorized(const keydir_t *kd, const uint8_t pk[32], const char *unit)
{
    const struct key_entry *e = keydir_by_curve(kd, pk);

    assert_non_null(e);
    assert_string_equal(e->name, unit);
    assert_ptr_equal(keydir_by_user(kd, e->user_id), e);
    assert_null(keydir_refused(kd, pk));
}

/* Refused: no entry by key, none by either user id it would have had. */
static void
refused(const keydir_t *kd, const uint8_t pk[32], const char *uid1, const char *uid2)
{
    assert_null(keydir_by_curve(kd, pk));
    assert_null(keydir_by_user(kd, uid1));
    assert_null(keydir_by_user(kd, uid2));
    assert_non_null(keydir_refused(kd, pk));
}

static void
user_id(const char *prefix, const uint8_t pk[32], char *out, size_t len)
{
    snprintf(out, len, "%s:%02x%02x%02x%02x%02x%02x%02x%02x", prefix, pk[0], pk[1], pk[2],
             pk[3], pk[4], pk[5], pk[6], pk[7]);
}

static void
each_file_with_its_own_keys_is_authorized(void **state)
{
    struct dir *d = *state;
    uint8_t police[32], court[32];
    keydir_t *kd = keydir_load(d->path);

    assert_non_null(kd);
    assert_int_equal(keydir_count(kd), 3);
    public_key(d, "police.cert", police);
    public_key(d, "court.cert", court);
    authorized(kd, police, "police");
    authorized(kd, court, "court");
    keydir_destroy(&kd);
    assert_null(kd);
}

static void
public_key_of_one_unit_claimed_by_another_is_refused_for_both(void **state)
{
    struct dir *d = *state;
    uint8_t police[32], court[32];
    char uid_p[128], uid_c[128];
    const char *why;
    keydir_t *kd;

    /* court-2.cert: police's public key, court's metadata and signing key. */
    write_cert(d, "court-2.cert", "police.cert", "court.cert", NULL, NULL);
    public_key(d, "police.cert", police);
    public_key(d, "court.cert", court);
    user_id("unit:police", police, uid_p, sizeof uid_p);
    user_id("unit:court", police, uid_c, sizeof uid_c);
    assert_non_null(kd = keydir_load(d->path));
    refused(kd, police, uid_p, uid_c);
    why = keydir_refused(kd, police);
    assert_non_null(strstr(why, "public key"));
    assert_non_null(strstr(why, "police.cert (unit police)"));
    assert_non_null(strstr(why, "court-2.cert (unit court)"));
    /* The rest of the directory keeps working, court's own key too. */
    assert_int_equal(keydir_count(kd), 2);
    authorized(kd, court, "court");
    keydir_destroy(&kd);

    /* Removing either file authorizes what is left. */
    assert_int_equal(unlink(in(d, "court-2.cert")), 0);
    assert_non_null(kd = keydir_load(d->path));
    authorized(kd, police, "police");
    keydir_destroy(&kd);
}

static void
removing_the_original_authorizes_the_copy(void **state)
{
    struct dir *d = *state;
    uint8_t police[32];
    keydir_t *kd;

    write_cert(d, "court-2.cert", "police.cert", "court.cert", NULL, NULL);
    public_key(d, "police.cert", police);
    assert_int_equal(unlink(in(d, "police.cert")), 0);
    assert_non_null(kd = keydir_load(d->path));
    authorized(kd, police, "court");
    keydir_destroy(&kd);
}

static void
identical_copy_under_another_name_is_refused_too(void **state)
{
    struct dir *d = *state;
    uint8_t police[32];
    char uid[128];
    keydir_t *kd;

    write_cert(d, "police-copy.cert", "police.cert", "police.cert", NULL, NULL);
    public_key(d, "police.cert", police);
    user_id("unit:police", police, uid, sizeof uid);
    assert_non_null(kd = keydir_load(d->path));
    refused(kd, police, uid, uid);
    assert_int_equal(keydir_count(kd), 2);
    keydir_destroy(&kd);
}

static void
unit_key_in_an_operator_cert_is_refused_for_both(void **state)
{
    struct dir *d = *state;
    uint8_t police[32];
    char uid_p[128], uid_o[128];
    keydir_t *kd;

    write_cert(d, "wang-2.cert", "police.cert", "supervisor.cert", NULL, NULL);
    public_key(d, "police.cert", police);
    user_id("unit:police", police, uid_p, sizeof uid_p);
    user_id("op:wang", police, uid_o, sizeof uid_o);
    assert_non_null(kd = keydir_load(d->path));
    refused(kd, police, uid_p, uid_o);
    assert_non_null(strstr(keydir_refused(kd, police), "wang-2.cert (operator wang, supervisor)"));
    keydir_destroy(&kd);
}

static void
three_files_with_one_key_are_all_refused(void **state)
{
    struct dir *d = *state;
    uint8_t police[32];
    const char *why;
    keydir_t *kd;

    write_cert(d, "a.cert", "police.cert", "court.cert", NULL, NULL);
    write_cert(d, "b.cert", "police.cert", "supervisor.cert", NULL, NULL);
    public_key(d, "police.cert", police);
    assert_non_null(kd = keydir_load(d->path));
    assert_null(keydir_by_curve(kd, police));
    why = keydir_refused(kd, police);
    assert_non_null(why);
    assert_non_null(strstr(why, "a.cert (unit court), b.cert (operator wang, supervisor) and "
                                "police.cert (unit police)"));
    assert_int_equal(keydir_count(kd), 2);
    keydir_destroy(&kd);
}

static void
signing_key_of_another_unit_is_refused_for_both(void **state)
{
    struct dir *d = *state;
    uint8_t police[32], court[32];
    zcert_t *pc = zcert_load(in(d, "police.cert"));
    char sign[65];
    keydir_t *kd;

    /* court.cert now carries police's signing key (its own CURVE key). */
    assert_non_null(pc);
    snprintf(sign, sizeof sign, "%s", zcert_meta(pc, "sign-public-key"));
    zcert_destroy(&pc);
    write_cert(d, "court.cert", "court.cert", "court.cert", "sign-public-key", sign);
    public_key(d, "police.cert", police);
    public_key(d, "court.cert", court);
    assert_non_null(kd = keydir_load(d->path));
    assert_null(keydir_by_curve(kd, police));
    assert_null(keydir_by_curve(kd, court));
    assert_non_null(strstr(keydir_refused(kd, court), "signing key"));
    assert_non_null(strstr(keydir_refused(kd, police), "court.cert (unit court) and "
                                                       "police.cert (unit police)"));
    assert_int_equal(keydir_count(kd), 1);
    keydir_destroy(&kd);
}

static void
new_key_of_the_same_unit_is_authorized_beside_the_old(void **state)
{
    struct dir *d = *state;
    uint8_t old[32], new[32];
    keydir_t *kd;

    /* A replacement made by keygen: its own keys, the same unit. */
    assert_int_equal(keys_generate(d->path, "police-2027", KEY_UNIT, "police", NULL), 0);
    unlink(in(d, "police-2027.cert_secret"));
    unlink(in(d, "police-2027.sign_secret"));
    public_key(d, "police.cert", old);
    public_key(d, "police-2027.cert", new);
    assert_non_null(kd = keydir_load(d->path));
    authorized(kd, old, "police");
    authorized(kd, new, "police");
    keydir_destroy(&kd);
}

/* Two certs of one unit whose CURVE keys differ only after the 8 bytes the
 * User-Id shows: both sessions would be unit:police:<the same>, and the
 * hub would take one for the other (its signing key, its revocation), so
 * both are refused (found by tests/fuzz/fuzz_keys,
 * tests/fuzz/regress/fuzz_keys/same-fingerprint). */
static void
two_keys_of_one_unit_with_one_fingerprint_are_refused_for_both(void **state)
{
    struct dir *d = *state;
    uint8_t police[32], twin[32], no_secret[32] = { 0 };
    zcert_t *pc = zcert_load(in(d, "police.cert")), *tc;
    char uid[64];
    const char *why;
    keydir_t *kd;

    assert_non_null(pc);
    public_key(d, "police.cert", police);
    memcpy(twin, police, 32);
    twin[31] ^= 1;
    assert_non_null(tc = zcert_new_from(twin, no_secret));
    zcert_set_meta(tc, "unit", "police");
    zcert_set_meta(tc, "sign-public-key", "%s", zcert_meta(pc, "sign-public-key"));
    assert_int_equal(zcert_save_public(tc, in(d, "police-twin.cert")), 0);
    zcert_destroy(&tc);
    zcert_destroy(&pc);
    user_id("unit:police", police, uid, sizeof uid);
    assert_non_null(kd = keydir_load(d->path));
    refused(kd, police, uid, uid);
    refused(kd, twin, uid, uid);
    why = keydir_refused(kd, twin);
    assert_non_null(strstr(why, "fingerprint"));
    assert_non_null(strstr(why, "police-twin.cert (unit police)"));
    assert_int_equal(keydir_count(kd), 2);
    keydir_destroy(&kd);
    /* Either one alone is authorized again. */
    unlink(in(d, "police-twin.cert"));
    assert_non_null(kd = keydir_load(d->path));
    authorized(kd, police, "police");
    keydir_destroy(&kd);
}

static void
same_unit_keeping_its_signing_key_with_a_new_transport_key_is_authorized(void **state)
{
    struct dir *d = *state;
    uint8_t old[32], new[32];
    keydir_t *kd;

    /* police-2027.cert: a new CURVE key, police's signing key. */
    assert_int_equal(keys_generate(d->path, "fresh", KEY_UNIT, "audit", NULL), 0);
    write_cert(d, "police-2027.cert", "fresh.cert", "police.cert", NULL, NULL);
    unlink(in(d, "fresh.cert"));
    unlink(in(d, "fresh.cert_secret"));
    unlink(in(d, "fresh.sign_secret"));
    public_key(d, "police.cert", old);
    public_key(d, "police-2027.cert", new);
    assert_non_null(kd = keydir_load(d->path));
    authorized(kd, old, "police");
    authorized(kd, new, "police");
    keydir_destroy(&kd);
}

static size_t
heap_in_use(void)
{
    return mallinfo2().uordblks;
}

/* A .cert that does not parse is ignored, the others still load, and
 * reloading the directory does not grow the heap (CZMQ's zcert_load leaked
 * its file object for such a file on every reload; under SANITIZE=1 the
 * leak checker sees it too). */
static void
a_broken_cert_is_ignored_and_reloads_do_not_leak(void **state)
{
    struct dir *d = *state;
    static const char broken[] = "metadata\n  unit = \"police\n curve\n";
    FILE *f = fopen(in(d, "broken.cert"), "w");
    uint8_t pk[32];
    keydir_t *kd;
    size_t before;

    assert_non_null(f);
    fputs(broken, f);
    fclose(f);
    assert_int_equal(keys_load_public(in(d, "broken.cert"), pk), -1);
    public_key(d, "police.cert", pk);
    kd = keydir_load(d->path);
    assert_non_null(kd);
    assert_int_equal(keydir_count(kd), 3);
    authorized(kd, pk, "police");
    keydir_destroy(&kd);
    before = heap_in_use();
    for (int i = 0; i < 50; i++) {
        kd = keydir_load(d->path);
        assert_non_null(kd);
        keydir_destroy(&kd);
    }
    assert_true(heap_in_use() <= before + 1024);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(each_file_with_its_own_keys_is_authorized, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(public_key_of_one_unit_claimed_by_another_is_refused_for_both,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(removing_the_original_authorizes_the_copy, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(identical_copy_under_another_name_is_refused_too, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(unit_key_in_an_operator_cert_is_refused_for_both, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(three_files_with_one_key_are_all_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(signing_key_of_another_unit_is_refused_for_both, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            two_keys_of_one_unit_with_one_fingerprint_are_refused_for_both, setup, teardown),
        cmocka_unit_test_setup_teardown(new_key_of_the_same_unit_is_authorized_beside_the_old,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            same_unit_keeping_its_signing_key_with_a_new_transport_key_is_authorized, setup,
            teardown),
        cmocka_unit_test_setup_teardown(a_broken_cert_is_ignored_and_reloads_do_not_leak, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
