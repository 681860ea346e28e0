#!/usr/bin/env bash
# Runs every test of the workspace: unit, conformance (W3C / 1EdTech vectors from ../shared/conformance),
# doc examples, the issuer's store suite on SQLite and PostgreSQL, and the cross-implementation tests against Digital Bazaar's vc-js (Node packages
# pinned in interop/package-lock.json, installed here). Ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f interop/package-lock.json ]; then
  bash scripts/setup-node.sh
  bash scripts/setup-browser.sh
fi
# The issuer's store suite runs against a real PostgreSQL server too (installed and started when absent).
if [ -z "${ACCOLADE_TEST_POSTGRES:-}" ]; then
  eval "$(bash scripts/postgres.sh)"
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
{ cargo test --workspace --all-targets "$@" && cargo test --workspace --doc "$@"; } 2>&1 | tee "$log" || status=$?
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i == "passed;") p += $(i-1); if ($i == "failed;") f += $(i-1) } }
     END { printf "all tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
