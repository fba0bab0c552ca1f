/* test_server_signing.c — hashes, the link signature and its checks, the
 * secret file, and the ids the server makes and parses
 * (tools/server/signing.c, ids.c). */
#include <check.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ids.h"
#include "signing.h"

START_TEST(sha256_known_answer)
{
    char hex[SIGN_HEX];
    sign_sha256_hex("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sign_sha256_hex("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

/* RFC 4231 test case 2; and a webhook key is the secret's ASCII bytes, as
 * Python's hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256) takes
 * it (the reference's verify_webhook.py). */
START_TEST(hmac_known_answer)
{
    char hex[SIGN_HEX];
    sign_hmac_hex("Jefe", 4, "what do ya want for nothing?", 28, hex);
    ck_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_00", b"{}", hashlib.sha256)
     * .hexdigest())' */
    sign_hmac_hex("whsec_00", 8, "{}", 2, hex);
    ck_assert_str_eq(hex, "12b2db764a4d6f66ceedaf96022781b913d9a76e8f518c01f30ba53a34c6e0d1");
}
END_TEST

START_TEST(equal_is_exact)
{
    ck_assert(sign_equal("abc", "abc"));
    ck_assert(!sign_equal("abc", "abd"));
    ck_assert(!sign_equal("abc", "abcd"));
    ck_assert(!sign_equal("", "a"));
    ck_assert(sign_equal("", ""));
}
END_TEST

/* The signature is HMAC-SHA256 of the documented message under the secret. */
START_TEST(link_signature)
{
    sign_key k;
    char sig[SIGN_HEX], want[SIGN_HEX];
    const char *id = "7dfd45b2-d7b7-40ba-9bbf-2995b5108f35";
    int64_t e = 0;
    memset(k.secret, 7, sizeof k.secret);
    sign_link(&k, id, 1800000000, sig);
    const char *msg = "docflow-download-v1\n7dfd45b2-d7b7-40ba-9bbf-2995b5108f35\n1800000000";
    unsigned char md[32];
    unsigned int n = 0;
    HMAC(EVP_sha256(), k.secret, 32, (const unsigned char *)msg, strlen(msg), md, &n);
    for (int i = 0; i < 32; i++)
        sprintf(want + 2 * i, "%02x", md[i]);
    ck_assert_str_eq(sig, want);
    ck_assert_int_eq(sign_link_check(&k, id, "1800000000", sig, &e), LINK_OK);
    ck_assert_int_eq(e, 1800000000);
    /* tampered: the expiry, the id, one digit of the signature, its case, length */
    ck_assert_int_eq(sign_link_check(&k, id, "1800000001", sig, &e), LINK_BAD);
    ck_assert_int_eq(sign_link_check(&k, "7dfd45b2-d7b7-40ba-9bbf-2995b5108f36", "1800000000",
                                     sig, &e), LINK_BAD);
    char bad[SIGN_HEX];
    memcpy(bad, sig, sizeof bad);
    bad[10] = bad[10] == '0' ? '1' : '0';
    ck_assert_int_eq(sign_link_check(&k, id, "1800000000", bad, &e), LINK_BAD);
    memcpy(bad, sig, sizeof bad);
    for (int i = 0; bad[i]; i++)
        if (bad[i] >= 'a')
            bad[i] = (char)(bad[i] - 32);
    ck_assert_int_eq(sign_link_check(&k, id, "1800000000", bad, &e), LINK_BAD);
    bad[63] = '\0';
    ck_assert_int_eq(sign_link_check(&k, id, "1800000000", bad, &e), LINK_BAD);
    /* malformed expiries never reach the HMAC */
    const char *exps[] = {NULL, "", "-1", "+1800000000", "01800000000", "18e8", "1800000000 ",
                          "99999999999999999999"};
    for (size_t i = 0; i < sizeof exps / sizeof *exps; i++)
        ck_assert_int_eq(sign_link_check(&k, id, exps[i], sig, &e), LINK_BAD);
    ck_assert_int_eq(sign_link_check(&k, id, "1800000000", NULL, &e), LINK_BAD);
    /* another secret */
    sign_key k2;
    memset(k2.secret, 8, sizeof k2.secret);
    ck_assert_int_eq(sign_link_check(&k2, id, "1800000000", sig, &e), LINK_BAD);
}
END_TEST

/* Created once, mode 0600; the same secret on the next start; a loose mode
 * or a damaged file is refused. */
START_TEST(secret_file)
{
    char dir[] = "/tmp/df-secret-XXXXXX", path[64], err[256], cmd[96];
    sign_key a, b;
    struct stat sb;
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(sign_load_secret(dir, &a, err), 0);
    snprintf(path, sizeof path, "%s/secret", dir);
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);
    ck_assert_int_eq(sb.st_size, 65);
    ck_assert_int_eq(sign_load_secret(dir, &b, err), 0);
    ck_assert_mem_eq(a.secret, b.secret, 32);
    chmod(path, 0644);
    ck_assert_int_eq(sign_load_secret(dir, &b, err), -1);
    ck_assert_msg(strstr(err, "readable by others"), "%s", err);
    FILE *f = fopen(path, "w");
    fputs("zz\n", f);
    fclose(f);
    chmod(path, 0600);
    ck_assert_int_eq(sign_load_secret(dir, &b, err), -1);
    ck_assert_msg(strstr(err, "not a docflow secret"), "%s", err);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(uuid_made_and_parsed)
{
    char id[IDS_UUID_LEN + 1], back[IDS_UUID_LEN + 1], other[IDS_UUID_LEN + 1];
    ck_assert_int_eq(ids_uuid4(id), 0);
    ck_assert_int_eq(strlen(id), 36);
    ck_assert_int_eq(id[14], '4');          /* version 4 */
    ck_assert(strchr("89ab", id[19]) != NULL); /* RFC 4122 variant */
    ck_assert_int_eq(ids_parse_uuid(id, back), 0);
    ck_assert_str_eq(back, id);
    ck_assert_int_eq(ids_uuid4(other), 0);
    ck_assert_str_ne(other, id);
    ck_assert_int_eq(ids_parse_uuid("7DFD45B2-D7B7-40BA-9BBF-2995B5108F35", back), 0);
    ck_assert_str_eq(back, "7dfd45b2-d7b7-40ba-9bbf-2995b5108f35");
    const char *bad[] = {"", "7dfd45b2", "7dfd45b2-d7b7-40ba-9bbf-2995b5108f3",
                         "7dfd45b2-d7b7-40ba-9bbf-2995b5108f355",
                         "7dfd45b2d7b7-40ba-9bbf-2995b5108f35-",
                         "7dfd45b2-d7b7-40ba-9bbf-2995b5108f3g",
                         "../../../../etc/passwd00000000000",
                         "7dfd45b2-d7b7-40ba-9bbf-2995b5108f3%",
                         "7dfd45b2 d7b7-40ba-9bbf-2995b5108f35"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(ids_parse_uuid(bad[i], back) == -1, "accepted '%s'", bad[i]);
    ck_assert_int_eq(ids_parse_uuid(NULL, back), -1);
}
END_TEST

START_TEST(prefixed_ids)
{
    char id[40];
    ck_assert_int_eq(ids_new("acct_", 8, id, sizeof id), 0);
    ck_assert_int_eq(strlen(id), 21);
    ck_assert(!strncmp(id, "acct_", 5));
    ck_assert_int_eq(strspn(id + 5, "0123456789abcdef"), 16);
    ck_assert_int_eq(ids_new("acct_", 8, id, 10), -1); /* does not fit */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("server_signing");
    TCase *t = tcase_create("signing");
    tcase_add_test(t, sha256_known_answer);
    tcase_add_test(t, hmac_known_answer);
    tcase_add_test(t, equal_is_exact);
    tcase_add_test(t, link_signature);
    tcase_add_test(t, secret_file);
    tcase_add_test(t, uuid_made_and_parsed);
    tcase_add_test(t, prefixed_ids);
    suite_add_tcase(s, t);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
