/*
 * test_utf8.c — lib/core/utf8.h, the rule every string docflow emits obeys.
 *
 * The ill-formed cases are the ones Unicode 15 section 3.9 lists and the ones
 * a PDF text layer or a Linux file name actually produce: overlong forms,
 * surrogates encoded in UTF-8, values above U+10FFFF, characters cut off at
 * the end, lone continuation bytes and NUL. Each expected replacement is
 * what Python's bytes.decode("utf-8", "replace") gives (checked when these
 * cases were written), so names read the same in docflow and in a script.
 * The encoder and decoder are also checked against each other for every
 * scalar value, and the validator against sanitising for every 2-byte string.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/internal.h"
#include "core/utf8.h"
#include "testutil.h"

#define FFFD "\xEF\xBF\xBD"

static void expect_sanitized(const char *in, size_t len, const char *want)
{
    char *got = df_utf8_sanitize_n(in, len);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    ck_assert(df_utf8_valid(got, strlen(got)));
    ck_assert_int_eq(df_utf8_valid(in, len), strlen(want) == len && memcmp(in, want, len) == 0);
    free(got);
}

#define EXPECT(lit, want) expect_sanitized(lit, sizeof lit - 1, want)

START_TEST(put_encodes_scalars_and_replaces_the_rest)
{
    char b[4];
    ck_assert_uint_eq(df_utf8_put(b, 0x41), 1);
    ck_assert_int_eq(b[0], 'A');
    ck_assert_uint_eq(df_utf8_put(b, 0), 1); /* a scalar; callers decide about NUL */
    ck_assert_int_eq(b[0], 0);
    ck_assert_uint_eq(df_utf8_put(b, 0xE9), 2);
    ck_assert_mem_eq(b, "\xC3\xA9", 2);
    ck_assert_uint_eq(df_utf8_put(b, 0x7FF), 2);
    ck_assert_mem_eq(b, "\xDF\xBF", 2);
    ck_assert_uint_eq(df_utf8_put(b, 0x20AC), 3);
    ck_assert_mem_eq(b, "\xE2\x82\xAC", 3);
    ck_assert_uint_eq(df_utf8_put(b, 0xD7FF), 3);
    ck_assert_mem_eq(b, "\xED\x9F\xBF", 3);
    ck_assert_uint_eq(df_utf8_put(b, 0x1F4DE), 4); /* 📞 */
    ck_assert_mem_eq(b, "\xF0\x9F\x93\x9E", 4);
    ck_assert_uint_eq(df_utf8_put(b, 0x10FFFF), 4);
    ck_assert_mem_eq(b, "\xF4\x8F\xBF\xBF", 4);
    /* what MuPDF's fz_runetochar writes as ED A0 BD (issue 17) */
    static const uint32_t bad[] = {0xD800, 0xD83D, 0xDBFF, 0xDC00, 0xDFFF, 0x110000,
                                   DF_UTF8_BAD, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_uint_eq(df_utf8_put(b, bad[i]), 3);
        ck_assert_mem_eq(b, FFFD, 3);
    }
}
END_TEST

START_TEST(utf16_pairs_join)
{
    ck_assert_uint_eq(df_utf16_join(0xD83D, 0xDCDE), 0x1F4DE);
    ck_assert_uint_eq(df_utf16_join(0xD842, 0xDFB7), 0x20BB7); /* 𠮷 */
    ck_assert_uint_eq(df_utf16_join(0xD800, 0xDC00), 0x10000);
    ck_assert_uint_eq(df_utf16_join(0xDBFF, 0xDFFF), 0x10FFFF);
    ck_assert_uint_eq(df_utf16_join(0xDCDE, 0xD83D), 0); /* the wrong way round */
    ck_assert_uint_eq(df_utf16_join(0xD83D, 0xD83D), 0);
    ck_assert_uint_eq(df_utf16_join(0xD83D, 0x41), 0);
    ck_assert_uint_eq(df_utf16_join(0x41, 0xDC00), 0);
    ck_assert_uint_eq(df_utf16_join(0x1F4DE, 0xDC00), 0);
    ck_assert(!df_unicode_scalar(0xD800) && !df_unicode_scalar(0xDFFF) &&
              !df_unicode_scalar(0x110000));
    ck_assert(df_unicode_scalar(0) && df_unicode_scalar(0xD7FF) && df_unicode_scalar(0xE000) &&
              df_unicode_scalar(0xFFFF) && df_unicode_scalar(0x10FFFF));
}
END_TEST

/* The reference encoder the decoder is checked against: bit arithmetic
 * written out once more, independent of df_utf8_put's branches. */
static size_t ref_encode(uint32_t cp, unsigned char *o)
{
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    static const unsigned char first[] = {0, 0x00, 0xC0, 0xE0, 0xF0};
    for (size_t i = n - 1; i > 0; i--, cp >>= 6)
        o[i] = (unsigned char)(0x80 | (cp & 0x3F));
    o[0] = (unsigned char)(first[n] | cp);
    return n;
}

START_TEST(every_scalar_round_trips)
{
    /* failures counted, not asserted one by one: Check's per-assert
     * bookkeeping would cost seconds over a million values */
    uint32_t bad = 0, first_bad = 0;
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
        if (!df_unicode_scalar(cp))
            continue;
        unsigned char want[4];
        char got[4];
        uint32_t back = 0;
        size_t n = ref_encode(cp, want);
        int ok = df_utf8_put(got, cp) == n && memcmp(got, want, n) == 0 &&
                 df_utf8_next(got, n, &back) == n && back == cp && df_utf8_valid(got, n);
        if (!ok && bad++ == 0)
            first_bad = cp;
    }
    ck_assert_msg(bad == 0, "%u code points fail, the first U+%04X", bad, first_bad);
}
END_TEST

/* Every 2-byte string: valid exactly when it is two ASCII characters other
 * than NUL or one 2-byte character U+0080..U+07FF, and sanitising changes
 * exactly the invalid ones into valid text. */
START_TEST(every_two_byte_string)
{
    unsigned bad = 0, first_bad = 0;
    for (unsigned v = 0; v < 65536; v++) {
        char s[2] = {(char)(v >> 8), (char)(v & 0xFF)};
        unsigned char a = (unsigned char)s[0], b = (unsigned char)s[1];
        int want = (a >= 1 && a < 0x80 && b >= 1 && b < 0x80) ||
                   (a >= 0xC2 && a <= 0xDF && b >= 0x80 && b <= 0xBF);
        char *t = df_utf8_sanitize_n(s, 2);
        ck_assert_ptr_nonnull(t);
        int ok = df_utf8_valid(s, 2) == want && df_utf8_valid(t, strlen(t)) &&
                 (strlen(t) == 2 && memcmp(t, s, 2) == 0) == want;
        free(t);
        if (!ok && bad++ == 0)
            first_bad = v;
    }
    ck_assert_msg(bad == 0, "%u strings fail, the first %02X %02X", bad, first_bad >> 8,
                  first_bad & 0xFF);
}
END_TEST

START_TEST(overlong_forms)
{
    EXPECT("\xC0\x80", FFFD FFFD); /* "modified UTF-8" NUL */
    EXPECT("\xC0\xAF", FFFD FFFD); /* '/' */
    EXPECT("\xC1\xBF", FFFD FFFD);
    EXPECT("\xE0\x80\xAF", FFFD FFFD FFFD);
    EXPECT("\xE0\x9F\xBF", FFFD FFFD FFFD); /* U+07FF in 3 bytes */
    EXPECT("\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD);
    EXPECT("\xF0\x8F\xBF\xBF", FFFD FFFD FFFD FFFD); /* U+FFFF in 4 bytes */
    EXPECT("\xE0\xA0\x80", "\xE0\xA0\x80");         /* U+0800: the shortest 3-byte form */
    EXPECT("\xF0\x90\x80\x80", "\xF0\x90\x80\x80"); /* U+10000 */
}
END_TEST

START_TEST(surrogates_encoded_in_utf8)
{
    EXPECT("\xED\xA0\x80", FFFD FFFD FFFD); /* U+D800 */
    EXPECT("\xED\xBF\xBF", FFFD FFFD FFFD); /* U+DFFF */
    EXPECT("\xED\x9F\xBF", "\xED\x9F\xBF"); /* U+D7FF, just below */
    EXPECT("\xEE\x80\x80", "\xEE\x80\x80"); /* U+E000, just above */
    /* issue 17's bytes: 📞 as two encoded surrogate halves ("CESU-8") */
    EXPECT("\xED\xA0\xBD\xED\xB3\x9E", FFFD FFFD FFFD FFFD FFFD FFFD);
    uint32_t cp;
    ck_assert_uint_eq(df_utf8_next("\xED\xA0\x80", 3, &cp), 1);
    ck_assert_uint_eq(cp, DF_UTF8_BAD);
}
END_TEST

START_TEST(above_the_last_code_point)
{
    EXPECT("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF"); /* U+10FFFF */
    EXPECT("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* U+110000 */
    EXPECT("\xF5\x80\x80\x80", FFFD FFFD FFFD FFFD);
    EXPECT("\xF7\xBF\xBF\xBF", FFFD FFFD FFFD FFFD);
    EXPECT("\xF8\x88\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD); /* old 5-byte form */
    EXPECT("\xFC\x84\x80\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD FFFD);
    EXPECT("\xFE\xFF", FFFD FFFD);
}
END_TEST

START_TEST(truncated_sequences)
{
    /* cut off by the end of the string: one U+FFFD for the whole prefix */
    EXPECT("\xC3", FFFD);
    EXPECT("\xE2\x82", FFFD);
    EXPECT("\xF0\x9F\x93", FFFD);
    EXPECT("a\xF0\x9F", "a" FFFD);
    EXPECT("\xF0", FFFD);
    /* cut off by the next character */
    EXPECT("\xE2\x82z", FFFD "z");
    EXPECT("\xE2\x82\xE2\x82\xAC", FFFD "\xE2\x82\xAC");
    EXPECT("\xF0\x9F\x93 ok", FFFD " ok");
    EXPECT("\xF0\x9F\xF0\x9F\x93\x9E", FFFD "\xF0\x9F\x93\x9E");
    uint32_t cp;
    ck_assert_uint_eq(df_utf8_next("\xF0\x9F\x93\x9E", 3, &cp), 3); /* len stops it */
    ck_assert_uint_eq(cp, DF_UTF8_BAD);
    /* continuation bytes with no lead */
    EXPECT("\x80", FFFD);
    EXPECT("\xBF\x80\xBF", FFFD FFFD FFFD);
    EXPECT("\xE2\x82\xAC\xAC", "\xE2\x82\xAC" FFFD);
    /* Latin-1 file names: each accented byte is a lone lead or continuation */
    EXPECT("caf\xE9.pdf", "caf" FFFD ".pdf");
    EXPECT("\xE9t\xE9", FFFD "t" FFFD);
}
END_TEST

START_TEST(nul_bytes)
{
    EXPECT("a\0b", "a" FFFD "b"); /* a counted string keeps what follows NUL */
    EXPECT("\0", FFFD);
    ck_assert(df_utf8_valid("", 0));
    char *e = df_utf8_sanitize_n("", 0);
    ck_assert_str_eq(e, "");
    free(e);
    uint32_t cp = 1;
    ck_assert_uint_eq(df_utf8_next("\0x", 2, &cp), 1); /* NUL itself is a character */
    ck_assert_uint_eq(cp, 0);
}
END_TEST

START_TEST(valid_text_is_kept_byte_for_byte)
{
    static const char *ok[] = {
        "plain ASCII, with \t and \x7F",
        "Caf\xC3\xA9 \xE2\x82\xB9 \xE2\x82\xAC \xC2\xA3",                 /* é ₹ € £ */
        "\xE6\x9D\xB1\xE4\xBA\xAC",                                         /* 東京 */
        "\xF0\xA0\xAE\xB7\xE9\x87\x8E\xE5\xAE\xB6",                         /* 𠮷野家 */
        "\xF0\x9F\x93\x9E\xEF\xB8\x8F +33 1 23 45 67 89",                   /* 📞️ */
        "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7",                                 /* 🇫🇷 */
        "\xEF\xBF\xBE\xEF\xBF\xBF",                     /* noncharacters are still valid */
        FFFD,
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        expect_sanitized(ok[i], strlen(ok[i]), ok[i]);
}
END_TEST

START_TEST(public_sanitize)
{
    ck_assert_ptr_null(df_utf8_sanitize(NULL));
    char *s = df_utf8_sanitize("inv\xFF\xFE-\xC3(.pdf");
    ck_assert_str_eq(s, "inv" FFFD FFFD "-" FFFD "(.pdf");
    df_free(s);
    s = df_utf8_sanitize("r\xC3\xA9sum\xC3\xA9.pdf");
    ck_assert_str_eq(s, "r\xC3\xA9sum\xC3\xA9.pdf");
    df_free(s);
}
END_TEST

START_TEST(copy_cuts_between_characters)
{
    char d[8];
    ck_assert_uint_eq(df_utf8_copy(d, sizeof d, "a\xE2\x82\xAC", 4), 4);
    ck_assert_str_eq(d, "a\xE2\x82\xAC");
    ck_assert_uint_eq(df_utf8_copy(d, 4, "a\xE2\x82\xAC", 4), 1); /* € needs 3 of 3 left */
    ck_assert_str_eq(d, "a");
    ck_assert_uint_eq(df_utf8_copy(d, 5, "ab\xF0\x9F\x93\x9E", 6), 2);
    ck_assert_str_eq(d, "ab");
    ck_assert_uint_eq(df_utf8_copy(d, 3, "\xFF", 1), 0); /* U+FFFD does not fit in 2 */
    ck_assert_str_eq(d, "");
    ck_assert_uint_eq(df_utf8_copy(d, 4, "\xFF", 1), 3);
    ck_assert_str_eq(d, FFFD);
    ck_assert_uint_eq(df_utf8_copy(d, 1, "abc", 3), 0);
    ck_assert_str_eq(d, "");
    d[0] = 'x';
    ck_assert_uint_eq(df_utf8_copy(d, 0, "abc", 3), 0); /* no room, nothing written */
    ck_assert_int_eq(d[0], 'x');
}
END_TEST

static size_t vformat(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = df_utf8_vformat(dst, cap, fmt, ap);
    va_end(ap);
    return n;
}

START_TEST(vformat_repairs_and_cuts)
{
    char d[512];
    vformat(d, sizeof d, "%s: %s", "caf\xE9.pdf", "cannot open the file");
    ck_assert_str_eq(d, "caf" FFFD ".pdf: cannot open the file");
    /* 300 "é" are 600 bytes: the cut falls after 255 of them, not inside one */
    char long_name[601];
    for (int i = 0; i < 300; i++)
        memcpy(long_name + 2 * i, "\xC3\xA9", 2);
    long_name[600] = '\0';
    ck_assert_uint_eq(vformat(d, sizeof d, "%s", long_name), 510);
    ck_assert(df_utf8_valid(d, strlen(d)));
    /* longer than the formatting buffer: still cut between characters */
    static char huge[3 * DF_UTF8_FORMAT_MAX];
    for (size_t i = 0; i + 4 < sizeof huge; i += 4)
        memcpy(huge + i, "\xF0\x9F\x93\x9E", 4);
    huge[sizeof huge - 1] = '\0';
    static char big[DF_UTF8_FORMAT_MAX];
    size_t n = vformat(big, sizeof big, "%s", huge);
    ck_assert_uint_eq(n % 4, 0);
    ck_assert_uint_gt(n, DF_UTF8_FORMAT_MAX - 12);
    ck_assert(df_utf8_valid(big, n));
    ck_assert_ptr_null(strstr(big, FFFD));
}
END_TEST

static char g_diag[1024];

static void keep_diag(void *ud, df_diag_level level, const char *msg)
{
    (void)ud;
    (void)level;
    snprintf(g_diag, sizeof g_diag, "%s", msg);
}

/* Every stage's error message and diagnostic is formatted by df_err_set /
 * df_diag_emit: what they quote from outside (MuPDF quotes resource names
 * from the file) comes out repaired, and a long message is cut between
 * characters. */
START_TEST(messages_are_utf8)
{
    df_err e = {DF_OK, ""};
    df_err_set(&e, DF_E_CORRUPT_FILE, "cannot find ExtGState resource '%s'", "Caf\xE9");
    ck_assert_str_eq(e.msg, "cannot find ExtGState resource 'Caf" FFFD "'");
    char name[700] = "xy"; /* the 256th "é" would straddle the last byte of msg */
    for (int i = 0; i < 300; i++)
        memcpy(name + 2 + 2 * i, "\xC3\xA9", 2);
    name[602] = '\0';
    df_err long_err = {DF_OK, ""};
    df_err_set(&long_err, DF_E_IO, "%s: cannot open the file", name);
    ck_assert_uint_eq(strlen(long_err.msg), DF_ERROR_MAX - 2); /* 2 + 254 x 2 */
    ck_assert(df_utf8_valid(long_err.msg, strlen(long_err.msg)));
    df_diag d = {keep_diag, NULL};
    df_diag_emit(&d, DF_DIAG_WARNING, "libtiff: unknown tag '%s'\n", "\xED\xA0\xBD\xFF");
    ck_assert_str_eq(g_diag, "libtiff: unknown tag '" FFFD FFFD FFFD FFFD "'");
}
END_TEST

static const char *json_str(cJSON *root, const char *path)
{
    cJSON *at = root;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *k = strtok_r(buf, "/", &save); k && at; k = strtok_r(NULL, "/", &save))
        at = cJSON_IsArray(at) ? cJSON_GetArrayItem(at, atoi(k)) : cJSON_GetObjectItem(at, k);
    ck_assert_msg(cJSON_IsString(at), "%s is no string", path);
    return at->valuestring;
}

/* The serialiser's last line of defence: a result whose strings are not
 * UTF-8 (here planted directly; every stage already repairs its own) still
 * serialises to valid UTF-8 JSON, each string repaired by the same rule. */
START_TEST(json_repairs_every_string)
{
    df_result *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->name = strdup("in\xFFvoice.pdf");
    r->message = strdup("");
    r->format = "pdf";
    r->has_extraction = 1;
    df_extraction *x = &r->extraction;
    x->document_type = "invoice";
    x->document_category = "financial";
    x->vendor_name.s = strdup("Le Comptoir \xED\xA0\xBD\xED\xB3\x9E"); /* issue 17's bytes */
    x->vendor_address.s = strdup("caf\xE9");
    x->items = calloc(1, sizeof *x->items);
    x->nitems = 1;
    x->items[0].description = strdup("Sushi \xF0\x9F\x8D"); /* cut inside 🍣 */
    r->validation.nwarnings = 1;
    r->validation.warnings[0].code = "amount_repaired";
    snprintf(r->validation.warnings[0].message, sizeof r->validation.warnings[0].message,
             "read as 5900.00 (0\xE2\x86");
    for (unsigned flags = 0; flags <= DF_JSON_PRETTY; flags++) {
        char *j = df_result_to_json(r, 3, flags ? "key\xC0\xAF" : NULL, flags);
        ck_assert_ptr_nonnull(j);
        ck_assert(df_utf8_valid(j, strlen(j)));
        cJSON *o = cJSON_Parse(j);
        ck_assert_ptr_nonnull(o);
        ck_assert_str_eq(json_str(o, "file_key"), flags ? "key" FFFD FFFD : "in" FFFD "voice.pdf");
        ck_assert_str_eq(json_str(o, "extraction/vendor/name"),
                         "Le Comptoir " FFFD FFFD FFFD FFFD FFFD FFFD);
        ck_assert_str_eq(json_str(o, "extraction/vendor/address"), "caf" FFFD);
        ck_assert_str_eq(json_str(o, "extraction/financial/line_items/0/description"),
                         "Sushi " FFFD);
        ck_assert_str_eq(json_str(o, "validation/warnings/0/message"),
                         "read as 5900.00 (0" FFFD);
        cJSON_Delete(o);
        df_free(j);
    }
    df_result_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("utf8");
    TCase *t = tcase_create("utf8");
    tcase_add_test(t, put_encodes_scalars_and_replaces_the_rest);
    tcase_add_test(t, utf16_pairs_join);
    tcase_add_test(t, every_scalar_round_trips);
    tcase_add_test(t, every_two_byte_string);
    tcase_add_test(t, overlong_forms);
    tcase_add_test(t, surrogates_encoded_in_utf8);
    tcase_add_test(t, above_the_last_code_point);
    tcase_add_test(t, truncated_sequences);
    tcase_add_test(t, nul_bytes);
    tcase_add_test(t, valid_text_is_kept_byte_for_byte);
    tcase_add_test(t, public_sanitize);
    tcase_add_test(t, copy_cuts_between_characters);
    tcase_add_test(t, vformat_repairs_and_cuts);
    tcase_add_test(t, messages_are_utf8);
    tcase_add_test(t, json_repairs_every_string);
    suite_add_tcase(s, t);
    return df_test_run(s);
}
