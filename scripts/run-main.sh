#!/usr/bin/env bash
# The main job. Installs what is missing, builds, and runs it: the reference trial
# (scenarios/oncology_ph3_50sites.toml) simulated over 1,000 replications on every core, its
# summary printed and its runs stored in results/oncology_ph3_50sites.h5; then the kernel
# benchmarks. PNG charts join when the visualizer lands.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh
mkdir -p results
./build/bin/trialtwin run scenarios/oncology_ph3_50sites.toml --reps 1000 --seed 1 \
    --threads "$(nproc)" --out results/oncology_ph3_50sites.h5
./build/bin/trialtwin inspect results/oncology_ph3_50sites.h5
./build/bin/bench_kernel mmc 1000000
./build/bin/bench_kernel trial 200
