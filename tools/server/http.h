/*
 * http.h — one HTTP request through libmicrohttpd, and the answers it gets.
 *
 * Why it exists: every answer of the API is JSON, every error has the one
 * shape {"error": {"code", "message"}} with a stable snake_case code, and
 * refusals that do not need the body (no key, wrong plan, too large a
 * Content-Length) are answered before the body is read, so a client that
 * sent "Expect: 100-continue" never uploads what would be refused. This
 * file owns the request's life (first call, body chunks, final call,
 * completion) and the response helpers; routes.c says what each route does.
 *
 * Contents: struct api_error and its setter; struct request; the route
 * table's shape (struct route); response helpers; http_start / http_stop.
 */
#ifndef DF_SERVER_HTTP_H
#define DF_SERVER_HTTP_H

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <stdint.h>

#include "server.h"

/* An API error: HTTP status, stable code, message naming cause and file. */
struct api_error {
    unsigned status;
    const char *code; /* static string; NULL: no error */
    char message[640];
};

void api_error_set(struct api_error *e, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

struct upload;
struct route;

/* One request, from its first call to its completion. */
struct request {
    struct server *srv;
    struct MHD_Connection *conn;
    const struct route *route;
    char id[80];              /* the {id} path segment, as received (cut) */
    int authed;
    st_account account;
    struct upload *up;        /* routes with a multipart body */
    struct api_error err;     /* a refusal found while the body streamed */
    unsigned status;          /* the status sent (metrics) */
    int cut;                  /* no answer could be queued: close the connection */
    double started;           /* srv_mono() at the headers */
    int64_t wall_started;     /* srv_now() then, for the access log */
    char method[16];
    unsigned long long body_bytes; /* received so far */
    int retry_after;          /* > 0: send Retry-After with the answer (429) */
};

/* A route: method and path, what it needs before the body, what it does. */
struct route {
    const char *method;     /* "GET" (also serves HEAD) or "POST" */
    const char *path;       /* exact, or a prefix ending in '/' followed by {id} */
    int has_id;
    int needs_key;          /* Authorization: Bearer af_... */
    int has_body;           /* multipart: prepare() on the first call, handle() at the end */
    const char *name;       /* metrics label */
    /* First call, after the key was checked: refuse early (set rq->err) or
     * get ready for the body. */
    void (*prepare)(struct request *rq);
    /* After the body (or at once without one): queue the answer. */
    void (*handle)(struct request *rq);
};

/* routes.c: the table, ended by a route with path NULL. */
extern const struct route routes[];

/* Answers (each queues the response on rq->conn and records the status). */
void http_json(struct request *rq, unsigned status, cJSON *body); /* takes body */
void http_error(struct request *rq, const struct api_error *e);
void http_fail(struct request *rq, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void http_text(struct request *rq, unsigned status, const char *content_type, char *body,
               size_t len); /* takes body (malloc'd) */

/* A request header or query argument; NULL when absent. */
const char *http_header(struct request *rq, const char *name);
const char *http_query(struct request *rq, const char *name);

/* libmicrohttpd's callbacks (http.c), for the daemon (listener.c). */
enum MHD_Result http_on_access(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload_data,
                               size_t *upload_data_size, void **con_cls);
void http_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                       enum MHD_RequestTerminationCode toe);

/* 1 when the address is 127.0.0.0/8, ::1 or ::ffff:127.x.x.x. */
int is_loopback_addr(const struct sockaddr *sa);
/* 1 when the request's client connects from loopback. */
int http_from_loopback(struct request *rq);

/* Start / stop the daemon on srv->cfg's address (listener.c): TLS when
 * configured, plain HTTP beyond loopback only with insecure_http; sets
 * srv->httpd and srv->port. */
int http_start(struct server *srv, char *err);
void http_quiesce(struct server *srv); /* stop accepting new connections */
void http_stop(struct server *srv);

#endif
