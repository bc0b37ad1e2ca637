#!/usr/bin/env bash
# Whether partitioning the monthly investment pays at national scale: copies
# project_investments of a database seeded by `kfq demo --scale national`
# into a scratch schema twice, as it is (one table) and partitioned by year
# (one partition a year), with the same indexes, then compares with
# EXPLAIN (ANALYZE, BUFFERS):
#   - the country's months of one year up to a month, summed by project (the
#     monthly report's read, as `Store::ledger_as_of` sends it);
#   - one zone's months of one year (a ledger page's sums);
#   - one project's months (the project page);
# and maintenance: VACUUM of the table against VACUUM of one year's
# partition, and removing the oldest year (DELETE against DROP of its
# partition). The scratch schema is dropped at the end; the application's
# tables are only read.
#
# Usage: scripts/bench-partitions.sh DATABASE_URL
set -euo pipefail
database=${1:?usage: scripts/bench-partitions.sh DATABASE_URL}
psql=(psql "$database" -X -v ON_ERROR_STOP=1 -q)

year=$(date -d "$(date +%Y-%m-01) -1 day" +%Y)
month=$(date -d "$(date +%Y-%m-01) -1 day" +%-m)
read -r first last < <("${psql[@]}" -At -F' ' -c "SELECT MIN(year), MAX(year) FROM project_investments")
zone=$("${psql[@]}" -At -c "SELECT id FROM org_units WHERE name = '济南经济技术开发区'")
project=$("${psql[@]}" -At -c "SELECT MIN(id) FROM projects WHERE zone_id = $zone")
now=$(date +%s%3N)
echo "project_investments: years $first–$last; the report's year $year, months 1–$month"

"${psql[@]}" <<SQL
DROP SCHEMA IF EXISTS bench_part CASCADE;
CREATE SCHEMA bench_part;
CREATE TABLE bench_part.flat (LIKE public.project_investments INCLUDING DEFAULTS);
CREATE TABLE bench_part.by_year (LIKE public.project_investments INCLUDING DEFAULTS)
  PARTITION BY RANGE (year);
SQL
for y in $(seq "$first" "$last"); do
  "${psql[@]}" -c "CREATE TABLE bench_part.by_year_$y PARTITION OF bench_part.by_year FOR VALUES FROM ($y) TO ($((y + 1)))"
done

timed() { # label, SQL: prints the wall clock of one statement
  local started ended
  started=$(date +%s%N)
  "${psql[@]}" -c "$2"
  ended=$(date +%s%N)
  printf '%-58s %8.0f ms\n' "$1" "$(( (ended - started) / 1000000 ))"
}

echo "== loading the copies"
timed "copy into one table" "INSERT INTO bench_part.flat SELECT * FROM public.project_investments"
timed "copy into partitions by year" "INSERT INTO bench_part.by_year SELECT * FROM public.project_investments"
for t in flat by_year; do
  timed "indexes of $t" "CREATE UNIQUE INDEX ${t}_month ON bench_part.$t (project_id, year, month, zone_id);
    CREATE INDEX ${t}_zone_year ON bench_part.$t (zone_id, year, project_id, month) INCLUDE (amount, recorded_at);
    CREATE INDEX ${t}_year ON bench_part.$t (year, project_id, month) INCLUDE (amount)"
  timed "VACUUM ANALYZE $t" "VACUUM ANALYZE bench_part.$t"
done
"${psql[@]}" -At -c "SELECT 'size of one table: ' || pg_size_pretty(pg_total_relation_size('bench_part.flat'))
  || ', of the partitions: ' || pg_size_pretty(SUM(pg_total_relation_size(c.oid)))
  || ', of the year $year: ' || pg_size_pretty(pg_total_relation_size('bench_part.by_year_$year'))
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'bench_part.by_year'::regclass"

explain() { # label, table, query with @T for the table: three runs, the last shown
  local q=${3//@T/bench_part.$2}
  for _ in 1 2; do "${psql[@]}" -c "EXPLAIN (ANALYZE) $q" >/dev/null; done
  echo "-- $1 ($2)"
  "${psql[@]}" -At -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $q" | grep -E 'Scan|Append|Aggregate|Buffers|Execution Time|Planning Time' | sed 's/^/   /' | head -12
}

# As Store::ledger_as_of sends it (migration 0016's index holds recorded_at).
zones=$("${psql[@]}" -At -c "SELECT string_agg(id::text, ', ' ORDER BY id) FROM org_units WHERE kind = 'zone'")
months=$(for m in $(seq 1 "$month"); do printf ', COALESCE(MAX(amount) FILTER (WHERE month = %d), 0)' "$m"; done)
country="SELECT project_id$months FROM @T WHERE zone_id IN ($zones) AND year = $year AND month <= $month AND recorded_at <= $now GROUP BY zone_id, project_id"
one_zone="SELECT project_id, SUM(amount) FROM @T WHERE zone_id = $zone AND year = $year AND month <= $month GROUP BY project_id"
one_project="SELECT year, month, amount FROM @T WHERE project_id = $project ORDER BY year, month"
echo "== reads (the last of three runs)"
for t in flat by_year; do explain "the country's months of $year, summed by project" "$t" "$country"; done
for t in flat by_year; do explain "one zone's months of $year" "$t" "$one_zone"; done
for t in flat by_year; do explain "one project's months" "$t" "$one_project"; done

echo "== maintenance"
# A month's reports touch one year: updated rows leave dead tuples there.
for t in flat by_year; do
  "${psql[@]}" -c "UPDATE bench_part.$t SET amount = amount WHERE year = $year AND month = $month"
done
timed "VACUUM one table after a month's updates" "VACUUM bench_part.flat"
timed "VACUUM the year's partition after the same updates" "VACUUM bench_part.by_year_$year"
timed "removing the year $first: DELETE from one table" "DELETE FROM bench_part.flat WHERE year = $first"
timed "… and the VACUUM that reclaims it" "VACUUM bench_part.flat"
timed "removing the year $first: DROP its partition" "DROP TABLE bench_part.by_year_$first"

"${psql[@]}" -c "DROP SCHEMA bench_part CASCADE"
