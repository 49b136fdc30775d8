/* i18n.h — the language people read: GNU gettext, domain "lianxi".
 *
 * Messages are written in English in the source, marked _("…") (or N_ where
 * the string is translated later, e.g. in a table), and translated in
 * po/zh_CN.po.  A program calls i18n_init once with its config's
 * `language` (zh or en; NULL or "" follows the locale, LANG/LC_MESSAGES/
 * LANGUAGE, as usual). */
#ifndef LX_I18N_H
#define LX_I18N_H

#include <libintl.h>

#define LX_TEXTDOMAIN "lianxi"
#define _(s) dgettext(LX_TEXTDOMAIN, s)
#define N_(s) (s)

/* Sets the locale from the environment and the language from language
 * ("zh", "en", or NULL/"" for the locale's), and binds the catalogue:
 * $LIANXI_LOCALEDIR, else the build tree's when the program runs from it,
 * else PREFIX/share/locale.  Returns 0, or -1 when language is not one of
 * those (then the locale's is used). */
int i18n_init(const char *language);
/* 1 when messages are in Chinese. */
int i18n_zh(void);

#endif
