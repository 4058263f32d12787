#!/usr/bin/env bash
# Times prio forecast --from-git (issue 29) on a history of 1,000 commits over a 1,000-story
# backlog spanning 455 days (a 90-day window and a year of weeks before today): --when, --by,
# and --backtest. Usage: scripts/bench-forecast-git.sh [RUNS]   (PRIO=/path/to/prio times
# another build). Needs git and python3.
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
mkdir "$work/repo"
"$PRIO" generate --count 1000 "$work/g.md" >/dev/null
# 1,000 commits from 2025-09-01 to 2026-11-29 (455 days), written with git fast-import: each
# commit sets one random story's status (done three times out of four, else in-progress, so some
# are reopened), and one in ten adds a story.
python3 - "$work" <<'PY'
import random, re, sys, datetime
work = sys.argv[1]
random.seed(29)
src = open(f'{work}/g.md').read()
head, *stories = src.split('\n## ')
stories = [re.sub(r'\n- status: [^\n]*', '', s) for s in stories]
status = ['todo'] * len(stories)
def text():
    parts = []
    for s, st in zip(stories, status):
        lines = s.split('\n')
        lines.insert(1, f'- status: {st}')
        parts.append('\n## ' + '\n'.join(lines))
    return (head + ''.join(parts)).encode()
out = open(f'{work}/stream', 'wb')
start = datetime.datetime(2025, 9, 1, 12, tzinfo=datetime.timezone.utc)
for c in range(1000):
    if c > 0:
        i = random.randrange(len(stories))
        status[i] = 'done' if random.random() < 0.75 else 'in-progress'
        if c % 10 == 0:
            stories.append(f'S-{5000 + c} Added story {c}\n- points: 3\n')
            status.append('todo')
    when = int((start + datetime.timedelta(days=455 * c / 1000)).timestamp())
    data = text()
    out.write(b'commit refs/heads/main\n')
    out.write(f'committer A <a@b> {when} +0000\n'.encode())
    msg = f'c{c}'.encode()
    out.write(b'data %d\n%s\n' % (len(msg), msg))
    out.write(b'M 100644 inline b.md\ndata %d\n%s\n' % (len(data), data))
out.close()
PY
git -C "$work/repo" init -q -b main
git -C "$work/repo" fast-import --quiet < "$work/stream"
git -C "$work/repo" checkout -q main
export PRIO_TODAY=2026-11-29
echo "history: $(git -C "$work/repo" rev-list --count HEAD) commits, $(grep -c '^## ' "$work/repo/b.md") stories"
timed "forecast --from-git --when (1,000 commits)" "$PRIO" forecast "$work/repo/b.md" --from-git --when --seed 1
timed "forecast --from-git --by (1,000 commits)" "$PRIO" forecast "$work/repo/b.md" --from-git --by 2027-03-01 --seed 1
timed "forecast --from-git --backtest (a year of weeks, horizons 14,28,56)" "$PRIO" forecast "$work/repo/b.md" --from-git --backtest --seed 1
"$PRIO" forecast "$work/repo/b.md" --from-git --when --seed 1
"$PRIO" forecast "$work/repo/b.md" --from-git --backtest --seed 1
