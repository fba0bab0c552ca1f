/*
 * webhook.c — the deliverer: which delivery is due when, and what an
 * attempt's outcome makes of it. See webhook.h.
 *
 * Schedule. A delivery is due at once when its batch completes (queue.c
 * kicks the deliverer; the store made it pending in the completing
 * transaction). Attempt k + 1 is due backoff[k - 1] after attempt k was due
 * (planned times, not the ends of attempts, so a slow attempt does not push
 * the rest back): 0, 1, 5 and 21 s with the default 1s,4s,16s. The plan is
 * kept here on CLOCK_MONOTONIC (a wall-clock step does not move it); the
 * store keeps the wall-clock second each delivery is next due, which is
 * where a restarted server (or one that found a delivery made by `docflow
 * webhooks redeliver`) takes it from. After the last attempt the delivery is
 * failed.
 *
 * Threads. SRV_WEBHOOK_SENDERS identical senders share the in-memory table
 * of pending deliveries (at most SRV_WEBHOOK_MAX_PENDING, the earliest due
 * from the store); each takes the earliest due entry, leases it in the
 * store, makes the attempt without the lock, records it. One of them
 * refreshes the table from the store when kicked or every
 * SRV_WEBHOOK_POLL_SECONDS. An entry being attempted (busy) is never moved
 * or removed by a refresh.
 *
 * Body. Built once, before the first attempt, and stored
 * (delivery_fix_body): {"batch_id", "status": "complete", "download_url",
 * "callback_id", "delivery_id", "timestamp"}; every retry sends those
 * bytes. It is signed at each attempt with the account's current secret
 * (after `docflow accounts rotate-secret`, the new one).
 *
 * Contents: options; submission's URL check; the body; one attempt and its
 * outcome; the table and its refresh; the sender threads; start, stop,
 * kick; the status member.
 */
#include "webhook.h"

#include "ids.h"
#include "server.h"
#include "webhook_send.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Options                                                              */
/* ------------------------------------------------------------------ */

/* "1s,4s,16s", "250ms,1s": each wait 1 ms to 24 h. */
static int parse_backoff(const char *s, struct webhook_config *c)
{
    int n = 0;
    while (*s && n < SRV_WEBHOOK_MAX_RETRIES) {
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        long unit = !strncmp(end, "ms", 2) ? 1 : *end == 's' ? 1000 : *end == 'm' ? 60000 : 0;
        end += unit == 1 ? 2 : unit ? 1 : 0;
        if (errno || end == s || !unit || v <= 0 || v > 86400000L / unit ||
            (*end != ',' && *end != '\0'))
            return -1;
        c->backoff_ms[n++] = (int)(v * unit);
        s = *end && end[1] ? end + 1 : end; /* a trailing ',' stays: refused below */
    }
    if (*s || n == 0)
        return -1;
    c->nbackoff = n;
    return 0;
}

int webhook_option(int ch, const char *arg, struct webhook_config *c)
{
    switch (ch) {
    case WEBHOOK_OPT_PRIVATE: c->policy.allow_private = 1; return 0;
    case WEBHOOK_OPT_HTTP: c->policy.allow_http = 1; return 0;
    case WEBHOOK_OPT_CA_FILE: c->ca_file = arg; return 0;
    case WEBHOOK_OPT_PROXY:
        if (arg[0]) {
            c->proxy = arg;
            return 0;
        }
        fprintf(stderr, "docflow: --webhook-proxy needs a URL (http://HOST:PORT)\n");
        return -1;
    case WEBHOOK_OPT_BACKOFF:
        if (parse_backoff(arg, c) == 0)
            return 0;
        fprintf(stderr, "docflow: --webhook-backoff needs 1 to %d waits like 1s,4s,16s (units "
                "ms, s, m; each at most 24 h), got '%s'\n", SRV_WEBHOOK_MAX_RETRIES, arg);
        return -1;
    default: return -1;
    }
}

int webhook_url_check(const struct webhook_config *c, const char *url, char *why)
{
    return net_url_check(url, &c->policy, NULL, why);
}

/* ------------------------------------------------------------------ */
/* The deliverer's state                                                */
/* ------------------------------------------------------------------ */

/* A pending delivery in the schedule. */
struct entry {
    int used, busy;
    int64_t seq;
    int attempts;     /* made, as the store last said */
    int64_t next_at;  /* the store's due time: the lease compares it */
    double due;       /* srv_mono() of the planned attempt */
};

struct webhooks {
    struct server *srv;
    struct webhook_config cfg; /* the backoff filled in */
    pthread_t threads[SRV_WEBHOOK_SENDERS];
    int nthreads;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct entry table[SRV_WEBHOOK_MAX_PENDING];
    int kicked, refreshing;
    double next_look;  /* srv_mono() of the next refresh */
    atomic_int stopping;
};

/* ------------------------------------------------------------------ */
/* The body                                                             */
/* ------------------------------------------------------------------ */

/* The download link, as GET /v1/batch/{id} issues it (routes.c): valid
 * 24 h from now, never past the deletion of the results. */
static void download_url(const struct server *srv, const st_batch *b, int64_t now, char *out,
                         size_t cap)
{
    char sig[SIGN_HEX];
    int64_t deleted = b->completed_at + srv->cfg.retention;
    int64_t expires = now + SRV_LINK_SECONDS < deleted ? now + SRV_LINK_SECONDS : deleted;
    sign_link(&srv->key, b->id, expires, sig);
    snprintf(out, cap, "%s/downloads/%s?expires=%lld&signature=%s", srv->public_url, b->id,
             (long long)expires, sig);
}

/* Build d's body and fix it in the store (unless another deliverer did
 * first), then read back what the store holds. 0 or -1. */
static int fix_body(struct webhooks *w, st_delivery *d)
{
    store *st = w->srv->st;
    st_batch b;
    char id[IDS_UUID_LEN + 1], url[1024];
    int64_t now = srv_now();
    if (store_batch_get(st, d->batch_id, &b) != STORE_OK || ids_uuid4(id) != 0)
        return -1;
    download_url(w->srv, &b, now, url, sizeof url);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "batch_id", b.id);
    cJSON_AddStringToObject(o, "status", "complete");
    cJSON_AddStringToObject(o, "download_url", url);
    if (b.has_callback_id)
        cJSON_AddStringToObject(o, "callback_id", b.callback_id);
    else
        cJSON_AddNullToObject(o, "callback_id");
    cJSON_AddStringToObject(o, "delivery_id", id);
    cJSON_AddNumberToObject(o, "timestamp", (double)now);
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    int rc = body && strlen(body) < SRV_WEBHOOK_MAX_BODY &&
                     store_delivery_fix_body(st, d->seq, id, body, now) == STORE_OK &&
                     store_delivery_get(st, d->seq, d) == STORE_OK && d->body[0]
                 ? 0 : -1;
    free(body);
    return rc;
}

/* ------------------------------------------------------------------ */
/* One attempt                                                          */
/* ------------------------------------------------------------------ */

enum { ATTEMPT_RECORDED, ATTEMPT_DROPPED, ATTEMPT_LATER };

/* The wall clock, to the nanosecond. */
static double wall_exact(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The wall-clock second of a monotonic time (rounded up: never early). */
static int64_t wall_of(double mono)
{
    double ahead = mono - srv_mono();
    return (int64_t)ceil(wall_exact() + (ahead > 0 ? ahead : 0));
}

static void log_failure(const st_delivery *d, const st_attempt *a)
{
    if (a->error[0])
        fprintf(stderr, "docflow: webhook delivery %s of batch %s failed after %d attempts "
                "(last: %s)\n", d->delivery_id, d->batch_id, a->n, a->error);
    else
        fprintf(stderr, "docflow: webhook delivery %s of batch %s failed after %d attempts "
                "(last: HTTP %d)\n", d->delivery_id, d->batch_id, a->n, a->http_status);
}

/* Send d (leased, body fixed) once and record the outcome; e's attempts,
 * next_at and due follow it. */
static int send_and_record(struct webhooks *w, st_delivery *d, struct entry *e, int64_t lease)
{
    store *st = w->srv->st;
    st_account acct;
    st_attempt a;
    memset(&a, 0, sizeof a);
    a.n = e->attempts + 1;
    a.at = srv_now();
    if (store_account_get(st, d->account_id, &acct) != STORE_OK)
        snprintf(a.error, sizeof a.error, "the account %s cannot be read", d->account_id);
    struct webhook_message m = {d->url, d->body, d->delivery_id, d->timestamp,
                                acct.webhook_secret};
    if (!a.error[0] && webhook_send(&w->cfg, &m, &w->stopping, &a) == SEND_STOPPED) {
        store_delivery_reschedule(st, e->seq, e->attempts, lease, e->next_at);
        return ATTEMPT_LATER; /* due again as it was: the next start sends it */
    }
    int ok = a.http_status >= 200 && a.http_status <= 299 && !a.error[0];
    int last = a.n > w->cfg.nbackoff;
    double due = e->due + (ok || last ? 0 : w->cfg.backoff_ms[a.n - 1] / 1000.0);
    int state = ok ? DELIVERY_DELIVERED : last ? DELIVERY_FAILED : DELIVERY_PENDING;
    int64_t next_at = state == DELIVERY_PENDING ? wall_of(due) : a.at;
    int rc = store_delivery_record(st, e->seq, &a, state, next_at);
    if (rc != STORE_OK)
        return ATTEMPT_DROPPED; /* another deliverer recorded it; or the store failed */
    if (state == DELIVERY_FAILED)
        log_failure(d, &a);
    e->attempts = a.n;
    e->next_at = next_at;
    e->due = due;
    return state == DELIVERY_PENDING ? ATTEMPT_RECORDED : ATTEMPT_DROPPED;
}

/* Lease e's delivery, make sure it has its body, send it once. */
static int attempt(struct webhooks *w, struct entry *e)
{
    store *st = w->srv->st;
    int64_t lease = srv_now() + SRV_WEBHOOK_LEASE_SECONDS;
    int rc = store_delivery_reschedule(st, e->seq, e->attempts, e->next_at, lease);
    if (rc == STORE_CONFLICT)
        return ATTEMPT_DROPPED; /* no longer pending as we knew it */
    st_delivery *d = rc == STORE_OK ? malloc(sizeof *d) : NULL;
    if (d && store_delivery_get(st, e->seq, d) == STORE_OK && (d->body[0] || fix_body(w, d) == 0)) {
        int out = send_and_record(w, d, e, lease);
        free(d);
        return out;
    }
    fprintf(stderr, "docflow: webhook delivery %lld: the store failed: %s\n", (long long)e->seq,
            d ? store_error(st) : rc == STORE_OK ? "out of memory" : store_error(st));
    if (rc == STORE_OK) /* release the lease: tried again at the next look */
        store_delivery_reschedule(st, e->seq, e->attempts, lease, e->next_at);
    free(d);
    return ATTEMPT_LATER;
}

/* ------------------------------------------------------------------ */
/* The table                                                            */
/* ------------------------------------------------------------------ */

struct seen {
    int n;
    struct { int64_t seq, next_at; int attempts; } rows[SRV_WEBHOOK_MAX_PENDING];
};

static int collect(void *ud, const st_delivery *d)
{
    struct seen *s = ud;
    s->rows[s->n].seq = d->seq;
    s->rows[s->n].next_at = d->next_at;
    s->rows[s->n].attempts = d->attempts;
    return ++s->n == SRV_WEBHOOK_MAX_PENDING;
}

static struct entry *find(struct webhooks *w, int64_t seq)
{
    for (int i = 0; i < SRV_WEBHOOK_MAX_PENDING; i++)
        if (w->table[i].used && w->table[i].seq == seq)
            return &w->table[i];
    return NULL;
}

/* Merge what the store says is pending (under the lock). A row with more
 * attempts than the entry was changed elsewhere: take it; fewer or as many
 * is a listing older than this process's own last record: keep the entry
 * (its planned time is finer than the store's seconds). Entries no longer
 * pending are dropped, unless busy. */
static void merge(struct webhooks *w, const struct seen *s)
{
    double mono = srv_mono(), now = wall_exact();
    for (int r = 0; r < s->n; r++) { /* used: 1 not seen in the listing (yet), 2 seen */
        struct entry *e = find(w, s->rows[r].seq);
        for (int i = 0; !e && i < SRV_WEBHOOK_MAX_PENDING; i++)
            if (!w->table[i].used) {
                e = &w->table[i];
                memset(e, 0, sizeof *e);
                e->seq = s->rows[r].seq;
                e->attempts = -1;
            }
        if (!e)
            break;
        e->used = 2;
        if (!e->busy && s->rows[r].attempts > e->attempts) {
            e->attempts = s->rows[r].attempts;
            e->next_at = s->rows[r].next_at;
            e->due = mono + ((double)e->next_at > now ? (double)e->next_at - now : 0);
        }
    }
    for (int i = 0; i < SRV_WEBHOOK_MAX_PENDING; i++)
        if (w->table[i].used == 1 && !w->table[i].busy)
            w->table[i].used = 0;
        else if (w->table[i].used)
            w->table[i].used = 1;
}

/* Called with the lock held; returns with it held. */
static void refresh(struct webhooks *w)
{
    struct seen *s = malloc(sizeof *s);
    w->refreshing = 1;
    w->kicked = 0;
    pthread_mutex_unlock(&w->lock);
    int rc = s ? (s->n = 0, store_deliveries_pending(w->srv->st, SRV_WEBHOOK_MAX_PENDING, collect,
                                                     s))
               : STORE_ERROR;
    if (rc != STORE_OK)
        fprintf(stderr, "docflow: webhooks: reading pending deliveries failed: %s\n",
                s ? store_error(w->srv->st) : "out of memory");
    pthread_mutex_lock(&w->lock);
    if (rc == STORE_OK)
        merge(w, s);
    free(s);
    w->refreshing = 0;
    w->next_look = srv_mono() + SRV_WEBHOOK_POLL_SECONDS;
    pthread_cond_broadcast(&w->wake);
}

/* The earliest due entry nobody is sending; NULL when none. */
static struct entry *earliest(struct webhooks *w)
{
    struct entry *best = NULL;
    for (int i = 0; i < SRV_WEBHOOK_MAX_PENDING; i++) {
        struct entry *e = &w->table[i];
        if (e->used && !e->busy && (!best || e->due < best->due))
            best = e;
    }
    return best;
}

/* ------------------------------------------------------------------ */
/* Senders                                                              */
/* ------------------------------------------------------------------ */

static void wait_until(struct webhooks *w, double mono)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double wait = mono - ((double)ts.tv_sec + ts.tv_nsec / 1e9);
    if (wait > SRV_WEBHOOK_POLL_SECONDS)
        wait = SRV_WEBHOOK_POLL_SECONDS;
    if (wait < 0)
        wait = 0;
    long long ns = ts.tv_nsec + (long long)(wait * 1e9);
    ts.tv_sec += (time_t)(ns / 1000000000LL);
    ts.tv_nsec = (long)(ns % 1000000000LL);
    pthread_cond_timedwait(&w->wake, &w->lock, &ts);
}

/* One step of a sender (lock held): refresh, send the earliest due, or
 * wait for it. */
static void sender_step(struct webhooks *w)
{
    double now = srv_mono();
    if ((w->kicked || now >= w->next_look) && !w->refreshing) {
        refresh(w);
        return;
    }
    struct entry *e = earliest(w);
    if (!e || e->due > now) {
        wait_until(w, e && e->due < w->next_look ? e->due : w->next_look);
        return;
    }
    struct entry copy = *e;
    e->busy = 1;
    pthread_mutex_unlock(&w->lock);
    int out = attempt(w, &copy);
    pthread_mutex_lock(&w->lock);
    e->busy = 0;
    if (out == ATTEMPT_RECORDED) {
        e->attempts = copy.attempts;
        e->next_at = copy.next_at;
        e->due = copy.due;
    } else if (out == ATTEMPT_DROPPED) {
        e->used = 0; /* done, or someone else's: a refresh brings it back if pending */
    } else {
        e->due = srv_mono() + SRV_WEBHOOK_POLL_SECONDS;
    }
    pthread_cond_broadcast(&w->wake);
}

static void *sender_main(void *arg)
{
    struct webhooks *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!atomic_load(&w->stopping))
        sender_step(w);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Start, stop, kick                                                    */
/* ------------------------------------------------------------------ */

static int check_config(struct webhook_config *c, char *err)
{
    static const int dflt[] = SRV_WEBHOOK_BACKOFF_MS;
    if (c->nbackoff == 0) {
        c->nbackoff = (int)(sizeof dflt / sizeof *dflt);
        memcpy(c->backoff_ms, dflt, sizeof dflt);
    }
    FILE *f = c->ca_file ? fopen(c->ca_file, "re") : NULL;
    if (c->ca_file && !f) {
        snprintf(err, 512, "--webhook-ca-file %.400s: %s", c->ca_file, strerror(errno));
        return -1;
    }
    if (f)
        fclose(f);
    return 0;
}

struct webhooks *webhooks_new(struct server *srv, char *err)
{
    struct webhooks *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, 512, "out of memory");
        return NULL;
    }
    w->srv = srv;
    w->cfg = srv->cfg.webhook;
    w->kicked = 1; /* what the last run left pending goes out at once */
    if (check_config(&w->cfg, err) != 0) {
        free(w);
        return NULL;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, 512, "libcurl failed to start");
        free(w);
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &ca);
    pthread_condattr_destroy(&ca);
    return w;
}

int webhooks_run(struct webhooks *w, char *err)
{
    for (; w->nthreads < SRV_WEBHOOK_SENDERS; w->nthreads++)
        if (pthread_create(&w->threads[w->nthreads], NULL, sender_main, w) != 0) {
            snprintf(err, 512, "cannot start the webhook senders: %s", strerror(errno));
            return -1; /* server_stop joins those started */
        }
    return 0;
}

void webhooks_stop(struct webhooks *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    atomic_store(&w->stopping, 1);
    pthread_cond_broadcast(&w->wake);
    pthread_mutex_unlock(&w->lock);
    for (int i = 0; i < w->nthreads; i++)
        pthread_join(w->threads[i], NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    curl_global_cleanup();
    free(w);
}

void webhooks_kick(struct webhooks *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->kicked = 1;
    pthread_cond_broadcast(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

/* ------------------------------------------------------------------ */
/* GET /v1/batch/{id}: "webhook"                                        */
/* ------------------------------------------------------------------ */

static int keep_last(void *ud, const st_delivery *d)
{
    *(st_delivery *)ud = *d;
    return 0;
}

static const char *state_name(int state)
{
    return state == DELIVERY_DELIVERED ? "delivered" : state == DELIVERY_FAILED ? "failed"
                                                                                : "pending";
}

cJSON *webhook_status_json(store *st, const st_batch *b)
{
    if (!b->has_webhook_url)
        return cJSON_CreateNull();
    st_delivery *d = calloc(1, sizeof *d);
    if (!d || store_deliveries_of(st, b->id, keep_last, d) != STORE_OK) {
        free(d);
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    int made = d->seq != 0;
    /* not_sent: completed before this server delivered webhooks (an upgrade) */
    cJSON_AddStringToObject(o, "state", made ? state_name(d->state)
                                        : b->state == BATCH_COMPLETE ? "not_sent" : "waiting");
    cJSON_AddNumberToObject(o, "attempts", d->attempts);
    if (d->last_status)
        cJSON_AddNumberToObject(o, "last_status", d->last_status);
    else
        cJSON_AddNullToObject(o, "last_status");
    if (d->last_error[0])
        cJSON_AddStringToObject(o, "last_error", d->last_error);
    else
        cJSON_AddNullToObject(o, "last_error");
    if (d->delivery_id[0])
        cJSON_AddStringToObject(o, "delivery_id", d->delivery_id);
    else
        cJSON_AddNullToObject(o, "delivery_id");
    free(d);
    return o;
}
