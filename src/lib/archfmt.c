/* archfmt.c — the yearly archives' format and their verification (see
 * archfmt.h). */
#include "archfmt.h"
#include "auditchain.h"
#include "i18n.h"
#include "text.h"
#include "witness.h"

#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <zip.h>

void
archfmt_hash(const void *data, size_t len, char out[ARCHFMT_HEXLEN])
{
    uint8_t h[32];

    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    text_hex(out, h, sizeof h);
}

static void
add(struct archfmt_result *r, int ok, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(struct archfmt_result *r, int ok, const char *file, const char *fmt, ...)
{
    struct archfmt_finding *f = realloc(r->findings, (r->nfindings + 1) * sizeof *f);
    va_list ap;

    if (!f)
        return;
    r->findings = f;
    f += r->nfindings++;
    f->ok = ok;
    snprintf(f->file, sizeof f->file, "%s", file ? file : "");
    va_start(ap, fmt);
    vsnprintf(f->text, sizeof f->text, fmt, ap);
    va_end(ap);
    if (!ok)
        r->bad++;
}

void
archfmt_result_free(struct archfmt_result *r)
{
    free(r->findings);
    r->findings = NULL;
    r->nfindings = 0;
}

/* One file of the zip, read whole; an attachment only hashed on the way
 * (data NULL, its BLAKE2b-256 in hex): never whole in memory. */
struct entry {
    char *name;
    char *data;
    size_t len;
    int unreadable;
    int listed;
    char hex[ARCHFMT_HEXLEN];
};

struct zipped {
    struct entry *e;
    size_t n;
};

static void
zipped_free(struct zipped *z)
{
    for (size_t i = 0; i < z->n; i++) {
        free(z->e[i].name);
        free(z->e[i].data);
    }
    free(z->e);
    memset(z, 0, sizeof *z);
}

/* Hashes entry i of z in pieces into e (hex, len); unreadable when the
 * zip cannot give it (a changed byte fails its CRC). */
static void
hash_entry(zip_t *z, zip_uint64_t i, struct entry *e)
{
    crypto_generichash_state st;
    uint8_t buf[65536], h[32];
    zip_file_t *f = zip_fopen_index(z, i, 0);
    zip_int64_t n;

    if (!f) {
        e->unreadable = 1;
        return;
    }
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) {
        crypto_generichash_update(&st, buf, (size_t)n);
        e->len += (size_t)n;
    }
    if (n < 0 || zip_fclose(f) != 0)
        e->unreadable = 1;
    crypto_generichash_final(&st, h, sizeof h);
    text_hex(e->hex, h, sizeof h);
}

/* Reads every file of the zip at path.  Returns 0, or -1 when it is no zip
 * that can be opened. */
static int
zipped_read(const char *path, struct zipped *out)
{
    zip_t *z;
    zip_int64_t n;
    int err = 0;

    memset(out, 0, sizeof *out);
    if (!(z = zip_open(path, ZIP_RDONLY, &err)))
        return -1;
    n = zip_get_num_entries(z, 0);
    if (n < 0 || !(out->e = calloc((size_t)n + 1, sizeof *out->e))) {
        zip_discard(z);
        return -1;
    }
    for (zip_int64_t i = 0; i < n; i++) {
        struct entry *e = &out->e[out->n++];
        zip_stat_t st;
        zip_file_t *f;

        zip_stat_init(&st);
        if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) < 0 || !(st.valid & ZIP_STAT_NAME)) {
            e->name = strdup("?");
            e->unreadable = 1;
            continue;
        }
        e->name = strdup(st.name);
        if (strncmp(st.name, ARCHFMT_ATT_PREFIX, strlen(ARCHFMT_ATT_PREFIX)) == 0) {
            hash_entry(z, (zip_uint64_t)i, e);
            continue;
        }
        if (!(st.valid & ZIP_STAT_SIZE) || !(e->data = malloc(st.size + 1)) ||
            !(f = zip_fopen_index(z, (zip_uint64_t)i, 0))) {
            e->unreadable = 1;
            continue;
        }
        /* A changed byte in deflated data fails the zip's own CRC here. */
        if (zip_fread(f, e->data, st.size) != (zip_int64_t)st.size)
            e->unreadable = 1;
        else {
            char extra;
            if (zip_fread(f, &extra, 1) != 0)
                e->unreadable = 1;
        }
        if (zip_fclose(f) != 0)
            e->unreadable = 1;
        e->len = st.size;
        e->data[e->len] = '\0';
    }
    zip_discard(z);
    return 0;
}

static struct entry *
zipped_find(struct zipped *z, const char *name)
{
    for (size_t i = 0; i < z->n; i++)
        if (z->e[i].name && strcmp(z->e[i].name, name) == 0)
            return &z->e[i];
    return NULL;
}

static const char *
jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
jnum(const cJSON *o, const char *key, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v))
        return -1;
    *out = v->valuedouble;
    return 0;
}

static int
jhash(const cJSON *o, const char *key, uint8_t out[32])
{
    const char *s = jstr(o, key);
    return s && strlen(s) == 64 && text_unhex(out, 32, s) == 0 ? 0 : -1;
}

/* The lines of a JSON Lines file (the last one may lack its newline). */
static uint64_t
count_lines(const char *data, size_t len)
{
    uint64_t n = 0;

    for (size_t i = 0; i < len; i++)
        if (data[i] == '\n')
            n++;
    if (len && data[len - 1] != '\n')
        n++;
    return n;
}

/* Calls fn on each line of e parsed as JSON; stops at the first that is no
 * JSON object or that fn refuses (-1).  Returns 0, or -1. */
typedef int (line_fn)(void *arg, const cJSON *row, uint64_t lineno);

static int
each_line(struct archfmt_result *r, const struct entry *e, line_fn *fn, void *arg)
{
    const char *p = e->data, *end = e->data + e->len;
    uint64_t lineno = 0;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        cJSON *row;
        int rc;

        lineno++;
        if (!(row = cJSON_ParseWithLength(p, n)) || !cJSON_IsObject(row)) {
            cJSON_Delete(row);
            add(r, 0, e->name, _("%s, line %llu: not a JSON object"), e->name,
                (unsigned long long)lineno);
            return -1;
        }
        rc = fn(arg, row, lineno);
        cJSON_Delete(row);
        if (rc < 0)
            return -1;
        p += n + (nl ? 1 : 0);
    }
    return 0;
}

/* The audit entries, chained; the hashes kept for the checkpoints. */
struct chain_ctx {
    struct archfmt_result *r;
    struct auditchain c;
    uint8_t (*hashes)[32];
    size_t n, cap;
};

static int
audit_line(void *arg, const cJSON *row, uint64_t lineno)
{
    struct chain_ctx *x = arg;
    struct auditchain_entry e = { 0 };
    double seq, at;
    char why[512];

    if (jnum(row, "seq", &seq) < 0 || jnum(row, "at", &at) < 0 ||
        !(e.actor = jstr(row, "actor")) || !(e.action = jstr(row, "action")) ||
        !(e.object = jstr(row, "object")) || !(e.detail = jstr(row, "detail")) ||
        jhash(row, "prev", e.prev) < 0 || jhash(row, "hash", e.hash) < 0) {
        add(x->r, 0, ARCHFMT_AUDIT, _("%s, line %llu: not an audit entry"), ARCHFMT_AUDIT,
            (unsigned long long)lineno);
        return -1;
    }
    e.seq = (uint64_t)seq;
    e.at = (int64_t)at;
    if (auditchain_step(&x->c, &e, why, sizeof why) < 0) {
        add(x->r, 0, ARCHFMT_AUDIT, "%s: %s", ARCHFMT_AUDIT, why);
        return -1;
    }
    if (x->n == x->cap) {
        size_t ncap = x->cap ? x->cap * 2 : 256;
        void *nh = realloc(x->hashes, ncap * sizeof *x->hashes);
        if (!nh)
            return -1;
        x->hashes = nh;
        x->cap = ncap;
    }
    memcpy(x->hashes[x->n++], e.hash, 32);
    return 0;
}

struct ckpt_ctx {
    struct chain_ctx *chain;
    const uint8_t *pk;
    uint64_t checked;
};

static int
ckpt_line(void *arg, const cJSON *row, uint64_t lineno)
{
    struct ckpt_ctx *x = arg;
    struct archfmt_result *r = x->chain->r;
    struct witness w = { 0 };
    const char *sig = jstr(row, "signature");
    double seq;

    if (jnum(row, "seq", &seq) < 0 || jhash(row, "head", w.head) < 0 || !sig ||
        strlen(sig) != 128 || text_unhex(w.sig, sizeof w.sig, sig) < 0) {
        add(r, 0, ARCHFMT_CHECKPOINTS, _("%s, line %llu: not a checkpoint"), ARCHFMT_CHECKPOINTS,
            (unsigned long long)lineno);
        return -1;
    }
    w.seq = (uint64_t)seq;
    if (witness_verify(&w, x->pk) < 0) {
        add(r, 0, ARCHFMT_CHECKPOINTS, _("the checkpoint at audit entry %llu is not signed by the "
            "hub's key"), (unsigned long long)w.seq);
        return -1;
    }
    if (!x->chain->c.started || w.seq < x->chain->c.first_seq || w.seq > x->chain->c.last_seq) {
        add(r, 0, ARCHFMT_CHECKPOINTS, _("the checkpoint at audit entry %llu is outside the "
            "entries in the archive"), (unsigned long long)w.seq);
        return -1;
    }
    if (memcmp(x->chain->hashes[w.seq - x->chain->c.first_seq], w.head, 32) != 0) {
        add(r, 0, ARCHFMT_CHECKPOINTS, _("the hub's signed checkpoint at audit entry %llu does "
            "not match that entry: the entries were rewritten"), (unsigned long long)w.seq);
        return -1;
    }
    x->checked++;
    return 0;
}

/* The audit entries and checkpoints in the archive (their files' hashes
 * are checked with the others). */
static void
check_audit(struct archfmt_result *r, struct zipped *z, const cJSON *m, const uint8_t *pk)
{
    struct entry *a = zipped_find(z, ARCHFMT_AUDIT), *k = zipped_find(z, ARCHFMT_CHECKPOINTS);
    struct chain_ctx cx = { .r = r };
    struct ckpt_ctx kx = { .chain = &cx, .pk = pk };
    const cJSON *am = cJSON_GetObjectItemCaseSensitive(m, "audit");
    double first = 0, last = 0;
    char hex[ARCHFMT_HEXLEN];
    uint8_t h[32];

    if (!a || a->unreadable)
        return;                 /* said with the files */
    if (each_line(r, a, audit_line, &cx) < 0)
        goto out;
    r->audit_entries = cx.c.count;
    if (k && !k->unreadable && each_line(r, k, ckpt_line, &kx) < 0)
        goto out;
    /* The manifest's range is what the entries are (signed with it). */
    if (cx.c.count && (!cJSON_IsObject(am) || jnum(am, "first_seq", &first) < 0 ||
                       jnum(am, "last_seq", &last) < 0 || (uint64_t)first != cx.c.first_seq ||
                       (uint64_t)last != cx.c.last_seq || jhash(am, "last_hash", h) < 0 ||
                       memcmp(h, cx.c.head, 32) != 0 || jhash(am, "first_prev", h) < 0 ||
                       memcmp(h, cx.c.first_prev, 32) != 0)) {
        add(r, 0, ARCHFMT_AUDIT, "%s", _("the audit entries are not the range the manifest "
            "names"));
        goto out;
    }
    if (cx.c.count) {
        text_hex(hex, cx.c.head, 32);
        add(r, 1, ARCHFMT_AUDIT, _("audit chain continuous: entries %llu to %llu, head %.16s…, "
            "%llu signed checkpoints match"), (unsigned long long)cx.c.first_seq,
            (unsigned long long)cx.c.last_seq, hex, (unsigned long long)kx.checked);
    } else
        add(r, 1, ARCHFMT_AUDIT, "%s", _("no audit entries in this year"));
out:
    free(cx.hashes);
}

/* The hashes the archive's attachments are named by, for the rows of
 * filing_attachments.jsonl. */
struct att_ctx {
    struct archfmt_result *r;
    const cJSON *listed;
    uint64_t missing;
};

static int
att_row(void *arg, const cJSON *row, uint64_t lineno)
{
    struct att_ctx *x = arg;
    const char *hash = jstr(row, "hash"), *want;
    const cJSON *a;

    if (!hash || strlen(hash) != 64) {
        add(x->r, 0, ARCHFMT_FILING_ATT, _("%s, line %llu: not an attachment's place"),
            ARCHFMT_FILING_ATT, (unsigned long long)lineno);
        return -1;
    }
    cJSON_ArrayForEach(a, x->listed)
        if ((want = jstr(a, "blake2b")) && strcmp(want, hash) == 0)
            return 0;
    x->missing++;
    add(x->r, 0, ARCHFMT_FILING_ATT, _("%s, line %llu: the attachment %.16s… a filing carries "
        "is not in the archive"), ARCHFMT_FILING_ATT, (unsigned long long)lineno, hash);
    return 0;
}

/* The attachments the manifest lists: each present, its size and its
 * hash (streamed, never whole in memory) as listed, its name its hash;
 * and every one filing_attachments.jsonl names among them. */
static void
check_attachments(struct archfmt_result *r, struct zipped *z, const cJSON *m)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(m, "attachments"), *a;
    struct entry *fa = zipped_find(z, ARCHFMT_FILING_ATT);
    size_t pl = strlen(ARCHFMT_ATT_PREFIX);
    uint64_t n = 0, bad = 0;
    double total = 0, said;

    if (!list && !fa)
        return;                 /* format 1: no attachments */
    if (!cJSON_IsArray(list)) {
        add(r, 0, ARCHFMT_MANIFEST, "%s", _("manifest.json does not list the attachments"));
        return;
    }
    cJSON_ArrayForEach(a, list) {
        const char *name = jstr(a, "name"), *want = jstr(a, "blake2b");
        double size;
        struct entry *e;

        n++;
        if (!name || !want || jnum(a, "size", &size) < 0 || strlen(want) != 64 ||
            strlen(name) != pl + 3 + 64 || strncmp(name, ARCHFMT_ATT_PREFIX, pl) != 0 ||
            strcmp(name + pl + 3, want) != 0 || strncmp(name + pl, want, 2) != 0) {
            add(r, 0, ARCHFMT_MANIFEST, "%s", _("manifest.json lists an attachment without its "
                "name, size or hash, or under a name that is not its hash"));
            bad++;
            continue;
        }
        total += size;
        if (!(e = zipped_find(z, name))) {
            add(r, 0, name, _("the attachment %s is missing from the archive"), name);
            bad++;
            continue;
        }
        if (e->listed) {
            add(r, 0, name, _("%s is listed twice in the manifest"), name);
            bad++;
            continue;
        }
        e->listed = 1;
        if (e->unreadable) {
            add(r, 0, name, _("%s cannot be read from the zip (damaged)"), name);
            bad++;
        } else if ((double)e->len != size) {
            add(r, 0, name, _("%s: %zu bytes, the manifest says %.0f"), name, e->len, size);
            bad++;
        } else if (strcmp(e->hex, want) != 0) {
            add(r, 0, name, _("the attachment %s: its hash %.16s… is not the manifest's %.16s…: "
                "the document was changed"), name, e->hex, want);
            bad++;
        }
    }
    if (jnum(m, "attachments_bytes", &said) < 0 || said != total) {
        add(r, 0, ARCHFMT_MANIFEST, "%s", _("manifest.json's attachments_bytes is not the sum "
            "of the attachments' sizes"));
        bad++;
    }
    if (fa && !fa->unreadable && fa->data) {
        struct att_ctx x = { r, list, 0 };
        if (each_line(r, fa, att_row, &x) < 0 || x.missing)
            bad++;
    }
    if (!bad)
        add(r, 1, ARCHFMT_ATT_PREFIX, _("%llu attachments: each present, its size and its "
            "BLAKE2b-256 match, every one the filings carry is here"), (unsigned long long)n);
}

/* The manifest of the archive at path, its bytes' hash in hash.  Returns
 * the parsed manifest, or NULL. */
static cJSON *
prev_manifest(const char *path, char hash[ARCHFMT_HEXLEN])
{
    struct zipped z;
    struct entry *e;
    cJSON *m = NULL;

    if (zipped_read(path, &z) < 0)
        return NULL;
    if ((e = zipped_find(&z, ARCHFMT_MANIFEST)) && !e->unreadable) {
        archfmt_hash(e->data, e->len, hash);
        m = cJSON_ParseWithLength(e->data, e->len);
    }
    zipped_free(&z);
    return m;
}

static int
check_prev(struct archfmt_result *r, const cJSON *m, const char *prev_path)
{
    char hash[ARCHFMT_HEXLEN];
    cJSON *pm = prev_manifest(prev_path, hash);
    const cJSON *pa, *a;
    uint8_t plast[32], first[32];
    double plseq, fseq;

    if (!pm) {
        add(r, 0, "", _("the previous archive %s cannot be read"), prev_path);
        return EX_NOINPUT;
    }
    if (strcmp(hash, r->prev_hash) != 0)
        add(r, 0, ARCHFMT_MANIFEST, _("the archive does not follow %s: it names %.16s… as the "
            "previous archive, that one's manifest hash is %.16s…"), prev_path,
            r->prev_hash[0] ? r->prev_hash : "-", hash);
    else
        add(r, 1, ARCHFMT_MANIFEST, _("chained to the previous archive %s (manifest hash "
            "%.16s…)"), prev_path, hash);
    /* Consecutive years: the first audit entry here names the last there. */
    pa = cJSON_GetObjectItemCaseSensitive(pm, "audit");
    a = cJSON_GetObjectItemCaseSensitive(m, "audit");
    if (cJSON_IsObject(pa) && cJSON_IsObject(a) && jnum(pa, "last_seq", &plseq) == 0 &&
        jnum(a, "first_seq", &fseq) == 0 && (uint64_t)plseq + 1 == (uint64_t)fseq &&
        jhash(pa, "last_hash", plast) == 0 && jhash(a, "first_prev", first) == 0) {
        if (memcmp(plast, first, 32) == 0)
            add(r, 1, ARCHFMT_AUDIT, _("the audit chain goes on from the previous archive's "
                "last entry %llu"), (unsigned long long)plseq);
        else
            add(r, 0, ARCHFMT_AUDIT, _("the first audit entry %llu does not name the previous "
                "archive's last entry: the chain is broken between the archives"),
                (unsigned long long)fseq);
    }
    cJSON_Delete(pm);
    return 0;
}

int
archfmt_verify(const char *path, const uint8_t *pin, const char *prev_path,
               struct archfmt_result *r)
{
    struct zipped z;
    struct entry *me, *se;
    cJSON *m = NULL;
    const cJSON *files, *f;
    const char *s;
    uint8_t key[32];
    double year;
    int rc = EX_OK;

    memset(r, 0, sizeof *r);
    if (zipped_read(path, &z) < 0) {
        add(r, 0, "", _("%s cannot be read as a zip archive"), path);
        return EX_NOINPUT;
    }
    me = zipped_find(&z, ARCHFMT_MANIFEST);
    se = zipped_find(&z, ARCHFMT_SIG);
    if (!me || me->unreadable) {
        add(r, 0, ARCHFMT_MANIFEST, "%s", _("manifest.json is missing or unreadable: this is no "
            "lianxi archive, or it was damaged"));
        rc = EX_DATAERR;
        goto out;
    }
    me->listed = 1;
    archfmt_hash(me->data, me->len, r->manifest_hash);
    m = cJSON_ParseWithLength(me->data, me->len);
    if (!cJSON_IsObject(m) || !(s = jstr(m, "format")) ||
        (strcmp(s, ARCHFMT_FORMAT) != 0 && strcmp(s, ARCHFMT_FORMAT_1) != 0) ||
        jnum(m, "year", &year) < 0 || jhash(m, "hub_sign_key", key) < 0 ||
        !cJSON_IsArray(files = cJSON_GetObjectItemCaseSensitive(m, "files")) ||
        !(s = jstr(m, "prev"))) {
        add(r, 0, ARCHFMT_MANIFEST, "%s", _("manifest.json is not a lianxi archive's manifest"));
        rc = EX_DATAERR;
        goto out;
    }
    r->year = (int)year;
    snprintf(r->prev_hash, sizeof r->prev_hash, "%s", s);
    text_hex(r->key, key, sizeof key);

    /* The signature over the manifest's exact bytes. */
    if (pin && sodium_memcmp(pin, key, 32) != 0)
        add(r, 0, ARCHFMT_SIG, "%s", _("the manifest names another signing key than the given "
            "hub cert's: not signed by this hub"));
    if (!se || se->unreadable || se->len != crypto_sign_BYTES)
        add(r, 0, ARCHFMT_SIG, "%s", _("manifest.sig is missing or not a signature"));
    else if (crypto_sign_verify_detached((const uint8_t *)se->data, (const uint8_t *)me->data,
                                         me->len, pin ? pin : key) != 0)
        add(r, 0, ARCHFMT_SIG, "%s", _("the manifest's signature does not verify: the manifest "
            "was changed after the hub signed it, or another key signed it"));
    else if (pin) {
        r->pinned = 1;
        add(r, 1, ARCHFMT_SIG, "%s", _("signature valid; the signing key matches the given hub "
            "cert"));
    } else
        add(r, 1, ARCHFMT_SIG, _("signature valid, by the key the manifest names (%.16s…); that "
            "key is not pinned: give --hub-cert to check it is the hub's"), r->key);
    if (se)
        se->listed = 1;

    /* Every file listed: present, its size, its hash, its rows. */
    cJSON_ArrayForEach(f, files) {
        const char *name = jstr(f, "name"), *want = jstr(f, "blake2b");
        double size, rows;
        char got[ARCHFMT_HEXLEN];
        struct entry *e;

        if (!name || !want || jnum(f, "size", &size) < 0 || jnum(f, "rows", &rows) < 0) {
            add(r, 0, ARCHFMT_MANIFEST, "%s", _("manifest.json lists a file without its name, "
                "size, hash or rows"));
            continue;
        }
        if (!(e = zipped_find(&z, name))) {
            add(r, 0, name, _("%s is missing from the archive"), name);
            continue;
        }
        if (e->listed) {
            add(r, 0, name, _("%s is listed twice in the manifest"), name);
            continue;
        }
        e->listed = 1;
        {
            /* The rows per table the manifest states agree with its files. */
            const cJSON *counts = cJSON_GetObjectItemCaseSensitive(m, "counts");
            char table[128];
            double n;
            size_t nl = strlen(name);
            if (nl > 6 && nl - 6 < sizeof table && strcmp(name + nl - 6, ".jsonl") == 0) {
                snprintf(table, sizeof table, "%.*s", (int)(nl - 6), name);
                if (jnum(counts, table, &n) < 0 || n != rows)
                    add(r, 0, name, _("%s: the manifest's count of %s is not its rows"), name,
                        table);
            }
        }
        if (e->unreadable) {
            add(r, 0, name, _("%s cannot be read from the zip (damaged)"), name);
            continue;
        }
        if (!e->data) {
            add(r, 0, name, _("%s is listed as a data file but is an attachment's place"), name);
            continue;
        }
        archfmt_hash(e->data, e->len, got);
        if ((double)e->len != size)
            add(r, 0, name, _("%s: %zu bytes, the manifest says %.0f"), name, e->len, size);
        else if (strcmp(got, want) != 0)
            add(r, 0, name, _("%s: its hash %.16s… is not the manifest's %.16s…: the file was "
                "changed"), name, got, want);
        else if ((double)count_lines(e->data, e->len) != rows)
            add(r, 0, name, _("%s: %llu rows, the manifest says %.0f"), name,
                (unsigned long long)count_lines(e->data, e->len), rows);
        else
            add(r, 1, name, _("%s: %.0f rows, size and hash match"), name, rows);
    }
    check_attachments(r, &z, m);
    for (size_t i = 0; i < z.n; i++)
        if (!z.e[i].listed)
            add(r, 0, z.e[i].name, _("%s is in the archive but not in the manifest"),
                z.e[i].name);

    check_audit(r, &z, m, pin ? pin : key);
    if (prev_path && check_prev(r, m, prev_path) == EX_NOINPUT)
        rc = EX_NOINPUT;
out:
    cJSON_Delete(m);
    zipped_free(&z);
    if (rc == EX_OK && r->bad)
        rc = EX_DATAERR;
    return rc;
}
