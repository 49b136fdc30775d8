/* watch.h — the drop folder: noticing exports that arrive, leaving alone
 * those still being written, and moving each one taken to done/ or
 * rejected/. */
#ifndef LX_WATCH_H
#define LX_WATCH_H

typedef struct watch watch_t;

/* What became of a file handed to a watch_take_fn. */
enum watch_taken {
    WATCH_DONE = 0,         /* filed: moved to done/ */
    WATCH_REJECTED = 1,     /* not readable at all: moved to rejected/ */
    WATCH_LEFT = -1,        /* not taken (left in drop/): stop scanning */
};

/* Called for each finished file in the drop folder, path in it. */
typedef enum watch_taken (watch_take_fn)(void *arg, const char *path);

/* Watches drop_dir (the three folders must exist).  The strings are
 * copied.  Returns NULL after logging. */
watch_t *watch_new(const char *drop_dir, const char *done_dir, const char *rejected_dir);
void watch_destroy(watch_t **self_p);

/* Called after each file taken is moved: from its path in drop/ to dest
 * (in done/, or in rejected/ when rejected is 1). */
typedef void (watch_moved_fn)(void *arg, const char *path, const char *dest, int rejected);
void watch_on_moved(watch_t *self, watch_moved_fn *fn, void *arg);

/* A file descriptor that becomes readable when something arrives in the
 * drop folder (for poll). */
int watch_fd(const watch_t *self);

/* Hands each finished file in the drop folder to take, in no set order,
 * and moves it as take says: under its own name, or, when done/ (or
 * rejected/) has that name already, as Windows names a copy ("NAME (2).csv",
 * then (3) …).  Hidden and temporary names (.x, x~, x.tmp,
 * x.part) and files still open for writing are left for later.  Reads
 * what arrived on watch_fd.  Returns 1 when some file was left because it
 * is still being written (scan again soon), 0 when every file was taken,
 * -1 when take left one. */
int watch_scan(watch_t *self, watch_take_fn *take, void *arg);

#endif
