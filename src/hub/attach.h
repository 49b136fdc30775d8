/* attach.h — the hub's attachments: their bytes, stored content-addressed
 * beside the database (DIR/ab/<64 hex digits>, DIR by default the
 * database's directory's `attachments/`), once per hash, never inside the
 * database; and the tables that say what is stored and what carries it.
 * Owns the tables attachments (one row per hash stored whole, checked and
 * synced), filing_attachments (which filing row carries which, in its
 * order), opinion_attachments (the same for an opinion on a joint review:
 * a row of opinions) and attachment_uploads (what a unit declared in a filing it sent
 * and so may send: the only bytes the hub takes from a unit).
 *
 * An upload is written to DIR/partial/<unit>.<hex> at the offset the hub holds
 * (nothing else is taken, so a restart of either side resumes where the
 * bytes on disk end), then checked whole: its BLAKE2b-256 against the hash
 * signed, its first bytes against the media type; synced, renamed into
 * place, the directory synced, and only then recorded. */
#ifndef LX_ATTACH_H
#define LX_ATTACH_H

#include <stddef.h>
#include <stdint.h>

#include "attachment.h"
#include "conf.h"
#include "lianxi.pb-c.h"
#include "store.h"

typedef struct attach attach_t;

/* Opens the store in dir (created 0700 when missing, with partial/).
 * db is the connection rows are written with (the hub's writer) or read
 * with; NULL opens the files only (attach_read, attach_path).  Returns NULL
 * after logging. */
attach_t *attach_open(store_t *db, const char *dir);
void attach_close(attach_t **self_p);
/* The store's directory for a database at dbpath when the configuration
 * names none: the database's directory's attachments/. */
void attach_default_dir(const char *dbpath, char *out, size_t len);
const char *attach_dir(const attach_t *self);
/* The store's directory a hub's configuration names ([attachments] dir,
 * relative to the configuration's directory), else attach_default_dir of
 * the database at dbpath.  Returns 0, or -1 after logging. */
int attach_conf_dir(const conf_t *conf, const char *dbpath, char *out, size_t len);
/* Calls fn for every attachment stored whole (the table attachments, by
 * hash), read on db (any connection, a read-only one too): its hash, size
 * and media type.  fn returns 0 to go on, -1 to stop.  Returns how many fn
 * was called for, or -1 (a database error, or fn stopped it). */
typedef int (attach_each_fn)(void *arg, const uint8_t hash[ATT_HASHLEN], uint64_t size,
                             const char *media);
long attach_each(store_t *db, attach_each_fn *fn, void *arg);

/* Whether the bytes of hash are stored whole (recorded in attachments and
 * the file present): 1, 0, or -1 on a database error. */
int attach_have(attach_t *self, const uint8_t hash[ATT_HASHLEN]);
/* The media type the bytes of hash were recorded with (into media, len
 * bytes): 1, 0 when not recorded, or -1 on a database error. */
int attach_stored_type(attach_t *self, const uint8_t hash[ATT_HASHLEN], char *media, size_t len);
/* The file of a stored attachment (whether or not it exists). */
void attach_path(const attach_t *self, const uint8_t hash[ATT_HASHLEN], char *out, size_t len);

/* The name operators' uploads (circulars' documents, control.c) are kept
 * under in place of a unit's: no unit is called so. */
#define ATTACH_OPERATORS "operators"

/* How many bytes of unit's upload of hash are held (0 when none).  Each
 * unit's upload of a hash is its own (DIR/partial/<unit>.<hex>). */
uint64_t attach_partial(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN]);
/* Takes len bytes at offset of unit's upload of size bytes: written only
 * when offset is what is held and the end is within size.  Returns the
 * bytes held after (the offset to ask for next), or -1 after logging an
 * I/O error. */
int64_t attach_write(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN],
                     uint64_t size, uint64_t offset, const void *data, size_t len);

enum attach_result {
    ATTACH_OK = 0,
    ATTACH_MISMATCH,        /* the bytes do not hash to hash: deleted */
    ATTACH_CONTENT,         /* they do not begin as media says: deleted */
    ATTACH_SHORT,           /* fewer bytes held than size: go on sending */
    ATTACH_IO,              /* could not read, sync or rename: try again later */
};
/* Completes unit's upload held whole (size bytes): checks, syncs, moves it
 * into place and records it (its own transaction unless one is open).  A
 * hash already stored is ATTACH_OK at once. */
enum attach_result attach_finish(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN],
                                 uint64_t size, const char *media, int64_t now);
/* Whether a filing (or an opinion) of unit stored carries hash (the unit has shown it holds
 * those bytes): 1, 0, or -1.  The bytes stored are the hub's, once per
 * hash; a unit that has not shown it holds them sends them too (checked
 * with attach_prove, then dropped): knowing a hash is not having the
 * document, and whoever files it may fetch it back. */
int attach_possessed(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN]);
/* Whether unit's upload of hash was held when the store was opened, and
 * not asked again since: 1 once (then 0).  A restart may follow a power cut
 * that lost bytes written before it (uploads are synced when whole), so
 * such an upload that does not hash to its hash is asked again from its
 * first byte rather than refused; one written since is the unit's. */
int attach_resumed_once(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN]);
/* Checks unit's upload of a hash stored already: ATTACH_OK when its bytes
 * hash to it (kept until attach_drop), ATTACH_SHORT, ATTACH_MISMATCH
 * (deleted), ATTACH_IO. */
enum attach_result attach_prove(attach_t *self, const char *unit,
                                const uint8_t hash[ATT_HASHLEN], uint64_t size);
/* Deletes unit's upload of hash (proved, its filing stored). */
void attach_drop(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN]);
/* Stores bytes the hub made (a briefing to send): hashed, written, synced,
 * recorded.  Returns 0 with the hash in hash, or -1 after logging. */
int attach_put(attach_t *self, const void *data, size_t len, const char *media, int64_t now,
               uint8_t hash[ATT_HASHLEN]);
/* Stores a file's bytes, read in pieces (a document an operator gave by
 * path on the hub's machine).  As attach_put. */
int attach_put_file(attach_t *self, const char *path, const char *media, int64_t now,
                    uint8_t hash[ATT_HASHLEN], uint64_t *size);
/* Reads up to len bytes at offset of a stored attachment.  Returns the
 * bytes read (0 at its end), or -1 (not stored, or an I/O error). */
long attach_read(const attach_t *self, const uint8_t hash[ATT_HASHLEN], uint64_t offset,
                 void *buf, size_t len);

/* Uploads a unit may make: what its filings (or opinions) named.  declare
 * records that unit's filing_id/revision waits for a (sent again: renewed
 * at now); idempotent. */
int attach_declare(attach_t *self, const char *unit, const char *filing_id, uint32_t revision,
                   const Lianxi__Attachment *a, int64_t now);
/* The bytes of the uploads unit declared that the hub does not hold whole
 * (each hash once): what it may still send; and how many declarations
 * (rows) it has.  Returns 0, or -1. */
int attach_pending(attach_t *self, const char *unit, uint64_t *bytes, long *rows);
/* Whether unit's filing_id/revision declared hash: 1, 0, -1. */
int attach_declared_by(attach_t *self, const char *unit, const char *filing_id,
                       uint32_t revision, const uint8_t hash[ATT_HASHLEN]);
/* Forgets the declarations no filing sent again renewed within max_age
 * seconds of now, and deletes the bytes of uploads no unit declares any
 * more (and a put's leftover file older than max_age): a unit that never
 * finishes an upload does not keep its bytes.  Returns how many were
 * forgotten or deleted, or -1 after logging. */
long attach_sweep(attach_t *self, int64_t now, int64_t max_age);
/* Whether unit declared hash: 1 with its size and media type, 0, -1. */
int attach_declared(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN],
                    uint64_t *size, char *media, size_t media_len);
/* The filings of unit waiting for hash (each with the attachment's name),
 * then forgets them: after a mismatch, each is refused. */
typedef void (attach_waiting_fn)(void *arg, const char *filing_id, uint32_t revision,
                                 const char *name);
int attach_forget(attach_t *self, const char *unit, const uint8_t hash[ATT_HASHLEN],
                  attach_waiting_fn *fn, void *arg);
/* Forgets unit's declarations for filing_id/revision (stored or refused). */
int attach_settled(attach_t *self, const char *unit, const char *filing_id, uint32_t revision);

/* Records that filing row `filing` carries a[0..n) (inside the intake's
 * transaction, after the filing's row is written). */
int attach_record_filing(attach_t *self, int64_t filing, Lianxi__Attachment *const *a, size_t n);
/* The same for opinion row `opinion` (jointreview stores it). */
int attach_record_opinion(attach_t *self, int64_t opinion, Lianxi__Attachment *const *a,
                          size_t n);

/* A filing's attachment as recorded. */
struct attach_ref {
    int seq;                        /* 1, 2, ... in the filing's order */
    char name[ATT_NAME_MAX + 1];
    char media[96];
    uint64_t size;
    uint8_t hash[ATT_HASHLEN];
};
/* The attachments of filing row `filing`, read on db (any connection):
 * returns how many (at most max) into out, or -1. */
int attach_of_filing(store_t *db, int64_t filing, struct attach_ref *out, int max);
/* The same of opinion row `opinion`. */
int attach_of_opinion(store_t *db, int64_t opinion, struct attach_ref *out, int max);

#endif
