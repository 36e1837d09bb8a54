#!/usr/bin/env bash
# Installs the Debian packages the demo and the tests need; does nothing when all are there.
# Run as root (or with sudo available). Services are started by the demo and the test fixtures,
# never here: these machines have no init system.
set -euo pipefail

PACKAGES=(
  make python3 python3-venv python3-dev build-essential pkg-config swig
  xvfb xauth libgl1 libegl1 libmtdev1 x11-utils
  fonts-wqy-microhei fonts-noto-cjk
  pcscd libpcsclite1 libpcsclite-dev vsmartcard-vpcd
  cups cups-bsd cups-client printer-driver-cups-pdf poppler-utils ghostscript
  espeak-ng sox
  postgresql
  chromium chromium-driver
  libzbar0 libusb-1.0-0
  strace
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
