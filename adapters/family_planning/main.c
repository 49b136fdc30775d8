/* lianxi-adapter-family_planning — files the health commission's family-planning violations export (CSV, see FORMAT.md). */
#include "csvfmt.h"

static const struct csv_column columns[] = {
    { "登记编号", CF_CASE },
    { "姓名", CF_NAME },
    { "身份证号", CF_IDNO },
    { "工作单位", CF_WORK_UNIT },
    { "职务", CF_POST },
    { "职级", CF_RANK },
    { "违法情形", CF_TYPE },
    { "发现日期", CF_DATE },
    { "处理状态", CF_STATUS },
    { "处理情况", CF_SUMMARY },
    { "知悉范围", CF_SCOPE },
    { NULL, 0 },
};

static const struct record_map types[] = {
    { "政策外生育", "family_planning.policy_violation" },
    { "违法收养", "family_planning.policy_violation" },
    { "其他违反计划生育政策", "family_planning.policy_violation" },
    { NULL, NULL },
};

static const struct record_map statuses[] = {
    { "调查中", "notice" },
    { "已处理", "report" },
    { NULL, NULL },
};

static const struct csv_format family_planning = { columns, types, statuses };

ADAPTER_MAIN("family_planning", csvfmt_read, &family_planning)
