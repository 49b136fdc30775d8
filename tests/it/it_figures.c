/* it_figures.c — the briefing's figures against the counting model (issue
 * 10): a small table of cases is filed through the real police, discipline
 * and petitions adapters at the test-clock dates it names, the convener
 * compiles the Markdown briefing of September and of October 2026 and its
 * appendix, and their tables and sentences are compared with figures this
 * test computes from its own table and the working-day calendar, never from
 * the hub's database.
 *
 * The model as this test reads it (src/hub/matters.h): a matter is one
 * unit's case about one cadre, counted once, in the period of its first
 * notice or report, under the category of its current content.  It is due
 * on the 5th working day after learned_on; on time when its report's first
 * revision came by then, else late by the working days after the due date up
 * to that receipt; without a report it is overdue (逾期未报) when the day the
 * figures are taken (the period's last day, or today when earlier) is past
 * its due date, pending (尚未到期) otherwise.  Amendments change neither.  A
 * complaint (a petition) is verified when its report came by the period's
 * end; one verified later is on a line of its own.  The on-time rate is of
 * the matters whose time has come: on time / (on time + late + overdue).
 * The previous period is the calendar month before (this test's periods
 * are months; README). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "categories.h"
#include "days.h"
#include "files.h"
#include "harness.h"
#include "idnum.h"

/* One case of the test's input.  Dates are YYYY-MM-DD; notice, report and
 * amend are the test-clock days on which the unit's adapter files them (NULL:
 * never).  The amendment re-exports the case's latest stage with changed
 * content (the type changed to type2 when there is one, else the summary
 * completed), so the adapter files it as revision 2 of that stage. */
struct kase {
    const char *unit, *ref, *id17, *name;
    const char *type, *category;        /* as exported, and the category it maps to */
    const char *type2, *category2;      /* after the amendment, when it changes them */
    const char *learned, *notice, *report, *amend;
    int real_name;                      /* petitions: 是 */
    const char *scope;                  /* as exported */
    const char *summary;                /* of the report */
    const char *notice_text;            /* of the notice (NULL: empty) */
};

#define AMENDED "经复核，补充处理结果。"

static const struct kase cases[] = {
    /* August: a matter of September's previous period (August).  Its
     * amendment, filed in September, is no matter of September (nor of
     * October's previous period, September). */
    { "police", "A4416232026080001", "44162319800115123", "罗文斌", "醉酒驾驶机动车",
      "police.drunk_driving", NULL, NULL, "2026-08-20", NULL, "2026-08-24", "2026-09-03", 0,
      "党政机关", "醉酒驾驶机动车，血液酒精含量120mg/100ml。", NULL },
    /* The last day of August: in September's previous period (the calendar
     * month before, 08-01..08-31), not in October's (September). */
    { "police", "A4416232026080002", "44162319840927124", "邓志华", "赌博", "police.gambling",
      NULL, NULL, "2026-08-27", NULL, "2026-08-31", NULL, 0, "党政机关", "参与赌博被行政处罚。",
      NULL },
    /* Notice and report count once, on time (due 09-08); the amendment filed
     * in October, a month after the due date, changes neither. */
    { "police", "A4416232026090001", "44162319820306234", "陈志刚", "赌博", "police.gambling",
      NULL, NULL, "2026-09-01", "2026-09-02", "2026-09-07", "2026-10-12", 0, "公开",
      "参与赌博被行政处罚。", NULL },
    /* Report only, after its due date (09-10): late. */
    { "police", "A4416232026090002", "44162319790521345", "黄伟东", "吸毒", "police.drugs",
      NULL, NULL, "2026-09-03", NULL, "2026-09-15", NULL, 0, "党政机关",
      "吸食毒品被行政拘留十日。", NULL },
    /* A notice, no report, due 09-21 (09-20 is a 调休 working Sunday): 逾期未报 at 09-30. */
    { "police", "A4416232026090003", "44162319850817456", "李建国", "行政拘留",
      "police.administrative_detention", NULL, NULL, "2026-09-15", "2026-09-16", NULL, NULL, 0,
      "党政机关", NULL, NULL },
    /* A notice due on the period's last day (09-30): not yet past due, 尚未到期. */
    { "police", "A4416232026090004", "44162319910316235", "冯春梅", "醉酒驾驶机动车",
      "police.drunk_driving", NULL, NULL, "2026-09-22", "2026-09-23", NULL, NULL, 0, "党政机关",
      NULL, NULL },
    /* A notice due 10-10 (over Mid-Autumn and National Day): 尚未到期 at 09-30.  It is
     * amended in October from 函询 to 立案: counted in September under 立案, never in October. */
    { "discipline", "XS-441623-2026-0201", "44162319760910567", "张桂英", "函询",
      "discipline.inquiry_letter", "立案审查调查", "discipline.case_opened", "2026-09-28",
      "2026-09-29", NULL, "2026-10-12", 0, "党政机关", NULL, NULL },
    /* Report only, on its due day (09-23): on time. */
    { "discipline", "XS-441623-2026-0202", "44162319880214678", "刘海燕", "党纪处分",
      "discipline.party_sanction", NULL, NULL, "2026-09-17", NULL, "2026-09-23", NULL, 0,
      "县委领导班子", "违规收受礼金，给予党内警告处分。", NULL },
    /* A real-name complaint verified in its period, on time (due 09-17). */
    { "petitions", "XF441623202600101", "44162319830704789", "王小明", "举报", "petitions.report",
      NULL, NULL, "2026-09-10", "2026-09-11", "2026-09-16", NULL, 1, "本单位内",
      "信访人反映其违规操办婚宴。经调查核实，已作处理并书面答复信访人。",
      "信访人反映其违规操办婚宴。" },
    /* A real-name complaint, its notice without content, received in September
     * and verified on 10-12: counted once, in September, not verified there, on
     * the line of those verified after the period; its report is late (due 09-29). */
    { "petitions", "XF441623202600102", "44162319770123891", "赵丽娟", "举报", "petitions.report",
      NULL, NULL, "2026-09-21", "2026-09-22", "2026-10-12", NULL, 1, "本单位内",
      "信访人反映其优亲厚友。经调查核实部分属实，已作处理并书面答复信访人。", NULL },
    /* An anonymous accusation of specific scope, never verified: pending at 09-30
     * (due 10-09), counted, not listed. */
    { "petitions", "XF441623202600103", "44162319900412912", "孙建华", "检举控告",
      "petitions.report", NULL, NULL, "2026-09-24", "2026-09-24", NULL, NULL, 0, "特定范围内",
      NULL, "反映其在项目验收中弄虚作假。" },
    /* A real-name complaint whose notice has no content, never verified:
     * pending at 09-30 (due 10-12), still a real-name one. */
    { "petitions", "XF441623202600105", "44162319870306346", "钟秀兰", "举报", "petitions.report",
      NULL, NULL, "2026-09-29", "2026-09-29", NULL, NULL, 1, "本单位内", NULL, NULL },
    /* October: report on time (due 10-15; 10-10 is a working Saturday). */
    { "police", "A4416232026100001", "44162319860225013", "周晓峰", "交通事故",
      "police.traffic_accident", NULL, NULL, "2026-10-09", NULL, "2026-10-12", NULL, 0,
      "党政机关", "驾驶私家车发生交通事故，负主要责任。", NULL },
    /* Notice, then the report two working days late (due 10-19). */
    { "discipline", "XS-441623-2026-0203", "44162319810730124", "吴敏", "诫勉",
      "discipline.admonishment", NULL, NULL, "2026-10-12", "2026-10-13", "2026-10-21", NULL, 0,
      "公开", "落实基层减负要求不到位，予以诫勉。", NULL },
    /* A real-name complaint filed concluded, a working day late (due 10-19). */
    { "petitions", "XF441623202600104", "44162319740918235", "郑国强", "举报", "petitions.report",
      NULL, NULL, "2026-10-12", NULL, "2026-10-20", NULL, 1, "本单位内",
      "信访人反映其违规发放补贴。经调查核实，已责令退回并书面答复信访人。", NULL },
    /* A notice, no report, due 10-27: 逾期未报 at 10-31. */
    { "police", "A4416232026100002", "44162319890503346", "何志强", "刑事拘留",
      "police.criminal_detention", NULL, NULL, "2026-10-20", "2026-10-21", NULL, NULL, 0,
      "党政机关", NULL, NULL },
    /* A notice due 11-04: 尚未到期 at 10-31. */
    { "police", "A4416232026100003", "44162319920611457", "林芳", "饮酒后驾驶机动车",
      "police.drink_driving", NULL, NULL, "2026-10-28", "2026-10-29", NULL, NULL, 0, "党政机关",
      NULL, NULL },
    /* November: in neither briefing. */
    { "police", "A4416232026110001", "44162319870829568", "许文军", "赌博", "police.gambling",
      NULL, NULL, "2026-11-02", NULL, "2026-11-05", NULL, 0, "党政机关",
      "参与赌博被行政处罚。", NULL },
};

#define NCASES (sizeof cases / sizeof cases[0])

/* The two periods, and the day on which the convener compiles their briefings. */
static const struct period {
    const char *from, *to, *file;
} periods[] = {
    { "2026-09-01", "2026-09-30", "brief-2026-09.md" },
    { "2026-10-01", "2026-10-31", "brief-2026-10.md" },
};
#define COMPILED_ON "2026-11-20"

static struct county C;
static calendar_t *cal;
static categories_t *cats;
static char *brief[2];              /* the two briefings' Markdown */
static char *appx[2];               /* and their appendices' */

/* ---- the input: exports, clock ---------------------------------------------- */

static lx_day
day_of(const char *s)
{
    lx_day d = 0;
    assert_int_equal(days_parse(s, &d), 0);
    return d;
}

static const char *
id_number(const struct kase *k)
{
    static char buf[4][19];
    static int n;
    char *b = buf[n++ % 4];

    snprintf(b, 19, "%s%c", k->id17, idnum_check_char(k->id17));
    return b;
}

static void
fake_now_at(const char *day)
{
    int y, m, d;
    char buf[32];

    days_to_civil(day_of(day), &y, &m, &d);
    snprintf(buf, sizeof buf, "%lld", shanghai_time(y, m, d, 10, 0));
    setenv("LIANXI_FAKE_NOW", buf, 1);
}

static int
same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

enum { EV_NOTICE, EV_REPORT, EV_AMEND };

/* What a case's row in its unit's export says for one of its events. */
struct row {
    int report;                     /* the report's status, else the notice's */
    const char *type, *summary;
    char buf[512];
};

static void
row_for(const struct kase *k, int ev, struct row *r)
{
    r->report = ev == EV_REPORT || (ev == EV_AMEND && k->report);
    r->type = ev == EV_AMEND && k->type2 ? k->type2 : k->type;
    r->summary = r->report ? k->summary : k->notice_text ? k->notice_text : "";
    if (ev == EV_AMEND && !k->type2) {
        snprintf(r->buf, sizeof r->buf, "%s%s", r->summary, AMENDED);
        r->summary = r->buf;
    }
}

/* The current content (the report's latest revision, else the notice's):
 * its summary, and its category. */
static const char *
current_summary(const struct kase *k, char *buf, size_t len)
{
    struct row r;

    row_for(k, k->amend ? EV_AMEND : k->report ? EV_REPORT : EV_NOTICE, &r);
    snprintf(buf, len, "%s", r.summary);
    return buf;
}

static const char *
current_category(const struct kase *k)
{
    return k->amend && k->category2 ? k->category2 : k->category;
}

static void
put_row(FILE *f, const struct kase *k, int ev)
{
    struct row r;

    row_for(k, ev, &r);
    if (same(k->unit, "police")) {
        fprintf(f, "%s,%s,%s,县农业农村局,股长,科员,%s,%s,%s,%s,%s\n", k->ref, k->name,
                id_number(k), r.type, k->learned, r.report ? "已办结" : "已受理", r.summary,
                k->scope);
    } else if (same(k->unit, "discipline")) {
        fprintf(f, "%s,%s,%s,县水务局,股长,科员,%s,%s,%s,%s,第一纪检监察室,%s\n", k->ref, k->name,
                id_number(k), r.type, k->learned, r.report ? "已办结" : "办理中", r.summary,
                k->scope);
    } else {
        fprintf(f, "  <petition no=\"%s\">\n    <received>%s</received>\n"
                "    <channel>来信</channel>\n    <realName>%s</realName>\n    <kind>%s</kind>\n"
                "    <status>%s</status>\n    <subject>\n      <name>%s</name>\n"
                "      <idNumber>%s</idNumber>\n      <workUnit>县交通运输局</workUnit>\n"
                "      <post>股长</post>\n      <rank>科员</rank>\n    </subject>\n"
                "    <content>%s</content>\n    <scope>%s</scope>\n  </petition>\n",
                k->ref, k->learned, k->real_name ? "是" : "否", r.type,
                r.report ? "办结" : "受理", k->name, id_number(k), r.summary, k->scope);
    }
}

static const char *const headers[] = {
    "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围\n",
    "线索编号,被反映人,身份证号码,工作单位,职务,职级,处置方式,处置日期,办理阶段,主要问题,承办部门,"
    "公开范围\n",
};

static const char *
event_day(const struct kase *k, int ev)
{
    return ev == EV_NOTICE ? k->notice : ev == EV_REPORT ? k->report : k->amend;
}

/* Files, through the unit's adapter, its events of day; checks that each got a
 * receipt of the expected revision and that no row was rejected.  Returns
 * the number of filings, or -1. */
static int
file_day(const char *unit, const char *day)
{
    static const char *const units[] = { "police", "discipline", "petitions" };
    char name[64], path[PATH_MAX], conf[PATH_MAX], prog[64], out[PATH_MAX], *text;
    int u = 0, n = 0, bad = 0;
    FILE *f;

    while (!same(units[u], unit))
        u++;
    snprintf(name, sizeof name, "%s-%s.%s", unit, day, u == 2 ? "xml" : "csv");
    snprintf(path, sizeof path, "%s/%s", C.dir, name);
    if (!(f = fopen(path, "w")))
        return -1;
    if (u == 2)
        fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<petitions county=\"441623\" "
                "exported=\"%sT09:30:00\">\n", day);
    else
        fputs(headers[u], f);
    for (size_t i = 0; i < NCASES; i++)
        for (int ev = EV_NOTICE; ev <= EV_AMEND; ev++)
            if (same(cases[i].unit, unit) && same(event_day(&cases[i], ev), day)) {
                put_row(f, &cases[i], ev);
                n++;
            }
    if (u == 2)
        fputs("</petitions>\n", f);
    fclose(f);
    if (!n) {
        unlink(path);
        return 0;
    }
    snprintf(conf, sizeof conf, "%s/units/%s/adapter.conf", C.dir, unit);
    snprintf(prog, sizeof prog, "lianxi-adapter-%s", unit);
    snprintf(out, sizeof out, "%s/%s-%s.out", C.dir, unit, day);
    const char *argv[] = { prog, "-c", conf, "--wait", "60", "submit", path, NULL };
    if (run_prog(&C, out, argv, 90000) != 0) {
        fprintf(stderr, "%s submit %s did not exit 0 (see %s)\n", unit, name, out);
        return -1;
    }
    snprintf(path, sizeof path, "%s/units/%s/rejected/%s.rejected.txt", C.dir, unit, name);
    if (access(path, F_OK) == 0) {
        fprintf(stderr, "%s: rows of %s were rejected\n", unit, name);
        return -1;
    }
    /* Each filing got its receipt, of the revision this test means. */
    text = files_read(out, NULL);
    for (size_t i = 0; text && i < NCASES; i++)
        for (int ev = EV_NOTICE; ev <= EV_AMEND; ev++) {
            const struct kase *k = &cases[i];
            char want[256];
            int report = ev == EV_REPORT || (ev == EV_AMEND && k->report);
            if (!same(k->unit, unit) || !same(event_day(k, ev), day))
                continue;
            snprintf(want, sizeof want, "%s:%s:%s:%s rev %d ", unit, k->ref,
                     report ? "report" : "notice", id_number(k), ev == EV_AMEND ? 2 : 1);
            if (!strstr(text, want)) {
                fprintf(stderr, "no receipt for '%s' in %s\n", want, out);
                bad++;
            }
        }
    if (!text || strstr(text, "(already filed)"))
        bad++;
    free(text);
    return bad ? -1 : n;
}

static int
cmp_day(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The convener's Markdown briefing of period p for the leadership (part
 * main or appendix), or NULL. */
static char *
read_brief(const struct period *p, const char *part)
{
    char out[PATH_MAX], log[PATH_MAX], period[32], conv[PATH_MAX];

    snprintf(out, sizeof out, "%s/%s-%s", C.dir, part, p->file);
    snprintf(log, sizeof log, "%s/brief.out", C.dir);
    snprintf(period, sizeof period, "%s..%s", p->from, p->to);
    snprintf(conv, sizeof conv, "%s/operators/convener/operator.conf", C.dir);
    const char *argv[] = { "lianxi", "-c", conv, "brief", "--period", period, "--audience",
                           "leadership", "--format", "md", "--part", part, "-o", out, NULL };
    if (run_prog(&C, log, argv, 60000) != 0)
        return NULL;
    return files_read(out, NULL);
}

static int __attribute__((format(printf, 1, 2)))
setup_failed(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (LIANXI_KEEP=1 keeps the county for a look)\n");
    return -1;
}

/* Files every case on its days, each day on a hub started at that day's
 * test-clock time, then compiles the two briefings.  Returns 0, or -1 after
 * saying what failed. */
static int
file_and_compile(void)
{
    const char *days[3 * NCASES];
    size_t nd = 0;

    for (size_t i = 0; i < NCASES; i++)
        for (int ev = EV_NOTICE; ev <= EV_AMEND; ev++) {
            const char *d = event_day(&cases[i], ev);
            int seen = 0;
            for (size_t j = 0; d && j < nd; j++)
                seen |= same(days[j], d);
            if (d && !seen)
                days[nd++] = d;
        }
    qsort(days, nd, sizeof days[0], cmp_day);
    for (size_t j = 0; j < nd; j++) {
        fake_now_at(days[j]);
        if (hub_start(&C, 20000) < 0)
            return setup_failed("the hub did not start on %s (see %s)", days[j],
                                cpath(&C, "hub.log"));
        if (file_day("police", days[j]) < 0 || file_day("discipline", days[j]) < 0 ||
            file_day("petitions", days[j]) < 0)
            return setup_failed("filing on %s failed", days[j]);
        if (hub_stop(&C) != 0)
            return setup_failed("the hub did not stop cleanly on %s", days[j]);
    }
    fake_now_at(COMPILED_ON);
    if (hub_start(&C, 20000) < 0)
        return setup_failed("the hub did not start on %s", COMPILED_ON);
    for (int p = 0; p < 2; p++)
        if (!(brief[p] = read_brief(&periods[p], "main")) ||
            !(appx[p] = read_brief(&periods[p], "appendix")))
            return setup_failed("the briefing %s was not compiled (see %s)", periods[p].file,
                                cpath(&C, "brief.out"));
    if (hub_stop(&C) != 0)
        return setup_failed("the hub did not stop cleanly on %s", COMPILED_ON);
    return 0;
}

static int
setup(void **state)
{
    const char *src = getenv("LIANXI_SRC");
    char path[PATH_MAX], cwd[PATH_MAX / 2];
    int rc;

    (void)state;
    if (!src)
        src = getcwd(cwd, sizeof cwd);
    snprintf(path, sizeof path, "%s/deploy/calendar/cn-holidays.tsv", src);
    if (!(cal = calendar_load(path)))
        return setup_failed("cannot load the calendar %s", path);
    snprintf(path, sizeof path, "%s/deploy/categories.tsv", src);
    if (!(cats = categories_load(path)))
        return setup_failed("cannot load the categories %s", path);
    if (county_init(&C) < 0)
        return setup_failed("lianxi init failed");
    rc = file_and_compile();
    unsetenv("LIANXI_FAKE_NOW");
    if (rc < 0)
        county_cleanup(&C);
    return rc;
}

static int
teardown(void **state)
{
    (void)state;
    for (int p = 0; p < 2; p++) {
        free(brief[p]);
        free(appx[p]);
    }
    calendar_destroy(&cal);
    categories_destroy(&cats);
    county_cleanup(&C);
    return 0;
}

/* ---- the expected figures, from the case table --------------------------- */

enum { ST_PENDING, ST_ON_TIME, ST_LATE, ST_OVERDUE };

struct figures {
    long matters[LX_NUNITS], prev[LX_NUNITS];
    long on_time[LX_NUNITS], late[LX_NUNITS], late_days[LX_NUNITS];
    long overdue[LX_NUNITS], pending[LX_NUNITS];
    long k_n, k_done, k_after, r_n, r_done, r_after;    /* complaints; real-name ones */
    long specific;                                      /* counted, not listed */
};

/* 1 when a case's scope is 特定范围: counted, never listed. */
static int
specific(const struct kase *k)
{
    return strncmp(k->scope, "特定范围", strlen("特定范围")) == 0;
}

/* The day a matter was first received: its first notice or report. */
static lx_day
first_day(const struct kase *k)
{
    lx_day n = k->notice ? day_of(k->notice) : INT32_MAX;
    lx_day r = k->report ? day_of(k->report) : INT32_MAX;
    return n < r ? n : r;
}

static int
unit_no(const char *code)
{
    for (int i = 0; i < LX_NUNITS; i++)
        if (same(lx_units[i].code, code))
            return i;
    fail_msg("unknown unit %s", code);
    return -1;
}

/* The first day of the period a briefing of [from, to] compares with: the
 * month before a calendar month (this test's periods are months), else the
 * days of the same number before. */
static lx_day
previous_from(lx_day from, lx_day to)
{
    int y, m, d, y1, m1, d1;

    days_to_civil(from, &y, &m, &d);
    days_to_civil(to + 1, &y1, &m1, &d1);
    if (d == 1 && d1 == 1 && (y1 * 12 + m1) - (y * 12 + m) == 1)
        return days_from_civil(m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1, 1);
    return from - (to - from + 1);
}

/* The state of a matter, its late days in *late, with the figures taken on asof. */
static int
state_of(const struct kase *k, lx_day asof, int *late)
{
    lx_day due;

    *late = 0;
    assert_int_equal(calendar_due(cal, day_of(k->learned), 5, &due), 0);
    if (k->report) {
        lx_day got = day_of(k->report);
        if (got <= due)
            return ST_ON_TIME;
        assert_int_equal(calendar_workdays(cal, due, got, late), 0);
        return ST_LATE;
    }
    return asof > due ? ST_OVERDUE : ST_PENDING;
}

static void
expected(const struct period *p, struct figures *f)
{
    lx_day from = day_of(p->from), to = day_of(p->to), pfrom = previous_from(from, to);
    lx_day today = day_of(COMPILED_ON), asof = to < today ? to : today;

    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < NCASES; i++) {
        const struct kase *k = &cases[i];
        lx_day first = first_day(k);
        int u = unit_no(k->unit), late;
        if (first >= pfrom && first < from)
            f->prev[u]++;
        if (first < from || first > to)
            continue;
        f->matters[u]++;
        switch (state_of(k, asof, &late)) {
        case ST_ON_TIME: f->on_time[u]++; break;
        case ST_LATE: f->late[u]++; f->late_days[u] += late; break;
        case ST_OVERDUE: f->overdue[u]++; break;
        default: f->pending[u]++; break;
        }
        if (same(k->unit, "petitions")) {
            int done = k->report && day_of(k->report) <= to, after = k->report && !done;
            f->k_n++;
            f->k_done += done;
            f->k_after += after;
            if (k->real_name) {
                f->r_n++;
                f->r_done += done;
                f->r_after += after;
            }
        }
        f->specific += specific(k);
    }
}

static void
rate(char *out, size_t len, long part, long whole)
{
    if (whole > 0)
        snprintf(out, len, "%.1f%%", 100.0 * (double)part / (double)whole);
    else
        snprintf(out, len, "-");
}

/* ---- the briefing's tables ----------------------------------------------- */

#define MAX_ROWS 64

struct table {
    char *header;
    char *rows[MAX_ROWS];
    int n;
};

static void
table_free(struct table *t)
{
    free(t->header);
    for (int i = 0; i < t->n; i++)
        free(t->rows[i]);
    memset(t, 0, sizeof *t);
}

static void
table_add(struct table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
table_add(struct table *t, const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;

    va_start(ap, fmt);
    assert_true(vasprintf(&s, fmt, ap) >= 0);
    va_end(ap);
    assert_true(t->n < MAX_ROWS);
    t->rows[t->n++] = s;
}

/* The text of the section headed "## title", up to the next heading. */
static const char *
section(const char *doc, const char *title, size_t *len)
{
    char h[256];
    const char *s, *e;

    snprintf(h, sizeof h, "\n## %s\n", title);
    s = doc ? strstr(doc, h) : NULL;
    if (!s) {
        fail_msg("the briefing has no section '%s'", title);
        return NULL;
    }
    s += strlen(h);
    e = strstr(s, "\n## ");
    *len = e ? (size_t)(e - s) : strlen(s);
    return s;
}

/* Table k (from 0) of a section: its header line and rows, without the separator. */
static void
table_of(const char *doc, const char *title, int k, struct table *t)
{
    size_t len;
    const char *s = section(doc, title, &len), *end = s + len;
    int in = 0, which = -1, line = 0;

    memset(t, 0, sizeof *t);
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);
        if (l && s[0] == '|') {
            if (!in) {
                which++;
                line = 0;
            }
            in = 1;
            if (which == k) {
                if (line == 0)
                    t->header = strndup(s, l);
                else if (line > 1 && t->n < MAX_ROWS)
                    t->rows[t->n++] = strndup(s, l);
            }
            line++;
        } else {
            in = 0;
        }
        s += l + 1;
    }
    if (which < k)
        fail_msg("section '%s' has no table %d", title, k + 1);
}

/* Prints every difference between the briefing's table and the expected one;
 * returns how many there are.  Unordered: the rows may come in any order. */
static int
compare(const char *what, const struct table *got, const char *header,
        const struct table *want, int ordered)
{
    int bad = 0;

    if (!got->header || strcmp(got->header, header) != 0) {
        fprintf(stderr, "%s: header\n  expected: %s\n  briefing: %s\n", what, header,
                got->header ? got->header : "(none)");
        bad++;
    }
    for (int i = 0; i < want->n; i++) {
        int found = 0;
        if (ordered)
            found = i < got->n && strcmp(got->rows[i], want->rows[i]) == 0;
        else
            for (int j = 0; j < got->n && !found; j++)
                found = strcmp(got->rows[j], want->rows[i]) == 0;
        if (!found) {
            fprintf(stderr, "%s: row %d\n  expected: %s\n  briefing: %s\n", what, i + 1,
                    want->rows[i], ordered && i < got->n ? got->rows[i] : "(not there)");
            bad++;
        }
    }
    if (got->n != want->n) {
        fprintf(stderr, "%s: %d rows in the briefing, %d expected\n", what, got->n, want->n);
        bad++;
    }
    return bad;
}

/* Where a category stands in the registry (deploy/categories.tsv). */
static size_t
registry_index(const char *code)
{
    for (size_t i = 0; i < categories_count(cats); i++)
        if (strcmp(categories_at(cats, i)->code, code) == 0)
            return i;
    fail_msg("category %s is not registered", code);
    return 0;
}

static const char *
category_zh(const char *code)
{
    const struct lx_category *k = categories_find(cats, code);
    if (!k)
        fail_msg("category %s is not registered", code);
    return k->zh;
}

/* ---- the tests ------------------------------------------------------------- */

/* Each briefing's period, and the one it compares with (the month before). */
static void
briefing_states_its_period_and_the_previous_one(void **state)
{
    (void)state;
    for (int p = 0; p < 2; p++) {
        lx_day from = day_of(periods[p].from), to = day_of(periods[p].to);
        lx_day d[4] = { from, to, previous_from(from, to), from - 1 };
        char w[4][40], line[256];
        for (int i = 0; i < 4; i++) {
            int y, m, dd;
            days_to_civil(d[i], &y, &m, &dd);
            snprintf(w[i], sizeof w[i], "%d年%d月%d日", y, m, dd);
        }
        /* The opening sentence names the period, the overview the one before. */
        snprintf(line, sizeof line, "（%s至%s）各成员单位干部监督信息报备情况通报如下", w[0],
                 w[1] + strlen("2026年"));
        if (!strstr(brief[p], line))
            fail_msg("briefing %s: no words '%s'", periods[p].file, line);
        snprintf(line, sizeof line, "上一期间（%s至%s）", w[2], w[3] + strlen("2026年"));
        if (!strstr(brief[p], line))
            fail_msg("briefing %s: no words '%s'", periods[p].file, line);
    }
}

/* 一、总体情况: matters by unit and by category, each matter once, in the
 * period of its first notice or report, against the previous period;
 * amendments never count. */
static void
overview_counts_each_matter_once_in_its_first_period(void **state)
{
    int bad = 0;
    (void)state;

    for (int p = 0; p < 2; p++) {
        struct figures f;
        struct table got, want = { 0 };
        long tn = 0, tb = 0;
        char what[128];

        expected(&periods[p], &f);
        for (int i = 0; i < LX_NUNITS; i++) {
            table_add(&want, "| %s | %ld | %ld | %+ld |", lx_units[i].zh, f.matters[i], f.prev[i],
                      f.matters[i] - f.prev[i]);
            tn += f.matters[i];
            tb += f.prev[i];
        }
        table_add(&want, "| 合计 | %ld | %ld | %+ld |", tn, tb, tn - tb);
        table_of(brief[p], "一、总体情况", 0, &got);
        snprintf(what, sizeof what, "%s 一 by unit", periods[p].file);
        bad += compare(what, &got, "| 成员单位 | 报备事项 | 上一期间 | 增减 |", &want, 1);
        table_free(&got);
        table_free(&want);

        /* By category: the current content's category. */
        {
            const char *codes[2 * NCASES];
            long now[2 * NCASES] = { 0 }, before[2 * NCASES] = { 0 };
            int nc = 0;
            lx_day from = day_of(periods[p].from), to = day_of(periods[p].to);
            lx_day pfrom = previous_from(from, to);
            for (size_t i = 0; i < NCASES; i++) {
                const char *code = current_category(&cases[i]);
                lx_day first = first_day(&cases[i]);
                int c = 0;
                while (c < nc && !same(codes[c], code))
                    c++;
                if (c == nc)
                    codes[nc++] = code;
                now[c] += first >= from && first <= to;
                before[c] += first >= pfrom && first < from;
            }
            /* The table ranks them: most matters in the period first, then the
             * registry's order; the eight first, the rest on one line (when
             * there are more than nine), then the total. */
            int order[2 * NCASES], m = 0;
            long an = 0, ab = 0, rn = 0, rb = 0;
            for (int c = 0; c < nc; c++) {
                an += now[c];
                ab += before[c];
                if (now[c] || before[c])
                    order[m++] = c;
            }
            for (int i = 1; i < m; i++)
                for (int j = i; j > 0; j--) {
                    int a = order[j - 1], b = order[j];
                    if (now[a] > now[b] ||
                        (now[a] == now[b] && registry_index(codes[a]) < registry_index(codes[b])))
                        break;
                    order[j - 1] = b;
                    order[j] = a;
                }
            for (int i = 0; i < m; i++) {
                int c = order[i];
                if (i < 8 || m == 9)
                    table_add(&want, "| %s | %ld | %ld | %+ld |", category_zh(codes[c]), now[c],
                              before[c], now[c] - before[c]);
                else {
                    rn += now[c];
                    rb += before[c];
                }
            }
            if (m > 9)
                table_add(&want, "| 其他%d类 | %ld | %ld | %+ld |", m - 8, rn, rb, rn - rb);
            table_add(&want, "| 合计 | %ld | %ld | %+ld |", an, ab, an - ab);
            table_of(brief[p], "一、总体情况", 1, &got);
            snprintf(what, sizeof what, "%s 一 by category", periods[p].file);
            bad += compare(what, &got, "| 类别 | 报备事项 | 上一期间 | 增减 |", &want, 1);
            table_free(&got);
            table_free(&want);
        }
    }
    assert_int_equal(bad, 0);
}

/* 二、各成员单位报送时效: on time, late and the working days late from the
 * report's first receipt; 逾期未报 and 尚未到期 for the matters without a
 * report, as of the period's end; amendments change nothing. */
static void
timeliness_is_the_first_reports_and_amendments_never_change_it(void **state)
{
    int bad = 0;
    (void)state;

    for (int p = 0; p < 2; p++) {
        struct figures f;
        struct table got, want = { 0 };
        long t[6] = { 0 };
        char what[128], r[16];

        expected(&periods[p], &f);
        for (int i = 0; i < LX_NUNITS; i++) {
            rate(r, sizeof r, f.on_time[i], f.on_time[i] + f.late[i] + f.overdue[i]);
            table_add(&want, "| %s | %ld | %ld | %ld | %ld | %s | %ld | %ld |", lx_units[i].zh,
                      f.matters[i], f.on_time[i], f.late[i], f.late_days[i], r, f.overdue[i],
                      f.pending[i]);
            t[0] += f.matters[i];
            t[1] += f.on_time[i];
            t[2] += f.late[i];
            t[3] += f.late_days[i];
            t[4] += f.overdue[i];
            t[5] += f.pending[i];
        }
        rate(r, sizeof r, t[1], t[1] + t[2] + t[4]);
        table_add(&want, "| 合计 | %ld | %ld | %ld | %ld | %s | %ld | %ld |", t[0], t[1], t[2],
                  t[3], r, t[4], t[5]);
        table_of(brief[p], "二、各成员单位报送时效", 0, &got);
        snprintf(what, sizeof what, "%s 二", periods[p].file);
        bad += compare(what, &got, "| 成员单位 | 报备事项 | 按时 | 逾期 | 逾期工作日合计 | 按时率 |"
                       " 逾期未报 | 尚未到期 |", &want, 1);
        table_free(&got);
        table_free(&want);
    }
    assert_int_equal(bad, 0);
}

/* 五: complaints first received in the period, verified when their report
 * came by its end; one verified later is counted once, in its own period, on
 * the line of those verified after the period. */
static void
complaint_verified_after_the_period_counts_once_in_its_own_period(void **state)
{
    int bad = 0;
    (void)state;

    for (int p = 0; p < 2; p++) {
        struct figures f;
        struct table got, want = { 0 };
        char what[128], r1[16], r2[16], line[256];
        size_t len;
        const char *sec;

        expected(&periods[p], &f);
        rate(r1, sizeof r1, f.k_done, f.k_n);
        rate(r2, sizeof r2, f.r_done, f.r_n);
        table_add(&want, "| 举报反映 | %ld | %ld | %s | 95%% |", f.k_n, f.k_done, r1);
        table_add(&want, "| 实名举报 | %ld | %ld | %s | 100%% |", f.r_n, f.r_done, r2);
        table_of(brief[p], "五、举报、反映干部问题的查核情况", 0, &got);
        snprintf(what, sizeof what, "%s 五", periods[p].file);
        bad += compare(what, &got, "|  | 受理件数 | 已查核件数 | 查核率 | 目标 |", &want, 1);
        table_free(&got);
        table_free(&want);

        /* The line of those verified after the period's end. */
        sec = section(brief[p], "五、举报、反映干部问题的查核情况", &len);
        {
            char *copy = strndup(sec, len), *a = strstr(copy, "\n另有"), *e;
            char n1[64], n2[64];
            snprintf(n1, sizeof n1, "另有本期受理的%ld件", f.k_after);
            snprintf(n2, sizeof n2, "其中实名%ld件", f.r_after);
            if (a && (e = strchr(a + 1, '\n')))
                *e = '\0';
            snprintf(line, sizeof line, "%s", a ? a + 1 : "(no line 另有…)");
            if (f.k_after == 0) {
                /* None: no such line. */
                if (a) {
                    fprintf(stderr, "%s: none verified after the period, yet: %s\n", what, line);
                    bad++;
                }
            } else if (!a || !strstr(line, n1) || !strstr(line, n2) ||
                       !strstr(line, "在本期结束后") || !strstr(line, "完成查核")) {
                fprintf(stderr, "%s: the line of complaints verified after the period\n"
                        "  expected: %s…（%s）在本期结束后…完成查核…\n  briefing: %s\n", what, n1,
                        n2, line);
                bad++;
            }
            free(copy);
        }
    }
    assert_int_equal(bad, 0);
}

/* The rows of the appendix's table under the heading of unit zh
 * ("## 二、县公安局（3件）"), or none when the unit has no heading. */
static void
unit_rows(const char *doc, const char *zh, struct table *t)
{
    char h[128], title[256];
    const char *s = doc, *e;

    memset(t, 0, sizeof *t);
    snprintf(h, sizeof h, "、%s（", zh);
    while ((s = strstr(s, "\n## "))) {
        s += 4;
        e = strchr(s, '\n');
        if (!e)
            return;
        if (memmem(s, (size_t)(e - s), h, strlen(h))) {
            snprintf(title, sizeof title, "%.*s", (int)(e - s), s);
            table_of(doc, title, 0, t);
            return;
        }
    }
}

/* The table whose header line is header, anywhere in the document. */
static void
table_headed(const char *doc, const char *header, struct table *t)
{
    const char *s = doc ? strstr(doc, header) : NULL;

    memset(t, 0, sizeof *t);
    if (!s)
        return;
    t->header = strdup(header);
    s = strchr(s, '\n');
    s = s ? strchr(s + 1, '\n') : NULL;     /* past the separator */
    while (s && s[1] == '|' && t->n < MAX_ROWS) {
        const char *e = strchr(s + 1, '\n');
        size_t l = e ? (size_t)(e - s - 1) : strlen(s + 1);
        t->rows[t->n++] = strndup(s + 1, l);
        s = e;
    }
}

/* 附件 (a document of its own): each matter of the period once under its
 * unit, with its current content (the report's latest revision, else the
 * notice's) and its ID number masked; specific-scope ones counted. */
static void
appendix_lists_each_matter_once_with_its_current_content(void **state)
{
    int bad = 0;
    (void)state;

    for (int p = 0; p < 2; p++) {
        struct figures f;
        struct table want = { 0 };
        lx_day from = day_of(periods[p].from), to = day_of(periods[p].to);
        char what[128], sum[512];

        expected(&periods[p], &f);
        if (!strstr(appx[p], "# 报备事项清单"))
            fail_msg("%s: the appendix has no title", periods[p].file);
        for (int u = 0; u < LX_NUNITS; u++) {
            struct table got, tails = { 0 };
            unit_rows(appx[p], lx_units[u].zh, &got);
            snprintf(what, sizeof what, "%s 附件 %s", periods[p].file, lx_units[u].zh);
            /* The receipt number is the hub's: rows are matched on what follows it. */
            for (size_t i = 0; i < NCASES; i++) {
                const struct kase *k = &cases[i];
                lx_day first = first_day(k);
                char id[19];
                if (strcmp(k->unit, lx_units[u].code) != 0 || first < from || first > to ||
                    specific(k))
                    continue;
                memcpy(id, k->id17, 17);
                id[17] = idnum_check_char(k->id17);
                id[18] = '\0';
                table_add(&tails, "| %s | %.6s********%s | %s | %s | %s |", k->name, id,
                          id + 14, category_zh(current_category(k)), k->learned,
                          current_summary(k, sum, sizeof sum));
            }
            for (int i = 0; i < tails.n; i++) {
                int found = 0;
                for (int j = 0; j < got.n && !found; j++) {
                    size_t lg = strlen(got.rows[j]), lt = strlen(tails.rows[i]);
                    found = lg > lt && strcmp(got.rows[j] + lg - lt, tails.rows[i]) == 0;
                }
                if (!found) {
                    fprintf(stderr, "%s: no row ending in\n  %s\n", what, tails.rows[i]);
                    bad++;
                }
            }
            if (got.n != tails.n) {
                fprintf(stderr, "%s: %d rows in the appendix, %d expected\n", what, got.n,
                        tails.n);
                bad++;
            }
            if (got.n && strcmp(got.header, "| 回执编号 | 姓名 | 身份证号码 | 类别 | 知悉日期 | "
                                "主要情况 |") != 0) {
                fprintf(stderr, "%s: header %s\n", what, got.header);
                bad++;
            }
            table_free(&got);
            table_free(&tails);
        }

        {
            struct table got;
            table_add(&want, "| 特定范围 | %ld |", f.specific);
            table_headed(appx[p], "| 知悉范围 | 报备事项 |", &got);
            snprintf(what, sizeof what, "%s 附件 counted, not listed", periods[p].file);
            bad += compare(what, &got, "| 知悉范围 | 报备事项 |", &want, 1);
            table_free(&got);
            table_free(&want);
        }
    }
    assert_int_equal(bad, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(briefing_states_its_period_and_the_previous_one),
        cmocka_unit_test(overview_counts_each_matter_once_in_its_first_period),
        cmocka_unit_test(timeliness_is_the_first_reports_and_amendments_never_change_it),
        cmocka_unit_test(complaint_verified_after_the_period_counts_once_in_its_own_period),
        cmocka_unit_test(appendix_lists_each_matter_once_with_its_current_content),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
