/* main.c — lianxi-console (being built: see API.md). */
#include "assets.h"

#include <stdio.h>

int main(void);

int
main(void)
{
    fprintf(stderr, "lianxi-console: not built yet (%s)\n", assets[0].path);
    return 69;
}
