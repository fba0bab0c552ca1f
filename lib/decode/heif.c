/*
 * heif.c — HEIC / HEIF / AVIF primary image through libheif.
 *
 * Phones save receipts as HEIC; libheif parses the container and hands the
 * HEVC or AV1 payload to its codec plugins. Only the primary image becomes a
 * page: the other items of a HEIF file are thumbnails, depth maps, bursts.
 * The size checked against our limits is the handle's, which already
 * includes rotation (irot), mirroring (imir) and cropping (clap), and the
 * check runs before anything is decoded.
 */
#include "decode/decode.h"

#include <libheif/heif.h>
#include <stdio.h>
#include <string.h>

static int known_box(const uint8_t *type)
{
    static const char *top[] = {"ftyp", "meta", "mdat", "free", "skip", "moov", "uuid", "wide",
                                "idat", "pdin", "styp", "moof", "sidx", "mfra", "etyp"};
    for (size_t i = 0; i < sizeof top / sizeof *top; i++)
        if (memcmp(type, top[i], 4) == 0)
            return 1;
    return 0;
}

/* Does a top-level ISO-BMFF box claim more bytes than the file has? libheif
 * reports a file cut inside its meta box as "no 'meta' box" (invalid input);
 * the box sizes tell that it is really truncated. */
static int boxes_cut_short(const uint8_t *d, size_t len)
{
    size_t off = 0;
    while (len - off >= 8) {
        uint64_t size = (uint64_t)d[off] << 24 | (uint64_t)d[off + 1] << 16 |
                        (uint64_t)d[off + 2] << 8 | d[off + 3];
        if (size == 1) { /* 64-bit size follows the type */
            if (len - off < 16)
                return 1;
            size = 0;
            for (int i = 0; i < 8; i++)
                size = size << 8 | d[off + 8 + i];
        } else if (size == 0) { /* box runs to the end of the file */
            return 0;
        }
        if (size < 8 || !known_box(d + off + 4))
            return 0; /* a damaged box header is corruption, not truncation */
        if (size > len - off)
            return 1;
        off += size;
    }
    return off != len;
}

/* libheif errors to our codes; the message keeps libheif's own words. */
static df_code heif_fail(struct heif_error e, const char *what, const uint8_t *data, size_t len,
                         df_err *err)
{
    df_code c;
    switch (e.code) {
    case heif_error_Invalid_input:
        c = e.subcode == heif_suberror_End_of_data || boxes_cut_short(data, len)
                ? DF_E_TRUNCATED_FILE
                : DF_E_CORRUPT_FILE;
        break;
    case heif_error_Unsupported_filetype:
    case heif_error_Unsupported_feature: /* e.g. no decoder plugin for the codec */
    case heif_error_Plugin_loading_error:
        c = DF_E_UNSUPPORTED_FORMAT;
        break;
    case heif_error_Memory_allocation_error:
        c = e.subcode == heif_suberror_Security_limit_exceeded ? DF_E_IMAGE_TOO_LARGE
                                                               : DF_E_NO_MEMORY;
        break;
    default: /* decoder plugin errors: a broken or cut bitstream */
        c = boxes_cut_short(data, len) ? DF_E_TRUNCATED_FILE : DF_E_CORRUPT_FILE;
        break;
    }
    char msg[300];
    snprintf(msg, sizeof msg, "%s", e.message && *e.message ? e.message : "unknown libheif error");
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ' || msg[n - 1] == '.'))
        msg[--n] = '\0'; /* libheif ends some messages with a newline */
    return df_err_set(err, c, "%s: %s", what, msg);
}

/* Interleaved 8-bit RGB(A) rows into a 32 bpp RGB PIX, alpha on white. */
static PIX *to_pix(const uint8_t *p, int stride, int w, int h, int has_alpha, int premultiplied)
{
    PIX *pix = pixCreate(w, h, 32);
    if (!pix)
        return NULL;
    pixSetSpp(pix, 3);
    l_uint32 *data = pixGetData(pix);
    int wpl = pixGetWpl(pix), bpp = has_alpha ? 4 : 3;
    for (int y = 0; y < h; y++) {
        const uint8_t *s = p + (size_t)y * stride;
        l_uint32 *line = data + (size_t)y * wpl;
        for (int x = 0; x < w; x++, s += bpp) {
            unsigned c[3] = {s[0], s[1], s[2]}, a = has_alpha ? s[3] : 255;
            for (int k = 0; k < 3 && a != 255; k++) {
                unsigned v = premultiplied ? c[k] + (255 - a)
                                           : (c[k] * a + 255 * (255 - a) + 127) / 255;
                c[k] = v > 255 ? 255 : v;
            }
            line[x] = (l_uint32)c[0] << L_RED_SHIFT | (l_uint32)c[1] << L_GREEN_SHIFT |
                      (l_uint32)c[2] << L_BLUE_SHIFT;
        }
    }
    return pix;
}

static df_code decode_primary(struct heif_context *ctx, const uint8_t *data, size_t len,
                              const df_decode_opts *o, PIX **out, df_err *err)
{
    struct heif_error e = heif_context_read_from_memory_without_copy(ctx, data, len, NULL);
    if (e.code != heif_error_Ok)
        return heif_fail(e, "HEIF container cannot be read", data, len, err);
    struct heif_image_handle *h = NULL;
    e = heif_context_get_primary_image_handle(ctx, &h);
    if (e.code != heif_error_Ok)
        return heif_fail(e, "HEIF file has no usable primary image", data, len, err);

    df_code rc = df_decode_check_dims(heif_image_handle_get_width(h),
                                      heif_image_handle_get_height(h), o, err);
    int has_alpha = heif_image_handle_has_alpha_channel(h);
    struct heif_image *img = NULL;
    if (rc == DF_OK) {
        struct heif_decoding_options *dopt = heif_decoding_options_alloc();
        if (!dopt) {
            heif_image_handle_release(h);
            return df_err_set(err, DF_E_NO_MEMORY, "out of memory decoding HEIF");
        }
        dopt->convert_hdr_to_8bit = 1; /* 10/12-bit HEIC: we want 8 bits per channel */
        e = heif_decode_image(h, &img, heif_colorspace_RGB,
                              has_alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB,
                              dopt);
        heif_decoding_options_free(dopt);
        if (e.code != heif_error_Ok)
            rc = heif_fail(e, "HEIF image cannot be decoded", data, len, err);
    }
    heif_image_handle_release(h);
    if (rc != DF_OK) {
        if (img)
            heif_image_release(img);
        return rc;
    }

    /* Non-strict decoding repairs what it can and says so here. */
    struct heif_error warn;
    for (int i = 0; i < 64 && heif_image_get_decoding_warnings(img, i, &warn, 1) == 1; i++)
        df_diag_emit(&o->diag, DF_DIAG_WARNING, "libheif: %s",
                     warn.message ? warn.message : "decoding warning");

    int stride = 0;
    const uint8_t *p = heif_image_get_plane_readonly(img, heif_channel_interleaved, &stride);
    int w = heif_image_get_width(img, heif_channel_interleaved);
    int hh = heif_image_get_height(img, heif_channel_interleaved);
    if (!p || heif_image_get_bits_per_pixel_range(img, heif_channel_interleaved) != 8 ||
        stride < w * (has_alpha ? 4 : 3)) {
        heif_image_release(img);
        return df_err_set(err, DF_E_INTERNAL, "libheif returned an unexpected pixel layout");
    }
    /* The decoded size should equal the handle's; recheck in case it does not. */
    rc = df_decode_check_dims(w, hh, o, err);
    if (rc == DF_OK) {
        *out = to_pix(p, stride, w, hh, has_alpha, heif_image_is_premultiplied_alpha(img));
        if (!*out)
            rc = df_err_set(err, DF_E_NO_MEMORY, "out of memory for a %dx%d HEIF image", w, hh);
    }
    heif_image_release(img);
    return rc;
}

df_code df_decode_heif(const uint8_t *data, size_t len, const df_decode_opts *o, df_doc *doc,
                       df_err *err)
{
    /* Reference-counted: pairs with heif_deinit below, so the built-in
     * decoder plugins are registered and freed cleanly per call. A failed
     * init (a broken external plugin) still leaves the built-in decoders. */
    struct heif_error ie = heif_init(NULL);
    int inited = ie.code == heif_error_Ok;
    if (!inited)
        df_diag_emit(&o->diag, DF_DIAG_WARNING, "libheif initialisation: %s",
                     ie.message ? ie.message : "failed");
    struct heif_context *ctx = heif_context_alloc();
    df_code rc;
    PIX *pix = NULL;
    if (!ctx)
        rc = df_err_set(err, DF_E_NO_MEMORY, "out of memory opening HEIF");
    else
        rc = decode_primary(ctx, data, len, o, &pix, err);
    if (ctx)
        heif_context_free(ctx);
    if (inited)
        heif_deinit();
    if (rc != DF_OK)
        return rc;
    return df_doc_add_pix(doc, o, pix, 0, err);
}
