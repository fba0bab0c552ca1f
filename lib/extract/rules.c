/*
 * rules.c — the table of the extractors' rules (rules.h). Every entry has a
 * line in docs/rules.md saying what it does, why, which test covers it and
 * what switching it off costs on the tune and validation splits.
 */
#include "extract/rules.h"

#include <string.h>

#include "extract/tcand.h"

#define CODE(id, what) {id, DF_RULE_CODE, -1, what}
#define FEATURE(id, f, what) {id, DF_RULE_FEATURE, f, what}
#define JOINT(id, j, what) {id, DF_RULE_JOINT, j, what}

const df_rule_def df_rules[] = {
    /* checked in code: the order of the enum in rules.h */
    CODE("totals.variant_sign",
         "a currency sign read as a leading digit: the figure without it is a candidate"),
    CODE("totals.variant_point",
         "a decimal point lost (\"Total GST 120\"): the figure in hundredths is a candidate"),
    CODE("totals.label_beside",
         "a figure's label in the column to its left on its row, or on the line above"),
    CODE("totals.derived_total", "no printed figure is the total: paid - change is"),
    CODE("totals.label_column",
         "a title heading the figure's column in a row of titles above it labels it"),
    CODE("reread.total",
         "a total its figures contradict, or a total label without one, read again"),
    CODE("reread.date", "a date label without a date: its line read again"),
    CODE("reread.invoice_number", "an invoice number cut short by a speck read again with it"),
    CODE("fields.subtotal_from_items",
         "the items' sum printed outside the items' rows is the subtotal"),
    CODE("totals.words",
         "the amount in words says which figure is the total, and vouches for its repair"),
    CODE("totals.gst_india",
         "a GST half's label (\"State Tax\") on a document of another currency names a tax"),
    CODE("totals.incl_tax",
         "a total's label naming its tax, then a rate (\"incl. btw 9%\"): its figure is also "
         "a tax candidate"),
    CODE("vendor.above_prices",
         "a line with a price or below the first one is an item, not the issuer's name"),
    CODE("items.description_letters",
         "of two columns titled as the description, the one whose cells hold the words"),
    CODE("items.total_by_amounts",
         "no column titled as the total: the last untitled column of amounts after the price"),
    CODE("items.detail_below",
         "a receipt's \"2 x 7,79\" row under an item's own row gives its quantity and price"),
    CODE("items.closing_sum",
         "receipt items less the discounts among them add up to the figure closing the list"),
    CODE("totals.summary_columns",
         "a tax summary's sum row (\"Gesamt 32,42 3,96 36,38\"): its figures but the last "
         "named by the titles over them"),
    CODE("vendor.attention_below",
         "a name over an attention line (\"z. Hd. Buchhaltung\", \"Attn: Accounts\") is the "
         "addressee's, not the issuer's"),
    CODE("items.list_over_table",
         "a table whose items read no total (its \"Total\" title over the rates after the "
         "totals) gives way to the till list's reading when that adds up"),
    CODE("items.figure_in_name",
         "a till row read as a name and a total (\"Pils 0,25\") over its own \"q x p  total\" "
         "row: the figure is part of the name"),
    CODE("doctype.payment",
         "a document no keyword classifies, whose total a payment line checks, is a receipt"),
    CODE("meta.receipt_order",
         "a receipt with no number of its own and one other id (\"Order #: 708\"): that is "
         "its number"),
    CODE("doctype.reference",
         "an order's or a quote's keyword labelling a number (\"Purchase Order 599099\") "
         "names the document an invoice refers to: a quarter of its weight"),
    CODE("items.charge_among",
         "a charge billed among a till's items (\"Coperto 2,60\") is one of them and does "
         "not close the list"),
    CODE("totals.due_not_net",
         "a total's figure a tip or a charge raises to the amount paid (\"Te betalen 11,00\", "
         "\"Fooi 0,50\", \"Totaal 11,50\") with the tax included is no net subtotal"),
    CODE("items.unproven_table",
         "a table whose item totals add up to no figure of the summary gives way to the till "
         "list's reading when that adds up (a till's weighed items under column titles)"),
    CODE("items.payment_after",
         "a payment's label is printed after the total: above it, a row starting with one "
         "(\"Carta cucina x4\") does not close a till's list of items"),
    CODE("meta.other_date_value",
         "the date a due, order, delivery or period label takes, in the next segment of its "
         "row or below it, is never the invoice's, even as the first unlabelled date"),
    CODE("totals.discount_terms",
         "a discount's label on a line with a date (\"2% Skonto bei Zahlung bis 21.07.2025\") "
         "offers it for paying early: payment terms, not taken off the total"),
    CODE("items.point_by_sum",
         "an item's total read without its decimal point (\"7340\" for 73,40) is put back "
         "where the items then add up to the subtotal exactly, and no other item would do"),
    CODE("totals.tax_index",
         "one digit alone after a tax's label (\"TAX1  0.11\", \"Tax 2\", \"GST 6\") numbers the "
         "tax or counts guests: part of the label, no figure"),
    CODE("totals.tax_by_need",
         "with a subtotal and a total chosen and no tax, the figure that is their difference "
         "(at most 30 % of the subtotal) is the tax whose label OCR garbled or lost "
         "(\"X\u00a5 6ST  $ 7.04\", \"0.61\" over \"TAX\")"),
    CODE("vendor.debris",
         "a word of at most two letters or digits OCR was very unsure of (under 40 %) at either "
         "end of the vendor's line is a logo's or a smudge's debris, not part of the name "
         "(\"7 \u00a9 Petco\", \"of PLAZA: Benicia-Martinez Bridge\")"),
    CODE("meta.till_date",
         "a till's glued date before an apostrophe year, as OCR misreads it: the day's 0 and 1 "
         "as look-alike letters (\"JUNO3'14\"), the month one letter off where no other month "
         "is as near (\"Nay08'14\", \"290an'15\"); taken as the unlabelled date"),
    CODE("vendor.numbered_street",
         "when the likeliest line for the vendor's name opens with a house number and names a "
         "street type of models/streets.txt (\"642 Midland road\", \"79-19 Roosevelt Ave\"), "
         "no name is given and the vendor's address starts on that line"),
    CODE("vendor.zip_end",
         "a line ending in a US state's two letters and a ZIP code (\"Layton, UT 84041\") is a "
         "US address's last line: the vendor's address ends there"),
    CODE("vendor.address_word",
         "the lines under the vendor's name are its address only when they hold three letters "
         "in a row: not \"Te\", \"3 .53\", \"3 Eo \\\""),
    CODE("totals.pay_tie",
         "paid figures whose labels score alike (\"Cash 5.00\", \"COUPONS TENDERED 4.00\"): "
         "each is tried, and the one whose paid - change the totals agree with is taken"),
    CODE("vendor.address_price",
         "a line ending in a figure written with two decimals (an item's price) is no line of "
         "the vendor's address: the address ends above it"),
    /* evidence of the totals chooser (models/totals.txt) */
    FEATURE("totals.largest", TF_LARGEST, "the largest two-decimal figure is likely the total"),
    FEATURE("totals.bottom", TF_BOTTOM, "totals come after what they total"),
    FEATURE("totals.gst_twin", TF_GST_TWIN,
            "a figure beside CGST (SGST) equal to it is the other half"),
    FEATURE("totals.big", TF_BIG, "a total is often printed larger"),
    FEATURE("totals.rate_label", TF_RATE_LABEL,
            "a total label followed by a rate is a tax summary line"),
    FEATURE("totals.rate_base", TF_RATE_BASE,
            "a figure a rate on its line takes a tax from is that tax's base, not a tax"),
    FEATURE("totals.rate_of", TF_RATE_OF,
            "a figure that is a rate on its line of another figure there is a tax"),
    /* arithmetic of the totals chooser */
    JOINT("totals.sum", TJ_SUM, "subtotal - discount + taxes + charges + rounding = total"),
    JOINT("totals.sum_included", TJ_SUM_INCL,
          "a labelled subtotal equal to the total with a tax: tax included"),
    JOINT("totals.sum_fails", TJ_SUM_FAILS, "parts chosen that do not add up cost"),
    JOINT("totals.sum_short", TJ_SUM_SHORT,
          "a subtotal below the total with no tax read costs a little"),
    JOINT("totals.pay", TJ_PAY, "paid - change = total"),
    JOINT("totals.paid_equal", TJ_PAID_EQ, "paid = total, no change"),
    JOINT("totals.pay_fails", TJ_PAY_FAILS, "paid - change that is not the total costs"),
    JOINT("totals.items", TJ_ITEMS, "the items sum to the subtotal"),
    JOINT("totals.grand_below", TJ_GRAND_BELOW, "a total below its subtotal needs a discount"),
};

const size_t df_rule_total = sizeof df_rules / sizeof df_rules[0];

int df_rule_find(const char *id)
{
    for (size_t i = 0; id && i < df_rule_total; i++)
        if (strcmp(df_rules[i].id, id) == 0)
            return (int)i;
    return -1;
}
