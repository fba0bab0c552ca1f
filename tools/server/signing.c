/*
 * signing.c — SHA-256, HMAC-SHA256, constant-time comparison, the server's
 * secret file and pre-signed links. See signing.h.
 */
#include "signing.h"

#include "ids.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    static const char hexdig[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexdig[b[i] >> 4];
        out[2 * i + 1] = hexdig[b[i] & 15];
    }
    out[2 * n] = '\0';
}

void sign_sha256_hex(const void *data, size_t len, char *out)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
        memset(md, 0, n = 32); /* cannot happen with a working libcrypto; never matches a key */
    to_hex(md, n, out);
}

void sign_hmac_hex(const void *key, size_t keylen, const void *data, size_t len, char *out)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!HMAC(EVP_sha256(), key, (int)keylen, data, len, md, &n) || n != 32)
        memset(md, 0, n = 32); /* cannot happen with a working libcrypto; never verifies */
    to_hex(md, n, out);
}

int sign_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && CRYPTO_memcmp(a, b, n) == 0;
}

int sign_equal_n(const void *a, const void *b, size_t n)
{
    return CRYPTO_memcmp(a, b, n) == 0;
}

static int from_hex(const char *s, unsigned char *out, size_t n)
{
    static const char hexdig[] = "0123456789abcdef";
    for (size_t i = 0; i < 2 * n; i++) {
        const char *p = s[i] ? strchr(hexdig, s[i]) : NULL;
        if (!p)
            return -1;
        int v = (int)(p - hexdig);
        out[i / 2] = (unsigned char)(i % 2 ? (out[i / 2] << 4) | v : v);
    }
    return 0;
}

/* Write a new secret file: exclusive create, 0600, synced with its directory. */
static int create_secret(const char *path, const char *dir, char *err)
{
    char hex[SIGN_HEX + 1];
    if (ids_random_hex(hex, sizeof hex, 32) != 0) {
        snprintf(err, 256, "no random bytes for %.200s", path);
        return -1;
    }
    strcat(hex, "\n");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST)
        return 1; /* made meanwhile: read it */
    if (fd < 0) {
        snprintf(err, 256, "%.200s: %s", path, strerror(errno));
        return -1;
    }
    int ok = write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex) && fsync(fd) == 0;
    close(fd);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ok = ok && fsync(dfd) == 0;
        close(dfd);
    }
    if (!ok) {
        snprintf(err, 256, "%.200s: %s", path, strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;
}

int sign_load_secret(const char *dir, sign_key *key, char *err)
{
    char path[4096], text[SIGN_HEX + 8];
    snprintf(path, sizeof path, "%s/secret", dir);
    if (access(path, F_OK) != 0 && create_secret(path, dir, err) < 0)
        return -1;
    FILE *f = fopen(path, "re");
    if (!f) {
        snprintf(err, 256, "%.200s: %s", path, strerror(errno));
        return -1;
    }
    size_t n = fread(text, 1, sizeof text - 1, f);
    struct stat sb;
    int loose = fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077);
    fclose(f);
    text[n] = '\0';
    if (n < 64 || from_hex(text, key->secret, 32) != 0 || (n > 64 && strcmp(text + 64, "\n"))) {
        snprintf(err, 256, "%.180s: not a docflow secret (64 hex digits expected)", path);
        return -1;
    }
    if (loose) {
        snprintf(err, 256, "%.180s: readable by others (mode %03o): chmod 600 it", path,
                 (unsigned)(sb.st_mode & 0777));
        return -1;
    }
    return 0;
}

void sign_link(const sign_key *key, const char *batch_id, int64_t expires, char *sig)
{
    char msg[128];
    int n = snprintf(msg, sizeof msg, "docflow-download-v1\n%s\n%lld", batch_id,
                     (long long)expires);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (n < 0 || (size_t)n >= sizeof msg ||
        !HMAC(EVP_sha256(), key->secret, sizeof key->secret, (const unsigned char *)msg,
              (size_t)n, md, &mdlen) || mdlen != 32)
        memset(md, 0, mdlen = 32); /* an id too long to sign never verifies: see check */
    to_hex(md, mdlen, sig);
}

/* A decimal Unix time: digits only, no sign, no leading zero, fits. */
static int parse_expires(const char *s, int64_t *out)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 18 || (s[0] == '0' && n > 1) || strspn(s, "0123456789") != n)
        return -1;
    long long v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    *out = v;
    return 0;
}

int sign_link_check(const sign_key *key, const char *batch_id, const char *expires_text,
                    const char *sig, int64_t *expires)
{
    char want[SIGN_HEX];
    int64_t e;
    if (!batch_id || strlen(batch_id) > 64 || !sig || parse_expires(expires_text, &e) != 0)
        return LINK_BAD;
    sign_link(key, batch_id, e, want);
    if (!sign_equal(want, sig))
        return LINK_BAD;
    *expires = e;
    return LINK_OK;
}
