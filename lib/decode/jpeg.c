/*
 * jpeg.c — JPEG to one page, with libjpeg-turbo driven directly.
 *
 * Leptonica's reader would do, but it hides the two things receipts need:
 * libjpeg's "premature end"/"corrupt data" warnings (by default a cut-off
 * photo decodes to an image that is grey below the cut, which OCR then
 * reads as an empty receipt) and the EXIF orientation phones rely on. So
 * this file owns the error manager: fatal errors and data-damage warnings
 * longjmp out with a df_code, harmless warnings go to the diagnostics sink.
 * Pixels are meant to match `convert in.jpg -auto-orient` (ImageMagick 6).
 */
#include "decode/decode.h"
#include "decode/exif.h"

#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE and size_t first */
#include <string.h>

#include <jpeglib.h>
#include <jerror.h> /* after jpeglib.h: its message list depends on jconfig.h */

/* A progressive JPEG may declare thousands of tiny scans, each re-walking
 * the whole coefficient buffer: a cheap file that costs minutes. Real
 * encoders use about ten; libjpeg-turbo's own fuzzers stop at 500. */
#define DF_JPEG_MAX_SCANS 500

typedef struct jerr_mgr {
    struct jpeg_error_mgr pub; /* first: libjpeg casts cinfo->err to it */
    jmp_buf jb;
    const df_diag *diag;
    const df_stop *stop; /* the document's deadline and cancel flag */
    df_err *err;         /* where a stop is told */
    df_code code;
    char msg[JMSG_LENGTH_MAX];
} jerr_mgr;

typedef struct jctx {
    struct jpeg_decompress_struct cinfo;
    jerr_mgr jerr;
    struct jpeg_progress_mgr progress;
    int created;
    PIX *pix;
} jctx;

_Noreturn static void fail(j_common_ptr ci, df_code code)
{
    jerr_mgr *m = (jerr_mgr *)ci->err;
    m->code = code;
    (*ci->err->format_message)(ci, m->msg);
    longjmp(m->jb, 1);
}

static void on_error(j_common_ptr ci)
{
    switch (ci->err->msg_code) {
    case JERR_OUT_OF_MEMORY:
        fail(ci, DF_E_NO_MEMORY);
        break;
    case JERR_INPUT_EOF:
        fail(ci, DF_E_TRUNCATED_FILE);
        break;
    /* Valid JPEG variants this libjpeg build cannot decode (12-bit,
     * lossless, hierarchical): the file is fine, docflow is not. */
    case JERR_BAD_PRECISION:
    case JERR_SOF_UNSUPPORTED:
    case JERR_NOT_COMPILED:
    case JERR_ARITH_NOTIMPL:
        fail(ci, DF_E_UNSUPPORTED_FORMAT);
        break;
    default:
        fail(ci, DF_E_CORRUPT_FILE);
    }
}

/* Warnings that mean pixels were invented (zero-filled or desynchronised)
 * fail the decode; the rest are reported and ignored. Extraneous bytes
 * before a marker are tolerated on purpose: some scanners and phones pad
 * segments, and the image data itself decoded without a bad code. */
static void on_message(j_common_ptr ci, int level)
{
    jerr_mgr *m = (jerr_mgr *)ci->err;
    if (level >= 0) {
        if (level <= ci->err->trace_level) {
            char buf[JMSG_LENGTH_MAX];
            (*ci->err->format_message)(ci, buf);
            df_diag_emit(m->diag, DF_DIAG_DEBUG, "libjpeg: %s", buf);
        }
        return;
    }
    switch (ci->err->msg_code) {
    case JWRN_JPEG_EOF:
        fail(ci, DF_E_TRUNCATED_FILE);
        break;
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
#if JPEG_LIB_VERSION >= 70 || defined(D_ARITH_CODING_SUPPORTED) || defined(C_ARITH_CODING_SUPPORTED)
    case JWRN_ARITH_BAD_CODE:
#endif
    case JWRN_MUST_RESYNC:
        fail(ci, DF_E_CORRUPT_FILE);
        break;
    default: {
        char buf[JMSG_LENGTH_MAX];
        (*ci->err->format_message)(ci, buf);
        df_diag_emit(m->diag, DF_DIAG_WARNING, "libjpeg: %s", buf);
        ci->err->num_warnings++;
    }
    }
}

/* libjpeg calls this every few rows of every scan: the place to give up
 * on a scan limit or when the document's budget is spent. */
static void on_progress(j_common_ptr ci)
{
    if (!ci->is_decompressor)
        return;
    j_decompress_ptr d = (j_decompress_ptr)ci;
    jerr_mgr *m = (jerr_mgr *)ci->err;
    if (df_stop_check(m->stop, "while decoding the JPEG", m->err) != DF_OK) {
        m->code = m->err->code;
        m->msg[0] = '\0'; /* err holds the message */
        longjmp(m->jb, 1);
    }
    if (d->input_scan_number > DF_JPEG_MAX_SCANS) {
        m->code = DF_E_CORRUPT_FILE;
        snprintf(m->msg, sizeof m->msg, "more than %d progressive scans", DF_JPEG_MAX_SCANS);
        longjmp(m->jb, 1);
    }
}

/* EXIF from the first APP1 that is EXIF (XMP also lives in APP1). */
static void read_exif(j_decompress_ptr ci, df_exif_info *ex)
{
    for (jpeg_saved_marker_ptr mk = ci->marker_list; mk; mk = mk->next)
        if (mk->marker == JPEG_APP0 + 1 && mk->data_length >= 6 &&
            memcmp(mk->data, "Exif\0\0", 6) == 0) {
            df_exif_parse(mk->data, mk->data_length, ex);
            return;
        }
    df_exif_parse(NULL, 0, ex);
}

static int jpeg_dpi(j_decompress_ptr ci, const df_exif_info *ex)
{
    /* JFIF density wins; unit 0 is only an aspect ratio, so fall back to
     * EXIF, which camera files without JFIF carry instead. */
    if (ci->saw_JFIF_marker && ci->density_unit == 1)
        return df_decode_plausible_dpi(ci->X_density);
    if (ci->saw_JFIF_marker && ci->density_unit == 2)
        return df_decode_plausible_dpi(ci->X_density * 2.54);
    return df_decode_plausible_dpi(ex->xres);
}

static inline uint32_t rgb_word(unsigned r, unsigned g, unsigned b)
{
    return (uint32_t)r << L_RED_SHIFT | (uint32_t)g << L_GREEN_SHIFT | (uint32_t)b << L_BLUE_SHIFT;
}

/* One decoded scanline into row y of pix. CMYK JPEGs are stored inverted
 * (Adobe/Photoshop convention; libjpeg writes the Adobe marker for them),
 * so with inverted c,k: R = (1-C)(1-K) = c*k/255. Browsers and ImageMagick
 * assume the inversion even without the marker, and so do we. The division
 * truncates because ImageMagick 6's CMYK->sRGB does (`convert cmyk.jpg
 * out.png` agrees on every pixel; rounding would differ on ~6%). */
/* Each channel value times its weight, as floats: Leptonica's products. */
typedef struct lum_tables {
    float r[256], g[256], b[256];
} lum_tables;

static void lum_tables_init(lum_tables *t)
{
    for (int v = 0; v < 256; v++) {
        t->r[v] = L_RED_WEIGHT * v;
        t->g[v] = L_GREEN_WEIGHT * v;
        t->b[v] = L_BLUE_WEIGHT * v;
    }
}

static void put_row(PIX *pix, int y, const JSAMPLE *s, J_COLOR_SPACE cs, int w,
                    const lum_tables *lt)
{
    l_uint32 *line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);
    if (cs == JCS_RGB && pixGetDepth(pix) == 8) {
        /* Leptonica's pixConvertRGBToLuminance, operation for operation
         * (float products summed in its order, widened before rounding), so
         * the page is the one the 32-bit path then df_prep_gray would give;
         * the luma libjpeg could hand out weighs the channels differently,
         * and OCR reads those pages differently. */
        for (int x = 0; x < w; x++, s += 3) {
            float v = lt->r[s[0]] + lt->g[s[1]] + lt->b[s[2]];
            SET_DATA_BYTE(line, x, (int)((double)v + 0.5));
        }
    } else if (cs == JCS_GRAYSCALE) {
        for (int x = 0; x < w; x++)
            SET_DATA_BYTE(line, x, s[x]);
    } else if (cs == JCS_RGB) {
        for (int x = 0; x < w; x++, s += 3)
            line[x] = rgb_word(s[0], s[1], s[2]);
    } else { /* JCS_CMYK */
        for (int x = 0; x < w; x++, s += 4) {
            unsigned k = s[3];
            line[x] = rgb_word(s[0] * k / 255, s[1] * k / 255, s[2] * k / 255);
        }
    }
}

/* Display orientation from the EXIF value, the same mapping ImageMagick's
 * -auto-orient uses. Transpose/transverse are a clockwise quarter turn
 * followed by a mirror. Returns a new PIX (the input is kept) or NULL. */
static PIX *orient(PIX *p, int o)
{
    PIX *r = NULL;
    switch (o) {
    case 2: r = pixFlipLR(NULL, p); break;
    case 3: r = pixRotateOrth(p, 2); break;
    case 4: r = pixFlipTB(NULL, p); break;
    case 5: r = pixRotateOrth(p, 1); if (r) pixFlipLR(r, r); break;
    case 6: r = pixRotateOrth(p, 1); break;
    case 7: r = pixRotateOrth(p, 1); if (r) pixFlipTB(r, r); break;
    case 8: r = pixRotateOrth(p, 3); break;
    default: r = pixClone(p); break;
    }
    if (r)
        pixCopySpp(r, p);
    return r;
}

/* Everything that can longjmp happens here; c lives in the caller's frame
 * so nothing this function changes is lost on the jump. */
static df_code decode(jctx *c, const uint8_t *data, size_t len, const df_decode_opts *o,
                      df_err *err, df_exif_info *ex, int *dpi)
{
    j_decompress_ptr ci = &c->cinfo;
    ci->err = jpeg_std_error(&c->jerr.pub);
    c->jerr.pub.error_exit = on_error;
    c->jerr.pub.emit_message = on_message;
    c->jerr.diag = &o->diag;
    c->jerr.stop = o->stop;
    c->jerr.err = err;
    if (setjmp(c->jerr.jb))
        return c->jerr.code;

    jpeg_create_decompress(ci);
    c->created = 1;
    c->progress.progress_monitor = on_progress;
    ci->progress = &c->progress;
    jpeg_mem_src(ci, data, (unsigned long)len);
    jpeg_save_markers(ci, JPEG_APP0 + 1, 0xffff);
    jpeg_read_header(ci, TRUE);

    df_code rc = df_decode_check_dims(ci->image_width, ci->image_height, o, err);
    if (rc != DF_OK)
        return rc;
    switch (ci->jpeg_color_space) {
    case JCS_GRAYSCALE: ci->out_color_space = JCS_GRAYSCALE; break;
    case JCS_YCbCr:
    case JCS_RGB: ci->out_color_space = JCS_RGB; break;
    case JCS_CMYK:
    case JCS_YCCK: ci->out_color_space = JCS_CMYK; break;
    default:
        return df_err_set(err, DF_E_UNSUPPORTED_FORMAT,
                          "JPEG with %d colour components of unknown meaning",
                          ci->num_components);
    }
    read_exif(ci, ex);
    *dpi = jpeg_dpi(ci, ex);

    jpeg_start_decompress(ci);
    int w = (int)ci->output_width, h = (int)ci->output_height;
    /* RGB straight to gray when the caller asks; CMYK keeps its own path */
    int gray = ci->out_color_space == JCS_GRAYSCALE ||
               (o->gray && ci->out_color_space == JCS_RGB);
    c->pix = pixCreate(w, h, gray ? 8 : 32);
    if (!c->pix)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory for a %dx%d image", w, h);
    if (!gray)
        pixSetSpp(c->pix, 3);
    /* From libjpeg's pool, so a longjmp cannot leak it. */
    JSAMPARRAY row = (*ci->mem->alloc_sarray)((j_common_ptr)ci, JPOOL_IMAGE,
                                              (JDIMENSION)w * ci->output_components, 1);
    lum_tables *lt = NULL;
    if (gray && ci->out_color_space == JCS_RGB) {
        lt = (*ci->mem->alloc_small)((j_common_ptr)ci, JPOOL_IMAGE, sizeof *lt);
        lum_tables_init(lt);
    }
    while (ci->output_scanline < ci->output_height) {
        int y = (int)ci->output_scanline;
        if (jpeg_read_scanlines(ci, row, 1) != 1)
            return df_err_set(err, DF_E_TRUNCATED_FILE,
                              "JPEG data ends before the image is complete (truncated)");
        put_row(c->pix, y, row[0], ci->out_color_space, w, lt);
    }
    jpeg_finish_decompress(ci);
    return DF_OK;
}

df_code df_decode_jpeg(const uint8_t *data, size_t len, const df_decode_opts *o,
                       df_doc *doc, df_err *err)
{
    jctx c;
    memset(&c, 0, sizeof c);
    df_exif_info ex = {1, 0};
    int dpi = 0;
    df_code rc = decode(&c, data, len, o, err, &ex, &dpi);
    if (rc != DF_OK && c.jerr.code == rc && c.jerr.msg[0]) {
        if (rc == DF_E_TRUNCATED_FILE)
            df_err_set(err, rc, "JPEG data ends before the image is complete (truncated)");
        else if (rc == DF_E_NO_MEMORY)
            df_err_set(err, rc, "out of memory decoding the JPEG (%s)", c.jerr.msg);
        else if (rc == DF_E_UNSUPPORTED_FORMAT)
            df_err_set(err, rc, "unsupported kind of JPEG (%s)", c.jerr.msg);
        else
            df_err_set(err, rc, "corrupt JPEG data (%s)", c.jerr.msg);
    }
    if (c.created)
        jpeg_destroy_decompress(&c.cinfo);
    PIX *pix = c.pix;
    if (rc != DF_OK) {
        pixDestroy(&pix);
        return rc;
    }

    PIX *shown = orient(pix, ex.orientation);
    pixDestroy(&pix);
    if (!shown)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory rotating the image");
    return df_doc_add_pix(doc, o, shown, dpi, err);
}
