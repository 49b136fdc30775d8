/* names.c — codes to the names people read, in the operator's language. */
#include "names.h"
#include "categories.h"
#include "i18n.h"
#include "provision.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static categories_t *cats;

void
names_load(const conf_t *conf)
{
    char path[PATH_MAX];
    const char *data;

    if (cats)
        return;
    if (conf && conf_get(conf, "operator", "categories", NULL) &&
        conf_path(conf, "operator", "categories", NULL, path, sizeof path) == 0 &&
        (cats = categories_load(path)))
        return;
    if ((data = provision_datadir())) {
        snprintf(path, sizeof path, "%s/categories.tsv", data);
        cats = categories_load(path);
    }
}

void
names_free(void)
{
    categories_destroy(&cats);
}

const char *
names_unit(const char *code)
{
    const struct lx_unit *u = code ? units_find(code) : NULL;

    if (!u)
        return code ? code : "";
    return i18n_zh() ? u->zh : u->en;
}

const char *
names_category(const char *code)
{
    const struct lx_category *c = cats && code ? categories_find(cats, code) : NULL;

    if (!c)
        return code ? code : "";
    return i18n_zh() ? c->zh : c->en;
}

static const char *const stages[] = { N_("notice"), N_("written report"), N_("supplement") };

const char *
names_stage(int stage)
{
    return stage >= 1 && stage <= 3 ? _(stages[stage - 1]) : "?";
}

const char *
names_stage_word(const char *word)
{
    static const char *const words[] = { "notice", "report", "supplement" };

    for (int i = 0; i < 3; i++)
        if (word && strcmp(word, words[i]) == 0)
            return _(stages[i]);
    return word ? word : "";
}

const char *
names_scope(int scope)
{
    static const char *const n[] = { N_("public"), N_("party and government organs"),
                                     N_("county leadership"), N_("specific persons") };

    return scope >= 1 && scope <= 4 ? _(n[scope - 1]) : "?";
}

const char *
names_review(const char *state)
{
    if (!state || !*state || strcmp(state, "unreviewed") == 0)
        return _("unreviewed");
    if (strcmp(state, "accept") == 0 || strcmp(state, "accepted") == 0)
        return _("accepted");
    if (strcmp(state, "note") == 0 || strcmp(state, "noted") == 0)
        return _("noted");
    if (strcmp(state, "supplement") == 0)
        return _("supplement requested");
    return state;
}

const char *
names_rank(int rank)
{
    static const char *const n[] = { N_("clerk or below"), N_("deputy section level"),
                                     N_("section level"), N_("deputy division level"),
                                     N_("division level"), N_("deputy bureau level or above") };

    return rank >= 1 && rank <= 6 ? _(n[rank - 1]) : "";
}

const char *
names_meeting_kind(const char *kind)
{
    if (kind && strcmp(kind, "annual") == 0)
        return _("annual meeting");
    if (kind && strcmp(kind, "adhoc") == 0)
        return _("ad hoc meeting");
    return kind ? kind : "";
}

const char *
names_role(const char *role)
{
    static char member[160];

    if (!role)
        return "";
    if (strcmp(role, "supervisor") == 0)
        return _("supervision group");
    if (strcmp(role, "convener") == 0)
        return _("convener");
    if (strcmp(role, "auditor") == 0)
        return _("auditor");
    if (strncmp(role, "member:", 7) == 0) {
        snprintf(member, sizeof member, _("liaison of %s"), names_unit(role + 7));
        return member;
    }
    return role;
}

const char *
names_on_time(int on_time)
{
    return on_time ? _("on time") : _("late");
}
