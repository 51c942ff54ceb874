#!/usr/bin/env bash
# Checks that a fresh Debian machine gets every runtime file separa needs from scripts/deps.sh.
#
#   scripts/check-packages.sh [--deps FILE] [BINARY]
#
# BINARY defaults to "$(swift build --show-bin-path)/separa" (it must already be built).
# --deps FILE reads build_packages=(...) from FILE instead of scripts/deps.sh (tests break it on purpose).
#
# Checked files:
#   - the font file fontconfig picks for each family of `requiredFontFamilies = [...]` in
#     Sources/SeparaKit (the single source of truth), which must really be that family;
#   - every shared library `ldd BINARY` lists, except the vdso and the Swift runtime libraries that
#     ship inside the toolchain (files no package owns, under dirname(readlink -f $(which swift))/..).
# The Debian package owning each file (dpkg -S) must be in build_packages, or be pulled in by one of
# them (Depends/PreDepends, recursively, first alternative), or be always present on Debian
# (Essential: yes or Priority: required, or pulled in by such a package).
#
# Prints one line per file; exit 0 when all are covered, 1 when any is missing, 2 on a usage or setup
# error (no binary, no font list, ...).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
deps_file="$here/deps.sh"
binary=""

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }
die() { echo "check-packages: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --deps) [ $# -ge 2 ] || die "--deps needs a file"; deps_file="$2"; shift 2 ;;
        --deps=*) deps_file="${1#--deps=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) die "unknown option: $1 (see --help)" ;;
        *) [ -z "$binary" ] || die "only one binary, please"; binary="$1"; shift ;;
    esac
done

for tool in fc-match dpkg dpkg-query apt-cache ldd awk readlink; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not on PATH"
done

# --- build_packages from deps.sh (parsed, never sourced: deps.sh installs things when run) ---
[ -f "$deps_file" ] || die "no such deps file: $deps_file"
build_line="$(grep -E '^[[:space:]]*build_packages=\(' "$deps_file" | head -n1 || true)"
[ -n "$build_line" ] || die "$deps_file has no build_packages=(...) line"
build_line="${build_line#*(}"; build_line="${build_line%%)*}"
read -r -a listed <<<"$build_line"
[ ${#listed[@]} -gt 0 ] || die "build_packages in $deps_file is empty"

# --- the binary ---
if [ -z "$binary" ]; then
    command -v swift >/dev/null 2>&1 || die "'swift' is not on PATH; pass the binary as the first argument"
    bin_path="$(cd "$root" && swift build --show-bin-path 2>/dev/null)" || die "swift build --show-bin-path failed"
    binary="$bin_path/separa"
fi
[ -x "$binary" ] || die "no executable at $binary (build it first, or pass its path)"

toolchain=""
if command -v swift >/dev/null 2>&1; then
    toolchain="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")"
fi

# --- font families from the Swift source of truth ---
# `let requiredFontFamilies = [...]`, wherever it lives; the list may run over several lines.
font_file="$(grep -rlE --include='*.swift' 'let[[:space:]]+requiredFontFamilies[[:space:]]*=' "$root/Sources/SeparaKit" | head -n1 || true)"
[ -n "$font_file" ] || die "no 'let requiredFontFamilies = [...]' under Sources/SeparaKit"
font_line="$(awk '/let[[:space:]]+requiredFontFamilies[[:space:]]*=/ { on = 1 }
    on { sub(/[[:space:]]*\/\/.*/, ""); printf "%s ", $0; if (index($0, "]")) exit }' "$font_file")"
families=()
while IFS= read -r quoted; do families+=("${quoted:1:${#quoted}-2}"); done \
    < <(grep -oE '"[^"]*"' <<<"${font_line#*=}")
[ ${#families[@]} -gt 0 ] || die "could not read any family from: $font_line"

# --- collect the files to check ---
problems=()
unresolved=0  # fonts or libraries not even found on this machine
files=()      # files to look up with dpkg
soname_map=() # pairs: soname, path (from ldd)
labels=()     # what each file is, for messages
for family in "${families[@]}"; do
    file="$(fc-match -f '%{file}' "$family" 2>/dev/null || true)"
    got="$(fc-match -f '%{family}' "$family" 2>/dev/null || true)"
    match=no
    IFS=',' read -r -a got_names <<<"$got"
    for name in "${got_names[@]}"; do
        if [ "${name,,}" = "${family,,}" ]; then match=yes; fi
    done
    if [ "$match" != yes ] || [ -z "$file" ]; then
        unresolved=$((unresolved + 1))
        problems+=("missing: font family \"$family\" is not installed (fontconfig falls back to \"${got:-nothing}\"${file:+ in $file}): add the Debian package that ships it to build_packages in ${deps_file#"$root"/}")
        continue
    fi
    files+=("$file"); labels+=("font \"$family\"")
done

ldd_out="$(ldd "$binary" 2>&1)" || die "ldd $binary failed: $ldd_out"
while IFS= read -r line; do
    line="${line#"${line%%[![:space:]]*}"}"
    [ -n "$line" ] || continue
    case "$line" in
        linux-vdso.so*|linux-gate.so*) continue ;;
        *"=> not found"*)
            unresolved=$((unresolved + 1))
            problems+=("missing: ${line%% *} is needed by $binary but not found on this machine (ldd: not found)")
            continue ;;
        *" => "*) lib="${line#* => }"; lib="${lib%% (*}" ;;
        /*) lib="${line%% (*}" ;;
        *) continue ;;
    esac
    [ -n "$lib" ] || continue
    lib="$(realpath -s -m "$lib")"    # tidy /a/b/../c, keeping symlinks
    case "$line" in *" => "*) soname_map+=("${line%% => *}" "$lib") ;; esac
    files+=("$lib"); labels+=("library")
done <<<"$ldd_out"

# --- owners: one dpkg -S call for every candidate path ---
# Candidates for a path: itself, its readlink -f, and the /lib <-> /usr/lib (merged-usr) twin of each.
twin() {
    case "$1" in
        /usr/lib/*|/usr/lib64/*|/usr/lib32/*|/usr/bin/*|/usr/sbin/*) echo "${1#/usr}" ;;
        /lib/*|/lib64/*|/lib32/*|/bin/*|/sbin/*) echo "/usr$1" ;;
    esac
}
candidates_of() {
    local p="$1" r
    r="$(readlink -f "$p" 2>/dev/null || echo "$p")"
    printf '%s\n' "$p" "$r"
    twin "$p"; twin "$r"
}
all_candidates=()
for f in "${files[@]}"; do
    while IFS= read -r c; do [ -n "$c" ] && all_candidates+=("$c"); done < <(candidates_of "$f")
done
declare -A owner=()
if [ ${#all_candidates[@]} -gt 0 ]; then
    mapfile -t unique_candidates < <(printf '%s\n' "${all_candidates[@]}" | sort -u)
    while IFS= read -r line; do
        case "$line" in diversion*) continue ;; esac
        path="${line##*: }"; pkgs="${line%: *}"
        pkg="${pkgs%%,*}"; pkg="${pkg%%:*}"          # first owner, without :amd64
        [ -n "${owner[$path]:-}" ] || owner[$path]="$pkg"
    done < <(dpkg -S "${unique_candidates[@]}" 2>/dev/null || true)
fi

# --- what build_packages pull in, and what every Debian has (one apt-cache call) ---
mapfile -t base < <(dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' | awk '$2=="yes" || $3=="required" {print $1}')
graph="$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "${listed[@]}" "${base[@]}" 2>/dev/null || true)"
# reach: "PACKAGE ROOT" for every package reachable from a root (first root in order wins);
# listed roots are tagged L:, base roots B:.
reach="$(
    { printf 'ROOT L:%s\n' "${listed[@]}"; printf 'ROOT B:%s\n' "${base[@]}"; echo '--'; echo "$graph"; } | awk '
    function strip(p) { sub(/:.*/, "", p); return p }
    /^ROOT / { roots[++nroots] = $2; next }
    /^--$/ { ingraph = 1; next }
    !ingraph { next }
    /^[^ ]/ { cur = strip($1); ingroup = 0; picked = 0; next }
    /^    / { next }                                   # providers of a virtual package
    /^ *\|?(Depends|PreDepends): / {
        alt = ($0 ~ /^ *\|/)
        dep = $0; sub(/^ *\|?(Depends|PreDepends): /, "", dep)
        if (!ingroup) picked = 0
        if (dep !~ /^</ && !picked) { edges[cur] = edges[cur] " " strip(dep); picked = 1 }
        ingroup = alt
        next
    }
    END {
        for (i = 1; i <= nroots; i++) {
            r = roots[i]; name = substr(r, 3)
            if (name in seen) continue
            n = 0; queue[++n] = name; seen[name] = r
            for (q = 1; q <= n; q++) {
                split(edges[queue[q]], ds, " ")
                for (k in ds) if (ds[k] != "" && !(ds[k] in seen)) { seen[ds[k]] = r; queue[++n] = ds[k] }
            }
        }
        for (p in seen) print p, seen[p]
    }'
)"
declare -A via=()
while read -r p r; do [ -n "$p" ] && via[$p]="$r"; done <<<"$reach"
declare -A is_listed=()
for p in "${listed[@]}"; do is_listed[$p]=1; done

# --- verdicts ---
deps_name="${deps_file#"$root"/}"
checked=0
for i in "${!files[@]}"; do
    f="${files[$i]}"; label="${labels[$i]}"
    pkg=""
    while IFS= read -r c; do
        if [ -n "${owner[$c]:-}" ]; then pkg="${owner[$c]}"; break; fi
    done < <(candidates_of "$f")
    checked=$((checked + 1))
    if [ -z "$pkg" ]; then
        real="$(readlink -f "$f" 2>/dev/null || echo "$f")"
        if [ -n "$toolchain" ] && [[ "$real/" == "$toolchain"/* || "$f/" == "$toolchain"/* ]]; then
            printf 'ok  %s  (swift toolchain, not a Debian package)\n' "$f"
        else
            problems+=("missing: $f ($label) belongs to no Debian package and is not inside the swift toolchain ($toolchain): a fresh machine will not have it")
        fi
        continue
    fi
    if [ -n "${is_listed[$pkg]:-}" ]; then
        printf 'ok  %s  %s  (listed)\n' "$f" "$pkg"
        continue
    fi
    root_of="${via[$pkg]:-}"
    if [[ "$root_of" == L:* ]]; then
        printf 'ok  %s  %s  (via %s)\n' "$f" "$pkg" "${root_of#L:}"
        continue
    fi
    ess="$(dpkg-query -W -f='${Essential} ${Priority}' "$pkg" 2>/dev/null || true)"
    if [[ "$ess" == yes* || "$ess" == *" required" ]]; then
        printf 'ok  %s  %s  (essential)\n' "$f" "$pkg"
    elif [[ "$root_of" == B:* ]]; then
        printf 'ok  %s  %s  (essential, via %s)\n' "$f" "$pkg" "${root_of#B:}"
    else
        problems+=("missing: $f ($label) belongs to $pkg, which $deps_name does not install: add it to build_packages")
    fi
done

for p in "${problems[@]}"; do echo "$p"; done
if [ ${#problems[@]} -gt 0 ]; then
    echo "check-packages: ${#problems[@]} missing of $((checked + unresolved)) files checked (${#families[@]} fonts, binary $binary)" >&2
    exit 1
fi
echo "check-packages: all $checked files covered by $deps_name (${#families[@]} fonts, binary $binary)"
