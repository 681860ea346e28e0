#!/usr/bin/env bash
# Same-run A/B of the signature's stages: builds of core/examples/stages take turns, 5 rounds,
# and the fastest time of each stage for each build is printed, in µs per operation. Build each
# version with `cargo build --release -p accolade-core --example stages` and copy
# target/release/examples/stages aside under a name of your choice first.
#
#   scripts/ab-stages.sh fixtures/interop/06-ob3-full.json 300 /tmp/stages_before /tmp/stages_after
set -euo pipefail
file=$1 n=$2
shift 2
declare -A best
for _ in 1 2 3 4 5; do
  for bin in "$@"; do
    # Each line of stages' output: the time, "µs", then the stage's name.
    while read -r t _ stage; do
      key="$stage|$bin"
      if [ -z "${best[$key]:-}" ] || awk -v a="$t" -v b="${best[$key]}" 'BEGIN { exit !(a < b) }'; then
        best[$key]=$t
      fi
    done < <("$bin" "$file" "$n")
  done
done
for key in "${!best[@]}"; do
  printf '%9s µs  %s  (%s)\n' "${best[$key]}" "${key%%|*}" "${key#*|}"
done | sort -k3
