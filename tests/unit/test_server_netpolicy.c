/* test_server_netpolicy.c — where webhooks may go (tools/server/netpolicy.c):
 * every refused address class over literal IPv4, IPv6 and IPv4-in-IPv6
 * addresses (mapped, compatible, NAT64, 6to4); submission's URL check
 * (syntax, scheme, literal addresses, the two --allow flags, no DNS); the
 * check at delivery (a name resolving to loopback refused, allowed with
 * --allow-private-webhooks); and --webhook-backoff's parsing (webhook.c). */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netpolicy.h"
#include "webhook.h"

static int class_of(const char *text)
{
    unsigned char b[16];
    if (inet_pton(AF_INET6, text, b) == 1)
        return net_classify_v6(b);
    ck_assert_msg(inet_pton(AF_INET, text, b) == 1, "not an address: %s", text);
    return net_classify_v4(((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
                           ((uint32_t)b[2] << 8) | b[3]);
}

static const struct {
    const char *addr;
    int cls;
} cases[] = {
    /* IPv4 */
    {"0.0.0.0", NET_UNSPECIFIED},
    {"0.1.2.3", NET_RESERVED},
    {"127.0.0.1", NET_LOOPBACK},
    {"127.255.255.254", NET_LOOPBACK},
    {"10.0.0.1", NET_PRIVATE},
    {"172.16.0.1", NET_PRIVATE},
    {"172.31.255.255", NET_PRIVATE},
    {"172.32.0.1", NET_PUBLIC},
    {"192.168.1.1", NET_PRIVATE},
    {"100.64.0.1", NET_PRIVATE},
    {"169.254.1.1", NET_LINK_LOCAL},
    {"169.254.169.254", NET_METADATA},
    {"100.100.100.200", NET_METADATA},
    {"224.0.0.1", NET_MULTICAST},
    {"239.255.255.250", NET_MULTICAST},
    {"240.0.0.1", NET_RESERVED},
    {"255.255.255.255", NET_RESERVED},
    {"192.0.0.192", NET_RESERVED},
    {"192.0.2.1", NET_RESERVED},
    {"198.18.0.1", NET_RESERVED},
    {"8.8.8.8", NET_PUBLIC},
    {"93.184.216.34", NET_PUBLIC},
    /* IPv6 */
    {"::", NET_UNSPECIFIED},
    {"::1", NET_LOOPBACK},
    {"fe80::1", NET_LINK_LOCAL},
    {"febf::1", NET_LINK_LOCAL},
    {"fec0::1", NET_PRIVATE},
    {"fc00::1", NET_UNIQUE_LOCAL},
    {"fd12:3456::1", NET_UNIQUE_LOCAL},
    {"fd00:ec2::254", NET_METADATA},
    {"ff02::1", NET_MULTICAST},
    {"ff0e::1", NET_MULTICAST},
    {"2001:db8::1", NET_RESERVED},
    {"100::1", NET_RESERVED},
    {"2606:4700::1111", NET_PUBLIC},
    {"2a00:1450:4001::200e", NET_PUBLIC},
    /* IPv4 inside IPv6: the IPv4 address's class */
    {"::ffff:127.0.0.1", NET_LOOPBACK},
    {"::ffff:7f00:1", NET_LOOPBACK},
    {"::ffff:10.1.2.3", NET_PRIVATE},
    {"::ffff:169.254.169.254", NET_METADATA},
    {"::ffff:169.254.0.1", NET_LINK_LOCAL},
    {"::ffff:224.0.0.1", NET_MULTICAST},
    {"::ffff:0.0.0.0", NET_UNSPECIFIED},
    {"::ffff:8.8.8.8", NET_PUBLIC},
    {"::127.0.0.1", NET_LOOPBACK},
    {"::10.0.0.1", NET_PRIVATE},
    {"64:ff9b::7f00:1", NET_LOOPBACK},
    {"64:ff9b::a9fe:a9fe", NET_METADATA},
    {"64:ff9b::808:808", NET_PUBLIC},
    {"2002:7f00:1::1", NET_LOOPBACK},
    {"2002:c0a8:101::1", NET_PRIVATE},
};

START_TEST(address_classes)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        ck_assert_msg(class_of(cases[i].addr) == cases[i].cls, "%s: %s, want %s", cases[i].addr,
                      net_class_name(class_of(cases[i].addr)), net_class_name(cases[i].cls));
}
END_TEST

START_TEST(sockaddr_classes)
{
    struct sockaddr_in v4 = {0};
    struct sockaddr_in6 v6 = {0};
    v4.sin_family = AF_INET;
    inet_pton(AF_INET, "169.254.169.254", &v4.sin_addr);
    ck_assert_int_eq(net_classify((struct sockaddr *)&v4), NET_METADATA);
    v6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "::ffff:192.168.0.1", &v6.sin6_addr);
    ck_assert_int_eq(net_classify((struct sockaddr *)&v6), NET_PRIVATE);
    v4.sin_family = AF_UNIX;
    ck_assert_int_eq(net_classify((struct sockaddr *)&v4), NET_RESERVED);
}
END_TEST

static void expect_refused(const char *url, int allow_http, int allow_private, const char *why)
{
    struct net_policy p = {allow_private, allow_http};
    char got[NET_WHY_MAX] = "";
    ck_assert_msg(net_url_check(url, &p, NULL, got) == -1, "%s was accepted", url);
    ck_assert_msg(strstr(got, why), "%s: \"%s\" does not say \"%s\"", url, got, why);
}

static void expect_accepted(const char *url, int allow_http, int allow_private)
{
    struct net_policy p = {allow_private, allow_http};
    struct net_url u;
    char why[NET_WHY_MAX] = "";
    ck_assert_msg(net_url_check(url, &p, &u, why) == 0, "%s: %s", url, why);
}

START_TEST(submission_checks)
{
    expect_accepted("https://example.com/hook?x=1", 0, 0);
    expect_accepted("HTTPS://Example.COM:8443/hook", 0, 0);
    expect_accepted("https://93.184.216.34/hook", 0, 0);
    expect_accepted("https://[2606:4700::1111]/hook", 0, 0);
    /* names are not resolved at submission: air-gapped machines accept them */
    expect_accepted("https://localhost/hook", 0, 0);
    expect_accepted("https://no-such-host.invalid/hook", 0, 0);
    /* the scheme */
    expect_refused("http://example.com/hook", 0, 0, "--allow-http-webhooks");
    expect_accepted("http://example.com/hook", 1, 0);
    expect_refused("ftp://example.com/hook", 1, 1, "not an absolute http:// or https:// URL");
    expect_refused("/hook", 1, 1, "not an absolute");
    expect_refused("yourserver.com/webhook", 1, 1, "not an absolute");
    expect_refused("https:///hook", 1, 1, "not an absolute");
    expect_refused("https://@example.com/", 1, 1, "not an absolute");
    expect_refused("https://exa mple.com/", 1, 1, "space or a control character");
    expect_refused("https://bücher.de/", 1, 1, "xn--");
    expect_refused("https://example.com:99999/", 1, 1, "not a valid URL");
    expect_refused("https://example.com:0/", 1, 1, "port 0");
    /* literal addresses of every refused class, in every written form */
    expect_refused("https://127.0.0.1/hook", 0, 0, "127.0.0.1 is a loopback address");
    expect_refused("https://127.1/hook", 0, 0, "loopback");      /* libcurl reads 127.0.0.1 */
    expect_refused("https://2130706433/hook", 0, 0, "loopback"); /* likewise */
    expect_refused("https://0x7f000001/hook", 0, 0, "loopback");
    expect_refused("https://[::1]/hook", 0, 0, "::1 is a loopback address");
    expect_refused("https://[::ffff:127.0.0.1]/hook", 0, 0, "loopback");
    expect_refused("https://10.0.0.5/hook", 0, 0, "a private address");
    expect_refused("https://169.254.169.254/latest/meta-data/", 0, 0, "cloud metadata");
    expect_refused("https://[fd00:ec2::254]/", 0, 0, "cloud metadata");
    expect_refused("https://[::ffff:169.254.169.254]/", 0, 0, "cloud metadata");
    expect_refused("https://169.254.3.4/", 0, 0, "link-local");
    expect_refused("https://[fe80::1]/", 0, 0, "link-local");
    expect_refused("https://[fe80::1%25eth0]/", 0, 1, "not a valid URL"); /* a zone id */
    expect_refused("https://[fd12::1]/", 0, 0, "unique-local");
    expect_refused("https://224.0.0.1/", 0, 0, "multicast");
    expect_refused("https://[ff02::1]/", 0, 0, "multicast");
    expect_refused("https://0.0.0.0/", 0, 0, "unspecified");
    expect_refused("https://[::]/", 0, 0, "unspecified");
    expect_refused("https://240.0.0.1/", 0, 0, "reserved");
    expect_refused("https://127.0.0.1/", 0, 0, "--allow-private-webhooks");
    /* --allow-private-webhooks lets every class through */
    expect_accepted("https://127.0.0.1:8443/hook", 0, 1);
    expect_accepted("https://[::1]/hook", 0, 1);
    expect_accepted("https://169.254.169.254/", 0, 1);
    expect_accepted("http://10.0.0.5/hook", 1, 1);
}
END_TEST

/* At delivery the name is resolved: localhost (127.0.0.1 in /etc/hosts)
 * is refused, with the address and its class; allowed when private
 * addresses are. */
START_TEST(delivery_resolution)
{
    struct net_policy strict = {0, 0}, open = {1, 0};
    struct net_url u;
    char addrs[3][NET_ADDR_MAX], why[NET_WHY_MAX] = "";
    int n = -1;
    ck_assert_int_eq(net_resolve("https://localhost:8443/hook", &strict, &u, addrs, 3, &n, why),
                     -1);
    ck_assert_int_eq(n, 0);
    ck_assert_msg(strstr(why, "localhost resolves to ") && strstr(why, "loopback"), "%s", why);
    ck_assert_int_eq(net_resolve("https://localhost:8443/hook", &open, &u, addrs, 3, &n, why), 0);
    ck_assert_int_ge(n, 1);
    ck_assert_str_eq(u.host, "localhost");
    ck_assert_int_eq(u.port, 8443);
    for (int i = 0; i < n; i++)
        ck_assert_msg(!strcmp(addrs[i], "127.0.0.1") || !strcmp(addrs[i], "::1"), "%s", addrs[i]);
    /* a literal: the same checks, no lookup */
    ck_assert_int_eq(net_resolve("https://[::ffff:10.0.0.1]/", &strict, &u, addrs, 3, &n, why), -1);
    ck_assert_msg(strstr(why, "private"), "%s", why);
    ck_assert_int_eq(net_resolve("https://93.184.216.34/", &strict, &u, addrs, 3, &n, why), 0);
    ck_assert_int_eq(n, 1);
    ck_assert_str_eq(addrs[0], "93.184.216.34");
    ck_assert_int_eq(u.port, 443);
    /* a name that cannot resolve (.invalid never does) */
    ck_assert_int_eq(net_resolve("https://no-such-host.invalid/", &strict, &u, addrs, 3, &n, why),
                     -1);
    ck_assert_msg(strstr(why, "cannot be resolved"), "%s", why);
    /* the scheme is checked at each attempt too */
    ck_assert_int_eq(net_resolve("http://93.184.216.34/", &strict, &u, addrs, 3, &n, why), -1);
}
END_TEST

START_TEST(backoff_option)
{
    struct webhook_config c;
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(webhook_option(WEBHOOK_OPT_BACKOFF, "1s,4s,16s", &c), 0);
    ck_assert_int_eq(c.nbackoff, 3);
    ck_assert_int_eq(c.backoff_ms[0], 1000);
    ck_assert_int_eq(c.backoff_ms[1], 4000);
    ck_assert_int_eq(c.backoff_ms[2], 16000);
    ck_assert_int_eq(webhook_option(WEBHOOK_OPT_BACKOFF, "250ms,2m", &c), 0);
    ck_assert_int_eq(c.nbackoff, 2);
    ck_assert_int_eq(c.backoff_ms[0], 250);
    ck_assert_int_eq(c.backoff_ms[1], 120000);
    const char *bad[] = {"", "1", "1s,", ",1s", "0s", "-1s", "1h", "1s;2s", "1x", "25h",
                         "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(webhook_option(WEBHOOK_OPT_BACKOFF, bad[i], &c) == -1, "'%s'", bad[i]);
    ck_assert_int_eq(webhook_option(WEBHOOK_OPT_PRIVATE, NULL, &c), 0);
    ck_assert_int_eq(c.policy.allow_private, 1);
    ck_assert_int_eq(webhook_option(WEBHOOK_OPT_HTTP, NULL, &c), 0);
    ck_assert_int_eq(c.policy.allow_http, 1);
    ck_assert_int_eq(webhook_option(WEBHOOK_OPT_PROXY, "", &c), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("server_netpolicy");
    TCase *t = tcase_create("netpolicy");
    tcase_add_test(t, address_classes);
    tcase_add_test(t, sockaddr_classes);
    tcase_add_test(t, submission_checks);
    tcase_add_test(t, delivery_resolution);
    tcase_add_test(t, backoff_option);
    suite_add_tcase(s, t);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
