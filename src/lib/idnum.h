/* idnum.h — resident identity numbers (GB 11643, ISO 7064 MOD 11-2). */
#ifndef LX_IDNUM_H
#define LX_IDNUM_H

/* The check character for the first 17 digits, or 0 when they are not digits. */
char idnum_check_char(const char *first17);

/* Returns 0 when s is a well-formed 18-character number with a real birth
 * date and the right check character (upper- or lower-case X accepted).
 * Otherwise returns -1 and, when why is not NULL, points it at a static
 * sentence saying what is wrong. */
int idnum_check(const char *s, const char **why);

#endif
