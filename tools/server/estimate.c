/*
 * estimate.c — estimated_seconds from measured moving averages. See
 * estimate.h for the model.
 */
#include "estimate.h"
#include "signing.h"

#include "server_limits.h"
#include "queue.h"
#include "server.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Worker-seconds per file and per page before anything was measured: what
 * `docflow extract` takes on this project's fixtures and the devset on a
 * 2-core bookworm machine (a text-layer PDF page 0.05 s, a scanned page or
 * a phone photo of a receipt 1.5-2.5 s). */
static const struct prior {
    const char *format;
    double file, page;
} priors[] = {
    {"pdf", 1.5, 1.0},  {"jpeg", 2.0, 2.0}, {"png", 2.0, 2.0}, {"webp", 2.0, 2.0},
    {"tiff", 2.5, 1.5}, {"bmp", 1.0, 1.0},  {"heif", 2.5, 2.5}, {"all", 2.0, 1.5},
};

static const struct prior *prior_for(const char *format)
{
    for (size_t i = 0; i < sizeof priors / sizeof *priors; i++)
        if (!strcmp(priors[i].format, format))
            return &priors[i];
    return &priors[sizeof priors / sizeof *priors - 1];
}

static double measured(store *s, const char *what, const char *format, double prior)
{
    char name[48];
    double v;
    int64_t n;
    snprintf(name, sizeof name, "%s.%s", what, format && format[0] ? format : "all");
    return store_stat_get(s, name, &v, &n) == STORE_OK && n > 0 && v >= 0 ? v : prior;
}

double estimate_file_seconds(store *s, const char *format)
{
    const char *f = format && format[0] ? format : "all";
    return measured(s, "file_seconds", f, prior_for(f)->file);
}

double estimate_page_seconds(store *s, const char *format)
{
    const char *f = format && format[0] ? format : "all";
    return measured(s, "page_seconds", f, prior_for(f)->page);
}

static void sample(struct estimate_samples *out, const char *what, const char *format,
                   double value)
{
    size_t i = out->n++;
    snprintf(out->names[i], sizeof out->names[i], "%s.%s", what, format);
    out->v[i] = (st_sample){out->names[i], value, SRV_EWMA_ALPHA};
}

void estimate_samples(const char *format, double work_seconds, int pages,
                      struct estimate_samples *out)
{
    out->n = 0;
    sample(out, "file_seconds", format, work_seconds);
    sample(out, "file_seconds", "all", work_seconds);
    if (pages > 0) {
        sample(out, "page_seconds", format, work_seconds / pages);
        sample(out, "page_seconds", "all", work_seconds / pages);
    }
}

/* Files waiting per account, seen by the estimate. */
struct ahead {
    const char *account_id;
    long own;        /* the account's own waiting files */
    long others[64]; /* other accounts' waiting files (the first 64 accounts) */
    int nothers;
    long others_rest; /* and beyond: counted whole */
};

static int count_ahead(void *ud, const st_queue_row *row)
{
    struct ahead *a = ud;
    if (sign_equal(row->account_id, a->account_id))
        a->own += row->queued;
    else if (a->nothers < 64)
        a->others[a->nothers++] = row->queued;
    else
        a->others_rest += row->queued;
    return 0;
}

double estimate_batch(struct server *srv, const char *account_id, const st_file *files, size_t n)
{
    struct ahead a = {account_id, 0, {0}, 0, 0};
    double own = 0, slowest = 0, mean = estimate_file_seconds(srv->st, NULL);
    for (size_t i = 0; i < n; i++) {
        double t = estimate_file_seconds(srv->st, files[i].format);
        own += t;
        if (strcmp(files[i].format, "pdf") != 0 && t > slowest)
            slowest = t; /* PDFs get a gang when alone; images never split */
    }
    store_queue(srv->st, count_ahead, &a);
    double ahead = (double)a.own * mean + (double)a.others_rest * mean;
    for (int i = 0; i < a.nothers; i++) /* round-robin: as many as ours, at most */
        ahead += (double)(a.others[i] < (long)n + a.own ? a.others[i] : (long)n + a.own) * mean;
    double work = ahead + own + queue_running_work(srv->queue);
    double secs = work / (srv->workers > 0 ? srv->workers : 1);
    if (secs < slowest)
        secs = slowest;
    secs = ceil(secs);
    return secs < 1 ? 1 : secs;
}
