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

/* One Otsu threshold for the whole page (8 bpp in, 1 bpp out). The same
 * pixels as pixOtsuAdaptiveThreshold with a single page-sized tile, without
 * its three full-page copies (tile, tile again, 8 bpp conversion): those were
 * a third of the page faults of a batch and cost 2-3x the time. */
static PIX *otsu_binary(PIX *gray)
{
    NUMA *hist = pixGetDepth(gray) == 8 && !pixGetColormap(gray) ? df_prep_histogram(gray)
                                                                 : pixGetGrayHistogram(gray, 1);
    l_int32 thresh = 0;
    int rc = hist ? numaSplitDistribution(hist, 0.1f, &thresh, NULL, NULL, NULL, NULL, NULL) : 1;
    numaDestroy(&hist);
    return rc == 0 ? df_prep_threshold(gray, thresh) : NULL;
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
    /* Otsu over the whole page: ink vs paper */
    int H = (int)pixGetHeight(g);
    PIX *bin = otsu_binary(g);
    pixDestroy(&g);
    if (!bin)
        return 0;
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

/* Gray level below which `share` of the page's pixels lie. */
static int percentile(NUMA *hist, double share)
{
    l_float32 v = 0, total = 0;
    numaGetSum(hist, &total);
    double seen = 0;
    for (int k = 0; k < 256; k++) {
        numaGetFValue(hist, k, &v);
        seen += v;
        if (seen >= share * total)
            return k;
    }
    return 255;
}

PIX *df_prep_stretch_faint(PIX *gray)
{
    NUMA *hist = gray ? df_prep_histogram(gray) : NULL;
    if (!hist)
        return NULL;
    int ink = percentile(hist, DF_PREP_FAINT_SHARE), paper = percentile(hist, 0.5);
    numaDestroy(&hist);
    if (ink < DF_PREP_FAINT_INK || paper - ink < DF_PREP_FAINT_MIN_RANGE)
        return NULL;
    return pixGammaTRC(NULL, gray, 1.0f, ink, paper);
}

int df_prep_page(PIX *pix, const df_prep_opts *o, df_prep *out)
{
    df_prep_opts none = {0};
    if (!o)
        o = &none;
    *out = (df_prep){NULL, 1.0, 0, 0};
    PIX *g = df_prep_gray(pix);
    if (!g)
        return -1;
    double target = o->target_height > 0 ? o->target_height : DF_PREP_TARGET_HEIGHT;
    double s = 1.0;
    if (!o->no_scale) {
        out->text_height = df_prep_text_height(g);
        PIX *st = out->text_height ? NULL : df_prep_stretch_faint(g);
        int sh = st ? df_prep_text_height(st) : 0;
        if (sh > 0) { /* faint print, now dark enough to read */
            pixDestroy(&g);
            g = st;
            out->text_height = sh;
            out->stretched = 1;
        } else {
            pixDestroy(&st);
        }
        /* a stretched page's glyphs are broken into pieces, so its measured
         * height is too small to scale by (X51006620187: 9 px for ~20) */
        double h = out->stretched ? 0 : out->text_height;
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

PIX *df_prep_binary(PIX *gray)
{
    /* Otsu at full resolution, then each 2x2 block ORed into one pixel: the
     * first step of pixFindSkew's own reduction (so the skew found is the
     * one it finds on the full page), at a quarter of the detectors' cost */
    PIX *full = gray ? otsu_binary(gray) : NULL;
    PIX *half = full ? pixReduceRankBinary2(full, 1, NULL) : NULL;
    pixDestroy(&full);
    return half;
}

/* Leptonica's up/down confidence: > 0 upright, < 0 upside down. */
static float updown(PIX *bin)
{
    l_float32 conf = 0;
    return bin && pixUpDownDetect(bin, &conf, 0, 0, 0) == 0 ? conf : 0;
}

/* pixFindSkew's search (sweep at 4x reduction, binary search at 2x, +-7 deg
 * in 1 deg steps to 0.01 deg) on the full page: bin is that page already
 * halved the way pixFindSkew halves it. Its confidence is also how clearly
 * text lines run across bin. */
static df_prep_sweep sweep(PIX *bin)
{
    df_prep_sweep s = {1, 0, 0, 1};
    l_float32 angle = 0, conf = 0;
    if (bin && pixFindSkewSweepAndSearch(bin, &angle, &conf, 2, 1, 7.0f, 1.0f, 0.01f) == 0)
        s = (df_prep_sweep){1, angle, conf, 0};
    return s;
}

int df_prep_orientation_bin(PIX *bin, PIX *gray, df_prep_sweep *across_out)
{
    float up = updown(bin);
    if (up >= DF_PREP_ORIENT_MIN_CONF)
        return 0; /* most pages: clearly upright, nothing else to ask */
    PIX *side = pixRotateOrth(bin, 1);
    df_prep_sweep sw = sweep(bin);
    if (across_out)
        *across_out = sw; /* the skew search of an upright page, done already */
    float across = sw.rc == 0 ? sw.conf : 0, down = side ? sweep(side).conf : 0;
    if (down >= DF_PREP_ORIENT_VERTICAL * across && down > 0) {
        float turned = updown(side); /* upright after one clockwise quarter turn? */
        pixDestroy(&side);
        return turned >= DF_PREP_ORIENT_SIDE_CONF ? 1 : turned <= -DF_PREP_ORIENT_SIDE_CONF ? 3 : 0;
    }
    pixDestroy(&side);
    if (up <= -DF_PREP_ORIENT_MIN_CONF)
        return 2;
    if (up > -DF_PREP_ORIENT_RECHECK || !gray)
        return 0;
    PIX *full = otsu_binary(gray);
    float again = updown(full);
    pixDestroy(&full);
    return again <= -DF_PREP_ORIENT_MIN_CONF ? 2 : 0;
}

double df_prep_skew_bin(PIX *bin, const df_prep_sweep *done)
{
    df_prep_sweep s = done && done->done ? *done : sweep(bin);
    if (s.rc != 0 || s.conf < 3.0f || fabs(s.angle) < DF_PREP_MIN_SKEW)
        return 0;
    return s.angle;
}

int df_prep_orientation(PIX *gray)
{
    PIX *bin = df_prep_binary(gray);
    int q = bin ? df_prep_orientation_bin(bin, gray, NULL) : 0;
    pixDestroy(&bin);
    return q;
}

double df_prep_skew(PIX *gray)
{
    PIX *bin = df_prep_binary(gray);
    double a = bin ? df_prep_skew_bin(bin, NULL) : 0;
    pixDestroy(&bin);
    return a;
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

/* Share of dark pixels of bin in the strips of width m beside box b (above
 * and below a horizontal run, left and right of a vertical one), not
 * counting the run's own `own` pixels. */
static double side_darkness(PIX *bin, const BOX *b, int horizontal, int m, int own)
{
    l_int32 x, y, w, h;
    boxGetGeometry((BOX *)b, &x, &y, &w, &h);
    BOX *e = horizontal ? boxCreate(x, y - m, w, h + 2 * m) : boxCreate(x - m, y, w + 2 * m, h);
    BOX *clipped = NULL;
    PIX *c = e ? pixClipRectangle(bin, e, &clipped) : NULL;
    l_int32 dark = 0, cw = 0, ch = 0;
    if (c) {
        pixCountPixels(c, &dark, NULL);
        pixGetDimensions(c, &cw, &ch, NULL);
    }
    pixDestroy(&c);
    boxDestroy(&e);
    boxDestroy(&clipped);
    double side = (double)cw * ch - (double)w * h;
    return side > 0 ? (dark - own) / side : 1.0;
}

/* Straight dark runs (opening by a w x h brick) that are rules: thin across
 * (at most RULE_MAX_THICK px) with mostly light pixels on both sides. The
 * edge of a dark band (a white-on-colour "Total Due" bar, a photo's shadow)
 * is as long and can be as thin, but has the band beside it: it stays, and
 * so does the white text inside the band. */
static PIX *thin_runs(PIX *bin, int w, int h)
{
    /* composite brick: 12 + 10 shifts instead of 120 per pass, the same
     * pixels when the length factors exactly (RULE_MIN_LEN 120 = 12 x 10) */
    PIX *runs = pixOpenCompBrick(NULL, bin, w, h), *out = runs ? pixCreateTemplate(runs) : NULL;
    PIXA *pixa = NULL;
    BOXA *boxa = out ? pixConnComp(runs, &pixa, 8) : NULL;
    int horizontal = w > h, t = DF_PREP_RULE_MAX_THICK;
    for (l_int32 i = 0; boxa && i < boxaGetCount(boxa); i++) {
        BOX *b = boxaGetBox(boxa, i, L_CLONE);
        PIX *p = pixaGetPix(pixa, i, L_CLONE);
        l_int32 x, y, bw, bh, own = 0;
        boxGetGeometry(b, &x, &y, &bw, &bh);
        pixCountPixels(p, &own, NULL);
        if ((horizontal ? bh : bw) <= t &&
            side_darkness(bin, b, horizontal, t, own) < DF_PREP_RULE_MAX_SIDE_DARK)
            pixRasterop(out, x, y, bw, bh, PIX_PAINT, p, 0, 0);
        pixDestroy(&p);
        boxDestroy(&b);
    }
    boxaDestroy(&boxa);
    pixaDestroy(&pixa);
    pixDestroy(&runs);
    return out;
}

static int count_components(PIX *bin)
{
    BOXA *b = bin ? pixConnComp(bin, NULL, 8) : NULL;
    int n = b ? boxaGetCount(b) : 0;
    boxaDestroy(&b);
    return n;
}

/* Places where a horizontal and a vertical rule meet (within a few px). */
static int crossings(PIX *h, PIX *v)
{
    PIX *hd = pixDilateBrick(NULL, h, 5, 5), *vd = pixDilateBrick(NULL, v, 5, 5);
    PIX *both = hd && vd ? pixAnd(NULL, hd, vd) : NULL;
    int n = count_components(both);
    pixDestroy(&hd);
    pixDestroy(&vd);
    pixDestroy(&both);
    return n;
}

/* Whether bin may have a straight run of len px both across and down,
 * looked for at half the resolution. Safe as a filter: every run of len px
 * becomes one of len/2 px when each 2x2 block is ORed into one pixel, so a
 * page that fails this has no grid at full resolution either. */
static int has_runs_both_ways(PIX *bin, int len)
{
    /* runs counted directly (df_prep_has_run) rather than by two openings
     * with len/2 bricks, which cost a tenth of preprocessing on pages that
     * have no grid; the slack and the short edge runs keep the answer "yes"
     * wherever an opening by a composite brick could leave something */
    PIX *half = pixReduceRankBinary2(bin, 1, NULL);
    int l = len / 2, edge = l / 4;
    int both = !half || (df_prep_has_run(half, l - DF_PREP_RUN_SLACK, edge, 0) &&
                         df_prep_has_run(half, l - DF_PREP_RUN_SLACK, edge, 1));
    pixDestroy(&half);
    return both;
}

int df_prep_remove_rules(PIX *gray)
{
    if (!gray || pixGetDepth(gray) != 8)
        return -1;
    PIX *bin = df_prep_threshold(gray, DF_PREP_RULE_THRESHOLD);
    int len = DF_PREP_RULE_MIN_LEN, rc = -1;
    if (bin && !has_runs_both_ways(bin, len)) {
        pixDestroy(&bin);
        return 0; /* most pages: no grid can be there, and finding none is cheap */
    }
    /* only pixels in a straight run of len px survive an opening by a
     * len x 1 (1 x len) brick: rules, never glyphs of ~30 px text */
    PIX *h = bin ? thin_runs(bin, len, 1) : NULL;
    PIX *v = bin ? thin_runs(bin, 1, len) : NULL;
    PIX *rules = NULL, *mask = NULL;
    if (h && v && crossings(h, v) < DF_PREP_RULE_MIN_CROSSINGS) {
        rc = 0; /* not a ruled grid: separators alone do not hurt */
    } else if (h && v && (rules = pixOr(NULL, h, v)) &&
               (mask = pixDilateBrick(NULL, rules, 3, 3))) { /* grey rule edges too */
        pixSetMasked(gray, mask, 255);
        rc = 1;
    }
    pixDestroy(&bin);
    pixDestroy(&h);
    pixDestroy(&v);
    pixDestroy(&rules);
    pixDestroy(&mask);
    return rc;
}

/* Mean gray of row y over [x0, x1) (col x over [y0, y1) when vertical). */
static int mean_line(PIX *gray, int vertical, int at, int from, int to)
{
    l_uint32 *data = pixGetData(gray);
    int wpl = pixGetWpl(gray);
    long sum = 0;
    for (int k = from; k < to; k++)
        sum += vertical ? GET_DATA_BYTE(data + (size_t)k * (size_t)wpl, at)
                        : GET_DATA_BYTE(data + (size_t)at * (size_t)wpl, k);
    return to > from ? (int)(sum / (to - from)) : 255;
}

/* The rectangle found at the threshold stops short of the band's softer
 * (anti-aliased, scanned) edge; grow it while the next row or column is
 * still mostly dark, at most DF_PREP_BAND_GROW px a side. */
static void grow_band(PIX *gray, int *x, int *y, int *w, int *h)
{
    int pw = (int)pixGetWidth(gray), ph = (int)pixGetHeight(gray), lim = DF_PREP_BAND_EDGE;
    /* the opening's box may also take in a margin of page around the band */
    while (*h > 2 && mean_line(gray, 0, *y, *x, *x + *w) >= lim)
        (*y)++, (*h)--;
    while (*h > 2 && mean_line(gray, 0, *y + *h - 1, *x, *x + *w) >= lim)
        (*h)--;
    while (*w > 2 && mean_line(gray, 1, *x, *y, *y + *h) >= lim)
        (*x)++, (*w)--;
    while (*w > 2 && mean_line(gray, 1, *x + *w - 1, *y, *y + *h) >= lim)
        (*w)--;
    for (int k = 0; k < DF_PREP_BAND_GROW && *y > 0 && mean_line(gray, 0, *y - 1, *x, *x + *w) < lim; k++)
        (*y)--, (*h)++;
    for (int k = 0; k < DF_PREP_BAND_GROW && *y + *h < ph && mean_line(gray, 0, *y + *h, *x, *x + *w) < lim; k++)
        (*h)++;
    for (int k = 0; k < DF_PREP_BAND_GROW && *x > 0 && mean_line(gray, 1, *x - 1, *y, *y + *h) < lim; k++)
        (*x)--, (*w)++;
    for (int k = 0; k < DF_PREP_BAND_GROW && *x + *w < pw && mean_line(gray, 1, *x + *w, *y, *y + *h) < lim; k++)
        (*w)++;
}

/* Invert the band so that its background becomes white, not the mid gray a
 * plain inversion gives (which a page-wide threshold would then read as
 * black): gray g -> (255 - g) * 255 / (255 - bg), bg the band's mean. */
static void invert_band(PIX *gray, int x, int y, int w, int h)
{
    l_uint32 *data = pixGetData(gray);
    int wpl = pixGetWpl(gray);
    long sum = 0;
    for (int yy = y; yy < y + h; yy++)
        sum += mean_line(gray, 0, yy, x, x + w);
    int bg = h > 0 ? (int)(sum / h) : 0;
    if (bg > 200)
        bg = 200;
    for (int yy = y; yy < y + h; yy++) {
        l_uint32 *line = data + (size_t)yy * (size_t)wpl;
        for (int xx = x; xx < x + w; xx++) {
            int v = (255 - (int)GET_DATA_BYTE(line, xx)) * 255 / (255 - bg);
            SET_DATA_BYTE(line, xx, v > 255 ? 255 : v);
        }
    }
}

int df_prep_invert_bands(PIX *gray)
{
    if (!gray || pixGetDepth(gray) != 8)
        return -1;
    /* bands are large: found on the page reduced 4x (a 16th of the work),
     * their edges then placed at full resolution by grow_band */
    PIX *half = pixScaleAreaMap2(gray);
    PIX *small = half ? pixScaleAreaMap2(half) : NULL;
    pixDestroy(&half);
    PIX *bin = small ? df_prep_threshold(small, DF_PREP_BAND_THRESHOLD) : NULL;
    pixDestroy(&small);
    /* the opening keeps the bars' solid parts; their boxes are then judged
     * on the dark pixels of bin */
    PIX *solid = bin ? pixOpenBrick(NULL, bin, DF_PREP_BAND_W / 4, DF_PREP_BAND_H / 4) : NULL;
    BOXA *boxes = solid ? pixConnCompBB(solid, 8) : NULL;
    int n = -1, pw = (int)pixGetWidth(gray), ph = (int)pixGetHeight(gray);
    if (boxes) {
        n = 0;
        for (int i = 0; i < boxaGetCount(boxes); i++) {
            l_int32 x, y, w, h, on = 0;
            if (boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h) != 0)
                continue;
            BOX *bb = boxCreate(x, y, w, h);
            PIX *part = bb ? pixClipRectangle(bin, bb, NULL) : NULL;
            if (part)
                pixCountPixels(part, &on, NULL);
            pixDestroy(&part);
            boxDestroy(&bb);
            /* a printed bar is dark over most of its box (its text is a small
             * share); a shadow or a photo's background is not a rectangle */
            if (on < DF_PREP_BAND_MIN_FILL * (double)w * h)
                continue;
            x *= 4, y *= 4, w *= 4, h *= 4;
            if (w < DF_PREP_BAND_MIN_W || h > DF_PREP_BAND_MAX_H)
                continue;
            /* ... and lies inside the page; a photo's background reaches its edge */
            if (x <= 8 || y <= 8 || x + w >= pw - 8 || y + h >= ph - 8)
                continue;
            if (x + w > pw)
                w = pw - x;
            if (y + h > ph)
                h = ph - y;
            grow_band(gray, &x, &y, &w, &h);
            invert_band(gray, x, y, w, h);
            n++;
        }
    }
    boxaDestroy(&boxes);
    pixDestroy(&solid);
    pixDestroy(&bin);
    return n;
}
