/*
 * listener.c — the libmicrohttpd daemon: address, TLS, limits, start, stop.
 *
 * Why it exists: what the server exposes to the network is decided in one
 * place. It listens on loopback unless told otherwise; beyond loopback it
 * speaks TLS (--tls-cert/--tls-key, libmicrohttpd's GnuTLS) or plain HTTP
 * only with --insecure-http (for a TLS-terminating proxy in front), so an
 * operator cannot expose keys and documents in clear text by accident. The
 * daemon's limits (connections, idle time, memory per connection) come
 * from server_limits.h and the configuration.
 *
 * Contents: resolve; is_loopback_addr; read_pem; http_start; http_quiesce;
 * http_stop.
 */
#include "http.h"

#include "server_limits.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

int is_loopback_addr(const struct sockaddr *sa)
{
    if (sa && sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa && sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a))
            return a->s6_addr[12] == 127;
        return IN6_IS_ADDR_LOOPBACK(a);
    }
    return 0;
}

/* A PEM file's text (NUL-terminated, malloc'd); NULL with err. */
static char *read_pem(const char *path, const char *what, char *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < 1024 * 1024 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL &&
        fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = '\0';
        fclose(f);
        if (strstr(buf, "-----BEGIN "))
            return buf;
        snprintf(err, 512, "%s %.400s is not PEM", what, path);
    } else {
        snprintf(err, 512, "cannot read %s %.400s: %s", what, path,
                 f && n == 0 ? "empty file" : strerror(errno ? errno : EIO));
        if (f)
            fclose(f);
    }
    free(buf);
    return NULL;
}

/* TLS or plain HTTP, and why not. */
static int check_transport(struct server *srv, const struct sockaddr_storage *ss, char *err)
{
    const struct srv_config *c = &srv->cfg;
    if (!c->tls_cert != !c->tls_key) {
        snprintf(err, 512, "--tls-cert and --tls-key go together");
        return -1;
    }
    if (c->tls_cert && !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
        snprintf(err, 512, "this libmicrohttpd was built without TLS");
        return -1;
    }
    if (!c->tls_cert && !c->insecure_http && !is_loopback_addr((const struct sockaddr *)ss)) {
        snprintf(err, 512, "listening on %s without TLS would send keys and documents in clear "
                 "text: give --tls-cert and --tls-key, or --insecure-http behind a TLS proxy",
                 c->listen_host);
        return -1;
    }
    if (c->tls_cert && (!(srv->tls_cert_pem = read_pem(c->tls_cert, "--tls-cert", err)) ||
                        !(srv->tls_key_pem = read_pem(c->tls_key, "--tls-key", err))))
        return -1;
    return 0;
}

int http_start(struct server *srv, char *err)
{
    struct sockaddr_storage ss;
    int v6;
    if (resolve(srv, &ss, &v6, err) != 0 || check_transport(srv, &ss, err) != 0)
        return -1;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_AUTO | MHD_USE_ITC | (v6 ? MHD_USE_IPv6 : 0) |
                     (srv->tls_cert_pem ? MHD_USE_TLS : 0);
    unsigned idle = srv->cfg.idle_timeout ? (unsigned)srv->cfg.idle_timeout : SRV_IDLE_SECONDS;
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_SOCK_ADDR, 0, &ss},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)http_on_completed, srv},
        {MHD_OPTION_CONNECTION_LIMIT, SRV_MAX_CONNECTIONS, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, idle, NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, SRV_CONNECTION_MEMORY, NULL},
        {srv->tls_cert_pem ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, srv->tls_cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, srv->tls_key_pem},
        {MHD_OPTION_END, 0, NULL}};
    srv->httpd = MHD_start_daemon(flags, 0, NULL, NULL, http_on_access, srv,
                                  MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!srv->httpd) {
        snprintf(err, 512, "cannot listen on %s:%d (address in use, not this machine's, or a "
                 "TLS certificate and key that do not match?)",
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
    free(srv->tls_cert_pem);
    free(srv->tls_key_pem);
    srv->tls_cert_pem = srv->tls_key_pem = NULL;
}
