/* lianxi-adapter-court — files the county court's case-flow export: criminal cases, dishonest judgment debtors, civil cases of note (CSV, see FORMAT.md). */
#include "csvfmt.h"

static const struct csv_column columns[] = {
    { "案号", CF_CASE },
    { "当事人", CF_NAME },
    { "证件号码", CF_IDNO },
    { "工作单位", CF_WORK_UNIT },
    { "职务", CF_POST },
    { "职级", CF_RANK },
    { "案件类型", CF_TYPE },
    { "立案日期", CF_DATE },
    { "案件状态", CF_STATUS },
    { "裁判结果摘要", CF_SUMMARY },
    { "承办法官", CF_IGNORE },
    { "公开范围", CF_SCOPE },
    { NULL, 0 },
};

static const struct record_map types[] = {
    { "刑事案件", "court.criminal_judgment" },
    { "失信被执行人", "court.dishonest_debtor" },
    { "民事案件", "court.civil_case" },
    { NULL, NULL },
};

static const struct record_map statuses[] = {
    { "已立案", "notice" },
    { "审理中", "notice" },
    { "已判决", "report" },
    { "已结案", "report" },
    { "已纳入失信名单", "report" },
    { NULL, NULL },
};

static const struct csv_format court = { columns, types, statuses };

ADAPTER_MAIN("court", csvfmt_read, &court)
