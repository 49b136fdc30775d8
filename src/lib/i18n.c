/* i18n.c — the locale, the language and the message catalogue. */
#include "i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LX_LOCALEDIR
#define LX_LOCALEDIR "/usr/local/share/locale"
#endif

static int zh;

/* The language the environment asks for, as gettext reads it: LANGUAGE
 * (when the locale is not C), else LC_ALL, LC_MESSAGES, LANG. */
static int
env_wants_zh(void)
{
    const char *vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "zh", 2) == 0;
    }
    return 0;
}

static const char *
locale_dir(void)
{
    const char *env = getenv("LIANXI_LOCALEDIR");

#ifdef LX_BUILD_LOCALEDIR
    if (!env && access(LX_BUILD_LOCALEDIR "/zh_CN/LC_MESSAGES/" LX_TEXTDOMAIN ".mo", R_OK) == 0 &&
        access(LX_LOCALEDIR "/zh_CN/LC_MESSAGES/" LX_TEXTDOMAIN ".mo", R_OK) != 0)
        env = LX_BUILD_LOCALEDIR;
#endif
    return env && *env ? env : LX_LOCALEDIR;
}

int
i18n_init(const char *language)
{
    const char *msgs;
    int rc = 0;

    /* Only characters and messages follow the locale: numbers, dates and
     * sorting stay C, so that JSON, CSV and dates read and write the same
     * everywhere.  A locale that is not installed (zh_CN.UTF-8 without the
     * locales package) leaves C: take C.UTF-8, which glibc always has, so
     * that text is UTF-8 and the catalogue is used. */
    if (!setlocale(LC_CTYPE, ""))
        setlocale(LC_CTYPE, "C.UTF-8");
    if (!setlocale(LC_MESSAGES, ""))
        setlocale(LC_MESSAGES, "C.UTF-8");
    if (language && *language && strcmp(language, "zh") != 0 && strcmp(language, "en") != 0) {
        rc = -1;
        language = NULL;
    }
    zh = language && *language ? strcmp(language, "zh") == 0 : env_wants_zh();
    /* gettext follows LANGUAGE unless the messages locale is C or POSIX. */
    setenv("LANGUAGE", zh ? "zh_CN" : "en", 1);
    msgs = setlocale(LC_MESSAGES, NULL);
    if (zh && msgs && (strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0))
        setlocale(LC_MESSAGES, "C.UTF-8");
    bindtextdomain(LX_TEXTDOMAIN, locale_dir());
    bind_textdomain_codeset(LX_TEXTDOMAIN, "UTF-8");
    return rc;
}

int
i18n_zh(void)
{
    return zh;
}
