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

/* True when s is valid UTF-8 of at most len bytes. */
int text_utf8_valid(const char *s, size_t len);

#endif
