/* test_preprocess.c — lib/ocr/preprocess: text height and resolution
 * estimation, scale normalisation, skew measurement, and pages turned
 * upright and levelled by df_ocr_doc (fixtures invoice-rot90/180/270.png, invoice-skew3.png, made
 * from invoice.png by fixtures/make-fixtures.sh). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "ocr/ocr.h"
#include "testutil.h"
#include "ocr/preprocess.h"

#define FX DF_FIXTURES_DIR "/"


static const df_word *find_word(const df_page *p, const char *text)
{
    for (size_t i = 0; i < p->nwords; i++)
        if (strstr(p->words[i].text, text))
            return &p->words[i];
    return NULL;
}

/* Rules of a ruled table go white; glyph-sized marks, even dark and bold,
 * stay; a page without rules is left as it was. */
START_TEST(table_rules_are_removed)
{
    PIX *g = pixCreate(800, 600, 8);
    pixSetAllArbitrary(g, 255);
    /* a table frame: 2-px rules */
    pixRasterop(g, 50, 100, 700, 2, PIX_CLR, NULL, 0, 0);
    pixRasterop(g, 50, 160, 700, 2, PIX_CLR, NULL, 0, 0);
    pixRasterop(g, 50, 100, 2, 300, PIX_CLR, NULL, 0, 0);
    pixRasterop(g, 400, 100, 2, 300, PIX_CLR, NULL, 0, 0);
    /* "glyphs": 30-px tall strokes, a 40-px wide bar (an em dash) */
    for (int x = 100; x < 360; x += 20)
        pixRasterop(g, x, 120, 4, 30, PIX_CLR, NULL, 0, 0);
    pixRasterop(g, 450, 130, 40, 5, PIX_CLR, NULL, 0, 0);
    /* a dark total bar with white text in it */
    pixRasterop(g, 50, 450, 700, 40, PIX_CLR, NULL, 0, 0);
    pixRasterop(g, 100, 460, 4, 20, PIX_SET, NULL, 0, 0);
    PIX *before = pixCopy(NULL, g);
    ck_assert_int_eq(df_prep_remove_rules(g), 1);
    l_uint32 v;
    pixGetPixel(g, 300, 100, &v);
    ck_assert_uint_eq(v, 255); /* horizontal rule gone */
    pixGetPixel(g, 400, 300, &v);
    ck_assert_uint_eq(v, 255); /* vertical rule gone */
    pixGetPixel(g, 101, 135, &v);
    ck_assert_uint_eq(v, 0); /* glyph stroke kept */
    pixGetPixel(g, 470, 132, &v);
    ck_assert_uint_eq(v, 0); /* dash kept */
    pixGetPixel(g, 300, 470, &v);
    ck_assert_uint_eq(v, 0); /* the bar kept, so its white text still shows */
    pixGetPixel(g, 101, 470, &v);
    ck_assert_uint_eq(v, 255);
    /* nothing else changed far from the rules */
    PIX *clean = pixCreate(300, 200, 8);
    pixSetAllArbitrary(clean, 255);
    for (int x = 10; x < 290; x += 20)
        pixRasterop(clean, x, 50, 4, 30, PIX_CLR, NULL, 0, 0);
    pixRasterop(clean, 10, 120, 280, 2, PIX_CLR, NULL, 0, 0); /* a receipt's separator */
    PIX *copy = pixCopy(NULL, clean);
    ck_assert_int_eq(df_prep_remove_rules(clean), 0);
    l_int32 same = 0;
    pixEqual(clean, copy, &same);
    ck_assert(same);
    ck_assert_int_eq(df_prep_remove_rules(NULL), -1);
    pixDestroy(&g);
    pixDestroy(&before);
    pixDestroy(&clean);
    pixDestroy(&copy);
}
END_TEST

/* A run of exactly DF_PREP_RULE_MIN_LEN px is a rule, one px shorter is not:
 * the composite opening keeps the length exact (preprocess.h). */
START_TEST(rule_length_is_exact)
{
    l_int32 f1 = 0, f2 = 0;
    ck_assert_int_eq(selectComposableSizes(DF_PREP_RULE_MIN_LEN, &f1, &f2), 0);
    ck_assert_int_eq(f1 * f2, DF_PREP_RULE_MIN_LEN);
    PIX *g = pixCreate(800, 600, 8);
    pixSetAllArbitrary(g, 255);
    pixRasterop(g, 50, 100, 700, 2, PIX_CLR, NULL, 0, 0); /* the grid */
    pixRasterop(g, 50, 200, 700, 2, PIX_CLR, NULL, 0, 0);
    pixRasterop(g, 50, 100, 2, 300, PIX_CLR, NULL, 0, 0);
    pixRasterop(g, 400, 100, 2, 300, PIX_CLR, NULL, 0, 0);
    pixRasterop(g, 100, 450, DF_PREP_RULE_MIN_LEN, 2, PIX_CLR, NULL, 0, 0);
    pixRasterop(g, 100, 500, DF_PREP_RULE_MIN_LEN - 1, 2, PIX_CLR, NULL, 0, 0);
    pixRasterop(g, 600, 420, 2, DF_PREP_RULE_MIN_LEN - 1, PIX_CLR, NULL, 0, 0);
    ck_assert_int_eq(df_prep_remove_rules(g), 1);
    l_uint32 v;
    pixGetPixel(g, 150, 450, &v);
    ck_assert_uint_eq(v, 255);
    pixGetPixel(g, 150, 500, &v);
    ck_assert_uint_eq(v, 0);
    pixGetPixel(g, 600, 480, &v);
    ck_assert_uint_eq(v, 0);
    pixDestroy(&g);
}
END_TEST

/* One binary serves orientation and skew: binarising a turned page equals
 * turning the page's binary (preprocess.h), and the _bin detections agree
 * with the gray ones. */
START_TEST(binary_turns_with_the_page)
{
    PIX *pix = pixRead(FX "invoice-rot90.png");
    ck_assert_ptr_nonnull(pix);
    /* even sides: the binary is made at half the resolution, and an odd last
     * row or column is dropped on whichever side it ends up */
    BOX *even = boxCreate(0, 0, pixGetWidth(pix) & ~1, pixGetHeight(pix) & ~1);
    PIX *cut = pixClipRectangle(pix, even, NULL);
    boxDestroy(&even);
    PIX *g = df_prep_gray(cut);
    pixDestroy(&cut);
    PIX *bin = df_prep_binary(g);
    ck_assert_int_eq(pixGetWidth(bin), pixGetWidth(g) / 2);
    ck_assert_ptr_nonnull(bin);
    ck_assert_int_eq(pixGetDepth(bin), 1);
    ck_assert_int_eq(df_prep_orientation_bin(bin, g, NULL), df_prep_orientation(g));
    for (int q = 1; q <= 3; q++) {
        PIX *tg = pixRotateOrth(g, q), *tb = df_prep_binary(tg), *rb = pixRotateOrth(bin, q);
        l_int32 same = 0;
        pixEqual(tb, rb, &same);
        ck_assert_msg(same, "%d quarter turns: binaries differ", q);
        ck_assert(df_prep_skew_bin(rb, NULL) == df_prep_skew(tg));
        pixDestroy(&tg);
        pixDestroy(&tb);
        pixDestroy(&rb);
    }
    ck_assert_ptr_null(df_prep_binary(NULL));
    pixDestroy(&bin);
    pixDestroy(&g);
    /* an upright page whose orientation needed the skew search hands it on:
     * the skew found from it is the one a new search finds */
    PIX *sk = pixRead(FX "invoice-skew3.png");
    PIX *sg = df_prep_gray(sk), *sb = df_prep_binary(sg);
    df_prep_sweep across = {0};
    ck_assert_int_eq(df_prep_orientation_bin(sb, sg, &across), 0);
    ck_assert_int_eq(across.done, 1);
    double reused = df_prep_skew_bin(sb, &across);
    ck_assert(reused != 0 && reused == df_prep_skew_bin(sb, NULL));
    pixDestroy(&sb);
    pixDestroy(&sg);
    pixDestroy(&sk);
    pixDestroy(&pix);
}
END_TEST

/* df_prep_histogram stands in for pixGetGrayHistogram: every count the
 * same, for widths that end a row inside a word and for each pixel value. */
START_TEST(histogram_matches_leptonica)
{
    unsigned seed = 7;
    for (int w = 1; w <= 41; w += 4) {
        PIX *g = pixCreate(w, 23, 8);
        for (int y = 0; y < 23; y++)
            for (int x = 0; x < w; x++) {
                seed = seed * 1103515245u + 12345u;
                pixSetPixel(g, x, y, (seed >> 16) & 0xff);
            }
        NUMA *mine = df_prep_histogram(g), *lept = pixGetGrayHistogram(g, 1);
        ck_assert_int_eq(numaGetCount(mine), 256);
        for (int v = 0; v < 256; v++) {
            l_float32 a = 0, b = 0;
            numaGetFValue(mine, v, &a);
            numaGetFValue(lept, v, &b);
            ck_assert_msg(a == b, "width %d, value %d: %g vs %g", w, v, a, b);
        }
        numaDestroy(&mine);
        numaDestroy(&lept);
        pixDestroy(&g);
    }
}
END_TEST

/* df_prep_threshold stands in for pixThresholdToBinary: the same bits for
 * every threshold (0 and 256 included), for widths ending inside a 32-pixel
 * word and on one, values on both sides of and at the threshold. */
START_TEST(threshold_matches_leptonica)
{
    unsigned seed = 11;
    static const int widths[] = {1, 7, 31, 32, 33, 63, 64, 65, 100, 257};
    static const int thresholds[] = {0, 1, 2, 127, 128, 129, 200, 254, 255, 256};
    for (size_t wi = 0; wi < sizeof widths / sizeof *widths; wi++) {
        PIX *g = pixCreate(widths[wi], 9, 8);
        for (int y = 0; y < 9; y++)
            for (int x = 0; x < widths[wi]; x++) {
                seed = seed * 1103515245u + 12345u;
                pixSetPixel(g, x, y, (seed >> 16) & 0xff);
            }
        for (size_t ti = 0; ti < sizeof thresholds / sizeof *thresholds; ti++) {
            PIX *mine = df_prep_threshold(g, thresholds[ti]);
            PIX *lept = pixThresholdToBinary(g, thresholds[ti]);
            l_int32 same = 0;
            ck_assert(mine && lept && pixEqual(mine, lept, &same) == 0);
            ck_assert_msg(same, "width %d, threshold %d", widths[wi], thresholds[ti]);
            pixDestroy(&mine);
            pixDestroy(&lept);
        }
        pixDestroy(&g);
    }
}
END_TEST

/* A w x h page with one run of n ON pixels from (x, y), across or down. */
static PIX *with_run(int w, int h, int x, int y, int n, int vertical)
{
    PIX *p = pixCreate(w, h, 1);
    for (int k = 0; k < n; k++)
        pixSetPixel(p, vertical ? x : x + k, vertical ? y + k : y, 1);
    return p;
}

/* df_prep_has_run, the rule pre-check: a run of len pixels anywhere, or of
 * edge pixels from a side, in rows or in columns; nothing shorter. And it
 * never says no where Leptonica's opening by a composite brick of the
 * length the pre-check stands in for leaves pixels. */
START_TEST(runs_found_as_openings_find_them)
{
    for (int v = 0; v <= 1; v++) {
        int W = v ? 70 : 203, H = v ? 203 : 70; /* runs go along the long side */
        struct {
            int at, n, want;
        } cases[] = {
            {60, 56, 1}, {60, 55, 0}, /* inside: len 56 */
            {0, 14, 1},  {0, 13, 0},  /* from the first pixel: edge 14 */
            {203 - 14, 14, 1}, {203 - 13, 13, 0}, /* to the last one */
            {100, 103, 1},           /* inside to the end */
        };
        for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
            PIX *p = v ? with_run(W, H, 33, cases[c].at, cases[c].n, 1)
                       : with_run(W, H, cases[c].at, 33, cases[c].n, 0);
            ck_assert_msg(df_prep_has_run(p, 56, 14, v) == cases[c].want,
                          "%s case %zu", v ? "down" : "across", c);
            ck_assert_int_eq(df_prep_has_run(p, 56, 14, !v), 0); /* one pixel thick */
            pixDestroy(&p);
        }
    }
    /* random pages with runs of many lengths: where the opening leaves
     * anything, the pre-check says yes */
    unsigned seed = 5;
    for (int t = 0; t < 60; t++) {
        int v = t & 1, w = 97 + t * 3, h = 89 + t * 2;
        PIX *p = pixCreate(w, h, 1);
        for (int k = 0; k < 6; k++) {
            seed = seed * 1103515245u + 12345u;
            int n = 20 + (int)((seed >> 16) % 60), x = (int)((seed >> 8) % (unsigned)w);
            int y = (int)((seed >> 4) % (unsigned)h);
            for (int i = 0; i < n; i++)
                if (v ? y + i < h : x + i < w)
                    pixSetPixel(p, v ? x : x + i, v ? y + i : y, 1);
        }
        PIX *o = pixOpenCompBrick(NULL, p, v ? 1 : 60, v ? 60 : 1);
        l_int32 empty = 1;
        pixZero(o, &empty);
        if (!empty)
            ck_assert_msg(df_prep_has_run(p, 60 - DF_PREP_RUN_SLACK, 15, v), "page %d", t);
        pixDestroy(&o);
        pixDestroy(&p);
    }
}
END_TEST

/* invoice-nodpi.png is the 75-dpi render without pHYs: the estimate from the
 * text height must land within 20 % of 75; invoice.png (150 dpi) likewise. */
START_TEST(resolution_estimate)
{
    df_doc doc;
    df_test_decode_file(FX "invoice-nodpi.png", &doc);
    ck_assert_int_eq(doc.pages[0].dpi, 0);
    int est = df_prep_estimate_dpi(doc.pages[0].pix);
    ck_assert_msg(est >= 60 && est <= 90, "estimated %d dpi for a 75-dpi page", est);
    df_doc_clear(&doc);

    df_test_decode_file(FX "invoice.png", &doc);
    est = df_prep_estimate_dpi(doc.pages[0].pix);
    ck_assert_msg(est >= 120 && est <= 180, "estimated %d dpi for a 150-dpi page", est);
    df_doc_clear(&doc);

    /* a blank page has no text: no estimate, and no scaling */
    PIX *blank = pixCreate(400, 300, 8);
    pixSetAll(blank);
    ck_assert_int_eq(df_prep_estimate_dpi(blank), 0);
    df_prep prep;
    ck_assert_int_eq(df_prep_page(blank, NULL, &prep), 0);
    ck_assert_double_eq(prep.scale, 1.0);
    ck_assert_int_eq(pixGetDepth(prep.pix), 8);
    df_prep_clear(&prep);
    pixDestroy(&blank);
}
END_TEST

/* Small text is scaled up to the target height, big text down; the result
 * is 8-bit gray whatever came in (here 32-bit RGB). */
START_TEST(scale_normalisation)
{
    df_doc doc;
    df_test_decode_file(FX "invoice-rgb.png", &doc); /* 75 dpi, RGB */
    PIX *pix = doc.pages[0].pix;
    int h = df_prep_text_height(pix);
    ck_assert_int_gt(h, 0);
    df_prep prep;
    ck_assert_int_eq(df_prep_page(pix, NULL, &prep), 0);
    ck_assert_int_eq(pixGetDepth(prep.pix), 8);
    double want = fmin((double)DF_PREP_TARGET_HEIGHT / h, DF_PREP_MAX_SCALE);
    ck_assert_msg(fabs(prep.scale - want) < 0.05, "scale %.2f for %d px text, want %.2f",
                  prep.scale, h, want);
    int h2 = df_prep_text_height(prep.pix);
    ck_assert_msg(h2 > h * 1.4, "text %d px after scaling by %.2f, was %d", h2, prep.scale, h);
    /* the top of the 150-dpi page enlarged 4x (text ~56 px) is scaled down */
    df_doc d150;
    df_test_decode_file(FX "invoice.png", &d150);
    BOX *top = boxCreate(0, 0, 1240, 500);
    PIX *clip = pixClipRectangle(d150.pages[0].pix, top, NULL);
    PIX *big = pixScale(clip, 4.0f, 4.0f);
    pixDestroy(&clip);
    boxDestroy(&top);
    df_doc_clear(&d150);
    df_prep p2;
    ck_assert_int_eq(df_prep_page(big, NULL, &p2), 0);
    ck_assert_msg(p2.scale < 0.7, "scale %.2f for big text", p2.scale);
    df_prep_clear(&p2);
    pixDestroy(&big);
    df_prep_clear(&prep);
    df_doc_clear(&doc);
}
END_TEST

static void ocr_file(df_ocr_pool *pool, const char *path, df_doc *doc)
{
    df_test_decode_file(path, doc);
    df_ocr_opts o = {0};
    df_err err = {0};
    ck_assert_msg(df_ocr_doc(pool, doc, &o, &err) == DF_OK, "%s: %s", path, err.msg);
}

static void fill(PIX *p, int x, int y, int w, int h, int v)
{
    BOX *b = boxCreate(x, y, w, h);
    pixSetInRectArbitrary(p, b, (l_uint32)v);
    boxDestroy(&b);
}

static l_uint32 gray_at(PIX *p, int x, int y)
{
    l_uint32 v = 0;
    pixGetPixel(p, x, y, &v);
    return v;
}

/* A header printed white on a dark bar is inverted to dark on white; a dark
 * area at the page's edge (a photo's background) and a rule are not bars. */
START_TEST(dark_bands_are_inverted)
{
    PIX *p = pixCreate(1200, 900, 8);
    pixSetAll(p);
    fill(p, 100, 200, 900, 100, 60);       /* the bar */
    for (int k = 0; k < 12; k++)                                       /* its white "text" */
        fill(p, 140 + 60 * k, 230, 6, 40, 255);
    fill(p, 0, 700, 1200, 200, 40);        /* photo background */
    fill(p, 100, 500, 900, 4, 0);          /* a rule */
    ck_assert_int_eq(df_prep_invert_bands(p), 1);
    ck_assert_uint_ge(gray_at(p, 120, 250), 250);   /* bar background now white */
    ck_assert_uint_ge(gray_at(p, 500, 205), 250);   /* up to its edge */
    ck_assert_uint_le(gray_at(p, 143, 250), 10);    /* its text dark */
    ck_assert_uint_eq(gray_at(p, 50, 250), 255);    /* the page around it untouched */
    ck_assert_uint_eq(gray_at(p, 500, 320), 255);
    ck_assert_uint_eq(gray_at(p, 600, 800), 40);    /* the edge area as it was */
    ck_assert_uint_eq(gray_at(p, 600, 502), 0);     /* the rule too */
    ck_assert_int_eq(df_prep_invert_bands(NULL), -1);
    pixDestroy(&p);
}
END_TEST

/* Every quarter turn of a page is found, on the page prepared the way
 * df_prep_page prepares it, and an upright page is left alone. */
START_TEST(orientation_of_each_quarter_turn)
{
    PIX *pix = pixRead(FX "invoice.png");
    ck_assert_ptr_nonnull(pix);
    df_prep prep;
    ck_assert_int_eq(df_prep_page(pix, NULL, &prep), 0);
    for (int q = 0; q < 4; q++) {
        PIX *t = q ? pixRotateOrth(prep.pix, q) : pixClone(prep.pix);
        /* q clockwise quarter turns are undone by 4 - q more */
        ck_assert_msg(df_prep_orientation(t) == (4 - q) % 4, "turned %d: found %d", q,
                      df_prep_orientation(t));
        pixDestroy(&t);
    }
    df_prep_clear(&prep);
    pixDestroy(&pix);
}
END_TEST

/* Faint print (fixtures/invoice-faint.jpg: ink no darker than ~190, a
 * black scanner edge): no text height is measured on the page as it is,
 * preprocessing stretches its levels and keeps its size, and OCR reads the
 * invoice number and total that Tesseract alone does not see. */
START_TEST(faint_print_is_stretched)
{
    df_doc doc;
    df_test_decode_file(FX "invoice-faint.jpg", &doc);
    PIX *g = df_prep_gray(doc.pages[0].pix);
    ck_assert_int_eq(df_prep_text_height(g), 0);
    df_prep prep;
    ck_assert_int_eq(df_prep_page(g, NULL, &prep), 0);
    ck_assert_int_eq(prep.stretched, 1);
    ck_assert_int_gt(prep.text_height, 0);
    ck_assert(fabs(prep.scale - 1.0) < 1e-9);
    df_prep_clear(&prep);
    /* a page printed dark is left alone */
    df_doc dark;
    df_test_decode_file(FX "invoice.png", &dark);
    ck_assert_ptr_null(df_prep_stretch_faint(dark.pages[0].pix));
    df_doc_clear(&dark);
    pixDestroy(&g);
    df_doc_clear(&doc);

    df_ocr_pool *pool = NULL;
    df_err err = {0};
    ck_assert_msg(df_ocr_pool_new(NULL, "eng", &pool, &err) == DF_OK, "%s", err.msg);
    df_doc d;
    ocr_file(pool, FX "invoice-faint.jpg", &d);
    ck_assert_msg(find_word(&d.pages[0], "INV-2024-001"), "invoice number not read");
    ck_assert_msg(find_word(&d.pages[0], "46,610.00"), "total not read");
    df_doc_clear(&d);
    df_ocr_pool_free(pool);
}
END_TEST

/* Each turned or skewed copy reads like the upright page; a turned page is
 * turned upright by df_ocr_doc (its size becomes the upright one) and its
 * word boxes are those of the upright page. */
START_TEST(rotated_pages_read_upright)
{
    df_ocr_pool *pool = NULL;
    df_err err = {0};
    ck_assert_msg(df_ocr_pool_new(NULL, "eng", &pool, &err) == DF_OK, "%s", err.msg);
    df_doc up;
    ocr_file(pool, FX "invoice.png", &up);
    const df_word *inv0 = find_word(&up.pages[0], "INV-2024-001");
    const df_word *tot0 = find_word(&up.pages[0], "46,610.00");
    ck_assert_ptr_nonnull(inv0);
    ck_assert_ptr_nonnull(tot0);
    static const char *const turned[] = {"invoice-rot90.png", "invoice-rot180.png",
                                         "invoice-rot270.png", "invoice-skew3.png"};
    for (int i = 0; i < 4; i++) {
        char path[4096];
        snprintf(path, sizeof path, FX "%s", turned[i]);
        df_doc d;
        ocr_file(pool, path, &d);
        const df_page *p = &d.pages[0];
        const df_word *inv = find_word(p, "INV-2024-001");
        const df_word *tot = find_word(p, "46,610.00");
        ck_assert_msg(inv && tot, "%s: invoice number or total not read", turned[i]);
        if (i < 3) {
            ck_assert_int_eq(p->width, up.pages[0].width);
            ck_assert_int_eq(p->height, up.pages[0].height);
            for (int k = 0; k < 4; k++) {
                ck_assert_msg(fabsf(inv->box[k] - inv0->box[k]) < 4.0f, "%s: box[%d] %.1f vs %.1f",
                              turned[i], k, inv->box[k], inv0->box[k]);
                ck_assert_msg(fabsf(tot->box[k] - tot0->box[k]) < 4.0f, "%s: box[%d] %.1f vs %.1f",
                              turned[i], k, tot->box[k], tot0->box[k]);
            }
        } else {
            /* the page comes back levelled: no skew left, and the total
             * sits where it sits on the upright page relative to the
             * invoice number (3 degrees would move it ~20 pt sideways);
             * the canvas is larger, so absolute boxes differ */
            PIX *g = df_prep_gray(p->pix);
            ck_assert_msg(df_prep_skew(g) == 0, "still skewed: %.2f", df_prep_skew(g));
            for (int k = 0; k < 2; k++) {
                float want = tot0->box[k] - inv0->box[k], got = tot->box[k] - inv->box[k];
                ck_assert_msg(fabsf(got - want) < 6.0f, "skew3: offset[%d] %.1f vs %.1f", k, got, want);
            }
            pixDestroy(&g);
        }
        df_doc_clear(&d);
    }
    df_doc_clear(&up);
    df_ocr_pool_free(pool);
}
END_TEST

/* df_ocr_lease_page (a batch's path) gives the page its upright geometry
 * and words at once but turns its pixels only when df_ocr_page_settle is
 * called: the same pixels df_ocr_doc makes, and no region can be read from
 * pixels that are not yet turned as the words. */
START_TEST(lease_turns_pixels_when_settled)
{
    df_ocr_pool *pool = NULL;
    df_err err = {0};
    ck_assert_msg(df_ocr_pool_new(NULL, "eng", &pool, &err) == DF_OK, "%s", err.msg);
    static const char *const turned[] = {"invoice-rot90.png", "invoice-skew3.png"};
    for (int i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof path, FX "%s", turned[i]);
        df_doc d;
        df_test_decode_file(path, &d);
        df_page *p = &d.pages[0];
        PIX *orig = pixCopy(NULL, p->pix);
        int w0 = (int)pixGetWidth(orig), h0 = (int)pixGetHeight(orig);
        df_ocr_lease l = {pool, NULL};
        df_ocr_opts o = {0};
        ck_assert_msg(df_ocr_lease_page(&l, p, &o, 1, &err) == DF_OK, "%s", err.msg);
        df_ocr_lease_end(&l);
        /* the words and the size are the turned page's, the pixels not yet */
        ck_assert_int_eq((int)pixGetWidth(p->pix), w0);
        ck_assert_int_eq((int)pixGetHeight(p->pix), h0);
        if (i == 0) {
            ck_assert_int_eq(p->turn_quads % 2, 1);
            ck_assert_int_eq(p->width, h0);
            ck_assert_int_eq(p->height, w0);
        } else {
            ck_assert_int_eq(p->turn_quads, 0);
            ck_assert(fabs(p->turn_skew) > 1.0);
            ck_assert_int_eq(p->width, w0);
        }
        const df_word *tot = find_word(p, "46,610.00");
        ck_assert_msg(tot != NULL, "%s: total not read", turned[i]);
        float box[4] = {tot->box[0] - 2, tot->box[1] - 2, tot->box[2] + 2, tot->box[3] + 2};
        df_word *rw = NULL;
        size_t rn = 0;
        ck_assert_int_eq(df_ocr_region(pool, p, box, 2.0, 0, &o, &rw, &rn, &err),
                         DF_E_INVALID_ARGUMENT);
        /* settled: the pixels df_ocr_doc would have made, and the region
         * under the total's box reads the total */
        PIX *want = df_prep_transform(orig, p->turn_quads, p->turn_skew);
        ck_assert_int_eq(df_ocr_page_settle(p, &err), DF_OK);
        ck_assert(p->turn_quads == 0 && p->turn_skew == 0);
        l_int32 same = 0;
        pixEqual(p->pix, want, &same);
        ck_assert_msg(same, "%s: settled pixels differ from the transform", turned[i]);
        ck_assert_int_eq(df_ocr_page_settle(p, &err), DF_OK); /* once only */
        ck_assert_int_eq(df_ocr_region(pool, p, box, 2.0, 0, &o, &rw, &rn, &err), DF_OK);
        int seen = 0;
        for (size_t k = 0; k < rn; k++)
            seen |= strstr(rw[k].text, "46,610.00") != NULL;
        ck_assert_msg(seen, "%s: the settled page's region does not read the total", turned[i]);
        df_ocr_words_free(rw, rn);
        pixDestroy(&want);
        pixDestroy(&orig);
        df_doc_clear(&d);
    }
    df_ocr_pool_free(pool);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("preprocess");
    TCase *t = tcase_create("preprocess");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, histogram_matches_leptonica);
    tcase_add_test(t, threshold_matches_leptonica);
    tcase_add_test(t, runs_found_as_openings_find_them);
    tcase_add_test(t, resolution_estimate);
    tcase_add_test(t, table_rules_are_removed);
    tcase_add_test(t, rule_length_is_exact);
    tcase_add_test(t, binary_turns_with_the_page);
    tcase_add_test(t, scale_normalisation);
    tcase_add_test(t, orientation_of_each_quarter_turn);
    tcase_add_test(t, rotated_pages_read_upright);
    tcase_add_test(t, lease_turns_pixels_when_settled);
    tcase_add_test(t, faint_print_is_stretched);
    tcase_add_test(t, dark_bands_are_inverted);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
