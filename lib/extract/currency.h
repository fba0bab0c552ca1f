/*
 * currency.h — which currency a document is in, from all of its text.
 *
 * One symbol is weak evidence ("$" is many currencies, "Rs" may be OCR
 * noise), so every currency token of models/currency.txt found in the text
 * is counted and weighted, and context the caller knows is added: an Indian
 * GSTIN on the page makes INR likely, a Malaysian SST/GST id MYR. The caller
 * finds those ids (df_taxid_find in lib/extract/taxid.h) and passes them in,
 * so currency detection stays independent of the id scanner.
 */
#ifndef DF_EXTRACT_CURRENCY_H
#define DF_EXTRACT_CURRENCY_H

#include <stddef.h>

#include "extract/model.h"

/* Context weights: a GSTIN is strong evidence, about as much as two "₹". */
#define DF_CURRENCY_CONTEXT_WEIGHT 5
#define DF_CURRENCY_MAX_CODES 16

typedef struct df_currency_context {
    int has_gstin;  /* an Indian GSTIN, or CGST/SGST/IGST, was found -> INR */
    int has_my_tax; /* a Malaysian SST/GST id was found -> MYR */
    char vat_code[4]; /* the currency of a UK/EU VAT id's country ("GBP", "EUR"), or "" */
} df_currency_context;

typedef struct df_currency_evidence {
    char code[4];
    int count; /* tokens found */
    int score; /* sum of their weights, plus context */
} df_currency_evidence;

typedef struct df_currency_guess {
    char code[4];  /* best ISO 4217 code, "" when there is no evidence */
    int score;     /* its score */
    int margin;    /* its score minus the runner-up's: small means unsure */
    size_t ncodes; /* evidence for every code seen, best first */
    df_currency_evidence ev[DF_CURRENCY_MAX_CODES];
} df_currency_guess;

/* Count currency evidence in text[0..len). ctx may be NULL. Returns 1 when
 * some currency was found (out->code set), else 0. Ties go to the code whose
 * first token appears first in the text. */
int df_currency_detect(const df_model *m, const char *text, size_t len,
                       const df_currency_context *ctx, df_currency_guess *out);

#endif
