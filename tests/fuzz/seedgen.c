/* seedgen.c — writes the seed messages of the intake and control targets:
 *   seedgen intake DIR    filings of every stage (signed with the test unit
 *                         key of fuzz_keys_common.h), a heartbeat, an ack,
 *                         a version-1 filing, a filing with a bad signature
 *   seedgen control DIR   one request of every command of the operators'
 *                         table (opcmd.h), for each of the four roles
 * Run by `make fuzz`; writes only into DIR. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "fuzz_keys_common.h"
#include "opcmd.h"
#include "wire.h"

static const char *dir;
static int nseeds;

static void
put(Lianxi__Envelope *env, const char *name)
{
    uint8_t *buf;
    long n = wire_pack(env, &buf);
    char path[1024];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || !(f = fopen(path, "wb")) || fwrite(buf, 1, (size_t)n, f) != (size_t)n ||
        fclose(f) != 0) {
        fprintf(stderr, "seedgen: cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
    free(buf);
    nseeds++;
}

static void
intake(void)
{
    static const struct {
        const char *name, *id, *category, *answers, *idno;
        Lianxi__Stage stage;
        int real_name, version, bad_sig;
        Lianxi__Scope scope;
    } s[] = {
        { "notice", "police:GA2026001:notice:441623196509184197", "police.drunk_driving", NULL, "441623196509184197",
          LIANXI__STAGE__STAGE_NOTICE, 0, 2, 0, LIANXI__SCOPE__SCOPE_ORGANS },
        { "report", "police:GA2026001:report:441623196509184197", "police.drunk_driving", "OB-1", "441623196509184197",
          LIANXI__STAGE__STAGE_REPORT, 1, 2, 0, LIANXI__SCOPE__SCOPE_PUBLIC },
        { "supplement", "police:GA2026001:supplement:441623196811121314", "police.gambling", "OB-2", "441623196811121314",
          LIANXI__STAGE__STAGE_SUPPLEMENT, 0, 2, 0, LIANXI__SCOPE__SCOPE_LEADERSHIP },
        { "v1", "police:GA2026002:report:441623196904103991", "police.drugs", NULL, "441623196904103991",
          LIANXI__STAGE__STAGE_REPORT, 0, 1, 0, LIANXI__SCOPE__SCOPE_SPECIFIC },
        { "badsig", "police:GA2026003:report:441623196904103991", "police.gambling", NULL, "441623196904103991",
          LIANXI__STAGE__STAGE_REPORT, 0, 2, 1, LIANXI__SCOPE__SCOPE_ORGANS },
        { "classified", "police:GA2026004:report:441623196904103991", "court.criminal_judgment", NULL, "441623196904103991",
          LIANXI__STAGE__STAGE_REPORT, 0, 2, 0, LIANXI__SCOPE__SCOPE_CLASSIFIED },
    };
    uint8_t pk[32], sk[64];

    fuzz_unit_keypair(pk, sk);
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
        Lianxi__Filing f = LIANXI__FILING__INIT;
        Lianxi__Cadre c = LIANXI__CADRE__INIT;
        char name[64];

        c.name = (char *)"温丽萍";
        c.id_number = (char *)s[i].idno;
        c.work_unit = (char *)"县交通运输局";
        c.post = (char *)"党组成员、副局长";
        c.rank = LIANXI__RANK__RANK_DEPUTY_SECTION;
        f.unit = (char *)"police";
        f.filing_id = (char *)s[i].id;
        f.revision = 1 + (uint32_t)i % 2;
        f.stage = s[i].stage;
        f.category = (char *)s[i].category;
        f.cadre = &c;
        f.learned_on = (char *)"2026-11-02";
        f.summary = (char *)"醉酒驾驶机动车，血液酒精含量 152mg/100ml，已依法处理。";
        f.scope = s[i].scope;
        f.case_ref = (char *)"GA2026001";
        f.queued_at = 1795800000;
        f.answers = (char *)s[i].answers;
        f.real_name = s[i].real_name;
        if (canon_sign(&f, sk) < 0)
            exit(1);
        if (s[i].bad_sig)
            f.signature.data[7] ^= 1;
        env.body_case = LIANXI__ENVELOPE__BODY_FILING;
        env.filing = &f;
        put(&env, (snprintf(name, sizeof name, "filing-%s", s[i].name), name));
        if (s[i].version == 1) {
            /* wire_pack sets the current version: write one by hand. */
            env.version = 1;
            uint8_t buf[4096];
            size_t n = lianxi__envelope__pack(&env, buf);
            char path[1024];
            FILE *fp;
            snprintf(path, sizeof path, "%s/filing-protocol1", dir);
            if (!(fp = fopen(path, "wb")) || fwrite(buf, 1, n, fp) != n || fclose(fp) != 0)
                exit(1);
        }
        free(f.signature.data);
    }
    {
        Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
        Lianxi__Heartbeat hb = LIANXI__HEARTBEAT__INIT;
        Lianxi__HubMessageAck ack = LIANXI__HUB_MESSAGE_ACK__INIT;
        hb.sent_at = 1795800000;
        env.body_case = LIANXI__ENVELOPE__BODY_HEARTBEAT;
        env.heartbeat = &hb;
        put(&env, "heartbeat");
        ack.id = 3;
        env.body_case = LIANXI__ENVELOPE__BODY_HUB_MESSAGE_ACK;
        env.hub_message_ack = &ack;
        put(&env, "ack");
    }
}

/* A plausible value for a parameter. */
static const char *
value_of(const struct opcmd_param *p, char *buf, size_t len)
{
    switch (p->type) {
    case OPT_DATE:
        return strcmp(p->name, "to") == 0 || strcmp(p->name, "until") == 0 ? "2026-11-30"
                                                                            : "2026-10-01";
    case OPT_INT:
        snprintf(buf, len, "%ld", p->min > 1 ? p->min : 1);
        return buf;
    case OPT_ENUM:
        snprintf(buf, len, "%.*s", (int)strcspn(p->values, "|"), p->values);
        return buf;
    case OPT_FLAG:
        return "1";
    case OPT_UNIT:
        return "police";
    case OPT_CATEGORY:
        return "police.drunk_driving";
    case OPT_TEXT:
    default:
        if (strcmp(p->name, "id") == 0)
            return "police:GA2026001:report:441623198907063082";
        if (strcmp(p->name, "id_number") == 0)
            return "441623198907063082";
        if (strcmp(p->name, "name") == 0)
            return "温";
        return "请补充处理结果。";
    }
}

static void
control(void)
{
    for (size_t i = 0; i < opcmd_count; i++) {
        const struct opcmd *c = &opcmd_table[i];
        for (uint64_t role = 0; role < 4; role++) {
            Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
            Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
            Lianxi__OpRequest__ParamsEntry ent[OPCMD_MAX_PARAMS], *pe[OPCMD_MAX_PARAMS];
            char vals[OPCMD_MAX_PARAMS][64], name[128];
            size_t n = 0;

            for (int k = 0; k < OPCMD_MAX_PARAMS && c->params[k].name; k++) {
                lianxi__op_request__params_entry__init(&ent[n]);
                ent[n].key = (char *)c->params[k].name;
                ent[n].value = (char *)value_of(&c->params[k], vals[n], sizeof vals[n]);
                pe[n] = &ent[n];
                n++;
            }
            req.request_id = 1000 + role;
            req.command = (char *)c->name;
            req.n_params = n;
            req.params = pe;
            env.body_case = LIANXI__ENVELOPE__BODY_OP_REQUEST;
            env.op_request = &req;
            snprintf(name, sizeof name, "%s-%d", c->name, (int)role);
            put(&env, name);
        }
    }
}

int
main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "intake") && strcmp(argv[1], "control"))) {
        fprintf(stderr, "usage: seedgen intake|control DIR\n");
        return 2;
    }
    dir = argv[2];
    if (sodium_init() < 0)
        return 1;
    if (strcmp(argv[1], "intake") == 0)
        intake();
    else
        control();
    printf("seedgen: %d %s seeds in %s\n", nseeds, argv[1], dir);
    return 0;
}
