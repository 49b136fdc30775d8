/* sheet.h — the first sheet of a workbook as rows of text, as the clerk
 * sees the cells: .xlsx (libzip and libxml2) and .xls (libfreexl).  Used by
 * tablein.h, which reads every kind of export; rows come to row with
 * sheet = 1 and line = the sheet's row number, rows whose cells are all
 * empty skipped, each row at least as wide as the first. */
#ifndef LX_SHEET_H
#define LX_SHEET_H

#include "textin.h"

/* Each returns 0, or -1 with the reason (for the clerk) in err. */
int sheet_xlsx_mem(const char *name, const char *raw, size_t len, textin_row_fn *row,
                   void *arg, char *err, size_t errlen);
/* freexl reads files only: a workbook in memory goes through a temp file. */
int sheet_xls(const char *path, size_t total, textin_row_fn *row, void *arg, char *err,
              size_t errlen);
int sheet_xls_mem(const char *name, const char *raw, size_t len, textin_row_fn *row,
                  void *arg, char *err, size_t errlen);

/* A number as a cell formatted "General" shows it in a column of the
 * default width: integers up to 11 digits in full, larger ones as Excel
 * shows them (441623198512081850 -> 4.41623E+17), others with at most 11
 * characters.  Writes into buf. */
void sheet_general(double v, char *buf, size_t len);
/* The date of a date serial (days since 1899-12-30, Excel's 1900 system, or
 * since 1904-01-01 when date1904) as YYYY-MM-DD into buf[11]. */
void sheet_serial_date(double serial, int date1904, char buf[11]);

#endif
