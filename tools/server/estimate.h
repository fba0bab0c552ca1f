/*
 * estimate.h — estimated_seconds: when will a new batch be complete?
 *
 * Why it exists: the 202 answer promises a figure a client can plan with.
 * It comes from what this server measured, not from a constant: every
 * finished file updates two moving averages per format in the store (in
 * the same transaction as its result, so they survive restarts): the
 * worker-seconds a file took ("file_seconds.<format>") and, for files that
 * were read, the worker-seconds per page ("page_seconds.<format>").
 * Worker-seconds are wall seconds times the threads the file had (a PDF run
 * on a gang of 2 threads for 3 s cost 6).
 *
 * A new batch of n files from account A completes after the work ahead of
 * its last file: the files of A already waiting (FIFO within A), from every
 * other account as many files as the round-robin serves before A's last one
 * (min(their waiting files, n + A's waiting files)), the rest of the files
 * being extracted (queue_running_work), and its own n files; spread over
 * the W workers: seconds = work / W, but never less than the slowest of
 * its files alone (an image is never split across threads). Files of
 * other accounts ahead are counted at the mean over all files measured
 * ("file_seconds.all").
 * Before any measurement, priors measured on a 2-core machine (bookworm's
 * Tesseract, 300 dpi scans) stand in; docs/server.md lists them.
 *
 * Contents: estimate_file_seconds; estimate_page_seconds; estimate_samples;
 * estimate_batch.
 */
#ifndef DF_SERVER_ESTIMATE_H
#define DF_SERVER_ESTIMATE_H

#include <stddef.h>

#include "store.h"

struct server;

/* Expected worker-seconds of one file / one page of `format` ("" or NULL:
 * the mean over formats). */
double estimate_file_seconds(store *s, const char *format);
double estimate_page_seconds(store *s, const char *format);

/* The moving averages a finished file updates, for its format and for
 * "all": from its worker-seconds and pages read (0 when it failed: no page
 * sample then). Names are kept in `names`. */
struct estimate_samples {
    char names[4][48];
    st_sample v[4];
    size_t n;
};
void estimate_samples(const char *format, double work_seconds, int pages,
                      struct estimate_samples *out);

/* The estimate for a new batch of account_id's `files` (not yet stored),
 * in whole seconds (at least 1). */
double estimate_batch(struct server *srv, const char *account_id, const st_file *files, size_t n);

#endif
