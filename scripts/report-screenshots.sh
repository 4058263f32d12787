#!/usr/bin/env bash
# The screenshots of the sample's report in docs/ (README, "The report"): the sample on its
# anchor day, seed 1, in Debian's headless Chromium at 1280 px (desktop) and 390 px (phone).
# Usage: scripts/report-screenshots.sh [PRIO_BINARY]   (default: .build/debug/prio)
set -euo pipefail
cd "$(dirname "$0")/.."
prio=${1:-.build/debug/prio}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRIO_TODAY=2026-12-09
"$prio" init --sample "$work/backlog.md" >/dev/null 2>&1
"$prio" report "$work/backlog.md" -o "$work/report.html" --seed 1 2>/dev/null
shot() { # width height file [#section]
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$work/profile-$1" --window-size="$1,$2" --screenshot="$3" \
        "file://$work/report.html${4:-}" >/dev/null 2>&1
}
shot 1280 1800 docs/report-desktop.png
shot 1280 1800 docs/report-charts.png "#forecast"
shot 1280 1500 docs/report-matrix.png "#value-effort"
shot 390 1600 docs/report-phone.png
echo "wrote docs/report-desktop.png, report-charts.png, report-matrix.png and report-phone.png"
