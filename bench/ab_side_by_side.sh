#!/usr/bin/env bash
# A/B timing of two trialtwin builds on the reference trial, run side by side: A on one core
# and B on the other at the same time, swapped each round, so that the machine's drift (±3 %
# from one run to the next here) hits both alike. Prints each one's mean wall time and B/A.
# Usage: bench/ab_side_by_side.sh A_BINARY B_BINARY [REPLICATIONS] [ROUNDS]   (1000, 3)
set -euo pipefail
a=$1
b=$2
reps=${3:-1000}
rounds=${4:-3}
scenario="$(cd "$(dirname "$0")/.." && pwd)/scenarios/oncology_ph3_50sites.toml"
one() {  # label binary core
    /usr/bin/time -f "$1 %e" taskset -c "$3" "$2" run "$scenario" --reps "$reps" --threads 1 \
        2>&1 >/dev/null | tail -1
}
for ((i = 0; i < rounds; ++i)); do
    one A "$a" 0 & one B "$b" 1 & wait
    one A "$a" 1 & one B "$b" 0 & wait
done | awk '{ t[$1] += $2; n[$1]++; all[$1] = all[$1] " " $2 }
    END { printf "A %.3f s (%s)\nB %.3f s (%s)\nB/A %.4f\n", t["A"] / n["A"], all["A"],
          t["B"] / n["B"], all["B"], (t["B"] / n["B"]) / (t["A"] / n["A"]) }'
