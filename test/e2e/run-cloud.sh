#!/usr/bin/env bash
# `npm run test:e2e:cloud`: the n8n Cloud edition (#17) against a real n8n 2.x set up as Cloud is
# for this package (package not installed, community packages off, no Code-node module allowances).
#   1. Node 24 + n8n from the cache outside the clone (installed on the first run);
#   2. the Cloud workflows are checked against a fresh build of the core (no npm pack needed);
#   3. jest on test/e2e/cloud.e2e.test.ts. Extra arguments go to jest.
# With N8N_E2E_CLOUD_QUEUE=1 (`npm run test:e2e:cloud-queue`, opt-in, not in CI) step 3 runs
# test/e2e/cloudQueue.e2e.test.ts instead: the Cloud edition in queue mode, Propstreet on OAuth2.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
step() { echo; echo "=== e2e (cloud): $1 ($(( $(date +%s) - start ))s)"; }

step "n8n toolchain"
npx tsx test/harness/install.ts

step "generated Cloud workflows are fresh"
node tools/build-cloud.mjs --check

suite=test/e2e/cloud.e2e.test.ts
if [ "${N8N_E2E_CLOUD_QUEUE:-}" = 1 ]; then suite=test/e2e/cloudQueue.e2e.test.ts; fi
step "jest ($suite)"
npx jest -c jest.e2e.config.js --runInBand "$suite" "$@"

step "done"
