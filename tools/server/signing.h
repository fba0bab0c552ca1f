/*
 * signing.h — hashes, HMACs, the server's secret and pre-signed links.
 *
 * Why it exists: the download link is the only way into a batch's results
 * without a key, so it must be unforgeable and must expire: it carries an
 * expiry and an HMAC-SHA256 over the batch id and that expiry under a
 * secret only this server knows (created once in the data directory, mode
 * 0600). Every comparison of a key, id, signature, hash or secret goes
 * through sign_equal (tests/integration/test_server_consttime.sh checks), which takes the same time wherever the strings
 * differ (CRYPTO_memcmp), so timing tells an attacker nothing.
 *
 * Link: <public-url>/downloads/<batch_id>?expires=<unix seconds>&signature=<64 hex>,
 * signature = hex(HMAC-SHA256(secret, "docflow-download-v1\n" batch_id "\n" expires)).
 * The "v1" label lets a later format (or a rotated secret) live beside it.
 *
 * Contents: sign_sha256_hex; sign_hmac_hex; sign_equal; sign_load_secret;
 * sign_link; sign_link_check.
 */
#ifndef DF_SERVER_SIGNING_H
#define DF_SERVER_SIGNING_H

#include <stddef.h>
#include <stdint.h>

#define SIGN_HEX 65 /* 64 hex digits + NUL */

typedef struct sign_key {
    unsigned char secret[32];
} sign_key;

/* SHA-256 of data as lowercase hex into out[SIGN_HEX]. */
void sign_sha256_hex(const void *data, size_t len, char *out);

/* HMAC-SHA256 of data under key (its bytes as given) as lowercase hex into
 * out[SIGN_HEX]: a webhook's X-Webhook-Signature, keyed with the ASCII
 * bytes of the account's secret as printed (what the reference's
 * verify_webhook.py gets from WEBHOOK_SECRET.encode()). */
void sign_hmac_hex(const void *key, size_t keylen, const void *data, size_t len, char *out);

/* 1 when the two strings are equal, in time that depends only on their
 * lengths (which are not secret: every signature and hash has one length). */
int sign_equal(const char *a, const char *b);
/* 1 when the first n bytes are equal, in time that depends only on n. */
int sign_equal_n(const void *a, const void *b, size_t n);

/* Load DIR/secret, or create it (32 random bytes as hex, mode 0600, written
 * and synced before use) when it does not exist. 0, or -1 with err
 * (256 bytes) saying why. */
int sign_load_secret(const char *dir, sign_key *key, char *err);

/* The signature of a link to `batch_id` valid until `expires`. */
void sign_link(const sign_key *key, const char *batch_id, int64_t expires, char *sig);

enum { LINK_OK = 0, LINK_BAD = -1 };

/* Check a link's query values (as received; either may be NULL). LINK_OK
 * and *expires set when the signature is ours; LINK_BAD for anything else
 * (missing, malformed, tampered). The caller decides about expiry. */
int sign_link_check(const sign_key *key, const char *batch_id, const char *expires_text,
                    const char *sig, int64_t *expires);

#endif
