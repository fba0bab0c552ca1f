/*
 * webhook_send.h — one attempt of a webhook delivery, over libcurl.
 *
 * Why it exists: an attempt is where the network policy meets the wire, so
 * it is kept in one place: the URL checked and its host resolved under the
 * policy (netpolicy.c) at this attempt, the connection pinned to the
 * checked addresses (CURLOPT_CONNECT_TO: libcurl makes no lookup of its
 * own), no redirect followed, connect and total timeouts bounded, at most
 * SRV_WEBHOOK_MAX_RESPONSE bytes of the answer read, no proxy but
 * --webhook-proxy (the environment's http_proxy is ignored). The body goes
 * as given, signed with the account's secret as printed.
 *
 * Headers: Content-Type: application/json; X-Webhook-Signature:
 * sha256=<hex HMAC-SHA256 of the body>; X-Webhook-Id: <delivery_id>;
 * X-Webhook-Timestamp: <the body's timestamp>; User-Agent:
 * docflow-webhook/<version>.
 *
 * Contents: webhook_send; webhook_send_to (its second half, for tests).
 */
#ifndef DF_SERVER_WEBHOOK_SEND_H
#define DF_SERVER_WEBHOOK_SEND_H

#include <stdatomic.h>

#include "store.h"
#include "webhook.h"

/* What to send. */
struct webhook_message {
    const char *url;
    const char *body;
    const char *delivery_id;
    int64_t timestamp;
    const char *secret; /* the account's, "whsec_..." */
};

enum { SEND_DONE = 0, SEND_STOPPED = 1 };

/* One attempt: a->http_status (0: no answer), a->error ("" when the
 * receiver answered; else the refusal, the connection's or TLS failure, or
 * the timeout) and a->seconds. SEND_STOPPED when *stop cut it short (no
 * outcome to record). Thread-safe; libcurl must be initialised. */
int webhook_send(const struct webhook_config *c, const struct webhook_message *m,
                 const atomic_int *stop, st_attempt *a);

/* webhook_send after the check: to the URL's host u (as net_resolve read
 * it) at these n addresses, in turn while none can be connected to; no
 * lookup of its own. a->http_status and a->error as webhook_send; a->error
 * must be "" on entry. */
int webhook_send_to(const struct webhook_config *c, const struct webhook_message *m,
                    const struct net_url *u, const char (*addrs)[NET_ADDR_MAX], int n,
                    const atomic_int *stop, st_attempt *a);

#endif
