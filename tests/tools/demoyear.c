/* lianxi-demoyear — writes the year `make demo` plays: each member unit's
 * exports, in its own format (FORMAT.md of each adapter), and the plan of
 * the days they are dropped on.
 *
 *   lianxi-demoyear CALENDAR.TSV YEAR OUTDIR
 *
 * OUTDIR/<unit>/<unit>-<date>.<ext>  one export per unit and day it files
 * OUTDIR/plan.tsv                    the working days of the year in order:
 *     day    DATE  UNIX        (09:00 Asia/Shanghai of that day)
 *     drop   UNIT  FILE  ROWS  (FILE relative to OUTDIR)
 *     event  NAME              (supplement, answer, adhoc, review, review-discipline,
 *                               review-family, notice, attend-two, attend-rest,
 *                               attend-late: the demo acts)
 *
 * The year is made from one fixed seed, so the same calendar gives the same
 * files.  Each matter (one unit's case about one cadre) is learned on a
 * working day; most units export once a week and so file within the five
 * working days; some rows are exported late; some matters are filed first
 * as a notice whose written report follows only when the hub reminds (the
 * working day before it is due) or after it is overdue; a few notices are
 * still open at the year's end.  Due dates come from the project's own
 * calendar code (calendar_due), as the hub computes them. */
#include "calendar.h"
#include "days.h"
#include "idnum.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* --- a small fixed random generator (xorshift64*) --- */

static uint64_t rng_state = 0x4c69616e78693236ULL;

static uint32_t
rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

/* 0 .. n-1 */
static int
pick(int n)
{
    return (int)(rnd() % (uint32_t)n);
}

/* 1 with probability percent/100 */
static int
chance(int percent)
{
    return pick(100) < percent;
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* --- the county's people --- */

static const char *const surnames[] = {
    "黄", "陈", "李", "刘", "张", "钟", "邱", "谢", "何", "曾", "叶", "赖", "罗", "温", "古",
    "巫", "徐", "周", "朱", "廖", "潘", "颜", "江", "魏", "蓝", "邓", "彭", "林", "吴", "骆",
};
static const char *const given[] = {
    "志明", "伟东", "丽华", "建军", "海燕", "国强", "文亮", "育林", "俊杰", "振东", "惠娟",
    "桂兰", "春雷", "静怡", "永福", "小红", "新民", "卫东", "添福", "耀宗", "庆林", "丽萍",
    "观生", "海波", "颖", "强", "秀英", "锦华", "嘉欣", "光辉", "荣辉", "学军", "晓峰",
    "国栋", "汉文", "文华", "伟明", "振华", "碧霞", "雪梅", "志刚", "德胜", "少玲", "燕萍",
};
static const char *const towns[] = {
    "元善镇", "上坪镇", "内莞镇", "陂头镇", "溪山镇", "隆街镇", "田源镇", "油溪镇", "忠信镇",
    "高莞镇", "大湖镇", "三角镇", "绣缎镇",
};
static const char *const bureaus[] = {
    "县教育局", "县财政局", "县住建局", "县自然资源局", "县农业农村局", "县水务局",
    "县交通运输局", "县卫健局", "县市场监管局", "县民政局", "县人社局", "县林业局",
    "县应急管理局", "县文广旅体局", "县城管执法局", "县发展和改革局", "县商务局",
};

struct post {
    const char *post, *rank;
};
static const struct post town_posts[] = {
    { "党委书记", "正科级" }, { "镇长", "正科级" }, { "人大主席", "正科级" },
    { "党委副书记", "副科级" }, { "副镇长", "副科级" }, { "党委委员、组织委员", "副科级" },
    { "纪委书记", "副科级" }, { "党委委员、武装部长", "副科级" }, { "财政所所长", "科员" },
    { "社会事务办主任", "科员" }, { "规划建设办主任", "科员" }, { "农业农村办副主任", "科员" },
    { "工作人员", "科员" }, { "工作人员", "科员" }, { "工作人员", "办事员" },
};
static const struct post bureau_posts[] = {
    { "党组书记、局长", "正科级" }, { "副局长", "副科级" }, { "党组成员、副局长", "副科级" },
    { "股长", "科员" }, { "股长", "科员" }, { "副股长", "科员" }, { "办公室主任", "科员" },
    { "执法大队大队长", "科员" }, { "工作人员", "科员" }, { "工作人员", "科员及以下" },
};

struct cadre {
    char name[32], id[19], work[64];
    const char *post, *rank;
};

#define NCADRES 600
#define NHOT 8                  /* cadres several units file */
static struct cadre cadres[NCADRES];

static void
make_cadres(void)
{
    for (int i = 0; i < NCADRES; i++) {
        struct cadre *c = &cadres[i];
        int y = 1965 + pick(33), m = 1 + pick(12), d = 1 + pick(28);

        /* Names differ: two cadres of one name would confuse a reader. */
        for (int again = 1; again;) {
            snprintf(c->name, sizeof c->name, "%s%s", surnames[pick(N(surnames))],
                     given[pick(N(given))]);
            again = 0;
            for (int k = 0; k < i; k++)
                again |= strcmp(cadres[k].name, c->name) == 0;
        }
        snprintf(c->id, sizeof c->id, "441623%04d%02d%02d%03d", y, m, d, pick(1000));
        c->id[17] = idnum_check_char(c->id);
        c->id[18] = '\0';
        if (i % 23 == 7) {
            snprintf(c->work, sizeof c->work, "%s", i % 2 ? "县政协" : "县人大常委会");
            c->post = i % 2 ? "副主席" : "副主任";
            c->rank = "副处级";
        } else if (chance(50)) {
            const struct post *p = &town_posts[pick(N(town_posts))];
            snprintf(c->work, sizeof c->work, "%s人民政府", towns[pick(N(towns))]);
            c->post = p->post;
            c->rank = p->rank;
        } else {
            const struct post *p = &bureau_posts[pick(N(bureau_posts))];
            snprintf(c->work, sizeof c->work, "%s", bureaus[pick(N(bureaus))]);
            c->post = p->post;
            c->rank = p->rank;
        }
    }
}

static const struct cadre *
some_cadre(void)
{
    return &cadres[chance(10) ? pick(NHOT) : NHOT + pick(NCADRES - NHOT)];
}

static const char *
scope(void)
{
    static const char *const s[] = { "党政机关", "党政机关", "党政机关", "党政机关", "党政机关",
                                     "本单位内", "本单位内", "公开", "特定范围", "县委领导班子内" };
    return s[pick(N(s))];
}

/* --- the units: what each files, how often, how late --- */

struct kind {
    const char *word;           /* the unit's own word for the category */
    const char *notice, *report;        /* status words (NULL: no status column) */
    const char *text[3];        /* what the report says */
};

struct unit {
    const char *code;
    int matters;                /* in the year */
    int weekday;                /* its export day (1 Monday .. 5 Friday) */
    int notice_pct;             /* matters filed first as a notice */
    int late_pct;               /* reports exported after the due date */
    int gb18030;                /* its clerk saves exports from WPS as GB18030 */
    const struct kind *kinds;
    int nkinds;
};

static const struct kind k_discipline[] = {
    { "立案审查调查", "办理中", "已办结", { "涉嫌违反廉洁纪律，在工程项目验收中收受管理服务对象礼金，经立案审查调查，问题已查清。",
      "涉嫌违反工作纪律，在危房改造项目验收中弄虚作假，经立案审查调查，问题已查清。" } },
    { "党纪处分", "办理中", "已办结", { "违反中央八项规定精神，违规公款吃喝，给予党内警告处分。",
      "违规收受礼品礼金，给予党内严重警告处分。" } },
    { "政务处分", "办理中", "已办结", { "在低保审核中把关不严，致多户不符合条件的家庭违规享受低保，给予政务记过处分。",
      "违规发放津贴补贴，给予政务警告处分。" } },
    { "诫勉", "办理中", "已办结", { "落实基层减负要求不到位，违规要求村级重复填报报表，予以诫勉。",
      "上班时间多次脱岗，在干部作风专项督查中被发现，予以诫勉。" } },
    { "函询", "办理中", "已办结", { "反映其配偶经商办企业问题，经函询，本人如实说明，予以了结。" } },
    { "问责", "办理中", "已办结", { "履行安全生产监管职责不力，辖区发生一般生产安全事故，予以问责。" } },
};
static const struct kind k_organization[] = {
    { "12380举报", "受理", "办结", { "12380举报反映其在换届选举中涉嫌拉票，经核查，反映问题不属实，予以澄清。",
      "反映其学历学位涉嫌造假，经向学历认证机构核实，学历真实有效，予以了结。" } },
    { "个人有关事项报告查核不一致", "核查中", "办结", { "个人有关事项报告随机抽查，查核发现漏报配偶持有股票情况，属一般性漏报，予以批评教育。",
      "个人有关事项报告重点抽查，查核发现漏报本人房产一套，予以诫勉。" } },
    { "组织处理", "受理", "办结", { "年度考核群众满意度排名靠后，进行提醒谈话，责令限期整改。",
      "因履职不力，经县委常委会会议研究决定，对其调整职务。" } },
};
static const struct kind k_politics_law[] = {
    { "执法司法作风问题", "核查中", "已核实", { "办理一起案件超期四十余日，经核实属实，予以批评教育。",
      "值班期间脱岗，经核实属实，予以通报批评。" } },
    { "涉法涉诉", "核查中", "已核实", { "因民间借贷纠纷被诉，经核实，系一般民事纠纷，本人未利用职务影响。" } },
};
static const struct kind k_court[] = {
    { "刑事案件", "审理中", "已判决", { "犯危险驾驶罪，判处拘役二个月，并处罚金人民币五千元。",
      "犯滥用职权罪，情节轻微，免予刑事处罚。" } },
    { "失信被执行人", "已立案", "已纳入失信名单", { "拒不履行生效判决确定的还款义务，依法纳入失信被执行人名单，限制高消费。" } },
    { "民事案件", "已立案", "已结案", { "民间借贷纠纷，经调解双方达成还款协议，已结案。",
      "房屋租赁合同纠纷，判决其支付拖欠租金，已结案。" } },
};
static const struct kind k_procuratorate[] = {
    { "立案侦查", NULL, NULL, { "根据县纪委监委移送的问题线索，涉嫌徇私枉法罪，本院决定立案侦查。" } },
    { "批准逮捕", NULL, NULL, { "县公安局以涉嫌故意伤害罪提请批准逮捕，经审查，有逮捕必要，本院依法作出批准逮捕决定。" } },
    { "提起公诉", NULL, NULL, { "涉嫌挪用公款罪一案，由县监察委员会调查终结移送审查起诉，本院依法提起公诉。" } },
    { "不起诉", NULL, NULL, { "涉嫌危险驾驶罪，犯罪情节轻微，本院依法作出不起诉决定。" } },
};
static const struct kind k_police[] = {
    { "饮酒后驾驶机动车", "已受理", "已办结", { "驾驶机动车途经县城东环路时被查获，血液酒精含量为56mg/100ml，被处暂扣机动车驾驶证六个月并处罚款2000元。",
      "驾驶机动车途经大广高速连平出口时被查获，血液酒精含量为69mg/100ml，被处暂扣机动车驾驶证六个月并处罚款2000元。" } },
    { "醉酒驾驶机动车", "已受理", "已办结", { "驾驶机动车途经205国道连平段时被查获，血液酒精含量为126mg/100ml，涉嫌危险驾驶罪，已移送审查起诉。" } },
    { "交通事故", "已受理", "已办结", { "驾驶私家车在县城转弯时未让行，致一名行人受伤住院，经认定负事故同等责任，已赔偿。",
      "驾驶小型汽车与一辆三轮摩托车相撞，致一人受伤，经认定负事故主要责任，已赔偿。" } },
    { "赌博", "已受理", "已办结", { "参与赌博被查获，被处行政拘留五日并处罚款五百元。" } },
    { "行政拘留", "已受理", "已办结", { "因琐事殴打他人，被处行政拘留十日。" } },
};
static const struct kind k_audit[] = {
    { "经济责任审计发现问题", "审理中", "已出具审计报告", { "未按规定执行工程结算审核制度，农田水利设施维修项目多计工程款。",
      "对下属单位集体资产监管不力，集体土地出租未经公开招租，租金明显低于市场价。" } },
    { "违规使用资金", "审理中", "已出具审计报告", { "挪用专项资金用于弥补单位公用经费，已责令归还原资金渠道。" } },
    { "移送问题线索", "审理中", "已移送", { "审计发现其涉嫌违规插手工程项目，问题线索已移送县纪委监委。" } },
};
static const struct kind k_family_planning[] = {
    { "政策外生育", "调查中", "已处理", { "经调查核实，与配偶政策外生育第三个子女，违反《广东省人口与计划生育条例》有关规定，已通报其所在单位并移送县纪委监委依规依纪处理。" } },
};
static const struct kind k_petitions[] = {
    { "举报", "受理", "办结", { "信访人反映其优亲厚友、违规为亲属办理低保。经转县纪委监委调查核实，未发现违纪违法问题，予以了结，已书面答复信访人。",
      "信访人反映其在征地拆迁中态度粗暴。经核查，反映问题部分属实，已责令其作出书面检查，已书面答复信访人。" } },
    { "重复信访", "办理中", "办结", { "信访人就此前反映的问题再次来访，认为处理结果不到位。经复查，原处理意见事实清楚、处理恰当，已书面答复信访人。" } },
    { "越级信访", "办理中", "办结", { "信访人越级到市信访局反映其在项目审批中刁难群众，经市交办核查，反映问题不属实，已书面答复。" } },
};

/* The nine units, the county's year: how many matters, which day they
 * export, how many go as a notice first, how many reports are late. */
static const struct unit units[] = {
    { "discipline", 38, 5, 25, 3, 0, k_discipline, N(k_discipline) },
    { "organization", 22, 4, 30, 3, 0, k_organization, N(k_organization) },
    { "politics_law", 14, 3, 30, 4, 0, k_politics_law, N(k_politics_law) },
    { "court", 18, 2, 40, 15, 1, k_court, N(k_court) },
    { "procuratorate", 8, 4, 0, 0, 0, k_procuratorate, N(k_procuratorate) },
    { "police", 44, 1, 35, 2, 0, k_police, N(k_police) },
    { "audit", 14, 5, 25, 3, 0, k_audit, N(k_audit) },
    { "family_planning", 5, 3, 20, 0, 1, k_family_planning, N(k_family_planning) },
    { "petitions", 34, 2, 25, 22, 0, k_petitions, N(k_petitions) },
};
#define NUNITS N(units)

/* --- matters and the rows they make --- */

enum row_kind { ROW_NOTICE, ROW_REPORT, ROW_BAD };

struct row {
    lx_day on;                  /* exported that day */
    int unit, matter;
    enum row_kind kind;
};

struct matter {
    int unit, seq, kind, text;
    const struct cadre *c;
    lx_day learned;
    const char *scope;
    int real_name, amount;
};

#define MAXM 400
#define MAXR 1200
static struct matter matters[MAXM];
static int nmatters;
static struct row rows[MAXR];
static int nrows;

static const calendar_t *cal;
static lx_day first_day, last_day;     /* the working days played */

static lx_day
workday_after(lx_day d, int n)
{
    lx_day due;
    calendar_due(cal, d, n, &due);
    return due;
}

/* The unit's first export day on or after d (its weekday, or the next
 * working day when that is a holiday). */
static lx_day
export_day(const struct unit *u, lx_day d)
{
    while (!calendar_is_workday(cal, d) || days_weekday(d) != u->weekday) {
        /* A holiday on the export day: the next working day. */
        if (days_weekday(d) == u->weekday && !calendar_is_workday(cal, d)) {
            d = workday_after(d, 1);
            break;
        }
        d++;
    }
    return d;
}

static void
add_row(lx_day on, int unit, int matter, enum row_kind kind)
{
    if (nrows < MAXR && on <= last_day)
        rows[nrows++] = (struct row){ on, unit, matter, kind };
}

/* One matter's story: learned on a working day, filed on time mostly. */
static void
make_matter(int ui, int seq)
{
    const struct unit *u = &units[ui];
    struct matter *m = &matters[nmatters];
    lx_day due, on, notice_on;
    int story = pick(100);

    m->unit = ui;
    m->seq = seq;
    m->kind = pick(u->nkinds);
    m->text = u->kinds[m->kind].text[1] && chance(50) ? 1 : 0;
    m->c = some_cadre();
    m->scope = scope();
    m->real_name = chance(70);
    m->amount = 20000 + pick(300) * 1000;
    do
        m->learned = first_day + pick(last_day - first_day - 3);
    while (!calendar_is_workday(cal, m->learned));
    due = workday_after(m->learned, 5);
    on = export_day(u, m->learned);
    if (on > due)
        on = due;
    if (u->kinds[m->kind].notice && story < u->notice_pct) {
        /* A notice at once, the written report later. */
        int how = pick(100);
        notice_on = workday_after(m->learned, pick(2));
        add_row(notice_on, ui, nmatters, ROW_NOTICE);
        if (how < 60)           /* before the reminder */
            add_row(workday_after(notice_on, 1 + pick(2)) < due ?
                    workday_after(notice_on, 1 + pick(2)) : due, ui, nmatters, ROW_REPORT);
        else if (how < 92)      /* reminded the day before: on the due day */
            add_row(due, ui, nmatters, ROW_REPORT);
        else                    /* after overdue reminders */
            add_row(workday_after(due, 1 + pick(3)), ui, nmatters, ROW_REPORT);
    } else if ((seq * u->late_pct) % 100 + u->late_pct >= 100) {
        /* late_pct of the unit's matters, spread evenly over its year */
        /* Exported late: forgotten for a week or three. */
        add_row(export_day(u, workday_after(due, 1 + pick(12))), ui, nmatters, ROW_REPORT);
    } else {
        add_row(on, ui, nmatters, ROW_REPORT);
    }
    nmatters++;
}

/* --- writing each unit's format --- */

struct out {
    char *buf;
    size_t len;
    FILE *f;
};

static void
csv_field(FILE *f, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputs(last ? "\r\n" : ",", f);
}

static void
case_ref(const struct matter *m, char *out, size_t len)
{
    const char *kind = units[m->unit].kinds[m->kind].word;
    int y = 2026, n = m->seq;

    switch (m->unit) {
    case 0: snprintf(out, len, "XS-441623-%d-%04d", y, 100 + n); break;
    case 1: snprintf(out, len, "GBJD-%d-%04d", y, 10 + n); break;
    case 2: snprintf(out, len, "ZFW-%d-%04d", y, 5 + n); break;
    case 3:
        snprintf(out, len, "（%d）粤1623%s%d号", y, strcmp(kind, "刑事案件") == 0 ? "刑初" :
                 strcmp(kind, "失信被执行人") == 0 ? "执" : "民初", 20 + n * 7);
        break;
    case 4:
        snprintf(out, len, "连检%s〔%d〕%d号", strcmp(kind, "立案侦查") == 0 ? "侦立" :
                 strcmp(kind, "批准逮捕") == 0 ? "捕" : strcmp(kind, "提起公诉") == 0 ? "刑诉" :
                 "不诉", y, 3 + n * 4);
        break;
    case 5: snprintf(out, len, "A441623%d%06d", y, 1000 + n * 13); break;
    case 6: snprintf(out, len, "SJ%d-%03d-%02d", y, 1 + n / 3, 1 + n % 3); break;
    case 7: snprintf(out, len, "LPJS-%d-%04d", y, 20 + n * 3); break;
    default: snprintf(out, len, "XF441623%d%05d", y, 100 + n * 9); break;
    }
}

static const char *const csv_headers[] = {
    "线索编号,被反映人,身份证号码,工作单位,职务,职级,处置方式,处置日期,办理阶段,主要问题,承办部门,公开范围",
    "受理编号,姓名,身份证号码,工作单位,现任职务,职级,问题来源,受理日期,办理状态,问题摘要,知悉范围",
    "登记号,姓名,身份证号,单位,职务,职级,问题类别,发现日期,状态,情况简述,知悉范围",
    "案号,当事人,证件号码,工作单位,职务,职级,案件类型,立案日期,案件状态,裁判结果摘要,承办法官,公开范围",
    "案件编号,犯罪嫌疑人,身份证号码,工作单位,职务,职级,诉讼环节,决定日期,案情摘要,知悉范围",
    "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围",
    NULL,
    "登记编号,姓名,身份证号,工作单位,职务,职级,违法情形,发现日期,处理状态,处理情况,知悉范围",
    NULL,
};

/* One CSV row; bad makes it one a clerk typed wrong (the adapter refuses
 * it and says why). */
static void
csv_row(FILE *f, const struct matter *m, enum row_kind kind)
{
    const struct kind *k = &units[m->unit].kinds[m->kind];
    char ref[128], date[LX_DATE_LEN], id[19];
    int y, mo, d, report = kind != ROW_NOTICE;

    case_ref(m, ref, sizeof ref);
    days_format(m->learned, date);
    days_to_civil(m->learned, &y, &mo, &d);
    if ((m->unit == 0 || m->unit == 1) && m->seq % 3 == 1)
        snprintf(date, sizeof date, "%d/%d/%d", y, mo, d);      /* as the system prints it */
    snprintf(id, sizeof id, "%s", m->c->id);
    if (kind == ROW_BAD)
        id[17] = id[17] == '1' ? '2' : '1';         /* a typing slip in the check character */
    csv_field(f, ref, 0);
    csv_field(f, m->c->name, 0);
    csv_field(f, id, 0);
    csv_field(f, m->c->work, 0);
    csv_field(f, m->c->post, 0);
    csv_field(f, m->c->rank, 0);
    csv_field(f, k->word, 0);
    csv_field(f, date, 0);
    if (k->notice)
        csv_field(f, report ? k->report : k->notice, 0);
    csv_field(f, report ? k->text[m->text] : "", 0);
    if (m->unit == 0) {
        static const char *const office[] = { "第一纪检监察室", "第二纪检监察室",
                                              "派驻第一纪检监察组", "案件审理室" };
        csv_field(f, office[m->seq % 4], 0);
    } else if (m->unit == 3) {
        static const char *const judge[] = { "钟文华", "邱伟明", "谢国权", "李嘉欣" };
        csv_field(f, judge[m->seq % 4], 0);
    }
    csv_field(f, m->scope, 1);
}

static void
json_text(FILE *f, const char *key, const char *v, int comma)
{
    fprintf(f, "\"%s\": \"%s\"%s", key, v, comma ? ", " : "");
}

static void
audit_export(FILE *f, const struct row *r, int n, lx_day on)
{
    char when[LX_DATE_LEN];

    days_format(on, when);
    fprintf(f, "{\n  \"export\": {\n    \"system\": \"审计管理系统（OA）\",\n"
            "    \"unit\": \"连平县审计局\",\n    \"exported_at\": \"%sT17:30:00+08:00\"\n  },\n"
            "  \"findings\": [\n", when);
    for (int i = 0; i < n; i++) {
        const struct matter *m = &matters[r[i].matter];
        const struct kind *k = &units[m->unit].kinds[m->kind];
        char ref[64], date[LX_DATE_LEN];

        case_ref(m, ref, sizeof ref);
        days_format(m->learned, date);
        fprintf(f, "    {\n      ");
        json_text(f, "finding_no", ref, 1);
        fprintf(f, "\n      \"project\": \"连审经责〔2026〕%d号 关于%s%s%s同志任期经济责任的审计\",\n      ",
                10 + m->seq / 3, m->c->work, m->c->post, m->c->name);
        json_text(f, "type", k->word, 1);
        json_text(f, "found_on", date, 1);
        json_text(f, "status", r[i].kind == ROW_NOTICE ? k->notice : k->report, 0);
        fprintf(f, ",\n      ");
        json_text(f, "description", r[i].kind == ROW_NOTICE ? "" : k->text[m->text], 1);
        fprintf(f, "\"amount_yuan\": %d, ", m->amount);
        json_text(f, "scope", m->scope, 0);
        fprintf(f, ",\n      \"cadre\": { ");
        json_text(f, "name", m->c->name, 1);
        json_text(f, "id_number", m->c->id, 1);
        json_text(f, "work_unit", m->c->work, 1);
        json_text(f, "post", m->c->post, 1);
        json_text(f, "rank", m->c->rank, 0);
        fprintf(f, " }\n    }%s\n", i + 1 < n ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
}

static void
petitions_export(FILE *f, const struct row *r, int n, lx_day on)
{
    static const char *const channel[] = { "来信", "来访", "网上信访", "电话" };
    char when[LX_DATE_LEN];

    days_format(on, when);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<petitions county=\"441623\" exported=\"%sT17:30:00\">\n", when);
    for (int i = 0; i < n; i++) {
        const struct matter *m = &matters[r[i].matter];
        const struct kind *k = &units[m->unit].kinds[m->kind];
        char ref[64], date[LX_DATE_LEN];
        int report = r[i].kind != ROW_NOTICE;

        case_ref(m, ref, sizeof ref);
        days_format(m->learned, date);
        fprintf(f, "  <petition no=\"%s\">\n    <received>%s</received>\n"
                "    <channel>%s</channel>\n    <realName>%s</realName>\n"
                "    <kind>%s</kind>\n    <status>%s</status>\n    <subject>\n"
                "      <name>%s</name>\n      <idNumber>%s</idNumber>\n"
                "      <workUnit>%s</workUnit>\n      <post>%s</post>\n"
                "      <rank>%s</rank>\n    </subject>\n    <content>%s</content>\n"
                "    <scope>%s</scope>\n  </petition>\n",
                ref, date, channel[m->seq % 4], m->real_name ? "是" : "否", k->word,
                report ? k->report : k->notice, m->c->name, m->c->id, m->c->work, m->c->post,
                m->c->rank, report ? k->text[m->text] : "", m->scope);
    }
    fprintf(f, "</petitions>\n");
}

/* Writes text to path, as GB18030 when gb is set (WPS's "CSV"). */
static int
write_file(const char *path, const char *text, size_t len, int gb)
{
    FILE *f = fopen(path, "wb");
    int rc = 0;

    if (!f)
        return -1;
    if (gb) {
        iconv_t cd = iconv_open("GB18030", "UTF-8");
        size_t cap = len * 2 + 16, left = cap;
        char *out = malloc(cap), *o = out, *in = (char *)text;
        size_t inleft = len;

        if (cd == (iconv_t)-1 || !out || iconv(cd, &in, &inleft, &o, &left) == (size_t)-1)
            rc = -1;
        else
            fwrite(out, 1, cap - left, f);
        if (cd != (iconv_t)-1)
            iconv_close(cd);
        free(out);
    } else {
        fwrite(text, 1, len, f);
    }
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

static int
by_day(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->on != y->on)
        return x->on < y->on ? -1 : 1;
    if (x->unit != y->unit)
        return x->unit - y->unit;
    return x->matter - y->matter;
}

int
main(int argc, char **argv)
{
    char path[4096];
    FILE *plan;
    calendar_t *c;
    int year, seq[NUNITS] = { 0 };

    if (argc != 4 || (year = atoi(argv[2])) < 2019) {
        fprintf(stderr, "usage: lianxi-demoyear CALENDAR.TSV YEAR OUTDIR\n");
        return 64;
    }
    if (!(c = calendar_load(argv[1])))
        return 66;
    cal = c;
    if (!calendar_year_covered(cal, year)) {
        fprintf(stderr, "lianxi-demoyear: the calendar does not cover %d\n", year);
        return 65;
    }
    first_day = days_from_civil(year, 1, 4);
    last_day = days_from_civil(year, 12, 24);
    make_cadres();
    /* The matters, unit by unit, then ordered by when they are exported. */
    for (int u = 0; u < (int)NUNITS; u++)
        for (int i = 0; i < units[u].matters; i++)
            make_matter(u, seq[u]++);
    /* Three rows a clerk typed wrong (refused, then sent right the next
     * time): the police in March, the discipline commission in May, the
     * petitions bureau in September. */
    {
        static const struct { int unit, month; } slips[] = { { 5, 3 }, { 0, 5 }, { 2, 9 } };
        for (int s = 0; s < N(slips); s++)
            for (int i = 0; i < nrows; i++) {
                int y, mo, d;
                days_to_civil(rows[i].on, &y, &mo, &d);
                if (rows[i].unit == slips[s].unit && mo == slips[s].month &&
                    rows[i].kind == ROW_REPORT) {
                    add_row(rows[i].on, rows[i].unit, rows[i].matter, ROW_BAD);
                    rows[i].on = export_day(&units[rows[i].unit], rows[i].on + 1);
                    break;
                }
            }
    }
    /* Notices whose written report never came: overdue at the year's end
     * (the latest of the police bureau, the court and the petitions bureau
     * learned in the last two months, ten working days or more before the
     * end). */
    for (int u = 3; u <= 8; u++) {
        int found = -1;
        if (u != 3 && u != 5 && u != 8)
            continue;
        for (int i = 0; i < nrows; i++)
            if (rows[i].unit == u && rows[i].kind == ROW_NOTICE &&
                workday_after(matters[rows[i].matter].learned, 10) <= last_day &&
                matters[rows[i].matter].learned > last_day - 60 &&
                (found < 0 || matters[rows[i].matter].learned >
                              matters[rows[found].matter].learned))
                found = i;
        for (int i = 0; found >= 0 && i < nrows; i++)
            if (rows[i].matter == rows[found].matter && rows[i].kind == ROW_REPORT)
                rows[i].on = last_day + 1;      /* after the year: not written */
    }
    qsort(rows, (size_t)nrows, sizeof *rows, by_day);

    for (int u = 0; u < (int)NUNITS; u++) {
        snprintf(path, sizeof path, "%s/%s", argv[3], units[u].code);
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            perror(path);
            return 73;
        }
    }
    snprintf(path, sizeof path, "%s/plan.tsv", argv[3]);
    if (!(plan = fopen(path, "w"))) {
        perror(path);
        return 73;
    }
    int i = 0;
    for (lx_day d = first_day; d <= last_day; d++) {
        char day[LX_DATE_LEN];

        if (!calendar_is_workday(cal, d))
            continue;
        days_format(d, day);
        fprintf(plan, "day\t%s\t%lld\n", day, (long long)(days_start(d) + 9 * 3600));
        while (i < nrows && rows[i].on < d)
            i++;
        while (i < nrows && rows[i].on == d) {
            int u = rows[i].unit, j = i, n;
            const char *ext = u == 6 ? "json" : u == 8 ? "xml" : "csv";
            char *text = NULL, rel[256];
            size_t len = 0;
            FILE *f = open_memstream(&text, &len);

            while (j < nrows && rows[j].on == d && rows[j].unit == u)
                j++;
            n = j - i;
            if (u == 6) {
                audit_export(f, rows + i, n, d);
            } else if (u == 8) {
                petitions_export(f, rows + i, n, d);
            } else {
                fprintf(f, "%s\r\n", csv_headers[u]);
                for (int r = i; r < j; r++)
                    csv_row(f, &matters[rows[r].matter], rows[r].kind);
            }
            fclose(f);
            snprintf(rel, sizeof rel, "%s/%s-%s.%s", units[u].code, units[u].code, day, ext);
            snprintf(path, sizeof path, "%s/%s", argv[3], rel);
            if (write_file(path, text, len, units[u].gb18030) < 0) {
                perror(path);
                return 73;
            }
            free(text);
            fprintf(plan, "drop\t%s\t%s\t%d\n", units[u].code, rel, n);
            i = j;
        }
        if (strcmp(day + 5, "06-10") == 0)
            fprintf(plan, "event\tsupplement\n");
        if (strcmp(day + 5, "06-11") == 0)
            fprintf(plan, "event\tanswer\n");
        if (strcmp(day + 5, "07-10") == 0)
            fprintf(plan, "event\tadhoc\n");
        /* A joint review (任前联审) to three units, due in three working
         * days: discipline answers the next day, family planning after
         * the reminders, the police never. */
        if (strcmp(day + 5, "09-01") == 0)
            fprintf(plan, "event\treview\n");
        if (strcmp(day + 5, "09-02") == 0)
            fprintf(plan, "event\treview-discipline\n");
        if (strcmp(day + 5, "09-07") == 0)
            fprintf(plan, "event\treview-family\n");
        /* The annual meeting's notice (会议通知) to all nine units, the
         * meeting on the 25th, replies due three working days before:
         * two units confirm the next day, six the day after, family
         * planning only after the hub reminded it (the 21st). */
        if (strcmp(day + 5, "12-14") == 0)
            fprintf(plan, "event\tnotice\n");
        if (strcmp(day + 5, "12-15") == 0)
            fprintf(plan, "event\tattend-two\n");
        if (strcmp(day + 5, "12-16") == 0)
            fprintf(plan, "event\tattend-rest\n");
        if (strcmp(day + 5, "12-22") == 0)
            fprintf(plan, "event\tattend-late\n");
    }
    if (fclose(plan) != 0)
        return 74;
    calendar_destroy(&c);
    return 0;
}
