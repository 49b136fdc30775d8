/* validate.c — field, identity-number, category, date and scope checks. */
#include "validate.h"
#include "idnum.h"
#include "days.h"
#include "reasons.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static Lianxi__RejectCode
fail(Lianxi__RejectCode code, struct reason *r, const char *key, size_t nargs, ...)
{
    va_list ap;

    va_start(ap, nargs);
    reasons_vset(r, key, nargs, ap);
    va_end(ap);
    return code;
}

/* Returns 0 when s is present (or optional and empty), valid UTF-8, within
 * max and free of the characters that hide or forge text (text_is_control);
 * only a TEXT_LINES field may hold line breaks and tabs.  what is a field's
 * name of the reasons table (reasons.c). */
enum { TEXT_ONE_LINE, TEXT_LINES };

static int
check_text_as(const char *s, size_t max, int required, int lines, const char *what,
              Lianxi__RejectCode *code, struct reason *r)
{
    size_t n = s ? strlen(s) : 0;
    char a[24], b[24];
    uint32_t cp;
    long at;

    if (n == 0 && required) {
        *code = fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "field.missing", 1, what);
        return -1;
    }
    if (n > max) {
        snprintf(a, sizeof a, "%zu", n);
        snprintf(b, sizeof b, "%zu", max);
        *code = fail(LIANXI__REJECT_CODE__REJECT_TOO_LARGE, r, "field.too_long", 3, what, a, b);
        return -1;
    }
    if (n && !text_utf8_valid(s, n)) {
        *code = fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "field.not_utf8", 1, what);
        return -1;
    }
    if (n && (at = text_find_control(s, n, lines == TEXT_LINES, &cp)) >= 0) {
        snprintf(a, sizeof a, "U+%04X", (unsigned)cp);
        snprintf(b, sizeof b, "%ld", at + 1);
        *code = fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r,
                     lines == TEXT_LINES ? "field.control_char_lines" : "field.control_char", 3,
                     what, a, b);
        return -1;
    }
    return 0;
}

static int
check_text(const char *s, size_t max, int required, const char *what,
           Lianxi__RejectCode *code, struct reason *r)
{
    return check_text_as(s, max, required, TEXT_ONE_LINE, what, code, r);
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

/* s cut to at most n bytes, on a character boundary. */
static const char *
cut(char *buf, size_t size, const char *s, size_t n)
{
    snprintf(buf, size, "%.*s", (int)n, s ? s : "");
    return text_utf8_fix(buf);
}

Lianxi__RejectCode
validate_filing_reason(const categories_t *cats, const char *unit, const Lianxi__Filing *f,
                       int64_t now, struct reason *r)
{
    Lianxi__RejectCode code = LIANXI__REJECT_CODE__REJECT_NONE;
    const Lianxi__Cadre *c = f->cadre;
    const char *why;
    char v1[72], v2[72];
    lx_day learned, today = days_shanghai(now);

    memset(r, 0, sizeof *r);
    if (check_text(f->filing_id, LIM_FILING_ID, 1, "filing id", &code, r) < 0)
        return code;
    if (!filing_id_ok(f->filing_id))
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "filing_id.charset", 0);
    if (strncmp(f->filing_id, unit, strlen(unit)) != 0 || f->filing_id[strlen(unit)] != ':')
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "filing_id.prefix", 2, unit, unit);
    if (f->revision < 1)
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "revision.invalid", 0);
    if (f->stage < LIANXI__STAGE__STAGE_NOTICE || f->stage > LIANXI__STAGE__STAGE_SUPPLEMENT)
        return fail(LIANXI__REJECT_CODE__REJECT_STAGE, r, "stage.invalid", 0);
    if (f->scope == LIANXI__SCOPE__SCOPE_CLASSIFIED)
        return fail(LIANXI__REJECT_CODE__REJECT_CLASSIFIED, r, "scope.classified", 0);
    if (f->scope < LIANXI__SCOPE__SCOPE_PUBLIC || f->scope > LIANXI__SCOPE__SCOPE_SPECIFIC)
        return fail(LIANXI__REJECT_CODE__REJECT_SCOPE, r, "scope.invalid", 0);
    if (check_text(f->category, LIM_CATEGORY, 1, "category", &code, r) < 0 ||
        check_text(f->case_ref, LIM_CASE_REF, 1, "case reference", &code, r) < 0 ||
        check_text_as(f->summary, LIM_SUMMARY, f->stage != LIANXI__STAGE__STAGE_NOTICE,
                      TEXT_LINES, "summary", &code, r) < 0 ||
        check_text(f->answers, LIM_ANSWERS, 0, "answered obligation", &code, r) < 0)
        return code;
    if (!c)
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "cadre.missing", 0);
    if (check_text(c->name, LIM_NAME, 1, "cadre's name", &code, r) < 0 ||
        check_text(c->work_unit, LIM_WORK_UNIT, 1, "cadre's work unit", &code, r) < 0 ||
        check_text(c->post, LIM_POST, 0, "cadre's post", &code, r) < 0 ||
        check_text(c->id_number, LIM_ID_NUMBER, 0, "cadre's ID number", &code, r) < 0)
        return code;
    if (c->rank < LIANXI__RANK__RANK_UNSPECIFIED || c->rank > LIANXI__RANK__RANK_BUREAU)
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "rank.invalid", 0);
    if (!c->id_number || !*c->id_number)
        return fail(LIANXI__REJECT_CODE__REJECT_ID_NUMBER, r, "id_number.missing", 1,
                    cut(v2, sizeof v2, c->name, 64));
    if ((why = idnum_problem(c->id_number)))
        return fail(LIANXI__REJECT_CODE__REJECT_ID_NUMBER, r, why, 2,
                    cut(v1, sizeof v1, c->id_number, 24), cut(v2, sizeof v2, c->name, 64));
    if (!categories_belongs(cats, f->category, unit))
        return fail(LIANXI__REJECT_CODE__REJECT_CATEGORY, r, "category.not_registered", 2,
                    f->category, unit);
    if (!f->learned_on || days_parse(f->learned_on, &learned) < 0)
        return fail(LIANXI__REJECT_CODE__REJECT_DATE, r, "date.malformed", 1,
                    cut(v1, sizeof v1, f->learned_on, 16));
    if (learned > today)
        return fail(LIANXI__REJECT_CODE__REJECT_DATE, r, "date.future", 1, f->learned_on);
    if (learned < days_from_civil(1990, 1, 1))
        return fail(LIANXI__REJECT_CODE__REJECT_DATE, r, "date.too_early", 1, f->learned_on);
    if (f->queued_at <= 0 || f->queued_at > now + 86400)
        return fail(LIANXI__REJECT_CODE__REJECT_DATE, r, "queued_at.invalid", 0);
    return LIANXI__REJECT_CODE__REJECT_NONE;
}

Lianxi__RejectCode
validate_filing(const categories_t *cats, const char *unit, const Lianxi__Filing *f,
                int64_t now, char *detail, size_t len)
{
    struct reason r;
    Lianxi__RejectCode code = validate_filing_reason(cats, unit, f, now, &r);

    if (len == 0)
        return code;
    detail[0] = '\0';
    if (code != LIANXI__REJECT_CODE__REJECT_NONE && reasons_render(&r, detail, len) < 0)
        snprintf(detail, len, "%s", r.key);
    return code;
}

Lianxi__RejectCode
validate_opinion_reason(const char *unit, const Lianxi__Opinion *o, int64_t now,
                        struct reason *r)
{
    Lianxi__RejectCode code = LIANXI__REJECT_CODE__REJECT_NONE;
    char want[LIM_FILING_ID + 40], v1[72];
    lx_day day;

    memset(r, 0, sizeof *r);
    if (check_text(o->review_id, LIM_ANSWERS, 1, "review", &code, r) < 0 ||
        check_text(o->opinion_id, LIM_FILING_ID, 1, "filing id", &code, r) < 0)
        return code;
    snprintf(want, sizeof want, "%s:%s", unit, o->review_id);
    if (strcmp(o->opinion_id, want) != 0)
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "review.opinion_id", 2,
                    cut(v1, sizeof v1, o->opinion_id, 64), want);
    if (o->revision < 1)
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "revision.invalid", 0);
    if (o->n_items == 0)
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "review.empty", 0);
    for (size_t i = 0; i < o->n_items; i++) {
        const Lianxi__OpinionItem *it = o->items[i];
        const char *why, *id = it->id_number ? it->id_number : "";
        if (check_text(it->id_number, LIM_ID_NUMBER, 1, "cadre's ID number", &code, r) < 0)
            return code;
        if ((why = idnum_problem(id)))
            return fail(LIANXI__REJECT_CODE__REJECT_ID_NUMBER, r, why, 2,
                        cut(v1, sizeof v1, id, 24), "");
        for (size_t k = 0; k < i; k++)
            if (strcasecmp(o->items[k]->id_number, id) == 0)
                return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "review.candidate_twice",
                            1, id);
        if (it->answer < LIANXI__OPINION_ANSWER__OPINION_NONE ||
            it->answer > LIANXI__OPINION_ANSWER__OPINION_CHECKING)
            return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "review.answer_invalid", 1, id);
        if (check_text_as(it->text, LIM_SUMMARY, 0, TEXT_LINES, "summary", &code, r) < 0 ||
            check_text(it->expected_on, 10, 0, "expected date", &code, r) < 0)
            return code;
        if (it->answer == LIANXI__OPINION_ANSWER__OPINION_HOLDS && !*it->text)
            return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "review.text_missing", 1, id);
        if (it->answer == LIANXI__OPINION_ANSWER__OPINION_CHECKING &&
            (!it->expected_on || days_parse(it->expected_on, &day) < 0))
            return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "review.date_missing", 1, id);
    }
    if (o->queued_at <= 0 || o->queued_at > now + 86400)
        return fail(LIANXI__REJECT_CODE__REJECT_DATE, r, "queued_at.invalid", 0);
    return LIANXI__REJECT_CODE__REJECT_NONE;
}

Lianxi__RejectCode
validate_attendance_reason(const char *unit, const Lianxi__Attendance *a, int64_t now,
                           struct reason *r)
{
    Lianxi__RejectCode code = LIANXI__REJECT_CODE__REJECT_NONE;
    char want[LIM_FILING_ID + 40], v1[72];

    memset(r, 0, sizeof *r);
    if (check_text(a->attendance_id, LIM_FILING_ID, 1, "filing id", &code, r) < 0)
        return code;
    snprintf(want, sizeof want, "%s:M-%llu", unit, (unsigned long long)a->meeting);
    if (a->meeting == 0 || strcmp(a->attendance_id, want) != 0)
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "attendance.id", 2,
                    cut(v1, sizeof v1, a->attendance_id, 64), want);
    if (a->revision < 1)
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "revision.invalid", 0);
    if (check_text(a->attendee, LIM_ATTENDEE, 0, "attendee", &code, r) < 0)
        return code;
    if (a->attend && (!a->attendee || !*a->attendee))
        return fail(LIANXI__REJECT_CODE__REJECT_MALFORMED, r, "attendance.attendee_missing", 0);
    if (a->queued_at <= 0 || a->queued_at > now + 86400)
        return fail(LIANXI__REJECT_CODE__REJECT_DATE, r, "queued_at.invalid", 0);
    return LIANXI__REJECT_CODE__REJECT_NONE;
}

const char *
validate_answer_name(int answer)
{
    switch (answer) {
    case LIANXI__OPINION_ANSWER__OPINION_NONE: return "none";
    case LIANXI__OPINION_ANSWER__OPINION_HOLDS: return "holds";
    case LIANXI__OPINION_ANSWER__OPINION_CHECKING: return "checking";
    default: return "unanswered";
    }
}

const char *
validate_answer_zh(int answer)
{
    switch (answer) {
    case LIANXI__OPINION_ANSWER__OPINION_NONE: return "无";
    case LIANXI__OPINION_ANSWER__OPINION_HOLDS: return "有";
    case LIANXI__OPINION_ANSWER__OPINION_CHECKING: return "核查中";
    default: return "未答复";
    }
}

int
validate_answer_parse(const char *s)
{
    static const char *const words[][3] = {
        { "无", "none", "" }, { "有", "holds", "" }, { "核查中", "checking", "核查" },
    };

    for (int i = 0; s && i < 3; i++)
        for (int k = 0; k < 3; k++)
            if (*words[i][k] && strcasecmp(s, words[i][k]) == 0)
                return i + 1;
    return 0;
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
    case LIANXI__REJECT_CODE__REJECT_ATTACHMENT: return "attachment";
    default: return "unknown";
    }
}
