#!/usr/bin/env bash
# Installs the Debian packages Separa needs, if any are missing.
#   scripts/deps.sh build   — to build and run separa
#   scripts/deps.sh test    — to build and run the test suite as well
# As root it runs apt-get; otherwise it prints the exact command to run and stops.
set -euo pipefail

build_packages=(pkg-config libsqlite3-dev libqrencode-dev libpng-dev libcairo2-dev libpango1.0-dev fonts-noto-core fonts-noto-mono zlib1g-dev libxml2)
test_packages=(qpdf poppler-utils zbar-tools age sqlite3 python3-pip strace)

wanted=("${build_packages[@]}")
if [ "${1:-build}" = "test" ]; then wanted+=("${test_packages[@]}"); fi

missing=()
for package in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "Separa needs these Debian packages. Install them as root, then run this again:" >&2
        echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "Installing: ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "Swift 6.1 or later is needed (https://www.swift.org/install/linux/); 'swift' is not on PATH." >&2
    exit 1
fi

# pyrage: a second, independent age implementation used as an interop oracle by the tests.
if [ "${1:-build}" = "test" ] && ! python3 -c 'import pyrage' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore pyrage >&2 2>/dev/null \
        || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --break-system-packages pyrage >&2 \
        || echo "note: pyrage could not be installed; the age interop tests that need it will be skipped" >&2
fi
