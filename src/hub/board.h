/* board.h — the deadline board: open obligations, late filings, timeliness. */
#ifndef LX_BOARD_H
#define LX_BOARD_H

#include <stdio.h>

#include "calendar.h"
#include "categories.h"
#include "store.h"

/* `lianxi-hub -c HUB.CONF overdue …`: the board from the hub's database,
 * read-only, on the hub's machine (also while the hub is down).  argv[0]
 * is "overdue".  Returns the exit code. */
int board_main(const char *hub_conf, int argc, char **argv);

/* Writes the board to out (text, or one line of JSON): open obligations,
 * late filings received in [since, until], timeliness per unit (only unit
 * when not NULL), meeting duties.  Each list shows at most limit entries
 * (limit 0: 50 as text, all as JSON), the open obligations after skipping
 * offset; the JSON's "totals" says how many each list has in all, and each
 * open obligation names the filing it is about (receipt_no, cadre_name).
 * The text is in the current language, with units and categories (cats,
 * may be NULL) by their Chinese names; the JSON keeps the codes.  Returns
 * an exit code. */
int board_write(store_t *db, const calendar_t *cal, const categories_t *cats, const char *unit,
                lx_day since, lx_day until, int limit, int offset, int json, FILE *out);

#endif
