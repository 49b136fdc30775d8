/* calendar.h — the working-day calendar (State Council holidays and 调休). */
#ifndef LX_CALENDAR_H
#define LX_CALENDAR_H

#include "days.h"

typedef struct calendar calendar_t;

/* Loads deploy/calendar/cn-holidays.tsv (date, off|work, name).  Every
 * problem is logged with its line number; returns NULL when there was any. */
calendar_t *calendar_load(const char *path);
/* The same, reporting each problem to fn (line 0: the file as a whole). */
typedef void (calendar_problem_fn)(void *arg, const char *path, int line, const char *msg);
calendar_t *calendar_load_checked(const char *path, calendar_problem_fn *fn, void *arg);
void calendar_destroy(calendar_t **self_p);

/* Days listed: off and work rows. */
void calendar_counts(const calendar_t *self, int *off, int *work);
/* First and last year the file covers. */
void calendar_years(const calendar_t *self, int *first, int *last);
/* 1 when the day's year is covered by the file (has rows in it). */
int calendar_covers(const calendar_t *self, lx_day day);
int calendar_year_covered(const calendar_t *self, int year);
/* 1 when day is a working day (Mon–Fri not off, or an adjusted work day). */
int calendar_is_workday(const calendar_t *self, lx_day day);
/* Sets *due to the n-th working day strictly after from.  Returns 1 when
 * a day that was needed lies outside the covered years (provisional:
 * weekends only were assumed there), else 0. */
int calendar_due(const calendar_t *self, lx_day from, int n, lx_day *due);
/* Counts working days in (from, to] into *count (0 when to <= from).
 * Returns 1 when provisional as above, else 0. */
int calendar_workdays(const calendar_t *self, lx_day from, lx_day to, int *count);

#endif
