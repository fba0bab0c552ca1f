/*
 * http.c — requests through libmicrohttpd: routing, the key check before
 * the body, JSON answers and errors, the daemon. See http.h.
 *
 * libmicrohttpd calls on_access several times per request: first with the
 * headers only (upload_data_size 0, *con_cls NULL), then once per chunk of
 * the body, then once more with size 0. A response queued on the first call
 * is sent at once and the body is never read: that is where the route, the
 * key, the plan and the Content-Length are checked, and where libmicrohttpd
 * would otherwise answer "100 Continue". In the middle of a body it cannot
 * answer (MHD_queue_response fails), so a refusal found while the body
 * streams waits for the final call. Also here: the header-size limit, the
 * minimum upload rate, CORS (--cors-origin) and the access log (one JSON
 * line per request). Threads: one per connection
 * (MHD_USE_THREAD_PER_CONNECTION): a slow upload, a synchronous extraction
 * or a status poll never waits for another request.
 */
#include "http.h"

#include "auth.h"
#include "server_limits.h"
#include "metrics.h"
#include "upload.h"

#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void api_error_set(struct api_error *e, unsigned status, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    e->status = status;
    e->code = code;
}

const char *http_header(struct request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *http_query(struct request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* ------------------------------------------------------------------ */
/* Answers                                                              */
/* ------------------------------------------------------------------ */

/* CORS, only with --cors-origin: the allowed origin (or "*") when the
 * request came from it; browsers then let that page read the answer. */
static void add_cors(struct request *rq, struct MHD_Response *r)
{
    const char *allowed = rq->srv->cfg.cors_origin;
    const char *origin = allowed ? http_header(rq, "Origin") : NULL;
    if (!origin)
        return;
    if (!strcmp(allowed, "*"))
        MHD_add_response_header(r, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    else if (!strcmp(origin, allowed))
        MHD_add_response_header(r, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
    else
        return;
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Origin");
    MHD_add_response_header(r, "Access-Control-Expose-Headers", "Retry-After");
}

/* Queue the answer; when that is impossible (out of memory) the connection
 * is closed instead (rq->cut). */
static void queue(struct request *rq, unsigned status, struct MHD_Response *r)
{
    char secs[16];
    if (r)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r && rq->retry_after > 0) {
        snprintf(secs, sizeof secs, "%d", rq->retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, secs);
    }
    if (r)
        add_cors(rq, r);
    if (r && MHD_queue_response(rq->conn, status, r) == MHD_YES)
        rq->status = status;
    else
        rq->cut = 1;
    if (r)
        MHD_destroy_response(r);
}

void http_text(struct request *rq, unsigned status, const char *content_type, char *body,
               size_t len)
{
    struct MHD_Response *r = body ? MHD_create_response_from_buffer(len, body,
                                                                    MHD_RESPMEM_MUST_FREE)
                                   : NULL;
    if (!r) {
        free(body);
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        status = 500;
    } else {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    }
    queue(rq, status, r);
}

void http_json(struct request *rq, unsigned status, cJSON *body)
{
    char *s = body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    size_t n = s ? strlen(s) : 0;
    char *t = s ? realloc(s, n + 2) : NULL; /* a newline, as curl users expect */
    if (!t) {
        free(s);
        http_text(rq, 500, "application/json", NULL, 0);
        return;
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    http_text(rq, status, "application/json", t, n + 1);
}

void http_error(struct request *rq, const struct api_error *e)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(o, "error");
    cJSON_AddStringToObject(err, "code", e->code ? e->code : "internal_error");
    cJSON_AddStringToObject(err, "message", e->message);
    http_json(rq, e->status ? e->status : 500, o);
}

void http_fail(struct request *rq, unsigned status, const char *code, const char *fmt, ...)
{
    struct api_error e;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    e.status = status;
    e.code = code;
    http_error(rq, &e);
}

/* ------------------------------------------------------------------ */
/* Routing                                                              */
/* ------------------------------------------------------------------ */

static int path_matches(const struct route *r, const char *url, char *id, size_t cap)
{
    if (!r->has_id)
        return strcmp(url, r->path) == 0;
    size_t n = strlen(r->path);
    if (strncmp(url, r->path, n) != 0 || !url[n] || strchr(url + n, '/'))
        return 0;
    snprintf(id, cap, "%s", url + n);
    return 1;
}

/* The route for method and url; NULL with *allow set to the methods the
 * path has (405) or "" (404). */
static const struct route *find_route(const char *method, const char *url, char *id, size_t cap,
                                      const char **allow)
{
    int head = !strcmp(method, "HEAD");
    *allow = "";
    for (const struct route *r = routes; r->path; r++) {
        if (!path_matches(r, url, id, cap))
            continue;
        if (!strcmp(method, r->method) || (head && !strcmp(r->method, "GET")))
            return r;
        *allow = r->method;
    }
    return NULL;
}

static void refuse_route(struct request *rq, const char *method, const char *url,
                         const char *allow)
{
    char shown[SRV_MAX_QUOTED_NAME + 1];
    snprintf(shown, sizeof shown, "%s", url);
    if (!allow[0]) {
        http_fail(rq, 404, "not_found", "no such endpoint: %s %s", method, shown);
        return;
    }
    struct api_error e;
    api_error_set(&e, 405, "method_not_allowed", "%s does not take %s (only %s)", shown, method,
                  allow);
    cJSON *o = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(o, "error");
    cJSON_AddStringToObject(err, "code", e.code);
    cJSON_AddStringToObject(err, "message", e.message);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    struct MHD_Response *r = s ? MHD_create_response_from_buffer(strlen(s), s,
                                                                MHD_RESPMEM_MUST_FREE) : NULL;
    if (r) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, !strcmp(allow, "GET") ? "GET, HEAD"
                                                                                 : allow);
    } else {
        free(s);
    }
    queue(rq, 405, r);
}

/* The key of a /v1 request; 0 when it may go on, else the answer is queued. */
static int check_key(struct request *rq)
{
    const char *h = http_header(rq, MHD_HTTP_HEADER_AUTHORIZATION);
    switch (auth_check(rq->srv->st, h, &rq->account, NULL)) {
    case AUTH_OK:
        rq->authed = 1;
        return 0;
    case AUTH_MISSING:
        http_fail(rq, 401, "missing_api_key", h ? "the Authorization header is not "
                  "\"Bearer af_<key>\"" : "no API key: send the header \"Authorization: "
                  "Bearer af_<key>\"");
        return -1;
    case AUTH_INVALID:
        http_fail(rq, 401, "invalid_api_key", "the API key in the Authorization header is "
                  "not a key of this server");
        return -1;
    case AUTH_REVOKED:
        http_fail(rq, 401, "revoked_api_key", "the API key in the Authorization header was "
                  "revoked");
        return -1;
    default:
        http_fail(rq, 500, "internal_error", "checking the API key failed: %s",
                  store_error(rq->srv->st));
        return -1;
    }
}

/* ------------------------------------------------------------------ */
/* The request's life                                                   */
/* ------------------------------------------------------------------ */

static enum MHD_Result add_header_bytes(void *cls, enum MHD_ValueKind kind, const char *key,
                                        const char *value)
{
    size_t *n = cls;
    (void)kind;
    *n += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF */
    return MHD_YES;
}

/* The request line and headers, as sent (near enough: MHD keeps them parsed). */
static size_t header_bytes(struct MHD_Connection *c, const char *method, const char *url)
{
    size_t n = strlen(method) + strlen(url) + 12; /* " ", " HTTP/1.1", CRLF */
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_bytes, &n);
    return n;
}

/* A CORS preflight (OPTIONS on a known path, with --cors-origin): 204
 * with what the API takes. Without --cors-origin OPTIONS is like any
 * other method a path does not have (405). */
static int preflight(struct request *rq, const char *method, const char *allow)
{
    if (strcmp(method, "OPTIONS") != 0 || !rq->srv->cfg.cors_origin || !allow[0])
        return 0;
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"",
                                                             MHD_RESPMEM_PERSISTENT);
    if (r) {
        MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        MHD_add_response_header(r, "Access-Control-Allow-Headers",
                                "Authorization, Content-Type, Idempotency-Key");
        MHD_add_response_header(r, "Access-Control-Max-Age", "600");
    }
    queue(rq, 204, r);
    return 1;
}

int http_from_loopback(struct request *rq)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return ci && is_loopback_addr(ci->client_addr);
}

/* ------------------------------------------------------------------ */
/* The access log: one JSON line per request                            */
/* ------------------------------------------------------------------ */

/* time, method, route, status (0: no answer, the connection was cut), ms,
 * account, bytes of body received. Never a header, a key, a query (link
 * signatures are query arguments) or a secret: only what is listed here. */
static void access_log(struct request *rq)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    FILE *f = rq->srv->access_log;
    char when[32];
    if (!f)
        return;
    srv_iso_time(rq->wall_started, when, sizeof when);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "time", when);
    cJSON_AddStringToObject(o, "method", rq->method);
    cJSON_AddStringToObject(o, "route", rq->route ? rq->route->name : "other");
    cJSON_AddNumberToObject(o, "status", rq->status);
    cJSON_AddNumberToObject(o, "ms", (double)(long long)((srv_mono() - rq->started) * 1000 + 0.5));
    if (rq->authed)
        cJSON_AddStringToObject(o, "account", rq->account.id);
    cJSON_AddNumberToObject(o, "bytes_in", (double)rq->body_bytes);
    char *line = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (line) {
        pthread_mutex_lock(&lock);
        fprintf(f, "%s\n", line);
        fflush(f);
        pthread_mutex_unlock(&lock);
    }
    free(line);
}

static enum MHD_Result first_call(struct server *srv, struct MHD_Connection *c, const char *url,
                                  const char *method, void **con_cls)
{
    struct request *rq = calloc(1, sizeof *rq);
    const char *allow;
    if (!rq)
        return MHD_NO;
    *con_cls = rq;
    rq->srv = srv;
    rq->conn = c;
    rq->started = srv_mono();
    rq->wall_started = srv_now();
    snprintf(rq->method, sizeof rq->method, "%s", method);
    size_t hb = header_bytes(c, method, url);
    if (hb > SRV_MAX_HEADER_BYTES) {
        http_fail(rq, 431, "headers_too_large", "the request's headers are %zu bytes; at most %u "
                  "are read", hb, SRV_MAX_HEADER_BYTES);
        return MHD_YES;
    }
    rq->route = find_route(method, url, rq->id, sizeof rq->id, &allow);
    if (!rq->route) {
        if (!preflight(rq, method, allow))
            refuse_route(rq, method, url, allow);
        return MHD_YES;
    }
    if (rq->route->needs_key && check_key(rq) != 0)
        return MHD_YES;
    if (rq->route->prepare)
        rq->route->prepare(rq);
    if (rq->err.code) /* refused before the body: no "100 Continue" */
        http_error(rq, &rq->err);
    else if (!rq->route->has_body)
        rq->route->handle(rq);
    return MHD_YES;
}

/* Below the minimum upload rate once the grace period is over? A client
 * cut off here gets no answer (none can be sent mid-body); the log says. */
static int too_slow(struct request *rq)
{
    double elapsed = srv_mono() - rq->started;
    unsigned rate = rq->srv->cfg.min_upload_rate ? rq->srv->cfg.min_upload_rate
                                                 : SRV_MIN_UPLOAD_RATE;
    if (elapsed < SRV_UPLOAD_GRACE_SECONDS || rq->body_bytes >= rate * elapsed)
        return 0;
    fprintf(stderr, "docflow: cut off a %s upload at %.0f bytes/s after %.0f s (minimum %u)\n",
            rq->route ? rq->route->path : "?", rq->body_bytes / elapsed, elapsed, rate);
    return 1;
}

enum MHD_Result http_on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_data_size,
                                 void **con_cls)
{
    struct request *rq = *con_cls;
    (void)version;
    if (!rq) {
        enum MHD_Result r = first_call(cls, c, url, method, con_cls);
        rq = *con_cls;
        return rq && rq->cut ? MHD_NO : r;
    }
    if (rq->status) /* answered on the first call: nothing more */
        return MHD_YES;
    if (*upload_data_size) {
        rq->body_bytes += *upload_data_size;
        if (too_slow(rq))
            return MHD_NO; /* a trickle holding a connection: cut off */
        if (rq->up && upload_feed(rq->up, upload_data, *upload_data_size) != 0)
            return MHD_NO; /* past the hard limit: cut off */
        *upload_data_size = 0;
        return MHD_YES;
    }
    rq->route->handle(rq);
    return rq->cut ? MHD_NO : MHD_YES;
}

void http_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                       enum MHD_RequestTerminationCode toe)
{
    struct request *rq = *con_cls;
    (void)cls, (void)c, (void)toe;
    if (!rq)
        return;
    metrics_request(rq->route ? rq->route->name : "other", rq->status, srv_mono() - rq->started);
    access_log(rq);
    upload_free(rq->up); /* an interrupted upload leaves no file */
    free(rq);
    *con_cls = NULL;
}
