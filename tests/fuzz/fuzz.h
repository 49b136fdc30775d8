/* fuzz.h — what every libFuzzer target of tests/fuzz shares: the entry
 * points' prototypes, a private temp directory (removed at exit, the only
 * place a target writes), and writing an input into a file there.
 *
 * Built only by `make fuzz` (see the Makefile's fuzz section). */
#ifndef LX_FUZZ_H
#define LX_FUZZ_H

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A fixed "now" (2026-11-29 04:00 Asia/Shanghai): a target's answers do not
 * depend on the day it runs. */
#define FUZZ_NOW ((int64_t)1795896000)

static char fuzz_dir[256];

/* Removes the files of the temp directory (one level, and one level of
 * subdirectories: what the targets make) and the directory. */
static inline void
fuzz_rm_tree(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];

    if (d) {
        while ((e = readdir(d))) {
            struct stat st;
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth < 3)
                fuzz_rm_tree(p, depth + 1);
            else
                unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static inline void
fuzz_cleanup(void)
{
    if (fuzz_dir[0])
        fuzz_rm_tree(fuzz_dir, 0);
}

/* Makes the target's temp directory (in /dev/shm when there is one, so a
 * database's fsync costs nothing; else $TMPDIR or /tmp), quiets the
 * project's logging (a fuzzer makes every warning there is), and returns
 * the directory. */
static inline const char *
fuzz_setup(const char *tag)
{
    const char *base = getenv("TMPDIR");
    struct stat st;

    if (fuzz_dir[0])
        return fuzz_dir;
    if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
        base = "/dev/shm";
    else if (!base || !*base)
        base = "/tmp";
    /* A target that crashed left its directory (no atexit after a
     * crash): those of processes gone are removed now. */
    {
        char prefix[64], p[512];
        DIR *d = opendir(base);
        struct dirent *e;
        int n = snprintf(prefix, sizeof prefix, "lx-fuzz-%s-", tag);
        while (d && (e = readdir(d))) {
            long pid;
            if (strncmp(e->d_name, prefix, (size_t)n) != 0 ||
                sscanf(e->d_name + n, "%ld-", &pid) != 1 || pid <= 0 ||
                kill((pid_t)pid, 0) == 0 || errno != ESRCH)
                continue;
            snprintf(p, sizeof p, "%s/%s", base, e->d_name);
            fuzz_rm_tree(p, 0);
        }
        if (d)
            closedir(d);
    }
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/lx-fuzz-%s-%ld-XXXXXX", base, tag, (long)getpid());
    if (!mkdtemp(fuzz_dir)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    atexit(fuzz_cleanup);
    log_init(tag, getenv("FUZZ_VERBOSE") ? LOG_LVL_DEBUG : -1);
    return fuzz_dir;
}

/* Writes data to name in the temp directory (mode 0600) and puts its path
 * in path.  Aborts when it cannot: the target would test nothing. */
static inline void
fuzz_write(const char *name, const void *data, size_t size, char *path, size_t pathlen)
{
    int fd;

    snprintf(path, pathlen, "%s/%s", fuzz_dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) < 0) {
        perror(path);
        abort();
    }
}

#endif
