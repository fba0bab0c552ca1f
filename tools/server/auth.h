/*
 * auth.h — API keys and accounts: making them, and checking a request's key.
 *
 * Why it exists: the hosted API authenticates every /v1 call with
 * "Authorization: Bearer af_<key>". A key is shown once when it is made and
 * only its SHA-256 is stored, so a copy of the data directory does not leak
 * usable keys; batches belong to the account, not the key, so revoking and
 * replacing a key keeps them. Each account also gets a webhook signing
 * secret when it is made (printed once; stored for the server, which signs
 * webhooks with it in issue 20).
 *
 * Key: "af_" + 64 lowercase hex digits (256 random bits). Account ids
 * "acct_" + 16 hex, key ids "key_" + 16 hex, webhook secrets "whsec_" + 64 hex.
 *
 * Contents: auth_account_new; auth_key_new; auth_check (a request's
 * Authorization header against the store).
 */
#ifndef DF_SERVER_AUTH_H
#define DF_SERVER_AUTH_H

#include "store.h"

#define AUTH_KEY_MAX 72 /* "af_" + 64 hex + NUL, with room */

/* Create an account (id, webhook secret, created now). 0 or STORE_ERROR. */
int auth_account_new(store *s, int plan, const char *name, int64_t now, st_account *out);

/* Create a key for account_id: the key into key[AUTH_KEY_MAX] (show it
 * once), its record (hash only) into *out. STORE_NOT_FOUND for an unknown
 * account; 0 or STORE_ERROR otherwise. */
int auth_key_new(store *s, const char *account_id, const char *name, int64_t now, char *key,
                 st_key *out);

typedef enum auth_result {
    AUTH_OK = 0,
    AUTH_MISSING,  /* no Authorization header, or not "Bearer <token>" */
    AUTH_INVALID,  /* a token that is no key of ours */
    AUTH_REVOKED,  /* a key that was revoked */
    AUTH_FAILED    /* the store failed */
} auth_result;

/* Check an Authorization header value (NULL when absent); on AUTH_OK fill
 * the key's account (and key record when `key` is not NULL). */
auth_result auth_check(store *s, const char *header, st_account *account, st_key *key);

#endif
