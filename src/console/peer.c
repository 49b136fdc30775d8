/* peer.c — the client certificate of a TLS session, verified, as a
 * fingerprint. */
#include "peer.h"
#include "text.h"

#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <string.h>

int
peer_identify(gnutls_session_t session, char fp[KEYS_BROWSER_FP_LEN], char *why, size_t whylen)
{
    /* The certificate must be one for a TLS client, not the console's own
     * server certificate (signed by the same CA) presented back. */
    gnutls_typed_vdata_st purpose = { GNUTLS_DT_KEY_PURPOSE_OID,
                                      (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0 };
    const gnutls_datum_t *certs;
    unsigned int status = 0, n = 0;
    uint8_t sum[32];
    gnutls_datum_t text;
    int rc;

    if (!session) {
        snprintf(why, whylen, "not a TLS session");
        return -1;
    }
    certs = gnutls_certificate_get_peers(session, &n);
    if (!certs || n == 0) {
        snprintf(why, whylen, "no client certificate");
        return -1;
    }
    rc = gnutls_certificate_verify_peers(session, &purpose, 1, &status);
    if (rc < 0) {
        snprintf(why, whylen, "client certificate not verified: %s", gnutls_strerror(rc));
        return -1;
    }
    if (status != 0) {
        if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) == 0) {
            size_t len = strlen((char *)text.data);
            while (len > 0 && text.data[len - 1] == ' ')
                len--;
            snprintf(why, whylen, "client certificate refused: %.*s", (int)len, text.data);
            gnutls_free(text.data);
        } else {
            snprintf(why, whylen, "client certificate refused (status %#x)", status);
        }
        return -1;
    }
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, certs[0].data, certs[0].size, sum) < 0) {
        snprintf(why, whylen, "cannot hash the client certificate");
        return -1;
    }
    snprintf(fp, KEYS_BROWSER_FP_LEN, "sha256:");
    text_hex(fp + 7, sum, sizeof sum);
    return 0;
}
