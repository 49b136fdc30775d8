/* chromium.h — printing an HTML document to PDF through headless Chromium,
 * when it is installed (the briefing's --format pdf and the console's). */
#ifndef LX_CHROMIUM_H
#define LX_CHROMIUM_H

#include <stddef.h>

/* The Chromium binary: $LIANXI_CHROMIUM when set (an explicit choice, also
 * of none: a path that is not executable), else the first of the usual
 * paths that is.  NULL when there is none. */
const char *chromium_path(void);

/* Prints the HTML document doc (len bytes) to the PDF file out, through a
 * temp directory that is removed afterwards, waiting at most timeout_ms
 * for Chromium (then killed).  Returns 0 when out was written, or -1 with
 * a sentence in err (current language): not installed, could not print. */
int chromium_print_pdf(const char *doc, size_t len, const char *out, int timeout_ms,
                       char *err, size_t errlen);

#endif
