/* archcmd.h — `lianxi archive-verify`: checks one of the hub's yearly
 * archives on any machine, without the hub (archfmt.h). */
#ifndef LX_ARCHCMD_H
#define LX_ARCHCMD_H

/* argv[0] is "archive-verify".  Returns 0 when all is well, 65 on any
 * mismatch, 66 when the archive cannot be read, 64 on a usage error. */
int archcmd_main(int argc, char **argv);

#endif
