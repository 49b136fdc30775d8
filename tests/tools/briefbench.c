/* lianxi-briefbench — make bench: a hub database of N generated filings
 * (ten years of a province's counties), then the time and peak memory of
 * compiling the annual briefing over it. */
#include "brief.h"
#include "calendar.h"
#include "categories.h"
#include "idnum.h"
#include "log.h"
#include "store.h"
#include "days.h"
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t rng = 88172645463325252ull;

static uint64_t
next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static long
peak_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int
main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/tmp/lianxi-briefbench.db";
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    categories_t *cats = categories_load(argc > 3 ? argv[3] : "deploy/categories.tsv");
    calendar_t *cal = calendar_load(argc > 4 ? argv[4] : "deploy/calendar/cn-holidays.tsv");
    lx_day last = days_from_civil(2026, 11, 21), first = last - 3652;
    const char *cat_of[LX_NUNITS][8];
    int ncat[LX_NUNITS] = { 0 };
    store_t *st;
    sqlite3 *gen;
    char rundir[4200], idfile[4300];
    sqlite3_stmt *ins;
    int64_t t0;
    char err[256];

    log_init("lianxi-briefbench", LOG_LVL_WARN);
    if (!cats || !cal)
        return 1;
    for (size_t i = 0; i < categories_count(cats); i++) {
        const struct lx_category *k = categories_at(cats, i);
        for (int u = 0; u < LX_NUNITS; u++)
            if (strcmp(k->unit, lx_units[u].code) == 0 && ncat[u] < 8)
                cat_of[u][ncat[u]++] = k->code;
    }
    remove(path);
    snprintf(rundir, sizeof rundir, "%s.run", path);
    mkdir(rundir, 0700);
    snprintf(idfile, sizeof idfile, "%s/database.identity", rundir);
    remove(idfile);
    /* The hub's store makes the schema; the rows are generated on a
     * connection of the benchmark's own, as fast as SQLite takes them. */
    if (!(st = store_open(path, rundir)))
        return 1;
    store_close(&st);
    if (sqlite3_open(path, &gen) != SQLITE_OK)
        return 1;
    t0 = clock_mono_ms();
    sqlite3_exec(gen, "PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL);
    sqlite3_prepare_v2(gen,
        "INSERT INTO filings(unit, filing_id, revision, stage, category, name, id_number,"
        " work_unit, post, rank, learned_on, summary, scope, case_ref, queued_at, answers,"
        " signature, content_hash, key_id, receipt_no, received_at, due_on, on_time, late_days,"
        " provisional, judged_at) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, '科长', ?8, ?9, ?10,"
        " ?11, ?12, ?13, '', x'00', x'00', 'k', ?14, ?13, ?9, ?15, ?16, 0, ?13)", -1, &ins, NULL);
    for (long i = 0; i < n; i++) {
        int u = (int)(next() % LX_NUNITS);
        long cadre = (long)(next() % 200000);
        char id[19], fid[64], receipt[24], learned[LX_DATE_LEN], name[32], work[48], caseref[32];
        /* Filings arrive in time order, as at a real hub. */
        lx_day day = getenv("BRIEF_RANDOM_ORDER") ? first + (lx_day)(next() % (uint64_t)(last - first))
                                                  : first + (lx_day)((int64_t)i * (last - first) / n);
        int on_time = next() % 5 != 0, y, m, d;

        snprintf(id, sizeof id, "%06ld%04ld%02ld%02ld%03ld", 110000 + cadre % 800000,
                 1960 + cadre % 35, 1 + cadre / 35 % 12, 1 + cadre / 420 % 28, cadre % 1000);
        id[17] = idnum_check_char(id);
        id[18] = '\0';
        snprintf(caseref, sizeof caseref, "B%ld", i);
        snprintf(fid, sizeof fid, "%s:B%ld:report:%s", lx_units[u].code, i, id);
        days_to_civil(day, &y, &m, &d);
        snprintf(receipt, sizeof receipt, "%04d-%07ld", y, i);
        days_format(day - 3, learned);
        snprintf(name, sizeof name, "干部%ld", cadre);
        snprintf(work, sizeof work, "第%ld单位", cadre % 2000);
        sqlite3_bind_text(ins, 1, lx_units[u].code, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, fid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 3, next() % 4 == 0 ? 1 : 2);
        sqlite3_bind_text(ins, 4, cat_of[u][next() % (uint64_t)ncat[u]], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 6, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 7, work, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 8, 1 + (int)(next() % 6));
        sqlite3_bind_text(ins, 9, learned, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 10, next() % 10 == 0 ? "【实名】反映问题已核实。" : "情况已报备。", -1,
                          SQLITE_STATIC);
        sqlite3_bind_int(ins, 11, 1 + (int)(next() % 4));
        sqlite3_bind_text(ins, 12, caseref, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins, 13, (int64_t)day * 86400 + 3600);
        sqlite3_bind_text(ins, 14, receipt, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 15, on_time);
        sqlite3_bind_int(ins, 16, on_time ? 0 : 1 + (int)(next() % 9));
        if (sqlite3_step(ins) != SQLITE_DONE) {
            fprintf(stderr, "briefbench: %s\n", sqlite3_errmsg(gen));
            return 1;
        }
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_exec(gen, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(gen);
    /* The matters of the generated filings, as intake would have kept them. */
    if (!(st = store_open(path, rundir)) || store_rebuild_matters(st) < 0)
        return 1;
    store_close(&st);
    printf("generated %ld filings over ten years in %.1f s\n", n,
           (clock_mono_ms() - t0) / 1000.0);

    for (int format = BRIEF_HTML; format <= BRIEF_DOCX; format++) {
        store_t *db;
        struct brief_params p = { .from = last - 364, .to = last, .audience = BRIEF_FULL,
                                  .format = format };
        char *out = NULL;
        size_t len = 0;
        long before = peak_kb();

        if (!(db = store_open_ro(path)))
            return 1;
        t0 = clock_mono_ms();
        if (brief_compile(db, cal, cats, &p, &out, &len, err, sizeof err) < 0) {
            fprintf(stderr, "briefbench: %s\n", err);
            return 1;
        }
        printf("brief %s over the last year of %ld filings: %.2f s (target <= 3 s), "
               "%.1f MB written, peak RSS %.0f MB (target <= 200 MB; %.0f MB before)\n",
               format == BRIEF_HTML ? "html" : "md  ", n, (clock_mono_ms() - t0) / 1000.0,
               len / 1e6, peak_kb() / 1024.0, before / 1024.0);
        free(out);
        store_close(&db);
    }
    categories_destroy(&cats);
    calendar_destroy(&cal);
    remove(path);
    remove(idfile);
    rmdir(rundir);
    return 0;
}
