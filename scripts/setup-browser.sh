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

SETUP_NAME=setup-browser
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

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

# 2. Node.js and npm; 3. the npm packages, exactly as locked.
ensure_node
npm_ci_if_stale "$BROWSER"
