#!/usr/bin/env bash
# `npm run scan`: n8n's community-package scanner (@n8n/scan-community-package, the check n8n runs
# before it verifies a package for n8n Cloud) over this package, without publishing it. The scanner
# itself downloads a published version and its provenance-attested source; here both of its lint
# legs run on what we have: the source (package.json, nodes/, credentials/) and the packed tarball
# (its compiled .js and package.json). Provenance needs an npm publish and is not checked.
# The scanner is installed on first use into a cache outside the clone (it pins its own ESLint).
# Run after `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${N8N_SCANNER_VERSION:-0.32.0}"
cache="${N8N_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-propstreet}/scan-community-package-$version"
if [ ! -f "$cache/node_modules/@n8n/scan-community-package/scanner/scanner.mjs" ]; then
  echo "installing @n8n/scan-community-package@$version into $cache"
  mkdir -p "$cache"
  npm install --prefix "$cache" --ignore-scripts --no-audit --no-fund --no-save --loglevel=error "@n8n/scan-community-package@$version" >/dev/null
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/propstreet-scan-XXXXXX")
trap 'rm -rf "$work"' EXIT
tarball=$(npx tsx test/harness/pack.ts "$work")
mkdir -p "$work/package"
tar -xzf "$tarball" -C "$work/package" --strip-components=1
node tools/scan-package.mjs "$cache/node_modules/@n8n/scan-community-package/scanner/scanner.mjs" "$PWD" "$work/package"
