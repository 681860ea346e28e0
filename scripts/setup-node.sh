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

log() { printf 'setup-node: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "need root to run: $*; run this script as root or install Node.js ${MIN_NODE_MAJOR}+ and npm yourself"
    exit 1
  fi
}

apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    log "no apt-get on this machine; install Node.js ${MIN_NODE_MAJOR}+ and npm, then run this again"
    exit 1
  fi
  log "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# 1. node and npm.
if ! command -v node >/dev/null 2>&1; then
  apt_install nodejs npm
elif ! command -v npm >/dev/null 2>&1; then
  apt_install npm
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt "$MIN_NODE_MAJOR" ]; then
  log "node $(node --version) is too old: the interop peer needs Node.js ${MIN_NODE_MAJOR}+ (20 is what it is tested on)"
  exit 1
fi

# 2. npm packages, exactly as locked, only when missing or stale.
lock="$INTEROP/package-lock.json"
marker="$INTEROP/node_modules/.package-lock.json"   # written by npm ci/install
if [ ! -f "$lock" ]; then
  log "missing $lock"
  exit 1
fi
if [ ! -d "$INTEROP/node_modules" ] || [ ! -f "$marker" ] || [ "$lock" -nt "$marker" ] \
   || [ "$INTEROP/package.json" -nt "$marker" ]; then
  log "npm ci in interop/ (node $(node --version), npm $(npm --version))"
  (cd "$INTEROP" && npm ci --no-audit --no-fund --loglevel=error)
else
  log "interop/node_modules is up to date"
fi
