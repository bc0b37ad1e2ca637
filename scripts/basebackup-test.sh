#!/usr/bin/env bash
# Backup and point-in-time recovery of kfq on PostgreSQL, as the README tells
# an operator to do it, checked end to end: a scratch server with WAL
# archiving; kfq serving it while a script keeps creating projects; a base
# backup (pg_basebackup) taken in the middle of those writes; the writes go
# on, then the server is lost. The base backup plus the WAL archive is
# restored on another port, and must hold every project whose creation was
# acknowledged, with audit chains `kfq audit verify` accepts. Run by .ci/run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${KFQ_BIN:-$root/target/debug/kfq}"
[ -x "$bin" ] || (cd "$root" && cargo build -q -p kfq)
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
export PATH="$PG_BIN:$PATH"
as_pg() { runuser -u postgres -- env PATH="$PATH" "$@"; }

dir="$(mktemp -d /tmp/kfq-basebackup.XXXXXX)"
chown postgres "$dir"
primary_port=9810 restored_port=9811 app_port=18410
server=""
writer=""
cleanup() {
  [ -n "$writer" ] && kill "$writer" 2>/dev/null || true
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  for data in primary restored; do
    [ -f "$dir/$data/postmaster.pid" ] && as_pg pg_ctl -D "$dir/$data" -m immediate stop >/dev/null 2>&1 || true
  done
  rm -rf "$dir"
}
trap cleanup EXIT

# A scratch primary that archives its WAL (initdb's trust covers replication).
as_pg initdb -D "$dir/primary" -U postgres --auth=trust >/dev/null
mkdir "$dir/archive" && chown postgres "$dir/archive"
cat >>"$dir/primary/postgresql.conf" <<CONF
port = $primary_port
unix_socket_directories = '$dir'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $dir/archive/%f && cp %p $dir/archive/%f'
CONF
as_pg pg_ctl -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
as_pg createdb -h 127.0.0.1 -p "$primary_port" kfq
url="postgres://postgres@127.0.0.1:$primary_port/kfq"

# kfq on it, with the demo; a script's API token.
KFQ_LOG=warn "$bin" demo --database "$url" --listen "127.0.0.1:$app_port" >"$dir/kfq.log" 2>&1 &
server=$!
base="http://127.0.0.1:$app_port"
for _ in $(seq 1 600); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
jar="$dir/cookies"
login_csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'csrf-token" content="[^"]*"' | sed 's/.*content="//;s/"//')
curl -s -b "$jar" -c "$jar" -o /dev/null -d "_csrf=$login_csrf&username=yc.staff&password=kfq-demo-2026&next=/" "$base/login"
csrf=$(curl -s -b "$jar" "$base/" | grep -o 'csrf-token" content="[^"]*"' | sed 's/.*content="//;s/"//')
token=$(curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' \
  -d '{"name":"backup"}' "$base/api/v1/me/tokens" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
zone=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/me" | python3 -c 'import sys, json; print(json.load(sys.stdin)["zone_id"])')

# Writes all along: each acknowledged creation (201) is counted.
: >"$dir/acknowledged"
(
  n=0
  while [ ! -f "$dir/stop-writing" ]; do
    n=$((n + 1))
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
      -H 'content-type: application/json' \
      -d "{\"zone_id\":$zone,\"name\":\"备份期间的项目$n\",\"category\":\"industrial\",\"nature\":\"new\",\"total_investment\":\"100\"}" \
      "$base/api/v1/projects")
    [ "$status" = 201 ] && echo "$n" >>"$dir/acknowledged"
    sleep 0.05
  done
) &
writer=$!
sleep 3
as_pg pg_basebackup -h 127.0.0.1 -p "$primary_port" -D "$dir/base" -X stream -c fast
during=$(wc -l <"$dir/acknowledged")
sleep 3
touch "$dir/stop-writing"
wait "$writer"
writer=""
acknowledged=$(wc -l <"$dir/acknowledged")
# The last segment goes to the archive; then the server is lost.
as_pg psql -h 127.0.0.1 -p "$primary_port" -qAtc "SELECT pg_switch_wal()" >/dev/null
for _ in $(seq 1 50); do
  ready=$(ls "$dir/primary/pg_wal/archive_status/" 2>/dev/null | grep -c '\.ready$' || true)
  [ "$ready" = 0 ] && break
  sleep 0.2
done
kill "$server"
server=""
as_pg pg_ctl -D "$dir/primary" -m immediate stop >/dev/null

# Restore: the base backup, then the archive replayed to its end.
cp -a "$dir/base" "$dir/restored"
cat >>"$dir/restored/postgresql.conf" <<CONF
port = $restored_port
restore_command = 'cp $dir/archive/%f %p'
archive_mode = off
CONF
touch "$dir/restored/recovery.signal"
as_pg pg_ctl -D "$dir/restored" -l "$dir/restored.log" -w -t 120 start >/dev/null
for _ in $(seq 1 100); do
  [ "$(as_pg psql -h 127.0.0.1 -p "$restored_port" -d kfq -qAtc 'SELECT pg_is_in_recovery()')" = f ] && break
  sleep 0.2
done
restored_url="postgres://postgres@127.0.0.1:$restored_port/kfq"
restored=$(as_pg psql -h 127.0.0.1 -p "$restored_port" -d kfq -qAtc \
  "SELECT COUNT(*) FROM projects WHERE name LIKE '备份期间的项目%'")
echo "base backup taken after $during acknowledged creations; $acknowledged acknowledged in all; $restored restored"
"$bin" audit verify --database "$restored_url"
if [ "$restored" -lt "$acknowledged" ] || [ "$during" -lt 1 ] || [ "$acknowledged" -le "$during" ]; then
  echo "FAILED: $acknowledged acknowledged, $restored restored (writes during the backup: $during)" >&2
  exit 1
fi
echo "backup and point-in-time recovery: every acknowledged write restored, audit trail intact"
