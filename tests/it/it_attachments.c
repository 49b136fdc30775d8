/* it_attachments.c — attachments for the people who read them and in the
 * hub's backups and archives, on the real binaries: a unit written from
 * the protocol alone (harness: raw_file_with_attachments) files reports
 * with documents; `lianxi attachment` fetches each whole and checked,
 * within the operator's scope, on the audit trail; `show --json` lists
 * them; a backup holds them and a restore puts a lost one back, checked;
 * a year's archive holds them and archive-verify finds one changed byte;
 * and a document the police adapter filed from its export's 附件 column is
 * fetched as it was.
 * Every expected byte, size and hash is made here, never read from the
 * hub's database. */
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
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "clock.h"
#include "days.h"
#include "files.h"
#include "harness.h"
#include "text.h"

/* Three pieces of 1 MiB and a bit: the fetch goes on past the first. */
#define PDF_SIZE (3 * 1024 * 1024 + 4321)
#define PNG_SIZE 5000
#define COURT_SIZE 70000
#define NAME_PDF "询问笔录（第1份）.pdf"
#define NAME_PNG "现场照片.png"
#define NAME_COURT "判决书.pdf"

static struct county C;
static char rp[24], rc_[24];        /* the police and the court filing's receipts */
static char pdf_path[PATH_MAX], png_path[PATH_MAX], court_path[PATH_MAX];
static char pdf_hex[65], png_hex[65], court_hex[65];

/* Writes size bytes beginning with head (then random) to path; its hash in
 * hex. */
static void
make_doc(const char *path, const void *head, size_t hlen, size_t size, char hex[65])
{
    uint8_t *b = malloc(size), h[32];

    assert_non_null(b);
    randombytes_buf(b, size);
    memcpy(b, head, hlen);
    crypto_generichash(h, sizeof h, b, size, NULL, 0);
    text_hex(hex, h, sizeof h);
    assert_int_equal(files_write_atomic(path, b, size, 0644), 0);
    free(b);
}

static int
setup_county(void **state)
{
    static const uint8_t png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    (void)state;

    if (sodium_init() < 0 || county_init(&C) < 0 || hub_start(&C, 20000) < 0)
        return -1;
    snprintf(pdf_path, sizeof pdf_path, "%s/doc1.pdf", C.dir);
    snprintf(png_path, sizeof png_path, "%s/doc2.png", C.dir);
    snprintf(court_path, sizeof court_path, "%s/doc3.pdf", C.dir);
    make_doc(pdf_path, "%PDF-1.7\n", 9, PDF_SIZE, pdf_hex);
    make_doc(png_path, png, sizeof png, PNG_SIZE, png_hex);
    make_doc(court_path, "%PDF-1.4\n", 9, COURT_SIZE, court_hex);
    {
        const char *paths[] = { pdf_path, png_path }, *names[] = { NAME_PDF, NAME_PNG };
        if (raw_file_with_attachments(&C, "police", "police.drink_driving", "ATT-1", paths,
                                      names, 2, rp, 30000) < 0)
            return -1;
    }
    {
        const char *paths[] = { court_path }, *names[] = { NAME_COURT };
        if (raw_file_with_attachments(&C, "court", "court.civil_case", "ATT-2", paths, names, 1,
                                      rc_, 30000) < 0)
            return -1;
    }
    return 0;
}

static int
teardown_county(void **state)
{
    (void)state;
    county_cleanup(&C);
    return 0;
}

static int
run_to(const char *out, const char *const argv[])
{
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    close(fd);
    return run_prog(&C, out, argv, 120000);
}

/* `lianxi -c operators/WHO/operator.conf ARGS…` (NULL-ended, up to 8);
 * its output (stdout and stderr) in *text when not NULL. */
static int
op(char **text, const char *who, const char *const args[])
{
    char conf[PATH_MAX], out[PATH_MAX];
    const char *argv[14] = { "lianxi", "-c", conf };
    int n = 3, rc;

    snprintf(conf, sizeof conf, "%s/operators/%s/operator.conf", C.dir, who);
    snprintf(out, sizeof out, "%s/op-%s.out", C.dir, who);
    for (int i = 0; args[i] && n < 13; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    rc = run_to(out, argv);
    if (text)
        *text = files_read(out, NULL);
    return rc;
}

/* The BLAKE2b-256 of a file, in hex ("" when it cannot be read). */
static void
hex_of(const char *path, char hex[65])
{
    size_t len;
    char *b = files_read(path, &len);
    uint8_t h[32];

    hex[0] = '\0';
    if (!b)
        return;
    crypto_generichash(h, sizeof h, (const uint8_t *)b, len, NULL, 0);
    text_hex(hex, h, sizeof h);
    free(b);
}

static void
an_operator_fetches_each_attachment_whole_checked_and_private(void **state)
{
    char out1[PATH_MAX], out2[PATH_MAX], part[PATH_MAX + 8], hex[65], *text;
    struct stat sb;
    (void)state;

    snprintf(out1, sizeof out1, "%s/fetched.pdf", C.dir);
    snprintf(out2, sizeof out2, "%s/fetched.png", C.dir);
    const char *a1[] = { "attachment", rp, "1", "-o", out1, NULL };
    assert_int_equal(op(&text, "supervisor", a1), 0);
    assert_non_null(strstr(text, pdf_hex));
    free(text);
    hex_of(out1, hex);
    assert_string_equal(hex, pdf_hex);
    assert_int_equal(stat(out1, &sb), 0);
    assert_int_equal(sb.st_size, PDF_SIZE);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(part, sizeof part, "%s.part", out1);
    assert_int_not_equal(access(part, F_OK), 0);
    const char *a2[] = { "attachment", rp, "2", "-o", out2, NULL };
    assert_int_equal(op(NULL, "convener", a2), 0);
    hex_of(out2, hex);
    assert_string_equal(hex, png_hex);
}

/* -o - : the bytes on standard output, the report on standard error. */
static void
dash_writes_the_bytes_to_standard_output(void **state)
{
    char conf[PATH_MAX], out[PATH_MAX], err[PATH_MAX], prog[PATH_MAX], hex[65];
    pid_t pid;
    int status = -1;
    (void)state;

    snprintf(conf, sizeof conf, "%s/operators/supervisor/operator.conf", C.dir);
    snprintf(out, sizeof out, "%s/stdout.bin", C.dir);
    snprintf(err, sizeof err, "%s/stderr.txt", C.dir);
    snprintf(prog, sizeof prog, "%s/lianxi", C.bin);
    if ((pid = fork()) == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(o, 1);
        dup2(e, 2);
        execl(prog, "lianxi", "-c", conf, "attachment", rp, "1", "-o", "-", (char *)NULL);
        _exit(127);
    }
    assert_true(pid > 0);
    assert_int_equal(wait_exit(pid, 120000), 0);
    (void)status;
    hex_of(out, hex);
    assert_string_equal(hex, pdf_hex);
}

/* A member fetches its own unit's; another unit's filing is "no filing",
 * as show answers it, and nothing is written; the auditor may not; a place
 * the filing does not have is not found; a receipt number of another shape
 * is refused as usage. */
static void
what_an_operator_may_not_fetch_is_refused_and_nothing_is_written(void **state)
{
    char out[PATH_MAX], part[PATH_MAX + 8], *text;
    (void)state;

    snprintf(out, sizeof out, "%s/member.pdf", C.dir);
    snprintf(part, sizeof part, "%s.part", out);
    const char *own[] = { "attachment", rp, "1", "-o", out, NULL };
    assert_int_equal(op(NULL, "police-liaison", own), 0);
    unlink(out);
    const char *other[] = { "attachment", rc_, "1", "-o", out, NULL };
    assert_int_equal(op(&text, "police-liaison", other), 77);
    assert_non_null(strstr(text, rc_));
    free(text);
    assert_int_not_equal(access(out, F_OK), 0);
    assert_int_not_equal(access(part, F_OK), 0);
    assert_int_equal(op(NULL, "auditor", other), 77);
    const char *third[] = { "attachment", rp, "3", "-o", out, NULL };
    assert_int_equal(op(&text, "supervisor", third), 77);
    free(text);
    assert_int_not_equal(access(out, F_OK), 0);
    const char *shape[] = { "attachment", "police:ATT-1", "1", "-o", out, NULL };
    assert_int_equal(op(NULL, "supervisor", shape), 64);
    const char *no_o[] = { "attachment", rp, "1", NULL };
    assert_int_equal(op(NULL, "supervisor", no_o), 64);
}

static void
show_json_lists_the_attachments_with_their_hashes(void **state)
{
    char *text;
    cJSON *j, *f, *a;
    (void)state;

    const char *args[] = { "show", rp, "--json", NULL };
    assert_int_equal(op(&text, "supervisor", args), 0);
    assert_non_null(j = cJSON_Parse(text));
    free(text);
    f = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "filings"), 0);
    a = cJSON_GetObjectItem(f, "attachments");
    assert_int_equal(cJSON_GetArraySize(a), 2);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0),
                                                                 "name")), NAME_PDF);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0),
                                                                 "blake2b")), pdf_hex);
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0), "size")),
                     PDF_SIZE);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 1),
                                                                 "blake2b")), png_hex);
    cJSON_Delete(j);
    /* The text names them too. */
    const char *plain[] = { "show", rp, NULL };
    assert_int_equal(op(&text, "supervisor", plain), 0);
    assert_non_null(strstr(text, NAME_PDF));
    assert_non_null(strstr(text, png_hex));
    free(text);
}

/* The trail's read:attachment entries naming hex, by the auditor. */
static int
fetches_recorded(const char *hex)
{
    char *text;
    cJSON *j, *e;
    int n = 0;

    const char *args[] = { "audit", "log", "--action", "read:attachment", "--json", NULL };
    assert_int_equal(op(&text, "auditor", args), 0);
    assert_non_null(j = cJSON_Parse(text));
    free(text);
    cJSON_ArrayForEach(e, j) {
        const char *d = cJSON_GetStringValue(cJSON_GetObjectItem(e, "detail"));
        n += d && strstr(d, hex) != NULL;
    }
    cJSON_Delete(j);
    return n;
}

static void
each_fetch_is_one_entry_of_the_audit_trail(void **state)
{
    char out[PATH_MAX];
    int before;
    (void)state;

    before = fetches_recorded(pdf_hex);
    snprintf(out, sizeof out, "%s/audited.pdf", C.dir);
    const char *a[] = { "attachment", rp, "1", "-o", out, NULL };
    assert_int_equal(op(NULL, "supervisor", a), 0);
    /* Four pieces, one fetch. */
    assert_int_equal(fetches_recorded(pdf_hex), before + 1);
}

/* One entry of a zip, read whole. */
static char *
zip_get(const char *path, const char *name, size_t *len)
{
    zip_t *z = zip_open(path, ZIP_RDONLY, NULL);
    zip_stat_t st;
    zip_file_t *f;
    char *buf;

    assert_non_null(z);
    if (zip_stat(z, name, 0, &st) < 0) {
        zip_discard(z);
        return NULL;
    }
    assert_non_null(buf = malloc(st.size + 1));
    assert_non_null(f = zip_fopen(z, name, 0));
    assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    zip_discard(z);
    buf[st.size] = '\0';
    *len = st.size;
    return buf;
}

/* A copy of src as dst with one entry's bytes replaced by data. */
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

/* A copy of zip as dst with one byte of the entry of hex changed. */
static void
change_one_byte(const char *zip, const char *dst, const char *hex)
{
    char name[96], *b;
    size_t len;

    snprintf(name, sizeof name, "attachments/%.2s/%s", hex, hex);
    assert_non_null(b = zip_get(zip, name, &len));
    b[len / 2] ^= 0x01;
    zip_put(zip, dst, name, b, len);
    free(b);
}

static int
hubcmd(const char *out, const char *const args[])
{
    const char *argv[12] = { "lianxi-hub", "-c", cpath(&C, "hub/hub.conf") };
    int n = 3;

    for (int i = 0; args[i] && n < 11; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return run_to(out, argv);
}

static void
a_backup_holds_them_and_a_restore_puts_a_lost_one_back_checked(void **state)
{
    char zipf[PATH_MAX], bad[PATH_MAX], out[PATH_MAX], name[96], file[PATH_MAX], hex[65];
    char want[64], *m, *b;
    size_t len;
    (void)state;

    snprintf(zipf, sizeof zipf, "%s/with-attachments.zip", C.dir);
    snprintf(bad, sizeof bad, "%s/changed.zip", C.dir);
    snprintf(out, sizeof out, "%s/backup.out", C.dir);
    const char *backup[] = { "backup", "-o", zipf, NULL };
    assert_int_equal(hubcmd(out, backup), 0);
    /* Every document, under its hash, and counted in the signed manifest. */
    const char *hexes[] = { pdf_hex, png_hex, court_hex };
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "attachments/%.2s/%s", hexes[i], hexes[i]);
        assert_non_null(b = zip_get(zipf, name, &len));
        free(b);
    }
    assert_non_null(m = zip_get(zipf, "MANIFEST", &len));
    assert_non_null(strstr(m, "\nattachments=3\n"));
    snprintf(want, sizeof want, "\nattachments_bytes=%d\n", PDF_SIZE + PNG_SIZE + COURT_SIZE);
    assert_non_null(strstr(m, want));
    free(m);

    /* The hub stopped, the PDF lost from its store. */
    assert_int_equal(hub_stop(&C), 0);
    snprintf(file, sizeof file, "%s/hub/attachments/%.2s/%s", C.dir, pdf_hex, pdf_hex);
    assert_int_equal(unlink(file), 0);
    /* A backup whose document was changed is refused, the database kept. */
    change_one_byte(zipf, bad, pdf_hex);
    const char *refused[] = { "restore", bad, NULL };
    assert_int_equal(hubcmd(out, refused), 65);
    assert_int_not_equal(access(file, F_OK), 0);
    /* The backup as written puts it back, as it was. */
    const char *restore[] = { "restore", zipf, NULL };
    assert_int_equal(hubcmd(out, restore), 0);
    hex_of(file, hex);
    assert_string_equal(hex, pdf_hex);
    /* And the hub hands it out again. */
    assert_int_equal(hub_start(&C, 20000), 0);
    snprintf(file, sizeof file, "%s/restored.pdf", C.dir);
    const char *a[] = { "attachment", rp, "1", "-o", file, NULL };
    assert_int_equal(op(NULL, "supervisor", a), 0);
    hex_of(file, hex);
    assert_string_equal(hex, pdf_hex);
}

/* archive-verify --json's report on zip; its exit code. */
static int
verify(const char *zip, cJSON **j)
{
    char out[PATH_MAX], *text;
    const char *argv[] = { "lianxi", "archive-verify", zip, "--json", "--hub-cert",
                           cpath(&C, "hub/hub.cert"), NULL };
    int rc;

    snprintf(out, sizeof out, "%s/verify.out", C.dir);
    rc = run_to(out, argv);
    text = files_read(out, NULL);
    *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    return rc;
}

/* Whether the report has a finding about file that is (not) ok. */
static int
finding(const cJSON *j, const char *file, int ok)
{
    const cJSON *f;

    cJSON_ArrayForEach(f, cJSON_GetObjectItem(j, "findings"))
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(f, "file")), file) == 0 &&
            cJSON_IsTrue(cJSON_GetObjectItem(f, "ok")) == ok)
            return 1;
    return 0;
}

static void
an_archive_holds_them_and_verify_finds_one_changed_byte(void **state)
{
    char zipf[PATH_MAX], bad[PATH_MAX], out[PATH_MAX], year[8], name[96], *b;
    size_t len;
    int y, mo, d, lines = 0;
    cJSON *j;
    (void)state;

    days_to_civil(days_shanghai(clock_now()), &y, &mo, &d);
    snprintf(year, sizeof year, "%d", y);
    snprintf(zipf, sizeof zipf, "%s/archive-%d.zip", C.dir, y);
    snprintf(bad, sizeof bad, "%s/archive-changed.zip", C.dir);
    snprintf(out, sizeof out, "%s/archive.out", C.dir);
    const char *args[] = { "archive", "--year", year, "-o", zipf, NULL };
    assert_int_equal(hubcmd(out, args), 0);
    const char *hexes[] = { pdf_hex, png_hex, court_hex };
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "attachments/%.2s/%s", hexes[i], hexes[i]);
        assert_non_null(b = zip_get(zipf, name, &len));
        free(b);
    }
    /* Each place a filing carries one, named by its hash. */
    assert_non_null(b = zip_get(zipf, "filing_attachments.jsonl", &len));
    for (char *p = b; (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, 3);
    assert_non_null(strstr(b, NAME_PDF));
    assert_non_null(strstr(b, court_hex));
    free(b);
    assert_int_equal(verify(zipf, &j), 0);
    assert_non_null(j);
    assert_true(finding(j, "attachments/", 1));
    cJSON_Delete(j);
    /* One byte of the PDF changed: found, and named. */
    change_one_byte(zipf, bad, pdf_hex);
    snprintf(name, sizeof name, "attachments/%.2s/%s", pdf_hex, pdf_hex);
    assert_int_equal(verify(bad, &j), 65);
    assert_non_null(j);
    assert_true(finding(j, name, 0));
    cJSON_Delete(j);
}

/* The same through the police adapter: an export whose 附件 column names a
 * document in its folder (adapters/police/FORMAT.md); the operator finds
 * the filing in the listing and fetches the document as it was. */
static void
a_document_an_adapter_filed_is_fetched_as_it_was(void **state)
{
    char dir[PATH_MAX], csv[PATH_MAX], doc[PATH_MAX], conf[PATH_MAX], out[PATH_MAX], hex[65];
    char want[65], receipt[24] = "", *text;
    cJSON *j, *f;
    FILE *fp;
    (void)state;

    snprintf(dir, sizeof dir, "%s/exports", C.dir);
    mkdir(dir, 0755);
    snprintf(doc, sizeof doc, "%s/处罚决定书.pdf", dir);
    make_doc(doc, "%PDF-1.5\n", 9, 200000, want);
    snprintf(csv, sizeof csv, "%s/police-att.csv", dir);
    assert_non_null(fp = fopen(csv, "w"));
    fputs("案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,"
          "知悉范围,附件\n"
          "A4416232026112901,杨志明,44162319851208185X,县农业农村局,股长,科员,醉酒驾驶机动车,"
          "2026-10-12,已办结,醉酒驾驶机动车被查获。,党政机关,处罚决定书.pdf\n", fp);
    fclose(fp);
    snprintf(conf, sizeof conf, "%s/units/police/adapter.conf", C.dir);
    snprintf(out, sizeof out, "%s/police-att.out", C.dir);
    const char *argv[] = { "lianxi-adapter-police", "-c", conf, "--wait", "60", "submit", csv,
                           NULL };
    assert_int_equal(run_to(out, argv), 0);

    const char *list[] = { "filings", "--unit", "police", "--json", NULL };
    assert_int_equal(op(&text, "supervisor", list), 0);
    assert_non_null(j = cJSON_Parse(text));
    free(text);
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(j, "filings")) {
        const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(f, "attachments"), 0);
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(f, "case_ref")),
                   "A4416232026112901") == 0 && a) {
            assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(a, "name")),
                                "处罚决定书.pdf");
            assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(a, "blake2b")), want);
            snprintf(receipt, sizeof receipt, "%s",
                     cJSON_GetStringValue(cJSON_GetObjectItem(f, "receipt_no")));
        }
    }
    cJSON_Delete(j);
    assert_true(receipt[0]);
    snprintf(out, sizeof out, "%s/from-adapter.pdf", C.dir);
    const char *a[] = { "attachment", receipt, "1", "-o", out, NULL };
    assert_int_equal(op(NULL, "police-liaison", a), 0);
    hex_of(out, hex);
    assert_string_equal(hex, want);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_operator_fetches_each_attachment_whole_checked_and_private),
        cmocka_unit_test(dash_writes_the_bytes_to_standard_output),
        cmocka_unit_test(what_an_operator_may_not_fetch_is_refused_and_nothing_is_written),
        cmocka_unit_test(show_json_lists_the_attachments_with_their_hashes),
        cmocka_unit_test(each_fetch_is_one_entry_of_the_audit_trail),
        cmocka_unit_test(an_archive_holds_them_and_verify_finds_one_changed_byte),
        cmocka_unit_test(a_backup_holds_them_and_a_restore_puts_a_lost_one_back_checked),
        cmocka_unit_test(a_document_an_adapter_filed_is_fetched_as_it_was),
    };
    return cmocka_run_group_tests(tests, setup_county, teardown_county);
}
