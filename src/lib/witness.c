/* witness.c — signed audit checkpoints kept outside the hub. */
#include "witness.h"
#include "files.h"
#include "log.h"
#include "text.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
witness_message(uint64_t seq, const uint8_t head[WITNESS_HASHLEN], uint8_t out[40])
{
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(seq >> (56 - 8 * i));
    memcpy(out + 8, head, WITNESS_HASHLEN);
}

int
witness_verify(const struct witness *w, const uint8_t pk[32])
{
    uint8_t msg[40];

    if (w->seq == 0)
        return -1;
    witness_message(w->seq, w->head, msg);
    return crypto_sign_verify_detached(w->sig, msg, sizeof msg, pk) == 0 ? 0 : -1;
}

int
witness_from_wire(const Lianxi__Checkpoint *c, struct witness *w)
{
    memset(w, 0, sizeof *w);
    if (!c || c->seq == 0 || c->head.len != WITNESS_HASHLEN ||
        c->signature.len != WITNESS_SIGLEN)
        return -1;
    w->seq = c->seq;
    memcpy(w->head, c->head.data, WITNESS_HASHLEN);
    memcpy(w->sig, c->signature.data, WITNESS_SIGLEN);
    w->at = c->at;
    return 0;
}

void
witness_to_wire(const struct witness *w, Lianxi__Checkpoint *c)
{
    lianxi__checkpoint__init(c);
    c->seq = w->seq;
    c->head.data = (uint8_t *)w->head;
    c->head.len = WITNESS_HASHLEN;
    c->signature.data = (uint8_t *)w->sig;
    c->signature.len = WITNESS_SIGLEN;
    c->at = w->at;
}

void
witness_format(const struct witness *w, char out[WITNESS_TEXT])
{
    char head[2 * WITNESS_HASHLEN + 1], sig[2 * WITNESS_SIGLEN + 1];

    text_hex(head, w->head, WITNESS_HASHLEN);
    text_hex(sig, w->sig, WITNESS_SIGLEN);
    snprintf(out, WITNESS_TEXT, "%" PRIu64 ":%s:%s", w->seq, head, sig);
}

void
witness_format_at(const struct witness *w, char out[WITNESS_TEXT])
{
    char base[WITNESS_TEXT];

    witness_format(w, base);
    if (w->at > 0)
        snprintf(out, WITNESS_TEXT, "%.220s:%lld", base, (long long)w->at);
    else
        snprintf(out, WITNESS_TEXT, "%s", base);
}

int
witness_parse(const char *text, struct witness *w)
{
    char head[2 * WITNESS_HASHLEN + 2], sig[2 * WITNESS_SIGLEN + 2], *end;
    const char *c1, *c2;
    unsigned long long seq;
    long long at = 0;

    memset(w, 0, sizeof *w);
    if (!text || !(c1 = strchr(text, ':')) || !(c2 = strchr(c1 + 1, ':')))
        return -1;
    errno = 0;
    seq = strtoull(text, &end, 10);
    if (end != c1 || errno || seq == 0 || text[0] < '0' || text[0] > '9')
        return -1;
    if ((size_t)(c2 - c1 - 1) != 2 * WITNESS_HASHLEN || strlen(c2 + 1) < 2 * WITNESS_SIGLEN)
        return -1;
    /* An optional ":AT" after the signature (witness_format_at). */
    if (strlen(c2 + 1) != 2 * WITNESS_SIGLEN) {
        const char *a = c2 + 1 + 2 * WITNESS_SIGLEN;
        if (a[0] != ':' || a[1] < '0' || a[1] > '9')
            return -1;
        errno = 0;
        at = strtoll(a + 1, &end, 10);
        if (*end || errno || at <= 0)
            return -1;
    }
    memcpy(head, c1 + 1, 2 * WITNESS_HASHLEN);
    head[2 * WITNESS_HASHLEN] = '\0';
    memcpy(sig, c2 + 1, 2 * WITNESS_SIGLEN);
    sig[2 * WITNESS_SIGLEN] = '\0';
    if (text_unhex(w->head, WITNESS_HASHLEN, head) < 0 ||
        text_unhex(w->sig, WITNESS_SIGLEN, sig) < 0) {
        memset(w, 0, sizeof *w);
        return -1;
    }
    w->seq = seq;
    w->at = at;
    return 0;
}

enum witness_cmp
witness_compare(const struct witness *held, const struct witness *now)
{
    if (held->seq == 0 || now->seq > held->seq)
        return WITNESS_NEWER;
    if (now->seq < held->seq)
        return WITNESS_SHORTER;
    return sodium_memcmp(held->head, now->head, WITNESS_HASHLEN) == 0 ? WITNESS_SAME
                                                                     : WITNESS_DIFFERS;
}

int
witness_load(const char *path, struct witness *w)
{
    char *s = files_read(path, NULL), *sp;
    long long at = 0;

    memset(w, 0, sizeof *w);
    if (!s) {
        if (errno == ENOENT)
            return 0;
        log_warn("audit witness %s", path);
        return -1;
    }
    s[strcspn(s, "\r\n")] = '\0';
    if ((sp = strchr(s, ' '))) {
        *sp = '\0';
        at = strtoll(sp + 1, NULL, 10);
    }
    if (witness_parse(s, w) < 0) {
        log_warnx("audit witness %s: not a checkpoint the hub signed (SEQ:HEAD:SIGNATURE); "
                  "move it aside to start keeping a new one", path);
        free(s);
        return -1;
    }
    w->at = at;
    free(s);
    return 0;
}

int
witness_save(const char *path, const struct witness *w)
{
    char text[WITNESS_TEXT], line[WITNESS_TEXT + 32];
    int n;

    witness_format(w, text);
    n = snprintf(line, sizeof line, "%s %lld\n", text, (long long)w->at);
    if (files_write_atomic(path, line, (size_t)n, 0600) < 0) {
        log_warn("audit witness %s", path);
        return -1;
    }
    return 0;
}

static uint8_t *
put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        *p++ = (uint8_t)(v >> (56 - 8 * i));
    return p;
}

void
witness_restore_message(const struct restore_proof *r, uint8_t out[WITNESS_RESTORE_MSG])
{
    uint8_t *p = out;

    memcpy(p, WITNESS_RESTORE_TAG, sizeof WITNESS_RESTORE_TAG - 1);
    p += sizeof WITNESS_RESTORE_TAG - 1;
    p = put_be64(p, r->from);
    memcpy(p, r->from_head, WITNESS_HASHLEN);
    p += WITNESS_HASHLEN;
    p = put_be64(p, r->before);
    memcpy(p, r->before_head, WITNESS_HASHLEN);
    p += WITNESS_HASHLEN;
    put_be64(p, (uint64_t)r->at);
}

void
witness_restore_sign(struct restore_proof *r, const uint8_t sk[64])
{
    uint8_t msg[WITNESS_RESTORE_MSG];

    witness_restore_message(r, msg);
    crypto_sign_detached(r->sig, NULL, msg, sizeof msg, sk);
}

int
witness_restore_verify(const struct restore_proof *r, const uint8_t pk[32])
{
    uint8_t msg[WITNESS_RESTORE_MSG];

    witness_restore_message(r, msg);
    return crypto_sign_verify_detached(r->sig, msg, sizeof msg, pk) == 0 ? 0 : -1;
}

int
witness_restore_explains(const struct restore_proof *r, const struct witness *w)
{
    if (w->seq <= r->from || (r->before != 0 && w->seq > r->before))
        return 0;
    /* The replaced trail's own head, or a checkpoint its holder kept
     * before the restore (when it was signed is what the holder noted:
     * without it, a checkpoint of the new trail could pass for one). */
    if (r->before != 0 && w->seq == r->before &&
        memcmp(w->head, r->before_head, WITNESS_HASHLEN) == 0)
        return 1;
    return w->at > 0 && w->at <= r->at;
}

int
witness_restore_from_wire(const Lianxi__RestoreProof *p, struct restore_proof *r)
{
    memset(r, 0, sizeof *r);
    if (!p || p->from_head.len != WITNESS_HASHLEN || p->signature.len != WITNESS_SIGLEN ||
        (p->before_head.len != WITNESS_HASHLEN && p->before_head.len != 0))
        return -1;
    r->entry = p->entry;
    r->from = p->from_seq;
    memcpy(r->from_head, p->from_head.data, WITNESS_HASHLEN);
    r->before = p->before_seq;
    if (p->before_head.len)
        memcpy(r->before_head, p->before_head.data, WITNESS_HASHLEN);
    r->at = p->at;
    memcpy(r->sig, p->signature.data, WITNESS_SIGLEN);
    return 0;
}

void
witness_restore_to_wire(const struct restore_proof *r, Lianxi__RestoreProof *p)
{
    lianxi__restore_proof__init(p);
    p->entry = r->entry;
    p->from_seq = r->from;
    p->from_head.data = (uint8_t *)r->from_head;
    p->from_head.len = WITNESS_HASHLEN;
    p->before_seq = r->before;
    p->before_head.data = (uint8_t *)r->before_head;
    p->before_head.len = WITNESS_HASHLEN;
    p->at = r->at;
    p->signature.data = (uint8_t *)r->sig;
    p->signature.len = WITNESS_SIGLEN;
}
