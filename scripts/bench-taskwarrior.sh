#!/usr/bin/env bash
# The Taskwarrior yardstick of issue 11, in one run: `prio rank --strategy wsjf --top 10` against
# Taskwarrior's `task next limit:10` on the same 100,000 stories (titles, status, MoSCoW as
# priority, tags), and `prio import` of 100,000 CSV rows against `task import` of the same
# tasks. Runs alternate, medians of RUNS each; a stdlib-Python WSJF top 10 is timed alongside.
# Usage: scripts/bench-taskwarrior.sh [RUNS]   (PRIO=/path/to/prio times another build)
# Needs Taskwarrior (`apt-get install taskwarrior`) and python3; Taskwarrior's data goes to a
# temporary folder, never to ~/.task.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
command -v task >/dev/null || { echo "Taskwarrior is not installed (apt-get install taskwarrior)" >&2; exit 2; }
if [ -z "${PRIO:-}" ]; then
    nice -n 10 swift build -c release --product prio >/dev/null
    PRIO=$PWD/.build/release/prio
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PRIO" generate --count 100000 "$work/big.md" >/dev/null
"$PRIO" generate --count 100000 --kind csv "$work/big.csv" >/dev/null 2>&1
"$PRIO" export "$work/big.md" --format json --all --strategy manual --columns id,title,status,moscow,tags \
    -o "$work/big.json" >/dev/null 2>&1
"$PRIO" export "$work/big.md" --format csv --all --strategy manual \
    --columns id,title,status,value,time-criticality,risk-reduction,points,size -o "$work/wsjf.csv" >/dev/null 2>&1
# The same stories as Taskwarrior tasks: done ones completed, MoSCoW as priority (H/M/L).
python3 - "$work/big.json" "$work/tasks.json" <<'PY'
import json, random, sys, uuid
random.seed(1)
priority = {"must": "H", "should": "M", "could": "L"}
with open(sys.argv[2], "w") as out:
    for s in json.load(open(sys.argv[1])):
        t = {"uuid": str(uuid.UUID(int=random.getrandbits(128), version=4)), "description": s["title"],
             "status": "completed" if s["status"] == "done" else "pending", "entry": "20260101T000000Z", "project": "shop"}
        if s["status"] == "done": t["end"] = "20260102T000000Z"
        if s.get("moscow") in priority: t["priority"] = priority[s["moscow"]]
        if s.get("tags"): t["tags"] = sorted(set(s["tags"]))
        out.write(json.dumps(t) + "\n")
PY
mkdir "$work/task"
printf 'data.location=%s\nconfirmation=off\n' "$work/task" > "$work/taskrc"
export TASKRC=$work/taskrc
python3 -c 'import subprocess, sys, time
t = time.perf_counter()
subprocess.run(["task", "import", sys.argv[1]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(f"task import of 100,000 tasks (once): {(time.perf_counter() - t) * 1000:.0f} ms")' "$work/tasks.json"
task next limit:10 >/dev/null 2>&1  # once, so that later runs find the data as they will
python3 - "$runs" "$PRIO" "$work" <<'PY'
import os, statistics, subprocess, sys, tempfile, time
runs, prio, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
commands = {
    "prio rank --strategy wsjf --top 10": [prio, "rank", f"{work}/big.md", "--strategy", "wsjf", "--top", "10"],
    "task next limit:10": ["task", "next", "limit:10"],
    "python3 scripts/wsjf-top10.py": ["python3", "scripts/wsjf-top10.py", f"{work}/wsjf.csv"],
}
times = {name: [] for name in commands}
for _ in range(runs):
    for name, argv in commands.items():
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times[name].append(time.perf_counter() - t)
median = {name: statistics.median(v) for name, v in times.items()}
for name, m in median.items():
    print(f"{name:40s} median {m * 1000:7.0f} ms")
p = median["prio rank --strategy wsjf --top 10"]
print(f"prio is {median['task next limit:10'] / p:.1f}x faster than task next, {median['python3 scripts/wsjf-top10.py'] / p:.1f}x than Python")
# Import: prio import of the CSV into a new backlog each time (task import of 100,000 tasks is
# timed once above: it adds to its data, so it cannot be repeated as is).
imports = []
for _ in range(runs):
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([prio, "init", "--name", "Import", f"{d}/imp.md"], stdout=subprocess.DEVNULL, check=True)
        t = time.perf_counter()
        subprocess.run([prio, "import", f"{d}/imp.md", "--from", "csv", f"{work}/big.csv"], stdout=subprocess.DEVNULL, check=True)
        imports.append(time.perf_counter() - t)
print(f"{'prio import --from csv (100,000 rows)':40s} median {statistics.median(imports) * 1000:7.0f} ms")
PY
