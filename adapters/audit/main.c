/* lianxi-adapter-audit — files the audit bureau's findings export (JSON,
 * see FORMAT.md): economic-responsibility audit findings, misuse of funds,
 * clues referred. */
#include "record.h"
#include "textin.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct adapter_map types[] = {
    { "经济责任审计发现问题", "audit.economic_responsibility" },
    { "违规使用资金", "audit.fund_misuse" },
    { "移送问题线索", "audit.referred_clue" },
    { NULL, NULL },
};

static const struct adapter_map statuses[] = {
    { "审理中", "notice" },
    { "已出具审计报告", "report" },
    { "已移送", "report" },
    { NULL, NULL },
};

static const char *const names[CF_NFIELDS] = {
    [CF_CASE] = "finding_no", [CF_NAME] = "cadre.name", [CF_IDNO] = "cadre.id_number",
    [CF_WORK_UNIT] = "cadre.work_unit", [CF_POST] = "cadre.post", [CF_RANK] = "cadre.rank",
    [CF_TYPE] = "type", [CF_DATE] = "found_on", [CF_STATUS] = "status",
    [CF_SUMMARY] = "description", [CF_SCOPE] = "scope",
};

static const char *
str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static long
line_at(const char *text, const char *pos)
{
    long line = 1;
    for (const char *p = text; p < pos && *p; p++)
        line += *p == '\n';
    return line;
}

static int
audit_read(adapter_t *a, const char *path, const void *data)
{
    size_t len, n, i = 0;
    char *raw = util_read_file(path, &len), *text = NULL, why[256];
    const char *scan, *parse_end = NULL;
    long line = 1;
    cJSON *root = NULL, *findings, *it;
    int rc = -1;

    (void)data;
    if (!raw) {
        snprintf(why, sizeof why, "cannot read the file: %s", strerror(errno));
        adapter_reject_file(a, path, why);
        return -1;
    }
    if (!(text = textin_to_utf8(raw, len, &len))) {
        adapter_reject_file(a, path, "bytes that are neither UTF-8 nor GB18030");
        goto out;
    }
    root = cJSON_ParseWithLengthOpts(text, len, &parse_end, 0);
    if (!root) {
        snprintf(why, sizeof why, "not valid JSON (the error is near line %ld)",
                 line_at(text, parse_end ? parse_end : text + len));
        adapter_reject_file(a, path, why);
        goto out;
    }
    findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    if (!cJSON_IsObject(root) || !cJSON_IsArray(findings)) {
        adapter_reject_file(a, path, "not an audit findings export: the top level must be an "
                            "object with a \"findings\" array (see FORMAT.md)");
        goto out;
    }
    n = (size_t)cJSON_GetArraySize(findings);
    scan = text;
    cJSON_ArrayForEach(it, findings) {
        const cJSON *cadre = cJSON_GetObjectItemCaseSensitive(it, "cadre");
        const cJSON *amount = cJSON_GetObjectItemCaseSensitive(it, "amount_yuan");
        const char *v[CF_NFIELDS] = { 0 }, *next;
        char *summary = NULL;

        /* Each finding starts at the next "finding_no": its line for rejected/. */
        if ((next = strstr(scan, "\"finding_no\""))) {
            line += line_at(scan, next) - 1;
            scan = next + 1;
        }
        adapter_progress(a, ++i, n);
        if (!cJSON_IsObject(it) || !cJSON_IsObject(cadre)) {
            adapter_reject_row(a, path, line, "cadre", "a finding needs a \"cadre\" object");
            continue;
        }
        v[CF_CASE] = str(it, "finding_no");
        v[CF_NAME] = str(cadre, "name");
        v[CF_IDNO] = str(cadre, "id_number");
        v[CF_WORK_UNIT] = str(cadre, "work_unit");
        v[CF_POST] = str(cadre, "post");
        v[CF_RANK] = str(cadre, "rank");
        v[CF_TYPE] = str(it, "type");
        v[CF_DATE] = str(it, "found_on");
        v[CF_STATUS] = str(it, "status");
        v[CF_SUMMARY] = str(it, "description");
        v[CF_SCOPE] = str(it, "scope");
        if (cJSON_IsNumber(amount) && *v[CF_SUMMARY] &&
            asprintf(&summary, "%s（涉及金额 %.2f 元）", v[CF_SUMMARY], amount->valuedouble) > 0)
            v[CF_SUMMARY] = summary;
        rc = record_file(a, path, line, v, names, types, statuses);
        free(summary);
        if (rc < 0)
            goto out;
    }
    adapter_progress_done(a);
    rc = 0;
out:
    cJSON_Delete(root);
    free(text);
    free(raw);
    return rc;
}

ADAPTER_MAIN("audit", audit_read, NULL)
