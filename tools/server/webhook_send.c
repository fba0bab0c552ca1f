/*
 * webhook_send.c — one attempt of a webhook delivery. See webhook_send.h.
 *
 * The addresses net_resolve checked are tried in its order, the next one
 * only when no connection could be made to one (nothing was sent). With a
 * --webhook-proxy the proxy makes the connection (and its own lookup); the
 * host is still resolved and checked here first.
 */
#include "webhook_send.h"

#include "server.h"
#include "signing.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

/* The answer's body: counted, discarded, cut at the limit. */
struct sink {
    size_t got;
    int cut;
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct sink *s = ud;
    (void)p;
    if (s->got + size * n > SRV_WEBHOOK_MAX_RESPONSE) {
        s->cut = 1;
        return 0; /* libcurl stops reading: CURLE_WRITE_ERROR */
    }
    s->got += size * n;
    return size * n;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt, (void)dn, (void)ut, (void)un;
    return atomic_load((const atomic_int *)ud) ? 1 : 0; /* the server is stopping */
}

static struct curl_slist *headers(const struct webhook_message *m)
{
    char line[160], sig[SIGN_HEX];
    struct curl_slist *h = NULL, *t;
    sign_hmac_hex(m->secret, strlen(m->secret), m->body, strlen(m->body), sig);
    const char *fixed[] = {"Content-Type: application/json", "Expect:", NULL};
    for (int i = 0; fixed[i]; i++)
        if ((t = curl_slist_append(h, fixed[i])))
            h = t;
    snprintf(line, sizeof line, "X-Webhook-Signature: sha256=%s", sig);
    if ((t = curl_slist_append(h, line)))
        h = t;
    snprintf(line, sizeof line, "X-Webhook-Id: %s", m->delivery_id);
    if ((t = curl_slist_append(h, line)))
        h = t;
    snprintf(line, sizeof line, "X-Webhook-Timestamp: %lld", (long long)m->timestamp);
    if ((t = curl_slist_append(h, line)))
        h = t;
    return h;
}

/* The options every attempt has. */
static void common_options(CURL *c, const struct webhook_config *cfg, const atomic_int *stop,
                           struct sink *sink, char *errbuf)
{
    char agent[64]; /* libcurl copies it */
    snprintf(agent, sizeof agent, "docflow-webhook/%s", df_version());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, cfg->proxy ? cfg->proxy : ""); /* "": not the env's */
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)SRV_WEBHOOK_CONNECT_MS);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)SRV_WEBHOOK_TOTAL_MS);
    curl_easy_setopt(c, CURLOPT_USERAGENT, agent);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)stop);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (cfg->ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
}

/* POST to the URL, connecting to addr (NULL: through the proxy). */
static CURLcode post(const struct webhook_config *cfg, const struct webhook_message *m,
                     const struct net_url *u, const char *addr, const atomic_int *stop,
                     long *status, struct sink *sink, char *errbuf)
{
    CURL *c = curl_easy_init();
    struct curl_slist *hdr = headers(m), *pin = NULL;
    char target[NET_ADDR_MAX + 16];
    if (!c || !hdr) {
        curl_slist_free_all(hdr);
        curl_easy_cleanup(c);
        return CURLE_OUT_OF_MEMORY;
    }
    common_options(c, cfg, stop, sink, errbuf);
    curl_easy_setopt(c, CURLOPT_URL, m->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, m->body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(m->body));
    if (addr) { /* "::ADDR:PORT": whatever the URL's host and port, connect there */
        snprintf(target, sizeof target, strchr(addr, ':') ? "::[%s]:%d" : "::%s:%d", addr,
                 u->port);
        pin = curl_slist_append(NULL, target);
        curl_easy_setopt(c, CURLOPT_CONNECT_TO, pin);
    }
    CURLcode rc = addr && !pin ? CURLE_OUT_OF_MEMORY : curl_easy_perform(c);
    *status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(pin);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(c);
    return rc;
}

/* What a finished attempt says into a. */
static void outcome(CURLcode rc, long status, const struct sink *sink, const char *errbuf,
                    st_attempt *a)
{
    a->http_status = (int)status;
    if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && sink->cut && status > 0))
        return; /* the status decides; a long answer was cut, not failed */
    snprintf(a->error, sizeof a->error, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    if (rc == CURLE_OPERATION_TIMEDOUT)
        a->http_status = 0;
}

int webhook_send_to(const struct webhook_config *c, const struct webhook_message *m,
                    const struct net_url *u, const char (*addrs)[NET_ADDR_MAX], int n,
                    const atomic_int *stop, st_attempt *a)
{
    char errbuf[CURL_ERROR_SIZE];
    CURLcode rc = CURLE_COULDNT_CONNECT;
    long status = 0;
    struct sink sink = {0, 0};
    double t0 = srv_mono();
    for (int i = 0; i < (c->proxy ? 1 : n) && rc == CURLE_COULDNT_CONNECT; i++) {
        errbuf[0] = '\0';
        sink.got = 0;
        rc = post(c, m, u, c->proxy ? NULL : addrs[i], stop, &status, &sink, errbuf);
    }
    a->seconds = srv_mono() - t0;
    if (rc == CURLE_ABORTED_BY_CALLBACK && atomic_load(stop))
        return SEND_STOPPED;
    outcome(rc, status, &sink, errbuf, a);
    return SEND_DONE;
}

int webhook_send(const struct webhook_config *c, const struct webhook_message *m,
                 const atomic_int *stop, st_attempt *a)
{
    char addrs[SRV_WEBHOOK_MAX_ADDRS][NET_ADDR_MAX], why[NET_WHY_MAX];
    struct net_url u;
    int n = 0;
    double t0 = srv_mono();
    a->http_status = 0;
    a->error[0] = '\0';
    if (net_resolve(m->url, &c->policy, &u, addrs, SRV_WEBHOOK_MAX_ADDRS, &n, why) != 0) {
        snprintf(a->error, sizeof a->error, "refused: %.240s", why); /* no connection made */
        a->seconds = srv_mono() - t0;
        return SEND_DONE;
    }
    int rc = webhook_send_to(c, m, &u, (const char (*)[NET_ADDR_MAX])addrs, n, stop, a);
    a->seconds = srv_mono() - t0;
    return rc;
}
