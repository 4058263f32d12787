#!/usr/bin/env bash
# Times `prio forecast --confidence` (10,000 trials) on a backlog of STORIES stories (1,000 by
# default) with six past sprints, against `prio rank --top 10` on the same file: median wall
# time of whole processes, interleaved, and the forecast's peak memory (GNU time).
# Usage: scripts/bench-forecast.sh [RUNS] [STORIES]   (needs python3, standard library only)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
count=${2:-1000}
swift build -c release --product prio >/dev/null
prio=${PRIO:-$PWD/.build/release/prio}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/b.md" "$count" <<'PY'
import random, sys
random.seed(1)
n = int(sys.argv[2])
out = ["# Forecast bench", ""]
for k in range(6):
    out.append(f"- sprint: Sprint {k + 1} | capacity 30 | 2026-{k // 2 + 1:02d}-{1 + 14 * (k % 2):02d} .. 2026-{k // 2 + 1:02d}-{12 + 14 * (k % 2):02d}")
out.append("")
for i in range(1, n + 1):
    out.append(f"## S-{i} Story {i}")
    out.append(f"- value: {random.choice([1, 2, 3, 5, 8, 13, 20])}")
    out.append(f"- points: {random.choice([1, 2, 3, 5, 8, 13])}")
    if i <= 60:
        out.append("- status: done")
        out.append(f"- sprint: Sprint {(i - 1) // 10 + 1}")
    elif i > 100 and random.random() < 0.2:
        out.append(f"- depends: S-{random.randint(61, i - 1)}")
    out.append("")
open(sys.argv[1], "w").write("\n".join(out))
PY
# The sprints above end in March 2026: forecast as of a day after them.
export PRIO_TODAY=2026-06-01
times=()
ranks=()
for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$prio" forecast "$work/b.md" --confidence --seed 1 >/dev/null
    mid=$(date +%s%N)
    "$prio" rank "$work/b.md" --top 10 >/dev/null
    end=$(date +%s%N)
    times+=($(( (mid - start) / 1000000 )))
    ranks+=($(( (end - mid) / 1000000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
forecast=$(median "${times[@]}")
rank=$(median "${ranks[@]}")
peak=$( { /usr/bin/time -f '%M' "$prio" forecast "$work/b.md" --confidence --seed 1 >/dev/null; } 2>&1 | tail -1)
echo "prio forecast --confidence (10,000 trials, $count stories): median $forecast ms; prio rank --top 10: $rank ms;" \
     "ratio $(awk -v f="$forecast" -v r="$rank" 'BEGIN {printf "%.1f", (r > 0 ? f / r : 0)}'); peak $((peak / 1024)) MB ($runs runs)"
