/* watch.c — the drop folder, on inotify, with read leases for files still
 * being copied in. */
#include "watch.h"
#include "clock.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

struct watch {
    int fd;
    char drop_dir[PATH_MAX], done_dir[PATH_MAX], rejected_dir[PATH_MAX];
};

watch_t *
watch_new(const char *drop_dir, const char *done_dir, const char *rejected_dir)
{
    watch_t *self = calloc(1, sizeof *self);

    if (!self)
        return NULL;
    self->fd = -1;
    snprintf(self->drop_dir, sizeof self->drop_dir, "%s", drop_dir);
    snprintf(self->done_dir, sizeof self->done_dir, "%s", done_dir);
    snprintf(self->rejected_dir, sizeof self->rejected_dir, "%s", rejected_dir);
    if ((self->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0 ||
        inotify_add_watch(self->fd, drop_dir, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
        log_warn("cannot watch %s", drop_dir);
        goto err;
    }
    return self;
err:
    watch_destroy(&self);
    return NULL;
}

void
watch_destroy(watch_t **self_p)
{
    watch_t *self = *self_p;

    if (!self)
        return;
    if (self->fd >= 0)
        close(self->fd);
    free(self);
    *self_p = NULL;
}

int
watch_fd(const watch_t *self)
{
    return self->fd;
}

/* 1 when another process still has path open for writing (a copy in
 * progress), else 0.  Uses a read lease; where leases are not allowed, a
 * file changed within the last two seconds counts as being written. */
static int
being_written(const char *path)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), busy = 0;

    if (fd < 0)
        return 1;
    if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
        fcntl(fd, F_SETLEASE, F_UNLCK);
    } else if (errno == EAGAIN || errno == EBUSY) {
        busy = 1;
    } else if (fstat(fd, &st) == 0 && clock_now() - st.st_mtime < 2) {
        busy = 1;
    }
    close(fd);
    return busy;
}

static void
move_to(const char *path, const char *dir)
{
    char dest[PATH_MAX], *copy = strdup(path), *base;
    struct stat st;

    if (!copy)
        return;
    base = basename(copy);
    snprintf(dest, sizeof dest, "%s/%s", dir, base);
    if (stat(dest, &st) == 0)
        snprintf(dest, sizeof dest, "%s/%s.%lld", dir, base, (long long)clock_now_us());
    if (rename(path, dest) < 0)
        log_warn("cannot move %s to %s", path, dir);
    free(copy);
}

/* 1 for hidden and temporary names: files still on their way. */
static int
on_its_way(const char *name)
{
    size_t n = strlen(name);

    return name[0] == '.' || name[n - 1] == '~' ||
           (n > 4 && strcmp(name + n - 4, ".tmp") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".part") == 0);
}

int
watch_scan(watch_t *self, watch_take_fn *take, void *arg)
{
    char buf[4096];
    DIR *d;
    struct dirent *e;
    int again = 0;

    while (read(self->fd, buf, sizeof buf) > 0)
        ;
    if (!(d = opendir(self->drop_dir))) {
        log_warn("drop folder %s", self->drop_dir);
        return 1;
    }
    while ((e = readdir(d))) {
        char path[PATH_MAX];
        struct stat st;
        enum watch_taken taken;

        if (on_its_way(e->d_name))
            continue;
        snprintf(path, sizeof path, "%s/%s", self->drop_dir, e->d_name);
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
            continue;
        if (being_written(path)) {
            again = 1;
            continue;
        }
        log_info("taking %s", e->d_name);
        taken = take(arg, path);
        if (taken == WATCH_LEFT) {
            again = -1;
            break;
        }
        move_to(path, taken == WATCH_REJECTED ? self->rejected_dir : self->done_dir);
    }
    closedir(d);
    return again;
}
