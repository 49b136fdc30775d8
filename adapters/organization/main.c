/* lianxi-adapter-organization — files the organization department's cadre-supervision export (12380 reports, personal-matters checks, organizational handling) (CSV, see FORMAT.md). */
#include "csvfmt.h"

static const struct csv_column columns[] = {
    { "受理编号", CF_CASE },
    { "姓名", CF_NAME },
    { "身份证号码", CF_IDNO },
    { "工作单位", CF_WORK_UNIT },
    { "现任职务", CF_POST },
    { "职级", CF_RANK },
    { "问题来源", CF_TYPE },
    { "受理日期", CF_DATE },
    { "办理状态", CF_STATUS },
    { "问题摘要", CF_SUMMARY },
    { "知悉范围", CF_SCOPE },
    { NULL, 0 },
};

static const struct record_map types[] = {
    { "12380举报", "organization.report_12380" },
    { "个人有关事项报告查核不一致", "organization.personal_matters" },
    { "个人事项查核", "organization.personal_matters" },
    { "组织处理", "organization.organizational_handling" },
    { NULL, NULL },
};

static const struct record_map statuses[] = {
    { "受理", "notice" },
    { "核查中", "notice" },
    { "办结", "report" },
    { NULL, NULL },
};

static const struct csv_format organization = { columns, types, statuses };

ADAPTER_MAIN("organization", csvfmt_read, &organization)
