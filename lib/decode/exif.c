/*
 * exif.c — minimal, hostile-input-safe EXIF reader (see exif.h).
 *
 * Only IFD0 is visited: Orientation (0x0112), XResolution (0x011A) and
 * ResolutionUnit (0x0128) all live there, so there is no IFD chain to follow
 * and therefore no cycle to guard against. Every read goes through rd16/rd32,
 * which take an offset already proven to be inside the buffer; the entry loop
 * is bounded by both the declared count and what fits in the buffer.
 */
#include "decode/exif.h"

#include <string.h>

#define TAG_ORIENTATION 0x0112
#define TAG_XRESOLUTION 0x011A
#define TAG_RESOLUTION_UNIT 0x0128
#define TYPE_SHORT 3
#define TYPE_RATIONAL 5

typedef struct tiff {
    const uint8_t *d;
    size_t len;
    int big_endian;
} tiff;

/* 1 when [off, off+n) lies inside the TIFF data; written so that a huge
 * off cannot wrap around. */
static int in_bounds(const tiff *t, uint64_t off, uint64_t n)
{
    return off <= t->len && n <= t->len - off;
}

static uint16_t rd16(const tiff *t, size_t off)
{
    const uint8_t *p = t->d + off;
    return t->big_endian ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t rd32(const tiff *t, size_t off)
{
    const uint8_t *p = t->d + off;
    if (t->big_endian)
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Value of a SHORT entry with count 1 (stored inline), or -1. */
static int entry_short(const tiff *t, size_t e)
{
    if (rd16(t, e + 2) != TYPE_SHORT || rd32(t, e + 4) != 1)
        return -1;
    return rd16(t, e + 8);
}

/* Value of a RATIONAL entry with count 1 (stored at an offset), or -1. */
static double entry_rational(const tiff *t, size_t e)
{
    if (rd16(t, e + 2) != TYPE_RATIONAL || rd32(t, e + 4) != 1)
        return -1;
    uint32_t off = rd32(t, e + 8);
    if (off < 8 || !in_bounds(t, off, 8))
        return -1;
    uint32_t num = rd32(t, off), den = rd32(t, off + 4);
    if (den == 0)
        return -1;
    return (double)num / (double)den;
}

void df_exif_parse(const uint8_t *app1, size_t len, df_exif_info *out)
{
    out->orientation = 1;
    out->xres = 0;
    if (!app1 || len < 6 || memcmp(app1, "Exif\0\0", 6) != 0)
        return;
    tiff t = {app1 + 6, len - 6, 0};
    if (t.len < 8)
        return;
    if (t.d[0] == 'I' && t.d[1] == 'I')
        t.big_endian = 0;
    else if (t.d[0] == 'M' && t.d[1] == 'M')
        t.big_endian = 1;
    else
        return;
    if (rd16(&t, 2) != 42)
        return;
    uint32_t ifd = rd32(&t, 4);
    /* An IFD inside the 8-byte header is malformed, not a clever layout. */
    if (ifd < 8 || !in_bounds(&t, ifd, 2))
        return;
    size_t count = rd16(&t, ifd);
    size_t fit = (t.len - ifd - 2) / 12;
    if (count > fit)
        count = fit; /* truncated IFD: use the entries that are present */

    int orientation = -1, unit = -1;
    double xres = -1;
    int seen_o = 0, seen_x = 0, seen_u = 0;
    for (size_t i = 0; i < count; i++) {
        size_t e = (size_t)ifd + 2 + i * 12;
        uint16_t tag = rd16(&t, e);
        /* The first occurrence of a tag decides, even when it is unusable:
         * a duplicate after a broken entry is no more trustworthy. */
        if (tag == TAG_ORIENTATION && !seen_o) {
            seen_o = 1;
            orientation = entry_short(&t, e);
        } else if (tag == TAG_XRESOLUTION && !seen_x) {
            seen_x = 1;
            xres = entry_rational(&t, e);
        } else if (tag == TAG_RESOLUTION_UNIT && !seen_u) {
            seen_u = 1;
            unit = entry_short(&t, e);
        }
    }
    if (orientation >= 1 && orientation <= 8)
        out->orientation = orientation;
    if (xres > 0) {
        if (unit == 3) /* centimetres */
            out->xres = xres * 2.54;
        else if (unit == 2 || unit < 0) /* inches, also the TIFF default */
            out->xres = xres;
        /* unit 1 ("no absolute unit") or anything else: an aspect ratio only */
    }
}

int df_exif_orientation(const uint8_t *app1, size_t len)
{
    df_exif_info info;
    df_exif_parse(app1, len, &info);
    return info.orientation;
}
