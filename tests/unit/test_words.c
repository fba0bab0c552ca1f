/* test_words.c — amounts in words (lib/extract/words.h): English and Indian
 * scales, minor units in every position, labels, spans. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/words.h"
#include "testutil.h"

static df_model *g_model;

static int64_t words(const char *s, int *ok, df_words_amount *w)
{
    df_words_amount tmp;
    if (!w)
        w = &tmp;
    *ok = df_words_parse(g_model, s, strlen(s), 0, w);
    return w->minor;
}

#define W(s, v) do { int ok_; int64_t got_ = words(s, &ok_, NULL); ck_assert_msg(ok_, "not parsed: %s", s); \
    ck_assert_msg(got_ == (v), "%s: got %lld want %lld", s, (long long)got_, (long long)(v)); } while (0)

START_TEST(english_and_indian)
{
    W("Rupees Fifty Nine Thousand Only", 5900000);
    W("Rupees Forty Six Thousand Six Hundred Ten Only", 4661000);
    W("One Lakh Twenty Three Thousand Four Hundred Fifty Six and Paise Fifty Only", 12345650);
    W("Two Crore Fifty Lakh Only", 2500000000LL);
    W("Two Crore Thirty Four Lakh Fifty Six Thousand Seven Hundred Eighty Nine", 2345678900LL);
    W("Two Thousand Crore", 2000LL * 10000000 * 100);
    W("USD One Thousand Two Hundred and 50/100", 120050);
    W("Fifty-Nine", 5900);
    W("Ringgit Malaysia One Hundred Twenty and Sen Fifty Only", 12050);
    W("Ringgit Malaysia Ten and Fifty Sen", 1050);
    W("one hundred and fifty", 15000);
    W("Twelve Hundred", 120000);
    W("One Million Two Hundred Thousand", 120000000);
    W("THREE BILLION", 300000000000LL);
    W("Rupees Ten and Fifty Paise", 1050);
    W("Fifty Paise Only", 50);
    W("Rs. Five Hundred Only.", 50000);
    W("Zero", 0);
    W("Thousand", 100000);
    W("One Lac Five", 10000500);
}
END_TEST

/* The fraction's words cut off by OCR's line order: the whole units are
 * known and say so; a complete phrase is never partial. */
START_TEST(cut_fraction_is_partial)
{
    df_words_amount w;
    int ok;
    int64_t v = words("Rupees Six Lakh Forty One Thousand Two Hundred Sixteen and Paise", &ok, &w);
    ck_assert(ok);
    ck_assert_int_eq(w.partial, 1);
    ck_assert_int_eq(v, 64121600);
    ck_assert(df_words_say(&w, 64121686));
    ck_assert(df_words_say(&w, 64121600));
    ck_assert(!df_words_say(&w, 64121700));
    ck_assert(!df_words_say(&w, 364121686));
    words("Rupees Ten and Fifty Paise", &ok, &w);
    ck_assert(ok);
    ck_assert_int_eq(w.partial, 0);
    ck_assert(df_words_say(&w, 1050));
    ck_assert(!df_words_say(&w, 1000));
    words("One Lakh and Paise Fifty Only", &ok, &w);
    ck_assert_int_eq(w.partial, 0);
    ck_assert_int_eq(w.minor, 10000050);
}
END_TEST

START_TEST(rejects)
{
    int ok;
    words("", &ok, NULL);
    ck_assert(!ok);
    words("Rupees Only", &ok, NULL);
    ck_assert(!ok);
    words("and fifty", &ok, NULL);
    ck_assert(!ok);
    words("Rupees Ten and Paise One Hundred", &ok, NULL); /* paise >= 100 */
    ck_assert(!ok);
    df_words_amount w;
    ck_assert_int_eq(words("Ten and 150/100", &ok, &w), 1000); /* not a fraction: phrase ends */
    ck_assert_uint_eq(w.end, 3);
    words("Ninety Thousand Lakh Crore Billion", &ok, NULL); /* overflow guard */
    ck_assert(!ok);
    ck_assert(!df_words_parse(NULL, "ten", 3, 0, NULL));
    ck_assert(!df_words_parse(g_model, NULL, 3, 0, NULL));
    ck_assert(!df_words_parse(g_model, "ten", 3, 7, NULL));
}
END_TEST

START_TEST(currency_and_span)
{
    df_words_amount w;
    int ok;
    const char *s = "Rupees Fifty Nine Thousand Only  Bank: HDFC";
    words(s, &ok, &w);
    ck_assert(ok);
    ck_assert_str_eq(w.currency, "INR");
    ck_assert_int_eq(strncmp(s + w.start, "Rupees Fifty Nine Thousand Only", w.end - w.start), 0);
    ck_assert_uint_eq(w.end - w.start, strlen("Rupees Fifty Nine Thousand Only"));
    words("Ringgit Malaysia Ten", &ok, &w);
    ck_assert_str_eq(w.currency, "MYR");
    words("Ten and 50/100 and", &ok, &w);
    ck_assert(ok);
    ck_assert_uint_eq(w.end, strlen("Ten and 50/100"));
    ck_assert_str_eq(w.currency, "");
}
END_TEST

START_TEST(find_after_labels)
{
    df_words_amount w;
    const char *t = "Total 59,000.00\nAmount Chargeable (in words): Indian Rupees Fifty Nine Thousand "
                    "Only\nE. & O.E";
    ck_assert(df_words_find(g_model, t, strlen(t), &w));
    ck_assert_int_eq(w.minor, 5900000);
    ck_assert_str_eq(w.currency, "INR");
    ck_assert_int_eq(strncmp(t + w.start, "Indian Rupees Fifty Nine Thousand Only", w.end - w.start), 0);
    t = "In words: Forty Six Thousand Six Hundred Ten";
    ck_assert(df_words_find(g_model, t, strlen(t), &w));
    ck_assert_int_eq(w.minor, 4661000);
    t = "Subtotal ... Rupees One Lakh Only";
    ck_assert(df_words_find(g_model, t, strlen(t), &w));
    ck_assert_int_eq(w.minor, 10000000);
    t = "Amount in words:\nRinggit Malaysia Twenty and Sen Five Only";
    ck_assert(df_words_find(g_model, t, strlen(t), &w));
    ck_assert_int_eq(w.minor, 2005);
    ck_assert_str_eq(w.currency, "MYR");
    t = "Rupees 59000 only. Ten items"; /* digits, not words, after the label */
    ck_assert(!df_words_find(g_model, t, strlen(t), &w));
    ck_assert(!df_words_find(g_model, "", 0, &w));
    ck_assert(!df_words_find(NULL, "In words: ten", 13, &w));
}
END_TEST

START_TEST(wrapped_in_its_column)
{
    /* The phrase wraps in its column while the next column (CGST and its
     * figure) goes on to its right: the next line, where it starts no
     * further right than the phrase did, carries on the phrase. */
    static const struct {
        const char *text;
        int64_t want;
    } cases[] = {
        {"Rupees Six Lakh Sixty Two Thousand Three Hundred Forty      CGST    50,517.90\n"
         "Six Only\n", 66234600},
        {"   Rupees Ninety Four Thousand Nine Hundred Seventy and Paise Fifty    IGST  6,242.41\n"
         "   Seven Only", 9497057},
        {"Rupees Sixteen Thousand One Hundred Twenty Three and   IGST  767.78\n"
         "Paise Twenty Eight\nOnly", 1612328},
        /* "Only" ends it: the line below is not read on */
        {"Rupees Forty Only      CGST  5.00\nSix items", 4000},
        /* the next line starts further right: another column's words */
        {"Rupees Forty      CGST  5.00\n          Six Only", 4000},
        /* one space is no column gap: the phrase simply ended there */
        {"Rupees Forty CGST 5.00\nSix Only", 4000},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        int ok;
        df_words_amount w;
        int64_t got = words(cases[k].text, &ok, &w);
        ck_assert_msg(ok, "case %zu not parsed", k);
        ck_assert_msg(got == cases[k].want, "case %zu: got %lld want %lld", k, (long long)got,
                      (long long)cases[k].want);
    }
}
END_TEST

int main(void)
{
    g_model = df_test_load_model();
    if (!g_model)
        return EXIT_FAILURE;
    Suite *s = suite_create("words");
    TCase *t = tcase_create("words");
    tcase_add_test(t, english_and_indian);
    tcase_add_test(t, rejects);
    tcase_add_test(t, cut_fraction_is_partial);
    tcase_add_test(t, currency_and_span);
    tcase_add_test(t, find_after_labels);
    tcase_add_test(t, wrapped_in_its_column);
    suite_add_tcase(s, t);
    int rc = df_test_run(s);
    df_model_free(g_model);
    return rc;
}
