/* fuzz_csv_discipline.c — the discipline adapter's CSV export reader (csvfmt_read on
 * textin_csv: encoding detection, CSV records, the shared record checks),
 * on bytes as an export file. */
#include "reader.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    reader_init("csv_discipline");
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > READER_MAX_INPUT)
        return -1;
    reader_run("export.csv", data, size, NULL);
    return 0;
}

#define main unit_main
#include "../../adapters/discipline/main.c"
