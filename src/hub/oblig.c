/* oblig.c — obligations, reminders and supplement requests in the hub's
 * database. */
#include "oblig.h"
#include "judge.h"
#include "store.h"
#include "log.h"
#include "days.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
oblig_format(int64_t id, char out[OBLIG_CODE_LEN])
{
    snprintf(out, OBLIG_CODE_LEN, "OB-%lld", (long long)id);
}

int64_t
oblig_parse(const char *s)
{
    char *end;
    long long v;

    if (!s || strncmp(s, "OB-", 3) != 0 || s[3] < '1' || s[3] > '9')
        return -1;
    v = strtoll(s + 3, &end, 10);
    return *end || v <= 0 ? -1 : v;
}

/* The next id of table: above its highest, and above the floor a restore
 * left in store_meta (the ids units were given before it: OB-N codes and
 * message ids, which adapters take as already seen), so that none is
 * handed out twice. */
#define NEXT_ID(table, floor)                                                            \
    "max(coalesce((SELECT max(id) FROM " table "), 0),"                                  \
    " coalesce((SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = '" floor "'), 0)) + 1"

static int
dberr(store_t *db, const char *what)
{
    log_warnx("database: %s: %s", what, store_errmsg(db));
    return -1;
}

int
oblig_check_answer(store_t *db, const char *unit, const Lianxi__Filing *f, struct reason *r)
{
    const char *answers = f->answers;
    sqlite3_stmt *st;
    int64_t id;
    int rc, found = 0, same = 0, kind = 0;

    if (!answers || !*answers)
        return 0;
    if ((id = oblig_parse(answers)) < 0) {
        char v[40];
        snprintf(v, sizeof v, "%.32s", answers);
        reasons_set(r, "obligation.malformed", 1, v);
        return 1;
    }
    if (!(st = store_stmt(db, "SELECT unit, case_ref, id_number, kind FROM obligations"
                              " WHERE id = ?1")))
        return dberr(db, "obligations");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        found = strcmp((const char *)sqlite3_column_text(st, 0), unit) == 0;
        same = strcmp((const char *)sqlite3_column_text(st, 1), f->case_ref ? f->case_ref : "")
                   == 0 &&
               strcmp((const char *)sqlite3_column_text(st, 2),
                      f->cadre && f->cadre->id_number ? f->cadre->id_number : "") == 0;
        kind = sqlite3_column_int(st, 3);
    }
    store_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return dberr(db, "obligations");
    if (!found) {
        reasons_set(r, "obligation.not_yours", 2, answers, unit);
        return 1;
    }
    /* A joint review's obligation is closed by the unit's opinion only,
     * a meeting notice's by its attendance reply. */
    if (kind == OBLIG_REVIEW) {
        reasons_set(r, "obligation.review", 1, answers);
        return 1;
    }
    if (kind == OBLIG_ATTENDANCE) {
        reasons_set(r, "obligation.attendance", 1, answers);
        return 1;
    }
    /* An obligation is closed only by a filing of its own matter, or by a
     * supplement answer naming it. */
    if (!same && f->stage != LIANXI__STAGE__STAGE_SUPPLEMENT) {
        reasons_set(r, "obligation.other_case", 1, answers);
        return 1;
    }
    return 0;
}

/* Closes obligation id when open.  Returns 1 when closed now, 0 when it
 * was not open, -1 on error. */
static int
close_one(store_t *db, const calendar_t *cal, int64_t id, const struct receipt_info *r)
{
    sqlite3_stmt *st;
    lx_day due;
    int late = 0, on_time, rc;
    char due_s[LX_DATE_LEN] = "";

    if (!(st = store_stmt(db, "SELECT due_on FROM obligations WHERE id = ?1"
                              " AND closed_at IS NULL")))
        return dberr(db, "obligations");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(due_s, sizeof due_s, "%s", sqlite3_column_text(st, 0));
    store_done(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW || days_parse(due_s, &due) < 0)
        return dberr(db, "obligations");
    on_time = judge_on_time(cal, due, r->judged_at, &late);
    if (!(st = store_stmt(db, "UPDATE obligations SET closed_at = ?2, closed_by = ?3,"
                           " on_time = ?4, late_days = ?5 WHERE id = ?1")))
        return dberr(db, "obligations");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, r->judged_at);
    sqlite3_bind_text(st, 3, r->receipt_no, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, on_time);
    sqlite3_bind_int(st, 5, late);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? 1 : dberr(db, "closing an obligation");
}

static int64_t
open_one(store_t *db, const char *unit, int kind, const char *filing_id, const char *case_ref,
         const char *id_number, const char *opened_by, int64_t now, const char *due_on,
         int provisional, const char *text, int64_t want)
{
    sqlite3_stmt *st;
    int rc;

    /* want: the id the unit was given before a restore, when it is free
     * (0, or taken: the next). */
    if (!(st = store_stmt(db, "INSERT INTO obligations(id, unit, kind, filing_id, case_ref,"
                           " opened_by, opened_at, due_on, provisional, text, id_number)"
                           " VALUES (coalesce((SELECT ?11 WHERE NOT EXISTS (SELECT 1 FROM"
                           " obligations WHERE id = ?11)), "
                           NEXT_ID("obligations", "floor.obligation")
                           "), ?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)")))
        return dberr(db, "obligations");
    if (want > 0)
        sqlite3_bind_int64(st, 11, want);
    sqlite3_bind_text(st, 10, id_number ? id_number : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, kind);
    sqlite3_bind_text(st, 3, filing_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, case_ref ? case_ref : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, opened_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_text(st, 7, due_on, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, provisional);
    sqlite3_bind_text(st, 9, text ? text : "", -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? store_last_rowid(db) : dberr(db, "opening an obligation");
}

/* The report obligation a notice (filing_id) of unit opened: its id, 0
 * when none, -1 on error. */
static int64_t
notice_obligation(store_t *db, const char *unit, const char *filing_id)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT id FROM obligations WHERE unit = ?1 AND"
                                      " filing_id = ?2 AND kind = 1 ORDER BY id LIMIT 1");
    int64_t id = 0;
    int rc;

    if (!st)
        return dberr(db, "obligations");
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, filing_id, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    store_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : dberr(db, "obligations");
}

/* An amended notice moves its open obligation's due date (its learned_on
 * changed); a closed one stays as it was judged. */
static int
update_due(store_t *db, int64_t id, const char *due_on, int provisional)
{
    sqlite3_stmt *st = store_stmt(db, "UPDATE obligations SET due_on = ?2, provisional = ?3"
                                      " WHERE id = ?1 AND closed_at IS NULL");
    int rc;

    if (!st)
        return dberr(db, "obligations");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, due_on, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, provisional);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? 0 : dberr(db, "updating an obligation");
}

int
oblig_due_on(store_t *db, int64_t id, char due_on[LX_DATE_LEN])
{
    sqlite3_stmt *st = store_stmt(db, "SELECT due_on FROM obligations WHERE id = ?1");
    int rc;

    if (!st)
        return dberr(db, "obligations");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(due_on, LX_DATE_LEN, "%s", sqlite3_column_text(st, 0));
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "obligations");
}

int
oblig_status(store_t *db, const calendar_t *cal, int64_t id, lx_day today,
             struct oblig_status *out)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT due_on, closed_at, closed_by, late_days"
                                      " FROM obligations WHERE id = ?1");
    lx_day due = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if (!st)
        return dberr(db, "obligations");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(out->due_on, sizeof out->due_on, "%s", sqlite3_column_text(st, 0));
        if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
            out->state = "open";
            if (days_parse(out->due_on, &due) == 0 && today > due) {
                out->state = "overdue";
                calendar_workdays(cal, due, today, &out->overdue_days);
            }
        } else if (strcmp((const char *)sqlite3_column_text(st, 2), "superseded") == 0) {
            out->state = "superseded";
        } else {
            out->state = "answered";
            out->answered_at = sqlite3_column_int64(st, 1);
            snprintf(out->answered_by, sizeof out->answered_by, "%s",
                     sqlite3_column_text(st, 2));
            out->overdue_days = sqlite3_column_int(st, 3);
        }
    }
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "obligations");
}

int
oblig_on_filing(store_t *db, const calendar_t *cal, const char *unit, const Lianxi__Filing *f,
                const struct receipt_info *r, char opened[OBLIG_CODE_LEN],
                char closed[OBLIG_CODE_LEN])
{
    int64_t id;
    int rc;

    opened[0] = closed[0] = '\0';
    if (f->stage == LIANXI__STAGE__STAGE_NOTICE) {
        /* The written report is due 5 working days after the day learned:
         * the notice's own due date.  A notice opens exactly one
         * obligation; an amended notice updates it. */
        int reported;
        if ((id = notice_obligation(db, unit, f->filing_id)) < 0 ||
            (reported = store_matter_reported(db, unit, f->case_ref, f->cadre->id_number)) < 0)
            return -1;
        if (id > 0) {
            if (update_due(db, id, r->due_on, r->provisional) < 0)
                return -1;
            oblig_format(id, opened);
        } else if (!reported) {
            /* (A notice that comes after its report opens nothing: the
             * report it would ask for is there.) */
            if ((id = open_one(db, unit, OBLIG_REPORT, f->filing_id, f->case_ref,
                               f->cadre->id_number, r->receipt_no, r->received_at, r->due_on,
                               r->provisional, "", r->obligation_id)) < 0)
                return -1;
            oblig_format(id, opened);
        }
    }
    if (f->answers && *f->answers) {
        id = oblig_parse(f->answers);
        if ((rc = close_one(db, cal, id, r)) < 0)
            return -1;
        if (rc)
            oblig_format(id, closed);
    } else if (f->stage == LIANXI__STAGE__STAGE_REPORT) {
        /* A report names no obligation: it answers its case's notice. */
        sqlite3_stmt *st = store_stmt(db, "SELECT id FROM obligations WHERE unit = ?1 AND"
                                          " case_ref = ?2 AND id_number = ?3 AND kind = 1"
                                          " AND closed_at IS NULL ORDER BY id LIMIT 1");
        if (!st)
            return dberr(db, "obligations");
        sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, f->case_ref, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, f->cadre->id_number, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
        store_done(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return dberr(db, "obligations");
        if (id > 0) {
            if ((rc = close_one(db, cal, id, r)) < 0)
                return -1;
            if (rc)
                oblig_format(id, closed);
        }
    }
    return 0;
}

static int
add_message(store_t *db, const char *unit, int kind, int64_t obligation, const char *for_day,
            const char *text, int overdue, int64_t now)
{
    sqlite3_stmt *st;
    int rc;

    if (!(st = store_stmt(db, "INSERT INTO hub_messages(id, unit, kind, obligation_id, for_day,"
                           " text, created_at, overdue_days) VALUES ("
                           NEXT_ID("hub_messages", "floor.message") ", ?1,?2,?3,?4,?5,?6,?7)"
                           " ON CONFLICT DO NOTHING")))
        return dberr(db, "hub_messages");
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, kind);
    sqlite3_bind_int64(st, 3, obligation);
    sqlite3_bind_text(st, 4, for_day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int(st, 7, overdue);
    rc = sqlite3_step(st);
    store_done(st);
    if (rc != SQLITE_DONE)
        return dberr(db, "storing a message");
    return store_changes(db);
}

int64_t
oblig_request_supplement(store_t *db, const calendar_t *cal, const char *unit,
                         const char *filing_id, const char *text, int days, int64_t now)
{
    char case_ref[256] = "", receipt[24] = "", idno[24] = "", due_s[LX_DATE_LEN], *msg = NULL;
    lx_day due;
    int rc, prov;
    int64_t id;

    if ((rc = store_filing_latest(db, unit, filing_id, case_ref, receipt, idno)) < 0)
        return dberr(db, "filings");
    if (rc == 0) {
        log_warnx("supplement request: unit %s has no filing %s", unit, filing_id);
        return -1;
    }
    prov = calendar_due(cal, days_shanghai(now), days, &due);
    days_format(due, due_s);
    id = open_one(db, unit, OBLIG_SUPPLEMENT, filing_id, case_ref, idno, "supervision group",
                  now, due_s, prov, text, 0);
    if (id < 0)
        return -1;
    /* Built to the text's length: the operator's text was checked against
     * the command table's limit, and the closing sentence must reach the unit. */
    if (asprintf(&msg, "补充材料要求：关于案件 %s（回执 %s），干部监督组要求补充报送：%s　"
                 "请于 %s 前报送，报送时注明义务编号 OB-%lld。", case_ref, receipt, text, due_s,
                 (long long)id) < 0) {
        log_warn("supplement request for %s", filing_id);
        return -1;
    }
    rc = add_message(db, unit, LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_SUPPLEMENT_REQUEST, id, "",
                     msg, 0, now);
    free(msg);
    return rc < 0 ? -1 : id;
}

int64_t
oblig_open_review(store_t *db, const char *unit, const char *review, const char *due_on,
                  int provisional, const char *text, int64_t now)
{
    int64_t id = open_one(db, unit, OBLIG_REVIEW, review, review, "", "supervision group", now,
                          due_on, provisional, "", 0);

    if (id < 0 || add_message(db, unit, LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_REVIEW_REQUEST, id,
                              "", text, 0, now) < 0)
        return -1;
    return id;
}

int64_t
oblig_add_message(store_t *db, const char *unit, int kind, const char *text, int64_t now)
{
    sqlite3_stmt *st;
    int rc;

    if (!(st = store_stmt(db, "INSERT INTO hub_messages(id, unit, kind, obligation_id, for_day,"
                           " text, created_at) VALUES ("
                           NEXT_ID("hub_messages", "floor.message") ", ?1,?2,NULL,'',?3,?4)")))
        return dberr(db, "hub_messages");
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, kind);
    sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? store_last_rowid(db) : dberr(db, "storing a message");
}

int64_t
oblig_open_attendance(store_t *db, const char *unit, const char *meeting, const char *due_on,
                      int provisional, const char *text, int64_t now, int64_t *message)
{
    int64_t id = open_one(db, unit, OBLIG_ATTENDANCE, meeting, meeting, "", "convener", now,
                          due_on, provisional, "", 0);

    if (id < 0 || add_message(db, unit, LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_MEETING_NOTICE, id,
                              "", text, 0, now) < 1)
        return -1;
    *message = store_last_rowid(db);
    return id;
}

int64_t
oblig_review_of(store_t *db, const char *unit, const char *review, int *open)
{
    return oblig_of(db, OBLIG_REVIEW, unit, review, open);
}

int
oblig_supersede(store_t *db, int64_t id, int64_t now)
{
    sqlite3_stmt *st = store_stmt(db, "UPDATE obligations SET closed_at = ?2,"
                                      " closed_by = 'superseded', on_time = 1, late_days = 0"
                                      " WHERE id = ?1 AND closed_at IS NULL");
    int rc;

    if (!st)
        return dberr(db, "obligations");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? store_changes(db) > 0 : dberr(db, "closing an obligation");
}

int
oblig_message_state(store_t *db, int64_t id, struct oblig_msg_state *out)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT created_at, coalesce(sent_at, 0), attempts,"
                                      " coalesce(acked_at, 0) FROM hub_messages WHERE id = ?1");
    int rc;

    memset(out, 0, sizeof *out);
    if (!st)
        return dberr(db, "hub_messages");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->created_at = sqlite3_column_int64(st, 0);
        out->sent_at = sqlite3_column_int64(st, 1);
        out->attempts = sqlite3_column_int(st, 2);
        out->acked_at = sqlite3_column_int64(st, 3);
    }
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "hub_messages");
}

int
oblig_reminders(store_t *db, int64_t id)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT count(*) FROM hub_messages WHERE"
                                      " obligation_id = ?1 AND kind = 1");
    int rc, n = 0;

    if (!st)
        return dberr(db, "hub_messages");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    store_done(st);
    return rc == SQLITE_ROW ? n : dberr(db, "hub_messages");
}

int64_t
oblig_of(store_t *db, int kind, const char *unit, const char *ref, int *open)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT id, closed_at IS NULL FROM obligations WHERE"
                                      " unit = ?1 AND filing_id = ?2 AND kind = ?3");
    int64_t id = 0;
    int rc;

    if (!st)
        return dberr(db, "obligations");
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, ref, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, kind);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        *open = sqlite3_column_int(st, 1);
    }
    store_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : dberr(db, "obligations");
}

int
oblig_close(store_t *db, const calendar_t *cal, int64_t id, const struct receipt_info *r)
{
    return close_one(db, cal, id, r);
}

/* The next working day after day. */
static lx_day
next_workday(const calendar_t *cal, lx_day day)
{
    lx_day d;
    calendar_due(cal, day, 1, &d);
    return d;
}

int
oblig_remind(store_t *db, const calendar_t *cal, int64_t now)
{
    lx_day today = days_shanghai(now), due;
    char today_s[LX_DATE_LEN], msg[1024];
    sqlite3_stmt *st;
    int n = 0, rc;

    if (!calendar_is_workday(cal, today))
        return 0;
    days_format(today, today_s);
    if (!(st = store_stmt(db, "SELECT id, unit, kind, case_ref, due_on FROM obligations"
                           " WHERE closed_at IS NULL")))
        return dberr(db, "obligations");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *unit = (const char *)sqlite3_column_text(st, 1);
        int kind = sqlite3_column_int(st, 2);
        const char *case_ref = (const char *)sqlite3_column_text(st, 3);
        const char *due_s = (const char *)sqlite3_column_text(st, 4);
        const char *what = kind == OBLIG_REPORT ? "书面报告" : kind == OBLIG_REVIEW ?
                           "任前联审意见" : kind == OBLIG_ATTENDANCE ? "参会回执" : "补充材料";
        const char *of = kind == OBLIG_REVIEW ? "联审" : kind == OBLIG_ATTENDANCE ? "会议" :
                         "案件";
        const char *cmd = kind == OBLIG_ATTENDANCE ? "attend" : "reply";
        int late = 0, added;

        if (days_parse(due_s, &due) < 0)
            continue;
        if (next_workday(cal, today) == due) {
            if (kind == OBLIG_REVIEW || kind == OBLIG_ATTENDANCE)
                snprintf(msg, sizeof msg, "到期提醒：%s %s 的%s应于 %s（下一个工作日）前报送县委"
                         "组织部干部监督组，请用报送程序的 %s %s 命令报送（义务编号 OB-%lld）。",
                         of, case_ref, what, due_s, cmd, case_ref, (long long)id);
            else
                snprintf(msg, sizeof msg, "到期提醒：%s %s 的%s应于 %s（下一个工作日）前报送县委"
                         "组织部干部监督组备案，报送时注明义务编号 OB-%lld。", of, case_ref, what,
                         due_s, (long long)id);
        } else if (today > due) {
            calendar_workdays(cal, due, today, &late);
            if (kind == OBLIG_REVIEW || kind == OBLIG_ATTENDANCE)
                snprintf(msg, sizeof msg, "逾期提醒：%s %s 的%s应于 %s 报送，已逾期 %d 个工作日，"
                         "请尽快用报送程序的 %s %s 命令报送（义务编号 OB-%lld）。", of,
                         case_ref, what, due_s, late, cmd, case_ref, (long long)id);
            else
                snprintf(msg, sizeof msg, "逾期提醒：%s %s 的%s应于 %s 报送，已逾期 %d 个工作日，"
                         "请尽快报送并注明义务编号 OB-%lld。", of, case_ref, what, due_s, late,
                         (long long)id);
        } else {
            continue;
        }
        added = add_message(db, unit, LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_REMINDER, id,
                            today_s, msg, late, now);
        if (added < 0) {
            store_done(st);
            return -1;
        }
        n += added;
    }
    store_done(st);
    return rc == SQLITE_DONE ? n : dberr(db, "obligations");
}

int
oblig_pending(store_t *db, const char *unit, int64_t resend_before, oblig_msg_fn *fn, void *arg)
{
    sqlite3_stmt *st;
    int n = 0, rc;

    /* (A briefing, circular or recall has no obligation.) */
    if (!(st = store_stmt(db, "SELECT m.id, m.kind, coalesce(m.obligation_id, 0),"
                              " coalesce(o.filing_id, ''), coalesce(o.due_on, ''),"
                              " m.text, m.created_at, coalesce(o.case_ref, ''), m.overdue_days,"
                              " coalesce(o.kind, 0)"
                              " FROM hub_messages m LEFT JOIN obligations o"
                              " ON o.id = m.obligation_id"
                              " WHERE m.unit = ?1 AND m.acked_at IS NULL"
                              " AND (m.sent_at IS NULL OR m.sent_at < ?2) ORDER BY m.id"
                              " LIMIT 256")))
        return dberr(db, "hub_messages");
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, resend_before);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        Lianxi__HubMessage m = LIANXI__HUB_MESSAGE__INIT;
        char code[OBLIG_CODE_LEN];

        if (sqlite3_column_int64(st, 2) > 0)
            oblig_format(sqlite3_column_int64(st, 2), code);
        else
            code[0] = '\0';
        m.id = (uint64_t)sqlite3_column_int64(st, 0);
        m.kind = sqlite3_column_int(st, 1);
        m.obligation_id = code;
        m.filing_id = (char *)sqlite3_column_text(st, 3);
        m.due_on = (char *)sqlite3_column_text(st, 4);
        m.text = (char *)sqlite3_column_text(st, 5);
        m.created_at = sqlite3_column_int64(st, 6);
        m.case_ref = (char *)sqlite3_column_text(st, 7);
        m.overdue_days = (uint32_t)sqlite3_column_int(st, 8);
        /* A review's messages name it (its request gets its candidates
         * from the joint review's module as it is sent: deliver.c). */
        if (sqlite3_column_int(st, 9) == OBLIG_REVIEW) {
            m.review_id = m.filing_id;
            m.filing_id = "";
        }
        /* A meeting notice's messages name the meeting (the notice gets
         * its time, place and agenda from the notice module: deliver.c). */
        if (sqlite3_column_int(st, 9) == OBLIG_ATTENDANCE) {
            const char *ref = m.filing_id;
            m.meeting = strncmp(ref, "M-", 2) == 0 ? strtoull(ref + 2, NULL, 10) : 0;
            m.filing_id = "";
        }
        if (fn(arg, &m) < 0)
            break;
        n++;
    }
    store_done(st);
    return n;
}

int
oblig_mark_sent(store_t *db, int64_t id, int64_t now)
{
    sqlite3_stmt *st;
    int rc;

    if (!(st = store_stmt(db, "UPDATE hub_messages SET sent_at = ?2, attempts = attempts + 1"
                           " WHERE id = ?1")))
        return dberr(db, "hub_messages");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? 0 : dberr(db, "hub_messages");
}

int
oblig_mark_acked(store_t *db, const char *unit, int64_t id, int64_t now)
{
    sqlite3_stmt *st;
    int rc;

    if (!(st = store_stmt(db, "UPDATE hub_messages SET acked_at = ?3 WHERE id = ?1"
                           " AND unit = ?2 AND acked_at IS NULL")))
        return dberr(db, "hub_messages");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? 0 : dberr(db, "hub_messages");
}

int
oblig_tidy(store_t *db, int64_t now)
{
    /* Before one notice opened exactly one obligation, an amended notice
     * opened another beside the first; and a notice that came after its
     * report opened one nothing could close.  Both are closed as superseded. */
    sqlite3_stmt *st = store_stmt(db, "UPDATE obligations SET closed_at = ?1,"
                                      " closed_by = 'superseded', on_time = 1, late_days = 0"
                                      " WHERE kind = 1 AND closed_at IS NULL AND"
                                      " (id NOT IN (SELECT min(id) FROM obligations WHERE kind = 1"
                                      "  GROUP BY unit, filing_id) OR EXISTS (SELECT 1 FROM"
                                      "  matters m WHERE m.unit = obligations.unit AND"
                                      "  m.case_ref = obligations.case_ref AND"
                                      "  m.id_number = obligations.id_number AND"
                                      "  m.report_id IS NOT NULL))");
    int rc;

    if (!st)
        return dberr(db, "obligations");
    sqlite3_bind_int64(st, 1, now);
    rc = sqlite3_step(st);
    store_done(st);
    return rc == SQLITE_DONE ? store_changes(db) : dberr(db, "closing superseded obligations");
}
