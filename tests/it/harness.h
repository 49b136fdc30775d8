/* harness.h — integration tests: a county in a temp dir, the real binaries
 * started on loopback, waits on events (pipes, pidfds) with timeouts. */
#ifndef LX_HARNESS_H
#define LX_HARNESS_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

struct county {
    char dir[PATH_MAX];
    char bin[PATH_MAX];
    pid_t hub;
    char endpoint[256];
};

/* Makes a temp dir and runs `lianxi init` in it.  Returns 0, or -1. */
int county_init(struct county *c);
/* Stops what is running and removes the directory. */
void county_cleanup(struct county *c);
/* Starts the hub and waits (up to timeout_ms) for its ready line.  Returns 0, or -1. */
int hub_start(struct county *c, int timeout_ms);
/* SIGTERM and wait; returns the exit status, or -1. */
int hub_stop(struct county *c);
/* kill -9 and reap. */
void hub_kill9(struct county *c);

/* Starts argv[0] from the build directory with args; output to log.  Returns the pid. */
pid_t spawn(struct county *c, const char *log, const char *const argv[]);
/* Waits for pid to exit up to timeout_ms.  Returns its exit code, 128+signal,
 * or -1 on time-out. */
int wait_exit(pid_t pid, int timeout_ms);
/* Runs a SQL query returning one integer on db (relative to the county dir). */
long db_long(struct county *c, const char *db, const char *sql);
/* Waits until path exists, waking on changes in its directory.  Returns 0,
 * or -1 after timeout_ms. */
int wait_file(const char *path, int timeout_ms);
/* Waits until sql on db (relative to the county dir) gives at least n,
 * waking on every change in that directory (the WAL grows with each
 * commit).  Returns the last value seen. */
long wait_db(struct county *c, const char *db, const char *sql, long n, int timeout_ms);
/* Calls check until it says done (1), waking on the events of mask in dir.
 * Returns 0 when done, -1 after timeout_ms. */
int wait_in_dir(const char *dir, uint32_t mask, int (*check)(void *), void *arg,
                int timeout_ms);
/* 1 when the hub's log (hub.log in the county) holds needle; wait_log
 * waits for it, waking on every write, and returns 0, or -1 after
 * timeout_ms. */
int log_has(struct county *c, const char *needle);
int wait_log(struct county *c, const char *needle, int timeout_ms);
/* Runs argv (from the build directory) with output to log and waits up to
 * timeout_ms.  Returns its exit code as wait_exit. */
int run_prog(struct county *c, const char *log, const char *const argv[], int timeout_ms);
/* Unix seconds of a wall-clock time in Asia/Shanghai. */
long long shanghai_time(int y, int mo, int d, int h, int mi);
/* The path of a file in the county. */
const char *cpath(struct county *c, const char *rel);

/* Files one report of unit (its keys in the county) in category, case
 * case_ref, with the files paths[0..n) attached under names[0..n) (media
 * types by the names' extensions), as a client written from
 * proto/lianxi.proto alone would: the Filing signed (encoding v3), the
 * hub's AttachmentWant answered with AttachmentChunks from the offsets it
 * names, each chunk's answer awaited, then the Filing again byte for byte.
 * Returns 0 with the receipt number in receipt (24 bytes), or -1 after
 * printing why to stderr (each step waits at most timeout_ms). */
int raw_file_with_attachments(struct county *c, const char *unit, const char *category,
                              const char *case_ref, const char *const paths[],
                              const char *const names[], size_t n, char receipt[24],
                              int timeout_ms);

#endif
