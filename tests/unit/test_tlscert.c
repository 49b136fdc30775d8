/* test_tlscert.c — the console's certificates: the CA signs what the
 * console and the browsers present, a browser certificate is for clients
 * only, its PKCS#12 opens with its passphrase (in GnuTLS and, when it is
 * installed, OpenSSL) and its fingerprint is the one the hub looks up. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files.h"
#include "keys.h"
#include "log.h"
#include "provision.h"
#include "tlscert.h"
#include "tmpdir.h"

extern char **environ;

/* An operator's name in Chinese, as a county would give it. */
#define OP "王建国"

/* A temp directory holding a CA in ca/ and an operator's key pair in op/. */
static int
setup(void **state)
{
    struct tmp *t;
    char p[PATH_MAX];

    if (tmp_make(state, "tlscert", "unused") < 0)
        return -1;
    t = *state;
    snprintf(p, sizeof p, "%s/ca", t->dir);
    if (tlscert_make_ca(p) < 0)
        return -1;
    snprintf(p, sizeof p, "%s/op", t->dir);
    return keys_generate(p, OP, KEY_OPERATOR, OP, "supervisor");
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)flag;
    (void)f;
    return remove(path);
}

static int
teardown(void **state)
{
    struct tmp *t = *state;

    nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(t);
    return 0;
}

static const char *
in(void **state, const char *name)
{
    static char p[4][PATH_MAX];
    static int k;
    char *b = p[k++ % 4];

    snprintf(b, PATH_MAX, "%s/%s", ((struct tmp *)*state)->dir, name);
    return b;
}

static gnutls_x509_crt_t
load_crt(const char *path)
{
    gnutls_x509_crt_t crt;
    gnutls_datum_t d;
    size_t len;
    char *text = files_read(path, &len);

    assert_non_null(text);
    d.data = (unsigned char *)text;
    d.size = (unsigned)len;
    assert_int_equal(gnutls_x509_crt_init(&crt), 0);
    assert_int_equal(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM), 0);
    free(text);
    return crt;
}

/* 0 when crt verifies against the CA alone, else GnuTLS's status bits. */
static unsigned
verify(gnutls_x509_crt_t crt, gnutls_x509_crt_t ca)
{
    unsigned status = 0;

    assert_int_equal(gnutls_x509_crt_verify(crt, &ca, 1, 0, &status), 0);
    return status;
}

static int
has_purpose(gnutls_x509_crt_t crt, const char *oid)
{
    char buf[128];
    size_t len;

    for (unsigned i = 0;; i++) {
        len = sizeof buf;
        if (gnutls_x509_crt_get_key_purpose_oid(crt, i, buf, &len, NULL) < 0)
            return 0;
        if (strcmp(buf, oid) == 0)
            return 1;
    }
}

static mode_t
mode_of(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* The first line of path, without its newline. */
static void
read_line(const char *path, char *out, size_t outlen)
{
    char *text = files_read(path, NULL);

    assert_non_null(text);
    text[strcspn(text, "\n")] = '\0';
    snprintf(out, outlen, "%s", text);
    free(text);
}

static void
make_client(void **state, char fp[TLSCERT_FP_LEN], char pass[TLSCERT_PASS_LEN])
{
    assert_int_equal(provision_browser(in(state, "op"), OP, "supervisor", in(state, "ca"), 0,
                                       pass), 0);
    assert_int_equal(tlscert_fingerprint(in(state, "op/" OP ".crt"), fp), 0);
}

static void
ca_is_a_self_signed_ca_for_signing_certificates(void **state)
{
    gnutls_x509_crt_t ca = load_crt(in(state, "ca/ca.crt"));
    unsigned usage, critical;
    char dn[256];
    size_t len = sizeof dn;

    assert_int_equal(verify(ca, ca), 0);
    assert_int_equal(gnutls_x509_crt_get_ca_status(ca, &critical), 1);
    assert_true(gnutls_x509_crt_get_key_usage(ca, &usage, &critical) >= 0);
    assert_int_equal(usage, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
    assert_int_equal(gnutls_x509_crt_get_pk_algorithm(ca, NULL), GNUTLS_PK_ECDSA);
    assert_int_equal(gnutls_x509_crt_get_dn_by_oid(ca, GNUTLS_OID_X520_COMMON_NAME, 0, 0, dn,
                                                   &len), 0);
    assert_string_equal(dn, "干部监督联席会议控制台CA");
    assert_true(gnutls_x509_crt_get_expiration_time(ca) > time(NULL) + 9 * 365 * 86400L);
    gnutls_x509_crt_deinit(ca);
}

static void
ca_verifies_the_server_certificate_for_loopback(void **state)
{
    gnutls_x509_crt_t ca = load_crt(in(state, "ca/ca.crt")), crt;

    assert_int_equal(tlscert_make_server(in(state, "ca"), in(state, "console"), NULL, 0), 0);
    crt = load_crt(in(state, "console/tls.crt"));
    assert_int_equal(verify(crt, ca), 0);
    assert_true(has_purpose(crt, GNUTLS_KP_TLS_WWW_SERVER));
    assert_false(has_purpose(crt, GNUTLS_KP_TLS_WWW_CLIENT));
    assert_true(gnutls_x509_crt_check_hostname(crt, "localhost"));
    assert_true(gnutls_x509_crt_check_hostname(crt, "127.0.0.1"));
    assert_false(gnutls_x509_crt_check_hostname(crt, "example.org"));
    gnutls_x509_crt_deinit(crt);
    gnutls_x509_crt_deinit(ca);
}

static void
server_certificate_names_the_hosts_given(void **state)
{
    const char *hosts[] = { "lianxi.zzb.example.cn", "10.20.30.40", "::1" };
    gnutls_x509_crt_t crt;

    assert_int_equal(tlscert_make_server(in(state, "ca"), in(state, "console"), hosts, 3), 0);
    crt = load_crt(in(state, "console/tls.crt"));
    assert_true(gnutls_x509_crt_check_hostname(crt, "lianxi.zzb.example.cn"));
    assert_true(gnutls_x509_crt_check_hostname(crt, "10.20.30.40"));
    assert_true(gnutls_x509_crt_check_hostname(crt, "::1"));
    assert_false(gnutls_x509_crt_check_hostname(crt, "localhost"));
    gnutls_x509_crt_deinit(crt);
}

static void
a_host_that_is_no_name_makes_nothing(void **state)
{
    const char *hosts[] = { "localhost", "not a host!" };
    struct stat st;

    assert_int_equal(tlscert_make_server(in(state, "ca"), in(state, "console"), hosts, 2), -1);
    assert_int_equal(stat(in(state, "console/tls.crt"), &st), -1);
    assert_int_equal(stat(in(state, "console/tls.key"), &st), -1);
}

static void
client_certificate_is_for_clients_only_and_names_the_operator(void **state)
{
    char fp[TLSCERT_FP_LEN], pass[TLSCERT_PASS_LEN], dn[256];
    size_t len = sizeof dn;
    gnutls_x509_crt_t ca = load_crt(in(state, "ca/ca.crt")), crt;

    make_client(state, fp, pass);
    crt = load_crt(in(state, "op/" OP ".crt"));
    assert_int_equal(verify(crt, ca), 0);
    assert_true(has_purpose(crt, GNUTLS_KP_TLS_WWW_CLIENT));
    assert_false(has_purpose(crt, GNUTLS_KP_TLS_WWW_SERVER));
    assert_int_equal(gnutls_x509_crt_get_ca_status(crt, NULL), 0);
    assert_int_equal(gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, dn,
                                                   &len), 0);
    assert_string_equal(dn, OP);
    len = sizeof dn;
    assert_int_equal(gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                                   0, dn, &len), 0);
    assert_string_equal(dn, "supervisor");
    gnutls_x509_crt_deinit(crt);
    gnutls_x509_crt_deinit(ca);
}

/* Opens NAME.p12 with pass: 0 and the certificate in *crt_out, or the
 * GnuTLS error. */
static int
open_p12(void **state, const char *pass, gnutls_x509_crt_t *crt_out)
{
    gnutls_pkcs12_t p12;
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t *chain = NULL, *extra = NULL;
    unsigned nchain = 0, nextra = 0;
    gnutls_datum_t d;
    size_t len;
    char *data = files_read(in(state, "op/" OP ".p12"), &len);
    int err;

    assert_non_null(data);
    d.data = (unsigned char *)data;
    d.size = (unsigned)len;
    assert_int_equal(gnutls_pkcs12_init(&p12), 0);
    assert_int_equal(gnutls_pkcs12_import(p12, &d, GNUTLS_X509_FMT_DER, 0), 0);
    err = gnutls_pkcs12_simple_parse(p12, pass, &key, &chain, &nchain, &extra, &nextra, NULL,
                                     0);
    if (err == 0) {
        assert_int_equal(nchain, 1);
        assert_int_equal(nextra, 1);    /* the CA's certificate */
        assert_int_equal(gnutls_x509_privkey_get_pk_algorithm(key), GNUTLS_PK_ECDSA);
        *crt_out = chain[0];
        gnutls_x509_crt_deinit(extra[0]);
        gnutls_free(chain);
        gnutls_free(extra);
        gnutls_x509_privkey_deinit(key);
    }
    gnutls_pkcs12_deinit(p12);
    free(data);
    return err;
}

static void
p12_opens_with_its_passphrase_and_its_fingerprint_is_the_one_recorded(void **state)
{
    char fp[TLSCERT_FP_LEN], pass[TLSCERT_PASS_LEN], filed[64], got[TLSCERT_FP_LEN];
    unsigned char md[32];
    size_t len = sizeof md;
    gnutls_x509_crt_t crt;
    keydir_t *kd;
    const struct key_entry *e;

    make_client(state, fp, pass);
    assert_true(keys_browser_fp_valid(fp));
    read_line(in(state, "op/" OP ".p12.pass"), filed, sizeof filed);
    assert_string_equal(filed, pass);
    assert_int_equal(open_p12(state, pass, &crt), 0);
    assert_int_equal(gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, md, &len), 0);
    snprintf(got, sizeof got, "sha256:");
    for (size_t i = 0; i < len; i++)
        snprintf(got + 7 + 2 * i, 3, "%02x", md[i]);
    assert_string_equal(got, fp);
    gnutls_x509_crt_deinit(crt);

    /* The hub finds the operator by it, as it does for the console. */
    unlink(in(state, "op/" OP ".cert_secret"));
    assert_non_null(kd = keydir_load(in(state, "op")));
    assert_non_null(e = keydir_by_browser(kd, fp));
    assert_string_equal(e->name, OP);
    assert_string_equal(e->role, "supervisor");
    keydir_destroy(&kd);
}

static void
p12_with_a_wrong_passphrase_does_not_open(void **state)
{
    char fp[TLSCERT_FP_LEN], pass[TLSCERT_PASS_LEN];
    gnutls_x509_crt_t crt = NULL;

    make_client(state, fp, pass);
    assert_int_not_equal(open_p12(state, "AAAA-AAAA-AAAA-AAAA", &crt), 0);
    assert_int_not_equal(open_p12(state, "", &crt), 0);
    assert_null(crt);
}

static void
passphrase_is_four_groups_of_four_unambiguous_characters(void **state)
{
    char fp[TLSCERT_FP_LEN], pass[TLSCERT_PASS_LEN];

    make_client(state, fp, pass);
    assert_int_equal(strlen(pass), 19);
    for (int i = 0; i < 19; i++) {
        if (i % 5 == 4)
            assert_int_equal(pass[i], '-');
        else
            assert_non_null(strchr("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", pass[i]));
    }
}

static void
secrets_are_0600_and_certificates_0644(void **state)
{
    char fp[TLSCERT_FP_LEN], pass[TLSCERT_PASS_LEN];

    make_client(state, fp, pass);
    assert_int_equal(tlscert_make_server(in(state, "ca"), in(state, "console"), NULL, 0), 0);
    assert_int_equal(mode_of(in(state, "ca/ca.key")), 0600);
    assert_int_equal(mode_of(in(state, "console/tls.key")), 0600);
    assert_int_equal(mode_of(in(state, "op/" OP ".p12")), 0600);
    assert_int_equal(mode_of(in(state, "op/" OP ".p12.pass")), 0600);
    assert_int_equal(mode_of(in(state, "ca/ca.crt")), 0644);
    assert_int_equal(mode_of(in(state, "console/tls.crt")), 0644);
    assert_int_equal(mode_of(in(state, "op/" OP ".crt")), 0644);
}

static void
nothing_is_overwritten(void **state)
{
    char fp[TLSCERT_FP_LEN], pass[TLSCERT_PASS_LEN], fp2[TLSCERT_FP_LEN];
    char *ca = files_read(in(state, "ca/ca.key"), NULL), *after;

    assert_non_null(ca);
    assert_int_equal(tlscert_make_ca(in(state, "ca")), -1);
    assert_non_null(after = files_read(in(state, "ca/ca.key"), NULL));
    assert_string_equal(after, ca);
    free(after);
    free(ca);

    assert_int_equal(tlscert_make_server(in(state, "ca"), in(state, "console"), NULL, 0), 0);
    assert_int_equal(tlscert_make_server(in(state, "ca"), in(state, "console"), NULL, 0), -1);

    make_client(state, fp, pass);
    assert_int_equal(tlscert_make_client(in(state, "ca"), in(state, "op"), OP, "supervisor", 0,
                                         fp2, NULL), -1);
    assert_string_equal(fp2, "");
    assert_int_equal(provision_browser(in(state, "op"), OP, NULL, in(state, "ca"), 0, NULL), -1);
    assert_int_equal(tlscert_fingerprint(in(state, "op/" OP ".crt"), fp2), 0);
    assert_string_equal(fp2, fp);
}

static void
renewal_replaces_the_certificate_and_its_fingerprint(void **state)
{
    char fp[TLSCERT_FP_LEN], pass[TLSCERT_PASS_LEN], fp2[TLSCERT_FP_LEN];
    char pass2[TLSCERT_PASS_LEN];
    keydir_t *kd;

    make_client(state, fp, pass);
    assert_int_equal(provision_browser(in(state, "op"), OP, NULL, in(state, "ca"), 1, pass2), 0);
    assert_int_equal(tlscert_fingerprint(in(state, "op/" OP ".crt"), fp2), 0);
    assert_string_not_equal(fp2, fp);
    assert_string_not_equal(pass2, pass);
    unlink(in(state, "op/" OP ".cert_secret"));
    assert_non_null(kd = keydir_load(in(state, "op")));
    assert_null(keydir_by_browser(kd, fp));
    assert_non_null(keydir_by_browser(kd, fp2));
    keydir_destroy(&kd);
}

static void
a_role_other_than_the_certs_is_refused(void **state)
{
    struct stat st;

    assert_int_equal(provision_browser(in(state, "op"), OP, "auditor", in(state, "ca"), 0,
                                       NULL), -1);
    assert_int_equal(stat(in(state, "op/" OP ".p12"), &st), -1);
}

static void
a_key_that_is_not_the_cas_is_refused(void **state)
{
    char fp[TLSCERT_FP_LEN];
    size_t len;
    char *other;

    assert_int_equal(tlscert_make_ca(in(state, "other")), 0);
    assert_non_null(other = files_read(in(state, "other/ca.key"), &len));
    assert_int_equal(files_write_atomic(in(state, "ca/ca.key"), other, len, 0600), 0);
    free(other);
    assert_int_equal(tlscert_make_client(in(state, "ca"), in(state, "op"), OP, "supervisor", 0,
                                         fp, NULL), -1);
    assert_int_equal(tlscert_make_server(in(state, "ca"), in(state, "console"), NULL, 0), -1);
}

static void
a_ca_key_others_can_read_is_refused(void **state)
{
    char fp[TLSCERT_FP_LEN];

    assert_int_equal(chmod(in(state, "ca/ca.key"), 0644), 0);
    assert_int_equal(tlscert_make_client(in(state, "ca"), in(state, "op"), OP, "supervisor", 0,
                                         fp, NULL), -1);
}

/* Runs argv with its output thrown away; its exit status, or -1. */
static int
run_quiet(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status, rc;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0 || waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
openssl_reads_the_p12_with_its_passphrase_file(void **state)
{
    char fp[TLSCERT_FP_LEN], pass[TLSCERT_PASS_LEN], p12[PATH_MAX], passin[PATH_MAX + 8];
    char *version[] = { "openssl", "version", NULL };

    if (run_quiet(version) != 0)
        skip();
    make_client(state, fp, pass);
    snprintf(p12, sizeof p12, "%s", in(state, "op/" OP ".p12"));
    snprintf(passin, sizeof passin, "file:%s", in(state, "op/" OP ".p12.pass"));
    char *ok[] = { "openssl", "pkcs12", "-in", p12, "-passin", passin, "-noout", NULL };
    assert_int_equal(run_quiet(ok), 0);
    char *bad[] = { "openssl", "pkcs12", "-in", p12, "-passin", "pass:AAAA-AAAA-AAAA-AAAA",
                    "-noout", NULL };
    assert_int_not_equal(run_quiet(bad), 0);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(ca_is_a_self_signed_ca_for_signing_certificates),
        T(ca_verifies_the_server_certificate_for_loopback),
        T(server_certificate_names_the_hosts_given),
        T(a_host_that_is_no_name_makes_nothing),
        T(client_certificate_is_for_clients_only_and_names_the_operator),
        T(p12_opens_with_its_passphrase_and_its_fingerprint_is_the_one_recorded),
        T(p12_with_a_wrong_passphrase_does_not_open),
        T(passphrase_is_four_groups_of_four_unambiguous_characters),
        T(secrets_are_0600_and_certificates_0644),
        T(nothing_is_overwritten),
        T(renewal_replaces_the_certificate_and_its_fingerprint),
        T(a_role_other_than_the_certs_is_refused),
        T(a_key_that_is_not_the_cas_is_refused),
        T(a_ca_key_others_can_read_is_refused),
        T(openssl_reads_the_p12_with_its_passphrase_file),
    };

    log_init("test_tlscert", LOG_LVL_WARN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
