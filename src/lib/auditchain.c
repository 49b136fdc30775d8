/* auditchain.c — the audit trail's hash chain (see auditchain.h). */
#include "auditchain.h"
#include "i18n.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void
put_u64(crypto_generichash_state *st, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
    crypto_generichash_update(st, b, 8);
}

static void
put_str(crypto_generichash_state *st, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_u64(st, n);
    if (n)
        crypto_generichash_update(st, (const uint8_t *)s, n);
}

void
auditchain_hash(const uint8_t prev[AUDITCHAIN_HASHLEN], uint64_t seq, int64_t at,
                const char *actor, const char *action, const char *object, const char *detail,
                uint8_t out[AUDITCHAIN_HASHLEN])
{
    crypto_generichash_state st;

    crypto_generichash_init(&st, (const uint8_t *)"lianxi-audit-v1", 15, AUDITCHAIN_HASHLEN);
    crypto_generichash_update(&st, prev, AUDITCHAIN_HASHLEN);
    put_u64(&st, seq);
    put_u64(&st, (uint64_t)at);
    put_str(&st, actor);
    put_str(&st, action);
    put_str(&st, object);
    put_str(&st, detail);
    crypto_generichash_final(&st, out, AUDITCHAIN_HASHLEN);
}

int
auditchain_step(struct auditchain *c, const struct auditchain_entry *e, char *why,
                size_t whylen)
{
    uint8_t hash[AUDITCHAIN_HASHLEN];

    if (c->started && e->seq != c->last_seq + 1) {
        snprintf(why, whylen, _("audit entry %llu follows entry %llu: entries between are "
                 "missing"), (unsigned long long)e->seq, (unsigned long long)c->last_seq);
        return -1;
    }
    if (c->started && memcmp(e->prev, c->head, AUDITCHAIN_HASHLEN) != 0) {
        snprintf(why, whylen, _("audit entry %llu does not name the hash of the entry before "
                 "it: the chain is broken there"), (unsigned long long)e->seq);
        return -1;
    }
    auditchain_hash(e->prev, e->seq, e->at, e->actor, e->action, e->object, e->detail, hash);
    if (memcmp(hash, e->hash, AUDITCHAIN_HASHLEN) != 0) {
        snprintf(why, whylen, _("audit entry %llu does not match its hash: it was changed "
                 "after it was written"), (unsigned long long)e->seq);
        return -1;
    }
    if (!c->started) {
        c->started = 1;
        c->first_seq = e->seq;
        memcpy(c->first_prev, e->prev, AUDITCHAIN_HASHLEN);
    }
    c->last_seq = e->seq;
    memcpy(c->head, hash, AUDITCHAIN_HASHLEN);
    c->count++;
    return 0;
}
