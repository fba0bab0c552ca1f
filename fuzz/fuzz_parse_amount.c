/*
 * fuzz_parse_amount.c — libFuzzer harness for lib/extract/amount.c and
 * currency.c, which read whatever OCR makes of a page.
 *
 * First byte: style hint (bits 0-1) and lenient flag (bit 2); the rest is
 * the text. Checks: spans inside the input and advancing, and every value
 * survives df_amount_format -> df_amount_parse unchanged. The models are
 * the source tree's (found next to this file), so the fuzzer also covers the
 * real currency tokens.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/amount.h"
#include "extract/currency.h"
#include "fuzz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const df_model *m = fuzz_model();
    df_dec_style style = (df_dec_style)(data[0] % 3);
    unsigned flags = data[0] & 4 ? DF_AMT_LENIENT : 0;
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    df_amount a;
    char buf[32];
    if (df_amount_parse(m, s, len, style, flags, &a) && (a.start > a.end || a.end > len))
        __builtin_trap();
    size_t from = 0;
    while (df_amount_find(m, s, len, from, style, flags, &a)) {
        if (a.start < from || a.end <= a.start || a.end > len || a.decimals > 3)
            __builtin_trap();
        size_t n = df_amount_format(a.minor, buf, sizeof buf);
        df_amount b;
        if (n == 0 || !df_amount_parse(NULL, buf, n, style, 0, &b) || b.minor != a.minor)
            __builtin_trap();
        from = a.end;
    }
    df_currency_guess g;
    if (df_currency_detect(m, s, len, NULL, &g) &&
        (g.ncodes == 0 || g.ncodes > DF_CURRENCY_MAX_CODES || strlen(g.code) != 3 || g.margin < 0))
        __builtin_trap();
    return 0;
}
