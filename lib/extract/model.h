/*
 * model.h — the rule data the extractors read from models/ at run time.
 *
 * Keywords, symbols and names change per market and per customer; keeping
 * them in text files under models/ lets them grow without touching code.
 * Every file is line based, UTF-8, '#' starts a comment line, fields are
 * separated by one TAB:
 *
 *   currency.txt    TOKEN  ISO  [WEIGHT]   symbol, code or word -> ISO 4217;
 *                                           WEIGHT (default 2) is its evidence
 *   months.txt      NAME   N                month name/abbreviation -> 1..12
 *   numwords.txt    WORD   VALUE            number word -> value (0..99 units
 *                                           and tens, 100, and scales >= 1000)
 *   moneywords.txt  WORD   ROLE  [ISO]      ROLE: major | minor | filler
 *   wordlabels.txt  LABEL                   text that introduces an amount in words
 *
 * and, loaded by df_fields_model_load (fields.h) into the same struct (a bare
 * df_model_load leaves it empty):
 *
 *   ocr-confusions.txt  DIGIT  DIGIT|sign|sign?  a digit pair OCR confuses, both ways;
 *                                          "sign": a currency sign OCR reads as that
 *                                          digit (the amount repair, validate/repair.h);
 *                                          "sign?": the same, believed only where the
 *                                          totals then add up
 *
 * Matching is ASCII-case-insensitive, longest token first. A token with
 * accented Latin-1 letters ("Descripción", "März") also matches its bare
 * letters ("Descripcion", "Marz"): OCR's English model reads most accents
 * as the plain letter, so each such token is loaded twice unless its bare
 * form is already a token. A loaded model is immutable, so one can be
 * shared by any number of threads.
 */
#ifndef DF_EXTRACT_MODEL_H
#define DF_EXTRACT_MODEL_H

#include <stddef.h>
#include "core/error.h"

typedef struct df_model_entry {
    const char *key; /* the token as written in the file */
    size_t klen;
    const char *val;   /* second field ("" when absent) */
    const char *extra; /* third field ("" when absent) */
    long num;          /* numeric value of the second field, or of the third for currency */
    size_t line;       /* line number in its file, for messages */
} df_model_entry;

typedef struct df_model_list {
    df_model_entry *v; /* sorted longest key first */
    size_t n;
    char *buf; /* the file's bytes; entries point into it */
    char *bare; /* the accent-free copies of accented tokens (see above) */
} df_model_list;

typedef struct df_model {
    df_model_list currency, months, numwords, moneywords, wordlabels;
    df_model_list confusions; /* ocr-confusions.txt; see above */
} df_model;

/* Load every file above from `dir`. NULL on failure with err set:
 * DF_E_FILE_NOT_FOUND / DF_E_IO for a missing or unreadable file,
 * DF_E_CORRUPT_FILE naming file and line for a malformed line,
 * DF_E_INVALID_ARGUMENT for dir == NULL, DF_E_NO_MEMORY. */
df_model *df_model_load(const char *dir, df_err *err);

/* Load one file of the format above into *out (zeroed by the caller; free
 * with df_model_list_free), sorted longest key first. nfields: fields a line
 * needs (1 or 2, a third is optional); numeric: which field is a number
 * (0 none, 2, or 3 — an absent third field then counts default_num). Numbers
 * may be negative. Errors as for df_model_load. */
df_code df_model_load_list(const char *dir, const char *name, int nfields, int numeric,
                           long default_num, df_model_list *out, df_err *err);
void df_model_list_free(df_model_list *l);
void df_model_free(df_model *m);

/* From confusions (ocr-confusions.txt): 1 when OCR confuses digits a and b
 * (a listed pair, either way round); 1 when a currency sign is read as digit
 * c (a "c sign" line), 2 when only sums may say so (a "c sign?" line), 0
 * otherwise. Shared by the extractors and the amount repair. */
int df_model_confused(const df_model *m, char a, char b);

/* A weight of an evidence file ("1.5", "-0.25", "3") as hundredths, without
 * strtod (no locale). 0, or -1 for anything else or beyond 100000. */
int df_model_weight(const char *s, int *out);
int df_model_sign_digit(const df_model *m, char c);

/* The longest entry whose key matches s at i (case-insensitive), or NULL.
 * When the key ends in a letter the match must not continue into a letter
 * ("Rs" does not match inside "Rsvp"), and when it starts with a letter it
 * must not follow one; symbols (₹, $) match anywhere. */
const df_model_entry *df_model_match(const df_model_list *l, const char *s, size_t i, size_t len);

#endif
