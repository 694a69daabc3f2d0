#!/usr/bin/env bash
# Monte Carlo runner benchmark on the reference trial (issue: runner, HDF5, CLI).
# Usage: bench/bench_runner.sh [REPS]   (default 10000; needs a Release build in build/)
# Prints wall time and peak RSS at 2 threads with the HDF5 file, the 1 -> 2 thread scaling,
# the share of the run spent writing HDF5, and the cost per replication. Last, the machine's own
# speed: the kernel benchmark's bare event loop (no trialtwin code in it), measured at 34-39 M
# events/s on 2026-11-22; the runner's seconds go up as that rate goes down. That loop stays in
# L1/L2 and the runner's working set does not: on days when the host's shared cache and memory
# are busy the runner slows while the loop reads normal (session 28: 37.7 M events/s while
# session 15's binary, 14.73 s on its day, took 20-24 s). The sure way to tell a slower program from a slower machine is the old binary
# beside the new on the same core (bench/README.md, session 28):
#   git worktree add /tmp/old e69f42c && cmake -S /tmp/old -B /tmp/old/build -G Ninja \
#     -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF && cmake --build /tmp/old/build --target trialtwin
#   git show e69f42c:scenarios/oncology_ph3_50sites.toml > /tmp/ref_s15.toml
#   SCENARIO=/tmp/ref_s15.toml bench/ab_same_core.sh /tmp/old/build/bin/trialtwin build/bin/trialtwin 300 6
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-10000}
small=$((reps / 5))
tt=./build/bin/trialtwin
scenario=scenarios/oncology_ph3_50sites.toml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

measure() {  # prints "seconds kib" for the command
    /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1
}

read -r full_s full_kib < <(measure "$tt" run "$scenario" --reps "$reps" --threads 2 --out "$out/full.h5")
read -r one_s _ < <(measure "$tt" run "$scenario" --reps "$small" --threads 1)
read -r two_s _ < <(measure "$tt" run "$scenario" --reps "$small" --threads 2)
read -r two_file_s _ < <(measure "$tt" run "$scenario" --reps "$small" --threads 2 --out "$out/small.h5")
size=$(stat -c %s "$out/full.h5")
bare=$(./build/bin/bench_kernel mmc 1000000 | awk '/bare loop/ { print $(NF - 4) }')

awk -v reps="$reps" -v small="$small" -v full="$full_s" -v kib="$full_kib" -v one="$one_s" \
    -v two="$two_s" -v twof="$two_file_s" -v size="$size" -v bare="$bare" 'BEGIN {
    printf "reference trial, %d replications, 2 threads, with HDF5: %.1f s wall (target <= 15 s), peak RSS %.0f MB (target <= 200 MB), file %.1f MB\n", reps, full, kib / 1024, size / 1048576
    printf "%d replications: 1 thread %.2f s, 2 threads %.2f s: scaling %.2fx\n", small, one, two, one / two
    printf "per replication, 1 thread: %.2f ms\n", one / small * 1000
    printf "HDF5 writing: %.2f s of %.2f s = %.1f %% (target <= 10 %%)\n", twof - two, twof, (twof - two) / twof * 100
    printf "machine: bare event loop %.1f M events/s (34-39 when measured on 2026-11-22; bench/README.md)\n", bare
}'
