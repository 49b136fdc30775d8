/* control.c — operators' commands against the hub's database: listings,
 * one filing, reviews and supplement requests, dossiers, exports, and the
 * audit trail; each checked against the operator's role and recorded. */
#include "control.h"
#include "board.h"
#include "categories.h"
#include "log.h"
#include "db.h"
#include "oblig.h"
#include "days.h"
#include "clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_LIMIT 1000

/* Strings and records of a reply, released together. */
struct arena {
    void **p;
    size_t n, cap;
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
kstr(struct arena *a, const unsigned char *s)
{
    return keep(a, strdup(s ? (const char *)s : ""));
}

/* A reply is the first member of struct control_reply, whose arena holds
 * everything the reply points to. */
static struct arena *
arena_of(Lianxi__OpReply *rep)
{
    return (struct arena *)&((struct control_reply *)rep)->arena;
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

static const char *
param(const Lianxi__OpRequest *req, const char *key)
{
    for (size_t i = 0; i < req->n_params; i++)
        if (req->params[i]->key && strcmp(req->params[i]->key, key) == 0)
            return req->params[i]->value && *req->params[i]->value ? req->params[i]->value : NULL;
    return NULL;
}

static const char *
member_unit(const char *role)
{
    return strncmp(role, "member:", 7) == 0 ? role + 7 : NULL;
}

const char *
control_member_unit(const char *role)
{
    return member_unit(role);
}

int
control_allowed(const char *role, const char *cmd)
{
    int reader = strcmp(role, "supervisor") == 0 || strcmp(role, "convener") == 0 ||
                 member_unit(role) != NULL;

    if (strcmp(cmd, "filings") == 0 || strcmp(cmd, "show") == 0 ||
        strcmp(cmd, "export") == 0 || strcmp(cmd, "overdue") == 0)
        return reader;
    if (strcmp(cmd, "dossier") == 0 || strcmp(cmd, "review") == 0 ||
        strcmp(cmd, "meeting-list") == 0 || strcmp(cmd, "meeting-show") == 0)
        return strcmp(role, "supervisor") == 0 || strcmp(role, "convener") == 0;
    if (strcmp(cmd, "meeting-create") == 0 || strcmp(cmd, "brief") == 0)
        return strcmp(role, "convener") == 0;
    if (strncmp(cmd, "audit-", 6) == 0)
        return strcmp(role, "auditor") == 0;
    return 0;
}

static void
fail(Lianxi__OpReply *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
fail(Lianxi__OpReply *rep, const char *fmt, ...)
{
    struct arena *a = arena_of(rep);
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rep->ok = 0;
    rep->error = kstr(a, (const unsigned char *)buf);
}

#define FILING_COLUMNS                                                                     \
    "f.receipt_no, f.unit, f.filing_id, f.revision, f.stage, f.category, f.name,"         \
    " f.id_number, f.work_unit, f.post, f.rank, f.learned_on, f.summary, f.scope,"        \
    " f.case_ref, f.received_at, f.due_on, f.on_time, f.late_days, f.answers,"            \
    " f.judged_at, (SELECT r.action FROM reviews r WHERE r.unit = f.unit AND"             \
    " r.filing_id = f.filing_id ORDER BY r.id DESC LIMIT 1)"

static Lianxi__FilingRecord *
filing_from_row(struct arena *a, sqlite3_stmt *st)
{
    Lianxi__FilingRecord *r = keep(a, malloc(sizeof *r));
    Lianxi__Cadre *c = keep(a, malloc(sizeof *c));

    if (!r || !c)
        return NULL;
    lianxi__filing_record__init(r);
    lianxi__cadre__init(c);
    r->receipt_no = kstr(a, sqlite3_column_text(st, 0));
    r->unit = kstr(a, sqlite3_column_text(st, 1));
    r->filing_id = kstr(a, sqlite3_column_text(st, 2));
    r->revision = (uint32_t)sqlite3_column_int(st, 3);
    r->stage = sqlite3_column_int(st, 4);
    r->category = kstr(a, sqlite3_column_text(st, 5));
    c->name = kstr(a, sqlite3_column_text(st, 6));
    c->id_number = kstr(a, sqlite3_column_text(st, 7));
    c->work_unit = kstr(a, sqlite3_column_text(st, 8));
    c->post = kstr(a, sqlite3_column_text(st, 9));
    c->rank = sqlite3_column_int(st, 10);
    r->cadre = c;
    r->learned_on = kstr(a, sqlite3_column_text(st, 11));
    r->summary = kstr(a, sqlite3_column_text(st, 12));
    r->scope = sqlite3_column_int(st, 13);
    r->case_ref = kstr(a, sqlite3_column_text(st, 14));
    r->received_at = sqlite3_column_int64(st, 15);
    r->due_on = kstr(a, sqlite3_column_text(st, 16));
    r->on_time = sqlite3_column_int(st, 17);
    r->late_days = (uint32_t)sqlite3_column_int(st, 18);
    r->answers = kstr(a, sqlite3_column_text(st, 19));
    r->judged_at = sqlite3_column_int64(st, 20);
    r->review_state = kstr(a, sqlite3_column_text(st, 21));
    return r;
}

/* Runs a prepared filings query into rep->filings (at most limit). */
static int
collect(struct arena *a, sqlite3_stmt *st, Lianxi__OpReply *rep, size_t limit)
{
    size_t cap = 0;

    while (rep->n_filings < limit && sqlite3_step(st) == SQLITE_ROW) {
        Lianxi__FilingRecord *r = filing_from_row(a, st);
        if (!r)
            return -1;
        if (push(a, (void ***)&rep->filings, &rep->n_filings, &cap, r) < 0)
            return -1;
    }
    return 0;
}

/* SQL for a filtered listing; the member's own unit when role is a member. */
static sqlite3_stmt *
listing(sqlite3 *db, const Lianxi__OpRequest *req, const char *own_unit, char *what,
        size_t what_len)
{
    const char *unit = own_unit ? own_unit : param(req, "unit");
    const char *cat = param(req, "category"), *since = param(req, "since");
    const char *until = param(req, "until"), *status = param(req, "status");
    const char *late = param(req, "late");
    lx_day d1 = 0, d2 = 0;
    sqlite3_stmt *st;

    if (since && days_parse(since, &d1) < 0)
        return NULL;
    if (until && days_parse(until, &d2) < 0)
        return NULL;
    if (sqlite3_prepare_v2(db, "SELECT " FILING_COLUMNS " FROM filings f WHERE"
                           " (?1 IS NULL OR f.unit = ?1) AND (?2 IS NULL OR f.category = ?2)"
                           " AND (?3 IS NULL OR f.received_at >= ?3)"
                           " AND (?4 IS NULL OR f.received_at < ?4)"
                           " AND (?5 IS NULL OR f.on_time = 0)"
                           " AND (?6 IS NULL OR coalesce((SELECT r.action FROM reviews r WHERE"
                           "  r.unit = f.unit AND r.filing_id = f.filing_id ORDER BY r.id DESC"
                           "  LIMIT 1), 'unreviewed') = ?6)"
                           " ORDER BY f.received_at, f.id", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    if (unit)
        sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
    if (cat)
        sqlite3_bind_text(st, 2, cat, -1, SQLITE_STATIC);
    if (since)
        sqlite3_bind_int64(st, 3, days_start(d1));
    if (until)
        sqlite3_bind_int64(st, 4, days_start(d2 + 1));
    if (late || (status && strcmp(status, "late") == 0))
        sqlite3_bind_int(st, 5, 1);
    if (status && strcmp(status, "late") != 0)
        sqlite3_bind_text(st, 6, status, -1, SQLITE_STATIC);
    snprintf(what, what_len, "unit=%s category=%s since=%s until=%s status=%s late=%s",
             unit ? unit : "*", cat ? cat : "*", since ? since : "-", until ? until : "-",
             status ? status : "-", late ? "yes" : "-");
    return st;
}

/* Finds the filing an operator names (receipt number or filing id), in
 * own_unit's filings only when given.  Fills unit and filing_id. */
static int
resolve(sqlite3 *db, const char *id, const char *own_unit, char *unit, size_t ulen,
        char *filing_id, size_t flen)
{
    sqlite3_stmt *st;
    int rc;

    /* A filing id names one unit's filing; one that two units used is
     * ambiguous and must be named by its receipt number. */
    if (sqlite3_prepare_v2(db, "SELECT unit, filing_id FROM filings WHERE (receipt_no = ?1 OR"
                           " filing_id = ?1) AND (?2 IS NULL OR unit = ?2)"
                           " AND (SELECT count(DISTINCT g.unit) FROM filings g WHERE"
                           "  g.filing_id = ?1 AND (?2 IS NULL OR g.unit = ?2)) <= 1"
                           " ORDER BY revision DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (own_unit)
        sqlite3_bind_text(st, 2, own_unit, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(unit, ulen, "%s", sqlite3_column_text(st, 0));
        snprintf(filing_id, flen, "%s", sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static void
reviews_of(struct arena *a, sqlite3 *db, const char *unit, const char *filing_id,
           Lianxi__OpReply *rep)
{
    sqlite3_stmt *st;
    size_t cap = 0;

    if (sqlite3_prepare_v2(db, "SELECT at, actor, action, text, obligation_id, receipt_no"
                           " FROM reviews WHERE unit = ?1 AND filing_id = ?2 ORDER BY id", -1,
                           &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, filing_id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        Lianxi__ReviewRecord *r = keep(a, malloc(sizeof *r));
        char code[OBLIG_CODE_LEN] = "";
        if (!r)
            break;
        lianxi__review_record__init(r);
        r->at = sqlite3_column_int64(st, 0);
        r->actor = kstr(a, sqlite3_column_text(st, 1));
        r->action = kstr(a, sqlite3_column_text(st, 2));
        r->text = kstr(a, sqlite3_column_text(st, 3));
        if (sqlite3_column_type(st, 4) != SQLITE_NULL)
            oblig_format(sqlite3_column_int64(st, 4), code);
        r->obligation = kstr(a, (const unsigned char *)code);
        r->receipt_no = kstr(a, sqlite3_column_text(st, 5));
        if (push(a, (void ***)&rep->reviews, &rep->n_reviews, &cap, r) < 0)
            break;
    }
    sqlite3_finalize(st);
}

static void
csv_field(char **buf, size_t *len, size_t *cap, const char *s, int last)
{
    size_t need = strlen(s) * 2 + 4;

    if (*len + need >= *cap) {
        size_t ncap = (*cap + need) * 2;
        char *nb = realloc(*buf, ncap);
        if (!nb)
            return;
        *buf = nb;
        *cap = ncap;
    }
    (*buf)[(*len)++] = '"';
    for (; *s; s++) {
        if (*s == '"')
            (*buf)[(*len)++] = '"';
        (*buf)[(*len)++] = *s;
    }
    (*buf)[(*len)++] = '"';
    (*buf)[(*len)++] = last ? '\n' : ',';
    (*buf)[*len] = '\0';
}


int
control_export(sqlite3 *db, const Lianxi__OpRequest *req, const char *own_unit, char **csv,
               size_t *len, uint64_t *count, char *what, size_t what_len)
{
    static const char *const head[] = {
        "receipt_no", "unit", "filing_id", "revision", "stage", "category", "name",
        "id_number", "work_unit", "post", "rank", "learned_on", "received_at", "due_on",
        "on_time", "late_days", "scope", "case_ref", "summary", "review",
    };
    const size_t n = sizeof head / sizeof head[0];
    sqlite3_stmt *st;
    char *buf = NULL;
    size_t blen = 0, cap = 0;

    *count = 0;
    if (db_in_transaction_ro(db) < 0 || !(st = listing(db, req, own_unit, what, what_len))) {
        db_end_ro(db);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        csv_field(&buf, &blen, &cap, head[i], i == n - 1);
    /* Rows straight from the database: a large export is never held twice. */
    while (sqlite3_step(st) == SQLITE_ROW) {
        char num[4][32], when[20];
        int stage = sqlite3_column_int(st, 4);
        snprintf(num[0], sizeof num[0], "%d", sqlite3_column_int(st, 3));
        snprintf(num[1], sizeof num[1], "%d", sqlite3_column_int(st, 10));
        snprintf(num[2], sizeof num[2], "%d", sqlite3_column_int(st, 18));
        snprintf(num[3], sizeof num[3], "%d", sqlite3_column_int(st, 13));
        days_time_format(sqlite3_column_int64(st, 15), when);
        const char *v[] = {
            (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
            (const char *)sqlite3_column_text(st, 2), num[0],
            stage == LIANXI__STAGE__STAGE_NOTICE ? "notice" :
            stage == LIANXI__STAGE__STAGE_REPORT ? "report" : "supplement",
            (const char *)sqlite3_column_text(st, 5), (const char *)sqlite3_column_text(st, 6),
            (const char *)sqlite3_column_text(st, 7), (const char *)sqlite3_column_text(st, 8),
            (const char *)sqlite3_column_text(st, 9), num[1],
            (const char *)sqlite3_column_text(st, 11), when,
            (const char *)sqlite3_column_text(st, 16), sqlite3_column_int(st, 17) ? "1" : "0",
            num[2], num[3], (const char *)sqlite3_column_text(st, 14),
            (const char *)sqlite3_column_text(st, 12),
            sqlite3_column_type(st, 21) == SQLITE_NULL ? "" :
            (const char *)sqlite3_column_text(st, 21),
        };
        for (size_t i = 0; i < n; i++)
            csv_field(&buf, &blen, &cap, v[i] ? v[i] : "", i == n - 1);
        (*count)++;
    }
    sqlite3_finalize(st);
    db_end_ro(db);
    if (!buf)
        return -1;
    *csv = buf;
    *len = blen;
    return 0;
}

static void
do_review(struct control_ctx *c, struct arena *a, const struct key_entry *op,
          const Lianxi__OpRequest *req, Lianxi__OpReply *rep, char *object, size_t olen,
          char *detail, size_t dlen)
{
    sqlite3 *db = store_db(c->store);
    const char *id = param(req, "id"), *action = param(req, "action"), *text = param(req, "text");
    const char *due = param(req, "due");
    char unit[64], filing_id[128], receipt[24] = "";
    int64_t now = clock_now(), ob = -1;
    sqlite3_stmt *st;
    int days = due ? atoi(due) : 5;

    snprintf(object, olen, "%s", id ? id : "");
    if (!id || !action || (strcmp(action, "accept") != 0 && strcmp(action, "note") != 0 &&
                           strcmp(action, "supplement") != 0)) {
        fail(rep, "review needs a filing and one of accept, note, supplement");
        return;
    }
    if (strcmp(action, "accept") != 0 && !text) {
        fail(rep, "a %s needs --text saying what is asked or noted", action);
        return;
    }
    if (days < 1 || days > 60) {
        fail(rep, "--due must be 1 to 60 working days");
        return;
    }
    if (resolve(db, id, NULL, unit, sizeof unit, filing_id, sizeof filing_id) < 0) {
        fail(rep, "no filing %s", id);
        return;
    }
    if (store_begin(c->store) < 0) {
        fail(rep, "the hub's database is busy; try again");
        return;
    }
    if (strcmp(action, "supplement") == 0 &&
        (ob = oblig_request_supplement(db, c->cal, unit, filing_id, text, days, now)) < 0)
        goto err;
    if (sqlite3_prepare_v2(db, "INSERT INTO reviews(at, actor, receipt_no, unit, filing_id,"
                           " action, text, obligation_id) VALUES (?1, ?2, (SELECT receipt_no FROM"
                           " filings WHERE unit = ?3 AND filing_id = ?4 ORDER BY revision DESC"
                           " LIMIT 1), ?3, ?4, ?5, ?6, ?7) RETURNING receipt_no", -1, &st,
                           NULL) != SQLITE_OK)
        goto err;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_text(st, 2, op->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, strcmp(action, "accept") == 0 ? "accepted" :
                             strcmp(action, "note") == 0 ? "noted" : "supplement", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 6, text ? text : "", -1, SQLITE_STATIC);
    if (ob > 0)
        sqlite3_bind_int64(st, 7, ob);
    if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL) {
        sqlite3_finalize(st);
        goto err;
    }
    snprintf(receipt, sizeof receipt, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    snprintf(object, olen, "%s", receipt);
    if (ob > 0)
        snprintf(detail, dlen, "%s %s: OB-%lld due in %d working days: %s", unit, filing_id,
                 (long long)ob, days, text);
    else
        snprintf(detail, dlen, "%s %s%s%s", unit, filing_id, text ? ": " : "", text ? text : "");
    if (audit_append(c->audit, now, op->user_id, strcmp(action, "accept") == 0 ? "review:accept" :
                     strcmp(action, "note") == 0 ? "review:note" : "review:supplement",
                     object, detail) < 0 || store_commit(c->store) < 0)
        goto err;
    detail[0] = '\0';   /* recorded above, with the commit */
    reviews_of(a, db, unit, filing_id, rep);
    if (ob > 0) {
        char code[OBLIG_CODE_LEN];
        oblig_format(ob, code);
        rep->text = kstr(a, (const unsigned char *)code);
    }
    rep->ok = 1;
    return;
err:
    store_rollback(c->store);
    audit_reload(c->audit);
    fail(rep, "the review could not be stored");
}

void
control_handle(struct control_ctx *c, const struct key_entry *op, const Lianxi__OpRequest *req,
               struct control_reply *out)
{
    Lianxi__OpReply *rep = &out->rep;
    struct arena *a = arena_of(rep);
    sqlite3 *db = store_db(c->store);
    const char *cmd = req->command ? req->command : "";
    const char *own = member_unit(op->role);
    char object[256] = "", detail[1024] = "", action[64];
    sqlite3_stmt *st = NULL;

    lianxi__op_reply__init(rep);
    rep->request_id = req->request_id;
    snprintf(action, sizeof action, "read:%s", cmd);
    if (!control_allowed(op->role, cmd)) {
        const char *known[] = { "filings", "show", "review", "dossier", "export", "audit-log",
                                "audit-verify", "audit-checkpoint", "meeting-create",
                                "meeting-list", "meeting-show", "brief", "overdue" };
        int k = 0;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            k |= strcmp(known[i], cmd) == 0;
        if (k)
            fail(rep, "operator %s (role %s) may not use '%s'", op->name, op->role, cmd);
        else
            fail(rep, "unknown command '%s'", cmd);
        snprintf(action, sizeof action, "refused:%s", cmd);
        snprintf(detail, sizeof detail, "%s", rep->error);
        goto record;
    }

    if (strcmp(cmd, "filings") == 0) {
        const char *lim = param(req, "limit");
        size_t limit = lim ? (size_t)atol(lim) : LIST_LIMIT;
        if (!(st = listing(db, req, own, object, sizeof object))) {
            fail(rep, "--since and --until take YYYY-MM-DD dates");
            goto record;
        }
        collect(a, st, rep, limit);
        rep->count = rep->n_filings;
        snprintf(detail, sizeof detail, "%llu filings", (unsigned long long)rep->count);
        rep->ok = 1;
    } else if (strcmp(cmd, "export") == 0) {
        /* Exports run off the hub's loop (see hub.c); here only when asked directly. */
        char *csv = NULL;
        size_t len;
        snprintf(action, sizeof action, "export");
        if (control_export(db, req, own, &csv, &len, &rep->count, object, sizeof object) < 0) {
            fail(rep, "--since and --until take YYYY-MM-DD dates");
            goto record;
        }
        rep->text = keep(a, csv);
        snprintf(detail, sizeof detail, "%llu filings", (unsigned long long)rep->count);
        rep->ok = 1;
    } else if (strcmp(cmd, "show") == 0) {
        const char *id = param(req, "id");
        char unit[64], filing_id[128];
        snprintf(object, sizeof object, "%s", id ? id : "");
        if (!id || resolve(db, id, own, unit, sizeof unit, filing_id, sizeof filing_id) < 0) {
            /* The same answer whether it does not exist or is another unit's. */
            fail(rep, "no filing %s%s%s", id ? id : "(none named)", own ? " of unit " : "",
                 own ? own : "");
            snprintf(detail, sizeof detail, "not found");
            goto record;
        }
        if (sqlite3_prepare_v2(db, "SELECT " FILING_COLUMNS " FROM filings f WHERE f.unit = ?1"
                               " AND f.filing_id = ?2 ORDER BY f.revision", -1, &st,
                               NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, filing_id, -1, SQLITE_STATIC);
            collect(a, st, rep, LIST_LIMIT);
        }
        reviews_of(a, db, unit, filing_id, rep);
        snprintf(detail, sizeof detail, "%s %s, %zu revisions", unit, filing_id,
                 rep->n_filings);
        rep->ok = 1;
    } else if (strcmp(cmd, "dossier") == 0) {
        const char *idno = param(req, "id_number"), *name = param(req, "name");
        if (idno) {
            snprintf(object, sizeof object, "%s", idno);
            if (sqlite3_prepare_v2(db, "SELECT " FILING_COLUMNS " FROM filings f WHERE"
                                   " f.id_number = ?1 ORDER BY f.learned_on, f.received_at", -1,
                                   &st, NULL) == SQLITE_OK) {
                sqlite3_bind_text(st, 1, idno, -1, SQLITE_STATIC);
                collect(a, st, rep, LIST_LIMIT);
            }
            snprintf(detail, sizeof detail, "%zu filings", rep->n_filings);
        } else if (name) {
            /* Candidates: one record per person, unit = the units that filed,
             * revision = how many filings. */
            snprintf(object, sizeof object, "name:%s", name);
            if (sqlite3_prepare_v2(db, "SELECT '', group_concat(DISTINCT f.unit), '',"
                                   " count(*), 0, '', f.name, f.id_number, max(f.work_unit),"
                                   " max(f.post), max(f.rank), min(f.learned_on), '', 0, '',"
                                   " max(f.received_at), '', 0, 0, '', 0, '' FROM filings f"
                                   " WHERE f.name LIKE '%' || ?1 || '%' GROUP BY f.id_number,"
                                   " f.name ORDER BY count(*) DESC, f.name", -1, &st,
                                   NULL) == SQLITE_OK) {
                sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
                collect(a, st, rep, LIST_LIMIT);
            }
            snprintf(detail, sizeof detail, "%zu candidates", rep->n_filings);
        } else {
            fail(rep, "dossier needs an ID number or --name");
            goto record;
        }
        rep->count = rep->n_filings;
        rep->ok = 1;
    } else if (strcmp(cmd, "review") == 0) {
        do_review(c, a, op, req, rep, object, sizeof object, detail, sizeof detail);
        if (rep->ok)
            return;     /* recorded in its own transaction */
        snprintf(action, sizeof action, "refused:review");
    } else if (strcmp(cmd, "audit-log") == 0) {
        const char *since = param(req, "since"), *lim = param(req, "limit");
        lx_day d = 0;
        size_t cap = 0;
        if (since && days_parse(since, &d) < 0) {
            fail(rep, "--since takes a YYYY-MM-DD date");
            goto record;
        }
        if (sqlite3_prepare_v2(db, "SELECT seq, at, actor, action, object, detail, hash FROM"
                               " (SELECT * FROM audit_log WHERE at >= ?1 ORDER BY seq DESC"
                               " LIMIT ?2) ORDER BY seq", -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, since ? days_start(d) : 0);
            sqlite3_bind_int64(st, 2, lim ? atol(lim) : 200);
            while (sqlite3_step(st) == SQLITE_ROW) {
                Lianxi__AuditEntry *e = keep(a, malloc(sizeof *e));
                if (!e)
                    break;
                lianxi__audit_entry__init(e);
                e->seq = (uint64_t)sqlite3_column_int64(st, 0);
                e->at = sqlite3_column_int64(st, 1);
                e->actor = kstr(a, sqlite3_column_text(st, 2));
                e->action = kstr(a, sqlite3_column_text(st, 3));
                e->object = kstr(a, sqlite3_column_text(st, 4));
                e->detail = kstr(a, sqlite3_column_text(st, 5));
                e->hash.len = (size_t)sqlite3_column_bytes(st, 6);
                e->hash.data = keep(a, malloc(e->hash.len ? e->hash.len : 1));
                if (e->hash.data)
                    memcpy(e->hash.data, sqlite3_column_blob(st, 6), e->hash.len);
                if (push(a, (void ***)&rep->entries, &rep->n_entries, &cap, e) < 0)
                    break;
            }
        }
        rep->count = rep->n_entries;
        snprintf(action, sizeof action, "audit:log");
        snprintf(detail, sizeof detail, "%zu entries", rep->n_entries);
        rep->ok = 1;
    } else if (strcmp(cmd, "audit-verify") == 0) {
        struct audit_verdict v;
        snprintf(action, sizeof action, "audit:verify");
        if (audit_verify(db, c->sign_pk, &v) < 0) {
            fail(rep, "the audit trail cannot be read");
            goto record;
        }
        rep->ok = 1;
        rep->count = v.count;
        rep->first_bad = v.first_bad;
        rep->text = kstr(a, (const unsigned char *)v.why);
        snprintf(detail, sizeof detail, "%s", v.why);
    } else if (strcmp(cmd, "overdue") == 0) {
        const char *unit = own ? own : param(req, "unit"), *since = param(req, "since");
        const char *until = param(req, "until"), *lim = param(req, "limit");
        lx_day today = days_shanghai(clock_now()), d0, d1 = today;
        int y, m, dd;
        char *text = NULL;
        size_t tlen = 0;
        FILE *f;
        days_to_civil(today, &y, &m, &dd);
        d0 = days_from_civil(y, 1, 1);
        if ((since && days_parse(since, &d0) < 0) ||
            (until && days_parse(until, &d1) < 0) || d1 < d0) {
            fail(rep, "--since and --until take YYYY-MM-DD, since <= until");
            goto record;
        }
        if (unit && !units_find(unit)) {
            fail(rep, "unknown unit '%s'", unit);
            goto record;
        }
        if (!(f = open_memstream(&text, &tlen))) {
            fail(rep, "the hub is out of memory");
            goto record;
        }
        int brc = board_write(db, c->cal, unit, d0, d1, lim ? atoi(lim) : 50,
                              param(req, "json") != NULL, f);
        fclose(f);
        rep->text = keep(a, text);
        if (brc != 0) {
            fail(rep, "the board could not be read from the database; try again");
            goto record;
        }
        snprintf(object, sizeof object, "unit=%s", unit ? unit : "*");
        rep->ok = 1;
    } else if (strcmp(cmd, "meeting-create") == 0) {
        const char *date = param(req, "date"), *kind = param(req, "kind");
        const char *from = param(req, "from"), *to = param(req, "to");
        const char *title = param(req, "title");
        char tbuf[256];
        lx_day d, f, t;
        snprintf(action, sizeof action, "meeting:create");
        if (!date || days_parse(date, &d) < 0 || !from || days_parse(from, &f) < 0 ||
            !to || days_parse(to, &t) < 0 || t < f) {
            fail(rep, "a meeting needs --date D and --period FROM..TO (YYYY-MM-DD, FROM <= TO)");
            goto record;
        }
        if (!kind || (strcmp(kind, "annual") != 0 && strcmp(kind, "adhoc") != 0)) {
            fail(rep, "--kind must be annual or adhoc");
            goto record;
        }
        if (title && strlen(title) > 200) {
            fail(rep, "the meeting's title is over 200 bytes: shorten it");
            goto record;
        }
        /* The meeting and its audit entry go in one transaction. */
        if (store_begin(c->store) < 0) {
            fail(rep, "the hub's database is busy; try again");
            goto record;
        }
        if (!title) {
            int y, m, dd;
            days_to_civil(d, &y, &m, &dd);
            snprintf(tbuf, sizeof tbuf, "%d年%s县干部监督联席会议", y,
                     strcmp(kind, "annual") == 0 ? "度" : "专题");
            title = tbuf;
        }
        if (sqlite3_prepare_v2(db, "INSERT INTO meetings(date, kind, period_from, period_to,"
                               " title, created_by, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7)"
                               " RETURNING id", -1, &st, NULL) != SQLITE_OK) {
            fail(rep, "the meeting could not be stored");
            goto record;
        }
        sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, to, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, title, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, op->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, clock_now());
        if (sqlite3_step(st) == SQLITE_ROW)
            rep->count = (uint64_t)sqlite3_column_int64(st, 0);
        snprintf(object, sizeof object, "meeting %llu", (unsigned long long)rep->count);
        snprintf(detail, sizeof detail, "%s %s %s..%s %s", date, kind, from, to, title);
        rep->ok = rep->count > 0;
        if (!rep->ok)
            fail(rep, "the meeting could not be stored");
    } else if (strcmp(cmd, "meeting-list") == 0 || strcmp(cmd, "meeting-show") == 0) {
        const char *id = param(req, "id");
        char *text = NULL;
        size_t tlen = 0;
        FILE *mf;
        snprintf(action, sizeof action, "read:%s", cmd);
        if (sqlite3_prepare_v2(db, "SELECT id, date, kind, period_from, period_to, title,"
                               " created_by FROM meetings WHERE (?1 IS NULL OR id = ?1)"
                               " ORDER BY date, id", -1, &st, NULL) != SQLITE_OK ||
            !(mf = open_memstream(&text, &tlen))) {
            fail(rep, "the meetings cannot be read");
            goto record;
        }
        if (id)
            sqlite3_bind_int64(st, 1, atoll(id));
        while (sqlite3_step(st) == SQLITE_ROW) {
            fprintf(mf, "%lld\t%s\t%s\t%s\t%s\t%s\t%s\n",
                    (long long)sqlite3_column_int64(st, 0), sqlite3_column_text(st, 1),
                    sqlite3_column_text(st, 2), sqlite3_column_text(st, 3),
                    sqlite3_column_text(st, 4), sqlite3_column_text(st, 5),
                    sqlite3_column_text(st, 6));
            rep->count++;
        }
        fclose(mf);
        if (id && rep->count == 0) {
            free(text);
            fail(rep, "no meeting %s", id);
            goto record;
        }
        struct { char *p; } buf = { text };
        rep->text = buf.p ? keep(a, buf.p) : "";
        snprintf(object, sizeof object, "%s", id ? id : "all");
        rep->ok = 1;
    } else if (strcmp(cmd, "audit-checkpoint") == 0) {
        snprintf(action, sizeof action, "audit:checkpoint");
        rep->ok = 1;
    }
record:
    sqlite3_finalize(st);
    /* Every request is on the record, refused ones too; what cannot be
     * recorded is not handed out. */
    if ((sqlite3_get_autocommit(db) && store_begin(c->store) < 0) ||
        audit_append(c->audit, clock_now(), op->user_id, action, object, detail) < 0 ||
        (strcmp(action, "audit:checkpoint") == 0 &&
         audit_checkpoint(c->audit, c->sign_sk, clock_now()) < 0) ||
        store_commit(c->store) < 0) {
        store_rollback(c->store);
        audit_reload(c->audit);
        rep->n_filings = rep->n_reviews = rep->n_entries = 0;
        rep->text = "";
        rep->count = 0;
        fail(rep, "the hub could not record this request in its audit trail, so it does not "
             "answer it; try again");
    }
}

static long
annual_meetings(sqlite3 *db, int year, const char *until)
{
    sqlite3_stmt *st;
    char from[16], to[16];
    long n = 0;

    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM meetings WHERE kind = 'annual' AND"
                           " date >= ?1 AND date <= ?2 AND (?3 IS NULL OR date <= ?3)", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
    if (until)
        sqlite3_bind_text(st, 3, until, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int
control_meeting_warnings(sqlite3 *db, lx_day today, void (*fn)(void *, const char *), void *arg)
{
    int y, m, d, n = 0;
    char msg[256];

    days_to_civil(today, &y, &m, &d);
    if (m >= 11 && annual_meetings(db, y, NULL) == 0) {
        snprintf(msg, sizeof msg, "no annual joint meeting is scheduled for %d: the convener "
                 "must hold one this year (lianxi meeting create --kind annual)", y);
        fn(arg, msg);
        n++;
    }
    if (annual_meetings(db, y - 1, NULL) == 0) {
        snprintf(msg, sizeof msg, "%d ended with no annual joint meeting held", y - 1);
        fn(arg, msg);
        n++;
    }
    return n;
}
