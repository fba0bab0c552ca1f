/*
 * png.c — PNG to one page, with libpng driven directly.
 *
 * Going through libpng ourselves (rather than Leptonica's reader) lets us
 * tell a cut-off download (truncated_file) from damaged data (corrupt_file),
 * check the IHDR size before any pixel memory exists, and flatten alpha on
 * white exactly as `convert in.png -background white -alpha remove` does,
 * which is what users compare our output with. Every colour type ends up as
 * 8 bpp gray (gray, gray+alpha) or 32 bpp RGB (everything else).
 */
#include "decode/decode.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

/* Largest ancillary chunk (iCCP, text, ...) libpng may allocate. None of
 * them matter for extraction; this only stops a zTXt bomb. */
#define DF_PNG_CHUNK_MALLOC_MAX (8u << 20)
/* Ancillary chunks kept per file, against files made of millions of them. */
#define DF_PNG_CHUNK_CACHE_MAX 256

typedef struct pctx {
    const uint8_t *data;
    size_t len, pos;
    const df_diag *diag;
    int truncated;
    char msg[256];
    png_structp png;
    png_infop info;
    PIX *pix;
    png_bytep row;
} pctx;

static void on_read(png_structp png, png_bytep out, size_t n)
{
    pctx *c = png_get_io_ptr(png);
    if (n > c->len - c->pos) {
        c->truncated = 1;
        png_error(png, "data ends early");
    }
    memcpy(out, c->data + c->pos, n);
    c->pos += n;
}

static void on_error(png_structp png, png_const_charp msg)
{
    pctx *c = png_get_error_ptr(png);
    if (c && !c->msg[0])
        snprintf(c->msg, sizeof c->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    pctx *c = png_get_error_ptr(png);
    if (c)
        df_diag_emit(c->diag, DF_DIAG_WARNING, "libpng: %s", msg);
}

/* ImageMagick 6 (Q16) is the reference users hold our pixels against, and
 * it truncates where one would expect rounding; these three functions
 * reproduce it exactly (the tests check every 8-bit (c, a) pair and 16-bit
 * gradients: tests/unit/test_decode_jpeg_png_webp.c).
 *
 * Flatten on white at 8 bits: floor((c*a + 255*(255-a)) / 255). */
static inline unsigned flat8(unsigned c, unsigned a)
{
    return (c * a + 255u * (255u - a)) / 255u;
}

/* 16-bit samples are flattened at 16 bits (rounded, as ImageMagick's
 * ClampToQuantum does) before scaling; scaling first would round twice. */
static inline unsigned flat16(unsigned c, unsigned a)
{
    uint64_t v = (uint64_t)c * a + 65535ull * (65535u - a) + 32767u;
    return (unsigned)(v / 65535u);
}

/* 16 -> 8 bits as ImageMagick 6 does it: floor(v / 257). libpng's
 * png_set_scale_16 rounds instead and differs by one level on half of all
 * values, so 16-bit rows are kept and scaled here. */
static inline unsigned to8(unsigned v)
{
    return v / 257u;
}

/* Put one decoded row (of a full image or of an Adam7 pass: pixel i goes
 * to column x0 + i*dx) into row y of pix. */
static void put_row(PIX *pix, const png_byte *s, int ch, int depth, int y,
                    int x0, int dx, int n)
{
    l_uint32 *line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);
    unsigned v[4];
    for (int i = 0; i < n; i++) {
        if (depth == 16) {
            for (int k = 0; k < ch; k++, s += 2)
                v[k] = (unsigned)s[0] << 8 | s[1];
            if (ch == 2 || ch == 4)
                for (int k = 0; k < ch - 1; k++)
                    v[k] = flat16(v[k], v[ch - 1]);
            for (int k = 0; k < ch; k++)
                v[k] = to8(v[k]);
        } else {
            for (int k = 0; k < ch; k++)
                v[k] = *s++;
            if (ch == 2 || ch == 4)
                for (int k = 0; k < ch - 1; k++)
                    v[k] = flat8(v[k], v[ch - 1]);
        }
        int x = x0 + i * dx;
        if (ch <= 2)
            SET_DATA_BYTE(line, x, v[0]);
        else
            line[x] = (uint32_t)v[0] << L_RED_SHIFT | (uint32_t)v[1] << L_GREEN_SHIFT |
                      (uint32_t)v[2] << L_BLUE_SHIFT;
    }
}

/* Everything that can longjmp happens here; c lives in the caller's frame
 * so the pointers it receives survive the jump and are freed there. */
static df_code decode(pctx *c, const df_decode_opts *o, df_err *err, int *dpi)
{
    static const int xs[7] = {0, 4, 0, 2, 0, 1, 0}, ys[7] = {0, 0, 4, 0, 2, 0, 1};
    static const int dxs[7] = {8, 8, 4, 4, 2, 2, 1}, dys[7] = {8, 8, 8, 4, 4, 2, 2};

    c->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, c, on_error, on_warning);
    if (!c->png)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory");
    c->info = png_create_info_struct(c->png);
    if (!c->info)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory");
    if (setjmp(png_jmpbuf(c->png))) {
        if (c->truncated)
            return df_err_set(err, DF_E_TRUNCATED_FILE,
                              "PNG data ends before the image is complete (truncated)");
        if (strstr(c->msg, "memory") || strstr(c->msg, "Out of"))
            return df_err_set(err, DF_E_NO_MEMORY, "out of memory decoding the PNG (%s)", c->msg);
        return df_err_set(err, DF_E_CORRUPT_FILE, "corrupt PNG data (%s)", c->msg);
    }
    png_set_read_fn(c->png, c, on_read);
    /* libpng's own size cap (1e6 x 1e6) would report a large image as a
     * corrupt one; lift it so df_decode_check_dims gives the real reason. */
    png_set_user_limits(c->png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_set_chunk_malloc_max(c->png, DF_PNG_CHUNK_MALLOC_MAX);
    png_set_chunk_cache_max(c->png, DF_PNG_CHUNK_CACHE_MAX);
    png_read_info(c->png, c->info);

    png_uint_32 w = png_get_image_width(c->png, c->info);
    png_uint_32 h = png_get_image_height(c->png, c->info);
    df_code rc = df_decode_check_dims(w, h, o, err);
    if (rc != DF_OK)
        return rc;

    png_uint_32 xppm, yppm;
    int unit;
    if (png_get_pHYs(c->png, c->info, &xppm, &yppm, &unit) && unit == PNG_RESOLUTION_METER)
        *dpi = df_decode_plausible_dpi(xppm * 0.0254);

    /* Palette -> RGB, gray < 8 bits -> 8 bits, tRNS -> alpha channel.
     * 16-bit samples stay 16-bit: put_row scales them (see to8). */
    png_set_expand(c->png);
    int passes = png_get_interlace_type(c->png, c->info) == PNG_INTERLACE_ADAM7 ? 7 : 1;
    /* No png_set_interlace_handling: Adam7 passes are read as the small
     * images they are and scattered straight into pix, so an interlaced
     * file needs no full-size intermediate buffer. */
    png_read_update_info(c->png, c->info);

    int ch = png_get_channels(c->png, c->info);
    int depth = png_get_bit_depth(c->png, c->info);
    if (ch < 1 || ch > 4 || (depth != 8 && depth != 16))
        return df_err_set(err, DF_E_INTERNAL, "unexpected PNG layout (%d channels, %d bits)",
                          ch, depth);
    c->row = malloc(png_get_rowbytes(c->png, c->info));
    c->pix = pixCreate((int)w, (int)h, ch <= 2 ? 8 : 32);
    if (!c->row || !c->pix)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory for a %ux%u image",
                          (unsigned)w, (unsigned)h);
    if (ch > 2)
        pixSetSpp(c->pix, 3);

    for (int p = 0; p < passes; p++) {
        int x0 = passes == 1 ? 0 : xs[p], dx = passes == 1 ? 1 : dxs[p];
        int y0 = passes == 1 ? 0 : ys[p], dy = passes == 1 ? 1 : dys[p];
        if ((png_uint_32)x0 >= w) /* libpng skips passes with no columns */
            continue;
        int n = (int)((w - x0 + dx - 1) / dx);
        for (png_uint_32 y = y0; y < h; y += dy) {
            png_read_row(c->png, c->row, NULL);
            put_row(c->pix, c->row, ch, depth, (int)y, x0, dx, n);
        }
    }
    /* png_read_end is skipped on purpose: the pixels are complete, and
     * what follows (text, time, a missing IEND) cannot change them. */
    return DF_OK;
}

df_code df_decode_png(const uint8_t *data, size_t len, const df_decode_opts *o,
                      df_doc *doc, df_err *err)
{
    pctx c = {.data = data, .len = len, .diag = &o->diag};
    int dpi = 0;
    df_code rc = decode(&c, o, err, &dpi);
    if (c.png)
        png_destroy_read_struct(&c.png, c.info ? &c.info : NULL, NULL);
    free(c.row);
    if (rc != DF_OK) {
        pixDestroy(&c.pix);
        return rc;
    }
    return df_doc_add_pix(doc, o, c.pix, dpi, err);
}
