/* test_server_store.c — the server's store (tools/server/store.h, SQLite):
 * accounts and keys, batches created whole, round-robin claims across
 * accounts and FIFO within one, leases that run out, attempts, idempotent
 * completion, release at shutdown and restart, retention, moving averages,
 * events, idempotency keys, webhook deliveries (made with the completion,
 * leased, recorded once per attempt, redelivered, forgotten with their
 * batch), and the schema version (migration from the first one:
 * test_server_upgrade.sh). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "auth.h"
#include "datadir.h"
#include "ids.h"
#include "store.h"

static char dir[64];
static store *st;

static void setup(void)
{
    char err[STORE_ERR_MAX];
    snprintf(dir, sizeof dir, "/tmp/df-store-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(datadir_prepare(dir, err), 0);
    st = store_open(dir, err);
    ck_assert_msg(st != NULL, "%s", err);
}

static void teardown(void)
{
    char cmd[128];
    store_close(st);
    st = NULL;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void new_account(int plan, st_account *a)
{
    ck_assert_int_eq(auth_account_new(st, plan, "t", 1000, a), STORE_OK);
}

/* A batch of n files for account a, created at time t. */
static void new_batch(const st_account *a, int n, int64_t t, st_batch *b)
{
    st_file files[8];
    memset(b, 0, sizeof *b);
    ck_assert_int_eq(ids_uuid4(b->id), 0);
    snprintf(b->account_id, sizeof b->account_id, "%s", a->id);
    b->total = n;
    b->created_at = t;
    for (int i = 0; i < n; i++) {
        memset(&files[i], 0, sizeof files[i]);
        snprintf(files[i].format, sizeof files[i].format, "%s", i % 2 ? "png" : "pdf");
        snprintf(files[i].filename, sizeof files[i].filename, "f%d", i);
        files[i].bytes = 100 + (uint64_t)i;
    }
    ck_assert_int_eq(store_batch_create(st, b, files, (size_t)n), STORE_OK);
}

static void finish(const st_claim *c, const char *code, int *done)
{
    st_outcome o = {"{\"r\":1}", code, 1, 0.5, NULL, 0};
    ck_assert_int_eq(store_complete(st, c, &o, 2000, done), STORE_OK);
}

START_TEST(accounts_and_keys)
{
    st_account a, got;
    st_key k, kk;
    char key[AUTH_KEY_MAX], hdr[256];
    new_account(PLAN_STARTER, &a);
    ck_assert(!strncmp(a.id, "acct_", 5) && strlen(a.id) == 21);
    ck_assert(!strncmp(a.webhook_secret, "whsec_", 6) && strlen(a.webhook_secret) == 70);
    ck_assert_int_eq(store_account_get(st, a.id, &got), STORE_OK);
    ck_assert_str_eq(got.webhook_secret, a.webhook_secret);
    ck_assert_int_eq(auth_key_new(st, a.id, "ci", 1000, key, &k), STORE_OK);
    ck_assert(!strncmp(key, "af_", 3) && strlen(key) == 67);
    ck_assert_int_eq(auth_key_new(st, "acct_nope", "ci", 1000, key + 0, &kk), STORE_NOT_FOUND);
    /* only the hash is stored: the key appears nowhere in the database file */
    snprintf(hdr, sizeof hdr, "grep -c %s %s/docflow.db* >/dev/null", key + 3, dir);
    ck_assert_int_ne(system(hdr), 0);
    snprintf(hdr, sizeof hdr, "Bearer %s", key);
    ck_assert_int_eq(auth_check(st, hdr, &got, &kk), AUTH_OK);
    ck_assert_str_eq(got.id, a.id);
    ck_assert_str_eq(kk.id, k.id);
    hdr[strlen(hdr) - 1] ^= 1; /* one digit off */
    ck_assert_int_eq(auth_check(st, hdr, &got, NULL), AUTH_INVALID);
    ck_assert_int_eq(auth_check(st, NULL, &got, NULL), AUTH_MISSING);
    ck_assert_int_eq(auth_check(st, "Basic abc", &got, NULL), AUTH_MISSING);
    ck_assert_int_eq(auth_check(st, "Bearer af_short", &got, NULL), AUTH_INVALID);
    ck_assert_int_eq(store_key_revoke(st, k.id, 1500), STORE_OK);
    ck_assert_int_eq(store_key_revoke(st, k.id, 1500), STORE_CONFLICT);
    ck_assert_int_eq(store_key_revoke(st, "key_nope", 1500), STORE_NOT_FOUND);
    snprintf(hdr, sizeof hdr, "bearer  %s", key); /* scheme case-insensitive */
    ck_assert_int_eq(auth_check(st, hdr, &got, NULL), AUTH_REVOKED);
    ck_assert_int_eq(store_account_set_plan(st, a.id, PLAN_GROWTH), STORE_OK);
    ck_assert_int_eq(store_account_get(st, a.id, &got), STORE_OK);
    ck_assert_int_eq(got.plan, PLAN_GROWTH);
    ck_assert_int_eq(store_account_set_plan(st, "acct_nope", PLAN_GROWTH), STORE_NOT_FOUND);
    ck_assert_int_eq(store_plan_parse("enterprise"), PLAN_ENTERPRISE);
    ck_assert_int_eq(store_plan_parse("Free"), -1);
}
END_TEST

/* Round-robin across accounts (served longest ago first), FIFO within one. */
START_TEST(claims_are_fair)
{
    st_account a, b;
    st_batch ba1, ba2, bb;
    st_claim c;
    int done;
    new_account(PLAN_STARTER, &a);
    new_account(PLAN_STARTER, &b);
    new_batch(&a, 3, 1000, &ba1);
    new_batch(&a, 2, 1001, &ba2);
    /* A alone: its first batch in order */
    ck_assert_int_eq(store_claim(st, "w", 1100, 1200, &c), STORE_OK);
    ck_assert_str_eq(c.batch_id, ba1.id);
    ck_assert_int_eq(c.index, 0);
    ck_assert_int_eq(c.attempt, 1);
    finish(&c, NULL, &done);
    new_batch(&b, 1, 1101, &bb); /* B arrives after A's 5 files */
    ck_assert_int_eq(store_claim(st, "w", 1100, 1200, &c), STORE_OK);
    ck_assert_str_eq(c.batch_id, bb.id); /* B never served: next */
    finish(&c, NULL, &done);
    ck_assert(done);
    const char *order[] = {ba1.id, ba1.id, ba2.id, ba2.id};
    const unsigned idx[] = {1, 2, 0, 1};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(store_claim(st, "w", 1100, 1200, &c), STORE_OK);
        ck_assert_str_eq(c.batch_id, order[i]);
        ck_assert_uint_eq(c.index, idx[i]);
        ck_assert_str_eq(c.format, idx[i] % 2 ? "png" : "pdf");
        finish(&c, i == 1 ? "corrupt_file" : NULL, &done);
        ck_assert_int_eq(done, i == 1 || i == 3);
    }
    ck_assert_int_eq(store_claim(st, "w", 1100, 1200, &c), STORE_NOT_FOUND);
    st_batch got;
    ck_assert_int_eq(store_batch_get(st, ba1.id, &got), STORE_OK);
    ck_assert_int_eq(got.state, BATCH_COMPLETE);
    ck_assert_int_eq(got.processed, 3);
    ck_assert_int_eq(got.failed, 1);
    ck_assert_int_eq(got.completed_at, 2000);
}
END_TEST

/* Two accounts with waiting files alternate. */
START_TEST(claims_alternate)
{
    st_account a, b;
    st_batch ba, bb;
    st_claim c;
    new_account(PLAN_STARTER, &a);
    new_account(PLAN_STARTER, &b);
    new_batch(&a, 4, 1000, &ba);
    new_batch(&b, 4, 1001, &bb);
    char last[STORE_ID_MAX] = "";
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(store_claim(st, "w", 1100, 1200, &c), STORE_OK);
        ck_assert_str_ne(c.batch_id, last);
        ck_assert_uint_eq(c.index, (unsigned)i / 2);
        snprintf(last, sizeof last, "%s", c.batch_id);
    }
}
END_TEST

struct collected {
    int n;
    uint32_t idx[8];
};

static int collect_result(void *ud, uint32_t index, const char *json, size_t len)
{
    struct collected *c = ud;
    ck_assert_str_eq(json, "{\"r\":1}");
    ck_assert_uint_eq(len, 7);
    c->idx[c->n++] = index;
    return 0;
}

/* A lease that was not renewed is taken over with the next attempt; the
 * first completion wins, the late one changes nothing. */
START_TEST(leases_and_idempotent_completion)
{
    st_account a;
    st_batch b, got;
    st_claim c1, c2, c3;
    int done, n;
    new_account(PLAN_STARTER, &a);
    new_batch(&a, 2, 1000, &b);
    ck_assert_int_eq(store_claim(st, "dead", 1000, 1100, &c1), STORE_OK);
    ck_assert_int_eq(store_batch_get(st, b.id, &got), STORE_OK);
    ck_assert_int_eq(got.state, BATCH_PROCESSING);
    ck_assert_int_eq(store_claim(st, "live", 1050, 1150, &c2), STORE_OK);
    ck_assert_uint_eq(c2.index, 1); /* file 0 is leased until 1100 */
    ck_assert_int_eq(store_runnable(st, 1050, &n), STORE_OK);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(store_renew(st, "live", 1300), STORE_OK);
    ck_assert_int_eq(store_runnable(st, 1200, &n), STORE_OK);
    ck_assert_int_eq(n, 1); /* "dead" never renewed */
    ck_assert_int_eq(store_claim(st, "live", 1200, 1300, &c3), STORE_OK);
    ck_assert_uint_eq(c3.index, 0);
    ck_assert_int_eq(c3.attempt, 2);
    finish(&c3, NULL, &done);
    ck_assert(!done);
    st_outcome late = {"{\"late\":1}", NULL, 1, 1, NULL, 0};
    ck_assert_int_eq(store_complete(st, &c1, &late, 2000, &done), STORE_CONFLICT);
    finish(&c2, NULL, &done);
    ck_assert(done);
    ck_assert_int_eq(store_complete(st, &c2, &late, 2000, &done), STORE_CONFLICT);
    ck_assert(!done);
    struct collected col = {0, {0}};
    ck_assert_int_eq(store_batch_results(st, b.id, collect_result, &col), STORE_OK);
    ck_assert_int_eq(col.n, 2);
    ck_assert_uint_eq(col.idx[0], 0);
    ck_assert_uint_eq(col.idx[1], 1);
    ck_assert_int_eq(store_batch_get(st, b.id, &got), STORE_OK);
    ck_assert_int_eq(got.processed, 2);
}
END_TEST

/* A clean stop gives a file back with its attempt; a restart gives back
 * every lease of the previous process, attempts counted (deaths are what a
 * poison file is made of). */
START_TEST(release_and_restart)
{
    st_account a;
    st_batch b;
    st_claim c, d;
    int n;
    new_account(PLAN_STARTER, &a);
    new_batch(&a, 2, 1000, &b);
    ck_assert_int_eq(store_claim(st, "old", 1000, 1100, &c), STORE_OK);
    ck_assert_int_eq(store_release(st, &c), STORE_OK);
    ck_assert_int_eq(store_release(st, &c), STORE_CONFLICT);
    ck_assert_int_eq(store_claim(st, "old", 1000, 1100, &c), STORE_OK);
    ck_assert_uint_eq(c.index, 0);
    ck_assert_int_eq(c.attempt, 1); /* the clean stop's attempt was given back */
    ck_assert_int_eq(store_claim(st, "old", 1000, 1100, &d), STORE_OK);
    ck_assert_int_eq(store_release_others(st, "new", &n), STORE_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(store_claim(st, "new", 1000, 1100, &c), STORE_OK);
    ck_assert_uint_eq(c.index, 0);
    ck_assert_int_eq(c.attempt, 2);
    ck_assert_int_eq(store_release_others(st, "new", &n), STORE_OK);
    ck_assert_int_eq(n, 0); /* its own lease stays */
}
END_TEST

/* A server never takes over its own leases, however late the wall clock
 * says it is (a clock jump); another owner's run out as usual. */
START_TEST(own_leases_survive_clock_jumps)
{
    st_account a;
    st_batch b;
    st_claim c, d;
    new_account(PLAN_STARTER, &a);
    new_batch(&a, 1, 1000, &b);
    ck_assert_int_eq(store_claim(st, "me", 1000, 1120, &c), STORE_OK);
    ck_assert_int_eq(store_claim(st, "me", 1000 + 86400, 1000 + 86520, &d), STORE_NOT_FOUND);
    ck_assert_int_eq(store_claim(st, "other", 1121, 1241, &d), STORE_OK);
    ck_assert_int_eq(d.attempt, 2);
}
END_TEST

static int collect_batch(void *ud, const st_batch *b)
{
    snprintf(ud, STORE_ID_MAX, "%s", b->id);
    return 0;
}

static int count_events(void *ud, const st_event *e)
{
    char *kinds = ud;
    strcat(kinds, e->kind);
    strcat(kinds, ";");
    return 0;
}

START_TEST(retention_and_events)
{
    st_account a;
    st_batch b, got;
    st_claim c;
    st_file f;
    int done, live, n;
    char id[STORE_ID_MAX] = "", kinds[256] = "";
    new_account(PLAN_STARTER, &a);
    new_batch(&a, 1, 1000, &b);
    ck_assert_int_eq(store_file_get(st, b.id, 0, &f), STORE_OK);
    ck_assert_str_eq(f.filename, "f0");
    ck_assert_int_eq(store_claim(st, "w", 1000, 1100, &c), STORE_OK);
    finish(&c, NULL, &done); /* completed at 2000 */
    ck_assert_int_eq(store_batches_completed_before(st, 1999, collect_batch, id), STORE_OK);
    ck_assert_str_eq(id, "");
    ck_assert_int_eq(store_batches_completed_before(st, 2000, collect_batch, id), STORE_OK);
    ck_assert_str_eq(id, b.id);
    ck_assert_int_eq(store_batch_expire(st, b.id, 3000), STORE_OK);
    ck_assert_int_eq(store_batch_expire(st, b.id, 3000), STORE_NOT_FOUND);
    ck_assert_int_eq(store_batch_get(st, b.id, &got), STORE_OK);
    ck_assert_int_eq(got.state, BATCH_EXPIRED);
    ck_assert_int_eq(store_file_get(st, b.id, 0, &f), STORE_NOT_FOUND);
    ck_assert_int_eq(store_batch_exists(st, b.id, &live), STORE_OK);
    ck_assert(!live);
    ck_assert_int_eq(store_events(st, 0, 10, count_events, kinds), STORE_OK);
    ck_assert_str_eq(kinds, "batch.created;batch.completed;batch.expired;");
    ck_assert_int_eq(store_batch_forget(st, 2999, &n), STORE_OK);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(store_batch_forget(st, 3000, &n), STORE_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(store_batch_get(st, b.id, &got), STORE_NOT_FOUND);
}
END_TEST

/* Moving averages: the first 1/alpha samples averaged evenly, then alpha. */
START_TEST(moving_averages)
{
    st_account a;
    st_batch b;
    st_claim c;
    int done;
    double v;
    int64_t n;
    new_account(PLAN_STARTER, &a);
    new_batch(&a, 6, 1000, &b);
    const double xs[] = {2, 4, 6, 8, 10, 12};
    for (int i = 0; i < 6; i++) {
        st_sample s = {"x", xs[i], 0.25};
        st_outcome o = {"{}", NULL, 1, 1, &s, 1};
        ck_assert_int_eq(store_claim(st, "w", 1000, 1100, &c), STORE_OK);
        ck_assert_int_eq(store_complete(st, &c, &o, 2000, &done), STORE_OK);
    }
    ck_assert_int_eq(store_stat_get(st, "x", &v, &n), STORE_OK);
    ck_assert_int_eq(n, 6);
    /* mean of 2,4,6,8 = 5, then 5 + .25 * (10 - 5) = 6.25, then 6.25 + .25 * 5.75 */
    ck_assert_double_eq_tol(v, 6.25 + 0.25 * (12 - 6.25), 1e-9);
    ck_assert_int_eq(store_stat_get(st, "y", &v, &n), STORE_NOT_FOUND);
}
END_TEST

/* Idempotency keys: the first batch under a key is remembered per account;
 * a second create under it makes nothing and returns the first's record;
 * another account's same key is its own; a record older than `since` is
 * forgotten and the key is free again. */
static int idem_create(const st_account *a, const char *key, const char *fp, int64_t t,
                       st_batch *b, st_idem *prior)
{
    st_file f = {"pdf", "x.pdf", 10};
    st_idem idem;
    memset(b, 0, sizeof *b);
    memset(&idem, 0, sizeof idem);
    ck_assert_int_eq(ids_uuid4(b->id), 0);
    snprintf(b->account_id, sizeof b->account_id, "%s", a->id);
    b->total = 1;
    b->created_at = t;
    snprintf(idem.key, sizeof idem.key, "%s", key);
    snprintf(idem.fingerprint, sizeof idem.fingerprint, "%s", fp);
    idem.created_at = t;
    return store_batch_create_idem(st, b, &f, 1, &idem, t - 100, prior);
}

START_TEST(idempotency_keys)
{
    st_account a, other;
    st_batch b1, b2, b3, b4, got;
    st_idem prior;
    new_account(PLAN_STARTER, &a);
    new_account(PLAN_STARTER, &other);
    ck_assert_int_eq(idem_create(&a, "k1", "aa", 1000, &b1, &prior), STORE_OK);
    ck_assert_int_eq(idem_create(&a, "k1", "bb", 1050, &b2, &prior), STORE_CONFLICT);
    ck_assert_str_eq(prior.batch_id, b1.id);
    ck_assert_str_eq(prior.fingerprint, "aa");
    ck_assert_int_eq(prior.created_at, 1000);
    ck_assert_int_eq(store_batch_get(st, b2.id, &got), STORE_NOT_FOUND); /* nothing made */
    ck_assert_int_eq(idem_create(&other, "k1", "bb", 1050, &b3, &prior), STORE_OK);
    /* 100 s later the first record is at the cutoff: forgotten, the key is new */
    ck_assert_int_eq(idem_create(&a, "k1", "cc", 1100, &b4, &prior), STORE_OK);
    ck_assert_int_eq(idem_create(&a, "k1", "cc", 1101, &b2, &prior), STORE_CONFLICT);
    ck_assert_str_eq(prior.batch_id, b4.id);
    ck_assert_int_eq(store_batch_get(st, b1.id, &got), STORE_OK); /* the batch itself stays */
}
END_TEST

static int keep_delivery(void *ud, const st_delivery *d)
{
    st_delivery *out = ud;
    out[out[0].seq == 0 ? 0 : 1] = *d; /* the first and the last */
    return 0;
}

static int count_rows(void *ud, const st_delivery *d)
{
    (void)d;
    ++*(int *)ud;
    return 0;
}

static int keep_attempt(void *ud, const st_attempt *a)
{
    *(st_attempt *)ud = *a;
    return 0;
}

/* A batch of 2 files with a webhook_url (or none), completed at 2000. */
static void completed_batch(const st_account *a, const char *url, st_batch *b)
{
    st_file files[2] = {{"pdf", "a", 1}, {"png", "b", 2}};
    st_claim c;
    int done;
    memset(b, 0, sizeof *b);
    ck_assert_int_eq(ids_uuid4(b->id), 0);
    snprintf(b->account_id, sizeof b->account_id, "%s", a->id);
    b->total = 2;
    b->created_at = 1000;
    if ((b->has_webhook_url = url != NULL))
        snprintf(b->webhook_url, sizeof b->webhook_url, "%s", url);
    ck_assert_int_eq(store_batch_create(st, b, files, 2), STORE_OK);
    for (int i = 0; i < 2; i++) {
        int n = 0;
        ck_assert_int_eq(store_deliveries_of(st, b->id, count_rows, &n), STORE_OK);
        ck_assert_int_eq(n, 0); /* none before the batch completes */
        ck_assert_int_eq(store_claim(st, "w", 1000, 1100, &c), STORE_OK);
        finish(&c, NULL, &done);
        ck_assert_int_eq(done, i == 1);
    }
}

/* Deliveries: made pending by the completion (only with a webhook_url),
 * leased by compare-and-set, the body fixed once, each attempt recorded
 * once, redelivered as a new delivery, forgotten with the tombstone. */
START_TEST(webhook_deliveries)
{
    st_account a, got;
    st_batch b, plain;
    st_delivery d[2];
    st_attempt at, seen;
    int n = 0;
    new_account(PLAN_STARTER, &a);
    completed_batch(&a, NULL, &plain);
    ck_assert_int_eq(store_deliveries_of(st, plain.id, count_rows, &n), STORE_OK);
    ck_assert_int_eq(n, 0);
    completed_batch(&a, "https://example.com/hook", &b);
    memset(d, 0, sizeof d);
    ck_assert_int_eq(store_deliveries_pending(st, 10, keep_delivery, d), STORE_OK);
    ck_assert_str_eq(d[0].batch_id, b.id);
    ck_assert_str_eq(d[0].url, "https://example.com/hook");
    ck_assert_int_eq(d[0].state, DELIVERY_PENDING);
    ck_assert_int_eq(d[0].attempts, 0);
    ck_assert_int_eq(d[0].next_at, 2000);
    ck_assert_str_eq(d[0].body, "");
    int64_t seq = d[0].seq;
    /* the lease: a compare-and-set on (attempts, next_at) */
    ck_assert_int_eq(store_delivery_reschedule(st, seq, 0, 2000, 2060), STORE_OK);
    ck_assert_int_eq(store_delivery_reschedule(st, seq, 0, 2000, 2070), STORE_CONFLICT);
    ck_assert_int_eq(store_delivery_reschedule(st, seq, 1, 2060, 2070), STORE_CONFLICT);
    /* the body: the first one fixed stays */
    ck_assert_int_eq(store_delivery_fix_body(st, seq, "id-1", "{\"a\":1}", 2001), STORE_OK);
    ck_assert_int_eq(store_delivery_fix_body(st, seq, "id-2", "{\"b\":2}", 2002), STORE_OK);
    ck_assert_int_eq(store_delivery_get(st, seq, &d[0]), STORE_OK);
    ck_assert_str_eq(d[0].delivery_id, "id-1");
    ck_assert_str_eq(d[0].body, "{\"a\":1}");
    ck_assert_int_eq(d[0].timestamp, 2001);
    /* attempt 1: HTTP 500, due again at 2002; recorded once */
    memset(&at, 0, sizeof at);
    at.n = 1, at.at = 2001, at.http_status = 500, at.seconds = 0.25;
    ck_assert_int_eq(store_delivery_record(st, seq, &at, DELIVERY_PENDING, 2002), STORE_OK);
    ck_assert_int_eq(store_delivery_record(st, seq, &at, DELIVERY_PENDING, 2002), STORE_CONFLICT);
    ck_assert_int_eq(store_delivery_attempts(st, seq, keep_attempt, &seen), STORE_OK);
    ck_assert_int_eq(seen.n, 1);
    ck_assert_int_eq(seen.http_status, 500);
    ck_assert_str_eq(seen.error, "");
    ck_assert_int_eq(store_delivery_redeliver(st, b.id, 2003), STORE_CONFLICT); /* pending */
    /* attempt 2: refused, failed for good */
    at.n = 2, at.at = 2002, at.http_status = 0;
    snprintf(at.error, sizeof at.error, "refused: a loopback address");
    ck_assert_int_eq(store_delivery_record(st, seq, &at, DELIVERY_FAILED, 2002), STORE_OK);
    ck_assert_int_eq(store_delivery_get(st, seq, &d[0]), STORE_OK);
    ck_assert_int_eq(d[0].state, DELIVERY_FAILED);
    ck_assert_int_eq(d[0].attempts, 2);
    ck_assert_str_eq(d[0].last_error, "refused: a loopback address");
    ck_assert_int_eq(store_delivery_attempts(st, seq, keep_attempt, &seen), STORE_OK);
    ck_assert_int_eq(seen.n, 2);
    ck_assert_str_eq(seen.error, "refused: a loopback address");
    n = 0;
    ck_assert_int_eq(store_deliveries_pending(st, 10, count_rows, &n), STORE_OK);
    ck_assert_int_eq(n, 0);
    /* redeliver: a new delivery, the old one kept */
    ck_assert_int_eq(store_delivery_redeliver(st, b.id, 3000), STORE_OK);
    memset(d, 0, sizeof d);
    ck_assert_int_eq(store_deliveries_of(st, b.id, keep_delivery, d), STORE_OK);
    ck_assert_int_eq(d[0].seq, seq);
    ck_assert_int_ne(d[1].seq, seq);
    ck_assert_int_eq(d[1].state, DELIVERY_PENDING);
    ck_assert_int_eq(d[1].attempts, 0);
    ck_assert_int_eq(d[1].next_at, 3000);
    ck_assert_int_eq(store_delivery_redeliver(st, plain.id, 3000), STORE_CONFLICT);
    ck_assert_int_eq(store_delivery_redeliver(st, "00000000-0000-4000-8000-000000000000", 3000),
                     STORE_NOT_FOUND);
    /* a new signing secret */
    ck_assert_int_eq(store_account_set_secret(st, a.id, "whsec_new"), STORE_OK);
    ck_assert_int_eq(store_account_get(st, a.id, &got), STORE_OK);
    ck_assert_str_eq(got.webhook_secret, "whsec_new");
    ck_assert_int_eq(store_account_set_secret(st, "acct_none", "x"), STORE_NOT_FOUND);
    /* the tombstone forgotten: its deliveries and attempts with it */
    ck_assert_int_eq(store_batch_expire(st, b.id, 4000), STORE_OK);
    ck_assert_int_eq(store_delivery_redeliver(st, b.id, 4001), STORE_CONFLICT); /* expired */
    ck_assert_int_eq(store_batch_forget(st, 4000, &n), STORE_OK);
    ck_assert_int_eq(n, 1);
    n = 0;
    ck_assert_int_eq(store_deliveries_of(st, b.id, count_rows, &n), STORE_OK);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(store_delivery_get(st, seq, &d[0]), STORE_NOT_FOUND);
}
END_TEST

/* A store written by a newer docflow is refused, with a message. */
START_TEST(newer_schema_refused)
{
    char path[128], err[STORE_ERR_MAX];
    sqlite3 *db;
    store_close(st);
    snprintf(path, sizeof path, "%s/docflow.db", dir);
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    st = store_open(dir, err);
    ck_assert_ptr_null(st);
    ck_assert_msg(strstr(err, "newer docflow") && strstr(err, "99"), "%s", err);
    ck_assert_int_eq(store_schema_version(), 3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("server_store");
    TCase *t = tcase_create("store");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, accounts_and_keys);
    tcase_add_test(t, claims_are_fair);
    tcase_add_test(t, claims_alternate);
    tcase_add_test(t, leases_and_idempotent_completion);
    tcase_add_test(t, release_and_restart);
    tcase_add_test(t, own_leases_survive_clock_jumps);
    tcase_add_test(t, retention_and_events);
    tcase_add_test(t, moving_averages);
    tcase_add_test(t, newer_schema_refused);
    tcase_add_test(t, idempotency_keys);
    tcase_add_test(t, webhook_deliveries);
    suite_add_tcase(s, t);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
