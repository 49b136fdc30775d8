/* progress.c — the progress bar or lines of the export being read. */
#include "progress.h"
#include "clock.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PROGRESS_MIN_BYTES (4 << 20)    /* smaller files finish before a bar helps */

void
progress_update(struct progress *p, size_t done, size_t total, long filed, long rejected)
{
    int pct, step;

    if (p->quiet || total < PROGRESS_MIN_BYTES || done > total)
        return;
    pct = (int)(done * 100 / total);
    if (!p->shown) {
        p->shown = 1;
        p->tty = isatty(STDERR_FILENO);
        p->step = -1;
        p->start_ms = clock_mono_ms();
    }
    step = p->tty ? pct : pct / 10;
    if (step == p->step)
        return;
    p->step = step;
    if (p->tty) {
        char bar[41];
        int fill = pct * 40 / 100;
        memset(bar, '=', (size_t)fill);
        memset(bar + fill, ' ', (size_t)(40 - fill));
        bar[40] = '\0';
        fprintf(stderr, "\r");
        fprintf(stderr, _("[%s] %3d%%  %ld filed, %ld rejected"), bar, pct, filed, rejected);
    } else {
        fprintf(stderr, _("progress: %d%% read, %ld filings, %ld rows rejected\n"), pct, filed,
                rejected);
    }
}

void
progress_done(struct progress *p)
{
    if (p->shown && p->tty)
        fprintf(stderr, "\r%80s\r", "");
    if (p->shown && !p->quiet)
        fprintf(stderr, _("read in %.1f s\n"), (clock_mono_ms() - p->start_ms) / 1000.0);
    p->shown = 0;
}
