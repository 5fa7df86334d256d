#!/usr/bin/env bash
# The whole test suite: installs what it needs on a fresh machine, then runs unit, integration
# and bundle tests. Under CI=true a missing server fails the run instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/ensure-servers.sh
if [ "${CI:-}" = "true" ] && [ -z "${FUZZ_RUNS:-}" ]; then export FUZZ_RUNS=10000; fi  # fuzz targets: 10,000 inputs each in CI
if [ "${CI:-}" = "true" ] && [ $# -eq 0 ]; then
  # The whole suite under CI also checks the README's reliability figures against this very run.
  report="$(mktemp -d)/vitest.json"
  npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
  node scripts/reliability.mjs --report "$report" --check
  rm -rf "$(dirname "$report")"
else
  npx vitest run "$@"
fi
