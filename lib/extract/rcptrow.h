/*
 * rcptrow.h — reading one row of a till receipt's item list (rcptrow.c),
 * for the list's reader (rcptitems.c): its figures, an itemising "q x p"
 * row, the description and total of an item row, a leading count.
 */
#ifndef DF_EXTRACT_RCPTROW_H
#define DF_EXTRACT_RCPTROW_H

#include <stddef.h>
#include <stdint.h>

#include "extract/amount.h"
#include "extract/fields_int.h"

#define RI_ROW_BYTES 512

/* One row of the list: its text, the row's lines joined. */
typedef struct ri_row {
    int page;
    size_t r;
    char text[RI_ROW_BYTES];
    size_t len;
    const fx_line *first; /* its first line */
} ri_row;

/* An itemising row: a quantity, maybe its unit, "x" and a unit price, then
 * the total or nothing: "2 x 14.90   29.80", "3 @ 6.85", "1,587 kg x 2,99
 * EUR/kg  4,75 7%", "2 X 4,60" (under the row that printed the total). */
typedef struct ri_detail {
    int64_t qty; /* thousandths */
    int qty_decs;
    df_amount price, total;
    int has_total;
} ri_detail;

/* The letters (ASCII, or bytes of UTF-8 letters) in s[a..b). */
int ri_letters(const char *s, size_t a, size_t b);

/* The amounts of a row (two decimals, not negative), at most max. */
size_t ri_row_amounts(const fx_doc *d, const ri_row *R, df_amount *a, size_t max);

/* The tax rate in a row's tail after byte i ("7,18 19%", "13,19 5,5%"), in
 * hundredths of a percent; 0 when none. */
int64_t ri_tail_rate(const char *s, size_t i, size_t len);

/* Whether row R is an itemising row; fills *out. */
int ri_detail_row(const fx_doc *d, const ri_row *R, ri_detail *out);

/* Whether quantity (thousandths) x unit price makes the total (sums.h:
 * a count's price may be rounded per unit, a weight's total is exact). */
int ri_detail_adds_up(int64_t qty, int64_t price, int64_t total);

/* The quantity and unit price of a detail row, on item it (the quantity
 * only when the schema's hundredths hold it exactly). */
void ri_set_detail(df_line_item *it, const ri_detail *dt);

/* A row of figures only under a description ("2%. 2:30   4.60", "2 X 2;64
 * 5,28 A": "2 x 2.30" garbled): its last amount is the item's total; an
 * "x" may stand before it, a tax code of two letters after it. */
int ri_figures_row(const fx_doc *d, const ri_row *R, df_amount *total);

/* "Tarte aux pommes   3.80": description, then one amount ending the row
 * (a tax code such as "SR" may follow it). */
int ri_desc_total_row(const fx_doc *d, const ri_row *R, size_t *desc_end, df_amount *total);

/* The description within s[0..end) of a row whose columns OCR ran
 * together ("1 Pen Drive 64 GB USB 3.0  8523  4 Nos", "Ee | Digital
 * Marketing Services  998361"): the first cell (segments are split by two
 * spaces) with a word of three letters, after the last '|' in it, without a
 * leading serial number. */
void ri_desc_span(const char *s, size_t end, size_t *a, size_t *b);

/* A number of one to three digits leading the row's description, then a
 * space: the quantity of a restaurant bill ("2 Paella mixta  26,60"), when
 * the row prints no other figure than its total (a table's row "1  Hosting
 * 1,00  26,86  26,86" starts with its number in the list). */
int64_t ri_lead_count(const char *s, size_t desc_from);

/* "LAIT DEMI-ÉCRÉ    1     1,39      1,39 B": a count column before the
 * price and the total, as a till with column titles prints them; the count
 * ends the description span [da, *db). Returns 1 and narrows *db when the
 * row holds exactly a price and a total and the count times the price
 * makes the total. */
int ri_count_price_total(const fx_doc *d, const ri_row *R, size_t da, size_t *db, int64_t *q,
                         df_amount *price);

#endif
