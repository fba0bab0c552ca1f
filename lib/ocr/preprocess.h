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
/* Leptonica orientation decision: the winning confidence must be at least
 * MIN_CONF and MIN_RATIO times the other one (Leptonica's defaults, 8 and
 * 2.5, miss the 90° fixture at some scales; 6 and 1.5 turned an upright
 * SROIE receipt sideways). */
#define DF_PREP_ORIENT_MIN_CONF 8.0f
#define DF_PREP_ORIENT_MIN_RATIO 2.0f

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
} df_prep;

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

/* The page binarised with one Otsu threshold (1 bpp, new PIX; NULL when out
 * of memory), and the two detections above on it: one binary serves both,
 * turned with pixRotateOrth when the page is turned (the threshold does not
 * depend on the orientation, so that equals binarising the turned page). */
PIX *df_prep_binary(PIX *gray);
int df_prep_orientation_bin(PIX *bin);
double df_prep_skew_bin(PIX *bin);

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
