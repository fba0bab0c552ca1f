/*
 * preprocess.c — gray conversion, text-height measurement and scale
 * normalisation before OCR (see preprocess.h). Leptonica only.
 */
#include "ocr/preprocess.h"

#include <math.h>
#include <stdlib.h>

/* The prepared image never exceeds this many pixels (memory and time). */
#define DF_PREP_MAX_PIXELS 40000000.0
/* Or this many pixels per side (Tesseract's SetImage limit is 32767). */
#define DF_PREP_MAX_SIDE 16000.0

PIX *df_prep_gray(PIX *pix)
{
    if (!pix)
        return NULL;
    if (pixGetDepth(pix) == 8 && !pixGetColormap(pix))
        return pixClone(pix);
    PIX *noc = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
    if (!noc)
        return NULL;
    PIX *g = NULL;
    switch (pixGetDepth(noc)) {
    case 8: g = pixClone(noc); break;
    case 32: g = pixConvertRGBToLuminance(noc); break;
    default: g = pixConvertTo8(noc, 0); break;
    }
    pixDestroy(&noc);
    return g;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int df_prep_text_height(PIX *pix)
{
    PIX *g = df_prep_gray(pix);
    if (!g)
        return 0;
    /* Otsu over the whole page (one tile): ink vs paper */
    PIX *bin = NULL;
    int W = (int)pixGetWidth(g), H = (int)pixGetHeight(g);
    if (pixOtsuAdaptiveThreshold(g, W, H, 0, 0, 0.1f, NULL, &bin) != 0 || !bin) {
        pixDestroy(&g);
        return 0;
    }
    pixDestroy(&g);
    /* join the dots of dot-matrix (receipt printer) glyphs and broken strokes:
     * a small closing keeps separate characters apart but makes each one
     * component */
    PIX *closed = pixCloseSafeBrick(NULL, bin, 2, 3);
    if (closed) {
        pixDestroy(&bin);
        bin = closed;
    }
    BOXA *boxes = pixConnCompBB(bin, 8);
    pixDestroy(&bin);
    if (!boxes)
        return 0;
    int n = boxaGetCount(boxes), k = 0, result = 0;
    int *hs = malloc((size_t)(n > 0 ? n : 1) * sizeof *hs);
    for (int i = 0; hs && i < n; i++) {
        l_int32 x, y, w, h;
        if (boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h) != 0)
            continue;
        if (h < 4 || h > H / 10 || w > 3 * h || h > 8 * w)
            continue;
        hs[k++] = h;
    }
    if (hs && k >= 10) {
        qsort(hs, (size_t)k, sizeof *hs, cmp_int);
        result = hs[k / 2];
    }
    free(hs);
    boxaDestroy(&boxes);
    return result;
}

int df_prep_estimate_dpi(PIX *pix)
{
    int h = df_prep_text_height(pix);
    return h > 0 ? (int)lround(h * 72.0 / DF_PREP_TEXT_HEIGHT_PT) : 0;
}

int df_prep_page(PIX *pix, const df_prep_opts *o, df_prep *out)
{
    df_prep_opts none = {0};
    if (!o)
        o = &none;
    *out = (df_prep){NULL, 1.0, 0};
    PIX *g = df_prep_gray(pix);
    if (!g)
        return -1;
    double target = o->target_height > 0 ? o->target_height : DF_PREP_TARGET_HEIGHT;
    double s = 1.0;
    if (!o->no_scale) {
        out->text_height = df_prep_text_height(g);
        double h = out->text_height;
        if (h > 0 && (h < 0.8 * target || h > 1.6 * target))
            s = target / h;
        if (s < DF_PREP_MIN_SCALE)
            s = DF_PREP_MIN_SCALE;
        if (s > DF_PREP_MAX_SCALE)
            s = DF_PREP_MAX_SCALE;
        double w = pixGetWidth(g), hh = pixGetHeight(g);
        if (s > 1.0) { /* never grow past the limits; shrinking is always allowed */
            double lim = sqrt(DF_PREP_MAX_PIXELS / (w * hh));
            if (s > lim)
                s = lim > 1.0 ? lim : 1.0;
            if (w * s > DF_PREP_MAX_SIDE || hh * s > DF_PREP_MAX_SIDE)
                s = fmax(1.0, DF_PREP_MAX_SIDE / fmax(w, hh));
        }
    }
    if (fabs(s - 1.0) < 0.05) {
        out->pix = g;
        return 0;
    }
    PIX *sc = pixScale(g, (l_float32)s, (l_float32)s);
    if (!sc) {
        /* keep going unscaled: worse recall beats a failed page */
        out->pix = g;
        return 0;
    }
    pixDestroy(&g);
    /* report the factor actually applied (rounding of the size) */
    out->scale = (double)pixGetWidth(sc) / (double)pixGetWidth(pix);
    out->pix = sc;
    return 0;
}

void df_prep_clear(df_prep *p)
{
    pixDestroy(&p->pix);
    p->scale = 1.0;
}

static PIX *otsu_binary(PIX *gray)
{
    PIX *bin = NULL;
    int W = (int)pixGetWidth(gray), H = (int)pixGetHeight(gray);
    if (pixOtsuAdaptiveThreshold(gray, W, H, 0, 0, 0.1f, NULL, &bin) != 0)
        return NULL;
    return bin;
}

int df_prep_orientation(PIX *gray)
{
    PIX *bin = otsu_binary(gray);
    if (!bin)
        return 0;
    l_float32 up = 0, left = 0;
    l_int32 orient = L_TEXT_ORIENT_UNKNOWN;
    if (pixOrientDetect(bin, &up, &left, 0, 0) == 0)
        makeOrientDecision(up, left, DF_PREP_ORIENT_MIN_CONF, DF_PREP_ORIENT_MIN_RATIO, &orient, 0);
    pixDestroy(&bin);
    switch (orient) {
    case L_TEXT_ORIENT_LEFT: return 1;  /* text reads bottom-to-top: turn clockwise */
    case L_TEXT_ORIENT_DOWN: return 2;
    case L_TEXT_ORIENT_RIGHT: return 3;
    default: return 0;
    }
}

double df_prep_skew(PIX *gray)
{
    PIX *bin = otsu_binary(gray);
    if (!bin)
        return 0;
    l_float32 angle = 0, conf = 0;
    int rc = pixFindSkew(bin, &angle, &conf);
    pixDestroy(&bin);
    if (rc != 0 || conf < 3.0f || fabs(angle) < DF_PREP_MIN_SKEW)
        return 0;
    return angle;
}

PIX *df_prep_transform(PIX *pix, int quads, double skew_deg)
{
    PIX *r = quads ? pixRotateOrth(pix, quads) : pixClone(pix);
    if (!r || skew_deg == 0)
        return r;
    /* pixFindSkew's angle is the one that, applied by pixRotate, levels the lines */
    PIX *d = pixRotate(r, (l_float32)(skew_deg * M_PI / 180.0), L_ROTATE_AREA_MAP,
                       L_BRING_IN_WHITE, 0, 0);
    pixDestroy(&r);
    return d;
}
