/* it_notice.c — the meeting's messages to the units on the real hub, the
 * lianxi command and the units' adapters: a meeting notice (会议通知) sent to
 * three units while their adapters are offline reaches each once when they
 * come back, as a printable page in notices/; the units answer (attends,
 * with who; does not attend; never), a changed answer is a new revision;
 * the unit that did not answer is reminded; the board says exactly that.
 * The clock is pinned with LIANXI_FAKE_NOW (each day a hub run). */
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
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include <zmq.h>

#include "attachment.h"
#include "calendar.h"
#include "categories.h"
#include "days.h"
#include "files.h"
#include "harness.h"
#include "keys.h"
#include "text.h"
#include "wire.h"

static struct county C;

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

/* The operator who (operators/WHO) runs lianxi with up to 28 words. */
static int
op(const char *who, char **text, ...)
{
    char conf[PATH_MAX];
    const char *argv[32] = { "lianxi", "-c", conf };
    va_list ap;
    int n = 3;

    snprintf(conf, sizeof conf, "%s/operators/%s/operator.conf", C.dir, who);
    va_start(ap, text);
    while (n < 31 && (argv[n] = va_arg(ap, const char *)))
        n++;
    va_end(ap);
    argv[n] = NULL;
    return run(text, argv);
}

/* Unit u's adapter runs cmd with up to three words. */
static int
unit(const char *u, char **text, const char *cmd, const char *a1, const char *a2,
     const char *a3)
{
    char conf[PATH_MAX], prog[64];
    snprintf(conf, sizeof conf, "%s/units/%s/adapter.conf", C.dir, u);
    snprintf(prog, sizeof prog, "lianxi-adapter-%s", u);
    const char *argv[] = { prog, "-c", conf, "--wait", "60", cmd, a1, a2, a3, NULL };
    return run(text, argv);
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

/* Files in dir whose name holds needle; the last one's path into path. */
static int
count_files(const char *dir, const char *needle, char *path, size_t len)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && strstr(e->d_name, needle)) {
            n++;
            if (path)
                snprintf(path, len, "%s/%s", dir, e->d_name);
        }
    closedir(d);
    return n;
}

static const char *
str(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItem(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* The board's entry of unit u. */
static cJSON *
unit_of(cJSON *board, const char *u)
{
    cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(board, "units"))
        if (strcmp(str(e, "unit"), u) == 0)
            return e;
    fail_msg("no unit %s on the board", u);
    return NULL;
}

static cJSON *
board(int meeting)
{
    char id[16], *t = NULL;
    cJSON *j;

    snprintf(id, sizeof id, "%d", meeting);
    assert_int_equal(op("convener", &t, "meeting", "attendance", id, "--json", NULL), 0);
    j = json_of(t);
    free(t);
    return j;
}

static int
acked(cJSON *b, const char *u)
{
    return cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(unit_of(b, u), "notice"),
                                            "acked"));
}

/* The working day n working days before day (counted back). */
static lx_day
workdays_before(const calendar_t *cal, lx_day day, int n)
{
    while (n > 0) {
        day--;
        n -= calendar_is_workday(cal, day);
    }
    return day;
}

static void
a_notice_reaches_offline_units_once_and_the_board_shows_the_replies(void **state)
{
    calendar_t *cal = calendar_load("deploy/calendar/cn-holidays.tsv");
    lx_day meeting = days_from_civil(2026, 3, 13), due;
    char due_s[LX_DATE_LEN], date_s[LX_DATE_LEN], path[PATH_MAX], *t = NULL, *html;
    const char *place = "县委组织部三楼会议室<b>&\"";
    const char *agenda = "一、通报 2025 年干部监督工作情况\n二、研究<script>苗头性问题";
    size_t len;
    int late = 0;
    cJSON *j, *u;
    (void)state;

    assert_non_null(cal);
    due = workdays_before(cal, meeting, 3);
    days_format(due, due_s);
    days_format(meeting, date_s);
    assert_int_equal(county_init(&C), 0);

    /* Monday 2 March: the convener schedules the meeting; no adapter runs. */
    fake_now(shanghai_time(2026, 3, 2, 10, 0));
    assert_int_equal(hub_start(&C, 20000), 0);
    /* A time that is not HH:MM is refused, and nothing is stored. */
    assert_int_equal(op("convener", NULL, "meeting", "create", "--date", date_s, "--kind",
                        "adhoc", "--period", "2026-01-01..2026-02-28", "--time", "9h30",
                        "--units", "police", NULL), 64);
    assert_int_equal(op("convener", &t, "meeting", "create", "--date", date_s, "--kind", "adhoc",
                        "--period", "2026-01-01..2026-02-28", "--time", "09:30", "--place",
                        place, "--agenda", agenda, "--units", "police,court,audit", NULL), 0);
    assert_non_null(strstr(t, due_s));
    free(t);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM hub_messages WHERE"
                             " kind = 4"), 3);

    /* Nothing delivered yet: the adapters were not running. */
    j = board(1);
    assert_string_equal(str(j, "due_on"), due_s);
    assert_string_equal(str(j, "time"), "09:30");
    assert_string_equal(str(j, "place"), place);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "units")), 3);
    assert_false(acked(j, "police"));
    assert_false(acked(j, "court"));
    assert_false(acked(j, "audit"));
    assert_int_equal(cJSON_GetObjectItem(j, "unanswered")->valueint, 3);
    cJSON_Delete(j);

    /* The adapters come back: each takes its notice once, even twice run. */
    assert_int_equal(unit("police", NULL, "send", NULL, NULL, NULL), 0);
    assert_int_equal(unit("police", NULL, "send", NULL, NULL, NULL), 0);
    assert_int_equal(unit("court", NULL, "send", NULL, NULL, NULL), 0);
    assert_int_equal(count_files(cpath(&C, "units/police/notices"), "会议通知", path,
                                 sizeof path), 1);
    assert_int_equal(count_files(cpath(&C, "units/court/notices"), "会议通知", NULL, 0), 1);
    assert_int_equal(count_files(cpath(&C, "units/audit/notices"), "会议通知", NULL, 0), 0);
    j = board(1);
    assert_true(acked(j, "police"));
    assert_true(acked(j, "court"));
    assert_false(acked(j, "audit"));
    cJSON_Delete(j);

    /* The page: valid UTF-8, the meeting's words, every value escaped. */
    assert_non_null(html = files_read(path, &len));
    assert_true(text_utf8_valid(html, len));
    assert_non_null(strstr(html, "会议通知"));
    assert_non_null(strstr(html, "09:30"));
    assert_non_null(strstr(html, "县委组织部三楼会议室&lt;b&gt;&amp;&quot;"));
    assert_non_null(strstr(html, "研究&lt;script&gt;苗头性问题"));
    assert_null(strstr(html, "<script>"));
    assert_null(strstr(html, "<b>"));
    assert_non_null(strstr(html, due_s));
    free(html);

    /* The replies: the police attend, the court does not; the same reply
     * again is no new revision; a unit not invited is refused. */
    assert_int_equal(unit("police", &t, "attend", "M-1", "yes", "李明，副局长"), 0);
    assert_non_null(strstr(t, "police:M-1 第 1 版"));
    free(t);
    assert_int_equal(unit("police", &t, "attend", "M-1", "yes", "李明，副局长"), 0);
    assert_null(strstr(t, "第 2 版"));
    free(t);
    assert_int_equal(unit("court", NULL, "attend", "1", "no", NULL), 0);
    assert_int_not_equal(unit("police", NULL, "attend", "M-1", "yes", NULL), 0);
    assert_int_equal(unit("discipline", &t, "attend", "M-1", "yes", "张三，副书记"), 0);
    assert_non_null(strstr(t, "discipline:M-1"));
    assert_non_null(strstr(t, "M-1"));
    free(t);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM attendances WHERE"
                             " unit = 'discipline'"), 0);
    /* The police change who attends: revision 2. */
    assert_int_equal(unit("police", &t, "attend", "M-1", "yes", "王强，局长"), 0);
    assert_non_null(strstr(t, "police:M-1 第 2 版"));
    free(t);
    assert_int_equal(hub_stop(&C), 0);

    /* The day after the due date: the unit that did not answer is
     * reminded (once that day); it takes the reminder. */
    {
        lx_day next;
        int y, mo, d;
        calendar_due(cal, due, 1, &next);
        days_to_civil(next, &y, &mo, &d);
        fake_now(shanghai_time(y, mo, d, 9, 0));
        calendar_workdays(cal, due, next, &late);
    }
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_true(wait_db(&C, "hub/lianxi.db", "SELECT count(*) FROM hub_messages WHERE kind = 1"
                        " AND unit = 'audit' AND overdue_days > 0", 1, 20000) >= 1);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM hub_messages WHERE"
                             " kind = 1 AND unit IN ('police', 'court')"), 0);
    assert_int_equal(unit("audit", NULL, "send", NULL, NULL, NULL), 0);
    assert_int_equal(count_files(cpath(&C, "units/audit/notices"), "会议通知", NULL, 0), 1);
    assert_int_equal(count_files(cpath(&C, "units/audit/notices"), "reminder", NULL, 0), 1);
    /* The audit bureau's adapter lists the reply it owes. */
    assert_int_equal(unit("audit", &t, "status", "--json", NULL, NULL), 0);
    j = json_of(t);
    free(t);
    {
        int owed = 0;
        cJSON_ArrayForEach(u, cJSON_GetObjectItem(j, "obligations"))
            owed += strcmp(str(u, "kind"), "attendance") == 0 &&
                    strcmp(str(u, "case_ref"), "M-1") == 0;
        assert_int_equal(owed, 1);
    }
    cJSON_Delete(j);

    /* The board: confirmed (with the latest attendee), declined, not
     * answered and reminded once. */
    j = board(1);
    u = unit_of(j, "police");
    assert_string_equal(str(u, "state"), "confirmed");
    assert_string_equal(str(u, "state_zh"), "已确认出席");
    assert_string_equal(str(u, "attendee"), "王强，局长");
    assert_int_equal(cJSON_GetObjectItem(u, "revision")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(u, "reminded")->valueint, 0);
    assert_string_equal(str(u, "obligation_state"), "answered");
    u = unit_of(j, "court");
    assert_string_equal(str(u, "state"), "declined");
    assert_string_equal(str(u, "state_zh"), "不出席");
    u = unit_of(j, "audit");
    assert_string_equal(str(u, "state"), "unanswered");
    assert_string_equal(str(u, "state_zh"), "未答复");
    assert_int_equal(cJSON_GetObjectItem(u, "reminded")->valueint, 1);
    assert_string_equal(str(u, "obligation_state"), "overdue");
    assert_int_equal(cJSON_GetObjectItem(u, "overdue_days")->valueint, late);
    assert_true(acked(j, "audit"));
    assert_int_equal(cJSON_GetObjectItem(j, "confirmed")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(j, "declined")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(j, "unanswered")->valueint, 1);
    cJSON_Delete(j);
    /* The printed board says it in words. */
    assert_int_equal(op("convener", &t, "meeting", "attendance", "1", NULL), 0);
    assert_non_null(strstr(t, "王强，局长"));
    free(t);
    /* A member may not read the board, but sees the notice sent to its
     * unit, received, and its own reply. */
    assert_int_not_equal(op("police-liaison", NULL, "meeting", "attendance", "1", NULL), 0);
    assert_int_equal(op("police-liaison", &t, "sent", "--json", NULL), 0);
    j = json_of(t);
    free(t);
    assert_int_equal(cJSON_GetArraySize(j), 1);
    u = cJSON_GetArrayItem(j, 0);
    assert_string_equal(str(u, "kind"), "notice");
    assert_string_equal(str(u, "code"), "M-1");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(u, "units")), 1);
    u = cJSON_GetArrayItem(cJSON_GetObjectItem(u, "units"), 0);
    assert_string_equal(str(u, "unit"), "police");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(u, "received")));
    assert_string_equal(str(u, "state"), "confirmed");
    cJSON_Delete(j);

    /* The working day after the meeting: the reply nobody can give any more
     * is no longer owed, and no reminder goes out for it. */
    assert_int_equal(hub_stop(&C), 0);
    {
        lx_day after;
        int y, mo, d;
        long before = db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM hub_messages WHERE"
                              " kind = 1 AND unit = 'audit'");
        calendar_due(cal, meeting, 1, &after);
        days_to_civil(after, &y, &mo, &d);
        fake_now(shanghai_time(y, mo, d, 9, 0));
        assert_int_equal(hub_start(&C, 20000), 0);
        /* (The daily job runs as the hub's loop begins.) */
        assert_true(wait_db(&C, "hub/lianxi.db", "SELECT count(*) FROM obligations WHERE"
                            " kind = 4 AND unit = 'audit' AND closed_by = 'superseded'", 1,
                            20000) >= 1);
        j = board(1);
        assert_string_equal(str(unit_of(j, "audit"), "obligation_state"), "superseded");
        assert_string_equal(str(unit_of(j, "audit"), "state"), "unanswered");
        cJSON_Delete(j);
        assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM hub_messages WHERE"
                                 " kind = 1 AND unit = 'audit'"), before);
    }

    /* A meeting scheduled without --units notifies all nine member units. */
    assert_int_equal(op("convener", NULL, "meeting", "create", "--date", "2026-06-19", "--kind",
                        "annual", "--period", "2025-01-01..2025-12-31", NULL), 0);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM meeting_invitees WHERE"
                             " meeting = 2"), 9);
    j = board(2);
    assert_string_equal(str(j, "attendee"), "分管人事的副职");
    cJSON_Delete(j);

    assert_int_equal(hub_stop(&C), 0);
    unsetenv("LIANXI_FAKE_NOW");
    calendar_destroy(&cal);
    county_cleanup(&C);
}

/* The copy of unit u on the list of brief-copies. */
static cJSON *
copy_of(cJSON *copies, const char *u)
{
    cJSON *c;
    cJSON_ArrayForEach(c, copies)
        if (strcmp(str(c, "unit"), u) == 0)
            return c;
    fail_msg("no copy for %s", u);
    return NULL;
}

static cJSON *
copies(void)
{
    char *t = NULL;
    cJSON *j;

    assert_int_equal(op("convener", &t, "brief", "copies", "1", "--json", NULL), 0);
    j = json_of(t);
    free(t);
    return j;
}

/* Connects to the hub as unit u (its own keys), asks for bytes of the
 * document hex at offset 0, and returns the size the hub's AttachmentChunk
 * says (0: refused) with its data's length in *got; -1 when no answer came. */
static long long
fetch_as(const char *u, const char *hex, size_t *got)
{
    char cert[PATH_MAX], sign[PATH_MAX];
    uint8_t hub_pk[32], hash[ATT_HASHLEN];
    struct identity id;
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT, *in;
    Lianxi__AttachmentFetch q = LIANXI__ATTACHMENT_FETCH__INIT;
    void *ctx = zmq_ctx_new(), *sock;
    long long size = -1;
    int zero = 0;

    snprintf(cert, sizeof cert, "%s/units/%s/%s.cert_secret", C.dir, u, u);
    snprintf(sign, sizeof sign, "%s/units/%s/%s.sign_secret", C.dir, u, u);
    assert_int_equal(keys_load_identity(cert, sign, &id), 0);
    assert_int_equal(keys_load_public(cpath(&C, "hub/hub.cert"), hub_pk), 0);
    assert_int_equal(att_unhex(hex, hash), 0);
    sock = zmq_socket(ctx, ZMQ_DEALER);
    zmq_setsockopt(sock, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, hub_pk, 32);
    zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, id.curve_pk, 32);
    zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, id.curve_sk, 32);
    assert_int_equal(zmq_connect(sock, C.endpoint), 0);
    q.hash.data = hash;
    q.hash.len = ATT_HASHLEN;
    env.body_case = LIANXI__ENVELOPE__BODY_ATTACHMENT_FETCH;
    env.attachment_fetch = &q;
    assert_int_equal(wire_send(sock, NULL, 0, &env, 0), 0);
    /* The hub may hand this connection the unit's messages too: skipped. */
    for (;;) {
        zmq_pollitem_t it = { sock, 0, ZMQ_POLLIN, 0 };
        zmq_msg_t m;
        if (zmq_poll(&it, 1, 20000) <= 0)
            break;
        zmq_msg_init(&m);
        zmq_msg_recv(&m, sock, 0);
        in = wire_unpack(zmq_msg_data(&m), zmq_msg_size(&m));
        zmq_msg_close(&m);
        if (in && in->body_case == LIANXI__ENVELOPE__BODY_ATTACHMENT_CHUNK) {
            size = (long long)in->attachment_chunk->size;
            *got = in->attachment_chunk->data.len;
            wire_free(in);
            break;
        }
        wire_free(in);
    }
    zmq_close(sock);
    zmq_ctx_term(ctx);
    sodium_memzero(&id, sizeof id);
    return size;
}

static void
a_briefing_goes_to_each_unit_as_its_numbered_copy_and_is_recalled(void **state)
{
    const char *units[] = { "police", "court" };
    char path[PATH_MAX], copy[16], mine[PATH_MAX], *t = NULL;
    uint8_t h1[ATT_HASHLEN], h2[ATT_HASHLEN];
    uint64_t n1, n2;
    cJSON *j, *c;
    (void)state;

    assert_int_equal(county_init(&C), 0);
    fake_now(shanghai_time(2026, 3, 2, 10, 0));
    assert_int_equal(hub_start(&C, 20000), 0);
    assert_int_equal(op("convener", NULL, "meeting", "create", "--date", "2026-03-13", "--kind",
                        "adhoc", "--period", "2026-01-01..2026-02-28", "--secrecy", "recall",
                        "--units", "none", NULL), 0);
    /* Sending wants the full audience's briefing of a meeting. */
    assert_int_equal(op("convener", NULL, "brief", "1", "--audience", "leadership", "--send",
                        NULL), 64);
    assert_int_equal(op("supervisor", NULL, "brief", "1", "--audience", "full", "--send", NULL),
                     77);
    assert_int_equal(op("convener", &t, "brief", "1", "--audience", "full", "--send", NULL), 0);
    free(t);
    /* Once: a second send is refused. */
    assert_int_not_equal(op("convener", NULL, "brief", "1", "--audience", "full", "--send",
                            NULL), 0);

    /* One copy per member unit, numbered in the units' order. */
    j = copies();
    assert_int_equal(cJSON_GetArraySize(j), LX_NUNITS);
    for (int i = 0; i < LX_NUNITS; i++) {
        c = copy_of(j, lx_units[i].code);
        assert_int_equal(cJSON_GetObjectItem(c, "copy_no")->valueint, i + 1);
        assert_false(cJSON_IsTrue(cJSON_GetObjectItem(c, "received")));
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(c, "recall_after")));
    }
    cJSON_Delete(j);

    /* Two units' adapters come: each holds its copy, the operator's
     * document of that copy number byte for byte, and the hub knows. */
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        int no = 0;
        for (int i = 0; i < LX_NUNITS; i++)
            if (strcmp(lx_units[i].code, units[k]) == 0)
                no = i + 1;
        assert_int_equal(unit(units[k], NULL, "send", NULL, NULL, NULL), 0);
        assert_int_equal(unit(units[k], NULL, "send", NULL, NULL, NULL), 0);
        snprintf(path, sizeof path, "units/%s/notices", units[k]);
        snprintf(copy, sizeof copy, "份号%06d.docx", no);
        assert_int_equal(count_files(cpath(&C, path), ".docx", mine, sizeof mine), 1);
        assert_int_equal(count_files(cpath(&C, path), copy, NULL, 0), 1);
        snprintf(copy, sizeof copy, "%d", no);
        assert_int_equal(op("convener", NULL, "brief", "1", "--audience", "full", "--format",
                            "docx", "--copy", copy, "-o", cpath(&C, "copy.docx"), NULL), 0);
        assert_int_equal(att_hash_file(cpath(&C, "copy.docx"), h1, &n1), 0);
        assert_int_equal(att_hash_file(mine, h2, &n2), 0);
        assert_int_equal(n1, n2);
        assert_memory_equal(h1, h2, ATT_HASHLEN);
    }
    j = copies();
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(copy_of(j, "police"), "received")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(copy_of(j, "court"), "received")));
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(copy_of(j, "audit"), "received")));
    cJSON_Delete(j);
    /* A unit may fetch only what was sent to it: the court gets its own
     * copy's bytes and nothing of the police's. */
    {
        char police[ATT_HEXLEN + 1], court[ATT_HEXLEN + 1];
        size_t got = 0;
        j = copies();
        snprintf(police, sizeof police, "%s", str(cJSON_GetArrayItem(cJSON_GetObjectItem(
                 copy_of(j, "police"), "documents"), 0), "hash"));
        snprintf(court, sizeof court, "%s", str(cJSON_GetArrayItem(cJSON_GetObjectItem(
                 copy_of(j, "court"), "documents"), 0), "hash"));
        cJSON_Delete(j);
        assert_int_equal(fetch_as("court", police, &got), 0);
        assert_int_equal(got, 0);
        assert_true(fetch_as("court", court, &got) > 0);
        assert_true(got > 0);
    }

    /* After the meeting: recalled.  The adapters delete their copies and
     * confirm; a unit whose adapter never came has its recall pending. */
    assert_int_equal(op("convener", NULL, "brief", "recall", "1", NULL), 0);
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        assert_int_equal(unit(units[k], NULL, "send", NULL, NULL, NULL), 0);
        snprintf(path, sizeof path, "units/%s/notices", units[k]);
        assert_int_equal(count_files(cpath(&C, path), ".docx", NULL, 0), 0);
        assert_int_equal(count_files(cpath(&C, path), "收回", NULL, 0), 1);
    }
    /* A copy whose recall the unit confirmed is not given again. */
    {
        char court[ATT_HEXLEN + 1];
        size_t got = 1;
        assert_true(wait_db(&C, "hub/lianxi.db", "SELECT count(*) FROM hub_messages WHERE"
                            " kind = 7 AND unit = 'court' AND acked_at IS NOT NULL", 1,
                            20000) >= 1);
        j = copies();
        snprintf(court, sizeof court, "%s", str(cJSON_GetArrayItem(cJSON_GetObjectItem(
                 copy_of(j, "court"), "documents"), 0), "hash"));
        cJSON_Delete(j);
        assert_int_equal(fetch_as("court", court, &got), 0);
        assert_int_equal(got, 0);
    }
    /* The audit bureau comes only now: it gets its copy and the recall in
     * order, and holds nothing after. */
    {
        /* Its copy cannot be fetched this time (the hub's file is away):
         * the recall behind it is not kept before it either, so nothing
         * is kept and nothing acknowledged until the copy comes. */
        char hex[ATT_HEXLEN + 1], held[PATH_MAX], aside[PATH_MAX + 8];
        j = copies();
        snprintf(hex, sizeof hex, "%s", str(cJSON_GetArrayItem(cJSON_GetObjectItem(
                 copy_of(j, "audit"), "documents"), 0), "hash"));
        cJSON_Delete(j);
        snprintf(held, sizeof held, "%s/hub/attachments/%.2s/%s", C.dir, hex, hex);
        snprintf(aside, sizeof aside, "%s.away", held);
        assert_int_equal(rename(held, aside), 0);
        unit("audit", NULL, "send", NULL, NULL, NULL);
        assert_int_equal(count_files(cpath(&C, "units/audit/notices"), "收回", NULL, 0), 0);
        assert_int_equal(rename(aside, held), 0);
    }
    assert_int_equal(unit("audit", NULL, "send", NULL, NULL, NULL), 0);
    assert_int_equal(count_files(cpath(&C, "units/audit/notices"), ".docx", NULL, 0), 0);
    assert_int_equal(count_files(cpath(&C, "units/audit/notices"), "收回", NULL, 0), 1);
    j = copies();
    c = cJSON_GetObjectItem(copy_of(j, "police"), "recall");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(c, "confirmed")));
    c = cJSON_GetObjectItem(copy_of(j, "audit"), "recall");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(c, "confirmed")));
    c = cJSON_GetObjectItem(copy_of(j, "petitions"), "recall");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(c, "confirmed")));
    cJSON_Delete(j);
    /* A meeting not marked for recall cannot be recalled. */
    assert_int_equal(op("convener", NULL, "meeting", "create", "--date", "2026-03-20", "--kind",
                        "adhoc", "--period", "2026-01-01..2026-02-28", "--units", "none", NULL),
                     0);
    assert_int_equal(op("convener", NULL, "brief", "recall", "2", NULL), 65);

    assert_int_equal(hub_stop(&C), 0);
    unsetenv("LIANXI_FAKE_NOW");
    county_cleanup(&C);
}

static void
a_circular_with_a_document_reaches_the_units_chosen_once(void **state)
{
    char pdf[PATH_MAX], got[PATH_MAX], *t = NULL, *a, *b;
    size_t na, nb;
    cJSON *j, *u;
    FILE *f;
    (void)state;

    assert_int_equal(county_init(&C), 0);
    assert_int_equal(hub_start(&C, 20000), 0);
    /* A document of more than two pieces (49152 bytes each). */
    snprintf(pdf, sizeof pdf, "%s/情况通报.pdf", C.dir);
    assert_non_null(f = fopen(pdf, "w"));
    fputs("%PDF-1.4\n", f);
    for (int i = 0; i < 120000; i++)
        fputc("0123456789abcdef\n"[i % 17], f);
    fclose(f);
    /* A file that is not what its name says is refused. */
    {
        char fake[PATH_MAX];
        snprintf(fake, sizeof fake, "%s/假的.pdf", C.dir);
        assert_non_null(f = fopen(fake, "w"));
        fputs("not a pdf", f);
        fclose(f);
        assert_int_equal(op("supervisor", NULL, "circular", "--title", "x", "--text", "y",
                            "--documents", fake, NULL), 65);
    }
    /* Two documents of one name (from two folders), or one document
     * twice, are refused: at a unit each is a file of its own name in
     * notices/, and the second would overwrite the first. */
    {
        char dir2[PATH_MAX], same[PATH_MAX];
        snprintf(dir2, sizeof dir2, "%s/另一份", C.dir);
        assert_int_equal(mkdir(dir2, 0700), 0);
        snprintf(same, sizeof same, "%s/情况通报.pdf", dir2);
        assert_non_null(f = fopen(same, "w"));
        fputs("%PDF-1.4\nanother document of the same name\n", f);
        fclose(f);
        assert_int_equal(op("supervisor", &t, "circular", "--title", "x", "--text", "y",
                            "--documents", pdf, "--documents", same, NULL), 64);
        free(t);
        t = NULL;
        assert_int_equal(op("supervisor", NULL, "circular", "--title", "x", "--text", "y",
                            "--documents", pdf, "--documents", pdf, NULL), 64);
    }
    assert_int_equal(op("supervisor", &t, "circular", "--title", "关于<某>问题的通报", "--text",
                        "各成员单位：\n现将有关情况通报如下。", "--units", "police,court",
                        "--documents", pdf, NULL), 0);
    assert_non_null(strstr(t, "第 1 号通报"));
    free(t);
    /* Delivered once to each unit chosen, its document byte for byte. */
    assert_int_equal(unit("police", NULL, "send", NULL, NULL, NULL), 0);
    assert_int_equal(unit("police", NULL, "send", NULL, NULL, NULL), 0);
    assert_int_equal(count_files(cpath(&C, "units/police/notices"), "通报.txt", NULL, 0), 1);
    assert_int_equal(count_files(cpath(&C, "units/police/notices"), "情况通报.pdf", got,
                                 sizeof got), 1);
    assert_non_null(a = files_read(pdf, &na));
    assert_non_null(b = files_read(got, &nb));
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
    assert_int_equal(unit("audit", NULL, "send", NULL, NULL, NULL), 0);
    assert_int_equal(count_files(cpath(&C, "units/audit/notices"), "通报", NULL, 0), 0);
    /* Who received it; a member sees only what was sent to its unit. */
    assert_int_equal(op("supervisor", &t, "sent", "--json", NULL), 0);
    j = json_of(t);
    free(t);
    assert_int_equal(cJSON_GetArraySize(j), 1);
    cJSON_ArrayForEach(u, cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "units")) {
        int want = strcmp(str(u, "unit"), "police") == 0;
        assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItem(u, "received")), want);
    }
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0),
                                                             "units")), 2);
    cJSON_Delete(j);
    assert_int_equal(op("police-liaison", &t, "sent", "--json", NULL), 0);
    j = json_of(t);
    free(t);
    assert_int_equal(cJSON_GetArraySize(j), 1);
    assert_string_equal(str(cJSON_GetArrayItem(j, 0), "title"), "关于<某>问题的通报");
    cJSON_Delete(j);
    assert_int_equal(op("auditor", NULL, "sent", NULL), 77);
    assert_int_equal(hub_stop(&C), 0);
    county_cleanup(&C);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_notice_reaches_offline_units_once_and_the_board_shows_the_replies),
        cmocka_unit_test(a_briefing_goes_to_each_unit_as_its_numbered_copy_and_is_recalled),
        cmocka_unit_test(a_circular_with_a_document_reaches_the_units_chosen_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
