/* days.h — dates as day numbers, and Asia/Shanghai time: the one place
 * where a day and a unix time are converted into each other. */
#ifndef LX_DAYS_H
#define LX_DAYS_H

#include <stddef.h>
#include <stdint.h>

/* Dates are day numbers: days since 1970-01-01 (a Thursday). */
typedef int32_t lx_day;

#define LX_DATE_LEN 11  /* "YYYY-MM-DD" and NUL */

/* Parses a strict YYYY-MM-DD of a real calendar date.  Returns 0, or -1. */
int days_parse(const char *s, lx_day *out);
/* Also accepts YYYY/M/D and YYYY.M.D and YYYY年M月D日, as office exports write them. */
int days_parse_loose(const char *s, lx_day *out);
void days_format(lx_day d, char out[LX_DATE_LEN]);
lx_day days_from_civil(int y, int m, int d);
void days_to_civil(lx_day z, int *y, int *m, int *d);
/* 1 = Monday ... 7 = Sunday. */
int days_weekday(lx_day d);

/* The calendar date in Asia/Shanghai (UTC+8, no daylight saving since 1991)
 * of a unix time. */
lx_day days_shanghai(int64_t unix_secs);
/* The unix time at which day begins (00:00) in Asia/Shanghai: the inverse of
 * days_shanghai; [days_start(d), days_start(d + 1)) is the whole day. */
int64_t days_start(lx_day d);
/* "2026-11-22 14:05:09" in Asia/Shanghai. */
void days_time_format(int64_t unix_secs, char out[20]);
/* The date and time of unix_secs in Asia/Shanghai as a person reads it in
 * the current language (2026年11月29日 12:03:04; 2026-11-29 12:03:04). */
void days_time_text(int64_t unix_secs, char *out, size_t len);

#endif
