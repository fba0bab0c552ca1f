/*
 * test_decode_jpeg_png_webp.c — the JPEG, PNG and WEBP decoders against
 * ImageMagick 6, which is what users open our output next to.
 *
 * Inputs are made at test time in a private temp dir with `convert` (or by
 * patching bytes of its output), so the suite needs no fixture files. Each
 * decode is compared with `convert X -background white -alpha remove
 * -auto-orient` written as PPM/PGM: PNG and lossless WEBP must be
 * pixel-identical, lossy formats at least 40 dB PSNR. Error cases check
 * the exact df_code, since callers branch on it.
 */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

static char g_dir[64];
static int g_diag_count;

static void on_diag(void *ud, df_diag_level lv, const char *msg)
{
    (void)ud, (void)lv, (void)msg;
    g_diag_count++;
}

static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    ck_assert_msg(rc == 0, "command failed (%d): %s", rc, cmd);
}

static uint8_t *slurp(const char *name, size_t *n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *d = malloc(sz > 0 ? (size_t)sz : 1);
    ck_assert(d && fread(d, 1, (size_t)sz, f) == (size_t)sz);
    fclose(f);
    *n = (size_t)sz;
    return d;
}

static void spit(const char *name, const uint8_t *d, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert(f && fwrite(d, 1, n, f) == n);
    fclose(f);
}

/* Decode n bytes from an exact-size heap copy (ASan sees over-reads). */
static df_code decode_mem(const uint8_t *d, size_t n, uint64_t max_pixels, df_doc *doc,
                          df_err *err)
{
    df_decode_opts o = {.max_file_bytes = 1u << 30, .max_pages = 50,
                        .max_pixels = max_pixels, .diag = {on_diag, NULL}};
    uint8_t *copy = malloc(n ? n : 1);
    memcpy(copy, d, n);
    memset(doc, 0, sizeof *doc);
    memset(err, 0, sizeof *err);
    df_code rc = df_decode(copy, n, &o, doc, err);
    free(copy);
    ck_assert_int_eq(rc, err->code);
    return rc;
}

/* The code a (possibly modified) buffer decodes to; the doc is cleared. */
static df_code code_of(const uint8_t *d, size_t n, uint64_t max_pixels, char *msg)
{
    df_doc doc;
    df_err err;
    df_code rc = decode_mem(d, n, max_pixels, &doc, &err);
    if (msg)
        snprintf(msg, DF_ERROR_MAX, "%s", err.msg);
    if (rc == DF_OK)
        ck_assert_int_eq(doc.npages, 1);
    df_doc_clear(&doc);
    return rc;
}

/* PSNR of page 0 of `name` against ImageMagick's rendering of the same
 * file (INFINITY when identical). `im` adds options before -auto-orient. */
static double versus_im(const char *name, int want_gray, const char *im, df_page *out)
{
    size_t n, rn;
    uint8_t *d = slurp(name, &n);
    df_doc doc;
    df_err err;
    df_code rc = decode_mem(d, n, 100000000, &doc, &err);
    free(d);
    ck_assert_msg(rc == DF_OK, "%s: %s", name, err.msg);
    PIX *pix = doc.pages[0].pix;
    ck_assert_int_eq(pixGetDepth(pix), want_gray ? 8 : 32);
    ck_assert_ptr_null(pixGetColormap(pix));
    if (!want_gray)
        ck_assert_int_eq(pixGetSpp(pix), 3);
    sh("convert '%s/%s' -background white -alpha remove -alpha off %s -auto-orient "
       "-depth 8 %s:'%s/%s.ref'", g_dir, name, im, want_gray ? "pgm" : "ppm", g_dir, name);
    char ref[128];
    snprintf(ref, sizeof ref, "%s.ref", name);
    uint8_t *r = slurp(ref, &rn);
    int w, h, maxv, off;
    ck_assert(sscanf((char *)r, want_gray ? "P5 %d %d %d%n" : "P6 %d %d %d%n",
                     &w, &h, &maxv, &off) == 3);
    off++; /* the single whitespace after maxval */
    ck_assert_int_eq(w, pixGetWidth(pix));
    ck_assert_int_eq(h, pixGetHeight(pix));
    int spp = want_gray ? 1 : 3;
    ck_assert_uint_eq(rn, (size_t)off + (size_t)w * h * spp);
    double se = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            l_uint32 v;
            pixGetPixel(pix, x, y, &v);
            int got[3] = {(int)(v >> L_RED_SHIFT & 255), (int)(v >> L_GREEN_SHIFT & 255),
                          (int)(v >> L_BLUE_SHIFT & 255)};
            if (want_gray)
                got[0] = (int)v;
            for (int k = 0; k < spp; k++) {
                int e = got[k] - r[off + ((size_t)y * w + x) * spp + k];
                se += (double)e * e;
            }
        }
    free(r);
    if (out) {
        *out = doc.pages[0];
        out->pix = NULL;
    }
    df_doc_clear(&doc);
    double mse = se / ((double)w * h * spp);
    return mse == 0 ? INFINITY : 10 * log10(255.0 * 255.0 / mse);
}

/* Index of the first occurrence of a byte string, or -1. */
static long find(const uint8_t *d, size_t n, const void *pat, size_t pn)
{
    for (size_t i = 0; i + pn <= n; i++)
        if (memcmp(d + i, pat, pn) == 0)
            return (long)i;
    return -1;
}

/* ---- PNG ------------------------------------------------------------------ */

static uint32_t crc32_png(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* Recompute the CRC of the chunk whose type starts at d[t]. */
static void fix_crc(uint8_t *d, long t)
{
    uint32_t len = (uint32_t)d[t - 4] << 24 | d[t - 3] << 16 | d[t - 2] << 8 | d[t - 1];
    put_be32(d + t + 4 + len, crc32_png(d + t, 4 + len));
}

static const struct png_case {
    const char *name, *make;
    int color_type, bit_depth, interlace;
} png_cases[] = {
    {"rgb8.png", "base.png -depth 8 PNG24:", 2, 8, 0},
    {"rgb16.png", "base16.png -depth 16 PNG48:", 2, 16, 0},
    {"pal.png", "base.png -colors 64 PNG8:", 3, 8, 0},
    {"paltrns.png", "alpha.png -colors 64 PNG8:", 3, 8, 0},
    {"pal4.png", "base.png -colors 12 -define png:bit-depth=4 -define png:color-type=3 ", 3, 4, 0},
    {"gray8.png", "base.png -colorspace gray -define png:color-type=0 -define png:bit-depth=8 ", 0, 8, 0},
    {"gray1.png", "base.png -threshold 50% -define png:color-type=0 -define png:bit-depth=1 ", 0, 1, 0},
    {"gray16.png", "base16.png -colorspace gray -define png:color-type=0 -depth 16 ", 0, 16, 0},
    {"ga8.png", "alpha.png -colorspace gray -define png:color-type=4 -define png:bit-depth=8 ", 4, 8, 0},
    {"ga16.png", "alpha16.png -colorspace gray -define png:color-type=4 -depth 16 ", 4, 16, 0},
    {"rgba8.png", "alpha.png PNG32:", 6, 8, 0},
    {"rgba16.png", "alpha16.png PNG64:", 6, 16, 0},
    /* every (colour, alpha) pair once: the flattening formula, exhaustively */
    {"pairs.png", "-size 256x256 xc: -channel RGB -fx i/255 -channel A -fx j/255 +channel PNG32:",
     6, 8, 0},
    {"ilace.png", "base.png -interlace PNG PNG24:", 2, 8, 1},
    {"ilace16a.png", "alpha16.png -interlace PNG PNG64:", 6, 16, 1},
    {"ilace3x2.png", "-size 3x2 gradient:red-blue -interlace PNG PNG24:", 2, 8, 1},
    {"ilace1x1.png", "-size 1x1 xc:#123456 -interlace PNG PNG24:", 2, 8, 1},
};

START_TEST(png_matches_imagemagick)
{
    const struct png_case *c = &png_cases[_i];
    sh("cd '%s' && convert %s%s", g_dir, c->make, c->name);
    size_t n;
    uint8_t *d = slurp(c->name, &n);
    /* Make sure ImageMagick wrote the variant this case is about. */
    ck_assert_msg(d[24] == c->bit_depth && d[25] == c->color_type && d[28] == c->interlace,
                  "%s: got depth %d type %d interlace %d", c->name, d[24], d[25], d[28]);
    free(d);
    int gray = c->color_type == 0 || c->color_type == 4;
    double psnr = versus_im(c->name, gray, "", NULL);
    ck_assert_msg(isinf(psnr), "%s: PSNR %.2f, expected identical", c->name, psnr);
}
END_TEST

/* Gray with a tRNS colour key: libpng turns it into gray+alpha. */
START_TEST(png_gray_trns)
{
    size_t n;
    uint8_t *d = slurp("gray8.png", &n), *m = malloc(n + 14);
    static const uint8_t trns[] = {0, 0, 0, 2, 't', 'R', 'N', 'S', 0, 0, 0, 0, 0, 0};
    memcpy(m, d, 33);
    memcpy(m + 33, trns, 14); /* key = 0: the black shapes vanish */
    fix_crc(m, 37);
    memcpy(m + 47, d + 33, n - 33);
    spit("graytrns.png", m, n + 14);
    ck_assert(isinf(versus_im("graytrns.png", 1, "", NULL)));
    free(m);
    free(d);
}
END_TEST

START_TEST(png_dpi)
{
    df_page p;
    sh("cd '%s' && convert base.png -units PixelsPerInch -density 300 d300.png && "
       "convert base.png -units PixelsPerInch -density 10 d10.png", g_dir);
    versus_im("d300.png", 0, "", &p);
    ck_assert_int_eq(p.dpi, 300);
    ck_assert(fabs(p.width_pt - 97 * 72.0 / 300) < 1e-9);
    versus_im("d10.png", 0, "", &p);
    ck_assert_int_eq(p.dpi, 0); /* absurd: not believed */
    ck_assert(p.width_pt == 0);
    versus_im("base.png", 0, "", &p); /* no pHYs */
    ck_assert_int_eq(p.dpi, 0);
}
END_TEST

START_TEST(png_errors)
{
    size_t n;
    char msg[DF_ERROR_MAX];
    uint8_t *d = slurp("base.png", &n);
    uint8_t *m = malloc(n + 64);
    long idat = find(d, n, "IDAT", 4), ihdr = find(d, n, "IHDR", 4);
    ck_assert(idat > 0 && ihdr == 12);

    ck_assert_int_eq(code_of(d, (size_t)idat + 100, 100000000, msg), DF_E_TRUNCATED_FILE);
    ck_assert_msg(strstr(msg, "truncated") != NULL, "%s", msg);
    ck_assert_int_eq(code_of(d, 20, 100000000, NULL), DF_E_TRUNCATED_FILE);
    ck_assert_int_eq(code_of(d, 8, 100000000, NULL), DF_E_TRUNCATED_FILE);

    memcpy(m, d, n); /* pixel data damaged: the CRC says so */
    m[idat + 40] ^= 0x55;
    ck_assert_int_eq(code_of(m, n, 100000000, NULL), DF_E_CORRUPT_FILE);
    memcpy(m, d, n); /* header CRC */
    m[ihdr + 4 + 13] ^= 1;
    ck_assert_int_eq(code_of(m, n, 100000000, NULL), DF_E_CORRUPT_FILE);
    memcpy(m, d, n); /* CRC fine, zlib stream broken */
    m[idat + 4] = 0xFF;
    fix_crc(m, idat);
    ck_assert_int_eq(code_of(m, n, 100000000, NULL), DF_E_CORRUPT_FILE);

    /* Huge headers are refused before any pixel memory exists. */
    const uint32_t sizes[][2] = {{60000, 60000}, {0x7FFFFFFF, 1}, {1, 2000000}};
    for (int i = 0; i < 3; i++) {
        memcpy(m, d, n);
        put_be32(m + 16, sizes[i][0]);
        put_be32(m + 20, sizes[i][1]);
        fix_crc(m, ihdr);
        ck_assert_int_eq(code_of(m, n, 100000000, NULL), DF_E_IMAGE_TOO_LARGE);
    }
    ck_assert_int_eq(code_of(d, n, 1000, NULL), DF_E_IMAGE_TOO_LARGE);
    memcpy(m, d, n);
    put_be32(m + 16, 0);
    fix_crc(m, ihdr);
    ck_assert_int_eq(code_of(m, n, 100000000, NULL), DF_E_CORRUPT_FILE);

    /* A damaged ancillary chunk is a warning, not a failure. */
    static const uint8_t text[] = "\0\0\0\5tEXtab\0cd\0\0\0\0";
    memcpy(m, d, 33);
    memcpy(m + 33, text, 17);
    memcpy(m + 50, d + 33, n - 33);
    g_diag_count = 0;
    ck_assert_int_eq(code_of(m, n + 17, 100000000, NULL), DF_OK);
    ck_assert_int_gt(g_diag_count, 0);
    free(m);
    free(d);
}
END_TEST

/* ---- JPEG ----------------------------------------------------------------- */

/* Offset of the first marker `code` among the header segments (up to and
 * including SOS), walking segment lengths so table bytes cannot match. */
static long jpeg_marker(const uint8_t *d, size_t n, uint8_t code)
{
    size_t i = 2;
    while (i + 4 <= n && d[i] == 0xFF) {
        if (d[i + 1] == code)
            return (long)i;
        if (d[i + 1] == 0xDA)
            break;
        i += 2 + ((size_t)d[i + 2] << 8 | d[i + 3]);
    }
    return -1;
}

/* Insert an APP1 EXIF segment with Orientation (and XResolution when
 * xres > 0) right after SOI; returns the new length. */
static size_t add_exif(const uint8_t *d, size_t n, uint8_t *out, int be, int o, int xres)
{
    uint8_t t[64] = {0};
    int cnt = xres > 0 ? 2 : 1;
#define W16(p, v) ((p)[be ? 0 : 1] = (uint8_t)((v) >> 8), (p)[be ? 1 : 0] = (uint8_t)(v))
#define W32(p, v) (W16((p) + (be ? 2 : 0), (v) & 0xFFFF), W16((p) + (be ? 0 : 2), (unsigned)(v) >> 16))
    memcpy(t, be ? "MM" : "II", 2);
    W16(t + 2, 42);
    W32(t + 4, 8);
    W16(t + 8, cnt);
    uint8_t *e = t + 10;
    W16(e, 0x0112), W16(e + 2, 3), W32(e + 4, 1), W16(e + 8, o);
    if (xres > 0) {
        e += 12;
        W16(e, 0x011A), W16(e + 2, 5), W32(e + 4, 1), W32(e + 8, 10 + 12 * cnt + 4);
        W32(t + 10 + 12 * cnt + 4, xres), W32(t + 10 + 12 * cnt + 8, 1);
    }
#undef W16
#undef W32
    size_t tl = 10 + 12 * (size_t)cnt + 4 + (xres > 0 ? 8 : 0);
    size_t seg = 2 + 6 + tl;
    memcpy(out, d, 2);
    out[2] = 0xFF, out[3] = 0xE1, out[4] = (uint8_t)(seg >> 8), out[5] = (uint8_t)seg;
    memcpy(out + 6, "Exif\0\0", 6);
    memcpy(out + 12, t, tl);
    memcpy(out + 12 + tl, d + 2, n - 2);
    return n + 4 + 6 + tl;
}

START_TEST(jpeg_matches_imagemagick)
{
    sh("cd '%s' && convert base.png -quality 92 rgb.jpg && "
       "convert base.png -quality 95 -sampling-factor 1x1 rgb444.jpg && "
       "convert base.png -quality 92 -interlace JPEG prog.jpg && "
       "convert base.png -colorspace gray -quality 92 gray.jpg && "
       "convert base.png -colorspace CMYK -quality 95 cmyk.jpg", g_dir);
    ck_assert(versus_im("rgb.jpg", 0, "", NULL) >= 40);
    ck_assert(versus_im("rgb444.jpg", 0, "", NULL) >= 40);
    ck_assert(versus_im("prog.jpg", 0, "", NULL) >= 40);
    ck_assert(versus_im("gray.jpg", 1, "", NULL) >= 40);
    size_t n;
    uint8_t *d = slurp("cmyk.jpg", &n);
    long sof = jpeg_marker(d, n, 0xC0);
    ck_assert(sof > 0 && d[sof + 9] == 4); /* really four components */
    free(d);
    double p = versus_im("cmyk.jpg", 0, "-colorspace sRGB", NULL);
    ck_assert_msg(p >= 40, "CMYK PSNR %.2f", p);
}
END_TEST

START_TEST(jpeg_orientation)
{
    size_t n;
    uint8_t *d = slurp("rgb.jpg", &n);
    uint8_t *m = malloc(n + 128);
    for (int be = 0; be <= 1; be++)
        for (int o = 1; o <= 8; o++) {
            char name[32];
            snprintf(name, sizeof name, "o%d%s.jpg", o, be ? "MM" : "II");
            spit(name, m, add_exif(d, n, m, be, o, 0));
            df_page p;
            double psnr = versus_im(name, 0, "", &p);
            ck_assert_msg(psnr >= 40, "%s: PSNR %.2f", name, psnr);
            ck_assert_int_eq(p.width, o >= 5 ? 61 : 97);
        }
    free(m);
    free(d);
}
END_TEST

/* Page 0 of file `name` decoded with or without opts.gray (caller clears). */
static PIX *decode_file(const char *name, int gray)
{
    size_t n;
    uint8_t *d = slurp(name, &n);
    df_decode_opts o = {.max_file_bytes = 1u << 30, .max_pages = 50,
                        .max_pixels = 100000000, .diag = {on_diag, NULL}, .gray = gray};
    df_doc doc = {0};
    df_err err = {0};
    ck_assert_int_eq(df_decode(d, n, &o, &doc, &err), DF_OK);
    free(d);
    PIX *p = pixClone(doc.pages[0].pix);
    df_doc_clear(&doc);
    return p;
}

/* What OCR asks for: 8-bit pages with exactly the pixels the 32-bit page
 * gives through Leptonica's luminance (df_prep_gray), EXIF turn included.
 * libjpeg's own luma weighs the channels differently and would fail this. */
START_TEST(jpeg_gray_is_luminance)
{
    static const char *const names[] = {"rgb.jpg", "rgb444.jpg", "prog.jpg", "o6II.jpg",
                                         "o7MM.jpg"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        PIX *rgb = decode_file(names[i], 0), *g = decode_file(names[i], 1);
        PIX *lum = pixConvertRGBToLuminance(rgb);
        ck_assert_int_eq(pixGetDepth(rgb), 32);
        ck_assert_int_eq(pixGetDepth(g), 8);
        l_int32 same = 0;
        ck_assert(pixEqual(g, lum, &same) == 0);
        ck_assert_msg(same, "%s: gray decode differs from luminance", names[i]);
        pixDestroy(&lum);
        pixDestroy(&g);
        pixDestroy(&rgb);
    }
    /* CMYK keeps its own conversion: still 32-bit, as before */
    PIX *c = decode_file("cmyk.jpg", 1);
    ck_assert_int_eq(pixGetDepth(c), 32);
    pixDestroy(&c);
}
END_TEST

START_TEST(jpeg_dpi)
{
    df_page p;
    sh("cd '%s' && convert base.png -units PixelsPerInch -density 300 d300.jpg && "
       "convert base.png -units PixelsPerCentimeter -density 118.11 dcm.jpg", g_dir);
    versus_im("d300.jpg", 0, "", &p);
    ck_assert_int_eq(p.dpi, 300);
    versus_im("dcm.jpg", 0, "", &p);
    ck_assert_int_eq(p.dpi, 300); /* 118 px/cm */
    size_t n;
    uint8_t *d = slurp("d300.jpg", &n);
    uint8_t *m = malloc(n + 128);
    ck_assert(memcmp(d + 6, "JFIF", 4) == 0);
    d[13] = 0; /* JFIF units 0: an aspect ratio only */
    spit("d0.jpg", d, n);
    versus_im("d0.jpg", 0, "", &p);
    ck_assert_int_eq(p.dpi, 0);
    spit("dexif.jpg", m, add_exif(d, n, m, 1, 1, 200)); /* EXIF fallback */
    versus_im("dexif.jpg", 0, "", &p);
    ck_assert_int_eq(p.dpi, 200);
    free(m);
    free(d);
}
END_TEST

START_TEST(jpeg_errors)
{
    size_t n, pn;
    char msg[DF_ERROR_MAX];
    uint8_t *d = slurp("rgb.jpg", &n), *pr = slurp("prog.jpg", &pn);
    uint8_t *m = malloc(n + 128);
    long sos = jpeg_marker(d, n, 0xDA), sof = jpeg_marker(d, n, 0xC0);
    ck_assert(sos > 0 && sof > 0);

    ck_assert_int_eq(code_of(d, n * 6 / 10, 100000000, msg), DF_E_TRUNCATED_FILE);
    ck_assert_msg(strstr(msg, "truncated") != NULL, "%s", msg);
    ck_assert_int_eq(code_of(pr, pn * 6 / 10, 100000000, NULL), DF_E_TRUNCATED_FILE);
    ck_assert_int_eq(code_of(d, (size_t)sos, 100000000, NULL), DF_E_TRUNCATED_FILE);
    ck_assert_int_eq(code_of(d, 3, 100000000, NULL), DF_E_TRUNCATED_FILE);
    /* Only the EOI marker missing: still refused, by design. */
    ck_assert_int_eq(code_of(d, n - 2, 100000000, NULL), DF_E_TRUNCATED_FILE);

    memcpy(m, d, n); /* a marker in the middle of the entropy data */
    m[(sos + n) / 2] = 0xFF, m[(sos + n) / 2 + 1] = 0xD9;
    ck_assert_int_eq(code_of(m, n, 100000000, msg), DF_E_CORRUPT_FILE);
    memcpy(m, d, n);
    m[sof + 5] = m[sof + 6] = 0; /* height 0 */
    ck_assert_int_eq(code_of(m, n, 100000000, NULL), DF_E_CORRUPT_FILE);
    memcpy(m, d, n);
    m[sof + 4] = 12; /* 12-bit samples: valid JPEG, not decodable here */
    ck_assert_int_eq(code_of(m, n, 100000000, NULL), DF_E_UNSUPPORTED_FORMAT);
    memcpy(m, d, n);
    m[sof + 5] = m[sof + 7] = 0xEA, m[sof + 6] = m[sof + 8] = 0x60; /* 60000x60000 */
    ck_assert_int_eq(code_of(m, n, 100000000, NULL), DF_E_IMAGE_TOO_LARGE);
    ck_assert_int_eq(code_of(d, n, 1000, NULL), DF_E_IMAGE_TOO_LARGE);

    /* Junk before EOI is reported and tolerated (a short run vanishes in
     * libjpeg's bit buffer read-ahead, hence 100 bytes). */
    memcpy(m, d, n - 2);
    memset(m + n - 2, 0x12, 100);
    m[n + 98] = 0xFF, m[n + 99] = 0xD9;
    g_diag_count = 0;
    ck_assert_int_eq(code_of(m, n + 100, 100000000, NULL), DF_OK);
    ck_assert_int_gt(g_diag_count, 0);
    free(m);
    free(pr);
    free(d);
}
END_TEST

/* ---- WEBP ----------------------------------------------------------------- */

START_TEST(webp_matches_imagemagick)
{
    sh("cd '%s' && convert base.png -quality 90 lossy.webp && "
       "convert base.png -define webp:lossless=true lossless.webp && "
       "convert alpha.png -define webp:lossless=true lossless_a.webp && "
       "convert alpha.png -quality 90 lossy_a.webp", g_dir);
    ck_assert(versus_im("lossy.webp", 0, "", NULL) >= 40);
    ck_assert(isinf(versus_im("lossless.webp", 0, "", NULL)));
    ck_assert(isinf(versus_im("lossless_a.webp", 0, "", NULL)));
    ck_assert(versus_im("lossy_a.webp", 0, "", NULL) >= 40);
    df_page p;
    versus_im("lossless.webp", 0, "", &p);
    ck_assert_int_eq(p.dpi, 0);
}
END_TEST

START_TEST(webp_errors)
{
    size_t n, ln;
    uint8_t *d = slurp("lossy.webp", &n), *ll = slurp("lossless.webp", &ln);
    uint8_t *m = malloc(ln + n + 128);
    char msg[DF_ERROR_MAX];
    ck_assert_int_eq(code_of(d, n / 2, 100000000, msg), DF_E_TRUNCATED_FILE);
    ck_assert_msg(strstr(msg, "truncated") != NULL, "%s", msg);
    ck_assert_int_eq(code_of(ll, ln / 2, 100000000, NULL), DF_E_TRUNCATED_FILE);
    ck_assert_int_eq(code_of(d, 24, 100000000, NULL), DF_E_TRUNCATED_FILE);
    ck_assert_int_eq(code_of(d, 12, 100000000, NULL), DF_E_TRUNCATED_FILE); /* "RIFF....WEBP" */

    long sc = find(d, n, "\x9d\x01\x2a", 3); /* VP8 start code */
    ck_assert(sc > 0);
    memcpy(m, d, n);
    m[sc + 1] = 0x77;
    ck_assert_int_eq(code_of(m, n, 100000000, NULL), DF_E_CORRUPT_FILE);
    ck_assert(memcmp(ll + 12, "VP8L", 4) == 0 && ll[20] == 0x2f);
    memcpy(m, ll, ln);
    m[20] = 0x30; /* VP8L signature */
    ck_assert_int_eq(code_of(m, ln, 100000000, NULL), DF_E_CORRUPT_FILE);

    memcpy(m, ll, ln); /* VP8L header: 16384 x 16384 */
    m[21] = m[22] = m[23] = 0xFF, m[24] |= 0x0F;
    ck_assert_int_eq(code_of(m, ln, 100000000, NULL), DF_E_IMAGE_TOO_LARGE);
    ck_assert_int_eq(code_of(ll, ln, 1000, NULL), DF_E_IMAGE_TOO_LARGE);

    /* Animated: VP8X(animation) + ANIM + one ANMF wrapping the VP8L chunk. */
    size_t fr = ln - 12, pos = 12;
    memcpy(m, "RIFF\0\0\0\0WEBP", 12);
    memcpy(m + pos, "VP8X\x0a\0\0\0\x02\0\0\0\x60\0\0\x3c\0\0", 18), pos += 18;
    memcpy(m + pos, "ANIM\x06\0\0\0\xff\xff\xff\xff\0\0", 14), pos += 14;
    memcpy(m + pos, "ANMF", 4);
    m[pos + 4] = (uint8_t)(16 + fr), m[pos + 5] = (uint8_t)((16 + fr) >> 8);
    m[pos + 6] = m[pos + 7] = 0;
    memcpy(m + pos + 8, "\0\0\0\0\0\0\x60\0\0\x3c\0\0\x64\0\0\0", 16);
    memcpy(m + pos + 24, ll + 12, fr), pos += 24 + fr;
    size_t riff = pos - 8;
    m[4] = (uint8_t)riff, m[5] = (uint8_t)(riff >> 8), m[6] = m[7] = 0;
    ck_assert_int_eq(code_of(m, pos, 100000000, msg), DF_E_UNSUPPORTED_FORMAT);
    ck_assert_msg(strstr(msg, "animated") != NULL, "%s", msg);
    free(m);
    free(ll);
    free(d);
}
END_TEST

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/df-test-jpw-XXXXXX");
    if (!mkdtemp(g_dir))
        return EXIT_FAILURE;
    /* Non-square, odd-sized (partial MCUs, Adam7 edges), with sharp edges
     * so orientation mistakes and chroma errors cannot hide. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && convert -size 97x61 gradient:red-blue -fill black "
             "-draw 'rectangle 10,10 30,50' -draw 'line 40,5 90,55' -fill yellow "
             "-draw 'circle 70,20 78,24' base.png && "
             "convert -size 97x61 -depth 16 gradient:#102030-#f0e0d0 -fill '#345678' "
             "-draw 'rectangle 5,40 60,50' base16.png && "
             "convert base.png -alpha set -channel A -fx '(i+j)/(w+h-2)' +channel alpha.png && "
             "convert base16.png -alpha set -channel A -fx '(7*i+3*j)/(7*w+3*h-10)' "
             "+channel -depth 16 alpha16.png", g_dir);
    if (system(cmd) != 0)
        return EXIT_FAILURE;

    Suite *s = suite_create("decode_jpeg_png_webp");
    TCase *png = tcase_create("png"), *jpg = tcase_create("jpeg"), *webp = tcase_create("webp");
    tcase_add_loop_test(png, png_matches_imagemagick, 0,
                        (int)(sizeof png_cases / sizeof *png_cases));
    tcase_add_test(png, png_gray_trns);
    tcase_add_test(png, png_dpi);
    tcase_add_test(png, png_errors);
    /* Order matters inside the JPEG case: later tests reuse rgb.jpg/prog.jpg. */
    tcase_add_test(jpg, jpeg_matches_imagemagick);
    tcase_add_test(jpg, jpeg_orientation);
    tcase_add_test(jpg, jpeg_gray_is_luminance);
    tcase_add_test(jpg, jpeg_dpi);
    tcase_add_test(jpg, jpeg_errors);
    tcase_add_test(webp, webp_matches_imagemagick);
    tcase_add_test(webp, webp_errors);
    suite_add_tcase(s, png);
    suite_add_tcase(s, jpg);
    suite_add_tcase(s, webp);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0)
        failed++;
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
