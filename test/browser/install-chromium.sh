#!/usr/bin/env bash
# The browser test drives Debian's Chromium (the `chromium` package), never a downloaded browser:
# installs it when /usr/bin/chromium is missing. Needs root or sudo; waits for another apt to finish.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
	exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
echo "installing Debian's chromium package (apt-get) for the browser test…"
"${as_root[@]}" apt-get install -y -o DPkg::Lock::Timeout=900 chromium >/dev/null || {
	"${as_root[@]}" apt-get update -o DPkg::Lock::Timeout=900 >/dev/null
	"${as_root[@]}" apt-get install -y -o DPkg::Lock::Timeout=900 chromium >/dev/null
}
/usr/bin/chromium --version
