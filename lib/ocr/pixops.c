/*
 * pixops.c — two page operations preprocessing runs on every page, done
 * faster than Leptonica does them and with exactly its results: the gray
 * histogram and the threshold to 1 bpp. Together they were a fifth of the
 * instructions of preprocessing (callgrind over SROIE receipts), and the
 * pages they feed (text height, skew, orientation, rules) decide how a page
 * is scaled and turned, so "about the same" would change what OCR reads.
 */
#include "ocr/preprocess.h"

#include <stdint.h>
#include <stdlib.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Counted a word (four pixels, in whatever byte order) at a time into four
 * integer tables; Leptonica adds 1.0f per pixel, and its float counters stop
 * counting at 2^24 pixels a level. */
NUMA *df_prep_histogram(PIX *gray)
{
    uint32_t c[4][256] = {{0}};
    int w = (int)pixGetWidth(gray), h = (int)pixGetHeight(gray), wpl = pixGetWpl(gray);
    const l_uint32 *data = pixGetData(gray);
    for (int y = 0; y < h; y++) {
        const l_uint32 *line = data + (size_t)y * wpl;
        int x = 0;
        for (; x + 4 <= w; x += 4) {
            l_uint32 v = line[x / 4];
            c[0][v & 0xff]++;
            c[1][(v >> 8) & 0xff]++;
            c[2][(v >> 16) & 0xff]++;
            c[3][v >> 24]++;
        }
        for (; x < w; x++)
            c[0][GET_DATA_BYTE(line, x)]++;
    }
    NUMA *na = numaCreate(256);
    for (int v = 0; na && v < 256; v++)
        numaAddNumber(na, (l_float32)((double)c[0][v] + c[1][v] + c[2][v] + c[3][v]));
    return na;
}

/* Bits of 32 pixels' "dark" flags, m bit k = the k-th byte in memory,
 * into Leptonica's 1-bpp word (first pixel in the top bit). A 32-bit word
 * holds 4 pixels, its first in the high byte: on a little-endian machine
 * byte b of word w in memory is pixel 4w + 3 - b, so the flags go to bit
 * 28 - 4w + b: the eight nibbles in reverse order, each kept as it is. */
#if defined(__SSE2__) && (defined(__x86_64__) || defined(__i386__))
static inline l_uint32 nibbles_reversed(uint32_t m)
{
    m = __builtin_bswap32(m);
    return ((m & 0x0F0F0F0Fu) << 4) | ((m >> 4) & 0x0F0F0F0Fu);
}

/* 32 pixels from 8 words of an 8-bpp row: dark = value below t (1..255). */
static inline l_uint32 dark_word(const l_uint32 *src, __m128i tm1)
{
    __m128i a = _mm_loadu_si128((const __m128i *)src);
    __m128i b = _mm_loadu_si128((const __m128i *)(src + 4));
    /* x < t  <=>  min(x, t - 1) == x, unsigned */
    uint32_t lo = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(a, tm1), a));
    uint32_t hi = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(b, tm1), b));
    return nibbles_reversed(lo | hi << 16);
}
#define DF_FAST_THRESHOLD 1
#endif

PIX *df_prep_threshold(PIX *gray, int thresh)
{
#ifdef DF_FAST_THRESHOLD
    if (!gray || pixGetDepth(gray) != 8 || pixGetColormap(gray) || thresh < 1 || thresh > 255)
        return gray ? pixThresholdToBinary(gray, thresh) : NULL;
    int w = (int)pixGetWidth(gray), h = (int)pixGetHeight(gray);
    PIX *bin = pixCreate(w, h, 1); /* zeroed: pixels past w stay 0 */
    if (!bin)
        return NULL;
    pixCopyResolution(bin, gray);
    pixCopyInputFormat(bin, gray);
    int wpls = pixGetWpl(gray), wpld = pixGetWpl(bin);
    const l_uint32 *src = pixGetData(gray);
    l_uint32 *dst = pixGetData(bin);
    __m128i tm1 = _mm_set1_epi8((char)(unsigned char)(thresh - 1));
    for (int y = 0; y < h; y++) {
        const l_uint32 *ls = src + (size_t)y * wpls;
        l_uint32 *ld = dst + (size_t)y * wpld;
        int x = 0;
        for (; x + 32 <= w; x += 32)
            ld[x / 32] = dark_word(ls + x / 4, tm1);
        for (; x < w; x++)
            if ((int)GET_DATA_BYTE(ls, x) < thresh)
                SET_DATA_BIT(ld, x);
    }
    return bin;
#else
    return gray ? pixThresholdToBinary(gray, thresh) : NULL;
#endif
}

/* Last word of a 1-bpp row of width w, padding bits cleared. */
static inline l_uint32 row_end_mask(int w)
{
    return (w & 31) ? ~(l_uint32)0 << (32 - (w & 31)) : ~(l_uint32)0;
}

/* A run of at least len ON pixels in some row (len > 32), or of at least
 * edge touching the left or right side. */
static int rows_have_run(PIX *bin, int len, int edge)
{
    int w = (int)pixGetWidth(bin), h = (int)pixGetHeight(bin), wpl = pixGetWpl(bin);
    int nw = (w + 31) / 32;
    const l_uint32 *data = pixGetData(bin);
    for (int y = 0; y < h; y++) {
        const l_uint32 *line = data + (size_t)y * wpl;
        int run = 0, from_edge = 1;
        for (int j = 0; j < nw; j++) {
            int valid = j == nw - 1 ? w - 32 * j : 32; /* pixels in this word */
            l_uint32 v = valid < 32 ? line[j] & row_end_mask(w) : line[j];
            if (valid == 32 && v == ~(l_uint32)0) {
                run += 32;
                continue;
            }
            int lead = __builtin_clz(~v); /* the word's first pixels; padding is 0 */
            run += lead;
            if (run >= len || (from_edge && run >= edge))
                return 1;
            if (lead == valid)
                break; /* ON to the row's end */
            from_edge = 0;
            /* its last pixels (inner runs are shorter than 32 < len) */
            run = __builtin_ctz(~(v >> (32 - valid)));
        }
        if (run >= edge) /* a run to the right side */
            return 1;
    }
    return 0;
}

/* The same down the columns: rows ANDed together over len rows, by
 * doubling spans (1, 2, 4, ... rows) and one last overlapping step. */
static int cols_have_run(PIX *bin, int len, int edge)
{
    int w = (int)pixGetWidth(bin), h = (int)pixGetHeight(bin), wpl = pixGetWpl(bin);
    int nw = (w + 31) / 32;
    const l_uint32 *data = pixGetData(bin);
    l_uint32 last = row_end_mask(w);
    /* runs from the top or bottom side */
    for (int side = 0; side < 2 && edge <= h; side++) {
        for (int j = 0; j < nw; j++) {
            l_uint32 acc = j == nw - 1 ? last : ~(l_uint32)0;
            for (int k = 0; k < edge && acc; k++)
                acc &= data[(size_t)(side ? h - 1 - k : k) * wpl + j];
            if (acc)
                return 1;
        }
    }
    if (len > h)
        return 0;
    l_uint32 *cur = malloc((size_t)h * nw * sizeof *cur);
    if (!cur)
        return 1; /* cannot tell: say maybe */
    for (int y = 0; y < h; y++)
        for (int j = 0; j < nw; j++)
            cur[(size_t)y * nw + j] = data[(size_t)y * wpl + j] & (j == nw - 1 ? last : ~(l_uint32)0);
    int span = 1, rows = h; /* cur[y] = AND of rows y .. y + span - 1, for y < rows */
    while (span * 2 <= len) {
        rows -= span;
        for (int y = 0; y < rows; y++)
            for (int j = 0; j < nw; j++)
                cur[(size_t)y * nw + j] &= cur[(size_t)(y + span) * nw + j];
        span *= 2;
    }
    int off = len - span, found = 0; /* 0 <= off < span */
    for (int y = 0; y + off < rows && !found; y++)
        for (int j = 0; j < nw && !found; j++)
            found = (cur[(size_t)y * nw + j] & cur[(size_t)(y + off) * nw + j]) != 0;
    free(cur);
    return found;
}

int df_prep_has_run(PIX *bin, int len, int edge, int vertical)
{
    if (!bin || pixGetDepth(bin) != 1 || len <= 32 || edge < 1)
        return 1; /* not this filter's case: maybe */
    return vertical ? cols_have_run(bin, len, edge) : rows_have_run(bin, len, edge);
}
