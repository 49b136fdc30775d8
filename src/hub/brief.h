/* brief.h — the briefing (通报材料) the convener reads at the joint
 * meeting: compiled from a read-only store of the hub's database (a read
 * model: it only reads). */
#ifndef LX_BRIEF_H
#define LX_BRIEF_H

#include <stddef.h>

#include "calendar.h"
#include "categories.h"
#include "store.h"

enum { BRIEF_FULL = 0, BRIEF_LEADERSHIP = 1 };
enum { BRIEF_ZH = 0, BRIEF_EN = 1 };
enum { BRIEF_HTML = 0, BRIEF_MD = 1 };

struct brief_params {
    lx_day from, to;            /* the period, both days included */
    int audience;               /* BRIEF_FULL or BRIEF_LEADERSHIP */
    int lang;
    int format;
    const char *title;          /* the meeting's title, or NULL */
    lx_day meeting_date;        /* 0 when compiled for a bare period */
    const char *county;         /* the county's name ([hub] county), or NULL: "县" */
};

/* Compiles the briefing into a malloc'd document (*out, *len).  The same
 * database and parameters give the same bytes.  Returns 0, or -1 with a
 * sentence in err. */
int brief_compile(store_t *db, const calendar_t *cal, const categories_t *cats,
                  const struct brief_params *p, char **out, size_t *len, char *err,
                  size_t errlen);

/* The disclosure rule for an audience, as stated in the document: 1 when a
 * filing of scope is listed in the appendix, 0 when it is only counted. */
int brief_scope_listed(int audience, int scope);

#endif
