#!/usr/bin/env bash
# Webhook deliveries as users receive them: the receiver is the hosted API's own
# verify_webhook.py (tests/integration/reference/, unchanged) under Debian's FastAPI and
# uvicorn, WEBHOOK_SECRET set to the secret `docflow keys create` printed. It accepts every
# delivery (body, headers, the download link in it works), also of a batch whose files all
# failed, and rejects forgeries; a receiver failing twice then accepting sees one delivery
# (same id, byte-identical body) three times; `docflow webhooks redeliver` sends a new one;
# after `docflow accounts rotate-secret` the new secret signs and the old one no longer
# does; a server killed (-9) between attempts delivers after its restart. The environment's
# http_proxy is ignored. Timing with the default backoff and the URL policy:
# test_server_webhook_timing.sh, test_server_webhook_policy.sh.
set -uo pipefail
. "$DF_SOURCE_DIR/tests/integration/server_lib.sh"
. "$DF_SOURCE_DIR/tests/integration/webhook_lib.sh"

"$py" -c 'import fastapi, uvicorn' || { echo "FAIL: python3-fastapi and python3-uvicorn are needed (scripts/install-deps --test)"; exit 1; }
uuid_re='^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
hmac() { "$py" -c 'import base64, hashlib, hmac, sys; print(hmac.new(sys.argv[1].encode(), base64.b64decode(sys.argv[2]), hashlib.sha256).hexdigest())' "$1" "$2"; }

new_account starter
old_secret=$secret
export RECEIVER_SECRET_FILE="$tmp/r.secret" # written after the rotation below
start_receiver r "$secret" || exit 1
hook=$receiver_url
# a dead proxy in the server's environment: deliveries must not use it
server_wrap=(env http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9
             HTTPS_PROXY=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9)
start_server --workers 2 --allow-http-webhooks --allow-private-webhooks --webhook-backoff 1s,1s,1s || exit 1

# ---- a delivery, accepted by verify_webhook.py --------------------------------------------
id=$(submit "$key" "$hook/ok/a" -F callback_id=order_123) || exit 1
api GET "/v1/batch/$id" "$key" >/dev/null
jq -e '(.status == "complete") or (.webhook | .state == "waiting" and .attempts == 0 and .delivery_id == null)' \
  "$tmp/body" >/dev/null && ok || bad "webhook state before completion: $(cat "$tmp/body")"
wait_count r /ok/a 1 120 || bad "no delivery to /ok/a: $(cat "$tmp/server.1.log")"
received r /ok/a >"$tmp/a.json"
body=$(jq -r .body "$tmp/a.json" | base64 -d)
jq -e '.verified and .status == 200 and .method == "POST"
       and .headers["content-type"] == "application/json"
       and (.headers["x-webhook-signature"] | test("^sha256=[0-9a-f]{64}$"))
       and (.headers["user-agent"] | startswith("docflow-webhook/"))' "$tmp/a.json" >/dev/null \
  && ok || bad "the delivery as received: $(cat "$tmp/a.json")"
jq -e --arg id "$id" --arg re "$uuid_re" --argjson now "$(date +%s)" \
   'keys == ["batch_id", "callback_id", "delivery_id", "download_url", "status", "timestamp"]
    and .batch_id == $id and .status == "complete" and .callback_id == "order_123"
    and (.delivery_id | test($re)) and (.timestamp | type == "number" and . <= $now and . > $now - 300)
    and (.download_url | contains("/downloads/" + $id + "?expires="))' <<<"$body" >/dev/null \
  && ok || bad "the delivery's body: $body"
[ "$(jq -r '.headers["x-webhook-id"]' "$tmp/a.json")" = "$(jq -r .delivery_id <<<"$body")" ] \
  && [ "$(jq -r '.headers["x-webhook-timestamp"]' "$tmp/a.json")" = "$(jq -r .timestamp <<<"$body")" ] \
  && ok || bad "X-Webhook-Id / X-Webhook-Timestamp differ from the body's: $(jq -c .headers "$tmp/a.json")"
[ "$(jq -r '.headers["x-webhook-signature"]' "$tmp/a.json")" = "sha256=$(hmac "$secret" "$(jq -r .body "$tmp/a.json")")" ] \
  && ok || bad "the signature is not HMAC-SHA256 of the body under the printed secret"
st=$(curl -s -o "$tmp/dl.json" -w '%{http_code}' "$(jq -r .download_url <<<"$body")")
[ "$st" = 200 ] && jq -e 'length == 1 and .[0].extraction.document_type == "invoice"' "$tmp/dl.json" >/dev/null \
  && ok || bad "the webhook's download_url: $st $(head -c 200 "$tmp/dl.json")"
wait_hook "$id" "$key" delivered 30 || bad "state after the delivery: $(hook_state "$id" "$key")"
jq -e --arg d "$(jq -r .delivery_id <<<"$body")" '. == {state: "delivered", attempts: 1, last_status: 200,
       last_error: null, delivery_id: $d}' <<<"$(hook_state "$id" "$key")" >/dev/null \
  && ok || bad "the status's webhook: $(hook_state "$id" "$key")"
first_delivery=$(jq -r .delivery_id <<<"$body")
# no webhook_url: "webhook": null
api POST /v1/batch "$key" -F "files=@$fx/invoice.png" >/dev/null
plain=$(jq -r .batch_id "$tmp/body")
wait_complete "$plain" "$key" && [ "$(hook_state "$plain" "$key")" = null ] && ok || bad "webhook of a batch without webhook_url: $(hook_state "$plain" "$key")"

# ---- a batch whose every file failed is delivered too -------------------------------------
api POST /v1/batch "$key" -F "files=@$fx/bad/corrupt.pdf" -F "webhook_url=$hook/ok/failed" >/dev/null
failed_id=$(jq -r .batch_id "$tmp/body")
wait_count r /ok/failed 1 120 && received r /ok/failed | jq -e --arg id "$failed_id" '.verified and
   (.body | @base64d | fromjson | .batch_id == $id and .status == "complete")' >/dev/null \
  && ok || bad "no delivery of the all-failed batch: $(received r /ok/failed)"
api GET "/v1/batch/$failed_id" "$key" >/dev/null
jq -e '.failed == 1 and .webhook.state == "delivered"' "$tmp/body" >/dev/null && ok || bad "all-failed batch: $(cat "$tmp/body")"

# ---- forgeries are rejected by verify_webhook.py (the harness is not a yes-man) ----------
b64=$(jq -r .body "$tmp/a.json")
forge() { # SIGNATURE_HEADER BODY_FILE: the receiver's status
  curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' ${1:+-H "X-Webhook-Signature: $1"} \
    --data-binary "@$2" "$hook/ok/forged"
}
base64 -d <<<"$b64" >"$tmp/real.json"
sed 's/"complete"/"completE"/' "$tmp/real.json" >"$tmp/tampered.json"
[ "$(forge "sha256=$(hmac whsec_wrong "$b64")" "$tmp/real.json")" = 401 ] && ok || bad "a wrong secret's signature was accepted"
[ "$(forge "sha256=$(hmac "$secret" "$b64")" "$tmp/tampered.json")" = 401 ] && ok || bad "a tampered body was accepted"
[ "$(forge "" "$tmp/real.json")" = 401 ] && ok || bad "a delivery without a signature was accepted"
[ "$(forge "sha256=$(hmac "$secret" "$b64")" "$tmp/real.json")" = 200 ] && ok || bad "the real delivery, replayed, was refused"

# ---- failing twice, then accepting: one delivery, three times -----------------------------
id2=$(submit "$key" "$hook/fail2/b") || exit 1
wait_count r /fail2/b 3 120 || bad "3 attempts to /fail2/b: $(count r /fail2/b)"
wait_hook "$id2" "$key" delivered 30 || bad "fail2 state: $(hook_state "$id2" "$key")"
received r /fail2/b >"$tmp/b.json"
[ "$(jq -s -c '[.[].status]' "$tmp/b.json")" = "[500,500,200]" ] && ok || bad "fail2 answers: $(jq -s -c '[.[].status]' "$tmp/b.json")"
[ "$(jq -r '.headers["x-webhook-id"]' "$tmp/b.json" | sort -u | wc -l)" = 1 ] \
  && [ "$(jq -r .body "$tmp/b.json" | sort -u | wc -l)" = 1 ] \
  && [ "$(jq -r '.headers["x-webhook-signature"]' "$tmp/b.json" | sort -u | wc -l)" = 1 ] \
  && [ "$(jq -r '.headers["x-webhook-timestamp"]' "$tmp/b.json" | sort -u | wc -l)" = 1 ] \
  && [ "$(jq -s 'all(.verified)' "$tmp/b.json")" = true ] \
  && ok || bad "the three attempts differ: $(jq -c '{id: .headers["x-webhook-id"], ts: .headers["x-webhook-timestamp"]}' "$tmp/b.json")"
jq -e '.state == "delivered" and .attempts == 3 and .last_status == 200' <<<"$(hook_state "$id2" "$key")" >/dev/null \
  && ok || bad "fail2 webhook: $(hook_state "$id2" "$key")"
# the retries waited the backoff (1 s here)
jq -s -e '(.[1].t - .[0].t) >= 0.8 and (.[2].t - .[1].t) >= 0.8' "$tmp/b.json" >/dev/null \
  && ok || bad "retries did not wait: $(jq -c .t "$tmp/b.json" | paste -sd,)"
"$cli" webhooks show "$id2" --data-dir "$data" >"$tmp/show.out" 2>&1
grep -q "^delivery $(jq -r '.headers["x-webhook-id"]' <(head -n 1 "$tmp/b.json"))  delivered  3 attempts" "$tmp/show.out" \
  && [ "$(grep -c '^  attempt [123] .* HTTP 500$' "$tmp/show.out")" = 2 ] && grep -q '^  attempt 3 .* HTTP 200$' "$tmp/show.out" \
  && ok || bad "webhooks show: $(cat "$tmp/show.out")"

# ---- redeliver: a new delivery of the same batch --------------------------------------------
"$cli" webhooks redeliver "$id" --data-dir "$data" >"$tmp/re.out" 2>&1 && grep -q '^webhook: pending$' "$tmp/re.out" \
  && ok || bad "redeliver: $(cat "$tmp/re.out")"
wait_count r /ok/a 2 30 || bad "the redelivery did not arrive"
received r /ok/a | tail -n 1 >"$tmp/a2.json"
jq -e --arg id "$id" --arg first "$first_delivery" '.verified and (.body | @base64d | fromjson |
       .batch_id == $id and .delivery_id != $first and .callback_id == "order_123")' "$tmp/a2.json" >/dev/null \
  && ok || bad "the redelivery: $(cat "$tmp/a2.json")"
wait_hook "$id" "$key" delivered 30 && jq -e --arg first "$first_delivery" '.attempts == 1 and .delivery_id != $first' \
  <<<"$(hook_state "$id" "$key")" >/dev/null && ok || bad "after the redelivery: $(hook_state "$id" "$key")"
"$cli" webhooks redeliver "$plain" --data-dir "$data" >/dev/null 2>"$tmp/re.err"
[ $? = 1 ] && grep -q 'without a webhook_url' "$tmp/re.err" && ok || bad "redeliver without webhook_url: $(cat "$tmp/re.err")"
"$cli" webhooks redeliver 00000000-0000-4000-8000-000000000000 --data-dir "$data" >/dev/null 2>"$tmp/re.err"
[ $? = 1 ] && grep -q 'no batch' "$tmp/re.err" && ok || bad "redeliver of no batch: $(cat "$tmp/re.err")"
"$cli" webhooks redeliver not-an-id --data-dir "$data" >/dev/null 2>&1
[ $? = 2 ] && ok || bad "redeliver of a malformed id did not exit 2"

# ---- rotate-secret: the new secret signs, the old one no longer does -------------------------
"$cli" accounts rotate-secret "$acct" --data-dir "$data" >"$tmp/rot.out" 2>"$tmp/rot.err"
new_secret=$(awk '$1 == "webhook_secret:" {print $2}' "$tmp/rot.out")
[[ $new_secret =~ ^whsec_[0-9a-f]{64}$ ]] && [ "$new_secret" != "$old_secret" ] && ok || bad "rotate-secret: $(cat "$tmp/rot.out" "$tmp/rot.err")"
"$cli" accounts rotate-secret acct_0000000000000000 --data-dir "$data" >/dev/null 2>&1 && bad "rotate-secret of no account succeeded" || ok
"$cli" accounts rotate-secret --data-dir "$data" >/dev/null 2>&1; [ $? = 2 ] && ok || bad "rotate-secret without an account: not a usage error"
id3=$(submit "$key" "$hook/ok/rotated") || exit 1
wait_count r /ok/rotated 1 120 || bad "no delivery after the rotation"
printf '%s\n' "$new_secret" >"$tmp/r.secret" # the receiver takes the new secret from its next request
wait_hook "$id3" "$key" delivered 30 || bad "not delivered under the new secret: $(hook_state "$id3" "$key")"
received r /ok/rotated >"$tmp/rot.json"
rb64=$(jq -r .body <(head -n 1 "$tmp/rot.json"))
jq -s -e '.[0].status == 401 and .[-1].status == 200' "$tmp/rot.json" >/dev/null \
  && [ "$(jq -r '.headers["x-webhook-signature"]' "$tmp/rot.json" | sort -u)" = "sha256=$(hmac "$new_secret" "$rb64")" ] \
  && ok || bad "after rotate-secret: $(jq -c '{status, s: .headers["x-webhook-signature"]}' "$tmp/rot.json")"
stop_server

# ---- kill -9 between attempts: the next attempt goes after the restart -----------------------
start_server --workers 2 --allow-http-webhooks --allow-private-webhooks --webhook-backoff 3s,3s,3s || exit 1
id4=$(submit "$key" "$hook/fail1/k") || exit 1
wait_count r /fail1/k 1 120 || bad "no first attempt to /fail1/k"
for i in $(seq 1 100); do [ "$(hook_state "$id4" "$key" | jq -r .attempts)" = 1 ] && break; sleep 0.05; done
kill9_server
[ "$(count r /fail1/k)" = 1 ] && ok || bad "attempts before the kill: $(count r /fail1/k)"
"$cli" webhooks redeliver "$id4" --data-dir "$data" >/dev/null 2>"$tmp/re.err"
[ $? = 1 ] && grep -q 'still pending' "$tmp/re.err" && ok || bad "redeliver while pending: $(cat "$tmp/re.err")"
sleep 4 # the second attempt's time passes while no server runs
start_server --workers 2 --allow-http-webhooks --allow-private-webhooks --webhook-backoff 3s,3s,3s || exit 1
wait_count r /fail1/k 2 60 || bad "no attempt after the restart"
received r /fail1/k >"$tmp/k.json"
[ "$(jq -r '.headers["x-webhook-id"]' "$tmp/k.json" | sort -u | wc -l)" = 1 ] && [ "$(jq -r .body "$tmp/k.json" | sort -u | wc -l)" = 1 ] \
  && [ "$(jq -s -c '[.[].status]' "$tmp/k.json")" = "[500,200]" ] && ok || bad "across the kill: $(jq -c '{status, id: .headers["x-webhook-id"]}' "$tmp/k.json")"
wait_hook "$id4" "$key" delivered 30 && jq -e '.attempts == 2' <<<"$(hook_state "$id4" "$key")" >/dev/null \
  && ok || bad "after the restart: $(hook_state "$id4" "$key")"
stop_server
cat "$tmp"/server.*.log | grep -qe "$old_secret" -e "$new_secret" && bad "a secret in the server's log" || ok

echo "webhook: $pass passed, $fail failed"
[ "$fail" = 0 ]
