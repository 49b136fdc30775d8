/* query.h — the read side of the filings for operators: filtered listings,
 * one filing with its revisions, dossiers, and the CSV export.  Reads only;
 * every statement runs through the store. */
#ifndef LX_QUERY_H
#define LX_QUERY_H

#include <stddef.h>
#include <stdint.h>

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
    size_t limit;           /* listings only: at most this many rows */
};

/* The filters as one line for the audit trail ("unit=* category=* ..."). */
void query_describe(const struct query_filter *f, char *out, size_t n);

/* The CSV of the filtered listing (header and one row per filing), read in
 * one transaction of st (a read-only store).  Sets *csv (malloc'd), *len
 * and *count.  Returns 0, or -1 after logging. */
int query_export(store_t *st, const struct query_filter *f, char **csv, size_t *len,
                 uint64_t *count);

#endif
