/* clock.h — the wall clock, which tests and the demo may set (the test
 * clocks below), and the monotonic clock for timeouts. */
#ifndef LX_CLOCK_H
#define LX_CLOCK_H

#include <stdint.h>

/* Current unix time in seconds and in microseconds: CLOCK_REALTIME, unless
 * a test clock is set in the environment (tests and the demo only):
 *
 *   LIANXI_FAKE_CLOCK=FILE  one clock shared by every process that reads
 *       FILE.  It holds "FAKE [REAL]": the fake unix time FAKE (seconds)
 *       held at the real unix time REAL (seconds, a fraction allowed; the
 *       file's modification time when REAL is missing).  The clock runs on
 *       at normal speed from there.  Each process reads FILE each time it
 *       asks the time, so whoever drives the test moves every process's
 *       clock at once by writing a new FILE (write another name, rename it
 *       over).  The clock never goes back within a process: moved back, it
 *       stays where it was until the new time catches up.  While FILE
 *       cannot be read, the last time read from it goes on (the real time
 *       before any).
 *   LIANXI_FAKE_NOW=SECONDS  the clock starts at SECONDS when the program
 *       starts and runs on normally (each process from its own start).
 *
 * LIANXI_FAKE_CLOCK wins when both are set. */
int64_t clock_now(void);
int64_t clock_now_us(void);
/* 1 when the clock is the shared test clock (LIANXI_FAKE_CLOCK), which
 * moves in steps: a program that does something once a day looks at it
 * often.  0 otherwise. */
int clock_stepped(void);
/* Reads the environment again and forgets what the clock has shown
 * (tests of the clock only). */
void clock_reset(void);
/* Monotonic milliseconds, for timeouts. */
int64_t clock_mono_ms(void);

#endif
