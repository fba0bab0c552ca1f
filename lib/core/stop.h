/*
 * stop.h — when a long stage must give up: the document's time budget
 * (DF_LIMIT_DOCUMENT_SECONDS) ran out, or the caller cancelled (a batch's
 * df_batch_cancel).
 *
 * One df_stop per document, made when its job starts (job.c) and read by
 * every stage that can run long: between pages, inside MuPDF's
 * interpretation of a page (pdf.c, through a watchdog that raises the
 * page's fz_cookie abort flag) and inside Tesseract (its monitor's
 * deadline, ocr.c). All pages of a document share its one deadline,
 * whichever thread reads them. Private to lib/.
 */
#ifndef DF_CORE_STOP_H
#define DF_CORE_STOP_H

#include "core/error.h"

#include <pthread.h>
#include <stdint.h>

typedef struct df_stop {
    const volatile int *cancel; /* the caller's cancel flag; may be NULL */
    int64_t deadline_ns;        /* df_clock_ns() when the budget runs out; 0: none */
    uint64_t budget_s;          /* that budget in seconds, for messages */
} df_stop;

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t df_clock_ns(void);

/* A stop whose deadline is `seconds` from now (no cancel flag). */
df_stop df_stop_start(uint64_t seconds);

/* s may be NULL (never stops). */
int df_stop_cancelled(const df_stop *s);
int df_stop_expired(const df_stop *s);

/* Milliseconds left before the deadline, 0 once passed, at most INT32_MAX;
 * -1 when there is none. */
int64_t df_stop_left_ms(const df_stop *s);

/* DF_E_CANCELLED or DF_E_TIMEOUT in err when s says stop, DF_OK otherwise.
 * `where` says what was stopped ("while drawing page 2"). */
df_code df_stop_check(const df_stop *s, const char *where, df_err *err);

/* The timeout error alone, for a stage that found out by itself (Tesseract's
 * monitor). */
df_code df_stop_timeout(const df_stop *s, const char *where, df_err *err);

/*
 * A thread that sets *flag to 1 as soon as s says stop, until
 * df_watchdog_end: for a library call that only watches a flag of its own
 * (MuPDF's fz_cookie). Without deadline and cancel flag no thread is
 * started; nor when the system refuses one, and then only the checks
 * between stages stop the document.
 */
typedef struct df_watchdog {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    const df_stop *stop;
    int *flag;
    int done;
    int running;
} df_watchdog;

void df_watchdog_start(df_watchdog *w, const df_stop *s, int *flag);
void df_watchdog_end(df_watchdog *w);

#endif
