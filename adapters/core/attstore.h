/* attstore.h — the adapter's own copies of the documents its filings carry
 * (proto: Attachment), beside its outbox: DIR/<64 hex digits>, one file
 * per content, written, synced and renamed into place when the filing is
 * queued, so that the bytes sent are the bytes signed even when the
 * export's folder changes afterwards.  The sender reads them in pieces. */
#ifndef LX_ATTSTORE_H
#define LX_ATTSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "attachment.h"

/* The store's directory for an outbox at outbox_path: its directory's
 * attachments/. */
void attstore_dir(const char *outbox_path, char *out, size_t len);
/* The copy of hash in dir. */
void attstore_path(const char *dir, const uint8_t hash[ATT_HASHLEN], char *out, size_t len);

/* What attstore_take found of one file. */
struct attstore_file {
    char name[ATT_NAME_MAX + 1];    /* its name, as the filing carries it */
    const char *media;              /* its media type (static) */
    uint64_t size;
    uint8_t hash[ATT_HASHLEN];
};

/* Checks the file at src against lim (a regular file, readable, a name an
 * attachment may carry, a type taken by its extension and beginning as
 * that type does, 1..max_each bytes) and, when dir is not NULL, copies it
 * into dir under its hash (synced; nothing is copied twice).  Returns 0
 * with out filled, or -1 with a sentence for the clerk in why (the
 * current language). */
int attstore_take(const char *dir, const char *src, const struct att_limits *lim,
                  struct attstore_file *out, char *why, size_t whylen);

/* Reads up to len bytes at offset of hash's copy in dir (never the whole
 * file).  Returns the bytes read, or -1 with errno set. */
long attstore_read(const char *dir, const uint8_t hash[ATT_HASHLEN], uint64_t offset,
                   void *buf, size_t len);

#endif
