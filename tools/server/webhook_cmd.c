/*
 * webhook_cmd.c — `docflow webhooks`: an operator's view of a batch's
 * webhook deliveries, and a re-send.
 *
 * Why it exists: a receiver that was down for longer than the retries last
 * (about 21 s) has missed its delivery for good; its operator needs to see
 * what each attempt met (`show`) and to send it again (`redeliver`)
 * without the client submitting the batch again.
 *
 * Redeliver makes a new delivery, not a reset of the old one: a new
 * delivery_id, timestamp and download link (the old link may have expired,
 * 24 h after it was issued), attempts counted from 1 on the same schedule;
 * the old delivery and its attempts stay as they were (`show` lists
 * them). A receiver that deduplicates by delivery_id takes it as the
 * re-send it is; by batch_id, as the same batch. It is refused while a
 * delivery of the batch is still pending, for a batch that is not complete
 * or has no webhook_url, and once the results were deleted. The command
 * writes the store; a running server sends the delivery at its next look
 * (within SRV_WEBHOOK_POLL_SECONDS), a stopped one when it starts.
 *
 * Contents: show; redeliver; cmd_webhooks.
 */
#include "server.h"

#include "ids.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
    fprintf(stderr, "usage: docflow webhooks redeliver BATCH_ID --data-dir DIR\n"
                    "       docflow webhooks show BATCH_ID --data-dir DIR\n"
                    "redeliver sends a complete batch's webhook again, as a new delivery;\n"
                    "show lists its deliveries and every attempt's outcome.\n");
    return 2;
}

static int store_failed(store *s, const char *what)
{
    fprintf(stderr, "docflow: %s failed: %s\n", what, store_error(s));
    return 1;
}

static const char *state_name(int state)
{
    return state == DELIVERY_DELIVERED ? "delivered" : state == DELIVERY_FAILED ? "failed"
                                                                                : "pending";
}

/* ---- show ---------------------------------------------------------------- */

struct show {
    store *st;
    int failed;
};

static int print_attempt(void *ud, const st_attempt *a)
{
    char when[32];
    (void)ud;
    srv_iso_time(a->at, when, sizeof when);
    if (a->error[0])
        printf("  attempt %d  %s  %.3f s  %s\n", a->n, when, a->seconds, a->error);
    else
        printf("  attempt %d  %s  %.3f s  HTTP %d\n", a->n, when, a->seconds, a->http_status);
    return 0;
}

static int print_delivery(void *ud, const st_delivery *d)
{
    struct show *sh = ud;
    char when[32];
    srv_iso_time(d->created_at, when, sizeof when);
    printf("delivery %s  %s  %d attempts  made %s\n", d->delivery_id[0] ? d->delivery_id
           : "(not yet sent)", state_name(d->state), d->attempts, when);
    if (store_delivery_attempts(sh->st, d->seq, print_attempt, NULL) != STORE_OK)
        sh->failed = 1;
    return sh->failed;
}

static int show(store *s, const st_batch *b)
{
    struct show sh = {s, 0};
    printf("batch_id: %s\n", b->id);
    if (!b->has_webhook_url) {
        printf("webhook_url: (none)\n");
        return 0;
    }
    printf("webhook_url: %s\n", b->webhook_url);
    if (store_deliveries_of(s, b->id, print_delivery, &sh) != STORE_OK || sh.failed)
        return store_failed(s, "listing the deliveries");
    return 0;
}

/* ---- redeliver ------------------------------------------------------------ */

static int any_pending(void *ud, const st_delivery *d)
{
    *(int *)ud |= d->state == DELIVERY_PENDING;
    return 0;
}

/* Why the store refused a new delivery of b. */
static void why_not(store *s, const st_batch *b)
{
    int pending = 0;
    const char *why = "it cannot be sent now";
    if (!b->has_webhook_url)
        why = "it was submitted without a webhook_url";
    else if (b->state == BATCH_EXPIRED)
        why = "its results were deleted at the end of the retention period";
    else if (b->state != BATCH_COMPLETE)
        why = "it is not complete yet: its webhook goes when it completes";
    else if (store_deliveries_of(s, b->id, any_pending, &pending) == STORE_OK && pending)
        why = "a delivery of it is still pending (docflow webhooks show lists its attempts)";
    fprintf(stderr, "docflow: batch %s: not redelivered: %s\n", b->id, why);
}

static int redeliver(store *s, const st_batch *b)
{
    int rc = store_delivery_redeliver(s, b->id, srv_now());
    if (rc == STORE_CONFLICT) {
        why_not(s, b);
        return 1;
    }
    if (rc != STORE_OK)
        return store_failed(s, "making the delivery");
    printf("batch_id: %s\nwebhook: pending\n", b->id);
    fprintf(stderr, "docflow: a new delivery is pending: a running server sends it within %d s, "
            "a stopped one when it starts\n", SRV_WEBHOOK_POLL_SECONDS);
    return 0;
}

/* ---- dispatch -------------------------------------------------------------- */

int cmd_webhooks(int argc, char **argv)
{
    static const struct option longopts[] = {{"data-dir", required_argument, NULL, 'd'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    char id[IDS_UUID_LEN + 1];
    int ch;
    if (argc < 2 || (strcmp(argv[1], "redeliver") && strcmp(argv[1], "show")))
        return usage();
    optind = 1;
    while ((ch = getopt_long(argc - 1, argv + 1, "h", longopts, NULL)) != -1)
        if (ch != 'd')
            return usage();
        else
            dir = optarg;
    if (!dir || optind != argc - 2)
        return usage();
    const char *given = argv[1 + optind];
    if (ids_parse_uuid(given, id) != 0) {
        fprintf(stderr, "docflow: '%.64s' is not a batch id (8-4-4-4-12 hex digits)\n", given);
        return 2;
    }
    store *s = admin_store(dir, 0);
    if (!s)
        return 1;
    st_batch b;
    int status = 1, rc = store_batch_get(s, id, &b);
    if (rc == STORE_NOT_FOUND)
        fprintf(stderr, "docflow: no batch %s\n", id);
    else if (rc != STORE_OK)
        store_failed(s, "reading the batch");
    else
        status = !strcmp(argv[1], "show") ? show(s, &b) : redeliver(s, &b);
    store_close(s);
    return status;
}
