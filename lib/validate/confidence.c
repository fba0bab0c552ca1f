/*
 * confidence.c — the document's confidence_score, from what extraction found
 * and whether validation held. Kept apart from the pipeline driver so the
 * scoring can be calibrated (docflow eval prints its reliability table)
 * without touching the stages.
 */
#include "validate/validate.h"

#include <string.h>

/* Share of the key fields found, times the mean confidence of the words
 * read, times 1 when the arithmetic holds, 0.8 when it does not. */
double df_confidence_score(const df_extraction *x, const df_validation *v)
{
    int want = 5, got = 0;
    got += x->vendor_name.s != NULL;
    got += x->date.s != NULL;
    got += x->currency.s != NULL;
    got += x->totals[DF_TOT_GRAND].has;
    got += strcmp(x->document_type, "other") != 0;
    if (strcmp(x->document_type, "invoice") == 0) {
        want++;
        got += x->invoice_number.s != NULL;
    }
    double c = x->mean_conf * (double)got / (double)want * (v->math_valid ? 1.0 : 0.8);
    return c < 0 ? 0 : c > 1 ? 1 : c;
}
