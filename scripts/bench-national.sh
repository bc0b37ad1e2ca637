#!/usr/bin/env bash
# Reads at national scale (issue #13): serves a database seeded by
#   createdb -h 127.0.0.1 -U postgres kfq_national
#   kfq demo --scale national --database postgres://postgres@127.0.0.1:5432/kfq_national
# with the release build (`kfq serve`) and measures, as docs/BENCHMARKS.md
# ("Reads at national scale") reports them:
#   1. one zone's ledger (API and rendered page) under load, wrk;
#   2. a province's indicator dashboard, cold (the first request after a
#      restart) and warm;
#   3. the country's monthly report (JSON, .docx), one request at a time;
#   4. the national rankings of the 2,500 zones: the monthly report's zone
#      table, the quarter's assessment, the indicator board's ranks.
#
# Usage: scripts/bench-national.sh DATABASE_URL [runs] [seconds] [connections]
#   runs         timed requests per one-at-a-time figure (default 5)
#   seconds      per wrk run (default 30)
#   connections  wrk connections (default 50)
# KFQ_BIN picks the binary (default: $CARGO_TARGET_DIR/release/kfq, built);
# SECTIONS the parts to run (default "1 2 3 4").
set -euo pipefail
database=${1:?usage: scripts/bench-national.sh DATABASE_URL [runs] [seconds] [connections]}
runs=${2:-5}
seconds=${3:-30}
connections=${4:-50}
sections=" ${SECTIONS:-1 2 3 4} "
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
kfq=${KFQ_BIN:-$target/release/kfq}
work=$(mktemp -d)
port=18193
base="http://127.0.0.1:$port"
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)"; exit 1; }
[ -n "${KFQ_BIN:-}" ] || (cd "$root" && cargo build --release -q -p kfq)

# Waits until the server has used no CPU for three seconds in a row: the
# background pass it starts with (alert scan, status refresh) is over.
settle() {
  local last now quiet=0
  last=$(awk '{print $14 + $15}' "/proc/$server/stat")
  while [ "$quiet" -lt 3 ]; do
    sleep 1
    now=$(awk '{print $14 + $15}' "/proc/$server/stat")
    if [ "$now" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; fi
    last=$now
  done
}

start() {
  KFQ_LOG=warn "$kfq" serve --database "$database" --listen "127.0.0.1:$port" >>"$work/serve.log" 2>&1 &
  server=$!
  until curl -sf "$base/healthz" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
    sleep 0.5
  done
  settle
}

stop() {
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
}

# Signs in; prints "<session cookie> <API token>".
sign_in() {
  local jar="$work/cookies-$1" login_csrf csrf token
  login_csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
  curl -s -b "$jar" -c "$jar" -o /dev/null -d "_csrf=$login_csrf&username=$1&password=kfq-demo-2026&next=/" "$base/login"
  csrf=$(curl -s -b "$jar" "$base/" | grep -o 'csrf-token" content="[^"]*"' | sed 's/.*content="//;s/"//')
  token=$(curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"bench"}' "$base/api/v1/me/tokens" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
  echo "$(awk '/kfq_session/ {print $7}' "$jar") $token"
}

sql() { psql "$database" -XAtqc "$1"; }

start
read -r session admin < <(sign_in admin)
read -r _ nation < <(sign_in quanguo.duban)
read -r staff_session staff < <(sign_in yc.staff)
country=$(sql "SELECT id FROM org_units WHERE kind = 'country'")
province=$(sql "SELECT id FROM org_units WHERE name = '山东省'")
zone=$(sql "SELECT id FROM org_units WHERE name = '济南经济技术开发区'")
own_zone=$(sql "SELECT id FROM org_units WHERE name = '运城经济技术开发区'")
period=$(date -d "$(date +%Y-%m-01) -1 day" +%Y-%m)
# The last closed quarter.
quarter=$(( ($(date +%-m) - 1) / 3 ))
year=$(date +%Y)
[ "$quarter" -eq 0 ] && { quarter=4; year=$((year - 1)); }
psql "$database" -qc CHECKPOINT 2>/dev/null || true

run() {
  local label=$1; shift
  printf '%-52s ' "$label"
  wrk -t1 -c"$connections" -d2s "$@" >/dev/null # warm up
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" | awk '
    /Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF}
    END {printf "%10s req/s  p50 %8s  p99 %8s  %s\n", rps, p50, p99, (bad ? "non-2xx " bad : "")}'
}

# Times in seconds, one a line, as "<label> median … slowest …" in ms.
summary() {
  sort -n | awk -v label="$1" '{t[NR]=$1} END {
    printf "%-52s median %6.0f ms  slowest %6.0f ms\n", label, t[int((NR+1)/2)]*1000, t[NR]*1000}'
}

# One request at a time: the median and the slowest of $runs after one warm-up.
time_it() {
  local label=$1 token=$2 path=$3
  curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base$path"
  for _ in $(seq "$runs"); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$base$path"
  done | summary "$label"
}

# Built for a cut-off of the moment of each request, which no kept report
# has (reports are kept per cut-off asked); nothing changed meanwhile, so
# every zone's ledger is kept.
built_it() {
  local label=$1 token=$2 path=$3
  for _ in $(seq "$runs"); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$base$path&as_of=$(date +%s%3N)"
  done | summary "$label"
}

# Built after an audited change in one zone each time (运城's staff reports
# a figure of the month): the ledger is read again for that zone only, the
# others' parts are kept (store::ledger::kept), and the result is rebuilt.
changed_it() {
  local label=$1 token=$2 path=$3
  for n in $(seq "$runs"); do
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $staff" -H 'content-type: application/json' \
      -d "{\"zone_id\": $own_zone, \"period\": \"$period\", \"value_industrial_investment\": \"$((100 + n))\"}" \
      "$base/api/v1/indicator-values"
    curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$base$path"
  done | summary "$label"
}

# The first request after a restart, then warm.
cold_warm() {
  local label=$1 token=$2 path=$3 cold
  stop
  start
  cold=$(curl -sf -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "$base$path")
  printf '%-52s cold   %6.0f ms\n' "$label" "$(echo "$cold * 1000" | bc)"
  time_it "$label, warm" "$token" "$path"
}

if [[ $sections == *" 1 "* ]]; then
echo "1. one zone's ledger: wrk -t2 -c$connections -d${seconds}s"
# The zone's own staff (运城经济技术开发区, $own_zone): what a zone opens.
run "zone staff: GET /api/v1/projects" -H "Authorization: Bearer $staff" "$base/api/v1/projects"
run "zone staff: GET /projects (page)" -H "Cookie: kfq_session=$staff_session" "$base/projects"
# The administrator filtering the country's ledger to one zone ($zone): the
# page also lists every zone and department of the country in its filters.
run "admin: GET /api/v1/projects?zone_id=$zone" -H "Authorization: Bearer $admin" "$base/api/v1/projects?zone_id=$zone"
run "admin: GET /projects?zone_id=$zone (page)" -H "Cookie: kfq_session=$session" "$base/projects?zone_id=$zone"
fi

if [[ $sections == *" 2 "* ]]; then
echo "2. a province's indicator dashboard (山东省, $province), $period"
cold_warm "GET /indicators?org_id=$province (page)" "$admin" "/indicators?org_id=$province&period=$period"
# The session cookie is the page's usual door; the token reaches it too.
cold_warm "GET /api/v1/indicator-board?org_id=$province" "$admin" "/api/v1/indicator-board?org_id=$province&period=$period"
fi

if [[ $sections == *" 3 "* ]]; then
echo "3. the country's monthly report ($country), $period, $runs runs"
projects=$(curl -sf -H "Authorization: Bearer $nation" "$base/api/v1/monthly-bulletins?period=$period" |
  python3 -c 'import sys, json; f = json.load(sys.stdin)["figures"]; print(f["overall"]["projects"], len(f["zones"]))')
echo "   projects, zones ranked: $projects"
# Cold: the first after a restart reads every zone's ledger.
cold_warm "national monthly report (JSON)" "$nation" "/api/v1/monthly-bulletins?period=$period"
built_it "national monthly report (JSON), built" "$nation" "/api/v1/monthly-bulletins?period=$period"
built_it "national monthly report (.docx), built" "$nation" "/monthly-bulletins/bulletin.docx?period=$period"
changed_it "national monthly report (JSON), one zone changed" "$nation" "/api/v1/monthly-bulletins?period=$period"
changed_it "national monthly report (.docx), one zone changed" "$nation" "/monthly-bulletins/bulletin.docx?period=$period"
# Kept while nothing audited changes (ReportCache).
time_it "national monthly report (JSON), kept" "$nation" "/api/v1/monthly-bulletins?period=$period"
time_it "national monthly report (.docx), from the kept report" "$nation" "/monthly-bulletins/bulletin.docx?period=$period"
built_it "山东省 monthly report (JSON), built" "$nation" "/api/v1/monthly-bulletins?org_id=$province&period=$period"
built_it "one zone's monthly report (JSON), built" "$nation" "/api/v1/monthly-bulletins?org_id=$zone&period=$period"
fi

if [[ $sections == *" 4 "* ]]; then
echo "4. national rankings of the zones"
# Cold: scored after a restart; warm: kept while nothing audited changes.
cold_warm "assessment, $year Q$quarter, 2,500 zones scored" "$nation" "/api/v1/assessments?org_id=$country&year=$year&quarter=$quarter"
changed_it "assessment, one zone changed" "$nation" "/api/v1/assessments?org_id=$country&year=$year&quarter=$quarter"
cold_warm "indicator board of the country (ranks)" "$nation" "/api/v1/indicator-board?org_id=$country&period=$period"
fi
