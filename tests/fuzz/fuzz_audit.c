/* fuzz_audit.c — the audit adapter's export reader (json), as the adapter calls
 * it, on bytes as an export file. */
#include "reader.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    reader_init("audit");
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > READER_MAX_INPUT)
        return -1;
    reader_run("export.json", data, size, NULL);
    return 0;
}

#define main unit_main
#include "../../adapters/audit/main.c"
