/* textin.h — reading units' text exports: encoding detection (UTF-8 with
 * or without BOM, or GB18030 through iconv, decided on evidence) and CSV
 * records (libcsv) with the physical line each record starts on; Excel's
 * "Unicode text" (UTF-16 with a BOM, TAB-separated).  tablein.h reads these
 * and workbooks (sheet.h) alike. */
#ifndef LX_TEXTIN_H
#define LX_TEXTIN_H

#include <stddef.h>

struct textin_row {
    const char *file;
    long line;              /* physical line the record starts on (1 = first) */
    char **fields;          /* UTF-8, NUL-terminated */
    size_t n;
    int undecodable;        /* bytes that are neither UTF-8 nor GB18030 */
    size_t offset, total;   /* bytes read so far and in all, for progress */
    int sheet;              /* 1: from a spreadsheet, line is the sheet's row number */
};

/* Called for every record, header included.  Return 0 to go on, -1 to stop. */
typedef int (textin_row_fn)(void *arg, const struct textin_row *row);
/* Called for a record that is not CSV at all (e.g. an unbalanced quote). */
typedef void (textin_bad_fn)(void *arg, long line, const char *why);

/* What an export is, by its first bytes. */
enum textin_kind {
    TEXTIN_TEXT,        /* CSV in UTF-8 (BOM or not) or GB18030 */
    TEXTIN_UTF16,       /* "Unicode text": UTF-16 with a BOM, TAB-separated */
    TEXTIN_XLSX,        /* a zip: Office Open XML workbook */
    TEXTIN_XLS,         /* an OLE2 compound file: Excel 97-2003 workbook */
};
enum textin_kind textin_kind(const char *raw, size_t len);

/* Reads a CSV file, or "Unicode text" (TAB-separated when its first line
 * has a TAB, else comma-separated; converted from UTF-16 whole, lines
 * where they were).  A workbook is refused (tablein.h reads those).  Returns 0
 * when the file was read (bad records having gone to bad), -1 when it
 * cannot be read at all, with the reason in err (for the clerk: _()). */
int textin_csv(const char *path, textin_row_fn *row, textin_bad_fn *bad, void *arg,
               char *err, size_t errlen);

/* textin_csv on the export held in raw[0..len) (name is what rows and
 * errors call the file): the same encoding decision, records and lines as
 * for the file itself.  Returns 0, or -1 with the reason in err.  The same
 * text in UTF-8, UTF-8 with a BOM and GB18030 gives the same rows. */
int textin_csv_mem(const char *name, const char *raw, size_t len, textin_row_fn *row,
                   textin_bad_fn *bad, void *arg, char *err, size_t errlen);

/* Converts a whole buffer to UTF-8: UTF-16 after its BOM; else strips a
 * UTF-8 BOM, keeps valid UTF-8 (after
 * a BOM, or when it is not GB18030 whose bytes happen to be UTF-8: see
 * textin.c), else converts from GB18030.  Returns a malloc'd NUL-terminated
 * string, or NULL when the bytes are neither. */
char *textin_to_utf8(const char *data, size_t len, size_t *outlen);

#endif
