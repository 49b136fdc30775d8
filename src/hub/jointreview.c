/* jointreview.c — joint reviews before appointment (任前联审) in the hub's
 * database: requests, candidates, units asked, opinions and answers. */
#include "jointreview.h"
#include "attach.h"
#include "attachment.h"
#include "days.h"
#include "i18n.h"
#include "idnum.h"
#include "judge.h"
#include "log.h"
#include "oblig.h"
#include "text.h"
#include "validate.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
dberr(store_t *db, const char *what)
{
    log_warnx("database: %s: %s", what, store_errmsg(db));
    return -1;
}

static const char *
col(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

/* An ID number as stored: its check character X in upper case (the
 * ID-number check takes either). */
static const char *
id_upper(const char *in, char out[LIM_ID_NUMBER + 1])
{
    snprintf(out, LIM_ID_NUMBER + 1, "%s", in ? in : "");
    for (char *p = out; *p; p++)
        if (*p == 'x')
            *p = 'X';
    return out;
}

void
jointreview_format(int64_t id, char out[JR_CODE_LEN])
{
    snprintf(out, JR_CODE_LEN, "REQ-%lld", (long long)id);
}

int64_t
jointreview_parse(const char *s)
{
    char *end;
    long long v;

    if (!s || strncmp(s, "REQ-", 4) != 0 || s[4] < '1' || s[4] > '9')
        return -1;
    v = strtoll(s + 4, &end, 10);
    return *end || v <= 0 ? -1 : v;
}

/* A one-line field within max bytes, valid UTF-8 without control
 * characters; required when req. */
static int
field_ok(const char *s, size_t max, int req)
{
    size_t n = s ? strlen(s) : 0;
    uint32_t cp;

    if (n == 0)
        return !req;
    return n <= max && text_utf8_valid(s, n) && text_find_control(s, n, 0, &cp) < 0;
}

int
jointreview_check_candidate(const struct jr_candidate *c, char *err, size_t errlen)
{
    const char *why = NULL;
    char name[80];

    snprintf(name, sizeof name, "%.64s", c->name ? c->name : "");
    text_utf8_fix(name);
    if (!field_ok(c->name, LIM_NAME, 1)) {
        snprintf(err, errlen, _("a candidate's name is missing, too long or not one line of "
                 "text"));
        return -1;
    }
    if (!c->id_number || idnum_check(c->id_number, &why) < 0) {
        snprintf(err, errlen, _("the ID number of candidate %s is invalid: %s"), name,
                 why ? why : _("it is missing"));
        return -1;
    }
    if (!field_ok(c->work_unit, LIM_WORK_UNIT, 1) || !field_ok(c->post, LIM_POST, 0) ||
        !field_ok(c->proposed_post, LIM_POST, 1)) {
        snprintf(err, errlen, _("candidate %s: the work unit and the proposed post are needed, "
                 "each (and the current post) one line of at most %d bytes"), name, LIM_POST);
        return -1;
    }
    return 0;
}

/* The request as the unit's clerk reads it (HubMessage.text). */
static char *
request_text(const char *code, const char *title, const struct jr_candidate *c, size_t nc,
             const char *due_s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    if (!f)
        return NULL;
    fprintf(f, "任前联审征求意见：县委组织部干部监督组就《%s》（%s）征求贵单位意见。"
            "请对下列 %zu 名人员逐人回复：无（无相关记录）、有（写明掌握的情况）或核查中"
            "（写明预计答复日期），于 %s 前报送。\n", title, code, nc, due_s);
    for (size_t i = 0; i < nc; i++)
        fprintf(f, "%zu. %s  %s  %s%s%s  拟任 %s\n", i + 1, c[i].name, c[i].id_number,
                c[i].work_unit, c[i].post && *c[i].post ? " " : "", c[i].post ? c[i].post : "",
                c[i].proposed_post);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

int64_t
jointreview_create(store_t *db, const calendar_t *cal, const char *title, int scope,
                   const struct jr_candidate *c, size_t nc, const char *const *units,
                   size_t nunits, int days, const char *actor, int64_t now)
{
    char due_s[LX_DATE_LEN], code[JR_CODE_LEN], *text = NULL;
    sqlite3_stmt *st;
    int64_t id;
    lx_day due;
    int prov, rc;

    prov = calendar_due(cal, days_shanghai(now), days, &due);
    days_format(due, due_s);
    if (!(st = store_stmt(db, "INSERT INTO joint_reviews(title, scope, created_by, created_at,"
                              " due_on, provisional) VALUES (?1,?2,?3,?4,?5,?6)")))
        return dberr(db, "joint_reviews");
    sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, scope);
    sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_text(st, 5, due_s, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, prov);
    rc = sqlite3_step(st);
    store_done(st);
    if (rc != SQLITE_DONE)
        return dberr(db, "storing a joint review");
    id = store_last_rowid(db);
    jointreview_format(id, code);
    for (size_t i = 0; i < nc; i++) {
        if (!(st = store_stmt(db, "INSERT INTO joint_review_candidates(review_id, seq, name,"
                                  " id_number, work_unit, post, proposed_post)"
                                  " VALUES (?1,?2,?3,?4,?5,?6,?7)")))
            return dberr(db, "joint_review_candidates");
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        sqlite3_bind_text(st, 3, c[i].name, -1, SQLITE_STATIC);
        char idn[LIM_ID_NUMBER + 1];
        sqlite3_bind_text(st, 4, id_upper(c[i].id_number, idn), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, c[i].work_unit, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, c[i].post ? c[i].post : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, c[i].proposed_post, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        store_done(st);
        if (rc != SQLITE_DONE) {
            log_warnx("joint review: candidate %s listed twice, or %s", c[i].id_number,
                      store_errmsg(db));
            return -1;
        }
    }
    if (!(text = request_text(code, title, c, nc, due_s)))
        return -1;
    for (size_t u = 0; u < nunits; u++) {
        int64_t ob = oblig_open_review(db, units[u], code, due_s, prov, text, now);
        if (ob < 0 || !(st = store_stmt(db, "INSERT INTO joint_review_units(review_id, unit,"
                                            " obligation_id) VALUES (?1,?2,?3)"))) {
            free(text);
            return dberr(db, "joint_review_units");
        }
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, units[u], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, ob);
        rc = sqlite3_step(st);
        store_done(st);
        if (rc != SQLITE_DONE) {
            free(text);
            return dberr(db, "joint_review_units");
        }
    }
    free(text);
    return id;
}

static char *
dup(const char *s)
{
    return strdup(s ? s : "");
}

void
jointreview_candidates_free(Lianxi__ReviewCandidate **c, int n)
{
    for (int i = 0; c && i < n; i++) {
        if (!c[i])
            continue;
        free(c[i]->name);
        free(c[i]->id_number);
        free(c[i]->work_unit);
        free(c[i]->post);
        free(c[i]->proposed_post);
        free(c[i]);
    }
    free(c);
}

int
jointreview_candidates(store_t *db, int64_t id, Lianxi__ReviewCandidate ***out)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT name, id_number, work_unit, post, proposed_post"
                                      " FROM joint_review_candidates WHERE review_id = ?1"
                                      " ORDER BY seq");
    Lianxi__ReviewCandidate **v = NULL, *c;
    int n = 0, rc;

    *out = NULL;
    if (!st)
        return dberr(db, "joint_review_candidates");
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        Lianxi__ReviewCandidate **nv = realloc(v, (size_t)(n + 1) * sizeof *v);
        if (!nv)
            goto oom;
        v = nv;                 /* realloc moved it: never free the old one twice */
        if (!(c = malloc(sizeof *c)))
            goto oom;
        lianxi__review_candidate__init(c);
        v[n++] = c;
        c->name = dup(col(st, 0));
        c->id_number = dup(col(st, 1));
        c->work_unit = dup(col(st, 2));
        c->post = dup(col(st, 3));
        c->proposed_post = dup(col(st, 4));
        if (!c->name || !c->id_number || !c->work_unit || !c->post || !c->proposed_post)
            goto oom;
    }
    store_done(st);
    if (rc != SQLITE_DONE) {
        jointreview_candidates_free(v, n);
        return dberr(db, "joint_review_candidates");
    }
    *out = v;
    return n;
oom:
    store_done(st);
    jointreview_candidates_free(v, n);
    log_warn("joint review candidates");
    return -1;
}

int
jointreview_title(store_t *db, int64_t id, char *title, size_t len, int *scope)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT title, scope FROM joint_reviews WHERE id = ?1");
    int rc;

    if (!st)
        return dberr(db, "joint_reviews");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(title, len, "%s", col(st, 0));
        *scope = sqlite3_column_int(st, 1);
    }
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "joint_reviews");
}

/* The review's due date into due_s: 1, 0 when no such review, -1. */
static int
review_due(store_t *db, int64_t id, char due_s[LX_DATE_LEN])
{
    sqlite3_stmt *st = store_stmt(db, "SELECT due_on FROM joint_reviews WHERE id = ?1");
    int rc;

    if (!st)
        return dberr(db, "joint_reviews");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(due_s, LX_DATE_LEN, "%s", col(st, 0));
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "joint_reviews");
}

/* 1 when id_number is a candidate of review id, 0 when not, -1. */
static int
is_candidate(store_t *db, int64_t id, const char *id_number)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT 1 FROM joint_review_candidates WHERE"
                                      " review_id = ?1 AND id_number = ?2");
    int rc;

    if (!st)
        return dberr(db, "joint_review_candidates");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, id_number, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "joint_review_candidates");
}

/* 1 when unit answered id_number in review id before (an earlier
 * revision), 0 when not, -1. */
static int
answered_before(store_t *db, int64_t id, const char *unit, const char *id_number)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT 1 FROM opinions o JOIN opinion_answers a ON"
                                      " a.opinion = o.id WHERE o.review_id = ?1 AND o.unit = ?2"
                                      " AND a.id_number = ?3 LIMIT 1");
    int rc;

    if (!st)
        return dberr(db, "opinions");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, id_number, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "opinions");
}

/* The stored opinion (unit, opinion_id, revision): 1 with its hash and
 * receipt into out, 0 when none, -1. */
static int
stored_opinion(store_t *db, const char *unit, const Lianxi__Opinion *o, uint8_t hash[32],
               struct receipt_info *out, const char *due_s)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT content_hash, receipt_no, received_at, on_time,"
                                      " late_days FROM opinions WHERE unit = ?1 AND"
                                      " opinion_id = ?2 AND revision = ?3");
    int rc;

    if (!st)
        return dberr(db, "opinions");
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, o->opinion_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, o->revision);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(st, 0);
        memset(hash, 0, CANON_HASHLEN);
        if (h && sqlite3_column_bytes(st, 0) == CANON_HASHLEN)
            memcpy(hash, h, CANON_HASHLEN);
        memset(out, 0, sizeof *out);
        snprintf(out->receipt_no, sizeof out->receipt_no, "%s", col(st, 1));
        out->received_at = out->judged_at = sqlite3_column_int64(st, 2);
        out->on_time = sqlite3_column_int(st, 3);
        out->late_days = sqlite3_column_int(st, 4);
        snprintf(out->due_on, sizeof out->due_on, "%s", due_s);
    }
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "opinions");
}

/* 1 when every candidate of review id has an answer from unit, 0 when
 * not, -1. */
static int
all_answered(store_t *db, int64_t id, const char *unit)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT count(*) FROM joint_review_candidates c WHERE"
                                      " c.review_id = ?1 AND NOT EXISTS (SELECT 1 FROM opinions o"
                                      " JOIN opinion_answers a ON a.opinion = o.id WHERE"
                                      " o.review_id = ?1 AND o.unit = ?2 AND"
                                      " a.id_number = c.id_number)");
    int rc, missing = -1;

    if (!st)
        return dberr(db, "opinions");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        missing = sqlite3_column_int(st, 0);
    store_done(st);
    return rc == SQLITE_ROW ? missing == 0 : dberr(db, "opinions");
}

int
jointreview_opinion_row(store_t *db, const char *receipt, const char *own_unit, char unit[64],
                        char opinion_id[128], int64_t *row)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT unit, opinion_id, id FROM opinions WHERE"
                                      " receipt_no = ?1 AND (?2 IS NULL OR unit = ?2)");
    int rc;

    if (!st)
        return dberr(db, "opinions");
    sqlite3_bind_text(st, 1, receipt, -1, SQLITE_TRANSIENT);
    if (own_unit)
        sqlite3_bind_text(st, 2, own_unit, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 2);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(unit, 64, "%s", col(st, 0));
        snprintf(opinion_id, 128, "%s", col(st, 1));
        *row = sqlite3_column_int64(st, 2);
    }
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "opinions");
}

int
jointreview_opinion_held(store_t *db, const char *unit, const Lianxi__Opinion *o,
                         const uint8_t hash[CANON_HASHLEN])
{
    struct receipt_info info;
    uint8_t old[CANON_HASHLEN];
    int rc = stored_opinion(db, unit, o, old, &info, "");

    if (rc <= 0)
        return rc < 0 ? -1 : STORE_NEW;
    return memcmp(old, hash, CANON_HASHLEN) == 0 ? STORE_DUPLICATE : STORE_CONFLICT;
}

/* What refuses unit's opinion o whatever else holds: its review unknown,
 * not sent to unit, or an item about someone not asked.  Returns 0 (id,
 * its due date, code, the unit's obligation and whether it is open
 * filled), JR_REFUSED with r set, or -1. */
static int
opinion_check(store_t *db, const char *unit, const Lianxi__Opinion *o, struct reason *r,
              int64_t *id, char due_s[LX_DATE_LEN], char code[JR_CODE_LEN], int64_t *ob,
              int *open)
{
    int rc;

    *id = jointreview_parse(o->review_id);
    if (*id < 0 || (rc = review_due(db, *id, due_s)) == 0) {
        char v[40];
        snprintf(v, sizeof v, "%.32s", o->review_id ? o->review_id : "");
        reasons_set(r, "review.unknown", 1, text_utf8_fix(v));
        return JR_REFUSED;
    }
    if (rc < 0)
        return -1;
    jointreview_format(*id, code);
    if ((*ob = oblig_review_of(db, unit, code, open)) < 0)
        return -1;
    if (*ob == 0) {
        reasons_set(r, "review.not_asked", 2, code, unit);
        return JR_REFUSED;
    }
    for (size_t i = 0; i < o->n_items; i++) {
        char idn[LIM_ID_NUMBER + 1];
        if ((rc = is_candidate(db, *id, id_upper(o->items[i]->id_number, idn))) < 0)
            return -1;
        if (rc == 0) {
            reasons_set(r, "review.candidate_not_asked", 2, o->items[i]->id_number, code);
            return JR_REFUSED;
        }
    }
    return 0;
}

int
jointreview_opinion_check(store_t *db, const char *unit, const Lianxi__Opinion *o,
                          struct reason *r)
{
    char due_s[LX_DATE_LEN], code[JR_CODE_LEN];
    int64_t id, ob;
    int open = 0;

    return opinion_check(db, unit, o, r, &id, due_s, code, &ob, &open);
}

int
jointreview_put_opinion(store_t *db, const calendar_t *cal, const char *unit,
                        const char *key_id, const Lianxi__Opinion *o,
                        const uint8_t hash[CANON_HASHLEN], int64_t now,
                        struct receipt_info *out, char closed[24], struct reason *r)
{
    int64_t id, ob, oid;
    char due_s[LX_DATE_LEN], code[JR_CODE_LEN];
    uint8_t old[CANON_HASHLEN];
    sqlite3_stmt *st;
    int rc, open = 0, fresh = 0;
    lx_day due;

    memset(out, 0, sizeof *out);
    closed[0] = '\0';
    if ((rc = opinion_check(db, unit, o, r, &id, due_s, code, &ob, &open)) != 0)
        return rc;
    if ((rc = stored_opinion(db, unit, o, old, out, due_s)) < 0)
        return -1;
    if (rc == 1)
        return memcmp(old, hash, CANON_HASHLEN) == 0 ? STORE_DUPLICATE : STORE_CONFLICT;
    for (size_t i = 0; i < o->n_items; i++) {
        char idn[LIM_ID_NUMBER + 1];
        if ((rc = answered_before(db, id, unit, id_upper(o->items[i]->id_number, idn))) < 0)
            return -1;
        fresh += rc == 0;
    }
    /* Timeliness: of the candidates this revision answers first (a
     * revision that only changes answers keeps theirs, shown per
     * candidate in the summary); judged on the hub's receipt time. */
    if (store_take_receipt_no(db, now, out->receipt_no) < 0)
        return -1;
    out->received_at = out->judged_at = now;
    snprintf(out->due_on, sizeof out->due_on, "%s", due_s);
    out->on_time = 1;
    if (days_parse(due_s, &due) == 0 && fresh)
        out->on_time = judge_on_time(cal, due, now, &out->late_days);
    if (!(st = store_stmt(db, "INSERT INTO opinions(review_id, unit, opinion_id, revision,"
                              " queued_at, signature, content_hash, key_id, receipt_no,"
                              " received_at, on_time, late_days)"
                              " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)")))
        return dberr(db, "opinions");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, o->opinion_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, o->revision);
    sqlite3_bind_int64(st, 5, o->queued_at);
    sqlite3_bind_blob(st, 6, o->signature.data, (int)o->signature.len, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 7, hash, CANON_HASHLEN, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, key_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, out->receipt_no, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 10, now);
    sqlite3_bind_int(st, 11, out->on_time);
    sqlite3_bind_int(st, 12, out->late_days);
    rc = sqlite3_step(st);
    store_done(st);
    if (rc != SQLITE_DONE) {
        store_give_back_receipt_no(db);
        return dberr(db, "storing an opinion");
    }
    oid = store_last_rowid(db);
    out->row = oid;
    for (size_t i = 0; i < o->n_items; i++) {
        const Lianxi__OpinionItem *it = o->items[i];
        char idn[LIM_ID_NUMBER + 1];
        if (!(st = store_stmt(db, "INSERT INTO opinion_answers(opinion, id_number, answer,"
                                  " text, expected_on) VALUES (?1,?2,?3,?4,?5)")))
            return dberr(db, "opinion_answers");
        sqlite3_bind_int64(st, 1, oid);
        sqlite3_bind_text(st, 2, id_upper(it->id_number, idn), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 3, it->answer);
        sqlite3_bind_text(st, 4, it->text ? it->text : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, it->answer == LIANXI__OPINION_ANSWER__OPINION_CHECKING &&
                          it->expected_on ? it->expected_on : "", -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
        store_done(st);
        if (rc != SQLITE_DONE)
            return dberr(db, "opinion_answers");
    }
    if (open && (rc = all_answered(db, id, unit)) != 0) {
        if (rc < 0 || (rc = oblig_close(db, cal, ob, out)) < 0)
            return -1;
        if (rc)
            oblig_format(ob, closed);
    }
    return STORE_NEW;
}

/* Fills a's answer of unit about id_number in review id.  Returns 0, or -1. */
static int
answer_of(store_t *db, int64_t id, const char *unit, const char *id_number,
          cJSON *a, lx_day due, lx_day today, const calendar_t *cal)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT a.answer, a.text, a.expected_on, o.received_at,"
                                      " o.revision, o.receipt_no, (SELECT min(o2.received_at)"
                                      " FROM opinions o2 JOIN opinion_answers a2 ON"
                                      " a2.opinion = o2.id WHERE o2.review_id = o.review_id AND"
                                      " o2.unit = o.unit AND a2.id_number = a.id_number)"
                                      " FROM opinions o JOIN opinion_answers a ON a.opinion = o.id"
                                      " WHERE o.review_id = ?1 AND o.unit = ?2 AND"
                                      " a.id_number = ?3 ORDER BY o.revision DESC LIMIT 1");
    int rc, late = 0;

    if (!st)
        return dberr(db, "opinions");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, id_number, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    cJSON_AddStringToObject(a, "unit", unit);
    if (rc == SQLITE_ROW) {
        int64_t first = sqlite3_column_int64(st, 6), latest = sqlite3_column_int64(st, 3);
        char when[20];
        int ans = sqlite3_column_int(st, 0);
        int on_time = judge_on_time(cal, due, first, &late);
        cJSON_AddStringToObject(a, "answer", validate_answer_name(ans));
        cJSON_AddStringToObject(a, "answer_zh", validate_answer_zh(ans));
        cJSON_AddStringToObject(a, "text", col(st, 1));
        if (*col(st, 2))
            cJSON_AddStringToObject(a, "expected_on", col(st, 2));
        days_time_format(first, when);
        cJSON_AddStringToObject(a, "answered_at", when);
        if (latest != first) {
            days_time_format(latest, when);
            cJSON_AddStringToObject(a, "revised_at", when);
        }
        cJSON_AddNumberToObject(a, "revision", sqlite3_column_int(st, 4));
        cJSON_AddStringToObject(a, "receipt_no", col(st, 5));
        cJSON_AddBoolToObject(a, "on_time", on_time);
        cJSON_AddNumberToObject(a, "late_days", late);
    } else if (rc == SQLITE_DONE) {
        cJSON_AddStringToObject(a, "answer", validate_answer_name(0));
        cJSON_AddStringToObject(a, "answer_zh", validate_answer_zh(0));
        if (today > due) {
            calendar_workdays(cal, due, today, &late);
            if (late < 1)
                late = 1;       /* as an answer given today would be judged */
        }
        cJSON_AddBoolToObject(a, "overdue", today > due);
        cJSON_AddNumberToObject(a, "overdue_days", late);
    }
    store_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : dberr(db, "opinions");
}

/* The units asked in review id as a JSON array of codes (own: only it). */
static cJSON *
units_of(store_t *db, int64_t id, const char *own)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT unit FROM joint_review_units WHERE review_id = ?1"
                                      " ORDER BY rowid");
    cJSON *u = cJSON_CreateArray();
    int rc;

    if (!st || !u) {
        cJSON_Delete(u);
        dberr(db, "joint_review_units");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!own || strcmp(own, col(st, 0)) == 0)
            cJSON_AddItemToArray(u, cJSON_CreateString(col(st, 0)));
    store_done(st);
    if (rc != SQLITE_DONE) {
        cJSON_Delete(u);
        dberr(db, "joint_review_units");
        return NULL;
    }
    return u;
}

static const char *
scope_name(int scope)
{
    static const char *const names[] = { "", "public", "organs", "leadership", "specific" };
    return scope >= 1 && scope <= 4 ? names[scope] : "";
}

/* The review's head (id, title, scope, creation, due date, units) as a
 * JSON object; NULL when none (or, for own, not sent to it). */
static cJSON *
head_of(store_t *db, int64_t id, const char *own, int *err)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT title, scope, created_by, created_at, due_on,"
                                      " provisional FROM joint_reviews WHERE id = ?1");
    char code[JR_CODE_LEN], when[20];
    cJSON *j = NULL, *u;
    int rc;

    if (!st) {
        *err = 1;
        dberr(db, "joint_reviews");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && (j = cJSON_CreateObject())) {
        jointreview_format(id, code);
        cJSON_AddStringToObject(j, "id", code);
        cJSON_AddStringToObject(j, "title", col(st, 0));
        cJSON_AddStringToObject(j, "scope", scope_name(sqlite3_column_int(st, 1)));
        cJSON_AddStringToObject(j, "created_by", col(st, 2));
        days_time_format(sqlite3_column_int64(st, 3), when);
        cJSON_AddStringToObject(j, "created_at", when);
        cJSON_AddStringToObject(j, "due_on", col(st, 4));
        if (sqlite3_column_int(st, 5))
            cJSON_AddBoolToObject(j, "provisional", 1);
    }
    store_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *err = 1;
        dberr(db, "joint_reviews");
    }
    if (!j)
        return NULL;
    if (!(u = units_of(db, id, own))) {
        *err = 1;
        cJSON_Delete(j);
        return NULL;
    }
    if (own && cJSON_GetArraySize(u) == 0) {
        cJSON_Delete(u);
        cJSON_Delete(j);
        return NULL;
    }
    cJSON_AddItemToObject(j, "units", u);
    return j;
}

/* The summary's opinions (own: only its unit's), each revision with the
 * documents it carries: {unit, opinion_id, revision, receipt_no,
 * attachments:[{n, name, media_type, type, size, blake2b}]}.  Returns 0,
 * or -1. */
static int
add_opinions(store_t *db, int64_t id, const char *own, cJSON *j)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT id, unit, opinion_id, revision, receipt_no FROM"
                                      " opinions WHERE review_id = ?1 AND (?2 IS NULL OR"
                                      " unit = ?2) ORDER BY unit, revision");
    cJSON *ops = cJSON_AddArrayToObject(j, "opinions");
    struct {
        int64_t row;
        char unit[64], oid[128], receipt[24];
        int revision;
    } *rows = NULL, *p;
    size_t n = 0;
    int rc;

    if (!st || !ops)
        return st ? (store_done(st), -1) : dberr(db, "opinions");
    sqlite3_bind_int64(st, 1, id);
    if (own)
        sqlite3_bind_text(st, 2, own, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 2);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!(p = realloc(rows, (n + 1) * sizeof *rows))) {
            rc = SQLITE_NOMEM;
            break;
        }
        rows = p;
        p = &rows[n++];
        p->row = sqlite3_column_int64(st, 0);
        snprintf(p->unit, sizeof p->unit, "%s", col(st, 1));
        snprintf(p->oid, sizeof p->oid, "%s", col(st, 2));
        p->revision = sqlite3_column_int(st, 3);
        snprintf(p->receipt, sizeof p->receipt, "%s", col(st, 4));
    }
    store_done(st);
    if (rc != SQLITE_DONE) {
        free(rows);
        return dberr(db, "opinions");
    }
    /* (Read after the statement is done: attach_of_opinion has its own.) */
    for (size_t i = 0; i < n; i++) {
        struct attach_ref refs[ATT_MAX_COUNT];
        int k = attach_of_opinion(db, rows[i].row, refs, ATT_MAX_COUNT);
        cJSON *o = cJSON_CreateObject(), *arr;
        if (k < 0 || !o) {
            cJSON_Delete(o);
            free(rows);
            return -1;
        }
        cJSON_AddItemToArray(ops, o);
        cJSON_AddStringToObject(o, "unit", rows[i].unit);
        cJSON_AddStringToObject(o, "opinion_id", rows[i].oid);
        cJSON_AddNumberToObject(o, "revision", rows[i].revision);
        cJSON_AddStringToObject(o, "receipt_no", rows[i].receipt);
        arr = cJSON_AddArrayToObject(o, "attachments");
        for (int m = 0; arr && m < k; m++) {
            cJSON *x = cJSON_CreateObject();
            char hex[ATT_HEXLEN + 1];
            if (!x)
                break;
            att_hex(refs[m].hash, hex);
            cJSON_AddNumberToObject(x, "n", refs[m].seq);
            cJSON_AddStringToObject(x, "name", refs[m].name);
            cJSON_AddStringToObject(x, "media_type", refs[m].media);
            cJSON_AddStringToObject(x, "type", att_type_label(refs[m].media));
            cJSON_AddNumberToObject(x, "size", (double)refs[m].size);
            cJSON_AddStringToObject(x, "blake2b", hex);
            cJSON_AddItemToArray(arr, x);
        }
    }
    free(rows);
    return 0;
}

cJSON *
jointreview_summary(store_t *db, const calendar_t *cal, int64_t id, const char *own,
                    int64_t now, int *err)
{
    sqlite3_stmt *st;
    cJSON *j, *cands, *units, *u;
    lx_day due = 0, today = days_shanghai(now);
    int rc;

    *err = 0;
    if (!(j = head_of(db, id, own, err)))
        return NULL;
    days_parse(cJSON_GetObjectItem(j, "due_on")->valuestring, &due);
    units = cJSON_GetObjectItem(j, "units");
    cands = cJSON_AddArrayToObject(j, "candidates");
    if (!(st = store_stmt(db, "SELECT name, id_number, work_unit, post, proposed_post FROM"
                              " joint_review_candidates WHERE review_id = ?1 ORDER BY seq")))
        goto err;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *c = cJSON_CreateObject(), *answers;
        cJSON_AddItemToArray(cands, c);
        cJSON_AddStringToObject(c, "name", col(st, 0));
        cJSON_AddStringToObject(c, "id_number", col(st, 1));
        cJSON_AddStringToObject(c, "work_unit", col(st, 2));
        cJSON_AddStringToObject(c, "post", col(st, 3));
        cJSON_AddStringToObject(c, "proposed_post", col(st, 4));
        answers = cJSON_AddArrayToObject(c, "answers");
        cJSON_ArrayForEach(u, units) {
            cJSON *a = cJSON_CreateObject();
            cJSON_AddItemToArray(answers, a);
            if (answer_of(db, id, u->valuestring, col(st, 1), a, due, today, cal) < 0) {
                store_done(st);
                goto err;
            }
        }
    }
    store_done(st);
    if (rc != SQLITE_DONE) {
        dberr(db, "joint_review_candidates");
        goto err;
    }
    if (add_opinions(db, id, own, j) < 0)
        goto err;
    return j;
err:
    *err = 1;
    cJSON_Delete(j);
    return NULL;
}

cJSON *
jointreview_list(store_t *db, const char *own)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT id FROM joint_reviews ORDER BY id DESC");
    cJSON *list = cJSON_CreateArray();
    int64_t ids[1000];
    int n = 0, rc, err = 0;

    if (!st || !list) {
        cJSON_Delete(list);
        dberr(db, "joint_reviews");
        return NULL;
    }
    while (n < 1000 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    store_done(st);
    for (int i = 0; i < n && !err; i++) {
        cJSON *h = head_of(db, ids[i], own, &err);
        if (!h)
            continue;
        /* How many candidates, and how many answers are still missing. */
        if ((st = store_stmt(db, "SELECT (SELECT count(*) FROM joint_review_candidates WHERE"
                                 " review_id = ?1), (SELECT count(*) FROM"
                                 " joint_review_candidates c JOIN joint_review_units u ON"
                                 " u.review_id = c.review_id WHERE c.review_id = ?1 AND"
                                 " (?2 IS NULL OR u.unit = ?2) AND NOT EXISTS (SELECT 1 FROM"
                                 " opinions o JOIN opinion_answers a ON a.opinion = o.id WHERE"
                                 " o.review_id = ?1 AND o.unit = u.unit AND"
                                 " a.id_number = c.id_number))"))) {
            sqlite3_bind_int64(st, 1, ids[i]);
            if (own)
                sqlite3_bind_text(st, 2, own, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(st) == SQLITE_ROW) {
                cJSON_AddNumberToObject(h, "candidates", sqlite3_column_int(st, 0));
                cJSON_AddNumberToObject(h, "unanswered", sqlite3_column_int(st, 1));
            }
            store_done(st);
        }
        cJSON_AddItemToArray(list, h);
    }
    if (err) {
        cJSON_Delete(list);
        return NULL;
    }
    return list;
}

int
jointreview_missing(store_t *db, const char *review, const char *unit, char *out, size_t len,
                    cJSON *names)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT c.name FROM joint_review_candidates c WHERE"
                                      " c.review_id = ?1 AND NOT EXISTS (SELECT 1 FROM opinions o"
                                      " JOIN opinion_answers a ON a.opinion = o.id WHERE"
                                      " o.review_id = ?1 AND o.unit = ?2 AND"
                                      " a.id_number = c.id_number) ORDER BY c.seq");
    size_t used = 0;
    int n = 0, rc;

    if (len)
        out[0] = '\0';
    if (!st)
        return dberr(db, "joint_review_candidates");
    sqlite3_bind_int64(st, 1, jointreview_parse(review));
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = col(st, 0);
        if (names)
            cJSON_AddItemToArray(names, cJSON_CreateString(name));
        if (used < len) {
            int w = snprintf(out + used, len - used, "%s%s", n ? "、" : "", name);
            used = w < 0 ? len : used + (size_t)w;
        }
        n++;
    }
    store_done(st);
    if (len)
        text_utf8_fix(out);
    return rc == SQLITE_DONE ? n : dberr(db, "joint_review_candidates");
}

int
jointreview_figures(store_t *db, const calendar_t *cal, int64_t t0, int64_t t1, lx_day asof,
                    struct jr_figures *out)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT id FROM joint_reviews WHERE created_at >= ?1 AND"
                                      " created_at < ?2 ORDER BY id");
    int64_t ids[1000];
    int n = 0, rc;

    memset(out, 0, sizeof *out);
    if (!st)
        return dberr(db, "joint_reviews");
    sqlite3_bind_int64(st, 1, t0);
    sqlite3_bind_int64(st, 2, t1);
    while (n < 1000 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    store_done(st);
    for (int i = 0; i < n; i++) {
        int err = 0;
        /* Judged as of the end of asof, as every figure of a briefing. */
        cJSON *s = jointreview_summary(db, cal, ids[i], NULL, days_start(asof + 1) - 1, &err), *c,
              *a;
        if (!s)
            return err ? -1 : 0;
        out->reviews++;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(s, "candidates")) {
            int reported = 0;
            out->candidates++;
            cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(c, "answers")) {
                const cJSON *ans = cJSON_GetObjectItemCaseSensitive(a, "answer");
                const char *w = cJSON_IsString(ans) ? ans->valuestring : "";
                out->asked++;
                if (strcmp(w, "unanswered") == 0)
                    out->unanswered++;
                else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "on_time")))
                    out->on_time++;
                else
                    out->late++;
                reported |= strcmp(w, "holds") == 0;
            }
            out->reported += reported;
        }
        cJSON_Delete(s);
    }
    return 0;
}
