/* opclient.c — an OpRequest to the hub's control socket, its OpReply back. */
#include "opclient.h"
#include "clock.h"
#include "files.h"
#include "i18n.h"
#include "keys.h"
#include "log.h"

#include <limits.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

struct opclient {
    struct identity id;
    uint8_t hub_pk[32];
    char endpoint[256];             /* "" when read from endpoint_file */
    char endpoint_file[PATH_MAX];
    int grace_ms;                   /* opclient_fail_fast; 0: wait */
};

opclient_t *
opclient_new(const conf_t *conf, const char *section)
{
    opclient_t *self = calloc(1, sizeof *self);
    const char *endpoint = conf_get(conf, section, "hub", NULL);
    char cert[PATH_MAX], hubcert[PATH_MAX];

    if (!self) {
        log_warnx(_("out of memory"));
        return NULL;
    }
    if (conf_path(conf, section, "cert", NULL, cert, sizeof cert) < 0 ||
        keys_load_identity(cert, NULL, &self->id) < 0 ||
        conf_path(conf, section, "hub_cert", NULL, hubcert, sizeof hubcert) < 0 ||
        keys_load_public(hubcert, self->hub_pk) < 0)
        goto err;
    if (endpoint) {
        if (strlen(endpoint) >= sizeof self->endpoint) {
            log_warnx(_("[%s] hub: the endpoint is too long"), section);
            goto err;
        }
        snprintf(self->endpoint, sizeof self->endpoint, "%s", endpoint);
    } else if (conf_path(conf, section, "hub_endpoint_file", NULL, self->endpoint_file,
                         sizeof self->endpoint_file) < 0) {
        goto err;
    }
    return self;
err:
    opclient_destroy(&self);
    return NULL;
}

void
opclient_destroy(opclient_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sodium_memzero(&(*self_p)->id, sizeof (*self_p)->id);
    free(*self_p);
    *self_p = NULL;
}

void
opclient_fail_fast(opclient_t *self, int grace_ms)
{
    self->grace_ms = grace_ms;
}

/* Reads one event from the monitor socket: its number (ZMQ_EVENT_*), or 0. */
static unsigned
monitor_event(void *mon)
{
    zmq_msg_t m;
    uint16_t ev = 0;
    int more;

    zmq_msg_init(&m);
    if (zmq_msg_recv(&m, mon, 0) >= 0 && zmq_msg_size(&m) >= 2)
        memcpy(&ev, zmq_msg_data(&m), 2);
    more = zmq_msg_more(&m);
    zmq_msg_close(&m);
    if (more) {         /* the endpoint */
        zmq_msg_init(&m);
        zmq_msg_recv(&m, mon, 0);
        zmq_msg_close(&m);
    }
    return ev;
}

/* The endpoint to connect to into ep: the configured one, or the first
 * line of the endpoint file.  Returns 0, or -1 with err set. */
static int
endpoint_of(const opclient_t *self, char *ep, size_t eplen, char *err, size_t errlen)
{
    char *s;

    if (self->endpoint[0]) {
        snprintf(ep, eplen, "%s", self->endpoint);
        return 0;
    }
    if (!(s = files_read(self->endpoint_file, NULL))) {
        snprintf(err, errlen, _("the hub has not published its control endpoint (%s): is it "
                 "running?"), self->endpoint_file);
        return -1;
    }
    s[strcspn(s, "\r\n")] = '\0';
    snprintf(ep, eplen, "%s", s);
    free(s);
    return 0;
}

/* A request id no other request of this process has: microseconds at the
 * first request, counted up from there. */
static uint64_t
next_request_id(void)
{
    static _Atomic uint64_t next;
    uint64_t zero = 0, now = (uint64_t)clock_now_us();

    atomic_compare_exchange_strong(&next, &zero, now);
    return atomic_fetch_add(&next, 1);
}

int
opclient_ask(const opclient_t *self, void *zctx, Lianxi__OpRequest *req, int timeout_ms,
             Lianxi__Envelope **reply, char *err, size_t errlen)
{
    static _Atomic unsigned long monitors;
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    char ep[256], mon_ep[64];
    void *sock = NULL, *mon = NULL;
    int zero = 0, rc = OPCLIENT_FAILED;
    int64_t start, end;

    *reply = NULL;
    snprintf(err, errlen, _("cannot open a socket to the hub: %s"), zmq_strerror(zmq_errno()));
    if (endpoint_of(self, ep, sizeof ep, err, errlen) < 0)
        return OPCLIENT_NO_ENDPOINT;
    if (!(sock = zmq_socket(zctx, ZMQ_DEALER)) || !(mon = zmq_socket(zctx, ZMQ_PAIR)))
        goto out;
    zmq_setsockopt(sock, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, self->hub_pk, 32);
    zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, self->id.curve_pk, 32);
    zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, self->id.curve_sk, 32);
    /* The handshake's refusal comes as a monitor event: one inproc name
     * per request, as requests may run at once in one context. */
    snprintf(mon_ep, sizeof mon_ep, "inproc://opclient-monitor-%lu", atomic_fetch_add(&monitors, 1));
    zmq_setsockopt(mon, ZMQ_LINGER, &zero, sizeof zero);
    if (zmq_socket_monitor(sock, mon_ep, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                           (self->grace_ms > 0 ? ZMQ_EVENT_CONNECT_RETRIED : 0)) < 0 ||
        zmq_connect(mon, mon_ep) < 0)
        goto out;
    if (zmq_connect(sock, ep) < 0) {
        snprintf(err, errlen, _("cannot connect to %s: %s"), ep, zmq_strerror(zmq_errno()));
        rc = OPCLIENT_CONNECT;
        goto out;
    }
    if (!req->request_id)
        req->request_id = next_request_id();
    env.body_case = LIANXI__ENVELOPE__BODY_OP_REQUEST;
    env.op_request = req;
    if (wire_send(sock, NULL, 0, &env, 0) < 0)
        goto out;
    start = clock_mono_ms();
    end = start + timeout_ms;
    for (;;) {
        zmq_pollitem_t items[2] = { { sock, 0, ZMQ_POLLIN, 0 }, { mon, 0, ZMQ_POLLIN, 0 } };
        int left = (int)(end - clock_mono_ms());
        if (left <= 0 || zmq_poll(items, 2, left) <= 0) {
            snprintf(err, errlen, _("the hub at %s did not answer"), ep);
            rc = OPCLIENT_TIMEOUT;
            goto out;
        }
        if (items[1].revents & ZMQ_POLLIN) {
            if (monitor_event(mon) == ZMQ_EVENT_CONNECT_RETRIED) {
                if (clock_mono_ms() - start < self->grace_ms)
                    continue;
                snprintf(err, errlen, _("nothing accepts connections at %s: the hub is not "
                         "running"), ep);
                rc = OPCLIENT_UNREACHABLE;
                goto out;
            }
            snprintf(err, errlen, _("the hub at %s refused this client's key: its public .cert "
                     "is not in the hub's key directory"), ep);
            rc = OPCLIENT_REFUSED;
            goto out;
        }
        if (items[0].revents & ZMQ_POLLIN) {
            zmq_msg_t m;
            Lianxi__Envelope *got;
            zmq_msg_init(&m);
            if (zmq_msg_recv(&m, sock, 0) < 0) {
                zmq_msg_close(&m);
                continue;
            }
            got = wire_unpack(zmq_msg_data(&m), zmq_msg_size(&m));
            zmq_msg_close(&m);
            if (got && got->body_case == LIANXI__ENVELOPE__BODY_OP_REPLY &&
                got->op_reply->request_id == req->request_id) {
                *reply = got;
                rc = OPCLIENT_OK;
                err[0] = '\0';
                goto out;
            }
            wire_free(got);
        }
    }
out:
    if (sock)
        zmq_socket_monitor(sock, NULL, 0);
    if (mon)
        zmq_close(mon);
    if (sock)
        zmq_close(sock);
    return rc;
}
