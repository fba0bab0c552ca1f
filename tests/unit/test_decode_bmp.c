/*
 * test_decode_bmp.c — the BMP reader against bitmaps built byte by byte.
 *
 * Every variant is synthesised here (fixtures/ is written by someone else
 * and real-world BMP variety is the point), so each expected pixel is known
 * exactly. A few files are also cross-checked against ImageMagick when
 * `convert` is installed, to make sure "exactly" means what others read.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/decode.h"

/* ---- building BMP bytes ------------------------------------------------ */

typedef struct buf {
    uint8_t *d;
    size_t len, cap;
} buf;

static void put8(buf *b, unsigned v)
{
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->d = realloc(b->d, b->cap);
        ck_assert_ptr_nonnull(b->d);
    }
    b->d[b->len++] = (uint8_t)v;
}
static void put16(buf *b, unsigned v) { put8(b, v & 255); put8(b, v >> 8 & 255); }
static void put32(buf *b, uint32_t v) { put16(b, v & 0xffff); put16(b, v >> 16); }
static void set32(buf *b, size_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b->d[at + i] = (uint8_t)(v >> (8 * i));
}

typedef struct spec {
    int hdr, w, h, top_down, bpp;
    uint32_t comp, masks[4], clr_used;
    int nmasks_after; /* masks written after a 40-byte header */
    const uint8_t (*pal)[3];
    int npal;
    int32_t xppm;
} spec;

/* Headers, masks and palette; pixel bytes are appended by the caller, then
 * finish() patches the sizes and offset. */
static buf begin(const spec *s)
{
    buf b = {0};
    put8(&b, 'B'); put8(&b, 'M'); put32(&b, 0); put32(&b, 0); put32(&b, 0);
    put32(&b, (uint32_t)s->hdr);
    if (s->hdr == 12) {
        put16(&b, (unsigned)s->w); put16(&b, (unsigned)s->h); put16(&b, 1); put16(&b, (unsigned)s->bpp);
    } else {
        put32(&b, (uint32_t)s->w);
        put32(&b, (uint32_t)(s->top_down ? -s->h : s->h));
        put16(&b, 1); put16(&b, (unsigned)s->bpp);
        put32(&b, s->comp); put32(&b, 0);
        put32(&b, (uint32_t)s->xppm); put32(&b, (uint32_t)s->xppm);
        put32(&b, s->clr_used); put32(&b, 0);
        for (int i = 0; b.len < 14u + (unsigned)s->hdr; i++)
            put32(&b, i < 4 ? s->masks[i] : 0); /* V2+: masks, then zeros */
    }
    for (int i = 0; i < s->nmasks_after; i++)
        put32(&b, s->masks[i]);
    for (int i = 0; i < s->npal; i++) {
        put8(&b, s->pal[i][2]); put8(&b, s->pal[i][1]); put8(&b, s->pal[i][0]);
        if (s->hdr != 12)
            put8(&b, 0);
    }
    set32(&b, 10, (uint32_t)b.len);
    return b;
}
static void finish(buf *b) { set32(b, 2, (uint32_t)b->len); }

/* Rows in file order from a top-first image, padded to 4 bytes. get(x,y)
 * returns the packed value of `bpp` bits (or 3 bytes BGR for 24). */
typedef uint32_t (*getpx)(int x, int y);
static void rows(buf *b, const spec *s, getpx get)
{
    for (int r = 0; r < s->h; r++) {
        int y = s->top_down ? r : s->h - 1 - r;
        size_t start = b->len;
        unsigned acc = 0, nbits = 0;
        for (int x = 0; x < s->w; x++) {
            uint32_t v = get(x, y);
            if (s->bpp < 8) {
                acc = acc << s->bpp | v;
                nbits += (unsigned)s->bpp;
                if (nbits == 8) { put8(b, acc); acc = nbits = 0; }
            } else if (s->bpp == 8) put8(b, v);
            else if (s->bpp == 16) put16(b, v);
            else if (s->bpp == 24) { put8(b, v & 255); put8(b, v >> 8 & 255); put8(b, v >> 16 & 255); }
            else put32(b, v);
        }
        if (nbits)
            put8(b, acc << (8 - nbits));
        while ((b->len - start) % 4)
            put8(b, 0);
    }
}

/* ---- decoding and reading back ----------------------------------------- */

static df_decode_opts opts(void)
{
    df_decode_opts o = {100u << 20, 50, 100000000, {NULL, NULL}, 0, NULL};
    return o;
}

static df_doc doc;
static df_err err;

static df_code decode(const buf *b)
{
    df_doc_clear(&doc);
    memset(&err, 0, sizeof err);
    df_decode_opts o = opts();
    return df_decode_bmp(b->d, b->len, &o, &doc, &err);
}

static void teardown(void) { df_doc_clear(&doc); }

static uint32_t rgb_at(PIX *p, int x, int y) /* 0xRRGGBB */
{
    l_uint32 *line = pixGetData(p) + (size_t)y * pixGetWpl(p);
    if (pixGetDepth(p) == 8) {
        unsigned g = GET_DATA_BYTE(line, x);
        return g << 16 | g << 8 | g;
    }
    l_uint32 v = line[x];
    return (v >> L_RED_SHIFT & 255) << 16 | (v >> L_GREEN_SHIFT & 255) << 8 | (v >> L_BLUE_SHIFT & 255);
}

static PIX *only_pix(int depth, int w, int h)
{
    ck_assert_uint_eq(doc.npages, 1);
    PIX *p = doc.pages[0].pix;
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(pixGetDepth(p), depth);
    ck_assert_int_eq(pixGetWidth(p), w);
    ck_assert_int_eq(pixGetHeight(p), h);
    ck_assert_int_eq(doc.pages[0].width, w);
    ck_assert_int_eq(doc.pages[0].height, h);
    if (depth == 32)
        ck_assert_int_eq(pixGetSpp(p), 3);
    ck_assert_ptr_null(pixGetColormap(p));
    return p;
}

static void expect_image(int depth, int w, int h, uint32_t (*want)(int x, int y))
{
    PIX *p = only_pix(depth, w, h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (rgb_at(p, x, y) != want(x, y))
                ck_abort_msg("pixel (%d,%d) is %06x, want %06x", x, y, rgb_at(p, x, y), want(x, y));
}

/* ---- ImageMagick cross-check -------------------------------------------- */

static int have_convert(void)
{
    static int have = -1;
    if (have < 0)
        have = system("convert -version >/dev/null 2>&1") == 0;
    return have;
}

/* Compare the decoded page with `convert f -depth 8 rgb:-` (plus extra args). */
static void cross_check(const buf *b, const char *extra)
{
    if (!have_convert())
        return;
    char dir[] = "/tmp/df_bmp_XXXXXX", path[64], cmd[256];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/x.bmp", dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(b->d, 1, b->len, f), b->len);
    fclose(f);
    snprintf(cmd, sizeof cmd, "convert '%s' %s -depth 8 rgb:- 2>/dev/null", path, extra);
    FILE *pp = popen(cmd, "r");
    ck_assert_ptr_nonnull(pp);
    PIX *p = doc.pages[0].pix;
    int w = pixGetWidth(p), h = pixGetHeight(p), bad = 0, maxdiff = *extra ? 1 : 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t im[3];
            ck_assert_uint_eq(fread(im, 1, 3, pp), 3);
            uint32_t v = rgb_at(p, x, y);
            for (int k = 0; k < 3; k++)
                if (abs((int)(v >> (16 - 8 * k) & 255) - im[k]) > maxdiff && bad++ < 3)
                    fprintf(stderr, "ImageMagick differs at (%d,%d): %06x vs %02x%02x%02x\n", x, y,
                            v, im[0], im[1], im[2]);
        }
    pclose(pp);
    unlink(path);
    rmdir(dir);
    ck_assert_int_eq(bad, 0);
}

/* ---- test images ---------------------------------------------------------- */

static const uint8_t bw[2][3] = {{0, 0, 0}, {255, 255, 255}};
static const uint8_t duo[2][3] = {{200, 10, 20}, {5, 40, 230}};
static const uint8_t pal16[16][3] = {
    {0, 0, 0}, {128, 0, 0}, {0, 128, 0}, {128, 128, 0}, {0, 0, 128}, {128, 0, 128},
    {0, 128, 128}, {192, 192, 192}, {128, 128, 128}, {255, 0, 0}, {0, 255, 0},
    {255, 255, 0}, {0, 0, 255}, {255, 0, 255}, {0, 255, 255}, {255, 255, 255}};
static uint8_t gray256[256][3], col256[256][3];

static uint32_t pal_rgb(const uint8_t (*pal)[3], unsigned i)
{
    return (uint32_t)pal[i][0] << 16 | (uint32_t)pal[i][1] << 8 | pal[i][2];
}

static uint32_t idx1(int x, int y) { return (unsigned)(x * 3 + y * 5) % 7 < 3; }
static uint32_t want_bw(int x, int y) { return idx1(x, y) ? 0xffffff : 0; }
static uint32_t want_duo(int x, int y) { return pal_rgb(duo, idx1(x, y)); }
static uint32_t idx4(int x, int y) { return (unsigned)(x + 3 * y) % 16; }
static uint32_t want4(int x, int y) { return pal_rgb(pal16, idx4(x, y)); }
static uint32_t idx8(int x, int y) { return (unsigned)(x * 37 + y * 11) % 256; }
static uint32_t want8g(int x, int y) { return pal_rgb(gray256, idx8(x, y)); }
static uint32_t want8c(int x, int y) { return pal_rgb(col256, idx8(x, y)); }
/* 5 colours used; indices 5.. fall back to entry 0 */
static uint32_t idx8s(int x, int y) { return (unsigned)(x + y) % 8; }
static uint32_t want8s(int x, int y) { return pal_rgb(col256, idx8s(x, y) < 5 ? idx8s(x, y) : 0); }
static uint32_t rgb24(int x, int y) { return (uint32_t)(x * 40 % 256) << 16 | (uint32_t)(y * 30 % 256) << 8 | (uint32_t)((x * y * 7) % 256); }
static uint32_t px32x(int x, int y) { return rgb24(x, y) | 0x5A000000u; } /* junk in byte 4 */

/* 16 bit: encode 5/6-bit levels, expect bit replication */
static unsigned lv(int x, int y, int k, int bits) { return (unsigned)(x * 7 + y * 3 + k * 11) % (1u << bits); }
static unsigned rep(unsigned v, int bits) { return bits == 5 ? (v << 3 | v >> 2) : (v << 2 | v >> 4); }
static uint32_t px555(int x, int y) { return lv(x, y, 0, 5) << 10 | lv(x, y, 1, 5) << 5 | lv(x, y, 2, 5); }
static uint32_t want555(int x, int y) { return rep(lv(x, y, 0, 5), 5) << 16 | rep(lv(x, y, 1, 5), 5) << 8 | rep(lv(x, y, 2, 5), 5); }
static uint32_t px565(int x, int y) { return lv(x, y, 0, 5) << 11 | lv(x, y, 1, 6) << 5 | lv(x, y, 2, 5); }
static uint32_t want565(int x, int y) { return rep(lv(x, y, 0, 5), 5) << 16 | rep(lv(x, y, 1, 6), 6) << 8 | rep(lv(x, y, 2, 5), 5); }

/* 32-bit bit fields in an unusual order (A B G R from the top) with alpha */
static unsigned alpha_of(int x, int y) { return (unsigned)(x * 60 + y * 20) % 256; }
static uint32_t pxabgr(int x, int y)
{
    uint32_t c = rgb24(x, y);
    return alpha_of(x, y) << 24 | (c & 255) << 16 | (c >> 8 & 255) << 8 | c >> 16;
}
static unsigned on_white(unsigned c, unsigned a) { return (c * a + 255 * (255 - a) + 127) / 255; }
static uint32_t want_abgr(int x, int y)
{
    uint32_t c = rgb24(x, y);
    unsigned a = alpha_of(x, y);
    return on_white(c >> 16, a) << 16 | on_white(c >> 8 & 255, a) << 8 | on_white(c & 255, a);
}
static uint32_t px_noalpha(int x, int y) { return pxabgr(x, y) & 0x00ffffff; }
/* 10-10-10 fields: the top 8 bits of each count */
static uint32_t px101010(int x, int y)
{
    return (uint32_t)lv(x, y, 0, 10) << 20 | (uint32_t)lv(x, y, 1, 10) << 10 | lv(x, y, 2, 10);
}
static uint32_t want101010(int x, int y)
{
    return (lv(x, y, 0, 10) >> 2) << 16 | (lv(x, y, 1, 10) >> 2) << 8 | lv(x, y, 2, 10) >> 2;
}

static void init_pals(void)
{
    for (int i = 0; i < 256; i++) {
        gray256[i][0] = gray256[i][1] = gray256[i][2] = (uint8_t)(255 - i);
        col256[i][0] = (uint8_t)i; col256[i][1] = (uint8_t)(i * 7); col256[i][2] = (uint8_t)(255 - i / 2);
    }
}

static buf simple(spec s, getpx get)
{
    buf b = begin(&s);
    rows(&b, &s, get);
    finish(&b);
    return b;
}

/* ---- tests: pixel formats ---------------------------------------------- */

/* Build s from get(), decode, compare with want() and, when xcheck is not
 * NULL, with ImageMagick run with those extra arguments. */
static void roundtrip(spec s, getpx get, int depth, getpx want, const char *xcheck)
{
    buf b = simple(s, get);
    ck_assert_msg(decode(&b) == DF_OK, "%s", err.msg);
    expect_image(depth, s.w, s.h, want);
    if (xcheck)
        cross_check(&b, xcheck);
    free(b.d);
}

START_TEST(bits1_gray_and_color)
{
    spec s = {.hdr = 40, .w = 13, .h = 9, .bpp = 1, .pal = bw, .npal = 2, .xppm = 11811};
    roundtrip(s, idx1, 8, want_bw, "");
    ck_assert_int_eq(doc.pages[0].dpi, 300);
    s.pal = duo;
    s.xppm = 0;
    roundtrip(s, idx1, 32, want_duo, NULL);
    ck_assert_int_eq(doc.pages[0].dpi, 0);
}
END_TEST

START_TEST(bits4_and_8)
{
    roundtrip((spec){.hdr = 40, .w = 7, .h = 5, .bpp = 4, .pal = pal16, .npal = 16}, idx4, 32, want4, "");
    spec s = {.hdr = 40, .w = 19, .h = 6, .bpp = 8, .pal = gray256, .npal = 256};
    roundtrip(s, idx8, 8, want8g, "");
    s.pal = col256;
    s.top_down = 1;
    roundtrip(s, idx8, 32, want8c, "");
    /* biClrUsed = 5: a short table, and indices past it use entry 0 */
    s = (spec){.hdr = 40, .w = 9, .h = 4, .bpp = 8, .pal = col256, .npal = 5, .clr_used = 5};
    roundtrip(s, idx8s, 32, want8s, NULL);
}
END_TEST

START_TEST(bits24_32)
{
    spec s = {.hdr = 40, .w = 5, .h = 7, .bpp = 24};
    roundtrip(s, rgb24, 32, rgb24, "");
    s.top_down = 1;
    roundtrip(s, rgb24, 32, rgb24, "");
    /* BI_RGB 32-bit: the fourth byte is not alpha */
    roundtrip((spec){.hdr = 40, .w = 6, .h = 3, .bpp = 32}, px32x, 32, rgb24, NULL);
}
END_TEST

START_TEST(bits16)
{
    roundtrip((spec){.hdr = 40, .w = 11, .h = 4, .bpp = 16}, px555, 32, want555, "");
    spec s = {.hdr = 40, .w = 11, .h = 4, .bpp = 16, .comp = 3,
              .masks = {0xF800, 0x07E0, 0x001F}, .nmasks_after = 3};
    roundtrip(s, px565, 32, want565, "");
    s.hdr = 56; /* masks inside a V3 header */
    s.nmasks_after = 0;
    roundtrip(s, px565, 32, want565, NULL);
}
END_TEST

START_TEST(bitfields32)
{
    spec s = {.hdr = 124, .w = 9, .h = 5, .bpp = 32, .comp = 3,
              .masks = {0x000000FF, 0x0000FF00, 0x00FF0000, 0xFF000000}};
    roundtrip(s, pxabgr, 32, want_abgr, "-background white -alpha remove");
    /* every alpha 0: the writer meant "no alpha"; not a blank white page */
    roundtrip(s, px_noalpha, 32, rgb24, NULL);
    s.hdr = 108; /* V4 */
    roundtrip(s, pxabgr, 32, want_abgr, NULL);
    s.hdr = 40; /* BI_ALPHABITFIELDS: four masks after a 40-byte header */
    s.comp = 6;
    s.nmasks_after = 4;
    roundtrip(s, pxabgr, 32, want_abgr, NULL);
    /* V2 (52) has no alpha mask: colour only */
    s = (spec){.hdr = 52, .w = 9, .h = 5, .bpp = 32, .comp = 3, .masks = {0xFF, 0xFF00, 0xFF0000}};
    roundtrip(s, pxabgr, 32, rgb24, NULL);
    s = (spec){.hdr = 40, .w = 8, .h = 3, .bpp = 32, .comp = 3, .nmasks_after = 3,
               .masks = {0x3FF00000, 0x000FFC00, 0x000003FF}};
    roundtrip(s, px101010, 32, want101010, NULL);
}
END_TEST

START_TEST(core_header)
{
    roundtrip((spec){.hdr = 12, .w = 10, .h = 4, .bpp = 8, .pal = col256, .npal = 256}, idx8, 32,
              want8c, "");
    roundtrip((spec){.hdr = 12, .w = 10, .h = 4, .bpp = 24}, rgb24, 32, rgb24, NULL);
}
END_TEST

/* ---- RLE ------------------------------------------------------------------ */

/* RLE8 8x4, stored bottom row first:
 *  row0: run 3 x idx1 | literal [2 3 1] (odd: pad) | EOL       -> 1 1 1 2 3 1 0 0
 *  row1: delta (2,1) -> row2, x=2                               -> all 0
 *  row2: run 10 x idx3 (clipped at the row end) | EOL           -> 0 0 3 3 3 3 3 3
 *  row3: literal [1 2 3 1] | EOB                                -> 1 2 3 1 0 0 0 0 */
static const uint8_t rle8[] = {3, 1, 0, 3, 2, 3, 1, 0, 0, 0, 0, 2, 2, 1,
                               10, 3, 0, 0, 0, 4, 1, 2, 3, 1, 0, 1};
static const uint8_t rle8_rows[4][8] = {
    {1, 1, 1, 2, 3, 1, 0, 0}, {0}, {0, 0, 3, 3, 3, 3, 3, 3}, {1, 2, 3, 1, 0, 0, 0, 0}};
static uint32_t want_rle8(int x, int y) { return pal_rgb(col256, rle8_rows[3 - y][x]); }

/* RLE4 7x3:
 *  row0: run 5 of 0x12 -> 1 2 1 2 1 | literal 3 nibbles [34 50] -> 3 4 (5 clipped) | EOL
 *  row1: literal 5 nibbles [67 89 A0] + pad -> 6 7 8 9 10 | delta (1,1) -> row2 x=6
 *  row2: run 1 of 0xF0 -> x6 = 15 | EOB */
static const uint8_t rle4[] = {5, 0x12, 0, 3, 0x34, 0x50, 0, 0,
                               0, 5, 0x67, 0x89, 0xA0, 0, 0, 2, 1, 1,
                               1, 0xF0, 0, 1};
static const uint8_t rle4_rows[3][7] = {
    {1, 2, 1, 2, 1, 3, 4}, {6, 7, 8, 9, 10, 0, 0}, {0, 0, 0, 0, 0, 0, 15}};
static uint32_t want_rle4(int x, int y) { return pal_rgb(pal16, rle4_rows[2 - y][x]); }

static buf rle_file(int bits, const uint8_t *data, size_t n, int w, int h)
{
    spec s = {.hdr = 40, .w = w, .h = h, .bpp = bits, .comp = bits == 8 ? 1 : 2,
              .pal = bits == 8 ? (const uint8_t(*)[3])col256 : pal16, .npal = bits == 8 ? 256 : 16};
    buf b = begin(&s);
    for (size_t i = 0; i < n; i++)
        put8(&b, data[i]);
    finish(&b);
    return b;
}

START_TEST(rle8_and_rle4)
{
    buf b = rle_file(8, rle8, sizeof rle8, 8, 4);
    ck_assert_int_eq(decode(&b), DF_OK);
    expect_image(32, 8, 4, want_rle8);
    cross_check(&b, "");
    free(b.d);
    b = rle_file(4, rle4, sizeof rle4, 7, 3);
    ck_assert_int_eq(decode(&b), DF_OK);
    expect_image(32, 7, 3, want_rle4);
    cross_check(&b, "");
    free(b.d);
}
END_TEST

START_TEST(rle_bad_streams)
{
    /* ends without EOB before the last row */
    buf b = rle_file(8, rle8, 12, 8, 4);
    ck_assert_int_eq(decode(&b), DF_E_TRUNCATED_FILE);
    ck_assert_ptr_nonnull(strstr(err.msg, "RLE"));
    free(b.d);
    /* endless zero deltas must end with the data, not loop */
    uint8_t spin[4000];
    for (size_t i = 0; i < sizeof spin; i += 4) {
        spin[i] = 0; spin[i + 1] = 2; spin[i + 2] = 0; spin[i + 3] = 0;
    }
    b = rle_file(8, spin, sizeof spin, 8, 4);
    ck_assert_int_eq(decode(&b), DF_E_TRUNCATED_FILE);
    free(b.d);
    /* huge deltas leave the bitmap: done, rest stays index 0 */
    const uint8_t far[] = {2, 5, 0, 2, 255, 255};
    b = rle_file(8, far, sizeof far, 8, 4);
    ck_assert_int_eq(decode(&b), DF_OK);
    free(b.d);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

START_TEST(truncated)
{
    spec s = {.hdr = 40, .w = 10, .h = 40, .bpp = 24};
    buf b = simple(s, rgb24);
    size_t full = b.len;
    b.len = 54 + 32 * 12 + 5; /* stride 32: 12 full rows and a bit */
    ck_assert_int_eq(decode(&b), DF_E_TRUNCATED_FILE);
    ck_assert_str_eq(err.msg, "BMP pixel data ends at row 12 of 40 (truncated)");
    b.len = full - 2; /* only the last row's padding missing: fine */
    ck_assert_int_eq(decode(&b), DF_OK);
    b.len = 30;
    ck_assert_int_eq(decode(&b), DF_E_TRUNCATED_FILE);
    b.len = 54; /* header only */
    ck_assert_int_eq(decode(&b), DF_E_TRUNCATED_FILE);
    set32(&b, 10, 1078); /* cut before the stated pixel offset; bfSize says more */
    ck_assert_int_eq(decode(&b), DF_E_TRUNCATED_FILE);
    b.len = 17;
    ck_assert_int_eq(decode(&b), DF_E_TRUNCATED_FILE);
    free(b.d);
}
END_TEST

static df_code with_field(size_t at, int width, uint32_t v)
{
    spec s = {.hdr = 40, .w = 4, .h = 4, .bpp = 24};
    buf b = simple(s, rgb24);
    if (width == 2) { b.d[at] = v & 255; b.d[at + 1] = v >> 8 & 255; }
    else set32(&b, at, v);
    df_code rc = decode(&b);
    free(b.d);
    return rc;
}

START_TEST(corrupt_headers)
{
    ck_assert_int_eq(with_field(14, 4, 41), DF_E_CORRUPT_FILE);          /* header size */
    ck_assert_int_eq(with_field(26, 2, 2), DF_E_CORRUPT_FILE);           /* planes */
    ck_assert_int_eq(with_field(28, 2, 7), DF_E_CORRUPT_FILE);           /* bpp */
    ck_assert_int_eq(with_field(30, 4, 9), DF_E_CORRUPT_FILE);           /* compression */
    ck_assert_int_eq(with_field(30, 4, 1), DF_E_CORRUPT_FILE);           /* RLE8 at 24 bpp */
    ck_assert_int_eq(with_field(18, 4, 0), DF_E_CORRUPT_FILE);           /* width 0 */
    ck_assert_int_eq(with_field(10, 4, 0xFFFFFF00u), DF_E_CORRUPT_FILE); /* offset past end */
    ck_assert_int_eq(with_field(10, 4, 20), DF_E_CORRUPT_FILE);          /* offset in header */
    ck_assert_int_eq(with_field(30, 4, 4), DF_E_UNSUPPORTED_FORMAT);     /* BI_JPEG */
    ck_assert_ptr_nonnull(strstr(err.msg, "JPEG"));
    ck_assert_int_eq(with_field(30, 4, 5), DF_E_UNSUPPORTED_FORMAT);     /* BI_PNG */
    ck_assert_ptr_nonnull(strstr(err.msg, "PNG"));
    /* a paletted image whose offset leaves no room for a colour table */
    spec s = {.hdr = 40, .w = 4, .h = 2, .bpp = 8};
    buf b = simple(s, idx8);
    ck_assert_int_eq(decode(&b), DF_E_CORRUPT_FILE);
    free(b.d);
}
END_TEST

START_TEST(too_large_before_allocating)
{
    /* header only: a decoder that allocated or read first would say
     * "truncated" (or die trying to get 14 GB) */
    spec s = {.hdr = 40, .w = 60000, .h = 60000, .bpp = 32};
    buf b = begin(&s);
    finish(&b);
    ck_assert_int_eq(decode(&b), DF_E_IMAGE_TOO_LARGE);
    ck_assert_uint_eq(doc.npages, 0);
    set32(&b, 22, (uint32_t)-60000); /* top-down */
    ck_assert_int_eq(decode(&b), DF_E_IMAGE_TOO_LARGE);
    set32(&b, 22, 0x80000000u); /* INT32_MIN height */
    ck_assert_int_eq(decode(&b), DF_E_IMAGE_TOO_LARGE);
    free(b.d);
}
END_TEST

START_TEST(through_df_decode)
{
    spec s = {.hdr = 40, .w = 3, .h = 3, .bpp = 24};
    buf b = simple(s, rgb24);
    df_decode_opts o = opts();
    df_doc_clear(&doc);
    ck_assert_int_eq(df_decode(b.d, b.len, &o, &doc, &err), DF_OK);
    ck_assert_int_eq(doc.format, DF_FMT_BMP);
    ck_assert_uint_eq(doc.npages, 1);
    free(b.d);
}
END_TEST

/* Random damage to valid files: any code is fine, a crash or leak is not
 * (the sanitizer build turns those into failures). */
START_TEST(mutations_do_not_crash)
{
    buf seeds[4];
    spec s1 = {.hdr = 40, .w = 13, .h = 9, .bpp = 1, .pal = bw, .npal = 2};
    spec s2 = {.hdr = 124, .w = 9, .h = 5, .bpp = 32, .comp = 3,
               .masks = {0xFF, 0xFF00, 0xFF0000, 0xFF000000}};
    seeds[0] = simple(s1, idx1);
    seeds[1] = simple(s2, pxabgr);
    seeds[2] = rle_file(8, rle8, sizeof rle8, 8, 4);
    seeds[3] = rle_file(4, rle4, sizeof rle4, 7, 3);
    srand(1234);
    for (int i = 0; i < 4000; i++) {
        buf *sd = &seeds[i % 4];
        buf m = {malloc(sd->len), sd->len, sd->len};
        memcpy(m.d, sd->d, sd->len);
        for (int k = 0, n = 1 + rand() % 4; k < n; k++)
            m.d[2 + (size_t)rand() % (m.len - 2)] = (uint8_t)rand();
        if (rand() % 4 == 0)
            m.len = 2 + (size_t)rand() % (m.len - 2);
        (void)decode(&m);
        free(m.d);
    }
    for (int i = 0; i < 4; i++)
        free(seeds[i].d);
}
END_TEST

/* ImageMagick's own BMP writer (RLE8 and 1/4/24-bit) read by us. */
START_TEST(imagemagick_written)
{
    if (!have_convert())
        return;
    static const char *variants[] = {
        "-size 40x30 gradient:red-blue -colors 16 -type palette -compress RLE BMP3:",
        "-size 33x17 plasma:fractal -type truecolor BMP3:",
        "-size 33x17 gradient: -type bilevel BMP3:",
        "-size 21x9 gradient:yellow-navy -colors 12 -type palette BMP2:",
        "-size 21x9 gradient:green-white -define bmp:format=bmp4 -alpha off BMP:"};
    for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
        char dir[] = "/tmp/df_bmp_XXXXXX", cmd[512], path[64];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/x.bmp", dir);
        snprintf(cmd, sizeof cmd, "convert %s%s 2>/dev/null", variants[v], path);
        ck_assert_int_eq(system(cmd), 0);
        FILE *f = fopen(path, "rb");
        ck_assert_ptr_nonnull(f);
        buf b = {malloc(1 << 20), 0, 1 << 20};
        b.len = fread(b.d, 1, b.cap, f);
        fclose(f);
        unlink(path);
        rmdir(dir);
        ck_assert_int_eq(decode(&b), DF_OK);
        cross_check(&b, "");
        free(b.d);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("decode_bmp");
    TCase *tc = tcase_create("bmp");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, bits1_gray_and_color);
    tcase_add_test(tc, bits4_and_8);
    tcase_add_test(tc, bits24_32);
    tcase_add_test(tc, bits16);
    tcase_add_test(tc, bitfields32);
    tcase_add_test(tc, core_header);
    tcase_add_test(tc, rle8_and_rle4);
    tcase_add_test(tc, rle_bad_streams);
    tcase_add_test(tc, truncated);
    tcase_add_test(tc, corrupt_headers);
    tcase_add_test(tc, too_large_before_allocating);
    tcase_add_test(tc, through_df_decode);
    tcase_add_test(tc, mutations_do_not_crash);
    tcase_add_test(tc, imagemagick_written);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    init_pals();
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
