#!/usr/bin/env bash
# `cmake --install` gives a usable package: a consumer builds and runs through
# pkg-config (shared and static) and through CMake's find_package.
set -euo pipefail
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
cmake --install "$DF_BINARY_DIR" --prefix "$prefix" >/dev/null
libdir=$(ls -d "$prefix"/lib* | head -1)
for f in include/docflow/docflow.h; do [ -f "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }; done
[ -f "$libdir/pkgconfig/docflow.pc" ] || [ -f "$prefix/lib/pkgconfig/docflow.pc" ] || { echo "FAIL: docflow.pc"; exit 1; }
pcdir=$(dirname "$(find "$prefix" -name docflow.pc | head -1)")

mkdir -p "$tmp/consumer"
cat > "$tmp/consumer/main.c" <<'C'
#include <docflow/docflow.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    if (!e) return 1;
    df_result *r = NULL;
    df_code c = df_extract_file(e, argv[1], &r);
    char *j = df_result_to_json(r, 0, NULL, 0);
    int ok = c == DF_OK && j && strstr(j, "\"pages\":[{") != NULL;
    printf("%s %s\n", df_version(), ok ? "ok" : "bad");
    df_free(j); df_result_free(r); df_engine_free(e);
    return ok ? 0 : 1;
}
C
sample="$DF_SOURCE_DIR/fixtures/sample-invoice.pdf"
san=()
[ "${DF_SANITIZE:-OFF}" = "ON" ] && san=(-fsanitize=address,undefined)

# 1. pkg-config, shared library
export PKG_CONFIG_PATH="$pcdir"
cc "${san[@]}" "$tmp/consumer/main.c" -o "$tmp/c-pc" $(pkg-config --cflags --libs docflow) -Wl,-rpath,"$libdir"
out=$("$tmp/c-pc" "$sample"); [[ "$out" == *" ok" ]] || { echo "FAIL: pkg-config consumer: $out"; exit 1; }

# 2. pkg-config --static: the archive plus its private libraries
cc "${san[@]}" "$tmp/consumer/main.c" -o "$tmp/c-static" $(pkg-config --cflags docflow) \
   "$libdir/libdocflow.a" $(pkg-config --static --libs-only-l docflow | sed 's/-ldocflow//') -fopenmp
out=$("$tmp/c-static" "$sample"); [[ "$out" == *" ok" ]] || { echo "FAIL: static consumer: $out"; exit 1; }
deps=$(ldd "$tmp/c-static")
if [[ "$deps" == *libdocflow* ]]; then echo "FAIL: static consumer uses the .so"; exit 1; fi

# 3. CMake find_package
cat > "$tmp/consumer/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(docflow 0.1 REQUIRED)
add_executable(consumer main.c)
target_link_libraries(consumer PRIVATE docflow::docflow)
CM
cflags=""; [ ${#san[@]} -gt 0 ] && cflags="${san[*]}"
cmake -S "$tmp/consumer" -B "$tmp/cbuild" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="$cflags" \
      -DCMAKE_EXE_LINKER_FLAGS="$cflags" >/dev/null
cmake --build "$tmp/cbuild" >/dev/null
out=$("$tmp/cbuild/consumer" "$sample"); [[ "$out" == *" ok" ]] || { echo "FAIL: find_package consumer: $out"; exit 1; }
echo "3 passed, 0 failed"
