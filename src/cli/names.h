/* names.h — what people read instead of codes: units and categories by
 * name, stages, scopes, review states and ranks in the operator's language
 * (the codes stay in --json and in the hub's CSV). */
#ifndef LX_CLI_NAMES_H
#define LX_CLI_NAMES_H

#include "conf.h"

/* Loads the category registry named by [operator] categories in conf (or
 * the installed one); without it categories are shown by their codes. */
void names_load(const conf_t *conf);
void names_free(void);

/* The unit's name (县公安局), or code itself when it is not a unit. */
const char *names_unit(const char *code);
/* The category's name (醉酒驾驶), or code itself. */
const char *names_category(const char *code);
/* Stage by number (1..3) or by word (notice, report, supplement). */
const char *names_stage(int stage);
const char *names_stage_word(const char *word);
/* Disclosure scope by number (1..4). */
const char *names_scope(int scope);
/* A review state or action (accept(ed), note(d), supplement; "" is
 * unreviewed). */
const char *names_review(const char *state);
/* A rank by number (1..6); "" for 0. */
const char *names_rank(int rank);
/* A meeting's kind (annual, adhoc). */
const char *names_meeting_kind(const char *kind);
/* An operator's role (supervisor, convener, auditor, member:<unit>). */
const char *names_role(const char *role);
/* on time or late. */
const char *names_on_time(int on_time);

#endif
