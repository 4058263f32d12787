#!/usr/bin/env bash
# Checks that no single thing in a file costs more than linear time (issue 24, item 9): for
# each shape, times a command at size N and 2N (best of 3) and fails when the time grows more
# than 2.6 times. Shapes: fields on one story, CSV columns, colliding IDs in a merge, votes on
# one line, stakeholders, formulas in compare.
# Usage: scripts/bench-linear.sh [SCALE]   SCALE divides the sizes (default 1; 4 for a quick run)
# Environment: PRIO=path/to/prio (default: the release build, else the debug build).
set -uo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1}
prio=${PRIO:-}
if [ -z "$prio" ]; then
    if [ -x .build/release/prio ]; then prio=$PWD/.build/release/prio; else prio=$PWD/.build/debug/prio; fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "prio: $prio"

# Seconds (best of 3) of a command line run in $work.
best() {
    python3 - "$@" <<'EOF'
import subprocess, sys, time
best = None
for _ in range(3):
    start = time.perf_counter()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
print(f"{best:.3f}")
EOF
}

# make_SHAPE N DIR: writes the inputs; run_SHAPE DIR: the command to time.
make_fields() {
    python3 - "$1" "$2" <<'EOF'
import sys
n, d = int(sys.argv[1]), sys.argv[2]
with open(f"{d}/backlog.md", "w") as f:
    f.write("# Fields\n\n## S-1 Many fields\n- value: 3\n- points: 2\n")
    for i in range(n): f.write(f"- custom-{i}: {i}\n")
EOF
}
run_fields() { (cd "$1" && best "$prio" rank --strategy value-effort); }

make_columns() {
    python3 - "$1" "$2" <<'EOF'
import sys
n, d = int(sys.argv[1]), sys.argv[2]
open(f"{d}/backlog.md", "w").write("# Columns\n")
with open(f"{d}/in.csv", "w") as f:
    f.write("Summary," + ",".join(f"c{i}" for i in range(n)) + "\n")
    f.write("One," + ",".join(str(i) for i in range(n)) + "\n")
EOF
}
run_columns() { (cd "$1" && best sh -c "cp backlog.md b.md && '$prio' import b.md --from csv in.csv"); }

make_collisions() {
    python3 - "$1" "$2" <<'EOF'
import sys
n, d = int(sys.argv[1]), sys.argv[2]
base = "# Merge\n\n## S-1 Base\n- value: 1\n"
open(f"{d}/base.md", "w").write(base)
with open(f"{d}/ours.md", "w") as f:
    f.write(base)
    for i in range(2, n + 2): f.write(f"\n## S-{i} Ours {i}\n- value: 1\n")
with open(f"{d}/theirs.md", "w") as f:
    f.write(base)
    for i in range(2, n + 2): f.write(f"\n## S-{i} Theirs {i}\n- value: 2\n")
EOF
}
run_collisions() { (cd "$1" && best sh -c "cp ours.md o.md && '$prio' merge -- base.md o.md theirs.md b.md"); }

make_votes() {
    python3 - "$1" "$2" <<'EOF'
import sys
n, d = int(sys.argv[1]), sys.argv[2]
with open(f"{d}/backlog.md", "w") as f:
    f.write("# Votes\n\n## S-1 Voted\n- points: 2\n- value-votes: " + ", ".join(f"v{i} {i % 20 + 1}" for i in range(n)) + "\n")
EOF
}
run_votes() { (cd "$1" && best "$prio" rank --strategy value-effort); }

make_stakeholders() {
    python3 - "$1" "$2" <<'EOF'
import sys
n, d = int(sys.argv[1]), sys.argv[2]
with open(f"{d}/backlog.md", "w") as f:
    f.write("# Stakeholders\n\n")
    for i in range(n): f.write(f"- stakeholder: s{i} | weight {i % 5 + 1}\n")
    f.write("\n## S-1 Voted\n- points: 2\n- value-votes: " + ", ".join(f"s{i} {i % 20 + 1}" for i in range(0, n, 50)) + "\n")
EOF
}
run_stakeholders() { (cd "$1" && best "$prio" rank --strategy value-effort); }

make_formulas() {
    python3 - "$1" "$2" <<'EOF'
import sys
n, d = int(sys.argv[1]), sys.argv[2]
with open(f"{d}/backlog.md", "w") as f:
    f.write("# Formulas\n\n")
    for i in range(n): f.write(f"- formula: f{i} = value * {i + 1} / points\n")
    for s in range(1, 21): f.write(f"\n## S-{s} Story\n- value: {s}\n- points: {s % 7 + 1}\n")
EOF
}
run_formulas() { (cd "$1" && best "$prio" compare); }

status=0
for shape in "fields 10000" "columns 8000" "collisions 20000" "votes 50000" "stakeholders 50000" "formulas 2000"; do
    read -r name size <<< "$shape"
    size=$((size / scale))
    small=$work/$name-1; large=$work/$name-2
    mkdir -p "$small" "$large"
    "make_$name" "$size" "$small"
    "make_$name" $((size * 2)) "$large"
    t1=$("run_$name" "$small"); t2=$("run_$name" "$large")
    ratio=$(python3 -c "print(f'{$t2 / max($t1, 0.001):.2f}')")
    verdict=ok
    if python3 -c "import sys; sys.exit(0 if $t2 / max($t1, 0.001) <= 2.6 else 1)"; then :; else verdict=FAIL; status=1; fi
    printf '%-12s %7d: %7ss   %7d: %7ss   x%-5s %s\n' "$name" "$size" "$t1" $((size * 2)) "$t2" "$ratio" "$verdict"
done
exit $status
