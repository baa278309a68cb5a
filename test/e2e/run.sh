#!/usr/bin/env bash
# Runs the end-to-end tests in a real VS Code workbench (code-server + Chromium), after
# `bash test/e2e/setup.sh` and `npm run build` (this script builds nothing):
#   1. the extension-host suite (test/e2e/suite, real `vscode` API) in a trusted workspace;
#   2. the same suite in an untrusted workspace (Restricted Mode), where only tests registered with
#      { trust: 'untrusted' | 'any' } run;
#   3. the UI suites (test/e2e/harness/ui.cjs on the fixture workspace, ui-run.cjs and ui-graph.cjs on examples/):
#      Playwright clicks in the workbench, screenshots in test/e2e/.artifacts/ (with the server and
#      workbench logs of every suite);
#   4. the UI suite of a language server that cannot start (harness/ui-broken-server.cjs);
#   5. the UI suite of runs that survive a window reload (harness/ui-reload.cjs on test/e2e/reload-workspace).
# Every code-server and every harness runs in its own process group, under a timeout, and is stopped
# by process group. The last line printed is "e2e: N passed, N failed"; the exit status is 0 only if
# nothing failed.
#
# Environment:
#   E2E_TOOLS            tools folder of setup.sh (default <repo>/.tools/e2e)
#   E2E_UI=0             skip the UI suites;  E2E_UNTRUSTED=0  skip the untrusted run
#   E2E_ONLY=a,b         only these suites (exthost-trusted, exthost-untrusted, exthost-fr (the workbench in French), exthost-oldest (code-server $E2E_OLDEST_CODE_SERVER_VERSION), ui, ui-run, ui-graph, ui-dashboard, ui-details, ui-broken-server, ui-reload, ui-designer, ui-triggers, ui-compare, ui-control, ui-fanout, ui-walkthrough)
#   E2E_GREP=text        only extension-host tests whose "file: name" contains text
#   E2E_VSIX=path.vsix   install this package for the UI suite instead of staging the repository
#   E2E_EXTENSION=dir    extension development path of the extension-host suite (default: the repository)
#   E2E_SUITE_TIMEOUT    seconds per suite (default 480);  E2E_VERBOSE=1  all workbench console output
set -uo pipefail
set +m # background jobs stay in this script's process group, so setsid makes each one a group leader
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SUITE_TIMEOUT=${E2E_SUITE_TIMEOUT:-480}
started=$SECONDS
passed=0 failed=0 skipped=0

summary_line() {
  local extra=''
  [ "$skipped" -gt 0 ] && extra=", $skipped skipped"
  echo "e2e: $passed passed, $failed failed$extra"
}
give_up() {
  echo "[e2e] $*" >&2
  failed=$((failed + 1))
  summary_line
  exit 1
}

missing="$(e2e_missing_tools)"
[ -z "$missing" ] ||
  give_up "the end-to-end tools are missing ($missing): npm test installs them; or run scripts/node24.sh bash test/e2e/setup.sh"
N24="$(e2e_find_node24)"
[ -f "$E2E_ROOT/dist/extension.cjs" ] && [ -f "$E2E_ROOT/dist/server.cjs" ] ||
  give_up "dist/ is not built: run scripts/node24.sh npm run build first"
export PATH="$N24/bin:$PATH"

RUN="$(mktemp -d "${TMPDIR:-/tmp}/pipeline-e2e.XXXXXX")"
ARTIFACTS="$E2E_HERE/.artifacts"
rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"

# --- process groups -------------------------------------------------------------------------------
groups=()
stop_group() {
  local g=$1 i
  kill -TERM -- "-$g" 2>/dev/null || return 0
  for i in $(seq 1 50); do kill -0 -- "-$g" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$g" 2>/dev/null || true
}
cleanup() {
  local g
  for g in "${groups[@]}"; do stop_group "$g"; done
  groups=()
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'echo "[e2e] interrupted" >&2; exit 130' INT TERM

# --- code-server ----------------------------------------------------------------------------------
# start_server DIR [code-server args...]: a throwaway server (config, user data, extensions, HOME all
# under DIR) on a free loopback port. Sets SERVER_URL and SERVER_GROUP.
start_server() {
  local dir=$1 port i
  shift
  mkdir -p "$dir/ud/User" "$dir/ext" "$dir/home"
  printf 'auth: none\n' >"$dir/config.yaml"
  cat >"$dir/ud/User/settings.json" <<'JSON'
{
  "security.workspace.trust.startupPrompt": "never",
  "security.workspace.trust.banner": "never",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "terminal.integrated.gpuAcceleration": "off",
  "editor.stickyScroll.enabled": false,
  "remote.autoForwardPorts": false
}
JSON
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  # SERVER_BIN / SERVER_PATH: another code-server and the Node it runs on (the oldest workbench).
  HOME="$dir/home" PATH="${SERVER_PATH:-$PATH}" setsid timeout -k 10 $((SUITE_TIMEOUT + 60)) "${SERVER_BIN:-$E2E_CS}" \
    --config "$dir/config.yaml" --bind-addr "127.0.0.1:$port" --auth none \
    --disable-telemetry --disable-update-check \
    --user-data-dir "$dir/ud" --extensions-dir "$dir/ext" "$@" \
    >"$dir/server.log" 2>&1 </dev/null &
  SERVER_GROUP=$!
  groups+=("$SERVER_GROUP")
  SERVER_URL="http://127.0.0.1:$port"
  for i in $(seq 1 300); do
    node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$SERVER_URL/healthz" && return 0
    kill -0 "$SERVER_GROUP" 2>/dev/null || break
    sleep 0.1
  done
  echo "[e2e] code-server did not start; its log:" >&2
  cat "$dir/server.log" >&2
  return 1
}

# run_harness DIR SCRIPT: runs a harness in its own process group under the suite timeout; returns
# its exit status (124 on timeout).
run_harness() {
  local dir=$1 script=$2 pid rc
  setsid timeout -k 10 "$SUITE_TIMEOUT" node "$E2E_HERE/harness/$script" &
  pid=$!
  groups+=("$pid")
  wait "$pid"
  rc=$?
  stop_group "$pid"
  return $rc
}

# tally LABEL RESULTS_JSON EXIT_STATUS DIR: adds a suite's counts; a suite that reported nothing, or
# exited non-zero with no failed test, counts as one failure. Keeps its logs as artifacts.
tally() {
  local label=$1 file=$2 rc=$3 dir=$4 counts p f s
  counts="$(node -e '
    const fs = require("fs");
    try { const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); console.log(r.passed, r.failed, r.skipped || 0); }
    catch { console.log("none"); }' "$file")"
  if [ "$counts" = none ]; then
    echo "[e2e] $label: no results (exit status $rc)" >&2
    p=0 f=1 s=0
  else
    read -r p f s <<<"$counts"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
      echo "[e2e] $label: exit status $rc with no failed test" >&2
      f=1
    fi
  fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  echo "[e2e] $label: $p passed, $f failed, $s skipped"
  mkdir -p "$ARTIFACTS/$label"
  cp "$dir"/*.log "$file" "$ARTIFACTS/$label/" 2>/dev/null || true
}

# --- suites ---------------------------------------------------------------------------------------
# Extension-host suite, with the repository as the extension development path. In the untrusted run
# workspace trust stays enabled and the startup prompt is off, so the folder opens in Restricted Mode.
run_exthost() {
  local trust=$1 dir rc t0=$SECONDS
  dir="$RUN/exthost-$trust"
  local args=(--vscode-option enable-smoke-test-driver) locale=en server_bin=$E2E_CS server_path=$PATH no_driver=0
  [ "$trust" = untrusted ] || args+=(--disable-workspace-trust)
  if [ "$trust" = oldest ]; then
    if [ ! -x "$E2E_CS_OLDEST" ] || [ ! -x "$E2E_NODE_OLDEST/bin/node" ]; then
      echo "[e2e] code-server $E2E_OLDEST_CODE_SERVER_VERSION is not installed: run bash test/e2e/setup.sh" >&2
      failed=$((failed + 1))
      return
    fi
    server_bin=$E2E_CS_OLDEST server_path="$E2E_NODE_OLDEST/bin:$PATH"
    # code-server 4.103 has no --vscode-option, so no smoke-test driver: the harness waits for the
    # suite's results file instead of the driver's exit call.
    args=("${args[@]:2}") no_driver=1
  fi
  mkdir -p "$dir" && cp -r "$E2E_HERE/workspace" "$dir/ws"
  if [ "$trust" = fr ]; then
    # The workbench in French. code-server takes `--locale fr` only when a language pack for fr is
    # installed (else it stays English, and so does vscode.env.language, which picks our
    # package.nls.fr.json and l10n/bundle.l10n.fr.json). The marketplace's pack is out of reach, so
    # the run registers a pack of its own the way an installed one is: languagepacks.json in the user
    # data folder, naming a translations file (nearly empty: the workbench's strings we do not
    # translate stay English; ours are what the tests check).
    locale=fr
    args+=(--locale fr)
    mkdir -p "$dir/ud" && printf '{"contents":{}}\n' >"$dir/fr.i18n.json"
    printf '{"fr":{"hash":"e2e-fr-1","label":"français","extensions":[{"extensionIdentifier":{"id":"pipeline-studio.e2e-language-pack-fr"},"version":"0.0.1"}],"translations":{"vscode":"%s"}}}\n' "$dir/fr.i18n.json" >"$dir/ud/languagepacks.json"
  fi
  echo "[e2e] extension-host suite, $trust workspace"
  local mode=${trust/fr/trusted}
  if ! SERVER_BIN=$server_bin SERVER_PATH=$server_path E2E_LOCALE=$locale E2E_TRUST=${mode/oldest/trusted} E2E_RESULTS="$dir/results.json" E2E_GREP="${E2E_GREP:-}" start_server "$dir" "${args[@]}"; then
    tally "exthost-$trust" "$dir/results.json" 1 "$dir"
    return
  fi
  E2E_TOOLS="$E2E_TOOLS" E2E_BASE="$SERVER_URL" E2E_WORKSPACE="$dir/ws" E2E_DEV_PATH="${E2E_EXTENSION:-$E2E_ROOT}" \
    E2E_TESTS_PATH="$E2E_HERE/suite/index.cjs" E2E_LOG="$dir/workbench.log" E2E_RESULTS="$dir/results.json" E2E_NO_DRIVER=$no_driver \
    E2E_TIMEOUT_MS=$(((SUITE_TIMEOUT - 20) * 1000)) run_harness "$dir" exthost.cjs
  rc=$?
  stop_group "$SERVER_GROUP"
  tally "exthost-$trust" "$dir/results.json" $rc "$dir"
  echo "[e2e] extension-host suite ($trust) took $((SECONDS - t0))s"
}

# stage_extension EXT_DIR: the extension, as the UI suites install it, in EXT_DIR/<publisher.name-version>:
# from $E2E_VSIX, or staged from the repository (the entries .vscodeignore lets into the package,
# linked). Prints the extension's folder.
stage_extension() {
  local ext=$1 dir=$2 vsix=$3 id entry
  id="$(node -p 'const p=require(process.argv[1]); `${p.publisher}.${p.name}-${p.version}`' "$E2E_ROOT/package.json")"
  if [ -n "$vsix" ]; then
    printf 'auth: none\n' >"$dir/install-config.yaml"
    HOME="$dir/home" timeout 120 "$E2E_CS" --config "$dir/install-config.yaml" --extensions-dir "$ext" \
      --user-data-dir "$dir/ud" --install-extension "$vsix" >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; return 1; }
    ls -d "$ext/$id"*
  else
    mkdir -p "$ext/$id"
    # Top-level names the allowlist lets in, each linked once (ln into an existing link to a folder
    # would write inside the checkout).
    for entry in $({ sed -n 's|^!\([^/*]*\).*|\1|p' "$E2E_ROOT/.vscodeignore"; echo node_modules; } | sort -u); do
      [ -e "$E2E_ROOT/$entry" ] && ln -sn "$E2E_ROOT/$entry" "$ext/$id/$entry"
    done
    # The bundles are copied, not linked: the extension host knows which extension calls the API by
    # the path the module was loaded from, which Node resolves through links into the checkout; the
    # API it then gets belongs to no extension, and registering the debug adapter factory fails.
    rm "$ext/$id/dist" && cp -r "$E2E_ROOT/dist" "$ext/$id/dist"
    echo "$ext/$id"
  fi
}

# run_ui LABEL HARNESS [broken-server] [WORKSPACE]: a UI suite with the extension installed into the
# server's extensions folder, on a copy of WORKSPACE (default the fixture workspace; without the run
# history and outputs a checkout may hold). With broken-server, the staged dist/server.cjs throws at
# load instead.
run_ui() {
  local label=$1 harness=$2 variant=${3:-} source=${4:-$E2E_HERE/workspace} dir rc t0=$SECONDS lang ext_dir f vsix
  dir="$RUN/$label"
  mkdir -p "$dir/ext" "$dir/home" && cp -r "$source" "$dir/ws" && rm -rf "$dir/ws/.pipelines" "$dir/ws/.out"
  echo "[e2e] UI suite: $label"
  lang="$(node -p 'const l=(require(process.argv[1]).contributes?.languages||[]).find(l=>l.id==="pipeline"); l?.aliases?.[0]||"pipeline"' "$E2E_ROOT/package.json")"
  # A .vsix is installed as it is; a server broken on purpose needs the staged checkout.
  [ "$variant" = broken-server ] && vsix='' || vsix="${E2E_VSIX:-}"
  [ -n "$vsix" ] && echo "[e2e] installing ${vsix#"$E2E_ROOT/"}"
  if ! ext_dir="$(stage_extension "$dir/ext" "$dir" "$vsix")"; then
    tally "$label" "$dir/results.json" 1 "$dir"
    return
  fi
  if [ "$variant" = broken-server ]; then
    # A real directory of links to the built files, except the server, which fails at once.
    rm -rf "$ext_dir/dist" && mkdir "$ext_dir/dist"
    for f in "$E2E_ROOT"/dist/*; do ln -s "$f" "$ext_dir/dist/"; done
    rm -f "$ext_dir/dist/server.cjs"
    echo "throw new Error('e2e: this server bundle is broken on purpose');" >"$ext_dir/dist/server.cjs"
  fi
  if ! start_server "$dir" --disable-workspace-trust; then
    tally "$label" "$dir/results.json" 1 "$dir"
    return
  fi
  E2E_TOOLS="$E2E_TOOLS" E2E_BASE="$SERVER_URL" E2E_WORKSPACE="$dir/ws" E2E_ARTIFACTS="$ARTIFACTS" \
    E2E_UI_RESULTS="$dir/results.json" E2E_LANGUAGE_NAME="$lang" run_harness "$dir" "$harness"
  rc=$?
  stop_group "$SERVER_GROUP"
  tally "$label" "$dir/results.json" $rc "$dir"
  echo "[e2e] UI suite $label took $((SECONDS - t0))s"
}

# wanted LABEL: whether E2E_ONLY (comma-separated suite labels) lets the suite run.
wanted() { [ -z "${E2E_ONLY:-}" ] || [[ ",$E2E_ONLY," == *",$1,"* ]]; }
wanted exthost-trusted && run_exthost trusted
[ "${E2E_UNTRUSTED:-1}" = 0 ] || ! wanted exthost-untrusted || run_exthost untrusted
wanted exthost-fr && run_exthost fr
# The oldest workbench wherever it is installed (E2E_OLDEST=1 bash test/e2e/setup.sh), or when asked for by name.
if [ -x "$E2E_CS_OLDEST" ] || [[ ",${E2E_ONLY:-}," == *",exthost-oldest,"* ]]; then wanted exthost-oldest && run_exthost oldest; fi
if [ "${E2E_UI:-1}" != 0 ]; then
  wanted ui && run_ui ui ui.cjs
  wanted ui-run && run_ui ui-run ui-run.cjs '' "$E2E_ROOT/examples"
  wanted ui-graph && run_ui ui-graph ui-graph.cjs '' "$E2E_ROOT/examples"
  wanted ui-dashboard && run_ui ui-dashboard ui-dashboard.cjs '' "$E2E_ROOT/examples"
  wanted ui-details && run_ui ui-details ui-details.cjs '' "$E2E_ROOT/examples"
  wanted ui-broken-server && run_ui ui-broken-server ui-broken-server.cjs broken-server
  wanted ui-reload && run_ui ui-reload ui-reload.cjs '' "$E2E_HERE/reload-workspace"
  wanted ui-designer && run_ui ui-designer ui-designer.cjs '' "$E2E_ROOT/test/designer/workspace"
  wanted ui-triggers && run_ui ui-triggers ui-triggers.cjs '' "$E2E_HERE/triggers-workspace"
  wanted ui-compare && run_ui ui-compare ui-compare.cjs '' "$E2E_ROOT/test/designer/workspace"
  wanted ui-control && run_ui ui-control ui-control.cjs '' "$E2E_HERE/control-workspace"
  wanted ui-fanout && run_ui ui-fanout ui-fanout.cjs '' "$E2E_HERE/fanout-workspace"
  wanted ui-walkthrough && run_ui ui-walkthrough ui-walkthrough.cjs
fi

cleanup
echo "[e2e] done in $((SECONDS - started))s; artifacts in ${ARTIFACTS#"$E2E_ROOT/"}/"
summary_line
[ "$failed" -eq 0 ]
