/*
 * fuzz_parse_date.c — libFuzzer harness for lib/extract/date.c.
 *
 * First byte: day/month order hint (bit 0); the rest is the text. Every
 * date found must be a real calendar date whose ISO text matches its
 * fields, with a span inside the input that moves forward.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/date.h"
#include "fuzz_model.h"

static void check(const df_date *d, size_t from, size_t len)
{
    char iso[16];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", d->year, d->month, d->day);
    if (!df_date_valid(d->year, d->month, d->day) || strcmp(iso, d->iso) || d->start < from ||
        d->end <= d->start || d->end > len || (d->has_time && (d->hour > 23 || d->minute > 59)))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const df_model *m = fuzz_model();
    df_date_order order = data[0] & 1 ? DF_DATE_MDY : DF_DATE_DMY;
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    df_date d;
    if (df_date_parse(m, s, len, order, &d))
        check(&d, 0, len);
    size_t from = 0;
    while (df_date_find(m, s, len, from, order, &d)) {
        check(&d, from, len);
        from = d.end;
    }
    return 0;
}
