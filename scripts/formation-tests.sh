#!/usr/bin/env bash
# The tests that need a real pg_auto_failover formation (a monitor, a primary
# and its synchronous standby on this machine): reads sent to the standby,
# then the primary killed under writes. Run by .ci/run; ignored by a plain
# `cargo test` because they take minutes and root (to run as postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(mktemp -d /tmp/kfq-formation.XXXXXX)"
trap 'bash scripts/formation.sh stop "$dir"' EXIT
url="$(bash scripts/formation.sh start "$dir")"
export KFQ_TEST_FORMATION="$url" KFQ_TEST_FORMATION_DIR="$dir"
# One at a time, the kill last: it takes the primary away from anything else.
for group in replicas:: failover::; do
  cargo test -p kfq-web --test api -- --ignored --test-threads 1 "$group"
done
