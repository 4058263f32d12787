#!/usr/bin/env bash
# Times `prio report` (issue 26): on the sample, and on a backlog of STORIES stories (100,000
# by default, six past sprints) against its budget there: one `prio forecast --confidence`
# plus ten `prio rank --top 10` on the same file. Medians of whole processes, interleaved;
# the page's size. Release build.
# Usage: scripts/bench-report.sh [RUNS] [STORIES]   (needs python3, standard library only)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
count=${2:-100000}
prio=${PRIO:-$PWD/.build/release/prio}
[ -x "$prio" ] || swift build -c release --product prio >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/b.md" "$count" <<'PY'
import random, sys
random.seed(1)
n = int(sys.argv[2])
out = ["# Report bench", "", "- stakeholder: alice | weight 2", "- stakeholder: bob"]
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
    if i % 50 == 0:
        out.append(f"- value-votes: alice {random.choice([1, 3, 8, 13])}, bob {random.choice([1, 3, 8, 13])}")
    out.append("")
open(sys.argv[1], "w").write("\n".join(out))
PY
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { local start end; start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N); echo $(( (end - start) / 1000000 )); }

# The sample on its anchor day.
PRIO_TODAY=2026-12-09 "$prio" init --sample "$work/sample.md" >/dev/null 2>&1
sample=()
for _ in $(seq "$runs"); do sample+=("$(PRIO_TODAY=2026-12-09 ms "$prio" report "$work/sample.md" -o "$work/sample.html")")
done
echo "sample: report $(median "${sample[@]}") ms (median of $runs), page $(wc -c < "$work/sample.html") bytes"

# The big backlog, as of a day after its sprints.
export PRIO_TODAY=2026-06-01
reports=() forecasts=() ranks=()
for _ in $(seq "$runs"); do
    reports+=("$(ms "$prio" report "$work/b.md" -o "$work/b.html")")
    forecasts+=("$(ms "$prio" forecast "$work/b.md" --confidence --seed 1)")
    ranks+=("$(ms "$prio" rank "$work/b.md" --top 10)")
done
r=$(median "${reports[@]}"); f=$(median "${forecasts[@]}"); k=$(median "${ranks[@]}")
echo "$count stories: report $r ms; forecast --confidence $f ms; rank --top 10 $k ms; budget (forecast + 10 x rank) $(( f + 10 * k )) ms; page $(wc -c < "$work/b.html") bytes"
