/* vpool.c — run the items of one batch on all cores (signature checks). */
#include "vpool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct vpool {
    pthread_t *threads;
    int nthreads;
    pthread_mutex_t lock;
    pthread_cond_t start, done;
    unsigned long generation;
    int busy;               /* helper threads still in the current batch */
    int stop;
    vpool_fn *fn;
    void *arg;
    size_t n;
    atomic_size_t next;
};

static void
drain(vpool_t *self)
{
    size_t i;

    while ((i = atomic_fetch_add(&self->next, 1)) < self->n)
        self->fn(self->arg, i);
}

static void *
worker(void *p)
{
    vpool_t *self = p;
    unsigned long seen = 0;

    pthread_mutex_lock(&self->lock);
    for (;;) {
        while (!self->stop && self->generation == seen)
            pthread_cond_wait(&self->start, &self->lock);
        if (self->stop)
            break;
        seen = self->generation;
        pthread_mutex_unlock(&self->lock);
        drain(self);
        pthread_mutex_lock(&self->lock);
        if (--self->busy == 0)
            pthread_cond_signal(&self->done);
    }
    pthread_mutex_unlock(&self->lock);
    return NULL;
}

vpool_t *
vpool_new(int nthreads)
{
    vpool_t *self = calloc(1, sizeof *self);

    if (!self)
        return NULL;
    pthread_mutex_init(&self->lock, NULL);
    pthread_cond_init(&self->start, NULL);
    pthread_cond_init(&self->done, NULL);
    if (nthreads > 0 && !(self->threads = calloc((size_t)nthreads, sizeof(pthread_t)))) {
        free(self);
        return NULL;
    }
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&self->threads[i], NULL, worker, self) != 0)
            break;
        self->nthreads++;
    }
    return self;
}

void
vpool_destroy(vpool_t **self_p)
{
    vpool_t *self = *self_p;

    if (!self)
        return;
    pthread_mutex_lock(&self->lock);
    self->stop = 1;
    pthread_cond_broadcast(&self->start);
    pthread_mutex_unlock(&self->lock);
    for (int i = 0; i < self->nthreads; i++)
        pthread_join(self->threads[i], NULL);
    pthread_mutex_destroy(&self->lock);
    pthread_cond_destroy(&self->start);
    pthread_cond_destroy(&self->done);
    free(self->threads);
    free(self);
    *self_p = NULL;
}

void
vpool_start(vpool_t *self, vpool_fn *fn, void *arg, size_t n)
{
    pthread_mutex_lock(&self->lock);
    self->fn = fn;
    self->arg = arg;
    self->n = n;
    atomic_store(&self->next, 0);
    if (self->nthreads > 0) {
        self->busy = self->nthreads;
        self->generation++;
        pthread_cond_broadcast(&self->start);
    }
    pthread_mutex_unlock(&self->lock);
}

void
vpool_wait(vpool_t *self)
{
    if (self->n == 0)
        return;
    drain(self);
    pthread_mutex_lock(&self->lock);
    while (self->busy > 0)
        pthread_cond_wait(&self->done, &self->lock);
    self->n = 0;
    pthread_mutex_unlock(&self->lock);
}

void
vpool_run(vpool_t *self, vpool_fn *fn, void *arg, size_t n)
{
    vpool_start(self, fn, arg, n);
    vpool_wait(self);
}
