/* sheet.c — the first sheet of an .xlsx (a zip of XML: libzip, libxml2) or
 * an .xls (BIFF: libfreexl) as rows of text, each cell as the clerk sees
 * it: shared and inline strings, numbers as their format shows them, dates
 * as YYYY-MM-DD. */
#include "sheet.h"
#include "text.h"
#include "i18n.h"

#include <errno.h>
#include <freexl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

/* A workbook part larger than this is not an export a clerk makes. */
#define MAX_PART ((zip_uint64_t)256 << 20)
#define MAX_COLS 1024

/* ---- rows: collected cells, handed on when a row is complete ---- */

struct rows {
    const char *name;
    textin_row_fn *fn;
    void *arg;
    char **cells;           /* cells of the current row, NULL where none */
    size_t n, width;        /* cells used; the first row's width */
    size_t total;
    int stop;
};

static int
rows_set(struct rows *r, size_t col, char *text)
{
    if (col >= MAX_COLS) {
        free(text);
        return 0;
    }
    if (col >= r->n) {
        char **nc = realloc(r->cells, (col + 1) * sizeof *nc);
        if (!nc) {
            free(text);
            return -1;
        }
        for (size_t i = r->n; i <= col; i++)
            nc[i] = NULL;
        r->cells = nc;
        r->n = col + 1;
    }
    free(r->cells[col]);
    r->cells[col] = text;
    return 0;
}

static void
rows_clear(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->cells[i]);
    r->n = 0;
    free(r->cells);
    r->cells = NULL;
}

/* Hands the current row on (unless all its cells are empty) and clears it. */
static int
rows_end(struct rows *r, long rownum, size_t offset)
{
    int empty = 1, rc = 0;
    size_t n = r->n;

    for (size_t i = 0; i < r->n; i++)
        if (r->cells[i] && r->cells[i][0])
            empty = 0;
    if (!empty && !r->stop) {
        static char none[] = "";
        char **f;
        /* Empty cells at the end of a row are not written: as wide as the header. */
        while (n > 0 && (!r->cells[n - 1] || !r->cells[n - 1][0]))
            n--;
        if (r->width == 0)
            r->width = n;
        if (n < r->width)
            n = r->width;
        if ((f = malloc(n * sizeof *f))) {
            struct textin_row row = { r->name, rownum, f, n, 0, offset, r->total, 1 };
            for (size_t i = 0; i < n; i++)
                f[i] = i < r->n && r->cells[i] ? r->cells[i] : none;
            if (r->fn(r->arg, &row) < 0)
                r->stop = 1;
            free(f);
        } else {
            rc = -1;
        }
    }
    for (size_t i = 0; i < r->n; i++)
        free(r->cells[i]);
    r->n = 0;
    return rc;
}

/* ---- numbers and dates ---- */

void
sheet_general(double v, char *buf, size_t len)
{
    double a = fabs(v);

    if (!isfinite(v)) {
        snprintf(buf, len, "#NUM!");    /* what Excel shows for a number it cannot hold */
    } else if (v == 0) {
        snprintf(buf, len, "0");
    } else if (a < 1e11 && v == floor(v)) {
        snprintf(buf, len, "%.0f", v);
    } else if (a >= 1e11 || a < 1e-9) {
        /* 6 significant digits, trailing zeros dropped: 4.41623E+17, 1E+12. */
        char m[32], *e, *z;
        snprintf(m, sizeof m, "%.5E", v);
        e = strchr(m, 'E');
        for (z = e; z > m && z[-1] == '0'; z--)
            ;
        if (z > m && z[-1] == '.')
            z--;
        snprintf(buf, len, "%.*s%s", (int)(z - m), m, e);
    } else {
        /* At most 11 characters, as many digits as fit. */
        for (int p = 10; p > 0; p--) {
            snprintf(buf, len, "%.*g", p, v);
            if (strlen(buf) <= 11)
                break;
        }
    }
}

void
sheet_serial_date(double serial, int date1904, char buf[11])
{
    long z;
    long era, doe, yoe, doy, mp, d, m, y;

    /* Excel's dates end at 9999-12-31 (serial 2958465). */
    if (!isfinite(serial) || serial < 0 || serial >= 2958466) {
        snprintf(buf, 11, "#NUM!");
        return;
    }
    z = (long)floor(serial);
    if (date1904) {
        z += 1462;
    } else if (z == 60) {
        /* Excel's 29 February 1900, a day that was not. */
        snprintf(buf, 11, "1900-02-29");
        return;
    } else if (z < 60) {
        z += 1;
    }
    /* Days since 1899-12-30 to days since 1970-01-01, then the civil date. */
    z -= 25569;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999)
        y = 0, m = 1, d = 1;
    snprintf(buf, 11, "%04ld-%02ld-%02ld", y % 10000, m % 100, d % 100);
}

/* ---- .xlsx ---- */

enum fmt_kind { FMT_GENERAL, FMT_DATE, FMT_INT, FMT_FIXED2, FMT_GROUP0, FMT_GROUP2,
                FMT_PCT0, FMT_PCT2, FMT_TEXT };

struct book {
    zip_t *zip;
    char **sst;
    size_t nsst;
    enum fmt_kind *xf;      /* by style index */
    size_t nxf;
    int date1904;
};

/* The named part of the zip, NUL-terminated (free it); NULL when absent. */
static char *
part(zip_t *z, const char *name, size_t *len)
{
    zip_stat_t st;
    zip_file_t *f;
    char *buf;
    zip_int64_t got;

    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > MAX_PART)
        return NULL;
    if (!(f = zip_fopen(z, name, 0)))
        return NULL;
    if (!(buf = malloc(st.size + 1))) {
        zip_fclose(f);
        return NULL;
    }
    got = zip_fread(f, buf, st.size);
    zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(buf);
        return NULL;
    }
    buf[st.size] = '\0';
    if (len)
        *len = st.size;
    return buf;
}

static xmlDocPtr
part_xml(zip_t *z, const char *name)
{
    size_t len;
    char *buf = part(z, name, &len);
    xmlDocPtr doc;

    if (!buf || len > INT32_MAX) {
        free(buf);
        return NULL;
    }
    doc = xmlReadMemory(buf, (int)len, name, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(buf);
    return doc;
}

static int
is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

static xmlNode *
child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

static char *
attr(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, BAD_CAST name);
}

/* The text of a string item (<si>, <is>): its <t>, or its runs' <t>s; the
 * phonetic guide (<rPh>) is not what the cell shows. */
static void
string_item(const xmlNode *n, FILE *f)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (is(c, "rPh"))
            continue;
        if (is(c, "t")) {
            xmlChar *t = xmlNodeGetContent(c);
            if (t)
                fputs((const char *)t, f);
            xmlFree(t);
        } else if (c->type == XML_ELEMENT_NODE) {
            string_item(c, f);
        }
    }
}

static char *
item_text(const xmlNode *n)
{
    char *s = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);

    if (!f)
        return NULL;
    string_item(n, f);
    fclose(f);
    return s;
}

static int
load_sst(struct book *b)
{
    xmlDocPtr doc = part_xml(b->zip, "xl/sharedStrings.xml");
    xmlNode *root;
    size_t n = 0;

    if (!doc)
        return 0;       /* a workbook of numbers only has none */
    root = xmlDocGetRootElement(doc);
    for (xmlNode *c = root ? root->children : NULL; c; c = c->next)
        n += is(c, "si");
    if (n && !(b->sst = calloc(n, sizeof *b->sst))) {
        xmlFreeDoc(doc);
        return -1;
    }
    for (xmlNode *c = root ? root->children : NULL; c; c = c->next)
        if (is(c, "si"))
            b->sst[b->nsst++] = item_text(c);
    xmlFreeDoc(doc);
    return 0;
}

/* Whether a number format's code shows a date or a time: y, m, d, h or s
 * outside quoted text, escapes and [colour] brackets. */
static int
code_is_date(const char *code)
{
    for (const char *p = code; *p; p++) {
        if (*p == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q)
                return 0;
            p = q;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (p[1])
                p++;
        } else if (*p == '[') {
            const char *q = strchr(p, ']');
            if (!q)
                return 0;
            p = q;
        } else if (strchr("yYmMdDhHsS", *p)) {
            return 1;
        } else if (*p == ';') {
            return 0;   /* the first section decides */
        }
    }
    return 0;
}

static enum fmt_kind
builtin_kind(long id)
{
    switch (id) {
    case 1: return FMT_INT;
    case 2: return FMT_FIXED2;
    case 3: return FMT_GROUP0;
    case 4: return FMT_GROUP2;
    case 9: return FMT_PCT0;
    case 10: return FMT_PCT2;
    case 49: return FMT_TEXT;
    default:
        /* 14-22 dates and times; 27-36 and 50-58 the CJK dates (2026年11月5日). */
        if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
            (id >= 50 && id <= 58))
            return FMT_DATE;
        return FMT_GENERAL;
    }
}

static enum fmt_kind
code_kind(const char *code)
{
    static const struct { const char *code; enum fmt_kind kind; } known[] = {
        { "0", FMT_INT }, { "0.00", FMT_FIXED2 }, { "#,##0", FMT_GROUP0 },
        { "#,##0.00", FMT_GROUP2 }, { "0%", FMT_PCT0 }, { "0.00%", FMT_PCT2 },
        { "@", FMT_TEXT },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(code, known[i].code) == 0)
            return known[i].kind;
    return code_is_date(code) ? FMT_DATE : FMT_GENERAL;
}

static int
load_styles(struct book *b)
{
    xmlDocPtr doc = part_xml(b->zip, "xl/styles.xml");
    xmlNode *root, *fmts, *xfs;
    size_t n = 0;

    if (!doc)
        return 0;
    root = xmlDocGetRootElement(doc);
    fmts = child(root, "numFmts");
    if ((xfs = child(root, "cellXfs"))) {
        for (xmlNode *c = xfs->children; c; c = c->next)
            n += is(c, "xf");
        if (n && !(b->xf = calloc(n, sizeof *b->xf))) {
            xmlFreeDoc(doc);
            return -1;
        }
        for (xmlNode *c = xfs->children; c; c = c->next) {
            char *id;
            long fid;
            if (!is(c, "xf"))
                continue;
            id = attr(c, "numFmtId");
            fid = id ? strtol(id, NULL, 10) : 0;
            xmlFree(id);
            b->xf[b->nxf] = builtin_kind(fid);
            for (xmlNode *f = fmts ? fmts->children : NULL; f; f = f->next) {
                char *fi, *code;
                if (!is(f, "numFmt"))
                    continue;
                fi = attr(f, "numFmtId");
                if (fi && strtol(fi, NULL, 10) == fid && (code = attr(f, "formatCode"))) {
                    b->xf[b->nxf] = code_kind(code);
                    xmlFree(code);
                }
                xmlFree(fi);
            }
            b->nxf++;
        }
    }
    xmlFreeDoc(doc);
    return 0;
}

/* The path in the zip of the workbook's first sheet. */
static char *
first_sheet(struct book *b)
{
    xmlDocPtr doc = part_xml(b->zip, "xl/workbook.xml"), rels;
    xmlNode *root, *sheets, *pr, *s;
    char *rid = NULL, *path = NULL;

    if (!doc)
        return NULL;
    root = xmlDocGetRootElement(doc);
    if ((pr = child(root, "workbookPr"))) {
        char *d = attr(pr, "date1904");
        b->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
        xmlFree(d);
    }
    if ((sheets = child(root, "sheets")) && (s = child(sheets, "sheet")))
        rid = (char *)xmlGetNsProp(s, BAD_CAST "id", BAD_CAST
                  "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
    xmlFreeDoc(doc);
    if (rid && (rels = part_xml(b->zip, "xl/_rels/workbook.xml.rels"))) {
        xmlNode *rr = xmlDocGetRootElement(rels);
        for (xmlNode *c = rr ? rr->children : NULL; c && !path; c = c->next) {
            char *id, *target;
            if (!is(c, "Relationship"))
                continue;
            id = attr(c, "Id");
            if (id && strcmp(id, rid) == 0 && (target = attr(c, "Target"))) {
                if (target[0] == '/')
                    path = strdup(target + 1);
                else if (asprintf(&path, "xl/%s", target) < 0)
                    path = NULL;
                xmlFree(target);
            }
            xmlFree(id);
        }
        xmlFreeDoc(rels);
    }
    xmlFree(rid);
    return path ? path : strdup("xl/worksheets/sheet1.xml");
}

/* The column of a cell reference (B3 -> 1), or -1. */
static long
ref_col(const char *ref)
{
    long col = 0;
    int letters = 0;

    for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++)
        if ((col = col * 26 + (*ref - 'A' + 1)) > MAX_COLS)
            return -1;
    return letters ? col - 1 : -1;
}

static void
group(char *buf, size_t len, double v, int decimals)
{
    char digits[64], *p, out[96];
    size_t o = 0, intlen;

    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v));
    p = strchr(digits, '.');
    intlen = p ? (size_t)(p - digits) : strlen(digits);
    if (v < 0 && strspn(digits, "0.") != strlen(digits))
        out[o++] = '-';
    for (size_t i = 0; i < intlen && o < sizeof out - 2; i++) {
        if (i && (intlen - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    snprintf(buf, len, "%s%s", out, p ? p : "");
}

/* A number cell as its format shows it. */
static char *
number_text(const struct book *b, const char *v, long style)
{
    char buf[128];
    char *end;
    double d = strtod(v, &end);
    enum fmt_kind k = style >= 0 && (size_t)style < b->nxf ? b->xf[style] : FMT_GENERAL;

    if (end == v)
        return strdup(v);
    switch (k) {
    case FMT_DATE:
        sheet_serial_date(d, b->date1904, buf);
        break;
    case FMT_INT:
        snprintf(buf, sizeof buf, "%.0f", d);
        break;
    case FMT_FIXED2:
        snprintf(buf, sizeof buf, "%.2f", d);
        break;
    case FMT_GROUP0:
        group(buf, sizeof buf, d, 0);
        break;
    case FMT_GROUP2:
        group(buf, sizeof buf, d, 2);
        break;
    case FMT_PCT0:
        snprintf(buf, sizeof buf, "%.0f%%", d * 100);
        break;
    case FMT_PCT2:
        snprintf(buf, sizeof buf, "%.2f%%", d * 100);
        break;
    default:
        sheet_general(d, buf, sizeof buf);
        break;
    }
    return strdup(buf);
}

static char *
cell_text(const struct book *b, const xmlNode *c)
{
    char *t = attr(c, "t"), *s = attr(c, "s"), *out = NULL;
    xmlNode *vn = child(c, "v");
    xmlChar *v = vn ? xmlNodeGetContent(vn) : NULL;
    long style = s ? strtol(s, NULL, 10) : 0;

    if (t && strcmp(t, "inlineStr") == 0) {
        xmlNode *isn = child(c, "is");
        out = isn ? item_text(isn) : strdup("");
    } else if (!v) {
        out = strdup("");
    } else if (t && strcmp(t, "s") == 0) {
        char *end;
        unsigned long i = strtoul((const char *)v, &end, 10);
        out = strdup(i < b->nsst && b->sst[i] ? b->sst[i] : "");
    } else if (t && strcmp(t, "b") == 0) {
        out = strdup(strcmp((const char *)v, "1") == 0 ? "TRUE" : "FALSE");
    } else if (t && strcmp(t, "d") == 0) {
        char day[11];                           /* an ISO 8601 date */
        snprintf(day, sizeof day, "%s", (const char *)v);
        out = strdup(text_utf8_fix(day));
    } else if (t && strcmp(t, "n") != 0) {
        out = strdup((const char *)v);           /* str (a formula's), e (#N/A) */
    } else {
        out = number_text(b, (const char *)v, style);
    }
    xmlFree(v);
    xmlFree(t);
    xmlFree(s);
    return out;
}

int
sheet_xlsx_mem(const char *name, const char *raw, size_t len, textin_row_fn *fn, void *arg,
               char *err, size_t errlen)
{
    struct book b = { 0 };
    struct rows r = { .name = name, .fn = fn, .arg = arg, .total = len };
    zip_error_t ze;
    zip_source_t *src;
    xmlDocPtr doc = NULL;
    xmlNode *data;
    char *sheet = NULL;
    long rownum = 0, nrows = 0, k = 0;
    int rc = -1;

    zip_error_init(&ze);
    if (!(src = zip_source_buffer_create(raw, len, 0, &ze)) ||
        !(b.zip = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
        if (src)
            zip_source_free(src);
        snprintf(err, errlen, "%s", _("a zip file that cannot be opened: not an Excel "
                 "workbook (.xlsx), or a damaged one; save it again from the spreadsheet"));
        zip_error_fini(&ze);
        return -1;
    }
    zip_error_fini(&ze);
    if (load_sst(&b) < 0 || load_styles(&b) < 0 || !(sheet = first_sheet(&b))) {
        snprintf(err, errlen, "%s", _("out of memory"));
        goto out;
    }
    if (!(doc = part_xml(b.zip, sheet)) ||
        !(data = child(xmlDocGetRootElement(doc), "sheetData"))) {
        snprintf(err, errlen, "%s", _("not an Excel workbook (.xlsx): its first sheet cannot "
                 "be read; save it again from the spreadsheet, or save it as CSV"));
        goto out;
    }
    for (xmlNode *row = data->children; row; row = row->next)
        nrows += is(row, "row");
    for (xmlNode *row = data->children; row && !r.stop; row = row->next) {
        char *rn;
        long col = 0;
        if (!is(row, "row"))
            continue;
        rn = attr(row, "r");
        rownum = rn ? strtol(rn, NULL, 10) : rownum + 1;
        xmlFree(rn);
        for (xmlNode *c = row->children; c; c = c->next) {
            char *ref;
            if (!is(c, "c"))
                continue;
            if ((ref = attr(c, "r"))) {
                long rc2 = ref_col(ref);
                if (rc2 >= 0)
                    col = rc2;
                xmlFree(ref);
            }
            if (rows_set(&r, (size_t)col, cell_text(&b, c)) < 0) {
                snprintf(err, errlen, "%s", _("out of memory"));
                goto out;
            }
            col++;
        }
        k++;
        if (rows_end(&r, rownum, (size_t)((double)len * (double)k / (double)nrows)) < 0) {
            snprintf(err, errlen, "%s", _("out of memory"));
            goto out;
        }
    }
    rc = 0;
out:
    rows_clear(&r);
    xmlFreeDoc(doc);
    free(sheet);
    for (size_t i = 0; i < b.nsst; i++)
        free(b.sst[i]);
    free(b.sst);
    free(b.xf);
    zip_discard(b.zip);
    return rc;
}

/* ---- .xls ---- */

/* The workbook at path, its rows named name. */
static int
xls_read(const char *path, const char *name, size_t total, textin_row_fn *fn, void *arg,
         char *err, size_t errlen)
{
    const void *h = NULL;
    struct rows r = { .name = name, .fn = fn, .arg = arg, .total = total };
    unsigned int nrows = 0;
    unsigned short ncols = 0;
    int rc = -1;

    if (freexl_open(path, &h) != FREEXL_OK || freexl_select_active_worksheet(h, 0) != FREEXL_OK ||
        freexl_worksheet_dimensions(h, &nrows, &ncols) != FREEXL_OK) {
        snprintf(err, errlen, "%s", _("an Excel 97-2003 workbook (.xls) that cannot be read: "
                 "damaged, or protected by a password; save it again from the spreadsheet, or "
                 "save it as CSV"));
        goto out;
    }
    for (unsigned int i = 0; i < nrows && !r.stop; i++) {
        for (unsigned short j = 0; j < ncols && j < MAX_COLS; j++) {
            FreeXL_CellValue cv;
            char buf[128], *text;
            if (freexl_get_cell_value(h, i, j, &cv) != FREEXL_OK)
                continue;
            switch (cv.type) {
            case FREEXL_CELL_INT:
                snprintf(buf, sizeof buf, "%d", cv.value.int_value);
                break;
            case FREEXL_CELL_DOUBLE:
                sheet_general(cv.value.double_value, buf, sizeof buf);
                break;
            case FREEXL_CELL_TEXT:
            case FREEXL_CELL_SST_TEXT:
            case FREEXL_CELL_TIME:
                snprintf(buf, sizeof buf, "%s", "");
                break;
            case FREEXL_CELL_DATE:
            case FREEXL_CELL_DATETIME:
                /* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS": the day. */
                snprintf(buf, sizeof buf, "%.10s", cv.value.text_value);
                break;
            default:
                buf[0] = '\0';
                break;
            }
            text = (cv.type == FREEXL_CELL_TEXT || cv.type == FREEXL_CELL_SST_TEXT ||
                    cv.type == FREEXL_CELL_TIME)
                       ? strdup(cv.value.text_value ? cv.value.text_value : "")
                       : strdup(buf);
            if (rows_set(&r, j, text) < 0) {
                snprintf(err, errlen, "%s", _("out of memory"));
                goto out;
            }
        }
        if (rows_end(&r, (long)i + 1,
                      (size_t)((double)total * (double)(i + 1) / (double)nrows)) < 0) {
            snprintf(err, errlen, "%s", _("out of memory"));
            goto out;
        }
    }
    rc = 0;
out:
    rows_clear(&r);
    if (h)
        freexl_close(h);
    return rc;
}

int
sheet_xls(const char *path, size_t total, textin_row_fn *fn, void *arg, char *err,
          size_t errlen)
{
    return xls_read(path, path, total, fn, arg, err, errlen);
}

int
sheet_xls_mem(const char *name, const char *raw, size_t len, textin_row_fn *fn, void *arg,
              char *err, size_t errlen)
{
    char tmp[] = "/tmp/lianxi-xls-XXXXXX";
    int fd = mkstemp(tmp), rc;
    size_t done = 0;

    if (fd < 0) {
        snprintf(err, errlen, _("cannot make a temporary file: %s"), strerror(errno));
        return -1;
    }
    while (done < len) {
        ssize_t w = write(fd, raw + done, len - done);
        if (w <= 0) {
            snprintf(err, errlen, _("cannot make a temporary file: %s"), strerror(errno));
            close(fd);
            unlink(tmp);
            return -1;
        }
        done += (size_t)w;
    }
    close(fd);
    rc = xls_read(tmp, name, len, fn, arg, err, errlen);
    unlink(tmp);
    return rc;
}
