#!/usr/bin/env bash
# How the cost of a replication grows with the trial (issue 26): the reference trial with its
# sites copied 1x, 4x, 16x and 64x (bench/make_scaled_trial.py: per-site work unchanged,
# target, CRAs, depots and supply scaled), each run on one thread by the same binary.
# Prints, per scale: time per replication (the marginal cost: the difference between a run of
# 3N and one of N replications, over 2N, so start-up and the first replication's page faults
# drop out), visits per replication, time per visit and its ratio to 1x, and peak RSS with its
# ratio to 1x.
#
# Times are CPU seconds (user + system), pinned to one core, the median of ROUNDS pairs of
# runs (default 3): on this shared VM a single wall-clock pair gave the 1x anywhere from 190 to
# 430 ns a visit from one minute to the next. Each round times every scale in turn, and the
# ratio to the first scale (1x) is the median of the rounds' own ratios, each listed too.
#
# With CACHEGRIND=1 it also counts, under valgrind's cachegrind (deterministic: the same
# numbers on any day), the instructions and the misses of a 1 MB last-level cache (this
# machine's L2) per visit, marginal in the same way (N and 2N replications). What grows with
# the trial is not the instructions but those misses (bench/README.md, session 16 and 20).
#   bench/bench_scale.sh [SCALES] [BIN]    (default "1 4 16 64", build/bin/trialtwin)
#   ROUNDS=5 CACHEGRIND=1 bench/bench_scale.sh "1 4 16"
#   WORK=80 bench/bench_scale.sh   (shorter runs: WORK / K and 3 WORK / K replications at K x)
# Targets: time per visit at 16x within 1.25x of 1x; peak RSS at 16x <= 16 x the 1x RSS.
#
# Last, the floor under the ratio on this machine: `bench_kernel scale`, the trial's shape on
# the kernel with none of its rules (bench/working_set_load.hpp): ns a visit at 1x, 4x and 16x
# when a visit reads nothing but its patient's frame (and a few site lines). What it adds at
# 16x, the trial model cannot avoid while events run in (time, sequence) order.
set -euo pipefail
cd "$(dirname "$0")/.."
scales=${1:-"1 4 16 64"}
tt=${2:-./build/bin/trialtwin}
rounds=${ROUNDS:-3}
cachegrind=${CACHEGRIND:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c "$(($(nproc) - 1))"); fi

measure() {  # prints "cpu_seconds kib" for the command
    /usr/bin/time -f "%U %S %M" "${pin[@]}" "$@" 2>&1 >/dev/null | tail -1 |
        awk '{ printf "%.2f %d\n", $1 + $2, $3 }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# "instructions LL_misses" of one run under cachegrind with a 1 MB, 8-way last level.
misses() {
    local out=$work/cg.out
    MIMALLOC_LARGE_OS_PAGES=0 valgrind --tool=cachegrind --cache-sim=yes --LL=1048576,8,64 \
        --cachegrind-out-file="$out" "$@" >/dev/null 2>&1
    awk '/^summary:/ { print $2, $7 + $10 }' "$out"  # Ir, DLmr + DLmw
}

header="%6s %8s %6s %12s %12s %10s %8s %11s %8s %16s"
printf "$header" scale sites reps "ms/rep" "visits/rep" "ns/visit" "vs 1x" "peak RSS MB" "vs 1x" \
    "rounds vs 1x"
[ "$cachegrind" = 1 ] && printf " %10s %10s %8s" "instr/vis" "L2miss/vis" "vs 1x"
printf "\n"

# Rounds outside, scales inside: each round times every scale within a minute or two, and the
# ratio to 1x is worked out per round, then its median taken. (Timing every round of 1x before
# any of 16x let the machine's speed drift between them: two runs within ten minutes gave
# 1.36x and 2.99x.)
declare -A sites_of n_of ns_of kib_of visits_of
for k in $scales; do
    scenario=$work/scaled_$k.toml
    python3 bench/make_scaled_trial.py "$k" > "$scenario"
    sites_of[$k]=$(grep -c '^\[\[sites\]\]' "$scenario")
    # About 6 million visits in the long run at every scale (at least 3 replications): shorter
    # runs (1.2 million) gave ratios from 1.3x to 3.3x within a minute.
    n=$(( ${WORK:-400} / k )); [ "$n" -ge 1 ] || n=1
    n_of[$k]=$n
done
for ((r = 0; r < rounds; ++r)); do
    for k in $scales; do
        n=${n_of[$k]}
        run=("$tt" run "$work/scaled_$k.toml" --threads 1 --seed 1)
        read -r s _ < <(measure "${run[@]}" --reps "$n")
        read -r l kib < <(measure "${run[@]}" --reps $((3 * n)) --out "$work/scaled_$k.h5")
        if [ -z "${visits_of[$k]:-}" ]; then
            visits_of[$k]=$(/usr/bin/python3 -c "
import h5py, sys
f = h5py.File(sys.argv[1], 'r')
table = f['policies'][list(f['policies'])[0]]['replications'][()]
print(table['visits_done'].mean())" "$work/scaled_$k.h5")
        fi
        kib_of[$k]=$kib
        ns_of[$k]="${ns_of[$k]:-} $(awk -v n="$n" -v a="$s" -v b="$l" -v visits="${visits_of[$k]}" \
            'BEGIN { printf "%.1f", (b - a) / (2 * n) * 1e9 / visits }')"
    done
done

base="" base_miss=""
for k in $scales; do
    [ -n "$base" ] || base=$k
    ns=$(printf "%s\n" ${ns_of[$k]} | median)
    # This scale's time per visit over 1x's, round by round: the median, and every round's.
    ratios=$(paste -d' ' <(printf "%s\n" ${ns_of[$k]}) <(printf "%s\n" ${ns_of[$base]}) |
        awk '{ printf "%.2f\n", $1 / $2 }')
    ratio=$(printf "%s\n" $ratios | median)
    awk -v k="$k" -v sites="${sites_of[$k]}" -v reps=$((3 * ${n_of[$k]})) \
        -v visits="${visits_of[$k]}" -v ns="$ns" -v ratio="$ratio" -v kib="${kib_of[$k]}" \
        -v bk="${kib_of[$base]}" -v rounds="$(echo $ratios | tr ' ' ',')" 'BEGIN {
        printf "%5sx %8d %6d %12.1f %12.0f %10.0f %7.2fx %11.0f %7.2fx %16s", k, sites, reps,
               ns * visits / 1e6, visits, ns, ratio, kib / 1024, kib / bk, rounds }'
    if [ "$cachegrind" = 1 ]; then
        n=${n_of[$k]}
        run=("$tt" run "$work/scaled_$k.toml" --threads 1 --seed 1)
        m=$(( n > 16 ? 16 : n ))  # cachegrind is ~50x slower: at most 16 and 32 replications
        read -r i1 m1 < <(misses "${run[@]}" --reps "$m")
        read -r i2 m2 < <(misses "${run[@]}" --reps $((2 * m)))
        read -r ipv mpv < <(awk -v m="$m" -v v="${visits_of[$k]}" -v i1="$i1" -v i2="$i2" \
            -v m1="$m1" -v m2="$m2" \
            'BEGIN { printf "%.0f %.1f\n", (i2 - i1) / (m * v), (m2 - m1) / (m * v) }')
        [ -n "$base_miss" ] || base_miss=$mpv
        awk -v i="$ipv" -v m="$mpv" -v b="$base_miss" \
            'BEGIN { printf " %10d %10.1f %7.2fx", i, m, m / b }'
    fi
    printf "\n"
done

echo
echo "floor: the kernel alone with the trial's shape and working set (bench_kernel scale 3)"
if [ -x ./build/bin/bench_kernel ]; then
    ./build/bin/bench_kernel scale 3 | sed 's/^/  /'
else
    echo "  (no build/bin/bench_kernel)"
fi
