/* fuzz_intake.c — one message of a unit's adapter, as the hub takes it
 * (intake.c without the sockets): decoded (wire_decode), its version and
 * unit checked, the filing validated (validate_filing), and its signature
 * verified over the canonical encoding (canon.c) — the functions the hub's
 * intake calls, in its order.  The message is sent with the police unit's
 * key (fuzz_keys_common.h: the seeds are signed with it).
 *
 * Beyond what intake does, for each filing decoded: both canonical layouts
 * encode, and a filing signed with the unit's key verifies (with the same
 * hash for the same filing). */
#include "fuzz.h"
#include "fuzz_keys_common.h"

#include "canon.h"
#include "categories.h"
#include "intake.h"
#include "text.h"
#include "wire.h"

static struct key_entry key = { .kind = KEY_UNIT, .has_sign = 1 };
static uint8_t unit_sk[64];
static categories_t *cats;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup("intake");
    if (sodium_init() < 0 ||
        !(cats = categories_load(LX_SRC_DATADIR "/categories.tsv")))
        abort();
    fuzz_unit_keypair(key.sign_pk, unit_sk);
    snprintf(key.name, sizeof key.name, "police");
    snprintf(key.user_id, sizeof key.user_id, "unit:police:fuzz");
    return 0;
}

/* The canonical encodings of f, and the signature of a copy of f. */
static void
canon_properties(const Lianxi__Filing *f)
{
    static uint8_t buf[CANON_MAX];
    uint8_t h1[CANON_HASHLEN], h2[CANON_HASHLEN];
    Lianxi__Filing copy = *f;
    long n1 = canon_encode(f, buf, sizeof buf), n2 = canon_encode_v1(f, buf, sizeof buf);

    /* Version 1 is version 2 without the real-name mark. */
    if (n1 >= 0 && n2 >= 0 && n1 != n2 + 4)
        abort();
    copy.signature.data = NULL;
    copy.signature.len = 0;
    if (canon_sign(&copy, unit_sk) < 0)
        return;
    if (canon_verify_hash(&copy, key.sign_pk, h1) < 0 ||
        canon_verify_hash(&copy, key.sign_pk, h2) < 0 || memcmp(h1, h2, sizeof h1) != 0) {
        fprintf(stderr, "fuzz_intake: a filing signed with the unit's key does not verify\n");
        abort();
    }
    free(copy.signature.data);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct intake_item *it;

    /* The socket refuses more than LX_MAX_MSG, save a margin intake
     * answers too_large. */
    if (size > LX_MAX_MSG + 1024)
        return -1;
    if (!(it = calloc(1, sizeof *it)))
        abort();
    intake_parse(it, &key, data, size, 2, cats, FUZZ_NOW);
    if (it->reply == REPLY_RECEIPT)
        intake_verify(it, 0);
    if (it->reply == REPLY_REJECTION && !text_utf8_valid(it->detail, strlen(it->detail))) {
        fprintf(stderr, "fuzz_intake: a rejection that is not UTF-8: %s\n", it->detail);
        abort();
    }
    if (it->env && it->env->body_case == LIANXI__ENVELOPE__BODY_FILING)
        canon_properties(it->env->filing);
    intake_item_release(it);
    free(it);
    return 0;
}
