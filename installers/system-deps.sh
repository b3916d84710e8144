#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages CoopDesk and its tests need, only those missing.
# Qt's xcb/offscreen platforms need the X/GL/font libraries; the tests render PDFs with
# poppler, check xlsx files with LibreOffice, and run real windows under Xvfb.
set -euo pipefail

packages=(
  python3-venv
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  xvfb xauth poppler-utils libreoffice-calc-nogui
)

command -v dpkg-query >/dev/null 2>&1 || { echo "system-deps: not a Debian/Ubuntu system; install the Qt libraries, Xvfb, poppler-utils and LibreOffice Calc yourself" >&2; exit 0; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "system-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
