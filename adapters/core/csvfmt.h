/* csvfmt.h — a unit's spreadsheet-style CSV export described as data: its
 * header row, which column holds what, and how its wording maps to
 * categories and stages.  Most adapters are one such description. */
#ifndef LX_CSVFMT_H
#define LX_CSVFMT_H

#include "adapter.h"

/* What a column holds. */
enum csv_field {
    CF_IGNORE = 0,      /* kept in the export, not filed */
    CF_CASE,            /* the unit's own case reference (required) */
    CF_NAME,            /* cadre's name (required) */
    CF_IDNO,            /* resident identity number (required) */
    CF_WORK_UNIT,       /* work unit (required) */
    CF_POST,            /* post */
    CF_RANK,            /* rank: 科员 ... 副厅级 (required when the column exists) */
    CF_TYPE,            /* case type: mapped to a category (required) */
    CF_DATE,            /* the date the unit learned of it (required) */
    CF_STATUS,          /* mapped to notice or report */
    CF_SUMMARY,         /* summary; required for a report */
    CF_SCOPE,           /* disclosure scope; empty means organs */
};

struct csv_column {
    const char *header;
    enum csv_field field;
};

struct csv_format {
    const struct csv_column *columns;       /* in file order, ended by { NULL, 0 } */
    const struct adapter_map *types;        /* case type wording -> category code */
    const struct adapter_map *statuses;     /* status wording -> "notice" or "report";
                                               NULL: every row is a report */
};

/* The adapter_format read function for CSV exports; data is a struct
 * csv_format.  Reads path, files each good row, sends each bad one to
 * rejected/ with its line, column and reason. */
int csvfmt_read(adapter_t *a, const char *path, const void *data);

#endif
