/* adapter.c — the shared adapter program: config, keys, outbox, sender,
 * the commands, and the rejected/ folder. */
#include "adapter.h"
#include "canon.h"
#include "conf.h"
#include "keys.h"
#include "log.h"
#include "outbox.h"
#include "sender.h"
#include "days.h"
#include "clock.h"
#include "files.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

#include <cjson/cJSON.h>
#include <czmq.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/inotify.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

struct adapter {
    const struct adapter_format *fmt;
    conf_t *conf;
    categories_t *cats;
    struct identity id;
    outbox_t *outbox;
    char rejected_dir[PATH_MAX];
    char notices_dir[PATH_MAX];
    /* the rejected/ note of the file being read */
    char *note;
    size_t note_len, note_cap;
    long queued, unchanged, rejected_rows;
    int quiet, json;
    /* check (dry run): what would be filed */
    int dry_run;
    long notices, reports;
    cJSON *by_category, *rejections;
    crypto_generichash_state digest;
    /* progress of the file being read */
    int progress_shown, progress_tty, progress_step;
    int64_t progress_start;
    /* watch */
    char drop_dir[PATH_MAX], done_dir[PATH_MAX];
};

static volatile sig_atomic_t stopping;

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

char *
adapter_trim(char *s)
{
    char *e;

    for (;;) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        else if (strncmp(s, "\xe3\x80\x80", 3) == 0)  /* U+3000 ideographic space */
            s += 3;
        else
            break;
    }
    e = s + strlen(s);
    for (;;) {
        if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
            e--;
        else if (e - s >= 3 && strncmp(e - 3, "\xe3\x80\x80", 3) == 0)
            e -= 3;
        else
            break;
    }
    *e = '\0';
    return s;
}

const char *
adapter_map_find(const struct adapter_map *map, const char *text)
{
    for (; map->text; map++)
        if (strcmp(map->text, text) == 0)
            return map->value;
    return NULL;
}

int
adapter_rank(const char *t)
{
    static const struct { const char *text; int rank; } ranks[] = {
        { "科员", LIANXI__RANK__RANK_CLERK }, { "科员及以下", LIANXI__RANK__RANK_CLERK },
        { "办事员", LIANXI__RANK__RANK_CLERK }, { "科员级", LIANXI__RANK__RANK_CLERK },
        { "副科", LIANXI__RANK__RANK_DEPUTY_SECTION }, { "副科级", LIANXI__RANK__RANK_DEPUTY_SECTION },
        { "正科", LIANXI__RANK__RANK_SECTION }, { "正科级", LIANXI__RANK__RANK_SECTION },
        { "副处", LIANXI__RANK__RANK_DEPUTY_DIVISION }, { "副处级", LIANXI__RANK__RANK_DEPUTY_DIVISION },
        { "正处", LIANXI__RANK__RANK_DIVISION }, { "正处级", LIANXI__RANK__RANK_DIVISION },
        { "副厅", LIANXI__RANK__RANK_BUREAU }, { "副厅级", LIANXI__RANK__RANK_BUREAU },
        { "副厅及以上", LIANXI__RANK__RANK_BUREAU },
        /* 职务与职级并行 (2019): grades of civil servants without leading posts,
         * by the level they correspond to. */
        { "一级科员", LIANXI__RANK__RANK_CLERK }, { "二级科员", LIANXI__RANK__RANK_CLERK },
        { "三级主任科员", LIANXI__RANK__RANK_DEPUTY_SECTION },
        { "四级主任科员", LIANXI__RANK__RANK_DEPUTY_SECTION },
        { "一级主任科员", LIANXI__RANK__RANK_SECTION },
        { "二级主任科员", LIANXI__RANK__RANK_SECTION },
        { "三级调研员", LIANXI__RANK__RANK_DEPUTY_DIVISION },
        { "四级调研员", LIANXI__RANK__RANK_DEPUTY_DIVISION },
        { "一级调研员", LIANXI__RANK__RANK_DIVISION },
        { "二级调研员", LIANXI__RANK__RANK_DIVISION },
        { "一级巡视员", LIANXI__RANK__RANK_BUREAU }, { "二级巡视员", LIANXI__RANK__RANK_BUREAU },
    };
    for (size_t i = 0; t && i < sizeof ranks / sizeof ranks[0]; i++)
        if (strcmp(ranks[i].text, t) == 0)
            return ranks[i].rank;
    return 0;
}

int
adapter_scope(const char *t)
{
    static const struct { const char *text; int scope; } scopes[] = {
        { "", LIANXI__SCOPE__SCOPE_ORGANS }, { "公开", LIANXI__SCOPE__SCOPE_PUBLIC },
        { "向社会公开", LIANXI__SCOPE__SCOPE_PUBLIC },
        { "党政机关", LIANXI__SCOPE__SCOPE_ORGANS }, { "本单位内", LIANXI__SCOPE__SCOPE_ORGANS },
        { "县委领导班子", LIANXI__SCOPE__SCOPE_LEADERSHIP },
        { "县委领导班子内", LIANXI__SCOPE__SCOPE_LEADERSHIP },
        { "特定范围", LIANXI__SCOPE__SCOPE_SPECIFIC }, { "特定范围内", LIANXI__SCOPE__SCOPE_SPECIFIC },
        { "涉密", LIANXI__SCOPE__SCOPE_CLASSIFIED }, { "国家秘密", LIANXI__SCOPE__SCOPE_CLASSIFIED },
    };
    for (size_t i = 0; t && i < sizeof scopes / sizeof scopes[0]; i++)
        if (strcmp(scopes[i].text, t) == 0)
            return scopes[i].scope;
    return 0;
}

void
adapter_note(adapter_t *a, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(a->note + a->note_len, a->note_cap - a->note_len, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if ((size_t)n < a->note_cap - a->note_len) {
            a->note_len += (size_t)n;
            return;
        }
        size_t ncap = (a->note_cap + (size_t)n + 1) * 2;
        char *nn = realloc(a->note, ncap);
        if (!nn)
            return;
        a->note = nn;
        a->note_cap = ncap;
    }
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
    a->rejected_rows++;
    adapter_note(a, "%s:%ld: %s: %s\n", path, line, field, why);
    if (a->rejections) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", path);
        cJSON_AddNumberToObject(o, "line", line);
        cJSON_AddStringToObject(o, "field", field);
        cJSON_AddStringToObject(o, "reason", why);
        cJSON_AddItemToArray(a->rejections, o);
    }
    if (!a->quiet && !a->json)
        fprintf(stderr, "rejected %s line %ld, %s: %s\n", path, line, field, why);
}

void
adapter_reject_file(adapter_t *a, const char *path, const char *why)
{
    a->rejected_rows++;
    adapter_note(a, "%s: the whole file was not read: %s\n", path, why);
    if (a->rejections) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", path);
        cJSON_AddNumberToObject(o, "line", 0);
        cJSON_AddStringToObject(o, "field", "(file)");
        cJSON_AddStringToObject(o, "reason", why);
        cJSON_AddItemToArray(a->rejections, o);
    }
    fprintf(stderr, "rejected %s: %s\n", path, why);
}

/* The filing id of one cadre in one case at one stage (a case may name
 * several cadres): unit:case:stage:ID-number, readable when the case
 * reference allows and it fits, else with a hash of the case reference. */
void
adapter_filing_id(const char *unit, const char *case_ref, int stage, const char *id_number,
                  char *out, size_t len)
{
    static const char *stages[] = { "x", "notice", "report", "supplement" };
    const char *st = stages[stage >= 0 && stage <= 3 ? stage : 0];
    size_t n = strlen(case_ref);
    int plain = n > 0 && strlen(unit) + n + strlen(st) + strlen(id_number) + 3 < len &&
                strlen(unit) + n + strlen(st) + strlen(id_number) + 3 <= LIM_FILING_ID;

    for (const char *p = case_ref; plain && *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            plain = 0;
    if (plain) {
        snprintf(out, len, "%s:%s:%s:%s", unit, case_ref, st, id_number);
    } else {
        uint8_t h[8];
        char hex[17];
        crypto_generichash(h, sizeof h, (const uint8_t *)case_ref, n, NULL, 0);
        text_hex(hex, h, sizeof h);
        snprintf(out, len, "%s:%s:%s:%s", unit, hex, st, id_number);
    }
}

int
adapter_file(adapter_t *a, Lianxi__Filing *f, const char *path, long line)
{
    char id[LIM_FILING_ID + 1], detail[512];
    Lianxi__RejectCode code;
    int rc;

    f->unit = (char *)a->fmt->unit;
    adapter_filing_id(a->fmt->unit, f->case_ref ? f->case_ref : "", f->stage,
                      f->cadre && f->cadre->id_number ? f->cadre->id_number : "", id, sizeof id);
    f->filing_id = id;
    f->revision = 1;
    f->queued_at = clock_now();
    code = validate_filing(a->cats, a->fmt->unit, f, clock_now(), detail, sizeof detail);
    if (code != LIANXI__REJECT_CODE__REJECT_NONE) {
        adapter_reject_row(a, path, line, validate_code_name(code), "%s", detail);
        f->filing_id = NULL;
        return 1;
    }
    if (a->dry_run) {
        uint8_t key[32];
        cJSON *n = cJSON_GetObjectItemCaseSensitive(a->by_category, f->category);
        if (n)
            cJSON_SetNumberValue(n, n->valuedouble + 1);
        else
            cJSON_AddNumberToObject(a->by_category, f->category, 1);
        if (f->stage == LIANXI__STAGE__STAGE_NOTICE)
            a->notices++;
        else
            a->reports++;
        if (outbox_content_key(f, key) == 0)
            crypto_generichash_update(&a->digest, key, sizeof key);
        a->queued++;
        f->filing_id = NULL;
        return 0;
    }
    rc = outbox_add(a->outbox, f, a->id.sign_sk, clock_now());
    free(f->signature.data);
    f->signature.data = NULL;
    f->signature.len = 0;
    f->filing_id = NULL;
    if (rc < 0)
        return -1;
    if (rc == OUTBOX_UNCHANGED)
        a->unchanged++;
    else
        a->queued++;
    return 0;
}

#define PROGRESS_MIN_BYTES (4 << 20)    /* smaller files finish before a bar helps */

void
adapter_progress(adapter_t *a, size_t done, size_t total)
{
    int pct, step;

    if (a->quiet || a->json || total < PROGRESS_MIN_BYTES || done > total)
        return;
    pct = (int)(done * 100 / total);
    if (!a->progress_shown) {
        a->progress_shown = 1;
        a->progress_tty = isatty(STDERR_FILENO);
        a->progress_step = -1;
        a->progress_start = clock_mono_ms();
    }
    step = a->progress_tty ? pct : pct / 10;
    if (step == a->progress_step)
        return;
    a->progress_step = step;
    if (a->progress_tty) {
        char bar[41];
        int fill = pct * 40 / 100;
        memset(bar, '=', (size_t)fill);
        memset(bar + fill, ' ', (size_t)(40 - fill));
        bar[40] = '\0';
        fprintf(stderr, "\r[%s] %3d%%  %ld filed, %ld rejected", bar, pct,
                a->queued + a->unchanged, a->rejected_rows);
    } else {
        fprintf(stderr, "progress: %d%% read, %ld filings, %ld rows rejected\n", pct,
                a->queued + a->unchanged, a->rejected_rows);
    }
}

void
adapter_progress_done(adapter_t *a)
{
    if (a->progress_shown && a->progress_tty)
        fprintf(stderr, "\r%80s\r", "");
    if (a->progress_shown && !a->quiet && !a->json)
        fprintf(stderr, "read in %.1f s\n", (clock_mono_ms() - a->progress_start) / 1000.0);
    a->progress_shown = 0;
}

static void
usage(const char *unit)
{
    fprintf(stderr,
            "usage: lianxi-adapter-%s -c ADAPTER.CONF [-q] [--wait SECONDS] submit FILE...\n"
            "       lianxi-adapter-%s -c ADAPTER.CONF [-q] watch\n"
            "       lianxi-adapter-%s -c ADAPTER.CONF [--wait SECONDS] send\n"
            "       lianxi-adapter-%s -c ADAPTER.CONF answer OB-N TEXT\n"
            "       lianxi-adapter-%s -c ADAPTER.CONF [--json] check FILE...\n"
            "       lianxi-adapter-%s -c ADAPTER.CONF [--json] status\n"
            "  submit  read exports, queue their filings, deliver them, print receipts\n"
            "  watch   take each finished export dropped in drop/, file it, move it to done/\n"
            "  send    deliver what is still in the outbox (after a restart)\n"
            "  answer  answer a supplement request (its number is in notices/)\n"
            "  check   read exports without filing: what would be filed, what is rejected\n"
            "  status  outbox depth, last receipt, rejections\n", unit, unit, unit, unit, unit, unit);
    exit(EX_USAGE);
}

static void
print_receipt(void *arg, const Lianxi__Receipt *r)
{
    adapter_t *a = arg;
    char when[20];

    if (a->quiet)
        return;
    days_time_format(r->received_at, when);
    printf("receipt %s  %s rev %u  received %s  due %s  ", r->receipt_no, r->filing_id,
           r->revision, when, r->due_on);
    if (r->on_time)
        printf("on time");
    else
        printf("LATE by %u working day%s", r->late_days, r->late_days == 1 ? "" : "s");
    if (r->judged_at && r->judged_at != r->received_at)
        printf(" (judged at queue time: the hub was down)");
    if (r->opened_obligation && *r->opened_obligation)
        printf("  report due as %s", r->opened_obligation);
    if (r->closed_obligation && *r->closed_obligation)
        printf("  closes %s", r->closed_obligation);
    printf("%s%s\n", r->duplicate ? "  (already filed)" : "",
           r->provisional ? "  (provisional)" : "");
}

static void
print_rejection(void *arg, const Lianxi__Rejection *x)
{
    adapter_t *a = arg;
    FILE *out;
    char path[PATH_MAX];

    fprintf(stderr, "hub rejected %s rev %u (%s): %s\n", x->filing_id, x->revision,
            validate_code_name(x->code), x->detail);
    if (files_join(path, sizeof path, a->rejected_dir, "hub-rejections.txt") == 0 &&
        (out = fopen(path, "a"))) {
        char when[20];
        days_time_format(clock_now(), when);
        fprintf(out, "%s  %s rev %u  %s: %s\n", when, x->filing_id, x->revision,
                validate_code_name(x->code), x->detail);
        fclose(out);
    }
}

static int
write_note(adapter_t *a, const char *path)
{
    char file[PATH_MAX], *copy, *base;
    int rc;

    if (!(copy = strdup(path)))
        return -1;
    base = basename(copy);
    snprintf(file, sizeof file, "%s/%s.rejected.txt", a->rejected_dir, base);
    free(copy);
    if (a->note_len == 0) {
        /* A clean export under the same name: the old list no longer holds. */
        unlink(file);
        return 0;
    }
    rc = files_write_atomic(file, a->note, a->note_len, 0640);
    if (rc < 0)
        log_warn("cannot write %s", file);
    else if (!a->quiet)
        fprintf(stderr, "rejected rows are listed in %s\n", file);
    a->note_len = 0;
    return rc;
}

/* Reads one export into the outbox in one transaction. */
static int
read_export(adapter_t *a, const char *path)
{
    int rc;

    if (outbox_begin(a->outbox) < 0)
        return -1;
    rc = a->fmt->read(a, path, a->fmt->data);
    if (outbox_commit(a->outbox) < 0) {
        outbox_rollback(a->outbox);
        return -1;
    }
    write_note(a, path);
    return rc;
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

/* A message from the hub becomes a readable file in notices/. */
static int
keep_message(void *arg, const Lianxi__HubMessage *m, char *file, size_t len)
{
    adapter_t *a = arg;
    const char *kind = m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_SUPPLEMENT_REQUEST
                           ? "supplement-request" : "reminder";
    const char *kind_zh = m->kind == LIANXI__HUB_MESSAGE_KIND__HUB_MESSAGE_SUPPLEMENT_REQUEST
                              ? "补充材料要求" : (m->overdue_days ? "逾期提醒" : "到期提醒");
    char text[8192], when[20], got[20];
    int n;

    days_time_format(m->created_at, when);
    days_time_format(clock_now(), got);
    snprintf(file, len, "%s/%06llu-%s.txt", a->notices_dir, (unsigned long long)m->id, kind);
    n = snprintf(text, sizeof text,
                 "县干部监督联席会议 · lianxi\n"
                 "%s (%s)\n\n"
                 "%s\n\n"
                 "义务编号 obligation:   %s\n"
                 "案件 case:             %s\n"
                 "文书 filing:           %s\n"
                 "截止日期 due:          %s\n"
                 "逾期工作日 overdue:    %u\n"
                 "发出 sent by the hub:  %s\n"
                 "收到 received:         %s\n"
                 "消息编号 message:      %llu\n",
                 kind_zh, kind, m->text, m->obligation_id, m->case_ref, m->filing_id,
                 m->due_on, m->overdue_days, when, got, (unsigned long long)m->id);
    if (n < 0 || files_write_atomic(file, text, strlen(text), 0640) < 0) {
        log_warn("cannot write %s", file);
        return -1;
    }
    if (!a->quiet)
        printf("%s from the hub: %s\n  (saved in %s)\n", kind, m->text, file);
    return 0;
}

struct status_ctx {
    int json, first;
};

static void
json_str(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void
status_rejected(void *arg, const char *filing_id, uint32_t rev, const char *case_ref, int code,
                const char *detail, int64_t at)
{
    struct status_ctx *c = arg;
    char when[20];

    days_time_format(at, when);
    if (c->json) {
        printf("%s{\"filing_id\":", c->first ? "" : ",");
        json_str(filing_id);
        printf(",\"revision\":%u,\"case_ref\":", rev);
        json_str(case_ref);
        printf(",\"code\":\"%s\",\"detail\":", validate_code_name(code));
        json_str(detail);
        printf(",\"at\":%lld}", (long long)at);
    } else {
        printf("  %s  %s rev %u (case %s): %s: %s\n", when, filing_id, rev, case_ref,
               validate_code_name(code), detail);
    }
    c->first = 0;
}

static int
cmd_status(adapter_t *a, int json)
{
    struct ob_stats st;
    struct status_ctx c = { json, 1 };
    char when[20] = "-";

    if (outbox_stats(a->outbox, &st) < 0)
        return EX_SOFTWARE;
    if (st.last_receipt_at)
        days_time_format(st.last_receipt_at, when);
    if (json) {
        printf("{\"unit\":\"%s\",\"pending\":%ld,\"acked\":%ld,\"rejected\":%ld,"
               "\"last_receipt\":", a->fmt->unit, st.pending, st.acked, st.rejected);
        json_str(st.last_receipt);
        printf(",\"last_receipt_at\":%lld,\"rejections\":[", (long long)st.last_receipt_at);
        outbox_rejected(a->outbox, 1000, status_rejected, &c);
        printf("]}\n");
    } else {
        printf("unit %s\n  outbox: %ld pending, %ld acknowledged, %ld rejected by the hub\n"
               "  last receipt: %s at %s (%s)\n", a->fmt->unit, st.pending, st.acked,
               st.rejected, st.last_receipt[0] ? st.last_receipt : "none", when,
               st.last_filing[0] ? st.last_filing : "-");
        if (st.rejected) {
            printf("  rejections (newest first):\n");
            outbox_rejected(a->outbox, 50, status_rejected, &c);
        }
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
    unit = conf_get(a->conf, "adapter", "unit", NULL);
    if (!unit || strcmp(unit, a->fmt->unit) != 0) {
        log_warnx("%s: [adapter] unit = %s, but this is the %s adapter", cfile,
                  unit ? unit : "(missing)", a->fmt->unit);
        return -1;
    }
    if (conf_path(a->conf, "adapter", "categories", NULL, path, sizeof path) < 0 ||
        !(a->cats = categories_load(path)))
        return -1;
    return 0;
}

/* What filing needs beyond reading: keys, folders, the outbox. */
static int
setup_filing(adapter_t *a)
{
    char path[PATH_MAX], sign[PATH_MAX];

    if (conf_path(a->conf, "adapter", "cert", NULL, path, sizeof path) < 0 ||
        conf_path(a->conf, "adapter", "sign", NULL, sign, sizeof sign) < 0 ||
        keys_load_identity(path, sign, &a->id) < 0)
        return -1;
    if (conf_path(a->conf, "adapter", "rejected", "rejected", a->rejected_dir,
                  sizeof a->rejected_dir) < 0 || files_mkdir_p(a->rejected_dir, 0750) < 0)
        return -1;
    if (conf_path(a->conf, "adapter", "notices", "notices", a->notices_dir,
                  sizeof a->notices_dir) < 0 || files_mkdir_p(a->notices_dir, 0750) < 0)
        return -1;
    if (conf_path(a->conf, "adapter", "drop", "drop", a->drop_dir, sizeof a->drop_dir) < 0 ||
        conf_path(a->conf, "adapter", "done", "done", a->done_dir, sizeof a->done_dir) < 0)
        return -1;
    if (conf_path(a->conf, "adapter", "outbox", "outbox.db", path, sizeof path) < 0 ||
        !(a->outbox = outbox_open(path)))
        return -1;
    return 0;
}

/* check: read exports without filing anything. */
static int
cmd_check(adapter_t *a, int argc, char **argv)
{
    uint8_t digest[32];
    char hex[65];
    int status = EX_OK;
    cJSON *j;

    a->dry_run = 1;
    a->by_category = cJSON_CreateObject();
    a->rejections = cJSON_CreateArray();
    crypto_generichash_init(&a->digest, NULL, 0, sizeof digest);
    for (int i = 0; i < argc; i++) {
        if (a->fmt->read(a, argv[i], a->fmt->data) < 0)
            status = EX_DATAERR;
        a->note_len = 0;
    }
    crypto_generichash_final(&a->digest, digest, sizeof digest);
    text_hex(hex, digest, sizeof digest);
    j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "unit", a->fmt->unit);
    cJSON_AddNumberToObject(j, "rows", a->queued + a->rejected_rows);
    cJSON_AddNumberToObject(j, "filings", a->queued);
    cJSON_AddNumberToObject(j, "notices", a->notices);
    cJSON_AddNumberToObject(j, "reports", a->reports);
    cJSON_AddNumberToObject(j, "rejected", a->rejected_rows);
    cJSON_AddItemToObject(j, "categories", a->by_category);
    cJSON_AddStringToObject(j, "digest", hex);
    cJSON_AddItemToObject(j, "rejections", a->rejections);
    if (a->json) {
        text_print_json(j);
        j = NULL;
    } else {
        cJSON *e;
        printf("%ld filings (%ld notices, %ld reports), %ld rows rejected\n", a->queued,
               a->notices, a->reports, a->rejected_rows);
        cJSON_ArrayForEach(e, a->by_category)
            printf("  %-40s %d\n", e->string, (int)e->valuedouble);
    }
    cJSON_Delete(j);
    a->by_category = a->rejections = NULL;
    return status;
}

/* 1 when another process still has path open for writing (a copy in
 * progress), else 0.  Uses a read lease; where leases are not allowed, a
 * file changed within the last two seconds counts as being written. */
static int
being_written(const char *path)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), busy = 0;

    if (fd < 0)
        return 1;
    if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
        fcntl(fd, F_SETLEASE, F_UNLCK);
    } else if (errno == EAGAIN || errno == EBUSY) {
        busy = 1;
    } else if (fstat(fd, &st) == 0 && clock_now() - st.st_mtime < 2) {
        busy = 1;
    }
    close(fd);
    return busy;
}

static void
move_to(const char *path, const char *dir)
{
    char dest[PATH_MAX], *copy = strdup(path), *base;
    struct stat st;

    if (!copy)
        return;
    base = basename(copy);
    snprintf(dest, sizeof dest, "%s/%s", dir, base);
    if (stat(dest, &st) == 0)
        snprintf(dest, sizeof dest, "%s/%s.%lld", dir, base, (long long)clock_now_us());
    if (rename(path, dest) < 0)
        log_warn("cannot move %s to %s", path, dir);
    free(copy);
}

/* Files every finished export in drop/.  Returns 1 when some file is still
 * being written (look again soon), else 0. */
static int
scan_drop(adapter_t *a, sender_t *s)
{
    DIR *d = opendir(a->drop_dir);
    struct dirent *e;
    int again = 0;

    if (!d) {
        log_warn("drop folder %s", a->drop_dir);
        return 1;
    }
    while (!stopping && (e = readdir(d))) {
        char path[PATH_MAX];
        size_t n = strlen(e->d_name);
        struct stat st;
        long before;
        int rc;

        /* Hidden and temporary names are files still on their way. */
        if (e->d_name[0] == '.' || e->d_name[n - 1] == '~' ||
            (n > 4 && strcmp(e->d_name + n - 4, ".tmp") == 0) ||
            (n > 5 && strcmp(e->d_name + n - 5, ".part") == 0))
            continue;
        snprintf(path, sizeof path, "%s/%s", a->drop_dir, e->d_name);
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
            continue;
        if (being_written(path)) {
            again = 1;
            continue;
        }
        before = a->rejected_rows;
        log_info("taking %s", e->d_name);
        rc = read_export(a, path);
        if (rc < 0 && a->rejected_rows > before && access(path, F_OK) == 0) {
            move_to(path, a->rejected_dir);
        } else {
            move_to(path, a->done_dir);
        }
        sender_refresh(s);
    }
    closedir(d);
    return again;
}

/* answer: a unit's reply to a supplement request, filed as a supplement of
 * the filing the request was about. */
static int
cmd_answer(adapter_t *a, const char *obligation, const char *text)
{
    char filing_id[LIM_FILING_ID + 8];
    uint8_t *payload = NULL;
    Lianxi__Envelope *env = NULL;
    Lianxi__Filing f;
    long n;
    int rc = EX_DATAERR;

    if (outbox_request_filing(a->outbox, obligation, filing_id, sizeof filing_id) < 0) {
        fprintf(stderr, "no supplement request %s has reached this adapter: run 'send' to "
                "collect the hub's messages, and check the number in notices/\n", obligation);
        return EX_DATAERR;
    }
    if ((n = outbox_latest_payload(a->outbox, filing_id, &payload)) < 0 ||
        !(env = wire_unpack(payload, (size_t)n)) ||
        env->body_case != LIANXI__ENVELOPE__BODY_FILING) {
        fprintf(stderr, "the filing %s that %s is about is not in this adapter's outbox\n",
                filing_id, obligation);
        goto out;
    }
    f = *env->filing;
    f.stage = LIANXI__STAGE__STAGE_SUPPLEMENT;
    f.answers = (char *)obligation;
    f.summary = (char *)text;
    f.signature.data = NULL;
    f.signature.len = 0;
    if (outbox_begin(a->outbox) < 0)
        goto out;
    if (adapter_file(a, &f, "(answer)", 0) != 0) {
        outbox_rollback(a->outbox);
        goto out;
    }
    rc = outbox_commit(a->outbox) < 0 ? EX_SOFTWARE : EX_OK;
out:
    wire_free(env);
    free(payload);
    return rc;
}

/* watch: file each finished export dropped in drop/, deliver, take messages. */
static int
cmd_watch(adapter_t *a, sender_t *s)
{
    int fd, again;
    int64_t retry = 0;

    if (files_mkdir_p(a->drop_dir, 0750) < 0 || files_mkdir_p(a->done_dir, 0750) < 0) {
        log_warn("cannot create %s or %s", a->drop_dir, a->done_dir);
        return EX_CANTCREAT;
    }
    if ((fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0 ||
        inotify_add_watch(fd, a->drop_dir, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
        log_warn("cannot watch %s", a->drop_dir);
        return EX_OSERR;
    }
    log_info("watching %s", a->drop_dir);
    again = scan_drop(a, s);
    while (!stopping) {
        int rc = sender_turn(s, 1000, fd);
        if (rc < 0)
            break;
        if (rc == 1) {
            char buf[4096];
            while (read(fd, buf, sizeof buf) > 0)
                ;
            again = scan_drop(a, s);
            retry = clock_mono_ms();
        } else if (again && clock_mono_ms() - retry >= 1000) {
            again = scan_drop(a, s);
            retry = clock_mono_ms();
        }
    }
    close(fd);
    log_info("stopped watching");
    return EX_OK;
}

static sender_t *
connect_hub(adapter_t *a, void *ctx)
{
    struct sender_cfg cfg = { 0 };
    char cert[PATH_MAX], epfile[PATH_MAX];
    long window;

    if (conf_path(a->conf, "adapter", "hub_cert", NULL, cert, sizeof cert) < 0 ||
        keys_load_public(cert, cfg.hub_pk) < 0)
        return NULL;
    cfg.endpoint = conf_get(a->conf, "adapter", "hub", NULL);
    if (!cfg.endpoint) {
        if (conf_path(a->conf, "adapter", "hub_endpoint_file", NULL, epfile, sizeof epfile) < 0) {
            log_warnx("set [adapter] hub = tcp://HOST:PORT (or hub_endpoint_file)");
            return NULL;
        }
        cfg.endpoint_file = epfile;
    }
    if (conf_int(a->conf, "adapter", "window", 256, 1, 4096, &window) < 0)
        return NULL;
    cfg.window = (int)window;
    cfg.id = &a->id;
    return sender_new(ctx, &cfg, a->outbox);
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
        { NULL, 0, NULL, 0 },
    };
    adapter_t a = { .fmt = fmt };
    const char *cfile = NULL, *cmd;
    char prog[64];
    long wait_s = 600;
    int c, status = EX_OK, pending;
    void *ctx = NULL;
    sender_t *s = NULL;

    snprintf(prog, sizeof prog, "lianxi-adapter-%s", fmt->unit);
    log_init(prog, LOG_LVL_INFO);
    zsys_handler_set(NULL);
    setvbuf(stdout, NULL, _IOLBF, 0);   /* receipts interleave with the log as they come */
    while ((c = getopt_long(argc, argv, "+c:qjw:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': cfile = optarg; break;
        case 'q': a.quiet = 1; break;
        case 'j': a.json = 1; break;
        case 'w': wait_s = strtol(optarg, NULL, 10); break;
        case 'v': log_verbose(); break;
        default: usage(fmt->unit);
        }
    }
    if (!cfile || optind >= argc)
        usage(fmt->unit);
    cmd = argv[optind++];
    if ((strcmp(cmd, "status") == 0 || strcmp(cmd, "check") == 0) && optind < argc &&
        strcmp(argv[optind], "--json") == 0) {
        a.json = 1;
        optind++;
    }
    if (sodium_init() < 0)
        fatalx("libsodium cannot start");
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
    if (setup_filing(&a) < 0) {
        status = EX_CONFIG;
        goto out;
    }

    if (strcmp(cmd, "status") == 0) {
        status = cmd_status(&a, a.json);
        goto out;
    }
    if (strcmp(cmd, "submit") == 0) {
        if (optind >= argc)
            usage(fmt->unit);
        for (int i = optind; i < argc; i++) {
            int rc = read_export(&a, argv[i]);
            if (rc < 0 && status == EX_OK)
                status = EX_NOINPUT;
        }
        if (!a.quiet)
            fprintf(stderr, "%ld filings queued, %ld unchanged since the last export, "
                    "%ld rows rejected\n", a.queued, a.unchanged, a.rejected_rows);
    } else if (strcmp(cmd, "answer") == 0) {
        if (optind != argc - 2)
            usage(fmt->unit);
        if ((status = cmd_answer(&a, argv[optind], argv[optind + 1])) != EX_OK)
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
    if (strcmp(cmd, "watch") == 0) {
        status = cmd_watch(&a, s);
        goto out;
    }
    pending = deliver(s, wait_s);
    if (!a.quiet) {
        const struct sender_counts *k = sender_counts(s);
        fprintf(stderr, "%ld receipts, %ld already filed, %ld rejected by the hub, "
                "%ld still pending\n", k->receipts, k->duplicates, k->rejections,
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
    if (pending) {
        fprintf(stderr, "%s: %s\n",
                sender_auth_refused(s) ? "the hub refused this adapter's key" :
                "the hub did not answer in time",
                sender_unsettled(s) > 0 ? "some filings are not yet acknowledged; they stay in "
                "the outbox and are sent by the next 'send' or 'submit'" :
                "messages from the hub may be waiting; run 'send' again later");
        status = EX_TEMPFAIL;
    }
out:
    sender_destroy(&s);
    if (ctx)
        zmq_ctx_term(ctx);
    outbox_close(&a.outbox);
    categories_destroy(&a.cats);
    conf_destroy(&a.conf);
    free(a.note);
    cJSON_Delete(a.by_category);
    cJSON_Delete(a.rejections);
    sodium_memzero(&a.id, sizeof a.id);
    return status;
}
