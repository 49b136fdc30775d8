/* reply.c — OpReply to JSON: codes and their names, hashes in hex. */
#include "reply.h"
#include "attachment.h"
#include "i18n.h"
#include "opreply.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* Adds s as a string ("" for NULL). */
static void
add_str(cJSON *o, const char *key, const char *s)
{
    cJSON_AddStringToObject(o, key, s ? s : "");
}

static void
add_hex(cJSON *o, const char *key, const ProtobufCBinaryData *b)
{
    char *hex = malloc(2 * b->len + 1);

    if (!hex)
        return;
    text_hex(hex, b->data, b->len);
    cJSON_AddStringToObject(o, key, hex);
    free(hex);
}

static const char *
stage_word(int s)
{
    static const char *const w[] = { "", "notice", "report", "supplement" };
    return s >= 0 && s <= 3 ? w[s] : "";
}

static const char *
scope_word(int s)
{
    static const char *const w[] = { "", "public", "organs", "leadership", "specific",
                                     "classified" };
    return s >= 0 && s <= 5 ? w[s] : "";
}

/* A rank's word (the proto's name) and its name for people (the same
 * messages as the lianxi command's). */
static const char *
rank_word(int r)
{
    static const char *const w[] = { "", "clerk", "deputy_section", "section", "deputy_division",
                                     "division", "bureau" };
    return r >= 0 && r <= 6 ? w[r] : "";
}

static const char *
rank_name(int r)
{
    static const char *const n[] = { N_("clerk or below"), N_("deputy section level"),
                                     N_("section level"), N_("deputy division level"),
                                     N_("division level"), N_("deputy bureau level or above") };
    return r >= 1 && r <= 6 ? _(n[r - 1]) : "";
}

static cJSON *
filing_json(const Lianxi__FilingRecord *r, const categories_t *cats)
{
    cJSON *o = cJSON_CreateObject(), *c = cJSON_CreateObject();
    const Lianxi__Cadre *cd = r->cadre;

    add_str(o, "receipt_no", r->receipt_no);
    add_str(o, "unit", r->unit);
    add_str(o, "unit_name", units_name(r->unit ? r->unit : ""));
    add_str(o, "filing_id", r->filing_id);
    cJSON_AddNumberToObject(o, "revision", r->revision);
    add_str(o, "stage", stage_word(r->stage));
    add_str(o, "category", r->category);
    add_str(o, "category_name", categories_name(cats, r->category ? r->category : ""));
    add_str(c, "name", cd ? cd->name : "");
    add_str(c, "id_number", cd ? cd->id_number : "");
    add_str(c, "work_unit", cd ? cd->work_unit : "");
    add_str(c, "post", cd ? cd->post : "");
    add_str(c, "rank", rank_word(cd ? cd->rank : 0));
    add_str(c, "rank_name", rank_name(cd ? cd->rank : 0));
    cJSON_AddItemToObject(o, "cadre", c);
    add_str(o, "learned_on", r->learned_on);
    add_str(o, "summary", r->summary);
    add_str(o, "scope", scope_word(r->scope));
    add_str(o, "case_ref", r->case_ref);
    cJSON_AddNumberToObject(o, "received_at", (double)r->received_at);
    add_str(o, "due_on", r->due_on);
    cJSON_AddBoolToObject(o, "on_time", r->on_time);
    cJSON_AddNumberToObject(o, "late_days", r->late_days);
    add_str(o, "answers", r->answers);
    cJSON_AddNumberToObject(o, "judged_at", (double)r->judged_at);
    add_str(o, "review_state", r->review_state);
    /* The documents it carries: name, type, size, hash; each downloaded
     * from /api/attachment?receipt=…&n=… (API.md). */
    cJSON *arr = cJSON_AddArrayToObject(o, "attachments");
    for (size_t i = 0; arr && i < r->n_attachments; i++) {
        const Lianxi__Attachment *a = r->attachments[i];
        cJSON *x = cJSON_CreateObject();
        char hex[ATT_HEXLEN + 1] = "";
        if (a->hash.len == ATT_HASHLEN)
            att_hex(a->hash.data, hex);
        cJSON_AddNumberToObject(x, "n", (double)(i + 1));
        add_str(x, "name", a->name);
        add_str(x, "media_type", a->media_type);
        add_str(x, "type_name", att_type_label(a->media_type));
        cJSON_AddNumberToObject(x, "size", (double)a->size);
        add_str(x, "blake2b", hex);
        cJSON_AddItemToArray(arr, x);
    }
    return o;
}

static cJSON *
review_json(const Lianxi__ReviewRecord *r)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "at", (double)r->at);
    add_str(o, "actor", r->actor);
    add_str(o, "action", r->action);
    add_str(o, "text", r->text);
    add_str(o, "obligation", r->obligation);
    add_str(o, "receipt_no", r->receipt_no);
    /* A supplement request: when it is due and what became of it. */
    add_str(o, "due_on", r->due_on);
    add_str(o, "state", r->state);
    cJSON_AddNumberToObject(o, "overdue_days", r->overdue_days);
    cJSON_AddNumberToObject(o, "answered_at", (double)r->answered_at);
    add_str(o, "answered_by", r->answered_by);
    return o;
}

static cJSON *
entry_json(const Lianxi__AuditEntry *e)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "seq", (double)e->seq);
    cJSON_AddNumberToObject(o, "at", (double)e->at);
    add_str(o, "actor", e->actor);
    add_str(o, "action", e->action);
    add_str(o, "object", e->object);
    add_str(o, "detail", e->detail);
    add_hex(o, "hash", &e->hash);
    return o;
}

/* The hub's text as JSON when it is a JSON object or array (overdue with
 * json, whoami), the meeting list's lines as objects; else NULL. */
static cJSON *
text_data(const char *command, const char *text)
{
    const char *end = NULL;
    cJSON *j;

    if (!text || !*text)
        return NULL;
    if ((j = cJSON_ParseWithOpts(text, &end, 1)) != NULL) {
        if (cJSON_IsObject(j) || cJSON_IsArray(j))
            return j;
        cJSON_Delete(j);
    }
    if (strcmp(command, "meeting-list") == 0 || strcmp(command, "meeting-show") == 0)
        return opreply_meetings(text);
    return NULL;
}

/* Names beside the codes in the hub's JSON (the board keeps codes): each
 * object with a "unit" or "category" string gets "unit_name" or
 * "category_name", at any depth. */
static void
name_codes(cJSON *j, const categories_t *cats, int depth)
{
    cJSON *item, *v;

    if (!j || depth > 8)
        return;
    if (cJSON_IsObject(j)) {
        if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(j, "unit")) &&
            !cJSON_GetObjectItemCaseSensitive(j, "unit_name") && units_find(v->valuestring))
            add_str(j, "unit_name", units_name(v->valuestring));
        if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(j, "category")) &&
            !cJSON_GetObjectItemCaseSensitive(j, "category_name") && cats &&
            categories_find(cats, v->valuestring))
            add_str(j, "category_name", categories_name(cats, v->valuestring));
    }
    cJSON_ArrayForEach(item, j)
        if (cJSON_IsObject(item) || cJSON_IsArray(item))
            name_codes(item, cats, depth + 1);
}

int
reply_status(const Lianxi__OpReply *r, const char **kind)
{
    if (r->ok) {
        *kind = "";
        return 200;
    }
    switch (r->error_kind) {
    case LIANXI__OP_ERROR__OP_ERROR_USAGE: *kind = "usage"; return 400;
    case LIANXI__OP_ERROR__OP_ERROR_PERMISSION: *kind = "permission"; return 403;
    case LIANXI__OP_ERROR__OP_ERROR_NOT_FOUND: *kind = "not_found"; return 404;
    case LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE: *kind = "unavailable"; return 503;
    case LIANXI__OP_ERROR__OP_ERROR_DATA: *kind = "data"; return 422;
    default: *kind = "hub"; return 502;
    }
}

/* j as one line (freed), valid UTF-8 whatever bytes the hub's texts held:
 * cJSON copies bytes as they are, and a byte that is not UTF-8 can only be
 * inside a string, where '?' replaces it. */
static char *
print(cJSON *j)
{
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;

    cJSON_Delete(j);
    if (s && !text_utf8_valid(s, strlen(s)))
        text_utf8_fix(s);
    return s;
}

char *
reply_refusal(const char *command, const char *kind, const char *error)
{
    cJSON *j = cJSON_CreateObject();

    cJSON_AddBoolToObject(j, "ok", 0);
    add_str(j, "error", error);
    add_str(j, "kind", kind);
    if (command)
        add_str(j, "command", command);
    return print(j);
}

char *
reply_json(const Lianxi__OpReply *r, const char *command, const char *offset,
           const categories_t *cats)
{
    cJSON *j, *arr, *data, *item;
    const char *kind;

    if (!r->ok) {
        reply_status(r, &kind);
        return reply_refusal(command, kind, r->error && *r->error ? r->error
                             : _("the hub refused the request without saying why"));
    }
    if (!(j = cJSON_CreateObject()))
        return NULL;
    cJSON_AddBoolToObject(j, "ok", 1);
    add_str(j, "command", command);
    cJSON_AddNumberToObject(j, "count", (double)r->count);
    if (offset)
        cJSON_AddNumberToObject(j, "offset", atof(offset));
    arr = cJSON_AddArrayToObject(j, "filings");
    for (size_t i = 0; i < r->n_filings; i++)
        cJSON_AddItemToArray(arr, filing_json(r->filings[i], cats));
    arr = cJSON_AddArrayToObject(j, "reviews");
    for (size_t i = 0; i < r->n_reviews; i++)
        cJSON_AddItemToArray(arr, review_json(r->reviews[i]));
    arr = cJSON_AddArrayToObject(j, "entries");
    for (size_t i = 0; i < r->n_entries; i++)
        cJSON_AddItemToArray(arr, entry_json(r->entries[i]));
    if ((data = text_data(command, r->text))) {
        /* whoami's fields stand at the top: {ok, name, role, unit, unit_name}. */
        if (strcmp(command, "whoami") == 0 && cJSON_IsObject(data)) {
            cJSON_ArrayForEach(item, data)
                if (!cJSON_GetObjectItem(j, item->string))
                    cJSON_AddItemToObject(j, item->string, cJSON_Duplicate(item, 1));
        }
        name_codes(data, cats, 0);
        cJSON_AddItemToObject(j, "data", data);
    } else if (r->text && *r->text) {
        add_str(j, "text", r->text);
    }
    if (strcmp(command, "audit-verify") == 0)
        cJSON_AddNumberToObject(j, "first_bad", (double)r->first_bad);
    if (r->checkpoint) {
        cJSON *c = cJSON_AddObjectToObject(j, "checkpoint");
        cJSON_AddNumberToObject(c, "seq", (double)r->checkpoint->seq);
        add_hex(c, "head", &r->checkpoint->head);
        add_hex(c, "signature", &r->checkpoint->signature);
        cJSON_AddNumberToObject(c, "at", (double)r->checkpoint->at);
    }
    return print(j);
}
