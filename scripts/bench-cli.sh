#!/usr/bin/env bash
# Times whole `prio` processes at 100,000 stories: median wall time and peak memory.
# Usage: scripts/bench-cli.sh [RUNS]   (needs GNU time at /usr/bin/time: apt-get install time)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
swift build -c release --product prio >/dev/null
prio=$PWD/.build/release/prio
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$prio" generate --count 100000 "$work/big.md" 2>/dev/null
"$prio" generate --count 100000 --kind csv "$work/big.csv" 2>/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() {
    local label=$1; shift
    local times=() mems=()
    for _ in $(seq "$runs"); do
        [ -n "${SETUP:-}" ] && eval "$SETUP"
        /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1
        read -r t m < "$work/t"
        times+=("$t"); mems+=("$m")
    done
    local mt mm
    mt=$(printf '%s\n' "${times[@]}" | median)
    mm=$(printf '%s\n' "${mems[@]}" | median)
    awk -v l="$label" -v t="$mt" -v m="$mm" -v r="$runs" \
        'BEGIN { printf "%-48s median %6.0f ms   peak RSS median %5.0f MB   (%d runs)\n", l, t * 1000, m / 1024, r }'
}

measure "prio rank --strategy wsjf --top 10 (100k)" "$prio" rank "$work/big.md" --strategy wsjf --top 10
# The yardstick of issue 11: the same WSJF top 10 in standard-library Python, from a CSV of the
# same stories in manual order, in the same run (Taskwarrior is not on this machine).
"$prio" export "$work/big.md" --format csv --all --strategy manual \
    --columns id,title,status,value,time-criticality,risk-reduction,points,size -o "$work/wsjf.csv" 2>/dev/null
measure "python3 scripts/wsjf-top10.py (the same top 10)" python3 scripts/wsjf-top10.py "$work/wsjf.csv"
diff <("$prio" rank "$work/big.md" --strategy wsjf --top 10 --format json | python3 -c \
    'import json,sys; print("\n".join(s["id"] for s in json.load(sys.stdin)["stories"]))') \
    <(python3 scripts/wsjf-top10.py "$work/wsjf.csv" | cut -f1) >/dev/null \
    && echo "(the Python top 10 is prio's, in the same order)" || echo "(the Python top 10 differs from prio's)"
measure "prio check (100k)" "$prio" check "$work/big.md"
measure "prio export --format csv --top 10 (100k)" "$prio" export "$work/big.md" --format csv --top 10
SETUP="\"$prio\" init --name Import \"$work/imp.md\" >/dev/null 2>&1 || true; rm -f \"$work/imp.md\"; \"$prio\" init --name Import \"$work/imp.md\" >/dev/null" \
    measure "prio import --from csv (100k rows)" "$prio" import "$work/imp.md" --from csv "$work/big.csv"
SETUP="" measure "prio set (one field, 100k)" "$prio" set "$work/big.md" S-50000 value=8
