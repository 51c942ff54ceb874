#!/usr/bin/env bash
# Times code cards, label sheets and thermal label images for one batch of codes, end to end through
# the release binary, in a throw-away workspace. Prints a Markdown table row per run.
#
#   swift build -c release --product separa && bench/printing.sh [COUNT]
#
# COUNT defaults to 10000. Needs qpdf (page counts), bc and GNU time. Results go in bench/README.md by hand.
# CPU seconds (user + system) are the steadier figure on a shared machine; wall seconds include waiting.
set -euo pipefail
count=${1:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
separa=${SEPARA:-$root/.build/release/separa}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

. "$root/bench/workspace.sh"
bench_workspace "$separa" "$work/ws" "Bench HSP"
cd "$work/ws"
batch=$("$separa" codes issue "$count" | tail -1)

run() {
  local label=$1; shift
  local start end seconds cpu output pages bytes
  start=$(date +%s.%N)
  output=$(/usr/bin/time -f '%U %S' -o "$work/cpu" "$separa" "$@" --batch "$batch" | sed -n 's/^Output: //p')
  end=$(date +%s.%N)
  seconds=$(echo "$end - $start" | bc -l)
  cpu=$(awk '{print $1 + $2}' "$work/cpu")
  if [[ -d $output ]]; then
    pages=$(ls "$output" | wc -l)
    bytes=$(du -sb "$output" | cut -f1)
  else
    pages=$(qpdf --show-npages "$output")
    bytes=$(stat -c %s "$output")
  fi
  printf '| %s | %d | %d | %.2f | %.0f | %.2f | %.0f | %.1f |\n' "$label" "$count" "$pages" "$seconds" \
    "$(echo "$pages / $seconds" | bc -l)" "$cpu" "$(echo "$pages / $cpu" | bc -l)" "$(echo "$bytes / $pages / 1024" | bc -l)"
}

echo "| run | codes | pages or files | wall s | per wall s | CPU s | per CPU s | KB each |"
echo "|---|---|---|---|---|---|---|---|"
run "cards, A4 sheets of 10, en+ar" card --languages en,ar
run "cards, one per page (form-like: stamp + QR + code)" card --languages en --one-per-page
run "labels, Avery L7160" labels
run "labels, Avery 5160" labels --sheet avery-5160
run "thermal PNG, 203 dpi" labels --png --dpi 203
