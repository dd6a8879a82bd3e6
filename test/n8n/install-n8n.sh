#!/usr/bin/env bash
# Installs the n8n the end-to-end suite, the demo and the benchmarks run, once, into a git-ignored cache
# (QLARA_N8N_CACHE, default .cache/). N8N_VERSION picks the release (test/n8n/n8n.ts passes its default).
# A release that needs a newer Node than the machine's (n8n 2.9 and later need Node 24) is installed
# and run with the Node that install-node.sh fetches from the npm registry.
# Prints, on its last line, the path of a launcher that runs that n8n with the Node it was installed with.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="${N8N_VERSION:?N8N_VERSION must name an n8n release, e.g. N8N_VERSION=2.8.4}"
dir="${QLARA_N8N_CACHE:-$root/.cache}/n8n-$version"
launcher="$dir/n8n"
# n8n cannot open its database without sqlite3's native addon, which npm builds from source with node-gyp
# (no prebuilt binary is reachable from these machines). An install without it is not an install.
sqlite_loads() { (cd "$dir" && PATH="$node_bin:$PATH" node -e "require('sqlite3')" >/dev/null 2>&1); }
# The launcher puts the Node n8n was installed with first on PATH, for n8n and the task runner it starts.
write_launcher() {
  echo "$node_bin" > "$dir/.node-bin"
  cat > "$launcher" <<SH
#!/usr/bin/env bash
PATH="$node_bin:\$PATH" exec "$node_bin/node" "$dir/node_modules/n8n/bin/n8n" "\$@"
SH
  chmod +x "$launcher"
}
if [ -f "$dir/.installed" ] && [ -f "$dir/node_modules/n8n/bin/n8n" ]; then
  # Installed with the Node recorded in .node-bin, or (an install made before there was one) the machine's.
  node_bin="$(cat "$dir/.node-bin" 2>/dev/null || dirname "$(command -v node)")"
  if sqlite_loads; then
    [ -x "$launcher" ] || write_launcher
    echo "$launcher"
    exit 0
  fi
fi
mkdir -p "$dir"
# The oldest Node major the release accepts (engines.node ">=24.0.0" -> 24, ">=20.19 <= 24.x" -> 20).
engines="$(npm view "n8n@$version" engines.node 2>/dev/null || true)"
if [ -z "$engines" ]; then
  echo "n8n@$version is not in the npm registry" >&2
  exit 1
fi
node_major="$(sed -E 's/^[^0-9]*([0-9]+).*/\1/' <<<"$engines")"
node_bin="$(bash "$here/install-node.sh" "$node_major" | tail -n 1)"
node_dir="$(dirname "$node_bin")"
# n8n's xlsx dependency points at a host outside the npm registry; pin the registry's last xlsx instead.
# N8N_OVERRIDES (a JSON object) adds npm overrides, for a release whose dependencies the registry lacks.
overrides="$(node -e 'console.log(JSON.stringify({ xlsx: "0.18.5", ...JSON.parse(process.argv[1] || "{}") }))' "${N8N_OVERRIDES:-}")"
cat > "$dir/package.json" <<JSON
{
  "name": "qlara-n8n-cache",
  "private": true,
  "dependencies": { "n8n": "$version" },
  "overrides": $overrides
}
JSON
echo "installing n8n@$version (Node $("$node_bin/node" -v)) into $dir (a few minutes, once)" >&2
rm -f "$dir/.installed"
# Native addons (sqlite3) are built with node-gyp against the headers of the Node that will run them:
# with the fetched Node, npm_config_nodedir points node-gyp at its include/ (no headers download).
nodedir_env=()
if [ -d "$node_dir/include/node" ]; then nodedir_env=("npm_config_nodedir=$node_dir"); fi
# n8n 2.41's Kafka client (@confluentinc/kafka-javascript) downloads a prebuilt binary from GitHub, or
# else builds librdkafka after downloading zlib, OpenSSL, zstd and curl sources: neither is reachable
# here. Linked dynamically it builds its bundled librdkafka against the system's libraries instead.
export CKJS_LINKING="${CKJS_LINKING:-dynamic}"
# Run from an npm script, npm passes this project's ignore-scripts=true on (npm_config_ignore_scripts);
# n8n's dependencies need their install scripts (sqlite3's native build), so turn them back on here.
(cd "$dir" && env PATH="$node_bin:$PATH" "${nodedir_env[@]}" \
  npm install --ignore-scripts=false --no-audit --no-fund --loglevel=error >&2)
if ! sqlite_loads; then
  # A folder left by an install without scripts: npm does not rerun them for packages already in place.
  (cd "$dir" && env PATH="$node_bin:$PATH" "${nodedir_env[@]}" \
    npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >&2) || true
fi
if ! sqlite_loads; then
  echo "n8n@$version installed, but sqlite3's native addon does not load (its node-gyp build needs python3, make and g++)" >&2
  exit 1
fi
write_launcher
touch "$dir/.installed"
echo "$launcher"
