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
 * docflow_workers_busy; docflow_workers_lent (page parallelism); docflow_up;
 * docflow_files_failed_by_code_total{code}; docflow_pages_processed_total;
 * docflow_store_retries_total; docflow_http_request_seconds{route}
 * (histogram); docflow_extraction_seconds (histogram);
 * docflow_worker_busy_seconds_total; docflow_worker_busy_ratio.
 *
 * Contents: metrics_start; metrics_request; metrics_batch_accepted;
 * metrics_batch_completed; metrics_file_done; metrics_store_retry;
 * metrics_render.
 */
#ifndef DF_SERVER_METRICS_H
#define DF_SERVER_METRICS_H

#include <stddef.h>

struct server;

/* The process's start (srv_mono), for the busy ratio. */
void metrics_start(double mono);
/* A request answered (status 0: cut) after `seconds`. */
void metrics_request(const char *route, unsigned status, double seconds);
void metrics_batch_accepted(void);
void metrics_batch_completed(void);
/* A batch file's result stored: its error code (a static string; NULL when
 * it succeeded), pages read, wall seconds and the threads it had. */
void metrics_file_done(const char *error_code, int pages, double seconds, int threads);
void metrics_store_retry(void);

/* The exposition text (malloc'd; *len its length), or NULL. */
char *metrics_render(struct server *srv, size_t *len);

#endif
