/* harness.c — start and stop the real programs for integration tests. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "days.h"
#include "attachment.h"
#include "canon.h"
#include "clock.h"
#include "files.h"
#include "idnum.h"
#include "keys.h"
#include "wire.h"

#include <zmq.h>

static int
pidfd_open_(pid_t pid)
{
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

const char *
cpath(struct county *c, const char *rel)
{
    static char buf[4][PATH_MAX];
    static int k;
    char *b = buf[k++ % 4];
    snprintf(b, PATH_MAX, "%s/%s", c->dir, rel);
    return b;
}

pid_t
spawn(struct county *c, const char *log, const char *const argv[])
{
    char prog[PATH_MAX];
    pid_t pid;

    snprintf(prog, sizeof prog, "%s/%s", c->bin, argv[0]);
    pid = fork();
    if (pid == 0) {
        int fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

int
wait_exit(pid_t pid, int timeout_ms)
{
    int fd = pidfd_open_(pid), status;
    struct pollfd p = { fd, POLLIN, 0 };

    if (fd < 0)
        return -1;
    if (poll(&p, 1, timeout_ms) <= 0) {
        close(fd);
        return -1;
    }
    close(fd);
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

static int
run(struct county *c, const char *const argv[])
{
    pid_t pid = spawn(c, cpath(c, "setup.log"), argv);
    return pid > 0 ? wait_exit(pid, 60000) : -1;
}

int
county_init(struct county *c)
{
    const char *bin = getenv("LIANXI_BIN");
    char tmpl[] = "/tmp/lianxi-it-XXXXXX";

    memset(c, 0, sizeof *c);
    snprintf(c->bin, sizeof c->bin, "%s", bin ? bin : "build/rel");
    if (c->bin[0] != '/') {
        char cwd[PATH_MAX - 64];
        if (!getcwd(cwd, sizeof cwd))
            return -1;
        char tmp[PATH_MAX];
        snprintf(tmp, sizeof tmp, "%s/%s", cwd, c->bin);
        snprintf(c->bin, sizeof c->bin, "%s", tmp);
    }
    if (!mkdtemp(tmpl))
        return -1;
    snprintf(c->dir, sizeof c->dir, "%s/county", tmpl);
    const char *argv[] = { "lianxi", "init", c->dir, NULL };
    return run(c, argv) == 0 ? 0 : -1;
}

int
hub_start(struct county *c, int timeout_ms)
{
    int pipefd[2];
    char buf[1024];
    size_t len = 0;
    int64_t end = clock_mono_ms() + timeout_ms;
    char prog[PATH_MAX];

    if (pipe(pipefd) < 0)
        return -1;
    snprintf(prog, sizeof prog, "%s/lianxi-hub", c->bin);
    c->hub = fork();
    if (c->hub == 0) {
        int fd = open(cpath(c, "hub.log"), O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(pipefd[1], 1);
        if (fd >= 0)
            dup2(fd, 2);
        close(pipefd[0]);
        execl(prog, "lianxi-hub", "-c", cpath(c, "hub/hub.conf"), (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    for (;;) {
        struct pollfd p = { pipefd[0], POLLIN, 0 };
        int left = (int)(end - clock_mono_ms());
        ssize_t n;
        if (left <= 0 || poll(&p, 1, left) <= 0)
            break;
        n = read(pipefd[0], buf + len, sizeof buf - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
        if (strstr(buf, "ready\n")) {
            char *u = strstr(buf, "units=");
            if (u)
                sscanf(u, "units=%255s", c->endpoint);
            close(pipefd[0]);
            return 0;
        }
    }
    close(pipefd[0]);
    hub_kill9(c);
    return -1;
}

int
hub_stop(struct county *c)
{
    int rc;

    if (c->hub <= 0)
        return -1;
    kill(c->hub, SIGTERM);
    rc = wait_exit(c->hub, 30000);
    if (rc < 0)
        hub_kill9(c);
    c->hub = 0;
    return rc;
}

void
hub_kill9(struct county *c)
{
    if (c->hub <= 0)
        return;
    kill(c->hub, SIGKILL);
    wait_exit(c->hub, 30000);
    c->hub = 0;
}

void
county_cleanup(struct county *c)
{
    char cmd[PATH_MAX + 32], *slash;

    hub_stop(c);
    if (!c->dir[0] || getenv("LIANXI_KEEP"))
        return;
    slash = strrchr(c->dir, '/');
    if (slash)
        *slash = '\0';
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", c->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", c->dir);
    c->dir[0] = '\0';
}

struct db_read {
    struct county *c;
    const char *db, *sql;
    long v;
};

/* One read of the value: 1 when it was read (into r->v), 0 when the reader
 * met something transient (the hub resetting its WAL). */
static int
db_read_once(void *arg)
{
    struct db_read *r = arg;
    sqlite3 *h;
    sqlite3_stmt *st;
    int rc = SQLITE_ERROR;

    if (sqlite3_open_v2(cpath(r->c, r->db), &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(h, 5000);
        if (sqlite3_prepare_v2(h, r->sql, -1, &st, NULL) == SQLITE_OK) {
            rc = sqlite3_step(st);
            r->v = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(h);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

long
db_long(struct county *c, const char *db, const char *sql)
{
    struct db_read r = { c, db, sql, -1 };
    char dir[PATH_MAX];

    /* A failed read is tried again when the database's folder changes
     * (the hub finishing what it was doing), for up to 5 s. */
    if (!db_read_once(&r)) {
        files_dirname(dir, sizeof dir, cpath(c, db));
        wait_in_dir(dir, IN_MODIFY | IN_CREATE | IN_DELETE | IN_CLOSE_WRITE, db_read_once, &r,
                    5000);
    }
    return r.v;
}

int
wait_in_dir(const char *dir, uint32_t mask, int (*check)(void *), void *arg, int timeout_ms)
{
    int fd = inotify_init1(IN_CLOEXEC), done;
    int64_t end = clock_mono_ms() + timeout_ms;

    files_mkdir_p(dir, 0755);
    inotify_add_watch(fd, dir, mask);
    while (!(done = check(arg))) {
        struct pollfd p = { fd, POLLIN, 0 };
        char buf[4096];
        int left = (int)(end - clock_mono_ms());
        if (left <= 0 || poll(&p, 1, left) <= 0)
            break;
        if (read(fd, buf, sizeof buf) < 0)
            break;
    }
    close(fd);
    return done ? 0 : -1;
}

struct db_wait {
    struct county *c;
    const char *db, *sql;
    long n, v;
};

static int
db_reached(void *arg)
{
    struct db_wait *w = arg;
    w->v = db_long(w->c, w->db, w->sql);
    return w->v >= w->n;
}

long
wait_db(struct county *c, const char *db, const char *sql, long n, int timeout_ms)
{
    char dir[PATH_MAX];
    struct db_wait w = { c, db, sql, n, -1 };

    files_dirname(dir, sizeof dir, cpath(c, db));
    wait_in_dir(dir, IN_MODIFY | IN_CREATE, db_reached, &w, timeout_ms);
    return w.v;
}

static int
exists(void *arg)
{
    return access(arg, F_OK) == 0;
}

int
wait_file(const char *path, int timeout_ms)
{
    char dir[PATH_MAX];

    files_dirname(dir, sizeof dir, path);
    return wait_in_dir(dir, IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE, exists, (void *)path,
                       timeout_ms);
}

int
run_prog(struct county *c, const char *log, const char *const argv[], int timeout_ms)
{
    pid_t pid = spawn(c, log, argv);
    return pid > 0 ? wait_exit(pid, timeout_ms) : -1;
}

long long
shanghai_time(int y, int mo, int d, int h, int mi)
{
    return (long long)days_from_civil(y, mo, d) * 86400 + (h - 8) * 3600 + mi * 60;
}

int
log_has(struct county *c, const char *needle)
{
    char *text = files_read(cpath(c, "hub.log"), NULL);
    int found = text && strstr(text, needle);

    free(text);
    return found;
}

struct log_wait {
    struct county *c;
    const char *needle;
};

static int
log_found(void *arg)
{
    struct log_wait *w = arg;
    return log_has(w->c, w->needle);
}

int
wait_log(struct county *c, const char *needle, int timeout_ms)
{
    struct log_wait w = { c, needle };

    return wait_in_dir(c->dir, IN_MODIFY | IN_CREATE, log_found, &w, timeout_ms);
}

/* ---- a unit written from the protocol alone -------------------------- */

/* The next envelope on sock, skipping what is not about filings
 * (heartbeat answers, messages to the unit), or NULL after timeout_ms. */
static Lianxi__Envelope *
raw_next(void *sock, int timeout_ms)
{
    int64_t end = clock_mono_ms() + timeout_ms;

    for (;;) {
        zmq_pollitem_t it = { sock, 0, ZMQ_POLLIN, 0 };
        int64_t left = end - clock_mono_ms();
        zmq_msg_t m;
        Lianxi__Envelope *env;

        if (left <= 0 || zmq_poll(&it, 1, (long)left) <= 0)
            return NULL;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, sock, 0) < 0) {
            zmq_msg_close(&m);
            return NULL;
        }
        env = wire_unpack(zmq_msg_data(&m), zmq_msg_size(&m));
        zmq_msg_close(&m);
        if (env && (env->body_case == LIANXI__ENVELOPE__BODY_RECEIPT ||
                    env->body_case == LIANXI__ENVELOPE__BODY_REJECTION ||
                    env->body_case == LIANXI__ENVELOPE__BODY_ATTACHMENT_WANT))
            return env;
        wire_free(env);
    }
}

int
raw_file_with_attachments(struct county *c, const char *unit, const char *category,
                          const char *case_ref, const char *const paths[],
                          const char *const names[], size_t n, char receipt[24],
                          int timeout_ms)
{
    Lianxi__Envelope env = LIANXI__ENVELOPE__INIT, *in = NULL;
    Lianxi__Filing f = LIANXI__FILING__INIT;
    Lianxi__Cadre cadre = LIANXI__CADRE__INIT;
    Lianxi__Attachment att[ATT_MAX_COUNT], *ap[ATT_MAX_COUNT];
    uint8_t hashes[ATT_MAX_COUNT][ATT_HASHLEN], hub_pk[32], *packed = NULL;
    char cert[PATH_MAX], sign[PATH_MAX], idno[19], fid[160], learned[LX_DATE_LEN];
    struct identity id;
    void *ctx = zmq_ctx_new(), *sock = NULL;
    long plen;
    int zero = 0, rc = -1;

    if (n > ATT_MAX_COUNT || !ctx)
        goto out;
    snprintf(cert, sizeof cert, "%s/units/%s/%s.cert_secret", c->dir, unit, unit);
    snprintf(sign, sizeof sign, "%s/units/%s/%s.sign_secret", c->dir, unit, unit);
    if (keys_load_identity(cert, sign, &id) < 0 ||
        keys_load_public(cpath(c, "hub/hub.cert"), hub_pk) < 0) {
        fprintf(stderr, "raw unit: cannot read the keys of %s\n", unit);
        goto out;
    }
    snprintf(idno, sizeof idno, "44162319800101001");
    idno[17] = idnum_check_char(idno);
    idno[18] = '\0';
    snprintf(fid, sizeof fid, "%s:%s", unit, case_ref);
    days_format(days_shanghai(clock_now()) - 2, learned);
    cadre.name = "测试人";
    cadre.id_number = idno;
    cadre.work_unit = "县教育局";
    cadre.post = "股长";
    cadre.rank = LIANXI__RANK__RANK_CLERK;
    f.unit = (char *)unit;
    f.filing_id = fid;
    f.revision = 1;
    f.stage = LIANXI__STAGE__STAGE_REPORT;
    f.category = (char *)category;
    f.cadre = &cadre;
    f.learned_on = learned;
    f.summary = "附书面材料。";
    f.scope = LIANXI__SCOPE__SCOPE_ORGANS;
    f.case_ref = (char *)case_ref;
    f.queued_at = clock_now();
    f.answers = "";
    for (size_t i = 0; i < n; i++) {
        uint64_t size;
        lianxi__attachment__init(&att[i]);
        if (att_hash_file(paths[i], hashes[i], &size) < 0) {
            fprintf(stderr, "raw unit: cannot read %s\n", paths[i]);
            goto out;
        }
        att[i].name = (char *)names[i];
        att[i].media_type = (char *)att_type_for_name(names[i]);
        att[i].size = size;
        att[i].hash.data = hashes[i];
        att[i].hash.len = ATT_HASHLEN;
        ap[i] = &att[i];
    }
    f.attachments = ap;
    f.n_attachments = n;
    if (canon_sign(&f, id.sign_sk) < 0)
        goto out;
    env.body_case = LIANXI__ENVELOPE__BODY_FILING;
    env.filing = &f;
    if ((plen = wire_pack(&env, &packed)) <= 0)
        goto out;
    sock = zmq_socket(ctx, ZMQ_DEALER);
    zmq_setsockopt(sock, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, hub_pk, 32);
    zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, id.curve_pk, 32);
    zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, id.curve_sk, 32);
    if (zmq_connect(sock, c->endpoint) < 0)
        goto out;
    /* 1. The filing; 2-3. the chunks the hub wants, each answered; 4. the
     * filing again, answered with the receipt. */
    for (int round = 0; round < 2; round++) {
        if (zmq_send(sock, packed, (size_t)plen, 0) != plen)
            goto out;
        if (!(in = raw_next(sock, timeout_ms))) {
            fprintf(stderr, "raw unit: no answer to the filing\n");
            goto out;
        }
        if (in->body_case == LIANXI__ENVELOPE__BODY_RECEIPT)
            break;
        if (in->body_case != LIANXI__ENVELOPE__BODY_ATTACHMENT_WANT || round) {
            fprintf(stderr, "raw unit: the filing was answered with %d (%s)\n", in->body_case,
                    in->body_case == LIANXI__ENVELOPE__BODY_REJECTION ? in->rejection->detail
                                                                      : "");
            goto out;
        }
        for (size_t w = 0; w < in->attachment_want->n_wants; w++) {
            const Lianxi__AttachmentOffset *o = in->attachment_want->wants[w];
            size_t k = 0;
            uint64_t offset = o->offset;
            FILE *src;
            while (k < n && (o->hash.len != ATT_HASHLEN ||
                             memcmp(hashes[k], o->hash.data, ATT_HASHLEN) != 0))
                k++;
            if (k == n || o->refused || !(src = fopen(paths[k], "rb")))
                goto out;
            while (offset < att[k].size) {
                Lianxi__Envelope ce = LIANXI__ENVELOPE__INIT, *ans;
                Lianxi__AttachmentChunk ch = LIANXI__ATTACHMENT_CHUNK__INIT;
                static uint8_t data[ATT_CHUNK];
                uint8_t *cbuf = NULL;
                size_t got;
                long clen;
                if (fseeko(src, (off_t)offset, SEEK_SET) < 0 ||
                    (got = fread(data, 1, sizeof data, src)) == 0)
                    break;
                ch.hash.data = hashes[k];
                ch.hash.len = ATT_HASHLEN;
                ch.offset = offset;
                ch.data.data = data;
                ch.data.len = got;
                ch.size = att[k].size;
                ce.body_case = LIANXI__ENVELOPE__BODY_ATTACHMENT_CHUNK;
                ce.attachment_chunk = &ch;
                if ((clen = wire_pack(&ce, &cbuf)) <= 0 ||
                    zmq_send(sock, cbuf, (size_t)clen, 0) != clen) {
                    free(cbuf);
                    break;
                }
                free(cbuf);
                if (!(ans = raw_next(sock, timeout_ms)) ||
                    ans->body_case != LIANXI__ENVELOPE__BODY_ATTACHMENT_WANT ||
                    ans->attachment_want->n_wants != 1 ||
                    ans->attachment_want->wants[0]->refused) {
                    fprintf(stderr, "raw unit: a chunk at %llu was not answered as the protocol "
                            "says\n", (unsigned long long)offset);
                    wire_free(ans);
                    break;
                }
                offset = ans->attachment_want->wants[0]->offset;
                wire_free(ans);
            }
            fclose(src);
            if (offset != att[k].size)
                goto out;
        }
        wire_free(in);
        in = NULL;
    }
    if (!in || in->body_case != LIANXI__ENVELOPE__BODY_RECEIPT) {
        fprintf(stderr, "raw unit: no receipt after the attachments\n");
        goto out;
    }
    snprintf(receipt, 24, "%s", in->receipt->receipt_no);
    rc = 0;
out:
    wire_free(in);
    free(packed);
    free(f.signature.data);     /* canon_sign's */
    if (sock)
        zmq_close(sock);
    if (ctx)
        zmq_ctx_term(ctx);
    return rc;
}
