/* text.h — hex, UTF-8 checks, terminal widths, one-line JSON output. */
#ifndef LX_TEXT_H
#define LX_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void text_hex(char *out, const uint8_t *in, size_t len);
int text_unhex(uint8_t *out, size_t outlen, const char *hex);

struct cJSON;
/* Prints j as one line of JSON on stdout and frees it. */
void text_print_json(struct cJSON *j);

/* Terminal columns of a UTF-8 string: East Asian wide characters count 2. */
int text_width(const char *s);
/* Prints s to f padded with spaces to width columns. */
void text_print_padded(FILE *f, const char *s, int width);
/* Prints s to f after as many spaces as make it width columns. */
void text_print_padded_right(FILE *f, const char *s, int width);

/* True when s is valid UTF-8 of at most len bytes. */
int text_utf8_valid(const char *s, size_t len);

/* Whether cp is a character that hides or forges text: a C0 or C1 control
 * (U+0000-001F, U+007F-009F), the line and paragraph separators U+2028/2029,
 * or a bidi control (U+202A-202E, U+2066-2069).  With allow_nl_tab, \n and
 * \t are not counted. */
int text_is_control(uint32_t cp, int allow_nl_tab);
/* The byte offset of the first character of the valid UTF-8 s[0..len) that
 * text_is_control refuses, with the character in *cp; -1 when there is none.
 * s must have passed text_utf8_valid. */
long text_find_control(const char *s, size_t len, int allow_nl_tab, uint32_t *cp);

/* Writes in[0..inlen) into out (outlen bytes, always NUL-terminated) so that
 * it is one line of printable UTF-8: \n \r \t as those two characters, other
 * ASCII controls and bytes that are not UTF-8 as \xNN, C1 controls, the
 * separators and the bidi controls as \u0085, \u202E.  Valid characters are copied; output that does not fit
 * is cut on a character boundary.  Returns the length written. */
size_t text_escape(char *out, size_t outlen, const char *in, size_t inlen);

/* Makes s (NUL-terminated, perhaps cut by snprintf) valid UTF-8 in place:
 * a byte that does not start or continue a character becomes '?', and a
 * character cut at the end is dropped.  Returns s. */
char *text_utf8_fix(char *s);

#endif
