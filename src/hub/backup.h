/* backup.h — `lianxi-hub backup` and `lianxi-hub restore`: a signed copy of
 * the hub's database taken while the hub runs, and a restore that keeps
 * the database it replaces, never hands out a number twice and says in the
 * audit trail that the hub went back in time.
 *
 * A backup is a zip of three entries and the attachments:
 *   lianxi-hub.db   the database, one consistent state (SQLite's backup
 *                   API), one file without a WAL, integrity-checked;
 *   MANIFEST        text, one "key=value" per line after the first line
 *                   "lianxi-backup 1": when, the database's identity and
 *                   schema, its audit trail's head, its filings, the
 *                   numbers it handed out, the hub's signing key, and the
 *                   database entry's size and BLAKE2b-256, and the
 *                   attachments' count and bytes (attachments=,
 *                   attachments_bytes=; attachments_missing= when some
 *                   the database records could not be read);
 *   MANIFEST.sig    the Ed25519 signature by the hub's signing key over
 *                   MANIFEST's bytes, in hex;
 *   attachments/ab/<64 hex digits>
 *                   every attachment the database records as stored, by
 *                   its BLAKE2b-256 (the name is its check), as in the
 *                   hub's store (attach.h).
 * Restore refuses a backup whose signature does not verify against this
 * hub's key, or whose database does not match the manifest. */
#ifndef LX_BACKUP_H
#define LX_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#define BACKUP_MAGIC "lianxi-backup 1"
#define BACKUP_DB_ENTRY "lianxi-hub.db"
#define BACKUP_ATT_PREFIX "attachments/"
/* The file the last backup is named in, in the hub's run directory:
 * "at=UNIX\nfile=PATH\nbytes=N\n" (lianxi-hub status reads it). */
#define BACKUP_LAST_FILE "backup.last"
/* When the database a restore replaces cannot be read, the numbers it had
 * handed out are unknown: every counter then jumps this far above the
 * backup's (and the units' reports raise it further when they connect). */
#define RESTORE_GAP 1000

/* The commands; argv[0] is the command's name.  Return an exit code. */
int backup_main(const char *conf_path, int argc, char **argv);
int restore_main(const char *conf_path, int argc, char **argv);


#endif
