/* test_opcmd.c — the operators' command table (src/lib/opcmd.h): the checks
 * it drives, and the protocol's reference staying what the table says. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "categories.h"
#include "files.h"
#include "i18n.h"
#include "opcmd.h"

static void
every_command_has_roles_and_a_summary(void **state)
{
    (void)state;
    assert_true(opcmd_count >= 13);
    for (size_t i = 0; i < opcmd_count; i++) {
        assert_true(opcmd_table[i].roles != 0);
        assert_true(strlen(opcmd_table[i].summary) > 0);
        assert_ptr_equal(opcmd_find(opcmd_table[i].name), &opcmd_table[i]);
    }
    assert_null(opcmd_find("drop-table"));
    assert_null(opcmd_find(""));
}

static void
roles_map_to_bits(void **state)
{
    (void)state;
    assert_int_equal(opcmd_role_bit("supervisor"), ROLE_SUPERVISOR);
    assert_int_equal(opcmd_role_bit("convener"), ROLE_CONVENER);
    assert_int_equal(opcmd_role_bit("auditor"), ROLE_AUDITOR);
    assert_int_equal(opcmd_role_bit("member:police"), ROLE_MEMBER);
    /* A member of no unit is no role at all. */
    assert_int_equal(opcmd_role_bit("member:县公安局"), 0);
    assert_int_equal(opcmd_role_bit("root"), 0);
    assert_false(opcmd_find("brief")->roles & ROLE_SUPERVISOR);
    assert_false(opcmd_find("filings")->roles & ROLE_AUDITOR);
}

static void
a_bad_enum_value_is_refused_with_what_is_allowed(void **state)
{
    const struct opcmd_param *p = opcmd_param(opcmd_find("filings"), "status");
    char err[512];

    (void)state;
    assert_non_null(p);
    assert_int_equal(opcmd_check_value(p, NULL, "late", err, sizeof err), 0);
    assert_int_equal(opcmd_check_value(p, NULL, "bogus", err, sizeof err), -1);
    assert_non_null(strstr(err, "accepted|noted|supplement|unreviewed|late"));
    assert_non_null(strstr(err, "bogus"));
}

/* A unit is named by its code, its Chinese name or an unambiguous part of
 * it, and the hub takes its code; an ambiguous or unknown name is refused
 * with the units it may mean, each with its code. */
static void
a_unit_is_named_by_code_or_name(void **state)
{
    const struct opcmd_param *p = opcmd_param(opcmd_find("filings"), "unit");
    static const char *const police[] = { "police", "县公安局", "公安局", "Public Security Bureau" };
    char err[1024], canon[64];

    (void)state;
    for (size_t i = 0; i < sizeof police / sizeof *police; i++) {
        assert_int_equal(opcmd_resolve_value(p, NULL, police[i], canon, sizeof canon, err,
                                             sizeof err), 0);
        assert_string_equal(canon, "police");
        assert_int_equal(opcmd_check_value(p, NULL, police[i], err, sizeof err), 0);
    }
    assert_int_equal(opcmd_resolve_value(p, NULL, "监察局", canon, sizeof canon, err, sizeof err),
                     0);
    assert_string_equal(canon, "discipline");
    /* 局: the bureaus, not the court. */
    assert_int_equal(opcmd_check_value(p, NULL, "局", err, sizeof err), -1);
    assert_non_null(strstr(err, "县公安局 (police)"));
    assert_non_null(strstr(err, "县审计局 (audit)"));
    assert_null(strstr(err, "court"));
    /* Unknown: every unit, with its code. */
    assert_int_equal(opcmd_check_value(p, NULL, "县教育局", err, sizeof err), -1);
    assert_non_null(strstr(err, "县教育局"));
    for (size_t i = 0; i < LX_NUNITS; i++) {
        assert_non_null(strstr(err, lx_units[i].code));
        assert_non_null(strstr(err, lx_units[i].zh));
    }
    /* A byte that is not UTF-8 is not echoed. */
    assert_int_equal(opcmd_check_value(p, NULL, "\xff", err, sizeof err), -1);
    assert_null(strchr(err, '\xff'));
}

static void
a_category_is_named_by_code_or_name(void **state)
{
    categories_t *cats = categories_load("deploy/categories.tsv");
    const struct opcmd_param *p = opcmd_param(opcmd_find("filings"), "category");
    char err[4096], canon[64];

    (void)state;
    assert_non_null(cats);
    assert_int_equal(opcmd_resolve_value(p, cats, "醉酒驾驶", canon, sizeof canon, err,
                                         sizeof err), 0);
    assert_string_equal(canon, "police.drunk_driving");
    assert_int_equal(opcmd_resolve_value(p, cats, "饮酒后", canon, sizeof canon, err, sizeof err),
                     0);
    assert_string_equal(canon, "police.drink_driving");
    assert_int_equal(opcmd_check_value(p, cats, "驾驶", err, sizeof err), -1);
    assert_non_null(strstr(err, "醉酒驾驶 (police.drunk_driving)"));
    assert_non_null(strstr(err, "饮酒后驾驶 (police.drink_driving)"));
    assert_null(strstr(err, "gambling"));
    assert_int_equal(opcmd_check_value(p, cats, "醉驾", err, sizeof err), -1);
    for (size_t i = 0; i < categories_count(cats); i++)
        assert_non_null(strstr(err, categories_at(cats, i)->code));
    categories_destroy(&cats);
}

static void
dates_and_numbers_are_checked(void **state)
{
    const struct opcmd *c = opcmd_find("review");
    char err[512];

    (void)state;
    assert_int_equal(opcmd_check_value(opcmd_param(c, "due"), NULL, "60", err, sizeof err), 0);
    assert_int_equal(opcmd_check_value(opcmd_param(c, "due"), NULL, "61", err, sizeof err), -1);
    assert_int_equal(opcmd_check_value(opcmd_param(c, "due"), NULL, "5x", err, sizeof err), -1);
    assert_int_equal(opcmd_check_value(opcmd_param(c, "due"), NULL, "", err, sizeof err), -1);
    c = opcmd_find("filings");
    assert_int_equal(opcmd_check_value(opcmd_param(c, "since"), NULL, "2026-02-30", err,
                                       sizeof err), -1);
    assert_non_null(strstr(err, "YYYY-MM-DD"));
}

static void
unknown_names_are_answered_with_the_list(void **state)
{
    char err[768];

    (void)state;
    opcmd_unknown_command("drop", err, sizeof err);
    for (size_t i = 0; i < opcmd_count; i++)
        assert_non_null(strstr(err, opcmd_table[i].name));
    opcmd_unknown_param(opcmd_find("show"), "unit", err, sizeof err);
    assert_non_null(strstr(err, "--unit"));
    assert_non_null(strstr(err, "--json"));
    /* The filing is a word, not an option: not offered as --id. */
    assert_null(strstr(err, "--id"));
}

/* A review's text goes to the unit in a message: over the limit, it is
 * refused with a sentence that states the limit. */
static void
a_review_text_over_the_limit_is_refused_with_the_limit(void **state)
{
    const struct opcmd_param *p = opcmd_param(opcmd_find("review"), "text");
    char err[512], *text;
    size_t max;

    (void)state;
    assert_non_null(p);
    assert_true(p->max > 0);
    max = (size_t)p->max;
    text = malloc(max + 2);
    assert_non_null(text);
    memset(text, 'a', max);
    text[max] = '\0';
    assert_int_equal(opcmd_check_value(p, NULL, text, err, sizeof err), 0);
    text[max] = 'a';
    text[max + 1] = '\0';
    assert_int_equal(opcmd_check_value(p, NULL, text, err, sizeof err), -1);
    assert_non_null(strstr(err, "--text is at most"));
    free(text);
}

/* proto/lianxi.proto documents the commands between BEGIN and END
 * COMMANDS, as `lianxi-hub --commands` prints them: the same text. */
static void
the_protocol_documents_exactly_the_table(void **state)
{
    char *proto = files_read("proto/lianxi.proto", NULL), *ref = NULL, *doc, *b, *e;
    size_t len = 0;
    FILE *f = open_memstream(&ref, &len);

    (void)state;
    assert_non_null(proto);
    assert_non_null(f);
    opcmd_reference(f);
    fclose(f);
    assert_non_null(b = strstr(proto, "// BEGIN COMMANDS\n"));
    b += strlen("// BEGIN COMMANDS\n");
    assert_non_null(e = strstr(b, "// END COMMANDS\n"));
    doc = calloc(1, (size_t)(e - b) + 1);
    /* Each documented line without its "// " (or a bare "//"). */
    for (char *line = b, *o = doc; line < e;) {
        char *nl = strchr(line, '\n');
        line += strncmp(line, "// ", 3) == 0 ? 3 : 2;
        memcpy(o, line, (size_t)(nl - line) + 1);
        o += nl - line + 1;
        line = nl + 1;
    }
    assert_string_equal(doc, ref);
    free(doc);
    free(ref);
    free(proto);
}

/* The operators read the usage and the refusals in their language; the
 * reference (`lianxi-hub --commands`, the proto's copy) is the contract
 * and stays English whatever the language. */
static void
usage_is_translated_and_the_reference_is_not(void **state)
{
    char *en = NULL, *zh = NULL, *use = NULL, err[256];
    size_t len = 0;
    FILE *f;

    (void)state;
    i18n_init("en");
    assert_non_null(f = open_memstream(&en, &len));
    opcmd_reference(f);
    fclose(f);
    i18n_init("zh");
    assert_non_null(f = open_memstream(&zh, &len));
    opcmd_reference(f);
    fclose(f);
    assert_string_equal(zh, en);
    assert_non_null(f = open_memstream(&use, &len));
    opcmd_usage(f, opcmd_find("overdue"));
    fclose(f);
    assert_non_null(strstr(use, "报送期限情况"));
    assert_int_equal(opcmd_check_value(opcmd_param(opcmd_find("filings"), "since"), NULL, "x",
                                       err, sizeof err), -1);
    assert_non_null(strstr(err, "YYYY-MM-DD 格式的日期"));
    i18n_init("en");
    free(en);
    free(zh);
    free(use);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_command_has_roles_and_a_summary),
        cmocka_unit_test(roles_map_to_bits),
        cmocka_unit_test(a_bad_enum_value_is_refused_with_what_is_allowed),
        cmocka_unit_test(a_unit_is_named_by_code_or_name),
        cmocka_unit_test(a_category_is_named_by_code_or_name),
        cmocka_unit_test(usage_is_translated_and_the_reference_is_not),
        cmocka_unit_test(dates_and_numbers_are_checked),
        cmocka_unit_test(unknown_names_are_answered_with_the_list),
        cmocka_unit_test(a_review_text_over_the_limit_is_refused_with_the_limit),
        cmocka_unit_test(the_protocol_documents_exactly_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
