/* fuzz_categories.c — the category registry (categories.c, the
 * deploy/categories.tsv format): loaded, then every entry looked up as the
 * hub and the adapters look them up. */
#include "fuzz.h"

#include "categories.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup("categories");
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[512];
    categories_t *cats;

    if (size > 64 * 1024)
        return -1;
    fuzz_write("categories.tsv", data, size, path, sizeof path);
    if (!(cats = categories_load(path)))
        return 0;
    for (size_t i = 0; i < categories_count(cats); i++) {
        const struct lx_category *c = categories_at(cats, i);
        if (!c || !c->code || !c->unit || categories_find(cats, c->code) == NULL ||
            !categories_belongs(cats, c->code, c->unit) || !units_find(c->unit)) {
            fprintf(stderr, "fuzz_categories: entry %zu loaded but not found again\n", i);
            abort();
        }
    }
    categories_find(cats, "police.drunk_driving");
    categories_belongs(cats, "police.drunk_driving", "court");
    categories_destroy(&cats);
    return 0;
}
