/* it_console.c — lianxi-console as browsers meet it: the real hub, the real
 * adapters and the real console on loopback, and a small HTTPS client here
 * (GnuTLS) that presents an operator's certificate, another CA's, an expired
 * one or none. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <limits.h>
#include <netinet/in.h>
#include <sodium.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "categories.h"
#include "clock.h"
#include "days.h"
#include "files.h"
#include "harness.h"
#include "keys.h"
#include "text.h"

#define WAIT_MS 20000

static struct county C;
static pid_t console;
static int port;
static char learned[LX_DATE_LEN];

/* What the units file here: the expected counts come from these rows. */
#define POLICE_HEADER "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态," \
                      "简要案情,知悉范围\n"
#define POLICE_ROWS 2
static const char *const police_rows[POLICE_ROWS][2] = {
    { "A4416232026112801,杨志明,44162319851208185X,县农业农村局,股长,科员,醉酒驾驶机动车,",
      ",已办结,醉酒驾驶机动车被查获。,党政机关\n" },
    { "A4416232026112802,周晓峰,44162319830210147X,县市场监管局,副主任,副科,赌博,",
      ",已办结,参与赌博被行政拘留。,党政机关\n" },
};
#define COURT_HEADER "案号,当事人,证件号码,工作单位,职务,职级,案件类型,立案日期,案件状态," \
                     "裁判结果摘要,承办法官,公开范围\n"
#define COURT_ROWS 1
static const char *const court_rows[COURT_ROWS][2] = {
    { "（2026）粤1623刑初62号,邱小红,441623197907134720,内莞镇人民政府,党委副书记,副科,刑事案件,",
      ",已判决,犯滥用职权罪，情节轻微，免予刑事处罚。,邱伟明,\n" },
};

/* ---- certificates ------------------------------------------------------ */

struct tlsid {
    gnutls_x509_crt_t crt;
    gnutls_x509_privkey_t key;
};

enum cert_kind { CERT_CA, CERT_SERVER, CERT_CLIENT };

/* A certificate for the distinguished name dn ("CN=…"), signed by issuer
 * (NULL: self-signed), valid from not_before to not_after. */
static void
make_cert(struct tlsid *out, const char *dn, const struct tlsid *issuer, enum cert_kind kind,
          time_t not_before, time_t not_after)
{
    static unsigned serial = 1000;
    unsigned char sn[4];
    unsigned char ip[4] = { 127, 0, 0, 1 };

    serial++;
    sn[0] = (unsigned char)(serial >> 24);
    sn[1] = (unsigned char)(serial >> 16);
    sn[2] = (unsigned char)(serial >> 8);
    sn[3] = (unsigned char)serial;
    assert_int_equal(gnutls_x509_privkey_init(&out->key), 0);
    assert_int_equal(gnutls_x509_privkey_generate(out->key, GNUTLS_PK_ECDSA,
                     GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0), 0);
    assert_int_equal(gnutls_x509_crt_init(&out->crt), 0);
    gnutls_x509_crt_set_version(out->crt, 3);
    gnutls_x509_crt_set_serial(out->crt, sn, sizeof sn);
    gnutls_x509_crt_set_activation_time(out->crt, not_before);
    gnutls_x509_crt_set_expiration_time(out->crt, not_after);
    assert_int_equal(gnutls_x509_crt_set_dn(out->crt, dn, NULL), 0);
    assert_int_equal(gnutls_x509_crt_set_key(out->crt, out->key), 0);
    if (kind == CERT_CA) {
        gnutls_x509_crt_set_basic_constraints(out->crt, 1, -1);
        gnutls_x509_crt_set_key_usage(out->crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
    } else {
        gnutls_x509_crt_set_basic_constraints(out->crt, 0, -1);
        gnutls_x509_crt_set_key_usage(out->crt, GNUTLS_KEY_DIGITAL_SIGNATURE);
        gnutls_x509_crt_set_key_purpose_oid(out->crt, kind == CERT_SERVER
                                            ? GNUTLS_KP_TLS_WWW_SERVER : GNUTLS_KP_TLS_WWW_CLIENT,
                                            0);
        if (kind == CERT_SERVER)
            gnutls_x509_crt_set_subject_alt_name(out->crt, GNUTLS_SAN_IPADDRESS, ip, sizeof ip,
                                                 GNUTLS_FSAN_SET);
    }
    assert_int_equal(gnutls_x509_crt_sign2(out->crt, issuer ? issuer->crt : out->crt,
                                           issuer ? issuer->key : out->key, GNUTLS_DIG_SHA256,
                                           0), 0);
}

/* A certificate of another CA (under the same name as the console's), and
 * an expired one of the console's CA: made here with the CA lianxi init made
 * (hub/console-ca). */
static struct tlsid rogue_ca, rogue, expired;

static void
load_pem_file(const char *path, gnutls_x509_crt_t *crt, gnutls_x509_privkey_t *key)
{
    gnutls_datum_t d;

    assert_int_equal(gnutls_load_file(path, &d), 0);
    if (crt) {
        assert_int_equal(gnutls_x509_crt_init(crt), 0);
        assert_int_equal(gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_PEM), 0);
    } else {
        assert_int_equal(gnutls_x509_privkey_init(key), 0);
        assert_int_equal(gnutls_x509_privkey_import(*key, &d, GNUTLS_X509_FMT_PEM), 0);
    }
    gnutls_free(d.data);
}

static void
make_strangers(void)
{
    struct tlsid ca;
    gnutls_datum_t dn;
    time_t now = time(NULL);

    load_pem_file(cpath(&C, "hub/console-ca/ca.crt"), &ca.crt, NULL);
    load_pem_file(cpath(&C, "hub/console-ca/ca.key"), NULL, &ca.key);
    assert_int_equal(gnutls_x509_crt_get_dn3(ca.crt, &dn, 0), 0);
    make_cert(&rogue_ca, (const char *)dn.data, NULL, CERT_CA, now - 3600, now + 86400);
    make_cert(&rogue, "CN=supervisor", &rogue_ca, CERT_CLIENT, now - 3600, now + 86400);
    make_cert(&expired, "CN=supervisor", &ca, CERT_CLIENT, now - 86400 * 30, now - 86400);
    gnutls_free(dn.data);
    gnutls_x509_crt_deinit(ca.crt);
    gnutls_x509_privkey_deinit(ca.key);
}

/* ---- the HTTPS client ----------------------------------------------------- */

struct resp {
    int status;
    char *head;         /* the status line and headers */
    char *body;
    size_t len;
    cJSON *json;        /* the body parsed, when it is JSON */
};

static void
resp_free(struct resp *r)
{
    free(r->head);
    free(r->body);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

/* The credentials of who: an operator of the county (the .p12 and its
 * passphrase that lianxi init made), "rogue" (another CA's), "expired",
 * "server" (the console's own TLS certificate), or NULL (none). */
static void
client_creds(gnutls_certificate_credentials_t cred, const char *who)
{
    char p12[PATH_MAX], passfile[PATH_MAX], *pass;

    if (!who)
        return;
    if (strcmp(who, "rogue") == 0) {
        assert_int_equal(gnutls_certificate_set_x509_key(cred, &rogue.crt, 1, rogue.key), 0);
        return;
    }
    if (strcmp(who, "server") == 0) {  /* the console's own, for TLS servers only */
        assert_int_equal(gnutls_certificate_set_x509_key_file(cred, cpath(&C, "console/tls.crt"),
                         cpath(&C, "console/tls.key"), GNUTLS_X509_FMT_PEM), 0);
        return;
    }
    if (strcmp(who, "expired") == 0) {
        assert_int_equal(gnutls_certificate_set_x509_key(cred, &expired.crt, 1, expired.key), 0);
        return;
    }
    snprintf(p12, sizeof p12, "%s/operators/%s/%s.p12", C.dir, who, who);
    snprintf(passfile, sizeof passfile, "%s.pass", p12);
    assert_non_null(pass = files_read(passfile, NULL));
    pass[strcspn(pass, "\r\n")] = '\0';
    assert_int_equal(gnutls_certificate_set_x509_simple_pkcs12_file(cred, p12,
                     GNUTLS_X509_FMT_DER, pass), 0);
    free(pass);
}

/* One request to the console as who; headers (may be NULL) are extra
 * lines ending in CRLF; body (may be NULL) is sent with its length.  The
 * server's certificate must be one of the console's CA.  Returns 0 with
 * *r filled, or -1 when no answer came (connection or handshake failed). */
static int
https(const char *who, const char *method, const char *path, const char *headers,
      const char *body, struct resp *r)
{
    gnutls_certificate_credentials_t cred;
    gnutls_session_t s;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    struct timeval tv = { 120, 0 };
    char *req = NULL, *all = NULL, buf[16384], *sep;
    size_t alen = 0;
    int fd, rc = -1;
    ssize_t n;

    memset(r, 0, sizeof *r);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(gnutls_certificate_allocate_credentials(&cred), 0);
    assert_true(gnutls_certificate_set_x509_trust_file(cred, cpath(&C, "console/ca.crt"),
                                                       GNUTLS_X509_FMT_PEM) > 0);
    client_creds(cred, who);
    assert_int_equal(gnutls_init(&s, GNUTLS_CLIENT), 0);
    gnutls_set_default_priority(s);
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
    gnutls_session_set_verify_cert(s, NULL, 0);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
        goto out;
    gnutls_transport_set_int(s, fd);
    do
        rc = gnutls_handshake(s);
    while (rc < 0 && !gnutls_error_is_fatal(rc));
    if (rc < 0)
        goto out;
    rc = -1;
    /* Headers that frame the body themselves take it as it is. */
    if (headers && (strcasestr(headers, "Content-Length:") ||
                    strcasestr(headers, "Transfer-Encoding:")))
        assert_true(asprintf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                             "Connection: close\r\n%s\r\n%s", method, path, port, headers,
                             body ? body : "") > 0);
    else
        assert_true(asprintf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                             "Connection: close\r\n%sContent-Length: %zu\r\n\r\n%s", method,
                             path, port, headers ? headers : "", body ? strlen(body) : 0,
                             body ? body : "") > 0);
    /* A record holds at most 16 KiB: send until all is gone. */
    for (size_t off = 0, len = strlen(req); off < len; off += (size_t)n) {
        n = gnutls_record_send(s, req + off, len - off);
        if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
            n = 0;
        else if (n < 0)
            break;      /* the server may answer before it has read all */
    }
    while ((n = gnutls_record_recv(s, buf, sizeof buf)) > 0 || n == GNUTLS_E_AGAIN ||
           n == GNUTLS_E_INTERRUPTED) {
        if (n <= 0)
            continue;
        all = realloc(all, alen + (size_t)n + 1);
        memcpy(all + alen, buf, (size_t)n);
        alen += (size_t)n;
        all[alen] = '\0';
    }
    if (!all || !(sep = strstr(all, "\r\n\r\n")) || sscanf(all, "HTTP/1.1 %d", &r->status) != 1)
        goto out;
    r->head = strndup(all, (size_t)(sep - all + 2));
    r->len = alen - (size_t)(sep + 4 - all);
    r->body = malloc(r->len + 1);
    memcpy(r->body, sep + 4, r->len);
    r->body[r->len] = '\0';
    r->json = cJSON_Parse(r->body);
    rc = 0;
out:
    free(all);
    free(req);
    gnutls_deinit(s);
    close(fd);
    gnutls_certificate_free_credentials(cred);
    return rc;
}

/* GET path as who; asserts an answer came. */
static void
get(const char *who, const char *path, struct resp *r)
{
    assert_int_equal(https(who, "GET", path, NULL, NULL, r), 0);
}

/* POST body (JSON) as the console's page sends it. */
#define PAGE_HEADERS "Content-Type: application/json\r\nX-Lianxi-Request: 1\r\n" \
                     "Sec-Fetch-Site: same-origin\r\n"
static void
post(const char *who, const char *path, const char *body, struct resp *r)
{
    assert_int_equal(https(who, "POST", path, PAGE_HEADERS, body, r), 0);
}

/* The value of header name in r ("" when absent; a static copy). */
static const char *
header_of(const struct resp *r, const char *name)
{
    static char v[1024];
    char needle[128];
    const char *at;

    snprintf(needle, sizeof needle, "\r\n%s: ", name);
    v[0] = '\0';
    if (r->head && (at = strcasestr(r->head, needle)))
        snprintf(v, sizeof v, "%.*s", (int)strcspn(at + strlen(needle), "\r\n"),
                 at + strlen(needle));
    return v;
}

static const char *
jstr(const cJSON *j, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(j, key));
    return s ? s : "";
}

static double
jnum(const cJSON *j, const char *key)
{
    return cJSON_GetNumberValue(cJSON_GetObjectItem(j, key));
}

static int
jtrue(const cJSON *j, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItem(j, key));
}

/* ---- the programs ----------------------------------------------------------- */

static int
console_start(const char *conf)
{
    const char *argv[] = { "lianxi-console", "-c", conf, NULL };
    char *url;

    unlink(cpath(&C, "console/run/console.url"));
    console = spawn(&C, cpath(&C, "console.log"), argv);
    if (console <= 0 || wait_file(cpath(&C, "console/run/console.url"), WAIT_MS) < 0)
        return -1;
    url = files_read(cpath(&C, "console/run/console.url"), NULL);
    if (!url || sscanf(url, "https://127.0.0.1:%d/", &port) != 1) {
        free(url);
        return -1;
    }
    free(url);
    return 0;
}

/* SIGTERM; returns the exit code. */
static int
console_stop(void)
{
    int rc;

    if (console <= 0)
        return -1;
    kill(console, SIGTERM);
    rc = wait_exit(console, WAIT_MS);
    if (rc < 0) {
        kill(console, SIGKILL);
        wait_exit(console, WAIT_MS);
    }
    console = 0;
    return rc;
}

/* Writes unit's rows to a file and submits them with the unit's adapter,
 * waiting for the receipts.  Returns the adapter's exit code. */
static int
submit(const char *unit, const char *header, const char *const rows[][2], size_t n)
{
    char path[PATH_MAX], conf[PATH_MAX], prog[64], *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    fputs(header, f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s%s", rows[i][0], learned, rows[i][1]);
    fclose(f);
    snprintf(path, sizeof path, "%s/%s.csv", C.dir, unit);
    assert_int_equal(files_write_atomic(path, text, len, 0644), 0);
    free(text);
    snprintf(conf, sizeof conf, "%s/units/%s/adapter.conf", C.dir, unit);
    snprintf(prog, sizeof prog, "lianxi-adapter-%s", unit);
    const char *argv[] = { prog, "-c", conf, "--wait", "60", "submit", path, NULL };
    return run_prog(&C, cpath(&C, "adapters.log"), argv, 120000);
}

static int
setup_county(void **state)
{
    (void)state;
    days_format(days_shanghai(clock_now()) - 2, learned);
    if (county_init(&C) < 0)
        return -1;
    make_strangers();
    if (hub_start(&C, WAIT_MS) < 0 ||
        submit("police", POLICE_HEADER, police_rows, POLICE_ROWS) != 0 ||
        submit("court", COURT_HEADER, court_rows, COURT_ROWS) != 0)
        return -1;
    /* No Chromium for this console: a PDF is refused with a sentence. */
    setenv("LIANXI_CHROMIUM", "/nonexistent/chromium", 1);
    return console_start(cpath(&C, "console/console.conf"));
}

static int
teardown_county(void **state)
{
    (void)state;
    console_stop();
    county_cleanup(&C);
    return 0;
}

/* ---- the tests ------------------------------------------------------------- */

static void
no_client_certificate_gets_403_and_never_the_page(void **state)
{
    struct resp r;
    (void)state;

    get(NULL, "/", &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "需要证书"));
    assert_non_null(strstr(r.body, ".p12"));
    assert_null(strstr(r.body, "信息平台"));      /* index.html's title */
    assert_string_equal(header_of(&r, "X-Content-Type-Options"), "nosniff");
    resp_free(&r);
    get(NULL, "/api/filings", &r);
    assert_int_equal(r.status, 403);
    assert_null(strstr(r.body, "杨志明"));
    assert_null(r.json);
    resp_free(&r);
}

static void
certificates_of_another_ca_expired_or_for_servers_get_403(void **state)
{
    struct resp r;
    (void)state;

    /* GnuTLS may decline to send a certificate the server's CA list does
     * not name: either way no session is admitted. */
    get("rogue", "/api/whoami", &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "需要证书"));
    resp_free(&r);
    get("expired", "/api/whoami", &r);
    assert_int_equal(r.status, 403);
    assert_null(r.json);
    resp_free(&r);
    /* Signed by the console's CA, but for a server, not a browser. */
    get("server", "/api/whoami", &r);
    assert_int_equal(r.status, 403);
    assert_null(r.json);
    resp_free(&r);
}

static void
page_and_static_files_with_security_headers(void **state)
{
    struct resp r;
    char path[PATH_MAX], *index;
    size_t len;
    const char *src = getenv("LIANXI_SRC");
    (void)state;

    snprintf(path, sizeof path, "%s/src/console/www/index.html", src ? src : ".");
    assert_non_null(index = files_read(path, &len));
    get("supervisor", "/", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, len);
    assert_memory_equal(r.body, index, len);
    assert_string_equal(header_of(&r, "Content-Type"), "text/html; charset=utf-8");
    assert_string_equal(header_of(&r, "Content-Security-Policy"),
                        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                        "form-action 'self'");
    assert_string_equal(header_of(&r, "X-Content-Type-Options"), "nosniff");
    assert_string_equal(header_of(&r, "Referrer-Policy"), "no-referrer");
    assert_true(strlen(header_of(&r, "Strict-Transport-Security")) > 0);
    resp_free(&r);
    free(index);
    get("supervisor", "/static/index.html", &r);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    get("supervisor", "/static/no-such-file.js", &r);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    get("supervisor", "/etc/passwd", &r);
    assert_int_equal(r.status, 404);
    resp_free(&r);

    /* A client that connects and says nothing holds only its own
     * connection: the others are served meanwhile. */
    {
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
        int idle[4];
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        for (int i = 0; i < 4; i++) {
            idle[i] = socket(AF_INET, SOCK_STREAM, 0);
            assert_int_equal(connect(idle[i], (struct sockaddr *)&sa, sizeof sa), 0);
        }
        get("supervisor", "/api/whoami", &r);
        assert_int_equal(r.status, 200);
        resp_free(&r);
        for (int i = 0; i < 4; i++)
            close(idle[i]);
    }
}

static void
whoami_names_the_operator_of_the_certificate(void **state)
{
    struct resp r;
    (void)state;

    get("supervisor", "/api/whoami", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    assert_true(jtrue(r.json, "ok"));
    assert_string_equal(jstr(r.json, "name"), "supervisor");
    assert_string_equal(jstr(r.json, "role"), "supervisor");
    assert_string_equal(header_of(&r, "Cache-Control"), "no-store");
    assert_string_equal(header_of(&r, "Content-Type"), "application/json; charset=utf-8");
    resp_free(&r);
    get("police-liaison", "/api/whoami", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "role"), "member:police");
    assert_string_equal(jstr(r.json, "unit"), "police");
    assert_string_equal(jstr(r.json, "unit_name"), units_name("police"));
    resp_free(&r);
}

/* The filing of unit for the cadre with id_number in a filings array. */
static const cJSON *
filing_of(const cJSON *filings, const char *id_number)
{
    const cJSON *f;

    cJSON_ArrayForEach(f, filings)
        if (strcmp(jstr(cJSON_GetObjectItem(f, "cadre"), "id_number"), id_number) == 0)
            return f;
    return NULL;
}

static void
filings_count_what_the_units_filed(void **state)
{
    struct resp r;
    const cJSON *f, *filings;
    categories_t *cats = categories_load(cpath(&C, "share/categories.tsv"));
    (void)state;

    assert_non_null(cats);
    get("supervisor", "/api/filings", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    assert_int_equal((int)jnum(r.json, "count"), POLICE_ROWS + COURT_ROWS);
    filings = cJSON_GetObjectItem(r.json, "filings");
    assert_int_equal(cJSON_GetArraySize(filings), POLICE_ROWS + COURT_ROWS);
    assert_non_null(f = filing_of(filings, "44162319851208185X"));
    assert_string_equal(jstr(f, "unit"), "police");
    assert_string_equal(jstr(f, "unit_name"), units_name("police"));
    assert_string_equal(jstr(f, "category_name"), categories_name(cats, jstr(f, "category")));
    assert_string_equal(jstr(f, "stage"), "report");
    assert_string_equal(jstr(f, "scope"), "organs");
    assert_string_equal(jstr(f, "learned_on"), learned);
    assert_string_equal(jstr(cJSON_GetObjectItem(f, "cadre"), "name"), "杨志明");
    assert_string_equal(jstr(cJSON_GetObjectItem(f, "cadre"), "rank"), "clerk");
    assert_string_equal(jstr(cJSON_GetObjectItem(f, "cadre"), "rank_name"), "科员及以下");
    assert_non_null(f = filing_of(filings, "441623197907134720"));
    assert_string_equal(jstr(f, "unit"), "court");
    assert_string_equal(jstr(cJSON_GetObjectItem(f, "cadre"), "rank"), "deputy_section");
    resp_free(&r);

    /* The filters go to the hub as they are; offset is echoed. */
    get("supervisor", "/api/filings?unit=court&limit=10", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal((int)jnum(r.json, "count"), COURT_ROWS);
    resp_free(&r);
    get("supervisor", "/api/filings?limit=1&offset=1", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal((int)jnum(r.json, "count"), POLICE_ROWS + COURT_ROWS);
    assert_int_equal((int)jnum(r.json, "offset"), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "filings")), 1);
    resp_free(&r);
    categories_destroy(&cats);
}

static void
a_member_sees_only_its_own_units_filings(void **state)
{
    struct resp r;
    const cJSON *f;
    char court_receipt[64], police_receipt[64], path[128];
    (void)state;

    get("supervisor", "/api/filings", &r);
    assert_int_equal(r.status, 200);
    snprintf(court_receipt, sizeof court_receipt, "%s",
             jstr(filing_of(cJSON_GetObjectItem(r.json, "filings"), "441623197907134720"),
                  "receipt_no"));
    snprintf(police_receipt, sizeof police_receipt, "%s",
             jstr(filing_of(cJSON_GetObjectItem(r.json, "filings"), "44162319851208185X"),
                  "receipt_no"));
    assert_true(court_receipt[0] && police_receipt[0]);
    resp_free(&r);

    get("police-liaison", "/api/filings", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal((int)jnum(r.json, "count"), POLICE_ROWS);
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(r.json, "filings"))
        assert_string_equal(jstr(f, "unit"), "police");
    resp_free(&r);

    snprintf(path, sizeof path, "/api/show?id=%s", court_receipt);
    get("police-liaison", path, &r);
    assert_int_equal(r.status, 404);
    assert_false(jtrue(r.json, "ok"));
    assert_string_equal(jstr(r.json, "kind"), "not_found");
    assert_null(strstr(r.body, "邱小红"));
    resp_free(&r);

    snprintf(path, sizeof path, "/api/show?id=%s", police_receipt);
    get("police-liaison", path, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "filings")), 1);
    resp_free(&r);
}

static void
the_auditor_is_refused_filings_and_reads_the_console_in_the_trail(void **state)
{
    struct resp r;
    const cJSON *e;
    int seen = 0;
    (void)state;

    get("auditor", "/api/filings", &r);
    assert_int_equal(r.status, 403);
    assert_string_equal(jstr(r.json, "kind"), "permission");
    assert_true(strlen(jstr(r.json, "error")) > 0);
    resp_free(&r);

    get("auditor", "/api/audit-log?limit=500", &r);
    assert_int_equal(r.status, 200);
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(r.json, "entries")) {
        const char *actor = jstr(e, "actor");
        if (strncmp(actor, "op:supervisor:", 14) == 0 && strstr(actor, " via console:"))
            seen++;
        assert_int_equal(strlen(jstr(e, "hash")), 64);
    }
    assert_true(seen >= 2);
    resp_free(&r);
}

static void
a_review_is_posted_by_the_page_only(void **state)
{
    struct resp r;
    char receipt[64], body[256], path[128];
    const cJSON *rv;
    int found = 0;
    (void)state;

    get("supervisor", "/api/filings?unit=police", &r);
    snprintf(receipt, sizeof receipt, "%s",
             jstr(filing_of(cJSON_GetObjectItem(r.json, "filings"), "44162319830210147X"),
                  "receipt_no"));
    resp_free(&r);
    snprintf(body, sizeof body, "{\"id\": \"%s\", \"action\": \"note\", \"text\": \"已阅，存档\"}",
             receipt);

    /* Without the page's header, from another site, or not JSON. */
    assert_int_equal(https("supervisor", "POST", "/api/review",
                           "Content-Type: application/json\r\n", body, &r), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(https("supervisor", "POST", "/api/review",
                           "Content-Type: application/json\r\nX-Lianxi-Request: 1\r\n"
                           "Sec-Fetch-Site: cross-site\r\n", body, &r), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(https("supervisor", "POST", "/api/review",
                           "Content-Type: text/plain\r\nX-Lianxi-Request: 1\r\n", body, &r), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    /* A change is never a GET. */
    snprintf(path, sizeof path, "/api/review?id=%s&action=accept", receipt);
    get("supervisor", path, &r);
    assert_int_equal(r.status, 405);
    assert_string_equal(header_of(&r, "Allow"), "POST");
    resp_free(&r);
    snprintf(path, sizeof path, "/api/show?id=%s", receipt);
    get("supervisor", path, &r);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "reviews")), 0);
    resp_free(&r);

    post("supervisor", "/api/review", body, &r);
    assert_int_equal(r.status, 200);
    assert_true(jtrue(r.json, "ok"));
    resp_free(&r);
    get("supervisor", path, &r);
    assert_int_equal(r.status, 200);
    cJSON_ArrayForEach(rv, cJSON_GetObjectItem(r.json, "reviews"))
        if (strcmp(jstr(rv, "action"), "noted") == 0 && strcmp(jstr(rv, "text"), "已阅，存档") == 0)
            found = 1;
    assert_true(found);
    resp_free(&r);

    /* A supplement request shows when it is due and that it is open. */
    snprintf(body, sizeof body, "{\"id\": \"%s\", \"action\": \"supplement\", "
             "\"text\": \"请补充处理结果\", \"due\": \"5\"}", receipt);
    post("supervisor", "/api/review", body, &r);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    get("supervisor", path, &r);
    found = 0;
    cJSON_ArrayForEach(rv, cJSON_GetObjectItem(r.json, "reviews"))
        if (strcmp(jstr(rv, "text"), "请补充处理结果") == 0) {
            assert_string_equal(jstr(rv, "state"), "open");
            assert_int_equal(strlen(jstr(rv, "due_on")), 10);
            assert_true(strlen(jstr(rv, "obligation")) > 0);
            found = 1;
        }
    assert_true(found);
    resp_free(&r);

    /* Bodies the console does not take. */
    post("supervisor", "/api/review", "[1, 2]", &r);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    post("supervisor", "/api/review", "{\"id\": 5}", &r);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    /* A body over 64 KiB: refused by its length before it is read, or
     * when it has come in chunks. */
    assert_int_equal(https("supervisor", "POST", "/api/review",
                           PAGE_HEADERS "Content-Length: 70000\r\n", NULL, &r), 0);
    assert_int_equal(r.status, 413);
    resp_free(&r);
    {
        size_t chunk = 16 * 1024, len = 0;
        char *chunked = malloc(5 * (chunk + 16) + 16);
        len += (size_t)sprintf(chunked, "%zx\r\n{", chunk);
        memset(chunked + len, ' ', chunk - 1);
        len += chunk - 1;
        for (int i = 0; i < 4; i++) {
            len += (size_t)sprintf(chunked + len, "\r\n%zx\r\n", chunk);
            memset(chunked + len, ' ', chunk);
            len += chunk;
        }
        len += (size_t)sprintf(chunked + len, "\r\n1\r\n}\r\n0\r\n\r\n");
        assert_int_equal(https("supervisor", "POST", "/api/review",
                               PAGE_HEADERS "Transfer-Encoding: chunked\r\n", chunked, &r), 0);
        assert_int_equal(r.status, 413);
        resp_free(&r);
        free(chunked);
    }
}

/* A page of another site cannot make the operator's browser read either:
 * every read is recorded in the audit trail as the operator's (and a
 * briefing keeps the hub busy for minutes), so a cross-site GET of /api/
 * is refused like a cross-site POST.  A typed address (none) and the
 * page's own requests (same-origin) are read. */
static void
another_site_cannot_make_the_browser_read(void **state)
{
    static const char *const refused[] = { "cross-site", "same-site" };
    static const char *const admitted[] = { "same-origin", "none" };
    char headers[128];
    struct resp r;
    (void)state;

    for (size_t i = 0; i < 2; i++) {
        snprintf(headers, sizeof headers, "Sec-Fetch-Site: %s\r\n", refused[i]);
        assert_int_equal(https("supervisor", "GET", "/api/dossier?id_number=44162319851208185X",
                               headers, NULL, &r), 0);
        assert_int_equal(r.status, 403);
        assert_string_equal(jstr(r.json, "kind"), "permission");
        assert_null(strstr(r.body, "杨志明"));
        assert_string_equal(header_of(&r, "X-Content-Type-Options"), "nosniff");
        resp_free(&r);
        assert_int_equal(https("convener", "GET", "/api/brief?from=2026-01-01&to=2026-12-31"
                               "&audience=full", headers, NULL, &r), 0);
        assert_int_equal(r.status, 403);
        resp_free(&r);
    }
    for (size_t i = 0; i < 2; i++) {
        snprintf(headers, sizeof headers, "Sec-Fetch-Site: %s\r\n", admitted[i]);
        assert_int_equal(https("supervisor", "GET", "/api/dossier?id_number=44162319851208185X",
                               headers, NULL, &r), 0);
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body, "杨志明"));
        resp_free(&r);
    }
}

static void
the_hubs_json_and_meeting_rows_come_as_data(void **state)
{
    struct resp r;
    const cJSON *m;
    char body[256];
    int y, mo, d;
    (void)state;

    /* The deadline board: the console asks for JSON itself. */
    get("supervisor", "/api/overdue", &r);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(r.json, "data")));
    assert_null(cJSON_GetObjectItem(r.json, "text"));
    /* The board keeps codes; the console names them beside. */
    {
        const cJSON *data = cJSON_GetObjectItem(r.json, "data"), *e;
        int units = 0, cats = 0;
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(data, "timeliness")) {
            assert_string_equal(jstr(e, "unit_name"), units_name(jstr(e, "unit")));
            units++;
        }
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(data, "late_matters"))
            if (jstr(e, "category") && *jstr(e, "category")) {
                assert_non_null(jstr(e, "category_name"));
                assert_string_not_equal(jstr(e, "category_name"), jstr(e, "category"));
                cats++;
            }
        assert_true(units > 0);
        (void)cats;     /* this county's filings are on time: the browser tests' are late */
    }
    resp_free(&r);

    days_to_civil(days_shanghai(clock_now()), &y, &mo, &d);
    snprintf(body, sizeof body, "{\"date\": \"%d-12-20\", \"kind\": \"annual\", "
             "\"from\": \"%d-01-01\", \"to\": \"%d-12-31\", \"urgency\": "
             "\"very_urgent\"}", y, y, y);
    post("convener", "/api/meeting-create", body, &r);
    assert_int_equal(r.status, 200);
    assert_true(jnum(r.json, "count") >= 1);
    resp_free(&r);
    get("convener", "/api/meeting-list", &r);
    assert_int_equal(r.status, 200);
    m = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "data"), 0);
    assert_non_null(m);
    assert_string_equal(jstr(m, "kind"), "annual");
    assert_non_null(strstr(jstr(m, "title"), "联席会议"));
    assert_true(jnum(m, "id") >= 1);
    /* Its marks: the urgency asked for, internal material by default. */
    assert_string_equal(jstr(m, "secrecy"), "internal");
    assert_string_equal(jstr(m, "urgency"), "very_urgent");
    resp_free(&r);
    /* Scheduling is the convener's. */
    post("supervisor", "/api/meeting-create", body, &r);
    assert_int_equal(r.status, 403);
    resp_free(&r);
}

static void
unknown_commands_are_404_and_usage_errors_400(void **state)
{
    struct resp r;
    (void)state;

    get("supervisor", "/api/no-such-command", &r);
    assert_int_equal(r.status, 404);
    assert_string_equal(jstr(r.json, "kind"), "not_found");
    assert_non_null(strstr(jstr(r.json, "error"), "filings"));
    resp_free(&r);
    get("supervisor", "/api/filings?limit=many", &r);
    assert_int_equal(r.status, 400);
    assert_string_equal(jstr(r.json, "kind"), "usage");
    resp_free(&r);
    get("supervisor", "/api/filings?color=red", &r);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    /* A dossier with a malformed ID number: the hub's "data" refusal. */
    get("supervisor", "/api/dossier?id_number=441623198512081851", &r);
    assert_int_equal(r.status, 422);
    assert_string_equal(jstr(r.json, "kind"), "data");
    resp_free(&r);
}

/* "filename*=UTF-8''" and name percent-encoded as RFC 5987 says (every
 * byte of a Chinese character as %XX), in out. */
static const char *
rfc5987(char *out, size_t n, const char *name)
{
    size_t k = (size_t)snprintf(out, n, "filename*=UTF-8''");

    for (const unsigned char *p = (const unsigned char *)name; *p && k + 4 < n; p++)
        k += (size_t)(*p < 0x80 ? snprintf(out + k, n - k, "%c", *p)
                                : snprintf(out + k, n - k, "%%%02X", *p));
    return out;
}

static void
the_briefing_is_a_download_with_a_chinese_name(void **state)
{
    struct resp r;
    char body[256], expect[512], name[128];
    int y, m, d;
    (void)state;

    days_to_civil(days_shanghai(clock_now()), &y, &m, &d);
    snprintf(body, sizeof body, "{\"from\": \"%d-01-01\", \"to\": \"%d-12-31\", "
             "\"audience\": \"full\", \"format\": \"html\"}", y, y);
    post("convener", "/api/brief", body, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(header_of(&r, "Content-Type"), "text/html; charset=utf-8");
    /* YYYY年度-联席会议通报材料.html, percent-encoded as RFC 5987 says. */
    snprintf(name, sizeof name, "%d年度-联席会议通报材料.html", y);
    assert_non_null(strstr(header_of(&r, "Content-Disposition"), "attachment;"));
    assert_non_null(strstr(header_of(&r, "Content-Disposition"),
                           rfc5987(expect, sizeof expect, name)));
    assert_true(strncasecmp(r.body, "<!DOCTYPE html>", 15) == 0);
    resp_free(&r);

    /* The appendix and the speaking points are named so; lang is no
     * parameter any more. */
    snprintf(body, sizeof body, "{\"from\": \"%d-01-01\", \"to\": \"%d-12-31\", "
             "\"audience\": \"leadership\", \"format\": \"html\", \"part\": \"points\"}",
             y, y);
    post("convener", "/api/brief", body, &r);
    assert_int_equal(r.status, 200);
    snprintf(name, sizeof name, "%d年度-县委领导班子-讲话要点.html", y);
    assert_non_null(strstr(header_of(&r, "Content-Disposition"),
                           rfc5987(expect, sizeof expect, name)));
    resp_free(&r);
    snprintf(body, sizeof body, "{\"from\": \"%d-01-01\", \"to\": \"%d-12-31\", "
             "\"audience\": \"full\", \"lang\": \"en\"}", y, y);
    post("convener", "/api/brief", body, &r);
    assert_int_equal(r.status, 400);
    assert_string_equal(jstr(r.json, "kind"), "usage");
    resp_free(&r);

    /* PDF without Chromium on the console's machine: 503 and a sentence. */
    snprintf(body, sizeof body, "{\"from\": \"%d-01-01\", \"to\": \"%d-12-31\", "
             "\"audience\": \"full\", \"format\": \"pdf\"}", y, y);
    post("convener", "/api/brief", body, &r);
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(jstr(r.json, "error"), "Chromium"));
    resp_free(&r);

    /* Only the convener compiles briefings. */
    post("supervisor", "/api/brief", body, &r);
    assert_true(r.status == 403 || r.status == 503);
    resp_free(&r);

    /* With Chromium on the console's machine, the PDF itself. */
    if (access("/usr/bin/chromium", X_OK) == 0) {
        assert_int_equal(console_stop(), 0);
        unsetenv("LIANXI_CHROMIUM");
        assert_int_equal(console_start(cpath(&C, "console/console.conf")), 0);
        post("convener", "/api/brief", body, &r);
        assert_int_equal(r.status, 200);
        assert_string_equal(header_of(&r, "Content-Type"), "application/pdf");
        assert_non_null(strstr(header_of(&r, "Content-Disposition"), ".pdf"));
        assert_memory_equal(r.body, "%PDF", 4);
        resp_free(&r);
    }
}

/* format docx: the hub's OpReply.document as the download, a Word
 * document's type, named …报备事项清单.docx for the appendix.  Until the
 * briefing's rewrite lands (src/hub/brief.c) the hub makes no .docx and
 * the PK assertion fails. */
static void
a_docx_briefing_is_a_word_download(void **state)
{
    struct resp r;
    char body[256], expect[512], name[128];
    int y, m, d;
    (void)state;

    days_to_civil(days_shanghai(clock_now()), &y, &m, &d);
    snprintf(body, sizeof body, "{\"from\": \"%d-01-01\", \"to\": \"%d-12-31\", "
             "\"audience\": \"full\", \"format\": \"docx\", \"part\": \"appendix\", "
             "\"copy\": \"7\"}", y, y);
    post("convener", "/api/brief", body, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(header_of(&r, "Content-Type"),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    snprintf(name, sizeof name, "%d年度-报备事项清单.docx", y);
    assert_non_null(strstr(header_of(&r, "Content-Disposition"),
                           rfc5987(expect, sizeof expect, name)));
    assert_non_null(strstr(header_of(&r, "Content-Disposition"),
                           "filename=\"lianxi-appendix-"));
    {
        int zip = r.len > 4 && memcmp(r.body, "PK\x03\x04", 4) == 0;
        resp_free(&r);
        assert_true(zip);       /* a .docx is a zip */
    }
}

/* A filing's attachment: a download under its own name (RFC 5987; the
 * quotes and semicolon in it percent-encoded, never in the header as
 * they are), its recorded type, never sniffed, its bytes whole (more than
 * one piece of the hub's); within the operator's scope as show; a POST is
 * refused; the filing's JSON lists it. */
#define ATT_NAME "案卷 \"材料\";第1份.pdf"
#define ATT_SIZE (1536 * 1024 + 77)
static void
an_attachment_is_a_download_under_its_name_streamed_and_in_scope(void **state)
{
    struct resp r;
    char doc[PATH_MAX], court_doc[PATH_MAX], path[128], expect[512], hex[65];
    char receipt[24], court_receipt[24], ascii[96];
    uint8_t *b;
    cJSON *f;
    (void)state;

    /* The documents, made here; filed by a unit written from the protocol. */
    assert_non_null(b = malloc(ATT_SIZE));
    randombytes_buf(b, ATT_SIZE);
    memcpy(b, "%PDF-1.7\n", 9);
    snprintf(doc, sizeof doc, "%s/console-doc.pdf", C.dir);
    assert_int_equal(files_write_atomic(doc, b, ATT_SIZE, 0644), 0);
    snprintf(court_doc, sizeof court_doc, "%s/console-court.pdf", C.dir);
    assert_int_equal(files_write_atomic(court_doc, b, 4096, 0644), 0);
    {
        const char *paths[] = { doc }, *names[] = { ATT_NAME };
        assert_int_equal(raw_file_with_attachments(&C, "police", "police.drink_driving",
                                                   "CONSOLE-ATT", paths, names, 1, receipt,
                                                   WAIT_MS), 0);
        const char *cp[] = { court_doc }, *cn[] = { "判决书.pdf" };
        assert_int_equal(raw_file_with_attachments(&C, "court", "court.civil_case",
                                                   "CONSOLE-ATT", cp, cn, 1, court_receipt,
                                                   WAIT_MS), 0);
    }
    {
        /* BLAKE2b-256 of the bytes, as the hub records it. */
        uint8_t bh[32];
        crypto_generichash_blake2b(bh, sizeof bh, b, ATT_SIZE, NULL, 0);
        text_hex(hex, bh, sizeof bh);
    }

    snprintf(path, sizeof path, "/api/attachment?receipt=%s&n=1", receipt);
    get("supervisor", path, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(header_of(&r, "Content-Type"), "application/pdf");
    assert_string_equal(header_of(&r, "X-Content-Type-Options"), "nosniff");
    assert_non_null(strstr(header_of(&r, "Content-Disposition"), "attachment;"));
    assert_non_null(strstr(header_of(&r, "Content-Disposition"),
                           rfc5987(expect, sizeof expect, "案卷")));
    assert_non_null(strstr(header_of(&r, "Content-Disposition"), "%20%22%E6%9D%90%E6%96%99%22%3B"));
    snprintf(ascii, sizeof ascii, "filename=\"attachment-%s-1.pdf\";", receipt);
    assert_non_null(strstr(header_of(&r, "Content-Disposition"), ascii));
    /* The name's own quote never reaches the header as it is. */
    assert_null(strstr(header_of(&r, "Content-Disposition"), "\"材料\""));
    assert_int_equal(r.len, ATT_SIZE);
    assert_memory_equal(r.body, b, ATT_SIZE);
    resp_free(&r);
    free(b);

    /* The police liaison: its unit's; another unit's is not found. */
    get("police-liaison", path, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, ATT_SIZE);
    resp_free(&r);
    snprintf(path, sizeof path, "/api/attachment?receipt=%s&n=1", court_receipt);
    get("police-liaison", path, &r);
    assert_int_equal(r.status, 404);
    assert_string_equal(jstr(r.json, "kind"), "not_found");
    resp_free(&r);
    get("auditor", path, &r);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    snprintf(path, sizeof path, "/api/attachment?receipt=%s&n=2", receipt);
    get("supervisor", path, &r);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    post("supervisor", "/api/attachment", "{}", &r);
    assert_int_equal(r.status, 405);
    resp_free(&r);

    /* The filing's JSON lists it, with its hash. */
    snprintf(path, sizeof path, "/api/show?id=%s", receipt);
    get("supervisor", path, &r);
    assert_int_equal(r.status, 200);
    f = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(r.json, "filings"), 0), "attachments"), 0);
    assert_non_null(f);
    assert_string_equal(jstr(f, "name"), ATT_NAME);
    assert_string_equal(jstr(f, "blake2b"), hex);
    assert_int_equal(jnum(f, "size"), ATT_SIZE);
    resp_free(&r);
}

/* A circular's document from the page: its bytes as the body of POST
 * /api/upload?name=…; the console hashes them and hands them to the hub,
 * and the answer's line is what circular's documents takes.  Only the
 * page may send one, only as bytes, only a group operator, not too large. */
#define UPLOAD_HEADERS "Content-Type: application/octet-stream\r\nX-Lianxi-Request: 1\r\n" \
                       "Sec-Fetch-Site: same-origin\r\n"
static void
a_circulars_document_is_uploaded_as_its_bytes(void **state)
{
    static const char path[] = "/api/upload?name=%E6%83%85%E5%86%B5%E9%80%9A%E6%8A%A5.pdf";
    char *doc, hex[2 * crypto_generichash_BYTES + 1], line[256], body[512];
    uint8_t h[crypto_generichash_BYTES];
    size_t len = 9 + 100000;
    struct resp r;
    const cJSON *d;
    (void)state;

    assert_non_null(doc = malloc(len + 1));
    memcpy(doc, "%PDF-1.4\n", 9);
    for (size_t i = 9; i < len; i++)
        doc[i] = "0123456789abcdef\n"[i % 17];
    doc[len] = '\0';
    crypto_generichash(h, sizeof h, (const uint8_t *)doc, len, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);

    /* Not from the page, not as bytes, not by GET, not a type taken. */
    assert_int_equal(https("supervisor", "POST", path, PAGE_HEADERS, doc, &r), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(https("supervisor", "POST", path,
                           "Content-Type: application/octet-stream\r\n", doc, &r), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    get("supervisor", path, &r);
    assert_int_equal(r.status, 405);
    resp_free(&r);
    /* Nor is the briefing sent to the units by a GET (a link followed). */
    get("convener", "/api/brief?meeting=1&audience=full&send=1", &r);
    assert_int_equal(r.status, 405);
    assert_string_equal(header_of(&r, "Allow"), "POST");
    resp_free(&r);
    assert_int_equal(https("supervisor", "POST", "/api/upload?name=run.exe", UPLOAD_HEADERS,
                           doc, &r), 0);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    /* Larger than a document may be: refused before its body. */
    assert_int_equal(https("supervisor", "POST", path, UPLOAD_HEADERS
                           "Content-Length: 20000001\r\n", "", &r), 0);
    assert_int_equal(r.status, 413);
    resp_free(&r);
    /* A member and the auditor may not send circulars: refused before
     * their bytes are read. */
    assert_int_equal(https("police-liaison", "POST", path, UPLOAD_HEADERS, doc, &r), 0);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "permission"));
    resp_free(&r);
    assert_int_equal(https("auditor", "POST", path, UPLOAD_HEADERS
                           "Content-Length: 20000000\r\n", "", &r), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);

    /* The supervision group's: hashed as here, in pieces to the hub. */
    assert_int_equal(https("supervisor", "POST", path, UPLOAD_HEADERS, doc, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(d = cJSON_GetObjectItem(r.json, "data"));
    assert_string_equal(jstr(d, "hash"), hex);
    assert_int_equal((size_t)jnum(d, "size"), len);
    assert_string_equal(jstr(d, "name"), "情况通报.pdf");
    snprintf(line, sizeof line, "%s\t%zu\t情况通报.pdf", hex, len);
    assert_string_equal(jstr(d, "line"), line);
    resp_free(&r);
    /* The circular names it; what was sent lists it. */
    snprintf(body, sizeof body, "{\"title\": \"页面发出的通报\", \"text\": \"正文\", "
             "\"units\": \"police\", \"documents\": \"%s\\t%zu\\t情况通报.pdf\"}", hex, len);
    post("supervisor", "/api/circular", body, &r);
    assert_int_equal(r.status, 200);
    assert_true(jnum(cJSON_GetObjectItem(r.json, "data"), "circular") >= 1);
    resp_free(&r);
    get("supervisor", "/api/sent", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "页面发出的通报"));
    assert_non_null(strstr(r.body, hex));
    resp_free(&r);
    free(doc);
}

static void
the_log_has_one_line_per_request_without_query_values(void **state)
{
    struct resp r;
    char *log;
    (void)state;

    get("supervisor", "/api/dossier?id_number=44162319830210147X", &r);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    log = files_read(cpath(&C, "console.log"), NULL);
    assert_non_null(log);
    assert_non_null(strstr(log, "GET /api/dossier?id_number 200"));
    assert_null(strstr(log, "44162319830210147X"));
    free(log);
}

static void
a_stopped_hub_is_502_and_a_restarted_one_is_found(void **state)
{
    struct resp r;

    int64_t t0;
    (void)state;

    assert_int_equal(hub_stop(&C), 0);
    /* Its endpoint file stays behind: the console finds nothing there and
     * says so without keeping the browser waiting for its time-out. */
    t0 = clock_mono_ms();
    get("supervisor", "/api/whoami", &r);
    assert_int_equal(r.status, 502);
    assert_string_equal(jstr(r.json, "kind"), "hub");
    assert_true(clock_mono_ms() - t0 < 10000);
    resp_free(&r);
    assert_int_equal(hub_start(&C, WAIT_MS), 0);
    get("supervisor", "/api/whoami", &r);
    assert_int_equal(r.status, 200);
    resp_free(&r);
}

static void
a_revoked_operator_is_refused_at_the_next_request(void **state)
{
    struct resp r;
    (void)state;

    get("supervisor", "/api/whoami", &r);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    assert_int_equal(unlink(cpath(&C, "hub/keys/op-supervisor.cert")), 0);
    /* The hub reloads its key directory by itself and records the revocation. */
    assert_int_equal(wait_db(&C, "hub/lianxi.db", "SELECT count(*) FROM audit_log WHERE action ="
                             " 'key:revoked' AND object LIKE 'op:supervisor:%'", 1, WAIT_MS), 1);
    get("supervisor", "/api/whoami", &r);
    assert_int_equal(r.status, 403);
    assert_string_equal(jstr(r.json, "kind"), "permission");
    resp_free(&r);
    /* Nor the page: the certificate page instead. */
    get("supervisor", "/", &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "需要证书"));
    assert_null(strstr(r.body, "信息平台"));
    resp_free(&r);
    /* Not under its file's own name either. */
    get("supervisor", "/static/index.html", &r);
    assert_int_equal(r.status, 403);
    assert_null(strstr(r.body, "信息平台"));
    resp_free(&r);
    /* The others are not touched. */
    get("convener", "/api/whoami", &r);
    assert_int_equal(r.status, 200);
    resp_free(&r);
}

static void
a_second_console_on_a_busy_port_exits_75_and_sigterm_stops_with_0(void **state)
{
    char conf[PATH_MAX], *text;
    FILE *f;
    (void)state;

    text = files_read(cpath(&C, "console/console.conf"), NULL);
    assert_non_null(text);
    snprintf(conf, sizeof conf, "%s/console/busy.conf", C.dir);
    f = fopen(conf, "w");
    assert_non_null(f);
    /* The same, but on the port the running console holds. */
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        if (strncmp(line, "listen", 6) == 0)
            fprintf(f, "listen = 127.0.0.1:%d\n", port);
        else if (strncmp(line, "run", 3) == 0)
            fprintf(f, "run = run-busy\n");
        else
            fprintf(f, "%s\n", line);
    fclose(f);
    free(text);
    const char *argv[] = { "lianxi-console", "-c", conf, NULL };
    assert_int_equal(run_prog(&C, cpath(&C, "busy.log"), argv, WAIT_MS), EX_TEMPFAIL);
    const char *bad[] = { "lianxi-console", "-c", cpath(&C, "no-such.conf"), NULL };
    assert_int_equal(run_prog(&C, cpath(&C, "bad.log"), bad, WAIT_MS), EX_CONFIG);
    const char *none[] = { "lianxi-console", NULL };
    assert_int_equal(run_prog(&C, cpath(&C, "bad.log"), none, WAIT_MS), EX_USAGE);
    const char *help[] = { "lianxi-console", "--help", NULL };
    assert_int_equal(run_prog(&C, cpath(&C, "help.log"), help, WAIT_MS), 0);

    assert_int_equal(console_stop(), 0);
    assert_int_equal(access(cpath(&C, "console/run/console.url"), F_OK), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_client_certificate_gets_403_and_never_the_page),
        cmocka_unit_test(certificates_of_another_ca_expired_or_for_servers_get_403),
        cmocka_unit_test(page_and_static_files_with_security_headers),
        cmocka_unit_test(whoami_names_the_operator_of_the_certificate),
        cmocka_unit_test(filings_count_what_the_units_filed),
        cmocka_unit_test(a_member_sees_only_its_own_units_filings),
        cmocka_unit_test(the_auditor_is_refused_filings_and_reads_the_console_in_the_trail),
        cmocka_unit_test(a_review_is_posted_by_the_page_only),
        cmocka_unit_test(another_site_cannot_make_the_browser_read),
        cmocka_unit_test(the_hubs_json_and_meeting_rows_come_as_data),
        cmocka_unit_test(unknown_commands_are_404_and_usage_errors_400),
        cmocka_unit_test(the_briefing_is_a_download_with_a_chinese_name),
        cmocka_unit_test(a_docx_briefing_is_a_word_download),
        cmocka_unit_test(an_attachment_is_a_download_under_its_name_streamed_and_in_scope),
        cmocka_unit_test(a_circulars_document_is_uploaded_as_its_bytes),
        cmocka_unit_test(the_log_has_one_line_per_request_without_query_values),
        cmocka_unit_test(a_stopped_hub_is_502_and_a_restarted_one_is_found),
        cmocka_unit_test(a_revoked_operator_is_refused_at_the_next_request),
        cmocka_unit_test(a_second_console_on_a_busy_port_exits_75_and_sigterm_stops_with_0),
    };
    return cmocka_run_group_tests(tests, setup_county, teardown_county);
}
