/*
 * queue.c — worker threads: claim, extract, complete. See queue.h.
 *
 * Slots: `free_slots` counts workers not extracting. A worker takes one
 * slot to claim a file, one worker at a time (`claiming`); a gang takes
 * every free slot; a synchronous extraction takes one before any worker
 * may claim again (sync_waiting).
 * Idle workers sleep on `wake` until queue_kick bumps `gen`, a slot frees
 * up, or SRV_IDLE_POLL_SECONDS pass (to take over files whose lease ran
 * out, e.g. from another machine sharing the store).
 *
 * Running extractions are listed in `runs` (under `lock`) so that the stop
 * can cancel them and the estimate can see how far they got.
 */
#include "queue.h"

#include "crashpoint.h"
#include "datadir.h"
#include "estimate.h"
#include "server_limits.h"
#include "metrics.h"
#include "server.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* An extraction in progress (a worker's or a synchronous one). */
struct run {
    df_batch *batch;  /* NULL: the slot of `runs` is free */
    char format[STORE_FORMAT_MAX];
    double started;   /* srv_mono() */
    int threads;
};

struct queue {
    struct server *srv;
    pthread_t threads[SRV_MAX_WORKERS];
    int nthreads;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int free_slots;
    int lent;         /* slots lent to PDFs running on several threads (gangs) */
    int claiming;     /* a worker is claiming: one at a time (see gang_size) */
    int sync_waiting;
    unsigned long gen;
    int stopping;
    struct run runs[2 * SRV_MAX_WORKERS]; /* workers' and synchronous ones */
};

/* ------------------------------------------------------------------ */
/* One extraction                                                       */
/* ------------------------------------------------------------------ */

/* The file's bytes, mapped read-only. NULL when it cannot be read. */
static void *map_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    void *p = NULL;
    if (fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size > 0) {
        p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        *len = (size_t)sb.st_size;
        if (p == MAP_FAILED)
            p = NULL;
    }
    if (fd >= 0)
        close(fd);
    return p;
}

static int run_register(struct queue *q, df_batch *b, const char *format, int threads)
{
    pthread_mutex_lock(&q->lock);
    int i = 0;
    while (i < 2 * SRV_MAX_WORKERS && q->runs[i].batch)
        i++;
    if (i < 2 * SRV_MAX_WORKERS) {
        q->runs[i].batch = b;
        snprintf(q->runs[i].format, sizeof q->runs[i].format, "%s", format);
        q->runs[i].started = srv_mono();
        q->runs[i].threads = threads;
        if (q->stopping)
            df_batch_cancel(b);
    }
    pthread_mutex_unlock(&q->lock);
    return i;
}

static void run_unregister(struct queue *q, int i)
{
    pthread_mutex_lock(&q->lock);
    if (i < 2 * SRV_MAX_WORKERS)
        q->runs[i].batch = NULL;
    pthread_mutex_unlock(&q->lock);
}

/* Extract data as `name` on `threads` threads; the result is the batch's. */
static df_batch *extract(struct queue *q, const void *data, size_t len, const char *name,
                         const char *format, int threads, double *seconds)
{
    df_batch *b = df_batch_new(q->srv->engine);
    if (!b || df_batch_add_memory(b, data, len, name) != DF_OK ||
        df_batch_set_workers(b, threads) != DF_OK) {
        df_batch_free(b);
        return NULL;
    }
    int slot = run_register(q, b, format, threads);
    double t0 = srv_mono();
    df_batch_run(b);
    *seconds = srv_mono() - t0;
    run_unregister(q, slot);
    return b;
}

/* The failed result a file gets when it cannot even be read: the library's
 * own failed shape (an empty input's), with this code and message. */
static char *failed_json(struct server *srv, uint32_t index, const char *key, const char *code,
                         const char *message)
{
    df_result *r = NULL;
    df_extract_memory(srv->engine, "", 0, key, &r);
    char *s = r ? df_result_to_json(r, index, key, 0) : NULL;
    df_result_free(r);
    cJSON *o = s ? cJSON_Parse(s) : NULL;
    df_free(s);
    cJSON *e = o ? cJSON_GetObjectItemCaseSensitive(o, "error") : NULL;
    if (e) {
        cJSON_ReplaceItemInObjectCaseSensitive(e, "code", cJSON_CreateString(code));
        cJSON_ReplaceItemInObjectCaseSensitive(e, "message", cJSON_CreateString(message));
    }
    char *out = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return out;
}

/* Sleep `secs` unless the server stops first; 1 when it is stopping. */
static int pause_unless_stopping(struct queue *q, double secs)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += (time_t)secs;
    until.tv_nsec += (long)((secs - (double)(time_t)secs) * 1e9);
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&q->lock);
    while (!q->stopping && pthread_cond_timedwait(&q->wake, &q->lock, &until) != ETIMEDOUT)
        ;
    int stopping = q->stopping;
    pthread_mutex_unlock(&q->lock);
    return stopping;
}

/* Store a file's result. When the store cannot take it (a full disk, a
 * store that does not answer) the result is kept in memory and stored
 * again after 1, 2, 4 ... SRV_STORE_RETRY_MAX_SECONDS: a result is never
 * dropped. A stop in the meantime gives the file back (or, if even that
 * fails, leaves its lease to the next start): it is extracted again. */
static void complete(struct queue *q, const st_claim *c, const char *json, const char *code,
                     int pages, double secs, int threads)
{
    struct server *srv = q->srv;
    double work = secs * threads;
    struct estimate_samples es;
    estimate_samples(c->format, work, code ? 0 : pages, &es);
    st_outcome o = {json, code, pages, work, es.v, es.n};
    int done = 0;
    double wait = 1;
    crash_point("result", NULL); /* extracted, the result not committed */
    for (int tries = 1;; tries++) {
        int rc = store_complete(srv->st, c, &o, srv_now(), &done);
        if (rc == STORE_OK || rc == STORE_CONFLICT) { /* conflict: done by another, kept */
            if (rc == STORE_OK)
                metrics_file_done(code, pages, secs, threads);
            if (rc == STORE_OK && done) {
                metrics_batch_completed();
                webhooks_kick(srv->webhooks); /* its delivery, made by store_complete, goes now */
            }
            if (tries > 1)
                fprintf(stderr, "docflow: the result of batch %s file %u was stored at try %d\n",
                        c->batch_id, c->index, tries);
            return;
        }
        if (tries == 1)
            fprintf(stderr, "docflow: storing the result of batch %s file %u failed (%s): "
                    "kept in memory, trying again\n", c->batch_id, c->index, store_error(srv->st));
        metrics_store_retry();
        if (pause_unless_stopping(q, wait)) {
            store_release(srv->st, c);
            return;
        }
        wait = wait * 2 > SRV_STORE_RETRY_MAX_SECONDS ? SRV_STORE_RETRY_MAX_SECONDS : wait * 2;
    }
}

/* Complete a file with a failed result of `code` saying `msg`. */
static void complete_failed(struct queue *q, const st_claim *c, const char *key,
                            const char *code, const char *msg)
{
    char *json = failed_json(q->srv, c->index, key, code, msg);
    if (json)
        complete(q, c, json, code, 0, 0, 1);
    free(json);
}

/* The test crash point "extract", with the file's uploaded name. */
static void crash_extract(struct server *srv, const st_claim *c)
{
    st_file f;
    if (crash_armed("extract") && store_file_get(srv->st, c->batch_id, c->index, &f) == STORE_OK)
        crash_point("extract", f.filename);
}

/* Extract a claimed file on `threads` threads and complete it (or give it
 * back when the server is stopping). A file whose last SRV_MAX_ATTEMPTS
 * extractions never finished (the server died each time: a poison file)
 * is not tried again: it fails with internal_error and its batch goes on. */
static void run_claim(struct queue *q, const st_claim *c, int threads)
{
    struct server *srv = q->srv;
    char path[DATADIR_PATH_MAX], key[128], msg[320];
    size_t len = 0;
    double secs = 0;
    datadir_file_key(c->batch_id, c->index, c->format, key, sizeof key);
    if (c->attempt > SRV_MAX_ATTEMPTS) {
        snprintf(msg, sizeof msg, "%s: extraction was started %d times and the server stopped "
                 "each time before it finished; the file is not tried again", key,
                 c->attempt - 1);
        complete_failed(q, c, key, "internal_error", msg);
        return;
    }
    void *data = datadir_input_path(srv->cfg.data_dir, c->batch_id, c->index, c->format, path,
                                    sizeof path) == 0 ? map_file(path, &len) : NULL;
    if (!data) { /* accepted, synced, then gone: nothing to extract, say so */
        snprintf(msg, sizeof msg, "%s: the stored file cannot be read (%s)", key,
                 strerror(errno));
        complete_failed(q, c, key, "internal_error", msg);
        return;
    }
    crash_extract(srv, c);
    df_batch *b = extract(q, data, len, key, c->format, threads, &secs);
    const df_result *r = b ? df_batch_result(b, 0) : NULL;
    if (r && df_result_code(r) == DF_E_CANCELLED && q->stopping) {
        store_release(srv->st, c); /* stopped: back to the queue, the attempt given back */
    } else if (r) {
        char *json = df_result_to_json(r, c->index, key, 0);
        df_code code = df_result_code(r);
        if (json)
            complete(q, c, json, code == DF_OK ? NULL : df_code_name(code),
                     (int)df_result_page_count(r), secs, threads);
        df_free(json);
    }
    df_batch_free(b);
    munmap(data, len);
}

/* ------------------------------------------------------------------ */
/* Workers                                                              */
/* ------------------------------------------------------------------ */

/* A PDF with nothing else waiting gets the idle slots too (the caller holds
 * one, and is the only worker claiming: no other worker holds a slot just
 * to look for work, so the free slots are the idle workers). */
static int gang_size(struct queue *q, const st_claim *c)
{
    int waiting;
    if (strcmp(c->format, "pdf") != 0)
        return 0;
    pthread_mutex_lock(&q->lock);
    int idle = q->free_slots;
    pthread_mutex_unlock(&q->lock);
    if (idle == 0 || store_runnable(q->srv->st, srv_now(), &waiting) != STORE_OK || waiting > 0)
        return 0;
    pthread_mutex_lock(&q->lock);
    int extra = q->sync_waiting ? 0 : q->free_slots;
    q->free_slots -= extra;
    q->lent += extra;
    pthread_mutex_unlock(&q->lock);
    return extra;
}

static void wait_for_work(struct queue *q, int *try_now, unsigned long seen)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += SRV_IDLE_POLL_SECONDS;
    while (!q->stopping && (q->free_slots == 0 || q->sync_waiting > 0 || q->claiming ||
                            (!*try_now && seen == q->gen)))
        if (pthread_cond_timedwait(&q->wake, &q->lock, &until) == ETIMEDOUT) {
            *try_now = 1; /* look for leases that ran out */
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_sec += SRV_IDLE_POLL_SECONDS;
        }
}

static void *worker_main(void *arg)
{
    struct queue *q = arg;
    struct server *srv = q->srv;
    int try_now = 1;
    unsigned long seen = 0;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        wait_for_work(q, &try_now, seen);
        if (q->stopping)
            break;
        q->free_slots--;
        q->claiming = 1;
        seen = q->gen;
        pthread_mutex_unlock(&q->lock);
        st_claim c;
        int64_t now = srv_now();
        int rc = store_claim(srv->st, srv->instance, now, now + SRV_LEASE_SECONDS, &c);
        int extra = rc == STORE_OK ? gang_size(q, &c) : 0;
        pthread_mutex_lock(&q->lock);
        q->claiming = 0;
        pthread_cond_broadcast(&q->wake);
        pthread_mutex_unlock(&q->lock);
        if (rc == STORE_OK)
            run_claim(q, &c, 1 + extra);
        else if (rc == STORE_ERROR)
            fprintf(stderr, "docflow: claiming a file failed: %s\n", store_error(srv->st));
        pthread_mutex_lock(&q->lock);
        q->free_slots += 1 + extra;
        q->lent -= extra;
        try_now = rc == STORE_OK; /* after a file, look for the next at once */
        pthread_cond_broadcast(&q->wake);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

struct queue *queue_start(struct server *srv, char *err)
{
    struct queue *q = calloc(1, sizeof *q);
    if (!q) {
        snprintf(err, 512, "out of memory");
        return NULL;
    }
    q->srv = srv;
    q->free_slots = srv->workers;
    pthread_mutex_init(&q->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&q->wake, &ca);
    pthread_condattr_destroy(&ca);
    for (; q->nthreads < srv->workers; q->nthreads++)
        if (pthread_create(&q->threads[q->nthreads], NULL, worker_main, q) != 0) {
            snprintf(err, 512, "cannot start worker %d: %s", q->nthreads + 1, strerror(errno));
            queue_stop(q);
            queue_free(q);
            return NULL;
        }
    return q;
}

void queue_stop(struct queue *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->lock);
    q->stopping = 1;
    for (int i = 0; i < 2 * SRV_MAX_WORKERS; i++)
        if (q->runs[i].batch)
            df_batch_cancel(q->runs[i].batch);
    pthread_cond_broadcast(&q->wake);
    pthread_mutex_unlock(&q->lock);
    for (int i = 0; i < q->nthreads; i++)
        pthread_join(q->threads[i], NULL);
    q->nthreads = 0;
}

void queue_free(struct queue *q)
{
    if (!q)
        return;
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->wake);
    free(q);
}

void queue_kick(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->gen++;
    pthread_cond_broadcast(&q->wake);
    pthread_mutex_unlock(&q->lock);
}

int queue_extract(struct queue *q, const char *path, const char *name, char **json)
{
    size_t len = 0;
    double secs;
    *json = NULL;
    pthread_mutex_lock(&q->lock);
    q->sync_waiting++;
    while (!q->stopping && q->free_slots == 0)
        pthread_cond_wait(&q->wake, &q->lock);
    q->sync_waiting--;
    int stopping = q->stopping;
    if (!stopping)
        q->free_slots--;
    pthread_mutex_unlock(&q->lock);
    if (stopping)
        return -1;
    void *data = map_file(path, &len);
    df_batch *b = extract(q, data ? data : "", data ? len : 0, name, "", 1, &secs);
    const df_result *r = b ? df_batch_result(b, 0) : NULL;
    if (r && !(df_result_code(r) == DF_E_CANCELLED && q->stopping))
        *json = df_result_to_json(r, 0, name, 0);
    df_batch_free(b);
    if (data)
        munmap(data, len);
    pthread_mutex_lock(&q->lock);
    q->free_slots++;
    pthread_cond_broadcast(&q->wake);
    pthread_mutex_unlock(&q->lock);
    return *json ? 0 : -1;
}

int queue_busy(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    int busy = q->srv->workers - q->free_slots;
    pthread_mutex_unlock(&q->lock);
    return busy < 0 ? 0 : busy;
}

int queue_lent(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    int lent = q->lent;
    pthread_mutex_unlock(&q->lock);
    return lent;
}

double queue_running_work(struct queue *q)
{
    struct run copy[2 * SRV_MAX_WORKERS];
    df_batch_progress p[2 * SRV_MAX_WORKERS];
    int n = 0;
    pthread_mutex_lock(&q->lock); /* progress read under the lock: the batch stays alive */
    for (int i = 0; i < 2 * SRV_MAX_WORKERS; i++)
        if (q->runs[i].batch) {
            copy[n] = q->runs[i];
            df_batch_get_progress(q->runs[i].batch, &p[n++]);
        }
    pthread_mutex_unlock(&q->lock);
    double work = 0, now = srv_mono();
    for (int i = 0; i < n; i++) {
        double left;
        if (p[i].pages_total > p[i].pages_done)
            left = (double)(p[i].pages_total - p[i].pages_done) *
                   estimate_page_seconds(q->srv->st, copy[i].format);
        else
            left = estimate_file_seconds(q->srv->st, copy[i].format) -
                   (now - copy[i].started) * copy[i].threads;
        work += left > 0 ? left : 0;
    }
    return work;
}
