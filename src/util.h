/* util.h — small helpers: dates, time, files, hex. */
#ifndef LX_UTIL_H
#define LX_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Dates are day numbers: days since 1970-01-01 (a Thursday). */
typedef int32_t lx_day;

#define LX_DATE_LEN 11  /* "YYYY-MM-DD" and NUL */

/* Parses a strict YYYY-MM-DD of a real calendar date.  Returns 0, or -1. */
int util_date_parse(const char *s, lx_day *out);
/* Also accepts YYYY/M/D and YYYY.M.D and YYYY年M月D日, as office exports write them. */
int util_date_parse_loose(const char *s, lx_day *out);
void util_date_format(lx_day d, char out[LX_DATE_LEN]);
lx_day util_days_from_civil(int y, int m, int d);
void util_civil_from_days(lx_day z, int *y, int *m, int *d);
/* 1 = Monday ... 7 = Sunday. */
int util_weekday(lx_day d);

/* Current unix time in seconds and in microseconds (CLOCK_REALTIME). */
int64_t util_now(void);
int64_t util_now_us(void);
/* Monotonic milliseconds, for timeouts. */
int64_t util_mono_ms(void);
/* The calendar date in Asia/Shanghai (UTC+8, no daylight saving since 1991). */
lx_day util_day_shanghai(int64_t unix_secs);
/* "2026-11-22 14:05:09" in Asia/Shanghai. */
void util_time_format(int64_t unix_secs, char out[20]);

/* Reads a whole file into a NUL-terminated buffer the caller frees.
 * Returns NULL (errno set) on failure. */
char *util_read_file(const char *path, size_t *len_out);
/* Writes data to path through a temp file, fsync and rename, with mode.
 * Returns 0, or -1 with errno set and nothing changed. */
int util_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* mkdir -p with mode.  Returns 0, or -1 with errno set. */
int util_mkdir_p(const char *path, mode_t mode);
/* Returns 0 when a secret file is readable by its owner only, or -1 after
 * logging why (world- or group-readable, missing). */
int util_check_secret_mode(const char *path);
/* Joins dir and name into out (dir ignored when name is absolute).
 * Returns 0, or -1 when it does not fit. */
int util_path_join(char *out, size_t outlen, const char *dir, const char *name);
/* The directory part of path into out ("." when none). */
void util_dirname(char *out, size_t outlen, const char *path);

void util_hex(char *out, const uint8_t *in, size_t len);
int util_unhex(uint8_t *out, size_t outlen, const char *hex);

struct cJSON;
/* Prints j as one line of JSON on stdout and frees it. */
void util_print_json(struct cJSON *j);

/* Terminal columns of a UTF-8 string: East Asian wide characters count 2. */
int util_display_width(const char *s);
/* Prints s to f padded with spaces to width columns. */
void util_print_padded(FILE *f, const char *s, int width);

/* True when s is valid UTF-8 of at most len bytes. */
int util_utf8_valid(const char *s, size_t len);

#endif
