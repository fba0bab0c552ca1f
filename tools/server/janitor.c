/*
 * janitor.c — the server's housekeeping thread: leases and retention.
 *
 * Why it exists: two things must happen on time whether or not anyone
 * calls the API. (1) The leases of files this server is extracting are
 * renewed (SRV_LEASE_RENEW_SECONDS), so they run out only when the server
 * died and another worker may take them. (2) A batch's results are kept
 * for the retention period after it completed (--retention, default 48 h),
 * then its stored files and results are deleted and its row kept as a
 * tombstone, so GET /v1/batch/{id} answers 410 batch_expired rather than
 * 404; tombstones are forgotten after SRV_TOMBSTONE_SECONDS. The store is
 * changed first, then the folder removed: a crash between the two leaves a
 * folder of an expired batch, which the next start's sweep removes.
 *
 * Contents: janitor_run_once (also for tests); janitor_start / janitor_stop.
 */
#include "janitor.h"

#include "crashpoint.h"
#include "datadir.h"
#include "server_limits.h"
#include "server.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct janitor {
    struct server *srv;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stopping;
};

#define EXPIRE_PER_ROUND 256 /* batches deleted per round; the next round goes on */

struct expired {
    char ids[EXPIRE_PER_ROUND][STORE_ID_MAX];
    int n;
};

static int collect(void *ud, const st_batch *b)
{
    struct expired *e = ud;
    snprintf(e->ids[e->n++], STORE_ID_MAX, "%s", b->id);
    return e->n == EXPIRE_PER_ROUND;
}

int janitor_run_once(struct server *srv, int64_t now)
{
    struct expired e; /* 10 KB */
    int forgotten = 0, deleted = 0;
    store_renew(srv->st, srv->instance, now + SRV_LEASE_SECONDS);
    e.n = 0;
    if (store_batches_completed_before(srv->st, now - srv->cfg.retention, collect, &e) != STORE_OK)
        fprintf(stderr, "docflow: janitor: %s\n", store_error(srv->st));
    for (int i = 0; i < e.n; i++)
        if (store_batch_expire(srv->st, e.ids[i], now) == STORE_OK) {
            crash_point("janitor", NULL); /* expired in the store, the folder still there */
            datadir_remove_batch(srv->cfg.data_dir, e.ids[i]);
            deleted++;
        }
    store_batch_forget(srv->st, now - SRV_TOMBSTONE_SECONDS, &forgotten);
    return deleted;
}

/* Seconds between rounds: often enough for the lease renewal and for a
 * short retention (a test's), at most SRV_JANITOR_SECONDS. */
static int period(const struct server *srv)
{
    int64_t p = srv->cfg.retention / 4;
    if (p > SRV_LEASE_RENEW_SECONDS)
        p = SRV_LEASE_RENEW_SECONDS;
    if (p > SRV_JANITOR_SECONDS)
        p = SRV_JANITOR_SECONDS;
    return p < 1 ? 1 : (int)p;
}

static void *janitor_main(void *arg)
{
    struct janitor *j = arg;
    struct timespec until;
    pthread_mutex_lock(&j->lock);
    while (!j->stopping) {
        pthread_mutex_unlock(&j->lock);
        janitor_run_once(j->srv, srv_now());
        pthread_mutex_lock(&j->lock);
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += period(j->srv);
        while (!j->stopping && pthread_cond_timedwait(&j->wake, &j->lock, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

struct janitor *janitor_start(struct server *srv, char *err)
{
    struct janitor *j = calloc(1, sizeof *j);
    pthread_condattr_t ca;
    if (!j) {
        snprintf(err, 512, "out of memory");
        return NULL;
    }
    j->srv = srv;
    pthread_mutex_init(&j->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&j->wake, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&j->thread, NULL, janitor_main, j) != 0) {
        snprintf(err, 512, "cannot start the janitor: %s", strerror(errno));
        free(j);
        return NULL;
    }
    return j;
}

void janitor_stop(struct janitor *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->lock);
    j->stopping = 1;
    pthread_cond_signal(&j->wake);
    pthread_mutex_unlock(&j->lock);
    pthread_join(j->thread, NULL);
    pthread_mutex_destroy(&j->lock);
    pthread_cond_destroy(&j->wake);
    free(j);
}
