/* util.c — dates in day numbers, Asia/Shanghai time, durable file writes. */
#include "util.h"
#include "log.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Howard Hinnant's days_from_civil, proleptic Gregorian. */
lx_day
util_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (lx_day)(era * 146097 + (int)doe - 719468);
}

void
util_civil_from_days(lx_day z0, int *y, int *m, int *d)
{
    int z = z0 + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

static int
date_valid(int y, int m, int d)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap, max;

    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
        return 0;
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

int
util_date_parse(const char *s, lx_day *out)
{
    int y, m, d, n = 0;

    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
        return -1;
    if (!date_valid(y, m, d))
        return -1;
    *out = util_days_from_civil(y, m, d);
    return 0;
}

int
util_date_parse_loose(const char *s, lx_day *out)
{
    int y, m, d, n = 0;

    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    if (util_date_parse(s, out) == 0)
        return 0;
    if ((sscanf(s, "%4d/%2d/%2d%n", &y, &m, &d, &n) == 3 ||
         sscanf(s, "%4d.%2d.%2d%n", &y, &m, &d, &n) == 3 ||
         sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 ||
         sscanf(s, "%4d\xe5\xb9\xb4%2d\xe6\x9c\x88%2d\xe6\x97\xa5%n", &y, &m, &d, &n) == 3) &&
        n > 0) {
        const char *rest = s + n;
        int hh, mm, k = 0;

        for (int i = 0; i < n; i++)
            if (s[i] == ' ' || s[i] == '\t' || s[i] == '+')
                return -1;
        /* A time of day after the date ("2026/11/2 9:30[:15]") is dropped. */
        while (rest[0] == ' ' && rest[1] == ' ')
            rest++;
        if ((*rest == ' ' && rest[1] != '\0') || *rest == 'T') {
            if (sscanf(rest + 1, "%2d:%2d%n", &hh, &mm, &k) != 2 || k < 4 || hh > 23 || mm > 59)
                return -1;
            rest += 1 + k;
            if (rest[0] == ':' && rest[1] >= '0' && rest[1] <= '5' && rest[2] >= '0' &&
                rest[2] <= '9')
                rest += 3;
        }
        while (*rest == ' ' || *rest == '\t')
            rest++;
        if (*rest != '\0')
            return -1;
        if (!date_valid(y, m, d))
            return -1;
        *out = util_days_from_civil(y, m, d);
        return 0;
    }
    return -1;
}

void
util_date_format(lx_day day, char out[LX_DATE_LEN])
{
    int y, m, d;

    char tmp[32];

    util_civil_from_days(day, &y, &m, &d);
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    memcpy(out, tmp, LX_DATE_LEN - 1);
    out[LX_DATE_LEN - 1] = '\0';
}

int
util_weekday(lx_day day)
{
    /* 1970-01-01 was a Thursday (4). */
    int w = (int)((day % 7 + 7) % 7);
    return (w + 3) % 7 + 1;
}

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
util_now_us(void)
{
    struct timespec ts;

    pthread_once(&clock_once, clock_init);
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 + clock_offset_us;
}

int64_t
util_now(void)
{
    int64_t us = util_now_us();
    return us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
}

int64_t
util_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

lx_day
util_day_shanghai(int64_t t)
{
    int64_t local = t + 8 * 3600;
    return (lx_day)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

void
util_time_format(int64_t t, char out[20])
{
    int64_t local = t + 8 * 3600;
    lx_day day = util_day_shanghai(t);
    int64_t sec = local - (int64_t)day * 86400;
    int y, m, d;

    char tmp[64];

    util_civil_from_days(day, &y, &m, &d);
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d %02d:%02d:%02d", y % 10000, m % 100, d % 100,
             (int)(sec / 3600) % 100, (int)(sec / 60 % 60), (int)(sec % 60));
    memcpy(out, tmp, 19);
    out[19] = '\0';
}

char *
util_read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;

    if (!f)
        return NULL;
    for (;;) {
        if (cap - len < 4096) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, ncap + 1);
            if (!nb)
                goto err;
            buf = nb;
            cap = ncap;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                goto err;
            break;
        }
    }
    fclose(f);
    if (!buf && !(buf = malloc(1)))
        return NULL;
    buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
err:
    free(buf);
    fclose(f);
    return NULL;
}

int
util_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
    char tmp[PATH_MAX];
    int fd, saved;
    const char *p = data;

    static atomic_uint serial;

    if (snprintf(tmp, sizeof tmp, "%s.tmp.%d.%u", path, (int)getpid(),
                 atomic_fetch_add(&serial, 1)) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    if (fchmod(fd, mode) < 0)
        goto err;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            goto err;
        }
        p += n;
        len -= (size_t)n;
    }
    if (fsync(fd) < 0)
        goto err;
    if (close(fd) < 0) {
        fd = -1;
        goto err;
    }
    fd = -1;
    if (rename(tmp, path) < 0)
        goto err;
    /* The rename itself is durable once the directory is synced. */
    {
        char dir[PATH_MAX];
        int dfd;
        util_dirname(dir, sizeof dir, path);
        if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    return 0;
err:
    saved = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    errno = saved;
    return -1;
}

int
util_mkdir_p(const char *path, mode_t mode)
{
    char buf[PATH_MAX];
    size_t len = strlen(path);

    if (len == 0 || len >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, mode) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, mode) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

int
util_check_secret_mode(const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0) {
        log_warn("secret key %s", path);
        return -1;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        log_warnx("secret key %s is readable by others (mode %03o): "
                  "run chmod 600 %s", path, (unsigned)(st.st_mode & 0777), path);
        return -1;
    }
    return 0;
}

int
util_path_join(char *out, size_t outlen, const char *dir, const char *name)
{
    int n;

    if (name[0] == '/' || !dir || !dir[0])
        n = snprintf(out, outlen, "%s", name);
    else
        n = snprintf(out, outlen, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

void
util_dirname(char *out, size_t outlen, const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash) {
        snprintf(out, outlen, ".");
        return;
    }
    if (slash == path) {
        snprintf(out, outlen, "/");
        return;
    }
    snprintf(out, outlen, "%.*s", (int)(slash - path), path);
}

void
util_hex(char *out, const uint8_t *in, size_t len)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int
util_unhex(uint8_t *out, size_t outlen, const char *hex)
{
    if (!hex || strlen(hex) != outlen * 2)
        return -1;
    for (size_t i = 0; i < outlen; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int
util_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i];
        size_t n;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1; cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2; cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3; cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + n >= len)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += n + 1;
    }
    return 1;
}

int
util_display_width(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    int w = 0;

    while (*s) {
        uint32_t cp;
        int n;

        if (*s < 0x80) {
            w++;
            s++;
            continue;
        }
        n = (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2 : 3;
        cp = *s & (0x3f >> n);
        for (int i = 1; i <= n && s[i]; i++)
            cp = cp << 6 | (s[i] & 0x3f);
        /* CJK, Hangul, full-width forms and the like take two columns. */
        w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
             (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
             (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
             (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd) ? 2 : 1;
        for (int i = 0; i <= n && *s; i++)
            s++;
    }
    return w;
}

void
util_print_padded(FILE *f, const char *s, int width)
{
    int w = util_display_width(s);

    fputs(s, f);
    while (w++ < width)
        fputc(' ', f);
}

void
util_print_json(cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);

    if (s)
        puts(s);
    free(s);
    cJSON_Delete(j);
}
