/*
 * routes.c — the API: what each route checks, does and answers.
 *
 * Why it exists: this is the hosted batch API's contract
 * (../shared/reference/hosted-batch-api.txt, issue 18) in one place; the
 * HTTP mechanics are http.c's, the body's upload.c's, the state the
 * store's. docs/server.md documents every route, field and error code.
 *
 * Contents: POST /v1/batch (submit); GET /v1/batch/{id} (status and the
 * pre-signed link); GET /downloads/{id} (results, by link, no key);
 * POST /v1/extract (one file, synchronous); GET /healthz; GET /metrics;
 * the route table.
 */
#include "crashpoint.h"
#include "datadir.h"
#include "estimate.h"
#include "http.h"
#include "ids.h"
#include "server_limits.h"
#include "metrics.h"
#include "signing.h"
#include "queue.h"
#include "upload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct upload_spec batch_spec = {"files", SRV_MAX_FILES, 1};
static const struct upload_spec extract_spec = {"file", 1, 0};

static void store_failed(struct request *rq, const char *what)
{
    http_fail(rq, 500, "internal_error", "%s failed: %s", what, store_error(rq->srv->st));
}

/* An id as received, safe to quote in a message. */
static void shown_id(const char *id, char *out, size_t cap)
{
    size_t n = 0;
    for (; id[n] && n + 1 < cap && n < 40; n++)
        out[n] = (unsigned char)id[n] < 0x20 || (unsigned char)id[n] >= 0x7f ? '?' : id[n];
    out[n] = '\0';
}

/* ------------------------------------------------------------------ */
/* POST /v1/batch                                                       */
/* ------------------------------------------------------------------ */

/* Idempotency-Key: absent (NULL), or 1 to SRV_MAX_IDEMPOTENCY_KEY visible
 * ASCII characters; anything else is refused before the body is read. */
static const char *idempotency_key(struct request *rq, struct api_error *e)
{
    const char *k = http_header(rq, "Idempotency-Key");
    size_t n = k ? strlen(k) : 0;
    int ok = n > 0 && n <= SRV_MAX_IDEMPOTENCY_KEY;
    for (size_t i = 0; ok && i < n; i++)
        ok = k[i] > 0x20 && k[i] < 0x7f;
    if (k && !ok)
        api_error_set(e, 400, "invalid_idempotency_key", "the Idempotency-Key header must be 1 "
                      "to %d visible ASCII characters (a UUID, for example); got %zu bytes",
                      SRV_MAX_IDEMPOTENCY_KEY, n);
    return ok ? k : NULL;
}

struct backlog {
    const char *account_id;
    int files;
};

static int add_backlog(void *ud, const st_queue_row *row)
{
    struct backlog *b = ud;
    if (sign_equal(row->account_id, b->account_id))
        b->files += row->queued + row->running;
    return 0;
}

/* Would `adding` more files take the account past its cap of waiting and
 * running files? Then 429 with a Retry-After of about the time the excess
 * takes to drain (at least 1 s); 0 when the batch may go on. */
static int over_backlog(struct request *rq, int adding, struct api_error *e)
{
    struct server *srv = rq->srv;
    struct backlog b = {rq->account.id, 0};
    int cap = srv->cfg.max_queued_files > 0 ? srv->cfg.max_queued_files
                                            : SRV_DEFAULT_MAX_QUEUED_FILES;
    if (store_queue(srv->st, add_backlog, &b) != STORE_OK) {
        api_error_set(e, 500, "internal_error", "reading the queue failed: %s",
                      store_error(srv->st));
        return -1;
    }
    if (b.files + adding <= cap && (adding > 0 || b.files < cap))
        return 0;
    int excess = b.files + (adding > 0 ? adding : 1) - cap;
    double secs = excess * estimate_file_seconds(srv->st, NULL) / srv->workers;
    rq->retry_after = secs < 1 ? 1 : secs > 86400 ? 86400 : (int)(secs + 0.999);
    if (adding > 0)
        api_error_set(e, 429, "queue_full", "account %s has %d files waiting or running and may "
                      "have at most %d; this batch's %d would exceed that: retry in about %d s",
                      rq->account.id, b.files, cap, adding, rq->retry_after);
    else
        api_error_set(e, 429, "queue_full", "account %s has %d files waiting or running, its "
                      "limit: retry in about %d s", rq->account.id, b.files, rq->retry_after);
    return -1;
}

static void batch_prepare(struct request *rq)
{
    idempotency_key(rq, &rq->err);
    if (rq->err.code)
        return;
    if (rq->account.plan == PLAN_FREE) {
        api_error_set(&rq->err, 403, "plan_required", "batch processing needs the Starter plan "
                      "or above; account %s is on the Free plan (single documents: POST "
                      "/v1/extract)", rq->account.id);
        return;
    }
    if (over_backlog(rq, 0, &rq->err) != 0)
        return;
    rq->up = upload_new(rq, &batch_spec, &rq->err);
}

/* webhook_url under the server's policy (webhook.h): syntax, scheme, a
 * literal address; no DNS here (each delivery attempt resolves). */
static int check_fields(struct request *rq, struct api_error *e)
{
    const char *hook = upload_field(rq->up, "webhook_url");
    char why[NET_WHY_MAX];
    if (hook && webhook_url_check(&rq->srv->cfg.webhook, hook, why) != 0) {
        char shown[SRV_MAX_QUOTED_NAME + 1];
        shown_id(hook, shown, sizeof shown);
        api_error_set(e, 400, "invalid_webhook_url", "webhook_url \"%s%s\" is refused: %s", shown,
                      strlen(hook) > 40 ? "..." : "", why);
        return -1;
    }
    return 0;
}

static void answer_accepted(struct request *rq, const st_batch *b)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "batch_id", b->id);
    cJSON_AddNumberToObject(o, "total_files", b->total);
    cJSON_AddStringToObject(o, "status", "queued");
    cJSON_AddNumberToObject(o, "estimated_seconds", b->estimated_seconds);
    http_json(rq, 202, o);
}

/* A retry under an Idempotency-Key already used: the first answer when it
 * sent the same form, else 409. Its own files were already removed. */
static void answer_replay(struct request *rq, const st_idem *mine, const st_idem *prior)
{
    st_batch first;
    if (!sign_equal(mine->fingerprint, prior->fingerprint)) {
        http_fail(rq, 409, "idempotency_key_reused", "Idempotency-Key \"%.64s%s\" was used for "
                  "a different request (batch %s) in the last 24 hours: use a new key for a "
                  "new batch", mine->key, strlen(mine->key) > 64 ? "..." : "", prior->batch_id);
        return;
    }
    int rc = store_batch_get(rq->srv->st, prior->batch_id, &first);
    if (rc != STORE_OK) {
        store_failed(rq, "reading the batch of the Idempotency-Key");
        return;
    }
    answer_accepted(rq, &first);
}

/* Every file is stored: move them into the batch, then make it visible. */
static void batch_submit(struct request *rq)
{
    struct server *srv = rq->srv;
    struct api_error e;
    st_batch b;
    st_file files[SRV_MAX_FILES];
    st_idem idem, prior;
    const char *ikey = idempotency_key(rq, &e);
    if (upload_finish(rq->up, &e) != 0 || check_fields(rq, &e) != 0 ||
        over_backlog(rq, (int)upload_count(rq->up), &e) != 0) {
        http_error(rq, &e);
        return;
    }
    if (ikey) {
        memset(&idem, 0, sizeof idem);
        snprintf(idem.key, sizeof idem.key, "%s", ikey);
        if (upload_digest(rq->up, idem.fingerprint) != 0) {
            http_fail(rq, 500, "internal_error", "out of memory");
            return;
        }
    }
    size_t n = upload_count(rq->up);
    for (size_t i = 0; i < n; i++)
        files[i] = *upload_info(rq->up, i);
    memset(&b, 0, sizeof b);
    snprintf(b.account_id, sizeof b.account_id, "%s", rq->account.id);
    const char *cb = upload_field(rq->up, "callback_id");
    const char *hook = upload_field(rq->up, "webhook_url");
    if ((b.has_callback_id = cb != NULL))
        snprintf(b.callback_id, sizeof b.callback_id, "%s", cb);
    if ((b.has_webhook_url = hook != NULL))
        snprintf(b.webhook_url, sizeof b.webhook_url, "%s", hook);
    b.total = (int)n;
    b.created_at = srv_now();
    b.estimated_seconds = estimate_batch(srv, b.account_id, files, n);
    if (ids_uuid4(b.id) != 0) {
        http_fail(rq, 500, "internal_error", "no random bytes for a batch id");
        return;
    }
    if (datadir_adopt(srv->cfg.data_dir, b.id, upload_temps(rq->up), files, n) != 0) {
        http_fail(rq, 500, "storage_error", "the files could not be stored: %s", strerror(errno));
        return;
    }
    upload_adopted(rq->up);
    crash_point("commit", NULL); /* the files in the batch's folder, the batch not committed */
    idem.created_at = b.created_at;
    int rc = store_batch_create_idem(srv->st, &b, files, n, ikey ? &idem : NULL,
                                     b.created_at - SRV_IDEMPOTENCY_SECONDS, &prior);
    if (rc != STORE_OK) {
        datadir_remove_batch(srv->cfg.data_dir, b.id);
        if (rc == STORE_CONFLICT && ikey)
            answer_replay(rq, &idem, &prior);
        else
            store_failed(rq, "storing the batch");
        return;
    }
    metrics_batch_accepted();
    queue_kick(srv->queue);
    answer_accepted(rq, &b);
}

/* ------------------------------------------------------------------ */
/* GET /v1/batch/{id}                                                   */
/* ------------------------------------------------------------------ */

static int retention_over(const struct server *srv, const st_batch *b, int64_t now)
{
    return b->state == BATCH_EXPIRED ||
           (b->state == BATCH_COMPLETE && b->completed_at + srv->cfg.retention <= now);
}

static void add_time(cJSON *o, const char *key, int64_t t)
{
    char iso[32];
    srv_iso_time(t, iso, sizeof iso);
    cJSON_AddStringToObject(o, key, iso);
}

/* The pre-signed link: valid 24 h, and never past the results' deletion. */
static void add_download(struct request *rq, cJSON *o, const st_batch *b, int64_t now)
{
    struct server *srv = rq->srv;
    char sig[SIGN_HEX], url[1024];
    int64_t deleted = b->completed_at + srv->cfg.retention;
    int64_t expires = now + SRV_LINK_SECONDS < deleted ? now + SRV_LINK_SECONDS : deleted;
    sign_link(&srv->key, b->id, expires, sig);
    snprintf(url, sizeof url, "%s/downloads/%s?expires=%lld&signature=%s", srv->public_url, b->id,
             (long long)expires, sig);
    cJSON_AddStringToObject(o, "download_url", url);
    add_time(o, "download_expires_at", expires);
    add_time(o, "expires_at", deleted);
}

static const char *status_name(int state)
{
    return state == BATCH_QUEUED ? "queued" : state == BATCH_PROCESSING ? "processing" : "complete";
}

/* The batch of rq->id if this account's; else the answer is queued. */
static int find_batch(struct request *rq, st_batch *b)
{
    char id[IDS_UUID_LEN + 1], shown[48];
    shown_id(rq->id, shown, sizeof shown);
    int rc = ids_parse_uuid(rq->id, id) == 0 ? store_batch_get(rq->srv->st, id, b)
                                               : STORE_NOT_FOUND;
    if (rc == STORE_ERROR) {
        store_failed(rq, "reading the batch");
        return -1;
    }
    if (rc == STORE_NOT_FOUND || !sign_equal(b->account_id, rq->account.id)) {
        http_fail(rq, 404, "batch_not_found", "no batch %s for this API key's account", shown);
        return -1;
    }
    return 0;
}

static void batch_status(struct request *rq)
{
    st_batch b;
    int64_t now = srv_now();
    if (find_batch(rq, &b) != 0)
        return;
    if (retention_over(rq->srv, &b, now)) {
        char when[32];
        srv_iso_time(b.completed_at + rq->srv->cfg.retention, when, sizeof when);
        http_fail(rq, 410, "batch_expired", "batch %s completed and its results were deleted "
                  "at the end of the retention period (%s)", b.id, when);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "batch_id", b.id);
    cJSON_AddStringToObject(o, "status", status_name(b.state));
    cJSON_AddNumberToObject(o, "processed", b.processed);
    cJSON_AddNumberToObject(o, "total", b.total);
    cJSON_AddNumberToObject(o, "percent", b.total ? (100 * b.processed) / b.total : 0);
    if (b.state == BATCH_COMPLETE)
        add_download(rq, o, &b, now);
    cJSON_AddNumberToObject(o, "failed", b.failed);
    if (b.has_callback_id)
        cJSON_AddStringToObject(o, "callback_id", b.callback_id);
    else
        cJSON_AddNullToObject(o, "callback_id");
    add_time(o, "created_at", b.created_at);
    if (b.state == BATCH_COMPLETE)
        add_time(o, "completed_at", b.completed_at);
    cJSON *hook = webhook_status_json(rq->srv->st, &b);
    if (!hook) {
        cJSON_Delete(o);
        store_failed(rq, "reading the webhook deliveries");
        return;
    }
    cJSON_AddItemToObject(o, "webhook", hook);
    http_json(rq, 200, o);
}

/* ------------------------------------------------------------------ */
/* GET /downloads/{id}?expires=&signature=                              */
/* ------------------------------------------------------------------ */

struct joined {
    char *s;
    size_t len, cap;
    uint32_t next; /* the index the next result must have */
    int bad;
};

static int append(struct joined *j, const char *p, size_t n)
{
    if (j->len + n + 1 > j->cap) {
        size_t cap = (j->len + n + 1) * 2;
        char *s = realloc(j->s, cap);
        if (!s)
            return j->bad = -1;
        j->s = s;
        j->cap = cap;
    }
    memcpy(j->s + j->len, p, n);
    j->len += n;
    j->s[j->len] = '\0';
    return 0;
}

/* What `docflow extract` prints: "[\n" objects joined by ",\n" "\n]\n". */
static int add_result(void *ud, uint32_t index, const char *json, size_t len)
{
    struct joined *j = ud;
    if (index != j->next++)
        return j->bad = -1; /* a hole: never hand out a partial array */
    if ((index > 0 && append(j, ",\n", 2)) || append(j, json, len))
        return -1;
    return 0;
}

static void download(struct request *rq)
{
    struct server *srv = rq->srv;
    char id[IDS_UUID_LEN + 1];
    int64_t expires, now = srv_now();
    st_batch b;
    if (ids_parse_uuid(rq->id, id) != 0 || !sign_equal(id, rq->id) ||
        sign_link_check(&srv->key, id, http_query(rq, "expires"), http_query(rq, "signature"),
                        &expires) != LINK_OK) {
        http_fail(rq, 403, "invalid_signature", "this download link is not valid: its signature "
                  "does not match its batch and expiry (was the link changed or cut short?)");
        return;
    }
    int rc = store_batch_get(srv->st, id, &b);
    if (rc == STORE_ERROR) {
        store_failed(rq, "reading the batch");
        return;
    }
    if (expires <= now || rc == STORE_NOT_FOUND || retention_over(srv, &b, now)) {
        char when[32];
        srv_iso_time(expires, when, sizeof when);
        if (expires <= now)
            http_fail(rq, 403, "link_expired", "this download link expired at %s: GET "
                      "/v1/batch/%s gives a new one while the results are kept", when, id);
        else
            http_fail(rq, 403, "link_expired", "the results of batch %s were deleted at the end "
                      "of the retention period", id);
        return;
    }
    struct joined j = {NULL, 0, 0, 0, 0};
    append(&j, "[\n", 2);
    if (b.state != BATCH_COMPLETE || store_batch_results(srv->st, id, add_result, &j) != STORE_OK ||
        j.bad || (int)j.next != b.total || append(&j, "\n]\n", 3)) {
        free(j.s);
        http_fail(rq, 500, "internal_error", "the results of batch %s cannot be read", id);
        return;
    }
    http_text(rq, 200, "application/json", j.s, j.len);
}

/* ------------------------------------------------------------------ */
/* POST /v1/extract                                                     */
/* ------------------------------------------------------------------ */

static void extract_prepare(struct request *rq)
{
    rq->up = upload_new(rq, &extract_spec, &rq->err);
}

static void extract_one(struct request *rq)
{
    struct api_error e;
    char *json;
    if (upload_finish(rq->up, &e) != 0) {
        http_error(rq, &e);
        return;
    }
    const char *name = upload_info(rq->up, 0)->filename;
    if (queue_extract(rq->srv->queue, upload_temp(rq->up, 0), name[0] ? name : "file",
                      &json) != 0) {
        http_fail(rq, 503, "shutting_down", "the server is stopping: send the file again later");
        return;
    }
    size_t n = strlen(json);
    char *t = realloc(json, n + 2);
    if (!t) {
        free(json);
        http_fail(rq, 500, "internal_error", "out of memory");
        return;
    }
    memcpy(t + n, "\n", 2);
    http_text(rq, 200, "application/json", t, n + 1);
}

/* ------------------------------------------------------------------ */
/* GET /healthz, GET /metrics                                           */
/* ------------------------------------------------------------------ */

static void healthz(struct request *rq)
{
    int n;
    if (store_runnable(rq->srv->st, srv_now(), &n) != STORE_OK) {
        http_fail(rq, 503, "store_unavailable", "the store does not answer: %s",
                  store_error(rq->srv->st));
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", "ok");
    cJSON_AddStringToObject(o, "version", df_version());
    cJSON_AddNumberToObject(o, "workers", rq->srv->workers);
    http_json(rq, 200, o);
}

static void metrics(struct request *rq)
{
    if (!rq->srv->cfg.metrics_public && !http_from_loopback(rq)) {
        http_fail(rq, 404, "not_found", "no such endpoint: GET /metrics (served to loopback "
                  "clients only, unless the server runs with --metrics-public)");
        return;
    }
    size_t len = 0;
    char *text = metrics_render(rq->srv, &len);
    http_text(rq, text ? 200 : 500, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

const struct route routes[] = {
    {"POST", "/v1/batch", 0, 1, 1, "batch_submit", batch_prepare, batch_submit},
    {"GET", "/v1/batch/", 1, 1, 0, "batch_status", NULL, batch_status},
    {"POST", "/v1/extract", 0, 1, 1, "extract", extract_prepare, extract_one},
    {"GET", "/downloads/", 1, 0, 0, "download", NULL, download},
    {"GET", "/healthz", 0, 0, 0, "healthz", NULL, healthz},
    {"GET", "/metrics", 0, 0, 0, "metrics", NULL, metrics},
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
