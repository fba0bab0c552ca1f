/*
 * job.h — one document on its way through the pipeline, in three steps
 * that the single-document calls run in a row and the batch driver runs on
 * whichever worker is free:
 *
 *   df_job_start   read the bytes (a path) or take them (memory)
 *   df_job_open    open a reader, learn the page count, make one slot per page
 *   df_job_page    decode page i into its slot, OCR it, release its pixels
 *                  (an OCRed last page keeps them for a second reading)
 *   df_job_finish  layout, extraction, validation → the df_result
 *
 * Pages of one job may run on different threads at once (each with its own
 * reader on the job's bytes, for formats where df_reader_shareable): a page
 * writes only its own slot. Failures are kept by page number so that the
 * error a document reports does not depend on which thread got there first:
 * df_job_fail keeps the lowest page's error.
 *
 * Time: the document's budget (DF_LIMIT_DOCUMENT_SECONDS) starts with
 * df_job_start_*; every step, on whichever thread, stops by the job's one
 * deadline (core/stop.h), and a document not finished by then fails with
 * `timeout`, whatever it had read so far. Private to lib/.
 */
#ifndef DF_CORE_JOB_H
#define DF_CORE_JOB_H

#include "core/internal.h"
#include "core/stop.h"
#include "decode/decode.h"
#include "ocr/ocr.h"

#include <stdint.h>

#define DF_JOB_DOC_LEVEL SIZE_MAX /* err_page of a failure not tied to a page */

typedef struct df_job {
    df_engine *e;
    df_result *r;          /* being built; owns the name */
    uint8_t *owned;        /* bytes read from a file; NULL for memory input */
    const uint8_t *data;
    size_t len;
    df_doc doc;            /* one slot per page: words and geometry; pixels only on an
                              OCRed last page, until df_job_finish */
    df_err err;            /* the failure that wins (lowest page), code DF_OK if none */
    size_t err_page;       /* page index of err, or DF_JOB_DOC_LEVEL */
    df_stop stop;          /* the deadline (set at start) and the caller's cancel flag
                              (at open); read by every step, changed by none */
} df_job;

/* Prepare j (zeroed by the caller) for a file or a caller's buffer (not
 * copied: it must outlive the job). A file that cannot be read is recorded
 * as the job's failure; DF_E_NO_MEMORY is returned only when not even the
 * result could be allocated. */
df_code df_job_start_file(df_job *j, df_engine *e, const char *path);
df_code df_job_start_memory(df_job *j, df_engine *e, const void *data, size_t len,
                            const char *name);

/* Open the first reader on the job's bytes and make one slot per page
 * (j->doc.npages). `cancel` (may be NULL) is the caller's cancel flag for
 * every later step. A failure is recorded on the job and returned. Does
 * nothing (returns the failure) when the job already failed at start. */
df_code df_job_open(df_job *j, const volatile int *cancel, df_reader **reader);

/* Another reader on the same bytes, for another thread (shareable formats
 * only). Failures are returned in err. */
df_code df_job_reader(const df_job *j, df_reader **reader, df_err *err);

/* Decode page i with `reader`, OCR it with the lease, release its pixels
 * (but an OCRed last page's, kept for extraction's second reading of its
 * grand total and freed by df_job_finish).
 * Returns the page's failure in err (the caller records it with
 * df_job_fail, under its own lock when pages run in parallel). */
df_code df_job_page(df_job *j, df_reader *reader, df_ocr_lease *lease, size_t i,
                    df_err *err);

/* Record a failure of page `page` (DF_JOB_DOC_LEVEL for the document); the
 * lowest page's failure wins. */
void df_job_fail(df_job *j, size_t page, const df_err *err);

/* 1 when page i need not run because an earlier page already failed. */
int df_job_skip_page(const df_job *j, size_t i);

/* Drop the input bytes (once no reader is open on them any more). */
void df_job_release_data(df_job *j);

/* Build the result (the failure's error object, or the extraction) and
 * hand it over; frees the pages. The input bytes stay until
 * df_job_release_data (other threads' readers may still be open on them). */
df_result *df_job_finish(df_job *j);

/* A result that failed with err before it could start (a cancelled batch
 * item); NULL when out of memory. */
df_result *df_job_error_result(const char *name, const df_err *err);

#endif
