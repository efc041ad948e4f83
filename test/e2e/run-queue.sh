#!/usr/bin/env bash
# `npm run test:e2e:queue`: the e2e sync scenarios against n8n in queue mode (Postgres + Redis from
# Debian's packages, installed when missing; main + one webhook processor + two workers), then the
# queue-specific checks (queue.e2e.test.ts). The stack reads N8N_E2E_MODE=queue; the scenario file
# is the same one `npm run test:e2e` runs in single-process mode.
# Extra arguments go to jest instead of the default files, e.g. `npm run test:e2e:queue -- queue.e2e -t signature`.
# Env: N8N_E2E_WORKERS (default 2), N8N_E2E_CONCURRENCY (jobs per worker, default 5), plus run.sh's.
set -euo pipefail
cd "$(dirname "$0")/../.."
export N8N_E2E_MODE=queue
if [ "$#" -eq 0 ]; then
  set -- test/e2e/sync.e2e.test.ts test/e2e/queue.e2e.test.ts
fi
exec bash test/e2e/run.sh "$@"
