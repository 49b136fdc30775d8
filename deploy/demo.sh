#!/usr/bin/env bash
# make demo: a county's year on loopback.  Provisions a county (连平县),
# starts the hub, the console and the nine units' adapters watching their
# drop folders, then plays the year 2026 on the shared test clock
# (LIANXI_FAKE_CLOCK, src/lib/clock.h): each working day the clock moves
# to 09:00, the hub sends that day's reminders, and the units' exports of
# that day (made by lianxi-demoyear, in each unit's own format) are dropped
# in their drop/ folders.  A supplement request is answered in June, an ad
# hoc meeting held in July, a joint review (任前联审) run in September (two
# units answer, one is reminded and never does); at the year's end it shows the board, the
# supervision group's work, the audit trail and the annual meeting's
# briefings, and stops cleanly.
set -euo pipefail
# The demo runs in Chinese, as the county's people read it (the configs
# lianxi init writes say language = zh too).
export LANG=zh_CN.UTF-8
B=${1:-build/rel}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEMO=${LIANXI_DEMO_DIR:-$PWD/demo-county}
YEAR=2026
COUNTY=连平县
UNITS="discipline organization politics_law court procuratorate police audit family_planning petitions"
hub_pid=""
console_pid=""
watch_pids=""

stop_watchers() {
    for pid in $watch_pids; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $watch_pids; do wait "$pid" 2>/dev/null || true; done
    watch_pids=""
}
stop_hub() {
    if [ -n "$hub_pid" ]; then
        kill -TERM "$hub_pid" 2>/dev/null || true
        wait "$hub_pid" 2>/dev/null || true
        hub_pid=""
    fi
}
stop_console() {
    if [ -n "$console_pid" ]; then
        kill -TERM "$console_pid" 2>/dev/null || true
        wait "$console_pid" 2>/dev/null || true
        console_pid=""
    fi
}
trap 'stop_watchers; stop_console; stop_hub' EXIT

step() { printf '\n== %s\n' "$*"; }
die() { echo "$*" >&2; exit 1; }

# The clock every program of the demo reads: fake unix seconds and the real
# time they held at, renamed into place so no program reads half a file.
export LIANXI_FAKE_CLOCK="$DEMO/clock"
set_clock() {
    printf '%s %s\n' "$1" "$EPOCHREALTIME" > "$DEMO/clock.new"
    mv -f "$DEMO/clock.new" "$LIANXI_FAKE_CLOCK"
}
# Waits until the hub has done a day's work (its reminders): it says
# "day DATE" on its standard output.
wait_day() {
    local line
    while read -r -t 30 line <&3; do
        [ "$line" = "day $1" ] && return 0
    done
    die "汇总平台 30 秒内没有处理 $1 的到期提醒；见 $DEMO/hub.log"
}
# Waits until every export dropped today has its receipt (the adapter
# writes "done/NAME 回执单.txt" once the hub has answered for all of it).
pending=()
wait_receipts() {
    local f n
    for f in "${pending[@]}"; do
        n=0
        until [ -e "$f" ]; do
            n=$((n + 1))
            [ $n -lt 3000 ] || die "没有等到回执单 $f；见 $DEMO/*-watch.log"
            sleep 0.01
        done
    done
    pending=()
}
q() { sqlite3 -readonly "$DEMO/hub/lianxi.db" "$@"; }

rm -rf "$DEMO"
mkdir -p "$DEMO"
set_clock "$(date -d "$YEAR-01-04 08:30 +0800" +%s)"

step "lianxi init --county $COUNTY：在 $DEMO 建立一个县的汇总平台、九个成员单位和操作员"
"$B/lianxi" init "$DEMO" --county "$COUNTY"

step "启动汇总平台（每个端口都加密认证，未授权的密钥一律拒绝）"
exec 3< <("$B/lianxi-hub" -c "$DEMO/hub/hub.conf" 2>"$DEMO/hub.log")
hub_pid=$!
ready=""
while read -r -t 30 line <&3; do
    if [ "$line" = ready ]; then echo "  汇总平台已就绪"; ready=1; break; fi
    echo "  $line"
done
[ -n "$ready" ] || { echo "汇总平台没有启动；见 $DEMO/hub.log" >&2; cat "$DEMO/hub.log" >&2; exit 1; }
step "启动控制台（加密网页；操作员凭浏览器证书登录，像插 U 盾一样，不用密码）"
# The console writes its address to run/console.url once it listens.  If it
# does not start, the demo says so and goes on without it.
url_file="$DEMO/console/run/console.url"
"$B/lianxi-console" -c "$DEMO/console/console.conf" >"$DEMO/console.out" 2>"$DEMO/console.log" &
console_pid=$!
console_url=""
for _ in $(seq 1 100); do
    if [ -s "$url_file" ]; then console_url=$(head -n 1 "$url_file"); break; fi
    kill -0 "$console_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$console_url" ]; then
    rc=0
    if kill -0 "$console_pid" 2>/dev/null; then
        stop_console
        echo "  控制台 10 秒内没有给出地址，已停止；演示继续（日志：$DEMO/console.log）"
    else
        wait "$console_pid" || rc=$?
        console_pid=""
        echo "  控制台未能启动（退出码 $rc），演示继续（日志：$DEMO/console.log）"
    fi
else
    echo "  控制台地址：$console_url"
fi
echo "  浏览器须信任的证书颁发机构（导入“受信任的根证书颁发机构”）：$DEMO/console/ca.crt"
echo "  各操作员的浏览器证书（导入浏览器；导入密码在同名 .pass 文件中）："
for op in supervisor convener auditor police-liaison; do
    echo "    $op：$DEMO/operators/$op/$op.p12  导入密码文件：$DEMO/operators/$op/$op.p12.pass"
done
if [ -n "$console_url" ]; then
    if command -v curl >/dev/null; then
        echo "\$ curl --cert-type P12 --cert supervisor.p12:密码 --cacert ca.crt ${console_url%/}/api/whoami"
        # The answer is JSON for the page; shown here as a sentence.
        if who=$(curl -sS --max-time 10 --cacert "$DEMO/console/ca.crt" --cert-type P12 \
            --cert "$DEMO/operators/supervisor/supervisor.p12:$(head -n 1 "$DEMO/operators/supervisor/supervisor.p12.pass")" \
            "${console_url%/}/api/whoami" 2>"$DEMO/console-curl.log"); then
            name=$(printf '%s' "$who" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')
            role=$(printf '%s' "$who" | sed -n 's/.*"role":"\([^"]*\)".*/\1/p')
            case $role in
            supervisor) role=干部监督组 ;; convener) role=召集人 ;; auditor) role=审计员 ;;
            esac
            echo "  汇总平台认定的操作员：$name（$role），经控制台代为办理并记入审计记录"
        else
            echo "  控制台没有应答（见 $DEMO/console-curl.log）"
        fi
        echo "\$ curl --cacert ca.crt ${console_url%/}/api/whoami   （不带证书：拒绝）"
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$DEMO/console/ca.crt" \
            "${console_url%/}/api/whoami" 2>/dev/null || true)
        echo "  应答状态：${code:-无}"
    fi
fi


step "九个成员单位的报送程序开始监视各自的导出文件夹 units/<单位代码>/drop/（lianxi-adapter-<单位代码> watch）"
for unit in $UNITS; do
    mkdir -p "$DEMO/units/$unit/drop"      # the folder shared with the clerks
    "$B/lianxi-adapter-$unit" -c "$DEMO/units/$unit/adapter.conf" -q watch \
        >"$DEMO/$unit-watch.out" 2>"$DEMO/$unit-watch.log" &
    watch_pids="$watch_pids $!"
done
echo "  经办人把本单位系统的导出文件放进 $DEMO/units/<单位代码>/drop/，回执单出现在 done/，"
echo "  催报提醒和补充材料通知出现在 notices/。"

step "$COUNTY $YEAR 年：各成员单位每周导出、报送（测试时钟逐个工作日前进，每天 9 时汇总平台发出催报提醒）"
mkdir -p "$DEMO/exports"
"$B/lianxi-demoyear" deploy/calendar/cn-holidays.tsv "$YEAR" "$DEMO/exports"
echo "  各单位的导出文件（按各自格式生成：CSV、JSON、XML；县法院、县计生局用 WPS 另存为 GB18030）："
echo "  $DEMO/exports/"
SUP="$DEMO/operators/supervisor/operator.conf"
CON="$DEMO/operators/convener/operator.conf"
printf '  %-8s %6s %6s %6s %8s %8s\n' 月份 收到报备 其中逾期 催报提醒 月末未办结 其中逾期
month_line() {
    local m=$1 t0 t1
    t0=$(date -d "$m-01 00:00 +0800" +%s)
    t1=$(date -d "$m-01 00:00 +0800 + 1 month" +%s)
    q "SELECT printf('  %-10s %8d %8d %8d %10d %8d', '$m',
        (SELECT count(*) FROM filings WHERE received_at >= $t0 AND received_at < $t1 AND stage IN (1, 2)),
        (SELECT count(*) FROM filings WHERE received_at >= $t0 AND received_at < $t1 AND stage = 2 AND on_time = 0),
        (SELECT count(*) FROM hub_messages WHERE created_at >= $t0 AND created_at < $t1 AND obligation_id IN
            (SELECT id FROM obligations WHERE kind = 1)),
        (SELECT count(*) FROM obligations WHERE opened_at < $t1 AND (closed_at IS NULL OR closed_at >= $t1)),
        (SELECT count(*) FROM obligations WHERE opened_at < $t1 AND (closed_at IS NULL OR closed_at >= $t1)
            AND due_on < '$m-32'))"
}
day="" month=""
while IFS=$'\t' read -r what a b c; do
    case $what in
    day)
        wait_receipts
        if [ -n "$month" ] && [ "${a:0:7}" != "$month" ]; then month_line "$month"; fi
        month=${a:0:7}
        day=$a
        set_clock "$b"
        wait_day "$a"
        ;;
    drop)
        mv "$DEMO/exports/$b" "$DEMO/units/$a/drop/"
        pending+=("$DEMO/units/$a/done/${b##*/} 回执单.txt")
        ;;
    event)
        wait_receipts
        case $a in
        supplement)
            receipt=$(q "SELECT receipt_no FROM filings WHERE unit = 'police' AND stage = 2
                         ORDER BY id DESC LIMIT 1")
            ob=$("$B/lianxi" -c "$SUP" review "$receipt" supplement \
                 --text "请补充处理决定书。" --due 3 | grep -o 'OB-[0-9]*')
            printf '  %s：干部监督组就回执 %s 要求县公安局补充材料：%s（3 个工作日内）\n' "$day" "$receipt" "$ob"
            n=0
            until ls "$DEMO"/units/police/notices/*supplement-request.txt >/dev/null 2>&1; do
                n=$((n + 1)); [ $n -lt 1000 ] || die "补充材料通知没有送到县公安局"
                sleep 0.01
            done
            echo "    县公安局经办人看到的通知："
            sed 's/^/      /' "$DEMO"/units/police/notices/*supplement-request.txt | head -n 6
            ;;
        answer)
            # The answer carries the decision itself (书面形式): a PDF the
            # adapter signs with the answer and sends in pieces.
            cp "$ROOT/deploy/demo/police-decision.pdf" "$DEMO/units/police/处理决定书.pdf"
            "$B/lianxi-adapter-police" -c "$DEMO/units/police/adapter.conf" -q --wait 60 \
                answer "$ob" "已补充处理决定书：罚款二千元，暂扣机动车驾驶证六个月。" \
                --attach "$DEMO/units/police/处理决定书.pdf"
            q "SELECT '  $day：' || 'OB-' || id || ' 已由回执 ' || closed_by || ' 办结，' ||
                      CASE on_time WHEN 1 THEN '按时' ELSE '逾期' END
                 FROM obligations WHERE 'OB-' || id = '$ob'"
            answered=$(q "SELECT closed_by FROM obligations WHERE 'OB-' || id = '$ob'")
            echo "    干部监督组取回随补充材料报送的处理决定书（lianxi attachment $answered 1）："
            "$B/lianxi" -c "$SUP" attachment "$answered" 1 -o "$DEMO/supplement-decision.pdf" |
                sed 's/^/      /'
            cmp -s "$DEMO/supplement-decision.pdf" "$ROOT/deploy/demo/police-decision.pdf" ||
                die "取回的处理决定书与县公安局报送的不一致"
            ;;
        adhoc)
            printf '  %s：召集人召开专题会议，通报上半年情况：\n' "$day"
            # Called the same day: no notice goes out (--units none).
            "$B/lianxi" -c "$CON" meeting create --date "$day" --kind adhoc \
                --period "$YEAR-01-01..$YEAR-06-30" --units none | sed 's/^/    /'
            "$B/lianxi" -c "$CON" brief 1 --audience full -o "$DEMO/briefing-adhoc.html" | sed 's/^/    /'
            ;;
        notice)
            step "召集人安排年度联席会议（$YEAR-12-25 召开），会议通知随即送达九个成员单位（lianxi meeting create）"
            annual=$("$B/lianxi" -c "$CON" meeting create --date "$YEAR-12-25" --kind annual \
                --period "$YEAR-01-01..$YEAR-12-31" --time 09:00 --place "县委组织部三楼会议室" \
                --agenda $'一、通报本年度各成员单位报备的干部问题情况\n二、研究需要联合处置的问题\n三、部署明年的干部监督工作' 2>&1)
            printf '%s\n' "$annual" | sed 's/^/  /'
            annual=$(printf '%s' "$annual" | head -n 1 | grep -o '[0-9]\+' | head -n 1)
            n=0
            until ls "$DEMO"/units/police/notices/*会议通知*.html >/dev/null 2>&1; do
                n=$((n + 1)); [ $n -lt 1000 ] || die "会议通知没有送到县公安局"
                sleep 0.01
            done
            notice_file=$(ls "$DEMO"/units/police/notices/*会议通知*.html | head -n 1)
            echo "  县公安局收到的会议通知（可打印）：$notice_file"
            sed -e 's/<[^>]*>/ /g' -e 's/&nbsp;/ /g' "$notice_file" | tr -s ' \t' ' ' |
                grep -v '^ *$' | grep -E '会议|时间|地点|议程|出席|回复|[一二三]、' | head -n 12 | sed 's/^ */    /'
            ;;
        attend-two|attend-rest|attend-late)
            case $a in
            attend-two) who="police:王建国，县公安局副局长 court:刘芳，县人民法院副院长" ;;
            attend-rest) who="discipline:陈立新，县纪委副书记 organization:周文，县委组织部副部长
                              politics_law:吴海，县委政法委副书记 procuratorate:郑敏，县人民检察院副检察长
                              audit:孙涛，县审计局副局长 petitions:何丽，县信访局副局长" ;;
            attend-late)
                echo "  县计生局未按期回复，汇总平台已发出催报提醒（notices/ 中）："
                grep -h "会议" "$DEMO"/units/family_planning/notices/*reminder.txt | tail -n 1 \
                    | sed 's/^\xef\xbb\xbf//; s/\r$//; s/^/    /'
                who="family_planning:林静，县卫生健康局（计生）副局长" ;;
            esac
            for pair in $who; do
                u=${pair%%:*}
                "$B/lianxi-adapter-$u" -c "$DEMO/units/$u/adapter.conf" --wait 60 \
                    attend "M-$annual" yes "${pair#*:}" 2>>"$DEMO/$u-attend.log" |
                    sed "s/^/  $day：/"
            done
            if [ "$a" = attend-late ]; then
                step "参会回执（lianxi meeting attendance $annual）：谁确认出席、谁被催报"
                "$B/lianxi" -c "$CON" meeting attendance "$annual" | sed 's/^/  /'
            fi
            ;;
        review)
            # Three cadres the units filed about this year become candidates
            # for promotion; the first one the discipline commission filed.
            q -csv "SELECT name, id_number, work_unit, post, '副局长' FROM filings
                    WHERE stage = 2 GROUP BY id_number
                    ORDER BY unit = 'discipline' DESC, min(id) LIMIT 3" \
                | sed '1i 姓名,公民身份号码,工作单位,现任职务,拟任职务' > "$DEMO/candidates.csv"
            printf '  %s：干部监督组发起任前联审，征求县纪委、县计生局、县公安局意见（3 个工作日内）：\n' "$day"
            "$B/lianxi" -c "$SUP" review-request create --candidates "$DEMO/candidates.csv" \
                --units discipline,family_planning,police --due 3 \
                --title "$((YEAR + 1))年第一批拟提拔科级干部" | sed 's/^/    /'
            n=0
            until ls "$DEMO"/units/discipline/notices/*REQ-1.txt >/dev/null 2>&1; do
                n=$((n + 1)); [ $n -lt 1000 ] || die "征求意见函没有送到县纪委"
                sleep 0.01
            done
            echo "    县纪委经办人看到的征求意见函（notices/ 中）："
            sed 's/^\xef\xbb\xbf//; s/\r$//; s/^/      /' "$DEMO"/units/discipline/notices/*REQ-1.txt | sed -n '2,12p'
            ;;
        review-discipline|review-family)
            u=discipline; [ "$a" = review-family ] && u=family_planning
            # The unit's clerk fills one row per candidate and drops the
            # table in drop/ as REQ-1.csv: the watching adapter files it.
            {
                echo "公民身份号码,意见,情况说明,预计答复日期"
                cut -d, -f2 "$DEMO/candidates.csv" | sed 1d | {
                    i=0
                    while read -r idn; do
                        i=$((i + 1))
                        if [ "$u" = discipline ] && [ $i = 1 ]; then
                            echo "$idn,有,该同志$YEAR年因违反工作纪律受到诫勉。,"
                        elif [ "$u" = discipline ] && [ $i = 3 ]; then
                            echo "$idn,核查中,,$(date -d "$day + 14 day" +%F)"
                        else
                            echo "$idn,无,,"
                        fi
                    done
                }
            } > "$DEMO/exports/REQ-1.csv"
            before=$(q "SELECT count(*) FROM opinions")
            mv "$DEMO/exports/REQ-1.csv" "$DEMO/units/$u/drop/"
            n=0
            until [ "$(q "SELECT count(*) FROM opinions")" -gt "$before" ]; do
                n=$((n + 1)); [ $n -lt 3000 ] || die "没有收到 $u 的联审意见；见 $DEMO/$u-watch.log"
                sleep 0.01
            done
            q "SELECT '  $day：' || '$u' || ' 报送联审意见，回执 ' || receipt_no || '，' ||
                      CASE on_time WHEN 1 THEN '按时' ELSE '逾期 ' || late_days || ' 个工作日' END
                 FROM opinions ORDER BY id DESC LIMIT 1" \
                | sed 's/discipline/县纪委/; s/family_planning/县计生局/'
            if [ "$a" = review-family ]; then
                echo "  县公安局收到的催报提醒（一直未答复）："
                grep -h '联审 REQ-1' "$DEMO"/units/police/notices/*reminder.txt | tail -n 1 \
                    | sed 's/^\xef\xbb\xbf//; s/\r$//; s/^/    /'
                step "联审意见汇总表（lianxi review-request show REQ-1；未答复不等于“无”）"
                "$B/lianxi" -c "$SUP" review-request show REQ-1 | sed 's/^/  /'
                "$B/lianxi" -c "$SUP" review-request show REQ-1 --format html \
                    -o "$DEMO/review-REQ-1.html" | sed 's/^/  /'
            fi
            ;;
        esac
        ;;
    esac
done < "$DEMO/exports/plan.tsv"
wait_receipts
month_line "$month"
echo "  今天是 $day。"

step "报送程序退回的行（经办人录错的，改正后下一次导出重新报送）：文件、行号、字段和原因"
for f in "$DEMO"/units/*/rejected/*.rejected.txt; do
    sed 's/^\xef\xbb\xbf//; s/\r$//; s/^/  /' "$f"
done

step "催报提醒：某成员单位收到的一条（notices/ 中）"
reminder=$(ls "$DEMO"/units/*/notices/*reminder.txt 2>/dev/null | head -n 1 || true)
if [ -n "$reminder" ]; then
    sed 's/^\xef\xbb\xbf//; s/\r$//; s/^/    /' "$reminder" | head -n 6
fi
echo "  全年催报提醒 $(q "SELECT count(*) FROM hub_messages m JOIN obligations o ON o.id = m.obligation_id WHERE o.kind = 1") 条；"\
"收到提醒后才报送书面报告的事项 $(q "SELECT count(DISTINCT o.id) FROM obligations o JOIN hub_messages m ON m.obligation_id = o.id WHERE o.kind = 1 AND o.closed_at IS NOT NULL AND m.created_at < o.closed_at") 项。"

step "今天的导出：昨天登记的一起拘留（简要报告：书面报告须按期报送）和今天办结的一起案件"
today=$day
yesterday=$(date -d "$day - 1 day" +%F)
# A cadre the discipline commission filed too: the dossier below finds both.
both=$(q "SELECT name || ',' || id_number FROM filings WHERE unit = 'discipline' ORDER BY id LIMIT 1")
cat > "$DEMO/exports/police-today.csv" <<CSV
案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围
A4416232026119001,黄海燕,441623198703150029,上坪镇人民政府,副镇长,副科级,行政拘留,$yesterday,已受理,,党政机关
A4416232026119002,刘国强,441623197911200030,县自然资源局,股长,科员,饮酒后驾驶机动车,$today,已办结,饮酒后驾驶机动车被查获，处暂扣驾驶证六个月并罚款。,党政机关
A4416232026119003,$both,县直机关,干部,科员,醉酒驾驶机动车,$today,已办结,醉酒驾驶机动车被查获，移送审查起诉。,党政机关
CSV
mv "$DEMO/exports/police-today.csv" "$DEMO/units/police/drop/"
pending+=("$DEMO/units/police/done/police-today.csv 回执单.txt")
wait_receipts
echo "  县公安局报送程序的回执单（$DEMO/units/police/done/police-today.csv 回执单.html）："
sed 's/^\xef\xbb\xbf//; s/\r$//; s/^/    /' "$DEMO/units/police/done/police-today.csv 回执单.txt"

step "报送期限看板（lianxi -c OPERATOR.CONF overdue）：未办结事项、逾期报备、按时报送率"
"$B/lianxi" -c "$DEMO/operators/supervisor/operator.conf" overdue --limit 8

step "干部监督组工作（lianxi -c operators/supervisor/operator.conf ...）"
first=$("$B/lianxi" -c "$SUP" filings --unit police --limit 1 | sed -n 2p | cut -d' ' -f1)
echo "\$ lianxi filings --unit court --limit 3"
"$B/lianxi" -c "$SUP" filings --unit court --limit 3
echo "\$ lianxi show $first"
"$B/lianxi" -c "$SUP" show "$first"
echo "\$ lianxi review $first accept"
"$B/lianxi" -c "$SUP" review "$first" accept

step "一人一档：两个成员单位都报备过的干部（lianxi dossier 公民身份号码）"
twice=$(q "SELECT id_number FROM filings GROUP BY id_number HAVING count(DISTINCT unit) > 1
           ORDER BY count(DISTINCT unit) DESC, id_number LIMIT 1")
if [ -n "$twice" ]; then
    "$B/lianxi" -c "$SUP" dossier "$twice"
else
    "$B/lianxi" -c "$SUP" dossier --name 杨 | head -n 5
fi

step "全程记实（lianxi -c operators/auditor/operator.conf audit ...）"
AUD="$DEMO/operators/auditor/operator.conf"
"$B/lianxi" -c "$AUD" audit log --limit 6
"$B/lianxi" -c "$AUD" audit checkpoint
"$B/lianxi" -c "$AUD" audit verify

step "召集人生成年度联席会议（明天召开）的通报材料"
"$B/lianxi" -c "$CON" meeting list
# The 通报 for all members' deputies (copy 1), its appendix and the
# speaking points: HTML, Word (for the office to edit) and, where Chromium
# is installed, PDF; the leadership's edition; Markdown to read here.
brief() {
    "$B/lianxi" -c "$CON" brief "$annual" "$@"
}
brief --audience full --copy 1 -o "$DEMO/briefing-full.html"
brief --audience full --copy 1 --format docx -o "$DEMO/briefing-full.docx"
brief --audience full --part appendix --format docx -o "$DEMO/briefing-full-appendix.docx"
brief --audience full --part points --format docx -o "$DEMO/briefing-points.docx"
brief --audience leadership --format docx -o "$DEMO/briefing-leadership.docx"
brief --audience full --format md -o "$DEMO/briefing-full.md"
if command -v chromium >/dev/null 2>&1; then
    brief --audience full --copy 1 --format pdf -o "$DEMO/briefing-full.pdf"
    brief --audience full --part appendix --format pdf -o "$DEMO/briefing-full-appendix.pdf"
    brief --audience full --part points --format pdf -o "$DEMO/briefing-points.pdf"
    brief --audience leadership --format pdf -o "$DEMO/briefing-leadership.pdf"
fi

step "通报材料发给九个成员单位，每份编号（lianxi brief $annual --audience full --send）；各单位报送程序取回、核对后确认收到"
brief --audience full --send | sed 's/^/  /'
n=0
until [ "$("$B/lianxi" -c "$CON" brief copies "$annual" --json | grep -o '"received":true' | wc -l)" -ge 9 ]; do
    n=$((n + 1)); [ $n -lt 3000 ] || die "通报材料没有全部送达；见 $DEMO/*-watch.log"
    sleep 0.01
done
"$B/lianxi" -c "$CON" brief copies "$annual" | sed 's/^/  /'
echo "  县公安局收到的一份：$(ls "$DEMO"/units/police/notices/简报-*.docx)"

step "汇总平台在线备份（lianxi-hub backup：运行中复制数据库，检查后以汇总平台密钥签名；每天由 lianxi-hub-backup.timer 执行）"
"$B/lianxi-hub" -c "$DEMO/hub/hub.conf" backup | sed 's/^/  /'

step "汇总平台运行状况（lianxi-hub status：监控系统据退出码和“问题”行报警）"
"$B/lianxi-hub" -c "$DEMO/hub/hub.conf" status | sed 's/^/  /' || true

step "停止九个报送程序（SIGTERM）；县公安局报送程序的状态（先与汇总平台联系一次，取回最新的签名检查点）"
stop_watchers
"$B/lianxi-adapter-police" -c "$DEMO/units/police/adapter.conf" -q --wait 60 send
"$B/lianxi-adapter-police" -c "$DEMO/units/police/adapter.conf" status

# A person at a terminal can now open the console in a browser: it stays
# up until they press Enter (tests and CI, without a terminal, go on).
if [ -n "$console_url" ] && [ -t 0 ] && [ -t 1 ]; then
    printf '\n控制台仍在运行：%s\n' "$console_url"
    printf '  在浏览器中导入上面列出的操作员证书（.p12）并信任 %s/console/ca.crt 后即可打开。\n' "$DEMO"
    printf '  看完后按回车键，停止控制台和汇总平台。'
    read -r _ || true
fi

step "停止控制台和汇总平台（SIGTERM）"
stop_console
stop_hub
grep -E 'stopped' "$DEMO/hub.log" | sed 's/^/  /'
printf '\n这个县的全部文件在 %s（汇总平台日志：%s/hub.log）。\n' "$DEMO" "$DEMO"
printf '年度联席会议的通报材料（A4，GB/T 9704 公文格式）：\n'
for f in briefing-full briefing-full-appendix briefing-points briefing-leadership; do
    case $f in
    briefing-full) what='通报（全体成员单位分管领导，第000001份）' ;;
    briefing-full-appendix) what='附件：报备事项清单' ;;
    briefing-points) what='讲话要点（召集人）' ;;
    briefing-leadership) what='通报（县委领导班子）' ;;
    esac
    printf '  %s：' "$what"
    for ext in pdf docx html; do
        [ -f "$DEMO/$f.$ext" ] && printf '%s ' "$DEMO/$f.$ext"
    done
    printf '\n'
done
printf '  年中专题会议：%s/briefing-adhoc.html\n' "$DEMO"
