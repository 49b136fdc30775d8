/* attach.c — attachments stored by content beside the database, and the
 * tables attachments, filing_attachments, opinion_attachments and
 * attachment_uploads. */
#include "attach.h"
#include "files.h"
#include "i18n.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

struct attach {
    store_t *db;
    char dir[PATH_MAX];
    /* The uploads held when the store was opened (partial/ names, "unit.hex"):
     * bytes written before a restart may have been lost to a power cut, so
     * each may be asked again once (attach_resumed_once). */
    char **resumed;
    size_t nresumed;
};

/* Remembers the uploads partial/ holds now. */
static void
note_resumed(attach_t *self, const char *partial)
{
    DIR *d = opendir(partial);
    struct dirent *e;

    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        char **p;
        if (e->d_name[0] == '.' || (n > 3 && strcmp(e->d_name + n - 3, ".ok") == 0))
            continue;
        if (!(p = realloc(self->resumed, (self->nresumed + 1) * sizeof *p)) ||
            !(p[self->nresumed] = strdup(e->d_name))) {
            if (p)
                self->resumed = p;
            break;      /* (forgotten: such an upload is refused when damaged) */
        }
        self->resumed = p;
        self->nresumed++;
    }
    if (d)
        closedir(d);
}

void
attach_default_dir(const char *dbpath, char *out, size_t len)
{
    char dir[PATH_MAX];

    files_dirname(dir, sizeof dir, dbpath);
    snprintf(out, len, "%s/attachments", dir);
}

int
attach_conf_dir(const conf_t *conf, const char *dbpath, char *out, size_t len)
{
    if (conf_get(conf, "attachments", "dir", NULL))
        return conf_path(conf, "attachments", "dir", NULL, out, len);
    attach_default_dir(dbpath, out, len);
    return 0;
}

attach_t *
attach_open(store_t *db, const char *dir)
{
    attach_t *self = calloc(1, sizeof *self);
    char partial[PATH_MAX + 16];

    if (!self)
        return NULL;
    self->db = db;
    snprintf(self->dir, sizeof self->dir, "%s", dir);
    snprintf(partial, sizeof partial, "%s/partial", dir);
    if (files_mkdir_p(partial, 0700) < 0) {
        log_warnx(_("cannot create the attachment store %s: %s"), partial,
                  log_strerror(errno));
        free(self);
        return NULL;
    }
    note_resumed(self, partial);
    return self;
}

void
attach_close(attach_t **self_p)
{
    attach_t *self = *self_p;

    if (!self)
        return;
    for (size_t i = 0; i < self->nresumed; i++)
        free(self->resumed[i]);
    free(self->resumed);
    free(self);
    *self_p = NULL;
}

const char *
attach_dir(const attach_t *self)
{
    return self->dir;
}

void
attach_path(const attach_t *self, const uint8_t hash[ATT_HASHLEN], char *out, size_t len)
{
    char hex[ATT_HEXLEN + 1];

    att_hex(hash, hex);
    snprintf(out, len, "%s/%.2s/%s", self->dir, hex, hex);
}

/* The bytes of unit's upload of hash: each unit's its own, so that what
 * one unit sends (or declares the size of) under a hash never touches
 * another's upload of the same hash. */
static void
partial_path(const attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN],
             char *out, size_t len)
{
    char hex[ATT_HEXLEN + 1];

    att_hex(hash, hex);
    if (!*unit || unit[0] == '.' || strchr(unit, '/'))
        unit = "_";         /* (a key's name never is: keys.c) */
    snprintf(out, len, "%s/partial/%s.%s", self->dir, unit, hex);
}

int
attach_resumed_once(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN])
{
    char path[PATH_MAX + 160];
    const char *name;

    partial_path(self, unit, hash, path, sizeof path);
    name = strrchr(path, '/') + 1;
    for (size_t i = 0; i < self->nresumed; i++)
        if (strcmp(self->resumed[i], name) == 0) {
            free(self->resumed[i]);
            self->resumed[i] = self->resumed[--self->nresumed];
            return 1;
        }
    return 0;
}

/* The mark that unit has sent the bytes of hash (checked) while its filing
 * is not stored yet (attach_possessed): an empty file beside its upload. */
static void
marker_path(const attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN],
            char *out, size_t len)
{
    char path[PATH_MAX + 160];

    partial_path(self, unit, hash, path, sizeof path);
    snprintf(out, len, "%s.ok", path);
}

static int
mark(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN])
{
    char path[PATH_MAX + 170];
    int fd;

    marker_path(self, unit, hash, path, sizeof path);
    if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0) {
        log_warnx(_("cannot write the attachment %s: %s"), path, log_strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

int
attach_have(attach_t *self, const uint8_t hash[ATT_HASHLEN])
{
    sqlite3_stmt *st = store_stmt(self->db, "SELECT 1 FROM attachments WHERE hash = ?1");
    char path[PATH_MAX + 80];
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, ATT_HASHLEN, SQLITE_STATIC);
    rc = sqlite3_step(st);
    store_done(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : -1;
    attach_path(self, hash, path, sizeof path);
    return access(path, R_OK) == 0;
}

int
attach_stored_type(attach_t *self, const uint8_t hash[ATT_HASHLEN], char *media, size_t len)
{
    sqlite3_stmt *st = store_stmt(self->db, "SELECT media_type FROM attachments WHERE hash = ?1");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, ATT_HASHLEN, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        snprintf(media, len, "%s", (const char *)sqlite3_column_text(st, 0));
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

uint64_t
attach_partial(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN])
{
    char path[PATH_MAX + 160];
    struct stat sb;

    partial_path(self, unit, hash, path, sizeof path);
    return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

int64_t
attach_write(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN], uint64_t size,
             uint64_t offset, const void *data, size_t len)
{
    char path[PATH_MAX + 160];
    uint64_t held = attach_partial(self, unit, hash);
    const uint8_t *p = data;
    size_t done = 0;
    int fd;

    if (offset != held || len == 0 || len > size || offset > size - len)
        return (int64_t)held;
    /* Begun afresh (the one held before the restart was deleted): its
     * bytes are all written since. */
    if (offset == 0 && self->nresumed)
        (void)attach_resumed_once(self, unit, hash);
    partial_path(self, unit, hash, path, sizeof path);
    if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0)
        goto err;
    while (done < len) {
        ssize_t w = pwrite(fd, p + done, len - done, (off_t)(offset + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            /* Keep what is held a prefix: cut a short write back. */
            if (ftruncate(fd, (off_t)offset) < 0)
                log_warn("%s", path);
            close(fd);
            errno = e;
            goto err;
        }
        done += (size_t)w;
    }
    close(fd);
    return (int64_t)(offset + len);
err:
    log_warnx(_("cannot write the attachment %s: %s"), path, log_strerror(errno));
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

static int
record(attach_t *self, const uint8_t hash[ATT_HASHLEN], uint64_t size, const char *media,
       int64_t now)
{
    sqlite3_stmt *st = store_stmt(self->db, "INSERT OR IGNORE INTO attachments(hash, size,"
                                            " media_type, stored_at) VALUES (?1, ?2, ?3, ?4)");
    int own = !store_in_transaction(self->db), rc;

    if (!st)
        return -1;
    if (own && store_begin(self->db) < 0) {
        store_done(st);
        return -1;
    }
    sqlite3_bind_blob(st, 1, hash, ATT_HASHLEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)size);
    sqlite3_bind_text(st, 3, media, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    rc = sqlite3_step(st);
    store_done(st);
    if (rc != SQLITE_DONE) {
        log_warnx(_("cannot record an attachment: %s"), store_errmsg(self->db));
        if (own)
            store_rollback(self->db);
        return -1;
    }
    if (own && store_commit(self->db) < 0) {
        store_rollback(self->db);
        return -1;
    }
    return 0;
}

/* Moves the synced file tmp to hash's place, syncing both directories. */
static int
move_into_place(attach_t *self, const char *tmp, const uint8_t hash[ATT_HASHLEN])
{
    char path[PATH_MAX + 80], dir[PATH_MAX + 80];

    attach_path(self, hash, path, sizeof path);
    files_dirname(dir, sizeof dir, path);
    if (files_mkdir_p(dir, 0700) < 0 || rename(tmp, path) < 0 || sync_dir(dir) < 0) {
        log_warnx(_("cannot store the attachment %s: %s"), path, log_strerror(errno));
        return -1;
    }
    files_dirname(dir, sizeof dir, tmp);
    (void)sync_dir(dir);
    return 0;
}

enum attach_result
attach_finish(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN], uint64_t size,
              const char *media, int64_t now)
{
    char path[PATH_MAX + 160];
    uint8_t got[ATT_HASHLEN], head[16];
    uint64_t n = 0;
    ssize_t h;
    int fd, have = attach_have(self, hash);

    if (have == 1)
        return ATTACH_OK;
    partial_path(self, unit, hash, path, sizeof path);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return errno == ENOENT ? ATTACH_SHORT : ATTACH_IO;
    if (att_hash_fd(fd, got, &n) < 0 || (h = pread(fd, head, sizeof head, 0)) < 0) {
        close(fd);
        return ATTACH_IO;
    }
    if (n < size) {
        close(fd);
        return ATTACH_SHORT;
    }
    if (n != size || sodium_memcmp(got, hash, ATT_HASHLEN) != 0 ||
        !att_sniff(media, head, (size_t)h)) {
        int content = n == size && sodium_memcmp(got, hash, ATT_HASHLEN) == 0;
        close(fd);
        unlink(path);
        return content ? ATTACH_CONTENT : ATTACH_MISMATCH;
    }
    /* fsync on a read-only descriptor syncs the file's data (Linux). */
    if (fsync(fd) < 0) {
        log_warnx(_("cannot sync the attachment %s: %s"), path, log_strerror(errno));
        close(fd);
        return ATTACH_IO;
    }
    close(fd);
    if (move_into_place(self, path, hash) < 0 || record(self, hash, size, media, now) < 0)
        return ATTACH_IO;
    (void)mark(self, unit, hash);   /* (without it, the unit sends them once more) */
    return ATTACH_OK;
}

int
attach_possessed(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN])
{
    sqlite3_stmt *st = store_stmt(self->db, "SELECT 1 FROM filing_attachments a JOIN filings f"
                                            " ON f.id = a.filing WHERE a.hash = ?1 AND"
                                            " f.unit = ?2 UNION ALL SELECT 1 FROM"
                                            " opinion_attachments a JOIN opinions o ON"
                                            " o.id = a.opinion WHERE a.hash = ?1 AND"
                                            " o.unit = ?2 LIMIT 1");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, ATT_HASHLEN, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    store_done(st);
    if (rc == SQLITE_DONE) {
        char path[PATH_MAX + 160];
        marker_path(self, unit, hash, path, sizeof path);
        return access(path, F_OK) == 0;
    }
    return rc == SQLITE_ROW ? 1 : -1;
}

enum attach_result
attach_prove(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN], uint64_t size)
{
    char path[PATH_MAX + 160];
    uint8_t got[ATT_HASHLEN];
    uint64_t n = 0;
    int fd;

    partial_path(self, unit, hash, path, sizeof path);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return errno == ENOENT ? ATTACH_SHORT : ATTACH_IO;
    if (att_hash_fd(fd, got, &n) < 0) {
        close(fd);
        return ATTACH_IO;
    }
    close(fd);
    if (n < size)
        return ATTACH_SHORT;
    unlink(path);
    if (n != size || sodium_memcmp(got, hash, ATT_HASHLEN) != 0)
        return ATTACH_MISMATCH;
    return mark(self, unit, hash) < 0 ? ATTACH_IO : ATTACH_OK;
}

void
attach_drop(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN])
{
    char path[PATH_MAX + 160];

    marker_path(self, unit, hash, path, sizeof path);
    (void)unlink(path);
}

/* Writes a new file beside the partial ones from a source read in pieces,
 * hashing it, then syncs it and moves it into place. */
static int
put_from(attach_t *self, int src, const void *data, size_t len, const char *media, int64_t now,
         uint8_t hash[ATT_HASHLEN], uint64_t *size_out)
{
    char tmp[PATH_MAX + 80];
    crypto_generichash_state hs;
    uint8_t buf[65536], head[16];
    size_t headn = 0;
    uint64_t total = 0;
    int fd;

    snprintf(tmp, sizeof tmp, "%s/partial/put.%ld.%u", self->dir, (long)getpid(),
             randombytes_random());
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
        goto err;
    crypto_generichash_init(&hs, NULL, 0, ATT_HASHLEN);
    for (;;) {
        const uint8_t *p;
        size_t n;
        if (src >= 0) {
            ssize_t r = read(src, buf, sizeof buf);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                goto err_close;
            p = buf;
            n = (size_t)r;
        } else {
            p = (const uint8_t *)data + total;
            n = len - (size_t)total < sizeof buf ? len - (size_t)total : sizeof buf;
        }
        if (n == 0)
            break;
        if (headn < sizeof head) {
            size_t k = n < sizeof head - headn ? n : sizeof head - headn;
            memcpy(head + headn, p, k);
            headn += k;
        }
        crypto_generichash_update(&hs, p, n);
        for (size_t done = 0; done < n;) {
            ssize_t w = write(fd, p + done, n - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                goto err_close;
            done += (size_t)w;
        }
        total += n;
    }
    crypto_generichash_final(&hs, hash, ATT_HASHLEN);
    if (fsync(fd) < 0)
        goto err_close;
    close(fd);
    if (total == 0 || !att_sniff(media, head, headn)) {
        unlink(tmp);
        log_warnx(_("the document is empty or not of its type (%s)"), media);
        return -1;
    }
    if (attach_have(self, hash) == 1)
        unlink(tmp);
    else if (move_into_place(self, tmp, hash) < 0 || record(self, hash, total, media, now) < 0)
        return -1;
    if (size_out)
        *size_out = total;
    return 0;
err_close:
    close(fd);
    unlink(tmp);
err:
    log_warnx(_("cannot write the attachment %s: %s"), tmp, log_strerror(errno));
    return -1;
}

int
attach_put(attach_t *self, const void *data, size_t len, const char *media, int64_t now,
           uint8_t hash[ATT_HASHLEN])
{
    return put_from(self, -1, data, len, media, now, hash, NULL);
}

int
attach_put_file(attach_t *self, const char *path, const char *media, int64_t now,
                uint8_t hash[ATT_HASHLEN], uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

    if (fd < 0) {
        log_warnx(_("cannot read %s: %s"), path, log_strerror(errno));
        return -1;
    }
    rc = put_from(self, fd, NULL, 0, media, now, hash, size);
    close(fd);
    return rc;
}

long
attach_read(const attach_t *self, const uint8_t hash[ATT_HASHLEN], uint64_t offset, void *buf,
            size_t len)
{
    char path[PATH_MAX + 80];
    ssize_t n;
    int fd;

    attach_path(self, hash, path, sizeof path);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    do
        n = pread(fd, buf, len, (off_t)offset);
    while (n < 0 && errno == EINTR);
    close(fd);
    return n < 0 ? -1 : (long)n;
}

int
attach_declare(attach_t *self, const char *unit, const char *filing_id, uint32_t revision,
               const Lianxi__Attachment *a, int64_t now)
{
    sqlite3_stmt *st = store_stmt(self->db,
        "INSERT INTO attachment_uploads(hash, unit, filing_id, revision, name,"
        " media_type, size, declared_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT(hash, unit, filing_id, revision) DO UPDATE SET"
        " declared_at = excluded.declared_at");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, a->hash.data, (int)a->hash.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, revision);
    sqlite3_bind_text(st, 5, a->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, a->media_type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)a->size);
    sqlite3_bind_int64(st, 8, now);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int
attach_pending(attach_t *self, const char *unit, uint64_t *bytes, long *rows)
{
    sqlite3_stmt *st = store_stmt(self->db,
        "SELECT COALESCE(SUM(s), 0), COALESCE(SUM(n), 0) FROM (SELECT MAX(size) AS s,"
        " count(*) AS n FROM attachment_uploads WHERE unit = ?1 GROUP BY hash)");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *bytes = (uint64_t)sqlite3_column_int64(st, 0);
        *rows = (long)sqlite3_column_int64(st, 1);
    }
    store_done(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int
attach_declared_by(attach_t *self, const char *unit, const char *filing_id, uint32_t revision,
                   const uint8_t hash[ATT_HASHLEN])
{
    sqlite3_stmt *st = store_stmt(self->db, "SELECT 1 FROM attachment_uploads WHERE hash = ?1"
                                            " AND unit = ?2 AND filing_id = ?3 AND revision = ?4");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, ATT_HASHLEN, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, revision);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

long
attach_sweep(attach_t *self, int64_t now, int64_t max_age)
{
    char dir[PATH_MAX + 16], path[PATH_MAX + 300];
    sqlite3_stmt *st;
    struct dirent *e;
    long removed = 0;
    int rc, own = !store_in_transaction(self->db);
    DIR *d;

    /* The declarations no filing sent again has renewed for max_age. */
    if (own && store_begin(self->db) < 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        if (!(st = store_stmt(self->db, i == 0 ? "SELECT count(*) FROM attachment_uploads"
                                                 " WHERE declared_at < ?1"
                                               : "DELETE FROM attachment_uploads"
                                                 " WHERE declared_at < ?1")))
            goto db_err;
        sqlite3_bind_int64(st, 1, now - max_age);
        rc = sqlite3_step(st);
        if (i == 0 && rc == SQLITE_ROW)
            removed += sqlite3_column_int64(st, 0);
        store_done(st);
        if (rc != (i == 0 ? SQLITE_ROW : SQLITE_DONE))
            goto db_err;
    }
    if (own && store_commit(self->db) < 0)
        goto db_err;
    /* The bytes of uploads no unit may go on with any more, and the files
     * of a put cut short (a crash) older than max_age. */
    snprintf(dir, sizeof dir, "%s/partial", self->dir);
    if (!(d = opendir(dir)))
        return errno == ENOENT ? removed : -1;
    while ((e = readdir(d))) {
        uint8_t hash[ATT_HASHLEN];
        struct stat sb;
        const char *dot;
        int orphan;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lstat(path, &sb) < 0)
            continue;
        {
            /* A mark (<unit>.<hex>.ok) goes with its unit's declaration. */
            size_t nl = strlen(e->d_name);
            if (nl > 3 && strcmp(e->d_name + nl - 3, ".ok") == 0)
                e->d_name[nl - 3] = '\0';
        }
        dot = strrchr(e->d_name, '.');
        if (dot && strlen(dot + 1) == ATT_HEXLEN && att_unhex(dot + 1, hash) == 0 &&
            strncmp(e->d_name, "put.", 4) != 0 && strncmp(e->d_name, "restore.", 8) != 0) {
            char unit[256], media[96];
            uint64_t size;
            snprintf(unit, sizeof unit, "%.*s", (int)(dot - e->d_name), e->d_name);
            /* (An operator's upload is declared, and renewed, by each of
             * its pieces: control.c, upload.) */
            if ((orphan = attach_declared(self, unit, hash, &size, media, sizeof media)) < 0)
                break;
            orphan = !orphan;
        } else if (strlen(e->d_name) == ATT_HEXLEN) {
            orphan = 1;         /* (an upload of a release before uploads were a unit's) */
        } else {
            orphan = strncmp(e->d_name, "put.", 4) == 0 && time(NULL) - sb.st_mtime > max_age;
        }
        if (orphan && S_ISREG(sb.st_mode) && unlink(path) == 0) {
            log_info("removed the stale upload %s (%lld bytes)", path, (long long)sb.st_size);
            removed++;
        }
    }
    closedir(d);
    return removed;
db_err:
    log_warnx(_("cannot forget the stale uploads: %s"), store_errmsg(self->db));
    if (own)
        store_rollback(self->db);
    return -1;
}

int
attach_declared(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN],
                uint64_t *size, char *media, size_t media_len)
{
    sqlite3_stmt *st = store_stmt(self->db, "SELECT size, media_type FROM attachment_uploads"
                                            " WHERE hash = ?1 AND unit = ?2 LIMIT 1");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, ATT_HASHLEN, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *size = (uint64_t)sqlite3_column_int64(st, 0);
        snprintf(media, media_len, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
attach_forget(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN],
              attach_waiting_fn *fn, void *arg)
{
    sqlite3_stmt *st = store_stmt(self->db, "SELECT filing_id, revision, name FROM"
                                            " attachment_uploads WHERE hash = ?1 AND unit = ?2");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, ATT_HASHLEN, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn)
            fn(arg, (const char *)sqlite3_column_text(st, 0),
               (uint32_t)sqlite3_column_int64(st, 1), (const char *)sqlite3_column_text(st, 2));
    store_done(st);
    if (rc != SQLITE_DONE ||
        !(st = store_stmt(self->db, "DELETE FROM attachment_uploads WHERE hash = ?1"
                                    " AND unit = ?2")))
        return -1;
    sqlite3_bind_blob(st, 1, hash, ATT_HASHLEN, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int
attach_settled(attach_t *self, const char *unit, const char *filing_id, uint32_t revision)
{
    sqlite3_stmt *st = store_stmt(self->db, "DELETE FROM attachment_uploads WHERE unit = ?1"
                                            " AND filing_id = ?2 AND revision = ?3");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, revision);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The carrier tables: a filing's documents, or an opinion's. */
static const char *const ins_sql[] = {
    "INSERT INTO filing_attachments(filing, seq, name, media_type, size, hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO opinion_attachments(opinion, seq, name, media_type, size, hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};
static const char *const sel_sql[] = {
    "SELECT seq, name, media_type, size, hash FROM filing_attachments WHERE filing = ?1"
    " ORDER BY seq",
    "SELECT seq, name, media_type, size, hash FROM opinion_attachments WHERE opinion = ?1"
    " ORDER BY seq",
};

static int
record_refs(attach_t *self, int which, int64_t row, Lianxi__Attachment *const *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = store_stmt(self->db, ins_sql[which]);
        int rc;
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, row);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
        sqlite3_bind_text(st, 3, a[i]->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, a[i]->media_type, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)a[i]->size);
        sqlite3_bind_blob(st, 6, a[i]->hash.data, (int)a[i]->hash.len, SQLITE_STATIC);
        rc = sqlite3_step(st);
        store_done(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return 0;
}

int
attach_record_filing(attach_t *self, int64_t filing, Lianxi__Attachment *const *a, size_t n)
{
    return record_refs(self, 0, filing, a, n);
}

int
attach_record_opinion(attach_t *self, int64_t opinion, Lianxi__Attachment *const *a, size_t n)
{
    return record_refs(self, 1, opinion, a, n);
}

static int
refs_of(store_t *db, int which, int64_t row, struct attach_ref *out, int max)
{
    sqlite3_stmt *st = store_stmt(db, sel_sql[which]);
    int n = 0, rc;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, row);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
        struct attach_ref *r = &out[n++];
        memset(r, 0, sizeof *r);
        r->seq = sqlite3_column_int(st, 0);
        snprintf(r->name, sizeof r->name, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(r->media, sizeof r->media, "%s", (const char *)sqlite3_column_text(st, 2));
        r->size = (uint64_t)sqlite3_column_int64(st, 3);
        if (sqlite3_column_bytes(st, 4) == ATT_HASHLEN)
            memcpy(r->hash, sqlite3_column_blob(st, 4), ATT_HASHLEN);
    }
    store_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

int
attach_of_filing(store_t *db, int64_t filing, struct attach_ref *out, int max)
{
    return refs_of(db, 0, filing, out, max);
}

int
attach_of_opinion(store_t *db, int64_t opinion, struct attach_ref *out, int max)
{
    return refs_of(db, 1, opinion, out, max);
}

long
attach_each(store_t *db, attach_each_fn *fn, void *arg)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT hash, size, media_type FROM attachments"
                                      " ORDER BY hash");
    long n = 0;
    int rc;

    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != ATT_HASHLEN)
            continue;
        if (fn(arg, sqlite3_column_blob(st, 0), (uint64_t)sqlite3_column_int64(st, 1),
               (const char *)sqlite3_column_text(st, 2)) < 0)
            break;
        n++;
    }
    store_done(st);
    return rc == SQLITE_DONE ? n : -1;
}
