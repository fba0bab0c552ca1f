/*
 * batch.c — df_batch: many documents, a few worker threads, results in
 * submission order.
 *
 * Work is handed out one unit at a time from a scheduler under one mutex:
 * "open document d" or "page p of document d" (job.h runs them). A worker
 * first continues the document it holds a reader on, then opens the next
 * document, and only when none is left helps with the pages of documents
 * other workers opened (PDF only: each helper opens its own MuPDF handle on
 * the same bytes). That keeps every core busy on a long PDF at the end of a
 * batch while a batch of small documents costs no extra reader. Dynamic by
 * construction: a slow document never holds up the queue behind it.
 *
 * Documents are opened largest first (bytes of the file or buffer: a
 * scan's bytes follow its pixels, and pixels are what OCR costs), results
 * still kept in the order added. Handed out in submission order, a large
 * scan added last runs alone at the end while the other workers idle:
 * with 2 workers and 12 receipts, one 4961x7016 scan last cost 20 % of
 * the speed-up a balanced split gets (bench/batch.sh). Largest first, the
 * last documents to start are the smallest, so the workers finish nearly
 * together (the longest-processing-time-first rule).
 *
 * Memory: a worker holds at most one reader and one page's pixels; a
 * document's bytes are freed as soon as its last page is done and the last
 * reader on them is closed (refs), so peak memory follows the number of
 * workers, not the number of documents.
 *
 * Cancellation is a flag (df_batch_cancel stores it atomically, safe in a
 * signal handler): no document is opened after it; pages of opened
 * documents still handed out fail at once with `cancelled` (Tesseract's
 * monitor abandons a page in progress, and MuPDF a page it interprets:
 * core/stop.h, the path the document's deadline takes too), so every
 * opened document still
 * reaches df_job_finish and releases everything. Documents never opened
 * get a `cancelled` result when the team ends.
 */
#include "core/job.h"

#include <omp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum item_state { ITEM_QUEUED = 0, ITEM_OPEN, ITEM_DONE };

typedef struct item {
    char *path;           /* file input; NULL for memory */
    const void *data;     /* memory input (not owned) */
    size_t len;
    char *name;           /* memory input's name; may be NULL */
    df_result *result;
    df_job job;
    enum item_state state;
    int shareable;        /* pages may go to other workers' readers */
    size_t next_page;     /* next page to hand out */
    size_t inflight;      /* pages handed out, not yet back */
    int refs;             /* readers open on the bytes + 1 until finished */
    uint64_t bytes;       /* size, for the opening order (set by df_batch_run) */
} item;

struct df_batch {
    df_engine *e;
    item *items;
    size_t n, cap;
    int workers;
    int ran;
    df_progress_fn progress;
    void *progress_ud;
    df_result_fn on_result;
    void *result_ud;
    volatile int cancel;
    pthread_mutex_t lock;    /* the scheduler and the counters below */
    pthread_cond_t changed;  /* an open finished: there may be pages to share */
    pthread_mutex_t cb_lock; /* serialises the caller's callbacks */
    size_t *order;           /* item indices, largest first: the order documents are opened */
    size_t next_open, opening; /* next_open indexes order */
    size_t docs_done, docs_failed, docs_opened, pages_total, pages_done;
    struct timespec t0;
    double elapsed_final;    /* < 0 while running or before */
};

typedef struct worker {
    df_batch *b;
    df_ocr_lease lease;
    df_reader *rd;
    size_t rd_item;          /* item rd reads; valid when rd != NULL */
} worker;

typedef struct unit {
    enum { UNIT_NONE, UNIT_OPEN, UNIT_PAGE } kind;
    size_t item, page;
} unit;

/* ---- building -------------------------------------------------------- */

df_batch *df_batch_new(df_engine *engine)
{
    if (!engine)
        return NULL;
    df_batch *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->e = engine;
    b->elapsed_final = -1;
    pthread_mutex_init(&b->lock, NULL);
    pthread_mutex_init(&b->cb_lock, NULL);
    pthread_cond_init(&b->changed, NULL);
    return b;
}

void df_batch_free(df_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->items[i].path);
        free(b->items[i].name);
        df_result_free(b->items[i].result);
    }
    free(b->items);
    free(b->order);
    pthread_mutex_destroy(&b->lock);
    pthread_mutex_destroy(&b->cb_lock);
    pthread_cond_destroy(&b->changed);
    free(b);
}

static item *add_item(df_batch *b)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        item *grown = realloc(b->items, cap * sizeof *grown);
        if (!grown)
            return NULL;
        b->items = grown;
        b->cap = cap;
    }
    item *it = &b->items[b->n];
    memset(it, 0, sizeof *it);
    return it;
}

df_code df_batch_add_file(df_batch *b, const char *path)
{
    if (!b || !path || b->ran)
        return DF_E_INVALID_ARGUMENT;
    item *it = add_item(b);
    if (!it || !(it->path = strdup(path)))
        return DF_E_NO_MEMORY;
    b->n++;
    return DF_OK;
}

df_code df_batch_add_memory(df_batch *b, const void *data, size_t len, const char *name)
{
    if (!b || (!data && len > 0) || b->ran)
        return DF_E_INVALID_ARGUMENT;
    item *it = add_item(b);
    if (!it || (name && !(it->name = strdup(name))))
        return DF_E_NO_MEMORY;
    it->data = data;
    it->len = len;
    b->n++;
    return DF_OK;
}

df_code df_batch_set_workers(df_batch *b, int workers)
{
    if (!b || workers < 0 || workers > DF_BATCH_MAX_WORKERS)
        return DF_E_INVALID_ARGUMENT;
    b->workers = workers;
    return DF_OK;
}

void df_batch_set_progress(df_batch *b, df_progress_fn fn, void *userdata)
{
    if (b) {
        b->progress = fn;
        b->progress_ud = userdata;
    }
}

void df_batch_set_on_result(df_batch *b, df_result_fn fn, void *userdata)
{
    if (b) {
        b->on_result = fn;
        b->result_ud = userdata;
    }
}

void df_batch_cancel(df_batch *b)
{
    if (b)
        __atomic_store_n(&b->cancel, 1, __ATOMIC_SEQ_CST);
}

static int cancelled(const df_batch *b)
{
    return __atomic_load_n(&b->cancel, __ATOMIC_SEQ_CST) != 0;
}

size_t df_batch_count(const df_batch *b)
{
    return b ? b->n : 0;
}

const df_result *df_batch_result(const df_batch *b, size_t index)
{
    return b && index < b->n && b->elapsed_final >= 0 ? b->items[index].result : NULL;
}

/* ---- progress -------------------------------------------------------- */

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Caller holds b->lock. Documents not yet opened are expected to have as
 * many pages as the mean of those opened so far (one before any). */
static void snapshot(df_batch *b, df_batch_progress *p)
{
    memset(p, 0, sizeof *p);
    p->docs_total = b->n;
    p->docs_done = b->docs_done;
    p->docs_failed = b->docs_failed;
    p->pages_total = b->pages_total;
    p->pages_done = b->pages_done;
    if (b->elapsed_final >= 0) {
        p->elapsed_seconds = b->elapsed_final;
        return;
    }
    if (!b->ran)
        return;
    p->elapsed_seconds = seconds_since(&b->t0);
    p->seconds_remaining = -1;
    if (b->pages_done == 0)
        return;
    double per_doc = b->docs_opened ? (double)b->pages_total / (double)b->docs_opened : 1.0;
    double left = (double)(b->pages_total - b->pages_done) +
                  (double)(b->n - b->docs_opened) * per_doc;
    p->seconds_remaining = left * p->elapsed_seconds / (double)b->pages_done;
}

void df_batch_get_progress(df_batch *b, df_batch_progress *out)
{
    if (!out)
        return;
    if (!b) {
        memset(out, 0, sizeof *out);
        return;
    }
    pthread_mutex_lock(&b->lock);
    snapshot(b, out);
    pthread_mutex_unlock(&b->lock);
}

static void report_progress(df_batch *b)
{
    if (!b->progress)
        return;
    df_batch_progress p;
    pthread_mutex_lock(&b->cb_lock);
    df_batch_get_progress(b, &p);
    b->progress(b->progress_ud, &p);
    pthread_mutex_unlock(&b->cb_lock);
}

static void report_result(df_batch *b, size_t index)
{
    if (b->on_result && b->items[index].result) {
        pthread_mutex_lock(&b->cb_lock);
        b->on_result(b->result_ud, index, b->items[index].result);
        pthread_mutex_unlock(&b->cb_lock);
    }
    report_progress(b);
}

/* ---- scheduling (all under b->lock) ------------------------------------ */

static int has_pages(const item *it)
{
    return it->state == ITEM_OPEN && it->next_page < it->job.doc.npages;
}

static void hand_page(item *it, size_t index, unit *u)
{
    *u = (unit){UNIT_PAGE, index, it->next_page++};
    it->inflight++;
}

static int take_unit(df_batch *b, const worker *w, unit *u)
{
    for (;;) {
        if (w->rd && has_pages(&b->items[w->rd_item])) {
            hand_page(&b->items[w->rd_item], w->rd_item, u);
            return 1;
        }
        if (b->next_open < b->n && !cancelled(b)) {
            *u = (unit){UNIT_OPEN, b->order ? b->order[b->next_open] : b->next_open, 0};
            b->next_open++;
            b->opening++;
            return 1;
        }
        for (size_t i = 0; i < b->n; i++)
            if (b->items[i].shareable && has_pages(&b->items[i])) {
                hand_page(&b->items[i], i, u);
                return 1;
            }
        if (b->opening == 0)
            return 0;
        /* a document being opened may bring pages to share */
        pthread_cond_wait(&b->changed, &b->lock);
    }
}

/* Drop one reference to an item's bytes; the last one frees them. */
static void unref(item *it)
{
    if (--it->refs == 0)
        df_job_release_data(&it->job);
}

/* ---- running units ------------------------------------------------------- */

static void close_reader(worker *w)
{
    if (!w->rd)
        return;
    df_reader_free(w->rd);
    w->rd = NULL;
    pthread_mutex_lock(&w->b->lock);
    unref(&w->b->items[w->rd_item]);
    pthread_mutex_unlock(&w->b->lock);
}

static void finish_item(df_batch *b, size_t index)
{
    item *it = &b->items[index];
    df_result *r = df_job_finish(&it->job);
    pthread_mutex_lock(&b->lock);
    it->result = r;
    it->state = ITEM_DONE;
    b->docs_done++;
    b->docs_failed += !r || df_result_code(r) != DF_OK;
    if (it->refs > 0)
        unref(it);
    else
        df_job_release_data(&it->job); /* it failed before any reader opened */
    pthread_mutex_unlock(&b->lock);
    report_result(b, index);
}

static void run_open(worker *w, size_t index)
{
    df_batch *b = w->b;
    item *it = &b->items[index];
    df_code rc = it->path ? df_job_start_file(&it->job, b->e, it->path)
                          : df_job_start_memory(&it->job, b->e, it->data, it->len, it->name);
    df_reader *rd = NULL;
    if (rc == DF_OK)
        rc = df_job_open(&it->job, &b->cancel, &rd);
    close_reader(w);
    pthread_mutex_lock(&b->lock);
    b->opening--;
    b->docs_opened++;
    if (rc == DF_OK) {
        it->state = ITEM_OPEN;
        it->shareable = df_reader_shareable(rd);
        it->refs = 2; /* this reader + until finished */
        b->pages_total += it->job.doc.npages;
        w->rd = rd;
        w->rd_item = index;
    }
    if (rc != DF_OK && !it->job.r) { /* no memory even for the result */
        it->state = ITEM_DONE;
        b->docs_done++;
        b->docs_failed++;
    }
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->lock);
    if (rc == DF_OK && it->job.doc.npages == 0)
        close_reader(w);
    if (it->job.r && (rc != DF_OK || it->job.doc.npages == 0))
        finish_item(b, index);
    else if (rc != DF_OK)
        report_progress(b);
}

/* A helper's own reader on another worker's PDF. */
static df_code reader_for(worker *w, size_t index, df_err *err)
{
    if (w->rd && w->rd_item == index)
        return DF_OK;
    close_reader(w);
    item *it = &w->b->items[index];
    df_code rc = df_job_reader(&it->job, &w->rd, err);
    if (rc == DF_OK) {
        pthread_mutex_lock(&w->b->lock);
        it->refs++;
        w->rd_item = index;
        pthread_mutex_unlock(&w->b->lock);
    }
    return rc;
}

static void run_page(worker *w, size_t index, size_t page)
{
    df_batch *b = w->b;
    item *it = &b->items[index];
    df_err err = {0};
    df_code rc = reader_for(w, index, &err);
    if (rc == DF_OK)
        rc = df_job_page(&it->job, w->rd, &w->lease, page, &err);
    pthread_mutex_lock(&b->lock);
    it->inflight--;
    b->pages_done++;
    if (rc != DF_OK) {
        df_job_fail(&it->job, page, &err);
        /* later pages cannot change the outcome: count them as done */
        b->pages_done += it->job.doc.npages - it->next_page;
        it->next_page = it->job.doc.npages;
    }
    int last = it->next_page == it->job.doc.npages && it->inflight == 0;
    pthread_mutex_unlock(&b->lock);
    if (last) {
        if (w->rd && w->rd_item == index)
            close_reader(w);
        finish_item(b, index);
    } else {
        report_progress(b);
    }
}

static void work(df_batch *b)
{
    worker w = {b, {b->e->ocr, NULL}, NULL, 0};
    unit u;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        int got = take_unit(b, &w, &u);
        pthread_mutex_unlock(&b->lock);
        if (!got)
            break;
        if (u.kind == UNIT_OPEN)
            run_open(&w, u.item);
        else
            run_page(&w, u.item, u.page);
    }
    close_reader(&w);
    df_ocr_lease_end(&w.lease);
}

/* Documents the cancel left unopened. */
static void cancel_rest(df_batch *b)
{
    df_err err = {0};
    df_err_set(&err, DF_E_CANCELLED, "not processed: the batch was cancelled");
    for (size_t i = 0; i < b->n; i++) {
        item *it = &b->items[i];
        if (it->state != ITEM_QUEUED || it->result)
            continue;
        it->result = df_job_error_result(it->path ? it->path : it->name ? it->name : "(memory)",
                                         &err);
        it->state = ITEM_DONE;
        pthread_mutex_lock(&b->lock);
        b->docs_done++;
        b->docs_failed++;
        pthread_mutex_unlock(&b->lock);
        report_result(b, i);
    }
}

/* Largest first; equal sizes in the order added. */
static int by_bytes_desc(const void *a, const void *b, void *ctx)
{
    const item *it = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (it[i].bytes != it[j].bytes)
        return it[i].bytes < it[j].bytes ? 1 : -1;
    return (i > j) - (i < j);
}

/* The opening order (b->order; NULL when out of memory: the order added). */
static void order_by_size(df_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        item *it = &b->items[i];
        struct stat st;
        it->bytes = it->path ? (stat(it->path, &st) == 0 ? (uint64_t)st.st_size : 0) : it->len;
    }
    b->order = malloc((b->n ? b->n : 1) * sizeof *b->order);
    if (!b->order)
        return;
    for (size_t i = 0; i < b->n; i++)
        b->order[i] = i;
    qsort_r(b->order, b->n, sizeof *b->order, by_bytes_desc, b->items);
}

static void *worker_main(void *arg)
{
    work(arg);
    return NULL;
}

/* nw workers: the calling thread and nw - 1 plain threads. Not an OpenMP
 * team: Tesseract opens an OpenMP region for nearly every LSTM step, which
 * ocr/omp_guard.c runs as a plain call only outside a team of several
 * threads; inside one, libgomp takes its nested-team path (114 266 futex
 * calls for one receipt through a team, none from a plain thread). The
 * OpenMP contract stays: inside the caller's active region with no nesting
 * allowed, one worker. A thread that cannot be started leaves its share to
 * the others. */
static void run_workers(df_batch *b, int nw)
{
    if (omp_in_parallel() && omp_get_active_level() >= omp_get_max_active_levels())
        nw = 1;
    pthread_t th[DF_BATCH_MAX_WORKERS];
    int started = 0;
    for (int i = 1; i < nw; i++)
        if (pthread_create(&th[started], NULL, worker_main, b) == 0)
            started++;
    work(b);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

static int default_workers(void)
{
    int n = omp_get_num_procs();
    return n < 1 ? 1 : n > DF_BATCH_MAX_WORKERS ? DF_BATCH_MAX_WORKERS : n;
}

df_code df_batch_run(df_batch *b)
{
    if (!b || b->ran)
        return DF_E_INVALID_ARGUMENT;
    order_by_size(b);
    pthread_mutex_lock(&b->lock);
    b->ran = 1;
    clock_gettime(CLOCK_MONOTONIC, &b->t0);
    pthread_mutex_unlock(&b->lock);
    int nw = b->workers > 0 ? b->workers : default_workers();
    run_workers(b, nw);
    cancel_rest(b);
    int any_cancelled = 0;
    for (size_t i = 0; i < b->n; i++)
        any_cancelled |= b->items[i].result &&
                         df_result_code(b->items[i].result) == DF_E_CANCELLED;
    pthread_mutex_lock(&b->lock);
    b->elapsed_final = seconds_since(&b->t0);
    pthread_mutex_unlock(&b->lock);
    report_progress(b);
    return any_cancelled && cancelled(b) ? DF_E_CANCELLED : DF_OK;
}
