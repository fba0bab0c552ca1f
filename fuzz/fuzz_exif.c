/*
 * fuzz_exif.c — libFuzzer harness for the EXIF reader (lib/decode/exif.c).
 *
 * Every phone photo hands this parser attacker-controlled bytes, so it must
 * never read out of bounds and never return an orientation outside 1..8.
 * Each input is tried twice: as given, and behind an "Exif\0\0" prefix so
 * that most mutations reach the TIFF/IFD code instead of dying on the magic.
 *
 * Built by fuzz/CMakeLists.txt (fuzz_exif with -DDF_FUZZ=ON, fuzz_exif_replay
 * always), or standalone since it needs only exif.c:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I lib -I include \
 *         lib/decode/exif.c fuzz/fuzz_exif.c -o fuzz_exif
 *   ./fuzz_exif -max_total_time=60
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decode/exif.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void check(const uint8_t *d, size_t n)
{
    df_exif_info info;
    df_exif_parse(d, n, &info);
    if (info.orientation < 1 || info.orientation > 8 || !(info.xres >= 0) || isinf(info.xres))
        abort();
    if (df_exif_orientation(d, n) != info.orientation)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    check(d, n);
    /* exact-size heap copy, so ASan catches a read one past the end */
    uint8_t *p = malloc(n + 6);
    if (!p)
        return 0;
    memcpy(p, "Exif\0\0", 6);
    if (n)
        memcpy(p + 6, d, n);
    check(p, n + 6);
    free(p);
    return 0;
}
