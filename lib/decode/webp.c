/*
 * webp.c — WEBP to one page with libwebp.
 *
 * The size comes from WebPGetFeatures (headers only) so the limit is checked
 * before libwebp allocates anything. libwebp then decodes RGBA straight into
 * the PIX's own memory (one image-sized buffer, not two), and each word is
 * rewritten in place as Leptonica RGB with alpha flattened on white, the
 * same arithmetic as png.c so both match ImageMagick's "-alpha remove".
 * WEBP states no resolution (only EXIF could, and phones do not), so dpi
 * is always 0.
 */
#include "decode/decode.h"

#include <webp/decode.h>

/* libwebp's status in docflow's terms. SUSPENDED means "feed me more
 * bytes", which for a complete buffer is a truncated file too. */
static df_code status_code(VP8StatusCode st)
{
    switch (st) {
    case VP8_STATUS_OK: return DF_OK;
    case VP8_STATUS_OUT_OF_MEMORY: return DF_E_NO_MEMORY;
    case VP8_STATUS_NOT_ENOUGH_DATA:
    case VP8_STATUS_SUSPENDED: return DF_E_TRUNCATED_FILE;
    case VP8_STATUS_UNSUPPORTED_FEATURE: return DF_E_UNSUPPORTED_FORMAT;
    default: return DF_E_CORRUPT_FILE;
    }
}

static df_code fail(df_err *err, VP8StatusCode st)
{
    df_code rc = status_code(st);
    switch (rc) {
    case DF_E_TRUNCATED_FILE:
        return df_err_set(err, rc, "WEBP data ends before the image is complete (truncated)");
    case DF_E_NO_MEMORY:
        return df_err_set(err, rc, "out of memory decoding the WEBP image");
    case DF_E_UNSUPPORTED_FORMAT:
        return df_err_set(err, rc, "the WEBP image uses a feature libwebp does not support");
    default:
        return df_err_set(err, rc, "corrupt WEBP data (libwebp status %d)", (int)st);
    }
}

/* Flatten on white exactly as ImageMagick 6 does (floor, not round): the
 * same function as png.c's flat8, where the reason is spelt out. */
static inline unsigned flat8(unsigned c, unsigned a)
{
    return (c * a + 255u * (255u - a)) / 255u;
}

df_code df_decode_webp(const uint8_t *data, size_t len, const df_decode_opts *o,
                       df_doc *doc, df_err *err)
{
    WebPDecoderConfig cfg;
    if (!WebPInitDecoderConfig(&cfg))
        return df_err_set(err, DF_E_INTERNAL, "libwebp version mismatch");
    VP8StatusCode st = WebPGetFeatures(data, len, &cfg.input);
    if (st != VP8_STATUS_OK)
        return fail(err, st);
    /* Animation needs libwebpdemux to pick a frame; receipts are not
     * animated, so say so instead of guessing which frame was meant. */
    if (cfg.input.has_animation)
        return df_err_set(err, DF_E_UNSUPPORTED_FORMAT,
                          "animated WEBP images are not supported");
    int w = cfg.input.width, h = cfg.input.height;
    df_code rc = df_decode_check_dims(w, h, o, err);
    if (rc != DF_OK)
        return rc;

    PIX *pix = pixCreate(w, h, 32);
    if (!pix)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory for a %dx%d image", w, h);
    pixSetSpp(pix, 3);
    size_t stride = (size_t)pixGetWpl(pix) * 4;
    cfg.output.colorspace = MODE_RGBA;
    cfg.output.is_external_memory = 1;
    cfg.output.u.RGBA.rgba = (uint8_t *)pixGetData(pix);
    cfg.output.u.RGBA.stride = (int)stride;
    cfg.output.u.RGBA.size = stride * (size_t)h;
    st = WebPDecode(data, len, &cfg);
    WebPFreeDecBuffer(&cfg.output); /* frees nothing external; kept for symmetry */
    if (st != VP8_STATUS_OK) {
        pixDestroy(&pix);
        return fail(err, st);
    }

    /* Bytes are R,G,B,A in memory whatever the host byte order; rewrite
     * each word as Leptonica's R<<24|G<<16|B<<8 with alpha flattened. */
    for (int y = 0; y < h; y++) {
        l_uint32 *line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);
        for (int x = 0; x < w; x++) {
            const uint8_t *b = (const uint8_t *)&line[x];
            unsigned a = b[3];
            unsigned r = flat8(b[0], a), g = flat8(b[1], a), bl = flat8(b[2], a);
            line[x] = (uint32_t)r << L_RED_SHIFT | (uint32_t)g << L_GREEN_SHIFT |
                      (uint32_t)bl << L_BLUE_SHIFT;
        }
    }

    return df_doc_add_pix(doc, o, pix, 0, err);
}
