#!/usr/bin/env bash
# `npm run test:e2e:cloud-queue` (opt-in, not in CI): the n8n Cloud edition in n8n queue mode
# (Postgres + Redis, a webhook processor and two workers), with every Propstreet HTTP Request node
# on n8n's generic OAuth2 credential (client credentials). See test/e2e/cloudQueue.e2e.test.ts.
# Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
step() { echo; echo "=== e2e (cloud, queue mode): $1 ($(( $(date +%s) - start ))s)"; }

step "n8n toolchain"
npx tsx test/harness/install.ts

step "generated Cloud workflows are fresh"
node tools/build-cloud.mjs --check

step "jest (cloud e2e in queue mode)"
N8N_E2E_CLOUD_QUEUE=1 npx jest -c jest.e2e.config.js --runInBand test/e2e/cloudQueue.e2e.test.ts "$@"

step "done"
