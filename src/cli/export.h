/* export.h — the hub's export (CSV with codes) made a file for the office:
 * .xlsx (libxlsxwriter) or UTF-8 CSV with a BOM, with Chinese headers and
 * units, categories, stages, scopes and review states by name. */
#ifndef LX_CLI_EXPORT_H
#define LX_CLI_EXPORT_H

#include <stddef.h>

/* The format to write: format when given ("xlsx" or "csv"), else from out's
 * extension (.xlsx, .csv; anything else is csv).  NULL when format is
 * neither. */
const char *export_format(const char *format, const char *out);

/* Converts the hub's CSV (csv, len bytes) and writes it to out (NULL:
 * stdout, csv only) in format.  *rows gets the rows written.  Returns an
 * exit code (sysexits.h) after saying what went wrong. */
int export_write(const char *csv, size_t len, const char *out, const char *format,
                 unsigned long long *rows);

#endif
