/* calcmd.c — lianxi calendar: due dates, working days and the calendar
 * file's health, offline. */
#include "calcmd.h"
#include "calendar.h"
#include "i18n.h"
#include "conf.h"
#include "provision.h"
#include "days.h"
#include "clock.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define EX_PROVISIONAL 3

static void
usage(void)
{
    fputs(_("usage: lianxi calendar due DATE [--days N] [--json] [--calendar FILE]\n"
            "       lianxi calendar workdays FROM TO [--json] [--calendar FILE]\n"
            "       lianxi calendar check [--json] [--calendar FILE]\n"
            "  due       the N-th (default 5th) working day strictly after DATE; exit 3 when\n"
            "            the calendar does not cover the days needed (provisional)\n"
            "  workdays  working days in (FROM, TO]; exit 3 when provisional\n"
            "  check     covered years and every problem in the file, by line\n"), stderr);
    exit(EX_USAGE);
}

static int
default_calendar(char *out, size_t len)
{
    const char *data = provision_datadir();

    if (!data)
        return -1;
    snprintf(out, len, "%s/calendar/cn-holidays.tsv", data);
    return 0;
}

/* The years in [from, to] that the file does not cover, as "2027" or "2027-2028". */
static void
uncovered(const calendar_t *cal, lx_day from, lx_day to, cJSON *arr, char *text, size_t len)
{
    int y0, y1, m, d;

    text[0] = '\0';
    days_to_civil(from, &y0, &m, &d);
    days_to_civil(to, &y1, &m, &d);
    for (int y = y0; y <= y1; y++)
        if (!calendar_year_covered(cal, y)) {
            size_t n = strlen(text);
            snprintf(text + n, len - n, "%s%d", n ? ", " : "", y);
            if (arr)
                cJSON_AddItemToArray(arr, cJSON_CreateNumber(y));
        }
}

struct problems {
    cJSON *arr;
    int n, json;
};

static void
on_problem(void *arg, const char *path, int line, const char *msg)
{
    struct problems *p = arg;
    p->n++;
    if (p->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "line", line);
        cJSON_AddStringToObject(o, "problem", msg);
        cJSON_AddItemToArray(p->arr, o);
    } else if (line > 0) {
        printf("%s:%d: %s\n", path, line, msg);
    } else {
        printf("%s: %s\n", path, msg);
    }
}

static int
cmd_check(const char *path, int json)
{
    struct problems p = { cJSON_CreateArray(), 0, json };
    calendar_t *cal = calendar_load_checked(path, on_problem, &p);
    cJSON *j = cJSON_CreateObject(), *years = cJSON_CreateArray();
    int first = 0, last = 0, off = 0, work = 0, rc = EX_OK;
    lx_day today = days_shanghai(clock_now()), last_day = 0;
    char lastd[LX_DATE_LEN] = "";

    cJSON_AddStringToObject(j, "file", path);
    if (cal) {
        calendar_years(cal, &first, &last);
        calendar_counts(cal, &off, &work);
        for (int y = first; y <= last; y++)
            if (calendar_year_covered(cal, y))
                cJSON_AddItemToArray(years, cJSON_CreateNumber(y));
        last_day = days_from_civil(last, 12, 31);
        days_format(last_day, lastd);
    } else {
        rc = EX_DATAERR;
    }
    cJSON_AddBoolToObject(j, "ok", cal != NULL);
    cJSON_AddItemToObject(j, "covered_years", years);
    cJSON_AddNumberToObject(j, "off_days", off);
    cJSON_AddNumberToObject(j, "work_days", work);
    cJSON_AddStringToObject(j, "last_covered_day", lastd);
    cJSON_AddBoolToObject(j, "next_year_missing_soon", cal && last_day - today <= 60);
    cJSON_AddItemToObject(j, "problems", p.arr);
    if (json) {
        text_print_json(j);
    } else {
        if (cal) {
            printf(_("%s: ok, %d days off and %d adjusted working days, years %d-%d"),
                   path, off, work, first, last);
            for (int y = first; y <= last; y++)
                if (!calendar_year_covered(cal, y))
                    printf(_(" (%d missing)"), y);
            printf(_(", last covered day %s\n"), lastd);
            if (last_day - today <= 60)
                printf(_("warning: %s is %d days away and the State Council notice for %d is "
                         "not in the file yet: add its rows when it is published\n"), lastd,
                       (int)(last_day - today), last + 1);
        } else {
            printf(dngettext(LX_TEXTDOMAIN,
                             "%s: %d problem: fix it; the hub will not start on this file\n",
                             "%s: %d problems: fix them; the hub will not start on this file\n",
                             (unsigned long)p.n), path, p.n);
        }
        cJSON_Delete(j);
    }
    calendar_destroy(&cal);
    return rc;
}

int
calcmd_main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "days", required_argument, NULL, 'n' },
        { "json", no_argument, NULL, 'j' },
        { "calendar", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    char path[PATH_MAX] = "", dd[LX_DATE_LEN], years[128];
    const char *sub;
    int c, json = 0, days = 5, prov, rc;
    lx_day a, b, due;
    calendar_t *cal;
    cJSON *j;

    if (argc < 2)
        usage();
    sub = argv[1];
    optind = 2;
    while ((c = getopt_long(argc, argv, "n:jf:h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            days = atoi(optarg);
            if (days < 1 || days > 366) {
                fputs(_("lianxi calendar: --days must be 1 to 366\n"), stderr);
                return EX_USAGE;
            }
            break;
        case 'j': json = 1; break;
        case 'f': snprintf(path, sizeof path, "%s", optarg); break;
        default: usage();
        }
    }
    if (!path[0] && default_calendar(path, sizeof path) < 0) {
        fputs(_("lianxi calendar: no calendar file found: use --calendar FILE\n"), stderr);
        return EX_CONFIG;
    }
    if (strcmp(sub, "check") == 0) {
        if (optind != argc)
            usage();
        return cmd_check(path, json);
    }
    if (!(cal = calendar_load(path))) {
        fprintf(stderr, _("lianxi calendar: %s has problems: run lianxi calendar check\n"), path);
        return EX_DATAERR;
    }
    rc = EX_OK;
    j = cJSON_CreateObject();
    if (strcmp(sub, "due") == 0 && optind == argc - 1) {
        if (days_parse(argv[optind], &a) < 0) {
            fprintf(stderr, _("lianxi calendar: '%s' is not a YYYY-MM-DD date\n"), argv[optind]);
            rc = EX_USAGE;
            goto out;
        }
        prov = calendar_due(cal, a, days, &due);
        days_format(due, dd);
        cJSON *arr = cJSON_CreateArray();
        uncovered(cal, a + 1, due, arr, years, sizeof years);
        cJSON_AddStringToObject(j, "learned_on", argv[optind]);
        cJSON_AddNumberToObject(j, "days", days);
        cJSON_AddStringToObject(j, "due_on", dd);
        cJSON_AddBoolToObject(j, "provisional", prov);
        cJSON_AddItemToObject(j, "uncovered_years", arr);
        if (json)
            text_print_json(j), j = NULL;
        else if (prov)
            printf(_("%s provisional (%s not in the calendar: weekends only assumed)\n"), dd, years);
        else
            printf("%s\n", dd);
        rc = prov ? EX_PROVISIONAL : EX_OK;
    } else if (strcmp(sub, "workdays") == 0 && optind == argc - 2) {
        int n;
        if (days_parse(argv[optind], &a) < 0 || days_parse(argv[optind + 1], &b) < 0) {
            fputs(_("lianxi calendar: FROM and TO must be YYYY-MM-DD dates\n"), stderr);
            rc = EX_USAGE;
            goto out;
        }
        prov = calendar_workdays(cal, a, b, &n);
        cJSON *arr = cJSON_CreateArray();
        uncovered(cal, a + 1, b > a ? b : a + 1, arr, years, sizeof years);
        cJSON_AddStringToObject(j, "from", argv[optind]);
        cJSON_AddStringToObject(j, "to", argv[optind + 1]);
        cJSON_AddNumberToObject(j, "workdays", n);
        cJSON_AddBoolToObject(j, "provisional", prov);
        cJSON_AddItemToObject(j, "uncovered_years", arr);
        if (json)
            text_print_json(j), j = NULL;
        else if (prov)
            printf(_("%d provisional (%s not in the calendar: weekends only assumed)\n"), n, years);
        else
            printf("%d\n", n);
        rc = prov ? EX_PROVISIONAL : EX_OK;
    } else {
        cJSON_Delete(j);
        calendar_destroy(&cal);
        usage();
    }
out:
    cJSON_Delete(j);
    calendar_destroy(&cal);
    return rc;
}
