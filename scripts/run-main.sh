#!/usr/bin/env bash
# The main job. Installs what is missing, builds, and runs it.
# Today: the kernel benchmark (M/M/3 against the bare event loop and Erlang C, and the
# trial-like load). Once the trial model and results store land, this runs the reference
# trial end to end: simulate -> HDF5 in results/ -> PNG charts.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh
./build/bench/bench_kernel mmc 1000000
./build/bench/bench_kernel trial 200
