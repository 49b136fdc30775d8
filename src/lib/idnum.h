/* idnum.h — resident identity numbers (GB 11643, ISO 7064 MOD 11-2). */
#ifndef LX_IDNUM_H
#define LX_IDNUM_H

/* The check character for the first 17 digits, or 0 when they are not digits. */
char idnum_check_char(const char *first17);

/* Returns 0 when s is a well-formed 18-character number with a real birth
 * date and the right check character (upper- or lower-case X accepted).
 * Otherwise returns -1 and, when why is not NULL, points it at a static
 * sentence saying what is wrong, in the current language. */
int idnum_check(const char *s, const char **why);
/* NULL when s is well-formed (as idnum_check), else the reason key of what
 * is wrong ("id_number.check_char", src/lib/reasons.c). */
const char *idnum_problem(const char *s);

#endif
