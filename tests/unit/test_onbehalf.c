/* test_onbehalf.c — the console acts only on behalf of an operator named by
 * browser certificate, with that operator's rights, and the audit trail
 * records both (control_handle with a key directory, without sockets). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "categories.h"
#include "control.h"
#include "keys.h"
#include "store.h"
#include "text.h"
#include "tmpdir.h"

#define FP_WANG "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define FP_LI "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define FP_NOBODY "sha256:3333333333333333333333333333333333333333333333333333333333333333"

static struct tmp *tmp;
static store_t *store;
static audit_t *audit;
static categories_t *cats;
static keydir_t *keys;
static char keydir_path[PATH_MAX];

static char last_actor[256], last_action[64], last_object[256];

static int
last_entry(void *arg, const struct audit_row *r)
{
    (void)arg;
    snprintf(last_actor, sizeof last_actor, "%s", r->actor);
    snprintf(last_action, sizeof last_action, "%s", r->action);
    snprintf(last_object, sizeof last_object, "%s", r->object);
    return 1;       /* the newest is enough */
}

static void
newest_entry(void)
{
    struct audit_filter f = { .limit = 1 };

    last_actor[0] = last_action[0] = last_object[0] = 0;
    assert_int_equal(audit_list(store, &f, last_entry, NULL, NULL), 1);
}

static void
key_path(char *out, const char *name)
{
    snprintf(out, PATH_MAX, "%s/%s", keydir_path, name);
}

static int
setup(void **state)
{
    char p[PATH_MAX];
    (void)state;

    if (tmp_make((void **)&tmp, "onbehalf", "hub.db") < 0 ||
        !(store = store_open(tmp->path, tmp->dir)) || !(audit = audit_new(store)) ||
        !(cats = categories_load("deploy/categories.tsv")))
        return -1;
    snprintf(keydir_path, sizeof keydir_path, "%s/keys", tmp->dir);
    /* A supervisor and a police liaison with browser certificates, a
     * convener without one, and the console. */
    if (keys_generate(keydir_path, "op-wang", KEY_OPERATOR, "wang", "supervisor") < 0 ||
        keys_generate(keydir_path, "op-li", KEY_OPERATOR, "li", "member:police") < 0 ||
        keys_generate(keydir_path, "op-zhao", KEY_OPERATOR, "zhao", "convener") < 0 ||
        keys_generate(keydir_path, "console", KEY_CONSOLE, "console", NULL) < 0)
        return -1;
    key_path(p, "op-wang.cert");
    if (keys_set_browser_fp(p, FP_WANG) < 0)
        return -1;
    key_path(p, "op-li.cert");
    if (keys_set_browser_fp(p, FP_LI) < 0)
        return -1;
    /* The secret halves do not belong in a key directory. */
    for (const char *const *n = (const char *const[]){ "op-wang.cert_secret", "op-li.cert_secret",
                                                        "op-zhao.cert_secret",
                                                        "console.cert_secret", NULL };
         *n; n++) {
        key_path(p, *n);
        unlink(p);
    }
    return (keys = keydir_load(keydir_path)) ? 0 : -1;
}

static int
teardown(void **state)
{
    char p[PATH_MAX];
    DIR *d;
    struct dirent *e;
    (void)state;

    keydir_destroy(&keys);
    categories_destroy(&cats);
    audit_destroy(&audit);
    store_close(&store);
    if ((d = opendir(keydir_path))) {
        while ((e = readdir(d)))
            if (e->d_name[0] != '.') {
                key_path(p, e->d_name);
                unlink(p);
            }
        closedir(d);
    }
    rmdir(keydir_path);
    snprintf(p, sizeof p, "%s/database.identity", tmp->dir);
    unlink(p);
    void *t = tmp;
    return tmp_teardown(&t);
}

static const struct key_entry *
named(const char *name, int kind)
{
    for (size_t i = 0; i < keydir_count(keys); i++)
        if (keydir_at(keys, i)->kind == kind && strcmp(keydir_at(keys, i)->name, name) == 0)
            return keydir_at(keys, i);
    fail_msg("no key %s of kind %d", name, kind);
    return NULL;
}

/* Sends command from key, on behalf of fp (may be NULL), and returns the
 * reply's error kind (0 when ok). */
static int
ask(const struct key_entry *from, const char *fp, const char *command, char *text, size_t n)
{
    struct control_ctx c = { store, audit, NULL, cats, NULL, NULL, keys, NULL, NULL, 0, NULL,
                             NULL, 0, 0 };
    Lianxi__OpRequest req = LIANXI__OP_REQUEST__INIT;
    struct control_reply out;
    struct control_job job;
    int kind;

    req.request_id = 9;
    req.command = (char *)command;
    req.on_behalf_of = (char *)(fp ? fp : "");
    memset(&out, 0, sizeof out);
    assert_int_equal(control_handle(&c, from, &req, &out, &job), CONTROL_ANSWERED);
    kind = out.rep.ok ? 0 : (int)out.rep.error_kind;
    if (text)
        snprintf(text, n, "%s", out.rep.ok ? (out.rep.text ? out.rep.text : "") : out.rep.error);
    control_reply_free(&out);
    return kind;
}

static void
the_console_acts_with_the_operators_rights_and_both_are_recorded(void **state)
{
    const struct key_entry *console = named("console", KEY_CONSOLE);
    char text[1024];
    (void)state;

    assert_int_equal(ask(console, FP_WANG, "whoami", text, sizeof text), 0);
    assert_non_null(strstr(text, "\"name\":\"wang\""));
    assert_non_null(strstr(text, "\"role\":\"supervisor\""));
    newest_entry();
    assert_string_equal(last_action, "read:whoami");
    assert_non_null(strstr(last_actor, "op:wang:"));
    assert_non_null(strstr(last_actor, " via console:console:"));

    /* The liaison's role, not the console's: no audit trail for a member. */
    assert_int_equal(ask(console, FP_LI, "audit-log", text, sizeof text),
                     LIANXI__OP_ERROR__OP_ERROR_PERMISSION);
    newest_entry();
    assert_string_equal(last_action, "refused:audit-log");
    assert_non_null(strstr(last_actor, "op:li:"));
    assert_non_null(strstr(last_actor, " via console:"));
    assert_int_equal(ask(console, FP_LI, "filings", NULL, 0), 0);
}

static void
a_console_without_an_operator_or_with_an_unknown_one_is_refused_and_recorded(void **state)
{
    const struct key_entry *console = named("console", KEY_CONSOLE);
    char text[1024];
    (void)state;

    assert_int_equal(ask(console, NULL, "whoami", text, sizeof text),
                     LIANXI__OP_ERROR__OP_ERROR_PERMISSION);
    newest_entry();
    assert_string_equal(last_action, "refused:whoami");
    assert_non_null(strstr(last_actor, "console:console:"));

    /* A revoked operator's certificate (or one never authorized). */
    assert_int_equal(ask(console, FP_NOBODY, "filings", text, sizeof text),
                     LIANXI__OP_ERROR__OP_ERROR_PERMISSION);
    newest_entry();
    assert_string_equal(last_action, "refused:filings");
    assert_string_equal(last_object, FP_NOBODY);

    assert_int_equal(ask(console, "sha256:XYZ", "filings", NULL, 0),
                     LIANXI__OP_ERROR__OP_ERROR_USAGE);
}

static void
an_operator_key_cannot_act_for_another(void **state)
{
    const struct key_entry *zhao = named("zhao", KEY_OPERATOR);
    char text[1024];
    (void)state;

    /* The convener tries to be the supervisor. */
    assert_int_equal(ask(zhao, FP_WANG, "whoami", text, sizeof text),
                     LIANXI__OP_ERROR__OP_ERROR_PERMISSION);
    newest_entry();
    assert_string_equal(last_action, "refused:whoami");
    assert_non_null(strstr(last_actor, "op:zhao:"));
    assert_null(strstr(last_actor, "wang"));
    /* For itself it may. */
    assert_int_equal(ask(zhao, NULL, "whoami", text, sizeof text), 0);
    assert_non_null(strstr(text, "\"name\":\"zhao\""));
}

/* One browser certificate recorded for two operators: the hub could not
 * tell whom the console acts for, so both are refused. */
static void
one_browser_certificate_for_two_operators_refuses_both(void **state)
{
    char p[PATH_MAX];
    const struct key_entry *console;
    (void)state;

    key_path(p, "op-li.cert");
    assert_int_equal(keys_set_browser_fp(p, FP_WANG), 0);
    keydir_destroy(&keys);
    assert_non_null(keys = keydir_load(keydir_path));
    assert_null(keydir_by_browser(keys, FP_WANG));
    console = named("console", KEY_CONSOLE);
    assert_int_equal(ask(console, FP_WANG, "whoami", NULL, 0),
                     LIANXI__OP_ERROR__OP_ERROR_PERMISSION);
    /* Recorded again, it replaces the first (one entry, not two). */
    assert_int_equal(keys_set_browser_fp(p, FP_LI), 0);
    keydir_destroy(&keys);
    assert_non_null(keys = keydir_load(keydir_path));
    assert_non_null(keydir_by_browser(keys, FP_WANG));
    assert_string_equal(keydir_by_browser(keys, FP_LI)->name, "li");
}

/* A long operator name (20 Chinese characters, 60 bytes) is recorded
 * whole, with its key's fingerprint, and the entry stays UTF-8. */
static void
a_long_operator_name_is_recorded_whole(void **state)
{
    const char *name = "欧阳诸葛司马上官东方皇甫尉迟公孙慕容长孙";
    char p[PATH_MAX], text[1024];
    const struct key_entry *console, *op;
    (void)state;

    assert_int_equal(keys_generate(keydir_path, "op-long", KEY_OPERATOR, name, "supervisor"), 0);
    key_path(p, "op-long.cert_secret");
    unlink(p);
    key_path(p, "op-long.cert");
    assert_int_equal(keys_set_browser_fp(p, FP_NOBODY), 0);
    keydir_destroy(&keys);
    assert_non_null(keys = keydir_load(keydir_path));
    console = named("console", KEY_CONSOLE);
    op = named(name, KEY_OPERATOR);
    assert_int_equal(ask(console, FP_NOBODY, "whoami", text, sizeof text), 0);
    newest_entry();
    assert_non_null(strstr(last_actor, op->user_id));
    assert_non_null(strstr(last_actor, " via console:"));
    assert_true(text_utf8_valid(last_actor, strlen(last_actor)));
}

static void
bad_fingerprints_are_not_taken(void **state)
{
    (void)state;
    assert_true(keys_browser_fp_valid(FP_WANG));
    assert_false(keys_browser_fp_valid("sha256:ABCDEF1111111111111111111111111111111111111111111111111111111111"));
    assert_false(keys_browser_fp_valid("sha1:1111111111111111111111111111111111111111"));
    assert_false(keys_browser_fp_valid("sha256:11"));
    assert_false(keys_browser_fp_valid(NULL));
    char p[PATH_MAX];
    key_path(p, "op-zhao.cert");
    assert_int_equal(keys_set_browser_fp(p, "sha256:nothex"), -1);
    /* Only an operator's public cert takes one. */
    key_path(p, "console.cert");
    assert_int_equal(keys_set_browser_fp(p, FP_NOBODY), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            the_console_acts_with_the_operators_rights_and_both_are_recorded, setup, teardown),
        cmocka_unit_test_setup_teardown(
            a_console_without_an_operator_or_with_an_unknown_one_is_refused_and_recorded, setup,
            teardown),
        cmocka_unit_test_setup_teardown(an_operator_key_cannot_act_for_another, setup, teardown),
        cmocka_unit_test_setup_teardown(one_browser_certificate_for_two_operators_refuses_both,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_long_operator_name_is_recorded_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_fingerprints_are_not_taken, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
