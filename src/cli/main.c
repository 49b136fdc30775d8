/* lianxi — the operator's command: provisioning and keys (more commands
 * arrive with the deadline and review work). */
#include "archcmd.h"
#include "calcmd.h"
#include "categories.h"
#include "keys.h"
#include "i18n.h"
#include "log.h"
#include "opcli.h"
#include "opcmd.h"
#include "provision.h"
#include "text.h"
#include "tlscert.h"

#include <czmq.h>
#include <getopt.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

/* Where `lianxi init /var/lib/lianxi` (the README's real deployment) keeps
 * the console CA, with the hub. */
#define DEFAULT_CA "/var/lib/lianxi/hub/console-ca"

static void
usage(void)
{
    fprintf(stderr, _("usage: lianxi init DIR [--port N] [--county NAME]\n"
            "       lianxi keygen --unit CODE [--out DIR]\n"
            "       lianxi keygen --operator NAME --role ROLE [--ca DIR] [--out DIR]\n"
            "       lianxi keygen --operator NAME --renew-browser [--ca DIR] [--out DIR]\n"
            "       lianxi keygen --console NAME --ca DIR [--host H]... [--out DIR]\n"
            "       lianxi calendar due DATE [--days N] | workdays FROM TO | check  [--json]\n"
            "       lianxi archive-verify FILE [--hub-cert HUB.CERT] [--prev FILE] [--json]\n"

            "       lianxi -c OPERATOR.CONF COMMAND ...   (the operators' commands, below)\n"
            "  init    provision a whole county on this machine in DIR (demo, tests);\n"
            "          --county NAME  the county's name in the documents (e.g. 连平县)\n"
            "  keygen  make one unit's or one operator's keys for a real deployment;\n"
            "          only the .cert file goes to the hub's key directory\n"
            "          --ca DIR  the console CA (ca.crt, ca.key; default\n"
            "                    %s when it exists): an operator\n"
            "                    also gets a browser certificate NAME.p12 for the console\n"
            "          --renew-browser  a new browser certificate for NAME.cert (the old\n"
            "                    one is refused once the hub has the new NAME.cert)\n"
            "          --console NAME  the console's key and HTTPS certificate for the\n"
            "                    hosts given (default 127.0.0.1 and localhost)\n"
            "  calendar  working days, offline (see lianxi calendar --help)\n"
            "  archive-verify  check a hub's yearly archive (lianxi-hub archive) on any\n"
            "          machine: hashes, signature, audit chain, --prev the archive before\n"

            "  -c        an operator's commands through the hub (see README)\n"
            "roles: supervisor, convener, auditor, member:<unit>\n"
            "units:"), DEFAULT_CA);
    for (size_t i = 0; i < LX_NUNITS; i++)
        fprintf(stderr, " %s (%s)", lx_units[i].code, i18n_zh() ? lx_units[i].zh : lx_units[i].en);
    fputs(_("\noperators' commands (the hub's command table):\n"), stderr);
    opcmd_usage(stderr, NULL);
    exit(EX_USAGE);
}

static int
cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {
        { "port", required_argument, NULL, 'p' },
        { "county", required_argument, NULL, 'n' },
        { NULL, 0, NULL, 0 },
    };
    int c, port = 0;
    const char *county = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, "p:", opts, NULL)) != -1) {
        if (c == 'n') {
            county = optarg;
            /* One line of a config file, as the documents print it. */
            if (!*county || strlen(county) > 64 || strpbrk(county, "\t\r\n#;=[]") ||
                !text_utf8_valid(county, strlen(county))) {
                fputs(_("lianxi init: --county is the county's name, e.g. 连平县 (one line, at "
                        "most 64 bytes, no # ; = [ ])\n"), stderr);
                return EX_USAGE;
            }
            continue;
        }
        if (c != 'p')
            usage();
        port = atoi(optarg);
        if (port <= 0 || port > 65535) {
            fputs(_("lianxi init: --port must be 1-65535\n"), stderr);
            return EX_USAGE;
        }
    }
    if (optind != argc - 1)
        usage();
    if (provision_county(argv[optind], port, county) < 0)
        return EX_CANTCREAT;
    printf(_("county provisioned in %s\n"
             "  hub:       lianxi-hub -c %s/hub/hub.conf\n"
             "  adapters:  lianxi-adapter-<unit> -c %s/units/<unit>/adapter.conf submit FILE\n"
             "  operators: lianxi -c %s/operators/<name>/operator.conf COMMAND\n"),
           argv[optind], argv[optind], argv[optind], argv[optind]);
    printf(_("  console:   lianxi-console -c %s/console/console.conf  (HTTPS; each operator's "
             "browser certificate: operators/<name>/<name>.p12, passphrase in <name>.p12.pass; "
             "browsers trust console/ca.crt)\n"), argv[optind]);
    return EX_OK;
}

static void
print_browser(const char *out, const char *name, const char *pass)
{
    printf(_("browser certificate for the console (give the .p12 and its passphrase to %s in "
             "person, like a USB key):\n"
             "  %s/%s.p12       import it into the browser (Windows: double-click it)\n"
             "  %s/%s.p12.pass  its import passphrase: %s\n"
             "  %s/%s.crt       the certificate, for reference\n"
             "  its fingerprint is recorded in %s/%s.cert\n"),
           name, out, name, out, name, pass, out, name, out, name);
}

/* The CA to sign with: --ca, else the default when it exists, else NULL. */
static const char *
keygen_ca(const char *ca)
{
    struct stat st;

    if (ca)
        return ca;
    return stat(DEFAULT_CA "/ca.key", &st) == 0 ? DEFAULT_CA : NULL;
}

static int
keygen_operator(const char *op, const char *role, const char *ca, const char *out, int renew)
{
    char pass[TLSCERT_PASS_LEN], old[PATH_MAX];
    struct stat st;
    int had;

    if (!renew) {
        if (!keys_role_valid(role)) {
            fputs(_("lianxi keygen: --role must be supervisor, convener, auditor or "
                    "member:<unit>\n"), stderr);
            return EX_USAGE;
        }
        if (keys_generate(out, op, KEY_OPERATOR, op, role) < 0)
            return EX_CANTCREAT;
        printf(_("operator %s (%s) keys written to %s:\n"
                 "  %s/%s.cert         public: goes to the hub's key directory\n"
                 "  %s/%s.cert_secret  secret: stays with the operator (0600)\n"),
               op, role, out, out, op, out, op);
    }
    if (!(ca = keygen_ca(ca))) {
        printf(_("no browser certificate was made for the console: no console CA was given "
                 "and %s does not exist.  On the machine that keeps the CA run\n"
                 "  lianxi keygen --operator %s --renew-browser --ca HUB/console-ca --out %s\n"),
               DEFAULT_CA, op, out);
        return renew ? EX_USAGE : EX_OK;
    }
    snprintf(old, sizeof old, "%s/%s.p12", out, op);
    had = renew && stat(old, &st) == 0;
    if (provision_browser(out, op, role, ca, renew, pass) < 0)
        return EX_CANTCREAT;
    print_browser(out, op, pass);
    if (had)
        printf(_("the old browser certificate of %s is refused once the hub has this %s.cert "
                 "(copy it into the hub's key directory)\n"), op, op);
    sodium_memzero(pass, sizeof pass);
    return EX_OK;
}

static int
keygen_console(const char *name, const char *ca, const char *out, const char **hosts,
               size_t nhosts)
{
    if (!ca) {
        fputs(_("lianxi keygen: --console needs --ca DIR (the console CA, hub/console-ca)\n"),
              stderr);
        return EX_USAGE;
    }
    if (provision_console(out, name, name, ca, hosts, nhosts) < 0)
        return EX_CANTCREAT;
    printf(_("console %s written to %s:\n"
             "  %s/%s.cert         public: goes to the hub's key directory\n"
             "  %s/%s.cert_secret  secret: stays on the console's machine (0600)\n"
             "  %s/tls.crt, tls.key  its HTTPS certificate and key (0600), for:"),
           name, out, out, name, out, name, out);
    if (nhosts == 0)
        fputs(" 127.0.0.1 localhost", stdout);
    for (size_t i = 0; i < nhosts; i++)
        printf(" %s", hosts[i]);
    printf(_("\n  %s/ca.crt           the CA it checks browser certificates against; "
             "browsers trust it to reach the console\n"
             "copy the hub's hub.cert beside them and write console.conf (see "
             "deploy/console.conf)\n"), out);
    return EX_OK;
}

static int
cmd_keygen(int argc, char **argv)
{
    static const struct option opts[] = {
        { "unit", required_argument, NULL, 'u' },
        { "operator", required_argument, NULL, 'o' },
        { "role", required_argument, NULL, 'r' },
        { "out", required_argument, NULL, 'd' },
        { "ca", required_argument, NULL, 'a' },
        { "renew-browser", no_argument, NULL, 'R' },
        { "console", required_argument, NULL, 'C' },
        { "host", required_argument, NULL, 'H' },
        { NULL, 0, NULL, 0 },
    };
    const char *unit = NULL, *op = NULL, *role = NULL, *out = ".", *ca = NULL, *console = NULL;
    const char *hosts[32];
    size_t nhosts = 0;
    int c, renew = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "u:o:r:d:", opts, NULL)) != -1) {
        switch (c) {
        case 'u': unit = optarg; break;
        case 'o': op = optarg; break;
        case 'r': role = optarg; break;
        case 'd': out = optarg; break;
        case 'a': ca = optarg; break;
        case 'R': renew = 1; break;
        case 'C': console = optarg; break;
        case 'H':
            if (nhosts == sizeof hosts / sizeof hosts[0]) {
                fputs(_("lianxi keygen: too many --host\n"), stderr);
                return EX_USAGE;
            }
            hosts[nhosts++] = optarg;
            break;
        default: usage();
        }
    }
    if (optind != argc || (!!unit + !!op + !!console) != 1 || (renew && !op) ||
        (nhosts && !console) || (role && !op) || (ca && unit))
        usage();
    if (console)
        return keygen_console(console, ca, out, hosts, nhosts);
    if (op)
        return keygen_operator(op, role, ca, out, renew);
    if (!units_find(unit)) {
        fprintf(stderr, _("lianxi keygen: unknown unit '%s' (see lianxi --help)\n"), unit);
        return EX_USAGE;
    }
    if (keys_generate(out, unit, KEY_UNIT, unit, NULL) < 0)
        return EX_CANTCREAT;
    printf(_("unit %s keys written to %s:\n"
             "  %s/%s.cert         public: send it to the organization department for the\n"
             "                     hub's key directory\n"
             "  %s/%s.cert_secret  transport secret key: stays on the adapter machine "
             "(0600)\n"
             "  %s/%s.sign_secret  signing secret key: stays on the adapter machine (0600)\n"),
           unit, out, out, unit, out, unit, out, unit);
    return EX_OK;
}

int
main(int argc, char **argv)
{
    log_init("lianxi", LOG_LVL_INFO);
    i18n_init(NULL);
    zsys_handler_set(NULL);
    if (sodium_init() < 0)
        fatalx("%s", _("libsodium cannot start"));
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        usage();
    if (strcmp(argv[1], "-c") == 0)
        return opcli_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "init") == 0)
        return cmd_init(argc - 1, argv + 1);
    if (strcmp(argv[1], "keygen") == 0)
        return cmd_keygen(argc - 1, argv + 1);
    if (strcmp(argv[1], "calendar") == 0)
        return calcmd_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "archive-verify") == 0)
        return archcmd_main(argc - 1, argv + 1);
    fprintf(stderr, _("lianxi: unknown command '%s'\n"), argv[1]);
    usage();
}
