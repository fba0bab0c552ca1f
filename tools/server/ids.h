/*
 * ids.h — random identifiers and secrets, and the parsing of ids in URLs.
 *
 * Why it exists: every id the server hands out (batch ids, account and key
 * ids, API keys, signing secrets) comes from the same random source
 * (OpenSSL's RAND_bytes, never rand()), and every id read back from a
 * request goes through one strict parser, so that a malformed id is a 404
 * and never reaches the store or a path.
 *
 * Contents: ids_random_hex; ids_uuid4; ids_parse_uuid; ids_new (prefixed).
 */
#ifndef DF_SERVER_IDS_H
#define DF_SERVER_IDS_H

#include <stddef.h>

#define IDS_UUID_LEN 36 /* 8-4-4-4-12 hex digits */

/* `nbytes` random bytes as 2 * nbytes lowercase hex digits + NUL into out
 * (cap bytes). 0, or -1 when the random source fails or cap is too small. */
int ids_random_hex(char *out, size_t cap, size_t nbytes);

/* A random (version 4) UUID, lowercase, into out[IDS_UUID_LEN + 1]. */
int ids_uuid4(char *out);

/* Is `s` (exactly, NUL-terminated) a UUID in the 8-4-4-4-12 form? Hex
 * digits of either case; the canonical lowercase form is written to
 * out[IDS_UUID_LEN + 1]. 0 when it is, -1 when not. */
int ids_parse_uuid(const char *s, char *out);

/* prefix + 2 * nbytes hex digits, e.g. ids_new("acct_", 8, ...). */
int ids_new(const char *prefix, size_t nbytes, char *out, size_t cap);

#endif
