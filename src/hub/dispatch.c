/* dispatch.c — briefing copies, recalls and circulars to the units in the
 * hub's database: dispatches, dispatch_documents. */
#include "dispatch.h"
#include "days.h"
#include "log.h"
#include "oblig.h"

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

int64_t
dispatch_add(store_t *db, const char *unit, const struct dispatch_msg *m, const char *actor,
             int64_t now)
{
    int64_t id = oblig_add_message(db, unit, m->kind, m->text, now);
    sqlite3_stmt *st;
    int rc;

    if (id < 0)
        return -1;
    if (!(st = store_stmt(db, "INSERT INTO dispatches(message_id, unit, kind, meeting, copy_no,"
                              " title, text, recall_after, recalls, circular, sent_by, created_at)"
                              " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)")))
        return dberr(db, "dispatches");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, m->kind);
    sqlite3_bind_int64(st, 4, m->meeting);
    sqlite3_bind_int(st, 5, m->copy_no);
    sqlite3_bind_text(st, 6, m->title ? m->title : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, m->text ? m->text : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, m->recall_after);
    sqlite3_bind_int64(st, 9, m->recalls);
    sqlite3_bind_int64(st, 10, m->circular);
    sqlite3_bind_text(st, 11, actor, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 12, now);
    rc = sqlite3_step(st);
    store_done(st);
    if (rc != SQLITE_DONE)
        return dberr(db, "storing a dispatch");
    for (size_t i = 0; i < m->ndocs; i++) {
        if (!(st = store_stmt(db, "INSERT INTO dispatch_documents(message_id, seq, name,"
                                  " media_type, size, hash) VALUES (?1,?2,?3,?4,?5,?6)")))
            return dberr(db, "dispatch_documents");
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        sqlite3_bind_text(st, 3, m->docs[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, m->docs[i].media, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, (int64_t)m->docs[i].size);
        sqlite3_bind_blob(st, 6, m->docs[i].hash, ATT_HASHLEN, SQLITE_STATIC);
        rc = sqlite3_step(st);
        store_done(st);
        if (rc != SQLITE_DONE)
            return dberr(db, "dispatch_documents");
    }
    return id;
}

void
dispatch_fill_free(struct dispatch_buf *buf)
{
    free(buf->title);
    for (size_t i = 0; i < buf->n; i++) {
        free(buf->names[i]);
        free(buf->media[i]);
    }
    memset(buf, 0, sizeof *buf);
}

int
dispatch_fill(store_t *db, Lianxi__HubMessage *hm, struct dispatch_buf *buf)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT meeting, copy_no, title, recall_after, recalls"
                                      " FROM dispatches WHERE message_id = ?1");
    int rc;

    memset(buf, 0, sizeof *buf);
    if (!st)
        return dberr(db, "dispatches");
    sqlite3_bind_int64(st, 1, (int64_t)hm->id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        hm->meeting = (uint64_t)sqlite3_column_int64(st, 0);
        hm->copy_no = (uint32_t)sqlite3_column_int(st, 1);
        buf->title = strdup(col(st, 2));
        hm->title = buf->title ? buf->title : "";
        hm->recall_after = sqlite3_column_int(st, 3) != 0;
        hm->recalls = (uint64_t)sqlite3_column_int64(st, 4);
    }
    store_done(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return dberr(db, "dispatches");
    if (!(st = store_stmt(db, "SELECT name, media_type, size, hash FROM dispatch_documents"
                              " WHERE message_id = ?1 ORDER BY seq")))
        return dberr(db, "dispatch_documents");
    sqlite3_bind_int64(st, 1, (int64_t)hm->id);
    while (buf->n < DISPATCH_MAX_DOCS && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t i = buf->n++;
        Lianxi__Attachment *a = &buf->docs[i];
        lianxi__attachment__init(a);
        buf->names[i] = strdup(col(st, 0));
        buf->media[i] = strdup(col(st, 1));
        a->name = buf->names[i] ? buf->names[i] : "";
        a->media_type = buf->media[i] ? buf->media[i] : "";
        a->size = (uint64_t)sqlite3_column_int64(st, 2);
        if (sqlite3_column_bytes(st, 3) == ATT_HASHLEN)
            memcpy(buf->hashes[i], sqlite3_column_blob(st, 3), ATT_HASHLEN);
        a->hash.data = buf->hashes[i];
        a->hash.len = ATT_HASHLEN;
        buf->ptrs[i] = a;
    }
    store_done(st);
    /* A message is never sent short of a document it names. */
    if (buf->n < DISPATCH_MAX_DOCS && rc != SQLITE_DONE) {
        dispatch_fill_free(buf);
        return dberr(db, "dispatch_documents");
    }
    hm->documents = buf->ptrs;
    hm->n_documents = buf->n;
    return 0;
}

int
dispatch_may_fetch(store_t *db, const char *unit, const uint8_t hash[ATT_HASHLEN],
                   uint64_t *size)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT d.size FROM dispatch_documents d JOIN dispatches m"
                                      " ON m.message_id = d.message_id WHERE d.hash = ?1 AND"
                                      " m.unit = ?2 AND NOT EXISTS (SELECT 1 FROM dispatches r"
                                      " JOIN hub_messages h ON h.id = r.message_id WHERE"
                                      " r.kind = 7 AND r.recalls = m.message_id AND"
                                      " h.acked_at IS NOT NULL) LIMIT 1");
    int rc;

    if (!st)
        return dberr(db, "dispatch_documents");
    sqlite3_bind_blob(st, 1, hash, ATT_HASHLEN, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *size = (uint64_t)sqlite3_column_int64(st, 0);
    store_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : dberr(db, "dispatch_documents");
}

int
dispatch_briefing_copies(store_t *db, int64_t meeting)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT count(*) FROM dispatches WHERE meeting = ?1 AND"
                                      " kind = 5");
    int rc, n = 0;

    if (!st)
        return dberr(db, "dispatches");
    sqlite3_bind_int64(st, 1, meeting);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    store_done(st);
    return rc == SQLITE_ROW ? n : dberr(db, "dispatches");
}

int
dispatch_recall(store_t *db, int64_t meeting, const char *actor, int64_t now)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT b.message_id, b.unit, b.copy_no, b.title FROM"
                                      " dispatches b WHERE b.meeting = ?1 AND b.kind = 5 AND"
                                      " NOT EXISTS (SELECT 1 FROM dispatches r WHERE r.kind = 7"
                                      " AND r.recalls = b.message_id) ORDER BY b.copy_no");
    struct { int64_t id; char unit[40]; int copy; char title[256]; } c[64];
    int n = 0, rc;

    if (!st)
        return dberr(db, "dispatches");
    sqlite3_bind_int64(st, 1, meeting);
    while (n < 64 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        c[n].id = sqlite3_column_int64(st, 0);
        snprintf(c[n].unit, sizeof c[n].unit, "%s", col(st, 1));
        c[n].copy = sqlite3_column_int(st, 2);
        snprintf(c[n].title, sizeof c[n].title, "%s", col(st, 3));
        n++;
    }
    store_done(st);
    /* Every copy or none: a read cut short is not a recall of some. */
    if (n < 64 && rc != SQLITE_DONE)
        return dberr(db, "dispatches");
    for (int i = 0; i < n; i++) {
        char text[512];
        struct dispatch_msg m = { .kind = LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_RECALL,
                                  .meeting = meeting, .copy_no = c[i].copy, .recalls = c[i].id,
                                  .title = c[i].title, .text = text };
        snprintf(text, sizeof text, "会后收回：%s 第 %06d 份（消息编号 %lld）按规定会后收回，"
                 "报送程序已删除本机保存的文件。", c[i].title, c[i].copy, (long long)c[i].id);
        if (dispatch_add(db, c[i].unit, &m, actor, now) < 0)
            return -1;
    }
    return n;
}

/* Adds a message's state ({message, sent, received, received_at}) to o.
 * Returns 0, or -1. */
static int
state_of(store_t *db, int64_t id, cJSON *o, const char *received)
{
    struct oblig_msg_state ms;
    char when[20];

    if (oblig_message_state(db, id, &ms) < 0)
        return -1;
    cJSON_AddNumberToObject(o, "message", (double)id);
    cJSON_AddBoolToObject(o, "sent", ms.sent_at > 0);
    cJSON_AddBoolToObject(o, received, ms.acked_at > 0);
    if (ms.acked_at > 0) {
        char key[40];
        days_time_format(ms.acked_at, when);
        snprintf(key, sizeof key, "%s_at", received);
        cJSON_AddStringToObject(o, key, when);
    }
    return 0;
}

/* The documents of message id as a JSON array. */
static cJSON *
docs_of(store_t *db, int64_t id)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT name, size, hash FROM dispatch_documents WHERE"
                                      " message_id = ?1 ORDER BY seq");
    cJSON *arr = cJSON_CreateArray();

    if (!st || !arr) {
        cJSON_Delete(arr);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *d = cJSON_CreateObject();
        char hex[ATT_HEXLEN + 1] = "";
        if (sqlite3_column_bytes(st, 2) == ATT_HASHLEN)
            att_hex(sqlite3_column_blob(st, 2), hex);
        cJSON_AddStringToObject(d, "name", col(st, 0));
        cJSON_AddNumberToObject(d, "size", (double)sqlite3_column_int64(st, 1));
        cJSON_AddStringToObject(d, "hash", hex);
        cJSON_AddItemToArray(arr, d);
    }
    store_done(st);
    return arr;
}

cJSON *
dispatch_copies(store_t *db, int64_t meeting)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT b.message_id, b.unit, b.copy_no, b.recall_after,"
                                      " coalesce((SELECT r.message_id FROM dispatches r WHERE"
                                      " r.kind = 7 AND r.recalls = b.message_id), 0)"
                                      " FROM dispatches b WHERE b.meeting = ?1 AND b.kind = 5"
                                      " ORDER BY b.copy_no");
    struct { int64_t id, recall; char unit[40]; int copy, after; } c[64];
    cJSON *arr = cJSON_CreateArray();
    int n = 0, rc;

    if (!st || !arr) {
        cJSON_Delete(arr);
        dberr(db, "dispatches");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, meeting);
    while (n < 64 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        c[n].id = sqlite3_column_int64(st, 0);
        snprintf(c[n].unit, sizeof c[n].unit, "%s", col(st, 1));
        c[n].copy = sqlite3_column_int(st, 2);
        c[n].after = sqlite3_column_int(st, 3);
        c[n].recall = sqlite3_column_int64(st, 4);
        n++;
    }
    store_done(st);
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject(), *d;
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "unit", c[i].unit);
        cJSON_AddNumberToObject(o, "copy_no", c[i].copy);
        cJSON_AddBoolToObject(o, "recall_after", c[i].after);
        if (state_of(db, c[i].id, o, "received") < 0 || !(d = docs_of(db, c[i].id)))
            goto err;
        cJSON_AddItemToObject(o, "documents", d);
        if (c[i].recall) {
            cJSON *r = cJSON_AddObjectToObject(o, "recall");
            if (state_of(db, c[i].recall, r, "confirmed") < 0)
                goto err;
        } else {
            cJSON_AddNullToObject(o, "recall");
        }
    }
    return arr;
err:
    cJSON_Delete(arr);
    dberr(db, "dispatches");
    return NULL;
}

int64_t
dispatch_next_circular(store_t *db)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT coalesce(max(circular), 0) + 1 FROM dispatches");
    int64_t n = -1;

    if (!st)
        return dberr(db, "dispatches");
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    store_done(st);
    return n;
}

cJSON *
dispatch_list(store_t *db, const char *own)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT message_id, unit, kind, meeting, copy_no, title,"
                                      " text, circular, sent_by, created_at FROM dispatches"
                                      " WHERE (kind = 6 OR (?1 IS NOT NULL AND kind = 5))"
                                      " AND (?1 IS NULL OR unit = ?1)"
                                      " ORDER BY created_at DESC, message_id DESC LIMIT 1000");
    struct row { int64_t id, meeting, circular, at; int kind, copy; char unit[40];
                 char *title, *text, *by; } *r = NULL;
    cJSON *arr = cJSON_CreateArray(), *cur = NULL;
    int n = 0, cap = 0, rc;
    int64_t last = -1;

    if (!st || !arr) {
        cJSON_Delete(arr);
        dberr(db, "dispatches");
        return NULL;
    }
    if (own)
        sqlite3_bind_text(st, 1, own, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            struct row *nr = realloc(r, (size_t)(cap = cap ? 2 * cap : 32) * sizeof *r);
            if (!nr)
                break;
            r = nr;
        }
        r[n].id = sqlite3_column_int64(st, 0);
        snprintf(r[n].unit, sizeof r[n].unit, "%s", col(st, 1));
        r[n].kind = sqlite3_column_int(st, 2);
        r[n].meeting = sqlite3_column_int64(st, 3);
        r[n].copy = sqlite3_column_int(st, 4);
        r[n].title = strdup(col(st, 5));
        r[n].text = strdup(col(st, 6));
        r[n].circular = sqlite3_column_int64(st, 7);
        r[n].by = strdup(col(st, 8));
        r[n].at = sqlite3_column_int64(st, 9);
        n++;
    }
    store_done(st);
    for (int i = 0; i < n; i++) {
        char when[20];
        /* A circular: one entry, its units each with their state; a
         * briefing copy: an entry of its own. */
        if (r[i].kind != 6 || r[i].circular != last) {
            cur = cJSON_CreateObject();
            cJSON_AddItemToArray(arr, cur);
            cJSON_AddStringToObject(cur, "kind", r[i].kind == 6 ? "circular" : "briefing");
            if (r[i].kind == 6)
                cJSON_AddNumberToObject(cur, "circular", (double)r[i].circular);
            else {
                cJSON_AddNumberToObject(cur, "meeting", (double)r[i].meeting);
                cJSON_AddNumberToObject(cur, "copy_no", r[i].copy);
            }
            cJSON_AddStringToObject(cur, "title", r[i].title ? r[i].title : "");
            cJSON_AddStringToObject(cur, "text", r[i].text ? r[i].text : "");
            cJSON_AddStringToObject(cur, "sent_by", r[i].by ? r[i].by : "");
            days_time_format(r[i].at, when);
            cJSON_AddStringToObject(cur, "created_at", when);
            cJSON_AddItemToObject(cur, "documents", docs_of(db, r[i].id));
            cJSON_AddArrayToObject(cur, "units");
            last = r[i].kind == 6 ? r[i].circular : -1;
        }
        {
            cJSON *u = cJSON_CreateObject();
            cJSON_AddItemToArray(cJSON_GetObjectItem(cur, "units"), u);
            cJSON_AddStringToObject(u, "unit", r[i].unit);
            state_of(db, r[i].id, u, "received");
        }
    }
    for (int i = 0; i < n; i++) {
        free(r[i].title);
        free(r[i].text);
        free(r[i].by);
    }
    free(r);
    return arr;
}
