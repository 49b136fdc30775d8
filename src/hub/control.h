/* control.h — the operators' requests on the hub's control socket: who may
 * do what (roles and scopes), the commands, and their audit entries. */
#ifndef LX_CONTROL_H
#define LX_CONTROL_H

#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "calendar.h"
#include "keys.h"
#include "lianxi.pb-c.h"
#include "store.h"

struct control_ctx {
    store_t *store;
    audit_t *audit;
    const calendar_t *cal;
    const uint8_t *sign_pk;     /* the hub's checkpoint key */
    const uint8_t *sign_sk;
};

/* A reply and the memory it points into. */
struct control_reply {
    Lianxi__OpReply rep;            /* first: the reply is the struct's address */
    struct {
        void **p;
        size_t n, cap;
    } arena;
};

/* Answers one request of operator op into out (zeroed by the caller,
 * released with control_reply_free).  Refusals are answered with ok = 0
 * and a sentence, and recorded in the audit trail like everything else. */
void control_handle(struct control_ctx *c, const struct key_entry *op,
                    const Lianxi__OpRequest *req, struct control_reply *out);
void control_reply_free(struct control_reply *r);

/* Calls fn with a sentence for each meeting duty not met as of today: no
 * annual meeting scheduled for this year by 1 November, or last year ended
 * with no annual meeting held.  Returns the number of warnings. */
int control_meeting_warnings(sqlite3 *db, lx_day today, void (*fn)(void *, const char *),
                             void *arg);

/* The CSV of a filtered listing (req's filters; own_unit forced for a
 * member), on db read in one transaction.  Sets *csv (malloc'd), *len,
 * *count and what (the filters, for the audit trail).  Returns 0, or -1. */
int control_export(sqlite3 *db, const Lianxi__OpRequest *req, const char *own_unit, char **csv,
                   size_t *len, uint64_t *count, char *what, size_t what_len);

/* The unit a member role is limited to, or NULL. */
const char *control_member_unit(const char *role);

/* 1 when role may run command (before any scope filtering), else 0. */
int control_allowed(const char *role, const char *command);

#endif
