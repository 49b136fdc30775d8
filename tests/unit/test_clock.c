/* test_clock.c — the wall clock and its test clocks (src/lib/clock.c):
 * LIANXI_FAKE_NOW for one process, LIANXI_FAKE_CLOCK shared by all. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "tmpdir.h"

#define T_2026_03_02 1772409600LL   /* 2026-03-02 00:00 UTC */

static int
setup(void **state)
{
    unsetenv("LIANXI_FAKE_NOW");
    unsetenv("LIANXI_FAKE_CLOCK");
    clock_reset();
    return tmp_make(state, "clock", "clock");
}

static int
teardown(void **state)
{
    unsetenv("LIANXI_FAKE_NOW");
    unsetenv("LIANXI_FAKE_CLOCK");
    clock_reset();
    return tmp_teardown(state);
}

/* Writes the shared clock as a test driver does: another name, renamed over. */
static void
set_clock(const char *path, const char *text)
{
    char tmp[256];
    FILE *f;

    snprintf(tmp, sizeof tmp, "%s.new", path);
    assert_non_null(f = fopen(tmp, "w"));
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(rename(tmp, path), 0);
}

static void
real_clock_without_test_clock(void **state)
{
    int64_t now = clock_now();

    (void)state;
    assert_true(llabs(now - (int64_t)time(NULL)) <= 1);
    assert_int_equal(clock_stepped(), 0);
}

static void
fake_now_starts_there_and_runs_on(void **state)
{
    int64_t a, b;

    (void)state;
    setenv("LIANXI_FAKE_NOW", "1772409600", 1);
    clock_reset();
    a = clock_now_us();
    usleep(20000);
    b = clock_now_us();
    assert_true(a >= T_2026_03_02 * 1000000 && a < (T_2026_03_02 + 2) * 1000000);
    assert_true(b - a >= 20000 && b - a < 2000000);
    assert_int_equal(clock_stepped(), 0);
}

static void
shared_clock_reads_fake_time_at_its_anchor(void **state)
{
    struct tmp *t = *state;
    char text[64];
    struct timespec ts;
    int64_t now;

    /* The anchor is one second ago: the clock has run one second since. */
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(text, sizeof text, "%lld %lld.%06ld\n", T_2026_03_02, (long long)ts.tv_sec - 1,
             ts.tv_nsec / 1000);
    set_clock(t->path, text);
    setenv("LIANXI_FAKE_CLOCK", t->path, 1);
    setenv("LIANXI_FAKE_NOW", "1000", 1);   /* the shared clock wins */
    clock_reset();
    now = clock_now_us();
    assert_true(now >= (T_2026_03_02 + 1) * 1000000 && now < (T_2026_03_02 + 3) * 1000000);
    assert_int_equal(clock_stepped(), 1);
}

static void
shared_clock_without_anchor_uses_the_file_time(void **state)
{
    struct tmp *t = *state;

    set_clock(t->path, "1772409600\n");
    setenv("LIANXI_FAKE_CLOCK", t->path, 1);
    clock_reset();
    assert_true(clock_now() >= T_2026_03_02 && clock_now() < T_2026_03_02 + 3);
}

static void
shared_clock_moves_when_the_file_changes(void **state)
{
    struct tmp *t = *state;
    char text[64];

    snprintf(text, sizeof text, "%lld %lld\n", T_2026_03_02, (long long)time(NULL));
    set_clock(t->path, text);
    setenv("LIANXI_FAKE_CLOCK", t->path, 1);
    clock_reset();
    assert_true(clock_now() < T_2026_03_02 + 3);
    /* A week later, written by another process: this one follows at once. */
    snprintf(text, sizeof text, "%lld %lld\n", T_2026_03_02 + 7 * 86400, (long long)time(NULL));
    set_clock(t->path, text);
    assert_true(clock_now() >= T_2026_03_02 + 7 * 86400 &&
                clock_now() < T_2026_03_02 + 7 * 86400 + 3);
}

static void
shared_clock_never_goes_back(void **state)
{
    struct tmp *t = *state;
    char text[64];
    int64_t before, after;

    snprintf(text, sizeof text, "%lld %lld\n", T_2026_03_02 + 86400, (long long)time(NULL));
    set_clock(t->path, text);
    setenv("LIANXI_FAKE_CLOCK", t->path, 1);
    clock_reset();
    before = clock_now_us();
    snprintf(text, sizeof text, "%lld %lld\n", T_2026_03_02, (long long)time(NULL));
    set_clock(t->path, text);
    after = clock_now_us();
    assert_true(after >= before);
    assert_true(after < (T_2026_03_02 + 86400 + 3) * 1000000LL);
}

static void
shared_clock_is_monotonic_over_many_reads(void **state)
{
    struct tmp *t = *state;
    char text[64];
    int64_t prev = 0;

    setenv("LIANXI_FAKE_CLOCK", t->path, 1);
    clock_reset();
    for (int step = 0; step < 50; step++) {
        /* Steps forward and, every fifth, back by an hour. */
        long long fake = T_2026_03_02 + step * 3600LL - (step % 5 == 4 ? 7200 : 0);
        snprintf(text, sizeof text, "%lld %lld\n", fake, (long long)time(NULL));
        set_clock(t->path, text);
        for (int i = 0; i < 20; i++) {
            int64_t now = clock_now_us();
            assert_true(now >= prev);
            prev = now;
        }
    }
}

static void
shared_clock_keeps_its_time_when_the_file_goes(void **state)
{
    struct tmp *t = *state;
    char text[64];

    snprintf(text, sizeof text, "%lld %lld\n", T_2026_03_02, (long long)time(NULL));
    set_clock(t->path, text);
    setenv("LIANXI_FAKE_CLOCK", t->path, 1);
    clock_reset();
    assert_true(clock_now() < T_2026_03_02 + 3);
    unlink(t->path);
    assert_true(clock_now() >= T_2026_03_02 && clock_now() < T_2026_03_02 + 3);
    set_clock(t->path, "not a time\n");
    assert_true(clock_now() >= T_2026_03_02 && clock_now() < T_2026_03_02 + 3);
}

static void
shared_clock_missing_file_is_the_real_time(void **state)
{
    struct tmp *t = *state;

    setenv("LIANXI_FAKE_CLOCK", t->path, 1);
    clock_reset();
    assert_true(llabs(clock_now() - (int64_t)time(NULL)) <= 1);
    assert_int_equal(clock_stepped(), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(real_clock_without_test_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(fake_now_starts_there_and_runs_on, setup, teardown),
        cmocka_unit_test_setup_teardown(shared_clock_reads_fake_time_at_its_anchor, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(shared_clock_without_anchor_uses_the_file_time, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(shared_clock_moves_when_the_file_changes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(shared_clock_never_goes_back, setup, teardown),
        cmocka_unit_test_setup_teardown(shared_clock_is_monotonic_over_many_reads, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(shared_clock_keeps_its_time_when_the_file_goes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(shared_clock_missing_file_is_the_real_time, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
