/* test_control.c — the operators' requests without the socket
 * (control_handle): what a refusal says. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "categories.h"
#include "control.h"
#include "store.h"
#include "text.h"
#include "tmpdir.h"

static struct tmp *tmp;
static store_t *store;
static audit_t *audit;
static categories_t *cats;

static int
setup(void **state)
{
    (void)state;
    return tmp_make((void **)&tmp, "control", "hub.db") < 0 ||
                   !(store = store_open(tmp->path, tmp->dir)) || !(audit = audit_new(store)) ||
                   !(cats = categories_load("deploy/categories.tsv"))
               ? -1 : 0;
}

static int
teardown(void **state)
{
    (void)state;
    categories_destroy(&cats);
    audit_destroy(&audit);
    store_close(&store);
    /* What the store keeps beside the database (tmp_teardown removes the
     * database and the directory). */
    char p[160];
    snprintf(p, sizeof p, "%s/database.identity", tmp->dir);
    unlink(p);
    void *t = tmp;
    return tmp_teardown(&t);
}

/* The reply to `filings --KEY VALUE` from a supervisor: a refusal, whose
 * sentence is returned (static). */
static const char *
refusal(const char *key, const char *value)
{
    static char error[1024];
    struct control_ctx c = { store, audit, NULL, cats, NULL, NULL, NULL };
    struct key_entry op = { .kind = KEY_OPERATOR };
    Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
    Lianxi__OpRequest__ParamsEntry p = LIANXI__OP_REQUEST__PARAMS_ENTRY__INIT, *pp = &p;
    struct control_reply out;
    struct control_job job;

    snprintf(op.name, sizeof op.name, "wang");
    snprintf(op.role, sizeof op.role, "supervisor");
    snprintf(op.user_id, sizeof op.user_id, "op:wang:test");
    p.key = (char *)key;
    p.value = (char *)value;
    req.request_id = 7;
    req.command = (char *)"filings";
    req.n_params = 1;
    req.params = &pp;
    memset(&out, 0, sizeof out);
    assert_int_equal(control_handle(&c, &op, &req, &out, &job), CONTROL_ANSWERED);
    assert_false(out.rep.ok);
    assert_int_equal(out.rep.error_kind, LIANXI__OP_ERROR__OP_ERROR_USAGE);
    snprintf(error, sizeof error, "%s", out.rep.error);
    control_reply_free(&out);
    return error;
}

/* A refused value is echoed: the reply is valid UTF-8 even when the value
 * is not, or is cut inside a character (found by tests/fuzz/fuzz_control,
 * tests/fuzz/regress/fuzz_control/category-not-utf8). */
static void
a_refusal_echoing_bytes_that_are_not_utf8_is_utf8(void **state)
{
    const char *e;
    (void)state;

    e = refusal("category", "police.drunk_drivi\xf0g");
    assert_true(text_utf8_valid(e, strlen(e)));
    assert_non_null(strstr(e, "'police.drunk_drivi?g'"));
    /* 14 characters of 3 bytes: the echo stops at 40 bytes, inside one. */
    e = refusal("unit", "县公安局县公安局县公安局县公");
    assert_true(text_utf8_valid(e, strlen(e)));
    e = refusal("since", "２０２６年十一月二十二日以来的全部备案");
    assert_true(text_utf8_valid(e, strlen(e)));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_refusal_echoing_bytes_that_are_not_utf8_is_utf8,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
