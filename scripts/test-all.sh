#!/usr/bin/env bash
# `npm test`: the unit tests (node --test), then the end-to-end suites in a real VS Code workbench
# (test/e2e/run.sh). The last line is "N passed, N failed" over both; the exit status is non-zero
# when anything failed, including a part that could not run at all (e.g. the e2e tools are missing).
# Extra arguments replace the unit-test globs, e.g. npm test -- "test/lsp/**/*.test.ts".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
passed=0 failed=0
log="$(mktemp "${TMPDIR:-/tmp}/pipeline-test.XXXXXX")"
trap 'rm -f "$log"' EXIT

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

# 1. Unit tests. The spec reporter ends with "ℹ pass N", "ℹ fail N", "ℹ cancelled N".
t0=$SECONDS
if [ $# -gt 0 ]; then globs=("$@"); else globs=("core/**/*.test.ts" "test/**/*.test.ts"); fi
node --test --test-reporter=spec --test-reporter-destination=stdout "${globs[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
p="$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -1)"
f="$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -1)"
c="$(sed -n 's/^ℹ cancelled \([0-9]*\)$/\1/p' "$log" | tail -1)"
[ -n "$f" ] && f=$((f + ${c:-0}))
count "unit tests" "$p" "$f" "$rc"
unit_time=$((SECONDS - t0))

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
