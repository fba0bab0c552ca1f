/* test_totals.c — the totals chooser (tcand.h): the arithmetic of sums.h,
 * the weights file and the labels file checked when they load, the rule
 * switches, and the joint choice on small hand-made receipts in the ways
 * real ones differ (no label, a foreign label, a misread total, a payment). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract/fields.h"
#include "extract/party.h"
#include "extract/rules.h"
#include "extract/sums.h"
#include "extract/tcand.h"
#include "layout/layout.h"
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

/* One word list, a line of text at a time (words 6 pt a character). */
typedef struct wl {
    df_word w[256];
    size_t n;
} wl;

static void put(wl *l, float x, float y, const char *text)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) {
        df_word *w = &l->w[l->n++];
        w->text = strdup(t);
        float wd = 6.0f * (float)strlen(t);
        w->box[0] = x;
        w->box[1] = y;
        w->box[2] = x + wd;
        w->box[3] = y + 10;
        w->conf = 90;
        x += wd + 4.0f;
    }
}

static void wl_free(wl *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->w[i].text);
    l->n = 0;
}

/* The words of l laid out as one A4 page and extracted with model m;
 * frees the words. */
static void extract_page(const df_fields_model *m, wl *l, df_extraction *x)
{
    df_layout *lay = NULL;
    ck_assert_int_eq(df_layout_build(l->w, l->n, 595, 842, &lay, NULL), DF_OK);
    const df_layout *pages[1] = {lay};
    ck_assert_int_eq(df_extract_fields(m, pages, 1, NULL, x, NULL), DF_OK);
    df_layout_free(lay);
    wl_free(l);
}

/* Lines top to bottom, 14 pt apart, under a shop name; extracted with
 * model m. */
static void receipt(const df_fields_model *m, const char *const *lines, df_extraction *x)
{
    wl l = {0};
    put(&l, 40, 20, "KEDAI RUNCIT MAJU");
    for (int k = 0; lines[k]; k++)
        put(&l, 40, 100 + 14 * (float)k, lines[k]);
    extract_page(m, &l, x);
}

/* The same with the rule `id` switched off. */
static void receipt_without(const char *id, const char *const *lines, df_extraction *x)
{
    const char *const off[] = {id, NULL};
    df_fields_model *m = df_test_model_without(off);
    receipt(m, lines, x);
    df_fields_model_free(m);
}

static int64_t grand(const df_extraction *x)
{
    return x->totals[DF_TOT_GRAND].has ? x->totals[DF_TOT_GRAND].minor : -1;
}

/* The receipt of `lines` has this grand total and tax (-1: none). */
static void expect_totals(const char *const *lines, int64_t want_grand, int64_t want_tax)
{
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), want_grand);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].has ? x.totals[DF_TOT_TAX].minor : -1, want_tax);
    df_extraction_clear(&x);
}

/* The receipt of `lines` states this tax. */
static void expect_tax(const char *const *lines, int64_t want)
{
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_msg(x.totals[DF_TOT_TAX].has && x.totals[DF_TOT_TAX].minor == want,
                  "%s...: tax %lld, want %lld", lines[0],
                  x.totals[DF_TOT_TAX].has ? (long long)x.totals[DF_TOT_TAX].minor : -1LL,
                  (long long)want);
    df_extraction_clear(&x);
}

/* ---- sums.h ------------------------------------------------------------ */

START_TEST(sums_signs_and_tolerances)
{
    df_famt sub = {1, 10000, {0}}, disc = {1, -500, {0}}, charge = {1, 300, {0}},
            round = {1, -2, {0}}, vat = {1, -1900, {0}}, none = {0, 0, {0}};
    df_sum_parts p = {&sub, &disc, &charge, &round, {&vat, &none, NULL, NULL}};
    int64_t s;
    int ntax;
    ck_assert(df_sum_of_parts(&p, &s, &ntax));
    /* 100.00 - 5.00 + 3.00 - 0.02 + 19.00: discount and tax by magnitude,
     * rounding with its sign */
    ck_assert_int_eq(s, 11698);
    ck_assert_int_eq(ntax, 1);
    p.subtotal = &none;
    ck_assert(!df_sum_of_parts(&p, &s, NULL));

    df_famt paid = {1, -2000, {0}}, change = {1, 875, {0}};
    ck_assert(df_sum_due(&paid, &change, &s)); /* "Payment -20.00" */
    ck_assert_int_eq(s, 1125);
    ck_assert(df_sum_due(&paid, &none, &s) && s == 2000);
    ck_assert(!df_sum_due(&none, &change, &s));
    df_famt little = {1, 100, {0}};
    ck_assert(!df_sum_due(&little, &change, &s)); /* more change than paid */

    ck_assert(df_sum_agree(100, 101, DF_SUM_EXACT));
    ck_assert(!df_sum_agree(100, 102, DF_SUM_EXACT));
    ck_assert(df_sum_agree(1380, 1378, DF_SUM_CASH));

    /* a tax and its base: 7 % of 243,25 is 17,03 (net); 19 % included in
     * 119,00 is 19,00 (gross); a rate of nothing, above 100 % or a "tax"
     * as large as its base is neither */
    ck_assert_int_eq(df_sum_rate_of(24325, 700, 1703), 1);
    ck_assert_int_eq(df_sum_rate_of(24325, 700, -1703), 1);
    ck_assert_int_eq(df_sum_rate_of(11900, 1900, 1900), 2);
    ck_assert_int_eq(df_sum_rate_of(223076, 810, 18069), 1);
    ck_assert_int_eq(df_sum_rate_of(24325, 700, 1710), 0);
    ck_assert_int_eq(df_sum_rate_of(24325, 0, 1703), 0);
    ck_assert_int_eq(df_sum_rate_of(24325, 12000, 29190), 0);
    ck_assert_int_eq(df_sum_rate_of(1703, 700, 1703), 0);
    /* rounded per line: within 2 cents and a thousandth of the tax */
    ck_assert_int_eq(df_sum_rate_of(1399529, 1025, 143454), 1);
    ck_assert_int_eq(df_sum_rate_of(1399529, 1025, 143600), 0);
}
END_TEST

/* A VAT line quoting its base ("IVA 8.1% (imponibile 2'230.76) 180.69"):
 * the rate's arithmetic says which figure is the tax; without it the base,
 * first after the label, passes for the tax. */
START_TEST(a_rate_names_its_base)
{
    const char *lines[] = {"Subtotale 2'471.90", "Sconto 10% -247.19", "Spese di trasporto 6.05",
                           "IVA 8.1% (imponibile 2'230.76) 180.69", "Arrotondamento 0.00",
                           "TOTALE 2'411.45", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 241145);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 18069);
    df_extraction_clear(&x);

    /* every rate counts, however many come before the tax line (a long
     * invoice's item rows each print one) */
    char many[512];
    size_t o = 0;
    for (int r = 1; r <= 90; r++)
        o += (size_t)snprintf(many + o, sizeof many - o, "%s%d%%", r > 1 ? " " : "", r);
    const char *longer[] = {many, "Subtotale 2'471.90", "Sconto 10% -247.19",
                            "Spese di trasporto 6.05", "IVA 8.1% (imponibile 2'230.76) 180.69",
                            "Arrotondamento 0.00", "TOTALE 2'411.45", NULL};
    expect_totals(longer, 241145, 18069);

    /* (the sum alone names the tax too: rule totals.tax_by_need off) */
    static const char *const arith[] = {"totals.rate_of", "totals.rate_base",
                                        "totals.tax_by_need", NULL};
    df_fields_model *m = df_test_model_without(arith);
    receipt(m, lines, &x);
    ck_assert_int_ne(x.totals[DF_TOT_TAX].minor, 18069);
    df_extraction_clear(&x);
    df_fields_model_free(m);

    /* an invoice's labels and amounts in columns far apart: each row is two
     * lines, and the arithmetic holds across them ("Sonstiges" is no label
     * the model knows, so the base plus the tax is the total as well; taxes
     * as large as their total are impossible) */
    wl l = {0};
    put(&l, 40, 20, "GASTHAUS NORDLICHT");
    const char *left[] = {"Warenwert netto", "Sonstiges", "20 % MwSt. von 8.754,18",
                          "Zu zahlender Betrag"};
    const char *right[] = {"8.709,48", "44,70", "1.750,84", "10.505,02"};
    for (int k = 0; k < 4; k++) {
        put(&l, 40, 100 + 14 * (float)k, left[k]);
        put(&l, 480, 100 + 14 * (float)k, right[k]);
    }
    extract_page(M, &l, &x);
    ck_assert_int_eq(grand(&x), 1050502);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 175084);
    df_extraction_clear(&x);
}
END_TEST

START_TEST(sums_of_items)
{
    df_line_item it[3];
    memset(it, 0, sizeof it);
    df_extraction x;
    memset(&x, 0, sizeof x);
    x.items = it;
    x.nitems = 2;
    it[0].total = (df_famt){1, 450, {0}};
    it[1].total = (df_famt){1, 900, {0}};
    int64_t s;
    ck_assert(df_sum_items(&x, 2, &s) && s == 1350);
    ck_assert(!df_sum_items(&x, 3, &s));
    x.nitems = 3; /* one without a total: no sum at all */
    ck_assert(!df_sum_items(&x, 1, &s));
}
END_TEST

/* One check of quantity x unit price for the tables, the till lists, the
 * validation and the repair: a weight's total to the cent, a count's by
 * half a cent per unit (a price printed rounded), nothing overflowing. */
START_TEST(sums_of_a_line)
{
    ck_assert(df_sum_line_agrees(1587, 299, 475));  /* 1,587 kg x 2,99 = 4,745 */
    ck_assert(!df_sum_line_agrees(1587, 299, 477)); /* 2 cents off a weight */
    ck_assert(df_sum_line_agrees(3000, 333, 1000)); /* 3 x 3,33 printed 10,00 */
    ck_assert(df_sum_line_agrees(10000, 15, 145));  /* 10 x 0,145 printed 0,15 */
    ck_assert(!df_sum_line_agrees(10000, 15, 144)); /* 6 cents off 10 units */
    ck_assert(!df_sum_line_agrees(3000, 333, 1003));
    ck_assert(df_sum_line_agrees(-2000, 150, -300)); /* a returned item */
    ck_assert(!df_sum_line_agrees(INT64_MAX, INT64_MAX, 1));
    /* hundredths, as a line item holds its quantity */
    ck_assert(df_sum_item_agrees(250, 400, 1000));
    ck_assert(df_sum_item_agrees(300, 333, 1000));
    ck_assert(!df_sum_item_agrees(250, 400, 1002));
    ck_assert(!df_sum_item_agrees(INT64_MAX, 2, 1));
}
END_TEST

/* ---- model files checked when they load ---------------------------------- */

/* A copy of models/ in a temporary directory with `file` replaced by
 * `content`; returns the directory (static buffer). */
static const char *models_with(const char *file, const char *content)
{
    static char dir[256];
    snprintf(dir, sizeof dir, "/tmp/df-models-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp -r '%s'/models/. '%s'/", DF_SOURCE_DIR, dir);
    ck_assert_int_eq(system(cmd), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(content, f);
    fclose(f);
    return dir;
}

static void remove_dir(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void load_fails(const char *file, const char *content, const char *want)
{
    const char *dir = models_with(file, content);
    df_err err = {0};
    df_fields_model *m = df_fields_model_load(dir, &err);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(err.code, DF_E_CORRUPT_FILE);
    ck_assert_msg(strstr(err.msg, want) != NULL, "message: %s", err.msg);
    remove_dir(dir);
}

/* The model of models/ with `file` replaced by `content`; it must load. */
static df_fields_model *model_with(const char *file, const char *content)
{
    const char *dir = models_with(file, content);
    df_err err = {0};
    df_fields_model *m = df_fields_model_load(dir, &err);
    ck_assert_msg(m != NULL, "%s", err.msg);
    remove_dir(dir);
    return m;
}

/* A run of letters counts characters, and signs are none: OCR's "1\u20ac i]"
 * under a logo has no word, "Caf\u00e9" and "\u00c9T\u00c9" have theirs. */
START_TEST(letter_runs_count_characters)
{
    const char *logo = "1\u20ac i]", *quote = "\u201cpe", *cafe = "Caf\u00e9",
               *ete = "\u00c9T\u00c9";
    ck_assert(!fx_letter_run(logo, strlen(logo), 3));
    ck_assert(!fx_letter_run(quote, strlen(quote), 3));
    ck_assert(fx_letter_run(cafe, strlen(cafe), 4));
    ck_assert(!fx_letter_run(cafe, strlen(cafe), 5));
    ck_assert(fx_letter_run(ete, strlen(ete), 3));
    ck_assert(!fx_letter_run("ab\xe2\x82", 4, 3)); /* a cut sequence is no letter */
}
END_TEST

START_TEST(weights_file_checked)
{
    load_fails("totals.txt", "# c\ngrand_total\tlabel\t6\ngrand_total\tlabell\t1\n",
               "totals.txt line 3");
    load_fails("totals.txt", "grandtotal\tlabel\t6\n", "unknown role");
    load_fails("totals.txt", "joint\tsum\tfive\n", "not a number");
    /* a good file parses to hundredths, signs and all */
    df_fields_model *m = model_with("totals.txt", "grand_total\tlabel\t1.5\njoint\tsum_fails\t-4\n"
                                                  "subtotal\tfloor\t-2.6\n");
    ck_assert_int_eq(m->totals_w->w[TC_GRAND][TF_LABEL], 150);
    ck_assert_int_eq(m->totals_w->joint[TJ_SUM_FAILS], -400);
    ck_assert_int_eq(m->totals_w->floor[TC_SUBTOTAL], -260);
    df_fields_model_free(m);
}
END_TEST

/* The vendor's evidence weighs what models/vendor.txt says: a typo is an
 * error naming the line, and the weights decide the name. */
START_TEST(vendor_weights_file_checked)
{
    load_fails("vendor.txt", "# x\nsuffix\t10\nsufix\t3\n", "vendor.txt line 3");
    load_fails("vendor.txt", "base\tthree\n", "not a number");
    const char *lines[] = {"Pasar Mini Jaya", "Total 5.00", NULL};
    df_extraction x;
    receipt(M, lines, &x); /* the shipped weights: the first line */
    ck_assert_str_eq(x.vendor_name.s, "KEDAI RUNCIT MAJU");
    df_extraction_clear(&x);
    /* lines further down gain: the second is the name */
    df_fields_model *m = model_with("vendor.txt", "base\t3\norder\t1\nafter_price\t-10\n");
    ck_assert_int_eq(m->vendor_w->w[VF_ORDER], 100);
    ck_assert_int_eq(m->vendor_w->w[VF_SUFFIX], 0);
    receipt(m, lines, &x);
    ck_assert_str_eq(x.vendor_name.s, "Pasar Mini Jaya");
    df_extraction_clear(&x);
    df_fields_model_free(m);
}
END_TEST

/* The issuer's name printed again in the page's legal footer beats a
 * customer's block that ends in a company suffix (no "Bill to" over it);
 * an address line the footer repeats ("Via Roma, 129") is no name for it. */
static void footer_doc(wl *l, const char *top, const char *second, const char *customer,
                       const char *footer)
{
    put(l, 40, 20, top);
    put(l, 40, 34, second);
    put(l, 40, 48, "15000 Kota Bharu");
    put(l, 40, 90, customer);
    put(l, 40, 104, "No. 78, Lorong Maarof");
    put(l, 300, 160, "Jumlah");
    put(l, 420, 160, "100.00");
    put(l, 40, 780, footer);
}

START_TEST(vendor_named_again_in_the_footer)
{
    wl l = {0};
    footer_doc(&l, "Syarikat Hiasan Yusof", "No. 158, Jalan Dato Onn", "Bintang Timur Enterprise",
               "Syarikat Hiasan Yusof   Hong Leong Bank");
    df_extraction x;
    extract_page(M, &l, &x);
    ck_assert_str_eq(x.vendor_name.s, "Syarikat Hiasan Yusof");
    df_extraction_clear(&x);
    df_fields_model *m =
        model_with("vendor.txt", "suffix\t10\nbase\t3\norder\t-0.5\naddress\t-3\n");
    footer_doc(&l, "Syarikat Hiasan Yusof", "No. 158, Jalan Dato Onn", "Bintang Timur Enterprise",
               "Syarikat Hiasan Yusof   Hong Leong Bank");
    extract_page(m, &l, &x);
    ck_assert_str_eq(x.vendor_name.s, "Bintang Timur Enterprise"); /* no footer weight */
    df_extraction_clear(&x);
    df_fields_model_free(m);

    /* the footer repeats the street, and its name OCR garbled */
    footer_doc(&l, "Frutta Bruno", "Via Roma, 129", "Bintang Timur", "Via Roma, 129   FruttaBrun0");
    extract_page(M, &l, &x);
    ck_assert_str_eq(x.vendor_name.s, "Frutta Bruno");
    df_extraction_clear(&x);

    /* nor is a town with its postcode, or the web address, a name because
     * the footer prints it again */
    footer_doc(&l, "Hanse Montage", "9020 Klagenfurt", "Bintang Timur", "9020 Klagenfurt   Hanse Bank");
    extract_page(M, &l, &x);
    ck_assert_str_eq(x.vendor_name.s, "Hanse Montage");
    df_extraction_clear(&x);
    footer_doc(&l, "Bleu Azur", "www.bleuazur.fr", "Bintang Timur", "www.bleuazur.fr   IBAN FR76");
    extract_page(M, &l, &x);
    ck_assert_str_eq(x.vendor_name.s, "Bleu Azur");
    df_extraction_clear(&x);
}
END_TEST

START_TEST(labels_file_checked)
{
    /* a typo in a field name is an error naming the line, not a dead label */
    load_fails("labels.txt", "# x\nTotal\tgrand_total\t5\nSubtotal\tsubtotl\t10\n",
               "labels.txt line 3");
    /* the same label twice (any case) matches as whichever sorts first */
    load_fails("labels.txt", "Total\tgrand_total\t5\nTOTAL\tsubtotal\t5\n", "listed twice");
}
END_TEST

/* ---- the rule switches ----------------------------------------------------- */

START_TEST(rules_registry)
{
    ck_assert_int_eq(df_rule_find("totals.sum"), df_rule_find("totals.sum"));
    ck_assert_int_ge(df_rule_find("totals.sum"), 0);
    ck_assert_int_eq(df_rule_find("totals.nope"), -1);
    ck_assert_int_eq(df_rule_find(NULL), -1);
    /* the code rules come first, in the enum's order */
    static const struct {
        int code;
        const char *id;
    } order[] = {{DF_RULE_VARIANT_SIGN, "totals.variant_sign"},
                 {DF_RULE_VARIANT_POINT, "totals.variant_point"},
                 {DF_RULE_LABEL_BESIDE, "totals.label_beside"},
                 {DF_RULE_DERIVED_TOTAL, "totals.derived_total"},
                 {DF_RULE_LABEL_COLUMN, "totals.label_column"},
                 {DF_RULE_REREAD_TOTAL, "reread.total"},
                 {DF_RULE_REREAD_DATE, "reread.date"},
                 {DF_RULE_REREAD_INVOICE, "reread.invoice_number"},
                 {DF_RULE_SUBTOTAL_ITEMS, "fields.subtotal_from_items"},
                 {DF_RULE_WORDS, "totals.words"},
                 {DF_RULE_GST_INDIA, "totals.gst_india"},
                 {DF_RULE_INCL_TAX, "totals.incl_tax"},
                 {DF_RULE_VENDOR_PRICES, "vendor.above_prices"},
                 {DF_RULE_ITEMS_DESC_LETTERS, "items.description_letters"},
                 {DF_RULE_ITEMS_TOTAL_AMOUNTS, "items.total_by_amounts"},
                 {DF_RULE_ITEMS_DETAIL_BELOW, "items.detail_below"},
                 {DF_RULE_ITEMS_CLOSING_SUM, "items.closing_sum"},
                 {DF_RULE_SUMMARY_COLUMNS, "totals.summary_columns"},
                 {DF_RULE_VENDOR_ATTENTION, "vendor.attention_below"},
                 {DF_RULE_ITEMS_LIST_OVER_TABLE, "items.list_over_table"},
                 {DF_RULE_ITEMS_FIGURE_IN_NAME, "items.figure_in_name"},
                 {DF_RULE_DOCTYPE_PAYMENT, "doctype.payment"},
                 {DF_RULE_META_RECEIPT_ORDER, "meta.receipt_order"},
                 {DF_RULE_DOCTYPE_REFERENCE, "doctype.reference"},
                 {DF_RULE_ITEMS_CHARGE_AMONG, "items.charge_among"},
                 {DF_RULE_TOTALS_DUE_NOT_NET, "totals.due_not_net"},
                 {DF_RULE_ITEMS_UNPROVEN_TABLE, "items.unproven_table"},
                 {DF_RULE_ITEMS_PAYMENT_AFTER, "items.payment_after"},
                 {DF_RULE_META_OTHER_DATE_VALUE, "meta.other_date_value"},
                 {DF_RULE_TOTALS_DISCOUNT_TERMS, "totals.discount_terms"},
                 {DF_RULE_ITEMS_POINT_BY_SUM, "items.point_by_sum"},
                 {DF_RULE_TOTALS_TAX_INDEX, "totals.tax_index"},
                 {DF_RULE_TOTALS_TAX_BY_NEED, "totals.tax_by_need"},
                 {DF_RULE_VENDOR_DEBRIS, "vendor.debris"},
                 {DF_RULE_META_TILL_DATE, "meta.till_date"},
                 {DF_RULE_VENDOR_STREET, "vendor.numbered_street"},
                 {DF_RULE_VENDOR_ZIP_END, "vendor.zip_end"},
                 {DF_RULE_VENDOR_ADDRESS_WORD, "vendor.address_word"},
                 {DF_RULE_TOTALS_PAY_TIE, "totals.pay_tie"},
                 {DF_RULE_VENDOR_ADDRESS_PRICE, "vendor.address_price"}};
    ck_assert_int_eq(sizeof order / sizeof order[0], DF_RULE_CODE_COUNT);
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        ck_assert_str_eq(df_rules[order[k].code].id, order[k].id);
    ck_assert_int_eq(df_rules[DF_RULE_CODE_COUNT].kind != DF_RULE_CODE, 1);
    for (size_t i = 0; i < df_rule_total; i++) {
        ck_assert_int_eq(df_rule_find(df_rules[i].id), (int)i); /* ids are unique */
        ck_assert(df_rules[i].what && *df_rules[i].what);
        ck_assert((df_rules[i].kind == DF_RULE_CODE) == (i < DF_RULE_CODE_COUNT));
    }
    ck_assert_int_le(df_rule_total, 64 * DF_RULE_SET_WORDS);
}
END_TEST

/* A total garbled beyond reading and the payment that says what it was:
 * derived with the rule, nothing without it. */
START_TEST(rule_switched_off)
{
    const char *lines[] = {"TOTAL Th. TF0", "CASH 100.00", "CHANGE 24.30", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 7570);
    df_extraction_clear(&x);

    df_err err = {0};
    df_fields_model *m = df_fields_model_load(DF_SOURCE_DIR "/models", &err);
    ck_assert_ptr_nonnull(m);
    df_rule_set off = {{0}};
    int i = df_rule_find("totals.derived_total");
    off.off[i / 64] |= UINT64_C(1) << (i % 64);
    df_fields_model_rules(m, &off);
    receipt(m, lines, &x);
    ck_assert_int_eq(grand(&x), -1);
    df_extraction_clear(&x);

    /* a weight rule goes to zero: the arithmetic no longer picks an
     * unlabelled total */
    i = df_rule_find("totals.sum");
    off.off[i / 64] |= UINT64_C(1) << (i % 64);
    df_fields_model_rules(m, &off);
    ck_assert_int_eq(m->totals_w->joint[TJ_SUM], 0);
    df_fields_model_free(m);
}
END_TEST

/* ---- the joint choice -------------------------------------------------------- */

/* A till's or a Swiss invoice's rounding has its own words in every
 * language ("Abbuono arrotondamento": an allowance's word, then rounding's);
 * "Spese accessorie" are charges. */
START_TEST(rounding_in_other_languages)
{
    const char *it[] = {"Totale merce 1'502.65", "Spese accessorie 33.70", "IVA al 8.1% 124.44",
                        "Abbuono arrotondamento 0.01", "TOTALE CHF 1'660.80", NULL};
    df_extraction x;
    receipt(M, it, &x);
    ck_assert_int_eq(grand(&x), 166080);
    ck_assert(x.totals[DF_TOT_ROUNDING].has);
    ck_assert_int_eq(x.totals[DF_TOT_ROUNDING].minor, 1);
    ck_assert(!x.totals[DF_TOT_DISCOUNT].has);
    ck_assert_int_eq(x.totals[DF_TOT_CHARGES].minor, 3370);
    df_extraction_clear(&x);
    static const char *const others[][5] = {
        {"Zwischensumme 10,02", "Rundungsdifferenz -0,02", "Total CHF 10,00", NULL},
        {"Sous-total 10,02", "Arrondi -0,02", "Total CHF 10,00", NULL},
        {"Subtotaal 10,02", "Afronding -0,02", "Totaal 10,00", NULL},
        {"Subtotal 10,02", "Redondeo -0,02", "Total 10,00", NULL},
    };
    for (size_t k = 0; k < sizeof others / sizeof *others; k++) {
        receipt(M, others[k], &x);
        ck_assert_msg(x.totals[DF_TOT_ROUNDING].has && x.totals[DF_TOT_ROUNDING].minor == -2,
                      "case %zu: rounding", k);
        ck_assert_int_eq(grand(&x), 1000);
        df_extraction_clear(&x);
    }
}
END_TEST

/* The arithmetic names a figure no label does. */
/* Two paid figures whose labels score alike ("Cash", "COUPONS TENDERED"):
 * the one whose paid - change is the printed total is the payment, and a
 * till's tax printed as its cents alone is read. Rule totals.pay_tie: without
 * it the later tender is taken and 4.00 - 2.76 = 1.24 overrules the total. */
START_TEST(tied_payments_by_the_sum)
{
    const char *lines[] = {"CASHM.BATH.TISS        2.99  H", "CASHH.BATH.TISS.       2.99  H",
                           "NC   GENERAL MERCH     2.00- H", "He   GENERAL MERCH     2.00- H",
                           "TAX        .26   BAL       2,24", "Cash                   5.00",
                           "CHANGE                 2.76", "COUPONS  TENDERED    4.00", NULL};
    expect_totals(lines, 224, 26);
    df_extraction x;
    receipt_without("totals.pay_tie", lines, &x);
    ck_assert_int_ne(grand(&x), 224);
    df_extraction_clear(&x);
    /* "TOTAL TAX .00": no tax, and said so */
    const char *zero[] = {"SUBTOTAL   28.35", "TOTAL TAX   .00", "TOTAL   :   28.35", NULL};
    expect_totals(zero, 2835, 0);
}
END_TEST

START_TEST(unlabelled_total_by_the_sum)
{
    const char *lines[] = {"Subtotal 11.20", "Ti= 11.20 @ 6.5% TAX 0.73", "AMEX 11.93", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 1193);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 1120);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 73);
    df_extraction_clear(&x);
}
END_TEST

/* "Taxes", the plural a US till prints, labels the tax: a printed zero is a
 * tax of 0, not a missing one */
START_TEST(tax_under_its_plural_label)
{
    const char *a[] = {"SUBTOTAL: $169.00", "TAXES: $0.00", "TOTAL: $169.00", NULL};
    const char *b[] = {"Subtotal 18.20", "Total Taxes 1.46", "Total 19.66", NULL};
    expect_totals(a, 16900, 0);
    expect_totals(b, 1966, 146);
}
END_TEST

/* Labels of other languages are data: German, French, Dutch, Italian. */

START_TEST(labels_in_other_languages)
{
    static const struct {
        const char *l[6];
        int64_t sub, tax, total, charge, disc; /* sub, charge, disc 0: none printed */
    } cases[] = {
        {{"Zwischensumme 52,27", "MwSt 19% 9,93", "Gesamtbetrag 62,20", NULL},
         5227, 993, 6220, 0, 0},
        {{"Total HT 100,00", "TVA 20% 20,00", "Total TTC 120,00", NULL}, 10000, 2000, 12000, 0, 0},
        {{"Subtotaal 10,00", "BTW 21% 2,10", "Te betalen 12,10", NULL}, 1000, 210, 1210, 0, 0},
        {{"Imponibile 50,00", "IVA 22% 11,00", "Totale documento 61,00", NULL},
         5000, 1100, 6100, 0, 0},
        /* "Portes": carriage on a Spanish invoice */
        {{"Base imponible 3255,60", "Portes 6,40", "Cuota IVA 21% 685,02", "TOTAL FACTURA 3947,02",
          NULL},
         325560, 68502, 394702, 640, 0},
        /* "Impuestos incluidos": the included VAT at two rates is their sum */
        {{"TOTAL A PAGAR 24,96", "Entregado 25,00", "Impuestos incluidos 21% 2,69",
          "Precios con IVA 4% 0,36", NULL},
         0, 305, 2496, 0, 0},
        /* "Suma": the lines' sum on a Spanish invoice, before the discount (and a
         * tax label OCR garbled) */
        {{"Suma 1866,75", "Descuento 10% -186,68", "I.LV.A. 21% 352,81", "TOTAL FACTURA 2032,88",
          NULL},
         186675, 35281, 203288, 0, 18668},
        /* a discount's word opening a compound: "Kortingsregeling" */
        {{"Totaal excl. btw 1162,30", "Kortingsregeling 3% -34,87", "Verzendkosten 25,70",
          "Btw 21% 233,18", "Totaal inclusief btw 1386,31", NULL},
         116230, 23318, 138631, 2570, 3487},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        df_extraction x;
        receipt(M, cases[c].l, &x);
        ck_assert_msg(grand(&x) == cases[c].total, "case %zu: total %lld", c, (long long)grand(&x));
        ck_assert_msg(x.totals[DF_TOT_SUBTOTAL].has == (cases[c].sub != 0) &&
                          x.totals[DF_TOT_SUBTOTAL].minor == cases[c].sub,
                      "case %zu: subtotal", c);
        ck_assert_msg(x.totals[DF_TOT_TAX].minor == cases[c].tax, "case %zu: tax", c);
        ck_assert_msg(x.totals[DF_TOT_CHARGES].has == (cases[c].charge != 0) &&
                          (!cases[c].charge || x.totals[DF_TOT_CHARGES].minor == cases[c].charge),
                      "case %zu: charges", c);
        ck_assert_msg(x.totals[DF_TOT_DISCOUNT].has == (cases[c].disc != 0) &&
                          (!cases[c].disc || x.totals[DF_TOT_DISCOUNT].minor == cases[c].disc),
                      "case %zu: discount", c);
        df_extraction_clear(&x);
    }
}
END_TEST

/* Rows of cells: each row a list of {x, text}, 14 pt apart. */
typedef struct cell {
    float x;
    const char *t;
} cell;

static void table_receipt(const df_fields_model *m, const cell rows[][5], int nrows,
                          df_extraction *x)
{
    wl l = {0};
    put(&l, 40, 20, "GASTHAUS NORDLICHT");
    for (int r = 0; r < nrows; r++)
        for (int c = 0; c < 5 && rows[r][c].t; c++)
            put(&l, rows[r][c].x, 100 + 14 * (float)r, rows[r][c].t);
    extract_page(m, &l, x);
}

/* A tax summary names its figures only by the titles over its columns
 * ("MwSt  Netto  Steuer  Brutto" over "19%  27,06  5,14  32,20"): the
 * titles label them (rule totals.label_column), and without the rule the
 * tax is lost. */
START_TEST(column_titles_label_a_tax_summary)
{
    /* cells a word's gap apart, as a till prints them: each row is one line */
    static const cell rows[][5] = {
        {{40, "Weizenbier 0,5l"}, {178, "15,00"}, {214, "19%"}},
        {{52, "3 x 5,00"}},
        {{40, "Schnitzel Wiener"}, {178, "17,20"}, {214, "19%"}},
        {{40, "Summe EUR"}, {178, "32,20"}},
        {{40, "MwSt"}, {80, "Netto"}, {126, "Steuer"}, {178, "Brutto"}},
        {{40, "19%"}, {80, "27,06"}, {126, "5,14"}, {178, "32,20"}},
        {{40, "BAR"}, {178, "32,20"}},
        {{40, "Zur\xC3\xBC" "ck"}, {178, "0,00"}},
    };
    df_extraction x;
    table_receipt(M, rows, 8, &x);
    ck_assert_int_eq(grand(&x), 3220);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 2706);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 514);
    df_extraction_clear(&x);

    static const char *const titles[] = {"totals.label_column", NULL};
    df_fields_model *m = df_test_model_without(titles);
    table_receipt(m, rows, 8, &x);
    ck_assert_int_eq(grand(&x), 3220);
    /* without the titles the tax is lost and "Summe" stands for the net: the
     * row's arithmetic marks 27,06 as a base, but 5,14 is followed by the
     * gross 32,20 (a tax summary's row), so the rate alone does not make
     * it the tax */
    ck_assert(!x.totals[DF_TOT_TAX].has);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 3220);
    df_extraction_clear(&x);
    df_fields_model_free(m);
}
END_TEST

/* "Service" is a charge's label, but not as the second half of a slash
 * title ("Product / Service", "Name of Product / Service" over an item
 * table): its figure is no charge. */
START_TEST(slash_title_labels_nothing)
{
    const char *lines[] = {"Subtotal 40.00", "Product / Service 10.00", "Total 50.00", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 5000);
    ck_assert(!x.totals[DF_TOT_CHARGES].has);
    df_extraction_clear(&x);
    const char *own[] = {"Subtotal 40.00", "Service 10.00", "Total 50.00", NULL};
    receipt(M, own, &x);
    ck_assert_int_eq(x.totals[DF_TOT_CHARGES].minor, 1000);
    df_extraction_clear(&x);
}
END_TEST

/* A tax summary's sum row ("Gesamt  32,42  3,96  36,38" under "netto  USt
 * Brutto"): the total's label names the row, the titles its figures; the
 * last stays the total (rule totals.summary_columns). */
START_TEST(summary_sum_row_by_its_titles)
{
    static const cell rows[][5] = {
        {{40, "Kaffee Crema"}, {214, "16,81"}, {250, "A"}},
        {{40, "Bauernbrot"}, {214, "21,49"}, {250, "B"}},
        {{40, "Mitarbeiterrabatt"}, {214, "1,92-"}},
        {{40, "SUMME"}, {214, "36,38"}},
        {{40, "Gegeben"}, {214, "40,00"}},
        {{40, "R\xC3\xBC" "ckgeld"}, {214, "3,62"}},
        {{40, "USt"}, {100, "netto"}, {160, "USt"}, {214, "Brutto"}},
        {{40, "A 19%"}, {100, "14,13"}, {160, "2,68"}, {214, "16,81"}},
        {{40, "B 7%"}, {100, "18,29"}, {160, "1,28"}, {214, "19,57"}},
        {{40, "Gesamt"}, {100, "32,42"}, {160, "3,96"}, {214, "36,38"}},
    };
    df_extraction x;
    table_receipt(M, rows, 10, &x);
    ck_assert_int_eq(grand(&x), 3638);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 3242);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 396);
    df_extraction_clear(&x);

    static const char *const off[] = {"totals.summary_columns", NULL};
    df_fields_model *m = df_test_model_without(off);
    table_receipt(m, rows, 10, &x);
    ck_assert_int_eq(grand(&x), 3638);
    ck_assert(!x.totals[DF_TOT_SUBTOTAL].has || x.totals[DF_TOT_SUBTOTAL].minor != 3242);
    df_extraction_clear(&x);
    df_fields_model_free(m);
}
END_TEST

/* Column titles are set a column's gap apart: "Excl.     Btw" over a Dutch
 * till's tax summary is two titles (the net's and the tax's), not the
 * label "Excl. btw" over both figures. */
START_TEST(titles_split_at_column_gaps)
{
    static const cell rows[][5] = {
        {{40, "VOLKORENBROOD"}, {200, "2,44"}, {232, "A"}},
        {{40, "SINAASAPPELSAP"}, {200, "1,89"}, {232, "A"}},
        {{40, "TOTAAL"}, {200, "4,33"}},
        {{40, "Contant"}, {200, "5,00"}},
        {{40, "Terug"}, {200, "0,67"}},
        {{40, "BTW"}, {100, "Excl."}, {150, "Btw"}, {200, "Totaal"}},
        {{40, "A 9%"}, {100, "3,97"}, {150, "0,36"}, {200, "4,33"}},
    };
    df_extraction x;
    table_receipt(M, rows, 7, &x);
    ck_assert_int_eq(grand(&x), 433);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 36);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 397);
    df_extraction_clear(&x);

    /* the base and the gross by their Dutch titles, "Grondslag" and
     * "Bruto", under a total the tip raised */
    static const cell tip[][5] = {
        {{40, "Koffie"}, {200, "12,00"}},
        {{40, "Appeltaart"}, {200, "26,70"}},
        {{40, "TOTAAL"}, {200, "38,70"}},
        {{40, "Fooi"}, {200, "1,30"}},
        {{40, "Betaald"}, {200, "40,00"}},
        {{40, "BTW"}, {100, "Grondslag"}, {160, "BTW"}, {200, "Bruto"}},
        {{40, "9%"}, {100, "35,50"}, {160, "3,20"}, {200, "38,70"}},
    };
    table_receipt(M, tip, 7, &x);
    ck_assert_int_eq(grand(&x), 4000);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 320);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 3550);
    df_extraction_clear(&x);
}
END_TEST

/* Rows of a summary by item at one rate ("4011 ... 28% 10,080.00", "8421
 * ... 28% 11,704.00") are no two taxes: their sum is printed as the one
 * tax, named by its title (IGST). */
START_TEST(rows_at_one_rate_are_one_tax)
{
    static const cell rows[][5] = {
        {{40, "GSTIN: 36AABCG1234K1Z5"}},
        {{40, "IGST"}, {400, "21,784.00"}},
        {{40, "Grand Total"}, {400, "99,584.00"}},
        {{40, "HSN/SAC"}, {160, "Taxable Value"}, {260, "Rate"}, {300, "Integrated Tax"},
         {400, "Total Tax"}},
        {{40, "4011"}, {160, "36,000.00"}, {260, "28%"}, {300, "10,080.00"}, {400, "10,080.00"}},
        {{40, "8421"}, {160, "41,800.00"}, {260, "28%"}, {300, "11,704.00"}, {400, "11,704.00"}},
        {{40, "Total"}, {160, "77,800.00"}, {400, "21,784.00"}},
    };
    df_extraction x;
    table_receipt(M, rows, 7, &x);
    ck_assert_int_eq(grand(&x), 9958400);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 7780000);
    ck_assert(x.totals[DF_TOT_IGST].has);
    ck_assert_int_eq(x.totals[DF_TOT_IGST].minor, 2178400);
    df_extraction_clear(&x);
}
END_TEST

/* The base a VAT line quotes ("IVA 21% s/ 396,80  83,33") is no second
 * tax: with the labelled base as subtotal, taxes would exceed it (no rate
 * reaches 100 %), and base + tax is the total. */
START_TEST(a_quoted_base_is_no_tax)
{
    const char *lines[] = {"Total base 396,80", "IVA 21% s/ 396,80 83,33",
                           "Total a pagar EUR 480,13", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 48013);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 39680);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 8333);
    df_extraction_clear(&x);

    /* shipping between the subtotal and the base the VAT line quotes:
     * subtotal + shipping + tax is the total, the quoted base no tax */
    const char *ship[] = {"Sous-total HT 63,08", "Port et emballage 34,30",
                          "TVA 20 % sur 97,38 19,48", "Total a payer 116,86", NULL};
    receipt(M, ship, &x);
    ck_assert_int_eq(grand(&x), 11686);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 1948);
    df_extraction_clear(&x);
}
END_TEST

/* Taxes are a part of their total: a registration number under a tax's
 * label ("SST 32772094") is never a tax of a 3,834.00 total, alone or
 * summed with the real one. */
START_TEST(no_tax_reaches_its_total)
{
    const char *lines[] = {"No. SST: 32772094", "Jumlah Kecil 3,550.00", "Cukai Jualan 8% 284.00",
                           "JUMLAH PERLU DIBAYAR RM 3,834.00", NULL};
    expect_totals(lines, 383400, 28400);
    const char *nosub[] = {"No. SST: 32772094", "Cukai Jualan 8% 284.00",
                           "JUMLAH PERLU DIBAYAR RM 3,834.00", NULL};
    expect_totals(nosub, 383400, 28400);
}
END_TEST

/* "State Tax" is India's SGST on a rupee invoice, a US state's sales tax on
 * a dollar one: on a document of another currency without a GSTIN, the
 * GST halves' labels name a tax (rule totals.gst_india). */
START_TEST(state_tax_outside_india)
{
    const char *lines[] = {"Subtotal $448.10", "IL State Tax 6.25% 28.01", "City Tax 4% 17.92",
                           "Total $494.03", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 49403);
    ck_assert(!x.totals[DF_TOT_SGST].has);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 4593);
    df_extraction_clear(&x);

    static const char *const india[] = {"totals.gst_india", NULL};
    df_fields_model *m = df_test_model_without(india);
    receipt(m, lines, &x);
    ck_assert(x.totals[DF_TOT_SGST].has);
    df_extraction_clear(&x);
    df_fields_model_free(m);

    /* on a rupee invoice it stays India's SGST */
    const char *inr[] = {"Sub Total 1,000.00", "Central Tax 9% 90.00", "State Tax 9% 90.00",
                         "Total Rs. 1,180.00", NULL};
    receipt(M, inr, &x);
    ck_assert_int_eq(x.totals[DF_TOT_SGST].minor, 9000);
    ck_assert_int_eq(x.totals[DF_TOT_CGST].minor, 9000);
    df_extraction_clear(&x);
}
END_TEST

/* Retail prices include the tax: "incl. btw 9%  0,91" names the tax a
 * total included, and the sum holds without it, with a tip on top. The
 * same words before a total's figure ("Total Sales Inclusive GST @6%
 * 8.70") stay the total. */
START_TEST(tax_included_in_the_prices)
{
    const char *tip[] = {"Thee 5,40", "Tosti ham kaas 5,60", "TE BETALEN EUR 11,00", "Fooi 0,50",
                         "Totaal betaald EUR 11,50", "Prijzen incl. btw 9% 0,91",
                         "Contactloos 11,50", NULL};
    df_extraction x;
    receipt(M, tip, &x);
    ck_assert_int_eq(grand(&x), 1150);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 91);
    ck_assert_int_eq(x.totals[DF_TOT_CHARGES].minor, 50);
    df_extraction_clear(&x);

    const char *my[] = {"3 X 2.9000 8.70", "Total Sales Inclusive GST @6% 8.70", "Total 8.70",
                        "Cash 10.00", "Change 1.30", NULL};
    expect_totals(my, 870, -1);
}
END_TEST

/* German and Dutch compounds: "Sonderrabatt" is a Rabatt, "Klantkorting"
 * a korting; labels.txt's compound heads ("~rabatt") name them. */
START_TEST(compound_labels)
{
    const char *lines[] = {"Zwischensumme 642,50", "Sonderrabatt 15% -96,38", "MwSt. 19% 103,76",
                           "Zu zahlender Betrag 649,88", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 64988);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 10376);
    ck_assert_int_eq(x.totals[DF_TOT_DISCOUNT].minor, 9638);
    df_extraction_clear(&x);

    size_t end = 0;
    const char *t = "Klantkorting 5,00";
    const df_model_entry *e = df_label_compound(M, t, 0, strlen(t), &end);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->val, "discount");
    ck_assert_uint_eq(end, 12);
    /* too short a word before the head, no word start, a digit after */
    ck_assert_ptr_null(df_label_compound(M, "Xrabatt 5,00", 0, 12, &end));
    ck_assert_ptr_null(df_label_compound(M, "Sonderrabatt", 1, 12, &end));
    ck_assert_ptr_null(df_label_compound(M, "Sonderrabatt2", 0, 13, &end));
}
END_TEST

/* No keyword names the type ("Bonnr." and "Kassamedewerker" are no words
 * of doctype.txt): a total its payment line checks makes a receipt. */
START_TEST(paid_total_makes_a_receipt)
{
    const char *lines[] = {"Bonnr.: 7043", "Kaas 24,93", "Totaal 24,93", "V PAY 24,93", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 2493);
    ck_assert_str_eq(x.document_type, "receipt");
    ck_assert_str_eq(x.document_category, "financial");
    df_extraction_clear(&x);
    /* no payment: nothing says what it is */
    const char *unpaid[] = {"Bonnr.: 7043", "Kaas 24,93", "Totaal 24,93", NULL};
    receipt(M, unpaid, &x);
    ck_assert_str_eq(x.document_type, "other");
    df_extraction_clear(&x);
    const char *const off[] = {"doctype.payment", NULL};
    df_fields_model *m = df_test_model_without(off);
    receipt(m, lines, &x);
    ck_assert_str_eq(x.document_type, "other");
    df_extraction_clear(&x);
    df_fields_model_free(m);
}
END_TEST

/* A till slip numbered only by its order ("Order #: 708") has that number;
 * an invoice's order number is not its own. */
START_TEST(receipt_numbered_by_its_order)
{
    const char *lines[] = {"Order #: 708", "Coffee 4.79", "Total 4.79", "Cash 5.00", "Change 0.21",
                           NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_str_eq(x.document_type, "receipt");
    ck_assert_ptr_nonnull(x.invoice_number.s);
    ck_assert_str_eq(x.invoice_number.s, "708");
    df_extraction_clear(&x);
    const char *inv[] = {"INVOICE", "Order #: 708", "Consulting 400.00", "Total 400.00", NULL};
    receipt(M, inv, &x);
    ck_assert_str_eq(x.document_type, "invoice");
    ck_assert_ptr_null(x.invoice_number.s);
    df_extraction_clear(&x);
    receipt_without("meta.receipt_order", lines, &x);
    ck_assert_ptr_null(x.invoice_number.s);
    df_extraction_clear(&x);
}
END_TEST

/* A discount offered for paying by a date is payment terms: it is not
 * taken off the total (rule totals.discount_terms). */
START_TEST(early_payment_discount_is_no_discount)
{
    const char *lines[] = {"Importe 706,50", "Portes 43,10", "IVA 21% 157,42", "TOTAL EUR 907,02",
                           "Descuento por pronto pago antes del 25/03/2025: 2% (18,14)", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 90702);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 15742);
    ck_assert(!x.totals[DF_TOT_DISCOUNT].has);
    df_extraction_clear(&x);
    receipt_without("totals.discount_terms", lines, &x);
    ck_assert(x.totals[DF_TOT_DISCOUNT].has);
    ck_assert_int_eq(x.totals[DF_TOT_DISCOUNT].minor, 1814);
    df_extraction_clear(&x);
}
END_TEST

/* A digit alone after a tax's label numbers the tax ("TAX1", "Tax 2") or
 * counts the guests ("GST 6" in a diner's header): it is no tax (rule
 * totals.tax_index). */
START_TEST(tax_label_with_its_number)
{
    const char *lines[] = {"ZAGINA 2B55 GST 6", "CALAMARI 16.00", "FOOD TOTAL 105.00",
                           "SVC CHG TOTAL 18.90", "TAX 5.25", "TOTAL DUE 129.15", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 12915);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 525);
    df_extraction_clear(&x);
    expect_tax((const char *const[]){"SUBTOTAL 7.50", "Tax 1 (7d $0.53", "TOTAL 8.03", NULL}, 53);
    expect_tax((const char *const[]){"ORANGES 0.99", "GRAPEFRUIT 1.38", "SUBTOTAL 5.67",
                                     "TAX1 0.11", "TOTAL 5.78", "CASH 20.00", NULL},
               11);
    receipt_without("totals.tax_index", lines, &x);
    ck_assert_int_ne(x.totals[DF_TOT_TAX].minor, 525);
    df_extraction_clear(&x);
}
END_TEST

/* With a subtotal and a total and no tax labelled, the figure that is
 * their difference is the tax whose label OCR garbled (rule
 * totals.tax_by_need); not under an unlabelled "subtotal" (an item's
 * figure), not a charge's figure, not above 30 % of the subtotal. */
START_TEST(tax_by_the_value_the_sum_needs)
{
    const char *lines[] = {"BULK CANDY 6.58", "Sub Total: 6.58", "Food - Bulk 6.625% 0.44",
                           "Total 7.02", "Cash 10.00", "Change 2.98", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 702);
    ck_assert(x.totals[DF_TOT_TAX].has);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 44);
    df_extraction_clear(&x);
    receipt_without("totals.tax_by_need", lines, &x);
    ck_assert(!x.totals[DF_TOT_TAX].has);
    df_extraction_clear(&x);
    /* over the tax's label, on the line above it */
    expect_tax((const char *const[]){"subTotal 8.88", "0.61", "TAX", "TOTAL 9.49", NULL}, 61);
    /* two items and their total: the second item is no tax */
    expect_totals((const char *const[]){"GROCERY F $6.00", "GATORADE LEMON $1.29", "TOTAL $7.29",
                                        "CASH $16.00", "CHANGE $10.71", NULL},
                  729, -1);
    /* a difference too large for a tax: a part not read */
    expect_totals((const char *const[]){"Subtotal 20.00", "Wine 9.00", "Total 29.00", NULL},
                  2900, -1);
}
END_TEST

/* A discount is taken off and a tip added: both are parts of the sum. */
START_TEST(discount_and_tip_in_the_sum)
{
    const char *lines[] = {"Subtotal 40.00", "Discount -4.00", "Tax 2.88", "Tip 6.00",
                           "Total 44.88", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 4488);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 4000);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 288);
    df_extraction_clear(&x);

    /* two VAT rates: the tax is their sum, the second never the first
     * printed again */
    const char *two[] = {"Netto 100,00", "MwSt 19% 9,50", "MwSt 7% 3,50", "Summe 113,00", NULL};
    receipt(M, two, &x);
    ck_assert_int_eq(grand(&x), 11300);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 1300);
    df_extraction_clear(&x);

    /* the amount due before a service tip, then the total paid: the
     * total is what the tip is added to ("Montant dû" weaker than
     * "Montant total"; "Service" a charge) */
    const char *tip[] = {"Montant dû € 26,20", "Service 3,80", "Montant total € 30,00",
                         "CB 30,00", "Total HT 24,72", "Montant TVA 6 % 1,48", NULL};
    receipt(M, tip, &x);
    ck_assert_int_eq(grand(&x), 3000);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 148);
    df_extraction_clear(&x);
    /* the amount paid after the tip is the total ("Betaald" over a card's
     * line), the amount due before it is not */
    const char *paid[] = {"TE BETALEN 81,50 €", "Fooi/tip 8,50", "Betaald 90,00 €",
                          "Maestro 90,00", NULL};
    receipt(M, paid, &x);
    ck_assert_int_eq(grand(&x), 9000);
    ck_assert_int_eq(x.totals[DF_TOT_CHARGES].minor, 850);
    df_extraction_clear(&x);
}
END_TEST

/* The amount due that a tip takes to the total paid, the prices and that
 * amount including the tax, is no subtotal: the subtotal is net of tax
 * (rule totals.due_not_net). A subtotal the tax is added to stays. */
START_TEST(due_before_tip_is_not_net)
{
    const char *lines[] = {"Thee 2 x 2,70 5,40", "Tosti 5,60",     "TE BETALEN € 11,00",
                           "Fooi 0,50",          "Totaal betaald € 11,50", "Prijzen incl. btw 9% 0,91",
                           "Contactloos 11,50",  NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 1150);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 91);
    ck_assert_int_eq(x.totals[DF_TOT_CHARGES].minor, 50);
    ck_assert(!x.totals[DF_TOT_SUBTOTAL].has);
    df_extraction_clear(&x);

    static const char *const off[] = {"totals.due_not_net", NULL};
    df_fields_model *m = df_test_model_without(off);
    receipt(m, lines, &x);
    ck_assert_int_eq(grand(&x), 1150);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 1100);
    df_extraction_clear(&x);
    df_fields_model_free(m);

    const char *added[] = {"Subtotal 40.00", "Tax 2.88", "Tip 6.00", "Total 48.88", NULL};
    receipt(M, added, &x);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 4000);
    df_extraction_clear(&x);
}
END_TEST

/* A labelled total the parts contradict stands as read: nothing says which
 * of them is wrong. */
START_TEST(total_against_its_parts)
{
    const char *lines[] = {"Net Sales $7.50", "Tax 1 $0.53", "TOTAL $8.21", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 821);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 750);
    df_extraction_clear(&x);
}
END_TEST

/* The payment is chosen on its own labels: the change line cannot be
 * dropped to save a total it contradicts. */
START_TEST(payment_chosen_first)
{
    const char *lines[] = {"Subtotal 20.00", "Total GET 120", "CASH : 100.00", "Change : 78.80",
                           NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 2120);
    df_extraction_clear(&x);
    /* a card payment equal to the total confirms it; cash alone is no total */
    const char *card[] = {"Total 12.50", "VISA 12.50", NULL};
    receipt(M, card, &x);
    ck_assert_int_eq(grand(&x), 1250);
    df_extraction_clear(&x);
    const char *cash[] = {"CASH 100.00", NULL};
    receipt(M, cash, &x);
    ck_assert_int_eq(grand(&x), -1);
    df_extraction_clear(&x);
}
END_TEST

/* Two repairs of different kinds in one assignment are a coincidence: a
 * subtotal and a total each missing a different leading digit do not
 * make a sum. */
START_TEST(one_repair_per_assignment)
{
    const char *lines[] = {"Subtotal 15.00", "GST 6% 0.90", "Total 25.90", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 2590);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 1500);
    df_extraction_clear(&x);
}
END_TEST

/* A faint comma lost twice ("22,40" and "3214,10" read "2240" and
 * "321410"): two points put back are believed where the sum with its tax
 * holds to the cent (rule totals.variant_point); not without a tax. */
START_TEST(two_points_put_back)
{
    const char *lines[] = {"Total hors taxes 2738,16 EUR", "Remise commerciale 3 % -82,14 EUR",
                           "Port et emballage 2240 EUR", "TVA 20% 535,68 EUR",
                           "TOTAL TTC 321410 EUR", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 321410);
    ck_assert_int_eq(x.totals[DF_TOT_CHARGES].minor, 2240);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 53568);
    df_extraction_clear(&x);

    const char *untaxed[] = {"Subtotal 27,00", "Service 2240", "Total 4940", NULL};
    receipt(M, untaxed, &x);
    ck_assert(grand(&x) != 4940);
    df_extraction_clear(&x);
}
END_TEST

/* A tax of two digits whose point OCR lost ("TX 8.25% TAX 74" for .74) is
 * read as cents where the sum holds to the cent, and only there. */
START_TEST(two_digit_tax_lost_its_point)
{
    const char *lost[] = {"SUBTOTAL 8.99", "TX 8.25% TAX 74", "TOTAL 9.73", NULL};
    const char *whole[] = {"Subtotal 899.00", "Tax 74", "Total 973.00", NULL};
    expect_totals(lost, 973, 74);
    expect_totals(whole, 97300, 7400);
}
END_TEST

/* A second VAT rate whose comma was lost ("TVA (5.5 %)  1220 EUR" for
 * 12,20) is read by its repair where the sum with both taxes is exact; a
 * repaired figure is no second tax where the tax is included and any
 * figure would do ("Tax. Inv.No : 51327" beside an included VAT). */
START_TEST(second_tax_by_its_repair)
{
    const char *lines[] = {"Total HT 6 523,85 EUR", "TVA 20 % sur 6 302,00 1 260,40 EUR",
                           "TVA (5.5 %) 1220 EUR", "Total a payer 7 796,45 EUR", NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 779645);
    ck_assert_int_eq(x.totals[DF_TOT_SUBTOTAL].minor, 652385);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 127260);
    df_extraction_clear(&x);

    const char *incl[] = {"Tax. Inv.No : 51327", "Sub Total : 1090.00", "Service Charge 10% : 109.00",
                          "Total: 1,199.00", "VAT(7.00%) : 78.44", NULL};
    receipt(M, incl, &x);
    ck_assert_int_eq(grand(&x), 119900);
    ck_assert_int_eq(x.totals[DF_TOT_TAX].minor, 7844);
    df_extraction_clear(&x);
}
END_TEST

/* Indian invoices print the rupee sign before every figure, and OCR reads it
 * differently each time (7, $, 3): two repairs of different kinds are
 * believed when the amount in words vouches for the total's. */
START_TEST(amount_in_words_vouches)
{
    const char *lines[] = {"Sub Total 5,42,979.80", "CGST 749,118.53", "SGST 49,118.53",
                           "Total (INR) 36,41,216.86",
                           "Rupees Six Lakh Forty One Thousand Two Hundred Sixteen and Eighty Six "
                           "Paise Only",
                           NULL};
    df_extraction x;
    receipt(M, lines, &x);
    ck_assert_int_eq(grand(&x), 64121686);
    ck_assert_int_eq(x.totals[DF_TOT_CGST].minor, 4911853);
    df_extraction_clear(&x);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("totals");
    TCase *tc = tcase_create("totals");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, sums_signs_and_tolerances);
    tcase_add_test(tc, sums_of_items);
    tcase_add_test(tc, sums_of_a_line);
    tcase_add_test(tc, paid_total_makes_a_receipt);
    tcase_add_test(tc, receipt_numbered_by_its_order);
    tcase_add_test(tc, weights_file_checked);
    tcase_add_test(tc, vendor_weights_file_checked);
    tcase_add_test(tc, vendor_named_again_in_the_footer);
    tcase_add_test(tc, labels_file_checked);
    tcase_add_test(tc, rules_registry);
    tcase_add_test(tc, rule_switched_off);
    tcase_add_test(tc, unlabelled_total_by_the_sum);
    tcase_add_test(tc, tied_payments_by_the_sum);
    tcase_add_test(tc, labels_in_other_languages);
    tcase_add_test(tc, tax_under_its_plural_label);
    tcase_add_test(tc, rounding_in_other_languages);
    tcase_add_test(tc, discount_and_tip_in_the_sum);
    tcase_add_test(tc, due_before_tip_is_not_net);
    tcase_add_test(tc, column_titles_label_a_tax_summary);
    tcase_add_test(tc, slash_title_labels_nothing);
    tcase_add_test(tc, a_quoted_base_is_no_tax);
    tcase_add_test(tc, summary_sum_row_by_its_titles);
    tcase_add_test(tc, titles_split_at_column_gaps);
    tcase_add_test(tc, rows_at_one_rate_are_one_tax);
    tcase_add_test(tc, a_rate_names_its_base);
    tcase_add_test(tc, no_tax_reaches_its_total);
    tcase_add_test(tc, state_tax_outside_india);
    tcase_add_test(tc, tax_included_in_the_prices);
    tcase_add_test(tc, compound_labels);
    tcase_add_test(tc, total_against_its_parts);
    tcase_add_test(tc, payment_chosen_first);
    tcase_add_test(tc, one_repair_per_assignment);
    tcase_add_test(tc, two_points_put_back);
    tcase_add_test(tc, two_digit_tax_lost_its_point);
    tcase_add_test(tc, second_tax_by_its_repair);
    tcase_add_test(tc, amount_in_words_vouches);
    tcase_add_test(tc, early_payment_discount_is_no_discount);
    tcase_add_test(tc, tax_label_with_its_number);
    tcase_add_test(tc, tax_by_the_value_the_sum_needs);
    tcase_add_test(tc, letter_runs_count_characters);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
