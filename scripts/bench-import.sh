#!/usr/bin/env bash
# Importing a 100,000-project ledger into one zone: writes a CSV in the shape
# zones send (title, unit note, header; 1-N月 year-to-date; one row in fifty
# with a 存在问题), seeds a fresh demo database (SQLite, or an EMPTY
# PostgreSQL database), then times the dry run and the commit of
# `kfq import ledger` under GNU time and checks the audit chain after.
#
# Usage: scripts/bench-import.sh [database] [projects]
#   database  "sqlite" (default: a fresh file) or the URL of an EMPTY
#             PostgreSQL database (createdb kfq_import_bench)
#   projects  default 100000
set -euo pipefail
database=${1:-sqlite}
projects=${2:-100000}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
work=$(mktemp -d)
port=18193
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

(cd "$root" && cargo build --release -q -p kfq)
kfq="$target/release/kfq"

python3 - "$work/ledger.csv" "$projects" <<'PY'
import sys, random
path, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
stages = ["前期", "在建", "在建", "在建", "竣工投产"]
kinds = ["工业", "基础设施", "服务业", "社会民生"]
with open(path, "w", encoding="utf-8") as f:
    f.write("2026年重点项目推进情况表\n")
    f.write("填报单位：某经济开发区,,,,,单位：万元\n")
    f.write("序号,项目名称,建设单位,项目类型,建设内容,总投资,2026年计划投资,1-6月完成投资,项目阶段,计划开工时间,存在问题\n")
    for i in range(1, n + 1):
        total = rnd.randint(2000, 500000)
        plan = rnd.randint(500, max(600, total // 3))
        done = rnd.randint(0, plan)
        problem = "用地指标未落实，需协调自然资源局" if i % 50 == 0 else ""
        f.write(f"{i},年产{i}台套智能装备项目,某某科技有限公司{i % 3000},{kinds[i % 4]},"
                f"新建厂房及配套设施,{total},{plan},{done},{stages[i % 5]},2026-0{1 + i % 6}-15,{problem}\n")
PY
ls -l "$work/ledger.csv"

args=(demo --listen "127.0.0.1:$port")
db_args=()
if [ "$database" = sqlite ]; then
  db_args=(--database "$work/demo.db")
else
  args+=(--database "$database")
  db_args=(--database "$database")
fi
KFQ_DATA_DIR="$work" KFQ_LOG=warn "$kfq" "${args[@]}" >"$work/demo.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
  kill -0 "$server" 2>/dev/null || { cat "$work/demo.log"; exit 1; }
  sleep 1
done
kill "$server"; wait "$server" 2>/dev/null || true; server=

# The demo's 大同经济技术开发区 (its own ledger of a few dozen projects stays).
zone=140200-01
measure() {
  /usr/bin/time -f "$1: %e s wall, %M KB peak RSS" \
    env KFQ_LOG=warn "$kfq" import ledger "${db_args[@]}" "$work/ledger.csv" --zone "$zone" --year 2026 --blockers "${@:2}" \
    | tail -3
}
measure "dry run (read, match, plan)"
measure "commit (one transaction)" --commit
/usr/bin/time -f "audit verify: %e s wall" "$kfq" audit verify "${db_args[@]}" | tail -2
