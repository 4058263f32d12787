#!/usr/bin/env bash
# Times the interactive screen through a real pseudo-terminal at 100,000 stories (issue 10):
# the first frame and key-to-screen latency, as a terminal sees them (see docs/BENCHMARKS.md,
# "Through a real terminal"). Needs python3 (standard library only).
# Usage: scripts/bench-terminal.sh [RUNS] [KEYS]   (PRIO=/path/to/prio times another build;
#        SIZES="120x40 200x50" and TERM_NAME=xterm-256color choose the terminal)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
keys=${2:-30}
if [ -z "${PRIO:-}" ]; then
    nice -n 10 swift build -c release --product prio >/dev/null
    PRIO=$PWD/.build/release/prio
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The same bytes every time (seed 42); 29.7 MB, so it lives in a temporary directory.
"$PRIO" generate --count 100000 "$work/big.md" >/dev/null 2>&1
# The same stories in 1,000 epics (S-100, S-200, ... each the parent of the 99 after it), for
# the fold scenarios.
awk '{ print } /^## S-[0-9]+ / { n = substr($2, 3) + 0; if (n > 100 && n % 100 != 0) print "- parent: S-" (n - n % 100) }' \
    "$work/big.md" > "$work/epics.md"
flat=(--scenario "j/k" --scenario "PgDn" --scenario "J/K" --scenario "J then u" --scenario "s (" --scenario ": go" --scenario "/ search")
for size in ${SIZES:-120x40 200x50}; do
    python3 scripts/bench-terminal.py "$PRIO" "$work/big.md" --size "$size" --runs "$runs" --keys "$keys" \
        --term "${TERM_NAME:-xterm-256color}" "${flat[@]}"
    echo
    python3 scripts/bench-terminal.py "$PRIO" "$work/epics.md" --size "$size" --runs "$runs" --keys "$keys" \
        --term "${TERM_NAME:-xterm-256color}" --scenario "z"
    echo
done
