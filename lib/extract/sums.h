/*
 * sums.h — the arithmetic a document's totals must satisfy, in one place.
 *
 * Several stages check the same identities: the totals chooser (which
 * figures are the subtotal, the taxes and the total), the second reading of
 * a total, the items' repair and the validation. Each used to sum the parts
 * itself, with its own idea of signs and tolerances; they disagreed at the
 * edges (a negative tax, a rounding line, a discount). Every sum now comes
 * from here:
 *
 *   parts     subtotal - discount + taxes + charges + rounding
 *   due       paid - change (cash tendered less change given)
 *   items     the line items' totals
 *
 * Amounts are int64 hundredths. Taxes, discounts and charges count by their
 * magnitude whatever sign OCR or the printer gave them (a "-" before a
 * discount is how it is printed, a "-" before a tax on a sale is noise); a
 * rounding adjustment keeps its sign.
 */
#ifndef DF_EXTRACT_SUMS_H
#define DF_EXTRACT_SUMS_H

#include <stdint.h>

#include "extract/fields.h"

/* ---- tolerances (hundredths) --------------------------------------------- */

/* Printed figures that should add up do so to the cent, but for one cent a
 * tax rounded per line can leave ("5 x 0.333 VAT"). */
#define DF_SUM_EXACT 1
/* Cash is rounded to 5 sen (Malaysia), 5 Rappen (Switzerland) or similar:
 * a payment may differ from the sum of the parts by this much. */
#define DF_SUM_CASH 5
/* A rounding adjustment is at most one unit of the currency. */
#define DF_SUM_MAX_ROUND_OFF 100
/* A total rounded to the nearest unit without printing the adjustment is at
 * most half a unit from its parts; further off, a figure is wrong (an
 * invoice total 0.90 above its parts is an error, not rounding). */
#define DF_SUM_UNPRINTED_ROUND 50

/* A tax computed from its rate and base ("MwSt. 7 % auf 243,25  17,03")
 * is rounded once, or per line and then summed: a few cents apart, and one
 * thousandth of the tax on a long invoice. */
#define DF_SUM_RATE_CENTS 2
#define DF_SUM_RATE_PERMILLE 1

/* A line item's quantity x unit price makes its total to the cent; a whole
 * count of units may miss by half a cent per unit, for a unit price printed
 * rounded ("3 x 3,33 = 10,00": 3,333 each). */
#define DF_SUM_LINE_HALF_CENTS_PER_UNIT 1
/* The items' totals make their subtotal to a cent per item (a tax or a
 * discount rounded per line). */
#define DF_SUM_ITEMS_PER_ITEM 1

/* The parts of a total that sums.c adds: the totals plus what the schema
 * does not print (discount, charges). Unset parts are `has == 0`. */
typedef struct df_sum_parts {
    const df_famt *subtotal, *discount, *charge, *rounding;
    const df_famt *tax[4]; /* cgst, sgst, igst, tax; NULL or unset for none */
} df_sum_parts;

/* The parts of x->totals. */
df_sum_parts df_sum_parts_of(const df_extraction *x);

/* subtotal - discount + taxes + charges + rounding. Returns 1 and sets *out
 * when there is a subtotal; *ntax (may be NULL) receives the number of taxes
 * in the sum. */
int df_sum_of_parts(const df_sum_parts *p, int64_t *out, int *ntax);

/* What the total adds to the subtotal besides the taxes: charges -
 * discount + rounding (0 when none is set). */
int64_t df_sum_adjust(const df_sum_parts *p);

/* paid - change. Returns 1 when something was paid and the result is > 0. */
int df_sum_due(const df_famt *paid, const df_famt *change, int64_t *out);

/* The items' totals summed. Returns 1 when there are at least `min_items`
 * items and every one has a total. */
int df_sum_items(const df_extraction *x, size_t min_items, int64_t *out);

/* Whether `qty_milli` (thousandths of a unit: a count 3 is 3000, a weight
 * of 1,587 kg is 1587) x `price` (hundredths) makes `total` (hundredths),
 * within the tolerances above. Safe for any int64 inputs. */
int df_sum_line_agrees(int64_t qty_milli, int64_t price, int64_t total);
/* The same with the quantity in hundredths, as a df_line_item holds it. */
int df_sum_item_agrees(int64_t qty, int64_t price, int64_t total);

/* How `tax` (hundredths) is `rate` (hundredths of a percent: 19 % is 1900)
 * of `base`: 1 when it is rate x base (a net base), 2 when it is the tax
 * included in a gross base (base x rate / (100 % + rate)), 0 when neither,
 * within DF_SUM_RATE_CENTS + DF_SUM_RATE_PERMILLE of the tax. */
int df_sum_rate_of(int64_t base, int64_t rate, int64_t tax);

/* |a - b| <= tol. */
static inline int df_sum_agree(int64_t a, int64_t b, int64_t tol)
{
    int64_t d = a - b;
    return d <= tol && -d <= tol;
}

#endif
