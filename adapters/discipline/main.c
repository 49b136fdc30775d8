/* lianxi-adapter-discipline — files the discipline commission's case-management export (CSV, see FORMAT.md). */
#include "csvfmt.h"

static const struct csv_column columns[] = {
    { "线索编号", CF_CASE },
    { "被反映人", CF_NAME },
    { "身份证号码", CF_IDNO },
    { "工作单位", CF_WORK_UNIT },
    { "职务", CF_POST },
    { "职级", CF_RANK },
    { "处置方式", CF_TYPE },
    { "处置日期", CF_DATE },
    { "办理阶段", CF_STATUS },
    { "主要问题", CF_SUMMARY },
    { "承办部门", CF_IGNORE },
    { "公开范围", CF_SCOPE },
    { NULL, 0 },
};

static const struct record_map types[] = {
    { "立案审查调查", "discipline.case_opened" },
    { "立案", "discipline.case_opened" },
    { "党纪处分", "discipline.party_sanction" },
    { "政务处分", "discipline.government_sanction" },
    { "诫勉", "discipline.admonishment" },
    { "诫勉谈话", "discipline.admonishment" },
    { "函询", "discipline.inquiry_letter" },
    { "谈话函询", "discipline.inquiry_letter" },
    { "问责", "discipline.accountability" },
    { NULL, NULL },
};

static const struct record_map statuses[] = {
    { "办理中", "notice" },
    { "已办结", "report" },
    { NULL, NULL },
};

static const struct csv_format discipline = { columns, types, statuses };

ADAPTER_MAIN("discipline", csvfmt_read, &discipline)
