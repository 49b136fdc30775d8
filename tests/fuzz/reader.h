/* reader.h — a unit's export reader under libFuzzer.  A target includes
 * this, then its unit's adapters/<unit>/main.c with main renamed unit_main:
 *
 *     #include "reader.h"
 *     #define main unit_main
 *     #include "../../adapters/police/main.c"
 *
 * unit_main hands the unit's adapter_format to adapter_main, which is the
 * stub below: the target then calls the format's own read function, the
 * one the adapter calls, on a file in the temp directory.  The calls a
 * reader makes back (adapter_file, adapter_reject_row, ...) are stubs that
 * check each filing as the hub will and write what the reader said into a
 * transcript: the records, in order, with their lines — what two readings
 * of the same export must agree on (fuzz_encoding.c).  No outbox, no
 * signing, nothing written but the input file. */
#ifndef LX_FUZZ_READER_H
#define LX_FUZZ_READER_H

#include "fuzz.h"

#include <stdarg.h>
#include <sodium.h>

#include "adapter.h"
#include "canon.h"
#include "categories.h"
#include "text.h"
#include "validate.h"

/* Exports over this are not read: a reader reads whole files, and small
 * inputs keep the fuzzer fast. */
#define READER_MAX_INPUT (256 * 1024)

int unit_main(int argc, char **argv);

/* What a reading said, as text: one line per record. */
struct transcript {
    char *buf;
    size_t len, cap;
};

struct adapter {
    const struct adapter_format *fmt;
    categories_t *cats;
    struct transcript t;
};

static struct adapter fuzz_adapter;

static void __attribute__((format(printf, 2, 3)))
say(struct transcript *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!t->buf && !(t->buf = calloc(1, t->cap = 256)))
        abort();
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0)
            abort();
        if ((size_t)n < t->cap - t->len)
            break;
        t->cap = (t->cap + (size_t)n + 1) * 2;
        if (!(t->buf = realloc(t->buf, t->cap)))
            abort();
    }
    t->len += (size_t)n;
}

int
adapter_main(int argc, char **argv, const struct adapter_format *fmt)
{
    (void)argc;
    (void)argv;
    fuzz_adapter.fmt = fmt;
    return 0;
}

const categories_t *
adapter_categories(const adapter_t *a)
{
    return a->cats;
}

/* The documents a row names (the 附件 column): no file is opened while
 * fuzzing; the list is noted, and a row naming any is rejected as one
 * whose files are not beside it. */
int
adapter_attach(adapter_t *a, Lianxi__Filing *f, const char *path, long line,
               const char *field, const char *list)
{
    (void)f;
    (void)path;
    if (!list || !*list)
        return 0;
    say(&a->t, "attach %ld %s %zu\n", line, field ? field : "", strlen(list));
    return 1;
}

/* A filing: checked as the hub will, and its canonical encoding hashed. */
int
adapter_file(adapter_t *a, Lianxi__Filing *f, const char *path, long line)
{
    static uint8_t buf[CANON_MAX];
    uint8_t h[16];
    char detail[512], hex[33];
    Lianxi__RejectCode code;
    long n;

    (void)path;
    if (line < 1) {
        fprintf(stderr, "fuzz reader: a filing without its line (%ld)\n", line);
        abort();
    }
    code = validate_filing(a->cats, a->fmt->unit, f, FUZZ_NOW, detail, sizeof detail);
    n = canon_encode(f, buf, sizeof buf);
    if (n >= 0) {
        crypto_generichash(h, sizeof h, buf, (size_t)n, NULL, 0);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    } else {
        snprintf(hex, sizeof hex, "too-large");
    }
    say(&a->t, "filing line %ld: %s %s %s\n", line, hex, validate_code_name(code),
        code == LIANXI__REJECT_CODE__REJECT_NONE ? "" : detail);
    return code == LIANXI__REJECT_CODE__REJECT_NONE ? 0 : 1;
}

void
adapter_reject_row(adapter_t *a, const char *path, long line, const char *field,
                   const char *fmt, ...)
{
    va_list ap;
    char *why;

    (void)path;
    va_start(ap, fmt);
    if (vasprintf(&why, fmt, ap) < 0)
        abort();
    va_end(ap);
    /* What a reader says goes into rejected/ notes and check --json: text
     * (what it echoes of the export was decoded to UTF-8 first). */
    if (!text_utf8_valid(why, strlen(why)) || !text_utf8_valid(field, strlen(field))) {
        fprintf(stderr, "fuzz reader: a rejection that is not UTF-8 (line %ld)\n", line);
        abort();
    }
    /* A clerk finds the row by its line. */
    if (line < 1) {
        fprintf(stderr, "fuzz reader: a rejected row without its line (%ld): %s\n", line, why);
        abort();
    }
    say(&a->t, "rejected line %ld, %s: %s\n", line, field, why);
    free(why);
}

void
adapter_reject_file(adapter_t *a, const char *path, const char *why)
{
    (void)path;
    say(&a->t, "rejected file: %s\n", why);
}

void
adapter_note(adapter_t *a, const char *fmt, ...)
{
    va_list ap;
    char *text;

    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    va_end(ap);
    if (text)
        say(&a->t, "note: %s", text);
    free(text);
}

void
adapter_progress(adapter_t *a, size_t done, size_t total)
{
    (void)a;
    (void)done;
    (void)total;
}

void
adapter_progress_done(adapter_t *a)
{
    (void)a;
}

/* Once: the unit's format (through its own main) and the registry. */
static void
reader_init(const char *tag)
{
    char *argv[] = { (char *)"fuzz", NULL };

    fuzz_setup(tag);
    fuzz_adapter.t.cap = 4096;
    if (!(fuzz_adapter.t.buf = malloc(fuzz_adapter.t.cap)) || sodium_init() < 0)
        abort();
    unit_main(1, argv);
    if (!fuzz_adapter.fmt ||
        !(fuzz_adapter.cats = categories_load(LX_SRC_DATADIR "/categories.tsv"))) {
        fprintf(stderr, "fuzz: no format or no categories (%s)\n",
                LX_SRC_DATADIR "/categories.tsv");
        abort();
    }
}

/* Reads size bytes of data as an export named name with the unit's own
 * read function; the transcript is what it said (valid until the next
 * call).  Returns the read function's result. */
static int
reader_run(const char *name, const uint8_t *data, size_t size, const struct transcript **out)
{
    char path[512];
    int rc;

    fuzz_write(name, data, size, path, sizeof path);
    fuzz_adapter.t.len = 0;
    say(&fuzz_adapter.t, "%s", "");
    rc = fuzz_adapter.fmt->read(&fuzz_adapter, path, fuzz_adapter.fmt->data);
    say(&fuzz_adapter.t, "read: %d\n", rc);
    if (out)
        *out = &fuzz_adapter.t;
    return rc;
}

#endif
