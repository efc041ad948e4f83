#!/usr/bin/env bash
# `npm run test:compat`: does the built package load and run on an n8n 1.x host?
# Installs the n8n-core / n8n-workflow versions that n8n 1.85.4 ships (the oldest host we claim)
# into a temp folder, puts this package's dist there as n8n would, loads it with that n8n-core's
# package loader and executes the Mapper and the Differ against that n8n-workflow.
# Env: COMPAT_N8N_CORE (default 1.84.0), COMPAT_N8N_WORKFLOW (default 1.83.0).
set -euo pipefail
cd "$(dirname "$0")/../.."
core=${COMPAT_N8N_CORE:-1.84.0}
workflow=${COMPAT_N8N_WORKFLOW:-1.83.0}
[ -f dist/nodes/Propstreet/Propstreet.node.js ] || npm run build
dir=$(mktemp -d "${TMPDIR:-/tmp}/propstreet-compat-XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo '{"name":"propstreet-compat","private":true}' > "$dir/package.json"
echo "installing n8n-core@$core n8n-workflow@$workflow"
(cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error "n8n-core@$core" "n8n-workflow@$workflow" >/dev/null)
mkdir -p "$dir/node_modules/n8n-nodes-propstreet"
cp -r package.json dist "$dir/node_modules/n8n-nodes-propstreet/"
cp test/compat/check.js "$dir/"
(cd "$dir" && node check.js)
