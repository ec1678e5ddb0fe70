#!/usr/bin/env bash
# Installs what n8n's queue mode needs on this machine (Debian): PostgreSQL and Redis, from
# Debian's packages. Idempotent: does nothing when both are present. Called by .ci/run before
# `npm run test:queue`. The servers are NOT started here (and Debian's service auto-start is
# suppressed): runtime/queue.ts starts throwaway instances on loopback ports of its own.
set -euo pipefail

pg_bin() {
	# initdb / postgres live in /usr/lib/postgresql/<ver>/bin on Debian (not on PATH)
	command -v initdb >/dev/null 2>&1 && return 0
	ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

need=()
pg_bin || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)

if [ ${#need[@]} -eq 0 ]; then
	echo "queue-deps: postgresql and redis-server already installed"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "queue-deps: need root to install ${need[*]} (apt-get)" >&2
	exit 1
fi

echo "queue-deps: installing ${need[*]}"
# Keep dpkg from starting system-wide services (a postgres on 5432, a redis on 6379) that
# nobody would stop: exit code 101 = "action forbidden" for invoke-rc.d.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod +x "$policy"
	own_policy=1
fi
cleanup() { if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "queue-deps: done ($(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -1), $(redis-server --version | head -c 40))"
