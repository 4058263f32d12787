#!/usr/bin/env bash
# Times `prio import --update` of 100,000 rows into a 100,000-story backlog that imported the
# same source before, against a plain `prio import` of the same rows into an empty backlog:
# median wall time and peak memory of whole processes, the runs interleaved.
# Usage: scripts/bench-import-update.sh [RUNS]   (needs GNU time at /usr/bin/time and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
swift build -c release --product prio >/dev/null
prio=${PRIO:-$PWD/.build/release/prio}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The source: 100,000 generated rows with IDs (prio's own CSV export of them).
"$prio" generate --count 100000 --kind csv "$work/gen.csv" 2>/dev/null
"$prio" init "$work/gen.md" >/dev/null
"$prio" import "$work/gen.md" --from csv "$work/gen.csv" >/dev/null
"$prio" export "$work/gen.md" --format csv --all --strategy manual -o "$work/week1.csv" 2>/dev/null
# A week later: every 10th row re-estimated, every 50th re-titled, every 100th gone, 1,000 new.
python3 - "$work/week1.csv" "$work/week2.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head, body = rows[0], rows[1:]
pts, title, ident = head.index("points"), head.index("title"), head.index("id")
out = [head]
for n, row in enumerate(body):
    if n % 100 == 99: continue
    if n % 10 == 0: row[pts] = str(int(row[pts] or "0") + 1)
    if n % 50 == 0: row[title] += " (renamed)"
    out.append(row)
for k in range(1000):
    row = list(body[k]); row[ident] = f"S-{100001 + k}"; row[title] = f"New story {k}"; out.append(row)
csv.writer(open(sys.argv[2], "w", newline="")).writerows(out)
PY
# The backlog that imported week 1 with --update (and its base beside it).
"$prio" init "$work/ready.md" >/dev/null
"$prio" import "$work/ready.md" --update --from csv "$work/week1.csv" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A times mems
labels=()
run() {
    local label=$1 setup=$2; shift 2
    eval "$setup"
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1
    read -r t m < "$work/t"
    times[$label]+="$t "; mems[$label]+="$m "
}
fresh="rm -f \"$work\"/b.md \"$work\"/b.imported.md; \"$prio\" init \"$work/b.md\" >/dev/null"
ready="cp \"$work/ready.md\" \"$work/b.md\"; cp \"$work/ready.imported.md\" \"$work/b.imported.md\""
labels=("plain import, 100k rows into an empty backlog" "--update, the same 100k rows again (0 changes)"
        "--update, a week later (10k re-estimated, 1k gone, 1k new)" "--update, first import (100k added, base written)")
for _ in $(seq "$runs"); do
    run "${labels[0]}" "$fresh" "$prio" import "$work/b.md" --from csv "$work/week1.csv"
    run "${labels[1]}" "$ready" "$prio" import "$work/b.md" --update --from csv "$work/week1.csv"
    run "${labels[2]}" "$ready" "$prio" import "$work/b.md" --update --from csv "$work/week2.csv"
    run "${labels[3]}" "$fresh" "$prio" import "$work/b.md" --update --from csv "$work/week1.csv"
done
for label in "${labels[@]}"; do
    mt=$(printf '%s\n' ${times[$label]} | median)
    mm=$(printf '%s\n' ${mems[$label]} | median)
    awk -v l="$label" -v t="$mt" -v m="$mm" -v r="$runs" \
        'BEGIN { printf "%-60s median %6.0f ms   peak RSS median %5.0f MB   (%d runs)\n", l, t * 1000, m / 1024, r }'
done
