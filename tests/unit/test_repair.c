/* test_repair.c — arithmetic-constrained repair of one OCR-confused amount
 * (validate/repair.h) through df_validate, on hand-made extractions. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "extract/fields.h"
#include "validate/repair.h"
#include "validate/validate.h"
#include "testutil.h"

static df_fields_model *M;

static void setup(void)
{
    df_err err = {0};
    M = df_fields_model_load(DF_SOURCE_DIR "/models", &err);
    ck_assert_msg(M != NULL, "%s", err.msg);
}

static void teardown(void)
{
    df_fields_model_free(M);
}

static void amt(df_famt *a, int64_t minor)
{
    a->has = 1;
    a->minor = minor;
}

/* subtotal, cgst, sgst, grand total in hundredths; -1 leaves one unset */
static void totals(df_extraction *x, int64_t sub, int64_t cgst, int64_t sgst, int64_t grand)
{
    memset(x, 0, sizeof *x);
    if (sub >= 0)
        amt(&x->totals[DF_TOT_SUBTOTAL], sub);
    if (cgst >= 0)
        amt(&x->totals[DF_TOT_CGST], cgst);
    if (sgst >= 0)
        amt(&x->totals[DF_TOT_SGST], sgst);
    if (grand >= 0)
        amt(&x->totals[DF_TOT_GRAND], grand);
}

static void item(df_extraction *x, int64_t qty, int64_t price, int64_t total)
{
    x->items = realloc(x->items, (x->nitems + 1) * sizeof *x->items);
    ck_assert_ptr_nonnull(x->items);
    df_line_item *it = &x->items[x->nitems++];
    memset(it, 0, sizeof *it);
    amt(&it->quantity, qty);
    amt(&it->unit_price, price);
    amt(&it->total, total);
}

static const df_issue *find(const df_issue *arr, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(arr[i].code, code) == 0)
            return &arr[i];
    return NULL;
}

static const df_issue *repaired(const df_validation *v)
{
    return find(v->warnings, v->nwarnings, "amount_repaired");
}

static void validate(df_extraction *x, const char *text, df_validation *v)
{
    df_validate(M->base, x, text, 2024, 9, 1, v);
}

START_TEST(grand_total_repaired)
{
    df_extraction x;
    totals(&x, 505000, 45500, 45500, 590000); /* adds up to 5960.00 */
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 596000);
    ck_assert_int_eq(v.math_valid, 1);
    ck_assert_int_eq((int)v.nerrors, 0);
    const df_issue *w = repaired(&v);
    ck_assert_ptr_nonnull(w);
    ck_assert_str_eq(w->message, "grand_total read as 5900.00, repaired to 5960.00 "
                                 "(one OCR confusion 0\xE2\x86\x92" "6 makes the totals add up)");
    /* validating again: consistent now, nothing more to repair */
    validate(&x, NULL, &v);
    ck_assert_ptr_null(repaired(&v));
    ck_assert_int_eq(v.math_valid, 1);
    df_extraction_clear(&x);
}
END_TEST

/* The rupee sign read as a leading digit of a total: dropped when the totals
 * then add up; never a digit before a 0. */
START_TEST(currency_sign_digit_dropped)
{
    df_extraction x;
    /* 20030.00 + 1802.70 x 2 = 23635.40, read "323635.40" */
    totals(&x, 2003000, 180270, 180270, 32363540);
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 2363540);
    ck_assert_int_eq(v.math_valid, 1);
    const df_issue *w = repaired(&v);
    ck_assert_ptr_nonnull(w);
    ck_assert_str_eq(w->message, "grand_total read as 323635.40, repaired to 23635.40 (its leading "
                                 "3 is a currency sign misread: without it the totals add up)");
    df_extraction_clear(&x);

    /* the model's lookups behind it */
    ck_assert(df_model_sign_digit(M->base, '3'));
    ck_assert(!df_model_sign_digit(M->base, '8'));
    ck_assert(df_model_confused(M->base, '0', '8') && df_model_confused(M->base, '8', '0'));
    ck_assert(!df_model_confused(M->base, '1', '2'));
    ck_assert(!df_model_confused(M->base, '3', 's')); /* "3 sign" is no digit pair */

    /* "3" before "0": dropping it would print a leading zero */
    totals(&x, 50000, 4500, 4500, 3059000);
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 3059000);
    ck_assert_ptr_null(repaired(&v));
    df_extraction_clear(&x);
}
END_TEST

static void dated(df_extraction *x, int y, int m, int d)
{
    char iso[16];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    x->date.s = strdup(iso);
    x->date_y = y;
    x->date_m = m;
    x->date_d = d;
}

/* A year in the future one OCR confusion (4 for 1) from exactly one year of
 * the last 20 is that year; one whose confusions are all older or still
 * ahead, or a past date, stays as read (today: 2024-09-01). */
START_TEST(future_year_repaired)
{
    df_extraction x;
    df_validation v;
    totals(&x, -1, -1, -1, 5000);
    dated(&x, 2044, 4, 23);
    validate(&x, NULL, &v);
    ck_assert_str_eq(x.date.s, "2014-04-23");
    const df_issue *w = find(v.warnings, v.nwarnings, "date_repaired");
    ck_assert_ptr_nonnull(w);
    ck_assert_str_eq(w->message, "the year was read as 2044; one OCR confusion away, 2014 is the "
                                 "only year of the last 20");
    ck_assert_ptr_null(find(v.warnings, v.nwarnings, "implausible_date"));
    df_extraction_clear(&x);

    static const int keep[][3] = {{2903, 7, 13}, {1995, 3, 1}, {2023, 5, 6}};
    for (size_t k = 0; k < 3; k++) {
        totals(&x, -1, -1, -1, 5000);
        dated(&x, keep[k][0], keep[k][1], keep[k][2]);
        validate(&x, NULL, &v);
        ck_assert_int_eq(x.date_y, keep[k][0]);
        ck_assert_ptr_null(find(v.warnings, v.nwarnings, "date_repaired"));
        df_extraction_clear(&x);
    }
}
END_TEST

START_TEST(subtotal_repaired)
{
    df_extraction x;
    /* items 1500 + 2500 = 4000; subtotal read 4600.00; 4000 + 360 + 360 = 4720 */
    totals(&x, 460000, 36000, 36000, 472000);
    item(&x, 100, 150000, 150000);
    item(&x, 100, 250000, 250000);
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 400000);
    ck_assert_int_eq(v.math_valid, 1);
    ck_assert_ptr_null(find(v.warnings, v.nwarnings, "line_items_mismatch"));
    const df_issue *w = repaired(&v);
    ck_assert_ptr_nonnull(w);
    ck_assert_ptr_nonnull(strstr(w->message, "subtotal read as 4600.00, repaired to 4000.00"));
    ck_assert_ptr_nonnull(strstr(w->message, "6\xE2\x86\x92" "0"));
    df_extraction_clear(&x);
}
END_TEST

START_TEST(sgst_repaired_3_8)
{
    df_extraction x;
    totals(&x, 20000, 1800, 1300, 23600); /* SGST 18.00 read as 13.00 */
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_SGST].minor, 1800);
    ck_assert_int_eq(x.totals[DF_TOT_CGST].minor, 1800);
    ck_assert_int_eq(v.math_valid, 1);
    ck_assert_ptr_null(find(v.errors, v.nerrors, "cgst_sgst_unequal"));
    const df_issue *w = repaired(&v);
    ck_assert_ptr_nonnull(w);
    ck_assert_ptr_nonnull(strstr(w->message, "sgst read as 13.00, repaired to 18.00"));
    df_extraction_clear(&x);
}
END_TEST

START_TEST(line_item_total_repaired)
{
    df_extraction x;
    totals(&x, 63000, -1, -1, 63000);
    item(&x, 200, 31500, 68000); /* 2 x 315.00, total read 680.00 */
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.items[0].total.minor, 63000);
    ck_assert_int_eq(v.math_valid, 1);
    const df_issue *w = repaired(&v);
    ck_assert_ptr_nonnull(w);
    ck_assert_ptr_nonnull(strstr(w->message, "line_items[0].total read as 680.00, repaired to "
                                             "630.00"));
    df_extraction_clear(&x);
}
END_TEST

/* Items that miss the subtotal with no error anywhere (an item without a
 * price cannot fail its own product): one item's total with the rupee sign
 * read as its leading digit is repaired when the items then add up; items
 * that miss by something no single slip explains stay as read. */
START_TEST(item_total_repaired_by_the_sum)
{
    df_extraction x;
    totals(&x, 2810000, -1, -1, 2810000);
    item(&x, 25000, 0, 22750000); /* 250 at a price OCR lost, "227,500.00" */
    x.items[0].unit_price.has = 0;
    item(&x, 300, 20000, 60000);
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.items[0].total.minor, 2750000);
    ck_assert_int_eq(v.math_valid, 1);
    const df_issue *w = repaired(&v);
    ck_assert_ptr_nonnull(w);
    ck_assert_ptr_nonnull(strstr(w->message, "line_items[0].total read as 227500.00, repaired to "
                                             "27500.00"));
    ck_assert_ptr_null(find(v.warnings, v.nwarnings, "line_items_mismatch"));
    df_extraction_clear(&x);

    /* an item lost by the table, not misread: nothing to repair */
    totals(&x, 2900000, -1, -1, 2900000);
    item(&x, 25000, 0, 2750000);
    x.items[0].unit_price.has = 0;
    item(&x, 300, 20000, 60000);
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.items[0].total.minor, 2750000);
    ck_assert_ptr_null(repaired(&v));
    ck_assert_ptr_nonnull(find(v.warnings, v.nwarnings, "line_items_mismatch"));
    df_extraction_clear(&x);
}
END_TEST

START_TEST(item_price_and_total_lose_the_same_sign)
{
    /* "₹4,900.00  ₹4,900.00" read "34,900.00  34,900.00": quantity 1, the
     * unit price is the very same figure with the same glued sign; both
     * lose the digit in one repair, and the items then add up */
    df_extraction x;
    totals(&x, 2490000, -1, -1, 2490000);
    item(&x, 100, 3490000, 3490000);
    item(&x, 200, 1000000, 2000000);
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.items[0].total.minor, 490000);
    ck_assert_int_eq(x.items[0].unit_price.minor, 490000);
    ck_assert_int_eq(v.math_valid, 1);
    const df_issue *w = repaired(&v);
    ck_assert_ptr_nonnull(w);
    ck_assert_ptr_nonnull(strstr(w->message, "line_items[0].total and its unit_price read as "
                                             "34900.00, repaired to 4900.00"));
    ck_assert_ptr_null(find(v.warnings, v.nwarnings, "line_items_mismatch"));
    df_extraction_clear(&x);

    /* a price that differs from the total is not the total's twin: the
     * total alone cannot lose its digit (the product would break) */
    totals(&x, 2490000, -1, -1, 2490000);
    item(&x, 200, 1745000, 3490000);
    item(&x, 200, 1000000, 2000000);
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.items[0].total.minor, 3490000);
    ck_assert_int_eq(x.items[0].unit_price.minor, 1745000);
    ck_assert_ptr_null(repaired(&v));
    df_extraction_clear(&x);
}
END_TEST

START_TEST(two_candidates_no_repair)
{
    df_extraction x;
    /* 1600 + 90 + 90 = 1780: subtotal 1000 (6->0) and grand 1780 (1->7) both fit */
    totals(&x, 160000, 9000, 9000, 118000);
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 160000);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 118000);
    ck_assert_ptr_null(repaired(&v));
    ck_assert_ptr_nonnull(find(v.errors, v.nerrors, "totals_mismatch"));
    ck_assert_int_eq(v.math_valid, 0);
    /* the repair alone says the same */
    df_amount_repair r;
    ck_assert_int_eq(df_repair_amounts(M->base, &x, &r), 0);
    df_extraction_clear(&x);
}
END_TEST

START_TEST(consistent_untouched)
{
    df_extraction x;
    totals(&x, 100000, 9000, 9000, 118000);
    item(&x, 300, 20000, 60000);
    item(&x, 100, 40000, 40000);
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(v.math_valid, 1);
    ck_assert_int_eq((int)v.nerrors, 0);
    ck_assert_int_eq((int)v.nwarnings, 0);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 118000);
    ck_assert_int_eq(x.items[0].total.minor, 60000);
    df_amount_repair r;
    ck_assert_int_eq(df_repair_amounts(M->base, &x, &r), 0);
    df_extraction_clear(&x);
}
END_TEST

START_TEST(two_changes_no_repair)
{
    df_extraction x;
    totals(&x, 100000, 9000, 9000, 125000); /* 1180.00 read as 1250.00: two digits */
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 125000);
    ck_assert_ptr_null(repaired(&v));
    ck_assert_int_eq(v.math_valid, 0);
    df_extraction_clear(&x);
}
END_TEST

START_TEST(rounding_within_tolerance_untouched)
{
    df_extraction x;
    totals(&x, 100000, 9025, 9025, 118100); /* 1180.50 printed as 1181.00 */
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 118100);
    ck_assert_ptr_null(repaired(&v));
    ck_assert_ptr_nonnull(find(v.warnings, v.nwarnings, "totals_mismatch"));
    ck_assert_int_eq(v.math_valid, 1);
    df_extraction_clear(&x);
}
END_TEST

START_TEST(beyond_half_a_unit_is_no_rounding)
{
    /* parts 1180.00: an unprinted rounding to the unit explains 0.50 at
     * most (a warning); further off is an error */
    static const struct {
        int64_t printed;
        int valid;
    } cases[] = {{118050, 1}, {117950, 1}, {118051, 0}, {118090, 0}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        df_extraction x;
        totals(&x, 100000, 9000, 9000, cases[c].printed);
        df_validation v;
        validate(&x, NULL, &v);
        ck_assert_msg(v.math_valid == cases[c].valid, "case %zu", c);
        ck_assert_ptr_nonnull(cases[c].valid ? find(v.warnings, v.nwarnings, "totals_mismatch")
                                             : find(v.errors, v.nerrors, "totals_mismatch"));
        df_extraction_clear(&x);
    }
}
END_TEST

/* A discount is taken off and charges added (a tip, shipping): the totals
 * add up with them, also when the prices include the tax. */
START_TEST(discount_and_charges_in_the_check)
{
    df_extraction x;
    totals(&x, 64250, -1, -1, 64988); /* 642.50 - 96.38 + 103.76 */
    amt(&x.totals[DF_TOT_TAX], 10376);
    amt(&x.totals[DF_TOT_DISCOUNT], 9638);
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq((int)v.nerrors, 0);
    ck_assert_int_eq(v.math_valid, 1);
    x.totals[DF_TOT_DISCOUNT].has = 0;
    validate(&x, NULL, &v);
    ck_assert_ptr_nonnull(find(v.errors, v.nerrors, "totals_mismatch"));
    df_extraction_clear(&x);

    /* tax included: 16.80 with the tax, a 0.70 tip, 17.50 paid */
    totals(&x, 1680, -1, -1, 1750);
    amt(&x.totals[DF_TOT_TAX], 153);
    amt(&x.totals[DF_TOT_CHARGES], 70);
    validate(&x, NULL, &v);
    ck_assert_int_eq((int)v.nerrors, 0);
    ck_assert_int_eq(v.math_valid, 1);
    df_extraction_clear(&x);
}
END_TEST

START_TEST(rounding_window_not_used)
{
    df_extraction x;
    /* a receipt whose 10% service charge was not extracted: 15.67 vs 17.22;
     * 5 -> 6 gives 16.67, 0.55 short: inside the rounding tolerance, but not
     * a repair (SROIE X51008099049) */
    totals(&x, 1567, -1, -1, 1722);
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 1567);
    ck_assert_ptr_null(repaired(&v));
    ck_assert_int_eq(v.math_valid, 0);
    df_extraction_clear(&x);
}
END_TEST

START_TEST(text_layer_amounts_kept)
{
    df_extraction x;
    totals(&x, 505000, 45500, 45500, 590000);
    x.totals[DF_TOT_GRAND].src = (df_field_src){1, 1, {0, 0, 0, 0}, 1.0};
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 590000);
    ck_assert_ptr_null(repaired(&v));
    x.totals[DF_TOT_GRAND].src.conf = 0.62; /* OCR */
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 596000);
    ck_assert_ptr_nonnull(repaired(&v));
    df_extraction_clear(&x);
}
END_TEST

START_TEST(no_leading_zero)
{
    df_extraction x;
    totals(&x, 90000, -1, -1, 890000); /* 900.00 vs 8900.00: "0900.00" was not printed */
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 890000);
    ck_assert_ptr_null(repaired(&v));
    df_extraction_clear(&x);
}
END_TEST

START_TEST(words_veto)
{
    df_extraction x;
    /* the words confirm the printed 5900.00: the taxes are wrong, not the total */
    totals(&x, 505000, 45500, 45500, 590000);
    df_validation v;
    validate(&x, "Amount in words: Rupees Five Thousand Nine Hundred Only\n", &v);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 590000);
    ck_assert_ptr_null(repaired(&v));
    ck_assert_int_eq(v.math_valid, 0);
    /* the words on a line of their own after "E. & O.E" (devset doc_0045:
     * 86508.00 printed, the taxes add up to 86503.00, 8 -> 3 would fit) */
    totals(&x, 8166410, 241960, 241960, 8650800);
    amt(&x.totals[DF_TOT_ROUNDING], -30);
    validate(&x, "Amount Chargeable (in words)   E.&O.E\n"
                 "Indian Rupee Eighty Six Thousand Five Hundred Eight Only\n", &v);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 8650800);
    ck_assert_ptr_null(repaired(&v));
    ck_assert_ptr_nonnull(find(v.errors, v.nerrors, "totals_mismatch"));
    validate(&x, NULL, &v); /* without the words: repaired */
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 8650300);
    ck_assert_ptr_nonnull(repaired(&v));
    /* words that agree with the repaired value keep it */
    totals(&x, 505000, 45500, 45500, 590000);
    validate(&x, "Amount in words: Rupees Five Thousand Nine Hundred Sixty Only\n", &v);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 596000);
    ck_assert_ptr_nonnull(repaired(&v));
    ck_assert_ptr_null(find(v.warnings, v.nwarnings, "amount_in_words_mismatch"));
    /* words whose paise OCR put on another line agree in whole rupees */
    totals(&x, 500000, 45025, 45025, 590050);
    const char *cut = "Amount in words: Rupees Five Thousand Nine Hundred and Paise  CGST 450.25\n"
                      "Fifty Only\n";
    validate(&x, cut, &v);
    ck_assert_ptr_null(find(v.warnings, v.nwarnings, "amount_in_words_mismatch"));
    totals(&x, 500000, 45025, 45025, 591050);
    validate(&x, cut, &v);
    ck_assert_ptr_nonnull(find(v.warnings, v.nwarnings, "amount_in_words_mismatch"));
    df_extraction_clear(&x);
}
END_TEST

START_TEST(whole_quantity_digits_only)
{
    df_extraction x;
    /* 3 x 100.00 printed with the total 800.00: 3 -> 8 in the quantity fits
     * (8 x 100.00); 8 -> 3 in the total would break the subtotal */
    totals(&x, 80000, -1, -1, 80000);
    item(&x, 300, 10000, 80000);
    df_validation v;
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.items[0].quantity.minor, 800);
    ck_assert_int_eq(x.items[0].total.minor, 80000);
    ck_assert_ptr_nonnull(repaired(&v));
    ck_assert_ptr_nonnull(strstr(repaired(&v)->message, "line_items[0].quantity read as 3.00, "
                                                        "repaired to 8.00"));
    df_extraction_clear(&x);
    /* a quantity printed "2" has no decimal digits: 2.80 x 150.00 = 420.00
     * would fit, but "2.80" was never on the page */
    totals(&x, -1, -1, -1, 42000);
    item(&x, 200, 15000, 42000);
    validate(&x, NULL, &v);
    ck_assert_int_eq(x.items[0].quantity.minor, 200);
    ck_assert_ptr_null(repaired(&v));
    df_extraction_clear(&x);
}
END_TEST

START_TEST(bare_model_no_confusions)
{
    df_err err = {0};
    df_model *bare = df_model_load(DF_SOURCE_DIR "/models", &err);
    ck_assert_ptr_nonnull(bare);
    ck_assert_uint_eq(bare->confusions.n, 0);
    ck_assert_uint_ge(M->base->confusions.n, 11);
    df_extraction x;
    totals(&x, 505000, 45500, 45500, 590000);
    df_amount_repair r;
    ck_assert_int_eq(df_repair_amounts(bare, &x, &r), 0);
    ck_assert_int_eq(df_repair_amounts(NULL, &x, &r), 0);
    ck_assert_int_eq(x.totals[DF_TOT_GRAND].minor, 590000);
    df_model_free(bare);
}
END_TEST

/* models/ with `file` replaced by `text` must fail to load, naming the file. */
static void model_file_rejected(const char *file, const char *text)
{
    char dir[] = "/tmp/df-repair-XXXXXX", cmd[256], path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "cp %s/models/*.txt %s/", DF_SOURCE_DIR, dir);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    df_err err = {0};
    ck_assert_msg(df_fields_model_load(dir, &err) == NULL, "%s accepted: %s", file, text);
    ck_assert_int_eq(err.code, DF_E_CORRUPT_FILE);
    ck_assert_ptr_nonnull(strstr(err.msg, file));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(confusions_file_checked)
{
    static const char *const bad[] = {"0\t8\n1\n", "0\t8\n1\tx\n", "12\t3\n", "5\t5\n",
                                      "0\t8\t9\n", "1\tsign!\n", "1\tsigns\n"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        model_file_rejected("ocr-confusions.txt", bad[k]);
    /* id prefixes are one word of letters */
    static const char *const badp[] = {"TI\nT1\n", "TI\tINV\n", "ABCDEFGHIJ\n", "T-I\n"};
    for (size_t k = 0; k < sizeof badp / sizeof *badp; k++)
        model_file_rejected("id-prefixes.txt", badp[k]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("repair");
    TCase *t = tcase_create("repair");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, grand_total_repaired);
    tcase_add_test(t, subtotal_repaired);
    tcase_add_test(t, sgst_repaired_3_8);
    tcase_add_test(t, line_item_total_repaired);
    tcase_add_test(t, item_total_repaired_by_the_sum);
    tcase_add_test(t, item_price_and_total_lose_the_same_sign);
    tcase_add_test(t, two_candidates_no_repair);
    tcase_add_test(t, consistent_untouched);
    tcase_add_test(t, two_changes_no_repair);
    tcase_add_test(t, rounding_within_tolerance_untouched);
    tcase_add_test(t, beyond_half_a_unit_is_no_rounding);
    tcase_add_test(t, discount_and_charges_in_the_check);
    tcase_add_test(t, rounding_window_not_used);
    tcase_add_test(t, text_layer_amounts_kept);
    tcase_add_test(t, no_leading_zero);
    tcase_add_test(t, words_veto);
    tcase_add_test(t, whole_quantity_digits_only);
    tcase_add_test(t, currency_sign_digit_dropped);
    tcase_add_test(t, future_year_repaired);
    tcase_add_test(t, bare_model_no_confusions);
    tcase_add_test(t, confusions_file_checked);
    suite_add_tcase(s, t);
    return df_test_run(s);
}
