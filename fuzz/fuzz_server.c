/*
 * fuzz_server.c — libFuzzer harness for `docflow serve`'s own request
 * handling: routing, ids in paths, link signatures and expiries, headers
 * (Authorization, Idempotency-Key, Content-Type and its boundary,
 * Content-Length), form fields and multipart bodies through
 * MHD_PostProcessor's callbacks into upload.c.
 *
 * A real server runs in this process (server_start on a free loopback
 * port, a data directory under /tmp, one account with a key); each input
 * becomes one HTTP request on a fresh connection, half-closed after it is
 * sent so the server never waits for more, and the answer is read to the
 * end. The server must answer every request with an HTTP status line, and
 * every JSON answer must parse (a HEAD answer has none); a crash, a sanitizer report,
 * a hang (the client gives up after 45 s: past the 30 s idle timeout) or an
 * answer that breaks these is a finding.
 * The workers are stopped right after the start, so accepted batches only
 * pile up in the store and synchronous extractions answer 503: the target
 * is the request handling, not the extraction (fuzz_decode and
 * fuzz_extract have that).
 *
 * Input: the first byte picks a frame, the rest fills it:
 *   0 raw       the bytes are the whole request
 *   1 batch     POST /v1/batch with the key, Content-Type boundary "B", the
 *               bytes as the body (Content-Length right)
 *   2 extract   the same on POST /v1/extract
 *   3 link      GET /downloads/<bytes as path and query>
 *   4 status    GET /v1/batch/<bytes> with the key
 *   5 headers   POST /v1/batch with the key; the bytes are more header lines,
 *               then a small valid body
 * Build and run: see fuzz/README.md; target fuzz_server.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <cjson/cJSON.h>
#include <errno.h>
#include <time.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "auth.h"
#include "queue.h"
#include "server.h"

static struct server *srv;
static char dir[64], key[AUTH_KEY_MAX];

static void stop_at_exit(void)
{
    char cmd[96];
    server_stop(srv);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_server: could not remove %s\n", dir);
}

static void start_once(void)
{
    char err[512];
    st_account a;
    st_key k;
    struct srv_config cfg = {0};
    snprintf(dir, sizeof dir, "/tmp/df-fuzz-server-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    cfg.data_dir = dir;
    cfg.workers = 1;
    cfg.quiet = 1;
    cfg.access_log = "off";
    cfg.max_queued_files = 10000000;
    cfg.min_upload_rate = 1; /* the fuzzer's own speed is not the point */
    if (!(srv = server_start(&cfg, err))) {
        fprintf(stderr, "fuzz_server: %s\n", err);
        abort();
    }
    queue_stop(srv->queue); /* no extraction: see the top comment */
    if (auth_account_new(srv->st, PLAN_STARTER, "fuzz", srv_now(), &a) != 0 ||
        auth_key_new(srv->st, a.id, "fuzz", srv_now(), key, &k) != 0)
        abort();
    atexit(stop_at_exit);
}

/* Build the request for this input into a malloc'd buffer. */
static char *frame(const uint8_t *data, size_t size, size_t *len)
{
    unsigned kind = size ? data[0] % 6 : 0;
    const char *rest = size ? (const char *)data + 1 : "";
    size_t n = size ? size - 1 : 0;
    size_t cap = n + 1024;
    char *out = malloc(cap);
    int h = 0;
    if (!out)
        abort();
    switch (kind) {
    case 0:
        memcpy(out, rest, n);
        *len = n;
        return out;
    case 1:
    case 2:
        h = snprintf(out, cap, "POST /v1/%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: multipart/form-data; boundary=B\r\nContent-Length: %zu\r\n\r\n",
                     kind == 1 ? "batch" : "extract", key, n);
        break;
    case 3:
    case 4:
        h = snprintf(out, cap, "GET %s", kind == 3 ? "/downloads/" : "/v1/batch/");
        memcpy(out + h, rest, n);
        h += (int)n;
        h += snprintf(out + h, cap - (size_t)h, " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s"
                      "\r\n\r\n", key);
        *len = (size_t)h;
        return out;
    default: {
        static const char body[] = "--B\r\nContent-Disposition: form-data; name=\"files\"; "
                                   "filename=\"a.pdf\"\r\n\r\n%PDF-1.4\n\r\n--B--\r\n";
        h = snprintf(out, cap, "POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: multipart/form-data; boundary=B\r\n", key);
        memcpy(out + h, rest, n);
        h += (int)n;
        h += snprintf(out + h, cap - (size_t)h, "\r\nContent-Length: %zu\r\n\r\n%s",
                      sizeof body - 1, body);
        *len = (size_t)h;
        return out;
    }
    }
    memcpy(out + h, rest, n);
    *len = (size_t)h + n;
    return out;
}

/* Send, half-close, read the answer to the end (at most 1 MiB kept). */
static char *exchange(const char *req, size_t len, size_t *got)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv->port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {45, 0}; /* past the 30 s idle timeout: a hang is a real one */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    char *buf = malloc(1 << 20);
    *got = 0;
    if (fd < 0 || !buf || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        abort();
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (size_t off = 0; off < len;) {
        ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break; /* the server may close early on a refused request */
        off += (size_t)w;
    }
    shutdown(fd, SHUT_WR);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        ssize_t r = recv(fd, buf + *got, (1 << 20) - 1 - *got, 0);
        if (r < 0 && errno == EINTR)
            continue; /* libFuzzer's own alarm (SIGALRM, every second) */
        if (r < 0) {
            int e = errno;
            clock_gettime(CLOCK_MONOTONIC, &t1);
            fprintf(stderr, "fuzz_server: no answer: %s after %.1f s (pid %d)\n", strerror(e),
                    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
                    (int)getpid());
            if (getenv("FUZZ_SERVER_WAIT_ON_HANG"))
                sleep(600); /* attach a debugger */
            abort(); /* a hang */
        }
        if (r == 0 || *got + (size_t)r >= (1 << 20) - 1)
            break;
        *got += (size_t)r;
    }
    close(fd);
    buf[*got] = '\0';
    return buf;
}

/* An answer is either nothing (the connection cut: a request past a hard
 * limit) or a status line, headers, and for JSON a body that parses. */
static void check(const char *ans, size_t len)
{
    if (len == 0)
        return;
    if (len < 12 || strncmp(ans, "HTTP/1.", 7) != 0 || ans[8] != ' ') {
        fprintf(stderr, "fuzz_server: not an HTTP answer: %.60s\n", ans);
        abort();
    }
    const char *body = strstr(ans, "\r\n\r\n");
    const char *ct = strstr(ans, "Content-Type: application/json");
    /* No bytes after the headers: a HEAD answer (whose Content-Length is the
     * GET's), unless it says Content-Length: 0, which no JSON answer may. */
    if (body && ct && ct < body && !body[4]) {
        if (strstr(ans, "Content-Length: 0\r\n")) {
            fprintf(stderr, "fuzz_server: an empty JSON answer: %.200s\n", ans);
            abort();
        }
        return;
    }
    if (body && ct && ct < body && !strstr(ans, "Transfer-Encoding: chunked")) {
        const char *end = NULL;
        cJSON *j = cJSON_ParseWithOpts(body + 4, &end, 0);
        if (!j) {
            fprintf(stderr, "fuzz_server: a JSON answer does not parse: %.200s\n", body + 4);
            abort();
        }
        cJSON_Delete(j);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len, got;
    if (!srv)
        start_once();
    if (size > 256 * 1024)
        return 0;
    char *req = frame(data, size, &len);
    char *ans = exchange(req, len, &got);
    check(ans, got);
    free(ans);
    free(req);
    return 0;
}
