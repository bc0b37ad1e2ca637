#!/usr/bin/env bash
# 招商引资 at province scale: seeds `kfq demo --scale province` (100 zones, 200
# leads and two years of activities each, besides the ledger) with a release
# build, then loads the pipeline and the KPI board with wrk (Debian package
# `wrk`) and prints requests/s and latency percentiles per query, and the
# province board's first (cold) answer after a fresh start of the server.
#
# Usage: scripts/bench-attraction.sh [database] [seconds] [connections]
#   database     "sqlite" (default: a fresh file) or the URL of an EMPTY
#                PostgreSQL database (see scripts/bench-ledger.sh)
#   seconds      per query (default 10)
#   connections  concurrent connections (default 4)
set -euo pipefail
database=${1:-sqlite}
seconds=${2:-10}
connections=${3:-4}
threads=$((connections < 2 ? 1 : 2))
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
work=$(mktemp -d)
port=18192
base="http://127.0.0.1:$port"
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)"; exit 1; }
(cd "$root" && cargo build --release -q -p kfq)
args=(demo --scale province --listen "127.0.0.1:$port")
[ "$database" != sqlite ] && args+=(--database "$database")
KFQ_DATA_DIR="$work" KFQ_LOG=warn "$target/release/kfq" "${args[@]}" >"$work/demo.log" 2>&1 &
server=$!
until curl -sf "$base/healthz" >/dev/null; do
  kill -0 "$server" 2>/dev/null || { cat "$work/demo.log"; exit 1; }
  sleep 1
done
grep 'seeded in' "$work/demo.log"

sign_in() {
  local jar="$work/cookies-$1" login_csrf csrf token
  login_csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
  curl -s -b "$jar" -c "$jar" -o /dev/null -d "_csrf=$login_csrf&username=$1&password=kfq-demo-2026&next=/" "$base/login"
  csrf=$(curl -s -b "$jar" "$base/" | grep -o 'csrf-token" content="[^"]*"' | sed 's/.*content="//;s/"//')
  token=$(curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"bench"}' "$base/api/v1/me/tokens" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
  echo "$(awk '/kfq_session/ {print $7}' "$jar") $token"
}
read -r _ supervisor < <(sign_in sheng.duban)
read -r clerk_session clerk < <(sign_in yc.staff)
province=$(curl -s -H "Authorization: Bearer $supervisor" "$base/api/v1/me" |
  python3 -c 'import sys, json; print(json.load(sys.stdin)["org_unit_id"])')
q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("新能源"))')

if [ "$database" != sqlite ] && command -v psql >/dev/null; then
  psql "$database" -qc CHECKPOINT 2>/dev/null || true
fi

# The board is computed on every request (no cache): its first answer after
# a restart is the cold one. Three restarts, each timed once.
echo "province board, first answer after a fresh start (cold):"
for n in 1 2 3; do
  kill "$server"; wait "$server" 2>/dev/null || true
  serve=(serve --listen "127.0.0.1:$port" --database "$work/demo.db")
  [ "$database" != sqlite ] && serve=(serve --listen "127.0.0.1:$port" --database "$database")
  KFQ_DATA_DIR="$work" KFQ_LOG=warn "$target/release/kfq" "${serve[@]}" >"$work/serve.log" 2>&1 &
  server=$!
  until curl -sf "$base/healthz" >/dev/null; do sleep 0.1; done
  curl -s -o /dev/null -w "  run $n: HTTP %{http_code} in %{time_total} s\n" -H "Authorization: Bearer $supervisor" \
    "$base/api/v1/attraction/kpi?org_id=$province"
done

run() {
  local label=$1; shift
  printf '%-46s ' "$label"
  wrk -t1 -c"$connections" -d2s "$@" >/dev/null
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@" | awk '
    /Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF}
    END {printf "%10s req/s  p50 %8s  p99 %8s  %s\n", rps, p50, p99, (bad ? "non-2xx " bad : "")}'
}
echo "wrk -t$threads -c$connections -d${seconds}s"
run "GET /api/v1/attraction/leads (zone clerk)" -H "Authorization: Bearer $clerk" "$base/api/v1/attraction/leads"
run "… stage + name search (zone clerk)" -H "Authorization: Bearer $clerk" "$base/api/v1/attraction/leads?stage=negotiating&q=$q"
run "GET /attraction (the clerk's pipeline page)" -H "Cookie: kfq_session=$clerk_session" "$base/attraction"
run "GET /api/v1/attraction/leads (province)" -H "Authorization: Bearer $supervisor" "$base/api/v1/attraction/leads"
run "… stage + name search (province)" -H "Authorization: Bearer $supervisor" "$base/api/v1/attraction/leads?stage=negotiating&q=$q"
run "GET /api/v1/attraction/kpi (province board)" -H "Authorization: Bearer $supervisor" "$base/api/v1/attraction/kpi?org_id=$province"
run "GET /api/v1/attraction/kpi (zone board)" -H "Authorization: Bearer $clerk" "$base/api/v1/attraction/kpi"
