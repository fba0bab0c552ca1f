/*
 * chars.h — locale-free character classes shared by the text parsers.
 *
 * <ctype.h> consults the C locale (a host that calls setlocale() may change
 * what isdigit/isalpha/toupper accept), and the library must never depend on
 * the locale, so the extract and validate parsers use these ASCII-only
 * helpers instead. Bytes >= 0x80 are never letters or digits here: UTF-8
 * symbols (₹, €, NBSP) are matched explicitly by the callers.
 */
#ifndef DF_EXTRACT_CHARS_H
#define DF_EXTRACT_CHARS_H

#include <stddef.h>
#include <stdint.h>

#include "core/utf8.h"

static inline int df_c_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline int df_c_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static inline int df_c_alpha(unsigned char c) { return df_c_upper(c) || (c >= 'a' && c <= 'z'); }
static inline int df_c_alnum(unsigned char c) { return df_c_digit(c) || df_c_alpha(c); }
static inline unsigned char df_c_lower(unsigned char c) { return df_c_upper(c) ? (unsigned char)(c + 32) : c; }
static inline unsigned char df_c_toupper(unsigned char c)
{
    return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 32) : c;
}

/* Byte length of a horizontal space at s[i] (ASCII space or tab, NBSP,
 * figure, thin, narrow no-break space — the forms digit grouping uses in
 * print), 0 when there is none. */
static inline size_t df_c_space(const char *s, size_t i, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i >= len)
        return 0;
    if (u[i] == ' ' || u[i] == '\t')
        return 1;
    if (u[i] == 0xC2 && i + 1 < len && u[i + 1] == 0xA0)
        return 2;
    if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 &&
        (u[i + 2] == 0x87 || u[i + 2] == 0x89 || u[i + 2] == 0xAF || u[i + 2] == 0x8A))
        return 3;
    return 0;
}

/* The byte length of an apostrophe at s[i] as Swiss digit grouping prints
 * it ("1'234.56", "1’234.56" with U+2019, or U+02BC), 0 when there is
 * none. */
static inline size_t df_c_apos(const char *s, size_t i, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i >= len)
        return 0;
    if (u[i] == '\'')
        return 1;
    if (u[i] == 0xCA && i + 1 < len && u[i + 1] == 0xBC)
        return 2;
    if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 && u[i + 2] == 0x99)
        return 3;
    return 0;
}

/* The byte after a 0xC3 lead byte folded to lower case: Latin-1's capitals
 * À..Þ (C3 80..9E, but × C3 97) are their small letters plus 0x20. Labels
 * and keywords of other languages ("REÇU", "RÜCKGELD") match their written
 * forms this way. */
static inline unsigned char df_c_lower_latin1(unsigned char c)
{
    return c >= 0x80 && c <= 0x9E && c != 0x97 ? (unsigned char)(c + 0x20) : c;
}

/* Case-insensitive match of key at s[i..len): ASCII, and Latin-1 letters
 * written in UTF-8. */
static inline int df_c_prefix(const char *s, size_t i, size_t len, const char *key, size_t klen)
{
    if (i > len || klen > len - i)
        return 0;
    for (size_t k = 0; k < klen; k++) {
        unsigned char a = (unsigned char)s[i + k], b = (unsigned char)key[k];
        if (k > 0 && (unsigned char)s[i + k - 1] == 0xC3 && (unsigned char)key[k - 1] == 0xC3) {
            a = df_c_lower_latin1(a);
            b = df_c_lower_latin1(b);
        }
        if (df_c_lower(a) != df_c_lower(b))
            return 0;
    }
    return 1;
}

/* Whether a code point beyond ASCII is a letter of some script rather than
 * a sign: Latin-1's signs (U+0080..U+00BF: NBSP, cent, pound, copyright),
 * '\u00d7' and '\u00f7', U+2000..U+2BFF (punctuation such as curly quotes,
 * currency signs such as the euro's, letterlike symbols, arrows, shapes) and
 * U+FFFD (what OCR's broken bytes became) are signs, as is an ill-formed
 * sequence. Beyond the BMP counts as a script. */
static inline int df_c_letter_cp(uint32_t cp)
{
    return cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && (cp < 0x2000 || cp >= 0x2C00) &&
           cp != 0xFFFD && cp != DF_UTF8_BAD;
}

/* The length in bytes of the character at s[i] (i < len), and in *letter
 * whether it is a letter: ASCII's, or another script's (df_c_letter_cp).
 * OCR's "1\u20ac i]" under a logo has no run of three letters. */
static inline size_t df_c_char_at(const char *s, size_t i, size_t len, int *letter)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *letter = df_c_alpha(c);
        return 1;
    }
    uint32_t cp;
    size_t n = df_utf8_next(s + i, len - i, &cp);
    *letter = df_c_letter_cp(cp);
    return n ? n : 1;
}

#endif
