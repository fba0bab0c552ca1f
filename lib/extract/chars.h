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

/* Case-insensitive (ASCII) match of key at s[i..len). */
static inline int df_c_prefix(const char *s, size_t i, size_t len, const char *key, size_t klen)
{
    if (i > len || klen > len - i)
        return 0;
    for (size_t k = 0; k < klen; k++)
        if (df_c_lower((unsigned char)s[i + k]) != df_c_lower((unsigned char)key[k]))
            return 0;
    return 1;
}

#endif
