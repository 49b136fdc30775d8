/* log.h — one logging module: levels, printf checking, stderr. */
#ifndef LX_LOG_H
#define LX_LOG_H

#include <stdarg.h>
#include <stdnoreturn.h>

enum { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

#define LX_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Sets the program name shown on each line and the most verbose level shown. */
void log_init(const char *progname, int level);
/* Raises the level by one (each -v). */
void log_verbose(void);

/* log_warn appends strerror(errno); log_warnx does not.  Each call writes
 * one line: controls and bytes that are not UTF-8 in the formatted message
 * are escaped (text_escape: a newline as \n, ESC as \x1b). */
void log_warn(const char *fmt, ...) LX_PRINTF(1, 2);
/* The C locale's words for errnum ("Permission denied"), whatever the
 * language of messages: what the hub's log says (log_warn uses it). */
const char *log_strerror(int errnum);
void log_warnx(const char *fmt, ...) LX_PRINTF(1, 2);
void log_info(const char *fmt, ...) LX_PRINTF(1, 2);
void log_debug(const char *fmt, ...) LX_PRINTF(1, 2);
/* For states that must not happen: logs and exits with EX_SOFTWARE. */
noreturn void fatal(const char *fmt, ...) LX_PRINTF(1, 2);
noreturn void fatalx(const char *fmt, ...) LX_PRINTF(1, 2);

#endif
