#!/usr/bin/env bash
# Loads a running release build of `kfq demo` with wrk (Debian package `wrk`)
# and prints requests/s and latency percentiles per route.
# Usage: scripts/bench-http.sh [seconds] [connections]
set -euo pipefail
seconds=${1:-10}
connections=${2:-16}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
port=18190
base="http://127.0.0.1:$port"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)"; exit 1; }
(cd "$root" && cargo build --release -q -p kfq)
KFQ_DATA_DIR="$work" KFQ_LOG=warn "$root/target/release/kfq" demo --listen "127.0.0.1:$port" >"$work/demo.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

jar="$work/cookies"
login_csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
curl -s -b "$jar" -c "$jar" -o /dev/null -d "_csrf=$login_csrf&username=admin&password=kfq-demo-2026&next=/" "$base/login"
csrf=$(curl -s -b "$jar" "$base/" | grep -o 'csrf-token" content="[^"]*"' | sed 's/.*content="//;s/"//')
token=$(curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' \
  -d '{"name":"bench"}' "$base/api/v1/me/tokens" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
session=$(awk '/kfq_session/ {print $7}' "$jar")

run() {
  local label=$1; shift
  printf '%-28s ' "$label"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" | awk '
    /Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF}
    END {printf "%10s req/s  p50 %8s  p99 %8s  %s\n", rps, p50, p99, (bad ? "non-2xx " bad : "")}'
}
run "GET /healthz" "$base/healthz"
run "GET /api/v1/enterprises" -H "Authorization: Bearer $token" "$base/api/v1/enterprises"
run "GET /api/v1/orgs" -H "Authorization: Bearer $token" "$base/api/v1/orgs"
run "GET /orgs (page)" -H "Cookie: kfq_session=$session" "$base/orgs"
run "GET / (home page)" -H "Cookie: kfq_session=$session" "$base/"
