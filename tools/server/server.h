/*
 * server.h — `docflow serve`: the pieces of the running server and how the
 * CLI reaches them.
 *
 * Why it exists: the server is a tool on the public df_ API, like the CLI,
 * split into one file per concept; this header is what they share: the
 * configuration, the running server's parts (store, engine, signing key,
 * queue, janitor, HTTP daemon), and the few helpers every part uses (the
 * clock, ISO times). The CLI (tools/docflow/main.c) dispatches
 * `docflow serve|accounts|keys` to the cmd_* functions here.
 *
 * Files: serve.c (options, start, stop), config.c (--config files),
 * http.c (requests, responses, errors, CORS, the access log), listener.c
 * (the daemon: address, TLS), routes.c (the API's routes), upload.c (multipart to disk),
 * queue.c (workers), estimate.c (estimated_seconds), janitor.c (leases,
 * retention), webhook.c (deliveries) + webhook_send.c (one attempt) +
 * netpolicy.c (where webhooks may go) + webhook_cmd.c (`docflow webhooks`),
 * metrics.c, accounts.c (accounts and keys commands), auth.c, signing.c,
 * ids.c, datadir.c, store.h + store_sqlite*.c, server_limits.h.
 * docs/server.md documents the API and the design.
 */
#ifndef DF_SERVER_H
#define DF_SERVER_H

#include <docflow/docflow.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "signing.h"
#include "store.h"
#include "webhook.h"

/* What `docflow serve` was told (serve.c parses the options). */
struct srv_config {
    const char *data_dir;
    char listen_host[256];  /* numeric address or a name; "" = 127.0.0.1 */
    int port;               /* 0: any free port (printed at start) */
    const char *public_url; /* NULL: http://<listen address> */
    int workers;            /* extraction threads; 0: one per processor */
    int64_t retention;      /* seconds results are kept after completion */
    const char *tessdata;   /* NULL: the library's default */
    const char *lang;       /* NULL: "eng" */
    int quiet;              /* no start-up line on stderr */
    int idle_timeout;       /* seconds; 0: SRV_IDLE_SECONDS */
    unsigned min_upload_rate; /* bytes/s; 0: SRV_MIN_UPLOAD_RATE */
    int max_queued_files;   /* per account; 0: SRV_DEFAULT_MAX_QUEUED_FILES */
    const char *tls_cert, *tls_key; /* PEM files: HTTPS */
    int insecure_http;      /* plain HTTP beyond loopback (behind a TLS proxy) */
    const char *cors_origin; /* NULL: no CORS headers; "*" or one origin */
    int metrics_public;     /* /metrics to every client, not only loopback ones */
    const char *access_log; /* NULL: stderr; "off"; or a file (appended) */
    struct webhook_config webhook; /* --webhook-*, --allow-*-webhooks */
};

struct queue;
struct janitor;
struct MHD_Daemon;

/* The running server. */
struct server {
    struct srv_config cfg;
    char public_url[512];      /* without a trailing slash */
    char instance[STORE_ID_MAX]; /* this process's lease owner id */
    int workers;
    int lock_fd;
    store *st;
    df_engine *engine;
    sign_key key;
    struct queue *queue;
    struct janitor *janitor;
    struct webhooks *webhooks;
    struct MHD_Daemon *httpd;
    int listen_fd;             /* after http_quiesce: the listening socket, closed at the stop */
    int port;                  /* the port actually bound */
    char *tls_cert_pem, *tls_key_pem; /* read at start (listener.c) */
    FILE *access_log;          /* NULL: none */
};

/* Start everything (serve.c): data directory, lock, store, sweep, lease
 * recovery, engine, workers, janitor, HTTP. NULL with err (512 bytes). */
struct server *server_start(const struct srv_config *cfg, char *err);
/* Stop accepting, stop the workers (files in progress go back to the
 * queue), free everything. */
void server_stop(struct server *srv);

/* Commands (argv[0] is the command's name). */
int cmd_serve(int argc, char **argv);
int cmd_accounts(int argc, char **argv);
int cmd_keys(int argc, char **argv);
/* The store of a data directory for a command (accounts.c); `create`: make
 * the directory when new. NULL after a message on stderr. */
store *admin_store(const char *dir, int create);

/* The wall clock, Unix seconds: what the store records and links carry. */
static inline int64_t srv_now(void)
{
    return (int64_t)time(NULL);
}

/* Seconds on a monotonic clock: durations (extraction times, waits). */
static inline double srv_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "2024-07-01T12:00:00Z" */
static inline void srv_iso_time(int64_t t, char *out, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm))
        strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(out, cap, "?");
}

#endif
