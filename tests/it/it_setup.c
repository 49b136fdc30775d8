/* it_setup.c — the set-up commands of a real deployment: the hub's machine
 * made by `lianxi init --hub-only` (its keys and nothing of a unit or an
 * operator), one unit's machine made by `lianxi unit-setup`, its .cert
 * copied into the hub's key directory (the hub takes it by itself) and an
 * export dropped in drop/ filed and answered with receipts; the refusals;
 * `lianxi keys list`; the fingerprint people compare on the phone,
 * recomputed here from its documented derivation (keys.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <czmq.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "files.h"
#include "harness.h"
#include "i18n.h"
#include "keys.h"
#include "text.h"

#define WAIT_MS 30000

static struct county C;
static char sample_dir[PATH_MAX];
static pid_t watch_pid;         /* the adapter's watch, stopped at the end even when a test fails */

/* Runs `lianxi ARGS...` (NULL-terminated) with its output in the county's
 * file out; *text gets the output (free it).  Returns the exit code. */
static int
lianxi(const char *out, char **text, ...)
{
    char path[PATH_MAX];
    const char *argv[24] = { "lianxi" };
    int n = 1, rc;
    va_list ap;

    va_start(ap, text);
    while (n < 23 && (argv[n] = va_arg(ap, const char *)))
        n++;
    va_end(ap);
    argv[n] = NULL;
    snprintf(path, sizeof path, "%s/%s", C.dir, out);
    close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
    rc = run_prog(&C, path, argv, 60000);
    if (text)
        *text = files_read(path, NULL);
    return rc;
}

/* The fingerprint of keys.h, computed here from its description:
 * BLAKE2b-512 over the label, the CURVE public key and the signing public
 * key (when there is one); seven groups of the 40-bit big-endian integers
 * of bytes 5i..5i+4, modulo 100000, five digits each. */
static void
documented_fp(const uint8_t curve[32], const uint8_t *sign, char out[64])
{
    uint8_t in[21 + 64], h[64];
    size_t n = 0;
    char *p = out;

    memcpy(in, "lianxi-fingerprint-v1", 21);
    n = 21;
    memcpy(in + n, curve, 32);
    n += 32;
    if (sign) {
        memcpy(in + n, sign, 32);
        n += 32;
    }
    crypto_generichash(h, sizeof h, in, n, NULL, 0);
    for (int i = 0; i < 7; i++) {
        unsigned long long v = 0;
        for (int j = 0; j < 5; j++)
            v = v << 8 | h[5 * i + j];
        p += sprintf(p, "%s%05llu", i ? " " : "", v % 100000);
    }
}

/* The fingerprint of a cert file, from its keys (read with CZMQ's loader,
 * not lianxi's). */
static void
file_fp(const char *cert_path, char out[64])
{
    zcert_t *cert = zcert_load(cert_path);
    const char *sign;
    uint8_t spk[32];

    assert_non_null(cert);
    sign = zcert_meta(cert, "sign-public-key");
    if (sign)
        assert_int_equal(text_unhex(spk, 32, sign), 0);
    documented_fp(zcert_public_key(cert), sign ? spk : NULL, out);
    zcert_destroy(&cert);
}

/* 1 when fp is seven groups of five digits with one space between. */
static int
fp_form(const char *fp)
{
    if (strlen(fp) != 41)
        return 0;
    for (int i = 0; i < 41; i++)
        if (i % 6 == 5 ? fp[i] != ' ' : (fp[i] < '0' || fp[i] > '9'))
            return 0;
    return 1;
}

/* The names in dir and below ("keys/", "console-ca/ca.crt"), sorted, one
 * per line, into out. */
static void
tree(const char *dir, const char *prefix, char *out, size_t len)
{
    struct dirent **v;
    int n = scandir(dir, &v, NULL, alphasort);

    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
        char p[PATH_MAX], rel[PATH_MAX];
        struct stat st;
        if (strcmp(v[i]->d_name, ".") != 0 && strcmp(v[i]->d_name, "..") != 0) {
            snprintf(p, sizeof p, "%s/%s", dir, v[i]->d_name);
            assert_int_equal(lstat(p, &st), 0);
            snprintf(rel, sizeof rel, "%s%s%s", prefix, v[i]->d_name,
                     S_ISDIR(st.st_mode) ? "/" : "");
            snprintf(out + strlen(out), len - strlen(out), "%s\n", rel);
            if (S_ISDIR(st.st_mode))
                tree(p, rel, out, len);
        }
        free(v[i]);
    }
    free(v);
}

static mode_t
mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* The value of "key =" in a config file's text (first occurrence), or "". */
static const char *
conf_value(const char *text, const char *key)
{
    static char v[PATH_MAX];
    char pat[64];
    const char *p = text;

    snprintf(pat, sizeof pat, "\n%s = ", key);
    v[0] = '\0';
    if ((p = strstr(text, pat))) {
        p += strlen(pat);
        snprintf(v, sizeof v, "%.*s", (int)strcspn(p, "\n"), p);
    }
    return v;
}

/* The number after "filed=" in the police samples' EXPECTED. */
static long
expected_filed(void)
{
    char p[PATH_MAX], *text, *f;
    long n;

    snprintf(p, sizeof p, "%s/EXPECTED", sample_dir);
    assert_non_null(text = files_read(p, NULL));
    assert_non_null(f = strstr(text, "\nfiled="));
    n = atol(f + 7);
    free(text);
    assert_true(n > 0);
    return n;
}

static int
setup_dirs(void **state)
{
    const char *bin = getenv("LIANXI_BIN"), *src = getenv("LIANXI_SRC");
    char tmpl[] = "/tmp/lianxi-it-XXXXXX", loc[PATH_MAX];

    (void)state;
    memset(&C, 0, sizeof C);
    snprintf(C.bin, sizeof C.bin, "%s", bin ? bin : "build/rel");
    if (C.bin[0] != '/') {
        char cwd[PATH_MAX / 2];
        if (!getcwd(cwd, sizeof cwd))
            return -1;
        snprintf(loc, sizeof loc, "%s/%s", cwd, C.bin);
        snprintf(C.bin, sizeof C.bin, "%s", loc);
    }
    snprintf(sample_dir, sizeof sample_dir, "%s/adapters/police/samples", src ? src : ".");
    if (!mkdtemp(tmpl))
        return -1;
    snprintf(C.dir, sizeof C.dir, "%s/county", tmpl);
    if (files_mkdir_p(C.dir, 0755) < 0)
        return -1;
    /* The deployment's language, and this process reads the same
     * catalogue as the programs, so an expected message is the one they
     * print (Chinese once translated). */
    snprintf(loc, sizeof loc, "%s/locale", C.bin);
    setenv("LIANXI_LOCALEDIR", loc, 0);
    setenv("LANGUAGE", "zh_CN", 1);
    setenv("LANG", "zh_CN.UTF-8", 1);
    /* No installed calendar and registry unless a test puts one here. */
    snprintf(loc, sizeof loc, "%s/no-system-data", C.dir);
    setenv("LIANXI_SYSTEM_DATA", loc, 1);
    i18n_init(NULL);
    return sodium_init() < 0 ? -1 : 0;
}

static int
teardown_dirs(void **state)
{
    (void)state;
    if (watch_pid > 0) {
        kill(watch_pid, SIGTERM);
        if (wait_exit(watch_pid, WAIT_MS) < 0)
            kill(watch_pid, SIGKILL);
    }
    county_cleanup(&C);
    return 0;
}

/* The line of out that starts with prefix, the rest of it in rest. */
static int
line_after(const char *out, const char *prefix, char *rest, size_t len)
{
    const char *p = strstr(out, prefix);

    if (!p)
        return -1;
    p += strlen(prefix);
    snprintf(rest, len, "%.*s", (int)strcspn(p, "\n"), p);
    return 0;
}

/* The fingerprint a printed line carries: the text after the format's
 * "%s" in the output. */
static void
printed_fp(const char *out, const char *fmt, char *fp, size_t len)
{
    char prefix[256];
    const char *s = strstr(fmt, "%s");

    assert_non_null(s);
    snprintf(prefix, sizeof prefix, "%.*s", (int)(s - fmt), fmt);
    assert_int_equal(line_after(out, prefix, fp, len), 0);
}

/* The longest piece of a format between its %s: what every line it makes
 * holds. */
static const char *
longest_literal(const char *fmt)
{
    static char best[256];
    const char *p = fmt;

    best[0] = '\0';
    for (;;) {
        const char *e = strstr(p, "%s");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > strlen(best) && n < sizeof best)
            snprintf(best, sizeof best, "%.*s", (int)n, p);
        if (!e)
            return best;
        p = e + 2;
    }
}

static int
in_dir(const char *dir, const char *name)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return access(p, F_OK) == 0;
}

static int
done_has_sample(void *arg)
{
    return in_dir(cpath(&C, "police/done"), arg);
}

static void
hub_and_unit_set_up_for_real_file_a_drop(void **state)
{
    char *out = NULL, *conf, fp[64], want[64], tree_txt[4096] = "", hub_dir[PATH_MAX];
    char keys[PATH_MAX], p[PATH_MAX], q[PATH_MAX], police[PATH_MAX], authorized[PATH_MAX];
    long filed = expected_filed();
    (void)state;

    snprintf(hub_dir, sizeof hub_dir, "%s", cpath(&C, "hub"));
    assert_int_equal(lianxi("init.out", &out, "init", "--hub-only", hub_dir, "--bind",
                            "127.0.0.1", "--port", "0", "--county", "测试县", NULL), 0);
    /* Exactly the hub's files: no unit's or operator's key, no demo. */
    tree(hub_dir, "", tree_txt, sizeof tree_txt);
    assert_string_equal(tree_txt,
                        "categories.tsv\n"
                        "cn-holidays.tsv\n"
                        "console-ca/\n"
                        "console-ca/ca.crt\n"
                        "console-ca/ca.key\n"
                        "hub.cert\n"
                        "hub.cert_secret\n"
                        "hub.conf\n"
                        "hub.sign_secret\n"
                        "keys/\n");
    assert_int_equal(mode_of(cpath(&C, "hub/hub.cert_secret")), 0600);
    assert_int_equal(mode_of(cpath(&C, "hub/hub.sign_secret")), 0600);
    assert_int_equal(mode_of(cpath(&C, "hub/console-ca/ca.key")), 0600);
    /* The fingerprint printed is the hub.cert's, by the documented rule. */
    file_fp(cpath(&C, "hub/hub.cert"), want);
    printed_fp(out, _("the hub's fingerprint: %s\n"), fp, sizeof fp);
    assert_string_equal(fp, want);
    assert_true(fp_form(fp));
    free(out);
    assert_non_null(conf = files_read(cpath(&C, "hub/hub.conf"), NULL));
    assert_string_equal(conf_value(conf, "units"), "tcp://127.0.0.1:*");
    assert_string_equal(conf_value(conf, "county"), "测试县");
    assert_string_equal(conf_value(conf, "keys"), "keys");
    assert_string_equal(conf_value(conf, "categories"), "categories.tsv");
    free(conf);

    /* The hub starts with an empty key directory. */
    assert_int_equal(hub_start(&C, WAIT_MS), 0);
    assert_true(log_has(&C, ": 0 keys"));

    /* The unit's machine. */
    snprintf(police, sizeof police, "%s", cpath(&C, "police"));
    assert_int_equal(lianxi("unit.out", &out, "unit-setup", "--unit", "police", "--hub",
                            C.endpoint, "--hub-cert", cpath(&C, "hub/hub.cert"), police, NULL),
                     0);
    tree_txt[0] = '\0';
    tree(police, "", tree_txt, sizeof tree_txt);
    assert_string_equal(tree_txt,
                        "adapter.conf\n"
                        "categories.tsv\n"
                        "done/\n"
                        "drop/\n"
                        "hub.cert\n"
                        "notices/\n"
                        "police.cert\n"
                        "police.cert_secret\n"
                        "police.sign_secret\n"
                        "rejected/\n");
    assert_int_equal(mode_of(cpath(&C, "police/police.cert_secret")), 0600);
    assert_int_equal(mode_of(cpath(&C, "police/police.sign_secret")), 0600);
    {
        char *a = files_read(cpath(&C, "hub/hub.cert"), NULL),
             *b = files_read(cpath(&C, "police/hub.cert"), NULL);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    /* It says where the public cert is and its fingerprint. */
    snprintf(p, sizeof p, "%s/police.cert", police);
    assert_non_null(strstr(out, p));
    file_fp(p, want);
    printed_fp(out, _("this unit's fingerprint: %s\n"), fp, sizeof fp);
    assert_string_equal(fp, want);
    free(out);
    assert_non_null(conf = files_read(cpath(&C, "police/adapter.conf"), NULL));
    assert_string_equal(conf_value(conf, "unit"), "police");
    assert_string_equal(conf_value(conf, "hub"), C.endpoint);
    assert_string_equal(conf_value(conf, "hub_cert"), "hub.cert");
    assert_string_equal(conf_value(conf, "drop"), "drop");
    free(conf);

    /* keys list: nothing yet. */
    assert_int_equal(lianxi("keys0.out", &out, "keys", "list", "-c", cpath(&C, "hub/hub.conf"),
                            "--json", NULL), 0);
    {
        cJSON *j = cJSON_Parse(out);
        assert_non_null(j);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "keys")), 0);
        cJSON_Delete(j);
    }
    free(out);

    /* The unit's service (watch) starts at once, before the organization
     * department has authorized its key, and a sample export is dropped in
     * drop/. */
    const char *watch[] = { "lianxi-adapter-police", "-c", cpath(&C, "police/adapter.conf"),
                            "watch", NULL };
    pid_t w = watch_pid = spawn(&C, cpath(&C, "watch.log"), watch);
    assert_true(w > 0);
    snprintf(p, sizeof p, "%s/police-2026-11.csv", sample_dir);
    snprintf(q, sizeof q, "%s/.police-2026-11.csv", cpath(&C, "police/drop"));
    {
        size_t len;
        char *c = files_read(p, &len);
        assert_non_null(c);
        assert_int_equal(files_write_atomic(q, c, len, 0644), 0);
        free(c);
    }
    snprintf(p, sizeof p, "%s/police-2026-11.csv", cpath(&C, "police/drop"));
    assert_int_equal(rename(q, p), 0);
    assert_int_equal(wait_in_dir(cpath(&C, "police/done"), IN_CREATE | IN_MOVED_TO,
                                 done_has_sample, "police-2026-11.csv", WAIT_MS), 0);
    /* Queued; the hub does not know the unit's key yet: it refused it. */
    assert_int_equal(wait_db(&C, "police/outbox.db", "SELECT count(*) FROM outbox", filed,
                             WAIT_MS), filed);
    assert_int_equal(db_long(&C, "police/outbox.db",
                             "SELECT count(*) FROM outbox WHERE state = 1"), 0);
    assert_int_equal(wait_log(&C, longest_literal(_("refused a connection from %s: key %s is "
                                                    "not in the key directory")), WAIT_MS), 0);
    /* The organization department copies police.cert into the key
     * directory (written beside and renamed, as one change); the hub takes
     * it by itself, and the adapter it refused tries again and delivers,
     * without a restart. */
    snprintf(keys, sizeof keys, "%s", cpath(&C, "hub/keys"));
    snprintf(q, sizeof q, "%s/police.cert.part", keys);
    {
        char *c = files_read(cpath(&C, "police/police.cert"), NULL);
        assert_non_null(c);
        assert_int_equal(files_write_atomic(q, c, strlen(c), 0644), 0);
        free(c);
    }
    snprintf(authorized, sizeof authorized, "%s/police.cert", keys);
    assert_int_equal(rename(q, authorized), 0);
    assert_int_equal(wait_log(&C, ": 1 keys", WAIT_MS), 0);
    /* Every filing stored by the hub and its receipt in the unit's outbox. */
    assert_int_equal(wait_db(&C, "hub/lianxi.db", "SELECT count(*) FROM filings", filed,
                             WAIT_MS), filed);
    assert_int_equal(wait_db(&C, "police/outbox.db",
                             "SELECT count(*) FROM outbox WHERE state = 1 AND receipt_no <> ''",
                             filed, WAIT_MS), filed);
    assert_int_equal(db_long(&C, "hub/lianxi.db",
                             "SELECT count(*) FROM filings WHERE unit <> 'police'"), 0);
    kill(w, SIGTERM);
    assert_int_equal(wait_exit(w, WAIT_MS), 0);
    watch_pid = 0;

    /* keys list names the police's key with the fingerprint unit-setup
     * printed. */
    file_fp(cpath(&C, "police/police.cert"), want);
    assert_int_equal(lianxi("keys1.out", &out, "keys", "list", "--dir", keys, "--json", NULL),
                     0);
    {
        cJSON *j = cJSON_Parse(out), *arr, *k;
        assert_non_null(j);
        arr = cJSON_GetObjectItem(j, "keys");
        assert_int_equal(cJSON_GetArraySize(arr), 1);
        k = cJSON_GetArrayItem(arr, 0);
        assert_string_equal(cJSON_GetObjectItem(k, "kind")->valuestring, "unit");
        assert_string_equal(cJSON_GetObjectItem(k, "name")->valuestring, "police");
        assert_string_equal(cJSON_GetObjectItem(k, "fingerprint")->valuestring, want);
        assert_string_equal(cJSON_GetObjectItem(k, "file")->valuestring, authorized);
        assert_true(cJSON_IsNumber(cJSON_GetObjectItem(k, "added_unix")));
        assert_non_null(strstr(cJSON_GetObjectItem(k, "user_id")->valuestring, "unit:police:"));
        cJSON_Delete(j);
    }
    free(out);
    /* And for people: a table row with the same fingerprint. */
    assert_int_equal(lianxi("keys2.out", &out, "keys", "list", "--dir", keys, NULL), 0);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, _("fingerprint")));
    free(out);
}

/* Runs unit-setup for police into dir with hub and cert; the exit code,
 * the output in *out. */
static int
unit_setup(const char *hub, const char *cert, const char *dir, char **out)
{
    return lianxi("refuse.out", out, "unit-setup", "--unit", "police", "--hub", hub,
                  "--hub-cert", cert, dir, NULL);
}

static void
refusals_are_clear_and_make_nothing(void **state)
{
    char *out, want[512], dir[PATH_MAX], hubcert[PATH_MAX];
    static const char *const bad_eps[] = { "10.1.2.3:7701", "tcp://10.1.2.3", "tcp://:7701",
                                           "tcp://10.1.2.3:0", "tcp://10.1.2.3:70000",
                                           "tcp://*:7701", "ipc:///tmp/hub", "tcp://a b:7701" };
    (void)state;

    snprintf(dir, sizeof dir, "%s", cpath(&C, "refused"));
    snprintf(hubcert, sizeof hubcert, "%s", cpath(&C, "hub/hub.cert"));
    /* Not a member unit. */
    assert_int_equal(lianxi("refuse.out", &out, "unit-setup", "--unit", "fire", "--hub",
                            "tcp://10.1.2.3:7701", "--hub-cert", hubcert, dir, NULL), EX_USAGE);
    snprintf(want, sizeof want, _("lianxi unit-setup: '%s' is not a member unit of the joint "
                                  "meeting; the units are:"), "fire");
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, " police ("));
    free(out);
    /* Malformed endpoints. */
    for (size_t i = 0; i < sizeof bad_eps / sizeof bad_eps[0]; i++) {
        assert_int_equal(unit_setup(bad_eps[i], hubcert, dir, &out), EX_USAGE);
        snprintf(want, sizeof want, _("lianxi unit-setup: --hub must be the hub's address as "
                                      "tcp://HOST:PORT (e.g. tcp://10.1.2.3:7701), not '%s'\n"),
                 bad_eps[i]);
        assert_non_null(strstr(out, want));
        free(out);
    }
    /* A cert that is not the hub's: a unit's, the hub's secret, a config. */
    assert_int_equal(unit_setup("tcp://10.1.2.3:7701", cpath(&C, "police/police.cert"), dir,
                                &out), EX_DATAERR);
    snprintf(want, sizeof want, _("lianxi unit-setup: %s is not the hub's cert (it is a unit's, "
                                  "an operator's or a console's): --hub-cert is the hub.cert "
                                  "made by lianxi init --hub-only\n"),
             cpath(&C, "police/police.cert"));
    assert_non_null(strstr(out, want));
    free(out);
    assert_int_equal(unit_setup("tcp://10.1.2.3:7701", cpath(&C, "hub/hub.cert_secret"), dir,
                                &out), EX_DATAERR);
    snprintf(want, sizeof want, _("lianxi unit-setup: %s holds a secret key: only the hub's "
                                  "public hub.cert travels, never hub.cert_secret\n"),
             cpath(&C, "hub/hub.cert_secret"));
    assert_non_null(strstr(out, want));
    free(out);
    assert_int_equal(unit_setup("tcp://10.1.2.3:7701", cpath(&C, "hub/hub.conf"), dir, &out),
                     EX_DATAERR);
    snprintf(want, sizeof want, _("lianxi unit-setup: %s is not a key file: --hub-cert is the "
                                  "hub.cert the organization department gives you\n"),
             cpath(&C, "hub/hub.conf"));
    assert_non_null(strstr(out, want));
    free(out);
    /* None of these made anything. */
    assert_int_equal(access(dir, F_OK), -1);

    /* A directory that holds something, for a unit and for a hub; --force
     * sets up in it (and keeps what was there). */
    assert_int_equal(files_mkdir_p(dir, 0755), 0);
    snprintf(want, sizeof want, "%s/readme.txt", dir);
    assert_int_equal(files_write_atomic(want, "x", 1, 0644), 0);
    assert_int_equal(unit_setup("tcp://10.1.2.3:7701", hubcert, dir, &out), EX_CANTCREAT);
    snprintf(want, sizeof want, _("lianxi unit-setup: %s is not empty: choose an empty "
                                  "directory, or --force to set up in it anyway (no existing "
                                  "key is overwritten)\n"), dir);
    assert_non_null(strstr(out, want));
    free(out);
    assert_false(in_dir(dir, "police.cert"));
    assert_int_equal(lianxi("refuse.out", &out, "init", "--hub-only", dir, NULL), EX_CANTCREAT);
    snprintf(want, sizeof want, _("lianxi init: %s is not empty: choose an empty directory, or "
                                  "--force to set up in it anyway (no existing key is "
                                  "overwritten)\n"), dir);
    assert_non_null(strstr(out, want));
    free(out);
    assert_false(in_dir(dir, "hub.cert"));
    assert_int_equal(lianxi("refuse.out", &out, "unit-setup", "--unit", "police", "--hub",
                            "tcp://hub.county.gov.cn:7701", "--hub-cert", hubcert, "--force",
                            dir, NULL), 0);
    free(out);
    assert_true(in_dir(dir, "police.cert") && in_dir(dir, "readme.txt"));
    /* A second time: the key is there, and is not overwritten. */
    assert_int_equal(lianxi("refuse.out", &out, "unit-setup", "--unit", "police", "--hub",
                            "tcp://[::1]:7701", "--hub-cert", hubcert, "--force", dir, NULL),
                     EX_CANTCREAT);
    free(out);
}

static void
fingerprint_has_its_form_and_tells_keys_apart(void **state)
{
    char *out, fp1[64], fp2[64], fpo[64], want[64];
    (void)state;

    assert_int_equal(lianxi("kg1.out", &out, "keygen", "--unit", "court", "--out",
                            cpath(&C, "kg1"), NULL), 0);
    printed_fp(out, _("fingerprint: %s\n"), fp1, sizeof fp1);
    free(out);
    assert_int_equal(lianxi("kg2.out", &out, "keygen", "--unit", "court", "--out",
                            cpath(&C, "kg2"), NULL), 0);
    printed_fp(out, _("fingerprint: %s\n"), fp2, sizeof fp2);
    free(out);
    assert_true(fp_form(fp1));
    assert_true(fp_form(fp2));
    assert_string_not_equal(fp1, fp2);
    file_fp(cpath(&C, "kg1/court.cert"), want);
    assert_string_equal(fp1, want);
    file_fp(cpath(&C, "kg2/court.cert"), want);
    assert_string_equal(fp2, want);
    /* An operator (no signing key): the CURVE key alone. */
    assert_int_equal(lianxi("kg3.out", &out, "keygen", "--operator", "wang", "--role",
                            "supervisor", "--ca", cpath(&C, "hub/console-ca"), "--out",
                            cpath(&C, "kg3"), NULL), 0);
    printed_fp(out, _("fingerprint: %s\n"), fpo, sizeof fpo);
    free(out);
    file_fp(cpath(&C, "kg3/wang.cert"), want);
    assert_string_equal(fpo, want);
    assert_true(fp_form(fpo));
}

/* With the calendar and the registry installed (the Debian packages'
 * /usr/share/lianxi), the configs name them and nothing is copied. */
static void
installed_data_is_named_not_copied(void **state)
{
    char sys[PATH_MAX], p[PATH_MAX], old[PATH_MAX], *out, *conf, *tsv;
    (void)state;

    snprintf(old, sizeof old, "%s", getenv("LIANXI_SYSTEM_DATA"));
    snprintf(sys, sizeof sys, "%s", cpath(&C, "usr-share-lianxi"));
    snprintf(p, sizeof p, "%s/calendar", sys);
    assert_int_equal(files_mkdir_p(p, 0755), 0);
    snprintf(p, sizeof p, "%s/deploy/categories.tsv", getenv("LIANXI_SRC") ?
             getenv("LIANXI_SRC") : ".");
    assert_non_null(tsv = files_read(p, NULL));
    snprintf(p, sizeof p, "%s/categories.tsv", sys);
    assert_int_equal(files_write_atomic(p, tsv, strlen(tsv), 0644), 0);
    free(tsv);
    snprintf(p, sizeof p, "%s/deploy/calendar/cn-holidays.tsv", getenv("LIANXI_SRC") ?
             getenv("LIANXI_SRC") : ".");
    assert_non_null(tsv = files_read(p, NULL));
    snprintf(p, sizeof p, "%s/calendar/cn-holidays.tsv", sys);
    assert_int_equal(files_write_atomic(p, tsv, strlen(tsv), 0644), 0);
    free(tsv);
    setenv("LIANXI_SYSTEM_DATA", sys, 1);

    assert_int_equal(lianxi("sys.out", &out, "init", "--hub-only", cpath(&C, "hub2"), NULL), 0);
    free(out);
    assert_false(in_dir(cpath(&C, "hub2"), "categories.tsv"));
    assert_false(in_dir(cpath(&C, "hub2"), "cn-holidays.tsv"));
    assert_non_null(conf = files_read(cpath(&C, "hub2/hub.conf"), NULL));
    snprintf(p, sizeof p, "%s/categories.tsv", sys);
    assert_string_equal(conf_value(conf, "categories"), p);
    snprintf(p, sizeof p, "%s/calendar/cn-holidays.tsv", sys);
    assert_string_equal(conf_value(conf, "calendar"), p);
    /* The default: every interface, ports 7701 and 7702. */
    assert_string_equal(conf_value(conf, "units"), "tcp://0.0.0.0:7701");
    assert_string_equal(conf_value(conf, "control"), "tcp://0.0.0.0:7702");
    free(conf);
    assert_int_equal(lianxi("sys.out", &out, "unit-setup", "--unit", "court", "--hub",
                            "tcp://10.1.2.3:7701", "--hub-cert", cpath(&C, "hub2/hub.cert"),
                            cpath(&C, "court"), NULL), 0);
    free(out);
    assert_false(in_dir(cpath(&C, "court"), "categories.tsv"));
    assert_non_null(conf = files_read(cpath(&C, "court/adapter.conf"), NULL));
    snprintf(p, sizeof p, "%s/categories.tsv", sys);
    assert_string_equal(conf_value(conf, "categories"), p);
    free(conf);
    setenv("LIANXI_SYSTEM_DATA", old, 1);
}

/* deploy/hub.conf.example and adapter.conf.example name every key the configs made here set, and the
 * programs read (keys given commented out count). */
static void
examples_name_every_key(void **state)
{
    static const struct { const char *example, *made; } pairs[] = {
        { "deploy/hub.conf.example", "hub/hub.conf" },
        { "deploy/adapter.conf.example", "police/adapter.conf" },
    };
    (void)state;

    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char p[PATH_MAX], *ex, *made, *line, *save = NULL;
        snprintf(p, sizeof p, "%s/%s", getenv("LIANXI_SRC") ? getenv("LIANXI_SRC") : ".",
                 pairs[i].example);
        assert_non_null(ex = files_read(p, NULL));
        assert_non_null(made = files_read(cpath(&C, pairs[i].made), NULL));
        for (line = strtok_r(made, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char key[64], pat[80];
            const char *k = line[0] == '#' ? line + 1 : line;
            size_t n = strspn(k, "abcdefghijklmnopqrstuvwxyz_");
            if (n == 0 || n >= sizeof key || strncmp(k + n, " = ", 3) != 0)
                continue;
            snprintf(key, sizeof key, "%.*s", (int)n, k);
            snprintf(pat, sizeof pat, "\n%s = ", key);
            if (!strstr(ex, pat)) {
                snprintf(pat, sizeof pat, "\n#%s = ", key);
                if (!strstr(ex, pat))
                    fail_msg("%s does not name %s (in %s)", pairs[i].example, key,
                             pairs[i].made);
            }
        }
        free(made);
        free(ex);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hub_and_unit_set_up_for_real_file_a_drop),
        cmocka_unit_test(refusals_are_clear_and_make_nothing),
        cmocka_unit_test(fingerprint_has_its_form_and_tells_keys_apart),
        cmocka_unit_test(installed_data_is_named_not_copied),
        cmocka_unit_test(examples_name_every_key),
    };
    return cmocka_run_group_tests(tests, setup_dirs, teardown_dirs);
}
