#!/usr/bin/env bash
# Two builds of prio, one run: are the outputs byte-identical, and what does each whole-process
# figure cost in each? The way a speed trick earns its place (issue 25): build with and without
# it, then `scripts/bench-compare.sh OLD_PRIO NEW_PRIO [RUNS]`.
#
# Outputs (stdout and exit status, with PRIO_TODAY fixed) are compared on the sample and on a
# generated 100,000-story file for rank, check, export, plan, forecast (plain and Monte Carlo)
# and merge; any difference is printed and makes the script exit 1. Timings alternate between
# the builds, RUNS each (default 11); medians, and NEW/OLD as a ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 runs=${3:-11}
export PRIO_TODAY=${PRIO_TODAY:-2026-12-09}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$new" generate --count 100000 "$work/big.md" >/dev/null 2>&1
# A 100k file with sprints, for the planning commands: the sample's header over the generated stories.
"$new" init --sample "$work/sample.md" >/dev/null 2>&1 || cp Resources/sample-backlog.md "$work/sample.md"
sed -n '1,/^## /p' "$work/sample.md" | sed '$d' > "$work/planned.md"
sed -n '/^## /,$p' "$work/big.md" >> "$work/planned.md"
# A three-way merge at 100k: a value changed on each side, a story added on one.
cp "$work/big.md" "$work/base.md"
sed '0,/^- value: .*/s//- value: 99/' "$work/big.md" > "$work/ours.md"
{ cat "$work/big.md"; printf '\n## S-900001 Added on their side\n- value: 3\n'; } > "$work/theirs.md"

commands=(
    "rank --strategy wsjf --top 10|FILE"
    "rank --strategy value-effort --format json|FILE"
    "check|FILE"
    "compare --strategies wsjf,rice --top 20|FILE"
    "export --format csv --top 500|FILE"
    "export --format json --top 50|FILE"
    "plan|PLANNED"
    "forecast|PLANNED"
    "forecast --confidence --seed 7 --trials 2000|PLANNED"
)

# Outputs: every command on the sample and on the big file.
different=0
compare_outputs() {
    local label=$1; shift
    local a b sa sb
    a=$("$old" "$@" 2>&1) && sa=0 || sa=$?
    b=$("$new" "$@" 2>&1) && sb=0 || sb=$?
    if [ "$a" != "$b" ] || [ "$sa" != "$sb" ]; then
        echo "DIFFERENT: $label (exit $sa vs $sb)"
        diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -10
        different=1
    fi
}
for spec in "${commands[@]}"; do
    args=${spec%|*} which=${spec#*|}
    read -r -a argv <<< "$args"
    sub=${argv[0]} rest=("${argv[@]:1}")
    compare_outputs "$args (sample)" "$sub" "$work/sample.md" "${rest[@]}"
    if [ "$which" = FILE ]; then file=$work/big.md; else file=$work/planned.md; fi
    compare_outputs "$args (100k)" "$sub" "$file" "${rest[@]}"
done
for who in old new; do
    bin=$old; [ $who = new ] && bin=$new
    cp "$work/ours.md" "$work/merged-$who.md"
    "$bin" merge -- "$work/base.md" "$work/merged-$who.md" "$work/theirs.md" big.md >/dev/null 2>&1 || true
done
cmp -s "$work/merged-old.md" "$work/merged-new.md" || { echo "DIFFERENT: merge (100k)"; different=1; }
[ $different = 0 ] && echo "outputs: byte-identical (${#commands[@]} commands on the sample and at 100k, and merge)"

# Timings, alternating.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s%N; }
time_pair() {
    local label=$1; shift
    local to=() tn=()
    for _ in $(seq "$runs"); do
        for who in old new; do
            bin=$old; [ $who = new ] && bin=$new
            [ -n "${SETUP:-}" ] && eval "$SETUP"
            s=$(now); "$bin" "$@" >/dev/null 2>&1 || true; e=$(now)
            if [ $who = old ]; then to+=($(( (e - s) / 1000 ))); else tn+=($(( (e - s) / 1000 ))); fi
        done
    done
    local mo mn
    mo=$(printf '%s\n' "${to[@]}" | median) mn=$(printf '%s\n' "${tn[@]}" | median)
    awk -v l="$label" -v o="$mo" -v n="$mn" -v r="$runs" \
        'BEGIN { printf "%-44s old %7.1f ms  new %7.1f ms  new/old %.2f  (%d runs each)\n", l, o / 1000, n / 1000, n / o, r }'
}
time_pair "rank --top 10 (100k)" rank "$work/big.md" --strategy wsjf --top 10
time_pair "check (100k)" check "$work/big.md"
time_pair "compare wsjf,rice --top 20 (100k)" compare "$work/big.md" --strategies wsjf,rice --top 20
time_pair "export csv --top 500 (100k)" export "$work/big.md" --format csv --top 500
SETUP='cp "$work/ours.md" "$work/m.md"' time_pair "merge (100k)" merge -- "$work/base.md" "$work/m.md" "$work/theirs.md" big.md
exit $different
