/*
 * fuzz_parse_taxid.c — libFuzzer harness for lib/extract/taxid.c and
 * taxscan.c (tax ids in OCR text).
 *
 * Every id found must validate on its own, spans must be ordered and not
 * overlap, and a repaired GSTIN must differ from the text in one place only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/taxid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    df_taxid ids[32];
    size_t n = df_taxid_find(s, size, ids, 32), prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        const df_taxid *t = &ids[i];
        size_t vl = strlen(t->value);
        if (t->start < prev_end || t->end <= t->start || t->end > size)
            __builtin_trap();
        prev_end = t->end;
        int ok = 0;
        switch (t->kind) {
        case DF_TAXID_GSTIN: ok = df_gstin_valid(t->value, vl); break;
        case DF_TAXID_PAN: ok = df_pan_valid(t->value, vl); break;
        case DF_TAXID_EU_VAT: ok = df_euvat_valid(t->value, vl, NULL); break;
        case DF_TAXID_MY_GST: ok = df_my_gst_valid(t->value, vl); break;
        case DF_TAXID_MY_SST: ok = df_my_sst_valid(t->value, vl); break;
        default: break;
        }
        if (!ok || (t->repaired && (t->repaired_pos < 0 || t->repaired_pos > 14)))
            __builtin_trap();
    }
    if (size >= 15) {
        char out[16];
        int pos;
        int r = df_gstin_repair(s, 15, out, &pos);
        if (r && !df_gstin_valid(out, 15))
            __builtin_trap();
        if (r == 2) {
            /* one confusion, or a few look-alikes read by shape, the first
             * of them at pos */
            int diff = 0, first = -1;
            for (int i = 0; i < 15; i++)
                if (out[i] != (s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i])) {
                    diff++;
                    if (first < 0)
                        first = i;
                }
            if (diff < 1 || diff > DF_GSTIN_SHAPE_MAX_FIXES || first != pos)
                __builtin_trap();
        }
    }
    df_euvat_valid(s, size, NULL);
    df_pan_valid(s, size);
    return 0;
}
