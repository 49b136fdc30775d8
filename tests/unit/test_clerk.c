/* test_clerk.c — what the unit's clerk reads (adapters/core/clerk.h): the
 * hub's refusals in the clerk's language, files for Windows readers, names
 * of copies, and the printable receipt of an export. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clerk.h"
#include "winfile.h"
#include "files.h"
#include "i18n.h"
#include "outbox.h"
#include "text.h"

/* 2026-11-22 12:00:00 Asia/Shanghai. */
#define T0 ((int64_t)1795320000)

static char dir[64];

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/lx-test-clerk-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];

    (void)state;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
    return 0;
}

/* The hub names its reason by key with values: the clerk reads it in the
 * adapter's language; a key this adapter does not know, none, or the
 * wrong count of values: the hub's own sentence, made one safe line. */
static void
rejection_is_told_in_the_clerks_language(void **state)
{
    Lianxi__Rejection x = LIANXI__REJECTION__INIT;
    char *args[] = { "姓名", "extra" };
    char out[512];

    (void)state;
    x.detail = "the name is missing\x1b[2J";
    x.reason = "field.missing";
    x.args = args;
    x.n_args = 1;
    assert_int_equal(i18n_init("zh"), 0);
    clerk_rejection(&x, out, sizeof out);
    assert_string_equal(out, "姓名未填写：请填写后重新报送");
    assert_int_equal(i18n_init("en"), 0);
    clerk_rejection(&x, out, sizeof out);
    assert_string_equal(out, "the 姓名 is missing: fill it in and file again");

    assert_int_equal(i18n_init("zh"), 0);
    x.reason = "reason.from.a.newer.hub";
    clerk_rejection(&x, out, sizeof out);
    assert_string_equal(out, "the name is missing\\x1b[2J");
    x.reason = "";
    clerk_rejection(&x, out, sizeof out);
    assert_string_equal(out, "the name is missing\\x1b[2J");
    x.reason = NULL;
    clerk_rejection(&x, out, sizeof out);
    assert_string_equal(out, "the name is missing\\x1b[2J");
    x.reason = "field.missing";
    x.n_args = 2;
    clerk_rejection(&x, out, sizeof out);
    assert_string_equal(out, "the name is missing\\x1b[2J");
    x.detail = NULL;
    clerk_rejection(&x, out, sizeof out);
    assert_string_equal(out, "");

    /* As the outbox keeps it: values each ended by the separator. */
    clerk_reason("field.missing", "案件编号\x1f", "detail", out, sizeof out);
    assert_string_equal(out, "案件编号未填写：请填写后重新报送");
    clerk_reason(NULL, NULL, "detail", out, sizeof out);
    assert_string_equal(out, "detail");
}

static void
windows_text_has_a_bom_and_crlf(void **state)
{
    const char *in = "第一行\n第二行\r\n\n";
    size_t n;
    char *w;

    (void)state;
    w = winfile_text(in, strlen(in), &n);
    assert_non_null(w);
    assert_int_equal(n, 3 + strlen(in) + 2);
    assert_memory_equal(w, "\xEF\xBB\xBF第一行\r\n第二行\r\n\r\n", n);
    free(w);
}

static void
a_taken_name_gets_the_next_number(void **state)
{
    char out[256], p[256];

    (void)state;
    assert_int_equal(winfile_unique_name(dir, "police-2026-11.csv", out, sizeof out), 0);
    assert_string_equal(out, "police-2026-11.csv");
    snprintf(p, sizeof p, "%s/police-2026-11.csv", dir);
    assert_int_equal(files_write_atomic(p, "x", 1, 0644), 0);
    assert_int_equal(winfile_unique_name(dir, "police-2026-11.csv", out, sizeof out), 0);
    assert_string_equal(out, "police-2026-11 (2).csv");
    snprintf(p, sizeof p, "%s/police-2026-11 (2).csv", dir);
    assert_int_equal(files_write_atomic(p, "x", 1, 0644), 0);
    assert_int_equal(winfile_unique_name(dir, "police-2026-11.csv", out, sizeof out), 0);
    assert_string_equal(out, "police-2026-11 (3).csv");
    snprintf(p, sizeof p, "%s/README", dir);
    assert_int_equal(files_write_atomic(p, "x", 1, 0644), 0);
    assert_int_equal(winfile_unique_name(dir, "README", out, sizeof out), 0);
    assert_string_equal(out, "README (2)");
}

/* Stores revision 1 of id and settles it: a receipt (no non-NULL), else
 * a rejection. */
static void
filed(outbox_t *ob, const char *id, const char *no, int on_time, uint32_t late)
{
    uint8_t key[32] = { 0 };
    struct ob_entry e = { 0 };

    e.filing_id = id;
    e.revision = 1;
    e.case_ref = "A1";
    e.stage = 1;
    e.content_key = key;
    e.payload = (const uint8_t *)"x";
    e.len = 1;
    e.queued_at = T0;
    assert_int_equal(outbox_insert(ob, &e), 0);
    if (no) {
        Lianxi__Receipt r = LIANXI__RECEIPT__INIT;
        r.filing_id = (char *)id;
        r.revision = 1;
        r.receipt_no = (char *)no;
        r.received_at = T0 + 5;
        r.due_on = "2026-11-27";
        r.on_time = on_time;
        r.late_days = late;
        assert_int_equal(outbox_ack(ob, &r, T0 + 6), 0);
    } else {
        Lianxi__Rejection x = LIANXI__REJECTION__INIT;
        char *args[] = { "工作单位" };
        x.filing_id = (char *)id;
        x.revision = 1;
        x.code = LIANXI__REJECT_CODE__REJECT_MALFORMED;
        x.detail = "the work unit is missing";
        x.reason = "field.missing";
        x.args = args;
        x.n_args = 1;
        assert_int_equal(outbox_reject(ob, &x, T0 + 6), 0);
    }
}

/* The receipt of an export: every filing with its receipt number, due date
 * and timeliness, every refused row with why and what to do; what the
 * export held escaped in the HTML; the text with a BOM and CRLF. */
static void
receipt_lists_filings_and_refused_rows(void **state)
{
    char path[256], html[512], *h, *t;
    struct filer_row rows[4] = {
        { .line = 2, .case_ref = "A1", .name = "杨志明", .filing_id = "police:A1:notice:1",
          .revision = 1, .outcome = FILER_QUEUED },
        { .line = 3, .case_ref = "A2", .name = "周<b>晓峰</b>&", .filing_id = "police:A2:notice:2",
          .revision = 1, .outcome = FILER_QUEUED },
        { .line = 4, .refused = 1, .case_ref = "A3", .name = "黄海燕", .field = "id_number",
          .why = "check character is X, expected 5" },
        { .line = 5, .case_ref = "A4", .name = "李四", .filing_id = "police:A4:notice:4",
          .revision = 1, .outcome = FILER_QUEUED },
    };
    outbox_t *ob;
    size_t len;

    (void)state;
    assert_int_equal(i18n_init("zh"), 0);
    snprintf(path, sizeof path, "%s/outbox.db", dir);
    assert_non_null(ob = outbox_open(path, NULL));
    filed(ob, "police:A1:notice:1", "2026-000101", 1, 0);
    filed(ob, "police:A2:notice:2", "2026-000102", 0, 2);
    filed(ob, "police:A4:notice:4", NULL, 0, 0);
    assert_int_equal(clerk_receipt_write(ob, "police", dir, "police-2026-11.csv",
                                         "police-2026-11.csv", rows, 4, T0, html,
                                         sizeof html), 0);
    snprintf(path, sizeof path, "%s/police-2026-11.csv 回执单.html", dir);
    assert_string_equal(html, path);
    assert_non_null(h = files_read(path, NULL));
    assert_non_null(strstr(h, "@page { size: A4"));
    assert_non_null(strstr(h, "干部监督信息报备回执单"));
    assert_non_null(strstr(h, "县公安局"));
    assert_non_null(strstr(h, "<td class=\"nw\">2026-000101</td>"));
    assert_non_null(strstr(h, "<td class=\"nw\">2026-000102</td>"));
    assert_non_null(strstr(h, "<td class=\"nw\">按时</td>"));
    assert_non_null(strstr(h, "<td class=\"nw\">逾期 2 个工作日</td>"));
    assert_non_null(strstr(h, "周&lt;b&gt;晓峰&lt;/b&gt;&amp;"));
    assert_null(strstr(h, "<b>晓峰"));
    assert_non_null(strstr(h, "check character is X, expected 5"));
    assert_non_null(strstr(h, "公民身份号码"));         /* what to do about it */
    assert_non_null(strstr(h, "工作单位未填写：请填写后重新报送"));   /* the hub's, in Chinese */
    assert_null(strstr(h, "http"));                      /* nothing fetched */
    free(h);

    snprintf(path, sizeof path, "%s/police-2026-11.csv 回执单.txt", dir);
    assert_non_null(t = files_read(path, &len));
    assert_memory_equal(t, "\xEF\xBB\xBF", 3);
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n')
            assert_int_equal(t[i - 1], '\r');
    assert_non_null(strstr(t, "回执编号 2026-000101"));
    assert_non_null(strstr(t, "第4行"));
    assert_non_null(strstr(t, "工作单位未填写"));
    free(t);

    /* A second receipt under the same name is numbered, not written over. */
    assert_int_equal(clerk_receipt_write(ob, "police", dir, "police-2026-11.csv",
                                         "police-2026-11.csv", rows, 1, T0, html,
                                         sizeof html), 0);
    snprintf(path, sizeof path, "%s/police-2026-11.csv 回执单 (2).html", dir);
    assert_string_equal(html, path);
    outbox_close(&ob);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rejection_is_told_in_the_clerks_language),
        cmocka_unit_test(windows_text_has_a_bom_and_crlf),
        cmocka_unit_test_setup_teardown(a_taken_name_gets_the_next_number, setup, teardown),
        cmocka_unit_test_setup_teardown(receipt_lists_filings_and_refused_rows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
