#!/usr/bin/env bash
# The main job on the demo workspace (the repository root): builds separa and prints 20 coded intake
# forms (identity slip, sensitive sheet pages and a code card each) in English and Arabic side by side,
# registering their codes as printed. Installs missing Debian packages first (as root; otherwise prints
# the command to run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
swift build -c release --product separa >&2
separa=".build/release/separa"
"$separa" print intake --count 20 --languages en,ar --card --workspace .
