/* archfmt.h — the hub's yearly archives: their format, shared by the hub
 * (`lianxi-hub archive`, which writes one) and the operators' command
 * (`lianxi archive-verify`, which checks one on any machine, without the
 * hub).
 *
 * An archive is a zip holding data files (JSON Lines, UTF-8: one table's
 * rows of the year per file, each row an object by column name, blobs as
 * lowercase hex), `manifest.json` and `manifest.sig`.  The manifest lists
 * every data file with its size, its BLAKE2b-256 hash (unkeyed, hex) and
 * its rows, and holds the format ("lianxi-archive-2"), the year, the
 * county, created_at, the database's identity, the hub's Ed25519 signing
 * key (hex), the rows per table, the audit entries' range (first and last
 * seq, the hash the first one names before it, the last one's hash) and
 * prev: the hash of the manifest of the archive the hub wrote before this
 * one ("" for the first), which chains the archives.  An archive's own hash
 * is the BLAKE2b-256 of its manifest.json's exact bytes.  manifest.sig is
 * the 64-byte Ed25519 signature over those bytes (raw), by the hub's key. */
#ifndef LX_ARCHFMT_H
#define LX_ARCHFMT_H

#include <stddef.h>
#include <stdint.h>

/* Format 2 adds the attachments: filing_attachments.jsonl among the data
 * files, each document of the year's filings as attachments/ab/<hash>
 * (stored as it is), listed in the manifest's "attachments" (name, size,
 * blake2b: the name's hash) with "attachments_bytes".  archive-verify
 * takes 1 and 2.  To bump: a new constant, verify taking the old ones. */
#define ARCHFMT_FORMAT "lianxi-archive-2"
#define ARCHFMT_FORMAT_1 "lianxi-archive-1"
#define ARCHFMT_ATT_PREFIX "attachments/"
#define ARCHFMT_FILING_ATT "filing_attachments.jsonl"
#define ARCHFMT_MANIFEST "manifest.json"
#define ARCHFMT_SIG "manifest.sig"
#define ARCHFMT_AUDIT "audit_log.jsonl"
#define ARCHFMT_CHECKPOINTS "audit_checkpoints.jsonl"
/* A hash in hex, and its NUL. */
#define ARCHFMT_HEXLEN 65

/* The BLAKE2b-256 of data in lowercase hex. */
void archfmt_hash(const void *data, size_t len, char out[ARCHFMT_HEXLEN]);

/* One finding of a verification: ok or not, the archive's file it is about
 * ("" for the archive as a whole) and a line for people. */
struct archfmt_finding {
    int ok;
    char file[128];
    char text[512];
};

struct archfmt_result {
    int year;
    char manifest_hash[ARCHFMT_HEXLEN];
    char prev_hash[ARCHFMT_HEXLEN];
    char key[ARCHFMT_HEXLEN];       /* the signing key the manifest names */
    int pinned;                     /* the key was checked against a hub cert */
    uint64_t audit_entries;
    size_t nfindings, bad;
    struct archfmt_finding *findings;
};

/* Checks the archive at path: every file's size and hash against the
 * manifest, no file missing or extra, the rows of each file, the
 * manifest's signature (against pin when not NULL, else against the key
 * the manifest names), the audit entries' hash chain and the signed
 * checkpoints inside, and, when prev_path is not NULL, that the archive
 * names that archive's manifest hash as its prev.  Fills r (free with
 * archfmt_result_free).  Returns 0 when all is well, 65 (EX_DATAERR) when
 * anything does not match, 66 (EX_NOINPUT) when the archive (or the
 * previous one) cannot be read at all. */
int archfmt_verify(const char *path, const uint8_t *pin, const char *prev_path,
                   struct archfmt_result *r);
void archfmt_result_free(struct archfmt_result *r);

#endif
