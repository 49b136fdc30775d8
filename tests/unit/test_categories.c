/* test_categories.c — the unit table and the category registry (src/categories.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "categories.h"
#include "tmpdir.h"

#define REGISTRY "deploy/categories.tsv"

static int
tmp_setup(void **state)
{
    return tmp_make(state, "categories", "categories.tsv");
}

static void
write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static categories_t *
load_text(struct tmp *t, const char *text)
{
    write_text(t->path, text);
    return categories_load(t->path);
}

static int
reg_setup(void **state)
{
    categories_t *c = categories_load(REGISTRY);

    if (!c)
        return -1;
    *state = c;
    return 0;
}

static int
reg_teardown(void **state)
{
    categories_t *c = *state;

    categories_destroy(&c);
    return 0;
}

static void
shipped_registry_loads(void **state)
{
    categories_t *c = *state;

    assert_non_null(c);
    assert_true(categories_count(c) > 0);
}

static void
every_unit_has_a_category(void **state)
{
    categories_t *c = *state;

    for (size_t u = 0; u < LX_NUNITS; u++) {
        size_t found = 0;
        for (size_t i = 0; i < categories_count(c); i++)
            if (strcmp(categories_at(c, i)->unit, lx_units[u].code) == 0)
                found++;
        if (found == 0)
            fail_msg("unit %s has no category in %s", lx_units[u].code, REGISTRY);
    }
}

static void
every_category_starts_with_its_unit(void **state)
{
    categories_t *c = *state;

    for (size_t i = 0; i < categories_count(c); i++) {
        const struct lx_category *k = categories_at(c, i);
        size_t n = strlen(k->unit);
        assert_non_null(units_find(k->unit));
        assert_int_equal(strncmp(k->code, k->unit, n), 0);
        assert_int_equal(k->code[n], '.');
    }
    assert_null(categories_at(c, categories_count(c)));
}

static void
drunk_driving_belongs_to_police(void **state)
{
    categories_t *c = *state;

    assert_int_equal(categories_belongs(c, "police.drunk_driving", "police"), 1);
}

static void
drunk_driving_does_not_belong_to_court(void **state)
{
    categories_t *c = *state;

    assert_int_equal(categories_belongs(c, "police.drunk_driving", "court"), 0);
}

static void
unknown_code_belongs_nowhere(void **state)
{
    categories_t *c = *state;

    assert_int_equal(categories_belongs(c, "police.no_such_thing", "police"), 0);
    assert_null(categories_find(c, "police.no_such_thing"));
    assert_int_equal(categories_belongs(c, NULL, "police"), 0);
    assert_int_equal(categories_belongs(c, "police.drunk_driving", NULL), 0);
}

static void
find_returns_the_registered_names(void **state)
{
    categories_t *c = *state;
    const struct lx_category *k = categories_find(c, "police.drunk_driving");

    assert_non_null(k);
    assert_string_equal(k->unit, "police");
    assert_string_equal(k->zh, "醉酒驾驶");
    assert_string_equal(k->en, "drunk driving");
}

static void
units_find_knows_the_nine_units(void **state)
{
    (void)state;
    assert_non_null(units_find("police"));
    assert_string_equal(units_find("court")->zh, "县法院");
    assert_null(units_find("army"));
    assert_null(units_find(NULL));
}

/* What an operator types for a unit: its code, its name, a part of its
 * name that no other unit's has (1); a part several have (-1); nothing
 * (0).  And the name a person reads for a code. */
static void
units_are_looked_up_by_code_or_name(void **state)
{
    const struct lx_unit *u;

    (void)state;
    assert_int_equal(units_lookup("police", &u), 1);
    assert_string_equal(u->code, "police");
    assert_int_equal(units_lookup("县公安局", &u), 1);
    assert_string_equal(u->code, "police");
    assert_int_equal(units_lookup("公安局", &u), 1);
    assert_string_equal(u->code, "police");
    assert_int_equal(units_lookup("组织部", &u), 1);
    assert_string_equal(u->code, "organization");
    assert_int_equal(units_lookup("局", &u), -1);
    assert_null(u);
    assert_int_equal(units_lookup("县", &u), -1);
    assert_int_equal(units_lookup("县教育局", &u), 0);
    assert_int_equal(units_lookup("", &u), 0);
    assert_int_equal(units_lookup("pol", &u), 0);       /* codes are whole */
    assert_string_equal(units_name("police"), "县公安局");
    assert_string_equal(units_name("army"), "army");
}

static void
categories_are_looked_up_by_code_or_name(void **state)
{
    categories_t *c = *state;
    const struct lx_category *k;

    assert_int_equal(categories_lookup(c, "police.drunk_driving", &k), 1);
    assert_string_equal(k->code, "police.drunk_driving");
    assert_int_equal(categories_lookup(c, "醉酒驾驶", &k), 1);
    assert_string_equal(k->code, "police.drunk_driving");
    assert_int_equal(categories_lookup(c, "驾驶", &k), -1);
    assert_int_equal(categories_lookup(c, "醉驾", &k), 0);
    assert_string_equal(categories_name(c, "police.drunk_driving"), "醉酒驾驶");
    assert_string_equal(categories_name(c, "police.nothing"), "police.nothing");
    assert_string_equal(categories_name(NULL, "police.drunk_driving"), "police.drunk_driving");
}

static void
comments_and_blank_lines_are_fine(void **state)
{
    categories_t *c = load_text(*state,
        "# a comment\n"
        "\n"
        "police.a\tpolice\t甲\tA\n"
        "# another comment\n"
        "\r\n"
        "\n"
        "court.b\tcourt\t乙\tB\r\n");

    assert_non_null(c);
    assert_int_equal(categories_count(c), 2);
    assert_int_equal(categories_belongs(c, "police.a", "police"), 1);
    assert_int_equal(categories_belongs(c, "court.b", "court"), 1);
    assert_string_equal(categories_find(c, "court.b")->en, "B");
    categories_destroy(&c);
    assert_null(c);
}

static void
last_line_without_newline_is_read(void **state)
{
    categories_t *c = load_text(*state, "police.a\tpolice\t甲\tA");

    assert_non_null(c);
    assert_int_equal(categories_count(c), 1);
    categories_destroy(&c);
}

static void
three_fields_are_refused(void **state)
{
    assert_null(load_text(*state,
        "police.a\tpolice\t甲\tA\n"
        "police.b\tpolice\t乙\n"));
}

static void
five_fields_are_refused(void **state)
{
    assert_null(load_text(*state,
        "police.a\tpolice\t甲\tA\n"
        "police.b\tpolice\t乙\tB\textra\n"));
}

static void
unknown_unit_is_refused(void **state)
{
    assert_null(load_text(*state,
        "police.a\tpolice\t甲\tA\n"
        "army.b\tarmy\t乙\tB\n"));
}

static void
code_not_prefixed_by_its_unit_is_refused(void **state)
{
    assert_null(load_text(*state,
        "police.a\tpolice\t甲\tA\n"
        "court.b\tpolice\t乙\tB\n"));
}

static void
code_prefixed_without_dot_is_refused(void **state)
{
    /* "policeman" starts with "police" but not with "police.". */
    assert_null(load_text(*state, "policeman\tpolice\t甲\tA\n"));
}

static void
duplicated_code_is_refused(void **state)
{
    assert_null(load_text(*state,
        "police.a\tpolice\t甲\tA\n"
        "court.b\tcourt\t乙\tB\n"
        "police.a\tpolice\t丙\tC\n"));
}

static void
empty_registry_is_refused(void **state)
{
    assert_null(load_text(*state, "# only a comment\n\n"));
}

static void
missing_file_is_refused(void **state)
{
    struct tmp *t = *state;
    char path[160];

    snprintf(path, sizeof path, "%s/none.tsv", t->dir);
    assert_null(categories_load(path));
}

#define R(fn) cmocka_unit_test_setup_teardown(fn, reg_setup, reg_teardown)
#define F(fn) cmocka_unit_test_setup_teardown(fn, tmp_setup, tmp_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        R(shipped_registry_loads),
        R(every_unit_has_a_category),
        R(every_category_starts_with_its_unit),
        R(drunk_driving_belongs_to_police),
        R(drunk_driving_does_not_belong_to_court),
        R(unknown_code_belongs_nowhere),
        R(find_returns_the_registered_names),
        cmocka_unit_test(units_find_knows_the_nine_units),
        cmocka_unit_test(units_are_looked_up_by_code_or_name),
        R(categories_are_looked_up_by_code_or_name),
        F(comments_and_blank_lines_are_fine),
        F(last_line_without_newline_is_read),
        F(three_fields_are_refused),
        F(five_fields_are_refused),
        F(unknown_unit_is_refused),
        F(code_not_prefixed_by_its_unit_is_refused),
        F(code_prefixed_without_dot_is_refused),
        F(duplicated_code_is_refused),
        F(empty_registry_is_refused),
        F(missing_file_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
