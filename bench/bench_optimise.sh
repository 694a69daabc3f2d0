#!/usr/bin/env bash
# The bundled decision-search example (issue 28): on the reference trial, which of its 53 sites
# (3 of them backups) to open to minimise mean cost with P(target by plan) >= 0.8, the plan date
# a quarter later than written (as written, no selection reaches 0.8). Then a sensitivity
# analysis of three keys on the reference trial.
# Usage: bench/bench_optimise.sh [REPS] [VALIDATION_REPS]  (default 600 1000; Release build/)
# Prints evaluations per second, the search's and the whole command's wall time, the answer.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-600}
fresh=${2:-1000}
tt=./build/bin/trialtwin
scenario=scenarios/oncology_ph3_50sites.toml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

start=$(date +%s.%N)
"$tt" optimise "$scenario" --choose-sites all --set trial.plan_target_met_date=2029-06-30 \
    --minimise mean:cost_total --subject-to "p:target_met_by_plan>=0.8" --reps "$reps" \
    --validation-reps "$fresh" --threads 2 --json --out "$out/optimise.h5" >"$out/optimise.json"
end=$(date +%s.%N)
/usr/bin/python3 - "$out/optimise.json" "$start" "$end" "$reps" "$fresh" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
n, s = j["evaluations"], j["search_seconds"]
print(f"optimise, reference trial, 53 candidate sites, {sys.argv[4]} replications a decision, "
      f"{sys.argv[5]} fresh: {n} evaluations in {s:.1f} s = {n / s:.2f} evaluations/s "
      f"({n * int(sys.argv[4]) / s:.0f} replications/s); whole command {wall:.1f} s")
c = j["chosen"]
print(f"  answer: {j['verdict']}")
if c["found"]:
    print(f"  left out: {', '.join(c['sites_left_out']) or 'none'}")
for v in j["validation"]:
    k = list(v["constraints"].values())[0]
    print(f"  evaluation {v['evaluation']:4d}: in sample {v['in_sample']:.4g}, fresh "
          f"{v['objective']:.4g}, P {k[0]:.3f} [{k[1]:.3f}, {k[2]:.3f}]"
          f"{'' if v['feasible'] else ' (fails)'}")
PY

start=$(date +%s.%N)
"$tt" sensitivity "$scenario" --vary recruitment.rate_shape=1.5:3 \
    --vary "sites[0].staff[0].count=1:3" --vary supply.site_max_kits=8:20 \
    --metric mean:cost_total --metric p:target_met_by_plan --reps 100 --points 32 \
    --threads 2 --out "$out/sensitivity.h5" | tail -12
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "sensitivity, reference trial, 3 keys, 32 x 5 + 6 scenarios of 100 replications: %.1f s\n", e - s }'
