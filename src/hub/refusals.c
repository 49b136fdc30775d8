/* refusals.c — per-key windows of rejections (see refusals.h). */
#include "refusals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct window {
    char user_id[128];
    int64_t since;          /* the start of the key's current minute */
    long counted;           /* rejections in it not recorded on their own */
};

struct refusals {
    struct window *w;
    size_t n, cap;
};

refusals_t *
refusals_new(void)
{
    return calloc(1, sizeof(refusals_t));
}

void
refusals_destroy(refusals_t **self_p)
{
    if (!*self_p)
        return;
    free((*self_p)->w);
    free(*self_p);
    *self_p = NULL;
}

static struct window *
find(refusals_t *self, const char *user_id)
{
    for (size_t i = 0; i < self->n; i++)
        if (strcmp(self->w[i].user_id, user_id) == 0)
            return &self->w[i];
    if (self->n == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 16;
        struct window *w = realloc(self->w, cap * sizeof *w);
        if (!w)
            return NULL;
        self->w = w;
        self->cap = cap;
    }
    memset(&self->w[self->n], 0, sizeof self->w[self->n]);
    snprintf(self->w[self->n].user_id, sizeof self->w[self->n].user_id, "%s", user_id);
    self->w[self->n].since = INT64_MIN;
    return &self->w[self->n++];
}

int
refusals_note(refusals_t *self, const char *user_id, int64_t now)
{
    struct window *w = find(self, user_id);

    if (!w)
        return 1;               /* out of memory: record it on its own */
    if (w->counted || (w->since != INT64_MIN && now - w->since < REFUSALS_WINDOW_S)) {
        /* Within the minute, or its summary is still due: counted there. */
        w->counted++;
        return 0;
    }
    w->since = now;
    return 1;
}

int
refusals_flush(refusals_t *self, int64_t now, int all, refusals_fn *fn, void *arg)
{
    for (size_t i = 0; i < self->n; i++) {
        struct window *w = &self->w[i];
        if (!w->counted || (!all && now - w->since < REFUSALS_WINDOW_S))
            continue;
        if (fn(arg, w->user_id, w->counted, w->since) < 0)
            return -1;
    }
    return 0;
}

void
refusals_clear(refusals_t *self, int64_t now, int all)
{
    for (size_t i = 0; i < self->n; i++) {
        struct window *w = &self->w[i];
        if (!w->counted || (!all && now - w->since < REFUSALS_WINDOW_S))
            continue;
        w->counted = 0;
        w->since = INT64_MIN;
    }
}

int
refusals_pending(const refusals_t *self)
{
    for (size_t i = 0; i < self->n; i++)
        if (self->w[i].counted)
            return 1;
    return 0;
}
