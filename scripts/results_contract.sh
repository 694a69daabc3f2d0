#!/usr/bin/env bash
# The results contract: the datasets a change not meant to change the model must leave
# bit-identical. Writes them with the programs in BIN into OUT, or, given a second folder of
# such files, compares the two with h5diff (only provenance attributes may differ).
#   scripts/results_contract.sh write BIN OUT       e.g. write build/bin /tmp/after
#   scripts/results_contract.sh compare DIR_A DIR_B
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:?write BIN OUT | compare A B}
if [ "$mode" = write ]; then
  bin=${2:?BIN}; out=${3:?OUT}
  mkdir -p "$out"
  ref=scenarios/oncology_ph3_50sites.toml
  common=(--seed 11 --threads 2)
  "$bin/trialtwin" run "$ref" --reps 300 "${common[@]}" --trace 2 --out "$out/static.h5" >/dev/null
  "$bin/trialtwin" run "$ref" --reps 300 "${common[@]}" --policy adaptive --out "$out/adaptive.h5" >/dev/null
  "$bin/trialtwin" run "$ref" --reps 300 "${common[@]}" --policy adaptive+window_slack+predictive \
      --trace 2 --out "$out/adaptive_ws_pred.h5" >/dev/null
  "$bin/trialtwin" compare "$ref" --policies static,adaptive --reps 200 "${common[@]}" \
      --out "$out/compare.h5" >/dev/null
  "$bin/trialtwin" run scenarios/demo_small.toml --reps 500 "${common[@]}" --trace 3 \
      --out "$out/demo.h5" >/dev/null
  "$bin/trialtwin" run scenarios/demo_small.toml --reps 20 --seed 5 --engine simgrid \
      --out "$out/demo_simgrid.h5" >/dev/null
  "$bin/trialtwin" sweep scenarios/demo_small.toml --set recruitment.rate_shape=1:4 \
      --set "supply.site_max_kits=6,10,14" --design grid --points 3 --reps 100 "${common[@]}" \
      --out "$out/sweep.h5" >/dev/null
  "$bin/trialtwin" forecast "$ref" --observed scenarios/observed/oncology_week40.csv \
      --patients scenarios/observed/oncology_week40_patients.csv --as-of 2027-10-11 \
      --policies static,adaptive --reps 200 "${common[@]}" --out "$out/forecast.h5" >/dev/null
  echo "results_contract: wrote $(ls "$out" | wc -l) files into $out"
elif [ "$mode" = compare ]; then
  a=${2:?A}; b=${3:?B}; bad=0
  shopt -s nullglob
  files=("$a"/*.h5)
  # Nothing to compare is not a pass (a failed write leaves the folder empty).
  [ "${#files[@]}" -gt 0 ] || { echo "results_contract: no .h5 files in $a" >&2; exit 2; }
  for f in "${files[@]}"; do
    name=$(basename "$f")
    # Provenance attributes (when and how the file was made) are allowed to differ.
    out=$(h5diff -v "$f" "$b/$name" 2>&1) || true
    # Each "N differences found" belongs to the object or attribute named on the line before;
    # an object in one file only is listed with one x.
    real=$(printf '%s\n' "$out" | awk '
      /^ +x +x +\// { next }
      /^ +x +\// { print "only in one file: " $0; next }
      /differences found/ { if ($1 != 0 && last !~ /<(command_line|created_utc) of/) print last; next }
      /[Nn]ot comparable/ { print; next }
      /^(attribute|dataset|group):/ { last = $0 }')
    if [ -z "$real" ]; then
      echo "identical  $name"
    else
      echo "DIFFERENT  $name"; printf '%s\n' "$real" | head -20; bad=1
    fi
  done
  exit $bad
fi
