/* csvfmt.h — a unit's spreadsheet-style export described as data (read as
 * CSV, "Unicode text", .xlsx or .xls: table.h): its
 * header row, which column holds what, and how its wording maps to
 * categories and stages.  Most adapters are one such description. */
#ifndef LX_CSVFMT_H
#define LX_CSVFMT_H

#include "adapter.h"
#include "record.h"

struct csv_column {
    const char *header;
    enum record_field field;
};

struct csv_format {
    const struct csv_column *columns;       /* in file order, ended by { NULL, 0 } */
    const struct record_map *types;         /* case type wording -> category code */
    const struct record_map *statuses;      /* status wording -> "notice" or "report";
                                               NULL: every row is a report */
};

/* NULL when fields[0..n) (trimmed in place) are fmt's header row; else a
 * malloc'd account for the clerk, in the current language: its first line
 * the reason, naming the missing columns, the columns the unit's export
 * does not have, or that they are in another order; then one line per
 * column, expected and found side by side. */
char *csvfmt_header_problem(const struct csv_format *fmt, char *const *fields, size_t n);

/* The adapter_format read function for CSV exports; data is a struct
 * csv_format.  Reads path, files each good row, sends each bad one to
 * rejected/ with its line, column and reason. */
int csvfmt_read(adapter_t *a, const char *path, const void *data);

#endif
