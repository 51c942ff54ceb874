#!/usr/bin/env bash
# Benchmark: separa report over a store of generated records (issue: reports).
#   bench/report.sh [RECORDS]        default: 1000000
# Builds a workspace, fills its store with RECORDS synthetic records (bench/make-records.py: 70% intakes, 30%
# follow-up visits, dated across 2026), then times `separa report` three ways: the whole year by month
# (every record in range), the last quarter by month, and the whole year by week (53 periods, many small
# cells to protect). Prints wall-clock seconds, CPU seconds and peak memory of each run, and the phases of
# one run (counting and protection vs. files and audit) from `separa-bench report`, and the floor: the
# sqlite3 shell reading the same columns in the same order.
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
swift build -c release --product separa >&2
swift build -c release --product separa-bench >&2
separa=$PWD/.build/release/separa
bench=$PWD/.build/release/separa-bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$separa" init "$work/ws" --site Bench >/dev/null
python3 bench/make-records.py "$work/ws/store.sqlite" "$records"
echo "store: $(du -m "$work/ws/store.sqlite" | cut -f1) MiB"
run() {
    local label=$1
    shift
    for attempt in 1 2 3; do
        /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$separa" report --workspace "$work/ws" "$@" >"$work/out"
        read -r elapsed user system kb <"$work/time"
        pages=$(pdfinfo "$work"/ws/output/report-*.pdf 2>/dev/null | awk '/^Pages/ {print $2}' | tail -1)
        awk -v l="$label" -v e="$elapsed" -v u="$user" -v s="$system" -v kb="$kb" -v p="${pages:-?}" \
            'BEGIN { printf "separa-report %s seconds=%.2f cpu_seconds=%.2f peak_rss_mib=%.0f pdf_pages=%s\n", l, e, u + s, kb / 1024, p }'
        rm -f "$work"/ws/output/report-*
    done
}
run "year-by-month" --from 2026-01-01 --to 2026-12-31
run "q4-by-month" --from 2026-10-01 --to 2026-12-31
run "year-by-week" --period week --from 2026-01-01 --to 2026-12-31
"$bench" report "$work/ws" 2026-01-01 2026-12-31
# Floor: the sqlite3 shell reading the same four columns in the same order, doing nothing with them.
/usr/bin/time -f "%e %U %S" -o "$work/time" sqlite3 "$work/ws/store.sqlite" \
    "SELECT count(*), sum(length(fields)) FROM (SELECT code, template, visit_date, fields FROM record ORDER BY code, template, visit_date)" >/dev/null
read -r elapsed user system <"$work/time"
awk -v e="$elapsed" -v u="$user" -v s="$system" 'BEGIN { printf "sqlite3-scan seconds=%.2f cpu_seconds=%.2f\n", e, u + s }'
