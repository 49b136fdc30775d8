/* winfile.h — files for readers on Windows: UTF-8 with a BOM and CRLF
 * lines (what Notepad and WPS open right), and names of copies as Windows
 * makes them ("NAME (2).csv") rather than overwriting. */
#ifndef LX_WINFILE_H
#define LX_WINFILE_H

#include <stddef.h>
#include <sys/types.h>

/* text (LF line ends) as a Windows reader's file: a UTF-8 BOM, then CRLF
 * line ends.  Returns a malloc'd buffer of *out_len bytes, or NULL. */
char *winfile_text(const char *text, size_t len, size_t *out_len);
/* Writes text to path atomically as winfile_text makes it.
 * Returns 0, or -1. */
int winfile_write(const char *path, const char *text, size_t len, mode_t mode);

/* The first name in dir not taken, from name: name itself, then
 * "STEM (2).EXT", "STEM (3).EXT" … as Windows names copies.  Returns 0,
 * or -1 when out is too small. */
int winfile_unique_name(const char *dir, const char *name, char *out, size_t len);

#endif
