#!/usr/bin/env bash
# Two kfq instances on one PostgreSQL database behind HAProxy, as a province
# runs it (on one machine here): the first seeds the demo and serves, the
# second serves the same database; HAProxy spreads requests over both in
# turn, checks /healthz each second and sends around an instance that died.
#
#   scripts/cluster.sh start DIR DATABASE_URL [PORT]   # prints the address
#   scripts/cluster.sh stop DIR
#
# DATABASE_URL names an empty database. KFQ_BIN names the binary (default
# target/release/kfq). DIR gets each process's pid (a.pid, b.pid,
# haproxy.pid) and log. The instances listen on PORT+1 and PORT+2.
set -euo pipefail
action="${1:?start|stop}"
dir="${2:?a working directory}"
root="$(cd "$(dirname "$0")/.." && pwd)"

case "$action" in
start)
  url="${3:?the database URL}"
  port="${4:-18300}"
  bin="${KFQ_BIN:-$root/target/release/kfq}"
  mkdir -p "$dir"
  wait_healthy() {
    for _ in $(seq 1 900); do
      curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
      sleep 0.2
    done
    echo "nothing answers on port $1; logs in $dir" >&2
    tail -n 20 "$dir"/*.log >&2
    exit 1
  }
  KFQ_LOG=warn "$bin" demo --database "$url" --listen "127.0.0.1:$((port + 1))" >"$dir/a.log" 2>&1 &
  echo $! >"$dir/a.pid"
  wait_healthy $((port + 1))
  KFQ_LOG=warn "$bin" serve --database "$url" --listen "127.0.0.1:$((port + 2))" >"$dir/b.log" 2>&1 &
  echo $! >"$dir/b.pid"
  wait_healthy $((port + 2))
  cat >"$dir/haproxy.cfg" <<CFG
global
  maxconn 4000
defaults
  mode http
  timeout connect 2s
  timeout client 120s
  timeout server 120s
  # A request that cannot reach a dead instance goes to the other one.
  retries 3
  option redispatch
frontend kfq
  bind 127.0.0.1:$port
  default_backend instances
backend instances
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
  # Which instance answered, for tests and for operators' eyes.
  http-response set-header X-Served-By %s
  server a 127.0.0.1:$((port + 1)) check
  server b 127.0.0.1:$((port + 2)) check
CFG
  haproxy -f "$dir/haproxy.cfg" -db >"$dir/haproxy.log" 2>&1 &
  echo $! >"$dir/haproxy.pid"
  wait_healthy "$port"
  echo "http://127.0.0.1:$port"
  ;;
stop)
  for name in haproxy a b; do
    [ -f "$dir/$name.pid" ] && kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
  done
  sleep 1
  for name in haproxy a b; do
    [ -f "$dir/$name.pid" ] && kill -9 "$(cat "$dir/$name.pid")" 2>/dev/null || true
  done
  ;;
esac
