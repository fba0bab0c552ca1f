/* test_budget.c — DF_LIMIT_DOCUMENT_SECONDS: a document's whole
 * extraction ends by its deadline, inside MuPDF's interpretation of a page
 * (a "decompression bomb": 1 MB of PDF whose content stream inflates to
 * 1 GB, 70 s of work without the budget), inside Tesseract, in a batch
 * where two workers read the pages of one document, and a batch's cancel
 * reaches MuPDF the same way.
 *
 * Times asserted are bounds with room for the sanitizer build and a loaded
 * machine (the budget plus several seconds), far below what the same work
 * takes unbounded; what proves a stage was cut is the message naming it. */
#include <check.h>
#include <docflow/docflow.h>
#include <leptonica/allheaders.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "core/stop.h"
#include "ocr/ocr.h"
#include "testutil.h"

#define FX DF_FIXTURES_DIR "/"
/* Well above budget + the moment a stage takes to notice, even under ASan;
 * far below the 70 s the bomb takes unbounded. */
#define BOUND_S 10.0

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- the bomb -------------------------------------------------------------- */

#define BOMB_CHUNK (1u << 20) /* bytes of "q Q\n" deflated at a time */
#define BOMB_CHUNKS 1024      /* 1 GiB inflated */

/* A zlib stream of BOMB_CHUNKS chunks of "q Q\n" (save and restore the
 * graphics state: no drawing, only interpretation). Each chunk is deflated
 * with a full flush, which resets the history, so every chunk after the
 * first comes out as the same bytes: one chunk is compressed and repeated,
 * and the Adler-32 of the whole is combined from the chunk's. */
static unsigned char *bomb_stream(size_t *len)
{
    unsigned char *in = malloc(BOMB_CHUNK), *first = malloc(4096), *next = malloc(4096);
    ck_assert(in && first && next);
    for (size_t i = 0; i < BOMB_CHUNK; i += 4)
        memcpy(in + i, "q Q\n", 4);
    z_stream z = {0};
    ck_assert_int_eq(deflateInit(&z, 9), Z_OK);
    size_t nfirst, nnext;
    for (int k = 0; k < 2; k++) {
        z.next_in = in;
        z.avail_in = BOMB_CHUNK;
        z.next_out = k ? next : first;
        z.avail_out = 4096;
        ck_assert_int_eq(deflate(&z, Z_FULL_FLUSH), Z_OK);
        ck_assert_uint_eq(z.avail_in, 0);
        *(k ? &nnext : &nfirst) = 4096 - z.avail_out;
    }
    deflateEnd(&z);
    ck_assert(nfirst == nnext + 2 && memcmp(first + 2, next, nnext) == 0); /* 2: zlib header */
    uLong chunk_adler = adler32(1, in, BOMB_CHUNK), adler = chunk_adler;
    for (int k = 1; k < BOMB_CHUNKS; k++)
        adler = adler32_combine(adler, chunk_adler, BOMB_CHUNK);
    *len = nfirst + (BOMB_CHUNKS - 1) * nnext + 6;
    unsigned char *s = malloc(*len), *p = s;
    ck_assert_ptr_nonnull(s);
    memcpy(p, first, nfirst);
    p += nfirst;
    for (int k = 1; k < BOMB_CHUNKS; k++, p += nnext)
        memcpy(p, next, nnext);
    /* an empty final block, then the checksum, big-endian */
    unsigned char tail[6] = {0x03, 0x00, adler >> 24, adler >> 16 & 0xFF, adler >> 8 & 0xFF,
                             adler & 0xFF};
    memcpy(p, tail, 6);
    free(in);
    free(first);
    free(next);
    return s;
}

/* A PDF of `pages` A4 pages that all show the bomb's one content stream. */
static unsigned char *bomb_pdf(int pages, size_t *len)
{
    size_t zlen;
    unsigned char *z = bomb_stream(&zlen);
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    long off[4 + 8];
    int nobj = 3 + pages;
    fprintf(f, "%%PDF-1.4\n");
    off[1] = ftell(f);
    fprintf(f, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = ftell(f);
    fprintf(f, "2 0 obj\n<< /Type /Pages /Count %d /Kids [", pages);
    for (int i = 0; i < pages; i++)
        fprintf(f, " %d 0 R", 4 + i);
    fprintf(f, " ] >>\nendobj\n");
    off[3] = ftell(f);
    fprintf(f, "3 0 obj\n<< /Length %zu /Filter /FlateDecode >>\nstream\n", zlen);
    fwrite(z, 1, zlen, f);
    fprintf(f, "\nendstream\nendobj\n");
    for (int i = 0; i < pages; i++) {
        off[4 + i] = ftell(f);
        fprintf(f, "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                   "/Contents 3 0 R >>\nendobj\n", 4 + i);
    }
    long xref = ftell(f);
    fprintf(f, "xref\n0 %d\n0000000000 65535 f \n", nobj + 1);
    for (int i = 1; i <= nobj; i++)
        fprintf(f, "%010ld 00000 n \n", off[i]);
    fprintf(f, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", nobj + 1, xref);
    fclose(f);
    free(z);
    return (unsigned char *)buf;
}

static df_engine *engine_with_budget(uint64_t seconds)
{
    df_options *o = df_options_new();
    ck_assert_ptr_nonnull(o);
    if (seconds)
        ck_assert_int_eq(df_options_set_limit(o, DF_LIMIT_DOCUMENT_SECONDS, seconds), DF_OK);
    char msg[DF_ERROR_MAX];
    df_engine *e = df_engine_new(o, NULL, msg);
    ck_assert_msg(e != NULL, "engine: %s", msg);
    df_options_free(o);
    return e;
}

/* ---- tests ----------------------------------------------------------------- */

START_TEST(default_is_300_seconds)
{
    df_options *o = df_options_new();
    ck_assert_uint_eq(df_options_get_limit(o, DF_LIMIT_DOCUMENT_SECONDS), 300);
    ck_assert_int_eq(df_options_set_limit(o, DF_LIMIT_DOCUMENT_SECONDS, 0), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_options_set_limit(o, DF_LIMIT_DOCUMENT_SECONDS, 2), DF_OK);
    ck_assert_uint_eq(df_options_get_limit(o, DF_LIMIT_DOCUMENT_SECONDS), 2);
    ck_assert_uint_eq(df_options_get_limit(o, (df_limit)5), 0); /* one past the last */
    df_options_free(o);
}
END_TEST

/* MuPDF's interpretation is interrupted: the file fails at 2 s with a
 * message naming it, the budget and the page. */
START_TEST(bomb_pdf_stops_at_the_budget)
{
    size_t len;
    unsigned char *pdf = bomb_pdf(1, &len);
    ck_assert_uint_lt(len, 1200000); /* about 1 MB on disk... */
    char dir[] = "/tmp/df-budget-XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bomb.pdf", dir);
    FILE *f = fopen(path, "wb");
    ck_assert_uint_eq(fwrite(pdf, 1, len, f), len);
    fclose(f);
    free(pdf);

    df_engine *e = engine_with_budget(2);
    df_result *r = NULL;
    double t0 = now_s();
    df_code rc = df_extract_file(e, path, &r);
    double took = now_s() - t0;
    ck_assert_msg(rc == DF_E_TIMEOUT, "%s: %s", df_code_name(rc), df_result_error_message(r));
    char want[160];
    snprintf(want, sizeof want, "%s: the document exceeded its time budget of 2 s (stopped while "
             "reading the text of page 1)", path);
    ck_assert_str_eq(df_result_error_message(r), want);
    ck_assert_msg(took >= 1.9 && took < BOUND_S, "took %.2f s", took);
    df_result_free(r);
    df_engine_free(e);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* Two workers read the two pages of one bomb at once, each on its own
 * MuPDF handle: both stop by the document's one deadline (had the second
 * reader no deadline, the batch would wait 70 s for it), and the good file
 * beside it is unaffected. */
START_TEST(batch_pages_share_the_deadline)
{
    size_t len;
    unsigned char *pdf = bomb_pdf(2, &len);
    df_engine *e = engine_with_budget(2);
    df_batch *b = df_batch_new(e);
    ck_assert_int_eq(df_batch_add_memory(b, pdf, len, "bomb2.pdf"), DF_OK);
    ck_assert_int_eq(df_batch_add_file(b, FX "sample-invoice.pdf"), DF_OK);
    ck_assert_int_eq(df_batch_set_workers(b, 2), DF_OK);
    double t0 = now_s();
    ck_assert_int_eq(df_batch_run(b), DF_OK);
    double took = now_s() - t0;
    const df_result *bomb = df_batch_result(b, 0), *good = df_batch_result(b, 1);
    ck_assert_int_eq(df_result_code(bomb), DF_E_TIMEOUT);
    ck_assert_str_eq(df_result_error_message(bomb), "bomb2.pdf: the document exceeded its time "
                     "budget of 2 s (stopped while reading the text of page 1)");
    ck_assert_msg(df_result_code(good) == DF_OK, "%s", df_result_error_message(good));
    ck_assert_msg(took >= 1.9 && took < BOUND_S, "took %.2f s", took);
    df_batch_free(b);
    df_engine_free(e);
    free(pdf);
}
END_TEST

static void *cancel_soon(void *batch)
{
    usleep(300 * 1000);
    df_batch_cancel(batch);
    return NULL;
}

/* df_batch_cancel stops a page MuPDF is interpreting, not only the pages
 * not yet started: with the default budget the bomb would hold on 70 s. */
START_TEST(cancel_stops_pdf_interpretation)
{
    size_t len;
    unsigned char *pdf = bomb_pdf(1, &len);
    df_engine *e = engine_with_budget(0);
    df_batch *b = df_batch_new(e);
    ck_assert_int_eq(df_batch_add_memory(b, pdf, len, "bomb.pdf"), DF_OK);
    ck_assert_int_eq(df_batch_set_workers(b, 1), DF_OK);
    pthread_t t;
    double t0 = now_s();
    ck_assert_int_eq(pthread_create(&t, NULL, cancel_soon, b), 0);
    ck_assert_int_eq(df_batch_run(b), DF_E_CANCELLED);
    double took = now_s() - t0;
    pthread_join(t, NULL);
    const df_result *r = df_batch_result(b, 0);
    ck_assert_int_eq(df_result_code(r), DF_E_CANCELLED);
    ck_assert_str_eq(df_result_error_message(r),
                     "bomb.pdf: cancelled while reading the text of page 1");
    ck_assert_msg(took < BOUND_S, "took %.2f s", took);
    df_batch_free(b);
    df_engine_free(e);
    free(pdf);
}
END_TEST

/* invoice.png tiled 3 x 3: one 3720x5265 page of nine invoices, whose OCR
 * takes 13 s unbounded (RelWithDebInfo, on the 2-core machine of these
 * notes). */
static PIX *nine_invoices(void)
{
    PIX *one = pixRead(FX "invoice.png"), *g = one ? pixConvertTo8(one, 0) : NULL;
    ck_assert_ptr_nonnull(g);
    int w = (int)pixGetWidth(g), h = (int)pixGetHeight(g);
    PIX *tiled = pixCreate(3 * w, 3 * h, 8);
    ck_assert_ptr_nonnull(tiled);
    for (int k = 0; k < 9; k++)
        pixRasterop(tiled, k % 3 * w, k / 3 * h, w, h, PIX_SRC, g, 0, 0);
    pixDestroy(&one);
    pixDestroy(&g);
    return tiled;
}

/* Tesseract itself stops by the document's deadline: the stop gives it
 * 0.5 s and skips the preparation (raw_pixels), so nothing else can spend
 * them, and no machine reads nine invoices in that time. Its layout
 * analysis, before it reads words and looks at the deadline, is the
 * overshoot (2-3 s here). */
START_TEST(ocr_reading_ends_by_the_deadline)
{
    df_page page = {.pix = nine_invoices(), .dpi = 150};
    df_ocr_pool *pool = NULL;
    df_err err = {0};
    ck_assert_msg(df_ocr_pool_new(NULL, "eng", &pool, &err) == DF_OK, "%s", err.msg);
    df_stop stop = {NULL, df_clock_ns() + 500 * 1000 * 1000, 7};
    df_ocr_opts o = {.page_seconds = 60, .stop = &stop, .raw_pixels = 1, .page_no = 4};
    df_word *w = NULL;
    size_t n = 0;
    double t0 = now_s();
    ck_assert_int_eq(df_ocr_page(pool, &page, &o, &w, &n, &err), DF_E_TIMEOUT);
    double took = now_s() - t0;
    ck_assert_str_eq(err.msg, "the document exceeded its time budget of 7 s (stopped during OCR "
                     "of page 4)");
    ck_assert_msg(took >= 0.45 && took < BOUND_S, "took %.2f s", took);
    ck_assert_ptr_null(w);
    df_ocr_pool_free(pool);
    pixDestroy(&page.pix);
}
END_TEST

/* Through the public API: decoding and preparing the page take part of
 * the 3 s (1.8 s under ASan here), the rest goes to Tesseract, which is
 * stopped; a stop found only once OCR is over would say "while reading
 * page 1", one before OCR "before OCR of page 1". */
START_TEST(ocr_of_an_image_stops_at_the_budget)
{
    PIX *tiled = nine_invoices();
    l_uint8 *png = NULL;
    size_t len = 0;
    ck_assert_int_eq(pixWriteMem(&png, &len, tiled, IFF_PNG), 0);
    pixDestroy(&tiled);

    df_engine *e = engine_with_budget(3);
    df_result *r = NULL;
    double t0 = now_s();
    df_code rc = df_extract_memory(e, png, len, "nine.png", &r);
    double took = now_s() - t0;
    ck_assert_msg(rc == DF_E_TIMEOUT, "%s: %s", df_code_name(rc), df_result_error_message(r));
    ck_assert_str_eq(df_result_error_message(r), "nine.png: the document exceeded its time "
                     "budget of 3 s (stopped during OCR of page 1)");
    ck_assert_msg(took >= 2.9 && took < 2 * BOUND_S, "took %.2f s", took);
    df_result_free(r);
    df_engine_free(e);
    lept_free(png);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("budget");
    TCase *tc = tcase_create("document seconds");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, default_is_300_seconds);
    tcase_add_test(tc, bomb_pdf_stops_at_the_budget);
    tcase_add_test(tc, batch_pages_share_the_deadline);
    tcase_add_test(tc, cancel_stops_pdf_interpretation);
    tcase_add_test(tc, ocr_reading_ends_by_the_deadline);
    tcase_add_test(tc, ocr_of_an_image_stops_at_the_budget);
    suite_add_tcase(s, tc);
    return df_test_run(s);
}
