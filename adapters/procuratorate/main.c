/* lianxi-adapter-procuratorate — files the procuratorate's duty-crime export: cases opened, arrests, prosecutions, non-prosecution decisions (CSV, see FORMAT.md). */
#include "csvfmt.h"

static const struct csv_column columns[] = {
    { "案件编号", CF_CASE },
    { "犯罪嫌疑人", CF_NAME },
    { "身份证号码", CF_IDNO },
    { "工作单位", CF_WORK_UNIT },
    { "职务", CF_POST },
    { "职级", CF_RANK },
    { "诉讼环节", CF_TYPE },
    { "决定日期", CF_DATE },
    { "案情摘要", CF_SUMMARY },
    { "知悉范围", CF_SCOPE },
    { NULL, 0 },
};

static const struct record_map types[] = {
    { "职务犯罪立案", "procuratorate.duty_crime_opened" },
    { "立案侦查", "procuratorate.duty_crime_opened" },
    { "批准逮捕", "procuratorate.arrest" },
    { "决定逮捕", "procuratorate.arrest" },     /* cases sent by the supervisory commission */
    { "提起公诉", "procuratorate.prosecution" },
    { "不起诉", "procuratorate.non_prosecution" },
    { NULL, NULL },
};

/* Every row is a decision already taken: a written report. */
static const struct csv_format procuratorate = { columns, types, NULL };

ADAPTER_MAIN("procuratorate", csvfmt_read, &procuratorate)
