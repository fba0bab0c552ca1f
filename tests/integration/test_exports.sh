#!/usr/bin/env bash
# libdocflow.so must export only the public df_* API: the static MuPDF inside
# it defines thousands of globals that would otherwise override the host's.
set -euo pipefail
so="$DF_BINARY_DIR/libdocflow.so"
[ -f "$so" ] || { echo "FAIL: $so not built"; exit 1; }
syms=$(nm -D --defined-only "$so" | awk '{print $3}' | sed 's/@.*//' | sort -u)
bad=$(echo "$syms" | grep -v '^df_' | grep -v '^$' || true)
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
echo "exports ok: $count df_* symbols, nothing else"
echo "1 passed, 0 failed"
