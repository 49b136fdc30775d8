/* progress.h — how far the reading of one export has got: a bar on a
 * terminal, a plain line every 10 % otherwise; quiet for small files. */
#ifndef LX_PROGRESS_H
#define LX_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* A plain value: zero it, set quiet, hand it to the functions below. */
struct progress {
    int quiet;              /* never show anything (-q, --json) */
    int shown, tty, step;
    int64_t start_ms;
};

/* Shows that done of total (bytes, records: any unit) have been read, with
 * the filings and rejected rows so far; only when the step changed. */
void progress_update(struct progress *p, size_t done, size_t total, long filed, long rejected);
/* Clears the bar and says how long the reading took, when anything was shown. */
void progress_done(struct progress *p);

#endif
