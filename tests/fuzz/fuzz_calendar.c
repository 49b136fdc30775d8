/* fuzz_calendar.c — the working-day calendar file (calendar.c, the
 * deploy/calendar/cn-holidays.tsv format): loaded, every problem reported,
 * then asked what the hub asks of it (workdays, due dates, coverage). */
#include "fuzz.h"

#include "calendar.h"
#include "days.h"

static void
problem(void *arg, const char *path, int line, const char *msg)
{
    (void)arg;
    (void)path;
    (void)line;
    (void)msg;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup("calendar");
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[512];
    calendar_t *cal;
    int off, work, first, last, count;
    lx_day from, due;

    if (size > 64 * 1024)
        return -1;
    fuzz_write("cn-holidays.tsv", data, size, path, sizeof path);
    if (!(cal = calendar_load_checked(path, problem, NULL)))
        return 0;
    calendar_counts(cal, &off, &work);
    calendar_years(cal, &first, &last);
    from = days_from_civil(first > 0 && first < 9999 ? first : 2026, 9, 28);
    for (int i = 0; i < 16; i++) {
        calendar_is_workday(cal, from + i);
        calendar_covers(cal, from + i * 40);
        if (calendar_due(cal, from + i, 5, &due) >= 0 && due <= from + i) {
            fprintf(stderr, "fuzz_calendar: a due date not after its start\n");
            abort();
        }
        calendar_workdays(cal, from, from + i * 3, &count);
    }
    calendar_year_covered(cal, last);
    calendar_destroy(&cal);
    return 0;
}
