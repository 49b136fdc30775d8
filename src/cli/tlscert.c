/* tlscert.c — the console's CA, its TLS server certificate and the
 * operators' browser certificates (PKCS#12), made with GnuTLS. */
#include "tlscert.h"
#include "files.h"
#include "i18n.h"
#include "log.h"
#include "text.h"

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CA_CN "干部监督联席会议控制台CA"
#define CA_O "县委组织部"
#define SERVER_CN "lianxi-console"
#define DAY (24 * 60 * 60)
#define CA_DAYS (10 * 365 + 3)
#define LEAF_DAYS (2 * 365 + 1)
/* Certificates start an hour back, for a browser whose clock lags. */
#define BACKDATE (60 * 60)

/* Letters and digits nobody confuses when reading them aloud or typing them
 * (no 0/O, 1/I): 32 of them, so a byte & 31 picks one without bias. */
static const char pass_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static void
datum_wipe(gnutls_datum_t *d)
{
    if (d->data) {
        gnutls_memset(d->data, 0, d->size);
        gnutls_free(d->data);
    }
    d->data = NULL;
    d->size = 0;
}

static void
tls_fail(const char *what, int err)
{
    log_warnx(_("cannot make %s: %s"), what, gnutls_strerror(err));
}

/* 0 when none of the paths exists; else logs the first and returns -1. */
static int
none_exist(const char *const *paths, size_t n)
{
    struct stat st;

    for (size_t i = 0; i < n; i++)
        if (lstat(paths[i], &st) == 0) {
            log_warnx(_("%s already exists: refusing to overwrite a certificate or key"),
                      paths[i]);
            return -1;
        }
    return 0;
}

static int
write_datum(const char *path, const gnutls_datum_t *d, mode_t mode)
{
    if (files_write_atomic(path, d->data, d->size, mode) < 0) {
        log_warn(_("cannot write %s"), path);
        return -1;
    }
    return 0;
}

static int
new_key(gnutls_x509_privkey_t *key)
{
    int err;

    if ((err = gnutls_x509_privkey_init(key)) < 0) {
        *key = NULL;
        tls_fail(_("a key"), err);
        return -1;
    }
    err = gnutls_x509_privkey_generate(*key, GNUTLS_PK_ECDSA,
                                       GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
    if (err < 0) {
        tls_fail(_("a key"), err);
        gnutls_x509_privkey_deinit(*key);
        *key = NULL;
        return -1;
    }
    return 0;
}

/* A new certificate for key: version 3, a random serial, valid from an hour
 * ago for days, subject CN=cn (and O=o when not NULL), its subject key id.
 * Returns 0, or a GnuTLS error (crt is then freed and NULL). */
static int
new_crt(gnutls_x509_crt_t *crt, gnutls_x509_privkey_t key, const char *cn, const char *o,
        int days)
{
    unsigned char serial[16], id[64];
    size_t idlen = sizeof id;
    time_t now = time(NULL);
    int err;

    if ((err = gnutls_x509_crt_init(crt)) < 0) {
        *crt = NULL;
        return err;
    }
    if ((err = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof serial)) < 0)
        goto fail;
    serial[0] = (serial[0] & 0x7f) | 0x40;  /* positive, and all 16 bytes count */
    if ((err = gnutls_x509_crt_set_version(*crt, 3)) < 0 ||
        (err = gnutls_x509_crt_set_serial(*crt, serial, sizeof serial)) < 0 ||
        (err = gnutls_x509_crt_set_activation_time(*crt, now - BACKDATE)) < 0 ||
        (err = gnutls_x509_crt_set_expiration_time(*crt, now + (time_t)days * DAY)) < 0 ||
        (err = gnutls_x509_crt_set_key(*crt, key)) < 0 ||
        (err = gnutls_x509_crt_set_dn_by_oid(*crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
                                             strlen(cn))) < 0 ||
        (o && (err = gnutls_x509_crt_set_dn_by_oid(*crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                                   o, strlen(o))) < 0) ||
        (err = gnutls_x509_crt_get_key_id(*crt, GNUTLS_KEYID_USE_SHA1, id, &idlen)) < 0 ||
        (err = gnutls_x509_crt_set_subject_key_id(*crt, id, idlen)) < 0)
        goto fail;
    return 0;
fail:
    gnutls_x509_crt_deinit(*crt);
    *crt = NULL;
    return err;
}

/* A leaf's issuer part: its authority key id, then the CA's signature. */
static int
sign_by(gnutls_x509_crt_t crt, gnutls_x509_crt_t ca, gnutls_x509_privkey_t ca_key)
{
    unsigned char id[64];
    size_t idlen = sizeof id;
    unsigned critical;
    int err;

    if ((err = gnutls_x509_crt_get_subject_key_id(ca, id, &idlen, &critical)) < 0 ||
        (err = gnutls_x509_crt_set_authority_key_id(crt, id, idlen)) < 0)
        return err;
    return gnutls_x509_crt_sign2(crt, ca, ca_key, GNUTLS_DIG_SHA256, 0);
}

/* Loads ca_dir/ca.crt and ca_dir/ca.key and checks that they belong
 * together and make a CA.  Returns 0, or -1 after logging. */
static int
load_ca(const char *ca_dir, gnutls_x509_crt_t *ca, gnutls_x509_privkey_t *key)
{
    char crt_path[PATH_MAX], key_path[PATH_MAX];
    unsigned char id1[64], id2[64];
    size_t len1 = sizeof id1, len2 = sizeof id2, len;
    gnutls_datum_t d;
    unsigned critical;
    char *text = NULL;
    int err, rc = -1;

    *ca = NULL;
    *key = NULL;
    snprintf(crt_path, sizeof crt_path, "%s/ca.crt", ca_dir);
    snprintf(key_path, sizeof key_path, "%s/ca.key", ca_dir);
    if (!(text = files_read(crt_path, &len))) {
        log_warn(_("cannot read the console CA's certificate %s"), crt_path);
        goto out;
    }
    d.data = (unsigned char *)text;
    d.size = (unsigned)len;
    if ((err = gnutls_x509_crt_init(ca)) < 0 ||
        (err = gnutls_x509_crt_import(*ca, &d, GNUTLS_X509_FMT_PEM)) < 0) {
        log_warnx(_("%s is not a certificate: %s"), crt_path, gnutls_strerror(err));
        goto out;
    }
    if (gnutls_x509_crt_get_ca_status(*ca, &critical) <= 0) {
        log_warnx(_("%s is not a CA certificate"), crt_path);
        goto out;
    }
    free(text);
    text = NULL;
    if (files_check_secret(key_path) < 0)
        goto out;
    if (!(text = files_read(key_path, &len))) {
        log_warn(_("cannot read the console CA's key %s"), key_path);
        goto out;
    }
    d.data = (unsigned char *)text;
    d.size = (unsigned)len;
    if ((err = gnutls_x509_privkey_init(key)) < 0 ||
        (err = gnutls_x509_privkey_import2(*key, &d, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
        log_warnx(_("%s is not a private key: %s"), key_path, gnutls_strerror(err));
        goto wipe;
    }
    if (gnutls_x509_crt_get_key_id(*ca, 0, id1, &len1) < 0 ||
        gnutls_x509_privkey_get_key_id(*key, 0, id2, &len2) < 0 || len1 != len2 ||
        memcmp(id1, id2, len1) != 0) {
        log_warnx(_("%s is not the key of %s"), key_path, crt_path);
        goto wipe;
    }
    rc = 0;
wipe:
    gnutls_memset(text, 0, len);
out:
    free(text);
    if (rc < 0) {
        if (*ca)
            gnutls_x509_crt_deinit(*ca);
        if (*key)
            gnutls_x509_privkey_deinit(*key);
        *ca = NULL;
        *key = NULL;
    }
    return rc;
}

int
tlscert_make_ca(const char *dir)
{
    char crt_path[PATH_MAX], key_path[PATH_MAX];
    const char *paths[] = { crt_path, key_path };
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t crt = NULL;
    gnutls_datum_t pem = { NULL, 0 }, kpem = { NULL, 0 };
    int err, rc = -1;

    snprintf(crt_path, sizeof crt_path, "%s/ca.crt", dir);
    snprintf(key_path, sizeof key_path, "%s/ca.key", dir);
    if (files_mkdir_p(dir, 0700) < 0) {
        log_warn(_("cannot create %s"), dir);
        return -1;
    }
    if (none_exist(paths, 2) < 0 || new_key(&key) < 0)
        return -1;
    if ((err = new_crt(&crt, key, CA_CN, CA_O, CA_DAYS)) < 0 ||
        (err = gnutls_x509_crt_set_basic_constraints(crt, 1, -1)) < 0 ||
        (err = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_KEY_CERT_SIGN |
                                                  GNUTLS_KEY_CRL_SIGN)) < 0 ||
        (err = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0 ||
        (err = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &pem)) < 0 ||
        (err = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL,
                                                 GNUTLS_PKCS_PLAIN, &kpem)) < 0) {
        tls_fail(crt_path, err);
        goto out;
    }
    if (write_datum(key_path, &kpem, 0600) < 0)
        goto out;
    if (write_datum(crt_path, &pem, 0644) < 0) {
        unlink(key_path);
        goto out;
    }
    rc = 0;
out:
    datum_wipe(&kpem);
    datum_wipe(&pem);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    gnutls_x509_privkey_deinit(key);
    return rc;
}

/* Adds one subject alternative name: an IP address when host parses as one,
 * else a DNS name.  Returns 0, or -1 after logging. */
static int
add_host(gnutls_x509_crt_t crt, const char *host)
{
    unsigned char ip[16];
    int err;

    if (inet_pton(AF_INET, host, ip) == 1)
        err = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, 4,
                                                   GNUTLS_FSAN_APPEND);
    else if (inet_pton(AF_INET6, host, ip) == 1)
        err = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, 16,
                                                   GNUTLS_FSAN_APPEND);
    else if (host[0] && strlen(host) < 254 && strspn(host, "abcdefghijklmnopqrstuvwxyz"
                                                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                           "0123456789-.") == strlen(host))
        err = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, host,
                                                   (unsigned)strlen(host), GNUTLS_FSAN_APPEND);
    else {
        log_warnx(_("'%s' is neither an IP address nor a DNS name (for a name in Chinese, "
                    "give its xn-- form)"), host);
        return -1;
    }
    if (err < 0) {
        log_warnx(_("cannot put '%s' in the certificate: %s"), host, gnutls_strerror(err));
        return -1;
    }
    return 0;
}

int
tlscert_make_server(const char *ca_dir, const char *dir, const char *const *hosts,
                    size_t nhosts)
{
    static const char *const local[] = { "127.0.0.1", "localhost" };
    char crt_path[PATH_MAX], key_path[PATH_MAX];
    const char *paths[] = { crt_path, key_path };
    gnutls_x509_crt_t ca = NULL, crt = NULL;
    gnutls_x509_privkey_t ca_key = NULL, key = NULL;
    gnutls_datum_t pem = { NULL, 0 }, capem = { NULL, 0 }, kpem = { NULL, 0 };
    char *chain = NULL;
    int err, rc = -1;

    snprintf(crt_path, sizeof crt_path, "%s/tls.crt", dir);
    snprintf(key_path, sizeof key_path, "%s/tls.key", dir);
    if (nhosts == 0) {
        hosts = local;
        nhosts = 2;
    }
    if (files_mkdir_p(dir, 0700) < 0) {
        log_warn(_("cannot create %s"), dir);
        return -1;
    }
    if (none_exist(paths, 2) < 0 || load_ca(ca_dir, &ca, &ca_key) < 0)
        return -1;
    if (new_key(&key) < 0)
        goto out;
    if ((err = new_crt(&crt, key, SERVER_CN, CA_O, LEAF_DAYS)) < 0) {
        tls_fail(crt_path, err);
        goto out;
    }
    for (size_t i = 0; i < nhosts; i++)
        if (add_host(crt, hosts[i]) < 0)
            goto out;
    if ((err = gnutls_x509_crt_set_basic_constraints(crt, 0, -1)) < 0 ||
        (err = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0 ||
        (err = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0 ||
        (err = sign_by(crt, ca, ca_key)) < 0 ||
        (err = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &pem)) < 0 ||
        (err = gnutls_x509_crt_export2(ca, GNUTLS_X509_FMT_PEM, &capem)) < 0 ||
        (err = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL,
                                                 GNUTLS_PKCS_PLAIN, &kpem)) < 0) {
        tls_fail(crt_path, err);
        goto out;
    }
    if (!(chain = malloc((size_t)pem.size + capem.size))) {
        log_warn(_("cannot write %s"), crt_path);
        goto out;
    }
    memcpy(chain, pem.data, pem.size);
    memcpy(chain + pem.size, capem.data, capem.size);
    if (write_datum(key_path, &kpem, 0600) < 0)
        goto out;
    if (files_write_atomic(crt_path, chain, (size_t)pem.size + capem.size, 0644) < 0) {
        log_warn(_("cannot write %s"), crt_path);
        unlink(key_path);
        goto out;
    }
    rc = 0;
out:
    free(chain);
    datum_wipe(&kpem);
    datum_wipe(&capem);
    datum_wipe(&pem);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    if (key)
        gnutls_x509_privkey_deinit(key);
    if (ca)
        gnutls_x509_crt_deinit(ca);
    if (ca_key)
        gnutls_x509_privkey_deinit(ca_key);
    return rc;
}

/* A fresh passphrase, "XXXX-XXXX-XXXX-XXXX" (80 bits).  Returns 0 or a
 * GnuTLS error. */
static int
make_pass(char pass[TLSCERT_PASS_LEN])
{
    unsigned char r[16];
    size_t k = 0;
    int err;

    if ((err = gnutls_rnd(GNUTLS_RND_KEY, r, sizeof r)) < 0)
        return err;
    for (size_t i = 0; i < sizeof r; i++) {
        if (i && i % 4 == 0)
            pass[k++] = '-';
        pass[k++] = pass_alphabet[r[i] & 31];
    }
    pass[k] = '\0';
    gnutls_memset(r, 0, sizeof r);
    return 0;
}

static int
fingerprint(gnutls_x509_crt_t crt, char fp_out[TLSCERT_FP_LEN])
{
    unsigned char md[32];
    size_t len = sizeof md;
    int err;

    if ((err = gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, md, &len)) < 0)
        return err;
    if (len != sizeof md)
        return GNUTLS_E_INTERNAL_ERROR;
    memcpy(fp_out, "sha256:", 7);
    text_hex(fp_out + 7, md, sizeof md);
    return 0;
}

/* The PKCS#12 of key, crt and ca under pass: a certificate bag and a
 * shrouded key bag, both PBES2 AES-256, linked by localKeyID and named
 * friendly; a SHA-256 MAC.  Returns 0 (out holds the DER) or an error. */
static int
make_p12(gnutls_x509_privkey_t key, gnutls_x509_crt_t crt, gnutls_x509_crt_t ca,
         const char *friendly, const char *pass, gnutls_datum_t *out)
{
    gnutls_pkcs12_t p12 = NULL;
    gnutls_pkcs12_bag_t certs = NULL, keys = NULL;
    gnutls_datum_t shrouded = { NULL, 0 }, id;
    unsigned char idbuf[64];
    size_t idlen = sizeof idbuf;
    int err, leaf, kidx;

    if ((err = gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA1, idbuf, &idlen)) < 0)
        return err;
    id.data = idbuf;
    id.size = (unsigned)idlen;
    if ((err = gnutls_pkcs12_init(&p12)) < 0 || (err = gnutls_pkcs12_bag_init(&certs)) < 0 ||
        (err = gnutls_pkcs12_bag_init(&keys)) < 0)
        goto out;
    if ((err = leaf = gnutls_pkcs12_bag_set_crt(certs, crt)) < 0 ||
        (err = gnutls_pkcs12_bag_set_key_id(certs, leaf, &id)) < 0 ||
        (err = gnutls_pkcs12_bag_set_friendly_name(certs, leaf, friendly)) < 0 ||
        (err = gnutls_pkcs12_bag_set_crt(certs, ca)) < 0 ||
        (err = gnutls_pkcs12_bag_encrypt(certs, pass, GNUTLS_PKCS_PBES2_AES_256)) < 0)
        goto out;
    if ((err = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_DER, pass,
                                                 GNUTLS_PKCS_PBES2_AES_256, &shrouded)) < 0 ||
        (err = kidx = gnutls_pkcs12_bag_set_data(keys, GNUTLS_BAG_PKCS8_ENCRYPTED_KEY,
                                                 &shrouded)) < 0 ||
        (err = gnutls_pkcs12_bag_set_key_id(keys, kidx, &id)) < 0 ||
        (err = gnutls_pkcs12_bag_set_friendly_name(keys, kidx, friendly)) < 0)
        goto out;
    if ((err = gnutls_pkcs12_set_bag(p12, certs)) < 0 ||
        (err = gnutls_pkcs12_set_bag(p12, keys)) < 0 ||
        (err = gnutls_pkcs12_generate_mac2(p12, GNUTLS_MAC_SHA256, pass)) < 0 ||
        (err = gnutls_pkcs12_export2(p12, GNUTLS_X509_FMT_DER, out)) < 0)
        goto out;
    err = 0;
out:
    datum_wipe(&shrouded);
    if (keys)
        gnutls_pkcs12_bag_deinit(keys);
    if (certs)
        gnutls_pkcs12_bag_deinit(certs);
    if (p12)
        gnutls_pkcs12_deinit(p12);
    return err;
}

int
tlscert_make_client(const char *ca_dir, const char *dir, const char *name, const char *role,
                    int flags, char fp_out[TLSCERT_FP_LEN], char pass_out[TLSCERT_PASS_LEN])
{
    char p12_path[PATH_MAX], pass_path[PATH_MAX], crt_path[PATH_MAX];
    const char *paths[] = { p12_path, pass_path, crt_path };
    char pass[TLSCERT_PASS_LEN + 1], fp[TLSCERT_FP_LEN];
    gnutls_x509_crt_t ca = NULL, crt = NULL;
    gnutls_x509_privkey_t ca_key = NULL, key = NULL;
    gnutls_datum_t p12 = { NULL, 0 }, pem = { NULL, 0 };
    size_t plen;
    int err, rc = -1;

    fp_out[0] = '\0';
    if (pass_out)
        pass_out[0] = '\0';
    if (!name[0] || strchr(name, '/') || !text_utf8_valid(name, strlen(name)) ||
        !role[0] || !text_utf8_valid(role, strlen(role))) {
        log_warnx(_("'%s' cannot name a browser certificate"), name);
        return -1;
    }
    snprintf(p12_path, sizeof p12_path, "%s/%s.p12", dir, name);
    snprintf(pass_path, sizeof pass_path, "%s/%s.p12.pass", dir, name);
    snprintf(crt_path, sizeof crt_path, "%s/%s.crt", dir, name);
    if (files_mkdir_p(dir, 0700) < 0) {
        log_warn(_("cannot create %s"), dir);
        return -1;
    }
    if ((!(flags & TLSCERT_REPLACE) && none_exist(paths, 3) < 0) ||
        load_ca(ca_dir, &ca, &ca_key) < 0)
        return -1;
    if (new_key(&key) < 0)
        goto out;
    if ((err = new_crt(&crt, key, name, role, LEAF_DAYS)) < 0 ||
        (err = gnutls_x509_crt_set_basic_constraints(crt, 0, -1)) < 0 ||
        (err = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0 ||
        (err = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_CLIENT, 0)) < 0 ||
        (err = sign_by(crt, ca, ca_key)) < 0 ||
        (err = fingerprint(crt, fp)) < 0 ||
        (err = make_pass(pass)) < 0 ||
        (err = make_p12(key, crt, ca, name, pass, &p12)) < 0 ||
        (err = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &pem)) < 0) {
        tls_fail(p12_path, err);
        goto out;
    }
    /* The passphrase file first: a .p12 never lies about without it. */
    plen = strlen(pass);
    pass[plen] = '\n';
    if (files_write_atomic(pass_path, pass, plen + 1, 0600) < 0) {
        log_warn(_("cannot write %s"), pass_path);
        goto out;
    }
    pass[plen] = '\0';
    if (write_datum(p12_path, &p12, 0600) < 0 || write_datum(crt_path, &pem, 0644) < 0) {
        /* A renewal may leave the new passphrase beside the old files:
         * removing all three is the honest state. */
        unlink(p12_path);
        unlink(pass_path);
        unlink(crt_path);
        goto out;
    }
    memcpy(fp_out, fp, sizeof fp);
    if (pass_out)
        memcpy(pass_out, pass, TLSCERT_PASS_LEN);
    rc = 0;
out:
    gnutls_memset(pass, 0, sizeof pass);
    datum_wipe(&p12);
    datum_wipe(&pem);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    if (key)
        gnutls_x509_privkey_deinit(key);
    if (ca)
        gnutls_x509_crt_deinit(ca);
    if (ca_key)
        gnutls_x509_privkey_deinit(ca_key);
    return rc;
}

int
tlscert_fingerprint(const char *path, char fp_out[TLSCERT_FP_LEN])
{
    gnutls_x509_crt_t crt = NULL;
    gnutls_datum_t d;
    size_t len;
    char *text;
    int err, rc = -1;

    fp_out[0] = '\0';
    if (!(text = files_read(path, &len))) {
        log_warn(_("cannot read %s"), path);
        return -1;
    }
    d.data = (unsigned char *)text;
    d.size = (unsigned)len;
    if ((err = gnutls_x509_crt_init(&crt)) < 0 ||
        (err = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM)) < 0 ||
        (err = fingerprint(crt, fp_out)) < 0)
        log_warnx(_("%s is not a certificate: %s"), path, gnutls_strerror(err));
    else
        rc = 0;
    if (crt)
        gnutls_x509_crt_deinit(crt);
    free(text);
    return rc;
}
