/* jobs.c — a briefing or an export on its own thread and read-only store. */
#include "jobs.h"
#include "i18n.h"
#include "brief.h"
#include "clock.h"
#include "days.h"
#include "dispatch.h"
#include "log.h"
#include "query.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define MAX_RID 256

struct jobs {
    char db_path[PATH_MAX];
    char cal_path[PATH_MAX];
    const categories_t *cats;
    int done_fd;                /* eventfd: written when the document is ready */
    int busy;
    pthread_t thread;
    struct control_job job;
    uint8_t rid[MAX_RID];
    size_t rid_len;
    char *out;
    size_t len;
    /* A briefing sent to the units: each unit's numbered copy. */
    char *copy[LX_NUNITS];
    size_t copy_len[LX_NUNITS];
    uint64_t count;
    int rc;
    char err[256];
    char sent[256];
};

jobs_t *
jobs_new(const char *db_path, const char *cal_path, const categories_t *cats)
{
    jobs_t *self = calloc(1, sizeof *self);

    if (!self)
        return NULL;
    snprintf(self->db_path, sizeof self->db_path, "%s", db_path);
    snprintf(self->cal_path, sizeof self->cal_path, "%s", cal_path);
    self->cats = cats;
    if ((self->done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
        log_warn("jobs: eventfd");
        free(self);
        return NULL;
    }
    return self;
}

void
jobs_destroy(jobs_t **self_p)
{
    jobs_t *self = *self_p;

    if (!self)
        return;
    if (self->busy)
        pthread_join(self->thread, NULL);
    free(self->out);
    for (int i = 0; i < LX_NUNITS; i++)
        free(self->copy[i]);
    close(self->done_fd);
    free(self);
    *self_p = NULL;
}

int
jobs_fd(const jobs_t *self)
{
    return self->done_fd;
}

static void *
worker(void *arg)
{
    jobs_t *j = arg;
    store_t *ro = store_open_ro(j->db_path);
    uint64_t one = 1;

    j->rc = -1;
    if (!ro) {
        snprintf(j->err, sizeof j->err, "%s", _("the hub cannot read its database now; try again"));
    } else if (j->job.kind == CONTROL_JOB_EXPORT) {
        if (query_export(ro, &j->job.filter, &j->out, &j->len, &j->count) == 0)
            j->rc = 0;
        else
            snprintf(j->err, sizeof j->err, "%s",
                _("the export could not be read from the database"));
    } else {
        /* Its own calendar: the hub's may be reloaded meanwhile. */
        calendar_t *cal = calendar_load(j->cal_path);
        if (!cal)
            snprintf(j->err, sizeof j->err, "%s", _("the working-day calendar cannot be read"));
        else if (!j->job.send)
            j->rc = brief_compile(ro, cal, j->cats, &j->job.brief, &j->out, &j->len, j->err,
                                  sizeof j->err);
        else {
            /* Each member unit's copy, numbered in the units' order. */
            struct brief_params p = j->job.brief;
            j->rc = 0;
            for (int i = 0; i < LX_NUNITS && j->rc == 0; i++) {
                p.copy_no = i + 1;
                j->rc = brief_compile(ro, cal, j->cats, &p, &j->copy[i], &j->copy_len[i],
                                      j->err, sizeof j->err);
            }
        }
        calendar_destroy(&cal);
        j->count = j->len;
    }
    store_close(&ro);
    if (write(j->done_fd, &one, sizeof one) < 0)
        log_warn("jobs: cannot signal the hub loop");
    return NULL;
}

int
jobs_start(jobs_t *self, const struct control_job *job, const void *rid, size_t rid_len,
           char *err, size_t errlen)
{
    if (self->busy) {
        snprintf(err, errlen, "%s", _("a briefing or export is being made; try again in a moment"));
        return -1;
    }
    control_job_copy(&self->job, job);      /* its strings point into our copy */
    self->rid_len = rid_len < MAX_RID ? rid_len : MAX_RID;
    memcpy(self->rid, rid, self->rid_len);
    self->out = NULL;
    self->len = 0;
    self->count = 0;
    self->err[0] = '\0';
    for (int i = 0; i < LX_NUNITS; i++) {
        self->copy[i] = NULL;
        self->copy_len[i] = 0;
    }
    if (pthread_create(&self->thread, NULL, worker, self) != 0) {
        snprintf(err, errlen, "%s", _("the hub cannot start a briefing or export now; try again"));
        return -1;
    }
    self->busy = 1;
    return 0;
}

/* A briefing's copies sent: each stored in the attachment store and one
 * BRIEFING message per unit naming its copy, inside the open transaction.
 * Returns 0, or -1 with the reason in j->err. */
static int
send_copies(jobs_t *j, store_t *store, attach_t *att)
{
    static const char docx[] =
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    int64_t now = clock_now();
    char date[LX_DATE_LEN];

    days_format(j->job.brief.meeting_date, date);
    for (int i = 0; i < LX_NUNITS; i++) {
        struct dispatch_doc d = { .media = docx, .size = j->copy_len[i] };
        char name[128], text[1024];
        struct dispatch_msg m = { .kind = LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_BRIEFING,
                                  .meeting = j->job.meeting, .copy_no = i + 1,
                                  .recall_after = j->job.recall_after, .title = j->job.title,
                                  .text = text, .docs = &d, .ndocs = 1 };
        snprintf(name, sizeof name, "简报-第%lld号会议-份号%06d.docx",
                 (long long)j->job.meeting, i + 1);
        d.name = name;
        /* The meeting's secrecy mark, as its copies print it. */
        snprintf(text, sizeof text, "%s（%s）通报材料，第 %06d 份，供贵单位参会人员阅知。%s%s",
                 j->job.title, date, i + 1, j->job.recall_after ?
                 "本材料会后收回：收到收回通知后，报送程序将删除本机保存的文件。" :
                 j->job.brief.secrecy ? j->job.brief.secrecy : "",
                 !j->job.recall_after && j->job.brief.secrecy ? "。" : "");
        if (!att || attach_put(att, j->copy[i], j->copy_len[i], docx, now, d.hash) < 0 ||
            dispatch_add(store, lx_units[i].code, &m, j->job.actor, now) < 0) {
            snprintf(j->err, sizeof j->err, "%s", _("the briefing's copies could not be stored "
                     "for the units; try again"));
            return -1;
        }
    }
    return 0;
}

int
jobs_finish(jobs_t *j, store_t *store, audit_t *audit, attach_t *att, Lianxi__OpReply *rep,
            const void **rid, size_t *rid_len)
{
    char detail[512];
    uint64_t n;

    if (read(j->done_fd, &n, sizeof n) < 0 || !j->busy)
        return 0;
    pthread_join(j->thread, NULL);
    j->busy = 0;
    if (j->job.kind == CONTROL_JOB_EXPORT)
        snprintf(detail, sizeof detail, "%llu filings, %zu bytes%s",
                 (unsigned long long)j->count, j->len, j->rc == 0 ? "" : " (failed)");
    else
        snprintf(detail, sizeof detail, "%s, %zu bytes%s", j->job.what, j->len,
                 j->rc == 0 ? "" : " (failed)");
    if (j->job.send)
        for (int i = 0; i < LX_NUNITS; i++)
            j->len += j->copy_len[i];
    if (j->job.send)
        snprintf(detail, sizeof detail, "%s, %d copies, %zu bytes%s", j->job.what, LX_NUNITS,
                 j->len, j->rc == 0 ? "" : " (failed)");
    /* On the record first: what cannot be recorded is not handed out (a
     * briefing sent: its copies and messages go in the same transaction). */
    if (j->rc == 0 && j->job.send) {
        if (store_begin(store) < 0 || send_copies(j, store, att) < 0 ||
            audit_append(audit, clock_now(), j->job.actor, j->job.action, j->job.object,
                         detail) < 0 || store_commit(store) < 0) {
            store_rollback(store);
            j->rc = -1;
            if (!j->err[0])
                snprintf(j->err, sizeof j->err, "%s", _("the briefing's copies could not be "
                         "stored for the units; try again"));
            rep->error_kind = LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE;
        }
    } else if (store_begin(store) < 0 ||
        audit_append(audit, clock_now(), j->job.actor, j->job.action, j->job.object, detail) < 0 ||
        store_commit(store) < 0) {
        store_rollback(store);
        j->rc = -1;
        snprintf(j->err, sizeof j->err, "%s", j->job.kind == CONTROL_JOB_EXPORT
                 ? _("the hub could not record the export in its audit trail, so it does not "
                     "hand it out; try again")
                 : _("the hub could not record the briefing in its audit trail, so it does not "
                     "hand it out; try again"));
        rep->error_kind = LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE;
    }
    rep->request_id = j->job.request_id;
    rep->ok = j->rc == 0;
    rep->error = j->rc == 0 ? "" : j->err;
    if (j->rc != 0 && !rep->error_kind)
        rep->error_kind = LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE;
    rep->text = "";
    if (j->rc == 0 && j->job.send) {
        snprintf(j->sent, sizeof j->sent, _("the briefing of meeting %lld was sent to %d member "
                 "units, one numbered copy each (see lianxi brief copies %lld)\n"),
                 (long long)j->job.meeting, LX_NUNITS, (long long)j->job.meeting);
        rep->text = j->sent;
    } else if (j->rc == 0 && j->out && j->job.kind == CONTROL_JOB_BRIEF &&
        j->job.brief.format == BRIEF_DOCX) {
        /* A .docx is binary (NUL bytes and all): the document, not text. */
        rep->document.data = (uint8_t *)j->out;
        rep->document.len = j->len;
    } else if (j->rc == 0 && j->out) {
        rep->text = j->out;
    }
    rep->count = j->rc == 0 ? j->count : 0;
    if (j->job.kind == CONTROL_JOB_EXPORT)
        log_info("export of %llu filings (%s) for %s", (unsigned long long)j->count,
                 j->job.object, j->job.actor);
    else
        log_info("briefing for %s compiled (%zu bytes)", j->job.object, j->len);
    *rid = j->rid;
    *rid_len = j->rid_len;
    return 1;
}

void
jobs_release(jobs_t *self)
{
    free(self->out);
    self->out = NULL;
    self->len = 0;
    for (int i = 0; i < LX_NUNITS; i++) {
        free(self->copy[i]);
        self->copy[i] = NULL;
        self->copy_len[i] = 0;
    }
}
