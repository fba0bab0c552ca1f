#!/usr/bin/env bash
# libdocflow.so must export only the public df_* API: the static MuPDF inside
# it defines thousands of globals that would otherwise override the host's.
# Besides it, exactly the four libgomp entry points lib/ocr/omp_guard.c
# defines, under libgomp's version names, and Leptonica's pixWriteMem
# (lib/ocr/omp_guard.c too); the CLI's Tesseract must bind to them.
set -euo pipefail
so="$DF_BINARY_DIR/libdocflow.so"
[ -f "$so" ] || { echo "FAIL: $so not built"; exit 1; }
syms=$(nm -D --defined-only "$so" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | sort -u)
gomp='GOMP_parallel@@GOMP_4.0 GOMP_parallel_sections@@GOMP_4.0 GOMP_sections_end_nowait@@GOMP_1.0 GOMP_sections_next@@GOMP_1.0'
got=$(nm -D --defined-only "$so" | awk '$2 != "A" && $3 ~ /^GOMP_/ {print $3}' | sort | xargs)
[ "$got" = "$gomp" ] || { echo "FAIL: libgomp entry points exported: '$got', expected '$gomp'"; exit 1; }
lept=$(nm -D --defined-only "$so" | awk '$2 != "A" && $3 ~ /^pix/ {print $3}' | xargs)
[ "$lept" = "pixWriteMem@@DOCFLOW_0" ] || { echo "FAIL: Leptonica functions exported: '$lept'"; exit 1; }
bad=$(echo "$syms" | grep -v '^df_' | grep -v '^GOMP_' | grep -vx 'pixWriteMem' | grep -v '^$' || true)
count=$(echo "$syms" | grep -c '^df_' || true)
if [ -n "$bad" ]; then
  echo "FAIL: non-df_ symbols exported:"; echo "$bad" | head -20; exit 1
fi
# Every function declared in the public header is exported (nothing forgotten).
declared=$(grep -oE '\bdf_[a-z0-9_]+\s*\(' "$DF_SOURCE_DIR/include/docflow/docflow.h" | sed 's/\s*(//' | sort -u \
           | grep -v '^df_diag_fn$')
missing=$(comm -23 <(echo "$declared") <(echo "$syms"))
if [ -n "$missing" ]; then echo "FAIL: declared but not exported: $missing"; exit 1; fi
# MuPDF itself must be inside (Debian ships no libmupdf.so to resolve it at
# run time). OpenJPEG, jbig2dec etc. are system shared libraries: fine.
undef=$(nm -D --undefined-only "$so" | awk '{print $2}')
if grep -E '^(fz_|pdf_)' <<<"$undef" >/dev/null; then
  echo "FAIL: MuPDF symbols left undefined"; exit 1
fi
# The CLI (linked to libdocflow.so) runs Tesseract's regions and line
# images through them.
bindings=$(LD_DEBUG=bindings "$DF_CLI" extract "$DF_SOURCE_DIR/fixtures/invoice.png" 2>&1 >/dev/null)
bind=$(grep -E "libtesseract[^ ]* .* to [^ ]*libdocflow\.so[^ ]* .*GOMP_parallel_sections' \[GOMP_4\.0\]" <<<"$bindings" || true)
[ -n "$bind" ] || { echo "FAIL: libtesseract's GOMP_parallel_sections is not bound to libdocflow.so"; exit 1; }
bind=$(grep -E "libtesseract[^ ]* .* to [^ ]*libdocflow\.so[^ ]* .*pixWriteMem'" <<<"$bindings" || true)
[ -n "$bind" ] || { echo "FAIL: libtesseract's pixWriteMem is not bound to libdocflow.so"; exit 1; }
echo "exports ok: $count df_* symbols, four libgomp entry points and pixWriteMem, nothing else"
echo "1 passed, 0 failed"
