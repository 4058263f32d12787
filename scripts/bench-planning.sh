#!/usr/bin/env bash
# Times `prio plan` and `prio forecast` as whole processes on the planning shapes of issue 8:
# median wall time and peak memory per command and shape.
# Usage: scripts/bench-planning.sh [RUNS] [TIMEOUT_SECONDS]   (needs GNU time at /usr/bin/time)
# PRIO=/path/to/prio times another binary (an older build, for a before/after comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
limit=${2:-900}
if [ -z "${PRIO:-}" ]; then
    swift build -c release --product prio >/dev/null
    PRIO=$PWD/.build/release/prio
fi
swift build -c release --package-path Benchmarks --product planning-shapes >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
Benchmarks/.build/release/planning-shapes "$work" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for shape in generated chain fan-in fan-out sprints; do
    for command in plan forecast; do
        times=() mems=()
        for _ in $(seq "$runs"); do
            if ! /usr/bin/time -f "%e %M" -o "$work/t" timeout "$limit" "$PRIO" "$command" "$work/$shape.md" >/dev/null 2>&1; then
                echo "prio $command $shape: failed or over ${limit}s"
                continue 2
            fi
            read -r t m < "$work/t"
            times+=("$t"); mems+=("$m")
        done
        mt=$(printf '%s\n' "${times[@]}" | median)
        mm=$(printf '%s\n' "${mems[@]}" | median)
        awk -v l="prio $command ($shape)" -v t="$mt" -v m="$mm" -v r="$runs" \
            'BEGIN { printf "%-32s median %8.0f ms   peak RSS median %5.0f MB   (%d runs)\n", l, t * 1000, m / 1024, r }'
    done
done
