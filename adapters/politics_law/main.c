/* lianxi-adapter-politics_law — files the political and legal affairs commission's supervision export (CSV, see FORMAT.md). */
#include "csvfmt.h"

static const struct csv_column columns[] = {
    { "登记号", CF_CASE },
    { "姓名", CF_NAME },
    { "身份证号", CF_IDNO },
    { "单位", CF_WORK_UNIT },
    { "职务", CF_POST },
    { "职级", CF_RANK },
    { "问题类别", CF_TYPE },
    { "发现日期", CF_DATE },
    { "状态", CF_STATUS },
    { "情况简述", CF_SUMMARY },
    { "知悉范围", CF_SCOPE },
    { NULL, 0 },
};

static const struct record_map types[] = {
    { "执法司法作风问题", "politics_law.enforcement_conduct" },
    { "执法问题", "politics_law.enforcement_conduct" },
    { "涉法涉诉", "politics_law.legal_dispute" },
    { NULL, NULL },
};

static const struct record_map statuses[] = {
    { "核查中", "notice" },
    { "已核实", "report" },
    { NULL, NULL },
};

static const struct csv_format politics_law = { columns, types, statuses };

ADAPTER_MAIN("politics_law", csvfmt_read, &politics_law)
