/* fuzz_encoding.c — a differential target for the encoding detection of
 * units' exports (textin.c), through the police adapter's CSV reader.
 *
 * The input is taken as an export in UTF-8.  The same text converted to
 * GB18030 with iconv, and the same text with a UTF-8 byte-order mark in
 * front, are the same export as a unit's office software may save it: each
 * must give the same records as the UTF-8 one —
 *   - the CSV records textin_csv reads (line, fields, undecodable),
 *   - the text textin_to_utf8 makes of the whole (the JSON and XML
 *     readers' way in),
 *   - what the police adapter's reader says (filings, rejections, lines).
 * When one differs, the target aborts, printing the transcripts.  Inputs that are not valid UTF-8, that start with a BOM
 * already, or that iconv cannot convert to GB18030 and back unchanged, are
 * skipped: they are not the same text in both encodings.  So are texts whose
 * non-ASCII characters are all of 2 or 4 bytes in UTF-8 (Ŋ, é, 😀): their
 * bytes may be valid GB18030 too, and without a BOM the readers take them
 * as GB18030 by design (no export of a Chinese office lacks a 3-byte character; see
 * adapters/police/FORMAT.md, "Encoding"), and inputs that textin_kind takes
 * for a workbook or UTF-16 (a BOM in front would make them text).  The
 * other way round too: a line of the GB18030 bytes may itself be valid
 * UTF-8 holding a 3-byte character (濉癅 is E5 A1 B0 40 in GB18030, which is
 * 塰@ in UTF-8), Chinese text in either encoding; such a line speaks for
 * UTF-8 by design, so GB18030 bytes where such lines outnumber those UTF-8
 * cannot read, or that begin as a BOM does (锘 is EF BB in GB18030), are a
 * UTF-8 export by the documented rule (FORMAT.md again; test_textin checks
 * both readings): skipped. */
#include "reader.h"

#include <errno.h>
#include <iconv.h>

#include "text.h"
#include "textin.h"

static iconv_t to_gb, from_gb;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    reader_init("encoding");
    if ((to_gb = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1 ||
        (from_gb = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
        perror("fuzz: iconv_open");
        abort();
    }
    return 0;
}

/* Converts len bytes of in with cd into a malloc'd buffer.  Returns NULL
 * when iconv refuses a byte. */
static char *
convert(iconv_t cd, const char *in, size_t len, size_t *outlen)
{
    size_t cap = len * 4 + 16, inleft = len, outleft = cap;
    char *out = malloc(cap), *i = (char *)in, *o = out;

    if (!out)
        abort();
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &i, &inleft, &o, &outleft) == (size_t)-1 ||
        iconv(cd, NULL, NULL, &o, &outleft) == (size_t)-1) {
        free(out);
        return NULL;
    }
    *outlen = (size_t)(o - out);
    return out;
}

/* 1 when the GB18030 bytes gb (len) are, by the documented rule (FORMAT.md,
 * "Encoding"), a UTF-8 export: they begin with a BOM, or more of their
 * lines are valid UTF-8 holding a 3-byte character than are not valid
 * UTF-8.  Lines end as the readers end them: at LF, or at CR in a file
 * without any LF. */
static int
reads_as_utf8(const char *gb, size_t len)
{
    size_t off = 0, u = 0, g = 0;
    int end = len && !memchr(gb, '\n', len) ? '\r' : '\n';

    if (len >= 3 && memcmp(gb, "\xef\xbb\xbf", 3) == 0)
        return 1;
    while (off < len) {
        const char *nl = memchr(gb + off, end, len - off);
        size_t llen = nl ? (size_t)(nl - (gb + off)) + 1 : len - off;
        int three = 0, high = 0;

        for (size_t i = 0; i < llen; i++) {
            unsigned char c = (unsigned char)gb[off + i];
            high |= c >= 0x80;
            three |= c >= 0xe0 && c <= 0xef;
        }
        if (high && !text_utf8_valid(gb + off, llen))
            g++;
        else if (three)
            u++;
        off += llen;
    }
    return u > g;
}

static void
differ(const char *what, const char *utf8, const char *other, const char *gb, size_t gblen)
{
    fprintf(stderr, "\n==== fuzz_encoding: the export read as %s gives other records than "
            "the same text in UTF-8\n---- UTF-8:\n%s---- %s:\n%s", what, utf8, what, other);
    fprintf(stderr, "---- the GB18030 bytes (%zu):", gblen);
    for (size_t i = 0; i < gblen && i < 256; i++)
        fprintf(stderr, "%s%02x", i % 32 ? " " : "\n", (unsigned char)gb[i]);
    fprintf(stderr, "\n");
    abort();
}

static void
on_bad(void *arg, long line, const char *why)
{
    say(arg, "not CSV at line %ld: %s\n", line, why);
}

static int
on_row(void *arg, const struct textin_row *row)
{
    say(arg, "line %ld%s:", row->line, row->undecodable ? " (undecodable)" : "");
    for (size_t i = 0; i < row->n; i++)
        say(arg, " [%s]", row->fields[i]);
    say(arg, "\n");
    return 0;
}

/* Everything the readers make of data (as an export file): its CSV
 * records, its text as a whole, and what the police adapter's reader says.
 * Returns a malloc'd string. */
static char *
records(const uint8_t *data, size_t size)
{
    struct transcript t = { NULL, 0, 0 };
    const struct transcript *r;
    char path[512], err[256];
    size_t len;
    char *text;

    say(&t, "%s", "---- textin_csv:\n");
    fuzz_write("records.csv", data, size, path, sizeof path);
    if (textin_csv(path, on_row, on_bad, &t, err, sizeof err) < 0)
        say(&t, "unreadable: %s\n", err);
    say(&t, "%s", "---- textin_to_utf8:\n");
    if ((text = textin_to_utf8((const char *)data, size, &len))) {
        say(&t, "%zu bytes: %s\n", len, text);
        free(text);
    } else {
        say(&t, "%s", "neither UTF-8 nor GB18030\n");
    }
    say(&t, "%s", "---- the police reader:\n");
    reader_run("export.csv", data, size, &r);
    say(&t, "%s", r->buf);
    return t.buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *utf8 = NULL, *gb = NULL, *back = NULL, *bom = NULL, *other = NULL;
    size_t gblen = 0, backlen = 0;

    if (size > READER_MAX_INPUT / 4 || !text_utf8_valid((const char *)data, size) ||
        memchr(data, '\0', size) || (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0))
        return -1;
    {
        int wide = 0, high = 0;
        for (size_t i = 0; i < size; i++) {
            high |= data[i] >= 0x80;
            wide |= data[i] >= 0xe0 && data[i] <= 0xef;     /* leads a 3-byte character */
        }
        if (high && !wide)
            return -1;
    }
    /* A workbook's or UTF-16's first bytes make it another kind of export
     * (which a BOM in front would hide): not this target's question. */
    if (textin_kind((const char *)data, size) != TEXTIN_TEXT)
        return -1;
    if (!(gb = convert(to_gb, (const char *)data, size, &gblen)) ||
        !(back = convert(from_gb, gb, gblen, &backlen)) || backlen != size ||
        memcmp(back, data, size) != 0 || reads_as_utf8(gb, gblen))
        goto out;
    utf8 = records(data, size);
    other = records((const uint8_t *)gb, gblen);
    if (strcmp(other, utf8) != 0)
        differ("GB18030", utf8, other, gb, gblen);
    free(other);
    if (!(bom = malloc(size + 3)))
        abort();
    memcpy(bom, "\xef\xbb\xbf", 3);
    if (size)
        memcpy(bom + 3, data, size);
    other = records((const uint8_t *)bom, size + 3);
    if (strcmp(other, utf8) != 0)
        differ("UTF-8 with a BOM", utf8, other, gb, gblen);
out:
    free(utf8);
    free(other);
    free(gb);
    free(back);
    free(bom);
    return 0;
}

#define main unit_main
#include "../../adapters/police/main.c"
