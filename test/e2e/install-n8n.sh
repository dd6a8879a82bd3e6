#!/usr/bin/env bash
# Installs the n8n the end-to-end suite, the demo and the benchmarks run, once, into a git-ignored cache.
# N8N_VERSION picks another release (default 2.8.4, the newest that runs on Node 20).
# Prints the path of the n8n binary on its last line.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
version="${N8N_VERSION:-2.8.4}"
dir="${QLARA_N8N_CACHE:-$root/.cache}/n8n-$version"
bin="$dir/node_modules/.bin/n8n"
# n8n cannot open its database without sqlite3's native addon, which npm builds from source with node-gyp
# (no prebuilt binary is reachable from these machines). An install without it is not an install.
sqlite_loads() { (cd "$dir" && node -e "require('sqlite3')" >/dev/null 2>&1); }
if [ -x "$bin" ] && [ -f "$dir/.installed" ] && sqlite_loads; then
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
rm -f "$dir/.installed"
# Run from an npm script, npm passes this project's ignore-scripts=true on (npm_config_ignore_scripts);
# n8n's dependencies need their install scripts (sqlite3's native build), so turn them back on here.
(cd "$dir" && npm install --ignore-scripts=false --no-audit --no-fund --loglevel=error >&2)
if ! sqlite_loads; then
  # A folder left by an install without scripts: npm does not rerun them for packages already in place.
  (cd "$dir" && npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >&2) || true
fi
if ! sqlite_loads; then
  echo "n8n@$version installed, but sqlite3's native addon does not load (its node-gyp build needs python3, make and g++)" >&2
  exit 1
fi
touch "$dir/.installed"
echo "$bin"
