/* attfetch.h — fetching a filing's attachment from the hub into a file,
 * piece by piece, its hash checked (`lianxi -c … attachment RECEIPT N -o
 * FILE`). */
#ifndef LX_ATTFETCH_H
#define LX_ATTFETCH_H

#include "conf.h"
#include "lianxi.pb-c.h"

/* Fetches attachment n (text, "1".."16") of the filing with receipt number
 * receipt into out ("-": standard output, never a terminal) through
 * out.part, renamed when the BLAKE2b-256 of what was written is the hash
 * the hub recorded; out.part is removed on any failure.  A progress bar on
 * standard error when it is a terminal and the file is large.  Returns the
 * exit code (sysexits; the hub's refusals as for every command, see
 * attfetch_code). */
int attfetch_main(const conf_t *conf, const char *receipt, const char *n, const char *out);

/* The exit code of a refused OpReply: 64 usage, 75 try again, 65 data,
 * 77 permission and "no such filing" alike. */
int attfetch_code(const Lianxi__OpReply *r);

#endif
