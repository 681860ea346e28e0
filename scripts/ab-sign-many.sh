#!/usr/bin/env bash
# Same-run A/B of sign_many builds: each binary signs FILE N times, the binaries take turns, 7
# rounds, and the fastest round of each is printed in µs per signature. Build each version with
# `cargo build --release -p accolade-core --example sign_many` and copy
# target/release/examples/sign_many aside under a name of your choice first.
#
#   scripts/ab-sign-many.sh fixtures/interop/06-ob3-full.json 300 /tmp/sign_many_before /tmp/sign_many_after
set -euo pipefail
file=$1 n=$2
shift 2
declare -A best
for _ in 1 2 3 4 5 6 7; do
  for bin in "$@"; do
    start=$(date +%s%N)
    "$bin" "$file" "$n" >/dev/null
    end=$(date +%s%N)
    t=$(((end - start) / 1000 / n))
    if [ -z "${best[$bin]:-}" ] || [ "$t" -lt "${best[$bin]}" ]; then best[$bin]=$t; fi
  done
done
for bin in "$@"; do echo "$bin ${best[$bin]} µs/op"; done
