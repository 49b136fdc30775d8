/* backup.c — lianxi-hub backup and restore (backup.h says what a backup
 * is).  Neither owns a table: the store copies, checks and raises floors,
 * the audit trail records the restore. */
#include "backup.h"
#include "attach.h"
#include "attachment.h"
#include "audit.h"
#include "clock.h"
#include "conf.h"
#include "days.h"
#include "files.h"
#include "i18n.h"
#include "keys.h"
#include "log.h"
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#define MANIFEST "MANIFEST"
#define MANIFEST_SIG "MANIFEST.sig"
#define MANIFEST_MAX 8192
#define CHUNK 65536

/* What both commands read from hub.conf. */
struct hubfiles {
    char db[PATH_MAX], run[PATH_MAX], dir[PATH_MAX];
    char att[PATH_MAX];         /* the attachments' store (attach.h) */
    struct identity id;
    uint8_t pk[32];
    long keep_days;
};

static int
load(const char *cfile, struct hubfiles *h)
{
    char cert[PATH_MAX], sign[PATH_MAX];
    conf_t *conf = conf_load(cfile);
    int rc = -1;

    memset(h, 0, sizeof *h);
    if (!conf)
        return -1;
    conf_language(conf, "hub");
    if (conf_path(conf, "hub", "database", NULL, h->db, sizeof h->db) < 0 ||
        conf_path(conf, "hub", "run", "run", h->run, sizeof h->run) < 0 ||
        conf_path(conf, "backup", "dir", "backups", h->dir, sizeof h->dir) < 0 ||
        conf_int(conf, "backup", "keep_days", 30, 1, 3650, &h->keep_days) < 0 ||
        conf_path(conf, "hub", "cert", NULL, cert, sizeof cert) < 0 ||
        conf_path(conf, "hub", "sign", NULL, sign, sizeof sign) < 0 ||
        attach_conf_dir(conf, h->db, h->att, sizeof h->att) < 0 ||
        keys_load_identity(cert, sign, &h->id) < 0)
        goto out;
    crypto_sign_ed25519_sk_to_pk(h->pk, h->id.sign_sk);
    rc = 0;
out:
    conf_destroy(&conf);
    return rc;
}

/* The hub holds <run>/hub.lock while it runs (main.c): a restore under a
 * running hub is refused.  Returns the locked descriptor, or -1 (errno
 * EWOULDBLOCK when the hub runs). */
static int
lock_run(const char *run)
{
    char file[PATH_MAX];
    int fd;

    if (files_join(file, sizeof file, run, "hub.lock") < 0)
        return -1;
    if ((fd = open(file, O_RDONLY | O_CREAT | O_CLOEXEC, 0644)) < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static void
hex(char *out, size_t n, const uint8_t *b, size_t len)
{
    sodium_bin2hex(out, n, b, len);
}

/* BLAKE2b-256 and size of the file at path. */
static int
hash_file(const char *path, uint8_t out[32], int64_t *size)
{
    crypto_generichash_state st;
    uint8_t *buf = malloc(CHUNK);
    FILE *f = fopen(path, "rb");
    size_t n;
    int rc = -1;

    *size = 0;
    if (!buf || !f)
        goto out;
    crypto_generichash_init(&st, NULL, 0, 32);
    while ((n = fread(buf, 1, CHUNK, f)) > 0) {
        crypto_generichash_update(&st, buf, n);
        *size += (int64_t)n;
    }
    if (ferror(f))
        goto out;
    crypto_generichash_final(&st, out, 32);
    rc = 0;
out:
    if (f)
        fclose(f);
    free(buf);
    return rc;
}

static void
stamp(int64_t t, char out[20])
{
    time_t tt = (time_t)t;
    struct tm tm;

    localtime_r(&tt, &tm);
    strftime(out, 20, "%Y%m%d-%H%M%S", &tm);
}

/* The attachments a backup holds: every one the database records as
 * stored whole, its file checked against its hash. */
struct attlist {
    const struct hubfiles *h;
    struct attitem {
        uint8_t hash[ATT_HASHLEN];
        uint64_t size;
    } *v;
    size_t n, cap;
    uint64_t bytes;
    long bad;               /* recorded, but the file is missing or not its hash */
};

static int
att_collect(void *arg, const uint8_t hash[ATT_HASHLEN], uint64_t size, const char *media)
{
    struct attlist *l = arg;
    char path[PATH_MAX + 80], hex[ATT_HEXLEN + 1];
    uint8_t got[ATT_HASHLEN];
    uint64_t n = 0;

    (void)media;
    att_hex(hash, hex);
    snprintf(path, sizeof path, "%s/%.2s/%s", l->h->att, hex, hex);
    if (att_hash_file(path, got, &n) < 0 || n != size || sodium_memcmp(got, hash, 32) != 0) {
        log_warnx(_("the attachment %s is recorded but its file %s is missing or not its "
                    "bytes: not in the backup"), hex, path);
        l->bad++;
        return 0;
    }
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        void *nv = realloc(l->v, ncap * sizeof *l->v);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = ncap;
    }
    memcpy(l->v[l->n].hash, hash, ATT_HASHLEN);
    l->v[l->n].size = size;
    l->n++;
    l->bytes += size;
    return 0;
}

static char *
manifest_text(const struct store_facts *f, const struct hubfiles *h, int64_t at,
              const uint8_t dbhash[32], int64_t dbsize, const struct attlist *al, size_t *len)
{
    char *buf = NULL, when[20], hx[129];
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);

    if (!m)
        return NULL;
    days_time_format(at, when);
    fprintf(m, "%s\n", BACKUP_MAGIC);
    fprintf(m, "created_at=%lld\ncreated=%s\n", (long long)at, when);
    fprintf(m, "identity=%s\nschema=%d\nfilings=%lld\n", f->identity, f->schema,
            (long long)f->filings);
    hex(hx, sizeof hx, f->audit_head, 32);
    fprintf(m, "audit_seq=%llu\naudit_head=%s\n", (unsigned long long)f->audit_seq, hx);
    fprintf(m, "receipts=");
    for (int i = 0; i < f->nyears; i++)
        fprintf(m, "%s%d:%lld", i ? "," : "", f->years[i].year, (long long)f->years[i].last);
    fprintf(m, "\nmax_obligation=%lld\nmax_message=%lld\n", (long long)f->max_obligation,
            (long long)f->max_message);
    hex(hx, sizeof hx, h->pk, 32);
    fprintf(m, "hub_sign_key=%s\n", hx);
    hex(hx, sizeof hx, dbhash, 32);
    fprintf(m, "database=%s\ndatabase_bytes=%lld\ndatabase_blake2b=%s\n", BACKUP_DB_ENTRY,
            (long long)dbsize, hx);
    /* The attachments, each an entry attachments/ab/<hash> named by its
     * BLAKE2b-256 (so each is checked by its name). */
    fprintf(m, "attachments=%zu\nattachments_bytes=%llu\n", al->n,
            (unsigned long long)al->bytes);
    if (al->bad)
        fprintf(m, "attachments_missing=%ld\n", al->bad);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* The value of key in a manifest (into out), or -1. */
static int
manifest_get(const char *text, const char *key, char *out, size_t n)
{
    size_t kl = strlen(key);

    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            size_t vl = strcspn(p + kl + 1, "\n");
            if (vl >= n)
                return -1;
            memcpy(out, p + kl + 1, vl);
            out[vl] = '\0';
            return 0;
        }
    }
    return -1;
}

static int
add_buffer(zip_t *z, const char *name, const void *data, size_t len)
{
    zip_source_t *src = zip_source_buffer(z, data, len, 0);

    if (!src)
        return -1;
    if (zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
        zip_source_free(src);
        return -1;
    }
    return 0;
}

static int
fsync_path(const char *path, int dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    int rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* Removes backups of the dir older than keep_days (named as backup names
 * them: nothing else is touched). */
static void
prune(const char *dir, long keep_days, int64_t now)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[PATH_MAX];
    struct stat sb;

    if (!d)
        return;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, "lianxi-backup-", 14) != 0 || n < 5 ||
            strcmp(e->d_name + n - 4, ".zip") != 0 ||
            files_join(path, sizeof path, dir, e->d_name) < 0 || stat(path, &sb) < 0)
            continue;
        if ((int64_t)sb.st_mtime < now - keep_days * 86400) {
            if (unlink(path) == 0)
                log_info(_("old backup removed (kept %ld days): %s"), keep_days, path);
        }
    }
    closedir(d);
}

/* Adds the attachments of al to z, each read from its file when the zip
 * is written (never whole in memory), stored as they are. */
static int
add_attachments(zip_t *z, const struct hubfiles *h, const struct attlist *al)
{
    for (size_t i = 0; i < al->n; i++) {
        char path[PATH_MAX + 80], name[ATT_HEXLEN + 32], hex[ATT_HEXLEN + 1];
        zip_source_t *src;
        zip_int64_t idx;

        att_hex(al->v[i].hash, hex);
        snprintf(path, sizeof path, "%s/%.2s/%s", h->att, hex, hex);
        snprintf(name, sizeof name, "%s%.2s/%s", BACKUP_ATT_PREFIX, hex, hex);
        if (!(src = zip_source_file(z, path, 0, -1)))
            return -1;
        if ((idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
            zip_source_free(src);
            return -1;
        }
        if (zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0)
            return -1;
    }
    return 0;
}

static void
usage_backup(void)
{
    fprintf(stderr, "%s", _("usage: lianxi-hub -c HUB.CONF backup [-o FILE]\n"
                            "  an online, checked, signed copy of the hub's database, while the "
                            "hub runs;\n  default FILE: [backup] dir/lianxi-backup-DATE-TIME.zip "
                            "(backups older than [backup] keep_days there are removed)\n"));
}

int
backup_main(const char *cfile, int argc, char **argv)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct hubfiles h;
    struct store_facts f;
    struct attlist al = { .h = &h };
    store_t *copy = NULL;
    const char *out = NULL;
    char path[PATH_MAX], tmpdb[PATH_MAX + 16], tmpzip[PATH_MAX + 16], dir[PATH_MAX], st[20];
    char hx[2 * 64 + 2], last[PATH_MAX + 96], file[PATH_MAX], *manifest = NULL;
    uint8_t dbhash[32], sig[64];
    int64_t now = clock_now(), dbsize, zsize;
    size_t mlen;
    zip_t *z = NULL;
    zip_source_t *src;
    int c, err, rc = EX_SOFTWARE;
    struct stat sb;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        default: usage_backup(); return EX_USAGE;
        }
    }
    if (!cfile || optind != argc) {
        usage_backup();
        return EX_USAGE;
    }
    if (load(cfile, &h) < 0)
        return EX_CONFIG;
    umask(077);
    stamp(now, st);
    if (out) {
        snprintf(path, sizeof path, "%s", out);
    } else {
        if (files_mkdir_p(h.dir, 0700) < 0) {
            log_warn(_("cannot create the backup directory %s"), h.dir);
            return EX_CANTCREAT;
        }
        snprintf(path, sizeof path, "%s/lianxi-backup-%s.zip", h.dir, st);
    }
    if (stat(h.db, &sb) < 0) {
        log_warn(_("the hub's database %s"), h.db);
        return EX_NOINPUT;
    }
    files_dirname(dir, sizeof dir, path);
    snprintf(tmpdb, sizeof tmpdb, "%s.db-part", path);
    snprintf(tmpzip, sizeof tmpzip, "%s.part", path);
    unlink(tmpdb);
    unlink(tmpzip);
    if (store_copy(h.db, tmpdb) < 0)
        goto out;
    if (!(copy = store_open_ro(tmpdb)) || store_facts(copy, &f) < 0)
        goto out;
    /* The attachments the copy records, as it records them. */
    if (attach_each(copy, att_collect, &al) < 0) {
        log_warnx(_("cannot list the attachments in %s"), tmpdb);
        goto out;
    }
    store_close(&copy);
    if (hash_file(tmpdb, dbhash, &dbsize) < 0) {
        log_warn("%s", tmpdb);
        goto out;
    }
    if (!(manifest = manifest_text(&f, &h, now, dbhash, dbsize, &al, &mlen)))
        goto out;
    crypto_sign_detached(sig, NULL, (const uint8_t *)manifest, mlen, h.id.sign_sk);
    hex(hx, sizeof hx, sig, sizeof sig);
    strcat(hx, "\n");
    if (!(z = zip_open(tmpzip, ZIP_CREATE | ZIP_TRUNCATE, &err))) {
        log_warnx(_("cannot create %s (zip error %d)"), tmpzip, err);
        rc = EX_CANTCREAT;
        goto out;
    }
    if (add_buffer(z, MANIFEST, manifest, mlen) < 0 ||
        add_buffer(z, MANIFEST_SIG, hx, strlen(hx)) < 0 ||
        !(src = zip_source_file(z, tmpdb, 0, -1)) ||
        zip_file_add(z, BACKUP_DB_ENTRY, src, ZIP_FL_ENC_UTF_8) < 0 ||
        add_attachments(z, &h, &al) < 0) {
        log_warnx(_("cannot write %s: %s"), tmpzip, zip_strerror(z));
        zip_discard(z);
        z = NULL;
        goto out;
    }
    if (zip_close(z) < 0) {
        log_warnx(_("cannot write %s: %s"), tmpzip, zip_strerror(z));
        zip_discard(z);
        z = NULL;
        goto out;
    }
    z = NULL;
    if (chmod(tmpzip, 0600) < 0 || fsync_path(tmpzip, 0) < 0 || rename(tmpzip, path) < 0 ||
        fsync_path(dir, 1) < 0) {
        log_warn(_("cannot write %s"), path);
        goto out;
    }
    zsize = stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
    {
        /* Named whole, wherever status is run from. */
        char real[PATH_MAX];
        const char *base = strrchr(path, '/');
        if (realpath(dir, real))
            snprintf(file, sizeof file, "%s/%s", real, base ? base + 1 : path);
        else
            snprintf(file, sizeof file, "%s", path);
    }
    snprintf(last, sizeof last, "at=%lld\nfile=%s\nbytes=%lld\n", (long long)now, file,
             (long long)zsize);
    if (files_join(file, sizeof file, h.run, BACKUP_LAST_FILE) == 0 &&
        files_write_atomic(file, last, strlen(last), 0644) < 0)
        log_warn(_("cannot write %s"), file);
    printf(_("backup written: %s\n"), path);
    printf(_("  %lld filings, audit trail to entry %llu, database %lld bytes (checked), "
             "signed by the hub's key\n"), (long long)f.filings,
           (unsigned long long)f.audit_seq, (long long)dbsize);
    printf(_("  %zu attachments, %llu bytes (each checked against its hash)\n"), al.n,
           (unsigned long long)al.bytes);
    if (!out)
        prune(h.dir, h.keep_days, now);
    rc = EX_OK;
    if (al.bad) {
        fprintf(stderr, _("lianxi-hub backup: %ld attachments the database records are missing "
                          "from %s or damaged there (named above): the backup lacks them\n"),
                al.bad, h.att);
        rc = EX_DATAERR;
    }
out:
    if (rc == EX_SOFTWARE)
        fprintf(stderr, "%s", _("lianxi-hub backup: no backup was written (the reason is "
                                "above)\n"));
    unlink(tmpdb);
    unlink(tmpzip);
    if (z)
        zip_discard(z);
    store_close(&copy);
    free(manifest);
    free(al.v);
    sodium_memzero(&h.id, sizeof h.id);
    return rc;
}

/* Reads entry name of z whole (at most max bytes) into a NUL-terminated
 * buffer. */
static char *
read_entry(zip_t *z, const char *name, size_t max, size_t *len)
{
    zip_stat_t zs;
    zip_file_t *zf;
    char *buf;

    zip_stat_init(&zs);
    if (zip_stat(z, name, 0, &zs) < 0 || !(zs.valid & ZIP_STAT_SIZE) || zs.size > max ||
        !(zf = zip_fopen(z, name, 0)))
        return NULL;
    if (!(buf = malloc(zs.size + 1)) ||
        zip_fread(zf, buf, zs.size) != (zip_int64_t)zs.size) {
        free(buf);
        zip_fclose(zf);
        return NULL;
    }
    zip_fclose(zf);
    buf[zs.size] = '\0';
    *len = zs.size;
    return buf;
}

/* Writes the database entry to path, hashing it on the way. */
static int
extract_db(zip_t *z, const char *path, uint8_t hash[32], int64_t *size)
{
    crypto_generichash_state st;
    zip_file_t *zf = zip_fopen(z, BACKUP_DB_ENTRY, 0);
    uint8_t *buf = malloc(CHUNK);
    FILE *f = NULL;
    zip_int64_t n;
    int rc = -1;

    *size = 0;
    if (!zf || !buf || !(f = fopen(path, "wb")))
        goto out;
    crypto_generichash_init(&st, NULL, 0, 32);
    while ((n = zip_fread(zf, buf, CHUNK)) > 0) {
        crypto_generichash_update(&st, buf, (size_t)n);
        if (fwrite(buf, 1, (size_t)n, f) != (size_t)n)
            goto out;
        *size += n;
    }
    if (n < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0)
        goto out;
    crypto_generichash_final(&st, hash, 32);
    rc = 0;
out:
    if (f && fclose(f) != 0)
        rc = -1;
    if (zf)
        zip_fclose(zf);
    free(buf);
    return rc;
}

/* Whether name is an attachment's entry, attachments/ab/<64 hex digits>
 * with ab its first two: its hash into hash. */
static int
att_entry(const char *name, uint8_t hash[ATT_HASHLEN])
{
    size_t k = strlen(BACKUP_ATT_PREFIX);
    const char *hex = name + k + 3;

    return strncmp(name, BACKUP_ATT_PREFIX, k) == 0 && strlen(name) == k + 3 + ATT_HEXLEN &&
           name[k + 2] == '/' && strncmp(name + k, hex, 2) == 0 &&
           strspn(hex, "0123456789abcdef") == ATT_HEXLEN && att_unhex(hex, hash) == 0;
}

/* Copies entry i of z (an attachment of hash) into the store at dir, when
 * it is not there: through dir/partial/, hashed on the way and checked,
 * synced, renamed into place.  Returns 1 copied, 0 already there, -1 on an
 * I/O error (logged), -2 when the bytes are not hash's. */
static int
restore_one(zip_t *z, zip_uint64_t i, const char *dir, const uint8_t hash[ATT_HASHLEN],
            uid_t owner, gid_t group)
{
    char hex[ATT_HEXLEN + 1], sub[PATH_MAX + 8], path[PATH_MAX + 80], tmp[PATH_MAX + 96];
    crypto_generichash_state st;
    uint8_t *buf = NULL, got[ATT_HASHLEN];
    zip_file_t *zf = NULL;
    zip_int64_t n;
    int fd = -1, rc = -1;

    att_hex(hash, hex);
    snprintf(sub, sizeof sub, "%s/%.2s", dir, hex);
    snprintf(path, sizeof path, "%s/%s", sub, hex);
    snprintf(tmp, sizeof tmp, "%s/partial/restore.%s", dir, hex);
    if (access(path, F_OK) == 0)
        return 0;       /* content-addressed: the same bytes */
    if (!(buf = malloc(CHUNK)) || !(zf = zip_fopen_index(z, i, 0)) ||
        (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
        goto io;
    crypto_generichash_init(&st, NULL, 0, ATT_HASHLEN);
    while ((n = zip_fread(zf, buf, CHUNK)) > 0) {
        crypto_generichash_update(&st, buf, (size_t)n);
        for (zip_int64_t done = 0; done < n;) {
            ssize_t w = write(fd, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                goto io;
            done += w;
        }
    }
    crypto_generichash_final(&st, got, ATT_HASHLEN);
    if (n < 0 || sodium_memcmp(got, hash, ATT_HASHLEN) != 0) {
        rc = -2;        /* a zip's CRC failing is damage too */
        goto out;
    }
    if (fsync(fd) < 0)
        goto io;
    if (geteuid() == 0 && owner != (uid_t)-1 && fchown(fd, owner, group) < 0)
        log_warn(_("cannot give %s to the hub's user"), tmp);
    close(fd);
    fd = -1;
    if (files_mkdir_p(sub, 0700) < 0 || rename(tmp, path) < 0 || fsync_path(sub, 1) < 0)
        goto io;
    if (geteuid() == 0 && owner != (uid_t)-1 && chown(sub, owner, group) < 0)
        log_warn(_("cannot give %s to the hub's user"), sub);
    rc = 1;
    goto out;
io:
    log_warn(_("cannot restore the attachment %s into %s"), hex, dir);
out:
    if (fd >= 0)
        close(fd);
    if (rc != 1)
        unlink(tmp);
    if (zf)
        zip_fclose(zf);
    free(buf);
    return rc;
}

/* Puts back the backup's attachments that the store at h->att lacks (none
 * is removed or replaced), each checked against its name's hash; the
 * entries counted against the manifest's attachments=.  Returns EX_OK with
 * the numbers in *copied and *present, or an exit code after saying why. */
static int
restore_attachments(zip_t *z, const struct hubfiles *h, const char *manifest, const char *file,
                    uid_t owner, gid_t group, long *copied, long *present)
{
    char val[64], partial[PATH_MAX + 16];
    zip_int64_t n = zip_get_num_entries(z, 0);
    long want = 0, seen = 0;

    *copied = *present = 0;
    if (manifest_get(manifest, "attachments", val, sizeof val) == 0)
        want = atol(val);       /* a backup from before attachments has none */
    snprintf(partial, sizeof partial, "%s/partial", h->att);
    if (want > 0 && files_mkdir_p(partial, 0700) < 0) {
        log_warn(_("cannot create the attachment store %s"), partial);
        return EX_CANTCREAT;
    }
    if (want > 0 && geteuid() == 0 && owner != (uid_t)-1 &&
        (chown(h->att, owner, group) < 0 || chown(partial, owner, group) < 0))
        log_warn(_("cannot give %s to the hub's user"), h->att);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        uint8_t hash[ATT_HASHLEN];
        int rc;

        if (!name || strncmp(name, BACKUP_ATT_PREFIX, strlen(BACKUP_ATT_PREFIX)) != 0)
            continue;
        if (!att_entry(name, hash)) {
            fprintf(stderr, _("lianxi-hub restore: %s holds %.80s, which is not an attachment's "
                              "name: nothing was restored\n"), file, name);
            return EX_DATAERR;
        }
        seen++;
        if ((rc = restore_one(z, (zip_uint64_t)i, h->att, hash, owner, group)) == -2) {
            fprintf(stderr, _("lianxi-hub restore: the attachment %s in %s is not the bytes its "
                              "name's hash says (damaged): the database was not restored (the "
                              "attachments put back before it are whole and checked)\n"),
                    name + strlen(BACKUP_ATT_PREFIX) + 3, file);
            return EX_DATAERR;
        }
        if (rc < 0)
            return EX_CANTCREAT;
        if (rc == 1)
            (*copied)++;
        else
            (*present)++;
    }
    if (seen != want) {
        fprintf(stderr, _("lianxi-hub restore: %s holds %ld attachments, its signed manifest "
                          "says %ld: the database was not restored\n"), file, seen, want);
        return EX_DATAERR;
    }
    return EX_OK;
}

/* Moves path (and its -wal and -shm) to path.pre-restore-STAMP. */
static int
move_aside(const char *path, const char *st, char *aside, size_t n)
{
    static const char *const suffix[] = { "", "-wal", "-shm" };
    char from[PATH_MAX + 8], to[PATH_MAX + 48];

    snprintf(aside, n, "%s.pre-restore-%s", path, st);
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(from, sizeof from, "%s%s", path, suffix[i]);
        snprintf(to, sizeof to, "%s%s", aside, suffix[i]);
        if (rename(from, to) < 0 && errno != ENOENT) {
            log_warn(_("cannot move %s aside to %s"), from, to);
            return -1;
        }
    }
    return 0;
}

/* Puts a database moved aside back (and its -wal and -shm). */
static int
move_aside_back(const char *path, const char *aside)
{
    static const char *const suffix[] = { "", "-wal", "-shm" };
    char from[PATH_MAX + 48], to[PATH_MAX + 8];
    int rc = 0;

    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(from, sizeof from, "%s%s", aside, suffix[i]);
        snprintf(to, sizeof to, "%s%s", path, suffix[i]);
        if (rename(from, to) < 0 && errno != ENOENT)
            rc = -1;
    }
    return rc;
}

static void
usage_restore(void)
{
    fprintf(stderr, "%s", _("usage: lianxi-hub -c HUB.CONF restore FILE [--force]\n"
                            "  puts a backup in place of the hub's database (the hub must be "
                            "stopped);\n  the database it replaces is kept beside it "
                            "(.pre-restore-DATE-TIME)\n"
                            "  --force  also a backup of another database (another identity)\n"));
}

int
restore_main(const char *cfile, int argc, char **argv)
{
    static const struct option opts[] = {
        { "force", no_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct hubfiles h;
    struct store_facts cur, bak;
    store_t *db = NULL;
    audit_t *audit = NULL;
    zip_t *z = NULL;
    char *manifest = NULL, *sigtxt = NULL, val[256], st[20], part[PATH_MAX + 16];
    char aside[PATH_MAX + 40] = "", known[64] = "", file[PATH_MAX], wit[PATH_MAX + 48];
    uint8_t sig[64], want[32], got[32];
    size_t mlen, slen, siglen = 0;
    int64_t now = clock_now(), size;
    int c, err, force = 0, lockfd = -1, have_cur = 0, rc = EX_SOFTWARE;
    long att_copied = 0, att_present = 0;
    uid_t owner = (uid_t)-1;
    gid_t group = (gid_t)-1;
    struct stat sb;

    part[0] = '\0';
    optind = 1;
    while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
        switch (c) {
        case 'f': force = 1; break;
        default: usage_restore(); return EX_USAGE;
        }
    }
    if (!cfile || optind != argc - 1) {
        usage_restore();
        return EX_USAGE;
    }
    if (load(cfile, &h) < 0)
        return EX_CONFIG;
    umask(077);
    /* 1. The backup is this hub's, whole and unchanged. */
    if (!(z = zip_open(argv[optind], ZIP_RDONLY, &err))) {
        fprintf(stderr, _("lianxi-hub restore: %s is not a backup that can be read (zip error "
                          "%d)\n"), argv[optind], err);
        rc = EX_NOINPUT;
        goto out;
    }
    if (!(manifest = read_entry(z, MANIFEST, MANIFEST_MAX, &mlen)) ||
        strncmp(manifest, BACKUP_MAGIC "\n", sizeof BACKUP_MAGIC) != 0 ||
        !(sigtxt = read_entry(z, MANIFEST_SIG, 1024, &slen)) ||
        sodium_hex2bin(sig, sizeof sig, sigtxt, slen, "\n", &siglen, NULL) < 0 ||
        siglen != sizeof sig) {
        fprintf(stderr, _("lianxi-hub restore: %s is not a lianxi backup (no signed "
                          "manifest)\n"), argv[optind]);
        rc = EX_DATAERR;
        goto out;
    }
    if (crypto_sign_verify_detached(sig, (const uint8_t *)manifest, mlen, h.pk) != 0) {
        fprintf(stderr, _("lianxi-hub restore: the signature of %s does not verify with this "
                          "hub's signing key: it was changed, or made by another hub; "
                          "nothing was restored\n"), argv[optind]);
        rc = EX_DATAERR;
        goto out;
    }
    if (manifest_get(manifest, "database_blake2b", val, sizeof val) < 0 ||
        sodium_hex2bin(want, sizeof want, val, strlen(val), NULL, NULL, NULL) < 0) {
        rc = EX_DATAERR;
        goto out;
    }
    /* 2. The hub is stopped, and stays so while this runs. */
    if (files_mkdir_p(h.run, 0755) < 0 || (lockfd = lock_run(h.run)) < 0) {
        if (errno == EWOULDBLOCK)
            fprintf(stderr, "%s", _("lianxi-hub restore: the hub is running on this database: "
                                    "stop it first (systemctl stop lianxi-hub), then restore\n"));
        else
            log_warn(_("cannot lock %s/hub.lock"), h.run);
        rc = EX_TEMPFAIL;
        goto out;
    }
    /* 3. Of this database's lineage, unless forced. */
    if (files_join(file, sizeof file, h.run, "database.identity") == 0) {
        char *s = files_read(file, NULL);
        if (s) {
            s[strcspn(s, " \t\r\n")] = '\0';
            snprintf(known, sizeof known, "%s", s);
            free(s);
        }
    }
    if (manifest_get(manifest, "identity", val, sizeof val) < 0) {
        rc = EX_DATAERR;
        goto out;
    }
    if (known[0] && strcmp(known, val) != 0 && !force) {
        fprintf(stderr, _("lianxi-hub restore: the backup is of database %s, but this hub runs "
                          "on database %s: not restored (--force restores it anyway)\n"), val,
                known);
        rc = EX_DATAERR;
        goto out;
    }
    /* 4. Unpacked beside the database and checked before anything moves. */
    snprintf(part, sizeof part, "%s.restoring", h.db);
    if (extract_db(z, part, got, &size) < 0) {
        log_warn(_("cannot unpack the backup into %s"), part);
        goto out;
    }
    if (sodium_memcmp(got, want, 32) != 0) {
        fprintf(stderr, _("lianxi-hub restore: the database in %s does not match its signed "
                          "manifest: nothing was restored\n"), argv[optind]);
        rc = EX_DATAERR;
        goto out;
    }
    if (store_check(part, val, sizeof val) < 0) {
        fprintf(stderr, _("lianxi-hub restore: the database in the backup fails its integrity "
                          "check (%s): nothing was restored\n"), val);
        rc = EX_DATAERR;
        goto out;
    }
    /* 4b. The attachments: those the store lacks put back, each checked;
     * none removed (the store is content-addressed: what is there is
     * what the backup holds under the same name). */
    if (stat(h.db, &sb) == 0 || stat(h.run, &sb) == 0) {
        owner = sb.st_uid;
        group = sb.st_gid;
    }
    if ((c = restore_attachments(z, &h, manifest, argv[optind], owner, group, &att_copied,
                                 &att_present)) != EX_OK) {
        rc = c;
        goto out;
    }
    /* 5. What the database it replaces handed out: none of it again. */
    if (stat(h.db, &sb) == 0) {
        store_t *old = store_open_ro(h.db);
        have_cur = old && store_facts(old, &cur) == 0;
        store_close(&old);
        if (!have_cur)
            log_warnx(_("the database being replaced (%s) cannot be read: the numbers it "
                        "handed out are unknown, so every counter jumps %d above the backup's"),
                      h.db, RESTORE_GAP);
    }
    stamp(now, st);
    snprintf(aside, sizeof aside, "%s.pre-restore-%s", h.db, st);
    /* The user the hub runs as owns the database: a restore run as root
     * gives the new file to it. */
    if (stat(h.db, &sb) == 0 || stat(h.run, &sb) == 0) {
        owner = sb.st_uid;
        group = sb.st_gid;
    }
    if (known[0] && strcmp(known, val) != 0 && files_join(file, sizeof file, h.run,
                                                           "database.identity") == 0)
        unlink(file);       /* --force: the run directory takes the backup's identity */
    /* 6. The restored database, still beside the current one: its floors
     * and the restore on its trail, committed before anything moves. */
    if (!(db = store_open(part, h.run)) || !(audit = audit_new(db)) || store_facts(db, &bak) < 0)
        goto out;
    if (store_begin(db) < 0)
        goto out;
    {
        const struct store_facts *f = have_cur ? &cur : &bak;
        int64_t gap = have_cur ? 0 : RESTORE_GAP;
        int y, m, d;
        days_to_civil(days_shanghai(now), &y, &m, &d);
        if (!have_cur && store_raise_receipt_floor(db, y, gap) < 0)
            goto rollback;
        for (int i = 0; i < f->nyears; i++)
            if (store_raise_receipt_floor(db, f->years[i].year, f->years[i].last + gap) < 0)
                goto rollback;
        if (store_raise_id_floor(db, "obligation", f->max_obligation + gap) < 0 ||
            store_raise_id_floor(db, "message", f->max_message + gap) < 0)
            goto rollback;
    }
    {
        char note[PATH_MAX + 64], base[PATH_MAX];
        const char *slash = strrchr(argv[optind], '/');
        snprintf(base, sizeof base, "%s", slash ? slash + 1 : argv[optind]);
        snprintf(note, sizeof note, "%lld %s", (long long)now,
                 stat(h.db, &sb) == 0 ? aside : "-");
        if (store_set_note(db, "restored", note) < 0 ||
            audit_append_restore(audit, h.id.sign_sk, now, "hub", base,
                                 have_cur ? cur.audit_seq : 0, have_cur ? cur.audit_head : NULL) < 0)
            goto rollback;
    }
    if (store_commit(db) < 0)
        goto out;
    audit_destroy(&audit);
    store_close(&db);
    /* One file again (no WAL beside it), the hub's user's. */
    if (store_single_file(part) < 0)
        goto out;
    if (geteuid() == 0 && owner != (uid_t)-1 && chown(part, owner, group) < 0)
        log_warn(_("cannot give %s to the hub's user"), part);
    /* 7. The swap: the current database aside (kept), the backup in its place. */
    if (stat(h.db, &sb) == 0) {
        if (move_aside(h.db, st, aside, sizeof aside) < 0)
            goto out;
    } else {
        aside[0] = '\0';
    }
    if (rename(part, h.db) < 0) {
        log_warn(_("cannot move %s to %s"), part, h.db);
        if (aside[0] && move_aside_back(h.db, aside) < 0)
            log_warnx(_("the database is kept as %s: move it back to %s by hand"), aside, h.db);
        goto out;
    }
    files_dirname(file, sizeof file, h.db);
    fsync_path(file, 1);
    /* The hub's own copy of its last checkpoint is of the trail replaced. */
    if (files_join(file, sizeof file, h.run, "audit.witness") == 0) {
        snprintf(wit, sizeof wit, "%s.pre-restore-%s", file, st);
        if (rename(file, wit) < 0 && errno != ENOENT)
            log_warn("%s", file);
    }
    printf(_("restored: %s\n"), argv[optind]);
    manifest_get(manifest, "created", val, sizeof val);
    printf(_("  the database is now as it was at %s: %lld filings, audit trail to entry %llu "
             "(the restore is entry %llu)\n"), val, (long long)bak.filings,
           (unsigned long long)bak.audit_seq, (unsigned long long)bak.audit_seq + 1);
    printf(_("  attachments: %ld put back into %s, %ld there already (each checked against "
             "its hash; none removed)\n"), att_copied, h.att, att_present);
    if (aside[0])
        printf(_("  the database it replaced is kept: %s\n"), aside);
    if (have_cur && cur.filings > bak.filings)
        printf(_("  %lld filings stored after the backup are offered again by the units' "
                 "adapters when they connect, with their original receipts\n"),
               (long long)(cur.filings - bak.filings));
    rc = EX_OK;
    goto out;
rollback:
    store_rollback(db);
out:
    audit_destroy(&audit);
    store_close(&db);
    if (rc != EX_OK && part[0]) {
        static const char *const suffix[] = { "", "-wal", "-shm" };
        for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
            snprintf(file, sizeof file, "%s%s", part, suffix[i]);
            unlink(file);
        }
    }
    if (z)
        zip_discard(z);
    if (lockfd >= 0)
        close(lockfd);
    free(manifest);
    free(sigtxt);
    sodium_memzero(&h.id, sizeof h.id);
    return rc;
}
