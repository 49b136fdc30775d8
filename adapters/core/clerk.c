/* clerk.c — the hub's refusals in the clerk's words, the printable receipt
 * of an export, and files for Windows readers. */
#include "clerk.h"
#include "attachment.h"
#include "wire.h"
#include "categories.h"
#include "clock.h"
#include "days.h"
#include "files.h"
#include "i18n.h"
#include "log.h"
#include "reasons.h"
#include "text.h"
#include "validate.h"
#include "winfile.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void
clerk_reason(const char *reason, const char *args, const char *detail, char *out, size_t len)
{
    char vals[REASON_MAX_ARGS][REASON_ARG_LEN];
    const char *argv[REASON_MAX_ARGS];
    size_t n = 0;

    if (len == 0)
        return;
    for (const char *p = args; p && *p && n < REASON_MAX_ARGS; n++) {
        const char *end = strchr(p, OUTBOX_ARG_SEP);
        size_t k = end ? (size_t)(end - p) : strlen(p);
        snprintf(vals[n], sizeof vals[n], "%.*s", (int)k, p);
        argv[n] = vals[n];
        p = end ? end + 1 : p + k;
    }
    if (reason && *reason && reasons_format(reason, argv, n, out, len) == 0)
        return;
    detail = detail ? detail : "";
    text_escape(out, len, detail, strlen(detail));
    text_utf8_fix(out);
}

void
clerk_rejection(const Lianxi__Rejection *x, char *out, size_t len)
{
    const char *argv[REASON_MAX_ARGS];
    const char *detail = x->detail ? x->detail : "";
    size_t n = x->n_args < REASON_MAX_ARGS ? x->n_args : REASON_MAX_ARGS;

    if (len == 0)
        return;
    for (size_t i = 0; i < n; i++)
        argv[i] = x->args[i] ? x->args[i] : "";
    if (x->reason && *x->reason && x->n_args <= REASON_MAX_ARGS &&
        reasons_format(x->reason, argv, n, out, len) == 0)
        return;
    text_escape(out, len, detail, strlen(detail));
    text_utf8_fix(out);
}

const char *
clerk_fix(const char *field)
{
    static const struct { const char *field, *fix; } fixes[] = {
        { "id_number", N_("check the ID number (18 characters, the last one the check "
                          "character) in the unit's system, export again and put the file in "
                          "drop/") },
        { "category", N_("choose a category registered for this unit, export again and put "
                         "the file in drop/") },
        { "date", N_("correct the date learned (a real date, not after today), export again "
                     "and put the file in drop/") },
        { "too_large", N_("shorten the text, export again and put the file in drop/") },
        { "classified", N_("classified matters are never filed here: report them as the "
                           "secrecy rules require") },
        { "scope", N_("fill in the disclosure scope (public, organs, leadership or specific), "
                      "export again and put the file in drop/") },
        { "(file)", N_("the file could not be read at all: export it again from the unit's "
                       "system, in the format agreed, and put it in drop/") },
        { "(row)", N_("nothing to do: the hub keeps the newer content already filed") },
    };

    for (size_t i = 0; field && i < sizeof fixes / sizeof *fixes; i++)
        if (strcmp(fixes[i].field, field) == 0)
            return _(fixes[i].fix);
    return _("correct the row in the unit's system, export again and put the file in drop/");
}

void
clerk_html(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* A copy of s (from the export) fit to print: valid UTF-8, one line. */
static void
clean(char *out, size_t len, const char *s)
{
    s = s ? s : "";
    text_escape(out, len, s, strlen(s));
    text_utf8_fix(out);
}

/* One row of the receipt, as both documents print it. */
struct line {
    long row;
    char case_ref[300], name[200];
    char receipt[32], when[24], due[16], timely[128], note[1400];
    char field[64], why[1200], fix[400];
};

/* What became of a filed row: a line of the filings table (0), of the
 * refused (1). */
static int
settle_row(outbox_t *ob, const struct filer_row *r, struct line *l)
{
    struct ob_settled s;
    int found = ob ? outbox_settled(ob, r->filing_id ? r->filing_id : "",
                                    r->outcome == FILER_QUEUED ? r->revision : 0, &s) : 0;

    if (found == 1 && s.state == OB_REJECTED) {
        snprintf(l->field, sizeof l->field, "%s", _("refused by the hub"));
        clerk_reason(s.reason, s.args, s.detail, l->why, sizeof l->why);
        snprintf(l->fix, sizeof l->fix, "%s", clerk_fix(validate_code_name(s.code)));
        return 1;
    }
    if (found == 1 && s.state == OB_ACKED) {
        snprintf(l->receipt, sizeof l->receipt, "%s", s.receipt_no);
        days_time_format(s.received_at, l->when);
        l->when[19] = '\0';
        snprintf(l->due, sizeof l->due, "%s", s.due_on);
        if (s.on_time)
            snprintf(l->timely, sizeof l->timely, "%s", _("on time"));
        else
            snprintf(l->timely, sizeof l->timely, dngettext(LX_TEXTDOMAIN, "late by %u working day",
                     "late by %u working days", s.late_days), s.late_days);
    } else {
        snprintf(l->receipt, sizeof l->receipt, "%s", _("(awaiting)"));
        snprintf(l->timely, sizeof l->timely, "%s", "—");
        snprintf(l->note, sizeof l->note, "%s", _("not yet acknowledged by the hub: run "
                                                  "status later"));
    }
    if (r->outcome == FILER_UNCHANGED)
        snprintf(l->note, sizeof l->note, "%s", _("the same as filed before: not filed again"));
    else if (r->outcome == FILER_OLDER)
        snprintf(l->note, sizeof l->note, "%s", _("older than what was filed: not filed "
                                                  "again"));
    else if (found == 1 && s.duplicate)
        snprintf(l->note, sizeof l->note, "%s", _("the hub had it already"));
    {
        /* The documents filed with it (附件). */
        char names[1024];
        size_t k = strlen(l->note);
        if (ob && r->filing_id && clerk_attachment_names(ob, r->filing_id,
                                                         r->outcome == FILER_QUEUED
                                                         ? r->revision : 0, names,
                                                         sizeof names) > 0)
            snprintf(l->note + k, sizeof l->note - k, "%s%s%s", k ? _("; ") : "",
                     _("documents: "), names);
    }
    return 0;
}

int
clerk_attachment_names(outbox_t *ob, const char *filing_id, uint32_t revision, char *out,
                       size_t len)
{
    uint8_t *payload = NULL;
    Lianxi__Envelope *env = NULL;
    long n = outbox_latest_payload(ob, filing_id, &payload);
    int count = 0;
    FILE *f;
    char *buf = NULL;
    size_t blen = 0;

    out[0] = '\0';
    if (n < 0 || !(env = wire_unpack(payload, (size_t)n)) ||
        env->body_case != LIANXI__ENVELOPE__BODY_FILING ||
        (revision && env->filing->revision != revision) || !(f = open_memstream(&buf, &blen)))
        goto out;
    for (size_t i = 0; i < env->filing->n_attachments; i++) {
        const Lianxi__Attachment *a = env->filing->attachments[i];
        char name[ATT_NAME_MAX * 4 + 1];
        clean(name, sizeof name, a->name);
        fprintf(f, "%s%s (%s)", i ? _(", ") : "", name, att_type_label(a->media_type));
        count++;
    }
    fclose(f);
    snprintf(out, len, "%s", buf ? buf : "");
    text_utf8_fix(out);
out:
    free(buf);
    wire_free(env);
    free(payload);
    return count;
}

/* Fills l with row r of the export.  Returns 1 when it was refused (by
 * the checks, the reader or the hub), 0 when filed. */
static int
fill_line(outbox_t *ob, const struct filer_row *r, struct line *l)
{
    memset(l, 0, sizeof *l);
    l->row = r->line;
    clean(l->case_ref, sizeof l->case_ref, r->case_ref);
    clean(l->name, sizeof l->name, r->name);
    if (!r->refused)
        return settle_row(ob, r, l);
    clean(l->field, sizeof l->field, clerk_field_name(r->field));
    clean(l->why, sizeof l->why, r->why);
    snprintf(l->fix, sizeof l->fix, "%s", clerk_fix(r->field));
    return 1;
}

/* A row of cells; nowrap has a bit set for each cell kept on one line. */
static void
html_row(FILE *f, const char *const *cells, size_t n, unsigned nowrap)
{
    fputs("<tr>", f);
    for (size_t i = 0; i < n; i++) {
        fputs(nowrap & (1u << i) ? "<td class=\"nw\">" : "<td>", f);
        clerk_html(f, cells[i]);
        fputs("</td>", f);
    }
    fputs("</tr>\n", f);
}

const char *
clerk_field_name(const char *field)
{
    static const struct { const char *code, *name; } names[] = {
        { "id_number", N_("ID number") },
        { "category", N_("category") },
        { "date", N_("date learned") },
        { "too_large", N_("too long") },
        { "classified", N_("classified") },
        { "scope", N_("disclosure scope") },
        { "stage", N_("stage") },
        { "malformed", N_("format") },
        { "unit_mismatch", N_("member unit") },
        { "(file)", N_("the whole file") },
        { "(row)", N_("the whole row") },
    };

    for (size_t i = 0; field && i < sizeof names / sizeof *names; i++)
        if (strcmp(names[i].code, field) == 0)
            return _(names[i].name);
    return field ? field : "";
}

static const char css[] =
    "@page { size: A4; margin: 18mm 15mm; }\n"
    "body { font-family: \"SimSun\", \"Songti SC\", \"Noto Serif CJK SC\", \"Noto Sans CJK SC\","
    " serif; font-size: 10.5pt; color: #000; margin: 0; }\n"
    "h1 { font-family: \"SimHei\", \"Heiti SC\", \"Noto Sans CJK SC\", sans-serif;"
    " font-size: 18pt; text-align: center; margin: 0 0 6mm; letter-spacing: 2pt; }\n"
    "h2 { font-size: 12pt; margin: 6mm 0 2mm; }\n"
    "table { border-collapse: collapse; width: 100%; page-break-inside: auto; }\n"
    "thead { display: table-header-group; }\n"
    "tr { page-break-inside: avoid; }\n"
    "th, td { border: 0.5pt solid #000; padding: 1.2mm 1.5mm; vertical-align: top;"
    " word-break: break-all; }\n"
    "th { background: #eee; font-weight: bold; white-space: nowrap; }\n"
    "td.nw { white-space: nowrap; word-break: normal; }\n"
    "table.meta { width: auto; }\n"
    "table.meta td { border: none; padding: 0.8mm 4mm 0.8mm 0; }\n"
    "p.sign { margin-top: 12mm; word-spacing: 30mm; }\n"
    "p.foot { margin-top: 8mm; font-size: 9pt; }\n"
    "@media screen { body { max-width: 180mm; margin: 12mm auto; } }\n"
    "@media print { th { background: none; } }\n";

int
clerk_receipt_write(outbox_t *ob, const char *unit, const char *dir, const char *base,
                    const char *file, const struct filer_row *rows, size_t n,
                    int64_t read_at, char *html_out, size_t html_len)
{
    const struct lx_unit *u = units_find(unit);
    const char *unit_name = u ? (i18n_zh() ? u->zh : u->en) : unit;
    char *hbuf = NULL, *tbuf = NULL, name[NAME_MAX + 1], stem[NAME_MAX + 1];
    char path[PATH_MAX], read_s[24], now_s[24], fname[NAME_MAX * 4];
    size_t hlen = 0, tlen = 0, nfiled = 0, nrefused = 0;
    struct line *l = malloc(sizeof *l);
    int *refused = calloc(n ? n : 1, sizeof *refused);
    FILE *h = NULL, *t = NULL;
    int rc = -1;

    if (!l || !refused || !(h = open_memstream(&hbuf, &hlen)) ||
        !(t = open_memstream(&tbuf, &tlen)))
        goto out;
    clean(fname, sizeof fname, file);
    days_time_format(read_at, read_s);
    read_s[19] = '\0';
    days_time_format(clock_now(), now_s);
    now_s[19] = '\0';
    for (size_t i = 0; i < n; i++) {
        refused[i] = fill_line(ob, &rows[i], l);
        if (refused[i])
            nrefused++;
        else
            nfiled++;
    }

    /* The HTML: one page of A4 (or more), nothing fetched from elsewhere. */
    fprintf(h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>", i18n_zh() ? "zh-CN" : "en");
    clerk_html(h, _("Cadre supervision filing receipt"));
    fprintf(h, " — ");
    clerk_html(h, fname);
    fprintf(h, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
    clerk_html(h, _("Cadre supervision filing receipt"));
    fputs("</h1>\n<table class=\"meta\">\n", h);
    {
        const char *meta[][2] = {
            { _("Member unit:"), unit_name },
            { _("Export file:"), fname },
            { _("Read at:"), read_s },
            { _("Receipt printed at:"), now_s },
        };
        for (size_t i = 0; i < sizeof meta / sizeof *meta; i++)
            html_row(h, meta[i], 2, 1);
    }
    fputs("</table>\n", h);
    fprintf(t, "%s\n\n", _("Cadre supervision filing receipt"));
    fprintf(t, "%s %s\n%s %s\n%s %s\n%s %s\n\n", _("Member unit:"), unit_name,
            _("Export file:"), fname, _("Read at:"), read_s, _("Receipt printed at:"), now_s);

    fputs("<h2>", h);
    {
        char head[256];
        snprintf(head, sizeof head, _("Filings received (%zu)"), nfiled);
        clerk_html(h, head);
        fprintf(t, "%s\n", head);
    }
    fputs("</h2>\n<table>\n<thead><tr>", h);
    {
        const char *th[] = { _("Row"), _("Case reference"), _("Name"), _("Receipt number"),
                             _("Received at"), _("Due date"), _("On time"), _("Remarks") };
        for (size_t i = 0; i < sizeof th / sizeof *th; i++) {
            fputs("<th>", h);
            clerk_html(h, th[i]);
            fputs("</th>", h);
        }
    }
    fputs("</tr></thead>\n<tbody>\n", h);
    for (size_t i = 0; i < n; i++) {
        char row[32];
        if (refused[i])
            continue;
        fill_line(ob, &rows[i], l);
        snprintf(row, sizeof row, "%ld", l->row);
        const char *cells[] = { row, l->case_ref, l->name, l->receipt, l->when, l->due,
                                l->timely, l->note };
        html_row(h, cells, 8, 0x7f);
        fprintf(t, _("Row %ld  case %s  %s  receipt number %s  received %s  due %s  %s"),
                l->row, l->case_ref, l->name, l->receipt, l->when[0] ? l->when : "—",
                l->due[0] ? l->due : "—", l->timely);
        fprintf(t, "%s%s\n", l->note[0] ? "  " : "", l->note);
    }
    if (!nfiled) {
        fputs("<tr><td colspan=\"8\">", h);
        clerk_html(h, _("none"));
        fputs("</td></tr>\n", h);
        fprintf(t, "%s\n", _("none"));
    }
    fputs("</tbody>\n</table>\n<h2>", h);
    {
        char head[256];
        snprintf(head, sizeof head, _("Rows refused (%zu)"), nrefused);
        clerk_html(h, head);
        fprintf(t, "\n%s\n", head);
    }
    fputs("</h2>\n<table>\n<thead><tr>", h);
    {
        const char *th[] = { _("Row"), _("Case reference"), _("Name"), _("Item"),
                             _("Reason"), _("What to do") };
        for (size_t i = 0; i < sizeof th / sizeof *th; i++) {
            fputs("<th>", h);
            clerk_html(h, th[i]);
            fputs("</th>", h);
        }
    }
    fputs("</tr></thead>\n<tbody>\n", h);
    for (size_t i = 0; i < n; i++) {
        char row[32];
        if (!refused[i])
            continue;
        fill_line(ob, &rows[i], l);
        snprintf(row, sizeof row, "%ld", l->row);
        const char *cells[] = { row, l->case_ref, l->name, l->field, l->why, l->fix };
        html_row(h, cells, 6, 0xf);
        fprintf(t, _("Row %ld  case %s  %s  %s: %s  What to do: %s\n"), l->row,
                l->case_ref[0] ? l->case_ref : "—", l->name[0] ? l->name : "—", l->field,
                l->why, l->fix);
    }
    if (!nrefused) {
        fputs("<tr><td colspan=\"6\">", h);
        clerk_html(h, _("none"));
        fputs("</td></tr>\n", h);
        fprintf(t, "%s\n", _("none"));
    }
    fputs("</tbody>\n</table>\n<p class=\"sign\">", h);
    clerk_html(h, _("Clerk (signature): Date:"));
    fputs("</p>\n<p class=\"foot\">", h);
    clerk_html(h, _("This receipt was written by the unit's filing program (lianxi) from the "
              "receipts of the joint meeting's hub. Keep it with the export."));
    fputs("</p>\n</body>\n</html>\n", h);
    fprintf(t, "\n%s\n", _("This receipt was written by the unit's filing program (lianxi) "
                           "from the receipts of the joint meeting's hub. Keep it with the "
                           "export."));
    fclose(h);
    fclose(t);
    h = t = NULL;

    /* "BASE 回执单.html" and ".txt", under the same free number. */
    snprintf(stem, sizeof stem, "%s %s", base, _("receipt"));
    for (int k = 1; k < 100000; k++) {
        struct stat st;
        char p2[PATH_MAX];
        if (k == 1)
            snprintf(name, sizeof name, "%s", stem);
        else
            snprintf(name, sizeof name, "%s (%d)", stem, k);
        snprintf(path, sizeof path, "%s/%s.html", dir, name);
        snprintf(p2, sizeof p2, "%s/%s.txt", dir, name);
        if (lstat(path, &st) < 0 && lstat(p2, &st) < 0)
            break;
    }
    if (files_write_atomic(path, hbuf, hlen, 0640) < 0) {
        log_warn(_("cannot write %s"), path);
        goto out;
    }
    if (html_out)
        snprintf(html_out, html_len, "%s", path);
    snprintf(path, sizeof path, "%s/%s.txt", dir, name);
    if (winfile_write(path, tbuf, tlen, 0640) < 0) {
        log_warn(_("cannot write %s"), path);
        goto out;
    }
    rc = 0;
out:
    if (h)
        fclose(h);
    if (t)
        fclose(t);
    free(hbuf);
    free(tbuf);
    free(l);
    free(refused);
    return rc;
}

void
clerk_transfer_line(const char *name, uint64_t done, uint64_t size, char *out, size_t len)
{
    char clean_name[ATT_NAME_MAX * 4 + 1];

    clean(clean_name, sizeof clean_name, name);
    snprintf(out, len, _("document %s: %.1f of %.1f MB with the hub (%d%%)"), clean_name,
             done / 1e6, size / 1e6, size ? (int)(done * 100 / size) : 100);
}
