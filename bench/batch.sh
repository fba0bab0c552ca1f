#!/usr/bin/env bash
# batch.sh — the batch driver's parallel speed-up and memory, in one run.
#
# What the machine allows is measured next to what docflow gets, because the
# machines are shared and a bare "2 workers = 1.7x" means nothing on its own:
#   control   the same images through the tesseract CLI (OMP_THREAD_LIMIT=1,
#             docflow's model and psm), one process per image: all images one
#             after the other, vs the images split into two halves run by two
#             concurrent loops. control speed-up = sequential wall / parallel wall.
#             The halves are balanced on each image's time in the sequential
#             runs so far (largest first into the lighter half), so the control
#             shows what the machine allows, not a lopsided split.
#   docflow   `docflow batch --quiet --jobs 1` vs `--jobs 2` over >= 40 mixed
#             documents (receipt scans, born-digital and scanned PDFs, photos,
#             every raster format). docflow speed-up = wall(1) / wall(2).
#   target    docflow speed-up / control speed-up >= 0.95.
# The four configurations are interleaved ROUNDS times (control seq, control
# par, docflow 1, docflow 2, ...) so that load from other jobs hits all of them;
# medians are reported and the ratios are taken from the medians.
#
#   memory    peak RSS (/usr/bin/time -f %M) of `docflow batch --quiet --jobs 2`
#             over 100 OCR documents = 10 documents copied 10 times under
#             distinct names, against the same 10 copied twice (20), so every
#             page seen at 100 was also seen at 20 and any growth is
#             accumulation in the batch driver, not a bigger page. Peak RSS is
#             set by which documents are in flight together. The batch opens
#             the largest file first, so in the 100 a document's copies run
#             next to each other: two copies of the heaviest document in
#             flight at once, which 10 distinct documents can never have
#             (measured: 235 MB for the 10, 324 MB for the 100 that way; 200
#             copies of one receipt: 71.7 MB, the same as its 20 copies). With
#             two copies of each (one per worker) the 20 hold every pair the
#             100 can have in flight. They are run 5 times (as many documents as
#             the 100) and the largest peak is used. target: ratio <= 1.20.
#
# Control images: only the list's raster files that the tesseract CLI reads
# directly (JPEG, PNG, TIFF, WEBP, BMP); PDFs and HEIC are left out of the
# control (not rendered) — the control measures the machine, not docflow's work.
#
# Receipts case (third argument `receipts`): small receipts only, where a batch is many
# short documents: DF_BENCH_DOCS (default 60) SROIE scans from sroie/ (a
# stride over the sorted names), the same images in the control, 5 rounds
# by default; no memory part.
#
# usage: bench/batch.sh [DEVSET_DIR] [ROUNDS] [CASE]
#   defaults: ../shared/devset, 3 rounds (5 for receipts), CASE mixed. Build
#   dir from $BUILD (default ./build, relative to the repository). Needs
#   `scripts/install-deps --bench` (tesseract CLI, time; jq optional: checks
#   each batch's results).
#   DF_BENCH_DOCS (default 40; receipts 60): documents in the timed list;
#   mixed: half from sroie/, half from synthetic/docs.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
devset=${1:-$top/../shared/devset}
bcase=${3:-mixed}
case $bcase in
    mixed) rounds=${2:-3}; n_docs=${DF_BENCH_DOCS:-40}; min_docs=40 ;;
    receipts) rounds=${2:-5}; n_docs=${DF_BENCH_DOCS:-60}; min_docs=60 ;;
    *) echo "batch.sh: CASE is mixed or receipts" >&2; exit 2 ;;
esac
build=${BUILD:-$top/build}
case $build in /*) ;; *) build=$top/$build ;; esac
cli=$build/docflow
tessdata=$build/tessdata
psm=6

die() { echo "batch.sh: $*" >&2; exit 1; }

check_tools() {
    [ -x "$cli" ] || die "$cli missing: build first (cmake --build ${build#"$top"/})"
    "$cli" --help 2>&1 | grep -q 'docflow batch' || die "$cli has no 'batch' command"
    [ -f "$tessdata/eng.traineddata" ] || die "$tessdata/eng.traineddata missing (built with docflow)"
    command -v tesseract >/dev/null || die "tesseract CLI missing: scripts/install-deps --bench"
    [ -x /usr/bin/time ] || die "/usr/bin/time missing: scripts/install-deps --bench"
    [[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer"
    [ "$n_docs" -ge "$min_docs" ] || die "DF_BENCH_DOCS must be >= $min_docs for $bcase"
}

# --- document lists -----------------------------------------------------------

# pick K: print K lines evenly spaced over stdin (deterministic stride)
pick() { awk -v k="$1" '{l[NR]=$0} END {if (k>NR) k=NR; for (i=0;i<k;i++) print l[int(i*NR/k)+1]}'; }

# interleave FILE1 FILE2: a1 b1 a2 b2 ... (the rest of the longer one at the end)
interleave() { paste -d '\n' "$1" "$2" | sed '/^$/d'; }

is_raster() { case ${1,,} in *.jpg|*.jpeg|*.png|*.tif|*.tiff|*.webp|*.bmp) return 0 ;; esac; return 1; }

# receipts: n_docs SROIE scans, every one also in the control
build_receipts() {
    [ -d "$devset/sroie" ] || die "$devset: expected sroie/ (see ../shared/devset/README.md)"
    find "$devset/sroie" -maxdepth 1 -type f -name '*.jpg' | sort | pick "$n_docs" >"$tmp/docs.txt"
    mapfile -t docs <"$tmp/docs.txt"
    [ "${#docs[@]}" -ge "$min_docs" ] || die "only ${#docs[@]} receipts under $devset/sroie (need >= $min_docs)"
    ctl=("${docs[@]}")
    : >"$tmp/times.txt"
}

build_lists() {
    [ "$bcase" = mixed ] || { build_receipts; return; }
    local half=$((n_docs / 2))
    if [ ! -d "$devset/sroie" ] || [ ! -d "$devset/synthetic/docs" ]; then
        die "$devset: expected sroie/ and synthetic/docs/ (see ../shared/devset/README.md)"
    fi
    # sroie: sorted scan names; synthetic: sorted by (extension, name) so the
    # stride takes every format and variant in proportion.
    find "$devset/sroie" -maxdepth 1 -type f -name '*.jpg' | sort | pick "$half" >"$tmp/sroie.txt"
    find "$devset/synthetic/docs" -maxdepth 1 -type f |
        awk '{n=split($0, p, "."); print p[n] "\t" $0}' | sort | cut -f2 |
        pick "$((n_docs - half))" >"$tmp/synth.txt"
    interleave "$tmp/sroie.txt" "$tmp/synth.txt" >"$tmp/docs.txt"
    mapfile -t docs <"$tmp/docs.txt"
    [ "${#docs[@]}" -ge 40 ] || die "only ${#docs[@]} documents found under $devset (need >= 40)"

    # control: the raster files (halves are made after the first timing)
    ctl=()
    local f
    for f in "${docs[@]}"; do
        if is_raster "$f"; then ctl+=("$f"); fi
    done
    : >"$tmp/times.txt"

    # memory: the first 10 non-PDF documents (OCR), as 10 and as 10 x 10 copies
    local mem=() k c
    for f in "${docs[@]}"; do
        case ${f,,} in *.pdf) continue ;; esac
        mem+=("$f"); [ "${#mem[@]}" -lt 10 ] || break
    done
    mkdir -p "$tmp/rss20" "$tmp/rss100"
    for k in "${!mem[@]}"; do
        for c in $(seq 0 9); do
            cp "${mem[$k]}" "$tmp/rss100/$c$(printf '%02d' "$k")_$(basename "${mem[$k]}")"
            [ "$c" -ge 2 ] || cp "${mem[$k]}" "$tmp/rss20/$c$(printf '%02d' "$k")_$(basename "${mem[$k]}")"
        done
    done
}

describe_lists() {
    if [ "$bcase" = receipts ]; then
        echo "receipts: ${#docs[@]} SROIE scans from $devset/sroie (stride over sorted names), all in the control"
        return
    fi
    echo "documents: ${#docs[@]} from $devset (sroie stride + synthetic sorted by extension, strided)"
    printf '%s\n' "${docs[@]}" | awk -F. '{print tolower($NF)}' | sort | uniq -c |
        awk '{printf "  %s %d", $2, $1} END {print ""}'
    echo "control images: ${#ctl[@]} raster files (PDF and HEIC not in the control)"
    echo "memory set: $(($(find "$tmp/rss20" -type f | wc -l) / 2)) OCR documents; 20 = 2 copies of each, 100 = 10 copies"
}

# --- timed runs ---------------------------------------------------------------

# Each timed function sets $wall (seconds) instead of printing it, so that it
# runs in this shell, not in a $(...) subshell, and can keep state.
now() { echo "$EPOCHREALTIME"; }
# CPU seconds (user+sys) of this shell's finished children so far: a timed
# function's CPU is the difference around it (waited-for children only)
# the script's own children's CPU: read in $(...), whose subshell ($BASHPID)
# has no children of its own, so the script's pid ($$)
cpu_now() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($16 + $17) / hz}' "/proc/$$/stat"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.2f", b - a}'; }

tess_loop() { # tesseract CLI per image, single-threaded, as docflow: model and psm
    local f
    for f in "$@"; do
        OMP_THREAD_LIMIT=1 tesseract "$f" - --psm "$psm" --tessdata-dir "$tessdata" >/dev/null 2>&1 ||
            { echo "batch.sh: tesseract failed on $f" >&2; return 1; }
    done
}

control_seq() { # each image timed too ($tmp/times.txt: index seconds)
    local t0 t1 i
    t0=$(now)
    for i in "${!ctl[@]}"; do
        t1=$(now); tess_loop "${ctl[$i]}"; echo "$i $(since "$t1")" >>"$tmp/times.txt"
    done
    wall=$(since "$t0")
    split_control
}

# split_control: ctl_a/ctl_b from the mean time of each image so far, largest
# first into the lighter half; sets $bal = sum / heavier half, the best
# speed-up two concurrent halves can reach
split_control() {
    local half i
    ctl_a=(); ctl_b=()
    while read -r half i; do
        if [ "$half" = A ]; then ctl_a+=("${ctl[$i]}"); elif [ "$half" = B ]; then ctl_b+=("${ctl[$i]}"); else bal=$i; fi
    done < <(awk '{s[$1] += $2; n[$1]++} END {for (i in s) print i, s[i] / n[i]}' "$tmp/times.txt" |
        sort -k2,2gr -k1,1n |
        awk '{if (a <= b) {a += $2; print "A", $1} else {b += $2; print "B", $1}}
             END {printf "bound %.2f\n", (a + b) / (a > b ? a : b)}')
}

control_par() {
    local t0 pa pb rc=0
    t0=$(now)
    tess_loop "${ctl_a[@]}" & pa=$!
    tess_loop "${ctl_b[@]}" & pb=$!
    wait "$pa" || rc=1
    wait "$pb" || rc=1
    [ "$rc" -eq 0 ] || die "control run failed"
    wall=$(since "$t0")
}

# check_results N: the last batch printed N results; notes failures once
check_results() {
    command -v jq >/dev/null || return 0
    local got bad
    got=$(jq 'length' "$tmp/out.json") || die "docflow batch wrote invalid JSON"
    [ "$got" -eq "$1" ] || die "docflow batch returned $got results for $1 documents"
    bad=$(jq '[.[] | select(.error)] | length' "$tmp/out.json")
    if [ "$bad" -gt 0 ] && [ -z "${warned:-}" ]; then
        warned=1
        echo "note: $bad of $1 documents failed in docflow batch (still timed):" >&2
        jq -r '.[] | select(.error) | "  " + .error.message' "$tmp/out.json" | head -5 >&2
    fi
}

# docflow batch [TIME...] -- ARGS: with the bundled model (TESSDATA_PREFIX is
# docflow's choice after --tessdata), results in $tmp/out.json. Exit status 1
# means some documents failed: still a valid run.
docflow_batch() {
    local pre=() rc=0
    while [ "$1" != -- ]; do pre+=("$1"); shift; done
    shift
    TESSDATA_PREFIX=$tessdata "${pre[@]}" "$cli" batch --quiet --out "$tmp/out.json" "$@" \
        >/dev/null 2>"$tmp/docflow.err" || rc=$?
    [ "$rc" -le 1 ] || { tail -5 "$tmp/docflow.err" >&2; die "docflow batch exited $rc"; }
}

docflow_run() { # JOBS
    local t0
    t0=$(now)
    docflow_batch -- --jobs "$1" "${docs[@]}"
    wall=$(since "$t0")
    check_results "${#docs[@]}"
}

peak_rss() { # DIR: sets $rss, peak RSS in MB of docflow batch --jobs 2 over DIR's files
    local files
    mapfile -t files < <(find "$1" -type f | sort)
    docflow_batch /usr/bin/time -f %M -o "$tmp/rss.txt" -- --jobs 2 "${files[@]}"
    check_results "${#files[@]}"
    rss=$(awk 'END {printf "%.1f", $1 / 1024}' "$tmp/rss.txt")
}

# --- report -------------------------------------------------------------------

med() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "%.2f", (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
maxof() { printf '%s\n' "$@" | sort -n | tail -1; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
ok() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {print ((op == ">=" ? v >= t : v <= t) ? "yes" : "NO")}'; }

main() {
    check_tools
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 130' INT TERM # so that the EXIT trap cleans up
    build_lists
    describe_lists
    cat "${docs[@]}" "$tessdata/eng.traineddata" >/dev/null # page cache, not disk

    local cs=() cpar=() d1=() d2=() r20=() r wall rss load0 load1 bal c0
    local ccs=() ccpar=() cd1=() cd2=()
    load0=$(cut -d' ' -f1 /proc/loadavg)
    echo "load average before: $load0 on $(nproc) cores"
    for r in $(seq "$rounds"); do
        c0=$(cpu_now); control_seq; cs+=("$wall"); ccs+=("$(awk -v a="$c0" -v b="$(cpu_now)" 'BEGIN {print b - a}')")
        c0=$(cpu_now); control_par; cpar+=("$wall"); ccpar+=("$(awk -v a="$c0" -v b="$(cpu_now)" 'BEGIN {print b - a}')")
        c0=$(cpu_now); docflow_run 1; d1+=("$wall"); cd1+=("$(awk -v a="$c0" -v b="$(cpu_now)" 'BEGIN {print b - a}')")
        c0=$(cpu_now); docflow_run 2; d2+=("$wall"); cd2+=("$(awk -v a="$c0" -v b="$(cpu_now)" 'BEGIN {print b - a}')")
        echo "round $r/$rounds: control seq ${cs[-1]} s, par ${cpar[-1]} s; docflow jobs 1 ${d1[-1]} s, jobs 2 ${d2[-1]} s"
    done
    local m100=- m20=- rr=-
    if [ "$bcase" = mixed ]; then
        for r in $(seq 5); do peak_rss "$tmp/rss20"; r20+=("$rss"); done
        peak_rss "$tmp/rss100"; m100=$rss
        m20=$(maxof "${r20[@]}")
        rr=$(div "$m100" "$m20")
        echo "peak RSS, 20 documents (10 x 2) in 5 runs: ${r20[*]} MB (max $m20); 100 documents: $m100 MB"
    fi
    load1=$(cut -d' ' -f1 /proc/loadavg)
    echo "load average after: $load1"

    local mcs mcp md1 md2 sc sd ratio
    mcs=$(med "${cs[@]}"); mcp=$(med "${cpar[@]}")
    md1=$(med "${d1[@]}"); md2=$(med "${d2[@]}")
    sc=$(div "$mcs" "$mcp"); sd=$(div "$md1" "$md2")
    ratio=$(div "$sd" "$sc")

    cat <<EOF

### docflow batch benchmark, $bcase ($(date -u +%Y-%m-%d), $(nproc) cores, rounds: $rounds, wall seconds, medians)

| configuration | documents | wall s (median) | speed-up | CPU s (median) |
| --- | --- | --- | --- | --- |
| control: tesseract CLI, one after the other | ${#ctl[@]} images | $mcs | 1.00 | $(med "${ccs[@]}") |
| control: two concurrent halves (${#ctl_a[@]} + ${#ctl_b[@]}) | ${#ctl[@]} images | $mcp | $sc (balance bound $bal) | $(med "${ccpar[@]}") |
| docflow batch --jobs 1 | ${#docs[@]} $bcase | $md1 | 1.00 | $(med "${cd1[@]}") |
| docflow batch --jobs 2 | ${#docs[@]} $bcase | $md2 | $sd | $(med "${cd2[@]}") |

| measure | value | target | met |
| --- | --- | --- | --- |
| docflow speed-up / control speed-up | $ratio | >= 0.95 | $(ok "$ratio" 0.95 ">=") |
| peak RSS 20 docs (10 x 2, max of 5 runs) / 100 docs (10 x 10), --jobs 2 | $m20 MB / $m100 MB | | |
| peak RSS ratio 100 / 20 | $rr | <= 1.20 | $([ "$rr" = - ] && echo "n/a" || ok "$rr" 1.20 "<=") |

Balance bound: the best speed-up the control's two halves allow, from each image's mean
sequential time. CPU s: user + sys of the run; more CPU at 2 workers than at 1 (beyond the
control's own rise) is contention between the threads, less speed-up at equal CPU is idle time. Each round: control seq, control par, docflow 1, docflow 2.
1-minute load average $load0 before, $load1 after (this benchmark alone adds up to 2):
well above 2 means other jobs shared the cores and the figures are not meaningful.
EOF
}

main
