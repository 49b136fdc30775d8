/* lianxi — the operator's command: provisioning and keys (more commands
 * arrive with the deadline and review work). */
#include "calcmd.h"
#include "categories.h"
#include "keys.h"
#include "i18n.h"
#include "log.h"
#include "opcli.h"
#include "opcmd.h"
#include "provision.h"

#include <czmq.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static void
usage(void)
{
    fputs(_("usage: lianxi init DIR [--port N]\n"
            "       lianxi keygen --unit CODE [--out DIR]\n"
            "       lianxi keygen --operator NAME --role ROLE [--out DIR]\n"
            "       lianxi calendar due DATE [--days N] | workdays FROM TO | check  [--json]\n"

            "       lianxi -c OPERATOR.CONF COMMAND ...   (the operators' commands, below)\n"
            "  init    provision a whole county on this machine in DIR (demo, tests)\n"
            "  keygen  make one unit's or one operator's keys for a real deployment;\n"
            "          only the .cert file goes to the hub's key directory\n"
            "  calendar  working days, offline (see lianxi calendar --help)\n"

            "  -c        an operator's commands through the hub (see README)\n"
            "roles: supervisor, convener, auditor, member:<unit>\n"
            "units:"), stderr);
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
        { NULL, 0, NULL, 0 },
    };
    int c, port = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "p:", opts, NULL)) != -1) {
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
    if (provision_county(argv[optind], port) < 0)
        return EX_CANTCREAT;
    printf(_("county provisioned in %s\n"
             "  hub:       lianxi-hub -c %s/hub/hub.conf\n"
             "  adapters:  lianxi-adapter-<unit> -c %s/units/<unit>/adapter.conf submit FILE\n"
             "  operators: lianxi -c %s/operators/<name>/operator.conf COMMAND\n"),
           argv[optind], argv[optind], argv[optind], argv[optind]);
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
        { NULL, 0, NULL, 0 },
    };
    const char *unit = NULL, *op = NULL, *role = NULL, *out = ".";
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "u:o:r:d:", opts, NULL)) != -1) {
        switch (c) {
        case 'u': unit = optarg; break;
        case 'o': op = optarg; break;
        case 'r': role = optarg; break;
        case 'd': out = optarg; break;
        default: usage();
        }
    }
    if (optind != argc || (!unit) == (!op))
        usage();
    if (unit) {
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
    } else {
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
    fprintf(stderr, _("lianxi: unknown command '%s'\n"), argv[1]);
    usage();
}
