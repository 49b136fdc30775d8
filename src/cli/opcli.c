/* opcli.c — operators' commands over CURVE to the hub's control socket. */
#include "opcli.h"
#include "attachment.h"
#include "attfetch.h"
#include "categories.h"
#include "chromium.h"
#include "conf.h"
#include "export.h"
#include "i18n.h"
#include "names.h"
#include "table.h"
#include "tablein.h"
#include "keys.h"
#include "log.h"
#include "opclient.h"
#include "opcmd.h"
#include "opreply.h"
#include "days.h"
#include "clock.h"
#include "files.h"
#include "text.h"
#include "wire.h"
#include "witness.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>
#include <zmq.h>

#define REPLY_TIMEOUT_MS 60000
/* How long Chromium may take to print a briefing. */
#define PDF_TIMEOUT_MS 120000

static void usage(const struct opcmd *only) __attribute__((__noreturn__));

static void
usage(const struct opcmd *only)
{
    fputs(only ? _("usage:\n") : _("usage: lianxi -c OPERATOR.CONF COMMAND [ARGS] (the "
          "commands, from the hub's command table):\n"), stderr);
    opcmd_usage(stderr, only);
    if (!only || strcmp(only->name, "attachment") == 0)
        fputs(_("  attachment RECEIPT N -o FILE fetches the filing's Nth attachment whole into "
                "FILE (mode 0600),\n  checking its BLAKE2b-256 against the hash the hub "
                "recorded; -o - writes it to standard output\n"), stderr);
    if (!only || strcmp(only->name, "export") == 0 || strcmp(only->name, "brief") == 0)
        fputs(_("  export and brief write to -o FILE; brief also takes --format pdf "
                "(printed through Chromium)\n  and both take --period FROM..TO for --from and "
                "--to\n"), stderr);
    if (!only || strcmp(only->name, "brief") == 0)
        fputs(_("  brief: without --format, -o FILE's extension (.html, .md, .docx, .pdf) "
                "says the format;\n  --part main is the briefing itself, appendix its list of "
                "the matters filed (附件),\n  points the speaking points; --copy N prints the "
                "copy's number (份号) as six digits;\n  --show-id-numbers prints ID numbers in "
                "full in the appendix (recorded in the audit trail);\n  the secrecy and urgency "
                "marks are the meeting's (meeting create --secrecy, --urgency)\n"), stderr);
    if (!only || strcmp(only->name, "export") == 0)
        fputs(_("  export -o FILE.xlsx writes a spreadsheet, -o FILE.csv (or --format csv) CSV "
                "with Chinese\n  column names; without -o the hub's CSV (codes) goes to "
                "standard output\n"), stderr);
    exit(EX_USAGE);
}

struct params {
    Lianxi__OpRequest__ParamsEntry *e[16];
    Lianxi__OpRequest__ParamsEntry store[16];
    size_t n;
};

/* The value given for key, or NULL. */
static const char *
given(const struct params *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->e[i]->key, key) == 0)
            return p->e[i]->value;
    return NULL;
}

/* "entries 11–20 of 57 listed: …" when a page holds less than all. */
static void
print_page_line(const struct params *p, size_t listed, unsigned long long total, int filings)
{
    unsigned long long off = given(p, "offset") ? strtoull(given(p, "offset"), NULL, 10) : 0;

    if (listed >= total && off == 0)
        return;
    if (listed == 0)
        printf(filings ? _("none of the %llu filings listed: --offset %llu is past the last\n")
                       : _("none of the %llu entries listed: --offset %llu is past the last\n"),
               total, off);
    else
        printf(filings ? _("filings %llu to %llu of %llu listed (page with --offset and --limit, "
                           "or export them all)\n")
                       : _("entries %llu to %llu of %llu listed (page with --offset and "
                           "--limit)\n"),
               off + 1, off + listed, total);
}

static void
set(struct params *p, const char *key, const char *value)
{
    if (!value || p->n >= 16)
        return;
    lianxi__op_request__params_entry__init(&p->store[p->n]);
    p->store[p->n].key = (char *)key;
    p->store[p->n].value = (char *)value;
    p->e[p->n] = &p->store[p->n];
    p->n++;
}

/* Sends the request and waits for the reply.  Returns the envelope (free
 * with wire_free), or NULL with *code set to the exit code to use. */
static Lianxi__Envelope *
ask(conf_t *conf, const char *command, struct params *p, int *code)
{
    Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
    Lianxi__Envelope *reply = NULL;
    opclient_t *client = opclient_new(conf, "operator");
    void *ctx;
    char err[PATH_MAX + 256];

    *code = EX_CONFIG;
    if (!client)
        return NULL;
    req.command = (char *)command;
    req.n_params = p->n;
    req.params = p->e;
    ctx = zmq_ctx_new();
    switch (opclient_ask(client, ctx, &req, REPLY_TIMEOUT_MS, &reply, err, sizeof err)) {
    case OPCLIENT_OK: *code = EX_OK; break;
    case OPCLIENT_NO_ENDPOINT:
    case OPCLIENT_UNREACHABLE: *code = EX_UNAVAILABLE; break;
    case OPCLIENT_TIMEOUT: *code = EX_TEMPFAIL; break;
    case OPCLIENT_REFUSED:
        snprintf(err, sizeof err, _("the hub refused this operator's key: ask the organization "
                 "department to put your .cert in the hub's key directory"));
        *code = EX_NOPERM;
        break;
    case OPCLIENT_CONNECT: *code = EX_CONFIG; break;
    default: *code = EX_OSERR; break;
    }
    if (*code != EX_OK)
        fprintf(stderr, "lianxi: %s\n", err);
    zmq_ctx_term(ctx);
    opclient_destroy(&client);
    return reply;
}

static const char *
stage_name(int s)
{
    return s == LIANXI__STAGE__STAGE_NOTICE ? "notice" : s == LIANXI__STAGE__STAGE_REPORT ?
           "report" : s == LIANXI__STAGE__STAGE_SUPPLEMENT ? "supplement" : "?";
}

static const char *
scope_name(int s)
{
    static const char *const n[] = { "?", "public", "organs", "leadership", "specific" };
    return s >= 1 && s <= 4 ? n[s] : "?";
}

static cJSON *
filing_json(const Lianxi__FilingRecord *r)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "receipt_no", r->receipt_no);
    cJSON_AddStringToObject(o, "unit", r->unit);
    cJSON_AddStringToObject(o, "filing_id", r->filing_id);
    cJSON_AddNumberToObject(o, "revision", r->revision);
    cJSON_AddStringToObject(o, "stage", stage_name(r->stage));
    cJSON_AddStringToObject(o, "category", r->category);
    cJSON_AddStringToObject(o, "name", r->cadre ? r->cadre->name : "");
    cJSON_AddStringToObject(o, "id_number", r->cadre ? r->cadre->id_number : "");
    cJSON_AddStringToObject(o, "work_unit", r->cadre ? r->cadre->work_unit : "");
    cJSON_AddStringToObject(o, "post", r->cadre ? r->cadre->post : "");
    cJSON_AddNumberToObject(o, "rank", r->cadre ? r->cadre->rank : 0);
    cJSON_AddStringToObject(o, "learned_on", r->learned_on);
    cJSON_AddStringToObject(o, "summary", r->summary);
    cJSON_AddStringToObject(o, "scope", scope_name(r->scope));
    cJSON_AddStringToObject(o, "case_ref", r->case_ref);
    cJSON_AddNumberToObject(o, "received_at", (double)r->received_at);
    cJSON_AddStringToObject(o, "due_on", r->due_on);
    cJSON_AddBoolToObject(o, "on_time", r->on_time);
    cJSON_AddNumberToObject(o, "late_days", r->late_days);
    cJSON_AddStringToObject(o, "answers", r->answers);
    cJSON_AddStringToObject(o, "review", r->review_state);
    cJSON *arr = cJSON_AddArrayToObject(o, "attachments");
    for (size_t i = 0; arr && i < r->n_attachments; i++) {
        const Lianxi__Attachment *a = r->attachments[i];
        cJSON *x = cJSON_CreateObject();
        char hex[ATT_HEXLEN + 1] = "";
        if (a->hash.len == ATT_HASHLEN)
            att_hex(a->hash.data, hex);
        cJSON_AddNumberToObject(x, "n", (double)(i + 1));
        cJSON_AddStringToObject(x, "name", a->name);
        cJSON_AddStringToObject(x, "media_type", a->media_type);
        cJSON_AddStringToObject(x, "type", att_type_label(a->media_type));
        cJSON_AddNumberToObject(x, "size", (double)a->size);
        cJSON_AddStringToObject(x, "blake2b", hex);
        cJSON_AddItemToArray(arr, x);
    }
    return o;
}

/* s (text from the hub: untrusted) as one printable line (text_escape), so
 * that a control sequence in a name cannot drive the operator's terminal nor
 * a line break forge a row.  NULL is "".  The result lives until RING more
 * calls; "" when memory runs out. */
#define RING 32
static const char *
esc(const char *s)
{
    static char *ring[RING];
    static unsigned next;
    char **slot = &ring[next++ % RING];
    size_t len = s ? strlen(s) : 0, cap = 4 * len + 1;  /* a byte grows to \xNN at most */

    free(*slot);
    if (!(*slot = malloc(cap)))
        return "";
    text_escape(*slot, cap, s ? s : "", len);
    return *slot;
}

/* Prints the untrusted text s line by line, each line escaped and after
 * indent; for a summary, which may hold line breaks. */
static void
print_lines(const char *indent, const char *s)
{
    do {
        size_t n = strcspn(s, "\n");
        char *line = strndup(s, n);
        printf("%s%s\n", indent, esc(line ? line : ""));
        free(line);
        s += n;
    } while (*s++ == '\n' && *s);
}

/* Prints the hub's tab-separated text (meeting list, overdue) with each
 * field escaped; the tabs and line breaks between fields stay. */
static void
print_rows(const char *text)
{
    while (*text) {
        size_t n = strcspn(text, "\t\n");
        char *field = strndup(text, n);
        fputs(esc(field ? field : ""), stdout);
        free(field);
        text += n;
        if (*text)
            putchar(*text++);
    }
}

/* The listing of filings (filings, dossier) as a table with a header. */
static struct table *
filings_table(void)
{
    return table_new(9, _("receipt number"), _("member unit"), _("category"), _("name"),
                     _("ID number"), _("date learned"), _("due date"), _("on time or late"),
                     _("review state"));
}

static void
filings_row(struct table *t, const Lianxi__FilingRecord *r)
{
    table_add(t, esc(r->receipt_no), esc(names_unit(r->unit)), esc(names_category(r->category)),
              esc(r->cadre ? r->cadre->name : ""), esc(r->cadre ? r->cadre->id_number : ""),
              esc(r->learned_on), esc(r->due_on), names_on_time(r->on_time),
              names_review(r->review_state));
}

/* The briefing's format -o FILE's extension says (html, md, docx or pdf),
 * or NULL. */
static const char *
brief_format_of(const char *out)
{
    static const char *const ext[][2] = { { ".html", "html" }, { ".htm", "html" },
                                          { ".md", "md" }, { ".docx", "docx" },
                                          { ".pdf", "pdf" } };
    size_t n = out ? strlen(out) : 0;

    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t k = strlen(ext[i][0]);
        if (n > k && strcasecmp(out + n - k, ext[i][0]) == 0)
            return ext[i][1];
    }
    return NULL;
}

/* Writes the briefing (a .docx as the bytes the hub sent: binary); for pdf,
 * prints the HTML to PDF through Chromium. */
static int
write_brief(const char *doc, size_t len, const char *out, const char *format)
{
    char err[PATH_MAX + 256];

    if (strcmp(format, "pdf") != 0) {
        if (files_write_atomic(out, doc, len, 0640) < 0) {
            perror(out);
            return EX_CANTCREAT;
        }
        printf(_("briefing written to %s (%zu bytes)\n"), out, len);
        return EX_OK;
    }
    if (chromium_print_pdf(doc, len, out, PDF_TIMEOUT_MS, err, sizeof err) < 0) {
        fprintf(stderr, "lianxi: %s\n", err);
        return EX_SOFTWARE;
    }
    printf(_("briefing printed to %s\n"), out);
    return EX_OK;
}

/* A joint review's candidate list (CSV, Unicode text, .xlsx or .xls: the
 * readers of the adapters' exports) as the hub takes it: one candidate a
 * line, name, ID number, work unit, current post, proposed post,
 * TAB-separated.  A first row whose ID number column holds no digit is a
 * header and is skipped; TABs and line breaks inside cells become spaces. */
struct cand_read {
    FILE *out;
    long rows;
    char bad[256];
};

static int
cand_row(void *arg, const struct textin_row *row)
{
    struct cand_read *c = arg;

    if (c->rows == 0 && row->n >= 2 && !strpbrk(row->fields[1], "0123456789"))
        return 0;       /* the header */
    if (row->n < 5) {
        snprintf(c->bad, sizeof c->bad, _("row %ld has %zu columns: a candidate is name, ID "
                 "number, work unit, current post, proposed post"), row->line, row->n);
        return -1;
    }
    for (size_t i = 0; i < 5; i++) {
        for (const char *v = row->fields[i]; *v; v++)
            fputc(*v == '\t' || *v == '\n' || *v == '\r' ? ' ' : *v, c->out);
        fputc(i == 4 ? '\n' : '\t', c->out);
    }
    c->rows++;
    return 0;
}

static void
cand_bad(void *arg, long line, const char *why)
{
    struct cand_read *c = arg;
    if (!*c->bad)
        snprintf(c->bad, sizeof c->bad, _("line %ld: %s"), line, why);
}

/* Reads path into a malloc'd text (*out).  Returns 0, or -1 after saying
 * why on stderr. */
static int
read_candidates(const char *path, char **out)
{
    struct cand_read c = { NULL, 0, "" };
    char err[512] = "";
    size_t len = 0;
    int rc;

    *out = NULL;
    if (!(c.out = open_memstream(out, &len)))
        return -1;
    rc = tablein_read(path, cand_row, cand_bad, &c, err, sizeof err);
    fclose(c.out);
    if (rc < 0 || *c.bad || c.rows == 0) {
        fprintf(stderr, _("lianxi: the candidates in %s cannot be read: %s\n"), path,
                *c.bad ? c.bad : *err ? err : _("no candidate in it"));
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* Options of command c for getopt_long: its named parameters (val 1000 +
 * index), -o/--output, --period, --help.  Returns the number filled. */
static int
options_of(const struct opcmd *c, struct option *opts)
{
    static char dashed[OPCMD_MAX_PARAMS][32];
    int n = 0;

    for (int k = 0; k < OPCMD_MAX_PARAMS && c->params[k].name; k++) {
        const char *name = c->params[k].name;
        int has = c->params[k].type == OPT_FLAG ? no_argument : required_argument;
        if (c->params[k].position)
            continue;
        opts[n++] = (struct option){ name, has, NULL, 1000 + k };
        /* show_id_numbers is typed --show-id-numbers (the table's name
         * works too). */
        if (strchr(name, '_') && strlen(name) < sizeof dashed[k]) {
            for (size_t i = 0; i <= strlen(name); i++)
                dashed[k][i] = name[i] == '_' ? '-' : name[i];
            opts[n++] = (struct option){ dashed[k], has, NULL, 1000 + k };
        }
    }
    opts[n++] = (struct option){ "output", required_argument, NULL, 'o' };
    if (opcmd_param(c, "from"))
        opts[n++] = (struct option){ "period", required_argument, NULL, 'P' };
    if (strcmp(c->name, "export") == 0 && !opcmd_param(c, "format"))
        opts[n++] = (struct option){ "format", required_argument, NULL, 'F' };
    opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
    opts[n] = (struct option){ NULL, 0, NULL, 0 };
    return n;
}

/* audit verify: the checkpoint this operator keeps (held, from
 * held_path) goes with the request, beside any --witness given, so that the
 * hub checks its trail against them; witnesses is the buffer for the
 * joined value.  hub_sign is the hub's signing key from hub_cert.  Returns
 * 0, or -1 after saying why. */
static int
witness_prepare(conf_t *conf, const char *cfile, struct params *p, struct witness *held,
                char held_path[PATH_MAX], char witnesses[2048], uint8_t hub_sign[32])
{
    char def[PATH_MAX], hubcert[PATH_MAX], text[WITNESS_TEXT];
    const char *base = strrchr(cfile, '/');
    size_t n;

    base = base ? base + 1 : cfile;
    n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".conf") == 0)
        n -= 5;
    snprintf(def, sizeof def, "%.*s.witness", (int)n, base);
    if (conf_path(conf, "operator", "witness", def, held_path, PATH_MAX) < 0 ||
        conf_path(conf, "operator", "hub_cert", NULL, hubcert, sizeof hubcert) < 0 ||
        keys_load_sign_public(hubcert, hub_sign) < 0 || witness_load(held_path, held) < 0)
        return -1;
    /* Every --witness given, and the one kept, in one value. */
    witnesses[0] = '\0';
    for (size_t i = 0, j = 0, m = p->n; i < m; i++) {
        if (strcmp(p->store[i].key, "witness") == 0) {
            n = strlen(witnesses);
            snprintf(witnesses + n, 2048 - n, "%s%s", n ? " " : "", p->store[i].value);
            p->n--;
            continue;
        }
        if (j != i)
            p->store[j] = p->store[i];
        p->e[j] = &p->store[j];
        j++;
    }
    if (held->seq) {
        witness_format_at(held, text);
        n = strlen(witnesses);
        snprintf(witnesses + n, 2048 - n, "%s%s", n ? " " : "", text);
    }
    if (witnesses[0])
        set(p, "witness", witnesses);
    return 0;
}

/* audit verify answered: the hub's latest checkpoint must not be behind or
 * beside the one held (the hub checked the trail against it too); when the
 * trail verified, a newer checkpoint signed by the hub is kept instead.
 * Returns 0, or -1 when the checkpoint shows the trail went back. */
static int
witness_keep(const Lianxi__OpReply *r, const struct witness *held, const char *held_path,
             const uint8_t hub_sign[32], int json)
{
    struct witness now;
    FILE *out = json ? stderr : stdout;

    if (witness_from_wire(r->checkpoint, &now) < 0 || witness_verify(&now, hub_sign) < 0) {
        if (held->seq) {
            fprintf(stderr, _("lianxi: the hub answered without a checkpoint signed by its key, "
                    "but this operator holds one at entry %llu: the audit trail cannot be "
                    "shown to still hold it\n"), (unsigned long long)held->seq);
            return -1;
        }
        return 0;
    }
    /* A checkpoint of a trail that a restore the hub signed replaced is
     * kept aside, and the hub's taken from now on. */
    for (size_t i = 0; held->seq && i < r->n_restores; i++) {
        struct restore_proof rp;
        char aside[PATH_MAX + 48], when[20];
        if (witness_restore_from_wire(r->restores[i], &rp) < 0 ||
            witness_restore_verify(&rp, hub_sign) < 0 || !witness_restore_explains(&rp, held))
            continue;
        snprintf(aside, sizeof aside, "%s.pre-restore-%llu", held_path,
                 (unsigned long long)rp.entry);
        if (rename(held_path, aside) < 0)
            break;
        days_time_format(rp.at, when);
        fprintf(out, _("the hub's database was restored from a backup on %s (audit entry %llu, "
                       "signed by the hub): the checkpoint this operator kept (entry %llu) is of "
                       "the trail before it, kept as %s\n"), when, (unsigned long long)rp.entry,
                (unsigned long long)held->seq, aside);
        if (r->first_bad == 0 && witness_save(held_path, &now) == 0)
            fprintf(out, _("witness: entry %llu, kept in %s\n"), (unsigned long long)now.seq,
                    held_path);
        return 0;
    }
    switch (witness_compare(held, &now)) {
    case WITNESS_SHORTER:
        fprintf(stderr, _("lianxi: the hub's latest signed checkpoint is at entry %llu, but "
                "this operator keeps one it signed at entry %llu (%s): the audit trail is "
                "shorter than it was\n"), (unsigned long long)now.seq, (unsigned long long)held->seq,
                held_path);
        return -1;
    case WITNESS_DIFFERS:
        fprintf(stderr, _("lianxi: the hub signed another head for entry %llu than the "
                "checkpoint this operator keeps (%s): the audit trail was rewritten\n"),
                (unsigned long long)now.seq, held_path);
        return -1;
    case WITNESS_SAME:
        fprintf(out, _("witness: entry %llu, kept in %s\n"), (unsigned long long)held->seq,
                held_path);
        return 0;
    case WITNESS_NEWER:
        if (r->first_bad)
            return 0;       /* a trail that does not verify is not witnessed */
        if (witness_save(held_path, &now) < 0)
            return 0;       /* said why; the verdict stands */
        fprintf(out, _("witness: entry %llu, kept in %s\n"), (unsigned long long)now.seq,
                held_path);
        return 0;
    }
    return 0;
}

/* show: one filing, every field labelled. */
static void
print_show(const Lianxi__FilingRecord *f)
{
    char when[20];

    days_time_format(f->received_at, when);
    printf(_("receipt %s  filing %s  revision %u (%s)\n"), esc(f->receipt_no),
           esc(f->filing_id), f->revision, names_stage(f->stage));
    printf(_("  member unit: %s  category: %s  disclosure scope: %s\n"),
           esc(names_unit(f->unit)), esc(names_category(f->category)), names_scope(f->scope));
    printf(_("  cadre: %s  %s  %s %s"), esc(f->cadre ? f->cadre->name : ""),
           esc(f->cadre ? f->cadre->id_number : ""), esc(f->cadre ? f->cadre->work_unit : ""),
           esc(f->cadre ? f->cadre->post : ""));
    if (f->cadre && *names_rank(f->cadre->rank))
        printf(" %s", names_rank(f->cadre->rank));
    putchar('\n');
    printf(_("  learned %s  due %s  received %s  %s  %s\n"), esc(f->learned_on),
           esc(f->due_on), when, names_on_time(f->on_time), names_review(f->review_state));
    printf(_("  case %s"), esc(f->case_ref));
    if (*f->answers)
        printf(_("  answers %s"), esc(f->answers));
    putchar('\n');
    printf(_("  summary:\n"));
    print_lines("  ", f->summary);
    if (f->n_attachments)
        printf(_("  attachments (lianxi … attachment %s N -o FILE):\n"), esc(f->receipt_no));
    for (size_t i = 0; i < f->n_attachments; i++) {
        const Lianxi__Attachment *a = f->attachments[i];
        char hex[ATT_HEXLEN + 1] = "";
        if (a->hash.len == ATT_HASHLEN)
            att_hex(a->hash.data, hex);
        printf(_("  %zu. %s  %s  %llu bytes  BLAKE2b-256 %s\n"), i + 1, esc(a->name),
               att_type_label(a->media_type), (unsigned long long)a->size, hex);
    }
    putchar('\n');
}

/* Uploads the file at path to the hub for a circular (upload, piece by
 * piece from where the hub's copy ends), and adds its line (hash, size,
 * name) to *lines.  Returns EX_OK, or an exit code after saying why. */
static int
upload_file(conf_t *conf, const char *path, char **lines)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    uint8_t hash[ATT_HASHLEN], *buf = NULL;
    char hex[ATT_HEXLEN + 1], size_s[24], off_s[24], *line = NULL;
    uint64_t size, offset = 0;
    int fd = -1, code = EX_OK;

    if (!att_type_for_name(base) || !att_name_ok(base)) {
        fprintf(stderr, _("lianxi: %s: a document's extension is one of %s\n"), path,
                att_type_list());
        return EX_DATAERR;
    }
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || att_hash_fd(fd, hash, &size) < 0 ||
        size == 0 || !(buf = malloc(ATT_CHUNK))) {
        fprintf(stderr, _("lianxi: %s cannot be read or is empty\n"), path);
        code = EX_NOINPUT;
        goto out;
    }
    att_hex(hash, hex);
    snprintf(size_s, sizeof size_s, "%llu", (unsigned long long)size);
    while (offset < size) {
        Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
        Lianxi__Envelope *reply = NULL;
        struct params p = { .n = 0 };
        opclient_t *client;
        void *ctx;
        char err[PATH_MAX + 256];
        ssize_t n = pread(fd, buf, ATT_CHUNK, (off_t)offset);
        int rc;
        if (n <= 0) {
            fprintf(stderr, _("lianxi: %s cannot be read or is empty\n"), path);
            code = EX_NOINPUT;
            goto out;
        }
        snprintf(off_s, sizeof off_s, "%llu", (unsigned long long)offset);
        set(&p, "hash", hex);
        set(&p, "size", size_s);
        set(&p, "offset", off_s);
        set(&p, "name", base);
        req.command = "upload";
        req.n_params = p.n;
        req.params = p.e;
        req.data.data = buf;
        req.data.len = (size_t)n;
        if (!(client = opclient_new(conf, "operator"))) {
            code = EX_CONFIG;
            goto out;
        }
        ctx = zmq_ctx_new();
        rc = opclient_ask(client, ctx, &req, REPLY_TIMEOUT_MS, &reply, err, sizeof err);
        zmq_ctx_term(ctx);
        opclient_destroy(&client);
        if (rc != OPCLIENT_OK) {
            fprintf(stderr, "lianxi: %s\n", err);
            code = EX_TEMPFAIL;
            goto out;
        }
        if (!reply->op_reply->ok) {
            fprintf(stderr, "lianxi: %s: %s\n", path, esc(reply->op_reply->error));
            code = reply->op_reply->error_kind == LIANXI__OP_ERROR__OP_ERROR_DATA ? EX_DATAERR
                   : reply->op_reply->error_kind == LIANXI__OP_ERROR__OP_ERROR_PERMISSION ?
                   EX_NOPERM : EX_TEMPFAIL;
            wire_free(reply);
            goto out;
        }
        /* The hub says what it wants next (its size when it holds it all). */
        offset = reply->op_reply->count;
        wire_free(reply);
    }
    if (asprintf(&line, "%s%s\t%llu\t%s\n", *lines ? *lines : "", hex,
                 (unsigned long long)size, base) < 0) {
        code = EX_OSERR;
        goto out;
    }
    free(*lines);
    *lines = line;
out:
    free(buf);
    if (fd >= 0)
        close(fd);
    return code;
}

/* What was sent to the units (the hub's JSON): as JSON with json, else a
 * table; every value from the hub escaped.  Returns EX_OK, or EX_PROTOCOL. */
static int
print_sent(const char *text, int json)
{
    cJSON *j = cJSON_Parse(text ? text : ""), *e, *u;
    struct table *t;

    if (!cJSON_IsArray(j)) {
        cJSON_Delete(j);
        fprintf(stderr, _("lianxi: the hub's answer is not what this client understands\n"));
        return EX_PROTOCOL;
    }
    if (json) {
        text_print_json(j);
        return EX_OK;
    }
    t = table_new(5, _("sent at"), _("what"), _("title"), _("documents"), _("received by"));
    cJSON_ArrayForEach(e, j) {
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(e, "kind"));
        char what[64], docs[16], got[512] = "";
        size_t used = 0;
        if (kind && strcmp(kind, "circular") == 0)
            snprintf(what, sizeof what, _("circular %.0f"),
                     cJSON_GetNumberValue(cJSON_GetObjectItem(e, "circular")));
        else if (kind && strcmp(kind, "notice") == 0)
            snprintf(what, sizeof what, _("meeting notice %s"),
                     esc(cJSON_GetStringValue(cJSON_GetObjectItem(e, "code"))));
        else
            snprintf(what, sizeof what, _("briefing copy %06.0f"),
                     cJSON_GetNumberValue(cJSON_GetObjectItem(e, "copy_no")));
        snprintf(docs, sizeof docs, "%d", cJSON_GetArraySize(cJSON_GetObjectItem(e, "documents")));
        cJSON_ArrayForEach(u, cJSON_GetObjectItem(e, "units")) {
            int w;
            if (!cJSON_IsTrue(cJSON_GetObjectItem(u, "received")) || used >= sizeof got)
                continue;
            w = snprintf(got + used, sizeof got - used, "%s%s", used ? "、" : "",
                         names_unit(cJSON_GetStringValue(cJSON_GetObjectItem(u, "unit"))));
            used = w < 0 ? sizeof got : used + (size_t)w;
        }
        text_utf8_fix(got);
        table_add(t, esc(cJSON_GetStringValue(cJSON_GetObjectItem(e, "created_at"))), what,
                  esc(cJSON_GetStringValue(cJSON_GetObjectItem(e, "title"))), docs,
                  got[0] ? esc(got) : "-");
    }
    if (table_rows(t))
        table_print(t, stdout);
    else {
        table_free(t);
        printf(_("nothing sent yet\n"));
    }
    cJSON_Delete(j);
    return EX_OK;
}

/* The attendance board of a meeting (the hub's JSON): printed as JSON
 * with json, else as a table in the operator's language, every value from
 * the hub escaped.  Returns EX_OK, or EX_PROTOCOL when the answer is not
 * understood. */
static int
print_attendance(const char *text, int json)
{
    cJSON *j = cJSON_Parse(text ? text : ""), *u;
    struct table *t;

#define S(o, k) (cJSON_GetStringValue(cJSON_GetObjectItem((o), (k))))
    if (!j || !cJSON_IsArray(cJSON_GetObjectItem(j, "units"))) {
        cJSON_Delete(j);
        fprintf(stderr, _("lianxi: the hub's answer is not what this client understands\n"));
        return EX_PROTOCOL;
    }
    if (json) {
        text_print_json(j);
        return EX_OK;
    }
    printf(_("meeting %s  %s  %s %s  %s\n"), esc(S(j, "code")), esc(S(j, "title")),
           esc(S(j, "date")), esc(S(j, "time")), esc(S(j, "place")));
    printf(_("attendance replies due on %s\n"), esc(S(j, "due_on")));
    t = table_new(5, _("member unit"), _("reply"), _("attendee"), _("reminded"),
                  _("notice received"));
    cJSON_ArrayForEach(u, cJSON_GetObjectItem(j, "units")) {
        const char *st = S(u, "state");
        char reminded[24];
        cJSON *n = cJSON_GetObjectItem(u, "notice");
        snprintf(reminded, sizeof reminded, "%.0f",
                 cJSON_GetNumberValue(cJSON_GetObjectItem(u, "reminded")));
        table_add(t, esc(names_unit(S(u, "unit"))),
                  st && strcmp(st, "confirmed") == 0 ? _("attends") :
                  st && strcmp(st, "declined") == 0 ? _("does not attend") : _("not answered"),
                  esc(S(u, "attendee")), reminded,
                  cJSON_IsTrue(cJSON_GetObjectItem(n, "acked")) ? _("yes") :
                  cJSON_IsTrue(cJSON_GetObjectItem(n, "sent")) ? _("sent, not yet acknowledged") :
                  _("not yet delivered"));
    }
    table_print(t, stdout);
    printf(_("%.0f attend, %.0f do not, %.0f not answered\n"),
           cJSON_GetNumberValue(cJSON_GetObjectItem(j, "confirmed")),
           cJSON_GetNumberValue(cJSON_GetObjectItem(j, "declined")),
           cJSON_GetNumberValue(cJSON_GetObjectItem(j, "unanswered")));
#undef S
    cJSON_Delete(j);
    return EX_OK;
}

/* The copies of a briefing sent to the units (the hub's JSON): as JSON
 * with json, else a table; every value from the hub escaped.  Returns
 * EX_OK, or EX_PROTOCOL. */
static int
print_copies(const char *text, int json)
{
    cJSON *j = cJSON_Parse(text ? text : ""), *c;
    struct table *t;

    if (!cJSON_IsArray(j)) {
        cJSON_Delete(j);
        fprintf(stderr, _("lianxi: the hub's answer is not what this client understands\n"));
        return EX_PROTOCOL;
    }
    if (json) {
        text_print_json(j);
        return EX_OK;
    }
    t = table_new(4, _("copy no."), _("member unit"), _("received"), _("recall"));
    cJSON_ArrayForEach(c, j) {
        char no[16];
        cJSON *r = cJSON_GetObjectItem(c, "recall");
        snprintf(no, sizeof no, "%06.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(c, "copy_no")));
        table_add(t, no, esc(names_unit(cJSON_GetStringValue(cJSON_GetObjectItem(c, "unit")))),
                  cJSON_IsTrue(cJSON_GetObjectItem(c, "received")) ? _("yes") :
                  cJSON_IsTrue(cJSON_GetObjectItem(c, "sent")) ? _("sent, not yet acknowledged") :
                  _("not yet delivered"),
                  !cJSON_IsObject(r) ? "-" :
                  cJSON_IsTrue(cJSON_GetObjectItem(r, "confirmed")) ? _("recall confirmed") :
                  _("recall sent"));
    }
    if (table_rows(t))
        table_print(t, stdout);
    else {
        table_free(t);
        printf(_("the briefing of this meeting was not sent to the units\n"));
    }
    cJSON_Delete(j);
    return EX_OK;
}

int
opcli_main(int argc, char **argv)
{
    struct option opts[2 * OPCMD_MAX_PARAMS + 5];
    char from[16] = "", to[16] = "", err[768];
    const char *format = NULL, *export_as = NULL, *rformat = NULL;
    struct params p = { .n = 0 };
    struct witness held;
    char held_path[PATH_MAX], witnesses[2048];
    uint8_t hub_sign[32];
    const char *cfile, *cmd, *out = NULL;
    const struct opcmd *oc;
    char command[32];
    int c, json = 0, code, pos = 0;
    static conf_t *conf;    /* static: a usage error's exit leaves it reachable */
    static char *candidates, *doclines;
    const char *docs[16];
    size_t ndocs = 0;
    Lianxi__Envelope *env;
    Lianxi__OpReply *r;

    if (argc < 3)
        usage(NULL);
    cfile = argv[1];
    /* The operator's language first, for the messages about the command
     * line too (a config that cannot be read is said so below). */
    conf = access(cfile, R_OK) == 0 ? conf_load(cfile) : NULL;
    if (conf)
        conf_language(conf, "operator");
    cmd = argv[2];
    snprintf(command, sizeof command, "%.31s", cmd);
    optind = 3;
    if (((strcmp(cmd, "audit") == 0 || strcmp(cmd, "meeting") == 0 ||
          strcmp(cmd, "review-request") == 0) && argc >= 4 && argv[3][0] != '-') ||
        (strcmp(cmd, "brief") == 0 && argc >= 4 &&
         (strcmp(argv[3], "copies") == 0 || strcmp(argv[3], "recall") == 0))) {
        snprintf(command, sizeof command, "%.14s-%.16s", cmd, argv[3]);
        optind = 4;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
        usage(NULL);
    if (!(oc = opcmd_find(command))) {
        opcmd_unknown_command(command, err, sizeof err);
        fprintf(stderr, "lianxi: %s\n", err);
        return EX_USAGE;
    }
    options_of(oc, opts);
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
        if (c >= 1000) {
            const struct opcmd_param *q = &oc->params[c - 1000];
            if (strcmp(q->name, "format") == 0 && strcmp(oc->name, "brief") == 0) {
                format = optarg;        /* pdf is made here, from the html */
                continue;
            }
            if (q->type != OPT_FLAG && opcmd_check_value(q, NULL, optarg, err, sizeof err) < 0) {
                fprintf(stderr, "lianxi: %s\n", err);
                return EX_USAGE;
            }
            if (strcmp(q->name, "json") == 0)
                json = 1;
            if (strcmp(q->name, "format") == 0)
                rformat = optarg;
            if (strcmp(q->name, "documents") == 0 && strcmp(oc->name, "circular") == 0) {
                /* Each file is uploaded once the configuration is read. */
                if (ndocs == sizeof docs / sizeof docs[0]) {
                    fprintf(stderr, _("lianxi: a circular has at most %zu documents\n"),
                            sizeof docs / sizeof docs[0]);
                    return EX_USAGE;
                }
                docs[ndocs++] = optarg;
                continue;
            }
            if (strcmp(q->name, "candidates") == 0) {
                /* The file's rows travel, not its name. */
                if (read_candidates(optarg, &candidates) < 0)
                    return EX_DATAERR;
                set(&p, q->name, candidates);
                continue;
            }
            set(&p, q->name, q->type == OPT_FLAG ? "1" : optarg);
            continue;
        }
        switch (c) {
        case 'o': out = optarg; break;
        case 'F':
            if (!export_format(optarg, NULL)) {
                fprintf(stderr, _("lianxi: --format must be xlsx or csv\n"));
                return EX_USAGE;
            }
            export_as = optarg;
            break;
        case 'P':
            if (sscanf(optarg, "%15[^.]..%15s", from, to) != 2) {
                fprintf(stderr, _("lianxi: --period takes FROM..TO (YYYY-MM-DD..YYYY-MM-DD)\n"));
                return EX_USAGE;
            }
            set(&p, "from", from);
            set(&p, "to", to);
            break;
        case 'h': usage(oc);
        case ':':
            fprintf(stderr, _("lianxi: %s needs a value\n"), argv[optind - 1]);
            usage(oc);
        default: {
            /* The option as typed: -x, or --name without its =value. */
            char name[64] = "";
            const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
            if (strncmp(arg, "--", 2) == 0)
                snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
            else if (optopt > ' ' && optopt < 127)
                snprintf(name, sizeof name, "-%c", optopt);
            char under[64];
            snprintf(under, sizeof under, "%s", name);
            for (char *u = under; *u; u++)
                if (*u == '-' && u > under + 1)
                    *u = '_';
            if (name[0] == '-' && name[1] == '-' && opcmd_param(oc, under + 2))
                snprintf(err, sizeof err, _("%s takes no value"), name);
            else
                opcmd_unknown_param(oc, name[0] == '-' && name[1] == '-' ? name + 2 : name, err,
                                    sizeof err);
            fprintf(stderr, "lianxi: %s\n", err);
            usage(oc);
        }
        }
    }
    /* The words after the options, in the order of the table's positions. */
    for (; optind < argc; optind++) {
        const struct opcmd_param *q = NULL;
        pos++;
        for (int k = 0; k < OPCMD_MAX_PARAMS && oc->params[k].name; k++)
            if (oc->params[k].position == pos)
                q = &oc->params[k];
        if (!q) {
            fprintf(stderr, _("lianxi: %s takes no word '%s' here\n"), oc->name, argv[optind]);
            usage(oc);
        }
        if (opcmd_check_value(q, NULL, argv[optind], err, sizeof err) < 0) {
            fprintf(stderr, "lianxi: %s\n", err);
            return EX_USAGE;
        }
        set(&p, q->name, argv[optind]);
    }
    if (strcmp(command, "brief") == 0 && given(&p, "send")) {
        /* Sent to the units by the hub: nothing is written here. */
        format = "send";
    } else if (strcmp(command, "brief") == 0) {
        if (!out) {
            fprintf(stderr, _("lianxi: brief needs -o FILE\n"));
            return EX_USAGE;
        }
        /* Without --format, the file's extension says it; else HTML. */
        if (!format && !(format = brief_format_of(out)))
            format = "html";
        if (strcmp(format, "html") != 0 && strcmp(format, "md") != 0 &&
            strcmp(format, "docx") != 0 && strcmp(format, "pdf") != 0) {
            fprintf(stderr, _("lianxi: --format must be html, md, docx or pdf\n"));
            return EX_USAGE;
        }
        if (strcmp(format, "pdf") == 0 && !chromium_path()) {
            fputs(_("lianxi: --format pdf prints the HTML through Chromium, which is not "
                    "installed (apt-get install chromium); use --format html and print that\n"),
                  stderr);
            return EX_UNAVAILABLE;
        }
        set(&p, "format", strcmp(format, "pdf") == 0 ? "html" : format);
    }
    if (strcmp(command, "export") == 0 && !out && export_as && strcmp(export_as, "xlsx") == 0) {
        fprintf(stderr, _("lianxi: an .xlsx export needs -o FILE.xlsx\n"));
        return EX_USAGE;
    }
    if (!conf && !(conf = conf_load(cfile)))
        return EX_CONFIG;
    if (strcmp(command, "attachment") == 0) {
        /* Piece by piece into a file, not one answer. */
        if (!out) {
            fprintf(stderr, "%s", _("lianxi: attachment needs -o FILE (or -o - for standard "
                                    "output)\n"));
            conf_destroy(&conf);
            return EX_USAGE;
        }
        if (given(&p, "offset")) {
            fprintf(stderr, "%s", _("lianxi: attachment fetches the whole file: --offset is for "
                                    "clients of the protocol\n"));
            conf_destroy(&conf);
            return EX_USAGE;
        }
        code = attfetch_main(conf, given(&p, "receipt"), given(&p, "n"), out);
        conf_destroy(&conf);
        return code;
    }
    names_load(conf);
    for (size_t i = 0; i < ndocs; i++) {
        if ((code = upload_file(conf, docs[i], &doclines)) != EX_OK) {
            conf_destroy(&conf);
            names_free();
            return code;
        }
    }
    if (doclines)
        set(&p, "documents", doclines);
    if (strcmp(command, "audit-verify") == 0 &&
        witness_prepare(conf, cfile, &p, &held, held_path, witnesses, hub_sign) < 0) {
        conf_destroy(&conf);
        names_free();
        return EX_CONFIG;
    }
    env = ask(conf, command, &p, &code);
    conf_destroy(&conf);
    if (!env) {
        names_free();
        return code;
    }
    r = env->op_reply;
    if (!r->ok) {
        fprintf(stderr, "lianxi: %s\n", esc(r->error));
        code = r->error_kind == LIANXI__OP_ERROR__OP_ERROR_USAGE ? EX_USAGE
               : r->error_kind == LIANXI__OP_ERROR__OP_ERROR_UNAVAILABLE ? EX_TEMPFAIL
               : r->error_kind == LIANXI__OP_ERROR__OP_ERROR_DATA ? EX_DATAERR
               : EX_NOPERM;     /* permission, and "no such filing" alike */
        wire_free(env);
        names_free();
        return code;
    }
    code = EX_OK;
    if (strcmp(command, "brief") == 0 && strcmp(format, "send") == 0) {
        print_lines("", r->text);
    } else if (strcmp(command, "brief-copies") == 0) {
        code = print_copies(r->text, json);
    } else if (strcmp(command, "brief-recall") == 0 || strcmp(command, "circular") == 0) {
        print_lines("", r->text);
    } else if (strcmp(command, "sent") == 0) {
        code = print_sent(r->text, json);
    } else if (strcmp(command, "brief") == 0 && strcmp(format, "docx") == 0) {
        if (!r->document.len) {
            fprintf(stderr, _("lianxi: the hub answered without the .docx document: is it of "
                              "an older release than this client?\n"));
            code = EX_PROTOCOL;
        } else {
            code = write_brief((const char *)r->document.data, r->document.len, out, format);
        }
    } else if (strcmp(command, "brief") == 0) {
        code = write_brief(r->text, strlen(r->text), out, format);
    } else if (strcmp(command, "overdue") == 0) {
        print_rows(r->text);
    } else if (strcmp(command, "status") == 0) {
        /* The hub's health report (text or JSON); problems: exit 1, as
         * `lianxi-hub status` on the hub's machine. */
        print_rows(r->text);
        if (r->count)
            code = 1;
    } else if (strcmp(command, "whoami") == 0) {
        cJSON *j = cJSON_Parse(r->text ? r->text : "");
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(j, "name"));
        const char *role = cJSON_GetStringValue(cJSON_GetObjectItem(j, "role"));
        if (!name || !role) {
            fprintf(stderr, _("lianxi: the hub's answer to whoami is not what this client "
                              "understands\n"));
            code = EX_PROTOCOL;
        } else {
            printf(_("operator %s, role %s\n"), esc(name), esc(names_role(role)));
        }
        cJSON_Delete(j);
    } else if (strncmp(command, "meeting-", 8) == 0) {
        if (strcmp(command, "meeting-create") == 0) {
            printf(_("meeting %llu created\n"), (unsigned long long)r->count);
            if (r->text && *r->text)
                print_lines("", r->text);
        } else if (strcmp(command, "meeting-attendance") == 0) {
            code = print_attendance(r->text, json);
        } else {
            cJSON *arr = opreply_meetings(r->text), *m;
            struct table *t = table_new(7, _("meeting no."), _("meeting date"), _("meeting kind"),
                                        _("period"), _("meeting title"), _("marks"),
                                        _("created by"));
            cJSON_ArrayForEach(m, arr) {
                char id[24], period[64], marks[64];
#define F(k) (cJSON_GetStringValue(cJSON_GetObjectItem(m, k)))
                /* The marks as its briefings print them. */
                const char *sec = opcmd_secrecy_mark(F("secrecy"));
                const char *urg = opcmd_urgency_mark(F("urgency"));
                snprintf(id, sizeof id, "%.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(m, "id")));
                snprintf(period, sizeof period, _("%s to %s"), esc(F("from")), esc(F("to")));
                snprintf(marks, sizeof marks, "%s%s%s", sec ? sec : "", sec && urg ? "，" : "",
                         urg ? urg : "");
                table_add(t, id, esc(F("date")), esc(names_meeting_kind(F("kind"))), period,
                          esc(F("title")), marks, esc(F("created_by")));
#undef F
            }
            if (json) {
                text_print_json(arr ? arr : cJSON_CreateArray());
                table_free(t);
            } else {
                cJSON_Delete(arr);
                if (table_rows(t))
                    table_print(t, stdout);
                else {
                    table_free(t);
                    printf(_("no meetings yet\n"));
                }
            }
        }
    } else if (strncmp(command, "review-request-", 15) == 0) {
        /* The hub's text: a summary (text, JSON or the HTML table), a
         * list (TAB-separated, or JSON), or what was opened. */
        int docx = rformat && strcmp(rformat, "docx") == 0;
        const char *body = docx ? (const char *)r->document.data : r->text;
        size_t blen = docx ? r->document.len : strlen(r->text);
        if (docx && !out) {
            fprintf(stderr, _("lianxi: a .docx summary needs -o FILE.docx\n"));
            code = EX_USAGE;
        } else if (out) {
            if (files_write_atomic(out, body, blen, 0640) < 0) {
                perror(out);
                code = EX_CANTCREAT;
            } else {
                printf(_("written to %s (%zu bytes)\n"), out, blen);
            }
        } else if (rformat && strcmp(rformat, "text") != 0) {
            fputs(r->text, stdout);     /* the document, escaped by the hub's renderer */
        } else if (strcmp(command, "review-request-list") == 0 && !json) {
            print_rows(r->text);
        } else if (*r->text) {
            print_lines("", r->text);
        }
    } else if (strcmp(command, "export") == 0) {
        if (!out && !export_as) {
            fputs(r->text, stdout);     /* the hub's CSV, with codes, for scripts */
        } else {
            unsigned long long rows;
            code = export_write(r->text, strlen(r->text), out, export_format(export_as, out),
                                &rows);
            if (code == EX_OK && out)
                fprintf(stderr, _("%llu filings exported to %s\n"), rows, out);
        }
    } else if (strncmp(command, "audit-", 6) == 0) {
        if (strcmp(command, "audit-verify") == 0) {
            if (json) {
                cJSON *j = cJSON_CreateObject();
                cJSON_AddBoolToObject(j, "ok", r->first_bad == 0);
                cJSON_AddNumberToObject(j, "entries", (double)r->count);
                cJSON_AddNumberToObject(j, "first_bad", (double)r->first_bad);
                cJSON_AddStringToObject(j, "finding", r->text);
                text_print_json(j);
            } else {
                print_lines("", r->text);
            }
            code = r->first_bad ? EX_DATAERR : EX_OK;
            if (witness_keep(r, &held, held_path, hub_sign, json) < 0)
                code = EX_DATAERR;
        } else if (strcmp(command, "audit-checkpoint") == 0) {
            printf(_("checkpoint written\n"));
        } else {
            cJSON *arr = cJSON_CreateArray();
            struct table *t = table_new(7, _("entry"), _("recorded at"), _("actor"), _("action"),
                                        _("object"), _("detail"), _("hash"));
            for (size_t i = 0; i < r->n_entries; i++) {
                const Lianxi__AuditEntry *e = r->entries[i];
                char when[20], hex[17] = "", seq[24];
                days_time_format(e->at, when);
                if (e->hash.len >= 8)
                    text_hex(hex, e->hash.data, 8);
                if (json) {
                    cJSON *o = cJSON_CreateObject();
                    cJSON_AddNumberToObject(o, "seq", (double)e->seq);
                    cJSON_AddNumberToObject(o, "at", (double)e->at);
                    cJSON_AddStringToObject(o, "actor", e->actor);
                    cJSON_AddStringToObject(o, "action", e->action);
                    cJSON_AddStringToObject(o, "object", e->object);
                    cJSON_AddStringToObject(o, "detail", e->detail);
                    cJSON_AddItemToArray(arr, o);
                } else {
                    snprintf(seq, sizeof seq, "%llu", (unsigned long long)e->seq);
                    table_add(t, seq, when, esc(e->actor), esc(e->action), esc(e->object),
                              esc(e->detail), hex);
                }
            }
            if (json) {
                text_print_json(arr);
                table_free(t);
            } else {
                cJSON_Delete(arr);
                table_print(t, stdout);
                print_page_line(&p, r->n_entries, (unsigned long long)r->count, 0);
            }
        }
    } else if (json) {
        cJSON *j = cJSON_CreateObject(), *arr = cJSON_CreateArray(), *rv = cJSON_CreateArray();
        for (size_t i = 0; i < r->n_filings; i++)
            cJSON_AddItemToArray(arr, filing_json(r->filings[i]));
        for (size_t i = 0; i < r->n_reviews; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "at", (double)r->reviews[i]->at);
            cJSON_AddStringToObject(o, "actor", r->reviews[i]->actor);
            cJSON_AddStringToObject(o, "action", r->reviews[i]->action);
            cJSON_AddStringToObject(o, "text", r->reviews[i]->text);
            cJSON_AddStringToObject(o, "obligation", r->reviews[i]->obligation);
            if (*r->reviews[i]->obligation) {
                cJSON_AddStringToObject(o, "due_on", r->reviews[i]->due_on);
                cJSON_AddStringToObject(o, "state", r->reviews[i]->state);
                cJSON_AddNumberToObject(o, "overdue_days", r->reviews[i]->overdue_days);
                cJSON_AddNumberToObject(o, "answered_at", (double)r->reviews[i]->answered_at);
                cJSON_AddStringToObject(o, "answered_by", r->reviews[i]->answered_by);
            }
            cJSON_AddItemToArray(rv, o);
        }
        cJSON_AddStringToObject(j, "command", command);
        cJSON_AddNumberToObject(j, "count", (double)r->count);
        cJSON_AddNumberToObject(j, "listed", (double)r->n_filings);
        cJSON_AddItemToObject(j, "filings", arr);
        cJSON_AddItemToObject(j, "reviews", rv);
        if (r->text && *r->text)
            cJSON_AddStringToObject(j, "obligation", r->text);
        text_print_json(j);
    } else if (strcmp(command, "show") == 0) {
        for (size_t i = 0; i < r->n_filings; i++)
            print_show(r->filings[i]);
        for (size_t i = 0; i < r->n_reviews; i++) {
            char when[20];
            days_time_format(r->reviews[i]->at, when);
            printf(_("review %s by %s: %s %s\n"), when, esc(r->reviews[i]->actor),
                   esc(names_review(r->reviews[i]->action)), esc(r->reviews[i]->text));
        }
    } else if (strcmp(command, "review") == 0) {
        if (r->text && *r->text)
            printf(_("recorded: supplement request %s\n"), esc(r->text));
        else
            printf(_("recorded\n"));
    } else {
        struct table *people = table_new(6, _("name"), _("ID number"), _("work unit"), _("post"),
                                         _("times filed"), _("member unit"));
        struct table *t = filings_table();
        for (size_t i = 0; i < r->n_filings; i++) {
            const Lianxi__FilingRecord *f = r->filings[i];
            if (strcmp(command, "dossier") == 0 && !*f->receipt_no) {
                char times[32];
                snprintf(times, sizeof times, "%u", f->revision);
                table_add(people, esc(f->cadre->name), esc(f->cadre->id_number),
                          esc(f->cadre->work_unit), esc(f->cadre->post), times,
                          esc(names_unit(f->unit)));
            } else {
                filings_row(t, f);
            }
        }
        if (table_rows(people))
            table_print(people, stdout);
        else
            table_free(people);
        if (table_rows(t))
            table_print(t, stdout);
        else
            table_free(t);
        if (r->count > r->n_filings || given(&p, "offset"))
            print_page_line(&p, r->n_filings, (unsigned long long)r->count, 1);
        else if (strcmp(command, "dossier") == 0 && p.n && strcmp(p.e[0]->key, "name") == 0)
            printf(_("%llu candidates\n"), (unsigned long long)r->count);
        else
            printf(_("%llu filings\n"), (unsigned long long)r->count);
    }
    wire_free(env);
    names_free();
    return code;
}
