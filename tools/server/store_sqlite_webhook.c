/*
 * store_sqlite_webhook.c — webhook deliveries and their attempts in the
 * SQLite store (schema version 3: webhook_deliveries, webhook_attempts).
 *
 * Why it exists: a delivery must outlive the process that owes it. The
 * first delivery of a batch is written in the transaction that completes
 * the batch (store_sqlite.c calls sqw_delivery_on_complete), so a crash
 * cannot lose it; each attempt's outcome is written when it ends, with the
 * wall-clock time the next one is due, so a restarted server goes on where
 * the dead one stopped. Before an attempt the deliverer leases the delivery
 * (delivery_reschedule: next_at moved to the lease's end, compared and set
 * in one statement), so two deliverers sharing a store never send the same
 * attempt; the attempt is recorded only when `attempts` still says the one
 * before. The rest of the store is in store_sqlite.c.
 *
 * Contents: reading a delivery row; steps inside other transactions
 * (on_complete, forget); the ops: account_set_secret, deliveries_pending,
 * delivery_get, deliveries_of, delivery_reschedule, delivery_fix_body,
 * delivery_record, delivery_redeliver, delivery_attempts.
 */
#include "store_sqlite_int.h"

#include <stdio.h>
#include <string.h>

#define DELIVERY_COLS "seq, delivery_id, batch_id, account_id, url, body, timestamp, state, " \
                      "attempts, next_at, created_at, last_status, last_error"

static void read_delivery(sqlite3_stmt *st, st_delivery *d)
{
    memset(d, 0, sizeof *d);
    d->seq = sqlite3_column_int64(st, 0);
    sq_col_text(st, 1, d->delivery_id, sizeof d->delivery_id);
    sq_col_text(st, 2, d->batch_id, sizeof d->batch_id);
    sq_col_text(st, 3, d->account_id, sizeof d->account_id);
    sq_col_text(st, 4, d->url, sizeof d->url);
    sq_col_text(st, 5, d->body, sizeof d->body);
    d->timestamp = sqlite3_column_int64(st, 6);
    d->state = sqlite3_column_int(st, 7);
    d->attempts = sqlite3_column_int(st, 8);
    d->next_at = sqlite3_column_int64(st, 9);
    d->created_at = sqlite3_column_int64(st, 10);
    d->last_status = sqlite3_column_int(st, 11);
    sq_col_text(st, 12, d->last_error, sizeof d->last_error);
}

/* Run a listing of deliveries through fn. */
static int list_deliveries(sqlite3 *db, sqlite3_stmt *st, st_delivery_fn fn, void *ud)
{
    int rc = st ? SQLITE_ROW : SQLITE_ERROR;
    st_delivery d; /* 7 KB */
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_delivery(st, &d);
        if (fn(ud, &d) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        sq_fail("deliveries", db);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* A statement returning one number; -1 on no row or failure. */
static int64_t one_number(sqlite3_stmt *st)
{
    int64_t v = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* ------------------------------------------------------------------ */
/* Steps of other transactions                                          */
/* ------------------------------------------------------------------ */

int sqw_delivery_on_complete(sqlite3 *db, const char *batch_id, int64_t now)
{
    return sq_run(db, sq_prep(db, "INSERT INTO webhook_deliveries (batch_id, account_id, url, "
                                  "next_at, created_at) SELECT id, account_id, webhook_url, ?1, ?1 "
                                  "FROM batches WHERE id = ?2 AND webhook_url IS NOT NULL", "it",
                              now, batch_id));
}

int sqw_forget(sqlite3 *db, int64_t cutoff)
{
    static const char *const gone = "SELECT id FROM batches WHERE state = 3 AND expired_at <= ?";
    char sql[256];
    snprintf(sql, sizeof sql, "DELETE FROM webhook_attempts WHERE delivery_seq IN (SELECT seq "
             "FROM webhook_deliveries WHERE batch_id IN (%s))", gone);
    int rc = sq_run(db, sq_prep(db, sql, "i", cutoff));
    snprintf(sql, sizeof sql, "DELETE FROM webhook_deliveries WHERE batch_id IN (%s)", gone);
    return rc == STORE_OK ? sq_run(db, sq_prep(db, sql, "i", cutoff)) : rc;
}

/* ------------------------------------------------------------------ */
/* Ops                                                                  */
/* ------------------------------------------------------------------ */

int sqw_account_set_secret(store *s, const char *id, const char *secret)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = sq_conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = sq_run(db, sq_prep(db, "UPDATE accounts SET webhook_secret = ? WHERE id = ?", "tt",
                                secret, id));
    if (rc == STORE_OK && sqlite3_changes(db) == 0)
        rc = STORE_NOT_FOUND;
    sq_conn_put(q, db);
    return rc;
}

int sqw_deliveries_pending(store *s, int limit, st_delivery_fn fn, void *ud)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = sq_conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = list_deliveries(db, sq_prep(db, "SELECT " DELIVERY_COLS " FROM webhook_deliveries "
                                             "WHERE state = 0 ORDER BY next_at, seq LIMIT ?",
                                         "u", limit), fn, ud);
    sq_conn_put(q, db);
    return rc;
}

int sqw_delivery_get(store *s, int64_t seq, st_delivery *out)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = sq_conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = sq_prep(db, "SELECT " DELIVERY_COLS " FROM webhook_deliveries "
                                   "WHERE seq = ?", "i", seq);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc == SQLITE_ROW)
        read_delivery(st, out);
    else if (rc != SQLITE_DONE)
        sq_fail("delivery_get", db);
    sqlite3_finalize(st);
    sq_conn_put(q, db);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int sqw_deliveries_of(store *s, const char *batch_id, st_delivery_fn fn, void *ud)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = sq_conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = list_deliveries(db, sq_prep(db, "SELECT " DELIVERY_COLS " FROM webhook_deliveries "
                                             "WHERE batch_id = ? ORDER BY seq", "t", batch_id),
                             fn, ud);
    sq_conn_put(q, db);
    return rc;
}

int sqw_delivery_reschedule(store *s, int64_t seq, int attempts, int64_t from, int64_t to)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = sq_conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = sq_run(db, sq_prep(db, "UPDATE webhook_deliveries SET next_at = ? WHERE seq = ? "
                                    "AND state = 0 AND attempts = ? AND next_at = ?", "iiui",
                                to, seq, attempts, from));
    if (rc == STORE_OK && sqlite3_changes(db) == 0)
        rc = STORE_CONFLICT;
    sq_conn_put(q, db);
    return rc;
}

int sqw_delivery_fix_body(store *s, int64_t seq, const char *delivery_id, const char *body,
                          int64_t timestamp)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = sq_conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = sq_run(db, sq_prep(db, "UPDATE webhook_deliveries SET delivery_id = ?, body = ?, "
                                    "timestamp = ? WHERE seq = ? AND body IS NULL", "ttii",
                                delivery_id, body, timestamp, seq));
    sq_conn_put(q, db);
    return rc;
}

int sqw_delivery_record(store *s, int64_t seq, const st_attempt *a, int state, int64_t next_at)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = sq_conn_get(q);
    if (!db)
        return STORE_ERROR;
    const char *err = a->error[0] ? a->error : NULL;
    int rc = sq_exec(db, "BEGIN IMMEDIATE");
    if (rc == STORE_OK)
        rc = sq_run(db, sq_prep(db, "UPDATE webhook_deliveries SET attempts = ?, state = ?, "
                                    "next_at = ?, last_status = ?, last_error = ? WHERE seq = ? "
                                    "AND state = 0 AND attempts = ?", "uuiunii", a->n, state,
                                next_at, a->http_status, err, seq, (int64_t)(a->n - 1)));
    if (rc == STORE_OK && sqlite3_changes(db) == 0)
        rc = STORE_CONFLICT; /* another deliverer recorded this attempt */
    if (rc == STORE_OK)
        rc = sq_run(db, sq_prep(db, "INSERT INTO webhook_attempts (delivery_seq, n, at, "
                                    "http_status, error, seconds) VALUES (?, ?, ?, ?, ?, ?)",
                                "iuiund", seq, a->n, a->at, a->http_status, err, a->seconds));
    rc = sq_finish(db, rc);
    sq_conn_put(q, db);
    return rc;
}

/* Within redeliver's transaction: may the batch get a new delivery? */
static int redeliverable(sqlite3 *db, const char *batch_id)
{
    sqlite3_stmt *st = sq_prep(db, "SELECT state = 2 AND webhook_url IS NOT NULL FROM batches "
                                   "WHERE id = ?", "t", batch_id);
    int64_t ok = one_number(st);
    if (ok < 0)
        return STORE_NOT_FOUND;
    int64_t pending = one_number(sq_prep(db, "SELECT COUNT(*) FROM webhook_deliveries WHERE "
                                             "batch_id = ? AND state = 0", "t", batch_id));
    if (pending < 0)
        return sq_fail("redeliver", db);
    return ok == 1 && pending == 0 ? STORE_OK : STORE_CONFLICT;
}

int sqw_delivery_redeliver(store *s, const char *batch_id, int64_t now)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = sq_conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = sq_exec(db, "BEGIN IMMEDIATE");
    if (rc == STORE_OK)
        rc = redeliverable(db, batch_id);
    if (rc == STORE_OK)
        rc = sqw_delivery_on_complete(db, batch_id, now);
    rc = sq_finish(db, rc);
    sq_conn_put(q, db);
    return rc;
}

int sqw_delivery_attempts(store *s, int64_t seq, st_attempt_fn fn, void *ud)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = sq_conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = sq_prep(db, "SELECT n, at, http_status, error, seconds FROM "
                                   "webhook_attempts WHERE delivery_seq = ? ORDER BY n", "i", seq);
    int rc = st ? SQLITE_ROW : SQLITE_ERROR;
    st_attempt a;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&a, 0, sizeof a);
        a.n = sqlite3_column_int(st, 0);
        a.at = sqlite3_column_int64(st, 1);
        a.http_status = sqlite3_column_int(st, 2);
        sq_col_text(st, 3, a.error, sizeof a.error);
        a.seconds = sqlite3_column_double(st, 4);
        if (fn(ud, &a) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        sq_fail("delivery_attempts", db);
    sqlite3_finalize(st);
    sq_conn_put(q, db);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}
