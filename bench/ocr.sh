#!/usr/bin/env bash
# ocr.sh — OCR speed, side by side in one run, on the same images:
#   (a) the tesseract CLI per image, OMP_THREAD_LIMIT=1 (the fair baseline)
#   (b) docflow end to end, one process for all images (engine reuse)
#   (c) Tesseract's recognition alone on docflow's preprocessed pixels
#   and text-layer PDF pages per second on one core; and what each
#   preprocessing stage of docflow's own work costs.
# CPU seconds (user+sys), not wall time: the machine is shared. Each side is
# run ROUNDS times interleaved; medians are reported, with ratios.
# usage: bench/ocr.sh [IMAGE_DIR] [N_IMAGES] [ROUNDS]
#   defaults: ../shared/devset/sroie, 20 images, 3 rounds. Needs a build in
#   build/ and `scripts/install-deps --bench` (tesseract CLI).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/../shared/devset/sroie}
n=${2:-20}
rounds=${3:-3}
cli="$top/build/docflow"
bp="$top/build/bench/bench_pages"
# Same model and page segmentation mode as docflow (bundled best_int, psm 6;
# docflow reads a ruled grid in psm 3, which SROIE receipts are not),
# so both sides do the same recognition work.
psm=${DF_BENCH_PSM:-6}
export TESSDATA_PREFIX=${DF_BENCH_TESSDATA:-$top/build/tessdata}
mapfile -t imgs < <(find "$dir" -maxdepth 1 -type f \( -name '*.jpg' -o -name '*.png' \) | sort | head -n "$n")
[ ${#imgs[@]} -gt 0 ] || { echo "no images in $dir" >&2; exit 1; }
command -v tesseract >/dev/null || { echo "tesseract CLI missing: scripts/install-deps --bench" >&2; exit 1; }

cpu_of() { # prints user+sys CPU seconds of the command
  # this (sub)shell waits for the command, so its children's CPU lands in
  # its own cutime/cstime
  local t0 t1 me=$BASHPID
  t0=$(awk '{print $14+$15+$16+$17}' "/proc/$me/stat")
  "$@" >/dev/null 2>&1
  t1=$(awk '{print $14+$15+$16+$17}' "/proc/$me/stat")
  echo "$t0 $t1" | awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($2-$1)/hz}'
}
run_a() { for f in "${imgs[@]}"; do OMP_THREAD_LIMIT=1 tesseract "$f" - --psm "$psm" >/dev/null 2>&1; done; }
run_b() { env -u TESSDATA_PREFIX "$cli" extract --text "${imgs[@]}"; }

med() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
A=(); B=()
for r in $(seq "$rounds"); do
  A+=("$(cpu_of run_a)")
  B+=("$(cpu_of run_b)")
done
ma=$(printf '%s\n' "${A[@]}" | med); mb=$(printf '%s\n' "${B[@]}" | med)
echo "images: ${#imgs[@]} from $dir, rounds: $rounds (CPU seconds; medians)"
echo "(a) tesseract CLI per image, psm $psm:  ${A[*]}  -> median $ma s"
echo "(b) docflow, one process:             ${B[*]}  -> median $mb s"
awk -v a="$ma" -v b="$mb" 'BEGIN {printf "ratio (b)/(a) = %.2f  (target <= 1.00)\n", b/a}'
if [ -x "$bp" ]; then
  "$bp" ocr "${imgs[@]}" | tail -1
  "$bp" prep "$rounds" "${imgs[@]}" 2>/dev/null
  "$bp" textlayer "$top/fixtures/sample-invoice.pdf" 500
fi
