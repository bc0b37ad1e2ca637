#!/usr/bin/env bash
# Writes a generated 100,000-project ledger (.xlsx) and measures reading it:
# kfq-workbook's time, heap and peak resident memory (GNU time), then
# openpyxl's read-only load plus iterating the rows, and python-calamine's
# whole sheet as Python values, for comparison.
# Usage: scripts/bench-workbook.sh [projects] [file]
# openpyxl and python-calamine are optional (pip install openpyxl
# python-calamine); the criterion benchmark is
# `cargo bench -p kfq-workbook --bench read`.
set -euo pipefail
projects=${1:-100000}
file=${2:-${TMPDIR:-/tmp}/kfq-ledger-$projects.xlsx}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
example="$target/release/examples/big_ledger"

(cd "$root" && cargo build --release -q -p kfq-workbook --example big_ledger)
[ -f "$file" ] || "$example" write "$file" "$projects"
ls -l "$file"

/usr/bin/time -v "$example" read "$file" 2>"$file.time"
grep -E 'Elapsed|Maximum resident' "$file.time"
# A fresh process's first read after a pause pays for memory the machine
# hands back to its host (twice the time on a virtual machine); the reads
# that follow show the reading itself.
for _ in 1 2 3 4; do "$example" read "$file" | grep -E '^read '; done

if python3 -c 'import openpyxl' 2>/dev/null; then
  /usr/bin/time -v python3 - "$file" 2>"$file.pytime" <<'PY'
import sys, time, openpyxl
start = time.perf_counter()
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
rows = sum(1 for sheet in book.worksheets for _ in sheet.iter_rows(values_only=True))
print(f"openpyxl {openpyxl.__version__}: {rows} rows in {time.perf_counter() - start:.2f} s")
PY
  grep -E 'Elapsed|Maximum resident' "$file.pytime"
else
  echo "openpyxl not installed: skipped the comparison"
fi

if python3 -c 'import python_calamine' 2>/dev/null; then
  /usr/bin/time -v python3 - "$file" 2>"$file.pytime" <<'PY'
import sys, time
from python_calamine import CalamineWorkbook
start = time.perf_counter()
book = CalamineWorkbook.from_path(sys.argv[1])
rows = book.get_sheet_by_index(0).to_python()
print(f"python-calamine: {len(rows)} rows in {time.perf_counter() - start:.2f} s")
PY
  grep -E 'Elapsed|Maximum resident' "$file.pytime"
else
  echo "python-calamine not installed: skipped the comparison"
fi
rm -f "$file.time" "$file.pytime"
