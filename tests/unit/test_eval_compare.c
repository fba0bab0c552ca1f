/* test_eval_compare.c — the comparison rules of `docflow eval`. The tool's
 * rules are compiled in directly: they are not part of the library. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/docflow/eval_compare.c"

START_TEST(normalisation)
{
    char *n = df_eval_norm("  Book Ta .K (Taman  Daya) sdn-bhd ");
    ck_assert_str_eq(n, "BOOK TA K TAMAN DAYA SDN BHD");
    free(n);
    n = df_eval_norm(" .,- ");
    ck_assert_str_eq(n, "");
    free(n);
    n = df_eval_norm(NULL);
    ck_assert_str_eq(n, "");
    free(n);
    /* Latin-1 letters are upper-cased like ASCII ones; other letters are
     * kept as bytes (not dropped, not folded to ASCII); signs outside ASCII
     * go like ASCII punctuation: the labels compare letters and digits */
    n = df_eval_norm("Café  Lumière! ÷ Straße");
    ck_assert_str_eq(n, "CAFÉ LUMIÈRE STRAßE");
    free(n);
    n = df_eval_norm("RISTORANTE \u201cIL SANTO\u201d \u00a9 \u20ac5 \u0394\u00ab");
    ck_assert_str_eq(n, "RISTORANTE IL SANTO 5 \u0394");
    free(n);
    /* beyond the BMP a script's letter, whole; a stray byte no letter */
    n = df_eval_norm("a\xf0\x9f\x98\x80" "b \x80" "c");
    ck_assert_str_eq(n, "A\xf0\x9f\x98\x80" "B C");
    free(n);
    /* 0xF8..0xFF start no sequence: stray bytes, whatever follows */
    n = df_eval_norm("a\xf8\x80\x80" "b\xff\x80\x80\x80" "c");
    ck_assert_str_eq(n, "A B C");
    free(n);
    ck_assert(df_eval_name_eq("RISTORANTE \"IL SANTO BEVITORE\"",
                              "RISTORANTE \u201cIL SANTO BEVITORE"));
    ck_assert(df_eval_name_eq("Café Lumière", "CAFÉ LUMIÈRE"));
    ck_assert(!df_eval_name_eq("Café Lumière", "CAFE LUMIERE"));
    ck_assert(df_eval_name_eq("Om Sai Printers Pvt. Ltd.", "OM SAI PRINTERS PVT LTD"));
    ck_assert(!df_eval_name_eq("Om Sai Printers", "Om Sai Printer"));
    ck_assert(df_eval_name_eq("OSP/1098/23-24", "osp 1098 23 24"));
    ck_assert(df_eval_tax_id_eq("21 knmco 0827c2zv", "21KNMCO0827C2ZV"));
    ck_assert(!df_eval_tax_id_eq("21KNMCO0827C2Z", "21KNMCO0827C2ZV"));
    ck_assert(!df_eval_tax_id_eq("21-KNMCO0827C2ZV", "21KNMCO0827C2ZV"));
    ck_assert(df_eval_code_eq(" inr ", "INR"));
    ck_assert(!df_eval_code_eq("INR", "USD"));
    ck_assert(!df_eval_code_eq("", "INR"));
}
END_TEST

START_TEST(levenshtein_edges)
{
    size_t la, lb;
    ck_assert_uint_eq(df_eval_levenshtein("", "", &la, &lb), 0);
    ck_assert_uint_eq(la, 0);
    ck_assert_uint_eq(df_eval_levenshtein("", "abc", NULL, NULL), 3);
    ck_assert_uint_eq(df_eval_levenshtein("abc", "", NULL, NULL), 3);
    ck_assert_uint_eq(df_eval_levenshtein("kitten", "sitting", NULL, NULL), 3);
    ck_assert_uint_eq(df_eval_levenshtein(NULL, "a", NULL, NULL), 1);
    /* Code points, not bytes: é (2 bytes) vs e is one substitution. */
    ck_assert_uint_eq(df_eval_levenshtein("café", "cafe", &la, &lb), 1);
    ck_assert_uint_eq(la, 4);
    ck_assert_uint_eq(df_eval_levenshtein("€5", "5", NULL, NULL), 1);
    /* A lone continuation or truncated lead byte is one unit each. */
    ck_assert_uint_eq(df_eval_levenshtein("a\x80", "a", &la, NULL), 1);
    ck_assert_uint_eq(la, 2);
    ck_assert_uint_eq(df_eval_levenshtein("a\xE2\x82", "a", &la, NULL), 2);
    ck_assert_uint_eq(la, 3);
}
END_TEST

START_TEST(similarity_and_cer)
{
    ck_assert(df_eval_similarity("", "") == 1.0);
    ck_assert(df_eval_similarity(" - ", "") == 1.0);
    ck_assert(df_eval_similarity("abc", "") == 0.0);
    ck_assert(df_eval_similarity("Graphic Design Charges", "GRAPHIC DESIGN CHARGES.") == 1.0);
    /* 1 edit in 10 code points: 0.9, exactly the line-item threshold. */
    ck_assert_double_eq_tol(df_eval_similarity("abcdefghij", "abcdefghiX"), 0.9, 1e-12);
    ck_assert(df_eval_cer("", "") == 0.0);
    ck_assert(df_eval_cer("", "x") == 1.0);
    ck_assert(df_eval_cer("abc", "") == 1.0);
    ck_assert(df_eval_cer("NO.53 JALAN", "no 53 jalan") == 0.0);
    /* CER can exceed 1 when the prediction is much longer. */
    ck_assert(df_eval_cer("ab", "abcdef") == 2.0);
    ck_assert_double_eq_tol(df_eval_cer("0123456789", "012345678"), 0.1, 1e-12);
}
END_TEST

/* WildReceipt: labels lost their spaces, so both sides lose every
 * non-alphanumeric character before comparing. */
START_TEST(compact_forms)
{
    char *c = df_eval_compact(" Korean  Restaurant, inc. ");
    ck_assert_str_eq(c, "KOREANRESTAURANTINC");
    free(c);
    ck_assert(df_eval_compact_eq("KOREANRESTAURANT", "Korean Restaurant"));
    ck_assert(df_eval_compact_eq("CVS/pharmacy", "CVS pharmacy"));
    ck_assert(!df_eval_compact_eq("CVS/pharmacy", "CVS pharmacy inc"));
    ck_assert(!df_eval_compact_eq("", "x"));
    ck_assert(df_eval_compact_eq("", " - "));
    ck_assert(df_eval_compact_cer("15038NACOGDOCHESRD", "15038 Nacogdoches Rd.") == 0.0);
    /* one edit in 10 characters is still right (0.1), two are not */
    ck_assert_double_eq_tol(df_eval_compact_cer("ABCDEFGHIJ", "ABC DEFGHIX"), 0.1, 1e-12);
    ck_assert_double_eq_tol(df_eval_compact_cer("ABCDEFGHIJ", "XBC DEFGHIX"), 0.2, 1e-12);
    ck_assert(df_eval_compact_cer("AB", "") == 1.0);
}
END_TEST

static const char *iso_of(const char *label)
{
    static char iso[11];
    return df_eval_parse_date_label(label, iso) == 0 ? iso : "ERR";
}

START_TEST(sroie_date_labels)
{
    ck_assert_str_eq(iso_of("25/12/2018"), "2018-12-25");
    ck_assert_str_eq(iso_of("9/2/2017"), "2017-02-09");
    ck_assert_str_eq(iso_of("28/04/18"), "2018-04-28");
    ck_assert_str_eq(iso_of("25-12-18"), "2018-12-25");
    ck_assert_str_eq(iso_of("25.12.2018"), "2018-12-25");
    ck_assert_str_eq(iso_of("25 DEC 2018"), "2018-12-25");
    ck_assert_str_eq(iso_of("15 JUN 18"), "2018-06-15");
    ck_assert_str_eq(iso_of("1 December 2018"), "2018-12-01");
    ck_assert_str_eq(iso_of("2018-03-23"), "2018-03-23");
    ck_assert_str_eq(iso_of(" 25/12/2018 10:15 "), "2018-12-25");
    ck_assert_str_eq(iso_of("29/02/2016"), "2016-02-29");
    ck_assert_str_eq(iso_of("29/02/2017"), "ERR");
    ck_assert_str_eq(iso_of("12/25/2018"), "ERR"); /* day first: no month 25 */
    ck_assert_str_eq(iso_of("25/12/20181"), "ERR");
    ck_assert_str_eq(iso_of("25/12/218"), "ERR");
    ck_assert_str_eq(iso_of("25 XYZ 2018"), "ERR");
    ck_assert_str_eq(iso_of("25/12/2018 total"), "ERR");
    ck_assert_str_eq(iso_of(""), "ERR");
    ck_assert_str_eq(iso_of(NULL), "ERR");
}
END_TEST

START_TEST(amount_labels)
{
    double v;
    ck_assert_int_eq(df_eval_parse_amount_label("436.20", &v), 0);
    ck_assert_double_eq_tol(v, 436.20, 1e-9);
    ck_assert_int_eq(df_eval_parse_amount_label("RM 3.30", &v), 0);
    ck_assert_double_eq_tol(v, 3.30, 1e-9);
    ck_assert_int_eq(df_eval_parse_amount_label("RM78.30", &v), 0);
    ck_assert_double_eq_tol(v, 78.30, 1e-9);
    ck_assert_int_eq(df_eval_parse_amount_label("$8.70", &v), 0);
    ck_assert_double_eq_tol(v, 8.70, 1e-9);
    ck_assert_int_eq(df_eval_parse_amount_label("-1.73", &v), 0);
    ck_assert_double_eq_tol(v, -1.73, 1e-9);
    ck_assert_int_eq(df_eval_parse_amount_label("1,234.50", &v), 0);
    ck_assert_double_eq_tol(v, 1234.50, 1e-9);
    ck_assert_int_eq(df_eval_parse_amount_label("9", &v), 0);
    ck_assert_double_eq_tol(v, 9, 1e-9);
    ck_assert_int_eq(df_eval_parse_amount_label("RM", &v), -1);
    ck_assert_int_eq(df_eval_parse_amount_label("1.2.3", &v), -1);
    ck_assert_int_eq(df_eval_parse_amount_label("", &v), -1);
    ck_assert(df_eval_amount_eq(436.20, 436.21));
    ck_assert(df_eval_amount_eq(0.1 + 0.2, 0.31));
    ck_assert(!df_eval_amount_eq(436.20, 436.22));
}
END_TEST

START_TEST(line_items_match)
{
    df_eval_item t[] = {{"Flex Banner Printing", 440, 1}, {"Graphic Design Charges", 16570, 1}};
    df_eval_item p[] = {{"GRAPHIC DESIGN CHARGES", 16570.004, 1}, {"Flex Banner Printng", 440, 1},
                        {"Flex Banner Printing", 441, 1}};
    ck_assert_int_eq(df_eval_match_items(t, 2, p, 3), 2);
    ck_assert_int_eq(df_eval_match_items(t, 2, p, 0), 0);
    ck_assert_int_eq(df_eval_match_items(t, 0, p, 3), 0);
    /* Wrong total, or no total at all, never matches. */
    df_eval_item nototal = {"Flex Banner Printing", 0, 0};
    ck_assert(!df_eval_item_match(&t[0], &p[2]));
    ck_assert(!df_eval_item_match(&t[0], &nototal));
    /* Duplicates: two identical truth lines need two predictions. */
    df_eval_item dup[] = {{"Espresso", 2.2, 1}, {"Espresso", 2.2, 1}};
    ck_assert_int_eq(df_eval_match_items(dup, 2, dup, 1), 1);
    ck_assert_int_eq(df_eval_match_items(dup, 2, dup, 2), 2);
    ck_assert_int_eq(df_eval_match_items(dup, 1, dup, 2), 1);
    /* Optimal, not greedy: truth 0 matches both predictions, truth 1 only
     * the first. Greedy in truth order would give truth 0 the first
     * prediction and leave truth 1 unmatched (1); the optimum is 2. */
    df_eval_item tt[] = {{"Printed Carry Bags", 10, 1}, {"Printed Carry Bag", 10, 1}};
    df_eval_item pp[] = {{"Printed Carry Bag", 10, 1}, {"Printed Carry Bags.", 10, 1}};
    ck_assert(df_eval_item_match(&tt[0], &pp[0]) && df_eval_item_match(&tt[0], &pp[1]));
    df_eval_item far[] = {{"Printed Carry Bag", 10, 1}, {"Printed Carry Bagsxx", 10, 1}};
    ck_assert(df_eval_item_match(&tt[0], &far[0]) && df_eval_item_match(&tt[0], &far[1]));
    ck_assert(df_eval_item_match(&tt[1], &far[0]) && !df_eval_item_match(&tt[1], &far[1]));
    ck_assert_int_eq(df_eval_match_items(tt, 2, far, 2), 2);
}
END_TEST

START_TEST(prf_conventions)
{
    double p, r, f;
    df_eval_prf(0, 0, 0, &p, &r, &f); /* nothing true, nothing predicted */
    ck_assert(p == 1 && r == 1 && f == 1);
    df_eval_prf(0, 0, 5, &p, &r, &f); /* nothing predicted */
    ck_assert(p == 0 && r == 0 && f == 0);
    df_eval_prf(0, 4, 0, &p, &r, &f); /* nothing true */
    ck_assert(p == 0 && r == 0 && f == 0);
    df_eval_prf(3, 4, 6, &p, &r, &f);
    ck_assert_double_eq_tol(p, 0.75, 1e-12);
    ck_assert_double_eq_tol(r, 0.5, 1e-12);
    ck_assert_double_eq_tol(f, 0.6, 1e-12);
}
END_TEST

static int drops_seen, missing_seen;
static void on_drop(void *ud, const char *name, double cur, double base, int missing)
{
    (void)ud, (void)name, (void)cur, (void)base;
    drops_seen++;
    missing_seen += missing;
}

START_TEST(baseline_logic)
{
    df_eval_figure base[] = {{"synthetic/date", 50.0}, {"synthetic/line_items.f1", 20.0},
                             {"sroie/vendor.name", 10.0}};
    df_eval_figure same[] = {{"sroie/vendor.name", 10.0}, {"synthetic/date", 50.0},
                             {"synthetic/line_items.f1", 20.0}, {"synthetic/new", 0.0}};
    drops_seen = missing_seen = 0;
    ck_assert_int_eq(df_eval_check_baseline(same, 4, base, 3, on_drop, NULL), 0);
    ck_assert_int_eq(drops_seen, 0);
    df_eval_figure worse[] = {{"synthetic/date", 49.99}, {"synthetic/line_items.f1", 25.0}};
    ck_assert_int_eq(df_eval_check_baseline(worse, 2, base, 3, on_drop, NULL), 2);
    ck_assert_int_eq(drops_seen, 2);
    ck_assert_int_eq(missing_seen, 1); /* sroie/vendor.name absent */
    /* An empty baseline always holds; an empty run fails every figure. */
    ck_assert_int_eq(df_eval_check_baseline(worse, 2, base, 0, NULL, NULL), 0);
    ck_assert_int_eq(df_eval_check_baseline(NULL, 0, base, 3, NULL, NULL), 3);
}
END_TEST

START_TEST(reliability_bins)
{
    ck_assert_int_eq(df_eval_rel_bin(0.0), 0);
    ck_assert_int_eq(df_eval_rel_bin(0.1999), 0);
    ck_assert_int_eq(df_eval_rel_bin(0.2), 1);
    ck_assert_int_eq(df_eval_rel_bin(0.6), 3); /* 0.6 is not exact in binary */
    ck_assert_int_eq(df_eval_rel_bin(0.7999), 3);
    ck_assert_int_eq(df_eval_rel_bin(0.8), 4);
    ck_assert_int_eq(df_eval_rel_bin(1.0), 4); /* the last bin is closed */
    ck_assert_int_eq(df_eval_rel_bin(1.5), 4);
    ck_assert_int_eq(df_eval_rel_bin(-0.3), 0);
    ck_assert_int_eq(df_eval_rel_bin(NAN), 0);

    df_eval_rel b[DF_EVAL_REL_BINS + 1];
    memset(b, 0, sizeof b);
    df_eval_rel_add(b, 0.95, 10, 10);
    df_eval_rel_add(b, 0.85, 10, 8);
    df_eval_rel_add(b, 0.9, 5, 4);  /* counts in [0.8,1.0] and in >= 0.9 */
    df_eval_rel_add(b, 0.1, 4, 0);
    df_eval_rel_add(b, 2.0, 1, 1);  /* clamped to 1 */
    ck_assert_int_eq(b[4].docs, 4);
    ck_assert_int_eq(b[4].fields, 26);
    ck_assert_int_eq(b[4].right, 23);
    ck_assert_double_eq_tol(b[4].conf_sum, 0.95 + 0.85 + 0.9 + 1.0, 1e-12);
    ck_assert_int_eq(b[DF_EVAL_REL_BINS].docs, 3);
    ck_assert_int_eq(b[DF_EVAL_REL_BINS].fields, 16);
    ck_assert_int_eq(b[DF_EVAL_REL_BINS].right, 15);
    ck_assert_int_eq(b[0].docs, 1);
    ck_assert_int_eq(b[0].right, 0);
    ck_assert_int_eq(b[1].docs + b[2].docs + b[3].docs, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eval_compare");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, normalisation);
    tcase_add_test(tc, levenshtein_edges);
    tcase_add_test(tc, similarity_and_cer);
    tcase_add_test(tc, compact_forms);
    tcase_add_test(tc, sroie_date_labels);
    tcase_add_test(tc, amount_labels);
    tcase_add_test(tc, line_items_match);
    tcase_add_test(tc, prf_conventions);
    tcase_add_test(tc, baseline_logic);
    tcase_add_test(tc, reliability_bins);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
