/* fuzz_conf.c — configuration files (conf.c on libinih): loaded, then read
 * as the hub, an adapter and the operators' command read theirs. */
#include "fuzz.h"

#include <limits.h>

#include "conf.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup("conf");
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[][2] = {
        { "hub", "units" }, { "hub", "control" }, { "hub", "cert" }, { "hub", "sign" },
        { "hub", "keys" }, { "hub", "database" }, { "hub", "run" }, { "hub", "categories" },
        { "hub", "calendar" }, { "adapter", "unit" }, { "adapter", "hub" },
        { "adapter", "hub_endpoint_file" }, { "adapter", "outbox" }, { "adapter", "rejected" },
        { "operator", "name" }, { "operator", "hub" }, { "operator", "cert" }, { "", "" },
    };
    char path[PATH_MAX], out[PATH_MAX];
    conf_t *c;
    long n;

    if (size > 64 * 1024)
        return -1;
    fuzz_write("lianxi.conf", data, size, path, sizeof path);
    if (!(c = conf_load(path)))
        return 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        conf_get(c, keys[i][0], keys[i][1], NULL);
        conf_path(c, keys[i][0], keys[i][1], NULL, out, sizeof out);
        conf_path(c, keys[i][0], keys[i][1], "default", out, 16);
    }
    conf_int(c, "hub", "batch", 1024, 1, 100000, &n);
    conf_int(c, "hub", "verify_threads", 4, 0, 64, &n);
    conf_int(c, "adapter", "window", 256, 1, 4096, &n);
    conf_dir(c);
    conf_destroy(&c);
    return 0;
}
