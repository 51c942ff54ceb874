#!/usr/bin/env bash
# The main job on the demo workspace (the repository root): builds separa and issues a batch of case
# codes. Installs missing Debian packages first (as root; otherwise prints the command to run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
swift build -c release --product separa >&2
separa=".build/release/separa"
"$separa" codes issue 20 --note "demo batch" --workspace .
"$separa" codes info --workspace .
