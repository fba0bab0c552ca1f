/* test_server_webhook_send.c — one webhook attempt (tools/server/webhook_send.c) against a
 * raw HTTP listener on 127.0.0.1: the connection goes to the checked address, not to what
 * the URL's name would resolve to (pinning: the name here cannot resolve at all), the next
 * address is tried only when one cannot be connected to; the request's headers and exact
 * body with its HMAC; the environment's http_proxy ignored; a redirect not followed; an
 * endless answer cut at 64 KiB; a refused address never connected to. */
#include <arpa/inet.h>
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "signing.h"
#include "webhook_send.h"

/* A listener that answers every connection with `answer` (and, when
 * `endless`, a body that never ends), keeping the first request. */
struct listener {
    int fd, port, conns, endless;
    const char *answer;
    char first[8192];
    pthread_t thread;
};

static void read_request(int c, char *buf, size_t cap)
{
    size_t len = 0;
    char *end = NULL;
    long body = 0;
    while (len + 1 < cap) {
        ssize_t n = read(c, buf + len, cap - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
        if (!end && (end = strstr(buf, "\r\n\r\n"))) {
            char *cl = strcasestr(buf, "Content-Length:");
            body = cl ? strtol(cl + 15, NULL, 10) : 0;
        }
        if (end && len >= (size_t)(end + 4 - buf) + (size_t)body)
            break;
    }
    buf[len] = '\0';
}

static void *serve(void *arg)
{
    struct listener *l = arg;
    char buf[8192], chunk[16384];
    memset(chunk, 'x', sizeof chunk);
    for (;;) {
        int c = accept(l->fd, NULL, NULL);
        if (c < 0)
            return NULL;
        read_request(c, l->conns++ ? buf : l->first, sizeof buf);
        /* the sender may close first (an answer too long): a write to
         * its socket then fails with EPIPE, and must not kill the test */
        ssize_t w = send(c, l->answer, strlen(l->answer), MSG_NOSIGNAL);
        while (l->endless && w > 0)
            w = send(c, chunk, sizeof chunk, MSG_NOSIGNAL);
        close(c);
    }
}

static void listen_on(struct listener *l, const char *answer, int endless)
{
    struct sockaddr_in sa = {0};
    socklen_t len = sizeof sa;
    memset(l, 0, sizeof *l);
    l->answer = answer;
    l->endless = endless;
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    l->fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(l->fd, 0);
    ck_assert_int_eq(bind(l->fd, (struct sockaddr *)&sa, sizeof sa), 0);
    ck_assert_int_eq(listen(l->fd, 8), 0);
    ck_assert_int_eq(getsockname(l->fd, (struct sockaddr *)&sa, &len), 0);
    l->port = ntohs(sa.sin_port);
    ck_assert_int_eq(pthread_create(&l->thread, NULL, serve, l), 0);
}

static void stop_listener(struct listener *l)
{
    shutdown(l->fd, SHUT_RDWR);
    close(l->fd);
    pthread_join(l->thread, NULL);
}

static const char body[] = "{\"batch_id\":\"b\",\"status\":\"complete\"}";
static const char secret[] = "whsec_0123456789";
static const atomic_int running = 0;

/* POST body to url at addrs (no lookup): the attempt's outcome. */
static void send_to(const char *url, const char *host, int port, const char (*addrs)[NET_ADDR_MAX],
                    int n, st_attempt *a)
{
    struct webhook_config c;
    struct net_url u;
    struct webhook_message m = {url, body, "d-1", 1700000000, secret};
    memset(&c, 0, sizeof c);
    memset(a, 0, sizeof *a);
    snprintf(u.host, sizeof u.host, "%s", host);
    u.port = port;
    u.https = 0;
    ck_assert_int_eq(webhook_send_to(&c, &m, &u, addrs, n, &running, a), SEND_DONE);
}

START_TEST(pinned_to_the_checked_address)
{
    struct listener l;
    st_attempt a;
    char url[128], want[256], sig[SIGN_HEX];
    static const char addrs[2][NET_ADDR_MAX] = {"::1", "127.0.0.1"};
    setenv("http_proxy", "http://127.0.0.1:9", 1); /* never used */
    setenv("ALL_PROXY", "http://127.0.0.1:9", 1);
    listen_on(&l, "HTTP/1.1 204 No Content\r\n\r\n", 0);
    /* a name that cannot resolve: only the pinned address can be reached */
    snprintf(url, sizeof url, "http://pinned.invalid:%d/hook", l.port);
    send_to(url, "pinned.invalid", l.port, addrs + 1, 1, &a);
    ck_assert_msg(a.http_status == 204 && !a.error[0], "%d %s", a.http_status, a.error);
    /* ::1 has no listener on that port: the next address is tried */
    send_to(url, "pinned.invalid", l.port, addrs, 2, &a);
    ck_assert_msg(a.http_status == 204 && !a.error[0], "%d %s", a.http_status, a.error);
    stop_listener(&l);
    ck_assert_int_eq(l.conns, 2);
    snprintf(want, sizeof want, "Host: pinned.invalid:%d\r\n", l.port);
    ck_assert_msg(strstr(l.first, "POST /hook HTTP/1.1\r\n") && strstr(l.first, want), "%s", l.first);
    sign_hmac_hex(secret, strlen(secret), body, strlen(body), sig);
    snprintf(want, sizeof want, "\r\nX-Webhook-Signature: sha256=%s\r\n", sig);
    ck_assert_msg(strstr(l.first, want), "%s", l.first);
    ck_assert(strstr(l.first, "\r\nContent-Type: application/json\r\n"));
    ck_assert(strstr(l.first, "\r\nX-Webhook-Id: d-1\r\n"));
    ck_assert(strstr(l.first, "\r\nX-Webhook-Timestamp: 1700000000\r\n"));
    ck_assert(!strcasestr(l.first, "\r\nExpect:"));
    ck_assert_str_eq(strstr(l.first, "\r\n\r\n") + 4, body); /* the exact bytes */
    unsetenv("http_proxy");
    unsetenv("ALL_PROXY");
}
END_TEST

START_TEST(redirect_not_followed)
{
    struct listener l;
    st_attempt a;
    char url[128], answer[256] = "";
    static const char addrs[1][NET_ADDR_MAX] = {"127.0.0.1"};
    listen_on(&l, answer, 0);
    snprintf(answer, sizeof answer, "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:%d/other\r\n"
             "Content-Length: 0\r\n\r\n", l.port);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", l.port);
    send_to(url, "127.0.0.1", l.port, addrs, 1, &a);
    stop_listener(&l);
    ck_assert_int_eq(a.http_status, 302);
    ck_assert_int_eq(l.conns, 1);
}
END_TEST

START_TEST(endless_answer_cut)
{
    struct listener l;
    st_attempt a;
    char url[128];
    static const char addrs[1][NET_ADDR_MAX] = {"127.0.0.1"};
    listen_on(&l, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", 1);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", l.port);
    send_to(url, "127.0.0.1", l.port, addrs, 1, &a);
    stop_listener(&l);
    ck_assert_msg(a.http_status == 200 && !a.error[0], "%d %s", a.http_status, a.error);
    ck_assert_msg(a.seconds < SRV_WEBHOOK_TOTAL_MS / 2000.0, "%.3f s: not cut", a.seconds);
}
END_TEST

START_TEST(refused_never_connected)
{
    struct listener l;
    struct webhook_config c;
    st_attempt a;
    char url[128];
    memset(&c, 0, sizeof c);
    c.policy.allow_http = 1;
    listen_on(&l, "HTTP/1.1 204 No Content\r\n\r\n", 0);
    snprintf(url, sizeof url, "http://localhost:%d/hook", l.port);
    struct webhook_message m = {url, body, "d-1", 1700000000, secret};
    ck_assert_int_eq(webhook_send(&c, &m, &running, &a), SEND_DONE);
    ck_assert_msg(strstr(a.error, "refused: localhost resolves to") && a.http_status == 0, "%s",
                  a.error);
    c.policy.allow_private = 1; /* the same URL allowed: reached */
    ck_assert_int_eq(webhook_send(&c, &m, &running, &a), SEND_DONE);
    stop_listener(&l);
    ck_assert_msg(a.http_status == 204 && !a.error[0], "%d %s", a.http_status, a.error);
    ck_assert_int_eq(l.conns, 1);
}
END_TEST

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    Suite *s = suite_create("server_webhook_send");
    TCase *t = tcase_create("send");
    tcase_add_test(t, pinned_to_the_checked_address);
    tcase_add_test(t, redirect_not_followed);
    tcase_add_test(t, endless_answer_cut);
    tcase_add_test(t, refused_never_connected);
    suite_add_tcase(s, t);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    curl_global_cleanup();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
