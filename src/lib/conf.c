/* conf.c — INI files through libinih; values kept as section/key/value. */
#include "conf.h"
#include "i18n.h"
#include "log.h"
#include "files.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *section, *key, *value;
};

struct conf {
    struct entry *v;
    size_t n;
    char path[PATH_MAX];
    char dir[PATH_MAX];
};

static int
on_value(void *user, const char *section, const char *key, const char *value)
{
    conf_t *self = user;
    struct entry *nv = realloc(self->v, (self->n + 1) * sizeof *nv);

    if (!nv)
        return 0;
    self->v = nv;
    nv[self->n] = (struct entry){ strdup(section), strdup(key), strdup(value) };
    if (!nv[self->n].section || !nv[self->n].key || !nv[self->n].value) {
        self->n++;
        return 0;
    }
    self->n++;
    return 1;
}

/* Lines handed to libinih one at a time, so that a line longer than its
 * buffer is refused instead of being split into two lines. */
struct line_reader {
    FILE *f;
    char *buf;
    size_t cap;
    int line;       /* the line last read, from 1 */
    int too_long;   /* the line that did not fit, or 0 */
    int max;        /* the longest line that fits, in bytes */
};

static char *
read_line(char *str, int num, void *stream)
{
    struct line_reader *r = stream;
    ssize_t n = getline(&r->buf, &r->cap, r->f);

    if (n < 0)
        return NULL;
    r->line++;
    if (n > 0 && r->buf[n - 1] == '\n')
        r->buf[--n] = '\0';
    if (n > num - 1) {
        r->too_long = r->line;
        r->max = num - 1;
        return NULL;
    }
    memcpy(str, r->buf, (size_t)n + 1);
    return str;
}

conf_t *
conf_load(const char *path)
{
    conf_t *self = calloc(1, sizeof *self);
    struct line_reader r = { 0 };
    int rc;

    if (!self)
        return NULL;
    snprintf(self->path, sizeof self->path, "%s", path);
    files_dirname(self->dir, sizeof self->dir, path);
    if (!(r.f = fopen(path, "r"))) {
        log_warnx(_("cannot read config %s: %s"), path, log_strerror(errno));
        goto err;
    }
    rc = ini_parse_stream(read_line, &r, on_value, self);
    if (ferror(r.f)) {
        log_warnx(_("cannot read config %s: %s"), path, log_strerror(errno));
        goto err;
    }
    if (r.too_long) {
        log_warnx(_("%s:%d: line longer than %d bytes: shorten it (a path may be given relative "
                  "to the config file's directory)"), path, r.too_long, r.max);
        goto err;
    }
    if (rc < 0) {
        log_warnx(_("cannot read config %s: out of memory"), path);
        goto err;
    }
    if (rc > 0) {
        log_warnx(_("%s:%d: syntax error (expected [section] or key = value)"), path, rc);
        goto err;
    }
    free(r.buf);
    fclose(r.f);
    return self;
err:
    free(r.buf);
    if (r.f)
        fclose(r.f);
    conf_destroy(&self);
    return NULL;
}

void
conf_destroy(conf_t **self_p)
{
    conf_t *self = *self_p;

    if (!self)
        return;
    for (size_t i = 0; i < self->n; i++) {
        free(self->v[i].section);
        free(self->v[i].key);
        free(self->v[i].value);
    }
    free(self->v);
    free(self);
    *self_p = NULL;
}

const char *
conf_get(const conf_t *self, const char *section, const char *key, const char *def)
{
    /* The last assignment wins, as a reader of the file would expect. */
    for (size_t i = self->n; i-- > 0;)
        if (strcmp(self->v[i].section, section) == 0 && strcmp(self->v[i].key, key) == 0)
            return self->v[i].value;
    return def;
}

size_t
conf_each(const conf_t *self, const char *section,
          void (*fn)(void *arg, const char *key, const char *value), void *arg)
{
    size_t n = 0;

    for (size_t i = 0; i < self->n; i++)
        if (strcmp(self->v[i].section, section) == 0) {
            fn(arg, self->v[i].key, self->v[i].value);
            n++;
        }
    return n;
}

const char *
conf_file(const conf_t *self)
{
    return self->path;
}

int
conf_int(const conf_t *self, const char *section, const char *key, long def, long min,
         long max, long *out)
{
    const char *s = conf_get(self, section, key, NULL);
    char *end;
    long v;

    if (!s) {
        *out = def;
        return 0;
    }
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        log_warnx(_("%s: [%s] %s = %s: expected a number from %ld to %ld"), self->path,
                  section, key, s, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int
conf_path(const conf_t *self, const char *section, const char *key, const char *def,
          char *out, size_t outlen)
{
    const char *s = conf_get(self, section, key, def);

    if (!s || !*s) {
        log_warnx(_("%s: [%s] %s is missing"), self->path, section, key);
        return -1;
    }
    if (files_join(out, outlen, self->dir, s) < 0) {
        log_warnx(_("%s: [%s] %s: path too long"), self->path, section, key);
        return -1;
    }
    return 0;
}

const char *
conf_dir(const conf_t *self)
{
    return self->dir;
}

void
conf_language(const conf_t *self, const char *section)
{
    const char *lang = conf_get(self, section, "language", NULL);

    if (i18n_init(lang) < 0)
        log_warnx(_("%s: [%s] language = %s: use zh or en"), self->path, section, lang);
}
