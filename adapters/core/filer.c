/* filer.c — checks, filing ids, obligations, revisions and the rejected/
 * notes: everything between a unit's case and the outbox. */
#include "filer.h"
#include "attstore.h"
#include "canon.h"
#include "clock.h"
#include "winfile.h"
#include "files.h"
#include "i18n.h"
#include "log.h"
#include "progress.h"
#include "reasons.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

#include <cjson/cJSON.h>
#include <libgen.h>
#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct filer {
    char *unit;
    const categories_t *cats;
    outbox_t *outbox;               /* a dry run: only read, or NULL */
    int dry;                        /* a dry run: nothing queued or written */
    const uint8_t *sk;
    char *rejected_dir;
    int flags;
    struct filer_counts counts;
    struct filer_counts before;     /* at filer_begin: what a rollback restores */
    int failed;                     /* the outbox failed in the export being read */
    FILE *note_f;                   /* the rejected/ note of the export being read */
    char *note;
    size_t note_len;
    struct progress progress;
    struct filer_row *rows;         /* the export being read (not in a dry run) */
    size_t nrows, cap;
    /* a dry run: what would be filed */
    cJSON *by_category, *rejections;
    crypto_generichash_state digest;
    /* Attachments (filer_attach): where they are copied (NULL in a dry
     * run: only checked), the limits, and the list of the row being read. */
    char *att_dir;
    struct att_limits att_lim;
    struct attstore_file att_files[ATT_MAX_COUNT];
    Lianxi__Attachment att[ATT_MAX_COUNT], *att_ptr[ATT_MAX_COUNT];
};

filer_t *
filer_new(const char *unit, const categories_t *cats, outbox_t *outbox, const uint8_t *sign_sk,
          const char *rejected_dir, int flags)
{
    filer_t *self = calloc(1, sizeof *self);

    if (!self)
        return NULL;
    self->cats = cats;
    self->outbox = outbox;
    self->sk = sign_sk;
    self->flags = flags;
    self->dry = !outbox || (flags & FILER_DRY_RUN);
    self->progress.quiet = (flags & (FILER_QUIET | FILER_JSON)) != 0;
    self->att_lim = (struct att_limits)ATT_LIMITS_DEFAULT;
    if (!(self->unit = strdup(unit)) ||
        (rejected_dir && !(self->rejected_dir = strdup(rejected_dir))))
        goto err;
    if (self->dry) {
        if (!(self->by_category = cJSON_CreateObject()) ||
            !(self->rejections = cJSON_CreateArray()))
            goto err;
        crypto_generichash_init(&self->digest, NULL, 0, CANON_HASHLEN);
    }
    return self;
err:
    filer_destroy(&self);
    return NULL;
}

void
filer_destroy(filer_t **self_p)
{
    filer_t *self = *self_p;

    if (!self)
        return;
    if (self->note_f)
        fclose(self->note_f);
    free(self->note);
    filer_rows_free(self->rows, self->nrows);
    cJSON_Delete(self->by_category);
    cJSON_Delete(self->rejections);
    free(self->rejected_dir);
    free(self->att_dir);
    free(self->unit);
    free(self);
    *self_p = NULL;
}

void
filer_rows_free(struct filer_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].case_ref);
        free(rows[i].name);
        free(rows[i].filing_id);
        free(rows[i].field);
        free(rows[i].why);
    }
    free(rows);
}

void
filer_take_rows(filer_t *self, struct filer_row **rows, size_t *n)
{
    *rows = self->rows;
    *n = self->nrows;
    self->rows = NULL;
    self->nrows = self->cap = 0;
}

/* Keeps a row for the printable receipt (not in a dry run). */
static void
keep_row(filer_t *self, long line, int refused, int outcome, const char *case_ref,
         const char *name, const char *filing_id, uint32_t revision, const char *field,
         const char *why)
{
    struct filer_row *r;

    if (self->dry)
        return;
    if (self->nrows == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 64;
        struct filer_row *v = realloc(self->rows, cap * sizeof *v);
        if (!v)
            return;
        self->rows = v;
        self->cap = cap;
    }
    r = &self->rows[self->nrows++];
    memset(r, 0, sizeof *r);
    r->line = line;
    r->refused = refused;
    r->outcome = outcome;
    r->revision = revision;
    r->case_ref = case_ref ? strdup(case_ref) : NULL;
    r->name = name ? strdup(name) : NULL;
    r->filing_id = filing_id ? strdup(filing_id) : NULL;
    r->field = field ? strdup(field) : NULL;
    r->why = why ? strdup(why) : NULL;
}

int
filer_begin(filer_t *self)
{
    filer_rows_free(self->rows, self->nrows);
    self->rows = NULL;
    self->nrows = self->cap = 0;
    self->before = self->counts;
    self->failed = 0;
    return self->dry ? 0 : outbox_begin(self->outbox);
}

/* Writes note (len bytes) as the rejected/ note of the export at path, or
 * removes an old note when there is nothing to say.  Returns 0, or -1. */
static int
write_note(filer_t *self, const char *path, const char *note, size_t len)
{
    char file[PATH_MAX], *copy;
    int rc;

    if (!(copy = strdup(path)))
        return -1;
    snprintf(file, sizeof file, "%s/%s.rejected.txt", self->rejected_dir, basename(copy));
    free(copy);
    if (len == 0) {
        /* A clean export under the same name: the old list no longer holds. */
        unlink(file);
        return 0;
    }
    /* Read on the clerks' Windows desktops: UTF-8 with a BOM, CRLF. */
    rc = winfile_write(file, note, len, 0640);
    if (rc < 0)
        log_warn(_("cannot write %s"), file);
    else if (!(self->flags & FILER_QUIET))
        fprintf(stderr, _("rows not filed (rejected, or older than what was filed) are "
                "listed in %s\n"), file);
    return rc;
}

int
filer_end(filer_t *self, const char *path)
{
    int rc = 0;

    if (self->note_f) {
        fclose(self->note_f);
        self->note_f = NULL;
    }
    if (!self->dry && (self->failed || outbox_commit(self->outbox) < 0)) {
        outbox_rollback(self->outbox);
        self->counts = self->before;
        filer_rows_free(self->rows, self->nrows);
        self->rows = NULL;
        self->nrows = self->cap = 0;
        rc = -1;
    }
    if (rc == 0 && !self->dry && self->rejected_dir && path)
        write_note(self, path, self->note, self->note ? self->note_len : 0);
    free(self->note);
    self->note = NULL;
    self->note_len = 0;
    self->failed = 0;
    return rc;
}

/* A copy of s that is valid UTF-8 (text_utf8_fix: a byte that is not UTF-8,
 * from a file name or the export, becomes '?'; a character cut at the end
 * is dropped), for the note, the JSON and the terminal; NULL when out of
 * memory. */
static char *
utf8_copy(const char *s)
{
    char *c = strdup(s ? s : "");

    return c ? text_utf8_fix(c) : NULL;
}

void
filer_note(filer_t *self, const char *text)
{
    char *t;

    if (!self->note_f && !(self->note_f = open_memstream(&self->note, &self->note_len)))
        return;
    if ((t = utf8_copy(text)))
        fputs(t, self->note_f);
    free(t);
}

/* Adds a rejection to what a dry run reports. */
static void
add_rejection(filer_t *self, const char *path, long line, const char *field, const char *why)
{
    cJSON *o;

    if (!self->rejections || !(o = cJSON_CreateObject()))
        return;
    cJSON_AddStringToObject(o, "file", path);
    cJSON_AddNumberToObject(o, "line", line);
    cJSON_AddStringToObject(o, "field", field);
    cJSON_AddStringToObject(o, "reason", why);
    cJSON_AddItemToArray(self->rejections, o);
}

/* A rejected row of path, of the case and cadre named when known. */
static void
reject_row(filer_t *self, const char *path, long line, const char *field, const char *why,
           const char *case_ref, const char *name)
{
    char *text, *p = utf8_copy(path), *f = utf8_copy(field), *w = utf8_copy(why);

    self->counts.rejected++;
    if (!p || !f || !w)
        goto out;
    keep_row(self, line, 1, 0, case_ref, name, NULL, 0, f, w);
    if (asprintf(&text, _("%s:%ld: %s: %s\n"), p, line, f, w) >= 0) {
        filer_note(self, text);
        free(text);
    }
    add_rejection(self, p, line, f, w);
    if (!(self->flags & (FILER_QUIET | FILER_JSON)))
        fprintf(stderr, _("rejected %s line %ld, %s: %s\n"), p, line, f, w);
out:
    free(w);
    free(f);
    free(p);
}

void
filer_reject_row(filer_t *self, const char *path, long line, const char *field, const char *why)
{
    reject_row(self, path, line, field, why, NULL, NULL);
}

void
filer_reject_file(filer_t *self, const char *path, const char *why)
{
    char *text, *p = utf8_copy(path), *w = utf8_copy(why);

    self->counts.rejected++;
    if (!p || !w)
        goto out;
    if (asprintf(&text, _("%s: the whole file was not read: %s\n"), p, w) >= 0) {
        filer_note(self, text);
        free(text);
    }
    keep_row(self, 0, 1, 0, NULL, NULL, NULL, 0, "(file)", w);
    add_rejection(self, p, 0, "(file)", w);
    fprintf(stderr, _("rejected %s: %s\n"), p, w);
out:
    free(w);
    free(p);
}

void
filer_progress(filer_t *self, size_t done, size_t total)
{
    const struct filer_counts *k = &self->counts;

    progress_update(&self->progress, done, total, k->queued + k->unchanged + k->older,
                    k->rejected);
}

void
filer_progress_done(filer_t *self)
{
    progress_done(&self->progress);
}

const struct filer_counts *
filer_counts(const filer_t *self)
{
    return &self->counts;
}

/* What ob holds of the content key under filing_id, its latest revision
 * into *latest (0 when none): FILER_UNCHANGED when that revision has it,
 * FILER_OLDER when an earlier one has it, FILER_QUEUED when none has (it
 * is new).  Returns -1 on an outbox error. */
static int
prior(outbox_t *ob, const char *filing_id, const uint8_t key[32], uint32_t *latest)
{
    uint8_t last[32];
    uint32_t same;
    int rc;

    *latest = 0;
    if ((rc = outbox_latest(ob, filing_id, latest, last)) <= 0)
        return rc < 0 ? -1 : FILER_QUEUED;
    if (memcmp(last, key, sizeof last) == 0)
        return FILER_UNCHANGED;
    if ((rc = outbox_revision_with_key(ob, filing_id, key, &same)) < 0)
        return -1;
    return rc == 1 ? FILER_OLDER : FILER_QUEUED;
}

/* Notes that the row of path at line is older than revision latest of its
 * filing, already filed: the note of the export (a dry run: stderr). */
static void
note_older(filer_t *self, const char *path, long line, const char *filing_id, uint32_t latest)
{
    char *text, *p = utf8_copy(path);
    int n;

    self->counts.older++;
    if (!p)
        return;
    n = asprintf(&text, _("%s:%ld: (row): older than revision %u already filed (%s): an older "
                 "export of the case, not filed again, so that the hub keeps the newer "
                 "content\n"), p, line, latest, filing_id);
    free(p);
    if (n < 0)
        return;
    if (!self->dry)
        filer_note(self, text);
    else if (!(self->flags & (FILER_QUIET | FILER_JSON)))
        fputs(text, stderr);
    free(text);
}

/* A dry run: counts f as it would be filed, and, with an outbox to read,
 * whether it is there already. */
static void
count_dry(filer_t *self, const Lianxi__Filing *f, const char *path, long line)
{
    uint8_t key[32];
    uint32_t latest;
    cJSON *n = cJSON_GetObjectItemCaseSensitive(self->by_category, f->category);

    if (n)
        cJSON_SetNumberValue(n, n->valuedouble + 1);
    else
        cJSON_AddNumberToObject(self->by_category, f->category, 1);
    if (f->stage == LIANXI__STAGE__STAGE_NOTICE)
        self->counts.notices++;
    else
        self->counts.reports++;
    self->counts.real_name += f->real_name != 0;
    self->counts.queued++;
    if (filer_content_key(f, key) < 0)
        return;
    crypto_generichash_update(&self->digest, key, sizeof key);
    if (!self->outbox)
        return;
    switch (prior(self->outbox, f->filing_id, key, &latest)) {
    case FILER_UNCHANGED:
        self->counts.unchanged++;
        break;
    case FILER_OLDER:
        note_older(self, path, line, f->filing_id, latest);
        break;
    default:            /* new, or the outbox unreadable (logged): would be filed */
        break;
    }
}

cJSON *
filer_summary(filer_t *self)
{
    uint8_t digest[CANON_HASHLEN];
    char hex[2 * CANON_HASHLEN + 1];
    cJSON *j;

    if (!self->by_category || !(j = cJSON_CreateObject()))
        return NULL;
    crypto_generichash_final(&self->digest, digest, sizeof digest);
    text_hex(hex, digest, sizeof digest);
    cJSON_AddStringToObject(j, "unit", self->unit);
    cJSON_AddNumberToObject(j, "rows", self->counts.queued + self->counts.rejected);
    cJSON_AddNumberToObject(j, "filings", self->counts.queued);
    cJSON_AddNumberToObject(j, "notices", self->counts.notices);
    cJSON_AddNumberToObject(j, "reports", self->counts.reports);
    cJSON_AddNumberToObject(j, "real_name", self->counts.real_name);
    cJSON_AddNumberToObject(j, "rejected", self->counts.rejected);
    cJSON_AddNumberToObject(j, "unchanged", self->counts.unchanged);
    cJSON_AddNumberToObject(j, "older", self->counts.older);
    cJSON_AddItemToObject(j, "categories", self->by_category);
    cJSON_AddStringToObject(j, "digest", hex);
    cJSON_AddItemToObject(j, "rejections", self->rejections);
    self->by_category = self->rejections = NULL;
    return j;
}

int
filer_file(filer_t *self, Lianxi__Filing *f, const char *path, long line)
{
    char id[LIM_FILING_ID + 1], detail[512];
    Lianxi__RejectCode code;
    int rc;

    if (self->failed)
        return -1;
    f->unit = self->unit;
    filer_filing_id(self->unit, f->case_ref ? f->case_ref : "", f->stage,
                    f->cadre && f->cadre->id_number ? f->cadre->id_number : "", id, sizeof id);
    f->filing_id = id;
    f->revision = 1;
    f->queued_at = clock_now();
    code = validate_filing(self->cats, self->unit, f, clock_now(), detail, sizeof detail);
    if (code != LIANXI__REJECT_CODE__REJECT_NONE) {
        reject_row(self, path, line, validate_code_name(code), detail, f->case_ref,
                   f->cadre ? f->cadre->name : NULL);
        rc = 1;
    } else if (self->dry) {
        count_dry(self, f, path, line);
        rc = 0;
    } else {
        rc = filer_queue(self->outbox, f, self->sk, clock_now());
        free(f->signature.data);
        f->signature.data = NULL;
        f->signature.len = 0;
        if (rc >= 0)
            keep_row(self, line, 0, rc, f->case_ref, f->cadre ? f->cadre->name : NULL, id,
                     f->revision, NULL, NULL);
        if (rc == FILER_UNCHANGED)
            self->counts.unchanged++;
        else if (rc == FILER_OLDER)
            note_older(self, path, line, id, f->revision);
        else if (rc == FILER_QUEUED)
            self->counts.queued++;
        else
            self->failed = 1;
        rc = rc < 0 ? -1 : 0;
    }
    f->filing_id = NULL;
    return rc;
}

/* The obligation a report answers when it names none: the one the hub
 * opened for the notice of the same case and cadre, once that notice's
 * receipt came back.  Returns 1 with it in out, 0 when there is none, -1
 * on an outbox error. */
static int
report_answers(outbox_t *ob, const Lianxi__Filing *f, char *out, size_t len)
{
    char notice_id[LIM_FILING_ID + 8];

    if (f->stage != LIANXI__STAGE__STAGE_REPORT || (f->answers && *f->answers) ||
        !f->case_ref || !f->cadre)
        return 0;
    filer_filing_id(f->unit ? f->unit : "", f->case_ref, LIANXI__STAGE__STAGE_NOTICE,
                    f->cadre->id_number ? f->cadre->id_number : "", notice_id, sizeof notice_id);
    return outbox_opened_obligation(ob, notice_id, out, len);
}

int
filer_queue(outbox_t *ob, Lianxi__Filing *f, const uint8_t sk[64], int64_t now)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    struct ob_entry e = { 0 };
    uint8_t key[32], *payload = NULL;
    char obligation[LIM_ANSWERS + 8], *answers = f->answers;
    uint32_t rev;
    long n = -1;
    int rc;

    if (filer_content_key(f, key) < 0) {
        log_warnx(_("filing %s is too large to encode"), f->filing_id);
        return -1;
    }
    if ((rc = prior(ob, f->filing_id, key, &rev)) < 0)
        return -1;
    if (rc == FILER_UNCHANGED)
        return FILER_UNCHANGED;
    if (rc == FILER_OLDER) {
        f->revision = rev;
        return FILER_OLDER;
    }
    if ((rc = report_answers(ob, f, obligation, sizeof obligation)) < 0)
        return -1;
    f->revision = rev + 1;
    f->queued_at = now;
    if (rc == 1)
        f->answers = obligation;
    if (canon_sign(f, sk) == 0) {
        env.body_case = LIANXI__ENVELOPE__BODY_FILING;
        env.filing = f;
        n = wire_pack(&env, &payload);
    }
    f->answers = answers;      /* the obligation is in the payload; out of scope here */
    if (n < 0)
        return -1;
    e.filing_id = f->filing_id;
    e.revision = f->revision;
    e.case_ref = f->case_ref;
    e.stage = f->stage;
    e.content_key = key;
    e.payload = payload;
    e.len = (size_t)n;
    e.queued_at = now;
    rc = outbox_insert(ob, &e);
    free(payload);
    return rc < 0 ? -1 : FILER_QUEUED;
}

int
filer_content_key(const Lianxi__Filing *f, uint8_t out[32])
{
    Lianxi__Filing c = *f;
    uint8_t *buf = malloc(CANON_MAX);
    long n;

    if (!buf)
        return -1;
    c.revision = 0;
    c.queued_at = 0;
    /* Its documents are part of its content (encoding v3). */
    n = c.real_name || c.n_attachments ? canon_encode(&c, buf, CANON_MAX)
                                       : canon_encode_v1(&c, buf, CANON_MAX);
    if (n >= 0)
        crypto_generichash(out, 32, buf, (unsigned long long)n, NULL, 0);
    free(buf);
    return n < 0 ? -1 : 0;
}

/* unit:case:stage:ID-number, readable when the case reference allows and
 * it fits (a case may name several cadres), else with a hash of the case
 * reference. */
void
filer_filing_id(const char *unit, const char *case_ref, int stage, const char *id_number,
                char *out, size_t len)
{
    static const char *stages[] = { "x", "notice", "report", "supplement" };
    const char *st = stages[stage >= 0 && stage <= 3 ? stage : 0];
    size_t n = strlen(case_ref);
    int plain = n > 0 && strlen(unit) + n + strlen(st) + strlen(id_number) + 3 < len &&
                strlen(unit) + n + strlen(st) + strlen(id_number) + 3 <= LIM_FILING_ID;

    for (const char *p = case_ref; plain && *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            plain = 0;
    if (plain) {
        snprintf(out, len, "%s:%s:%s:%s", unit, case_ref, st, id_number);
    } else {
        uint8_t h[8];
        char hex[17];
        crypto_generichash(h, sizeof h, (const uint8_t *)case_ref, n, NULL, 0);
        text_hex(hex, h, sizeof h);
        snprintf(out, len, "%s:%s:%s:%s", unit, hex, st, id_number);
    }
}

int
filer_set_attachments(filer_t *self, const char *dir, const struct att_limits *lim)
{
    free(self->att_dir);
    self->att_dir = NULL;
    if (lim)
        self->att_lim = *lim;
    if (dir && !self->dry && !(self->att_dir = strdup(dir)))
        return -1;
    return 0;
}

/* The next name of a list separated by ';' or '；' (U+FF1B), trimmed of
 * ASCII and full-width spaces, into out; returns where the rest begins,
 * or NULL at the end. */
static const char *
next_name(const char *p, char *out, size_t len)
{
    const char *end;
    size_t n;

    while (*p == ' ' || *p == '\t' || strncmp(p, "\xE3\x80\x80", 3) == 0)
        p += *p == ' ' || *p == '\t' ? 1 : 3;
    if (!*p)
        return NULL;
    for (end = p; *end && *end != ';' && strncmp(end, "\xEF\xBC\x9B", 3) != 0; end++)
        ;
    n = (size_t)(end - p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
                     (n >= 3 && strncmp(p + n - 3, "\xE3\x80\x80", 3) == 0)))
        n -= p[n - 1] == ' ' || p[n - 1] == '\t' ? 1 : 3;
    snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), p);
    if (!*end)
        return end;
    return end + (*end == ';' ? 1 : 3);
}

int
filer_take_files(filer_t *self, const char *const *srcs, size_t nsrcs,
                 Lianxi__Attachment *const **list, size_t *count, char *why, size_t whylen)
{
    struct reason r;
    size_t n = 0;

    *list = NULL;
    *count = 0;
    if (nsrcs > ATT_MAX_COUNT) {
        char cnt[16], max[16];
        snprintf(cnt, sizeof cnt, "%zu", nsrcs);
        snprintf(max, sizeof max, "%d", ATT_MAX_COUNT);
        reasons_set(&r, "attachment.count", 2, cnt, max);
        if (reasons_render(&r, why, whylen) < 0)
            snprintf(why, whylen, "%s", r.key);
        return 1;
    }
    for (; n < nsrcs; n++) {
        if (attstore_take(self->att_dir, srcs[n], &self->att_lim, &self->att_files[n], why,
                          whylen) < 0)
            return 1;
        lianxi__attachment__init(&self->att[n]);
        self->att[n].name = self->att_files[n].name;
        self->att[n].media_type = (char *)self->att_files[n].media;
        self->att[n].size = self->att_files[n].size;
        self->att[n].hash.data = self->att_files[n].hash;
        self->att[n].hash.len = ATT_HASHLEN;
        self->att_ptr[n] = &self->att[n];
    }
    /* The list as the hub checks it: the total, the same file twice. */
    if (att_check_list(self->att_ptr, n, &self->att_lim, &r) != LIANXI__REJECT_CODE__REJECT_NONE) {
        if (reasons_render(&r, why, whylen) < 0)
            snprintf(why, whylen, "%s", r.key);
        return 1;
    }
    *list = n ? self->att_ptr : NULL;
    *count = n;
    return 0;
}

int
filer_attach_files(filer_t *self, Lianxi__Filing *f, const char *path, long line,
                   const char *field, const char *const *srcs, size_t nsrcs)
{
    Lianxi__Attachment *const *list;
    char why[1024];
    size_t n;

    f->attachments = NULL;
    f->n_attachments = 0;
    if (filer_take_files(self, srcs, nsrcs, &list, &n, why, sizeof why) != 0) {
        filer_reject_row(self, path, line, field, why);
        return 1;
    }
    f->attachments = (Lianxi__Attachment **)list;
    f->n_attachments = n;
    return 0;
}

/* Whether the file at path, its links followed, is under dir (its links
 * followed too); a file that does not resolve is left to be refused when
 * it is opened. */
static int
within_folder(const char *dir, const char *path)
{
    char rdir[PATH_MAX], rpath[PATH_MAX];
    size_t n;

    if (!realpath(path, rpath))
        return errno == ENOENT || errno == ENOTDIR;
    if (!realpath(dir, rdir))
        return 0;
    n = strlen(rdir);
    if (n == 1 && rdir[0] == '/')
        return 1;
    return strncmp(rpath, rdir, n) == 0 && rpath[n] == '/';
}

int
filer_attach(filer_t *self, Lianxi__Filing *f, const char *path, long line, const char *field,
             const char *list)
{
    char dir[PATH_MAX], name[PATH_MAX], why[1024];
    char *srcs[ATT_MAX_COUNT + 1];
    const char *p = list;
    size_t n = 0;
    int rc;

    files_dirname(dir, sizeof dir, path);
    while (p && (p = next_name(p, name, sizeof name))) {
        if (!name[0])
            continue;
        /* A name is of a file beside the export (or in a folder under it). */
        if (strstr(name, "..") || name[0] == '/' || name[0] == '\\') {
            snprintf(why, sizeof why, _("the attachment '%s' must be named as a file beside the "
                     "export, not by a path outside its folder"), name);
            filer_reject_row(self, path, line, field, why);
            rc = 1;
            goto out;
        }
        if (n == ATT_MAX_COUNT + 1)
            continue;   /* (counted: refused for their number) */
        if (asprintf(&srcs[n], "%s/%s", dir, name) < 0) {
            rc = -1;
            goto out;
        }
        /* Nor by a link (or a folder that is one) leading out of it. */
        if (!within_folder(dir, srcs[n])) {
            free(srcs[n]);
            snprintf(why, sizeof why, _("the attachment '%s' must be named as a file beside the "
                     "export, not by a path outside its folder"), name);
            filer_reject_row(self, path, line, field, why);
            rc = 1;
            goto out;
        }
        n++;
    }
    rc = filer_attach_files(self, f, path, line, field, (const char *const *)srcs, n);
out:
    for (size_t i = 0; i < n; i++)
        free(srcs[i]);
    return rc;
}
