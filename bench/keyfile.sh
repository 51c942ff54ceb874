#!/usr/bin/env bash
# Benchmark: the key file at 100,000 entries against Debian's `age` tool doing the same work on the same
# plaintext at the same work factor (scrypt 2^18). Goal: within 1.2x of age.
#   bench/keyfile.sh [ENTRIES]      (default 100000)
#   SEPARA_BIN=path bench/keyfile.sh
# Timed, separa: `key lookup` (unlock: scrypt + decrypt + parse, then one lookup), `key add` of 1,000 slips
# (no passphrase: check codes, seal to X25519), `key merge` of those 1,000 (decrypt, parse, add, encode,
# encrypt, atomic save), `key passwd` (decrypt + parse + encode + encrypt + atomic save).
# Timed, age, on the key file's own plaintext: `age -d` of the key file (= unlock), `age -p` of the
# plaintext (= the encrypting half of merge and passwd), and the two together (= passwd, merge).
# Both tools get their passphrases from the same pty helper (python3), as in bench/age.sh: age reads
# passphrases only from a terminal, and separa asks on the terminal when no --passphrase-file is given.
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-100000}
if [ -z "${SEPARA_BIN:-}" ]; then swift build -c release --product separa >&2; fi
separa=${SEPARA_BIN:-$PWD/.build/release/separa}
for tool in age python3 hyperfine; do
    command -v "$tool" >/dev/null || { echo "bench/keyfile.sh needs '$tool' (apt-get install age python3 hyperfine)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BENCH_PASSPHRASE="bench passphrase, not secret"
printf '%s\n' "$BENCH_PASSPHRASE" >"$work/pass"
tty="python3 $PWD/bench/answer_prompts.py"
age_bin=$(command -v age)
ws="$work/ws"
runs=5

"$separa" init "$ws" --site Bench >/dev/null
(cd "$ws" && "$separa" codes issue $((entries + 1000 * (2 * runs + 1))) >/dev/null)
codes_csv=$(ls "$ws"/output/codes-*.csv | head -1)
# Slips: one per code, made-up names and phones (fixed seed).
python3 - "$codes_csv" "$work" "$entries" "$runs" <<'PY'
import csv, random, sys
codes_csv, work, entries, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
codes = [row['code'] for row in csv.DictReader(open(codes_csv, encoding='utf-8-sig'))]
rng = random.Random(7)
given = ['Amina', 'José', 'Ngozi', 'Dmitri', 'Fatima', 'Luis', 'Aïcha', 'Omar', 'Wei', 'Mariam']
family = ['Diallo', 'Pérez', 'Okafor', 'Ivanov', 'Haddad', 'García', 'Traoré', 'Khan', 'Li', 'Mensah']
def write(path, chunk):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f)
        w.writerow(['code', 'given_name', 'family_name', 'phone', 'consent'])
        for code in chunk:
            w.writerow([code, rng.choice(given) + str(rng.randrange(1000)), rng.choice(family),
                        '+%d %d' % (rng.randrange(1, 999), rng.randrange(10**8, 10**9)), 'yes'])
write(f'{work}/all.csv', codes[:entries])
for run in range(2 * runs + 1):
    write(f'{work}/add{run}.csv', codes[entries + 1000 * run: entries + 1000 * (run + 1)])
open(f'{work}/lookup-code', 'w').write(codes[entries // 2])
PY
cd "$ws"
"$separa" key init --passphrase-file "$work/pass" >/dev/null
"$separa" key add "$work/all.csv" --shred >/dev/null
"$separa" key merge --passphrase-file "$work/pass" >/dev/null
lookup_code=$(cat "$work/lookup-code")
$tty "$age_bin" -d -o "$work/plain" keys/identity.age
grep -q "^-> scrypt .* 18$" keys/identity.age
$tty "$age_bin" -p -o "$work/plain.age" "$work/plain"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "age $(age --version); key file: $entries entries, plaintext $(($(stat -c %s "$work/plain") / 1024)) KiB, encrypted $(($(stat -c %s keys/identity.age) / 1024)) KiB; $runs runs each"

measure() { # label, prepare command (untimed), command
    hyperfine --style none --runs "$runs" --export-json "$work/r.json" ${2:+--prepare "$2"} "$3" >/dev/null
    python3 - "$1" "$work/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))['results'][0]
print(f"{sys.argv[1]}|{r['mean']*1000:.0f}|{r['stddev']*1000:.0f}|{(r['user']+r['system'])*1000:.0f}")
PY
}
{
    measure "separa key lookup (unlock + lookup)" "" "$tty $separa key lookup $lookup_code"
    measure "age -d of the key file" "" "$tty $age_bin -d -o $work/out keys/identity.age"
    measure "age -p of its plaintext" "" "$tty $age_bin -p -o $work/out.age $work/plain"
    measure "age -d then age -p" "" "$tty $age_bin -d -o $work/out keys/identity.age && $tty $age_bin -p -o $work/out.age $work/out"
    measure "separa key passwd (same passphrase)" "" "$tty $separa key passwd"
    echo 0 >"$work/n"
    measure "separa key add (1,000 slips)" \
        "cp $work/add\$(cat $work/n).csv $work/batch.csv; echo \$((\$(cat $work/n) + 1)) >$work/n; rm -f keys/inbox/*.age keys/inbox/pending-codes.txt" \
        "$separa key add $work/batch.csv"
    rm -f keys/inbox/*.age keys/inbox/pending-codes.txt
    echo "$runs" >"$work/n"
    measure "separa key merge (1,000 into the key file)" \
        "$separa key add $work/add\$(cat $work/n).csv >/dev/null 2>&1; echo \$((\$(cat $work/n) + 1)) >$work/n" \
        "$tty $separa key merge"
} >"$work/table"
python3 - "$work/table" <<'PY'
import sys
rows = {}
order = []
for line in open(sys.argv[1]):
    label, mean, sd, cpu = line.rstrip('\n').split('|')
    rows[label] = (int(mean), int(sd), int(cpu)); order.append(label)
ref = {
    "separa key lookup (unlock + lookup)": "age -d of the key file",
    "separa key passwd (same passphrase)": "age -d then age -p",
    "separa key merge (1,000 into the key file)": "age -d then age -p",
}
print("| work | wall (ms) | CPU (ms) | age doing the same work | age wall (ms) | wall ratio | CPU ratio |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for label in order:
    m, sd, cpu = rows[label]
    if label.startswith("age"):
        continue
    if label in ref:
        am, asd, acpu = rows[ref[label]]
        print(f"| {label} | {m} ± {sd} | {cpu} | {ref[label]} | {am} ± {asd} | {m/am:.2f}x | {cpu/acpu:.2f}x |")
    else:
        print(f"| {label} | {m} ± {sd} | {cpu} | — | | | |")
for label in order:
    if label.startswith("age"):
        m, sd, cpu = rows[label]
        print(f"| ({label}) | | | | {m} ± {sd} (CPU {cpu}) | | |")
PY
