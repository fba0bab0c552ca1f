/*
 * validate.h — stage 5: arithmetic and consistency checks on an extraction.
 *
 * Checks (each only when the values it needs were extracted):
 *   line_items_mismatch       an item's quantity x unit price differs from its
 *                             total, or the items' totals do not add up to the
 *                             subtotal (to the grand total when there is no
 *                             subtotal and no tax)                       error
 *   totals_mismatch           subtotal + cgst + sgst + igst + tax + rounding
 *                             differs from the grand total by more than 1.00
 *                             (error), or by 0.02 .. 1.00 (warning: an
 *                             unprinted rounding)
 *   cgst_sgst_unequal         CGST and SGST differ                       error
 *   amount_in_words_mismatch  the amount in words differs from the grand total  error
 *   missing_grand_total       no grand total found                       error
 *   gstin_invalid             a GSTIN-labelled id fails its check        warning
 *   gstin_repaired            the vendor GSTIN needed an OCR repair      warning
 *   implausible_date          before 2000 or over a year in the future   warning
 *   date_repaired             a year in the future was one OCR confusion
 *                             from exactly one year of the last
 *                             DF_REPAIR_YEAR_WINDOW (repair.h); the date
 *                             now carries that year                      warning
 *   amount_repaired           an arithmetic error went away by correcting one
 *                             OCR-confused digit of one amount (repair.h):
 *                             the only such candidate; the message names the
 *                             field, the value read and the value used   warning
 * math_valid is 1 only when a grand total was found and no error was raised
 * (after a repair: on the repaired values).
 * Tolerances: 0.01 per figure summed (1 hundredth per item, line products
 * rounded to the hundredth).
 * Private to lib/.
 */
#ifndef DF_VALIDATE_VALIDATE_H
#define DF_VALIDATE_VALIDATE_H

#include <stddef.h>

#include "extract/fields.h"

#define DF_VALIDATION_MAX 16

typedef struct df_issue {
    const char *code;  /* static, stable */
    char message[160];
} df_issue;

typedef struct df_validation {
    int math_valid;
    df_issue errors[DF_VALIDATION_MAX];
    size_t nerrors;
    df_issue warnings[DF_VALIDATION_MAX];
    size_t nwarnings;
} df_validation;

/* Validate x. text (may be NULL) is the document's text, searched for an
 * amount in words; m (may be NULL) the model for it and for the OCR
 * confusions of the amount repair. today_* is the date implausible dates are
 * judged against (the caller reads the clock). x is changed only by an
 * amount_repaired repair (the one amount it names). */
void df_validate(const df_model *m, df_extraction *x, const char *text,
                 int today_y, int today_m, int today_d, df_validation *out);

/* An item's quantity x unit price in minor units, rounded to the hundredth
 * (quantity is in hundredths). */
int64_t df_line_product(const df_line_item *it);

/* The arithmetic the checks share with the repair (repair.c):
 * df_tax_inclusive: taxes printed and subtotal - discount + charges = grand
 * total (prices that include the tax). df_items_sum: the items' totals
 * summed into *sum, and the figure they should add up to (the subtotal, or
 * the grand total of a document without tax, rounding, discount or
 * charges); NULL when an item has no total or nothing compares.
 * df_totals_diff: subtotal - discount + taxes + charges + rounding into
 * *sum and its distance to the grand total into *diff (0 for tax-inclusive
 * prices when inclusive_ok); 0 when subtotal or grand total is missing. */
int df_tax_inclusive(const df_famt *T);
const df_famt *df_items_sum(const df_extraction *x, int64_t *sum);
int df_totals_diff(const df_famt *T, int inclusive_ok, int64_t *sum, int64_t *diff);

/* confidence_score in [0, 1] for an extraction and its validation (v may
 * be NULL: no checks ran): mean_conf^0.7, times 0.88 per missing required
 * field (vendor name, date, currency, grand total, a known type, the
 * invoice number of an invoice), 0.93 per missing optional one (subtotal,
 * vendor tax id), 0.93 per validation error (missing_grand_total aside)
 * and 0.95 per warning. Calibrated on the devset (confidence.c,
 * docs/eval.md): non-decreasing in mean_conf, non-increasing in every
 * missing field, error and warning. */
double df_confidence_score(const df_extraction *x, const df_validation *v);

#endif
