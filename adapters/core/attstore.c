/* attstore.c — the adapter's content-addressed copies of its documents. */
#include "attstore.h"
#include "files.h"
#include "i18n.h"
#include "log.h"
#include "reasons.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
attstore_dir(const char *outbox_path, char *out, size_t len)
{
    char dir[PATH_MAX];

    files_dirname(dir, sizeof dir, outbox_path);
    snprintf(out, len, "%s/attachments", dir);
}

void
attstore_path(const char *dir, const uint8_t hash[ATT_HASHLEN], char *out, size_t len)
{
    char hex[ATT_HEXLEN + 1];

    att_hex(hash, hex);
    snprintf(out, len, "%s/%s", dir, hex);
}

/* The sentence of a reason (reasons.c) into why. */
static int
said(char *why, size_t whylen, const char *key, size_t nargs, const char *a1, const char *a2,
     const char *a3)
{
    struct reason r;

    reasons_set(&r, key, nargs, a1, a2, a3);
    if (reasons_render(&r, why, whylen) < 0)
        snprintf(why, whylen, "%s", key);
    return -1;
}

static int
sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* Copies the open file in into dir under its hash, hashing as it goes:
 * written to a temporary name, synced, checked, renamed, the directory
 * synced.  Returns 0, or -1 with errno set (ESTALE: it changed while
 * read). */
static int
copy_in(const char *dir, int in, uint64_t size, uint8_t hash[ATT_HASHLEN])
{
    char tmp[PATH_MAX + 64], path[PATH_MAX + 80];
    crypto_generichash_state hs;
    uint8_t buf[65536];
    uint64_t total = 0;
    int out, e;

    if (files_mkdir_p(dir, 0700) < 0)
        return -1;
    snprintf(tmp, sizeof tmp, "%s/.tmp.%ld.%u", dir, (long)getpid(), randombytes_random());
    if ((out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
        return -1;
    crypto_generichash_init(&hs, NULL, 0, ATT_HASHLEN);
    for (;;) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            goto err;
        if (r == 0)
            break;
        crypto_generichash_update(&hs, buf, (size_t)r);
        for (ssize_t done = 0; done < r;) {
            ssize_t w = write(out, buf + done, (size_t)(r - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                goto err;
            done += w;
        }
        total += (uint64_t)r;
    }
    crypto_generichash_final(&hs, hash, ATT_HASHLEN);
    if (total != size) {
        errno = ESTALE;
        goto err;
    }
    if (fsync(out) < 0)
        goto err;
    close(out);
    attstore_path(dir, hash, path, sizeof path);
    if (access(path, F_OK) == 0) {
        unlink(tmp);            /* the same content is kept already */
        return 0;
    }
    if (rename(tmp, path) < 0 || sync_dir(dir) < 0) {
        e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    return 0;
err:
    e = errno;
    close(out);
    unlink(tmp);
    errno = e;
    return -1;
}

int
attstore_take(const char *dir, const char *src, const struct att_limits *lim,
              struct attstore_file *out, char *why, size_t whylen)
{
    const char *base = strrchr(src, '/');
    char size_s[24], max_s[24];
    uint8_t head[16];
    struct stat sb;
    ssize_t h;
    int fd;

    base = base ? base + 1 : src;
    memset(out, 0, sizeof *out);
    if (!att_name_ok(base))
        return said(why, whylen, "attachment.name", 0, NULL, NULL, NULL);
    snprintf(out->name, sizeof out->name, "%s", base);
    if (!(out->media = att_type_for_name(base)))
        return said(why, whylen, "attachment.type", 2, base, att_type_list(), NULL);
    if ((fd = open(src, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
        snprintf(why, whylen, errno == ENOENT
                 ? _("the attachment '%s' is not in the export's folder: copy it there (beside "
                     "the export) and export again")
                 : _("the attachment '%s' cannot be read (%s): check the file and export again"),
                 base, log_strerror(errno));
        return -1;
    }
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        snprintf(why, whylen, _("the attachment '%s' is not a file"), base);
        return -1;
    }
    out->size = (uint64_t)sb.st_size;
    snprintf(size_s, sizeof size_s, "%llu", (unsigned long long)out->size);
    snprintf(max_s, sizeof max_s, "%llu", (unsigned long long)lim->max_each);
    if (out->size == 0) {
        close(fd);
        return said(why, whylen, "attachment.empty", 1, base, NULL, NULL);
    }
    if (out->size > lim->max_each) {
        close(fd);
        return said(why, whylen, "attachment.size", 3, base, size_s, max_s);
    }
    do
        h = pread(fd, head, sizeof head, 0);
    while (h < 0 && errno == EINTR);
    if (h < 0 || !att_sniff(out->media, head, (size_t)h)) {
        close(fd);
        if (h < 0) {
            snprintf(why, whylen, _("the attachment '%s' cannot be read (%s): check the file "
                     "and export again"), base, log_strerror(errno));
            return -1;
        }
        return said(why, whylen, "attachment.content", 2, base, att_type_label(out->media),
                    NULL);
    }
    if (dir ? copy_in(dir, fd, out->size, out->hash) < 0
            : att_hash_fd(fd, out->hash, &out->size) < 0) {
        int e = errno;
        close(fd);
        if (e == ESTALE)
            snprintf(why, whylen, _("the attachment '%s' changed while it was read: export "
                     "again when it is saved"), base);
        else
            snprintf(why, whylen, _("the attachment '%s' could not be kept in %s (%s): free "
                     "space on the adapter machine and export again"), base, dir ? dir : "-",
                     log_strerror(e));
        return -1;
    }
    close(fd);
    return 0;
}

long
attstore_read(const char *dir, const uint8_t hash[ATT_HASHLEN], uint64_t offset, void *buf,
              size_t len)
{
    char path[PATH_MAX + 80];
    ssize_t n;
    int fd, e;

    attstore_path(dir, hash, path, sizeof path);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    do
        n = pread(fd, buf, len, (off_t)offset);
    while (n < 0 && errno == EINTR);
    e = errno;
    close(fd);
    errno = e;
    return n < 0 ? -1 : (long)n;
}
