/* files.c — reading files, durable writes (temp, fsync, rename), directories, secret modes. */
#include "files.h"
#include "i18n.h"
#include "log.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdatomic.h>
#include <unistd.h>

char *
files_read(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;

    if (!f)
        return NULL;
    for (;;) {
        if (cap - len < 4096) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, ncap + 1);
            if (!nb)
                goto err;
            buf = nb;
            cap = ncap;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                goto err;
            break;
        }
    }
    fclose(f);
    if (!buf && !(buf = malloc(1)))
        return NULL;
    buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
err:
    free(buf);
    fclose(f);
    return NULL;
}

int
files_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
    char tmp[PATH_MAX];
    int fd, saved;
    const char *p = data;

    static atomic_uint serial;

    if (snprintf(tmp, sizeof tmp, "%s.tmp.%d.%u", path, (int)getpid(),
                 atomic_fetch_add(&serial, 1)) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    if (fchmod(fd, mode) < 0)
        goto err;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            goto err;
        }
        p += n;
        len -= (size_t)n;
    }
    if (fsync(fd) < 0)
        goto err;
    if (close(fd) < 0) {
        fd = -1;
        goto err;
    }
    fd = -1;
    if (rename(tmp, path) < 0)
        goto err;
    /* The rename itself is durable once the directory is synced. */
    {
        char dir[PATH_MAX];
        int dfd;
        files_dirname(dir, sizeof dir, path);
        if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    return 0;
err:
    saved = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    errno = saved;
    return -1;
}

int
files_mkdir_p(const char *path, mode_t mode)
{
    char buf[PATH_MAX];
    size_t len = strlen(path);

    if (len == 0 || len >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, mode) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, mode) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

int
files_check_secret(const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0) {
        log_warn("secret key %s", path);
        return -1;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        log_warnx(_("secret key %s is readable by others (mode %03o): run chmod 600 %s"), path,
                  (unsigned)(st.st_mode & 0777), path);
        return -1;
    }
    return 0;
}

int
files_join(char *out, size_t outlen, const char *dir, const char *name)
{
    int n;

    if (name[0] == '/' || !dir || !dir[0])
        n = snprintf(out, outlen, "%s", name);
    else
        n = snprintf(out, outlen, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

void
files_dirname(char *out, size_t outlen, const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash) {
        snprintf(out, outlen, ".");
        return;
    }
    if (slash == path) {
        snprintf(out, outlen, "/");
        return;
    }
    snprintf(out, outlen, "%.*s", (int)(slash - path), path);
}

