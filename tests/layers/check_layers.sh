#!/usr/bin/env bash
# Fails when a source file includes a header of a layer above its own (models/CMakeLists.txt
# lists the layers). Each folder may include only itself and the folders (or single headers)
# named for it below.
#   check_layers.sh SOURCE_DIR            checks the tree
#   check_layers.sh --self-test SOURCE_DIR  also checks that a planted upward include is caught
set -euo pipefail

declare -A allowed=(
  [sim]="sim"
  [models/files]="models/files"
  [models/h5]="models/h5"
  [models/parallel]="models/parallel"
  [models/stats]="models/stats"
  [models/scenario]="models/scenario models/files"
  [models/policy]="models/policy models/scenario"
  [models/trial]="models/trial models/policy models/scenario models/stats sim"
  [models/calibration]="models/calibration models/files models/trial models/scenario"
  [models/decide]="models/decide models/stats"
  [models/runner]="models/runner models/parallel models/results models/trial models/policy models/scenario models/stats sim"
  [models/results]="models/results models/trial"
  [models/store]="models/store models/files models/h5 models/parallel models/results models/trial models/scenario"
  [models/cli]="models sim"
  [viz]="viz models/files models/stats models/h5 models/results/schema.hpp"
)

# Prints "file: includes header (layer may see: ...)" for every upward include under $1.
violations() {
  local root=$1 layer file header ok a
  for layer in "${!allowed[@]}"; do
    [ -d "$root/$layer" ] || continue
    while IFS= read -r file; do
      while IFS= read -r header; do
        ok=0
        for a in ${allowed[$layer]}; do
          case "$header" in "$a" | "$a"/*) ok=1 ;; esac
        done
        [ $ok -eq 1 ] || echo "${file#$root/}: includes \"$header\" (${layer} may see: ${allowed[$layer]})"
      done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file")
    done < <(find "$root/$layer" -name '*.cpp' -o -name '*.hpp' | sort)
  done
}

self_test=0
if [ "${1:-}" = "--self-test" ]; then self_test=1; shift; fi
root=${1:?SOURCE_DIR}

found=$(violations "$root")
if [ -n "$found" ]; then
  echo "layers: includes that go up a layer:" >&2
  echo "$found" >&2
  exit 1
fi
echo "layers: every include stays in its layer or goes down"

if [ $self_test -eq 1 ]; then
  # A copy of the scenario layer that includes the policy registry must be caught.
  planted=$(mktemp -d)
  trap 'rm -rf "$planted"' EXIT
  mkdir -p "$planted/models/scenario" "$planted/viz"
  printf '#include "models/policy/registry.hpp"\n' > "$planted/models/scenario/bad.cpp"
  printf '#include "models/runner/metrics.hpp"\n' > "$planted/viz/bad.cpp"
  caught=$(violations "$planted" | wc -l)
  if [ "$caught" -ne 2 ]; then
    echo "layers: self-test: 2 planted upward includes, $caught caught" >&2
    exit 1
  fi
  echo "layers: self-test: both planted upward includes caught"
fi
