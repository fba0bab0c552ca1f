/* test_parse_currency.c — the model loader (lib/extract/model.h) and
 * currency detection (lib/extract/currency.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract/currency.h"
#include "testutil.h"

static df_model *g_model;

static const char *best(const char *text, const df_currency_context *ctx, df_currency_guess *g)
{
    static df_currency_guess tmp;
    if (!g)
        g = &tmp;
    if (!df_currency_detect(g_model, text, strlen(text), ctx, g))
        return "";
    return g->code;
}

START_TEST(symbols_codes_words)
{
    ck_assert_str_eq(best("Total \xE2\x82\xB9 59,000.00", NULL, NULL), "INR");
    ck_assert_str_eq(best("Amount Rs. 500", NULL, NULL), "INR");
    ck_assert_str_eq(best("Rupees Fifty Only", NULL, NULL), "INR");
    ck_assert_str_eq(best("Total RM 12.50", NULL, NULL), "MYR");
    ck_assert_str_eq(best("Ringgit Malaysia Ten", NULL, NULL), "MYR");
    ck_assert_str_eq(best("MYR 10", NULL, NULL), "MYR");
    ck_assert_str_eq(best("$ 10.00", NULL, NULL), "USD");
    ck_assert_str_eq(best("USD 10.00", NULL, NULL), "USD");
    ck_assert_str_eq(best("\xE2\x82\xAC 10,00", NULL, NULL), "EUR");
    ck_assert_str_eq(best("EUR", NULL, NULL), "EUR");
    ck_assert_str_eq(best("\xC2\xA3" "5", NULL, NULL), "GBP");
    ck_assert_str_eq(best("GBP", NULL, NULL), "GBP");
    ck_assert_str_eq(best("INR", NULL, NULL), "INR");
    ck_assert_str_eq(best("S$ 5", NULL, NULL), "SGD");
    /* a Malaysian company tips the vote against a euro sign OCR made of "O" */
    ck_assert_str_eq(best("Sale Amt RM)\n0.\xE2\x82\xAC" "C. WHITE 25.56", NULL, NULL), "EUR");
    ck_assert_str_eq(best("GARDENIA BAKERIES (KL) SDN BHD\nSale Amt RM)\n0.\xE2\x82\xAC"
                          "C. WHITE 25.56", NULL, NULL),
                     "MYR");
    ck_assert_str_eq(best("Lot 3, Shah Alam, Malaysia", NULL, NULL), "MYR");
    ck_assert_str_eq(best("no currency, FORM hours", NULL, NULL), ""); /* RM/rs inside words */
    ck_assert_str_eq(best("", NULL, NULL), "");
    /* codes are whole words in capitals: Malay "Sek"/"SEKSYEN" (section)
     * is no krona, "Corp" no rupiah, "Fr." inside a word no franc */
    ck_assert_str_eq(best("FL17920 Sek U9, Shah Alam\nTotal Incl. GST:RM 9.00", NULL, NULL),
                     "MYR");
    ck_assert_str_eq(best("SEKSYEN 13, 40100", NULL, NULL), "");
    ck_assert_str_eq(best("Acme Corp. Unit 4", NULL, NULL), "");
    ck_assert_str_eq(best("Total SEK 120,00", NULL, NULL), "SEK");
    ck_assert_str_eq(best("Betrag CHF 1'234.50", NULL, NULL), "CHF");
}
END_TEST

START_TEST(counts_and_context)
{
    df_currency_guess g;
    ck_assert_str_eq(best("$1 $2 $3 \xE2\x82\xB9 4", NULL, &g), "USD"); /* 3 vs 3: first seen wins */
    ck_assert_int_eq(g.margin, 0);
    ck_assert_str_eq(best("$1 $2 $3 $4 \xE2\x82\xB9 4", NULL, &g), "USD");
    ck_assert_int_eq(g.ev[0].count, 4);
    ck_assert_int_eq(g.ncodes, 2);
    ck_assert_int_eq(g.margin, 1);
    df_currency_context ctx = {.has_gstin = 1};
    ck_assert_str_eq(best("$1 $2 $3 $4", &ctx, &g), "INR");
    ck_assert_int_eq(g.score, DF_CURRENCY_CONTEXT_WEIGHT);
    ck_assert_str_eq(best("nothing", &ctx, &g), "INR");
    /* with a GSTIN, any number of bare signs ("₹" misread) stay INR ... */
    ck_assert_str_eq(best("$1 $2 $3 $4 $5 $6 \xC2\xA3" "7 \xC2\xA5" "8", &ctx, &g), "INR");
    ck_assert_int_eq(g.ncodes, 1);
    /* ... but a currency written in letters still counts */
    ck_assert_str_eq(best("USD 1 USD 2 US$ 3", &ctx, &g), "USD");
    df_currency_context my = {.has_my_tax = 1};
    ck_assert_str_eq(best("$1", &my, &g), "MYR");
    /* a UK VAT id weighs as one sign: alone it decides, any sign or code
     * written on the document outweighs or ties it first */
    df_currency_context uk = {0, 0, "GBP"};
    ck_assert_str_eq(best("nothing", &uk, &g), "GBP");
    ck_assert_int_eq(g.score, 1);
    ck_assert_str_eq(best("USD 1 USD 2", &uk, &g), "USD");
    ck_assert_str_eq(best("\xE2\x82\xAC" "5", &uk, &g), "EUR");
    ck_assert(!df_currency_detect(NULL, "INR", 3, NULL, &g));
    ck_assert(!df_currency_detect(g_model, NULL, 3, NULL, &g));
    ck_assert(df_currency_detect(g_model, "INR", 3, NULL, NULL));
}
END_TEST

START_TEST(many_codes_bounded)
{
    /* more distinct codes than evidence slots must not overflow */
    char buf[4096] = "";
    for (int i = 0; i < 40; i++)
        strcat(buf, i % 2 ? "USD EUR GBP INR MYR SGD AED " : "$ ");
    df_currency_guess g;
    ck_assert(df_currency_detect(g_model, buf, strlen(buf), NULL, &g));
    ck_assert(g.ncodes <= DF_CURRENCY_MAX_CODES);
}
END_TEST

static char *tmpdir_with(const char *file, const char *content)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/df-model-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    static const char *const names[] = {"currency.txt", "months.txt", "numwords.txt",
                                        "moneywords.txt", "wordlabels.txt"};
    for (int i = 0; i < 5; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        FILE *f = fopen(p, "w");
        ck_assert_ptr_nonnull(f);
        if (!strcmp(names[i], file))
            fputs(content, f);
        else if (i < 4)
            fputs("# ok\nx\t1\n", f);
        else
            fputs("In words\n", f);
        fclose(f);
    }
    return dir;
}

static void rm_dir(const char *dir)
{
    static const char *const names[] = {"currency.txt", "months.txt", "numwords.txt",
                                        "moneywords.txt", "wordlabels.txt"};
    char p[128];
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

START_TEST(loader_errors)
{
    df_err err = {0};
    ck_assert_ptr_null(df_model_load("/nonexistent-docflow", &err));
    ck_assert_int_eq(err.code, DF_E_FILE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "currency.txt"));
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(df_model_load(NULL, &err));
    ck_assert_int_eq(err.code, DF_E_INVALID_ARGUMENT);
    char *d = tmpdir_with("months.txt", "January\t1\nFebruary\ttwo\n");
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(df_model_load(d, &err));
    ck_assert_int_eq(err.code, DF_E_CORRUPT_FILE);
    ck_assert_ptr_nonnull(strstr(err.msg, "months.txt line 2"));
    rm_dir(d);
    d = tmpdir_with("currency.txt", "\xE2\x82\xB9\n");
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(df_model_load(d, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "currency.txt line 1"));
    rm_dir(d);
    d = tmpdir_with("currency.txt", "a\tb\tc\td\n");
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(df_model_load(d, &err));
    rm_dir(d);
    d = tmpdir_with("currency.txt", "# only comments, CRLF ok\r\nKR\tKRW\t3\r\n\r\n");
    df_model *m = df_model_load(d, &err);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->currency.n, 1);
    ck_assert_str_eq(m->currency.v[0].val, "KRW");
    ck_assert_int_eq(m->currency.v[0].num, 3);
    df_model_free(m);
    rm_dir(d);
    df_model_free(NULL);
    ck_assert_ptr_null(df_model_match(NULL, "x", 0, 1));
    ck_assert_ptr_null(df_model_match(&g_model->currency, "x", 5, 1));
}
END_TEST

int main(void)
{
    g_model = df_test_load_model();
    if (!g_model)
        return EXIT_FAILURE;
    Suite *s = suite_create("parse_currency");
    TCase *t = tcase_create("currency");
    tcase_add_test(t, symbols_codes_words);
    tcase_add_test(t, counts_and_context);
    tcase_add_test(t, many_codes_bounded);
    tcase_add_test(t, loader_errors);
    suite_add_tcase(s, t);
    int rc = df_test_run(s);
    df_model_free(g_model);
    return rc;
}
