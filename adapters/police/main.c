/* lianxi-adapter-police — files the county public security bureau's case
 * export (CSV, see FORMAT.md) with the hub. */
#include "csvfmt.h"

static const struct csv_column columns[] = {
    { "案件编号", CF_CASE },
    { "姓名", CF_NAME },
    { "公民身份号码", CF_IDNO },
    { "工作单位", CF_WORK_UNIT },
    { "职务", CF_POST },
    { "职级", CF_RANK },
    { "案件类别", CF_TYPE },
    { "知悉日期", CF_DATE },
    { "办理状态", CF_STATUS },
    { "简要案情", CF_SUMMARY },
    { "知悉范围", CF_SCOPE },
    { NULL, 0 },
};

static const struct record_map types[] = {
    { "刑事拘留", "police.criminal_detention" },
    { "行政拘留", "police.administrative_detention" },
    { "醉酒驾驶机动车", "police.drunk_driving" },
    { "醉驾", "police.drunk_driving" },
    { "饮酒后驾驶机动车", "police.drink_driving" },
    { "酒驾", "police.drink_driving" },
    { "赌博", "police.gambling" },
    { "吸毒", "police.drugs" },
    { "交通事故", "police.traffic_accident" },
    { NULL, NULL },
};

static const struct record_map statuses[] = {
    { "已受理", "notice" },     /* registered: the notice goes at once */
    { "已办结", "report" },     /* closed: the written report */
    { NULL, NULL },
};

static const struct csv_format police = { columns, types, statuses };

ADAPTER_MAIN("police", csvfmt_read, &police)
