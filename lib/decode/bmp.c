/*
 * bmp.c — our own Windows/OS2 bitmap reader.
 *
 * Why not Leptonica's: 1.82 refuses BI_RLE4/BI_RLE8 and 32-bit BI_BITFIELDS,
 * which scanners, POS terminals and old Windows tools still write. BMP is
 * small enough that a careful reader is simpler than working around it.
 *
 * Safety rules kept throughout: every byte read is checked against `len`;
 * nothing is allocated before the header's size passes df_decode_check_dims;
 * RLE decoding consumes at least two bytes per step, so it always ends.
 */
#include "decode/decode.h"

#include <stdlib.h>
#include <string.h>

enum {
    BI_RGB = 0, BI_RLE8 = 1, BI_RLE4 = 2, BI_BITFIELDS = 3, BI_JPEG = 4, BI_PNG = 5,
    BI_ALPHABITFIELDS = 6, BI_CMYK = 11, BI_CMYKRLE8 = 12, BI_CMYKRLE4 = 13
};

/* One colour channel of a 16/32-bit pixel: where it sits and how wide it is. */
typedef struct chan {
    unsigned shift, bits;
} chan;

typedef struct bmp_info {
    uint32_t file_size, off_bits, hdr_size;
    int64_t width, height; /* height made positive; top_down says which way */
    int top_down;
    unsigned bpp;
    uint32_t compression;
    uint32_t clr_used;
    int32_t xppm;
    uint32_t mask[4]; /* r, g, b, a */
    int has_alpha;
    size_t pal_off;     /* first colour-table byte */
    unsigned pal_entry; /* bytes per colour-table entry: 3 (core) or 4 */
    uint64_t stride;    /* bytes per stored row, padded to 4 */
} bmp_info;

static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | rd16(p + 2) << 16; }

static uint32_t pack_rgb(unsigned r, unsigned g, unsigned b)
{
    return (uint32_t)r << L_RED_SHIFT | (uint32_t)g << L_GREEN_SHIFT | (uint32_t)b << L_BLUE_SHIFT;
}

/* Output row of stored row r: bottom-up files store the last row first. */
static int64_t out_row(const bmp_info *bi, int64_t r)
{
    return bi->top_down ? r : bi->height - 1 - r;
}

/* Masks need not be contiguous in a hostile file; only the lowest run of set
 * bits counts, which keeps every value within `bits` bits. */
static chan make_chan(uint32_t mask)
{
    chan c = {0, 0};
    if (!mask)
        return c;
    while (!((mask >> c.shift) & 1u))
        c.shift++;
    uint64_t m = (uint64_t)mask >> c.shift;
    while (c.bits < 32 && ((m >> c.bits) & 1u))
        c.bits++;
    return c;
}

/* Scale a `bits`-wide value to 8 bits by bit replication (5-bit 31 -> 255,
 * 16 -> 132), the usual expansion that maps full scale to full scale. */
static unsigned chan_value(const chan *c, uint32_t px)
{
    if (!c->bits)
        return 0;
    uint32_t v = (uint32_t)(((uint64_t)px >> c->shift) & ((1ull << c->bits) - 1));
    if (c->bits >= 8)
        return v >> (c->bits - 8);
    unsigned r = 0, filled = 0;
    while (filled < 8) {
        r = r << c->bits | v;
        filled += c->bits;
    }
    return (r >> (filled - 8)) & 0xff;
}

static df_code check_compression(bmp_info *bi, df_err *err)
{
    uint32_t c = bi->compression;
    int os2 = bi->hdr_size == 16 || bi->hdr_size == 64;
    if (os2 && c == 3)
        return df_err_set(err, DF_E_UNSUPPORTED_FORMAT,
                          "OS/2 BMP with Huffman 1D compression is not supported");
    if (os2 && c == 4)
        return df_err_set(err, DF_E_UNSUPPORTED_FORMAT,
                          "OS/2 BMP with RLE24 compression is not supported");
    switch (c) {
    case BI_RGB:
        return DF_OK;
    case BI_RLE8:
    case BI_RLE4:
        if (bi->bpp != (c == BI_RLE8 ? 8u : 4u))
            return df_err_set(err, DF_E_CORRUPT_FILE, "BMP %s compression with %u bits per pixel",
                              c == BI_RLE8 ? "RLE8" : "RLE4", bi->bpp);
        return DF_OK;
    case BI_BITFIELDS:
    case BI_ALPHABITFIELDS:
        if (bi->bpp != 16 && bi->bpp != 32)
            return df_err_set(err, DF_E_CORRUPT_FILE,
                              "BMP bit-field compression with %u bits per pixel", bi->bpp);
        return DF_OK;
    case BI_JPEG:
        return df_err_set(err, DF_E_UNSUPPORTED_FORMAT,
                          "BMP with embedded JPEG data (BI_JPEG) is not supported");
    case BI_PNG:
        return df_err_set(err, DF_E_UNSUPPORTED_FORMAT,
                          "BMP with embedded PNG data (BI_PNG) is not supported");
    case BI_CMYK:
    case BI_CMYKRLE8:
    case BI_CMYKRLE4:
        return df_err_set(err, DF_E_UNSUPPORTED_FORMAT, "CMYK BMP (compression %u) is not supported", c);
    default:
        return df_err_set(err, DF_E_CORRUPT_FILE, "unknown BMP compression type %u", c);
    }
}

/* Colour masks: defaults for BI_RGB, else from the header (V2+) or from the
 * 12/16 bytes that follow a 40-byte header. Sets pal_off past them. */
static df_code read_masks(const uint8_t *d, size_t len, bmp_info *bi, df_err *err)
{
    const uint8_t *h = d + 14;
    bi->pal_off = 14 + (size_t)bi->hdr_size;
    if (bi->bpp == 16) {
        bi->mask[0] = 0x7C00; bi->mask[1] = 0x03E0; bi->mask[2] = 0x001F;
    } else if (bi->bpp == 32) {
        bi->mask[0] = 0xFF0000; bi->mask[1] = 0xFF00; bi->mask[2] = 0xFF;
    }
    if (bi->compression != BI_BITFIELDS && bi->compression != BI_ALPHABITFIELDS)
        return DF_OK; /* a V4/V5 alpha mask with BI_RGB is ignored, as Windows does */
    unsigned n = bi->compression == BI_ALPHABITFIELDS ? 4 : 3;
    const uint8_t *m;
    if (bi->hdr_size == 40) {
        if (bi->pal_off + 4u * n > len)
            return df_err_set(err, DF_E_TRUNCATED_FILE, "BMP file ends inside its colour masks");
        m = d + bi->pal_off;
        bi->pal_off += 4u * n;
    } else {
        m = h + 40; /* V2 (52) holds r,g,b; V3 (56) and later add alpha */
        if (bi->hdr_size >= 56)
            n = 4;
    }
    for (unsigned i = 0; i < n; i++)
        bi->mask[i] = rd32(m + 4 * i);
    bi->has_alpha = n == 4 && bi->mask[3] != 0;
    return DF_OK;
}

static df_code parse_header(const uint8_t *d, size_t len, const df_decode_opts *o,
                            bmp_info *bi, df_err *err)
{
    memset(bi, 0, sizeof *bi);
    if (len < 18)
        return df_err_set(err, DF_E_TRUNCATED_FILE, "BMP file ends inside its header (%zu bytes)", len);
    bi->file_size = rd32(d + 2);
    bi->off_bits = rd32(d + 10);
    bi->hdr_size = rd32(d + 14);
    uint32_t hs = bi->hdr_size;
    if (hs != 12 && hs != 16 && hs != 40 && hs != 52 && hs != 56 && hs != 64 && hs != 108 &&
        hs != 124)
        return df_err_set(err, DF_E_CORRUPT_FILE, "BMP header size %u matches no BMP version", hs);
    if (14 + (size_t)hs > len)
        return df_err_set(err, DF_E_TRUNCATED_FILE, "BMP file ends inside its %u-byte header", hs);
    const uint8_t *h = d + 14;
    unsigned planes;
    if (hs == 12) { /* BITMAPCOREHEADER: unsigned 16-bit sizes, always bottom-up */
        bi->width = rd16(h + 4);
        bi->height = rd16(h + 6);
        planes = rd16(h + 8);
        bi->bpp = rd16(h + 10);
        bi->pal_entry = 3;
    } else {
        bi->width = (int32_t)rd32(h + 4);
        bi->height = (int32_t)rd32(h + 8);
        planes = rd16(h + 12);
        bi->bpp = rd16(h + 14);
        bi->compression = hs >= 20 ? rd32(h + 16) : BI_RGB;
        bi->xppm = hs >= 28 ? (int32_t)rd32(h + 24) : 0;
        bi->clr_used = hs >= 36 ? rd32(h + 32) : 0;
        bi->pal_entry = 4;
        if (bi->height < 0) {
            bi->top_down = 1;
            bi->height = -bi->height; /* int64: no overflow for INT32_MIN */
        }
    }
    if (planes != 1)
        return df_err_set(err, DF_E_CORRUPT_FILE, "BMP header says %u colour planes (must be 1)", planes);
    switch (bi->bpp) {
    case 1: case 2: case 4: case 8: case 16: case 24: case 32:
        break;
    default:
        return df_err_set(err, DF_E_CORRUPT_FILE, "BMP header says %u bits per pixel", bi->bpp);
    }
    df_code rc = check_compression(bi, err);
    if (rc != DF_OK)
        return rc;
    rc = df_decode_check_dims(bi->width, bi->height, o, err);
    if (rc != DF_OK)
        return rc;
    /* Dimensions are now at most 2^20 each, so these cannot overflow 64 bits. */
    bi->stride = ((uint64_t)bi->width * bi->bpp + 31) / 32 * 4;
    if (bi->stride * (uint64_t)bi->height > SIZE_MAX)
        return df_err_set(err, DF_E_IMAGE_TOO_LARGE, "BMP pixel array does not fit in memory");
    rc = read_masks(d, len, bi, err);
    if (rc != DF_OK)
        return rc;
    if (bi->off_bits < bi->pal_off)
        return df_err_set(err, DF_E_CORRUPT_FILE,
                          "BMP pixel data offset %u points inside the %zu-byte header",
                          bi->off_bits, bi->pal_off);
    if (bi->off_bits > len) {
        /* The header's file size tells a file cut short from a wild offset. */
        if (bi->file_size > len && bi->off_bits <= bi->file_size)
            return df_err_set(err, DF_E_TRUNCATED_FILE,
                              "BMP file ends at byte %zu, before its pixel data at byte %u (truncated)",
                              len, bi->off_bits);
        return df_err_set(err, DF_E_CORRUPT_FILE,
                          "BMP pixel data offset %u is beyond the end of the file (%zu bytes)",
                          bi->off_bits, len);
    }
    return DF_OK;
}

/* Colour table into a 256-entry lookup; indices past the table use entry 0,
 * as ImageMagick does. *gray is set when every entry has r == g == b. */
static df_code read_palette(const uint8_t *d, size_t len, const bmp_info *bi,
                            uint32_t lut[256], uint8_t glut[256], int *gray, df_err *err)
{
    uint64_t n = bi->clr_used ? bi->clr_used : 1u << bi->bpp;
    if (n > (1u << bi->bpp))
        n = 1u << bi->bpp;
    /* The table may not run into the pixel data: some writers state 256
     * colours but store fewer, and offBits is the authority. */
    uint64_t room = (bi->off_bits - bi->pal_off) / bi->pal_entry;
    if (n > room)
        n = room;
    if (n == 0)
        return df_err_set(err, DF_E_CORRUPT_FILE, "BMP with %u bits per pixel has no colour table",
                          bi->bpp);
    if (bi->pal_off + n * bi->pal_entry > len) /* cannot happen: off_bits <= len */
        return df_err_set(err, DF_E_TRUNCATED_FILE, "BMP file ends inside its colour table");
    *gray = 1;
    for (unsigned i = 0; i < 256; i++) {
        const uint8_t *e = d + bi->pal_off + (size_t)(i < n ? i : 0) * bi->pal_entry;
        lut[i] = pack_rgb(e[2], e[1], e[0]);
        glut[i] = e[0];
        if (i < n && (e[0] != e[1] || e[1] != e[2]))
            *gray = 0;
    }
    return DF_OK;
}

static df_code short_rows(const bmp_info *bi, size_t avail, df_err *err)
{
    uint64_t need_last = ((uint64_t)bi->width * bi->bpp + 7) / 8;
    uint64_t need = (uint64_t)(bi->height - 1) * bi->stride + need_last;
    if (avail >= need) /* the last row's padding may be missing: harmless */
        return DF_OK;
    return df_err_set(err, DF_E_TRUNCATED_FILE, "BMP pixel data ends at row %llu of %lld (truncated)",
                      (unsigned long long)(avail / bi->stride), (long long)bi->height);
}

/* Uncompressed 1/2/4/8-bit rows into an 8 bpp PIX of palette indices. */
static void unpack_indexed(const uint8_t *px, const bmp_info *bi, PIX *idx)
{
    l_uint32 *data = pixGetData(idx);
    int wpl = pixGetWpl(idx);
    unsigned bpp = bi->bpp, mask = (1u << bpp) - 1;
    for (int64_t r = 0; r < bi->height; r++) {
        const uint8_t *src = px + (size_t)r * bi->stride;
        l_uint32 *line = data + (size_t)out_row(bi, r) * wpl;
        for (int64_t x = 0; x < bi->width; x++) {
            uint64_t bit = (uint64_t)x * bpp;
            unsigned v = (src[bit >> 3] >> (8 - bpp - (bit & 7))) & mask;
            SET_DATA_BYTE(line, x, v);
        }
    }
}

/* BI_RLE8 / BI_RLE4 into an 8 bpp PIX of indices (zeroed by pixCreate, so
 * skipped pixels stay index 0). Runs past the row end are clipped. */
static df_code unpack_rle(const uint8_t *p, size_t n, const bmp_info *bi, PIX *idx, df_err *err)
{
    l_uint32 *data = pixGetData(idx);
    int wpl = pixGetWpl(idx);
    int rle4 = bi->compression == BI_RLE4;
    int64_t x = 0, y = 0; /* y counts stored rows */
    size_t i = 0;
    while (y < bi->height) {
        if (n - i < 2)
            return df_err_set(err, DF_E_TRUNCATED_FILE,
                              "BMP RLE data ends at row %lld of %lld without an end marker (truncated)",
                              (long long)y, (long long)bi->height);
        unsigned c = p[i], v = p[i + 1];
        i += 2;
        l_uint32 *line = data + (size_t)out_row(bi, y) * wpl;
        if (c > 0) { /* encoded run: RLE4 alternates the two nibbles */
            for (unsigned k = 0; k < c && x + k < bi->width; k++)
                SET_DATA_BYTE(line, x + k, rle4 ? ((k & 1) ? v & 15 : v >> 4) : v);
            x += c;
            continue;
        }
        switch (v) {
        case 0: /* end of line */
            x = 0;
            y++;
            break;
        case 1: /* end of bitmap */
            return DF_OK;
        case 2: /* delta: right and "up" (towards later stored rows) */
            if (n - i < 2)
                return df_err_set(err, DF_E_TRUNCATED_FILE, "BMP RLE data ends inside a delta (truncated)");
            x += p[i];
            y += p[i + 1];
            i += 2;
            break;
        default: { /* absolute run of v pixels, padded to a 16-bit boundary */
            size_t bytes = rle4 ? (v + 1) / 2 : v;
            if (n - i < bytes)
                return df_err_set(err, DF_E_TRUNCATED_FILE,
                                  "BMP RLE data ends inside a literal run at row %lld (truncated)",
                                  (long long)y);
            for (unsigned k = 0; k < v && x + k < bi->width; k++)
                SET_DATA_BYTE(line, x + k,
                              rle4 ? (p[i + k / 2] >> ((k & 1) ? 0 : 4)) & 15 : p[i + k]);
            x += v;
            i += bytes + (bytes & 1);
            if (i > n)
                i = n;
            break;
        }
        }
    }
    return DF_OK;
}

/* Indices to output: the index PIX itself for a gray table, else RGB. */
static PIX *apply_palette(PIX *idx, const uint32_t lut[256], const uint8_t glut[256], int gray)
{
    int w = pixGetWidth(idx), h = pixGetHeight(idx), wpl = pixGetWpl(idx);
    l_uint32 *data = pixGetData(idx);
    if (gray) {
        for (int y = 0; y < h; y++) {
            l_uint32 *line = data + (size_t)y * wpl;
            for (int x = 0; x < w; x++)
                SET_DATA_BYTE(line, x, glut[GET_DATA_BYTE(line, x)]);
        }
        return pixClone(idx);
    }
    PIX *out = pixCreate(w, h, 32);
    if (!out)
        return NULL;
    pixSetSpp(out, 3);
    l_uint32 *od = pixGetData(out);
    int owpl = pixGetWpl(out);
    for (int y = 0; y < h; y++) {
        l_uint32 *line = data + (size_t)y * wpl, *oline = od + (size_t)y * owpl;
        for (int x = 0; x < w; x++)
            oline[x] = lut[GET_DATA_BYTE(line, x)];
    }
    return out;
}

static df_code no_memory(const bmp_info *bi, df_err *err)
{
    return df_err_set(err, DF_E_NO_MEMORY, "out of memory for a %lldx%lld BMP",
                      (long long)bi->width, (long long)bi->height);
}

static df_code decode_paletted(const uint8_t *d, size_t len, const bmp_info *bi, PIX **out,
                               df_err *err)
{
    uint32_t lut[256];
    uint8_t glut[256];
    int gray = 0;
    df_code rc = read_palette(d, len, bi, lut, glut, &gray, err);
    if (rc != DF_OK)
        return rc;
    const uint8_t *px = d + bi->off_bits;
    size_t avail = len - bi->off_bits;
    if (bi->compression == BI_RGB && (rc = short_rows(bi, avail, err)) != DF_OK)
        return rc;
    PIX *idx = pixCreate((int)bi->width, (int)bi->height, 8);
    if (!idx)
        return no_memory(bi, err);
    if (bi->compression == BI_RGB)
        unpack_indexed(px, bi, idx);
    else if ((rc = unpack_rle(px, avail, bi, idx, err)) != DF_OK) {
        pixDestroy(&idx);
        return rc;
    }
    *out = apply_palette(idx, lut, glut, gray);
    pixDestroy(&idx);
    return *out ? DF_OK : no_memory(bi, err);
}

/* 16/24/32-bit pixels into 32 bpp RGB, alpha flattened on white. */
static df_code decode_direct(const uint8_t *d, size_t len, const bmp_info *bi, PIX **out,
                             df_err *err)
{
    df_code rc = short_rows(bi, len - bi->off_bits, err);
    if (rc != DF_OK)
        return rc;
    PIX *pix = pixCreate((int)bi->width, (int)bi->height, 32);
    if (!pix)
        return no_memory(bi, err);
    pixSetSpp(pix, 3);
    chan ch[4];
    for (int i = 0; i < 4; i++)
        ch[i] = make_chan(bi->mask[i]);
    l_uint32 *data = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    const uint8_t *px = d + bi->off_bits;
    int any_alpha = 0;
    for (int64_t r = 0; r < bi->height; r++) {
        const uint8_t *src = px + (size_t)r * bi->stride;
        l_uint32 *line = data + (size_t)out_row(bi, r) * wpl;
        for (int64_t x = 0; x < bi->width; x++) {
            unsigned cr, cg, cb, ca = 255;
            if (bi->bpp == 24) {
                const uint8_t *s = src + 3 * x;
                cb = s[0]; cg = s[1]; cr = s[2];
            } else {
                uint32_t v = bi->bpp == 16 ? rd16(src + 2 * x) : rd32(src + 4 * x);
                cr = chan_value(&ch[0], v);
                cg = chan_value(&ch[1], v);
                cb = chan_value(&ch[2], v);
                if (bi->has_alpha) {
                    ca = chan_value(&ch[3], v);
                    any_alpha |= ca != 0;
                }
            }
            line[x] = pack_rgb(cr, cg, cb) | (bi->has_alpha ? (l_uint32)ca << L_ALPHA_SHIFT : 0);
        }
    }
    *out = pix;
    if (!bi->has_alpha)
        return DF_OK;
    /* An alpha mask with every alpha 0 comes from writers that leave the
     * byte unused; flattening it would give a blank page, so browsers treat
     * such images as opaque, and so do we. */
    int flatten = any_alpha;
    for (int y = 0; y < (int)bi->height; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        for (int x = 0; x < (int)bi->width; x++) {
            l_uint32 p = line[x];
            unsigned a = flatten ? p >> L_ALPHA_SHIFT & 0xff : 255;
            unsigned c[3] = {p >> L_RED_SHIFT & 0xff, p >> L_GREEN_SHIFT & 0xff, p >> L_BLUE_SHIFT & 0xff};
            for (int k = 0; k < 3 && a != 255; k++)
                c[k] = (c[k] * a + 255 * (255 - a) + 127) / 255;
            line[x] = pack_rgb(c[0], c[1], c[2]);
        }
    }
    return DF_OK;
}

df_code df_decode_bmp(const uint8_t *data, size_t len, const df_decode_opts *o, df_doc *doc,
                      df_err *err)
{
    bmp_info bi;
    df_code rc = parse_header(data, len, o, &bi, err);
    if (rc != DF_OK)
        return rc;
    PIX *pix = NULL;
    rc = bi.bpp <= 8 ? decode_paletted(data, len, &bi, &pix, err)
                     : decode_direct(data, len, &bi, &pix, err);
    if (rc != DF_OK)
        return rc;
    int dpi = bi.xppm > 0 ? df_decode_plausible_dpi(bi.xppm * 0.0254) : 0;
    return df_doc_add_pix(doc, o, pix, dpi, err);
}
