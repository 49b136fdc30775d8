/* archive.h — `lianxi-hub archive`: one year's filings with their
 * receipts, reviews, meetings, joint reviews and opinions, obligations and
 * messages to units, the hub's runs and the audit trail's entries and
 * checkpoints, in a signed, self-verifying zip (format: archfmt.h), chained
 * to the archive written before it.  Owner of the archives table: each
 * archive the hub wrote (year, file, manifest hash, previous hash).
 *
 * It runs beside the hub, like `overdue`: the year is read in one read
 * transaction on a read-only connection; the archive's row is then
 * recorded in one short write transaction (store_open_aside), after the
 * file is written and before it takes its name.  The archive is not an
 * entry of the audit trail: a second process appending to it would fork
 * the chain whose head the running hub holds.  Nothing is deleted. */
#ifndef LX_ARCHIVE_H
#define LX_ARCHIVE_H

/* `lianxi-hub -c HUB.CONF archive --year Y [-o FILE]`: argv[0] is
 * "archive".  Returns an exit code (sysexits). */
int archive_main(const char *hub_conf, int argc, char **argv);

#endif
