/*
 * fuzz_parse_words.c — libFuzzer harness for lib/extract/words.c (amounts
 * in words after labels, and the phrase parser at every offset).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/words.h"
#include "fuzz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const df_model *m = fuzz_model();
    const char *s = (const char *)data;
    df_words_amount w;
    if (df_words_find(m, s, size, &w) && (w.end <= w.start || w.end > size || w.minor < 0))
        __builtin_trap();
    if (df_words_parse(m, s, size, 0, &w) && (w.end <= w.start || w.end > size || w.minor < 0))
        __builtin_trap();
    /* a partial phrase knows whole units only; it says its own value */
    if (df_words_parse(m, s, size, 0, &w) &&
        ((w.partial && w.minor % 100 != 0) || !df_words_say(&w, w.minor)))
        __builtin_trap();
    return 0;
}
