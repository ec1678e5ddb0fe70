#!/usr/bin/env bash
# Installs Debian's Chromium for the editor test when it is missing (idempotent). The test
# drives /usr/bin/chromium through playwright-core; nothing ever downloads a browser build.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "browser-deps: need root to install chromium (apt-get install -y chromium)" >&2
	exit 1
fi
echo "browser-deps: installing chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
