/* test_recall_match.c — the comparison rules of `docflow recall`. The tool's
 * matcher is compiled in directly: it is not part of the library. */
#include <check.h>
#include <stdlib.h>

#include "../../tools/docflow/recall_match.c"

START_TEST(names_normalise)
{
    char *n = df_match_normalize("  Book Ta .K (Taman  Daya) sdn-bhd ");
    ck_assert_str_eq(n, "BOOK TA K TAMAN DAYA SDN BHD");
    free(n);
    ck_assert(df_match_name("xx\nBOOK TA.K(TAMAN DAYA) SDN BHD\n", "BOOK TA .K (TAMAN DAYA) SDN BHD"));
    ck_assert(!df_match_name("BOOK TA K TAMAN DAYA SDN BHDX", "BOOK TA .K (TAMAN DAYA) SDN BHD"));
    ck_assert(!df_match_name("XBOOK TA K", "BOOK TA K"));
    ck_assert(!df_match_name("anything", ""));
    ck_assert(!df_match_name("anything", " .. "));
}
END_TEST

START_TEST(compact_labels)
{
    ck_assert(df_match_compact("xx\nKOREAN  RESTAURANT\n", "KOREANRESTAURANT"));
    ck_assert(df_match_compact("15038 NACOGDOCHES RD\nSAN ANTONIO, TX 78233", "15038NACOGDOCHESRD SANANTONIO,TX78233"));
    ck_assert(df_match_compact("Fri 12/30/2016", "12/30/2016FRI") == 0);
    ck_assert(df_match_compact("12/30/2016 fri", "12/30/2016FRI"));
    ck_assert(!df_match_compact("KOREAN RESTAURAN", "KOREANRESTAURANT"));
    ck_assert(!df_match_compact("anything", ""));
    ck_assert(!df_match_compact("anything", " / "));
}
END_TEST

START_TEST(verbatim_respects_number_edges)
{
    ck_assert(df_match_verbatim("Date: 25/12/2018 10:00", "25/12/2018"));
    ck_assert(!df_match_verbatim("125/12/2018", "25/12/2018"));
    ck_assert(!df_match_verbatim("25/12/20181", "25/12/2018"));
    ck_assert(!df_match_verbatim("25/12/2O18", "25/12/2018"));
    ck_assert(!df_match_verbatim("x", ""));
    ck_assert(df_match_verbatim_ci("18 Mar 2018 18:25", "18 MAR 2018"));
    ck_assert(!df_match_verbatim("18 Mar 2018 18:25", "18 MAR 2018"));
    /* OCR's spacing is layout: a run of spaces is one; a line break is not */
    ck_assert(df_match_verbatim_ci("Date: 25 Mar  2018 9:27PM", "25 MAR 2018"));
    ck_assert(df_match_verbatim_ci("Date: 25\tMar \t 2018", "25  MAR 2018"));
    ck_assert(!df_match_verbatim_ci("Date: 25 Mar\n2018", "25 MAR 2018"));
    ck_assert(!df_match_verbatim_ci("Date: 25 Mar2018", "25 MAR 2018"));
}
END_TEST

START_TEST(amounts_in_every_grouping)
{
    ck_assert(df_match_amount("Total 1,23,456.00", 123456.0));
    ck_assert(df_match_amount("Total 1,234.56", 1234.56));
    ck_assert(df_match_amount("Summe 1.234,56 EUR", 1234.56));
    ck_assert(df_match_amount("Total 1 234,56", 1234.56));
    ck_assert(df_match_amount("RM436.20", 436.2));
    ck_assert(df_match_amount("TOTAL 9.00 9.00", 9.0));
    ck_assert(!df_match_amount("Total 1,234.57", 1234.56));
    ck_assert(!df_match_amount("Total 11,234.56", 1234.56));
    ck_assert(!df_match_amount("no numbers", 0.5));
    ck_assert(df_match_amount_str("CASH 436.20", "RM 436.20"));
    ck_assert(df_match_amount_str("Total: $9.00", "$9.00"));
    ck_assert(!df_match_amount_str("Total: 9.00", "RM"));
}
END_TEST

START_TEST(iso_dates_in_printed_forms)
{
    ck_assert(df_match_iso_date("Date: 01/07/2024", "2024-07-01"));
    ck_assert(df_match_iso_date("Date: 01-07-24", "2024-07-01"));
    ck_assert(df_match_iso_date("Date: 01-Jul-2024", "2024-07-01"));
    ck_assert(df_match_iso_date("Date: 1 July 2024", "2024-07-01"));
    ck_assert(df_match_iso_date("Date: JULY 1, 2024", "2024-07-01"));
    ck_assert(df_match_iso_date("Date: 2024-07-01", "2024-07-01"));
    ck_assert(df_match_iso_date("Date: 14.12.2024", "2024-12-14"));
    ck_assert(df_match_iso_date("Date: 1   July  2024", "2024-07-01"));
    ck_assert(!df_match_iso_date("Date: 1 July\n2024", "2024-07-01"));
    ck_assert(!df_match_iso_date("Date: 02/07/2024", "2024-07-01"));
    ck_assert(!df_match_iso_date("Date: 11/07/2024", "2024-07-01"));
    ck_assert(!df_match_iso_date("x", "2024-13-01"));
    ck_assert(!df_match_iso_date("x", "garbage"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("recall_match");
    TCase *t = tcase_create("rules");
    tcase_add_test(t, names_normalise);
    tcase_add_test(t, compact_labels);
    tcase_add_test(t, verbatim_respects_number_edges);
    tcase_add_test(t, amounts_in_every_grouping);
    tcase_add_test(t, iso_dates_in_printed_forms);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
