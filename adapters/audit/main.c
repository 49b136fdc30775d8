/* lianxi-adapter-audit — files the audit bureau's findings export (JSON,
 * see FORMAT.md): economic-responsibility audit findings, misuse of funds,
 * clues referred. */
#include "i18n.h"
#include "record.h"
#include "textin.h"
#include "files.h"
#include "i18n.h"
#include "validate.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct record_map types[] = {
    { "经济责任审计发现问题", "audit.economic_responsibility" },
    { "违规使用资金", "audit.fund_misuse" },
    { "移送问题线索", "audit.referred_clue" },
    { NULL, NULL },
};

static const struct record_map statuses[] = {
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

/* The value of key as text (a number is written out), whole: a value over a
 * field's limit reaches the shared check, which refuses it as too_large,
 * instead of being cut here.  Returns a string to free ("" for a missing
 * key), or NULL when memory runs out. */
static char *
str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char *s = NULL;

    if (cJSON_IsString(v))
        return strdup(v->valuestring);
    if (cJSON_IsNumber(v))
        return asprintf(&s, "%.15g", v->valuedouble) < 0 ? NULL : s;
    return strdup("");
}

/* The line of each element of the top-level "findings" array, objects or
 * not (a string or number there is a bad finding of its own, and must not
 * shift the lines of the findings after it): the line of an object's
 * "finding_no", else where the element starts; found by a small scan that
 * knows JSON strings and nesting.  Returns the count stored (at most max). */
static size_t
finding_lines(const char *text, long *lines, size_t max)
{
    int depth = 0, in_str = 0, esc = 0, findings_depth = -1, want_array = 0, want_elem = 0;
    const char *key_start = NULL;
    size_t n = 0;
    long line = 1;

    for (const char *p = text; *p; p++) {
        char c = *p;
        if (c == '\n')
            line++;
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"') {
                in_str = 0;
                /* A key of the top-level object? */
                if (depth == 1 && key_start && p - key_start == 8 &&
                    strncmp(key_start, "findings", 8) == 0)
                    want_array = 1;
                /* A finding is placed on the line of its number, when it has one. */
                if (findings_depth >= 0 && depth == findings_depth + 1 && n > 0 &&
                    p - key_start == 10 && strncmp(key_start, "finding_no", 10) == 0)
                    lines[n - 1] = line;
            }
            continue;
        }
        if (want_elem && depth == findings_depth && c != ' ' && c != '\t' && c != '\r' &&
            c != '\n' && c != ']') {
            /* The first character of an element of findings, whatever it is. */
            if (n < max)
                lines[n++] = line;
            want_elem = 0;
        }
        switch (c) {
        case '"':
            in_str = 1;
            key_start = p + 1;
            break;
        case '{':
        case '[':
            depth++;
            if (c == '[' && want_array && depth == 2) {
                findings_depth = depth;
                want_elem = 1;
            }
            want_array = 0;
            break;
        case '}':
        case ']':
            if (findings_depth >= 0 && depth == findings_depth)
                findings_depth = -1;
            depth--;
            break;
        case ',':
            want_array = 0;
            want_elem = findings_depth >= 0 && depth == findings_depth;
            break;
        default:
            break;
        }
    }
    return n;
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
    size_t len, n, i = 0, nlines;
    char *raw = files_read(path, &len), *text = NULL, why[256];
    const char *parse_end = NULL;
    long *lines = NULL;
    cJSON *root = NULL, *findings, *it;
    int rc = -1;

    (void)data;
    if (!raw) {
        snprintf(why, sizeof why, _("cannot read the file: %s"), strerror(errno));
        adapter_reject_file(a, path, why);
        return -1;
    }
    if (!(text = textin_to_utf8(raw, len, &len))) {
        adapter_reject_file(a, path, _("bytes that are neither UTF-8 nor GB18030: re-export "
                                     "the file"));
        goto out;
    }
    /* A zero byte is no JSON (cJSON, given the length, would skip it in
     * whitespace while the line numbers stop there). */
    if ((parse_end = memchr(text, '\0', len))) {
        snprintf(why, sizeof why, _("not valid JSON (a zero byte on line %ld): re-export the "
                 "file"), line_at(text, parse_end));
        adapter_reject_file(a, path, why);
        goto out;
    }
    root = cJSON_ParseWithLengthOpts(text, len, &parse_end, 0);
    if (!root) {
        snprintf(why, sizeof why, _("not valid JSON (the error is near line %ld): re-export "
                 "the file"),
                 line_at(text, parse_end ? parse_end : text + len));
        adapter_reject_file(a, path, why);
        goto out;
    }
    findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    if (!cJSON_IsObject(root) || !cJSON_IsArray(findings)) {
        adapter_reject_file(a, path, _("not an audit findings export: the top level must be an "
                            "object with a \"findings\" array (see FORMAT.md)"));
        goto out;
    }
    n = (size_t)cJSON_GetArraySize(findings);
    if (!(lines = calloc(n ? n : 1, sizeof *lines)))
        goto out;
    nlines = finding_lines(text, lines, n);
    cJSON_ArrayForEach(it, findings) {
        const cJSON *cadre = cJSON_GetObjectItemCaseSensitive(it, "cadre");
        const cJSON *amount = cJSON_GetObjectItemCaseSensitive(it, "amount_yuan");
        const char *v[CF_NFIELDS] = { 0 };
        char *summary = NULL, *own[CF_NFIELDS] = { 0 };
        long line = i < nlines ? lines[i] : 0;

        adapter_progress(a, ++i, n);
        if (!cJSON_IsObject(it) || !cJSON_IsObject(cadre)) {
            adapter_reject_row(a, path, line, "cadre", "%s",
                               _("a finding needs a \"cadre\" object"));
            continue;
        }
        rc = 0;
        for (int f = 0; f < CF_NFIELDS && rc == 0; f++) {
            if (!names[f])
                continue;
            /* "cadre.name" is the member name of the object cadre. */
            own[f] = strncmp(names[f], "cadre.", 6) == 0 ? str(cadre, names[f] + 6)
                                                        : str(it, names[f]);
            if (!own[f])
                rc = -1;
            else
                v[f] = record_trim(own[f]);
        }
        if (rc == 0 && cJSON_IsNumber(amount) &&
            asprintf(&summary, "%s%s涉及金额 %.2f 元%s", v[CF_SUMMARY],
                     *v[CF_SUMMARY] ? "（" : "", amount->valuedouble,
                     *v[CF_SUMMARY] ? "）" : "") > 0 && *v[CF_SUMMARY])
            v[CF_SUMMARY] = summary;
        if (rc == 0)
            rc = record_file(a, path, line, v, names, types, statuses);
        free(summary);
        for (int f = 0; f < CF_NFIELDS; f++)
            free(own[f]);
        if (rc < 0)
            goto out;
    }
    adapter_progress_done(a);
    rc = 0;
out:
    free(lines);
    cJSON_Delete(root);
    free(text);
    free(raw);
    return rc;
}

ADAPTER_MAIN("audit", audit_read, NULL)
