/* idnum.c — validate 18-character resident identity numbers. */
#include "idnum.h"
#include "days.h"
#include "clock.h"

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

int
idnum_check(const char *s, const char **why)
{
    const char *msg = NULL;
    char date[LX_DATE_LEN], c;
    lx_day d;

    if (!s || strlen(s) != 18) {
        msg = "the ID number must have exactly 18 characters";
        goto bad;
    }
    for (int i = 0; i < 17; i++)
        if (s[i] < '0' || s[i] > '9') {
            msg = "the first 17 characters of the ID number must be digits";
            goto bad;
        }
    if (s[0] < '1' || s[0] > '9') {
        msg = "the ID number starts with an invalid region code";
        goto bad;
    }
    memcpy(date, s + 6, 4);
    date[4] = '-';
    memcpy(date + 5, s + 10, 2);
    date[7] = '-';
    memcpy(date + 8, s + 12, 2);
    date[10] = '\0';
    if (days_parse(date, &d) < 0 || d > days_shanghai(clock_now())) {
        msg = "the birth date inside the ID number (characters 7-14) is not a real date";
        goto bad;
    }
    c = s[17] == 'x' ? 'X' : s[17];
    if (c != idnum_check_char(s)) {
        msg = "the ID number's check character (the 18th) is wrong: a digit was probably mistyped";
        goto bad;
    }
    return 0;
bad:
    if (why)
        *why = msg;
    return -1;
}
