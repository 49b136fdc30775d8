/* it_jointreview.c — the joint review before appointment (任前联审) on the
 * real hub, the lianxi command and three units' adapters: three candidates
 * asked of three units; one answers on time, one late after a reminder,
 * one never; the summary, the board and the audit trail say exactly that;
 * a member sees only its requests; a refused answer gives its reason.  The
 * clock is pinned with LIANXI_FAKE_NOW (each day a hub run). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "days.h"
#include "files.h"
#include "harness.h"
#include "idnum.h"

static struct county C;
static char id[3][19] = { "44162319851208185", "11010519491231002", "32010219800101123" };

static void
fake_now(long long t)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", t);
    setenv("LIANXI_FAKE_NOW", buf, 1);
}

/* Runs argv with its output (stdout and stderr) into out.txt of the
 * county; *text gets it (free it).  Returns the exit code. */
static int
run(char **text, const char *const argv[])
{
    const char *out = cpath(&C, "out.txt");
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), rc;

    close(fd);
    rc = run_prog(&C, out, argv, 90000);
    if (text)
        *text = files_read(out, NULL);
    return rc;
}

static int
op(const char *who, char **text, const char *a1, const char *a2, const char *a3,
   const char *a4, const char *a5, const char *a6)
{
    char conf[PATH_MAX];
    snprintf(conf, sizeof conf, "%s/operators/%s/operator.conf", C.dir, who);
    const char *argv[] = { "lianxi", "-c", conf, a1, a2, a3, a4, a5, a6, NULL };
    return run(text, argv);
}

static int
unit(const char *u, char **text, const char *cmd, const char *a1, const char *a2)
{
    char conf[PATH_MAX], prog[64];
    snprintf(conf, sizeof conf, "%s/units/%s/adapter.conf", C.dir, u);
    snprintf(prog, sizeof prog, "lianxi-adapter-%s", u);
    const char *argv[] = { prog, "-c", conf, "--wait", "60", cmd, a1, a2, NULL };
    return run(text, argv);
}

static const char *
write_file(const char *name, const char *content)
{
    static char path[4][PATH_MAX];
    static int k;
    char *p = path[k++ % 4];
    FILE *f;

    snprintf(p, PATH_MAX, "%s/%s", C.dir, name);
    assert_non_null(f = fopen(p, "w"));
    fputs(content, f);
    fclose(f);
    return p;
}

/* The JSON in an output (after any log lines). */
static cJSON *
json_of(const char *text)
{
    const char *a = strchr(text, '{'), *b = strchr(text, '[');
    const char *s = !a ? b : !b ? a : a < b ? a : b;
    cJSON *j = s ? cJSON_Parse(s) : NULL;
    if (!j)
        fail_msg("not JSON: %s", text);
    return j;
}

static int
count_files(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && strstr(e->d_name, needle))
            n++;
    closedir(d);
    return n;
}

/* The answer of unit u about candidate i in a summary. */
static cJSON *
answer(cJSON *sum, int i, const char *u)
{
    cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(sum, "candidates"), i), *a;
    assert_non_null(c);
    assert_string_equal(cJSON_GetObjectItem(c, "id_number")->valuestring, id[i]);
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(c, "answers"))
        if (strcmp(cJSON_GetObjectItem(a, "unit")->valuestring, u) == 0)
            return a;
    fail_msg("no answer of %s about candidate %d", u, i);
    return NULL;
}

static const char *
str(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItem(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static void
a_review_answered_on_time_late_after_a_reminder_and_never(void **state)
{
    char cands[1024], d_reply[512], f_reply[512], bad[256], due_s[LX_DATE_LEN], other[19];
    calendar_t *cal = calendar_load("deploy/calendar/cn-holidays.tsv");
    char *t = NULL;
    lx_day due;
    int late = 0;
    cJSON *j;
    (void)state;

    assert_non_null(cal);
    for (int i = 0; i < 3; i++) {
        id[i][17] = idnum_check_char(id[i]);
        id[i][18] = '\0';
    }
    snprintf(other, sizeof other, "11010119900307001");
    other[17] = idnum_check_char(other);
    other[18] = '\0';
    /* Due 2 working days after Monday 2026-03-09. */
    calendar_due(cal, days_from_civil(2026, 3, 9), 2, &due);
    days_format(due, due_s);
    assert_int_equal(county_init(&C), 0);

    /* Monday: the group opens the review; one more goes to discipline only. */
    fake_now(shanghai_time(2026, 3, 9, 10, 0));
    assert_int_equal(hub_start(&C, 20000), 0);
    snprintf(cands, sizeof cands, "姓名,公民身份号码,工作单位,现任职务,拟任职务\n"
             "杨志明,%s,县教育局,科长,副局长\n李红,%s,县财政局,副科长,科长\n"
             "王强,%s,县交通运输局,股长,副局长\n", id[0], id[1], id[2]);
    const char *cf = write_file("candidates.csv", cands);
    /* A review needs its title. */
    assert_int_equal(op("supervisor", NULL, "review-request", "create", "--candidates", cf,
                        "--units=discipline", NULL), 64);
    {
        char conf[PATH_MAX];
        snprintf(conf, sizeof conf, "%s/operators/supervisor/operator.conf", C.dir);
        const char *a1[] = { "lianxi", "-c", conf, "review-request", "create", "--candidates", cf,
                             "--units", "discipline,family_planning,police", "--due", "2",
                             "--title", "2027年第一批拟提拔科级干部", "--json", NULL };
        assert_int_equal(run(&t, a1), 0);
        assert_non_null(strstr(t, "REQ-1"));
        free(t);
        const char *a2[] = { "lianxi", "-c", conf, "review-request", "create", "--candidates", cf,
                             "--units", "discipline", "--title", "另一批", NULL };
        assert_int_equal(run(NULL, a2), 0);
    }
    /* A member sees only the reviews sent to its unit. */
    assert_int_equal(op("police-liaison", &t, "review-request", "list", "--json", NULL, NULL,
                        NULL), 0);
    j = json_of(t);
    assert_int_equal(cJSON_GetArraySize(j), 1);
    assert_string_equal(str(cJSON_GetArrayItem(j, 0), "id"), "REQ-1");
    cJSON_Delete(j);
    free(t);
    assert_int_not_equal(op("police-liaison", NULL, "review-request", "show", "REQ-2", NULL, NULL,
                            NULL), 0);

    /* Discipline gets the request and answers the same day: on time. */
    assert_int_equal(unit("discipline", NULL, "send", NULL, NULL), 0);
    assert_int_equal(count_files(cpath(&C, "units/discipline/notices"), "REQ-1"), 1);
    snprintf(d_reply, sizeof d_reply, "公民身份号码,意见,情况说明,预计答复日期\n%s,无,,\n"
             "%s,有,2025年3月诫勉谈话一次,\n%s,核查中,,2026-03-20\n", id[0], id[1], id[2]);
    assert_int_equal(unit("discipline", NULL, "reply", "REQ-1", write_file("d.csv", d_reply)), 0);
    /* An answer about someone not asked, and one from a unit not asked, are
     * refused with their reason. */
    snprintf(bad, sizeof bad, "%s,无,,\n", other);
    assert_int_equal(unit("police", &t, "reply", "REQ-1", write_file("bad.csv", bad)), 0);
    assert_non_null(strstr(t, other));
    assert_non_null(strstr(t, "REQ-1"));
    free(t);
    assert_int_equal(unit("audit", &t, "reply", "REQ-1", write_file("d2.csv", d_reply)), 0);
    assert_non_null(strstr(t, "audit:REQ-1"));
    assert_non_null(strstr(t, "县审计局"));
    free(t);
    assert_int_equal(hub_stop(&C), 0);

    /* The day after the due date: the hub reminds the units still owing. */
    fake_now(shanghai_time(2026, 3, 12, 9, 0));
    calendar_workdays(cal, due, days_from_civil(2026, 3, 12), &late);
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_true(wait_db(&C, "hub/lianxi.db", "SELECT count(*) FROM hub_messages WHERE kind = 1"
                        " AND unit = 'family_planning' AND overdue_days > 0", 1, 20000) >= 1);
    assert_int_equal(unit("family_planning", NULL, "send", NULL, NULL), 0);
    assert_true(count_files(cpath(&C, "units/family_planning/notices"), "reminder") >= 1);
    snprintf(f_reply, sizeof f_reply, "%s,无,,\n%s,无,,\n%s,无,,\n", id[0], id[1], id[2]);
    assert_int_equal(unit("family_planning", NULL, "reply", "REQ-1",
                          write_file("f.csv", f_reply)), 0);

    /* The summary: on time, late by the working days after the due date,
     * and 未答复 (never 无) for the unit that did not answer. */
    assert_int_equal(op("supervisor", &t, "review-request", "show", "REQ-1", "--json", NULL,
                        NULL), 0);
    j = json_of(t);
    free(t);
    assert_string_equal(str(j, "due_on"), due_s);
    assert_string_equal(str(answer(j, 0, "discipline"), "answer"), "none");
    assert_string_equal(str(answer(j, 1, "discipline"), "answer"), "holds");
    assert_string_equal(str(answer(j, 1, "discipline"), "text"), "2025年3月诫勉谈话一次");
    assert_string_equal(str(answer(j, 2, "discipline"), "answer"), "checking");
    assert_string_equal(str(answer(j, 2, "discipline"), "expected_on"), "2026-03-20");
    for (int i = 0; i < 3; i++) {
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(answer(j, i, "discipline"), "on_time")));
        assert_true(cJSON_IsFalse(cJSON_GetObjectItem(answer(j, i, "family_planning"),
                                                      "on_time")));
        assert_int_equal(cJSON_GetObjectItem(answer(j, i, "family_planning"),
                                             "late_days")->valueint, late);
        assert_string_equal(str(answer(j, i, "police"), "answer"), "unanswered");
        assert_string_equal(str(answer(j, i, "police"), "answer_zh"), "未答复");
    }
    cJSON_Delete(j);
    /* The printed table says 未答复 too. */
    {
        char conf[PATH_MAX];
        snprintf(conf, sizeof conf, "%s/operators/supervisor/operator.conf", C.dir);
        const char *a[] = { "lianxi", "-c", conf, "review-request", "show", "REQ-1", "--format",
                            "html", "-o", cpath(&C, "summary.html"), NULL };
        assert_int_equal(run(NULL, a), 0);
        char *html = files_read(cpath(&C, "summary.html"), NULL);
        assert_non_null(html);
        assert_non_null(strstr(html, "联审意见汇总表"));
        assert_non_null(strstr(html, "未答复"));
        assert_non_null(strstr(html, "2025年3月诫勉谈话一次"));
        free(html);
    }

    /* The board: only the police's obligation is open, naming all three. */
    assert_int_equal(op("supervisor", &t, "overdue", "--json", NULL, NULL, NULL, NULL), 0);
    j = json_of(t);
    free(t);
    cJSON *ob, *open = NULL;
    int reviews = 0;
    cJSON_ArrayForEach(ob, cJSON_GetObjectItem(j, "open_obligations")) {
        if (strcmp(str(ob, "kind"), "review") != 0 || strcmp(str(ob, "case_ref"), "REQ-1") != 0)
            continue;
        reviews++;
        open = ob;
    }
    assert_int_equal(reviews, 1);
    assert_string_equal(str(open, "unit"), "police");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(open, "unanswered")), 3);
    cJSON_Delete(j);

    /* The police's adapter lists what its unit still owes: the review. */
    assert_int_equal(unit("police", NULL, "send", NULL, NULL), 0);
    assert_int_equal(unit("police", &t, "status", "--json", NULL), 0);
    j = json_of(t);
    free(t);
    int owed = 0;
    cJSON_ArrayForEach(ob, cJSON_GetObjectItem(j, "obligations"))
        owed += strcmp(str(ob, "kind"), "review") == 0 && strcmp(str(ob, "case_ref"), "REQ-1") == 0;
    assert_int_equal(owed, 1);
    cJSON_Delete(j);

    /* The audit trail: the review opened, two opinions, two refusals. */
    assert_int_equal(op("auditor", &t, "audit", "log", "--json", NULL, NULL, NULL), 0);
    j = json_of(t);
    free(t);
    int created = 0, opinions = 0, refused = 0;
    cJSON *e;
    cJSON_ArrayForEach(e, j) {
        created += strcmp(str(e, "action"), "review-request:create") == 0;
        opinions += strcmp(str(e, "action"), "opinion") == 0;
        refused += strcmp(str(e, "action"), "reject") == 0 &&
                   strstr(str(e, "object"), ":REQ-1") != NULL;
    }
    assert_int_equal(created, 2);
    assert_int_equal(opinions, 2);
    assert_int_equal(refused, 2);
    cJSON_Delete(j);

    assert_int_equal(hub_stop(&C), 0);
    unsetenv("LIANXI_FAKE_NOW");
    calendar_destroy(&cal);
    county_cleanup(&C);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_review_answered_on_time_late_after_a_reminder_and_never),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
