#!/usr/bin/env bash
# Sign/verify benchmark of accolade-core beside Digital Bazaar's vc-js, same credentials, same
# run, so that ratios can be compared across noisy machines. Results go to stdout; copy them into
# BENCHMARKS.md with the machine noted.
#
#   scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-node.sh
cargo bench -p accolade-core --bench proofs -- --noplot 2>&1 | tee /tmp/accolade-bench.txt | grep -E '^(sign|verify|raw|scale)|time:'
echo "--- vc-js (eddsa-rdfc-2022, same fixtures) ---"
for f in 05-ob3-minimal 06-ob3-full; do
  printf '%s: ' "$f"
  node interop/bench.mjs "fixtures/interop/$f.json" 50 5
done
