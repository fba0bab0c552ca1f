#!/usr/bin/env bash
# The documented retry schedule, with the default backoff (no --webhook-backoff): a receiver
# (the reference's verify_webhook.py, which accepts the signature) that always answers 500
# sees exactly 4 attempts, at 0, 1, 5 and 21 s after the first (each within ±20 %), the first
# within 2 s of the batch's completion, and no fifth; the batch's webhook then says failed,
# 4 attempts, last_status 500, and `docflow webhooks show` lists the four.
set -uo pipefail
. "$DF_SOURCE_DIR/tests/integration/server_lib.sh"
. "$DF_SOURCE_DIR/tests/integration/webhook_lib.sh"

"$py" -c 'import fastapi, uvicorn' || { echo "FAIL: python3-fastapi and python3-uvicorn are needed (scripts/install-deps --test)"; exit 1; }
new_account starter
start_receiver r "$secret" || exit 1
start_server --workers 1 --allow-http-webhooks --allow-private-webhooks || exit 1

id=$(submit "$key" "$receiver_url/always500/t") || exit 1
wait_count r /always500/t 4 180 || bad "4 attempts: only $(count r /always500/t)"
wait_hook "$id" "$key" failed 30 || bad "state after 4 attempts: $(hook_state "$id" "$key")"
# failed is final (an attempt needs a pending delivery's lease); and nothing came meanwhile
sleep 5
[ "$(count r /always500/t)" = 4 ] && ok || bad "attempts: $(count r /always500/t), want exactly 4"

received r /always500/t >"$tmp/t.json"
offsets=$(jq -s -c '(.[0].t) as $t0 | [.[] | ((.t - $t0) * 1000 | round) / 1000]' "$tmp/t.json")
echo "attempts at $offsets s after the first (documented: 0, 1, 5, 21)"
jq -e 'length == 4 and (.[1] >= 0.8 and .[1] <= 1.2) and (.[2] >= 4 and .[2] <= 6)
       and (.[3] >= 16.8 and .[3] <= 25.2)' <<<"$offsets" >/dev/null \
  && ok || bad "attempt times $offsets, want 0, 1, 5, 21 s ±20 %"
jq -s -e 'all(.verified and .status == 500)' "$tmp/t.json" >/dev/null && ok || bad "attempts not verified or not 500"
[ "$(jq -r '.headers["x-webhook-id"]' "$tmp/t.json" | sort -u | wc -l)" = 1 ] && ok || bad "several delivery ids"
# the first attempt follows the completion (completed_at has whole seconds)
api GET "/v1/batch/$id" "$key" >/dev/null
completed=$(date -d "$(jq -r .completed_at "$tmp/body")" +%s)
jq -s -e --argjson c "$completed" '.[0].wall >= $c and .[0].wall < $c + 3' "$tmp/t.json" >/dev/null \
  && ok || bad "the first attempt at $(jq -s '.[0].wall' "$tmp/t.json"), the batch completed at $completed"
jq -e '.webhook == (.webhook | {state: "failed", attempts: 4, last_status: 500, last_error: null, delivery_id})' \
  "$tmp/body" >/dev/null && ok || bad "the failed webhook: $(jq -c .webhook "$tmp/body")"
"$cli" webhooks show "$id" --data-dir "$data" >"$tmp/show.out" 2>&1
[ "$(grep -c '^  attempt [1-4] .* HTTP 500$' "$tmp/show.out")" = 4 ] && grep -q ' failed  4 attempts ' "$tmp/show.out" \
  && ok || bad "webhooks show: $(cat "$tmp/show.out")"
stop_server

echo "webhook timing: $pass passed, $fail failed"
[ "$fail" = 0 ]
