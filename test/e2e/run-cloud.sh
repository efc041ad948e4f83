#!/usr/bin/env bash
# `npm run test:e2e:cloud`: the n8n Cloud edition (#17) against a real n8n 2.x set up as Cloud is
# for this package (package not installed, community packages off, no Code-node module allowances).
#   1. Node 24 + n8n from the cache outside the clone (installed on the first run);
#   2. the Cloud workflows are checked against a fresh build of the core (no npm pack needed);
#   3. jest on test/e2e/cloud.e2e.test.ts. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
step() { echo; echo "=== e2e (cloud): $1 ($(( $(date +%s) - start ))s)"; }

step "n8n toolchain"
npx tsx test/harness/install.ts

step "generated Cloud workflows are fresh"
node tools/build-cloud.mjs --check

step "jest (cloud e2e)"
npx jest -c jest.e2e.config.js --runInBand test/e2e/cloud.e2e.test.ts "$@"

step "done"
