/* keys.h — key files (CZMQ zcert format) and the hub's key directory.
 *
 * Every identity has a CURVE transport key pair in zcert files
 * (NAME.cert public, NAME.cert_secret secret, 0600).  A unit also has an
 * Ed25519 signing key: its public half travels in the cert's metadata
 * (sign-public-key), its secret half stays in NAME.sign_secret (0600).
 * The hub authorizes exactly the *.cert files in its key directory. */
#ifndef LX_KEYS_H
#define LX_KEYS_H

#include <stddef.h>
#include <stdint.h>

/* KEY_CONSOLE: lianxi-console's key.  It has no rights of its own: the hub
 * takes its requests only on behalf of an operator (OpRequest.on_behalf_of). */
enum key_kind { KEY_HUB = 1, KEY_UNIT = 2, KEY_OPERATOR = 3, KEY_CONSOLE = 4 };

/* "sha256:" and 64 lowercase hex digits, and its NUL. */
#define KEYS_BROWSER_FP_LEN 72

struct key_entry {
    uint8_t curve_pk[32];
    int kind;
    char name[64];          /* unit code or operator name */
    char role[64];          /* operators: supervisor, convener, auditor, member:<unit> */
    uint8_t sign_pk[32];
    int has_sign;
    /* Operators: the SHA-256 of their browser (TLS client) certificate, as
     * on_behalf_of names it, or "" when they have none. */
    char browser_fp[KEYS_BROWSER_FP_LEN];
    char user_id[128];      /* the ZMQ User-Id given to its sessions */
    char file[512];
};

typedef struct keydir keydir_t;

/* Loads every *.cert in dir.  A file that cannot be used is logged and
 * left out (fail closed).  One key, one file: a CURVE public key in two or
 * more files, or a signing key in the certs of two different units, is
 * refused for every file that has it (logged, naming the files and what
 * each claims) until only one is left; the rest of the directory is
 * loaded.  Two certs of one unit with different keys are both authorized
 * (a key being replaced), unless their keys have the same fingerprint (the
 * first 8 bytes, in the ZMQ User-Id): then both are refused, as the hub
 * could not tell their sessions apart.  Returns NULL, after logging, only when dir
 * cannot be read or memory runs out. */
keydir_t *keydir_load(const char *dir);
void keydir_destroy(keydir_t **self_p);
/* The authorized entry with this CURVE key or ZMQ User-Id, or NULL (also
 * for a refused key).  Valid until the directory is destroyed. */
const struct key_entry *keydir_by_curve(const keydir_t *self, const uint8_t pk[32]);
const struct key_entry *keydir_by_user(const keydir_t *self, const char *user_id);
/* The authorized operator whose cert records this browser certificate
 * fingerprint ("sha256:<hex>"), or NULL. */
const struct key_entry *keydir_by_browser(const keydir_t *self, const char *fp);
/* Why pk was refused although files in the directory name it ("the same
 * public key is in a.cert (unit police) and b.cert (unit court)"), or NULL
 * when it was not.  Valid until the directory is destroyed. */
const char *keydir_refused(const keydir_t *self, const uint8_t pk[32]);
/* The authorized entries, in file name order. */
size_t keydir_count(const keydir_t *self);
const struct key_entry *keydir_at(const keydir_t *self, size_t i);

/* 1 when role is supervisor, convener, auditor or member:<unit code>. */
int keys_role_valid(const char *role);
/* 1 when fp is "sha256:" and 64 lowercase hex digits. */
int keys_browser_fp_valid(const char *fp);
/* Records a browser certificate's fingerprint in the public cert at
 * cert_path (metadata browser-cert), replacing one recorded before.
 * Returns 0, or -1 after logging. */
int keys_set_browser_fp(const char *cert_path, const char *fp);

/* Makes a new identity in dir as BASE.cert and BASE.cert_secret (and
 * BASE.sign_secret for a unit; name is the console's for KEY_CONSOLE).  Refuses to overwrite.  Returns 0, or -1
 * after logging why. */
int keys_generate(const char *dir, const char *base, int kind, const char *name,
                  const char *role);

struct identity {
    uint8_t curve_pk[32];
    uint8_t curve_sk[32];
    uint8_t sign_sk[64];
    int has_sign;
    char name[64];
};

/* Loads a secret cert (and, when sign_path is not NULL, a signing secret),
 * refusing files others can read.  Returns 0, or -1 after logging. */
int keys_load_identity(const char *cert_secret_path, const char *sign_path,
                       struct identity *out);
/* Loads the public key of a cert file.  Returns 0, or -1 after logging. */
int keys_load_public(const char *cert_path, uint8_t pk[32]);
/* Loads the Ed25519 signing key a public cert carries (the hub's signs its
 * audit checkpoints).  Returns 0, or -1 after logging. */
int keys_load_sign_public(const char *cert_path, uint8_t pk[32]);

/* The fingerprint two people compare on the phone (keygen, unit-setup and
 * init --hub-only print it, keys list shows it):
 *
 *   h = BLAKE2b-512("lianxi-fingerprint-v1" || curve_pk || sign_pk)
 *
 * (libsodium's crypto_generichash, no key; the 21 ASCII bytes of the
 * label without a NUL, then the 32-byte CURVE public key, then the 32-byte
 * Ed25519 signing public key when the identity has one: hubs and units;
 * operators and consoles have none and hash the label and curve_pk only).
 * Group i (0..6) is the big-endian 40-bit integer of h[5i..5i+4] modulo
 * 100000, written as five decimal digits; the seven groups are separated
 * by single spaces ("12345 67890 12345 67890 12345 67890 12345"): 35 digits,
 * 7 x log2(100000) = 116 bits, so making another key with the same
 * fingerprint (a second preimage) takes about 2^116 tries; the bias of
 * the modulo (2^40 is not a multiple of 100000) is below 10^-7 per group. */
#define KEYS_FP_GROUPS 7
#define KEYS_FP_LEN (KEYS_FP_GROUPS * 6)        /* 35 digits, 6 spaces, NUL */
void keys_fingerprint(const uint8_t curve_pk[32], const uint8_t *sign_pk,
                      char out[KEYS_FP_LEN]);
/* The fingerprint of an entry of the key directory (or of keys_read_cert). */
void keys_entry_fingerprint(const struct key_entry *e, char out[KEYS_FP_LEN]);

/* Reads the cert file at path, public or secret, without logging: its
 * CURVE public key, kind (KEY_HUB when it names a hub, KEY_UNIT, KEY_OPERATOR,
 * KEY_CONSOLE; 0 when it names none or more than one), name, role and
 * signing public key (has_sign), and in *has_secret whether it holds a
 * secret key.  Returns 0, or -1 when the file cannot be read or is not a
 * zcert file. */
int keys_read_cert(const char *path, struct key_entry *out, int *has_secret);

#endif
