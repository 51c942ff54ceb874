#!/usr/bin/env bash
# Benchmark: `separa age` against Debian's `age` tool on the same plaintext (goal: within 1.2x of age).
#   bench/age.sh [MiB]        (default 10)
#   SEPARA_BIN=path bench/age.sh   to time another build (e.g. one linked with --static-swift-stdlib)
# X25519 and passphrase (scrypt work factor 2^18, both tools' default), encrypt and decrypt; decryption
# timings use the same ciphertext (written by age) for both tools. Output goes to a file through the shell
# for both tools, except where -o is named: `separa age … -o` also fsyncs and renames atomically.
# age reads passphrases only from a terminal, so every passphrase run (both tools) goes through the same
# small pty helper (python3), whose cost is the same on both sides; there both write with -o (on a pty,
# standard output is the terminal).
# Uses hyperfine when installed (apt-get install hyperfine; it also gives CPU time, user + system), else a
# timed loop of wall time only.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-10}
if [ -z "${SEPARA_BIN:-}" ]; then swift build -c release --product separa >&2; fi
separa=${SEPARA_BIN:-$PWD/.build/release/separa}
for tool in age age-keygen python3; do
    command -v "$tool" >/dev/null || { echo "bench/age.sh needs '$tool' (apt-get install age python3)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$work/plain"
age-keygen -o "$work/key.txt" 2>/dev/null
recipient=$(age-keygen -y "$work/key.txt")
passphrase="bench passphrase, not secret"
export BENCH_PASSPHRASE="$passphrase"
tty="python3 $PWD/bench/answer_prompts.py"
age_bin=$(command -v age)
age -r "$recipient" -o "$work/x.age" "$work/plain"
$tty "$age_bin" -p -o "$work/p.age" "$work/plain"
grep -q "^-> scrypt .* 18$" "$work/p.age"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "age $(age --version), plaintext ${size_mib} MiB, separa: $separa, load average $(cut -d' ' -f1-3 /proc/loadavg)"

pairs=(
    "process start, no work (--version)|age --version >$work/out|$separa --version >$work/out"
    "x25519 encrypt|age -r $recipient $work/plain >$work/out|$separa age encrypt -r $recipient $work/plain >$work/out"
    "x25519 encrypt, armored|age -a -r $recipient $work/plain >$work/out|$separa age encrypt -a -r $recipient $work/plain >$work/out"
    "x25519 decrypt|age -d -i $work/key.txt $work/x.age >$work/out|$separa age decrypt -i $work/key.txt $work/x.age >$work/out"
    "x25519 decrypt, -o|age -d -i $work/key.txt -o $work/out $work/x.age|$separa age decrypt -i $work/key.txt -o $work/out $work/x.age"
    "passphrase encrypt (2^18), -o|$tty $age_bin -p -o $work/out $work/plain|$tty $separa age encrypt -p -o $work/out $work/plain"
    "passphrase decrypt (2^18), -o|$tty $age_bin -d -o $work/out $work/p.age|$tty $separa age decrypt -o $work/out $work/p.age"
)

echo "| work | age wall (ms) | separa wall (ms) | wall ratio | age CPU (ms) | separa CPU (ms) | CPU ratio |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
if command -v hyperfine >/dev/null; then
    for pair in "${pairs[@]}"; do
        IFS='|' read -r label age_command separa_command <<<"$pair"
        hyperfine --style none --warmup 2 --runs 15 --export-json "$work/result.json" \
            -n age "$age_command" -n separa "$separa_command" >/dev/null
        python3 - "$label" "$work/result.json" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
results = {r['command']: r for r in json.load(open(path))['results']}
a, s = results['age'], results['separa']
cpu = lambda r: (r['user'] + r['system']) * 1000
print(f"| {label} | {a['mean']*1000:.0f} ± {a['stddev']*1000:.0f} | {s['mean']*1000:.0f} ± {s['stddev']*1000:.0f} "
      f"| {s['mean']/a['mean']:.2f}x | {cpu(a):.0f} | {cpu(s):.0f} | {cpu(s)/cpu(a):.2f}x |")
PY
    done
else
    # Mean wall time of 10 runs after one warm-up, in milliseconds.
    mean_ms() {
        sh -c "$1"
        local start end
        start=$(date +%s%N)
        for _ in 1 2 3 4 5 6 7 8 9 10; do sh -c "$1"; done
        end=$(date +%s%N)
        echo $(((end - start) / 10000000))
    }
    for pair in "${pairs[@]}"; do
        IFS='|' read -r label age_command separa_command <<<"$pair"
        a=$(mean_ms "$age_command")
        s=$(mean_ms "$separa_command")
        awk -v l="$label" -v a="$a" -v s="$s" 'BEGIN { printf "| %s | %d | %d | %.2fx | | | |\n", l, a, s, s / (a > 0 ? a : 1) }'
    done
fi
