/* reasons.h — why a filing or a row was refused, in the reader's language.
 *
 * One table of reasons (src/lib/reasons.c) for the hub and the adapters:
 * each has a stable key ("id_number.check_char") and an English template
 * whose conversions are all %s, taking the reason's values in order (the
 * field, what was found, the limit …).  The hub sends the key and the
 * values in a Rejection beside its own sentence; the adapter writes the
 * sentence in its clerk's language (gettext, i18n.h).  A key an adapter
 * does not know (a newer hub) falls back to the hub's sentence. */
#ifndef LX_REASONS_H
#define LX_REASONS_H

#include <stdarg.h>
#include <stddef.h>

#define REASON_MAX_ARGS 4
#define REASON_ARG_LEN 256
#define REASON_KEY_LEN 48

/* A refusal as it travels: its key and values. */
struct reason {
    char key[REASON_KEY_LEN];
    char args[REASON_MAX_ARGS][REASON_ARG_LEN];
    size_t nargs;
};

/* The English template of key, or NULL when the table has no such key. */
const char *reasons_template(const char *key);

/* The table, for tests and listings: its size, the key of entry i, the
 * number of values key takes (0 when unknown), the number of conversions
 * of a template. */
size_t reasons_count(void);
const char *reasons_key_at(size_t i);
size_t reasons_nargs(const char *key);
size_t reasons_count_conversions(const char *tmpl);

/* The key whose English template is english (a sentence without values,
 * as wire_decode and idnum_check give), or NULL. */
const char *reasons_key_of(const char *english);

/* reasons_format of r. */
int reasons_render(const struct reason *r, char *out, size_t len);

/* Sets r to key with the nargs values (each cut on a character boundary
 * at REASON_ARG_LEN). */
void reasons_set(struct reason *r, const char *key, size_t nargs, ...);
void reasons_vset(struct reason *r, const char *key, size_t nargs, va_list ap);

/* Writes the sentence of key with args into out (len bytes) in the
 * current language; a value that names a field is translated and a unit's
 * code is written as the unit's name (县公安局); each value is escaped (text_escape) so that the
 * sentence is one line of valid UTF-8 whatever the values hold.  Returns
 * 0, or -1 (out untouched) when key is unknown or nargs is not the
 * template's count. */
int reasons_format(const char *key, const char *const *args, size_t nargs, char *out,
                   size_t len);

#endif
