#!/usr/bin/env bash
# `npm run test:e2e`: the e2e suite against a real n8n 2.x.
#   1. Node 24 + n8n (pinned; env N8N_VERSION) from the cache outside the clone, installed on the first run (~5-7 min);
#   2. build and `npm pack` this package, as it would be published;
#   3. jest with jest.e2e.config.js; each suite starts n8n with the tarball installed into its nodes folder.
# Extra arguments go to jest, e.g. `npm run test:e2e -- -t proxy`.
# Env: N8N_E2E_CACHE (cache folder), N8N_E2E_KEEP=1 (keep every n8n user folder), E2E_SKIP_BUILD=1 (dist/ is fresh).
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
step() { echo; echo "=== e2e: $1 ($(( $(date +%s) - start ))s)"; }

step "n8n toolchain"
npx tsx test/harness/install.ts

if [ "${E2E_SKIP_BUILD:-}" != "1" ]; then
  step "npm run build"
  npm run build
fi

step "npm pack"
pack_dir=$(mktemp -d "${TMPDIR:-/tmp}/propstreet-pack-XXXXXX")
trap 'rm -rf "$pack_dir"' EXIT
N8N_E2E_PACKAGE=$(npx tsx test/harness/pack.ts "$pack_dir")
export N8N_E2E_PACKAGE
echo "packed $N8N_E2E_PACKAGE"

step "jest (e2e)"
# E2E_PARALLEL=N runs N suite files at once (each boots its own n8n on free ports); default one at a time.
if [ -n "${E2E_PARALLEL:-}" ]; then
  npx jest -c jest.e2e.config.js --maxWorkers="$E2E_PARALLEL" "$@"
else
  npx jest -c jest.e2e.config.js --runInBand "$@"
fi

step "done"
