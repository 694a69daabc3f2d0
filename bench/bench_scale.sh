#!/usr/bin/env bash
# How the cost of a replication grows with the trial (issue 26): the reference trial with its
# sites copied 1x, 4x, 16x and 64x (bench/make_scaled_trial.py: per-site work unchanged,
# target, CRAs, depots and supply scaled), each run on one thread by the same binary.
# Prints, per scale: time per replication (the marginal cost: the difference between a run of
# 3N and one of N replications, over 2N, so start-up and the first replication's page faults
# drop out), visits per replication, time per visit and its ratio to 1x, and peak RSS with its
# ratio to 1x.
#   bench/bench_scale.sh [SCALES] [BIN]    (default "1 4 16 64", build/bin/trialtwin)
# Targets: time per visit at 16x within 1.25x of 1x; peak RSS at 16x <= 16 x the 1x RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
scales=${1:-"1 4 16 64"}
tt=${2:-./build/bin/trialtwin}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {  # prints "seconds kib" for the command
    /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1
}

printf "%6s %8s %6s %12s %12s %10s %8s %11s %8s\n" scale sites reps "ms/rep" "visits/rep" "ns/visit" "vs 1x" "peak RSS MB" "vs 1x"
base_ns="" base_kib=""
for k in $scales; do
    scenario=$work/scaled_$k.toml
    python3 bench/make_scaled_trial.py "$k" > "$scenario"
    sites=$(grep -c '^\[\[sites\]\]' "$scenario")
    # About 1.2 million visits in the long run at every scale (at least 3 replications).
    n=$(( 80 / k )); [ "$n" -ge 1 ] || n=1
    read -r short_s _ < <(measure "$tt" run "$scenario" --reps "$n" --threads 1 --seed 1)
    read -r long_s kib < <(measure "$tt" run "$scenario" --reps $((3 * n)) --threads 1 --seed 1 \
        --out "$work/scaled_$k.h5")
    visits=$(/usr/bin/python3 -c "
import h5py, sys
f = h5py.File(sys.argv[1], 'r')
table = f['policies'][list(f['policies'])[0]]['replications'][()]
print(table['visits_done'].mean())" "$work/scaled_$k.h5")
    ns=$(awk -v n="$n" -v a="$short_s" -v b="$long_s" -v visits="$visits" \
        'BEGIN { printf "%.1f", (b - a) / (2 * n) * 1e9 / visits }')
    [ -n "$base_ns" ] || { base_ns=$ns; base_kib=$kib; }
    awk -v k="$k" -v sites="$sites" -v reps=$((3 * n)) -v visits="$visits" -v ns="$ns" \
        -v kib="$kib" -v bn="$base_ns" -v bk="$base_kib" 'BEGIN {
        printf "%5sx %8d %6d %12.1f %12.0f %10.0f %7.2fx %11.0f %7.2fx\n", k, sites, reps,
               ns * visits / 1e6, visits, ns, ns / bn, kib / 1024, kib / bk }'
done
