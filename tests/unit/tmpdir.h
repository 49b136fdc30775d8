/* tmpdir.h — a temp directory with one file path in it, for cmocka
 * setup/teardown in unit tests. */
#ifndef LX_TEST_TMPDIR_H
#define LX_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct tmp {
    char dir[64];
    char path[128];
};

/* Makes /tmp/lx-test-TAG-XXXXXX and sets path to FILE inside it. */
static inline int
tmp_make(void **state, const char *tag, const char *file)
{
    struct tmp *t = calloc(1, sizeof *t);

    if (!t)
        return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/lx-test-%s-XXXXXX", tag);
    if (!mkdtemp(t->dir)) {
        free(t);
        return -1;
    }
    snprintf(t->path, sizeof t->path, "%s/%s", t->dir, file);
    *state = t;
    return 0;
}

/* Removes the file and the directory. */
static inline int
tmp_teardown(void **state)
{
    struct tmp *t = *state;

    unlink(t->path);
    rmdir(t->dir);
    free(t);
    return 0;
}

#endif
