/* reviewdoc.c — the 联审意见汇总表 of a joint review. */
#include "reviewdoc.h"
#include "categories.h"
#include "days.h"
#include "doc.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static int
jint(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* The answer in words (无, 有：text, 核查中（预计 date 答复）, 未答复). */
static void
answer_words(const cJSON *a, char *out, size_t len)
{
    const char *ans = jstr(a, "answer");

    if (strcmp(ans, "holds") == 0)
        snprintf(out, len, "有：%s", jstr(a, "text"));
    else if (strcmp(ans, "checking") == 0)
        snprintf(out, len, "核查中（预计 %s 答复）%s%s", jstr(a, "expected_on"),
                 *jstr(a, "text") ? "：" : "", jstr(a, "text"));
    else
        snprintf(out, len, "%s", jstr(a, "answer_zh"));
}

/* When and how timely: "2026-09-02 按时", "2026-09-07 逾期 1 个工作日",
 * "逾期 2 个工作日未答复". */
static void
when_words(const cJSON *a, char *out, size_t len)
{
    if (strcmp(jstr(a, "answer"), "unanswered") == 0) {
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "overdue")))
            snprintf(out, len, "已逾期 %d 个工作日", jint(a, "overdue_days"));
        else
            snprintf(out, len, "尚未到期");
        return;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "on_time")))
        snprintf(out, len, "%.10s 按时", jstr(a, "answered_at"));
    else
        snprintf(out, len, "%.10s 逾期 %d 个工作日", jstr(a, "answered_at"),
                 jint(a, "late_days"));
    if (*jstr(a, "revised_at")) {
        size_t n = strlen(out);
        snprintf(out + n, len - n, "（%.10s 修改）", jstr(a, "revised_at"));
    }
}

/* A document's size for people: 1.5 MB, 320 KB, 900 字节 (as the console). */
static void
size_words(double b, char *out, size_t len)
{
    if (b >= 1000000)
        snprintf(out, len, "%.1f MB", b / 1000000);
    else if (b >= 1000)
        snprintf(out, len, "%.0f KB", b / 1000);
    else
        snprintf(out, len, "%.0f 字节", b);
}

/* The documents each unit's current opinion carries (the summary's
 * "opinions" are ordered by unit and revision: a unit's last is its
 * current one), as a table after the opinions; nothing when none has any. */
static void
documents_table(doc_t *d, const cJSON *s)
{
    static const char *const header[] = { "序号", "单位", "材料名称", "类型", "大小",
                                          "意见回执号" };
    static const double widths[] = { 0.06, 0.18, 0.34, 0.12, 0.12, 0.18 };
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(s, "opinions"), *o, *x;
    int n = 0;

    cJSON_ArrayForEach(o, ops) {
        const cJSON *next = o->next;
        char no[16], size[32];
        if (next && strcmp(jstr(next, "unit"), jstr(o, "unit")) == 0)
            continue;       /* an earlier revision */
        cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(o, "attachments")) {
            const cJSON *sz = cJSON_GetObjectItemCaseSensitive(x, "size");
            if (n == 0)
                doc_table(d, "各单位随意见报送的材料", 6, header, widths, NULL);
            snprintf(no, sizeof no, "%d", ++n);
            size_words(cJSON_IsNumber(sz) ? sz->valuedouble : 0, size, sizeof size);
            const char *cells[6] = { no, units_name(jstr(o, "unit")), jstr(x, "name"),
                                     jstr(x, "type"), size, jstr(o, "receipt_no") };
            doc_table_row(d, cells);
        }
    }
}

int
reviewdoc_render(const cJSON *s, const char *format, const char *county, int64_t now,
                 char **out, size_t *len, char *err, size_t errlen)
{
    static const char *const header[] = { "序号", "姓名", "工作单位及现任职务", "拟任职务",
                                          "征求意见单位", "意见", "答复时间", "已报备事项" };
    static const double widths[] = { 0.05, 0.08, 0.16, 0.09, 0.12, 0.24, 0.18, 0.08 };
    char title[512], para[1024], issuer[256], date_s[64];
    const cJSON *c, *a;
    doc_t *d = doc_new();
    lx_day today = days_shanghai(now);
    int n = 0, rc;

    if (!d) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (county && *county)
        snprintf(issuer, sizeof issuer, "中共%s委组织部干部监督组", county);
    else
        snprintf(issuer, sizeof issuer, "县委组织部干部监督组");
    snprintf(title, sizeof title, "%s联审意见汇总表", jstr(s, "title"));
    doc_title(d, title);
    {
        int y, m, dd;
        days_to_civil(today, &y, &m, &dd);
        snprintf(date_s, sizeof date_s, "%d年%d月%d日", y, m, dd);
    }
    snprintf(para, sizeof para, "联审编号 %s，%.10s 征求意见，答复期限 %s，共 %d 名人员、%d 个单位。"
             "截至 %s，各单位意见如下（“未答复”表示该单位尚未答复，不等于“无”）。",
             jstr(s, "id"), jstr(s, "created_at"), jstr(s, "due_on"),
             cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s, "candidates")),
             cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s, "units")), date_s);
    doc_para(d, para);
    doc_table(d, NULL, 8, header, widths, NULL);
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(s, "candidates")) {
        char no[16], post[512], dossier[32], words[20000], when[96];
        const cJSON *df = cJSON_GetObjectItemCaseSensitive(c, "dossier_filings");
        int first = 1;
        snprintf(no, sizeof no, "%d", ++n);
        snprintf(post, sizeof post, "%s %s", jstr(c, "work_unit"), jstr(c, "post"));
        if (cJSON_IsNumber(df))
            snprintf(dossier, sizeof dossier, df->valueint ? "%d 件" : "无", df->valueint);
        else
            snprintf(dossier, sizeof dossier, "—");
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(c, "answers")) {
            answer_words(a, words, sizeof words);
            when_words(a, when, sizeof when);
            const char *cells[8] = { first ? no : NULL, first ? jstr(c, "name") : NULL,
                                     first ? post : NULL, first ? jstr(c, "proposed_post") : NULL,
                                     units_name(jstr(a, "unit")), words, when,
                                     first ? dossier : NULL };
            doc_table_row(d, cells);
            first = 0;
        }
    }
    documents_table(d, s);
    doc_signature(d, issuer, today);
    if (strcmp(format, "docx") == 0)
        rc = doc_render_docx(d, out, len, err, errlen);
    else if (strcmp(format, "md") == 0)
        rc = doc_render_md(d, out, len, err, errlen);
    else
        rc = doc_render_html(d, out, len, err, errlen);
    doc_destroy(&d);
    return rc;
}
