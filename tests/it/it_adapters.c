/* it_adapters.c — the nine adapters on their own samples and on the real
 * hub: expected counts per sample (samples/EXPECTED*), twins in other
 * encodings, watch mode, re-exports (an older one not reverting a case),
 * real-name petitions, and all nine filing at once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "categories.h"
#include "harness.h"
#include "files.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

static struct county C;
static char src[PATH_MAX];

static int
setup_county(void **state)
{
    const char *s = getenv("LIANXI_SRC");
    char cwd[PATH_MAX / 2];

    (void)state;
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    snprintf(src, sizeof src, "%s", s ? s : cwd);
    return county_init(&C);
}

static int
teardown_county(void **state)
{
    (void)state;
    county_cleanup(&C);
    return 0;
}

static const char *
conf_of(const char *unit)
{
    static char p[4][PATH_MAX];
    static int k;
    char *b = p[k++ % 4];
    snprintf(b, PATH_MAX, "%s/units/%s/adapter.conf", C.dir, unit);
    return b;
}

/* Runs `check --json` on the export at path; returns all it wrote, logs and
 * JSON (free it; NULL when nothing). */
static char *
check_raw(const char *unit, const char *path, int *exit_code)
{
    char prog[64], out[PATH_MAX];

    snprintf(prog, sizeof prog, "lianxi-adapter-%s", unit);
    snprintf(out, sizeof out, "%s/check-%s.json", C.dir, unit);
    unlink(out);
    const char *argv[] = { prog, "-c", conf_of(unit), "--json", "check", path, NULL };
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    close(fd);
    *exit_code = run_prog(&C, out, argv, 120000);
    return files_read(out, NULL);
}

/* Runs `check --json` on the export at path; returns the parsed output (or NULL). */
static cJSON *
check_path(const char *unit, const char *path, int *exit_code)
{
    char *text = check_raw(unit, path, exit_code);
    cJSON *j;

    if (!text)
        return NULL;
    /* The JSON is the last line (logs may come before it). */
    char *brace = strrchr(text, '\n');
    while (brace && brace > text && brace[1] != '{') {
        *brace = '\0';
        brace = strrchr(text, '\n');
    }
    j = cJSON_Parse(brace && brace[1] == '{' ? brace + 1 : text);
    free(text);
    return j;
}

/* Runs `check --json` on a sample; returns the parsed output (or NULL). */
static cJSON *
check(const char *unit, const char *file, int *exit_code)
{
    char path[PATH_MAX];

    snprintf(path, sizeof path, "%s/adapters/%s/samples/%s", src, unit, file);
    return check_path(unit, path, exit_code);
}

static long
num(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    return cJSON_IsNumber(v) ? (long)v->valuedouble : -1;
}

/* Compares check's output with an EXPECTED file (key=value lines). */
static void
compare_expected(const char *unit, const char *sample, const char *expected_file)
{
    char path[PATH_MAX], *text, *line, *next;
    int code, rejects = 0;
    cJSON *j = check(unit, sample, &code);

    snprintf(path, sizeof path, "%s/adapters/%s/samples/%s", src, unit, expected_file);
    text = files_read(path, NULL);
    assert_non_null(text);
    if (!j)
        fail_msg("%s: check gave no JSON for %s", unit, sample);
    for (line = text; line && *line; line = next) {
        char key[128], value[512];
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (sscanf(line, "%127[^=]=%511[^\n]", key, value) != 2)
            continue;
        if (strcmp(key, "rows") == 0 || strcmp(key, "rejected") == 0 ||
            strcmp(key, "notices") == 0 || strcmp(key, "reports") == 0 ||
            strcmp(key, "real_name") == 0) {
            if (num(j, key) != atol(value))
                fail_msg("%s %s: %s is %ld, expected %s", unit, sample, key, num(j, key), value);
        } else if (strcmp(key, "filed") == 0) {
            if (num(j, "filings") != atol(value))
                fail_msg("%s %s: filings is %ld, expected %s", unit, sample, num(j, "filings"),
                         value);
        } else if (strncmp(key, "category.", 9) == 0) {
            const cJSON *cats = cJSON_GetObjectItemCaseSensitive(j, "categories");
            if (num(cats, key + 9) != atol(value))
                fail_msg("%s %s: category %s is %ld, expected %s", unit, sample, key + 9,
                         num(cats, key + 9), value);
        } else if (strcmp(key, "reject") == 0) {
            long want = atol(value);
            const cJSON *r, *rs = cJSON_GetObjectItemCaseSensitive(j, "rejections");
            int found = 0;
            rejects++;
            cJSON_ArrayForEach(r, rs)
                if (num(r, "line") == want)
                    found = 1;
            if (!found)
                fail_msg("%s %s: no rejection at line %ld (%s)", unit, sample, want, value);
        } else {
            fail_msg("%s: unknown key '%s' (a typo would check nothing)", expected_file, key);
        }
    }
    free(text);
    cJSON_Delete(j);
}

/* Every samples/EXPECTED* of every unit: the sample it describes is the
 * file of the same stem (EXPECTED: <unit>-2026-11.*; EXPECTED.X: the
 * sample whose name holds X). */
static void
every_sample_gives_its_expected_counts(void **state)
{
    int checked = 0;
    (void)state;

    for (int u = 0; u < LX_NUNITS; u++) {
        char dir[PATH_MAX];
        DIR *d;
        struct dirent *e, *f;
        const char *unit = lx_units[u].code;

        snprintf(dir, sizeof dir, "%s/adapters/%s/samples", src, unit);
        if (!(d = opendir(dir)))
            continue;
        while ((e = readdir(d))) {
            const char *variant;
            DIR *d2;
            if (strncmp(e->d_name, "EXPECTED", 8) != 0)
                continue;
            variant = e->d_name[8] == '.' ? e->d_name + 9 : NULL;
            d2 = opendir(dir);
            while ((f = readdir(d2))) {
                if (f->d_name[0] == '.' || strncmp(f->d_name, "EXPECTED", 8) == 0)
                    continue;
                if (variant ? strstr(f->d_name, variant) == NULL
                            : strstr(f->d_name, "-2026-11") == NULL)
                    continue;
                compare_expected(unit, f->d_name, e->d_name);
                checked++;
            }
            closedir(d2);
        }
        closedir(d);
    }
    assert_true(checked >= 4);
}

/* The UTF-8 export, its GB18030 twin and a BOM copy give the same filings. */
static void
encodings_give_identical_filings(void **state)
{
    int twins = 0;
    (void)state;

    for (int u = 0; u < LX_NUNITS; u++) {
        char dir[PATH_MAX];
        DIR *d;
        struct dirent *e;
        const char *unit = lx_units[u].code;
        char *digest = NULL;

        snprintf(dir, sizeof dir, "%s/adapters/%s/samples", src, unit);
        if (!(d = opendir(dir)))
            continue;
        while ((e = readdir(d))) {
            int code;
            cJSON *j;
            if (strncmp(e->d_name, unit, strlen(unit)) != 0 || !strstr(e->d_name, "-2026-11"))
                continue;
            j = check(unit, e->d_name, &code);
            assert_non_null(j);
            const char *dg = cJSON_GetObjectItemCaseSensitive(j, "digest")->valuestring;
            if (!digest)
                digest = strdup(dg);
            else {
                if (strcmp(digest, dg) != 0)
                    fail_msg("%s: %s gives other filings than its twins", unit, e->d_name);
                twins++;
            }
            cJSON_Delete(j);
        }
        closedir(d);
        free(digest);
    }
    assert_true(twins >= 2);
}

#define POLICE_HEADER "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围\n"

static void
drop_file(const char *name, const char *rows)
{
    char tmp[PATH_MAX], path[PATH_MAX];
    FILE *f;

    snprintf(tmp, sizeof tmp, "%s/units/police/drop/.%s.tmp", C.dir, name);
    snprintf(path, sizeof path, "%s/units/police/drop/%s", C.dir, name);
    files_mkdir_p(cpath(&C, "units/police/drop"), 0755);
    f = fopen(tmp, "w");
    assert_non_null(f);
    fputs(POLICE_HEADER, f);
    fputs(rows, f);
    fclose(f);
    assert_int_equal(rename(tmp, path), 0);
}

static pid_t
start_watch(void)
{
    char log[PATH_MAX];
    snprintf(log, sizeof log, "%s/watch.log", C.dir);
    const char *argv[] = { "lianxi-adapter-police", "-c", conf_of("police"), "watch", NULL };
    return spawn(&C, log, argv);
}

static void
watch_takes_a_slowly_written_file_only_when_complete(void **state)
{
    char slow[PATH_MAX], done_slow[PATH_MAX], done_quick[PATH_MAX];
    const char *row = "A4416232026119101,杨志明,44162319851208185X,县农业农村局,股长,科员,赌博,"
                      "2026-11-02,已办结,参与赌博被行政拘留五日。,党政机关\n";
    pid_t w;
    int fd;
    (void)state;

    assert_int_equal(hub_start(&C, 20000), 0);
    w = start_watch();
    snprintf(slow, sizeof slow, "%s/units/police/drop/slow.csv", C.dir);
    snprintf(done_slow, sizeof done_slow, "%s/units/police/done/slow.csv", C.dir);
    snprintf(done_quick, sizeof done_quick, "%s/units/police/done/quick.csv", C.dir);
    files_mkdir_p(cpath(&C, "units/police/drop"), 0755);

    /* A copy in progress: half a row, the file still open for writing. */
    fd = open(slow, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_true(write(fd, POLICE_HEADER, strlen(POLICE_HEADER)) > 0);
    assert_true(write(fd, row, 40) == 40);
    /* Meanwhile a finished file arrives: once it is done, the adapter has
     * looked at the folder and must have left the unfinished one alone. */
    drop_file("quick.csv", "A4416232026119102,周晓峰,44162319830210147X,县市场监管局,副主任,科员,"
                           "赌博,2026-11-03,已办结,参与赌博被行政拘留三日。,党政机关\n");
    assert_int_equal(wait_file(done_quick, 30000), 0);
    assert_int_equal(access(slow, F_OK), 0);
    assert_int_not_equal(access(done_slow, F_OK), 0);
    /* The rest of the copy, then close: now it is taken, whole. */
    assert_true(write(fd, row + 40, strlen(row) - 40) > 0);
    close(fd);
    assert_int_equal(wait_file(done_slow, 30000), 0);
    assert_int_equal(wait_db(&C, "hub/lianxi.db", "SELECT count(*) FROM filings WHERE case_ref IN"
                             " ('A4416232026119101', 'A4416232026119102')", 2, 30000), 2);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings WHERE summary ="
                             " '参与赌博被行政拘留五日。'"), 1);
    kill(w, SIGTERM);
    assert_int_equal(wait_exit(w, 30000), 0);
    assert_int_equal(hub_stop(&C), 0);
}

static void
watch_files_what_was_dropped_while_the_hub_was_down(void **state)
{
    char done[PATH_MAX];
    pid_t w;
    (void)state;

    w = start_watch();      /* the hub is not running */
    snprintf(done, sizeof done, "%s/units/police/done/offline.csv", C.dir);
    drop_file("offline.csv", "A4416232026119201,黄海燕,441623198703150029,上坪镇人民政府,副镇长,"
                             "副科级,行政拘留,2026-11-05,已办结,殴打他人被行政拘留五日。,党政机关\n");
    assert_int_equal(wait_file(done, 30000), 0);   /* in the outbox, durable */
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings WHERE case_ref ="
                             " 'A4416232026119201'"), 0);
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(wait_db(&C, "hub/lianxi.db", "SELECT count(*) FROM filings WHERE case_ref ="
                             " 'A4416232026119201'", 1, 60000), 1);
    kill(w, SIGTERM);
    assert_int_equal(wait_exit(w, 30000), 0);
    assert_int_equal(hub_stop(&C), 0);
}

/* A file that cannot be read at all is moved to rejected/ whole, with why. */
static void
watch_moves_an_unreadable_file_to_rejected(void **state)
{
    char from[PATH_MAX], drop[PATH_MAX], moved[PATH_MAX], note[PATH_MAX], log[PATH_MAX];
    char *text;
    pid_t w;
    (void)state;

    snprintf(from, sizeof from, "%s/adapters/audit/samples/audit-malformed.json", src);
    snprintf(drop, sizeof drop, "%s/units/audit/drop/broken.json", C.dir);
    snprintf(moved, sizeof moved, "%s/units/audit/rejected/broken.json", C.dir);
    snprintf(note, sizeof note, "%s/units/audit/rejected/broken.json.rejected.txt", C.dir);
    snprintf(log, sizeof log, "%s/watch-audit.log", C.dir);
    const char *argv[] = { "lianxi-adapter-audit", "-c", conf_of("audit"), "watch", NULL };
    w = spawn(&C, log, argv);
    {
        size_t len;
        char *data = files_read(from, &len);
        char tmp[PATH_MAX];
        assert_non_null(data);
        snprintf(tmp, sizeof tmp, "%s/units/audit/drop/.broken.json.tmp", C.dir);
        files_mkdir_p(cpath(&C, "units/audit/drop"), 0755);
        assert_int_equal(files_write_atomic(tmp, data, len, 0644), 0);
        assert_int_equal(rename(tmp, drop), 0);
        free(data);
    }
    assert_int_equal(wait_file(moved, 30000), 0);
    assert_int_not_equal(access(drop, F_OK), 0);
    text = files_read(note, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "不是有效的 JSON 文件"));   /* language = zh */
    free(text);
    kill(w, SIGTERM);
    assert_int_equal(wait_exit(w, 30000), 0);
}

static int
submit(const char *unit, const char *file)
{
    char prog[64], log[PATH_MAX];
    snprintf(prog, sizeof prog, "lianxi-adapter-%s", unit);
    snprintf(log, sizeof log, "%s/submit-%s.log", C.dir, unit);
    const char *argv[] = { prog, "-c", conf_of(unit), "--wait", "120", "submit", file, NULL };
    return run_prog(&C, log, argv, 180000);
}

static void
reexport_files_nothing_new_and_a_changed_case_is_one_revision(void **state)
{
    char a[PATH_MAX], b[PATH_MAX];
    FILE *f;
    long before;
    (void)state;

    assert_int_equal(hub_start(&C, 20000), 0);
    snprintf(a, sizeof a, "%s/reexport-a.csv", C.dir);
    snprintf(b, sizeof b, "%s/reexport-b.csv", C.dir);
    f = fopen(a, "w");
    fputs(POLICE_HEADER "A4416232026119301,刘国强,441623197911200030,县自然资源局,股长,科员,"
          "饮酒后驾驶机动车,2026-11-06,已办结,饮酒后驾驶机动车，罚款一千元。,党政机关\n"
          "A4416232026119302,黄海燕,441623198703150029,上坪镇人民政府,副镇长,副科级,赌博,"
          "2026-11-06,已办结,参与赌博被行政拘留三日。,党政机关\n", f);
    fclose(f);
    /* The next export overlaps: one case unchanged, one with its outcome added. */
    f = fopen(b, "w");
    fputs(POLICE_HEADER "A4416232026119301,刘国强,441623197911200030,县自然资源局,股长,科员,"
          "饮酒后驾驶机动车,2026-11-06,已办结,饮酒后驾驶机动车，罚款一千元。,党政机关\n"
          "A4416232026119302,黄海燕,441623198703150029,上坪镇人民政府,副镇长,副科级,赌博,"
          "2026-11-06,已办结,参与赌博被行政拘留三日，并处罚款五百元。,党政机关\n", f);
    fclose(f);
    assert_int_equal(submit("police", a), 0);
    before = db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings");
    assert_int_equal(submit("police", a), 0);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings"), before);
    assert_int_equal(submit("police", b), 0);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings"), before + 1);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings WHERE case_ref ="
                             " 'A4416232026119302'"), 2);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT max(revision) FROM filings WHERE"
                             " case_ref = 'A4416232026119302'"), 2);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings WHERE case_ref ="
                             " 'A4416232026119301'"), 1);
    assert_int_equal(hub_stop(&C), 0);
}

/* One police case, as an export writes it with the outcome known then. */
static void
write_police_export(const char *path, const char *outcome)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fprintf(f, POLICE_HEADER "A4416232026119401,陈立新,441623197911200030,县水务局,副局长,"
            "副科级,饮酒后驾驶机动车,2026-11-09,已办结,%s,党政机关\n", outcome);
    fclose(f);
}

static void
older_export_filed_again_does_not_revert_the_case(void **state)
{
    /* The outcome as each export has it, in the order they are filed:
     * export A, export B with the case gone further, export A again. */
    static const char *const outcomes[] = { "罚款二千元。", "罚款二千元，暂扣驾驶证六个月。" };
    static const int filed[] = { 0, 1, 0 };     /* index into outcomes */
    const int nfiled = sizeof filed / sizeof filed[0];
    char path[2][PATH_MAX], sql[512], *note;
    long revisions = 0;
    int code;
    cJSON *j;
    (void)state;

    /* What the hub must hold: a revision for each outcome not filed before. */
    for (int i = 0; i < nfiled; i++) {
        int seen = 0;
        for (int k = 0; k < i; k++)
            seen |= filed[k] == filed[i];
        revisions += !seen;
    }
    for (int k = 0; k < 2; k++) {
        snprintf(path[k], sizeof path[k], "%s/older-%c.csv", C.dir, 'a' + k);
        write_police_export(path[k], outcomes[k]);
    }
    assert_int_equal(hub_start(&C, 20000), 0);
    for (int i = 0; i < nfiled; i++)
        assert_int_equal(submit("police", path[filed[i]]), 0);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM filings WHERE case_ref ="
                             " 'A4416232026119401'"), revisions);
    /* The latest revision is the newest outcome filed. */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM filings WHERE case_ref = 'A4416232026119401'"
             " AND revision = %ld AND summary = '%s'", revisions, outcomes[1]);
    assert_int_equal(db_long(&C, "hub/lianxi.db", sql), 1);
    /* The clerk reads why in rejected/ ... */
    note = files_read(cpath(&C, "units/police/rejected/older-a.csv.rejected.txt"), NULL);
    assert_non_null(note);
    snprintf(sql, sizeof sql, "比已报送的第%ld版旧", revisions);
    assert_non_null(strstr(note, sql));
    free(note);
    /* ... and check counts it so. */
    j = check_path("police", path[0], &code);
    assert_non_null(j);
    assert_int_equal(code, 0);
    assert_int_equal(num(j, "filings"), 1);
    assert_int_equal(num(j, "older"), 1);
    assert_int_equal(num(j, "unchanged"), 0);
    cJSON_Delete(j);
    assert_int_equal(hub_stop(&C), 0);
}

/* The latest filing in unit's outbox about case_ref, with its state
 * (0 pending, 1 receipted, 2 rejected); free with wire_free. */
static Lianxi__Envelope *
outbox_filing(const char *unit, const char *case_ref, int *state)
{
    char path[PATH_MAX];
    sqlite3 *db;
    sqlite3_stmt *st;
    Lianxi__Envelope *env = NULL;

    snprintf(path, sizeof path, "%s/units/%s/outbox.db", C.dir, unit);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT payload, state FROM outbox WHERE case_ref = ?1"
                                        " ORDER BY revision DESC LIMIT 1", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, case_ref, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        env = wire_unpack(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
        *state = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (!env || env->body_case != LIANXI__ENVELOPE__BODY_FILING)
        fail_msg("%s: no filing about %s in the outbox", unit, case_ref);
    return env;
}

static void
real_name_petitions_are_marked_with_or_without_content(void **state)
{
    static const struct {
        const char *no, *real, *status, *content, *idno;
    } in[] = {
        { "XF441623202699001", "是", "受理", "", "44162319851208185X" },
        { "XF441623202699002", "否", "受理", "反映其违规收受礼金。", "44162319830210147X" },
        { "XF441623202699003", "是", "办结", "反映问题属实，已给予党内警告处分。",
          "441623198703150029" },
    };
    const int n = sizeof in / sizeof in[0];
    char path[PATH_MAX];
    FILE *f;
    (void)state;

    snprintf(path, sizeof path, "%s/real-name.xml", C.dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<petitions county=\"441623\">\n", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "  <petition no=\"%s\">\n    <received>2026-11-10</received>\n"
                "    <realName>%s</realName>\n    <kind>举报</kind>\n"
                "    <status>%s</status>\n    <subject>\n      <name>测试人</name>\n"
                "      <idNumber>%s</idNumber>\n      <workUnit>县教育局</workUnit>\n"
                "    </subject>\n    <content>%s</content>\n    <scope>特定范围内</scope>\n"
                "  </petition>\n", in[i].no, in[i].real, in[i].status, in[i].idno,
                in[i].content);
    fputs("</petitions>\n", f);
    fclose(f);
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(submit("petitions", path), 0);
    for (int i = 0; i < n; i++) {
        int settled = -1;
        Lianxi__Envelope *env = outbox_filing("petitions", in[i].no, &settled);
        /* Receipted: the hub verified the signature, which covers real_name. */
        assert_int_equal(settled, 1);
        assert_int_equal(env->version, LX_PROTOCOL_VERSION);
        if (env->filing->real_name != (strcmp(in[i].real, "是") == 0))
            fail_msg("%s: real_name is %d, the export says %s", in[i].no,
                     env->filing->real_name, in[i].real);
        assert_string_equal(env->filing->summary, in[i].content);   /* no 【实名】 in it */
        wire_free(env);
    }
    assert_int_equal(hub_stop(&C), 0);
}

/* All nine units file their main sample at once; the hub holds each
 * expected filing once. */
static void
nine_adapters_file_their_samples_at_once(void **state)
{
    pid_t pids[LX_NUNITS] = { 0 };
    long expect[LX_NUNITS] = { 0 }, before[LX_NUNITS];
    char files[LX_NUNITS][PATH_MAX];
    int n = 0;
    (void)state;

    assert_int_equal(hub_start(&C, 20000), 0);
    for (int u = 0; u < LX_NUNITS; u++) {
        const char *unit = lx_units[u].code;
        char dir[PATH_MAX], sql[256];
        DIR *d;
        struct dirent *e;
        int code;

        files[u][0] = '\0';
        snprintf(dir, sizeof dir, "%s/adapters/%s/samples", src, unit);
        if (!(d = opendir(dir)))
            continue;
        while ((e = readdir(d)))
            if (strncmp(e->d_name, unit, strlen(unit)) == 0 && strstr(e->d_name, "-2026-11.") &&
                !strstr(e->d_name, "gb18030") && !strstr(e->d_name, "bom"))
                snprintf(files[u], PATH_MAX, "%s/%s", dir, e->d_name);
        closedir(d);
        if (!files[u][0])
            continue;
        cJSON *j = check(unit, strrchr(files[u], '/') + 1, &code);
        assert_non_null(j);
        expect[u] = num(j, "filings");
        cJSON_Delete(j);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM filings WHERE unit = '%s'", unit);
        before[u] = db_long(&C, "hub/lianxi.db", sql);
    }
    for (int u = 0; u < LX_NUNITS; u++) {
        char prog[64], log[PATH_MAX];
        if (!files[u][0])
            continue;
        snprintf(prog, sizeof prog, "lianxi-adapter-%s", lx_units[u].code);
        snprintf(log, sizeof log, "%s/all-%s.log", C.dir, lx_units[u].code);
        const char *argv[] = { prog, "-q", "-c", conf_of(lx_units[u].code), "--wait", "300",
                               "submit", files[u], NULL };
        pids[u] = spawn(&C, log, argv);
        n++;
    }
    for (int u = 0; u < LX_NUNITS; u++)
        if (pids[u])
            assert_int_equal(wait_exit(pids[u], 300000), 0);
    for (int u = 0; u < LX_NUNITS; u++) {
        char sql[256];
        if (!files[u][0])
            continue;
        snprintf(sql, sizeof sql, "SELECT count(DISTINCT filing_id) FROM filings WHERE unit = '%s'",
                 lx_units[u].code);
        if (db_long(&C, "hub/lianxi.db", sql) < expect[u])
            fail_msg("%s: hub holds fewer filings than its sample has", lx_units[u].code);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM filings WHERE unit = '%s'",
                 lx_units[u].code);
        if (db_long(&C, "hub/lianxi.db", sql) - before[u] > expect[u])
            fail_msg("%s: a filing was stored twice", lx_units[u].code);
    }
    assert_true(n >= 1);
    assert_int_equal(hub_stop(&C), 0);
}

/* The rejection in check's JSON (the output's last line) at line. */
static const char *
reason_at(const char *out, long line, cJSON **root)
{
    const char *json = NULL;
    const cJSON *r;

    for (const char *p = out; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (*p == '{')
            json = p;
    assert_non_null(json);
    *root = cJSON_Parse(json);
    assert_non_null(*root);
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(*root, "rejections"))
        if (num(r, "line") == line)
            return cJSON_GetObjectItemCaseSensitive(r, "reason")->valuestring;
    fail_msg("no rejection at line %ld in %s", line, out);
    return NULL;
}

/* Reasons that a fixed buffer cuts inside a Chinese character (a reason of
 * 1,023 bytes echoing a long case type; libxml2's message of 255 bytes on a
 * long tag name), and a file name that is not UTF-8 (GB18030 编号): all
 * that check writes, JSON and log, is valid UTF-8. */
/* A zero byte in an audit export's JSON (cJSON would skip it in
 * whitespace, and every finding would be placed at line 0): the file is
 * refused whole, naming its line. */
static void
audit_json_with_a_zero_byte_is_refused_naming_its_line(void **state)
{
    static const char json[] = "{\n\"findings\":\n\0[\n]}\n";
    char path[PATH_MAX], *out;
    int code;

    (void)state;
    snprintf(path, sizeof path, "%s/audit-nul.json", C.dir);
    assert_int_equal(files_write_atomic(path, json, sizeof json - 1, 0644), 0);
    out = check_raw("audit", path, &code);
    assert_non_null(out);
    assert_int_not_equal(code, 0);
    assert_non_null(strstr(out, "零字节"));
    assert_non_null(strstr(out, "第3行"));
    free(out);
}

static void
check_writes_valid_utf8_when_a_reason_is_cut_inside_a_character(void **state)
{
    char csv[PATH_MAX], xml[PATH_MAX], type[1300] = "", tag[400] = "", *out, *rows;
    const char *reason;
    cJSON *j;
    FILE *f;
    int code;

    (void)state;
    /* 400 × 盗 (1,200 bytes) after "无法识别的案件类别“" (30 bytes): the
     * reason is cut at 1,023 bytes, inside a character. */
    for (int i = 0; i < 400; i++)
        strcat(type, "盗");
    snprintf(csv, sizeof csv, "%s/\xb1\xe0\xba\xc5-police.csv", C.dir);
    assert_true(asprintf(&rows, POLICE_HEADER "A4416232026119501,杨志明,44162319851208185X,"
                         "县农业农村局,执法大队长,科员,%s,2026-09-02,已办结,摘要,公开\n", type) > 0);
    assert_int_equal(files_write_atomic(csv, rows, strlen(rows), 0644), 0);
    free(rows);
    out = check_raw("police", csv, &code);
    assert_non_null(out);
    if (!text_utf8_valid(out, strlen(out)))
        fail_msg("check's output on a long case type is not valid UTF-8: %s", out);
    reason = reason_at(out, 2, &j);
    assert_non_null(strstr(reason, "无法识别的案件类别“盗盗"));   /* language = zh */
    cJSON_Delete(j);
    free(out);

    /* A tag of a and 100 × 名 closed by b and the same: libxml2 names both,
     * "Opening and ending tag mismatch: a" (34 bytes), then 73 characters
     * and 2 bytes of the next fill its 255. */
    for (int i = 0; i < 100; i++)
        strcat(tag, "名");
    snprintf(xml, sizeof xml, "%s/petitions-longtag.xml", C.dir);
    f = fopen(xml, "w");
    assert_non_null(f);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<petitions>\n<a%s>x</b%s>\n"
            "</petitions>\n", tag, tag);
    fclose(f);
    out = check_raw("petitions", xml, &code);
    assert_non_null(out);
    if (!text_utf8_valid(out, strlen(out)))
        fail_msg("check's output on a long XML tag is not valid UTF-8: %s", out);
    reason = reason_at(out, 0, &j);
    assert_non_null(strstr(reason, "第3行不是格式正确的 XML"));
    cJSON_Delete(j);
    free(out);
}

/* The audit JSON text of one finding with description and amount (NULL: none). */
static char *
audit_finding(const char *no, const char *description, const char *amount)
{
    char *json;

    assert_true(asprintf(&json, "{\"findings\": [{\"finding_no\": \"%s\", \"type\": "
                         "\"违规使用资金\", \"found_on\": \"2026-06-09\", \"status\": "
                         "\"已出具审计报告\", \"description\": \"%s\",%s%s%s \"scope\": "
                         "\"党政机关\", \"cadre\": {\"name\": \"谢汉文\", \"id_number\": "
                         "\"441623197508119638\", \"work_unit\": \"县农业农村局\", "
                         "\"post\": \"原局长\", \"rank\": \"正科级\"}}]}\n", no, description,
                         amount ? " \"amount_yuan\": " : "", amount ? amount : "",
                         amount ? "," : "") > 0);
    return json;
}

/* Writes text converted to GB18030 at path. */
static void
write_gb18030(const char *path, const char *text)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    size_t inleft = strlen(text), outleft = inleft * 2, cap = outleft;
    char *in = (char *)text, *out = malloc(cap), *o = out;

    assert_true(cd != (iconv_t)-1);
    assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    iconv_close(cd);
    assert_int_equal(files_write_atomic(path, out, (size_t)(o - out), 0644), 0);
    free(out);
}

/* In a GB18030 export, a Chinese description that fits the 16 KiB limit is
 * filed whole, and one the amount pushes over it is too_large, never cut. */
static void
audit_summary_over_the_limit_is_too_large_in_gb18030_too(void **state)
{
    static const char amount_text[] = "（涉及金额 142700.00 元）";
    size_t n = 0, len;
    char *desc = malloc(LIM_SUMMARY + 1), *json, path[PATH_MAX], want[128];
    const char *reason;
    cJSON *j;
    int code;

    (void)state;
    for (n = 0; n + 3 <= LIM_SUMMARY; n += 3)
        memcpy(desc + n, "审", 3);
    desc[n] = '\0';
    snprintf(path, sizeof path, "%s/audit-limit.gb18030.json", C.dir);
    /* Without the amount it fits: filed. */
    json = audit_finding("SJ2026-902-01", desc, NULL);
    write_gb18030(path, json);
    free(json);
    j = check_path("audit", path, &code);
    assert_non_null(j);
    assert_int_equal(num(j, "filings"), 1);
    assert_int_equal(num(j, "rejected"), 0);
    cJSON_Delete(j);
    /* With it, over: too_large at the full length. */
    json = audit_finding("SJ2026-902-01", desc, "142700");
    write_gb18030(path, json);
    free(json);
    len = strlen(desc) + strlen(amount_text);
    assert_true(len > LIM_SUMMARY);
    j = check_path("audit", path, &code);
    assert_non_null(j);
    assert_int_equal(num(j, "filings"), 0);
    assert_int_equal(num(j, "rejected"), 1);
    reason = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(j, "rejections"), 0), "reason")->valuestring;
    /* In the clerk's language (lianxi init writes language = zh). */
    snprintf(want, sizeof want, "简要情况长度为%zu字节，超过上限%d字节", len, LIM_SUMMARY);
    if (!strstr(reason, want))
        fail_msg("reason '%s', expected '%s'", reason, want);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(j, "rejections"), 0), "field")->valuestring,
        "too_large");
    cJSON_Delete(j);
    free(desc);
}

/* The first column of the first row of sql on the police outbox, as text
 * ("" when none). */
static void
db_text(const char *db_path, const char *sql, const char *arg, char *out, size_t len)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(cpath(&C, db_path), &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void
outbox_text(const char *sql, const char *arg, char *out, size_t len)
{
    db_text("units/police/outbox.db", sql, arg, out, len);
}

/* text starts with a UTF-8 BOM and ends each line with CRLF. */
static void
assert_windows_text(const char *text, size_t len)
{
    assert_true(len >= 3);
    assert_memory_equal(text, "\xEF\xBB\xBF", 3);
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' && text[i - 1] != '\r')
            fail_msg("a line ends without CR at byte %zu", i);
}

/* submit writes the export's printable receipt into done/: each filing
 * with the receipt number the hub gave it, each refused row with why. */
static void
submit_writes_a_printable_receipt_of_the_export(void **state)
{
    static const struct { const char *ref, *name, *idno, *type, *status; int good; } in[] = {
        { "A4416232026119601", "杨志明", "44162319851208185X", "赌博", "已受理", 1 },
        { "A4416232026119602", "周晓峰", "44162319830210147X", "赌博", "已办结", 1 },
        { "A4416232026119603", "黄海燕", "441623198703150020", "赌博", "已办结", 0 },
        { "A4416232026119604", "刘国强", "441623197911200030", "盗窃", "已办结", 0 },
        { "A4416232026119605", "<i>王</i>&五", "441623198703150029", "行政拘留", "已受理", 1 },
    };
    char csv[PATH_MAX], path[PATH_MAX], no[64], due[64], want[512], *html, *txt;
    size_t n = sizeof in / sizeof *in, len;
    FILE *f;
    (void)state;

    snprintf(csv, sizeof csv, "%s/police-receipt-2026-11.csv", C.dir);
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs(POLICE_HEADER, f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s,%s,%s,县农业农村局,股长,科员,%s,2026-11-02,%s,摘要%zu。,党政机关\n",
                in[i].ref, in[i].name, in[i].idno, in[i].type, in[i].status, i);
    fclose(f);
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(submit("police", csv), 0);
    assert_int_equal(hub_stop(&C), 0);

    snprintf(path, sizeof path, "%s/units/police/done/police-receipt-2026-11.csv 回执单.html",
             C.dir);
    assert_non_null(html = files_read(path, NULL));
    snprintf(path, sizeof path, "%s/units/police/done/police-receipt-2026-11.csv 回执单.txt",
             C.dir);
    assert_non_null(txt = files_read(path, &len));
    assert_windows_text(txt, len);
    assert_non_null(strstr(html, "干部监督信息报备回执单"));
    assert_non_null(strstr(html, "县公安局"));
    assert_non_null(strstr(html, "police-receipt-2026-11.csv"));
    assert_non_null(strstr(html, "@page { size: A4"));
    for (size_t i = 0; i < n; i++) {
        long line = (long)i + 2;
        if (in[i].good) {
            outbox_text("SELECT receipt_no FROM outbox WHERE case_ref = ?1 AND state = 1", in[i].ref,
                        no, sizeof no);
            outbox_text("SELECT due_on FROM outbox WHERE case_ref = ?1 AND state = 1", in[i].ref,
                        due, sizeof due);
            assert_true(no[0] != '\0');
            snprintf(want, sizeof want, "<tr><td class=\"nw\">%ld</td><td class=\"nw\">%s</td>",
                     line, in[i].ref);
            if (!strstr(html, want))
                fail_msg("no row %ld in the receipt:\n%s", line, html);
            snprintf(want, sizeof want, "<td class=\"nw\">%s</td>", no);
            assert_non_null(strstr(html, want));
            snprintf(want, sizeof want, "<td class=\"nw\">%s</td>", due);
            assert_non_null(strstr(html, want));
            snprintf(want, sizeof want, "第%ld行  案件编号 %s", line, in[i].ref);
            assert_non_null(strstr(txt, want));
            snprintf(want, sizeof want, "回执编号 %s", no);
            assert_non_null(strstr(txt, want));
        } else {
            snprintf(want, sizeof want, "<tr><td class=\"nw\">%ld</td>", line);
            assert_non_null(strstr(html, want));
            snprintf(want, sizeof want, "第%ld行", line);
            assert_non_null(strstr(txt, want));
        }
    }
    assert_non_null(strstr(html, "一、已接收的报备事项（3 件）"));
    assert_non_null(strstr(html, "二、未予接收的行（2 行）"));
    assert_non_null(strstr(html, "处理办法"));
    /* What the export held is text in the document, never markup. */
    assert_non_null(strstr(html, "&lt;i&gt;王&lt;/i&gt;&amp;五"));
    assert_null(strstr(html, "<i>王"));
    free(html);
    free(txt);
}

/* The same export name dropped twice: the second is "NAME (2).csv" in
 * done/, as Windows names a copy, each with its own receipt. */
static void
second_export_of_the_same_name_is_numbered_as_windows_does(void **state)
{
    char done[PATH_MAX], done2[PATH_MAX], receipt[PATH_MAX], receipt2[PATH_MAX], no[64];
    char *html;
    pid_t w;
    (void)state;

    assert_int_equal(hub_start(&C, 20000), 0);
    w = start_watch();
    snprintf(done, sizeof done, "%s/units/police/done/monthly.csv", C.dir);
    snprintf(done2, sizeof done2, "%s/units/police/done/monthly (2).csv", C.dir);
    snprintf(receipt, sizeof receipt, "%s/units/police/done/monthly.csv 回执单.html", C.dir);
    snprintf(receipt2, sizeof receipt2, "%s/units/police/done/monthly (2).csv 回执单.html",
             C.dir);
    drop_file("monthly.csv", "A4416232026119701,杨志明,44162319851208185X,县农业农村局,股长,科员,"
                             "赌博,2026-11-02,已办结,第一次导出。,党政机关\n");
    assert_int_equal(wait_file(receipt, 60000), 0);
    assert_int_equal(access(done, F_OK), 0);
    drop_file("monthly.csv", "A4416232026119702,周晓峰,44162319830210147X,县市场监管局,副主任,"
                             "科员,赌博,2026-11-03,已办结,第二次导出。,党政机关\n");
    assert_int_equal(wait_file(receipt2, 60000), 0);
    assert_int_equal(access(done2, F_OK), 0);
    assert_int_equal(access(done, F_OK), 0);
    html = files_read(receipt2, NULL);
    assert_non_null(html);
    outbox_text("SELECT receipt_no FROM outbox WHERE case_ref = ?1 AND state = 1",
                "A4416232026119702", no, sizeof no);
    assert_true(no[0] != '\0');
    assert_non_null(strstr(html, no));
    assert_non_null(strstr(html, "monthly.csv"));
    assert_null(strstr(html, "A4416232026119701"));
    free(html);
    kill(w, SIGTERM);
    assert_int_equal(wait_exit(w, 30000), 0);
    assert_int_equal(hub_stop(&C), 0);
}

/* Runs status (JSON when json) and returns what it wrote (free it). */
static char *
police_status(int json)
{
    char log[PATH_MAX];
    snprintf(log, sizeof log, "%s/status-police.log", C.dir);
    const char *argv[] = { "lianxi-adapter-police", "-c", conf_of("police"), "status",
                           json ? "--json" : NULL, NULL };
    unlink(log);
    assert_int_equal(run_prog(&C, log, argv, 60000), 0);
    return files_read(log, NULL);
}

/* status says what the unit still owes: the written report a notice
 * opened, due by the date of the notice's receipt, until the report is
 * received. */
static void
status_lists_what_the_unit_still_owes(void **state)
{
    char csv[PATH_MAX], ob[64], due[64], want[256], *text;
    (void)state;

    snprintf(csv, sizeof csv, "%s/owed.csv", C.dir);
    {
        /* The notice: registered, no summary yet. */
        const char *rows = POLICE_HEADER "A4416232026119801,黄海燕,441623198703150029,"
                           "上坪镇人民政府,副镇长,副科级,行政拘留,2026-11-05,已受理,,党政机关\n";
        assert_int_equal(files_write_atomic(csv, rows, strlen(rows), 0644), 0);
    }
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(submit("police", csv), 0);
    outbox_text("SELECT obligation FROM outbox WHERE case_ref = ?1 AND state = 1",
                "A4416232026119801", ob, sizeof ob);
    outbox_text("SELECT due_on FROM outbox WHERE case_ref = ?1 AND state = 1",
                "A4416232026119801", due, sizeof due);
    assert_true(ob[0] != '\0');
    text = police_status(0);
    assert_non_null(text);
    assert_non_null(strstr(text, "未办结事项"));
    snprintf(want, sizeof want, "  %s  书面报告  案件编号 A4416232026119801  截止日期 %s  ", ob,
             due);
    if (!strstr(text, want))
        fail_msg("no '%s' in:\n%s", want, text);
    free(text);
    text = police_status(1);
    assert_non_null(strstr(text, "\"obligations\":[{\"obligation\":\""));
    assert_non_null(strstr(text, ob));
    free(text);

    /* The written report received: nothing owed for that case. */
    {
        const char *rows = POLICE_HEADER "A4416232026119801,黄海燕,441623198703150029,"
                           "上坪镇人民政府,副镇长,副科级,行政拘留,2026-11-05,已办结,"
                           "殴打他人被行政拘留五日。,党政机关\n";
        assert_int_equal(files_write_atomic(csv, rows, strlen(rows), 0644), 0);
    }
    assert_int_equal(submit("police", csv), 0);
    assert_int_equal(hub_stop(&C), 0);
    text = police_status(0);
    assert_null(strstr(text, ob));
    free(text);
}

/* A supplement the supervision group asks for: a notice in notices/ for
 * Windows readers (BOM, CRLF) in the glossary's words, owed in status with
 * its due date until the unit answers it. */
static void
supplement_request_is_a_notice_and_owed_until_answered(void **state)
{
    char csv[PATH_MAX], log[PATH_MAX], sup[PATH_MAX], file[PATH_MAX], ob[64], due[64];
    char want[512], *text;
    size_t len;
    (void)state;

    snprintf(csv, sizeof csv, "%s/asked.csv", C.dir);
    {
        const char *rows = POLICE_HEADER "A4416232026119901,杨志明,44162319851208185X,"
                           "县农业农村局,股长,科员,吸毒,2026-11-02,已办结,"
                           "吸食毒品被行政拘留十日。,党政机关\n";
        assert_int_equal(files_write_atomic(csv, rows, strlen(rows), 0644), 0);
    }
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(submit("police", csv), 0);
    snprintf(sup, sizeof sup, "%s/operators/supervisor/operator.conf", C.dir);
    snprintf(log, sizeof log, "%s/review.out", C.dir);
    {
        const char *ask[] = { "lianxi", "-c", sup, "review",
                              "police:A4416232026119901:report:44162319851208185X",
                              "supplement", "--text", "请补充该干部的处理决定书。", "--due", "3",
                              NULL };
        assert_int_equal(run_prog(&C, log, ask, 30000), 0);
    }
    {
        char slog[PATH_MAX];
        snprintf(slog, sizeof slog, "%s/send-police.log", C.dir);
        const char *send[] = { "lianxi-adapter-police", "-c", conf_of("police"), "--wait", "60",
                               "send", NULL };
        assert_int_equal(run_prog(&C, slog, send, 90000), 0);
    }
    outbox_text("SELECT file FROM hub_messages WHERE kind = 2 AND case_ref = ?1", "A4416232026119901",
                file, sizeof file);
    outbox_text("SELECT obligation FROM hub_messages WHERE kind = 2 AND case_ref = ?1",
                "A4416232026119901", ob, sizeof ob);
    db_text("hub/lianxi.db", "SELECT due_on FROM obligations WHERE kind = 2 AND case_ref = ?1",
            "A4416232026119901", due, sizeof due);
    assert_true(file[0] && ob[0] && due[0]);
    text = files_read(file, &len);
    assert_non_null(text);
    assert_windows_text(text, len);
    assert_non_null(strstr(text, "补充材料通知"));
    assert_non_null(strstr(text, "请补充该干部的处理决定书。"));
    snprintf(want, sizeof want, "报送事项编号：%s\r\n", ob);
    assert_non_null(strstr(text, want));
    snprintf(want, sizeof want, "截止日期：%s\r\n", due);
    assert_non_null(strstr(text, want));
    snprintf(want, sizeof want, "answer %s", ob);
    assert_non_null(strstr(text, want));
    free(text);

    text = police_status(0);
    snprintf(want, sizeof want, "  %s  补充材料  案件编号 A4416232026119901  截止日期 %s  ", ob,
             due);
    if (!strstr(text, want))
        fail_msg("no '%s' in:\n%s", want, text);
    free(text);

    {
        char alog[PATH_MAX];
        snprintf(alog, sizeof alog, "%s/answer-police.log", C.dir);
        const char *answer[] = { "lianxi-adapter-police", "-c", conf_of("police"), "--wait",
                                 "60", "answer", ob, "处理决定书已补充。", NULL };
        assert_int_equal(run_prog(&C, alog, answer, 90000), 0);
    }
    assert_int_equal(hub_stop(&C), 0);
    text = police_status(0);
    snprintf(want, sizeof want, "  %s  ", ob);
    assert_null(strstr(text, want));
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_sample_gives_its_expected_counts),
        cmocka_unit_test(encodings_give_identical_filings),
        cmocka_unit_test(check_writes_valid_utf8_when_a_reason_is_cut_inside_a_character),
        cmocka_unit_test(audit_json_with_a_zero_byte_is_refused_naming_its_line),
        cmocka_unit_test(audit_summary_over_the_limit_is_too_large_in_gb18030_too),
        cmocka_unit_test(watch_takes_a_slowly_written_file_only_when_complete),
        cmocka_unit_test(watch_files_what_was_dropped_while_the_hub_was_down),
        cmocka_unit_test(watch_moves_an_unreadable_file_to_rejected),
        cmocka_unit_test(reexport_files_nothing_new_and_a_changed_case_is_one_revision),
        cmocka_unit_test(older_export_filed_again_does_not_revert_the_case),
        cmocka_unit_test(real_name_petitions_are_marked_with_or_without_content),
        cmocka_unit_test(nine_adapters_file_their_samples_at_once),
        cmocka_unit_test(submit_writes_a_printable_receipt_of_the_export),
        cmocka_unit_test(second_export_of_the_same_name_is_numbered_as_windows_does),
        cmocka_unit_test(status_lists_what_the_unit_still_owes),
        cmocka_unit_test(supplement_request_is_a_notice_and_owed_until_answered),
    };
    return cmocka_run_group_tests(tests, setup_county, teardown_county);
}
