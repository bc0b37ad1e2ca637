#!/usr/bin/env bash
# kfq and Datasette serving the same province-scale ledger query, measured in
# one run (the peers' side-by-side, ../shared/peers/side-by-side.sh, extended):
# one zone's 50 largest projects with 2025 1-6月 investment summed and the
# totals row, rotating over the 100 zones, wrk with 50 connections on the
# same two cores. Besides requests/s and latency it reports each server's
# resident memory after the load (and kfq's peak), and the first answer of
# every zone one at a time (built afresh: nothing kept yet for it).
#
# Usage: scripts/bench-peers.sh [seconds=10] [connections=50]
# Needs wrk, sqlite3, curl, python3 and Datasette (pip install datasette).
set -euo pipefail
S=${1:-10}
C=${2:-50}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
peers=${KFQ_PEERS:-$root/../shared/peers}
W=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; rm -rf "$W"' EXIT

(cd "$root" && cargo build --release -q -p kfq)
KFQ="$target/release/kfq"
command -v datasette >/dev/null || pip install -q datasette >/dev/null 2>&1
python3 "$peers/gen_ledger.py" "$W/province.db" >/dev/null
datasette serve "$W/province.db" -m "$peers/datasette-metadata.json" -p 8765 --setting num_sql_threads 2 >"$W/ds.log" 2>&1 &
ds=$!
pids+=($ds)
KFQ_DATA_DIR=$W KFQ_LOG=warn "$KFQ" demo --scale province --listen 127.0.0.1:18383 >"$W/kfq.log" 2>&1 &
kfq=$!
pids+=($kfq)
B=http://127.0.0.1:18383
until curl -sf $B/healthz >/dev/null; do
  kill -0 $kfq 2>/dev/null || { cat "$W/kfq.log"; exit 1; }
  sleep 1
done
until curl -sf http://127.0.0.1:8765/ >/dev/null; do sleep 1; done
# Let the start-up work (statuses, statistics) finish before measuring.
sleep 5

jar=$W/jar
lc=$(curl -s -c $jar $B/login | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
curl -s -b $jar -c $jar -o /dev/null -d "_csrf=$lc&username=admin&password=kfq-demo-2026&next=/" $B/login
cs=$(curl -s -b $jar $B/ | grep -o 'csrf-token" content="[^"]*"' | sed 's/.*content="//;s/"//')
TOKEN=$(curl -s -b $jar -H "X-CSRF-Token: $cs" -H 'content-type: application/json' -d '{"name":"peer"}' $B/api/v1/me/tokens | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
ZONES=$(sqlite3 "$W/demo.db" "select group_concat(id) from (select id from org_units where kind='zone' order by id limit 100)")
query="year=2025&month=6&sort=total_investment&dir=desc&per_page=50"

# The first answer of each zone, one at a time.
for z in ${ZONES//,/ }; do
  curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$B/api/v1/projects?zone_id=$z&$query"
done | sort -n | awk '{t[NR]=$1*1000} END{printf "kfq first answers (%d zones): median %.1f ms, slowest %.1f ms\n", NR, t[int(NR/2)+1], t[NR]}'

cat >"$W/kfq.lua" <<LUA
local z = {$ZONES}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/projects?zone_id=" .. z[(n % #z) + 1] .. "&$query", {["Authorization"] = "Bearer $TOKEN"})
end
LUA
wrk -t2 -c4 -d2s -s "$peers/zones.lua" http://127.0.0.1:8765 >/dev/null
wrk -t2 -c4 -d2s -s "$W/kfq.lua" $B >/dev/null
run() { wrk -t2 -c$C -d${S}s --latency -s "$2" "$3" | awk -v n="$1" '/Requests\/sec/{r=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} /Non-2xx/{e=$NF} END{printf "%s %s req/s p50 %s p99 %s non2xx %s\n", n, r, p50, p99, (e==""?0:e)}'; }
rss() { awk -v n="$1" '/VmRSS/{r=$2} /VmHWM/{h=$2} END{printf "%s resident %.0f MB (peak %.0f MB)\n", n, r/1024, h/1024}' /proc/$2/status; }
a=$(run datasette "$peers/zones.lua" http://127.0.0.1:8765)
b=$(run kfq "$W/kfq.lua" $B)
echo "$a"
echo "$b"
python3 - "$a" "$b" <<'PY'
import sys
a = float(sys.argv[1].split()[1]); b = float(sys.argv[2].split()[1])
print(f"kfq/datasette throughput ratio {b / a:.2f}")
PY
rss kfq $kfq
# Datasette's own process (its children, if any, are not counted).
rss datasette $ds
