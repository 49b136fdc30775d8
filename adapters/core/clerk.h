/* clerk.h — what the unit's clerk reads: the hub's refusals in the
 * clerk's language and the printable receipt (回执单) of an export
 * (written for Windows readers: winfile.h). */
#ifndef LX_CLERK_H
#define LX_CLERK_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

#include "filer.h"
#include "lianxi.pb-c.h"
#include "outbox.h"

/* The sentence of a refusal by the hub in the clerk's language: its reason
 * (key) with its values (args: each ended by OUTBOX_ARG_SEP, or NULL) when
 * this adapter knows the key, else the hub's own sentence (detail).  One
 * line of valid UTF-8 in out whatever the hub sent. */
void clerk_reason(const char *reason, const char *args, const char *detail, char *out,
                  size_t len);
/* The same for a Rejection as it arrives. */
void clerk_rejection(const Lianxi__Rejection *x, char *out, size_t len);

/* What a clerk does about a row refused for field (a reject code's short
 * name, or a column of the export): a sentence in the clerk's language. */
const char *clerk_fix(const char *field);

/* The name of field (a reject code's short name, "(file)", "(row)", or a
 * column of the export, returned as it is) in the clerk's language. */
const char *clerk_field_name(const char *field);

/* The documents the filing_id's revision (0: its latest) carries, as
 * "name (type), ..." for the clerk (valid UTF-8, escaped) into out.
 * Returns how many (0 when none or the outbox does not hold it). */
int clerk_attachment_names(outbox_t *ob, const char *filing_id, uint32_t revision, char *out,
                           size_t len);
/* One line of a document's transfer to the hub for the clerk: its name,
 * how much the hub holds of it, its size. */
void clerk_transfer_line(const char *name, uint64_t done, uint64_t size, char *out, size_t len);

/* Writes the printable receipt (回执单) of one export into dir: "BASE
 * 回执单.html" (A4, self-contained) and "BASE 回执单.txt" (UTF-8 with BOM,
 * CRLF), numbered as winfile_unique_name when taken.  file is the export's
 * name as the clerk gave it, unit the unit's code, rows what the filer
 * recorded of it (filer_take_rows); what became of each filing is read
 * from ob.  The name of the HTML file goes into html_out when not NULL.
 * Returns 0, or -1 after logging. */
int clerk_receipt_write(outbox_t *ob, const char *unit, const char *dir, const char *base,
                        const char *file, const struct filer_row *rows, size_t n,
                        int64_t read_at, char *html_out, size_t html_len);

/* Escapes s (NULL is "") for HTML text and attributes into f: & < > " '. */
void clerk_html(FILE *f, const char *s);

#endif
