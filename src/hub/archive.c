/* archive.c — a year of the hub's records in a signed, self-verifying zip,
 * chained to the archive before it (see archive.h and archfmt.h). */
#include "archive.h"
#include "archfmt.h"
#include "attach.h"
#include "attachment.h"
#include "clock.h"
#include "conf.h"
#include "days.h"
#include "files.h"
#include "i18n.h"
#include "keys.h"
#include "log.h"
#include "store.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <sodium.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include <zip.h>

/* What a year holds, table by table: ?1 and ?2 the year's first and next
 * year's first second (Asia/Shanghai), ?3 and ?4 the same as dates.  The
 * audit entries are those from the first made in the year to the last made
 * in it (a run without gaps, whatever the clock did), with the checkpoints
 * signed at them. */
#define AUDIT_RANGE                                                              \
    " seq >= (SELECT min(seq) FROM audit_log WHERE at >= ?1)"                    \
    " AND seq <= (SELECT max(seq) FROM audit_log WHERE at < ?2)"
static const char SQL_FILINGS[] =
    "SELECT * FROM filings WHERE received_at >= ?1 AND received_at < ?2 ORDER BY id";
static const char SQL_REVIEWS[] =
    "SELECT * FROM reviews WHERE at >= ?1 AND at < ?2 ORDER BY id";
static const char SQL_MEETINGS[] =
    "SELECT * FROM meetings WHERE date >= ?3 AND date < ?4 ORDER BY id";
static const char SQL_JR[] =
    "SELECT * FROM joint_reviews WHERE created_at >= ?1 AND created_at < ?2 ORDER BY id";
static const char SQL_JR_CAND[] =
    "SELECT * FROM joint_review_candidates WHERE review_id IN (SELECT id FROM joint_reviews"
    " WHERE created_at >= ?1 AND created_at < ?2) ORDER BY review_id, seq";
static const char SQL_JR_UNITS[] =
    "SELECT * FROM joint_review_units WHERE review_id IN (SELECT id FROM joint_reviews"
    " WHERE created_at >= ?1 AND created_at < ?2) ORDER BY review_id, unit";
static const char SQL_OPINIONS[] =
    "SELECT * FROM opinions WHERE received_at >= ?1 AND received_at < ?2 ORDER BY id";
static const char SQL_ANSWERS[] =
    "SELECT * FROM opinion_answers WHERE opinion IN (SELECT id FROM opinions"
    " WHERE received_at >= ?1 AND received_at < ?2) ORDER BY opinion, id_number";
static const char SQL_OBLIG[] =
    "SELECT * FROM obligations WHERE opened_at >= ?1 AND opened_at < ?2 ORDER BY id";
static const char SQL_MESSAGES[] =
    "SELECT * FROM hub_messages WHERE created_at >= ?1 AND created_at < ?2 ORDER BY id";
static const char SQL_RUNS[] =
    "SELECT * FROM hub_runs WHERE started_at < ?2 AND coalesce(stopped_at, alive_at) >= ?1"
    " ORDER BY id";
static const char SQL_AUDIT[] =
    "SELECT * FROM audit_log WHERE" AUDIT_RANGE " ORDER BY seq";
static const char SQL_CKPT[] =
    "SELECT * FROM audit_checkpoints WHERE" AUDIT_RANGE " ORDER BY seq";
/* The documents the year's filings carry (which filing, its place, name,
 * media type, size, hash), and each document once. */
#define YEAR_FILINGS "SELECT id FROM filings WHERE received_at >= ?1 AND received_at < ?2"
static const char SQL_FILING_ATT[] =
    "SELECT * FROM filing_attachments WHERE filing IN (" YEAR_FILINGS ") ORDER BY filing, seq";
/* The year's opinions' documents, the meeting's notices, replies, briefing
 * copies and circulars, and every document any of them names, once. */
#define YEAR_OPINIONS "SELECT id FROM opinions WHERE received_at >= ?1 AND received_at < ?2"
#define YEAR_DISPATCHES "SELECT message_id FROM dispatches WHERE created_at >= ?1" \
    " AND created_at < ?2"
static const char SQL_OPINION_ATT[] =
    "SELECT * FROM opinion_attachments WHERE opinion IN (" YEAR_OPINIONS ") ORDER BY opinion, seq";
static const char SQL_NOTICES[] =
    "SELECT * FROM meeting_notices WHERE meeting IN (SELECT id FROM meetings WHERE"
    " date >= ?3 AND date < ?4) ORDER BY meeting";
static const char SQL_INVITEES[] =
    "SELECT * FROM meeting_invitees WHERE meeting IN (SELECT id FROM meetings WHERE"
    " date >= ?3 AND date < ?4) ORDER BY meeting, seq";
static const char SQL_ATTENDANCES[] =
    "SELECT * FROM attendances WHERE received_at >= ?1 AND received_at < ?2 ORDER BY id";
static const char SQL_DISPATCHES[] =
    "SELECT * FROM dispatches WHERE created_at >= ?1 AND created_at < ?2 ORDER BY message_id";
static const char SQL_DISPATCH_DOCS[] =
    "SELECT * FROM dispatch_documents WHERE message_id IN (" YEAR_DISPATCHES ")"
    " ORDER BY message_id, seq";
static const char SQL_ATT_FILES[] =
    "SELECT hash, max(size) FROM ("
    " SELECT hash, size FROM filing_attachments WHERE filing IN (" YEAR_FILINGS ")"
    " UNION ALL SELECT hash, size FROM opinion_attachments WHERE opinion IN (" YEAR_OPINIONS ")"
    " UNION ALL SELECT hash, size FROM dispatch_documents WHERE message_id IN ("
    YEAR_DISPATCHES "))"
    " GROUP BY hash ORDER BY hash";

static const struct table {
    const char *name;
    const char *sql;
} tables[] = {
    { "filings", SQL_FILINGS },
    { "reviews", SQL_REVIEWS },
    { "meetings", SQL_MEETINGS },
    { "joint_reviews", SQL_JR },
    { "joint_review_candidates", SQL_JR_CAND },
    { "joint_review_units", SQL_JR_UNITS },
    { "opinions", SQL_OPINIONS },
    { "opinion_answers", SQL_ANSWERS },
    { "obligations", SQL_OBLIG },
    { "hub_messages", SQL_MESSAGES },
    { "hub_runs", SQL_RUNS },
    { "audit_log", SQL_AUDIT },
    { "audit_checkpoints", SQL_CKPT },
    { "filing_attachments", SQL_FILING_ATT },
    { "opinion_attachments", SQL_OPINION_ATT },
    { "meeting_notices", SQL_NOTICES },
    { "meeting_invitees", SQL_INVITEES },
    { "attendances", SQL_ATTENDANCES },
    { "dispatches", SQL_DISPATCHES },
    { "dispatch_documents", SQL_DISPATCH_DOCS },
};
#define NTABLES (sizeof tables / sizeof tables[0])

static const char SQL_LAST[] =
    "SELECT manifest_hash FROM archives ORDER BY id DESC LIMIT 1";
static const char SQL_RECORD[] =
    "INSERT INTO archives(year, file, manifest_hash, prev_hash, created_at, created_by)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

struct data {
    char *buf;
    size_t len;
    uint64_t rows;
};

/* The attachments of the year: each file once, by hash, checked. */
struct attfiles {
    struct attfile {
        uint8_t hash[ATT_HASHLEN];
        uint64_t size;
    } *v;
    size_t n;
    uint64_t bytes;
};

/* The audit entries' range, as the manifest names it. */
struct range {
    uint64_t first, last;
    char first_prev[ARCHFMT_HEXLEN], last_hash[ARCHFMT_HEXLEN];
};

static void
usage(void)
{
    fprintf(stderr, "%s", _("usage: lianxi-hub -c HUB.CONF archive --year Y [-o FILE]\n"
                            "  writes the year's records into a signed archive (zip); nothing "
                            "is deleted\n"));
    exit(EX_USAGE);
}

/* One row as a JSON object by column name: integers (exact) and reals as numbers,
 * text as strings, blobs as hex, NULL as null. */
static cJSON *
row_json(sqlite3_stmt *st)
{
    cJSON *o = cJSON_CreateObject();
    int n = sqlite3_column_count(st);

    for (int i = 0; o && i < n; i++) {
        const char *col = sqlite3_column_name(st, i);
        cJSON *v = NULL;

        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER: {
            /* Exactly, whatever its size (a double holds 53 bits). */
            char num[24];
            snprintf(num, sizeof num, "%lld", (long long)sqlite3_column_int64(st, i));
            v = cJSON_CreateRaw(num);
            break;
        }
        case SQLITE_FLOAT: v = cJSON_CreateNumber(sqlite3_column_double(st, i)); break;
        case SQLITE_TEXT: v = cJSON_CreateString((const char *)sqlite3_column_text(st, i)); break;
        case SQLITE_BLOB: {
            int len = sqlite3_column_bytes(st, i);
            char *hex = malloc((size_t)len * 2 + 1);
            if (hex) {
                text_hex(hex, sqlite3_column_blob(st, i), (size_t)len);
                v = cJSON_CreateString(hex);
                free(hex);
            }
            break;
        }
        default: v = cJSON_CreateNull(); break;
        }
        if (!v || !cJSON_AddItemToObject(o, col, v)) {
            cJSON_Delete(v);
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

/* Dumps one table's rows of the year as JSON Lines into d (and the audit
 * entries' range into rg).  Returns 0, or -1 after logging. */
static int
dump(store_t *db, const struct table *t, int64_t from, int64_t to, const char *dfrom,
     const char *dto, struct data *d, struct range *rg)
{
    sqlite3_stmt *st = store_stmt(db, t->sql);
    FILE *f;
    int rc;

    if (!st)
        return -1;
    if (!(f = open_memstream(&d->buf, &d->len))) {
        store_done(st);
        return -1;
    }
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_text(st, 3, dfrom, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, dto, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *o = row_json(st);
        char *line = o ? cJSON_PrintUnformatted(o) : NULL;

        if (!line) {
            cJSON_Delete(o);
            rc = SQLITE_NOMEM;
            break;
        }
        fputs(line, f);
        fputc('\n', f);
        free(line);
        if (rg) {
            const char *prev = cJSON_GetStringValue(cJSON_GetObjectItem(o, "prev"));
            const char *hash = cJSON_GetStringValue(cJSON_GetObjectItem(o, "hash"));
            rg->last = (uint64_t)sqlite3_column_int64(st, 0);
            if (!d->rows) {
                rg->first = rg->last;
                snprintf(rg->first_prev, sizeof rg->first_prev, "%s", prev ? prev : "");
            }
            snprintf(rg->last_hash, sizeof rg->last_hash, "%s", hash ? hash : "");
        }
        cJSON_Delete(o);
        d->rows++;
    }
    store_done(st);
    if (fclose(f) != 0 || rc != SQLITE_DONE) {
        log_warnx("archive: reading %s: %s", t->name, store_errmsg(db));
        return -1;
    }
    return 0;
}

static int
add_file(zip_t *z, const char *name, const void *data, size_t len, time_t mtime, int deflate)
{
    zip_source_t *src = zip_source_buffer(z, data, len, 0);
    zip_int64_t idx;

    if (!src)
        return -1;
    if ((idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
        zip_source_free(src);
        return -1;
    }
    if (zip_file_set_mtime(z, (zip_uint64_t)idx, mtime, 0) < 0 ||
        zip_set_file_compression(z, (zip_uint64_t)idx, deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                 0) < 0)
        return -1;
    return 0;
}

/* The zip at path (mode 0600, synced): the data files, the attachments
 * (each read from its file in the store at attdir while the zip is
 * written, never whole in memory, stored as it is), manifest.json and
 * manifest.sig.  Returns 0, or -1 after logging (path removed). */
static int
build_zip(const char *path, struct data *d, const struct attfiles *af, const char *attdir,
          const char *manifest, const uint8_t sig[64], time_t mtime)
{
    zip_t *z = NULL;
    char name[ATT_HEXLEN + 32];
    int err = 0, fd;

    unlink(path);
    if (!(z = zip_open(path, ZIP_CREATE | ZIP_EXCL, &err))) {
        log_warnx(_("cannot create %s (zip error %d)"), path, err);
        return -1;
    }
    for (size_t i = 0; i < NTABLES; i++) {
        snprintf(name, sizeof name, "%s.jsonl", tables[i].name);
        if (add_file(z, name, d[i].buf, d[i].len, mtime, 1) < 0)
            goto fail;
    }
    for (size_t i = 0; i < af->n; i++) {
        char hex[ATT_HEXLEN + 1], file[PATH_MAX + 80];
        zip_source_t *src;
        zip_int64_t idx;
        text_hex(hex, af->v[i].hash, ATT_HASHLEN);
        snprintf(file, sizeof file, "%s/%.2s/%s", attdir, hex, hex);
        snprintf(name, sizeof name, "%s%.2s/%s", ARCHFMT_ATT_PREFIX, hex, hex);
        if (!(src = zip_source_file(z, file, 0, -1)))
            goto fail;
        if ((idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
            zip_source_free(src);
            goto fail;
        }
        if (zip_file_set_mtime(z, (zip_uint64_t)idx, mtime, 0) < 0 ||
            zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0)
            goto fail;
    }
    if (add_file(z, ARCHFMT_MANIFEST, manifest, strlen(manifest), mtime, 1) < 0 ||
        add_file(z, ARCHFMT_SIG, sig, 64, mtime, 0) < 0 || zip_close(z) < 0)
        goto fail;
    z = NULL;
    if (chmod(path, 0600) < 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        goto io;
    if (fsync(fd) < 0) {
        close(fd);
        goto io;
    }
    close(fd);
    return 0;
fail:
    log_warnx(_("cannot write %s: %s"), path, zip_strerror(z));
    zip_discard(z);
    unlink(path);
    return -1;
io:
    log_warnx(_("cannot write %s: %s"), path, log_strerror(errno));
    unlink(path);
    return -1;
}

/* Checks each attachment's file in the store against its hash and size
 * (an archive holds the documents as the units signed them, or is not
 * written).  Returns 0, or -1 after saying which is not. */
static int
check_attachments(const struct attfiles *af, const char *attdir)
{
    for (size_t i = 0; i < af->n; i++) {
        char hex[ATT_HEXLEN + 1], file[PATH_MAX + 80];
        uint8_t got[ATT_HASHLEN];
        uint64_t size = 0;
        text_hex(hex, af->v[i].hash, ATT_HASHLEN);
        snprintf(file, sizeof file, "%s/%.2s/%s", attdir, hex, hex);
        if (att_hash_file(file, got, &size) < 0 || size != af->v[i].size ||
            sodium_memcmp(got, af->v[i].hash, ATT_HASHLEN) != 0) {
            fprintf(stderr, _("lianxi-hub archive: the attachment %s of the year is missing from "
                              "%s or is not its bytes: no archive was written\n"), hex, attdir);
            return -1;
        }
    }
    return 0;
}

static char *
manifest_text(int year, const char *county, int64_t now, const char *identity,
              const uint8_t pk[32], const char *prev, const struct data *d, const struct range *rg,
              const struct attfiles *af)
{
    cJSON *m = cJSON_CreateObject(), *counts, *files, *audit;
    char hex[ARCHFMT_HEXLEN], when[20], name[96];
    char *s = NULL;

    if (!m)
        return NULL;
    days_time_format(now, when);
    text_hex(hex, pk, 32);
    cJSON_AddStringToObject(m, "format", ARCHFMT_FORMAT);
    cJSON_AddNumberToObject(m, "year", year);
    cJSON_AddStringToObject(m, "county", county ? county : "");
    cJSON_AddStringToObject(m, "created_at", when);
    cJSON_AddStringToObject(m, "created_at_zone", "Asia/Shanghai");
    cJSON_AddNumberToObject(m, "created_at_unix", (double)now);
    cJSON_AddStringToObject(m, "database", identity);
    cJSON_AddStringToObject(m, "hub_sign_key", hex);
    cJSON_AddStringToObject(m, "prev", prev);
    counts = cJSON_AddObjectToObject(m, "counts");
    for (size_t i = 0; counts && i < NTABLES; i++)
        cJSON_AddNumberToObject(counts, tables[i].name, (double)d[i].rows);
    audit = cJSON_AddObjectToObject(m, "audit");
    if (audit) {
        cJSON_AddNumberToObject(audit, "first_seq", (double)rg->first);
        cJSON_AddNumberToObject(audit, "last_seq", (double)rg->last);
        cJSON_AddStringToObject(audit, "first_prev", rg->first_prev);
        cJSON_AddStringToObject(audit, "last_hash", rg->last_hash);
    }
    files = cJSON_AddArrayToObject(m, "files");
    for (size_t i = 0; files && i < NTABLES; i++) {
        cJSON *f = cJSON_CreateObject();
        snprintf(name, sizeof name, "%s.jsonl", tables[i].name);
        archfmt_hash(d[i].buf, d[i].len, hex);
        if (!f || !cJSON_AddItemToArray(files, f)) {
            cJSON_Delete(f);
            break;
        }
        cJSON_AddStringToObject(f, "name", name);
        cJSON_AddNumberToObject(f, "size", (double)d[i].len);
        cJSON_AddStringToObject(f, "blake2b", hex);
        cJSON_AddNumberToObject(f, "rows", (double)d[i].rows);
    }
    /* The documents, each a file of its own named by its hash. */
    files = cJSON_AddArrayToObject(m, "attachments");
    for (size_t i = 0; files && i < af->n; i++) {
        cJSON *f = cJSON_CreateObject();
        text_hex(hex, af->v[i].hash, ATT_HASHLEN);
        snprintf(name, sizeof name, "%s%.2s/%s", ARCHFMT_ATT_PREFIX, hex, hex);
        if (!f || !cJSON_AddItemToArray(files, f)) {
            cJSON_Delete(f);
            break;
        }
        cJSON_AddStringToObject(f, "name", name);
        cJSON_AddNumberToObject(f, "size", (double)af->v[i].size);
        cJSON_AddStringToObject(f, "blake2b", hex);
    }
    cJSON_AddNumberToObject(m, "attachments_bytes", (double)af->bytes);
    s = cJSON_Print(m);
    cJSON_Delete(m);
    return s;
}

/* The year's records, read in one read transaction.  Returns 0, or -1. */
static int
read_year(store_t *db, int year, struct data *d, struct range *rg, char prev[ARCHFMT_HEXLEN],
          struct attfiles *af)
{
    int64_t from = days_start(days_from_civil(year, 1, 1));
    int64_t to = days_start(days_from_civil(year + 1, 1, 1));
    char dfrom[16], dto[16];
    sqlite3_stmt *st;
    int rc = -1, r;

    snprintf(dfrom, sizeof dfrom, "%04d-01-01", year);
    snprintf(dto, sizeof dto, "%04d-01-01", year + 1);
    if (store_begin_read(db) < 0)
        return -1;
    if (!(st = store_stmt(db, SQL_LAST)))
        goto out;
    prev[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(prev, ARCHFMT_HEXLEN, "%s", (const char *)sqlite3_column_text(st, 0));
    store_done(st);
    for (size_t i = 0; i < NTABLES; i++)
        if (dump(db, &tables[i], from, to, dfrom, dto, &d[i],
                 strcmp(tables[i].name, "audit_log") == 0 ? rg : NULL) < 0)
            goto out;
    if (!(st = store_stmt(db, SQL_ATT_FILES)))
        goto out;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        void *nv = realloc(af->v, (af->n + 1) * sizeof *af->v);
        if (!nv) {
            r = SQLITE_NOMEM;
            break;
        }
        af->v = nv;
        if (sqlite3_column_bytes(st, 0) != ATT_HASHLEN) {
            r = SQLITE_CORRUPT;
            break;
        }
        memcpy(af->v[af->n].hash, sqlite3_column_blob(st, 0), ATT_HASHLEN);
        af->v[af->n].size = (uint64_t)sqlite3_column_int64(st, 1);
        af->bytes += af->v[af->n].size;
        af->n++;
    }
    store_done(st);
    if (r != SQLITE_DONE) {
        log_warnx("archive: reading the attachments: %s", store_errmsg(db));
        goto out;
    }
    rc = 0;
out:
    store_end_read(db);
    return rc;
}

/* Records the archive in the archives table, if the last one recorded is
 * still prev (another archive written meanwhile would fork the chain).
 * Returns 0, 1 when it is not, or -1. */
static int
record(const char *dbpath, int year, const char *file, const char *hash, const char *prev,
       int64_t now)
{
    struct passwd *pw = getpwuid(geteuid());
    store_t *db = store_open_aside(dbpath);
    sqlite3_stmt *st;
    char last[ARCHFMT_HEXLEN] = "";
    int rc = -1;

    if (!db)
        return -1;
    if (store_begin(db) < 0)
        goto out;
    if (!(st = store_stmt(db, SQL_LAST)))
        goto undo;
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(last, sizeof last, "%s", (const char *)sqlite3_column_text(st, 0));
    store_done(st);
    if (strcmp(last, prev) != 0) {
        rc = 1;
        goto undo;
    }
    if (!(st = store_stmt(db, SQL_RECORD)))
        goto undo;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, prev, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_text(st, 6, pw ? pw->pw_name : "?", -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) {
        log_warnx("archive: recording it: %s", store_errmsg(db));
        store_done(st);
        goto undo;
    }
    store_done(st);
    rc = store_commit(db);
    goto out;
undo:
    store_rollback(db);
out:
    store_close(&db);
    return rc;
}

/* Renames tmp to path and makes the rename durable. */
static int
publish(const char *tmp, const char *path)
{
    char dir[PATH_MAX];
    int fd;

    if (rename(tmp, path) < 0)
        return -1;
    files_dirname(dir, sizeof dir, path);
    if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        fsync(fd);
        close(fd);
    }
    return 0;
}

int
archive_main(const char *cfile, int argc, char **argv)
{
    static const struct option opts[] = {
        { "year", required_argument, NULL, 'y' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct data d[NTABLES] = { { 0 } };
    struct range rg = { 0 };
    struct identity id;
    char dbpath[PATH_MAX], cert[PATH_MAX], sign[PATH_MAX], out[PATH_MAX], tmp[PATH_MAX + 16];
    char prev[ARCHFMT_HEXLEN], hash[ARCHFMT_HEXLEN], pkhex[ARCHFMT_HEXLEN], county[128];
    char abs[PATH_MAX], cwd[PATH_MAX], attdir[PATH_MAX];
    const char *output = NULL, *cn;
    char *manifest = NULL;
    struct attfiles af = { 0 };
    struct stat sb;
    uint8_t pk[32], sig[64];
    store_t *db = NULL;
    conf_t *conf;
    int c, year = 0, rc = EX_SOFTWARE, r;
    int64_t now = clock_now();

    optind = 1;
    while ((c = getopt_long(argc, argv, "y:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'y': year = atoi(optarg); break;
        case 'o': output = optarg; break;
        default: usage();
        }
    }
    if (!cfile || optind != argc || year < 2000 || year > 2200)
        usage();
    if (sodium_init() < 0)
        return EX_SOFTWARE;
    if (!(conf = conf_load(cfile)))
        return EX_CONFIG;
    conf_language(conf, "hub");
    if (conf_path(conf, "hub", "database", NULL, dbpath, sizeof dbpath) < 0 ||
        conf_path(conf, "hub", "cert", NULL, cert, sizeof cert) < 0 ||
        conf_path(conf, "hub", "sign", NULL, sign, sizeof sign) < 0 ||
        attach_conf_dir(conf, dbpath, attdir, sizeof attdir) < 0 ||
        keys_load_identity(cert, sign, &id) < 0 || !id.has_sign) {
        conf_destroy(&conf);
        return EX_CONFIG;
    }
    cn = conf_get(conf, "hub", "county", NULL);
    snprintf(county, sizeof county, "%s", cn && *cn ? cn : "");
    conf_destroy(&conf);
    crypto_sign_ed25519_sk_to_pk(pk, id.sign_sk);
    if (output)
        snprintf(out, sizeof out, "%s", output);
    else
        snprintf(out, sizeof out, "lianxi-archive-%s-%d.zip", county[0] ? county : "hub", year);
    /* An archive written before is a link of the chain: never replaced. */
    if (access(out, F_OK) == 0) {
        fprintf(stderr, _("lianxi-hub archive: %s exists already (an archive is never "
                          "replaced): give another name with -o\n"), out);
        return EX_CANTCREAT;
    }
    if (!realpath(".", cwd) || files_join(abs, sizeof abs, cwd, out) < 0)
        snprintf(abs, sizeof abs, "%s", out);

    /* The year, as one state of the database. */
    if (!(db = store_open_ro(dbpath))) {
        rc = EX_NOINPUT;
        goto done;
    }
    if (read_year(db, year, d, &rg, prev, &af) < 0) {
        fprintf(stderr, _("lianxi-hub archive: cannot read the year %d from %s\n"), year, dbpath);
        goto done;
    }
    if (check_attachments(&af, attdir) < 0) {
        rc = EX_DATAERR;
        goto done;
    }
    if (!(manifest = manifest_text(year, county, now, store_identity(db), pk, prev, d, &rg,
                                   &af)))
        goto done;
    store_close(&db);
    crypto_sign_detached(sig, NULL, (const uint8_t *)manifest, strlen(manifest), id.sign_sk);
    archfmt_hash(manifest, strlen(manifest), hash);
    /* Durable under a temporary name, recorded, then named. */
    snprintf(tmp, sizeof tmp, "%s.part", out);
    if (build_zip(tmp, d, &af, attdir, manifest, sig, (time_t)now) < 0) {
        fprintf(stderr, _("lianxi-hub archive: cannot write %s (the reason is above)\n"), tmp);
        rc = EX_CANTCREAT;
        goto done;
    }
    if ((r = record(dbpath, year, abs, hash, prev, now)) != 0) {
        unlink(tmp);
        if (r > 0)
            fprintf(stderr, "%s", _("lianxi-hub archive: another archive was recorded while this "
                                    "one was written; nothing was kept: run it again\n"));
        else
            fprintf(stderr, _("lianxi-hub archive: cannot record the archive in %s (the chain of "
                              "archives needs it); nothing was kept\n"), dbpath);
        rc = r > 0 ? EX_TEMPFAIL : EX_CANTCREAT;
        goto done;
    }
    if (publish(tmp, out) < 0) {
        fprintf(stderr, _("lianxi-hub archive: cannot name %s: %s (recorded; the archive is %s)\n"),
                out, log_strerror(errno), tmp);
        rc = EX_CANTCREAT;
        goto done;
    }
    printf(_("archive written: %s (%lld bytes, mode 0600)\n"), out,
           stat(out, &sb) == 0 ? (long long)sb.st_size : 0LL);
    printf(_("year %d: %llu filings, %llu reviews, %llu meetings, %llu joint reviews, %llu "
             "opinions, %llu obligations, %llu messages to units, %llu audit entries, %llu "
             "checkpoints\n"), year, (unsigned long long)d[0].rows, (unsigned long long)d[1].rows,
           (unsigned long long)d[2].rows, (unsigned long long)d[3].rows,
           (unsigned long long)d[6].rows, (unsigned long long)d[8].rows,
           (unsigned long long)d[9].rows, (unsigned long long)d[11].rows,
           (unsigned long long)d[12].rows);
    printf(_("attachments of the year's filings: %zu files, %llu bytes, each checked against "
             "its hash; %llu places in filings\n"), af.n, (unsigned long long)af.bytes,
           (unsigned long long)d[13].rows);
    printf(_("manifest hash (BLAKE2b-256): %s\n"), hash);
    if (prev[0])
        printf(_("previous archive: %s\n"), prev);
    else
        printf("%s", _("previous archive: none (the first archive of this database)\n"));
    text_hex(pkhex, pk, sizeof pk);
    printf(_("signed by the hub's key %.16s…; check it anywhere with: lianxi archive-verify %s "
             "--hub-cert hub.cert\n"), pkhex, out);
    printf("%s", _("nothing was deleted from the database\n"));
    rc = EX_OK;
done:
    store_close(&db);
    for (size_t i = 0; i < NTABLES; i++)
        free(d[i].buf);
    free(manifest);
    free(af.v);
    sodium_memzero(&id, sizeof id);
    return rc;
}
