#!/usr/bin/env bash
# Runs every test of the workspace: unit, conformance (W3C / 1EdTech vectors from ../shared/conformance)
# and the cross-implementation tests against Digital Bazaar's vc-js (Node packages pinned in
# interop/package-lock.json, installed here).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f interop/package-lock.json ]; then
  bash scripts/setup-node.sh
fi
cargo test --workspace --all-targets "$@"
