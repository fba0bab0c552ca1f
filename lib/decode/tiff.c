/*
 * tiff.c — TIFF pages through libtiff, from memory.
 *
 * libtiff already knows every compression scanners use (G3/G4, LZW, JPEG,
 * deflate, PackBits), palettes and 16-bit samples; TIFFReadRGBAImage turns
 * any of them into RGBA, so this file only has to feed it bytes, keep its
 * messages off stderr, enforce our limits, and shape the result.
 *
 * Before libtiff sees the file we walk the directory chain ourselves, bounded
 * by the page limit: it tells a file with too many pages (or a looping
 * chain) from a good one without decoding any pixels, and a directory that
 * lies past the end of the data marks a truncated file.
 */
#include "decode/decode.h"

#include <stdio.h>
#include <string.h>
#include <tiffio.h>

/* In-memory file for TIFFClientOpenExt. short_read records a read that
 * wanted bytes past the end: the sign of a truncated file. */
typedef struct mem_src {
    const uint8_t *data;
    size_t len;
    uint64_t pos;
    int short_read;
} mem_src;

/* Per-handle message routing: libtiff errors and warnings go to o->diag,
 * and the last error is kept to explain a failure. */
#define HANDLE_NAME "tiff"

typedef struct tiff_ctx {
    const df_diag *diag;
    char last[256];
} tiff_ctx;

static tmsize_t src_read(thandle_t h, void *buf, tmsize_t size)
{
    mem_src *s = h;
    if (size <= 0)
        return 0;
    uint64_t avail = s->pos < s->len ? s->len - s->pos : 0;
    uint64_t n = (uint64_t)size < avail ? (uint64_t)size : avail;
    if (n < (uint64_t)size)
        s->short_read = 1;
    if (n)
        memcpy(buf, s->data + s->pos, n);
    s->pos += n;
    return (tmsize_t)n;
}

static tmsize_t src_write(thandle_t h, void *buf, tmsize_t size)
{
    (void)h; (void)buf; (void)size;
    return 0; /* opened read-only */
}

static toff_t src_seek(thandle_t h, toff_t off, int whence)
{
    mem_src *s = h;
    if (whence == SEEK_SET) {
        s->pos = off; /* past the end is allowed; reads there return 0 */
        return s->pos;
    }
    if (whence != SEEK_CUR && whence != SEEK_END)
        return (toff_t)-1;
    /* relative seeks carry a signed offset in the unsigned toff_t */
    int64_t base = whence == SEEK_CUR ? (int64_t)s->pos : (int64_t)s->len, rel = (int64_t)off;
    if ((rel < 0 && base + rel < 0) || (rel > 0 && rel > INT64_MAX - base))
        return (toff_t)-1;
    s->pos = (uint64_t)(base + rel);
    return s->pos;
}

static int src_close(thandle_t h) { (void)h; return 0; }
static toff_t src_size(thandle_t h) { return ((mem_src *)h)->len; }
static int src_map(thandle_t h, void **base, toff_t *size) { (void)h; (void)base; (void)size; return 0; }
static void src_unmap(thandle_t h, void *base, toff_t size) { (void)h; (void)base; (void)size; }

static void route(tiff_ctx *c, df_diag_level level, const char *module, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (module && strcmp(module, HANDLE_NAME) == 0) /* codecs name the handle, not themselves */
        module = NULL;
    /* a long message is cut: it only explains a failure */
    if (level == DF_DIAG_ERROR &&
        snprintf(c->last, sizeof c->last, "%s%s%s", module ? module : "", module ? ": " : "", msg) < 0)
        c->last[0] = '\0';
    df_diag_emit(c->diag, level, "libtiff: %s%s%s", module ? module : "", module ? ": " : "", msg);
}

static int on_error(TIFF *tif, void *ud, const char *module, const char *fmt, va_list ap)
{
    (void)tif;
    route(ud, DF_DIAG_ERROR, module, fmt, ap);
    return 1; /* handled: keep libtiff's global handler (stderr) out of it */
}

static int on_warning(TIFF *tif, void *ud, const char *module, const char *fmt, va_list ap)
{
    (void)tif;
    route(ud, DF_DIAG_WARNING, module, fmt, ap);
    return 1;
}

static uint64_t rd(const uint8_t *p, int n, int le)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[le ? i : n - 1 - i] << (8 * i);
    return v;
}

/* Count directories in the main IFD chain, stopping once past `limit`.
 * Brent's cycle check catches a chain that loops back on itself. */
static df_code count_dirs(const uint8_t *d, size_t len, uint64_t limit, uint64_t *count, df_err *err)
{
    if (len < 8)
        return df_err_set(err, DF_E_TRUNCATED_FILE, "TIFF file ends inside its header (%zu bytes)", len);
    int le = d[0] == 'I';
    int big = rd(d + 2, 2, le) == 43;
    if (big && (len < 16 || rd(d + 4, 2, le) != 8))
        return df_err_set(err, len < 16 ? DF_E_TRUNCATED_FILE : DF_E_CORRUPT_FILE,
                          "BigTIFF header is invalid");
    uint64_t off = big ? rd(d + 8, 8, le) : rd(d + 4, 4, le);
    uint64_t cntsz = big ? 8 : 2, entsz = big ? 20 : 12, nextsz = big ? 8 : 4;
    uint64_t n = 0, saved = off, power = 1, lam = 0;
    if (off == 0)
        return df_err_set(err, DF_E_CORRUPT_FILE, "TIFF file has no image directory");
    while (off != 0 && n <= limit) {
        if (off >= len || len - off < cntsz)
            return df_err_set(err, DF_E_TRUNCATED_FILE,
                              "TIFF directory %llu starts at byte %llu, past the end of the data "
                              "(%zu bytes; truncated)",
                              (unsigned long long)n + 1, (unsigned long long)off, len);
        uint64_t entries = rd(d + off, (int)cntsz, le);
        if (entries > (len - off - cntsz) / entsz)
            return df_err_set(err, DF_E_TRUNCATED_FILE,
                              "TIFF directory %llu runs past the end of the data (truncated)",
                              (unsigned long long)n + 1);
        uint64_t next_at = off + cntsz + entries * entsz;
        n++;
        /* libtiff takes a missing next-pointer as "last directory"; so do we */
        off = len - next_at >= nextsz ? rd(d + next_at, (int)nextsz, le) : 0;
        if (off != 0 && off == saved)
            return df_err_set(err, DF_E_CORRUPT_FILE, "TIFF directory chain loops back on itself");
        if (++lam == power) {
            saved = off;
            power *= 2;
            lam = 0;
        }
    }
    *count = n;
    return DF_OK;
}

/* After a failed read: did the file stop before the strips/tiles it lists? */
static int data_cut_short(TIFF *tif, const mem_src *src)
{
    if (src->short_read)
        return 1;
    int tiled = TIFFIsTiled(tif);
    uint64_t *offs = NULL, *cnts = NULL;
    uint32_t n = tiled ? TIFFNumberOfTiles(tif) : TIFFNumberOfStrips(tif);
    if (!TIFFGetField(tif, tiled ? TIFFTAG_TILEOFFSETS : TIFFTAG_STRIPOFFSETS, &offs) ||
        !TIFFGetField(tif, tiled ? TIFFTAG_TILEBYTECOUNTS : TIFFTAG_STRIPBYTECOUNTS, &cnts) ||
        !offs || !cnts)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        if (offs[i] > src->len || cnts[i] > src->len - offs[i])
            return 1;
    return 0;
}

/* libtiff orders rows for orientations 1-4 itself but, asked for TOPLEFT,
 * only flips 5-8 (treating them as 1-4); the missing transpose is done here.
 * 5 and 7 need a plain transpose, 6 and 8 a transpose plus 180 degrees. */
static PIX *finish_orientation(PIX *pix, unsigned orient)
{
    if (orient < 5 || orient > 8)
        return pix;
    PIX *r = pixRotate90(pix, 1);
    pixDestroy(&pix);
    if (!r)
        return NULL;
    if (orient == 5 || orient == 7)
        pixFlipLR(r, r);
    else
        pixFlipTB(r, r);
    return r;
}

static int tiff_dpi(TIFF *tif)
{
    float xres = 0;
    uint16_t unit = RESUNIT_INCH;
    if (!TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres))
        return 0;
    TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
    if (unit == RESUNIT_INCH)
        return df_decode_plausible_dpi(xres);
    if (unit == RESUNIT_CENTIMETER)
        return df_decode_plausible_dpi(xres * 2.54);
    return 0;
}

/* ABGR raster (libtiff) to Leptonica words, in place; alpha flattened on
 * white. libtiff premultiplies colour by alpha except for gray + unassociated
 * alpha, which it passes through untouched. Consumes pix. */
static PIX *raster_to_pix(PIX *pix, int gray, int premultiplied)
{
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    l_uint32 *data = pixGetData(pix);
    PIX *g = gray ? pixCreate(w, h, 8) : NULL;
    if (gray && !g) {
        pixDestroy(&pix);
        return NULL;
    }
    l_uint32 *gd = g ? pixGetData(g) : NULL;
    int gwpl = g ? pixGetWpl(g) : 0;
    for (int y = 0; y < h; y++) {
        l_uint32 *line = data + (size_t)y * w; /* 32 bpp: wpl == w */
        for (int x = 0; x < w; x++) {
            uint32_t p = line[x];
            unsigned a = TIFFGetA(p), c[3] = {TIFFGetR(p), TIFFGetG(p), TIFFGetB(p)};
            for (int k = 0; k < 3 && a != 255; k++) {
                unsigned v = premultiplied ? c[k] + (255 - a)
                                           : (c[k] * a + 255 * (255 - a) + 127) / 255;
                c[k] = v > 255 ? 255 : v;
            }
            if (g)
                SET_DATA_BYTE(gd + (size_t)y * gwpl, x, c[0]);
            else
                line[x] = (l_uint32)c[0] << L_RED_SHIFT | (l_uint32)c[1] << L_GREEN_SHIFT |
                          (l_uint32)c[2] << L_BLUE_SHIFT;
        }
    }
    if (g) {
        pixDestroy(&pix);
        return g;
    }
    pixSetSpp(pix, 3);
    return pix;
}

static df_code decode_page(TIFF *tif, mem_src *src, tiff_ctx *ctx, uint64_t pageno,
                           const df_decode_opts *o, PIX **out, df_err *err)
{
    uint32_t w = 0, h = 0;
    if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h))
        return df_err_set(err, DF_E_CORRUPT_FILE, "TIFF page %llu has no image size",
                          (unsigned long long)pageno);
    df_code rc = df_decode_check_dims(w, h, o, err);
    if (rc != DF_OK)
        return rc;
    char emsg[1024] = "";
    if (!TIFFRGBAImageOK(tif, emsg))
        return df_err_set(err, DF_E_UNSUPPORTED_FORMAT, "TIFF page %llu: %s",
                          (unsigned long long)pageno, emsg);
    PIX *pix = pixCreate((int)w, (int)h, 32);
    if (!pix)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory for a %ux%u TIFF page", w, h);
    ctx->last[0] = '\0';
    src->short_read = 0;
    if (!TIFFReadRGBAImageOriented(tif, w, h, pixGetData(pix), ORIENTATION_TOPLEFT, 1)) {
        pixDestroy(&pix);
        int cut = data_cut_short(tif, src);
        return df_err_set(err, cut ? DF_E_TRUNCATED_FILE : DF_E_CORRUPT_FILE,
                          "TIFF page %llu pixel data %s%s%s", (unsigned long long)pageno,
                          cut ? "ends early (truncated)" : "cannot be decoded",
                          ctx->last[0] ? ": " : "", ctx->last);
    }
    uint16_t photometric = 0, spp = 1, nextra = 0, orient = ORIENTATION_TOPLEFT;
    uint16_t *extra = NULL;
    TIFFGetFieldDefaulted(tif, TIFFTAG_PHOTOMETRIC, &photometric);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &nextra, &extra);
    TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &orient);
    int gray = (photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE) &&
               spp - nextra == 1;
    int unassoc = nextra > 0 && extra && extra[0] == EXTRASAMPLE_UNASSALPHA;
    pix = raster_to_pix(pix, gray, !(gray && unassoc));
    if (pix)
        pix = finish_orientation(pix, orient);
    if (!pix)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory for a %ux%u TIFF page", w, h);
    *out = pix;
    return DF_OK;
}

df_code df_decode_tiff(const uint8_t *data, size_t len, const df_decode_opts *o, df_doc *doc,
                       df_err *err)
{
    uint64_t ndirs = 0;
    df_code rc = count_dirs(data, len, o->max_pages, &ndirs, err);
    if (rc != DF_OK)
        return rc;
    if (ndirs > o->max_pages)
        return df_err_set(err, DF_E_TOO_MANY_PAGES,
                          "the document has more than the limit of %llu pages",
                          (unsigned long long)o->max_pages);

    TIFFOpenOptions *topts = TIFFOpenOptionsAlloc();
    if (!topts)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory opening a TIFF");
    tiff_ctx ctx = {&o->diag, ""};
    mem_src src = {data, len, 0, 0};
    TIFFOpenOptionsSetErrorHandlerExtR(topts, on_error, &ctx);
    TIFFOpenOptionsSetWarningHandlerExtR(topts, on_warning, &ctx);
    /* One strip or tile of 16-bit RGBA at the pixel limit, plus slack: a
     * larger single allocation can only come from a lying header. */
    uint64_t cap = o->max_pixels > (UINT64_MAX >> 4) ? UINT64_MAX >> 4 : o->max_pixels * 8;
    cap += 64u << 20;
    TIFFOpenOptionsSetMaxSingleMemAlloc(topts, cap > (uint64_t)INT64_MAX ? INT64_MAX : (tmsize_t)cap);
    /* "m": no memory mapping, so libtiff never writes into our const buffer. */
    TIFF *tif = TIFFClientOpenExt(HANDLE_NAME, "rm", &src, src_read, src_write, src_seek, src_close,
                                  src_size, src_map, src_unmap, topts);
    TIFFOpenOptionsFree(topts);
    if (!tif)
        return df_err_set(err, src.short_read ? DF_E_TRUNCATED_FILE : DF_E_CORRUPT_FILE,
                          "TIFF header or first directory is invalid%s%s",
                          ctx.last[0] ? ": " : "", ctx.last);

    for (uint64_t i = 0; i < ndirs; i++) {
        char where[64];
        snprintf(where, sizeof where, "before TIFF page %llu", (unsigned long long)i + 1);
        rc = df_stop_check(o->stop, where, err); /* up to 50 pages of 100 MP each */
        if (rc != DF_OK)
            break;
        ctx.last[0] = '\0';
        if (i > 0 && !TIFFReadDirectory(tif)) {
            rc = df_err_set(err, src.short_read ? DF_E_TRUNCATED_FILE : DF_E_CORRUPT_FILE,
                            "TIFF directory %llu cannot be read%s%s", (unsigned long long)i + 1,
                            ctx.last[0] ? ": " : "", ctx.last);
            break;
        }
        PIX *pix = NULL;
        rc = decode_page(tif, &src, &ctx, i + 1, o, &pix, err);
        if (rc != DF_OK)
            break;
        rc = df_doc_add_pix(doc, o, pix, tiff_dpi(tif), err);
        if (rc != DF_OK)
            break;
    }
    TIFFClose(tif);
    return rc;
}
