#!/usr/bin/env bash
# Fuzzes the scenario loader (and a replication of what it accepts), the observed-data loader
# (and the fit and a replication from what it accepts) and the results-file loader with
# libFuzzer (clang), each for a bounded time, from seeds: the scenarios/, the observed data of
# scenarios/observed/, a small results file of each kind, and the crashers kept in
# tests/fuzz/regressions/. A crash or a hang fails; its input is saved under build-fuzz/crashes/
# — fix it and keep the input in tests/fuzz/regressions/<target>/ so that every build replays it.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (60)   Needs build/bin/trialtwin for the seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRIALTWIN_FUZZ=ON \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DBUILD_TESTING=ON >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_scenario fuzz_results fuzz_observed

work=build-fuzz/corpus
rm -rf "$work" build-fuzz/crashes
mkdir -p "$work/scenario" "$work/results" "$work/observed" build-fuzz/crashes
cp scenarios/*.toml tests/fuzz/regressions/scenario/* "$work/scenario/" 2>/dev/null || true
cp tests/fuzz/regressions/results/* "$work/results/" 2>/dev/null || true
cp tests/fuzz/regressions/observed/* "$work/observed/"
trialtwin=build/bin/trialtwin
"$trialtwin" run scenarios/demo_small.toml --reps 4 --seed 2 --trace 1 --out "$work/results/run.h5" >/dev/null
"$trialtwin" sweep scenarios/demo_small.toml --set recruitment.rate_shape=1:3 --points 2 --reps 2 \
  --out "$work/results/sweep.h5" >/dev/null
"$trialtwin" forecast scenarios/oncology_ph3_50sites.toml --observed scenarios/observed/oncology_week40.csv \
  --as-of 2027-10-11 --reps 2 --out "$work/results/forecast.h5" >/dev/null

export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for target in scenario observed results; do
  options=(-max_len=16384 -timeout=20)
  # The HDF5 library itself loops or overruns buffers on some damaged files (its global heap);
  # the readers read a file first in a child process and refuse those (models/h5/survives.hpp).
  # So here crashes and hangs are collected (fork mode) and then sorted below: a fault inside the
  # HDF5 library that the guarded reader refuses is not a finding; any other is.
  [ $target = results ] && options=(-max_len=$((512 * 1024)) -timeout=10 -fork=1
                                    -ignore_timeouts=1 -ignore_crashes=1)
  echo "fuzz: $target for ${seconds}s"
  code=0
  build-fuzz/bin/fuzz_$target "$work/$target" -max_total_time="$seconds" -rss_limit_mb=4096 \
    "${options[@]}" -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/$target- \
    2>build-fuzz/fuzz_$target.log || code=$?
  # The results target (fork mode) ends non-zero when it collected a crash, a hang or an
  # out-of-memory: crashes are judged below; hangs and memory blow-ups inside the library are
  # what the readers' child process refuses. Any failure of the other targets is a finding.
  if [ $code -ne 0 ] && [ $target != results ]; then status=1; fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|ERROR|SUMMARY" build-fuzz/fuzz_$target.log || true
done
# Each crash of the results target: where did it happen, and does the guarded reader refuse it?
# (The first frame past the sanitizer's and glibc's own: glibc frames may be named by their
# source, e.g. string/../sysdeps/…/memmove-vec-unaligned-erms.S, with the HDF5 caller under it;
# the sanitizer's allocator and memory functions are named plainly in the fuzz binary, e.g.
# "in malloc (…/fuzz_results+0x…)" above HDF5's H5C_protect asking for 288 PB.)
for crash in build-fuzz/crashes/results-crash-*; do
  [ -e "$crash" ] || continue
  # (The replay aborts by design: its status is not the script's.)
  frame=$( (build-fuzz/bin/fuzz_results "$crash" 2>&1 || true) | grep -E '^ +#[0-9]+ 0x' |
          grep -vE '__interceptor_|__asan|__sanitizer|libc\.so|compiler-rt|sysdeps/' |
          grep -vE ' in (malloc|calloc|realloc|free|posix_memalign|aligned_alloc|memcpy|memmove|memset|strlen) \(' |
          head -1 || true)
  mkdir -p build-fuzz/replay && rm -f build-fuzz/replay/* && cp "$crash" build-fuzz/replay/
  if [[ "$frame" == *libhdf5* ]] &&
     TRIALTWIN_FUZZ_GUARDED=1 TRIALTWIN_READ_SECONDS=20 build-fuzz/bin/fuzz_results \
       build-fuzz/replay/* >/dev/null 2>&1; then
    echo "fuzz: $crash: a fault inside the HDF5 library, refused by the guarded reader: not a finding"
    mv "$crash" "build-fuzz/crashes/hdf5-fault-${crash##*/}"
  else
    echo "fuzz: $crash: a crash in our reading: $frame" >&2
    status=1
  fi
done
ls build-fuzz/crashes | sed 's/^/fuzz: kept input: /'
if [ $status -ne 0 ]; then
  echo "fuzz: found a crash or a hang; inputs in build-fuzz/crashes/:" >&2
  ls build-fuzz/crashes >&2
fi
exit $status
