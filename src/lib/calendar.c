/* calendar.c — working days from the official holiday file. */
#include "calendar.h"
#include "i18n.h"
#include "files.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DAY_DEFAULT = 0, DAY_OFF = 1, DAY_WORK = 2 };

struct calendar {
    lx_day first;       /* 1 January of the first covered year */
    lx_day last;        /* 31 December of the last covered year */
    int year_first, year_last;
    unsigned char *kind;    /* indexed by day - first */
    unsigned char *has_year;    /* indexed by year - year_first: the year has rows */
    unsigned char *covered;     /* indexed by day - first: its year has rows */
    int *cum;                   /* working days in [first, first + i] */
    int *ucum;                  /* days not covered in [first, first + i] */
};

void
calendar_destroy(calendar_t **self_p)
{
    if (!*self_p)
        return;
    free((*self_p)->kind);
    free((*self_p)->has_year);
    free((*self_p)->covered);
    free((*self_p)->cum);
    free((*self_p)->ucum);
    free(*self_p);
    *self_p = NULL;
}

struct row { lx_day day; int kind; int line; };

static void
log_problem(void *arg, const char *path, int line, const char *msg)
{
    (void)arg;
    if (line > 0)
        log_warnx("%s:%d: %s", path, line, msg);
    else
        log_warnx("%s: %s", path, msg);
}

static void
problem(calendar_problem_fn *fn, void *arg, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
problem(calendar_problem_fn *fn, void *arg, const char *path, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fn(arg, path, line, msg);
}

calendar_t *
calendar_load(const char *path)
{
    return calendar_load_checked(path, log_problem, NULL);
}

calendar_t *
calendar_load_checked(const char *path, calendar_problem_fn *fn, void *arg)
{
    calendar_t *self = NULL;
    char *text = files_read(path, NULL), *line, *next;
    struct row *rows = NULL;
    size_t nrows = 0, cap = 0;
    int lineno = 0, bad = 0;

    if (!text) {
        problem(fn, arg, path, 0, _("cannot read: %s"), log_strerror(errno));
        return NULL;
    }
    for (line = text; line; line = next) {
        char *date, *kind, *name;
        size_t len;
        lx_day d;

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (len == 0 || line[0] == '#' || (lineno == 1 && strncmp(line, "date\t", 5) == 0))
            continue;
        date = line;
        kind = strchr(date, '\t');
        name = kind ? strchr(kind + 1, '\t') : NULL;
        if (!kind || !name) {
            problem(fn, arg, path, lineno, _("expected date<TAB>off|work<TAB>name"));
            bad++;
            continue;
        }
        *kind++ = '\0';
        *name++ = '\0';
        if (days_parse(date, &d) < 0) {
            problem(fn, arg, path, lineno, _("'%s' is not a YYYY-MM-DD date"), date);
            bad++;
            continue;
        }
        int k = strcmp(kind, "off") == 0 ? DAY_OFF : strcmp(kind, "work") == 0 ? DAY_WORK : -1;
        if (k < 0) {
            problem(fn, arg, path, lineno, _("kind '%s' must be off or work"), kind);
            bad++;
            continue;
        }
        if (k == DAY_WORK && days_weekday(d) <= 5) {
            problem(fn, arg, path, lineno, _("%s is a weekday: only a Saturday or Sunday can be "
                    "an adjusted working day"), date);
            bad++;
            continue;
        }
        for (size_t i = 0; i < nrows; i++)
            if (rows[i].day == d) {
                problem(fn, arg, path, lineno, _("%s is listed twice (first on line %d)"), date,
                        rows[i].line);
                bad++;
                k = -1;
                break;
            }
        if (k < 0)
            continue;
        if (nrows == cap) {
            cap = cap ? cap * 2 : 512;
            struct row *nr = realloc(rows, cap * sizeof *nr);
            if (!nr)
                goto err;
            rows = nr;
        }
        rows[nrows++] = (struct row){ d, k, lineno };
    }
    if (bad)
        goto err;
    if (nrows == 0) {
        problem(fn, arg, path, 0, _("no dates"));
        goto err;
    }
    if (!(self = calloc(1, sizeof *self)))
        goto err;
    self->year_first = 9999;
    self->year_last = 0;
    for (size_t i = 0; i < nrows; i++) {
        int y, m, d;
        days_to_civil(rows[i].day, &y, &m, &d);
        if (y < self->year_first)
            self->year_first = y;
        if (y > self->year_last)
            self->year_last = y;
    }
    self->first = days_from_civil(self->year_first, 1, 1);
    self->last = days_from_civil(self->year_last, 12, 31);
    if (!(self->kind = calloc((size_t)(self->last - self->first + 1), 1)))
        goto err;
    if (!(self->has_year = calloc((size_t)(self->year_last - self->year_first + 1), 1)))
        goto err;
    for (size_t i = 0; i < nrows; i++) {
        int y, m, d;
        self->kind[rows[i].day - self->first] = (unsigned char)rows[i].kind;
        days_to_civil(rows[i].day, &y, &m, &d);
        self->has_year[y - self->year_first] = 1;
    }
    {
        /* Per-day coverage and running counts, so that counting working
         * days over a long span is two lookups. */
        size_t ndays = (size_t)(self->last - self->first + 1);
        int cum = 0, ucum = 0;
        if (!(self->covered = calloc(ndays, 1)) || !(self->cum = calloc(ndays, sizeof(int))) ||
            !(self->ucum = calloc(ndays, sizeof(int))))
            goto err;
        for (int y = self->year_first; y <= self->year_last; y++) {
            lx_day a = days_from_civil(y, 1, 1), b = days_from_civil(y, 12, 31);
            for (lx_day d = a; d <= b; d++)
                self->covered[d - self->first] = self->has_year[y - self->year_first];
        }
        for (size_t i = 0; i < ndays; i++) {
            int k = self->kind[i];
            int work = k == DAY_WORK || (k != DAY_OFF && days_weekday(self->first + (lx_day)i) <= 5);
            cum += work;
            ucum += !self->covered[i];
            self->cum[i] = cum;
            self->ucum[i] = ucum;
        }
    }
    free(rows);
    free(text);
    return self;
err:
    free(rows);
    free(text);
    calendar_destroy(&self);
    return NULL;
}

void
calendar_counts(const calendar_t *self, int *off, int *work)
{
    *off = *work = 0;
    for (lx_day d = self->first; d <= self->last; d++) {
        *off += self->kind[d - self->first] == DAY_OFF;
        *work += self->kind[d - self->first] == DAY_WORK;
    }
}

void
calendar_years(const calendar_t *self, int *first, int *last)
{
    *first = self->year_first;
    *last = self->year_last;
}

int
calendar_covers(const calendar_t *self, lx_day day)
{
    return day >= self->first && day <= self->last && self->covered[day - self->first];
}

int
calendar_year_covered(const calendar_t *self, int year)
{
    return year >= self->year_first && year <= self->year_last &&
           self->has_year[year - self->year_first];
}

int
calendar_is_workday(const calendar_t *self, lx_day day)
{
    if (calendar_covers(self, day)) {
        int k = self->kind[day - self->first];
        if (k == DAY_OFF)
            return 0;
        if (k == DAY_WORK)
            return 1;
    }
    return days_weekday(day) <= 5;
}

int
calendar_due(const calendar_t *self, lx_day from, int n, lx_day *due)
{
    int provisional = 0;
    lx_day d = from;

    while (n > 0) {
        d++;
        if (!calendar_covers(self, d))
            provisional = 1;
        if (calendar_is_workday(self, d))
            n--;
    }
    *due = d;
    return provisional;
}

int
calendar_workdays(const calendar_t *self, lx_day from, lx_day to, int *count)
{
    int provisional = 0, c = 0;

    if (to <= from) {
        *count = 0;
        return 0;
    }
    if (from >= self->first && to <= self->last) {
        *count = self->cum[to - self->first] - self->cum[from - self->first];
        return self->ucum[to - self->first] != self->ucum[from - self->first];
    }
    for (lx_day d = from + 1; d <= to; d++) {
        if (!calendar_covers(self, d))
            provisional = 1;
        c += calendar_is_workday(self, d);
    }
    *count = c;
    return provisional;
}
