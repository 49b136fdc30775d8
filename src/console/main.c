/* main.c — lianxi-console: the operators' HTTPS gateway to the hub (see
 * API.md).  It holds none of the hub's secrets and never opens its
 * database: each /api/ request goes to the hub's control socket on behalf
 * of the operator whose browser certificate the TLS session presented.
 *
 * Exit codes (sysexits): 0 after SIGTERM or SIGINT; 64 usage; 78 a
 * configuration that cannot be used (missing or unreadable file, bad
 * certificate or key, a key others can read, a bad listen address); 75
 * (EX_TEMPFAIL) when the listen address is in use, so that systemd's
 * Restart=on-failure tries again later; 77 when binding it is not
 * permitted; 73 when RUN/console.url cannot be written; 70 when the HTTPS
 * server cannot start, 71 for another failure of the system. */
#include "api.h"
#include "files.h"
#include "http.h"
#include "i18n.h"
#include "log.h"

#include <errno.h>
#include <getopt.h>
#include <gnutls/gnutls.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sysexits.h>
#include <unistd.h>

static void usage(int code) __attribute__((__noreturn__));

static void
usage(int code)
{
    fprintf(code ? stderr : stdout, "%s",
            _("usage: lianxi-console -c CONSOLE.CONF [-v]\n"
              "  -c, --config FILE   the console's configuration (console.conf, made by "
              "lianxi init)\n"
              "  -v, --verbose       log more (repeat for debug)\n"
              "  -h, --help          this help\n"
              "It serves HTTPS on [console] listen, admits browsers presenting a certificate "
              "of client_ca,\nand forwards their requests to the hub on their behalf.  "
              "SIGTERM or SIGINT stops it.\n"));
    exit(code);
}

/* Reads the PEM file named by [console] key into *out (the caller frees).
 * A secret (the TLS key) must be readable by its owner only.  Returns 0,
 * or -1 after saying why. */
static int
read_pem(const conf_t *conf, const char *key, int secret, char **out)
{
    char path[PATH_MAX];

    *out = NULL;
    if (conf_path(conf, "console", key, NULL, path, sizeof path) < 0)
        return -1;
    if (secret && files_check_secret(path) < 0)
        return -1;
    if (!(*out = files_read(path, NULL))) {
        log_warn(_("[console] %s: cannot read %s"), key, path);
        return -1;
    }
    return 0;
}

/* Whether GnuTLS takes the certificate chain, its key and the client CA,
 * so that a bad file is named here rather than by a failing handshake.
 * Returns 0, or -1 after saying why. */
static int
check_tls(const char *cert, const char *key, const char *ca)
{
    gnutls_certificate_credentials_t cred;
    gnutls_datum_t c = { (unsigned char *)cert, (unsigned)strlen(cert) };
    gnutls_datum_t k = { (unsigned char *)key, (unsigned)strlen(key) };
    gnutls_datum_t a = { (unsigned char *)ca, (unsigned)strlen(ca) };
    int rc;

    if (gnutls_certificate_allocate_credentials(&cred) < 0)
        return -1;
    if ((rc = gnutls_certificate_set_x509_key_mem2(cred, &c, &k, GNUTLS_X509_FMT_PEM, NULL,
                                                   0)) < 0) {
        log_warnx(_("[console] tls_cert and tls_key cannot be used together: %s"),
                  gnutls_strerror(rc));
        gnutls_certificate_free_credentials(cred);
        return -1;
    }
    if ((rc = gnutls_certificate_set_x509_trust_mem(cred, &a, GNUTLS_X509_FMT_PEM)) <= 0) {
        log_warnx(_("[console] client_ca holds no certificate a browser's could be checked "
                    "against: %s"), rc < 0 ? gnutls_strerror(rc) : _("none found"));
        gnutls_certificate_free_credentials(cred);
        return -1;
    }
    gnutls_certificate_free_credentials(cred);
    return 0;
}

/* Binds and listens on [console] listen (HOST:PORT, [IPv6]:PORT; port 0
 * for one chosen now).  Returns the socket with url set to the address
 * browsers use, or -1 with *code the exit code after saying why. */
static int
listen_on(const conf_t *conf, char *url, size_t urllen, int *code)
{
    const char *v = conf_get(conf, "console", "listen", NULL);
    struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV,
                              .ai_socktype = SOCK_STREAM }, *ai = NULL;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char host[256], port[16], *colon;
    int fd = -1, one = 1, rc;

    *code = EX_CONFIG;
    if (!v) {
        log_warnx(_("[console] listen is missing: the address to serve on, as 127.0.0.1:8443"));
        return -1;
    }
    snprintf(host, sizeof host, "%s", v);
    if (!(colon = strrchr(host, ':')) || !colon[1] || strlen(colon + 1) >= sizeof port) {
        log_warnx(_("[console] listen = %s: not HOST:PORT"), v);
        return -1;
    }
    *colon = '\0';
    snprintf(port, sizeof port, "%s", colon + 1);
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = '\0';
    }
    if ((rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &ai)) != 0) {
        log_warnx(_("[console] listen = %s: %s"), v, gai_strerror(rc));
        return -1;
    }
    if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol)) < 0) {
        log_warn(_("cannot make a socket"));
        *code = EX_OSERR;
        goto err;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 64) < 0) {
        int e = errno;
        *code = e == EADDRINUSE ? EX_TEMPFAIL : e == EACCES || e == EPERM ? EX_NOPERM
                : e == EADDRNOTAVAIL ? EX_CONFIG : EX_OSERR;
        if (e == EADDRINUSE)
            log_warnx(_("cannot listen on %s: the address is in use (another console?); "
                        "exiting with 75 so that systemd tries again"), v);
        else
            log_warn(_("cannot listen on %s"), v);
        goto err;
    }
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0 ||
        getnameinfo((struct sockaddr *)&ss, sl, NULL, 0, port, sizeof port,
                    NI_NUMERICSERV) != 0) {
        log_warn(_("cannot read the port of %s"), v);
        *code = EX_OSERR;
        goto err;
    }
    snprintf(url, urllen, strchr(host, ':') ? "https://[%s]:%s/" : "https://%s:%s/",
             host[0] ? host : "localhost", port);
    freeaddrinfo(ai);
    return fd;
err:
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    return -1;
}

/* Writes url to RUN/console.url (durably, in one piece) for the operator
 * and the tests to find the port chosen.  Returns 0, or -1 after saying why. */
static int
publish_url(const conf_t *conf, const char *url, char *file, size_t filelen)
{
    char run[PATH_MAX], line[512];

    if (conf_path(conf, "console", "run", "run", run, sizeof run) < 0 ||
        files_mkdir_p(run, 0755) < 0 ||
        files_join(file, filelen, run, "console.url") < 0) {
        log_warnx(_("[console] run: cannot make the run directory"));
        return -1;
    }
    snprintf(line, sizeof line, "%s\n", url);
    if (files_write_atomic(file, line, strlen(line), 0644) < 0) {
        log_warn(_("cannot write %s"), file);
        return -1;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *cfile = NULL;
    char *cert = NULL, *key = NULL, *ca = NULL, url[300], urlfile[PATH_MAX], err[512];
    conf_t *conf = NULL;
    api_t *api = NULL;
    http_t *http = NULL;
    sigset_t mask;
    int c, fd, sig, code = EX_CONFIG;

    log_init("lianxi-console", LOG_LVL_INFO);
    i18n_init(NULL);
    while ((c = getopt_long(argc, argv, "c:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': cfile = optarg; break;
        case 'v': log_verbose(); break;
        case 'h': usage(EX_OK);
        default: usage(EX_USAGE);
        }
    }
    if (!cfile || optind != argc)
        usage(EX_USAGE);
    /* Signals are read by sigwait below: blocked before any thread starts,
     * so that every thread inherits the mask. */
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    pthread_sigmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (!(conf = conf_load(cfile)))
        goto out;
    conf_language(conf, "console");
    if (read_pem(conf, "tls_cert", 0, &cert) < 0 || read_pem(conf, "tls_key", 1, &key) < 0 ||
        read_pem(conf, "client_ca", 0, &ca) < 0 || check_tls(cert, key, ca) < 0 ||
        !(api = api_new(conf)))
        goto out;
    if ((fd = listen_on(conf, url, sizeof url, &code)) < 0)
        goto out;
    if (!(http = http_start(fd, cert, key, ca, api, err, sizeof err))) {
        log_warnx("%s", err);
        code = EX_SOFTWARE;
        goto out;
    }
    if (publish_url(conf, url, urlfile, sizeof urlfile) < 0) {
        code = EX_CANTCREAT;
        goto out;
    }
    log_info(_("console serving %s"), url);
    while (sigwait(&mask, &sig) != 0 || (sig != SIGTERM && sig != SIGINT))
        ;
    log_info(_("console stopping (signal %d)"), sig);
    unlink(urlfile);
    code = EX_OK;
out:
    /* Requests waiting for the hub give up first, then the server stops. */
    api_shutdown(api);
    http_stop(&http);
    api_destroy(&api);
    if (key)
        explicit_bzero(key, strlen(key));
    free(key);
    free(cert);
    free(ca);
    conf_destroy(&conf);
    if (code != EX_OK)
        log_warnx(_("console not started (exit %d)"), code);
    return code;
}
