/*
 * store_sqlite.c — the store (store.h) in one SQLite file: DATA/docflow.db.
 *
 * Why it exists: a single machine needs durable state with nothing to
 * install or start; SQLite in WAL mode gives readers that never wait for
 * the writer (status polls stay fast while workers commit results) and
 * atomic multi-row writes. This file and store_sqlite_webhook.c (the
 * webhook deliveries) are the only ones with SQL in them.
 *
 * Durability: synchronous=FULL, so a COMMIT has reached the disk when it
 * returns: a 202 is sent only after the batch's transaction committed.
 * Concurrency: a small pool of connections, one per concurrent call; writes
 * take the write lock up front (BEGIN IMMEDIATE) and wait up to
 * STORE_BUSY_MS for it, so two writers never deadlock on an upgrade.
 * Schema: versioned with PRAGMA user_version from the first release; a
 * newer file is refused with a message, an older one migrated on open, one
 * step per version in one transaction (migrations[]).
 *
 * Contents: connections and the pool; statement helpers (shared with
 * store_sqlite_webhook.c through store_sqlite_int.h); the schema; accounts;
 * keys; batches and files; the queue (claims, leases, completion);
 * retention; statistics and events; the ops table.
 */
#include "store.h"
#include "store_sqlite_int.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STORE_BUSY_MS 10000 /* wait this long for the write lock before failing */

enum { FILE_QUEUED = 0, FILE_RUNNING = 1, FILE_DONE = 2 };

static _Thread_local char t_err[STORE_ERR_MAX];

static int fail(const char *what, sqlite3 *db)
{
    snprintf(t_err, sizeof t_err, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
    return STORE_ERROR;
}

static const char *sq_error(store *s)
{
    (void)s;
    return t_err;
}

/* ------------------------------------------------------------------ */
/* Connections                                                          */
/* ------------------------------------------------------------------ */

static sqlite3 *conn_open(const char *path)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                             SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(db, STORE_BUSY_MS);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                              "PRAGMA foreign_keys=ON;", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        fail(path, db);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* A connection for this call: an idle one, a new one, or wait for one. */
static sqlite3 *conn_get(sq_store *q)
{
    pthread_mutex_lock(&q->lock);
    while (q->nidle == 0 && q->nopen >= STORE_POOL)
        pthread_cond_wait(&q->freed, &q->lock);
    if (q->nidle > 0) {
        sqlite3 *db = q->idle[--q->nidle];
        pthread_mutex_unlock(&q->lock);
        return db;
    }
    q->nopen++;
    pthread_mutex_unlock(&q->lock);
    sqlite3 *db = conn_open(q->path);
    if (!db) {
        pthread_mutex_lock(&q->lock);
        q->nopen--;
        pthread_cond_signal(&q->freed);
        pthread_mutex_unlock(&q->lock);
    }
    return db;
}

static void conn_put(sq_store *q, sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db)) /* a failed call left a transaction open */
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    pthread_mutex_lock(&q->lock);
    q->idle[q->nidle++] = db;
    pthread_cond_signal(&q->freed);
    pthread_mutex_unlock(&q->lock);
}

/* ------------------------------------------------------------------ */
/* Statements                                                           */
/* ------------------------------------------------------------------ */

/* Prepare `sql` and bind its parameters from `types`, one letter each:
 * t text, n text or NULL, i int64_t, u int (as integer), d double. */
static sqlite3_stmt *vprep(sqlite3 *db, const char *sql, const char *types, va_list ap)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail("prepare", db);
        return NULL;
    }
    int rc = SQLITE_OK;
    for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
        switch (types[i]) {
        case 't':
            rc = sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
            break;
        case 'n': {
            const char *v = va_arg(ap, const char *);
            rc = v ? sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(st, i + 1);
            break;
        }
        case 'i': rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t)); break;
        case 'u': rc = sqlite3_bind_int(st, i + 1, va_arg(ap, int)); break;
        case 'd': rc = sqlite3_bind_double(st, i + 1, va_arg(ap, double)); break;
        default: rc = SQLITE_MISUSE;
        }
    }
    if (rc != SQLITE_OK) {
        fail("bind", db);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = vprep(db, sql, types, ap);
    va_end(ap);
    return st;
}

/* Run a statement that returns no rows; STORE_OK or STORE_ERROR. */
static int run(sqlite3 *db, sqlite3_stmt *st)
{
    if (!st)
        return STORE_ERROR;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return STORE_OK;
    fail("step", db);
    return rc == SQLITE_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? STORE_OK : fail(sql, db);
}

static void col_text(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    snprintf(dst, cap, "%s", v ? (const char *)v : "");
}

/* End a write transaction: COMMIT when rc is STORE_OK, else ROLLBACK. */
static int finish(sqlite3 *db, int rc)
{
    if (rc == STORE_OK)
        return exec(db, "COMMIT");
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* The helpers above, for the other store_sqlite_*.c files. */
sqlite3 *sq_conn_get(sq_store *q) { return conn_get(q); }
void sq_conn_put(sq_store *q, sqlite3 *db) { conn_put(q, db); }
int sq_fail(const char *what, sqlite3 *db) { return fail(what, db); }
int sq_run(sqlite3 *db, sqlite3_stmt *st) { return run(db, st); }
int sq_exec(sqlite3 *db, const char *sql) { return exec(db, sql); }
int sq_finish(sqlite3 *db, int rc) { return finish(db, rc); }
void sq_col_text(sqlite3_stmt *st, int col, char *dst, size_t cap) { col_text(st, col, dst, cap); }

sqlite3_stmt *sq_prep(sqlite3 *db, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = vprep(db, sql, types, ap);
    va_end(ap);
    return st;
}

/* ------------------------------------------------------------------ */
/* Schema                                                               */
/* ------------------------------------------------------------------ */

/* Version 1. Times are Unix seconds; 0 means "not yet". */
static const char *const schema_v1 =
    "CREATE TABLE accounts ("
    "  id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', plan INTEGER NOT NULL,"
    "  webhook_secret TEXT NOT NULL, created_at INTEGER NOT NULL,"
    "  served_seq INTEGER NOT NULL DEFAULT 0);"  /* round-robin: served longest ago first */
    "CREATE TABLE api_keys ("
    "  id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id),"
    "  name TEXT NOT NULL DEFAULT '', prefix TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL, revoked_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE batches ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
    "  account_id TEXT NOT NULL REFERENCES accounts(id), state INTEGER NOT NULL,"
    "  total INTEGER NOT NULL, processed INTEGER NOT NULL DEFAULT 0,"
    "  failed INTEGER NOT NULL DEFAULT 0, callback_id TEXT, webhook_url TEXT,"
    "  estimated_seconds REAL NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
    "  started_at INTEGER NOT NULL DEFAULT 0, completed_at INTEGER NOT NULL DEFAULT 0,"
    "  expired_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX batches_by_state ON batches(state, completed_at);"
    "CREATE TABLE files ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"  /* FIFO order within an account */
    "  batch_id TEXT NOT NULL REFERENCES batches(id), idx INTEGER NOT NULL,"
    "  account_id TEXT NOT NULL, format TEXT NOT NULL, filename TEXT NOT NULL,"
    "  bytes INTEGER NOT NULL, state INTEGER NOT NULL DEFAULT 0,"
    "  attempts INTEGER NOT NULL DEFAULT 0, lease_owner TEXT,"
    "  lease_expires INTEGER NOT NULL DEFAULT 0, error_code TEXT,"
    "  pages INTEGER NOT NULL DEFAULT 0, seconds REAL NOT NULL DEFAULT 0,"
    "  finished_at INTEGER NOT NULL DEFAULT 0, UNIQUE(batch_id, idx));"
    "CREATE INDEX files_queue ON files(account_id, state, seq);"
    "CREATE INDEX files_lease ON files(state, lease_expires);"
    "CREATE TABLE results ("
    "  batch_id TEXT NOT NULL REFERENCES batches(id), idx INTEGER NOT NULL,"
    "  json TEXT NOT NULL, PRIMARY KEY(batch_id, idx)) WITHOUT ROWID;"
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, batch_id TEXT NOT NULL,"
    "  account_id TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE TABLE stats (name TEXT PRIMARY KEY, value REAL NOT NULL, samples INTEGER NOT NULL);";

/* Version 2: Idempotency-Key on POST /v1/batch. A key names the first
 * batch an account submitted under it, and the fingerprint of that
 * submission's form (upload_digest), for SRV_IDEMPOTENCY_SECONDS. */
static const char *const schema_v2 =
    "CREATE TABLE idempotency_keys ("
    "  account_id TEXT NOT NULL REFERENCES accounts(id), key TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL, batch_id TEXT NOT NULL, created_at INTEGER NOT NULL,"
    "  PRIMARY KEY(account_id, key)) WITHOUT ROWID;"
    "CREATE INDEX idempotency_by_age ON idempotency_keys(created_at);";

/* Version 3: webhook deliveries (issue 20). A delivery is made pending in
 * the transaction that completes a batch with a webhook_url (and by
 * `docflow webhooks redeliver`); its body and delivery_id are fixed before
 * the first attempt; next_at is the wall-clock time it is due (or, while an
 * attempt runs, the end of that attempt's lease); every attempt's outcome
 * is a row of webhook_attempts. Batches completed before the upgrade get no
 * delivery. */
static const char *const schema_v3 =
    "CREATE TABLE webhook_deliveries ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT, delivery_id TEXT UNIQUE,"
    "  batch_id TEXT NOT NULL REFERENCES batches(id), account_id TEXT NOT NULL,"
    "  url TEXT NOT NULL, body TEXT, timestamp INTEGER NOT NULL DEFAULT 0,"
    "  state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_at INTEGER NOT NULL, created_at INTEGER NOT NULL,"
    "  last_status INTEGER NOT NULL DEFAULT 0, last_error TEXT);"
    "CREATE INDEX webhook_due ON webhook_deliveries(state, next_at);"
    "CREATE INDEX webhook_by_batch ON webhook_deliveries(batch_id, seq);"
    "CREATE TABLE webhook_attempts ("
    "  delivery_seq INTEGER NOT NULL REFERENCES webhook_deliveries(seq), n INTEGER NOT NULL,"
    "  at INTEGER NOT NULL, http_status INTEGER NOT NULL, error TEXT,"
    "  seconds REAL NOT NULL, PRIMARY KEY(delivery_seq, n)) WITHOUT ROWID;";

/* migrations[v] takes a store from version v to v + 1 (0: a new store).
 * Append only: a released step never changes, a data directory of any
 * earlier version walks every later step. */
static const char *const migrations[] = {schema_v1, schema_v2, schema_v3};
#define STORE_SCHEMA ((int)(sizeof migrations / sizeof *migrations))

static int user_version(sqlite3 *db, int *v)
{
    sqlite3_stmt *st = prep(db, "PRAGMA user_version", "");
    if (!st)
        return STORE_ERROR;
    *v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return *v < 0 ? fail("user_version", db) : STORE_OK;
}

/* Create, check or migrate the schema, in one transaction: a failed step
 * leaves the file as it was. */
static int schema_ready(sqlite3 *db)
{
    char sql[64];
    int v, rc = exec(db, "BEGIN IMMEDIATE");
    if (rc == STORE_OK)
        rc = user_version(db, &v);
    if (rc == STORE_OK && v > STORE_SCHEMA) {
        snprintf(t_err, sizeof t_err, "the data directory was written by a newer docflow "
                 "(store schema %d; this docflow knows up to %d): run that version, or a "
                 "newer one", v, STORE_SCHEMA);
        rc = STORE_ERROR;
    }
    for (; rc == STORE_OK && v < STORE_SCHEMA; v++)
        rc = exec(db, migrations[v]);
    if (rc == STORE_OK) {
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", STORE_SCHEMA);
        rc = exec(db, sql);
    }
    return finish(db, rc);
}

int store_schema_version(void)
{
    return STORE_SCHEMA;
}

/* ------------------------------------------------------------------ */
/* Accounts                                                             */
/* ------------------------------------------------------------------ */

#define ACCOUNT_COLS "id, name, plan, created_at, webhook_secret"

static void read_account(sqlite3_stmt *st, int c, st_account *a)
{
    col_text(st, c, a->id, sizeof a->id);
    col_text(st, c + 1, a->name, sizeof a->name);
    a->plan = sqlite3_column_int(st, c + 2);
    a->created_at = sqlite3_column_int64(st, c + 3);
    col_text(st, c + 4, a->webhook_secret, sizeof a->webhook_secret);
}

static int sq_account_create(store *s, const st_account *a)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = run(db, prep(db, "INSERT INTO accounts (" ACCOUNT_COLS ") VALUES (?, ?, ?, ?, ?)",
                          "ttuit", a->id, a->name, a->plan, a->created_at, a->webhook_secret));
    conn_put(q, db);
    return rc;
}

static int sq_account_get(store *s, const char *id, st_account *out)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, "SELECT " ACCOUNT_COLS " FROM accounts WHERE id = ?", "t", id);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc == SQLITE_ROW)
        read_account(st, 0, out);
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static int sq_account_list(store *s, st_account_fn fn, void *ud)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, "SELECT " ACCOUNT_COLS " FROM accounts ORDER BY created_at, id",
                            "");
    int rc = st ? SQLITE_ROW : SQLITE_ERROR;
    st_account a;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_account(st, 0, &a);
        if (fn(ud, &a) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static int sq_account_set_plan(store *s, const char *id, int plan)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = run(db, prep(db, "UPDATE accounts SET plan = ? WHERE id = ?", "ut", plan, id));
    if (rc == STORE_OK && sqlite3_changes(db) == 0)
        rc = STORE_NOT_FOUND;
    conn_put(q, db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */
/* ------------------------------------------------------------------ */

#define KEY_COLS "k.id, k.account_id, k.name, k.prefix, k.hash, k.created_at, k.revoked_at"

static void read_key(sqlite3_stmt *st, st_key *k)
{
    col_text(st, 0, k->id, sizeof k->id);
    col_text(st, 1, k->account_id, sizeof k->account_id);
    col_text(st, 2, k->name, sizeof k->name);
    col_text(st, 3, k->prefix, sizeof k->prefix);
    col_text(st, 4, k->hash, sizeof k->hash);
    k->created_at = sqlite3_column_int64(st, 5);
    k->revoked_at = sqlite3_column_int64(st, 6);
}

static int sq_key_create(store *s, const st_key *k)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = run(db, prep(db, "INSERT INTO api_keys (id, account_id, name, prefix, hash, "
                              "created_at) VALUES (?, ?, ?, ?, ?, ?)", "ttttti",
                          k->id, k->account_id, k->name, k->prefix, k->hash, k->created_at));
    conn_put(q, db);
    return rc;
}

static int sq_key_lookup(store *s, const char *hash, st_key *key, st_account *acct)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, "SELECT " KEY_COLS ", a.id, a.name, a.plan, a.created_at, "
                                "a.webhook_secret FROM api_keys k JOIN accounts a "
                                "ON a.id = k.account_id WHERE k.hash = ?", "t", hash);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc == SQLITE_ROW) {
        read_key(st, key);
        read_account(st, 7, acct);
    }
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static int sq_key_list(store *s, const char *account_id, st_key_fn fn, void *ud)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, "SELECT " KEY_COLS " FROM api_keys k WHERE ?1 IS NULL "
                                "OR k.account_id = ?1 ORDER BY k.created_at, k.id", "n",
                            account_id);
    int rc = st ? SQLITE_ROW : SQLITE_ERROR;
    st_key k;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_key(st, &k);
        if (fn(ud, &k) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static int sq_key_revoke(store *s, const char *key_id, int64_t now)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = run(db, prep(db, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at = 0",
                          "it", now, key_id));
    if (rc == STORE_OK && sqlite3_changes(db) == 0) {
        sqlite3_stmt *st = prep(db, "SELECT 1 FROM api_keys WHERE id = ?", "t", key_id);
        rc = st && sqlite3_step(st) == SQLITE_ROW ? STORE_CONFLICT : STORE_NOT_FOUND;
        sqlite3_finalize(st);
    }
    conn_put(q, db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Batches and files                                                    */
/* ------------------------------------------------------------------ */

static int add_event(sqlite3 *db, const char *kind, const char *batch_id, const char *account_id,
                     int64_t now)
{
    return run(db, prep(db, "INSERT INTO events (kind, batch_id, account_id, created_at) "
                            "VALUES (?, ?, ?, ?)", "ttti", kind, batch_id, account_id, now));
}

static int insert_files(sqlite3 *db, const st_batch *b, const st_file *files, size_t n)
{
    int rc = STORE_OK;
    for (size_t i = 0; i < n && rc == STORE_OK; i++)
        rc = run(db, prep(db, "INSERT INTO files (batch_id, idx, account_id, format, filename, "
                              "bytes) VALUES (?, ?, ?, ?, ?, ?)", "tuttti", b->id, (int)i,
                          b->account_id, files[i].format, files[i].filename,
                          (int64_t)files[i].bytes));
    return rc;
}

/* Within batch_create's transaction: the key's live record into *prior
 * (STORE_CONFLICT), or the new record (STORE_OK). */
static int idem_claim(sqlite3 *db, const st_batch *b, const st_idem *idem, int64_t since,
                      st_idem *prior)
{
    int rc = run(db, prep(db, "DELETE FROM idempotency_keys WHERE created_at <= ?", "i", since));
    sqlite3_stmt *st = rc == STORE_OK ? prep(db, "SELECT fingerprint, batch_id, created_at "
                                             "FROM idempotency_keys WHERE account_id = ? "
                                             "AND key = ?", "tt", b->account_id, idem->key)
                                      : NULL;
    if (rc != STORE_OK || !st)
        return STORE_ERROR;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *prior = *idem;
        col_text(st, 0, prior->fingerprint, sizeof prior->fingerprint);
        col_text(st, 1, prior->batch_id, sizeof prior->batch_id);
        prior->created_at = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (step == SQLITE_ROW)
        return STORE_CONFLICT;
    if (step != SQLITE_DONE)
        return fail("idempotency key", db);
    return run(db, prep(db, "INSERT INTO idempotency_keys (account_id, key, fingerprint, "
                            "batch_id, created_at) VALUES (?, ?, ?, ?, ?)", "tttti",
                        b->account_id, idem->key, idem->fingerprint, b->id, idem->created_at));
}

static int sq_batch_create(store *s, const st_batch *b, const st_file *files, size_t n,
                           const st_idem *idem, int64_t idem_since, st_idem *prior)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = exec(db, "BEGIN IMMEDIATE");
    if (rc == STORE_OK && idem)
        rc = idem_claim(db, b, idem, idem_since, prior);
    if (rc == STORE_OK)
        rc = run(db, prep(db, "INSERT INTO batches (id, account_id, state, total, callback_id, "
                              "webhook_url, estimated_seconds, created_at) "
                              "VALUES (?, ?, 0, ?, ?, ?, ?, ?)", "ttunndi", b->id, b->account_id,
                          (int)n, b->has_callback_id ? b->callback_id : NULL,
                          b->has_webhook_url ? b->webhook_url : NULL, b->estimated_seconds,
                          b->created_at));
    if (rc == STORE_OK)
        rc = insert_files(db, b, files, n);
    if (rc == STORE_OK)
        rc = add_event(db, "batch.created", b->id, b->account_id, b->created_at);
    rc = finish(db, rc);
    conn_put(q, db);
    return rc;
}

#define BATCH_COLS "id, account_id, state, total, processed, failed, callback_id, webhook_url, " \
                   "estimated_seconds, created_at, started_at, completed_at, expired_at"

static void read_batch(sqlite3_stmt *st, st_batch *b)
{
    memset(b, 0, sizeof *b);
    col_text(st, 0, b->id, sizeof b->id);
    col_text(st, 1, b->account_id, sizeof b->account_id);
    b->state = sqlite3_column_int(st, 2);
    b->total = sqlite3_column_int(st, 3);
    b->processed = sqlite3_column_int(st, 4);
    b->failed = sqlite3_column_int(st, 5);
    b->has_callback_id = sqlite3_column_type(st, 6) != SQLITE_NULL;
    col_text(st, 6, b->callback_id, sizeof b->callback_id);
    b->has_webhook_url = sqlite3_column_type(st, 7) != SQLITE_NULL;
    col_text(st, 7, b->webhook_url, sizeof b->webhook_url);
    b->estimated_seconds = sqlite3_column_double(st, 8);
    b->created_at = sqlite3_column_int64(st, 9);
    b->started_at = sqlite3_column_int64(st, 10);
    b->completed_at = sqlite3_column_int64(st, 11);
    b->expired_at = sqlite3_column_int64(st, 12);
}

static int sq_batch_get(store *s, const char *id, st_batch *out)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, "SELECT " BATCH_COLS " FROM batches WHERE id = ?", "t", id);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc == SQLITE_ROW)
        read_batch(st, out);
    else if (rc != SQLITE_DONE)
        fail("batch_get", db);
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static int sq_batch_results(store *s, const char *batch_id, st_result_fn fn, void *ud)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, "SELECT idx, json FROM results WHERE batch_id = ? ORDER BY idx",
                            "t", batch_id);
    int rc = st ? SQLITE_ROW : SQLITE_ERROR;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *json = (const char *)sqlite3_column_text(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        if (fn(ud, (uint32_t)sqlite3_column_int(st, 0), json ? json : "", len) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        fail("batch_results", db);
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static int sq_file_get(store *s, const char *batch_id, uint32_t index, st_file *out)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, "SELECT format, filename, bytes FROM files WHERE batch_id = ? "
                                "AND idx = ?", "tu", batch_id, (int)index);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc == SQLITE_ROW) {
        col_text(st, 0, out->format, sizeof out->format);
        col_text(st, 1, out->filename, sizeof out->filename);
        out->bytes = (uint64_t)sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* ------------------------------------------------------------------ */
/* The queue                                                            */
/* ------------------------------------------------------------------ */

/* The account served longest ago that has a queued file. */
static int next_account(sqlite3 *db, char *account_id)
{
    sqlite3_stmt *st = prep(db, "SELECT a.id FROM accounts a WHERE EXISTS (SELECT 1 FROM files f "
                                "WHERE f.account_id = a.id AND f.state = 0) "
                                "ORDER BY a.served_seq, a.id LIMIT 1", "");
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc == SQLITE_ROW)
        col_text(st, 0, account_id, STORE_ID_MAX);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : fail("claim", db);
}

/* That account's oldest queued file, leased to `owner`. */
static int lease_oldest(sqlite3 *db, const char *owner, int64_t until, st_claim *c)
{
    sqlite3_stmt *st = prep(db, "SELECT seq, batch_id, idx, format, attempts FROM files "
                                "WHERE account_id = ? AND state = 0 ORDER BY seq LIMIT 1", "t",
                            c->account_id);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    int64_t seq = 0;
    if (rc == SQLITE_ROW) {
        seq = sqlite3_column_int64(st, 0);
        col_text(st, 1, c->batch_id, sizeof c->batch_id);
        c->index = (uint32_t)sqlite3_column_int(st, 2);
        col_text(st, 3, c->format, sizeof c->format);
        c->attempt = sqlite3_column_int(st, 4) + 1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? STORE_NOT_FOUND : fail("claim", db);
    snprintf(c->owner, sizeof c->owner, "%s", owner);
    c->lease_expires = until;
    return run(db, prep(db, "UPDATE files SET state = 1, lease_owner = ?, lease_expires = ?, "
                            "attempts = attempts + 1 WHERE seq = ?", "tii", owner, until, seq));
}

static int sq_claim(store *s, const char *owner, int64_t now, int64_t until, st_claim *out)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    memset(out, 0, sizeof *out);
    int rc = exec(db, "BEGIN IMMEDIATE");
    /* leases nobody renewed: their files are waiting again. Never the
     * caller's own: it knows what it runs, and a wall-clock jump must not
     * hand a running file to a second worker. */
    if (rc == STORE_OK)
        rc = run(db, prep(db, "UPDATE files SET state = 0, lease_owner = NULL WHERE state = 1 "
                              "AND lease_expires <= ? AND lease_owner <> ?", "it", now, owner));
    if (rc == STORE_OK)
        rc = next_account(db, out->account_id);
    if (rc == STORE_OK)
        rc = lease_oldest(db, owner, until, out);
    if (rc == STORE_OK)
        rc = run(db, prep(db, "UPDATE accounts SET served_seq = (SELECT MAX(served_seq) + 1 "
                              "FROM accounts) WHERE id = ?", "t", out->account_id));
    if (rc == STORE_OK)
        rc = run(db, prep(db, "UPDATE batches SET state = 1, started_at = ? WHERE id = ? "
                              "AND state = 0", "it", now, out->batch_id));
    if (rc == STORE_NOT_FOUND) /* keep the lease take-over: COMMIT, then say "nothing" */
        rc = finish(db, STORE_OK) == STORE_OK ? STORE_NOT_FOUND : STORE_ERROR;
    else
        rc = finish(db, rc);
    conn_put(q, db);
    return rc;
}

static int count_query(sq_store *q, const char *sql, int64_t arg, int *count)
{
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, sql, "i", arg);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    *count = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    if (rc != SQLITE_ROW)
        fail("count", db);
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

static int sq_runnable(store *s, int64_t now, int *count)
{
    return count_query((sq_store *)s, "SELECT COUNT(*) FROM files WHERE state = 0 OR "
                                      "(state = 1 AND lease_expires <= ?)", now, count);
}

static int sq_renew(store *s, const char *owner, int64_t until)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = run(db, prep(db, "UPDATE files SET lease_expires = ? WHERE state = 1 AND "
                              "lease_owner = ?", "it", until, owner));
    conn_put(q, db);
    return rc;
}

static int sq_release(store *s, const st_claim *c)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = run(db, prep(db, "UPDATE files SET state = 0, lease_owner = NULL, lease_expires = 0, "
                              "attempts = attempts - 1 WHERE batch_id = ? AND idx = ? AND state = 1 "
                              "AND lease_owner = ? AND attempts = ?", "tutu", c->batch_id,
                          (int)c->index, c->owner, c->attempt));
    if (rc == STORE_OK && sqlite3_changes(db) == 0)
        rc = STORE_CONFLICT; /* no longer ours */
    conn_put(q, db);
    return rc;
}

static int sq_release_others(store *s, const char *keep_owner, int *count)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = run(db, prep(db, "UPDATE files SET state = 0, lease_owner = NULL, lease_expires = 0 "
                              "WHERE state = 1 AND (lease_owner IS NULL OR lease_owner <> ?)", "t",
                          keep_owner));
    *count = rc == STORE_OK ? sqlite3_changes(db) : 0;
    conn_put(q, db);
    return rc;
}

/* Moving averages: the first 1/alpha samples are averaged evenly, then each
 * new one weighs alpha. */
static int update_stats(sqlite3 *db, const st_sample *v, size_t n)
{
    int rc = STORE_OK;
    for (size_t i = 0; i < n && rc == STORE_OK; i++)
        rc = run(db, prep(db, "INSERT INTO stats (name, value, samples) VALUES (?1, ?2, 1) "
                              "ON CONFLICT(name) DO UPDATE SET value = value + "
                              "max(?3, 1.0 / (samples + 1)) * (?2 - value), samples = samples + 1",
                          "tdd", v[i].name, v[i].value, v[i].alpha));
    return rc;
}

/* The batch's counters after one more result; *done when it is complete. */
static int count_result(sqlite3 *db, const st_claim *c, int failed, int64_t now, int *done)
{
    int rc = run(db, prep(db, "UPDATE batches SET processed = processed + 1, failed = failed + ?, "
                              "state = CASE WHEN processed + 1 >= total THEN 2 ELSE 1 END, "
                              "completed_at = CASE WHEN processed + 1 >= total THEN ? ELSE 0 END, "
                              "started_at = CASE WHEN started_at = 0 THEN ? ELSE started_at END "
                              "WHERE id = ?", "uiit", failed, now, now, c->batch_id));
    if (rc != STORE_OK)
        return rc;
    sqlite3_stmt *st = prep(db, "SELECT state FROM batches WHERE id = ?", "t", c->batch_id);
    *done = st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == BATCH_COMPLETE;
    sqlite3_finalize(st);
    rc = *done ? add_event(db, "batch.completed", c->batch_id, c->account_id, now) : STORE_OK;
    return rc == STORE_OK && *done ? sqw_delivery_on_complete(db, c->batch_id, now) : rc;
}

static int sq_complete(store *s, const st_claim *c, const st_outcome *o, int64_t now, int *done)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    *done = 0;
    int rc = exec(db, "BEGIN IMMEDIATE");
    if (rc == STORE_OK) /* the first completion wins: a done file is left alone */
        rc = run(db, prep(db, "UPDATE files SET state = 2, lease_owner = NULL, error_code = ?, "
                              "pages = ?, seconds = ?, finished_at = ? WHERE batch_id = ? "
                              "AND idx = ? AND state <> 2", "nuditu", o->error_code, o->pages,
                          o->seconds, now, c->batch_id, (int)c->index));
    if (rc == STORE_OK && sqlite3_changes(db) == 0)
        rc = STORE_CONFLICT;
    if (rc == STORE_OK)
        rc = run(db, prep(db, "INSERT INTO results (batch_id, idx, json) VALUES (?, ?, ?)", "tut",
                          c->batch_id, (int)c->index, o->result_json));
    if (rc == STORE_OK)
        rc = count_result(db, c, o->error_code != NULL, now, done);
    if (rc == STORE_OK)
        rc = update_stats(db, o->samples, o->nsamples);
    rc = finish(db, rc);
    conn_put(q, db);
    return rc;
}

static int sq_queue(store *s, st_queue_fn fn, void *ud)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, "SELECT account_id, SUM(state = 0), SUM(state = 1) FROM files "
                                "WHERE state < 2 GROUP BY account_id ORDER BY account_id", "");
    int rc = st ? SQLITE_ROW : SQLITE_ERROR;
    st_queue_row row;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        col_text(st, 0, row.account_id, sizeof row.account_id);
        row.queued = sqlite3_column_int(st, 1);
        row.running = sqlite3_column_int(st, 2);
        if (fn(ud, &row) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        fail("queue", db);
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* ------------------------------------------------------------------ */
/* Retention                                                            */
/* ------------------------------------------------------------------ */

static int sq_batches_completed_before(store *s, int64_t cutoff, st_batch_fn fn, void *ud)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, "SELECT " BATCH_COLS " FROM batches WHERE state = 2 AND "
                                "completed_at <= ? ORDER BY completed_at", "i", cutoff);
    int rc = st ? SQLITE_ROW : SQLITE_ERROR;
    st_batch b;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_batch(st, &b);
        if (fn(ud, &b) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        fail("batches_completed_before", db);
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static int sq_batch_expire(store *s, const char *id, int64_t now)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    char account[STORE_ID_MAX] = "";
    int rc = exec(db, "BEGIN IMMEDIATE");
    sqlite3_stmt *st = rc == STORE_OK ? prep(db, "SELECT account_id FROM batches WHERE id = ? "
                                                 "AND state <> 3", "t", id) : NULL;
    if (rc == STORE_OK)
        rc = st && sqlite3_step(st) == SQLITE_ROW ? STORE_OK : STORE_NOT_FOUND;
    if (rc == STORE_OK)
        col_text(st, 0, account, sizeof account);
    sqlite3_finalize(st);
    if (rc == STORE_OK)
        rc = run(db, prep(db, "DELETE FROM results WHERE batch_id = ?", "t", id));
    if (rc == STORE_OK)
        rc = run(db, prep(db, "DELETE FROM files WHERE batch_id = ?", "t", id));
    if (rc == STORE_OK)
        rc = run(db, prep(db, "UPDATE batches SET state = 3, expired_at = ? WHERE id = ?", "it",
                          now, id));
    if (rc == STORE_OK)
        rc = add_event(db, "batch.expired", id, account, now);
    rc = finish(db, rc);
    conn_put(q, db);
    return rc;
}

static int sq_batch_forget(store *s, int64_t cutoff, int *count)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    int rc = exec(db, "BEGIN IMMEDIATE");
    if (rc == STORE_OK)
        rc = sqw_forget(db, cutoff);
    if (rc == STORE_OK)
        rc = run(db, prep(db, "DELETE FROM events WHERE batch_id IN (SELECT id FROM batches "
                              "WHERE state = 3 AND expired_at <= ?)", "i", cutoff));
    if (rc == STORE_OK)
        rc = run(db, prep(db, "DELETE FROM batches WHERE state = 3 AND expired_at <= ?", "i",
                          cutoff));
    *count = rc == STORE_OK ? sqlite3_changes(db) : 0;
    rc = finish(db, rc);
    conn_put(q, db);
    return rc;
}

static int sq_batch_exists(store *s, const char *id, int *live)
{
    st_batch b;
    int rc = sq_batch_get(s, id, &b);
    *live = rc == STORE_OK && b.state != BATCH_EXPIRED;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Statistics and events                                                */
/* ------------------------------------------------------------------ */

static int sq_stat_get(store *s, const char *name, double *value, int64_t *samples)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, "SELECT value, samples FROM stats WHERE name = ?", "t", name);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc == SQLITE_ROW) {
        *value = sqlite3_column_double(st, 0);
        *samples = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static int sq_events(store *s, int64_t after, int limit, st_event_fn fn, void *ud)
{
    sq_store *q = (sq_store *)s;
    sqlite3 *db = conn_get(q);
    if (!db)
        return STORE_ERROR;
    sqlite3_stmt *st = prep(db, "SELECT id, kind, batch_id, account_id, created_at FROM events "
                                "WHERE id > ? ORDER BY id LIMIT ?", "iu", after, limit);
    int rc = st ? SQLITE_ROW : SQLITE_ERROR;
    st_event e;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        e.id = sqlite3_column_int64(st, 0);
        col_text(st, 1, e.kind, sizeof e.kind);
        col_text(st, 2, e.batch_id, sizeof e.batch_id);
        col_text(st, 3, e.account_id, sizeof e.account_id);
        e.created_at = sqlite3_column_int64(st, 4);
        if (fn(ud, &e) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        fail("events", db);
    sqlite3_finalize(st);
    conn_put(q, db);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* ------------------------------------------------------------------ */
/* Open and close                                                       */
/* ------------------------------------------------------------------ */

static void sq_close(store *s)
{
    sq_store *q = (sq_store *)s;
    for (int i = 0; i < q->nidle; i++)
        sqlite3_close(q->idle[i]);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->freed);
    free(q);
}

static const struct store_ops sqlite_ops = {
    sq_close, sq_error,
    sq_account_create, sq_account_get, sq_account_list, sq_account_set_plan,
    sq_key_create, sq_key_lookup, sq_key_list, sq_key_revoke,
    sq_batch_create, sq_batch_get, sq_batch_results, sq_file_get,
    sq_claim, sq_runnable, sq_renew, sq_release, sq_release_others, sq_complete, sq_queue,
    sq_batches_completed_before, sq_batch_expire, sq_batch_forget, sq_batch_exists,
    sq_stat_get, sq_events,
    sqw_account_set_secret, sqw_deliveries_pending, sqw_delivery_get, sqw_deliveries_of,
    sqw_delivery_reschedule, sqw_delivery_fix_body, sqw_delivery_record, sqw_delivery_redeliver,
    sqw_delivery_attempts,
};

store *store_open(const char *dir, char *err)
{
    sq_store *q = calloc(1, sizeof *q);
    if (!q) {
        snprintf(err, STORE_ERR_MAX, "out of memory");
        return NULL;
    }
    q->base.ops = &sqlite_ops;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->freed, NULL);
    int n = snprintf(q->path, sizeof q->path, "%s/docflow.db", dir);
    sqlite3 *db = n > 0 && (size_t)n < sizeof q->path ? conn_open(q->path) : NULL;
    if (db && schema_ready(db) == STORE_OK) {
        q->idle[q->nidle++] = db;
        q->nopen = 1;
        return &q->base;
    }
    snprintf(err, STORE_ERR_MAX, "%.100s: %.140s", q->path, db || n > 0 ? t_err : "path too long");
    sqlite3_close(db);
    sq_close(&q->base);
    return NULL;
}

static const char *const plan_names[] = {"free", "starter", "growth", "enterprise"};

const char *store_plan_name(int plan)
{
    return plan >= 0 && plan < 4 ? plan_names[plan] : NULL;
}

int store_plan_parse(const char *name)
{
    for (int i = 0; name && i < 4; i++)
        if (!strcmp(name, plan_names[i]))
            return i;
    return -1;
}
