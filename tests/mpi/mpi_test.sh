#!/usr/bin/env bash
# The same binary as several MPI ranks (models/parallel/ranks.hpp): every results file is the
# one a single process writes with the same seed, dataset by dataset (h5diff: only the command
# line and the time it was made may differ), whatever the rank and thread counts; an
# interrupted sweep resumes under MPI; a failing replication ends every rank with a message
# naming the rank, a non-zero exit and no file.
#   tests/mpi/mpi_test.sh TRIALTWIN SOURCE_DIR
set -uo pipefail
tt=$1
cd "$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
check() {  # check NAME CONDITION...
    local name=$1
    shift
    if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}
mpi() {  # mpi RANKS ARGS...: the program as RANKS ranks
    local n=$1
    shift
    mpirun --allow-run-as-root --oversubscribe -np "$n" "$tt" "$@"
}
# Whether two results files hold the same datasets and attributes (provenance aside).
same() {
    local out
    out=$(h5diff -v "$1" "$2" 2>&1)
    local status=$?
    [ $status -le 1 ] || { echo "$out" | tail -3; return 1; }
    # Each "N differences found" belongs to the object named a few lines before it.
    echo "$out" | awk '
        /^(dataset|attribute|group)/ { object = $0 }
        /differences found/ && $1 + 0 > 0 && object !~ /command_line|created_utc/ {
            print "  differs: " object; bad = 1 }
        # The listing: "x x /path" is in both files; one x, in one only.
        NF == 2 && $1 == "x" && $2 ~ /^\// { print "  only in one file: " $2; bad = 1 }
        END { exit bad }'
}

demo=scenarios/demo_small.toml
ref=scenarios/oncology_ph3_50sites.toml

# run: demo on 1, 2 and 3 ranks (threads 1 and 2) against one process.
"$tt" run "$demo" --reps 40 --seed 3 --threads 2 --trace 3 --out "$work/demo.h5" >/dev/null
for n in 1 2 3; do
    for t in 1 2; do
        mpi "$n" run "$demo" --reps 40 --seed 3 --threads "$t" --trace 3 \
            --out "$work/demo_$n.h5" >"$work/out_$n.txt" 2>&1
        check "run demo_small, $n rank(s), $t thread(s): exit 0" [ $? -eq 0 ]
        check "run demo_small, $n rank(s), $t thread(s): the single-process file" \
            same "$work/demo.h5" "$work/demo_$n.h5"
    done
done
check "only rank 0 prints (one summary)" [ "$(grep -c 'replication(s), start' "$work/out_3.txt")" -eq 1 ]

# The reference trial under adaptive, and a compare of two policies.
"$tt" run "$ref" --policy adaptive --reps 30 --seed 4 --threads 2 --out "$work/adaptive.h5" >/dev/null
mpi 3 run "$ref" --policy adaptive --reps 30 --seed 4 --threads 1 --out "$work/adaptive_3.h5" >/dev/null
check "run reference trial adaptive, 3 ranks: the single-process file" \
    same "$work/adaptive.h5" "$work/adaptive_3.h5"
"$tt" compare "$ref" --policies static,adaptive --reps 20 --seed 4 --out "$work/compare.h5" >/dev/null
mpi 2 compare "$ref" --policies static,adaptive --reps 20 --seed 4 --out "$work/compare_2.h5" >/dev/null
check "compare static,adaptive, 2 ranks: the single-process file" \
    same "$work/compare.h5" "$work/compare_2.h5"
# Fewer replications than ranks: a rank with none still goes along.
"$tt" run "$demo" --reps 2 --seed 3 --out "$work/two.h5" >/dev/null
mpi 3 run "$demo" --reps 2 --seed 3 --out "$work/two_3.h5" >/dev/null
check "2 replications on 3 ranks: exit 0 and the single-process file" same "$work/two.h5" "$work/two_3.h5"

# forecast.
forecast=(forecast "$ref" --observed scenarios/observed/oncology_week40.csv
          --patients scenarios/observed/oncology_week40_patients.csv --as-of 2027-10-11
          --reps 20 --seed 6)
"$tt" "${forecast[@]}" --out "$work/forecast.h5" >/dev/null
mpi 2 "${forecast[@]}" --out "$work/forecast_2.h5" >/dev/null
check "forecast, 2 ranks: the single-process file" same "$work/forecast.h5" "$work/forecast_2.h5"

# optimise and sensitivity: the search's path, the answer and the files of one process.
optimise=(optimise "$demo" --choose-sites DE-01,DE-02,PL-01,PL-02 --vary supply.site_max_kits=4:12
          --minimise mean:cost_total --subject-to "median:enrollment_duration_days<=600"
          --reps 20 --seed 7 --budget 12)
"$tt" "${optimise[@]}" --out "$work/optimise.h5" >/dev/null
mpi 2 "${optimise[@]}" --threads 1 --out "$work/optimise_2.h5" >/dev/null
check "optimise, 2 ranks: the single-process file" same "$work/optimise.h5" "$work/optimise_2.h5"
sensitivity=(sensitivity "$demo" --vary recruitment.rate_shape=1:4 --vary supply.kit_cost=100:900
             --reps 10 --points 4 --bootstrap 50 --seed 7)
"$tt" "${sensitivity[@]}" --out "$work/sensitivity.h5" >/dev/null
mpi 2 "${sensitivity[@]}" --threads 1 --out "$work/sensitivity_2.h5" >/dev/null
check "sensitivity, 2 ranks: the single-process file" \
    same "$work/sensitivity.h5" "$work/sensitivity_2.h5"

# sweep, whole and interrupted then resumed under MPI.
# (Points of 2,000 replications, ~0.3 s each on 2 ranks: long enough to stop the run between.)
sweep=(sweep "$demo" --set recruitment.rate_shape=1:4 --design grid --points 6 --reps 2000 --seed 5)
"$tt" "${sweep[@]}" --out "$work/sweep.h5" >/dev/null
mpi 3 "${sweep[@]}" --threads 1 --out "$work/sweep_3.h5" >/dev/null
check "sweep, 3 ranks: the single-process file" same "$work/sweep.h5" "$work/sweep_3.h5"
# Ctrl-C at a terminal reaches every rank as SIGINT: sent here to mpirun's children, the ranks.
# (SIGTERM to mpirun reaches them too, but a second or so later.)
mpirun --allow-run-as-root --oversubscribe -np 2 "$tt" "${sweep[@]}" --threads 1 \
    --out "$work/resumed.h5" >"$work/sweep_int.txt" 2>&1 &
launcher=$!
for _ in $(seq 1 600); do  # until a point is finished (at most 60 s)
    [ -n "$(ls "$work/resumed.h5.points" 2>/dev/null)" ] && break
    sleep 0.1
done
pkill -INT -P "$launcher"
wait "$launcher"
check "interrupted MPI sweep: non-zero exit" [ $? -ne 0 ]
check "interrupted MPI sweep: no results file" [ ! -e "$work/resumed.h5" ]
kept=$(ls "$work/resumed.h5.points" 2>/dev/null | wc -l)
check "interrupted MPI sweep: finished points kept ($kept)" [ "$kept" -ge 1 ]
mpi 3 "${sweep[@]}" --threads 1 --resume --out "$work/resumed.h5" >"$work/resume.txt" 2>&1
check "resumed under 3 ranks: exit 0" [ $? -eq 0 ]
check "resumed: says it kept points" grep -q "kept from the interrupted run" "$work/resume.txt"
check "resumed: the single-process file" same "$work/sweep.h5" "$work/resumed.h5"

# A failing replication (as a scenario error found late would): every rank ends, rank named.
TRIALTWIN_FAIL_REPLICATION=7 mpi 3 run "$demo" --reps 40 --seed 3 --threads 1 \
    --out "$work/failed.h5" >"$work/failed.txt" 2>&1
status=$?
check "failing rank: non-zero exit ($status)" [ $status -ne 0 ]
check "failing rank: the message names rank and replication" \
    grep -q "rank 1: replication 7: injected fault" "$work/failed.txt"
check "failing rank: no results file" [ ! -e "$work/failed.h5" ]
check "failing rank: no temporary file" [ -z "$(ls "$work" | grep 'failed.h5.tmp')" ]

# ... and in a sweep, where ranks take whole points: the point is named too.
TRIALTWIN_FAIL_REPLICATION=3 mpi 3 sweep "$demo" --set recruitment.rate_shape=1:4 --design grid \
    --points 5 --reps 30 --seed 5 --threads 1 --out "$work/failed_sweep.h5" >"$work/failed_sweep.txt" 2>&1
status=$?
check "failing rank in a sweep: non-zero exit ($status)" [ $status -ne 0 ]
check "failing rank in a sweep: the message names rank, point and replication" \
    grep -q "rank 0: point_0000: replication 3: injected fault" "$work/failed_sweep.txt"
check "failing rank in a sweep: no results file" [ ! -e "$work/failed_sweep.h5" ]

[ $failures -eq 0 ] && echo "all MPI checks passed" || echo "$failures MPI check(s) failed"
exit $((failures > 0))
