/* jobs.h — briefings and exports made off the hub's loop: on a thread with
 * a read-only store, so that intake goes on; recorded in the audit trail on
 * the loop before they are handed out (what cannot be recorded is not). */
#ifndef LX_JOBS_H
#define LX_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "attach.h"
#include "audit.h"
#include "categories.h"
#include "control.h"
#include "store.h"

typedef struct jobs jobs_t;

/* Jobs on the database at db_path, with the calendar at cal_path (each job
 * reads its own copy).  Returns NULL after logging. */
jobs_t *jobs_new(const char *db_path, const char *cal_path, const categories_t *cats);
/* Waits for a running job and frees everything.  Accepts NULL. */
void jobs_destroy(jobs_t **self_p);

/* The descriptor that becomes readable when a job is done. */
int jobs_fd(const jobs_t *self);

/* Starts job for the operator connection rid.  Returns 0, or -1 with a
 * sentence in err (one job at a time). */
int jobs_start(jobs_t *self, const struct control_job *job, const void *rid, size_t rid_len,
               char *err, size_t errlen);

/* Called when jobs_fd is readable: records the finished job in the audit
 * trail (audit, store) and fills rep (its text, or its document for a .docx
 * briefing, points into the job until jobs_release); *rid and *rid_len say
 * where it goes.  A briefing sent to the units (job.send) has its copies
 * stored in att and a message to each unit stored (dispatch.h) in the
 * same transaction as its audit entry.  Returns 1 when a
 * reply is ready, 0 when nothing was finished. */
int jobs_finish(jobs_t *self, store_t *store, audit_t *audit, attach_t *att,
                Lianxi__OpReply *rep, const void **rid, size_t *rid_len);
/* Frees the finished job's document after its reply was sent. */
void jobs_release(jobs_t *self);

#endif
