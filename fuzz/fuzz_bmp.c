/*
 * fuzz_bmp.c — libFuzzer harness for the hand-written BMP reader.
 *
 * bmp.c parses untrusted headers and RLE streams itself (no library does the
 * bounds checking for it), so it is the decoder most worth fuzzing. Build:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I lib -I include \
 *     fuzz/fuzz_bmp.c lib/decode/bmp.c lib/decode/decode.c lib/core/error.c \
 *     $(pkg-config --cflags --libs lept) -o /tmp/fuzz_bmp
 *   /tmp/fuzz_bmp -max_total_time=90 corpus_dir/
 *
 * decode.c dispatches to every decoder; the weak stubs below satisfy the
 * linker when only bmp.c is compiled in (a real definition, e.g. from the
 * static library, wins over them).
 */
#include <stdint.h>
#include <string.h>

#include "decode/decode.h"

#define DF_FUZZ_STUB(name)                                                                   \
    __attribute__((weak)) df_code name(const uint8_t *d, size_t l, const df_decode_opts *o,  \
                                       df_doc *doc, df_err *e)                               \
    {                                                                                        \
        (void)d; (void)l; (void)o; (void)doc;                                                \
        return df_err_set(e, DF_E_UNSUPPORTED_FORMAT, "not in the fuzz build");              \
    }
DF_FUZZ_STUB(df_decode_pdf)
DF_FUZZ_STUB(df_decode_jpeg)
DF_FUZZ_STUB(df_decode_png)
DF_FUZZ_STUB(df_decode_webp)
DF_FUZZ_STUB(df_decode_tiff)
DF_FUZZ_STUB(df_decode_heif)
__attribute__((weak)) const char *df_supported_formats(void) { return "BMP"; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Real limits except pixels: 16 MP keeps each run fast while still
     * covering every code path (the check itself is what is tested). */
    df_decode_opts o = {10u << 20, 50, 16u << 20, {NULL, NULL}};
    df_doc doc;
    df_err err;
    memset(&doc, 0, sizeof doc);
    memset(&err, 0, sizeof err);
    df_code rc = df_decode_bmp(data, size, &o, &doc, &err);
    /* The decoder contract, checked on every input. */
    if (rc == DF_OK) {
        if (doc.npages != 1 || !doc.pages[0].pix)
            __builtin_trap();
        PIX *p = doc.pages[0].pix;
        int d = pixGetDepth(p);
        if ((d != 8 && d != 32) || pixGetColormap(p) || pixGetWidth(p) != doc.pages[0].width ||
            pixGetHeight(p) != doc.pages[0].height ||
            (uint64_t)pixGetWidth(p) * (uint64_t)pixGetHeight(p) > o.max_pixels)
            __builtin_trap();
    } else if (err.code != rc || err.msg[0] == '\0' || doc.npages != 0) {
        __builtin_trap();
    }
    df_doc_clear(&doc);
    return 0;
}
