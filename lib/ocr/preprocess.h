/*
 * preprocess.h — a page's pixels made into what Tesseract reads best, before
 * SetImage (lib/ocr/ocr.c): 8-bit gray, text scaled to a size the LSTM model
 * was trained on, right way up and straight.
 *
 * Why scaling: Tesseract reads text best when characters are ~25-35 px tall.
 * Receipt scans (SROIE: ~850 px wide) have ~12 px capitals, so small digits
 * (dates) are misread; large phone photos waste time on huge glyphs. The
 * typical text height is measured on the page itself (median height of
 * character-like connected components), so it works when the file states no
 * resolution (most JPEGs) and when the stated one is wrong.
 *
 * Private to lib/.
 */
#ifndef DF_OCR_PREPROCESS_H
#define DF_OCR_PREPROCESS_H

#include <leptonica/allheaders.h>

/* Typical capital/digit height, in points, of body text on invoices and
 * receipts (≈ 10 pt type): turns a measured text height into a resolution. */
#define DF_PREP_TEXT_HEIGHT_PT 7.0
/* Height in pixels the typical text (median component: mostly capitals and
 * digits) is scaled to (see df_prep_page). 24 and 30 measured alike on SROIE,
 * 40 worse. */
#define DF_PREP_TARGET_HEIGHT 30
/* Scale factors are kept within these bounds. Upscaling by more than 2 was
 * measured worse on SROIE (glyphs whose measured height is tiny are mostly
 * dot-matrix or noisy; 4x blurs them). */
#define DF_PREP_MIN_SCALE 0.25
#define DF_PREP_MAX_SCALE 2.0
/* Orientation, on the half-resolution binary (df_prep_binary):
 * - text lines run down the page when the skew search finds lines at least
 *   DF_PREP_ORIENT_VERTICAL times more clearly in the page turned a quarter
 *   (upright A4 pages 7-20x the other way; dev-set receipts and photos,
 *   whose lines are faint both ways, at most 2.8x); Leptonica's up/down
 *   test on the turned page then says which way, when its confidence
 *   reaches DF_PREP_ORIENT_SIDE_CONF (the 90 and 270 degree fixtures: 5.8,
 *   10.3);
 * - a page is upside down when that test on it gives at most
 *   -DF_PREP_ORIENT_MIN_CONF (the 180 degree fixture: -9.8; the dev set's
 *   172 upright image pages: never below -4.1); between -MIN_CONF and -DF_PREP_ORIENT_RECHECK
 *   the test is repeated at full resolution, where confidences are about
 *   twice as large, and must reach -MIN_CONF there.
 * Leptonica's own decision (pixOrientDetect + makeOrientDecision) on the
 * halved page missed the 270 degree fixture; on the full page it cost a
 * third of docflow's own work. */
#define DF_PREP_ORIENT_MIN_CONF 8.0f
#define DF_PREP_ORIENT_RECHECK 4.0f
#define DF_PREP_ORIENT_VERTICAL 4.0f
#define DF_PREP_ORIENT_SIDE_CONF 4.0f

/* Table rules (ruled invoice grids, boxed headers) make Tesseract drop the
 * words next to them: psm 6 reads a ruled GST invoice's header as "HSN/SAC
 * Qty" and loses Unit, Rate and Amount. Dark straight runs of at least
 * RULE_MIN_LEN px (about 4 text heights after scaling, longer than any glyph
 * stroke) are painted white before OCR. Keep it a product a x b that
 * selectComposableSizes returns exactly (120 = 12 x 10): the composite
 * opening then equals the plain one (test_preprocess checks). */
#define DF_PREP_RULE_MIN_LEN 120
#define DF_PREP_RULE_THRESHOLD 160
/* A rule is at most this thick (px), and beside it (within as many px) at
 * most this share of pixels is dark; otherwise it is the edge of a dark band
 * and stays (see thin_runs in preprocess.c). */
#define DF_PREP_RULE_MAX_THICK 8
#define DF_PREP_RULE_MAX_SIDE_DARK 0.4
/* Rules are removed only from a ruled grid: a page where horizontal and
 * vertical rules cross or meet at least this many times (a box has 4).
 * Separators alone (receipts, modern invoices) and a receipt photo's paper
 * edges are left: removing them measured worse on SROIE (38 of 100 receipts
 * touched when any 2 vertical rules sufficed: vendor -2, address -4, total
 * -3). */
#define DF_PREP_RULE_MIN_CROSSINGS 4

typedef struct df_prep_opts {
    int target_height;  /* px; <= 0: DF_PREP_TARGET_HEIGHT; scaling skipped when the text is
                           within [target * 0.8, target * 1.6] */
    int no_scale;       /* 1: never rescale */
} df_prep_opts;

/* What df_prep_page made: pix (owned, 8 bpp gray) = the page scaled by `scale`
 * (prepared px = original px * scale). */
typedef struct df_prep {
    PIX *pix;
    double scale;
    int text_height; /* measured typical text height in original pixels; 0 = no text found */
    int stretched;   /* 1: faint print, gray levels stretched (df_prep_stretch_faint) */
} df_prep;

/* Faint print: a pale thermal receipt whose darkest ink is light gray. The
 * page's one Otsu threshold then splits a few dark specks from everything
 * else, no text height is measured, and Tesseract's own threshold reads
 * nothing at all (SROIE X51006620187: empty text; stretched, every line).
 * When no text is measured, the gray levels between the darkest
 * DF_PREP_FAINT_SHARE of the page (at least DF_PREP_FAINT_INK: the ink
 * really is light) and the paper (the median) are stretched to black..white
 * and the height measured again; the page is then read at its own size,
 * since its glyphs, broken into pieces, measure too small. Of the 172 dev-set image pages only that
 * receipt measures no text height, so no other page changes. */
#define DF_PREP_FAINT_SHARE 0.01
#define DF_PREP_FAINT_INK 96
#define DF_PREP_FAINT_MIN_RANGE 24
/* The stretched page (new PIX), or NULL when gray's ink is not faint. */
PIX *df_prep_stretch_faint(PIX *gray);

/*
 * Median height (pixels) of character-like connected components of pix
 * (any depth): dark components at least 4 px tall, not much wider than tall
 * nor thin lines, not taller than a tenth of the page. 0 when fewer than 10
 * such components exist (blank page, a photo without text).
 */
int df_prep_text_height(PIX *pix);

/* Resolution implied by the text height (text_height px ≈ DF_PREP_TEXT_HEIGHT_PT
 * points); 0 when no text was found. */
int df_prep_estimate_dpi(PIX *pix);

/* 8 bpp gray, colormap removed; a new PIX (NULL: out of memory). */
PIX *df_prep_gray(PIX *pix);

/*
 * Text orientation of a gray page (text ~ DF_PREP_TARGET_HEIGHT px tall, as
 * df_prep_page makes it): how many quarter turns CLOCKWISE make it upright
 * (0..3), from Leptonica's pixOrientDetect on the Otsu-binarised page; 0
 * when unsure. Cheap (morphology on a 1 bpp image).
 */
int df_prep_orientation(PIX *gray);

/* pixops.c. pixGetGrayHistogram(gray, 1) of an 8-bpp page without a
 * colormap, count for count (exact also past 2^24 pixels a level), at a
 * fifth of its cost. New NUMA of 256 counts, or NULL. */
NUMA *df_prep_histogram(PIX *gray);
/* pixThresholdToBinary(gray, thresh), bit for bit (dark = value below
 * thresh): 32 pixels per step with SSE2, Leptonica itself elsewhere and for
 * other depths. New PIX or NULL. */
PIX *df_prep_threshold(PIX *gray, int thresh);
/* Whether 1-bpp bin may hold a straight run of ON pixels across (vertical
 * 0) or down (1): 1 when a row (column) has a run of at least len pixels,
 * or of at least edge pixels from a side of the page; 0 otherwise. A
 * cheap stand-in for "an opening by a len-pixel brick leaves something",
 * never 0 when that does for any boundary convention when edge <= len / 2
 * (1 also for len <= 32 or other depths: not decided here). */
int df_prep_has_run(PIX *bin, int len, int edge, int vertical);
/* Pixels the rule pre-check (has_runs_both_ways) takes off its run length:
 * a composite brick (two factors) may be a little shorter than asked. */
#define DF_PREP_RUN_SLACK 4

/* The page binarised with one Otsu threshold, then halved: each 2x2 block
 * becomes one pixel, dark when any of its four is (1 bpp, new PIX; NULL
 * when out of memory). That is the first step of pixFindSkew's own
 * reduction, so the skew found on it (df_prep_skew_bin) is the one found on
 * the full page, and the two detections cost a quarter of what they cost at
 * full resolution (orientation was the largest part of docflow's own work).
 * One binary serves both, turned with pixRotateOrth when the page is turned
 * (the threshold does not depend on the orientation, so that equals
 * binarising the turned page, up to an odd last row or column). */
PIX *df_prep_binary(PIX *gray);
/* One skew search of a binary page (df_prep_skew_bin's): whether it ran,
 * the angle and confidence found, Leptonica's return code. */
typedef struct df_prep_sweep {
    int done;
    float angle, conf;
    int rc;
} df_prep_sweep;
/* gray: the page bin was made from, for the full-resolution recheck (NULL:
 * none; an unsure page stays as it is). A page that is not clearly upright
 * is asked how clearly its lines run across, which is the skew search of
 * bin: when across_out is given, that search is left there (done = 1) for
 * df_prep_skew_bin, so a page found upright is not searched twice. */
int df_prep_orientation_bin(PIX *bin, PIX *gray, df_prep_sweep *across_out);
/* done: a search of this same bin already made, or NULL. */
double df_prep_skew_bin(PIX *bin, const df_prep_sweep *done);

/*
 * Skew of the text lines in degrees, as Leptonica's pixFindSkew reports it
 * (the angle df_prep_transform rotates by to level them); 0 when below
 * DF_PREP_MIN_SKEW or not confidently found. df_ocr_doc levels the page
 * by it: a scanned ruled invoice skewed 1-2° has rules no opening finds and
 * table rows Tesseract's line finder merges.
 */
double df_prep_skew(PIX *gray);
#define DF_PREP_MIN_SKEW 0.3
/* df_ocr_doc levels a page only when a text line drifts by at least this
 * share of DF_PREP_TARGET_HEIGHT across the prepared page's width: below it
 * Tesseract's line finder copes, and the rotation's interpolation only
 * blurs small text (SROIE receipts: 0.3-0.5° over 900 px is ~5 px; deskewing
 * them moved as many fields wrong as right). A4 scans at 1° drift 60 px. */
#define DF_PREP_SKEW_MIN_DRIFT 0.5

/* pix turned by `quads` quarter turns clockwise, then rotated about its
 * centre by `skew_deg` (same size, white brought in): the transformation
 * df_ocr_doc applies to both the page and the prepared image. */
PIX *df_prep_transform(PIX *pix, int quads, double skew_deg);

/* Prepare pix for OCR (see the header comment); 0 on success, -1 when out of
 * memory. o may be NULL. */
int df_prep_page(PIX *pix, const df_prep_opts *o, df_prep *out);
void df_prep_clear(df_prep *p);

/* Dark bands: a table header or title printed white on a dark bar, which
 * Tesseract reads as nothing (and rule removal would paint white, text and
 * all). A band is a dark area that a DF_PREP_BAND_W x DF_PREP_BAND_H px
 * brick fits into (glyph strokes of ~30 px text are far thinner), at least
 * DF_PREP_BAND_MIN_W px wide, at most DF_PREP_BAND_MAX_H tall, filling most
 * of its box and not touching the page's edge (a photo's dark background
 * does); each band's rectangle is inverted in place, so its text reads dark
 * on white. Returns the number of bands inverted, -1 on
 * failure (page left as it was). */
#define DF_PREP_BAND_THRESHOLD 100
#define DF_PREP_BAND_W 90
#define DF_PREP_BAND_H 20
#define DF_PREP_BAND_MIN_W 300
#define DF_PREP_BAND_MAX_H 360       /* a bar, not a dark photo area */
#define DF_PREP_BAND_MIN_FILL 0.6    /* share of its box that is dark */
#define DF_PREP_BAND_GROW 24  /* px a band may grow a side to take in its soft edge */
#define DF_PREP_BAND_EDGE 200 /* mean gray under which a row or column is still band */
int df_prep_invert_bands(PIX *gray);

/* Paint horizontal and vertical rules of the prepared 8 bpp page white (in
 * place) when it is a ruled grid (DF_PREP_RULE_MIN_CROSSINGS). 1 when rules
 * were removed, 0 when the page is not a grid, -1 on failure (page left as
 * it was). */
int df_prep_remove_rules(PIX *gray);

#endif
