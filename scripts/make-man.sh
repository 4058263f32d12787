#!/usr/bin/env bash
# Regenerates the committed man pages in docs/man/ (one per subcommand, plus prio.1) with
# swift-argument-parser's GenerateManual plugin, so that installing needs no plugin run.
# Usage: scripts/make-man.sh            (run it after changing a command, an option or a help text)
# The plugin builds the package in debug mode (the build the tests use) and reads the commands
# from `prio --experimental-dump-help`. The pages carry the date of the last commit that
# touched Sources/prio, so regenerating an unchanged command line gives the same bytes.
# InstallTests checks that every subcommand has its page and that each page names the
# command's abstract and options.
set -euo pipefail
cd "$(dirname "$0")/.."

out=docs/man
date=$(git log -1 --format=%cs -- Sources/prio 2>/dev/null || true)
[ -n "$date" ] || date=$(date -u +%F)

generated=.build/plugins/GenerateManual/outputs/prio
# The plugin adds to its output folder: start from an empty one, so a removed command leaves no page.
rm -rf -- "$generated"
swift package --disable-sandbox plugin generate-manual --configuration debug --multi-page --date "$date"

bin=$(swift build --show-bin-path)
# The generator keeps ASCII only: a help text with another character would lose it silently.
if "$bin/prio" --experimental-dump-help | LC_ALL=C grep -o '.\{0,40\}[^ -~]\+.\{0,40\}' >&2; then
    echo "make-man.sh: the help texts above hold a non-ASCII character, which the man page generator drops" >&2
    exit 1
fi

[ -f "$generated/prio.1" ] || { echo "make-man.sh: the plugin wrote no $generated/prio.1" >&2; exit 1; }
mkdir -p -- "$out"
# A page for a command that is gone goes with it.
rm -f -- "$out"/prio.1 "$out"/prio.*.1
cp -- "$generated"/*.1 "$out"/
# The generator ends each page without a newline; a text file ends with one.
for page in "$out"/*.1; do
    [ -z "$(tail -c 1 -- "$page")" ] || printf '\n' >> "$page"
done
echo "Wrote $(find "$out" -name '*.1' | wc -l) pages to $out/ (dated $date)"
