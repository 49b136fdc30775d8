/* control.c — the operators' requests: checked against the command table
 * (src/lib/opcmd.c: roles, parameters, allowed values), routed to one
 * handler per command, and recorded in the audit trail, refusals too.  The
 * handlers hold no SQL: they call the modules that own the data. */
#include "control.h"
#include "attachment.h"
#include "board.h"
#include "clock.h"
#include "days.h"
#include "dispatch.h"
#include "health.h"
#include "idnum.h"
#include "jointreview.h"
#include "log.h"
#include "meeting.h"
#include "notice.h"
#include "oblig.h"
#include "opcmd.h"
#include "review.h"
#include "reviewdoc.h"
#include "query.h"
#include "i18n.h"
#include "text.h"

#include <cjson/cJSON.h>

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define LIST_LIMIT 1000
/* The most bytes of an attachment one reply carries. */
#define ATTACHMENT_PIECE (1024 * 1024)
/* A fetch resumed (offset > 0) within this many seconds of the same
 * operator's last piece of the same attachment goes on a fetch already on
 * the record; any other is recorded as a fetch of its own. */
#define FETCH_GOES_ON_S 600

/* Strings and records of a reply, released together. */
struct arena {
    void **p;
    size_t n, cap;
};

/* One request being handled. */
struct req {
    struct control_ctx *c;
    const struct key_entry *op;
    const struct opcmd *cmd;
    const Lianxi__OpRequest *r;
    Lianxi__OpReply *rep;
    struct arena *a;
    const char *own;            /* a member's own unit, or NULL */
    struct control_job *job;
    char **vals;                /* a parameter's value as the hub takes it (a unit's
                                 * code for its name), by the request's index */
    char action[64], object[256], detail[1024];
    int recorded;               /* the handler recorded it with its own change */
    size_t cap_filings, cap_reviews, cap_entries;   /* of the reply's arrays */
};

static void *
keep(struct arena *a, void *p)
{
    if (!p)
        return NULL;
    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 64;
        void **np = realloc(a->p, ncap * sizeof *np);
        if (!np) {
            free(p);
            return NULL;
        }
        a->p = np;
        a->cap = ncap;
    }
    a->p[a->n++] = p;
    return p;
}

/* Appends item to a pointer array of n entries (capacity *cap) kept in the
 * arena.  Returns 0, or -1 when out of memory. */
static int
push(struct arena *a, void ***arr, size_t *n, size_t *cap, void *item)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        void **np = malloc(ncap * sizeof *np);
        if (!np)
            return -1;
        if (*arr)
            memcpy(np, *arr, *n * sizeof *np);
        if (!keep(a, np))
            return -1;
        *arr = np;
        *cap = ncap;
    }
    (*arr)[(*n)++] = item;
    return 0;
}

static char *
kstr(struct arena *a, const char *s)
{
    return keep(a, strdup(s ? s : ""));
}

void
control_reply_free(struct control_reply *r)
{
    struct arena *a = (struct arena *)&r->arena;

    for (size_t k = 0; k < a->n; k++)
        free(a->p[k]);
    free(a->p);
    memset(a, 0, sizeof *a);
}

static void
fail(struct req *q, Lianxi__OpError kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct req *q, Lianxi__OpError kind, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* The sentence may echo what the operator sent (a value refused, cut
     * at 40 bytes, perhaps inside a character) and may itself be cut: the
     * reply is valid UTF-8 whatever came in. */
    text_utf8_fix(buf);
    q->rep->ok = 0;
    q->rep->error_kind = kind;
    q->rep->error = kstr(q->a, buf);
}

/* A parameter's value, or NULL when absent or empty. */
static const char *
param(const struct req *q, const char *key)
{
    for (size_t i = 0; i < q->r->n_params; i++)
        if (q->r->params[i]->key && strcmp(q->r->params[i]->key, key) == 0) {
            const struct opcmd_param *p = q->cmd ? opcmd_param(q->cmd, key) : NULL;
            if (q->vals && q->vals[i])
                return *q->vals[i] ? q->vals[i] : NULL;
            /* A flag given as "0" is not set (opcmd_check_value). */
            if (p && p->type == OPT_FLAG && q->r->params[i]->value &&
                strcmp(q->r->params[i]->value, "0") == 0)
                return NULL;
            return q->r->params[i]->value && *q->r->params[i]->value ? q->r->params[i]->value
                                                                     : NULL;
        }
    return NULL;
}

static Lianxi__FilingRecord *
filing_from_row(struct arena *a, sqlite3_stmt *st)
{
    Lianxi__FilingRecord *r = keep(a, malloc(sizeof *r));
    Lianxi__Cadre *c = keep(a, malloc(sizeof *c));

#define T(col) ((const char *)sqlite3_column_text(st, (col)))
    if (!r || !c)
        return NULL;
    lianxi__filing_record__init(r);
    lianxi__cadre__init(c);
    r->receipt_no = kstr(a, T(QC_RECEIPT_NO));
    r->unit = kstr(a, T(QC_UNIT));
    r->filing_id = kstr(a, T(QC_FILING_ID));
    r->revision = (uint32_t)sqlite3_column_int(st, QC_REVISION);
    r->stage = sqlite3_column_int(st, QC_STAGE);
    r->category = kstr(a, T(QC_CATEGORY));
    c->name = kstr(a, T(QC_NAME));
    c->id_number = kstr(a, T(QC_ID_NUMBER));
    c->work_unit = kstr(a, T(QC_WORK_UNIT));
    c->post = kstr(a, T(QC_POST));
    c->rank = sqlite3_column_int(st, QC_RANK);
    r->cadre = c;
    r->learned_on = kstr(a, T(QC_LEARNED_ON));
    r->summary = kstr(a, T(QC_SUMMARY));
    r->scope = sqlite3_column_int(st, QC_SCOPE);
    r->case_ref = kstr(a, T(QC_CASE_REF));
    r->received_at = sqlite3_column_int64(st, QC_RECEIVED_AT);
    r->due_on = kstr(a, T(QC_DUE_ON));
    r->on_time = sqlite3_column_int(st, QC_ON_TIME);
    r->late_days = (uint32_t)sqlite3_column_int(st, QC_LATE_DAYS);
    r->answers = kstr(a, T(QC_ANSWERS));
    r->judged_at = sqlite3_column_int64(st, QC_JUDGED_AT);
    r->review_state = kstr(a, T(QC_REVIEW));
#undef T
    return r;
}

/* The attachments filing row `row` carries, into r (none for row 0, a
 * dossier's candidate).  Returns 0, or -1. */
static int
add_attachments(struct req *q, Lianxi__FilingRecord *r, int64_t row)
{
    struct attach_ref refs[ATT_MAX_COUNT];
    int n = row > 0 ? attach_of_filing(q->c->store, row, refs, ATT_MAX_COUNT) : 0;

    if (n <= 0)
        return n;
    if (!(r->attachments = keep(q->a, calloc((size_t)n, sizeof *r->attachments))))
        return -1;
    for (int i = 0; i < n; i++) {
        Lianxi__Attachment *a = keep(q->a, malloc(sizeof *a));
        uint8_t *h = keep(q->a, malloc(ATT_HASHLEN));
        if (!a || !h)
            return -1;
        lianxi__attachment__init(a);
        a->name = kstr(q->a, refs[i].name);
        a->media_type = kstr(q->a, refs[i].media);
        a->size = refs[i].size;
        memcpy(h, refs[i].hash, ATT_HASHLEN);
        a->hash.data = h;
        a->hash.len = ATT_HASHLEN;
        if (!a->name || !a->media_type)
            return -1;
        r->attachments[r->n_attachments++] = a;
    }
    return 0;
}

/* Steps a filings statement into the reply (at most limit rows) and
 * releases it; *total (may be NULL) gets the rows the statement had in all,
 * those past the limit counted, not kept.  Returns 0, or -1. */
static int
collect_all(struct req *q, sqlite3_stmt *st, size_t limit, uint64_t *total)
{
    int rc = 0, step = SQLITE_DONE;
    uint64_t more = 0;

    if (!st)
        return -1;
    while (q->rep->n_filings < limit && (step = sqlite3_step(st)) == SQLITE_ROW) {
        Lianxi__FilingRecord *r = filing_from_row(q->a, st);
        if (!r || add_attachments(q, r, sqlite3_column_int64(st, QC_ROW)) < 0 || push(q->a, (void ***)&q->rep->filings, &q->rep->n_filings, &q->cap_filings,
                       r) < 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && total && step == SQLITE_ROW)
        while ((step = sqlite3_step(st)) == SQLITE_ROW)
            more++;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = -1;
    if (total)
        *total = q->rep->n_filings + more;
    store_done(st);
    return rc;
}

static int
collect(struct req *q, sqlite3_stmt *st, size_t limit)
{
    return collect_all(q, st, limit, NULL);
}

/* The request's filters, checked by the table already; a member's own
 * unit replaces any unit asked for. */
static void
filter_of(const struct req *q, struct query_filter *f)
{
    const char *v;

    memset(f, 0, sizeof *f);
    snprintf(f->unit, sizeof f->unit, "%s", q->own ? q->own : (v = param(q, "unit")) ? v : "");
    snprintf(f->category, sizeof f->category, "%s", (v = param(q, "category")) ? v : "");
    snprintf(f->status, sizeof f->status, "%s", (v = param(q, "status")) ? v : "");
    f->has_since = (v = param(q, "since")) && days_parse(v, &f->since) == 0;
    f->has_until = (v = param(q, "until")) && days_parse(v, &f->until) == 0;
    f->late = param(q, "late") != NULL;
    if ((v = param(q, "rank")))
        query_rank(f, v);       /* a word of the table's: known */
    f->newest = (v = param(q, "order")) && strcmp(v, "newest") == 0;
    f->limit = (v = param(q, "limit")) ? (size_t)atol(v) : LIST_LIMIT;
    f->offset = (v = param(q, "offset")) ? (size_t)atol(v) : 0;
}

static void
h_filings(struct req *q)
{
    struct query_filter f;

    filter_of(q, &f);
    query_describe(&f, q->object, sizeof q->object);
    /* count: how many match in all; the list is the page asked for. */
    if (query_count(q->c->store, &f, &q->rep->count) < 0 ||
        collect(q, query_listing(q->c->store, &f), f.limit) < 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the filings cannot be read now; try again"));
        return;
    }
    snprintf(q->detail, sizeof q->detail, "%zu of %llu filings from %zu", q->rep->n_filings,
             (unsigned long long)q->rep->count, f.offset);
    q->rep->ok = 1;
}

static int
add_review(void *arg, const struct review_row *r)
{
    struct req *q = arg;
    Lianxi__ReviewRecord *rec = keep(q->a, malloc(sizeof *rec));
    char code[OBLIG_CODE_LEN] = "";

    if (!rec)
        return -1;
    lianxi__review_record__init(rec);
    rec->at = r->at;
    rec->actor = kstr(q->a, r->actor);
    rec->action = kstr(q->a, r->action);
    rec->text = kstr(q->a, r->text);
    if (r->obligation > 0)
        oblig_format(r->obligation, code);
    rec->obligation = kstr(q->a, code);
    rec->receipt_no = kstr(q->a, r->receipt_no);
    rec->due_on = rec->state = rec->answered_by = "";
    /* A supplement request: its due date, and where it stands today. */
    if (r->obligation > 0 && q->c->cal) {
        struct oblig_status os;
        int rc = oblig_status(q->c->store, q->c->cal, r->obligation,
                              days_shanghai(clock_now()), &os);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            rec->due_on = kstr(q->a, os.due_on);
            rec->state = kstr(q->a, os.state);
            rec->overdue_days = (uint32_t)os.overdue_days;
            rec->answered_at = os.answered_at;
            rec->answered_by = kstr(q->a, os.answered_by);
            if (!rec->due_on || !rec->state || !rec->answered_by)
                return -1;
        }
    }
    return push(q->a, (void ***)&q->rep->reviews, &q->rep->n_reviews, &q->cap_reviews, rec);
}

static void
h_show(struct req *q)
{
    const char *id = param(q, "id");
    char unit[64], filing_id[128];
    size_t revisions;
    int rc;

    snprintf(q->object, sizeof q->object, "%s", id);
    if ((rc = query_resolve(q->c->store, id, q->own, unit, filing_id)) <= 0) {
        /* The same answer whether it does not exist or is another unit's. */
        if (rc < 0)
            fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the filing cannot be read now"));
        else if (q->own)
            fail(q, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND, _("no filing %s of %s"), id,
                 units_name(q->own));
        else
            fail(q, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND, _("no filing %s"), id);
        snprintf(q->detail, sizeof q->detail, "not found");
        return;
    }
    /* Every revision, then the answers to the supplement requests made in
     * its reviews (each names its request in answers); the reviews with
     * each request's due date and state. */
    rc = collect(q, query_revisions(q->c->store, unit, filing_id), SIZE_MAX);
    revisions = q->rep->n_filings;
    if (rc < 0 || collect(q, query_answers(q->c->store, unit, filing_id), SIZE_MAX) < 0 ||
        review_list(q->c->store, unit, filing_id, add_review, q) < 0) {
        q->rep->n_filings = q->rep->n_reviews = 0;
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the filing cannot be read now"));
        return;
    }
    snprintf(q->detail, sizeof q->detail, "%s %s, %zu revisions, %zu answers, %zu reviews",
             unit, filing_id, revisions, q->rep->n_filings - revisions, q->rep->n_reviews);
    q->rep->count = q->rep->n_filings;
    q->rep->ok = 1;
}

/* Whether s is a receipt number, YYYY-NNNNNN. */
static int
is_receipt(const char *s)
{
    for (int i = 0; i < 11; i++)
        if (i == 4 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
            return 0;
    return s[11] == '\0';
}

/* The fetches of attachments under way: who fetched which when last.  The
 * control socket is served on the hub's loop, one request at a time. */
static struct {
    char actor[128];
    uint8_t hash[ATT_HASHLEN];
    int64_t at;
} fetches[64];
static unsigned fetches_next;

/* Notes that actor fetched a piece of hash at now; returns whether it went
 * on a fetch noted within FETCH_GOES_ON_S (when goes_on is set: a piece
 * past offset 0). */
static int
fetch_note(const char *actor, const uint8_t hash[ATT_HASHLEN], int64_t now, int goes_on)
{
    size_t n = sizeof fetches / sizeof fetches[0];

    for (size_t i = 0; goes_on && i < n; i++)
        if (fetches[i].at && now - fetches[i].at <= FETCH_GOES_ON_S &&
            strcmp(fetches[i].actor, actor) == 0 &&
            memcmp(fetches[i].hash, hash, ATT_HASHLEN) == 0) {
            fetches[i].at = now;
            return 1;
        }
    snprintf(fetches[fetches_next % n].actor, sizeof fetches[0].actor, "%s", actor);
    memcpy(fetches[fetches_next % n].hash, hash, ATT_HASHLEN);
    fetches[fetches_next % n].at = now;
    fetches_next++;
    return 0;
}

/* The documents of the filing, or else the opinion, whose receipt number is
 * receipt, seen as own (a member's unit, or NULL): its unit and id, and its
 * documents into refs (*count of them).  Returns 1, 0 when there is no such
 * filing or opinion (for own: of its unit), -1 on a database error. */
static int
attachments_of_receipt(store_t *db, const char *receipt, const char *own, char unit[64],
                       char id[128], struct attach_ref *refs, int *count)
{
    int64_t row = 0;
    int rc, opinion = 0;

    if ((rc = query_resolve_row(db, receipt, own, unit, id, &row)) == 0) {
        if ((rc = jointreview_opinion_row(db, receipt, own, unit, id, &row)) <= 0)
            return rc;
        opinion = 1;
    }
    if (rc < 0)
        return -1;
    *count = opinion ? attach_of_opinion(db, row, refs, ATT_MAX_COUNT)
                     : attach_of_filing(db, row, refs, ATT_MAX_COUNT);
    return *count < 0 ? -1 : 1;
}

static void
h_attachment(struct req *q)
{
    const char *receipt = param(q, "receipt"), *nv = param(q, "n"), *ov = param(q, "offset");
    struct attach_ref refs[ATT_MAX_COUNT];
    char unit[64], filing_id[128], hex[ATT_HEXLEN + 1];
    int n = atoi(nv), count, rc;
    uint64_t offset = ov ? strtoull(ov, NULL, 10) : 0, len;
    const struct attach_ref *a = NULL;
    Lianxi__Attachment *w;
    uint8_t *buf;
    long got;

    snprintf(q->object, sizeof q->object, "%s", receipt);
    if (!is_receipt(receipt)) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("an attachment is named by its filing's "
             "receipt number, YYYY-NNNNNN (like 2026-000123), not '%.40s'"), receipt);
        return;
    }
    /* The filing as show finds it, or the opinion on a joint review with
     * that receipt number: a member only among its unit's (one scope,
     * q->own, for both). */
    if ((rc = attachments_of_receipt(q->c->store, receipt, q->own, unit, filing_id, refs,
                                     &count)) <= 0) {
        if (rc != 0)
            fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the filing cannot be read now"));
        else if (q->own)
            fail(q, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND, _("no filing %s of %s"), receipt,
                 units_name(q->own));
        else
            fail(q, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND, _("no filing %s"), receipt);
        snprintf(q->detail, sizeof q->detail, "n=%d: not found", n);
        return;
    }
    for (int i = 0; i < count; i++)
        if (refs[i].seq == n)
            a = &refs[i];
    if (!a) {
        if (count == 0)
            fail(q, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND, _("the filing %s carries no "
                 "attachments"), receipt);
        else
            fail(q, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND, _("the filing %s has no attachment "
                 "%d: it carries %d (see show %s)"), receipt, n, count, receipt);
        snprintf(q->detail, sizeof q->detail, "n=%d: not found", n);
        return;
    }
    att_hex(a->hash, hex);
    snprintf(q->detail, sizeof q->detail, "n=%d blake2b=%s size=%llu offset=%llu %s %s", n, hex,
             (unsigned long long)a->size, (unsigned long long)offset, filing_id, a->name);
    text_utf8_fix(q->detail);
    if (offset > a->size) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("--offset %llu is past the end of the "
             "attachment (%llu bytes)"), (unsigned long long)offset,
             (unsigned long long)a->size);
        return;
    }
    len = a->size - offset < ATTACHMENT_PIECE ? a->size - offset : ATTACHMENT_PIECE;
    if (!(buf = keep(q->a, malloc(len ? len : 1)))) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub is out of memory"));
        return;
    }
    got = q->c->att ? attach_read(q->c->att, a->hash, offset, buf, len) : -1;
    if (got < 0 || (uint64_t)got != len) {
        log_warnx("the attachment %s (%d of %s) cannot be read from the store: %s", hex, n,
                  receipt, got < 0 ? log_strerror(errno) : "shorter than recorded");
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub cannot read this attachment's "
             "file now (see its log); try again later"));
        return;
    }
    if (!(w = keep(q->a, malloc(sizeof *w)))) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub is out of memory"));
        return;
    }
    lianxi__attachment__init(w);
    w->name = kstr(q->a, a->name);
    w->media_type = kstr(q->a, a->media);
    w->size = a->size;
    w->hash.data = keep(q->a, malloc(ATT_HASHLEN));
    if (!w->name || !w->media_type || !w->hash.data) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub is out of memory"));
        return;
    }
    memcpy(w->hash.data, a->hash, ATT_HASHLEN);
    w->hash.len = ATT_HASHLEN;
    q->rep->attachment = w;
    q->rep->document.data = buf;
    q->rep->document.len = len;
    q->rep->count = offset + len;
    q->rep->ok = 1;
    /* A fetch begun (offset 0) is one entry of the trail; the pieces that
     * follow it are not entries of their own.  A piece that follows no
     * fetch on the record is one. */
    if (fetch_note(q->op->user_id, a->hash, clock_now(), offset > 0))
        q->recorded = 1;
    else if (offset > 0)
        snprintf(q->action, sizeof q->action, "read:attachment-resumed");
}

static void
h_dossier(struct req *q)
{
    const char *idno = param(q, "id_number"), *name = param(q, "name");
    uint64_t total = 0;

    if (idno) {
        const char *why;
        snprintf(q->object, sizeof q->object, "%s", idno);
        /* A number no filing can hold would answer "nothing" for a typo:
         * it is refused, saying what is wrong. */
        if (idnum_check(idno, &why) < 0) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_DATA, _("the ID number %.40s is not a valid "
                 "one: %s; check it and ask again"), idno, why);
            return;
        }
        if (collect_all(q, query_dossier(q->c->store, idno), LIST_LIMIT, &total) < 0) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the filings cannot be read now; "
                 "try again"));
            return;
        }
        snprintf(q->detail, sizeof q->detail, "%zu filings", q->rep->n_filings);
        if (q->rep->n_filings == 0) {
            /* Nothing filed is an answer to keep with the appointment's
             * papers: it says so, and when it was asked. */
            char when[64], *t = NULL;
            days_time_text(clock_now(), when, sizeof when);
            if (asprintf(&t, _("No member unit has filed anything about this person (ID number "
                               "%s).\nQueried %s (Beijing time).\n"), idno, when) < 0)
                t = NULL;
            q->rep->text = keep(q->a, t) ? t : "";
        }
    } else if (name) {
        /* Candidates: one record per person, unit = the units that filed,
         * revision = how many filings. */
        snprintf(q->object, sizeof q->object, "name:%s", name);
        collect_all(q, query_candidates(q->c->store, name), LIST_LIMIT, &total);
        snprintf(q->detail, sizeof q->detail, "%zu candidates", q->rep->n_filings);
    } else {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("dossier needs an ID number or --name"));
        return;
    }
    /* All that match, also past the rows handed out: nothing is cut
     * silently. */
    q->rep->count = total;
    q->rep->ok = 1;
}

/* Begins the transaction a change and its audit entry share. */
static int
begin(struct req *q)
{
    if (store_begin(q->c->store) < 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub's database is busy; try again"));
        return -1;
    }
    return 0;
}

static void
h_review(struct req *q)
{
    const char *id = param(q, "id"), *action = param(q, "action"), *text = param(q, "text");
    const char *due = param(q, "due");
    const char *state = strcmp(action, "accept") == 0 ? "accepted"
                        : strcmp(action, "note") == 0 ? "noted" : "supplement";
    char unit[64], filing_id[128], receipt[24] = "", what[32];
    int64_t now = clock_now(), ob = 0;
    int days = due ? atoi(due) : 5, rc;

    snprintf(q->object, sizeof q->object, "%s", id);
    snprintf(what, sizeof what, "review:%s", action);
    if (strcmp(action, "accept") != 0 && !text) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("a %s needs --text saying what is asked or "
             "noted"), action);
        return;
    }
    if ((rc = query_resolve(q->c->store, id, NULL, unit, filing_id)) <= 0) {
        fail(q, rc < 0 ? LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE : LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND,
             _("no filing %s"), id);
        return;
    }
    if (begin(q) < 0)
        return;
    if (strcmp(action, "supplement") == 0 &&
        (ob = oblig_request_supplement(q->c->store, q->c->cal, unit, filing_id, text, days, now)) < 0)
        goto err;
    if (review_add(q->c->store, now, q->op->name, unit, filing_id, state, text, ob, receipt) < 0)
        goto err;
    snprintf(q->object, sizeof q->object, "%s", receipt);
    if (ob > 0)
        snprintf(q->detail, sizeof q->detail, "%s %s: OB-%lld due in %d working days: %s", unit,
                 filing_id, (long long)ob, days, text);
    else
        snprintf(q->detail, sizeof q->detail, "%s %s%s%s", unit, filing_id, text ? ": " : "",
                 text ? text : "");
    /* The review and its audit entry are committed together. */
    if (audit_append(q->c->audit, now, q->op->user_id, what, q->object, q->detail) < 0 ||
        store_commit(q->c->store) < 0)
        goto err;
    q->recorded = 1;
    review_list(q->c->store, unit, filing_id, add_review, q);
    if (ob > 0) {
        char code[OBLIG_CODE_LEN];
        oblig_format(ob, code);
        q->rep->text = kstr(q->a, code);
    }
    q->rep->ok = 1;
    return;
err:
    store_rollback(q->c->store);
    snprintf(q->action, sizeof q->action, "refused:review");
    fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the review could not be stored; try again"));
}

static int
add_entry(void *arg, const struct audit_row *r)
{
    struct req *q = arg;
    Lianxi__AuditEntry *e = keep(q->a, malloc(sizeof *e));

    if (!e)
        return -1;
    lianxi__audit_entry__init(e);
    e->seq = r->seq;
    e->at = r->at;
    e->actor = kstr(q->a, r->actor);
    e->action = kstr(q->a, r->action);
    e->object = kstr(q->a, r->object);
    e->detail = kstr(q->a, r->detail);
    e->hash.len = r->hash_len;
    e->hash.data = keep(q->a, malloc(r->hash_len ? r->hash_len : 1));
    if (!e->hash.data)
        return -1;
    memcpy(e->hash.data, r->hash, r->hash_len);
    return push(q->a, (void ***)&q->rep->entries, &q->rep->n_entries, &q->cap_entries, e);
}

static void
h_audit_log(struct req *q)
{
    const char *since = param(q, "since"), *until = param(q, "until");
    const char *lim = param(q, "limit"), *off = param(q, "offset");
    struct audit_filter f = { .actor = param(q, "actor"), .action = param(q, "action"),
                              .limit = lim ? atol(lim) : 200, .offset = off ? atol(off) : 0 };
    lx_day d0 = 0, d1 = 0;

    snprintf(q->action, sizeof q->action, "audit:log");
    if (since && days_parse(since, &d0) == 0)
        f.since = days_start(d0);
    if (until && days_parse(until, &d1) == 0)
        f.until = days_start(d1 + 1);
    /* The filters in the entry, as a listing of filings has them. */
    snprintf(q->object, sizeof q->object, "since=%s until=%s actor=%.60s action=%.40s "
             "offset=%ld limit=%ld", since ? since : "-", until ? until : "-",
             f.actor ? f.actor : "*", f.action ? f.action : "*", f.offset, f.limit);
    text_utf8_fix(q->object);   /* a part cut inside a character */
    if (since && until && d1 < d0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("--since must not be after --until"));
        return;
    }
    if (audit_list(q->c->store, &f, add_entry, q, &q->rep->count) < 0) {
        q->rep->n_entries = 0;
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the audit trail cannot be read now"));
        return;
    }
    snprintf(q->detail, sizeof q->detail, "%zu of %llu entries", q->rep->n_entries,
             (unsigned long long)q->rep->count);
    q->rep->ok = 1;
}

#define MAX_WITNESSES 8
#define MAX_RESTORE_PROOFS 4

static void
h_audit_verify(struct req *q)
{
    struct witness wit[MAX_WITNESSES + 1];
    const struct witness *own = audit_own_witness(q->c->audit);
    const struct witness *latest = audit_latest(q->c->audit);
    const char *given = param(q, "witness");
    struct audit_verdict v;
    size_t nwit = 0;

    snprintf(q->action, sizeof q->action, "audit:verify");
    /* Witnesses: each one must be the hub's own signature, or it proves
     * nothing. */
    if (given) {
        char *copy = kstr(q->a, given), *tok, *save = NULL;
        for (tok = strtok_r(copy, " ,\t\r\n", &save); tok; tok = strtok_r(NULL, " ,\t\r\n", &save)) {
            if (nwit == MAX_WITNESSES) {
                fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("at most %d witnesses at a time"),
                     MAX_WITNESSES);
                return;
            }
            if (witness_parse(tok, &wit[nwit]) < 0) {
                fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("a witness is SEQ:HEAD:SIGNATURE "
                     "(the number, 64 and 128 hex digits), as an adapter's status prints it"));
                return;
            }
            if (witness_verify(&wit[nwit], q->c->sign_pk) < 0) {
                fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("the witness at entry %llu is not "
                     "signed by this hub's key: it proves nothing about this trail"),
                     (unsigned long long)wit[nwit].seq);
                return;
            }
            nwit++;
        }
    }
    /* The hub's own copy, kept outside the database, is a witness too. */
    if (own && witness_verify(own, q->c->sign_pk) == 0)
        wit[nwit++] = *own;
    if (latest) {
        Lianxi__Checkpoint *c = keep(q->a, malloc(sizeof *c));
        struct witness *w = keep(q->a, malloc(sizeof *w));
        if (c && w) {
            *w = *latest;
            witness_to_wire(w, c);
            q->rep->checkpoint = c;
        }
    }
    if (audit_verify(q->c->store, q->c->sign_pk, wit, nwit, &v) < 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the audit trail cannot be read"));
        return;
    }
    /* The restores, signed: an operator holding a checkpoint of a trail
     * one replaced keeps it aside instead of calling it a cut. */
    if (v.restores) {
        struct restore_proof *rp = keep(q->a, calloc(MAX_RESTORE_PROOFS, sizeof *rp));
        Lianxi__RestoreProof *wp = keep(q->a, calloc(MAX_RESTORE_PROOFS, sizeof *wp));
        Lianxi__RestoreProof **pp = keep(q->a, calloc(MAX_RESTORE_PROOFS, sizeof *pp));
        int n = rp && wp && pp ? audit_restores(q->c->store, q->c->sign_pk, rp,
                                                MAX_RESTORE_PROOFS) : -1;
        for (int i = 0; i < n; i++) {
            witness_restore_to_wire(&rp[i], &wp[i]);
            pp[i] = &wp[i];
        }
        if (n > 0) {
            q->rep->restores = pp;
            q->rep->n_restores = (size_t)n;
        }
    }
    q->rep->ok = 1;
    q->rep->count = v.count;
    q->rep->first_bad = v.first_bad;
    q->rep->text = kstr(q->a, v.why);
    snprintf(q->detail, sizeof q->detail, "%s", v.why);
}

static void
h_audit_checkpoint(struct req *q)
{
    /* The checkpoint is written with the request's own audit entry. */
    snprintf(q->action, sizeof q->action, "audit:checkpoint");
    if (audit_tainted(q->c->audit)) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_DATA, _("the audit trail no longer holds the last "
             "checkpoint the hub signed (see the hub's log): run audit verify; the hub signs "
             "no new checkpoint over a trail that was cut back or rewritten"));
        return;
    }
    q->rep->ok = 1;
}

/* Answers with j as JSON text (freeing j), or fails: out of memory. */
static void
answer_json(struct req *q, cJSON *j)
{
    char *text = cJSON_PrintUnformatted(j);

    cJSON_Delete(j);
    if (!text || !(q->rep->text = keep(q->a, text))) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub is out of memory"));
        return;
    }
    q->rep->ok = 1;
}

static void
h_whoami(struct req *q)
{
    cJSON *j = cJSON_CreateObject();
    const char *unit = q->own ? q->own : "";

    snprintf(q->action, sizeof q->action, "read:whoami");
    cJSON_AddStringToObject(j, "name", q->op->name);
    cJSON_AddStringToObject(j, "role", q->op->role);
    cJSON_AddStringToObject(j, "unit", unit);
    cJSON_AddStringToObject(j, "unit_name", *unit ? units_name(unit) : "");
    cJSON_AddStringToObject(j, "actor", q->op->user_id);
    answer_json(q, j);
}

/* The health report (health.h), as `lianxi-hub status` prints it; count
 * is the number of problems (the client's exit code is 1 when not 0). */
static void
h_status(struct req *q)
{
    struct health_report *r = malloc(sizeof *r);
    char *text = NULL;
    size_t tlen = 0;
    FILE *f;

    snprintf(q->action, sizeof q->action, "read:status");
    if (!r || !(f = open_memstream(&text, &tlen))) {
        free(r);
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub is out of memory"));
        return;
    }
    if (health_collect(q->c->store, q->c->cal, q->c->conf, q->c->keys, 1, clock_now(), r) < 0) {
        fclose(f);
        free(text);
        free(r);
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the health report could not be read "
             "from the database; try again"));
        return;
    }
    if (param(q, "json"))
        health_json(r, f);
    else
        health_text(r, f);
    fclose(f);
    q->rep->count = (uint64_t)r->nproblems;
    free(r);
    if (!(q->rep->text = keep(q->a, text))) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub is out of memory"));
        return;
    }
    q->rep->ok = 1;
}

static void
h_overdue(struct req *q)
{
    const char *unit = q->own ? q->own : param(q, "unit"), *since = param(q, "since");
    const char *until = param(q, "until"), *lim = param(q, "limit"), *off = param(q, "offset");
    lx_day today = days_shanghai(clock_now()), d0, d1 = today;
    int y, m, dd, rc;
    char *text = NULL;
    size_t tlen = 0;
    FILE *f;

    days_to_civil(today, &y, &m, &dd);
    d0 = days_from_civil(y, 1, 1);
    if (since)
        days_parse(since, &d0);
    if (until)
        days_parse(until, &d1);
    snprintf(q->object, sizeof q->object, "unit=%s since=%s until=%s offset=%s limit=%s",
             unit ? unit : "*", since ? since : "-", until ? until : "-", off ? off : "0",
             lim ? lim : "-");
    if (d1 < d0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("--since must not be after --until"));
        return;
    }
    if (!(f = open_memstream(&text, &tlen))) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub is out of memory"));
        return;
    }
    rc = board_write(q->c->store, q->c->cal, q->c->cats, unit, d0, d1, lim ? atoi(lim) : 0,
                     off ? atoi(off) : 0, param(q, "json") != NULL, f);
    fclose(f);
    q->rep->text = keep(q->a, text);
    if (rc != 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the board could not be read from the "
             "database; try again"));
        return;
    }
    q->rep->ok = 1;
}

static int review_units(struct req *q, const char *spec, const char *units[LX_NUNITS]);

static void
h_meeting_create(struct req *q)
{
    const char *date = param(q, "date"), *kind = param(q, "kind");
    const char *from = param(q, "from"), *to = param(q, "to"), *title = param(q, "title");
    const char *secrecy = param(q, "secrecy"), *urgency = param(q, "urgency");
    const char *invited = param(q, "units");
    struct notice_spec ns = { param(q, "time"), param(q, "place"), param(q, "agenda"),
                              param(q, "attendee") };
    const char *units[LX_NUNITS];
    char tbuf[256], err[256], due_on[16] = "", *text = NULL;
    lx_day d, f, t;
    int64_t id;
    int nu = 0;

    snprintf(q->action, sizeof q->action, "meeting:create");
    days_parse(date, &d);
    days_parse(from, &f);
    days_parse(to, &t);
    if (t < f) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("the period ends before it begins: --period "
             "FROM..TO with FROM <= TO"));
        return;
    }
    if (title && strlen(title) > 200) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("the meeting's title is over 200 bytes: "
             "shorten it"));
        return;
    }
    if (title && strpbrk(title, "\t\r\n")) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("the meeting's title is one line: no line "
             "breaks or tabs"));
        return;
    }
    if (!title) {
        int y, m, dd;
        days_to_civil(d, &y, &m, &dd);
        snprintf(tbuf, sizeof tbuf, "%d年%s县干部监督联席会议", y,
                 strcmp(kind, "annual") == 0 ? "度" : "专题");
        title = tbuf;
    }
    /* Its notice goes to every member unit unless the convener names
     * them (or none). */
    ns.time = ns.time ? ns.time : "";
    ns.place = ns.place ? ns.place : "";
    ns.agenda = ns.agenda ? ns.agenda : "";
    ns.attendee = ns.attendee && *ns.attendee ? ns.attendee : NOTICE_ATTENDEE_DEFAULT;
    if (notice_check(&ns, err, sizeof err) < 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, "%s", err);
        return;
    }
    if (!invited || strcmp(invited, "none") != 0) {
        if ((nu = review_units(q, invited ? invited : "all", units)) < 0)
            return;
    }
    /* Its briefings are internal material unless the convener says
     * otherwise (opcmd.c). */
    secrecy = secrecy ? secrecy : "internal";
    urgency = urgency ? urgency : "none";
    /* The meeting and its audit entry go in one transaction (committed
     * when the request is recorded). */
    if (begin(q) < 0)
        return;
    if ((id = meeting_add(q->c->store, date, kind, from, to, title, secrecy, urgency,
                          q->op->name, clock_now())) < 0 ||
        (nu > 0 && notice_create(q->c->store, q->c->cal, id, date, title, &ns, units,
                                 (size_t)nu, q->op->user_id, clock_now(), due_on) < 0)) {
        store_rollback(q->c->store);
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the meeting could not be stored"));
        return;
    }
    q->rep->count = (uint64_t)id;
    snprintf(q->object, sizeof q->object, "meeting %lld", (long long)id);
    snprintf(q->detail, sizeof q->detail, "%s %s %s..%s secrecy=%s urgency=%s %s; notice to %d "
             "units, replies due %s", date, kind, from, to, secrecy, urgency, title, nu,
             nu ? due_on : "-");
    if (nu > 0 && asprintf(&text, _("its notice goes to %d units; their attendance replies are "
                                    "due on %s\n"), nu, due_on) >= 0)
        q->rep->text = keep(q->a, text) ? text : "";
    q->rep->ok = 1;
}

static void
h_meeting_attendance(struct req *q)
{
    const char *id = param(q, "id");
    cJSON *j;
    int err = 0;

    snprintf(q->action, sizeof q->action, "read:%s", q->cmd->name);
    snprintf(q->object, sizeof q->object, "meeting %s", id);
    if (!(j = notice_board(q->c->store, q->c->cal, atoll(id), clock_now(), &err))) {
        if (err)
            fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the attendance replies cannot be "
                 "read; try again"));
        else
            fail(q, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND, _("meeting %s has no notice sent to "
                 "units (see lianxi meeting list)"), id);
        return;
    }
    answer_json(q, j);
}

/* One TSV field: a TAB or line break inside it (a title stored before
 * titles were checked) would forge a row, so it becomes a space. */
static void
tsv_field(FILE *f, const char *s, int last)
{
    for (; s && *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
    fputc(last ? '\n' : '\t', f);
}

static int
print_meeting(void *arg, const struct meeting_row *m)
{
    /* The marks after the fields of old: a client that knows seven reads on. */
    const char *fields[] = { m->date, m->kind, m->from, m->to, m->title, m->created_by,
                             m->secrecy, m->urgency };

    fprintf(arg, "%lld\t", (long long)m->id);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        tsv_field(arg, fields[i], i == sizeof fields / sizeof fields[0] - 1);
    return 0;
}

static void
h_meeting_list(struct req *q)
{
    const char *id = param(q, "id");
    char *text = NULL;
    size_t tlen = 0;
    FILE *f;
    int n;

    snprintf(q->action, sizeof q->action, "read:%s", q->cmd->name);
    snprintf(q->object, sizeof q->object, "%s", id ? id : "all");
    if (!(f = open_memstream(&text, &tlen))) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub is out of memory"));
        return;
    }
    n = meeting_list(q->c->store, id ? atoll(id) : 0, print_meeting, f);
    fclose(f);
    keep(q->a, text);
    if (n < 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the meetings cannot be read"));
        return;
    }
    if (id && n == 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND, _("no meeting %s (see lianxi meeting list)"),
             id);
        return;
    }
    q->rep->text = text ? text : "";
    q->rep->count = (uint64_t)n;
    q->rep->ok = 1;
}

/* ---- Briefing copies sent to the units ---------------------------------- */

static void
h_brief_copies(struct req *q)
{
    const char *mid = param(q, "meeting");
    struct meeting m;
    cJSON *arr;
    int rc;

    snprintf(q->action, sizeof q->action, "read:%s", q->cmd->name);
    snprintf(q->object, sizeof q->object, "meeting %s", mid);
    if ((rc = meeting_get(q->c->store, atoll(mid), &m)) <= 0) {
        fail(q, rc < 0 ? LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE
                       : LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND,
             _("no meeting %s (see lianxi meeting list)"), mid);
        return;
    }
    if (!(arr = dispatch_copies(q->c->store, atoll(mid)))) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the briefing's copies cannot be read; "
             "try again"));
        return;
    }
    q->rep->count = (uint64_t)cJSON_GetArraySize(arr);
    answer_json(q, arr);
}

static void
h_brief_recall(struct req *q)
{
    const char *mid = param(q, "meeting");
    struct meeting m;
    char *text = NULL;
    int rc;

    snprintf(q->action, sizeof q->action, "brief:recall");
    snprintf(q->object, sizeof q->object, "meeting %s", mid);
    if ((rc = meeting_get(q->c->store, atoll(mid), &m)) <= 0) {
        fail(q, rc < 0 ? LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE
                       : LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND,
             _("no meeting %s (see lianxi meeting list)"), mid);
        return;
    }
    if (strcmp(m.secrecy, "recall") != 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_DATA, _("meeting %s's briefing is not marked for "
             "recall (会后收回): its copies stay with the units"), mid);
        return;
    }
    if (begin(q) < 0)
        return;
    if ((rc = dispatch_recall(q->c->store, atoll(mid), q->op->user_id, clock_now())) < 0) {
        store_rollback(q->c->store);
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the recall could not be stored; try "
             "again"));
        return;
    }
    /* The recall and its audit entry go in one transaction (committed
     * when the request is recorded). */
    q->rep->count = (uint64_t)rc;
    snprintf(q->detail, sizeof q->detail, "%d copies recalled", rc);
    if (asprintf(&text, param(q, "json") ? "{\"recalled\":%d}\n" :
                 _("%d copies recalled: each unit's adapter deletes its copy and confirms\n"),
                 rc) >= 0)
        q->rep->text = keep(q->a, text) ? text : "";
    q->rep->ok = 1;
}

/* ---- Circulars (通报) ---------------------------------------------------- */

/* A document's hash as the operator gave it (64 hex digits) into hash.
 * Returns 0, or -1 after failing the reply. */
static int
hash_param(struct req *q, const char *hex, uint8_t hash[ATT_HASHLEN])
{
    if (!hex || strlen(hex) != ATT_HEXLEN || att_unhex(hex, hash) < 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("a document's hash is 64 hex digits "
             "(BLAKE2b-256 of its bytes)"));
        return -1;
    }
    return 0;
}

static void
h_upload(struct req *q)
{
    const char *name = param(q, "name");
    uint64_t size = (uint64_t)atoll(param(q, "size")), offset = (uint64_t)atoll(param(q, "offset"));
    const char *media = att_type_for_name(name);
    uint8_t hash[ATT_HASHLEN];
    int64_t held;
    int have;

    snprintf(q->action, sizeof q->action, "upload");
    snprintf(q->object, sizeof q->object, "%.64s", param(q, "hash"));
    if (hash_param(q, param(q, "hash"), hash) < 0)
        return;
    if (!att_name_ok(name) || !media) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("a document's name is one line of text whose "
             "extension is one of %s"), att_type_list());
        return;
    }
    if (!q->c->att || (have = attach_have(q->c->att, hash)) < 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub cannot store documents now; "
             "try again"));
        return;
    }
    snprintf(q->detail, sizeof q->detail, "%s, %llu bytes at %llu of %llu", name,
             (unsigned long long)q->r->data.len, (unsigned long long)offset,
             (unsigned long long)size);
    if (have) {
        /* Held already: nothing more wanted, if it is what its name says
         * (a circular sends it under this name). */
        char stored[96];
        int rc = attach_stored_type(q->c->att, hash, stored, sizeof stored);
        if (rc < 0) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub cannot store documents "
                 "now; try again"));
            return;
        }
        if (rc == 1 && strcmp(stored, media) != 0) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_DATA, _("%s is not what its name says (%s)"), name,
                 att_type_label(media));
            return;
        }
        q->rep->count = size;
        q->rep->ok = 1;
        return;
    }
    if (q->r->data.len > ATT_CHUNK || offset > size || q->r->data.len > size - offset) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("a piece is at most %d bytes and ends within "
             "the document"), ATT_CHUNK);
        return;
    }
    /* As large as a unit's document may be; and what the operators have
     * begun and not finished is bounded as a unit's is: each upload's size
     * is declared with its first piece (renewed by each), the same for
     * every piece, and a new one over the bound waits until others finish
     * or are swept (pending_days after their last piece). */
    {
        uint64_t each = q->c->att_max_each ? q->c->att_max_each : ATT_DEFAULT_MAX_EACH;
        uint64_t cap = q->c->att_max_pending ? q->c->att_max_pending : ATT_DEFAULT_MAX_PENDING;
        uint64_t pending = 0, declared = 0;
        Lianxi__Attachment a = LIANXI__ATTACHMENT__INIT;
        char dmedia[96];
        long rows = 0;
        int rc;
        if (size > each) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("%s is %.1f MB: a document is at most "
                 "%.1f MB ([attachments] max_size)"), name, (double)size / 1e6,
                 (double)each / 1e6);
            return;
        }
        if ((rc = attach_declared(q->c->att, ATTACH_OPERATORS, hash, &declared, dmedia,
                                  sizeof dmedia)) < 0 ||
            (rc == 0 && attach_pending(q->c->att, ATTACH_OPERATORS, &pending, &rows) < 0)) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub cannot store documents "
                 "now; try again"));
            return;
        }
        if (rc == 1 && declared != size) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("the document's size is not the %llu "
                 "bytes its upload began with"), (unsigned long long)declared);
            return;
        }
        if (rc == 0 && (pending + size > cap || rows >= ATT_MAX_DECLARATIONS)) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the operators' unfinished "
                 "uploads hold %.1f MB of at most %.1f MB ([attachments] "
                 "max_pending_per_unit): finish them, or try again when they are swept"),
                 (double)pending / 1e6, (double)cap / 1e6);
            return;
        }
        a.hash.data = hash;
        a.hash.len = ATT_HASHLEN;
        a.name = (char *)name;
        a.media_type = (char *)media;
        a.size = size;
        if (attach_declare(q->c->att, ATTACH_OPERATORS, "upload", 0, &a, clock_now()) < 0) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub cannot store documents "
                 "now; try again"));
            return;
        }
    }
    /* Operators' uploads are kept apart from the units' (attach.h). */
    held = attach_write(q->c->att, ATTACH_OPERATORS, hash, size, offset, q->r->data.data,
                        q->r->data.len);
    if (held < 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub could not write the document; "
             "try again"));
        return;
    }
    if ((uint64_t)held == size) {
        enum attach_result r = attach_finish(q->c->att, ATTACH_OPERATORS, hash, size, media,
                                             clock_now());
        /* Stored, or refused and deleted: no longer unfinished. */
        if (r == ATTACH_OK || r == ATTACH_MISMATCH || r == ATTACH_CONTENT)
            (void)attach_forget(q->c->att, ATTACH_OPERATORS, hash, NULL, NULL);
        switch (r) {
        case ATTACH_OK:
            break;
        case ATTACH_MISMATCH:
            fail(q, LIANXI__OP_ERROR__OP_ERROR_DATA, _("the document's bytes do not hash to %s: "
                 "send it again"), param(q, "hash"));
            return;
        case ATTACH_CONTENT:
            fail(q, LIANXI__OP_ERROR__OP_ERROR_DATA, _("%s is not what its name says (%s)"), name,
                 att_type_label(media));
            return;
        default:
            fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub could not store the "
                 "document; try again"));
            return;
        }
    }
    q->rep->count = (uint64_t)held;     /* the next offset wanted; size: done */
    q->rep->ok = 1;
}

static void
h_circular(struct req *q)
{
    const char *title = param(q, "title"), *text = param(q, "text");
    const char *units[LX_NUNITS];
    char *docs = kstr(q->a, param(q, "documents") ? param(q, "documents") : ""), *line;
    char *save = NULL, *out = NULL;
    struct dispatch_doc d[DISPATCH_MAX_DOCS];
    size_t nd = 0;
    int nu;
    int64_t num, now = clock_now();

    snprintf(q->action, sizeof q->action, "circular:send");
    if (!docs || strpbrk(title, "\t\r\n") || !*title || !*text) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("a circular needs a title (one line) and a "
             "text"));
        return;
    }
    if ((nu = review_units(q, param(q, "units") ? param(q, "units") : "all", units)) < 0)
        return;
    for (line = strtok_r(docs, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[3] = { line, NULL, NULL };
        char path[PATH_MAX + 80];
        struct stat sb;
        if (!*line)
            continue;
        if (nd == DISPATCH_MAX_DOCS) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("a circular has at most %d documents"),
                 DISPATCH_MAX_DOCS);
            return;
        }
        if ((f[1] = strchr(f[0], '\t')))
            *f[1]++ = '\0';
        if (f[1] && (f[2] = strchr(f[1], '\t')))
            *f[2]++ = '\0';
        if (!f[2] || hash_param(q, f[0], d[nd].hash) < 0 || !att_name_ok(f[2]) ||
            !(d[nd].media = att_type_for_name(f[2]))) {
            if (!q->rep->error || !*q->rep->error)
                fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("--documents: one line per document: "
                     "hash, size, name (its extension one of %s)"), att_type_list());
            return;
        }
        /* Each document its own file at the units (notices/NNNNNN-NAME):
         * two of one name would overwrite each other there, and one sent
         * twice could not be placed twice. */
        for (size_t k = 0; k < nd; k++)
            if (strcmp(d[k].name, f[2]) == 0 ||
                memcmp(d[k].hash, d[nd].hash, ATT_HASHLEN) == 0) {
                fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("a circular's documents %s and %s "
                     "have the same name or are the same document: each is sent once, under "
                     "a name of its own"), d[k].name, f[2]);
                return;
            }
        d[nd].name = f[2];
        if (q->c->att)
            attach_path(q->c->att, d[nd].hash, path, sizeof path);
        if (!q->c->att || attach_have(q->c->att, d[nd].hash) != 1 || stat(path, &sb) < 0) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_DATA, _("document %s was not uploaded whole "
                 "before (upload)"), f[2]);
            return;
        }
        d[nd].size = (uint64_t)sb.st_size;
        nd++;
    }
    if (begin(q) < 0)
        return;
    if ((num = dispatch_next_circular(q->c->store)) < 0)
        goto err;
    for (int i = 0; i < nu; i++) {
        struct dispatch_msg m = { .kind = LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_CIRCULAR,
                                  .circular = num, .title = title, .text = text, .docs = d,
                                  .ndocs = nd };
        if (dispatch_add(q->c->store, units[i], &m, q->op->user_id, now) < 0)
            goto err;
    }
    /* The circular and its audit entry go in one transaction (committed
     * when the request is recorded). */
    q->rep->count = (uint64_t)num;
    snprintf(q->object, sizeof q->object, "circular %lld", (long long)num);
    snprintf(q->detail, sizeof q->detail, "%d units, %zu documents: %s", nu, nd, title);
    if (asprintf(&out, param(q, "json") ? "{\"circular\":%lld,\"units\":%d}\n" :
                 _("circular %lld sent to %d units\n"), (long long)num, nu) >= 0)
        q->rep->text = keep(q->a, out) ? out : "";
    q->rep->ok = 1;
    return;
err:
    store_rollback(q->c->store);
    fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the circular could not be stored; try "
         "again"));
}

static void
h_sent(struct req *q)
{
    cJSON *arr, *notices = NULL;

    snprintf(q->action, sizeof q->action, "read:sent");
    snprintf(q->object, sizeof q->object, "%s", q->own ? q->own : "all");
    if (!(arr = dispatch_list(q->c->store, q->own)) ||
        !(notices = notice_list(q->c->store, q->own))) {
        cJSON_Delete(arr);
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("what was sent cannot be read; try "
             "again"));
        return;
    }
    /* The meeting notices after the circulars and briefing copies. */
    while (cJSON_GetArraySize(notices) > 0)
        cJSON_AddItemToArray(arr, cJSON_DetachItemFromArray(notices, 0));
    cJSON_Delete(notices);
    q->rep->count = (uint64_t)cJSON_GetArraySize(arr);
    answer_json(q, arr);
}

/* ---- Joint reviews (任前联审) ------------------------------------------ */

/* The units a review asks ("all", or codes separated by commas) into
 * units (at most LX_NUNITS, each once).  Returns the count, or -1 after
 * failing the reply. */
static int
review_units(struct req *q, const char *spec, const char *units[LX_NUNITS])
{
    char buf[320], *save = NULL, *w;
    int n = 0;

    if (strcmp(spec, "all") == 0) {
        for (int i = 0; i < LX_NUNITS; i++)
            units[i] = lx_units[i].code;
        return LX_NUNITS;
    }
    snprintf(buf, sizeof buf, "%s", spec);
    for (w = strtok_r(buf, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
        const struct lx_unit *u = NULL;
        int dupl = 0;
        if (units_lookup(w, &u) != 1) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("--units: '%.40s' is not one member "
                 "unit; give all, or unit codes separated by commas (discipline,family_planning)"),
                 w);
            return -1;
        }
        for (int k = 0; k < n; k++)
            dupl |= strcmp(units[k], u->code) == 0;
        if (!dupl)
            units[n++] = u->code;
    }
    if (n == 0)
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("--units names no unit"));
    return n ? n : -1;
}

static void
h_review_request_create(struct req *q)
{
    const char *title = param(q, "title"), *due = param(q, "due"), *scope = param(q, "scope");
    const char *units[LX_NUNITS];
    char *text = kstr(q->a, param(q, "candidates")), *line, *save = NULL, err[512];
    char code[JR_CODE_LEN];
    struct jr_candidate c[JR_MAX_CANDIDATES];
    size_t nc = 0;
    int nu, days = due ? atoi(due) : q->c->review_days > 0 ? q->c->review_days : 5, sc;
    int64_t id;

    snprintf(q->action, sizeof q->action, "review-request:create");
    if (!text || strpbrk(title, "\t\r\n")) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("the review's title is one line: no line "
             "breaks or tabs"));
        return;
    }
    if ((nu = review_units(q, param(q, "units"), units)) < 0)
        return;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[5] = { NULL }, *p = line;
        int nf = 0;
        line[strcspn(line, "\r")] = '\0';
        if (!*line)
            continue;
        while (nf < 5 && p) {
            f[nf++] = p;
            if ((p = strchr(p, '\t')))
                *p++ = '\0';
        }
        if (nc == JR_MAX_CANDIDATES) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("a review lists at most %d candidates"),
                 JR_MAX_CANDIDATES);
            return;
        }
        c[nc] = (struct jr_candidate){ f[0], f[1], f[2], f[3] ? f[3] : "", f[4] };
        if (jointreview_check_candidate(&c[nc], err, sizeof err) < 0) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_DATA, _("candidate %zu: %s"), nc + 1, err);
            return;
        }
        for (size_t k = 0; k < nc; k++)
            if (strcasecmp(c[k].id_number, c[nc].id_number) == 0) {
                fail(q, LIANXI__OP_ERROR__OP_ERROR_DATA, _("candidates %zu and %zu have the same "
                     "ID number %s"), k + 1, nc + 1, c[nc].id_number);
                return;
            }
        nc++;
    }
    if (nc == 0) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("the review lists no candidate"));
        return;
    }
    sc = !scope ? LIANXI__SCOPE__SCOPE_LEADERSHIP : strcmp(scope, "public") == 0 ?
         LIANXI__SCOPE__SCOPE_PUBLIC : strcmp(scope, "organs") == 0 ?
         LIANXI__SCOPE__SCOPE_ORGANS : strcmp(scope, "specific") == 0 ?
         LIANXI__SCOPE__SCOPE_SPECIFIC : LIANXI__SCOPE__SCOPE_LEADERSHIP;
    if (begin(q) < 0)
        return;
    if ((id = jointreview_create(q->c->store, q->c->cal, title, sc, c, nc, units, (size_t)nu, days,
                                 q->op->user_id, clock_now())) < 0) {
        store_rollback(q->c->store);
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the review could not be stored"));
        return;
    }
    jointreview_format(id, code);
    q->rep->count = (uint64_t)id;
    snprintf(q->object, sizeof q->object, "%s", code);
    snprintf(q->detail, sizeof q->detail, "%zu candidates, %d units, %d working days: %s", nc,
             nu, days, title);
    text = NULL;
    if (asprintf(&text, param(q, "json") ? "{\"id\":\"%s\"}\n" :
                 _("joint review %s opened: %zu candidates asked of %d units\n"), code, nc, nu) >= 0)
        q->rep->text = keep(q->a, text) ? text : "";
    q->rep->ok = 1;
}

static void
h_review_request_list(struct req *q)
{
    cJSON *list = jointreview_list(q->c->store, q->own), *r;
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    snprintf(q->object, sizeof q->object, "all");
    if (!list || !(f = open_memstream(&text, &len))) {
        cJSON_Delete(list);
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the reviews cannot be read now; try "
             "again"));
        return;
    }
    if (param(q, "json")) {
        char *s = cJSON_PrintUnformatted(list);
        fprintf(f, "%s\n", s ? s : "[]");
        free(s);
    } else {
        cJSON_ArrayForEach(r, list) {
            char title[256];
            snprintf(title, sizeof title, "%s", cJSON_GetObjectItem(r, "title")->valuestring);
            for (char *p = title; *p; p++)
                if ((unsigned char)*p < 0x20)
                    *p = ' ';
            fprintf(f, "%s\t%s\t%s\t%d\t%d\n", cJSON_GetObjectItem(r, "id")->valuestring,
                    cJSON_GetObjectItem(r, "due_on")->valuestring, title,
                    cJSON_GetObjectItem(r, "candidates") ?
                    cJSON_GetObjectItem(r, "candidates")->valueint : 0,
                    cJSON_GetObjectItem(r, "unanswered") ?
                    cJSON_GetObjectItem(r, "unanswered")->valueint : 0);
        }
    }
    fclose(f);
    q->rep->count = (uint64_t)cJSON_GetArraySize(list);
    cJSON_Delete(list);
    q->rep->text = keep(q->a, text) ? text : "";
    q->rep->ok = 1;
}

/* s on one line of the terminal: line breaks and tabs (allowed in an
 * answer's text) become spaces; no control character passed the checks. */
static void
line_put(FILE *f, const char *s)
{
    for (; s && *s; s++)
        fputc(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s, f);
}

static const char *
jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* One answer in words: 无 / 有：text / 核查中（预计 date）/ 未答复, its date and
 * timeliness. */
static void
answer_words(FILE *f, const cJSON *a)
{
    const char *ans = jstr(a, "answer");
    const cJSON *late = cJSON_GetObjectItem(a, "late_days");

    fputs(jstr(a, "answer_zh"), f);
    if (strcmp(ans, "unanswered") == 0) {
        const cJSON *od = cJSON_GetObjectItem(a, "overdue_days");
        if (od && od->valueint > 0)
            fprintf(f, "（逾期 %d 个工作日）", od->valueint);
        return;
    }
    if (*jstr(a, "text")) {
        fputs("：", f);
        line_put(f, jstr(a, "text"));
    }
    if (*jstr(a, "expected_on"))
        fprintf(f, "（预计 %s 答复）", jstr(a, "expected_on"));
    fprintf(f, "  %.10s %s", jstr(a, "answered_at"),
            cJSON_IsTrue(cJSON_GetObjectItem(a, "on_time")) ? "按时" : "");
    if (late && late->valueint > 0)
        fprintf(f, "逾期 %d 个工作日", late->valueint);
    if (*jstr(a, "revised_at"))
        fprintf(f, "（%.10s 修改）", jstr(a, "revised_at"));
}

static void
h_review_request_show(struct req *q)
{
    const char *id = param(q, "id"), *format = param(q, "format");
    int64_t rid = jointreview_parse(id);
    int err = 0, doc = format && strcmp(format, "text") != 0;
    cJSON *j = NULL, *c, *a;
    char *text = NULL, today[64];
    size_t len = 0;
    FILE *f;

    snprintf(q->object, sizeof q->object, "%.32s", id);
    if (rid > 0)
        j = jointreview_summary(q->c->store, q->c->cal, rid, q->own, clock_now(), &err);
    if (!j) {
        fail(q, err ? LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE : LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND,
             err ? _("the review cannot be read now; try again") :
             _("no joint review %.32s (see lianxi review-request list)"), id);
        return;
    }
    /* What lianxi holds about each candidate: the group's, never a
     * member's to see. */
    if (!q->own)
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "candidates")) {
            size_t before = q->rep->n_filings;
            uint64_t total = 0;
            size_t cap = q->rep->n_filings + LIST_LIMIT;
            if (collect_all(q, query_dossier(q->c->store, jstr(c, "id_number")), cap, &total) < 0)
                break;
            cJSON_AddNumberToObject(c, "dossier_filings", (double)(q->rep->n_filings - before));
        }
    if (!(f = open_memstream(&text, &len))) {
        cJSON_Delete(j);
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub is out of memory"));
        return;
    }
    days_time_text(clock_now(), today, sizeof today);
    if (param(q, "json")) {
        char *s = cJSON_PrintUnformatted(j);
        fprintf(f, "%s\n", s ? s : "{}");
        free(s);
    } else if (doc) {
        char why[256], *body = NULL;
        size_t blen = 0;
        if (reviewdoc_render(j, format, q->c->county, clock_now(), &body, &blen, why,
                             sizeof why) < 0) {
            fclose(f);
            free(text);
            cJSON_Delete(j);
            fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the summary could not be made: "
                 "%s"), why);
            return;
        }
        if (strcmp(format, "docx") == 0) {
            /* Binary: in document, as a briefing's .docx. */
            q->rep->document.data = keep(q->a, body);
            q->rep->document.len = blen;
        } else {
            fwrite(body, 1, blen, f);
            free(body);
        }
    } else {
        fprintf(f, "%s  ", jstr(j, "id"));
        line_put(f, jstr(j, "title"));
        fprintf(f, "\n征求意见 %s  答复期限 %s  制表 %s\n", jstr(j, "created_at"),
                jstr(j, "due_on"), today);
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "candidates")) {
            const cJSON *d = cJSON_GetObjectItem(c, "dossier_filings");
            fputs("\n", f);
            line_put(f, jstr(c, "name"));
            fprintf(f, "  %s  ", jstr(c, "id_number"));
            line_put(f, jstr(c, "work_unit"));
            fputs(" ", f);
            line_put(f, jstr(c, "post"));
            fputs(" → ", f);
            line_put(f, jstr(c, "proposed_post"));
            if (d)
                fprintf(f, "  已报备事项 %d 件", d->valueint);
            fputs("\n", f);
            cJSON_ArrayForEach(a, cJSON_GetObjectItem(c, "answers")) {
                fprintf(f, "  %-8s ", units_name(jstr(a, "unit")));
                answer_words(f, a);
                fputs("\n", f);
            }
        }
        /* Each opinion's documents (fetched by its receipt number). */
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "opinions")) {
            const cJSON *docs = cJSON_GetObjectItem(c, "attachments");
            const cJSON *rv = cJSON_GetObjectItem(c, "revision");
            if (cJSON_GetArraySize(docs) == 0)
                continue;
            fputs("\n", f);
            fprintf(f, _("documents of %s's opinion, revision %d, receipt %s (lianxi attachment "
                    "%s N -o FILE):\n"), units_name(jstr(c, "unit")),
                    cJSON_IsNumber(rv) ? rv->valueint : 0, jstr(c, "receipt_no"),
                    jstr(c, "receipt_no"));
            cJSON_ArrayForEach(a, docs) {
                const cJSON *num = cJSON_GetObjectItem(a, "n"), *sz = cJSON_GetObjectItem(a, "size");
                fprintf(f, "  %d. ", cJSON_IsNumber(num) ? num->valueint : 0);
                line_put(f, jstr(a, "name"));
                fprintf(f, _("  %s  %.0f bytes  BLAKE2b-256 %s\n"), jstr(a, "type"),
                        cJSON_IsNumber(sz) ? sz->valuedouble : 0.0, jstr(a, "blake2b"));
            }
        }
    }
    fclose(f);
    cJSON_Delete(j);
    q->rep->text = keep(q->a, text) ? text : "";
    q->rep->ok = 1;
}

/* Off the loop: the job is described here, run and recorded by the hub. */
static void
job_common(struct req *q, int kind, const char *action)
{
    q->job->kind = kind;
    q->job->request_id = q->r->request_id;
    snprintf(q->job->actor, sizeof q->job->actor, "%s", q->op->user_id);
    snprintf(q->job->action, sizeof q->job->action, "%s", action);
}

static void
h_export(struct req *q)
{
    job_common(q, CONTROL_JOB_EXPORT, "export");
    filter_of(q, &q->job->filter);
    q->job->filter.limit = 0;
    query_describe(&q->job->filter, q->job->object, sizeof q->job->object);
    q->rep->ok = 1;
}

/* A string for the briefing, copied into the job's buffer (cut on a
 * character); NULL stays NULL. */
static const char *
job_string(char *buf, size_t n, const char *s)
{
    if (!s)
        return NULL;
    snprintf(buf, n, "%s", s);
    return text_utf8_fix(buf);
}

void
control_job_copy(struct control_job *dst, const struct control_job *src)
{
    *dst = *src;
    if (src->kind != CONTROL_JOB_BRIEF)
        return;
    /* Every string of the briefing points into the job it belongs to. */
    if (src->brief.title)
        dst->brief.title = dst->title;
    if (src->brief.county)
        dst->brief.county = dst->county;
    if (src->brief.secrecy)
        dst->brief.secrecy = dst->secrecy;
    if (src->brief.urgency)
        dst->brief.urgency = dst->urgency;
    for (size_t i = 0; i < LX_NUNITS; i++)
        if (src->brief.unit_name[i])
            dst->brief.unit_name[i] = dst->unit_names[i];
}

static void
h_brief(struct req *q)
{
    struct control_job *j = q->job;
    const char *mid = param(q, "meeting"), *from = param(q, "from"), *to = param(q, "to");
    const char *aud = param(q, "audience"), *fmt = param(q, "format"), *part = param(q, "part");
    const char *copy = param(q, "copy");
    static const char *const formats[] = { "html", "md", "docx" };
    static const char *const parts[] = { "main", "appendix", "points" };
    char copy_no[16] = "none";
    int rc;

    memset(&j->brief, 0, sizeof j->brief);
    j->title[0] = '\0';
    j->send = param(q, "send") != NULL;
    j->meeting = mid ? atoll(mid) : 0;
    j->recall_after = 0;
    if (j->send && (!mid || strcmp(aud, "full") != 0 || (fmt && strcmp(fmt, "docx") != 0) ||
                    (part && strcmp(part, "main") != 0) || copy ||
                    param(q, "show_id_numbers"))) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("--send sends the briefing of a meeting "
             "(--meeting N) for the full audience, as .docx, each unit its own numbered copy: "
             "without --part, --copy or --show-id-numbers"));
        return;
    }
    j->brief.county = job_string(j->county, sizeof j->county, q->c->county);
    for (size_t i = 0; i < LX_NUNITS && q->c->unit_names; i++)
        j->brief.unit_name[i] = job_string(j->unit_names[i], sizeof j->unit_names[i],
                                           q->c->unit_names[i]);
    if (mid) {
        struct meeting m;
        rc = meeting_get(q->c->store, atoll(mid), &m);
        if (rc <= 0) {
            fail(q, rc < 0 ? LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE
                           : LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND,
                 _("no meeting %s (see lianxi meeting list)"), mid);
            return;
        }
        if (j->send && (rc = dispatch_briefing_copies(q->c->store, j->meeting)) != 0) {
            fail(q, rc < 0 ? LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE
                           : LIANXI__OP_ERROR__OP_ERROR_DATA,
                 _("the briefing of meeting %s was sent to the units already (see lianxi "
                   "brief copies %s)"), mid, mid);
            return;
        }
        j->recall_after = strcmp(m.secrecy, "recall") == 0;
        j->brief.meeting_date = m.date;
        j->brief.from = m.from;
        j->brief.to = m.to;
        j->brief.title = job_string(j->title, sizeof j->title, m.title);
        /* The marks are the meeting's; a bare period has none. */
        j->brief.secrecy = job_string(j->secrecy, sizeof j->secrecy,
                                      opcmd_secrecy_mark(m.secrecy));
        j->brief.urgency = job_string(j->urgency, sizeof j->urgency,
                                      opcmd_urgency_mark(m.urgency));
        snprintf(j->object, sizeof j->object, "meeting %s", mid);
    } else if (from && to) {
        days_parse(from, &j->brief.from);
        days_parse(to, &j->brief.to);
        snprintf(j->object, sizeof j->object, "%s..%s", from, to);
    } else {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("a briefing needs a meeting or --period "
             "FROM..TO (YYYY-MM-DD)"));
        return;
    }
    if (j->brief.to < j->brief.from) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("the period ends before it begins"));
        return;
    }
    j->brief.audience = strcmp(aud, "leadership") == 0 ? BRIEF_LEADERSHIP : BRIEF_FULL;
    /* The table allows only its words: anything else is the default. */
    j->brief.format = !fmt ? BRIEF_HTML : strcmp(fmt, "md") == 0 ? BRIEF_MD
                      : strcmp(fmt, "docx") == 0 ? BRIEF_DOCX : BRIEF_HTML;
    j->brief.part = !part ? BRIEF_MAIN : strcmp(part, "appendix") == 0 ? BRIEF_APPENDIX
                    : strcmp(part, "points") == 0 ? BRIEF_POINTS : BRIEF_MAIN;
    j->brief.copy_no = copy ? atoi(copy) : 0;
    if (j->brief.copy_no)
        snprintf(copy_no, sizeof copy_no, "%06d", j->brief.copy_no);
    j->brief.show_id_numbers = param(q, "show_id_numbers") != NULL;
    if (j->send)
        j->brief.format = BRIEF_DOCX;
    job_common(q, CONTROL_JOB_BRIEF, j->send ? "send:brief" : "export:brief");
    {
        /* What the trail shows of it: which document, in which format, which
         * copy, and whether it shows ID numbers in full. */
        char f[LX_DATE_LEN], t[LX_DATE_LEN];
        days_format(j->brief.from, f);
        days_format(j->brief.to, t);
        snprintf(j->what, sizeof j->what, "%s..%s audience=%s part=%s format=%s copy=%s "
                 "show_id_numbers=%s", f, t, aud, parts[j->brief.part], formats[j->brief.format],
                 j->send ? "each unit's" : copy_no, j->brief.show_id_numbers ? "yes" : "no");
    }
    q->rep->ok = 1;
}

typedef void (handler_fn)(struct req *q);

/* The handler of each command of the table (by name, checked at start). */
static const struct {
    const char *name;
    handler_fn *fn;
} handlers[] = {
    { "filings", h_filings },
    { "show", h_show },
    { "attachment", h_attachment },
    { "review", h_review },
    { "dossier", h_dossier },
    { "export", h_export },
    { "overdue", h_overdue },
    { "audit-log", h_audit_log },
    { "audit-verify", h_audit_verify },
    { "audit-checkpoint", h_audit_checkpoint },
    { "meeting-create", h_meeting_create },
    { "meeting-list", h_meeting_list },
    { "meeting-show", h_meeting_list },
    { "meeting-attendance", h_meeting_attendance },
    { "brief-copies", h_brief_copies },
    { "brief-recall", h_brief_recall },
    { "upload", h_upload },
    { "circular", h_circular },
    { "sent", h_sent },
    { "brief", h_brief },
    { "review-request-create", h_review_request_create },
    { "review-request-list", h_review_request_list },
    { "review-request-show", h_review_request_show },
    { "status", h_status },
    { "whoami", h_whoami },
};

static handler_fn *
handler_of(const char *name)
{
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
        if (strcmp(handlers[i].name, name) == 0)
            return handlers[i].fn;
    return NULL;
}

/* Checks the request against the command's entry in the table: role, each
 * parameter known and valid, the required ones present.  Returns 0, or -1
 * after failing the reply. */
static int
check(struct req *q)
{
    char err[4096];

    if (!(opcmd_role_bit(q->op->role) & q->cmd->roles)) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_PERMISSION, _("operator %s (role %s) may not use '%s'"),
             q->op->name, q->op->role, q->cmd->name);
        return -1;
    }
    for (size_t i = 0; i < q->r->n_params; i++) {
        const char *key = q->r->params[i]->key, *value = q->r->params[i]->value;
        const struct opcmd_param *p = opcmd_param(q->cmd, key);
        if (!p) {
            opcmd_unknown_param(q->cmd, key, err, sizeof err);
            fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, "%s", err);
            return -1;
        }
        char canon[256];
        if (opcmd_resolve_value(p, q->c->cats, value ? value : "", canon, sizeof canon, err,
                                sizeof err) < 0) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, "%s", err);
            return -1;
        }
        /* A unit or a category named by its name: the handlers get its code. */
        if ((p->type == OPT_UNIT || p->type == OPT_CATEGORY) && value &&
            strcmp(canon, value) != 0) {
            if (!q->vals && !(q->vals = keep(q->a, calloc(q->r->n_params, sizeof *q->vals)))) {
                fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub is out of memory"));
                return -1;
            }
            q->vals[i] = kstr(q->a, canon);
        }
    }
    for (int k = 0; k < OPCMD_MAX_PARAMS && q->cmd->params[k].name; k++)
        if (q->cmd->params[k].required && !param(q, q->cmd->params[k].name)) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("%s needs %s%s (%s)"), q->cmd->name,
                 q->cmd->params[k].position ? "" : "--", q->cmd->params[k].name,
                 _(q->cmd->params[k].help));
            return -1;
        }
    return 0;
}

/* Every request is on the record, refused ones too; what cannot be
 * recorded is not handed out. */
static void
record(struct req *q)
{
    Lianxi__OpReply *rep = q->rep;

    if ((!store_in_transaction(q->c->store) && store_begin(q->c->store) < 0) ||
        audit_append(q->c->audit, clock_now(), q->op->user_id, q->action, q->object,
                     q->detail) < 0 ||
        (rep->ok && strcmp(q->action, "audit:checkpoint") == 0 &&
         audit_checkpoint(q->c->audit, q->c->sign_sk, clock_now()) < 0) ||
        store_commit(q->c->store) < 0) {
        store_rollback(q->c->store);
        rep->n_filings = rep->n_reviews = rep->n_entries = 0;
        rep->text = "";
        rep->count = 0;
        fail(q, LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE, _("the hub could not record this request "
             "in its audit trail, so it does not answer it; try again"));
    }
}

/* Whom a request is for: the operator whose key sent it, or, from a
 * console, the operator it names by browser certificate.  A console has no
 * rights of its own, and only a console acts for someone else.  Points q->op
 * at acting in the second case.  Returns 0, or -1 after failing the reply
 * (q->op stays the sender, whom the refusal is recorded for). */
static int
acting_for(struct req *q, struct key_entry *acting)
{
    const char *fp = q->r->on_behalf_of;
    const struct key_entry *who;

    if (q->op->kind != KEY_CONSOLE) {
        if (fp && *fp) {
            fail(q, LIANXI__OP_ERROR__OP_ERROR_PERMISSION, _("only the console acts on behalf of "
                 "an operator (on_behalf_of); an operator's key acts for itself"));
            return -1;
        }
        return 0;
    }
    if (!fp || !*fp) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_PERMISSION, _("the console %s has no rights of its "
             "own: it acts only on behalf of an operator (on_behalf_of)"), q->op->name);
        return -1;
    }
    if (!keys_browser_fp_valid(fp)) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_USAGE, _("on_behalf_of must be sha256: and 64 "
             "lowercase hex digits"));
        return -1;
    }
    if (!q->c->keys || !(who = keydir_by_browser(q->c->keys, fp))) {
        fail(q, LIANXI__OP_ERROR__OP_ERROR_PERMISSION, _("this browser certificate is not (or no "
             "longer) an operator's in the hub's key directory: it was revoked or never "
             "authorized"));
        snprintf(q->object, sizeof q->object, "%.*s", (int)sizeof q->object - 1, fp);
        return -1;
    }
    *acting = *who;
    /* The operator's id whole (it is at most 83 bytes), the console's cut
     * to what is left, never inside a character. */
    snprintf(acting->user_id, sizeof acting->user_id, "%s via %s", who->user_id,
             q->op->user_id);
    text_utf8_fix(acting->user_id);
    q->op = acting;
    return 0;
}

int
control_handle(struct control_ctx *c, const struct key_entry *op, const Lianxi__OpRequest *req,
               struct control_reply *out, struct control_job *job)
{
    struct req q = {
        .c = c, .op = op, .r = req, .rep = &out->rep, .a = (struct arena *)&out->arena,
        .job = job,
    };
    const char *name = req->command ? req->command : "";
    struct key_entry acting;
    handler_fn *fn;

    lianxi__op_reply__init(q.rep);
    q.rep->request_id = req->request_id;
    memset(job, 0, sizeof *job);
    snprintf(q.action, sizeof q.action, "read:%.40s", name);
    if (acting_for(&q, &acting) < 0) {
        snprintf(q.action, sizeof q.action, "refused:%.40s", name);
        snprintf(q.detail, sizeof q.detail, "%s", q.rep->error);
        record(&q);
        return CONTROL_ANSWERED;
    }
    q.own = strncmp(q.op->role, "member:", 7) == 0 ? q.op->role + 7 : NULL;
    if (!(q.cmd = opcmd_find(name))) {
        char err[768];
        opcmd_unknown_command(name, err, sizeof err);
        fail(&q, LIANXI__OP_ERROR__OP_ERROR_USAGE, "%s", err);
    } else if (check(&q) == 0) {
        fn = handler_of(q.cmd->name);
        assert(fn);     /* every command of the table has a handler */
        fn(&q);
        if (q.rep->ok && job->kind)
            return CONTROL_JOB;
    }
    /* A read of something that is not there stays a read; every other
     * failure is a refusal. */
    if (!q.rep->ok && strncmp(q.action, "refused:", 8) != 0 &&
        !(q.rep->error_kind == LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND && q.cmd &&
          (strcmp(q.cmd->name, "show") == 0 || strcmp(q.cmd->name, "meeting-show") == 0 ||
           strcmp(q.cmd->name, "attachment") == 0 ||
           strcmp(q.cmd->name, "review-request-show") == 0))) {
        snprintf(q.action, sizeof q.action, "refused:%.40s", name);
        snprintf(q.detail, sizeof q.detail, "%s", q.rep->error);
    }
    if (!q.recorded)
        record(&q);
    return CONTROL_ANSWERED;
}

int
control_self_check(void)
{
    for (size_t i = 0; i < opcmd_count; i++)
        if (!handler_of(opcmd_table[i].name)) {
            log_warnx("command %s of the table has no handler", opcmd_table[i].name);
            return -1;
        }
    return 0;
}
