/* reply.h — the hub's OpReply as the console's JSON (API.md, "Answers"). */
#ifndef LX_CONSOLE_REPLY_H
#define LX_CONSOLE_REPLY_H

#include <stddef.h>

#include "categories.h"
#include "wire.h"

/* The HTTP status of r (200 when ok) and its kind word ("usage",
 * "permission", "not_found", "unavailable", "data"; "hub" for a reply that
 * says neither ok nor why). */
int reply_status(const Lianxi__OpReply *r, const char **kind);

/* The JSON answer to command: r translated (r->ok) or its refusal, with
 * offset echoed when not NULL; cats names categories (may be NULL).  Every
 * text is made valid UTF-8.  Returns a malloc'd string, or NULL when memory
 * runs out. */
char *reply_json(const Lianxi__OpReply *r, const char *command, const char *offset,
                 const categories_t *cats);

/* {"ok": false, "error": error, "kind": kind, "command": command}: a
 * refusal made by the console itself.  command may be NULL.  Returns a
 * malloc'd string, or NULL when memory runs out. */
char *reply_refusal(const char *command, const char *kind, const char *error);

#endif
