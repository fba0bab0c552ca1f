/*
 * store_sqlite_int.h — what the SQLite store's files share (private to
 * store_sqlite*.c; the rest of the server sees only store.h).
 *
 * Why it exists: the SQLite store grew past one file's worth; the webhook
 * deliveries live in store_sqlite_webhook.c and need the same connection
 * pool and statement helpers as store_sqlite.c, which owns them.
 *
 * Contents: the store's struct; the helpers (store_sqlite.c); the webhook
 * calls (store_sqlite_webhook.c): ops, and the two steps other
 * transactions take (a completed batch's first delivery, forgetting).
 */
#ifndef DF_SERVER_STORE_SQLITE_INT_H
#define DF_SERVER_STORE_SQLITE_INT_H

#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>

#include "store.h"

#define STORE_POOL 16 /* connections at most: workers + requests in flight */

typedef struct sq_store {
    store base;
    char path[PATH_MAX];
    pthread_mutex_t lock;
    pthread_cond_t freed;
    sqlite3 *idle[STORE_POOL];
    int nidle, nopen;
} sq_store;

/* store_sqlite.c: a pooled connection for one call, and back. */
sqlite3 *sq_conn_get(sq_store *q);
void sq_conn_put(sq_store *q, sqlite3 *db);
/* The failure's message for store_error(); returns STORE_ERROR. */
int sq_fail(const char *what, sqlite3 *db);
/* Prepare and bind: types one letter a parameter, t text, n text or NULL,
 * i int64_t, u int, d double. NULL on failure (the message kept). */
sqlite3_stmt *sq_prep(sqlite3 *db, const char *sql, const char *types, ...);
/* Step a statement that returns no rows, and finalize it. */
int sq_run(sqlite3 *db, sqlite3_stmt *st);
int sq_exec(sqlite3 *db, const char *sql);
/* COMMIT when rc is STORE_OK, else ROLLBACK; returns the outcome. */
int sq_finish(sqlite3 *db, int rc);
void sq_col_text(sqlite3_stmt *st, int col, char *dst, size_t cap);

/* store_sqlite_webhook.c, inside other calls' transactions: the first
 * delivery of a batch that just completed (when it has a webhook_url);
 * the deliveries of tombstones forgotten at `cutoff`. */
int sqw_delivery_on_complete(sqlite3 *db, const char *batch_id, int64_t now);
int sqw_forget(sqlite3 *db, int64_t cutoff);

/* store_sqlite_webhook.c: the webhook ops of store.h. */
int sqw_account_set_secret(store *s, const char *id, const char *secret);
int sqw_deliveries_pending(store *s, int limit, st_delivery_fn fn, void *ud);
int sqw_delivery_get(store *s, int64_t seq, st_delivery *out);
int sqw_deliveries_of(store *s, const char *batch_id, st_delivery_fn fn, void *ud);
int sqw_delivery_reschedule(store *s, int64_t seq, int attempts, int64_t from, int64_t to);
int sqw_delivery_fix_body(store *s, int64_t seq, const char *delivery_id, const char *body,
                          int64_t timestamp);
int sqw_delivery_record(store *s, int64_t seq, const st_attempt *a, int state, int64_t next_at);
int sqw_delivery_redeliver(store *s, const char *batch_id, int64_t now);
int sqw_delivery_attempts(store *s, int64_t seq, st_attempt_fn fn, void *ud);

#endif
