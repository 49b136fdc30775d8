/* brief.h — the briefing (通报材料) the convener reads at the joint
 * meeting, as an official document (GB/T 9704-2012, doc.h): prose from the
 * figures in the order of the meeting's duties, tables and charts after the
 * text they support; the appendix (附件: 报备事项清单) and the speaking
 * points (讲话要点) as documents of their own.  Compiled from a read-only
 * store of the hub's database (a read model: it only reads), by the
 * counting model of matters.h. */
#ifndef LX_BRIEF_H
#define LX_BRIEF_H

#include <stddef.h>

#include "calendar.h"
#include "categories.h"
#include "store.h"

enum { BRIEF_FULL = 0, BRIEF_LEADERSHIP = 1 };
enum { BRIEF_HTML = 0, BRIEF_MD = 1, BRIEF_DOCX = 2 };
/* Which document: the 通报 itself, its appendix, or the speaking points. */
enum { BRIEF_MAIN = 0, BRIEF_APPENDIX = 1, BRIEF_POINTS = 2 };

/* A category is "rising" when it has at least this many matters in the
 * period and this many more than in the previous one (so 0 -> 1 is not). */
#define BRIEF_RISING_MIN 3

struct brief_params {
    lx_day from, to;            /* the period, both days included */
    int audience;               /* BRIEF_FULL or BRIEF_LEADERSHIP */
    int format;                 /* BRIEF_HTML, BRIEF_MD or BRIEF_DOCX */
    int part;                   /* BRIEF_MAIN, BRIEF_APPENDIX or BRIEF_POINTS */
    const char *title;          /* the meeting's title, or NULL */
    lx_day meeting_date;        /* 0 when compiled for a bare period */
    const char *county;         /* the county's name ([hub] county), or NULL: "县" */
    /* The unit names as the county calls them ([unit-names] in hub.conf), by
     * the index of lx_units; NULL: the default name (lx_units[i].zh). */
    const char *unit_name[LX_NUNITS];
    int copy_no;                /* 份号 of this copy (1..999999), or 0: none printed */
    const char *secrecy;        /* 密级/保密期限 mark ("内部资料 注意保存", "会后收回"), or NULL */
    const char *urgency;        /* 紧急程度 ("特急", "加急"), or NULL */
    int show_id_numbers;        /* the appendix prints full ID numbers (else masked) */
};

/* Compiles the briefing into a malloc'd document (*out, *len: HTML and
 * Markdown are NUL-terminated text, a .docx is binary).  The same database
 * and parameters give the same bytes.  Returns 0, or -1 with a sentence in
 * err. */
int brief_compile(store_t *db, const calendar_t *cal, const categories_t *cats,
                  const struct brief_params *p, char **out, size_t *len, char *err,
                  size_t errlen);

/* The disclosure rule for an audience, as stated in the document: 1 when a
 * filing of scope is listed in the appendix, 0 when it is only counted. */
int brief_scope_listed(int audience, int scope);

/* 1 when a category with `now` matters in the period and `before` in the
 * previous one is rising (BRIEF_RISING_MIN), else 0. */
int brief_rising(long now, long before);

/* An ID number as the documents print it: the first six and the last four
 * characters kept, the eight between as '*' (441623********1234); anything
 * not 18 characters long is masked whole but for its last two. */
void brief_mask_id(const char *id, char *out, size_t len);

#endif
