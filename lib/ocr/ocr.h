/*
 * ocr.h — stage 2: page pixels to words, on this machine, with Tesseract.
 *
 * Why a pool: TessBaseAPI Init costs ≈ 55 ms and one handle must never be
 * used by two threads at once. The engine owns one df_ocr_pool (no global
 * state): a mutex-protected free list of initialised handles. A document
 * checks one handle out for all its pages and puts it back, so every thread
 * that extracts effectively keeps its own handle, initialised once. Handles
 * are created lazily, on the first page that needs OCR: an engine that only
 * ever sees text-layer PDFs never loads Tesseract's models.
 *
 * Threading: Tesseract's internal OpenMP makes OCR several times slower on
 * small machines and catastrophically slower when nested inside a caller's
 * active OpenMP region. Every entry point below makes Tesseract run
 * single-threaded for its duration and restores the caller's OpenMP
 * settings afterwards (omp_guard.h).
 *
 * Private to lib/.
 */
#ifndef DF_OCR_H
#define DF_OCR_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/stop.h"
#include "decode/decode.h"

/* Where Tesseract's language data is looked for when no directory is given,
 * TESSDATA_PREFIX is unset and docflow's own model (models/tessdata) is
 * found neither installed nor in the build tree (Debian bookworm's
 * tesseract-ocr-* packages: the "fast" model, clearly worse on receipts). */
#define DF_OCR_DEFAULT_TESSDATA "/usr/share/tesseract-ocr/5/tessdata"
/* docflow's bundled tessdata_best_int model: installed / decompressed by the
 * build (CMakeLists.txt defines both). */
#ifdef DF_TESSDATA_INSTALL_DIR
#define DF_OCR_INSTALLED_TESSDATA DF_TESSDATA_INSTALL_DIR
#else
#define DF_OCR_INSTALLED_TESSDATA "/usr/local/share/docflow/tessdata"
#endif
#ifdef DF_TESSDATA_BUILD_DIR
#define DF_OCR_BUILD_TESSDATA DF_TESSDATA_BUILD_DIR
#else
#define DF_OCR_BUILD_TESSDATA DF_OCR_DEFAULT_TESSDATA
#endif
/* Resolution assumed for pages whose file states none: used both to tell
 * Tesseract the text size and to turn pixel boxes into points. */
#define DF_OCR_ASSUMED_DPI 300
/* Tesseract's page segmentation mode 6: one uniform block of text. On SROIE
 * receipts with the bundled model it beat 3 (automatic) on date and address
 * and 4 on total; "no single setting wins every field" (see the OCR issue). */
#define DF_OCR_PSM_DEFAULT 6
/* Mode 3 (automatic) for a ruled grid (df_prep_remove_rules found one): its
 * cells side by side have their own line pitches, which one uniform block
 * merges or drops (a GSTIN line in a letterhead cell beside "Invoice No." /
 * "Delivery Note" cells). On the synthetic invoices: tax id 88 -> 96 %, date
 * 92.5 -> 97.5 %, line-item F1 88 -> 92; receipts are rarely ruled grids
 * and keep mode 6 (SROIE unchanged but one date better). */
#define DF_OCR_PSM_GRID 3
/* Tesseract refuses images with a side above this (SetImage). */
#define DF_OCR_MAX_SIDE 32767

typedef struct df_ocr_pool df_ocr_pool;

/*
 * Resolve the tessdata directory — first of: `tessdata` if not NULL/empty;
 * the environment's TESSDATA_PREFIX; DF_OCR_INSTALLED_TESSDATA if it holds
 * eng.traineddata; DF_OCR_BUILD_TESSDATA if it holds eng.traineddata;
 * DF_OCR_DEFAULT_TESSDATA — and check
 * that every language of `languages` ("eng+hin") has <dir>/<lang>.traineddata.
 * A missing one is DF_E_OCR_UNAVAILABLE naming the language and the
 * directory. Creates no Tesseract handle. Also silences Leptonica
 * process-wide (setMsgSeverity), as documented at df_engine_new.
 */
df_code df_ocr_pool_new(const char *tessdata, const char *languages, df_ocr_pool **out,
                        df_err *err);
/* Ends every idle handle. No handle may be checked out. NULL is a no-op. */
void df_ocr_pool_free(df_ocr_pool *pool);

/* The resolved tessdata directory. */
const char *df_ocr_pool_tessdata(const df_ocr_pool *pool);
/* How many Tesseract handles this pool has initialised so far (tests use it
 * to prove laziness and reuse). Thread-safe. */
uint64_t df_ocr_pool_engines_created(df_ocr_pool *pool);
/* CPU nanoseconds spent inside Tesseract's recognition (TessBaseAPIRecognize,
 * every call: pages and re-read regions) and the number of calls, since the
 * pool was made. bench/ uses it to tell docflow's own work from Tesseract's.
 * Thread-safe; the add is ocr.c's. */
void df_ocr_pool_recognition(df_ocr_pool *pool, uint64_t *cpu_ns, uint64_t *calls);
void df_ocr_pool_add_recognition(df_ocr_pool *pool, uint64_t cpu_ns);

typedef struct df_ocr_opts {
    int psm;                    /* Tesseract page segmentation mode; <= 0: DF_OCR_PSM_GRID for a
                                   ruled grid, else DF_OCR_PSM_DEFAULT */
    uint64_t page_seconds;      /* time limit per page (DF_LIMIT_PAGE_SECONDS); 0: none */
    int deadline_ms;            /* test hook: when > 0, the limit in ms instead of page_seconds */
    const df_stop *stop;        /* may be NULL; the document's deadline (each reading ends by
                                   it too, whichever limit comes first) and cancel flag (checked
                                   between words) */
    int page_no;                /* 1-based, for messages of df_ocr_page (0 is shown as 1) */
    int raw_pixels;             /* 1: page->pix is already prepared (8 bpp gray, text at the
                                   target size): skip preprocessing (benchmarks use it to time
                                   Tesseract's recognition alone) */
    int no_reread;              /* 1: no second reading of unsure words (ocr.c; the
                                   benchmark's recognition-only run and df_ocr_region) */
} df_ocr_opts;
/* No diagnostics sink: Tesseract prints only through its process-global
 * debug_file (a path), so its messages are dropped, not routed to df_diag. */

/*
 * Preprocessing (lib/ocr/preprocess.h), before Tesseract sees a page: 8-bit
 * gray; the typical text height is measured and the image scaled so that it
 * becomes DF_PREP_TARGET_HEIGHT px (small receipt text up, phone-photo text
 * down). Words are always reported in points of the page as it is after
 * this call: the scaling is undone (box px / scale * 72 / dpi).
 *
 * Orientation and skew: df_ocr_doc turns a page whose text is sideways or
 * upside down upright (quarter turns, Leptonica's pixOrientDetect) and
 * straightens text lines skewed by DF_PREP_MIN_SKEW degrees or more (same
 * canvas size, white brought in). It then REPLACES page->pix by the turned
 * page and updates width/height/width_pt/height_pt (a 90° page reports its
 * upright size), so every box refers to the page as displayed after this
 * correction. df_ocr_lease_page updates the geometry the same way but only
 * records the turn (page->turn_quads, turn_skew): its caller keeps a page's
 * pixels for a possible second reading that seldom comes, and turning them
 * costs a rotation of the whole page; df_ocr_page_settle applies it, and
 * df_ocr_region refuses a page not settled. df_ocr_page never turns or
 * deskews: its page is const and its boxes refer to page->pix as given.
 */

/* Turn page->pix as OCR found it should be (a no-op when it is already):
 * DF_E_NO_MEMORY leaves the page as it was. */
df_code df_ocr_page_settle(df_page *page, df_err *err);

/*
 * OCR one page (page->pix must not be NULL) with a handle checked out for
 * this call only. On DF_OK *words (owned by the caller, free with
 * df_ocr_words_free) holds *nwords non-empty words: UTF-8 text, box in
 * points (pixels * 72 / dpi, DF_OCR_ASSUMED_DPI when page->dpi is 0), origin
 * top-left, confidence 0..100. DF_E_TIMEOUT / DF_E_CANCELLED when the limit
 * or the document's deadline passed / the caller cancelled; DF_E_OCR_UNAVAILABLE when Tesseract cannot
 * load its data.
 */
df_code df_ocr_page(df_ocr_pool *pool, const df_page *page, const df_ocr_opts *o,
                    df_word **words, size_t *nwords, df_err *err);

/*
 * OCR every page of doc that has pixels and no text layer, replacing the
 * page's words, with one handle checked out for the whole document (none
 * when no page needs OCR). o->page_no is ignored: pages are numbered from 1.
 */
df_code df_ocr_doc(df_ocr_pool *pool, df_doc *doc, const df_ocr_opts *o, df_err *err);

/*
 * A Tesseract handle kept by one thread across pages and documents (a batch
 * worker): checked out of the pool on the first page that needs OCR, given
 * back by df_ocr_lease_end. Zero-initialise with the pool: {pool, NULL}.
 * df_ocr_lease_page OCRs page p in place when it needs it (pixels and no
 * text layer), as one page of df_ocr_doc: orientation fixed, words
 * replaced, but p->pix left to df_ocr_page_settle (above); a page that
 * needs no OCR is left alone. page_no is 1-based,
 * for messages. Checks o->stop before starting.
 */
typedef struct df_ocr_lease {
    df_ocr_pool *pool;
    struct TessBaseAPI *api; /* NULL until first needed */
} df_ocr_lease;
df_code df_ocr_lease_page(df_ocr_lease *l, df_page *p, const df_ocr_opts *o, int page_no,
                          df_err *err);
void df_ocr_lease_end(df_ocr_lease *l);

void df_ocr_words_free(df_word *words, size_t n);

/* Unsure words read again together, at most. */
#define DF_OCR_REREAD_GROUP 4
/*
 * The unsure words (confidence under 50 %, a letter or digit) beside word i
 * of w[0..n) on its text line, not yet `done`, with word i: at most
 * DF_OCR_REREAD_GROUP, in Tesseract's order, each within a line height
 * (line_h[i], NULL: the word's own) of the next and overlapping it by half
 * a height. OCR that splits one word ("Suppliers" as "ssl" 31 %, "nieds"
 * 0 %) cannot read it back from either piece's rectangle alone, so the
 * second reading of unsure words takes such a group's whole rectangle.
 * Returns the group as one word (box: the union; conf: the mean by length;
 * text NULL) and its first and last index.
 */
df_word df_ocr_unsure_group(const df_word *w, const float *line_h, size_t n, size_t i,
                            const unsigned char *done, size_t *first, size_t *last);

/*
 * Re-read a region of a page for a later stage (an extractor doubting a
 * field): the part of page->pix under box_pt (points, page coordinates) is
 * enlarged `scale` times (capped at 4) and OCRed with page segmentation mode
 * `psm` (<= 0: 7, one text line). Words come back in the page's points, like
 * df_ocr_page's. A region outside the page reads no words (DF_OK).
 * DF_E_INVALID_ARGUMENT without page pixels, with scale <= 0 or with a page
 * not settled (df_ocr_page_settle).
 */
df_code df_ocr_region(df_ocr_pool *pool, const df_page *page, const float box_pt[4], double scale,
                      int psm, const df_ocr_opts *o, df_word **words, size_t *nwords, df_err *err);

/* ---- between ocr.c and pool.c ----------------------------------------- */
struct TessBaseAPI;
/* An initialised handle, idle or new, in *api; DF_E_OCR_UNAVAILABLE (or
 * DF_E_NO_MEMORY) when Tesseract cannot be initialised. Call with OpenMP
 * already made single-threaded. */
df_code df_ocr_pool_checkout(df_ocr_pool *pool, struct TessBaseAPI **api, df_err *err);
void df_ocr_pool_checkin(df_ocr_pool *pool, struct TessBaseAPI *api);

#endif
