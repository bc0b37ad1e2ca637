#!/usr/bin/env bash
# Which thread was busy when: the samples of a `perf record` run counted per
# thread in slices of a fifth of a second (at -F 999 a busy thread shows about
# 200 a slice). Shows where a pipelined load waits: two threads at half each
# take turns; one near 200 and the other low is the bottleneck and its feeder.
#
# Usage: perf record -F 999 -o perf.data -- <command>
#        scripts/perf-timeline.sh [perf.data] [slices per second, default 5]
set -euo pipefail
data=${1:-perf.data}
per_second=${2:-5}
perf script -i "$data" -F comm,tid,time 2>/dev/null | awk -v n="$per_second" '
{
  t = $3 + 0
  if (start == "") start = t
  slice = int((t - start) * n)
  thread = $1 "/" $2
  count[slice, thread]++
  threads[thread] = 1
  if (slice > last) last = slice
}
END {
  for (thread in threads) printf "%-24s", substr(thread, 1, 23)
  print ""
  for (s = 0; s <= last; s++) {
    for (thread in threads) printf "%-24d", count[s, thread]
    printf "t=%.1f\n", s / n
  }
}'
