#!/usr/bin/env bash
# The whole test suite: installs missing Debian packages (as root; otherwise prints the command to run),
# checks formatting, builds, checks the layering and the package list, and runs every test. Tests that
# need ../shared/testdata (third-party conformance data) say SKIPPED when it is not there.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
echo "== swift format lint" >&2
swift format lint --strict --recursive Sources Tests
echo "== swift build" >&2
swift build --build-tests
echo "== layering: no room uses a room the README's table does not allow" >&2
python3 scripts/check-layers.py
echo "== fresh machine: scripts/deps.sh installs every font and library separa needs" >&2
scripts/check-packages.sh >/dev/null
echo "== both checks fail when broken on purpose" >&2
scripts/test-checks.sh
echo "== swift test" >&2
swift test --skip-build
