#!/usr/bin/env bash
# The main job. Installs what is missing, builds, and runs it: the reference trial
# (scenarios/oncology_ph3_50sites.toml) simulated over 1,000 replications with its summary,
# then the kernel benchmarks. The HDF5 results file and PNG charts join as the results store
# and visualizer land.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh
./build/models/trialtwin run scenarios/oncology_ph3_50sites.toml --reps 1000 --seed 1
./build/bench/bench_kernel mmc 1000000
./build/bench/bench_kernel trial 200
