/*
 * confidence.c — the document's confidence_score, from what extraction found
 * and whether validation held. Kept apart from the pipeline driver so the
 * scoring can be calibrated (docflow eval prints its reliability table)
 * without touching the stages.
 *
 *   score = mean_conf^0.7                      how well the words were read
 *         x 0.88 per missing required field    vendor name, date, currency,
 *                                              grand total, a known type, and
 *                                              for invoices the invoice number
 *         x 0.93 per missing optional field    subtotal, vendor tax id
 *         x 0.93 per validation error          (missing_grand_total excepted:
 *                                              the missing total already counts)
 *         x 0.95 per validation warning        (an unprinted rounding, a
 *                                              repaired or invalid GSTIN, ...)
 *
 * Text-layer words have confidence 1, so a complete, consistent born-digital
 * PDF scores 1 and one missing optional field leaves it at 0.93.
 *
 * Calibrated on ../shared/devset (80 synthetic + 100 SROIE documents, see
 * docs/eval.md "Reliability of confidence_score"): the factors minimise the
 * squared gap between the score and the share of a document's fields that
 * are right, under "documents scored >= 0.9 have >= 95 % of their fields
 * right" and "at least half of the born-digital PDFs score >= 0.9". The fit
 * is flat around these values; they are rounded, not tuned to single files.
 */
#include "validate/validate.h"

#include <math.h>
#include <string.h>

#define CONF_OCR_EXP 0.7
#define CONF_MISSING_REQUIRED 0.88
#define CONF_MISSING_OPTIONAL 0.93
#define CONF_ERROR 0.93
#define CONF_WARNING 0.95

double df_confidence_score(const df_extraction *x, const df_validation *v)
{
    if (!x)
        return 0.0;
    double q = x->mean_conf;
    if (!(q > 0)) /* nothing read (or NaN) */
        return 0.0;
    if (q > 1)
        q = 1;
    int invoice = x->document_type && strcmp(x->document_type, "invoice") == 0;
    int known = x->document_type && strcmp(x->document_type, "other") != 0;
    int req_missing = (x->vendor_name.s == NULL) + (x->date.s == NULL) +
                      (x->currency.s == NULL) + !x->totals[DF_TOT_GRAND].has + !known +
                      (invoice && x->invoice_number.s == NULL);
    int opt_missing = !x->totals[DF_TOT_SUBTOTAL].has + (x->vendor_tax_id.s == NULL);
    int errors = 0, warnings = 0;
    if (v) {
        for (size_t i = 0; i < v->nerrors && i < DF_VALIDATION_MAX; i++)
            errors += !(v->errors[i].code &&
                        strcmp(v->errors[i].code, "missing_grand_total") == 0);
        warnings = (int)(v->nwarnings < DF_VALIDATION_MAX ? v->nwarnings : DF_VALIDATION_MAX);
    }
    double c = pow(q, CONF_OCR_EXP) * pow(CONF_MISSING_REQUIRED, req_missing) *
               pow(CONF_MISSING_OPTIONAL, opt_missing) * pow(CONF_ERROR, errors) *
               pow(CONF_WARNING, warnings);
    return c < 0 ? 0 : c > 1 ? 1 : c;
}
