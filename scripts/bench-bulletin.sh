#!/usr/bin/env bash
# The monthly bulletin (月通报) at province scale: seeds `kfq demo --scale
# province` (100 zones × 100 projects, five years of monthly figures) with a
# release build, then times whole requests one at a time with curl (each
# builds the bulletin afresh from history): the province's bulletin as JSON,
# as .docx and .xlsx, the trace of all its projects, and one zone's bulletin.
# Prints the median and the slowest of the runs.
#
# Usage: scripts/bench-bulletin.sh [database] [runs]
#   database  "sqlite" (default: a fresh file) or the URL of an EMPTY
#             PostgreSQL database (see scripts/bench-ledger.sh)
#   runs      per request (default 10)
set -euo pipefail
database=${1:-sqlite}
runs=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
work=$(mktemp -d)
port=18192
base="http://127.0.0.1:$port"
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

(cd "$root" && cargo build --release -q -p kfq)
args=(demo --scale province --listen "127.0.0.1:$port")
[ "$database" != sqlite ] && args+=(--database "$database")
KFQ_DATA_DIR="$work" KFQ_LOG=warn "$target/release/kfq" "${args[@]}" >"$work/demo.log" 2>&1 &
server=$!
until curl -sf "$base/healthz" >/dev/null; do
  kill -0 "$server" 2>/dev/null || { cat "$work/demo.log"; exit 1; }
  sleep 1
done
grep 'seeded in' "$work/demo.log" || true

token_of() {
  local jar="$work/cookies-$1" login_csrf csrf
  login_csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
  curl -s -b "$jar" -c "$jar" -o /dev/null -d "_csrf=$login_csrf&username=$1&password=kfq-demo-2026&next=/" "$base/login"
  csrf=$(curl -s -b "$jar" "$base/" | grep -o 'csrf-token" content="[^"]*"' | sed 's/.*content="//;s/"//')
  curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"bench"}' "$base/api/v1/me/tokens" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])'
}
supervisor=$(token_of sheng.duban)
zone_staff=$(token_of yc.staff)
if [ "$database" != sqlite ] && command -v psql >/dev/null; then
  psql "$database" -qc CHECKPOINT 2>/dev/null || true
fi
# Last month: the bulletin people generate at the start of a month.
period=$(date -d "$(date +%Y-%m-01) -1 day" +%Y-%m)
# The first answer builds the report from the ledger; later ones reuse it
# while the audit heads say nothing has changed (kfq_app::monthly_report::ReportCache).
started=$(date +%s%N)
projects=$(curl -sf -H "Authorization: Bearer $supervisor" "$base/api/v1/monthly-bulletins?period=$period" |
  python3 -c 'import sys, json; print(json.load(sys.stdin)["figures"]["overall"]["projects"])')
echo "province bulletin for $period over $projects projects: first answer (built) in $(( ($(date +%s%N) - started) / 1000000 )) ms"
echo "$runs runs each, one at a time"

# Times in seconds, one a line, as "<label> median … slowest …" in ms.
summary() {
  sort -n | awk -v label="$1" '{t[NR]=$1} END {
    printf "%-40s median %6.0f ms  slowest %6.0f ms\n", label, t[int((NR+1)/2)]*1000, t[NR]*1000}'
}

time_it() {
  local label=$1 token=$2 path=$3
  curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base$path" # warm up
  for _ in $(seq "$runs"); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$base$path"
  done | summary "$label"
}
# Built afresh each time: the cut-off asked for is the moment of the
# request, which no kept report has.
built_it() {
  local label=$1 token=$2 path=$3
  for _ in $(seq "$runs"); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$base$path&as_of=$(date +%s%3N)"
  done | summary "$label"
}
built_it "province bulletin (JSON), built" "$supervisor" "/api/v1/monthly-bulletins?period=$period"
built_it "province bulletin (.docx), built" "$supervisor" "/monthly-bulletins/bulletin.docx?period=$period"
built_it "province bulletin (.xlsx), built" "$supervisor" "/monthly-bulletins/bulletin.xlsx?period=$period"
time_it "province bulletin (JSON)" "$supervisor" "/api/v1/monthly-bulletins?period=$period"
time_it "province bulletin (.docx)" "$supervisor" "/monthly-bulletins/bulletin.docx?period=$period"
time_it "province bulletin (.xlsx)" "$supervisor" "/monthly-bulletins/bulletin.xlsx?period=$period"
time_it "province trace, all projects (JSON)" "$supervisor" "/api/v1/monthly-bulletins/trace?period=$period&figure=all"
time_it "zone bulletin (JSON)" "$zone_staff" "/api/v1/monthly-bulletins?period=$period"
