/* test_taxid.c — GSTIN check and repair, PAN, EU VAT, Malaysian ids and the
 * free-text scanner (lib/extract/taxid.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "extract/taxid.h"

#define V(s) df_gstin_valid(s, strlen(s))

START_TEST(gstin_check)
{
    ck_assert(V("27AAPFU0939F1ZV"));
    ck_assert(V("29AABCA1234K1ZU"));
    ck_assert(V("29AAGFB5678M1ZQ"));
    ck_assert_int_eq(df_gstin_check_char("27AAPFU0939F1Z"), 'V');
    ck_assert_int_eq(df_gstin_check_char("29AABCA1234K1Z"), 'U');
    ck_assert_int_eq(df_gstin_check_char("29AAGFB5678M1Z"), 'Q');
    ck_assert_int_eq(df_gstin_check_char("29aabca1234K1Z"), 0);
    ck_assert_int_eq(df_gstin_check_char(NULL), 0);
    ck_assert(!V("27AAPFU0939F1ZW"));  /* wrong check */
    ck_assert(!V("27AAPFU0939F1Z"));   /* short */
    ck_assert(!V("27AAPFU0939F1ZVV"));
    ck_assert(!V("00AAPFU0939F1ZV"));  /* state 00 */
    ck_assert(!V("39AAPFU0939F1ZV"));  /* state 39 */
    ck_assert(!V("27AAPFU0939F0ZV"));  /* entity 0 */
    ck_assert(!V("27AAPFU0939F1YV"));  /* 14th must be Z */
    ck_assert(!V("27aapfu0939f1zv"));  /* validators want normalised input */
    ck_assert(!df_gstin_valid(NULL, 15));
    /* state codes 97 and 99 are allowed: compute a valid id for each */
    char g[16] = "97AABCA1234K1Z?";
    g[14] = df_gstin_check_char(g);
    ck_assert(V(g));
    g[0] = '9'; g[1] = '9';
    g[14] = df_gstin_check_char(g);
    ck_assert(V(g));
    g[0] = '3'; g[1] = '8';
    g[14] = df_gstin_check_char(g);
    ck_assert(V(g));
}
END_TEST

START_TEST(gstin_repair)
{
    static const struct { const char *in, *out; int pos; } c[] = {
        {"Z7AAPFU0939F1ZV", "27AAPFU0939F1ZV", 0}, {"27AAPFUO939F1ZV", "27AAPFU0939F1ZV", 7},
        {"27AAPFUD939F1ZV", "27AAPFU0939F1ZV", 7}, {"27AAPFU0939FIZV", "27AAPFU0939F1ZV", 12},
        {"27AAPFU0939F12V", "27AAPFU0939F1ZV", 13}, {"29AA8CA1234K1ZU", "29AABCA1234K1ZU", 4},
        {"29AABCAL234K1ZU", "29AABCA1234K1ZU", 7}, {"29AABCA1Z34K1ZU", "29AABCA1234K1ZU", 8},
        {"29AA6FB5678M1ZQ", "29AAGFB5678M1ZQ", 4}, {"29AAGFBS678M1ZQ", "29AAGFB5678M1ZQ", 7},
        {"29AAGFB567BM1ZQ", "29AAGFB5678M1ZQ", 10}, {"29aagfb5678m1zq", "29AAGFB5678M1ZQ", -1},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        char out[16];
        int pos = 99;
        int r = df_gstin_repair(c[i].in, 15, out, &pos);
        ck_assert_msg(r == (c[i].pos < 0 ? 1 : 2), "%s: %d", c[i].in, r);
        ck_assert_str_eq(out, c[i].out);
        ck_assert_int_eq(pos, c[i].pos);
    }
    char out[16];
    int pos;
    ck_assert_int_eq(df_gstin_repair("27AAPFU0939F1ZW", 15, out, &pos), 0); /* W: no confusion */
    ck_assert_int_eq(df_gstin_repair("27AAPFU0989F1ZV", 15, out, &pos), 0); /* 3->8 not a confusion */
    /* two errors, each of the wrong class for its position: read by shape
     * (Z->2 among the state digits, O->0 among the PAN's), then verified */
    ck_assert_int_eq(df_gstin_repair("Z7AAPFUO939F1ZV", 15, out, &pos), 2);
    ck_assert_str_eq(out, "27AAPFU0939F1ZV");
    ck_assert_int_eq(pos, 0);
    ck_assert_int_eq(df_gstin_repair("245W)PC9154M1ZP", 15, out, &pos), 2); /* 5->S, )->J */
    ck_assert_str_eq(out, "24SWJPC9154M1ZP");
    ck_assert_int_eq(df_gstin_repair("29THCCM168871Z8", 15, out, &pos), 2); /* 7 for the Z at 11 */
    ck_assert_str_eq(out, "29THCCM1688Z1Z8");
    ck_assert_int_eq(df_gstin_repair("Z7AAPFUO939F1ZW", 15, out, &pos), 0); /* shape fixed, check fails */
    ck_assert_int_eq(df_gstin_repair("27AAPFU0939R1ZV", 15, out, &pos), 0); /* a letter for a letter */
    /* noise of look-alikes is no id, even where the check char would pass
     * ("22ZEIII1111ZZZZ" is valid; the fuzzer found this one) */
    ck_assert_int_eq(df_gstin_repair("ZZZE|||||||ZZZZ", 15, out, &pos), 0);
    ck_assert_int_eq(df_gstin_repair("27AAPFU0939F1Z", 14, out, &pos), 0);
    ck_assert_int_eq(df_gstin_repair(NULL, 15, out, &pos), 0);
    ck_assert_int_eq(df_gstin_repair("27AAPFU0939F1ZV", 15, out, NULL), 1);
    /* ambiguity: count the candidates for every corruption of a valid id; the
     * repair must agree with "exactly one candidate" and never return a
     * different valid id than the one it found unique */
    const char *ids[] = {"27AAPFU0939F1ZV", "29AABCA1234K1ZU", "29AAGFB5678M1ZQ"};
    for (int k = 0; k < 3; k++)
        for (int p = 0; p < 15; p++)
            for (const char *a = "0ODI1LS5B8Z2G6"; *a; a++) {
                char bad[16];
                memcpy(bad, ids[k], 16);
                if (bad[p] == *a)
                    continue;
                bad[p] = *a;
                int r = df_gstin_repair(bad, 15, out, &pos);
                if (r == 2)
                    ck_assert(V(out));
                if (r == 1)
                    ck_assert(V(bad));
            }
}
END_TEST

START_TEST(pan)
{
    ck_assert(df_pan_valid("AAPFU0939F", 10));
    ck_assert(df_pan_valid("ABCPE1234F", 10));
    ck_assert(!df_pan_valid("ABCXE1234F", 10)); /* X is no entity type */
    ck_assert(!df_pan_valid("ABCP1234F", 9));
    ck_assert(!df_pan_valid("ABCPE12345", 10));
    ck_assert(!df_pan_valid("abcpe1234f", 10));
    ck_assert(!df_pan_valid(NULL, 10));
}
END_TEST

#define EU(s, want, chk) do { int c_ = -1; ck_assert_msg(df_euvat_valid(s, strlen(s), &c_) == (want), "%s", s); \
    if (want) ck_assert_msg(c_ == (chk), "%s checked=%d", s, c_); } while (0)

START_TEST(eu_vat)
{
    EU("DE136695976", 1, 1);
    EU("DE136695977", 0, 0);
    EU("DE13669597", 0, 0);
    EU("FR40303265045", 1, 1);
    EU("FR41303265045", 0, 0);
    EU("FRXA303265045", 1, 0);  /* letter key: format only */
    EU("FRIO303265045", 0, 0);
    EU("GB123456789", 1, 0);
    EU("GB123456789012", 1, 0);
    EU("GBGD123", 1, 0);
    EU("GB12345678", 0, 0);
    EU("IT00743110157", 1, 1);
    EU("IT00743110158", 0, 0);
    EU("ESX1234567L", 1, 0);
    EU("ES12345678Z", 1, 0);
    EU("ES123456789", 0, 0);
    EU("NL123456789B01", 1, 0);
    EU("NL123456789X01", 0, 0);
    EU("BE0428759497", 1, 1);
    EU("BE0428759498", 0, 0);
    EU("BE2428759497", 0, 0);
    EU("ATU12345678", 1, 0);
    EU("AT12345678", 0, 0);
    EU("IE6388047V", 1, 0);
    EU("IE1234567FA", 1, 0);
    EU("IE1A23456B", 1, 0);
    EU("IE1234567Z", 0, 0);
    EU("XX123456789", 0, 0);
    EU("DE", 0, 0);
    ck_assert(!df_euvat_valid(NULL, 11, NULL));
    ck_assert(df_euvat_valid("DE136695976", 11, NULL));
}
END_TEST

START_TEST(malaysia)
{
    ck_assert(df_my_gst_valid("001234567890", 12));
    ck_assert(!df_my_gst_valid("101234567890", 12));
    ck_assert(!df_my_gst_valid("00123456789", 11));
    ck_assert(df_my_sst_valid("W10-1808-31001234", 17));
    ck_assert(!df_my_sst_valid("W10-1808-3100123", 16));
    ck_assert(!df_my_sst_valid("W10/1808-31001234", 17));
    ck_assert(!df_my_sst_valid("110-1808-31001234", 17));
}
END_TEST

START_TEST(scanner)
{
    const char *t = "Seller GSTIN: 29 AABCA 1234K 1ZU PAN AAPFU0939F\n"
                    "Buyer GSTIN:27AAPFUO939F1ZV, VAT DE 136 695 976; SST No. W10-1808-31001234 "
                    "GST Reg 001234567890 phone 9876543210 NL123456789B01";
    df_taxid ids[10];
    size_t n = df_taxid_find(t, strlen(t), ids, 10);
    ck_assert_uint_eq(n, 7);
    ck_assert_int_eq(ids[0].kind, DF_TAXID_GSTIN);
    ck_assert_str_eq(ids[0].value, "29AABCA1234K1ZU");
    ck_assert_int_eq(strncmp(t + ids[0].start, "29 AABCA 1234K 1ZU", ids[0].end - ids[0].start), 0);
    ck_assert_int_eq(ids[0].repaired, 0);
    ck_assert_int_eq(ids[1].kind, DF_TAXID_PAN);
    ck_assert_str_eq(ids[1].value, "AAPFU0939F");
    ck_assert_int_eq(ids[2].kind, DF_TAXID_GSTIN);
    ck_assert_str_eq(ids[2].value, "27AAPFU0939F1ZV");
    ck_assert_int_eq(ids[2].repaired, 1);
    ck_assert_int_eq(ids[2].repaired_pos, 7);
    ck_assert_int_eq(ids[3].kind, DF_TAXID_EU_VAT);
    ck_assert_str_eq(ids[3].value, "DE136695976");
    ck_assert_str_eq(ids[3].country, "DE");
    ck_assert_int_eq(ids[3].checked, 1);
    ck_assert_int_eq(ids[4].kind, DF_TAXID_MY_SST);
    ck_assert_int_eq(ids[5].kind, DF_TAXID_MY_GST);
    ck_assert_int_eq(ids[6].kind, DF_TAXID_EU_VAT);
    ck_assert_str_eq(ids[6].country, "NL");
    /* limits and junk */
    ck_assert_uint_eq(df_taxid_find(t, strlen(t), ids, 1), 1);
    ck_assert_uint_eq(df_taxid_find(t, strlen(t), ids, 0), 0);
    ck_assert_uint_eq(df_taxid_find(NULL, 5, ids, 10), 0);
    const char *glued = "X29AABCA1234K1ZU 29AABCA1234K1ZUX 29AABCA1234K1Z";
    ck_assert_uint_eq(df_taxid_find(glued, strlen(glued), ids, 10), 0);
    /* OCR's ')' for J, replacing it or inserted beside it; a ')' closing a
     * bracket is no part of an id */
    const char *paren = "GSTIN 21XMZPB9466)J1ZU GSTIN 21XMZPB9466)1ZU (DE136695976)";
    n = df_taxid_find(paren, strlen(paren), ids, 10);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(ids[0].value, "21XMZPB9466J1ZU");
    ck_assert_int_eq(ids[0].repaired, 1);
    ck_assert_str_eq(ids[1].value, "21XMZPB9466J1ZU");
    ck_assert_int_eq(ids[1].repaired_pos, 11);
    ck_assert_str_eq(ids[2].value, "DE136695976");
    /* one character OCR added inside, doubling its neighbour ("17" for 1,
     * "O0" for 0), or a stray '(': dropped when exactly one GSTIN is left;
     * one doubling nothing stays */
    const char *extra = "GSTIN/UIN: 27NCMPA9871S17Z8 GSTIN/UIN: 07WXWCMO0317S1ZS "
                        "GSTIN 21XMZPB9466(J1ZU GSTIN 27NCMPA9871SX1Z8";
    n = df_taxid_find(extra, strlen(extra), ids, 10);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(ids[0].value, "27NCMPA9871S1Z8");
    ck_assert_int_eq(ids[0].repaired, 1);
    ck_assert_int_eq(ids[0].repaired_pos, 13);
    ck_assert_uint_eq(ids[0].end - ids[0].start, 16);
    ck_assert_str_eq(ids[1].value, "07WXWCM0317S1ZS");
    ck_assert_int_eq(ids[1].repaired, 1);
    ck_assert_str_eq(ids[2].value, "21XMZPB9466J1ZU");
    /* a stray '(' and a doubled glyph together (doc_0036); a '(' with two
     * more characters added stays out */
    const char *two = "GSTIN/UIN: 32PWDC(CS5821Q3ZC  GSTIN 27NCMPA(9871S17ZZ8";
    n = df_taxid_find(two, strlen(two), ids, 10);
    ck_assert_uint_ge(n, 1);
    ck_assert_str_eq(ids[0].value, "32PWDCS5821Q3ZC");
    ck_assert_int_eq(ids[0].repaired, 1);
    for (size_t i = 1; i < n; i++)
        ck_assert_int_ne(ids[i].kind, DF_TAXID_GSTIN);
    /* ')' as the check character J at an id's end; a Z read as "2Z"; a
     * 2 before the Z of an id whose check character then fails stays out */
    const char *ends = "GSTIN 291UWCS4543D1Z)  x GSTIN/UIN: 21KNMCO0827C22ZV  27RBBFA1247B12ZN "
                       "27AABCA1234K12ZX";
    n = df_taxid_find(ends, strlen(ends), ids, 10);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(ids[0].value, "29IUWCS4543D1ZJ");
    ck_assert_str_eq(ids[1].value, "21KNMCO0827C2ZV");
    ck_assert_int_eq(ids[1].repaired, 1);
    ck_assert_int_eq(ids[1].repaired_pos, 13);
    ck_assert_str_eq(ids[2].value, "27RBBFA1247B1ZN");
    /* a PAN inside a GSTIN is not reported twice */
    ck_assert_uint_eq(df_taxid_find("27AAPFU0939F1ZV", 15, ids, 10), 1);
    /* repair is not attempted across inserted spaces */
    const char *spaced = "27 AAPFU O939F 1ZV";
    n = df_taxid_find(spaced, strlen(spaced), ids, 10);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_ne(ids[i].kind, DF_TAXID_GSTIN);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("taxid");
    TCase *t = tcase_create("taxid");
    tcase_add_test(t, gstin_check);
    tcase_add_test(t, gstin_repair);
    tcase_add_test(t, pan);
    tcase_add_test(t, eu_vat);
    tcase_add_test(t, malaysia);
    tcase_add_test(t, scanner);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
