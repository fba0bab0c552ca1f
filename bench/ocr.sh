#!/usr/bin/env bash
# ocr.sh — OCR CPU, side by side in one run, on the same images:
#   (a) the control: what a user runs and compares docflow with. Debian's
#       eng model (tesseract-ocr-eng, the "fast" LSTM), the tesseract CLI at
#       its default settings (psm 3), OMP_THREAD_LIMIT=1, one process per
#       image. Not configurable: the reported ratio is always against it.
#   (b) docflow end to end, one process for all images (engine reuse)
#   (c) Tesseract's recognition alone on docflow's preprocessed pixels
#   and text-layer PDF pages per second on one core; and what each
#   preprocessing stage of docflow's own work costs.
#   DF_BENCH_COMPARE=1 adds (a2): the CLI with docflow's bundled best_int
#   model at psm 6 (the earlier sessions' control), for comparison only.
#   DF_BENCH_BASE=DIR adds (b0): the docflow of another build directory (a
#   worktree of an earlier commit), in the same rounds, for a before/after:
#   its ratio to (a) and the median of the per-round ratios (b)/(b0), which
#   the load of the moment moves less than a ratio of medians.
# CPU seconds (user+sys), not wall time: the machine is shared. Each side is
# run ROUNDS times interleaved; medians are reported, with ratios.
# usage: bench/ocr.sh [IMAGE_DIR] [N_IMAGES] [ROUNDS]
#   defaults: ../shared/devset/sroie-val, 20 images, 3 rounds (the figure
#   issue 22 asks for: aggregate CPU only, no per-document output). Needs a
#   build in build/ and `scripts/install-deps --bench` (tesseract CLI,
#   tesseract-ocr-eng).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/../shared/devset/sroie-val}
n=${2:-20}
rounds=${3:-3}
cli="$top/build/docflow"
bp="$top/build/bench/bench_pages"
debian=/usr/share/tesseract-ocr/5/tessdata
bundled=$top/build/tessdata
mapfile -t imgs < <(find "$dir" -maxdepth 1 -type f \( -name '*.jpg' -o -name '*.png' \) | sort | head -n "$n")
[ ${#imgs[@]} -gt 0 ] || { echo "no images in $dir" >&2; exit 1; }
command -v tesseract >/dev/null || { echo "tesseract CLI missing: scripts/install-deps --bench" >&2; exit 1; }
[ -f "$debian/eng.traineddata" ] || { echo "$debian/eng.traineddata missing: scripts/install-deps --bench" >&2; exit 1; }

cpu_of() { # prints user+sys CPU seconds of the command
  # this (sub)shell waits for the command, so its children's CPU lands in
  # its own cutime/cstime
  local t0 t1 me=$BASHPID
  t0=$(awk '{print $14+$15+$16+$17}' "/proc/$me/stat")
  "$@" >/dev/null 2>&1
  t1=$(awk '{print $14+$15+$16+$17}' "/proc/$me/stat")
  echo "$t0 $t1" | awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($2-$1)/hz}'
}
# the control: no option, no TESSDATA_PREFIX (the CLI's default is Debian's directory)
run_a() { for f in "${imgs[@]}"; do env -u TESSDATA_PREFIX OMP_THREAD_LIMIT=1 tesseract "$f" - >/dev/null 2>&1; done; }
run_a2() { for f in "${imgs[@]}"; do OMP_THREAD_LIMIT=1 tesseract "$f" - --psm 6 --tessdata-dir "$bundled" >/dev/null 2>&1; done; }
run_b() { env -u TESSDATA_PREFIX "$cli" extract --text "${imgs[@]}"; }
base_cli=${DF_BENCH_BASE:+$DF_BENCH_BASE/docflow}
if [ -n "$base_cli" ] && [ ! -x "$base_cli" ]; then
  echo "DF_BENCH_BASE: $base_cli missing (a build directory with docflow built)" >&2; exit 1
fi
run_b0() { env -u TESSDATA_PREFIX "$base_cli" extract --text "${imgs[@]}"; }

med() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
A=(); A2=(); B=(); B0=(); R0=()
for r in $(seq "$rounds"); do
  A+=("$(cpu_of run_a)")
  [ -z "${DF_BENCH_COMPARE:-}" ] || A2+=("$(cpu_of run_a2)")
  B+=("$(cpu_of run_b)")
  if [ -n "$base_cli" ]; then
    B0+=("$(cpu_of run_b0)")
    R0+=("$(awk -v b="${B[-1]}" -v o="${B0[-1]}" 'BEGIN {printf "%.3f", b/o}')")
  fi
done
ma=$(printf '%s\n' "${A[@]}" | med); mb=$(printf '%s\n' "${B[@]}" | med)
echo "images: ${#imgs[@]} from $dir, rounds: $rounds (CPU seconds; medians)"
echo "(a) tesseract CLI per image, Debian eng, defaults:  ${A[*]}  -> median $ma s"
if [ ${#A2[@]} -gt 0 ]; then
  ma2=$(printf '%s\n' "${A2[@]}" | med)
  echo "(a2) tesseract CLI per image, best_int, psm 6:      ${A2[*]}  -> median $ma2 s"
fi
echo "(b) docflow, one process:                          ${B[*]}  -> median $mb s"
awk -v a="$ma" -v b="$mb" 'BEGIN {printf "ratio (b)/(a) = %.2f  (target <= 0.80)\n", b/a}'
[ -z "${ma2:-}" ] || awk -v a="$ma2" -v b="$mb" 'BEGIN {printf "ratio (b)/(a2) = %.2f  (comparison only)\n", b/a}'
if [ ${#B0[@]} -gt 0 ]; then
  mb0=$(printf '%s\n' "${B0[@]}" | med)
  echo "(b0) docflow of $DF_BENCH_BASE:  ${B0[*]}  -> median $mb0 s"
  awk -v a="$ma" -v b="$mb0" 'BEGIN {printf "ratio (b0)/(a) = %.2f\n", b/a}'
  echo "(b)/(b0) per round: ${R0[*]}  -> median $(printf '%s\n' "${R0[@]}" | med)"
fi
if [ -x "$bp" ] && [ -z "${DF_BENCH_NO_DETAIL:-}" ]; then
  env -u TESSDATA_PREFIX "$bp" ocr "${imgs[@]}" | tail -2
  env -u TESSDATA_PREFIX "$bp" prep "$rounds" "${imgs[@]}" 2>/dev/null
  env -u TESSDATA_PREFIX "$bp" textlayer "$top/fixtures/sample-invoice.pdf" 500
fi
