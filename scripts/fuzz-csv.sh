#!/usr/bin/env bash
# Fuzzes the CSV reader with libFuzzer and AddressSanitizer for a number of seconds (default 60).
#
#   scripts/fuzz-csv.sh [SECONDS]
#
# The target (fuzz/csv/FuzzCSV.swift) is compiled with swiftc together with the reader's sources, not
# declared in Package.swift: it links only with -sanitize=fuzzer, which plain `swift build` must not
# need. The growing corpus and any crash files stay in .build/fuzz-csv (not committed); the seeds are
# fuzz/csv/seeds (*.csv: sample files; *.bin: inputs that once failed, kept as regressions) plus the
# LibreOffice fixtures (and the shared CSV suites' inputs when present, copied
# into the working corpus only). A crash reproduces with: .build/fuzz-csv/csv-fuzz CRASH-FILE
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
work=.build/fuzz-csv
mkdir -p "$work/corpus" "$work/artifacts"

# The AtomicFileWriter extension needs the rest of SeparaKit; swiftc runs in the work folder so that
# nothing it leaves lands in the repository.
sources=$(ls "$PWD"/Sources/SeparaKit/Formats/CSV/*.swift | grep -v '+')
(cd "$work" && swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name CSVFuzz \
  $sources "$OLDPWD/fuzz/csv/FuzzCSV.swift" -o csv-fuzz) > "$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }  # (ld.gold warns about ASan's local symbols; harmless)

# Seeds: a first byte of options (0 = strict, comma sniffed...) in front of each sample file.
for file in fuzz/csv/seeds/*.csv Tests/SeparaKitTests/Ingest/Fixtures/libreoffice/*.csv; do
  for flags in '\x00' '\x45'; do
    { printf "$flags"; cat "$file"; } > "$work/corpus/seed-$(basename "$file")-$(printf "$flags" | od -An -tx1 | tr -d ' ')"
  done
done
cp fuzz/csv/seeds/*.bin "$work/corpus/"  # inputs that once failed, options byte included
shared=../shared/testdata/csv-suites
if [ -d "$shared" ]; then
  for file in "$shared"/csv-spectrum/csvs/*.csv "$shared"/fastcsv/*.csv; do
    { printf '\x00'; cat "$file"; } > "$work/corpus/shared-$(basename "$file")"
  done
fi

# SWIFT_BACKTRACE off: on a crash, Swift's own backtracer would trip AddressSanitizer and hide the message.
SWIFT_BACKTRACE=enable=no "$work/csv-fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" 2>&1 | tee "$work/last-run.log" \
  | grep -E "^#[0-9]+.*(DONE|pulse|NEW|REDUCE)|stat::|ERROR|SUMMARY|Test unit written|Done [0-9]+ runs" | tail -40
echo "corpus: $(ls "$work/corpus" | wc -l) files; crashes: $(ls "$work/artifacts" | wc -l) (in $work/artifacts)"

# Line coverage of the reader's sources by the corpus (an instrumented build runs every corpus file once).
(cd "$work" && swiftc -sanitize=fuzzer -parse-as-library -profile-generate -profile-coverage-mapping \
  -module-name CSVFuzz $sources "$OLDPWD/fuzz/csv/FuzzCSV.swift" -o csv-fuzz-coverage) >> "$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }
rm -f "$work/coverage.profraw"
SWIFT_BACKTRACE=enable=no LLVM_PROFILE_FILE="$work/coverage.profraw" "$work/csv-fuzz-coverage" -runs=0 \
  "$work/corpus" > /dev/null 2>&1
toolchain=$(dirname "$(command -v swiftc)")  # the toolchain's llvm-cov reads its own profile format
"$toolchain/llvm-profdata" merge -sparse "$work/coverage.profraw" -o "$work/coverage.profdata"
echo "line coverage of Sources/SeparaKit/Formats/CSV by the corpus:"
"$toolchain/llvm-cov" report "$work/csv-fuzz-coverage" -instr-profile="$work/coverage.profdata" $sources \
  | sed "s|$PWD/Sources/SeparaKit/Formats/CSV/||" \
  | awk 'NF > 10 && $1 != "Filename" { printf "  %-26s %5s lines, %4s not run: %s\n", $1, $8, $9, $10 }'
