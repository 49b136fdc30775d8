/* test_archive.c — the audit chain as the archives' verifier checks it
 * (src/lib/auditchain.h): the hub's own trail passes, and a changed entry,
 * a missing one or a broken link is named. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auditchain.h"
#include "store.h"
#include "tmpdir.h"

#define N 6

/* A chain of N entries made with auditchain_hash; fields in buffers. */
static char actors[N][32];
static struct auditchain_entry chain[N];

static void
make_chain(void)
{
    uint8_t prev[32];

    memset(prev, 0xab, sizeof prev);        /* a year that starts after others */
    for (int i = 0; i < N; i++) {
        struct auditchain_entry *e = &chain[i];
        snprintf(actors[i], sizeof actors[i], "operator:auditor%d", i);
        e->seq = 100 + (uint64_t)i;
        e->at = 1750000000 + i;
        e->actor = actors[i];
        e->action = "filing:read";
        e->object = "2025-000001";
        e->detail = i % 2 ? "" : "详情";
        memcpy(e->prev, prev, 32);
        auditchain_hash(e->prev, e->seq, e->at, e->actor, e->action, e->object, e->detail,
                        e->hash);
        memcpy(prev, e->hash, 32);
    }
}

/* Steps through the chain; the index of the first refused entry, or -1. */
static int
first_refused(char *why, size_t n)
{
    struct auditchain c = { 0 };

    for (int i = 0; i < N; i++)
        if (auditchain_step(&c, &chain[i], why, n) < 0)
            return i;
    assert_int_equal(c.count, N);
    assert_int_equal(c.first_seq, 100);
    assert_int_equal(c.last_seq, 100 + N - 1);
    assert_memory_equal(c.head, chain[N - 1].hash, 32);
    return -1;
}

static void
a_whole_chain_passes(void **state)
{
    char why[512];
    (void)state;
    make_chain();
    assert_int_equal(first_refused(why, sizeof why), -1);
}

static void
a_changed_entry_is_named(void **state)
{
    char why[512];
    (void)state;
    make_chain();
    actors[3][0] = 'X';                     /* the text changed, its hash kept */
    assert_int_equal(first_refused(why, sizeof why), 3);
    assert_non_null(strstr(why, "103"));
}

static void
a_rehashed_entry_breaks_the_next_link(void **state)
{
    char why[512];
    (void)state;
    make_chain();
    /* Changed and hashed again: the entry passes, the next one names the old hash. */
    actors[2][0] = 'X';
    auditchain_hash(chain[2].prev, chain[2].seq, chain[2].at, chain[2].actor, chain[2].action,
                    chain[2].object, chain[2].detail, chain[2].hash);
    assert_int_equal(first_refused(why, sizeof why), 3);
    assert_non_null(strstr(why, "103"));
}

static void
a_missing_entry_is_named(void **state)
{
    char why[512];
    struct auditchain c = { 0 };
    (void)state;
    make_chain();
    assert_int_equal(auditchain_step(&c, &chain[0], why, sizeof why), 0);
    assert_int_equal(auditchain_step(&c, &chain[1], why, sizeof why), 0);
    assert_int_equal(auditchain_step(&c, &chain[3], why, sizeof why), -1);
    assert_non_null(strstr(why, "103"));
    assert_non_null(strstr(why, "101"));
}

/* The hub's trail (audit.c) is the chain auditchain checks. */
static void
the_hubs_trail_passes_the_check(void **state)
{
    struct tmp *t = NULL;
    store_t *store;
    audit_t *audit;
    sqlite3 *db;
    sqlite3_stmt *st;
    struct auditchain c = { 0 };
    char why[512];
    (void)state;

    assert_int_equal(tmp_make((void **)&t, "archive", "hub.db"), 0);
    assert_non_null(store = store_open(t->path, t->dir));
    assert_non_null(audit = audit_new(store));
    assert_int_equal(store_begin(store), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(audit_append(audit, 1750000000 + i, "operator:supervisor", "filing:read",
                                      "2025-00000", i % 2 ? "第二" : ""), 0);
    assert_int_equal(store_commit(store), 0);
    audit_destroy(&audit);
    store_close(&store);

    assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, at, actor, action, object, detail, prev,"
                                            " hash FROM audit_log ORDER BY seq", -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct auditchain_entry e = {
            .seq = (uint64_t)sqlite3_column_int64(st, 0),
            .at = sqlite3_column_int64(st, 1),
            .actor = (const char *)sqlite3_column_text(st, 2),
            .action = (const char *)sqlite3_column_text(st, 3),
            .object = (const char *)sqlite3_column_text(st, 4),
            .detail = (const char *)sqlite3_column_text(st, 5),
        };
        memcpy(e.prev, sqlite3_column_blob(st, 6), 32);
        memcpy(e.hash, sqlite3_column_blob(st, 7), 32);
        assert_int_equal(auditchain_step(&c, &e, why, sizeof why), 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(c.count, 4);
    {
        static const char *const extra[] = { "-wal", "-shm", "-journal" };
        char f[256];
        for (size_t i = 0; i < 3; i++) {
            snprintf(f, sizeof f, "%s%s", t->path, extra[i]);
            unlink(f);
        }
        snprintf(f, sizeof f, "%s/database.identity", t->dir);
        unlink(f);
    }
    tmp_teardown((void **)&t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_whole_chain_passes),
        cmocka_unit_test(a_changed_entry_is_named),
        cmocka_unit_test(a_rehashed_entry_breaks_the_next_link),
        cmocka_unit_test(a_missing_entry_is_named),
        cmocka_unit_test(the_hubs_trail_passes_the_check),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
