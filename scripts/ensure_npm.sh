#!/usr/bin/env bash
# Install Debian's nodejs and npm when npm is missing (needs root or sudo): `make venv` installs
# the map's npm plugin (leaflet.heat, web/package-lock.json) with `npm ci`.
set -euo pipefail
if command -v npm >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing Debian nodejs and npm for the map's npm packages..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
