#!/usr/bin/env bash
# `npm run test:stress`: the whole unit suite 3 times in a row while two CPU burners (`node -e
# 'for(;;);'`) compete for the cores, to show that no test depends on an idle machine. Prints each
# run's summary; exits non-zero if any run failed. The burners are always stopped.
# Extra arguments replace the unit-test globs, as with npm test.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=tmpLeftovers.sh
source scripts/tmpLeftovers.sh
RUNS=${STRESS_RUNS:-3}
burners=()
stop_burners() {
  local pid
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${burners[@]}"; do wait "$pid" 2>/dev/null; done
  burners=()
}
trap stop_burners EXIT
trap 'echo "[stress] interrupted" >&2; exit 130' INT TERM

npm run --silent build >/dev/null 2>&1 || { echo "[stress] npm run build failed (run npm run build to see why)" >&2; exit 1; }
for _ in 1 2; do
  node -e 'for(;;);' &
  burners+=("$!")
done
echo "[stress] CPU burners: ${burners[*]} (on $(nproc) cores)"

if [ $# -gt 0 ]; then globs=("$@"); else globs=("core/**/*.test.ts" "test/**/*.test.ts"); fi
log="$(mktemp "${TMPDIR:-/tmp}/pipeline-stress.XXXXXX")"
summaries=() bad=0
for i in $(seq 1 "$RUNS"); do
  t0=$SECONDS
  # A TMPDIR of its own, as npm test does, so that what the tests leave behind is counted.
  run_tmp="$(mktemp -d "${TMPDIR:-/tmp}/pipeline-stress-tmp.XXXXXX")"
  TMPDIR="$run_tmp" node --test --test-reporter=spec --test-reporter-destination=stdout "${globs[@]}" >"$log" 2>&1
  rc=$?
  left="$(tmp_leftovers "$run_tmp")"
  rm -rf "$run_tmp"
  counts="$(grep -E '^ℹ (tests|pass|fail|cancelled|skipped|todo) ' "$log" | sed 's/^ℹ //' | paste -sd, - | sed 's/,/, /g')"
  summary="run $i: ${counts:-no summary}, exit status $rc, $((SECONDS - t0))s, TMPDIR leftovers: $(grep -c . <<<"$left")"
  [ -n "$left" ] && echo "[stress] left in TMPDIR: $(paste -sd' ' <<<"$left")"
  echo "[stress] $summary"
  # The failing tests of this run, with their first lines, so a flake can be traced.
  [ "$rc" -eq 0 ] || { bad=1; grep -E '^\s*✖' "$log" | head -20; }
  summaries+=("$summary")
done
rm -f "$log"
stop_burners
echo "[stress] summaries:"
printf '  %s\n' "${summaries[@]}"
[ "$bad" -eq 0 ]
