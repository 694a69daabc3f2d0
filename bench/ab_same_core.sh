#!/usr/bin/env bash
# A/B timing of two trialtwin builds on the reference trial, both running at the same time on
# the same core (so that the scheduler time-slices them and whatever the machine does hits
# both alike), compared by their user CPU times. The launch order alternates each round: the
# process started second otherwise gains about 1 %. Rounds use core 0 and core 1 in turn.
# The most repeatable A/B on a noisy shared machine (bench/README.md, session 10): a build
# against itself gives 0.995-1.006. Cache misses cost a little more than alone (the two
# evict each other at each time slice).
# Usage: bench/ab_same_core.sh A_BINARY B_BINARY [REPLICATIONS] [ROUNDS]   (300, 4)
# SCENARIO=FILE runs another scenario, e.g. the 16x trial of bench/make_scaled_trial.py.
set -euo pipefail
a=$1
b=$2
reps=${3:-300}
rounds=${4:-4}
scenario=${SCENARIO:-"$(cd "$(dirname "$0")/.." && pwd)/scenarios/oncology_ph3_50sites.toml"}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
one() {  # binary core file
    /usr/bin/time -f "%U" -o "$3" taskset -c "$2" "$1" run "$scenario" --reps "$reps" \
        --threads 1 >/dev/null 2>&1
}
for ((i = 0; i < rounds; ++i)); do
    for core in 0 1; do
        if [ "$core" = 0 ]; then
            one "$a" "$core" "$out/a" & one "$b" "$core" "$out/b" & wait
        else
            one "$b" "$core" "$out/b" & one "$a" "$core" "$out/a" & wait
        fi
        echo "$(tail -1 "$out/a") $(tail -1 "$out/b")"
    done
done | awk '{ ta += $1; tb += $2; r[NR] = $2 / $1; printf "A %s s  B %s s  B/A %.4f\n", $1, $2, $2 / $1 }
    END { n = NR; for (i = 1; i <= n; ++i) for (j = i + 1; j <= n; ++j) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
          m = n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
          printf "A %.2f s  B %.2f s  B/A %.4f (median of rounds %.4f)\n", ta, tb, tb / ta, m }'
