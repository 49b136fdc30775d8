/* idnum.c — validate 18-character resident identity numbers. */
#include "idnum.h"
#include "days.h"
#include "clock.h"
#include "i18n.h"

#include <string.h>

char
idnum_check_char(const char *s)
{
    static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    static const char map[] = "10X98765432";
    int sum = 0;

    for (int i = 0; i < 17; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        sum += (s[i] - '0') * w[i];
    }
    return map[sum % 11];
}

/* What can be wrong, as a reason key (reasons.c) and a sentence. */
static const struct { const char *key, *msg; } problems[] = {
    { "id_number.length", N_("the ID number must have exactly 18 characters") },
    { "id_number.digits", N_("the first 17 characters of the ID number must be digits") },
    { "id_number.region", N_("the ID number starts with an invalid region code") },
    { "id_number.birth_date",
      N_("the birth date inside the ID number (characters 7-14) is not a real date") },
    { "id_number.check_char",
      N_("the ID number's check character (the 18th) is wrong: a digit was probably mistyped") },
};

/* Returns -1 when s is well-formed, else the index of its problem. */
static int
problem(const char *s)
{
    char date[LX_DATE_LEN], c;
    lx_day d;

    if (!s || strlen(s) != 18)
        return 0;
    for (int i = 0; i < 17; i++)
        if (s[i] < '0' || s[i] > '9')
            return 1;
    if (s[0] < '1' || s[0] > '9')
        return 2;
    memcpy(date, s + 6, 4);
    date[4] = '-';
    memcpy(date + 5, s + 10, 2);
    date[7] = '-';
    memcpy(date + 8, s + 12, 2);
    date[10] = '\0';
    if (days_parse(date, &d) < 0 || d > days_shanghai(clock_now()))
        return 3;
    c = s[17] == 'x' ? 'X' : s[17];
    if (c != idnum_check_char(s))
        return 4;
    return -1;
}

const char *
idnum_problem(const char *s)
{
    int p = problem(s);

    return p < 0 ? NULL : problems[p].key;
}

int
idnum_check(const char *s, const char **why)
{
    int p = problem(s);

    if (p < 0)
        return 0;
    if (why)
        *why = _(problems[p].msg);
    return -1;
}
