/* vpool.h — a small fixed pool of threads that runs one batch at a time. */
#ifndef LX_VPOOL_H
#define LX_VPOOL_H

#include <stddef.h>

typedef struct vpool vpool_t;
typedef void (vpool_fn)(void *arg, size_t i);

/* Starts nthreads helper threads (0 is allowed: the caller does all the
 * work).  Returns NULL on failure. */
vpool_t *vpool_new(int nthreads);
/* Stops and joins the threads; accepts NULL and clears the pointer. */
void vpool_destroy(vpool_t **self_p);
/* Calls fn(arg, i) for every i in [0, n), spread over the helper threads
 * and the calling thread, and returns when all calls have returned. */
void vpool_run(vpool_t *self, vpool_fn *fn, void *arg, size_t n);

/* Starts fn(arg, i) for every i in [0, n) on the helper threads and
 * returns at once; vpool_wait (the caller helping) returns when all are
 * done.  With no helper threads, vpool_wait does all the work. */
void vpool_start(vpool_t *self, vpool_fn *fn, void *arg, size_t n);
void vpool_wait(vpool_t *self);

#endif
