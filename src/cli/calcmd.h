/* calcmd.h — the `lianxi calendar` subcommands. */
#ifndef LX_CALCMD_H
#define LX_CALCMD_H

/* argv[0] is "calendar".  Returns the exit code. */
int calcmd_main(int argc, char **argv);

#endif
