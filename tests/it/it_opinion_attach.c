/* it_opinion_attach.c — a unit's opinion on a joint review (任前联审) carries
 * a document, on the real hub, the lianxi command and two units' adapters:
 * discipline replies with a PDF made here (reply --attach; a file that
 * is not what its name says is refused before anything is queued), its receipt
 * names the PDF's hash, review-request show lists it, the supervision group
 * fetches it back byte for byte (one entry of the audit trail), and the
 * police's member may not; the police's own opinion's document is its
 * member's to fetch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "harness.h"
#include "idnum.h"

#define HASHLEN 32

static struct county C;

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

/* lianxi as operator who, with args (NULL-terminated, at most 8). */
static int
op(const char *who, char **text, const char *const *args)
{
    char conf[PATH_MAX];
    const char *argv[12] = { "lianxi", "-c", conf };
    int n = 3;

    snprintf(conf, sizeof conf, "%s/operators/%s/operator.conf", C.dir, who);
    while (*args && n < 11)
        argv[n++] = *args++;
    argv[n] = NULL;
    return run(text, argv);
}

/* unit's adapter with args (NULL-terminated, at most 8). */
static int
unit(const char *u, char **text, const char *const *args)
{
    char conf[PATH_MAX], prog[64];
    const char *argv[14] = { prog, "-c", conf, "--wait", "60" };
    int n = 5;

    snprintf(conf, sizeof conf, "%s/units/%s/adapter.conf", C.dir, u);
    snprintf(prog, sizeof prog, "lianxi-adapter-%s", u);
    while (*args && n < 13)
        argv[n++] = *args++;
    argv[n] = NULL;
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

/* Writes a PDF of n bytes ("%PDF-1.4" then random) at path; its hash,
 * in hex, into hex. */
static void
make_pdf(const char *path, size_t n, char hex[2 * HASHLEN + 1])
{
    uint8_t *buf = malloc(n), h[HASHLEN];
    FILE *f = fopen(path, "w");

    assert_non_null(buf);
    assert_non_null(f);
    randombytes_buf(buf, n);
    memcpy(buf, "%PDF-1.4", 8);
    crypto_generichash(h, HASHLEN, buf, n, NULL, 0);
    assert_int_equal(fwrite(buf, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    free(buf);
    sodium_bin2hex(hex, 2 * HASHLEN + 1, h, HASHLEN);
}

/* BLAKE2b-256 of a file in hex ("" when it cannot be read). */
static void
hex_of(const char *path, char hex[2 * HASHLEN + 1])
{
    size_t len = 0;
    char *b = files_read(path, &len);
    uint8_t h[HASHLEN];

    hex[0] = '\0';
    if (!b)
        return;
    crypto_generichash(h, HASHLEN, (const uint8_t *)b, len, NULL, 0);
    sodium_bin2hex(hex, 2 * HASHLEN + 1, h, HASHLEN);
    free(b);
}

static cJSON *
json_of(const char *text)
{
    const char *s = strchr(text, '{');
    cJSON *j = s ? cJSON_Parse(s) : NULL;
    if (!j)
        fail_msg("not JSON: %s", text);
    return j;
}

static const char *
str(const cJSON *o, const char *k)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, k));
    return s ? s : "";
}

/* The opinion of u (its latest revision) in a summary. */
static const cJSON *
opinion_of(const cJSON *sum, const char *u)
{
    const cJSON *o, *found = NULL;
    cJSON_ArrayForEach(o, cJSON_GetObjectItem(sum, "opinions"))
        if (strcmp(str(o, "unit"), u) == 0)
            found = o;
    return found;
}

/* The trail's read:attachment entries naming hex, by the auditor. */
static int
fetches_recorded(const char *hex)
{
    const char *args[] = { "audit", "log", "--action", "read:attachment", "--json", NULL };
    char *text;
    cJSON *j, *e;
    int n = 0;

    assert_int_equal(op("auditor", &text, args), 0);
    assert_non_null(j = cJSON_Parse(strchr(text, '[') ? strchr(text, '[') : text));
    free(text);
    cJSON_ArrayForEach(e, j) {
        const char *d = cJSON_GetStringValue(cJSON_GetObjectItem(e, "detail"));
        n += d && strstr(d, hex) != NULL;
    }
    cJSON_Delete(j);
    return n;
}

static void
an_opinion_carries_a_document_the_group_fetches_and_another_unit_may_not(void **state)
{
    char idn[19] = "44162319851208185", cands[512], reply[256], pdf[PATH_MAX], ppdf[PATH_MAX];
    char hex[2 * HASHLEN + 1], phex[2 * HASHLEN + 1], got[2 * HASHLEN + 1], out[PATH_MAX];
    char receipt[24], preceipt[24], *t = NULL;
    const cJSON *o, *a;
    cJSON *j;
    size_t size = 150000 + randombytes_uniform(5000), psize = 70000 + randombytes_uniform(500);
    (void)state;

    assert_int_equal(sodium_init() < 0, 0);
    idn[17] = idnum_check_char(idn);
    idn[18] = '\0';
    assert_int_equal(county_init(&C), 0);
    assert_int_equal(hub_start(&C, 20000), 0);
    snprintf(cands, sizeof cands, "姓名,公民身份号码,工作单位,现任职务,拟任职务\n"
             "杨志明,%s,县教育局,科长,副局长\n", idn);
    {
        const char *args[] = { "review-request", "create", "--candidates",
                               write_file("candidates.csv", cands), "--units",
                               "discipline,police", "--title", "拟提拔干部", NULL };
        assert_int_equal(op("supervisor", NULL, args), 0);
    }

    /* Discipline answers with the decision as a PDF. */
    {
        const char *args[] = { "send", NULL };
        assert_int_equal(unit("discipline", NULL, args), 0);
        assert_int_equal(unit("police", NULL, args), 0);
    }
    snprintf(reply, sizeof reply, "公民身份号码,意见,情况说明,预计答复日期\n%s,有,诫勉谈话一次,\n",
             idn);
    /* A document that is not what its name says is refused at once:
     * nothing queued, nothing sent. */
    {
        const char *args[] = { "reply", "REQ-1", write_file("d.csv", reply), "--attach",
                               write_file("fake.pdf", "not a PDF at all\n"), NULL };
        assert_int_equal(unit("discipline", &t, args), 65);
        assert_non_null(strstr(t, "fake.pdf"));
        free(t);
        assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM opinions"), 0);
    }
    snprintf(pdf, sizeof pdf, "%s/诫勉谈话决定.pdf", C.dir);
    make_pdf(pdf, size, hex);
    {
        const char *args[] = { "reply", "REQ-1", write_file("d.csv", reply), "--attach", pdf,
                               NULL };
        assert_int_equal(unit("discipline", &t, args), 0);
    }
    /* Its receipt names the hash of the bytes made here. */
    assert_non_null(strstr(t, hex));
    free(t);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM opinions"), 1);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM opinion_attachments"), 1);
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT count(*) FROM attachment_uploads"), 0);

    /* The police answers with its own document. */
    snprintf(ppdf, sizeof ppdf, "%s/police.pdf", C.dir);
    make_pdf(ppdf, psize, phex);
    {
        const char *args[] = { "reply", "REQ-1", write_file("p.csv", reply), "--attach", ppdf,
                               NULL };
        assert_int_equal(unit("police", &t, args), 0);
        assert_non_null(strstr(t, phex));
        free(t);
    }

    /* review-request show --json lists each opinion's documents. */
    {
        const char *args[] = { "review-request", "show", "REQ-1", "--json", NULL };
        assert_int_equal(op("supervisor", &t, args), 0);
    }
    j = json_of(t);
    free(t);
    assert_non_null(o = opinion_of(j, "discipline"));
    snprintf(receipt, sizeof receipt, "%s", str(o, "receipt_no"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "attachments")), 1);
    a = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "attachments"), 0);
    assert_string_equal(str(a, "name"), "诫勉谈话决定.pdf");
    assert_string_equal(str(a, "blake2b"), hex);
    assert_string_equal(str(a, "media_type"), "application/pdf");
    assert_int_equal((size_t)cJSON_GetNumberValue(cJSON_GetObjectItem(a, "size")), size);
    assert_non_null(o = opinion_of(j, "police"));
    snprintf(preceipt, sizeof preceipt, "%s", str(o, "receipt_no"));
    assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "attachments"), 0),
                            "blake2b"), phex);
    assert_string_not_equal(receipt, preceipt);
    cJSON_Delete(j);
    /* And the text: the name, its size and hash, under its receipt. */
    {
        const char *args[] = { "review-request", "show", "REQ-1", NULL };
        char sz[32];
        assert_int_equal(op("supervisor", &t, args), 0);
        snprintf(sz, sizeof sz, "%zu", size);
        assert_non_null(strstr(t, "诫勉谈话决定.pdf"));
        assert_non_null(strstr(t, hex));
        assert_non_null(strstr(t, sz));
        assert_non_null(strstr(t, receipt));
        free(t);
    }
    /* The 汇总表 lists each unit's documents after the opinions: a row per
     * document, with the unit's name and its opinion's receipt. */
    {
        const char *args[] = { "review-request", "show", "REQ-1", "--format", "md", NULL };
        const char *table, *row;
        char line[1024];
        assert_int_equal(op("supervisor", &t, args), 0);
        assert_non_null(table = strstr(t, "各单位随意见报送的材料"));
        assert_non_null(row = strstr(table, "诫勉谈话决定.pdf"));
        while (row > table && row[-1] != '\n')
            row--;
        snprintf(line, sizeof line, "%.*s", (int)strcspn(row, "\n"), row);
        assert_non_null(strstr(line, receipt));
        assert_non_null(strstr(line, "PDF"));
        assert_non_null(row = strstr(table, "police.pdf"));
        while (row > table && row[-1] != '\n')
            row--;
        snprintf(line, sizeof line, "%.*s", (int)strcspn(row, "\n"), row);
        assert_non_null(strstr(line, preceipt));
        free(t);
    }
    /* A member's show lists its own unit's documents only. */
    {
        const char *args[] = { "review-request", "show", "REQ-1", "--json", NULL };
        assert_int_equal(op("police-liaison", &t, args), 0);
        assert_null(strstr(t, hex));
        assert_non_null(strstr(t, phex));
        free(t);
    }

    /* The supervision group fetches it: the bytes made here, one entry of
     * the trail. */
    snprintf(out, sizeof out, "%s/fetched.pdf", C.dir);
    {
        int before = fetches_recorded(hex);
        const char *args[] = { "attachment", receipt, "1", "-o", out, NULL };
        assert_int_equal(op("supervisor", &t, args), 0);
        free(t);
        hex_of(out, got);
        assert_string_equal(got, hex);
        assert_int_equal(fetches_recorded(hex), before + 1);
        unlink(out);
    }
    /* The police's member may not fetch discipline's (not found, as any
     * other unit's receipt), and nothing is written; its own it may. */
    {
        const char *args[] = { "attachment", receipt, "1", "-o", out, NULL };
        assert_int_equal(op("police-liaison", &t, args), 77);
        assert_non_null(strstr(t, receipt));
        free(t);
        assert_int_not_equal(access(out, F_OK), 0);
        const char *own[] = { "attachment", preceipt, "1", "-o", out, NULL };
        assert_int_equal(op("police-liaison", NULL, own), 0);
        hex_of(out, got);
        assert_string_equal(got, phex);
    }

    assert_int_equal(hub_stop(&C), 0);
    county_cleanup(&C);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_opinion_carries_a_document_the_group_fetches_and_another_unit_may_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
