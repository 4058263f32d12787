#!/usr/bin/env bash
# Fuzzes the engine's parsers with libFuzzer (see Fuzz/).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   targets: backlog csv json formula merge (default: all)
#   scripts/fuzz.sh 5          smoke run, 5 seconds per target
#   scripts/fuzz.sh 240 csv    four minutes on the CSV importer
# Environment: OPT=-Onone to build without optimisation (faster to compile, slower to run);
#   FUZZ_RUNS=N for N runs from seed 1 instead of a time budget (repeatable smoke runs).
# Builds into .build-fuzz/, fuzzes a copy of Fuzz/Corpus/<target> in .build-fuzz/corpus/<target>,
# and exits non-zero after printing the path of the crashing input when a target fails.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
# libFuzzer reads -max_total_time=0 as "no limit": insist on a positive number.
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "SECONDS_PER_TARGET must be a positive integer, got '$seconds'" >&2; exit 2; }
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(backlog csv json formula merge)
opt=${OPT:--O}
out=$PWD/.build-fuzz
swiftc=${SWIFTC:-$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)}
mkdir -p "$out"
# Swift's backtracer would slow every crash down (and can outlive the fuzzer); libFuzzer reports.
export SWIFT_BACKTRACE=enable=no
# Fixed hashing, so that a run from a fixed seed takes the same paths every time.
export SWIFT_DETERMINISTIC_HASHING=1

# SwiftPM generates PackageResources for `.embedInCode`; the fuzz build makes its own.
resources=$out/PackageResources.swift
{
    echo "enum PackageResources {"
    printf '    static let sample_backlog_md: [UInt8] = ['
    od -An -v -tu1 Sources/PrioEngine/sample-backlog.md | tr -s ' \n' ',' | sed 's/^,//; s/,$//'
    echo "]"
    echo "}"
} > "$resources.tmp" && mv "$resources.tmp" "$resources"

mapfile -t sources < <(find Sources/PrioEngine -name '*.swift' | sort)

target_file() {
    case $1 in
        backlog) echo Fuzz/FuzzBacklog.swift ;;
        csv) echo Fuzz/FuzzCSV.swift Fuzz/ImportCheck.swift ;;
        json) echo Fuzz/FuzzJSON.swift Fuzz/ImportCheck.swift ;;
        formula) echo Fuzz/FuzzFormula.swift ;;
        merge) echo Fuzz/FuzzMerge.swift ;;
        *) echo "unknown target '$1' (known: backlog csv json formula merge)" >&2; return 1 ;;
    esac
}

max_len() {
    case $1 in
        backlog) echo 65536 ;;
        formula) echo 4096 ;;
        *) echo 16384 ;;
    esac
}

# Build (only when a source changed since the last build).
for target in "${targets[@]}"; do
    files_=$(target_file "$target") || exit 2
    read -r -a files <<< "$files_"
    binary=$out/fuzz-$target
    if [ -x "$binary" ] && [ -z "$(find "${files[@]}" "${sources[@]}" "$0" -newer "$binary" -print -quit)" ]; then
        continue
    fi
    echo "== building fuzz-$target ($opt)"
    "$swiftc" -sanitize=fuzzer,address -parse-as-library "$opt" -module-name PrioEngine -package-name prio \
        -swift-version 6 "${files[@]}" "${sources[@]}" "$resources" \
        -o "$binary.tmp" 2>&1 \
        | grep -v "warning: Cannot export local symbol '__asan"
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "build of fuzz-$target failed" >&2; exit 2; }
    mv "$binary.tmp" "$binary"
done

# Run.
status=0
summary=()
for target in "${targets[@]}"; do
    corpus=$out/corpus/$target
    artifacts=$out/artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    cp -n Fuzz/Corpus/"$target"/* "$corpus"/ 2>/dev/null || true
    log=$out/fuzz-$target.log
    echo "== fuzzing $target for ${seconds}s (log: $log)"
    start=$(date +%s)
    # FUZZ_RUNS=N: a fixed number of runs from a fixed seed instead of a time budget, so that a
    # smoke run on the seed corpus is repeatable (CI uses it).
    if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS" -seed=1); else limit=(-max_total_time="$seconds"); fi
    "$out/fuzz-$target" "$corpus" "${limit[@]}" -max_len="$(max_len "$target")" -timeout=10 \
        -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - start ))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    files=$(find "$corpus" -type f | wc -l)
    line=$(printf '%-8s %10s execs  %5ss  corpus %5s files' "$target" "${execs:-?}" "$elapsed" "$files")
    if [ $rc -ne 0 ]; then
        status=1
        crash=$(grep -o "Test unit written to [^ ]*" "$log" | tail -1 | sed 's/Test unit written to //')
        grep -m1 -E 'Fatal error|ERROR: (AddressSanitizer|libFuzzer)' "$log" | sed 's/^/   /'
        line="$line  FAILED (exit $rc): ${crash:-see $log}"
        echo "   crashing input: ${crash:-see $log}"
    fi
    summary+=("$line")
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
