/* opcli.h — the operator commands of `lianxi -c OPERATOR.CONF ...`, a client
 * of the hub's control socket (it never opens the hub's database). */
#ifndef LX_OPCLI_H
#define LX_OPCLI_H

/* argv[0] is the config path's flag ("-c"); returns the exit code. */
int opcli_main(int argc, char **argv);

#endif
