/* deliver.c — messages to units: the connections heard from, and what each
 * unit is handed when it is connected. */
#include "deliver.h"
#include "dispatch.h"
#include "jointreview.h"
#include "notice.h"
#include "categories.h"
#include "i18n.h"
#include "clock.h"
#include "log.h"
#include "oblig.h"
#include "wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define MAX_RID 256
#define MAX_PEERS 64
#define PEER_IDLE_S 120         /* adapters say hello at least this often */
#define RESEND_S 30             /* unacknowledged messages are sent again after */

/* An adapter connection seen recently: where to deliver its unit's messages. */
struct peer {
    uint8_t rid[MAX_RID];
    size_t rid_len;
    char unit[64];
    char user_id[128];          /* the key it was authenticated with */
    int64_t last_seen;          /* monotonic seconds: a connection lives in real time */
};

struct deliver {
    store_t *store;
    void *units;
    struct peer peers[MAX_PEERS];
    int npeers;
    int64_t unit_seen[LX_NUNITS];   /* wall clock: each unit last heard from (health.h) */
};

deliver_t *
deliver_new(store_t *store, void *units)
{
    deliver_t *self = calloc(1, sizeof *self);

    if (self) {
        self->store = store;
        self->units = units;
    }
    return self;
}

void
deliver_destroy(deliver_t **self_p)
{
    free(*self_p);
    *self_p = NULL;
}

void
deliver_seen(deliver_t *h, const uint8_t *rid, size_t len, const char *unit, const char *user_id)
{
    int64_t now = clock_mono_ms() / 1000;
    int slot = -1, oldest = 0;

    for (int i = 0; i < h->npeers; i++) {
        if (h->peers[i].rid_len == len && memcmp(h->peers[i].rid, rid, len) == 0) {
            slot = i;
            break;
        }
        if (h->peers[i].last_seen < h->peers[oldest].last_seen)
            oldest = i;
    }
    if (slot < 0)
        slot = h->npeers < MAX_PEERS ? h->npeers++ : oldest;
    memcpy(h->peers[slot].rid, rid, len < MAX_RID ? len : MAX_RID);
    h->peers[slot].rid_len = len;
    snprintf(h->peers[slot].unit, sizeof h->peers[slot].unit, "%s", unit);
    snprintf(h->peers[slot].user_id, sizeof h->peers[slot].user_id, "%s", user_id);
    h->peers[slot].last_seen = now;
    {
        const struct lx_unit *u = units_find(unit);
        if (u)
            h->unit_seen[u - lx_units] = clock_now();
    }
}

int64_t
deliver_unit_seen(const deliver_t *h, int i)
{
    return i >= 0 && i < LX_NUNITS ? h->unit_seen[i] : 0;
}

static void
drop(deliver_t *h, const uint8_t *rid, size_t len)
{
    for (int i = 0; i < h->npeers; i++)
        if (h->peers[i].rid_len == len && memcmp(h->peers[i].rid, rid, len) == 0) {
            h->peers[i] = h->peers[--h->npeers];
            return;
        }
}

struct delivery {
    deliver_t *h;
    const uint8_t *rid;
    size_t rid_len;
    int64_t ids[256];
    int n, gone;
};

static int
send_message(void *arg, const Lianxi__HubMessage *m)
{
    struct delivery *d = arg;
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
    Lianxi__HubMessage copy = *m;
    Lianxi__ReviewCandidate **cands = NULL;
    char title[512] = "";
    int n = 0, scope = 0, rc;

    /* A joint review's request carries its candidates and title. */
    if (m->review_id && *m->review_id) {
        int64_t id = jointreview_parse(m->review_id);
        if (jointreview_title(d->h->store, id, title, sizeof title, &scope) < 0 ||
            (m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_REVIEW_REQUEST &&
             (n = jointreview_candidates(d->h->store, id, &cands)) < 0))
            return -1;
        copy.title = title;
        copy.scope = scope;
        copy.candidates = cands;
        copy.n_candidates = (size_t)n;
    }
    /* A meeting notice carries its meeting's date, time, place and agenda;
     * a reminder about one its title. */
    struct notice_buf nb = { { NULL } };
    if (m->meeting && notice_fill(d->h->store, &copy, &nb) < 0) {
        jointreview_candidates_free(cands, n);
        return -1;
    }
    /* A briefing copy, circular or recall names its documents. */
    struct dispatch_buf db;
    memset(&db, 0, sizeof db);
    if ((m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_BRIEFING ||
         m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_CIRCULAR ||
         m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_RECALL) &&
        dispatch_fill(d->h->store, &copy, &db) < 0) {
        jointreview_candidates_free(cands, n);
        notice_fill_free(&nb);
        return -1;
    }
    env.body_case = LIANXI__ENVELOPE__BODY_HUB_MESSAGE;
    env.hub_message = &copy;
    rc = wire_send(d->h->units, d->rid, d->rid_len, &env, ZMQ_DONTWAIT);
    jointreview_candidates_free(cands, n);
    notice_fill_free(&nb);
    dispatch_fill_free(&db);
    if (rc < 0) {
        d->gone = errno == EHOSTUNREACH;
        return -1;
    }
    d->ids[d->n++] = (int64_t)m->id;
    return 0;
}

/* Sends unit's unacknowledged messages (those not sent since
 * resend_before) to one connection, and notes them as sent. */
static int
send_to(deliver_t *h, const uint8_t *rid, size_t rid_len, const char *unit,
        int64_t resend_before)
{
    struct delivery d = { h, rid, rid_len, { 0 }, 0, 0 };
    store_t *db = h->store;
    int64_t now = clock_now();

    oblig_pending(db, unit, resend_before, send_message, &d);
    if (d.n > 0 && store_begin(h->store) == 0) {
        int ok = 1;
        for (int i = 0; ok && i < d.n; i++)
            ok = oblig_mark_sent(db, d.ids[i], now) == 0;
        if (!ok || store_commit(h->store) < 0)
            store_rollback(h->store);
        else
            log_info(dngettext(LX_TEXTDOMAIN, "delivered %d message to %s",
                               "delivered %d messages to %s", (unsigned long)d.n), d.n,
                     units_name(unit));
    }
    return d.gone;
}

void
deliver_to(deliver_t *h, const uint8_t *rid, size_t rid_len, const char *unit,
           int64_t resend_before)
{
    if (send_to(h, rid, rid_len, unit, resend_before))
        drop(h, rid, rid_len);
}

/* Messages to every unit with an adapter connected lately. */
void
deliver_all(deliver_t *h)
{
    int64_t now = clock_now(), mono = clock_mono_ms() / 1000;

    for (int i = 0; i < h->npeers; i++) {
        struct peer *p = &h->peers[i];
        int newest = 1;
        /* Idle in real time (the test clock may jump days between hellos). */
        if (mono - p->last_seen > PEER_IDLE_S) {
            h->peers[i--] = h->peers[--h->npeers];
            continue;
        }
        for (int k = 0; k < h->npeers; k++)
            if (k != i && strcmp(h->peers[k].unit, p->unit) == 0 &&
                h->peers[k].last_seen > p->last_seen)
                newest = 0;
        if (newest && send_to(h, p->rid, p->rid_len, p->unit, now - RESEND_S))
            h->peers[i--] = h->peers[--h->npeers];     /* gone: no longer connected */
    }
}


void
deliver_prune(deliver_t *h, const keydir_t *keys)
{
    for (int i = 0; i < h->npeers; i++)
        if (!keydir_by_user(keys, h->peers[i].user_id))
            h->peers[i--] = h->peers[--h->npeers];
}
