/* it_archive.c — the yearly archives: `lianxi-hub archive` beside the
 * running hub writes a signed zip of a year, `lianxi archive-verify` checks
 * it without the hub and finds each kind of tampering, and the second
 * archive chains to the first.  The hub's clock is pinned (LIANXI_FAKE_NOW)
 * to a day in 2025, then to one in 2026; what each archive must hold is
 * counted from what the test filed, never from the hub's database. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "files.h"
#include "harness.h"
#include "keys.h"

#define IDNO "44162319851208185X"
#define HEADER "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情," \
               "知悉范围\n"
/* What the test files: per year, the police filings and the meetings. */
#define FILINGS_2025 3
#define MEETINGS_2025 1
#define FILINGS_2026 2

static struct county C;

static void
pin_clock(int y, int mo, int d)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", shanghai_time(y, mo, d, 10, 0));
    setenv("LIANXI_FAKE_NOW", buf, 1);
}

static int
run_to(const char *out, const char *const argv[])
{
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    close(fd);
    return run_prog(&C, out, argv, 90000);
}

/* Files n police cases learned on learned, numbered from first. */
static void
file_cases(int first, int n, const char *learned)
{
    char csv[PATH_MAX], out[PATH_MAX], conf[PATH_MAX];
    FILE *f;

    snprintf(csv, sizeof csv, "%s/police-%d.csv", C.dir, first);
    snprintf(out, sizeof out, "%s/police.out", C.dir);
    snprintf(conf, sizeof conf, "%s/units/police/adapter.conf", C.dir);
    assert_non_null(f = fopen(csv, "w"));
    fputs(HEADER, f);
    for (int i = first; i < first + n; i++)
        fprintf(f, "A441623202511%04d,杨志明," IDNO ",县农业农村局,股长,科员,醉酒驾驶机动车,%s,"
                "已办结,醉酒驾驶机动车被查获。,党政机关\n", i, learned);
    fclose(f);
    const char *argv[] = { "lianxi-adapter-police", "-c", conf, "--wait", "60", "submit", csv,
                           NULL };
    assert_int_equal(run_to(out, argv), 0);
}

/* `lianxi -c operators/WHO/operator.conf ARGS…` (up to 8, NULL-ended). */
static int
op(const char *who, const char *const args[])
{
    char conf[PATH_MAX], out[PATH_MAX];
    const char *argv[12] = { "lianxi", "-c", conf };
    int n = 3;

    snprintf(conf, sizeof conf, "%s/operators/%s/operator.conf", C.dir, who);
    snprintf(out, sizeof out, "%s/op-%s.out", C.dir, who);
    for (int i = 0; args[i] && n < 11; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return run_to(out, argv);
}

static int
archive(int year, const char *zip)
{
    char y[16], out[PATH_MAX];

    snprintf(y, sizeof y, "%d", year);
    snprintf(out, sizeof out, "%s/archive.out", C.dir);
    const char *argv[] = { "lianxi-hub", "-c", cpath(&C, "hub/hub.conf"), "archive", "--year", y,
                           "-o", zip, NULL };
    return run_to(out, argv);
}

/* archive-verify FILE --json [--hub-cert CERT] [--prev PREV]; the report in
 * *j (NULL when it printed no JSON). */
static int
verify(const char *zip, const char *cert, const char *prev, cJSON **j)
{
    char out[PATH_MAX];
    const char *argv[9] = { "lianxi", "archive-verify", zip, "--json" };
    int n = 4, rc;
    char *text;

    if (cert)
        argv[n++] = "--hub-cert", argv[n++] = cert;
    if (prev)
        argv[n++] = "--prev", argv[n++] = prev;
    argv[n] = NULL;
    snprintf(out, sizeof out, "%s/verify.out", C.dir);
    rc = run_to(out, argv);
    text = files_read(out, NULL);
    *j = text ? cJSON_Parse(text) : NULL;
    if (!*j && text)
        print_message("archive-verify said: %s\n", text);
    free(text);
    return rc;
}

/* 1 when the report has a finding about file with ok as given. */
static int
finding(const cJSON *j, const char *file, int ok)
{
    const cJSON *f;

    cJSON_ArrayForEach(f, cJSON_GetObjectItem(j, "findings")) {
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(f, "file")), file) == 0 &&
            cJSON_IsTrue(cJSON_GetObjectItem(f, "ok")) == ok)
            return 1;
    }
    return 0;
}

static int
bad_count(const cJSON *j)
{
    const cJSON *f;
    int n = 0;

    cJSON_ArrayForEach(f, cJSON_GetObjectItem(j, "findings"))
        n += !cJSON_IsTrue(cJSON_GetObjectItem(f, "ok"));
    return n;
}

/* One file of a zip, read whole (NUL-terminated). */
static char *
zip_get(const char *path, const char *name, size_t *len)
{
    zip_t *z = zip_open(path, ZIP_RDONLY, NULL);
    zip_stat_t st;
    zip_file_t *f;
    char *buf;

    assert_non_null(z);
    assert_int_equal(zip_stat(z, name, 0, &st), 0);
    assert_non_null(buf = malloc(st.size + 1));
    assert_non_null(f = zip_fopen(z, name, 0));
    assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    zip_discard(z);
    buf[st.size] = '\0';
    *len = st.size;
    return buf;
}

/* A copy of src as dst with one file's bytes replaced. */
static void
zip_put(const char *src, const char *dst, const char *name, const void *data, size_t len)
{
    char *all;
    size_t n;
    zip_t *z;
    zip_source_t *s;

    assert_non_null(all = files_read(src, &n));
    assert_int_equal(files_write_atomic(dst, all, n, 0600), 0);
    free(all);
    assert_non_null(z = zip_open(dst, 0, NULL));
    assert_non_null(s = zip_source_buffer(z, data, len, 0));
    assert_true(zip_file_add(z, name, s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) >= 0);
    assert_int_equal(zip_close(z), 0);
}

/* The manifest's count of table. */
static long
counted(const char *zip, const char *table)
{
    size_t len;
    char *text = zip_get(zip, "manifest.json", &len);
    cJSON *m = cJSON_Parse(text);
    long n;

    assert_non_null(m);
    n = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "counts"), table));
    cJSON_Delete(m);
    free(text);
    return n;
}

static int
setup_county(void **state)
{
    (void)state;
    pin_clock(2025, 6, 2);
    return county_init(&C) < 0 || hub_start(&C, 20000) < 0 ? -1 : 0;
}

static int
teardown_county(void **state)
{
    (void)state;
    unsetenv("LIANXI_FAKE_NOW");
    county_cleanup(&C);
    return 0;
}

static void
archives_verify_find_tampering_and_chain(void **state)
{
    char a25[PATH_MAX], a26[PATH_MAX], bad[PATH_MAX], *text, *line;
    const char *hubcert = cpath(&C, "hub/hub.cert");
    char hubcert_s[PATH_MAX], police_cert[PATH_MAX];
    struct identity hub;
    uint8_t sig[64];
    struct stat sb;
    cJSON *j;
    size_t len;
    static const char *const checkpoint[] = { "audit", "checkpoint", NULL };
    (void)state;

    snprintf(hubcert_s, sizeof hubcert_s, "%s", hubcert);
    snprintf(police_cert, sizeof police_cert, "%s/units/police/police.cert", C.dir);
    snprintf(a25, sizeof a25, "%s/a2025.zip", C.dir);
    snprintf(a26, sizeof a26, "%s/a2026.zip", C.dir);
    snprintf(bad, sizeof bad, "%s/bad.zip", C.dir);

    /* 2025: three filings and a meeting; a signed checkpoint. */
    file_cases(1, FILINGS_2025, "2025-05-26");
    {
        const char *meeting[] = { "meeting", "create", "--date", "2025-06-20", "--kind", "adhoc",
                                  "--period", "2025-01-01..2025-05-31", NULL };
        assert_int_equal(op("convener", meeting), 0);
    }
    assert_int_equal(op("auditor", checkpoint), 0);
    /* 2026: the hub again, two more filings. */
    assert_int_equal(hub_stop(&C), 0);
    pin_clock(2026, 3, 2);
    assert_int_equal(hub_start(&C, 20000), 0);
    file_cases(100, FILINGS_2026, "2026-02-24");
    assert_int_equal(op("auditor", checkpoint), 0);

    /* Archives while the hub runs; each holds what was filed in its year. */
    assert_int_equal(archive(2025, a25), 0);
    assert_int_equal(stat(a25, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(counted(a25, "filings"), FILINGS_2025);
    assert_int_equal(counted(a25, "meetings"), MEETINGS_2025);
    assert_true(counted(a25, "audit_log") > 0);
    assert_true(counted(a25, "audit_checkpoints") > 0);
    assert_int_equal(archive(2026, a26), 0);
    assert_int_equal(counted(a26, "filings"), FILINGS_2026);
    assert_int_equal(counted(a26, "meetings"), 0);
    /* Every receipt field travels: the first filing's receipt number. */
    text = zip_get(a25, "filings.jsonl", &len);
    assert_non_null(strstr(text, "\"receipt_no\":\"2025-000001\""));
    assert_non_null(strstr(text, "\"signature\":\""));
    assert_non_null(strstr(text, "\"late_days\":"));
    free(text);
    /* An archive is never replaced. */
    assert_int_not_equal(archive(2025, a25), 0);

    /* Both verify, against the hub's cert; the second chains to the first. */
    assert_int_equal(verify(a25, hubcert_s, NULL, &j), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "key_pinned")));
    assert_int_equal(bad_count(j), 0);
    assert_true(finding(j, "audit_log.jsonl", 1));
    cJSON_Delete(j);
    assert_int_equal(verify(a26, hubcert_s, a25, &j), 0);
    assert_true(finding(j, "manifest.json", 1));
    cJSON_Delete(j);
    /* Without a cert: verified, the key not pinned. */
    assert_int_equal(verify(a26, NULL, NULL, &j), 0);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(j, "key_pinned")));
    cJSON_Delete(j);
    /* The wrong previous archive (itself), and the first archive naming
     * a prev it does not have. */
    assert_int_equal(verify(a26, hubcert_s, a26, &j), 65);
    assert_true(finding(j, "manifest.json", 0));
    cJSON_Delete(j);
    assert_int_equal(verify(a25, hubcert_s, a26, &j), 65);
    cJSON_Delete(j);

    /* Another cert (the police unit's): not this hub's signature. */
    assert_int_equal(verify(a25, police_cert, NULL, &j), 65);
    assert_true(finding(j, "manifest.sig", 0));
    cJSON_Delete(j);

    /* One byte of a data file flipped: that file is named. */
    text = zip_get(a25, "filings.jsonl", &len);
    text[len / 2] ^= 0x01;
    zip_put(a25, bad, "filings.jsonl", text, len);
    free(text);
    assert_int_equal(verify(bad, hubcert_s, NULL, &j), 65);
    assert_true(finding(j, "filings.jsonl", 0));
    assert_false(finding(j, "manifest.sig", 0));
    assert_int_equal(bad_count(j), 1);
    cJSON_Delete(j);

    /* The manifest changed (a count): the signature fails. */
    text = zip_get(a25, "manifest.json", &len);
    assert_non_null(line = strstr(text, "\"filings\":\t3"));
    line[strlen("\"filings\":\t")] = '9';
    zip_put(a25, bad, "manifest.json", text, len);
    free(text);
    assert_int_equal(verify(bad, hubcert_s, NULL, &j), 65);
    assert_true(finding(j, "manifest.sig", 0));
    cJSON_Delete(j);

    /* A file added that the manifest does not list. */
    zip_put(a25, bad, "extra.txt", "x", 1);
    assert_int_equal(verify(bad, hubcert_s, NULL, &j), 65);
    assert_true(finding(j, "extra.txt", 0));
    cJSON_Delete(j);

    /* An audit entry altered, its file's hash put in the manifest: the
     * signature fails; signed again with the hub's own key, the chain
     * inside still names the entry. */
    {
        char *audit = zip_get(a25, "audit_log.jsonl", &len), *manifest, *p, hash[65];
        size_t mlen, alen = len;
        uint8_t h[32];
        char oldhash[65];

        assert_non_null(p = strstr(audit, "\"actor\":\""));
        p[strlen("\"actor\":\"")] ^= 0x02;      /* the first entry's actor */
        manifest = zip_get(a25, "manifest.json", &mlen);
        {
            char *orig = zip_get(a25, "audit_log.jsonl", &len);
            crypto_generichash(h, 32, (const uint8_t *)orig, len, NULL, 0);
            sodium_bin2hex(oldhash, sizeof oldhash, h, 32);
            free(orig);
        }
        crypto_generichash(h, 32, (const uint8_t *)audit, alen, NULL, 0);
        sodium_bin2hex(hash, sizeof hash, h, 32);
        assert_non_null(p = strstr(manifest, oldhash));
        memcpy(p, hash, 64);
        zip_put(a25, bad, "audit_log.jsonl", audit, alen);
        zip_put(bad, bad, "manifest.json", manifest, mlen);
        assert_int_equal(verify(bad, hubcert_s, NULL, &j), 65);
        assert_true(finding(j, "manifest.sig", 0));
        assert_true(finding(j, "audit_log.jsonl", 0));
        cJSON_Delete(j);
        /* Re-signed by someone holding the hub's key: the chain still tells. */
        assert_int_equal(keys_load_identity(cpath(&C, "hub/hub.cert_secret"),
                                            cpath(&C, "hub/hub.sign_secret"), &hub), 0);
        crypto_sign_detached(sig, NULL, (const uint8_t *)manifest, mlen, hub.sign_sk);
        zip_put(bad, bad, "manifest.sig", sig, sizeof sig);
        assert_int_equal(verify(bad, hubcert_s, NULL, &j), 65);
        assert_false(finding(j, "manifest.sig", 0));
        assert_true(finding(j, "audit_log.jsonl", 0));
        cJSON_Delete(j);
        free(audit);
        free(manifest);
    }

    /* Not there: unreadable. */
    snprintf(bad, sizeof bad, "%s/none.zip", C.dir);
    assert_int_equal(verify(bad, NULL, NULL, &j), 66);
    cJSON_Delete(j);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(archives_verify_find_tampering_and_chain, setup_county,
                                        teardown_county),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
