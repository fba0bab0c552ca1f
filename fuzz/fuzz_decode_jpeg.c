/*
 * fuzz_decode_jpeg.c — libFuzzer harness for df_decode_jpeg (lib/decode/jpeg.c).
 *
 * Checks that hostile JPEGs (broken markers, lying sizes, truncated scans,
 * odd EXIF) end in a df_code with nothing leaked, and that any page that is
 * returned obeys the decoder contract (8 bpp gray or 32 bpp RGB). The pixel
 * limit is kept small so the fuzzer spends its time on parsing, not IDCT.
 * Built by fuzz/CMakeLists.txt: fuzz_decode_jpeg with -DDF_FUZZ=ON and clang
 * (see fuzz/README.md), fuzz_decode_jpeg_replay always.
 */
#include <stdlib.h>

#include "decode/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    df_decode_opts o = {.max_file_bytes = 1u << 24, .max_pages = 1,
                        .max_pixels = 1u << 22, .diag = {NULL, NULL}};
    df_doc doc = {0};
    df_err err = {0};
    df_code rc = df_decode_jpeg(d, n, &o, &doc, &err);
    if (rc == DF_OK) {
        if (doc.npages != 1 || !doc.pages[0].pix)
            abort();
        int depth = pixGetDepth(doc.pages[0].pix);
        if (depth != 8 && depth != 32)
            abort();
    } else if (err.code != rc || !err.msg[0]) {
        abort();
    }
    df_doc_clear(&doc);
    return 0;
}
