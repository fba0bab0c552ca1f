/*
 * repair.h — arithmetic-constrained repair of one OCR-confused amount.
 *
 * When the numbers of an extraction disagree (an item's quantity x unit
 * price vs its total, subtotal + taxes + rounding vs the grand total, CGST vs
 * SGST), one misread digit is the commonest cause. df_repair_amounts tries,
 * for every extracted amount (the seven totals; each line item's quantity,
 * unit price and total), every substitution of one of its digits by a digit
 * OCR confuses it with (models/ocr-confusions.txt, the base model's
 * `confusions`), and re-runs the arithmetic checks on each candidate:
 *
 *  - amounts read from a PDF text layer (source confidence 1: nothing was
 *    recognised, so nothing was confused) are never changed;
 *  - digits are those of the amount's minor units as printed: "0.05" is
 *    0, 0, 5; a whole quantity ("3") has no decimal digits; a substitution
 *    never makes a leading zero ("8900.00" is not repaired to "0900.00").
 *    A lost or extra decimal point is not a confusion and is not tried;
 *  - a total, or an item's total, is also tried without its leading digit
 *    when ocr-confusions.txt lists that digit as a reading of a currency
 *    sign ("₹23,635.40" read "323,635.40") and the digit after it is not 0;
 *    an item's unit price read as the very same figure (quantity 1, the
 *    sign printed before both: "34,900.00  34,900.00") loses that digit
 *    with it, in the same candidate;
 *  - a candidate is acceptable when it raises no arithmetic error (each
 *    item's product within 0.01, the totals within 1.00, CGST = SGST) and
 *    every warning-level check that passed before still passes: the items
 *    adding up to the subtotal, and the totals adding up within 0.01 — so
 *    totals that were off by more than 1.00 must come out exact: the 1.00
 *    validate.c lets pass as an unprinted rounding is not used, a wrong digit
 *    would fall inside it a hundred times as often;
 *  - among acceptable candidates the ones leaving the fewest warning-level
 *    failures count (one that also makes the items add up beats one that
 *    leaves them failing: the table reader may have missed a row); the repair
 *    is made only when exactly one candidate is left: two equally good
 *    candidates are ambiguous and nothing is changed.
 *
 * When no arithmetic error was raised but the items miss the subtotal they
 * should add up to (an item without a price has no product to fail:
 * "227,500.00" for "₹27,500.00"), the same search runs, and a candidate must
 * also make the items add up.
 *
 * The thresholds are validate.c's; df_validate calls this only when its
 * checks raised an arithmetic error or the items-sum warning, and undoes
 * the repair when an amount in words on the document equals the value read
 * (the document is wrong as printed: the devset has such invoices, "grand
 * total printed +5"), when the re-validation still has an arithmetic error,
 * or when the amount in words newly disagrees with the grand total. Private
 * to lib/.
 */
#ifndef DF_VALIDATE_REPAIR_H
#define DF_VALIDATE_REPAIR_H

#include <stdint.h>

#include "extract/fields.h"
#include "extract/model.h"

typedef struct df_amount_repair {
    char field[48];   /* "grand_total", "line_items[2].unit_price" (0-based, as in the JSON) */
    df_famt *amount;  /* the amount changed, inside the extraction */
    df_famt *twin;    /* NULL, or the item's unit price changed with its total (the
                         same figure read with the same currency sign glued on) */
    int64_t from, to; /* hundredths: the value read, the value used */
    char read, used;  /* the digit read and the digit used; used = 0: the
                         leading digit `read` was dropped (a currency sign) */
} df_amount_repair;

/* Find the single repair described above and apply it to x: returns 1 and
 * fills *out, else 0 with x unchanged (no confusions loaded, the arithmetic
 * already consistent, no candidate, or more than one). */
int df_repair_amounts(const df_model *m, df_extraction *x, df_amount_repair *out);

/* A document date more than a year ahead of today (ty-tm-td) whose year is
 * one OCR confusion away from exactly one year of the last
 * DF_REPAIR_YEAR_WINDOW years (up to a year ahead; "2047" read for 2017, 4
 * for 1): the date is set to it. Returns 1 and the year read in *from, else
 * 0 with x unchanged. Past years are left alone: an old document is
 * possible, a future one is not. The window is wide so that what is recent
 * does not depend on the year the dev set is evaluated in (its receipts are
 * from 2016-2018). */
#define DF_REPAIR_YEAR_WINDOW 20
int df_repair_year(const df_model *m, df_extraction *x, int ty, int tm, int td, int *from);

/* Put back the value a repair replaced. */
void df_repair_undo(const df_amount_repair *r);

#endif
