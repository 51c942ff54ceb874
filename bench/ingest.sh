#!/usr/bin/env bash
# Benchmark: separa ingest of a generated intake transcription (issue #5).
#   bench/ingest.sh [ROWS...]        default: 100000 1000000
#   SEPARA_BIN=/path/to/separa bench/ingest.sh ...   times that binary instead of building this tree's
# For each size: rows/s end to end (read + validate + store) and peak memory of `separa ingest`; the same
# file through `sqlite3 .import` into a plain table (no validation: the floor); and `frictionless validate`
# (what a data officer might use; pip install frictionless) on the same file, with an inferred schema and
# with a Table Schema written from the template (bench/frictionless-schema.py).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
if [ -n "${SEPARA_BIN:-}" ]; then
    separa=$SEPARA_BIN
else
    swift build -c release --product separa >&2
    separa=$PWD/.build/release/separa
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for rows in "${sizes[@]}"; do
    rm -rf "$work/ws"
    "$separa" init "$work/ws" --site Bench >/dev/null
    codes=$(( rows < 1000000 ? rows : 1000000 ))
    "$separa" codes issue "$codes" --workspace "$work/ws" >/dev/null
    python3 bench/make-transcription.py "$work"/ws/output/codes-*.csv "$rows" "$work/sheet.csv"
    size=$(du -m "$work/sheet.csv" | cut -f1)
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$separa" ingest intake "$work/sheet.csv" --workspace "$work/ws" \
        --rejects "$work/rejects.csv" >"$work/out" || true
    read -r elapsed kb user sys < <(tail -n 1 "$work/time")
    summary=$(sed -n 2p "$work/out" | sed 's/^ *//')
    awk -v n="$rows" -v s="$elapsed" -v kb="$kb" -v mb="$size" -v sum="$summary" -v cpu="$user" -v sys="$sys" \
        'BEGIN { printf "separa-ingest rows=%d file_mb=%d seconds=%.2f rows_per_second=%.0f cpu_seconds=%.2f rows_per_cpu_second=%.0f peak_rss_mib=%.1f (%s)\n", n, mb, s, n / s, cpu + sys, n / (cpu + sys), kb / 1024, sum }'
    echo "  (load average after it: $(cut -d' ' -f1-3 /proc/loadavg))"
    rm -f "$work/plain.sqlite"
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" sqlite3 "$work/plain.sqlite" ".mode csv" ".import $work/sheet.csv sheet"
    read -r elapsed kb user sys < <(tail -n 1 "$work/time")
    awk -v n="$rows" -v s="$elapsed" -v kb="$kb" -v cpu="$user" -v sys="$sys" \
        'BEGIN { printf "sqlite3-import rows=%d seconds=%.2f rows_per_second=%.0f cpu_seconds=%.2f peak_rss_mib=%.1f\n", n, s, n / s, cpu + sys, kb / 1024 }'
    if command -v frictionless >/dev/null 2>&1; then
        # Twice: with the schema it infers (types only), and with a Table Schema written from the template
        # (bench/frictionless-schema.py: choices, ranges, date format, required fields), which checks
        # what ingest checks short of the codes' check symbol and registry.
        python3 bench/frictionless-schema.py templates/intake.yaml "$work/sheet.csv" "$work/schema.json"
        for mode in inferred schema; do
            flags=""
            [ "$mode" = schema ] && flags="--schema schema.json"
            /usr/bin/time -f "%e %M %U %S" -o "$work/time" bash -c "cd '$work' && frictionless validate --trusted --limit-errors 1000000 $flags sheet.csv" >/dev/null 2>&1 || true
            read -r elapsed kb user sys < <(tail -n 1 "$work/time")
            awk -v n="$rows" -v s="$elapsed" -v kb="$kb" -v cpu="$user" -v sys="$sys" -v mode="$mode" \
                'BEGIN { printf "frictionless-validate (%s) rows=%d seconds=%.2f rows_per_second=%.0f cpu_seconds=%.2f peak_rss_mib=%.1f\n", mode, n, s, n / s, cpu + sys, kb / 1024 }'
        done
    else
        echo "frictionless-validate: not installed (pip install frictionless)"
    fi
done
