/* opcmd.h — the operators' command table: every command the hub's control
 * socket accepts, who may run it, its parameters with their types and
 * allowed values, and whether the hub runs it off its loop.  The hub routes
 * and authorizes through it, the lianxi client builds its --help and its
 * option parsing from it, and `lianxi-hub --commands` prints it as the
 * protocol's reference. */
#ifndef LX_OPCMD_H
#define LX_OPCMD_H

#include <stddef.h>
#include <stdio.h>

#include "categories.h"

enum opcmd_type {
    OPT_TEXT,       /* any UTF-8 text */
    OPT_DATE,       /* YYYY-MM-DD */
    OPT_INT,        /* a whole number in [min, max] */
    OPT_ENUM,       /* one of values ("a|b|c") */
    OPT_FLAG,       /* present or not ("1") */
    OPT_UNIT,       /* a member unit's code */
    OPT_CATEGORY,   /* a category code of the registry */
};

/* Roles, as bits. */
enum { ROLE_SUPERVISOR = 1, ROLE_CONVENER = 2, ROLE_MEMBER = 4, ROLE_AUDITOR = 8 };

struct opcmd_param {
    const char *name;
    enum opcmd_type type;
    const char *values;     /* OPT_ENUM: the allowed values, "a|b|c" */
    int required;
    int position;           /* > 0: given as the position-th word on the command line */
    long min, max;          /* OPT_INT: the range; OPT_TEXT: max > 0 is the
                             * longest value in bytes (a limit an operator
                             * is told of, not a buffer's size) */
    const char *help;
};

#define OPCMD_MAX_PARAMS 12

struct opcmd {
    const char *name;       /* on the wire; "audit-log" is `lianxi audit log` */
    int roles;              /* ROLE_* bits allowed */
    int offloop;            /* the hub runs it on a thread with a read-only store */
    const char *summary;
    struct opcmd_param params[OPCMD_MAX_PARAMS];
    int changes;            /* it changes what the hub holds (a review, a
                             * meeting, a checkpoint): the console takes it
                             * only as a POST */
};

extern const struct opcmd opcmd_table[];
extern const size_t opcmd_count;

/* The command named name, or NULL. */
const struct opcmd *opcmd_find(const char *name);
/* The parameter of c named name, or NULL. */
const struct opcmd_param *opcmd_param(const struct opcmd *c, const char *name);
/* The ROLE_* bit of a role ("member:police" is ROLE_MEMBER), or 0. */
int opcmd_role_bit(const char *role);

/* Checks one value against its parameter (cats may be NULL: categories are
 * then not checked).  A unit or a category may be named by its code, its
 * name or an unambiguous part of its Chinese name (公安局).  Returns 0, or
 * -1 with a sentence in err (current language) that says what is allowed
 * (for an ambiguous name, the ones it may mean). */
int opcmd_check_value(const struct opcmd_param *p, const categories_t *cats, const char *value,
                      char *err, size_t errlen);
/* opcmd_check_value, writing the value as the hub takes it into canon
 * (canonlen bytes; may be 0): a unit's or a category's code, anything else
 * as given. */
int opcmd_resolve_value(const struct opcmd_param *p, const categories_t *cats, const char *value,
                        char *canon, size_t canonlen, char *err, size_t errlen);

/* "unknown command 'x': the commands are filings, show, …" and the like:
 * sentences that list what is allowed. */
void opcmd_unknown_command(const char *name, char *err, size_t errlen);
void opcmd_unknown_param(const struct opcmd *c, const char *name, char *err, size_t errlen);

/* The words a meeting's documents print for its marks (meeting-create's
 * --secrecy and --urgency): internal is "内部资料 注意保存", recall "会后
 * 收回"; urgent "加急", very_urgent "特急".  Chinese whatever the
 * language: they are the documents' words.  NULL for none, "" (a meeting
 * from before marks) or an unknown code. */
const char *opcmd_secrecy_mark(const char *code);
const char *opcmd_urgency_mark(const char *code);

/* The usage of every command (or one when c is not NULL), as `lianxi -c
 * OPERATOR.CONF …` lines, to out, in the current language. */
void opcmd_usage(FILE *out, const struct opcmd *c);
/* The table as the protocol's reference: command, roles, off the loop,
 * parameters with types and allowed values.  Always in English, whatever
 * the language: it is the contract copied into proto/lianxi.proto, not a
 * text for the operators. */
void opcmd_reference(FILE *out);

#endif
