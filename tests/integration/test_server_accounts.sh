#!/usr/bin/env bash
# `docflow accounts` and `docflow keys` as an operator runs them: accounts on
# plans, keys shown once and stored as hashes, revocation, the quick path
# (keys create --plan), usage errors, and a data directory only its owner reads.
set -uo pipefail
cli="$DF_CLI"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
data="$tmp/data"
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }
expect_status() { # want, description, command...
  local want=$1 what=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  [ "$got" = "$want" ] && ok || bad "$what: exit $got, want $want ($(head -c 300 "$tmp/err"))"
}
field() { awk -v k="$1:" '$1 == k {print $2}' "$tmp/out"; }

expect_status 2 "no subcommand" "$cli" accounts
expect_status 2 "unknown subcommand" "$cli" keys frob --data-dir "$data"
expect_status 2 "no --data-dir" "$cli" accounts list
expect_status 1 "list before anything exists" "$cli" accounts list --data-dir "$data"
grep -q 'no such data directory' "$tmp/err" && ok || bad "missing dir message: $(cat "$tmp/err")"
[ ! -e "$data" ] && ok || bad "list created the data directory"
expect_status 2 "unknown plan" "$cli" accounts create --plan platinum --data-dir "$data"
grep -q "unknown plan 'platinum'" "$tmp/err" && ok || bad "plan message"

# an account, then a key for it
expect_status 0 "accounts create" "$cli" accounts create --plan free --name "Acme" --data-dir "$data"
acct=$(field account_id); secret=$(field webhook_secret)
[[ $acct =~ ^acct_[0-9a-f]{16}$ ]] && ok || bad "account id '$acct'"
[[ $secret =~ ^whsec_[0-9a-f]{64}$ ]] && ok || bad "webhook secret '$secret'"
[ "$(field plan)" = free ] && ok || bad "plan"
grep -q 'shown only now' "$tmp/err" && ok || bad "no warning that the secret is shown once"
[ "$(stat -c %a "$data")" = 700 ] && ok || bad "data dir mode $(stat -c %a "$data")"
[ "$(stat -c %a "$data/docflow.db")" = 600 ] && ok || bad "store mode $(stat -c %a "$data/docflow.db")"
expect_status 0 "keys create --account" "$cli" keys create --account "$acct" --name ci --data-dir "$data"
key=$(field api_key); kid=$(field key_id)
[[ $key =~ ^af_[0-9a-f]{64}$ ]] && ok || bad "key '$key'"
[ "$(field account_id)" = "$acct" ] && ok || bad "key's account"
[ -z "$(field webhook_secret)" ] && ok || bad "a key for an existing account printed a secret"
# only the hash is kept
if grep -rqa "${key#af_}" "$data"; then bad "the key itself is stored"; else ok; fi
expect_status 1 "keys create for no account" "$cli" keys create --account acct_0000000000000000 --data-dir "$data"
expect_status 2 "keys create without --account or --plan" "$cli" keys create --data-dir "$data"

# lists
expect_status 0 "accounts list" "$cli" accounts list --data-dir "$data"
grep -q "^$acct  *free .* Acme$" "$tmp/out" && ok || bad "accounts list: $(cat "$tmp/out")"
expect_status 0 "keys list" "$cli" keys list --account "$acct" --data-dir "$data"
grep -q "^$kid  *$acct  *${key:0:11}\.\.\. .* active  *ci$" "$tmp/out" && ok || bad "keys list: $(cat "$tmp/out")"
grep -q "${key:11:20}" "$tmp/out" && bad "keys list shows more of the key than its prefix" || ok

# plans and revocation
expect_status 0 "set-plan" "$cli" accounts set-plan "$acct" growth --data-dir "$data"
"$cli" accounts list --data-dir "$data" | grep -q "^$acct  *growth " && ok || bad "plan not changed"
expect_status 1 "set-plan unknown account" "$cli" accounts set-plan acct_0000000000000000 growth --data-dir "$data"
expect_status 2 "set-plan without a plan" "$cli" accounts set-plan "$acct" --data-dir "$data"
expect_status 0 "revoke" "$cli" keys revoke "$kid" --data-dir "$data"
"$cli" keys list --data-dir "$data" | grep -q "^$kid .* revoked " && ok || bad "not revoked"
expect_status 1 "revoke twice" "$cli" keys revoke "$kid" --data-dir "$data"
grep -q 'already revoked' "$tmp/err" && ok || bad "revoke twice message"

# the quick path: an account with one key
expect_status 0 "keys create --plan" "$cli" keys create --plan starter --data-dir "$data"
[[ $(field api_key) =~ ^af_ ]] && [[ $(field account_id) =~ ^acct_ ]] && [[ $(field webhook_secret) =~ ^whsec_ ]] \
  && ok || bad "quick path output: $(cat "$tmp/out")"
[ "$("$cli" accounts list --data-dir "$data" | wc -l)" = 3 ] && ok || bad "two accounts expected"

# a name that is not UTF-8 (Latin-1 "café") is kept and listed as valid UTF-8, U+FFFD for the byte
expect_status 0 "accounts create, Latin-1 name" "$cli" accounts create --plan starter --name $'caf\xe9' --data-dir "$data"
[ "$(field name)" = $'caf\xef\xbf\xbd' ] && ok || bad "new account's name: $(field name | od -c | head -2)"
"$cli" accounts list --data-dir "$data" | grep -q $' caf\xef\xbf\xbd$' && ok || bad "listed name not repaired"
"$cli" accounts list --data-dir "$data" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 && ok || bad "accounts list is not UTF-8"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
