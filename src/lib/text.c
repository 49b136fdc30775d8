/* text.c — hex, UTF-8 checks, terminal widths, one-line JSON. */
#include "text.h"
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
text_hex(char *out, const uint8_t *in, size_t len)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int
text_unhex(uint8_t *out, size_t outlen, const char *hex)
{
    if (!hex || strlen(hex) != outlen * 2)
        return -1;
    for (size_t i = 0; i < outlen; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int
text_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i];
        size_t n;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1; cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2; cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3; cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + n >= len)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += n + 1;
    }
    return 1;
}

int
text_is_control(uint32_t cp, int allow_nl_tab)
{
    if (allow_nl_tab && (cp == '\n' || cp == '\t'))
        return 0;
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Length of the valid UTF-8 sequence at s[0..len) and its character in
 * *cp; 0 when the bytes there are not one. */
static size_t
utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n;

    if (len == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    n = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0 || n > len || !text_utf8_valid((const char *)s, n))
        return 0;
    *cp = s[0] & (0x7f >> n);
    for (size_t k = 1; k < n; k++)
        *cp = *cp << 6 | (s[k] & 0x3f);
    return n;
}

long
text_find_control(const char *str, size_t len, int allow_nl_tab, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        uint32_t c;
        size_t n = utf8_next(s + i, len - i, &c);

        if (n == 0)
            return -1;
        if (text_is_control(c, allow_nl_tab)) {
            *cp = c;
            return (long)i;
        }
        i += n;
    }
    return -1;
}

size_t
text_escape(char *out, size_t outlen, const char *in, size_t inlen)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, o = 0;

    if (outlen == 0)
        return 0;
    while (i < inlen) {
        char esc[8];
        uint32_t cp;
        size_t n = utf8_next(s + i, inlen - i, &cp), w;
        const char *from = in + i;

        if (n == 0) {
            snprintf(esc, sizeof esc, "\\x%02x", s[i]);
            n = 1;
        } else if (cp == '\n' || cp == '\r' || cp == '\t') {
            snprintf(esc, sizeof esc, "\\%c", cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't');
        } else if (cp < 0x80 && text_is_control(cp, 0)) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
        } else if (text_is_control(cp, 0)) {
            snprintf(esc, sizeof esc, "\\u%04X", (unsigned)cp);
        } else {
            esc[0] = '\0';
        }
        if (esc[0])
            from = esc;
        w = esc[0] ? strlen(esc) : n;
        if (o + w >= outlen)
            break;
        memcpy(out + o, from, w);
        o += w;
        i += n;
    }
    out[o] = '\0';
    return o;
}

int
text_width(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    int w = 0;

    while (*s) {
        uint32_t cp;
        int n;

        if (*s < 0x80) {
            w++;
            s++;
            continue;
        }
        n = (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2 : 3;
        cp = *s & (0x3f >> n);
        for (int i = 1; i <= n && s[i]; i++)
            cp = cp << 6 | (s[i] & 0x3f);
        /* CJK, Hangul, full-width forms and the like take two columns. */
        w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
             (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
             (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
             (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd) ? 2 : 1;
        for (int i = 0; i <= n && *s; i++)
            s++;
    }
    return w;
}

void
text_print_padded(FILE *f, const char *s, int width)
{
    int w = text_width(s);

    fputs(s, f);
    while (w++ < width)
        fputc(' ', f);
}

void
text_print_padded_right(FILE *f, const char *s, int width)
{
    for (int w = text_width(s); w < width; w++)
        fputc(' ', f);
    fputs(s, f);
}

void
text_print_json(cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);

    if (s)
        puts(s);
    free(s);
    cJSON_Delete(j);
}

char *
text_utf8_fix(char *s)
{
    unsigned char *p = (unsigned char *)s;
    size_t i = 0, n = strlen(s);

    while (i < n) {
        size_t k;
        /* The longest valid character starting here (1 to 4 bytes), if any. */
        for (k = 1; k <= 4 && i + k <= n; k++)
            if (text_utf8_valid((const char *)p + i, k))
                break;
        if (k <= 4 && i + k <= n) {
            i += k;
            continue;
        }
        {
            /* A character cut at the end (a lead byte and only continuation
             * bytes up to the end, fewer than it needs): drop it. */
            size_t need = p[i] >= 0xc2 && p[i] <= 0xdf ? 2 : p[i] >= 0xe0 && p[i] <= 0xef ? 3
                          : p[i] >= 0xf0 && p[i] <= 0xf4 ? 4 : 0;
            size_t j = i + 1;
            while (j < n && (p[j] & 0xc0) == 0x80)
                j++;
            if (need && j == n && n - i < need) {
                p[i] = '\0';
                break;
            }
        }
        p[i++] = '?';
    }
    return s;
}
