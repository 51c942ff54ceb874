#!/usr/bin/env bash
# Benchmark: issue 1,000,000 codes in one batch (issue #2).
#   bench/codes.sh [N]
# Prints generation speed (CSPRNG draw + check symbol + text, no store) and the whole `separa codes issue`
# command (draw, SQLite insert with duplicate check, CSV list, commit) with its peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
swift build -c release --product separa >&2
swift build -c release --product separa-bench >&2
bin=.build/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/separa" init "$work/ws" --site "Bench" >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
for run in 1 2 3; do "$bin/separa-bench" codes-generate "$count"; done
for run in 1 2 3; do
    rm -f "$work/ws/store.sqlite"
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin/separa" codes issue "$count" --workspace "$work/ws" >/dev/null
    read -r elapsed kb <"$work/time"
    awk -v n="$count" -v s="$elapsed" -v kb="$kb" \
        'BEGIN { printf "codes-issue count=%d seconds=%.2f codes_per_second=%.0f peak_rss_mib=%.1f\n", n, s, n / s, kb / 1024 }'
done
# The floor: SQLite itself inserting the same rows into the same table shape, no Swift in the loop.
cut -d, -f1 "$work"/ws/output/codes-*.csv | tail -n +2 | head -n "$count" | tr -d - >"$work/codes.txt"
sqlite3 "$work/floor.sqlite" "CREATE TABLE code (code TEXT PRIMARY KEY, batch TEXT, issued_at TEXT, status TEXT, template TEXT) WITHOUT ROWID; CREATE INDEX b ON code(batch);"
start=$(date +%s.%N)
sqlite3 "$work/floor.sqlite" ".mode csv" "CREATE TEMP TABLE t(code TEXT);" ".import $work/codes.txt t" \
    "PRAGMA secure_delete=ON;" "INSERT INTO code SELECT code, 'B', '2026-01-01', 'issued', NULL FROM t;"
end=$(date +%s.%N)
awk -v n="$count" -v a="$start" -v b="$end" 'BEGIN { printf "sqlite3-floor count=%d seconds=%.2f rows_per_second=%.0f\n", n, b - a, n / (b - a) }'
