/* deliver.h — the hub's messages to units (reminders, supplement requests):
 * which connections belong to which unit, and handing each unit what the
 * obligation module stored for it, noted as sent in the store. */
#ifndef LX_DELIVER_H
#define LX_DELIVER_H

#include <stddef.h>
#include <stdint.h>

#include "keys.h"
#include "store.h"

typedef struct deliver deliver_t;

/* Delivers on the units socket (a ROUTER with ROUTER_MANDATORY) from store.
 * Returns NULL when out of memory. */
deliver_t *deliver_new(store_t *store, void *units);
void deliver_destroy(deliver_t **self_p);

/* A connection (routing id rid) of unit, authenticated with the key
 * user_id, was heard from. */
void deliver_seen(deliver_t *self, const uint8_t *rid, size_t len, const char *unit,
                  const char *user_id);

/* When unit lx_units[i]'s adapter was last heard from (unix seconds), 0
 * when not since the hub started. */
int64_t deliver_unit_seen(const deliver_t *self, int i);

/* Forgets the connections whose key is no longer in keys (revoked): they
 * are handed nothing more. */
void deliver_prune(deliver_t *self, const keydir_t *keys);

/* Sends unit's unacknowledged messages not sent since resend_before (unix
 * seconds) to connection rid, and notes them as sent.  A connection that is
 * gone is forgotten. */
void deliver_to(deliver_t *self, const uint8_t *rid, size_t len, const char *unit,
                int64_t resend_before);

/* The same for the newest connection of every unit heard from lately. */
void deliver_all(deliver_t *self);

#endif
