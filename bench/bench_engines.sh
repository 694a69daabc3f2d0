#!/usr/bin/env bash
# Native kernel vs SimGrid kernel, wall time per replication (issue: SimGrid kernel).
# Usage: bench/bench_engines.sh [DEMO_REPS] [REFERENCE_REPS]   (defaults 200 and 40; needs a
# Release build in build/). Both kernels run one replication at a time (SimGrid always does),
# best of three runs each; the JSON summaries are checked to be identical.
set -euo pipefail
cd "$(dirname "$0")/.."
demo_reps=${1:-200}
ref_reps=${2:-40}
tt=./build/bin/trialtwin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

best() {  # best wall seconds of three runs; the last run's JSON in $out/$1.json
    local name=$1
    shift
    local best_s=
    for _ in 1 2 3; do
        local s
        s=$( { /usr/bin/time -f "%e" "$@" --json >"$out/$name.json"; } 2>&1 | tail -1)
        if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then best_s=$s; fi
    done
    echo "$best_s"
}

report() {  # report LABEL SCENARIO REPS
    local label=$1 scenario=$2 reps=$3
    local native simgrid
    native=$(best native "$tt" run "$scenario" --reps "$reps" --threads 1 --engine native)
    simgrid=$(best simgrid "$tt" run "$scenario" --reps "$reps" --threads 1 --engine simgrid)
    local same=identical
    cmp -s "$out/native.json" "$out/simgrid.json" || same=DIFFERENT
    awk -v l="$label" -v r="$reps" -v n="$native" -v s="$simgrid" -v same="$same" 'BEGIN {
        printf "%s, %d replications: native %.2f ms/rep, SimGrid %.2f ms/rep (%.1fx); summaries %s\n",
               l, r, n / r * 1000, s / r * 1000, s / n, same }'
}

report "demo_small" scenarios/demo_small.toml "$demo_reps"
report "oncology_ph3_50sites" scenarios/oncology_ph3_50sites.toml "$ref_reps"
