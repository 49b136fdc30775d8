/* reasons.c — the table of refusal reasons and their sentences. */
#include "reasons.h"
#include "categories.h"
#include "i18n.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct entry {
    const char *key;
    const char *tmpl;       /* English; every conversion is %s (or %N$s) */
    const char *kinds;      /* one letter a value: v a value as it is, f a
                             * field's name (translated), u a unit's code
                             * (written as the unit's name) */
};

/* The names of the fields a sentence may name (kind f). */
static const char *const fields[] = {
    N_("filing id"), N_("category"), N_("case reference"), N_("summary"),
    N_("answered obligation"), N_("cadre's name"), N_("cadre's work unit"),
    N_("cadre's post"), N_("cadre's ID number"), N_("review"), N_("expected date"),
    N_("attendee"),
};

/* Keep keys stable: adapters in the field know them. */
static const struct entry table[] = {
    /* TRANSLATORS: %s is the field's name as the clerk knows it. */
    { "field.missing", N_("the %s is missing: fill it in and file again"), "f" },
    /* TRANSLATORS: the field, its size in bytes, the limit in bytes. */
    { "field.too_long", N_("the %s is %s bytes, over the limit of %s: shorten it"), "fvv" },
    { "field.not_utf8", N_("the %s is not valid UTF-8 text"), "f" },
    /* TRANSLATORS: the field, the character (U+001B), the byte where it is. */
    { "field.control_char", N_("the %1$s holds the invisible control character %2$s at byte "
                               "%3$s, which can hide or forge text: remove it and file again"),
      "fvv" },
    { "field.control_char_lines",
      N_("the %1$s holds the invisible control character %2$s at byte %3$s, which can hide or "
         "forge text: remove it and file again (line breaks and tabs are allowed)"), "fvv" },
    { "filing_id.charset", N_("the filing id may hold only letters, digits and . _ - :"), "" },
    /* TRANSLATORS: the unit's code (police), the unit. */
    { "filing_id.prefix", N_("the filing id must start with '%1$s:', the code of its unit %2$s, "
                             "so that it names one unit's filing"), "vu" },
    { "revision.invalid", N_("the revision must be 1 or higher"), "" },
    { "stage.invalid", N_("the stage must be notice, report or supplement"), "" },
    { "scope.classified", N_("this filing is marked classified (国家秘密): classified "
                             "information must not be sent over lianxi; deliver it through the "
                             "confidential channel"), "" },
    { "scope.invalid", N_("the disclosure scope must be public, organs, leadership or specific"),
      "" },
    { "cadre.missing", N_("the cadre (name, ID number, work unit, post) is missing"), "" },
    { "rank.invalid", N_("the cadre's rank is not one of 科员, 副科, 正科, 副处, 正处, "
                         "副厅及以上"), "" },
    /* TRANSLATORS: the cadre's name. */
    { "id_number.missing", N_("the ID number of %s is missing: fill it in and file again"), "v" },
    /* TRANSLATORS: the ID number as sent, the cadre's name. */
    { "id_number.length", N_("ID number '%s' of %s is invalid: it must have exactly 18 "
                             "characters"), "vv" },
    { "id_number.digits", N_("ID number '%s' of %s is invalid: its first 17 characters must be "
                             "digits"), "vv" },
    { "id_number.region", N_("ID number '%s' of %s is invalid: it starts with an invalid region "
                             "code"), "vv" },
    { "id_number.birth_date", N_("ID number '%s' of %s is invalid: the birth date inside it "
                                 "(characters 7-14) is not a real date"), "vv" },
    { "id_number.check_char", N_("ID number '%s' of %s is invalid: its check character (the "
                                 "18th) is wrong, a digit was probably mistyped"), "vv" },
    /* TRANSLATORS: the category's code, the unit. */
    { "category.not_registered", N_("category '%s' is not registered for %s: use one of your "
                                    "unit's categories in the registry"), "vu" },
    /* TRANSLATORS: the date as sent. */
    { "date.malformed", N_("the date learned '%s' is not a YYYY-MM-DD date"), "v" },
    { "date.future", N_("the date learned %s is in the future: check the date"), "v" },
    { "date.too_early", N_("the date learned %s is before 1990: check the date"), "v" },
    { "queued_at.invalid", N_("the adapter's queue time is missing or more than a day ahead of "
                              "the hub: check the adapter machine's clock"), "" },
    { "key.unauthorized", N_("this adapter's key is no longer authorized by the hub (revoked): "
                             "ask the organization department to install your unit's current "
                             "key"), "" },
    { "message.frames", N_("a message must be one frame holding one lianxi Envelope"), "" },
    /* TRANSLATORS: the message's size and the limit, in bytes. */
    { "message.too_large", N_("the message is %s bytes, over the limit of %s: shorten the "
                              "filing's texts"), "vv" },
    { "message.kind", N_("the message is of a kind this side never takes (an adapter sends "
                         "filings, heartbeats and acknowledgements): it is not one the hub "
                         "takes"), "" },
    { "message.memory", N_("the message would take more memory to read than a lianxi message "
                           "of its size ever needs: it is not one the hub takes"), "" },
    { "message.undecodable", N_("the message is not a lianxi protocol message: check the "
                                "adapter version"), "" },
    { "message.zero_byte", N_("a text in the message holds a zero byte (U+0000), which no field "
                              "may hold: remove it and send again"), "" },
    { "message.not_taken", N_("the hub does not accept this kind of message from an adapter"),
      "" },
    /* TRANSLATORS: the adapter's version, the oldest and newest the hub speaks. */
    { "version.unsupported", N_("the adapter speaks protocol version %s but this hub speaks "
                                "versions %s to %s: install the adapter release that matches "
                                "the hub"), "vvv" },
    { "version.real_name", N_("the filing is marked real-name (实名), which a protocol version "
                              "%s message cannot carry: install the adapter release that "
                              "matches the hub and file it again"), "v" },
    /* TRANSLATORS: how many attachments, the most taken. */
    { "attachment.count", N_("the filing carries %s attachments; at most %s are taken"), "vv" },
    { "attachment.name", N_("an attachment's file name is empty, longer than 255 bytes, starts "
                            "with '.', or holds '/', '\\' or a control character: rename the "
                            "file"), "" },
    /* TRANSLATORS: the file name, the extensions taken. */
    { "attachment.type", N_("attachment '%s' is not of a type taken (%s)"), "vv" },
    { "attachment.hash_length", N_("attachment '%s' is not named by a 32-byte hash"), "v" },
    /* TRANSLATORS: the file name, its size in bytes, the limit in bytes. */
    { "attachment.size", N_("attachment '%s' is %s bytes, over the limit of %s bytes"), "vvv" },
    { "attachment.empty", N_("attachment '%s' is empty"), "v" },
    /* TRANSLATORS: two file names. */
    { "attachment.twice", N_("attachments '%s' and '%s' are the same file"), "vv" },
    /* TRANSLATORS: the total in bytes, the limit in bytes. */
    { "attachment.total", N_("the attachments come to %s bytes, over the limit of %s bytes "
                             "per filing"), "vv" },
    /* TRANSLATORS: the file name. */
    { "attachment.hash", N_("the bytes sent of attachment '%s' do not hash to what the filing "
                            "signed: the file was altered after signing"), "v" },
    /* TRANSLATORS: the file name, its declared type's label. */
    { "attachment.content", N_("attachment '%s' does not begin as a file of its type (%s) "
                               "does"), "vv" },
    { "attachment.chunk", N_("an attachment's chunk is malformed: its hash is not 32 bytes, "
                             "it holds more than 49152 bytes, or it lies beyond the size "
                             "given"), "" },
    /* TRANSLATORS: megabytes the hub waits for from this unit, the limit in megabytes. */
    { "attachment.pending", N_("the hub already waits for %s MB of this unit's documents (at most "
                               "%s MB): the filing is sent again when they have arrived"), "vv" },
    /* TRANSLATORS: how many documents the hub waits for from this unit, the limit. */
    { "attachment.pending_count", N_("the hub already waits for %s of this unit's documents (at "
                                     "most %s): the filing is sent again when they have "
                                     "arrived"), "vv" },
    /* TRANSLATORS: the file name. */
    { "attachment.refused", N_("the hub would not take the bytes of attachment '%s' (it no "
                               "longer waits for them): file the case again"), "v" },
    { "version.attachments", N_("the filing carries attachments, which a protocol version %s "
                                "message cannot carry: install the adapter release that matches "
                                "the hub and file it again"), "v" },
    /* TRANSLATORS: the unit the filing names (a code as sent), the key's unit. */
    { "unit.mismatch", N_("the filing says it is from unit '%s' but was sent with the key of "
                          "%s: each unit files only with its own key"), "vu" },
    { "signature.invalid", N_("the filing's signature does not verify with the signing key of "
                              "%s: it was altered after signing or signed with another key"),
      "u" },
    { "reoffer.receipt", N_("a filing offered again after the hub's restore must carry the "
                            "receipt the hub gave it, signed by the hub: this one's is missing, "
                            "is not for this filing, or its signature does not verify"), "" },
    /* TRANSLATORS: the receipt number the unit holds. */
    { "reoffer.taken", N_("receipt number %s is held by another filing at the hub: tell the "
                          "organization department (the hub's restore went wrong)"), "v" },
    /* TRANSLATORS: the filing id, its revision, the receipt number, the next revision. */
    { "filing.conflict", N_("filing %s revision %s was already received (receipt %s) with "
                            "different content: send the change as revision %s"), "vvvv" },
    /* TRANSLATORS: what the filing names as the obligation it answers. */
    { "obligation.malformed", N_("'%s' is not an obligation number (OB-n, as in the hub's "
                                 "reminder or request)"), "v" },
    { "obligation.not_yours", N_("obligation %s is not one of %s's: check the number in the "
                                 "hub's reminder or request"), "vu" },
    { "obligation.other_case", N_("obligation %s is about another case or cadre than this "
                                  "filing: a report answers only its own case's obligation"),
      "v" },
    /* TRANSLATORS: the obligation's number (OB-n). */
    { "obligation.review", N_("obligation %s asks for a joint review's opinion: answer it with "
                              "the adapter's reply command (an opinion), not with a filing"),
      "v" },
    /* The joint review (任前联审): a unit's opinion.  TRANSLATORS: the review's
     * number (REQ-3). */
    { "review.unknown", N_("there is no joint review %s: check the number in the hub's request "
                           "(notices/)"), "v" },
    /* TRANSLATORS: the review's number, the unit. */
    { "review.not_asked", N_("joint review %s was not sent to %s: only the units asked may "
                             "answer it"), "vu" },
    /* TRANSLATORS: the ID number, the review's number. */
    { "review.candidate_not_asked", N_("ID number %s is not among the candidates of joint "
                                       "review %s: answer only for the candidates listed in "
                                       "the request"), "vv" },
    { "review.candidate_twice", N_("ID number %s is answered twice in this opinion: give one "
                                   "answer per candidate"), "v" },
    { "review.answer_invalid", N_("the answer for ID number %s must be 无 (nothing on record), "
                                  "有 (with the text of what the unit holds) or 核查中 (being "
                                  "checked, with an expected date)"), "v" },
    { "review.text_missing", N_("the answer 有 for ID number %s needs the text of what the unit "
                                "holds"), "v" },
    { "review.date_missing", N_("the answer 核查中 for ID number %s needs the expected date "
                                "(YYYY-MM-DD)"), "v" },
    { "review.empty", N_("the opinion answers no candidate: give one row per candidate"), "" },
    /* TRANSLATORS: the opinion id as sent, the one expected. */
    { "review.opinion_id", N_("the opinion id '%s' must be '%s' (the unit's code and the "
                              "review's number)"), "vv" },
    /* TRANSLATORS: the obligation's number (OB-n). */
    { "obligation.attendance", N_("obligation %s asks whether the unit attends a meeting: "
                                  "answer it with the adapter's attend command, not with a "
                                  "filing"), "v" },
    /* A meeting notice (会议通知): a unit's attendance reply.  TRANSLATORS:
     * the meeting's number (M-3). */
    { "meeting.unknown", N_("there is no meeting %s: check the number in the hub's notice "
                            "(notices/)"), "v" },
    /* TRANSLATORS: the meeting's number, the unit. */
    { "meeting.not_invited", N_("meeting %s was not notified to %s: only the units invited "
                                "answer its notice"), "vu" },
    /* TRANSLATORS: the attendance id as sent, the one expected. */
    { "attendance.id", N_("the attendance id '%s' must be '%s' (the unit's code and the "
                          "meeting's number)"), "vv" },
    { "attendance.attendee_missing", N_("attending needs who attends: their name and post, "
                                        "e.g. \"李明，副局长\""), "" },
    { "hub.internal", N_("the hub could not store the filing now: it will be sent again"), "" },
};

static const struct entry *
find(const char *key)
{
    for (size_t i = 0; key && i < sizeof table / sizeof *table; i++)
        if (strcmp(table[i].key, key) == 0)
            return &table[i];
    return NULL;
}

/* The number of values a template takes. */
static size_t
count_args(const char *t)
{
    size_t n = 0, maxpos = 0;

    for (; *t; t++) {
        if (*t != '%')
            continue;
        if (t[1] == '%') {
            t++;
            continue;
        }
        if (t[1] >= '1' && t[1] <= '9' && t[2] == '$') {
            if ((size_t)(t[1] - '0') > maxpos)
                maxpos = (size_t)(t[1] - '0');
        } else {
            n++;
        }
    }
    return maxpos > n ? maxpos : n;
}

/* The value as the reader reads it: a field's name translated, a unit's
 * code as the unit's name. */
static const char *
shown(char kind, const char *v)
{
    const struct lx_unit *u;

    if (kind == 'f') {
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
            if (strcmp(fields[i], v) == 0)
                return _(fields[i]);
    } else if (kind == 'u' && (u = units_find(v))) {
        return u->zh;
    }
    return v;
}

size_t
reasons_count(void)
{
    return sizeof table / sizeof *table;
}

const char *
reasons_key_at(size_t i)
{
    return i < reasons_count() ? table[i].key : NULL;
}

size_t
reasons_nargs(const char *key)
{
    const struct entry *e = find(key);

    return e ? strlen(e->kinds) : 0;
}

size_t
reasons_count_conversions(const char *tmpl)
{
    return count_args(tmpl);
}

const char *
reasons_key_of(const char *english)
{
    for (size_t i = 0; english && i < sizeof table / sizeof *table; i++)
        if (strcmp(table[i].tmpl, english) == 0)
            return table[i].key;
    return NULL;
}

int
reasons_render(const struct reason *r, char *out, size_t len)
{
    const char *args[REASON_MAX_ARGS];

    for (size_t i = 0; i < r->nargs && i < REASON_MAX_ARGS; i++)
        args[i] = r->args[i];
    return reasons_format(r->key, args, r->nargs, out, len);
}

const char *
reasons_template(const char *key)
{
    const struct entry *e = find(key);

    return e ? e->tmpl : NULL;
}

void
reasons_vset(struct reason *r, const char *key, size_t nargs, va_list ap)
{
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s", key);
    if (nargs > REASON_MAX_ARGS)
        nargs = REASON_MAX_ARGS;
    for (size_t i = 0; i < nargs; i++) {
        const char *v = va_arg(ap, const char *);
        snprintf(r->args[i], REASON_ARG_LEN, "%s", v ? v : "");
        text_utf8_fix(r->args[i]);
    }
    r->nargs = nargs;
}

void
reasons_set(struct reason *r, const char *key, size_t nargs, ...)
{
    va_list ap;

    va_start(ap, nargs);
    reasons_vset(r, key, nargs, ap);
    va_end(ap);
}

int
reasons_format(const char *key, const char *const *args, size_t nargs, char *out, size_t len)
{
    const struct entry *e = find(key);
    const char *t;
    size_t o = 0, next = 0;

    if (!e || strlen(e->kinds) != nargs || len == 0)
        return -1;
    t = _(e->tmpl);
    for (; *t && o + 1 < len; t++) {
        const char *v = NULL;
        if (*t != '%') {
            out[o++] = *t;
            continue;
        }
        if (t[1] == '%') {
            out[o++] = '%';
            t++;
            continue;
        }
        if (t[1] >= '1' && t[1] <= '9' && t[2] == '$' && t[3] == 's') {
            size_t k = (size_t)(t[1] - '1');
            v = k < nargs && args[k] ? shown(e->kinds[k], args[k]) : "";
            t += 3;
        } else if (t[1] == 's') {
            v = next < nargs && args[next] ? shown(e->kinds[next], args[next]) : "";
            next++;
            t += 1;
        } else {
            out[o++] = *t;
            continue;
        }
        o += text_escape(out + o, len - o, v ? v : "", strlen(v ? v : ""));
    }
    out[o < len ? o : len - 1] = '\0';
    text_utf8_fix(out);
    return 0;
}
