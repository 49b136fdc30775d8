/* attfetch.c — `lianxi -c OPERATOR.CONF attachment RECEIPT N -o FILE`: a
 * filing's attachment fetched piece by piece (the hub answers at most 1 MiB
 * a request), written to FILE.part, its BLAKE2b-256 checked against the
 * hash the hub recorded, then renamed to FILE (mode 0600); `-o -` writes to
 * standard output.  Never more than one piece in memory. */
#include "attfetch.h"
#include "attachment.h"
#include "clock.h"
#include "files.h"
#include "i18n.h"
#include "opclient.h"
#include "text.h"
#include "wire.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>
#include <zmq.h>

#define PIECE_TIMEOUT_MS 60000
/* Smaller files are there before a bar helps. */
#define BAR_MIN_BYTES (4u << 20)

/* s (from the hub: the unit's name of a file) as one printable line. */
static const char *
shown(char *buf, size_t len, const char *s)
{
    text_escape(buf, len, s ? s : "", s ? strlen(s) : 0);
    return buf;
}

/* The bar on a terminal: [=====     ]  45%  12.3 of 27.0 MB. */
struct bar {
    int on, pct;
};

static void
bar_show(struct bar *b, uint64_t done, uint64_t size)
{
    int pct = size ? (int)(done * 100 / size) : 100;
    char line[41];
    int fill = pct * 40 / 100;

    if (!b->on || pct == b->pct)
        return;
    b->pct = pct;
    memset(line, '=', (size_t)fill);
    memset(line + fill, ' ', (size_t)(40 - fill));
    line[40] = '\0';
    fprintf(stderr, "\r[%s] %3d%%  ", line, pct);
    fprintf(stderr, _("%.1f of %.1f MB"), done / 1e6, size / 1e6);
}

static void
bar_done(struct bar *b)
{
    if (b->on)
        fprintf(stderr, "\r%78s\r", "");
    b->on = 0;
}

/* Writes len bytes to fd whole.  Returns 0, or -1 with errno set. */
static int
write_all(int fd, const uint8_t *p, size_t len)
{
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int
attfetch_code(const Lianxi__OpReply *r)
{
    return r->error_kind == LIANXI__OP_ERROR__OP_ERROR_USAGE ? EX_USAGE
           : r->error_kind == LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE ? EX_TEMPFAIL
           : r->error_kind == LIANXI__OP_ERROR__OP_ERROR_DATA ? EX_DATAERR
           : EX_NOPERM;     /* permission, and "no such filing" alike */
}

/* One piece from offset: the reply envelope (free with wire_free) or NULL
 * with *code set (and said why). */
static Lianxi__Envelope *
piece(const opclient_t *client, void *zctx, const char *receipt, const char *n, uint64_t offset,
      int *code)
{
    Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
    Lianxi__OpRequest__ParamsEntry e[3], *ep[3];
    Lianxi__Envelope *env = NULL;
    char off[24], err[PATH_MAX + 256];
    const char *keys[3] = { "receipt", "n", "offset" }, *vals[3] = { receipt, n, off };

    snprintf(off, sizeof off, "%" PRIu64, offset);
    for (int i = 0; i < 3; i++) {
        lianxi__op_request__params_entry__init(&e[i]);
        e[i].key = (char *)keys[i];
        e[i].value = (char *)vals[i];
        ep[i] = &e[i];
    }
    req.command = "attachment";
    req.n_params = 3;
    req.params = ep;
    switch (opclient_ask(client, zctx, &req, PIECE_TIMEOUT_MS, &env, err, sizeof err)) {
    case OPCLIENT_OK:
        if (env->body_case != LIANXI__ENVELOPE__BODY_OP_REPLY) {
            wire_free(env);
            fprintf(stderr, "%s", _("lianxi: the hub's answer is not what this client "
                                    "understands\n"));
            *code = EX_PROTOCOL;
            return NULL;
        }
        return env;
    case OPCLIENT_NO_ENDPOINT:
    case OPCLIENT_UNREACHABLE: *code = EX_UNAVAILABLE; break;
    case OPCLIENT_TIMEOUT: *code = EX_TEMPFAIL; break;
    case OPCLIENT_REFUSED:
        snprintf(err, sizeof err, _("the hub refused this operator's key: ask the organization "
                 "department to put your .cert in the hub's key directory"));
        *code = EX_NOPERM;
        break;
    case OPCLIENT_CONNECT: *code = EX_CONFIG; break;
    default: *code = EX_OSERR; break;
    }
    fprintf(stderr, "lianxi: %s\n", err);
    return NULL;
}

int
attfetch_main(const conf_t *conf, const char *receipt, const char *n, const char *out)
{
    int to_stdout = strcmp(out, "-") == 0, fd = -1, code = EX_SOFTWARE;
    char part[PATH_MAX + 8], dir[PATH_MAX], name[4 * ATT_NAME_MAX + 1], hex[ATT_HEXLEN + 1];
    uint8_t want[ATT_HASHLEN], got[ATT_HASHLEN];
    uint64_t size = 0, offset = 0, held = 0;
    crypto_generichash_state hs;
    struct bar bar = { 0, -1 };
    opclient_t *client = NULL;
    char media[96] = "";
    void *zctx = NULL;
    int64_t t0 = clock_mono_ms();

    part[0] = '\0';
    if (to_stdout && isatty(STDOUT_FILENO)) {
        fprintf(stderr, "%s", _("lianxi: -o - writes the attachment's bytes to standard output, "
                                "which is a terminal here: redirect it to a file or a program\n"));
        return EX_USAGE;
    }
    if (!(client = opclient_new(conf, "operator")))
        return EX_CONFIG;
    if (!(zctx = zmq_ctx_new())) {
        opclient_destroy(&client);
        return EX_OSERR;
    }
    if (to_stdout) {
        fd = STDOUT_FILENO;
    } else {
        snprintf(part, sizeof part, "%s.part", out);
        if ((fd = open(part, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
            fchmod(fd, 0600) < 0) {
            fprintf(stderr, "lianxi: %s: %s\n", part, strerror(errno));
            code = EX_CANTCREAT;
            part[0] = '\0';     /* not ours to remove */
            goto out;
        }
    }
    crypto_generichash_init(&hs, NULL, 0, ATT_HASHLEN);
    for (;;) {
        Lianxi__Envelope *env = piece(client, zctx, receipt, n, offset, &code);
        const Lianxi__OpReply *r;
        const Lianxi__Attachment *a;

        if (!env)
            goto out;
        r = env->op_reply;
        if (!r->ok) {
            char why[4 * 1024];
            fprintf(stderr, "lianxi: %s\n", shown(why, sizeof why, r->error));
            code = attfetch_code(r);
            wire_free(env);
            goto out;
        }
        a = r->attachment;
        /* The same attachment each time, and never more than it holds. */
        if (!a || a->hash.len != ATT_HASHLEN || (offset && (a->size != size ||
            memcmp(a->hash.data, want, ATT_HASHLEN) != 0)) ||
            r->document.len > a->size - (offset < a->size ? offset : a->size) ||
            (r->document.len == 0 && offset < a->size)) {
            fprintf(stderr, "%s", _("lianxi: the hub's answer to attachment is not what this "
                                    "client understands (is it of another release?)\n"));
            code = EX_PROTOCOL;
            wire_free(env);
            goto out;
        }
        if (offset == 0) {
            size = a->size;
            memcpy(want, a->hash.data, ATT_HASHLEN);
            shown(name, sizeof name, a->name);
            shown(media, sizeof media, a->media_type);
            bar.on = isatty(STDERR_FILENO) && size >= BAR_MIN_BYTES;
        }
        if (write_all(fd, r->document.data, r->document.len) < 0) {
            fprintf(stderr, "lianxi: %s: %s\n", to_stdout ? _("standard output") : part,
                    strerror(errno));
            code = EX_IOERR;
            wire_free(env);
            goto out;
        }
        crypto_generichash_update(&hs, r->document.data, r->document.len);
        offset += r->document.len;
        wire_free(env);
        bar_show(&bar, offset, size);
        if (offset == size)
            break;
    }
    bar_done(&bar);
    crypto_generichash_final(&hs, got, ATT_HASHLEN);
    held = offset;
    if (!to_stdout) {
        /* What is on the disk, read back: the hash of what was written. */
        if (fsync(fd) < 0 || att_hash_fd(fd, got, &held) < 0) {
            fprintf(stderr, "lianxi: %s: %s\n", part, strerror(errno));
            code = EX_IOERR;
            goto out;
        }
    }
    att_hex(want, hex);
    if (held != size || sodium_memcmp(got, want, ATT_HASHLEN) != 0) {
        fprintf(stderr, _("lianxi: the attachment received does not match the hash the hub "
                          "recorded (BLAKE2b-256 %s): nothing was kept; try again\n"), hex);
        code = EX_DATAERR;
        goto out;
    }
    if (!to_stdout) {
        if (close(fd) < 0 || rename(part, out) < 0) {
            fd = -1;
            fprintf(stderr, "lianxi: %s: %s\n", out, strerror(errno));
            code = EX_CANTCREAT;
            goto out;
        }
        fd = -1;
        part[0] = '\0';
        files_dirname(dir, sizeof dir, out);
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    /* Where the bytes went, and what they are, on standard error when the
     * bytes themselves go to standard output. */
    fprintf(to_stdout ? stderr : stdout,
            _("attachment %s of %s: %s (%s, %llu bytes) written to %s in %.1f s; "
              "BLAKE2b-256 %s checked\n"), n, receipt, name, att_type_label(media),
            (unsigned long long)size,
            to_stdout ? _("standard output") : out, (clock_mono_ms() - t0) / 1000.0, hex);
    code = EX_OK;
out:
    bar_done(&bar);
    if (fd >= 0 && !to_stdout)
        close(fd);
    if (part[0])
        unlink(part);
    if (zctx)
        zmq_ctx_term(zctx);
    opclient_destroy(&client);
    return code;
}
