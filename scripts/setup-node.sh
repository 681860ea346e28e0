#!/usr/bin/env bash
# Installs what the JavaScript interop peer (interop/) needs: Node.js, npm and
# the locked npm packages. Idempotent and non-interactive, for developers and
# CI (which runs as root). Safe to run before every test run: it does nothing
# when node_modules is already as new as package-lock.json.
#
#   bash scripts/setup-node.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INTEROP="$ROOT/interop"
MIN_NODE_MAJOR=18

SETUP_NAME=setup-node
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

ensure_node
npm_ci_if_stale "$INTEROP"
