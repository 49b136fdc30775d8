/* fuzz_keys.c — key files (keys.c: zcert files read by cert_load, signing
 * secrets).  The input is two files, split at the first line "%%": the
 * first is written as a.cert and a.cert_secret, the second as b.cert and
 * b.sign_secret (0600).  Then the key directory holding a.cert and b.cert
 * is loaded as the hub loads it, a.cert's public key is loaded, and the
 * identity a.cert_secret + b.sign_secret is loaded as a program loads its
 * own. */
#include "fuzz.h"

#include <czmq.h>
#include <sodium.h>

#include "keys.h"

static char keydir_path[300];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup("keys");
    /* CZMQ logs each file its config reader refuses: quiet, as our log. */
    if (!getenv("FUZZ_VERBOSE"))
        zsys_set_logstream(NULL);
    snprintf(keydir_path, sizeof keydir_path, "%s/keys", fuzz_dir);
    if (mkdir(keydir_path, 0700) < 0 || sodium_init() < 0)
        abort();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sep = NULL, *b = data + size;
    char path[512], secret[512], sign[512];
    size_t alen = size, blen = 0;
    struct identity id;
    uint8_t pk[32];
    keydir_t *kd;

    if (size > 16 * 1024)
        return -1;
    for (size_t i = 0; i + 3 <= size; i++)
        if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, "%%\n", 3) == 0) {
            sep = data + i;
            break;
        }
    if (sep) {
        alen = (size_t)(sep - data);
        b = sep + 3;
        blen = size - alen - 3;
    }
    fuzz_write("keys/a.cert", data, alen, path, sizeof path);
    fuzz_write("keys/b.cert", b, blen, path, sizeof path);
    if ((kd = keydir_load(keydir_path))) {
        for (size_t i = 0; i < keydir_count(kd); i++) {
            const struct key_entry *e = keydir_at(kd, i);
            if (keydir_by_curve(kd, e->curve_pk) != e || keydir_by_user(kd, e->user_id) != e) {
                fprintf(stderr, "fuzz_keys: an authorized key not found again\n");
                abort();
            }
        }
        keydir_destroy(&kd);
    }
    keys_load_public(path, pk);
    fuzz_write("a.cert_secret", data, alen, secret, sizeof secret);
    fuzz_write("b.sign_secret", b, blen, sign, sizeof sign);
    keys_load_identity(secret, sign, &id);
    sodium_memzero(&id, sizeof id);
    return 0;
}
