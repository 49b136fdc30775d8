/* provision.c — make keys and configs for a county on one machine. */
#include "provision.h"
#include "i18n.h"
#include "categories.h"
#include "keys.h"
#include "log.h"
#include "files.h"
#include "tlscert.h"

#include <czmq.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct { const char *name, *role; } operators[] = {
    { "supervisor", "supervisor" },
    { "convener", "convener" },
    { "auditor", "auditor" },
    { "police-liaison", "member:police" },
};

const char *
provision_datadir(void)
{
    static char found[PATH_MAX];
    const char *cands[] = { getenv("LIANXI_DATA"), LX_DATADIR, LX_SRC_DATADIR };
    char probe[PATH_MAX];

    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
        if (!cands[i])
            continue;
        snprintf(probe, sizeof probe, "%s/categories.tsv", cands[i]);
        if (access(probe, R_OK) == 0) {
            snprintf(found, sizeof found, "%s", cands[i]);
            return found;
        }
    }
    return NULL;
}

static int
copy_file(const char *from, const char *to, mode_t mode)
{
    size_t len;
    char *data = files_read(from, &len);
    int rc;

    if (!data) {
        log_warn(_("cannot read %s"), from);
        return -1;
    }
    rc = files_write_atomic(to, data, len, mode);
    if (rc < 0)
        log_warn(_("cannot write %s"), to);
    free(data);
    return rc;
}

static int
write_text(const char *path, const char *text)
{
    if (files_write_atomic(path, text, strlen(text), 0644) < 0) {
        log_warn(_("cannot write %s"), path);
        return -1;
    }
    return 0;
}

int
provision_browser(const char *dir, const char *name, const char *role, const char *ca_dir,
                  int renew, char *pass_out)
{
    char cert[PATH_MAX], fp[TLSCERT_FP_LEN], certrole[64];
    zcert_t *zc;
    const char *r;

    snprintf(cert, sizeof cert, "%s/%s.cert", dir, name);
    if (!(zc = zcert_load(cert)) || !(r = zcert_meta(zc, "role")) || !zcert_meta(zc, "operator")) {
        log_warnx(_("%s is not an operator's public cert"), cert);
        zcert_destroy(&zc);
        return -1;
    }
    snprintf(certrole, sizeof certrole, "%s", r);
    zcert_destroy(&zc);
    if (role && strcmp(role, certrole) != 0) {
        log_warnx(_("%s has the role %s, not %s: a new role needs a new key "
                    "(lianxi keygen --operator)"), cert, certrole, role);
        return -1;
    }
    if (tlscert_make_client(ca_dir, dir, name, certrole, renew ? TLSCERT_REPLACE : 0, fp,
                            pass_out) < 0)
        return -1;
    if (keys_set_browser_fp(cert, fp) < 0) {
        log_warnx(_("the browser certificate %s/%s.p12 was made but %s does not record it: "
                    "run lianxi keygen --renew-browser for it"), dir, name, cert);
        return -1;
    }
    return 0;
}

int
provision_console(const char *dir, const char *base, const char *name, const char *ca_dir,
                  const char *const *hosts, size_t nhosts)
{
    static const char *const made[] = { "ca.crt", ".cert", ".cert_secret" };
    char p[PATH_MAX], q[PATH_MAX];
    struct stat st;

    /* Nothing is made unless all of it can be: the TLS certificate first
     * (it checks the CA and the hosts), then the key. */
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        snprintf(p, sizeof p, "%s/%s%s", dir, i ? base : "", made[i]);
        if (stat(p, &st) == 0) {
            log_warnx(_("%s already exists: refusing to overwrite a certificate or key"), p);
            return -1;
        }
    }
    if (tlscert_make_server(ca_dir, dir, hosts, nhosts) < 0)
        return -1;
    if (keys_generate(dir, base, KEY_CONSOLE, name, NULL) < 0) {
        snprintf(p, sizeof p, "%s/tls.crt", dir);
        unlink(p);
        snprintf(p, sizeof p, "%s/tls.key", dir);
        unlink(p);
        return -1;
    }
    snprintf(q, sizeof q, "%s/ca.crt", dir);
    snprintf(p, sizeof p, "%s/ca.crt", ca_dir);
    if (copy_file(p, q, 0644) < 0)
        return -1;
    snprintf(p, sizeof p, "%s/run", dir);
    if (files_mkdir_p(p, 0755) < 0) {
        log_warn(_("cannot create %s"), p);
        return -1;
    }
    return 0;
}

/* The console of a county on one machine: dir/console, its CA in
 * dir/hub/console-ca, its public cert in the hub's key directory. */
static int
county_console(const char *dir, int port)
{
    char p[PATH_MAX], q[PATH_MAX], ca[PATH_MAX], text[1024], listen[64], hubline[128];

    snprintf(ca, sizeof ca, "%s/hub/console-ca", dir);
    if (tlscert_make_ca(ca) < 0)
        return -1;
    snprintf(p, sizeof p, "%s/console", dir);
    if (provision_console(p, "console", "console", ca, NULL, 0) < 0)
        return -1;
    snprintf(p, sizeof p, "%s/console/console.cert", dir);
    snprintf(q, sizeof q, "%s/hub/keys/console.cert", dir);
    if (copy_file(p, q, 0644) < 0)
        return -1;
    snprintf(p, sizeof p, "%s/hub/hub.cert", dir);
    snprintf(q, sizeof q, "%s/console/hub.cert", dir);
    if (copy_file(p, q, 0644) < 0)
        return -1;
    if (port) {
        snprintf(listen, sizeof listen, "127.0.0.1:%d", port + 2);
        snprintf(hubline, sizeof hubline, "hub = tcp://127.0.0.1:%d", port + 1);
    } else {
        snprintf(listen, sizeof listen, "127.0.0.1:0");
        snprintf(hubline, sizeof hubline, "hub_endpoint_file = ../hub/run/control.endpoint");
    }
    snprintf(text, sizeof text,
             "# lianxi console, made by lianxi init.  Paths are relative to this file.\n"
             "[console]\n"
             "language = zh\n"
             "# the HTTPS address (a port of 0 is chosen at start and written to "
             "run/console.url)\n"
             "listen = %s\n"
             "# the hub's control socket (or hub_endpoint_file = "
             "../hub/run/control.endpoint)\n"
             "%s\n"
             "hub_cert = hub.cert\n"
             "cert = console.cert_secret\n"
             "tls_cert = tls.crt\n"
             "tls_key = tls.key\n"
             "client_ca = ca.crt\n"
             "categories = ../share/categories.tsv\n"
             "run = run\n", listen, hubline);
    snprintf(p, sizeof p, "%s/console/console.conf", dir);
    return write_text(p, text);
}

/* Root making a county in a directory another user owns (the packages'
 * /var/lib/lianxi is the hub's user lianxi's) makes it for that user: the
 * files and their modes as they are, the owner that directory's, so that
 * the services (User=lianxi) can read their keys and configs. */
static uid_t owner_uid;
static gid_t owner_gid;

static int
give_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (lchown(path, owner_uid, owner_gid) < 0) {
        log_warn(_("cannot give %s to the owner of its directory"), path);
        return -1;
    }
    return 0;
}

int
provision_county(const char *dir, int port, const char *county)
{
    const char *data = provision_datadir();
    char p[PATH_MAX], q[PATH_MAX], text[4096], ep[128], cep[128], hubep[256], cline[256];
    struct stat st, own = { .st_uid = 0 };

    files_dirname(p, sizeof p, dir);
    if (geteuid() == 0 && stat(dir, &own) < 0 && stat(p, &own) < 0)
        own.st_uid = 0;

    if (!data) {
        log_warnx(_("cannot find categories.tsv: set LIANXI_DATA to the deploy/ directory"));
        return -1;
    }
    snprintf(p, sizeof p, "%s/hub/hub.conf", dir);
    if (stat(p, &st) == 0) {
        log_warnx(_("%s already holds a county (hub/hub.conf exists): choose an empty directory"),
                  dir);
        return -1;
    }
    snprintf(p, sizeof p, "%s/share", dir);
    if (files_mkdir_p(p, 0755) < 0) {
        log_warn(_("cannot create %s"), p);
        return -1;
    }
    snprintf(p, sizeof p, "%s/categories.tsv", data);
    snprintf(q, sizeof q, "%s/share/categories.tsv", dir);
    if (copy_file(p, q, 0644) < 0)
        return -1;
    snprintf(p, sizeof p, "%s/calendar/cn-holidays.tsv", data);
    snprintf(q, sizeof q, "%s/share/cn-holidays.tsv", dir);
    if (copy_file(p, q, 0644) < 0)
        return -1;

    /* The hub. */
    snprintf(p, sizeof p, "%s/hub", dir);
    if (keys_generate(p, "hub", KEY_HUB, "hub", NULL) < 0)
        return -1;
    snprintf(p, sizeof p, "%s/hub/keys", dir);
    if (files_mkdir_p(p, 0755) < 0)
        return -1;
    if (port) {
        snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", port);
        snprintf(cep, sizeof cep, "tcp://127.0.0.1:%d", port + 1);
    } else {
        snprintf(ep, sizeof ep, "tcp://127.0.0.1:*");
        snprintf(cep, sizeof cep, "tcp://127.0.0.1:*");
    }
    if (county)
        snprintf(cline, sizeof cline, "county = %s\n", county);
    else
        snprintf(cline, sizeof cline, "#county = 某某县\n");
    snprintf(text, sizeof text,
             "# lianxi hub, made by lianxi init.  Paths are relative to this file.\n"
             "[hub]\n"
             "# the language of what people read (zh or en; absent: the locale's)\n"
             "language = zh\n"
             "# the county's name in the documents (absent: the generic \"县\")\n"
             "%s"
             "# where the units' adapters connect (a * port is chosen at start and\n"
             "# written to run/units.endpoint)\n"
             "units = %s\n"
             "# where operators (the lianxi command) connect\n"
             "control = %s\n"
             "cert = hub.cert_secret\n"
             "# signs the audit trail's checkpoints\n"
             "sign = hub.sign_secret\n"
             "keys = keys\n"
             "database = lianxi.db\n"
             "run = run\n"
             "categories = ../share/categories.tsv\n"
             "calendar = ../share/cn-holidays.tsv\n"
             "# messages taken per transaction (group commit)\n"
             "batch = 1024\n"
             "\n"
             "# The names this county gives its member units in the briefings, by\n"
             "# unit code (discipline, organization, politics_law, court,\n"
             "# procuratorate, police, audit, family_planning, petitions); a unit\n"
             "# not named here keeps its default name (县公安局 …).\n"
             "#[unit-names]\n"
             "#discipline = 县纪委监委\n"
             "#family_planning = 县卫生健康局\n", cline, ep, cep);
    snprintf(p, sizeof p, "%s/hub/hub.conf", dir);
    if (write_text(p, text) < 0)
        return -1;

    if (county_console(dir, port) < 0)
        return -1;

    /* The nine units: keys stay in the unit's folder, the public cert goes to the hub. */
    for (size_t i = 0; i < LX_NUNITS; i++) {
        const char *u = lx_units[i].code;
        snprintf(p, sizeof p, "%s/units/%s", dir, u);
        if (keys_generate(p, u, KEY_UNIT, u, NULL) < 0)
            return -1;
        snprintf(p, sizeof p, "%s/units/%s/%s.cert", dir, u, u);
        snprintf(q, sizeof q, "%s/hub/keys/%s.cert", dir, u);
        if (copy_file(p, q, 0644) < 0)
            return -1;
        snprintf(p, sizeof p, "%s/hub/hub.cert", dir);
        snprintf(q, sizeof q, "%s/units/%s/hub.cert", dir, u);
        if (copy_file(p, q, 0644) < 0)
            return -1;
        if (port)
            snprintf(hubep, sizeof hubep, "hub = tcp://127.0.0.1:%d", port);
        else
            snprintf(hubep, sizeof hubep, "hub_endpoint_file = ../../hub/run/units.endpoint");
        snprintf(text, sizeof text,
                 "# lianxi adapter of %s (%s), made by lianxi init.\n"
                 "[adapter]\n"
                 "language = zh\n"
                 "unit = %s\n"
                 "%s\n"
                 "hub_cert = hub.cert\n"
                 "cert = %s.cert_secret\n"
                 "sign = %s.sign_secret\n"
                 "outbox = outbox.db\n"
                 "categories = ../../share/categories.tsv\n"
                 "rejected = rejected\n"
                 "# filings in flight at once\n"
                 "window = 256\n", lx_units[i].zh, lx_units[i].en, u, hubep, u, u);
        snprintf(p, sizeof p, "%s/units/%s/adapter.conf", dir, u);
        if (write_text(p, text) < 0)
            return -1;
    }

    /* Operators: a CURVE key for the lianxi command, a browser certificate
     * for the console (its fingerprint in the cert before the hub gets it). */
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
        snprintf(p, sizeof p, "%s/operators/%s", dir, operators[i].name);
        if (keys_generate(p, operators[i].name, KEY_OPERATOR, operators[i].name,
                          operators[i].role) < 0)
            return -1;
        snprintf(q, sizeof q, "%s/hub/console-ca", dir);
        if (provision_browser(p, operators[i].name, operators[i].role, q, 0, NULL) < 0)
            return -1;
        snprintf(p, sizeof p, "%s/operators/%s/%s.cert", dir, operators[i].name,
                 operators[i].name);
        snprintf(q, sizeof q, "%s/hub/keys/op-%s.cert", dir, operators[i].name);
        if (copy_file(p, q, 0644) < 0)
            return -1;
        snprintf(p, sizeof p, "%s/hub/hub.cert", dir);
        snprintf(q, sizeof q, "%s/operators/%s/hub.cert", dir, operators[i].name);
        if (copy_file(p, q, 0644) < 0)
            return -1;
        if (port)
            snprintf(hubep, sizeof hubep, "hub = tcp://127.0.0.1:%d", port + 1);
        else
            snprintf(hubep, sizeof hubep, "hub_endpoint_file = ../../hub/run/control.endpoint");
        snprintf(text, sizeof text,
                 "# lianxi operator %s (%s), made by lianxi init.\n"
                 "[operator]\n"
                 "language = zh\n"
                 "name = %s\n"
                 "%s\n"
                 "hub_cert = hub.cert\n"
                 "cert = %s.cert_secret\n"
                 "categories = ../../share/categories.tsv\n"
                 "calendar = ../../share/cn-holidays.tsv\n",
                 operators[i].name, operators[i].role, operators[i].name, hubep,
                 operators[i].name);
        snprintf(p, sizeof p, "%s/operators/%s/operator.conf", dir, operators[i].name);
        if (write_text(p, text) < 0)
            return -1;
    }
    if (geteuid() == 0 && own.st_uid != 0) {
        owner_uid = own.st_uid;
        owner_gid = own.st_gid;
        return nftw(dir, give_one, 16, FTW_PHYS) == 0 ? 0 : -1;
    }
    return 0;
}

/* Where the Debian packages install the calendar and the categories
 * (LIANXI_SYSTEM_DATA moves it, for tests). */
#define LX_SYSTEM_DATADIR "/usr/share/lianxi"

/* The installed registry and calendar, when both are there: a config
 * names them rather than a copy, so a package update brings next year's
 * holidays.  Returns 1 with the paths set, or 0. */
static int
system_data(char *cats, char *cal, size_t len)
{
    const char *d = getenv("LIANXI_SYSTEM_DATA");

    if (!d)
        d = LX_SYSTEM_DATADIR;
    snprintf(cats, len, "%s/categories.tsv", d);
    snprintf(cal, len, "%s/calendar/cn-holidays.tsv", d);
    return access(cats, R_OK) == 0 && access(cal, R_OK) == 0;
}

/* The registry (and, when cal is not NULL, the calendar) a config in dir
 * names: the installed ones when both are there, else copies in dir (as
 * init makes them).  Returns 0, or -1 after logging. */
static int
shared_data(const char *dir, char *cats, char *cal, size_t len)
{
    char scats[PATH_MAX], scal[PATH_MAX], p[PATH_MAX];
    const char *data;

    if (system_data(scats, scal, sizeof scats)) {
        snprintf(cats, len, "%s", scats);
        if (cal)
            snprintf(cal, len, "%s", scal);
        return 0;
    }
    if (!(data = provision_datadir())) {
        log_warnx(_("cannot find categories.tsv: set LIANXI_DATA to the deploy/ directory"));
        return -1;
    }
    snprintf(p, sizeof p, "%s/categories.tsv", data);
    snprintf(scats, sizeof scats, "%s/categories.tsv", dir);
    if (copy_file(p, scats, 0644) < 0)
        return -1;
    snprintf(cats, len, "categories.tsv");
    if (cal) {
        snprintf(p, sizeof p, "%s/calendar/cn-holidays.tsv", data);
        snprintf(scal, sizeof scal, "%s/cn-holidays.tsv", dir);
        if (copy_file(p, scal, 0644) < 0)
            return -1;
        snprintf(cal, len, "cn-holidays.tsv");
    }
    return 0;
}

int
provision_dir_empty(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int empty = 1;

    if (!d)
        return errno == ENOENT ? 1 : -1;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            empty = 0;
            break;
        }
    closedir(d);
    return empty;
}

int
provision_hub(const char *dir, const char *bind, int port, const char *county)
{
    char p[PATH_MAX], cats[PATH_MAX], cal[PATH_MAX], cline[256], ep[160], cep[160];
    char text[8192];

    if (files_mkdir_p(dir, 0750) < 0) {
        log_warn(_("cannot create %s"), dir);
        return -1;
    }
    if (keys_generate(dir, "hub", KEY_HUB, "hub", NULL) < 0)
        return -1;
    snprintf(p, sizeof p, "%s/keys", dir);
    if (files_mkdir_p(p, 0755) < 0) {
        log_warn(_("cannot create %s"), p);
        return -1;
    }
    snprintf(p, sizeof p, "%s/console-ca", dir);
    if (tlscert_make_ca(p) < 0)
        return -1;
    if (shared_data(dir, cats, cal, sizeof cats) < 0)
        return -1;
    if (port) {
        snprintf(ep, sizeof ep, "tcp://%s:%d", bind, port);
        snprintf(cep, sizeof cep, "tcp://%s:%d", bind, port + 1);
    } else {
        snprintf(ep, sizeof ep, "tcp://%s:*", bind);
        snprintf(cep, sizeof cep, "tcp://%s:*", bind);
    }
    if (county)
        snprintf(cline, sizeof cline, "county = %s\n", county);
    else
        snprintf(cline, sizeof cline, "#county = 某某县\n");
    /* The same keys, in the same order, as deploy/hub.conf.example. */
    snprintf(text, sizeof text,
             "# lianxi-hub 的配置，由 lianxi init --hub-only 生成。相对路径以本文件所在目录为准。\n"
             "# lianxi-hub's configuration, made by lianxi init --hub-only.\n"
             "# Relative paths are relative to this file's directory.\n"
             "# 每一项的说明见 /usr/share/doc/lianxi-hub/examples/hub.conf.example\n"
             "# Each key is explained there (in the sources: deploy/hub.conf.example).\n"
             "[hub]\n"
             "# 给人看的文字的语言：zh 或 en / the language of what people read: zh or en\n"
             "language = zh\n"
             "# 文件中的县名 / the county's name in the documents\n"
             "%s"
             "# 各单位适配器连接的地址 / where the units' adapters connect\n"
             "units = %s\n"
             "# 操作员（lianxi 命令、控制台）连接的地址 / where operators connect\n"
             "control = %s\n"
             "# 枢纽的 CURVE 私钥（0600）/ the hub's CURVE secret key (0600)\n"
             "cert = hub.cert_secret\n"
             "# 枢纽的签名私钥（0600），签审计链检查点 / signs the audit checkpoints (0600)\n"
             "sign = hub.sign_secret\n"
             "# 授权公钥目录（单位、操作员、控制台的 *.cert）/ the authorized public keys\n"
             "keys = keys\n"
             "database = lianxi.db\n"
             "# 运行时文件，与数据库一同备份 / run-time files, back up with the database\n"
             "run = run\n"
             "categories = %s\n"
             "calendar = %s\n"
             "# 每个事务处理的消息数 / messages taken per transaction (1-100000)\n"
             "batch = 1024\n"
             "# 任前联审默认答复期限（工作日）/ a joint review's default days to answer (1-60)\n"
             "#review_due_days = 5\n"
             "# 验签线程数，不写则为 CPU 核数 / signature threads (0-64; absent: the CPUs)\n"
             "#verify_threads = 2\n"
             "\n"
             "# lianxi-hub backup 的备份目录和保留天数 / where backups go, days kept\n"
             "#[backup]\n"
             "#dir = backups\n"
             "#keep_days = 30\n"
             "\n"
             "# 本县对成员单位的称呼（按单位代码）/ this county's names for its member units\n"
             "#[unit-names]\n"
             "#discipline = 县纪委监委\n"
             "#family_planning = 县卫生健康局\n", cline, ep, cep, cats, cal);
    snprintf(p, sizeof p, "%s/hub.conf", dir);
    return write_text(p, text);
}

int
provision_unit(const char *dir, const char *unit, const char *endpoint, const char *hub_cert)
{
    const struct lx_unit *u = units_find(unit);
    char p[PATH_MAX], cats[PATH_MAX], text[4096];
    static const char *const folders[] = { "drop", "done", "notices", "rejected" };

    if (!u)
        return -1;
    if (files_mkdir_p(dir, 0750) < 0) {
        log_warn(_("cannot create %s"), dir);
        return -1;
    }
    if (keys_generate(dir, unit, KEY_UNIT, unit, NULL) < 0)
        return -1;
    snprintf(p, sizeof p, "%s/hub.cert", dir);
    if (copy_file(hub_cert, p, 0644) < 0)
        return -1;
    if (shared_data(dir, cats, NULL, sizeof cats) < 0)
        return -1;
    for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, folders[i]);
        if (files_mkdir_p(p, 0750) < 0) {
            log_warn(_("cannot create %s"), p);
            return -1;
        }
    }
    /* The same keys, in the same order, as deploy/adapter.conf.example. */
    snprintf(text, sizeof text,
             "# %s（%s）的 lianxi 适配器配置，由 lianxi unit-setup 生成。\n"
             "# lianxi adapter of %s, made by lianxi unit-setup.\n"
             "# 相对路径以本文件所在目录为准 / relative paths are relative to this file.\n"
             "# 每一项的说明见 /usr/share/doc/lianxi-adapter/examples/adapter.conf.example\n"
             "# Each key is explained there (in the sources: deploy/adapter.conf.example).\n"
             "[adapter]\n"
             "# 给人看的文字的语言：zh 或 en / the language of what people read: zh or en\n"
             "language = zh\n"
             "# 本单位代码，须与程序 lianxi-adapter-%s 一致 / this unit's code\n"
             "unit = %s\n"
             "# 枢纽地址 / the hub's address\n"
             "hub = %s\n"
             "# 枢纽的公钥（组织部给的 hub.cert）/ the hub's public cert\n"
             "hub_cert = hub.cert\n"
             "# 本单位的私钥（0600，不得离开本机）/ this unit's secret keys (0600, stay here)\n"
             "cert = %s.cert_secret\n"
             "sign = %s.sign_secret\n"
             "# 待发送队列 / the outbox\n"
             "outbox = outbox.db\n"
             "categories = %s\n"
             "# 放入导出文件的文件夹，处理后移入 done / exports dropped here, moved to done\n"
             "drop = drop\n"
             "done = done\n"
             "# 提醒和补报要求 / reminders and supplement requests\n"
             "notices = notices\n"
             "# 被拒的行及原因 / rows refused and why\n"
             "rejected = rejected\n"
             "# 枢纽审计链的见证 / what this unit saw of the hub's audit trail\n"
             "witness = hub.witness\n"
             "# 同时在途的报备数 / filings in flight at once (1-4096)\n"
             "window = 256\n", u->zh, unit, u->en, unit, unit, endpoint, unit, unit, cats);
    snprintf(p, sizeof p, "%s/adapter.conf", dir);
    return write_text(p, text);
}
