/*
 * accounts.c — `docflow accounts` and `docflow keys`: who may use the server.
 *
 * Why it exists: the hosted API has accounts on plans and keys that belong
 * to them; an operator of a local server needs the same, without a web
 * console. Secrets are printed once, when made: a key's SHA-256 is all the
 * store keeps, and the webhook signing secret is stored for the server
 * only. These commands write the same store the server reads (SQLite in
 * WAL mode allows it while the server runs): a new key works at once, a
 * revoked one fails its next request.
 *
 * Contents: option parsing shared by the commands; accounts create, list,
 * set-plan, rotate-secret; keys create (for an account, or with a new
 * account: --plan), list, revoke; cmd_accounts and cmd_keys.
 */
#include "server.h"

#include "auth.h"
#include "datadir.h"
#include "ids.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct admin_opts {
    const char *data_dir, *plan, *name, *account;
};

static int admin_usage(void)
{
    fprintf(stderr,
            "usage: docflow accounts create --plan PLAN [--name N] --data-dir DIR\n"
            "       docflow accounts list --data-dir DIR\n"
            "       docflow accounts set-plan ACCOUNT_ID PLAN --data-dir DIR\n"
            "       docflow accounts rotate-secret ACCOUNT_ID --data-dir DIR\n"
            "       docflow keys create (--account ACCOUNT_ID | --plan PLAN) [--name N]\n"
            "                           --data-dir DIR\n"
            "       docflow keys list [--account ACCOUNT_ID] --data-dir DIR\n"
            "       docflow keys revoke KEY_ID --data-dir DIR\n"
            "PLAN: free, starter, growth or enterprise (batches need starter or above).\n"
            "A key (af_...) and an account's webhook secret are printed once, when made.\n");
    return 2;
}

/* Options after the subcommand; returns the index of the first operand or -1. */
static int parse_admin(int argc, char **argv, struct admin_opts *o)
{
    static const struct option longopts[] = {
        {"data-dir", required_argument, NULL, 'd'}, {"plan", required_argument, NULL, 'p'},
        {"name", required_argument, NULL, 'n'},     {"account", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd': o->data_dir = optarg; break;
        case 'p': o->plan = optarg; break;
        case 'n': o->name = optarg; break;
        case 'a': o->account = optarg; break;
        default: return -1;
        }
    }
    if (!o->data_dir) {
        fprintf(stderr, "docflow: --data-dir DIR is required\n");
        return -1;
    }
    return optind;
}

/* The store of the data directory; `create`: make the directory if new. */
store *admin_store(const char *dir, int create)
{
    char err[STORE_ERR_MAX];
    struct stat sb;
    umask(077);
    if (!create && stat(dir, &sb) != 0) {
        fprintf(stderr, "docflow: %s: no such data directory\n", dir);
        return NULL;
    }
    if (create && datadir_prepare(dir, err) != 0) {
        fprintf(stderr, "docflow: %s\n", err);
        return NULL;
    }
    store *s = store_open(dir, err);
    if (!s)
        fprintf(stderr, "docflow: cannot open the store: %s\n", err);
    return s;
}

static int plan_or_usage(const char *name)
{
    int plan = store_plan_parse(name);
    if (plan < 0)
        fprintf(stderr, "docflow: unknown plan '%s' (free, starter, growth or enterprise)\n",
                name ? name : "");
    return plan;
}

static int store_failed(store *s, const char *what)
{
    fprintf(stderr, "docflow: %s failed: %s\n", what, store_error(s));
    return 1;
}

static void print_new_account(const st_account *a)
{
    printf("account_id: %s\nplan: %s\n", a->id, store_plan_name(a->plan));
    if (a->name[0])
        printf("name: %s\n", a->name);
    printf("webhook_secret: %s\n", a->webhook_secret);
    fprintf(stderr, "docflow: the webhook signing secret is shown only now: keep it server-side\n");
}

/* ---- accounts -------------------------------------------------------- */

static int accounts_create(store *s, const struct admin_opts *o)
{
    int plan = plan_or_usage(o->plan);
    st_account a;
    if (plan < 0)
        return 2;
    if (auth_account_new(s, plan, o->name, srv_now(), &a) != STORE_OK)
        return store_failed(s, "creating the account");
    print_new_account(&a);
    return 0;
}

static int print_account(void *ud, const st_account *a)
{
    char when[32];
    (void)ud;
    srv_iso_time(a->created_at, when, sizeof when);
    printf("%-22s %-10s %-20s %s\n", a->id, store_plan_name(a->plan), when, a->name);
    return 0;
}

static int accounts_list(store *s)
{
    printf("%-22s %-10s %-20s %s\n", "ACCOUNT_ID", "PLAN", "CREATED", "NAME");
    return store_account_list(s, print_account, NULL) == STORE_OK ? 0
                                                                 : store_failed(s, "listing");
}

static int accounts_set_plan(store *s, const char *id, const char *plan_name)
{
    int plan = plan_or_usage(plan_name);
    if (plan < 0)
        return 2;
    int rc = store_account_set_plan(s, id, plan);
    if (rc == STORE_NOT_FOUND) {
        fprintf(stderr, "docflow: no account %s\n", id);
        return 1;
    }
    if (rc != STORE_OK)
        return store_failed(s, "setting the plan");
    printf("account_id: %s\nplan: %s\n", id, store_plan_name(plan));
    return 0;
}

/* A new webhook signing secret: printed once; the old one signs no more
 * (deliveries sign at each attempt with the account's current secret). */
static int accounts_rotate_secret(store *s, const char *id)
{
    char secret[STORE_SECRET_MAX];
    if (ids_new("whsec_", 32, secret, sizeof secret) != 0) {
        fprintf(stderr, "docflow: no random bytes for a secret\n");
        return 1;
    }
    int rc = store_account_set_secret(s, id, secret);
    if (rc == STORE_NOT_FOUND) {
        fprintf(stderr, "docflow: no account %s\n", id);
        return 1;
    }
    if (rc != STORE_OK)
        return store_failed(s, "rotating the webhook secret");
    printf("account_id: %s\nwebhook_secret: %s\n", id, secret);
    fprintf(stderr, "docflow: the new webhook signing secret is shown only now; webhooks are "
            "signed with it from their next attempt\n");
    return 0;
}

/* ---- keys ------------------------------------------------------------- */

static int keys_create(store *s, const struct admin_opts *o)
{
    st_account a;
    st_key k;
    char key[AUTH_KEY_MAX];
    int plan = -1;
    if (!!o->account == !!o->plan) {
        fprintf(stderr, "docflow: keys create needs --account ACCOUNT_ID or --plan PLAN\n");
        return 2;
    }
    if (o->plan && (plan = plan_or_usage(o->plan)) < 0)
        return 2;
    if (o->plan && auth_account_new(s, plan, o->name, srv_now(), &a) != STORE_OK)
        return store_failed(s, "creating the account");
    int rc = auth_key_new(s, o->account ? o->account : a.id, o->name, srv_now(), key, &k);
    if (rc == STORE_NOT_FOUND) {
        fprintf(stderr, "docflow: no account %s\n", o->account);
        return 1;
    }
    if (rc != STORE_OK)
        return store_failed(s, "creating the key");
    printf("api_key: %s\nkey_id: %s\n", key, k.id);
    if (o->plan)
        print_new_account(&a);
    else
        printf("account_id: %s\n", k.account_id);
    fprintf(stderr, "docflow: the API key is shown only now: only its hash is stored\n");
    return 0;
}

static int print_key(void *ud, const st_key *k)
{
    char when[32], shown[24];
    (void)ud;
    srv_iso_time(k->created_at, when, sizeof when);
    snprintf(shown, sizeof shown, "%s...", k->prefix);
    printf("%-20s %-22s %-15s %-20s %-8s %s\n", k->id, k->account_id, shown, when,
           k->revoked_at ? "revoked" : "active", k->name);
    return 0;
}

static int keys_list(store *s, const char *account)
{
    printf("%-20s %-22s %-15s %-20s %-8s %s\n", "KEY_ID", "ACCOUNT_ID", "KEY", "CREATED", "STATUS",
           "NAME");
    return store_key_list(s, account, print_key, NULL) == STORE_OK ? 0 : store_failed(s, "listing");
}

static int keys_revoke(store *s, const char *id)
{
    int rc = store_key_revoke(s, id, srv_now());
    if (rc == STORE_NOT_FOUND || rc == STORE_CONFLICT) {
        fprintf(stderr, "docflow: %s: %s\n", id, rc == STORE_CONFLICT ? "already revoked"
                                                                       : "no such key");
        return 1;
    }
    if (rc != STORE_OK)
        return store_failed(s, "revoking the key");
    printf("key_id: %s\nstatus: revoked\n", id);
    return 0;
}

/* ---- dispatch --------------------------------------------------------- */

/* argv[0] is the subcommand ("create", ...), already known to exist. */
static int admin_run(int keys, int argc, char **argv)
{
    struct admin_opts o = {0};
    const char *sub = argv[0];
    int first = parse_admin(argc, argv, &o);
    int operands = first < 0 ? -1 : argc - first;
    int create = !strcmp(sub, "create");
    int want = !strcmp(sub, "set-plan") ? 2
             : !strcmp(sub, "revoke") || !strcmp(sub, "rotate-secret") ? 1 : 0;
    if (operands != want)
        return admin_usage();
    store *s = admin_store(o.data_dir, create);
    if (!s)
        return 1;
    /* a name is printed by `list`: kept as valid UTF-8, as docflow prints names */
    char *name = o.name ? df_utf8_sanitize(o.name) : NULL;
    if (o.name && !name) {
        store_close(s);
        fprintf(stderr, "docflow: out of memory\n");
        return 1;
    }
    o.name = name;
    int rc;
    if (keys)
        rc = create ? keys_create(s, &o) : !strcmp(sub, "list") ? keys_list(s, o.account)
                                                                : keys_revoke(s, argv[first]);
    else if (!strcmp(sub, "rotate-secret"))
        rc = accounts_rotate_secret(s, argv[first]);
    else
        rc = create ? accounts_create(s, &o) : !strcmp(sub, "list")
                                                   ? accounts_list(s)
                                                   : accounts_set_plan(s, argv[first],
                                                                       argv[first + 1]);
    store_close(s);
    df_free(name);
    return rc;
}

static int known(const char *sub, const char *const *subs)
{
    for (; *subs; subs++)
        if (!strcmp(sub, *subs))
            return 1;
    return 0;
}

int cmd_accounts(int argc, char **argv)
{
    static const char *const subs[] = {"create", "list", "set-plan", "rotate-secret", NULL};
    if (argc < 2 || !known(argv[1], subs))
        return admin_usage();
    return admin_run(0, argc - 1, argv + 1);
}

int cmd_keys(int argc, char **argv)
{
    static const char *const subs[] = {"create", "list", "revoke", NULL};
    if (argc < 2 || !known(argv[1], subs))
        return admin_usage();
    return admin_run(1, argc - 1, argv + 1);
}
