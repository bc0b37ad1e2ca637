#!/usr/bin/env bash
# The two-instance test: two kfq processes on one PostgreSQL database behind
# HAProxy (scripts/cluster.sh), a hundred editors for a minute, then the
# lease holder killed. Run by .ci/run; ignored by a plain `cargo test`
# because it loads both cores for a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${KFQ_TEST_PG:?a PostgreSQL server URL, as for the other tests}"
cargo test -p kfq --test cluster -- --ignored --nocapture
