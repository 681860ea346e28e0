#!/usr/bin/env bash
# Sign/verify benchmark of accolade-core beside its peers, on the same credentials in the same
# run, so that ratios can be compared across noisy machines:
#   - the criterion suite (`cargo bench -p accolade-core --bench proofs`, release profile);
#   - Digital Bazaar's vc-js (interop/bench.mjs, pinned in interop/package-lock.json);
#   - spruceid's ssi 0.16 (bench/ssi), only with ACCOLADE_BENCH_SSI=1: its first build takes
#     several minutes, so it is opt-in and never part of CI.
# It prints a table of figures and ratios, then every operation timed in interleaved rounds
# (core/examples/stages.rs); copy both into BENCHMARKS.md with the machine noted.
#
#   scripts/bench.sh                      # criterion + vc-js
#   ACCOLADE_BENCH_SSI=1 scripts/bench.sh # criterion + vc-js + ssi
#   scripts/bench.sh 'rdfc-2022'          # only the criterion cases matching a filter
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-node.sh
out=target/bench
mkdir -p "$out"
peers="$out/peers.txt"
: >"$peers"

if [ "${ACCOLADE_BENCH_SSI:-0}" = 1 ]; then
  # Built first, so that its compilation does not overlap any timing.
  cargo build --release --manifest-path bench/ssi/Cargo.toml
fi

cargo bench -p accolade-core --bench proofs -- --noplot "$@" 2>&1 | tee "$out/criterion.txt" |
  grep -E '^(sign|verify|engine|raw|scale)|time:'

for f in 05-ob3-minimal 06-ob3-full; do
  echo "--- vc-js, $f ---"
  line=$(node interop/bench.mjs "fixtures/interop/$f.json" 50 5)
  echo "$line"
  node -e '
    const r = JSON.parse(process.argv[1]);
    console.log(`vc-js eddsa-rdfc-2022 sign ${process.argv[2]} ${r.sign_mean_ms * 1000}`);
    console.log(`vc-js eddsa-rdfc-2022 verify ${process.argv[2]} ${r.verify_mean_ms * 1000}`);
  ' "$line" "$f" >>"$peers"
  if [ "${ACCOLADE_BENCH_SSI:-0}" = 1 ]; then
    echo "--- ssi 0.16, $f ---"
    bench/ssi/target/release/accolade-bench-ssi "fixtures/interop/$f.json" 50 5 | tee "$out/ssi.txt"
    # `ssi SUITE OP MICROSECONDS` -> `ssi SUITE OP FIXTURE MICROSECONDS`
    awk -v f="$f" '$1 == "ssi" { print $1, $2, $3, f, $4 }' "$out/ssi.txt" >>"$peers"
  fi
done

echo "--- summary (same run) ---"
python3 scripts/bench-summary.py "$out/criterion.txt" "$peers"

# Criterion's medians come from runs minutes apart, and this machine's speed moves within
# minutes; the stages example takes every operation in interleaved rounds and keeps the fastest,
# which is what the multiples of raw Ed25519 in BENCHMARKS.md are read from.
echo "--- every operation, interleaved (best of 5 runs) ---"
cargo build --release -p accolade-core --example stages
cp target/release/examples/stages "$out/stages"
for f in 06-ob3-full:300 05-ob3-minimal:1000; do
  echo "$f"
  bash scripts/ab-stages.sh "fixtures/interop/${f%%:*}.json" "${f##*:}" "$out/stages"
done
