/* clock.c — the wall clock (with the test clocks) and the monotonic clock. */
#include "clock.h"
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum clock_mode { CLOCK_REAL, CLOCK_OFFSET, CLOCK_FILE };

static pthread_mutex_t clock_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    int ready;
    enum clock_mode mode;
    int64_t offset_us;          /* fake minus real */
    char file[PATH_MAX];        /* CLOCK_FILE: the shared clock */
    int64_t last_us;            /* CLOCK_FILE: the latest time shown */
} clk;

static int64_t
real_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Reads the shared clock's file (on every call: it is tiny, and a file
 * rewritten within one tick of the file system's clock may keep its inode,
 * size and times).  What cannot be read leaves the offset as it was. */
static void
file_refresh(void)
{
    struct stat st;
    char buf[128], *end, *end2;
    ssize_t n;
    long long fake;
    double real;
    int fd = open(clk.file, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return;
    if (fstat(fd, &st) < 0 || (n = read(fd, buf, sizeof buf - 1)) < 0) {
        close(fd);
        return;
    }
    close(fd);
    buf[n] = '\0';
    fake = strtoll(buf, &end, 10);
    if (end == buf)
        return;                 /* not a clock (yet): keep the last */
    real = strtod(end, &end2);
    clk.offset_us = (int64_t)fake * 1000000 -
                    (end2 != end && real > 0 ? (int64_t)(real * 1e6 + 0.5)
                     : (int64_t)st.st_mtim.tv_sec * 1000000 + st.st_mtim.tv_nsec / 1000);
}

static void
clock_setup(void)
{
    const char *file = getenv("LIANXI_FAKE_CLOCK"), *fake = getenv("LIANXI_FAKE_NOW");

    memset(&clk, 0, sizeof clk);
    clk.ready = 1;
    if (file && *file && strlen(file) < sizeof clk.file) {
        clk.mode = CLOCK_FILE;
        strcpy(clk.file, file);
        file_refresh();
    } else if (fake && *fake) {
        clk.mode = CLOCK_OFFSET;
        clk.offset_us = strtoll(fake, NULL, 10) * 1000000 - real_us();
    }
}

int64_t
clock_now_us(void)
{
    int64_t now;

    pthread_mutex_lock(&clock_mu);
    if (!clk.ready)
        clock_setup();
    if (clk.mode == CLOCK_FILE)
        file_refresh();
    now = real_us() + clk.offset_us;
    if (clk.mode == CLOCK_FILE) {
        if (now < clk.last_us)
            now = clk.last_us;
        clk.last_us = now;
    }
    pthread_mutex_unlock(&clock_mu);
    return now;
}

int64_t
clock_now(void)
{
    int64_t us = clock_now_us();
    return us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
}

int
clock_stepped(void)
{
    int stepped;

    pthread_mutex_lock(&clock_mu);
    if (!clk.ready)
        clock_setup();
    stepped = clk.mode == CLOCK_FILE;
    pthread_mutex_unlock(&clock_mu);
    return stepped;
}

void
clock_reset(void)
{
    pthread_mutex_lock(&clock_mu);
    clk.ready = 0;
    pthread_mutex_unlock(&clock_mu);
}

int64_t
clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
