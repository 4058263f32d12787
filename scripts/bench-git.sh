#!/usr/bin/env bash
# Times prio merge on two versions of a 100,000-story backlog and prio log over 1,000 commits of
# a 1,000-story backlog (issue 12); and rank, compare and matrix at 100,000 stories (issue 11).
# Usage: scripts/bench-git.sh [RUNS]   (PRIO=/path/to/prio times another build). Needs git, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
if [ -z "${PRIO:-}" ]; then
    nice -n 10 swift build -c release --product prio >/dev/null
    PRIO=$PWD/.build/release/prio
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() {  # label, command...: median wall seconds and peak KB over $runs runs
    local label=$1; shift
    for _ in $(seq "$runs"); do /usr/bin/time -f "%e %M" "$@" >/dev/null 2>>"$work/t"; done
    echo "$label: $(awk '{print $1}' "$work/t" | median) s, $(awk '{print $2}' "$work/t" | median) KB"
    rm -f "$work/t"
}
"$PRIO" generate --count 100000 "$work/big.md" >/dev/null
(printf '# Big\n\n- formula: delay = (value + time-criticality + risk-reduction) / size\n'; tail -n +2 "$work/big.md") > "$work/f.md"
timed "rank --strategy wsjf --top 10" "$PRIO" rank "$work/f.md" --strategy wsjf --top 10
timed "rank --strategy delay --top 10 (formula)" "$PRIO" rank "$work/f.md" --strategy delay --top 10
timed "compare (the five built-ins)" "$PRIO" compare "$work/big.md" --strategies manual,moscow,wsjf,value-effort,rice
timed "matrix --format json" "$PRIO" matrix "$work/big.md" --format json
# Merge: 200 value edits on our side, 200 effort edits and 50 moves to the top on theirs.
python3 - "$work" <<'PY'
import random, re, sys
work = sys.argv[1]
random.seed(7)
src = open(f'{work}/big.md').read()
head, *stories = src.split('\n## ')
def edit(items, which, field, value):
    out = list(items)
    for i in which:
        s = out[i]
        if f'\n- {field}:' in s:
            s = re.sub(rf'\n- {field}: [^\n]*', f'\n- {field}: {value}', s, count=1)
        else:
            lines = s.split('\n'); lines.insert(1, f'- {field}: {value}'); s = '\n'.join(lines)
        out[i] = s
    return out
n = len(stories)
ours = edit(stories, random.sample(range(n), 200), 'value', '77')
theirs = edit(stories, random.sample(range(n), 200), 'effort', '9')
moved = set(random.sample(range(1, n), 50))
theirs = [theirs[i] for i in sorted(moved)] + [theirs[i] for i in range(n) if i not in moved]
join = lambda parts: head + ''.join('\n## ' + p for p in parts)
open(f'{work}/ours.md', 'w').write(join(ours))
open(f'{work}/theirs.md', 'w').write(join(theirs))
PY
for _ in $(seq "$runs"); do
    cp "$work/ours.md" "$work/o.md"
    /usr/bin/time -f "%e %M" "$PRIO" merge "$work/big.md" "$work/o.md" "$work/theirs.md" b.md >/dev/null 2>>"$work/t" || true
done
echo "merge two 100k versions: $(grep -E '^[0-9.]+ [0-9]+$' "$work/t" | awk '{print $1}' | median) s, $(grep -E '^[0-9.]+ [0-9]+$' "$work/t" | awk '{print $2}' | median) KB"
rm -f "$work/t"
# Log: 1,000 commits, each changing one story's value.
mkdir "$work/repo"
"$PRIO" generate --count 1000 "$work/repo/b.md" >/dev/null
git -C "$work/repo" init -q
git -C "$work/repo" add b.md
git -C "$work/repo" -c user.name=A -c user.email=a@b commit -qm c0
python3 - "$work/repo" <<'PY'
import random, re, subprocess, sys
repo = sys.argv[1]
random.seed(3)
for c in range(1, 1000):
    path = f'{repo}/b.md'
    s = open(path).read()
    n = random.randint(1, 1000)
    value = random.randint(1, 40)
    s2, k = re.subn(rf'(## S-{n} [^\n]*\n(?:- [^\n]*\n)*?)- value: [^\n]*', rf'\g<1>- value: {value}', s, count=1)
    s = s2 if k else re.sub(rf'(## S-{n} [^\n]*\n)', rf'\g<1>- value: {value}\n', s, count=1)
    open(path, 'w').write(s)
    subprocess.run(['git', '-c', 'user.name=A', '-c', 'user.email=a@b', 'commit', '-qam', f'c{c}'], cwd=repo)
PY
timed "log S-500 over 1,000 commits of 1,000 stories" "$PRIO" log "$work/repo/b.md" S-500 --strategy wsjf
