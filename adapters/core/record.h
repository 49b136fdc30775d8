/* record.h — one case as a unit's export describes it, whatever the file
 * format: the shared checks and mappings that turn it into a filing. */
#ifndef LX_RECORD_H
#define LX_RECORD_H

#include "adapter.h"

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
    CF_NFIELDS
};

/* Checks the record v (values by field; NULL where the export has no such
 * field) from path at line, maps its case type through types and its
 * status through statuses ("notice"/"report"; NULL: always a report), and
 * files it; a bad value goes to rejected/ under the export's own name for
 * the field (names, by field).  Returns 0 to go on, -1 on an outbox error. */
int record_file(adapter_t *a, const char *path, long line, const char *const v[CF_NFIELDS],
                const char *const names[CF_NFIELDS], const struct adapter_map *types,
                const struct adapter_map *statuses);

#endif
