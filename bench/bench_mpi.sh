#!/usr/bin/env bash
# What the MPI path costs on one machine (issue 26): the reference trial with the HDF5 file,
# 2 ranks of 1 thread (mpirun) against 1 process of 2 threads, alternating, ROUNDS rounds;
# prints each round and the median ratio. Target: within 10 %.
#   bench/bench_mpi.sh [REPS] [ROUNDS]   (10000, 3; needs a Release build with MPI in build/)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-10000}
rounds=${2:-3}
tt=./build/bin/trialtwin
scenario=scenarios/oncology_ph3_50sites.toml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
seconds() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
ratios=()
for round in $(seq 1 "$rounds"); do
    threads=$(seconds "$tt" run "$scenario" --reps "$reps" --seed 1 --threads 2 --out "$out/t.h5")
    ranks=$(seconds mpirun --allow-run-as-root --oversubscribe ${MPI_OPTIONS:-} -np 2 "$tt" run "$scenario" \
        --reps "$reps" --seed 1 --threads 1 --out "$out/m.h5")
    h5diff -q "$out/t.h5" "$out/m.h5" /policies/as_written/replications ||
        { echo "bench_mpi: the two files differ" >&2; exit 1; }
    ratio=$(awk -v a="$threads" -v b="$ranks" 'BEGIN { printf "%.3f", b / a }')
    ratios+=("$ratio")
    echo "round $round: 1 process x 2 threads ${threads} s, 2 ranks x 1 thread ${ranks} s: ${ratio}"
done
printf "%s\n" "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END {
    printf "median ratio (2 ranks / 2 threads), %d replications: %.3f (target <= 1.10)\n", '"$reps"', r[int((NR + 1) / 2)] }'
