/*
 * auth.c — API keys and accounts: made from random bytes, keys stored as
 * hashes, requests checked against them. See auth.h.
 */
#include "auth.h"

#include "ids.h"
#include "signing.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define KEY_PREFIX "af_"
#define KEY_HEX 64

int auth_account_new(store *s, int plan, const char *name, int64_t now, st_account *out)
{
    memset(out, 0, sizeof *out);
    out->plan = plan;
    out->created_at = now;
    snprintf(out->name, sizeof out->name, "%s", name ? name : "");
    if (ids_new("acct_", 8, out->id, sizeof out->id) != 0 ||
        ids_new("whsec_", 32, out->webhook_secret, sizeof out->webhook_secret) != 0)
        return STORE_ERROR;
    return store_account_create(s, out);
}

int auth_key_new(store *s, const char *account_id, const char *name, int64_t now, char *key,
                 st_key *out)
{
    st_account a;
    int rc = store_account_get(s, account_id, &a);
    if (rc != STORE_OK)
        return rc;
    memset(out, 0, sizeof *out);
    if (ids_new(KEY_PREFIX, KEY_HEX / 2, key, AUTH_KEY_MAX) != 0 ||
        ids_new("key_", 8, out->id, sizeof out->id) != 0)
        return STORE_ERROR;
    snprintf(out->account_id, sizeof out->account_id, "%s", account_id);
    snprintf(out->name, sizeof out->name, "%s", name ? name : "");
    snprintf(out->prefix, sizeof out->prefix, "%.11s", key); /* "af_" + 8 hex */
    sign_sha256_hex(key, strlen(key), out->hash);
    out->created_at = now;
    return store_key_create(s, out);
}

/* The token of "Bearer <token>" (scheme case-insensitive, RFC 7235) into
 * token[AUTH_KEY_MAX], cut to fit (a cut token is no key's shape); -1 when
 * the header is not of that form. */
static int bearer_token(const char *h, char *token)
{
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return -1;
    h += 7;
    while (*h == ' ')
        h++;
    size_t n = strcspn(h, " \t");
    if (n == 0 || h[n] != '\0')
        return -1;
    snprintf(token, AUTH_KEY_MAX, "%.*s", (int)(n < AUTH_KEY_MAX ? n : AUTH_KEY_MAX - 1), h);
    return 0;
}

static int is_key_shape(const char *t)
{
    return strlen(t) == 3 + KEY_HEX && sign_equal_n(t, KEY_PREFIX, 3) &&
           strspn(t + 3, "0123456789abcdef") == KEY_HEX;
}

auth_result auth_check(store *s, const char *header, st_account *account, st_key *key)
{
    char token[AUTH_KEY_MAX], hash[SIGN_HEX];
    st_key k;
    if (bearer_token(header, token) != 0)
        return AUTH_MISSING;
    if (!is_key_shape(token))
        return AUTH_INVALID;
    sign_sha256_hex(token, strlen(token), hash);
    int rc = store_key_lookup(s, hash, &k, account);
    if (rc == STORE_NOT_FOUND)
        return AUTH_INVALID;
    if (rc != STORE_OK)
        return AUTH_FAILED;
    if (!sign_equal(k.hash, hash)) /* the index found it; compare as secrets are compared */
        return AUTH_INVALID;
    if (key)
        *key = k;
    return k.revoked_at ? AUTH_REVOKED : AUTH_OK;
}
