#!/usr/bin/env bash
# The ledger and the indicator dashboard at province scale: seeds `kfq demo --scale province` (100 zones ×
# 100 projects, five years of monthly figures) with a release build, then loads
# the ledger list with wrk (Debian package `wrk`) and prints requests/s and
# latency percentiles per query.
#
# Usage: scripts/bench-ledger.sh [database] [seconds] [connections]
#   database     "sqlite" (default: a fresh file) or the URL of an EMPTY
#                PostgreSQL database, e.g.
#                  createdb -h 127.0.0.1 -U postgres kfq_bench
#                  scripts/bench-ledger.sh postgres://postgres@127.0.0.1:5432/kfq_bench
#                  dropdb -h 127.0.0.1 -U postgres kfq_bench
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
port=18191
base="http://127.0.0.1:$port"
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)"; exit 1; }
(cd "$root" && cargo build --release -q -p kfq)
args=(demo --scale province --listen "127.0.0.1:$port")
[ "$database" != sqlite ] && args+=(--database "$database")
KFQ_DATA_DIR="$work" KFQ_LOG=warn "$target/release/kfq" "${args[@]}" >"$work/demo.log" 2>&1 &
server=$!
# Seeding takes a while; the server answers once it is done.
until curl -sf "$base/healthz" >/dev/null; do
  kill -0 "$server" 2>/dev/null || { cat "$work/demo.log"; exit 1; }
  sleep 1
done
grep 'seeded in' "$work/demo.log"

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
read -r session token < <(sign_in admin)
read -r _ supervisor < <(sign_in sheng.duban)
read -r clerk _ < <(sign_in yc.staff)
auth=(-H "Authorization: Bearer $token")
# A generated zone in the middle of the province, for the filtered query.
zone=$(curl -s "${auth[@]}" "$base/api/v1/projects?sort=zone&per_page=1&page=5000" |
  python3 -c 'import sys, json; print(json.load(sys.stdin)["page"]["items"][0]["zone_id"])')
q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("光伏"))')

# A bulk load leaves PostgreSQL a checkpoint to write: not during the runs.
if [ "$database" != sqlite ] && command -v psql >/dev/null; then
  psql "$database" -qc CHECKPOINT 2>/dev/null || true
fi

run() {
  local label=$1; shift
  printf '%-44s ' "$label"
  # Warm up (prepared statements, caches) before measuring.
  wrk -t1 -c"$connections" -d2s "$@" >/dev/null
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@" | awk '
    /Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF}
    END {printf "%10s req/s  p50 %8s  p99 %8s  %s\n", rps, p50, p99, (bad ? "non-2xx " bad : "")}'
}
echo "wrk -t$threads -c$connections -d${seconds}s, as admin (the whole province)"
run "GET /api/v1/projects" "${auth[@]}" "$base/api/v1/projects"
run "GET /api/v1/projects zone+stage+q" "${auth[@]}" "$base/api/v1/projects?zone_id=$zone&stage=started&q=$q"
run "GET /api/v1/projects stage+q (province)" "${auth[@]}" "$base/api/v1/projects?stage=started&q=$q"
run "GET /api/v1/projects sort=ytd desc" "${auth[@]}" "$base/api/v1/projects?sort=ytd&dir=desc"
run "GET /projects (page)" -H "Cookie: kfq_session=$session" "$base/projects"
# The province's supervisor sees the same projects through the org tree.
run "GET /api/v1/projects (supervisor)" -H "Authorization: Bearer $supervisor" "$base/api/v1/projects"
run "GET /api/v1/projects sort=ytd (supervisor)" -H "Authorization: Bearer $supervisor" "$base/api/v1/projects?sort=ytd&dir=desc"
# The indicator dashboard of the whole province (100 zones × 10 indicators,
# 24 months of trend, warnings with their history, ranks, roll-ups).
run "GET /api/v1/indicator-board (supervisor)" -H "Authorization: Bearer $supervisor" "$base/api/v1/indicator-board"
run "GET /indicators (page, admin)" -H "Cookie: kfq_session=$session" "$base/indicators"
# The home pages as to-do lists: the supervisor's 100 zones ranked against
# 序时进度 (plan, year to date, red and unreported counts of every zone), and a
# zone clerk's red projects, milestones due and missing counts.
run "GET /api/v1/home (supervisor, zones ranked)" -H "Authorization: Bearer $supervisor" "$base/api/v1/home"
run "GET / (clerk's home page)" -H "Cookie: kfq_session=$clerk" "$base/"
