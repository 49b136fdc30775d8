/* categories.h — the nine member units and the category registry file. */
#ifndef LX_CATEGORIES_H
#define LX_CATEGORIES_H

#include <stddef.h>

#define LX_NUNITS 9

struct lx_unit {
    const char *code;   /* stable identifier: keys, configs, database */
    const char *zh;
    const char *en;
};

/* The nine member units in the order of attachment 5. */
extern const struct lx_unit lx_units[LX_NUNITS];

/* Returns the unit with this code, or NULL. */
const struct lx_unit *units_find(const char *code);
/* The unit an operator names: its code, its Chinese or English name, or a
 * part of its Chinese name that no other unit's holds (公安局 for
 * 县公安局).  Returns 1 with *found set, 0 when no unit
 * is so named, -1 when several are (ambiguous). */
int units_lookup(const char *v, const struct lx_unit **found);
/* The Chinese name of the unit with this code (县公安局), or the code
 * itself when there is no such unit: what a person reads. */
const char *units_name(const char *code);

struct lx_category {
    char *code;
    char *unit;
    char *zh;
    char *en;
};

typedef struct categories categories_t;

/* Loads the registry (deploy/categories.tsv format).  Returns NULL after
 * logging the file, line and problem when it cannot be used. */
categories_t *categories_load(const char *path);
void categories_destroy(categories_t **self_p);

/* Returns the category with this code, or NULL. */
const struct lx_category *categories_find(const categories_t *self, const char *code);
/* Returns 1 when code is registered for unit, else 0. */
int categories_belongs(const categories_t *self, const char *code, const char *unit);
size_t categories_count(const categories_t *self);
/* The category an operator names, as units_lookup: its code, its name, or
 * an unambiguous part of its Chinese name. */
int categories_lookup(const categories_t *self, const char *v,
                      const struct lx_category **found);
/* The Chinese name of the category with this code (醉酒驾驶), or the code
 * when the registry (which may be NULL) has no such category. */
const char *categories_name(const categories_t *self, const char *code);
const struct lx_category *categories_at(const categories_t *self, size_t i);

#endif
