#!/usr/bin/env bash
# `npm test`: installs the end-to-end tools when they are missing (test/e2e/setup.sh, cached in
# .tools/e2e), builds, runs the unit tests (node --test) in a TMPDIR of their own and checks that they
# left nothing there, then runs the end-to-end suites in a real VS Code workbench (test/e2e/run.sh).
# The last line is "N passed, N failed" over all of it; the exit status is non-zero when anything
# failed, including a part that could not run at all.
# Extra arguments replace the unit-test globs, e.g. npm test -- "test/lsp/**/*.test.ts".
#
# Environment (besides test/e2e/lib.sh's E2E_TOOLS, E2E_CHROMIUM, E2E_UID, E2E_KRB5_HEADER):
#   TEST_ALL_TOOLS_ONLY=1   stop after the tools check/install (for test/testCommand.test.ts)
set -uo pipefail
# The tests compare the CLI's plain output; on GitHub Actions or GitLab CI `run` would print log groups
# instead (test/ciGroups sets these variables itself).
unset GITHUB_ACTIONS GITLAB_CI
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=../test/e2e/lib.sh
source test/e2e/lib.sh
# shellcheck source=tmpLeftovers.sh
source scripts/tmpLeftovers.sh
passed=0 failed=0

# Stops before running anything, with one line saying why and a failing summary.
stop() {
  echo "[test] $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

# 0. The end-to-end tools (also needed by the unit tests of the graph webview, which drive Chromium).
# Present: a few file tests. Missing: installed once; a user who is not root and lacks Debian's
# chromium is told the one command to run as root instead.
missing="$(e2e_missing_tools)"
if [ -n "$missing" ]; then
  apt_missing="$(e2e_apt_packages "$missing")"
  if [ -n "$apt_missing" ] && [ "$E2E_UID" != 0 ]; then
    stop "the end-to-end tests need Debian packages that only root can install ($apt_missing); as root, run: $(e2e_root_command "$apt_missing")   then run npm test again"
  fi
  echo "[test] installing the end-to-end tools once into ${E2E_TOOLS#"$root/"} ($missing)" >&2
  bash test/e2e/setup.sh || stop "installing the end-to-end tools failed (see above); nothing was tested"
fi
[ "${TEST_ALL_TOOLS_ONLY:-0}" = 1 ] && { echo "[test] the end-to-end tools are ready"; exit 0; }

log="$(mktemp "${TMPDIR:-/tmp}/pipeline-test.XXXXXX")"
unit_tmp="$(mktemp -d "${TMPDIR:-/tmp}/pipeline-unit-tmp.XXXXXX")"
trap 'rm -rf "$log" "$unit_tmp"' EXIT

npm run --silent build >"$log" 2>&1 || { cat "$log" >&2; stop "npm run build failed; nothing was tested"; }

# Adds the counts of a part, or one failure when it printed none (it crashed before its summary).
count() {
  local label=$1 p=$2 f=$3 rc=$4
  if [ -z "$p" ] || [ -z "$f" ]; then
    echo "[test] $label printed no summary (exit status $rc): counted as 1 failure" >&2
    p=0 f=1
  elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "[test] $label exited with status $rc but reported no failure: counted as 1 failure" >&2
    f=1
  fi
  passed=$((passed + p)) failed=$((failed + f))
}

# 1. Unit tests, with a TMPDIR of their own. The spec reporter ends with "ℹ pass N", "ℹ fail N",
# "ℹ cancelled N".
t0=$SECONDS
if [ $# -gt 0 ]; then globs=("$@"); else globs=("core/**/*.test.ts" "test/**/*.test.ts"); fi
TMPDIR="$unit_tmp" node --test --test-reporter=spec --test-reporter-destination=stdout "${globs[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
p="$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -1)"
f="$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -1)"
c="$(sed -n 's/^ℹ cancelled \([0-9]*\)$/\1/p' "$log" | tail -1)"
[ -n "$f" ] && f=$((f + ${c:-0}))
count "unit tests" "$p" "$f" "$rc"
unit_time=$((SECONDS - t0))

# 1b. One more test: the unit tests left nothing in their TMPDIR (see scripts/tmpLeftovers.sh).
leftovers="$(tmp_leftovers "$unit_tmp")"
if [ -z "$leftovers" ]; then
  echo "✔ the unit tests left nothing in their TMPDIR"
  passed=$((passed + 1))
else
  echo "✖ the unit tests left $(wc -l <<<"$leftovers") entries in their TMPDIR ($unit_tmp):"
  sed 's/^/    /' <<<"$leftovers" | head -40
  failed=$((failed + 1))
fi
rm -rf "$unit_tmp"

# 2. End-to-end suites; run.sh ends with "e2e: N passed, N failed[, N skipped]". The UI suite
# installs the .vsix that `npm run package` makes, so what ships is what is tested.
t0=$SECONDS
vsix=''
if npm run --silent package >"$log" 2>&1 && [ -f pipeline-studio.vsix ]; then
  vsix="$root/pipeline-studio.vsix"
  echo "[test] packaged pipeline-studio.vsix ($(du -k pipeline-studio.vsix | cut -f1) KB)"
else
  cat "$log" >&2
  echo "[test] npm run package failed: counted as 1 failure; the UI suite uses the checkout instead" >&2
  failed=$((failed + 1))
fi
E2E_VSIX="$vsix" bash test/e2e/run.sh 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary="$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)"
p="$(sed -n 's/^e2e: \([0-9]*\) passed.*/\1/p' <<<"$summary")"
f="$(sed -n 's/^e2e: [0-9]* passed, \([0-9]*\) failed.*/\1/p' <<<"$summary")"
count "e2e suites" "$p" "$f" "$rc"
e2e_time=$((SECONDS - t0))

echo "[test] unit tests took ${unit_time}s, e2e suites ${e2e_time}s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
