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
# A copy of the page without the sections before `from` (a style rule added to the copy), to
# show the charts further down (Chromium's screenshot shows the top of the window only).
from() { # section-ids-to-hide copy
    sed "s|</head>|<style>$1{display:none}</style></head>|" "$work/report.html" > "$work/$2"
}
shot() { # width height file [page]
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$work/profile-$1" --window-size="$1,$2" --screenshot="$3" \
        "file://$work/${4:-report.html}" >/dev/null 2>&1
}
from "header,#roadmap,#top" charts.html
from "header,#roadmap,#top,#forecast,#burn-up" matrix.html
shot 1280 1800 docs/report-desktop.png
shot 1280 1700 docs/report-charts.png charts.html
shot 1280 1400 docs/report-matrix.png matrix.html
shot 390 1600 docs/report-phone.png
echo "wrote docs/report-desktop.png, report-charts.png, report-matrix.png and report-phone.png"
