/* assets.h — the console's static files, compiled into the binary from
 * src/console/www/ by mkassets.sh (the generated table is in the build
 * directory). */
#ifndef LX_CONSOLE_ASSETS_H
#define LX_CONSOLE_ASSETS_H

#include <stddef.h>

struct asset {
    const char *path;           /* "/index.html", "/js/app.js": under www/ */
    const char *type;           /* its Content-Type */
    const unsigned char *data;
    size_t len;
};

/* Ends with an entry whose path is NULL. */
extern const struct asset assets[];

#endif
