/*
 * metrics.h — counters for GET /metrics (Prometheus text format 0.0.4).
 *
 * Why it exists: an operator needs to see the queue grow and requests fail
 * without reading logs. Counters are process-wide atomics (one server per
 * process), bumped where things happen; gauges that live in the store
 * (files waiting, running) are read when /metrics is scraped.
 *
 * Series: docflow_http_requests_total{route,status};
 * docflow_batches_accepted_total; docflow_batches_completed_total;
 * docflow_files_processed_total; docflow_files_failed_total;
 * docflow_queue_files{state="queued"|"running"}; docflow_workers;
 * docflow_workers_busy; docflow_workers_lent (page parallelism); docflow_up.
 *
 * Contents: metrics_request; metrics_batch_accepted; metrics_batch_completed;
 * metrics_file_done; metrics_render.
 */
#ifndef DF_SERVER_METRICS_H
#define DF_SERVER_METRICS_H

#include <stddef.h>

struct server;

void metrics_request(const char *route, unsigned status);
void metrics_batch_accepted(void);
void metrics_batch_completed(void);
void metrics_file_done(int failed);

/* The exposition text (malloc'd; *len its length), or NULL. */
char *metrics_render(struct server *srv, size_t *len);

#endif
