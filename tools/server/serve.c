/*
 * serve.c — `docflow serve`: options, start-up, shutdown.
 *
 * Why it exists: the server must come up the same way every time and leave
 * nothing half-done when it stops or dies. Start-up, in order: the data
 * directory (0700) and its lock (one server per directory); the store
 * (schema checked or created); the link secret; the sweep (tmp/ emptied,
 * folders of batches the store does not know removed: what a crash
 * between an upload's renames and its commit leaves); leases held by the
 * previous process given back (its files are extracted again); the engine;
 * the workers; the janitor; the HTTP listener, so nothing is accepted
 * before it can be processed; then the webhook senders (what the last run
 * left pending goes out), once the download links' base URL is known. SIGINT/SIGTERM stop it: no new
 * connections, extractions in progress cancelled (their files go back to
 * the queue), requests in flight finished, everything freed.
 *
 * Contents: option parsing (listen address, durations); server_start;
 * server_stop; cmd_serve.
 */
#include "server.h"

#include "config.h"
#include "crashpoint.h"
#include "datadir.h"
#include "http.h"
#include "ids.h"
#include "janitor.h"
#include "metrics.h"
#include "server_limits.h"
#include "queue.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Options                                                              */
/* ------------------------------------------------------------------ */

static int serve_usage(FILE *f)
{
    fprintf(f,
            "usage: docflow serve --data-dir DIR [--listen HOST:PORT] [--workers N]\n"
            "                     [--public-url URL] [--retention DURATION]\n"
            "                     [--tls-cert FILE --tls-key FILE | --insecure-http]\n"
            "                     [--config FILE] [other options below, webhooks last]\n"
            "\n"
            "The hosted batch API (POST /v1/batch, GET /v1/batch/{id}, POST /v1/extract)\n"
            "on this machine. Keys: docflow keys create --plan starter --data-dir DIR.\n"
            "  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080; port 0: any)\n"
            "  --data-dir DIR       store, uploads and results (created 0700 when new)\n"
            "  --workers N          extraction threads (default: one per processor)\n"
            "  --public-url URL     base of the download links (default http://HOST:PORT)\n"
            "  --retention DURATION results kept after a batch completes, e.g. 48h, 30m,\n"
            "                       2d, 90s (default 48h)\n"
            "  --tessdata DIR, --lang LANGS   OCR data and languages, as for extract\n"
            "  --quiet              no start-up line\n"
            "  --tls-cert FILE, --tls-key FILE  serve HTTPS with this PEM certificate (chain)\n"
            "                       and key\n"
            "  --insecure-http      allow plain HTTP on an address beyond loopback (behind a\n"
            "                       proxy that terminates TLS); refused without it\n"
            "  --config FILE        settings from FILE, one 'name = value' per line (the flag\n"
            "                       without --; 'true' for flags without a value); the\n"
            "                       command line wins\n"
            "  --access-log FILE|off  one JSON line per request (default: stderr)\n"
            "  --cors-origin ORIGIN allow browser pages from ORIGIN (or *) to call the API\n"
            "                       (default: no CORS headers)\n"
            "  --metrics-public     answer GET /metrics to every client (default: loopback\n"
            "                       clients only)\n"
            "  --idle-timeout DURATION  close a connection idle this long (default 30s)\n"
            "  --min-upload-rate BYTES  cut off a request body arriving slower than BYTES/s\n"
            "                       on average after 10 s (default 4k; k = 1024)\n"
            "  --max-queued-files N files an account may have waiting or running; more is\n"
            "                       429 with Retry-After (default 1000)\n"
            WEBHOOK_USAGE);
    return f == stdout ? 0 : 2;
}

/* "48h", "30m", "2d", "90s" -> seconds; -1 when malformed. */
static int64_t parse_duration(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || v <= 0 || end[0] == '\0' || end[1] != '\0')
        return -1;
    long long unit = end[0] == 's' ? 1 : end[0] == 'm' ? 60 : end[0] == 'h' ? 3600
                   : end[0] == 'd' ? 86400 : 0;
    if (!unit || v > (long long)10 * 365 * 86400 / unit)
        return -1;
    return v * unit;
}

/* "HOST:PORT", "[v6]:PORT" or ":PORT" */
static int parse_listen(const char *s, struct srv_config *c)
{
    const char *colon = strrchr(s, ':');
    char *end;
    if (!colon)
        return -1;
    long port = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || port < 0 || port > 65535)
        return -1;
    size_t n = (size_t)(colon - s);
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
        s++, n -= 2;
    if (n >= sizeof c->listen_host)
        return -1;
    memcpy(c->listen_host, s, n);
    c->listen_host[n] = '\0';
    c->port = (int)port;
    return 0;
}

/* "4096", "4k", "1m" -> bytes per second; 0 when malformed. */
static unsigned parse_rate(const char *s)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    unsigned long unit = !*end ? 1 : !strcasecmp(end, "k") ? 1024 : !strcasecmp(end, "m")
                                                                    ? 1024 * 1024 : 0;
    if (errno || end == s || s[0] == '-' || !unit || v == 0 || v > 1024UL * 1024 * 1024 / unit)
        return 0;
    return (unsigned)(v * unit);
}

static int parse_workers(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < 1 || v > SRV_MAX_WORKERS)
        return -1;
    *out = (int)v;
    return 0;
}

static int serve_option(int ch, struct srv_config *c)
{
    switch (ch) {
    case 'd': c->data_dir = optarg; return 0;
    case 'l':
        if (parse_listen(optarg, c) == 0)
            return 0;
        fprintf(stderr, "docflow: --listen needs HOST:PORT, got '%s'\n", optarg);
        return -1;
    case 'w':
        if (parse_workers(optarg, &c->workers) == 0)
            return 0;
        fprintf(stderr, "docflow: --workers needs 1 to %d, got '%s'\n", SRV_MAX_WORKERS, optarg);
        return -1;
    case 'u': c->public_url = optarg; return 0;
    case 'r':
        if ((c->retention = parse_duration(optarg)) > 0)
            return 0;
        fprintf(stderr, "docflow: --retention needs a duration like 48h, 30m or 90s, got '%s'\n",
                optarg);
        return -1;
    case 't': c->tessdata = optarg; return 0;
    case 'g': c->lang = optarg; return 0;
    case 'q': c->quiet = 1; return 0;
    case 'C': c->tls_cert = optarg; return 0;
    case 'K': c->tls_key = optarg; return 0;
    case 'I': c->insecure_http = 1; return 0;
    case 'O': c->cors_origin = optarg; return 0;
    case 'M': c->metrics_public = 1; return 0;
    case 'A': c->access_log = optarg; return 0;
    case 'c': return 0; /* read before parsing (cmd_serve) */
    case 'i': {
        int64_t t = parse_duration(optarg);
        if (t > 0 && t <= 3600) {
            c->idle_timeout = (int)t;
            return 0;
        }
        fprintf(stderr, "docflow: --idle-timeout needs a duration of 1s to 1h, got '%s'\n", optarg);
        return -1;
    }
    case 'm':
        if ((c->min_upload_rate = parse_rate(optarg)) > 0)
            return 0;
        fprintf(stderr, "docflow: --min-upload-rate needs bytes per second like 4096 or 4k, got "
                "'%s'\n", optarg);
        return -1;
    case 'Q': {
        char *end;
        long v = strtol(optarg, &end, 10);
        if (end != optarg && !*end && v > 0 && v <= 10000000) {
            c->max_queued_files = (int)v;
            return 0;
        }
        fprintf(stderr, "docflow: --max-queued-files needs 1 to 10000000, got '%s'\n", optarg);
        return -1;
    }
    case 'h': exit(serve_usage(stdout));
    default: return webhook_option(ch, optarg, &c->webhook);
    }
}

static int parse_serve(int argc, char **argv, struct srv_config *c)
{
    static const struct option longopts[] = {
        {"data-dir", required_argument, NULL, 'd'}, {"listen", required_argument, NULL, 'l'},
        {"workers", required_argument, NULL, 'w'},  {"public-url", required_argument, NULL, 'u'},
        {"retention", required_argument, NULL, 'r'}, {"tessdata", required_argument, NULL, 't'},
        {"lang", required_argument, NULL, 'g'},     {"quiet", no_argument, NULL, 'q'},
        {"tls-cert", required_argument, NULL, 'C'}, {"tls-key", required_argument, NULL, 'K'},
        {"insecure-http", no_argument, NULL, 'I'},  {"cors-origin", required_argument, NULL, 'O'},
        {"metrics-public", no_argument, NULL, 'M'}, {"access-log", required_argument, NULL, 'A'},
        {"config", required_argument, NULL, 'c'},  {"idle-timeout", required_argument, NULL, 'i'},
        {"min-upload-rate", required_argument, NULL, 'm'},
        {"max-queued-files", required_argument, NULL, 'Q'},
        {"help", no_argument, NULL, 'h'},           WEBHOOK_LONGOPTS,
        {NULL, 0, NULL, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1)
        if (serve_option(ch, c) != 0)
            return -1;
    if (optind < argc) {
        fprintf(stderr, "docflow: serve takes no operands ('%s')\n", argv[optind]);
        return -1;
    }
    if (!c->data_dir) {
        fprintf(stderr, "docflow: serve needs --data-dir DIR\n");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Start and stop                                                       */
/* ------------------------------------------------------------------ */

static int public_url(struct server *srv, char *err)
{
    const char *u = srv->cfg.public_url;
    const char *host = srv->cfg.listen_host[0] ? srv->cfg.listen_host : "127.0.0.1";
    if (!u) {
        snprintf(srv->public_url, sizeof srv->public_url, strchr(host, ':') ? "%s://[%s]:%d"
                 : "%s://%s:%d", srv->cfg.tls_cert ? "https" : "http", host, srv->port);
        return 0;
    }
    size_t n = strlen(u);
    while (n > 0 && u[n - 1] == '/')
        n--;
    if ((strncasecmp(u, "http://", 7) && strncasecmp(u, "https://", 8)) ||
        n >= sizeof srv->public_url - 1 || strpbrk(u, " \t\r\n?#")) {
        snprintf(err, 512, "--public-url needs an http:// or https:// URL without a query, "
                 "got '%s'", u);
        return -1;
    }
    snprintf(srv->public_url, sizeof srv->public_url, "%.*s", (int)n, u);
    return 0;
}

static df_engine *start_engine(const struct srv_config *c, char *err)
{
    df_options *o = df_options_new();
    df_code code;
    char msg[DF_ERROR_MAX];
    if (!o) {
        snprintf(err, 512, "out of memory");
        return NULL;
    }
    if (c->tessdata)
        df_options_set_tessdata(o, c->tessdata);
    if (c->lang && df_options_set_languages(o, c->lang) != DF_OK) {
        snprintf(err, 512, "invalid --lang '%s'", c->lang);
        df_options_free(o);
        return NULL;
    }
    df_engine *e = df_engine_new(o, &code, msg);
    df_options_free(o);
    if (!e)
        snprintf(err, 512, "cannot start the engine: %.400s (%s)", msg, df_code_name(code));
    return e;
}

/* The store's side of a start: sweep the directory, give back old leases. */
static int recover(struct server *srv, char *err)
{
    int removed = 0, released = 0;
    char why[256];
    if (datadir_sweep(srv->cfg.data_dir, srv->st, &removed, why) != 0) {
        snprintf(err, 512, "%s", why);
        return -1;
    }
    if (store_release_others(srv->st, srv->instance, &released) != STORE_OK) {
        snprintf(err, 512, "giving back old leases failed: %s", store_error(srv->st));
        return -1;
    }
    if (!srv->cfg.quiet && (removed || released))
        fprintf(stderr, "docflow: recovered: %d files being extracted at the last stop are "
                "queued again; %d unfinished upload folders removed\n", released, removed);
    return 0;
}

/* The access log: stderr by default, "off", or a file appended to. */
static int open_access_log(struct server *srv, char *err)
{
    const char *a = srv->cfg.access_log;
    if (!a) {
        srv->access_log = stderr;
        return 0;
    }
    if (!strcmp(a, "off"))
        return 0;
    if (!(srv->access_log = fopen(a, "ae"))) {
        snprintf(err, 512, "cannot open --access-log %.400s: %s", a, strerror(errno));
        return -1;
    }
    return 0;
}

static int start_parts(struct server *srv, char *err)
{
    char why[STORE_ERR_MAX];
    umask(077);
    if (open_access_log(srv, err) != 0)
        return -1;
    if (datadir_prepare(srv->cfg.data_dir, why) != 0 ||
        (srv->lock_fd = datadir_lock(srv->cfg.data_dir, why)) < 0) {
        snprintf(err, 512, "%s", why);
        return -1;
    }
    if (!(srv->st = store_open(srv->cfg.data_dir, why))) {
        snprintf(err, 512, "cannot open the store: %s", why);
        return -1;
    }
    if (sign_load_secret(srv->cfg.data_dir, &srv->key, why) != 0) {
        snprintf(err, 512, "%s", why);
        return -1;
    }
    if (ids_new("srv_", 8, srv->instance, sizeof srv->instance) != 0) {
        snprintf(err, 512, "no random bytes");
        return -1;
    }
    if (recover(srv, err) != 0 || !(srv->engine = start_engine(&srv->cfg, err)))
        return -1;
    if (!(srv->webhooks = webhooks_new(srv, err))) /* before the workers: they kick it */
        return -1;
    if (!(srv->queue = queue_start(srv, err)) || !(srv->janitor = janitor_start(srv, err)))
        return -1;
    if (http_start(srv, err) != 0 || public_url(srv, err) != 0)
        return -1;
    return webhooks_run(srv->webhooks, err); /* after public_url: the links in the bodies */
}

struct server *server_start(const struct srv_config *cfg, char *err)
{
    struct server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(err, 512, "out of memory");
        return NULL;
    }
    srv->cfg = *cfg;
    srv->lock_fd = srv->listen_fd = -1;
    crash_init();
    metrics_start(srv_mono());
    if (srv->cfg.retention <= 0)
        srv->cfg.retention = SRV_DEFAULT_RETENTION_SECONDS;
    long procs = sysconf(_SC_NPROCESSORS_ONLN);
    srv->workers = cfg->workers > 0 ? cfg->workers : procs > 0 ? (int)procs : 1;
    if (srv->workers > SRV_MAX_WORKERS)
        srv->workers = SRV_MAX_WORKERS;
    if (start_parts(srv, err) != 0) {
        server_stop(srv);
        return NULL;
    }
    return srv;
}

void server_stop(struct server *srv)
{
    if (!srv)
        return;
    http_quiesce(srv);      /* no new connections */
    queue_stop(srv->queue); /* extractions cancelled, their files queued again */
    http_stop(srv);         /* requests in flight finish (a synchronous one: 503) */
    webhooks_stop(srv->webhooks); /* attempts in flight cut short: due at the next start */
    janitor_stop(srv->janitor);
    queue_free(srv->queue);
    df_engine_free(srv->engine);
    store_close(srv->st);
    if (srv->lock_fd >= 0)
        close(srv->lock_fd);
    if (srv->access_log && srv->access_log != stderr)
        fclose(srv->access_log);
    free(srv);
}

/* The value of --config (the last one), before the options are parsed. */
static const char *config_path(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strncmp(argv[i], "--config=", 9))
            path = argv[i] + 9;
        else if (!strcmp(argv[i], "--config") && i + 1 < argc)
            path = argv[++i];
    }
    return path;
}

static int serve_run(struct srv_config *cfgp)
{
    struct srv_config cfg = *cfgp;
    char err[512];
    sigset_t set;
    int sig;
    /* every thread inherits this mask; the main thread alone waits for them */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct server *srv = server_start(&cfg, err);
    if (!srv) {
        fprintf(stderr, "docflow: serve: %s\n", err);
        return 1;
    }
    if (!cfg.quiet) {
        const char *host = cfg.listen_host[0] ? cfg.listen_host : "127.0.0.1";
        fprintf(stderr, strchr(host, ':') ? "docflow: serving on %s://[%s]:%d" :
                "docflow: serving on %s://%s:%d", cfg.tls_cert ? "https" : "http", host,
                srv->port);
        if (cfg.public_url)
            fprintf(stderr, " (links on %s)", srv->public_url);
        fprintf(stderr, " (%d workers, data in %s)\n", srv->workers, cfg.data_dir);
    }
    fflush(stderr);
    sigwait(&set, &sig);
    if (!cfg.quiet)
        fprintf(stderr, "docflow: stopping (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    server_stop(srv);
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    struct srv_config cfg = {0};
    char err[512];
    const char *config = config_path(argc, argv);
    int all_argc = argc;
    char **all = config ? config_argv(config, argc, argv, &all_argc, err) : argv;
    if (!all) {
        fprintf(stderr, "docflow: serve: %s\n", err);
        return 2;
    }
    int rc = parse_serve(all_argc, all, &cfg);
    if (rc == 0)
        rc = serve_run(&cfg);
    else
        serve_usage(stderr), rc = 2;
    if (config)
        config_free(all, all_argc - argc);
    return rc;
}
