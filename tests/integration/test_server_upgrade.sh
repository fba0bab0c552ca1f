#!/usr/bin/env bash
# Upgrades of a data directory: a store written by the first schema
# (store-v1.sql, as docflow 598fa44 wrote it) is migrated when this docflow
# opens it: the account, its batch and result survive, a new key works, and
# what the new schema adds (Idempotency-Key) works on it. A store from a
# newer docflow is refused by `serve` and by `keys` with a clear message,
# and left as it was.
set -uo pipefail
. "$DF_SOURCE_DIR/tests/integration/server_lib.sh"

old_acct=acct_427cb9ee7fc9f9fb
old_batch=2f265cf4-2832-4ea0-b6a3-6e98720c38c0
version() { "$py" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' "$data/docflow.db"; }

mkdir -p "$data/batches/$old_batch/input" "$data/tmp"
chmod 700 "$data" "$data/batches" "$data/tmp"
cp "$fx/sample-invoice.pdf" "$data/batches/$old_batch/input/0000.pdf"
"$py" -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.close()' \
  "$data/docflow.db" "$here/store-v1.sql" || bad "loading store-v1.sql"
[ "$(version)" = 1 ] && ok || bad "the fixture is not schema 1: $(version)"

# the first command to open it migrates it
key=$("$cli" keys create --account "$old_acct" --data-dir "$data" 2>"$tmp/keys.err" | awk '$1 == "api_key:" {print $2}')
[[ $key =~ ^af_ ]] && ok || bad "keys create on a v1 store: $(cat "$tmp/keys.err")"
v=$(version)
[ "$v" -gt 1 ] && ok || bad "not migrated: user_version $v"

# the completed batch survives, with its result, under a long retention (it completed in 2026)
start_server --workers 1 --retention 3650d || exit 1
[ "$(api GET "/v1/batch/$old_batch" "$key")" = 200 ] && jq -e '.status == "complete" and .processed == 1
     and .callback_id == "v1" and (.download_url | type == "string")' "$tmp/body" >/dev/null \
  && ok || bad "the v1 batch after the upgrade: $(cat "$tmp/body")"
dl=$(jq -r .download_url "$tmp/body")
curl -s "$dl" >"$tmp/results.json"
jq -e --arg id "$old_batch" 'length == 1 and .[0].file_key == ("batch/" + $id + "/input/0000.pdf")
       and .[0].extraction.document_type == "invoice"' "$tmp/results.json" >/dev/null \
  && ok || bad "the v1 results: $(head -c 300 "$tmp/results.json")"
# the new schema's table: a submission with an Idempotency-Key, retried
for i in 1 2; do
  api POST /v1/batch "$key" -H "Idempotency-Key: upgrade-1" -F "files=@$fx/sample-invoice.pdf" >"$tmp/st.$i"
  jq -r .batch_id "$tmp/body" >"$tmp/id.$i"
done
[ "$(cat "$tmp/st.1")" = 202 ] && [ "$(cat "$tmp/st.2")" = 202 ] && cmp -s "$tmp/id.1" "$tmp/id.2" \
  && ok || bad "Idempotency-Key on a migrated store: $(cat "$tmp/st.1" "$tmp/st.2" "$tmp/id.1" "$tmp/id.2")"
stop_server

# a store from a newer docflow: refused, untouched
"$py" -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version = 999"); c.commit(); c.close()' \
  "$data/docflow.db"
sum=$(sha256sum <"$data/docflow.db")
"$cli" serve --data-dir "$data" --listen 127.0.0.1:0 2>"$tmp/serve.err" & pid=$!
for i in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; bad "serve started on a newer store"; fi
wait "$pid"; st=$?
[ "$st" != 0 ] && grep -q 'newer docflow (store schema 999; this docflow knows up to' "$tmp/serve.err" \
  && ok || bad "serve on a newer store: exit $st: $(cat "$tmp/serve.err")"
"$cli" keys list --data-dir "$data" >/dev/null 2>"$tmp/list.err" && bad "keys list on a newer store succeeded" \
  || { grep -q 'newer docflow' "$tmp/list.err" && ok || bad "keys list message: $(cat "$tmp/list.err")"; }
[ "$(sha256sum <"$data/docflow.db")" = "$sum" ] && [ "$(version)" = 999 ] && ok || bad "the newer store was changed"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
