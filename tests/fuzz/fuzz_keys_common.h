/* fuzz_keys_common.h — the test keys the intake and control targets and
 * the seed generator share: fixed seeds, so that the seeds' signatures
 * verify in the targets. */
#ifndef LX_FUZZ_KEYS_COMMON_H
#define LX_FUZZ_KEYS_COMMON_H

#include <sodium.h>
#include <stdint.h>

/* The police unit's Ed25519 key pair (seed "lianxi-fuzz-police..."). */
static inline void
fuzz_unit_keypair(uint8_t pk[32], uint8_t sk[64])
{
    static const uint8_t seed[32] = "lianxi-fuzz-police-signing-key!";
    crypto_sign_seed_keypair(pk, sk, seed);
}

/* The hub's checkpoint key pair. */
static inline void
fuzz_hub_keypair(uint8_t pk[32], uint8_t sk[64])
{
    static const uint8_t seed[32] = "lianxi-fuzz-hub-checkpoint-key!";
    crypto_sign_seed_keypair(pk, sk, seed);
}

#endif
