#!/usr/bin/env bash
# `docflow serve` driven as its users drive it: curl with the Bearer header,
# the hosted API's own Python snippets (Debian's python3-requests), every
# status of the contract with its JSON error, the pre-signed download (its
# array equal to what `docflow extract` prints, a corrupt file included),
# tampered and expired links, retention (410), the synchronous extract,
# health and metrics, a full disk (507), a stop under a waiting extract
# (503). Refused requests must leave nothing on disk.
set -uo pipefail
. "$DF_SOURCE_DIR/tests/integration/server_lib.sh"

uuid_re='^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
batch_dirs() { find "$data/batches" -mindepth 1 -maxdepth 1 | wc -l; }
tmp_files() { find "$data/tmp" -mindepth 1 | wc -l; }

key=$(new_key starter)
free_key=$(new_key free)
[[ $key =~ ^af_ ]] && [[ $free_key =~ ^af_ ]] && ok || bad "keys: '$key' '$free_key'"
# the reference's submit_batch.py below names https://yourserver.com/webhook: its delivery
# goes to a proxy that is not there, never out of this machine
start_server --workers 2 --webhook-proxy http://127.0.0.1:9 || exit 1

# ---- health ---------------------------------------------------------------
[ "$(api GET /healthz "")" = 200 ] && jq -e '.status == "ok" and .workers == 2' "$tmp/body" >/dev/null \
  && ok || bad "healthz: $(cat "$tmp/body")"

# ---- curl, as in the reference ----------------------------------------------
mkdir -p "$tmp/c" && cp "$fx/sample-invoice.pdf" "$tmp/c/a.pdf" && cp "$fx/invoice.png" "$tmp/c/b.png"
st=$(cd "$tmp/c" && curl -s -o "$tmp/sub.json" -w '%{http_code}' -H "Authorization: Bearer $key" \
     -F files=@a.pdf -F files=@b.png -F callback_id=order_123 "$url/v1/batch")
[ "$st" = 202 ] && ok || bad "curl submit: $st $(cat "$tmp/sub.json")"
jq -e --arg re "$uuid_re" '(keys == ["batch_id", "estimated_seconds", "status", "total_files"])
      and (.batch_id | test($re)) and .total_files == 2 and .status == "queued"
      and (.estimated_seconds | type == "number" and . >= 1 and . == floor)' "$tmp/sub.json" >/dev/null \
  && ok || bad "202 body: $(cat "$tmp/sub.json")"
id=$(jq -r .batch_id "$tmp/sub.json")
cmp -s "$data/batches/$id/input/0000.pdf" "$tmp/c/a.pdf" && cmp -s "$data/batches/$id/input/0001.png" "$tmp/c/b.png" \
  && ok || bad "stored files differ from the uploads: $(ls -lR "$data/batches")"

# ---- retries with an Idempotency-Key: the first answer, one batch; another form: 409 ---
ik="retry-$RANDOM-$$"
api POST /v1/batch "$key" -H "Idempotency-Key: $ik" -F "files=@$tmp/c/a.pdf" -F callback_id=r1 >"$tmp/i1.st"
cp "$tmp/body" "$tmp/i1.json"
dirs=$(batch_dirs)
api POST /v1/batch "$key" -H "Idempotency-Key: $ik" -F "files=@$tmp/c/a.pdf" -F callback_id=r1 >"$tmp/i2.st"
[ "$(cat "$tmp/i1.st")" = 202 ] && [ "$(cat "$tmp/i2.st")" = 202 ] && cmp -s "$tmp/i1.json" "$tmp/body" \
  && ok || bad "a retry under its key: $(cat "$tmp/i1.st") $(cat "$tmp/i1.json") / $(cat "$tmp/i2.st") $(cat "$tmp/body")"
[ "$(batch_dirs)" = "$dirs" ] && [ "$(tmp_files)" = 0 ] && ok || bad "the retry left files behind"
expect_error 409 idempotency_key_reused POST /v1/batch "$key" -H "Idempotency-Key: $ik" -F "files=@$tmp/c/b.png" -F callback_id=r1
jq -r .error.message "$tmp/body" | grep -qF "$(jq -r .batch_id "$tmp/i1.json")" && ok || bad "409 does not name the batch"
expect_error 409 idempotency_key_reused POST /v1/batch "$key" -H "Idempotency-Key: $ik" -F "files=@$tmp/c/a.pdf" -F callback_id=r2
# the key is the account's: another account's same key makes its own batch
key2=$(new_key starter)
[ "$(api POST /v1/batch "$key2" -H "Idempotency-Key: $ik" -F "files=@$tmp/c/a.pdf" -F callback_id=r1)" = 202 ] \
  && [ "$(jq -r .batch_id "$tmp/body")" != "$(jq -r .batch_id "$tmp/i1.json")" ] && ok || bad "keys shared across accounts"
expect_error 400 invalid_idempotency_key POST /v1/batch "$key" -H "Idempotency-Key: $(printf 'k%.0s' $(seq 1 256))" -F "files=@$tmp/c/a.pdf"
[ "$(batch_dirs)" = "$((dirs + 1))" ] && ok || bad "batch folders: $(batch_dirs), want $((dirs + 1))"

# polling: only queued/processing/complete; percent = floor(100 * processed / total);
# download_url only once complete
seen=""
for i in $(seq 1 1200); do
  [ "$(api GET "/v1/batch/$id" "$key")" = 200 ] || { bad "poll: $(cat "$tmp/body")"; break; }
  s=$(jq -r .status "$tmp/body"); seen="$seen $s"
  jq -e '(.status | IN("queued", "processing", "complete")) and .total == 2
         and .percent == ((100 * .processed / .total) | floor) and .callback_id == "order_123"
         and ((.status == "complete") == has("download_url"))
         and ((.status == "complete") == (.processed == .total))' "$tmp/body" >/dev/null \
    || bad "status body: $(cat "$tmp/body")"
  [ "$s" = complete ] && break
  sleep 0.1
done
cp "$tmp/body" "$tmp/status.json"
jq -e --arg id "$id" '.batch_id == $id and .status == "complete" and .processed == 2 and .percent == 100
       and .failed == 0 and (.download_url | startswith("'"$url"'/downloads/" + $id + "?expires="))
       and (.created_at | test("^20[0-9-]+T[0-9:]+Z$")) and (.completed_at | test("Z$"))
       and (.expires_at | test("Z$"))' "$tmp/status.json" >/dev/null \
  && ok || bad "complete status: $(cat "$tmp/status.json") (seen:$seen)"
dl=$(jq -r .download_url "$tmp/status.json")

# the download: no key, the JSON array `docflow extract` prints, with the storage keys
st=$(curl -s -o "$tmp/results.json" -w '%{http_code}' "$dl")
[ "$st" = 200 ] && ok || bad "download: $st $(head -c 300 "$tmp/results.json")"
jq -e --arg id "$id" '[.[] | {file_index, file_key}] == [
       {file_index: 0, file_key: ("batch/" + $id + "/input/0000.pdf")},
       {file_index: 1, file_key: ("batch/" + $id + "/input/0001.png")}]' "$tmp/results.json" >/dev/null \
  && ok || bad "download order/keys: $(jq -c '[.[] | {file_index, file_key}]' "$tmp/results.json")"
(cd "$tmp/c" && "$cli" extract a.pdf b.png >"$tmp/cli.json" 2>/dev/null)
if cmp -s <(jq -S 'map(del(.file_key))' "$tmp/results.json") <(jq -S 'map(del(.file_key))' "$tmp/cli.json"); then ok
else bad "the download differs from docflow extract"; fi
[ "$(sed -n 1p "$tmp/results.json")" = "[" ] && [ "$(tail -n 1 "$tmp/results.json")" = "]" ] \
  && [ "$(wc -l <"$tmp/results.json")" = 4 ] && ok || bad "not extract's layout"
# a tampered link, a changed expiry, no signature: 403
e=$(sed 's/.*expires=\([0-9]*\).*/\1/' <<<"$dl")
forged=$(sed 's/.*signature=//' <<<"$dl" | tr '0-9a-f' '1-9a-f0')
expect_error 403 invalid_signature GET "/downloads/$id?expires=$e&signature=$forged" ""
expect_error 403 invalid_signature GET "$(sed "s/expires=$e/expires=$((e + 1))/; s|^$url||" <<<"$dl")" ""
expect_error 403 invalid_signature GET "/downloads/$id?expires=$e" ""
# the link ignores the Host header: it is built from --public-url (default: the listen address)
curl -s -H "Host: evil.example" -H "Authorization: Bearer $key" "$url/v1/batch/$id" >"$tmp/host.json"
jq -e --arg u "$url" '.download_url | startswith($u)' "$tmp/host.json" >/dev/null && ok || bad "Host header used"

# ---- the reference's three Python snippets, unchanged but URL, key, batch id ----
if [ -x "$py" ] && "$py" -c 'import requests' 2>/dev/null; then
  mkdir -p "$tmp/py"
  cp "$fx/sample-invoice.pdf" "$tmp/py/invoice1.pdf"
  cp "$fx/bad/corrupt.pdf" "$tmp/py/invoice2.pdf"
  cp "$fx/invoice.png" "$tmp/py/receipt.png"
  sed -e "s|https://api.documentflowai.com|$url|" -e "s|af_YOUR_API_KEY|$key|" \
    "$here/reference/submit_batch.py" >"$tmp/py/submit.py"
  [ "$(diff "$here/reference/submit_batch.py" "$tmp/py/submit.py" | grep -c '^>')" = 2 ] && ok \
    || bad "submit_batch.py changed beyond URL and key"
  (cd "$tmp/py" && "$py" submit.py >"$tmp/py/submit.out" 2>&1) && ok || bad "submit_batch.py: $(cat "$tmp/py/submit.out")"
  pid=$(sed -n 1p "$tmp/py/submit.out")
  [[ $pid =~ $uuid_re ]] && [ "$(sed -n 2p "$tmp/py/submit.out")" = queued ] && ok \
    || bad "submit_batch.py printed: $(cat "$tmp/py/submit.out")"
  sed -e "s|https://api.documentflowai.com|$url|" -e "s|af_YOUR_API_KEY|$key|" \
      -e "s|7dfd45b2-d7b7-40ba-9bbf-2995b5108f35|$pid|" "$here/reference/poll_status.py" >"$tmp/py/poll.py"
  [ "$(diff "$here/reference/poll_status.py" "$tmp/py/poll.py" | grep -c '^>')" = 3 ] && ok \
    || bad "poll_status.py changed beyond URL, key and batch id"
  cat "$tmp/py/poll.py" "$here/reference/download_results.py" >"$tmp/py/poll_download.py"
  (cd "$tmp/py" && timeout 300 "$py" poll_download.py >"$tmp/py/poll.out" 2>&1) && ok \
    || bad "poll_status.py + download_results.py: $(tail -5 "$tmp/py/poll.out")"
  grep -Eq '^100% complete \(3/3 files\)$' "$tmp/py/poll.out" && ok || bad "poll output: $(cat "$tmp/py/poll.out")"
  grep -Eq '^[0-9]+% complete \([0-3]/3 files\)$' "$tmp/py/poll.out" && ok || bad "poll lines"
  grep -q '^File 0: invoice — confidence 100%$' "$tmp/py/poll.out" && ok || bad "file 0: $(cat "$tmp/py/poll.out")"
  grep -q '^File 1: other — confidence 0%$' "$tmp/py/poll.out" && ok || bad "file 1 (corrupt): $(cat "$tmp/py/poll.out")"
  grep -q '^  Grand total: None$' "$tmp/py/poll.out" && ok || bad "corrupt file's grand total"
  grep -q '^File 2: ' "$tmp/py/poll.out" && ok || bad "file 2 missing"
  api GET "/v1/batch/$pid" "$key" >/dev/null
  jq -e '.failed == 1 and .callback_id == "order_123"' "$tmp/body" >/dev/null && ok || bad "python batch: $(cat "$tmp/body")"
else
  bad "/usr/bin/python3 with requests missing: scripts/install-deps --test (python3-requests)"
fi

# ---- every refusal, with its JSON error; nothing of it kept ------------------
before=$(batch_dirs)
cp "$fx/sample-invoice.pdf" "$tmp/a.pdf"
printf 'just some notes\n' >"$tmp/notes.txt"
head -c $((10 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$tmp/big.pdf"
printf '%%PDF-1.4\n' | dd of="$tmp/big.pdf" conv=notrunc status=none
f101=(); for i in $(seq 1 101); do f101+=(-F "files=@$tmp/a.pdf"); done

expect_error 401 missing_api_key POST /v1/batch "" -F "files=@$tmp/a.pdf"
expect_error 401 invalid_api_key POST /v1/batch "af_$(printf '0%.0s' $(seq 64))" -F "files=@$tmp/a.pdf"
expect_error 401 invalid_api_key GET "/v1/batch/$id" "not-a-key"
revoked=$("$cli" keys create --plan growth --data-dir "$data" 2>/dev/null)
rkey=$(awk '$1 == "api_key:" {print $2}' <<<"$revoked"); rid=$(awk '$1 == "key_id:" {print $2}' <<<"$revoked")
[ "$(api GET /v1/batch/00000000-0000-4000-8000-000000000000 "$rkey")" = 404 ] && ok || bad "new key not accepted"
"$cli" keys revoke "$rid" --data-dir "$data" >/dev/null 2>&1 # while the server runs
expect_error 401 revoked_api_key GET /v1/batch/00000000-0000-4000-8000-000000000000 "$rkey"
expect_error 403 plan_required POST /v1/batch "$free_key" -F "files=@$tmp/a.pdf"
grep -q 'Starter plan or above' "$tmp/body" && ok || bad "plan message: $(cat "$tmp/body")"
# Expect: 100-continue is answered only for an allowed request (curl sends it for > 1 MiB)
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$tmp/2mb.pdf"
cat "$fx/sample-invoice.pdf" "$tmp/2mb.pdf" >"$tmp/two.pdf"
curl -sv -o /dev/null -H "Authorization: Bearer $free_key" -F "files=@$tmp/two.pdf" "$url/v1/batch" \
  2>"$tmp/v.txt"
grep -q '^> Expect: 100-continue' "$tmp/v.txt" && ! grep -q '100 Continue' "$tmp/v.txt" \
  && grep -q '^< HTTP/1.1 403' "$tmp/v.txt" \
  && ok || bad "refused request got 100 Continue: $(grep '^[<>] [HE]' "$tmp/v.txt")"
curl -sv -o /dev/null -H "Authorization: Bearer $key" -F "files=@$tmp/notes.txt" -F "files=@$tmp/two.pdf" \
  "$url/v1/batch" 2>"$tmp/v.txt"
grep -q '^< HTTP/1.1 100 Continue' "$tmp/v.txt" && grep -q '^< HTTP/1.1 415' "$tmp/v.txt" \
  && ok || bad "allowed request without 100 Continue: $(grep '^[<>] [HE]' "$tmp/v.txt")"
expect_error 400 no_files POST /v1/batch "$key" -F callback_id=x
expect_error 400 too_many_files POST /v1/batch "$key" "${f101[@]}"
grep -q 'files\[100\]' "$tmp/body" && ok || bad "101st file not named: $(cat "$tmp/body")"
expect_error 400 malformed_multipart POST /v1/batch "$key" -H 'Content-Type: multipart/form-data; boundary=XX' \
  --data-binary $'--XX\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n\r\n%PDF-1.4 cut'
expect_error 400 unknown_field POST /v1/batch "$key" -F "files=@$tmp/a.pdf" -F foo=bar
jq -r .error.message "$tmp/body" | grep -q '"foo"' && ok || bad "unknown field not named"
expect_error 400 field_too_long POST /v1/batch "$key" -F "files=@$tmp/a.pdf" -F "callback_id=$(printf 'x%.0s' $(seq 257))"
expect_error 400 invalid_webhook_url POST /v1/batch "$key" -F "files=@$tmp/a.pdf" -F "webhook_url=yourserver.com/webhook"
expect_error 400 not_multipart POST /v1/batch "$key" -H 'Content-Type: application/json' -d '{}'
expect_error 413 file_too_large POST /v1/batch "$key" -F "files=@$tmp/a.pdf" -F "files=@$tmp/big.pdf"
jq -r .error.message "$tmp/body" | grep -q '^files\[1\] "big.pdf" ' && ok || bad "413 does not name the file: $(cat "$tmp/body")"
expect_error 415 unsupported_format POST /v1/batch "$key" -F "files=@$tmp/a.pdf" -F "files=@$tmp/notes.txt"
jq -r .error.message "$tmp/body" | grep -q '^files\[1\] "notes.txt" is not a supported format' && ok \
  || bad "415 does not name the file: $(cat "$tmp/body")"
sleep 0.3
[ "$(batch_dirs)" = "$before" ] && [ "$(tmp_files)" = 0 ] && ok \
  || bad "a refused request left something: $(batch_dirs) batch folders (was $before), $(tmp_files) temp files"

# ids: unknown, malformed, another account's; routes and methods
expect_error 404 batch_not_found GET /v1/batch/00000000-0000-4000-8000-000000000000 "$key"
expect_error 404 batch_not_found GET /v1/batch/not-a-batch-id "$key"
other=$(new_key growth)
expect_error 404 batch_not_found GET "/v1/batch/$id" "$other"
expect_error 404 not_found GET /v1/nothing "$key"
expect_error 405 method_not_allowed DELETE "/v1/batch/$id" "$key"

# ---- POST /v1/extract: one file, synchronous, every plan ------------------------
[ "$(api POST /v1/extract "$free_key" -F "file=@$tmp/a.pdf")" = 200 ] && ok || bad "extract: $(cat "$tmp/body")"
jq -e '.file_index == 0 and .file_key == "a.pdf" and .extraction.document_type == "invoice" and (has("error") | not)' \
  "$tmp/body" >/dev/null && ok || bad "extract result: $(head -c 300 "$tmp/body")"
cp "$fx/bad/corrupt.pdf" "$tmp/corrupt.pdf"
[ "$(api POST /v1/extract "$free_key" -F "file=@$tmp/corrupt.pdf")" = 200 ] \
  && jq -e '.error.code == "corrupt_file" and .extraction.document_type == "other"
            and (.error.message | startswith("corrupt.pdf: "))' "$tmp/body" >/dev/null \
  && ok || bad "extract of a corrupt file: $(cat "$tmp/body")"
expect_error 400 no_file POST /v1/extract "$key" -H 'Content-Type: multipart/form-data; boundary=XX' \
  --data-binary $'--XX--\r\n'
expect_error 400 unknown_field POST /v1/extract "$key" -F "file=@$tmp/a.pdf" -F callback_id=x
expect_error 400 too_many_files POST /v1/extract "$key" -F "file=@$tmp/a.pdf" -F "file=@$tmp/a.pdf"
expect_error 415 unsupported_format POST /v1/extract "$key" -F "file=@$tmp/notes.txt"
expect_error 401 missing_api_key POST /v1/extract "" -F "file=@$tmp/a.pdf"

# ---- metrics -------------------------------------------------------------------------
[ "$(api GET /metrics "")" = 200 ] && ok || bad "metrics status"
for m in 'docflow_http_requests_total{route="batch_submit",status="202"} [1-9]' \
         'docflow_http_requests_total{route="batch_submit",status="415"} [1-9]' \
         'docflow_http_requests_total{route="batch_status",status="200"} [1-9]' \
         'docflow_http_requests_total{route="download",status="403"} [1-9]' \
         'docflow_queue_files{state="queued"} [0-9]' 'docflow_files_processed_total [1-9]' \
         'docflow_files_failed_total [1-9]' 'docflow_workers 2$' \
         'docflow_files_failed_by_code_total{code="[a-z_]*"} [1-9]' 'docflow_pages_processed_total [1-9]' \
         'docflow_http_request_seconds_bucket{route="batch_status",le="0.05"} [0-9]' \
         'docflow_http_request_seconds_count{route="batch_submit"} [1-9]' \
         'docflow_extraction_seconds_count [1-9]' 'docflow_worker_busy_seconds_total [0-9]' \
         'docflow_worker_busy_ratio 0\.[0-9]' 'docflow_store_retries_total 0$'; do
  grep -q "^$m" "$tmp/body" && ok || bad "metrics lack $m"
done
# every histogram: buckets cumulative, +Inf equal to the count
"$py" - "$tmp/body" <<'EOF' && ok || bad "histograms inconsistent"
import re, sys, collections
series = collections.defaultdict(list); counts = {}
for line in open(sys.argv[1]):
    m = re.match(r'(\w+)_bucket\{(.*?)le="([^"]+)"\} (\d+)$', line.strip())
    if m: series[(m[1], m[2].rstrip(","))].append(int(m[4])); continue
    m = re.match(r'(\w+)_count(?:\{(.*)\})? (\d+)$', line.strip())
    if m: counts[(m[1], m[2] or "")] = int(m[3])
assert series, "no histogram"
for k, v in series.items():
    assert v == sorted(v), k
    assert v[-1] == counts[k], (k, v[-1], counts.get(k))
EOF

# ---- --public-url: the links' base, whatever the listen address ----------------------
stop_server
start_server --workers 1 --public-url https://docflow.example.com/base/ || exit 1
api GET "/v1/batch/$id" "$key" >/dev/null
jq -e --arg id "$id" '.download_url | startswith("https://docflow.example.com/base/downloads/" + $id + "?")' \
  "$tmp/body" >/dev/null && ok || bad "--public-url not used: $(cat "$tmp/body")"
# the link works on the real address: only its base is configured
curl -s -o /dev/null -w '%{http_code}' "$url$(jq -r .download_url "$tmp/body" | sed 's|^https://[^/]*/base||')" \
  | grep -qx 200 && ok || bad "a --public-url link is refused"

# ---- retention: a restart with --retention 2s deletes what completed earlier -----------
stop_server
sleep 2
start_server --workers 1 --retention 2s || exit 1
for i in $(seq 1 100); do [ -d "$data/batches/$id" ] || break; sleep 0.1; done
[ ! -d "$data/batches/$id" ] && ok || bad "expired batch's files still there"
expect_error 410 batch_expired GET "/v1/batch/$id" "$key"
path_of() { sed 's|^http://[^/]*||' <<<"$1"; }
expect_error 403 link_expired GET "$(path_of "$dl")" "" # the first server's link: same secret, data gone
# a new batch: its link expires with its data, 2 s after completion
st=$(api POST /v1/batch "$key" -F "files=@$tmp/a.pdf")
[ "$st" = 202 ] && ok || bad "submit on the short-retention server: $st"
nid=$(jq -r .batch_id "$tmp/body")
wait_complete "$nid" "$key" && ok
link=$(jq -r .download_url "$tmp/body")
jq -e '((.expires_at | fromdate) - (.completed_at | fromdate)) == 2' "$tmp/body" >/dev/null && ok || bad "expires_at: $(cat "$tmp/body")"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$link")" = 200 ] && ok || bad "fresh link refused"
sleep 3
expect_error 403 link_expired GET "$(path_of "$link")" ""
expect_error 410 batch_expired GET "/v1/batch/$nid" "$key"
stop_server

# ---- a full disk: 507 naming the file, nothing kept --------------------------------------
# tmp/ on a 1 MiB tmpfs, in a mount namespace of the server's own (mount_ns.sh)
if [ ${#mount_ns[@]} -gt 0 ]; then
  server_wrap=("${mount_ns[@]}" sh -c 'mount -t tmpfs -o size=1m docflow-full "$0/tmp" && exec "$@"' "$data")
  start_server --workers 1 || exit 1
  server_wrap=()
  before=$(batch_dirs)
  expect_error 507 insufficient_storage POST /v1/batch "$key" -F "files=@$tmp/a.pdf" -F "files=@$tmp/two.pdf"
  jq -r .error.message "$tmp/body" | grep -q '^files\[1\] "two.pdf" could not be stored: the server.s disk is full' \
    && ok || bad "507 does not name the file: $(cat "$tmp/body")"
  # the next request has the space again: the refused one's temporary files are gone
  sleep 0.3
  expect_error 415 unsupported_format POST /v1/batch "$key" -F "files=@$tmp/a.pdf" -F "files=@$tmp/notes.txt"
  [ "$(batch_dirs)" = "$before" ] && ok || bad "the refused upload left a batch folder"
  stop_server
else
  echo "note: no mount namespace here: the full-disk answer (507) was not tried"
fi

# ---- a part's headers read alone: each part still read once -------------------------------
# (the multipart parser called back twice at offset 0 when a chunk ended just after a part's
# headers: the part counted as an empty file and a second one)
start_server --workers 1 || exit 1
: >"$tmp/empty.pdf"
out=$("$py" "$here/split_post.py" "$url" "$key" "$tmp/a.pdf" "$tmp/a.pdf" "$tmp/a.pdf")
[ "$(head -1 <<<"$out")" = 202 ] && tail -n +2 <<<"$out" | jq -e '.total_files == 3' >/dev/null \
  && ok || bad "headers read alone: $out"
out=$("$py" "$here/split_post.py" "$url" "$key" "$tmp/a.pdf" "$tmp/empty.pdf" "$tmp/a.pdf")
[ "$(head -1 <<<"$out")" = 415 ] && tail -n +2 <<<"$out" |
  jq -e '.error.message | startswith("files[1] \"empty.pdf\" is empty (0 bytes)")' >/dev/null \
  && ok || bad "an empty part read alone: $out"
stop_server

# ---- stopping: a synchronous extract waiting for the busy worker gets 503 shutting_down ---
start_server --workers 1 || exit 1
busy_batch "$key"
curl -s -o "$tmp/sync.json" -w '%{http_code}' -H "Authorization: Bearer $key" -F "file=@$tmp/a.pdf" \
  "$url/v1/extract" >"$tmp/sync.status" &
sync_pid=$!
sleep 1 # the upload is stored; the extract waits for the one worker
stop_server
wait "$sync_pid"
[ "$(cat "$tmp/sync.status")" = 503 ] && jq -e '.error.code == "shutting_down"
     and (.error.message | test("stopping"))' "$tmp/sync.json" >/dev/null \
  && ok || bad "extract during shutdown: $(cat "$tmp/sync.status") $(cat "$tmp/sync.json")"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
