/* chromium.c — HTML to PDF with headless Chromium, run by posix_spawn. */
#include "chromium.h"
#include "files.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *
chromium_path(void)
{
    static const char *const names[] = { "/usr/bin/chromium", "/usr/bin/chromium-browser",
                                         "/usr/bin/google-chrome" };
    const char *env = getenv("LIANXI_CHROMIUM");

    if (env)    /* an explicit choice, also of none */
        return access(env, X_OK) == 0 ? env : NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (access(names[i], X_OK) == 0)
            return names[i];
    return NULL;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* Waits for the child pid up to timeout_ms; on time-out kills its process
 * group (it was started as the leader of one: Chromium's helpers go too).
 * Returns its wait status, or -1 when it was killed or could not be waited for. */
static int
wait_child(pid_t pid, int timeout_ms)
{
    int fd = (int)syscall(SYS_pidfd_open, pid, 0), status;
    struct pollfd p = { fd, POLLIN, 0 };
    int timed_out = 0;

    if (fd >= 0) {
        timed_out = poll(&p, 1, timeout_ms) <= 0;
        close(fd);
    }
    if (timed_out)
        kill(-pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return timed_out ? -1 : status;
}

int
chromium_print_pdf(const char *doc, size_t len, const char *out, int timeout_ms, char *err,
                   size_t errlen)
{
    const char *bin = chromium_path();
    char dir[] = "/tmp/lianxi-brief-XXXXXX", html[PATH_MAX], profile[PATH_MAX + 32];
    char print[PATH_MAX + 32], url[PATH_MAX + 16];
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    pid_t pid;
    int rc = -1, status;

    if (!bin) {
        snprintf(err, errlen, _("PDF is printed from the HTML through Chromium, which is not "
                 "installed (apt-get install chromium)"));
        return -1;
    }
    if (!mkdtemp(dir)) {
        snprintf(err, errlen, _("cannot make a temp directory for Chromium: %s"), strerror(errno));
        return -1;
    }
    snprintf(html, sizeof html, "%s/brief.html", dir);
    snprintf(profile, sizeof profile, "--user-data-dir=%s/profile", dir);
    snprintf(print, sizeof print, "--print-to-pdf=%s", out);
    snprintf(url, sizeof url, "file://%s", html);
    if (files_write_atomic(html, doc, len, 0600) < 0) {
        snprintf(err, errlen, _("cannot write %s: %s"), html, strerror(errno));
        goto out;
    }
    char *const argv[] = { (char *)bin, "--headless", "--no-sandbox", "--disable-gpu",
                           "--no-first-run", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", profile,
                           "--no-pdf-header-footer", print, url, NULL };
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    unlink(out);
    errno = posix_spawn(&pid, bin, &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    if (errno) {
        snprintf(err, errlen, _("cannot run %s: %s"), bin, strerror(errno));
        goto out;
    }
    status = wait_child(pid, timeout_ms);
    if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || access(out, R_OK) != 0) {
        snprintf(err, errlen, _("Chromium could not print %s"), out);
        goto out;
    }
    rc = 0;
out:
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
