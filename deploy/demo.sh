#!/usr/bin/env bash
# make demo: a county on loopback.  Provisions keys and configs, starts the
# hub, files the police bureau's sample export, shows the receipts, the
# adapter's status and what the hub stored, and stops cleanly.
set -euo pipefail
# The demo runs in Chinese, as the county's people read it (the configs
# lianxi init writes say language = zh too).
export LANG=zh_CN.UTF-8
B=${1:-build/rel}
DEMO=${LIANXI_DEMO_DIR:-$PWD/demo-county}
SAMPLES=adapters/police/samples
hub_pid=""
console_pid=""

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
trap 'stop_console; stop_hub' EXIT

step() { printf '\n== %s\n' "$*"; }

rm -rf "$DEMO"
step "lianxi init：在 $DEMO 建立一个县的汇总平台、九个成员单位和操作员"
"$B/lianxi" init "$DEMO"

step "启动汇总平台（每个端口都加密认证，未授权的密钥一律拒绝）"
exec 3< <("$B/lianxi-hub" -c "$DEMO/hub/hub.conf" 2>"$DEMO/hub.log")
hub_pid=$!
ready=""
while read -r -t 30 line <&3; do
    if [ "$line" = ready ]; then echo "  汇总平台已就绪"; ready=1; break; fi
    echo "  $line"
done
[ -n "$ready" ] || { echo "the hub did not start; see $DEMO/hub.log" >&2; cat "$DEMO/hub.log" >&2; exit 1; }

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

step "县公安局报送 11 月导出文件（UTF-8，60 行，其中 5 行有误）"
"$B/lianxi-adapter-police" -c "$DEMO/units/police/adapter.conf" --wait 60 \
    submit "$SAMPLES/police-2026-11.csv"

step "报送程序退回的行：文件、行号、字段和原因"
cat "$DEMO/units/police/rejected/police-2026-11.csv.rejected.txt"

step "同一文件用 WPS 另存为 GB18030：能识别，没有新的报备"
"$B/lianxi-adapter-police" -c "$DEMO/units/police/adapter.conf" --wait 60 \
    submit "$SAMPLES/police-2026-11.gb18030.csv"

step "其余八个成员单位报送 11 月导出文件（九个报送程序，一个汇总平台）"
for unit in discipline organization politics_law court procuratorate audit family_planning petitions; do
    sample=$(ls adapters/$unit/samples/$unit-2026-11.* 2>/dev/null | grep -v -e gb18030 -e bom | head -n 1)
    [ -n "$sample" ] || continue
    name=$("$B/lianxi-adapter-$unit" -c "$DEMO/units/$unit/adapter.conf" status 2>/dev/null |
           sed -n 's/^成员单位：\([^（]*\).*/\1/p')
    printf '  %s\t' "${name:-$unit}"
    "$B/lianxi-adapter-$unit" -c "$DEMO/units/$unit/adapter.conf" -q --wait 120 submit "$sample" \
        >/dev/null 2>"$DEMO/$unit-submit.log" || true
    "$B/lianxi-adapter-$unit" -c "$DEMO/units/$unit/adapter.conf" --json status |
        sed -n 's/.*"acked":\([0-9]*\),"rejected":\([0-9]*\).*/已收到回执 \1 条/p'
done

step "今天的导出：昨天登记的一起拘留（简要报告：书面报告须按期报送）和今天办结的一起案件"
today=$(date +%F)
yesterday=$(date -d yesterday +%F)
# A cadre the discipline commission filed too: the dossier below finds both.
both=$(sed -n 2p adapters/discipline/samples/discipline-2026-11.csv | cut -d, -f2,3)
mkdir -p "$DEMO/exports"
cat > "$DEMO/exports/police-today.csv" <<CSV
案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围
A4416232026119001,黄海燕,441623198703150029,上坪镇人民政府,副镇长,副科级,行政拘留,$yesterday,已受理,,党政机关
A4416232026119002,刘国强,441623197911200030,县自然资源局,股长,科员,饮酒后驾驶机动车,$today,已办结,饮酒后驾驶机动车被查获，处暂扣驾驶证六个月并罚款。,党政机关
A4416232026119003,$both,县直机关,干部,科员,醉酒驾驶机动车,$today,已办结,醉酒驾驶机动车被查获，移送审查起诉。,党政机关
CSV
"$B/lianxi-adapter-police" -c "$DEMO/units/police/adapter.conf" --wait 60 \
    submit "$DEMO/exports/police-today.csv"

step "报送期限看板（lianxi -c OPERATOR.CONF overdue）：未办结事项、逾期报备、按时报送率"
"$B/lianxi" -c "$DEMO/operators/supervisor/operator.conf" overdue --limit 8

step "干部监督组工作（lianxi -c operators/supervisor/operator.conf ...）"
SUP="$DEMO/operators/supervisor/operator.conf"
first=$("$B/lianxi" -c "$SUP" filings --unit police --limit 1 | sed -n 2p | cut -d' ' -f1)
echo "\$ lianxi filings --unit court --limit 3"
"$B/lianxi" -c "$SUP" filings --unit court --limit 3
echo "\$ lianxi show $first"
"$B/lianxi" -c "$SUP" show "$first"
echo "\$ lianxi review $first accept"
"$B/lianxi" -c "$SUP" review "$first" accept

step "补充材料通知，以及县公安局的答复"
case_receipt=$("$B/lianxi" -c "$SUP" filings --unit police --limit 3 | sed -n 4p | cut -d' ' -f1)
ob=$("$B/lianxi" -c "$SUP" review "$case_receipt" supplement --text "请补充处理决定书。" --due 3 |
     grep -o 'OB-[0-9]*')
echo "  干部监督组就回执 $case_receipt 要求补充材料：$ob"
"$B/lianxi-adapter-police" -c "$DEMO/units/police/adapter.conf" -q --wait 60 send
echo "  县公安局经办人看到的通知："
sed 's/^/    /' "$DEMO"/units/police/notices/*supplement-request.txt | head -n 6
"$B/lianxi-adapter-police" -c "$DEMO/units/police/adapter.conf" -q --wait 60 \
    answer "$ob" "已补充处理决定书：罚款二千元，暂扣机动车驾驶证六个月。"
sqlite3 -readonly "$DEMO/hub/lianxi.db" \
    "SELECT '  ' || 'OB-' || id || ' 已由回执 ' || closed_by || ' 办结，' ||
            CASE on_time WHEN 1 THEN '按时' ELSE '逾期' END
       FROM obligations WHERE 'OB-' || id = '$ob'"

step "一人一档：两个成员单位都报备过的干部（lianxi dossier 公民身份号码）"
twice=$(sqlite3 -readonly "$DEMO/hub/lianxi.db" \
    "SELECT id_number FROM filings GROUP BY id_number HAVING count(DISTINCT unit) > 1 LIMIT 1")
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

step "召集人安排年度联席会议并生成通报材料"
CON="$DEMO/operators/convener/operator.conf"
year=$(date +%Y)
"$B/lianxi" -c "$CON" meeting create --date "$year-12-18" --kind annual \
    --period "$year-01-01..$year-12-31"
"$B/lianxi" -c "$CON" meeting list
"$B/lianxi" -c "$CON" brief 1 --audience full -o "$DEMO/briefing-full.html"
"$B/lianxi" -c "$CON" brief 1 --audience leadership -o "$DEMO/briefing-leadership.html"
"$B/lianxi" -c "$CON" brief 1 --audience full --format md -o "$DEMO/briefing-full.md"
"$B/lianxi" -c "$CON" brief 1 --audience full --lang en -o "$DEMO/briefing-full-en.html"

step "县公安局报送程序的状态（先与汇总平台联系一次，取回最新的签名检查点）"
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
printf '年度联席会议的通报材料：%s/briefing-full.html（另有 -leadership.html、\n' "$DEMO"
printf '  -full.md、-full-en.html）；用浏览器打开，按 A4 打印。\n'
