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
 * streams waits for the final call. Threads: one per connection
 * (MHD_USE_THREAD_PER_CONNECTION): a slow upload, a synchronous extraction
 * or a status poll never waits for another request.
 */
#include "http.h"

#include "auth.h"
#include "server_limits.h"
#include "metrics.h"
#include "upload.h"

#include <netdb.h>
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

/* Queue the answer; when that is impossible (out of memory) the connection
 * is closed instead (rq->cut). */
static void queue(struct request *rq, unsigned status, struct MHD_Response *r)
{
    if (r)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
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
    rq->route = find_route(method, url, rq->id, sizeof rq->id, &allow);
    if (!rq->route) {
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

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
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
        if (rq->up && upload_feed(rq->up, upload_data, *upload_data_size) != 0)
            return MHD_NO; /* past the hard limit: cut off */
        *upload_data_size = 0;
        return MHD_YES;
    }
    rq->route->handle(rq);
    return rq->cut ? MHD_NO : MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct request *rq = *con_cls;
    (void)cls, (void)c, (void)toe;
    if (!rq)
        return;
    metrics_request(rq->route ? rq->route->name : "other", rq->status);
    upload_free(rq->up); /* an interrupted upload leaves no file */
    free(rq);
    *con_cls = NULL;
}

/* ------------------------------------------------------------------ */
/* The daemon                                                           */
/* ------------------------------------------------------------------ */

static int resolve(const struct server *srv, struct sockaddr_storage *ss, int *v6, char *err)
{
    char port[16];
    struct addrinfo hints = {0}, *res = NULL;
    const char *host = srv->cfg.listen_host[0] ? srv->cfg.listen_host : "127.0.0.1";
    snprintf(port, sizeof port, "%d", srv->cfg.port);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, 512, "cannot listen on %s:%s: %s", host, port, gai_strerror(rc));
        return -1;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return 0;
}

int http_start(struct server *srv, char *err)
{
    struct sockaddr_storage ss;
    int v6;
    if (resolve(srv, &ss, &v6, err) != 0)
        return -1;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_AUTO | MHD_USE_ITC | (v6 ? MHD_USE_IPv6 : 0);
    srv->httpd = MHD_start_daemon(flags, 0, NULL, NULL, on_access, srv,
                                  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                                  MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
                                  MHD_OPTION_CONNECTION_LIMIT, (unsigned)SRV_MAX_CONNECTIONS,
                                  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SRV_IDLE_SECONDS,
                                  MHD_OPTION_END);
    if (!srv->httpd) {
        snprintf(err, 512, "cannot listen on %s:%d (address in use, or not this machine's?)",
                 srv->cfg.listen_host[0] ? srv->cfg.listen_host : "127.0.0.1", srv->cfg.port);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->httpd,
                                                           MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : srv->cfg.port;
    return 0;
}

void http_quiesce(struct server *srv)
{
    if (srv->httpd && srv->listen_fd < 0)
        srv->listen_fd = MHD_quiesce_daemon(srv->httpd); /* ours to close, after the stop */
}

void http_stop(struct server *srv)
{
    if (srv->httpd)
        MHD_stop_daemon(srv->httpd);
    srv->httpd = NULL;
    if (srv->listen_fd >= 0)
        close(srv->listen_fd);
    srv->listen_fd = -1;
}
