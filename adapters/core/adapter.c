/* adapter.c — the adapter program: options, config, keys, and the commands
 * submit, watch, send, answer, check and status on the filer, the outbox,
 * the sender and the drop folder. */
#include "adapter.h"
#include "attachment.h"
#include "attend.h"
#include "attstore.h"
#include "clerk.h"
#include "winfile.h"
#include "clock.h"
#include "conf.h"
#include "days.h"
#include "filer.h"
#include "files.h"
#include "keys.h"
#include "i18n.h"
#include "log.h"
#include "outbox.h"
#include "reply.h"
#include "sender.h"
#include "text.h"
#include "validate.h"
#include "watch.h"
#include "wire.h"

#include <cjson/cJSON.h>
#include <czmq.h>
#include <errno.h>
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/stat.h>
#include <unistd.h>

struct adapter {
    const struct adapter_format *fmt;
    conf_t *conf;
    categories_t *cats;
    struct identity id;
    outbox_t *outbox;
    filer_t *filer;
    const char *cmd;        /* the command run, for "run ... again" */
    char outbox_path[PATH_MAX];
    char att_dir[PATH_MAX];         /* the copies of the documents, beside the outbox */
    struct att_limits att_lim;      /* [attachments] max_size, max_per_filing */
    char rejected_dir[PATH_MAX];
    char notices_dir[PATH_MAX];
    char drop_dir[PATH_MAX], done_dir[PATH_MAX];
    int quiet, json;
    /* Exports read whose printable receipts are still to be written: the
     * hub has not yet answered for all their filings. */
    struct export_read *exports;
    size_t nexports;
};

/* One export read, for its printable receipt. */
struct export_read {
    char *file;             /* the name the clerk gave it */
    char *base;             /* the receipt's name: the export's name in done/ */
    struct filer_row *rows;
    size_t nrows;
    int64_t read_at;
};

static volatile sig_atomic_t stopping;

/* Documents smaller than this go without a progress line. */
#define ATT_PROGRESS_MIN (4u << 20)

static void
on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

const categories_t *
adapter_categories(const adapter_t *a)
{
    return a->cats;
}

int
adapter_file(adapter_t *a, Lianxi__Filing *f, const char *path, long line)
{
    return filer_file(a->filer, f, path, line);
}

int
adapter_attach(adapter_t *a, Lianxi__Filing *f, const char *path, long line, const char *field,
               const char *list)
{
    return filer_attach(a->filer, f, path, line, field, list);
}

void
adapter_reject_row(adapter_t *a, const char *path, long line, const char *field,
                   const char *fmt, ...)
{
    char why[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    /* A long reason is cut on a character, not inside one. */
    filer_reject_row(a->filer, path, line, field, text_utf8_fix(why));
}

void
adapter_reject_file(adapter_t *a, const char *path, const char *why)
{
    filer_reject_file(a->filer, path, why);
}

void
adapter_note(adapter_t *a, const char *fmt, ...)
{
    va_list ap;
    char *text;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    filer_note(a->filer, text);
    free(text);
}

void
adapter_progress(adapter_t *a, size_t done, size_t total)
{
    filer_progress(a->filer, done, total);
}

void
adapter_progress_done(adapter_t *a)
{
    filer_progress_done(a->filer);
}

static void
usage(const char *unit)
{
    fprintf(stderr,
            _("usage: lianxi-adapter-%1$s -c ADAPTER.CONF [-q] [--wait SECONDS] submit FILE...\n"
              "       lianxi-adapter-%1$s -c ADAPTER.CONF [-q] watch\n"
              "       lianxi-adapter-%1$s -c ADAPTER.CONF [--wait SECONDS] send\n"
              "       lianxi-adapter-%1$s -c ADAPTER.CONF answer OB-N TEXT [--attach FILE...]\n"
              "       lianxi-adapter-%1$s -c ADAPTER.CONF reply REQ-N FILE [--attach DOC...]\n"
              "       lianxi-adapter-%1$s -c ADAPTER.CONF attend M-N yes|no [\"NAME, POST\"]\n"
              "       lianxi-adapter-%1$s -c ADAPTER.CONF [--json] check FILE...\n"
              "       lianxi-adapter-%1$s -c ADAPTER.CONF [--json] status\n"
              "  submit  read exports, queue their filings, deliver them, print receipts and\n"
              "          write a printable receipt of each export in done/\n"
              "  watch   take each finished export dropped in drop/, file it, move it to done/\n"
              "          with its printable receipt\n"
              "  send    deliver what is still in the outbox (after a restart)\n"
              "  answer  answer a supplement request (its number is in notices/), with the\n"
              "          documents given after --attach (PDF, OFD, JPEG, PNG, Word, WPS)\n"
              "  reply   answer a joint review (任前联审, its number is in notices/): FILE has\n"
              "          one row per candidate: ID number, 无/有/核查中, text, expected date;\n"
              "          the documents given after --attach go with it\n"
              "  attend  answer a meeting notice (会议通知, its number is in notices/): yes with\n"
              "          who attends (name and post), or no\n"
              "  check   read exports without filing: what would be filed, what is rejected\n"
              "  status  what the unit still owes and by when, outbox depth, last receipt,\n"
              "          rejections\n"), unit);
    exit(EX_USAGE);
}

/* Says in one sentence that the outbox could not be written, why, and what
 * the clerk can do: what (printf-style) says what was not kept. */
static void __attribute__((format(printf, 3, 4)))
say_outbox_refused(const adapter_t *a, enum ob_error why, const char *what, ...)
{
    char text[PATH_MAX + 256];
    va_list ap;

    va_start(ap, what);
    vsnprintf(text, sizeof text, what, ap);
    va_end(ap);
    switch (why) {
    case OB_ERR_FULL:
        fprintf(stderr, _("the outbox disk is full: %s; free space on the adapter machine and "
                "run %s again\n"), text, a->cmd);
        break;
    case OB_ERR_IO:
        fprintf(stderr, _("the outbox disk could not be written: %s; have the adapter machine's "
                "disk checked and run %s again\n"), text, a->cmd);
        break;
    default:
        fprintf(stderr, _("the outbox could not be written: %s; run %s again later (the line "
                "above says why)\n"), text, a->cmd);
        break;
    }
}

/* Reads one export into the outbox (a dry run for check), all of it or
 * nothing.  Returns 0 when it was read, 1 when it could not be read at all
 * (rejected whole), -1 when the outbox could not take it: nothing of it
 * was queued (outbox_error tells why). */
static int
read_export(adapter_t *a, const char *path)
{
    int rc;

    if (filer_begin(a->filer) < 0)
        return -1;
    rc = a->fmt->read(a, path, a->fmt->data) < 0 ? 1 : 0;
    return filer_end(a->filer, path) < 0 ? -1 : rc;
}

static void
print_receipt(void *arg, const Lianxi__Receipt *r)
{
    adapter_t *a = arg;
    char when[20];

    if (a->quiet)
        return;
    days_time_format(r->received_at, when);
    if (!r->receipt_no || !*r->receipt_no) {
        /* An attendance reply: recorded, with no receipt number. */
        printf(_("reply %s rev %u recorded by the hub at %s%s%s\n"), r->filing_id, r->revision,
               when, r->on_time ? "" : _(" (after its due date)"),
               r->duplicate ? _("  (already sent)") : "");
        return;
    }
    /* TRANSLATORS: keep "%s rev %u " (the filing id and its revision) as it
     * is: scripts find a filing's receipt by it. */
    printf(_("receipt %s  %s rev %u  received %s  due %s  "), r->receipt_no, r->filing_id,
           r->revision, when, r->due_on);
    if (r->on_time)
        printf("%s", _("on time"));
    else
        printf(dngettext(LX_TEXTDOMAIN, "LATE by %u working day", "LATE by %u working days", r->late_days),
               r->late_days);
    if (r->judged_at && r->judged_at != r->received_at)
        printf("%s", _(" (judged at queue time: the hub was down)"));
    if (r->opened_obligation && *r->opened_obligation)
        printf(_("  report due as %s"), r->opened_obligation);
    if (r->closed_obligation && *r->closed_obligation)
        printf(_("  closes %s"), r->closed_obligation);
    printf("%s%s\n", r->duplicate ? _("  (already filed)") : "",
           r->provisional ? _("  (provisional)") : "");
    if (r->n_attachments) {
        /* The documents the hub holds with it, by name. */
        char names[1024];
        if (clerk_attachment_names(a->outbox, r->filing_id, r->revision, names,
                                   sizeof names) <= 0)
            snprintf(names, sizeof names, "%zu", r->n_attachments);
        printf(_("  documents kept by the hub: %s\n"), names);
    }
}

/* A large document going to the hub: a line each tenth (a bar would
 * mix with the receipts). */
static void
print_transfer(void *arg, const char *name, uint64_t done, uint64_t size)
{
    adapter_t *a = arg;
    char line[1200];

    if (a->quiet || size < ATT_PROGRESS_MIN)
        return;
    clerk_transfer_line(name, done, size, line, sizeof line);
    fprintf(stderr, "%s\n", line);
}

static void
print_rejection(void *arg, const Lianxi__Rejection *x)
{
    adapter_t *a = arg;
    FILE *out;
    char path[PATH_MAX];
    /* The hub's words, perhaps cut inside a character: mended before they are
     * written anywhere. */
    char *id = strdup(x->filing_id ? x->filing_id : "");
    char detail[2048];

    if (!id)
        return;
    text_utf8_fix(id);
    /* The reason in the clerk's language when this adapter knows it, else
     * the hub's sentence. */
    clerk_rejection(x, detail, sizeof detail);
    fprintf(stderr, _("hub rejected %s rev %u (%s): %s\n"), id, x->revision,
            validate_code_name(x->code), detail);
    if (files_join(path, sizeof path, a->rejected_dir, "hub-rejections.txt") == 0 &&
        (out = fopen(path, "a"))) {
        char when[20];
        /* Read on Windows too: a BOM when the file begins, CRLF lines. */
        if (fseek(out, 0, SEEK_END) == 0 && ftell(out) == 0)
            fputs("\xEF\xBB\xBF", out);
        days_time_format(clock_now(), when);
        fprintf(out, _("%s  %s rev %u  %s: %s"), when, id, x->revision,
                validate_code_name(x->code), detail);
        fputs("\r\n", out);
        fclose(out);
    }
    free(id);
}

/* Delivers the outbox and takes the hub's messages until both are done or
 * wait_s have passed.  Returns 0 when everything was settled, 1 when not. */
static int
deliver(sender_t *s, long wait_s)
{
    int64_t end = clock_mono_ms() + wait_s * 1000;

    while (!stopping && !sender_idle(s) && clock_mono_ms() < end)
        if (sender_turn(s, 200, -1) < 0)
            break;
    return !sender_idle(s);
}

/* A joint review's request becomes its letter in notices/ (REQ-N.txt
 * beside the message number), in Chinese: the organization department's
 * 征求意见函. */
static int
keep_review_request(adapter_t *a, const Lianxi__HubMessage *m, char *file, size_t len)
{
    char got[20], review[24];
    char *text;
    int rc;

    if (!reply_file_review(m->review_id, review, sizeof review)) {
        log_warnx(_("the hub sent a joint review without a valid number (%.24s)"), m->review_id);
        snprintf(review, sizeof review, "REQ-0");
    }
    days_time_format(clock_now(), got);
    snprintf(file, len, "%s/%06llu-%s.txt", a->notices_dir, (unsigned long long)m->id, review);
    if (!(text = reply_request_text(m, a->fmt->unit, got)))
        return -1;
    if ((rc = winfile_write(file, text, strlen(text), 0640)) < 0)
        log_warn(_("cannot write %s"), file);
    else if (!a->quiet)
        printf(_("joint review %s from the hub: %zu candidates, answer by %s\n  (saved in %s)\n"),
               review, m->n_candidates, m->due_on, file);
    free(text);
    return rc < 0 ? -1 : 0;
}

/* A meeting notice becomes a printable page in notices/
 * (NNNNNN-会议通知-M-N.html beside the message number), in Chinese. */
static int
keep_meeting_notice(adapter_t *a, const Lianxi__HubMessage *m, char *file, size_t len)
{
    char got[20], title[256];
    char *html;
    int rc;

    days_time_format(clock_now(), got);
    snprintf(file, len, "%s/%06llu-会议通知-M-%llu.html", a->notices_dir,
             (unsigned long long)m->id, (unsigned long long)m->meeting);
    if (!(html = attend_notice_html(m, a->fmt->unit, units_name(a->fmt->unit), got)))
        return -1;
    if ((rc = files_write_atomic(file, html, strlen(html), 0640)) < 0)
        log_warn(_("cannot write %s"), file);
    else if (!a->quiet) {
        snprintf(title, sizeof title, "%s", m->title ? m->title : "");
        printf(_("meeting notice M-%llu from the hub: %s on %s; reply whether the unit attends "
                 "by %s\n  (saved in %s)\n"), (unsigned long long)m->meeting,
               text_utf8_fix(title), m->meeting_date ? m->meeting_date : "",
               m->due_on ? m->due_on : "", file);
    }
    free(html);
    return rc < 0 ? -1 : 0;
}

/* The directory the documents of the hub's messages are fetched to. */
static void
documents_dir(const adapter_t *a, char *out, size_t len)
{
    snprintf(out, len, "%s/.documents", a->notices_dir);
}

/* Where document i of m goes in notices/: under the hub's name (when it
 * is one an attachment may carry and no earlier document of m has it, so
 * that none overwrites another), else "message-ID-N" with its type's
 * extension; NNNNNN- before it with prefix. */
static void
document_target(const adapter_t *a, const Lianxi__HubMessage *m, size_t i, int prefix,
                char *path, size_t len)
{
    const Lianxi__Attachment *d = m->documents[i];
    char name[300];
    int ok = att_name_ok(d->name);

    for (size_t k = 0; k < i && ok; k++)
        if (m->documents[k]->name && strcmp(m->documents[k]->name, d->name) == 0)
            ok = 0;
    if (ok)
        snprintf(name, sizeof name, "%s", d->name);
    else
        snprintf(name, sizeof name, "message-%llu-%zu.%s", (unsigned long long)m->id, i + 1,
                 att_type_ext(d->media_type));
    if (prefix)
        snprintf(path, len, "%s/%06llu-%s", a->notices_dir, (unsigned long long)m->id, name);
    else
        snprintf(path, len, "%s/%s", a->notices_dir, name);
}

/* Moves the fetched document d (whole and checked by the sender) into
 * notices/ (document_target); its path into path.  A document an earlier
 * one of m already is (the same hash) is linked to where that one went. */
static int
place_document(adapter_t *a, const Lianxi__HubMessage *m, size_t i, int prefix, char *path,
               size_t len)
{
    const Lianxi__Attachment *d = m->documents[i];
    char dir[PATH_MAX], from[PATH_MAX + 80], hex[ATT_HEXLEN + 1];

    documents_dir(a, dir, sizeof dir);
    att_hex(d->hash.data, hex);
    snprintf(from, sizeof from, "%s/%s", dir, hex);
    document_target(a, m, i, prefix, path, len);
    for (size_t k = 0; k < i; k++)
        if (m->documents[k]->hash.len == ATT_HASHLEN &&
            memcmp(m->documents[k]->hash.data, d->hash.data, ATT_HASHLEN) == 0) {
            char first[PATH_MAX + 320];
            document_target(a, m, k, prefix, first, sizeof first);
            if (unlink(path) < 0 && errno != ENOENT)
                log_warn("%s", path);
            if (link(first, path) < 0) {
                log_warn(_("cannot write %s"), path);
                return -1;
            }
            return 0;
        }
    if (rename(from, path) < 0) {
        log_warn(_("cannot write %s"), path);
        return -1;
    }
    return 0;
}

/* A numbered copy of a meeting's briefing: its document into notices/
 * under the hub's name (简报-第N号会议-份号000003.docx); the file kept is
 * the document, so that a recall deletes it. */
static int
keep_briefing(adapter_t *a, const Lianxi__HubMessage *m, char *file, size_t len)
{
    char title[256];

    if (m->n_documents < 1 || place_document(a, m, 0, 0, file, len) < 0)
        return -1;
    for (size_t i = 1; i < m->n_documents; i++) {
        char more[PATH_MAX + 320];
        if (place_document(a, m, i, 1, more, sizeof more) < 0)
            return -1;
    }
    if (!a->quiet) {
        snprintf(title, sizeof title, "%s", m->title ? m->title : "");
        printf(_("briefing copy %06u of %s from the hub%s\n  (saved in %s)\n"), m->copy_no,
               text_utf8_fix(title), m->recall_after ? _(" (to be recalled after the meeting)")
               : "", file);
    }
    return 0;
}

/* A recall (会后收回): the copy the message named is deleted, and a note
 * says so in notices/. */
static int
keep_recall(adapter_t *a, const Lianxi__HubMessage *m, char *file, size_t len)
{
    char copy[PATH_MAX] = "", text[PATH_MAX + 1024], when[20];
    int rc;

    if ((rc = outbox_message_file(a->outbox, m->recalls, copy, sizeof copy)) < 0)
        return -1;
    if (rc == 1 && copy[0] && unlink(copy) < 0 && errno != ENOENT) {
        log_warn(_("cannot delete %s"), copy);
        return -1;      /* not acknowledged: the hub asks again */
    }
    days_time_format(clock_now(), when);
    snprintf(file, len, "%s/%06llu-收回.txt", a->notices_dir, (unsigned long long)m->id);
    snprintf(text, sizeof text, "干部监督联席会议 · lianxi\n会后收回\n\n%s\n\n"
             "已删除：%s\n删除时间：%s\n消息编号：%llu（收回第 %llu 号消息）\n",
             m->text ? m->text : "", rc == 1 && copy[0] ? copy : "（本机未保存）", when,
             (unsigned long long)m->id, (unsigned long long)m->recalls);
    text_utf8_fix(text);
    if (winfile_write(file, text, strlen(text), 0640) < 0) {
        log_warn(_("cannot write %s"), file);
        return -1;
    }
    if (!a->quiet)
        printf(_("the hub recalled message %llu: %s deleted\n"),
               (unsigned long long)m->recalls, rc == 1 && copy[0] ? copy : "-");
    return 0;
}

/* A circular (通报): its text into notices/ (NNNNNN-通报.txt) and its
 * documents beside it (NNNNNN-NAME). */
static int
keep_circular(adapter_t *a, const Lianxi__HubMessage *m, char *file, size_t len)
{
    char *text = NULL, when[20], got[20], doc[PATH_MAX + 320];
    size_t tlen = 0;
    FILE *f;
    int rc = 0;

    days_time_format(m->created_at, when);
    days_time_format(clock_now(), got);
    if (!(f = open_memstream(&text, &tlen)))
        return -1;
    fprintf(f, "干部监督联席会议 · lianxi\n通报\n\n%s\n\n%s\n\n", m->title ? m->title : "",
            m->text ? m->text : "");
    for (size_t i = 0; i < m->n_documents && rc == 0; i++) {
        rc = place_document(a, m, i, 1, doc, sizeof doc);
        fprintf(f, "附件 %zu：%s\n", i + 1, doc);
    }
    fprintf(f, "\n发送单位：%s\n发出时间：%s\n收到时间：%s\n消息编号：%llu\n",
            m->sender && *m->sender ? m->sender : "县干部监督工作联席会议办公室", when, got,
            (unsigned long long)m->id);
    if (fclose(f) != 0 || rc < 0) {
        free(text);
        return -1;
    }
    text_utf8_fix(text);
    snprintf(file, len, "%s/%06llu-通报.txt", a->notices_dir, (unsigned long long)m->id);
    if ((rc = winfile_write(file, text, strlen(text), 0640)) < 0)
        log_warn(_("cannot write %s"), file);
    else if (!a->quiet) {
        char title[256];
        snprintf(title, sizeof title, "%s", m->title ? m->title : "");
        printf(_("circular from the hub: %s\n  (saved in %s)\n"), text_utf8_fix(title), file);
    }
    free(text);
    return rc;
}

/* A message from the hub becomes a readable file in notices/ (for the
 * clerks' Windows desktops: UTF-8 with a BOM, CRLF lines). */
static int
keep_message(void *arg, const Lianxi__HubMessage *m, char *file, size_t len)
{
    adapter_t *a = arg;
    int supplement = m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_SUPPLEMENT_REQUEST;

    if (m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_REVIEW_REQUEST)
        return keep_review_request(a, m, file, len);
    if (m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_MEETING_NOTICE)
        return keep_meeting_notice(a, m, file, len);
    if (m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_BRIEFING)
        return keep_briefing(a, m, file, len);
    if (m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_RECALL)
        return keep_recall(a, m, file, len);
    if (m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_CIRCULAR)
        return keep_circular(a, m, file, len);
    const char *kind = supplement ? "supplement-request" : "reminder";
    const char *title = supplement ? _("Supplement request") :
                        m->overdue_days ? _("Reminder: overdue") : _("Reminder: falling due");
    char text[8192], when[20], got[20], overdue[64];
    int n;

    days_time_format(m->created_at, when);
    days_time_format(clock_now(), got);
    snprintf(file, len, "%s/%06llu-%s.txt", a->notices_dir, (unsigned long long)m->id, kind);
    if (m->overdue_days)
        snprintf(overdue, sizeof overdue, dngettext(LX_TEXTDOMAIN, "%u working day",
                                                    "%u working days", m->overdue_days),
                 m->overdue_days);
    else
        snprintf(overdue, sizeof overdue, "%s", _("not yet due"));
    n = snprintf(text, sizeof text,
                 _("Cadre supervision joint meeting · lianxi\n"
                   "%s\n\n"
                   "%s\n\n"
                   "Obligation:        %s\n"
                   "Case reference:    %s\n"
                   "Filing:            %s\n"
                   "Due date:          %s\n"
                   "Overdue:           %s\n"
                   "Sent by the hub:   %s\n"
                   "Received:          %s\n"
                   "Message number:    %llu\n"),
                 title, m->text ? m->text : "", m->obligation_id ? m->obligation_id : "",
                 m->case_ref ? m->case_ref : "", m->filing_id ? m->filing_id : "",
                 m->due_on ? m->due_on : "", overdue, when, got, (unsigned long long)m->id);
    if (n >= 0 && supplement && (size_t)n < sizeof text)
        snprintf(text + n, sizeof text - (size_t)n,
                 _("\nTo answer: lianxi-adapter-%s -c adapter.conf answer %s \"the text of the "
                   "answer\"\n"), a->fmt->unit, m->obligation_id ? m->obligation_id : "");
    /* Cut at the buffer's end inside a character, or not UTF-8 from the hub:
     * the notice is mended either way. */
    text_utf8_fix(text);
    if (n < 0 || winfile_write(file, text, strlen(text), 0640) < 0) {
        log_warn(_("cannot write %s"), file);
        return -1;
    }
    if (!a->quiet) {
        snprintf(text, sizeof text, "%s", m->text ? m->text : "");
        printf(_("%s from the hub: %s\n  (saved in %s)\n"), title, text_utf8_fix(text), file);
    }
    return 0;
}

/* Adds one rejection by the hub to the status listing. */
static void
status_rejected(void *arg, const char *filing_id, uint32_t rev, const char *case_ref, int code,
                const char *detail, int64_t at, const char *reason, const char *args)
{
    cJSON *list = arg, *o;
    char when[20], fid[512], ref[512], why[2048], said[2048];

    /* What the hub said, as it was stored: printed as one line of valid
     * UTF-8 whatever it holds. */
    filing_id = filing_id ? filing_id : "";
    case_ref = case_ref ? case_ref : "";
    detail = detail ? detail : "";
    text_escape(fid, sizeof fid, filing_id, strlen(filing_id));
    text_escape(ref, sizeof ref, case_ref, strlen(case_ref));
    text_escape(why, sizeof why, detail, strlen(detail));
    clerk_reason(reason, args, detail, said, sizeof said);
    filing_id = fid;
    case_ref = ref;
    detail = why;
    if (list) {
        if (!(o = cJSON_CreateObject()))
            return;
        cJSON_AddStringToObject(o, "filing_id", filing_id);
        cJSON_AddNumberToObject(o, "revision", rev);
        cJSON_AddStringToObject(o, "case_ref", case_ref);
        cJSON_AddStringToObject(o, "code", validate_code_name(code));
        cJSON_AddStringToObject(o, "detail", detail);
        cJSON_AddStringToObject(o, "reason", reason ? reason : "");
        cJSON_AddStringToObject(o, "sentence", said);
        cJSON_AddNumberToObject(o, "at", (double)at);
        cJSON_AddItemToArray(list, o);
    } else {
        days_time_format(at, when);
        printf(_("  %s  %s rev %u (case %s): %s: %s\n"), when, filing_id, rev, case_ref,
               validate_code_name(code), said);
    }
}

/* Where the newest checkpoint of the hub's audit trail is kept. */
static int
witness_path(adapter_t *a, char *out, size_t len)
{
    return conf_path(a->conf, "adapter", "witness", "hub.witness", out, len);
}

/* The checkpoint kept and, when the hub later handed out one behind or
 * beside it, that one: what the auditor gives `audit verify --witness`. */
static void
status_witness(adapter_t *a, cJSON *j)
{
    char path[PATH_MAX], conflict[PATH_MAX + 16], text[WITNESS_TEXT], when[20];
    struct witness held, later;

    if (witness_path(a, path, sizeof path) < 0 || witness_load(path, &held) < 0)
        return;
    snprintf(conflict, sizeof conflict, "%s%s", path, SENDER_CONFLICT_SUFFIX);
    if (witness_load(conflict, &later) < 0)
        memset(&later, 0, sizeof later);
    if (j) {
        if (held.seq) {
            witness_format_at(&held, text);
            cJSON_AddStringToObject(j, "audit_witness", text);
        }
        if (later.seq) {
            witness_format_at(&later, text);
            cJSON_AddStringToObject(j, "audit_witness_conflict", text);
        }
        return;
    }
    if (!held.seq) {
        printf("%s", _("  audit checkpoint kept: none yet (the hub hands one out with receipts)\n"));
        return;
    }
    days_time_format(held.at, when);
    witness_format_at(&held, text);
    printf(_("  audit checkpoint kept: entry %llu, signed by the hub at %s\n    %s\n"),
           (unsigned long long)held.seq, when, text);
    if (later.seq) {
        days_time_format(later.at, when);
        printf(later.seq < held.seq ?
               _("  WARNING: the hub later handed out a checkpoint at entry %llu (signed at %s) "
                 "that is behind the one kept: its audit trail was cut back or rewritten.\n"
                 "    Give the auditor the line above: lianxi -c AUDITOR.CONF audit verify "
                 "--witness %s\n") :
               _("  WARNING: the hub later handed out a checkpoint at entry %llu (signed at %s) "
                 "that is different from the one kept: its audit trail was cut back or "
                 "rewritten.\n"
                 "    Give the auditor the line above: lianxi -c AUDITOR.CONF audit verify "
                 "--witness %s\n"), (unsigned long long)later.seq, when, text);
    }
}

/* What an obligation is, in the clerk's words. */
static const char *
obligation_kind(int kind)
{
    return kind == 1 ? _("written report") : kind == 2 ? _("supplement") :
           kind == 3 ? _("joint review opinion") : kind == 4 ? _("attendance reply") :
           _("filing");
}

/* Adds one open obligation to the status listing (a JSON array, or
 * printed). */
static void
status_obligation(void *arg, const struct ob_obligation *o)
{
    cJSON *list = arg, *j;
    lx_day due, today = days_shanghai(clock_now());
    int overdue = days_parse(o->due_on, &due) == 0 && due < today;
    char ref[600], state[128];

    text_escape(ref, sizeof ref, o->case_ref, strlen(o->case_ref));
    if (list) {
        if (!(j = cJSON_CreateObject()))
            return;
        cJSON_AddStringToObject(j, "obligation", o->obligation);
        cJSON_AddStringToObject(j, "kind", o->kind == 1 ? "report" : o->kind == 2 ?
                                "supplement" : o->kind == 3 ? "review" : o->kind == 4 ?
                                "attendance" : "filing");
        cJSON_AddStringToObject(j, "due_on", o->due_on);
        cJSON_AddStringToObject(j, "case_ref", ref);
        cJSON_AddStringToObject(j, "filing_id", o->filing_id);
        cJSON_AddBoolToObject(j, "overdue", overdue);
        cJSON_AddNumberToObject(j, "overdue_days", o->overdue_days);
        cJSON_AddItemToArray(list, j);
        return;
    }
    if (overdue && o->overdue_days)
        snprintf(state, sizeof state, dngettext(LX_TEXTDOMAIN,
                 "overdue, not yet filed (%u working day late)",
                 "overdue, not yet filed (%u working days late)", o->overdue_days),
                 o->overdue_days);
    else
        snprintf(state, sizeof state, "%s", overdue ? _("overdue, not yet filed") :
                 _("not yet due"));
    if (o->kind == 4)           /* a meeting: its number, not a case */
        printf(_("  %s  %s  meeting %s  due %s  %s\n"), o->obligation, obligation_kind(o->kind),
               ref[0] ? ref : "-", o->due_on[0] ? o->due_on : "-", state);
    else if (o->kind == 3)      /* a joint review: its number, not a case */
        printf(_("  %s  %s  review %s  due %s  %s\n"), o->obligation, obligation_kind(o->kind),
               ref[0] ? ref : "-", o->due_on[0] ? o->due_on : "-", state);
    else
        printf(_("  %s  %s  case %s  due %s  %s\n"), o->obligation, obligation_kind(o->kind),
               ref[0] ? ref : "-", o->due_on[0] ? o->due_on : "-", state);
}

/* status: what the unit still owes, the outbox's depth, the last receipt,
 * the hub's rejections. */
/* The documents of the filings still pending (to go to the hub) and the
 * copies kept beside the outbox: in j, or printed when j is NULL. */
static void
status_documents(adapter_t *a, cJSON *j)
{
    struct ob_item items[64];
    int64_t after = 0;
    long filings = 0, docs = 0, kept = 0;
    unsigned long long bytes = 0, kept_bytes = 0;
    int n;
    DIR *d;

    while ((n = outbox_pending(a->outbox, after, items, 64)) > 0) {
        for (int i = 0; i < n; i++) {
            Lianxi__Envelope *env = wire_unpack(items[i].payload, items[i].len);
            if (env && env->body_case == LIANXI__ENVELOPE__BODY_FILING &&
                env->filing->n_attachments) {
                filings++;
                for (size_t k = 0; k < env->filing->n_attachments; k++) {
                    docs++;
                    bytes += env->filing->attachments[k]->size;
                }
            }
            wire_free(env);
            after = items[i].seq;
            outbox_item_free(&items[i]);
        }
        if (n < 64)
            break;
    }
    if ((d = opendir(a->att_dir))) {
        struct dirent *e;
        while ((e = readdir(d))) {
            char p[PATH_MAX + 300];
            struct stat sb;
            snprintf(p, sizeof p, "%s/%s", a->att_dir, e->d_name);
            if (e->d_name[0] != '.' && stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
                kept++;
                kept_bytes += (unsigned long long)sb.st_size;
            }
        }
        closedir(d);
    }
    if (j) {
        cJSON_AddNumberToObject(j, "pending_with_documents", filings);
        cJSON_AddNumberToObject(j, "pending_documents", docs);
        cJSON_AddNumberToObject(j, "pending_document_bytes", (double)bytes);
        cJSON_AddNumberToObject(j, "documents_kept", kept);
        cJSON_AddNumberToObject(j, "documents_kept_bytes", (double)kept_bytes);
        return;
    }
    if (docs == 0 && kept == 0)
        return;         /* (a unit that files no documents is not told of them) */
    printf(_("  documents (附件): %ld of %ld pending filings' documents still to go "
             "(%.1f MB); %ld kept beside the outbox in %s (%.1f MB)\n"), docs, filings,
           bytes / 1e6, kept, a->att_dir, kept_bytes / 1e6);
}

static int
cmd_status(adapter_t *a)
{
    struct ob_stats st;
    char when[20] = "-";
    const struct lx_unit *u = units_find(a->fmt->unit);

    if (outbox_stats(a->outbox, &st) < 0)
        return EX_SOFTWARE;
    if (a->json) {
        cJSON *j = cJSON_CreateObject(), *list = cJSON_CreateArray();
        cJSON_AddStringToObject(j, "unit", a->fmt->unit);
        cJSON_AddNumberToObject(j, "pending", st.pending);
        cJSON_AddNumberToObject(j, "acked", st.acked);
        cJSON_AddNumberToObject(j, "rejected", st.rejected);
        cJSON_AddStringToObject(j, "last_receipt", st.last_receipt);
        cJSON_AddNumberToObject(j, "last_receipt_at", (double)st.last_receipt_at);
        outbox_rejected(a->outbox, 1000, status_rejected, list);
        cJSON_AddItemToObject(j, "rejections", list);
        list = cJSON_CreateArray();
        outbox_open_obligations(a->outbox, status_obligation, list);
        cJSON_AddItemToObject(j, "obligations", list);
        status_witness(a, j);
        status_documents(a, j);
        text_print_json(j);
        return EX_OK;
    }
    if (st.last_receipt_at)
        days_time_format(st.last_receipt_at, when);
    printf(_("unit %s (%s)\n"), u ? (i18n_zh() ? u->zh : u->en) : a->fmt->unit,
           a->fmt->unit);
    printf("%s", _("  open obligations (what the unit still owes, soonest due first):\n"));
    if (outbox_open_obligations(a->outbox, status_obligation, NULL) == 0)
        printf("%s", _("    none\n"));
    printf(_("  outbox: %ld pending, %ld acknowledged, %ld rejected by the hub\n"
             "  last receipt: %s at %s (%s)\n"), st.pending, st.acked,
           st.rejected, st.last_receipt[0] ? st.last_receipt : _("none"), when,
           st.last_filing[0] ? st.last_filing : "-");
    status_documents(a, NULL);
    status_witness(a, NULL);
    if (st.rejected) {
        printf("%s", _("  rejections (newest first):\n"));
        outbox_rejected(a->outbox, 50, status_rejected, NULL);
    }
    return EX_OK;
}

static int
setup(adapter_t *a, const char *cfile)
{
    char path[PATH_MAX];
    const char *unit;

    if (!(a->conf = conf_load(cfile)))
        return -1;
    conf_language(a->conf, "adapter");
    unit = conf_get(a->conf, "adapter", "unit", NULL);
    if (!unit || strcmp(unit, a->fmt->unit) != 0) {
        log_warnx(_("%s: [adapter] unit = %s, but this is the %s adapter"), cfile,
                  unit ? unit : _("(missing)"), a->fmt->unit);
        return -1;
    }
    if (conf_path(a->conf, "adapter", "categories", NULL, path, sizeof path) < 0 ||
        !(a->cats = categories_load(path)))
        return -1;
    {
        /* [attachments]: how large a document (and all of a filing's) may
         * be, in bytes; the hub's own limits apply too. */
        long each, total;
        if (conf_int(a->conf, "attachments", "max_size", (long)ATT_DEFAULT_MAX_EACH, 1,
                     LONG_MAX, &each) < 0 ||
            conf_int(a->conf, "attachments", "max_per_filing", (long)ATT_DEFAULT_MAX_TOTAL, 1,
                     LONG_MAX, &total) < 0)
            return -1;
        a->att_lim.max_each = (uint64_t)each;
        a->att_lim.max_total = (uint64_t)total;
    }
    return 0;
}

/* What filing needs beyond reading: keys, folders, the outbox, the filer.
 * Returns EX_OK, EX_CONFIG, or EX_TEMPFAIL when the outbox's disk refused
 * to write (the clerk has been told). */
static int
setup_filing(adapter_t *a)
{
    char cert[PATH_MAX], sign[PATH_MAX];
    enum ob_error why;
    int flags = (a->quiet ? FILER_QUIET : 0) | (a->json ? FILER_JSON : 0);

    if (conf_path(a->conf, "adapter", "cert", NULL, cert, sizeof cert) < 0 ||
        conf_path(a->conf, "adapter", "sign", NULL, sign, sizeof sign) < 0 ||
        keys_load_identity(cert, sign, &a->id) < 0)
        return EX_CONFIG;
    if (conf_path(a->conf, "adapter", "rejected", "rejected", a->rejected_dir,
                  sizeof a->rejected_dir) < 0 || files_mkdir_p(a->rejected_dir, 0750) < 0)
        return EX_CONFIG;
    if (conf_path(a->conf, "adapter", "notices", "notices", a->notices_dir,
                  sizeof a->notices_dir) < 0 || files_mkdir_p(a->notices_dir, 0750) < 0)
        return EX_CONFIG;
    if (conf_path(a->conf, "adapter", "drop", "drop", a->drop_dir, sizeof a->drop_dir) < 0 ||
        conf_path(a->conf, "adapter", "done", "done", a->done_dir, sizeof a->done_dir) < 0)
        return EX_CONFIG;
    if (conf_path(a->conf, "adapter", "outbox", "outbox.db", a->outbox_path,
                  sizeof a->outbox_path) < 0)
        return EX_CONFIG;
    if (!(a->outbox = outbox_open(a->outbox_path, &why))) {
        if (why != OB_ERR_FULL && why != OB_ERR_IO)
            return EX_CONFIG;
        say_outbox_refused(a, why, _("%s could not be opened"), a->outbox_path);
        return EX_TEMPFAIL;
    }
    if (!(a->filer = filer_new(a->fmt->unit, a->cats, a->outbox, a->id.sign_sk,
                               a->rejected_dir, flags)))
        return EX_OSERR;
    attstore_dir(a->outbox_path, a->att_dir, sizeof a->att_dir);
    if (filer_set_attachments(a->filer, a->att_dir, &a->att_lim) < 0)
        return EX_OSERR;
    return EX_OK;
}

static void
drop_export(struct export_read *e)
{
    free(e->file);
    free(e->base);
    filer_rows_free(e->rows, e->nrows);
    memset(e, 0, sizeof *e);
}

/* Keeps the rows of the export just read from path for its printable
 * receipt, named base (NULL: the export's own name). */
static void
keep_export(adapter_t *a, const char *path, const char *base)
{
    struct export_read *v, *e;
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;

    if (!(v = realloc(a->exports, (a->nexports + 1) * sizeof *v)))
        return;
    a->exports = v;
    e = &v[a->nexports];
    memset(e, 0, sizeof *e);
    filer_take_rows(a->filer, &e->rows, &e->nrows);
    e->read_at = clock_now();
    if (!(e->file = strdup(name)) || !(e->base = strdup(base ? base : name))) {
        drop_export(e);
        return;
    }
    a->nexports++;
}

/* watch moved path to dest: the export's receipt takes its new name (or,
 * moved to rejected/ whole, has none). */
static void
moved_export(void *arg, const char *path, const char *dest, int rejected)
{
    adapter_t *a = arg;
    const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
    const char *dslash = strrchr(dest, '/'), *dname = dslash ? dslash + 1 : dest;

    for (size_t i = a->nexports; i-- > 0;) {
        struct export_read *e = &a->exports[i];
        char *b;
        if (strcmp(e->file, name) != 0 || strcmp(e->base, name) != 0)
            continue;
        if (rejected) {
            drop_export(e);
            a->exports[i] = a->exports[--a->nexports];
        } else if ((b = strdup(dname))) {
            free(e->base);
            e->base = b;
        }
        break;
    }
}

/* Writes the printable receipt of each export kept, once the hub has
 * answered for every filing in the outbox (or now, when all is 1: what is
 * not answered yet is marked so). */
static void
write_receipts(adapter_t *a, int all)
{
    char html[PATH_MAX];

    if (!a->nexports || (!all && outbox_count_pending(a->outbox) != 0))
        return;
    if (files_mkdir_p(a->done_dir, 0750) < 0) {
        log_warn(_("cannot create %s"), a->done_dir);
        return;
    }
    for (size_t i = 0; i < a->nexports; i++) {
        struct export_read *e = &a->exports[i];
        if (clerk_receipt_write(a->outbox, a->fmt->unit, a->done_dir, e->base, e->file,
                                e->rows, e->nrows, e->read_at, html, sizeof html) == 0 &&
            !a->quiet)
            fprintf(stderr, _("printable receipt of %s: %s\n"), e->file, html);
        drop_export(e);
    }
    a->nexports = 0;
}

/* check: read exports without filing anything; with the adapter's outbox
 * (when there is one), tell what it has already. */
static int
cmd_check(adapter_t *a, int argc, char **argv)
{
    const struct filer_counts *k;
    int status = EX_OK;
    cJSON *j, *e;

    if (conf_path(a->conf, "adapter", "outbox", "outbox.db", a->outbox_path,
                  sizeof a->outbox_path) == 0 && access(a->outbox_path, F_OK) == 0 &&
        !(a->outbox = outbox_open_readonly(a->outbox_path)))
        fprintf(stderr, _("the outbox %s cannot be read: what was filed already is not told "
                "apart\n"), a->outbox_path);
    if (!(a->filer = filer_new(a->fmt->unit, a->cats, a->outbox, NULL, NULL, FILER_DRY_RUN |
                               (a->quiet ? FILER_QUIET : 0) | (a->json ? FILER_JSON : 0))) ||
        filer_set_attachments(a->filer, NULL, &a->att_lim) < 0)
        return EX_OSERR;
    for (int i = 0; i < argc; i++)
        if (read_export(a, argv[i]) != 0)
            status = EX_DATAERR;
    if (!(j = filer_summary(a->filer)))
        return EX_OSERR;
    if (a->json) {
        text_print_json(j);
        return status;
    }
    k = filer_counts(a->filer);
    printf(_("%ld filings (%ld notices, %ld reports), %ld rows rejected\n"), k->queued,
           k->notices, k->reports, k->rejected);
    if (a->outbox)
        printf(_("  already in the outbox, not filed again: %ld unchanged since the last "
                 "export, %ld older than a revision already filed\n"), k->unchanged, k->older);
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "categories")) {
        const struct lx_category *c = categories_find(a->cats, e->string);
        const char *name = c ? (i18n_zh() ? c->zh : c->en) : NULL;
        if (name && *name)
            printf("  %s (%s)  %d\n", name, e->string, (int)e->valuedouble);
        else
            printf("  %-40s %d\n", e->string, (int)e->valuedouble);
    }
    cJSON_Delete(j);
    return status;
}

/* submit, before delivery: queues every export, or stops at the first the
 * outbox could not take.  Returns EX_OK, EX_NOINPUT when a file could not
 * be read, or EX_TEMPFAIL when the outbox could not take one. */
static int
cmd_submit(adapter_t *a, int argc, char **argv)
{
    const struct filer_counts *k;
    int status = EX_OK;

    for (int i = 0; i < argc; i++) {
        int rc = read_export(a, argv[i]);
        if (rc < 0) {
            say_outbox_refused(a, outbox_error(a->outbox), i + 1 < argc ?
                               _("nothing from %s was queued in %s (nor from the files "
                                 "after it)") : _("nothing from %s was queued in %s"),
                               argv[i], a->outbox_path);
            return EX_TEMPFAIL;
        }
        keep_export(a, argv[i], NULL);
        if (rc > 0 && status == EX_OK)
            status = EX_NOINPUT;
    }
    k = filer_counts(a->filer);
    if (!a->quiet && k->older)
        fprintf(stderr, _("%ld filings queued, %ld unchanged since the last export, %ld older "
                "than a revision already filed (not filed again: see rejected/), %ld rows "
                "rejected\n"), k->queued, k->unchanged, k->older, k->rejected);
    else if (!a->quiet)
        fprintf(stderr, _("%ld filings queued, %ld unchanged since the last export, "
                "%ld rows rejected\n"), k->queued, k->unchanged, k->rejected);
    return status;
}

/* answer: a unit's reply to a supplement request, filed as a supplement of
 * the filing the request was about. */
static int
cmd_answer(adapter_t *a, const char *obligation, const char *text, char *const *files,
           int nfiles)
{
    char filing_id[LIM_FILING_ID + 8];
    uint8_t *payload = NULL;
    Lianxi__Envelope *env = NULL;
    Lianxi__Filing f;
    long n;
    int rc = EX_DATAERR, filed = -1;

    if (outbox_request_filing(a->outbox, obligation, filing_id, sizeof filing_id) < 0) {
        fprintf(stderr, _("no supplement request %s has reached this adapter: run 'send' to "
                "collect the hub's messages, and check the number in notices/\n"), obligation);
        return EX_DATAERR;
    }
    if ((n = outbox_latest_payload(a->outbox, filing_id, &payload)) < 0 ||
        !(env = wire_unpack(payload, (size_t)n)) ||
        env->body_case != LIANXI__ENVELOPE__BODY_FILING) {
        fprintf(stderr, _("the filing %s that %s is about is not in this adapter's outbox\n"),
                filing_id, obligation);
        goto out;
    }
    f = *env->filing;
    f.stage = LIANXI__STAGE__STAGE_SUPPLEMENT;
    f.answers = (char *)obligation;
    f.summary = (char *)text;
    f.signature.data = NULL;
    f.signature.len = 0;
    /* Its own documents (--attach), never the report's. */
    f.attachments = NULL;
    f.n_attachments = 0;
    if (filer_begin(a->filer) == 0) {
        /* Each FILE as given, from where the clerk runs it. */
        filed = nfiles > 0 ? filer_attach_files(a->filer, &f, "(answer)", 0, "--attach",
                                                (const char *const *)files, (size_t)nfiles) : 0;
        if (filed == 0)
            filed = filer_file(a->filer, &f, "(answer)", 0);
        if (filer_end(a->filer, NULL) < 0)
            filed = -1;
    }
    if (filed < 0) {
        say_outbox_refused(a, outbox_error(a->outbox), _("the answer to %s was not queued in %s"),
                           obligation, a->outbox_path);
        rc = EX_TEMPFAIL;
    } else {
        rc = filed == 0 ? EX_OK : EX_DATAERR;
    }
out:
    wire_free(env);
    free(payload);
    return rc;
}

/* reply: a unit's opinion on a joint review, queued from the clerk's
 * table.  Returns EX_OK (queued, or the same as already queued),
 * EX_DATAERR (the table is refused: the reason on stderr), or EX_TEMPFAIL
 * (the outbox could not take it). */
static int
cmd_reply(adapter_t *a, const char *review, const char *path, char *const *files, int nfiles,
          char *err, size_t errlen)
{
    Lianxi__Attachment *const *att = NULL;
    size_t natt = 0;
    char code[24];
    uint32_t rev = 0;
    int rc;

    if (!reply_file_review(review, code, sizeof code) || strcmp(code, review) != 0) {
        fprintf(stderr, _("'%s' is not a joint review's number (REQ-N, as in notices/)\n"),
                review);
        return EX_USAGE;
    }
    err[0] = '\0';
    /* Its documents (--attach), each FILE as given, checked and copied as
     * answer --attach's are. */
    if (nfiles > 0 && filer_take_files(a->filer, (const char *const *)files, (size_t)nfiles,
                                       &att, &natt, err, errlen) != 0) {
        fprintf(stderr, _("%s: the opinion on %s is not filed: %s\n"), path, review,
                text_utf8_fix(err));
        return EX_DATAERR;
    }
    rc = reply_queue(a->outbox, a->fmt->unit, a->id.sign_sk, review, path, att, natt,
                     clock_now(), &rev, err, errlen);
    if (rc < 0 && outbox_error(a->outbox) != OB_ERR_NONE) {
        say_outbox_refused(a, outbox_error(a->outbox), _("the opinion on %s was not queued in "
                           "%s"), review, a->outbox_path);
        return EX_TEMPFAIL;
    }
    if (rc < 0) {
        fprintf(stderr, _("%s: the opinion on %s is not filed: %s\n"), path, review,
                text_utf8_fix(err));
        return EX_DATAERR;
    }
    if (!a->quiet)
        fprintf(stderr, rc == REPLY_UNCHANGED ? _("the opinion on %s is unchanged since its "
                "revision %u: nothing new to file\n") : _("opinion on %s queued as revision %u\n"),
                review, rev);
    return EX_OK;
}

/* attend: a unit's reply to a meeting notice.  Returns EX_OK (queued, or
 * the same as already queued), EX_USAGE, EX_DATAERR (refused: the reason
 * on stderr), or EX_TEMPFAIL (the outbox could not take it). */
static int
cmd_attend(adapter_t *a, const char *meeting, const char *yesno, const char *attendee)
{
    int64_t id = attend_parse_meeting(meeting);
    char err[1024] = "";
    uint32_t rev = 0;
    int attend, rc;

    if (id < 0) {
        fprintf(stderr, _("'%s' is not a meeting's number (M-N, as in notices/)\n"), meeting);
        return EX_USAGE;
    }
    if (strcmp(yesno, "yes") == 0 || strcmp(yesno, "出席") == 0)
        attend = 1;
    else if (strcmp(yesno, "no") == 0 || strcmp(yesno, "不出席") == 0)
        attend = 0;
    else {
        fprintf(stderr, _("say yes (the unit attends, with who: \"name, post\") or no\n"));
        return EX_USAGE;
    }
    rc = attend_queue(a->outbox, a->fmt->unit, a->id.sign_sk, id, attend,
                      attend ? attendee : "", clock_now(), &rev, err, sizeof err);
    if (rc < 0 && outbox_error(a->outbox) != OB_ERR_NONE) {
        say_outbox_refused(a, outbox_error(a->outbox), _("the reply to M-%lld was not queued in "
                           "%s"), (long long)id, a->outbox_path);
        return EX_TEMPFAIL;
    }
    if (rc < 0) {
        fprintf(stderr, _("the reply to meeting M-%lld is not sent: %s\n"), (long long)id,
                text_utf8_fix(err));
        return EX_DATAERR;
    }
    if (!a->quiet)
        fprintf(stderr, rc == ATTEND_UNCHANGED ? _("the reply to M-%lld is unchanged since its "
                "revision %u: nothing new to send\n") : _("reply to M-%lld queued as revision "
                "%u\n"), (long long)id, rev);
    return EX_OK;
}

struct taking {
    adapter_t *a;
    sender_t *s;
    int refused;            /* the outbox could not take a file */
};

/* Files one export found in drop/ (watch_take_fn). */
static enum watch_taken
take_export(void *arg, const char *path)
{
    struct taking *t = arg;
    long before = filer_counts(t->a->filer)->rejected;
    int rc;

    char review[24];

    if (stopping)
        return WATCH_LEFT;
    /* REQ-N….csv|xlsx: the unit's opinion on a joint review. */
    if (reply_file_review(path, review, sizeof review)) {
        char err[1024];
        rc = cmd_reply(t->a, review, path, NULL, 0, err, sizeof err);
        if (rc == EX_TEMPFAIL) {
            t->refused = 1;
            return WATCH_LEFT;
        }
        sender_refresh(t->s);
        if (rc != EX_OK && filer_begin(t->a->filer) == 0) {
            /* The reason goes into rejected/ beside the file, for the clerk. */
            filer_reject_file(t->a->filer, path, err);
            filer_end(t->a->filer, path);
        }
        return rc == EX_OK ? WATCH_DONE : WATCH_REJECTED;
    }
    if ((rc = read_export(t->a, path)) < 0) {
        say_outbox_refused(t->a, outbox_error(t->a->outbox), _("nothing from %s was queued in "
                           "%s (the file stays in the drop folder)"), path, t->a->outbox_path);
        t->refused = 1;
        return WATCH_LEFT;
    }
    sender_refresh(t->s);
    if (rc > 0 && filer_counts(t->a->filer)->rejected > before && access(path, F_OK) == 0)
        return WATCH_REJECTED;
    /* Its receipt is written once the hub has answered for its filings,
     * under the name it gets in done/ (moved_export). */
    keep_export(t->a, path, NULL);
    return WATCH_DONE;
}

/* watch: file each finished export dropped in drop/, deliver, take messages. */
static int
cmd_watch(adapter_t *a, sender_t *s)
{
    struct taking t = { a, s, 0 };
    watch_t *w;
    int again;
    int64_t retry = 0;

    if (files_mkdir_p(a->drop_dir, 0750) < 0 || files_mkdir_p(a->done_dir, 0750) < 0) {
        log_warn(_("cannot create %s or %s"), a->drop_dir, a->done_dir);
        return EX_CANTCREAT;
    }
    if (!(w = watch_new(a->drop_dir, a->done_dir, a->rejected_dir)))
        return EX_OSERR;
    watch_on_moved(w, moved_export, a);
    log_info(_("watching %s"), a->drop_dir);
    again = watch_scan(w, take_export, &t);
    write_receipts(a, 0);
    while (!stopping && again >= 0) {
        int rc = sender_turn(s, 1000, watch_fd(w));
        if (rc < 0)
            break;
        if (rc == 1 || (again && clock_mono_ms() - retry >= 1000)) {
            again = watch_scan(w, take_export, &t);
            retry = clock_mono_ms();
        }
        write_receipts(a, 0);
    }
    /* Stopping: what the hub has not answered yet is marked so. */
    write_receipts(a, 1);
    if (sender_disk_error(s) != OB_ERR_NONE) {
        say_outbox_refused(a, sender_disk_error(s), _("the hub's answers could not be recorded "
                           "in %s"), a->outbox_path);
        t.refused = 1;
    }
    watch_destroy(&w);
    log_info("%s", _("stopped watching"));
    return t.refused ? EX_TEMPFAIL : EX_OK;
}

static sender_t *
connect_hub(adapter_t *a, void *ctx)
{
    struct sender_cfg cfg = { 0 };
    char cert[PATH_MAX], epfile[PATH_MAX], witness[PATH_MAX], docs[PATH_MAX];
    long window;

    if (conf_path(a->conf, "adapter", "hub_cert", NULL, cert, sizeof cert) < 0 ||
        keys_load_public(cert, cfg.hub_pk) < 0 ||
        keys_load_sign_public(cert, cfg.hub_sign) < 0 ||
        witness_path(a, witness, sizeof witness) < 0)
        return NULL;
    cfg.witness_path = witness;
    cfg.endpoint = conf_get(a->conf, "adapter", "hub", NULL);
    if (!cfg.endpoint) {
        if (conf_path(a->conf, "adapter", "hub_endpoint_file", NULL, epfile, sizeof epfile) < 0) {
            log_warnx("%s", _("set [adapter] hub = tcp://HOST:PORT (or hub_endpoint_file)"));
            return NULL;
        }
        cfg.endpoint_file = epfile;
    }
    if (conf_int(a->conf, "adapter", "window", 256, 1, 4096, &window) < 0)
        return NULL;
    cfg.window = (int)window;
    cfg.id = &a->id;
    documents_dir(a, docs, sizeof docs);
    cfg.documents_dir = docs;
    cfg.attach_dir = a->att_dir;
    return sender_new(ctx, &cfg, a->outbox);
}

/* send, and submit and answer after queuing: delivers the outbox and takes
 * the hub's messages for up to wait_s, then says how it went.  Returns
 * EX_OK when everything was settled, else EX_TEMPFAIL. */
static int
cmd_send(adapter_t *a, sender_t *s, long wait_s)
{
    int pending = deliver(s, wait_s);
    enum ob_error disk = sender_disk_error(s);

    if (!a->quiet) {
        const struct sender_counts *k = sender_counts(s);
        fprintf(stderr, _("%ld receipts, %ld already filed, %ld rejected by the hub, "
                "%ld still pending\n"), k->receipts, k->duplicates, k->rejections,
                sender_unsettled(s));
    }
    if (getenv("LIANXI_LATENCY_FILE")) {
        /* For make bench: one latency in microseconds per line. */
        const uint32_t *lat;
        size_t nl = sender_latencies(s, &lat);
        FILE *lf = fopen(getenv("LIANXI_LATENCY_FILE"), "w");
        for (size_t i = 0; lf && i < nl; i++)
            fprintf(lf, "%u\n", lat[i]);
        if (lf)
            fclose(lf);
    }
    if (disk != OB_ERR_NONE) {
        say_outbox_refused(a, disk, _("the hub's answers could not be recorded in %s (the "
                           "filings stay queued)"), a->outbox_path);
        return EX_TEMPFAIL;
    }
    if (!pending)
        return EX_OK;
    fprintf(stderr, "%s: %s\n",
            sender_auth_refused(s) ? _("the hub refused this adapter's key") :
            _("the hub did not answer in time"),
            sender_unsettled(s) > 0 ? _("some filings are not yet acknowledged; they stay in "
            "the outbox and are sent by the next 'send' or 'submit'") :
            _("messages from the hub may be waiting; run 'send' again later"));
    return EX_TEMPFAIL;
}

int
adapter_main(int argc, char **argv, const struct adapter_format *fmt)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "quiet", no_argument, NULL, 'q' },
        { "json", no_argument, NULL, 'j' },
        { "wait", required_argument, NULL, 'w' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "attach", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 },
    };
    char *attach[ATT_MAX_COUNT + 1];
    int nattach = 0;
    adapter_t a = { .fmt = fmt };
    const char *cfile = NULL, *cmd = NULL;
    char prog[64];
    long wait_s = 600;
    int c, status = EX_OK, sent;
    void *ctx = NULL;
    sender_t *s = NULL;

    snprintf(prog, sizeof prog, "lianxi-adapter-%s", fmt->unit);
    log_init(prog, LOG_LVL_INFO);
    i18n_init(NULL);
    zsys_handler_set(NULL);
    setvbuf(stdout, NULL, _IOLBF, 0);   /* receipts interleave with the log as they come */
    /* Options before the command, then options anywhere among its files
     * (`submit a.csv -q --wait 30`: the options are not files); after
     * "--" everything is a file. */
    for (int round = 0; round < 2; round++) {
        int base = round ? optind - 1 : 0, n = argc - base;
        optind = 0;     /* 0: GNU getopt starts afresh (at 1) on the new vector */
        while ((c = getopt_long(n, argv + base, round ? "c:qjw:vh" : "+c:qjw:vh", opts,
                                NULL)) != -1) {
            switch (c) {
            case 'c': cfile = optarg; break;
            case 'q': a.quiet = 1; break;
            case 'j': a.json = 1; break;
            case 'w': wait_s = strtol(optarg, NULL, 10); break;
            case 'v': log_verbose(); break;
            case 'a':
                if (nattach < ATT_MAX_COUNT + 1)
                    attach[nattach++] = optarg;
                break;
            default: usage(fmt->unit);
            }
        }
        optind = (optind ? optind : 1) + base;
        if (round == 0) {
            if (!cfile || optind >= argc)
                usage(fmt->unit);
            a.cmd = cmd = argv[optind++];
        }
    }
    if (sodium_init() < 0)
        fatalx("%s", _("libsodium cannot start"));
    if (setup(&a, cfile) < 0) {
        status = EX_CONFIG;
        goto out;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    if (strcmp(cmd, "check") == 0) {
        if (optind >= argc)
            usage(fmt->unit);
        status = cmd_check(&a, argc - optind, argv + optind);
        goto out;
    }
    if ((status = setup_filing(&a)) != EX_OK)
        goto out;

    if (strcmp(cmd, "status") == 0) {
        status = cmd_status(&a);
        goto out;
    }
    if (strcmp(cmd, "submit") == 0) {
        if (optind >= argc)
            usage(fmt->unit);
        if ((status = cmd_submit(&a, argc - optind, argv + optind)) == EX_TEMPFAIL)
            goto out;
    } else if (strcmp(cmd, "answer") == 0) {
        /* answer OB-N TEXT [--attach FILE...]: the files after --attach
         * (getopt put them with the other operands). */
        if (optind > argc - 2 || (optind != argc - 2 && nattach == 0))
            usage(fmt->unit);
        for (int i = optind + 2; i < argc && nattach < ATT_MAX_COUNT + 1; i++)
            attach[nattach++] = argv[i];
        if ((status = cmd_answer(&a, argv[optind], argv[optind + 1], attach, nattach)) != EX_OK)
            goto out;
    } else if (strcmp(cmd, "reply") == 0) {
        /* reply REQ-N FILE [--attach DOC...]: as answer's. */
        if (optind > argc - 2 || (optind != argc - 2 && nattach == 0))
            usage(fmt->unit);
        for (int i = optind + 2; i < argc && nattach < ATT_MAX_COUNT + 1; i++)
            attach[nattach++] = argv[i];
        char err[1024];
        if ((status = cmd_reply(&a, argv[optind], argv[optind + 1], attach, nattach, err,
                                sizeof err)) != EX_OK)
            goto out;
    } else if (strcmp(cmd, "attend") == 0) {
        if (optind != argc - 2 && optind != argc - 3)
            usage(fmt->unit);
        if ((status = cmd_attend(&a, argv[optind], argv[optind + 1],
                                 optind == argc - 3 ? argv[optind + 2] : "")) != EX_OK)
            goto out;
    } else if (strcmp(cmd, "send") != 0 && strcmp(cmd, "watch") != 0) {
        usage(fmt->unit);
    }
    if (!(ctx = zmq_ctx_new()) || !(s = connect_hub(&a, ctx))) {
        status = EX_CONFIG;
        goto out;
    }
    sender_on_settle(s, print_receipt, print_rejection, &a);
    sender_on_message(s, keep_message);
    sender_on_transfer(s, print_transfer);
    if (strcmp(cmd, "watch") == 0) {
        status = cmd_watch(&a, s);
        goto out;
    }
    if ((sent = cmd_send(&a, s, wait_s)) != EX_OK)
        status = sent;
    if (strcmp(cmd, "submit") == 0)
        write_receipts(&a, 1);
out:
    sender_destroy(&s);
    if (ctx)
        zmq_ctx_term(ctx);
    for (size_t i = 0; i < a.nexports; i++)
        drop_export(&a.exports[i]);
    free(a.exports);
    filer_destroy(&a.filer);
    outbox_close(&a.outbox);
    categories_destroy(&a.cats);
    conf_destroy(&a.conf);
    sodium_memzero(&a.id, sizeof a.id);
    return status;
}
