/* tablein.h — a unit's table export, whatever the clerk saved it as: CSV
 * (UTF-8, UTF-8 with a BOM, GB18030), Excel's "Unicode text" (UTF-16,
 * TAB-separated) through textin.h, or the first sheet of an .xlsx or .xls
 * workbook through sheet.h.  Rows come as textin_row: line is the physical
 * line of a text export, the sheet's row number of a workbook (sheet = 1). */
#ifndef LX_TABLEIN_H
#define LX_TABLEIN_H

#include "textin.h"

/* Returns 0 when the file was read (bad records having gone to bad), -1
 * when it cannot be read at all, with the reason (for the clerk) in err. */
int tablein_read(const char *path, textin_row_fn *row, textin_bad_fn *bad, void *arg, char *err,
               size_t errlen);
/* The same on the export held in raw[0..len), called name. */
int tablein_read_mem(const char *name, const char *raw, size_t len, textin_row_fn *row,
                   textin_bad_fn *bad, void *arg, char *err, size_t errlen);

#endif
