/* adapter.h — the adapter program the nine units share.  A unit's adapter
 * is a format (how to read its export) handed to adapter_main; the format
 * reads with the calls below (record.h has the shared checks and
 * mappings). */
#ifndef LX_ADAPTER_H
#define LX_ADAPTER_H

#include <stddef.h>

#include "categories.h"
#include "lianxi.pb-c.h"

typedef struct adapter adapter_t;

struct adapter_format {
    const char *unit;       /* unit code, e.g. "police" */
    /* Reads one export file: calls adapter_file for each filing and
     * adapter_reject_row for each bad row.  Returns 0, or -1 when the file
     * cannot be read at all (after adapter_reject_file) or adapter_file
     * returned -1. */
    int (*read)(adapter_t *a, const char *path, const void *data);
    const void *data;       /* handed to read: the format's description */
};

/* The whole program: options, config, commands submit/watch/send/answer/
 * check/status.  Returns the exit status (sysexits). */
int adapter_main(int argc, char **argv, const struct adapter_format *fmt);

/* The main() of a unit's adapter: its unit code, read function and format. */
#define ADAPTER_MAIN(unit_code, read_fn, format)                              \
    int main(int argc, char **argv)                                          \
    {                                                                         \
        static const struct adapter_format fmt = { unit_code, read_fn, format }; \
        return adapter_main(argc, argv, &fmt);                                \
    }

/* What a unit's read function calls for the export it reads (see filer.h,
 * which does the work). */

/* Checks f as the hub will (except the signature), derives its filing id
 * from its case reference and stage, and queues it in the outbox (a new
 * revision when the case changed, nothing when it did not, nor when it is
 * what an earlier revision said: an older export).  A filing that fails
 * the checks, or is older, is written to rejected/ with file and line.
 * Returns 0 when queued, unchanged or older, 1 when rejected, -1 on an
 * outbox error (stop reading: nothing of the export is queued). */
int adapter_file(adapter_t *a, Lianxi__Filing *f, const char *path, long line);

/* Sets f's attachments to the documents list names (files beside the
 * export at path, separated by ';' or '；'), checked against the
 * adapter's [attachments] limits and copied into its store beside the
 * outbox.  Returns 0, or 1 when the row is rejected (noted under field). */
int adapter_attach(adapter_t *a, Lianxi__Filing *f, const char *path, long line,
                   const char *field, const char *list);
/* Records a bad row of path in rejected/: the line, the field, the reason. */
void adapter_reject_row(adapter_t *a, const char *path, long line, const char *field,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Records that path could not be read at all; the file is moved to rejected/. */
void adapter_reject_file(adapter_t *a, const char *path, const char *why);
/* Adds a line to the rejected/ note of the file being read. */
void adapter_note(adapter_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Progress of the file being read (done of total, any unit): a bar on a
 * terminal, a plain line every 10 % otherwise; quiet for small files. */
void adapter_progress(adapter_t *a, size_t done, size_t total);
void adapter_progress_done(adapter_t *a);

const categories_t *adapter_categories(const adapter_t *a);

#endif
