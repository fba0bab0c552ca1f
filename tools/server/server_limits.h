/*
 * server_limits.h — every limit and default of `docflow serve`, with its reason.
 *
 * Why it exists: a limit scattered as a literal is a limit nobody can find,
 * document or test. Each one lives here once; docs/server.md lists them.
 *
 * Contents: the contract's limits (files, sizes, fields), the HTTP layer's,
 * the queue's (leases, workers), retention and links, webhooks, the
 * estimate's priors.
 */
#ifndef DF_SERVER_SERVER_LIMITS_H
#define DF_SERVER_SERVER_LIMITS_H

/* ---- the hosted API's contract (../shared/reference/hosted-batch-api.txt) ---- */

/* "Max files per batch: 100". */
#define SRV_MAX_FILES 100
/* "Max single file size: 10 MB"; the same 10 * 1024 * 1024 bytes as the
 * library's DF_LIMIT_FILE_BYTES default, so what the server accepts the
 * library reads. */
#define SRV_MAX_FILE_BYTES (10u * 1024u * 1024u)
/* issue 18: callback_id <= 256 bytes, webhook_url <= 2048 bytes. */
#define SRV_MAX_CALLBACK_ID 256
#define SRV_MAX_WEBHOOK_URL 2048
/* Idempotency-Key on POST /v1/batch (issue 19): a retry within 24 h gets
 * the first answer. Keys are 1 to 255 visible ASCII characters (Stripe's
 * and the IETF draft's practice; a UUID is 36). */
#define SRV_IDEMPOTENCY_SECONDS (24 * 3600)
#define SRV_MAX_IDEMPOTENCY_KEY 255
/* "Download URL validity: 24 hours". */
#define SRV_LINK_SECONDS (24 * 3600)

/* ---- HTTP ---------------------------------------------------------------- */

/* A whole request body: every file at its limit plus the multipart framing
 * (boundaries, part headers, the two fields). A Content-Length above this is
 * refused (413) before any byte of the body is read; a chunked body that
 * grows beyond it is cut off. */
#define SRV_MAX_FORM_OVERHEAD (1024u * 1024u)
#define SRV_MAX_BODY_BYTES \
    ((unsigned long long)SRV_MAX_FILES * SRV_MAX_FILE_BYTES + SRV_MAX_FORM_OVERHEAD)
/* MHD_PostProcessor's buffer: a field name, a part's headers and one chunk
 * of a value must fit; 64 KiB keeps memory per upload flat and bounded. */
#define SRV_POST_BUFFER (64u * 1024u)
/* An upload's file name only appears in messages and the store, never in a
 * path; longer names are cut (a byte count, UTF-8 boundaries respected). */
#define SRV_MAX_FILENAME 255
/* A form field's name quoted back in an error message. */
#define SRV_MAX_QUOTED_NAME 64
/* Concurrent connections (one thread each), and seconds a connection may
 * sit idle (--idle-timeout): enough for a client between two polls, short
 * enough that idle keep-alive connections do not hold the 512 slots. */
#define SRV_MAX_CONNECTIONS 512
#define SRV_IDLE_SECONDS 30
/* A request's header block (request line and every header): 16 KiB holds
 * any real client's (browsers stay under 8 KiB); above it 431. The
 * connection's memory pool is larger so that we, not libmicrohttpd, answer
 * up to SRV_CONNECTION_MEMORY; beyond that libmicrohttpd answers 431 with
 * its own body. */
#define SRV_MAX_HEADER_BYTES (16u * 1024u)
#define SRV_CONNECTION_MEMORY (48u * 1024u)
/* A body must arrive at SRV_MIN_UPLOAD_RATE bytes per second on average,
 * measured from SRV_UPLOAD_GRACE_SECONDS after its headers: a client that
 * trickles bytes to hold a connection (and its thread) is cut off, while a
 * phone on a poor link (tens of KB/s) is not (--min-upload-rate). */
#define SRV_MIN_UPLOAD_RATE (4u * 1024u)
#define SRV_UPLOAD_GRACE_SECONDS 10
/* Files an account may have waiting or running at once (--max-queued-files):
 * a 1000-file backlog is hours of work on one machine; more is refused
 * with 429 and a Retry-After, so one client cannot fill the disk. */
#define SRV_DEFAULT_MAX_QUEUED_FILES 1000

/* ---- queue and workers ----------------------------------------------------- */

/* A claim is a lease: this long without renewal and another worker (or the
 * next server) may take the file again. The janitor renews the leases of
 * running files every SRV_LEASE_RENEW_SECONDS, so only a dead server's
 * leases run out. */
#define SRV_LEASE_SECONDS 120
#define SRV_LEASE_RENEW_SECONDS 30
/* A file whose extraction was started this many times without finishing
 * (the server died during each: a document that crashes it, or a machine
 * that keeps failing) fails with internal_error at the next claim instead
 * of taking the server down forever. A clean stop gives its attempt back. */
#define SRV_MAX_ATTEMPTS 3
/* A result the store could not take (a full disk) is stored again after
 * 1, 2, 4 ... seconds, at most this far apart: soon after space is freed,
 * without hammering a store that stays down. */
#define SRV_STORE_RETRY_MAX_SECONDS 30
/* Worker threads at most (the library's own batch limit). */
#define SRV_MAX_WORKERS 256
/* Idle workers look for expired leases (of another machine sharing the
 * store) this often even when nobody submits anything. */
#define SRV_IDLE_POLL_SECONDS 5

/* ---- retention and the janitor ---------------------------------------------- */

/* Results are kept this long after a batch completes (issue 18: 48 h). */
#define SRV_DEFAULT_RETENTION_SECONDS (48 * 3600)
/* The janitor wakes at most this far apart (less when retention is short,
 * so that a test with a 2 s retention sees its batch deleted). */
#define SRV_JANITOR_SECONDS 60
/* A deleted batch is remembered (410 batch_expired) this long, then
 * forgotten (404), so the store does not grow forever. */
#define SRV_TOMBSTONE_SECONDS (30 * 24 * 3600)

/* ---- webhooks (webhook.c, webhook_send.c, netpolicy.c) ---------------------------- */

/* The reference: "We retry up to 3 times with exponential backoff". The
 * waits before retries 1, 2, 3 (--webhook-backoff): attempts at about 0, 1,
 * 5 and 21 s after completion, so a receiver that restarts within half a
 * minute still gets the delivery; the list may hold up to
 * SRV_WEBHOOK_MAX_RETRIES waits. */
#define SRV_WEBHOOK_BACKOFF_MS {1000, 4000, 16000}
#define SRV_WEBHOOK_MAX_RETRIES 10
/* One attempt: a receiver that does not accept the connection within 5 s,
 * or answer within 10 s, has failed this attempt (the next one is
 * scheduled). Bounded so that a stalled receiver cannot hold a sender. */
#define SRV_WEBHOOK_CONNECT_MS 5000
#define SRV_WEBHOOK_TOTAL_MS 10000
/* At most this much of a receiver's answer is read; the status line decides
 * the outcome, the body is discarded (a receiver streaming forever must not
 * hold a sender until the timeout). */
#define SRV_WEBHOOK_MAX_RESPONSE (64u * 1024u)
/* A delivery being attempted is leased this long in the store (another
 * deliverer sharing the store leaves it alone); a server killed in the
 * middle of an attempt has its delivery sent again when the lease ran out.
 * Longer than an attempt can take: connect + total timeouts of each
 * address tried. */
#define SRV_WEBHOOK_LEASE_SECONDS 60
/* Addresses of a receiver's name tried in turn when a connection cannot be
 * made (nothing was sent): an IPv6 address first, unreachable, then IPv4. */
#define SRV_WEBHOOK_MAX_ADDRS 3
/* Sender threads: attempts run in parallel so one slow receiver (up to the
 * total timeout) does not delay the others' schedules. */
#define SRV_WEBHOOK_SENDERS 4
/* Pending deliveries scheduled in memory at once (the earliest due); the
 * rest wait in the store for the next look. */
#define SRV_WEBHOOK_MAX_PENDING 256
/* The deliverer looks at the store this often even without a completion
 * in this process: deliveries made by `docflow webhooks redeliver` (another
 * process) go out within this time. */
#define SRV_WEBHOOK_POLL_SECONDS 2
/* The JSON body of a delivery: the batch id, the download link (on a
 * --public-url of at most 511 bytes), a callback_id of 256 bytes escaped
 * (6 bytes a control character at worst), the delivery id, a timestamp. */
#define SRV_WEBHOOK_MAX_BODY 4096

/* ---- estimated_seconds (estimate.c) ------------------------------------------- */

/* Weight of a new measurement in the moving averages: 0.1 follows a change
 * of workload within ~20 files and smooths one odd document. The first
 * 1/alpha samples are averaged evenly (no prior dominates). */
#define SRV_EWMA_ALPHA 0.1

#endif
