/* winfile.c — files for readers on Windows. */
#include "winfile.h"
#include "files.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *
winfile_text(const char *text, size_t len, size_t *out_len)
{
    size_t lines = 0, o = 0;
    char *out;

    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    if (!(out = malloc(len + lines + 4)))
        return NULL;
    memcpy(out, "\xEF\xBB\xBF", 3);
    o = 3;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            out[o++] = '\r';
        out[o++] = text[i];
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

int
winfile_write(const char *path, const char *text, size_t len, mode_t mode)
{
    size_t n;
    char *w = winfile_text(text, len, &n);
    int rc;

    if (!w)
        return -1;
    rc = files_write_atomic(path, w, n, mode);
    free(w);
    return rc;
}

int
winfile_unique_name(const char *dir, const char *name, char *out, size_t len)
{
    const char *dot = strrchr(name, '.');
    size_t stem = dot && dot != name ? (size_t)(dot - name) : strlen(name);
    const char *ext = name + stem;
    char path[PATH_MAX];
    struct stat st;

    if ((size_t)snprintf(out, len, "%s", name) >= len)
        return -1;
    for (int k = 2; k < 100000; k++) {
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, out) >= sizeof path)
            return -1;
        if (lstat(path, &st) < 0)
            return 0;
        if ((size_t)snprintf(out, len, "%.*s (%d)%s", (int)stem, name, k, ext) >= len)
            return -1;
    }
    return -1;
}
