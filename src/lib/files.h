/* files.h — reading files, durable writes, directories and secret modes. */
#ifndef LX_FILES_H
#define LX_FILES_H

#include <stddef.h>
#include <sys/types.h>

/* Reads a whole file into a NUL-terminated buffer the caller frees.
 * Returns NULL (errno set) on failure. */
char *files_read(const char *path, size_t *len_out);
/* Writes data to path through a temp file, fsync and rename, with mode.
 * Returns 0, or -1 with errno set and nothing changed. */
int files_write_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* mkdir -p with mode.  Returns 0, or -1 with errno set. */
int files_mkdir_p(const char *path, mode_t mode);
/* Returns 0 when a secret file is readable by its owner only, or -1 after
 * logging why (world- or group-readable, missing). */
int files_check_secret(const char *path);
/* Joins dir and name into out (dir ignored when name is absolute).
 * Returns 0, or -1 when it does not fit. */
int files_join(char *out, size_t outlen, const char *dir, const char *name);
/* The directory part of path into out ("." when none). */
void files_dirname(char *out, size_t outlen, const char *path);

#endif
