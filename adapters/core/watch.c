/* watch.c — the drop folder, on inotify, with read leases for files still
 * being copied in. */
#include "watch.h"
#include "attachment.h"
#include "winfile.h"
#include "i18n.h"
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
#include <time.h>
#include <unistd.h>

struct watch {
    int fd;
    char drop_dir[PATH_MAX], done_dir[PATH_MAX], rejected_dir[PATH_MAX];
    watch_moved_fn *moved;
    void *moved_arg;
};

void
watch_on_moved(watch_t *self, watch_moved_fn *fn, void *arg)
{
    self->moved = fn;
    self->moved_arg = arg;
}

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
        log_warn(_("cannot watch %s"), drop_dir);
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
    } else if (fstat(fd, &st) == 0 && time(NULL) - st.st_mtime < 2) {
        /* The file's time is the real one, whatever the test clock says. */
        busy = 1;
    }
    close(fd);
    return busy;
}

/* Moves path into dir under its name, or the first "NAME (N).EXT" free
 * there (a clerk exports under the same name every month).  Returns 0
 * with the new path in dest, or -1. */
static int
move_to(const char *path, const char *dir, char *dest, size_t len)
{
    char name[NAME_MAX + 32], *copy = strdup(path), *base;
    int rc = -1;

    if (!copy)
        return -1;
    base = basename(copy);
    if (winfile_unique_name(dir, base, name, sizeof name) == 0 &&
        (size_t)snprintf(dest, len, "%s/%s", dir, name) < len) {
        /* Not over a file that arrived meanwhile. */
        if (renameat2(AT_FDCWD, path, AT_FDCWD, dest, RENAME_NOREPLACE) == 0)
            rc = 0;
        else if (errno == EINVAL || errno == ENOSYS)
            rc = rename(path, dest);
    }
    if (rc < 0)
        log_warn(_("cannot move %s to %s"), path, dir);
    free(copy);
    return rc;
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
        log_warn(_("drop folder %s"), self->drop_dir);
        return 1;
    }
    while ((e = readdir(d))) {
        char path[PATH_MAX];
        struct stat st;
        enum watch_taken taken;

        /* Documents an export names (附件) wait beside it: never an export. */
        if (on_its_way(e->d_name) || att_type_for_name(e->d_name))
            continue;
        snprintf(path, sizeof path, "%s/%s", self->drop_dir, e->d_name);
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
            continue;
        if (being_written(path)) {
            again = 1;
            continue;
        }
        log_info(_("taking %s"), e->d_name);
        taken = take(arg, path);
        if (taken == WATCH_LEFT) {
            again = -1;
            break;
        }
        {
            char dest[PATH_MAX];
            if (move_to(path, taken == WATCH_REJECTED ? self->rejected_dir : self->done_dir,
                        dest, sizeof dest) == 0 && self->moved)
                self->moved(self->moved_arg, path, dest, taken == WATCH_REJECTED);
        }
    }
    closedir(d);
    return again;
}
