/* notice.c — meeting notices and the units' attendance replies in the
 * hub's database: meeting_notices, meeting_invitees, attendances. */
#include "notice.h"
#include "days.h"
#include "i18n.h"
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

void
notice_format(int64_t meeting, char out[NOTICE_CODE_LEN])
{
    snprintf(out, NOTICE_CODE_LEN, "M-%lld", (long long)meeting);
}

int64_t
notice_parse(const char *s)
{
    char *end;
    long long v;

    if (!s)
        return -1;
    if (strncmp(s, "M-", 2) == 0)
        s += 2;
    if (*s < '1' || *s > '9')
        return -1;
    v = strtoll(s, &end, 10);
    return *end || v <= 0 ? -1 : v;
}

/* Valid UTF-8 within max bytes without control characters (lines: line
 * breaks allowed). */
static int
text_ok(const char *s, size_t max, int lines)
{
    size_t n = s ? strlen(s) : 0;
    uint32_t cp;

    return n <= max && text_utf8_valid(s ? s : "", n) &&
           text_find_control(s ? s : "", n, lines, &cp) < 0;
}

int
notice_check(const struct notice_spec *s, char *err, size_t errlen)
{
    int h, m;
    char rest;

    if (s->time && *s->time &&
        (strlen(s->time) != 5 || sscanf(s->time, "%2d:%2d%c", &h, &m, &rest) != 2 || h < 0 ||
         h > 23 || m < 0 || m > 59)) {
        snprintf(err, errlen, "%s", _("--time is the meeting's time of day as HH:MM (09:30)"));
        return -1;
    }
    if (!text_ok(s->place, NOTICE_PLACE_MAX, 0)) {
        snprintf(err, errlen, _("--place is one line of at most %d bytes"), NOTICE_PLACE_MAX);
        return -1;
    }
    if (!text_ok(s->agenda, NOTICE_AGENDA_MAX, 1) || (s->agenda && strchr(s->agenda, '\t'))) {
        snprintf(err, errlen, _("--agenda is at most %d bytes of text, one item a line"),
                 NOTICE_AGENDA_MAX);
        return -1;
    }
    if (!text_ok(s->attendee, NOTICE_ATTENDEE_MAX, 0)) {
        snprintf(err, errlen, _("--attendee is one line of at most %d bytes"),
                 NOTICE_ATTENDEE_MAX);
        return -1;
    }
    return 0;
}

int
notice_due_date(const calendar_t *cal, lx_day meeting, lx_day today, lx_day *due)
{
    lx_day d = meeting;
    int n = 0, prov = 0;

    while (n < NOTICE_DUE_WORKDAYS && d > today) {
        d--;
        prov |= !calendar_covers(cal, d);
        n += calendar_is_workday(cal, d);
    }
    if (n < NOTICE_DUE_WORKDAYS || d < today)
        d = meeting - 1 >= today ? meeting - 1 : today;
    *due = d;
    return prov;
}

/* The notice as the unit's clerk reads it (HubMessage.text): the body of
 * 会议通知. */
static char *
notice_text(const char *code, const char *title, const char *date, const struct notice_spec *s,
            const char *due_s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int y = 0, mo = 0, d = 0;
    lx_day day;

    if (!f)
        return NULL;
    if (days_parse(date, &day) == 0)
        days_to_civil(day, &y, &mo, &d);
    fprintf(f, "经研究，定于%d年%d月%d日%s%s召开%s。", y, mo, d, *s->time ? " " : "", s->time,
            title);
    if (*s->place)
        fprintf(f, "会议地点：%s。", s->place);
    fprintf(f, "请贵单位%s准时参加。请于 %s 前回复是否出席及出席人员姓名、职务"
            "（报送程序的 attend %s 命令）。", s->attendee, due_s, code);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

int
notice_create(store_t *db, const calendar_t *cal, int64_t meeting, const char *date,
              const char *title, const struct notice_spec *s, const char *const *units,
              size_t nunits, const char *actor, int64_t now, char due_on[16])
{
    char code[NOTICE_CODE_LEN], *text;
    sqlite3_stmt *st;
    lx_day mday, due;
    int prov, rc;

    if (days_parse(date, &mday) < 0) {
        log_warnx("meeting notice: bad date %s", date);
        return -1;
    }
    prov = notice_due_date(cal, mday, days_shanghai(now), &due);
    days_format(due, due_on);
    notice_format(meeting, code);
    if (!(st = store_stmt(db, "INSERT INTO meeting_notices(meeting, meeting_time, place, agenda,"
                              " attendee, sender, due_on, provisional, created_by, created_at)"
                              " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)")))
        return dberr(db, "meeting_notices");
    sqlite3_bind_int64(st, 1, meeting);
    sqlite3_bind_text(st, 2, s->time, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, s->place, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, s->agenda, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, s->attendee, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, NOTICE_SENDER, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, due_on, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, prov);
    sqlite3_bind_text(st, 9, actor, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, now);
    rc = sqlite3_step(st);
    store_done(st);
    if (rc != SQLITE_DONE)
        return dberr(db, "storing a meeting notice");
    if (!(text = notice_text(code, title, date, s, due_on)))
        return -1;
    for (size_t u = 0; u < nunits; u++) {
        int64_t msg = 0;
        int64_t ob = oblig_open_attendance(db, units[u], code, due_on, prov, text, now, &msg);
        if (ob < 0 || !(st = store_stmt(db, "INSERT INTO meeting_invitees(meeting, unit, seq,"
                                            " obligation_id, message_id)"
                                            " VALUES (?1,?2,?3,?4,?5)"))) {
            free(text);
            return dberr(db, "meeting_invitees");
        }
        sqlite3_bind_int64(st, 1, meeting);
        sqlite3_bind_text(st, 2, units[u], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (int64_t)u + 1);
        sqlite3_bind_int64(st, 4, ob);
        sqlite3_bind_int64(st, 5, msg);
        rc = sqlite3_step(st);
        store_done(st);
        if (rc != SQLITE_DONE) {
            free(text);
            return dberr(db, "meeting_invitees");
        }
    }
    free(text);
    return 0;
}

void
notice_fill_free(struct notice_buf *buf)
{
    for (size_t i = 0; i < sizeof buf->s / sizeof buf->s[0]; i++) {
        free(buf->s[i]);
        buf->s[i] = NULL;
    }
}

int
notice_fill(store_t *db, Lianxi__HubMessage *m, struct notice_buf *buf)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT g.date, n.meeting_time, n.place, n.agenda,"
                                      " n.attendee, n.sender, g.title FROM meeting_notices n"
                                      " JOIN meetings g ON g.id = n.meeting WHERE n.meeting = ?1");
    int rc;

    memset(buf, 0, sizeof *buf);
    if (!st)
        return dberr(db, "meeting_notices");
    sqlite3_bind_int64(st, 1, (int64_t)m->meeting);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        for (int i = 0; i < 7; i++)
            if (!(buf->s[i] = strdup(col(st, i)))) {
                store_done(st);
                notice_fill_free(buf);
                log_warn("meeting notice");
                return -1;
            }
        m->title = buf->s[6];
        if (m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_MEETING_NOTICE) {
            m->meeting_date = buf->s[0];
            m->meeting_time = buf->s[1];
            m->place = buf->s[2];
            m->agenda = buf->s[3];
            m->attendee = buf->s[4];
            m->sender = buf->s[5];
        }
    }
    store_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : dberr(db, "meeting_notices");
}

/* The due date of meeting's notice: 1, 0 when it has none, -1. */
static int
notice_due(store_t *db, int64_t meeting, char due_s[LX_DATE_LEN])
{
    sqlite3_stmt *st = store_stmt(db, "SELECT due_on FROM meeting_notices WHERE meeting = ?1");
    int rc;

    if (!st)
        return dberr(db, "meeting_notices");
    sqlite3_bind_int64(st, 1, meeting);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(due_s, LX_DATE_LEN, "%s", col(st, 0));
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "meeting_notices");
}

/* The stored reply (unit, attendance_id, revision): 1 with its hash and
 * answer into out, 0 when none, -1. */
static int
stored_reply(store_t *db, const char *unit, const Lianxi__Attendance *a, uint8_t hash[32],
             struct receipt_info *out, const char *due_s)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT content_hash, received_at, on_time, late_days"
                                      " FROM attendances WHERE unit = ?1 AND attendance_id = ?2"
                                      " AND revision = ?3");
    int rc;

    if (!st)
        return dberr(db, "attendances");
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, a->attendance_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, a->revision);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(st, 0);
        memset(hash, 0, CANON_HASHLEN);
        if (h && sqlite3_column_bytes(st, 0) == CANON_HASHLEN)
            memcpy(hash, h, CANON_HASHLEN);
        memset(out, 0, sizeof *out);
        out->received_at = out->judged_at = sqlite3_column_int64(st, 1);
        out->on_time = sqlite3_column_int(st, 2);
        out->late_days = sqlite3_column_int(st, 3);
        snprintf(out->due_on, sizeof out->due_on, "%s", due_s);
    }
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "attendances");
}

int
notice_put_attendance(store_t *db, const calendar_t *cal, const char *unit, const char *key_id,
                      const Lianxi__Attendance *a, const uint8_t hash[CANON_HASHLEN],
                      int64_t now, struct receipt_info *out, char closed[24], struct reason *r)
{
    char due_s[LX_DATE_LEN], code[NOTICE_CODE_LEN];
    uint8_t old[CANON_HASHLEN];
    sqlite3_stmt *st;
    int64_t ob;
    int rc, open = 0;
    lx_day due;

    memset(out, 0, sizeof *out);
    closed[0] = '\0';
    notice_format((int64_t)a->meeting, code);
    if (a->meeting > INT64_MAX || (rc = notice_due(db, (int64_t)a->meeting, due_s)) == 0) {
        reasons_set(r, "meeting.unknown", 1, code);
        return NOTICE_REFUSED;
    }
    if (rc < 0)
        return -1;
    if ((ob = oblig_of(db, OBLIG_ATTENDANCE, unit, code, &open)) < 0)
        return -1;
    if (ob == 0) {
        reasons_set(r, "meeting.not_invited", 2, code, unit);
        return NOTICE_REFUSED;
    }
    if ((rc = stored_reply(db, unit, a, old, out, due_s)) < 0)
        return -1;
    if (rc == 1)
        return memcmp(old, hash, CANON_HASHLEN) == 0 ? STORE_DUPLICATE : STORE_CONFLICT;
    out->received_at = out->judged_at = now;
    snprintf(out->due_on, sizeof out->due_on, "%s", due_s);
    out->on_time = 1;
    if (days_parse(due_s, &due) == 0)
        out->on_time = judge_on_time(cal, due, now, &out->late_days);
    if (!(st = store_stmt(db, "INSERT INTO attendances(meeting, unit, attendance_id, revision,"
                              " attend, attendee, queued_at, signature, content_hash, key_id,"
                              " received_at, on_time, late_days)"
                              " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)")))
        return dberr(db, "attendances");
    sqlite3_bind_int64(st, 1, (int64_t)a->meeting);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, a->attendance_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, a->revision);
    sqlite3_bind_int(st, 5, a->attend ? 1 : 0);
    sqlite3_bind_text(st, 6, a->attendee ? a->attendee : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, a->queued_at);
    sqlite3_bind_blob(st, 8, a->signature.data, (int)a->signature.len, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 9, hash, CANON_HASHLEN, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 10, key_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 11, now);
    sqlite3_bind_int(st, 12, out->on_time);
    sqlite3_bind_int(st, 13, out->late_days);
    rc = sqlite3_step(st);
    store_done(st);
    if (rc != SQLITE_DONE)
        return dberr(db, "storing an attendance reply");
    if (open) {
        if ((rc = oblig_close(db, cal, ob, out)) < 0)
            return -1;
        if (rc)
            oblig_format(ob, closed);
    }
    return STORE_NEW;
}

/* Adds to u the unit's latest reply to meeting, or that it has none.
 * Returns 0 (*state: 1 confirmed, 2 declined, 0 none), or -1. */
static int
reply_of(store_t *db, int64_t meeting, const char *unit, cJSON *u, int *state)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT attend, attendee, revision, received_at, on_time,"
                                      " late_days, (SELECT min(received_at) FROM attendances b"
                                      " WHERE b.meeting = a.meeting AND b.unit = a.unit)"
                                      " FROM attendances a WHERE meeting = ?1 AND unit = ?2"
                                      " ORDER BY revision DESC LIMIT 1");
    char when[20];
    int rc;

    *state = 0;
    if (!st)
        return dberr(db, "attendances");
    sqlite3_bind_int64(st, 1, meeting);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *state = sqlite3_column_int(st, 0) ? 1 : 2;
        cJSON_AddStringToObject(u, "state", *state == 1 ? "confirmed" : "declined");
        cJSON_AddStringToObject(u, "state_zh", *state == 1 ? "已确认出席" : "不出席");
        cJSON_AddStringToObject(u, "attendee", col(st, 1));
        cJSON_AddNumberToObject(u, "revision", sqlite3_column_int(st, 2));
        days_time_format(sqlite3_column_int64(st, 6), when);
        cJSON_AddStringToObject(u, "answered_at", when);
        if (sqlite3_column_int(st, 2) > 1) {
            days_time_format(sqlite3_column_int64(st, 3), when);
            cJSON_AddStringToObject(u, "revised_at", when);
        }
    } else if (rc == SQLITE_DONE) {
        cJSON_AddStringToObject(u, "state", "unanswered");
        cJSON_AddStringToObject(u, "state_zh", "未答复");
    }
    store_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : dberr(db, "attendances");
}

/* Adds where the unit's notice and obligation stand to u.  Returns 0, or -1. */
static int
delivery_of(store_t *db, const calendar_t *cal, int64_t ob, int64_t msg, lx_day today, cJSON *u)
{
    struct oblig_msg_state ms;
    struct oblig_status os;
    cJSON *n;
    char when[20];
    int reminded;

    if (oblig_message_state(db, msg, &ms) < 0 || oblig_status(db, cal, ob, today, &os) < 0 ||
        (reminded = oblig_reminders(db, ob)) < 0)
        return -1;
    n = cJSON_AddObjectToObject(u, "notice");
    cJSON_AddNumberToObject(n, "message", (double)msg);
    cJSON_AddBoolToObject(n, "sent", ms.sent_at > 0);
    cJSON_AddBoolToObject(n, "acked", ms.acked_at > 0);
    cJSON_AddNumberToObject(n, "attempts", ms.attempts);
    if (ms.acked_at > 0) {
        days_time_format(ms.acked_at, when);
        cJSON_AddStringToObject(n, "acked_at", when);
    }
    cJSON_AddNumberToObject(u, "reminded", reminded);
    {
        char code[OBLIG_CODE_LEN];
        oblig_format(ob, code);
        cJSON_AddStringToObject(u, "obligation", code);
    }
    cJSON_AddStringToObject(u, "obligation_state", os.state ? os.state : "");
    if (os.state && (strcmp(os.state, "overdue") == 0 || strcmp(os.state, "answered") == 0))
        cJSON_AddNumberToObject(u, "overdue_days", os.overdue_days);
    return 0;
}

cJSON *
notice_board(store_t *db, const calendar_t *cal, int64_t meeting, int64_t now, int *err)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT g.date, n.meeting_time, n.place, g.title,"
                                      " n.due_on, n.agenda, n.attendee, n.provisional"
                                      " FROM meeting_notices n JOIN meetings g ON g.id = n.meeting"
                                      " WHERE n.meeting = ?1");
    struct inv { char unit[40]; int64_t ob, msg; } *inv = NULL;
    cJSON *j = NULL, *units;
    char code[NOTICE_CODE_LEN];
    size_t n = 0, cap = 0;
    int rc, count[3] = { 0, 0, 0 };

    *err = 0;
    if (!st) {
        *err = 1;
        dberr(db, "meeting_notices");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, meeting);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && (j = cJSON_CreateObject())) {
        notice_format(meeting, code);
        cJSON_AddNumberToObject(j, "meeting", (double)meeting);
        cJSON_AddStringToObject(j, "code", code);
        cJSON_AddStringToObject(j, "date", col(st, 0));
        cJSON_AddStringToObject(j, "time", col(st, 1));
        cJSON_AddStringToObject(j, "place", col(st, 2));
        cJSON_AddStringToObject(j, "title", col(st, 3));
        cJSON_AddStringToObject(j, "due_on", col(st, 4));
        cJSON_AddStringToObject(j, "agenda", col(st, 5));
        cJSON_AddStringToObject(j, "attendee", col(st, 6));
        if (sqlite3_column_int(st, 7))
            cJSON_AddBoolToObject(j, "provisional", 1);
    }
    store_done(st);
    if (rc != SQLITE_ROW) {
        *err = rc != SQLITE_DONE;
        if (*err)
            dberr(db, "meeting_notices");
        return NULL;
    }
    if (!j)
        goto err;
    /* The invitees first, then each one's state (one statement at a time). */
    if (!(st = store_stmt(db, "SELECT unit, obligation_id, message_id FROM meeting_invitees"
                              " WHERE meeting = ?1 ORDER BY seq")))
        goto err;
    sqlite3_bind_int64(st, 1, meeting);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            struct inv *ni = realloc(inv, (cap = cap ? 2 * cap : 16) * sizeof *inv);
            if (!ni) {
                store_done(st);
                goto err;
            }
            inv = ni;
        }
        snprintf(inv[n].unit, sizeof inv[n].unit, "%s", col(st, 0));
        inv[n].ob = sqlite3_column_int64(st, 1);
        inv[n].msg = sqlite3_column_int64(st, 2);
        n++;
    }
    store_done(st);
    if (rc != SQLITE_DONE)
        goto err;
    units = cJSON_AddArrayToObject(j, "units");
    for (size_t i = 0; i < n; i++) {
        cJSON *u = cJSON_CreateObject();
        int state;
        cJSON_AddItemToArray(units, u);
        cJSON_AddStringToObject(u, "unit", inv[i].unit);
        if (reply_of(db, meeting, inv[i].unit, u, &state) < 0 ||
            delivery_of(db, cal, inv[i].ob, inv[i].msg, days_shanghai(now), u) < 0)
            goto err;
        count[state]++;
    }
    cJSON_AddNumberToObject(j, "confirmed", count[1]);
    cJSON_AddNumberToObject(j, "declined", count[2]);
    cJSON_AddNumberToObject(j, "unanswered", count[0]);
    free(inv);
    return j;
err:
    *err = 1;
    free(inv);
    cJSON_Delete(j);
    log_warnx("database: the attendance board of meeting %lld: %s", (long long)meeting,
              store_errmsg(db));
    return NULL;
}

cJSON *
notice_list(store_t *db, const char *own)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT n.meeting, g.title, g.date, n.meeting_time,"
                                      " n.place, n.due_on, n.created_at FROM meeting_notices n"
                                      " JOIN meetings g ON g.id = n.meeting WHERE ?1 IS NULL OR"
                                      " EXISTS (SELECT 1 FROM meeting_invitees i WHERE"
                                      " i.meeting = n.meeting AND i.unit = ?1)"
                                      " ORDER BY n.created_at DESC, n.meeting DESC LIMIT 200");
    struct { int64_t id; } m[200];
    cJSON *arr = cJSON_CreateArray();
    int n = 0, rc;

    if (!st || !arr) {
        cJSON_Delete(arr);
        dberr(db, "meeting_notices");
        return NULL;
    }
    if (own)
        sqlite3_bind_text(st, 1, own, -1, SQLITE_STATIC);
    while (n < 200 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *o = cJSON_CreateObject();
        char code[NOTICE_CODE_LEN], when[20];
        m[n].id = sqlite3_column_int64(st, 0);
        notice_format(m[n].id, code);
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "kind", "notice");
        cJSON_AddNumberToObject(o, "meeting", (double)m[n].id);
        cJSON_AddStringToObject(o, "code", code);
        cJSON_AddStringToObject(o, "title", col(st, 1));
        cJSON_AddStringToObject(o, "date", col(st, 2));
        cJSON_AddStringToObject(o, "time", col(st, 3));
        cJSON_AddStringToObject(o, "place", col(st, 4));
        cJSON_AddStringToObject(o, "due_on", col(st, 5));
        days_time_format(sqlite3_column_int64(st, 6), when);
        cJSON_AddStringToObject(o, "created_at", when);
        cJSON_AddArrayToObject(o, "documents");
        n++;
    }
    store_done(st);
    for (int i = 0; i < n; i++) {
        cJSON *units = cJSON_AddArrayToObject(cJSON_GetArrayItem(arr, i), "units");
        if (!(st = store_stmt(db, "SELECT unit, message_id FROM meeting_invitees WHERE"
                                  " meeting = ?1 AND (?2 IS NULL OR unit = ?2) ORDER BY seq")))
            goto err;
        sqlite3_bind_int64(st, 1, m[i].id);
        if (own)
            sqlite3_bind_text(st, 2, own, -1, SQLITE_STATIC);
        struct { char unit[40]; int64_t msg; } u[64];
        int nu = 0;
        while (nu < 64 && sqlite3_step(st) == SQLITE_ROW) {
            snprintf(u[nu].unit, sizeof u[nu].unit, "%s", col(st, 0));
            u[nu].msg = sqlite3_column_int64(st, 1);
            nu++;
        }
        store_done(st);
        for (int k = 0; k < nu; k++) {
            cJSON *o = cJSON_CreateObject();
            struct oblig_msg_state ms;
            int state;
            cJSON_AddItemToArray(units, o);
            cJSON_AddStringToObject(o, "unit", u[k].unit);
            if (oblig_message_state(db, u[k].msg, &ms) < 0 ||
                reply_of(db, m[i].id, u[k].unit, o, &state) < 0)
                goto err;
            cJSON_AddNumberToObject(o, "message", (double)u[k].msg);
            cJSON_AddBoolToObject(o, "sent", ms.sent_at > 0);
            cJSON_AddBoolToObject(o, "received", ms.acked_at > 0);
        }
    }
    return arr;
err:
    cJSON_Delete(arr);
    dberr(db, "meeting_invitees");
    return NULL;
}

int
notice_expire(store_t *db, int64_t now)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT i.obligation_id FROM meeting_invitees i JOIN"
                                      " meetings g ON g.id = i.meeting WHERE g.date < ?1"
                                      " AND g.date >= ?2");
    char today[LX_DATE_LEN], since[LX_DATE_LEN];
    int64_t ids[512];
    int n = 0, rc, closed = 0;

    if (!st)
        return dberr(db, "meeting_invitees");
    /* The meetings of the last 60 days: those before were expired then. */
    days_format(days_shanghai(now), today);
    days_format(days_shanghai(now) - 60, since);
    sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, since, -1, SQLITE_TRANSIENT);
    while (n < 512 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    store_done(st);
    for (int i = 0; i < n; i++) {
        if ((rc = oblig_supersede(db, ids[i], now)) < 0)
            return -1;
        closed += rc;
    }
    return closed;
}
