/* log.c — leveled logging to stderr, one line per event. */
#include "log.h"
#include "text.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

static const char *log_prog = "lianxi";
static int log_level = LOG_LVL_INFO;
/* The C locale, for the system's words for an error; made by log_init,
 * before any thread starts. */
static locale_t c_locale;

void
log_init(const char *progname, int level)
{
    const char *env = getenv("LIANXI_LOG");

    log_prog = progname;
    log_level = level;
    if (!c_locale)
        c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (env && strcmp(env, "debug") == 0)
        log_level = LOG_LVL_DEBUG;
}

void
log_verbose(void)
{
    if (log_level < LOG_LVL_DEBUG)
        log_level++;
}

const char *
log_strerror(int errnum)
{
    return c_locale ? strerror_l(errnum, c_locale) : strerror(errnum);
}

static void log_emit(int level, const char *tag, int errnum, const char *fmt, va_list ap)
    LX_PRINTF(4, 0);

static void
log_emit(int level, const char *tag, int errnum, const char *fmt, va_list ap)
{
    /* The message, then the line: each byte of it may become a 4-byte escape. */
    char msg[2048], line[4 * sizeof msg + 64];
    struct timespec ts;
    struct tm tm;
    int n;

    if (level > log_level)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02dZ %s[%s]: ",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec, log_prog, tag);
    if (n < 0 || (size_t)n >= sizeof line)
        n = 0;
    /* Text from peers is in the message: a newline or an escape sequence in
     * it must not forge a line of its own or reach the operator's terminal. */
    vsnprintf(msg, sizeof msg, fmt, ap);
    text_escape(line + n, sizeof line - (size_t)n, msg, strlen(msg));
    /* The system's words for an error stay the C locale's whatever the
     * language of messages: they are what the README lists and what one
     * searches for.  (The C locale cannot fail to be made.) */
    if (errnum)
        fprintf(stderr, "%s: %s\n", line, log_strerror(errnum));
    else
        fprintf(stderr, "%s\n", line);
}

#define LOG_BODY(level, tag, errnum) \
    do { \
        va_list ap; \
        va_start(ap, fmt); \
        log_emit(level, tag, errnum, fmt, ap); \
        va_end(ap); \
    } while (0)

void log_warn(const char *fmt, ...) { int e = errno; LOG_BODY(LOG_LVL_WARN, "warn", e); }
void log_warnx(const char *fmt, ...) { LOG_BODY(LOG_LVL_WARN, "warn", 0); }
void log_info(const char *fmt, ...) { LOG_BODY(LOG_LVL_INFO, "info", 0); }
void log_debug(const char *fmt, ...) { LOG_BODY(LOG_LVL_DEBUG, "debug", 0); }

void
fatal(const char *fmt, ...)
{
    int e = errno;
    LOG_BODY(LOG_LVL_ERROR, "fatal", e);
    exit(EX_SOFTWARE);
}

void
fatalx(const char *fmt, ...)
{
    LOG_BODY(LOG_LVL_ERROR, "fatal", 0);
    exit(EX_SOFTWARE);
}
