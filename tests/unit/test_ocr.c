/* test_ocr.c — stage 2 (lib/ocr) and its place in the pipeline: words and
 * boxes from a scan, lazy and reused Tesseract handles, language checks,
 * time limit and cancel, Tesseract kept single-threaded and silent, and the
 * interim plain text (df_result_text).
 *
 * The threading and silence checks must run in a fresh process (an env var
 * set before start-up, stdout/stderr captured): the binary re-executes
 * itself with --child-threads / --child-silent. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "core/internal.h"
#include "core/text.h"
#include "decode/decode.h"
#include "ocr/ocr.h"
#include "ocr/omp_guard.h"
#include "testutil.h"

#ifndef _OPENMP
#error "test_ocr must be built with OpenMP (it checks Tesseract inside parallel regions)"
#endif

#define FX DF_FIXTURES_DIR "/"

extern char **environ;


static df_ocr_pool *new_pool(void)
{
    df_ocr_pool *p = NULL;
    df_err err = {0};
    ck_assert_msg(df_ocr_pool_new(NULL, "eng", &p, &err) == DF_OK, "%s", err.msg);
    return p;
}

static const df_word *find_word(const df_word *w, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i].text, text) == 0)
            return &w[i];
    return NULL;
}

/* invoice.png is sample-invoice.pdf rendered at 150 dpi: an OCR word must
 * sit where the text layer says the same word is. Text-layer boxes span
 * the font's ascent..descent while OCR boxes hug the ink, so the vertical
 * check compares centres; left and right edges are compared directly. */
static void assert_same_place(const df_word *ocr, const df_word *pdf)
{
    float oc = 0.5f * (ocr->box[1] + ocr->box[3]), pc = 0.5f * (pdf->box[1] + pdf->box[3]);
    ck_assert_msg(fabsf(ocr->box[0] - pdf->box[0]) <= 3 && fabsf(ocr->box[2] - pdf->box[2]) <= 3 &&
                      fabsf(oc - pc) <= 3,
                  "'%s': OCR box %.1f,%.1f,%.1f,%.1f vs text layer %.1f,%.1f,%.1f,%.1f", pdf->text,
                  ocr->box[0], ocr->box[1], ocr->box[2], ocr->box[3], pdf->box[0], pdf->box[1],
                  pdf->box[2], pdf->box[3]);
}

/* Layout text aligns columns with runs of spaces; compare text with every
 * run of spaces folded to one and spaces at line starts/ends dropped. */
static char *squeeze(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    for (; *s; s++) {
        if (*s == ' ') {
            if (o > out && o[-1] != ' ' && o[-1] != '\n' && o[-1] != '\f')
                *o++ = ' ';
            continue;
        }
        if ((*s == '\n' || *s == '\f') && o > out && o[-1] == ' ')
            o--;
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

static int has_text(const char *text, const char *needle)
{
    char *t = squeeze(text);
    int hit = strstr(t, needle) != NULL;
    free(t);
    return hit;
}


START_TEST(ocr_reads_invoice_png)
{
    df_doc scan, pdf;
    df_test_decode_file(FX "invoice.png", &scan);
    df_test_decode_file(FX "sample-invoice.pdf", &pdf);
    ck_assert_int_eq(scan.pages[0].dpi, 150);
    df_ocr_pool *pool = new_pool();
    df_ocr_opts o = {.page_seconds = 60};
    df_word *w = NULL;
    size_t n = 0;
    df_err err = {0};
    size_t inlined = df_omp_guard_inlined(), stored = df_line_pngs_stored();
    ck_assert_msg(df_ocr_page(pool, &scan.pages[0], &o, &w, &n, &err) == DF_OK, "%s", err.msg);
    ck_assert_uint_gt(n, 100);
    /* Tesseract's OpenMP regions (one per LSTM step) ran as plain calls,
     * and its image of each text line was stored without deflating */
    ck_assert_uint_gt(df_omp_guard_inlined() - inlined, 10000);
    ck_assert_uint_gt(df_line_pngs_stored() - stored, 20);
    for (size_t i = 0; i < n; i++) {
        ck_assert(w[i].text[0] != '\0');
        ck_assert(w[i].conf >= 0 && w[i].conf <= 100);
        ck_assert(w[i].box[0] <= w[i].box[2] && w[i].box[1] <= w[i].box[3]);
        ck_assert(w[i].box[0] >= 0 && w[i].box[2] <= 595.3f && w[i].box[3] <= 842.5f);
    }
    const char *checks[] = {"INV-2024-001", "46,610.00", "Grand", "29AABCA1234K1ZU"};
    for (size_t k = 0; k < sizeof checks / sizeof *checks; k++) {
        const df_word *ow = find_word(w, n, checks[k]);
        const df_word *pw = find_word(pdf.pages[0].words, pdf.pages[0].nwords, checks[k]);
        ck_assert_msg(ow != NULL, "OCR did not read '%s'", checks[k]);
        ck_assert_ptr_nonnull(pw);
        ck_assert_msg(ow->conf > 60, "'%s' confidence %.1f", ow->text, ow->conf);
        assert_same_place(ow, pw);
    }
    ck_assert_uint_eq(df_ocr_pool_engines_created(pool), 1);
    df_ocr_words_free(w, n);
    df_ocr_pool_free(pool);
    df_doc_clear(&scan);
    df_doc_clear(&pdf);
}
END_TEST

/* A small value beside a large heading, on a scanned grid invoice: read as
 * one block it comes back garbled; the second reading of the page's unsure
 * words reads it (fixtures/ocr/make.sh). */
START_TEST(unsure_words_read_again)
{
    df_ocr_pool *pool = new_pool();
    df_err err = {0};
    for (int reread = 1; reread >= 0; reread--) {
        df_doc scan;
        df_test_decode_file(FX "ocr/grid-header.png", &scan);
        df_ocr_opts o = {.page_seconds = 60, .no_reread = !reread};
        ck_assert_msg(df_ocr_doc(pool, &scan, &o, &err) == DF_OK, "%s", err.msg);
        const df_word *w = scan.pages[0].words;
        size_t n = scan.pages[0].nwords;
        const df_word *d = find_word(w, n, "16/08/2023");
        if (reread) {
            ck_assert_msg(d != NULL, "the date was not read again");
            /* the words read again skip Tesseract's inverted second pass;
             * the handle goes back to the pool with it on for the next page */
            struct TessBaseAPI *api = NULL;
            ck_assert_int_eq(df_ocr_pool_checkout(pool, &api, &err), DF_OK);
            BOOL invert = 0;
            ck_assert(TessBaseAPIGetBoolVariable(api, "tessedit_do_invert", &invert));
            ck_assert_msg(invert, "a handle left without tessedit_do_invert");
            /* every handle searches fixed pitch the fast way (pool.c) */
            BOOL fast = 0;
            ck_assert(TessBaseAPIGetBoolVariable(api, "textord_fast_pitch_test", &fast));
            ck_assert_msg(fast, "a handle without textord_fast_pitch_test");
            df_ocr_pool_checkin(pool, api);
            ck_assert_float_gt(d->conf, 80);
            /* in the box's right column, below the labels (points, 250 dpi) */
            ck_assert_float_gt(d->box[0], 440);
            ck_assert_float_lt(d->box[2], 510);
        } else {
            ck_assert_msg(d == NULL, "the first reading already has the date: the fixture tests nothing");
        }
        ck_assert(find_word(w, n, "Sunrise") != NULL);
        df_doc_clear(&scan);
    }
    df_ocr_pool_free(pool);
}
END_TEST

/* One word OCR split into unsure pieces is read again as one rectangle:
 * the pieces beside an unsure word on its line join it, sure words, words
 * of another line or far away, words read again already and signs do not. */
START_TEST(unsure_pieces_read_as_one)
{
    /* "Everest Industrial ssl nieds Pvt Ltd" (doc_0013), then a line below */
    df_word w[] = {
        {"Everest", {42, 50, 92, 62}, 46},  {"Industrial", {96, 50, 156, 62}, 96},
        {"ssl", {161, 51, 177, 62}, 31},    {"nieds", {183, 50, 218, 63}, 0},
        {"Pvt", {222, 50, 242, 62}, 58},    {"Ltd", {246, 50, 267, 62}, 96},
        {"xq", {272, 70, 290, 82}, 20},     {"|", {300, 50, 301, 62}, 5},
        {"ab", {330, 50, 340, 62}, 20},
    };
    size_t n = sizeof w / sizeof *w, f = 9, l = 9;
    unsigned char done[9] = {0};
    df_word g = df_ocr_unsure_group(w, NULL, n, 2, done, &f, &l);
    ck_assert_uint_eq(f, 2);
    ck_assert_uint_eq(l, 3); /* "Industrial" and "Pvt" are sure */
    ck_assert_float_eq(g.box[0], 161);
    ck_assert_float_eq(g.box[1], 50);
    ck_assert_float_eq(g.box[2], 218);
    ck_assert_float_eq(g.box[3], 63);
    ck_assert_float_eq_tol(g.conf, (31.0 * 3 + 0.0 * 5) / 8, 0.01);
    ck_assert_ptr_null(g.text);
    /* a piece read again already stays out */
    done[3] = 1;
    g = df_ocr_unsure_group(w, NULL, n, 2, done, &f, &l);
    ck_assert_uint_eq(f, 2);
    ck_assert_uint_eq(l, 2);
    ck_assert_float_eq(g.conf, 31);
    /* a word of the line below, a sign, one more than a line height away */
    g = df_ocr_unsure_group(w, NULL, n, 6, done, &f, &l);
    ck_assert(f == 6 && l == 6);
    g = df_ocr_unsure_group(w, NULL, n, 8, done, &f, &l);
    ck_assert(f == 8 && l == 8);
    /* the line's height lets a wider space join; never more than the cap */
    df_word many[8];
    float lh[8];
    for (int i = 0; i < 8; i++) {
        many[i] = (df_word){"wo", {i * 30.0f, 0, i * 30.0f + 12, 10}, 30};
        lh[i] = 20;
    }
    unsigned char none[8] = {0};
    g = df_ocr_unsure_group(many, lh, 8, 3, none, &f, &l);
    ck_assert_uint_eq(l - f + 1, DF_OCR_REREAD_GROUP);
    ck_assert(f <= 3 && l >= 3);
    g = df_ocr_unsure_group(many, NULL, 8, 3, none, &f, &l); /* 18 pt apart, 10 pt tall */
    ck_assert(f == 3 && l == 3);
}
END_TEST

static df_result *extract_ok(df_engine *e, const char *path)
{
    df_result *r = NULL;
    ck_assert_msg(df_extract_file(e, path, &r) == DF_OK, "%s", df_result_error_message(r));
    return r;
}

/* Text-layer PDFs never load Tesseract; scans do, once, and the handle is
 * reused for every later page and document. */
/* A ruled grid is read in page segmentation mode 3: the letterhead cell's
 * lines beside cells of another line pitch keep their words, which mode 6
 * (one uniform block, the default elsewhere) loses (fixtures/ocr/make.sh). */
START_TEST(ruled_grid_read_by_blocks)
{
    df_ocr_pool *pool = new_pool();
    df_err err = {0};
    df_doc scan;
    df_test_decode_file(FX "ocr/ruled-grid.png", &scan);
    const char *need[] = {"Building", "Plot", "Old", "City", "206,", "Road", "32RINCT0073W1ZN", "PO-42491"};
    const size_t nneed = sizeof need / sizeof *need;
    for (int psm = 0; psm <= 6; psm += 6) {
        df_ocr_opts o = {.page_seconds = 60, .psm = psm};
        df_word *w = NULL;
        size_t n = 0, found = 0;
        ck_assert_msg(df_ocr_page(pool, &scan.pages[0], &o, &w, &n, &err) == DF_OK, "%s", err.msg);
        for (size_t k = 0; k < nneed; k++) {
            const df_word *x = find_word(w, n, need[k]);
            found += x != NULL;
            if (psm == 0)
                ck_assert_msg(x != NULL, "'%s' was not read", need[k]);
        }
        if (psm == 0) {
            /* in the letterhead cell, left of the grid's middle rule (x 360 pt),
             * its baseline 176 pt above the bottom of a 250 pt page */
            const df_word *g = find_word(w, n, "32RINCT0073W1ZN");
            ck_assert_float_lt(g->box[2], 360);
            ck_assert_float_lt(fabsf(0.5f * (g->box[1] + g->box[3]) - (250 - 176 - 3.5f)), 6);
        } else {
            ck_assert_msg(found < nneed, "one block reads every word too: the fixture tests nothing");
        }
        df_ocr_words_free(w, n);
    }
    df_doc_clear(&scan);
    df_ocr_pool_free(pool);
}
END_TEST

START_TEST(tesseract_is_lazy_and_reused)
{
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    ck_assert_ptr_nonnull(e);
    const char *text_pdfs[] = {FX "sample-invoice.pdf", FX "invoice-2page.pdf", FX "invoice-rotated.pdf"};
    for (size_t i = 0; i < 3; i++) {
        df_result *r = extract_ok(e, text_pdfs[i]);
        ck_assert_uint_gt(df_result_tokens_used(r), 20);
        df_result_free(r);
    }
    ck_assert_uint_eq(df_ocr_pool_engines_created(e->ocr), 0);
    uint64_t ns = 1, calls = 1;
    df_ocr_pool_recognition(e->ocr, &ns, &calls);
    ck_assert_uint_eq(calls, 0); /* bench/ counts recognition: none ran */
    ck_assert_uint_eq(ns, 0);

    df_result *r = extract_ok(e, FX "invoice-scanned.pdf");
    df_page_info pi;
    ck_assert_int_eq(df_result_page(r, 0, &pi), DF_OK);
    ck_assert_int_eq(pi.has_text_layer, 0);
    ck_assert_uint_gt(df_result_tokens_used(r), 100);
    ck_assert_ptr_nonnull(strstr(df_result_text(r), "INV-2024-001"));
    ck_assert_ptr_nonnull(strstr(df_result_text(r), "46,610.00"));
    ck_assert_uint_eq(df_ocr_pool_engines_created(e->ocr), 1);
    df_ocr_pool_recognition(e->ocr, &ns, &calls);
    ck_assert_uint_ge(calls, 1);
    ck_assert_uint_gt(ns, 1000000); /* a page takes well over a millisecond */
    df_result_free(r);

    r = extract_ok(e, FX "invoice-multipage.tif"); /* 3 pages, one handle */
    const char *t = df_result_text(r);
    char *folded = squeeze(t);
    t = folded;
    const char *terms = strstr(t, "Terms and Conditions"); /* on page 2 */
    ck_assert_ptr_nonnull(terms);
    ck_assert_ptr_nonnull(memchr(t, '\f', (size_t)(terms - t)));
    int ff = 0;
    for (; *t; t++)
        ff += *t == '\f';
    ck_assert_int_eq(ff, 2);
    free(folded);
    df_result_free(r);
    ck_assert_uint_eq(df_ocr_pool_engines_created(e->ocr), 1);
    df_engine_free(e);
}
END_TEST

static void expect_unavailable(const df_options *o, const char *want1, const char *want2)
{
    df_code code = DF_OK;
    char msg[DF_ERROR_MAX] = "";
    df_engine *e = df_engine_new(o, &code, msg);
    ck_assert_ptr_null(e);
    ck_assert_int_eq(code, DF_E_OCR_UNAVAILABLE);
    ck_assert_msg(strstr(msg, want1) && strstr(msg, want2), "message: %s", msg);
}

START_TEST(missing_language_fails_engine)
{
    const char *env = getenv("TESSDATA_PREFIX");
    char *saved = env ? strdup(env) : NULL;
    /* without the option and the env var: docflow's own model, here the
     * build tree's copy (the test binary runs uninstalled) */
    const char *dir = env && *env ? env : DF_BINARY_DIR "/tessdata";
    df_options *o = df_options_new();
    ck_assert_int_eq(df_options_set_languages(o, "eng+zzz"), DF_OK);
    expect_unavailable(o, "'zzz'", dir);
    ck_assert_int_eq(df_options_set_languages(o, "eng"), DF_OK);
    ck_assert_int_eq(df_options_set_tessdata(o, "/nonexistent/tessdata"), DF_OK);
    expect_unavailable(o, "'eng'", "/nonexistent/tessdata");

    /* TESSDATA_PREFIX is the fallback, and the option beats it */
    char empty[] = "/tmp/df-tessdata-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(empty));
    setenv("TESSDATA_PREFIX", empty, 1);
    ck_assert_int_eq(df_options_set_tessdata(o, NULL), DF_OK);
    expect_unavailable(o, "'eng'", empty);
    ck_assert_int_eq(df_options_set_tessdata(o, DF_OCR_DEFAULT_TESSDATA), DF_OK);
    df_engine *e = df_engine_new(o, NULL, NULL);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(df_ocr_pool_tessdata(e->ocr), DF_OCR_DEFAULT_TESSDATA);
    df_engine_free(e);
    if (saved)
        setenv("TESSDATA_PREFIX", saved, 1);
    else
        unsetenv("TESSDATA_PREFIX");
    free(saved);
    rmdir(empty);
    df_options_free(o);
}
END_TEST

/* With neither the option nor TESSDATA_PREFIX, the engine uses the bundled
 * tessdata_best_int model (models/tessdata), decompressed by the build, and
 * not Debian's fast model; the bundled file is the one that gets loaded. */
START_TEST(bundled_model_is_default)
{
    const char *env = getenv("TESSDATA_PREFIX");
    char *saved = env ? strdup(env) : NULL;
    unsetenv("TESSDATA_PREFIX");
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    ck_assert_ptr_nonnull(e);
    const char *dir = df_ocr_pool_tessdata(e->ocr);
    /* the build tree's copy, unless a docflow is installed at the prefix */
    ck_assert_msg(!strcmp(dir, DF_BINARY_DIR "/tessdata") || strstr(dir, "/docflow/tessdata"),
                  "tessdata: %s", dir);
    ck_assert_str_ne(dir, DF_OCR_DEFAULT_TESSDATA);
    /* it is the bundled model: same size as the decompressed .gz in the
     * build tree (Debian's fast eng is ~4 MB, best_int ~5.2 MB) */
    char path[4096];
    struct stat ours, debian;
    snprintf(path, sizeof path, "%s/eng.traineddata", dir);
    ck_assert_int_eq(stat(path, &ours), 0);
    ck_assert_int_eq(stat(DF_BINARY_DIR "/tessdata/eng.traineddata", &debian), 0);
    ck_assert_int_eq((long long)ours.st_size, (long long)debian.st_size);
    ck_assert_int_eq(stat(DF_OCR_DEFAULT_TESSDATA "/eng.traineddata", &debian), 0);
    ck_assert_int_ne((long long)ours.st_size, (long long)debian.st_size);
    /* and Tesseract loads it: one page reads */
    df_doc doc = {0};
    df_test_decode_file(FX "invoice.png", &doc);
    df_ocr_opts o = {0};
    ck_assert_int_eq(df_ocr_doc(e->ocr, &doc, &o, NULL), DF_OK);
    ck_assert_uint_eq(df_ocr_pool_engines_created(e->ocr), 1);
    ck_assert_uint_gt(doc.pages[0].nwords, 20);
    df_doc_clear(&doc);
    df_engine_free(e);
    if (saved)
        setenv("TESSDATA_PREFIX", saved, 1);
    free(saved);
}
END_TEST

/* The per-page limit is whole seconds (min 1); the deadline_ms hook lets a
 * 1 ms limit hit a big page. The handle must stay usable afterwards. */
START_TEST(deadline_and_cancel)
{
    df_doc big, small;
    df_test_decode_file(FX "invoice-scanned.pdf", &big); /* rendered at 300 dpi: 2480x3508 */
    df_test_decode_file(FX "invoice-orient-1.jpg", &small);
    df_ocr_pool *pool = new_pool();
    df_word *w = NULL;
    size_t n = 0;
    df_err err = {0};
    df_ocr_opts o = {.page_seconds = 60, .deadline_ms = 1, .page_no = 3};
    ck_assert_int_eq(df_ocr_page(pool, &big.pages[0], &o, &w, &n, &err), DF_E_TIMEOUT);
    ck_assert_str_eq(err.msg, "OCR of page 3 took longer than the limit of 1 ms");
    ck_assert_ptr_null(w);
    ck_assert_uint_eq(n, 0);

    volatile int cancel = 1; /* Tesseract asks the cancel callback before each word */
    df_stop stop = {.cancel = &cancel};
    df_ocr_opts oc = {.page_seconds = 60, .stop = &stop};
    err = (df_err){0};
    ck_assert_int_eq(df_ocr_page(pool, &small.pages[0], &oc, &w, &n, &err), DF_E_CANCELLED);
    ck_assert_str_eq(err.msg, "OCR of page 1 was cancelled");
    err = (df_err){0};
    ck_assert_int_eq(df_ocr_doc(pool, &small, &oc, &err), DF_E_CANCELLED);

    cancel = 0;
    err = (df_err){0};
    ck_assert_msg(df_ocr_doc(pool, &small, &oc, &err) == DF_OK, "%s", err.msg);
    ck_assert_uint_gt(small.pages[0].nwords, 50);
    ck_assert_uint_eq(df_ocr_pool_engines_created(pool), 1); /* one handle throughout */
    df_ocr_pool_free(pool);
    df_doc_clear(&big);
    df_doc_clear(&small);
}
END_TEST

/* A blank page and a tiny one are not errors: they have no words. */
START_TEST(blank_and_tiny_pages)
{
    df_ocr_pool *pool = new_pool();
    int sizes[][2] = {{600, 800}, {1, 1}, {3, 2}};
    for (size_t i = 0; i < 3; i++) {
        df_page pg = {0};
        pg.pix = pixCreate(sizes[i][0], sizes[i][1], 8);
        pixSetAllArbitrary(pg.pix, 255);
        df_page_set_geometry(&pg, sizes[i][0], sizes[i][1], 0);
        df_word *w = NULL;
        size_t n = 7;
        df_err err = {0};
        df_ocr_opts o = {.page_seconds = 60};
        ck_assert_msg(df_ocr_page(pool, &pg, &o, &w, &n, &err) == DF_OK, "%dx%d: %s", sizes[i][0],
                      sizes[i][1], err.msg);
        ck_assert_uint_eq(n, 0);
        df_ocr_words_free(w, n);
        pixDestroy(&pg.pix);
    }
    df_ocr_pool_free(pool);
}
END_TEST

static df_word mk(const char *t, float x0, float y0, float x1, float y1)
{
    return (df_word){(char *)t, {x0, y0, x1, y1}, 100};
}

START_TEST(text_follows_layout)
{
    /* page 1: a line whose words wobble vertically, given out of order, and
     * a two-column row; page 2: no words; page 3: one word */
    df_word p1[] = {
        mk("World", 60, 11, 90, 21), mk("Next", 10, 30, 30, 40), mk("Hello", 10, 10, 50, 20),
        mk("line", 35, 31, 55, 41), mk("Label", 10, 50, 40, 60), mk("side", 400, 50, 430, 60),
    };
    df_word p2[] = {mk("Two", 10, 10, 30, 20)};
    df_page pages[3] = {{0}};
    pages[0].words = p1;
    pages[0].nwords = sizeof p1 / sizeof *p1;
    pages[0].width_pt = 595;
    pages[0].height_pt = 842;
    pages[2].words = p2;
    pages[2].nwords = 1;
    df_doc doc = {DF_FMT_PDF, pages, 3, 3};
    char *t = df_doc_text(&doc);
    ck_assert(has_text(t, "Hello World\n"));
    ck_assert(has_text(t, "Next line\n"));
    ck_assert_ptr_nonnull(strstr(t, "Label"));
    ck_assert_ptr_nonnull(strstr(t, "side"));
    ck_assert(strstr(t, "Hello") < strstr(t, "Next"));
    ck_assert(strstr(t, "Next") < strstr(t, "Label"));
    /* one form feed between pages: page 2 is empty */
    char *ff = strchr(t, '\f');
    ck_assert_ptr_nonnull(ff);
    ck_assert_int_eq(ff[1], '\f');
    ck_assert_ptr_nonnull(strstr(ff, "Two"));
    free(t);
    doc.npages = 0;
    t = df_doc_text(&doc);
    ck_assert_str_eq(t, "");
    free(t);
}
END_TEST

START_TEST(result_text_api)
{
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    df_result *r = extract_ok(e, FX "sample-invoice.pdf");
    ck_assert(has_text(df_result_text(r), "\nGrand Total INR 46,610.00\n"));
    df_result_free(r);
    r = extract_ok(e, FX "invoice-2page.pdf");
    ck_assert_ptr_nonnull(strchr(df_result_text(r), '\f'));
    df_result_free(r);
    ck_assert_int_eq(df_extract_file(e, FX "bad/truncated.png", &r), DF_E_TRUNCATED_FILE);
    ck_assert_str_eq(df_result_text(r), "");
    df_result_free(r);
    ck_assert_str_eq(df_result_text(NULL), "");
    df_engine_free(e);
}
END_TEST

/* The CLI's --text prints a header per file, then the text, instead of JSON. */
START_TEST(cli_text_flag)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s/docflow' extract --text '%s' '%s' 2>/dev/null", DF_BINARY_DIR,
             FX "sample-invoice.pdf", FX "bad/empty.pdf");
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    static char out[65536];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    ck_assert_int_eq(WEXITSTATUS(st), 1); /* one file failed */
    ck_assert_msg(strncmp(out, "==> " FX "sample-invoice.pdf <==\n", strlen(FX) + 27) == 0, "%s", out);
    ck_assert(has_text(out, "\nGrand Total INR 46,610.00\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n==> " FX "bad/empty.pdf <==\n"));
    ck_assert_ptr_null(strchr(out, '{')); /* no JSON */
}
END_TEST

/* ---- children: fresh processes ------------------------------------------ */

static int count_threads(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    for (struct dirent *de; d && (de = readdir(d));)
        n += de->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

struct watch {
    volatile int stop;
    volatile int most;
};

static void *watch_threads(void *arg)
{
    struct watch *w = arg;
    while (!w->stop) {
        int n = count_threads();
        if (n > w->most)
            w->most = n;
        usleep(1000);
    }
    return NULL;
}

struct job {
    df_engine *e;
    const char *path;
    int ok;
    int levels_after; /* the caller's OpenMP setting, after extraction */
};

static void run_job(struct job *j)
{
    df_result *r = NULL;
    j->ok = df_extract_file(j->e, j->path, &r) == DF_OK && strstr(df_result_text(r), "Grand Total");
    j->levels_after = omp_get_max_active_levels();
    df_result_free(r);
}

static void *job_thread(void *arg)
{
    run_job(arg);
    return NULL;
}

/* Started with OMP_MAX_ACTIVE_LEVELS=4. Reports on stderr and by exit code. */
static int child_threads(void)
{
    if (omp_get_max_active_levels() != 4) {
        fprintf(stderr, "OMP_MAX_ACTIVE_LEVELS=4 not in effect (%d)\n", omp_get_max_active_levels());
        return 10;
    }
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    if (!e)
        return 11;
    /* 1. a plain application thread: main + watcher + worker, nothing else */
    int base = count_threads();
    struct watch w = {0, 0};
    pthread_t wt, jt;
    struct job j = {e, FX "invoice.png", 0, 0};
    pthread_create(&wt, NULL, watch_threads, &w);
    pthread_create(&jt, NULL, job_thread, &j);
    pthread_join(jt, NULL);
    w.stop = 1;
    pthread_join(wt, NULL);
    if (!j.ok || j.levels_after != 4 || w.most > base + 2) {
        fprintf(stderr, "plain thread: ok=%d levels_after=%d threads %d > %d\n", j.ok,
                j.levels_after, w.most, base + 2);
        return 12;
    }
    /* 2. inside the caller's active parallel region (2 threads), where
     * OMP_MAX_ACTIVE_LEVELS=4 would let Tesseract nest teams */
    struct job pj[2] = {{e, FX "invoice-orient-1.jpg", 0, 0}, {e, FX "invoice-orient-1.jpg", 0, 0}};
    int active[2] = {0, 0};
    w = (struct watch){0, 0};
    base = count_threads();
    pthread_create(&wt, NULL, watch_threads, &w);
#pragma omp parallel num_threads(2)
    {
        int t = omp_get_thread_num();
        active[t] = omp_get_active_level();
        run_job(&pj[t]);
    }
    w.stop = 1;
    pthread_join(wt, NULL);
    for (int t = 0; t < 2; t++)
        if (!pj[t].ok || pj[t].levels_after != 4 || active[t] != 1) {
            fprintf(stderr, "omp thread %d: ok=%d levels_after=%d active=%d\n", t, pj[t].ok,
                    pj[t].levels_after, active[t]);
            return 13;
        }
    /* the region's second thread (+1) and the watcher (+1) */
    if (w.most > base + 2) {
        fprintf(stderr, "inside omp parallel: threads %d > %d\n", w.most, base + 2);
        return 14;
    }
    df_engine_free(e);
    return 0;
}

/* stdout and stderr are a file the parent checks: nothing may reach it.
 * Failures are reported by exit code only. */
static int child_silent(void)
{
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    if (!e)
        return 20;
    const char *good[] = {FX "invoice.png", FX "invoice-nodpi.png", FX "bmp-1bit.bmp",
                          FX "invoice-scanned.pdf"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        df_result *r = NULL;
        if (df_extract_file(e, good[i], &r) != DF_OK)
            return 21 + (int)i;
        df_result_free(r);
    }
    df_result *r = NULL;
    if (df_extract_file(e, FX "bad/corrupt.png", &r) == DF_OK)
        return 29;
    df_result_free(r);
    /* 60 dpi is below what Tesseract believes: it would print "Warning:
     * Invalid resolution 60 dpi. Using 70 instead." */
    df_doc doc = {0};
    df_decode_opts dop = {.max_file_bytes = 1u << 30, .max_pages = 5, .max_pixels = 100000000};
    df_page *pg = df_doc_add_page(&doc, &dop, NULL);
    pg->pix = pixRead(FX "invoice-orient-1.jpg"); /* Leptonica's own reader, 75 dpi */
    if (!pg->pix)
        return 30;
    df_page_set_geometry(pg, (int)pixGetWidth(pg->pix), (int)pixGetHeight(pg->pix), 60);
    df_ocr_opts o = {.page_seconds = 60};
    df_err err = {0};
    if (df_ocr_doc(e->ocr, &doc, &o, &err) != DF_OK || pg->nwords == 0)
        return 31;
    df_doc_clear(&doc);
    /* Leptonica was silenced by df_engine_new: this would print "Error in
     * pixGetWidth: pix not defined" */
    pixGetWidth(NULL);
    df_engine_free(e);
    fflush(stdout);
    fflush(stderr);
    return 0;
}

/* Re-run this binary as `test_ocr <mode>` with OMP_MAX_ACTIVE_LEVELS=4 in
 * its environment from the start and its stdout+stderr in `out`. */
static int run_child(const char *mode, const char *out)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 2, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "OMP_MAX_ACTIVE_LEVELS=", 22) != 0)
            env[k++] = environ[i];
    env[k++] = "OMP_MAX_ACTIVE_LEVELS=4";
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_TRUNC | O_CREAT, 0600);
        dup2(fd, 1);
        dup2(fd, 2);
        char *argv[] = {"test_ocr", (char *)mode, NULL};
        execve("/proc/self/exe", argv, env);
        _exit(127);
    }
    free(env);
    int st = 0;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char *slurp(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    char *s = calloc(1, 4097);
    *len = 0;
    if (f) {
        fseek(f, 0, SEEK_END);
        *len = ftell(f);
        fseek(f, 0, SEEK_SET);
        size_t got = fread(s, 1, 4096, f);
        (void)got;
        fclose(f);
    }
    return s;
}

/* Inside the guard a region that can get one thread only is a plain call
 * of its body, and a `sections` body gets every section once, in order;
 * outside it the application's regions are libgomp's, with their threads. */
START_TEST(regions_in_the_guard_run_as_calls)
{
    int order[4] = {0}, n = 0, threads = 0;
    size_t before = df_omp_guard_inlined();
    df_omp_guard g = df_omp_guard_enter();
#pragma omp parallel sections num_threads(2)
    {
#pragma omp section
        order[n++] = 1;
#pragma omp section
        order[n++] = 2;
#pragma omp section
        order[n++] = 3;
    }
#pragma omp parallel num_threads(2)
    threads = omp_get_num_threads() * 10 + omp_get_thread_num();
    df_omp_guard_leave(g);
    ck_assert_uint_eq(df_omp_guard_inlined() - before, 2);
    ck_assert_int_eq(n, 3);
    ck_assert(order[0] == 1 && order[1] == 2 && order[2] == 3);
    ck_assert_int_eq(threads, 10);

    int seen[3] = {0};
    int want = omp_get_thread_limit() >= 2 && omp_get_max_active_levels() >= 1 ? 2 : 1;
    before = df_omp_guard_inlined();
#pragma omp parallel sections num_threads(2)
    {
#pragma omp section
        seen[0]++;
#pragma omp section
        seen[1]++;
#pragma omp section
        seen[2]++;
    }
#pragma omp parallel num_threads(2)
    {
#pragma omp master
        threads = omp_get_num_threads();
    }
    ck_assert_uint_eq(df_omp_guard_inlined(), before);
    ck_assert(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
    ck_assert_int_eq(threads, want);

    /* guarded inside a caller's team of two: a `parallel for` still does the
     * whole loop on each thread (a plain call would see the caller's team
     * and do half) */
    int done[2] = {0, 0};
#pragma omp parallel num_threads(2)
    {
        int t = omp_get_thread_num(), hit[100] = {0};
        df_omp_guard g2 = df_omp_guard_enter();
#pragma omp parallel for num_threads(2)
        for (int i = 0; i < 100; i++)
            hit[i] = 1;
        df_omp_guard_leave(g2);
        for (int i = 0; i < 100; i++)
            done[t] += hit[i];
    }
    ck_assert_int_eq(done[0], 100);
    ck_assert_int_eq(done[1], want == 2 ? 100 : 0);
}
END_TEST

/* Inside the guard a PNG is written stored (zlib level 0): the same pixels
 * in more bytes, the image's own setting kept; outside it Leptonica's
 * pixWriteMem, byte for byte. */
START_TEST(line_png_stored_in_the_guard)
{
    PIX *pix = pixRead(FX "ocr/grid-header.png");
    PIX *g = pix ? pixConvertTo8(pix, 0) : NULL;
    ck_assert_ptr_nonnull(g);
    pixSetSpecial(g, 3);
    l_uint8 *out = NULL, *ref = NULL, *in = NULL;
    size_t nout = 0, nref = 0, nin = 0;
    ck_assert_int_eq(pixWriteMem(&out, &nout, g, IFF_PNG), 0);
    ck_assert_int_eq(pixWriteMemPng(&ref, &nref, g, 0.0f), 0);
    ck_assert(nout == nref && memcmp(out, ref, nref) == 0);
    size_t before = df_line_pngs_stored();
    df_omp_guard gd = df_omp_guard_enter();
    ck_assert_int_eq(pixWriteMem(&in, &nin, g, IFF_PNG), 0);
    df_omp_guard_leave(gd);
    ck_assert_uint_eq(df_line_pngs_stored() - before, 1);
    ck_assert_int_eq(g->special, 3);
    ck_assert_msg(nin > 2 * nout, "stored %zu bytes, deflated %zu", nin, nout);
    PIX *back = pixReadMem(in, nin);
    l_int32 same = 0;
    ck_assert_int_eq(pixEqual(back, g, &same), 0);
    ck_assert(same);
    pixDestroy(&back);
    lept_free(out);
    lept_free(ref);
    lept_free(in);
    pixDestroy(&g);
    pixDestroy(&pix);
}
END_TEST

START_TEST(tesseract_stays_single_threaded)
{
    char out[] = "/tmp/df-ocr-threads-XXXXXX";
    close(mkstemp(out));
    int rc = run_child("--child-threads", out);
    long len;
    char *msg = slurp(out, &len);
    unlink(out);
    ck_assert_msg(rc == 0, "child exit %d: %s", rc, msg);
    free(msg);
}
END_TEST

START_TEST(ocr_is_silent)
{
    char out[] = "/tmp/df-ocr-silent-XXXXXX";
    close(mkstemp(out));
    int rc = run_child("--child-silent", out);
    long len;
    char *msg = slurp(out, &len);
    unlink(out);
    ck_assert_msg(rc == 0, "child exit %d: %s", rc, msg);
    ck_assert_msg(len == 0, "OCR wrote %ld bytes to stdout/stderr: %s", len, msg);
    free(msg);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--child-threads") == 0)
        return child_threads();
    if (argc > 1 && strcmp(argv[1], "--child-silent") == 0)
        return child_silent();
    Suite *s = suite_create("ocr");
    TCase *t = tcase_create("ocr");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, ocr_reads_invoice_png);
    tcase_add_test(t, unsure_words_read_again);
    tcase_add_test(t, unsure_pieces_read_as_one);
    tcase_add_test(t, ruled_grid_read_by_blocks);
    tcase_add_test(t, tesseract_is_lazy_and_reused);
    tcase_add_test(t, missing_language_fails_engine);
    tcase_add_test(t, bundled_model_is_default);
    tcase_add_test(t, deadline_and_cancel);
    tcase_add_test(t, blank_and_tiny_pages);
    tcase_add_test(t, text_follows_layout);
    tcase_add_test(t, result_text_api);
    tcase_add_test(t, cli_text_flag);
    tcase_add_test(t, regions_in_the_guard_run_as_calls);
    tcase_add_test(t, line_png_stored_in_the_guard);
    tcase_add_test(t, tesseract_stays_single_threaded);
    tcase_add_test(t, ocr_is_silent);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
