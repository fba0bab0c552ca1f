/*
 * utf8.h — the one place that decides what valid UTF-8 is and what becomes
 * of bytes that are not.
 *
 * Why it exists: text reaches docflow from outside in many shapes — MuPDF's
 * code points (UTF-16 surrogate halves among them), Tesseract's UTF-8, file
 * names (any byte but '/' and NUL on Linux), other libraries' messages — and
 * one ill-formed byte in one string makes a strict JSON parser reject the
 * whole output of a batch (issue 17). Every path that turns outside bytes
 * into a string docflow emits goes through here.
 *
 * Contents
 *   df_unicode_scalar   is a code point one that UTF-8 may carry
 *   df_utf16_join       a UTF-16 high and low surrogate → their code point
 *   df_utf8_put         a code point → 1 to 4 bytes (U+FFFD if it is no scalar)
 *   df_utf8_next        the character at the start of a byte string
 *   df_utf8_valid       is a byte string well-formed UTF-8 without NUL
 *   df_utf8_sanitize_n  a malloc'd copy that is valid (df_utf8_sanitize is the
 *                       public NUL-terminated form, include/docflow/docflow.h)
 *   df_utf8_copy        the same into a fixed buffer, cut between characters
 *   df_utf8_vformat     vsnprintf into a fixed buffer, then df_utf8_copy
 *
 * Replacement rule: each maximal subpart of an ill-formed sequence becomes
 * one U+FFFD (Unicode 15, section 3.9, "U+FFFD Substitution of Maximal
 * Subparts"), which is what Python's decode(errors="replace"), browsers
 * (WHATWG Encoding) and ICU produce, so a name shows the same everywhere:
 * "a\xE2\x82z" → "a\uFFFDz" (a truncated character is one U+FFFD),
 * "\xC0\xAF" → two (overlong forms have no valid prefix), "\xED\xA0\x80"
 * (a surrogate encoded as UTF-8, "CESU-8") → three, "\xF4\x90\x80\x80"
 * (above U+10FFFF) → four. A NUL byte inside a counted string also becomes
 * U+FFFD, so a sanitised string is a C string that lost nothing silently.
 */
#ifndef DF_CORE_UTF8_H
#define DF_CORE_UTF8_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "docflow/docflow.h"

#define DF_UTF8_REPLACEMENT 0xFFFDu
/* What df_utf8_next reports for an ill-formed subpart: no code point at all
 * (above U+10FFFF), so df_utf8_put writes U+FFFD for it. */
#define DF_UTF8_BAD 0x110000u
/* Longest text df_utf8_vformat formats before cutting. */
#define DF_UTF8_FORMAT_MAX 2048

/* 1 for U+0000..U+10FFFF except the surrogates U+D800..U+DFFF. */
static inline int df_unicode_scalar(uint32_t cp)
{
    return cp < 0xD800u || (cp > 0xDFFFu && cp <= 0x10FFFFu);
}

/* The code point a UTF-16 high surrogate `hi` followed by a low surrogate
 * `lo` stand for; 0 when they are not such a pair. */
static inline uint32_t df_utf16_join(uint32_t hi, uint32_t lo)
{
    if (hi < 0xD800u || hi > 0xDBFFu || lo < 0xDC00u || lo > 0xDFFFu)
        return 0;
    return 0x10000u + ((hi - 0xD800u) << 10) + (lo - 0xDC00u);
}

/* Write cp as UTF-8 to out (room for 4 bytes, no NUL added); returns the
 * number of bytes. A surrogate or a value above U+10FFFF is written as
 * U+FFFD (3 bytes). */
size_t df_utf8_put(char *out, uint32_t cp);

/* Decode the character at s (len >= 1): returns its length in bytes and sets
 * *cp. An ill-formed sequence sets DF_UTF8_BAD and returns the length of its
 * maximal subpart (at least 1), the bytes one U+FFFD replaces. */
size_t df_utf8_next(const char *s, size_t len, uint32_t *cp);

/* 1 when the len bytes at s are well-formed UTF-8 and hold no NUL: exactly
 * when df_utf8_sanitize_n would return them unchanged. */
int df_utf8_valid(const char *s, size_t len);

/* A malloc'd, NUL-terminated copy of the len bytes at s with every ill-formed
 * subpart (and NUL) replaced by U+FFFD; NULL when out of memory. */
char *df_utf8_sanitize_n(const char *s, size_t len);

/* df_utf8_sanitize_n into dst (cap bytes, cap >= 1), whole characters only:
 * what does not fit is left out at a character boundary. Always
 * NUL-terminated; returns the bytes written before the NUL. */
size_t df_utf8_copy(char *dst, size_t cap, const char *s, size_t len);

/* vsnprintf into dst (cap bytes, at most DF_UTF8_FORMAT_MAX - 4), valid:
 * arguments that are not UTF-8 are repaired, and a message too long for dst
 * is cut between characters, never inside one. Returns df_utf8_copy's. */
size_t df_utf8_vformat(char *dst, size_t cap, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
