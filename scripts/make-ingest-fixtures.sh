#!/usr/bin/env bash
# Regenerates Tests/SeparaKitTests/Ingest/Fixtures/intake-libreoffice/: one synthetic intake transcription
# (no real people; French headers and labels, accents, a typographic apostrophe, a quoted comma) saved by
# real LibreOffice Calc as CSV UTF-8, UTF-8 with BOM, semicolon-separated, Windows-1252 and UTF-16.
# The ingest tests check that all five store identical records.
#
#   scripts/make-ingest-fixtures.sh
#
# Needs LibreOffice Calc (apt-get install -y libreoffice-calc). Run it only to change the fixtures on
# purpose, then commit them with this script. Filter options as in scripts/make-libreoffice-fixtures.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=Tests/SeparaKitTests/Ingest/Fixtures/intake-libreoffice
command -v soffice >/dev/null || { echo "needs LibreOffice: apt-get install -y libreoffice-calc" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Codes are fixed (valid check symbols); the tests register them. Headers are French labels and field names.
printf '%s\r\n' \
  'Code du dossier,Date de la visite (DD/MM/YYYY),Sexe,Âge,Nationalité,unaccompanied_child,wg_seeing,"Besoins exprimés par la personne: Nourriture (1/0)",needs/water,services_requested/first_aid' \
  '1Y5D-K7FJ-Y9C1,03/11/2026,Femme,34,Côte d’Ivoire,Non,"Non, aucune difficulté",1,0,' \
  '2FWC-XYQG-DH4Y,04/11/2026,Homme,7,Érythrée,Oui,,1,1,1' \
  '8f2y pjhn pq2a,05/11/2026,female,60+,Algérie,non,"Oui, beaucoup de difficultés",,1,' \
  'F1WX-XY4P-Q0N6,06/11/2026,Préfère ne pas dire,0-4,RD Congo,Non,,0,0,1' \
  > "$work/intake.csv"
cp "$work/intake.csv" "$out/source.csv"

# Code, visit date and age are Text columns (column format 2), as in the transcription workbook: otherwise
# Calc turns 03/11/2026 into a date it later writes back as 03/11/26, and 60+ into 60.
soffice --headless --infilter="Text - txt - csv (StarCalc):44,34,76,1,1/2/2/2/4/2,0,true" \
  --convert-to ods --outdir "$work" "$work/intake.csv" >/dev/null

export_as() {  # export_as NAME FILTER-OPTIONS
  mkdir -p "$work/$1"
  soffice --headless --convert-to "csv:Text - txt - csv (StarCalc):$2" --outdir "$work/$1" \
    "$work/intake.ods" >/dev/null
  cp "$work/$1/intake.csv" "$out/$1.csv"
}
export_as utf8 "44,34,76,1"
export_as semicolon "59,34,76,1,,0,false"
export_as windows-1252 "44,34,ANSI,1"
export_as utf16 "44,34,65535,1"
{ printf '\xEF\xBB\xBF'; cat "$out/utf8.csv"; } > "$out/utf8-bom.csv"
soffice --version | head -1 > "$out/VERSION"
ls -l "$out"
