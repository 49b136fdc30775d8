/* keys.c — zcert key files, signing keys, the hub's key directory. */
#include "keys.h"
#include "i18n.h"
#include "categories.h"
#include "log.h"
#include "files.h"
#include "text.h"

#include <czmq.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>

/* The CURVE key of a file refused because another file has the same key
 * (or, for units, the same signing key): why names the files and what
 * each claims. */
struct refusal {
    uint8_t curve_pk[32];
    char *why;
};

struct keydir {
    struct key_entry *v;        /* authorized, in file name order */
    size_t n;
    struct refusal *r;
    size_t nr;
};

int
keys_role_valid(const char *role)
{
    if (!role)
        return 0;
    if (strcmp(role, "supervisor") == 0 || strcmp(role, "convener") == 0 ||
        strcmp(role, "auditor") == 0)
        return 1;
    return strncmp(role, "member:", 7) == 0 && units_find(role + 7) != NULL;
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The certificate in the ZPL file path (its curve keys and metadata), or
 * NULL when the file cannot be read, does not parse, or holds no public
 * key; the caller logs.  Read here rather than by zcert_load: CZMQ's loader
 * leaks its file object whenever the file does not parse, which a broken
 * file in the key directory would do on every reload.  Only path is read
 * (zcert_load would first try path + "_secret"). */
static zcert_t *
cert_load(const char *path)
{
    size_t len = 0;
    char *text = files_read(path, &len);
    zconfig_t *root = NULL, *meta;
    zcert_t *cert = NULL;
    const char *pub, *sec;
    uint8_t pk[32], sk[32] = { 0 };

    if (!text)
        return NULL;
    if (strlen(text) != len)        /* a NUL inside: not a text file */
        goto out;
    if (!(root = zconfig_str_load(text)))
        goto out;
    pub = zconfig_get(root, "/curve/public-key", NULL);
    sec = zconfig_get(root, "/curve/secret-key", NULL);
    if (!pub || strlen(pub) != 40 || !zmq_z85_decode(pk, pub))
        goto out;
    if (sec && strlen(sec) == 40 && !zmq_z85_decode(sk, sec))
        goto out;
    if (!(cert = zcert_new_from(pk, sk)))
        goto out;
    meta = zconfig_locate(root, "/metadata");
    for (zconfig_t *item = meta ? zconfig_child(meta) : NULL; item; item = zconfig_next(item))
        zcert_set_meta(cert, zconfig_name(item), "%s", zconfig_value(item));
out:
    sodium_memzero(sk, sizeof sk);
    zconfig_destroy(&root);
    sodium_memzero(text, len);
    free(text);
    return cert;
}

static int
entry_from_cert(struct key_entry *e, const char *path)
{
    zcert_t *cert = cert_load(path);
    const char *unit, *op, *role, *sign, *browser, *console;
    char fp[17];

    memset(e, 0, sizeof *e);
    if (!cert) {
        log_warnx(_("key directory: %s is not a zcert file; ignored"), path);
        return -1;
    }
    memcpy(e->curve_pk, zcert_public_key(cert), 32);
    snprintf(e->file, sizeof e->file, "%s", path);
    text_hex(fp, e->curve_pk, 8);
    unit = zcert_meta(cert, "unit");
    op = zcert_meta(cert, "operator");
    role = zcert_meta(cert, "role");
    sign = zcert_meta(cert, "sign-public-key");
    browser = zcert_meta(cert, "browser-cert");
    console = zcert_meta(cert, "console");
    if (console && !unit && !op) {
        if (strlen(console) == 0 || strlen(console) >= sizeof e->name) {
            log_warnx(_("key directory: %s has a bad console name; ignored"), path);
            goto err;
        }
        e->kind = KEY_CONSOLE;
        snprintf(e->name, sizeof e->name, "%s", console);
        snprintf(e->user_id, sizeof e->user_id, "console:%s:%s", console, fp);
    } else if (console) {
        log_warnx(_("key directory: %s names a console and a unit or an operator; ignored"),
                  path);
        goto err;
    } else if (unit && !op) {
        if (!units_find(unit)) {
            log_warnx(_("key directory: %s names unknown unit '%s'; ignored"), path, unit);
            goto err;
        }
        if (!sign || text_unhex(e->sign_pk, 32, sign) < 0) {
            log_warnx(_("key directory: %s has no valid sign-public-key; ignored"), path);
            goto err;
        }
        e->kind = KEY_UNIT;
        e->has_sign = 1;
        snprintf(e->name, sizeof e->name, "%s", unit);
        snprintf(e->user_id, sizeof e->user_id, "unit:%s:%s", unit, fp);
    } else if (op && !unit) {
        if (!keys_role_valid(role)) {
            log_warnx(_("key directory: %s has no valid role (supervisor, convener, "
                      "auditor, member:<unit>); ignored"), path);
            goto err;
        }
        if (strlen(op) == 0 || strlen(op) >= sizeof e->name) {
            log_warnx(_("key directory: %s has a bad operator name; ignored"), path);
            goto err;
        }
        if (browser && !keys_browser_fp_valid(browser)) {
            log_warnx(_("key directory: %s has a bad browser-cert (sha256: and 64 lowercase hex "
                        "digits); ignored"), path);
            goto err;
        }
        e->kind = KEY_OPERATOR;
        if (browser)
            snprintf(e->browser_fp, sizeof e->browser_fp, "%s", browser);
        snprintf(e->name, sizeof e->name, "%s", op);
        snprintf(e->role, sizeof e->role, "%s", role);
        snprintf(e->user_id, sizeof e->user_id, "op:%s:%s", op, fp);
    } else {
        log_warnx(_("key directory: %s names neither one unit nor one operator; ignored"), path);
        goto err;
    }
    zcert_destroy(&cert);
    return 0;
err:
    zcert_destroy(&cert);
    return -1;
}

static int
by_file(const void *a, const void *b)
{
    return strcmp(((const struct key_entry *)a)->file, ((const struct key_entry *)b)->file);
}

static int
same_curve(const struct key_entry *a, const struct key_entry *b)
{
    return sodium_memcmp(a->curve_pk, b->curve_pk, 32) == 0;
}

/* The same signing key in certs of two different units: a stored signature
 * would no longer prove which unit made it.  Within one unit (its transport
 * key replaced, its signing key kept) it still does. */
static int
same_sign(const struct key_entry *a, const struct key_entry *b)
{
    return a->has_sign && b->has_sign && sodium_memcmp(a->sign_pk, b->sign_pk, 32) == 0;
}

/* Two CURVE keys whose sessions would have the same ZMQ User-Id (one
 * name, and keys alike in the bytes the fingerprint shows): the hub could
 * not tell them apart, nor see one of them revoked while the other stays. */
static int
same_user(const struct key_entry *a, const struct key_entry *b)
{
    return strcmp(a->user_id, b->user_id) == 0 && !same_curve(a, b);
}

static void
describe(FILE *f, const struct key_entry *e)
{
    const char *base = strrchr(e->file, '/');

    base = base ? base + 1 : e->file;
    if (e->kind == KEY_UNIT)
        fprintf(f, _("%s (unit %s)"), base, i18n_zh() ? units_name(e->name) : e->name);
    else if (e->kind == KEY_CONSOLE)
        fprintf(f, _("%s (console %s)"), base, e->name);
    else
        fprintf(f, _("%s (operator %s, %s)"), base, e->name, e->role);
}

/* One browser certificate in the certs of two operators: the hub could not
 * tell whom the console acts for. */
static int
same_browser(const struct key_entry *a, const struct key_entry *b)
{
    return a->browser_fp[0] && strcmp(a->browser_fp, b->browser_fp) == 0;
}

typedef int (*same_fn)(const struct key_entry *, const struct key_entry *);

/* Refuses v[i] and every later entry that same() pairs with it, unless
 * they all name one unit and one_unit_ok is set: marks them in refused,
 * records why under each one's CURVE key and logs one line.  Returns 0,
 * or -1 when memory ran out. */
static int
refuse_group(keydir_t *self, const struct key_entry *v, size_t n, size_t i, char *refused,
             same_fn same, const char *what, int one_unit_ok)
{
    size_t count = 1, last = i, len = 0;
    int other_names = 0, rc = 0;
    char *why = NULL;
    FILE *f;

    for (size_t j = i + 1; j < n; j++)
        if (same(&v[i], &v[j])) {
            count++;
            last = j;
            other_names |= strcmp(v[i].name, v[j].name) != 0;
        }
    if (count == 1 || (one_unit_ok && !other_names))
        return 0;
    if (!(f = open_memstream(&why, &len)))
        return -1;
    /* TRANSLATORS: "public key" or "signing key"; the files follow. */
    fprintf(f, _("the same %s is in "), _(what));
    describe(f, &v[i]);
    for (size_t j = i + 1; j < n; j++)
        if (same(&v[i], &v[j])) {
            fputs(j == last ? _(" and ") : _(", "), f);
            describe(f, &v[j]);
        }
    if (fclose(f) != 0) {
        free(why);
        return -1;
    }
    if (count == 2)
        log_warnx(_("key directory: %s: refused for both until one is removed"), why);
    else
        log_warnx(_("key directory: %s: refused for all of them until only one is left"), why);
    for (size_t j = i; j < n; j++) {
        if (j != i && !same(&v[i], &v[j]))
            continue;
        struct refusal *nr = realloc(self->r, (self->nr + 1) * sizeof *nr);
        if (nr)
            self->r = nr;
        if (!nr || !(self->r[self->nr].why = strdup(why))) {
            rc = -1;
            break;
        }
        memcpy(self->r[self->nr++].curve_pk, v[j].curve_pk, 32);
        refused[j] = 1;
    }
    free(why);
    return rc;
}

/* Reads every usable *.cert of dir into *out (sorted by file name).
 * Returns the count, or -1 when dir cannot be read or memory ran out. */
static long
read_certs(const char *dir, struct key_entry **out)
{
    struct key_entry *v = NULL;
    size_t n = 0;
    DIR *d = opendir(dir);
    struct dirent *de;

    *out = NULL;
    if (!d) {
        log_warn(_("key directory %s"), dir);
        return -1;
    }
    while ((de = readdir(d))) {
        char path[PATH_MAX];
        struct key_entry e;

        if (ends_with(de->d_name, "_secret")) {
            log_warnx(_("key directory: %s/%s is a secret key; it does not belong on the hub "
                      "(ignored)"), dir, de->d_name);
            continue;
        }
        if (!ends_with(de->d_name, ".cert") || de->d_name[0] == '.')
            continue;
        if (files_join(path, sizeof path, dir, de->d_name) < 0)
            continue;
        if (entry_from_cert(&e, path) < 0)
            continue;
        struct key_entry *nv = realloc(v, (n + 1) * sizeof *nv);
        if (!nv) {
            log_warnx(_("key directory %s: out of memory"), dir);
            free(v);
            closedir(d);
            return -1;
        }
        v = nv;
        v[n++] = e;
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, by_file);
    *out = v;
    return (long)n;
}

keydir_t *
keydir_load(const char *dir)
{
    keydir_t *self = NULL;
    struct key_entry *all = NULL;
    char *refused = NULL;
    long n;

    if ((n = read_certs(dir, &all)) < 0)
        return NULL;
    if (!(self = calloc(1, sizeof *self)) || (n && !(refused = calloc((size_t)n, 1))))
        goto err;
    /* Each group once, from its first file. */
    for (size_t i = 0; i < (size_t)n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = same_curve(&all[i], &all[j]);
        if (!seen && refuse_group(self, all, (size_t)n, i, refused, same_curve,
                                  N_("public key"), 0) < 0)
            goto err;
    }
    for (size_t i = 0; i < (size_t)n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = same_sign(&all[i], &all[j]);
        if (!seen && refuse_group(self, all, (size_t)n, i, refused, same_sign,
                                  N_("signing key"), 1) < 0)
            goto err;
    }
    for (size_t i = 0; i < (size_t)n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = same_user(&all[i], &all[j]);
        if (!seen && refuse_group(self, all, (size_t)n, i, refused, same_user,
                                  N_("key fingerprint (ZMQ User-Id)"), 0) < 0)
            goto err;
    }
    for (size_t i = 0; i < (size_t)n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = same_browser(&all[i], &all[j]);
        if (!seen && refuse_group(self, all, (size_t)n, i, refused, same_browser,
                                  N_("browser certificate"), 0) < 0)
            goto err;
    }
    for (size_t i = 0; i < (size_t)n; i++)
        if (!refused[i])
            all[self->n++] = all[i];
    self->v = all;
    free(refused);
    return self;
err:
    log_warnx(_("key directory %s: out of memory"), dir);
    free(refused);
    free(all);
    keydir_destroy(&self);
    return NULL;
}

void
keydir_destroy(keydir_t **self_p)
{
    if (!*self_p)
        return;
    for (size_t i = 0; i < (*self_p)->nr; i++)
        free((*self_p)->r[i].why);
    free((*self_p)->r);
    free((*self_p)->v);
    free(*self_p);
    *self_p = NULL;
}

const struct key_entry *
keydir_by_curve(const keydir_t *self, const uint8_t pk[32])
{
    for (size_t i = 0; i < self->n; i++)
        if (sodium_memcmp(self->v[i].curve_pk, pk, 32) == 0)
            return &self->v[i];
    return NULL;
}

const struct key_entry *
keydir_by_user(const keydir_t *self, const char *user_id)
{
    for (size_t i = 0; user_id && i < self->n; i++)
        if (strcmp(self->v[i].user_id, user_id) == 0)
            return &self->v[i];
    return NULL;
}

const struct key_entry *
keydir_by_browser(const keydir_t *self, const char *fp)
{
    for (size_t i = 0; fp && *fp && i < self->n; i++)
        if (self->v[i].kind == KEY_OPERATOR && strcmp(self->v[i].browser_fp, fp) == 0)
            return &self->v[i];
    return NULL;
}

const char *
keydir_refused(const keydir_t *self, const uint8_t pk[32])
{
    for (size_t i = 0; i < self->nr; i++)
        if (sodium_memcmp(self->r[i].curve_pk, pk, 32) == 0)
            return self->r[i].why;
    return NULL;
}

size_t
keydir_count(const keydir_t *self)
{
    return self->n;
}

const struct key_entry *
keydir_at(const keydir_t *self, size_t i)
{
    return i < self->n ? &self->v[i] : NULL;
}

int
keys_browser_fp_valid(const char *fp)
{
    if (!fp || strncmp(fp, "sha256:", 7) != 0 || strlen(fp) != 7 + 64)
        return 0;
    for (const char *p = fp + 7; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

int
keys_set_browser_fp(const char *cert_path, const char *fp)
{
    zcert_t *cert;
    zconfig_t *root = NULL;
    char *text = NULL, *out = NULL;
    size_t len = 0;
    int rc = -1;

    if (!keys_browser_fp_valid(fp)) {
        log_warnx("%s: not a browser certificate fingerprint: %s", cert_path, fp);
        return -1;
    }
    /* Checked as a public cert first (no secret inside). */
    if (!(cert = cert_load(cert_path)) || zcert_meta(cert, "operator") == NULL) {
        log_warnx(_("%s is not an operator's public cert"), cert_path);
        goto out;
    }
    if (!(text = files_read(cert_path, &len)) || !(root = zconfig_str_load(text)) ||
        zconfig_get(root, "/curve/secret-key", NULL)) {
        log_warnx(_("%s is not an operator's public cert"), cert_path);
        goto out;
    }
    zconfig_put(root, "/metadata/browser-cert", fp);
    if (!(out = zconfig_str_save(root)) ||
        files_write_atomic(cert_path, out, strlen(out), 0644) < 0) {
        log_warn(_("cannot write %s"), cert_path);
        goto out;
    }
    rc = 0;
out:
    free(out);
    free(text);
    zconfig_destroy(&root);
    zcert_destroy(&cert);
    return rc;
}

int
keys_generate(const char *dir, const char *base, int kind, const char *name, const char *role)
{
    char cert_path[PATH_MAX], secret_path[PATH_MAX], sign_path[PATH_MAX];
    char text[512], hex[129], pkhex[65];
    uint8_t spk[32], ssk[64];
    zcert_t *cert = NULL;
    struct stat st;
    int rc = -1;

    if (files_mkdir_p(dir, 0700) < 0) {
        log_warn(_("cannot create %s"), dir);
        return -1;
    }
    snprintf(cert_path, sizeof cert_path, "%s/%s.cert", dir, base);
    snprintf(secret_path, sizeof secret_path, "%s/%s.cert_secret", dir, base);
    snprintf(sign_path, sizeof sign_path, "%s/%s.sign_secret", dir, base);
    if (stat(cert_path, &st) == 0 || stat(secret_path, &st) == 0) {
        log_warnx(_("%s already exists: refusing to overwrite a key"), cert_path);
        return -1;
    }
    if (!(cert = zcert_new()))
        goto out;
    switch (kind) {
    case KEY_HUB:
        /* The hub signs the audit trail's checkpoints. */
        crypto_sign_keypair(spk, ssk);
        text_hex(pkhex, spk, 32);
        zcert_set_meta(cert, "hub", "%s", name);
        zcert_set_meta(cert, "sign-public-key", "%s", pkhex);
        break;
    case KEY_UNIT:
        crypto_sign_keypair(spk, ssk);
        text_hex(pkhex, spk, 32);
        zcert_set_meta(cert, "unit", "%s", name);
        zcert_set_meta(cert, "sign-public-key", "%s", pkhex);
        break;
    case KEY_OPERATOR:
        zcert_set_meta(cert, "operator", "%s", name);
        zcert_set_meta(cert, "role", "%s", role);
        break;
    case KEY_CONSOLE:
        zcert_set_meta(cert, "console", "%s", name);
        break;
    default:
        goto out;
    }
    if (zcert_save_secret(cert, secret_path) < 0 || chmod(secret_path, 0600) < 0) {
        log_warn(_("cannot write %s"), secret_path);
        goto out;
    }
    if (kind == KEY_UNIT || kind == KEY_HUB) {
        text_hex(hex, ssk, 64);
        snprintf(text, sizeof text,
                 "# lianxi Ed25519 signing secret key of %s %s.\n"
                 "# It stays where it is: only %s.cert travels.\n"
                 "secret-key = %s\n", kind == KEY_HUB ? "the hub" : "unit", name, base, hex);
        sodium_memzero(ssk, sizeof ssk);
        if (files_write_atomic(sign_path, text, strlen(text), 0600) < 0) {
            sodium_memzero(text, sizeof text);
            log_warn(_("cannot write %s"), sign_path);
            goto out;
        }
        sodium_memzero(text, sizeof text);
    }
    if (zcert_save_public(cert, cert_path) < 0) {
        log_warn(_("cannot write %s"), cert_path);
        goto out;
    }
    rc = 0;
out:
    zcert_destroy(&cert);
    return rc;
}

int
keys_load_identity(const char *cert_secret_path, const char *sign_path, struct identity *out)
{
    zcert_t *cert = NULL;
    char *text = NULL, *p;
    const char *nm;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (files_check_secret(cert_secret_path) < 0)
        return -1;
    if (!(cert = cert_load(cert_secret_path))) {
        log_warnx(_("%s is not a zcert secret key file"), cert_secret_path);
        return -1;
    }
    memcpy(out->curve_pk, zcert_public_key(cert), 32);
    memcpy(out->curve_sk, zcert_secret_key(cert), 32);
    if (sodium_is_zero(out->curve_sk, 32)) {
        log_warnx(_("%s holds no secret key"), cert_secret_path);
        goto out;
    }
    nm = zcert_meta(cert, "unit");
    if (!nm)
        nm = zcert_meta(cert, "operator");
    if (!nm)
        nm = zcert_meta(cert, "hub");
    snprintf(out->name, sizeof out->name, "%s", nm ? nm : "");
    if (sign_path) {
        if (files_check_secret(sign_path) < 0)
            goto out;
        if (!(text = files_read(sign_path, NULL))) {
            log_warn(_("signing key %s"), sign_path);
            goto out;
        }
        p = strstr(text, "secret-key = ");
        if (p) {
            p += 13;
            p[strcspn(p, "\r\n \t")] = '\0';
        }
        if (!p || text_unhex(out->sign_sk, 64, p) < 0) {
            log_warnx(_("%s holds no signing key (expected 'secret-key = <128 hex>')"), sign_path);
            goto out;
        }
        out->has_sign = 1;
    }
    rc = 0;
out:
    if (text) {
        sodium_memzero(text, strlen(text));
        free(text);
    }
    zcert_destroy(&cert);
    return rc;
}

int
keys_load_public(const char *cert_path, uint8_t pk[32])
{
    zcert_t *cert = cert_load(cert_path);

    if (!cert) {
        log_warnx(_("%s is not a zcert key file"), cert_path);
        return -1;
    }
    memcpy(pk, zcert_public_key(cert), 32);
    zcert_destroy(&cert);
    return 0;
}

int
keys_load_sign_public(const char *cert_path, uint8_t pk[32])
{
    zcert_t *cert = cert_load(cert_path);
    const char *sign;
    int rc = 0;

    if (!cert) {
        log_warnx(_("%s is not a zcert key file"), cert_path);
        return -1;
    }
    sign = zcert_meta(cert, "sign-public-key");
    if (!sign || text_unhex(pk, 32, sign) < 0) {
        log_warnx(_("%s has no sign-public-key: it is not the hub's or a unit's public cert"),
                  cert_path);
        rc = -1;
    }
    zcert_destroy(&cert);
    return rc;
}

/* The derivation is documented in keys.h (and in the README): change it
 * only with a new label, as people will have written fingerprints down. */
void
keys_fingerprint(const uint8_t curve_pk[32], const uint8_t *sign_pk, char out[KEYS_FP_LEN])
{
    static const char label[] = "lianxi-fingerprint-v1";
    uint8_t h[crypto_generichash_BYTES_MAX];
    crypto_generichash_state st;
    char *p = out;

    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const uint8_t *)label, sizeof label - 1);
    crypto_generichash_update(&st, curve_pk, 32);
    if (sign_pk)
        crypto_generichash_update(&st, sign_pk, 32);
    crypto_generichash_final(&st, h, sizeof h);
    for (int i = 0; i < KEYS_FP_GROUPS; i++) {
        uint64_t v = 0;
        for (int j = 0; j < 5; j++)
            v = v << 8 | h[5 * i + j];
        p += sprintf(p, "%s%05u", i ? " " : "", (unsigned)(v % 100000));
    }
}

void
keys_entry_fingerprint(const struct key_entry *e, char out[KEYS_FP_LEN])
{
    keys_fingerprint(e->curve_pk, e->has_sign ? e->sign_pk : NULL, out);
}

int
keys_read_cert(const char *path, struct key_entry *out, int *has_secret)
{
    zcert_t *cert = cert_load(path);
    const char *names[4], *sign, *role;
    static const int kinds[4] = { KEY_HUB, KEY_UNIT, KEY_OPERATOR, KEY_CONSOLE };
    int n = 0;

    memset(out, 0, sizeof *out);
    if (has_secret)
        *has_secret = 0;
    if (!cert)
        return -1;
    memcpy(out->curve_pk, zcert_public_key(cert), 32);
    snprintf(out->file, sizeof out->file, "%s", path);
    if (has_secret)
        *has_secret = !sodium_is_zero(zcert_secret_key(cert), 32);
    names[0] = zcert_meta(cert, "hub");
    names[1] = zcert_meta(cert, "unit");
    names[2] = zcert_meta(cert, "operator");
    names[3] = zcert_meta(cert, "console");
    for (int i = 0; i < 4; i++)
        if (names[i]) {
            n++;
            out->kind = kinds[i];
            snprintf(out->name, sizeof out->name, "%s", names[i]);
        }
    if (n != 1) {
        out->kind = 0;
        out->name[0] = '\0';
    }
    if ((role = zcert_meta(cert, "role")))
        snprintf(out->role, sizeof out->role, "%s", role);
    sign = zcert_meta(cert, "sign-public-key");
    if (sign && text_unhex(out->sign_pk, 32, sign) == 0)
        out->has_sign = 1;
    zcert_destroy(&cert);
    return 0;
}
