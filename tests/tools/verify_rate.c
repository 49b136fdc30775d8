/* lianxi-verify-rate — single-core Ed25519 verification rate over filings
 * of a given size, the reference figure for `make bench`. */
#include "canon.h"
#include "idnum.h"
#include "clock.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 2.0;
    int size = argc > 2 ? atoi(argv[2]) : 1500;
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre c = LIANXI__CADRE__INIT;
    uint8_t pk[32], sk[64];
    char idno[19] = "44162319800101001", *summary;
    long n = 0;
    int64_t start, now;

    if (sodium_init() < 0 || size < 16 || !(summary = malloc((size_t)size + 1)))
        return 1;
    idno[17] = idnum_check_char(idno);
    memset(summary, 'a', (size_t)size);
    summary[size] = '\0';
    c.name = "测试";
    c.id_number = idno;
    c.work_unit = "县教育局";
    c.post = "股长";
    f.cadre = &c;
    f.unit = "police";
    f.filing_id = "bench";
    f.revision = 1;
    f.category = "police.gambling";
    f.learned_on = "2026-11-20";
    f.summary = summary;
    f.case_ref = "bench";
    crypto_sign_keypair(pk, sk);
    canon_sign(&f, sk);
    start = clock_now_us();
    do {
        for (int i = 0; i < 200; i++)
            if (canon_verify(&f, pk) == 0)
                n++;
        now = clock_now_us();
    } while (now - start < (int64_t)(secs * 1e6));
    printf("verify_rate=%.0f\n", n / ((now - start) / 1e6));
    free(f.signature.data);
    free(summary);
    return 0;
}
