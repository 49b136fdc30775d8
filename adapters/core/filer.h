/* filer.h — from a unit's case to its place in the outbox: the checks the
 * hub will make, the filing id, the obligation a report answers, the next
 * revision and the signature; the rejected/ note of each export; and, for
 * check (a dry run, no outbox), what would be filed. */
#ifndef LX_FILER_H
#define LX_FILER_H

#include <stddef.h>
#include <stdint.h>

#include "attachment.h"
#include "categories.h"
#include "lianxi.pb-c.h"
#include "outbox.h"

struct cJSON;

typedef struct filer filer_t;

enum { FILER_QUEUED = 0, FILER_UNCHANGED = 1, FILER_OLDER = 2 };
/* flags of filer_new */
enum { FILER_QUIET = 1, FILER_JSON = 2, FILER_DRY_RUN = 4 };

/* What was filed, over every export ended so far (and the one being read). */
struct filer_counts {
    long queued;            /* new filings and revisions (a dry run: every filing that
                             * passes the checks) */
    long unchanged;         /* the same as the latest revision in the outbox */
    long older;             /* the content of an earlier revision, a later one differing:
                             * an older export again, never filed (see filer_queue) */
    long rejected;          /* rows rejected, and files not read at all */
    long notices, reports;  /* a dry run: filings by stage */
    long real_name;         /* a dry run: filings marked real-name (实名) */
};

/* A filer of unit's filings into outbox, signed with sign_sk, noting bad
 * rows in rejected_dir.  A dry run (check: outbox NULL, or flag
 * FILER_DRY_RUN) queues and writes nothing and counts what would be filed
 * (sign_sk and rejected_dir may then be NULL); with an outbox, only read,
 * it also counts the filings that outbox has already (unchanged, older).
 * cats, outbox and sign_sk are borrowed and must outlive the filer.
 * flags: FILER_QUIET (nothing on stderr but errors), FILER_JSON (the same,
 * for output that is JSON), FILER_DRY_RUN.  Returns NULL when out of
 * memory. */
filer_t *filer_new(const char *unit, const categories_t *cats, outbox_t *outbox,
                   const uint8_t *sign_sk, const char *rejected_dir, int flags);
void filer_destroy(filer_t **self_p);

/* Starts reading one export: one outbox transaction for all of it.
 * Returns 0, or -1 when the outbox cannot be written. */
int filer_begin(filer_t *self);
/* Ends the export begun by filer_begin.  When every filing of it reached
 * the outbox, commits them and writes the rejected/ note of path (removes
 * an old one when no row was rejected or older; path NULL: no note);
 * otherwise rolls the whole export back, so that nothing of it is queued
 * or counted.
 * Returns 0, or -1 when nothing of the export was queued (then
 * outbox_error tells why). */
int filer_end(filer_t *self, const char *path);

/* Checks f as the hub will (except the signature), derives its filing id
 * from its case reference and stage, and queues it (filer_queue); in a dry
 * run, counts it.  A filing that fails the checks is noted as a rejected
 * row of path at line; one older than a revision already filed is noted
 * as such (and not queued).  Returns 0 when queued, unchanged or older, 1
 * when rejected, -1 on an outbox error (the export is then rolled back at
 * filer_end). */
int filer_file(filer_t *self, Lianxi__Filing *f, const char *path, long line);

/* Where the documents of the filings are copied (the adapter's store,
 * attstore.h; ignored in a dry run, which only checks them) and the
 * limits they are checked against (NULL: the defaults).  Returns 0, or -1
 * when out of memory. */
int filer_set_attachments(filer_t *self, const char *dir, const struct att_limits *lim);
/* The documents named by list (names separated by ';' or '；', each of a
 * file in the folder of path) checked and copied into the store, set as
 * f's attachments (valid until the next call).  Returns 0 (f->attachments
 * set, none when the list is empty), 1 when one of them is refused (the
 * row is noted as rejected: field, line, the reason in the clerk's
 * words), or -1 when out of memory. */
int filer_attach(filer_t *self, Lianxi__Filing *f, const char *path, long line, const char *field,
                 const char *list);
/* The files srcs[0..nsrcs) given by path (a filing's, or an opinion's:
 * reply --attach) checked (type, size, readable, the list as the hub
 * checks it) and copied into the store: the list into *list and *count
 * (valid until the next call).  Returns 0, or 1 with the reason for the
 * clerk in why (nothing to note: the caller says it). */
int filer_take_files(filer_t *self, const char *const *srcs, size_t nsrcs,
                     Lianxi__Attachment *const **list, size_t *count, char *why, size_t whylen);
/* The same for the files srcs[0..n) given by path, set as f's
 * attachments; a refusal is noted as filer_attach's. */
int filer_attach_files(filer_t *self, Lianxi__Filing *f, const char *path, long line,
                       const char *field, const char *const *srcs, size_t n);
/* Records a bad row of path in the note: the line, the field, the reason.
 * Everything the filer writes (the note, a dry run's rejections, stderr) is
 * valid UTF-8: bytes that are not (a file name, text cut by a caller's
 * buffer) are mended with text_utf8_fix. */
void filer_reject_row(filer_t *self, const char *path, long line, const char *field,
                      const char *why);
/* Records that path could not be read at all. */
void filer_reject_file(filer_t *self, const char *path, const char *why);
/* Adds text to the rejected/ note of the export being read (mended into
 * valid UTF-8 as above). */
void filer_note(filer_t *self, const char *text);
/* Progress of the export being read (done of total, any unit). */
void filer_progress(filer_t *self, size_t done, size_t total);
void filer_progress_done(filer_t *self);

const struct filer_counts *filer_counts(const filer_t *self);

/* One row of the export being read, as the printable receipt lists it
 * (not kept in a dry run). */
struct filer_row {
    long line;
    int refused;            /* 1: refused by the checks or the reader */
    int outcome;            /* filed: FILER_QUEUED, FILER_UNCHANGED or FILER_OLDER */
    char *case_ref, *name;  /* as the export has them (NULL when the reader refused it) */
    char *filing_id;        /* filed: its filing id and revision */
    uint32_t revision;
    char *field, *why;      /* refused: what and why */
};
/* Hands over the rows of the export last ended (filer_end) to the caller,
 * to free with filer_rows_free. */
void filer_take_rows(filer_t *self, struct filer_row **rows, size_t *n);
void filer_rows_free(struct filer_row *rows, size_t n);
/* What a dry run found: unit, rows, filings, notices, reports, real_name,
 * rejected, unchanged and older (of the filings, those the outbox has already; 0
 * without one), categories (filings by category), digest (of the filings'
 * content) and rejections (file, line, field, reason).  The caller owns the object;
 * NULL when out of memory or not a dry run.  Call once, after the last
 * export. */
struct cJSON *filer_summary(filer_t *self);

/* Queues f (unit, filing_id, stage and content set) in ob.  When the
 * latest revision under f->filing_id has the same content, nothing is
 * queued and FILER_UNCHANGED returned.  When an earlier revision has it
 * (an older export filed again after a newer one), nothing is queued
 * either, so that the case does not go back: f->revision is set to the
 * latest revision and FILER_OLDER returned.  Otherwise f gets the next
 * revision, queued_at = now and a signature by sk (malloc'd into
 * f->signature, the caller frees); a report that names no obligation
 * answers the one its notice opened (in what is queued and signed; f's
 * answers is left as it was); FILER_QUEUED is returned.  Returns -1 on an
 * outbox error or when f is too large to encode. */
int filer_queue(outbox_t *ob, Lianxi__Filing *f, const uint8_t sk[64], int64_t now);

/* The content of a filing apart from revision, queue time and signature
 * (BLAKE2b-256 of its canonical encoding): what tells a changed case from
 * the same one exported again.  A filing that is not real-name is keyed
 * by its version-1 encoding, as before protocol 2, so that the outboxes in
 * the field still know their filings.  Returns 0, or -1 when too large. */
int filer_content_key(const Lianxi__Filing *f, uint8_t out[32]);

/* The filing id of one cadre (id_number) in one case at one stage. */
void filer_filing_id(const char *unit, const char *case_ref, int stage, const char *id_number,
                     char *out, size_t len);

#endif
