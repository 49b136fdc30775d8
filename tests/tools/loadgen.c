/* lianxi-loadgen — a synthetic unit for load, crash and benchmark runs: it
 * is an adapter (the shared core, outbox, sender) whose "export" is
 * generated.  `submit COUNT[@BYTES]` queues COUNT filings of about BYTES
 * each; the same COUNT gives the same filings again (same case numbers,
 * same content), so a re-run after a crash queues only what is missing. */
#include "adapter.h"
#include "conf.h"
#include "idnum.h"
#include "log.h"
#include "days.h"
#include "clock.h"
#include "text.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char unit_code[64];

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周" };
static const char *const given[] = { "志明", "建国", "海燕", "伟", "丽华", "晓峰", "国强", "敏", "俊杰", "红梅" };
static const char *const towns[] = { "忠信镇人民政府", "上坪镇人民政府", "县教育局", "县住建局",
                                     "县农业农村局", "县卫健局", "县自然资源局", "大湖镇人民政府" };

static int
gen_read(adapter_t *a, const char *spec, const void *data)
{
    const categories_t *cats = adapter_categories(a);
    const char *cat_codes[32];
    size_t ncat = 0;
    long count = strtol(spec, NULL, 10), size = 1500;
    const char *at = strchr(spec, '@');
    char *summary;
    lx_day today = days_shanghai(clock_now());

    (void)data;
    if (at)
        size = strtol(at + 1, NULL, 10);
    if (count <= 0 || size < 64 || size > 15000) {
        adapter_reject_file(a, spec, "loadgen wants COUNT[@BYTES], BYTES 64..15000");
        return -1;
    }
    for (size_t i = 0; i < categories_count(cats) && ncat < 32; i++)
        if (strcmp(categories_at(cats, i)->unit, unit_code) == 0)
            cat_codes[ncat++] = categories_at(cats, i)->code;
    if (!(summary = malloc((size_t)size + 1)))
        return -1;
    for (long i = 0; i < count; i++) {
        Lianxi__Filing f = LIANXI__FILING__INIT;
        Lianxi__Cadre c = LIANXI__CADRE__INIT;
        char idno[19], name[32], caseref[64], learned[LX_DATE_LEN];
        unsigned h = (unsigned)i * 2654435761u;
        int len;

        /* 441623 + birth date + sequence, with the right check character. */
        snprintf(idno, sizeof idno, "441623%04d%02d%02d%03u", 1960 + (int)(h % 35),
                 1 + (int)(h / 7 % 12), 1 + (int)(h / 13 % 28), (unsigned)(i % 1000));
        idno[17] = idnum_check_char(idno);
        idno[18] = '\0';
        snprintf(name, sizeof name, "%s%s", surnames[h % 10], given[h / 10 % 10]);
        snprintf(caseref, sizeof caseref, "LG-%s-%ld", unit_code, i);
        days_format(today - 3 - (lx_day)(i % 300), learned);
        len = snprintf(summary, (size_t)size + 1, "合成负载测试第%ld号:", i);
        while (len < size - 3) {
            memcpy(summary + len, "情况", 6 < size - len ? 6 : (size_t)(size - len));
            len += 6;
        }
        summary[len < size ? len : size] = '\0';
        while (!text_utf8_valid(summary, strlen(summary)))
            summary[strlen(summary) - 1] = '\0';
        c.name = name;
        c.id_number = idno;
        c.work_unit = (char *)towns[h / 100 % 8];
        c.post = "副局长";
        c.rank = 1 + (int)(h / 1000 % 5);
        f.cadre = &c;
        f.stage = LIANXI__STAGE__STAGE_REPORT;
        f.category = (char *)cat_codes[(size_t)i % ncat];
        f.learned_on = learned;
        f.summary = summary;
        f.scope = LIANXI__SCOPE__SCOPE_ORGANS;
        f.case_ref = caseref;
        if (adapter_file(a, &f, spec, i + 1) < 0) {
            free(summary);
            return -1;
        }
    }
    free(summary);
    return 0;
}

int
main(int argc, char **argv)
{
    struct adapter_format fmt = { NULL, gen_read, NULL };
    const char *cfile = NULL;
    conf_t *conf;

    /* Find the config first: the unit of this synthetic adapter is the config's. */
    for (int i = 1; i < argc - 1; i++)
        if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0)
            cfile = argv[i + 1];
    log_init("lianxi-loadgen", LOG_LVL_INFO);
    if (!cfile || !(conf = conf_load(cfile))) {
        fprintf(stderr, "usage: lianxi-loadgen -c ADAPTER.CONF submit COUNT[@BYTES] | send | status\n");
        return 64;
    }
    snprintf(unit_code, sizeof unit_code, "%s", conf_get(conf, "adapter", "unit", ""));
    conf_destroy(&conf);
    fmt.unit = unit_code;
    return adapter_main(argc, argv, &fmt);
}
