/* table.h — a listing for the terminal: a header row and rows of cells,
 * each column as wide as its widest cell in terminal columns (a Chinese
 * character is two), two spaces between columns. */
#ifndef LX_CLI_TABLE_H
#define LX_CLI_TABLE_H

#include <stdio.h>

struct table;

/* A table of ncols columns whose header cells are the ncols strings given. */
struct table *table_new(int ncols, ...);
/* Adds a row of ncols cells (copied; NULL is ""). */
void table_add(struct table *t, ...);
int table_rows(const struct table *t);
/* Prints the header and the rows to out, and frees the table. */
void table_print(struct table *t, FILE *out);
/* Frees the table unprinted. */
void table_free(struct table *t);

#endif
