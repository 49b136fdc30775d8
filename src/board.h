/* board.h — `lianxi overdue`: the deadline board. */
#ifndef LX_BOARD_H
#define LX_BOARD_H

/* argv[0] is "overdue".  Returns the exit code. */
int board_main(int argc, char **argv);

#endif
