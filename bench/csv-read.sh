#!/usr/bin/env bash
# CSV reader throughput: generates a 1,000,000-row, 20-column transcription-like file (about 140 MB)
# in UTF-8, Windows-1252 and UTF-16LE, and reads each with CSVReader three times, printing MB/s and
# rows/s (wall clock, as measured by the bench program around the read loop), the CPU time, and the
# peak resident memory (/usr/bin/time). The reader is compiled here with swiftc -O from
# Sources/SeparaKit/Formats/CSV, so no package target is needed. The table in bench/README.md is copied
# from this output by hand.
#
#   bench/csv-read.sh [ROWS]        (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }

build=.build/bench-csv
mkdir -p "$build" bench/results
# The AtomicFileWriter extension needs the rest of SeparaKit; swiftc runs in the build folder so that
# nothing it leaves lands in the repository.
sources=$(ls "$PWD"/Sources/SeparaKit/Formats/CSV/*.swift | grep -v '+')
(cd "$build" && swiftc -O -wmo -module-name SeparaBenchCSV $sources "$OLDPWD/bench/csv-read/main.swift" \
  -o separa-bench-csv)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
for encoding in utf8 windows-1252 utf16le; do
  file="bench/results/csv-read-$rows-$encoding.csv"
  [ -f "$file" ] || "$build/separa-bench-csv" generate "$rows" "$file" "$encoding"
  for run in 1 2 3; do
    /usr/bin/time -f "%e %U %S %M" -o "$build/time" "$build/separa-bench-csv" read "$file"
    read -r elapsed user system kb <"$build/time"
    echo "  process: ${elapsed}s wall, ${user}s user + ${system}s system CPU, peak RSS $((kb / 1024)) MiB"
  done
done
