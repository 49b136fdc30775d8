/* test_util.c — dates, Shanghai time, UTF-8 and files (src/util.h).
 *
 * Day numbers (days since 1970-01-01) were computed independently with
 * Python's datetime: (date(Y, M, D) - date(1970, 1, 1)).days. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "days.h"
#include "files.h"
#include "log.h"
#include "text.h"
#include "tmpdir.h"

#define D_2026_09_02 20698
#define D_2026_11_02 20759
#define D_2024_02_29 19782
#define D_2026_11_22 20779
#define D_2000_03_01 11017

/* --- strict dates --- */

static void
strict_parse_accepts_real_date(void **state)
{
    lx_day d = -12345;

    (void)state;
    assert_int_equal(days_parse("2026-11-22", &d), 0);
    assert_int_equal(d, D_2026_11_22);
    assert_int_equal(days_parse("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
}

static void
strict_parse_rejects_single_digit_month_and_day(void **state)
{
    lx_day d;

    (void)state;
    assert_int_equal(days_parse("2026-2-3", &d), -1);
    assert_int_equal(days_parse("2026-02-3", &d), -1);
}

static void
strict_parse_rejects_month_13(void **state)
{
    lx_day d;

    (void)state;
    assert_int_equal(days_parse("2026-13-01", &d), -1);
    assert_int_equal(days_parse("2026-00-01", &d), -1);
}

static void
strict_parse_rejects_february_29_of_common_year(void **state)
{
    lx_day d;

    (void)state;
    assert_int_equal(days_parse("2025-02-29", &d), -1);
    /* 1900 is divisible by 100 but not by 400: not a leap year. */
    assert_int_equal(days_parse("1900-02-29", &d), -1);
}

static void
strict_parse_accepts_february_29_of_leap_year(void **state)
{
    lx_day d = 0;

    (void)state;
    assert_int_equal(days_parse("2024-02-29", &d), 0);
    assert_int_equal(d, D_2024_02_29);
    /* 2000 is divisible by 400: leap. */
    assert_int_equal(days_parse("2000-02-29", &d), 0);
    assert_int_equal(d, D_2000_03_01 - 1);
}

static void
strict_parse_rejects_other_shapes(void **state)
{
    lx_day d;

    (void)state;
    assert_int_equal(days_parse("2026/11/22", &d), -1);
    assert_int_equal(days_parse("2026-11-22 ", &d), -1);
    assert_int_equal(days_parse(" 2026-11-22", &d), -1);
    assert_int_equal(days_parse("2026-11-2x", &d), -1);
    assert_int_equal(days_parse("2026-04-31", &d), -1);
    assert_int_equal(days_parse("", &d), -1);
    assert_int_equal(days_parse(NULL, &d), -1);
}

/* --- loose dates --- */

static void
loose_parse_accepts_slashes(void **state)
{
    lx_day d = 0;

    (void)state;
    assert_int_equal(days_parse_loose("2026/9/2", &d), 0);
    assert_int_equal(d, D_2026_09_02);
}

static void
loose_parse_accepts_dots(void **state)
{
    lx_day d = 0;

    (void)state;
    assert_int_equal(days_parse_loose("2026.9.2", &d), 0);
    assert_int_equal(d, D_2026_09_02);
}

static void
loose_parse_accepts_chinese_date(void **state)
{
    lx_day d = 0;

    (void)state;
    assert_int_equal(days_parse_loose("2026年9月2日", &d), 0);
    assert_int_equal(d, D_2026_09_02);
}

static void
loose_parse_drops_time_of_day(void **state)
{
    lx_day d = 0;

    (void)state;
    assert_int_equal(days_parse_loose("2026/11/2 9:30", &d), 0);
    assert_int_equal(d, D_2026_11_02);
}

static void
loose_parse_accepts_time_with_seconds(void **state)
{
    lx_day d = 0;

    (void)state;
    assert_int_equal(days_parse_loose("2026/11/2 09:30:15", &d), 0);
    assert_int_equal(d, D_2026_11_02);
    assert_int_equal(days_parse_loose("2026/11/2T23:59", &d), 0);
    assert_int_equal(d, D_2026_11_02);
}

static void
loose_parse_rejects_invalid_time_of_day(void **state)
{
    lx_day d;

    (void)state;
    assert_int_equal(days_parse_loose("2026/11/2 -1:-1", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 +9:30", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 9:-3", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 9: 30", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 24:00", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 9:60", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 9:30:61", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 9:30:", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 123:30", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 9:300", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 noon", &d), -1);
}

static void
loose_parse_accepts_strict_form(void **state)
{
    lx_day d = 0;

    (void)state;
    assert_int_equal(days_parse_loose("  2026-09-02", &d), 0);
    assert_int_equal(d, D_2026_09_02);
}

static void
loose_parse_rejects_garbage_and_impossible_dates(void **state)
{
    lx_day d;

    (void)state;
    assert_int_equal(days_parse_loose("2026/9/2x", &d), -1);
    assert_int_equal(days_parse_loose("2026/2/30", &d), -1);
    assert_int_equal(days_parse_loose("2026/13/1", &d), -1);
    assert_int_equal(days_parse_loose("9/2/2026", &d), -1);
    assert_int_equal(days_parse_loose("yesterday", &d), -1);
    assert_int_equal(days_parse_loose(NULL, &d), -1);
    /* Spaces or signs inside the date, and junk after a time, are not dates. */
    assert_int_equal(days_parse_loose("2026/ 9/ 2", &d), -1);
    assert_int_equal(days_parse_loose("2026/+9/+2", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 12345abc", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 9:30 garbage", &d), -1);
    assert_int_equal(days_parse_loose("2026/11/2 25:00", &d), -1);
    /* A trailing space and a time with seconds are fine. */
    assert_int_equal(days_parse_loose("2026/11/2 ", &d), 0);
    assert_int_equal(days_parse_loose("2026/11/2 09:30:15", &d), 0);
}

/* --- day numbers and weekdays --- */

static void
days_from_civil_matches_known_days(void **state)
{
    (void)state;
    assert_int_equal(days_from_civil(1970, 1, 1), 0);
    assert_int_equal(days_from_civil(1969, 12, 31), -1);
    assert_int_equal(days_from_civil(2000, 3, 1), D_2000_03_01);
    assert_int_equal(days_from_civil(2026, 11, 22), D_2026_11_22);
}

static void
civil_from_days_inverts_days_from_civil(void **state)
{
    (void)state;
    /* Every day from 1900 to 2200. */
    for (lx_day z = days_from_civil(1900, 1, 1); z <= days_from_civil(2200, 12, 31);
         z++) {
        int y, m, d;
        days_to_civil(z, &y, &m, &d);
        assert_int_equal(days_from_civil(y, m, d), z);
    }
}

static void
date_format_writes_iso_date(void **state)
{
    char out[LX_DATE_LEN];

    (void)state;
    days_format(D_2024_02_29, out);
    assert_string_equal(out, "2024-02-29");
    days_format(0, out);
    assert_string_equal(out, "1970-01-01");
}

static void
weekday_of_2026_11_22_is_sunday(void **state)
{
    (void)state;
    /* 2026-01-01 is a Thursday; 2026-11-22 is 325 days later, 325 = 46*7 + 3,
     * Thursday + 3 = Sunday = 7. */
    assert_int_equal(days_weekday(D_2026_11_22), 7);
}

static void
weekday_around_the_epoch(void **state)
{
    (void)state;
    assert_int_equal(days_weekday(0), 4);       /* 1970-01-01 Thursday */
    assert_int_equal(days_weekday(-1), 3);      /* 1969-12-31 Wednesday */
    assert_int_equal(days_weekday(4), 1);       /* 1970-01-05 Monday */
    assert_int_equal(days_weekday(-4), 7);      /* 1969-12-28 Sunday */
}

/* --- Asia/Shanghai --- */

static void
shanghai_day_before_midnight(void **state)
{
    (void)state;
    /* 2026-11-22T15:59:59Z: date -u -d 2026-11-22T15:59:59Z +%s = 1795363199,
     * which is 23:59:59 on the 22nd in UTC+8. */
    assert_int_equal(days_shanghai(1795363199), D_2026_11_22);
}

static void
shanghai_day_after_midnight(void **state)
{
    (void)state;
    /* 2026-11-22T16:00:00Z = 1795363200 = 00:00:00 on the 23rd in UTC+8. */
    assert_int_equal(days_shanghai(1795363200), D_2026_11_22 + 1);
}

static void
shanghai_day_before_the_epoch(void **state)
{
    (void)state;
    /* -8h is 1970-01-01 00:00 in Shanghai; one second earlier is 12-31. */
    assert_int_equal(days_shanghai(-8 * 3600), 0);
    assert_int_equal(days_shanghai(-8 * 3600 - 1), -1);
}

static void
time_format_is_shanghai_local(void **state)
{
    char out[20];

    (void)state;
    days_time_format(1795363199, out);
    assert_string_equal(out, "2026-11-22 23:59:59");
    days_time_format(1795363200, out);
    assert_string_equal(out, "2026-11-23 00:00:00");
}

/* --- UTF-8 --- */

#define U(s) text_utf8_valid(s, sizeof(s) - 1)

static void
utf8_accepts_chinese_text(void **state)
{
    (void)state;
    assert_true(U("县公安局：醉酒驾驶，血液酒精含量 120mg/100ml。"));
    assert_true(U("plain ascii"));
    assert_true(U(""));
}

static void
utf8_accepts_four_byte_and_edge_code_points(void **state)
{
    (void)state;
    assert_true(U("\xf0\x9f\x98\x80"));     /* U+1F600 */
    assert_true(U("\xf4\x8f\xbf\xbf"));     /* U+10FFFF, the last code point */
    assert_true(U("\xed\x9f\xbf"));         /* U+D7FF, just below the surrogates */
    assert_true(U("\xee\x80\x80"));         /* U+E000, just above them */
    assert_true(U("\xc2\x80"));             /* U+0080, the first two-byte one */
}

static void
utf8_rejects_truncated_sequences(void **state)
{
    (void)state;
    assert_false(U("\xe4\xb8"));            /* 中 = e4 b8 ad without its last byte */
    assert_false(U("ab\xe4"));
    assert_false(U("\xf0\x9f\x98"));
    assert_false(U("\xe4\xb8" "a"));        /* continuation replaced by ASCII */
    /* A length that cuts the second character of 中文 (e4 b8 ad e6 96 87). */
    assert_false(text_utf8_valid("中文", 4));
    assert_false(text_utf8_valid("中文", 5));  /* the byte after len must not be read */
    assert_true(text_utf8_valid("中文", 3));
    assert_true(text_utf8_valid("中文", 6));
}

static void
utf8_rejects_lone_continuation_and_invalid_bytes(void **state)
{
    (void)state;
    assert_false(U("\x80"));
    assert_false(U("a\xbf"));
    assert_false(U("\xff"));
    assert_false(U("\xfe"));
    assert_false(U("\xf8\x88\x80\x80\x80"));  /* old five-byte form */
}

static void
utf8_rejects_overlong_encodings(void **state)
{
    (void)state;
    assert_false(U("\xc0\xaf"));            /* '/' in two bytes */
    assert_false(U("\xc1\xbf"));
    assert_false(U("\xe0\x80\xaf"));        /* '/' in three bytes */
    assert_false(U("\xe0\x9f\xbf"));        /* U+07FF in three bytes */
    assert_false(U("\xf0\x80\x80\xaf"));    /* '/' in four bytes */
    assert_false(U("\xf0\x8f\xbf\xbf"));    /* U+FFFF in four bytes */
}

static void
utf8_rejects_surrogates(void **state)
{
    (void)state;
    assert_false(U("\xed\xa0\x80"));        /* U+D800 */
    assert_false(U("\xed\xbf\xbf"));        /* U+DFFF */
    assert_false(U("\xed\xa0\xbd\xed\xb8\x80"));    /* CESU-8 pair for U+1F600 */
}

static void
utf8_rejects_code_points_above_10ffff(void **state)
{
    (void)state;
    assert_false(U("\xf4\x90\x80\x80"));    /* U+110000 */
    assert_false(U("\xf5\x80\x80\x80"));
}

/* --- files --- */

static int
tmp_setup(void **state)
{
    return tmp_make(state, "util", "file");
}

static int
count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void
write_atomic_writes_the_bytes(void **state)
{
    struct tmp *t = *state;
    static const char data[] = "line one\n\0binary\xff";
    size_t len = 0;
    char *got;

    assert_int_equal(files_write_atomic(t->path, data, sizeof data, 0600), 0);
    got = files_read(t->path, &len);
    assert_non_null(got);
    assert_int_equal(len, sizeof data);
    assert_memory_equal(got, data, sizeof data);
    free(got);
    /* No temp file is left beside it. */
    assert_int_equal(count_entries(t->dir), 1);
}

static void
write_atomic_uses_requested_mode_despite_umask(void **state)
{
    struct tmp *t = *state;
    struct stat st;
    mode_t old = umask(077);

    /* umask 077 would make open() create 0600; the file must still be 0640. */
    assert_int_equal(files_write_atomic(t->path, "x", 1, 0640), 0);
    umask(old);
    assert_int_equal(stat(t->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
}

static void
write_atomic_secret_mode_is_0600(void **state)
{
    struct tmp *t = *state;
    struct stat st;

    assert_int_equal(files_write_atomic(t->path, "k", 1, 0600), 0);
    assert_int_equal(stat(t->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
}

static void
write_atomic_replaces_existing_file(void **state)
{
    struct tmp *t = *state;
    char *got;

    assert_int_equal(files_write_atomic(t->path, "first version", 13, 0644), 0);
    assert_int_equal(files_write_atomic(t->path, "second", 6, 0644), 0);
    got = files_read(t->path, NULL);
    assert_non_null(got);
    assert_string_equal(got, "second");
    free(got);
    assert_int_equal(count_entries(t->dir), 1);
}

static void
write_atomic_fails_in_missing_directory(void **state)
{
    struct tmp *t = *state;
    char path[160];

    snprintf(path, sizeof path, "%s/no/such/file", t->dir);
    assert_int_equal(files_write_atomic(path, "x", 1, 0600), -1);
}

static void
secret_mode_refuses_0644(void **state)
{
    struct tmp *t = *state;

    assert_int_equal(files_write_atomic(t->path, "k", 1, 0644), 0);
    assert_int_equal(files_check_secret(t->path), -1);
}

static void
secret_mode_refuses_group_readable(void **state)
{
    struct tmp *t = *state;

    assert_int_equal(files_write_atomic(t->path, "k", 1, 0640), 0);
    assert_int_equal(files_check_secret(t->path), -1);
}

static void
secret_mode_accepts_0600(void **state)
{
    struct tmp *t = *state;

    assert_int_equal(files_write_atomic(t->path, "k", 1, 0600), 0);
    assert_int_equal(files_check_secret(t->path), 0);
}

static void
secret_mode_refuses_missing_file(void **state)
{
    struct tmp *t = *state;

    assert_int_equal(files_check_secret(t->path), -1);
}

static void
read_file_of_empty_file_is_empty_string(void **state)
{
    struct tmp *t = *state;
    size_t len = 99;
    char *got;

    assert_int_equal(files_write_atomic(t->path, "", 0, 0600), 0);
    got = files_read(t->path, &len);
    assert_non_null(got);
    assert_int_equal(len, 0);
    assert_string_equal(got, "");
    free(got);
}

/* --- small string helpers --- */

static void
path_join_and_dirname(void **state)
{
    char out[64];

    (void)state;
    assert_int_equal(files_join(out, sizeof out, "/etc/lianxi", "hub.key"), 0);
    assert_string_equal(out, "/etc/lianxi/hub.key");
    assert_int_equal(files_join(out, sizeof out, "/etc/lianxi", "/abs/k"), 0);
    assert_string_equal(out, "/abs/k");
    assert_int_equal(files_join(out, 8, "/etc/lianxi", "hub.key"), -1);
    files_dirname(out, sizeof out, "/etc/lianxi/hub.conf");
    assert_string_equal(out, "/etc/lianxi");
    files_dirname(out, sizeof out, "hub.conf");
    assert_string_equal(out, ".");
    files_dirname(out, sizeof out, "/hub.conf");
    assert_string_equal(out, "/");
}

static void
hex_round_trip(void **state)
{
    static const uint8_t in[4] = { 0x00, 0x9f, 0xab, 0xff };
    uint8_t back[4];
    char hex[9];

    (void)state;
    text_hex(hex, in, sizeof in);
    assert_string_equal(hex, "009fabff");
    assert_int_equal(text_unhex(back, sizeof back, "009FABff"), 0);
    assert_memory_equal(back, in, sizeof in);
    assert_int_equal(text_unhex(back, sizeof back, "009fab"), -1);
    assert_int_equal(text_unhex(back, sizeof back, "009fabfg"), -1);
}

/* --- the log keeps each event on one line --- */

/* Runs one log_warnx("%s", msg) with stderr sent to a temporary file and
 * returns what was written (malloc'd). */
static char *
logged(const char *msg)
{
    FILE *t = tmpfile();
    int saved;
    long n;
    char *out;

    assert_non_null(t);
    fflush(stderr);
    saved = dup(2);
    assert_true(saved >= 0);
    assert_int_equal(dup2(fileno(t), 2), 2);
    log_warnx("refused filing '%s'", msg);
    fflush(stderr);
    assert_int_equal(dup2(saved, 2), 2);
    close(saved);
    n = ftell(t);
    assert_true(n > 0);
    out = calloc(1, (size_t)n + 1);
    assert_non_null(out);
    rewind(t);
    assert_int_equal(fread(out, 1, (size_t)n, t), (size_t)n);
    fclose(t);
    return out;
}

static void
log_escapes_a_newline_that_would_forge_a_line(void **state)
{
    char *out = logged("police:1\n2026-11-22T00:00:00Z lianxi-hub[info]: key authorized: "
                       "unit:evil");

    (void)state;
    assert_non_null(strstr(out, "police:1\\n2026-11-22"));
    assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
    free(out);
}

static void
log_escapes_terminal_controls_and_bad_bytes(void **state)
{
    char *out = logged("张\x1b]0;pwned\x07三\r\xff\xe2\x80\xae");

    (void)state;
    assert_non_null(strstr(out, "'张\\x1b]0;pwned\\x07三\\r\\xff\\u202E'"));
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\r'));
    assert_true(text_utf8_valid(out, strlen(out)));
    free(out);
}

#define F(fn) cmocka_unit_test_setup_teardown(fn, tmp_setup, tmp_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strict_parse_accepts_real_date),
        cmocka_unit_test(strict_parse_rejects_single_digit_month_and_day),
        cmocka_unit_test(strict_parse_rejects_month_13),
        cmocka_unit_test(strict_parse_rejects_february_29_of_common_year),
        cmocka_unit_test(strict_parse_accepts_february_29_of_leap_year),
        cmocka_unit_test(strict_parse_rejects_other_shapes),
        cmocka_unit_test(loose_parse_accepts_slashes),
        cmocka_unit_test(loose_parse_accepts_dots),
        cmocka_unit_test(loose_parse_accepts_chinese_date),
        cmocka_unit_test(loose_parse_drops_time_of_day),
        cmocka_unit_test(loose_parse_accepts_time_with_seconds),
        cmocka_unit_test(loose_parse_rejects_invalid_time_of_day),
        cmocka_unit_test(loose_parse_accepts_strict_form),
        cmocka_unit_test(loose_parse_rejects_garbage_and_impossible_dates),
        cmocka_unit_test(days_from_civil_matches_known_days),
        cmocka_unit_test(civil_from_days_inverts_days_from_civil),
        cmocka_unit_test(date_format_writes_iso_date),
        cmocka_unit_test(weekday_of_2026_11_22_is_sunday),
        cmocka_unit_test(weekday_around_the_epoch),
        cmocka_unit_test(shanghai_day_before_midnight),
        cmocka_unit_test(shanghai_day_after_midnight),
        cmocka_unit_test(shanghai_day_before_the_epoch),
        cmocka_unit_test(time_format_is_shanghai_local),
        cmocka_unit_test(utf8_accepts_chinese_text),
        cmocka_unit_test(utf8_accepts_four_byte_and_edge_code_points),
        cmocka_unit_test(utf8_rejects_truncated_sequences),
        cmocka_unit_test(utf8_rejects_lone_continuation_and_invalid_bytes),
        cmocka_unit_test(utf8_rejects_overlong_encodings),
        cmocka_unit_test(utf8_rejects_surrogates),
        cmocka_unit_test(utf8_rejects_code_points_above_10ffff),
        cmocka_unit_test(log_escapes_a_newline_that_would_forge_a_line),
        cmocka_unit_test(log_escapes_terminal_controls_and_bad_bytes),
        F(write_atomic_writes_the_bytes),
        F(write_atomic_uses_requested_mode_despite_umask),
        F(write_atomic_secret_mode_is_0600),
        F(write_atomic_replaces_existing_file),
        F(write_atomic_fails_in_missing_directory),
        F(secret_mode_refuses_0644),
        F(secret_mode_refuses_group_readable),
        F(secret_mode_accepts_0600),
        F(secret_mode_refuses_missing_file),
        F(read_file_of_empty_file_is_empty_string),
        cmocka_unit_test(path_join_and_dirname),
        cmocka_unit_test(hex_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
