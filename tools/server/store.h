/*
 * store.h — the server's durable state, as an interface.
 *
 * Why it exists: everything `docflow serve` must not lose (accounts, keys,
 * batches, their files and results, events) goes through these calls and
 * nothing else, so one SQLite file serves a single machine today
 * (store_sqlite.c, the only file with SQL in it) and a PostgreSQL store for
 * several machines can follow behind the same calls. The calls are shaped
 * for that: every write that must be atomic is one call (a batch with all
 * its files; a file's completion with its result, the batch's counters and
 * the completion event); claims are leases with an owner, an expiry and an
 * attempt count, so a worker that dies loses its files to the next claim;
 * completion is idempotent (the first completion of a file wins, a second
 * one changes nothing and says so). Callers pass the time (`now`, Unix
 * seconds) so that tests can move the clock.
 *
 * Contents: records (webhook deliveries and their attempts among them); the
 * operations table (struct store_ops); the calls, one inline wrapper each;
 * store_open.
 *
 * Thread-safety: a store may be used from any number of threads at once.
 */
#ifndef DF_SERVER_STORE_H
#define DF_SERVER_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "server_limits.h"

/* Return values of every call. */
enum {
    STORE_OK = 0,
    STORE_NOT_FOUND = 1, /* no such row (or nothing to claim) */
    STORE_CONFLICT = 2,  /* already so: a duplicate id, a completed file */
    STORE_ERROR = -1     /* the store failed; store_error() says why */
};

typedef enum store_plan { PLAN_FREE = 0, PLAN_STARTER, PLAN_GROWTH, PLAN_ENTERPRISE } store_plan;

/* "free", "starter", ...; NULL for an out-of-range plan. */
const char *store_plan_name(int plan);
/* The plan named (case-sensitive); -1 when none. */
int store_plan_parse(const char *name);

#define STORE_ID_MAX 40     /* "acct_" + 16 hex, "key_" + 16 hex, a UUID: with room */
#define STORE_NAME_MAX 128  /* an account's or key's free-text name */
#define STORE_SECRET_MAX 80 /* "whsec_" + 64 hex */
#define STORE_HASH_HEX 65   /* SHA-256 as hex, NUL-terminated */
#define STORE_FORMAT_MAX 8  /* "pdf", "jpeg", ... (df_sniff_format) */
#define STORE_ERR_MAX 256

typedef struct st_account {
    char id[STORE_ID_MAX];
    char name[STORE_NAME_MAX + 1];
    int plan;                               /* store_plan */
    int64_t created_at;
    char webhook_secret[STORE_SECRET_MAX]; /* signs this account's webhooks (issue 20) */
} st_account;

typedef struct st_key {
    char id[STORE_ID_MAX];
    char account_id[STORE_ID_MAX];
    char name[STORE_NAME_MAX + 1];
    char prefix[16];            /* the first characters of the key, for `keys list` */
    char hash[STORE_HASH_HEX];  /* SHA-256 of the whole key: the key itself is never stored */
    int64_t created_at;
    int64_t revoked_at;         /* 0 while usable */
} st_key;

typedef enum st_batch_state {
    BATCH_QUEUED = 0,  /* no file claimed yet */
    BATCH_PROCESSING,  /* some file claimed, not all done */
    BATCH_COMPLETE,    /* every file has a result (failed ones too) */
    BATCH_EXPIRED      /* retention ran out: files and results deleted, the row kept */
} st_batch_state;

typedef struct st_batch {
    char id[STORE_ID_MAX];
    char account_id[STORE_ID_MAX];
    int state;          /* st_batch_state */
    int total, processed, failed;
    int has_callback_id, has_webhook_url;
    char callback_id[SRV_MAX_CALLBACK_ID + 1];
    char webhook_url[SRV_MAX_WEBHOOK_URL + 1];
    double estimated_seconds; /* what the 202 said */
    int64_t created_at, started_at, completed_at, expired_at; /* 0: not yet */
} st_batch;

/* A file of a new batch, stored on disk before the batch is created. */
typedef struct st_file {
    char format[STORE_FORMAT_MAX]; /* df_sniff_format's name, also the extension */
    char filename[SRV_MAX_FILENAME + 1]; /* as uploaded; messages only */
    uint64_t bytes;
} st_file;

/* An Idempotency-Key's record: the first batch submitted under it. */
typedef struct st_idem {
    char key[SRV_MAX_IDEMPOTENCY_KEY + 1];
    char fingerprint[STORE_HASH_HEX]; /* of the submitted form (upload_digest) */
    char batch_id[STORE_ID_MAX];
    int64_t created_at;
} st_idem;

/* A leased file: who holds it, until when, and which attempt this is. */
typedef struct st_claim {
    char batch_id[STORE_ID_MAX];
    char account_id[STORE_ID_MAX];
    uint32_t index;
    char format[STORE_FORMAT_MAX];
    char owner[STORE_ID_MAX];
    int attempt;             /* 1 for the first claim of the file */
    int64_t lease_expires;
} st_claim;

/* A moving average to update with a new sample, in the same transaction. */
typedef struct st_sample {
    const char *name;
    double value;
    double alpha; /* weight of the sample; the first 1/alpha samples count evenly */
} st_sample;

/* What became of a claimed file. */
typedef struct st_outcome {
    const char *result_json;  /* the result object (df_result_to_json) */
    const char *error_code;   /* NULL when it succeeded */
    int pages;
    double seconds;           /* wall seconds of the extraction */
    const st_sample *samples; /* statistics to update with it */
    size_t nsamples;
} st_outcome;

/* Files of one account waiting or running, for estimates and metrics. */
typedef struct st_queue_row {
    char account_id[STORE_ID_MAX];
    int queued, running;
} st_queue_row;

/* An event (outbox): what happened to a batch, in order. A webhook
 * delivery is made in the same transaction as batch.completed (st_delivery). */
typedef struct st_event {
    int64_t id;
    char kind[32];  /* "batch.created", "batch.completed", "batch.expired" */
    char batch_id[STORE_ID_MAX];
    char account_id[STORE_ID_MAX];
    int64_t created_at;
} st_event;

/* A webhook delivery of a batch (issue 20): made pending in the transaction
 * that completes a batch with a webhook_url (and by `docflow webhooks
 * redeliver`); its body and id are fixed before its first attempt and sent
 * byte for byte on every retry. */
typedef enum st_delivery_state {
    DELIVERY_PENDING = 0, /* due at next_at (another attempt to make) */
    DELIVERY_DELIVERED,   /* a 2xx answer */
    DELIVERY_FAILED       /* every attempt failed */
} st_delivery_state;

typedef struct st_delivery {
    int64_t seq;                         /* the store's key */
    char delivery_id[STORE_ID_MAX];      /* "" until the body is fixed */
    char batch_id[STORE_ID_MAX];
    char account_id[STORE_ID_MAX];
    char url[SRV_MAX_WEBHOOK_URL + 1];
    char body[SRV_WEBHOOK_MAX_BODY];     /* "" until fixed */
    int64_t timestamp;                   /* in the body; 0 until fixed */
    int state;                           /* st_delivery_state */
    int attempts;                        /* made so far */
    int64_t next_at;                     /* due (pending), or a lease's end */
    int64_t created_at;
    int last_status;                     /* the last answer's HTTP status; 0: none */
    char last_error[STORE_ERR_MAX];      /* the last attempt's error; "" when it had none */
} st_delivery;

/* One attempt of a delivery: when, the HTTP status (0 when there was no
 * answer) and the error (the refusal, connection failure or timeout). */
typedef struct st_attempt {
    int n;                      /* 1 for the first */
    int64_t at;
    int http_status;
    char error[STORE_ERR_MAX];  /* "" when the receiver answered */
    double seconds;
} st_attempt;

/* Callbacks for listings: return 0 to go on, non-zero to stop. */
typedef int (*st_account_fn)(void *ud, const st_account *a);
typedef int (*st_key_fn)(void *ud, const st_key *k);
typedef int (*st_batch_fn)(void *ud, const st_batch *b);
typedef int (*st_result_fn)(void *ud, uint32_t index, const char *json, size_t len);
typedef int (*st_queue_fn)(void *ud, const st_queue_row *row);
typedef int (*st_event_fn)(void *ud, const st_event *e);
typedef int (*st_delivery_fn)(void *ud, const st_delivery *d);
typedef int (*st_attempt_fn)(void *ud, const st_attempt *a);

typedef struct store store;

struct store_ops {
    void (*close)(store *s);
    const char *(*error)(store *s); /* the last failure's message, this thread */

    /* accounts */
    int (*account_create)(store *s, const st_account *a);
    int (*account_get)(store *s, const char *id, st_account *out);
    int (*account_list)(store *s, st_account_fn fn, void *ud);
    int (*account_set_plan)(store *s, const char *id, int plan);

    /* keys: looked up by the hash of the key a request presents */
    int (*key_create)(store *s, const st_key *k);
    int (*key_lookup)(store *s, const char *hash, st_key *key, st_account *account);
    int (*key_list)(store *s, const char *account_id /* NULL: all */, st_key_fn fn, void *ud);
    int (*key_revoke)(store *s, const char *key_id, int64_t now);

    /* batches: created with all their files at once, and a batch.created
     * event. With `idem` (NULL: none), also the key's record, unless the
     * account already has one for that key created after `idem_since`: then
     * nothing is created, *prior is that record and the call says
     * STORE_CONFLICT. Records created at or before `idem_since` are
     * forgotten in the same transaction. */
    int (*batch_create)(store *s, const st_batch *b, const st_file *files, size_t n,
                        const st_idem *idem, int64_t idem_since, st_idem *prior);
    int (*batch_get)(store *s, const char *id, st_batch *out);
    /* results of a batch in file order */
    int (*batch_results)(store *s, const char *batch_id, st_result_fn fn, void *ud);
    /* one file of a batch (its format, name and size) */
    int (*file_get)(store *s, const char *batch_id, uint32_t index, st_file *out);

    /* the queue. claim: the next file, round-robin across accounts (the
     * account served longest ago first), FIFO within one; also takes over
     * files whose lease expired before `now`, except the owner's own.
     * STORE_NOT_FOUND: nothing. */
    int (*claim)(store *s, const char *owner, int64_t now, int64_t lease_until, st_claim *out);
    /* files waiting (not leased), all accounts */
    int (*runnable)(store *s, int64_t now, int *count);
    /* extend every lease `owner` holds */
    int (*renew)(store *s, const char *owner, int64_t lease_until);
    /* give a claimed file back without a result (a clean stop): queued
     * again, its attempt given back (only deaths count towards a poison
     * file) */
    int (*release)(store *s, const st_claim *c);
    /* give back every lease not held by `keep_owner` (a restarted server
     * that alone uses the store); *count says how many */
    int (*release_others)(store *s, const char *keep_owner, int *count);
    /* the result of a claimed file: STORE_OK and *batch_done when it made
     * the batch complete; STORE_CONFLICT when the file already had one
     * (nothing changed) */
    int (*complete)(store *s, const st_claim *c, const st_outcome *o, int64_t now,
                    int *batch_done);
    int (*queue)(store *s, st_queue_fn fn, void *ud);

    /* retention: complete batches that completed at or before `cutoff` */
    int (*batches_completed_before)(store *s, int64_t cutoff, st_batch_fn fn, void *ud);
    /* delete a batch's files and results, keep its row as expired (410),
     * add a batch.expired event */
    int (*batch_expire)(store *s, const char *id, int64_t now);
    /* forget expired batches deleted at or before `cutoff` (404 after) */
    int (*batch_forget)(store *s, int64_t cutoff, int *count);
    /* is there a batch (any state) with this id? for the data directory sweep */
    int (*batch_exists)(store *s, const char *id, int *live);

    /* statistics (moving averages, estimate.c) */
    int (*stat_get)(store *s, const char *name, double *value, int64_t *samples);

    /* events with id > after, oldest first, at most `limit` */
    int (*events)(store *s, int64_t after, int limit, st_event_fn fn, void *ud);

    /* webhooks (issue 20). `complete` makes a batch's first delivery. */
    /* a new webhook signing secret for an account */
    int (*account_set_secret)(store *s, const char *id, const char *secret);
    /* pending deliveries, the earliest due first, at most `limit` */
    int (*deliveries_pending)(store *s, int limit, st_delivery_fn fn, void *ud);
    int (*delivery_get)(store *s, int64_t seq, st_delivery *out);
    /* a batch's deliveries, oldest first (the last one is the current) */
    int (*deliveries_of)(store *s, const char *batch_id, st_delivery_fn fn, void *ud);
    /* move next_at from `from` to `to` if the delivery is still pending
     * with `attempts` made and next_at == from (a lease before an attempt,
     * its release); STORE_CONFLICT when it changed meanwhile */
    int (*delivery_reschedule)(store *s, int64_t seq, int attempts, int64_t from, int64_t to);
    /* fix the body and id, unless already fixed (the first wins; read it
     * back with delivery_get) */
    int (*delivery_fix_body)(store *s, int64_t seq, const char *delivery_id, const char *body,
                             int64_t timestamp);
    /* record attempt a->n (attempts must be a->n - 1, else STORE_CONFLICT)
     * and what follows: still pending until next_at, delivered or failed */
    int (*delivery_record)(store *s, int64_t seq, const st_attempt *a, int state, int64_t next_at);
    /* a new delivery of a complete batch with a webhook_url, due at `now`:
     * STORE_NOT_FOUND (no such batch), STORE_CONFLICT (not complete, no
     * webhook_url, expired, or a delivery still pending) */
    int (*delivery_redeliver)(store *s, const char *batch_id, int64_t now);
    /* a delivery's attempts, in order */
    int (*delivery_attempts)(store *s, int64_t seq, st_attempt_fn fn, void *ud);
};

struct store {
    const struct store_ops *ops;
};

/* Open the store of a data directory (created when new). The SQLite store
 * is the only one today; `dir` is the data directory. NULL on failure with
 * the reason in err (STORE_ERR_MAX bytes). */
store *store_open(const char *dir, char *err);

/* The schema version this build writes (PRAGMA user_version). */
int store_schema_version(void);

static inline void store_close(store *s)
{
    if (s)
        s->ops->close(s);
}
static inline const char *store_error(store *s)
{
    return s->ops->error(s);
}
static inline int store_account_create(store *s, const st_account *a)
{
    return s->ops->account_create(s, a);
}
static inline int store_account_get(store *s, const char *id, st_account *o)
{
    return s->ops->account_get(s, id, o);
}
static inline int store_account_list(store *s, st_account_fn fn, void *ud)
{
    return s->ops->account_list(s, fn, ud);
}
static inline int store_account_set_plan(store *s, const char *id, int plan)
{
    return s->ops->account_set_plan(s, id, plan);
}
static inline int store_key_create(store *s, const st_key *k)
{
    return s->ops->key_create(s, k);
}
static inline int store_key_lookup(store *s, const char *hash, st_key *k, st_account *a)
{
    return s->ops->key_lookup(s, hash, k, a);
}
static inline int store_key_list(store *s, const char *acct, st_key_fn fn, void *ud)
{
    return s->ops->key_list(s, acct, fn, ud);
}
static inline int store_key_revoke(store *s, const char *id, int64_t now)
{
    return s->ops->key_revoke(s, id, now);
}
static inline int store_batch_create(store *s, const st_batch *b, const st_file *f, size_t n)
{
    return s->ops->batch_create(s, b, f, n, NULL, 0, NULL);
}
static inline int store_batch_create_idem(store *s, const st_batch *b, const st_file *f, size_t n,
                                          const st_idem *idem, int64_t since, st_idem *prior)
{
    return s->ops->batch_create(s, b, f, n, idem, since, prior);
}
static inline int store_batch_get(store *s, const char *id, st_batch *o)
{
    return s->ops->batch_get(s, id, o);
}
static inline int store_batch_results(store *s, const char *id, st_result_fn fn, void *ud)
{
    return s->ops->batch_results(s, id, fn, ud);
}
static inline int store_file_get(store *s, const char *id, uint32_t i, st_file *o)
{
    return s->ops->file_get(s, id, i, o);
}
static inline int store_claim(store *s, const char *owner, int64_t now, int64_t until, st_claim *o)
{
    return s->ops->claim(s, owner, now, until, o);
}
static inline int store_runnable(store *s, int64_t now, int *n)
{
    return s->ops->runnable(s, now, n);
}
static inline int store_renew(store *s, const char *owner, int64_t until)
{
    return s->ops->renew(s, owner, until);
}
static inline int store_release(store *s, const st_claim *c)
{
    return s->ops->release(s, c);
}
static inline int store_release_others(store *s, const char *keep, int *n)
{
    return s->ops->release_others(s, keep, n);
}
static inline int store_complete(store *s, const st_claim *c, const st_outcome *o, int64_t now,
                                 int *done)
{
    return s->ops->complete(s, c, o, now, done);
}
static inline int store_queue(store *s, st_queue_fn fn, void *ud)
{
    return s->ops->queue(s, fn, ud);
}
static inline int store_batches_completed_before(store *s, int64_t cutoff, st_batch_fn fn, void *ud)
{
    return s->ops->batches_completed_before(s, cutoff, fn, ud);
}
static inline int store_batch_expire(store *s, const char *id, int64_t now)
{
    return s->ops->batch_expire(s, id, now);
}
static inline int store_batch_forget(store *s, int64_t cutoff, int *n)
{
    return s->ops->batch_forget(s, cutoff, n);
}
static inline int store_batch_exists(store *s, const char *id, int *live)
{
    return s->ops->batch_exists(s, id, live);
}
static inline int store_stat_get(store *s, const char *name, double *v, int64_t *n)
{
    return s->ops->stat_get(s, name, v, n);
}
static inline int store_events(store *s, int64_t after, int limit, st_event_fn fn, void *ud)
{
    return s->ops->events(s, after, limit, fn, ud);
}

static inline int store_account_set_secret(store *s, const char *id, const char *secret)
{
    return s->ops->account_set_secret(s, id, secret);
}
static inline int store_deliveries_pending(store *s, int limit, st_delivery_fn fn, void *ud)
{
    return s->ops->deliveries_pending(s, limit, fn, ud);
}
static inline int store_delivery_get(store *s, int64_t seq, st_delivery *out)
{
    return s->ops->delivery_get(s, seq, out);
}
static inline int store_deliveries_of(store *s, const char *batch_id, st_delivery_fn fn, void *ud)
{
    return s->ops->deliveries_of(s, batch_id, fn, ud);
}
static inline int store_delivery_reschedule(store *s, int64_t seq, int attempts, int64_t from,
                                            int64_t to)
{
    return s->ops->delivery_reschedule(s, seq, attempts, from, to);
}
static inline int store_delivery_fix_body(store *s, int64_t seq, const char *id, const char *body,
                                          int64_t timestamp)
{
    return s->ops->delivery_fix_body(s, seq, id, body, timestamp);
}
static inline int store_delivery_record(store *s, int64_t seq, const st_attempt *a, int state,
                                        int64_t next_at)
{
    return s->ops->delivery_record(s, seq, a, state, next_at);
}
static inline int store_delivery_redeliver(store *s, const char *batch_id, int64_t now)
{
    return s->ops->delivery_redeliver(s, batch_id, now);
}
static inline int store_delivery_attempts(store *s, int64_t seq, st_attempt_fn fn, void *ud)
{
    return s->ops->delivery_attempts(s, seq, fn, ud);
}

#endif
