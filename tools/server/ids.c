/*
 * ids.c — random identifiers and secrets (RAND_bytes), and the strict
 * parser of the ids clients send back. See ids.h.
 */
#include "ids.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

static const char hexdig[] = "0123456789abcdef";

int ids_random_hex(char *out, size_t cap, size_t nbytes)
{
    unsigned char buf[64];
    if (nbytes > sizeof buf || cap < 2 * nbytes + 1 || RAND_bytes(buf, (int)nbytes) != 1)
        return -1;
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = hexdig[buf[i] >> 4];
        out[2 * i + 1] = hexdig[buf[i] & 15];
    }
    out[2 * nbytes] = '\0';
    return 0;
}

int ids_uuid4(char *out)
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1)
        return -1;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hexdig[b[i] >> 4];
        *p++ = hexdig[b[i] & 15];
    }
    *p = '\0';
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int ids_parse_uuid(const char *s, char *out)
{
    if (!s || strlen(s) != IDS_UUID_LEN)
        return -1;
    for (int i = 0; i < IDS_UUID_LEN; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : hexval(s[i]) < 0)
            return -1;
        out[i] = dash ? '-' : hexdig[hexval(s[i])];
    }
    out[IDS_UUID_LEN] = '\0';
    return 0;
}

int ids_new(const char *prefix, size_t nbytes, char *out, size_t cap)
{
    size_t n = strlen(prefix);
    if (n >= cap)
        return -1;
    memcpy(out, prefix, n);
    return ids_random_hex(out + n, cap - n, nbytes);
}
