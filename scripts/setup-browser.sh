#!/usr/bin/env bash
# Installs what the browser tests of the verification page (browser/page-check.mjs, run by the
# e2e test `page`) need: Debian's Chromium at /usr/bin/chromium with Arabic and Chinese fonts,
# Node.js and npm, and the locked npm packages of browser/ (playwright-core, axe-core).
# Idempotent and non-interactive, for developers and CI (which runs as root). Safe to run before
# every test run: it does nothing when all of that is there and node_modules is already as new as
# package-lock.json.
#
# playwright-core drives the system Chromium; it never downloads browsers (nothing but the package
# registries is fetched, here or at test time).
#
#   bash scripts/setup-browser.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BROWSER="$ROOT/browser"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
MIN_NODE_MAJOR=20   # playwright-core 1.65 needs Node.js 20+
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log() { printf 'setup-browser: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "need root to run: $*; run this script as root, or install Chromium (Debian package chromium), Node.js ${MIN_NODE_MAJOR}+ and npm yourself"
    exit 1
  fi
}

apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    log "no apt-get on this machine; install $* yourself, then run this again"
    exit 1
  fi
  log "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

has_font_for() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list ":lang=$1" family 2>/dev/null)" ]; }

# 1. Chromium, and fonts for the page's scripts (Arabic, Chinese; Latin and Cyrillic come with
#    either), so that screenshots show text rather than empty boxes.
want=()
[ -x "$CHROMIUM" ] || want+=(chromium)
has_font_for ar || want+=(fonts-dejavu-core)
has_font_for zh || want+=(fonts-wqy-microhei)
if [ "${#want[@]}" -gt 0 ]; then
  apt_install "${want[@]}"
fi
if [ ! -x "$CHROMIUM" ]; then
  log "$CHROMIUM is still missing after installing the chromium package; set CHROMIUM to the browser's path"
  exit 1
fi

# 2. node and npm.
if ! command -v node >/dev/null 2>&1; then
  apt_install nodejs npm
elif ! command -v npm >/dev/null 2>&1; then
  apt_install npm
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt "$MIN_NODE_MAJOR" ]; then
  log "node $(node --version) is too old: the browser tests need Node.js ${MIN_NODE_MAJOR}+ (playwright-core needs 20+)"
  exit 1
fi

# 3. npm packages, exactly as locked, only when missing or stale.
lock="$BROWSER/package-lock.json"
marker="$BROWSER/node_modules/.package-lock.json"   # written by npm ci/install
if [ ! -f "$lock" ]; then
  log "missing $lock"
  exit 1
fi
if [ ! -d "$BROWSER/node_modules" ] || [ ! -f "$marker" ] || [ "$lock" -nt "$marker" ] \
   || [ "$BROWSER/package.json" -nt "$marker" ]; then
  log "npm ci in browser/ (node $(node --version), npm $(npm --version))"
  (cd "$BROWSER" && npm ci --no-audit --no-fund --loglevel=error)
else
  log "browser/node_modules is up to date"
fi
