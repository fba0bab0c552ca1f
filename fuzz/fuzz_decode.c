/* fuzz_decode.c — every decoder through the format sniffer, with small limits
 * so the fuzzer spends its time on parsing rather than on huge allocations. */
#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    df_decode_opts o = {.max_file_bytes = 10u << 20, .max_pages = 8, .max_pixels = 4000000};
    df_doc doc = {0};
    df_err err = {0};
    df_decode(data, size, &o, &doc, &err);
    df_doc_clear(&doc);
    return 0;
}
