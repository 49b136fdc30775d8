/* opcmd.c — the operators' command table and the checks it drives. */
#include "opcmd.h"
#include "days.h"
#include "i18n.h"
#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The longest text an operator writes into a message to a unit (a review's
 * note or supplement request), in bytes. */
#define OPCMD_TEXT_MAX 1500

#define READERS (ROLE_SUPERVISOR | ROLE_CONVENER | ROLE_MEMBER)
#define GROUP (ROLE_SUPERVISOR | ROLE_CONVENER)

#define P_UNIT { "unit", OPT_UNIT, NULL, 0, 0, 0, 0, N_("a member unit: its code, its name or a part of it") }
#define P_CATEGORY { "category", OPT_CATEGORY, NULL, 0, 0, 0, 0, N_("a category: its code, its name or a part of it") }
#define P_SINCE { "since", OPT_DATE, NULL, 0, 0, 0, 0, N_("from this day (received)") }
#define P_UNTIL { "until", OPT_DATE, NULL, 0, 0, 0, 0, N_("to this day, included") }
#define P_STATUS { "status", OPT_ENUM, "accepted|noted|supplement|unreviewed|late", 0, 0, 0, 0, \
                   N_("the review state, or late") }
#define P_LATE { "late", OPT_FLAG, NULL, 0, 0, 0, 0, N_("only filings received late") }
#define P_JSON { "json", OPT_FLAG, NULL, 0, 0, 0, 0, N_("one line of JSON") }
/* The cadre's rank: the names of proto's enum Rank (RANK_CLERK is clerk),
 * and above for 副科级及以上, the ranks the joint meeting's reports focus on. */
#define P_RANK { "rank", OPT_ENUM, \
                 "clerk|deputy_section|section|deputy_division|division|bureau|above", 0, 0, 0, 0, \
                 N_("the cadre's rank; above: deputy section and higher") }
#define P_OFFSET(what) { "offset", OPT_INT, NULL, 0, 0, 0, 1000000000, (what) }

const struct opcmd opcmd_table[] = {
    { "filings", READERS, 0, N_("list filings (a member: its own unit's)"),
      { P_UNIT, P_CATEGORY, P_SINCE, P_UNTIL, P_STATUS, P_LATE, P_RANK,
        { "order", OPT_ENUM, "newest|oldest", 0, 0, 0, 0,
          N_("by receipt time, newest or oldest first (default oldest)") },
        { "limit", OPT_INT, NULL, 0, 0, 1, 1000000, N_("at most this many (default 1000)") },
        P_OFFSET(N_("skip this many first: with --limit, pages through (the count is still "
                    "of all that match)")),
        P_JSON }, 0 },
    { "show", READERS, 0, N_("one filing: every revision, receipt, due date and review"),
      { { "id", OPT_TEXT, NULL, 1, 1, 0, 0, N_("a receipt number or filing id") }, P_JSON }, 0 },
    { "attachment", READERS, 0,
      N_("a written document a filing carries, by its receipt number and its place (a member: "
         "its own unit's filings'): at most 1 MiB from --offset a request; the lianxi command "
         "fetches it whole into -o FILE and checks its hash"),
      { { "receipt", OPT_TEXT, NULL, 1, 1, 0, 32, N_("the filing's receipt number, YYYY-NNNNNN") },
        { "n", OPT_INT, NULL, 1, 2, 1, 16, N_("which of its attachments, from 1, as show lists "
          "them") },
        { "offset", OPT_INT, NULL, 0, 0, 0, 1000000000000L,
          N_("the first byte wanted (default 0); a fetch begun at 0 is recorded in the audit "
             "trail") } }, 0 },
    { "review", GROUP, 0, N_("accept, note, or ask the unit for a supplement"),
      { { "id", OPT_TEXT, NULL, 1, 1, 0, 0, N_("a receipt number or filing id") },
        { "action", OPT_ENUM, "accept|note|supplement", 1, 2, 0, 0, N_("what the group decides") },
        { "text", OPT_TEXT, NULL, 0, 0, 0, OPCMD_TEXT_MAX, N_("what is noted or asked for") },
        { "due", OPT_INT, NULL, 0, 0, 1, 60, N_("working days for a supplement (default 5)") },
        P_JSON }, 1 },
    { "dossier", GROUP, 0, N_("everything all units filed about one cadre, or people by name"),
      { { "id_number", OPT_TEXT, NULL, 0, 1, 0, 0, N_("the cadre's 18-character ID number") },
        { "name", OPT_TEXT, NULL, 0, 0, 0, 0, N_("part of a name: candidate people") },
        P_JSON }, 0 },
    { "export", READERS, 1, N_("the listing as CSV for the office (filters as filings)"),
      { P_UNIT, P_CATEGORY, P_SINCE, P_UNTIL, P_STATUS, P_LATE, P_RANK }, 0 },
    { "overdue", READERS, 0, N_("the deadline board: open obligations, late filings, timeliness"),
      { P_UNIT, P_SINCE, P_UNTIL,
        { "limit", OPT_INT, NULL, 0, 0, 1, 100000,
          N_("entries of each list shown (default 50; with --json, all)") },
        P_OFFSET(N_("open obligations to skip first: with --limit, pages through them (the "
                    "totals are of all)")),
        P_JSON }, 0 },
    { "audit-log", ROLE_AUDITOR, 0,
      N_("the audit trail's newest entries (--offset skips the newest N), listed oldest to "
         "newest"),
      { { "since", OPT_DATE, NULL, 0, 0, 0, 0, N_("from this day (recorded)") },
        P_UNTIL,
        { "actor", OPT_TEXT, NULL, 0, 0, 0, 200, N_("only entries whose actor contains this") },
        { "action", OPT_TEXT, NULL, 0, 0, 0, 64,
          N_("only entries whose action begins with this (review, read:show)") },
        { "limit", OPT_INT, NULL, 0, 0, 1, 1000000, N_("at most this many (default 200)") },
        P_OFFSET(N_("skip this many of the newest first: with --limit, pages back through "
                    "the trail (the count is of all that match)")),
        P_JSON }, 0 },
    { "audit-verify", ROLE_AUDITOR, 0, N_("recompute the audit trail's chain and checkpoints"),
      { { "witness", OPT_TEXT, NULL, 0, 0, 0, 2000,
          N_("checkpoints kept outside the hub, SEQ:HEAD:SIGNATURE, space-separated") },
        P_JSON }, 0 },
    { "audit-checkpoint", ROLE_AUDITOR, 0, N_("sign the audit trail's head now"), { { .name = NULL } },
      1 },
    { "meeting-create", ROLE_CONVENER, 0, N_("schedule a joint meeting"),
      { { "date", OPT_DATE, NULL, 1, 0, 0, 0, N_("the meeting's day") },
        { "kind", OPT_ENUM, "annual|adhoc", 1, 0, 0, 0, N_("annual or ad hoc") },
        { "from", OPT_DATE, NULL, 1, 0, 0, 0, N_("the period reported on (--period FROM..TO)") },
        { "to", OPT_DATE, NULL, 1, 0, 0, 0, N_("the period's last day") },
        { "title", OPT_TEXT, NULL, 0, 0, 0, 0, N_("the title (default: the county's usual one)") },
        { "secrecy", OPT_ENUM, "none|internal|recall", 0, 0, 0, 0,
          N_("the mark its briefings carry: internal (内部资料 注意保存, the default), recall "
             "(会后收回) or none") },
        { "urgency", OPT_ENUM, "none|urgent|very_urgent", 0, 0, 0, 0,
          N_("the urgency its briefings carry: urgent (加急), very_urgent (特急) or none (the "
             "default)") },
        { "time", OPT_TEXT, NULL, 0, 0, 0, 5, N_("the time of day it begins, HH:MM (its notice "
                                                  "says it)") },
        { "place", OPT_TEXT, NULL, 0, 0, 0, 200, N_("where it is held (its notice says it)") },
        { "agenda", OPT_TEXT, NULL, 0, 0, 0, 4000,
          N_("its agenda, one item a line (its notice lists it)") },
        { "attendee", OPT_TEXT, NULL, 0, 0, 0, 200,
          N_("who of each unit is to attend (default 分管人事的副职)") },
        { "units", OPT_TEXT, NULL, 0, 0, 0, 300,
          N_("the units sent its notice (会议通知), each to answer whether it attends: all (the "
             "default), none, or unit codes separated by commas") } },
      1 },
    { "meeting-list", GROUP, 0, N_("the meetings"), { P_JSON }, 0 },
    { "meeting-show", GROUP, 0, N_("one meeting"),
      { { "id", OPT_INT, NULL, 1, 1, 1, 1000000000, N_("the meeting's number") }, P_JSON }, 0 },
    { "meeting-attendance", GROUP, 0,
      N_("a meeting's notice and each unit's attendance reply: confirmed (who), declined, or "
         "not answered (and how often reminded); whether its notice was received"),
      { { "id", OPT_INT, NULL, 1, 1, 1, 1000000000, N_("the meeting's number") }, P_JSON }, 0 },
    { "brief", ROLE_CONVENER, 1, N_("compile the briefing of a meeting or a period"),
      { { "meeting", OPT_INT, NULL, 0, 1, 1, 1000000000, N_("the meeting's number") },
        { "from", OPT_DATE, NULL, 0, 0, 0, 0, N_("the period (--period FROM..TO)") },
        { "to", OPT_DATE, NULL, 0, 0, 0, 0, N_("the period's last day") },
        { "audience", OPT_ENUM, "full|leadership", 1, 0, 0, 0, N_("who it is read to") },
        { "format", OPT_ENUM, "html|md|docx", 0, 0, 0, 0,
          N_("document format (default html)") },
        { "part", OPT_ENUM, "main|appendix|points", 0, 0, 0, 0,
          N_("which document: main, the briefing itself (the default); appendix, its list of "
             "the matters filed (附件); points, the convener's speaking points") },
        { "copy", OPT_INT, NULL, 0, 0, 1, 999999,
          N_("the number of this copy (份号), printed as six digits") },
        { "show_id_numbers", OPT_FLAG, NULL, 0, 0, 0, 0,
          N_("the appendix prints ID numbers in full, not masked (recorded in the audit "
             "trail)") },
        { "send", OPT_FLAG, NULL, 0, 0, 0, 0,
          N_("send the briefing (the full audience's, as .docx) to every member unit, one "
             "numbered copy (份号) each, instead of handing it out here; with --meeting") } },
      0 },
    { "brief-copies", GROUP, 0,
      N_("the copies of a meeting's briefing sent to the units: each unit's copy number, "
         "whether its adapter received it, and whether a recall was confirmed"),
      { { "meeting", OPT_INT, NULL, 1, 1, 1, 1000000000, N_("the meeting's number") }, P_JSON },
      0 },
    { "brief-recall", ROLE_CONVENER, 0,
      N_("recall the copies of a meeting's briefing (会后收回): each unit's adapter deletes its "
         "copy and confirms; only for a meeting whose secrecy is recall"),
      { { "meeting", OPT_INT, NULL, 1, 1, 1, 1000000000, N_("the meeting's number") }, P_JSON },
      1 },
    { "upload", GROUP, 0,
      N_("send a piece of a document for a circular (the lianxi command does it for each "
         "--documents FILE): OpRequest.data holds at most 49152 bytes from --offset"),
      { { "hash", OPT_TEXT, NULL, 1, 0, 0, 64, N_("the document's BLAKE2b-256, 64 hex digits") },
        { "size", OPT_INT, NULL, 1, 0, 1, 20000000, N_("the document's size in bytes") },
        { "offset", OPT_INT, NULL, 1, 0, 0, 20000000, N_("where this piece begins") },
        { "name", OPT_TEXT, NULL, 1, 0, 0, 255,
          N_("the document's file name: its extension says its type (pdf, ofd, jpg, png, "
             "docx, doc, wps)") } }, 1 },
    { "circular", GROUP, 0,
      N_("send a circular (通报) to member units, with documents uploaded before (upload)"),
      { { "title", OPT_TEXT, NULL, 1, 0, 0, 200, N_("its title") },
        { "text", OPT_TEXT, NULL, 1, 0, 0, 4000, N_("its text") },
        { "units", OPT_TEXT, NULL, 0, 0, 0, 300,
          N_("the units sent it: all (the default), or unit codes separated by commas") },
        { "documents", OPT_TEXT, NULL, 0, 0, 0, 8000,
          N_("its documents, one a line: hash, size, name, TAB-separated, each uploaded "
             "whole before (the lianxi command takes --documents FILE, once per file)") },
        P_JSON }, 1 },
    { "sent", READERS, 0,
      N_("what the meeting sent to the units: its circulars and meeting notices (a member: "
         "those sent to its unit, and its briefing copies), and each unit's receipt of them"),
      { P_JSON }, 0 },
    { "review-request-create", GROUP, 0,
      N_("open a joint review (任前联审): ask units about candidates before an appointment"),
      { { "candidates", OPT_TEXT, NULL, 1, 0, 0, 60 * 1024,
          N_("the candidates, one a line: name, ID number, work unit, current post, proposed "
             "post, TAB-separated (the lianxi command reads them from --candidates FILE.csv or "
             ".xlsx)") },
        { "units", OPT_TEXT, NULL, 1, 0, 0, 300,
          N_("the units asked: all, or unit codes separated by commas") },
        { "title", OPT_TEXT, NULL, 1, 0, 0, 200, N_("the review's title") },
        { "due", OPT_INT, NULL, 0, 0, 1, 60,
          N_("working days to answer (default [hub] review_due_days, else 5)") },
        { "scope", OPT_ENUM, "public|organs|leadership|specific", 0, 0, 0, 0,
          N_("the disclosure scope (default leadership)") },
        P_JSON }, 1 },
    { "review-request-list", READERS, 0,
      N_("the joint reviews (a member: those sent to its unit)"), { P_JSON }, 0 },
    { "review-request-show", READERS, 0,
      N_("one joint review: each unit's answer per candidate, its timeliness, and what lianxi "
         "holds about the candidate"),
      { { "id", OPT_TEXT, NULL, 1, 1, 0, 32, N_("the review's number, REQ-N") },
        { "format", OPT_ENUM, "text|html|docx|md", 0, 0, 0, 0,
          N_("text (the default), or the dated summary table (联审意见汇总表) as HTML, .docx "
             "or Markdown") },
        P_JSON }, 0 },
    { "status", GROUP | ROLE_AUDITOR, 0,
      N_("the hub's health: running since, last commit, filings today, undelivered messages, "
         "each unit's adapter last seen and key age, calendar, WAL, disk, backup, audit "
         "checkpoint, then one line per problem (the exit code is 1 when there are problems)"),
      { P_JSON }, 0 },
    { "whoami", READERS | ROLE_AUDITOR, 0,
      N_("who the hub takes this operator for: name, role, unit (JSON)"), { { .name = NULL } }, 0 },
};
const size_t opcmd_count = sizeof opcmd_table / sizeof opcmd_table[0];

const struct opcmd *
opcmd_find(const char *name)
{
    for (size_t i = 0; name && i < opcmd_count; i++)
        if (strcmp(opcmd_table[i].name, name) == 0)
            return &opcmd_table[i];
    return NULL;
}

const struct opcmd_param *
opcmd_param(const struct opcmd *c, const char *name)
{
    for (int i = 0; name && i < OPCMD_MAX_PARAMS && c->params[i].name; i++)
        if (strcmp(c->params[i].name, name) == 0)
            return &c->params[i];
    return NULL;
}

const char *
opcmd_secrecy_mark(const char *code)
{
    return !code ? NULL : strcmp(code, "internal") == 0 ? "内部资料 注意保存"
           : strcmp(code, "recall") == 0 ? "会后收回" : NULL;
}

const char *
opcmd_urgency_mark(const char *code)
{
    return !code ? NULL : strcmp(code, "urgent") == 0 ? "加急"
           : strcmp(code, "very_urgent") == 0 ? "特急" : NULL;
}

int
opcmd_role_bit(const char *role)
{
    if (!role)
        return 0;
    if (strcmp(role, "supervisor") == 0)
        return ROLE_SUPERVISOR;
    if (strcmp(role, "convener") == 0)
        return ROLE_CONVENER;
    if (strcmp(role, "auditor") == 0)
        return ROLE_AUDITOR;
    if (strncmp(role, "member:", 7) == 0 && units_find(role + 7))
        return ROLE_MEMBER;
    return 0;
}

/* Appends to out (n bytes) with snprintf's cut. */
static void
append(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
append(char *out, size_t n, const char *fmt, ...)
{
    size_t len = strlen(out);
    va_list ap;

    if (len + 1 >= n)
        return;
    va_start(ap, fmt);
    vsnprintf(out + len, n - len, fmt, ap);
    va_end(ap);
}

/* Appends the units (each "县公安局 (police)") whose Chinese name holds
 * part (all when part is NULL), separated by the language's comma. */
static void
list_units(char *out, size_t n, const char *part)
{
    int k = 0;

    for (size_t i = 0; i < LX_NUNITS; i++)
        if (!part || strstr(lx_units[i].zh, part))
            append(out, n, "%s%s (%s)", k++ ? _(", ") : "", lx_units[i].zh, lx_units[i].code);
}

static void
list_categories(char *out, size_t n, const categories_t *cats, const char *part)
{
    int k = 0;

    for (size_t i = 0; i < categories_count(cats); i++) {
        const struct lx_category *c = categories_at(cats, i);
        if (!part || strstr(c->zh, part))
            append(out, n, "%s%s (%s)", k++ ? _(", ") : "", c->zh, c->code);
    }
}

/* What the operator typed, as a refusal echoes it: at most 40 bytes, cut on
 * a character, bytes that are not UTF-8 shown as '?'. */
static const char *
echo_value(char out[48], const char *v)
{
    snprintf(out, 48, "%.40s", v);
    return text_utf8_fix(out);
}

int
opcmd_resolve_value(const struct opcmd_param *p, const categories_t *cats, const char *v,
                    char *canon, size_t canonlen, char *err, size_t errlen)
{
    char shown[48];
    lx_day d;
    char *end;
    long n;

    if (canonlen)
        snprintf(canon, canonlen, "%s", v);
    err[0] = '\0';
    switch (p->type) {
    case OPT_TEXT: {
        uint32_t cp;
        long at;
        if (p->required && !*v)
            goto empty;
        if (!text_utf8_valid(v, strlen(v))) {
            snprintf(err, errlen, _("--%s is not UTF-8 text"), p->name);
            return -1;
        }
        /* Line breaks and tabs in free text; never an invisible control. */
        if ((at = text_find_control(v, strlen(v), 1, &cp)) >= 0) {
            snprintf(err, errlen, _("--%s holds the invisible control character U+%04X at byte "
                     "%ld: remove it"), p->name, (unsigned)cp, at);
            return -1;
        }
        if (p->max > 0 && strlen(v) > (size_t)p->max) {
            snprintf(err, errlen,
                     _("--%s is at most %ld bytes (about %ld Chinese characters), not %zu: "
                       "shorten it, or send the rest as a document"),
                     p->name, p->max, p->max / 3, strlen(v));
            return -1;
        }
        return 0;
    }
    case OPT_FLAG:
        /* "1" sets it; "0" or "" (a form's unchecked box) leaves it unset. */
        if (strcmp(v, "1") == 0 || strcmp(v, "0") == 0 || !*v)
            return 0;
        snprintf(err, errlen, _("--%s is a flag: 1 (set) or 0 (not set), not '%.40s'"), p->name,
                 v);
        return -1;
    case OPT_DATE:
        if (days_parse(v, &d) == 0)
            return 0;
        snprintf(err, errlen, _("--%s takes a date as YYYY-MM-DD (like 2026-03-31), not '%.40s'"),
                 p->name, v);
        return -1;
    case OPT_INT:
        errno = 0;
        n = strtol(v, &end, 10);
        if (*v && !*end && !errno && n >= p->min && n <= p->max)
            return 0;
        snprintf(err, errlen, _("--%s takes a whole number from %ld to %ld, not '%.40s'"),
                 p->name, p->min, p->max, v);
        return -1;
    case OPT_ENUM: {
        size_t len = strlen(v);
        for (const char *s = p->values; *v && s && *s;) {
            const char *bar = strchr(s, '|');
            size_t k = bar ? (size_t)(bar - s) : strlen(s);
            if (k == len && strncmp(s, v, k) == 0)
                return 0;
            s = bar ? bar + 1 : NULL;
        }
        snprintf(err, errlen, _("--%s must be one of %s, not '%.40s'"), p->name, p->values, v);
        return -1;
    }
    case OPT_UNIT: {
        const struct lx_unit *u;
        int rc = units_lookup(v, &u);
        if (rc == 1) {
            if (canonlen)
                snprintf(canon, canonlen, "%s", u->code);
            return 0;
        }
        if (rc < 0) {
            snprintf(err, errlen, _("--%s '%.40s' names more than one member unit: give more of "
                                   "the name, or the code; it may be "), p->name,
                     echo_value(shown, v));
            list_units(err, errlen, v);
        } else {
            snprintf(err, errlen, _("--%s: no member unit is named '%.40s'; the units are "),
                     p->name, echo_value(shown, v));
            list_units(err, errlen, NULL);
        }
        return -1;
    }
    case OPT_CATEGORY: {
        const struct lx_category *c;
        int rc;
        if (!cats)
            return 0;
        if ((rc = categories_lookup(cats, v, &c)) == 1) {
            if (canonlen)
                snprintf(canon, canonlen, "%s", c->code);
            return 0;
        }
        if (rc < 0) {
            snprintf(err, errlen, _("--%s '%.40s' names more than one category: give more of "
                                   "the name, or the code; it may be "), p->name,
                     echo_value(shown, v));
            list_categories(err, errlen, cats, v);
        } else {
            snprintf(err, errlen, _("--%s: no category is named '%.40s'; the categories are "),
                     p->name, echo_value(shown, v));
            list_categories(err, errlen, cats, NULL);
        }
        return -1;
    }
    }
empty:
    snprintf(err, errlen, _("--%s needs a value"), p->name);
    return -1;
}

int
opcmd_check_value(const struct opcmd_param *p, const categories_t *cats, const char *v,
                  char *err, size_t errlen)
{
    return opcmd_resolve_value(p, cats, v, NULL, 0, err, errlen);
}

void
opcmd_unknown_command(const char *name, char *err, size_t errlen)
{
    size_t len;

    snprintf(err, errlen, _("unknown command '%.40s'; the commands are: "), name ? name : "");
    for (size_t i = 0; i < opcmd_count; i++) {
        len = strlen(err);
        snprintf(err + len, errlen - len, "%s%s", i ? ", " : "", opcmd_table[i].name);
    }
}

void
opcmd_unknown_param(const struct opcmd *c, const char *name, char *err, size_t errlen)
{
    size_t len;

    name = name ? name : "";
    snprintf(err, errlen, _("%s has no option %s%.40s"), c->name, name[0] == '-' ? "" : "--",
             name);
    int shown = 0;
    for (int i = 0; i < OPCMD_MAX_PARAMS && c->params[i].name; i++) {
        if (c->params[i].position)
            continue;       /* typed as a word, not as an option */
        len = strlen(err);
        snprintf(err + len, errlen - len, "%s--%s", shown++ ? ", " : _("; its options are: "),
                 c->params[i].name);
    }
    if (!shown) {
        len = strlen(err);
        snprintf(err + len, errlen - len, "%s", _("; it takes none"));
    }
}

static void
words(FILE *out, const char *name)
{
    /* "audit-log" is typed "audit log", "meeting-list" "meeting list". */
    for (size_t i = 0; name[i]; i++)
        fputc(name[i] == '-' && ((i == 5 && strncmp(name, "audit", 5) == 0) ||
                                 (i == 7 && strncmp(name, "meeting", 7) == 0) ||
                                 (i == 14 && strncmp(name, "review-request", 14) == 0) ||
                                 (i == 5 && strncmp(name, "brief-", 6) == 0)) ?
              ' ' : name[i],
              out);
}

void
opcmd_usage(FILE *out, const struct opcmd *only)
{
    for (size_t i = 0; i < opcmd_count; i++) {
        const struct opcmd *c = &opcmd_table[i];
        if (only && c != only)
            continue;
        fprintf(out, "  lianxi -c OPERATOR.CONF ");
        words(out, c->name);
        for (int k = 0; k < OPCMD_MAX_PARAMS && c->params[k].name; k++) {
            const struct opcmd_param *p = &c->params[k];
            const char *meta = p->type == OPT_DATE ? "YYYY-MM-DD" : p->type == OPT_INT ? "N"
                               : p->type == OPT_ENUM ? p->values : p->type == OPT_UNIT ? "UNIT"
                               : p->type == OPT_CATEGORY ? "CATEGORY" : "TEXT";
            if (p->position && p->type == OPT_ENUM) {
                fprintf(out, p->required ? " %s" : " [%s]", p->values);
            } else if (p->position) {
                char up[32];
                size_t k2 = 0;
                for (; p->name[k2] && k2 < sizeof up - 1; k2++)
                    up[k2] = p->name[k2] == '_' ? '-' : (char)(p->name[k2] & ~0x20);
                up[k2] = '\0';
                fprintf(out, p->required ? " %s" : " [%s]", up);
            }
            else {
                /* An option as the command line spells it: show_id_numbers
                 * is --show-id-numbers. */
                char opt[32];
                size_t k2 = 0;
                for (; p->name[k2] && k2 < sizeof opt - 1; k2++)
                    opt[k2] = p->name[k2] == '_' ? '-' : p->name[k2];
                opt[k2] = '\0';
                if (p->type == OPT_FLAG)
                    fprintf(out, " [--%s]", opt);
                else
                    fprintf(out, p->required ? " --%s %s" : " [--%s %s]", opt, meta);
            }
        }
        fprintf(out, "\n      %s\n", _(c->summary));
    }
}

void
opcmd_reference(FILE *out)
{
    static const char *const types[] = { "text", "date", "int", "enum", "flag", "unit",
                                         "category" };

    for (size_t i = 0; i < opcmd_count; i++) {
        const struct opcmd *c = &opcmd_table[i];
        char roles[64] = "";
        static const char *const names[] = { "supervisor", "convener", "member:<unit>",
                                              "auditor" };
        for (int b = 0; b < 4; b++)
            if (c->roles & (1 << b))
                snprintf(roles + strlen(roles), sizeof roles - strlen(roles), "%s%s",
                         roles[0] ? "," : "", names[b]);
        fprintf(out, "%s  roles=%s%s%s\n    %s\n", c->name, roles,
                c->changes ? "  (changes: the console takes it as a POST only)" : "",
                c->offloop ? "  (off the loop: answered when the document is ready)" : "",
                c->summary);
        for (int k = 0; k < OPCMD_MAX_PARAMS && c->params[k].name; k++) {
            const struct opcmd_param *p = &c->params[k];
            fprintf(out, "    %-10s %s", p->name, types[p->type]);
            if (p->type == OPT_ENUM)
                fprintf(out, " %s", p->values);
            if (p->type == OPT_INT)
                fprintf(out, " %ld..%ld", p->min, p->max);
            fprintf(out, "%s: %s\n", p->required ? ", required" : "", p->help);
        }
    }
}
