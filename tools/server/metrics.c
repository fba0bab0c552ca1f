/*
 * metrics.c — process-wide counters and their Prometheus text. See metrics.h.
 *
 * Requests are counted by route (the route table's names, plus "other" for
 * paths no route has) and status (the codes the API answers with, plus
 * "other"), in a fixed table, so counting never allocates or locks; so are
 * the histograms' buckets. Failures are counted by error code in a small
 * table whose slots are claimed once per code (a compare-and-swap).
 */
#include "metrics.h"

#include "queue.h"
#include "server.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const route_names[] = {"healthz", "metrics", "batch_submit", "batch_status",
                                          "extract", "download", "other"};
enum { NROUTES = sizeof route_names / sizeof *route_names };
static const unsigned statuses[] = {200, 202, 204, 400, 401, 403, 404, 405, 409, 410, 413,
                                    415, 429, 431, 500, 503, 507, 0 /* other */};
enum { NSTATUS = sizeof statuses / sizeof *statuses };

/* Histogram bounds, seconds: a status poll takes milliseconds, an upload of
 * 100 files or a synchronous extraction seconds; an extraction 0.1 s (a PDF
 * text layer) to minutes (a 50-page scan). */
static const double latency_le[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
static const double extract_le[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300};
enum { NLAT = sizeof latency_le / sizeof *latency_le, NEXT = sizeof extract_le / sizeof *extract_le };

struct histogram {
    atomic_ullong bucket[16]; /* per bound, then +Inf; not cumulative here */
    atomic_ullong count, sum_us;
};

#define NCODES 32 /* distinct error codes counted; the library has fewer */

static atomic_ullong requests[NROUTES][NSTATUS];
static struct histogram latency[NROUTES], extraction;
static atomic_ullong batches_accepted, batches_completed, files_processed, files_failed;
static atomic_ullong pages_processed, store_retries, busy_us;
static _Atomic(const char *) code_names[NCODES];
static atomic_ullong code_counts[NCODES];
static double started_mono;

static void observe(struct histogram *h, const double *le, size_t n, double seconds)
{
    size_t b = 0;
    while (b < n && seconds > le[b])
        b++;
    atomic_fetch_add(&h->bucket[b], 1);
    atomic_fetch_add(&h->count, 1);
    atomic_fetch_add(&h->sum_us, (unsigned long long)(seconds * 1e6));
}

void metrics_start(double mono)
{
    started_mono = mono;
}

void metrics_request(const char *route, unsigned status, double seconds)
{
    size_t r = NROUTES - 1, s = NSTATUS - 1;
    for (size_t i = 0; i < NROUTES - 1; i++)
        if (!strcmp(route, route_names[i]))
            r = i;
    for (size_t i = 0; i < NSTATUS - 1; i++)
        if (statuses[i] == status)
            s = i;
    atomic_fetch_add(&requests[r][s], 1);
    observe(&latency[r], latency_le, NLAT, seconds);
}

void metrics_batch_accepted(void)
{
    atomic_fetch_add(&batches_accepted, 1);
}

void metrics_batch_completed(void)
{
    atomic_fetch_add(&batches_completed, 1);
}

/* The slot of an error code (a static string): found, or claimed. */
static int code_slot(const char *code)
{
    for (int i = 0; i < NCODES; i++) {
        const char *have = atomic_load(&code_names[i]);
        if (!have) {
            const char *expected = NULL;
            if (atomic_compare_exchange_strong(&code_names[i], &expected, code))
                return i;
            have = expected;
        }
        if (!strcmp(have, code))
            return i;
    }
    return -1;
}

void metrics_file_done(const char *error_code, int pages, double seconds, int threads)
{
    atomic_fetch_add(&files_processed, 1);
    atomic_fetch_add(&pages_processed, (unsigned long long)(pages > 0 ? pages : 0));
    atomic_fetch_add(&busy_us, (unsigned long long)(seconds * threads * 1e6));
    observe(&extraction, extract_le, NEXT, seconds);
    if (error_code) {
        atomic_fetch_add(&files_failed, 1);
        int i = code_slot(error_code);
        if (i >= 0)
            atomic_fetch_add(&code_counts[i], 1);
    }
}

void metrics_store_retry(void)
{
    atomic_fetch_add(&store_retries, 1);
}

/* A growing text buffer. */
struct text {
    char *s;
    size_t len, cap;
    int oom;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    for (int pass = 0; pass < 2 && !t->oom; pass++) {
        va_start(ap, fmt);
        int n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->oom = 1;
        } else if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        } else {
            size_t cap = (t->cap + (size_t)n + 1) * 2;
            char *s = realloc(t->s, cap);
            if (!s)
                t->oom = 1;
            else
                t->s = s, t->cap = cap;
        }
    }
}

static void counter(struct text *t, const char *name, const char *help, unsigned long long v)
{
    add(t, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name, v);
}

struct depth {
    long long queued, running;
};

static int sum_queue(void *ud, const st_queue_row *row)
{
    struct depth *d = ud;
    d->queued += row->queued;
    d->running += row->running;
    return 0;
}

static void render_requests(struct text *t)
{
    add(t, "# HELP docflow_http_requests_total HTTP requests answered, by route and status.\n"
           "# TYPE docflow_http_requests_total counter\n");
    for (size_t r = 0; r < NROUTES; r++)
        for (size_t s = 0; s < NSTATUS; s++) {
            unsigned long long v = atomic_load(&requests[r][s]);
            if (!v)
                continue;
            if (statuses[s])
                add(t, "docflow_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n",
                    route_names[r], statuses[s], v);
            else
                add(t, "docflow_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                    route_names[r], v);
        }
}

static void render_histogram(struct text *t, const char *name, const char *labels,
                             const struct histogram *h, const double *le, size_t n)
{
    unsigned long long cum = 0;
    const char *sep = labels[0] ? "," : "";
    for (size_t b = 0; b <= n; b++) {
        cum += atomic_load(&h->bucket[b]);
        if (b < n)
            add(t, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, sep, le[b], cum);
        else
            add(t, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep, cum);
    }
    add(t, "%s_sum%s%s%s %.6f\n%s_count%s%s%s %llu\n", name, labels[0] ? "{" : "", labels,
        labels[0] ? "}" : "", atomic_load(&h->sum_us) / 1e6, name, labels[0] ? "{" : "", labels,
        labels[0] ? "}" : "", atomic_load(&h->count));
}

static void render_histograms(struct text *t)
{
    char labels[64];
    add(t, "# HELP docflow_http_request_seconds Time from a request's headers to its end, by "
           "route.\n# TYPE docflow_http_request_seconds histogram\n");
    for (size_t r = 0; r < NROUTES; r++) {
        if (!atomic_load(&latency[r].count))
            continue;
        snprintf(labels, sizeof labels, "route=\"%s\"", route_names[r]);
        render_histogram(t, "docflow_http_request_seconds", labels, &latency[r], latency_le, NLAT);
    }
    add(t, "# HELP docflow_extraction_seconds Wall time of each batch file's extraction.\n"
           "# TYPE docflow_extraction_seconds histogram\n");
    render_histogram(t, "docflow_extraction_seconds", "", &extraction, extract_le, NEXT);
}

static void render_failures(struct text *t)
{
    add(t, "# HELP docflow_files_failed_by_code_total Batch files whose result is an error, by "
           "code.\n# TYPE docflow_files_failed_by_code_total counter\n");
    for (int i = 0; i < NCODES; i++) {
        const char *code = atomic_load(&code_names[i]);
        if (code)
            add(t, "docflow_files_failed_by_code_total{code=\"%s\"} %llu\n", code,
                atomic_load(&code_counts[i]));
    }
}

static void render_workers(struct text *t, struct server *srv)
{
    double busy = atomic_load(&busy_us) / 1e6, up = srv_mono() - started_mono;
    add(t, "# HELP docflow_worker_busy_seconds_total Worker-seconds spent extracting.\n"
           "# TYPE docflow_worker_busy_seconds_total counter\n"
           "docflow_worker_busy_seconds_total %.3f\n", busy);
    add(t, "# HELP docflow_worker_busy_ratio Busy worker-seconds over worker-seconds since the "
           "start.\n# TYPE docflow_worker_busy_ratio gauge\ndocflow_worker_busy_ratio %.4f\n",
        up > 0 && srv->workers > 0 ? busy / (up * srv->workers) : 0.0);
}

char *metrics_render(struct server *srv, size_t *len)
{
    struct text t = {malloc(4096), 0, 4096, 0};
    struct depth d = {0, 0};
    if (!t.s)
        return NULL;
    int up = store_queue(srv->st, sum_queue, &d) == STORE_OK;
    add(&t, "# HELP docflow_up 1 when the store answers.\n# TYPE docflow_up gauge\n"
            "docflow_up %d\n", up);
    render_requests(&t);
    counter(&t, "docflow_batches_accepted_total", "Batches accepted (202).",
            atomic_load(&batches_accepted));
    counter(&t, "docflow_batches_completed_total", "Batches whose every file has a result.",
            atomic_load(&batches_completed));
    counter(&t, "docflow_files_processed_total", "Batch files extracted (failed ones too).",
            atomic_load(&files_processed));
    counter(&t, "docflow_files_failed_total", "Batch files whose result is an error.",
            atomic_load(&files_failed));
    render_failures(&t);
    counter(&t, "docflow_pages_processed_total", "Pages read in batch files.",
            atomic_load(&pages_processed));
    counter(&t, "docflow_store_retries_total", "Results the store could not take at once "
            "(kept in memory and stored again).", atomic_load(&store_retries));
    render_histograms(&t);
    render_workers(&t, srv);
    add(&t, "# HELP docflow_queue_files Batch files waiting or being extracted.\n"
            "# TYPE docflow_queue_files gauge\n"
            "docflow_queue_files{state=\"queued\"} %lld\n"
            "docflow_queue_files{state=\"running\"} %lld\n", d.queued, d.running);
    add(&t, "# HELP docflow_workers Extraction worker threads.\n# TYPE docflow_workers gauge\n"
            "docflow_workers %d\n", srv->workers);
    add(&t, "# HELP docflow_workers_busy Worker threads extracting now.\n"
            "# TYPE docflow_workers_busy gauge\ndocflow_workers_busy %d\n",
        queue_busy(srv->queue));
    add(&t, "# HELP docflow_workers_lent Of them, idle workers lent to a PDF's pages.\n"
            "# TYPE docflow_workers_lent gauge\ndocflow_workers_lent %d\n",
        queue_lent(srv->queue));
    if (t.oom) {
        free(t.s);
        return NULL;
    }
    *len = t.len;
    return t.s;
}
