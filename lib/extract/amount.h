/*
 * amount.h — money amounts in text to exact integer minor units.
 *
 * Totals are compared and summed, so they must never pass through a float:
 * every amount becomes int64 hundredths. Rules:
 *
 * - Grouping: 1,234.56 / 1.234,56 / 1 234,56 (space, NBSP, thin or narrow
 *   no-break space) / 1'234.56 / Indian 1,23,456.00 / plain 1234 and 1234.5.
 *   A grouping separator must be followed by exactly 3 digits (2 inside the
 *   Indian lakh/crore groups); all grouping separators in one number agree.
 * - Ambiguity: a number with one separator, '.' or ',', followed by exactly
 *   3 digits ("1,234", "1.234") is grouping (1234) unless the style hint says
 *   that very character is the document's decimal mark (DF_DEC_COMMA for
 *   "1,234", DF_DEC_DOT for "1.234"), or the integer part is "0" or has more
 *   than 3 digits, where grouping is impossible. With two different
 *   separators the last one is the decimal mark whatever the hint says.
 * - Decimals: 1 or 2 digits exact; 3 digits are rounded half away from zero
 *   to 2 ("1.005" -> 101, "-1.005" -> -101); 4 or more digits: no amount.
 * - Negative: "-12.00", U+2212 minus, "(12.00)", "12.00-", and "12.00 CR"
 *   (upper-case CR, a credit entry; "Cr" alone is not taken, it is crore).
 * - Currency: a token of models/currency.txt directly before or after the
 *   number, spaces allowed ("Rs. 1,234", "1,234 INR", "₹1,234", "-$5").
 * - A trailing "/-" (Indian "Rs. 500/-", meaning no paise) is part of the span.
 * - At most 15 integer digits (anything longer is an id, not money).
 * - DF_AMT_LENIENT repairs OCR noise: O/o->0, S->5, l/I/|->1 when touching
 *   a real digit or separator inside the number, one stray space after
 *   a separator ("1, 234.56"), and spaces before cents OCR spread from
 *   their figure ("$52    .97": two digits or more before, exactly two
 *   after), and a till's cents printed alone after a space that follows no
 *   digit ("TAX .26" is 0.26; not in DF_DEC_COMMA). Strict parsing (flags
 *   0) accepts only clean text.
 *
 * Pure functions of their arguments: no locale, no global state.
 */
#ifndef DF_EXTRACT_AMOUNT_H
#define DF_EXTRACT_AMOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "extract/model.h"

typedef enum df_dec_style {
    DF_DEC_AUTO = 0, /* decide by structure; a lone ",ddd"/".ddd" is grouping */
    DF_DEC_DOT,      /* the document writes decimals with '.' */
    DF_DEC_COMMA     /* the document writes decimals with ',' */
} df_dec_style;

enum { DF_AMT_LENIENT = 1 };

typedef struct df_amount {
    int64_t minor;      /* the value in hundredths */
    char currency[4];   /* ISO code of an adjacent currency token, or "" */
    size_t start, end;  /* byte span in the input, currency and sign included */
    int decimals;       /* decimal digits written (0..3) */
    int negative;       /* 1 when a negative form was used */
    int repaired;       /* 1 when DF_AMT_LENIENT changed or skipped something */
} df_amount;

/* The whole of s[0..len) (surrounding spaces ignored) is one amount:
 * returns 1 and fills *out, else 0. m may be NULL (no currency tokens). */
int df_amount_parse(const df_model *m, const char *s, size_t len, df_dec_style style,
                    unsigned flags, df_amount *out);

/* The first amount starting at or after byte `from`, on word boundaries:
 * returns 1 and fills *out (span relative to s), else 0. Loop with
 * from = out->end to list every amount of a text. */
int df_amount_find(const df_model *m, const char *s, size_t len, size_t from, df_dec_style style,
                   unsigned flags, df_amount *out);

/* Write minor units as JSON-safe decimal text ("59000.00", "-0.05") into buf.
 * Returns the length, or 0 when cap is too small (needs at most 23 bytes). */
size_t df_amount_format(int64_t minor, char *buf, size_t cap);

#endif
