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
 * math_valid is 1 only when a grand total was found and no error was raised.
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
 * amount in words; m (may be NULL) the model for it. today_* is the date
 * implausible dates are judged against (the caller reads the clock). */
void df_validate(const df_model *m, const df_extraction *x, const char *text,
                 int today_y, int today_m, int today_d, df_validation *out);

/* confidence_score in [0, 1] for an extraction and its validation
 * (confidence.c). */
double df_confidence_score(const df_extraction *x, const df_validation *v);

#endif
