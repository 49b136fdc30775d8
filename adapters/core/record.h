/* record.h — one case as a unit's export describes it, whatever the file
 * format: the shared checks and mappings that turn it into a filing. */
#ifndef LX_RECORD_H
#define LX_RECORD_H

#include "adapter.h"

/* A table of export wording to a value (categories, statuses), ended by
 * { NULL, NULL }. */
struct record_map {
    const char *text;
    const char *value;
};
/* The value of text in map, or NULL when map does not have it. */
const char *record_map_find(const struct record_map *map, const char *text);

/* Shared mappings from export wording to protocol values.  Each returns the
 * value, or 0 (unspecified) when the text is not one it knows. */
int record_rank(const char *text);     /* 科员, 副科级, ... */
int record_scope(const char *text);    /* 公开, 党政机关, ...; empty -> organs */
/* Whether a complainant gave a real name: 1 for 是/实名/true, 0 for
 * 否/匿名/false or empty, -1 for anything else. */
int record_real_name(const char *text);

/* Trims ASCII and full-width spaces at both ends of s, in place; returns
 * where the trimmed value starts. */
char *record_trim(char *s);

/* NULL when idno is a valid ID number; else why not, for the clerk (in
 * the current language, the value included), written into buf.  A number
 * in scientific notation (4.41623E+17) is what a spreadsheet made of an ID
 * column: the reason says so and how to keep the column as text. */
const char *record_idno_problem(const char *idno, char *buf, size_t len);

/* The fields of a case in an export. */
enum record_field {
    CF_IGNORE = 0,      /* kept in the export, not filed */
    CF_CASE,            /* the unit's own case reference (required) */
    CF_NAME,            /* cadre's name (required) */
    CF_IDNO,            /* resident identity number (required) */
    CF_WORK_UNIT,       /* work unit (required) */
    CF_POST,            /* post */
    CF_RANK,            /* rank: 科员 ... 副厅级 (required when the export has it) */
    CF_TYPE,            /* case type: mapped to a category (required) */
    CF_DATE,            /* the date the unit learned of it (required) */
    CF_STATUS,          /* mapped to notice or report */
    CF_SUMMARY,         /* summary; required for a report */
    CF_SCOPE,           /* disclosure scope; empty means organs */
    CF_REAL_NAME,       /* real-name complaint (实名) or anonymous (匿名); empty: anonymous */
    CF_ATTACH,          /* documents: names of files beside the export, separated by ';' or
                         * '；' (附件); empty: none */
    CF_NFIELDS
};

/* Checks the record v (values by field; NULL where the export has no such
 * field) from path at line, maps its case type through types and its
 * status through statuses ("notice"/"report"; NULL: always a report), and
 * files it; a bad value goes to rejected/ under the export's own name for
 * the field (names, by field).  Returns 0 to go on, -1 on an outbox error. */
int record_file(adapter_t *a, const char *path, long line, const char *const v[CF_NFIELDS],
                const char *const names[CF_NFIELDS], const struct record_map *types,
                const struct record_map *statuses);

#endif
