/* test_batch_api.c — df_batch: input order, failures isolated, the same
 * results as df_extract_file at any worker count, pages of one PDF shared
 * between workers, cancellation, progress and result callbacks. */
#include <check.h>
#include <docflow/docflow.h>
#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/internal.h"
#include "ocr/ocr.h"
#include "testutil.h"

#define FX DF_FIXTURES_DIR "/"

/* Text-layer PDFs, scans (one a 3-page scanned PDF), bad files and a
 * missing path, interleaved. */
static const char *const mixed[] = {
    FX "sample-invoice.pdf",     FX "bad/truncated.pdf",       FX "invoice-scanned-3page.pdf",
    FX "bad/notes.txt",          FX "invoice-2page.pdf",       FX "does-not-exist.pdf",
    FX "invoice.png",            FX "bad/empty.pdf",           FX "invoice-encrypted-empty.pdf",
    FX "bad/too-many-pages.pdf", FX "invoice-lzw.tif",         FX "bad/invoice-password.pdf",
};
#define NMIXED (sizeof mixed / sizeof mixed[0])

static df_engine *engine(void)
{
    df_code code;
    char msg[DF_ERROR_MAX];
    df_engine *e = df_engine_new(NULL, &code, msg);
    ck_assert_msg(e != NULL, "engine: %s", msg);
    return e;
}

static char *json_of(const df_result *r, size_t i)
{
    ck_assert_ptr_nonnull(r);
    char *s = df_result_to_json(r, i, NULL, 0);
    ck_assert_ptr_nonnull(s);
    return s;
}

typedef struct seen {
    pthread_mutex_t lock;
    int calls[64];
    size_t last_pages_done;
    int progress_calls, progress_backwards;
    int cancel_after_docs; /* > 0: cancel once that many are done */
    df_batch *batch;
} seen;

static void on_result(void *ud, size_t index, const df_result *r)
{
    seen *s = ud;
    ck_assert_ptr_nonnull(r);
    pthread_mutex_lock(&s->lock);
    if (index < 64)
        s->calls[index]++;
    pthread_mutex_unlock(&s->lock);
}

static void on_progress(void *ud, const df_batch_progress *p)
{
    seen *s = ud;
    pthread_mutex_lock(&s->lock);
    s->progress_calls++;
    s->progress_backwards += p->pages_done < s->last_pages_done;
    s->last_pages_done = p->pages_done;
    if (s->cancel_after_docs > 0 && p->docs_done >= (size_t)s->cancel_after_docs)
        df_batch_cancel(s->batch);
    pthread_mutex_unlock(&s->lock);
}

/* Run `files` with `workers`; returns each result's JSON (caller frees). */
static char **run_batch(df_engine *e, const char *const *files, size_t n, int workers, seen *s,
                        df_code *rc)
{
    df_batch *b = df_batch_new(e);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(df_batch_set_workers(b, workers), DF_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(df_batch_add_file(b, files[i]), DF_OK);
    if (s) {
        s->batch = b;
        df_batch_set_on_result(b, on_result, s);
        df_batch_set_progress(b, on_progress, s);
    }
    *rc = df_batch_run(b);
    ck_assert_uint_eq(df_batch_count(b), n);
    char **out = calloc(n, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = json_of(df_batch_result(b, i), i);
    df_batch_progress p;
    df_batch_get_progress(b, &p);
    ck_assert_uint_eq(p.docs_total, n);
    ck_assert_uint_eq(p.docs_done, n);
    ck_assert_uint_eq(p.pages_done, p.pages_total);
    ck_assert(p.seconds_remaining == 0);
    df_batch_free(b);
    return out;
}

/* Index of the largest of files. */
static size_t largest_file(const char *const *files, size_t n)
{
    size_t best = 0;
    long most = -1;
    for (size_t i = 0; i < n; i++) {
        FILE *f = fopen(files[i], "rb");
        ck_assert_ptr_nonnull(f);
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fclose(f);
        if (len > most) {
            most = len;
            best = i;
        }
    }
    return best;
}

static void free_all(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        df_free(v[i]);
    free(v);
}

START_TEST(same_results_as_single_calls_at_any_worker_count)
{
    df_engine *e = engine();
    char *single[NMIXED];
    for (size_t i = 0; i < NMIXED; i++) {
        df_result *r = NULL;
        df_extract_file(e, mixed[i], &r);
        single[i] = json_of(r, i);
        df_result_free(r);
    }
    for (int workers = 1; workers <= 3; workers += 2) {
        seen s = {PTHREAD_MUTEX_INITIALIZER, {0}, 0, 0, 0, 0, NULL};
        df_code rc;
        char **got = run_batch(e, mixed, NMIXED, workers, &s, &rc);
        ck_assert_int_eq(rc, DF_OK);
        for (size_t i = 0; i < NMIXED; i++) {
            ck_assert_msg(strcmp(got[i], single[i]) == 0, "%d workers, %s:\n%s\nvs\n%s", workers,
                          mixed[i], got[i], single[i]);
            ck_assert_int_eq(s.calls[i], 1);
        }
        ck_assert_int_eq(s.progress_backwards, 0);
        ck_assert_int_ge(s.progress_calls, (int)NMIXED);
        free_all(got, NMIXED);
    }
    /* failures stayed where they were and did not stop the others */
    ck_assert_ptr_nonnull(strstr(single[0], "\"extraction\":{"));
    ck_assert_ptr_nonnull(strstr(single[1], "\"truncated_file\""));
    ck_assert_ptr_nonnull(strstr(single[5], "\"file_not_found\""));
    ck_assert_ptr_nonnull(strstr(single[10], "\"extraction\":{"));
    for (size_t i = 0; i < NMIXED; i++)
        df_free(single[i]);
    df_engine_free(e);
}
END_TEST

START_TEST(pages_of_one_pdf_go_to_every_worker)
{
    df_engine *e = engine();
    const char *one[] = {FX "invoice-scanned-3page.pdf"};
    df_code rc;
    char **got = run_batch(e, one, 1, 2, NULL, &rc);
    ck_assert_int_eq(rc, DF_OK);
    ck_assert_ptr_nonnull(strstr(got[0], "\"pages\":[{"));
    /* one Tesseract handle per worker: both workers read pages */
    ck_assert_uint_eq(df_ocr_pool_engines_created(e->ocr), 2);
    free_all(got, 1);
    df_engine_free(e);
}
END_TEST

START_TEST(memory_inputs_keep_their_names)
{
    df_engine *e = engine();
    FILE *f = fopen(FX "sample-invoice.pdf", "rb");
    ck_assert_ptr_nonnull(f);
    static unsigned char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    df_batch *b = df_batch_new(e);
    ck_assert_int_eq(df_batch_add_memory(b, buf, n, "upload-1.pdf"), DF_OK);
    ck_assert_int_eq(df_batch_add_memory(b, buf, 10, "cut.pdf"), DF_OK);
    ck_assert_int_eq(df_batch_add_memory(b, buf, 0, NULL), DF_OK);
    ck_assert_int_eq(df_batch_run(b), DF_OK);
    ck_assert_int_eq(df_result_code(df_batch_result(b, 0)), DF_OK);
    ck_assert_int_ne(df_result_code(df_batch_result(b, 1)), DF_OK);
    ck_assert_ptr_nonnull(strstr(df_result_error_message(df_batch_result(b, 1)), "cut.pdf: "));
    ck_assert_int_eq(df_result_code(df_batch_result(b, 2)), DF_E_EMPTY_FILE);
    char *j = json_of(df_batch_result(b, 0), 0);
    ck_assert_ptr_nonnull(strstr(j, "\"file_key\":\"upload-1.pdf\""));
    df_free(j);
    df_batch_free(b);
    df_engine_free(e);
}
END_TEST

START_TEST(cancel_before_run_cancels_everything)
{
    df_engine *e = engine();
    df_batch *b = df_batch_new(e);
    seen s = {PTHREAD_MUTEX_INITIALIZER, {0}, 0, 0, 0, 0, b};
    df_batch_set_on_result(b, on_result, &s);
    for (size_t i = 0; i < NMIXED; i++)
        df_batch_add_file(b, mixed[i]);
    df_batch_cancel(b);
    ck_assert_int_eq(df_batch_run(b), DF_E_CANCELLED);
    for (size_t i = 0; i < NMIXED; i++) {
        const df_result *r = df_batch_result(b, i);
        ck_assert_int_eq(df_result_code(r), DF_E_CANCELLED);
        ck_assert_ptr_nonnull(strstr(df_result_error_message(r), mixed[i]));
        ck_assert_int_eq(s.calls[i], 1);
    }
    df_batch_free(b);
    df_engine_free(e);
}
END_TEST

START_TEST(cancel_midway_keeps_what_finished)
{
    df_engine *e = engine();
    /* opened largest first: the 3-page scan, so the cancel after one
     * document leaves it the only result */
    const char *files[] = {FX "sample-invoice.pdf", FX "invoice.png", FX "invoice-scanned-3page.pdf",
                           FX "invoice.jpg", FX "invoice-g4.tif"};
    size_t n = sizeof files / sizeof files[0], first = largest_file(files, n);
    seen s = {PTHREAD_MUTEX_INITIALIZER, {0}, 0, 0, 0, 1, NULL};
    df_code rc;
    char **got = run_batch(e, files, n, 1, &s, &rc);
    ck_assert_int_eq(rc, DF_E_CANCELLED);
    ck_assert_ptr_nonnull(strstr(got[first], "\"extraction\":{"));
    for (size_t i = 0; i < n; i++) {
        if (i != first)
            ck_assert_msg(strstr(got[i], "\"code\":\"cancelled\"") != NULL, "%s", got[i]);
        ck_assert_int_eq(s.calls[i], 1);
    }
    free_all(got, n);
    df_engine_free(e);
}
END_TEST

typedef struct order_seen {
    size_t order[8];
    size_t n;
} order_seen;

static void note_order(void *ud, size_t index, const df_result *r)
{
    order_seen *o = ud;
    (void)r;
    if (o->n < 8)
        o->order[o->n++] = index;
}

/* One worker finishes documents in the order it opens them: the largest
 * first (a large scan added last would run alone at the end of a batch),
 * equal sizes in the order added; results stay in the order added. */
START_TEST(documents_open_largest_first)
{
    df_engine *e = engine();
    static const char junk[4000];
    const size_t len[] = {10, 4000, 100, 4000, 1000};
    df_batch *b = df_batch_new(e);
    ck_assert_int_eq(df_batch_set_workers(b, 1), DF_OK);
    char name[16];
    for (size_t i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "doc%zu", i);
        ck_assert_int_eq(df_batch_add_memory(b, junk, len[i], name), DF_OK);
    }
    order_seen o = {{0}, 0};
    df_batch_set_on_result(b, note_order, &o);
    ck_assert_int_eq(df_batch_run(b), DF_OK);
    ck_assert_uint_eq(o.n, 5);
    const size_t want[] = {1, 3, 4, 2, 0};
    for (size_t i = 0; i < 5; i++)
        ck_assert_uint_eq(o.order[i], want[i]);
    for (size_t i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "doc%zu: ", i);
        ck_assert_ptr_nonnull(strstr(df_result_error_message(df_batch_result(b, i)), name));
    }
    df_batch_free(b);
    df_engine_free(e);
}
END_TEST

/* Who ran each result callback: its OpenMP nesting level and thread. The
 * callback waits a little, so that a second worker, if there is one, gets
 * documents too. */
typedef struct threads_seen {
    pthread_mutex_t lock;
    int n, max_level, in_parallel;
    pthread_t who[16];
} threads_seen;

static void note_thread(void *ud, size_t index, const df_result *r)
{
    threads_seen *t = ud;
    (void)index;
    (void)r;
    pthread_mutex_lock(&t->lock);
    if (omp_get_level() > t->max_level)
        t->max_level = omp_get_level();
    t->in_parallel |= omp_in_parallel();
    if (t->n < 16)
        t->who[t->n++] = pthread_self();
    pthread_mutex_unlock(&t->lock);
    struct timespec ms20 = {0, 20 * 1000 * 1000};
    nanosleep(&ms20, NULL);
}

static void run_junk(df_engine *e, int workers, threads_seen *t)
{
    static const char junk[100];
    df_batch *b = df_batch_new(e);
    ck_assert_int_eq(df_batch_set_workers(b, workers), DF_OK);
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(df_batch_add_memory(b, junk, sizeof junk, "junk"), DF_OK);
    df_batch_set_on_result(b, note_thread, t);
    ck_assert_int_eq(df_batch_run(b), DF_OK);
    df_batch_free(b);
}

/* The workers are plain threads, not an OpenMP team: Tesseract's own
 * regions then open at level 0, where libgomp needs one futex call per
 * region instead of the two of its nested-team path (lib/core/batch.c). */
START_TEST(workers_are_plain_threads)
{
    df_engine *e = engine();
    threads_seen t = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, {0}};
    run_junk(e, 2, &t);
    ck_assert_int_eq(t.n, 8);
    ck_assert_int_eq(t.max_level, 0);
    ck_assert_int_eq(t.in_parallel, 0);
    int others = 0;
    for (int i = 0; i < t.n; i++)
        others += !pthread_equal(t.who[i], pthread_self());
    ck_assert_int_gt(others, 0); /* a second worker took part */
    df_engine_free(e);
}
END_TEST

/* docflow.h: inside the caller's active OpenMP region, with no nesting
 * allowed, the batch runs on the calling thread only. */
START_TEST(one_worker_inside_a_region_without_nesting)
{
    df_engine *e = engine();
    threads_seen t = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, {0}};
    pthread_t caller = pthread_self();
    omp_set_max_active_levels(1);
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 0) {
            caller = pthread_self();
            run_junk(e, 2, &t);
        }
    }
    ck_assert_int_eq(t.n, 8);
    for (int i = 0; i < t.n; i++)
        ck_assert(pthread_equal(t.who[i], caller));
    df_engine_free(e);
}
END_TEST

START_TEST(arguments_are_checked)
{
    ck_assert_ptr_null(df_batch_new(NULL));
    df_engine *e = engine();
    df_batch *b = df_batch_new(e);
    ck_assert_int_eq(df_batch_set_workers(b, -1), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_batch_set_workers(b, DF_BATCH_MAX_WORKERS + 1), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_batch_set_workers(b, 0), DF_OK);
    ck_assert_int_eq(df_batch_add_file(b, NULL), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_batch_add_memory(b, NULL, 5, "x"), DF_E_INVALID_ARGUMENT);
    ck_assert_uint_eq(df_batch_count(b), 0);
    ck_assert_ptr_null(df_batch_result(b, 0));
    df_batch_progress p;
    df_batch_get_progress(b, &p);
    ck_assert_uint_eq(p.docs_total, 0);
    ck_assert_int_eq(df_batch_run(b), DF_OK); /* empty: nothing to do */
    ck_assert_int_eq(df_batch_run(b), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_batch_add_file(b, FX "sample-invoice.pdf"), DF_E_INVALID_ARGUMENT);
    ck_assert_ptr_null(df_batch_result(b, 0));
    df_batch_free(b);
    df_batch_free(NULL);
    df_batch_cancel(NULL);
    ck_assert_int_eq(df_batch_run(NULL), DF_E_INVALID_ARGUMENT);
    df_engine_free(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("batch");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, arguments_are_checked);
    tcase_add_test(tc, memory_inputs_keep_their_names);
    tcase_add_test(tc, cancel_before_run_cancels_everything);
    tcase_add_test(tc, pages_of_one_pdf_go_to_every_worker);
    tcase_add_test(tc, cancel_midway_keeps_what_finished);
    tcase_add_test(tc, documents_open_largest_first);
    tcase_add_test(tc, workers_are_plain_threads);
    tcase_add_test(tc, one_worker_inside_a_region_without_nesting);
    tcase_add_test(tc, same_results_as_single_calls_at_any_worker_count);
    suite_add_tcase(s, tc);
    return df_test_run(s);
}
