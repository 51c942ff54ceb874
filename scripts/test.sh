#!/usr/bin/env bash
# The whole test suite: installs missing Debian packages (as root; otherwise prints the command to run),
# checks formatting, builds, and runs every test. Tests that need ../shared/testdata (third-party
# conformance data) say SKIPPED when it is not there.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
echo "== swift format lint" >&2
swift format lint --strict --recursive Sources Tests
echo "== swift build" >&2
swift build --build-tests
echo "== swift test" >&2
swift test --skip-build
