/* tlscert.h — the console's X.509 certificates (GnuTLS): its CA, its TLS
 * server certificate, and the operators' browser certificates as PKCS#12.
 *
 * Every key is ECDSA P-256 (what browsers, Windows and WPS accept), every
 * signature SHA-256.  No function overwrites a file unless told to; secret
 * files are written 0600 through files_write_atomic; key material in memory
 * is wiped before it is freed. */
#ifndef LX_TLSCERT_H
#define LX_TLSCERT_H

#include <stddef.h>

/* "sha256:" and 64 lowercase hex digits, and its NUL (KEYS_BROWSER_FP_LEN). */
#define TLSCERT_FP_LEN 72
/* An import passphrase: four groups of four, "7KQM-3FXA-…", and its NUL. */
#define TLSCERT_PASS_LEN 20

/* tlscert_make_client: replace NAME.p12, NAME.p12.pass and NAME.crt when they
 * exist (a renewal); without it they are never overwritten. */
#define TLSCERT_REPLACE 1

/* Makes the console CA in dir (created 0700 when missing): ca.crt (PEM,
 * 0644) and ca.key (PEM PKCS#8, 0600).  Self-signed, CA:TRUE, keyUsage
 * keyCertSign|cRLSign, valid 10 years, subject
 * "CN=干部监督联席会议控制台CA,O=县委组织部".  Refuses when either file
 * exists.  Returns 0, or -1 after logging (nothing is left half-made: ca.key
 * is written only after ca.crt could be, and removed if ca.crt fails). */
int tlscert_make_ca(const char *dir);

/* Makes the console's TLS server certificate, signed by the CA in ca_dir
 * (ca.crt, ca.key), in dir: tls.crt (PEM: the certificate, then the CA's)
 * and tls.key (PEM PKCS#8, 0600).  hosts are the names it is valid for: IP
 * addresses (v4 or v6) and DNS names; with nhosts 0, 127.0.0.1 and
 * localhost.  keyUsage digitalSignature, extKeyUsage serverAuth, 2 years.
 * Refuses when either file exists.  Returns 0, or -1 after logging. */
int tlscert_make_server(const char *ca_dir, const char *dir, const char *const *hosts,
                        size_t nhosts);

/* Makes an operator's browser certificate, signed by the CA in ca_dir:
 * subject CN=name, O=role (UTF-8), extKeyUsage clientAuth, 2 years.  Writes
 * in dir NAME.p12 (key, certificate and the CA's, PBES2 AES-256 with a
 * SHA-256 MAC, 0600), NAME.p12.pass (the random import passphrase and a
 * newline, 0600) and NAME.crt (PEM, 0644).  fp_out gets the SHA-256 of the
 * certificate's DER as "sha256:<64 lowercase hex>" — what the console reads
 * from the TLS session and the hub looks up; pass_out, when not NULL, gets
 * the passphrase.  Refuses when any of the three files exists, unless flags
 * has TLSCERT_REPLACE.  Returns 0, or -1 after logging (fp_out and pass_out
 * are then empty). */
int tlscert_make_client(const char *ca_dir, const char *dir, const char *name,
                        const char *role, int flags, char fp_out[TLSCERT_FP_LEN],
                        char pass_out[TLSCERT_PASS_LEN]);

/* The SHA-256 fingerprint ("sha256:<hex>") of the first certificate in the
 * PEM file at path.  Returns 0, or -1 after logging. */
int tlscert_fingerprint(const char *path, char fp_out[TLSCERT_FP_LEN]);

#endif
