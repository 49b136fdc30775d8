/* it_attach.c — documents (附件) filed with a case, end to end on loopback:
 * the export's 附件 column, the adapter's copy, the chunked transfer, the
 * hub's store and the receipt; ordinary filings of another unit answered
 * within a second while 50 MB go; kill -9 of either side mid-transfer and
 * the transfer resumed, each document stored once; a copy altered after
 * queueing refused; the limits of both sides; a type not taken.  Expected
 * hashes are computed here from the bytes this test made. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canon.h"
#include "clock.h"
#include "days.h"
#include "files.h"
#include "harness.h"
#include "keys.h"
#include "wire.h"

#include <zmq.h>

static struct county C;

#define IDNO "44162319851208185X"
#define HASHLEN 32

static int
setup(void **state)
{
    (void)state;
    return sodium_init() < 0 || county_init(&C) < 0 ? -1 : 0;
}

static int
teardown(void **state)
{
    (void)state;
    county_cleanup(&C);
    return 0;
}

static void
hexof(const uint8_t h[HASHLEN], char out[2 * HASHLEN + 1])
{
    sodium_bin2hex(out, 2 * HASHLEN + 1, h, HASHLEN);
}

/* Writes a PDF of n bytes ("%PDF-1.4" then random) at path; its hash
 * into h. */
static void
make_pdf(const char *path, size_t n, uint8_t h[HASHLEN])
{
    crypto_generichash_state st;
    uint8_t buf[65536];
    FILE *f = fopen(path, "w");
    size_t done = 0;

    assert_non_null(f);
    crypto_generichash_init(&st, NULL, 0, HASHLEN);
    while (done < n) {
        size_t k = n - done < sizeof buf ? n - done : sizeof buf;
        randombytes_buf(buf, k);
        if (done == 0)
            memcpy(buf, "%PDF-1.4", 8);
        crypto_generichash_update(&st, buf, k);
        assert_int_equal(fwrite(buf, 1, k, f), k);
        done += k;
    }
    crypto_generichash_final(&st, h, HASHLEN);
    assert_int_equal(fclose(f), 0);
}

/* BLAKE2b-256 of a file, 0; -1 when it cannot be read. */
static int
hash_file(const char *path, uint8_t h[HASHLEN])
{
    crypto_generichash_state st;
    uint8_t buf[65536];
    FILE *f = fopen(path, "r");
    size_t k;

    if (!f)
        return -1;
    crypto_generichash_init(&st, NULL, 0, HASHLEN);
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        crypto_generichash_update(&st, buf, k);
    fclose(f);
    crypto_generichash_final(&st, h, HASHLEN);
    return 0;
}

/* The folder of exports, made when missing. */
static const char *
exports(void)
{
    const char *d = cpath(&C, "exports");
    mkdir(d, 0755);
    return d;
}

/* A police export at exports/NAME of cases first..last, each naming the
 * documents docs (the 附件 column; NULL: no such column). */
static void
police_export(const char *name, int first, int last, const char *docs, char *path, size_t n)
{
    FILE *f;

    snprintf(path, n, "%s/%s", exports(), name);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,"
               "知悉范围%s\n", docs ? ",附件" : "");
    for (int i = first; i <= last; i++)
        fprintf(f, "A44162320261106%03d,杨志明," IDNO ",县农业农村局,股长,科员,醉酒驾驶机动车,"
                "2026-10-12,已办结,醉酒驾驶机动车被查获。,党政机关%s%s\n", i, docs ? "," : "",
                docs ? docs : "");
    fclose(f);
}

/* A court export of cases first..last (no documents). */
static void
court_export(const char *name, int first, int last, char *path, size_t n)
{
    FILE *f;

    snprintf(path, n, "%s/%s", exports(), name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("案号,当事人,证件号码,工作单位,职务,职级,案件类型,立案日期,案件状态,裁判结果摘要,"
          "承办法官,公开范围\n", f);
    for (int i = first; i <= last; i++)
        fprintf(f, "(2026)粤1623刑初%d号,杨志明," IDNO ",县农业农村局,股长,科员,刑事案件,"
                "2026-10-12,已判决,判处有期徒刑一年。,李法官,党政机关\n", i);
    fclose(f);
}

static void
append(const char *rel, const char *text)
{
    FILE *f = fopen(cpath(&C, rel), "a");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *
out_of(const char *unit)
{
    static char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s.out", C.dir, unit);
    return p;
}

/* Whether the unit's adapter said a document resumed past its first byte
 * (in the clerk's language: the message is translated). */
static int out_has(const char *unit, const char *needle);

static int
resumed(const char *unit)
{
    return out_has(unit, "resumes at byte") || out_has(unit, "字节续传");
}

/* The unit's adapter: CMD [FILE], waiting up to wait_s for the hub. */
static pid_t
adapter_spawn(const char *unit, const char *wait_s, const char *cmd, const char *file)
{
    char conf[PATH_MAX], prog[64];

    snprintf(conf, sizeof conf, "%s/units/%s/adapter.conf", C.dir, unit);
    snprintf(prog, sizeof prog, "lianxi-adapter-%s", unit);
    const char *argv[] = { prog, "-c", conf, "--wait", wait_s, cmd, file, NULL };
    return spawn(&C, out_of(unit), argv);
}

static int
adapter(const char *unit, const char *cmd, const char *file)
{
    pid_t pid;

    unlink(out_of(unit));
    pid = adapter_spawn(unit, "120", cmd, file);
    return wait_exit(pid, 180000);
}

static int
out_has(const char *unit, const char *needle)
{
    char *t = files_read(out_of(unit), NULL);
    int has = t && strstr(t, needle) != NULL;
    free(t);
    return has;
}

static long
hub_long(const char *sql)
{
    return db_long(&C, "hub/lianxi.db", sql);
}

/* The hub's file of a document. */
static void
hub_file(const uint8_t h[HASHLEN], char *out, size_t n)
{
    char hex[2 * HASHLEN + 1];
    hexof(h, hex);
    snprintf(out, n, "%s/hub/attachments/%.2s/%s", C.dir, hex, hex);
}

/* Files stored whole under hub/attachments (not partial/). */
static int
hub_files(void)
{
    DIR *d = opendir(cpath(&C, "hub/attachments"));
    struct dirent *e;
    int n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d))) {
        char sub[PATH_MAX];
        DIR *s;
        struct dirent *f;
        if (e->d_name[0] == '.' || strcmp(e->d_name, "partial") == 0)
            continue;
        snprintf(sub, sizeof sub, "%s/hub/attachments/%s", C.dir, e->d_name);
        if (!(s = opendir(sub)))
            continue;
        while ((f = readdir(s)))
            n += f->d_name[0] != '.';
        closedir(s);
    }
    closedir(d);
    return n;
}

/* Bytes held of partial uploads on the hub. */
static long long
hub_partial_bytes(void)
{
    DIR *d = opendir(cpath(&C, "hub/attachments/partial"));
    struct dirent *e;
    long long n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d))) {
        char p[PATH_MAX];
        struct stat sb;
        snprintf(p, sizeof p, "%s/hub/attachments/partial/%s", C.dir, e->d_name);
        if (e->d_name[0] != '.' && stat(p, &sb) == 0)
            n += sb.st_size;
    }
    closedir(d);
    return n;
}

static long long partial_goal;

static int
partial_reached(void *arg)
{
    (void)arg;
    return hub_partial_bytes() >= partial_goal;
}

/* Waits until the hub holds at least bytes of partial uploads. */
static int
wait_partial(long long bytes, int timeout_ms)
{
    partial_goal = bytes;
    mkdir(cpath(&C, "hub/attachments"), 0700);
    mkdir(cpath(&C, "hub/attachments/partial"), 0700);
    return wait_in_dir(cpath(&C, "hub/attachments/partial"), IN_MODIFY | IN_CREATE,
                       partial_reached, NULL, timeout_ms);
}

/* Whether the hub recorded hash as stored and in which filing. */
static long
hub_has_hash(const uint8_t h[HASHLEN], const char *table)
{
    char hex[2 * HASHLEN + 1], sql[256];
    hexof(h, hex);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE hash = x'%s'", table, hex);
    return hub_long(sql);
}

/* The text of the first printable receipt (回执单.txt) in the unit's done/. */
static char *
done_receipt(const char *unit)
{
    char dir[PATH_MAX], p[PATH_MAX * 2];
    DIR *d;
    struct dirent *e;
    char *t = NULL;

    snprintf(dir, sizeof dir, "%s/units/%s/done", C.dir, unit);
    if (!(d = opendir(dir)))
        return NULL;
    while (!t && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 13 && strcmp(e->d_name + n - 13, "回执单.txt") == 0) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            t = files_read(p, NULL);
        }
    }
    closedir(d);
    return t;
}

static void
a_document_named_in_the_export_reaches_the_hub_whole(void **state)
{
    char pdf[PATH_MAX], csv[PATH_MAX], file[PATH_MAX], hex[2 * HASHLEN + 1];
    uint8_t h[HASHLEN], stored[HASHLEN];
    (void)state;

    snprintf(pdf, sizeof pdf, "%s/处理决定书 A1.pdf", exports());
    make_pdf(pdf, 300000 + randombytes_uniform(1000), h);
    police_export("police-1.csv", 1, 1, "处理决定书 A1.pdf", csv, sizeof csv);
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(adapter("police", "submit", csv), 0);
    /* The receipt names the hash this test computed. */
    hexof(h, hex);
    assert_true(out_has("police", hex));
    assert_true(out_has("police", "处理决定书 A1.pdf"));
    /* The hub holds it once, whole, as the bytes made here. */
    assert_int_equal(hub_long("SELECT count(*) FROM filings"), 1);
    assert_int_equal(hub_has_hash(h, "attachments"), 1);
    assert_int_equal(hub_has_hash(h, "filing_attachments"), 1);
    assert_int_equal(hub_long("SELECT count(*) FROM attachment_uploads"), 0);
    hub_file(h, file, sizeof file);
    assert_int_equal(hash_file(file, stored), 0);
    assert_memory_equal(stored, h, HASHLEN);
    assert_int_equal(hub_files(), 1);
    /* The audit entry of the filing names it. */
    {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'file' AND"
                 " detail LIKE '%%%s%%'", hex);
        assert_int_equal(hub_long(sql), 1);
    }
    /* The printable receipt lists it. */
    {
        char *t = done_receipt("police");
        assert_non_null(t);
        assert_non_null(strstr(t, "处理决定书 A1.pdf"));
        free(t);
    }
    /* Filed again: nothing sent twice, nothing stored twice. */
    assert_int_equal(adapter("police", "submit", csv), 0);
    assert_int_equal(hub_long("SELECT count(*) FROM filings"), 1);
    assert_int_equal(hub_files(), 1);
}

/* Receipt latencies of the court's filings (µs), from its latency file. */
static int
latencies(const char *path, long *out, int max)
{
    FILE *f = fopen(path, "r");
    int n = 0;

    if (!f)
        return -1;
    while (n < max && fscanf(f, "%ld", &out[n]) == 1)
        n++;
    fclose(f);
    return n;
}

static void
another_units_filings_are_answered_within_a_second_while_50_mb_go(void **state)
{
    char a[PATH_MAX], b[PATH_MAX], c[PATH_MAX], csv[PATH_MAX], court[PATH_MAX];
    char lat[PATH_MAX], conf[PATH_MAX];
    uint8_t ha[HASHLEN], hb[HASHLEN], hc[HASHLEN];
    long us[64];
    int n, police_running;
    pid_t police;
    (void)state;

    /* 20 + 20 + 10 MB: the default limits, exactly. */
    snprintf(a, sizeof a, "%s/a.pdf", exports());
    snprintf(b, sizeof b, "%s/b.pdf", exports());
    snprintf(c, sizeof c, "%s/c.pdf", exports());
    make_pdf(a, 20000000, ha);
    make_pdf(b, 20000000, hb);
    make_pdf(c, 10000000, hc);
    police_export("police-big.csv", 1, 1, "a.pdf；b.pdf; c.pdf", csv, sizeof csv);
    court_export("court-1.csv", 1, 20, court, sizeof court);
    assert_int_equal(hub_start(&C, 20000), 0);
    unlink(out_of("police"));
    police = adapter_spawn("police", "300", "submit", csv);
    assert_true(police > 0);
    /* Once the bytes flow, the court files 20 cases. */
    assert_int_equal(wait_partial(1000000, 60000), 0);
    snprintf(lat, sizeof lat, "%s/court-latency", C.dir);
    snprintf(conf, sizeof conf, "%s/units/court/adapter.conf", C.dir);
    setenv("LIANXI_LATENCY_FILE", lat, 1);
    {
        const char *argv[] = { "lianxi-adapter-court", "-c", conf, "--wait", "60", "submit",
                               court, NULL };
        assert_int_equal(run_prog(&C, out_of("court"), argv, 120000), 0);
    }
    unsetenv("LIANXI_LATENCY_FILE");
    police_running = wait_exit(police, 0) == -1;
    n = latencies(lat, us, 64);
    assert_int_equal(n, 20);
    for (int i = 0; i < n; i++) {
        print_message("court filing %d: receipt after %.1f ms\n", i + 1, us[i] / 1000.0);
        assert_true(us[i] < 1000000);
    }
    print_message("the police transfer was %s when the court's receipts were in\n",
                  police_running ? "still going" : "over");
    assert_int_equal(police_running ? wait_exit(police, 180000) : 0, 0);
    /* The clerk saw how far each large document had got. */
    assert_true(out_has("police", "a.pdf"));
    assert_true(out_has("police", "100%"));
    assert_int_equal(hub_long("SELECT count(*) FROM filings WHERE unit = 'police'"), 1);
    assert_int_equal(hub_long("SELECT count(*) FROM filings WHERE unit = 'court'"), 20);
    assert_int_equal(hub_has_hash(ha, "attachments"), 1);
    assert_int_equal(hub_has_hash(hb, "attachments"), 1);
    assert_int_equal(hub_has_hash(hc, "attachments"), 1);
    assert_int_equal(hub_files(), 3);
    {
        char f[PATH_MAX];
        uint8_t got[HASHLEN];
        hub_file(hb, f, sizeof f);
        assert_int_equal(hash_file(f, got), 0);
        assert_memory_equal(got, hb, HASHLEN);
    }
}

static void
a_transfer_cut_by_kill_9_on_either_side_resumes_and_stores_once(void **state)
{
    char a[PATH_MAX], b[PATH_MAX], csv[PATH_MAX];
    uint8_t ha[HASHLEN], hb[HASHLEN];
    pid_t police;
    (void)state;

    snprintf(a, sizeof a, "%s/a.pdf", exports());
    snprintf(b, sizeof b, "%s/b.pdf", exports());
    make_pdf(a, 20000000, ha);
    make_pdf(b, 20000000, hb);
    police_export("police-kill.csv", 1, 1, "a.pdf;b.pdf", csv, sizeof csv);
    assert_int_equal(hub_start(&C, 20000), 0);
    unlink(out_of("police"));
    police = adapter_spawn("police", "300", "submit", csv);
    /* The hub is killed with some of it held... */
    assert_int_equal(wait_partial(4000000, 60000), 0);
    hub_kill9(&C);
    assert_true(hub_partial_bytes() >= 4000000);
    assert_int_equal(hub_start(&C, 20000), 0);
    /* ...and the adapter (reconnected, resuming) with more of it held. */
    assert_int_equal(wait_partial(hub_partial_bytes() + 4000000, 60000), 0);
    kill(police, SIGKILL);
    assert_int_equal(wait_exit(police, 10000), 128 + SIGKILL);
    assert_true(resumed("police"));
    assert_int_equal(hub_long("SELECT count(*) FROM filings"), 0);
    /* The adapter started again sends the rest. */
    assert_int_equal(adapter("police", "send", NULL), 0);
    assert_true(resumed("police"));
    assert_int_equal(hub_long("SELECT count(*) FROM filings"), 1);
    assert_int_equal(hub_long("SELECT count(*) FROM attachments"), 2);
    assert_int_equal(hub_long("SELECT count(*) FROM filing_attachments"), 2);
    assert_int_equal(hub_files(), 2);
    assert_int_equal(hub_partial_bytes(), 0);
    {
        char f[PATH_MAX];
        uint8_t got[HASHLEN];
        hub_file(ha, f, sizeof f);
        assert_int_equal(hash_file(f, got), 0);
        assert_memory_equal(got, ha, HASHLEN);
        hub_file(hb, f, sizeof f);
        assert_int_equal(hash_file(f, got), 0);
        assert_memory_equal(got, hb, HASHLEN);
    }
}

/* A power cut can lose bytes the hub had written of an upload (they are
 * synced only when whole) while the file keeps its length.  Damaged so
 * while the hub is down — part of it held, or all of it (the hub stopped
 * before it checked it) — the upload does not hash to what was signed when
 * whole: the hub asks for it again from its first byte, once, and the
 * filing is stored, not refused as altered. */
static void
damaged_before_a_restart(int whole)
{
    char a[PATH_MAX], csv[PATH_MAX], part[PATH_MAX], hex[2 * HASHLEN + 1];
    static const uint8_t zeros[4096];
    uint8_t ha[HASHLEN], got[HASHLEN];
    pid_t police;
    int fd;

    snprintf(a, sizeof a, "%s/a.pdf", exports());
    make_pdf(a, 20000000, ha);
    hexof(ha, hex);
    police_export("police-cut.csv", 1, 1, "a.pdf", csv, sizeof csv);
    assert_int_equal(hub_start(&C, 20000), 0);
    unlink(out_of("police"));
    police = adapter_spawn("police", "300", "submit", csv);
    assert_int_equal(wait_partial(3000000, 60000), 0);
    hub_kill9(&C);
    snprintf(part, sizeof part, "%s/hub/attachments/partial/police.%s", C.dir, hex);
    if (whole) {
        /* Every byte arrived before the hub stopped (a copy of the file). */
        char *doc;
        size_t n;
        assert_non_null(doc = files_read(a, &n));
        assert_int_equal(files_write_atomic(part, doc, n, 0600), 0);
        free(doc);
    }
    /* Bytes lost: 4096 of the second MB are zeros now. */
    assert_true((fd = open(part, O_WRONLY)) >= 0);
    assert_int_equal(pwrite(fd, zeros, sizeof zeros, 1000000), (ssize_t)sizeof zeros);
    close(fd);
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(wait_exit(police, 180000), 0);
    assert_true(wait_log(&C, hex, 1000) == 0);
    assert_true(log_has(&C, "断电") || log_has(&C, "power cut"));
    assert_int_equal(hub_long("SELECT count(*) FROM filings"), 1);
    assert_int_equal(hub_long("SELECT count(*) FROM rejections"), 0);
    assert_int_equal(hub_has_hash(ha, "filing_attachments"), 1);
    hub_file(ha, part, sizeof part);
    assert_int_equal(hash_file(part, got), 0);
    assert_memory_equal(got, ha, HASHLEN);
    assert_int_equal(hub_partial_bytes(), 0);
}

static void
an_upload_damaged_before_a_restart_is_asked_again_not_refused(void **state)
{
    (void)state;
    damaged_before_a_restart(0);
}

static void
an_upload_whole_but_damaged_before_a_restart_is_asked_again_too(void **state)
{
    (void)state;
    damaged_before_a_restart(1);
}

static void
a_copy_altered_after_queueing_is_refused(void **state)
{
    char pdf[PATH_MAX], csv[PATH_MAX], copy[PATH_MAX], hex[2 * HASHLEN + 1];
    uint8_t h[HASHLEN];
    int fd;
    (void)state;

    snprintf(pdf, sizeof pdf, "%s/判决书.pdf", exports());
    make_pdf(pdf, 200000, h);
    police_export("police-t.csv", 1, 1, "判决书.pdf", csv, sizeof csv);
    /* Queued while the hub is not there. */
    {
        char conf[PATH_MAX];
        snprintf(conf, sizeof conf, "%s/units/police/adapter.conf", C.dir);
        const char *argv[] = { "lianxi-adapter-police", "-c", conf, "--wait", "1", "submit",
                               csv, NULL };
        assert_int_equal(run_prog(&C, out_of("police"), argv, 60000), 75);
    }
    hexof(h, hex);
    snprintf(copy, sizeof copy, "%s/units/police/attachments/%s", C.dir, hex);
    fd = open(copy, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, "X", 1, 150000), 1);
    close(fd);
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(adapter("police", "send", NULL), 0);
    assert_int_equal(hub_long("SELECT count(*) FROM filings"), 0);
    assert_int_equal(hub_long("SELECT count(*) FROM rejections WHERE code = 15"), 1);
    assert_int_equal(db_long(&C, "units/police/outbox.db",
                             "SELECT count(*) FROM outbox WHERE state = 2 AND reject_code = 15"), 1);
    assert_int_equal(hub_has_hash(h, "attachments"), 0);
    assert_int_equal(hub_files(), 0);
    assert_int_equal(hub_partial_bytes(), 0);
    assert_true(out_has("police", "判决书.pdf"));
}

static void
the_limits_and_the_types_of_both_sides_refuse_clearly(void **state)
{
    char pdf[PATH_MAX], csv[PATH_MAX], exe[PATH_MAX], *note;
    uint8_t h[HASHLEN];
    FILE *f;
    (void)state;

    snprintf(pdf, sizeof pdf, "%s/scan.pdf", exports());
    make_pdf(pdf, 200000, h);
    /* A bad value stops the hub at start (78). */
    {
        char conf[PATH_MAX];
        const char *argv[] = { "lianxi-hub", "-c", conf, NULL };
        snprintf(conf, sizeof conf, "%s/hub/hub-bad.conf", C.dir);
        char *t = files_read(cpath(&C, "hub/hub.conf"), NULL);
        assert_non_null(t);
        f = fopen(conf, "w");
        fprintf(f, "%s\n[attachments]\nmax_size = 0\n", t);
        fclose(f);
        free(t);
        assert_int_equal(run_prog(&C, cpath(&C, "hub-bad.log"), argv, 30000), 78);
    }
    /* The hub's limit lower than the file: refused by the hub. */
    append("hub/hub.conf", "\n[attachments]\nmax_size = 100000\n");
    assert_int_equal(hub_start(&C, 20000), 0);
    police_export("police-l.csv", 1, 1, "scan.pdf", csv, sizeof csv);
    assert_int_equal(adapter("police", "submit", csv), 0);
    assert_int_equal(hub_long("SELECT count(*) FROM filings"), 0);
    assert_int_equal(hub_long("SELECT count(*) FROM rejections WHERE code = 8"), 1);
    assert_int_equal(db_long(&C, "units/police/outbox.db",
                             "SELECT count(*) FROM outbox WHERE state = 2 AND reject_code = 8"), 1);
    /* The adapter's limit: the row is refused before anything is queued. */
    append("units/police/adapter.conf", "\n[attachments]\nmax_size = 150000\n");
    police_export("police-m.csv", 2, 2, "scan.pdf", csv, sizeof csv);
    assert_int_equal(adapter("police", "submit", csv), 0);
    assert_int_equal(db_long(&C, "units/police/outbox.db", "SELECT count(*) FROM outbox"), 1);
    note = files_read(cpath(&C, "units/police/rejected/police-m.csv.rejected.txt"), NULL);
    assert_non_null(note);
    assert_non_null(strstr(note, "附件"));
    assert_non_null(strstr(note, "scan.pdf"));
    assert_non_null(strstr(note, "150000"));
    free(note);
    /* A type not taken, and a file not there. */
    snprintf(exe, sizeof exe, "%s/setup.exe", exports());
    f = fopen(exe, "w");
    fputs("MZ", f);
    fclose(f);
    police_export("police-x.csv", 3, 3, "setup.exe", csv, sizeof csv);
    assert_int_equal(adapter("police", "submit", csv), 0);
    police_export("police-y.csv", 4, 4, "不在.pdf", csv, sizeof csv);
    assert_int_equal(adapter("police", "submit", csv), 0);
    assert_int_equal(db_long(&C, "units/police/outbox.db", "SELECT count(*) FROM outbox"), 1);
    note = files_read(cpath(&C, "units/police/rejected/police-x.csv.rejected.txt"), NULL);
    assert_non_null(note);
    assert_non_null(strstr(note, "setup.exe"));
    assert_non_null(strstr(note, "pdf"));
    free(note);
    note = files_read(cpath(&C, "units/police/rejected/police-y.csv.rejected.txt"), NULL);
    assert_non_null(note);
    assert_non_null(strstr(note, "不在.pdf"));
    free(note);
    assert_int_equal(hub_files(), 0);
}

/* One text from the police's outbox. */
static void
outbox_text(const char *sql, char *out, size_t n)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(cpath(&C, "units/police/outbox.db"), &db,
                                     SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, n, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void
an_answer_to_a_supplement_request_carries_the_documents_attached(void **state)
{
    char csv[PATH_MAX], pdf[PATH_MAX], png[PATH_MAX], sup[PATH_MAX], conf[PATH_MAX];
    char ob[64], hex[2 * HASHLEN + 1], sql[256];
    uint8_t hp[HASHLEN], hg[HASHLEN];
    (void)state;

    police_export("police-s.csv", 7, 7, NULL, csv, sizeof csv);
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(adapter("police", "submit", csv), 0);
    snprintf(sup, sizeof sup, "%s/operators/supervisor/operator.conf", C.dir);
    {
        const char *ask[] = { "lianxi", "-c", sup, "review",
                              "police:A44162320261106007:report:" IDNO, "supplement", "--text",
                              "请补充处理决定书。", NULL };
        assert_int_equal(run_prog(&C, cpath(&C, "review.out"), ask, 30000), 0);
    }
    assert_int_equal(adapter("police", "send", NULL), 0);
    outbox_text("SELECT obligation FROM hub_messages WHERE kind = 2", ob, sizeof ob);
    assert_true(ob[0]);
    snprintf(pdf, sizeof pdf, "%s/处理决定书.pdf", exports());
    make_pdf(pdf, 123456, hp);
    snprintf(png, sizeof png, "%s/扫描件.png", exports());
    {
        FILE *f = fopen(png, "w");
        static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
        uint8_t body[5000];
        assert_non_null(f);
        randombytes_buf(body, sizeof body);
        fwrite(sig, 1, sizeof sig, f);
        fwrite(body, 1, sizeof body, f);
        fclose(f);
        assert_int_equal(hash_file(png, hg), 0);
    }
    snprintf(conf, sizeof conf, "%s/units/police/adapter.conf", C.dir);
    {
        const char *answer[] = { "lianxi-adapter-police", "-c", conf, "--wait", "60", "answer",
                                 ob, "处理决定书已补充。", "--attach", pdf, png, NULL };
        assert_int_equal(run_prog(&C, out_of("police"), answer, 90000), 0);
    }
    assert_true(out_has("police", "处理决定书.pdf"));
    hexof(hp, hex);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM filings f JOIN filing_attachments a ON"
             " a.filing = f.id WHERE f.stage = 3 AND a.hash = x'%s'", hex);
    assert_int_equal(hub_long(sql), 1);
    assert_int_equal(hub_has_hash(hg, "attachments"), 1);
    assert_int_equal(hub_files(), 2);
    /* A file that is not there: not queued, said why. */
    {
        const char *answer[] = { "lianxi-adapter-police", "-c", conf, "--wait", "60", "answer",
                                 ob, "再补充。", "--attach", "/nonexistent/x.pdf", NULL };
        assert_int_equal(run_prog(&C, out_of("police"), answer, 90000), 65);
        assert_true(out_has("police", "x.pdf"));
    }
}

/* Runs one statement on the hub's database beside the running hub. */
static void
hub_exec(const char *sql)
{
    sqlite3 *db;

    assert_int_equal(sqlite3_open(cpath(&C, "hub/lianxi.db"), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void
chunks_refused_mid_transfer_send_the_filing_again_and_resume(void **state)
{
    char a[PATH_MAX], b[PATH_MAX], csv[PATH_MAX];
    uint8_t ha[HASHLEN], hb[HASHLEN];
    pid_t police;
    (void)state;

    snprintf(a, sizeof a, "%s/a.pdf", exports());
    snprintf(b, sizeof b, "%s/b.pdf", exports());
    make_pdf(a, 20000000, ha);
    make_pdf(b, 20000000, hb);
    police_export("police-r.csv", 1, 1, "a.pdf;b.pdf", csv, sizeof csv);
    assert_int_equal(hub_start(&C, 20000), 0);
    unlink(out_of("police"));
    police = adapter_spawn("police", "300", "submit", csv);
    /* Held still while the hub forgets that it waits for the documents
     * (as after another filing's copy of them was refused). */
    assert_int_equal(wait_partial(2000000, 60000), 0);
    assert_int_equal(kill(police, SIGSTOP), 0);
    hub_exec("DELETE FROM attachment_uploads");
    assert_int_equal(kill(police, SIGCONT), 0);
    /* Refused, the adapter sends the filing again: declared anew, the
     * transfer resumes where the hub's bytes end. */
    assert_int_equal(wait_exit(police, 180000), 0);
    assert_true(resumed("police"));
    assert_int_equal(hub_long("SELECT count(*) FROM filings"), 1);
    assert_int_equal(hub_has_hash(ha, "attachments"), 1);
    assert_int_equal(hub_has_hash(hb, "attachments"), 1);
    assert_int_equal(hub_files(), 2);
    assert_int_equal(hub_partial_bytes(), 0);
}

/* A raw client of the units' socket, as another implementation would be:
 * only the proto and the canonical encoding. */
struct raw {
    void *ctx, *sock, *mon;
    struct identity id;
};

static void
raw_open(struct raw *r, const char *unit)
{
    char cert[PATH_MAX], sign[PATH_MAX];
    uint8_t hub_pk[32];
    int zero = 0;
    zmq_pollitem_t it;
    zmq_msg_t m;
    uint16_t ev = 0;

    snprintf(cert, sizeof cert, "%s/units/%s/%s.cert_secret", C.dir, unit, unit);
    snprintf(sign, sizeof sign, "%s/units/%s/%s.sign_secret", C.dir, unit, unit);
    assert_int_equal(keys_load_identity(cert, sign, &r->id), 0);
    assert_int_equal(keys_load_public(cpath(&C, "hub/hub.cert"), hub_pk), 0);
    r->ctx = zmq_ctx_new();
    r->sock = zmq_socket(r->ctx, ZMQ_DEALER);
    zmq_setsockopt(r->sock, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(r->sock, ZMQ_CURVE_SERVERKEY, hub_pk, 32);
    zmq_setsockopt(r->sock, ZMQ_CURVE_PUBLICKEY, r->id.curve_pk, 32);
    zmq_setsockopt(r->sock, ZMQ_CURVE_SECRETKEY, r->id.curve_sk, 32);
    assert_int_equal(zmq_socket_monitor(r->sock, "inproc://att-raw", ZMQ_EVENT_HANDSHAKE_SUCCEEDED),
                     0);
    r->mon = zmq_socket(r->ctx, ZMQ_PAIR);
    assert_int_equal(zmq_connect(r->mon, "inproc://att-raw"), 0);
    assert_int_equal(zmq_connect(r->sock, C.endpoint), 0);
    it = (zmq_pollitem_t){ r->mon, 0, ZMQ_POLLIN, 0 };
    assert_int_equal(zmq_poll(&it, 1, 20000), 1);
    zmq_msg_init(&m);
    zmq_msg_recv(&m, r->mon, 0);
    memcpy(&ev, zmq_msg_data(&m), 2);
    zmq_msg_close(&m);
    zmq_msg_init(&m);
    zmq_msg_recv(&m, r->mon, 0);
    zmq_msg_close(&m);
    assert_int_equal(ev, ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
}

static void
raw_close(struct raw *r)
{
    zmq_socket_monitor(r->sock, NULL, 0);
    zmq_close(r->sock);
    zmq_close(r->mon);
    zmq_ctx_term(r->ctx);
}

static void
raw_send(struct raw *r, Lianxi__Envelope *env)
{
    assert_int_equal(wire_send(r->sock, NULL, 0, env, 0), 0);
}

/* The next message from the hub (not a heartbeat's answer), or fails. */
static Lianxi__Envelope *
raw_next(struct raw *r)
{
    for (;;) {
        zmq_pollitem_t it = { r->sock, 0, ZMQ_POLLIN, 0 };
        zmq_msg_t m;
        Lianxi__Envelope *env;
        assert_int_equal(zmq_poll(&it, 1, 20000), 1);
        zmq_msg_init(&m);
        zmq_msg_recv(&m, r->sock, 0);
        env = wire_unpack(zmq_msg_data(&m), zmq_msg_size(&m));
        zmq_msg_close(&m);
        assert_non_null(env);
        if (env->body_case != LIANXI__ENVELOPE__BODY_HUB_MESSAGE &&
            env->body_case != LIANXI__ENVELOPE__BODY_HEARTBEAT)
            return env;
        wire_free(env);
    }
}

/* Sends a chunk; returns the offset the hub answers (-1: refused). */
static int64_t
raw_chunk(struct raw *r, const uint8_t h[HASHLEN], uint64_t size, uint64_t off,
          const uint8_t *data, size_t len)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT, *a;
    Lianxi__AttachmentChunk c = LIANXI__ATTACHMENT_CHUNK__INIT;
    int64_t got;

    c.hash.data = (uint8_t *)h;
    c.hash.len = HASHLEN;
    c.offset = off;
    c.data.data = (uint8_t *)data;
    c.data.len = len;
    c.size = size;
    env.body_case = LIANXI__ENVELOPE__BODY_ATTACHMENT_CHUNK;
    env.attachment_chunk = &c;
    raw_send(r, &env);
    a = raw_next(r);
    assert_int_equal(a->body_case, LIANXI__ENVELOPE__BODY_ATTACHMENT_WANT);
    assert_string_equal(a->attachment_want->filing_id, "");
    assert_int_equal(a->attachment_want->n_wants, 1);
    assert_memory_equal(a->attachment_want->wants[0]->hash.data, h, HASHLEN);
    got = a->attachment_want->wants[0]->refused ? -1
          : (int64_t)a->attachment_want->wants[0]->offset;
    wire_free(a);
    return got;
}

static void
a_client_from_the_proto_alone_files_a_document(void **state)
{
    enum { N = 3 * 49152 + 1000 };
    static uint8_t good[N], bad[N];
    uint8_t h[HASHLEN];
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT, *a;
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre c = LIANXI__CADRE__INIT;
    Lianxi__Attachment at = LIANXI__ATTACHMENT__INIT, *ap[1] = { &at };
    char learned[LX_DATE_LEN];
    struct raw r;
    uint64_t off;
    (void)state;

    randombytes_buf(good, N);
    memcpy(good, "%PDF-1.7", 8);
    crypto_generichash(h, HASHLEN, good, N, NULL, 0);
    memcpy(bad, good, N);
    bad[N / 2] ^= 0x01;
    assert_int_equal(hub_start(&C, 20000), 0);
    raw_open(&r, "police");
    /* Bytes of a hash no filing of this unit named: refused. */
    assert_int_equal(raw_chunk(&r, h, N, 0, good, 49152), -1);
    /* A filing naming the document: the hub wants it from byte 0. */
    days_format(days_shanghai(clock_now()) - 2, learned);
    c.name = "测试人";
    c.id_number = IDNO;
    c.work_unit = "县教育局";
    c.post = "股长";
    c.rank = LIANXI__RANK__RANK_CLERK;
    f.unit = "police";
    f.filing_id = "police:RAW-1:report:" IDNO;
    f.revision = 1;
    f.stage = LIANXI__STAGE__STAGE_REPORT;
    f.category = "police.drunk_driving";
    f.cadre = &c;
    f.learned_on = learned;
    f.summary = "醉酒驾驶机动车。";
    f.scope = LIANXI__SCOPE__SCOPE_ORGANS;
    f.case_ref = "RAW-1";
    f.queued_at = clock_now();
    at.name = "决定书.pdf";
    at.media_type = "application/pdf";
    at.size = N;
    at.hash.data = h;
    at.hash.len = HASHLEN;
    f.attachments = ap;
    f.n_attachments = 1;
    assert_int_equal(canon_sign(&f, r.id.sign_sk), 0);
    env.body_case = LIANXI__ENVELOPE__BODY_FILING;
    env.filing = &f;
    raw_send(&r, &env);
    a = raw_next(&r);
    assert_int_equal(a->body_case, LIANXI__ENVELOPE__BODY_ATTACHMENT_WANT);
    assert_string_equal(a->attachment_want->filing_id, f.filing_id);
    assert_int_equal(a->attachment_want->revision, 1);
    assert_int_equal(a->attachment_want->n_wants, 1);
    assert_int_equal(a->attachment_want->wants[0]->offset, 0);
    wire_free(a);
    /* Altered bytes: the last chunk is refused, and so is the filing. */
    for (off = 0; off < N;) {
        size_t len = N - off < 49152 ? N - off : 49152;
        int64_t got = raw_chunk(&r, h, N, off, bad + off, len);
        if (off + len < N) {
            assert_int_equal(got, (int64_t)(off + len));
        } else {
            assert_int_equal(got, -1);
        }
        off += len;
    }
    a = raw_next(&r);
    assert_int_equal(a->body_case, LIANXI__ENVELOPE__BODY_REJECTION);
    assert_int_equal(a->rejection->code, LIANXI__REJECT_CODE__REJECT_ATTACHMENT);
    assert_string_equal(a->rejection->reason, "attachment.hash");
    assert_string_equal(a->rejection->filing_id, f.filing_id);
    wire_free(a);
    assert_int_equal(hub_partial_bytes(), 0);
    /* The filing again (a correct copy at hand): wanted from 0 again. */
    raw_send(&r, &env);
    a = raw_next(&r);
    assert_int_equal(a->body_case, LIANXI__ENVELOPE__BODY_ATTACHMENT_WANT);
    assert_int_equal(a->attachment_want->wants[0]->offset, 0);
    wire_free(a);
    assert_int_equal(raw_chunk(&r, h, N, 0, good, 49152), 49152);
    /* A chunk at another offset is ignored: answered with the one wanted. */
    assert_int_equal(raw_chunk(&r, h, N, 2 * 49152, good + 2 * 49152, 49152), 49152);
    for (off = 49152; off < N;) {
        size_t len = N - off < 49152 ? N - off : 49152;
        assert_int_equal(raw_chunk(&r, h, N, off, good + off, len), (int64_t)(off + len));
        off += len;
    }
    /* Byte for byte again: the receipt names the document. */
    raw_send(&r, &env);
    a = raw_next(&r);
    assert_int_equal(a->body_case, LIANXI__ENVELOPE__BODY_RECEIPT);
    assert_int_equal(a->receipt->n_attachments, 1);
    assert_int_equal(a->receipt->attachments[0].len, HASHLEN);
    assert_memory_equal(a->receipt->attachments[0].data, h, HASHLEN);
    assert_false(a->receipt->duplicate);
    wire_free(a);
    /* And once more: the original receipt, still naming it. */
    raw_send(&r, &env);
    a = raw_next(&r);
    assert_int_equal(a->body_case, LIANXI__ENVELOPE__BODY_RECEIPT);
    assert_true(a->receipt->duplicate);
    assert_int_equal(a->receipt->n_attachments, 1);
    wire_free(a);
    free(f.signature.data);
    raw_close(&r);
    assert_int_equal(hub_files(), 1);
    assert_int_equal(hub_long("SELECT count(*) FROM filings"), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_document_named_in_the_export_reaches_the_hub_whole,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_client_from_the_proto_alone_files_a_document, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_copy_altered_after_queueing_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            an_answer_to_a_supplement_request_carries_the_documents_attached, setup, teardown),
        cmocka_unit_test_setup_teardown(the_limits_and_the_types_of_both_sides_refuse_clearly,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            another_units_filings_are_answered_within_a_second_while_50_mb_go, setup, teardown),
        cmocka_unit_test_setup_teardown(
            a_transfer_cut_by_kill_9_on_either_side_resumes_and_stores_once, setup, teardown),
        cmocka_unit_test_setup_teardown(
            an_upload_damaged_before_a_restart_is_asked_again_not_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            an_upload_whole_but_damaged_before_a_restart_is_asked_again_too, setup, teardown),
        cmocka_unit_test_setup_teardown(
            chunks_refused_mid_transfer_send_the_filing_again_and_resume, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
