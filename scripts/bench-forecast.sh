#!/usr/bin/env bash
# Times `prio forecast --confidence` (10,000 trials) on a 1,000-story backlog with six past
# sprints: median wall time of whole processes. Usage: scripts/bench-forecast.sh [RUNS]
# (needs python3, standard library only).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
swift build -c release --product prio >/dev/null
prio=${PRIO:-$PWD/.build/release/prio}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/b.md" <<'PY'
import random, sys
random.seed(1)
out = ["# Forecast bench", ""]
for k in range(6):
    out.append(f"- sprint: Sprint {k + 1} | capacity 30 | 2026-{k // 2 + 1:02d}-{1 + 14 * (k % 2):02d} .. 2026-{k // 2 + 1:02d}-{12 + 14 * (k % 2):02d}")
out.append("")
n = 1000
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
times=()
for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$prio" forecast "$work/b.md" --confidence --seed 1 >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk -v r="$runs" '{a[NR]=$1} END {printf "prio forecast --confidence (10,000 trials, 1,000 stories): median %d ms, min %d, max %d (%d runs)\n", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR], r}'
