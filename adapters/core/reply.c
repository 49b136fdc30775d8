/* reply.c — a unit's opinion on a joint review, from the clerk's table to
 * the outbox; the review's request as the clerk reads it. */
#include "reply.h"
#include "canon.h"
#include "days.h"
#include "i18n.h"
#include "reasons.h"
#include "tablein.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLY_MAX_ROWS 500

int
reply_file_review(const char *path, char *review, size_t len)
{
    const char *base = strrchr(path, '/');
    size_t n;

    base = base ? base + 1 : path;
    if (strncmp(base, "REQ-", 4) != 0 || base[4] < '1' || base[4] > '9')
        return 0;
    n = 4 + strspn(base + 4, "0123456789");
    if (n >= len)
        return 0;
    memcpy(review, base, n);
    review[n] = '\0';
    return 1;
}

struct rows {
    Lianxi__OpinionItem items[REPLY_MAX_ROWS], *ptrs[REPLY_MAX_ROWS];
    char *strs[REPLY_MAX_ROWS][3];
    size_t n;
    char err[512];
};

/* A cell as the opinion carries it: trimmed of spaces at both ends. */
static char *
cell(const struct textin_row *row, size_t i)
{
    const char *s = i < row->n ? row->fields[i] : "";
    size_t len;

    while (*s == ' ')
        s++;
    len = strlen(s);
    while (len && s[len - 1] == ' ')
        len--;
    return strndup(s, len);
}

static int
take_row(void *arg, const struct textin_row *row)
{
    struct rows *r = arg;
    Lianxi__OpinionItem *it;
    char *answer;
    int a;

    if (*r->err)
        return -1;
    /* A header row (身份证号, 意见, …) has no digit where the number goes. */
    if (r->n == 0 && row->n && !strpbrk(row->fields[0], "0123456789"))
        return 0;
    if (r->n == REPLY_MAX_ROWS) {
        snprintf(r->err, sizeof r->err, _("more than %d rows: one row per candidate"),
                 REPLY_MAX_ROWS);
        return -1;
    }
    it = &r->items[r->n];
    lianxi__opinion_item__init(it);
    r->ptrs[r->n] = it;
    answer = cell(row, 1);
    r->strs[r->n][0] = it->id_number = cell(row, 0);
    r->strs[r->n][1] = it->text = cell(row, 2);
    r->strs[r->n][2] = it->expected_on = cell(row, 3);
    r->n++;
    if (!answer || !it->id_number || !it->text || !it->expected_on) {
        free(answer);
        snprintf(r->err, sizeof r->err, "%s", _("out of memory"));
        return -1;
    }
    a = validate_answer_parse(answer);
    if (!a) {
        snprintf(r->err, sizeof r->err, _("line %ld: the answer '%.40s' is none of 无, 有, "
                 "核查中"), row->line, answer);
        text_utf8_fix(r->err);
    }
    free(answer);
    it->answer = a;
    /* An expected date belongs to 核查中 only. */
    if (a != LIANXI__OPINION_ANSWER__OPINION_CHECKING)
        it->expected_on[0] = '\0';
    return *r->err ? -1 : 0;
}

static void
bad_row(void *arg, long line, const char *why)
{
    struct rows *r = arg;
    if (!*r->err)
        snprintf(r->err, sizeof r->err, _("line %ld: %s"), line, why);
}

/* The opinion's content key: its encoding without revision and queue
 * time, so that the same answers again are not a new revision. */
static int
content_key(const Lianxi__Opinion *o, uint8_t out[32])
{
    Lianxi__Opinion c = *o;
    uint8_t *buf = malloc(CANON_MAX);
    long n;

    if (!buf)
        return -1;
    c.revision = 0;
    c.queued_at = 0;
    n = canon_opinion_encode(&c, buf, CANON_MAX);
    if (n >= 0)
        crypto_generichash(out, 32, buf, (unsigned long long)n, NULL, 0);
    free(buf);
    return n < 0 ? -1 : 0;
}

int
reply_queue(outbox_t *ob, const char *unit, const uint8_t sk[64], const char *review,
            const char *path, Lianxi__Attachment *const *att, size_t natt, int64_t now,
            uint32_t *revision, char *err, size_t errlen)
{
    struct rows *r = calloc(1, sizeof *r);
    Lianxi__Opinion o = LIANXI__OPINION__INIT;
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    struct ob_entry e = { 0 };
    struct reason why;
    char oid[96], rerr[512] = "";
    uint8_t key[32], last[32], *payload = NULL;
    uint32_t latest = 0;
    long n;
    int rc = -1, has;

    if (!r) {
        snprintf(err, errlen, "%s", _("out of memory"));
        return -1;
    }
    snprintf(oid, sizeof oid, "%s:%s", unit, review);
    if (tablein_read(path, take_row, bad_row, r, rerr, sizeof rerr) < 0 || *r->err) {
        snprintf(err, errlen, "%s", *r->err ? r->err : rerr);
        goto out;
    }
    o.unit = (char *)unit;
    o.opinion_id = oid;
    o.review_id = (char *)review;
    o.items = r->ptrs;
    o.n_items = r->n;
    o.queued_at = now;
    o.revision = 1;
    /* Its documents (checked and copied by the caller), signed with it
     * ("lianxi-opinion-v2") and part of its content key. */
    o.attachments = (Lianxi__Attachment **)att;
    o.n_attachments = natt;
    /* The hub's checks, here first: the clerk reads the same sentence. */
    if (validate_opinion_reason(unit, &o, now, &why) != LIANXI__REJECT_CODE__REJECT_NONE) {
        if (reasons_render(&why, err, errlen) < 0)
            snprintf(err, errlen, "%s", why.key);
        goto out;
    }
    if (content_key(&o, key) < 0 || (has = outbox_latest(ob, oid, &latest, last)) < 0) {
        snprintf(err, errlen, "%s", _("the outbox cannot be read"));
        goto out;
    }
    if (has && memcmp(key, last, sizeof key) == 0) {
        *revision = latest;
        rc = REPLY_UNCHANGED;
        goto out;
    }
    o.revision = has ? latest + 1 : 1;
    if (canon_opinion_sign(&o, sk) < 0) {
        snprintf(err, errlen, "%s", _("the opinion is too large to sign"));
        goto out;
    }
    env.body_case = LIANXI__ENVELOPE__BODY_OPINION;
    env.opinion = &o;
    if ((n = wire_pack(&env, &payload)) < 0) {
        snprintf(err, errlen, "%s", _("the opinion is too large to send"));
        goto out;
    }
    e.filing_id = oid;
    e.revision = o.revision;
    e.case_ref = review;
    e.stage = 0;
    e.content_key = key;
    e.payload = payload;
    e.len = (size_t)n;
    e.queued_at = now;
    if (outbox_insert(ob, &e) < 0) {
        snprintf(err, errlen, "%s", _("the outbox could not take it"));
        goto out;
    }
    *revision = o.revision;
    rc = REPLY_QUEUED;
out:
    free(payload);
    free(o.signature.data);
    for (size_t i = 0; i < r->n; i++)
        for (int k = 0; k < 3; k++)
            free(r->strs[i][k]);
    free(r);
    return rc;
}

char *
reply_request_text(const Lianxi__HubMessage *m, const char *unit, const char *received)
{
    char *text = NULL, when[20];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    if (!f)
        return NULL;
    days_time_format(m->created_at, when);
    /* The document is Chinese whatever the clerk's language: it is the
     * organization department's letter (征求意见函). */
    fprintf(f, "干部监督联席会议 · lianxi\n任前联审征求意见函\n\n");
    fprintf(f, "联审编号：%s\n名称：%s\n义务编号：%s\n答复期限：%s 前\n发出时间：%s\n"
            "收到时间：%s\n消息编号：%llu\n\n", m->review_id, m->title ? m->title : "",
            m->obligation_id ? m->obligation_id : "", m->due_on ? m->due_on : "", when,
            received, (unsigned long long)m->id);
    fprintf(f, "县委组织部干部监督组就下列拟任人员征求贵单位意见，请逐人答复：\n"
            "  无 —— 本单位无该人员的相关记录；\n"
            "  有 —— 写明本单位掌握的情况；\n"
            "  核查中 —— 正在核查，写明预计答复日期（YYYY-MM-DD）。\n"
            "未答复的人员在汇总表中显示为“未答复”，不视为“无”。\n\n");
    fprintf(f, "序号  姓名  公民身份号码  工作单位  现任职务  拟任职务\n");
    for (size_t i = 0; i < m->n_candidates; i++) {
        const Lianxi__ReviewCandidate *c = m->candidates[i];
        fprintf(f, "%zu  %s  %s  %s  %s  %s\n", i + 1, c->name, c->id_number, c->work_unit,
                c->post, c->proposed_post);
    }
    fprintf(f, "\n答复方法：填写一张表（CSV 或 Excel），每名人员一行：公民身份号码、意见（无/有/核查中）、"
            "情况说明、预计答复日期（仅核查中填写），然后运行\n"
            "  lianxi-adapter-%s -c adapter.conf reply %s 文件\n"
            "或把文件命名为 %s.csv（或 %s-说明.xlsx）放入 drop/ 文件夹。"
            "修改已报送的意见：改好整张表再次报送即可（作为新的修订版本）。\n",
            unit, m->review_id, m->review_id, m->review_id);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    /* From the hub, perhaps cut: mended. */
    text_utf8_fix(text);
    return text;
}
