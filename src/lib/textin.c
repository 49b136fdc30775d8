/* textin.c — CSV exports in UTF-8 or GB18030 and "Unicode text" (UTF-16,
 * TAB-separated), one record at a time. */
#include "textin.h"
#include "files.h"
#include "i18n.h"
#include "text.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int utf8_file(const char *data, size_t len);

char *
textin_to_utf8(const char *data, size_t len, size_t *outlen)
{
    iconv_t cd;
    char *out, *in = (char *)data, *o;
    size_t inleft, outleft, cap;
    int bom = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0;
    const char *from = "GB18030";

    if (textin_kind(data, len) == TEXTIN_UTF16) {
        from = data[0] == '\xff' ? "UTF-16LE" : "UTF-16BE";
        data += 2;
        len -= 2;
        goto convert;
    }
    if (bom) {
        data += 3;
        len -= 3;
    }
    if (text_utf8_valid(data, len) && (bom || utf8_file(data, len))) {
        if (!(out = malloc(len + 1)))
            return NULL;
        if (len)
            memcpy(out, data, len);
        out[len] = '\0';
        if (outlen)
            *outlen = len;
        return out;
    }
convert:
    if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1)
        return NULL;
    cap = len * 2 + 4;
    if (!(out = malloc(cap + 1))) {
        iconv_close(cd);
        return NULL;
    }
    in = (char *)data;
    inleft = len;
    o = out;
    outleft = cap;
    if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
        iconv_close(cd);
        free(out);
        return NULL;
    }
    iconv_close(cd);
    *o = '\0';
    if (outlen)
        *outlen = (size_t)(o - out);
    return out;
}

struct reader {
    const char *path;
    textin_row_fn *row;
    textin_bad_fn *bad;
    void *arg;
    char **fields;
    size_t n, cap;
    long start;             /* line the current record started on, 0 = none yet */
    int undecodable;
    int quoted;             /* inside a quoted field (an odd count of quotes) */
    int stop;
    int failed;             /* the current record could not be stored */
    size_t offset, total;
};

static void
on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    char *f;

    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 16;
        char **nf = realloc(r->fields, ncap * sizeof *nf);
        if (!nf) {
            r->failed = 1;
            return;
        }
        r->fields = nf;
        r->cap = ncap;
    }
    if (!(f = malloc(len + 1))) {
        r->failed = 1;
        return;
    }
    memcpy(f, s, len);
    f[len] = '\0';
    r->fields[r->n++] = f;
}

static void
clear_record(struct reader *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->fields[i]);
    r->n = 0;
    r->start = 0;
    r->undecodable = 0;
    r->failed = 0;
}

static void
on_record(int c, void *data)
{
    struct reader *r = data;
    struct textin_row row = { r->path, r->start, r->fields, r->n, r->undecodable, r->offset,
                              r->total, 0 };

    (void)c;
    if (!r->stop && !r->failed && r->row(r->arg, &row) < 0)
        r->stop = 1;
    clear_record(r);
}

static int
blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* 1 when the bytes convert from GB18030. */
static int
gb18030_valid(iconv_t cd, const char *data, size_t len)
{
    char buf[4096], *in = (char *)data, *o;
    size_t inleft = len, outleft;

    iconv(cd, NULL, NULL, NULL, NULL);
    while (inleft > 0) {
        o = buf;
        outleft = sizeof buf;
        if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1 && errno != E2BIG)
            return 0;
    }
    return 1;
}

/* Whether the bytes are UTF-8 rather than GB18030, on evidence that is not an
 * accident.  A line that is not UTF-8 but that GB18030 explains proves
 * GB18030 (or is a damaged line of a UTF-8 export); a valid UTF-8 line
 * holding a character of 3 bytes (all of common Chinese), or one that
 * GB18030 cannot read, is strong evidence for UTF-8.  A line of 2- and
 * 4-byte UTF-8 sequences only proves nothing (职员 in GB18030 is D6 B0 D4
 * B1, valid UTF-8 for U+05B0 U+0531; 桶缶埈 is CD B0 F3 BE 88 AD, U+0370
 * and U+FE22D of a private-use plane): such lines alone mean GB18030, the
 * encoding of Chinese text whose bytes these are.  UTF-8 wins when its evidence
 * outweighs GB18030's, so that a damaged line in a UTF-8 export is rejected
 * alone; lines neither explains count for neither. */
static int
utf8_file(const char *data, size_t len)
{
    size_t off = 0, u = 0, g = 0, unsure = 0;
    iconv_t cd;

    if ((cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
        return 1;
    while (off < len) {
        const char *nl = memchr(data + off, '\n', len - off);
        size_t llen = nl ? (size_t)(nl - (data + off)) + 1 : len - off;
        int high = 0, three = 0;

        /* In valid UTF-8, E0..EF can only lead a 3-byte character. */
        for (size_t i = 0; i < llen; i++) {
            unsigned char c = (unsigned char)data[off + i];
            high |= c >= 0x80;
            three |= c >= 0xe0 && c <= 0xef;
        }
        if (high) {
            if (text_utf8_valid(data + off, llen)) {
                if (three || !gb18030_valid(cd, data + off, llen))
                    u++;
                else
                    unsure++;
            } else if (gb18030_valid(cd, data + off, llen)) {
                g++;
            }
        }
        off += llen;
    }
    iconv_close(cd);
    return u > g || (g == 0 && unsure == 0);
}

/* Whether line (len bytes, last says whether it is the file's last, with no
 * LF) holds a CR that is not part of its line end and not inside a quoted
 * field: libcsv would end a record there, in the middle of the line.
 * *quoted carries whether a quoted field is open across lines. */
static int
bare_cr(const char *line, size_t len, int last, int *quoted)
{
    for (size_t i = 0; i < len; i++) {
        if (line[i] == '"')
            *quoted = !*quoted;
        else if (line[i] == '\r' && !*quoted &&
                 !(i + 2 == len && line[i + 1] == '\n') && !(last && i + 1 == len))
            return 1;
    }
    return 0;
}

/* Drops the record being read and starts the parser afresh on the next line. */
static void
restart(struct csv_parser *p, struct reader *r, unsigned char delim)
{
    csv_free(p);
    clear_record(r);
    r->quoted = 0;
    csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv_set_delim(p, delim);
}

/* libcsv's error, said for the clerk. */
static const char *
csv_why(int code)
{
    switch (code) {
    case CSV_EPARSE:
        return _("a double quote in the wrong place (a stray or unbalanced quote)");
    case CSV_ENOMEM:
        return _("out of memory");
    case CSV_ETOOBIG:
        return _("a field too large to read");
    default:
        return _("not readable as CSV");
    }
}

int
textin_csv(const char *path, textin_row_fn *rowfn, textin_bad_fn *bad, void *arg, char *err,
           size_t errlen)
{
    size_t len;
    char *raw = files_read(path, &len);
    int rc;

    if (!raw) {
        snprintf(err, errlen, _("cannot read the file: %s"), strerror(errno));
        return -1;
    }
    rc = textin_csv_mem(path, raw, len, rowfn, bad, arg, err, errlen);
    free(raw);
    return rc;
}

enum textin_kind
textin_kind(const char *raw, size_t len)
{
    if (len >= 4 && memcmp(raw, "PK\x03\x04", 4) == 0)
        return TEXTIN_XLSX;
    if (len >= 8 && memcmp(raw, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
        return TEXTIN_XLS;
    if (len >= 2 && (memcmp(raw, "\xff\xfe", 2) == 0 || memcmp(raw, "\xfe\xff", 2) == 0))
        return TEXTIN_UTF16;
    return TEXTIN_TEXT;
}

static int csv_read(const char *name, const char *raw, size_t len, size_t total, int utf16,
                    textin_row_fn *rowfn, textin_bad_fn *bad, void *arg, char *err,
                    size_t errlen);

/* Excel's "Unicode text" (Unicode 文本): UTF-16 after its BOM, LE (FF FE)
 * or BE (FE FF), fields separated by TABs, quoted as in CSV.  Converted
 * whole to UTF-8, which keeps every line where it was. */
static int
utf16_read(const char *name, const char *raw, size_t len, textin_row_fn *rowfn,
           textin_bad_fn *bad, void *arg, char *err, size_t errlen)
{
    iconv_t cd = iconv_open("UTF-8", raw[0] == '\xff' ? "UTF-16LE" : "UTF-16BE");
    char *out, *in = (char *)raw + 2, *o;
    size_t inleft = len - 2, cap = (len - 2) / 2 * 3 + 4, outleft = cap;
    int rc;

    if (cd == (iconv_t)-1) {
        snprintf(err, errlen, _("cannot convert from UTF-16: %s"), strerror(errno));
        return -1;
    }
    if (!(out = malloc(cap + 1))) {
        iconv_close(cd);
        snprintf(err, errlen, "%s", _("out of memory"));
        return -1;
    }
    o = out;
    if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
        long line = 1;
        for (const char *p = out; p < o; p++)
            line += *p == '\n';
        snprintf(err, errlen, _("a \"Unicode text\" (UTF-16) export with bytes that are not "
                 "UTF-16 at line %ld: re-export the file"), line);
        iconv_close(cd);
        free(out);
        return -1;
    }
    iconv_close(cd);
    rc = csv_read(name, out, (size_t)(o - out), len, 1, rowfn, bad, arg, err, errlen);
    free(out);
    return rc;
}

int
textin_csv_mem(const char *name, const char *raw, size_t len, textin_row_fn *rowfn,
               textin_bad_fn *bad, void *arg, char *err, size_t errlen)
{
    switch (textin_kind(raw, len)) {
    case TEXTIN_XLSX:
    case TEXTIN_XLS:
        snprintf(err, errlen, "%s", _("a spreadsheet workbook, not a CSV file"));
        return -1;
    case TEXTIN_UTF16:
        return utf16_read(name, raw, len, rowfn, bad, arg, err, errlen);
    default:
        return csv_read(name, raw, len, len, 0, rowfn, bad, arg, err, errlen);
    }
}

/* The records of raw[0..len): UTF-8 or GB18030 (decided here), or UTF-8
 * converted from UTF-16 (utf16: TAB-separated when the first line has a
 * TAB).  total is the size of the export, for progress. */
static int
csv_read(const char *name, const char *raw, size_t len, size_t total, int utf16,
         textin_row_fn *rowfn, textin_bad_fn *bad, void *arg, char *err, size_t errlen)
{
    struct csv_parser p;
    struct reader r = { .path = name, .row = rowfn, .bad = bad, .arg = arg };
    size_t off = 0;
    int utf8, rc = -1;
    long lineno = 0;
    iconv_t cd = (iconv_t)-1;
    unsigned char delim = ',';
    char *lf = NULL;

    r.total = total;
    /* Lines that end in CR alone (Excel's "CSV (Macintosh)"): a CR with no
     * LF anywhere ends a line (in GB18030 as in UTF-8, 0x0D is only CR). */
    if (len && !memchr(raw, '\n', len) && memchr(raw, '\r', len)) {
        if (!(lf = malloc(len))) {
            snprintf(err, errlen, "%s", _("out of memory"));
            return -1;
        }
        for (size_t i = 0; i < len; i++)
            lf[i] = raw[i] == '\r' ? '\n' : raw[i];
        raw = lf;
    }
    /* A BOM is UTF-8's own mark: its export is UTF-8, damaged lines and all. */
    if (len >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0)
        off = 3;
    if (utf16) {
        const char *nl = memchr(raw, '\n', len);
        if (memchr(raw, '\t', nl ? (size_t)(nl - raw) : len))
            delim = '\t';
    }
    utf8 = utf16 || off == 3 || len == 0 || utf8_file(raw + off, len - off);
    if (!utf8 && (cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
        snprintf(err, errlen, _("cannot convert from GB18030: %s"), strerror(errno));
        goto out;
    }
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        snprintf(err, errlen, "%s", _("out of memory"));
        goto out;
    }
    csv_set_delim(&p, delim);
    while (off < len && !r.stop) {
        const char *nl = memchr(raw + off, '\n', len - off);
        size_t llen = nl ? (size_t)(nl - (raw + off)) + 1 : len - off;
        const char *line = raw + off;
        char *conv = NULL;
        size_t clen = llen;

        lineno++;
        off += llen;
        r.offset = utf16 ? (size_t)((double)off / (double)len * (double)total) : off;
        if (utf8) {
            /* A UTF-8 export with a damaged line: only that line is lost. */
            if (!text_utf8_valid(line, llen))
                r.undecodable = 1;
        } else {
            char *in = (char *)line, *o;
            size_t inleft = llen, outleft = llen * 2 + 4;
            if ((conv = malloc(outleft + 1))) {
                o = conv;
                iconv(cd, NULL, NULL, NULL, NULL);
                if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
                    r.undecodable = 1;
                    free(conv);
                    conv = NULL;
                } else {
                    line = conv;
                    clen = (size_t)(o - conv);
                }
            }
        }
        if (r.start == 0 && !blank(line, clen))
            r.start = lineno;
        if (r.start == 0 && !r.undecodable) {
            free(conv);
            continue;
        }
        if (r.start == 0)
            r.start = lineno;
        if (bare_cr(line, clen, !nl, &r.quoted)) {
            /* A CR alone is not a line end here: the line is damaged. */
            if (bad)
                bad(arg, r.start, _("a carriage return (CR) inside the line, not before its "
                    "line feed: a damaged line"));
            restart(&p, &r, delim);
        } else if (csv_parse(&p, line, clen, on_field, on_record, &r) != clen) {
            /* Not CSV (a stray or unbalanced quote): report the record, start
             * afresh on the next line. */
            if (bad)
                bad(arg, r.start, csv_why(csv_error(&p)));
            restart(&p, &r, delim);
        }
        free(conv);
    }
    if (!r.stop && csv_fini(&p, on_field, on_record, &r) != 0) {
        if (bad)
            bad(arg, r.start, _("the file ends inside a quoted field (unbalanced quote)"));
        clear_record(&r);
    }
    csv_free(&p);
    rc = 0;
out:
    clear_record(&r);
    free(r.fields);
    free(lf);
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    return rc;
}
