/*
 * queue.h — the workers: they claim files from the store and extract them.
 *
 * Why it exists: a batch is answered with 202 long before it is extracted;
 * N worker threads (default one per processor) share one df_engine, each
 * leasing the next file the store hands out (round-robin across accounts,
 * FIFO within one, store.h) and completing it with its result. A file's
 * extraction is a df_batch of that one file, so that it can be cancelled at
 * shutdown (the file then goes back to the queue) and so that a PDF keeps
 * the library's page-level parallelism: when a worker claims a PDF and no
 * other file is waiting, it takes the idle workers' slots along and runs
 * the PDF's pages on that many threads ("gang"), as `docflow batch` does
 * at the end of a batch. Synchronous extractions (POST /v1/extract) take a
 * worker slot too, ahead of the queue, so the CPU is never shared by more
 * extractions than there are workers.
 *
 * Contents: queue_start / queue_stop; queue_kick (new files); queue_extract
 * (synchronous); queue_busy, queue_running_work (estimates, metrics).
 */
#ifndef DF_SERVER_QUEUE_H
#define DF_SERVER_QUEUE_H

struct server;
struct queue;

/* Start srv->workers threads. NULL with err (512 bytes). */
struct queue *queue_start(struct server *srv, char *err);

/* Stop claiming, cancel the extractions in progress (their files go back to
 * the queue; synchronous ones fail), join the worker threads. The queue
 * still answers queue_kick and queue_extract (which then fails at once)
 * until queue_free. NULL is fine. */
void queue_stop(struct queue *q);
void queue_free(struct queue *q);

/* New files were queued: wake the idle workers. */
void queue_kick(struct queue *q);

/* Extract the file at `path` now, in a worker slot (waits for one), as
 * file `name` at index 0. *json: the result object (malloc'd). 0, or -1
 * when the server is stopping or out of memory. */
int queue_extract(struct queue *q, const char *path, const char *name, char **json);

/* Worker threads extracting now; of them, those lent to a PDF's pages. */
int queue_busy(struct queue *q);
int queue_lent(struct queue *q);

/* Work left on the files being extracted, in worker-seconds: for each, the
 * pages not yet read times the measured seconds per page, or the expected
 * time of the file less its elapsed time (estimate.c). */
double queue_running_work(struct queue *q);

#endif
