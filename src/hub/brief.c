/* brief.c — the joint meeting's briefing as an official document (doc.h):
 * the 通报 in the order of the meeting's duties (附件5 二) — the overall
 * situation, timeliness, 苗头性倾向性问题, cases of 副科级 and above,
 * complaints — each section's words from the figures first, its tables and
 * charts after; then 意见建议 for the convener's office to fill in.  The
 * appendix (报备事项清单, limited by the audience's disclosure scope,
 * grouped by unit, ID numbers masked) and the speaking points (讲话要点)
 * are documents of their own.  Every figure comes from one scan of the
 * period's matters (matters.h: the counting model). */
#include "brief.h"
#include "jointreview.h"
#include "clock.h"
#include "days.h"
#include "doc.h"
#include "matters.h"
#include "store.h"
#include "text.h"
#include "lianxi.pb-c.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CATS 128
#define MAX_MONTHS 240
#define MAX_LISTED 10       /* cadres in the body's table (most units and matters first) */
#define MAX_CATS_LISTED 8   /* categories in the body's table (most matters first) */

static const char *const rank_words[7] = {
    "未注明", "科员及以下", "副科级", "正科级", "副处级", "正处级", "副厅级及以上",
};

static const char *const scope_words[5] = {
    "", "向社会公开", "党政机关", "县委领导班子", "特定范围",
};

int
brief_scope_listed(int audience, int scope)
{
    if (scope == LIANXI__SCOPE__SCOPE_PUBLIC || scope == LIANXI__SCOPE__SCOPE_ORGANS)
        return 1;
    if (scope == LIANXI__SCOPE__SCOPE_LEADERSHIP)
        return audience == BRIEF_LEADERSHIP;
    return 0;
}

int
brief_rising(long now, long before)
{
    return now >= BRIEF_RISING_MIN && now - before >= BRIEF_RISING_MIN;
}

void
brief_mask_id(const char *id, char *out, size_t len)
{
    size_t n = id ? strlen(id) : 0;

    if (!len)
        return;
    if (n == 18) {
        snprintf(out, len, "%.6s********%.4s", id, id + 14);
        return;
    }
    out[0] = '\0';
    for (size_t i = 0; i + 2 < n && i + 1 < len; i++) {
        out[i] = '*';
        out[i + 1] = '\0';
    }
    if (n)
        snprintf(out + strlen(out), len - strlen(out), "%s", id + (n > 2 ? n - 2 : 0));
}

/* ---- the figures ------------------------------------------------------------ */

/* One matter as the appendix lists it (kept until the end). */
struct row {
    char *receipt, *name, *id, *category, *learned, *summary;
};

struct agg {
    long unit[2][LX_NUNITS];            /* matters: [0] the period, [1] the one before */
    long cat[2][MAX_CATS];
    long on_time[LX_NUNITS], late[LX_NUNITS], late_days[LX_NUNITS];
    long overdue[LX_NUNITS], pending[LX_NUNITS];
    long month[MAX_MONTHS];             /* matters by month of first receipt */
    long senior[7][MAX_CATS];           /* 副科 and above: rank by category */
    long k_n, k_done, k_after, r_n, r_done, r_after;   /* complaints, real-name ones */
    long counted[5];                    /* appendix: counted, not listed, by scope */
    struct row *rows[LX_NUNITS];        /* appendix: listed, by unit */
    int nrows[LX_NUNITS], caprows[LX_NUNITS];
};

struct ctx {
    struct agg ag;
    int scan;                       /* 0: the period, 1: the one before */
    struct requests req;
    struct jr_figures jr;           /* the joint reviews opened in the period */
    store_t *db;
    const calendar_t *cal;
    const categories_t *cats;
    const struct brief_params *p;
    doc_t *d;
    int tables, charts;             /* numbered in the document: 表1, 图1 */
    lx_day asof;                    /* the day the open matters are judged on */
    int64_t t0, t1, pt0, pt1;       /* [t0, t1): the period; [pt0, pt1): the one before */
    int oom;
    char err[256];
};

static int
unit_index(const char *code)
{
    for (int i = 0; i < LX_NUNITS; i++)
        if (strcmp(lx_units[i].code, code) == 0)
            return i;
    return -1;
}

static const char *
unit_name(const struct ctx *c, int i)
{
    return c->p->unit_name[i] && *c->p->unit_name[i] ? c->p->unit_name[i] : lx_units[i].zh;
}

static const char *
unit_words(const struct ctx *c, const char *code)
{
    int i = unit_index(code);
    return i >= 0 ? unit_name(c, i) : code;
}

static int
category_index(const struct ctx *c, const char *code)
{
    size_t n = categories_count(c->cats);
    for (size_t i = 0; i < n && i < MAX_CATS; i++)
        if (strcmp(categories_at(c->cats, i)->code, code) == 0)
            return (int)i;
    return -1;
}

static const char *
category_name(const struct ctx *c, size_t i)
{
    return categories_at(c->cats, i)->zh;
}

static const char *
category_words(const struct ctx *c, const char *code)
{
    const struct lx_category *k = categories_find(c->cats, code);
    return k ? k->zh : code;
}

static int
month_slot(const struct ctx *c, int64_t t)
{
    int y0, m0, d0, y, m, d;

    days_to_civil(c->p->from, &y0, &m0, &d0);
    days_to_civil(days_shanghai(t), &y, &m, &d);
    return (y - y0) * 12 + (m - m0);
}

static char *
dup(struct ctx *c, const char *s)
{
    char *r = strdup(s ? s : "");
    if (!r)
        c->oom = 1;
    return r;
}

static void
keep_row(struct ctx *c, int u, const struct matter *m)
{
    struct row *r;

    if (c->ag.nrows[u] == c->ag.caprows[u]) {
        int cap = c->ag.caprows[u] ? 2 * c->ag.caprows[u] : 16;
        struct row *nr = realloc(c->ag.rows[u], (size_t)cap * sizeof *nr);
        if (!nr) {
            c->oom = 1;
            return;
        }
        c->ag.rows[u] = nr;
        c->ag.caprows[u] = cap;
    }
    r = &c->ag.rows[u][c->ag.nrows[u]++];
    r->receipt = dup(c, m->receipt_no);
    r->name = dup(c, m->name);
    r->id = dup(c, m->id_number);
    r->category = dup(c, category_words(c, m->category));
    r->learned = dup(c, m->learned_on);
    r->summary = dup(c, m->summary);
}

static void
free_rows(struct ctx *c)
{
    for (int u = 0; u < LX_NUNITS; u++) {
        for (int i = 0; i < c->ag.nrows[u]; i++) {
            struct row *r = &c->ag.rows[u][i];
            free(r->receipt);
            free(r->name);
            free(r->id);
            free(r->category);
            free(r->learned);
            free(r->summary);
        }
        free(c->ag.rows[u]);
    }
}

/* 1 when category i is rising against the previous period; never when
 * that period had no matters at all (the first period of a new system). */
static int
rising(const struct ctx *c, size_t i)
{
    static const long zero[MAX_CATS];

    if (memcmp(c->ag.cat[1], zero, sizeof zero) == 0)
        return 0;
    return brief_rising(c->ag.cat[0][i], c->ag.cat[1][i]);
}

static int
count_matter(void *arg, const struct matter *m)
{
    struct ctx *c = arg;
    int u = unit_index(m->unit), ci = category_index(c, m->category), k = c->scan;

    if (u < 0)
        return 0;
    c->ag.unit[k][u]++;
    if (ci >= 0)
        c->ag.cat[k][ci]++;
    if (k == 1)
        return 0;
    switch (m->state) {
    case MATTER_ON_TIME: c->ag.on_time[u]++; break;
    case MATTER_LATE: c->ag.late[u]++; c->ag.late_days[u] += m->report_late_days; break;
    case MATTER_OVERDUE: c->ag.overdue[u]++; break;
    default: c->ag.pending[u]++; break;
    }
    {
        int slot = month_slot(c, m->first_received);
        if (slot >= 0 && slot < MAX_MONTHS)
            c->ag.month[slot]++;
    }
    if (m->rank >= 2 && m->rank <= 6 && ci >= 0)
        c->ag.senior[m->rank][ci]++;
    if (m->complaint) {
        int done = m->has_report && m->report_received < c->t1;
        int after = m->has_report && !done;
        c->ag.k_n++;
        c->ag.k_done += done;
        c->ag.k_after += after;
        if (m->real_name) {
            c->ag.r_n++;
            c->ag.r_done += done;
            c->ag.r_after += after;
        }
    }
    if (!brief_scope_listed(c->p->audience, m->scope))
        c->ag.counted[m->scope >= 0 && m->scope <= 4 ? m->scope : 0]++;
    else if (c->p->part == BRIEF_APPENDIX)
        keep_row(c, u, m);
    return c->oom ? -1 : 0;
}

static int
aggregate(struct ctx *c)
{
    c->scan = 0;
    if (matters_scan(c->db, c->cal, c->t0, c->t1, c->asof, count_matter, c) < 0)
        return -1;
    c->scan = 1;
    if (matters_scan(c->db, c->cal, c->pt0, c->pt1, c->asof, count_matter, c) < 0)
        return -1;
    if (matters_requests(c->db, c->t0, c->t1, c->asof, &c->req) < 0 ||
        jointreview_figures(c->db, c->cal, c->t0, c->t1, c->asof, &c->jr) < 0)
        return -1;
    return 0;
}

/* ---- words ------------------------------------------------------------------ */

/* A sentence built piece by piece in a fixed buffer (cut, never overrun). */
struct text {
    char s[4096];
    size_t n;
};

static void
put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int k;

    if (t->n >= sizeof t->s - 1)
        return;
    va_start(ap, fmt);
    k = vsnprintf(t->s + t->n, sizeof t->s - t->n, fmt, ap);
    va_end(ap);
    if (k > 0 && (size_t)k < sizeof t->s - t->n) {
        t->n += (size_t)k;
    } else if (k > 0) {
        text_utf8_fix(t->s);            /* cut: never half a character */
        t->n = sizeof t->s - 1;         /* full: nothing more goes in */
    }
}

/* "2026年1月1日" */
static void
date_words(lx_day d, char *out, size_t len)
{
    int y, m, dd;

    days_to_civil(d, &y, &m, &dd);
    snprintf(out, len, "%d年%d月%d日", y, m, dd);
}

/* 1 when [from, to] is one calendar year, 2 one calendar month, else 0. */
static int
calendar_kind(lx_day from, lx_day to)
{
    int y0, m0, d0, y1, m1, d1;

    days_to_civil(from, &y0, &m0, &d0);
    days_to_civil(to, &y1, &m1, &d1);
    if (y0 == y1 && m0 == 1 && d0 == 1 && m1 == 12 && d1 == 31)
        return 1;
    if (y0 == y1 && m0 == m1 && d0 == 1 &&
        to + 1 == days_from_civil(m1 == 12 ? y1 + 1 : y1, m1 == 12 ? 1 : m1 + 1, 1))
        return 2;
    return 0;
}

/* The period the briefing compares with: the calendar year or month before
 * a calendar year or month (2025 for 2026, August for September), else the
 * days of the same number just before. */
static void
previous_period(lx_day from, lx_day to, lx_day *pfrom, lx_day *pto)
{
    int y, m, d;

    days_to_civil(from, &y, &m, &d);
    switch (calendar_kind(from, to)) {
    case 1:
        *pfrom = days_from_civil(y - 1, 1, 1);
        break;
    case 2:
        *pfrom = days_from_civil(m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1, 1);
        break;
    default:
        *pfrom = from - (to - from + 1);
        break;
    }
    *pto = from - 1;
}

/* A period as a document names it: "2026年" (a calendar year), "2026年9月"
 * (a month), else "2026年1月1日至6月30日". */
static void
period_words(lx_day from, lx_day to, char *out, size_t len)
{
    int y0, m0, d0, y1, m1, d1;

    days_to_civil(from, &y0, &m0, &d0);
    days_to_civil(to, &y1, &m1, &d1);
    if (calendar_kind(from, to) == 1)
        snprintf(out, len, "%d年", y0);
    else if (calendar_kind(from, to) == 2)
        snprintf(out, len, "%d年%d月", y0, m0);
    else if (y0 == y1)
        snprintf(out, len, "%d年%d月%d日至%d月%d日", y0, m0, d0, m1, d1);
    else
        snprintf(out, len, "%d年%d月%d日至%d年%d月%d日", y0, m0, d0, y1, m1, d1);
}

/* "2026年1月1日至12月31日" (the year said once when it is one year). */
static void
range_words(lx_day from, lx_day to, char *out, size_t len)
{
    int y0, m0, d0, y1, m1, d1;

    days_to_civil(from, &y0, &m0, &d0);
    days_to_civil(to, &y1, &m1, &d1);
    if (y0 == y1)
        snprintf(out, len, "%d年%d月%d日至%d月%d日", y0, m0, d0, m1, d1);
    else
        snprintf(out, len, "%d年%d月%d日至%d年%d月%d日", y0, m0, d0, y1, m1, d1);
}

static void
rate_words(long part, long whole, char *out, size_t len)
{
    if (whole > 0)
        snprintf(out, len, "%.1f%%", 100.0 * (double)part / (double)whole);
    else
        snprintf(out, len, "-");
}

/* A rate stated against its target (95, 100): one decimal, or two cut
 * down where one, rounded, would reach a target the figures miss (189 of
 * 199 is 94.97%, never "95.0%, short of 95%"). */
static void
rate_against(long part, long whole, int target, char *out, size_t len)
{
    rate_words(part, whole, out, len);
    if (whole > 0 && 100 * part < (long)target * whole &&
        (1000 * part + whole / 2) / whole >= 10L * target) {
        long long q = 10000LL * part / whole;
        snprintf(out, len, "%lld.%02lld%%", q / 100, q % 100);
    }
}

/* "增加12件（增长25.0%）", "减少3件（下降4.1%）", "持平" */
static void
change_words(long now, long before, char *out, size_t len)
{
    if (now == before)
        snprintf(out, len, "持平");
    else if (before == 0)
        snprintf(out, len, "%s%ld件", now > before ? "增加" : "减少", labs(now - before));
    else
        snprintf(out, len, "%s%ld件（%s%.1f%%）", now > before ? "增加" : "减少",
                 labs(now - before), now > before ? "增长" : "下降",
                 100.0 * (double)labs(now - before) / (double)before);
}

/* The county's name before a generic "县…" ("县干部监督联席会议" ->
 * "连平县干部监督联席会议"), or the words as they are. */
static void
county_words(const struct ctx *c, const char *generic, char *out, size_t len)
{
    const char *k = c->p->county;

    if (k && *k && strncmp(generic, "县", strlen("县")) == 0)
        snprintf(out, len, "%s%s", k, generic + strlen("县"));
    else
        snprintf(out, len, "%s", generic);
    text_utf8_fix(out);                 /* a long name cut: never half a character */
}

/* The document's title, for the period. */
static void
title_words(const struct ctx *c, char *out, size_t len)
{
    char period[64];

    period_words(c->p->from, c->p->to, period, sizeof period);
    snprintf(out, len, "关于%s干部监督信息报备情况的通报", period);
}

/* The meeting's title (the county named where it says only "县"), or "". */
static void
meeting_words(const struct ctx *c, char *out, size_t len)
{
    const struct brief_params *p = c->p;
    const char *at;

    if (!p->title || !*p->title) {
        snprintf(out, len, "%s", "");
        return;
    }
    at = p->county && *p->county ? strstr(p->title, "县干部监督联席会议") : NULL;
    if (!p->county || !*p->county || strstr(p->title, p->county))
        snprintf(out, len, "%s", p->title);
    else if (at)
        snprintf(out, len, "%.*s%s%s", (int)(at - p->title), p->title, p->county,
                 at + strlen("县"));
    else
        snprintf(out, len, "%s%s", p->county, p->title);
    text_utf8_fix(out);
}

/* ---- building the document --------------------------------------------------- */

static void
para(struct ctx *c, const struct text *t)
{
    doc_para(c->d, t->s);
}

static void
table(struct ctx *c, const char *caption, int ncols, const char *const *header,
      const double *widths, const enum doc_align *align)
{
    char cap[256];

    snprintf(cap, sizeof cap, "表%d  %s", ++c->tables, caption);
    doc_table(c->d, cap, ncols, header, widths, align);
}

/* A row of cells given as printf formats and values, each cell one
 * argument: "%s" with a string (taken as it is, however long), "%ld" or
 * "%+ld" with a long. */
static void
rowf(struct ctx *c, int n, ...)
{
    char buf[8][32];
    const char *cells[8];
    va_list ap;

    va_start(ap, n);
    for (int i = 0; i < n && i < 8; i++) {
        const char *fmt = va_arg(ap, const char *);
        if (strcmp(fmt, "%ld") == 0 || strcmp(fmt, "%+ld") == 0) {
            snprintf(buf[i], sizeof buf[i], fmt[1] == '+' ? "%+ld" : "%ld", va_arg(ap, long));
            cells[i] = buf[i];
        } else {
            cells[i] = va_arg(ap, const char *);
        }
    }
    va_end(ap);
    doc_table_row(c->d, cells);
}

static void
chart(struct ctx *c, enum doc_chart_kind kind, const char *caption, const char *y_title, int n,
      const char *const *labels, const double *values, int decimals, const char *suffix,
      double y_max)
{
    char cap[256];
    struct doc_chart ch = { kind, cap, NULL, y_title, n, labels, values, decimals, suffix,
                            y_max };

    snprintf(cap, sizeof cap, "图%d  %s", ++c->charts, caption);
    doc_chart(c->d, &ch);
}

static const enum doc_align A_NUM4[] = { DOC_LEFT, DOC_RIGHT, DOC_RIGHT, DOC_RIGHT };
static const double W_NUM4[] = { 0.40, 0.20, 0.20, 0.20 };

/* 一、总体情况 */
static void
overview(struct ctx *c, const char *period, const char *prev)
{
    long tn = 0, tb = 0;
    int filed = 0, top[4] = { -1, -1, -1, -1 };
    size_t ncat = categories_count(c->cats);
    char ch[64];
    struct text t = { .n = 0 };

    for (int i = 0; i < LX_NUNITS; i++) {
        tn += c->ag.unit[0][i];
        tb += c->ag.unit[1][i];
        filed += c->ag.unit[0][i] > 0;
    }
    doc_heading(c->d, 1, "总体情况");
    if (tn == 0) {
        put(&t, "%s，各成员单位未报备干部监督事项。", period);
    } else {
        put(&t, "%s，%d个成员单位共报备干部监督事项%ld件", period, filed, tn);
        if (tb == 0) {
            put(&t, "，上一期间（%s）无报备事项，不作比较。", prev);
        } else {
            change_words(tn, tb, ch, sizeof ch);
            put(&t, "，比上一期间（%s）的%ld件%s。", prev, tb, ch);
        }
        put(&t, "其中，");
        for (int i = 0, k = 0; i < LX_NUNITS; i++)
            if (c->ag.unit[0][i])
                put(&t, "%s%s%ld件", k++ ? "、" : "", unit_name(c, i), c->ag.unit[0][i]);
        put(&t, "。");
        if (filed < LX_NUNITS) {
            put(&t, "本期未报备事项的单位：");
            for (int i = 0, k = 0; i < LX_NUNITS; i++)
                if (!c->ag.unit[0][i])
                    put(&t, "%s%s", k++ ? "、" : "", unit_name(c, i));
            put(&t, "。");
        }
    }
    para(c, &t);

    /* The three largest categories (and the fourth, to see a tie). */
    for (size_t i = 0; i < ncat && i < MAX_CATS; i++)
        for (int k = 0; k < 4; k++) {
            long n = c->ag.cat[0][i];
            if (n > 0 && (top[k] < 0 || n > c->ag.cat[0][top[k]])) {
                for (int j = 3; j > k; j--)
                    top[j] = top[j - 1];
                top[k] = (int)i;
                break;
            }
        }
    if (top[0] >= 0) {
        long sum = 0;
        int k = 0;
        t.n = 0;
        put(&t, "从问题类别看，");
        for (; k < 3 && top[k] >= 0; k++) {
            put(&t, "%s%s%ld件", k ? "、" : "", category_name(c, (size_t)top[k]),
                c->ag.cat[0][top[k]]);
            sum += c->ag.cat[0][top[k]];
        }
        if (k == 3 && top[3] >= 0 && c->ag.cat[0][top[3]] == c->ag.cat[0][top[2]])
            put(&t, "等类别较多，这三类合计占%.1f%%。", 100.0 * (double)sum / (double)tn);
        else if (k > 1)
            put(&t, "居前%s位，合计占%.1f%%。", k == 2 ? "两" : "三",
                100.0 * (double)sum / (double)tn);
        else
            put(&t, "，占%.1f%%。", 100.0 * (double)sum / (double)tn);
        para(c, &t);
    }

    {
        static const char *const h[] = { "成员单位", "报备事项", "上一期间", "增减" };
        table(c, "各成员单位报备事项（件）", 4, h, W_NUM4, A_NUM4);
    }
    for (int i = 0; i < LX_NUNITS; i++) {
        rowf(c, 4, "%s", unit_name(c, i), "%ld", c->ag.unit[0][i], "%ld", c->ag.unit[1][i],
             "%+ld", c->ag.unit[0][i] - c->ag.unit[1][i]);
    }
    rowf(c, 4, "%s", "合计", "%ld", tn, "%ld", tb, "%+ld", tn - tb);

    {
        static const char *const h[] = { "类别", "报备事项", "上一期间", "增减" };
        table(c, "各类别报备事项（件）", 4, h, W_NUM4, A_NUM4);
    }
    /* The categories with the most matters (then the registry's order), the
     * rest on one line. */
    {
        int order[MAX_CATS], m = 0;
        long rn = 0, rb = 0, cn = 0, cb = 0;
        for (size_t i = 0; i < ncat && i < MAX_CATS; i++)
            if (c->ag.cat[0][i] || c->ag.cat[1][i]) {
                int j = m++;
                for (; j > 0 && c->ag.cat[0][order[j - 1]] < c->ag.cat[0][i]; j--)
                    order[j] = order[j - 1];
                order[j] = (int)i;
            }
        for (int j = 0; j < m; j++) {
            long n = c->ag.cat[0][order[j]], pb = c->ag.cat[1][order[j]];
            cn += n;
            cb += pb;
            if (j < MAX_CATS_LISTED || m == MAX_CATS_LISTED + 1)
                rowf(c, 4, "%s", category_name(c, (size_t)order[j]), "%ld", n, "%ld", pb, "%+ld",
                     n - pb);
            else {
                rn += n;
                rb += pb;
            }
        }
        if (m > MAX_CATS_LISTED + 1) {
            char other[64];
            snprintf(other, sizeof other, "其他%d类", m - MAX_CATS_LISTED);
            rowf(c, 4, "%s", other, "%ld", rn, "%ld", rb, "%+ld", rn - rb);
        }
        rowf(c, 4, "%s", "合计", "%ld", cn, "%ld", cb, "%+ld", cn - cb);
    }

    /* By month: a line over the period's months. */
    {
        int y0, m0, d0, y1, m1, d1, n = 0;
        double mv[MAX_MONTHS];
        char lab[MAX_MONTHS][16];
        const char *ml[MAX_MONTHS];

        days_to_civil(c->p->from, &y0, &m0, &d0);
        days_to_civil(c->p->to, &y1, &m1, &d1);
        for (int y = y0, m = m0; (y < y1 || (y == y1 && m <= m1)) && n < MAX_MONTHS; n++) {
            mv[n] = (double)c->ag.month[n];
            if (y0 == y1)
                snprintf(lab[n], sizeof lab[n], "%d月", m);
            else
                snprintf(lab[n], sizeof lab[n], "%d.%d", y % 100, m);
            ml[n] = lab[n];
            if (++m == 13) {
                m = 1;
                y++;
            }
        }
        if (n >= 2)
            chart(c, DOC_LINE, "逐月报备事项", "件", n, ml, mv, 0, NULL, 0);
    }
}

/* 二、各成员单位报送时效 */
static void
timeliness(struct ctx *c)
{
    long t[6] = { 0 };
    double rate[LX_NUNITS];
    const char *labels[LX_NUNITS];
    char r[16], asof[40];
    struct text s = { .n = 0 };
    int k, nrate = 0;

    for (int i = 0; i < LX_NUNITS; i++) {
        t[0] += c->ag.unit[0][i];
        t[1] += c->ag.on_time[i];
        t[2] += c->ag.late[i];
        t[3] += c->ag.late_days[i];
        t[4] += c->ag.overdue[i];
        t[5] += c->ag.pending[i];
    }
    date_words(c->asof, asof, sizeof asof);
    doc_heading(c->d, 1, "各成员单位报送时效");
    /* The rate is of the matters whose time has come: reported, or past due. */
    if (t[1] + t[2] + t[4] == 0) {
        put(&s, "本期报备事项均尚未到报送期限，暂不评价报送时效。");
    } else {
        rate_words(t[1], t[1] + t[2] + t[4], r, sizeof r);
        put(&s, "按照知悉后5个工作日内书面报送的要求，本期已到报送期限的%ld件事项中，按时报送%ld件，"
            "按时率%s", t[1] + t[2] + t[4], t[1], r);
        if (t[2])
            put(&s, "；逾期报送%ld件，累计逾期%ld个工作日", t[2], t[3]);
        if (t[4])
            put(&s, "；截至%s仍有%ld件逾期未报送", asof, t[4]);
        put(&s, "。");
        if (t[5])
            put(&s, "另有%ld件尚未到报送期限。", t[5]);
    }
    para(c, &s);

    s.n = 0;
    k = 0;
    for (int i = 0; i < LX_NUNITS; i++) {
        long judged = c->ag.on_time[i] + c->ag.late[i] + c->ag.overdue[i];
        if (judged > 0 && c->ag.on_time[i] == judged)
            put(&s, "%s%s", k++ ? "、" : "", unit_name(c, i));
    }
    if (k)
        put(&s, "全部按时报送。");
    k = 0;
    for (int i = 0; i < LX_NUNITS; i++)
        if (c->ag.late[i]) {
            long judged = c->ag.on_time[i] + c->ag.late[i] + c->ag.overdue[i];
            rate_words(c->ag.on_time[i], judged, r, sizeof r);
            put(&s, "%s%s逾期报送%ld件、累计逾期%ld个工作日，按时率%s", k++ ? "；" : "",
                unit_name(c, i), c->ag.late[i], c->ag.late_days[i], r);
        }
    if (k)
        put(&s, "。");
    k = 0;
    for (int i = 0; i < LX_NUNITS; i++)
        if (c->ag.overdue[i])
            put(&s, "%s%s%ld件", k++ ? "、" : "逾期未报送的事项：", unit_name(c, i),
                c->ag.overdue[i]);
    if (k)
        put(&s, "，请相关单位抓紧报送。");
    if (s.n)
        para(c, &s);

    s.n = 0;
    if (c->req.made == 0)
        put(&s, "本期联席会议办公室未提出补充材料要求。");
    else {
        put(&s, "本期联席会议办公室向成员单位提出补充材料要求%ld件，按时答复%ld件，逾期答复%ld件",
            c->req.made, c->req.on_time, c->req.late);
        if (c->req.open)
            put(&s, "，尚未答复%ld件（其中已超过答复期限%ld件）", c->req.open, c->req.overdue);
        put(&s, "。");
    }
    para(c, &s);
    /* The joint reviews before appointment (任前联审), when there were any. */
    if (c->jr.reviews) {
        s.n = 0;
        put(&s, "本期开展任前联审%ld次，涉及拟任人员%ld名，需成员单位答复%ld人次，按时答复%ld人次，"
            "逾期答复%ld人次，未答复%ld人次；有成员单位反映掌握有关情况的%ld名。", c->jr.reviews,
            c->jr.candidates, c->jr.asked, c->jr.on_time, c->jr.late, c->jr.unanswered,
            c->jr.reported);
        para(c, &s);
    }

    {
        static const char *const h[] = { "成员单位", "报备事项", "按时", "逾期", "逾期工作日合计",
                                         "按时率", "逾期未报", "尚未到期" };
        static const double w[] = { 0.22, 0.11, 0.09, 0.09, 0.13, 0.12, 0.12, 0.12 };
        static const enum doc_align a[] = { DOC_LEFT, DOC_RIGHT, DOC_RIGHT, DOC_RIGHT,
                                            DOC_RIGHT, DOC_RIGHT, DOC_RIGHT, DOC_RIGHT };
        table(c, "各成员单位报送时效", 8, h, w, a);
    }
    for (int i = 0; i < LX_NUNITS; i++) {
        long judged = c->ag.on_time[i] + c->ag.late[i] + c->ag.overdue[i];
        rate_words(c->ag.on_time[i], judged, r, sizeof r);
        rowf(c, 8, "%s", unit_name(c, i), "%ld", c->ag.unit[0][i], "%ld", c->ag.on_time[i],
             "%ld", c->ag.late[i], "%ld", c->ag.late_days[i], "%s", r, "%ld", c->ag.overdue[i],
             "%ld", c->ag.pending[i]);
        /* The chart has the units with a rate ("-" in the table is no 0 %). */
        if (judged) {
            rate[nrate] = 100.0 * (double)c->ag.on_time[i] / (double)judged;
            labels[nrate++] = unit_name(c, i);
        }
    }
    rate_words(t[1], t[1] + t[2] + t[4], r, sizeof r);
    rowf(c, 8, "%s", "合计", "%ld", t[0], "%ld", t[1], "%ld", t[2], "%ld", t[3], "%s", r, "%ld",
         t[4], "%ld", t[5]);
    if (nrate)
        chart(c, DOC_BAR, "各成员单位按时报送率", "按时率（%）", nrate, labels, rate, 1, "%", 100);
}

/* The highest scope the audience may see by name. */
static int
listed_max(const struct ctx *c)
{
    return brief_scope_listed(c->p->audience, LIANXI__SCOPE__SCOPE_LEADERSHIP)
               ? LIANXI__SCOPE__SCOPE_LEADERSHIP : LIANXI__SCOPE__SCOPE_ORGANS;
}

struct cadres {
    struct ctx *c;
    long n, multi_unit, most_units;
    int pass;                       /* 0: count, 1: rows */
};

static int
cadre_row(void *arg, const char *name, const char *id_number, const char *unit_list, long n)
{
    struct cadres *k = arg;
    struct ctx *c = k->c;
    char units[2048] = "", *save = NULL, *tok, list[512], masked[40];
    long nu = 0;

    snprintf(list, sizeof list, "%s", unit_list);
    for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t l = strlen(units);
        snprintf(units + l, sizeof units - l, "%s%s", l ? "、" : "", unit_words(c, tok));
        nu++;
    }
    text_utf8_fix(units);
    if (k->pass == 0) {
        k->n++;
        k->multi_unit += nu >= 2;
        if (nu > k->most_units)
            k->most_units = nu;
        return 0;
    }
    brief_mask_id(id_number, masked, sizeof masked);
    rowf(c, 4, "%s", name, "%s", masked, "%s", units, "%ld", n);
    return 0;
}

struct work_units {
    struct text t;
    long n;
};

static int
work_unit_row(void *arg, const char *work_unit, long n)
{
    struct work_units *w = arg;

    if (w->n < 5)
        put(&w->t, "%s%s（%ld名）", w->n ? "、" : "", work_unit, n);
    w->n++;
    return 0;
}

/* 三、苗头性、倾向性问题 */
static int
signals(struct ctx *c)
{
    struct cadres k = { .c = c };
    struct work_units w = { .n = 0 };
    struct text s = { .n = 0 };
    size_t ncat = categories_count(c->cats);
    int nrising = 0;
    long before = 0;

    doc_heading(c->d, 1, "苗头性、倾向性问题");

    doc_heading(c->d, 2, "多个单位或多次报备的干部");
    if (matters_cadres(c->db, c->t0, c->t1, listed_max(c), 1000000000, cadre_row, &k) < 0)
        return -1;
    if (k.n == 0)
        put(&s, "本期未发现被两个以上单位或多次报备的干部。");
    else {
        put(&s, "本期有%ld名干部被两个以上单位或多次报备", k.n);
        if (k.multi_unit)
            put(&s, "，其中%ld名被两个以上单位报备（最多的被%ld个单位报备）", k.multi_unit,
                k.most_units);
        put(&s, "，反映出个别干部问题具有反复性、多发性，需重点关注并加强日常管理监督。");
        if (k.n > MAX_LISTED)
            put(&s, "下表列出被报备单位和次数最多的%d名，其余见附件。", MAX_LISTED);
    }
    para(c, &s);
    if (k.n) {
        static const char *const h[] = { "姓名", "身份证号码", "报备单位", "事项" };
        static const double wd[] = { 0.14, 0.30, 0.44, 0.12 };
        static const enum doc_align a[] = { DOC_LEFT, DOC_LEFT, DOC_LEFT, DOC_RIGHT };
        table(c, "多个单位或多次报备的干部", 4, h, wd, a);
        k.pass = 1;
        if (matters_cadres(c->db, c->t0, c->t1, listed_max(c), MAX_LISTED, cadre_row, &k) < 0)
            return -1;
    }

    doc_heading(c->d, 2, "问题相对集中的单位");
    if (matters_work_units(c->db, c->t0, c->t1, listed_max(c), 100000, work_unit_row, &w) < 0)
        return -1;
    s.n = 0;
    if (w.n == 0)
        put(&s, "本期未发现两名以上干部被报备的单位。");
    else
        put(&s, "本期有%ld个单位两名以上干部被报备，其中%s%s，请有关单位党组织加强对干部队伍的"
            "教育管理。", w.n, w.t.s, w.n > 5 ? "居前" : "");
    para(c, &s);
    doc_heading(c->d, 2, "呈上升趋势的问题类别");
    s.n = 0;
    for (size_t i = 0; i < ncat && i < MAX_CATS; i++)
        before += c->ag.cat[1][i];
    for (size_t i = 0; i < ncat && i < MAX_CATS; i++)
        if (rising(c, i))
            put(&s, "%s%s（由%ld件增至%ld件）", nrising++ ? "、" : "与上一期间相比，",
                category_name(c, i), c->ag.cat[1][i], c->ag.cat[0][i]);
    if (nrising)
        put(&s, "呈上升趋势，需深入分析原因，有针对性地加强教育和防范。");
    else if (!before)
        put(&s, "上一期间无报备事项，暂不作趋势比较。");
    else
        put(&s, "与上一期间相比，未发现明显上升的问题类别（以本期不少于%d件且增加%d件以上为准）。",
            BRIEF_RISING_MIN, BRIEF_RISING_MIN);
    para(c, &s);
    if (nrising) {
        static const char *const h[] = { "类别", "报备事项", "上一期间", "增减" };
        table(c, "呈上升趋势的问题类别（件）", 4, h, W_NUM4, A_NUM4);
        for (size_t i = 0; i < ncat && i < MAX_CATS; i++)
            if (rising(c, i))
                rowf(c, 4, "%s", category_name(c, i), "%ld", c->ag.cat[0][i], "%ld",
                     c->ag.cat[1][i], "%+ld", c->ag.cat[0][i] - c->ag.cat[1][i]);
    }
    return 0;
}

/* 四、副科级以上干部案件查处情况 */
static void
senior_cases(struct ctx *c)
{
    size_t ncat = categories_count(c->cats);
    long by_rank[7] = { 0 }, total = 0;
    struct text s = { .n = 0 };
    int k = 0;

    for (int r = 2; r <= 6; r++)
        for (size_t i = 0; i < ncat && i < MAX_CATS; i++) {
            by_rank[r] += c->ag.senior[r][i];
            total += c->ag.senior[r][i];
        }
    doc_heading(c->d, 1, "副科级以上干部案件查处情况");
    if (total == 0) {
        put(&s, "本期未报备涉及副科级以上干部的事项。");
        para(c, &s);
        return;
    }
    put(&s, "本期报备涉及副科级以上干部的事项%ld件，其中", total);
    for (int r = 6; r >= 2; r--)
        if (by_rank[r])
            put(&s, "%s%s%ld件", k++ ? "、" : "", rank_words[r], by_rank[r]);
    put(&s, "。");
    para(c, &s);
    {
        static const char *const h[] = { "职级", "事项", "主要类别" };
        static const double wd[] = { 0.20, 0.12, 0.68 };
        static const enum doc_align a[] = { DOC_LEFT, DOC_RIGHT, DOC_LEFT };
        table(c, "副科级以上干部事项", 3, h, wd, a);
    }
    for (int r = 6; r >= 2; r--) {
        struct text m = { .n = 0 };
        int shown = 0;
        long rest = by_rank[r];
        if (!by_rank[r])
            continue;
        /* Its categories, most matters first, three at most. */
        for (long want = by_rank[r]; want > 0 && shown < 3; want--)
            for (size_t i = 0; i < ncat && i < MAX_CATS && shown < 3; i++)
                if (c->ag.senior[r][i] == want) {
                    put(&m, "%s%s%ld件", shown++ ? "、" : "", category_name(c, i), want);
                    rest -= want;
                }
        if (rest > 0)
            put(&m, "，其他%ld件", rest);
        rowf(c, 3, "%s", rank_words[r], "%ld", by_rank[r], "%s", m.s);
    }
}

/* 五、举报、反映干部问题的查核情况: complaint matters (letters and visits,
 * 12380 reports) first received in the period; verified (查核) when a
 * written report of it came by the period's end. */
static void
complaints(struct ctx *c)
{
    struct text s = { .n = 0 };
    char r1[16], r2[16];

    rate_against(c->ag.k_done, c->ag.k_n, 95, r1, sizeof r1);
    rate_against(c->ag.r_done, c->ag.r_n, 100, r2, sizeof r2);
    doc_heading(c->d, 1, "举报、反映干部问题的查核情况");
    if (c->ag.k_n == 0) {
        put(&s, "本期未受理举报、反映干部问题的事项。");
    } else {
        put(&s, "本期受理举报、反映干部问题%ld件，至期末已查核%ld件，查核率%s，%s95%%的要求", c->ag.k_n,
            c->ag.k_done, r1, 100 * c->ag.k_done >= 95 * c->ag.k_n ? "达到" : "未达到");
        if (c->ag.r_n)
            put(&s, "；其中实名举报%ld件，已查核%ld件，查核率%s，%s100%%的要求", c->ag.r_n,
                c->ag.r_done, r2, c->ag.r_done == c->ag.r_n ? "达到" : "未达到");
        put(&s, "。");
    }
    para(c, &s);
    if (c->ag.k_after) {
        s.n = 0;
        put(&s, "另有本期受理的%ld件（其中实名%ld件）在本期结束后完成查核，未计入本期查核率。",
            c->ag.k_after, c->ag.r_after);
        para(c, &s);
    }
    {
        static const char *const h[] = { "", "受理件数", "已查核件数", "查核率", "目标" };
        static const double wd[] = { 0.24, 0.19, 0.19, 0.19, 0.19 };
        static const enum doc_align a[] = { DOC_LEFT, DOC_RIGHT, DOC_RIGHT, DOC_RIGHT,
                                            DOC_RIGHT };
        table(c, "举报、反映干部问题的查核情况", 5, h, wd, a);
    }
    rate_words(c->ag.k_done, c->ag.k_n, r1, sizeof r1);
    rate_words(c->ag.r_done, c->ag.r_n, r2, sizeof r2);
    rowf(c, 5, "%s", "举报反映", "%ld", c->ag.k_n, "%ld", c->ag.k_done, "%s", r1, "%s", "95%");
    rowf(c, 5, "%s", "实名举报", "%ld", c->ag.r_n, "%ld", c->ag.r_done, "%s", r2, "%s", "100%");
}

/* 六、意见建议: for the convener's office to write. */
static void
proposals(struct ctx *c)
{
    doc_heading(c->d, 1, "意见建议");
    doc_para(c->d, "【此处由联席会议办公室根据以上情况填写意见建议，印发前删除本段提示。】");
    doc_heading(c->d, 2, "关于进一步提高报送时效");
    doc_para(c->d, "【待填写】");
    doc_heading(c->d, 2, "关于苗头性、倾向性问题的防范和处置");
    doc_para(c->d, "【待填写】");
    doc_heading(c->d, 2, "关于加强干部日常教育管理监督");
    doc_para(c->d, "【待填写】");
}

static void
notes(struct ctx *c)
{
    struct text s = { .n = 0 };

    put(&s, "说明：%s%s", matters_rule[0],
        c->p->audience == BRIEF_LEADERSHIP
            ? "本材料供县委领导班子，列明“向社会公开”“党政机关”“县委领导班子”范围的事项；"
              "“特定范围”事项只计数，不列明细。"
            : "本材料发送全体成员单位分管领导，列明“向社会公开”“党政机关”范围的事项；"
              "仅限县委领导班子知悉的事项和“特定范围”事项只计数，不列明细。");
    para(c, &s);
}

/* The 版头 and the issuer's name as the county calls it. */
static void
head(struct ctx *c, char *issuer, size_t len)
{
    char copy[16];
    struct doc_head h = { NULL, c->p->secrecy && *c->p->secrecy ? c->p->secrecy : NULL,
                          c->p->urgency && *c->p->urgency ? c->p->urgency : NULL, issuer,
                          NULL };

    county_words(c, "县干部监督联席会议办公室", issuer, len);
    if (c->p->copy_no > 0) {
        snprintf(copy, sizeof copy, "%06d", c->p->copy_no % 1000000);
        h.copy_no = copy;
    }
    doc_head(c->d, &h);
}

static lx_day
doc_day(const struct ctx *c)
{
    return c->p->meeting_date ? c->p->meeting_date : c->p->to;
}

static int
main_document(struct ctx *c)
{
    char issuer[256], title[512], period[64], prev[96], p0[96], p1[512], cc[256];
    struct text s = { .n = 0 };
    const char *attach[] = { "报备事项清单" };

    head(c, issuer, sizeof issuer);
    title_words(c, title, sizeof title);
    doc_title(c->d, title);
    county_words(c, c->p->audience == BRIEF_LEADERSHIP ? "县委领导班子各位成员"
                                                       : "县干部监督联席会议各成员单位",
                 cc, sizeof cc);
    doc_addressee(c->d, cc);
    period_words(c->p->from, c->p->to, period, sizeof period);
    {
        lx_day pf, pt;
        previous_period(c->p->from, c->p->to, &pf, &pt);
        range_words(pf, pt, prev, sizeof prev);
    }
    range_words(c->p->from, c->p->to, p0, sizeof p0);
    county_words(c, "县干部监督联席会议制度", cc, sizeof cc);
    meeting_words(c, p1, sizeof p1);
    put(&s, "根据《%s》，现将%s", cc, period);
    if (calendar_kind(c->p->from, c->p->to))
        put(&s, "（%s）", p0);
    put(&s, "各成员单位干部监督信息报备情况通报如下");
    if (*p1)
        put(&s, "，请%s研究", p1);
    put(&s, "。");
    para(c, &s);

    overview(c, period, prev);
    timeliness(c);
    if (signals(c) < 0)
        return -1;
    senior_cases(c);
    complaints(c);
    proposals(c);
    notes(c);
    doc_attachments(c->d, 1, attach);
    doc_signature(c->d, issuer, doc_day(c));
    county_words(c, "县委领导班子各位成员", cc, sizeof cc);
    doc_imprint(c->d, c->p->audience == BRIEF_FULL ? cc : NULL, issuer, doc_day(c));
    return 0;
}

/* 附件: the matters the audience may see by name, grouped by unit. */
static int
appendix_document(struct ctx *c)
{
    char buf[256], masked[40];
    struct text s = { .n = 0 };
    int none = 0;
    static const char *const h[] = { "回执编号", "姓名", "身份证号码", "类别", "知悉日期",
                                     "主要情况" };
    static const double wd[] = { 0.16, 0.09, 0.26, 0.12, 0.15, 0.22 };

    /* An attachment has no 版头 of its own: its label, its title. */
    doc_label(c->d, "附件");
    doc_title(c->d, "报备事项清单");
    period_words(c->p->from, c->p->to, buf, sizeof buf);
    put(&s, "本清单列明%s各成员单位报备事项中本材料读者可以知悉的部分，按报备单位分列，"
        "同一单位内按首次报送先后排列。", buf);
    if (!c->p->show_id_numbers)
        put(&s, "身份证号码只显示前六位和后四位。");
    para(c, &s);
    for (int u = 0; u < LX_NUNITS; u++) {
        if (!c->ag.nrows[u]) {
            none++;
            continue;
        }
        snprintf(buf, sizeof buf, "%s（%d件）", unit_name(c, u), c->ag.nrows[u]);
        text_utf8_fix(buf);
        doc_heading(c->d, 1, buf);
        doc_table(c->d, NULL, 6, h, wd, NULL);
        for (int i = 0; i < c->ag.nrows[u]; i++) {
            const struct row *r = &c->ag.rows[u][i];
            if (c->p->show_id_numbers)
                snprintf(masked, sizeof masked, "%s", r->id);
            else
                brief_mask_id(r->id, masked, sizeof masked);
            rowf(c, 6, "%s", r->receipt, "%s", r->name, "%s", masked, "%s", r->category, "%s",
                 r->learned, "%s", r->summary);
        }
    }
    s.n = 0;
    if (none) {
        put(&s, "本期无可列明细事项的单位：");
        for (int u = 0, k = 0; u < LX_NUNITS; u++)
            if (!c->ag.nrows[u])
                put(&s, "%s%s", k++ ? "、" : "", unit_name(c, u));
        put(&s, "。");
    }
    put(&s, "以下范围的事项只计数，不列明细：");
    para(c, &s);
    {
        static const char *const hh[] = { "知悉范围", "报备事项" };
        static const double w2[] = { 0.6, 0.4 };
        static const enum doc_align a2[] = { DOC_LEFT, DOC_RIGHT };
        doc_table(c->d, "未列明细的事项（件）", 2, hh, w2, a2);
    }
    for (int sc = 1; sc <= 4; sc++)
        if (!brief_scope_listed(c->p->audience, sc))
            rowf(c, 2, "%s", scope_words[sc], "%ld", c->ag.counted[sc]);
    return 0;
}

/* 讲话要点: one page for the convener, from the same figures. */
static int
points_document(struct ctx *c)
{
    char title[512], period[64], r[24], d[40], ch[64];
    struct text s = { .n = 0 };
    long tn = 0, tb = 0, ok = 0, judged = 0;
    int k = 0, worst = -1;
    double worst_rate = 101;
    size_t ncat = categories_count(c->cats);

    for (int i = 0; i < LX_NUNITS; i++) {
        long j = c->ag.on_time[i] + c->ag.late[i] + c->ag.overdue[i];
        tn += c->ag.unit[0][i];
        tb += c->ag.unit[1][i];
        ok += c->ag.on_time[i];
        judged += j;
        if (j && 100.0 * (double)c->ag.on_time[i] / (double)j < worst_rate) {
            worst_rate = 100.0 * (double)c->ag.on_time[i] / (double)j;
            worst = i;
        }
    }
    doc_title(c->d, "讲话要点");
    meeting_words(c, title, sizeof title);
    if (!*title)
        title_words(c, title, sizeof title);
    put(&s, "（%s", title);
    if (c->p->meeting_date) {
        date_words(c->p->meeting_date, d, sizeof d);
        put(&s, "，%s", d);
    }
    put(&s, "）");
    para(c, &s);
    period_words(c->p->from, c->p->to, period, sizeof period);

    doc_heading(c->d, 1, "基本情况");
    s.n = 0;
    rate_words(ok, judged, r, sizeof r);
    put(&s, "%s，各成员单位共报备干部监督事项%ld件", period, tn);
    if (tb) {
        change_words(tn, tb, ch, sizeof ch);
        put(&s, "，比上一期间%s", ch);
    }
    if (judged)
        put(&s, "；已到报送期限的事项按时报送率%s。", r);
    else
        put(&s, "，均尚未到报送期限。");
    if (c->ag.k_n)
        put(&s, "受理举报、反映干部问题%ld件，已查核%ld件。", c->ag.k_n, c->ag.k_done);
    para(c, &s);

    doc_heading(c->d, 1, "需要关注的问题");
    s.n = 0;
    {
        static const char *const nth[] = { "一是", "二是", "三是", "四是" };
        int point = 0;

        if (worst >= 0 && c->ag.on_time[worst] < c->ag.on_time[worst] + c->ag.late[worst] +
                                                     c->ag.overdue[worst]) {
            long j = c->ag.on_time[worst] + c->ag.late[worst] + c->ag.overdue[worst];
            rate_against(c->ag.on_time[worst], j, 100, r, sizeof r);
            put(&s, "%s报送时效有待提高，%s按时率最低（%s）", nth[point++], unit_name(c, worst), r);
            for (int i = 0; i < LX_NUNITS; i++)
                if (c->ag.overdue[i])
                    put(&s, "%s%s", k++ ? "、" : "；", unit_name(c, i));
            put(&s, "%s。", k ? "仍有事项逾期未报" : "");
        }
        k = 0;
        for (size_t i = 0; i < ncat && i < MAX_CATS; i++)
            if (rising(c, i) && k < 3) {
                if (!k)
                    put(&s, "%s部分问题呈上升趋势，如", nth[point++]);
                put(&s, "%s%s", k++ ? "、" : "", category_name(c, i));
            }
        if (k)
            put(&s, "。");
        if (c->ag.k_n && 100 * c->ag.k_done < 95 * c->ag.k_n)
            put(&s, "%s举报反映查核率未达到95%%的要求。", nth[point++]);
        else if (c->ag.r_n && c->ag.r_done < c->ag.r_n)
            put(&s, "%s实名举报尚有%ld件未查核，未达到100%%的要求。", nth[point++],
                c->ag.r_n - c->ag.r_done);
    }
    if (!s.n)
        put(&s, "本期报送及时，未发现明显上升的问题类别。");
    para(c, &s);

    doc_heading(c->d, 1, "下一步工作要求");
    doc_para(c->d, "一是严格落实知悉后5个工作日内书面报送的要求，逾期单位要说明原因、限期补报。");
    doc_para(c->d, "二是对多个单位或多次报备的干部，由联席会议办公室会同有关单位深入了解，提出处理意见。");
    doc_para(c->d, "三是严格遵守组织人事纪律，对不宜公开的情况严格保密。");
    doc_para(c->d, "【其他要求由召集人补充。】");
    return 0;
}

int
brief_compile(store_t *db, const calendar_t *cal, const categories_t *cats,
              const struct brief_params *p, char **out, size_t *len, char *err, size_t errlen)
{
    struct ctx c = { .db = db, .cal = cal, .cats = cats, .p = p };
    lx_day today = days_shanghai(clock_now()), pfrom, pto;
    int rc = -1;

    *out = NULL;
    *len = 0;
    if (p->to < p->from) {
        snprintf(err, errlen, "the period ends before it begins");
        return -1;
    }
    if (!(c.d = doc_new())) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c.t0 = days_start(p->from);
    c.t1 = days_start(p->to + 1);
    previous_period(p->from, p->to, &pfrom, &pto);
    c.pt0 = days_start(pfrom);
    c.pt1 = days_start(pto + 1);
    c.asof = p->to < today ? p->to : today;
    if (store_begin_read(db) < 0) {
        snprintf(err, errlen, "cannot read the database: %s", store_errmsg(db));
        doc_destroy(&c.d);
        return -1;
    }
    if (aggregate(&c) == 0 &&
        (p->part == BRIEF_APPENDIX ? appendix_document(&c)
         : p->part == BRIEF_POINTS ? points_document(&c) : main_document(&c)) == 0)
        rc = 0;
    store_end_read(db);
    if (rc < 0 || c.oom) {
        snprintf(err, errlen, "%s", c.oom ? "out of memory"
                 : c.err[0] ? c.err : "the briefing could not be compiled");
        rc = -1;
    } else if (p->format == BRIEF_DOCX) {
        rc = doc_render_docx(c.d, out, len, err, errlen);
    } else if (p->format == BRIEF_MD) {
        rc = doc_render_md(c.d, out, len, err, errlen);
    } else {
        rc = doc_render_html(c.d, out, len, err, errlen);
    }
    free_rows(&c);
    doc_destroy(&c.d);
    return rc;
}
