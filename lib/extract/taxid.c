/*
 * taxid.c — tax id formats, check digits and GSTIN repair (the scanner is
 * taxscan.c; rules in taxid.h).
 */
#include "extract/taxid.h"

#include <string.h>

#include "extract/chars.h"

static int all(const char *s, size_t a, size_t b, int (*cls)(unsigned char))
{
    for (size_t i = a; i < b; i++)
        if (!cls((unsigned char)s[i]))
            return 0;
    return 1;
}

static int b36(unsigned char c)
{
    return df_c_digit(c) ? c - '0' : df_c_upper(c) ? c - 'A' + 10 : -1;
}

char df_gstin_check_char(const char *s)
{
    if (!s)
        return 0;
    int sum = 0;
    for (int i = 0; i < 14; i++) {
        int v = b36((unsigned char)s[i]);
        if (v < 0)
            return 0;
        int p = v * (i % 2 ? 2 : 1);
        sum += p / 36 + p % 36;
    }
    int c = (36 - sum % 36) % 36;
    return (char)(c < 10 ? '0' + c : 'A' + c - 10);
}

int df_gstin_valid(const char *s, size_t len)
{
    if (!s || len != 15 || !all(s, 0, 2, df_c_digit))
        return 0;
    int state = (s[0] - '0') * 10 + (s[1] - '0');
    if (!((state >= 1 && state <= 38) || state == 97 || state == 99))
        return 0;
    if (!all(s, 2, 7, df_c_upper) || !all(s, 7, 11, df_c_digit) || !df_c_upper((unsigned char)s[11]))
        return 0;
    if (b36((unsigned char)s[12]) <= 0 || s[13] != 'Z')
        return 0;
    return df_gstin_check_char(s) == s[14];
}

/* The GSTIN's shape says what each position holds: digits (state code and
 * the PAN's number), letters (the PAN's letters), 'Z'. A look-alike of the
 * wrong class is read as the class demands ("245W)PC9154M1ZP": 5 is S, ')'
 * is J), all at once; the check character, left alone, must then verify. */
static int gstin_by_shape(const char *in, char out[16], int *pos)
{
    static const char to_digit[][2] = {{'O', '0'}, {'D', '0'}, {'Q', '0'}, {'I', '1'}, {'L', '1'},
                                       {'|', '1'}, {'Z', '2'}, {'S', '5'}, {'G', '6'}, {'B', '8'}};
    static const char to_letter[][2] = {{'0', 'O'}, {'1', 'I'}, {'|', 'I'}, {'2', 'Z'}, {'5', 'S'},
                                        {'6', 'G'}, {'7', 'Z'}, {'8', 'B'}, {')', 'J'}};
    char buf[16];
    int first = -1, changed = 0;
    memcpy(buf, in, 16);
    for (int i = 0; i < 14; i++) {
        int digit = i < 2 || (i >= 7 && i <= 10), letter = (i >= 2 && i <= 6) || i == 11;
        unsigned char c = (unsigned char)buf[i];
        char want = 0;
        if (digit && !df_c_digit(c))
            for (size_t k = 0; k < sizeof to_digit / sizeof *to_digit; k++)
                if (to_digit[k][0] == c)
                    want = to_digit[k][1];
        if (letter && !df_c_upper(c))
            for (size_t k = 0; k < sizeof to_letter / sizeof *to_letter; k++)
                if (to_letter[k][0] == c)
                    want = to_letter[k][1];
        if (i == 13 && c != 'Z' && (c == '2' || c == '7'))
            want = 'Z';
        if (want) {
            buf[i] = want;
            if (first < 0)
                first = i;
            /* more look-alikes than OCR makes in one id: noise such as
             * "ZZZE|||||||ZZZZ", which its check character would pass one
             * time in 36 */
            if (++changed > DF_GSTIN_SHAPE_MAX_FIXES)
                return 0;
        }
    }
    if (buf[14] == ')') { /* the check character J */
        buf[14] = 'J';
        if (first < 0)
            first = 14;
        if (++changed > DF_GSTIN_SHAPE_MAX_FIXES)
            return 0;
    }
    if (first < 0 || !df_gstin_valid(buf, 15))
        return 0;
    memcpy(out, buf, 16);
    *pos = first;
    return 2;
}

int df_gstin_repair(const char *s, size_t len, char out[16], int *pos)
{
    static const char *const groups[] = {"O0D", "I1L", "S5", "B8", "Z2", "G6"};
    int dummy;
    if (!pos)
        pos = &dummy;
    *pos = -1;
    if (!s || !out || len != 15)
        return 0;
    char buf[16];
    for (size_t i = 0; i < 15; i++)
        buf[i] = (char)df_c_toupper((unsigned char)s[i]);
    buf[15] = '\0';
    if (df_gstin_valid(buf, 15)) {
        memcpy(out, buf, 16);
        return 1;
    }
    int found = 0, where = -1;
    char fix = 0;
    for (int i = 0; i < 15; i++) {
        char orig = buf[i];
        for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
            if (!strchr(groups[g], orig) || !orig)
                continue;
            for (const char *c = groups[g]; *c; c++) {
                if (*c == orig)
                    continue;
                buf[i] = *c;
                if (df_gstin_valid(buf, 15) && !(found == 1 && where == i && fix == *c)) {
                    found++;
                    where = i;
                    fix = *c;
                }
                buf[i] = orig;
            }
        }
    }
    if (found == 1) {
        buf[where] = fix;
        memcpy(out, buf, 16);
        *pos = where;
        return 2;
    }
    return found ? 0 : gstin_by_shape(buf, out, pos);
}

int df_pan_valid(const char *s, size_t len)
{
    return s && len == 10 && all(s, 0, 5, df_c_upper) && all(s, 5, 9, df_c_digit) &&
           df_c_upper((unsigned char)s[9]) && strchr("CPHFATBLJG", s[3]) != NULL;
}

static int de_check(const char *d)
{
    int product = 10;
    for (int i = 0; i < 8; i++) {
        int sum = (d[i] - '0' + product) % 10;
        if (sum == 0)
            sum = 10;
        product = (2 * sum) % 11;
    }
    int c = 11 - product;
    return (c == 10 ? 0 : c) == d[8] - '0';
}

static int luhn(const char *d, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = d[n - 1 - i] - '0';
        if (i % 2) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

static long num_of(const char *d, size_t n)
{
    long v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (d[i] - '0');
    return v;
}

static int ie_letter(unsigned char c) { return c >= 'A' && c <= 'W'; }

int df_euvat_valid(const char *s, size_t len, int *checked)
{
    int dummy;
    if (!checked)
        checked = &dummy;
    *checked = 0;
    if (!s || len < 4 || len > 16 || !all(s, 0, 2, df_c_upper))
        return 0;
    const char *b = s + 2;
    size_t n = len - 2;
    if (!memcmp(s, "DE", 2)) {
        if (n != 9 || !all(b, 0, 9, df_c_digit))
            return 0;
        *checked = 1;
        return de_check(b);
    }
    if (!memcmp(s, "FR", 2)) {
        if (n != 11 || !all(b, 2, 11, df_c_digit) || !all(b, 0, 2, df_c_alnum) || b[0] == 'I' ||
            b[0] == 'O' || b[1] == 'I' || b[1] == 'O')
            return 0;
        if (!all(b, 0, 2, df_c_digit))
            return 1;
        *checked = 1;
        return (12 + 3 * (num_of(b + 2, 9) % 97)) % 97 == num_of(b, 2);
    }
    if (!memcmp(s, "GB", 2) || !memcmp(s, "XI", 2)) {
        if ((n == 9 || n == 12) && all(b, 0, n, df_c_digit))
            return 1;
        return n == 5 && (!memcmp(b, "GD", 2) || !memcmp(b, "HA", 2)) && all(b, 2, 5, df_c_digit);
    }
    if (!memcmp(s, "IT", 2)) {
        if (n != 11 || !all(b, 0, 11, df_c_digit))
            return 0;
        *checked = 1;
        return luhn(b, 11);
    }
    if (!memcmp(s, "ES", 2))
        return n == 9 && df_c_alnum((unsigned char)b[0]) && all(b, 1, 8, df_c_digit) &&
               df_c_alnum((unsigned char)b[8]) && (df_c_upper((unsigned char)b[0]) ||
                                                   df_c_upper((unsigned char)b[8]));
    if (!memcmp(s, "NL", 2))
        return n == 12 && all(b, 0, 9, df_c_digit) && b[9] == 'B' && all(b, 10, 12, df_c_digit);
    if (!memcmp(s, "BE", 2)) {
        if (n != 10 || !all(b, 0, 10, df_c_digit) || (b[0] != '0' && b[0] != '1'))
            return 0;
        *checked = 1;
        return 97 - num_of(b, 8) % 97 == num_of(b + 8, 2);
    }
    if (!memcmp(s, "AT", 2))
        return n == 9 && b[0] == 'U' && all(b, 1, 9, df_c_digit);
    if (!memcmp(s, "IE", 2)) {
        if (n == 8 || n == 9) {
            if (all(b, 0, 7, df_c_digit) && ie_letter((unsigned char)b[7]) &&
                (n == 8 || (b[8] >= 'A' && b[8] <= 'I') || b[8] == 'W'))
                return 1;
            return n == 8 && df_c_digit((unsigned char)b[0]) &&
                   (df_c_upper((unsigned char)b[1]) || b[1] == '+' || b[1] == '*') &&
                   all(b, 2, 7, df_c_digit) && ie_letter((unsigned char)b[7]);
        }
        return 0;
    }
    return 0;
}

int df_my_gst_valid(const char *s, size_t len)
{
    return s && len == 12 && all(s, 0, 12, df_c_digit) && s[0] == '0' && s[1] == '0';
}

int df_my_sst_valid(const char *s, size_t len)
{
    return s && len == 17 && df_c_upper((unsigned char)s[0]) && all(s, 1, 3, df_c_digit) &&
           s[3] == '-' && all(s, 4, 8, df_c_digit) && s[8] == '-' && all(s, 9, 17, df_c_digit);
}
