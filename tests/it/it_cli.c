/* it_cli.c — the operators' command as people read it: Chinese messages,
 * units and categories by name in aligned listings (codes in --json), the
 * export as .xlsx and as CSV for the office, and the hub's "the data is
 * wrong" refusal as exit 65. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include <zmq.h>

#include "categories.h"
#include "files.h"
#include "harness.h"
#include "idnum.h"
#include "keys.h"
#include "text.h"
#include "wire.h"

static struct county C;
static char id_x[19] = "44162319851208185X";  /* ends in the check character X */
static char id_digits[19];                     /* all digits: a number to a spreadsheet */

/* Runs argv (NULL-terminated) with its output in the county's file out;
 * *text gets the output (free it).  Returns the exit code. */
static int
run_out(const char *out, const char *const argv[], char **text)
{
    char path[PATH_MAX];
    int rc;

    snprintf(path, sizeof path, "%s/%s", C.dir, out);
    close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
    rc = run_prog(&C, path, argv, 90000);
    if (text)
        *text = files_read(path, NULL);
    return rc;
}

/* `lianxi -c operators/WHO/operator.conf ARGS...` (at most 8 words). */
static int
op_as(const char *who, char **text, ...)
{
    char conf[PATH_MAX];
    const char *argv[12] = { "lianxi", "-c", conf };
    int n = 3;
    va_list ap;

    snprintf(conf, sizeof conf, "%s/operators/%s/operator.conf", C.dir, who);
    va_start(ap, text);
    while (n < 11 && (argv[n] = va_arg(ap, const char *)))
        n++;
    va_end(ap);
    argv[n] = NULL;
    return run_out("op.out", argv, text);
}

static char *
db_text(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char *r = NULL;

    assert_int_equal(sqlite3_open_v2(cpath(&C, "hub/lianxi.db"), &db, SQLITE_OPEN_READONLY,
                                     NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            r = strdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    assert_non_null(r);
    return r;
}

/* The Chinese name of the category the hub stored for the police, from
 * the county's registry. */
static char *
category_zh(void)
{
    char *code = db_text("SELECT category FROM filings WHERE unit = 'police' LIMIT 1"), *zh;
    categories_t *cats = categories_load(cpath(&C, "share/categories.tsv"));
    const struct lx_category *cat;

    assert_non_null(cats);
    assert_non_null(cat = categories_find(cats, code));
    zh = strdup(cat->zh);
    categories_destroy(&cats);
    free(code);
    return zh;
}

static int
setup_county(void **state)
{
    char first17[18], path[PATH_MAX], conf[PATH_MAX], *csv = NULL;

    (void)state;
    /* An all-digit ID number: the first sequence whose check is a digit. */
    for (int seq = 121; seq < 200; seq++) {
        snprintf(first17, sizeof first17, "44162319900101%03d", seq);
        char c = idnum_check_char(first17);
        if (c != 'X') {
            snprintf(id_digits, sizeof id_digits, "%s%c", first17, c);
            break;
        }
    }
    if (!id_digits[0] || county_init(&C) < 0 || hub_start(&C, 20000) < 0)
        return -1;
    if (asprintf(&csv,
        "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围\n"
        "A4416232026110501,杨志明,%s,县农业农村局,股长,科员,醉酒驾驶机动车,"
        "2026-10-12,已办结,=1+2 醉酒驾驶机动车被查获。,党政机关\n"
        "A4416232026110502,李建国,%s,县交通运输局,科长,正科,醉酒驾驶机动车,"
        "2026-10-14,已办结,醉酒驾驶机动车被查获。,党政机关\n", id_x, id_digits) < 0)
        return -1;
    snprintf(path, sizeof path, "%s/police.csv", C.dir);
    if (files_write_atomic(path, csv, strlen(csv), 0644) < 0)
        return -1;
    free(csv);
    snprintf(conf, sizeof conf, "%s/units/police/adapter.conf", C.dir);
    /* Options after the files are options (not files named --wait and 60). */
    const char *argv[] = { "lianxi-adapter-police", "-c", conf, "submit", path, "--wait", "60",
                           NULL };
    if (run_out("adapter.out", argv, NULL) != 0)
        return -1;
    return wait_db(&C, "hub/lianxi.db", "SELECT count(*) FROM filings", 2, 30000) == 2 ? 0 : -1;
}

static int
teardown_county(void **state)
{
    (void)state;
    county_cleanup(&C);
    return 0;
}

/* The terminal column at which needle starts in the line of text holding
 * it (the line's start is column 0); -1 when it is not there. */
static int
column_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle), *line;
    char *prefix;
    int w;

    if (!at)
        return -1;
    for (line = at; line > text && line[-1] != '\n'; line--)
        ;
    prefix = strndup(line, (size_t)(at - line));
    w = text_width(prefix);
    free(prefix);
    return w;
}

/* filings, show and dossier speak Chinese and name units and categories;
 * --json keeps the codes. */
/* The adapter took `submit police.csv --wait 60` as one file and its
 * options: the unit's done/ folder holds that file's receipt only. */
static void
options_after_the_files_are_not_files(void **state)
{
    char dir[PATH_MAX];
    DIR *d;
    struct dirent *e;
    int receipts = 0;

    (void)state;
    snprintf(dir, sizeof dir, "%s/units/police/done", C.dir);
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        assert_true(strncmp(e->d_name, "police.csv", 10) == 0);
        receipts++;
    }
    closedir(d);
    assert_true(receipts > 0);
}

static void
listings_name_units_and_categories_in_chinese(void **state)
{
    const char *unit_zh = units_find("police")->zh;
    char *text = NULL, *cat = category_zh(), *receipt, *code, *ident;

    (void)state;
    assert_int_equal(op_as("supervisor", &text, "filings", NULL), 0);
    assert_non_null(text);
    assert_non_null(strstr(text, "回执编号"));
    assert_non_null(strstr(text, "公民身份号码"));
    assert_non_null(strstr(text, unit_zh));
    assert_non_null(strstr(text, cat));
    assert_non_null(strstr(text, "共2条报备事项"));
    assert_non_null(strstr(text, "未审核"));
    assert_null(strstr(text, "police"));
    assert_null(strstr(text, " learned "));
    /* Aligned by terminal width: each column starts where its header does. */
    assert_int_equal(column_of(text, "成员单位"), column_of(text, unit_zh));
    assert_int_equal(column_of(text, "问题类别"), column_of(text, cat));
    assert_int_equal(column_of(text, "公民身份号码"), column_of(text, id_x));
    assert_int_equal(column_of(text, "公民身份号码"), column_of(text, id_digits));
    assert_int_equal(column_of(text, "知悉日期"), column_of(text, "2026-10-12"));
    free(text);

    /* Scripts read codes. */
    code = db_text("SELECT category FROM filings WHERE unit = 'police' LIMIT 1");
    assert_int_equal(op_as("supervisor", &text, "filings", "--json", NULL), 0);
    assert_non_null(strstr(text, "\"unit\":\"police\""));
    assert_non_null(strstr(text, code));
    assert_null(strstr(text, unit_zh));
    free(text);

    receipt = db_text("SELECT receipt_no FROM filings WHERE id_number = '44162319851208185X'");
    assert_int_equal(op_as("supervisor", &text, "show", receipt, NULL), 0);
    assert_non_null(strstr(text, "回执编号"));
    assert_true(asprintf(&ident, "成员单位：%s  问题类别：%s  知悉范围：党政机关", unit_zh, cat) > 0);
    assert_non_null(strstr(text, ident));
    free(ident);
    /* 已办结: the written report stage. */
    assert_int_equal(db_long(&C, "hub/lianxi.db", "SELECT stage FROM filings WHERE "
                             "id_number = '44162319851208185X'"), 2);
    assert_non_null(strstr(text, "（书面报告）"));
    assert_non_null(strstr(text, "科员及以下"));
    assert_non_null(strstr(text, "简要情况："));
    assert_null(strstr(text, "police.")); /* the filing id holds the unit's code, no more */
    free(text);

    assert_int_equal(op_as("supervisor", &text, "dossier", id_digits, NULL), 0);
    assert_non_null(strstr(text, unit_zh));
    assert_non_null(strstr(text, "李建国"));
    assert_non_null(strstr(text, "共1条报备事项"));
    free(text);
    free(receipt);
    free(code);
    free(cat);
}

/* meeting list and audit log: Chinese headers, the kind by name, columns
 * aligned; the hub's "no such meeting" keeps its exit code. */
static void
meetings_and_audit_log_in_chinese(void **state)
{
    char *text = NULL;

    (void)state;
    assert_int_equal(op_as("convener", &text, "meeting", "create", "--date", "2026-12-01",
                           "--kind", "annual", "--period", "2026-01-01..2026-11-30", NULL), 0);
    assert_non_null(strstr(text, "已创建第1号联席会议"));
    free(text);
    assert_int_equal(op_as("convener", &text, "meeting", "list", NULL), 0);
    assert_non_null(strstr(text, "会议日期"));
    assert_non_null(strstr(text, "年度例会"));
    assert_non_null(strstr(text, "2026-01-01至2026-11-30"));
    assert_null(strstr(text, "annual"));
    assert_int_equal(column_of(text, "会议类型"), column_of(text, "年度例会"));
    /* Its briefings' mark, as they print it: internal material by default. */
    assert_int_equal(column_of(text, "材料标注"), column_of(text, "内部资料 注意保存"));
    free(text);
    assert_int_equal(op_as("convener", &text, "meeting", "list", "--json", NULL), 0);
    assert_non_null(strstr(text, "\"kind\":\"annual\""));
    free(text);

    assert_int_equal(op_as("auditor", &text, "audit", "log", "--limit", "5", NULL), 0);
    assert_non_null(strstr(text, "序号"));
    assert_non_null(strstr(text, "操作人"));
    free(text);

    /* A usage error of the client's own, in Chinese. */
    assert_int_equal(op_as("supervisor", &text, "filings", "--period", "x", NULL), EX_USAGE);
    free(text);
    assert_int_equal(op_as("convener", &text, "brief", "--period", "2026-01-01..2026-02-01",
                           "--audience", "full", NULL), EX_USAGE);
    assert_non_null(strstr(text, "brief 需用 -o 指定输出文件"));
    free(text);
    assert_int_equal(op_as("convener", &text, "brief", "--audience", "full", "-o", "x.txt",
                           "--format", "txt", NULL), EX_USAGE);
    assert_non_null(strstr(text, "html、md、docx 或 pdf"));
    free(text);
    /* The briefing's options as the operator types them, explained in
     * Chinese; --lang is gone. */
    assert_int_equal(op_as("convener", &text, "brief", "--help", NULL), EX_USAGE);
    assert_non_null(strstr(text, "[--part main|appendix|points]"));
    assert_non_null(strstr(text, "[--copy N]"));
    assert_non_null(strstr(text, "[--show-id-numbers]"));
    assert_non_null(strstr(text, "份号"));
    assert_non_null(strstr(text, "讲话要点"));
    assert_null(strstr(text, "--lang"));
    assert_null(strstr(text, "show_id_numbers"));
    free(text);
    assert_int_equal(op_as("convener", &text, "meeting", "create", "--help", NULL), EX_USAGE);
    assert_non_null(strstr(text, "[--secrecy none|internal|recall]"));
    assert_non_null(strstr(text, "[--urgency none|urgent|very_urgent]"));
    free(text);
}

/* An operator whose config says language = en reads English and the
 * units' English names. */
static void
language_en_reads_english(void **state)
{
    char src[PATH_MAX], dst[PATH_MAX], *conf, *en, *text = NULL;

    (void)state;
    snprintf(src, sizeof src, "%s/operators/supervisor/operator.conf", C.dir);
    assert_non_null(conf = files_read(src, NULL));
    assert_non_null(strstr(conf, "language = zh"));
    memcpy(strstr(conf, "language = zh"), "language = en", 13);
    /* Beside the supervisor's own, so that its relative paths hold. */
    snprintf(dst, sizeof dst, "%s/operators/supervisor/operator-en.conf", C.dir);
    assert_int_equal(files_write_atomic(dst, conf, strlen(conf), 0600), 0);
    const char *argv[] = { "lianxi", "-c", dst, "filings", NULL };
    assert_int_equal(run_out("op-en.out", argv, &text), 0);
    assert_non_null(strstr(text, "receipt number"));
    assert_non_null(strstr(text, "2 filings"));
    en = strdup(units_find("police")->en);
    assert_non_null(strstr(text, en));
    assert_null(strstr(text, "回执编号"));
    free(en);
    free(text);
    free(conf);
}

/* Without a config the command follows the locale: lianxi init, keygen and
 * calendar in Chinese under LANG=zh_CN.UTF-8. */
static void
init_keygen_calendar_follow_the_locale(void **state)
{
    char dir[PATH_MAX], *text = NULL, *old = getenv("LANGUAGE") ? strdup(getenv("LANGUAGE"))
                                                                : NULL;

    (void)state;
    setenv("LANGUAGE", "zh_CN", 1);
    setenv("LANG", "zh_CN.UTF-8", 1);
    snprintf(dir, sizeof dir, "%s/second-county", C.dir);
    const char *init[] = { "lianxi", "init", dir, NULL };
    assert_int_equal(run_out("init.out", init, &text), 0);
    assert_non_null(strstr(text, "已在"));
    assert_non_null(strstr(text, "建立全县配置"));
    free(text);
    assert_int_equal(run_out("init.out", init, &text), EX_CANTCREAT);
    assert_non_null(strstr(text, "请选择空目录"));
    free(text);
    const char *keygen[] = { "lianxi", "keygen", "--unit", "nosuch", "--out", dir, NULL };
    assert_int_equal(run_out("keygen.out", keygen, &text), EX_USAGE);
    assert_non_null(strstr(text, "没有代码为“nosuch”的成员单位"));
    free(text);
    const char *keygen2[] = { "lianxi", "keygen", "--unit", "police", "--out", dir, NULL };
    assert_int_equal(run_out("keygen.out", keygen2, &text), 0);
    assert_non_null(strstr(text, "成员单位 police 的密钥已写入"));
    free(text);
    const char *cal[] = { "lianxi", "calendar", "due", "2026-13-01", NULL };
    assert_int_equal(run_out("cal.out", cal, &text), EX_USAGE);
    assert_non_null(strstr(text, "不是 YYYY-MM-DD 格式的日期"));
    free(text);
    const char *help[] = { "lianxi", "--help", NULL };
    assert_int_equal(run_out("help.out", help, &text), EX_USAGE);
    assert_non_null(strstr(text, "用法："));
    assert_non_null(strstr(text, units_find("police")->zh));
    free(text);
    if (old)
        setenv("LANGUAGE", old, 1);
    else
        unsetenv("LANGUAGE");
    unsetenv("LANG");
    free(old);
}

/* The python3 of Debian, which has python3-openpyxl. */
static const char *
python(void)
{
    return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

/* export -o FILE.xlsx: Chinese headers, ID numbers as 18-character text,
 * dates as dates, names not codes, a frozen header; -o FILE.csv: a BOM,
 * CRLF, the same columns and cells, formula-like cells neutralised. */
static void
export_writes_xlsx_and_csv_for_the_office(void **state)
{
    char xlsx[PATH_MAX], csv[PATH_MAX], script[PATH_MAX], cmd[4 * PATH_MAX], *text = NULL;
    char *cat = category_zh(), *py, *data;
    size_t len;

    (void)state;
    snprintf(xlsx, sizeof xlsx, "%s/out.xlsx", C.dir);
    snprintf(csv, sizeof csv, "%s/out.csv", C.dir);
    assert_int_equal(op_as("supervisor", &text, "export", "-o", xlsx, NULL), 0);
    assert_non_null(strstr(text, "已导出2条报备事项"));
    free(text);
    assert_int_equal(op_as("supervisor", &text, "export", "-o", csv, NULL), 0);
    free(text);
    /* --format wins over the name. */
    snprintf(cmd, sizeof cmd, "%s/out-as-csv.xlsx", C.dir);
    assert_int_equal(op_as("supervisor", &text, "export", "--format", "csv", "-o", cmd, NULL), 0);
    free(text);
    assert_non_null(data = files_read(cmd, &len));
    assert_memory_equal(data, "\xef\xbb\xbf", 3);
    free(data);
    /* Without -o: the hub's CSV, codes and English keys, for scripts. */
    assert_int_equal(op_as("supervisor", &text, "export", NULL), 0);
    assert_true(strncmp(text, "\"receipt_no\",\"unit\",", 20) == 0);
    free(text);
    assert_int_equal(op_as("supervisor", &text, "export", "--format", "xlsx", NULL), EX_USAGE);
    free(text);

    assert_non_null(data = files_read(csv, &len));
    assert_memory_equal(data, "\xef\xbb\xbf", 3);
    assert_non_null(strstr(data, "\r\n"));
    assert_null(strstr(data, "\"police\""));     /* the unit by name */
    assert_null(strstr(data, "\"police."));       /* the category by name */
    assert_non_null(strstr(data, "\"'=1+2 醉酒驾驶"));
    for (char *p = strchr(data, '\n'); p; p = strchr(p + 1, '\n'))
        assert_int_equal(p[-1], '\r');
    free(data);

    snprintf(script, sizeof script, "%s/check.py", C.dir);
    assert_true(asprintf(&py,
        "import csv, datetime, sys, openpyxl\n"
        "wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.active\n"
        "rows = [list(r) for r in ws.iter_rows()]\n"
        "head = [c.value for c in rows[0]]\n"
        "assert head[:2] == ['回执编号', '成员单位'], head\n"
        "assert ws.freeze_panes == 'A2', ws.freeze_panes\n"
        "col = {h: i for i, h in enumerate(head)}\n"
        "ids = sorted(r[col['公民身份号码']].value for r in rows[1:])\n"
        "assert ids == sorted(['%s', '%s']), ids\n"
        "for r in rows[1:]:\n"
        "    c = r[col['公民身份号码']]\n"
        "    assert c.data_type == 's' and len(c.value) == 18, (c.value, c.data_type)\n"
        "    assert r[col['回执编号']].data_type == 's'\n"
        "    d = r[col['知悉日期']]\n"
        "    assert isinstance(d.value, datetime.datetime) and d.is_date, d.value\n"
        "    assert d.value.date() in (datetime.date(2026, 10, 12), datetime.date(2026, 10, 14))\n"
        "    assert r[col['成员单位']].value == '%s'\n"
        "    assert r[col['问题类别']].value == '%s'\n"
        "    assert r[col['知悉范围']].value == '党政机关'\n"
        "    assert r[col['审核状态']].value == '未审核'\n"
        "    assert ws.column_dimensions[c.column_letter].width >= 18\n"
        "with open(sys.argv[2], encoding='utf-8-sig', newline='') as f:\n"
        "    cs = list(csv.reader(f))\n"
        "assert cs[0] == head, (cs[0], head)\n"
        "assert len(cs) == len(rows)\n"
        "for x, r in zip(cs[1:], rows[1:]):\n"
        "    assert x[col['公民身份号码']] == r[col['公民身份号码']].value\n"
        "    assert x[col['知悉日期']] == r[col['知悉日期']].value.strftime('%%Y-%%m-%%d')\n"
        "    assert x[col['成员单位']] == r[col['成员单位']].value\n"
        "print('ok')\n", id_x, id_digits, units_find("police")->zh, cat) > 0);
    assert_int_equal(files_write_atomic(script, py, strlen(py), 0644), 0);
    snprintf(cmd, sizeof cmd, "%s '%s' '%s' '%s' >'%s/check.out' 2>&1", python(), script, xlsx,
             csv, C.dir);
    int rc = system(cmd);
    if (rc != 0) {
        snprintf(cmd, sizeof cmd, "%s/check.out", C.dir);
        text = files_read(cmd, NULL);
        print_error("%s\n", text ? text : "");
        free(text);
    }
    assert_int_equal(rc, 0);
    free(py);
    free(cat);
}

/* A hub that answers every request with OpError 5 (the data is wrong). */
struct fake {
    void *ctx, *sock;
    const char *sentence;
};

static void *
fake_hub(void *arg)
{
    struct fake *f = arg;
    zmq_msg_t rid, body;

    zmq_msg_init(&rid);
    zmq_msg_init(&body);
    if (zmq_msg_recv(&rid, f->sock, 0) >= 0 && zmq_msg_recv(&body, f->sock, 0) >= 0) {
        Lianxi__Envelope *in = wire_unpack(zmq_msg_data(&body), zmq_msg_size(&body));
        Lianxi__Envelope env = LIANXI__ENVELOPE__INIT;
        Lianxi__OpReply rep = LIANXI__OP_REPLY__INIT;
        if (in && in->body_case == LIANXI__ENVELOPE__BODY_OP_REQUEST) {
            rep.request_id = in->op_request->request_id;
            rep.ok = 0;
            rep.error = (char *)f->sentence;
            rep.error_kind = (Lianxi__OpError)5;
            env.body_case = LIANXI__ENVELOPE__BODY_OP_REPLY;
            env.op_reply = &rep;
            wire_send(f->sock, zmq_msg_data(&rid), zmq_msg_size(&rid), &env, 0);
        }
        wire_free(in);
    }
    zmq_msg_close(&rid);
    zmq_msg_close(&body);
    return NULL;
}

static void
op_error_data_exits_65_with_the_hubs_sentence(void **state)
{
    const char *sentence = "审计记录第7条无法读取：数据已损坏";
    char secret[PATH_MAX], conf[PATH_MAX], ep[64], *text = NULL, *orig, *changed;
    struct identity hub;
    struct fake f = { .sentence = sentence };
    int server = 1, zero = 0;
    size_t eplen = sizeof ep;
    pthread_t th;

    (void)state;
    snprintf(secret, sizeof secret, "%s/hub/hub.cert_secret", C.dir);
    assert_int_equal(keys_load_identity(secret, NULL, &hub), 0);
    f.ctx = zmq_ctx_new();
    f.sock = zmq_socket(f.ctx, ZMQ_ROUTER);
    zmq_setsockopt(f.sock, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(f.sock, ZMQ_CURVE_SERVER, &server, sizeof server);
    zmq_setsockopt(f.sock, ZMQ_CURVE_SECRETKEY, hub.curve_sk, 32);
    assert_int_equal(zmq_bind(f.sock, "tcp://127.0.0.1:*"), 0);
    zmq_getsockopt(f.sock, ZMQ_LAST_ENDPOINT, ep, &eplen);
    assert_int_equal(pthread_create(&th, NULL, fake_hub, &f), 0);

    /* The supervisor's config, pointed at the fake hub. */
    snprintf(conf, sizeof conf, "%s/operators/supervisor/operator.conf", C.dir);
    assert_non_null(orig = files_read(conf, NULL));
    assert_true(asprintf(&changed, "%shub = %s\n", orig, ep) > 0);
    snprintf(conf, sizeof conf, "%s/operators/supervisor/operator-fake.conf", C.dir);
    assert_int_equal(files_write_atomic(conf, changed, strlen(changed), 0600), 0);
    const char *fargv[] = { "lianxi", "-c", conf, "filings", NULL };
    assert_int_equal(run_out("fake.out", fargv, &text), EX_DATAERR);
    assert_non_null(text);
    assert_non_null(strstr(text, sentence));
    free(text);
    pthread_join(th, NULL);
    zmq_close(f.sock);
    zmq_ctx_term(f.ctx);
    free(orig);
    free(changed);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_after_the_files_are_not_files),
        cmocka_unit_test(listings_name_units_and_categories_in_chinese),
        cmocka_unit_test(meetings_and_audit_log_in_chinese),
        cmocka_unit_test(language_en_reads_english),
        cmocka_unit_test(init_keygen_calendar_follow_the_locale),
        cmocka_unit_test(export_writes_xlsx_and_csv_for_the_office),
        cmocka_unit_test(op_error_data_exits_65_with_the_hubs_sentence),
    };
    return cmocka_run_group_tests(tests, setup_county, teardown_county);
}
