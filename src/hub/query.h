/* query.h — the read side of the filings for operators: filtered listings,
 * one filing with its revisions, dossiers, and the CSV export.  Reads only;
 * every statement runs through the store. */
#ifndef LX_QUERY_H
#define LX_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "days.h"
#include "store.h"

/* A listing's filters, already checked by the command table (plain values
 * the query owns, so a job can keep them after the request is gone). */
struct query_filter {
    char unit[32];          /* "" = every unit (a member's own unit is forced) */
    char category[64];      /* "" = every category */
    lx_day since, until;    /* received in [since, until]; has_* = 0 when open */
    int has_since, has_until;
    char status[16];        /* accepted|noted|supplement|unreviewed|late, "" = any */
    int late;               /* only filings received late */
    int rank_min, rank_max; /* the cadre's rank in [rank_min, rank_max] (proto's
                             * enum Rank); 0 = any */
    int newest;             /* listings only: newest receipt first (else oldest) */
    size_t limit;           /* listings only: at most this many rows (0: all) */
    size_t offset;          /* listings only: skip this many rows first */
};

/* The columns of every filings statement below, in this order. */
enum {
    QC_RECEIPT_NO, QC_UNIT, QC_FILING_ID, QC_REVISION, QC_STAGE, QC_CATEGORY, QC_NAME,
    QC_ID_NUMBER, QC_WORK_UNIT, QC_POST, QC_RANK, QC_LEARNED_ON, QC_SUMMARY, QC_SCOPE,
    QC_CASE_REF, QC_RECEIVED_AT, QC_DUE_ON, QC_ON_TIME, QC_LATE_DAYS, QC_ANSWERS,
    QC_JUDGED_AT, QC_REVIEW, QC_ROW /* the filing's row (0 for a candidate) */, QC_NCOLS
};

/* The filtered listing by receipt time (oldest first, or newest with
 * f->newest), f->offset rows skipped and at most f->limit rows (all when
 * 0), ready to step (release with store_done).  Returns NULL after
 * logging. */
sqlite3_stmt *query_listing(store_t *st, const struct query_filter *f);

/* How many filings the filters match in all (offset and limit aside) into
 * *n.  Returns 0, or -1 after logging. */
int query_count(store_t *st, const struct query_filter *f, uint64_t *n);

/* The rank filter's word (opcmd.c: clerk … bureau, or above for 副科级及以上)
 * into f->rank_min and rank_max.  Returns 0, or -1 for an unknown word (f
 * unchanged). */
int query_rank(struct query_filter *f, const char *word);

/* Every revision of one unit's filing, oldest first. */
sqlite3_stmt *query_revisions(store_t *st, const char *unit, const char *filing_id);

/* The filings that answer the supplement requests made in reviews of one
 * unit's filing (Filing.answers naming their obligations), other than that
 * filing's own revisions, in the order received. */
sqlite3_stmt *query_answers(store_t *st, const char *unit, const char *filing_id);

/* Everything filed about one ID number, in the order things were learned. */
sqlite3_stmt *query_dossier(store_t *st, const char *id_number);

/* People whose name contains name: one row per person, with QC_UNIT the
 * units that filed (comma-separated) and QC_REVISION the number of filings. */
sqlite3_stmt *query_candidates(store_t *st, const char *name);

/* Finds the filing an operator names (receipt number, or a filing id only
 * one unit used), among own_unit's only when given.  Fills unit (64) and
 * filing_id (128).  Returns 1 when found, 0 when not, -1 on error. */
int query_resolve(store_t *st, const char *id, const char *own_unit, char unit[64],
                  char filing_id[128]);
/* query_resolve, with the row of the revision it names in *row (may be
 * NULL): for a receipt number, that receipt's revision; for a filing id,
 * its latest.  The one place that decides what an operator may name. */
int query_resolve_row(store_t *st, const char *id, const char *own_unit, char unit[64],
                      char filing_id[128], int64_t *row);

/* The filters as one line for the audit trail ("unit=* category=* ..."). */
void query_describe(const struct query_filter *f, char *out, size_t n);

/* The CSV of the filtered listing (header and one row per filing), read in
 * one transaction of st (a read-only store).  Sets *csv (malloc'd), *len
 * and *count.  Returns 0, or -1 after logging. */
int query_export(store_t *st, const struct query_filter *f, char **csv, size_t *len,
                 uint64_t *count);

#endif
