/* archcmd.c — `lianxi archive-verify FILE [--hub-cert C] [--prev FILE] [--json]`. */
#include "archcmd.h"
#include "archfmt.h"
#include "i18n.h"
#include "keys.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

static void
usage(void)
{
    fprintf(stderr, "%s", _("usage: lianxi archive-verify FILE [--hub-cert HUB.CERT] "
                            "[--prev PREVIOUS.zip] [--json]\n"
                            "  checks a hub's yearly archive without the hub: every file's "
                            "hash and size,\n"
                            "  the manifest's signature (against the hub's cert when given), "
                            "the audit\n"
                            "  chain inside, and with --prev the chain to the previous "
                            "archive\n"));
    exit(EX_USAGE);
}

int
archcmd_main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "hub-cert", required_argument, NULL, 'c' },
        { "prev", required_argument, NULL, 'p' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *cert = NULL, *prev = NULL, *file;
    struct archfmt_result r;
    uint8_t pin[32];
    int c, json = 0, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "c:p:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': cert = optarg; break;
        case 'p': prev = optarg; break;
        case 'j': json = 1; break;
        default: usage();
        }
    }
    if (optind != argc - 1)
        usage();
    file = argv[optind];
    if (cert && keys_load_sign_public(cert, pin) < 0)
        return EX_NOINPUT;
    rc = archfmt_verify(file, cert ? pin : NULL, prev, &r);
    if (json) {
        cJSON *j = cJSON_CreateObject(), *a;
        cJSON_AddStringToObject(j, "file", file);
        cJSON_AddBoolToObject(j, "ok", rc == 0);
        cJSON_AddNumberToObject(j, "exit", rc);
        cJSON_AddNumberToObject(j, "year", r.year);
        cJSON_AddStringToObject(j, "manifest_hash", r.manifest_hash);
        cJSON_AddStringToObject(j, "prev", r.prev_hash);
        cJSON_AddStringToObject(j, "hub_sign_key", r.key);
        cJSON_AddBoolToObject(j, "key_pinned", r.pinned);
        cJSON_AddNumberToObject(j, "audit_entries", (double)r.audit_entries);
        a = cJSON_AddArrayToObject(j, "findings");
        for (size_t i = 0; a && i < r.nfindings; i++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddBoolToObject(f, "ok", r.findings[i].ok);
            cJSON_AddStringToObject(f, "file", r.findings[i].file);
            cJSON_AddStringToObject(f, "text", r.findings[i].text);
            cJSON_AddItemToArray(a, f);
        }
        text_print_json(j);
    } else {
        for (size_t i = 0; i < r.nfindings; i++)
            printf("%s %s\n", r.findings[i].ok ? _("[ok]") : _("[MISMATCH]"),
                   r.findings[i].text);
        if (rc == 0)
            printf(_("archive %s (year %d) verified: all files, the signature and the audit "
                     "chain match\n"), file, r.year);
        else if (rc == EX_NOINPUT)
            printf(_("archive %s cannot be read\n"), file);
        else
            printf(_("archive %s does NOT verify: %zu findings above do not match\n"), file,
                   r.bad);
    }
    archfmt_result_free(&r);
    return rc;
}
