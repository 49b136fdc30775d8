/* clock.c — the wall clock (with the test clock) and the monotonic clock. */
#include "clock.h"
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* Tests pin the wall clock with LIANXI_FAKE_NOW=<unix seconds>: the clock
 * then starts there when the program starts and runs on normally. */
static int64_t clock_offset_us;
static pthread_once_t clock_once = PTHREAD_ONCE_INIT;

static void
clock_init(void)
{
    const char *fake = getenv("LIANXI_FAKE_NOW");
    struct timespec ts;

    if (!fake || !*fake)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    clock_offset_us = strtoll(fake, NULL, 10) * 1000000 -
                      ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

int64_t
clock_now_us(void)
{
    struct timespec ts;

    pthread_once(&clock_once, clock_init);
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 + clock_offset_us;
}

int64_t
clock_now(void)
{
    int64_t us = clock_now_us();
    return us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
}

int64_t
clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
