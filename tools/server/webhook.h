/*
 * webhook.h — webhook deliveries: the options, the deliverer, the status.
 *
 * Why it exists: the reference promises that a batch submitted with a
 * webhook_url is POSTed to it "the moment all files are processed", signed
 * (X-Webhook-Signature) and retried up to 3 times with exponential backoff.
 * The deliverer (webhook.c) is its own threads, so a slow receiver never
 * holds an extraction worker; its schedule is kept on the monotonic clock
 * in memory and as wall-clock due times in the store, so deliveries
 * survive a restart. One attempt is webhook_send.c's; where it may go,
 * netpolicy.c's.
 *
 * Contents: struct webhook_config and the `docflow serve` options that
 * fill it; webhooks_new / _run / _stop / _kick; webhook_url_check (submission);
 * webhook_status_json (GET /v1/batch/{id}); cmd_webhooks.
 */
#ifndef DF_SERVER_WEBHOOK_H
#define DF_SERVER_WEBHOOK_H

#include <cjson/cJSON.h>
#include <getopt.h>

#include "netpolicy.h"
#include "server_limits.h"
#include "store.h"

/* What `docflow serve` was told about webhooks. */
struct webhook_config {
    struct net_policy policy;
    const char *ca_file;  /* --webhook-ca-file: PEM CAs trusted besides the system's */
    const char *proxy;    /* --webhook-proxy URL; NULL: no proxy (the environment's is ignored) */
    int nbackoff;         /* retries; 0 until set: SRV_WEBHOOK_BACKOFF_MS */
    int backoff_ms[SRV_WEBHOOK_MAX_RETRIES]; /* the wait before each retry */
};

/* `docflow serve`'s webhook options: entries for its getopt_long table,
 * and the lines of its --help. */
enum {
    WEBHOOK_OPT_PRIVATE = 0x1000,
    WEBHOOK_OPT_HTTP,
    WEBHOOK_OPT_CA_FILE,
    WEBHOOK_OPT_PROXY,
    WEBHOOK_OPT_BACKOFF
};
#define WEBHOOK_LONGOPTS                                                           \
    {"allow-private-webhooks", no_argument, NULL, WEBHOOK_OPT_PRIVATE},            \
        {"allow-http-webhooks", no_argument, NULL, WEBHOOK_OPT_HTTP},              \
        {"webhook-ca-file", required_argument, NULL, WEBHOOK_OPT_CA_FILE},         \
        {"webhook-proxy", required_argument, NULL, WEBHOOK_OPT_PROXY},             \
        {"webhook-backoff", required_argument, NULL, WEBHOOK_OPT_BACKOFF}
#define WEBHOOK_USAGE                                                                   \
    "  --webhook-backoff LIST\n"                                                         \
    "                       waits before each webhook retry (default 1s,4s,16s:\n"       \
    "                       attempts at 0, 1, 5 and 21 s); units ms, s, m\n"             \
    "  --allow-http-webhooks\n"                                                          \
    "                       also send webhooks to http:// URLs (default: https only)\n"  \
    "  --allow-private-webhooks\n"                                                       \
    "                       also send webhooks to loopback, private, link-local and\n"   \
    "                       other non-public addresses (on-prem receivers, tests)\n"     \
    "  --webhook-ca-file FILE\n"                                                         \
    "                       also trust these PEM CAs for webhook receivers' certificates\n" \
    "  --webhook-proxy URL  send webhooks through this proxy (the environment's\n"       \
    "                       http_proxy and https_proxy are never used)\n"

/* Apply option `ch` (one of WEBHOOK_OPT_*) with its argument: 0, or -1
 * with a message on stderr (a bad value, or not a webhook option). */
int webhook_option(int ch, const char *arg, struct webhook_config *c);

/* Submission's check of a webhook_url under the server's policy (syntax,
 * scheme, a literal address: no DNS). 0, or -1 with why (NET_WHY_MAX). */
int webhook_url_check(const struct webhook_config *c, const char *url, char *why);

struct server;
struct webhooks;

/* The deliverer, its options checked (the CA file readable), not running
 * yet: webhooks_kick may be called from now on. NULL with err (512 bytes). */
struct webhooks *webhooks_new(struct server *srv, char *err);
/* Start the sender threads (they send what is pending at once); after
 * srv->public_url is set (the download links in the bodies). 0, or -1
 * with err. */
int webhooks_run(struct webhooks *w, char *err);
/* Stop: attempts in flight are cut short and left due (sent again at the
 * next start); then free. */
void webhooks_stop(struct webhooks *w);
/* A batch completed: look at the store now rather than at the next poll. */
void webhooks_kick(struct webhooks *w);

/* The "webhook" member of a batch's status: null without a webhook_url,
 * else {state, attempts, last_status, last_error, delivery_id} of its
 * latest delivery (state "waiting" before the batch completes). NULL when
 * the store fails. */
cJSON *webhook_status_json(store *st, const st_batch *b);

/* `docflow webhooks redeliver|show BATCH_ID --data-dir DIR` (webhook_cmd.c). */
int cmd_webhooks(int argc, char **argv);

#endif
