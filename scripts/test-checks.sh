#!/usr/bin/env bash
# Proves that the two structural checks of the test command can fail: each is run once on the real tree
# (it must pass) and once on a copy broken on purpose (it must fail, naming what was broken).
#   scripts/test-checks.sh [BINARY]     BINARY: the built separa (default: swift build --show-bin-path)
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-$(swift build --show-bin-path)/separa}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failures=0

expect_failure() {  # NAME PATTERN COMMAND...: the command must exit 1 and print PATTERN
    local name="$1" pattern="$2"
    shift 2
    local output status=0
    output="$("$@" 2>&1)" || status=$?
    if [ "$status" -ne 1 ] || ! grep -q -- "$pattern" <<<"$output"; then
        echo "FAILED: $name: expected exit 1 and '$pattern'; got exit $status:" >&2
        echo "$output" | tail -5 >&2
        failures=$((failures + 1))
    else
        echo "ok: $name fails as it should"
    fi
}

# The layering check: the real tree passes; a base room reaching up into Store/, SQL text in a
# capability and GRDB imported outside Store/ each fail.
python3 scripts/check-layers.py >/dev/null
mkdir -p "$scratch/tree"
cp -R Sources README.md "$scratch/tree/"
cat >>"$scratch/tree/Sources/SeparaKit/Values/CaseCode.swift" <<'SWIFT'

extension CaseCode {
    func registered(in store: Store) -> Bool { false }
}
SWIFT
expect_failure "layers: Values → Store" "draws no arrow Values → Store" \
    python3 scripts/check-layers.py --root "$scratch/tree"
cp Sources/SeparaKit/Values/CaseCode.swift "$scratch/tree/Sources/SeparaKit/Values/CaseCode.swift"
printf '\nlet sneaky = "DELETE FROM record WHERE code = ?"\n' >>"$scratch/tree/Sources/SeparaKit/Purge/Purge.swift"
expect_failure "layers: SQL outside Store/" "outside room Store" python3 scripts/check-layers.py --root "$scratch/tree"
cp Sources/SeparaKit/Purge/Purge.swift "$scratch/tree/Sources/SeparaKit/Purge/Purge.swift"
sed -i '1i import GRDB' "$scratch/tree/Sources/SeparaKit/Reports/Report.swift"
expect_failure "layers: GRDB outside Store/" "import GRDB" python3 scripts/check-layers.py --root "$scratch/tree"

# The fresh-machine package check: the real list passes; without fonts-noto-mono or libqrencode it fails.
scripts/check-packages.sh "$binary" >/dev/null
sed '/^build_packages=/s/ fonts-noto-mono//' scripts/deps.sh >"$scratch/deps-no-mono.sh"
expect_failure "packages: no fonts-noto-mono" "fonts-noto-mono" \
    scripts/check-packages.sh --deps "$scratch/deps-no-mono.sh" "$binary"
sed '/^build_packages=/s/ libqrencode-dev//' scripts/deps.sh >"$scratch/deps-no-qrencode.sh"
expect_failure "packages: no libqrencode" "libqrencode" \
    scripts/check-packages.sh --deps "$scratch/deps-no-qrencode.sh" "$binary"

if [ "$failures" -gt 0 ]; then
    echo "test-checks: $failures check(s) did not fail when broken" >&2
    exit 1
fi
