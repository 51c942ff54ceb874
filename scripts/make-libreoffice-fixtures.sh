#!/usr/bin/env bash
# Regenerates Tests/SeparaKitTests/Ingest/Fixtures/libreoffice/: one small, synthetic transcription
# (no real people) saved by real LibreOffice Calc in the CSV variants that clerks send in.
#
#   scripts/make-libreoffice-fixtures.sh
#
# Needs LibreOffice Calc (`apt-get install -y libreoffice-calc`; made with 7.4.7 from Debian 12).
# Run it only to change the fixtures on purpose, then commit them with the script.
#
# Filter options of "Text - txt - csv (StarCalc)" used below (tokens: separator as an ASCII code,
# text delimiter, character set, first line, column formats, language, quote all text cells):
#   character set 76 = UTF-8, 65535 = UTF-16 (LibreOffice writes little-endian with a BOM),
#   ANSI = Windows-1252 (the number 1252 is NOT Windows-1252 to LibreOffice: it wrote other bytes).
# LibreOffice 7.4 has no option to write a UTF-8 byte-order mark in CSV (Excel's "CSV UTF-8" writes
# one), so utf8-bom.csv is LibreOffice's UTF-8 output with EF BB BF put in front by this script.
set -euo pipefail
cd "$(dirname "$0")/.."
out=Tests/SeparaKitTests/Ingest/Fixtures/libreoffice
command -v soffice >/dev/null || { echo "needs LibreOffice: apt-get install -y libreoffice-calc" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The transcription (synthetic): accented Latin, Arabic, a comma, a semicolon, doubled quotes and a
# line break inside fields. Written as RFC 4180 CSV with CRLF line ends.
printf '%s\r\n' \
  'code,sex,age,nationality,needs,notes' \
  "K7M2-9QX4-HT3C,F,34,Côte d'Ivoire,\"water, blankets\",\"Niño acompañado; café\"" \
  '3PQR-7XW9-CDA4,M,7,Syria,shelter,يحتاج إلى مأوى' \
  'XY4T-MN6R-2K9F,F,61,Eritrea,food; medicine,"said ""tired"", rest needed"' \
  '9AC3-EF7H-JK2M,M,19,Afghanistan,legal,"first line
second line"' > "$work/transcription.csv"
cp "$work/transcription.csv" "$out/source.csv"

# Into a spreadsheet first, as a clerk's file would be.
soffice --headless --infilter="Text - txt - csv (StarCalc):44,34,76,1,,0,true" \
  --convert-to ods --outdir "$work" "$work/transcription.csv" >/dev/null

export_as() {  # export_as NAME FILTER-OPTIONS
  mkdir -p "$work/$1"
  soffice --headless --convert-to "csv:Text - txt - csv (StarCalc):$2" --outdir "$work/$1" \
    "$work/transcription.ods" >/dev/null
  cp "$work/$1/transcription.csv" "$out/$1.csv"
}
export_as utf8 "44,34,76,1"                        # File > Save As > Text CSV, UTF-8 (all text quoted)
export_as semicolon "59,34,76,1,,0,false"          # semicolon, quotes only where needed
export_as windows-1252 "44,34,ANSI,1"              # Western Europe (Windows-1252); Arabic becomes ?
export_as utf16-tab "9,34,65535,1"                 # Unicode (UTF-16LE with BOM), tab-separated
{ printf '\xEF\xBB\xBF'; cat "$out/utf8.csv"; } > "$out/utf8-bom.csv"

soffice --version | head -1 > "$out/VERSION"
ls -l "$out"
