/*
 * netpolicy.c — the webhook SSRF policy: address classes, URL checks,
 * resolution. See netpolicy.h.
 */
#include "netpolicy.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const class_names[] = {
    "public", "unspecified", "loopback", "private", "link-local", "unique-local",
    "multicast", "cloud metadata", "reserved"};

const char *net_class_name(int c)
{
    return c >= 0 && c <= NET_RESERVED ? class_names[c] : "unknown";
}

/* "a loopback address", "an unspecified address" */
static const char *article(int c)
{
    return c == NET_UNSPECIFIED ? "an" : "a";
}

/* ------------------------------------------------------------------ */
/* Address classes                                                      */
/* ------------------------------------------------------------------ */

/* addr within prefix/bits (host byte order) */
static int in4(uint32_t addr, uint32_t prefix, int bits)
{
    uint32_t mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
    return (addr & mask) == (prefix & mask);
}

#define V4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (d))

int net_classify_v4(uint32_t a)
{
    static const struct { uint32_t prefix; int bits, cls; } table[] = {
        /* the metadata services first: they lie inside wider ranges below */
        {V4(169, 254, 169, 254), 32, NET_METADATA}, /* AWS, GCP, Azure, OpenStack */
        {V4(100, 100, 100, 200), 32, NET_METADATA}, /* Alibaba Cloud */
        {V4(0, 0, 0, 0), 32, NET_UNSPECIFIED},
        {V4(0, 0, 0, 0), 8, NET_RESERVED},          /* "this network" */
        {V4(127, 0, 0, 0), 8, NET_LOOPBACK},
        {V4(10, 0, 0, 0), 8, NET_PRIVATE},
        {V4(172, 16, 0, 0), 12, NET_PRIVATE},
        {V4(192, 168, 0, 0), 16, NET_PRIVATE},
        {V4(100, 64, 0, 0), 10, NET_PRIVATE},       /* carrier-grade NAT (RFC 6598) */
        {V4(169, 254, 0, 0), 16, NET_LINK_LOCAL},
        {V4(224, 0, 0, 0), 4, NET_MULTICAST},
        {V4(240, 0, 0, 0), 4, NET_RESERVED},        /* and 255.255.255.255 */
        {V4(192, 0, 0, 0), 24, NET_RESERVED},       /* IETF (Oracle's metadata 192.0.0.192) */
        {V4(192, 0, 2, 0), 24, NET_RESERVED},       /* documentation */
        {V4(198, 51, 100, 0), 24, NET_RESERVED},
        {V4(203, 0, 113, 0), 24, NET_RESERVED},
        {V4(198, 18, 0, 0), 15, NET_RESERVED},      /* benchmarking */
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (in4(a, table[i].prefix, table[i].bits))
            return table[i].cls;
    return NET_PUBLIC;
}

static uint32_t v4_at(const unsigned char *b)
{
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

/* The IPv4 address an IPv6 address carries, if any form of one. */
static int embedded_v4(const unsigned char *b, uint32_t *v4)
{
    static const unsigned char zero[12] = {0};
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (!memcmp(b, mapped, 12) || !memcmp(b, nat64, 12) ||
        (!memcmp(b, zero, 12) && v4_at(b + 12) > 1)) { /* ::a.b.c.d, not :: or ::1 */
        *v4 = v4_at(b + 12);
        return 1;
    }
    if (b[0] == 0x20 && b[1] == 0x02) { /* 6to4: 2002:AABB:CCDD::/48 */
        *v4 = v4_at(b + 2);
        return 1;
    }
    return 0;
}

int net_classify_v6(const unsigned char b[16])
{
    static const unsigned char metadata[16] = {0xfd, 0, 0x0e, 0xc2, 0, 0, 0, 0,
                                               0,    0, 0,    0,    0, 0, 0x02, 0x54};
    static const unsigned char zero[15] = {0};
    uint32_t v4;
    if (!memcmp(b, zero, 15) && (b[15] == 0 || b[15] == 1))
        return b[15] == 0 ? NET_UNSPECIFIED : NET_LOOPBACK;
    if (embedded_v4(b, &v4))
        return net_classify_v4(v4);
    if (!memcmp(b, metadata, 16))
        return NET_METADATA; /* AWS's IPv6 metadata service */
    if ((b[0] & 0xfe) == 0xfc)
        return NET_UNIQUE_LOCAL;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return NET_LINK_LOCAL;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        return NET_PRIVATE; /* site-local (deprecated, still routed inside sites) */
    if (b[0] == 0xff)
        return NET_MULTICAST;
    if ((b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || /* documentation */
        (b[0] == 0x01 && !memcmp(b + 1, zero, 7)) ||                      /* discard 100::/64 */
        (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b))      /* local NAT64 */
        return NET_RESERVED;
    return NET_PUBLIC;
}

int net_classify(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return net_classify_v4(ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr));
    if (sa->sa_family == AF_INET6)
        return net_classify_v6(((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr);
    return NET_RESERVED;
}

/* ------------------------------------------------------------------ */
/* URLs                                                                 */
/* ------------------------------------------------------------------ */

static const char *const private_hint = "webhooks go to public addresses only; the server "
                                        "allows others with --allow-private-webhooks";

/* The host and port by libcurl's parser: 0, or a CURLUcode. */
static int curl_parts(const char *url, struct net_url *u)
{
    CURLU *h = curl_url();
    char *host = NULL, *port = NULL, *zone = NULL;
    CURLUcode rc = h ? curl_url_set(h, CURLUPART_URL, url, 0) : CURLUE_OUT_OF_MEMORY;
    if (rc == CURLUE_OK)
        rc = curl_url_get(h, CURLUPART_HOST, &host, 0);
    if (rc == CURLUE_OK)
        rc = curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
    int has_zone = h && curl_url_get(h, CURLUPART_ZONEID, &zone, 0) == CURLUE_OK;
    size_t n = host ? strlen(host) : 0;
    size_t br = n >= 2 && host[0] == '[' && host[n - 1] == ']'; /* an IPv6 literal */
    if (rc == CURLUE_OK && (n == 0 || n - 2 * br >= NET_HOST_MAX || has_zone))
        rc = CURLUE_BAD_HOSTNAME;
    if (rc == CURLUE_OK) {
        snprintf(u->host, sizeof u->host, "%.*s", (int)(n - 2 * br), host + br);
        u->port = atoi(port);
    }
    curl_free(host);
    curl_free(port);
    curl_free(zone);
    curl_url_cleanup(h);
    return (int)rc;
}

/* Scheme, host and port; -1 with why. */
static int parse(const char *url, struct net_url *u, char *why)
{
    size_t skip = !strncasecmp(url, "https://", 8) ? 8 : !strncasecmp(url, "http://", 7) ? 7 : 0;
    if (!skip || strchr("/@:", url[skip])) {
        snprintf(why, NET_WHY_MAX, "it is not an absolute http:// or https:// URL with a host");
        return -1;
    }
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
            snprintf(why, NET_WHY_MAX, "it has a space or a control character");
            return -1;
        }
    int rc = curl_parts(url, u);
    u->https = skip == 8;
    if (rc != CURLUE_OK)
        snprintf(why, NET_WHY_MAX, "it is not a valid URL (%s)", curl_url_strerror(rc));
    else if (strspn(u->host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "0123456789-._:") != strlen(u->host))
        snprintf(why, NET_WHY_MAX, "its host is not written in ASCII letters, digits, '-' and "
                 "'.' (an international name goes in its xn-- form)");
    else if (u->port == 0)
        snprintf(why, NET_WHY_MAX, "port 0 cannot be connected to");
    else
        return 0;
    return -1;
}

/* The class of host when it is a literal address; -1 when it is a name. */
static int literal_class(const char *host)
{
    unsigned char b[16];
    if (inet_pton(AF_INET6, host, b) == 1)
        return net_classify_v6(b);
    if (inet_pton(AF_INET, host, b) == 1)
        return net_classify_v4(v4_at(b));
    return -1;
}

int net_url_check(const char *url, const struct net_policy *p, struct net_url *out, char *why)
{
    struct net_url u;
    if (parse(url, &u, why) != 0)
        return -1;
    if (!u.https && !p->allow_http) {
        snprintf(why, NET_WHY_MAX, "http:// is refused: webhooks are sent over https:// (the "
                 "server allows http with --allow-http-webhooks)");
        return -1;
    }
    int cls = literal_class(u.host);
    if (cls > NET_PUBLIC && !p->allow_private) {
        snprintf(why, NET_WHY_MAX, "%.120s is %s %s address: %s", u.host, article(cls), net_class_name(cls),
                 private_hint);
        return -1;
    }
    if (out)
        *out = u;
    return 0;
}

int net_resolve(const char *url, const struct net_policy *p, struct net_url *u,
                char (*addrs)[NET_ADDR_MAX], int max, int *n, char *why)
{
    struct addrinfo hints, *res = NULL;
    *n = 0;
    if (net_url_check(url, p, u, why) != 0)
        return -1;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(u->host, NULL, &hints, &res);
    if (rc != 0) {
        snprintf(why, NET_WHY_MAX, "%.120s cannot be resolved: %s", u->host, gai_strerror(rc));
        return -1;
    }
    for (struct addrinfo *ai = res; ai && rc == 0; ai = ai->ai_next) {
        char text[NET_ADDR_MAX] = "?";
        const void *in = ai->ai_family == AF_INET6
            ? (const void *)&((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr
            : (const void *)&((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr;
        inet_ntop(ai->ai_family, in, text, sizeof text);
        int cls = net_classify(ai->ai_addr);
        if (cls > NET_PUBLIC && !p->allow_private) {
            /* the class, not the address: the API is no window onto internal DNS */
            snprintf(why, NET_WHY_MAX, "%.120s resolves to %s %s address: %s", u->host,
                     article(cls), net_class_name(cls), private_hint);
            rc = -1;
        } else if (*n < max) {
            int dup = 0;
            for (int i = 0; i < *n; i++)
                dup |= !strcmp(addrs[i], text);
            if (!dup)
                snprintf(addrs[(*n)++], NET_ADDR_MAX, "%s", text);
        }
    }
    freeaddrinfo(res);
    if (rc == 0 && *n == 0) {
        snprintf(why, NET_WHY_MAX, "%.120s has no address", u->host);
        rc = -1;
    }
    if (rc != 0)
        *n = 0;
    return rc == 0 ? 0 : -1;
}
