#!/usr/bin/env bash
# Installs the n8n the end-to-end suite, the demo and the benchmarks run, once, into a git-ignored cache.
# N8N_VERSION picks another release (default 2.8.4, the newest that runs on Node 20).
# Prints the path of the n8n binary on its last line.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
version="${N8N_VERSION:-2.8.4}"
dir="${QLARA_N8N_CACHE:-$root/.cache}/n8n-$version"
bin="$dir/node_modules/.bin/n8n"
if [ -x "$bin" ] && [ -f "$dir/.installed" ]; then
  echo "$bin"
  exit 0
fi
mkdir -p "$dir"
# n8n's xlsx dependency points at a host outside the npm registry; pin the registry's last xlsx instead.
cat > "$dir/package.json" <<JSON
{
  "name": "qlara-n8n-cache",
  "private": true,
  "dependencies": { "n8n": "$version" },
  "overrides": { "xlsx": "0.18.5" }
}
JSON
echo "installing n8n@$version into $dir (a few minutes, once)" >&2
(cd "$dir" && npm install --no-audit --no-fund --loglevel=error >&2)
touch "$dir/.installed"
echo "$bin"
