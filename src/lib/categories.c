/* categories.c — the unit table and the one registry file of categories. */
#include "categories.h"
#include "log.h"
#include "files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct lx_unit lx_units[LX_NUNITS] = {
    { "discipline", "县纪委(县监察局)", "Discipline Inspection Commission" },
    { "organization", "县委组织部", "Organization Department" },
    { "politics_law", "县委政法委", "Political and Legal Affairs Commission" },
    { "court", "县法院", "County Court" },
    { "procuratorate", "县检察院", "County Procuratorate" },
    { "police", "县公安局", "Public Security Bureau" },
    { "audit", "县审计局", "Audit Bureau" },
    { "family_planning", "县计生局", "Family Planning Bureau" },
    { "petitions", "县信访局", "Letters and Visits Bureau" },
};

const struct lx_unit *
units_find(const char *code)
{
    for (size_t i = 0; code && i < LX_NUNITS; i++)
        if (strcmp(lx_units[i].code, code) == 0)
            return &lx_units[i];
    return NULL;
}

struct categories {
    struct lx_category *v;
    size_t n;
};

void
categories_destroy(categories_t **self_p)
{
    categories_t *self = *self_p;

    if (!self)
        return;
    for (size_t i = 0; i < self->n; i++) {
        free(self->v[i].code);
        free(self->v[i].unit);
        free(self->v[i].zh);
        free(self->v[i].en);
    }
    free(self->v);
    free(self);
    *self_p = NULL;
}

categories_t *
categories_load(const char *path)
{
    categories_t *self = calloc(1, sizeof *self);
    char *text = files_read(path, NULL);
    char *line, *next;
    int lineno = 0;

    if (!self || !text) {
        log_warn("category registry %s", path);
        goto err;
    }
    for (line = text; line; line = next) {
        char *f[4], *p = line;
        size_t len;
        int nf = 0;

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        len = strlen(line);
        lineno++;
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (line[0] == '#' || len == 0)
            continue;
        while (nf < 4) {
            f[nf++] = p;
            p = strchr(p, '\t');
            if (!p)
                break;
            *p++ = '\0';
        }
        if (nf != 4 || p) {
            log_warnx("%s:%d: expected 4 tab-separated fields: code, unit, zh, en", path, lineno);
            goto err;
        }
        if (!units_find(f[1])) {
            log_warnx("%s:%d: unknown unit '%s'", path, lineno, f[1]);
            goto err;
        }
        if (strncmp(f[0], f[1], strlen(f[1])) != 0 || f[0][strlen(f[1])] != '.') {
            log_warnx("%s:%d: category '%s' must start with '%s.'", path, lineno, f[0], f[1]);
            goto err;
        }
        if (categories_find(self, f[0])) {
            log_warnx("%s:%d: category '%s' is listed twice", path, lineno, f[0]);
            goto err;
        }
        struct lx_category *nv = realloc(self->v, (self->n + 1) * sizeof *nv);
        if (!nv)
            goto err;
        self->v = nv;
        nv[self->n] = (struct lx_category){ strdup(f[0]), strdup(f[1]), strdup(f[2]), strdup(f[3]) };
        self->n++;
        if (!nv[self->n - 1].code || !nv[self->n - 1].unit || !nv[self->n - 1].zh ||
            !nv[self->n - 1].en)
            goto err;
    }
    if (self->n == 0) {
        log_warnx("%s: no categories", path);
        goto err;
    }
    free(text);
    return self;
err:
    free(text);
    categories_destroy(&self);
    return NULL;
}

const struct lx_category *
categories_find(const categories_t *self, const char *code)
{
    for (size_t i = 0; code && i < self->n; i++)
        if (strcmp(self->v[i].code, code) == 0)
            return &self->v[i];
    return NULL;
}

int
categories_belongs(const categories_t *self, const char *code, const char *unit)
{
    const struct lx_category *c = categories_find(self, code);
    return c && unit && strcmp(c->unit, unit) == 0;
}

size_t
categories_count(const categories_t *self)
{
    return self->n;
}

const struct lx_category *
categories_at(const categories_t *self, size_t i)
{
    return i < self->n ? &self->v[i] : NULL;
}

/* Whether v names (code, name, or part of the Chinese name) the thing with
 * these names: 2 exactly, 1 as a part, 0 not. */
static int
names(const char *v, const char *code, const char *zh, const char *en)
{
    if (strcmp(v, code) == 0 || strcmp(v, zh) == 0 || (en && strcasecmp(v, en) == 0))
        return 2;
    /* A part of the Chinese name (公安局 for 县公安局): UTF-8 in UTF-8
     * matches on character boundaries. */
    if ((unsigned char)v[0] >= 0x80 && strstr(zh, v))
        return 1;
    return 0;
}

int
units_lookup(const char *v, const struct lx_unit **found)
{
    int n = 0;

    *found = NULL;
    if (!v || !*v)
        return 0;
    for (size_t i = 0; i < LX_NUNITS; i++) {
        int m = names(v, lx_units[i].code, lx_units[i].zh, lx_units[i].en);
        if (m == 2) {
            *found = &lx_units[i];
            return 1;
        }
        if (m == 1) {
            *found = &lx_units[i];
            n++;
        }
    }
    if (n > 1)
        *found = NULL;
    return n > 1 ? -1 : n;
}

const char *
units_name(const char *code)
{
    const struct lx_unit *u = units_find(code);

    return u ? u->zh : code ? code : "";
}

int
categories_lookup(const categories_t *self, const char *v, const struct lx_category **found)
{
    int n = 0;

    *found = NULL;
    if (!v || !*v)
        return 0;
    for (size_t i = 0; i < self->n; i++) {
        int m = names(v, self->v[i].code, self->v[i].zh, self->v[i].en);
        if (m == 2) {
            *found = &self->v[i];
            return 1;
        }
        if (m == 1) {
            *found = &self->v[i];
            n++;
        }
    }
    if (n > 1)
        *found = NULL;
    return n > 1 ? -1 : n;
}

const char *
categories_name(const categories_t *self, const char *code)
{
    const struct lx_category *c = self ? categories_find(self, code) : NULL;

    return c ? c->zh : code ? code : "";
}
