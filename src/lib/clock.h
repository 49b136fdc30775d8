/* clock.h — the wall clock, which tests may pin (LIANXI_FAKE_NOW), and the
 * monotonic clock for timeouts. */
#ifndef LX_CLOCK_H
#define LX_CLOCK_H

#include <stdint.h>

/* Current unix time in seconds and in microseconds (CLOCK_REALTIME, moved
 * to LIANXI_FAKE_NOW at program start when that is set: tests only). */
int64_t clock_now(void);
int64_t clock_now_us(void);
/* Monotonic milliseconds, for timeouts. */
int64_t clock_mono_ms(void);

#endif
