/* export.c — the office's listing as .xlsx or as CSV for a spreadsheet. */
#include "export.h"
#include "i18n.h"
#include "names.h"
#include "text.h"

#include <csv.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>
#include <xlsxwriter.h>

enum kind { K_TEXT, K_NUM, K_DATE, K_TIME, K_UNIT, K_CAT, K_STAGE, K_SCOPE, K_RANK, K_ONTIME,
            K_REVIEW };

/* The hub's columns by their header; a column not listed keeps its header
 * and its text. */
static const struct col {
    const char *key, *head;
    enum kind kind;
} cols[] = {
    { "receipt_no", N_("receipt number"), K_TEXT },
    { "unit", N_("member unit"), K_UNIT },
    { "filing_id", N_("filing id"), K_TEXT },
    { "revision", N_("revision"), K_NUM },
    { "stage", N_("stage"), K_STAGE },
    { "category", N_("category"), K_CAT },
    { "name", N_("name"), K_TEXT },
    { "id_number", N_("ID number"), K_TEXT },
    { "work_unit", N_("work unit"), K_TEXT },
    { "post", N_("post"), K_TEXT },
    { "rank", N_("rank"), K_RANK },
    { "learned_on", N_("date learned"), K_DATE },
    { "received_at", N_("received at"), K_TIME },
    { "due_on", N_("due date"), K_DATE },
    { "on_time", N_("on time or late"), K_ONTIME },
    { "late_days", N_("days late"), K_NUM },
    { "scope", N_("disclosure scope"), K_SCOPE },
    { "case_ref", N_("case reference"), K_TEXT },
    { "summary", N_("summary"), K_TEXT },
    { "review", N_("review state"), K_REVIEW },
};

struct sheet {
    char **cells;
    size_t n, cap;          /* cells */
    size_t ncols, nrows;    /* ncols from the header row */
    size_t in_row;          /* cells in the row being read */
    int bad;
};

static void
on_field(void *s, size_t len, void *arg)
{
    struct sheet *sh = arg;

    if (sh->n == sh->cap) {
        sh->cap = sh->cap ? 2 * sh->cap : 256;
        char **c = realloc(sh->cells, sh->cap * sizeof *c);
        if (!c) {
            sh->bad = 1;
            return;
        }
        sh->cells = c;
    }
    if (!(sh->cells[sh->n] = strndup(s ? s : "", s ? len : 0))) {
        sh->bad = 1;
        return;
    }
    sh->n++;
    sh->in_row++;
}

static void
on_row(int c, void *arg)
{
    struct sheet *sh = arg;

    (void)c;
    if (sh->nrows == 0)
        sh->ncols = sh->in_row;
    else if (sh->in_row != sh->ncols)
        sh->bad = 1;
    sh->nrows++;
    sh->in_row = 0;
}

static void
sheet_free(struct sheet *sh)
{
    for (size_t i = 0; i < sh->n; i++)
        free(sh->cells[i]);
    free(sh->cells);
}

static const struct col *
col_of(const char *key)
{
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (strcmp(cols[i].key, key) == 0)
            return &cols[i];
    return NULL;
}

/* The text a person reads for the hub's value v of a column of kind k. */
static const char *
shown(enum kind k, const char *v)
{
    switch (k) {
    case K_UNIT: return names_unit(v);
    case K_CAT: return names_category(v);
    case K_STAGE: return names_stage_word(v);
    case K_SCOPE: return *v ? names_scope(atoi(v)) : "";
    case K_RANK: return *v ? names_rank(atoi(v)) : "";
    case K_ONTIME: return *v ? names_on_time(strcmp(v, "1") == 0) : "";
    case K_REVIEW: return names_review(v);
    default: return v;
    }
}

/* A cell a spreadsheet would run as a formula (OWASP's rule, as the hub's):
 * text starting with = + - @ TAB or CR that is not a whole signed number. */
static int
formula_like(const char *s)
{
    size_t n = strlen(s);

    if (!n || !strchr("=+-@\t\r", s[0]))
        return 0;
    return !(n > 1 && (s[0] == '-' || s[0] == '+') && strspn(s + 1, "0123456789") == n - 1);
}

static void
csv_cell(FILE *f, const char *s, int last)
{
    fputc('"', f);
    if (formula_like(s))
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputs(last ? "\"\r\n" : "\",", f);
}

static int
write_csv(const struct sheet *sh, const struct col **map, FILE *f)
{
    fputs("\xef\xbb\xbf", f);   /* the BOM: a spreadsheet then reads UTF-8 */
    for (size_t r = 0; r < sh->nrows; r++)
        for (size_t c = 0; c < sh->ncols; c++) {
            const char *v = sh->cells[r * sh->ncols + c];
            if (map[c])
                v = r == 0 ? _(map[c]->head) : shown(map[c]->kind, v);
            csv_cell(f, v, c == sh->ncols - 1);
        }
    return ferror(f) ? -1 : 0;
}

/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" as a date; -1 when it is not. */
static int
parse_when(const char *s, lxw_datetime *d)
{
    int n = 0;

    memset(d, 0, sizeof *d);
    if (sscanf(s, "%4d-%2d-%2d%n", &d->year, &d->month, &d->day, &n) != 3 || n != 10)
        return -1;
    if (s[10] && (sscanf(s + 10, " %2d:%2d:%lf", &d->hour, &d->min, &d->sec) != 3))
        return -1;
    return d->year >= 1900 && d->month >= 1 && d->month <= 12 && d->day >= 1 && d->day <= 31
           ? 0 : -1;
}

static int
write_xlsx(const struct sheet *sh, const struct col **map, const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws;
    lxw_format *head, *date, *time, *text;
    int *width;
    lxw_error err;

    if (!wb)
        return -1;
    ws = workbook_add_worksheet(wb, _("filing list"));
    head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_border(head, LXW_BORDER_THIN);
    date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    time = workbook_add_format(wb);
    format_set_num_format(time, "yyyy-mm-dd hh:mm:ss");
    text = workbook_add_format(wb);
    format_set_num_format(text, "@");       /* typed into, it stays text */
    if (!(width = calloc(sh->ncols, sizeof *width))) {
        workbook_close(wb);
        return -1;
    }
    for (size_t r = 0; r < sh->nrows; r++)
        for (size_t c = 0; c < sh->ncols; c++) {
            const char *v = sh->cells[r * sh->ncols + c];
            enum kind k = map[c] ? map[c]->kind : K_TEXT;
            lxw_datetime dt;
            int w;
            if (r == 0) {
                v = map[c] ? _(map[c]->head) : v;
                worksheet_write_string(ws, 0, (lxw_col_t)c, v, head);
            } else if (!*shown(k, v)) {
                worksheet_write_blank(ws, (lxw_row_t)r, (lxw_col_t)c, k == K_TEXT ? text : NULL);
            } else if ((k == K_DATE || k == K_TIME) && parse_when(v, &dt) == 0) {
                worksheet_write_datetime(ws, (lxw_row_t)r, (lxw_col_t)c, &dt,
                                         k == K_DATE ? date : time);
                v = k == K_DATE ? "2026-01-01" : "2026-01-01 00:00:00";
            } else if (k == K_NUM && strspn(v, "-0123456789") == strlen(v) && strlen(v) < 10) {
                worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, atof(v), NULL);
            } else {
                v = shown(k, v);
                /* A string cell is never run as a formula: the apostrophe
                 * the hub put before = + - @ is not needed here. */
                if (v[0] == '\'' && formula_like(v + 1))
                    v++;
                worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, v,
                                       k == K_TEXT ? text : NULL);
            }
            if ((w = text_width(v)) > width[c])
                width[c] = w;
        }
    for (size_t c = 0; c < sh->ncols; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             (width[c] > 60 ? 60 : width[c]) + 2, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    if (sh->nrows > 1)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)(sh->nrows - 1), (lxw_col_t)(sh->ncols - 1));
    free(width);
    err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
        fprintf(stderr, "lianxi: %s: %s\n", path, lxw_strerror(err));
        return -1;
    }
    return 0;
}

const char *
export_format(const char *format, const char *out)
{
    size_t n = out ? strlen(out) : 0;

    if (format)
        return strcmp(format, "xlsx") == 0 ? "xlsx" : strcmp(format, "csv") == 0 ? "csv" : NULL;
    if (n > 5 && strcasecmp(out + n - 5, ".xlsx") == 0)
        return "xlsx";
    return "csv";
}

int
export_write(const char *csv, size_t len, const char *out, const char *format,
             unsigned long long *rows)
{
    struct csv_parser p;
    struct sheet sh = { 0 };
    const struct col **map = NULL;
    char tmp[PATH_MAX];
    int rc = EX_OK;

    *rows = 0;
    if (strcmp(format, "xlsx") == 0 && !out) {
        fprintf(stderr, _("lianxi: an .xlsx export needs -o FILE.xlsx\n"));
        return EX_USAGE;
    }
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        return EX_OSERR;
    if (csv_parse(&p, csv, len, on_field, on_row, &sh) != len ||
        csv_fini(&p, on_field, on_row, &sh) != 0 || sh.bad || sh.nrows == 0) {
        fprintf(stderr, _("lianxi: the hub's export could not be read as CSV\n"));
        csv_free(&p);
        sheet_free(&sh);
        return EX_PROTOCOL;
    }
    csv_free(&p);
    if (!(map = calloc(sh.ncols, sizeof *map))) {
        sheet_free(&sh);
        return EX_OSERR;
    }
    for (size_t c = 0; c < sh.ncols; c++)
        map[c] = col_of(sh.cells[c]);
    *rows = sh.nrows - 1;
    /* Beside the file, renamed over it when whole. */
    if (out)
        snprintf(tmp, sizeof tmp, "%s.part-%ld", out, (long)getpid());
    if (strcmp(format, "xlsx") == 0) {
        if (write_xlsx(&sh, map, tmp) < 0)
            rc = EX_CANTCREAT;
    } else {
        FILE *f = out ? fopen(tmp, "w") : stdout;
        if (!f || write_csv(&sh, map, f) < 0 || (out && fclose(f) != 0))
            rc = EX_CANTCREAT;
        else if (!out)
            fflush(stdout);
    }
    if (out && rc == EX_OK && rename(tmp, out) < 0)
        rc = EX_CANTCREAT;
    if (out && rc != EX_OK) {
        fprintf(stderr, _("lianxi: cannot write %s: %s\n"), out, strerror(errno));
        unlink(tmp);
    }
    free(map);
    sheet_free(&sh);
    return rc;
}
