/* control.h — the operators' requests on the hub's control socket, routed
 * through ONE command table: {name, roles allowed, parameters with their
 * types and allowed values, handler, runs off the loop}.  The table drives
 * authorization, parameter checks, routing and the audit entries; the
 * client's --help and the protocol's documentation list the same commands. */
#ifndef LX_CONTROL_H
#define LX_CONTROL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "attach.h"
#include "audit.h"
#include "brief.h"
#include "calendar.h"
#include "categories.h"
#include "conf.h"
#include "keys.h"
#include "lianxi.pb-c.h"
#include "query.h"
#include "store.h"

struct control_ctx {
    store_t *store;
    audit_t *audit;
    const calendar_t *cal;
    const categories_t *cats;
    const uint8_t *sign_pk;     /* the hub's checkpoint key */
    const uint8_t *sign_sk;
    const keydir_t *keys;       /* whom a console acts for (on_behalf_of) */
    const char *county;         /* [hub] county: the county's name, or NULL */
    /* [unit-names]: the names the county gives its member units, by the
     * index of lx_units (NULL: the default name); the array may be NULL. */
    const char *const *unit_names;
    int review_days;            /* [hub] review_due_days: a joint review's default (0: 5) */
    const conf_t *conf;         /* the hub's configuration, for status (NULL: none) */
    attach_t *att;              /* the attachments' files: for `attachment` (fetched), and
                                 * the circulars' documents (uploaded); NULL: none */
    uint64_t att_max_each;      /* [attachments] max_size: one uploaded document (0: default) */
    uint64_t att_max_pending;   /* [attachments] max_pending_per_unit: the operators'
                                 * unfinished uploads together (0: the default) */
};

/* A reply and the memory it points into. */
struct control_reply {
    Lianxi__OpReply rep;            /* first: the reply is the struct's address */
    struct {
        void **p;
        size_t n, cap;
    } arena;
};

/* A command that runs off the hub's loop (a briefing, an export): what the
 * job needs, checked and copied out of the request. */
enum { CONTROL_JOB_BRIEF = 1, CONTROL_JOB_EXPORT = 2 };

struct control_job {
    int kind;
    /* CONTROL_JOB_BRIEF; its strings point into the job (title, county,
     * the marks, the unit names), so a copy is made with control_job_copy. */
    struct brief_params brief;
    char title[256];
    char county[256];
    char secrecy[32], urgency[16];
    char unit_names[LX_NUNITS][256];
    int send;                       /* CONTROL_JOB_BRIEF: send a numbered copy to every
                                     * member unit (dispatch.h) rather than hand it out */
    int64_t meeting;                /* the meeting's number, 0 for a bare period */
    int recall_after;               /* its copies are recalled after it (secrecy recall) */
    struct query_filter filter;     /* CONTROL_JOB_EXPORT */
    uint64_t request_id;
    /* The audit entry made when the document is handed out. */
    char actor[128], action[32], object[256], what[256];
};

enum { CONTROL_ANSWERED = 0, CONTROL_JOB = 1 };

/* Handles one request of operator op (an authorized operator key), or of
 * a console (a KEY_CONSOLE key) on behalf of the operator its request
 * names (OpRequest.on_behalf_of, found in c->keys): that operator's role
 * applies, and the audit trail records both.
 * Returns CONTROL_ANSWERED with the reply in out (zeroed by the caller,
 * released with control_reply_free) — refusals, wrong usage and errors
 * included, each recorded in the audit trail (what cannot be recorded is
 * refused) — or CONTROL_JOB with job filled, for a command the table runs
 * off the loop: the caller runs it and records it (see jobs.h). */
int control_handle(struct control_ctx *c, const struct key_entry *op,
                   const Lianxi__OpRequest *req, struct control_reply *out,
                   struct control_job *job);
void control_reply_free(struct control_reply *r);

/* Copies job src into dst, its briefing's strings pointing into dst. */
void control_job_copy(struct control_job *dst, const struct control_job *src);

/* Checks that every command of the table (opcmd.h) has a handler.
 * Returns 0, or -1 after logging the missing one. */
int control_self_check(void);

#endif
