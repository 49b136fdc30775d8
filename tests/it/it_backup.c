/* it_backup.c — backup and restore that lose nothing: file, back up, file
 * more, restore the backup, let the adapters connect → every filing ever
 * acknowledged is held once under its original receipt number, no number
 * is handed out twice, and audit verify passes and names the restore.
 * What the hub should hold is read from the units' outboxes (their own
 * record of every receipt), never from the hub's database. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "files.h"
#include "harness.h"
#include "witness.h"

static struct county C;

#define IDNO "44162319851208185X"
#define MAXR 512

/* One receipt a unit holds. */
struct held {
    char no[24];
    char id[128];
    int rev;
};

static int
run_to(const char *out, const char *const argv[])
{
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    close(fd);
    return run_prog(&C, out, argv, 120000);
}

/* `lianxi-hub -c hub.conf ARGS…`; output in *text when not NULL. */
static int
hubcmd(char **text, const char *a1, const char *a2, const char *a3)
{
    char conf[PATH_MAX], out[PATH_MAX];
    int rc;

    snprintf(conf, sizeof conf, "%s/hub/hub.conf", C.dir);
    snprintf(out, sizeof out, "%s/hubcmd.out", C.dir);
    const char *argv[] = { "lianxi-hub", "-c", conf, a1, a2, a3, NULL };
    rc = run_to(out, argv);
    if (text)
        *text = files_read(out, NULL);
    return rc;
}

static int
auditor(char **text, const char *a1, const char *a2, const char *a3)
{
    char conf[PATH_MAX], out[PATH_MAX];
    int rc;

    snprintf(conf, sizeof conf, "%s/operators/auditor/operator.conf", C.dir);
    snprintf(out, sizeof out, "%s/auditor.out", C.dir);
    const char *argv[] = { "lianxi", "-c", conf, "audit", a1, a2, a3, NULL };
    rc = run_to(out, argv);
    if (text)
        *text = files_read(out, NULL);
    return rc;
}

/* The unit's adapter with ARGS (send, submit FILE). */
static int
adapter(const char *unit, const char *a1, const char *a2)
{
    char conf[PATH_MAX], out[PATH_MAX], prog[64];

    snprintf(conf, sizeof conf, "%s/units/%s/adapter.conf", C.dir, unit);
    snprintf(out, sizeof out, "%s/%s.out", C.dir, unit);
    snprintf(prog, sizeof prog, "lianxi-adapter-%s", unit);
    const char *argv[] = { prog, "-c", conf, "--wait", "60", a1, a2, NULL };
    return run_to(out, argv);
}

/* A police export of the cases first..last (its own case numbers). */
static void
police_export(const char *name, int first, int last, char *path, size_t n)
{
    FILE *f;

    snprintf(path, n, "%s/%s", C.dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,"
          "知悉范围\n", f);
    for (int i = first; i <= last; i++)
        fprintf(f, "A44162320261106%02d,杨志明," IDNO ",县农业农村局,股长,科员,醉酒驾驶机动车,"
                "2026-10-12,已办结,醉酒驾驶机动车被查获。,党政机关\n", i);
    fclose(f);
}

/* Every receipt the unit's outbox holds (its own record), appended. */
static void
outbox_receipts(const char *unit, struct held *h, int *n)
{
    char rel[PATH_MAX];
    sqlite3 *db;
    sqlite3_stmt *st;

    snprintf(rel, sizeof rel, "units/%s/outbox.db", unit);
    assert_int_equal(sqlite3_open_v2(cpath(&C, rel), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT receipt_no, filing_id, revision FROM outbox"
                                            " WHERE state = 1", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW && *n < MAXR) {
        snprintf(h[*n].no, sizeof h[*n].no, "%s", sqlite3_column_text(st, 0));
        snprintf(h[*n].id, sizeof h[*n].id, "%s", sqlite3_column_text(st, 1));
        h[*n].rev = sqlite3_column_int(st, 2);
        (*n)++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* 1 when the hub holds this receipt number for this filing and revision. */
static long
hub_holds(const struct held *h)
{
    char sql[512];

    snprintf(sql, sizeof sql, "SELECT count(*) FROM filings WHERE receipt_no = '%s' AND"
             " filing_id = '%s' AND revision = %d", h->no, h->id, h->rev);
    return db_long(&C, "hub/lianxi.db", sql);
}

/* 1 when the county's dir holds a file whose name starts with prefix. */
static int
has_prefix(const char *dir, const char *prefix)
{
    DIR *d = opendir(cpath(&C, dir));
    struct dirent *e;
    int found = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            found = 1;
    closedir(d);
    return found;
}

static int
setup_county(void **state)
{
    (void)state;
    return county_init(&C) < 0 || hub_start(&C, 20000) < 0 ? -1 : 0;
}

static int
teardown_county(void **state)
{
    (void)state;
    county_cleanup(&C);
    return 0;
}

static void
a_restore_and_one_connection_of_each_unit_lose_nothing(void **state)
{
    struct held h[MAXR];
    char csv[PATH_MAX], backup[PATH_MAX], *text = NULL, wtext[WITNESS_TEXT + 16];
    char court[PATH_MAX], max_no[24] = "";
    struct witness w;
    struct stat sb;
    int n = 0;
    (void)state;

    /* Filed, then backed up while the hub runs. */
    police_export("p1.csv", 1, 5, csv, sizeof csv);
    assert_int_equal(adapter("police", "submit", csv), 0);
    snprintf(backup, sizeof backup, "%s/b1.zip", C.dir);
    assert_int_equal(hubcmd(&text, "backup", "-o", backup), 0);
    free(text);
    assert_int_equal(stat(backup, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    {
        /* status learns of it from the run directory. */
        char *last = files_read(cpath(&C, "hub/run/backup.last"), NULL);
        assert_non_null(last);
        assert_non_null(strstr(last, "/b1.zip\n"));
        free(last);
    }

    /* Filed after the backup: more police cases, and a court's export. */
    police_export("p2.csv", 6, 9, csv, sizeof csv);
    assert_int_equal(adapter("police", "submit", csv), 0);
    snprintf(court, sizeof court, "%s/adapters/court/samples/court-2026-11.csv",
             getenv("LIANXI_SRC") ? getenv("LIANXI_SRC") : ".");
    assert_int_equal(adapter("court", "submit", court), 0);
    /* A checkpoint of the trail as it is now reaches the police adapter. */
    assert_int_equal(auditor(NULL, "checkpoint", NULL, NULL), 0);
    assert_int_equal(adapter("police", "send", NULL), 0);
    assert_int_equal(witness_load(cpath(&C, "units/police/hub.witness"), &w), 0);
    /* And the auditor keeps one too. */
    assert_int_equal(auditor(&text, "verify", NULL, NULL), 0);
    free(text);

    outbox_receipts("police", h, &n);
    outbox_receipts("court", h, &n);
    assert_int_equal(n, 9 + (int)db_long(&C, "units/court/outbox.db",
                                         "SELECT count(*) FROM outbox WHERE state = 1"));
    assert_true(n > 9);
    for (int i = 0; i < n; i++)
        if (strcmp(h[i].no, max_no) > 0)
            snprintf(max_no, sizeof max_no, "%s", h[i].no);

    /* Restored: refused while the hub runs, then done with it stopped. */
    assert_int_equal(hubcmd(NULL, "restore", backup, NULL), 75);
    assert_int_equal(hub_stop(&C), 0);
    assert_int_equal(hubcmd(&text, "restore", backup, NULL), 0);
    free(text);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings"), 5);
    assert_int_equal(hub_start(&C, 20000), 0);

    /* One connection of each unit.  The police adapter's checkpoint is of
     * the trail the restore replaced: the hub's signed restore says so, and
     * it is kept aside (no conflict claimed). */
    assert_int_equal(adapter("police", "send", NULL), 0);
    assert_int_equal(adapter("court", "send", NULL), 0);
    assert_true(has_prefix("units/police", "hub.witness.pre-restore-"));
    assert_int_not_equal(access(cpath(&C, "units/police/hub.witness.conflict"), F_OK), 0);
    for (int i = 0; i < n; i++) {
        if (hub_holds(&h[i]) != 1)
            fail_msg("receipt %s (%s rev %d) is not held after the restore", h[i].no, h[i].id,
                     h[i].rev);
    }
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings"), n);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(DISTINCT receipt_no) FROM filings"),
                     n);

    /* A new filing gets a number none of the units holds. */
    police_export("p3.csv", 10, 10, csv, sizeof csv);
    assert_int_equal(adapter("police", "submit", csv), 0);
    {
        char sql[256], no[24];
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open_v2(cpath(&C, "units/police/outbox.db"), &db,
                                         SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        snprintf(sql, sizeof sql, "SELECT receipt_no FROM outbox WHERE case_ref ="
                 " 'A4416232026110610' AND state = 1");
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        snprintf(no, sizeof no, "%s", sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        sqlite3_close(db);
        assert_true(strcmp(no, max_no) > 0);
        for (int i = 0; i < n; i++)
            assert_string_not_equal(no, h[i].no);
    }

    /* The trail verifies with the unit's witness from before the restore,
     * and says it was restored; a witness the restore does not explain is
     * still caught (the hub's checkpoints at the restore are of the new
     * trail). */
    witness_format_at(&w, wtext);
    assert_true(w.seq > 5);
    assert_int_equal(auditor(&text, "verify", "--witness", wtext), 0);
    assert_non_null(strstr(text, "恢复"));
    free(text);
    assert_true(has_prefix("operators/auditor", "operator.witness.pre-restore-"));
    /* The units take the new trail's checkpoints from now on. */
    assert_int_equal(auditor(NULL, "checkpoint", NULL, NULL), 0);
    assert_int_equal(adapter("police", "send", NULL), 0);
    {
        struct witness now;
        assert_int_equal(witness_load(cpath(&C, "units/police/hub.witness"), &now), 0);
        assert_true(now.seq > 0);
        witness_format_at(&now, wtext);
        assert_int_equal(auditor(&text, "verify", "--witness", wtext), 0);
        free(text);
    }
}

/* Rewrites one entry of the backup zip with data (a changed copy). */
static void
replace_entry(const char *zipfile, const char *name, const void *data, size_t len)
{
    int err;
    zip_t *z = zip_open(zipfile, 0, &err);
    zip_source_t *src;

    assert_non_null(z);
    src = zip_source_buffer(z, data, len, 0);
    assert_non_null(src);
    assert_true(zip_file_add(z, name, src, ZIP_FL_OVERWRITE) >= 0);
    assert_int_equal(zip_close(z), 0);
}

static char *
read_entry(const char *zipfile, const char *name, size_t *len)
{
    int err;
    zip_t *z = zip_open(zipfile, ZIP_RDONLY, &err);
    zip_stat_t zs;
    zip_file_t *f;
    char *buf;

    assert_non_null(z);
    assert_int_equal(zip_stat(z, name, 0, &zs), 0);
    buf = malloc(zs.size + 1);
    f = zip_fopen(z, name, 0);
    assert_int_equal(zip_fread(f, buf, zs.size), (zip_int64_t)zs.size);
    zip_fclose(f);
    zip_discard(z);
    buf[zs.size] = '\0';
    *len = zs.size;
    return buf;
}

static void
copy_file(const char *from, const char *to)
{
    size_t len;
    char *data = files_read(from, &len);

    assert_non_null(data);
    assert_int_equal(files_write_atomic(to, data, len, 0600), 0);
    free(data);
}

static void
a_changed_backup_is_refused_and_nothing_moves(void **state)
{
    char backup[PATH_MAX], bad[PATH_MAX], *m, *text = NULL;
    size_t len;
    long before;
    (void)state;

    snprintf(backup, sizeof backup, "%s/b2.zip", C.dir);
    assert_int_equal(hubcmd(&text, "backup", "-o", backup), 0);
    free(text);
    before = db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings");
    assert_int_equal(hub_stop(&C), 0);

    /* The manifest changed (more filings claimed): its signature fails. */
    snprintf(bad, sizeof bad, "%s/bad-manifest.zip", C.dir);
    copy_file(backup, bad);
    m = read_entry(bad, "MANIFEST", &len);
    assert_non_null(strstr(m, "filings="));
    strstr(m, "filings=")[8] = '9';
    replace_entry(bad, "MANIFEST", m, len);
    assert_int_equal(hubcmd(&text, "restore", bad, NULL), 65);
    free(text);
    free(m);

    /* One byte of the database changed: it no longer matches the manifest. */
    snprintf(bad, sizeof bad, "%s/bad-db.zip", C.dir);
    copy_file(backup, bad);
    m = read_entry(bad, "lianxi-hub.db", &len);
    m[len / 2] ^= 0x20;
    replace_entry(bad, "lianxi-hub.db", m, len);
    assert_int_equal(hubcmd(&text, "restore", bad, NULL), 65);
    free(text);
    free(m);

    /* Nothing moved: the database is the one the hub ran on. */
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings"), before);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM audit_log WHERE"
                                                 " action = 'store:restore'"), 1);
}

static void
a_lost_database_restored_hands_out_no_number_twice(void **state)
{
    char backup[PATH_MAX], csv[PATH_MAX], *text = NULL;
    long last_backup, held_max;
    (void)state;

    snprintf(backup, sizeof backup, "%s/b3.zip", C.dir);
    assert_int_equal(hubcmd(&text, "backup", "-o", backup), 0);
    free(text);
    last_backup = db_long(&C, "hub/lianxi.db", "SELECT max(CAST(substr(receipt_no, 6) AS"
                                               " INTEGER)) FROM filings");
    police_export("p4.csv", 11, 14, csv, sizeof csv);
    assert_int_equal(adapter("police", "submit", csv), 0);
    held_max = db_long(&C, "units/police/outbox.db", "SELECT max(CAST(substr(receipt_no, 6) AS"
                                                     " INTEGER)) FROM outbox WHERE state = 1");
    assert_true(held_max > last_backup);

    /* The disk went: the database and its WAL are gone. */
    assert_int_equal(hub_stop(&C), 0);
    unlink(cpath(&C, "hub/lianxi.db"));
    unlink(cpath(&C, "hub/lianxi.db-wal"));
    unlink(cpath(&C, "hub/lianxi.db-shm"));
    assert_int_equal(hubcmd(&text, "restore", backup, NULL), 0);
    free(text);
    assert_int_equal(hub_start(&C, 20000), 0);

    /* The procuratorate files before the police adapter has connected: the
     * numbers it gets are above anything the lost database could have
     * handed out. */
    {
        char procu[PATH_MAX];
        snprintf(procu, sizeof procu, "%s/adapters/procuratorate/samples/procuratorate-2026-11.csv",
                 getenv("LIANXI_SRC") ? getenv("LIANXI_SRC") : ".");
        assert_int_equal(adapter("procuratorate", "submit", procu), 0);
        assert_true(db_long(&C, "units/procuratorate/outbox.db", "SELECT count(*) FROM outbox"
                                                                  " WHERE state = 1") > 0);
        assert_true(db_long(&C, "units/procuratorate/outbox.db",
                            "SELECT min(CAST(substr(receipt_no, 6) AS INTEGER)) FROM outbox"
                            " WHERE state = 1") > held_max);
    }
    police_export("p5.csv", 15, 15, csv, sizeof csv);
    assert_int_equal(adapter("police", "submit", csv), 0);
    assert_true(db_long(&C, "units/police/outbox.db", "SELECT CAST(substr(receipt_no, 6) AS"
                                                      " INTEGER) FROM outbox WHERE case_ref ="
                                                      " 'A4416232026110615'") > held_max);
    /* And the four filed after the backup are back, under their numbers. */
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings WHERE case_ref"
                                                  " IN ('A4416232026110611', 'A4416232026110612',"
                                                  " 'A4416232026110613', 'A4416232026110614')"), 4);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) - count(DISTINCT receipt_no)"
                                                  " FROM filings"), 0);
    assert_int_equal(auditor(&text, "verify", NULL, NULL), 0);
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_restore_and_one_connection_of_each_unit_lose_nothing),
        cmocka_unit_test(a_changed_backup_is_refused_and_nothing_moves),
        cmocka_unit_test(a_lost_database_restored_hands_out_no_number_twice),
    };
    return cmocka_run_group_tests(tests, setup_county, teardown_county);
}
