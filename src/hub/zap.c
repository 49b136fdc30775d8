/* zap.c — ZeroMQ authentication protocol (RFC 27) against the key directory. */
#include "zap.h"
#include "i18n.h"
#include "log.h"

#include <czmq.h>
#include <string.h>
#include <zmq.h>

void *
zap_bind(void *ctx)
{
    void *s = zmq_socket(ctx, ZMQ_REP);
    int linger = 0;

    if (!s)
        return NULL;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_bind(s, "inproc://zeromq.zap.01") < 0) {
        log_warnx("cannot bind the ZAP handler: %s", zmq_strerror(zmq_errno()));
        zmq_close(s);
        return NULL;
    }
    return s;
}

#define ZAP_FRAMES 7

int
zap_handle(void *zap, const keydir_t *keys)
{
    zmq_msg_t part[ZAP_FRAMES + 1];
    int nparts = 0, more = 1, allowed = 0, rc = -1;
    const struct key_entry *e = NULL;
    const char *status = "400", *text = "key not authorized", *uid = "";
    char domain[64] = "", mech[16] = "", addr[64] = "";

    while (more) {
        zmq_msg_t *m = &part[nparts < ZAP_FRAMES ? nparts : ZAP_FRAMES];
        zmq_msg_init(m);
        if (zmq_msg_recv(m, zap, 0) < 0) {
            zmq_msg_close(m);
            goto out;
        }
        more = zmq_msg_more(m);
        if (nparts >= ZAP_FRAMES)
            zmq_msg_close(m);
        nparts++;
    }
    if (nparts > ZAP_FRAMES)
        nparts = ZAP_FRAMES;
    if (nparts < 6) {
        /* A REP socket must answer before it can read again. */
        log_warnx("ZAP: malformed request (%d frames)", nparts);
        zmq_send(zap, "1.0", 3, ZMQ_SNDMORE);
        zmq_send(zap, nparts > 1 ? zmq_msg_data(&part[1]) : "",
                 nparts > 1 ? zmq_msg_size(&part[1]) : 0, ZMQ_SNDMORE);
        zmq_send(zap, "500", 3, ZMQ_SNDMORE);
        zmq_send(zap, "malformed", 9, ZMQ_SNDMORE);
        zmq_send(zap, "", 0, ZMQ_SNDMORE);
        zmq_send(zap, "", 0, 0);
        rc = 0;
        goto out;
    }
    snprintf(domain, sizeof domain, "%.*s", (int)zmq_msg_size(&part[2]),
             (const char *)zmq_msg_data(&part[2]));
    snprintf(addr, sizeof addr, "%.*s", (int)zmq_msg_size(&part[3]),
             (const char *)zmq_msg_data(&part[3]));
    snprintf(mech, sizeof mech, "%.*s", (int)zmq_msg_size(&part[5]),
             (const char *)zmq_msg_data(&part[5]));
    if (strcmp(mech, "CURVE") != 0 || nparts < 7 || zmq_msg_size(&part[6]) != 32) {
        text = "CURVE required";
    } else if (!(e = keydir_by_curve(keys, zmq_msg_data(&part[6])))) {
        char z85[41];
        const char *why = keydir_refused(keys, zmq_msg_data(&part[6]));
        zmq_z85_encode(z85, zmq_msg_data(&part[6]), 32);
        if (why)
            log_warnx(_("refused a connection from %s: key %s is refused: %s; remove all "
                        "but one from the key directory"), addr, z85, why);
        else
            log_warnx(_("refused a connection from %s: key %s is not in the key directory"),
                      addr, z85);
    } else if ((strcmp(domain, ZAP_DOMAIN_UNITS) == 0 && e->kind != KEY_UNIT) ||
               (strcmp(domain, ZAP_DOMAIN_OPERATORS) == 0 && e->kind != KEY_OPERATOR &&
                e->kind != KEY_CONSOLE) ||
               (strcmp(domain, ZAP_DOMAIN_UNITS) != 0 &&
                strcmp(domain, ZAP_DOMAIN_OPERATORS) != 0)) {
        log_warnx("refused %s from %s on domain %s: wrong kind of key for this socket",
                  e->name, addr, domain);
        text = "wrong kind of key for this socket";
    } else {
        status = "200";
        text = "OK";
        uid = e->user_id;
        allowed = 1;
        log_debug("session for %s from %s", e->user_id, addr);
    }

    /* Reply: version, request id, status code, status text, user id, metadata. */
    if (zmq_send(zap, "1.0", 3, ZMQ_SNDMORE) < 0 ||
        zmq_send(zap, zmq_msg_data(&part[1]), zmq_msg_size(&part[1]), ZMQ_SNDMORE) < 0 ||
        zmq_send(zap, status, 3, ZMQ_SNDMORE) < 0 ||
        zmq_send(zap, text, strlen(text), ZMQ_SNDMORE) < 0 ||
        zmq_send(zap, uid, strlen(uid), ZMQ_SNDMORE) < 0 ||
        zmq_send(zap, "", 0, 0) < 0)
        goto out;
    rc = allowed;
out:
    for (int i = 0; i < nparts; i++)
        zmq_msg_close(&part[i]);
    return rc;
}
