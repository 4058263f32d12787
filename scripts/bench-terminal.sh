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
for size in ${SIZES:-120x40 200x50}; do
    python3 scripts/bench-terminal.py "$PRIO" "$work/big.md" --size "$size" --runs "$runs" --keys "$keys" \
        --term "${TERM_NAME:-xterm-256color}"
    echo
done
