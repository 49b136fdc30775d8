/* fuzz_petitions.c — the petitions adapter's export reader (xml), as the adapter calls
 * it, on bytes as an export file. */
#include "reader.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    reader_init("petitions");
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > READER_MAX_INPUT)
        return -1;
    reader_run("export.xml", data, size, NULL);
    return 0;
}

#define main unit_main
#include "../../adapters/petitions/main.c"
