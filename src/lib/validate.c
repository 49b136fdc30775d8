/* validate.c — field, identity-number, category, date and scope checks. */
#include "validate.h"
#include "idnum.h"
#include "days.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static Lianxi__RejectCode
fail(Lianxi__RejectCode code, char *detail, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static Lianxi__RejectCode
fail(Lianxi__RejectCode code, char *detail, size_t len, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, len, fmt, ap);
    va_end(ap);
    /* The sentence may echo what the unit sent (a date that is no date, an
     * ID number) and may be cut: it is valid UTF-8 whatever came in. */
    text_utf8_fix(detail);
    return code;
}

/* Returns 0 when s is present (or optional and empty), valid UTF-8, within
 * max and free of the characters that hide or forge text (text_is_control);
 * only a TEXT_LINES field may hold line breaks and tabs. */
enum { TEXT_ONE_LINE, TEXT_LINES };

static int
check_text_as(const char *s, size_t max, int required, int lines, const char *what,
              Lianxi__RejectCode *code, char *detail, size_t len)
{
    size_t n = s ? strlen(s) : 0;
    uint32_t cp;
    long at;

    if (n == 0 && required) {
        *code = fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, detail, len,
                     "the %s is missing: fill it in and file again", what);
        return -1;
    }
    if (n > max) {
        *code = fail(LIANXI__REJECT_CODE__REJECT_TOO_LARGE, detail, len,
                     "the %s is %zu bytes, over the limit of %zu: shorten it", what, n, max);
        return -1;
    }
    if (n && !text_utf8_valid(s, n)) {
        *code = fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, detail, len,
                     "the %s is not valid UTF-8 text", what);
        return -1;
    }
    if (n && (at = text_find_control(s, n, lines == TEXT_LINES, &cp)) >= 0) {
        *code = fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, detail, len,
                     "the %s holds the invisible control character U+%04X at byte %ld, "
                     "which can hide or forge text: remove it and file again%s", what,
                     (unsigned)cp, at + 1,
                     lines == TEXT_LINES ? " (line breaks and tabs are allowed)" : "");
        return -1;
    }
    return 0;
}

static int
check_text(const char *s, size_t max, int required, const char *what,
           Lianxi__RejectCode *code, char *detail, size_t len)
{
    return check_text_as(s, max, required, TEXT_ONE_LINE, what, code, detail, len);
}

static int
filing_id_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-' || *s == ':'))
            return 0;
    return 1;
}

Lianxi__RejectCode
validate_filing(const categories_t *cats, const char *unit, const Lianxi__Filing *f,
                int64_t now, char *detail, size_t len)
{
    Lianxi__RejectCode code = LIANXI__REJECT_CODE__REJECT_NONE;
    const Lianxi__Cadre *c = f->cadre;
    const char *why;
    lx_day learned, today = days_shanghai(now);

    detail[0] = '\0';
    if (check_text(f->filing_id, LIM_FILING_ID, 1, "filing id", &code, detail, len) < 0)
        return code;
    if (!filing_id_ok(f->filing_id))
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, detail, len,
                    "the filing id may hold only letters, digits and . _ - :");
    if (strncmp(f->filing_id, unit, strlen(unit)) != 0 || f->filing_id[strlen(unit)] != ':')
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, detail, len,
                    "the filing id must start with '%s:' (its unit), so that it names one "
                    "unit's filing", unit);
    if (f->revision < 1)
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, detail, len,
                    "the revision must be 1 or higher");
    if (f->stage < LIANXI__STAGE__STAGE_NOTICE || f->stage > LIANXI__STAGE__STAGE_SUPPLEMENT)
        return fail(LIANXI__REJECT_CODE__REJECT_STAGE, detail, len,
                    "the stage must be notice, report or supplement");
    if (f->scope == LIANXI__SCOPE__SCOPE_CLASSIFIED)
        return fail(LIANXI__REJECT_CODE__REJECT_CLASSIFIED, detail, len,
                    "this filing is marked classified (国家秘密): classified information "
                    "must not be sent over lianxi; deliver it through the confidential channel");
    if (f->scope < LIANXI__SCOPE__SCOPE_PUBLIC || f->scope > LIANXI__SCOPE__SCOPE_SPECIFIC)
        return fail(LIANXI__REJECT_CODE__REJECT_SCOPE, detail, len,
                    "the disclosure scope must be public, organs, leadership or specific");
    if (check_text(f->category, LIM_CATEGORY, 1, "category", &code, detail, len) < 0 ||
        check_text(f->case_ref, LIM_CASE_REF, 1, "case reference", &code, detail, len) < 0 ||
        check_text_as(f->summary, LIM_SUMMARY, f->stage != LIANXI__STAGE__STAGE_NOTICE,
                      TEXT_LINES, "summary", &code, detail, len) < 0 ||
        check_text(f->answers, LIM_ANSWERS, 0, "answered obligation", &code, detail, len) < 0)
        return code;
    if (!c)
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, detail, len,
                    "the cadre (name, ID number, work unit, post) is missing");
    if (check_text(c->name, LIM_NAME, 1, "cadre's name", &code, detail, len) < 0 ||
        check_text(c->work_unit, LIM_WORK_UNIT, 1, "cadre's work unit", &code, detail, len) < 0 ||
        check_text(c->post, LIM_POST, 0, "cadre's post", &code, detail, len) < 0 ||
        check_text(c->id_number, LIM_ID_NUMBER, 0, "cadre's ID number", &code, detail,
                   len) < 0)
        return code;
    if (c->rank < LIANXI__RANK__RANK_UNSPECIFIED || c->rank > LIANXI__RANK__RANK_BUREAU)
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, detail, len,
                    "the cadre's rank is not one of 科员, 副科, 正科, 副处, 正处, 副厅及以上");
    if (!c->id_number || idnum_check(c->id_number, &why) < 0)
        return fail(LIANXI__REJECT_CODE__REJECT_ID_NUMBER, detail, len,
                    "ID number '%.24s' of %.64s is invalid: %s", c->id_number ? c->id_number : "",
                    c->name, c->id_number ? why : "it is missing");
    if (!categories_belongs(cats, f->category, unit))
        return fail(LIANXI__REJECT_CODE__REJECT_CATEGORY, detail, len,
                    "category '%s' is not registered for unit %s: use one of your unit's "
                    "categories in the registry", f->category, unit);
    if (!f->learned_on || days_parse(f->learned_on, &learned) < 0)
        return fail(LIANXI__REJECT_CODE__REJECT_DATE, detail, len,
                    "the date learned '%.16s' is not a YYYY-MM-DD date",
                    f->learned_on ? f->learned_on : "");
    if (learned > today)
        return fail(LIANXI__REJECT_CODE__REJECT_DATE, detail, len,
                    "the date learned %s is in the future: check the date", f->learned_on);
    if (learned < days_from_civil(1990, 1, 1))
        return fail(LIANXI__REJECT_CODE__REJECT_DATE, detail, len,
                    "the date learned %s is before 1990: check the date", f->learned_on);
    if (f->queued_at <= 0 || f->queued_at > now + 86400)
        return fail(LIANXI__REJECT_CODE__REJECT_DATE, detail, len,
                    "the adapter's queue time is missing or more than a day ahead of the hub: "
                    "check the adapter machine's clock");
    return LIANXI__REJECT_CODE__REJECT_NONE;
}

const char *
validate_code_name(Lianxi__RejectCode code)
{
    switch (code) {
    case LIANXI__REJECT_CODE__REJECT_NONE: return "none";
    case LIANXI__REJECT_CODE__REJECT_VERSION: return "version";
    case LIANXI__REJECT_CODE__REJECT_MALFORMED: return "malformed";
    case LIANXI__REJECT_CODE__REJECT_UNAUTHORIZED: return "unauthorized";
    case LIANXI__REJECT_CODE__REJECT_UNIT_MISMATCH: return "unit_mismatch";
    case LIANXI__REJECT_CODE__REJECT_ID_NUMBER: return "id_number";
    case LIANXI__REJECT_CODE__REJECT_CATEGORY: return "category";
    case LIANXI__REJECT_CODE__REJECT_DATE: return "date";
    case LIANXI__REJECT_CODE__REJECT_TOO_LARGE: return "too_large";
    case LIANXI__REJECT_CODE__REJECT_CLASSIFIED: return "classified";
    case LIANXI__REJECT_CODE__REJECT_SIGNATURE: return "signature";
    case LIANXI__REJECT_CODE__REJECT_CONFLICT: return "conflict";
    case LIANXI__REJECT_CODE__REJECT_SCOPE: return "scope";
    case LIANXI__REJECT_CODE__REJECT_STAGE: return "stage";
    case LIANXI__REJECT_CODE__REJECT_INTERNAL: return "internal";
    default: return "unknown";
    }
}
