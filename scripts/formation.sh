#!/usr/bin/env bash
# A pg_auto_failover formation on this machine: a monitor and two PostgreSQL
# nodes (primary and secondary, synchronous replication), for the failover
# test and for trying kfq against a formation by hand.
#
#   scripts/formation.sh start DIR    # prints the multi-host URL kfq takes
#   scripts/formation.sh stop DIR
#
# Runs the servers as the postgres user; DIR must be writable by it.
set -euo pipefail
action="${1:?start|stop}"
dir="${2:?a working directory}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
export PATH="$PG_BIN:$PATH"
as_pg() { runuser -u postgres -- env PATH="$PATH" PG_CONFIG="$PG_BIN/pg_config" "$@"; }

# pg_autoctl keeps each node's state under the postgres user's XDG folders,
# named by the data directory: a node started again in the same DIR would
# take itself for the old, dropped one.
forget() {
  local home
  home="$(getent passwd postgres | cut -d: -f6)"
  rm -rf "$home/.local/share/pg_autoctl$1" "$home/.config/pg_autoctl$1"
}

case "$action" in
start)
  forget "$dir"
  mkdir -p "$dir" && chown postgres "$dir"
  monitor="postgres://autoctl_node@127.0.0.1:9800/pg_auto_failover"
  # Each server in a process group of its own (setsid), its number in
  # DIR/NAME.pgid: a test kills a node whole (keeper and PostgreSQL) by it.
  setsid runuser -u postgres -- env PATH="$PATH" pg_autoctl create monitor --pgdata "$dir/monitor" \
    --pgport 9800 --hostname 127.0.0.1 --auth trust --no-ssl --run >"$dir/monitor.log" 2>&1 &
  echo $! >"$dir/monitor.pgid"
  for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -p 9800 -q && break; sleep 1; done
  # The monitor's defaults take 30-60 s to call a dead primary dead (health
  # checks every 5 s, unhealthy after 20 s, demotion timeout 30 s): right for
  # flaky networks, slow for a test on one machine. Times in ms.
  if [ "${FORMATION_FAST:-1}" = 1 ]; then
    for setting in health_check_period=1000 health_check_timeout=1000 health_check_max_retries=1 \
      health_check_retry_delay=500 node_considered_unhealthy_timeout=4000 primary_demote_timeout=5000; do
      for _ in $(seq 1 30); do
        as_pg psql -h 127.0.0.1 -p 9800 -d pg_auto_failover -qAtc \
          "ALTER SYSTEM SET pgautofailover.${setting%%=*} = ${setting#*=}" >/dev/null 2>&1 && break
        sleep 1
      done
    done
    as_pg psql -h 127.0.0.1 -p 9800 -d pg_auto_failover -qAtc "SELECT pg_reload_conf()" >/dev/null
  fi
  for n in 1 2; do
    setsid runuser -u postgres -- env PATH="$PATH" pg_autoctl create postgres --pgdata "$dir/node$n" \
      --pgport "980$n" --hostname 127.0.0.1 --monitor "$monitor" --auth trust --no-ssl \
      --dbname kfq --name "node$n" --run >"$dir/node$n.log" 2>&1 &
    echo $! >"$dir/node$n.pgid"
    # The second node clones the first: let the first become primary before.
    # Reported state = assigned state: "single" for one node, then
    # "primary" and "secondary" (columns 6 and 7 of the state table).
    for _ in $(seq 1 180); do
      states="$(as_pg pg_autoctl show state --pgdata "$dir/monitor" 2>/dev/null |
        awk -F'|' 'NR > 2 { gsub(/ /, "", $6); gsub(/ /, "", $7); if ($6 == $7) print $6 }' || true)"
      if [ "$n" = 1 ] && grep -qx "single" <<<"$states"; then break; fi
      if [ "$n" = 2 ] && grep -qx "primary" <<<"$states" && grep -qx "secondary" <<<"$states"; then break; fi
      # The clone's pg_basebackup waits for a spread checkpoint (minutes on a
      # busy machine): an immediate one lets it go on.
      if [ "$n" = 2 ]; then as_pg psql -h 127.0.0.1 -p 9801 -d postgres -qAtc CHECKPOINT >/dev/null 2>&1 || true; fi
      sleep 1
    done
  done
  as_pg pg_autoctl show state --pgdata "$dir/monitor" >&2
  if ! grep -qx "secondary" <<<"$states"; then
    echo "the formation did not come up; its logs:" >&2
    tail -n 20 "$dir"/*.log >&2
    exit 1
  fi
  # kfq connects as postgres (trust), without TLS (--no-ssl).
  as_pg pg_autoctl show uri --pgdata "$dir/monitor" --formation default |
    sed -e 's|^postgres://|postgres://postgres@|' -e 's|sslmode=prefer|sslmode=disable|'
  ;;
stop)
  for node in node2 node1 monitor; do
    [ -d "$dir/$node" ] && as_pg pg_autoctl stop --pgdata "$dir/$node" --immediate 2>/dev/null || true
  done
  sleep 2
  for group in "$dir"/*.pgid; do
    [ -f "$group" ] && kill -9 -- "-$(cat "$group")" 2>/dev/null || true
  done
  rm -rf "$dir"
  forget "$dir"
  ;;
esac
