/* reasons.c — the table of refusal reasons and their sentences. */
#include "reasons.h"
#include "i18n.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct entry {
    const char *key;
    const char *tmpl;       /* English; every conversion is %s (or %N$s) */
};

/* Keep keys stable: adapters in the field know them. */
static const struct entry table[] = {
    /* TRANSLATORS: %s is the field's name as the clerk knows it. */
    { "field.missing", N_("the %s is missing: fill it in and file again") },
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

const char *
reasons_template(const char *key)
{
    const struct entry *e = find(key);

    return e ? e->tmpl : NULL;
}

void
reasons_set(struct reason *r, const char *key, size_t nargs, ...)
{
    va_list ap;

    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s", key);
    if (nargs > REASON_MAX_ARGS)
        nargs = REASON_MAX_ARGS;
    va_start(ap, nargs);
    for (size_t i = 0; i < nargs; i++) {
        const char *v = va_arg(ap, const char *);
        snprintf(r->args[i], REASON_ARG_LEN, "%s", v ? v : "");
        text_utf8_fix(r->args[i]);
    }
    va_end(ap);
    r->nargs = nargs;
}

int
reasons_format(const char *key, const char *const *args, size_t nargs, char *out, size_t len)
{
    const struct entry *e = find(key);
    const char *t;
    size_t o = 0, next = 0;

    if (!e || count_args(e->tmpl) != nargs || len == 0)
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
            v = k < nargs ? args[k] : "";
            t += 3;
        } else if (t[1] == 's') {
            v = next < nargs ? args[next++] : "";
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
