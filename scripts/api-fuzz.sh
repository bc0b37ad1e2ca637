#!/usr/bin/env bash
# Property-based fuzzing of /api/v1 from its own OpenAPI document
# (Schemathesis): the document must be valid OpenAPI, and no generated
# request may get a 5xx, an undocumented status or an answer that breaks the
# documented schema. Runs against the demo data on SQLite and, when
# KFQ_TEST_PG is set, on PostgreSQL.
#
#   bash scripts/api-fuzz.sh            # uses target/debug/kfq (built if missing)
#   KFQ_FUZZ_EXAMPLES=20 bash scripts/api-fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."

examples="${KFQ_FUZZ_EXAMPLES:-5}"
kfq="${KFQ_BIN:-target/debug/kfq}"
[ -x "$kfq" ] || cargo build -q -p kfq
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fuzz() {
  local database="$1" label="$2" port=18471
  local base="http://127.0.0.1:$port"
  "$kfq" demo --listen "127.0.0.1:$port" --database "$database" >"$work/server-$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -sf "$base/healthz" >/dev/null && break; sleep 1; done
  curl -sf "$base/healthz" >/dev/null || { cat "$work/server-$label.log"; exit 1; }

  curl -sf "$base/api/v1/openapi.json" >"$work/openapi.json"
  python3 -c "import json,sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1])))" "$work/openapi.json"
  echo "$label: the OpenAPI document is valid"

  # A token of the country's administrator: every operation is reachable.
  local jar="$work/jar" csrf token
  csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
  curl -s -b "$jar" -c "$jar" -o /dev/null -d "_csrf=$csrf&username=admin&password=kfq-demo-2026&next=/" "$base/login"
  csrf=$(curl -s -b "$jar" "$base/" | grep -o 'csrf-token" content="[^"]*"' | sed 's/.*content="//;s/"//')
  token=$(curl -s -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"fuzz"}' "$base/api/v1/me/tokens" | python3 -c "import json,sys; print(json.load(sys.stdin)['token'])")

  schemathesis run "$base/api/v1/openapi.json" \
    -H "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing \
    --max-examples "$examples" --seed 2026 -w 1 --no-color \
    >"$work/fuzz-$label.log" 2>&1 || { tail -250 "$work/fuzz-$label.log"; exit 1; }
  grep -E "Tested:|generated" "$work/fuzz-$label.log" | sed "s/^/$label: /"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

fuzz "$work/fuzz.db" sqlite
if [ -n "${KFQ_TEST_PG:-}" ]; then
  pg_base="${KFQ_TEST_PG%/*}"
  psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS kfq_fuzz" -qc "CREATE DATABASE kfq_fuzz" >/dev/null
  fuzz "$pg_base/kfq_fuzz" postgres
fi
