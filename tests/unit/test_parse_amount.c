/* test_parse_amount.c — money text to minor units (lib/extract/amount.h):
 * every grouping, signs, currencies, OCR noise, ambiguity, locale. */
#include <check.h>

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/amount.h"
#include "testutil.h"

static df_model *g_model;

static int64_t amt(const char *s, df_dec_style st, unsigned flags, int *ok, df_amount *out)
{
    df_amount a;
    *ok = df_amount_parse(g_model, s, strlen(s), st, flags, &a);
    if (out)
        *out = a;
    return a.minor;
}

#define OKS(s, st, fl, v) do { int ok_; int64_t got_ = amt(s, st, fl, &ok_, NULL); \
    ck_assert_msg(ok_, "not parsed: %s", s); \
    ck_assert_msg(got_ == (v), "%s: got %lld want %lld", s, (long long)got_, (long long)(v)); } while (0)
#define OK(s, v) OKS(s, DF_DEC_AUTO, 0, v)
#define NOS(s, fl) do { int ok_; amt(s, DF_DEC_AUTO, fl, &ok_, NULL); ck_assert_msg(!ok_, "parsed: %s", s); } while (0)
#define NO(s) NOS(s, 0)

START_TEST(groupings)
{
    OK("1,23,456.00", 12345600);
    OK("12,34,56,789.50", 12345678950LL);
    OK("1,234.56", 123456);
    OK("1.234,56", 123456);
    OK("1 234,56", 123456);
    OK("1\xC2\xA0" "234,56", 123456);     /* NBSP */
    OK("1\xE2\x80\x89" "234,56", 123456); /* thin space */
    OK("1\xE2\x80\xAF" "234\xE2\x80\xAF" "567,89", 123456789); /* narrow NBSP */
    OK("1'234.56", 123456);
    OK("1\xE2\x80\x99" "234.56", 123456);                      /* Swiss, U+2019 */
    OK("2\xE2\x80\x99" "471\xE2\x80\x99" "900.90", 247190090); /* twice */
    OK("1\xCA\xBC" "234.56", 123456);                          /* U+02BC */
    OK("1234", 123400);
    OK("1234.5", 123450);
    OK("0.5", 50);
    OK("1,23", 123); /* one separator, two digits: decimal */
    OK("1,234,567", 123456700);
    OK("1.234.567", 123456700);
    OK("1.234.567,8", 123456780);
    OK("  59,000.00  ", 5900000);
    OK("999999999999999.99", 99999999999999999LL);
}
END_TEST

START_TEST(malformed)
{
    NO("");
    NO("   ");
    NO("abc");
    NO("1,2345");       /* bad group */
    NO("1,2,345");
    OK("12,34,567.00", 123456700);
}
END_TEST

START_TEST(malformed2)
{
    NO("1,23,4567");
    NO("1234,567.00");    /* first group too long for grouping */
    NO("1,234.5678");     /* 4 decimals */
    NO("1.234,567.00");   /* three kinds of separator */
    NO("1 234 56");       /* space grouping needs 3 digits */
    NO("1234567890123456"); /* 16 integer digits: an id, not money */
    NO("12.00.00,00,0");
    NO("(12.00");
    NO("12.00)");
    NO("--12");
    NO("12a");
    OK("500/-", 50000);
    NO("500/-/-");
    NO("1O0.00");  /* strict: no OCR repair */
}
END_TEST

START_TEST(ambiguity_and_hints)
{
    OKS("1,234", DF_DEC_AUTO, 0, 123400);
    OKS("1.234", DF_DEC_AUTO, 0, 123400);
    OKS("1,234", DF_DEC_COMMA, 0, 123);    /* 1.234 rounded to 1.23 */
    OKS("1.234", DF_DEC_DOT, 0, 123);
    OKS("1.234", DF_DEC_COMMA, 0, 123400); /* hint names the other char */
    OKS("1,234", DF_DEC_DOT, 0, 123400);
    OKS("0,125", DF_DEC_AUTO, 0, 13);      /* "0" cannot be a group: decimal, rounded up */
    OKS("1234,567", DF_DEC_AUTO, 0, 123457); /* 4-digit head cannot be grouped */
    OKS("1,234.56", DF_DEC_COMMA, 0, 123456); /* structure beats the hint */
    OKS("1.005", DF_DEC_DOT, 0, 101);       /* half away from zero */
    OKS("-1.005", DF_DEC_DOT, 0, -101);
    OKS("0.994", DF_DEC_DOT, 0, 99);
    OKS("9.995", DF_DEC_DOT, 0, 1000);
}
END_TEST

START_TEST(negatives)
{
    df_amount a;
    int ok;
    OK("-12.00", -1200);
    OK("\xE2\x88\x92" "12.00", -1200); /* U+2212 */
    OK("(12.00)", -1200);
    OK("( 12.00 )", -1200);
    OK("12.00-", -1200);
    OK("12.00 CR", -1200);
    OK("12.00CR", -1200);
    NO("12 Cr");          /* crore, not credit */
    NO("12.00 Cr");
    amt("-0.00", DF_DEC_AUTO, 0, &ok, &a);
    ck_assert(ok);
    ck_assert_int_eq(a.negative, 0);
    amt("(Rs. 1,234.50)", DF_DEC_AUTO, 0, &ok, &a);
    ck_assert(ok);
    ck_assert_int_eq(a.minor, -123450);
    ck_assert_str_eq(a.currency, "INR");
    ck_assert_int_eq(a.negative, 1);
}
END_TEST

START_TEST(currencies)
{
    static const struct { const char *s; int64_t v; const char *iso; } c[] = {
        {"\xE2\x82\xB9" "59,000.00", 5900000, "INR"}, {"\xE2\x82\xB9 59,000", 5900000, "INR"},
        {"Rs.1,234.50", 123450, "INR"}, {"Rs. 1,234.50", 123450, "INR"}, {"Rs 500", 50000, "INR"},
        {"RS.500/-", 50000, "INR"}, {"Rs. 1,250/- only", 0, NULL}, {"INR 1,00,000", 10000000, "INR"}, {"1,00,000 INR", 10000000, "INR"},
        {"RM 12.50", 1250, "MYR"}, {"RM12.50", 1250, "MYR"}, {"$5", 500, "USD"}, {"-$5.25", -525, "USD"},
        {"$-5.25", -525, "USD"}, {"USD 1,200.50", 120050, "USD"}, {"\xE2\x82\xAC" "1.234,56", 123456, "EUR"},
        {"1.234,56 \xE2\x82\xAC", 123456, "EUR"}, {"1.234,56 EUR", 123456, "EUR"},
        {"\xC2\xA3" "99.99", 9999, "GBP"}, {"GBP 99.99", 9999, "GBP"}, {"12.00", 1200, ""},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        df_amount a;
        int ok;
        amt(c[i].s, DF_DEC_AUTO, 0, &ok, &a);
        if (!c[i].iso) {
            ck_assert_msg(!ok, "parsed %s", c[i].s);
            continue;
        }
        ck_assert_msg(ok, "not parsed: %s", c[i].s);
        ck_assert_msg(a.minor == c[i].v, "%s: %lld", c[i].s, (long long)a.minor);
        ck_assert_str_eq(a.currency, c[i].iso);
    }
    NO("XYZ 12");
    NO("Rsvp 12");
}
END_TEST

START_TEST(lenient_ocr)
{
    df_amount a;
    int ok;
    OKS("1O0.00", DF_DEC_AUTO, DF_AMT_LENIENT, 10000);
    OKS("l,234.56", DF_DEC_AUTO, DF_AMT_LENIENT, 123456);
    OKS("1,2S4.56", DF_DEC_AUTO, DF_AMT_LENIENT, 125456);
    OKS("1, 234.56", DF_DEC_AUTO, DF_AMT_LENIENT, 123456);
    OKS("1,234. 56", DF_DEC_AUTO, DF_AMT_LENIENT, 123456);
    OKS("I2.00", DF_DEC_AUTO, DF_AMT_LENIENT, 1200);
    NOS("1, 234.56", 0);
    NOS("SOLD", DF_AMT_LENIENT);
    NOS("OIL", DF_AMT_LENIENT);
    NOS("O", DF_AMT_LENIENT);
    amt("1,234.56", DF_DEC_AUTO, DF_AMT_LENIENT, &ok, &a);
    ck_assert(ok);
    ck_assert_int_eq(a.repaired, 0);
    amt("12O.00", DF_DEC_AUTO, DF_AMT_LENIENT, &ok, &a);
    ck_assert(ok);
    ck_assert_int_eq(a.repaired, 1);
    ck_assert_int_eq(a.minor, 12000);
    /* cents OCR spread from their figure ("$52    .97"): joined when two
     * digits or more stand before and exactly two after */
    OKS("$52    .97", DF_DEC_AUTO, DF_AMT_LENIENT, 5297);
    OKS("65 ,36", DF_DEC_AUTO, DF_AMT_LENIENT, 6536);
    amt("$52    .97", DF_DEC_AUTO, DF_AMT_LENIENT, &ok, &a);
    ck_assert_int_eq(a.repaired, 1);
    ck_assert_int_eq(a.decimals, 2);
    NOS("$52    .97", 0);
    NOS("3 .53", DF_AMT_LENIENT);
    NOS("52 .975", DF_AMT_LENIENT);
    NOS("52 .97x", DF_AMT_LENIENT);
}
END_TEST

START_TEST(find_in_text)
{
    const char *t = "Qty 2 1,250.00 Total: Rs. 2,500.00 INV2024 (50.00) 2024-07-01";
    size_t len = strlen(t), from = 0;
    df_amount a;
    int64_t want[] = {200, 125000, 250000, -5000, 202400};
    int n = 0;
    while (df_amount_find(g_model, t, len, from, DF_DEC_AUTO, 0, &a) && n < 5) {
        ck_assert_msg(a.minor == want[n], "#%d got %lld", n, (long long)a.minor);
        ck_assert(a.end > a.start && a.end <= len);
        if (n == 2) {
            ck_assert_str_eq(a.currency, "INR");
            ck_assert_int_eq(strncmp(t + a.start, "Rs. 2,500.00", a.end - a.start), 0);
        }
        from = a.end;
        n++;
    }
    ck_assert_int_eq(n, 5);
    /* a figure grouped with U+2019 is found whole, not from its last group */
    const char *ch = "Subtotale 2\xE2\x80\x99" "471.90 CHF";
    ck_assert(df_amount_find(g_model, ch, strlen(ch), 0, DF_DEC_AUTO, 0, &a));
    ck_assert_int_eq(a.minor, 247190);
    ck_assert_uint_eq(a.start, 10);
    ck_assert_int_eq(a.repaired, 0);
    ck_assert(!df_amount_find(g_model, "no money here", 13, 0, DF_DEC_AUTO, 0, &a));
    /* the groups of an id joined by '-' or '/' are no figures of their own */
    const char *id = "No. SST: W18-1476-32772094 ref 12/345";
    ck_assert(df_amount_find(g_model, id, strlen(id), 0, DF_DEC_AUTO, 0, &a));
    ck_assert_int_eq(strncmp(id + a.start, "12", 2), 0);
    ck_assert(!df_amount_find(g_model, id, strlen(id), a.end, DF_DEC_AUTO, 0, &a));
    ck_assert(df_amount_find(g_model, "Rabatt -5,00", 12, 0, DF_DEC_AUTO, 0, &a));
    ck_assert_int_eq(a.minor, -500);
    /* lenient: "X767.78" is "₹767.78" OCR misread; strict finds nothing,
     * and a letter before a figure without two decimals stays a word */
    ck_assert(df_amount_find(g_model, "IGST X767.78", 12, 0, DF_DEC_AUTO, DF_AMT_LENIENT, &a));
    ck_assert_int_eq(a.minor, 76778);
    ck_assert_uint_eq(a.start, 5);
    ck_assert_int_eq(a.repaired, 1);
    ck_assert(!df_amount_find(g_model, "IGST X767.78", 12, 0, DF_DEC_AUTO, 0, &a));
    ck_assert(!df_amount_find(g_model, "Model X767", 10, 0, DF_DEC_AUTO, DF_AMT_LENIENT, &a));
    ck_assert(!df_amount_find(g_model, NULL, 0, 0, DF_DEC_AUTO, 0, &a));
    ck_assert(!df_amount_find(g_model, "12", 2, 5, DF_DEC_AUTO, 0, &a));
    /* after "digit:" no figure starts: minutes, or OCR's colon inside a figure */
    const char *sub = "Subtotal 13,7719:33";
    ck_assert(!df_amount_find(g_model, sub, strlen(sub), 0, DF_DEC_AUTO, DF_AMT_LENIENT, &a));
    ck_assert(!df_amount_find(g_model, "at 14:02", 8, 4, DF_DEC_AUTO, 0, &a));
    ck_assert(df_amount_find(g_model, "Total: 5.00", 11, 0, DF_DEC_AUTO, 0, &a));
    ck_assert_int_eq(a.minor, 500);
    /* a till's cents alone, lenient only: "TAX .26" is 0.26, "3 .53" and
     * ".265" are none, "x.26" is no figure */
    const char *tax = "TAX        .26   BAL  2,24";
    ck_assert(df_amount_find(g_model, tax, strlen(tax), 0, DF_DEC_AUTO, DF_AMT_LENIENT, &a));
    ck_assert_int_eq(a.minor, 26);
    ck_assert_int_eq(a.decimals, 2);
    ck_assert_int_eq(a.repaired, 1);
    ck_assert_uint_eq(a.start, 11);
    ck_assert_uint_eq(a.end, 14);
    ck_assert(df_amount_find(g_model, tax, strlen(tax), 0, DF_DEC_AUTO, 0, &a));
    ck_assert_int_eq(a.minor, 224);
    ck_assert(df_amount_find(g_model, ".00", 3, 0, DF_DEC_AUTO, DF_AMT_LENIENT, &a));
    ck_assert_int_eq(a.minor, 0);
    static const char *const not_cents[] = {"Qty 3 .53", "TAX .265", "TAX .2", "TAX x.26",
                                            "TAX .26x", "TAX .26.1", "TAX ."};
    for (size_t k = 0; k < sizeof not_cents / sizeof not_cents[0]; k++) {
        const char *nc = not_cents[k];
        size_t dot = (size_t)(strchr(nc, '.') - nc);
        for (size_t at = 0;
             df_amount_find(g_model, nc, strlen(nc), at, DF_DEC_AUTO, DF_AMT_LENIENT, &a);
             at = a.end)
            ck_assert_msg(a.start > dot || a.end <= dot, "%s: read %lld at %zu", nc,
                          (long long)a.minor, a.start);
    }
    /* more space-separated groups than the parser holds: still read one by one */
    const char *many = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30";
    ck_assert(df_amount_find(g_model, many, strlen(many), 0, DF_DEC_AUTO, 0, &a));
    ck_assert_int_eq(a.minor, 100);
    ck_assert_uint_eq(a.end, 1);
    ck_assert(df_amount_find(g_model, many, strlen(many), strlen(many) - 2, DF_DEC_AUTO, 0, &a));
    ck_assert_int_eq(a.minor, 3000);
    const char *groups = "9 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000";
    ck_assert(!df_amount_parse(g_model, groups, strlen(groups), DF_DEC_AUTO, 0, &a));
    /* no model: numbers still parse, without currency */
    ck_assert(df_amount_parse(NULL, "1,234.50", 8, DF_DEC_AUTO, 0, &a));
    ck_assert_int_eq(a.minor, 123450);
    /* not NUL-terminated: the length is the limit */
    ck_assert(df_amount_parse(g_model, "12.345678", 5, DF_DEC_AUTO, 0, &a));
    ck_assert_int_eq(a.minor, 1234);
}
END_TEST

START_TEST(format)
{
    char b[32];
    ck_assert_uint_eq(df_amount_format(5900000, b, sizeof b), 8);
    ck_assert_str_eq(b, "59000.00");
    df_amount_format(-5, b, sizeof b);
    ck_assert_str_eq(b, "-0.05");
    df_amount_format(0, b, sizeof b);
    ck_assert_str_eq(b, "0.00");
    df_amount_format(INT64_MIN, b, sizeof b);
    ck_assert_str_eq(b, "-92233720368547758.08");
    df_amount_format(INT64_MAX, b, sizeof b);
    ck_assert_str_eq(b, "92233720368547758.07");
    ck_assert_uint_eq(df_amount_format(123, b, 4), 0);
    ck_assert_uint_eq(df_amount_format(123, b, 5), 4);
    ck_assert_uint_eq(df_amount_format(1, NULL, 0), 0);
}
END_TEST

START_TEST(locale_independent)
{
    const char *prev = setlocale(LC_ALL, NULL);
    char *saved = prev ? strdup(prev) : NULL;
    df_test_use_de_locale();

    OK("1,234.56", 123456);
    OK("1.234,56", 123456);
    char b[32];
    df_amount_format(123456, b, sizeof b);
    ck_assert_str_eq(b, "1234.56");
    setlocale(LC_ALL, saved ? saved : "C");
    free(saved);
}
END_TEST

int main(void)
{
    g_model = df_test_load_model();
    if (!g_model)
        return EXIT_FAILURE;
    Suite *s = suite_create("parse_amount");
    TCase *t = tcase_create("amount");
    tcase_add_test(t, groupings);
    tcase_add_test(t, malformed);
    tcase_add_test(t, malformed2);
    tcase_add_test(t, ambiguity_and_hints);
    tcase_add_test(t, negatives);
    tcase_add_test(t, currencies);
    tcase_add_test(t, lenient_ocr);
    tcase_add_test(t, find_in_text);
    tcase_add_test(t, format);
    tcase_add_test(t, locale_independent);
    suite_add_tcase(s, t);
    int rc = df_test_run(s);
    df_model_free(g_model);
    return rc;
}
