/* tablein.c — each kind of export to its reader, by its first bytes. */
#include "tablein.h"
#include "files.h"
#include "i18n.h"
#include "sheet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
tablein_read(const char *path, textin_row_fn *row, textin_bad_fn *bad, void *arg, char *err,
           size_t errlen)
{
    size_t len;
    char *raw = files_read(path, &len);
    int rc;

    if (!raw) {
        snprintf(err, errlen, _("cannot read the file: %s"), strerror(errno));
        return -1;
    }
    /* freexl reads a file, not memory. */
    if (textin_kind(raw, len) == TEXTIN_XLS)
        rc = sheet_xls(path, len, row, arg, err, errlen);
    else
        rc = tablein_read_mem(path, raw, len, row, bad, arg, err, errlen);
    free(raw);
    return rc;
}

int
tablein_read_mem(const char *name, const char *raw, size_t len, textin_row_fn *row,
               textin_bad_fn *bad, void *arg, char *err, size_t errlen)
{
    switch (textin_kind(raw, len)) {
    case TEXTIN_XLSX:
        return sheet_xlsx_mem(name, raw, len, row, arg, err, errlen);
    case TEXTIN_XLS:
        return sheet_xls_mem(name, raw, len, row, arg, err, errlen);
    default:
        return textin_csv_mem(name, raw, len, row, bad, arg, err, errlen);
    }
}
