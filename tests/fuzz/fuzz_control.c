/* fuzz_control.c — one request on the hub's control socket, down to the
 * database: the bytes are the Envelope an operator's client sends, taken
 * as the hub's control path takes it (wire_unpack, the version and body
 * checks, control_handle: the command table's role and parameter checks,
 * the handler's queries and writes, the audit entry of every request).
 *
 * Once, a hub store in the temp directory holds a few filings (taken
 * through intake, signed with the police unit's test key) and one
 * operator key; the request's request_id picks the operator's role
 * (supervisor, convener, auditor, member:police), so that every command is
 * reached by some input.  A command the hub runs off its loop (a briefing,
 * an export) is checked and queued only: the job is not run.  The store is
 * made again every RESET_EVERY requests, so that the audit trail a request
 * reads or verifies stays small. */
#include "fuzz.h"
#include "fuzz_keys_common.h"

#include "audit.h"
#include "calendar.h"
#include "categories.h"
#include "control.h"
#include "intake.h"
#include "text.h"
#include "wire.h"

#define RESET_EVERY 5000

static const char *const roles[] = { "supervisor", "convener", "auditor", "member:police" };
static struct key_entry ops[4];
static calendar_t *cal;
static categories_t *cats;
static store_t *store;
static audit_t *audit;
static uint8_t hub_pk[32], hub_sk[64], unit_pk[32], unit_sk[64];
static long served;

/* Three filings of the police unit, as its adapter sends them. */
static void
file_some(void)
{
    static const struct {
        const char *id, *case_ref, *idno, *name, *category, *learned;
        Lianxi__Stage stage;
    } fl[] = {
        { "police:GA2026001:notice:441623198907063082", "GA2026001", "441623198907063082", "温丽萍",
          "police.drunk_driving", "2026-11-02", LIANXI__STAGE__STAGE_NOTICE },
        { "police:GA2026001:report:441623198907063082", "GA2026001", "441623198907063082", "温丽萍",
          "police.drunk_driving", "2026-11-02", LIANXI__STAGE__STAGE_REPORT },
        { "police:GA2026002:report:441623196509184197", "GA2026002", "441623196509184197", "李四",
          "police.gambling", "2026-10-09", LIANXI__STAGE__STAGE_REPORT },
    };
    struct key_entry unit = { .kind = KEY_UNIT, .has_sign = 1 };
    struct intake_item items[3];
    struct intake_ctx ic = { store, audit, cal, cats, NULL, NULL, NULL, NULL, ATT_LIMITS_DEFAULT, 0 };

    memcpy(unit.sign_pk, unit_pk, 32);
    snprintf(unit.name, sizeof unit.name, "police");
    snprintf(unit.user_id, sizeof unit.user_id, "unit:police:fuzz");
    memset(items, 0, sizeof items);
    for (size_t i = 0; i < 3; i++) {
        Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
        Lianxi__Filing f = LIANXI__FILING__INIT;
        Lianxi__Cadre c = LIANXI__CADRE__INIT;
        uint8_t *buf;
        long n;

        c.name = (char *)fl[i].name;
        c.id_number = (char *)fl[i].idno;
        c.work_unit = (char *)"县交通运输局";
        c.post = (char *)"副局长";
        c.rank = LIANXI__RANK__RANK_DEPUTY_SECTION;
        f.unit = (char *)"police";
        f.filing_id = (char *)fl[i].id;
        f.revision = 1;
        f.stage = fl[i].stage;
        f.category = (char *)fl[i].category;
        f.cadre = &c;
        f.learned_on = (char *)fl[i].learned;
        f.summary = (char *)"醉酒驾驶机动车，已依法处理。";
        f.scope = LIANXI__SCOPE__SCOPE_ORGANS;
        f.case_ref = (char *)fl[i].case_ref;
        f.queued_at = FUZZ_NOW - 86400;
        if (canon_sign(&f, unit_sk) < 0)
            abort();
        env.body_case = LIANXI__ENVELOPE__BODY_FILING;
        env.filing = &f;
        if ((n = wire_pack(&env, &buf)) < 0)
            abort();
        intake_parse(&items[i], &unit, buf, (size_t)n, 2, cats, FUZZ_NOW);
        intake_verify(items, i);
        free(buf);
        free(f.signature.data);
    }
    if (intake_store(&ic, items, 3, FUZZ_NOW) < 0)
        abort();
    for (size_t i = 0; i < 3; i++) {
        if (items[i].reply != REPLY_RECEIPT) {
            fprintf(stderr, "fuzz_control: filing %zu refused: %s\n", i, items[i].detail);
            abort();
        }
        wire_free(items[i].env);
    }
}

/* The number of the newest audit entry. */
static int64_t
trail_head(void)
{
    sqlite3_stmt *st = store_stmt(store, "SELECT coalesce(max(rowid), 0) FROM audit_log");
    int64_t n = -1;

    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    store_done(st);
    return n;
}

/* The audit trail's chain and checkpoints still verify. */
static void
audit_still_verifies(void)
{
    struct audit_verdict v;

    if (audit_verify(store, hub_pk, NULL, 0, &v) < 0 || !v.ok) {
        fprintf(stderr, "fuzz_control: the audit trail no longer verifies: %s\n", v.why);
        abort();
    }
}

/* A new store, in a folder of its own (the hub remembers its database's
 * identity in its run folder, and refuses a database that went away). */
static void
open_store(void)
{
    static int generation;
    char dir[400], path[512];

    if (store)
        audit_still_verifies();
    audit_destroy(&audit);
    store_close(&store);
    if (generation) {
        snprintf(dir, sizeof dir, "%s/gen%d", fuzz_dir, generation);
        fuzz_rm_tree(dir, 1);
    }
    snprintf(dir, sizeof dir, "%s/gen%d", fuzz_dir, ++generation);
    snprintf(path, sizeof path, "%s/hub.db", dir);
    if (mkdir(dir, 0700) < 0 || !(store = store_open(path, dir)) ||
        !(audit = audit_new(store))) {
        fprintf(stderr, "fuzz_control: cannot open a store in %s\n", dir);
        abort();
    }
    file_some();
}

static void
close_all(void)
{
    audit_destroy(&audit);
    store_close(&store);
    calendar_destroy(&cal);
    categories_destroy(&cats);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup("control");
    if (sodium_init() < 0 ||
        !(cats = categories_load(LX_SRC_DATADIR "/categories.tsv")) ||
        !(cal = calendar_load(LX_SRC_DATADIR "/calendar/cn-holidays.tsv")))
        abort();
    fuzz_hub_keypair(hub_pk, hub_sk);
    fuzz_unit_keypair(unit_pk, unit_sk);
    for (size_t i = 0; i < 4; i++) {
        ops[i].kind = KEY_OPERATOR;
        snprintf(ops[i].name, sizeof ops[i].name, "op%zu", i);
        snprintf(ops[i].role, sizeof ops[i].role, "%s", roles[i]);
        snprintf(ops[i].user_id, sizeof ops[i].user_id, "operator:op%zu:fuzz", i);
    }
    open_store();
    atexit(close_all);      /* before the temp directory goes (atexit is LIFO) */
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct control_ctx cc = { .sign_pk = hub_pk, .sign_sk = hub_sk };
    struct control_reply out;
    struct control_job job;
    Lianxi__Envelope *in;
    int64_t head;

    if (size > LX_MAX_MSG)
        return -1;
    if (++served % RESET_EVERY == 0)
        open_store();
    cc.store = store;
    cc.audit = audit;
    cc.cal = cal;
    cc.cats = cats;
    /* As control_one (src/hub/main.c): what is not an operator request of
     * a protocol the hub takes is answered without the table. */
    in = wire_unpack(data, size);
    if (!in || in->version < LX_PROTOCOL_OLDEST || in->version > LX_PROTOCOL_VERSION ||
        in->body_case != LIANXI__ENVELOPE__BODY_OP_REQUEST) {
        wire_free(in);
        return 0;
    }
    memset(&out, 0, sizeof out);
    head = trail_head();
    /* Every request answered is on the record (a document made off the
     * loop is recorded when it is handed out). */
    if (control_handle(&cc, &ops[in->op_request->request_id % 4], in->op_request, &out,
                       &job) == CONTROL_ANSWERED && trail_head() <= head) {
        fprintf(stderr, "fuzz_control: a request answered without an audit entry: %s\n",
                out.rep.error ? out.rep.error : "(ok)");
        abort();
    }
    if (served % 1000 == 0)
        audit_still_verifies();
    if (out.rep.error && !text_utf8_valid(out.rep.error, strlen(out.rep.error))) {
        fprintf(stderr, "fuzz_control: an error that is not UTF-8: %s\n", out.rep.error);
        abort();
    }
    control_reply_free(&out);
    wire_free(in);
    return 0;
}
