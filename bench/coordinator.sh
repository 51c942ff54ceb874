#!/usr/bin/env bash
# Benchmark: the coordinator's commands on a workspace of N people, each with one record and a key-file
# entry (issue #7). Every command opens the key file with the production work factor (scrypt 2^18), so
# `key lookup` is timed too: its time is the unlock every other command pays.
#   bench/coordinator.sh [PEOPLE]      (default 100000)
#   SEPARA_BIN=path bench/coordinator.sh
# Timed once each (wall, CPU, peak RSS): key lookup (= unlock), key reissue (one person; key file saved,
# records moved, card written), key resolve (a rejects file of 1,000 rows), rejoin of every record
# (encrypted with a passphrase), purge --dry-run, purge --code (one person: store transaction, VACUUM,
# key file saved).
set -euo pipefail
cd "$(dirname "$0")/.."
people=${1:-100000}
if [ -z "${SEPARA_BIN:-}" ]; then swift build -c release --product separa >&2; fi
separa=${SEPARA_BIN:-$PWD/.build/release/separa}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ws="$work/ws"
pass="$work/pass"
printf 'bench passphrase, not secret\n' >"$pass"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $people people"

. bench/workspace.sh
bench_workspace "$separa" "$ws" Bench
"$separa" codes issue "$people" --workspace "$ws" >/dev/null
codes_csv=$(ls "$ws"/output/codes-*.csv | head -1)
python3 bench/make-transcription.py "$codes_csv" "$people" "$work/sheet.csv" 0 >/dev/null
"$separa" ingest intake "$work/sheet.csv" --workspace "$ws" >/dev/null
python3 - "$codes_csv" "$work/slips.csv" <<'PY'
import csv, random, sys
codes = [row["code"] for row in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))]
rng = random.Random(7)
given = ["Amina", "José", "Ngozi", "Dmitri", "Fatima", "Luis", "Aïcha", "Omar", "Wei", "Mariam"]
family = ["Haddad", "García", "Okafor", "Ivanov", "Rahimi", "Mendes", "Diallo", "Yusuf", "Li", "Tesfaye"]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["code", "given_name", "family_name", "phone", "consent"])
    for code in codes:
        writer.writerow([code, rng.choice(given), rng.choice(family), f"+00 {rng.randrange(10**8, 10**9)}", "yes"])
PY
"$separa" key init --workspace "$ws" --passphrase-file "$pass" >/dev/null
"$separa" key add "$work/slips.csv" --workspace "$ws" --shred >/dev/null
"$separa" key merge --workspace "$ws" --passphrase-file "$pass" >/dev/null
first=$(sed -n 2p "$codes_csv" | cut -d, -f1)
second=$(sed -n 3p "$codes_csv" | cut -d, -f1)
echo "store $(du -m "$ws/store.sqlite" | cut -f1) MB, key file $(du -k "$ws/keys/identity.age" | cut -f1) KiB"

timed() {
    local name=$1
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
        echo "$name failed:" >&2
        cat "$work/err" >&2
        exit 1
    }
    read -r elapsed kb user sys < <(tail -n 1 "$work/time")
    awk -v name="$name" -v s="$elapsed" -v kb="$kb" -v cpu="$user" -v sys="$sys" \
        'BEGIN { printf "%-28s seconds=%.2f cpu_seconds=%.2f peak_rss_mib=%.1f\n", name, s, cpu + sys, kb / 1024 }'
}

timed "key lookup (unlock)" "$separa" key lookup "$first" --plaintext --workspace "$ws" --passphrase-file "$pass"
timed "key reissue" "$separa" key reissue "$first" --reason lost --workspace "$ws" --passphrase-file "$pass"
# A rejects file of 1,000 sheets carrying the revoked code.
python3 - "$first" "$work/rejects.csv" <<'PY'
import sys
code, path = sys.argv[1], sys.argv[2]
with open(path, "w", encoding="utf-8") as out:
    out.write("rejected_line,rejected_column,rejected_reason,code,visit_date,sex,age,nationality,unaccompanied_child\n")
    for day in range(1000):
        out.write(f"{day + 2},code,code revoked,{code},{1 + day % 28:02d}/{1 + day // 28 % 12:02d}/2025,female,30,syr,no\n")
PY
timed "key resolve (1,000 rows)" "$separa" key resolve "$work/rejects.csv" --workspace "$ws" --passphrase-file "$pass"
timed "rejoin (every record)" "$separa" rejoin --template intake --purpose "bench" --workspace "$ws" \
    --passphrase-file "$pass" --passphrase-out-file "$pass" -o "$work/rejoin.age"
echo "  rejoin file $(du -m "$work/rejoin.age" | cut -f1) MB"
timed "purge --dry-run" "$separa" purge --dry-run --workspace "$ws" --passphrase-file "$pass"
timed "purge --code (one person)" "$separa" purge --code "$second" --workspace "$ws" --passphrase-file "$pass"
