#!/usr/bin/env bash
# Times `separa print intake --count COUNT` (identity slip + 3 sensitive sheet pages per form) end to end
# through the release binary in a throw-away workspace, and the same layout drawn by bench/forms_reportlab.py
# (reportlab + segno) as the yardstick. Prints a Markdown table row per run, then the speed-ups.
#
#   swift build -c release --product separa && bench/printing-forms.sh [COUNT]
#
# COUNT defaults to 10000. Needs qpdf (page counts), GNU time (/usr/bin/time -v: CPU and peak memory) and
# python3 with reportlab, segno and PyYAML (pip install reportlab segno pyyaml). Results go in
# bench/README.md by hand. CPU seconds (user + system) are the steadier figure on a shared machine; wall
# seconds include waiting for other processes, so the load average is printed before and after.
set -euo pipefail
count=${1:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
separa=${SEPARA:-$root/.build/release/separa}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

. "$root/bench/workspace.sh"
bench_workspace "$separa" "$work/ws" "Bench HSP"
cd "$work/ws"

# run LABEL PDF-OR-EMPTY COMMAND…: times the command; the PDF is the one named, or the one it reports.
run() {
  local label=$1 pdf=$2; shift 2
  /usr/bin/time -v -o "$work/time" "$@" > "$work/out"
  [[ -n $pdf ]] || pdf=$(sed -n 's/^Output: //p' "$work/out")
  local pages bytes wall cpu rss
  pages=$(qpdf --show-npages "$pdf")
  bytes=$(stat -c %s "$pdf")
  wall=$(awk -F': ' '/Elapsed/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$work/time")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident/ {print $2 / 1024}' "$work/time")
  printf '| %s | %d | %d | %.1f | %.0f | %.1f | %.0f | %.1f | %.0f |\n' "$label" "$count" "$pages" "$wall" \
    "$(echo "$pages / $wall" | bc -l)" "$cpu" "$(echo "$pages / $cpu" | bc -l)" "$(echo "$bytes / $pages / 1024" | bc -l)" "$rss"
  echo "$pages $wall $cpu" > "$work/last"
  rm -f "$pdf"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | forms | pages | wall s | pages/s (wall) | CPU s | pages/CPU s | KB/page | peak MB |"
echo "|---|---|---|---|---|---|---|---|---|"
run "separa print intake (en, A4)" "" "$separa" print intake --count "$count"
read -r separa_pages separa_wall separa_cpu < "$work/last"
run "separa print intake (en+ar, A4, --card)" "" "$separa" print intake --count "$count" --languages en,ar --card
run "reportlab + segno, same layout (en, A4)" "$work/reportlab.pdf" \
  python3 "$root/bench/forms_reportlab.py" "$count" "$work/reportlab.pdf" "$work/ws/templates/intake.yaml"
read -r rl_pages rl_wall rl_cpu < "$work/last"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'separa vs reportlab, en intake: %.1f× pages per wall second, %.1f× pages per CPU second\n' \
  "$(echo "($separa_pages / $separa_wall) / ($rl_pages / $rl_wall)" | bc -l)" \
  "$(echo "($separa_pages / $separa_cpu) / ($rl_pages / $rl_cpu)" | bc -l)"
