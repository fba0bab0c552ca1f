/*
 * metrics.c — process-wide counters and their Prometheus text. See metrics.h.
 *
 * Requests are counted by route (the route table's names, plus "other" for
 * paths no route has) and status (the codes the API answers with, plus
 * "other"), in a fixed table, so counting never allocates or locks.
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
static const unsigned statuses[] = {200, 202, 400, 401, 403, 404, 405, 410, 413, 415,
                                    500, 503, 507, 0 /* other */};
enum { NSTATUS = sizeof statuses / sizeof *statuses };

static atomic_ullong requests[NROUTES][NSTATUS];
static atomic_ullong batches_accepted, batches_completed, files_processed, files_failed;

void metrics_request(const char *route, unsigned status)
{
    size_t r = NROUTES - 1, s = NSTATUS - 1;
    for (size_t i = 0; i < NROUTES - 1; i++)
        if (!strcmp(route, route_names[i]))
            r = i;
    for (size_t i = 0; i < NSTATUS - 1; i++)
        if (statuses[i] == status)
            s = i;
    atomic_fetch_add(&requests[r][s], 1);
}

void metrics_batch_accepted(void)
{
    atomic_fetch_add(&batches_accepted, 1);
}

void metrics_batch_completed(void)
{
    atomic_fetch_add(&batches_completed, 1);
}

void metrics_file_done(int failed)
{
    atomic_fetch_add(&files_processed, 1);
    if (failed)
        atomic_fetch_add(&files_failed, 1);
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
