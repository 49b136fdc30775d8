/* lianxi — the operator's command: provisioning and keys (more commands
 * arrive with the deadline and review work). */
#include "archcmd.h"
#include "calcmd.h"
#include "categories.h"
#include "conf.h"
#include "days.h"
#include "keys.h"
#include "i18n.h"
#include "log.h"
#include "opcli.h"
#include "opcmd.h"
#include "names.h"
#include "provision.h"
#include "table.h"
#include "text.h"
#include "tlscert.h"

#include <cjson/cJSON.h>
#include <czmq.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

/* Where `lianxi init /var/lib/lianxi` (the README's real deployment) keeps
 * the console CA, with the hub. */
#define DEFAULT_CA "/var/lib/lianxi/hub/console-ca"
/* The hub's config on its machine (deploy/systemd/lianxi-hub.service). */
#define DEFAULT_HUB_CONF "/var/lib/lianxi/hub/hub.conf"
/* The ports init --hub-only writes: units, and control one above. */
#define DEFAULT_PORT 7701

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
    fprintf(stderr, _("\nsetting up a real deployment, one machine at a time:\n"
            "       lianxi init --hub-only DIR [--port N] [--bind ADDR] [--county NAME] [--force]\n"
            "       lianxi unit-setup --unit CODE --hub tcp://HOST:PORT --hub-cert HUB.CERT DIR "
            "[--force]\n"
            "       lianxi keys list [--dir KEYDIR | -c HUB.CONF] [--json]\n"
            "  init --hub-only  the hub's machine alone: its keys, hub.conf, an empty key\n"
            "          directory, the console CA (ports 7701 and 7702 on --bind, default\n"
            "          0.0.0.0; --port 0: chosen at start); prints the hub's fingerprint\n"
            "  unit-setup  one unit's machine: its keys, adapter.conf for the hub, drop/\n"
            "          done/ notices/; only its .cert goes to the hub's key directory\n"
            "  keys list  the keys the hub authorizes: who, role, fingerprint, file, when\n"
            "          added (default -c %s)"), DEFAULT_HUB_CONF);
    fputs(_("\noperators' commands (the hub's command table):\n"), stderr);
    opcmd_usage(stderr, NULL);
    exit(EX_USAGE);
}

/* The fingerprint of the cert at path (keys.h says how it is made) in fp,
 * or "?" when it cannot be read. */
static const char *
cert_fp(const char *cert_path, char fp[KEYS_FP_LEN])
{
    struct key_entry e;

    if (keys_read_cert(cert_path, &e, NULL) < 0)
        return "?";
    keys_entry_fingerprint(&e, fp);
    return fp;
}

static int
hub_only(const char *dir, const char *bind, int port, const char *county)
{
    char cert[PATH_MAX], ports[16], fpbuf[KEYS_FP_LEN];

    snprintf(ports, sizeof ports, "%d", port);
    if (provision_hub(dir, bind, port, county) < 0)
        return EX_CANTCREAT;
    snprintf(cert, sizeof cert, "%s/hub.cert", dir);
    printf(_("the hub's machine is set up in %s:\n"
             "  %s/hub.conf         its configuration\n"
             "  %s/hub.cert         the hub's public key: give a copy to each unit and operator\n"
             "  %s/hub.cert_secret, hub.sign_secret  secret keys (0600): never leave this "
             "machine\n"
             "  %s/keys/            the key directory, empty: each unit's and operator's .cert "
             "goes here\n"
             "  %s/console-ca/      the console's CA (lianxi keygen --operator, --console)\n"),
           dir, dir, dir, dir, dir, dir);
    printf(_("the hub's fingerprint: %s\n"), cert_fp(cert, fpbuf));
    printf(_("next steps:\n"
             "  1. chown -R lianxi:lianxi %s (when made as root); systemctl enable --now "
             "lianxi-hub\n"
             "  2. each unit runs lianxi unit-setup --unit CODE --hub tcp://THIS-MACHINE:%s "
             "--hub-cert hub.cert\n"
             "     and sends its CODE.cert; read its fingerprint with the unit on the phone before "
             "copying it into %s/keys/\n"
             "     (lianxi keys list --dir %s/keys shows the fingerprints of what is there)\n"),
           dir, port ? ports : "PORT", dir, dir);
    return EX_OK;
}

static int
cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {
        { "port", required_argument, NULL, 'p' },
        { "county", required_argument, NULL, 'n' },
        { "hub-only", no_argument, NULL, 'H' },
        { "bind", required_argument, NULL, 'b' },
        { "force", no_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    int c, port = -1, hub = 0, force = 0, empty;
    const char *county = NULL, *bind = NULL;
    char *end;

    optind = 1;
    while ((c = getopt_long(argc, argv, "p:", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            county = optarg;
            /* One line of a config file, as the documents print it. */
            if (!*county || strlen(county) > 64 || strpbrk(county, "\t\r\n#;=[]") ||
                !text_utf8_valid(county, strlen(county))) {
                fputs(_("lianxi init: --county is the county's name, e.g. 连平县 (one line, at "
                        "most 64 bytes, no # ; = [ ])\n"), stderr);
                return EX_USAGE;
            }
            break;
        case 'p': {
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 0 || v > 65534) {
                fputs(_("lianxi init: --port must be 1-65535\n"), stderr);
                return EX_USAGE;
            }
            port = (int)v;
            break;
        }
        case 'H': hub = 1; break;
        case 'b': bind = optarg; break;
        case 'f': force = 1; break;
        default: usage();
        }
    }
    if (optind != argc - 1 || (!hub && (bind || force)))
        usage();
    if (!hub) {
        if (port == 0) {
            fputs(_("lianxi init: --port must be 1-65535\n"), stderr);
            return EX_USAGE;
        }
        if (provision_county(argv[optind], port < 0 ? 0 : port, county) < 0)
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
    if (bind && (!*bind || strlen(bind) > 100 || strspn(bind, "0123456789abcdefABCDEF.:[]") !=
                 strlen(bind))) {
        fputs(_("lianxi init: --bind is the address the hub listens on, e.g. 0.0.0.0 (all) or "
                "10.1.2.3\n"), stderr);
        return EX_USAGE;
    }
    empty = provision_dir_empty(argv[optind]);
    if (empty < 0) {
        fprintf(stderr, _("lianxi init: cannot read %s: %s\n"), argv[optind], strerror(errno));
        return EX_CANTCREAT;
    }
    if (!empty && !force) {
        fprintf(stderr, _("lianxi init: %s is not empty: choose an empty directory, or --force "
                          "to set up in it anyway (no existing key is overwritten)\n"),
                argv[optind]);
        return EX_CANTCREAT;
    }
    return hub_only(argv[optind], bind ? bind : "0.0.0.0", port < 0 ? DEFAULT_PORT : port,
                    county);
}

/* tcp://HOST:PORT with a host name, an IPv4 address or a [IPv6] address
 * and a port 1-65535: where an adapter connects (no wildcard). */
static int
endpoint_valid(const char *ep)
{
    const char *h, *colon;
    char *end;
    long port;
    size_t hl;

    if (strncmp(ep, "tcp://", 6) != 0)
        return 0;
    h = ep + 6;
    if (!(colon = strrchr(h, ':')) || colon == h)
        return 0;
    hl = (size_t)(colon - h);
    if (h[0] == '[') {
        if (hl < 3 || h[hl - 1] != ']' ||
            strspn(h + 1, "0123456789abcdefABCDEF:.") != hl - 2)
            return 0;
    } else {
        if (strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != hl ||
            h[0] == '-' || h[0] == '.')
            return 0;
    }
    port = strtol(colon + 1, &end, 10);
    return colon[1] >= '0' && colon[1] <= '9' && !*end && port >= 1 && port <= 65535;
}

static void
list_units(FILE *f)
{
    for (size_t i = 0; i < LX_NUNITS; i++)
        fprintf(f, " %s (%s)", lx_units[i].code, i18n_zh() ? lx_units[i].zh : lx_units[i].en);
    fputc('\n', f);
}

static int
cmd_unit_setup(int argc, char **argv)
{
    static const struct option opts[] = {
        { "unit", required_argument, NULL, 'u' },
        { "hub", required_argument, NULL, 'h' },
        { "hub-cert", required_argument, NULL, 'c' },
        { "force", no_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    const char *unit = NULL, *ep = NULL, *hub_cert = NULL, *dir;
    const struct lx_unit *u = NULL;
    struct key_entry hub;
    char cert[PATH_MAX], hub_fp[KEYS_FP_LEN], fpbuf[KEYS_FP_LEN];
    int c, force = 0, secret, empty;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'u': unit = optarg; break;
        case 'h': ep = optarg; break;
        case 'c': hub_cert = optarg; break;
        case 'f': force = 1; break;
        default: usage();
        }
    }
    if (optind != argc - 1 || !unit || !ep || !hub_cert)
        usage();
    dir = argv[optind];
    if (units_lookup(unit, &u) != 1) {
        fprintf(stderr, _("lianxi unit-setup: '%s' is not a member unit of the joint meeting; the "
                          "units are:"), unit);
        list_units(stderr);
        return EX_USAGE;
    }
    if (!endpoint_valid(ep)) {
        fprintf(stderr, _("lianxi unit-setup: --hub must be the hub's address as tcp://HOST:PORT "
                          "(e.g. tcp://10.1.2.3:7701), not '%s'\n"), ep);
        return EX_USAGE;
    }
    if (keys_read_cert(hub_cert, &hub, &secret) < 0) {
        fprintf(stderr, _("lianxi unit-setup: %s is not a key file: --hub-cert is the hub.cert "
                          "the organization department gives you\n"), hub_cert);
        return EX_DATAERR;
    }
    if (secret) {
        fprintf(stderr, _("lianxi unit-setup: %s holds a secret key: only the hub's public "
                          "hub.cert travels, never hub.cert_secret\n"), hub_cert);
        return EX_DATAERR;
    }
    if (hub.kind != KEY_HUB || !hub.has_sign) {
        fprintf(stderr, _("lianxi unit-setup: %s is not the hub's cert (it is a unit's, an "
                          "operator's or a console's): --hub-cert is the hub.cert made by lianxi "
                          "init --hub-only\n"), hub_cert);
        return EX_DATAERR;
    }
    empty = provision_dir_empty(dir);
    if (empty < 0) {
        fprintf(stderr, _("lianxi unit-setup: cannot read %s: %s\n"), dir, strerror(errno));
        return EX_CANTCREAT;
    }
    if (!empty && !force) {
        fprintf(stderr, _("lianxi unit-setup: %s is not empty: choose an empty directory, or "
                          "--force to set up in it anyway (no existing key is overwritten)\n"),
                dir);
        return EX_CANTCREAT;
    }
    if (provision_unit(dir, u->code, ep, hub_cert) < 0)
        return EX_CANTCREAT;
    keys_entry_fingerprint(&hub, hub_fp);
    snprintf(cert, sizeof cert, "%s/%s.cert", dir, u->code);
    printf(_("the adapter of %s (%s) is set up in %s:\n"
             "  %s/%s.cert         public key: the only file that goes to the organization "
             "department\n"
             "  %s/%s.cert_secret  transport secret key (0600): never leaves this machine\n"
             "  %s/%s.sign_secret  signing secret key (0600): never leaves this machine\n"
             "  %s/adapter.conf      its configuration: hub = %s\n"
             "  %s/hub.cert          the hub's public key, fingerprint %s\n"
             "  %s/drop/             exports to file are dropped here (then moved to done/; "
             "reminders in notices/)\n"),
           names_unit(u->code), u->code, dir, dir, u->code, dir, u->code, dir, u->code, dir, ep,
           dir, hub_fp, dir);
    printf(_("this unit's fingerprint: %s\n"), cert_fp(cert, fpbuf));
    printf(_("next steps:\n"
             "  1. send %s to the organization department (USB stick or another trusted "
             "route); on the phone, read this unit's fingerprint and hear the hub's, and "
             "compare: they copy it into the hub's key directory (lianxi keys list shows it)\n"
             "  2. chown -R lianxi:lianxi %s (when made as root); systemctl enable --now "
             "lianxi-adapter@%s (until the hub has the .cert, the adapter is refused, keeps "
             "what is dropped and tries again, at least once a minute)\n"),
           cert, dir, u->code);
    return EX_OK;
}

/* keys list: what the hub would authorize in its key directory now. */
static int
cmd_keys(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *cfile = NULL;
    char path[PATH_MAX];
    int c, json = 0;
    keydir_t *kd;
    conf_t *conf = NULL;

    optind = 1;
    if (argc < 2 || strcmp(argv[1], "list") != 0)
        usage();
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'c': cfile = optarg; break;
        case 'j': json = 1; break;
        default: usage();
        }
    }
    if (optind != argc || (dir && cfile))
        usage();
    if (!dir) {
        if (!(conf = conf_load(cfile ? cfile : DEFAULT_HUB_CONF)) ||
            conf_path(conf, "hub", "keys", NULL, path, sizeof path) < 0) {
            conf_destroy(&conf);
            fprintf(stderr, _("lianxi keys: no key directory: give --dir KEYDIR or -c HUB.CONF "
                              "(with [hub] keys)\n"));
            return EX_NOINPUT;
        }
        conf_destroy(&conf);
        dir = path;
    }
    if (!(kd = keydir_load(dir)))
        return EX_NOINPUT;
    if (json) {
        cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "keys");
        char *out;

        cJSON_AddStringToObject(root, "dir", dir);
        cJSON_AddStringToObject(root, "added_from", "mtime");
        for (size_t i = 0; i < keydir_count(kd); i++) {
            const struct key_entry *e = keydir_at(kd, i);
            static const char *const kinds[] = { "", "hub", "unit", "operator", "console" };
            cJSON *o = cJSON_CreateObject();
            char fp[KEYS_FP_LEN], when[20];
            struct stat st;

            keys_entry_fingerprint(e, fp);
            cJSON_AddStringToObject(o, "kind", kinds[e->kind]);
            cJSON_AddStringToObject(o, "name", e->name);
            if (e->kind == KEY_OPERATOR)
                cJSON_AddStringToObject(o, "role", e->role);
            else
                cJSON_AddNullToObject(o, "role");
            cJSON_AddStringToObject(o, "user_id", e->user_id);
            cJSON_AddStringToObject(o, "fingerprint", fp);
            cJSON_AddStringToObject(o, "file", e->file);
            if (stat(e->file, &st) == 0) {
                days_time_format(st.st_mtime, when);
                cJSON_AddStringToObject(o, "added", when);
                cJSON_AddNumberToObject(o, "added_unix", (double)st.st_mtime);
            } else {
                cJSON_AddNullToObject(o, "added");
                cJSON_AddNullToObject(o, "added_unix");
            }
            cJSON_AddItemToArray(arr, o);
        }
        out = cJSON_Print(root);
        puts(out ? out : "{}");
        free(out);
        cJSON_Delete(root);
    } else {
        struct table *t = table_new(7, _("kind"), _("holder"), _("role"), _("fingerprint"),
                                    _("file"), _("added (file time)"), _("user id"));
        for (size_t i = 0; i < keydir_count(kd); i++) {
            const struct key_entry *e = keydir_at(kd, i);
            char fp[KEYS_FP_LEN], when[20] = "-";
            const char *base = strrchr(e->file, '/');
            struct stat st;

            keys_entry_fingerprint(e, fp);
            if (stat(e->file, &st) == 0)
                days_time_format(st.st_mtime, when);
            table_add(t, e->kind == KEY_UNIT ? _("unit") : e->kind == KEY_OPERATOR ?
                      _("operator") : _("console"),
                      e->kind == KEY_UNIT ? names_unit(e->name) : e->name,
                      e->kind == KEY_OPERATOR ? names_role(e->role) : "-", fp,
                      base ? base + 1 : e->file, when, e->user_id);
        }
        if (table_rows(t))
            table_print(t, stdout);
        else
            table_free(t);
        printf(_("%zu keys authorized in %s (added: the time the file was last changed)\n"),
               keydir_count(kd), dir);
    }
    keydir_destroy(&kd);
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
    char pass[TLSCERT_PASS_LEN], old[PATH_MAX], fpbuf[KEYS_FP_LEN];
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
        snprintf(old, sizeof old, "%s/%s.cert", out, op);
        printf(_("fingerprint: %s\n"), cert_fp(old, fpbuf));
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
    char cert[PATH_MAX], fpbuf[KEYS_FP_LEN];

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
    snprintf(cert, sizeof cert, "%s/%s.cert", out, name);
    printf(_("fingerprint: %s\n"), cert_fp(cert, fpbuf));
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
    char cert[PATH_MAX], fpbuf[KEYS_FP_LEN];
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
    snprintf(cert, sizeof cert, "%s/%s.cert", out, unit);
    printf(_("fingerprint: %s\n"), cert_fp(cert, fpbuf));
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
    if (strcmp(argv[1], "unit-setup") == 0)
        return cmd_unit_setup(argc - 1, argv + 1);
    if (strcmp(argv[1], "keys") == 0)
        return cmd_keys(argc - 1, argv + 1);
    if (strcmp(argv[1], "calendar") == 0)
        return calcmd_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "archive-verify") == 0)
        return archcmd_main(argc - 1, argv + 1);
    fprintf(stderr, _("lianxi: unknown command '%s'\n"), argv[1]);
    usage();
}
