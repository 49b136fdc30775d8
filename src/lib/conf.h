/* conf.h — INI configuration files (libinih), paths relative to the file. */
#ifndef LX_CONF_H
#define LX_CONF_H

#include <stddef.h>

typedef struct conf conf_t;

/* Parses path.  Returns NULL after logging the line of the first error; a
 * line longer than libinih's line buffer (INI_MAX_LINE, 200 bytes in
 * Debian's build) is an error, not two lines. */
conf_t *conf_load(const char *path);
void conf_destroy(conf_t **self_p);

/* The value of key in section, or def when absent.  Owned by conf. */
const char *conf_get(const conf_t *self, const char *section, const char *key, const char *def);
/* Calls fn with each key and value of section, in the file's order (a key
 * given twice comes twice).  Returns the number of calls. */
size_t conf_each(const conf_t *self, const char *section,
                 void (*fn)(void *arg, const char *key, const char *value), void *arg);
/* The config file's path, as given to conf_load. */
const char *conf_file(const conf_t *self);
/* An integer value; def when absent; -1 with a log line when not a number
 * in [min, max] (and *out untouched). */
int conf_int(const conf_t *self, const char *section, const char *key, long def,
             long min, long max, long *out);
/* A path value resolved against the config file's directory into out.
 * Returns 0, or -1 (logged) when absent without default or too long. */
int conf_path(const conf_t *self, const char *section, const char *key, const char *def,
              char *out, size_t outlen);
/* The directory holding the config file. */
const char *conf_dir(const conf_t *self);
/* Sets the program's language from [section] language = zh|en (i18n.h);
 * absent, the locale's.  Another value is logged and the locale's used. */
void conf_language(const conf_t *self, const char *section);

#endif
