/* lianxi-genexport — writes a large synthetic export for `make bench`:
 * police CSV, audit JSON or petitions XML with N valid records. */
#include "idnum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = { "杨志明", "周晓峰", "黄海燕", "刘国强", "陈丽华",
                                     "李建国", "张俊杰", "王红梅" };
static const char *const units[] = { "忠信镇人民政府", "县教育局", "县住建局", "县财政局",
                                     "上坪镇人民政府", "县农业农村局" };
static const char *const ranks[] = { "科员", "副科级", "正科级", "副处级" };

static void
idno(long i, char out[19])
{
    snprintf(out, 19, "441623%04ld%02ld%02ld%03ld", 1962 + i % 33, 1 + i / 33 % 12,
             1 + i / 400 % 28, i % 1000);
    out[17] = idnum_check_char(out);
    out[18] = '\0';
}

int
main(int argc, char **argv)
{
    long n;
    char id[19];

    if (argc != 3 || (n = atol(argv[2])) <= 0) {
        fprintf(stderr, "usage: lianxi-genexport police|audit|petitions N > FILE\n");
        return 64;
    }
    if (strcmp(argv[1], "police") == 0) {
        static const char *const types[] = { "醉酒驾驶机动车", "行政拘留", "赌博", "交通事故" };
        printf("案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,"
               "简要案情,知悉范围\r\n");
        for (long i = 0; i < n; i++) {
            idno(i, id);
            printf("A441623%010ld,%s,%s,%s,股长,%s,%s,2026-%02ld-%02ld,已办结,"
                   "\"经查，该干部于案发当日%s，已依法处理，特此报送。\",党政机关\r\n", i,
                   names[i % 8], id, units[i % 6], ranks[i % 4], types[i % 4], 1 + i % 10,
                   1 + i % 28, types[i % 4]);
        }
    } else if (strcmp(argv[1], "audit") == 0) {
        printf("{\n  \"export\": {\"system\": \"审计管理系统\", \"unit\": \"县审计局\"},\n"
               "  \"findings\": [\n");
        for (long i = 0; i < n; i++) {
            idno(i, id);
            printf("    {\n      \"finding_no\": \"审计〔2026〕%ld号\",\n"
                   "      \"type\": \"违规使用资金\",\n      \"found_on\": \"2026-%02ld-%02ld\",\n"
                   "      \"status\": \"已出具审计报告\",\n      \"cadre\": {\"name\": \"%s\", "
                   "\"id_number\": \"%s\", \"work_unit\": \"%s\", \"post\": \"局长\", "
                   "\"rank\": \"%s\"},\n      \"amount_yuan\": %ld.50,\n"
                   "      \"description\": \"专项资金未按规定用途使用。\",\n"
                   "      \"scope\": \"党政机关\"\n    }%s\n", i, 1 + i % 10, 1 + i % 28,
                   names[i % 8], id, units[i % 6], ranks[i % 4], 10000 + i,
                   i + 1 < n ? "," : "");
        }
        printf("  ]\n}\n");
    } else if (strcmp(argv[1], "petitions") == 0) {
        printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<petitions county=\"441623\" exported=\"2026-11-20\">\n");
        for (long i = 0; i < n; i++) {
            idno(i, id);
            printf("  <petition no=\"XF441623%010ld\">\n    <received>2026-%02ld-%02ld</received>\n"
                   "    <channel>来信</channel>\n    <realName>是</realName>\n"
                   "    <kind>举报</kind>\n    <status>办结</status>\n"
                   "    <subject><name>%s</name><idNumber>%s</idNumber>"
                   "<workUnit>%s</workUnit><post>副镇长</post><rank>%s</rank></subject>\n"
                   "    <content>反映该干部违规收受礼金，经核查部分属实。</content>\n"
                   "    <scope>党政机关</scope>\n  </petition>\n", i, 1 + i % 10, 1 + i % 28,
                   names[i % 8], id, units[i % 6], ranks[i % 4]);
        }
        printf("</petitions>\n");
    } else {
        fprintf(stderr, "lianxi-genexport: unknown format '%s'\n", argv[1]);
        return 64;
    }
    return 0;
}
