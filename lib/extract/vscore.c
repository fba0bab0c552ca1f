/*
 * vscore.c — the weights of the vendor's name (models/vendor.txt) and the
 * score they give a line's evidence.
 *
 * The evidence itself is vendor.c's (it knows labels, suffixes and the
 * page); keeping the numbers in data lets them be read, changed and
 * ablated without touching the code that observes a line.
 *
 * Contents
 *   fx_vendor_feature_names  features as written in vendor.txt
 *   fx_vendor_weights_load   parse vendor.txt
 *   fx_vendor_score          evidence x weights
 */
#include <string.h>

#include "extract/party.h"

const char *const fx_vendor_feature_names[VF_COUNT] = {
    "suffix", "base", "order", "height", "colon", "unsure", "code_first", "no_word", "address",
    "owned_by", "addressee", "closed", "after_price", "regno_below", "logo_initial",
    "over_item", "spaced"};

df_code fx_vendor_weights_load(const df_model_list *l, fx_vendor_weights *out, df_err *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < l->n; i++) {
        const df_model_entry *e = &l->v[i];
        int f = 0, w;
        while (f < VF_COUNT && strcmp(fx_vendor_feature_names[f], e->key) != 0)
            f++;
        if (f == VF_COUNT || *e->extra || df_model_weight(e->val, &w) != 0)
            return df_err_set(err, DF_E_CORRUPT_FILE, "model file vendor.txt line %zu: \"%s %s\": %s",
                              e->line, e->key, e->val,
                              f == VF_COUNT ? "unknown feature (see the list at the top of the file)"
                                            : "the weight is not a number like 1.5 or -2");
        out->w[f] = w;
    }
    return DF_OK;
}

double fx_vendor_score(const fx_vendor_weights *w, const double v[VF_COUNT])
{
    double s = 0;
    for (int f = 0; f < VF_COUNT; f++)
        s += w->w[f] / 100.0 * v[f];
    return s;
}
