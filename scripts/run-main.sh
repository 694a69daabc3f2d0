#!/usr/bin/env bash
# The main job. Installs what is missing, builds, and runs it: the reference trial
# (scenarios/oncology_ph3_50sites.toml) simulated over 1,000 replications on every core, its
# summary printed and its runs stored in results/oncology_ph3_50sites.h5; then the kernel
# benchmarks and the native-vs-SimGrid cross-check; then the case study: the plan as written (static) against the adaptive policy on
# the same 1,000 replications, stored in results/case_study.h5; last, the sponsor charts: the
# enrollment fan chart, the site timeline, the overview and the policy comparison exported as
# PNG into results/ (headless, in a virtual X server), and the case study's sponsor report as a
# PDF deck (results/case_study_report.pdf).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh
mkdir -p results
./build/bin/trialtwin run scenarios/oncology_ph3_50sites.toml --reps 1000 --seed 1 \
    --threads "$(nproc)" --trace 2 --out results/oncology_ph3_50sites.h5
./build/bin/trialtwin inspect results/oncology_ph3_50sites.h5
./build/bin/bench_kernel mmc 1000000
./build/bin/bench_kernel trial 200
bash bench/bench_engines.sh 200 10  # native vs SimGrid kernel, summaries checked identical
./build/bin/trialtwin compare scenarios/oncology_ph3_50sites.toml --policies static,adaptive \
    --reps 1000 --seed 1 --threads "$(nproc)" --out results/case_study.h5
for view in fan timeline overview; do
    xvfb-run -a -s "-screen 0 1920x1080x24" ./build/bin/trialtwin render \
        results/oncology_ph3_50sites.h5 --view "$view" --out "results/oncology_ph3_50sites_$view.png"
done
xvfb-run -a -s "-screen 0 1920x1080x24" ./build/bin/trialtwin render \
    results/case_study.h5 --view compare --out results/case_study_compare.png
xvfb-run -a -s "-screen 0 1920x1080x24" ./build/bin/trialtwin report \
    results/case_study.h5 --out results/case_study_report.pdf
