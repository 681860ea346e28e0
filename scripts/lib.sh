# Shared by the setup scripts: root and apt helpers, Node.js, and `npm ci` when a package's
# node_modules is missing or older than its lockfile. Source it after setting SETUP_NAME (the log
# prefix) and MIN_NODE_MAJOR.

log() { printf '%s: %s\n' "$SETUP_NAME" "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "need root to run: $*; run this script as root, or install what it names yourself"
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

# Node.js and npm, at least MIN_NODE_MAJOR, installed from Debian when missing.
ensure_node() {
  if ! command -v node >/dev/null 2>&1; then
    apt_install nodejs npm
  elif ! command -v npm >/dev/null 2>&1; then
    apt_install npm
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt "$MIN_NODE_MAJOR" ]; then
    log "node $(node --version) is too old: this needs Node.js ${MIN_NODE_MAJOR}+"
    exit 1
  fi
}

# npm ci in DIR, exactly as locked, only when node_modules is missing or stale.
npm_ci_if_stale() {
  local dir="$1" lock="$1/package-lock.json" marker="$1/node_modules/.package-lock.json"
  if [ ! -f "$lock" ]; then
    log "missing $lock"
    exit 1
  fi
  if [ ! -d "$dir/node_modules" ] || [ ! -f "$marker" ] || [ "$lock" -nt "$marker" ] \
     || [ "$dir/package.json" -nt "$marker" ]; then
    log "npm ci in $(basename "$dir")/ (node $(node --version), npm $(npm --version))"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    log "$(basename "$dir")/node_modules is up to date"
  fi
}
