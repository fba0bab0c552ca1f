/* test_server_http.c — the server's HTTP edge cases, in process: a real
 * `docflow serve` (server_start on a free loopback port, temp data dir)
 * driven with libcurl and with raw sockets where the bytes matter:
 * multipart bodies cut short, empty parts, parts split at the sniffing
 * boundary, unknown and repeated fields, field and file limits, names that
 * must not leak into messages raw, Expect: 100-continue answered only for
 * allowed requests, an upload cut off by the client, a file that cannot be
 * written, ids in URLs, and a store that does not answer.
 * Every refusal must leave nothing in tmp/ or batches/. */
#include <arpa/inet.h>
#include <check.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "server.h"

static struct server *srv;
static char dir[64], key[AUTH_KEY_MAX], free_key[AUTH_KEY_MAX], base[64];

static void start(void)
{
    char err[512];
    st_account a;
    st_key k;
    struct srv_config cfg = {0};
    snprintf(dir, sizeof dir, "/tmp/df-http-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    cfg.data_dir = dir;
    cfg.port = 0;
    cfg.workers = 1;
    cfg.quiet = 1;
    srv = server_start(&cfg, err);
    ck_assert_msg(srv != NULL, "%s", err);
    snprintf(base, sizeof base, "http://127.0.0.1:%d", srv->port);
    ck_assert_int_eq(auth_account_new(srv->st, PLAN_STARTER, "s", srv_now(), &a), 0);
    ck_assert_int_eq(auth_key_new(srv->st, a.id, "s", srv_now(), key, &k), 0);
    ck_assert_int_eq(auth_account_new(srv->st, PLAN_FREE, "f", srv_now(), &a), 0);
    ck_assert_int_eq(auth_key_new(srv->st, a.id, "f", srv_now(), free_key, &k), 0);
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void stop(void)
{
    char cmd[96];
    server_stop(srv);
    curl_global_cleanup();
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* ---- helpers ----------------------------------------------------------- */

struct buf {
    char *s;
    size_t len;
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct buf *b = ud;
    b->s = realloc(b->s, b->len + size * n + 1);
    memcpy(b->s + b->len, p, size * n);
    b->len += size * n;
    b->s[b->len] = '\0';
    return size * n;
}

/* Run a prepared request: the status, the answer parsed into *json
 * (caller frees; NULL when it is not JSON, unless must_be_json fails the
 * test). Frees c and h. */
static long perform(CURL *c, struct curl_slist *h, int must_be_json, cJSON **json)
{
    struct buf b = {NULL, 0};
    long status = 0;
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    *json = b.s ? cJSON_Parse(b.s) : NULL;
    if (must_be_json)
        ck_assert_msg(*json != NULL, "not JSON: %s", b.s ? b.s : "(empty)");
    free(b.s);
    return status;
}

/* POST `body` (len bytes) to path with the starter key; the status, the
 * answer parsed into *json (caller frees). */
static long post(const char *path, const char *ctype, const char *body, size_t len, cJSON **json)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char url[256], auth[128], ct[128];
    snprintf(url, sizeof url, "%s%s", base, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
    snprintf(ct, sizeof ct, "Content-Type: %s", ctype);
    h = curl_slist_append(h, auth);
    h = curl_slist_append(h, ct);
    h = curl_slist_append(h, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    return perform(c, h, 1, json);
}

static long get(const char *path, const char *k, cJSON **json)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char url[256], auth[128];
    snprintf(url, sizeof url, "%s%s", base, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", k ? k : "");
    if (k)
        h = curl_slist_append(h, auth);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L); /* "/v1/batch/.." as sent */
    return perform(c, h, 0, json);
}

static const char *err_code(const cJSON *j)
{
    const cJSON *c = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "error"), "code");
    return cJSON_IsString(c) ? c->valuestring : "(none)";
}

static const char *err_msg(const cJSON *j)
{
    const cJSON *c = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "error"), "message");
    return cJSON_IsString(c) ? c->valuestring : "";
}

/* A multipart body from parts "name|filename|content" (filename may be
 * empty: a plain field); content_len < 0: strlen. */
struct part {
    const char *name, *filename;
    const char *data;
    long len;
};

static char *form(const struct part *p, size_t n, int close_it, size_t *len)
{
    size_t cap = 1024;
    for (size_t i = 0; i < n; i++)
        cap += 512 + strlen(p[i].name) + (p[i].filename ? strlen(p[i].filename) : 0) +
               (size_t)(p[i].len >= 0 ? p[i].len : (long)strlen(p[i].data));
    char *s = malloc(cap), *w = s;
    for (size_t i = 0; i < n; i++) {
        size_t dl = p[i].len >= 0 ? (size_t)p[i].len : strlen(p[i].data);
        w += sprintf(w, "--XyZ\r\nContent-Disposition: form-data; name=\"%s\"", p[i].name);
        if (p[i].filename)
            w += sprintf(w, "; filename=\"%s\"\r\nContent-Type: application/octet-stream",
                         p[i].filename);
        w += sprintf(w, "\r\n\r\n");
        memcpy(w, p[i].data, dl);
        w += dl;
        w += sprintf(w, "\r\n");
    }
    if (close_it)
        w += sprintf(w, "--XyZ--\r\n");
    *len = (size_t)(w - s);
    return s;
}

#define MP "multipart/form-data; boundary=XyZ"
#define A_PDF {"files", "a.pdf", pdf, (long)pdf_len} /* a good file part */

static char pdf[4096];
static size_t pdf_len;

static void load_pdf(void)
{
    FILE *f = fopen(DF_FIXTURES_DIR "/sample-invoice.pdf", "rb");
    ck_assert_ptr_nonnull(f);
    pdf_len = fread(pdf, 1, sizeof pdf, f);
    fclose(f);
    ck_assert_uint_gt(pdf_len, 1000);
}

static int entries(const char *sub)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, sub);
    DIR *d = opendir(p);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* Nothing of a refused request stays: tmp/ empties once it is over. */
static void assert_nothing_kept(int batches) /* batch folders expected */
{
    for (int i = 0; i < 100 && entries("tmp") > 0; i++)
        usleep(10000);
    ck_assert_int_eq(entries("tmp"), 0);
    ck_assert_int_eq(entries("batches"), batches);
}

static void expect_refusal(const struct part *p, size_t n, int close_it, long want,
                           const char *code, const char *in_msg)
{
    size_t len;
    cJSON *j;
    int before = entries("batches");
    char *body = form(p, n, close_it, &len);
    long st = post("/v1/batch", MP, body, len, &j);
    ck_assert_msg(st == want && !strcmp(err_code(j), code), "got %ld %s (%s), want %ld %s", st,
                  err_code(j), err_msg(j), want, code);
    if (in_msg)
        ck_assert_msg(strstr(err_msg(j), in_msg), "message '%s' lacks '%s'", err_msg(j), in_msg);
    cJSON_Delete(j);
    free(body);
    assert_nothing_kept(before);
}

/* ---- tests --------------------------------------------------------------- */

START_TEST(accepted_form)
{
    size_t len;
    cJSON *j;
    char junk_pdf[2048];
    int before = entries("batches");
    load_pdf();
    memset(junk_pdf, ' ', sizeof junk_pdf); /* "%PDF-" after 1000 bytes: still a PDF */
    memcpy(junk_pdf + 1000, pdf, sizeof junk_pdf - 1000);
    char cb[257];
    memset(cb, 'c', 256);
    cb[256] = '\0';
    struct part p[] = {{"files", "a.pdf", pdf, (long)pdf_len},
                       {"callback_id", NULL, cb, -1},
                       {"files", "junk-first.pdf", junk_pdf, sizeof junk_pdf},
                       {"webhook_url", NULL, "https://hooks.example.invalid/hook?x=1", -1}};
    char *body = form(p, 4, 1, &len);
    ck_assert_int_eq(post("/v1/batch", MP, body, len, &j), 202);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "total_files")->valueint, 2);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "status")->valuestring, "queued");
    ck_assert_double_ge(cJSON_GetObjectItem(j, "estimated_seconds")->valuedouble, 1);
    char path[128];
    snprintf(path, sizeof path, "/v1/batch/%s", cJSON_GetObjectItem(j, "batch_id")->valuestring);
    cJSON_Delete(j);
    free(body);
    ck_assert_int_eq(get(path, key, &j), 200);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "callback_id")->valuestring, cb);
    cJSON_Delete(j);
    ck_assert_int_eq(get(path, free_key, &j), 404); /* another account's batch */
    ck_assert_str_eq(err_code(j), "batch_not_found");
    cJSON_Delete(j);
    assert_nothing_kept(before + 1);
}
END_TEST

START_TEST(form_refusals)
{
    load_pdf();
    char cb[258], url[2050], longname[10001];
    memset(cb, 'c', 257);
    cb[257] = '\0';
    memcpy(url, "https://", 8);
    memset(url + 8, 'u', 2041);
    url[2049] = '\0';
    memset(longname, 'n', 10000);
    longname[10000] = '\0';
    struct part empty_first[] = {{"files", "e.pdf", "", 0}, A_PDF};
    expect_refusal(empty_first, 2, 1, 415, "unsupported_format", "files[0] \"e.pdf\" is empty");
    struct part empty_last[] = {A_PDF, {"files", "e.pdf", "", 0}};
    expect_refusal(empty_last, 2, 1, 415, "unsupported_format", "files[1] \"e.pdf\"");
    struct part text[] = {{"files", "notes.txt", "just some text, no document", -1}};
    expect_refusal(text, 1, 1, 415, "unsupported_format", "supported formats: PDF");
    struct part cut[] = {A_PDF};
    expect_refusal(cut, 1, 0, 400, "malformed_multipart", "closing boundary");
    struct part unknown[] = {A_PDF, {"foo", NULL, "1", -1}};
    expect_refusal(unknown, 2, 1, 400, "unknown_field", "\"foo\"");
    struct part twice[] = {{"callback_id", NULL, "a", -1}, {"callback_id", NULL, "b", -1},
                           A_PDF};
    expect_refusal(twice, 3, 1, 400, "duplicate_field", "callback_id");
    struct part cb_long[] = {A_PDF, {"callback_id", NULL, cb, -1}};
    expect_refusal(cb_long, 2, 1, 400, "field_too_long", "256 bytes");
    struct part url_long[] = {{"webhook_url", NULL, url, -1}, A_PDF};
    expect_refusal(url_long, 2, 1, 400, "field_too_long", "2048 bytes");
    struct part url_rel[] = {A_PDF, {"webhook_url", NULL, "/hook", -1}};
    expect_refusal(url_rel, 2, 1, 400, "invalid_webhook_url", "\"/hook\"");
    struct part nul[] = {{"callback_id", NULL, "a\0b", 3}, A_PDF};
    expect_refusal(nul, 2, 1, 400, "invalid_field", "NUL");
    struct part latin1[] = {A_PDF, {"callback_id", NULL, "caf\xe9", -1}};
    expect_refusal(latin1, 2, 1, 400, "invalid_field", "not valid UTF-8");
    struct part bad_name[] = {{"files", "r\xe9\xc3\xa9sum\xc3.txt", "text", -1}};
    /* ill-formed bytes: U+FFFD each, as the library and the CLI print names */
    expect_refusal(bad_name, 1, 1, 415, "unsupported_format",
                   "\"r\xef\xbf\xbd\xc3\xa9sum\xef\xbf\xbd.txt\"");
    struct part none[] = {{"callback_id", NULL, "x", -1}};
    expect_refusal(none, 1, 1, 400, "no_files", "\"files\"");
    /* a 10 KB name with a control character: cut, and the control replaced */
    longname[3] = '\x01';
    struct part named[] = {{"files", longname, "text", -1}};
    size_t len;
    cJSON *j;
    char *body = form(named, 1, 1, &len);
    ck_assert_int_eq(post("/v1/batch", MP, body, len, &j), 415);
    ck_assert(strlen(err_msg(j)) < 640);
    ck_assert_ptr_null(strchr(err_msg(j), 1));
    ck_assert_ptr_nonnull(strstr(err_msg(j), "nnn?nnn"));
    cJSON_Delete(j);
    free(body);
    /* not multipart at all */
    ck_assert_int_eq(post("/v1/batch", "application/json", "{}", 2, &j), 400);
    ck_assert_str_eq(err_code(j), "not_multipart");
    cJSON_Delete(j);
    assert_nothing_kept(entries("batches"));
}
END_TEST

/* 100 files are a batch; the 101st is refused and names itself. */
START_TEST(file_count_limit)
{
    struct part p[101];
    size_t len;
    cJSON *j;
    int before = entries("batches");
    load_pdf();
    for (int i = 0; i < 101; i++)
        p[i] = (struct part){"files", "a.pdf", pdf, (long)pdf_len};
    expect_refusal(p, 101, 1, 400, "too_many_files", "files[100]");
    char *body = form(p, 100, 1, &len);
    ck_assert_int_eq(post("/v1/batch", MP, body, len, &j), 202);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "total_files")->valueint, 100);
    cJSON_Delete(j);
    free(body);
    assert_nothing_kept(before + 1);
}
END_TEST

/* 10 MB exactly is accepted; one byte more is 413, naming the file. */
START_TEST(file_size_limit)
{
    size_t max = 10u * 1024 * 1024, len;
    cJSON *j;
    char *big = malloc(max + 1);
    int before = entries("batches");
    load_pdf();
    memset(big, ' ', max + 1);
    memcpy(big, pdf, pdf_len);
    struct part p[] = {{"files", "small.pdf", pdf, (long)pdf_len},
                       {"files", "big.pdf", big, (long)max + 1}};
    expect_refusal(p, 2, 1, 413, "file_too_large", "files[1] \"big.pdf\"");
    p[1].len = (long)max;
    char *body = form(p, 2, 1, &len);
    ck_assert_int_eq(post("/v1/batch", MP, body, len, &j), 202);
    cJSON_Delete(j);
    free(body);
    free(big);
    assert_nothing_kept(before + 1);
}
END_TEST

/* ---- raw sockets --------------------------------------------------------- */

static int connect_server(void)
{
    struct sockaddr_in a = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)srv->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Read what arrives within `ms` (or until the peer closes). */
static size_t read_some(int fd, char *out, size_t cap, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < cap && (r = recv(fd, out + n, cap - 1 - n, 0)) > 0)
        n += (size_t)r;
    out[n] = '\0';
    return n;
}

static void send_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        ck_assert_int_gt(w, 0);
        s += w, n -= (size_t)w;
    }
}

static void headers(int fd, const char *k, const char *extra, size_t content_length)
{
    char h[512];
    int n = snprintf(h, sizeof h, "POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s"
                     "\r\nContent-Type: " MP "\r\nContent-Length: %zu\r\n%s\r\n", k,
                     content_length, extra);
    send_all(fd, h, (size_t)n);
}

/* Key and plan are checked before the body: a refused request never gets
 * "100 Continue"; an allowed one does. */
START_TEST(expect_continue)
{
    char resp[4096];
    int fd = connect_server();
    headers(fd, free_key, "Expect: 100-continue\r\n", 5000000);
    read_some(fd, resp, sizeof resp, 2000);
    ck_assert_msg(!strncmp(resp, "HTTP/1.1 403", 12), "%s", resp);
    ck_assert_ptr_null(strstr(resp, "100 Continue"));
    ck_assert_ptr_nonnull(strstr(resp, "\"plan_required\""));
    close(fd);
    fd = connect_server();
    headers(fd, "af_0000000000000000000000000000000000000000000000000000000000000000",
            "Expect: 100-continue\r\n", 5000000);
    read_some(fd, resp, sizeof resp, 2000);
    ck_assert_msg(!strncmp(resp, "HTTP/1.1 401", 12) && strstr(resp, "invalid_api_key"), "%s",
                  resp);
    close(fd);
    fd = connect_server(); /* a Content-Length no batch can have: 413 before the body */
    headers(fd, key, "Expect: 100-continue\r\n", (size_t)2000 * 1024 * 1024);
    read_some(fd, resp, sizeof resp, 2000);
    ck_assert_msg(!strncmp(resp, "HTTP/1.1 413", 12) && strstr(resp, "request_too_large"), "%s",
                  resp);
    close(fd);
    fd = connect_server();
    headers(fd, key, "Expect: 100-continue\r\n", 5000000);
    read_some(fd, resp, sizeof resp, 500);
    ck_assert_msg(!strncmp(resp, "HTTP/1.1 100 Continue", 21), "%s", resp);
    close(fd); /* and then the client goes away: nothing kept */
    assert_nothing_kept(entries("batches"));
}
END_TEST

/* A client that dies in the middle of a file leaves no file and no batch. */
START_TEST(interrupted_upload)
{
    size_t len, n = 300000;
    char resp[256], *big = malloc(n);
    load_pdf();
    memset(big, ' ', n);
    memcpy(big, pdf, pdf_len);
    struct part p[] = {{"files", "a.pdf", pdf, (long)pdf_len}, {"files", "b.pdf", big, (long)n}};
    char *body = form(p, 2, 1, &len);
    int fd = connect_server();
    headers(fd, key, "", len);
    send_all(fd, body, len - 1000); /* inside the second file */
    for (int i = 0; i < 100 && entries("tmp") < 2; i++)
        read_some(fd, resp, sizeof resp, 20);
    ck_assert_int_eq(entries("tmp"), 2); /* both parts are being stored... */
    close(fd);
    assert_nothing_kept(entries("batches")); /* ...and are gone with the connection */
    free(body);
    free(big);
}
END_TEST

/* A file that cannot be written (tmp/ is not a folder here; a full disk is
 * test_server.sh's): 500 storage_error naming the file, nothing kept. */
START_TEST(storage_refused)
{
    char t[128], away[128];
    int before = entries("batches");
    load_pdf();
    snprintf(t, sizeof t, "%s/tmp", dir);
    snprintf(away, sizeof away, "%s/tmp.away", dir);
    ck_assert_int_eq(rename(t, away), 0);
    FILE *f = fopen(t, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    size_t len;
    cJSON *j;
    struct part p[] = {A_PDF};
    char *body = form(p, 1, 1, &len);
    long st = post("/v1/batch", MP, body, len, &j);
    ck_assert_int_eq(unlink(t), 0);
    ck_assert_int_eq(rename(away, t), 0);
    ck_assert_msg(st == 500 && !strcmp(err_code(j), "storage_error"), "got %ld %s (%s)", st,
                  err_code(j), err_msg(j));
    ck_assert_msg(strstr(err_msg(j), "files[0] \"a.pdf\" could not be stored: "), "%s",
                  err_msg(j));
    cJSON_Delete(j);
    free(body);
    assert_nothing_kept(before);
}
END_TEST

START_TEST(ids_in_urls)
{
    cJSON *j;
    const char *bad[] = {"/v1/batch/not-a-uuid", "/v1/batch/7dfd45b2-d7b7-40ba-9bbf-2995b5108f3",
                         "/v1/batch/..", "/v1/batch/7dfd45b2-d7b7-40ba-9bbf-2995b5108f35"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_int_eq(get(bad[i], key, &j), 404);
        ck_assert_str_eq(err_code(j), "batch_not_found");
        cJSON_Delete(j);
    }
    ck_assert_int_eq(get("/v1/batch/a/b", key, &j), 404);
    ck_assert_str_eq(err_code(j), "not_found");
    cJSON_Delete(j);
    ck_assert_int_eq(get("/v1/batch/..%2F..%2Fsecret", key, &j), 404); /* never a path */
    cJSON_Delete(j);
    ck_assert_int_eq(get("/v1/batch/7dfd45b2-d7b7-40ba-9bbf-2995b5108f35", "nope", &j), 401);
    ck_assert_str_eq(err_code(j), "invalid_api_key");
    cJSON_Delete(j);
    ck_assert_int_eq(get("/v1/batch/7dfd45b2-d7b7-40ba-9bbf-2995b5108f35", NULL, &j), 401);
    ck_assert_str_eq(err_code(j), "missing_api_key");
    cJSON_Delete(j);
    ck_assert_int_eq(get("/v1/batch", key, &j), 405); /* GET on the submit route */
    ck_assert_str_eq(err_code(j), "method_not_allowed");
    cJSON_Delete(j);
    ck_assert_int_eq(get("/downloads/7dfd45b2-d7b7-40ba-9bbf-2995b5108f35", key, &j), 403);
    ck_assert_str_eq(err_code(j), "invalid_signature");
    cJSON_Delete(j);
}
END_TEST

/* /healthz when the store does not answer: 503 store_unavailable. The
 * store is an interface; its `runnable` call is made to fail for the one
 * request (what a lost PostgreSQL connection or a corrupt file would give),
 * then put back: healthy again. */
static int runnable_fails(store *s, int64_t now, int *count)
{
    (void)s, (void)now;
    *count = 0;
    return STORE_ERROR;
}

START_TEST(store_unavailable)
{
    cJSON *j;
    const struct store_ops *real = srv->st->ops;
    struct store_ops broken = *real;
    broken.runnable = runnable_fails;
    srv->st->ops = &broken;
    long st = get("/healthz", NULL, &j);
    srv->st->ops = real;
    ck_assert_msg(st == 503 && !strcmp(err_code(j), "store_unavailable"), "got %ld %s", st,
                  err_code(j));
    ck_assert_msg(strstr(err_msg(j), "the store does not answer"), "%s", err_msg(j));
    cJSON_Delete(j);
    ck_assert_int_eq(get("/healthz", NULL, &j), 200);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "status")->valuestring, "ok");
    cJSON_Delete(j);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("server_http");
    TCase *t = tcase_create("http");
    tcase_add_unchecked_fixture(t, start, stop);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, form_refusals);
    tcase_add_test(t, expect_continue);
    tcase_add_test(t, interrupted_upload);
    tcase_add_test(t, storage_refused);
    tcase_add_test(t, ids_in_urls);
    tcase_add_test(t, store_unavailable);
    tcase_add_test(t, accepted_form);
    tcase_add_test(t, file_count_limit);
    tcase_add_test(t, file_size_limit);
    suite_add_tcase(s, t);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
