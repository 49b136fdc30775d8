/* attend.c — a unit's attendance reply to a meeting notice, from the
 * clerk's command to the outbox; the notice as the clerk prints it. */
#include "attend.h"
#include "canon.h"
#include "clerk.h"
#include "days.h"
#include "i18n.h"
#include "reasons.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t
attend_parse_meeting(const char *s)
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

/* The reply's content key: its encoding without revision and queue time,
 * so that the same answer again is not a new revision. */
static int
content_key(const Lianxi__Attendance *a, uint8_t out[32])
{
    Lianxi__Attendance c = *a;
    uint8_t buf[1024];
    long n;

    c.revision = 0;
    c.queued_at = 0;
    n = canon_attendance_encode(&c, buf, sizeof buf);
    if (n >= 0)
        crypto_generichash(out, 32, buf, (unsigned long long)n, NULL, 0);
    return n < 0 ? -1 : 0;
}

int
attend_queue(outbox_t *ob, const char *unit, const uint8_t sk[64], int64_t meeting, int attend,
             const char *attendee, int64_t now, uint32_t *revision, char *err, size_t errlen)
{
    Lianxi__Attendance a = LIANXI__ATTENDANCE__INIT;
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    struct ob_entry e = { 0 };
    struct reason why;
    char aid[96], code[32];
    uint8_t key[32], last[32], *payload = NULL;
    uint32_t latest = 0;
    long n;
    int rc = -1, has;

    snprintf(code, sizeof code, "M-%lld", (long long)meeting);
    snprintf(aid, sizeof aid, "%s:%s", unit, code);
    a.unit = (char *)unit;
    a.attendance_id = aid;
    a.meeting = (uint64_t)meeting;
    a.attend = attend != 0;
    a.attendee = (char *)(attendee ? attendee : "");
    a.queued_at = now;
    a.revision = 1;
    /* The hub's checks, here first: the clerk reads the same sentence. */
    if (validate_attendance_reason(unit, &a, now, &why) != LIANXI__REJECT_CODE__REJECT_NONE) {
        if (reasons_render(&why, err, errlen) < 0)
            snprintf(err, errlen, "%s", why.key);
        return -1;
    }
    if (content_key(&a, key) < 0 || (has = outbox_latest(ob, aid, &latest, last)) < 0) {
        snprintf(err, errlen, "%s", _("the outbox cannot be read"));
        return -1;
    }
    if (has && memcmp(key, last, sizeof key) == 0) {
        *revision = latest;
        return ATTEND_UNCHANGED;
    }
    a.revision = has ? latest + 1 : 1;
    if (canon_attendance_sign(&a, sk) < 0) {
        snprintf(err, errlen, "%s", _("the reply is too large to sign"));
        return -1;
    }
    env.body_case = LIANXI__ENVELOPE__BODY_ATTENDANCE;
    env.attendance = &a;
    if ((n = wire_pack(&env, &payload)) < 0) {
        snprintf(err, errlen, "%s", _("the reply is too large to send"));
        goto out;
    }
    e.filing_id = aid;
    e.revision = a.revision;
    e.case_ref = code;          /* M-N: not a receipt to reconcile (outbox.c) */
    e.stage = 0;
    e.content_key = key;
    e.payload = payload;
    e.len = (size_t)n;
    e.queued_at = now;
    if (outbox_insert(ob, &e) < 0) {
        snprintf(err, errlen, "%s", _("the outbox could not take it"));
        goto out;
    }
    *revision = a.revision;
    rc = ATTEND_QUEUED;
out:
    free(payload);
    free(a.signature.data);
    return rc;
}

static const char css[] =
    "@page { size: A4; margin: 25mm 20mm; }\n"
    "body { font-family: \"FangSong\", \"仿宋\", \"Noto Serif CJK SC\", serif; font-size: 16pt;"
    " line-height: 1.6; max-width: 170mm; margin: 2em auto; color: #000; }\n"
    "p { margin: 0.3em 0; }\n"
    ".indent { text-indent: 2em; }\n"
    "h1 { font-family: \"SimHei\", \"黑体\", \"Noto Sans CJK SC\", sans-serif; color: #c00;"
    " text-align: center; font-size: 26pt; letter-spacing: 0.2em; margin: 0.5em 0; }\n"
    "h2 { font-size: 18pt; text-align: center; font-weight: bold; }\n"
    ".rule { border-top: 2px solid #c00; margin: 0.5em 0 1.5em; }\n"
    "table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }\n"
    "th, td { border: 1px solid #000; padding: 0.2em 0.5em; text-align: left; }\n"
    "th { width: 9em; font-weight: normal; }\n"
    ".sign { text-align: right; margin-top: 1.5em; }\n"
    ".how { font-size: 11pt; border: 1px dashed #666; padding: 0.5em; margin-top: 2em; }\n"
    "@media print { .how { display: none; } body { margin: 0; } }\n";

/* One row of the notice's table: a heading and a value (escaped). */
static void
row(FILE *f, const char *th, const char *td)
{
    fputs("<tr><th>", f);
    clerk_html(f, th);
    fputs("</th><td>", f);
    clerk_html(f, td);
    fputs("</td></tr>\n", f);
}

char *
attend_notice_html(const Lianxi__HubMessage *m, const char *unit, const char *unit_name,
                   const char *received)
{
    char *text = NULL, when[20], code[32], no[24];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const char *agenda = m->agenda ? m->agenda : "";
    lx_day day;
    int y = 0, mo = 0, d = 0;

    if (!f)
        return NULL;
    days_time_format(m->created_at, when);
    snprintf(code, sizeof code, "M-%llu", (unsigned long long)m->meeting);
    snprintf(no, sizeof no, "%llu", (unsigned long long)m->id);
    /* The document is Chinese whatever the clerk's language: it is the
     * joint meeting's notice (会议通知). */
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
          "会议通知 ", f);
    clerk_html(f, m->title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
    fputs("<h1>", f);
    clerk_html(f, m->sender && *m->sender ? m->sender : "县干部监督工作联席会议办公室");
    fputs("</h1>\n<div class=\"rule\"></div>\n<h2>关于召开", f);
    clerk_html(f, m->title);
    fputs("的通知</h2>\n<p>", f);
    clerk_html(f, unit_name);
    fputs("：</p>\n<p class=\"indent\">", f);
    clerk_html(f, m->text);
    fputs("</p>\n<table>\n", f);
    if (m->meeting_date && days_parse(m->meeting_date, &day) == 0) {
        char date[64];
        static const char *const wd[] = { "日", "一", "二", "三", "四", "五", "六" };
        days_to_civil(day, &y, &mo, &d);
        snprintf(date, sizeof date, "%d年%d月%d日（星期%s）%s%s", y, mo, d,
                 wd[days_weekday(day) % 7], m->meeting_time && *m->meeting_time ? " " : "",
                 m->meeting_time ? m->meeting_time : "");
        row(f, "会议时间", date);
    }
    row(f, "会议地点", m->place && *m->place ? m->place : "另行通知");
    row(f, "参会人员", m->attendee);
    row(f, "回复期限", m->due_on);
    row(f, "会议编号", code);
    row(f, "义务编号", m->obligation_id);
    fputs("</table>\n", f);
    if (*agenda) {
        /* One paragraph an item, numbered as the convener wrote it. */
        fputs("<p>会议议程：</p>\n", f);
        while (*agenda) {
            size_t n = strcspn(agenda, "\n");
            char *item = strndup(agenda, n);
            if (item && *item) {
                fputs("<p class=\"indent\">", f);
                clerk_html(f, item);
                fputs("</p>\n", f);
            }
            free(item);
            agenda += n;
            agenda += *agenda == '\n';
        }
    }
    fputs("<p class=\"sign\">", f);
    clerk_html(f, m->sender && *m->sender ? m->sender : "县干部监督工作联席会议办公室");
    fputs("<br>", f);
    {
        /* 落款: the day it was sent, as a document dates it. */
        char sent[40];
        int sy, sm, sd;
        days_to_civil(days_shanghai(m->created_at), &sy, &sm, &sd);
        snprintf(sent, sizeof sent, "%d年%d月%d日", sy, sm, sd);
        clerk_html(f, sent);
    }
    fputs("</p>\n<div class=\"how\">回复方法：在报送程序所在的电脑上运行<br><code>", f);
    fprintf(f, "lianxi-adapter-");
    clerk_html(f, unit);
    fprintf(f, " -c adapter.conf attend %s yes \"姓名，职务\"</code>（出席）或<br><code>"
            "lianxi-adapter-", code);
    clerk_html(f, unit);
    fprintf(f, " -c adapter.conf attend %s no</code>（不出席）。改变答复时再运行一次即可。<br>"
            "发出时间：", code);
    clerk_html(f, when);
    fputs("　收到时间：", f);
    clerk_html(f, received);
    fputs("　消息编号：", f);
    clerk_html(f, no);
    fputs("</div>\n</body>\n</html>\n", f);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    /* From the hub, perhaps not UTF-8: mended. */
    text_utf8_fix(text);
    return text;
}
