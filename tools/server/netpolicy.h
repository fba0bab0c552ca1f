/*
 * netpolicy.h — where the server may send webhooks (the SSRF policy).
 *
 * Why it exists: a webhook_url is chosen by whoever holds an API key, and
 * the server POSTs to it from inside the operator's network. Without a
 * policy a key would be a way to reach what only the server can reach: the
 * machine itself (loopback), the LAN, a cloud's metadata service (its
 * credentials). So: https only; and no address that is loopback, private,
 * link-local, unique-local, multicast, unspecified, reserved or a cloud
 * metadata address, whether written in the URL or what its host resolves
 * to, IPv4-mapped and other IPv6 forms of IPv4 addresses included.
 * Submission checks only what needs no network (syntax, scheme, a literal
 * address), so an air-gapped machine without DNS still accepts batches;
 * each attempt resolves the host, refuses it when any address is refused,
 * and hands the checked addresses to the sender, which connects to them and
 * to nothing else (no second lookup that DNS rebinding could answer
 * differently). --allow-private-webhooks and --allow-http-webhooks relax
 * the policy for on-prem receivers and tests.
 *
 * URLs are parsed by libcurl's own parser (curl_url), the one the sender's
 * connection uses, so the host checked is the host connected to.
 *
 * Contents: address classes (net_classify_v4, _v6, net_classify);
 * net_url_check (submission); net_resolve (each attempt).
 */
#ifndef DF_SERVER_NETPOLICY_H
#define DF_SERVER_NETPOLICY_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* What an address is, for the policy: NET_PUBLIC may be sent to. */
typedef enum net_class {
    NET_PUBLIC = 0,
    NET_UNSPECIFIED,  /* 0.0.0.0, :: */
    NET_LOOPBACK,     /* 127/8, ::1 */
    NET_PRIVATE,      /* 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), fec0::/10 */
    NET_LINK_LOCAL,   /* 169.254/16, fe80::/10 */
    NET_UNIQUE_LOCAL, /* fc00::/7 */
    NET_MULTICAST,    /* 224/4, ff00::/8 */
    NET_METADATA,     /* 169.254.169.254, fd00:ec2::254, 100.100.100.200 */
    NET_RESERVED      /* 0/8, 240/4, broadcast, documentation and benchmark ranges */
} net_class;

/* "loopback", "private", ... (for messages). */
const char *net_class_name(int c);

/* The class of an IPv4 address (host byte order). */
int net_classify_v4(uint32_t addr);
/* The class of an IPv6 address; an IPv4 address inside it (IPv4-mapped
 * ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) has that address's class. */
int net_classify_v6(const unsigned char addr[16]);
/* AF_INET or AF_INET6; NET_RESERVED for any other family. */
int net_classify(const struct sockaddr *sa);

struct net_policy {
    int allow_private; /* --allow-private-webhooks: every class may be sent to */
    int allow_http;    /* --allow-http-webhooks */
};

#define NET_HOST_MAX 256
#define NET_WHY_MAX 256

/* A webhook URL's parts, as libcurl reads them. */
struct net_url {
    char host[NET_HOST_MAX]; /* without brackets for IPv6 */
    int port;                /* the scheme's default when none is written */
    int https;
};

/* Submission's check: an absolute http(s) URL with a host (ASCII), the
 * scheme allowed, a literal address of an allowed class. 0 with *out
 * filled (out may be NULL), or -1 with why (NET_WHY_MAX bytes). */
int net_url_check(const char *url, const struct net_policy *p, struct net_url *out, char *why);

#define NET_ADDR_MAX 46 /* INET6_ADDRSTRLEN */

/* Each attempt's check: net_url_check, then resolve the host; refused when
 * any of its addresses is of a refused class. 0 with up to `max` addresses
 * (numeric, in the resolver's order) in addrs and their count in *n, or -1
 * with why. */
int net_resolve(const char *url, const struct net_policy *p, struct net_url *u,
                char (*addrs)[NET_ADDR_MAX], int max, int *n, char *why);

#endif
