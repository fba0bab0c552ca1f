/*
 * utf8.c — decoding, validating and repairing UTF-8 (see utf8.h for why and
 * for the replacement rule).
 *
 * The decoder follows Unicode's table of well-formed byte sequences (table
 * 3-7) directly: the lead byte fixes how many continuation bytes follow and
 * the range the first of them must lie in (E0 needs A0..BF, no overlong
 * forms; ED needs 80..9F, no surrogates; F0 needs 90..BF; F4 needs 80..8F,
 * nothing above U+10FFFF), so every ill-formed case is refused by one range
 * test and none needs a special case after decoding.
 */
#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t df_utf8_put(char *out, uint32_t cp)
{
    unsigned char *o = (unsigned char *)out;
    if (!df_unicode_scalar(cp))
        cp = DF_UTF8_REPLACEMENT;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Continuation bytes a lead byte needs, its payload bits, and the range its
 * first continuation byte must lie in; 0 continuations for a byte that
 * starts no character (80..C1: continuations and overlong 2-byte leads;
 * F5..FF: beyond U+10FFFF). */
typedef struct lead {
    unsigned need;
    uint32_t bits;
    unsigned char lo, hi;
} lead;

static lead lead_of(unsigned char b)
{
    if (b >= 0xC2 && b <= 0xDF)
        return (lead){1, b & 0x1Fu, 0x80, 0xBF};
    if (b >= 0xE0 && b <= 0xEF)
        return (lead){2, b & 0x0Fu, b == 0xE0 ? 0xA0 : 0x80, b == 0xED ? 0x9F : 0xBF};
    if (b >= 0xF0 && b <= 0xF4)
        return (lead){3, b & 0x07u, b == 0xF0 ? 0x90 : 0x80, b == 0xF4 ? 0x8F : 0xBF};
    return (lead){0, 0, 0, 0};
}

size_t df_utf8_next(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    lead l = lead_of(s[0]);
    if (l.need == 0) {
        *cp = DF_UTF8_BAD;
        return 1;
    }
    uint32_t c = l.bits;
    size_t i = 1;
    for (unsigned char lo = l.lo, hi = l.hi; i <= l.need; i++, lo = 0x80, hi = 0xBF) {
        if (i >= len || s[i] < lo || s[i] > hi) {
            *cp = DF_UTF8_BAD; /* the bytes so far are the maximal subpart */
            return i;
        }
        c = c << 6 | (s[i] & 0x3Fu);
    }
    *cp = c;
    return i;
}

/* One character of s as it will be written: its bytes when well-formed and
 * not NUL, else U+FFFD. Returns the input bytes used; the output is the n
 * bytes at *out. */
static size_t next_fixed(const char *s, size_t len, char buf[4], const char **out, size_t *n)
{
    uint32_t cp;
    size_t used = df_utf8_next(s, len, &cp);
    if (cp == 0 || cp == DF_UTF8_BAD) {
        *n = df_utf8_put(buf, DF_UTF8_REPLACEMENT);
        *out = buf;
    } else {
        *n = used;
        *out = s;
    }
    return used;
}

int df_utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += df_utf8_next(s + i, len - i, &cp);
        if (cp == 0 || cp == DF_UTF8_BAD)
            return 0;
    }
    return 1;
}

size_t df_utf8_copy(char *dst, size_t cap, const char *s, size_t len)
{
    size_t at = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < len;) {
        char buf[4];
        const char *piece;
        size_t n;
        size_t used = next_fixed(s + i, len - i, buf, &piece, &n);
        if (at + n > cap - 1)
            break;
        memcpy(dst + at, piece, n);
        at += n;
        i += used;
    }
    dst[at] = '\0';
    return at;
}

char *df_utf8_sanitize_n(const char *s, size_t len)
{
    /* each ill-formed byte costs at most 3 output bytes */
    size_t cap = 1;
    for (size_t i = 0; i < len;) {
        char buf[4];
        const char *piece;
        size_t n;
        i += next_fixed(s + i, len - i, buf, &piece, &n);
        cap += n;
    }
    char *out = malloc(cap);
    if (out)
        df_utf8_copy(out, cap, s, len);
    return out;
}

char *df_utf8_sanitize(const char *s)
{
    return s ? df_utf8_sanitize_n(s, strlen(s)) : NULL;
}

/* Output is never shorter than the input it came from (a valid character
 * keeps its bytes, an ill-formed subpart of 1-3 bytes becomes 3), so a cut
 * vsnprintf makes at DF_UTF8_FORMAT_MAX lies beyond what fits in dst and
 * never shows as a U+FFFD. */
size_t df_utf8_vformat(char *dst, size_t cap, const char *fmt, va_list ap)
{
    char tmp[DF_UTF8_FORMAT_MAX];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n < 0)
        tmp[0] = '\0';
    if (cap > DF_UTF8_FORMAT_MAX - 4)
        cap = DF_UTF8_FORMAT_MAX - 4;
    return df_utf8_copy(dst, cap, tmp, strlen(tmp));
}
