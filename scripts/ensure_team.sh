#!/usr/bin/env bash
# Install what `make team` and the shared store's tests need from Debian when it is missing (needs
# root or sudo): PostgreSQL 15 with PostGIS 3, and HAProxy. Idempotent and quiet when all is there.
set -euo pipefail
need=()
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  need+=(postgresql-15)
fi
if [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  need+=(postgresql-15-postgis-3)
fi
if [ ! -x /usr/sbin/haproxy ]; then
  need+=(haproxy)
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing Debian ${need[*]} for the team deployment and the store's tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
