/* brief.c — the joint meeting's briefing: overview, timeliness, signals,
 * cases of 副科 and above, complaints, and the appendix limited by the
 * audience's disclosure scope; HTML with inline SVG charts, or Markdown. */
#include "brief.h"
#include "clock.h"
#include "matters.h"
#include "store.h"
#include "lianxi.pb-c.h"
#include "days.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BRIEF_ZH = 0, BRIEF_EN = 1 };   /* the old wording tables (until the rewrite) */

/* ---- a growing string ---------------------------------------------------- */

struct sb {
    char *p;
    size_t len, cap;
    int oom;
};

static void
sb_put(struct sb *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = (b->cap + n + 1) * 2;
        char *np = realloc(b->p, ncap);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void
sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sb *b, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof buf) {
        sb_put(b, buf, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_put(b, big, (size_t)n);
    free(big);
}

/* Text for the document: escaped for HTML, or for Markdown table cells
 * (where raw HTML is passed through by renderers, so < > & are escaped too). */
static void
sb_text(struct sb *b, int format, const char *s)
{
    for (; s && *s; s++) {
        if ((*s == '<' || *s == '>' || *s == '&') ||
            (format == BRIEF_HTML && *s == '"')) {
            sb_printf(b, "%s", *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '&' ? "&amp;"
                                                                        : "&quot;");
        } else if (format == BRIEF_MD && (*s == '|' || *s == '\n' || *s == '\r')) {
            sb_put(b, *s == '|' ? "\\|" : " ", *s == '|' ? 2 : 1);
        } else {
            sb_put(b, s, 1);
        }
    }
}

/* ---- words ----------------------------------------------------------------- */

enum {
    W_TITLE, W_PERIOD, W_PREV, W_S1, W_S2, W_S3, W_S4, W_S5, W_S6, W_UNIT, W_CATEGORY,
    W_FILINGS, W_CHANGE, W_ONTIME, W_LATE, W_LATEDAYS, W_RATE, W_OPEN, W_OVERDUE, W_TOTAL,
    W_CADRES, W_IDNO, W_NAME, W_UNITS, W_TIMES, W_WORKUNIT, W_NCADRES, W_RISING, W_RANK,
    W_CASES, W_RECEIVED, W_VERIFIED, W_VRATE, W_TARGET, W_REALNAME, W_SCOPE_RULE_FULL,
    W_SCOPE_RULE_LEAD, W_SPECIFIC, W_RECEIPT, W_LEARNED, W_SUMMARY, W_NONE, W_BYUNIT_CHART,
    W_TIMELY_CHART, W_TREND_CHART, W_AUDIENCE_FULL, W_AUDIENCE_LEAD, W_MEETING, W_COMPLAINTS,
    W_SCOPE, W_MATTERS, W_PENDING, W_OVERDUE_MATTERS, W_SUPERVISION, W_REQUESTS, W_ANSWERED_ON,
    W_ANSWERED_LATE, W_STILL_OPEN, W_PAST_DUE, W_VERIFIED_AFTER, W_COUNT
};

static const char *const words[2][W_COUNT] = {
    {
        "县干部监督联席会议通报材料", "通报期间", "上一期间", "一、总体情况", "二、各成员单位报送时效",
        "三、苗头性、倾向性问题", "四、副科级以上干部案件查处情况", "五、举报、反映干部问题的查核情况",
        "附件：报备事项清单", "成员单位", "类别", "报备件数", "增减", "按时", "逾期",
        "逾期工作日合计", "按时率", "未办结事项", "已逾期事项", "合计", "多个单位或多次报备的干部",
        "身份证号码", "姓名", "报备单位", "件数", "工作单位", "涉及干部人数", "上升的问题类别", "职级",
        "件数", "受理件数", "已查核件数", "查核率", "目标", "实名举报",
        "本材料发送全体成员单位分管领导：列入“向社会公开”“党政机关”范围的事项；"
        "仅限县委领导班子知悉的事项和“特定范围”事项只计数，不列明细。",
        "本材料供县委领导班子：列入“向社会公开”“党政机关”“县委领导班子”范围的事项；"
        "“特定范围”事项只计数，不列明细。",
        "未列明细的事项", "回执编号", "知悉日期", "主要情况", "无", "各成员单位报备件数",
        "各成员单位按时报送率", "逐月报备件数", "全体成员单位分管领导", "县委领导班子", "会议",
        "举报反映", "知悉范围", "报备事项", "尚未到期", "逾期未报", "督办情况（补充材料要求）",
        "提出要求", "按时答复", "逾期答复", "尚未答复", "其中已超期",
        "期后查核",
    },
    {
        "Cadre-supervision joint meeting: briefing", "Period", "Previous period",
        "1. Overview", "2. Timeliness per member unit", "3. Signals (emerging and recurring problems)",
        "4. Cases of cadres at deputy-section level and above",
        "5. Complaints and reports: verification", "Appendix: the filings", "Member unit",
        "Category", "Filings", "Change", "On time", "Late", "Working days late (total)",
        "On-time rate", "Open obligations", "Overdue obligations", "Total",
        "Cadres filed by two or more units or more than once", "ID number", "Name", "Units",
        "Filings", "Work unit", "Cadres", "Categories rising", "Rank", "Cases",
        "Received", "Verified", "Verification rate", "Target", "Real-name reports",
        "This briefing goes to the deputies of all member units: it lists filings of scope "
        "public and organs; filings for the county leadership only and filings of a specific "
        "scope are counted, not listed.",
        "This briefing is for the county party committee's leadership: it lists filings of "
        "scope public, organs and leadership; filings of a specific scope are counted, not "
        "listed.",
        "Filings counted, not listed", "Receipt", "Learned", "Summary", "none",
        "Filings by member unit", "On-time rate by member unit", "Filings per month",
        "deputies of all member units", "county leadership", "Meeting", "Complaints and reports",
        "Scope", "Matters", "Not yet due", "Overdue, no report",
        "Supervision: supplement requests", "Requests made", "Answered on time", "Answered late",
        "Not yet answered", "of which past due",
        "verified after the period",
    },
};

static const char *const rank_words[2][7] = {
    { "未注明", "科员及以下", "副科", "正科", "副处", "正处", "副厅及以上" },
    { "not given", "clerk", "deputy section", "section", "deputy division", "division",
      "bureau and above" },
};

static const char *const scope_words[2][5] = {
    { "", "向社会公开", "党政机关", "县委领导班子", "特定范围" },
    { "", "public", "organs", "leadership", "specific" },
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

/* ---- helpers --------------------------------------------------------------- */

#define MAX_CATS 128

/* The figures of the period (and the one before), from one scan of each
 * period's matters (matters.h: the counting model). */
struct agg {
    long unit[2][LX_NUNITS];            /* matters: [0] the period, [1] the one before */
    long cat[2][MAX_CATS];
    long on_time[LX_NUNITS], late[LX_NUNITS], late_days[LX_NUNITS];
    long overdue[LX_NUNITS], pending[LX_NUNITS];
    long month[240];                    /* matters by month of first receipt */
    long senior[7][MAX_CATS];           /* 副科 and above: rank by category */
    long k_n, k_done, k_after, r_n, r_done, r_after;   /* complaints, real-name ones */
    long counted[5];                    /* appendix: counted, not listed, by scope */
    struct sb appx;                     /* the appendix's rows */
};

struct ctx {
    struct agg ag;
    int scan;                       /* 0: the period, 1: the one before */
    struct requests req;
    store_t *db;
    const calendar_t *cal;
    const categories_t *cats;
    const struct brief_params *p;
    struct sb b;
    int64_t t0, t1, pt0, pt1;       /* [t0, t1): the period; [pt0, pt1): the one before */
    char err[256];
};

#define W(c, w) (((void)(c), words[BRIEF_ZH][w]))

static void
date_words(const struct ctx *c, lx_day d, char *out, size_t len)
{
    int y, m, dd;

    (void)c;
    days_to_civil(d, &y, &m, &dd);
    if (BRIEF_ZH == BRIEF_ZH)
        snprintf(out, len, "%d年%d月%d日", y, m, dd);
    else
        days_format(d, out);
}

static const char *
unit_words(const struct ctx *c, const char *code)
{
    const struct lx_unit *u = units_find(code);
    (void)c;
    return u ? (BRIEF_ZH == BRIEF_ZH ? u->zh : u->en) : code;
}

static const char *
category_words(const struct ctx *c, const char *code)
{
    const struct lx_category *k = categories_find(c->cats, code);
    return k ? (BRIEF_ZH == BRIEF_ZH ? k->zh : k->en) : code;
}

static void
heading(struct ctx *c, int w)
{
    if (c->p->format == BRIEF_HTML)
        sb_printf(&c->b, "<h2>%s</h2>\n", W(c, w));
    else
        sb_printf(&c->b, "\n## %s\n\n", W(c, w));
}

/* A table: header cells, then rows of cells added with cell()/row_end(). */
static void
table_begin(struct ctx *c, int n, ...)
{
    va_list ap;

    va_start(ap, n);
    if (c->p->format == BRIEF_HTML) {
        sb_printf(&c->b, "<table><thead><tr>");
        for (int i = 0; i < n; i++)
            sb_printf(&c->b, "<th>%s</th>", va_arg(ap, const char *));
        sb_printf(&c->b, "</tr></thead><tbody>\n");
    } else {
        sb_printf(&c->b, "|");
        for (int i = 0; i < n; i++)
            sb_printf(&c->b, " %s |", va_arg(ap, const char *));
        sb_printf(&c->b, "\n|");
        for (int i = 0; i < n; i++)
            sb_printf(&c->b, "---|");
        sb_printf(&c->b, "\n");
    }
    va_end(ap);
}

static void
row_begin(struct ctx *c)
{
    sb_printf(&c->b, c->p->format == BRIEF_HTML ? "<tr>" : "|");
}

static void
cell(struct ctx *c, const char *s)
{
    if (c->p->format == BRIEF_HTML) {
        sb_printf(&c->b, "<td>");
        sb_text(&c->b, BRIEF_HTML, s);
        sb_printf(&c->b, "</td>");
    } else {
        sb_printf(&c->b, " ");
        sb_text(&c->b, BRIEF_MD, s);
        sb_printf(&c->b, " |");
    }
}

static void
celln(struct ctx *c, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    cell(c, buf);
}

static void
cell_change(struct ctx *c, long now, long before)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%+ld", now - before);
    cell(c, buf);
}

static void
cell_rate(struct ctx *c, long part, long whole)
{
    char buf[32] = "-";
    if (whole > 0)
        snprintf(buf, sizeof buf, "%.1f%%", 100.0 * (double)part / (double)whole);
    cell(c, buf);
}

static void
row_end(struct ctx *c)
{
    sb_printf(&c->b, c->p->format == BRIEF_HTML ? "</tr>\n" : "\n");
}

static void
table_end(struct ctx *c)
{
    sb_printf(&c->b, c->p->format == BRIEF_HTML ? "</tbody></table>\n" : "\n");
}

static void
para(struct ctx *c, const char *s)
{
    if (c->p->format == BRIEF_HTML) {
        sb_printf(&c->b, "<p>");
        sb_text(&c->b, BRIEF_HTML, s);
        sb_printf(&c->b, "</p>\n");
    } else {
        sb_printf(&c->b, "\n%s\n\n", s);
    }
}

/* A bar chart: values a (this period) and, when given, b (the one before). */
static void
svg_bars(struct ctx *c, const char *title, int n, const char *const *labels, const double *a,
         const double *b, double max, int percent)
{
    const int w = 680, h = 250, left = 40, bottom = 60, top = 24;
    double bw = (double)(w - left - 10) / (n ? n : 1);

    if (c->p->format != BRIEF_HTML)
        return;
    if (max <= 0)
        max = 1;
    sb_printf(&c->b, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
              "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>%s</title>\n",
              w, h, w, h, title);
    sb_printf(&c->b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", left,
              h - bottom, w - 10, h - bottom);
    for (int i = 0; i < n; i++) {
        double x = left + i * bw, ha = (h - bottom - top) * a[i] / max;
        if (b) {
            double hb = (h - bottom - top) * b[i] / max;
            sb_printf(&c->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                      "fill=\"#c8d3e0\"/>\n", x + bw * 0.15, h - bottom - hb, bw * 0.3, hb);
        }
        sb_printf(&c->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                  "fill=\"#a33\"/>\n", x + bw * (b ? 0.45 : 0.25), h - bottom - ha,
                  bw * (b ? 0.4 : 0.5), ha);
        if (percent)
            sb_printf(&c->b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">"
                      "%.0f%%</text>\n", x + bw / 2, h - bottom - ha - 3, a[i]);
        else
            sb_printf(&c->b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">"
                      "%.0f</text>\n", x + bw * 0.65, h - bottom - ha - 3, a[i]);
        sb_printf(&c->b, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"end\" "
                  "transform=\"rotate(-35 %.1f %d)\">", x + bw / 2, h - bottom + 14, x + bw / 2,
                  h - bottom + 14);
        sb_text(&c->b, BRIEF_HTML, labels[i]);
        sb_printf(&c->b, "</text>\n");
    }
    sb_printf(&c->b, "</svg><figcaption>%s</figcaption></figure>\n", title);
}

/* ---- the sections ------------------------------------------------------- */

static int
unit_index(const char *code)
{
    for (int i = 0; i < LX_NUNITS; i++)
        if (strcmp(lx_units[i].code, code) == 0)
            return i;
    return -1;
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

static int unit_index(const char *code);

static void appendix_row(struct ctx *c, const struct matter *m);

/* Month slot of a time in the period's months. */
static int
month_slot(const struct ctx *c, int64_t t)
{
    int y0, m0, d0, y, m, d;

    days_to_civil(c->p->from, &y0, &m0, &d0);
    days_to_civil(days_shanghai(t), &y, &m, &d);
    return (y - y0) * 12 + (m - m0);
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
        if (slot >= 0 && slot < 240)
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
    appendix_row(c, m);
    return 0;
}

/* One scan of each period's matters. */
static int
aggregate(struct ctx *c)
{
    lx_day today = days_shanghai(clock_now());
    lx_day asof = c->p->to < today ? c->p->to : today;

    c->scan = 0;
    if (matters_scan(c->db, c->cal, c->t0, c->t1, asof, count_matter, c) < 0)
        return -1;
    c->scan = 1;
    if (matters_scan(c->db, c->cal, c->pt0, c->pt1, asof, count_matter, c) < 0)
        return -1;
    if (matters_requests(c->db, c->t0, c->t1, asof, &c->req) < 0)
        return -1;
    return 0;
}

static int
overview(struct ctx *c)
{
    long now[LX_NUNITS], before[LX_NUNITS], tn = 0, tb = 0;
    double a[LX_NUNITS], b[LX_NUNITS], max = 0;
    const char *labels[LX_NUNITS];
    size_t ncat = categories_count(c->cats);

    heading(c, W_S1);
    table_begin(c, 4, W(c, W_UNIT), W(c, W_MATTERS), W(c, W_PREV), W(c, W_CHANGE));
    for (int i = 0; i < LX_NUNITS; i++) {
        now[i] = c->ag.unit[0][i];
        before[i] = c->ag.unit[1][i];
        row_begin(c);
        cell(c, unit_words(c, lx_units[i].code));
        celln(c, now[i]);
        celln(c, before[i]);
        cell_change(c, now[i], before[i]);
        row_end(c);
        tn += now[i];
        tb += before[i];
        labels[i] = unit_words(c, lx_units[i].code);
        a[i] = (double)now[i];
        b[i] = (double)before[i];
        if (a[i] > max)
            max = a[i];
        if (b[i] > max)
            max = b[i];
    }
    row_begin(c);
    cell(c, W(c, W_TOTAL));
    celln(c, tn);
    celln(c, tb);
    cell_change(c, tn, tb);
    row_end(c);
    table_end(c);
    svg_bars(c, W(c, W_BYUNIT_CHART), LX_NUNITS, labels, a, b, max, 0);

    table_begin(c, 4, W(c, W_CATEGORY), W(c, W_MATTERS), W(c, W_PREV), W(c, W_CHANGE));
    for (size_t i = 0; i < ncat && i < MAX_CATS; i++) {
        const struct lx_category *k = categories_at(c->cats, i);
        long n = c->ag.cat[0][i], pb = c->ag.cat[1][i];
        if (n == 0 && pb == 0)
            continue;
        row_begin(c);
        cell(c, category_words(c, k->code));
        celln(c, n);
        celln(c, pb);
        cell_change(c, n, pb);
        row_end(c);
    }
    table_end(c);
    return 0;
}

static int
timeliness(struct ctx *c)
{
    double rate[LX_NUNITS];
    const char *labels[LX_NUNITS];
    long t[6] = { 0 };

    heading(c, W_S2);
    table_begin(c, 8, W(c, W_UNIT), W(c, W_MATTERS), W(c, W_ONTIME), W(c, W_LATE),
                W(c, W_LATEDAYS), W(c, W_RATE), W(c, W_OVERDUE_MATTERS), W(c, W_PENDING));
    for (int i = 0; i < LX_NUNITS; i++) {
        long n = c->ag.unit[0][i], ok = c->ag.on_time[i], late = c->ag.late[i];
        long over = c->ag.overdue[i], pend = c->ag.pending[i];
        /* The rate is of the matters whose time has come: reported, or past due. */
        long judged = ok + late + over;
        row_begin(c);
        cell(c, unit_words(c, lx_units[i].code));
        celln(c, n);
        celln(c, ok);
        celln(c, late);
        celln(c, c->ag.late_days[i]);
        cell_rate(c, ok, judged);
        celln(c, over);
        celln(c, pend);
        row_end(c);
        rate[i] = judged ? 100.0 * (double)ok / (double)judged : 0;
        labels[i] = unit_words(c, lx_units[i].code);
        t[0] += n;
        t[1] += ok;
        t[2] += late;
        t[3] += c->ag.late_days[i];
        t[4] += over;
        t[5] += pend;
    }
    row_begin(c);
    cell(c, W(c, W_TOTAL));
    celln(c, t[0]);
    celln(c, t[1]);
    celln(c, t[2]);
    celln(c, t[3]);
    cell_rate(c, t[1], t[1] + t[2] + t[4]);
    celln(c, t[4]);
    celln(c, t[5]);
    row_end(c);
    table_end(c);
    svg_bars(c, W(c, W_TIMELY_CHART), LX_NUNITS, labels, rate, NULL, 100, 1);

    para(c, W(c, W_SUPERVISION));
    table_begin(c, 5, W(c, W_REQUESTS), W(c, W_ANSWERED_ON), W(c, W_ANSWERED_LATE),
                W(c, W_STILL_OPEN), W(c, W_PAST_DUE));
    row_begin(c);
    celln(c, c->req.made);
    celln(c, c->req.on_time);
    celln(c, c->req.late);
    celln(c, c->req.open);
    celln(c, c->req.overdue);
    row_end(c);
    table_end(c);
    return 0;
}

static int
trend(struct ctx *c)
{
    /* Filings per month of the period: a line. */
    int y0, m0, d0, y1, m1, d1, n = 0;
    double v[240];
    const int w = 680, h = 200, left = 40, bottom = 30, top = 20;
    double max = 1;

    if (c->p->format != BRIEF_HTML)
        return 0;
    days_to_civil(c->p->from, &y0, &m0, &d0);
    days_to_civil(c->p->to, &y1, &m1, &d1);
    for (int y = y0, m = m0; (y < y1 || (y == y1 && m <= m1)) && n < 240; n++) {
        v[n] = (double)c->ag.month[n];
        if (v[n] > max)
            max = v[n];
        if (++m == 13) {
            m = 1;
            y++;
        }
    }
    sb_printf(&c->b, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
              "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>%s</title>\n"
              "<polyline fill=\"none\" stroke=\"#a33\" stroke-width=\"2\" points=\"", w, h, w, h,
              W(c, W_TREND_CHART));
    for (int i = 0; i < n; i++)
        sb_printf(&c->b, "%s%.1f,%.1f", i ? " " : "",
                  left + (n > 1 ? (double)i * (w - left - 20) / (n - 1) : 0.0),
                  h - bottom - (h - bottom - top) * v[i] / max);
    sb_printf(&c->b, "\"/>\n");
    for (int i = 0, y = y0, m = m0; i < n; i++) {
        sb_printf(&c->b, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\">"
                  "%d-%02d</text>\n", left + (n > 1 ? (double)i * (w - left - 20) / (n - 1) : 0.0),
                  h - 10, y, m);
        if (++m == 13) {
            m = 1;
            y++;
        }
    }
    sb_printf(&c->b, "</svg><figcaption>%s</figcaption></figure>\n", W(c, W_TREND_CHART));
    return 0;
}

/* The highest scope the audience may see by name: public (1) and organs (2)
 * for all deputies, and leadership (3) for the leadership (specific is 4). */
static int
listed_max(const struct ctx *c)
{
    return brief_scope_listed(c->p->audience, LIANXI__SCOPE__SCOPE_LEADERSHIP)
               ? LIANXI__SCOPE__SCOPE_LEADERSHIP : LIANXI__SCOPE__SCOPE_ORGANS;
}

static int
cadre_row(void *arg, const char *name, const char *id_number, const char *unit_list, long n)
{
    struct ctx *c = arg;
    char units[512] = "", *save = NULL, *tok, list[512];

    snprintf(list, sizeof list, "%s", unit_list);
    for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t l = strlen(units);
        snprintf(units + l, sizeof units - l, "%s%s", l ? "、" : "", unit_words(c, tok));
    }
    row_begin(c);
    cell(c, name);
    cell(c, id_number);
    cell(c, units);
    celln(c, n);
    row_end(c);
    return 0;
}

static int
work_unit_row(void *arg, const char *work_unit, long n)
{
    struct ctx *c = arg;

    row_begin(c);
    cell(c, work_unit);
    celln(c, n);
    row_end(c);
    return 0;
}

static int
signals(struct ctx *c)
{
    heading(c, W_S3);
    para(c, W(c, W_CADRES));
    /* Matters of the period, each once; names only from what the audience
     * may see (the appendix's rule). */
    table_begin(c, 4, W(c, W_NAME), W(c, W_IDNO), W(c, W_UNITS), W(c, W_TIMES));
    if (matters_cadres(c->db, c->t0, c->t1, listed_max(c), 100, cadre_row, c) < 0)
        return -1;
    table_end(c);

    para(c, W(c, W_WORKUNIT));
    table_begin(c, 2, W(c, W_WORKUNIT), W(c, W_NCADRES));
    if (matters_work_units(c->db, c->t0, c->t1, listed_max(c), 50, work_unit_row, c) < 0)
        return -1;
    table_end(c);

    para(c, W(c, W_RISING));
    table_begin(c, 4, W(c, W_CATEGORY), W(c, W_MATTERS), W(c, W_PREV), W(c, W_CHANGE));
    for (size_t i = 0; i < categories_count(c->cats) && i < MAX_CATS; i++) {
        const struct lx_category *k = categories_at(c->cats, i);
        long n = c->ag.cat[0][i], pb = c->ag.cat[1][i];
        if (n <= pb)
            continue;
        row_begin(c);
        cell(c, category_words(c, k->code));
        celln(c, n);
        celln(c, pb);
        cell_change(c, n, pb);
        row_end(c);
    }
    table_end(c);
    return 0;
}

static int
senior_cases(struct ctx *c)
{
    size_t ncat = categories_count(c->cats);

    heading(c, W_S4);
    table_begin(c, 3, W(c, W_RANK), W(c, W_CATEGORY), W(c, W_CASES));
    for (int r = 6; r >= 2; r--)
        for (size_t i = 0; i < ncat && i < MAX_CATS; i++) {
            if (!c->ag.senior[r][i])
                continue;
            row_begin(c);
            cell(c, rank_words[BRIEF_ZH][r]);
            cell(c, category_words(c, categories_at(c->cats, i)->code));
            celln(c, c->ag.senior[r][i]);
            row_end(c);
        }
    table_end(c);
    return 0;
}

static int
complaints(struct ctx *c)
{
    /* Complaint matters (letters and visits, 12380 reports) first received
     * in the period; verified (查核) when a written report of it came by the
     * period's end. */
    char after[512];

    heading(c, W_S5);
    table_begin(c, 5, "", W(c, W_RECEIVED), W(c, W_VERIFIED), W(c, W_VRATE), W(c, W_TARGET));
    row_begin(c);
    cell(c, W(c, W_COMPLAINTS));
    celln(c, c->ag.k_n);
    celln(c, c->ag.k_done);
    cell_rate(c, c->ag.k_done, c->ag.k_n);
    cell(c, "95%");
    row_end(c);
    row_begin(c);
    cell(c, W(c, W_REALNAME));
    celln(c, c->ag.r_n);
    celln(c, c->ag.r_done);
    cell_rate(c, c->ag.r_done, c->ag.r_n);
    cell(c, "100%");
    row_end(c);
    table_end(c);
    if (BRIEF_ZH == BRIEF_ZH)
        snprintf(after, sizeof after, "另有本期受理的 %ld 件（其中实名 %ld 件）在本期结束后至最后一次"
                 "报送前完成查核，未计入本期查核率。", c->ag.k_after, c->ag.r_after);
    else
        snprintf(after, sizeof after, "A further %ld complaints received in this period (%ld "
                 "real-name) were verified after its end, up to the last filing received; they "
                 "are not in this period's rate.", c->ag.k_after, c->ag.r_after);
    para(c, after);
    return 0;
}

/* One matter in the appendix (kept aside, written at the end), or counted
 * only when the audience may not see it by name. */
static void
appendix_row(struct ctx *c, const struct matter *m)
{
    struct sb main = c->b;

    if (!brief_scope_listed(c->p->audience, m->scope)) {
        c->ag.counted[m->scope >= 0 && m->scope <= 4 ? m->scope : 0]++;
        return;
    }
    c->b = c->ag.appx;
    row_begin(c);
    cell(c, m->receipt_no);
    cell(c, unit_words(c, m->unit));
    cell(c, category_words(c, m->category));
    cell(c, m->name);
    cell(c, m->learned_on);
    cell(c, m->summary);
    row_end(c);
    c->ag.appx = c->b;
    c->b = main;
}

static int
appendix(struct ctx *c)
{
    heading(c, W_S6);
    para(c, W(c, c->p->audience == BRIEF_LEADERSHIP ? W_SCOPE_RULE_LEAD : W_SCOPE_RULE_FULL));
    table_begin(c, 6, W(c, W_RECEIPT), W(c, W_UNIT), W(c, W_CATEGORY), W(c, W_NAME),
                W(c, W_LEARNED), W(c, W_SUMMARY));
    if (c->ag.appx.len)
        sb_put(&c->b, c->ag.appx.p, c->ag.appx.len);
    c->b.oom |= c->ag.appx.oom;
    table_end(c);
    para(c, W(c, W_SPECIFIC));
    table_begin(c, 2, W(c, W_SCOPE), W(c, W_MATTERS));
    for (int s = 1; s <= 4; s++) {
        if (brief_scope_listed(c->p->audience, s))
            continue;
        row_begin(c);
        cell(c, scope_words[BRIEF_ZH][s]);
        celln(c, c->ag.counted[s]);
        row_end(c);
    }
    table_end(c);
    return 0;
}

/* The title line: the meeting's title (or the document's) with the county
 * named where the generic wording says only "县", when [hub] county is set. */
static void
title_line(const struct brief_params *p, const char *title, char *out, size_t len)
{
    const char *at = p->county && *p->county ? strstr(title, "县干部监督联席会议") : NULL;

    if (!p->county || !*p->county)
        snprintf(out, len, "%s", title);
    else if (at)
        snprintf(out, len, "%s%.*s%s", p->county, (int)(at - title), title,
                 at + strlen("县"));
    else if (strstr(title, p->county))
        snprintf(out, len, "%s", title);
    else
        snprintf(out, len, "%s %s", p->county, title);
}

static const char css[] =
    "@page{size:A4;margin:18mm 16mm}"
    "body{font-family:'Noto Serif CJK SC','Source Han Serif SC','SimSun',serif;font-size:11pt;"
    "color:#111;max-width:180mm;margin:auto}"
    "h1{font-size:18pt;text-align:center;margin:0 0 4pt}h2{font-size:13pt;margin:14pt 0 6pt;"
    "page-break-after:avoid}.meta{text-align:center;margin-bottom:12pt}"
    "table{border-collapse:collapse;width:100%;margin:4pt 0 8pt;page-break-inside:auto}"
    "th,td{border:0.5pt solid #555;padding:2pt 4pt;font-size:9.5pt;vertical-align:top}"
    "th{background:#eee}tr{page-break-inside:avoid}figure{margin:6pt 0;page-break-inside:avoid}"
    "figcaption{font-size:9pt;text-align:center}svg{max-width:100%;height:auto}";

int
brief_compile(store_t *db, const calendar_t *cal, const categories_t *cats,
              const struct brief_params *p, char **out, size_t *len, char *err, size_t errlen)
{
    struct ctx c = { .db = db, .cal = cal, .cats = cats, .p = p };
    lx_day span = p->to - p->from + 1;
    char d0[40], d1[40], pd0[40], pd1[40], md[40], title[512];
    const char *aud = W(&c, p->audience == BRIEF_LEADERSHIP ? W_AUDIENCE_LEAD : W_AUDIENCE_FULL);

    if (p->to < p->from) {
        snprintf(err, errlen, "the period ends before it begins");
        return -1;
    }
    c.t0 = days_start(p->from);
    c.t1 = days_start(p->to + 1);
    c.pt0 = days_start(p->from - span);
    c.pt1 = c.t0;
    date_words(&c, p->from, d0, sizeof d0);
    date_words(&c, p->to, d1, sizeof d1);
    date_words(&c, p->from - span, pd0, sizeof pd0);
    date_words(&c, p->from - 1, pd1, sizeof pd1);
    if (store_begin_read(db) < 0) {
        snprintf(err, errlen, "cannot read the database: %s", store_errmsg(db));
        return -1;
    }
    title_line(p, p->title ? p->title : W(&c, W_TITLE), title, sizeof title);
    if (p->format == BRIEF_HTML) {
        sb_printf(&c.b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"/>"
                  "<title>%s</title><style>%s</style></head><body>\n",
                  BRIEF_ZH == BRIEF_ZH ? "zh-CN" : "en", W(&c, W_TITLE), css);
        sb_printf(&c.b, "<h1>");
        sb_text(&c.b, BRIEF_HTML, title);
        sb_printf(&c.b, "</h1>\n<p class=\"meta\">");
        if (p->meeting_date) {
            date_words(&c, p->meeting_date, md, sizeof md);
            sb_printf(&c.b, "%s %s · ", W(&c, W_MEETING), md);
        }
        sb_printf(&c.b, "%s %s–%s · %s %s–%s · %s</p>\n", W(&c, W_PERIOD), d0, d1,
                  W(&c, W_PREV), pd0, pd1, aud);
    } else {
        sb_printf(&c.b, "# ");
        sb_text(&c.b, BRIEF_MD, title);
        sb_printf(&c.b, "\n\n");
        if (p->meeting_date) {
            date_words(&c, p->meeting_date, md, sizeof md);
            sb_printf(&c.b, "%s %s · ", W(&c, W_MEETING), md);
        }
        sb_printf(&c.b, "%s %s–%s · %s %s–%s · %s\n", W(&c, W_PERIOD), d0, d1, W(&c, W_PREV),
                  pd0, pd1, aud);
    }
    para(&c, matters_rule[BRIEF_ZH == BRIEF_ZH ? 0 : 1]);
    if (aggregate(&c) < 0 || overview(&c) < 0 || trend(&c) < 0 || timeliness(&c) < 0 || signals(&c) < 0 ||
        senior_cases(&c) < 0 || complaints(&c) < 0 || appendix(&c) < 0)
        goto err;
    if (p->format == BRIEF_HTML)
        sb_printf(&c.b, "</body></html>\n");
    store_end_read(db);
    free(c.ag.appx.p);
    if (c.b.oom) {
        snprintf(err, errlen, "out of memory");
        free(c.b.p);
        return -1;
    }
    *out = c.b.p;
    *len = c.b.len;
    return 0;
err:
    store_end_read(db);
    free(c.ag.appx.p);
    snprintf(err, errlen, "%s", c.err[0] ? c.err : "the briefing could not be compiled");
    free(c.b.p);
    return -1;
}
