/*
 * region.c — re-read part of a page, for later stages.
 *
 * An extractor that finds a field but doubts its characters (a total that
 * breaks the arithmetic, a GSTIN failing its check digit) can ask for that
 * region again, enlarged, with a segmentation mode suited to one line. The
 * answer comes back in the page's own coordinates, so the caller never
 * deals with crops or scales. The dependency points the right way: a later
 * stage calls this earlier one.
 */
#include "ocr/ocr.h"

#include <math.h>
#include <stdlib.h>

/* Tesseract's page segmentation mode 7: the image is one text line. */
#define DF_OCR_PSM_SINGLE_LINE 7
/* A region is enlarged at most this much: beyond it Tesseract gains nothing. */
#define DF_OCR_REGION_MAX_SCALE 4.0

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

df_code df_ocr_region(df_ocr_pool *pool, const df_page *page, const float box_pt[4], double scale,
                      int psm, const df_ocr_opts *o, df_word **words, size_t *nwords, df_err *err)
{
    *words = NULL;
    *nwords = 0;
    if (!page || !page->pix || !box_pt || !(scale > 0))
        return df_err_set(err, DF_E_INVALID_ARGUMENT, "no page pixels or region to re-read");
    if (page->turn_quads || page->turn_skew != 0)
        return df_err_set(err, DF_E_INVALID_ARGUMENT,
                          "the page's pixels are not turned as its words (df_ocr_page_settle)");
    if (scale > DF_OCR_REGION_MAX_SCALE)
        scale = DF_OCR_REGION_MAX_SCALE;
    int dpi = page->dpi > 0 ? page->dpi : DF_OCR_ASSUMED_DPI;
    double px = dpi / 72.0;
    int w = pixGetWidth(page->pix), h = pixGetHeight(page->pix);
    int x0 = clampi((int)floor(box_pt[0] * px), 0, w), y0 = clampi((int)floor(box_pt[1] * px), 0, h);
    int x1 = clampi((int)ceil(box_pt[2] * px), 0, w), y1 = clampi((int)ceil(box_pt[3] * px), 0, h);
    if (x1 - x0 < 2 || y1 - y0 < 2)
        return DF_OK; /* nothing on the page there */
    BOX *b = boxCreate(x0, y0, x1 - x0, y1 - y0);
    PIX *crop = b ? pixClipRectangle(page->pix, b, NULL) : NULL;
    boxDestroy(&b);
    PIX *big = crop ? (scale == 1.0 ? pixClone(crop) : pixScale(crop, (float)scale, (float)scale)) : NULL;
    pixDestroy(&crop);
    if (!big)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory enlarging a region");
    df_page sub = {0};
    sub.pix = big;
    sub.dpi = (int)lround(dpi * scale);
    sub.width = pixGetWidth(big);
    sub.height = pixGetHeight(big);
    df_ocr_opts ro = o ? *o : (df_ocr_opts){0};
    ro.psm = psm > 0 ? psm : DF_OCR_PSM_SINGLE_LINE;
    ro.no_reread = 1; /* the region is the second reading */
    df_code rc = df_ocr_page(pool, &sub, &ro, words, nwords, err);
    pixDestroy(&big);
    /* sub-page points → page points: the crop origin, in points */
    float ox = (float)(x0 / px), oy = (float)(y0 / px);
    for (size_t i = 0; rc == DF_OK && i < *nwords; i++) {
        (*words)[i].box[0] += ox;
        (*words)[i].box[2] += ox;
        (*words)[i].box[1] += oy;
        (*words)[i].box[3] += oy;
    }
    return rc;
}
