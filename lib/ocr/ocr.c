/*
 * ocr.c — one page's pixels through Tesseract's C API into df_words, under
 * a time limit (the page's, or what is left of the document's when that is
 * less), a cancel flag, and with Tesseract kept single-threaded:
 * the page prepared (preprocess.h), read, then its unsure words read
 * again (unsure.c).
 */
#include "core/utf8.h"
#include "ocr/ocr_int.h"
#include "ocr/omp_guard.h"
#include "ocr/preprocess.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tesseract/capi.h>

/* ---- one page ------------------------------------------------------------ */

void df_ocr_words_free(df_word *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(words[i].text);
    free(words);
}

typedef struct cancel_ctx {
    const df_stop *stop;
    int cancelled;
} cancel_ctx;

/* Tesseract asks before each word; the deadline it checks itself. */
static bool on_cancel(void *ud, int words)
{
    cancel_ctx *c = ud;
    (void)words;
    if (df_stop_cancelled(c->stop)) {
        c->cancelled = 1;
        return true;
    }
    return false;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int page_limit_ms(const df_ocr_opts *o)
{
    if (o->deadline_ms > 0)
        return o->deadline_ms;
    if (o->page_seconds == 0 || o->page_seconds > (uint64_t)(INT_MAX / 1000))
        return 0; /* none, or beyond what the monitor can hold (24 days) */
    return (int)(o->page_seconds * 1000);
}

/* What one reading may take in ms (0: no limit): the page's limit, or what
 * is left of the document's budget when that is less (*by_doc set; 0 then
 * means the budget is spent). */
static int limit_ms(const df_ocr_opts *o, int *by_doc)
{
    int page = page_limit_ms(o);
    int64_t left = df_stop_left_ms(o->stop);
    *by_doc = left >= 0 && (page == 0 || left < page);
    return *by_doc ? (int)left : page;
}

static df_code timed_out(const df_ocr_opts *o, int by_doc, int limit, int page_no, df_err *err)
{
    if (by_doc) {
        char where[48];
        snprintf(where, sizeof where, "during OCR of page %d", page_no);
        return df_stop_timeout(o->stop, where, err);
    }
    if (o->deadline_ms > 0)
        return df_err_set(err, DF_E_TIMEOUT, "OCR of page %d took longer than the limit of %d ms",
                          page_no, limit);
    return df_err_set(err, DF_E_TIMEOUT, "OCR of page %d took longer than the limit of %llu s",
                      page_no, (unsigned long long)o->page_seconds);
}

static double thread_cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

df_code df_ocr_recognize(df_ocr_pool *pool, TessBaseAPI *api, const df_ocr_opts *o, int page_no,
                         df_err *err)
{
    int by_doc;
    int limit = limit_ms(o, &by_doc);
    if (by_doc && limit == 0)
        return timed_out(o, by_doc, limit, page_no, err);
    ETEXT_DESC *mon = TessMonitorCreate();
    if (!mon)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory for the OCR monitor");
    cancel_ctx cc = {o->stop, 0};
    TessMonitorSetCancelFunc(mon, on_cancel);
    TessMonitorSetCancelThis(mon, &cc);
    /* t0 before the monitor's own clock starts: whenever Tesseract says the
     * deadline passed, `spent` below agrees. */
    double t0 = now_ms();
    if (limit > 0)
        TessMonitorSetDeadlineMSecs(mon, limit);
    double c0 = thread_cpu_ns();
    int rc = TessBaseAPIRecognize(api, mon);
    df_ocr_pool_add_recognition(pool, (uint64_t)(thread_cpu_ns() - c0));
    double spent = now_ms() - t0;
    TessMonitorDelete(mon);
    if (rc == 0)
        return DF_OK;
    if (cc.cancelled || df_stop_cancelled(o->stop))
        return df_err_set(err, DF_E_CANCELLED, "OCR of page %d was cancelled", page_no);
    if (limit > 0 && spent >= limit)
        return timed_out(o, by_doc, limit, page_no, err);
    return df_err_set(err, DF_E_INTERNAL, "Tesseract could not recognise page %d", page_no);
}

static int is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

static int push_word(word_buf *b, char *text, const int px[4], double scale, float conf)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        df_word *grown = realloc(b->w, cap * sizeof *grown);
        if (!grown)
            return -1;
        b->w = grown;
        if (b->line_h) {
            float *lh = realloc(b->line_h, cap * sizeof *lh);
            if (!lh)
                return -1;
            b->line_h = lh;
        }
        b->cap = cap;
    }
    df_word *w = &b->w[b->n++];
    w->text = text;
    for (int k = 0; k < 4; k++)
        w->box[k] = (float)(px[k] * scale);
    w->conf = conf < 0 ? 0 : conf > 100 ? 100 : conf;
    return 0;
}

/* (ocr_int.h) px_to_pt: points per pixel of the image Tesseract saw. */
df_code df_ocr_collect_words(TessBaseAPI *api, double px_to_pt, word_buf *b, df_err *err)
{
    TessResultIterator *it = TessBaseAPIGetIterator(api);
    if (!it)
        return DF_OK; /* nothing recognised: an empty page */
    const TessPageIterator *pit = TessResultIteratorGetPageIteratorConst(it);
    double scale = px_to_pt;
    df_code rc = DF_OK;
    do {
        int px[4];
        char *t = TessResultIteratorGetUTF8Text(it, RIL_WORD);
        if (!t)
            continue;
        if (is_blank(t) || !TessPageIteratorBoundingBox(pit, RIL_WORD, &px[0], &px[1], &px[2], &px[3])) {
            TessDeleteText(t);
            continue;
        }
        /* Tesseract's strings must go back through TessDeleteText (C++
         * delete[]), so the word keeps a copy from our allocator. The copy
         * is made valid UTF-8: a traineddata file's unicharset may hold
         * any bytes, and one bad word would spoil the whole output. */
        char *copy = df_utf8_sanitize_n(t, strlen(t));
        TessDeleteText(t);
        if (!copy || push_word(b, copy, px, scale, TessResultIteratorConfidence(it, RIL_WORD)) != 0) {
            free(copy);
            rc = df_err_set(err, DF_E_NO_MEMORY, "out of memory collecting OCR words");
            break;
        }
        if (b->line_h) {
            int lb[4];
            b->line_h[b->n - 1] =
                TessPageIteratorBoundingBox(pit, RIL_TEXTLINE, &lb[0], &lb[1], &lb[2], &lb[3])
                    ? (float)((lb[3] - lb[1]) * scale) : 0;
        }
    } while (TessResultIteratorNext(it, RIL_WORD));
    TessResultIteratorDelete(it);
    return rc;
}

/* (ocr_int.h) */
void df_ocr_buf_compact(word_buf *b)
{
    size_t kept = 0;
    for (size_t i = 0; i < b->n; i++)
        if (b->w[i].text) {
            if (b->line_h)
                b->line_h[kept] = b->line_h[i];
            b->w[kept++] = b->w[i];
        }
    b->n = kept;
}

/* Turn the prepared page and the caller's page upright and level their
 * text lines (see ocr.h). Detection runs on the prepared image, whose text
 * has the size Leptonica's detectors expect. 0, or -1 when out of memory
 * (both pages then as they were). */
static int turn_upright(df_prep *prep, df_page *upright)
{
    PIX *bin = df_prep_binary(prep->pix);
    if (!bin)
        return -1;
    df_prep_sweep across = {0};
    int quads = df_prep_orientation_bin(bin, prep->pix, &across);
    PIX *turned = quads ? df_prep_transform(prep->pix, quads, 0) : pixClone(prep->pix);
    PIX *tbin = quads ? pixRotateOrth(bin, quads) : pixClone(bin);
    pixDestroy(&bin);
    if (!turned || !tbin) {
        pixDestroy(&turned);
        pixDestroy(&tbin);
        return -1;
    }
    double skew = df_prep_skew_bin(tbin, quads ? NULL : &across);
    pixDestroy(&tbin);
    double drift = pixGetWidth(turned) * tan(fabs(skew) * M_PI / 180.0);
    if (drift < DF_PREP_SKEW_MIN_DRIFT * DF_PREP_TARGET_HEIGHT)
        skew = 0;
    if (!quads && skew == 0) {
        pixDestroy(&turned);
        return 0;
    }
    PIX *t = skew != 0 ? df_prep_transform(turned, 0, skew) : pixClone(turned);
    pixDestroy(&turned);
    if (!t)
        return -1;
    pixDestroy(&prep->pix);
    prep->pix = t;
    /* the caller's page: its size now, its pixels when someone looks
     * (df_ocr_page_settle); a skew keeps the canvas, a quarter turn swaps
     * its sides */
    int w = (int)pixGetWidth(upright->pix), h = (int)pixGetHeight(upright->pix);
    upright->turn_quads = quads;
    upright->turn_skew = skew;
    df_page_set_geometry(upright, quads % 2 ? h : w, quads % 2 ? w : h, upright->dpi);
    return 0;
}

df_code df_ocr_page_settle(df_page *page, df_err *err)
{
    if (!page->pix || (page->turn_quads == 0 && page->turn_skew == 0))
        return DF_OK;
    PIX *np = df_prep_transform(page->pix, page->turn_quads, page->turn_skew);
    if (!np)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory turning a page upright");
    assert((int)pixGetWidth(np) == page->width && (int)pixGetHeight(np) == page->height);
    pixDestroy(&page->pix);
    page->pix = np;
    page->turn_quads = 0;
    page->turn_skew = 0;
    if (page->dpi)
        pixSetResolution(np, page->dpi, page->dpi);
    return DF_OK;
}

/* The page prepared for reading (see preprocess.h), turned upright when
 * `upright` is given, its bands inverted and a grid's rules removed;
 * *grid: whether one was found. */
static df_code prepare(const df_page *page, df_page *upright, const df_ocr_opts *o, int page_no,
                       df_prep *prep, int *grid, df_err *err)
{
    *grid = 0;
    if (o->raw_pixels) /* the caller prepared the pixels (bench/) */
        *prep = (df_prep){pixClone(page->pix), 1.0, 0, 0};
    else if (df_prep_page(page->pix, NULL, prep) != 0)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory preparing page %d for OCR", page_no);
    if (upright && turn_upright(prep, upright) != 0) {
        df_prep_clear(prep);
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory turning page %d upright", page_no);
    }
    if (!o->raw_pixels) {
        df_prep_invert_bands(prep->pix);
        *grid = df_prep_remove_rules(prep->pix) == 1;
    }
    return DF_OK;
}

/* The page read with api, then its unsure words again (unsure.c). prep's
 * pixels go as soon as Tesseract has its own copy. */
static df_code read_page(TessBaseAPI *api, const ocr_page_ctx *c, df_prep *prep, int psm,
                         word_buf *b, df_err *err)
{
    TessBaseAPISetPageSegMode(api, (TessPageSegMode)psm);
    TessBaseAPISetImage2(api, prep->pix);
    /* Tesseract 5 always keeps its own copy of the image (ImageThresholder::
     * SetImage), so ours goes now rather than after recognition: one page
     * image less at the peak (a 2x-scaled A4 page is 22 MB). */
    df_prep_clear(prep);
    TessBaseAPISetSourceResolution(api, c->tess_dpi);
    df_code rc = df_ocr_recognize(c->pool, api, c->o, c->page_no, err);
    if (rc == DF_OK)
        rc = df_ocr_collect_words(api, c->px_to_pt, b, err);
    if (rc == DF_OK && !c->o->no_reread) {
        df_ocr_reread_unsure(c, api, b);
        df_ocr_buf_compact(b);
    }
    /* Tesseract keeps its page image until cleared */
    TessBaseAPIClear(api);
    return rc;
}

/* The caller holds the OpenMP guard and the handle. `upright`: the same
 * page, writable, when it may be turned upright and deskewed (df_ocr_doc);
 * NULL for df_ocr_page. */
static df_code ocr_with(df_ocr_pool *pool, TessBaseAPI *api, const df_page *page, df_page *upright,
                        const df_ocr_opts *o, int page_no, df_word **words, size_t *nwords,
                        df_err *err)
{
    *words = NULL;
    *nwords = 0;
    if (!page->pix)
        return df_err_set(err, DF_E_INTERNAL, "page %d has no pixels to OCR", page_no);
    if (page->turn_quads || page->turn_skew != 0)
        return df_err_set(err, DF_E_INTERNAL, "page %d was read already and not settled", page_no);
    int w = (int)pixGetWidth(page->pix), h = (int)pixGetHeight(page->pix);
    if (w > DF_OCR_MAX_SIDE || h > DF_OCR_MAX_SIDE)
        return df_err_set(err, DF_E_IMAGE_TOO_LARGE,
                          "page %d is %dx%d pixels; OCR handles at most %d pixels per side",
                          page_no, w, h, DF_OCR_MAX_SIDE);
    int dpi = page->dpi > 0 ? page->dpi : DF_OCR_ASSUMED_DPI, grid;
    df_prep prep = {0};
    df_code rc = prepare(page, upright, o, page_no, &prep, &grid, err);
    if (rc != DF_OK)
        return rc;
    int psm = o->psm > 0 ? o->psm : grid ? DF_OCR_PSM_GRID : DF_OCR_PSM_DEFAULT;
    int tess_dpi = (int)lround(dpi * prep.scale);
    ocr_page_ctx c = {pool, o, page_no, (int)pixGetWidth(prep.pix), (int)pixGetHeight(prep.pix),
                      tess_dpi < 70 ? 70 : tess_dpi,
                      72.0 / (dpi * prep.scale)};
    word_buf b = {0};
    if (!o->no_reread) /* grown with the words; NULL: no second readings */
        b.line_h = malloc(sizeof *b.line_h);
    rc = read_page(api, &c, &prep, psm, &b, err);
    free(b.line_h);
    df_prep_clear(&prep);
    if (rc != DF_OK) {
        df_ocr_words_free(b.w, b.n);
        return rc;
    }
    *words = b.w;
    *nwords = b.n;
    return DF_OK;
}

df_code df_ocr_page(df_ocr_pool *pool, const df_page *page, const df_ocr_opts *o,
                    df_word **words, size_t *nwords, df_err *err)
{
    *words = NULL;
    *nwords = 0;
    df_omp_guard g = df_omp_guard_enter();
    TessBaseAPI *api = NULL;
    df_code rc = df_ocr_pool_checkout(pool, &api, err);
    if (rc == DF_OK) {
        rc = ocr_with(pool, api, page, NULL, o, o->page_no > 0 ? o->page_no : 1, words, nwords,
                      err);
        df_ocr_pool_checkin(pool, api);
    }
    df_omp_guard_leave(g);
    return rc;
}

df_code df_ocr_lease_page(df_ocr_lease *l, df_page *p, const df_ocr_opts *o, int page_no,
                          df_err *err)
{
    if (!p->pix || p->has_text_layer)
        return DF_OK;
    if (df_stop_cancelled(o->stop))
        return df_err_set(err, DF_E_CANCELLED, "OCR of page %d was cancelled", page_no);
    if (df_stop_expired(o->stop)) {
        char where[48];
        snprintf(where, sizeof where, "before OCR of page %d", page_no);
        return df_stop_timeout(o->stop, where, err);
    }
    df_omp_guard g = df_omp_guard_enter();
    df_code rc = DF_OK;
    if (!l->api) {
        TessBaseAPI *api = NULL;
        rc = df_ocr_pool_checkout(l->pool, &api, err);
        l->api = api;
    }
    df_word *words = NULL;
    size_t n = 0;
    if (rc == DF_OK)
        rc = ocr_with(l->pool, l->api, p, p, o, page_no, &words, &n, err);
    if (rc == DF_OK) {
        /* a page without a usable text layer may still carry the layer's
         * unreadable words: OCR replaces them */
        df_ocr_words_free(p->words, p->nwords);
        p->words = words;
        p->nwords = n;
    }
    df_omp_guard_leave(g);
    return rc;
}

void df_ocr_lease_end(df_ocr_lease *l)
{
    if (l->api)
        df_ocr_pool_checkin(l->pool, l->api);
    l->api = NULL;
}

df_code df_ocr_doc(df_ocr_pool *pool, df_doc *doc, const df_ocr_opts *o, df_err *err)
{
    df_ocr_lease l = {pool, NULL};
    df_code rc = DF_OK;
    for (size_t i = 0; rc == DF_OK && i < doc->npages; i++) {
        rc = df_ocr_lease_page(&l, &doc->pages[i], o, (int)i + 1, err);
        if (rc == DF_OK)
            rc = df_ocr_page_settle(&doc->pages[i], err);
    }
    df_ocr_lease_end(&l);
    return rc;
}
