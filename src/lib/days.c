/* days.c — dates as day numbers and Asia/Shanghai time. */
#include "days.h"
#include "i18n.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Howard Hinnant's days_from_civil, proleptic Gregorian. */
lx_day
days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (lx_day)(era * 146097 + (int)doe - 719468);
}

void
days_to_civil(lx_day z0, int *y, int *m, int *d)
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
days_parse(const char *s, lx_day *out)
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
    *out = days_from_civil(y, m, d);
    return 0;
}

/* The length of a time of day H:MM, HH:MM or HH:MM:SS (hours 0-23) at the
 * start of s, or 0 when s does not start with one.  Digits only: no sign,
 * no space. */
static size_t
time_of_day_len(const char *s)
{
    size_t i = 0;
    int hh = 0;

#define DIGIT(c) ((c) >= '0' && (c) <= '9')
    if (!DIGIT(s[0]))
        return 0;
    hh = s[i++] - '0';
    if (DIGIT(s[i]))
        hh = hh * 10 + (s[i++] - '0');
    if (hh > 23 || s[i] != ':' || !(s[i + 1] >= '0' && s[i + 1] <= '5') || !DIGIT(s[i + 2]))
        return 0;
    i += 3;
    if (s[i] == ':') {
        if (!(s[i + 1] >= '0' && s[i + 1] <= '5') || !DIGIT(s[i + 2]))
            return 0;
        i += 3;
    }
    if (DIGIT(s[i]))
        return 0;
#undef DIGIT
    return i;
}

int
days_parse_loose(const char *s, lx_day *out)
{
    int y, m, d, n = 0;

    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    if (days_parse(s, out) == 0)
        return 0;
    if ((sscanf(s, "%4d/%2d/%2d%n", &y, &m, &d, &n) == 3 ||
         sscanf(s, "%4d.%2d.%2d%n", &y, &m, &d, &n) == 3 ||
         sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 ||
         sscanf(s, "%4d\xe5\xb9\xb4%2d\xe6\x9c\x88%2d\xe6\x97\xa5%n", &y, &m, &d, &n) == 3) &&
        n > 0) {
        const char *rest = s + n;

        for (int i = 0; i < n; i++)
            if (s[i] == ' ' || s[i] == '\t' || s[i] == '+')
                return -1;
        /* A time of day after the date ("2026/11/2 9:30[:15]") is dropped. */
        while (rest[0] == ' ' && rest[1] == ' ')
            rest++;
        if ((*rest == ' ' && rest[1] != '\0') || *rest == 'T') {
            size_t k = time_of_day_len(rest + 1);
            if (k == 0)
                return -1;
            rest += 1 + k;
        }
        while (*rest == ' ' || *rest == '\t')
            rest++;
        if (*rest != '\0')
            return -1;
        if (!date_valid(y, m, d))
            return -1;
        *out = days_from_civil(y, m, d);
        return 0;
    }
    return -1;
}

void
days_format(lx_day day, char out[LX_DATE_LEN])
{
    int y, m, d;

    char tmp[32];

    days_to_civil(day, &y, &m, &d);
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    memcpy(out, tmp, LX_DATE_LEN - 1);
    out[LX_DATE_LEN - 1] = '\0';
}

int
days_weekday(lx_day day)
{
    /* 1970-01-01 was a Thursday (4). */
    int w = (int)((day % 7 + 7) % 7);
    return (w + 3) % 7 + 1;
}

lx_day
days_shanghai(int64_t t)
{
    int64_t local = t + 8 * 3600;
    return (lx_day)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

void
days_time_format(int64_t t, char out[20])
{
    int64_t local = t + 8 * 3600;
    lx_day day = days_shanghai(t);
    int64_t sec = local - (int64_t)day * 86400;
    int y, m, d;

    char tmp[64];

    days_to_civil(day, &y, &m, &d);
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d %02d:%02d:%02d", y % 10000, m % 100, d % 100,
             (int)(sec / 3600) % 100, (int)(sec / 60 % 60), (int)(sec % 60));
    memcpy(out, tmp, 19);
    out[19] = '\0';
}

int64_t
days_start(lx_day d)
{
    return (int64_t)d * 86400 - 8 * 3600;
}

void
days_time_text(int64_t t, char *out, size_t len)
{
    int64_t local = t + 8 * 3600;
    lx_day day = days_shanghai(t);
    int64_t sec = local - (int64_t)day * 86400;
    int y, m, d;

    days_to_civil(day, &y, &m, &d);
    /* TRANSLATORS: a date and time in a text to print and keep: year,
     * month, day, hours, minutes, seconds. */
    snprintf(out, len, _("%04d-%02d-%02d %02d:%02d:%02d"), y, m, d, (int)(sec / 3600),
             (int)(sec / 60 % 60), (int)(sec % 60));
}
